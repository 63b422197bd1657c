"""Span rules: the sentence must give what the question's type asks for, in the question's terms.

They run on the chosen sentence and the span cut from it (`qa.extract.pick_span`), after an
entity question's `the program` has been resolved to a name of the paragraph (which answers outright).
"""

from __future__ import annotations

import re

from qa import extract
from qa.rules.passage import name_present
from qa.rules.registry import Case, rule
from qa.text import terms


def _number_span(case: Case) -> bool:
    """The number rules judge a span a number question cut (without one, `span_missing` has vetoed)."""
    return case.q.kind == "number" and case.span is not None


@rule("span")
def since_without_start(case: Case) -> str | None:
    """`Since when …?` is answered only by a sentence that tells a start (`since`, `launched`, `from` …).

    Why: a sentence that merely dates an event (`In FY2020, seven ministries designated …`) does not
    say the thing began then. Example: `Since when has Japan had the SBIR system?` ← `In FY 2020,
    seven ministries designated 86 subsidies.` vetoes.
    """
    q = case.q
    if q.kind == "date" and re.search(r"\bsince (when|which|what)\b", q.text.lower()):
        if not re.search(extract.START_MARK, case.sentence, re.IGNORECASE):
            return "asks since when; the sentence tells no start"
    return None


@rule("span")
def span_missing(case: Case) -> str | None:
    """A number or date question, and `which university/city/…` or `who chaired …`, need the span itself.

    Why: a sentence without a number, a date or a name of the asked kind restates the topic without
    answering. Example: `How many TLOs are approved?` ← `TLOs license university patents.` vetoes.
    """
    q = case.q
    if case.span is not None:
        return None
    if extract.asks_how_long(q):
        return "asks how long; the sentence gives no length of time"
    if q.kind in extract.SPAN_REQUIRED:
        return f"asks for a {q.kind}; the sentence gives none that answers"
    if q.kind == "entity" and q.asked in extract.PLACE_NOUNS | extract.NAMED_NOUNS:
        return f"asks which {q.asked}; the sentence names none"
    if q.kind == "entity" and extract.wants_person(q):
        return "asks for a person; the sentence names none"
    return None


@rule("span")
def dimension_missing(case: Case) -> str | None:
    """A question asking for an area, a depth or distance, or a weight needs a figure in its units.

    Why: the sentence on the topic often gives a count or an amount beside the size asked for, or no
    size at all. Example: `What water depths does the table give for sulfides?` ← `Proposed mining
    machinery for sulfide deposits at hydrothermal vents …` vetoes; `… at depths of 1,000 to 4,000
    meters` passes.
    """
    dimension = extract.asked_dimension(case.q)
    if dimension and not extract.dimension_spans(case.sentence, dimension[1]):
        return f"asks for {dimension[0]}; the sentence states none"
    return None


@rule("span")
def why_without_cause(case: Case) -> str | None:
    """`Why did X fall/rise/end?` is answered only by a sentence (or the text before it) that gives a cause.

    Why: the sentence that says the change happened is the closest match, yet says nothing of why.
    Example: `Why did startups decrease?` ← `… was on the decrease for a period` vetoes.
    """
    if re.search(extract.WHY_CHANGE, case.q.text, re.IGNORECASE) and not re.search(
        extract.CAUSE, f"{case.earlier} {case.sentence}", re.IGNORECASE
    ):
        return "asks why something changed; the sentence gives no cause"
    return None


@rule("span")
def outcome_not_stated(case: Case) -> str | None:
    """`What results has X achieved?` is answered only by a reported outcome, not a hoped-for one.

    Why: programme descriptions say what a programme is for; only some say what it did. Example:
    `What results has X achieved?` ← `X was implemented to create jobs` vetoes.
    """
    if re.search(extract.OUTCOME_QUESTION, case.q.text, re.IGNORECASE) and not extract.states_outcome(
        f"{case.earlier} {case.sentence}"
    ):
        return "asks for results; the sentence reports none"
    return None


@rule("span")
def no_comparison(case: Case) -> str | None:
    """`How does X compare with Y?` is answered only by a sentence that compares.

    Why: a sentence giving X's figure alone cannot say how it compares. Example: `How does Japan's rate
    compare with the US rate?` ← `Japan's rate was 5%.` vetoes.
    """
    if re.search(extract.COMPARE_QUESTION, case.q.text, re.IGNORECASE) and not re.search(
        extract.COMPARISON, case.sentence, re.IGNORECASE
    ):
        return "asks for a comparison; the sentence compares nothing"
    return None


@rule("span")
def no_rank(case: Case) -> str | None:
    """`Where does X rank?` is answered only by a sentence that gives a rank.

    Why: the sentence naming X and the list is close but may not place X. Example: `Where does Japan
    rank in patents?` ← `Japan files many patents.` vetoes.
    """
    if re.search(r"\brank(s|ed|ing)?\b", case.q.text, re.IGNORECASE) and not re.search(
        extract.RANK, case.sentence, re.IGNORECASE
    ):
        return "asks for a rank; the sentence gives none"
    return None


@rule("span")
def list_too_short(case: Case) -> str | None:
    """`Which six regions …?` is answered only by a sentence that can enumerate six items.

    Why: `… has adopted six regions.` names the count, not the regions. Example: that sentence vetoes.
    """
    q = case.q
    if q.kind == "list" and (items := extract.list_items(case.sentence)) < q.count:
        return f"asks for {q.count} items; the sentence lists at most {items}"
    return None


@rule("span")
def year_not_bound(case: Case) -> str | None:
    """A number answers `… in FY2015?` only if the date nearest to it in the sentence is that year.

    Why: one sentence often gives figures for several years, or a running total. Example: `How many
    projects were adopted in FY2020?` ← `From FY2008 through FY2020, 156 projects were adopted.` vetoes.
    """
    q = case.q
    if _number_span(case) and q.years and not extract.bound_to_year(q, case.sentence, case.span[0]):
        return f"asks for {', '.join(sorted(q.years))}; the number `{case.span[2]}` is tied to another date"
    return None


@rule("span")
def counts_unasked_thing(case: Case) -> str | None:
    """`How many researchers …?` is answered only by a sentence that speaks of researchers (or a synonym,
    or an acronym of them), unless the sentence is a close paraphrase of the question: near it in
    meaning, and, when the number's own unit names another noun, holding most of its other words.

    Why: the nearest number of a sentence on the topic often counts something else. Example: `How
    many researchers were hired?` ← `The program hired 12 staff.` vetoes; `How many teachers were
    affected by school closures?` ← `the education of 85% of children worldwide (over 1.6 billion
    students in total) was interrupted` vetoes, near in meaning as it is.
    """
    q = case.q
    paraphrase = case.similarity >= extract.PARAPHRASE_SIMILARITY and (
        not (case.span and extract.unit_counts_other(q, case.span))
        or extract.topic_share(q, case.sentence, case.acronyms) >= extract.PARAPHRASE_SHARE
    )
    if (
        _number_span(case)
        and "how many" in q.text.lower()
        and not paraphrase
        and not extract.counts_asked_thing(q, case.sentence, case.acronyms)
    ):
        return f"counts {' '.join(q.counted)}; the sentence does not speak of them"
    return None


@rule("span")
def counts_other_noun(case: Case) -> str | None:
    """The number must count the asked noun, not another one the sentence also names.

    Why: `five offices … produced reports` speaks of reports but counts offices. Example: `How many
    reports were produced?` ← that sentence vetoes.
    """
    if _number_span(case) and extract.counts_other_thing(case.q, case.sentence, case.span):
        return f"counts {' '.join(case.q.counted)}; `{case.span[2]}` counts something else"
    return None


@rule("span")
def subset_not_named(case: Case) -> str | None:
    """`How many foreign organizations …?` counts a subset: the text must name it (`foreign`).

    Why: the count of all organisations is not the count of the foreign ones. Example: `How many
    foreign firms joined?` ← `120 firms joined.` vetoes.
    """
    if _number_span(case) and not extract.counts_subset(case.q, f"{case.earlier} {case.sentence}"):
        return "counts a subset the question qualifies; the text does not name that subset"
    return None


@rule("span")
def group_figure(case: Case) -> str | None:
    """A figure for a group of bodies (`seven ministries (MIC, MEXT, MHLW, …) designated 86`) does not
    answer for one member.

    Why: the text gives no share for the one body asked about. Example: `How many subsidies did the
    health ministry designate?` ← that sentence vetoes.
    """
    if _number_span(case) and extract.group_figure(case.q, case.sentence):
        return "asks for one body's figure; the sentence gives a group's"
    return None


@rule("span")
def change_not_level(case: Case) -> str | None:
    """A figure the sentence gives as a change does not answer how much something is.

    Why: budget prose states a programme's cut next to the totals, in the same words. Example: `How
    much FY2026 funding did ShakeAlert receive?` ← `… mostly by reducing ShakeAlert funding by $25.2
    million` vetoes; `By how much would ShakeAlert funding fall?` passes.
    """
    if _number_span(case) and not extract.asks_change(case.q) and extract.states_change(case.sentence, case.span):
        return f"asks for an amount; `{case.span[2]}` is a change the sentence states"
    return None


@rule("span")
def counted_name_missing(case: Case) -> str | None:
    """`How many <Name> items …?` counts the items of one name: the sentence itself must name it (or its
    acronym or expansion), not only the paragraph around it.

    Why: a paragraph that sets two programmes side by side counts the other's items in the same words.
    Example: `How many Community Project Funding items did the House include?` ← `The statement included
    three congressionally directed spending items` (after a sentence defining both) vetoes.
    """
    if not _number_span(case):
        return None
    counted = set(case.q.counted)
    low = case.sentence.lower()
    for name in case.q.names:
        words = set(terms(name))
        if words and words <= counted and not name_present(name, low, set(terms(case.sentence)), case.acronyms):
            return f"counts {name} {case.q.asked or 'items'}; the sentence does not name {name}"
    return None
