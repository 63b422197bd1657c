"""Pipe blocks in Markdown: data tables, footnote lists, metadata panels and one-column boxes.

Saved web pages use `|` lines for more than tables, often without the `|---|` line:
- a table: one `table` block per row, headers from the row above `|---|` or a header-like first row;
- `| 1. | text` rows: the page's footnotes (`footnote` blocks with their numbers);
- `| **Key:** | value` rows above the text: a metadata panel (`boilerplate`);
- one-column boxes: a figure placeholder or a sidebar. Its `Figure 1. …` line is a caption, its
  Source/Notes lines are `source`, a short first line is the box's title (a caption), the rest is
  body text; under a `Table 1. …` caption its lines are that table's rows.
Lines without `|` inside a box (wrapped notes, a sidebar's paragraphs) are blocks of their own.
"""

from __future__ import annotations

import re

from qa.ingest.layout import SOURCE
from qa.ingest.mdinline import inline, title_like
from qa.ingest.model import Block
from qa.ingest.outline import ends_sentence
from qa.ingest.tables import is_caption, looks_like_header, row_blocks

SEPARATOR_CELL = re.compile(r"^:?-+:?$")
# `1.`, `2)`, `[3]`: a note number (a bare `1` is more likely a rank or a count)
FOOTNOTE_CELL = re.compile(r"^\[?\^?(\d{1,3})[.)\]]$")
KEY_CELL = re.compile(r":\s*$")
# A sidebar whose title lost its line break: `Trade, Financial, and IP Pilot ProgramsTo counter …`.
GLUED_TITLE = re.compile(r"^(\S+(?: \S+)+?[a-z]{3})([A-Z][a-z]+ .*)$")


def split_row(line: str) -> list[str]:
    """The cells of a `| a | b |` line (escaped `\\|` stays in its cell); markup is kept."""
    line = line.strip()
    line = line[1:] if line.startswith("|") else line
    line = line[:-1] if line.endswith("|") and not line.endswith("\\|") else line
    return [c.replace("\\|", "|").strip() for c in re.split(r"(?<!\\)\|", line)]


def pipe_blocks(lines: list[str], caption: str = "", metadata: bool = False) -> list[Block]:
    """Blocks of one run of pipe lines; `metadata` says the run sits above the document's text."""
    rows: list[list[str] | None] = [split_row(s) if "|" in s else None for s in lines]
    sep = next((i for i, r in enumerate(rows) if r and all(SEPARATOR_CELL.match(c) for c in r if c) and any(r)), None)
    header: list[str] = []
    if sep is not None:
        header = [_header(c) for c in rows[sep - 1]] if sep > 0 and rows[sep - 1] else []
        lines, rows = lines[sep + 1:], rows[sep + 1:]
    out: list[Block] = []
    cells = [[inline(c)[0] for c in r] for r in rows if r is not None]
    cells = [r for r in cells if any(r)]
    if sep is not None or cells and 2 * sum(len(r) >= 2 for r in cells) > len(cells):
        if sep is None and all(FOOTNOTE_CELL.match(r[0]) for r in cells):
            out = [Block("footnote", " ".join(r[1:]), 1, number=int(FOOTNOTE_CELL.match(r[0]).group(1))) for r in cells]
        elif sep is None and metadata and all(KEY_CELL.search(r[0]) for r in cells):
            out = [Block("boilerplate", " ".join(r), 1) for r in cells]
        else:
            if sep is None and looks_like_header(cells[0], cells[1:]):
                header, cells = [_header(c) for c in cells[0]], cells[1:]
            out = row_blocks(header, cells, caption)
        # lines without a pipe inside a table: notes under it
        return out + [_box_line(inline(s)[0]) for s, r in zip(lines, rows) if r is None and s.strip()]
    return _box([inline(s.strip().lstrip("|"))[0] for s in lines], caption)


def with_unit(caption: str, unit: str) -> str:
    """`Table 1. Appropriations` + `Millions of dollars` → `Table 1. Appropriations (Millions of dollars)`."""
    return f"{caption} {unit}" if unit.startswith("(") else f"{caption} ({unit})"


def _header(cell: str) -> str:
    """A column header, with the space saved pages lose after a year put back (`FY2026Requested`)."""
    return re.sub(r"(?<=\d)(?=[A-Z][a-z]{2,})", " ", inline(cell)[0])


def _box_line(text: str) -> Block:
    kind = "caption" if is_caption(text) else "source" if SOURCE.match(text) else "body"
    return Block(kind, text, 1)


def _box(texts: list[str], caption: str) -> list[Block]:
    """A one-column box: figure placeholder, sidebar, or the rows of the table captioned above it."""
    texts = [t for t in texts if t]
    if not texts:
        return []
    if is_caption(caption) and caption.lower().startswith("table") and not is_caption(texts[0]):
        return [Block("table", t, 1, cells=(("", t),), caption=caption) for t in texts]
    out: list[Block] = []
    for i, text in enumerate(texts):
        block = _box_line(text)
        last = out[-1] if out else None
        if last and last.kind == "caption" and block.kind == "body" and len(text.split()) <= 8 \
                and not ends_sentence(text):
            last.text = with_unit(last.text, text)  # the unit line under a figure's title
            continue
        if i == 0 and block.kind == "body":
            glued = GLUED_TITLE.match(text)
            if title_like(text):
                block.kind = "caption"  # the box's own title
            elif glued and title_like(glued.group(1)):  # `…Pilot ProgramsTo counter offshoring…`
                out.append(Block("caption", glued.group(1), 1))
                block.text = glued.group(2)
        out.append(block)
    return out
