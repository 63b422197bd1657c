"""Page furniture: running headers and footers, page numbers and stamps that repeat page after page.

A line is furniture when its shape (lower case, digits as `#`) recurs near the same height on
most pages, or when it is a bare page number (`7`, `Page 4`, `- 12 -`, `ii`) in the top or bottom
margin. Such lines would otherwise be indexed as text and cut sentences that run over a page break.

Many reports print their header and footer on only some pages (not on the cover, the contents
or landscape table pages), so two more rules work below that share, on the lines at a page's edge
(the outermost lines of the top or bottom margin band): a short line that recurs at the same
distance from the edge on three pages or more, and a line carrying the page's own number, which
runs with the physical page (`Congressional Research Service 3` on page 5, `CRS-4` on page 6).
Walking in from each edge, lines are furniture while they qualify and sit close to the one
before (the last footnote line, at the same height on every page, is text). The words of an edge
line without its number are a stamp, furniture where they stand alone in small type (the cover's
`Congressional Research Service`), and a running header met away from the margin in text type is
furniture too (turned along a landscape page). Margins are measured on each page's own height.
"""

from __future__ import annotations

import re
from collections import Counter

from qa.ingest.model import Line
from qa.lexicon import CAPTION_START

PAGE_NUMBER = re.compile(
    r"^(?:page\s+)?[-–—]?\s*(?:\d{1,4}|[ivxlc]{1,6})\s*[-–—]?(?:\s*(?:of|/)\s*\d{1,4})?$", re.IGNORECASE
)
# A caption at a page's top (`Table 3. … (continued)`) repeats with its table, and is no header.
# The top and bottom share of a page where headers, footers and page numbers sit.
MARGIN = 0.12
# A shape repeats when it is on at least this share of pages (and on 3 or more).
REPEAT_SHARE = 0.4
# Two occurrences are "at the same place" when their tops differ by less than this (points).
SAME_PLACE = 18.0
# At a page's edge, a line repeated on this many pages, or numbered in step with the pages this often, is furniture.
EDGE_REPEATS = 3
# A second header or footer line sits within this many of its font sizes of the first (further in is text:
# the last line of the footnotes, at the same height on every page).
STACKED = 1.0
# A page number as a header's or footer's first or last word: `3`, `CRS-3`.
EDGE_NUMBER = re.compile(r"^(?:[A-Za-z]{1,8}[-–])?(\d{1,4})$")
# Longer lines at a page's edge are text (a header or footer is a title, a name, a number).
EDGE_WORDS = 16
# Page heights when the caller does not know them (US Letter).
LETTER_HEIGHT = 792.0
# A stamp learnt from the edge lines has this many words or more (one word may be a section name).
STAMP_WORDS = 2
# A stamp has at most this many words (a longer line is a title, which the cover states in its own type).
MAX_STAMP_WORDS = 8


def shape(text: str) -> str:
    return re.sub(r"\d+", "#", re.sub(r"\s+", " ", text.strip().lower()))


def stamp(text: str) -> str:
    """A line's words without its numbers: `Congressional Research Service 12` → `congressional research service`."""
    return re.sub(r"[\s#.\-–—|/·]+", " ", shape(text)).strip()


def furniture(pages: list[list[Line]], heights: list[float] | None = None, body: float = 0.0) -> set[tuple[int, int]]:
    """(page index, line index) of every furniture line; `heights` are the pages' heights, `body` the body size."""
    sizes = [_height(lines, heights[p] if heights and p < len(heights) else 0.0) for p, lines in enumerate(pages)]
    repeated = _repeated(pages)
    # A short stamp repeated in the margins of most pages is furniture wherever it stands alone
    # (the cover's `Congressional Research Service` as well as each page footer's).
    stamps = {stamp(key) for key in repeated if 0 < len(stamp(key).split()) <= MAX_STAMP_WORDS}
    out: set[tuple[int, int]] = set()
    for p, lines in enumerate(pages):
        height = sizes[p]
        for i, line in enumerate(lines):
            key = shape(line.text)
            if stamp(line.text) in stamps:
                out.add((p, i))
                continue
            if not _in_margin(line, height):
                continue
            if key in repeated and any(abs(line.top - t) <= SAME_PLACE for t in repeated[key]):
                out.add((p, i))
            elif PAGE_NUMBER.match(line.text.strip()):
                out.add((p, i))
    out |= _retitled(pages, {shape(pages[p][i].text) for p, i in out} & set(repeated), body, out)
    edge = _edge_furniture(pages, sizes, body, out)
    out |= edge
    out |= _stamped(pages, {stamp(pages[p][i].text) for p, i in edge}, body, out)
    return out


def _retitled(pages: list[list[Line]], headers: set[str], body: float,
              known: set[tuple[int, int]]) -> set[tuple[int, int]]:
    """A running header printed away from the margin in text type (turned along a landscape page)."""
    return {(p, i) for p, lines in enumerate(pages) for i, line in enumerate(lines)
            if (p, i) not in known and shape(line.text) in headers and not _heading_type(line, body)}


def _height(lines: list[Line], height: float) -> float:
    """The page's height, or (unknown) US Letter unless its lines reach lower."""
    return height if height > 0 else max([LETTER_HEIGHT] + [line.bottom for line in lines])


def _in_margin(line: Line, height: float) -> bool:
    return line.top < MARGIN * height or line.bottom > (1 - MARGIN) * height


def _repeated(pages: list[list[Line]]) -> dict[str, list[float]]:
    """Shapes on most pages at about the same height, with the tops where they sit."""
    places: dict[str, list[tuple[int, float]]] = {}
    for p, lines in enumerate(pages):
        seen = set()
        for line in lines:
            key = shape(line.text)
            if key and key not in seen:
                seen.add(key)
                places.setdefault(key, []).append((p, line.top))
    least = max(3, int(REPEAT_SHARE * len(pages) + 0.999)) if len(pages) >= 3 else 10**9
    repeated: dict[str, list[float]] = {}
    for key, where in places.items():
        if len(where) < least:
            continue
        tops = sorted(top for _, top in where)
        middle = tops[len(tops) // 2]
        close = [t for t in tops if abs(t - middle) <= SAME_PLACE]
        if len(close) >= least:
            repeated[key] = close
    return repeated


def _edges(lines: list[Line], height: float) -> list[tuple[int, str, float]]:
    """The lines of the margin bands as (line index, `top` or `bottom`, distance from that edge),
    outermost first: a header or footer is the first thing at its edge, not body text running into the band."""
    out = []
    for i, line in enumerate(lines):
        if line.top < MARGIN * height:
            out.append((i, "top", line.top))
        elif line.bottom > (1 - MARGIN) * height:
            out.append((i, "bottom", height - line.bottom))
    return sorted(out, key=lambda e: e[2])


def _edge_line(line: Line, body: float) -> bool:
    """Short words (not a table's value, not a footnote with its mark), not a caption and not set
    larger than the body text: a line a header or footer may be."""
    text = line.text.strip()
    larger = bool(body) and line.size > body + 0.5
    worded = bool(re.search(r"[^\W\d_]{2}", text)) and not line.notes
    return worded and len(text.split()) <= EDGE_WORDS and not CAPTION_START.match(text) and not larger


def _plain(line: Line) -> bool:
    """One cell, not bold: a running header or footer, not a table's header row or a bold heading."""
    return len(line.cells) <= 1 and not line.bold


def _page_numbers(text: str) -> set[int]:
    """The numbers a page number may be in a header or footer line: its first or last word, bare or
    after a prefix (`3 | Title`, `… Service 3`, `CRS-3`), never a number inside the text (`12%`)."""
    words = text.split()
    ends = {words[0], words[-1]} if words else set()
    return {int(m.group(1)) for word in ends if (m := EDGE_NUMBER.match(word))}


def _edge_furniture(pages: list[list[Line]], heights: list[float], body: float,
                    known: set[tuple[int, int]]) -> set[tuple[int, int]]:
    """Edge lines repeated at the same place on a few pages, or numbered in step with the pages.

    From each edge inward, lines are furniture while they qualify (a header may be two lines);
    the first that does not (body text, a table's header) stops the walk."""
    edges = [_edges(lines, heights[p]) for p, lines in enumerate(pages)]
    candidates = [(p, i, side, distance) for p, page in enumerate(edges) for i, side, distance in page
                  if _edge_line(pages[p][i], body)]
    places: dict[tuple[str, str], list[float]] = {}
    for p, i, side, distance in candidates:
        if _plain(pages[p][i]):
            places.setdefault((side, shape(pages[p][i].text)), []).append(distance)
    same = {key for key, where in places.items() if _same_place(where) >= EDGE_REPEATS}
    numbered = _numbered(pages, candidates)
    out: set[tuple[int, int]] = set()
    for p, page in enumerate(edges):
        stopped: set[str] = set()
        reached: dict[str, float] = {}  # how far in from each edge the furniture goes so far
        for i, side, distance in page:
            if side in stopped:
                continue
            line = pages[p][i]
            near = side not in reached or distance - reached[side] <= STACKED * line.size + line.height
            fits = near and _edge_line(line, body) and _plain(line) and (side, shape(line.text)) in same
            if (p, i) in known or (p, i) in numbered or fits:
                out.add((p, i))
                reached[side] = distance
            else:
                stopped.add(side)
    return out - known


def _numbered(pages: list[list[Line]], candidates: list[tuple[int, int, str, float]]) -> set[tuple[int, int]]:
    """Edge lines holding their page's printed number: the number that runs with the physical page
    (the commonest offset, on EDGE_REPEATS pages or more), printed at the same place (a heading
    `Section 1` on page 1 is not at the footer's place)."""
    offsets: dict[int, set[int]] = {}
    for p, i, _, _ in candidates:
        offsets.setdefault(p, set()).update(n - (p + 1) for n in _page_numbers(pages[p][i].text))
    steps = Counter(offset for found in offsets.values() for offset in found)
    if not steps or steps.most_common(1)[0][1] < EDGE_REPEATS:
        return set()
    running = steps.most_common(1)[0][0]  # one numbering: printed = physical + offset
    hits = [(p, i, side, distance) for p, i, side, distance in candidates
            if running + p + 1 in _page_numbers(pages[p][i].text)]
    sides: dict[str, list[float]] = {}
    for _, _, side, distance in hits:
        sides.setdefault(side, []).append(distance)
    middle = {side: sorted(where)[len(where) // 2] for side, where in sides.items()}
    return {(p, i) for p, i, side, distance in hits
            if _same_place(sides[side]) >= EDGE_REPEATS and abs(distance - middle[side]) <= SAME_PLACE}


def _same_place(distances: list[float]) -> int:
    """How many of a shape's occurrences sit within SAME_PLACE of their median distance from the edge."""
    middle = sorted(distances)[len(distances) // 2]
    return sum(1 for d in distances if abs(d - middle) <= SAME_PLACE)


def _stamped(pages: list[list[Line]], stamps: set[str], body: float,
             known: set[tuple[int, int]]) -> set[tuple[int, int]]:
    """Lines that are only the words of an edge line (the cover's stamp), unless set as a heading."""
    stamps = {s for s in stamps if STAMP_WORDS <= len(s.split()) <= MAX_STAMP_WORDS}
    out: set[tuple[int, int]] = set()
    for p, lines in enumerate(pages):
        for i, line in enumerate(lines):
            if (p, i) in known or _heading_type(line, body):
                continue
            if stamp(line.text) in stamps:
                out.add((p, i))
    return out


def _heading_type(line: Line, body: float) -> bool:
    """Set larger than the body text, or bold at its size: a heading's type (small bold type is a stamp's)."""
    if not body:
        return line.bold
    return line.size > body + 0.5 or line.bold and line.size >= body - 0.5
