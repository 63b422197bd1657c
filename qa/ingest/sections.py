"""Section paths, paragraph numbers and refs, computed once from the document model for every format.

A heading's code is its own numbering where it has one (`2.1` → `1` under `2`, `Appendix B` →
`appendix-b`), otherwise its place among its siblings; a top-level numeric code gets an `s`
(`s3.1`), so refs read `r46991-32:s3.1.p2` and can be typed back. Blocks that are not indexed
(furniture, contents pages, boilerplate) get no record; a block that belongs to an earlier one
(`Block.belongs_to`) is filed in that block's section. Paragraph records are qa.records.Paragraph,
numbered within their section by qa.ingest.outline.Outline.
"""

from __future__ import annotations

import re

from qa.ingest.model import NOT_INDEXED, Document
from qa.ingest.numbering import numbering
from qa.ingest.outline import Heading, Outline
from qa.records import Paragraph

# Block kinds as paragraph kinds (a list item is searched and cited like body text).
KIND = {"list": "body"}


def _code(label: str) -> str:
    last = label.split(".")[-1] if re.fullmatch(r"[\d.]+", label) else label
    return re.sub(r"[^a-z0-9-]+", "-", last.lower()).strip("-")


def to_paragraphs(doc: str, document: Document, page_of: list[int] | None = None) -> list[Paragraph]:
    """Paragraph records of a parsed document; `page_of` maps physical pages to printed ones."""
    outline = Outline(doc)
    depth_of: list[int] = []
    anchors = {block.belongs_to for block in document.blocks if block.belongs_to >= 0}
    sections: dict[int, tuple[Heading, ...]] = {}
    for i, block in enumerate(document.blocks):
        if i in anchors:
            sections[i] = outline.snapshot()
        if block.kind in NOT_INDEXED or not block.text.strip():
            continue
        page = page_of[block.page - 1] if page_of and 0 < block.page <= len(page_of) else block.page
        if block.kind == "heading":
            level = max(1, block.level)
            # keep levels contiguous: a level-3 heading right under a level-1 one sits at level 2
            while depth_of and depth_of[-1] >= level:
                depth_of.pop()
            depth = len(depth_of) + 1
            depth_of.append(level)
            text = block.text.strip()
            found = numbering(text)
            number = outline.next_number(depth)
            code = _code(found.label) if found and found.pattern != "paren" else str(number)
            if depth == 1 and code[:1].isdigit():
                code = f"s{code}"
            label, title = ("", text)
            if found and found.title and found.title != text:
                label, title = text[: len(text) - len(found.title)].strip(), found.title
            outline.push(Heading(depth, label, title, code or str(number)), number, page)
            continue
        outline.add(KIND.get(block.kind, block.kind), block.text, page, sections.get(block.belongs_to))
    return outline.records
