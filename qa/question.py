"""What a question asks for (its answer type) and what it pins down (its constraints).

The answer type picks how a span is cut from a sentence; the constraints (years, fiscal years,
ordinals, numbers, named organisations and places) must all be found in the paragraph that
answers, or the tool abstains: unanswerable questions are near-misses of answerable ones.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from qa.lexicon import (
    DOCUMENT_NOUNS,
    LIGHT_NOUNS,
    MONEY_NOUNS,
    NUMBER_VALUES,
    POLITE_OPENERS,
    PURPOSE_NOUNS,
    alternation,
)
from qa.spans import NUMBER_WORDS
from qa.text import STOPWORDS, capitalised_by_position, normalize, terms, truecase, written_as_acronym

ORDINAL_WORDS = {
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7, "eighth": 8,
    "ninth": 9, "tenth": 10, "eleventh": 11, "twelfth": 12,
}
_TYPES = [
    # `Why did the number of X fall?` asks for a reason, not for the number.
    ("purpose", r"^why\b"),
    ("acronym", r"\bstand(s)? for\b|\bshort for\b|\babbreviat|\bacronym\b|\bfull (name|form)\b|\bspelled out\b|\bexpan(d|sion)\b"),
    ("date", r"^(when|since when)\b|\bwhat (year|date|month|day|fiscal year)\b|\bwhich (\w+ )?(year|fiscal year|month|date|day)\b"
             r"|\bin what (year|month)\b|\bsince (when|which)\b|\b(as of|by|until|till|from) when\b|\bwhen\W*$|\bhow long\b|\bwhen (did|was|were|is|will|does)\b"),
    # `What does the number of X denote?` asks what a term means, not for a number.
    ("descriptive", r"^([^,?]+, )?what (does|do|did) .+ (denote|mean|refer to|represent|stand in for)\b"),
    ("number", r"\bhow (many|much)\b|\bwhat (number|percentage|share|rate|amount|proportion|ratio|total|was the total)\b"
               r"|\b(budget|cost|spending|expenditure|funding|fund|sum|count|figure) (of|for|was|is|did)\b(?! (?:created|established|founded|set up|launched|formed|abolished|enacted)\b)|\bwhat (is|was) the (annual |total |overall )?(budget|cost|spending|expenditure|funding)\b|\bhow large\b|\b(number|amount|total|rate|percentage|share) of\b|\bup to what\b|\bmaximum\b|\bhow often\b|\bwhat (\w+ )?(stipend|salary|salaries|fees?|allowance|wages?|price|budget|costs?|spending|expenditure)\b|\bwhat (is|was) the (number|amount|total|rate|percentage|tax credit rate|upper limit|limit)\b"),
    # `What were EDA appropriations in FY2024?`, `what is the program's annual budget`: a sum.
    ("number", rf"^what (?:is|was|are|were) (?:the )?(?:(?!(?:of|and|or|to)\b)[\w'’-]+ ){{0,3}}"
               rf"(?:{alternation(MONEY_NOUNS)})(?=\s*$|\s*[?,.]|\s+(?:in|for|of|during|over|at|under|from|between|on|by)\b)"),
    # `… in FY2016, in millions?`, `above what adjusted gross income …`: a figure.
    ("number", r",? in (thousands|millions|billions|trillions|percent)\b(?: of [\w$]+)?\s*\??\s*$|\b(above|below) what\b"),
    # `Which seven ministries …?` asks for all of them.
    ("list", r"\b(which|what) (two|three|four|five|six|seven|eight|nine|ten|\d{1,2}) [a-z]+|\bwhich (kinds|types|sorts) of\b"),
    ("entity", r"^who\b|^[^,]+, who\b|\bwhich (\w+ )?(ministry|ministries|agency|agencies|organi[sz]ations?|office|body|bodies|institutes?|institutions?|council|cent(er|re)|company|companies"
               r"|universit(y|ies)|programs?|programmes?|countr(y|ies)|cit(y|ies)|regions?|prefectures?|act|law|plan|initiatives?|system|projects?|funds?|group|team|headquarters|association|federation)\b"
               r"|\bwhat (ministry|agency|organi[sz]ation|body|office|institute|program|programme|act|law|plan|initiative|council|cent(er|re)|federation|association|team|database|service)\b|\bwhere\b|\bname of\b|\bwho (runs|operates|launched|set up|established|implements|leads)\b"),
    ("entity", r"^((in|under|by|through|from|for|at|with) )?which (?!are\b|is\b|was\b|were\b)\w+"),
    ("list", r"^(what|which) are\b|\blist\b|\bname the\b|\bwhat (fields|areas|programs|programmes|measures|parts|types|kinds|partners|ministries)\b"),
    ("purpose", rf"\b(({alternation(PURPOSE_NOUNS)})s?|intent|intended|why)\b"),
]
_BEFORE_YEAR = re.compile(r"\s+(?:of|and|for|the|on|in|&)\s+(?=(?:FY\s?)?(?:19|20)\d\d\b|FY\s?\d\d\b)")
_YEAR = re.compile(r"\b(?:[Ff][Yy]\s?)?((?:19|20)\d{2})\b")
# `FY24`, `fy 98`: a fiscal year written with two digits (00–50 → 2000s, else 1900s).
_SHORT_FY = re.compile(r"\b[Ff][Yy]\s?(\d{2})\b(?![.,]?\d)")
# A word that is only a year or a range of years: `FY2019`, `FY2019–FY2021`, `2019-20`, `FY24`.
_YEAR_WORD = re.compile(r"(?:FY\s?)?(?:\d{2}|\d{4})(?:\s?[–\-/]\s?(?:FY\s?)?(?:\d{2}|\d{4}))?", re.IGNORECASE)
# `2019-20`, `2019–20`: a fiscal year across two calendar years (UK, Japan, Australia …).
_SPLIT_YEAR = re.compile(r"\b((?:19|20)\d{2})\s?[–\-/]\s?(\d{2})\b(?![.,]?\d)")
_ORDINAL = re.compile(r"\b(\d{1,2})(?:st|nd|rd|th)\b", re.IGNORECASE)
_NUMBER = re.compile(r"(?<![\w.])(?<![A-Za-z][-–])(\d[\d,]*(?:\.\d+)?)(?![\w])")  # not the 19 of COVID-19
_CAPITAL = re.compile(r"\b([A-Z][A-Za-z0-9&\-–’']*(?:\s+(?:of|and|for|the|on|in|&)?\s*(?:[A-Z][A-Za-z0-9&\-–’']*|\d[A-Z]\b))*)")
# `MEXT-backed`, `Tokyo-based`: a name with a lower-case hyphen suffix that is not part of it.
_ADJECTIVE_SUFFIX = re.compile(r"^(.+?)[-–][a-z][a-z-]*$")
QUESTION_WORDS = {
    "what", "which", "who", "whom", "when", "where", "why", "how", "does", "did", "is", "are", "was", "were", "in",
    "under", "according", "since", "as", "name", "list", "give", "tell", "the", "a", "an", "by", "for", "to", "from",
    "of", "at", "on", "with", "please",
}
# Words that open a question with a capital but never start a name in it (`Besides ISO, which …`).
LEADING_WORDS = {
    "besides", "apart", "aside", "except", "excluding", "including", "after", "before", "during", "among",
    "within", "outside", "other", "like", "unlike", "compared", "regarding", "concerning", "across", "throughout",
    "through", "toward", "towards", "against", "along", "alongside", "beyond", "behind", "despite", "following",
    "over", "between", "into", "about", "above", "below", "until", "upon", "without", "via", "per", "overall",
}
GENERIC_CAPITALS = {"japan", "japanese", "government", "fy", "the", "i", "section", "chapter", "figure"}


# Where the counted phrase after `how many` ends: a verb, a preposition or a second noun phrase.
COUNT_PHRASE_STOP = {
    "did", "do", "does", "were", "was", "are", "is", "have", "has", "had", "will", "can", "and", "or", "in", "of",
    "for", "from", "with", "by", "at", "on", "under", "to", "that", "which", "who", "there", "serve", "met",
}
# Words that say what kind of answer is wanted, not what it is about: they are not looked for in the text.
TYPE_WORDS = {
    "date": {"year", "fiscal", "date", "month", "day", "time", "start", "begin", "when"},
    "number": {"number", "many", "much", "amount", "total", "count", "figure", "percentage", "share"},
    "entity": {"name", "organization", "organisation", "body", "who"},
    "acronym": {"stand", "short", "abbreviation", "acronym", "full", "name", "form", "expansion"},
    "purpose": {*PURPOSE_NOUNS, "intent", "why"},
}
# … and words that stand for the answer itself, whatever its kind (`what other three things …`).
PLACEHOLDER_WORDS = {"thing", "things"}


@dataclass
class Question:
    text: str
    kind: str
    terms: list[str]
    years: set[str] = field(default_factory=set)
    ordinals: set[int] = field(default_factory=set)
    numbers: set[str] = field(default_factory=set)
    names: list[str] = field(default_factory=list)
    # The noun after `which`/`how many` (stemmed), and the verb after `who` (stemmed), if any.
    asked: str | None = None
    who_verb: str | None = None
    # Stems of the thing `how many …` counts, and the count a list question names (`which six …`; 0 if none).
    counted: list[str] = field(default_factory=list)
    count: int = 0
    # Stems of the counted phrase's head noun (`spin-offs` of `university spin-offs`).
    counted_head: list[str] = field(default_factory=list)
    # Numbers that are part of a label (`GOVERN 7`, `Sec. 27`): number → the label word before it.
    labels: dict[str, str] = field(default_factory=dict)
    # The words that name the document the question cites as its source (`World Bank EdTech` of
    # `according to the World Bank EdTech paper`), if it cites one.
    source: str = ""


# `Name the catalog …` asks which catalog; `Name the programs …` asks for a list.
_IMPERATIVE_ONE = re.compile(r"^(name|identify|give)\s+(the|a|an)\s+(?=[a-z][\w-]*[^s\W]\b)")


def question_years(text: str) -> set[str]:
    """Every year the question names, four digits each: `FY2019`, `fiscal year 2019`, `FY24` → 2024.

    A split year (`2019-20`) is named by its first year, as fiscal years are (Japan's FY2019 runs
    April 2019 to March 2020): its `20` is neither a second year nor a quantity."""
    years = set(_YEAR.findall(text))
    years |= {("20" if int(yy) <= 50 else "19") + yy for yy in _SHORT_FY.findall(text)}
    return years


def answer_kind(question: str) -> str:
    q = _IMPERATIVE_ONE.sub("which ", normalize(question).strip().lower())
    for kind, pattern in _TYPES:
        if re.search(pattern, q):
            return kind
    return "descriptive"


_OPENER = re.compile(
    r"^\s*(?:(?:" + "|".join(re.escape(o) for o in POLITE_OPENERS) + r")\b[\s,:]*)+", re.IGNORECASE
)


_ENDING = re.compile(r"[\s?.!]*$")
# `What number of spin-offs were created?`, `What was the total number of TLOs?`: a count, asked as
# `how many` is, so every count rule reads it (the counted noun must be what the number counts).
_NUMBER_OF = re.compile(r"^(?:what|which)\s+(?:(?:is|was|are|were)\s+the\s+(?:total\s+)?)?number\s+of\s+", re.I)


def clean(question: str) -> str:
    """The question as the pipeline reads it, however it was typed: no polite opener, the corpus's
    casing for the words it knows (`satreps` → `SATREPS`, `fy2019` → `FY2019`), a capital first letter."""
    text = normalize(question).strip()
    text = _OPENER.sub("", text).strip() or text
    text = _NUMBER_OF.sub("how many ", text)
    text = truecase(text)
    # `… framework` and `… framework?` embed alike: one question mark, however the question ended.
    text = _ENDING.sub("", text) + "?"
    return text[:1].upper() + text[1:] if text[:1].islower() else text


def analyse(question: str) -> Question:
    text = normalize(question).strip()
    kind = answer_kind(text)
    years = question_years(text)
    ordinals = {int(n) for n in _ORDINAL.findall(text)}
    for word, number in ORDINAL_WORDS.items():
        if re.search(rf"\b{word}\b", text, re.IGNORECASE):
            ordinals.add(number)
    # `Section 1`, `Figure 2-5-1` point at a part of the document; they are not quantities to match.
    pointers = re.sub(r"\b(?:Section|Chapter|Figure|Fig\.|Table|Annex|Appendix)\s+[\d\-–.]+", " ", text, flags=re.I)
    pointers = _SHORT_FY.sub(" ", _SPLIT_YEAR.sub(" ", pointers))  # years, not quantities
    numbers = {n.replace(",", "") for n in _NUMBER.findall(pointers)} - years - {str(o) for o in ordinals}
    ignore = set(terms(" ".join([*TYPE_WORDS.get(kind, ()), *PLACEHOLDER_WORDS])))
    topic = [t for t in terms(text) if t not in ignore]
    return Question(
        text,
        kind,
        topic,
        years,
        ordinals,
        numbers,
        named_things(text),
        asked_noun(text),
        _who_verb(text),
        counted_phrase(text),
        asked_count(text),
        counted_head(text),
        {n: label for label, n in _LABELLED.findall(pointers) if n in numbers and _is_label(label)},
        cited_source(text),
    )


# `according to the World Bank's EdTech paper`, `in the CRS report`, `per the 2020 roadmap`, `in the end
# notes of the EdTech paper`: where a question says which document it asks, not what it asks of it.
_SOURCE = re.compile(
    r"\b(?:(?:in|from) the (?:[\w-]+ ){1,3}?of|according to|as (?:stated|described|reported|noted|defined|set out) in"
    r"|in|per|from)\s+(?:the|this|a)\s+"
    rf"((?:[\w&.-]+(?:['’]s)?\s+){{1,6}}?)(?:{alternation(DOCUMENT_NOUNS)})\b",
    re.IGNORECASE,
)


def cited_source(text: str) -> str:
    """The words naming the document a question cites as its source (`World Bank EdTech` of
    `… according to the World Bank's EdTech paper?`); "" when it cites none or names it only by
    its kind (`according to the report`)."""
    found = _SOURCE.search(text)
    return re.sub(r"['’]s\b", "", found.group(1)).strip() if found else ""


_LABELLED = re.compile(r"\b([A-Za-z]{2,})\.?\s*(\d+)\b(?![.,]\d)")


def _is_label(word: str) -> bool:
    """`GOVERN` in `GOVERN 7`, `Sec` in `Sec. 27`: a word in capitals, or one the corpus writes so;
    never a function word (`the 258 million students figure`, where a heading in capitals wrote `THE`)."""
    if word.lower() in {"sec", "no"}:
        return True
    return word.lower() not in STOPWORDS and ((word.isupper() and word != "FY") or written_as_acronym(word))


def asked_noun(text: str) -> str | None:
    """The noun after `which`/`how many` (`which council` → `council`), stemmed."""
    # Names between `which` and the noun qualify it: `which JST program` asks for a program.
    m = re.search(
        rf"\b(?:[Ww]hich|[Hh]ow many|^(?:[Nn]ame|[Ii]dentify) the)\s+(?:(?:{NUMBER_WORDS}|\d{{1,2}})\s+)?"
        r"(?:(?:kinds?|types?|sorts?) of\s+)?(?:[A-Z][\w&-]*\s+){0,3}([a-z][\w-]*)",
        text,
    )
    stems = terms(m.group(1)) if m else []
    return stems[0] if stems else None


def counted_phrase(text: str) -> list[str]:
    """Stems of the thing `how many …` counts (`how many international search reports were …`)."""
    return terms(" ".join(counted_words(text)))


def counted_head(text: str) -> list[str]:
    """Stems of the noun `how many …` counts, without its modifiers: the phrase's last plural
    (`how many university spin-offs` → `spin-offs`; `researchers` in `how many researchers work`),
    else its last word (`how many staff`); the whole phrase when that is a light noun
    (`joint research activities`)."""
    phrase = counted_words(text)
    plurals = [w for w in phrase if re.search(r"[^s']s$", w.lower())]
    head = (plurals or phrase or [""])[-1]
    return terms(" ".join(phrase)) if head.lower() in LIGHT_NOUNS else terms(head)


def counted_words(text: str) -> list[str]:
    """The words of the counted phrase, as typed."""
    # `Of the 3,667 members, how many are universities?` counts universities.
    m = re.search(
        r"\bhow many\s+(?:(?:of\s+(?:them|these|those)\s+)?(?:are|were)\s+)?((?:[\w’'/&-]+\s*){1,4})", text, re.I
    )
    if not m:
        return []
    words: list[str] = []
    # Matched on the question as typed: `SATREPS` and `satreps` stem differently.
    for word in m.group(1).split():
        if word.lower() in COUNT_PHRASE_STOP or _verb_after_plural(words, word):
            break
        words.append(word)
    return words


def _verb_after_plural(words: list[str], word: str) -> bool:
    """`how many workshops informed …`: a past tense after a plural noun is the verb, not part of the
    counted thing (`how many newly established universities` keeps `established`)."""
    return bool(words) and word.lower().endswith("ed") and re.search(r"[^s]s$", words[-1].lower()) is not None


def asked_count(text: str) -> int:
    """`Which six regions …?` asks for six of them; 0 when the question gives no count."""
    m = re.search(rf"\b(?:which|what|name the|list the)\s+({NUMBER_WORDS}|\d{{1,2}})\s+[a-z]", text, re.IGNORECASE)
    if not m:
        return 0
    word = m.group(1).lower()
    return int(word) if word.isdigit() else NUMBER_VALUES[word]


def _who_verb(text: str) -> str | None:
    """`who mostly realizes …` → `realiz`: the verb a `who` question asks the doer of, stemmed."""
    m = re.search(r"\bwho\s+(?:(?:is|are|was|were|has|have|had|will|does|do|did|\w+ly)\s+)*([a-z]+)", text.lower())
    stems = terms(m.group(1)) if m else []
    return stems[0] if stems else None


def named_things(text: str) -> list[str]:
    """Capitalised names in the question (`Kansai Science City`, `MEXT`), minus question words."""
    names: list[str] = []
    for match in _CAPITAL.finditer(text):
        at_start = match.start() == 0 or text[: match.start()].strip() == ""
        # `SBIR in FY2020`: a year after a joining word is a date constraint, not part of the name.
        for part in _BEFORE_YEAR.split(match.group(1)):
            for words in _split_at_suffixes(part.split()):
                _add_name(names, words, at_start=at_start)
    return names


def _split_at_suffixes(words: list[str]) -> list[list[str]]:
    """`MEXT-backed Kanagawa COVID-19` → [`MEXT`], [`Kanagawa`, `COVID-19`]."""
    groups: list[list[str]] = [[]]
    for word in words:
        cut = _ADJECTIVE_SUFFIX.match(word)
        if cut and not _is_acronym(word.split("-")[-1]):
            groups[-1].append(cut.group(1))
            groups.append([])
        else:
            groups[-1].append(word)
    return [g for g in groups if g]


def _add_name(names: list[str], words: list[str], at_start: bool) -> None:
    """Keep a capitalised phrase as a name unless it is a question word or generic."""
    if at_start:
        # `Roughly how much …`, `Besides ISO, …`: capitalised only because they open the question.
        while words and not _is_acronym(words[0]) and (
            words[0].lower() in QUESTION_WORDS | LEADING_WORDS or re.fullmatch(r"[A-Z][a-z]+ly", words[0])
        ):
            words = words[1:]
        # `Funding for …`, `Enrolment in …` (or typed `funding for …`): one everyday word, capitalised
        # by its place; `Small Business Innovation Research` stays a name.
        if words and capitalised_by_position(words[0]) and not any(w[:1].isupper() for w in words[1:]):
            return
    while words and (words[0].lower() in STOPWORDS and not _is_acronym(words[0])):
        words = words[1:]
    while words and words[-1].upper() == "FY":  # `… for FY 2024`: the year was cut off the name
        words = words[:-1]
        while words and words[-1].lower() in STOPWORDS:
            words = words[:-1]
    phrase = re.sub(r"(’s|'s)$", "", " ".join(words))
    if all(_YEAR_WORD.fullmatch(w) or w.lower() in STOPWORDS for w in phrase.split()):
        return  # `FY2019`, `FY2008 and FY2020`, `FY2019–FY2021` are year constraints, checked as such
    if not phrase or phrase.lower() in GENERIC_CAPITALS or phrase.lower() in QUESTION_WORDS:
        return
    if len(phrase) < 2 or phrase.isdigit():
        return
    names.append(phrase)


def _is_acronym(word: str) -> bool:
    letters = [c for c in word if c.isalpha()]
    return len(letters) >= 2 and sum(c.isupper() for c in letters) >= 2
