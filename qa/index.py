"""Build or refresh the index from the corpus: parse, chunk, embed, store; never leave it half-built.

A build holds a lock, writes a complete new generation in a temporary folder (copying the previous
Chroma store, so unchanged files are not re-embedded), and only then swaps the `CURRENT` pointer.
A killed build leaves at worst a stray temporary folder, which the next build removes.
"""

from __future__ import annotations

import fcntl
import json
import os
import shutil
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from qa import __version__, config
from qa.corpus import Document, SourceFile, Warn, list_files, read_document, warn_stderr
from qa.errors import CorpusError, IndexCorrupt, IndexLocked, QAError
from qa.progress import Progress
from qa.records import Chunk, Paragraph
from qa.store import current_generation, read_manifest

KEEP_OLD_GENERATIONS = 1


@dataclass
class BuildReport:
    added: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    embedded: int = 0
    paragraphs: int = 0
    chunks: int = 0
    seconds: float = 0.0
    built: bool = False

    def summary(self) -> str:
        counts = f"{len(self.added)} added, {len(self.changed)} changed, {len(self.removed)} removed, {len(self.unchanged)} unchanged"
        if not self.built:
            return f"index is up to date ({counts})"
        return f"{counts}; {self.paragraphs} paragraphs, {self.chunks} chunks, {self.embedded} embedded in {self.seconds:.1f} s"


@contextmanager
def build_lock(index_dir: Path, wait: bool, progress: Progress) -> Iterator[None]:
    index_dir.mkdir(parents=True, exist_ok=True)
    handle = open(index_dir / ".lock", "a+")
    try:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            if not wait:
                raise IndexLocked(f"another `qa index` is building {index_dir}; try again when it finishes") from None
            progress.say(f"waiting for another `qa index` to finish with {index_dir} …")
            fcntl.flock(handle, fcntl.LOCK_EX)
        yield
    finally:
        handle.close()


def plan(files: list[SourceFile], previous: dict | None) -> BuildReport:
    old = (previous or {}).get("files", {})
    report = BuildReport()
    for source in files:
        if source.name not in old:
            report.added.append(source.name)
        elif old[source.name]["sha256"] != source.sha256:
            report.changed.append(source.name)
        else:
            report.unchanged.append(source.name)
    names = {s.name for s in files}
    report.removed = sorted(n for n in old if n not in names)
    return report


def previous_manifest(index_dir: Path, rebuild: bool) -> tuple[Path | None, dict | None]:
    if rebuild:
        return None, None
    try:
        folder = current_generation(index_dir)
        return (folder, read_manifest(folder)) if folder else (None, None)
    except IndexCorrupt:
        return None, None


def is_stale(corpus_dir: Path, index_dir: Path) -> bool:
    """True when there is no usable index or the corpus files differ from the ones it was built from."""
    _, manifest = previous_manifest(index_dir, rebuild=False)
    if manifest is None:
        return True
    report = plan(list_files(corpus_dir, warn=lambda _m: None), manifest)
    return bool(report.added or report.changed or report.removed) or manifest.get("skipped", []) != []


def build_index(
    corpus_dir: Path,
    index_dir: Path,
    rebuild: bool = False,
    wait: bool = True,
    progress: Progress | None = None,
    warn: Warn = warn_stderr,
    chroma_url: str | None = None,
) -> BuildReport:
    """Bring the index in line with the corpus; returns what was added, changed, removed."""
    progress = progress or Progress()
    started = time.perf_counter()
    with build_lock(index_dir, wait, progress):
        _remove_stray_builds(index_dir)
        old_folder, old_manifest = previous_manifest(index_dir, rebuild)
        files = list_files(corpus_dir, warn)
        if not files:
            raise CorpusError(f"no .txt, .md or .pdf files in {corpus_dir}")
        report = plan(files, old_manifest)
        if old_manifest and not (report.added or report.changed or report.removed) and not chroma_url:
            return report
        documents: list[Document] = []
        skipped: list[str] = []
        old_docs = _old_documents(old_folder, old_manifest, report.unchanged) if old_folder else {}
        for source in files:
            if source.name in old_docs:
                documents.append(old_docs[source.name])
                continue
            document = read_document(source, warn)
            if document is None:
                skipped.append(source.name)
            else:
                documents.append(document)
        if not documents:
            raise CorpusError(f"no readable documents in {corpus_dir} (add .txt, .md or .pdf files)")
        _check_ids(documents)
        report.paragraphs = sum(len(d.paragraphs) for d in documents)
        tmp = index_dir / f".tmp-gen-{os.getpid()}-{int(time.time() * 1000)}"
        tmp.mkdir(parents=True)
        try:
            _write_generation(tmp, documents, files, skipped, old_folder, old_manifest, report, progress, chroma_url)
            final = index_dir / tmp.name.replace(".tmp-gen-", "gen-")
            os.replace(tmp, final)
            _swap_current(index_dir, final.name)
        except BaseException:
            shutil.rmtree(tmp, ignore_errors=True)
            raise
        _remove_old_generations(index_dir, keep={final.name, old_folder.name if old_folder else ""})
    report.built = True
    report.seconds = time.perf_counter() - started
    return report


def _check_ids(documents: list[Document]) -> None:
    seen: dict[str, str] = {}
    for document in documents:
        if document.doc in seen:
            raise CorpusError(f"{document.name} and {seen[document.doc]} would share the id '{document.doc}'; rename one")
        seen[document.doc] = document.name


def _old_documents(folder: Path, manifest: dict | None, names: list[str]) -> dict[str, Document]:
    """Reuse the parsed paragraphs of unchanged files from the previous generation."""
    if not manifest:
        return {}
    by_doc: dict[str, list[Paragraph]] = {}
    with open(folder / "paragraphs.jsonl", encoding="utf-8") as handle:
        for line in handle:
            p = Paragraph.from_dict(json.loads(line))
            by_doc.setdefault(p.doc, []).append(p)
    out = {}
    for name in names:
        entry = manifest["files"][name]
        out[name] = Document(name, entry["doc"], entry["sha256"], by_doc.get(entry["doc"], []))
    return out


def _write_generation(
    folder: Path,
    documents: list[Document],
    files: list[SourceFile],
    skipped: list[str],
    old_folder: Path | None,
    old_manifest: dict | None,
    report: BuildReport,
    progress: Progress,
    chroma_url: str | None,
) -> None:
    from qa.acronyms import AcronymTable, learn
    from qa.chunk import chunk_paragraphs
    from qa.embed import TokenCounter
    from qa.lexical import BM25

    count = TokenCounter()
    paragraphs = [p for d in documents for p in d.paragraphs]
    chunks = chunk_paragraphs(paragraphs, count)
    report.chunks = len(chunks)
    old_vectors = _old_vectors(old_folder) if old_folder else {}
    fresh_docs = {d.doc for d in documents if d.name in set(report.added) | set(report.changed)} if old_manifest else {d.doc for d in documents}
    to_embed = [c for c in chunks if c.doc in fresh_docs or c.id not in old_vectors]
    vectors = np.zeros((len(chunks), 384), dtype=np.float32)
    if to_embed:
        progress.say(f"embedding {len(to_embed)} chunks with {config.MODEL_NAME} …")
        new_vectors = _embed(to_embed, progress)
        fresh = {c.id: v for c, v in zip(to_embed, new_vectors)}
    else:
        fresh = {}
    for row, chunk in enumerate(chunks):
        vectors[row] = fresh[chunk.id] if chunk.id in fresh else old_vectors[chunk.id]
    report.embedded = len(to_embed)

    from qa.chroma import write_chroma

    removed_docs = [
        old_manifest["files"][name]["doc"] for name in report.removed + report.changed
    ] if old_manifest else []
    write_chroma(
        folder / "chroma", old_folder / "chroma" if old_folder and old_manifest else None,
        [c for c in chunks if c.id in fresh], vectors_for=fresh, paragraphs={p.ref: p for p in paragraphs},
        removed_docs=removed_docs, chroma_url=chroma_url,
    )
    with open(folder / "paragraphs.jsonl", "w", encoding="utf-8") as handle:
        for p in paragraphs:
            handle.write(json.dumps(p.to_dict(), ensure_ascii=False) + "\n")
    with open(folder / "chunks.jsonl", "w", encoding="utf-8") as handle:
        for c in chunks:
            handle.write(json.dumps(c.__dict__, ensure_ascii=False) + "\n")
    np.save(folder / "vectors.npy", vectors)
    by_ref = {p.ref: p for p in paragraphs}
    BM25.build([lexical_text(c, by_ref[c.ref]) for c in chunks]).save(folder)
    table = AcronymTable(learn(paragraphs))
    (folder / "acronyms.json").write_text(json.dumps(table.to_json(), ensure_ascii=False, indent=0), encoding="utf-8")
    manifest = {
        "format": config.INDEX_FORMAT,
        "qa_version": __version__,
        "model": config.MODEL_NAME,
        "chunk_version": config.CHUNK_VERSION,
        "collection": config.collection_name(),
        "chroma_url": chroma_url,
        "created": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "files": {
            d.name: {"sha256": d.sha256, "doc": d.doc, "paragraphs": len(d.paragraphs)} for d in documents
        },
        "skipped": skipped,
        "last_build": {
            "added": report.added, "changed": report.changed, "removed": report.removed,
            "unchanged": report.unchanged, "embedded": report.embedded,
        },
    }
    (folder / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=1), encoding="utf-8")
    _fsync_tree(folder)


def lexical_text(chunk: Chunk, paragraph: Paragraph) -> str:
    """What BM25 indexes for a chunk: its text and every heading above it."""
    return " ".join([*paragraph.section, chunk.text])


def _embed(chunks: list[Chunk], progress: Progress) -> np.ndarray:
    from qa.embed import SentenceEncoder

    encoder = SentenceEncoder()
    batch = config.EMBED_BATCH_SIZE
    order = sorted(range(len(chunks)), key=lambda i: len(chunks[i].embed_text))
    out = np.zeros((len(chunks), 384), dtype=np.float32)
    starts = range(0, len(order), batch)
    for start in progress.bar(starts, total=len(starts), label=f"embedding (batches of {batch})", unit="batch"):
        rows = order[start : start + batch]
        out[rows] = encoder.encode([chunks[i].embed_text for i in rows], batch_size=batch)
    return out


def _old_vectors(folder: Path) -> dict[str, np.ndarray]:
    try:
        ids = [json.loads(line)["id"] for line in open(folder / "chunks.jsonl", encoding="utf-8") if line.strip()]
        vectors = np.load(folder / "vectors.npy")
    except (OSError, ValueError, KeyError):
        return {}
    if len(ids) != len(vectors):
        return {}
    return dict(zip(ids, vectors))


def _swap_current(index_dir: Path, name: str) -> None:
    tmp = index_dir / f".CURRENT.{os.getpid()}"
    with open(tmp, "w", encoding="utf-8") as handle:
        handle.write(name + "\n")
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(tmp, index_dir / "CURRENT")
    _fsync_dir(index_dir)


def _remove_stray_builds(index_dir: Path) -> None:
    for path in index_dir.glob(".tmp-gen-*"):
        shutil.rmtree(path, ignore_errors=True)
    for path in index_dir.glob(".CURRENT.*"):
        path.unlink(missing_ok=True)


def _remove_old_generations(index_dir: Path, keep: set[str]) -> None:
    """Keep the live generation and the one before it (a running `ask` may still be reading it)."""
    for path in sorted(index_dir.glob("gen-*")):
        if path.name not in keep:
            shutil.rmtree(path, ignore_errors=True)


def _fsync_tree(folder: Path) -> None:
    for path in folder.rglob("*"):
        if path.is_file():
            try:
                fd = os.open(path, os.O_RDONLY)
                os.fsync(fd)
                os.close(fd)
            except OSError:
                pass
    _fsync_dir(folder)


def _fsync_dir(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
        os.fsync(fd)
        os.close(fd)
    except OSError:
        pass


def index_status(index_dir: Path) -> dict:
    folder = current_generation(index_dir)
    if folder is None:
        raise QAError(f"no index in {index_dir} yet; run `qa index`")
    return read_manifest(folder)
