"""Which printed lines are headings, and at what level.

Evidence, strongest first:
1. the PDF outline (bookmarks): each entry is looked for on its page (or a page or two off, since
   bookmarks are often off by a page) and gives its level;
2. the contents page: entries are matched in order to lines of the body; they confirm headings and
   give levels;
3. typography alone: the body font is the most frequent size; short lines alone on their line set
   larger, or bold at body size, are headings, ranked into levels by size and weight, and by
   numbering depth (`1.2.3` sits under `1.2`).
"""

from __future__ import annotations

import re
from collections import Counter
from typing import TYPE_CHECKING

from qa.ingest.contents import Entry
from qa.ingest.numbering import numbering
from qa.lexicon import CAPTION_START

if TYPE_CHECKING:
    from qa.ingest.layout import Tagged
    from qa.ingest.model import Line

MAX_HEADING_WORDS = 24
# A style used by more than this share of the document's lines is body text, not a heading style.
COMMON_STYLE = 0.15
STOP_END = re.compile(r"[,;]$|\b(and|or|the|of|to|a|an|in|for|with)$", re.IGNORECASE)


def squash(text: str) -> str:
    return re.sub(r"[^0-9a-z]+", "", text.lower())


def _style(t: Tagged) -> tuple[float, bool, str]:
    return (round(t.line.size * 2) / 2, t.line.bold, t.line.font)


def _candidates(tagged: list[list[Tagged]]) -> list[Tagged]:
    return [t for row in tagged for t in row if t.role == "body"]


def mark(tagged: list[list[Tagged]], size: float, entries: list[Entry], outline: list[tuple[int, str, int]]) -> None:
    """Set `role = "heading"` and `level` on the heading lines."""
    lines = _candidates(tagged)
    if outline and _from_outline(tagged, outline) >= 0.5 * len(outline):
        return
    if entries and _from_contents(lines, entries, size) >= 0.5 * len(entries):
        return
    # An outline whose titles match no line (`4. ecplore` for `EXPLORE: FIVE ACTIONABLE …`) still
    # says on which pages its top-level sections open.
    _from_typography(lines, size, top_pages={page for level, _, page in outline if level == 1})


def _matches(lines: list[Tagged], start: int, title: str, reach: int = 3) -> int:
    """How many lines from `start` spell `title` (0 if they do not)."""
    want = squash(title)
    if not want:
        return 0
    got = ""
    for n in range(reach):
        if start + n >= len(lines):
            return 0
        line = lines[start + n].line
        got += squash(line.text)
        stripped = squash(_strip_number(line.text)) if n == 0 else None
        if got == want or (stripped is not None and stripped == want and n == 0):
            return n + 1
        if not want.startswith(got) and not (n == 0 and stripped and want.startswith(stripped)):
            return 0
        if n == 0 and stripped and want.startswith(stripped) and not want.startswith(got):
            got = stripped
    return 0


def _strip_number(text: str) -> str:
    found = numbering(text)
    return found.title if found else text


def _from_contents(lines: list[Tagged], entries: list[Entry], size: float) -> int:
    """Mark the contents entries in the body, in order; return how many matched.

    A contents page lists every heading down to its depth, so nothing else becomes a heading:
    `Disclaimer` set in the level-2 style after the last entry stays body text of that section.
    """
    matched = 0
    position = 0
    for entry in entries:
        hits = [(i, n) for i in range(position, len(lines)) if (n := _matches(lines, i, entry.title))]
        strong = [(i, n) for i, n in hits if _stands_out(lines[i], size)]
        loose = [(i, n) for i, n in hits if _looks_like_heading(lines[i], size, loose=True)]
        if strong or loose:
            i, n = (strong or loose)[0]
            for k in range(n):
                lines[i + k].role, lines[i + k].level = "heading", entry.level
            matched += 1
            position = i + n
    return matched


def _from_outline(tagged: list[list[Tagged]], outline: list[tuple[int, str, int]]) -> int:
    matched = 0
    for level, title, page in outline:
        for p in (page, page + 1, page - 1, page + 2):
            if not 1 <= p <= len(tagged):
                continue
            row = [t for t in tagged[p - 1] if t.role == "body"]
            hit = next((i for i in range(len(row)) if _matches(row, i, title)), None)
            if hit is not None:
                n = _matches(row, hit, title)
                for k in range(n):
                    row[hit + k].role, row[hit + k].level = "heading", level
                matched += 1
                break
    return matched


def _stands_out(t: Tagged, size: float) -> bool:
    """Set apart from body text by weight or size (a quoted title inside a paragraph is not)."""
    return t.line.bold or t.line.size > size + 0.4


def _looks_like_heading(t: Tagged, size: float, loose: bool = False) -> bool:
    line = t.line
    text = line.text.strip()
    words = text.split()
    if not words or len(words) > MAX_HEADING_WORDS or len(text) < 2:
        return False
    if re.fullmatch(r"[\d\W]+", text) or CAPTION_START.match(text):
        return False  # `Figure 1. EDA Regional Offices` is a caption, however bold
    if loose:
        return line.bold or line.size > size + 0.4 or len(words) <= 12
    if text.endswith((".", ",", ";")) and not numbering(text):
        return False
    return not STOP_END.search(text)


def set_below(above: Line, line: Line, gap: float) -> bool:
    """`line` is the next line under `above` on its page, at most `gap` points below its box.

    Measured top to top: set solid, display lines' loose boxes overlap (`EXPLORE:` over
    `FIVE ACTIONABLE EDTECH PRINCIPLES`, 3.8 points into it)."""
    return above.page == line.page and 0 < line.top - above.top < (above.bottom - above.top) + gap


def _runs(lines: list[Tagged]) -> list[list[int]]:
    """Consecutive lines set in one style with no paragraph gap between them (a wrapped title is one run)."""
    runs: list[list[int]] = []
    for i, t in enumerate(lines):
        if runs:
            prev = lines[runs[-1][-1]]
            if set_below(prev.line, t.line, 0.6 * t.line.size) and _style(prev) == _style(t) and prev.role == t.role:
                runs[-1].append(i)
                continue
        runs.append([i])
    return runs


LABEL_CLUSTER = 3


def _without_label_clusters(lines: list[Tagged], picked: list[list[int]]) -> list[list[int]]:
    """Drop runs of `LABEL_CLUSTER` or more heading candidates in one style with no prose between
    them: a diagram's labels (`are well managed`, `are safe and inclusive spaces`), not sections,
    which each hold some text."""
    def prose_between(a: list[int], b: list[int]) -> bool:
        return any(
            lines[i].role == "body" and len(lines[i].line.text.split()) >= 4 for i in range(a[-1] + 1, b[0])
        )

    dropped: set[int] = set()
    last_group: dict[tuple, list[list[int]]] = {}  # per style: its latest runs with no prose between
    for run in picked:
        style = _style(lines[run[0]])
        group = last_group.get(style)
        if group and not prose_between(group[-1], run):
            group.append(run)
        else:
            group = last_group[style] = [run]
        if len(group) >= LABEL_CLUSTER:
            dropped.update(r[0] for r in group)
    return [run for run in picked if run[0] not in dropped]


CALLOUT_WORDS, CALLOUT_PAGES = 4, 3


def _without_callouts(lines: list[Tagged], picked: list[list[int]]) -> list[list[int]]:
    """Drop candidates that open with the same `CALLOUT_WORDS` words on `CALLOUT_PAGES` or more
    pages (`Scan QR code to learn more about …`): a recurring callout, where headings differ."""
    def opening(run: list[int]) -> tuple[str, ...]:
        words = re.findall(r"[a-z0-9]+", " ".join(lines[i].line.text for i in run).lower())
        return tuple(words[:CALLOUT_WORDS]) if len(words) >= CALLOUT_WORDS else ()

    openings = [opening(run) for run in picked]
    pages: dict[tuple[str, ...], set[int]] = {}
    for run, words in zip(picked, openings):
        if words:
            pages.setdefault(words, set()).add(lines[run[0]].line.page)
    return [run for run, words in zip(picked, openings) if len(pages.get(words, ())) < CALLOUT_PAGES]


def _heading_run(lines: list[Tagged], run: list[int], size: float) -> bool:
    if len(run) > 3:
        return False
    text = " ".join(lines[i].line.text.strip() for i in run)
    if any(len(lines[i].line.cells) > 1 for i in run):
        return False
    probe = type(lines[run[0]])(lines[run[0]].line.__class__(**{**vars(lines[run[0]].line), "text": text}))
    return _looks_like_heading(probe, size)


ATX = re.compile(r"^(#{1,6})\s+\S")
# Numbered lines at body size become headings only in these patterns, ranked by first appearance.
NUMBERED_ONLY = ("word", "circled", "paren", "letter", "roman", "decimal")


def _numbered_only(lines: list[Tagged], size: float) -> None:
    """Headings set like body text but numbered (`Section 1 …`, `❶ …`, `(1) …`, `A. …`), alone on their line.

    A numbered line is a heading when it is a one-line block (space below it, or the next line
    starts a new block), has no sentence end, and is short; its level is its pattern's rank in
    order of first appearance, below any typographic levels. `# Title` lines count too.
    """
    order: list[str] = []
    base = max((t.level for t in lines if t.role == "heading"), default=0)
    for i, t in enumerate(lines):
        if t.role != "body" or abs(t.line.size - size) > 0.6:
            continue
        text = t.line.text.strip()
        atx = ATX.match(text)
        found = numbering(text)
        if not atx and (found is None or found.pattern not in NUMBERED_ONLY):
            continue
        if len(text.split()) > 14 or re.search(r"[.;,]$", text) or not _alone_line(lines, i):
            continue
        if atx:
            t.role, t.level = "heading", base + len(atx.group(1))
            t.line.text = text[len(atx.group(1)):].strip()
            continue
        if found.pattern not in order:
            order.append(found.pattern)
        t.role, t.level = "heading", base + order.index(found.pattern) + 1


def _alone_line(lines: list[Tagged], i: int) -> bool:
    line = lines[i].line
    after = lines[i + 1].line if i + 1 < len(lines) else None
    if after is None or after.page != line.page:
        return True
    return after.top - line.bottom > 0.4 * line.size or after.x0 > line.x0 + line.size


def _from_typography(
    lines: list[Tagged], size: float, learned: dict | None = None, top_pages: set[int] | None = None
) -> None:
    """Headings from type alone, or (with `learned`) only in the styles the contents page confirmed.

    `top_pages` (where an outline opens its top-level sections) make the style that opens most of
    them level 1, whatever its size: the World Bank paper sets its principles larger than the
    sections that hold them."""
    total = Counter(_style(t) for t in lines)
    picked: list[list[int]] = []
    for run in _runs(lines):
        t = lines[run[0]]
        style = _style(t)
        if t.role != "body" or total[style] > COMMON_STYLE * len(lines):
            continue
        if learned is not None:
            if style not in learned:
                continue
        elif not (t.line.size > size + 0.9 or (t.line.bold and t.line.size >= size - 0.6)):
            continue
        if _heading_run(lines, run, size):
            picked.append(run)
    if learned is not None:
        for run in picked:
            for i in run:
                lines[i].role, lines[i].level = "heading", learned[_style(lines[i])]
        return
    picked = _without_callouts(lines, _without_label_clusters(lines, picked))
    # A style a document uses on one page only (its cover title) is not a heading level.
    pages_of: dict[tuple[float, bool], set[int]] = {}
    for run in picked:
        t = lines[run[0]]
        pages_of.setdefault((-_style(t)[0], not _style(t)[1]), set()).add(t.line.page)
    # Front matter (cover, title page, an image-only contents page: the pages before the first with
    # running prose) sets its titles in display type; those styles take no level either.
    prose = [
        t.line.page
        for t in lines
        if t.role == "body" and abs(t.line.size - size) <= 0.6 and len(t.line.text.split()) >= 8
    ]
    opening = min(prose, default=0)
    pages_of = {rank: {p for p in pages if p >= opening} for rank, pages in pages_of.items()}
    pages_of = {rank: pages for rank, pages in pages_of.items() if pages}
    ranks = sorted(rank for rank, pages in pages_of.items() if len(pages) >= 2 or len(pages_of) == 1)
    # per outline page, the largest ranked style on it
    opening_styles = Counter(
        min(on_page) for page in top_pages or () if (on_page := [r for r in ranks if page in pages_of[r]])
    )
    if opening_styles:
        top, hits = opening_styles.most_common(1)[0]
        if hits >= 0.5 * len(top_pages):
            ranks = [top] + [r for r in ranks if r != top]
    level_of = {rank: n + 1 for n, rank in enumerate(ranks[:4])}
    for run in picked:
        t = lines[run[0]]
        rank = (-_style(t)[0], not _style(t)[1])
        if rank not in level_of:
            continue
        found = numbering(t.line.text)
        level = max(level_of[rank], found.depth) if found and found.depth > 1 else level_of[rank]
        for i in run:
            lines[i].role, lines[i].level = "heading", level
    _numbered_only(lines, size)
