"""Heading numbering patterns: `1.`, `1.2`, `A.`, `(a)`, `I.`, `Chapter 3`, `Section 4`, `Part II`, `❶`.

A numbered heading's label is its own numbering (`2.1`, `A`, `II`); refs are built from it, so
they read like the document's own cross-references. `depth` is how deep the numbering alone says
the heading sits (`1.2.3` → 3); patterns without depth (letters, romans) get their level from
typography or from their order of appearance. Where type says nothing (plain text), `Sequence`
accepts a numbered line as a heading only when its number comes next (`counts` reads a label as
numbers: `C` is the third letter or roman 100, `(i)` roman one or the ninth letter).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

ROMAN = re.compile(r"^(?=[IVXLC])M*(C[MD]|D?C{0,3})(X[CL]|L?X{0,3})(I[XV]|V?I{0,3})$")


@dataclass(frozen=True)
class Numbering:
    """What a heading's leading number says: its label, the pattern's name and its depth (0: unknown)."""

    label: str
    pattern: str
    depth: int
    title: str


WORDS = ("Chapter", "Section", "Part", "Appendix", "Annex", "Article", "Title", "Subtitle", "Division", "Schedule")
_WORDS = f"({'|'.join(WORDS)})"
PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("word", re.compile(rf"^{_WORDS}\s+([0-9]+|[A-Z]{{1,2}}|[IVXLC]+)(?:[-.][0-9A-Z]+)*\b[.:]?\s*(.*)$")),
    ("decimal", re.compile(r"^(\d{1,2}(?:\.\d{1,2}){1,4})\.?\s+(\S.*)$")),
    ("number", re.compile(r"^(\d{1,2})[.)]\s+(\S.*)$")),
    ("circled", re.compile(r"^([\u2776-\u277f\u2460-\u2473])\s*(\S.*)$")),
    ("paren", re.compile(r"^\((\d{1,2}|[a-z]|[ivx]{1,4})\)\s+(\S.*)$")),
    ("roman", re.compile(r"^([IVXLC]{1,6})\.\s+(\S.*)$")),
    ("letter", re.compile(r"^([A-Z])\.\s+(\S.*)$")),
    ("dashed", re.compile(r"^([A-Z]{1,2}-\d{1,2})\.?\s+(\S.*)$")),
)


def numbering(text: str) -> Numbering | None:
    """The numbering a heading line opens with, or None (`Section 4 Enhancing …` → label `4`)."""
    text = text.strip()
    for name, pattern in PATTERNS:
        match = pattern.match(text)
        if not match:
            continue
        if name == "word":
            word, label, title = match.group(1), match.group(2), match.group(3)
            full = text[len(word):].strip().split()[0].rstrip(".:")
            code = full if word.lower() == "section" else f"{word.lower()}-{full}"
            return Numbering(code, name, 0, title or text)
        label, title = match.group(1), match.group(2)
        if name == "roman" and not ROMAN.match(label):
            continue
        depth = label.count(".") + 1 if name in ("decimal", "number") else 0
        return Numbering(label, name, depth, title)
    return None


@dataclass(frozen=True)
class Count:
    """One way to count a heading's numbering: its style (`paren-digit`, `word-chapter`, `decimal`)
    and the numbers it carries (`1.2` → (1, 2); `❸` → (3,))."""

    style: str
    numbers: tuple[int, ...]


def _roman(label: str) -> int:
    values = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100, "D": 500, "M": 1000}
    total = 0
    for char, after in zip(label, label[1:] + " "):
        value = values[char]
        total += -value if values.get(after, 0) > value else value
    return total


def _counts_of(label: str, style: str) -> list[Count]:
    """A label read as a number, a letter or a roman numeral; `C`, `(i)` read two ways."""
    if label.isdigit():
        return [Count(style, (int(label),))]
    found = []
    if len(label) == 1 and label.isalpha():
        found.append(Count(f"{style}-letter" if style else "letter", (ord(label.upper()) - 64,)))
    if ROMAN.match(label.upper()):
        found.append(Count(f"{style}-roman" if style else "roman", (_roman(label.upper()),)))
    return found


def counts(found: Numbering) -> list[Count]:
    """The ways `found` can be counted in sequence (none for labels like `A-1` or `Section 2.1`)."""
    label = found.label
    if found.pattern == "word":
        word, _, number = label.partition("-")
        if word.capitalize() not in WORDS:
            word, number = "section", label
        style = f"word-{word}"
        return [Count(style, c.numbers) for c in _counts_of(number.upper(), style)]
    if found.pattern in ("decimal", "number"):
        return [Count("decimal", tuple(int(part) for part in label.split(".")))]
    if found.pattern == "circled":
        char = label[0]
        return [Count("circled", (ord(char) - (0x2775 if char >= "\u2776" else 0x245F),))]
    if found.pattern == "paren":
        return [Count("paren-digit", c.numbers) if c.style == "paren" else c for c in _counts_of(label, "paren")]
    if found.pattern in ("roman", "letter"):
        return _counts_of(label, "")
    return []


# Where a heading sits: (0 for `word` styles, 1 for the others; style order; depth). Smaller is outer.
Rank = tuple[int, int, int]


class Sequence:
    """Numbered headings accepted only in order, in any numbering grammar (`Section 1`/`❶`/`(1)`/`A.`,
    `Chapter 3`/`1.`/`1.2`, `I.`/`A.`/`1.`).

    Word styles (`Part II`, `Chapter 3`, `Section 4`) sit above the others; within each group styles
    rank by first appearance (the first seen is the outermost), and a decimal label's depth adds to
    its rank (`1.2` sits under `1.`). A heading is accepted when its number follows its last sibling
    under the same open parent (1 for a first child), so `(3)` after `(1)` stays text. The first
    heading of a word style may carry any number: an excerpt starts where it starts.
    """

    def __init__(self) -> None:
        self.styles: list[str] = []
        self.open: list[tuple[Rank, int]] = []
        self.last: dict[tuple[tuple[tuple[Rank, int], ...], Rank], int] = {}

    def rank(self, count: Count) -> Rank:
        group = 0 if count.style.startswith("word-") else 1
        peers = [style for style in self.styles if style.startswith("word-") == (group == 0)]
        order = peers.index(count.style) if count.style in peers else len(peers)
        return group, order, len(count.numbers)

    def fits(self, count: Count, symbols: int | None = None) -> bool:
        """Is `count` the next heading here? With `symbols`, a style that is not a word style must be
        one of the `symbols` outermost ones."""
        rank = self.rank(count)
        if symbols is not None and rank[0] == 1 and rank[1] >= symbols:
            return False
        parents = tuple(entry for entry in self.open if entry[0] < rank)
        if count.style == "decimal":
            ancestors = tuple(number for (group, order, _), number in parents if (group, order) == rank[:2])
            if ancestors != count.numbers[: len(ancestors)]:
                return False
        if count.style.startswith("word-") and count.style not in self.styles:
            return True
        return count.numbers[-1] == self.last.get((parents, rank), 0) + 1

    def push(self, count: Count) -> None:
        rank = self.rank(count)
        if count.style not in self.styles:
            self.styles.append(count.style)
        parents = tuple(entry for entry in self.open if entry[0] < rank)
        self.last[parents, rank] = count.numbers[-1]
        self.open = [*parents, (rank, count.numbers[-1])]

    def accept(self, found: list[Count], symbols: int | None = None) -> Count | None:
        """The first reading of a heading's numbering that is in sequence, pushed; None if none is."""
        for count in found:
            if self.fits(count, symbols):
                self.push(count)
                return count
        return None
