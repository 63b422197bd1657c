"""The lines of a plain-text file, and what the layout of PDF-extracted text says about each.

PDF-extracted layout (detected automatically): every text line is followed by an empty line; a
line holding only spaces ends a paragraph; a line that starts with a space opens a new page.
Lines with no empty line after them (and not at a page end) are not running text: footnote runs
at page ends, link boxes ending in a URL, or the label fragments of a figure. Plain text without
that layout has paragraphs split on blank lines and none of these roles.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

URL = re.compile(r"^(https?://|www\.)\S+$")
FOOTNOTE = re.compile(r"^(\d{1,2})\s+\S")


@dataclass
class TextLine:
    """A stripped line; `end` marks a paragraph end, `tight` a line with no empty line after it."""

    text: str
    page: int
    page_start: bool = False
    tight: bool = False
    end: bool = False
    role: str = ""


def is_pdf_layout(raw: list[str]) -> bool:
    empty = sum(1 for line in raw if line == "")
    marks = sum(1 for line in raw if line and not line.strip())
    return bool(raw) and empty >= 0.3 * len(raw) and marks >= 1


def read_lines(text: str) -> tuple[list[TextLine], bool]:
    """The text's lines with their pages, and whether it has the PDF-extracted layout."""
    raw = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    pdf = is_pdf_layout(raw)
    lines: list[TextLine] = []
    page = 1
    seen_content = False
    for i, line in enumerate(raw):
        if "\f" in line:
            page += line.count("\f")
            line = line.replace("\f", "")
        if pdf and line == "":
            continue
        if not line.strip():
            lines.append(TextLine("", page, end=True))
            continue
        starts_page = pdf and line.startswith(" ")
        if starts_page and seen_content:
            page += 1
        seen_content = True
        nxt = raw[i + 1] if i + 1 < len(raw) else ""
        tight = pdf and bool(nxt.strip()) and not nxt.startswith(" ")
        lines.append(TextLine(line.strip(), page, page_start=starts_page, tight=tight))
    return lines, pdf


def mark_roles(lines: list[TextLine]) -> dict[int, set[int]]:
    """Label footnote runs and link boxes; return footnote numbers per page."""
    marks: dict[int, set[int]] = {}
    i = 0
    while i < len(lines):
        if i > 0 and lines[i - 1].end and not lines[i].end and not lines[i].page_start:
            j = i
            while j < len(lines) and not lines[j].end and not lines[j].page_start:
                if not (FOOTNOTE.match(lines[j].text) or URL.match(lines[j].text)):
                    break
                if not lines[j].tight and j + 1 < len(lines) and not lines[j + 1].page_start:
                    break
                j += 1
            at_page_end = j == len(lines) or lines[j].page_start
            if j > i and at_page_end and FOOTNOTE.match(lines[i].text):
                for line in lines[i:j]:
                    line.role = "footnote"
                    number = FOOTNOTE.match(line.text)
                    if number:
                        marks.setdefault(line.page, set()).add(int(number.group(1)))
                i = j
                continue
        i += 1
    for i, line in enumerate(lines):
        if line.role or not URL.match(line.text):
            continue
        line.role = "url"
        k = i - 1
        while k >= 0 and lines[k].tight and not lines[k].role and not lines[k].end:
            lines[k].role = "link"
            if lines[k].page_start:
                break
            k -= 1
    return marks
