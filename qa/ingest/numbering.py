"""Heading numbering patterns: `1.`, `1.2`, `A.`, `(a)`, `I.`, `Chapter 3`, `Section 4`, `Part II`, `❶`.

A numbered heading's label is its own numbering (`2.1`, `A`, `II`); refs are built from it, so
they read like the document's own cross-references. `depth` is how deep the numbering alone says
the heading sits (`1.2.3` → 3); patterns without depth (letters, romans) get their level from
typography or from their order of appearance.
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


_WORDS = r"(Chapter|Section|Part|Appendix|Annex|Article|Title|Subtitle|Division|Schedule)"
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
