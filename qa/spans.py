"""Candidate answer spans inside a sentence: numbers with their units, dates, and names.

Each finder returns (start, end, text) triples; `answer` picks among them with the question.
"""

from __future__ import annotations

import re

from qa.lexicon import (
    AMOUNT,
    DURATION_UNITS,
    FRACTION,
    LAW_REFERENCE,
    MAGNITUDE_WORDS,
    MONTH_NAMES,
    NUMBER_NAMES,
    ORGANISATION_NOUNS,
)
from qa.text import terms

MONTHS = "|".join(MONTH_NAMES)
NUMBER_WORDS = "|".join(NUMBER_NAMES)
# A number written in words: a count, a share (`three-fourths`) or a magnitude (`billions`).
WORDED = rf"(?:{FRACTION}|{'|'.join(MAGNITUDE_WORDS)}|{NUMBER_WORDS})"
_QUANTITY = re.compile(
    rf"(?:(?:about|approx\.|approximately|around|over|more than|up to|nearly|almost|some|at least|a total of)\s+)?"
    rf"(?:{AMOUNT}|\b{WORDED}\b)",
    re.IGNORECASE,
)
_DATE = re.compile(
    rf"(?:(?:since|from|in|on|as of|by|until|up to|the end of|end of)\s+)?"
    rf"(?:(?:{MONTHS})\s+(?:\d{{1,2}},\s*)?\d{{4}}|(?:{MONTHS})\s+\d{{1,2}}(?:,\s*\d{{4}})?|FY\s?\d{{4}}(?:\s?(?:–|-|to|through)\s?(?:FY\s?)?\d{{4}})?|(?<![\w/])(?:19|20)\d{{2}}(?:\s?(?:–|-|to|through)\s?\d{{4}})?(?![\w/]))"
)
_NAME = re.compile(
    r"(?:the\s+)?(?:[A-Z][\w&\-–’'.]*|\d+(?:st|nd|rd|th))(?:(?:\s+|,\s+(?=[A-Z][a-z]+\s*(?:,|and)))(?:of|and|for|the|on|in|to|with|&|(?:de|da|del|della|der|van|von|du|dos|das)(?=\s+(?:der\s+)?[A-Z])|[A-Z][\w&\-–’'.]*|\d[A-Z]\b|\([A-Z][\w&\-–]*\)))*"
)
UNIT_STOP = {
    "and", "or", "in", "of", "to", "for", "the", "a", "an", "by", "with", "from", "at", "on", "as", "that", "which",
    "were", "was", "is", "are", "had", "has", "have", "been", "be", "will", "would", "including", "under",
}

Span = tuple[int, int, str]


def law_references(sentence: str) -> list[tuple[int, int]]:
    """Where the sentence cites a law or code (`P.L. 118-42`, `7 U.S.C. §1926`): no count or year there."""
    return [m.span() for m in LAW_REFERENCE.finditer(sentence)]


def _outside(laws: list[tuple[int, int]], m: re.Match) -> bool:
    return not any(start < m.end() and m.start() < end for start, end in laws)


# `AI RMF 1.0`, `Society 5.0`, `version 2.1`: a version number names an edition and counts nothing.
_VERSION_BEFORE = re.compile(r"(?:\b[Vv]ersion\s+|\b[Vv]\.?\s?)$")
_NAMED_EDITION_BEFORE = re.compile(r"\b[A-Z][\w&-]*\s+$")


def is_version(number: str, before: str) -> bool:
    """Is `number` (the text right after `before`) a version: any decimal after `version`/`v`, or
    `N.0` right after a capitalised word (`RMF 1.0`; `grew 1.0%` and `Japan 1.5` are quantities)?"""
    if _VERSION_BEFORE.search(before):
        return bool(re.fullmatch(r"\d+(?:\.\d+)+", number))
    return bool(re.fullmatch(r"\d+\.0", number)) and bool(_NAMED_EDITION_BEFORE.search(before))


def quantities(sentence: str) -> list[Span]:
    out = []
    laws = law_references(sentence)
    for m in _QUANTITY.finditer(sentence):
        if not _outside(laws, m):
            continue
        text = m.group(0).strip()
        if not re.search(r"\d", text) and not re.search(rf"(?i)\b{WORDED}$", text):
            continue
        before = sentence[max(0, m.start() - 12) : m.start()]
        if re.search(r"(Figure|Chapter|Section|No\.?)\s*$", before) or re.match(r"\d\)", sentence[m.start() :]):
            continue
        if is_version(text, sentence[: m.start()]):
            continue
        end = m.end()
        unit = []
        # The unit is the words right after the number: `10%] Tax credit` has none, `20 universities, 22` one.
        for w in _unit_words(sentence[end:]):
            word = w.group(1)
            if word.lower() in UNIT_STOP or len(unit) >= 3:
                break
            unit.append(word)
            end = m.end() + w.end()
            if len(unit) >= 2:
                break
        out.append((m.start(), end, sentence[m.start() : end].strip(" ,;")))
    return out


def noun_phrase(sentence: str, end: int, limit: int = 4) -> set[str]:
    """Stems of the words that run on from a number's unit to the noun it counts: `three widely
    attended workshops` has the unit `widely attended` and counts `workshops`. Stops at a function
    word or punctuation, as the unit does, but reads up to `limit` words."""
    words = []
    for w in _unit_words(sentence[end:]):
        if w.group(1).lower() in UNIT_STOP or len(words) >= limit:
            break
        words.append(w.group(1))
    return set(terms(" ".join(words)))


def _unit_words(text: str):
    """Words that follow one another from the start of `text`, separated by spaces only."""
    at = 0
    while m := _UNIT_WORD.match(text, at):
        yield m
        at = m.end()


_UNIT_WORD = re.compile(r"\s*([A-Za-z][\w\-’'&]*)")


def dates(sentence: str) -> list[Span]:
    laws = law_references(sentence)
    return [(m.start(), m.end(), m.group(0).strip()) for m in _DATE.finditer(sentence) if _outside(laws, m)]


def names(sentence: str) -> list[Span]:
    out = []
    for m in _NAME.finditer(sentence):
        text = m.group(0).strip(" ,.")
        text = re.sub(r"\s+(of|and|for|the|on|in|to|with|&)$", "", text)
        if text.lower().startswith("the "):
            text = text[4:]
        start = m.start()
        if start == 0 and (opener := re.match(r"([A-Z][a-z]+)\s+((?:of|on|in|to|for|the|with|and)\s+)*", text)):
            if _opens_sentence(opener.group(1)):  # `Currently Japan …` → `Japan …`, `Based on the Act` → `Act`
                text, start = text[opener.end() :], opener.end()
        words = text.split()
        if not words or (len(words) == 1 and len(text) < 2):
            continue
        out.append((start, m.start() + len(m.group(0).rstrip(" ,.")), text))
    return out


# Capitalised only because they open the sentence: adverbs and connectives, never names.
SENTENCE_OPENERS = {
    "further", "furthermore", "moreover", "also", "additionally", "specifically", "currently", "in", "on", "at",
    "for", "from", "under", "since", "with", "through", "based", "toward", "towards", "as", "to", "by", "among",
    "while", "although", "however", "thus", "therefore", "meanwhile", "recently", "today", "now", "then",
    "finally", "similarly", "likewise", "accordingly", "consequently", "subsequently", "previously",
    "particularly", "notably", "first", "second", "third", "lastly",
}


def _opens_sentence(word: str) -> bool:
    return word.lower() in SENTENCE_OPENERS


def is_org(text: str) -> bool:
    lowered = {w.strip("(),.").lower() for w in text.split()}
    return bool(lowered & ORGANISATION_NOUNS) or (text.isupper() and 2 <= len(text) <= 8)


def is_year(text: str) -> bool:
    """`2019`, or a span of years (`2012 to 2025`, `2012–2025`): a time, not a quantity."""
    return bool(re.fullmatch(r"(?:19|20)\d{2}(?:\s?(?:to|through|-|–)\s?(?:19|20)\d{2})?", text.strip()))


_COUNT = rf"(?:\d[\d,.]*|{NUMBER_WORDS}|an?|several|a few)"
DURATION = re.compile(
    rf"\b(?:(?:about|approximately|roughly|nearly|almost|up to|at least|at most|more than|less than|over|some)\s+)?"
    rf"{_COUNT}(?:\s*(?:to|-|–|or)\s*{_COUNT})?[\s-]+(?:{'|'.join(DURATION_UNITS)})s?\b",
    re.IGNORECASE,
)


def durations(text: str) -> list[tuple[int, int, str]]:
    """Lengths of time a text states: `10 to 20 years`, `about two months`, `a decade`."""
    return [(m.start(), m.end(), m.group(0)) for m in DURATION.finditer(text)]
