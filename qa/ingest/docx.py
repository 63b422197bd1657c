"""Word files in: a .docx's body (python-docx) → the document model → paragraph records.

Word says what each paragraph is through its style, so structure is read, not guessed: `Title`
and `Heading 1`…`Heading 9` (or a style based on one, or an outline level) are headings, `Title`
one level above `Heading 1`; list styles and numbered paragraphs are list items; `Caption` is a
caption; `TOC n` paragraphs are a contents page. Tables give one row block each, with headers
from the first row (qa.ingest.tables). Left out: headers, footers, footnotes, comments and text
boxes (python-docx does not read them in body order), and old binary .doc files.
A file that is not a readable .docx raises ValueError, and the corpus loader warns and skips it.
"""

from __future__ import annotations

import re
from pathlib import Path

from qa.ingest.cleanup import tidy
from qa.ingest.layout import SOURCE
from qa.ingest.model import Block, Document
from qa.ingest.sections import to_paragraphs
from qa.ingest.tables import is_caption, row_blocks
from qa.records import Paragraph

HEADING_STYLE = re.compile(r"^heading ([1-9])$", re.IGNORECASE)


def _style_names(paragraph) -> list[str]:
    """The paragraph's style and the styles it is based on, nearest first."""
    names, style = [], paragraph.style
    while style is not None and len(names) < 10:
        names.append(style.name or "")
        style = style.base_style
    return names


def _outline_level(paragraph) -> int:
    ppr = paragraph._p.pPr
    found = ppr.find("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}outlineLvl") if ppr is not None \
        else None
    if found is None:
        return 0
    value = found.get("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}val", "9")
    return int(value) + 1 if value.isdigit() and int(value) < 9 else 0


def _kind(paragraph, text: str) -> tuple[str, int]:
    """(block kind, heading level or list depth) of one paragraph; heading level 0 is `Title`."""
    names = _style_names(paragraph)
    for name in names:
        if name.lower() == "title":
            return "heading", 0
        if match := HEADING_STYLE.match(name):
            return "heading", int(match.group(1))
    if level := _outline_level(paragraph):
        return "heading", level
    lowered = [n.lower() for n in names]
    if any(n.startswith("toc") for n in lowered):
        return "toc", 0
    if "caption" in lowered or is_caption(text):
        return "caption", 0
    ppr = paragraph._p.pPr
    if ppr is not None and ppr.numPr is not None or any(n.startswith("list") for n in lowered):
        ilvl = ppr.numPr.ilvl if ppr is not None and ppr.numPr is not None else None
        return "list", (ilvl.val + 1 if ilvl is not None and ilvl.val is not None else 1)
    return ("source" if SOURCE.match(text) else "body"), 0


def _rows(table) -> list[list[str]]:
    """Cell texts row by row; a merged cell (python-docx repeats it) counts once."""
    rows = []
    for row in table.rows:
        cells, seen = [], set()
        for cell in row.cells:
            if id(cell._tc) in seen:
                continue
            seen.add(id(cell._tc))
            cells.append(tidy(cell.text))
        rows.append(cells)
    return rows


def docx_document(path: Path) -> Document:
    """The document model of the Word file at `path`; ValueError when it is not a readable .docx."""
    try:
        import docx
        from docx.table import Table

        word = docx.Document(str(path))
        content = list(word.iter_inner_content())
        title = word.core_properties.title or ""
    except Exception as err:  # python-docx raises zip, XML, key and its own errors for damaged files
        raise ValueError(f"not a readable Word .docx file ({type(err).__name__}: {err})") from err
    blocks: list[Block] = []
    parts = []
    for item in content:
        if isinstance(item, Table):
            parts.append(("table", 0, item))
            continue
        text = tidy(item.text)
        if text:
            kind, level = _kind(item, text)
            parts.append((kind, level, text))
    # `Title` sits above `Heading 1`: with a title, every heading goes one level down
    shift = 1 if any(kind == "heading" and level == 0 for kind, level, _ in parts) else 0
    heading = ""
    for kind, level, value in parts:
        if kind == "table":
            last = blocks[-1] if blocks else None
            caption = last.text if last is not None and last.kind == "caption" else heading
            rows = _rows(value)
            header, body = (rows[0], rows[1:]) if len(rows) > 1 else ([], rows)
            blocks += row_blocks(header, body, caption)
        elif kind == "heading":
            heading = value
            title = title or (value if level == 0 else "")
            blocks.append(Block("heading", value, 1, level=max(1, level + shift)))
        else:
            blocks.append(Block(kind, value, 1, level=level if kind == "list" else 0))
    return Document(path.name, blocks, title=title)


def parse_docx(doc: str, path: Path) -> list[Paragraph]:
    """Paragraph records of the Word file at `path`."""
    return to_paragraphs(doc, docx_document(path))
