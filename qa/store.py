"""One built index generation on disk, as `ask` reads it: paragraphs, chunks, vectors, BM25, acronyms.

Layout of an index folder:
    CURRENT                  name of the live generation (replaced atomically by a build)
    gen-<id>/manifest.json   format version, model, collection, files and their hashes, file sizes
    gen-<id>/paragraphs.jsonl, chunks.jsonl, vectors.npy, bm25.npz, bm25_vocab.json, acronyms.json
    gen-<id>/refs.json (paragraph refs in order), chunk_paragraphs.npy (the paragraph row of each chunk)
    gen-<id>/sentence_vectors.npy (one row per distinct sentence, pooled from its chunk's pass:
        qa/embedjobs.py), sentence_rows.npy (the row of each sentence of each paragraph, in order),
        sentence_starts.npy (where each paragraph's run begins)
    gen-<id>/chroma/         the Chroma PersistentClient store (local mode only)
Readers only ever open a complete generation: builds write a new folder and then swap CURRENT.
Paragraph and chunk records are parsed when first used (`LazyRecords`): a question reads a few
dozen of them, and parsing all 50,000 of a 10 MB corpus would cost a cold `ask` about a second.
Opening checks every file against the sizes in the manifest (a few stats, no Chroma import), so a
truncated or missing file is reported with the fix instead of surfacing later as a crash.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar, overload

import numpy as np

from qa import config
from qa.acronyms import AcronymTable
from qa.errors import IndexCorrupt, IndexMissing
from qa.lexical import BM25
from qa.records import Chunk, Paragraph
from qa.text import set_casing, set_protected

REBUILD_HINT = "run `qa index --rebuild`"
REQUIRED_FILES = (
    "paragraphs.jsonl",
    "refs.json",
    "chunks.jsonl",
    "chunk_paragraphs.npy",
    "vectors.npy",
    "sentence_vectors.npy",
    "sentence_rows.npy",
    "sentence_starts.npy",
    "bm25.npz",
    "bm25_vocab.json",
    "acronyms.json",
)
SQLITE_MAGIC = b"SQLite format 3\x00"
T = TypeVar("T")
GENERATION_PREFIX = "gen-"


def current_generation(index_dir: Path) -> Path | None:
    pointer = index_dir / "CURRENT"
    try:
        name = pointer.read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError) as err:
        reason = getattr(err, "strerror", None) or "not text"
        raise IndexCorrupt(f"cannot read {pointer} ({reason}); {REBUILD_HINT}") from err
    if not name.startswith(GENERATION_PREFIX) or "/" in name or "\x00" in name or len(name) > 200:
        raise IndexCorrupt(f"{pointer} is damaged (it does not name a build); {REBUILD_HINT}")
    folder = index_dir / name
    if not folder.is_dir():
        raise IndexCorrupt(f"index at {index_dir} points to a missing build '{name}'; {REBUILD_HINT}")
    return folder


def read_manifest(folder: Path) -> dict:
    try:
        manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError) as err:
        raise IndexCorrupt(f"index manifest in {folder} is missing or unreadable; {REBUILD_HINT}") from err
    if not isinstance(manifest, dict) or manifest.get("format") != config.INDEX_FORMAT:
        found = manifest.get("format") if isinstance(manifest, dict) else None
        raise IndexCorrupt(
            f"index at {folder.parent} has format {found!r}, this qa reads format {config.INDEX_FORMAT} "
            f"(built by another version of qa); {REBUILD_HINT}"
        )
    if manifest.get("collection") != config.collection_name():
        raise IndexCorrupt(
            f"index at {folder.parent} holds collection '{manifest.get('collection')}', "
            f"not '{config.collection_name()}'; {REBUILD_HINT}"
        )
    if not isinstance(manifest.get("files"), dict):
        raise IndexCorrupt(f"index manifest in {folder} lists no files; {REBUILD_HINT}")
    return manifest


def file_sizes(folder: Path) -> dict[str, int]:
    """Size of every file of a generation but the manifest (recorded in the manifest, checked on open)."""
    return {
        path.relative_to(folder).as_posix(): path.stat().st_size
        for path in sorted(folder.rglob("*"))
        if path.is_file() and path.name != "manifest.json"
    }


def verify_generation(folder: Path, manifest: dict) -> None:
    """Cheap integrity check: required files present, sizes as recorded, SQLite header intact."""
    for name in REQUIRED_FILES:
        if not (folder / name).is_file():
            raise IndexCorrupt(f"index at {folder.parent} is missing {folder.name}/{name}; {REBUILD_HINT}")
    sizes = manifest.get("sizes")
    if isinstance(sizes, dict):
        for name, size in sizes.items():
            path = folder / name
            try:
                actual = path.stat().st_size
            except OSError:
                raise IndexCorrupt(f"index at {folder.parent} lacks {folder.name}/{name}; {REBUILD_HINT}") from None
            if actual != size:
                raise IndexCorrupt(
                    f"index file {folder.name}/{name} is damaged ({actual} bytes, expected {size}); {REBUILD_HINT}"
                )
    sqlite = folder / "chroma" / "chroma.sqlite3"
    if manifest.get("mode", "local") == "local" and (folder / "chroma").exists():
        try:
            with open(sqlite, "rb") as handle:
                header = handle.read(len(SQLITE_MAGIC))
        except OSError:
            header = b""
        if header != SQLITE_MAGIC:
            raise IndexCorrupt(f"the Chroma store {folder.name}/chroma/chroma.sqlite3 is damaged; {REBUILD_HINT}")


def open_generation(index_dir: Path) -> tuple[Path, dict] | None:
    """The live generation and its checked manifest, or None when there is no index yet."""
    folder = current_generation(index_dir)
    if folder is None:
        return None
    manifest = read_manifest(folder)
    verify_generation(folder, manifest)
    return folder, manifest


class LazyRecords(Sequence[T]):
    """A read-only list of records kept as JSON lines and parsed (once) when first touched."""

    def __init__(self, lines: list[bytes], parse: Callable[[dict], T]) -> None:
        self._lines = lines
        self._parse = parse
        self._items: list[T | None] = [None] * len(lines)

    def __len__(self) -> int:
        return len(self._lines)

    @overload
    def __getitem__(self, index: int) -> T: ...

    @overload
    def __getitem__(self, index: slice) -> list[T]: ...

    def __getitem__(self, index):
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        item = self._items[index]
        if item is None:
            item = self._items[index] = self._parse(json.loads(self._lines[index]))
        return item


class RefMap(Mapping[str, Paragraph]):
    """Paragraphs by ref, backed by the lazy paragraph list."""

    def __init__(self, position: dict[str, int], paragraphs: LazyRecords[Paragraph]) -> None:
        self._position = position
        self._paragraphs = paragraphs

    def __getitem__(self, ref: str) -> Paragraph:
        return self._paragraphs[self._position[ref]]

    def __iter__(self) -> Iterator[str]:
        return iter(self._position)

    def __len__(self) -> int:
        return len(self._position)


@dataclass
class Snapshot:
    folder: Path
    manifest: dict
    paragraphs: LazyRecords[Paragraph]
    by_ref: RefMap
    chunks: LazyRecords[Chunk]
    vectors: np.ndarray
    bm25: BM25
    acronyms: AcronymTable
    sentence_vectors: np.ndarray
    sentence_rows: np.ndarray
    sentence_starts: np.ndarray
    position: dict[str, int]
    chunk_paragraphs: np.ndarray

    @classmethod
    def open(cls, index_dir: Path, attempts: int = 3) -> Snapshot:
        """Load the live generation; if a build swaps and prunes it while we read, read the new one."""
        for attempt in range(attempts):
            before = _pointer(index_dir)
            try:
                return cls._open_once(index_dir)
            except IndexCorrupt:
                if attempt == attempts - 1 or _pointer(index_dir) == before:
                    raise
        raise AssertionError("unreachable")

    @classmethod
    def _open_once(cls, index_dir: Path) -> Snapshot:
        opened = open_generation(index_dir)
        if opened is None:
            raise IndexMissing(f"no index in {index_dir} yet; run `qa index`")
        folder, manifest = opened
        try:
            paragraphs = LazyRecords(_lines(folder / "paragraphs.jsonl"), Paragraph.from_dict)
            refs = json.loads((folder / "refs.json").read_text(encoding="utf-8"))
            chunks = LazyRecords(_lines(folder / "chunks.jsonl"), _chunk)
            chunk_paragraphs = np.load(folder / "chunk_paragraphs.npy")
            vectors = np.load(folder / "vectors.npy", mmap_mode="r")
            sentence_vectors = np.load(folder / "sentence_vectors.npy", mmap_mode="r")
            sentence_rows = np.load(folder / "sentence_rows.npy")
            sentence_starts = np.load(folder / "sentence_starts.npy")
            bm25 = BM25.load(folder)
            acronyms = AcronymTable.from_json(json.loads((folder / "acronyms.json").read_text(encoding="utf-8")))
            protected = folder / "protected.json"
            set_protected(json.loads(protected.read_text(encoding="utf-8")) if protected.is_file() else [])
            cased = folder / "casing.json"
            set_casing(json.loads(cased.read_text(encoding="utf-8")) if cased.is_file() else {})
        except (OSError, ValueError, KeyError, TypeError, EOFError) as err:
            raise IndexCorrupt(f"index files in {folder} are damaged ({type(err).__name__}); {REBUILD_HINT}") from err
        if vectors.ndim != 2 or vectors.shape[0] != len(chunks) or bm25.size != len(chunks):
            raise IndexCorrupt(f"index files in {folder} disagree in size; {REBUILD_HINT}")
        if (
            sentence_starts.shape != (len(paragraphs) + 1,)
            or int(sentence_starts[-1]) != len(sentence_rows)
            or (len(sentence_rows) and int(sentence_rows.max()) >= len(sentence_vectors))
        ):
            raise IndexCorrupt(f"sentence files in {folder} disagree in size; {REBUILD_HINT}")
        if (
            not isinstance(refs, list)
            or len(refs) != len(paragraphs)
            or chunk_paragraphs.shape != (len(chunks),)
            or (len(chunks) and not 0 <= int(chunk_paragraphs.min()) <= int(chunk_paragraphs.max()) < len(refs))
        ):
            raise IndexCorrupt(f"index files in {folder} disagree (chunks without paragraphs); {REBUILD_HINT}")
        position = {ref: n for n, ref in enumerate(refs)}
        return cls(
            folder, manifest, paragraphs, RefMap(position, paragraphs), chunks, vectors, bm25, acronyms,
            sentence_vectors, sentence_rows, sentence_starts, position, chunk_paragraphs,
        )

    def sentence_vector(self, ref: str, number: int) -> np.ndarray:
        """The stored vector of the `number`-th sentence (see sentences.paragraph_sentences) of a paragraph."""
        start = int(self.sentence_starts[self.position[ref]])
        return np.asarray(self.sentence_vectors[int(self.sentence_rows[start + number])])

    def find(self, ref: str) -> list[Paragraph]:
        """Paragraphs whose ref is `ref` or ends with `:ref`, in any case (`S1.1.1.B.P1` works without the doc)."""
        ref = ref.strip()
        if ref in self.by_ref:
            return [self.by_ref[ref]]
        low = ref.lower()
        return [p for p in self.paragraphs if p.ref.lower() == low or p.ref.split(":", 1)[-1].lower() == low]

    def section(self, ref: str) -> list[Paragraph]:
        """The records of the section `ref` (`s2`, `crs-r46991:s3.1`, any case): its heading and all under it."""
        low = ref.strip().lower()
        doc, _, code = low.rpartition(":")
        return [p for p in self.paragraphs if (not doc or p.doc.lower() == doc) and in_section(p.ref, code)]

    def doc_names(self, doc: str) -> tuple[str, ...]:
        """What a user may type for a document (lower case): its id, and each of its files with or
        without folder and extension (`pdf/R48914.2.pdf`, `R48914.2.pdf`, `r48914.2`)."""
        files = [n.lower() for n, f in self.manifest.get("files", {}).items() if f.get("doc") == doc]
        files += [n.rsplit("/", 1)[-1] for n in files]
        return (doc.lower(), *files, *(n.rsplit(".", 1)[0] for n in files))


def in_section(ref: str, code: str) -> bool:
    """Is the record `ref` (`doc:s3.1.p2`) the heading of section `code` (`s3.1`, lower case) or under it?"""
    local = ref.split(":", 1)[-1].lower()
    return local == f"{code}.h" or local.startswith(code + ".")


def _lines(path: Path) -> list[bytes]:
    return [line for line in path.read_bytes().split(b"\n") if line.strip()]


def _chunk(data: dict) -> Chunk:
    return Chunk(**data)


def _pointer(index_dir: Path) -> str | None:
    try:
        return (index_dir / "CURRENT").read_bytes().decode("utf-8", "replace").strip()
    except OSError:
        return None
