"""Cut the answer out of a sentence, and the predicates the span rules (`qa.rules.span`) read.

`pick_span` finds the span a question asks for: a number with its unit, a date, an organisation, a
place, a person or a purpose clause. The predicates say what a sentence counts or dates: a count of
another noun, a group's figure asked for one member, a subset the text does not name, a number tied
to another year. `qa.reply` turns sentence and span into the reply.
"""

from __future__ import annotations

import re

from qa import lexicon
from qa.lexicon import (
    CURRENCY,
    CURRENCY_WORDS,
    FRACTION,
    FREQUENCY,
    HIGH_WORDS,
    LAW_REFERENCE,
    LOW_WORDS,
    ORGANISATION_NOUNS,
    PERCENT,
    PERCENT_WORDS,
    PERSON_TITLES,
    PURPOSE_NOUNS,
    SCALE_ABBREVIATIONS,
    SCALE_WORDS,
    alternation,
    plural,
)
from qa.question import Question, counted_words
from qa.spans import MONTHS, NUMBER_WORDS, dates, durations, is_org, is_year, names, noun_phrase, quantities
from qa.text import terms

SPAN_REQUIRED = ("number", "date")
# Counted nouns a text may use for one another (`how many countries` ↔ `45 nations`).
COUNT_SYNONYMS = [
    set(terms(group))
    for group in (
        "country nation",
        "company firm enterprise business corporation",
        "person people individual",
        "researcher scientist",
        "project program programme",
    )
]
# `which <noun>s`: the noun followed within this many characters by `a, b and c` earns the weight.
ENUMERATION_CHARS = 60
# Questions that ask for a person, and the words that mark a person or a post in the text.
PERSON_QUESTION = (
    r"\bwho\s+(?:\w+ly\s+)?(chair|chairs|chaired|heads?|headed|presides?|presided|directs?|directed)\b"
    r"|\bwhich (?:person|people|individual|expert|official|professor|scientist|chair(?:person|man)?|minister)s?\b"
    r"|\bwhom\b"
)
PERSON_WORDS = rf"\b({'|'.join(PERSON_TITLES)})\b"
# A sentence this close to the question (MiniLM cosine) that holds this share of the question's other
# words speaks of what it counts, in other words.
PARAPHRASE_SIMILARITY = 0.6
PARAPHRASE_SHARE = 0.5
# `Which cities/regions …?` wants place names: a sentence without one does not answer.
PLACE_NOUNS = set(terms(" ".join(lexicon.PLACE_NOUNS)))
NOT_PLACES = set(
    terms(
        "initiative program programme project act plan strategy system council center centre fund report"
        " guideline law agency ministry office organization association"
    )
)
# `When did X end?` asks for the end of a period: a date with an end word before it answers it.
END_QUESTION = (
    r"\b(end|ended|ends|finish|finished|finishes|conclude|concluded|expire|expired|expires|terminate|terminated"
    r"|close|closed|complete|completed|come to an end|run until|last until|wind up|wound up)\b"
)
END_MARK = (
    r"\b(until|till|through|to|end|ended|ends|ending|finish\w*|conclu\w+|expir\w+|terminat\w+|clos\w+"
    r"|complet\w+|up to|by)\b"
)
END_MARK_CHARS = 40
# `When did X start?`, `since when …`: an `up to`/`until` date ends the period instead.
START_QUESTION = r"\b(start|started|starts|begin|began|begun|commence|commenced|launch|launched|since when)\b"
UNTIL = r"(up to|until|till|through|by the end of|the end of|end of)\b"
START_MARK = (
    r"\b(since|from|start\w*|beg[au]n|begin\w*|launch\w*|establish\w*|introduc\w+|creat\w+|found\w*|set up"
    r"|enact\w*|enforc\w+|force|effect|commenc\w+|inaugurat\w+|open\w*|initiat\w+|formulat\w+|adopt\w*)\b"
)
# `Why did X fall/rise?` asks for the cause of a change; only a sentence that gives one answers it.
WHY_CHANGE = (
    r"^why\b.*\b(decrease|decreased|decline|declined|fall|fell|drop|dropped|rise|rose|increase|increased|grow"
    r"|grew|change|changed|shrink|shrank|slow|slowed|surge|surged|jump|jumped|end|ended|stop|stopped|cease|ceased"
    r"|abolish|abolished|terminate|terminated|discontinue|discontinued)\b"
)
CAUSE = (
    r"\b(because|due to|owing to|as a result|result(?:ed|s)? (?:of|from)|reflect\w*|driven by|thanks to|led to"
    r"|caus\w+|attribut\w+|since|in response to|following|amid|in order to|so as to|aim\w*|purpose)\b"
)
# `What results has X achieved?`: only a sentence that reports an outcome answers.
OUTCOME_QUESTION = (
    r"\b(what|which|any) (results?|outcomes?|achievements?|impacts?|effects?)\b|\bhow (successful|effective)\b"
    r"|\bwhat (has|have|did) .+ (achieve|accomplish|produce)d?\b"
)
OUTCOME = (
    r"\b(result(ed|s)?|achiev\w+|outcomes?|led to|produced|succeeded|success\w*|effects?|impacts?|accomplish\w+"
    r"|increased|decreased|improved|reached|created|generated)\b"
)
COMPARE_QUESTION = r"\bcompare[sd]?\b|\bcomparison\b|\b(higher|lower|more|less|bigger|smaller) than\b"
COMPARISON = (
    r"\b(than|compared|comparison|higher|lower|greater|smaller|exceed\w*|versus|vs|twice|times|increase\w*"
    r"|decrease\w*)\b"
)
# `a high of 323`, `peaked at`, `the lowest level of 167`: a sentence stating the top or the bottom.
EXTREME_STATED = {
    "high": re.compile(rf"\b(?:{alternation(HIGH_WORDS)}|peak(?:s|ed)?|(?:a|its|new) (?:high|peak|record))\b", re.I),
    "low": re.compile(rf"\b(?:{alternation(LOW_WORDS)}|(?:a|its|new) low)\b", re.I),
}
# … and a question asking for one (`the highest number of …`).
EXTREME_ASKED = {
    "high": re.compile(rf"\b(?:{alternation(HIGH_WORDS)})\b", re.I),
    "low": re.compile(rf"\b(?:{alternation(LOW_WORDS)})\b", re.I),
}
# Characters before a number in which the extreme it is said to be is stated (`a high of 323`).
EXTREME_CHARS = 30
RANK = r"\brank\w*|\b\d+(st|nd|rd|th)\b|\b(first|second|third|top|highest|lowest)\b"
# A single body the question names, and a count of such bodies a sentence lists (`seven ministries (…)`).
# Prefectures too: a group's figure (`five prefectures (…)`) is not one prefecture's.
BODIES = alternation(ORGANISATION_NOUNS | {"prefecture"})
BODIES_PLURAL = alternation({plural(n) for n in ORGANISATION_NOUNS | {"prefecture"}})
# Adjectives that pick a subset of a class (`how many foreign organizations`, `private universities`).
QUALIFIERS = set(terms("private public national foreign overseas domestic female male women large small"))
# `Which organisations …?` wants a body: not a law, plan or programme, which are names too.
ORG_NOUNS = {t for noun in ORGANISATION_NOUNS for t in terms(noun)}
NOT_ORGS = set(terms("act law plan strategy system program programme initiative project guideline report policy"))
LAW = r"\b(Act|Law)\b"
# `Which university/company/project …?` is answered by a name: a sentence without one does not answer.
# (Adding program, council, center, act, law or plan cost a right answer on the tuning sets.)
NAMED_NOUNS = set(terms("university company firm ministry agency organization institute project prize award"))
NAME_BINDING_CHARS = 12
NAME_BINDING_BONUS = 2.5
SUBJECT_BINDING_CHARS = 45
TIME_UNITS = {"year", "month", "week", "day", "time"}
# Words of a quantity span that are not the counted noun (`about 46.3 billion yen`).
NOT_UNITS = (
    set(terms("about approx approximately around over more than up to nearly some at least a total of percent"))
    | set(terms(" ".join([*SCALE_WORDS, *CURRENCY_WORDS, *SCALE_ABBREVIATIONS, *PERCENT_WORDS])))
    | set(terms(NUMBER_WORDS.replace("|", " ")))
)
# `the number of reports … was 300 cases`: a counted noun this close before the number binds it.
UNIT_LEAD_CHARS = 80
# `14 pioneering or original initiatives`: adjectives may stand between the number and its noun.
UNIT_TRAIL_CHARS = 30
# A question about money (`what was the budget …`) is answered by an amount of money only.
MONEY_QUESTION = (
    r"\b(budget|costs?|spending|spend|expenditures?|stipend|salary|salaries|price|fees?|wages?|funding|money"
    r"|invest|invests|invested|investment|aid|grants?|subsid\w*|financ\w*|loans?|lending|deductions?|exemptions?|payments?)\b"
)
CHANGE_QUESTION = (
    r"\bby how much\b|\b(rise|rises|rose|increase[sd]?|grow|grew|growth|decrease[sd]?|fall|fell|drop)\b|%|percent"
)
# `… rise to what rate?` asks where a change ends (`from 53% to 63%` → 63%); `from what …?` where it began.
END_VALUE_QUESTION = (
    r"\b(?:(?:rise|rises|rose|risen|increase[sd]?|grow|grows|grew|grown|fall|falls|fell|fallen|drop(?:s|ped)?"
    r"|decline[sd]?|climb(?:s|ed)?|reach(?:es|ed)?|go|goes|went|gone|come|came)\s+to|to what)\b"
)
START_VALUE_QUESTION = r"\bfrom what\b"
SHARE_QUESTION = r"\b(?:what|which)\s+(?:share|proportion|fraction|percentage|percent)\b"
SHARE_UNIT = rf"{PERCENT}|\b(?:{FRACTION})\b"
MONEY_UNIT = rf"{CURRENCY}|\b(?:{'|'.join(SCALE_WORDS)})\b"
# A question that asks for a law's or a code's number (answered by a `LAW_REFERENCE`).
LAW_NUMBER_QUESTION = re.compile(
    r"\b(?:public\s+law|p\.\s?l\.|law|statute|code|section|bill)\s+(?:number|no\.?|citation)\b", re.IGNORECASE
)
# A number is tied to the dates within this many characters of it (same clause, roughly).
BINDING_CHARS = 100
# A sentence that says it states an aim answers `what is the aim of …` before one that merely has `to …`.
PURPOSE_WORDS = (
    rf"\b(({alternation(PURPOSE_NOUNS)})s? (is|are|was|were) to|aim(s|ed)? (to|at)|in order to|so as to"
    r"|with (the|a) (aim|view|goal) (of|to)|intended to|designed to)\b"
)
# Words of a name right before a bracket that the bracket dates (`the Act on … (Act No. 52 of 1998)`).
PAREN_NAME_WORDS = 8


def entity_options(q: Question, sentence: str) -> list[tuple[int, int, str]]:
    """Names in the sentence that could answer `which …`/`who …`: not the question's own, not dates."""
    qnames = {n.lower() for n in q.names}
    qset = set(q.terms)
    qtokens = {_dashes(w.strip("’'s,?").lower()) for w in q.text.split() if w[:1].isupper()}
    found_dates = dates(sentence)

    def restates(text: str) -> bool:
        return any(_dashes(w.strip("(),.").lower()) in qtokens and _capitals(w) >= 2 for w in text.split())

    options = []
    for s in names(sentence):
        cut = re.match(r"(\S+\s+.+?)\s+of\s+(?:the\s+)?", s[2])  # a name of two words or more before `of`
        if restates(s[2]) and cut and not restates(cut.group(1)):
            s = (s[0], s[0] + len(cut.group(1)), cut.group(1))  # `Sub-Committee … of the APEC` under `which APEC body`
        if (
            s[2].lower() not in qnames
            and not set(terms(s[2])) <= qset
            and not restates(s[2])
            and not any(d[0] <= s[0] < d[1] for d in found_dates)
            and not re.fullmatch(r"FY\s?\d{4}", s[2])
            and not re.match(r"No\.?\s?\d", s[2])  # `No.34 on June 3, 2020` is a law's number and date
        ):
            options.append(s)
    return options


def _dashes(word: str) -> str:
    """`DESIGN–i` in the text is `DESIGN-i` as typed."""
    return re.sub(r"[‐-―]", "-", word)


def _capitals(word: str) -> int:
    return sum(c.isupper() for c in word)


def asked_extreme(q: Question) -> str | None:
    """`What was the highest number of …?` → `high`, `… the lowest …` → `low`; a number question only."""
    if q.kind != "number":
        return None
    return next((side for side, asked in EXTREME_ASKED.items() if asked.search(q.text)), None)


def states_extreme(side: str, text: str) -> bool:
    """Does `text` state the top (`side` `high`) or the bottom (`low`) of something?"""
    return bool(EXTREME_STATED[side].search(text))


def asked_dimension(q: Question) -> tuple[str, str] | None:
    """The measure of size a question asks for (`the maximum area …` → area) and its unit pattern."""
    low = q.text.lower()
    return next(((name, units) for name, asked, units in lexicon.DIMENSIONS if re.search(asked, low)), None)


_FIGURE_START = re.compile(r"[~<>≈$€£¥\d,.\s–-]*")


def dimension_spans(sentence: str, units: str) -> list[tuple[int, int, str]]:
    """The quantities of a sentence stated in `units`: the unit right after the figure (`75,000 square
    kilometers (km2)`, `3 nautical miles`), not later in the span."""
    found = []
    for s in quantities(sentence):
        after = sentence[_FIGURE_START.match(sentence, s[0]).end() : s[1] + 25]
        if re.match(rf"(?:{units})", after, re.IGNORECASE):
            found.append(s)
    return found


def has_kind(q: Question, sentence: str) -> bool:
    dimension = asked_dimension(q)
    if dimension and not dimension_spans(sentence, dimension[1]):
        return False  # `the maximum area …` is answered only by a figure in square kilometers, acres …
    if asks_law_number(q):  # `Which public law number is the act?` ← `… (P.L. 118-272) …`
        return bool(LAW_REFERENCE.search(sentence))
    if q.kind == "number":
        if _asks_how_often(q) and frequencies(sentence):
            return True
        return any(not is_year(s[2]) and s[2] not in q.numbers for s in quantities(sentence))
    if q.kind == "date":  # … and `when does it expire?` a date the sentence says something ends on
        found = [d for d in dates(sentence) if not _restates_date(q, d[2])]
        if re.search(r"\b(month|day)\b", q.text, re.IGNORECASE):  # `in what month and year …` ← `August 1965`
            found = [d for d in found if re.search(rf"\b(?:{MONTHS})\b", d[2])]
        return bool(_ending(sentence, found) if re.search(END_QUESTION, q.text.lower()) else found)
    if q.kind == "list":  # `which three resources …?` is answered by an enumeration
        return bool(re.search(r"\w,? (and|or) \w|\w, \w[^,]*, ", sentence)) and list_items(sentence) >= q.count
    return True


def _ending(sentence: str, spans: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """The dates a sentence says something ends on (`expire on September 30, 2029`, `FY2016–FY2020`)."""
    return [
        s
        for s in spans
        if re.search(END_MARK, sentence[max(0, s[0] - END_MARK_CHARS) : s[1]])
        or re.search(r"\d\s?(?:–|-|to|through)\s?(?:FY\s?)?\d", s[2])  # `FY2016–FY2020`
    ]


_HOW_LONG = re.compile(r"\bhow long\b", re.IGNORECASE)


def asks_how_long(q: Question) -> bool:
    """`How long could it take …?` asks for a length of time (a date-kind question answered by one)."""
    return q.kind == "date" and bool(_HOW_LONG.search(q.text))
_DATE_LEAD = re.compile(r"^(?:in|on|by|since|from|until|till|through|as of|during|before|after)\s+", re.IGNORECASE)


def _restates_date(q: Question, date: str) -> bool:
    """A date with a month or day (`in September 2025`) that the question itself gives."""
    bare = _DATE_LEAD.sub("", date).strip()
    return not _bare_year(bare) and bare.lower() in q.text.lower()


_CHANGE = alternation(lexicon.CHANGE_WORDS)
_CHANGE_TERMS = frozenset(terms(" ".join(lexicon.CHANGE_WORDS)))
# `reducing … funding by $25.2 million`, `an increase of $3 million`; `$527.8 million less than …`, `a $2 million cut`.
_CHANGE_BEFORE = re.compile(rf"\b(?:{_CHANGE})\b[^.;]{{0,60}}\bby\s*$|\b(?:{_CHANGE}) of\s*$", re.IGNORECASE)
_CHANGE_AFTER = re.compile(rf"^\s*\(?(?:{_CHANGE})\b", re.IGNORECASE)


def asks_change(q: Question) -> bool:
    """`By how much did funding fall?`, `how much of the cut …`: the question asks about a change."""
    return bool(set(terms(q.text)) & _CHANGE_TERMS) or "by how much" in q.text.lower()


_AMOUNT_AT = re.compile(
    rf"\s*{lexicon.CURRENCY_SYMBOL}?\d[\d,.]*\s*(?:{'|'.join(SCALE_WORDS)}|%|percent)?", re.IGNORECASE
)


def states_change(sentence: str, span: tuple[int, int, str]) -> bool:
    """The figure is a change the sentence states, not a level: `reducing funding by $25.2 million`,
    `$527.8 million less than …` (the change word right after the amount, not later in the span)."""
    before = sentence[max(0, span[0] - 90) : span[0]]
    amount = _AMOUNT_AT.match(sentence, span[0])
    after = sentence[amount.end() if amount else span[1] :]
    return bool(_CHANGE_BEFORE.search(before) or _CHANGE_AFTER.match(after))


def asks_law_number(q: Question) -> bool:
    """`Which public law number is …?`, `What is the P.L. number of …?`: the answer is a law reference."""
    return bool(LAW_NUMBER_QUESTION.search(q.text))


def _asks_how_often(q: Question) -> bool:
    return "how often" in q.text.lower()


def frequencies(sentence: str) -> list[tuple[int, int, str]]:
    """How often a sentence says something happens: `on a semi-annual basis` → `semi-annual basis`."""
    return [(m.start(), m.end(), m.group(0)) for m in re.finditer(FREQUENCY, sentence, re.IGNORECASE)]


def list_items(sentence: str) -> int:
    """At most how many items a sentence enumerates: `A, B and C` → 3 (an upper bound, commas count)."""
    return sentence.count(",") + 1 + bool(re.search(r"\w,? (?:and|or) \w", sentence))


def counts_asked_thing(q: Question, sentence: str, acronyms=None) -> bool:
    """`How many researchers …?` is answered only by a sentence that speaks of researchers: of the
    counted noun itself or a synonym, not only of a modifier (`university` of `university
    spin-offs`); or by an acronym whose expansion holds a word of the counted phrase (`TLOs` for
    `university licensing offices`)."""
    wanted = set(q.counted)
    if not wanted:
        return True
    head = set(q.counted_head) or wanted
    have = set(terms(sentence))
    if head & have or any(head & group and have & group for group in COUNT_SYNONYMS):
        return True
    entries = acronyms.entries if acronyms is not None else []
    return any(e.short.lower() in have and wanted & set(terms(e.long)) for e in entries)


def topic_share(q: Question, sentence: str, acronyms=None) -> float:
    """Share of the question's words, besides the counted ones, that the sentence holds (as
    themselves, or through an acronym of the corpus either way): a paraphrase restates most of them.
    Years and numbers are left to their own rules (`FY2019` is written `FY 2019` as often)."""
    topic = [t for t in dict.fromkeys(q.terms) if t not in set(q.counted) and not re.search(r"\d", t)]
    if not topic:
        return 1.0
    have = set(terms(sentence))
    return sum(1 for t in topic if term_present(t, have, acronyms)) / len(topic)


def term_present(term: str, have: set[str], acronyms=None) -> bool:
    """A question term is in a text (its terms `have`) as itself, as its acronym's expansion, or as
    the acronym of it."""
    if term in have:
        return True
    if acronyms is None:
        return False
    if any(set(terms(e.long)) <= have for e in acronyms.lookup(term)):
        return True
    return any(e.short.lower() in have and term in set(terms(e.long)) for e in acronyms.entries)


def group_figure(q: Question, sentence: str) -> bool:
    """`How many subsidies did the health ministry designate?` ← `seven ministries (MIC, MEXT, MHLW, …)
    designated 86 subsidies`: the figure is the group's; the text gives no share for one member."""
    one = re.search(rf"\bthe\s+(?:[\w-]+\s+)?({BODIES})\b", q.text, re.IGNORECASE) or any(
        re.search(rf"\b{re.escape(n)}\b[^()]*\)", sentence) and _in_parentheses(sentence, sentence.find(n))
        for n in q.names
        if n.isupper()
    )
    group = re.search(rf"\b(?:{NUMBER_WORDS}|\d+)\s+(?:{BODIES_PLURAL})\s*\((?:[A-Z][\w&-]*,\s*){{2,}}", sentence)
    return bool(one and group)


def counts_subset(q: Question, text: str) -> bool:
    """`How many foreign organizations …?` counts a subset: the text must name it (`foreign`)."""
    if not set(q.counted) & QUALIFIERS <= set(terms(text)):
        return False
    # `… conducted by private universities`: that subset, adjective and noun together.
    low = text.lower()
    for adjective, noun in re.findall(r"\b(?:by|at|among|from)\s+(?:the\s+)?([a-z]+)\s+([a-z]+)", q.text):
        if not set(terms(adjective)) & QUALIFIERS:
            continue
        nouns = set(terms(noun))
        nouns |= {w for group in COUNT_SYNONYMS if nouns & group for w in group}
        following = re.findall(rf"\b{adjective}\s+([\w-]+(?:\s+[\w-]+)?)", low)  # `private (R&D) firms`
        if not any(set(terms(words)) & nouns for words in following):
            return False
    return True


_PREPOSITION_END = re.compile(r"\b(?:for|of|in|with|to|from|among|across|on|into|between)\s*$", re.IGNORECASE)


def counts_other_thing(q: Question, sentence: str, span: tuple[int, int, str]) -> bool:
    """`How many reports …?` is not answered by `five offices … produced reports`.

    The sentence speaks of the counted thing, but the number counts another noun, and the counted
    thing does not lead up to the number (`the number of reports … was 300 cases` still counts).
    """
    wanted = q.counted
    if not wanted or not unit_counts_other(q, span):
        return False
    head = (q.counted_head or wanted)[-1]
    # After the number, its noun comes before the next comma: `three workshops, public comments` counts workshops.
    trail = re.split(r"[,;(]", sentence[span[1] : span[1] + UNIT_TRAIL_CHARS], maxsplit=1)[0]
    lead = sentence[max(0, span[0] - UNIT_LEAD_CHARS) : span[0]]
    if _PREPOSITION_END.search(lead):
        lead = ""  # `contracts for three types of deposits`: the number opens a phrase of its own
    near = set(terms(lead + " " + span[2] + " " + trail))
    return head in set(terms(sentence)) and head not in near


def unit_counts_other(q: Question, span: tuple[int, int, str]) -> bool:
    """Does the span's own unit name another noun than the one counted (`over 150 facilities` for
    `how many researchers`)?"""
    wanted = set(q.counted)
    unit = {t for t in terms(span[2]) if not re.search(r"\d", t)} - NOT_UNITS
    return bool(unit) and not unit & wanted and not any(unit & g and wanted & g for g in COUNT_SYNONYMS)


def numbers_in(text: str) -> set[str]:
    """The numbers a span states, as the question would write them (`46.3`, `10`, `seven`)."""
    found = {n.replace(",", "") for n in re.findall(r"\d[\d,]*(?:\.\d+)?", text)}
    return found | set(re.findall(rf"\b(?:{NUMBER_WORDS})\b", text.lower()))


# `between 2012 and 2025`, `from FY2012 to FY2025`, `2012–2025`: a period the question asks about.
_PERIOD = re.compile(
    r"(?:\b(?:between|from)\s+(?:FY\s?)?((?:19|20)\d\d)\s+(?:and|to|through|until)\s+(?:FY\s?)?((?:19|20)\d\d)"
    r"|\b((?:19|20)\d\d)\s?(?:–|-|to|through)\s?(?:FY\s?)?((?:19|20)\d\d))\b",
    re.IGNORECASE,
)


def asked_period(q: Question) -> tuple[int, int] | None:
    """The first and last year of a period the question asks about (`between 2012 and 2025`), if any."""
    m = _PERIOD.search(q.text)
    if not m:
        return None
    first, last = (int(y) for y in m.groups() if y)
    return (first, last) if first < last else None


_CLAUSE_BREAK = re.compile(r",\s|;\s|:\s|\s\(|\)|\s—\s|\s–\s")


def _clause(sentence: str, position: int) -> tuple[int, int]:
    """The stretch between the clause breaks (`, `, `; `, brackets, dashes) around `position`."""
    start, end = 0, len(sentence)
    for m in _CLAUSE_BREAK.finditer(sentence):
        if m.end() <= position:
            start = m.end()
        elif m.start() > position:
            end = m.start()
            break
    return start, end


def _dates_a_figure(sentence: str, date: tuple[int, int, str]) -> bool:
    """The date's own clause holds a figure besides it (`its FY2026 funding of $288.8 million`), unlike
    `(as of January 2021)`, which dates the figure before it."""
    start, end = _clause(sentence, date[0])
    return any(
        start <= s[0] < end and not (date[0] <= s[0] < date[1]) and not is_year(s[2].split()[0])
        for s in quantities(sentence)
    )


def bound_to_year(q: Question, sentence: str, position: int) -> bool:
    """A number answers "… in FY2015?" only if the date nearest to it in the sentence is that year
    (or, for `… between 2012 and 2025?`, a year of that period)."""
    found = dates(sentence)
    if not found:
        return True
    start, end = _clause(sentence, position)
    own = [d for d in found if start <= d[0] and d[1] <= end]
    if own:
        found = own  # `up from 120 in FY2019`: the number's own clause dates it
    elif all(d[0] >= end and _dates_a_figure(sentence, d) for d in found):
        return True  # `$227.1 million for X, a reduction from its FY2026 funding of …`: later dates bind other figures
    gap = {d: min(abs(d[0] - position), abs(d[1] - position)) for d in found}
    nearest = min(found, key=gap.get)
    near = [d for d in found if gap[d] <= BINDING_CHARS] or [nearest]
    # `From FY2008 through FY2020, 156 …` is a running total: it answers `… in FY2020?` only if the
    # question asks for a total or a span of years itself.
    spans_asked = len(q.years) > 1 or re.search(r"\b(since|through|from|until|total|so far|cumulative|by)\b", q.text)
    period = asked_period(q)
    if period and any(period[0] <= int(y) <= period[1] for d in near for y in re.findall(r"(?:19|20)\d\d", d[2])):
        return True
    return any(
        y in d[2] and (spans_asked or len(re.findall(r"(?:19|20)\d\d", d[2])) < 2) for d in near for y in q.years
    )


# A table record as qa.ingest.tables writes it: `Department of Energy — FY2024: 8,214; FY2025: 8,230`.
_TABLE_CELL = re.compile(r"(?:^| — |; )([^:;—]+):+ ([^;]+)")
_CELL_NUMBER = re.compile(r"\s*[~<>≈]?[$€£¥]?-?[\d,.]+%?\s*")
_YEAR_IN = re.compile(r"(?<!\d)(?:19|20)\d\d(?!\d)")


def table_cell(q: Question, row: str) -> tuple[int, int, str] | None:
    """The value of the one cell of a table record a number question asks for: under the column whose
    header holds the asked year (`… funding in FY2017` ← `Technical Assistance — …; FY2017: 9.0; …`),
    else under the column whose header the question's words name best (`how much HTF contract authority
    went to FMCSA` ← `FMCSA — HTF Contract Authority: 4,456.5; %: 87%; …`): the share of the header's
    words the question holds, then how many; a tie is no answer. The row's unit is in its caption, not in
    the cell, so the money rules below would find none. A cell holding more than a number
    (`$82,048 + 32% of the amount over $403,550`) is returned whole, for the number rules to cut."""
    if " — " not in row:
        return None
    cells = [m for m in _TABLE_CELL.finditer(row) if re.search(r"\d", m.group(2))]
    if not cells:
        return None
    if any(_YEAR_IN.search(m.group(1)) for m in cells):
        if len(q.years) != 1:
            return None
        (year,) = q.years
        hits = [
            m for m in cells
            if re.search(rf"(?<!\d)(?:{year}|{year[2:]})(?!\d)", m.group(1)) and _CELL_NUMBER.fullmatch(m.group(2))
        ]
    else:
        asked = set(q.terms)
        scores = {}
        for m in cells:
            head = set(terms(m.group(1)))
            held = len(head & asked)
            if held:
                scores[m] = (held / len(head), held)
        best = max(scores.values(), default=None)
        hits = [m for m, score in scores.items() if score == best]
    if len(hits) != 1:
        return None
    value = hits[0]
    return value.start(2), value.end(2), value.group(2).strip()


def plain_cell(cell: tuple[int, int, str] | None) -> bool:
    """A cell that is one number (`9.0`, `~16`, `$8,214`), a short answer as it stands."""
    return cell is not None and bool(_CELL_NUMBER.fullmatch(cell[2]))


# `which ministries …`, `which sectors …`: a question asking for several of a kind.
_WHICH_PLURAL = re.compile(r"\bwhich \w*(ies|s)\b", re.IGNORECASE)
# `telecom and finance ministries`, `the health, education or labour sectors`: kinds of one noun, in lower case.
_COORDINATED = re.compile(r"\b((?:[a-z][\w-]*,\s+)*[a-z][\w-]*,?\s+(?:and|or)\s+[a-z][\w-]*)\s+([a-z][\w-]*)\b")


# `Which delivery channels should …`: a plural (not `process`, `status`) right before the verb.
_WHICH_PLURAL_BEFORE_VERB = re.compile(
    r"\bwhich\s+(?:[\w-]+\s+){0,3}?[\w-]+[^su\W]s\s+(?:should|did|do|does|are|were|have|has|can|could|will|would|must)\b",
    re.IGNORECASE,
)


def asks_several(q: Question) -> bool:
    """`Which ministries …?`, `which Clean Air Act sections …`: the question asks for several of a kind
    (the asked noun, after `which`, is a plural)."""
    if _WHICH_PLURAL.search(q.text) or _WHICH_PLURAL_BEFORE_VERB.search(q.text):
        return True
    return bool(q.asked) and bool(
        re.search(rf"\bwhich\b(?:\s+[\w’'-]+){{0,4}}?\s+{re.escape(q.asked)}\w*s\b", q.text, re.IGNORECASE)
    )


def coordinated_kinds(q: Question, sentence: str) -> tuple[int, int, str] | None:
    """`Which ministries …?` ← `… notably telecom and finance ministries`: two or more kinds of the
    asked noun named in lower case, none of them a word of the question (a sentence restating the
    question's own `ministries of education` names no other ministry)."""
    if not q.asked or not _WHICH_PLURAL.search(q.text):
        return None
    asked_terms = set(q.terms)
    for m in _COORDINATED.finditer(sentence):
        kinds = terms(m.group(1))
        if terms(m.group(2)) == [q.asked] and kinds and not set(kinds) & asked_terms:
            return m.start(), m.end(), m.group(0)
    return None


def pick_span(q: Question, sentence: str) -> tuple[int, int, str] | None:
    qterm_positions = [m.start() for t in set(q.terms) for m in re.finditer(re.escape(t[:5]), sentence.lower())] or [0]

    def distance(span: tuple[int, int, str]) -> float:
        return min(abs(span[0] - pos) for pos in qterm_positions)

    qlow = q.text.lower()
    if q.kind == "descriptive" and " — " in sentence:
        cell = table_cell(q, sentence)  # `what is the base tax for income over $403,550` ← that row's one cell
        if cell is not None:
            return cell
    if asks_law_number(q):
        law = LAW_REFERENCE.search(sentence)
        return (law.start(), law.end(), law.group(0)) if law else None
    if q.kind == "number":
        cell = table_cell(q, sentence)
        if plain_cell(cell):
            return cell
        date_spans = dates(sentence)
        given = q.numbers | set(re.findall(rf"\b(?:{NUMBER_WORDS})\b", qlow))
        options = [
            s
            for s in quantities(sentence)
            if (cell is None or cell[0] <= s[0] < cell[1])  # a cell holding more than a number: one of its figures
            and not is_year(s[2].split()[0])
            and not numbers_in(s[2]) & given  # `over 10 million yen` restates the question's own number
            and not any(d[0] <= s[0] < d[1] for d in date_spans)
        ]
        # A budget is an amount of money, not `21 regions`; but how much spending *rises* is a rate.
        # `How many sites does the funding agency run?` counts things: only `how much`/`what budget` ask money.
        share = re.search(SHARE_QUESTION, qlow)
        if re.search(MONEY_QUESTION, qlow) and not re.search(CHANGE_QUESTION, qlow) and "how many" not in qlow \
                and not share:
            # … and `what rate of incentive payments` may be a share of them (`15% incentive payments`).
            unit = rf"{MONEY_UNIT}|{SHARE_UNIT}" if re.search(r"\brates?\b", qlow) else MONEY_UNIT
            options = [s for s in options if re.search(unit, s[2], re.IGNORECASE)]
        # `How many activities …?` counts things: never `over 10 million yen` or `a 16.4% increase`,
        # unless what is counted is money or a percentage (`how many million dollars`, `how many
        # percentage points`); `how many grants … from the funds` is not.
        elif "how many" in qlow and not re.search(rf"{CURRENCY}|percent|{MONEY_UNIT}", " ".join(counted_words(qlow))):
            options = [s for s in options if not re.search(rf"{CURRENCY}|{SHARE_UNIT}", s[2], re.IGNORECASE)]
        # `What share of households …?` is answered by `74%` or `three-fourths`, never by a count (`five principles`).
        if share:
            options = [s for s in options if re.search(SHARE_UNIT, s[2], re.IGNORECASE)]
        if _asks_how_often(q):  # `on a semi-annual basis` answers how often, as `every two years` does
            options += frequencies(sentence)
        dimension = asked_dimension(q)
        if dimension:
            sized = {s[0] for s in dimension_spans(sentence, dimension[1])}
            options = [s for s in options if s[0] in sized]
        if not options:
            return None
        qstems = set(q.terms)
        counted = q.asked if "how many" in qlow else None

        mentions = [(n, m) for n in q.names for m in re.finditer(re.escape(n.lower()), sentence.lower())]
        named = [m.start() for _, m in mentions]
        # … unless the name is what is counted (`how many IP Strategy Designers …`).
        named_ends = [m.end() for n, m in mentions if not set(terms(n)) <= set(q.counted)]

        # What the question asks of the number, read once for all the spans.
        wants_end = bool(re.search(END_VALUE_QUESTION, qlow))
        wants_start = bool(re.search(START_VALUE_QUESTION, qlow))
        wants_share = "percent" in qlow or "rate" in qlow or "%" in qlow or "share" in qlow
        wants_money = "how much" in qlow or "amount" in qlow or "budget" in qlow or bool(re.search(CURRENCY, qlow))
        extreme = asked_extreme(q)

        dated = bool(q.years) and bool(date_spans)

        def number_score(s: tuple[int, int, str]) -> float:
            unit_terms = set(terms(s[2]))
            score = -distance(s) / 40.0
            score += 2.0 * len(unit_terms & qstems)
            if dated and bound_to_year(q, sentence, s[0]):
                score += 2.0  # `a 7.0% increase … in 2023 … and a 5.5% increase in 2024`: the asked year's figure
            if counted and counted in unit_terms | noun_phrase(sentence, s[1]):
                score += 2.0  # `how many universities` → `29 universities`, `three widely attended workshops`
            elif counted and counted in set(terms(sentence[max(0, s[0] - 80) : s[0]])):
                score += 1.0  # `the number of page views … reached 98,140`
            if counted and unit_terms & TIME_UNITS and counted not in TIME_UNITS:
                score -= 3.0  # `how many page views …` is not `about one month`
            if "how often" in qlow and (
                re.search(r"\bevery\s*$", sentence[max(0, s[0] - 10) : s[0]]) or unit_terms & TIME_UNITS
            ):
                score += 3.0
            # `41 projects in Africa`: a name of the question right next to the number binds it.
            if any(s[1] <= at <= s[1] + NAME_BINDING_CHARS for at in named):
                score += NAME_BINDING_BONUS
            # `IP Strategy Designers were dispatched to 20 universities`: the subject named just before.
            elif any(
                0 <= s[0] - end <= SUBJECT_BINDING_CHARS and not re.search(r"\d", sentence[end : s[0]])
                for end in named_ends
            ):
                score += NAME_BINDING_BONUS
            before = sentence[max(0, s[0] - 6) : s[0]]
            if wants_end and re.search(r"\bto\s*$", before, re.IGNORECASE):
                score += 2.0
            elif wants_start and re.search(r"\bfrom\s*$", before, re.IGNORECASE):
                score += 2.0
            if wants_share and re.search(PERCENT, s[2]):
                score += 2.0
            if wants_money and re.search(CURRENCY, s[2], re.IGNORECASE):
                score += 2.0
            if extreme and states_extreme(extreme, sentence[max(0, s[0] - EXTREME_CHARS) : s[0]]):
                score += 3.0  # `the highest number` ← `a high of 323`, not `the lowest level of 167`
            return score

        return max(options, key=number_score)
    if asks_how_long(q):
        # A length of time (`10 to 20 years`) or a start (`since 1965`), never a date (`in 2026`).
        options = durations(sentence) + [s for s in dates(sentence) if s[2].lower().startswith("since")]
        return min(options, key=distance) if options else None
    if q.kind == "date":
        # The year the question names is not an answer to "when": `… Plan 2019 decided?` ≠ `in 2019`.
        # … but `July 2020` answers `When was Fact Book 2020 compiled?`: only a bare year restates it.
        # … nor is any date the question gives itself (`… did EPA propose in September 2025 …?` ≠ `September 2025`).
        options = [
            s for s in dates(sentence)
            if not (_bare_year(s[2]) and any(y in s[2] for y in q.years)) and not _restates_date(q, s[2])
        ]
        if re.search(END_QUESTION, qlow):  # `When did the pilot end?` is not answered by when it was held
            options = _ending(sentence, options)
        elif re.search(START_QUESTION, qlow):  # `When did the pilot start?` is not answered by `up to June 2020`
            options = [s for s in options if not re.match(UNTIL, s[2], re.IGNORECASE)]
        wants_day = bool(re.search(r"\b(date|day)\b", qlow))
        # `… as of when?` is answered by `as of January 29, 2021`, `since when` by `since …`
        asked_from = re.search(r"\b(as of|since|until|by|from) when\b", qlow)

        def date_cost(span: tuple[int, int, str]) -> float:
            cost = distance(span) / 40.0
            if _in_parentheses(sentence, span[0]) and not _terms_inside_parentheses(q, sentence, span[0]):
                cost += 3.0  # `(formulated in June 2020)` dates the thing in brackets, not the main clause
            if wants_day and re.search(r"\d{1,2},\s*\d{4}|[A-Z][a-z]+\s+\d{1,2}\b", span[2]):
                cost -= 3.0
            if asked_from and span[2].lower().startswith(asked_from.group(1)):
                cost -= 3.0
            return cost

        return min(options, key=date_cost) if options else None
    if q.kind == "entity":
        agent = passive_agent(q, sentence)
        if agent is not None:
            return agent
        options = entity_options(q, sentence)
        if wants_person(q):  # `who chaired …` is not answered by the ministry that hosted it
            options = [s for s in options if not is_org(s[2]) and re.search(PERSON_WORDS, s[2])]
        asked = q.asked
        if asked in PLACE_NOUNS:  # `which cities …` is not answered by `Super City Initiative`
            options = [
                s
                for s in options
                if not set(terms(s[2].split()[-1])) & NOT_PLACES
                and not re.search(LAW, s[2])
                and not _demonym(sentence, s)
                and not _place_modifier(q, sentence, s)
                and "&" not in s[2]  # `R&D`
                and not re.match(PERSON_WORDS, s[2])  # `Secretary of Commerce` is a post, not a place
                and not re.fullmatch(r"[A-Z]{4,}s?", s[2])  # `NOFO`: places in capitals are short (`US`, `PRC`)
            ]
        if asked in ORG_NOUNS:  # `which organisations are authorized …` is not answered by an Act
            options = [s for s in options if not set(terms(s[2].split()[-1])) & NOT_ORGS and not re.search(LAW, s[2])]
        if not options:
            return coordinated_kinds(q, sentence)
        # The asked noun says whether an organisation is wanted (`which project does the farm ministry …`
        # wants a project, not the ministry).
        wants_org = qlow.startswith("who") or bool(
            re.search(r"ministr|agenc|organ|offic|bodi|body|institut|council|cent|lender|bank|compan|firm", asked or "")
        )

        def entity_score(s: tuple[int, int, str]) -> float:
            score = distance(s) / 40.0
            if wants_org and is_org(s[2]):
                score -= 3.0
            if s[0] == 0 and len(s[2].split()) == 1 and not s[2].isupper():
                score += 2.0
            score -= 0.3 * min(len(s[2].split()), 4)
            if asked and asked in set(terms(s[2])):
                score -= 4.0
            elif asked and _next_word_stem(sentence, s[1]) == asked:  # `the SmartAmp method`
                score -= 4.0
            return score

        best = min(options, key=entity_score)
        if _WHICH_PLURAL.search(qlow):
            best = coordination(sentence, best, options)
        return best
    if q.kind == "purpose":
        m = re.search(
            r"\b(with the aim of|aims? (?:is )?to|in order to|for the purpose of|objective is to|so that|to (?=[a-z]))",
            sentence,
        )
        if m:
            return (m.start(), len(sentence), sentence[m.start() :].rstrip("."))
    return None


def wants_person(q: Question) -> bool:
    """`Who chaired the council?`, `Who heads the center?`: a person or a post, not a body."""
    return bool(re.search(PERSON_QUESTION, q.text, re.IGNORECASE))


def lists_asked_noun(q: Question, sentence: str) -> bool:
    """`Which groups of rights …?` ← `… groups of intellectual rights (i.e., patents, design rights and
    trademarks)`: the asked noun followed closely by an enumeration."""
    asked = q.asked
    if not asked:
        return False
    for m in re.finditer(r"[A-Za-z][\w-]*", sentence):
        if terms(m.group(0))[:1] == [asked]:
            after = sentence[m.end() : m.end() + ENUMERATION_CHARS]
            if re.search(r"\w+(?:\s\w+)?, \w+(?:\s\w+)?,? (?:and|or) \w", after):
                return True
    return False


def passive_agent(q: Question, sentence: str) -> tuple[int, int, str] | None:
    """`Who realizes most innovations?` ← `Innovations are realized mostly by private businesses`: the
    noun phrase after `by`, when the sentence puts the question's verb in the passive."""
    if not q.who_verb:
        return None
    # `… realized mostly by X`, or the verb as a noun: `the provision of special loans by X`.
    passive = r"\b([a-z]+)\s+(?:\w+ly\s+)?by\s+(?:the\s+)?"
    nominal = r"\b([a-z]+(?:ion|ment|ance|ence))\s+of\s+[^,.;()]{1,60}?\s+by\s+(?:the\s+)?"
    for found in re.finditer(f"{passive}|{nominal}", sentence):
        verb = found.group(1) or found.group(2)
        if found.group(1) and terms(verb)[:1] != [q.who_verb]:
            continue
        if found.group(2) and not (len(q.who_verb) >= 5 and verb.startswith(q.who_verb[:5])):
            continue
        named = [span for span in names(sentence) if span[0] - 4 <= found.end() < span[1]]
        if named:  # `operated by the National Center for … (INPIT)`
            return named[0]
        tail = re.match(_AGENT_PHRASE, sentence[found.end() :])
        if tail and 1 <= len(tail.group(0).split()) <= 8:
            return (found.end(), found.end() + tail.end(), tail.group(0).strip())
    return None


# A lower-case agent runs to the first preposition, clause word or punctuation.
_AGENT_PHRASE = r"[^,.;:()]+?(?=\s+(?:to|in|for|with|from|under|through|that|which|as|and)\b|[,.;:()]|$)"


def _demonym(sentence: str, span: tuple[int, int, str]) -> bool:
    """`Asian countries`, `Japanese companies`: a people's adjective before a noun is not a place."""
    return bool(
        re.fullmatch(r"[A-Z][a-z]+(an|ese|ish|ian)", span[2]) and re.match(r"\s+[a-z]", sentence[span[1] :])
    )


def _place_modifier(q: Question, sentence: str, span: tuple[int, int, str]) -> bool:
    """`which countries …` ← `the Pacific area`: a name qualifying another kind of place is not one."""
    m = re.match(r"\s+(area|areas|region|regions|rim|side)\b", sentence[span[1] :])
    return bool(m) and terms(m.group(1))[:1] != [q.asked]


def states_outcome(text: str) -> bool:
    """An outcome reported as such, not one hoped for (`is expected to contribute`, `aims to create`)."""
    hoped = r"\b(expected|aims?|aimed|intended|planned|will|would|to)\s+(\w+\s+)?$"
    return any(not re.search(hoped, text[: m.start()]) for m in re.finditer(OUTCOME, text, re.IGNORECASE))


def _bare_year(span: str) -> bool:
    """`in 2019`, `FY2019`, `2019-2021`: a date that names no month or day."""
    return not re.search(rf"\b({MONTHS})\b", span)


def _next_word_stem(sentence: str, position: int) -> str | None:
    m = re.match(r"\s*([A-Za-z][\w-]*)", sentence[position:])
    stems = terms(m.group(1)) if m else []
    return stems[0] if stems else None


def _in_parentheses(sentence: str, position: int) -> bool:
    before = sentence[:position]
    return before.count("(") > before.count(")")


def _terms_inside_parentheses(q: Question, sentence: str, position: int) -> bool:
    """The brackets speak of what the question asks: they hold its words, or follow a name that does
    (`… Transfer from Universities to Private Business Operators (Act No. 52 of 1998)`)."""
    opening = sentence.rfind("(", 0, position)
    closing = sentence.find(")", position)
    inside = set(terms(sentence[opening : closing if closing > 0 else len(sentence)]))
    words = sentence[:opening].split()
    after_name = bool(words) and words[-1][:1].isupper()
    named = set(terms(" ".join(words[-PAREN_NAME_WORDS:]))) if after_name else set()
    return len(inside & set(q.terms)) >= 2 or len(named & set(q.terms)) >= 2


def referent(q: Question, sentence: str, span: tuple[int, int, str] | None, earlier: str) -> tuple | None:
    """The name that `the <noun>` in the sentence points back to, when the question asks `which <noun>`."""
    asked = q.asked
    if not asked or (span is not None and asked in set(terms(span[2]))):
        return None
    pointers = (terms(m.group(1)) for m in re.finditer(r"\b(?:the|this) ([a-z]+)", sentence))
    refers = any(stems and stems[0] == asked for stems in pointers)
    if not refers:
        return None
    qnames = {n.lower() for n in q.names}
    for found in reversed(names(earlier)):
        if asked in set(terms(found[2])) and found[2].lower() not in qnames:
            return found
    return None


def widen_to_acronym(sentence: str, span: tuple[int, int, str], acronyms) -> tuple[int, int, str]:
    """`… Academia (OPERA)` → the whole defined name, when the text spells it out before `(OPERA)`."""
    if acronyms is None:
        return span
    tail = re.match(r"[^()]{0,160}?\(([A-Z][A-Za-z0-9&-]{1,11})\)", sentence[span[0] :])
    if not tail:
        return span
    close = span[0] + tail.end()
    opening = close - len(tail.group(1)) - 2
    for entry in acronyms.lookup(tail.group(1)):
        head = sentence[:opening].rstrip()
        if head.lower().endswith(entry.long.lower()) and close >= span[1]:  # widen, never cut a list short
            start = min(len(head) - len(entry.long), span[0])
            return (start, close, sentence[start:close])
    return span


def coordination(
    sentence: str, span: tuple[int, int, str], options: list[tuple[int, int, str]]
) -> tuple[int, int, str]:
    """Widen a name to the list it stands in: `MIC, MEXT, MHLW … and MOE`."""
    ordered = sorted(options)
    i = ordered.index(span)
    lo = hi = i
    joint = r"\.?\s*(,|and|, and|or)\s*(the\s+)?"  # `Japan, the U.S., EU, China and South Korea`
    while lo > 0 and re.fullmatch(joint, sentence[ordered[lo - 1][1] : ordered[lo][0]]):
        lo -= 1
    while hi + 1 < len(ordered) and re.fullmatch(joint, sentence[ordered[hi][1] : ordered[hi + 1][0]]):
        hi += 1
    if lo == hi:
        return span
    start, end = ordered[lo][0], ordered[hi][1]
    return (start, end, sentence[start:end])


def clip(sentence: str, limit: int, focus: list[str] | None = None, around: tuple[int, int] | None = None) -> str:
    """At most `limit` words of `sentence`, keeping the span (or the question's words) in view."""
    words = sentence.split()
    if len(words) <= limit:
        return sentence
    if around is not None:
        center = len(sentence[: around[0]].split())
    else:
        stems = set(focus or [])
        hits = [i for i, w in enumerate(words) if set(terms(w)) & stems]
        center = hits[len(hits) // 2] if hits else 0
    start = max(0, min(center - limit // 2, len(words) - limit))
    piece = " ".join(words[start : start + limit])
    return ("… " if start > 0 else "") + piece + (" …" if start + limit < len(words) else "")
