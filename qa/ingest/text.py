"""Plain text → the document model (qa.ingest.model) → paragraph records, like every other format.

Lines and their layout roles come from qa.ingest.textlines. A heading is a short numbered line at
a paragraph boundary whose number is next in sequence (qa.ingest.numbering.Sequence), in whatever
grammar the text uses: the white paper's `Section 1`/`❶`/`(1)`/`A.`, or `Chapter 3`/`1.`/`1.2`.
A letter whose period the extraction lost (`B Activities of the TLO`) counts when it goes on a
letter sequence. In PDF-extracted text, runs of tight lines are figure fragments, filed with the
caption they follow; inside them only word-numbered headings (`Section 2`) and the outermost other
style (`❷`) open a section, so `(1) When the ratio…` in a figure stays figure text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from qa.ingest.cleanup import join_lines, split_glued_numbers, strip_markers
from qa.ingest.model import Block, Document
from qa.ingest.numbering import Count, Rank, Sequence, counts, numbering
from qa.ingest.outline import ends_sentence
from qa.ingest.sections import to_paragraphs
from qa.ingest.textlines import FOOTNOTE, TextLine, mark_roles, read_lines
from qa.records import Paragraph

CAPTION = re.compile(r"^■.*■$|^■\s*(Figure|Table)\b")
SOURCE = re.compile(r"^(Sources?|Notes?)\s*:", re.IGNORECASE)
LOOSE_LETTER = re.compile(r"^([A-Z])\s+(\S.*)$")
CONNECTORS = {"and", "of", "to", "for", "the", "in", "on", "with", "a", "an", "by", "from", "at", "or"}
MAX_TITLE = 150
MAX_LOOSE_LETTER = 100
FIGURE_SYMBOLS = 1


@dataclass(frozen=True)
class Candidate:
    """A line read as a heading: its label as printed (`Section 1`, `B.`), title, and ways to count it."""

    label: str
    title: str
    counts: list[Count]


@dataclass
class Pending:
    """A block still taking lines: its kind, first page, and the block whose section it belongs to."""

    kind: str
    page: int
    parts: list[str] = field(default_factory=list)
    closed: bool = False
    belongs_to: int = -1

    @property
    def text(self) -> str:
        return join_lines(self.parts)


def candidate(text: str) -> Candidate | None:
    """`text` as a numbered heading, before its sequence is checked."""
    if len(text) > MAX_TITLE:
        return None
    text = text.strip()
    found = numbering(text)
    if found is not None and found.title != text:
        label, title = " ".join(text[: len(text) - len(found.title)].split()), found.title.strip()
        reading = Candidate(label, title, counts(found))
    elif found is None and (m := LOOSE_LETTER.match(text)):
        number = ord(m.group(1)) - 64
        if number < 2 or not m.group(2)[0].isupper() or len(text) > MAX_LOOSE_LETTER:
            return None
        reading = Candidate(f"{m.group(1)}.", m.group(2).strip(), [Count("letter", (number,))])
    else:
        return None
    if not reading.counts or (reading.title.endswith(".") and not reading.title.endswith("etc.")):
        return None
    return reading


def starts_heading(text: str) -> bool:
    """Does `text` open with a countable numbering with its punctuation (`B Activities` does not)?"""
    found = numbering(text)
    return found is not None and found.title != text.strip() and bool(counts(found))


def title_continues(title: str, nxt: str) -> bool:
    """Does a heading wrap onto `nxt`? (`… Property and` / `Standardization`)."""
    if len(nxt) > 70 or ends_sentence(nxt) or starts_heading(nxt):
        return False
    last = title.split()[-1].lower() if title.split() else ""
    if last in CONNECTORS or title.endswith((",", "-", "“")) or title.count("“") > title.count("”"):
        return True
    if nxt[0].islower():
        return True
    words = [w for w in re.findall(r"[A-Za-z]+", nxt) if len(w) > 3]
    return bool(words) and all(w[0].isupper() for w in words) and len(title) >= 50


class TextBlocks:
    """Reads lines into blocks in one pass; the heading sequence decides which lines are headings."""

    def __init__(self, lines: list[TextLine], pdf: bool, marks: dict[int, set[int]]) -> None:
        self.lines, self.pdf, self.marks = lines, pdf, marks
        self.blocks: list[Block] = []
        self.ranks: list[tuple[Block, Rank]] = []
        self.sequence = Sequence()
        self.pending: Pending | None = None
        self.aside: list[Block] = []
        self.link: list[str] = []
        self.figure_mode = False
        self.figure_of = -1
        self.unfilled_caption = -1

    def flush(self) -> None:
        """Close the pending block, then add the footnotes and link boxes that interrupted it."""
        if self.pending is not None:
            pending = self.pending
            self.blocks.append(Block(pending.kind, pending.text, pending.page, belongs_to=pending.belongs_to))
            self.pending = None
        self.blocks += self.aside
        self.aside.clear()

    def heading(self, i: int, found: Candidate, count: Count, page: int) -> int:
        """Add the heading, its title rejoined from the lines it wraps onto; return the next line's index."""
        self.flush()
        self.figure_mode = False
        lines, title = self.lines, found.title
        while (
            i < len(lines)
            and not lines[i].end
            and not lines[i].page_start
            and not lines[i].role
            and title_continues(title, lines[i].text)
        ):
            title = join_lines([title, lines[i].text])
            i += 1
        block = Block("heading", f"{found.label} {title}", page, label=found.label)
        self.blocks.append(block)
        self.ranks.append((block, self.sequence.rank(count)))
        return i

    def figure(self, text: str, page: int) -> None:
        """A figure fragment; a run of them belongs to the caption still waiting for its figure."""
        if not self.figure_mode:
            self.flush()
            self.figure_mode = True
            self.figure_of, self.unfilled_caption = self.unfilled_caption, -1
        if self.pending is not None and self.pending.kind == "figure" and not self.pending.closed:
            self.pending.parts.append(text)
        else:
            self.flush()
            self.pending = Pending("figure", page, [text], belongs_to=self.figure_of)

    def line(self, i: int) -> int:
        """Take line `i`; return the index of the next line to read."""
        line, pending = self.lines[i], self.pending
        i += 1
        if line.end:
            if pending is not None:
                pending.closed = True
            return i
        if line.role == "footnote":
            number = FOOTNOTE.match(line.text)
            self.aside.append(Block("footnote", line.text, line.page, number=int(number.group(1)) if number else 0))
            return i
        page_marks = self.marks.get(line.page, set()) | self.marks.get(line.page + 1, set())
        text = split_glued_numbers(strip_markers(line.text, page_marks))
        if line.role in ("url", "link"):
            self.link.append(text)
            if line.role == "url":
                self.aside.append(Block("url", join_lines(self.link), line.page))
                self.link = []
            return i
        if line.page_start:
            self.figure_mode = False
        at_boundary = pending is None or pending.closed or ends_sentence(pending.text) or line.page_start
        found = candidate(text) if at_boundary else None
        count = self.sequence.accept(found.counts, FIGURE_SYMBOLS if self.figure_mode else None) if found else None
        if found and count:
            return self.heading(i, found, count, line.page)
        if CAPTION.match(text):
            self.flush()
            self.blocks.append(Block("caption", text.strip("■ ").strip(), line.page))
            self.unfilled_caption = len(self.blocks) - 1
        elif SOURCE.match(text):
            self.flush()
            self.pending = Pending("source", line.page, [text])
        elif pending is not None and pending.kind == "source" and not pending.closed:
            pending.parts.append(text)
        elif self.pdf and (self.figure_mode or line.tight):
            self.figure(text, line.page)
        elif pending is not None and pending.kind == "body" and self._continues(pending, line):
            pending.parts.append(text)
            pending.closed = False
        else:
            self.flush()
            self.pending = Pending("body", line.page, [text])
        return i

    @staticmethod
    def _continues(pending: Pending, line: TextLine) -> bool:
        """A paragraph goes on past a line break, and past a page break when it has not ended."""
        if line.page_start:
            return not ends_sentence(pending.text)
        return not pending.closed

    def read(self) -> list[Block]:
        """All blocks; heading levels are their ranks in the sequence, numbered 1, 2, … outwards in."""
        i = 0
        while i < len(self.lines):
            i = self.line(i)
        self.flush()
        levels = {rank: n + 1 for n, rank in enumerate(sorted({rank for _, rank in self.ranks}))}
        for block, rank in self.ranks:
            block.level = levels[rank]
        return self.blocks


def text_document(name: str, text: str) -> Document:
    """The document model of a plain-text file."""
    lines, pdf = read_lines(text)
    marks = mark_roles(lines) if pdf else {}
    blocks = TextBlocks(lines, pdf, marks).read()
    return Document(name, blocks, pages=max((line.page for line in lines), default=1))


def parse_text(doc: str, text: str, name: str = "") -> list[Paragraph]:
    """Paragraph records of a plain-text file, by way of the document model."""
    return to_paragraphs(doc, text_document(name or f"{doc}.txt", text))
