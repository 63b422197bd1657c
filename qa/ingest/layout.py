"""Turn a PDF's printed lines into blocks: headings with levels, paragraphs, lists, tables, footnotes.

Headings, in this order of evidence (qa.ingest.headings): the PDF outline when present (unless
asked to ignore it), the document's contents page, and typography learned per document. This
module does the rest: furniture and contents pages out, footnotes apart (attached to the paragraph
that cites them), captions and Source/Notes lines as their own kinds, table rows as records with
their column headers, and paragraphs from line spacing, indentation and font changes, joined over
page breaks and line-end hyphens.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from qa.ingest import contents, headings
from qa.ingest.cleanup import join_lines
from qa.ingest.furniture import PAGE_NUMBER, furniture
from qa.ingest.model import Block, Document, Line
from qa.ingest.outline import ends_sentence
from qa.ingest.pdfium import PdfPages
from qa.lexicon import CAPTION_START

SOURCE = re.compile(r"^(Sources?|Notes?|Source and notes)\s*:", re.IGNORECASE)
BULLET = re.compile(r"^([•◦▪▫■□●○‣⁃–\-*]|o(?=\s)|\d{1,2}[.)](?=\s)|\(?[a-z]\)(?=\s))\s*")
URL = re.compile(r"^(https?://|www\.)\S+$")
NUMERIC = re.compile(r"^[-–(]?[$€£¥]?\s?\d[\d,.]*%?\)?[*a-z]?$|^[-–—]$|^n/?a$", re.IGNORECASE)
# A gap between lines this many times the usual line spacing starts a new paragraph.
PARAGRAPH_GAP = 1.35
# Line pairs a type size needs before its own spacing is trusted over the body text's.
SPACING_SAMPLES = 20
# A footnote starts at the left margin (its number or mark within this many points of the page's left edge).
NOTE_LEFT = 200.0
# A small-type line of this many cells is a table row, not a footnote.
TABLE_ROW_CELLS = 3


@dataclass
class Tagged:
    """A line with the role the layout gave it."""

    line: Line
    role: str = "body"
    level: int = 0


def body_size(pages: list[list[Line]]) -> float:
    """The most common font size of running prose, weighted by characters: the body text's size.

    Only single-cell lines of six words or more count, so a report made mostly of tables still
    finds the size of its prose."""
    counts: Counter[float] = Counter()
    for lines in pages:
        for line in lines:
            if len(line.cells) <= 1 and len(line.text.split()) >= 6:
                counts[round(line.size * 2) / 2] += len(line.text)
    return counts.most_common(1)[0][0] if counts else 10.0


def line_spacing(pages: list[list[Line]], size: float) -> float:
    gaps = []
    for lines in pages:
        for a, b in zip(lines, lines[1:]):
            if abs(a.size - size) < 0.6 and abs(b.size - size) < 0.6 and 0 < b.top - a.top < 3 * size:
                gaps.append(b.top - a.top)
    # a low percentile, not the median: in a short document of one-line paragraphs most gaps are breaks
    return sorted(gaps)[len(gaps) // 5] if gaps else size * 1.2


def line_spacings(pages: list[list[Line]]) -> dict[float, float]:
    """The usual line spacing of each type size that sets enough lines: a report may set its main
    text in two sizes (12 pt, and 14 pt with wider leading), and each size's paragraphs break on
    that size's own spacing."""
    gaps: dict[float, list[float]] = {}
    for lines in pages:
        for a, b in zip(lines, lines[1:]):
            if abs(a.size - b.size) < 0.3 and 0 < b.top - a.top < 3 * a.size:
                gaps.setdefault(round(a.size * 2) / 2, []).append(b.top - a.top)
    return {size: sorted(found)[len(found) // 5] for size, found in gaps.items() if len(found) >= SPACING_SAMPLES}


def pdf_document(name: str, pdf: PdfPages, use_outline: bool = True, use_contents: bool = True) -> Document:
    """The document model of a PDF read by qa.ingest.pdfium (outline/contents off: to measure the rest)."""
    pages = [_columns(lines) for lines in pdf.pages]
    skip = furniture(pages, pdf.heights, body_size(pages))
    toc = contents.contents_pages(pages, skip)
    entries = contents.read_entries(pages, toc, skip) if toc and use_contents else []
    size = body_size([[x for i, x in enumerate(lines) if (p, i) not in skip] for p, lines in enumerate(pages)])
    spacing = line_spacing(pages, size)
    tagged: list[list[Tagged]] = []
    for p, lines in enumerate(pages):
        row = []
        for i, line in enumerate(lines):
            role = "furniture" if (p, i) in skip else "toc" if p in toc else "body"
            row.append(Tagged(line, role))
        _footnotes(row, size)
        tagged.append(row)
    outline = pdf.outline if use_outline else []
    headings.mark(tagged, size, entries, outline)
    blocks = _blocks(tagged, size, spacing, _vocabulary(pages), line_spacings(pages))
    return Document(name=name, blocks=blocks, title=pdf.title, pages=len(pages), outline=list(pdf.outline))


def _columns(lines: list[Line]) -> list[Line]:
    """Two-column pages given line by line across both columns: split them and read left, then right."""
    split = [line for line in lines if len(line.cells) == 2 and _prose(line.cells)]
    if len(split) < 8 or len(split) < 0.4 * len(lines):
        return lines
    mids = sorted(line.cells[1][0] for line in split)
    middle = mids[len(mids) // 2]
    left, right = [], []
    for line in lines:
        if len(line.cells) == 2 and line.cells[1][0] >= middle - 20:
            (a0, a1, a), (b0, b1, b) = line.cells
            left.append(_part(line, a0, a1, a))
            right.append(_part(line, b0, b1, b))
        elif line.x0 >= middle - 20:
            right.append(line)
        else:
            left.append(line)
    return left + right


def _aligned_runs(row: list[Tagged]) -> dict[int, int]:
    """Lines that are rows of a table (line index → index of the run's first line): three or more
    body lines in a row with as many cells, starting at about the same places."""
    out: dict[int, int] = {}
    run: list[int] = []

    def flush() -> None:
        if len(run) >= 3:
            first = run[0]
            before = row[first - 1] if first else None
            # a header line right above, as many cells and no numbers, often centred over its columns
            if before is not None and before.role == "body" and len(before.line.cells) == len(row[first].line.cells) \
                    and not re.search(r"\d", before.line.text):
                first -= 1
            out.update({k: first for k in range(first, run[-1] + 1)})

    for k, t in enumerate(row):
        cells = t.line.cells
        if t.role == "body" and len(cells) >= 2 and not (len(cells) == 2 and _prose(cells)):
            if run and _close(row[run[-1]].line.cells, cells):
                run.append(k)
                continue
            flush()
            run = [k]
            continue
        if t.role == "body":
            flush()
            run = []
    flush()
    return out


def _run_header(row: list[Tagged], k: int, tabular: dict[int, int]) -> bool:
    """The first line of a run of aligned rows is their header when it is bold without values over
    plain rows (`Program FY2020 FY2021`), or has no digits and the rows under it do; a table of
    marks (`X`, `NE`) starts with a row."""
    line = row[k].line
    rest = [t.line for j, t in enumerate(row) if j > k and tabular.get(j) == k]
    if line.bold and rest and not rest[0].bold and not any(NUMERIC.match(c[2]) for c in line.cells):
        return True
    if re.search(r"\d", line.text):
        return False
    return not rest or any(re.search(r"\d", x.text) for x in rest)


def _close(a: list[tuple[float, float, str]], b: list[tuple[float, float, str]]) -> bool:
    """Same number of cells, the first at the same left edge, the others overlapping or near."""
    if len(a) != len(b) or abs(a[0][0] - b[0][0]) > 6:
        return False
    return all(
        (x0 <= y1 and y0 <= x1) or abs(x0 - y0) <= 30 or abs(x1 - y1) <= 30
        for (x0, x1, _), (y0, y1, _) in zip(a[1:], b[1:])
    )


def _prose(cells: list[tuple[float, float, str]]) -> bool:
    """Two cells that are both running text (two columns of prose), not a label and a value."""
    return all(len(c[2].split()) >= 6 and sum(w.isalpha() for w in c[2].split()) >= 0.7 * len(c[2].split())
               for c in cells)


def _part(line: Line, x0: float, x1: float, text: str) -> Line:
    return Line(text, line.page, x0, line.top, x1, line.bottom, line.size, line.bold, line.font, [(x0, x1, text)])


def _footnotes(row: list[Tagged], size: float) -> None:
    """Mark the footnote run at the foot of a page: smaller lines below the last body-size line, from
    one that opens at the left margin with a number or mark. A small-type table's row there (three
    cells or more) ends the run and takes back the lines marked above it: a table is no footnote."""
    content = [t for t in row if t.role == "body"]
    big = [t.line.bottom for t in content if t.line.size >= size - 0.6]
    if not big:
        return
    floor = max(big)
    started = False
    marked: list[Tagged] = []
    for t in sorted(content, key=lambda t: t.line.top):
        line = t.line
        if line.top < floor or line.size >= size - 0.6:
            continue
        if len(line.cells) >= TABLE_ROW_CELLS:  # a row of a small-type table, and so are the lines marked above it
            for above in marked:
                above.role = "body"
            marked, started = [], False
            continue
        opens = line.x0 < NOTE_LEFT and (bool(line.notes) or bool(re.match(r"^\d{1,3}\s+\S", line.text)))
        if opens or started:
            started = True
            t.role = "footnote-start" if opens else "footnote"
            marked.append(t)


def _vocabulary(pages: list[list[Line]]) -> set[str]:
    """The document's own words, for telling a broken word from a compound. A line's first word and
    the word before a line-end hyphen are left out: they may be halves (`recommenda-` + `tions`)."""
    words: set[str] = set()
    for lines in pages:
        for line in lines:
            found = re.findall(r"[A-Za-z]+", line.text)
            if line.text.rstrip().endswith("-"):
                found = found[:-1]
            words.update(w.lower() for w in found[1:])
    return words


def _dehyphenate(parts: list[str], vocabulary: set[str]) -> list[str]:
    """Join a word broken at a line end (`recommenda-` + `tions`), keeping real compounds (`state-owned`)."""
    out: list[str] = []
    for part in parts:
        part = part.strip()
        if out and re.search(r"[A-Za-z]-$", out[-1]) and re.match(r"[a-z]", part):
            left = re.search(r"([A-Za-z]+)-$", out[-1]).group(1).lower()
            right = re.match(r"[a-z]+", part).group(0)
            compound = left in vocabulary and right in vocabulary and len(left) > 2 and len(right) > 2
            joined = (left + right) in vocabulary
            if joined or not compound:
                out[-1] = out[-1][:-1] + part
                continue
            out[-1] = out[-1] + part
            continue
        out.append(part)
    return out


def _blocks(
    tagged: list[list[Tagged]], size: float, spacing: float, vocabulary: set[str], spacings: dict[float, float]
) -> list[Block]:
    builder = _Builder(size, spacing, vocabulary, spacings)
    for row in tagged:
        builder.page(row)
    return builder.finish()


class _Builder:
    """Walks the tagged lines page by page and emits blocks; one open paragraph at a time."""

    def __init__(
        self, size: float, spacing: float, vocabulary: set[str], spacings: dict[float, float] | None = None
    ) -> None:
        self.size = size
        self.spacing = spacing
        self.spacings = spacings or {}
        self.vocabulary = vocabulary
        self.blocks: list[Block] = []
        self.open: list[Line] = []
        self.open_kind = "body"
        self.notes: list[int] = []
        self.table: _Table | None = None
        self.last_table: _Table | None = None  # the last table with column headers, for one continued without
        self.last_table_end = 0  # len(self.blocks) when it ended
        self.pending_notes: list[Block] = []
        self.last_main: Block | None = None
        self.aside: list[Block] = []  # furniture and contents lines: in the model, never indexed
        self.main: set[int] = set()  # ids of the body-size, plain paragraphs (main text)

    # -- paragraphs
    def close(self) -> None:
        if self.open:
            text = join_lines(_dehyphenate([x.text for x in self.open], self.vocabulary))
            kind = self.open_kind
            if kind == "body" and URL.match(text):
                kind = "url"
            elif kind == "body" and PAGE_NUMBER.match(text):
                kind = "furniture"  # a number standing alone (a page number or a figure's axis label)
            block = Block(kind, text, self.open[0].page, notes=tuple(self.notes))
            self.blocks.append(block)
            if kind == "body" and abs(self.open[-1].size - self.size) < 0.6 and not any(x.bold for x in self.open):
                self.last_main = block
                self.main.add(id(block))
        self.open, self.notes, self.open_kind = [], [], "body"
        self._flush_notes()

    def _flush_notes(self) -> None:
        if self.pending_notes:
            self.blocks.extend(self.pending_notes)
            self.pending_notes = []

    def _continues(self, line: Line, kind: str) -> bool:
        if not self.open or kind != self.open_kind:
            return False
        last = self.open[-1]
        if line.page != last.page:
            return False
        if abs(line.size - last.size) > 0.6 or line.bold != last.bold and kind == "body":
            return False
        gap = line.top - last.top
        if gap < 0 or gap > self._gap_limit(line.size):
            return False
        if line.x0 > last.x0 + 1.5 * self.size and ends_sentence(last.text):
            return False  # first-line indent
        if line.x0 < last.x0 - 3 * self.size or line.x0 > self.open[0].x0 + 8 * self.size:
            return False
        return True

    def _gap_limit(self, size: float) -> float:
        """The widest top-to-top gap that still continues a paragraph set in `size`."""
        own = self.spacings.get(round(size * 2) / 2, 0.0) if abs(size - self.size) >= 0.6 else 0.0
        return PARAGRAPH_GAP * max(self.spacing, own, size)

    def _mid_paragraph(self, line: Line) -> bool:
        """The line goes on a sentence of the open paragraph (`… (see` / `Figure 3), including …`)."""
        return bool(self.open) and self.open_kind == "body" and not ends_sentence(self.open[-1].text) and \
            self._continues(line, "body")

    def _carry_over(self, line: Line) -> bool:
        """The first body line of a page continues the last main-text paragraph of the page before."""
        block = self.last_main
        if block is None or block.kind != "body" or block.page != line.page - 1 or ends_sentence(block.text):
            return False
        return abs(line.size - self.size) < 0.6

    def page(self, row: list[Tagged]) -> None:
        first_body = True
        notes: list[Block] = []
        tabular = _aligned_runs(row)
        for k, t in enumerate(row):
            line = t.line
            if t.role in ("furniture", "toc"):
                self.aside.append(Block(t.role, line.text, line.page))
                continue
            if t.role.startswith("footnote"):
                if t.role == "footnote-start" or not notes:
                    opener = re.match(r"\d+", line.text)
                    number = line.notes[0] if line.notes else int(opener.group(0)) if opener else 0
                    text = re.sub(r"^\d{1,3}\s+", "", line.text) if not line.notes else line.text
                    notes.append(Block("footnote", text, line.page, number=number))
                else:
                    notes[-1].text = join_lines(_dehyphenate([notes[-1].text, line.text], self.vocabulary))
                continue
            if t.role == "heading":
                self._end_table()
                self.close()
                last = self.blocks[-1] if self.blocks else None
                if last and last.kind == "heading" and self._wraps_heading(last, line, t.level):
                    last.text = join_lines([last.text, line.text])
                else:
                    label = ""
                    self.blocks.append(Block("heading", line.text, line.page, level=t.level, label=label))
                self._last_heading_line = line
                first_body = False
                continue
            text = line.text.strip()
            if self.table is not None and self.table.aligned and tabular.get(k) == k:
                self._end_table()  # a new run of aligned rows is a new table
            if self.table is not None and self.table.takes(line, self.size):
                self._onto_caption(line)
                continue
            if self.table is not None:
                self._end_table()
            set_apart = line.bold or abs(line.size - self.size) > 0.6
            if CAPTION_START.match(text) and set_apart and not self._mid_paragraph(line):
                self.close()
                self.open, self.open_kind = [line], "caption"
                if re.match(r"^Table\b", text, re.IGNORECASE):
                    self.table = _Table(caption_lines=[line])
                first_body = False
                continue
            if self.open_kind == "caption" and self.open and self._caption_goes_on(line):
                self.open.append(line)
                if self.table is not None:
                    self.table.caption_lines.append(line)
                continue
            if SOURCE.match(text):
                self.close()
                self.open, self.open_kind = [line], "source"
                continue
            numbers = sum(bool(NUMERIC.match(c[2])) for c in line.cells)
            if tabular.get(k) == k or k not in tabular and len(line.cells) >= 3 and numbers >= 2:
                titles, heads = self._table_title()
                self.close()
                self.table = _Table(caption_lines=titles, aligned=k in tabular, header_lines=heads)
                if k in tabular and _run_header(row, k, tabular):
                    self.table.header_lines.append(line)
                elif k in tabular:
                    self.table.rows = [line]
                    self.table.label_parts = []
                elif not self.table.takes(line, self.size):
                    self.table.header_lines.append(line)
                continue
            kind = "list" if BULLET.match(text) and not re.match(r"^\d{1,2}[.)]\s", text) or \
                re.match(r"^[•◦▪●○‣⁃]", text) else "body"
            if self.open_kind == "source" and self.open and self._continues(line, "source"):
                self.open.append(line)
                continue
            if kind == "list":
                self.close()
                self.open, self.open_kind = [line], "list"
                self.notes.extend(line.notes)
                continue
            if self.open_kind == "list" and self.open and self._continues(line, "list") and \
                    line.x0 > self.open[0].x0 + 0.5:
                self.open.append(line)
                self.notes.extend(line.notes)
                continue
            if first_body and not self.open and self._carry_over(line):
                previous = self.last_main
                previous.text = join_lines(_dehyphenate([previous.text, line.text], self.vocabulary))
                previous.notes = previous.notes + line.notes
                first_body = False
                self._tail, self._tail_line = previous, line
                continue
            first_body = False
            if getattr(self, "_tail", None) is not None and not self.open:
                tail, above = self._tail, self._tail_line
                gap = line.top - above.top
                if above.page == line.page and 0 < gap <= self._gap_limit(line.size) and \
                        abs(line.size - above.size) < 0.6 and not (line.x0 > above.x0 + 1.5 * self.size):
                    tail.text = join_lines(_dehyphenate([tail.text, line.text], self.vocabulary))
                    tail.notes = tail.notes + line.notes
                    self._tail_line = line
                    continue
                self._tail = None
            if not self._continues(line, "body"):
                self.close()
                self.open_kind = "body"
            self.open.append(line)
            self.notes.extend(line.notes)
        self._end_table()
        self.close()
        self._tail = None
        self.blocks.extend(notes)

    def _wraps_heading(self, last: Block, line: Line, level: int) -> bool:
        """`line` is the second line of the heading just emitted (same page and level, right below it)."""
        above = getattr(self, "_last_heading_line", None)
        return (
            above is not None
            and last.page == line.page
            and last.level == level
            and headings.set_below(above, line, line.size)
            and not re.search(r"[.!?]$", last.text)
        )

    def _table_title(self) -> tuple[list[Line], list[Line]]:
        """Short bold lines just above a table without a `Table N.` caption: (its title, its column headers).

        The title stays open as a caption paragraph, so its words are indexed; a bold line of several
        cells is the header row (a table continued on a new page repeats it without its caption)."""
        if self.open and self.open_kind == "body" and all(x.bold for x in self.open) and len(self.open) <= 3:
            title = [x for x in self.open if len(x.cells) <= 1]
            heads = [x for x in self.open if len(x.cells) > 1]
            self.open, self.open_kind = title, "caption"
            return list(title), heads
        return [], []

    def _onto_caption(self, line: Line) -> None:
        """A line the table took as its caption's next line (`(in millions of dollars)`) goes on the caption record."""
        table = self.table
        if table is None or not table.caption_lines or table.caption_lines[-1] is not line:
            return
        if self.open and self.open_kind == "caption":
            self.open.append(line)
        elif self.blocks and self.blocks[-1].kind == "caption":
            self.blocks[-1].text = join_lines([self.blocks[-1].text, line.text])

    def _caption_goes_on(self, line: Line) -> bool:
        last = self.open[-1]
        return (
            line.page == last.page
            and 0 <= line.top - last.bottom < 0.8 * line.size
            and (line.bold == last.bold or abs(line.size - last.size) < 0.6)
            and len(line.cells) <= 1
        )

    # -- tables
    def _end_table(self) -> None:
        if self.table is None:
            return
        table, self.table = self.table, None
        if table.label_parts:  # label lines no row of numbers followed: keep their words
            self.close()
            self.blocks.append(Block("body", join_lines(table.label_parts), table.rows[-1].page if table.rows else 1))
            table.label_parts = []
        if not table.rows and len(table.header_lines) >= 2:
            table.rows = table.header_lines[1:]
            table.header_lines = table.header_lines[:1]
        if table.rows:
            self.close()
            if not table.header_lines and not table.caption_lines and self._table_goes_on():
                table.continues(self.last_table)
            self.blocks.extend(table.blocks())
            if table.columns():
                self.last_table, self.last_table_end = table, len(self.blocks)
        elif table.header_lines:  # nothing tabular after all: keep its words as text (the caption has its own)
            self.close()
            for line in table.header_lines:
                self.blocks.append(Block("body", line.text, line.page))

    def _table_goes_on(self) -> bool:
        """Nothing but page furniture, notes or a broken-off row (a few words) since the last table with
        headers: a paragraph of prose between two tables makes the second a table of its own."""
        if self.last_table is None:
            return False
        between = self.blocks[self.last_table_end:]
        return all(b.kind != "body" or len(b.text.split()) <= 8 for b in between)

    def finish(self) -> list[Block]:
        self._end_table()
        self.close()
        return _attach_notes(_mend_breaks(self.blocks, self.main, self.vocabulary)) + self.aside


# What may be printed between the two halves of a paragraph broken by a column or page end.
_BETWEEN_HALVES = ("footnote", "caption", "source", "furniture", "url")


def _mend_breaks(blocks: list[Block], main: set[int], vocabulary: set[str]) -> list[Block]:
    """Join a main-text paragraph that opens in lower case (or with a dash aside) to the main-text
    paragraph before it that ends mid-sentence: a column or page end broke one paragraph in two
    (`… three widely attended workshops,` | `public comments on a concept paper …`). Figures, notes
    and furniture printed between the halves stay where they are."""
    out: list[Block] = []
    for block in blocks:
        # `– via responses to …` after `… during this Framework’s development` is a dash aside, not a bullet.
        aside = block.kind == "list" and re.match(r"[–—]\s+[a-z]", block.text)
        if (id(block) in main and re.match(r"[a-z]", block.text)) or aside:
            at = len(out) - 1
            while at >= 0 and out[at].kind in _BETWEEN_HALVES:
                at -= 1
            before = out[at] if at >= 0 else None
            if (
                before is not None
                and (id(before) in main or before.kind == "list")
                and not ends_sentence(before.text)
                and block.page - before.page in (0, 1)
            ):
                before.text = join_lines(_dehyphenate([before.text, block.text], vocabulary))
                before.notes = before.notes + block.notes
                continue
        out.append(block)
    return out


@dataclass
class _Table:
    """Rows of one table: a header from the first multi-cell line(s) without numbers, then data rows."""

    caption_lines: list[Line]
    aligned: bool = False
    header_lines: list[Line] = field(default_factory=list)
    rows: list[Line] | None = None
    label_parts: list[str] | None = None
    marks: bool = False  # rows without numbers (`E`, `NE`, `X`) under a bold header
    inherited: list[tuple[float, float, str]] = field(default_factory=list)
    inherited_caption: str = ""

    def continues(self, before: _Table) -> None:
        """Take the column headers and caption of the table just before when these rows are more of it:
        a row the layout broke off (`P.L. 112-141 July 6, 2012` set over two lines) splits one table in
        two, and the second half, headerless, would read `P.L. 116-159 — Sept. 25, 2020; 10.400; …`.
        Its rows must sit on the same or the next page, with as many cells as the columns, each under its own."""
        columns = before.columns()
        rows = self.rows or []
        if not rows or not before.rows or rows[0].page - before.rows[-1].page > 1:
            return
        widest = max(rows, key=lambda r: len(r.cells))
        if len(widest.cells) != len(columns):
            return
        if all(_column(columns, x0, x1) == columns[i][2] for i, (x0, x1, _) in enumerate(widest.cells)):
            self.inherited, self.inherited_caption = columns, before.caption()

    def takes(self, line: Line, size: float) -> bool:
        if self.rows is None:
            self.rows, self.label_parts = [], []
        numeric = sum(bool(NUMERIC.match(c[2])) for c in line.cells)
        if SOURCE.match(line.text) or CAPTION_START.match(line.text):
            return False
        single = len(line.cells) == 1
        tokens = line.text.split()
        columnar = sum(any(ch.isdigit() for ch in w) for w in tokens) >= max(3, 0.6 * len(tokens))
        if single and columnar and not self.rows:
            self.header_lines.append(line)  # column labels set close together (`FY2012 FY2013 …`)
            return True
        if single and not self.header_lines and not self.rows and self.caption_lines and \
                len(line.text.split()) <= 15 and 0 <= line.top - self.caption_lines[-1].bottom < line.size:
            self.caption_lines.append(line)  # the caption's second line or its units: `(in millions of dollars)`
            return True
        if single and not self.rows and (line.bold and self.caption_lines or self._in_header_band(line)):
            self.header_lines.append(line)  # one cell of a header set over several lines (`Fiscal Year`, `Amount`)
            return True
        if len(line.cells) >= 2 and numeric == 0 and not self.rows and self._plain_under_bold(line):
            self.marks = True  # the first row of a table of marks (`E`, `TBD`, `X`) under a bold header
        if self.rows and self._wraps_row(line):
            self.rows[-1] = _merge_cells(self.rows[-1], line)
            return True
        if self.aligned and len(line.cells) >= 2:
            self.rows.append(line)
            return True
        if len(line.cells) >= 2 and numeric == 0 and not self.rows and not self.marks and line.size <= size + 0.6 or \
                single and line.bold and not self.rows and self.header_lines:
            self.header_lines.append(line)  # column headers, or the label column's own header (`Program`)
            return True
        if len(line.cells) >= 2 and (numeric >= 1 or self.marks):
            if self.label_parts:
                first = line.cells[0]
                label = " ".join([*self.label_parts, first[2]]) if not NUMERIC.match(first[2]) else " ".join(
                    self.label_parts)
                cells = [(first[0], first[1], label), *line.cells[1:]] if not NUMERIC.match(first[2]) else [
                    (line.x0, line.x0, label), *line.cells]
                line = Line(line.text, line.page, line.x0, line.top, line.x1, line.bottom, line.size, line.bold,
                            line.font, cells)
                self.label_parts = []
            self.rows.append(line)
            return True
        if len(line.cells) == 1 and (self.rows or self.header_lines) and line.size <= size + 0.6 and \
                len(line.text.split()) <= 12 and not ends_sentence(line.text):
            self.label_parts.append(line.text)
            return True
        return False

    def _in_header_band(self, line: Line) -> bool:
        """The line starts above the bottom of a header line: a part of the header (`(FY2022-FY2026)`)."""
        return bool(self.header_lines) and line.top < max(x.bottom for x in self.header_lines)

    def _plain_under_bold(self, line: Line) -> bool:
        """A plain line under an all-bold header is a row, even without numbers."""
        return bool(self.header_lines) and all(x.bold for x in self.header_lines) and not line.bold

    def _wraps_row(self, line: Line) -> bool:
        """The line goes on the cells of the row above (a cell's text wrapped onto a second line)."""
        last = self.rows[-1]
        return (
            line.page == last.page
            and 0 <= line.top - last.bottom < 0.5 * line.size
            and len(line.cells) < len(last.cells)
            and not NUMERIC.match(line.cells[0][2])
        )

    def caption(self) -> str:
        return join_lines([x.text for x in self.caption_lines]) or self.inherited_caption

    def columns(self) -> list[tuple[float, float, str]]:
        """Column headers over the value columns: header words gathered under the data columns."""
        rows = self.rows or []
        if self.inherited:
            return self.inherited
        if not rows or not self.header_lines:
            return []
        widest = max(rows, key=lambda r: len(r.cells))
        if len(self.header_lines) == 1 and len(self.header_lines[0].cells) == len(widest.cells):
            return [(x0, x1, head) for (x0, x1, _), (_, _, head) in zip(widest.cells, self.header_lines[0].cells)]
        spans = [[x0, x1, []] for x0, x1, _ in widest.cells]
        for line in sorted(self.header_lines, key=lambda x: x.top):  # content order may read a header bottom-up
            for x0, x1, word in line.words:
                best = min(spans, key=lambda span: _distance(span, _header_centre(line, x0, x1, spans)))
                best[2].append(word)
        return [(x0, x1, " ".join(words)) for x0, x1, words in spans]

    def blocks(self) -> list[Block]:
        caption = self.caption()
        columns = self.columns()
        label_column = columns[0] if columns else None
        out = []
        for row in self.rows or []:
            cells = row.cells
            first = cells[0]
            left = label_column is None or first[0] < label_column[1] + 1 or len(cells) == len(columns)
            label = first[2] if not NUMERIC.match(first[2]) or (left and label_column and label_column[2]) else ""
            if label and NUMERIC.match(label) and label_column and label_column[2]:
                label = f"{label_column[2]} {label}"
            values = cells[1:] if label else cells
            pairs = tuple((_column(columns[1:] or columns, x0, x1), value) for x0, x1, value in values)
            body = "; ".join(f"{h}: {v}" if h else v for h, v in pairs)
            text = f"{label} — {body}" if label else body
            out.append(Block("table", text, row.page, cells=pairs, caption=caption))
        return out


def _merge_cells(row: Line, more: Line) -> Line:
    """Row `row` with each cell of its continuation line `more` appended to the cell above it."""
    cells = [list(c) for c in row.cells]
    for x0, x1, text in more.cells:
        centre = (x0 + x1) / 2
        target = min(cells, key=lambda c: _distance(c, centre))
        target[2] = join_lines([target[2], text]) if not target[2].endswith("/") else target[2] + text
        target[0], target[1] = min(target[0], x0), max(target[1], x1)
    merged = [(c[0], c[1], c[2]) for c in cells]
    return Line(" ".join(c[2] for c in merged), row.page, row.x0, row.top, max(row.x1, more.x1), more.bottom,
                row.size, row.bold, row.font, merged, row.words + more.words)


def _header_centre(line: Line, x0: float, x1: float, spans: list) -> float:
    """Where a header word belongs: the centre of its header cell (`Mass Transit`, centred over a narrow
    right-aligned column of figures, is nearer the figures left of it word by word), unless that cell
    straddles several columns (`FY2012 FY2013 …` set close together), where each word goes on its own."""
    centre = (x0 + x1) / 2
    cell = next(((c0, c1) for c0, c1, _ in line.cells if c0 <= centre <= c1), None)
    if cell is None or sum(1 for s0, s1, _ in spans if min(cell[1], s1) > max(cell[0], s0)) > 1:
        return centre
    return (cell[0] + cell[1]) / 2


def _distance(span: list, centre: float) -> float:
    return 0.0 if span[0] <= centre <= span[1] else min(abs(centre - span[0]), abs(centre - span[1]))


def _column(header, x0: float, x1: float) -> str:
    """The header of the column a value sits in: the one it overlaps most, else the nearest."""
    if not header:
        return ""
    best, score = "", None
    centre = (x0 + x1) / 2
    for h0, h1, text in header:
        overlap = min(x1, h1) - max(x0, h0)
        distance = abs((h0 + h1) / 2 - centre)
        key = (-overlap if overlap > 0 else 0, distance)
        if score is None or key < score:
            best, score = text, key
    return best


def _attach_notes(blocks: list[Block]) -> list[Block]:
    """Move each footnote right after the first paragraph that cites it (on its page or just before)."""
    notes: dict[tuple[int, int], list[Block]] = {}
    order = []
    for block in blocks:
        if block.kind == "footnote":
            # two notes with one (page, number) both stay: a page's small-type box read as notes, or a misread mark
            notes.setdefault((block.page, block.number), []).append(block)
        else:
            order.append(block)
    placed = set()
    out: list[Block] = []
    for block in order:
        out.append(block)
        for n in block.notes:
            for page in (block.page, block.page + 1, block.page - 1):
                key = (page, n)
                if key in notes and key not in placed:
                    placed.add(key)
                    out.extend(notes[key])
                    break
    for key, group in notes.items():
        if key not in placed:
            out.extend(group)
    return out
