"""Passage rules: a paragraph is read for an answer only if it holds what the question pins down.

Unanswerable questions are near-misses of answerable ones (another year, another body, a
sister programme): a paragraph that lacks one of the question's constraints answers another question.
"""

from __future__ import annotations

import re

from qa.extract import numbers_in
from qa.lexicon import DURATION_UNITS, NUMBER_VALUES, RATE_UNITS
from qa.question import ORDINAL_WORDS
from qa.rules.registry import CONSTRAINTS, Case, judge, rule
from qa.spans import NUMBER_WORDS
from qa.text import terms

# A paragraph holding less than this share of the question's IDF weight is about something else.
MIN_COVERAGE = 0.4
_YEAR_TOKEN = r"(?:FY\s?)?(?:19|20)\d\d(?!\d)"


@rule("passage")
def year_mismatch(case: Case) -> str | None:
    """Every year the question names is in the paragraph.

    Why: a yearly series reads alike from year to year; only the year tells the FY2015 figure from
    the FY2019 one. Example: `How many TLOs were approved in FY2015?` against a paragraph on FY2019
    vetoes (`asks FY2015; the passage gives FY2019`).
    """
    missing = [y for y in sorted(case.q.years) if not _names_year(case.passage, y)]
    if not missing:
        return None
    asked = ", ".join(_as_written(case.q.text, y) for y in missing)
    given = ", ".join(dict.fromkeys(re.findall(rf"(?<![\w]){_YEAR_TOKEN}", case.passage))) or "no year"
    return f"asks {asked}; {case.subject} gives {given}"


def _names_year(text: str, year: str) -> bool:
    """`2024` is in the text as itself or as a two-digit fiscal year (`FY24`)."""
    return bool(re.search(rf"(?<!\d){year}(?!\d)|\b[Ff][Yy]\s?{year[2:]}\b(?![.,]?\d)", text))


def _as_written(text: str, year: str) -> str:
    m = re.search(rf"(?:FY\s?)?{year}", text, re.IGNORECASE)
    return m.group(0) if m else year


@rule("passage")
def ordinal_missing(case: Case) -> str | None:
    """Every ordinal the question names (`the 5th plan`, `the fifth plan`) is in the paragraph.

    Why: successive plans and reports differ by their number only. Example: `What did the 6th Basic
    Plan set?` against a paragraph on the 5th Basic Plan vetoes.
    """
    low = case.passage.lower()
    for n in sorted(case.q.ordinals):
        words = [w for w, v in ORDINAL_WORDS.items() if v == n]
        if not re.search(rf"\b{n}(st|nd|rd|th)\b", low) and not any(re.search(rf"\b{w}\b", low) for w in words):
            return f"asks for the {_ordinal(n)}; {case.subject} does not name it"
    return None


def _ordinal(n: int) -> str:
    return f"{n}{'th' if 10 <= n % 100 <= 20 else {1: 'st', 2: 'nd', 3: 'rd'}.get(n % 10, 'th')}"


@rule("passage")
def number_missing(case: Case) -> str | None:
    """Every number the question names (`grants of over 10 million yen`) is in the paragraph; a number
    of a label (`GOVERN 7`) with its label.

    Why: a question's own figure picks the paragraph that speaks of it. Example: `How many firms got
    grants over 10 million yen?` against a paragraph on 5 million yen grants vetoes, and `What does
    GOVERN 7 cover?` against a list whose seventh item is numbered `7.`.
    """
    numbers = numbers_in(case.passage)
    labels = case.q.labels

    def stated(n: str) -> bool:
        if n not in labels:
            return n in numbers
        return re.search(rf"\b{re.escape(labels[n])}\.?\s*{n}\b", case.passage, re.IGNORECASE) is not None

    missing = [n for n in sorted(case.q.numbers) if not stated(n)]
    return f"asks about {', '.join(missing)}; {case.subject} does not state it" if missing else None


@rule("passage")
def interval_missing(case: Case) -> str | None:
    """A length of time the question gives (`one year after the test`, `within 30 days`) is in the paragraph.

    Why: a study's findings two months after an event are not its findings a year after, and the
    paragraph is otherwise the same. Example: `What reduction was seen one year after the 2022
    test?` against `… two months after the test, a 32% reduction` vetoes.
    """
    wanted = _asked_intervals(case.q.text)
    stated = {(_count_value(m.group(1)), m.group(2).lower()) for m in _INTERVAL.finditer(case.passage)}
    missing = [f"{n} {unit}" for n, unit in wanted if (_count_value(n), unit.lower()) not in stated]
    return f"asks about {', '.join(missing)}; {case.subject} does not state it" if missing else None


_UNITS = "|".join(DURATION_UNITS)
_INTERVAL = re.compile(rf"\b(\d+|{NUMBER_WORDS}|an?)[\s-]+({_UNITS})s?\b", re.IGNORECASE)
_ASKED_INTERVAL = re.compile(
    rf"\b(?:within\s+)?(\d+|{NUMBER_WORDS}|an?)\s+({_UNITS})s?\s+(?:after|later|before|earlier|into|of)\b"
    rf"|\bwithin\s+(\d+|{NUMBER_WORDS}|an?)\s+({_UNITS})s?\b",
    re.IGNORECASE,
)


def _asked_intervals(question: str) -> list[tuple[str, str]]:
    """The lengths of time a question gives as a condition, not the one it asks (`within how many days`)."""
    return [(m.group(1) or m.group(3), m.group(2) or m.group(4)) for m in _ASKED_INTERVAL.finditer(question)]


def _count_value(word: str) -> int | None:
    word = word.lower()
    return 1 if word in ("a", "an") else NUMBER_VALUES.get(word) or (int(word) if word.isdigit() else None)


@rule("passage")
def rate_unit_missing(case: Case) -> str | None:
    """A rate's unit the question gives (`per metric ton`, `per gallon`) is in the paragraph, as `per X`,
    `a X` or `/X`.

    Why: a paragraph on the same charge in another year or for a count of facilities has the topic's
    words but no rate. Example: `What charge rate per metric ton did the IRA set for 2023?` against
    `In 2023, approximately 2,300 facilities reported …` vetoes.
    """
    low = case.passage.lower()
    for unit in _RATE.findall(case.q.text.lower()):
        if not re.search(rf"(?:\bper|\ba|\ban|/)\s*(?:metric\s+)?{re.escape(unit)}\b", low):
            return f"asks for a rate per {unit}; {case.subject} states none"
    return None


_RATE = re.compile(rf"\bper\s+(?:metric\s+)?({'|'.join(RATE_UNITS)})\b")


@rule("passage")
def name_missing(case: Case) -> str | None:
    """Every name the question gives (a body, programme or place) is in the paragraph, as itself, its
    acronym or its expansion; a name's words may also come from the document's own name.

    Why: sister programmes and other ministries are described in the same words. Example: `What does
    JST fund under SATREPS?` against a paragraph on NEDO's programmes vetoes. A paragraph of the NIST
    AI RMF that speaks of the Playbook meets `the NIST AI RMF Playbook`.
    """
    low = case.passage.lower()
    context_terms = set(terms(case.passage)) | set(terms(re.sub(r"[_\-.]+", " ", case.doc)))
    for name in case.q.names:
        if not name_present(name, low, context_terms, case.acronyms):
            return f"names {name}; {case.subject} does not"
    return None


@rule("passage")
def low_coverage(case: Case) -> str | None:
    """The paragraph holds at least 40% of the question's IDF-weighted words (acronym twins count).

    Why: a paragraph that shares only a word or two with the question is about something else, and its
    best sentence would answer another question. Example: `What is the budget of the moon base
    programme?` against a paragraph on university budgets vetoes.
    """
    if case.coverage >= MIN_COVERAGE:
        return None
    return f"{case.subject} holds {case.coverage:.0%} of the question's weighted words (needs {MIN_COVERAGE:.0%})"


def satisfies(q, context: str, acronyms, doc: str = "") -> bool:
    """The paragraph holds every year, ordinal, number and name the question names."""
    checks = judge("passage", Case(q, acronyms, passage=context, doc=doc), names=CONSTRAINTS)
    return all(c.passed for c in checks)


def name_present(name: str, low: str, context_terms: set[str], acronyms) -> bool:
    """`name` is in the text (lower-cased `low`, its terms `context_terms`) as itself, its acronym or its expansion."""
    if name.lower() in low:
        return True
    name_terms = set(terms(name))
    if name_terms and name_terms <= context_terms:
        return True
    for token in name.split():
        for entry in acronyms.lookup(token.strip("’'s") if token.endswith("s") and len(token) > 3 else token):
            if entry.long.lower() in low or entry.short.lower() in low.split():
                rest = name_terms - set(terms(token))
                if rest <= context_terms:
                    return True
    for entry in acronyms.entries:
        if set(terms(entry.long)) and set(terms(entry.long)) <= name_terms and entry.short.lower() in low:
            rest = name_terms - set(terms(entry.long))
            if rest <= context_terms:
                return True
    return False
