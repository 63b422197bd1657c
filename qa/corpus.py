"""Find the documents in a corpus folder, read them safely, and parse them into paragraphs.

Reading never stops the run for one bad file: undecodable bytes fall back to other encodings
with a warning; binary, empty, oversized, unreadable or special files (pipes, devices, broken or
looping links) are skipped with a warning. Oversized files are skipped on their size alone, before
a byte is read, and hashing streams the file, so a huge file never sits in memory.
"""

from __future__ import annotations

import errno
import hashlib
import os
import stat
import sys
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from qa import config
from qa.errors import CorpusError
from qa.ingest.formats import doc_id, parse_document
from qa.records import Paragraph

Warn = Callable[[str], None]

MB = 1 << 20
READ_BLOCK = MB
# A decoded text with more than this share of control or replacement characters is not text.
MAX_JUNK_SHARE = 0.10


def warn_stderr(message: str) -> None:
    print(f"warning: {message}", file=sys.stderr)


def warn_none(_message: str) -> None:
    """A Warn that says nothing (for checks that run before every question)."""


@dataclass(frozen=True)
class SourceFile:
    """A corpus file and the hash of its bytes (the manifest compares hashes to see changes)."""

    path: Path
    name: str
    sha256: str


@dataclass
class Scan:
    """What a corpus folder holds: hashed files, and files that exist but could not be read now.

    A build keeps the indexed copy of an unreadable file (a permission slip should not silently
    drop a document from the index); a file that is gone, oversized or not a regular file is not kept.
    """

    files: list[SourceFile] = field(default_factory=list)
    unreadable: list[str] = field(default_factory=list)


@dataclass
class Document:
    name: str
    doc: str
    sha256: str
    paragraphs: list[Paragraph]
    # The file's opening lines as written, metadata and navigation included (text formats only):
    # qa.editions reads a report's number, version and date there when no paragraph carries them.
    head: str = ""


def scan(corpus_dir: Path, warn: Warn = warn_stderr) -> Scan:
    """Every supported file below `corpus_dir`, sorted, following no symlink loops."""
    if not corpus_dir.exists():
        raise CorpusError(f"corpus folder not found: {corpus_dir} (set QA_CORPUS_DIR or pass --corpus)")
    if not corpus_dir.is_dir():
        raise CorpusError(f"corpus path is not a folder: {corpus_dir}")
    if not os.access(corpus_dir, os.R_OK | os.X_OK):
        raise CorpusError(f"cannot list the corpus folder {corpus_dir}: permission denied")
    result = Scan()
    for path in sorted(_walk(corpus_dir, warn)):
        if path.suffix.lower() not in config.CORPUS_SUFFIXES:
            continue
        name = path.relative_to(corpus_dir).as_posix()
        try:
            st = path.stat()
        except OSError as err:
            if err.errno == errno.ELOOP:
                reason = "symlink loop"
            else:
                reason = "broken link" if path.is_symlink() else (err.strerror or str(err))
            warn(f"skipping {name}: {reason}")
            continue
        if not stat.S_ISREG(st.st_mode):
            warn(f"skipping {name}: not a regular file")
            continue
        if st.st_size > config.MAX_FILE_BYTES:
            warn(f"skipping {name}: {st.st_size / MB:.0f} MB is over the {config.MAX_FILE_BYTES / MB:.0f} MB limit")
            continue
        try:
            digest = _sha256(path)
        except OSError as err:
            warn(f"cannot read {name} ({err.strerror or err})")
            result.unreadable.append(name)
            continue
        result.files.append(SourceFile(path, name, digest))
    return result


def list_files(corpus_dir: Path, warn: Warn = warn_stderr) -> list[SourceFile]:
    return scan(corpus_dir, warn).files


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while block := handle.read(READ_BLOCK):
            digest.update(block)
    return digest.hexdigest()


def _walk(root: Path, warn: Warn) -> Iterator[Path]:
    seen: set[tuple[int, int]] = set()
    def onerror(err: OSError) -> None:
        warn(f"cannot list {err.filename}: {err.strerror}")

    for folder, dirs, names in os.walk(root, followlinks=True, onerror=onerror):
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


def _junk_share(text: str) -> float:
    if not text:
        return 0.0
    junk = sum(1 for c in text if c == "\ufffd" or (unicodedata.category(c) == "Cc" and c not in "\t\n\r\f\v"))
    return junk / len(text)


def _looks_japanese(text: str) -> bool:
    """Kana or CJK punctuation make up a fair share of the non-ASCII characters."""
    wide = [c for c in text if ord(c) > 0x7F]
    if not wide:
        return False
    kana = sum(1 for c in wide if "\u3000" <= c <= "\u30ff" or "\uff00" <= c <= "\uffef")
    return kana >= 0.2 * len(wide)


def decode(data: bytes, name: str, warn: Warn = warn_stderr) -> str | None:
    """UTF-8 (or UTF-16 with a BOM) first; else Shift-JIS when it reads as Japanese, else cp1252;
    else UTF-8 with replacements. None (with a warning) when the bytes are not text."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            pass
    if b"\x00" in data[:8192]:
        warn(f"skipping {name}: looks binary")
        return None
    text: str | None = None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        candidates = {}
        for encoding in ("cp932", "cp1252"):
            try:
                candidates[encoding] = data.decode(encoding)
            except UnicodeDecodeError:
                continue
        if "cp932" in candidates and (_looks_japanese(candidates["cp932"]) or "cp1252" not in candidates):
            encoding = "cp932"
        elif "cp1252" in candidates:
            encoding = "cp1252"
        else:
            encoding = ""
        if encoding:
            text = candidates[encoding]
            if _junk_share(text) <= MAX_JUNK_SHARE:
                warn(f"{name} is not UTF-8; read it as {'Shift-JIS' if encoding == 'cp932' else encoding}")
                return text
        text = data.decode("utf-8", errors="replace")
        if _junk_share(text) <= MAX_JUNK_SHARE:
            warn(f"{name} is not UTF-8; undecodable bytes were replaced")
            return text
        warn(f"skipping {name}: looks binary")
        return None
    if _junk_share(text) > MAX_JUNK_SHARE:
        warn(f"skipping {name}: looks binary")
        return None
    return text


HEAD_CHARS = 3000


def read_document(source: SourceFile, warn: Warn = warn_stderr) -> Document | None:
    """Parse one file into a Document, or None (with a warning) when it holds no usable text."""
    try:
        head = ""
        if source.path.suffix.lower() == ".pdf":
            try:
                from qa.ingest.pdf import parse_pdf
            except ImportError as err:
                warn(f"skipping {source.name}: PDF support is not available ({err})")
                return None
            paragraphs = parse_pdf(doc_id(source.name), source.path)
        elif source.path.suffix.lower() == ".docx":
            from qa.ingest.docx import parse_docx

            paragraphs = parse_docx(doc_id(source.name), source.path)
        else:
            with open(source.path, "rb") as handle:
                data = handle.read(config.MAX_FILE_BYTES + 1)
            if len(data) > config.MAX_FILE_BYTES:
                warn(f"skipping {source.name}: it grew over the {config.MAX_FILE_BYTES / MB:.0f} MB limit")
                return None
            text = decode(data, source.name, warn)
            if text is None:
                return None
            paragraphs = parse_document(source.name, text)
            head = text[:HEAD_CHARS]
    except OSError as err:
        warn(f"skipping {source.name}: cannot read it ({err.strerror or err})")
        return None
    except Exception as err:  # one malformed file must not stop the build (PDF and Word readers raise many kinds)
        warn(f"skipping {source.name}: cannot parse it ({type(err).__name__}: {err})")
        return None
    if not paragraphs:
        warn(f"skipping {source.name}: no text in it")
        return None
    return Document(source.name, doc_id(source.name), source.sha256, paragraphs, head)


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
            other = ids[document.doc]
            raise CorpusError(f"{document.name} and {other} would share the id '{document.doc}'; rename one")
        ids[document.doc] = document.name
    return documents
