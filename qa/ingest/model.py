"""The one document model every format parser produces, and everything after parsing reads.

A parser turns a file into a `Document`: its pages' `Line`s (with font size, weight and position
where the format has them) grouped into `Block`s of one kind each. Section paths, paragraph
numbers, pages and refs are computed once from the blocks (qa.ingest.sections), whatever the
format, so a PDF, a Markdown export and a Word file cite the same way.
"""

from __future__ import annotations

from dataclasses import dataclass, field

# What a block is. `furniture` (running headers/footers, page numbers), `toc` (a contents page)
# and `boilerplate` (site navigation, link-only lines, metadata) are kept in the model so tests
# can see them, but are not indexed as body text.
BLOCK_KINDS = (
    "heading",
    "body",
    "list",
    "table",
    "caption",
    "source",
    "footnote",
    "url",
    "figure",
    "furniture",
    "toc",
    "boilerplate",
)
NOT_INDEXED = frozenset({"furniture", "toc", "boilerplate"})


@dataclass
class Line:
    """One printed line (or one cell run of it); geometry in points from the page's top-left."""

    text: str
    page: int
    x0: float = 0.0
    top: float = 0.0
    x1: float = 0.0
    bottom: float = 0.0
    size: float = 0.0
    bold: bool = False
    font: str = ""
    cells: list[tuple[float, float, str]] = field(default_factory=list)
    words: list[tuple[float, float, str]] = field(default_factory=list)
    notes: tuple[int, ...] = ()

    @property
    def height(self) -> float:
        return self.bottom - self.top


@dataclass
class Block:
    """A heading, paragraph, list item, table row, caption, footnote … with where it was printed.

    `level` and `label` are set on headings (`label` is the heading's own numbering, `2.1`, `A`,
    `II`, or ""). A table row carries `cells` as (column header, value) pairs and the table's
    `caption`. `notes` are the footnote numbers a body block cites; a footnote block has `number`.
    `belongs_to` is the index of an earlier block whose section this one is filed under (a figure
    printed past the next heading still belongs with its caption); -1 for where it is printed.
    """

    kind: str
    text: str
    page: int
    level: int = 0
    label: str = ""
    cells: tuple[tuple[str, str], ...] = ()
    caption: str = ""
    notes: tuple[int, ...] = ()
    number: int = 0
    belongs_to: int = -1


@dataclass
class Document:
    """A parsed file: its blocks in reading order, plus what the file says about itself."""

    name: str
    blocks: list[Block] = field(default_factory=list)
    title: str = ""
    pages: int = 1
    outline: list[tuple[int, str, int]] = field(default_factory=list)

    def of_kind(self, *kinds: str) -> list[Block]:
        return [b for b in self.blocks if b.kind in kinds]
