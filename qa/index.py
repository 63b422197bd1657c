"""Build or refresh the index from the corpus: parse, chunk, embed, store; never leave it half-built.

A build holds a lock (`index/.lock`, fcntl: a second `qa index` waits, or exits with --no-wait),
writes a complete new generation in a temporary folder (reusing the vectors of unchanged files, so
only added and changed files are embedded), and only then swaps the `CURRENT` pointer. A killed
build leaves at worst a stray temporary folder, which the next build removes. In server mode the
generation is also published to the Chroma server before the local swap (see qa.chroma).
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

from qa import __version__, config, editions
from qa.corpus import Document, Scan, Warn, scan, warn_none, warn_stderr
from qa.editions import split_duplicates
from qa.embed import EmbedJob
from qa.embedjobs import Vectors, embed_jobs, sentence_groups
from qa.errors import CorpusError, IndexCorrupt, IndexLocked, IndexMissing, QAError
from qa.progress import Progress
from qa.records import Chunk, Paragraph
from qa.store import REBUILD_HINT, current_generation, file_sizes, open_generation, read_manifest, verify_generation


@dataclass
class BuildReport:
    added: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)
    # Files that hold nothing to index (empty, binary …), whether found so now or skipped before with
    # the same bytes; they may also sit in `added`, `changed` or `unchanged`, which drive the build.
    skipped: list[str] = field(default_factory=list)
    duplicates: dict[str, str] = field(default_factory=dict)
    embedded: int = 0
    sentences_embedded: int = 0
    documents: int = 0
    paragraphs: int = 0  # records that are not headings (see qa.counts)
    sections: int = 0  # heading records: each opens a section
    chunks: int = 0
    seconds: float = 0.0
    built: bool = False

    def summary(self) -> str:
        """`1 added, 0 changed, 0 removed, 0 unchanged, 4 skipped; 1 document, 94 paragraphs …`: each
        file is counted once, a skipped one only as skipped."""
        skipped = set(self.skipped)
        added, changed, unchanged = ([n for n in names if n not in skipped]
                                     for names in (self.added, self.changed, self.unchanged))
        counts = (
            f"{len(added)} added, {len(changed)} changed, {len(self.removed)} removed, "
            f"{len(unchanged)} unchanged, {len(skipped)} skipped"
        )
        if not self.built:
            return f"index is up to date ({counts})"
        from qa.counts import Counts, plural

        sizes = Counts(self.documents, self.paragraphs, self.sections, self.chunks)
        embedded = f"embedded {plural(self.embedded, 'chunk')} and {plural(self.sentences_embedded, 'sentence')}"
        if self.duplicates:
            n = len(self.duplicates)
            counts += f" ({n} byte-identical cop{'ies' if n > 1 else 'y'} indexed once)"
        return f"{counts}; {sizes}; {embedded} in {self.seconds:.1f} s"


@contextmanager
def build_lock(index_dir: Path, wait: bool, progress: Progress) -> Iterator[None]:
    created = not index_dir.exists()
    try:
        index_dir.mkdir(parents=True, exist_ok=True)
        handle = open(index_dir / ".lock", "a+")
    except OSError as err:
        raise QAError(f"cannot use {index_dir} as the index folder ({err.strerror or err})") from err
    try:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            if not wait:
                raise IndexLocked(f"another `qa index` is building {index_dir}; try again when it finishes") from None
            progress.say(f"waiting for another `qa index` to finish with {index_dir} …")
            fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        except BaseException:
            if created:  # a first build that failed leaves no folder holding only `.lock` behind
                _remove_if_unbuilt(index_dir)
            raise
    finally:
        handle.close()


def _remove_if_unbuilt(index_dir: Path) -> None:
    """Remove an index folder that never got a generation (call with the lock held)."""
    if not (index_dir / "CURRENT").exists() and not any(index_dir.glob("gen-*")):
        shutil.rmtree(index_dir, ignore_errors=True)


def plan(found: Scan, previous: dict | None) -> BuildReport:
    """Compare the corpus with the previous manifest: which files are added, changed, removed, unchanged.

    A file skipped last time (empty, binary …) with the same bytes counts as unchanged, so it is not
    read again on every `ask`; an indexed file that cannot be read now is kept as it was.
    """
    old = (previous or {}).get("files", {})
    old_skipped = (previous or {}).get("skipped_files", {})
    report = BuildReport()
    for source in found.files:
        if source.name in old:
            (report.unchanged if old[source.name]["sha256"] == source.sha256 else report.changed).append(source.name)
        elif old_skipped.get(source.name) == source.sha256:
            report.unchanged.append(source.name)
            report.skipped.append(source.name)
        else:
            report.added.append(source.name)
    for name in found.unreadable:
        if name in old:
            report.unchanged.append(name)
            report.kept.append(name)
    present = {s.name for s in found.files} | set(found.unreadable)
    report.removed = sorted(n for n in old if n not in present)
    return report


def previous_manifest(index_dir: Path, rebuild: bool) -> tuple[Path | None, dict | None]:
    """The live generation and its manifest (checked), or (None, None) for a rebuild or a first build.

    A damaged or foreign index raises IndexCorrupt naming `qa index --rebuild`: a refresh never
    silently starts over, and never builds on top of damaged files.
    """
    if rebuild:
        return None, None
    opened = open_generation(index_dir)
    return opened if opened else (None, None)


def is_stale(corpus_dir: Path, index_dir: Path, warn: Warn = warn_stderr) -> bool:
    """True when there is no index or the corpus files differ from the ones it was built from.

    A missing or empty corpus folder does not make an existing index stale: `ask` answers from it
    (with a warning) rather than fail or throw indexed data away. Raises IndexCorrupt.
    """
    _, manifest = previous_manifest(index_dir, rebuild=False)
    try:
        found = scan(corpus_dir, warn=warn_none)
    except CorpusError as err:
        if manifest is None:
            raise
        warn(f"{err}; answering from the existing index")
        return False
    if not found.files and not found.unreadable:
        if manifest is None:
            raise CorpusError(f"no .txt, .md or .pdf files in {corpus_dir}")
        warn(f"no .txt, .md or .pdf files in {corpus_dir}; answering from the existing index")
        return False
    if manifest is None:
        return True
    found, duplicates = deduplicate(found, manifest)
    report = plan(found, manifest)
    report.duplicates = duplicates
    return _differs(report, manifest)


def _differs(report: BuildReport, manifest: dict) -> bool:
    """Files were added, changed or removed, or byte-identical copies came or went."""
    return bool(report.added or report.changed or report.removed) or report.duplicates != manifest.get(
        "duplicates", {}
    )


def deduplicate(found: Scan, manifest: dict | None) -> tuple[Scan, dict[str, str]]:
    """Drop byte-identical copies from a scan: {copy: the file indexed in its place}.

    The file kept is one already indexed if there is one (so adding a copy changes nothing), else
    the first by name.
    """
    indexed = set((manifest or {}).get("files", {}))
    ordered = sorted(found.files, key=lambda f: (f.name not in indexed, f.name))
    unique, duplicates = split_duplicates(ordered)
    kept = {f.name for f in unique}
    return Scan([f for f in found.files if f.name in kept], found.unreadable), duplicates


def build_index(
    corpus_dir: Path,
    index_dir: Path,
    rebuild: bool = False,
    wait: bool = True,
    progress: Progress | None = None,
    warn: Warn = warn_stderr,
    chroma_url: str | None = None,
) -> BuildReport:
    """Bring the index in line with the corpus; returns what was added, changed, removed.

    With `chroma_url` the server's current generation is the starting point (downloaded first, so
    only files changed since the server's build are embedded) and the result is published there.
    """
    progress = progress or Progress()
    started = time.perf_counter()
    with build_lock(index_dir, wait, progress):
        _remove_stray_builds(index_dir)
        server_current = _sync_from_server(chroma_url, index_dir, progress) if chroma_url and not rebuild else None
        old_folder, old_manifest = previous_manifest(index_dir, rebuild)
        found = scan(corpus_dir, warn)
        if not found.files and not found.unreadable:
            kept = "; the index was left as it is" if old_manifest else ""
            raise CorpusError(f"no .txt, .md or .pdf files in {corpus_dir}{kept}")
        found, duplicates = deduplicate(found, old_manifest)
        report = plan(found, old_manifest)
        report.duplicates = duplicates
        for name in report.kept:
            warn(f"keeping the indexed copy of {name} until it can be read again")
        published = not chroma_url or (old_folder is not None and server_current == old_folder.name)
        if old_manifest and not _differs(report, old_manifest) and published:
            return report
        documents: list[Document] = []
        skipped: dict[str, str] = {}
        reuse = set(report.unchanged) | set(report.kept)
        old_paragraphs = _old_paragraphs(old_folder) if old_folder and old_manifest else []
        old_docs = _old_documents(old_paragraphs, old_manifest, reuse) if old_manifest else {}
        known_skipped = (old_manifest or {}).get("skipped_files", {})
        to_parse = [
            source for source in found.files
            if source.name not in old_docs
            and not (source.name in reuse and known_skipped.get(source.name) == source.sha256)
        ]
        old_chunks = _old_chunks(old_folder) if old_folder and old_manifest else []
        # Every text embedded before, with its vector: a text keeps its vector (the model is
        # deterministic), so a changed file re-embeds only its new or edited chunks and sentences.
        known = _old_texts(old_folder, old_chunks, old_paragraphs) if old_folder and old_manifest else Vectors()
        in_workers = False
        if to_parse:
            progress.say(f"parsing {len(to_parse)} file{'s' if len(to_parse) != 1 else ''} and embedding their new "
                         f"text with {config.MODEL_NAME} …")
            from qa.parallel import parse_and_embed

            bar = progress.counter(total=None, label="embedding", unit="text")
            try:
                results, fresh = parse_and_embed(to_parse, known.needs, _jobs_of, warn, done=bar.advance)
            finally:
                bar.close()
            # Workers finish in no fixed order, and a sentence two chunks hold keeps the first vector
            # added: add in text order, so every build of the same files gives the same vectors.
            for job, got in sorted(fresh, key=lambda pair: (pair[0].text, pair[0].chunk)):
                known.add(job, got)
            in_workers = bool(fresh)
        else:
            results = []
        parsed = dict(zip((s.name for s in to_parse), results, strict=True))
        fresh_chunks: dict[str, list[Chunk]] = {}
        for source in found.files:
            if source.name in old_docs:
                documents.append(old_docs[source.name])
            elif source.name not in parsed or parsed[source.name][0] is None:
                skipped[source.name] = source.sha256
            else:
                document, chunks = parsed[source.name]
                documents.append(document)
                fresh_chunks[document.doc] = chunks
        documents += [old_docs[name] for name in report.kept if name in old_docs]
        if not documents:
            kept = "; the index was left as it is" if old_manifest else ""
            raise CorpusError(f"no readable documents in {corpus_dir} (add .txt, .md or .pdf files){kept}")
        _check_ids(documents)
        report.skipped = sorted(skipped)
        report.documents = len(documents)
        report.sections = sum(p.kind == "heading" for d in documents for p in d.paragraphs)
        report.paragraphs = sum(len(d.paragraphs) for d in documents) - report.sections
        name = f"gen-{os.getpid()}-{int(time.time() * 1000)}"
        tmp = index_dir / f".tmp-{name}"
        try:
            tmp.mkdir(parents=True)
            _write_generation(
                tmp, name, documents, fresh_chunks, old_chunks, known, in_workers, skipped, old_folder, old_manifest,
                report, progress, chroma_url,
            )
            final = index_dir / name
            os.replace(tmp, final)
            _swap_current(index_dir, final.name)
        except OSError as err:  # disk full, read-only folder …: say so; the live index is untouched
            shutil.rmtree(tmp, ignore_errors=True)
            raise QAError(
                f"could not write the new index in {index_dir} ({err.strerror or err}); the previous index is unchanged"
            ) from err
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
            other = seen[document.doc]
            raise CorpusError(f"{document.name} and {other} would share the id '{document.doc}'; rename one")
        seen[document.doc] = document.name


def _old_paragraphs(folder: Path) -> list[Paragraph]:
    """The paragraphs of the previous generation (read once per build: documents and sentences reuse them)."""
    try:
        with open(folder / "paragraphs.jsonl", encoding="utf-8") as handle:
            return [Paragraph.from_dict(json.loads(line)) for line in handle if line.strip()]
    except (OSError, ValueError, KeyError, TypeError) as err:
        raise IndexCorrupt(f"paragraphs of the previous build in {folder} are damaged; {REBUILD_HINT}") from err


def _old_documents(paragraphs: list[Paragraph], manifest: dict, names: set[str]) -> dict[str, Document]:
    """Reuse the parsed paragraphs of unchanged files from the previous generation."""
    by_doc: dict[str, list[Paragraph]] = {}
    for p in paragraphs:
        by_doc.setdefault(p.doc, []).append(p)
    out = {}
    for name in names:
        entry = manifest["files"].get(name)
        if entry and by_doc.get(entry["doc"]):
            out[name] = Document(name, entry["doc"], entry["sha256"], by_doc[entry["doc"]])
    return out


def _write_generation(
    folder: Path,
    name: str,
    documents: list[Document],
    fresh_chunks: dict[str, list[Chunk]],
    old_chunks: list[dict],
    known: Vectors,
    in_workers: bool,
    skipped: dict[str, str],
    old_folder: Path | None,
    old_manifest: dict | None,
    report: BuildReport,
    progress: Progress,
    chroma_url: str | None,
) -> None:
    """Write a complete generation into `folder`; `known` holds the vectors known so far
    (`in_workers`: some were made by the parse-and-embed pool), and any others needed are embedded here."""
    from qa.acronyms import AcronymTable, learn
    from qa.lexical import BM25

    paragraphs = [p for d in documents for p in d.paragraphs]
    by_ref = {p.ref: p for p in paragraphs}
    chunks = _document_chunks(documents, fresh_chunks, old_chunks)
    report.chunks = len(chunks)
    old_texts = {c["id"]: c.get("embed_text", "") for c in old_chunks}
    fresh_names = set(report.added) | set(report.changed)
    fresh_docs = {d.doc for d in documents if d.name in fresh_names}
    # The answer step compares the question with candidate sentences; their vectors are made here,
    # once, so `ask` never runs the model on more than the question.
    sentences = sentence_groups(paragraphs)
    to_embed = [job for job in embed_jobs(paragraphs, chunks, sentences) if known.needs(job)]  # parsed in-process
    if to_embed:
        progress.say(f"embedding {len(to_embed)} chunks and sentences with {config.MODEL_NAME} …")
        for job, got in zip(to_embed, _embed(to_embed, progress), strict=True):
            known.add(job, got)
    vectors = np.zeros((len(chunks), 384), dtype=np.float32)
    for row, chunk in enumerate(chunks):
        vectors[row] = known.chunks[chunk.embed_text]
    sentence_texts = list(dict.fromkeys(t for group in sentences for t in group))
    report.embedded = len(known.made_chunks & {c.embed_text for c in chunks})
    report.sentences_embedded = len(known.made_sentences & set(sentence_texts))
    sentence_row = {t: row for row, t in enumerate(sentence_texts)}
    sentence_vectors = np.zeros((len(sentence_texts), 384), dtype=np.float32)
    for row, text in enumerate(sentence_texts):
        sentence_vectors[row] = known.sentences[text]
    by_id = {c.id: vectors[row] for row, c in enumerate(chunks)}
    # Chroma records to (re)write: chunks of added or changed files, and any whose text moved.
    fresh = {
        c.id for c in chunks
        if c.doc in fresh_docs or c.id not in old_texts or old_texts[c.id] != c.embed_text
    }

    if not chroma_url:
        from qa.chroma import write_local

        progress.say("writing the Chroma store …")
        old_files = old_manifest["files"] if old_manifest else {}
        removed_docs = sorted({old_files[n]["doc"] for n in report.removed + report.changed if n in old_files})
        local_before = bool(old_folder and old_manifest and old_manifest.get("mode", "local") == "local")
        old_store = old_folder / "chroma" if local_before else None
        write_local(folder / "chroma", old_store, chunks, by_id, fresh, by_ref, removed_docs)
    with open(folder / "paragraphs.jsonl", "w", encoding="utf-8") as handle:
        for p in paragraphs:
            handle.write(json.dumps(p.to_dict(), ensure_ascii=False) + "\n")
    (folder / "refs.json").write_text(json.dumps([p.ref for p in paragraphs], ensure_ascii=False), encoding="utf-8")
    row_of = {p.ref: row for row, p in enumerate(paragraphs)}
    np.save(folder / "chunk_paragraphs.npy", np.array([row_of[c.ref] for c in chunks], dtype=np.int32))
    with open(folder / "chunks.jsonl", "w", encoding="utf-8") as handle:
        for c in chunks:
            handle.write(json.dumps(c.__dict__, ensure_ascii=False) + "\n")
    np.save(folder / "vectors.npy", vectors)
    np.save(folder / "sentence_vectors.npy", sentence_vectors)
    np.save(folder / "sentence_rows.npy", np.array([sentence_row[t] for g in sentences for t in g], dtype=np.int32))
    np.save(folder / "sentence_starts.npy", np.cumsum([0] + [len(g) for g in sentences], dtype=np.int64))
    from qa.text import acronym_words, common_words, learn_casing, learn_phrases, set_casing, set_protected

    protected = acronym_words(p.text for p in paragraphs)
    set_protected(protected)
    (folder / "protected.json").write_text(json.dumps(protected), encoding="utf-8")
    not_headings = [p.text for p in paragraphs if p.kind != "heading"]
    prose = [p.text for p in paragraphs if p.kind == "body"]
    cased = learn_casing(not_headings, common_words()) | learn_phrases(prose, common_words())
    set_casing(cased)
    (folder / "casing.json").write_text(json.dumps(cased, ensure_ascii=False), encoding="utf-8")
    BM25.build([lexical_text(c, by_ref[c.ref]) for c in chunks]).save(folder)
    table = AcronymTable(learn(paragraphs))
    (folder / "acronyms.json").write_text(json.dumps(table.to_json(), ensure_ascii=False, indent=0), encoding="utf-8")
    found = [_edition(d, old_manifest, fresh_names) for d in documents]
    works = [work for work in editions.group(found) if len(work) > 1]
    manifest = {
        "format": config.INDEX_FORMAT,
        "qa_version": __version__,
        "model": config.MODEL_NAME,
        "chunk_version": config.CHUNK_VERSION,
        "collection": config.collection_name(),
        "generation": name,
        "mode": "server" if chroma_url else "local",
        "chroma_url": chroma_url,
        "created": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "files": {
            d.name: {"sha256": d.sha256, "doc": d.doc, "paragraphs": len(d.paragraphs)} for d in documents
        },
        "skipped": sorted(skipped),
        "skipped_files": skipped,
        "duplicates": report.duplicates,
        # Each document's edition (title, number, version, date) and the works with several, newest first.
        "editions": {e.doc: e.to_json() for e in found},
        "versions": [[e.doc for e in work] for work in works],
        "last_build": {
            "added": report.added, "changed": report.changed, "removed": report.removed,
            "unchanged": report.unchanged, "kept": report.kept, "embedded": report.embedded,
            "sentences_embedded": report.sentences_embedded,
            # what embedded the new texts: the numpy MiniLM (a few texts), else torch in this precision
            "encoder": _encoder_used(in_workers, to_embed),
            "sentence_vectors": "pooled from their chunk's pass",
        },
        "sizes": file_sizes(folder),
    }
    (folder / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=1), encoding="utf-8")
    _fsync_tree(folder)
    if chroma_url:
        from qa.chroma import publish

        publish(chroma_url, name, folder, chunks, by_id, by_ref, progress)


def lexical_text(chunk: Chunk, paragraph: Paragraph) -> str:
    """What BM25 indexes for a chunk: its text and every heading above it (and a figure's caption)."""
    return " ".join([*paragraph.section[:-1], chunk.embed_text])


# A refresh that embeds at most this many texts uses the numpy MiniLM (what `ask` uses; the same
# vectors to ~1e-6) and skips importing torch (~6-9 s on 2 cores). The numpy model costs ~0.3-0.5 s
# per 200-token chunk one at a time (bigger batches are slower per text), so only a few pay off.
SMALL_EMBED = 8


def _encoder_used(in_workers: bool, to_embed: list[EmbedJob]) -> str:
    """What embedded the new texts: the numpy MiniLM (a few jobs), else torch in the precision qa.parallel chose."""
    from qa.embed import index_precision

    if in_workers:
        return f"torch-{index_precision(None)}"
    if not to_embed:
        return "none"
    return "numpy-fp32" if len(to_embed) <= SMALL_EMBED else f"torch-{index_precision(len(to_embed))}"


def _embed(jobs: list[EmbedJob], progress: Progress) -> list:
    if len(jobs) <= SMALL_EMBED:
        from qa.embed import MiniLM

        return MiniLM().encode_jobs(jobs, batch_size=1)
    from qa.parallel import embed_all

    bar = progress.counter(total=len(jobs), label="embedding", unit="text")
    try:
        return embed_all(jobs, done=bar.advance)
    finally:
        bar.close()


def _old_chunks(folder: Path) -> list[dict]:
    try:
        with open(folder / "chunks.jsonl", encoding="utf-8") as handle:
            return [json.loads(line) for line in handle if line.strip()]
    except (OSError, ValueError) as err:
        raise IndexCorrupt(f"chunks of the previous build in {folder} are damaged; {REBUILD_HINT}") from err


def _document_chunks(documents: list[Document], fresh: dict[str, list[Chunk]], old: list[dict]) -> list[Chunk]:
    """Chunks in document order: new ones for parsed files, the previous build's for unchanged ones.

    Chunking depends only on a document's own paragraphs (and CHUNK_VERSION, which names the
    collection), so an unchanged file's chunks are taken as they were instead of being cut again.
    """
    from qa.chunk import chunk_paragraphs
    from qa.embed import TokenCounter

    previous: dict[str, list[Chunk]] = {}
    for data in old:
        previous.setdefault(data["doc"], []).append(Chunk(**data))
    out: list[Chunk] = []
    count = None
    for document in documents:
        if document.doc in fresh:
            out += fresh[document.doc]
        elif document.doc in previous:
            out += previous[document.doc]
        else:  # no chunks on record (a build before this one kept none): cut them now
            count = count or TokenCounter()
            out += chunk_paragraphs(document.paragraphs, count)
    return out


def _edition(document: Document, old_manifest: dict | None, fresh: set[str]) -> editions.Edition:
    """A document's edition: read from a parsed file's first page and head, or kept from the last build."""
    known = (old_manifest or {}).get("editions", {}).get(document.doc)
    if document.name not in fresh and known:
        return editions.Edition.from_json(known)
    first_page = editions.first_page_text(document.paragraphs)
    return editions.read_edition(document.name, document.doc, first_page + document.head.splitlines())


def _jobs_of(document: Document, chunks: list[Chunk]) -> list[EmbedJob]:
    """What a document needs embedded: its chunks, with the sentences the answer step compares."""
    return embed_jobs(document.paragraphs, chunks)


def _old_texts(folder: Path, chunks: list[dict], paragraphs: list[Paragraph]) -> Vectors:
    """Every chunk and sentence the previous generation embedded, with its vector."""
    return Vectors(
        chunks={text: vector for text, vector in _old_vectors(folder, chunks).values()},
        sentences=_old_sentence_vectors(folder, paragraphs),
    )


def _old_vectors(folder: Path, chunks: list[dict]) -> dict[str, tuple[str, np.ndarray]]:
    """Vectors of the previous generation by chunk id, with the text they were embedded from."""
    try:
        vectors = np.load(folder / "vectors.npy")
    except (OSError, ValueError, EOFError) as err:
        raise IndexCorrupt(f"vectors of the previous build in {folder} are damaged; {REBUILD_HINT}") from err
    if len(chunks) != len(vectors):
        raise IndexCorrupt(f"vectors of the previous build in {folder} do not match its chunks; {REBUILD_HINT}")
    return {c["id"]: (c.get("embed_text", ""), v) for c, v in zip(chunks, vectors, strict=True)}


def _old_sentence_vectors(folder: Path, paragraphs: list[Paragraph]) -> dict[str, np.ndarray]:
    """Sentence vectors of the previous generation by sentence text."""
    try:
        vectors = np.load(folder / "sentence_vectors.npy")
        rows = np.load(folder / "sentence_rows.npy")
    except (OSError, ValueError, EOFError) as err:
        raise IndexCorrupt(f"sentence vectors of the previous build in {folder} are damaged; {REBUILD_HINT}") from err
    texts = [t for group in sentence_groups(paragraphs) for t in group]
    if len(texts) != len(rows) or (len(rows) and int(rows.max()) >= len(vectors)):
        raise IndexCorrupt(f"sentence vectors of the previous build in {folder} do not match; {REBUILD_HINT}")
    return {text: vectors[row] for text, row in zip(texts, rows, strict=True)}


def _swap_current(index_dir: Path, name: str) -> None:
    tmp = index_dir / f".CURRENT.{os.getpid()}"
    with open(tmp, "w", encoding="utf-8") as handle:
        handle.write(name + "\n")
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(tmp, index_dir / "CURRENT")
    _fsync_dir(index_dir)


def _remove_stray_builds(index_dir: Path) -> None:
    """Remove what killed builds left behind (only called while holding the lock)."""
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
    opened = open_generation(index_dir)
    if opened is None:
        raise QAError(f"no index in {index_dir} yet; run `qa index`")
    return opened[1]


# ------------------------------------------------------------------------------------- server mode


def _local_is(index_dir: Path, generation: str) -> bool:
    """Is `generation` the live local generation, complete and sound?"""
    try:
        opened = open_generation(index_dir)
    except IndexCorrupt:
        return False
    return opened is not None and opened[0].name == generation


def _sync_from_server(url: str, index_dir: Path, progress: Progress) -> str | None:
    """Make the server's current generation the live local one (download it unless already here).

    Call with the build lock held. Returns the server's current generation (None if it has none).
    """
    from qa import chroma

    client = chroma.open_client(url=url)
    current, _ = chroma.server_generation(client)
    if current is None or _local_is(index_dir, current):
        return current
    old = current_generation_name(index_dir)
    final = index_dir / current
    if final.is_dir():
        try:
            verify_generation(final, read_manifest(final))
        except IndexCorrupt:
            shutil.rmtree(final, ignore_errors=True)
    if not final.is_dir():
        progress.say(f"downloading index {current} from the Chroma server at {url} …")
        tmp = index_dir / f".tmp-{current}"
        shutil.rmtree(tmp, ignore_errors=True)
        try:
            chroma.download(url, client, current, tmp)
            try:
                verify_generation(tmp, read_manifest(tmp))
            except IndexCorrupt as err:
                raise IndexCorrupt(
                    f"the index on the Chroma server at {url} cannot be used ({str(err).split('; run')[0]}); "
                    f"run `qa index --rebuild --chroma-url {url}` where the corpus is"
                ) from err
            _fsync_tree(tmp)
            os.replace(tmp, final)
        except BaseException:
            shutil.rmtree(tmp, ignore_errors=True)
            raise
    _swap_current(index_dir, current)
    _remove_old_generations(index_dir, keep={current, old or ""})
    return current


def current_generation_name(index_dir: Path) -> str | None:
    try:
        folder = current_generation(index_dir)
    except IndexCorrupt:
        return None
    return folder.name if folder else None


def pull_snapshot(url: str, index_dir: Path, progress: Progress | None = None) -> str:
    """For `ask --chroma-url`: bring the server's current generation into `index_dir` and pin it.

    Never builds or publishes: in server mode only `qa index` writes to the server.
    """
    from qa import chroma

    progress = progress or Progress()
    client = chroma.open_client(url=url)
    current, _ = chroma.server_generation(client)
    if current is None:
        raise IndexMissing(f"the Chroma server at {url} has no qa index yet; run `qa index --chroma-url {url}`")
    if not _local_is(index_dir, current):
        with build_lock(index_dir, wait=True, progress=progress):
            _remove_stray_builds(index_dir)
            current = _sync_from_server(url, index_dir, progress) or current
    chroma.pin(url, current)
    return current
