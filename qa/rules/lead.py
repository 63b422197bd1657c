"""Lead rules: the short answer leads the reply only when its binding is sure.

They run after the span rules have let the reply through: a lead rule never makes the answer
abstain, it only says the span cut from the sentence may not be the thing asked, so the reply
leads with the sentence itself (which holds the answer the span rules accepted) instead.
"""

from __future__ import annotations

import re

from qa import extract
from qa.lexicon import CURRENCY
from qa.rules.registry import Case, rule
from qa.spans import is_year, noun_phrase, quantities
from qa.text import terms


def _figure_kind(text: str) -> str:
    if re.search(CURRENCY, text, re.IGNORECASE):
        return "money"
    if re.search(extract.SHARE_UNIT, text, re.IGNORECASE):
        return "share"
    return "count"


@rule("lead")
def figure_unbound(case: Case) -> str | None:
    """A number leads only if it is the sentence's one figure of its kind, or it counts the asked noun.

    Why: a sentence often gives several amounts or shares, and the nearest is not always the one
    asked. Example: `What percentage of taxpayers claimed the standard deduction in 2023?` ←
    `In 2023, 9.4% itemized and 89.2% claimed the standard deduction.` leads with the sentence.
    """
    q, span = case.q, case.span
    if q.kind != "number" or span is None:
        return None
    kind = _figure_kind(span[2])
    given = q.numbers | set(q.years)
    rivals = [
        s for s in quantities(case.sentence)
        if s[0] != span[0] and _figure_kind(s[2]) == kind and not _dated_or_timed(s[2])
        and not extract.numbers_in(s[2]) & given
    ]
    if not rivals:
        return None
    counted = set(q.counted)
    if counted and counted & (set(terms(span[2])) | noun_phrase(case.sentence, span[1])):
        return None
    # `the number of page views … reached 98,140`: the asked noun leads up to it, with no figure between.
    start = max([s[1] for s in rivals if s[1] <= span[0]] + [span[0] - extract.UNIT_LEAD_CHARS, 0])
    if counted and counted & set(terms(case.sentence[start : span[0]])):
        return None
    # `Technical Assistance — FY2016: 10.5; FY2017: 9.0`: the cell under the asked year's column,
    # or in prose the one figure tied to the asked year.
    if extract.table_cell(q, case.sentence) == span:
        return None
    if q.years and _year_bound(case, span[0]) and not any(_year_bound(case, s[0]) for s in rivals):
        return None
    return f"the sentence gives {len(rivals) + 1} {kind} figures; `{span[2]}` is not bound to what is asked"


def _dated_or_timed(text: str) -> bool:
    """`2019, joint research` is a year and `about one month` a length of time: neither rivals a count."""
    digits = re.findall(r"\d[\d,]*", text)
    return bool(digits) and all(is_year(d.rstrip(",")) for d in digits) or bool(set(terms(text)) & extract.TIME_UNITS)


def _year_bound(case: Case, position: int) -> bool:
    return bool(extract.dates(case.sentence)) and extract.bound_to_year(case.q, case.sentence, position)


@rule("lead")
def name_unbound(case: Case) -> str | None:
    """A name leads only if it is the sentence's one candidate, or it is called what the question asks.

    Why: a sentence naming several bodies or programmes often answers with another than the one
    cut. Example: `Which ISO technical committee covers sludge recovery?` ← `… Water Reuse (ISO/TC282)
    and sludge recovery (ISO/TC275) …` leads with the sentence, not `Water Reuse`.
    """
    q, span = case.q, case.span
    if q.kind != "entity" or span is None:
        return None
    if q.asked and q.asked in set(terms(span[2])):
        return None
    if extract.passive_agent(q, case.sentence) == span:  # `who provides loans` ← `provision of loans by X`
        return None
    options = extract.entity_options(q, case.sentence)
    if q.asked in extract.ORG_NOUNS and extract.is_org(span[2]):  # `which agency …` ← the one body it names
        options = [s for s in options if extract.is_org(s[2])]
    if len(options) <= 1:
        return None
    return f"the sentence names {len(options)} candidates; `{span[2]}` is not called a {q.asked or 'name'} in it"


@rule("lead")
def one_of_several(case: Case) -> str | None:
    """`Which sections …?` asks for several: a lead naming one thing leads only if the sentence names no more.

    Why: the span cut from an enumeration is one item, or the asked noun itself. Example: `Which delivery
    channels should governments use?` ← `… a range of delivery channels, including radio, TV, mobile and
    online` leads with the sentence, not `TV`; `Which ministries …?` ← `telecom and finance ministries` leads.
    """
    q, span = case.q, case.span
    if q.kind not in ("entity", "list") or span is None or not extract.asks_several(q):
        return None
    if re.search(r",\s|\s(?:and|or)\s|&", span[2]) or extract.list_items(case.sentence) < 2:
        return None
    return f"asks for several {q.asked or 'things'}; `{span[2]}` names one"
