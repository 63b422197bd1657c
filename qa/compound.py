"""Compound questions: one question that asks two things (`What do NAO and NEDO stand for?`, `Who
launched the program and when?`, `Compare X with Y`) is asked as its parts, and answered part by part.

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
# `Compare X with Y`, `How does X compare to Y?`, `What is the difference between X and Y?`
_COMPARE = re.compile(
    r"^(?:(?:please\s+)?compare\s+(?P<a>.+)"
    r"|how\s+(?:does|do|did)\s+(?P<b>.+?)\s+compare\s+(?:with|to|against)\s+(?P<c>.+?)"
    r"|what\s+(?:is|are|was|were)\s+the\s+differences?\s+between\s+(?P<d>.+))"
    r"\s*[?.!]*\s*$",
    re.IGNORECASE,
)
# What joins the two compared things, most telling first: `and` and `to` also join words inside one.
_JOINS = (r"with", r"versus|vs\.?|against", r"to", r"and")
# A year or fiscal year in a compared phrase (`EDA appropriations in FY2023`).
_YEAR = re.compile(r"\b(?:fiscal\s+year\s+|fy\s*)?(?:19|20)\d\d(?:[-–/]\d{2,4})?\b", re.IGNORECASE)
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
    m = _COMPARE.match(text)
    if m:
        pair = (m["b"], m["c"]) if m["b"] else _split_pair(m["a"] or m["d"], _JOINS if m["a"] else ("and",))
        return _compared(*pair) if pair else []
    m = _TWO_ASKS.match(text)
    if not m:
        return []
    first, wh, rest = m.group("first"), m.group("wh"), m.group("rest").strip()
    if len(terms(rest)) < 2:  # `… and when?` asks its question word of the first part's topic
        rest = f"{rest} {_LEADING.sub('', first)}".strip()
    return [f"{first}?", f"{wh[0].upper()}{wh[1:]} {rest}?"]


def is_comparison(question: str) -> bool:
    """Does the question compare two things (`compare X with Y`), rather than ask two questions?"""
    return bool(_COMPARE.match(question.strip())) and bool(parts(question))


def own_terms(split: list[str]) -> list[set[str]]:
    """Each part's terms that no other part has: what tells one side of a comparison from the other
    (`nedo` and `jst` in `the budget of NEDO` / `the budget of JST`)."""
    sets = [set(terms(p)) for p in split]
    return [s - set().union(*(o for j, o in enumerate(sets) if j != i)) for i, s in enumerate(sets)]


def _split_pair(text: str, joins: tuple[str, ...]) -> tuple[str, str] | None:
    """`X with Y` → (X, Y), split at the first join word of the most telling kind that occurs."""
    for join in joins:
        m = re.search(rf"\s+(?:{join})\s+", text, re.IGNORECASE)
        if m:
            return text[: m.start()], text[m.end():]
    return None


def _compared(first: str, second: str) -> list[str]:
    """The two things a comparison asks about, each as `What is …?`.

    One side may say only what differs from the other: `Compare EDA appropriations in FY2023 with
    FY2024` asks of `EDA appropriations in FY2024`, and `compare urban and rural enrolment` of
    `urban enrolment` and `rural enrolment`.
    """
    first, second = first.strip(" ,?.!"), second.strip(" ,?.!")
    years = list(_YEAR.finditer(first))
    if _YEAR.fullmatch(second) and len(years) == 1:
        y = years[0]
        second = f"{first[: y.start()]}{second}{first[y.end():]}"
    elif len(first.split()) == 1 and len(second.split()) > 1:
        first = f"{first} {second.split(maxsplit=1)[1]}"
    return [f"What is {first}?", f"What is {second}?"]
