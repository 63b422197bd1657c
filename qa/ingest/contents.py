"""A document's own table of contents: recognise the pages that hold it and read its entries.

An entry is a title followed by a page number, usually after dot leaders (`Introduction ……… 4`);
a long title may wrap onto an indented line that carries the number. Entry levels come from
indentation. Lists of figures and tables, and the list headers themselves (`Figures`, `Tables`,
`Appendixes`, `Contacts`), are not headings. The contents pages are marked so they are never
indexed as body text or mistaken for headings.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from qa.ingest.model import Line
from qa.lexicon import CAPTION_START

CONTENTS_TITLE = re.compile(r"^(?:table\s+of\s+)?contents$", re.IGNORECASE)
ENTRY = re.compile(r"^(?P<title>.*?\S)\s*(?:[.·…‥_\s]{2,}|\s)\s*(?P<page>\d{1,4}|[ivxlc]{1,6})$", re.IGNORECASE)
LEADERS = re.compile(r"[.·…]{4,}")
LIST_HEADER = re.compile(
    r"^(figures|tables|list of (figures|tables|boxes|charts)|appendix(es)?|appendices|contacts|boxes)$", re.I
)
# A page is a contents page when this share of its lines are entries (and at least 5 are).
ENTRY_SHARE = 0.5


@dataclass(frozen=True)
class Entry:
    """One heading the contents page lists: its title, level (1 = top) and printed page."""

    title: str
    level: int
    page: str


def _entry(line: Line) -> tuple[str, str] | None:
    text = line.text.strip()
    match = ENTRY.match(text)
    if not match:
        return None
    title = LEADERS.sub(" ", match.group("title")).strip(" .·…")
    if not title or title.isdigit():
        return None
    has_leaders = bool(LEADERS.search(text)) or len(line.cells) > 1
    if not has_leaders and not match.group("page").isdigit():
        return None
    return title, match.group("page")


def contents_pages(pages: list[list[Line]], skip: set[tuple[int, int]]) -> list[int]:
    """Indexes of the pages that hold the contents (a titled page and the entry pages after it)."""
    found: list[int] = []
    for p, lines in enumerate(pages):
        kept = [line for i, line in enumerate(lines) if (p, i) not in skip]
        if not kept:
            continue
        titled = any(CONTENTS_TITLE.match(line.text.strip()) for line in kept[:6])
        entries = sum(1 for line in kept if _entry(line) and LEADERS.search(line.text))
        is_entry = [bool(_entry(line)) for line in kept]
        plain = sum(is_entry)
        headers = sum(1 for line in kept if LIST_HEADER.match(line.text.strip()))
        wrapped = sum(
            1 for k, line in enumerate(kept[:-1]) if not is_entry[k] and is_entry[k + 1] and _wraps(line, kept[k + 1])
        )
        share = (plain + headers + wrapped) / len(kept)
        if titled and plain >= 3:
            found.append(p)
        elif found and found[-1] == p - 1 and share >= ENTRY_SHARE and plain + headers >= 2:
            found.append(p)
        elif entries >= 5 and entries / len(kept) >= ENTRY_SHARE and p < max(6, len(pages) // 4):
            found.append(p)
    return found


def read_entries(pages: list[list[Line]], toc: list[int], skip: set[tuple[int, int]]) -> list[Entry]:
    """The heading entries of the contents pages, in order, with levels from indentation."""
    raw: list[tuple[str, str, float]] = []
    pending: list[Line] = []
    for p in toc:
        for i, line in enumerate(pages[p]):
            if (p, i) in skip:
                continue
            text = line.text.strip()
            if CONTENTS_TITLE.match(text):
                continue
            if LIST_HEADER.match(text):
                pending = []
                continue
            found = _entry(line)
            if pending and not _wraps(pending[-1], line):
                pending = []
            if not found:
                pending.append(line)
                if len(pending) > 3:
                    pending = pending[-1:]
                continue
            title, page = found
            first = pending[0] if pending and pending[0].x0 <= line.x0 + 1 else line
            if pending and first is pending[0]:
                title = " ".join([*(x.text.strip() for x in pending), title])
            pending = []
            if CAPTION_START.match(title):
                continue
            raw.append((title, page, first.x0))
    indents = _levels([x0 for _, _, x0 in raw])
    used = sorted(set(indents.values()))
    rank = {level: n + 1 for n, level in enumerate(used)}
    return [Entry(re.sub(r"\s+", " ", t), rank[indents[x0]], page) for t, page, x0 in raw]


def _wraps(above: Line, line: Line) -> bool:
    """`line` goes on the title started on `above` (same type, just below it)."""
    return (
        above.page == line.page
        and abs(above.size - line.size) < 1.0
        and 0 <= line.top - above.bottom < 1.2 * line.size
    )


def _levels(xs: list[float]) -> dict[float, int]:
    """Indentation → level: distinct left edges (within 4 pt) ranked from the left."""
    stops: list[float] = []
    for x in sorted(set(xs)):
        if not stops or x - stops[-1] > 4:
            stops.append(x)
    out = {}
    for x in xs:
        out[x] = 1 + max(i for i, stop in enumerate(stops) if x >= stop - 0.01)
    return out
