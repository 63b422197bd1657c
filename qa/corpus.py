"""Find the documents in a corpus folder, read them safely, and parse them into paragraphs.

Reading never stops the run for one bad file: undecodable bytes fall back to other encodings
with a warning, binary, empty, oversized or unreadable files are skipped with a warning.
"""

from __future__ import annotations

import hashlib
import os
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from qa import config
from qa.errors import CorpusError
from qa.parse import doc_id, parse_document
from qa.records import Paragraph

Warn = Callable[[str], None]


def warn_stderr(message: str) -> None:
    print(f"warning: {message}", file=sys.stderr)


@dataclass(frozen=True)
class SourceFile:
    """A corpus file and the hash of its bytes (the manifest compares hashes to see changes)."""

    path: Path
    name: str
    sha256: str


@dataclass
class Document:
    name: str
    doc: str
    sha256: str
    paragraphs: list[Paragraph]


def list_files(corpus_dir: Path, warn: Warn = warn_stderr) -> list[SourceFile]:
    """Every supported file below `corpus_dir`, sorted, following no symlink loops."""
    if not corpus_dir.exists():
        raise CorpusError(f"corpus folder not found: {corpus_dir} (set QA_CORPUS_DIR or pass --corpus)")
    if not corpus_dir.is_dir():
        raise CorpusError(f"corpus path is not a folder: {corpus_dir}")
    files: list[SourceFile] = []
    for path in sorted(_walk(corpus_dir, warn)):
        if path.suffix.lower() not in config.CORPUS_SUFFIXES:
            continue
        try:
            size = path.stat().st_size
            if size > config.MAX_FILE_BYTES:
                warn(f"skipping {path.name}: {size // 1_000_000} MB is over the {config.MAX_FILE_BYTES // 1_000_000} MB limit")
                continue
            digest = hashlib.sha256(path.read_bytes()).hexdigest()
        except OSError as err:
            warn(f"skipping {path.name}: cannot read it ({err.strerror or err})")
            continue
        files.append(SourceFile(path, path.relative_to(corpus_dir).as_posix(), digest))
    return files


def _walk(root: Path, warn: Warn) -> Iterator[Path]:
    seen: set[tuple[int, int]] = set()
    for folder, dirs, names in os.walk(root, followlinks=True, onerror=lambda e: warn(f"cannot list {e.filename}: {e.strerror}")):
        try:
            st = os.stat(folder)
        except OSError:
            dirs[:] = []
            continue
        if (st.st_dev, st.st_ino) in seen:
            warn(f"skipping {folder}: symlink loop")
            dirs[:] = []
            continue
        seen.add((st.st_dev, st.st_ino))
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in names:
            if not name.startswith("."):
                yield Path(folder) / name


def decode(data: bytes, name: str, warn: Warn = warn_stderr) -> str | None:
    """UTF-8 first; else Shift-JIS or cp1252 when they decode cleanly; else UTF-8 with replacements."""
    if b"\x00" in data[:8192]:
        warn(f"skipping {name}: looks binary")
        return None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    for encoding in ("cp932", "cp1252"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        warn(f"{name} is not UTF-8; read it as {encoding}")
        return text
    warn(f"{name} is not UTF-8; undecodable bytes were replaced")
    return data.decode("utf-8", errors="replace")


def read_document(source: SourceFile, warn: Warn = warn_stderr) -> Document | None:
    """Parse one file into a Document, or None (with a warning) when it holds no text."""
    try:
        if source.path.suffix.lower() == ".pdf":
            from qa.parse.pdf import parse_pdf

            paragraphs = parse_pdf(doc_id(source.name), source.path)
        else:
            text = decode(source.path.read_bytes(), source.name, warn)
            if text is None:
                return None
            paragraphs = parse_document(source.name, text)
    except OSError as err:
        warn(f"skipping {source.name}: cannot read it ({err.strerror or err})")
        return None
    except ValueError as err:
        warn(f"skipping {source.name}: {err}")
        return None
    if not paragraphs:
        warn(f"skipping {source.name}: no text in it")
        return None
    return Document(source.name, doc_id(source.name), source.sha256, paragraphs)


def load_corpus(corpus_dir: Path, warn: Warn = warn_stderr) -> list[Document]:
    """All readable documents; raises CorpusError when there are none."""
    files = list_files(corpus_dir, warn)
    documents = [d for d in (read_document(f, warn) for f in files) if d is not None]
    if not documents:
        raise CorpusError(
            f"no readable documents in {corpus_dir} (add .txt, .md or .pdf files)"
        )
    ids: dict[str, str] = {}
    for document in documents:
        if document.doc in ids:
            raise CorpusError(f"{document.name} and {ids[document.doc]} would share the id '{document.doc}'; rename one")
        ids[document.doc] = document.name
    return documents
