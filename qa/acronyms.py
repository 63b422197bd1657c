"""Acronyms learned from the corpus itself: `Technology Licensing Organization (TLO)` and footnotes
such as `1 Patent Cooperation Treaty` for `PCT1`.

The table lets a question say "technology licensing organizations" and find TLO paragraphs (and
the reverse), and answers "what does X stand for". An expansion is accepted when the acronym's
letters are, in order, initials of the words before the parenthesis (internal capitals count:
`SUCCESS` ← `SUpport Program of Capital Contribution to Early-Stage CompanieS`); failing that,
the run of capitalised words before it that starts with the acronym's first letter (`MEXT` ←
`Ministry of Education, …`).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property

from qa.lexicon import ORGANISATION_NOUNS, alternation
from qa.records import Paragraph
from qa.text import STOPWORDS, terms

# `(TLO)`, `(“PETs”)`, `(WFTRA; P.L. 108-311)`: the short form opens the parenthesis, quoted or not,
# and ends it or is followed by more after a semicolon or comma.
_PAREN = re.compile(r"\(\s*[“\"']?([A-Z][A-Za-z0-9&\-–]{1,14})[”\"']?\s*(\)|[;,]\s)")
_WORD = re.compile(r"[A-Za-z][A-Za-z’'&\-–]*")
_FOOTNOTE = re.compile(r"^\d{1,2}\s+([A-Z].*)$")
_ACRONYM_TOKEN = re.compile(r"\b([A-Z][A-Za-z&\-–]*[A-Z][A-Za-z&\-–]*)\b")
JOINERS = STOPWORDS | {"&"}


@dataclass(frozen=True)
class Acronym:
    short: str
    long: str
    ref: str


def is_acronym(token: str) -> bool:
    letters = [c for c in token if c.isalpha()]
    upper = sum(c.isupper() for c in letters)
    return 2 <= len(letters) <= 15 and upper >= 2 and upper >= len(letters) / 2


def _initials(word: str) -> str:
    parts = [p for p in re.split(r"[-–]", word) if p]
    return "".join(p[0] + "".join(c for c in p[1:] if c.isupper()) for p in parts).lower()


def _letters(short: str) -> str:
    return "".join(c for c in short if c.isalpha()).lower()


def _spells(short: str, long: str) -> bool:
    """Do the initials of `long`'s words hold `short`'s letters in order?"""
    return _subsequence(_letters(short), "".join(_initials(w) for w in _WORD.findall(long)))


def _subsequence(needle: str, hay: str) -> bool:
    it = iter(hay)
    return all(c in it for c in needle)


def match_expansion(short: str, before: str) -> str | None:
    """The expansion of `short` at the end of `before`, or None."""
    letters = _letters(short)
    spans = list(_WORD.finditer(before))[-(len(letters) + 6) :]
    found = [m.group(0) for m in spans]
    if not letters or not found:
        return None

    def text_from(index: int) -> str:
        return before[spans[index].start() :].strip(" ,;:")

    for start in range(len(found) - 1, -1, -1):
        candidate = found[start:]
        if candidate[0][0].lower() != letters[0] or candidate[0].lower() in JOINERS:
            continue
        initials = "".join(_initials(w) for w in candidate)
        content = [w for w in candidate if w.lower() not in JOINERS]
        if _subsequence(letters, initials) and len(content) <= len(letters) + 2 and len(content) >= 2:
            return text_from(_extend(found, start))
    first = len(found)
    for index in range(len(found) - 1, -1, -1):
        if not (found[index][0].isupper() or found[index].lower() in JOINERS):
            break
        first = index
    while first < len(found) and found[first].lower() in JOINERS:
        first += 1
    run = found[first:]
    for offset, word in enumerate(run):
        if word[0].lower() == letters[0]:
            if sum(w.lower() not in JOINERS for w in run[offset:]) >= 2:
                return text_from(_name_head(before, spans, first + offset))
            break
    if sum(w.lower() not in JOINERS for w in run) >= 2 and _subsequence(letters, "".join(run).lower()):
        return text_from(first)
    return None


LEAD_WORDS = {
    "since", "under", "in", "as", "the", "through", "with", "for", "by", "from", "to", "at", "on", "based", "among",
    "after", "before", "specifically", "furthermore", "also", "a", "an", "and", "this", "that", "its", "their",
}


def _extend(found: list[str], start: int) -> int:
    """Take in a name's head words when a joiner links them: `National Institute of` + `Advanced …`,
    `Program for` + `Creating STart-ups …`; one joiner between capitalised words, not `Activities of the`."""
    position, crossed = start, False
    while position >= 1:
        word = found[position - 1]
        if _capital_word(word):
            position -= 1
            continue
        if word.lower() in ("of", "for", "on") and position >= 2 and _capital_word(found[position - 2]):
            position -= 2
            crossed = True
            continue
        break
    return position if crossed else start


def _name_head(before: str, spans: list[re.Match], start: int) -> int:
    """Where a name starts when the acronym skips its head words: `Japan Agency for … (AMED)`,
    `National Center for Industrial … (INPIT)`. Only words joined by plain spaces count, so a list
    (`the JST, Japan Agency …`) is not swallowed."""
    position = start
    while position >= 1:
        word = spans[position - 1].group(0)
        gap = before[spans[position - 1].end() : spans[position].start()]
        if gap.strip():
            break
        if _capital_word(word) and not is_acronym(word):
            position -= 1
        elif word.lower() in ("of", "for", "on") and position >= 2 and _capital_word(spans[position - 2].group(0)):
            if before[spans[position - 2].end() : spans[position - 1].start()].strip():
                break
            position -= 2
        else:
            break
    return position


def _capital_word(word: str) -> bool:
    return word[0].isupper() and word.lower() not in LEAD_WORDS and not word.endswith((".", "’s", "'s"))


def learn(paragraphs: list[Paragraph]) -> list[Acronym]:
    """Every (acronym, expansion) the documents define, first definition first."""
    found: dict[tuple[str, str], Acronym] = {}
    ordered = sorted(paragraphs, key=lambda p: p.kind == "heading")
    for p in ordered:
        for m in _PAREN.finditer(p.text):
            short = m.group(1)
            if not is_acronym(short):
                continue
            before = p.text[: m.start()].rstrip(" ,")
            long = match_expansion(short, before)
            if long is None and short.endswith("s") and is_acronym(short[:-1]):
                # `public experimental research institutions (PERIs)`: the plural of PERI
                short = short[:-1]
                long = match_expansion(short, before)
            if long and m.group(2) != ")" and not _spells(short, long):
                continue  # `(NY, …)` in a list of places: with more after it, only a full spelling counts
            if long and long.lower() != short.lower():
                found.setdefault((short, long.lower()), Acronym(short, long, p.ref))
    tokens: dict[str, list[Paragraph]] = {}
    for p in paragraphs:
        for token in set(_ACRONYM_TOKEN.findall(p.text)):
            if is_acronym(token):
                tokens.setdefault(token, []).append(p)
    for p in paragraphs:
        if p.kind != "footnote" or not (m := _FOOTNOTE.match(p.text)):
            continue
        long = m.group(1).strip().rstrip(".")
        words = _WORD.findall(long)
        if len(words) < 2 or any(c in long for c in "“”\""):
            continue
        initials = "".join(_initials(w) for w in words)
        defined = {a.short for a in found.values()}
        best: tuple[int, str, Paragraph] | None = None
        for short, where in tokens.items():
            letters = _letters(short)
            near = [q for q in where if q.doc == p.doc and abs(q.page - p.page) <= 1 and q.kind != "footnote"]
            if not near or short in defined or letters[0] != initials[0] or not _subsequence(letters, initials):
                continue
            extra = len(initials) - len(letters)
            if best is None or extra < best[0]:
                best = (extra, short, near[0])
        if best is not None and best[0] <= 2:
            found.setdefault((best[1], long.lower()), Acronym(best[1], long, best[2].ref))
        elif best is None and (named := _quoted_short_form(p, paragraphs, words)):
            found.setdefault((named[0], long.lower()), Acronym(named[0], long, named[1].ref))
    return list(found.values())


def _quoted_short_form(footnote: Paragraph, paragraphs: list[Paragraph], words: list[str]) -> tuple | None:
    """`“Nanotech CU PAL”` with footnote `Nanotech Career-up Alliance`: a quoted name that starts with the
    footnote's first word and holds an acronym of the rest is the footnote's short form."""
    rest = "".join(_initials(w) for w in words[1:])
    for q in paragraphs:
        if q.doc != footnote.doc or abs(q.page - footnote.page) > 1 or q.kind == "footnote":
            continue
        for quoted in re.findall(r"[“\"]([^”\"]{3,40})[”\"]", q.text):
            tokens = quoted.split()
            if len(tokens) < 2 or tokens[0].lower() != words[0].lower():
                continue
            if any(is_acronym(t) and _subsequence(_letters(t), rest) for t in tokens[1:]):
                return quoted, q
    return None


# `the farm ministry`, `the medical research agency's`: lower-case words before a body's head noun.
_BODY = re.compile(rf"\b((?:[a-z][a-z-]*\s+){{1,3}})({alternation(ORGANISATION_NOUNS)})\b")
# Everyday words for the words of ministries' names.
_BODY_SYNONYMS = {
    "farm": "agriculture", "farming": "agriculture", "agricultural": "agriculture", "economic": "economy",
    "industrial": "industry", "educational": "education", "scientific": "science", "telecom": "communication",
    "transport": "transport", "labor": "labour",
}


def _key(short: str) -> str:
    return short.lower().replace("–", "-").replace("—", "-")


class AcronymTable:
    """Lookups both ways: short → expansions, and which acronyms a question's words spell out."""

    def __init__(self, entries: list[Acronym]) -> None:
        self.entries = entries
        self.by_short: dict[str, list[Acronym]] = {}
        for entry in entries:
            self.by_short.setdefault(_key(entry.short), []).append(entry)

    def lookup(self, short: str) -> list[Acronym]:
        return self.by_short.get(_key(short), [])

    def knows(self, token: str) -> bool:
        """Is `token` (any case, or its plural) a short form the corpus defines?"""
        return bool(self.lookup(token) or (token.endswith("s") and self.lookup(token[:-1])))

    def expand_terms(self, question: str) -> list[str]:
        """Extra query terms: expansions of acronyms in the question, acronyms of phrases in it."""
        extra: list[str] = []
        qterms = set(terms(question))
        for token in _WORD.findall(question):
            for entry in self.lookup(token.strip("’'")):
                extra.extend(terms(entry.long))
            if token.endswith("s") and len(token) > 2:
                for entry in self.lookup(token[:-1]):
                    extra.extend(terms(entry.long))
        for entry in self.entries:
            long_terms = set(terms(entry.long))
            if len(long_terms) >= 2 and long_terms <= qterms:
                extra.extend(terms(entry.short))
        return [t for t in dict.fromkeys(extra) if t not in qterms]

    def names_in(self, question: str) -> list[str]:
        """The capitalised expansions the question names, in any case (`internal revenue code` →
        `Internal Revenue Code`): the corpus defines them as names, so typing them in lower case
        must name them too."""
        low = question.lower()
        found = [
            long for key, long, pattern in self._defined_names if key in low and pattern.search(low)
        ]
        return list(dict.fromkeys(found))

    @cached_property
    def _defined_names(self) -> list[tuple[str, str, re.Pattern]]:
        """The expansions whose words are all capitalised: (lower case, as written, whole-word pattern)."""
        out = []
        for entry in self.entries:
            content = [w for w in _WORD.findall(entry.long) if w.lower() not in JOINERS]
            if len(content) >= 2 and all(w[0].isupper() for w in content):
                key = entry.long.lower()
                out.append((key, entry.long, re.compile(rf"(?<![\w-]){re.escape(key)}(?![\w-])")))
        return out

    def bodies(self, question: str) -> list[str]:
        """Acronyms of the bodies a question names in everyday words: `the farm ministry` → MAFF.

        A lower-case `<words> ministry/agency/office/…` resolves to the one defined body whose full
        name holds its head noun and all its other words; none or several resolve to nothing.
        """
        found: list[str] = []
        for m in _BODY.finditer(question):
            head = terms(m.group(2))
            words = [_BODY_SYNONYMS.get(w, w) for w in m.group(1).split()]
            wanted = {t for w in words for t in terms(w)}
            shorts = {
                entry.short
                for entry in self.entries
                if head and wanted and {head[0], *wanted} <= set(terms(entry.long))
            }
            if len(shorts) == 1:
                found.extend(shorts)
        return list(dict.fromkeys(found))

    def to_json(self) -> list[dict]:
        return [{"short": e.short, "long": e.long, "ref": e.ref} for e in self.entries]

    @classmethod
    def from_json(cls, rows: list[dict]) -> AcronymTable:
        return cls([Acronym(r["short"], r["long"], r["ref"]) for r in rows])


def asked_acronym(question: str, known: Callable[[str], bool] | None = None) -> str | None:
    """The acronym a `what does X stand for` or `what does X mean` question names, if it names one.

    X counts when it is written as an acronym (`PERI`), or, typed in lower case (`pets`), when `known`
    (the index's acronym table) has it: how the question is typed never decides.
    """
    m = re.search(
        r"\b(?:does|do|did|is|was)\s+(?:the\s+)?(?:term\s+|abbreviation\s+|acronym\s+)?[“\"']?([A-Za-z][\w&\-–]*)[”\"']?"
        r"\s+(?:stand|short|abbreviate|mean(?!\s+for\b))",
        question,
    ) or re.search(
        r"\b(?:full (?:name|form)|expansion|spelled[- ]out form) of (?:the\s+)?[“\"']?([A-Za-z][\w&\-–]*)", question
    )
    if not m:
        return None
    token = m.group(1)
    if sum(c.isupper() for c in token) >= 2 or (known is not None and known(token)):
        return token
    return None


def defines(sentence: str, short: str) -> bool:
    """The sentence introduces `short` the way texts define one: `… Program (NexTEP)` or `NexTEP (…)`."""
    return bool(re.search(rf"\(\s*{re.escape(short)}\s*[),;]|(?<![\w-]){re.escape(short)}\s+\(", sentence))
