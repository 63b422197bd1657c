"""The section outline of a document while it is being parsed, and the paragraph records it numbers.

qa.ingest.sections pushes every format's headings here and adds its paragraphs; this module owns
section paths, paragraph numbers and refs, so all formats cite the same way.
A ref is `<doc>:<section code>.p<n>` (`…:s1.1.1.b.p1`): built from the heading numbering and the
paragraph's place in its section, so it is the same after every rebuild.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from qa.records import Paragraph

TERMINAL = re.compile(r"[.!?:;]\s*[”’\"')\]]*\s*$")


@dataclass(frozen=True)
class Heading:
    level: int
    label: str
    title: str
    code: str


def doc_id(filename: str) -> str:
    """A short ASCII id for a document, from its file name: `White Paper 2021.txt` → `white-paper-2021`."""
    stem = filename.rsplit("/", 1)[-1]
    stem = stem.rsplit(".", 1)[0] if "." in stem else stem
    slug = re.sub(r"[^a-z0-9]+", "-", stem.lower()).strip("-")
    return slug or "doc"


def ends_sentence(text: str) -> bool:
    return bool(TERMINAL.search(text))


class Outline:
    """Open headings, sibling counters for sequence checks, and per-section paragraph numbers."""

    def __init__(self, doc: str) -> None:
        self.doc = doc
        self.open: list[Heading] = []
        self.last_child: dict[tuple[tuple[str, ...], int], int] = {}
        self.counts: dict[str, int] = {}
        self.records: list[Paragraph] = []
        self.refs: set[str] = set()

    def parent_codes(self, level: int) -> tuple[str, ...]:
        return tuple(h.code for h in self.open if h.level < level)

    def next_number(self, level: int) -> int:
        """The number the next heading at `level` should carry (1 for a new parent)."""
        return self.last_child.get((self.parent_codes(level), level), 0) + 1

    def push(self, heading: Heading, number: int, page: int) -> None:
        self.last_child[(self.parent_codes(heading.level), heading.level)] = number
        self.open = [h for h in self.open if h.level < heading.level] + [heading]
        self.add("heading", f"{heading.label} {heading.title}".strip(), page)

    def snapshot(self) -> tuple[Heading, ...]:
        return tuple(self.open)

    def add(
        self, kind: str, text: str, page: int, headings: tuple[Heading, ...] | None = None
    ) -> Paragraph | None:
        text = re.sub(r"\s+", " ", text).strip()
        if not text:
            return None
        heads = self.open if headings is None else list(headings)
        code = ".".join(h.code for h in heads) or "intro"
        if kind == "heading":
            number, local = 0, f"{code}.h"
        else:
            number = self.counts.get(code, 0) + 1
            self.counts[code] = number
            local = f"{code}.p{number}"
        ref = f"{self.doc}:{local}"
        suffix = 2
        while ref in self.refs:
            ref = f"{self.doc}:{local}-{suffix}"
            suffix += 1
        self.refs.add(ref)
        record = Paragraph(
            doc=self.doc,
            ref=ref,
            section=tuple(f"{h.label} {h.title}".strip() for h in heads),
            section_labels=tuple(h.label or h.title for h in heads),
            number=number,
            page=page,
            kind=kind,
            text=text,
        )
        self.records.append(record)
        return record
