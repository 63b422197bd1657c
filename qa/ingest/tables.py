"""Table rows as blocks, the same way for every format that hands over cells (Markdown, Word, HTML).

A row is read as its first cell (the row label) and the values under their column headers, and
becomes one `table` block: `Department of Energy — FY2024: 8,214; FY2025: 8,230`, with the
(header, value) pairs as `cells` and the table's caption. This is the text the PDF layout writes
for its table rows (qa.ingest.layout), so a row cites and reads alike whatever the format.
Merged cells, spans and nested headers are flattened by the callers before they get here.
"""

from __future__ import annotations

import re

from qa.ingest.layout import NUMERIC
from qa.ingest.model import Block
from qa.lexicon import CAPTION_START


def looks_like_header(first: list[str], rest: list[list[str]]) -> bool:
    """Whether a table's first row names its columns: no numbers in it, and numbers (or an empty
    corner cell) below it. A table of words only has no header row unless told (`th`, `|---|`)."""
    if not rest or any(NUMERIC.match(c) for c in first if c):
        return False
    if len(first) > 1 and not first[0]:
        return True
    return any(NUMERIC.match(c) for row in rest for c in row[1:] if c)


def row_blocks(header: list[str], rows: list[list[str]], caption: str = "", page: int = 1) -> list[Block]:
    """One `table` block per row; `header` may be empty (then values stand without names)."""
    blocks = []
    for row in rows:
        row = [re.sub(r"\s+", " ", c).strip() for c in row]
        if not any(row):
            continue
        label, values = row[0], row[1:]
        if label and NUMERIC.match(label) and header and header[0]:
            label = f"{header[0]} {label}"
        heads = header[1:] + [""] * len(values)
        pairs = tuple((heads[i].strip(), v) for i, v in enumerate(values) if v)
        body = "; ".join(f"{h}: {v}" if h else v for h, v in pairs)
        text = f"{label} — {body}" if label and body else label or body
        blocks.append(Block("table", text, page, cells=pairs, caption=caption))
    if not blocks and any(header):
        blocks.append(Block("table", "; ".join(h for h in header if h), page, caption=caption))
    return blocks


def is_caption(text: str) -> bool:
    """`Table 1. Budget …`, `Figure 2: …`, `Table 3 — …`: a caption line, not `Table 1 shows …`."""
    match = CAPTION_START.match(text.strip())
    return bool(match) and bool(re.match(r"\s*([.:—–-]|$)", text.strip()[match.end():]))
