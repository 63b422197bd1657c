"""Parse plain text, including text extracted from a PDF such as the white-paper chapter.

PDF-extracted layout (detected automatically): every text line is followed by an empty line; a
line holding only spaces ends a paragraph; a line that starts with a space opens a new page.
Lines with no empty line after them (and not at a page end) are not running text: footnote runs
at page ends, link boxes ending in a URL, or the label fragments of a figure.
Headings (`Section 1 …`, `❶ …`, `(1) …`, `A. …`) are accepted only in sequence, which keeps
`(1) When the ratio…` inside a figure from opening a section. Plain text without that layout is
split on blank lines and uses the same heading patterns.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from qa.ingest.cleanup import join_lines, split_glued_numbers, strip_markers
from qa.ingest.outline import Heading, Outline, ends_sentence
from qa.records import Paragraph

SECTION = re.compile(r"^Section\s+(\d{1,2})\s+(\S.*)$")
CIRCLED = re.compile(r"^([\u2776-\u277f\u2460-\u2473])\s*(\S.*)$")
PAREN = re.compile(r"^\((\d{1,2})\)\s+(\S.*)$")
LETTER = re.compile(r"^([A-Z])(\.?)\s+(\S.*)$")
CAPTION = re.compile(r"^■.*■$|^■\s*(Figure|Table)\b")
SOURCE = re.compile(r"^(Sources?|Notes?)\s*:", re.IGNORECASE)
URL = re.compile(r"^(https?://|www\.)\S+$")
FOOTNOTE = re.compile(r"^(\d{1,2})\s+\S")
CONNECTORS = {"and", "of", "to", "for", "the", "in", "on", "with", "a", "an", "by", "from", "at", "or"}
MAX_TITLE = 150


@dataclass
class Line:
    text: str
    page: int
    page_start: bool = False
    tight: bool = False
    end: bool = False
    role: str = ""


@dataclass
class Pending:
    kind: str
    page: int
    heads: tuple[Heading, ...]
    parts: list[str] = field(default_factory=list)
    closed: bool = False

    @property
    def text(self) -> str:
        return join_lines(self.parts)


def is_pdf_layout(raw: list[str]) -> bool:
    empty = sum(1 for line in raw if line == "")
    marks = sum(1 for line in raw if line and not line.strip())
    return bool(raw) and empty >= 0.3 * len(raw) and marks >= 1


def read_lines(text: str) -> tuple[list[Line], bool]:
    raw = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    pdf = is_pdf_layout(raw)
    lines: list[Line] = []
    page = 1
    seen_content = False
    for i, line in enumerate(raw):
        if "\f" in line:
            page += line.count("\f")
            line = line.replace("\f", "")
        if pdf and line == "":
            continue
        if not line.strip():
            lines.append(Line("", page, end=True))
            continue
        starts_page = pdf and line.startswith(" ")
        if starts_page and seen_content:
            page += 1
        seen_content = True
        nxt = raw[i + 1] if i + 1 < len(raw) else ""
        tight = pdf and bool(nxt.strip()) and not nxt.startswith(" ")
        lines.append(Line(line.strip(), page, page_start=starts_page, tight=tight))
    return lines, pdf


def mark_roles(lines: list[Line]) -> dict[int, set[int]]:
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


def title_continues(title: str, nxt: str) -> bool:
    """Does a heading wrap onto `nxt`? (`… Property and` / `Standardization`)."""
    if len(nxt) > 70 or ends_sentence(nxt) or match_any_heading(nxt):
        return False
    last = title.split()[-1].lower() if title.split() else ""
    if last in CONNECTORS or title.endswith((",", "-", "“")) or title.count("“") > title.count("”"):
        return True
    if nxt[0].islower():
        return True
    words = [w for w in re.findall(r"[A-Za-z]+", nxt) if len(w) > 3]
    return bool(words) and all(w[0].isupper() for w in words) and len(title) >= 50


def match_any_heading(text: str) -> bool:
    return any(p.match(text) for p in (SECTION, CIRCLED, PAREN)) or bool(
        (m := LETTER.match(text)) and m.group(2)
    )


def match_heading(text: str, outline: Outline, figure_mode: bool) -> tuple[Heading, int] | None:
    """A heading is accepted only when its number follows its siblings' (❶ after Section, ❷ after ❶)."""
    if len(text) > MAX_TITLE:
        return None
    found = None
    if m := SECTION.match(text):
        level, number, label, title = 1, int(m.group(1)), f"Section {m.group(1)}", m.group(2)
        code = f"s{number}"
        found = (level, number, label, title, code)
    elif m := CIRCLED.match(text):
        char = m.group(1)
        number = ord(char) - (0x2775 if char >= "\u2776" else 0x245F)
        found = (2, number, char, m.group(2), str(number))
    elif figure_mode:
        return None
    elif m := PAREN.match(text):
        found = (3, int(m.group(1)), f"({m.group(1)})", m.group(2), m.group(1))
    elif m := LETTER.match(text):
        number = ord(m.group(1)) - 64
        if not m.group(2) and (number < 2 or not m.group(3)[0].isupper() or len(text) > 100):
            return None
        found = (4, number, f"{m.group(1)}.", m.group(3), m.group(1).lower())
    if not found:
        return None
    level, number, label, title, code = found
    title = title.strip()
    if title.endswith(".") and not title.endswith("etc."):
        return None
    expected = outline.next_number(level)
    first_section = level == 1 and not any(h.level == 1 for h in outline.open)
    if number != expected and not first_section:
        return None
    return Heading(level, label, title, code), number


def parse_text(doc: str, text: str) -> list[Paragraph]:
    lines, pdf = read_lines(text)
    marks = mark_roles(lines) if pdf else {}
    outline = Outline(doc)
    pending: Pending | None = None
    aside: list[tuple[str, str, int, tuple[Heading, ...]]] = []
    link: list[str] = []
    figure_mode = False
    figure_heads: tuple[Heading, ...] = ()
    unfilled_caption: tuple[Heading, ...] | None = None

    def flush() -> None:
        nonlocal pending
        if pending is not None:
            outline.add(pending.kind, pending.text, pending.page, pending.heads)
            pending = None
        for kind, body, page, heads in aside:
            outline.add(kind, body, page, heads)
        aside.clear()

    i = 0
    while i < len(lines):
        line = lines[i]
        i += 1
        if line.end:
            if pending is not None:
                pending.closed = True
            continue
        if line.role == "footnote":
            aside.append(("footnote", line.text, line.page, outline.snapshot()))
            continue
        page_marks = marks.get(line.page, set()) | marks.get(line.page + 1, set())
        text = split_glued_numbers(strip_markers(line.text, page_marks))
        if line.role in ("url", "link"):
            link.append(text)
            if line.role == "url":
                aside.append(("url", join_lines(link), line.page, outline.snapshot()))
                link = []
            continue
        if line.page_start:
            figure_mode = False
        at_boundary = pending is None or pending.closed or ends_sentence(pending.text) or line.page_start
        found = match_heading(text, outline, figure_mode) if at_boundary else None
        if found:
            flush()
            figure_mode = False
            heading, number = found
            title = heading.title
            while (
                i < len(lines)
                and not lines[i].end
                and not lines[i].page_start
                and not lines[i].role
                and title_continues(title, lines[i].text)
            ):
                title = join_lines([title, lines[i].text])
                i += 1
            outline.push(Heading(heading.level, heading.label, title, heading.code), number, line.page)
            continue
        if CAPTION.match(text):
            flush()
            outline.add("caption", text.strip("■ ").strip(), line.page)
            unfilled_caption = outline.snapshot()
            continue
        if SOURCE.match(text):
            flush()
            pending = Pending("source", line.page, outline.snapshot(), [text])
            continue
        if pending is not None and pending.kind == "source" and not pending.closed:
            pending.parts.append(text)
            continue
        if pdf and (figure_mode or line.tight):
            if not figure_mode:
                flush()
                figure_mode = True
                figure_heads = unfilled_caption if unfilled_caption is not None else outline.snapshot()
                unfilled_caption = None
            if pending is not None and pending.kind == "figure" and not pending.closed:
                pending.parts.append(text)
            else:
                flush()
                pending = Pending("figure", line.page, figure_heads, [text])
            continue
        if pending is not None and pending.kind == "body":
            continues = (not pending.closed and not line.page_start) or (
                line.page_start and not ends_sentence(pending.text)
            )
            if continues:
                pending.parts.append(text)
                pending.closed = False
                continue
        flush()
        pending = Pending("body", line.page, outline.snapshot(), [text])
    flush()
    return outline.records
