"""Parse a PDF with pypdf into the same paragraph records and refs as a text file.

Each page's text is extracted in pypdf's layout mode, which keeps vertical gaps as blank lines, so
blocks of lines separated by a gap are paragraphs. Inside a block a new paragraph also starts after
a line that ends a sentence when the next line is indented, when the line stops well short of the
right margin, or when the next line looks like a heading. Headings are recognised exactly as in
text files — `Section N`, `❶`, `(1)`, `A.` in sequence (qa.parse.whitepaper.match_heading), plus
Markdown `#` headings — and go through qa.parse.outline.Outline, which owns section paths,
paragraph numbers and refs. A paragraph that runs on over a page break stays one paragraph, cited
at the page where it starts. Page numbers are the PDF's page labels when those are plain numbers,
else the physical page (1, 2, …). Bare page numbers and running headers/footers are dropped.

Encrypted (with a password) and unreadable PDFs raise ValueError with a message saying so; the
corpus loader turns that into a warning and skips the file.
"""

from __future__ import annotations

import logging
import re
import statistics
from dataclasses import dataclass
from pathlib import Path

from qa.parse.cleanup import join_lines
from qa.parse.markdown import ATX
from qa.parse.outline import Heading, Outline, ends_sentence
from qa.parse.whitepaper import (
    CAPTION,
    SOURCE,
    URL,
    Pending,
    match_any_heading,
    match_heading,
    title_continues,
)
from qa.records import Paragraph

PAGE_NUMBER = re.compile(r"^(?:page\s+)?[-–—]?\s*\d{1,4}\s*[-–—]?(?:\s*(?:of|/)\s*\d{1,4})?$", re.IGNORECASE)
FIGURE_CAPTION = re.compile(r"^(?:Figure|Fig\.|Table|Chart)\s+\d+(?:[-.]\d+)*\s*[.:–—-]\s*\S")
# A line ending a sentence and stopping short of this share of the page's usual line end ends a paragraph.
SHORT_LINE = 0.7
# A page whose last line reaches this share of the usual line end runs on to the next page.
FULL_LINE = 0.9
# A running header/footer repeats on at least this many pages (and on half of them).
REPEATS = 3


@dataclass
class Block:
    """Lines of one page that belong together (a paragraph, or a heading and what follows it)."""

    page: int
    lines: list[str]
    starts_page: bool = False
    indented: bool = False
    ends_full: bool = False


def parse_pdf(doc: str, path: Path) -> list[Paragraph]:
    """Paragraph records of the PDF at `path`; ValueError when it is encrypted, corrupt or has no text."""
    return parse_pages(doc, read_pages(path))


def read_pages(path: Path) -> list[tuple[int, str]]:
    """(page number, layout text) for every page."""
    from pypdf import PdfReader
    from pypdf.errors import DependencyError

    logging.getLogger("pypdf").setLevel(logging.ERROR)
    try:
        reader = PdfReader(path)
        encrypted = reader.is_encrypted
    except OSError:
        raise
    except Exception as err:  # pypdf raises many kinds on a damaged file; each means "not readable"
        raise ValueError(f"not a readable PDF ({_detail(err)})") from err
    if encrypted:
        try:
            unlocked = reader.decrypt("")
        except DependencyError as err:
            raise ValueError("the PDF is encrypted and decrypting it needs the `cryptography` package") from err
        except Exception as err:
            raise ValueError(f"the PDF is encrypted and cannot be decrypted ({_detail(err)})") from err
        if not unlocked:
            raise ValueError(
                "the PDF is encrypted with a password; save an unencrypted copy (e.g. `qpdf --decrypt IN OUT`)"
            )
    try:
        numbers = page_numbers(reader)
        pages = [(numbers[i], _page_text(page)) for i, page in enumerate(reader.pages)]
    except OSError:
        raise
    except Exception as err:
        raise ValueError(f"not a readable PDF ({_detail(err)})") from err
    if not any(text.strip() for _, text in pages):
        raise ValueError("the PDF has no extractable text (scanned pages? run OCR on it first)")
    return pages


def _detail(err: Exception) -> str:
    text = str(err).strip()
    return f"{type(err).__name__}: {text.splitlines()[0][:120]}" if text else type(err).__name__


def _page_text(page) -> str:
    try:
        return page.extract_text(extraction_mode="layout")
    except Exception:  # layout mode trips on some fonts and content streams; plain mode is more forgiving
        return page.extract_text()


def page_numbers(reader) -> list[int]:
    """The printed page numbers when the PDF labels its pages 1, 2, 3 … (or 5, 6 …), else 1, 2, 3 …"""
    count = len(reader.pages)
    physical = list(range(1, count + 1))
    try:
        labels = list(reader.page_labels)
    except Exception:  # malformed /PageLabels: the physical order still holds
        return physical
    if len(labels) != count or not all(label.isdigit() for label in labels):
        return physical
    numbers = [int(label) for label in labels]
    if any(b <= a for a, b in zip(numbers, numbers[1:], strict=False)):
        return physical
    return numbers


def parse_pages(doc: str, pages: list[tuple[int, str]]) -> list[Paragraph]:
    """Paragraph records from each page's extracted text (layout or plain)."""
    page_lines = drop_furniture([(number, _lines(text)) for number, text in pages])
    blocks = [block for number, lines in page_lines for block in split_blocks(number, lines)]
    return build(doc, blocks)


def _lines(text: str) -> list[str]:
    lines = [line.expandtabs().rstrip() for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    indents = [len(line) - len(line.lstrip()) for line in lines if line.strip()]
    base = min(indents, default=0)
    return [line[base:] if line.strip() else "" for line in lines]


def _shape(line: str) -> str:
    return re.sub(r"\d+", "#", re.sub(r"\s+", " ", line.strip().lower()))


def drop_furniture(pages: list[tuple[int, list[str]]]) -> list[tuple[int, list[str]]]:
    """Remove bare page numbers and headers/footers repeated at the top or bottom of many pages."""

    def ends(lines: list[str]) -> list[int]:
        filled = [i for i, line in enumerate(lines) if line.strip()]
        return sorted({filled[0], filled[-1]}) if filled else []

    counts: dict[str, int] = {}
    for _, lines in pages:
        for shape in {_shape(lines[i]) for i in ends(lines)}:
            counts[shape] = counts.get(shape, 0) + 1
    least = max(2, min(REPEATS, len(pages)))
    repeated = {s for s, n in counts.items() if n >= least and n >= len(pages) / 2}
    out = []
    for number, lines in pages:
        lines = list(lines)
        for i in ends(lines):
            if PAGE_NUMBER.match(lines[i].strip()) or _shape(lines[i]) in repeated:
                lines[i] = ""
        out.append((number, lines))
    return out


def split_blocks(page: int, lines: list[str]) -> list[Block]:
    """Paragraph-sized blocks of one page: split at blank lines, and inside a run of lines where a
    sentence ends and the next line is indented, the line is short, or a heading follows."""
    filled = [line for line in lines if line.strip()]
    widths = sorted(len(line) for line in filled)
    usual = widths[int(0.8 * (len(widths) - 1))] if len(widths) >= 4 else 0
    indents = [len(line) - len(line.lstrip()) for line in filled]
    margin = statistics.median_low(indents) if indents else 0
    blocks: list[Block] = []
    current: list[str] = []

    def indent(line: str) -> int:
        return len(line) - len(line.lstrip())

    def close() -> None:
        if current:
            blocks.append(Block(
                page, [line.strip() for line in current], starts_page=not blocks,
                indented=indent(current[0]) > margin + 1, ends_full=usual > 0 and len(current[-1]) >= FULL_LINE * usual,
            ))
            current.clear()

    for line in lines:
        if not line.strip():
            close()
            continue
        if current and ends_sentence(current[-1]):
            prev = current[-1]
            indented = indent(line) > margin + 1 and indent(prev) <= margin + 1
            short = usual > 0 and len(prev) < SHORT_LINE * usual
            heading = match_any_heading(line.strip()) or bool(ATX.match(line.strip()))
            if indented or short or heading:
                close()
        current.append(line)
    close()
    return blocks


def _heading(text: str, outline: Outline) -> tuple[Heading, int, bool] | None:
    """(heading, number, may wrap onto the next line) when `text` opens a section."""
    atx = ATX.match(text)
    if atx:
        level, title = len(atx.group(1)), atx.group(2).strip() or "(untitled)"
        number = outline.next_number(level)
        return Heading(level, "", title, str(number)), number, False
    found = match_heading(text, outline, figure_mode=False)
    if found:
        return found[0], found[1], True
    return None


def _kind(text: str) -> str:
    if CAPTION.match(text) or FIGURE_CAPTION.match(text):
        return "caption"
    if SOURCE.match(text):
        return "source"
    if URL.match(text):
        return "url"
    return "body"


def build(doc: str, blocks: list[Block]) -> list[Paragraph]:
    outline = Outline(doc)
    pending: Pending | None = None

    def flush() -> None:
        nonlocal pending
        if pending is not None:
            kind = "url" if pending.kind == "body" and URL.match(pending.text) else pending.kind
            text = pending.text.strip("■ ").strip() if kind == "caption" else pending.text
            outline.add(kind, text, pending.page, pending.heads)
            pending = None

    for block, last in zip(blocks, [None, *blocks[:-1]], strict=True):
        lines = block.lines
        found = _heading(lines[0], outline)
        if found:
            flush()
            heading, number, wraps = found
            title, rest = heading.title, lines[1:]
            while wraps and rest and title_continues(title, rest[0]):
                title = join_lines([title, rest[0]])
                rest = rest[1:]
            outline.push(Heading(heading.level, heading.label, title, heading.code), number, block.page)
            if rest:
                pending = Pending(_kind(rest[0]), block.page, outline.snapshot(), list(rest))
            continue
        kind = _kind(lines[0])
        if block.starts_page and pending is not None and pending.kind == "body" and kind == "body" and last is not None:
            runs_on = not ends_sentence(pending.text) or (last.ends_full and not block.indented)
            if runs_on:
                pending.parts.extend(lines)
                continue
        flush()
        pending = Pending(kind, block.page, outline.snapshot(), list(lines))
    flush()
    return outline.records
