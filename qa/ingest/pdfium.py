"""Read a PDF's printed lines with their fonts and positions, using pypdfium2 (PDFium).

Why PDFium: measured on the 36-PDF library (904 pages, 2 cores), per-character text with font
size, weight and boxes came out at 49 pages/s with pypdfium2, 12 pages/s with pypdf (fonts only
through a visitor callback), 5.6 pages/s with pdfplumber/pdfminer.six; PyMuPDF reached 94 pages/s
but is AGPL-licensed, which would oblige anyone who ships qa with it to publish their whole program
under the AGPL. pypdfium2 is Apache-2.0/BSD-3-Clause.

Lines are built from characters, not from PDFium's own line breaks, because PDFium breaks a line
at every superscript footnote mark. A line is split into cells where the gap between two
characters is wider than a few spaces (table columns, side-by-side boxes). Superscript digits
(smaller and raised) are footnote marks: removed from the text and kept in `Line.notes`.
Turned glyphs (PDFium's character angle) set one under the other are one line of rotated text (a
figure's side label); upright characters never stack, so a table column of one-digit values stays
in its rows.
An encrypted PDF with an empty user password opens as is; one that needs a password raises
ValueError naming the problem.
"""

from __future__ import annotations

import ctypes
import math
import re
import unicodedata
from dataclasses import dataclass, field, replace
from pathlib import Path

from qa.ingest.model import Line

# A loose character box is about this many font sizes tall (ascent + descent).
LOOSE_BOX = 1.15
# A horizontal gap wider than this many font sizes starts a new cell of the line.
CELL_GAP = 1.2
# Characters whose baseline is within this share of the font size sit on the same line.
SAME_LINE = 0.45
# A character this much smaller than the line and raised above its baseline is a superscript.
SUPERSCRIPT = 0.8
# A glyph turned by more than this (radians, about 10°) is rotated text: it may stack with the next one.
TURN_TOLERANCE = 0.17
LIGATURES = {
    "\ufb00": "ff", "\ufb01": "fi", "\ufb02": "fl", "\ufb03": "ffi", "\ufb04": "ffl", "\ufb05": "st", "\ufb06": "st",
}
_SOFT = {"\u00ad", "\ufffe", "\u0002"}
BOLD_NAME = re.compile(r"bold|black|heavy|semibold|demi", re.IGNORECASE)


@dataclass
class PdfPages:
    """The lines of every page, the outline (level, title, page), the title, page labels and page heights."""

    pages: list[list[Line]]
    outline: list[tuple[int, str, int]]
    title: str
    labels: list[int]
    heights: list[float] = field(default_factory=list)


@dataclass
class _Char:
    """One character: loose box (font ascent to descent, so a line's boxes align), size and font."""

    ch: str
    x0: float
    x1: float
    base: float
    top: float
    size: float
    bold: bool
    font: str
    turned: bool = False  # the glyph is rotated (a figure's side label, a rotated table's column header)


def read_pdf(path: Path) -> PdfPages:
    """Every page's lines; ValueError when the file is not a readable PDF or needs a password."""
    import pypdfium2 as pdfium

    try:
        pdf = pdfium.PdfDocument(str(path))
    except pdfium.PdfiumError as err:
        message = str(err)
        if "password" in message.lower():
            raise ValueError(
                "the PDF is encrypted with a password; save an unencrypted copy (e.g. `qpdf --decrypt IN OUT`)"
            ) from err
        raise ValueError(f"not a readable PDF ({message.splitlines()[0][:120] if message else 'PdfiumError'})") from err
    try:
        read = [_page_lines(pdf, i) for i in range(len(pdf))]
        pages, heights = [lines for lines, _ in read], [height for _, height in read]
        outline = _outline(pdf)
        title = (pdf.get_metadata_value("Title") or "").strip()
        labels = _labels(pdf)
    finally:
        pdf.close()
    if not any(pages):
        raise ValueError("the PDF has no extractable text (scanned pages? run OCR on it first)")
    return PdfPages(pages, outline, title, labels, heights)


def _outline(pdf) -> list[tuple[int, str, int]]:
    """The PDF's bookmarks as (level from 1, title, physical page from 1); [] when it has none."""
    entries = []
    try:
        for item in pdf.get_toc(max_depth=8):
            title = _clean(item.get_title() or "")
            dest = item.get_dest()
            index = dest.get_index() if dest is not None else None
            if title and index is not None:
                entries.append((item.level + 1, title, index + 1))
    except Exception:  # a malformed outline is only a missing hint
        return []
    return entries


def _labels(pdf) -> list[int]:
    """Printed page numbers when every page is labelled with an increasing number, else 1, 2, 3 …"""
    count = len(pdf)
    physical = list(range(1, count + 1))
    try:
        labels = [pdf.get_page_label(i) for i in range(count)]
    except Exception:
        return physical
    if not all(label.isdigit() for label in labels):
        return physical
    numbers = [int(label) for label in labels]
    if any(b <= a for a, b in zip(numbers, numbers[1:])):
        return physical
    return numbers


def _clean(text: str) -> str:
    text = "".join(LIGATURES.get(c, c) for c in text if c not in _SOFT)
    return re.sub(r"\s+", " ", unicodedata.normalize("NFC", text)).strip()


def _page_lines(pdf, index: int) -> tuple[list[Line], float]:
    """The page's lines and its height (margins are measured against it: a landscape page is 612 points tall)."""
    import pypdfium2.raw as raw

    page = pdf[index]
    try:
        height = page.get_height()
        textpage = page.get_textpage()
        count = textpage.count_chars()
        if count <= 0:
            return [], height
        text = textpage.get_text_range(0, count)
        handle = textpage.raw
        name = ctypes.create_string_buffer(128)
        flags = ctypes.c_int()
        box = raw.FS_RECTF()
        font_of: dict[str, tuple[str, bool]] = {}
        last_key: tuple[float, int] | None = None
        base_name, bold = "", False
        chars: list[_Char] = []
        after_space = True
        for i in range(min(count, len(text))):
            ch = text[i]
            if ch in _SOFT and chars and chars[-1].ch.isalpha():
                # PDFium's mark for a word broken at the line's end (`appro\ufffepriate`): a hyphen
                # here lets the line joiner mend the word instead of leaving a space in it.
                chars.append(replace(chars[-1], ch="-", x0=chars[-1].x1))
                continue
            if ch in "\r\n" or ch in _SOFT:
                after_space = True
                continue
            raw.FPDFText_GetLooseCharBox(handle, i, box)
            size = raw.FPDFText_GetFontSize(handle, i)
            turned = _turned(raw.FPDFText_GetCharAngle(handle, i))
            if size < 2:  # a font scaled by the text matrix: the box height (a turned glyph's width) is its size
                size = round(((box.right - box.left) if turned else (box.top - box.bottom)) / LOOSE_BOX, 1)
            weight = raw.FPDFText_GetFontWeight(handle, i)
            key = (size, weight)
            if key != last_key or after_space:
                raw.FPDFText_GetFontInfo(handle, i, name, 128, ctypes.byref(flags))
                font = name.value.decode("latin-1", "replace")
                if font not in font_of:
                    plain = font.split("+", 1)[-1]
                    font_of[font] = (plain, weight >= 600 or bool(BOLD_NAME.search(plain)))
                base_name, bold = font_of[font]
                last_key = key
            after_space = not ch.strip()
            chars.append(_Char(ch, box.left, box.right, height - box.bottom, height - box.top, size, bold, base_name,
                               turned))
    finally:
        page.close()
    return _lines(chars, index + 1), height


def _lines(chars: list[_Char], page: int) -> list[Line]:
    """Group characters (in content order) into lines, and each line into cells."""
    rows: list[list[_Char]] = []
    anchors: list[_Char] = []
    vertical: set[int] = set()  # rows of rotated text (a figure's side label), one glyph under the other
    for c in chars:
        if not c.ch.strip():
            if rows:
                rows[-1].append(c)
            continue
        if rows:
            row, ref = rows[-1], anchors[-1]
            last = next((x for x in reversed(row) if x.ch.strip()), row[-1])
            stacked = c.turned and last.turned and abs(c.x0 - last.x0) < 0.3 * max(c.size, 1.0) and \
                0 < abs(c.base - last.base) < 1.5 * c.size
            if stacked and (len(rows) - 1 in vertical or len([x for x in row if x.ch.strip()]) == 1):
                row.append(c)
                vertical.add(len(rows) - 1)
                continue
            tolerance = SAME_LINE * max(ref.size, 1.0)
            same = abs(c.base - ref.base) <= tolerance
            superscript = c.size < SUPERSCRIPT * ref.size and ref.base - c.size <= c.base < ref.base + 1
            backwards = c.x0 < row[-1].x0 - max(ref.size, 1.0) * 2
            opener = len(row) <= 4 and row[0].size < SUPERSCRIPT * c.size
            if opener and all(x.ch.isdigit() or not x.ch.strip() for x in row) and 0 <= c.base - ref.base <= c.size:
                # a line that opens with a raised footnote number (`¹ EDA, “Key …”` below a page)
                row.append(c)
                anchors[-1] = c
                continue
            if (same or superscript) and not backwards:
                row.append(c)
                if c.size > ref.size:
                    anchors[-1] = c
                continue
        rows.append([c])
        anchors.append(c)
    lines = [
        _vertical_line(row, page) if n in vertical else _line(row, ref, page)
        for n, (row, ref) in enumerate(zip(rows, anchors))
    ]
    return [line for line in lines if line.text]


def _line(row: list[_Char], ref: _Char, page: int) -> Line:
    """A row of characters as a Line: footnote marks taken out, cells split at wide gaps."""
    notes: list[int] = []
    kept: list[_Char] = []
    i = 0
    while i < len(row):
        c = row[i]
        raised = c.size < SUPERSCRIPT * ref.size and c.base < ref.base - 0.15 * ref.size
        if raised and c.ch.isdigit():
            j = i
            while j < len(row) and row[j].ch.isdigit() and row[j].size < SUPERSCRIPT * ref.size:
                j += 1
            notes.append(int("".join(x.ch for x in row[i:j])))
            i = j
            continue
        kept.append(c)
        i += 1
    if _out_of_order(kept):
        kept.sort(key=lambda c: c.x0)
    cells: list[tuple[float, float, str]] = []
    current: list[_Char] = []
    seen: _Char | None = None  # the last visible character of the current cell
    for c in kept:
        if current and seen is not None and c.ch.strip():
            gap = c.x0 - seen.x1
            if gap > CELL_GAP * max(ref.size, 1.0):
                cells.append(_cell(current))
                current = []
        if c.ch.strip():
            seen = c
        if not current and not c.ch.strip():
            continue
        if current and c.ch.strip() and current[-1].ch.strip() and c.x0 - current[-1].x1 > 0.12 * ref.size:
            current.append(_Char(" ", current[-1].x1, c.x0, c.base, c.top, c.size, c.bold, c.font))
        current.append(c)
    if current:
        cells.append(_cell(current))
    cells = [cell for cell in cells if cell[2]]
    words: list[tuple[float, float, str]] = []
    run: list[_Char] = []
    for c in [*kept, None]:
        if c is None or not c.ch.strip():
            if run:
                words.append(_cell(run))
            run = []
        else:
            run.append(c)
    text = " ".join(cell[2] for cell in cells)
    visible = [c for c in kept if c.ch.strip()] or row
    sizes = sorted(c.size for c in visible)
    bold = sum(c.bold for c in visible) >= 0.9 * len(visible)
    fonts = [c.font for c in visible]
    return Line(
        text=text,
        page=page,
        x0=min(c.x0 for c in visible),
        top=min(c.top for c in visible),
        x1=max(c.x1 for c in visible),
        bottom=max(c.base for c in visible),
        size=round(sizes[len(sizes) // 2], 1),
        bold=bold,
        font=max(set(fonts), key=fonts.count),
        cells=cells,
        words=words,
        notes=tuple(notes),
    )


def _vertical_line(row: list[_Char], page: int) -> Line:
    """Rotated text read in content order (its glyphs are stacked, so x order means nothing)."""
    text = _clean("".join(c.ch for c in row))
    visible = [c for c in row if c.ch.strip()]
    x0, x1 = min(c.x0 for c in visible), max(c.x1 for c in visible)
    return Line(text, page, x0, min(c.top for c in visible), x1, max(c.base for c in visible),
                round(visible[0].size, 1), False, visible[0].font, [(x0, x1, text)],
                [(x0, x1, w) for w in text.split()])


def _turned(angle: float) -> bool:
    """A glyph rotated by more than a few degrees (PDFium gives the angle in radians, 0 to 2π)."""
    return TURN_TOLERANCE < angle < 2 * math.pi - TURN_TOLERANCE


def _out_of_order(chars: list[_Char]) -> bool:
    return any(b.x0 < a.x0 - 1.0 for a, b in zip(chars, chars[1:]))


def _cell(chars: list[_Char]) -> tuple[float, float, str]:
    text = _clean("".join(c.ch for c in chars))
    return (chars[0].x0, chars[-1].x1, text)
