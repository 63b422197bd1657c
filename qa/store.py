"""One built index generation on disk, as `ask` reads it: paragraphs, chunks, vectors, BM25, acronyms.

Layout of an index folder:
    CURRENT                  name of the live generation (replaced atomically by a build)
    gen-<id>/manifest.json   format version, model, collection, files and their hashes
    gen-<id>/paragraphs.jsonl, chunks.jsonl, vectors.npy, bm25.npz, bm25_vocab.json, acronyms.json
    gen-<id>/chroma/         the Chroma PersistentClient store (llama-index ChromaVectorStore)
Readers only ever open a complete generation: builds write a new folder and then swap CURRENT.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from qa import config
from qa.acronyms import AcronymTable
from qa.errors import IndexCorrupt, IndexMissing
from qa.lexical import BM25
from qa.records import Chunk, Paragraph

REBUILD_HINT = "run `qa index --rebuild`"


def current_generation(index_dir: Path) -> Path | None:
    pointer = index_dir / "CURRENT"
    try:
        name = pointer.read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        return None
    except OSError as err:
        raise IndexCorrupt(f"cannot read {pointer}: {err.strerror}; {REBUILD_HINT}") from err
    folder = index_dir / name
    if not name or "/" in name or not folder.is_dir():
        raise IndexCorrupt(f"index at {index_dir} points to a missing build '{name}'; {REBUILD_HINT}")
    return folder


def read_manifest(folder: Path) -> dict:
    try:
        manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError) as err:
        raise IndexCorrupt(f"index manifest in {folder} is unreadable; {REBUILD_HINT}") from err
    if not isinstance(manifest, dict) or manifest.get("format") != config.INDEX_FORMAT:
        raise IndexCorrupt(f"index at {folder.parent} was built by another version of qa; {REBUILD_HINT}")
    if manifest.get("collection") != config.collection_name():
        raise IndexCorrupt(
            f"index at {folder.parent} holds collection '{manifest.get('collection')}', "
            f"not '{config.collection_name()}'; {REBUILD_HINT}"
        )
    return manifest


@dataclass
class Snapshot:
    folder: Path
    manifest: dict
    paragraphs: list[Paragraph]
    by_ref: dict[str, Paragraph]
    chunks: list[Chunk]
    vectors: np.ndarray
    bm25: BM25
    acronyms: AcronymTable

    @classmethod
    def open(cls, index_dir: Path) -> Snapshot:
        folder = current_generation(index_dir)
        if folder is None:
            raise IndexMissing(f"no index in {index_dir} yet; run `qa index`")
        manifest = read_manifest(folder)
        try:
            paragraphs = [Paragraph.from_dict(json.loads(line)) for line in _lines(folder / "paragraphs.jsonl")]
            chunks = [Chunk(**json.loads(line)) for line in _lines(folder / "chunks.jsonl")]
            vectors = np.load(folder / "vectors.npy", mmap_mode="r")
            bm25 = BM25.load(folder)
            acronyms = AcronymTable.from_json(json.loads((folder / "acronyms.json").read_text(encoding="utf-8")))
        except (OSError, ValueError, KeyError, TypeError) as err:
            raise IndexCorrupt(f"index files in {folder} are damaged ({type(err).__name__}); {REBUILD_HINT}") from err
        if vectors.ndim != 2 or vectors.shape[0] != len(chunks) or bm25.size != len(chunks):
            raise IndexCorrupt(f"index files in {folder} disagree in size; {REBUILD_HINT}")
        by_ref = {p.ref: p for p in paragraphs}
        return cls(folder, manifest, paragraphs, by_ref, chunks, vectors, bm25, acronyms)

    def find(self, ref: str) -> list[Paragraph]:
        """Paragraphs whose ref is `ref` or ends with `:ref` (so `s1.1.1.b.p1` works without the doc)."""
        ref = ref.strip()
        if ref in self.by_ref:
            return [self.by_ref[ref]]
        return [p for p in self.paragraphs if p.ref.endswith(":" + ref) or p.ref.split(":", 1)[-1] == ref]


def _lines(path: Path) -> list[str]:
    return [line for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
