"""Sentence rules: the sentence chosen to answer must speak of what the question asks about.

They run on the chosen sentence only: they never pick another sentence, they turn the reply into
an abstention.
"""

from __future__ import annotations

import re
from functools import cache

from qa.acronyms import asked_acronym, defines
from qa.lexicon import CONTRASTS, HIGH_WORDS, LOW_WORDS, MEASURE_WORDS
from qa.rules.passage import name_present
from qa.rules.registry import Case, rule
from qa.text import terms


@rule("sentence")
def acronym_undefined(case: Case) -> str | None:
    """`What does X stand for?` is answered only by a sentence that spells X out (`… Program (X)`).

    Why: when the acronym table does not know X, the best sentence merely uses it, and its words are
    no expansion. Example: `What does MOE stand for?` ← `MOE joined the council.` vetoes.
    """
    if case.q.kind != "acronym":
        return None
    short = asked_acronym(case.q.text, case.acronyms.knows if case.acronyms else None)
    if short and not defines(case.sentence, short):
        return f"asks what {short} stands for; the sentence does not spell it out"
    return None


@rule("sentence")
def bodies_missing(case: Case) -> str | None:
    """The bodies a question names in everyday words (`the farm ministry` → MAFF) are in the paragraph.

    Why: `the farm ministry` is no name, so the passage rules cannot ask for it; the acronym table
    resolves it. Example: `What did the farm ministry launch?` ← a paragraph about MEXT and METI vetoes.
    """
    if not case.paraphrased:
        return None
    low, have = case.passage.lower(), set(terms(case.passage))
    missing = [b for b in case.paraphrased if not name_present(b, low, have, case.acronyms)]
    return f"asks about {', '.join(missing)}; the passage does not name it" if missing else None


@rule("sentence")
def other_actor(case: Case) -> str | None:
    """The answering sentence names another body of the question's kind and not the question's body.

    Why: programmes move between agencies; a sentence about the same programme run by another body
    answers for that body. Example: `Since when has JST run X?` ← `X … implemented by NEDO since
    FY2020` vetoes. `Which body …` questions ask for the other body, and `the Ministry …` may well be
    the asked one: they pass.
    """
    q, sentence = case.q, case.sentence
    asked = [n for n in q.names if n in case.bodies] + [b for b in case.paraphrased if b in case.bodies]
    if not asked or q.kind in ("entity", "list", "acronym") or re.search(r"\bthe (Ministry|Agency)\b", sentence):
        return None
    named = {b for b in case.bodies if re.search(rf"(?<![\w-]){re.escape(b)}(?![\w-])", sentence)}
    low, have = sentence.lower(), set(terms(sentence))
    if any(name_present(name, low, have, case.acronyms) for name in asked):
        return None
    others = sorted(named - set(asked))
    if not others:
        return None
    return f"asks about {', '.join(asked)}; the sentence names {', '.join(others)} instead"


@rule("sentence")
def other_case(case: Case) -> str | None:
    """The question picks one of two cases (`median`, `rural`, `filing separately`); the sentence
    states only the other (`average`, `urban`, `filing jointly`).

    Why: the two cases share every other word, so the sentence of the other case is the closest
    match, and its figure answers another question. Example: `What is the median grant?` ←
    `The average grant was $1.2 million.` vetoes; a sentence giving both cases passes.
    """
    question = case.q.text
    for one, other in CONTRASTS:
        asked = [side for side in (one, other) if _states(side, question)]
        if len(asked) != 1:
            continue
        side = asked[0]
        opposite = other if side is one else one
        if _states(opposite, case.sentence) and not _states(side, case.sentence):
            return f"asks about the {side[0]} case; the sentence states the {opposite[0]} one"
    return None


def _states(side: tuple[str, ...], text: str) -> bool:
    return bool(_side_pattern(side).search(text))


@cache
def _side_pattern(side: tuple[str, ...]) -> re.Pattern[str]:
    words = "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in side)
    return re.compile(rf"(?<![\w-])(?:{words})s?(?![\w-])", re.IGNORECASE)


# `for all filers except married persons filing separately`: what follows is left out of what the sentence says.
_EXCLUDED = re.compile(r"\b(?:except(?: for)?|excluding|other than|not including)\s+([^,.;:()]+)", re.IGNORECASE)


@rule("sentence")
def excluded_case(case: Case) -> str | None:
    """The sentence leaves out the very case the question asks about (`all filers except married
    persons filing separately`).

    Why: the excepted words match the question best, yet the sentence says nothing of them. Example:
    `What are the brackets for married persons filing separately?` ← `(for all filers except married
    persons filing separately)` vetoes; `… for married persons filing separately, except in 2018` passes.
    """
    asked = set(terms(case.q.text))
    for found in _EXCLUDED.finditer(case.sentence):
        left_out = set(terms(found.group(1)))
        if len(left_out) >= 2 and left_out <= asked:
            return f"asks about {found.group(1).strip()}; the sentence excepts it"
    return None


# `What is the 2026 alternative minimum tax exemption amount for …`: the measure the question names.
_MEASURE = re.compile(
    r"^(?:what|how much) (?:is|was|are|were) the (?:(?:fy\s?)?\d{4}\s+)?((?:[\w-]+\s+){1,6}?)"
    r"(?:for|of|in|under|on|among|by|at|to|between|that|which)\b",
    re.IGNORECASE,
)
# `how much revenue did …`, `how much methane does …`: the thing measured is the noun after `how much`.
_HOW_MUCH = re.compile(
    r"^(?:[^,]*,\s*)?how much ([a-z][\w-]*) (?:did|does|do|was|were|is|are|will|would|could|can|has|have|had)\b",
    re.IGNORECASE,
)
# … unless that noun is money or time itself, which any amount or length answers.
_ANY_AMOUNT = frozenset(terms("money funding funds fund cash time"))
_MEASURE_WORDS = frozenset(terms(" ".join(MEASURE_WORDS)))
_MEASURE_FRAME = _MEASURE_WORDS | frozenset(terms(" ".join(HIGH_WORDS + LOW_WORDS)))


def _how_much_missing(case: Case) -> str | None:
    """`How much revenue did EPA estimate …?` ← `the first charge is $1,500 per ton` names no revenue."""
    found = _HOW_MUCH.match(case.q.text.strip())
    noun = terms(found.group(1)) if found else []
    if not noun or noun[0] in _ANY_AMOUNT or noun[0] in _MEASURE_WORDS:
        return None
    if noun[0] in set(terms(f"{case.headings} {case.sentence}")):
        return None
    return f"asks how much {found.group(1)}; the sentence names no {found.group(1)}"


@rule("sentence")
def measure_missing(case: Case) -> str | None:
    """`What is the X amount for …?` (or a number question `what was the X for …`) names its measure
    X, and `how much X did …?` names X: the sentence or its headings must name X's last word.

    Why: a sentence of the same table or paragraph gives another measure for the same filers and
    year. Example: `What is the 2026 AMT exemption amount for married couples?` ← `In 2026, the
    standard deduction is $32,200 for a married couple` vetoes; `the exemption is $140,200` passes.
    """
    found = _MEASURE.match(case.q.text.strip())
    if not found:
        return _how_much_missing(case)
    phrase = terms(found.group(1))
    if case.q.kind != "number" and not set(phrase) & _MEASURE_WORDS:
        return None
    named = [t for t in phrase if t not in _MEASURE_FRAME and not t.isdigit()]
    if not named:
        return None
    head = named[-1]
    if head in set(terms(f"{case.headings} {case.sentence}")):
        return None
    return f"asks for the {found.group(1).strip()}; the sentence names no {head}"
