"""Page furniture: running headers and footers, page numbers and stamps that repeat page after page.

A line is furniture when its shape (lower case, digits as `#`) recurs near the same height on
most pages, or when it is a bare page number (`7`, `Page 4`, `- 12 -`, `ii`) in the top or bottom
margin. Such lines would otherwise be indexed as text and cut sentences that run over a page break.
"""

from __future__ import annotations

import re

from qa.ingest.model import Line

PAGE_NUMBER = re.compile(
    r"^(?:page\s+)?[-–—]?\s*(?:\d{1,4}|[ivxlc]{1,6})\s*[-–—]?(?:\s*(?:of|/)\s*\d{1,4})?$", re.IGNORECASE
)
# The top and bottom share of a page where headers, footers and page numbers sit.
MARGIN = 0.12
# A shape repeats when it is on at least this share of pages (and on 3 or more).
REPEAT_SHARE = 0.4
# Two occurrences are "at the same place" when their tops differ by less than this (points).
SAME_PLACE = 18.0


def shape(text: str) -> str:
    return re.sub(r"\d+", "#", re.sub(r"\s+", " ", text.strip().lower()))


def stamp(text: str) -> str:
    """A line's words without its numbers: `Congressional Research Service 12` → `congressional research service`."""
    return re.sub(r"[\s#.\-–—|/]+", " ", shape(text)).strip()


def furniture(pages: list[list[Line]], page_height: float = 792.0) -> set[tuple[int, int]]:
    """(page index, line index) of every furniture line."""
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
    # A short stamp repeated in the margins of most pages is furniture wherever it stands alone
    # (the cover's `Congressional Research Service` as well as each page footer's).
    stamps = {stamp(key) for key in repeated if 0 < len(stamp(key).split()) <= 8}
    out: set[tuple[int, int]] = set()
    for p, lines in enumerate(pages):
        height = max([page_height] + [line.bottom for line in lines])
        for i, line in enumerate(lines):
            key = shape(line.text)
            in_margin = line.top < MARGIN * height or line.bottom > (1 - MARGIN) * height
            if stamp(line.text) in stamps:
                out.add((p, i))
                continue
            if not in_margin:
                continue
            if key in repeated and any(abs(line.top - t) <= SAME_PLACE for t in repeated[key]):
                out.add((p, i))
            elif PAGE_NUMBER.match(line.text.strip()):
                out.add((p, i))
    return out
