"""Compound questions: one question that asks two things (`What do NAO and NEDO stand for?`, `Who
launched the program and when?`) is asked as its parts, and answered part by part.

Each part gets its own cited sentence; when one part finds no answer, the whole question abstains
and says which part is missing, rather than answer half and look complete.
"""

from __future__ import annotations

import re

from qa.text import terms

# `What do NAO and NEDO stand for?`, `What do the acronyms TLO, JST and NEDO mean?`
_ACRONYMS = re.compile(
    r"^(?:what|which)\s+(?:do|does)\s+(?:the\s+)?(?:acronyms?\s+|abbreviations?\s+)?(?P<items>.+?)\s+"
    r"(?:stand for|mean)\b",
    re.IGNORECASE,
)
# `Who launched the program and when?`: a question, then `and` + a second question word.
_TWO_ASKS = re.compile(
    r"^(?P<first>(?:who|what|which|when|where|how|why)\b.*?\w)\s*,?\s+and\s+"
    r"(?P<wh>when|who|where|how many|how much|which|why)\b(?P<rest>[^?]*)\??\s*$",
    re.IGNORECASE,
)
_LEADING = re.compile(
    r"^(?:who|what|which|when|where|how(?: many| much)?|why)\s+(?:(?:is|are|was|were|did|does|do|has|have|had)\s+)?",
    re.IGNORECASE,
)


def parts(question: str) -> list[str]:
    """The questions a compound question asks, in order; [] when it asks one thing."""
    text = question.strip()
    m = _ACRONYMS.match(text)
    if m:
        items = [i.strip(" ,") for i in re.split(r",\s*|\s+and\s+", m.group("items")) if i.strip(" ,")]
        # `stand for` asks for expansions whatever the case; `mean` only of acronyms (`what do firms and
        # universities mean by …` asks one thing).
        shaped = text.lower().endswith(("stand for", "stand for?")) or all(
            sum(c.isupper() for c in i) >= 2 for i in items
        )
        if len(items) >= 2 and shaped and all(len(i.split()) == 1 for i in items):
            return [f"What does {item} stand for?" for item in items]
        return []
    m = _TWO_ASKS.match(text)
    if not m:
        return []
    first, wh, rest = m.group("first"), m.group("wh"), m.group("rest").strip()
    if len(terms(rest)) < 2:  # `… and when?` asks its question word of the first part's topic
        rest = f"{rest} {_LEADING.sub('', first)}".strip()
    return [f"{first}?", f"{wh[0].upper()}{wh[1:]} {rest}?"]
