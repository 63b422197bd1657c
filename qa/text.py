"""Word-level text tools shared by lexical search, acronym learning and answer extraction."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from qa.lexicon import BRITISH_SPELLINGS, SAME_WORDS

STOPWORDS = frozenset(
    """a an the and or of to in on for by with at from as is are was were be been being has have had do does
    did this that these those it its their there which what who whom whose when where why how many much
    any some all into than then so such also can could would should will shall may might must not no
    about over under between through during per via up out our we they them he she his her you your i me
    my other more most very only just each both if but while did does tell give say said according
    document documents text chapter section paper white report says mention mentioned describe described
    state stated""".split()
)
_TOKEN = re.compile(r"[^\W_]+(?:[-'’&][^\W_]+)*", re.UNICODE)


def normalize(text: str) -> str:
    return unicodedata.normalize("NFKC", text)


def words(text: str) -> list[str]:
    """Surface word tokens (`R&D`, `industry-academia`, `FY2019`, `79.6` is split as `79`, `6`)."""
    return _TOKEN.findall(normalize(text))


# Words the corpus writes as acronyms (`AMED`, `NEDO`): never stemmed, however the question types
# them (`amed` is not `am` + `-ed`). Learned at index time (qa.index) and set when an index opens.
_PROTECTED: frozenset[str] = frozenset()
_ACRONYM = re.compile(r"\b[A-Z][A-Z0-9&]*[A-Z][A-Z0-9&]*s?\b")


def acronym_words(texts) -> list[str]:
    """Lower-cased words written in capitals somewhere in `texts` (`TLOs` → `tlo`, `AMED` → `amed`)."""
    found = set()
    for text in texts:
        for word in _ACRONYM.findall(text):
            if len(word) >= 3:
                found.add(word.lower()[:-1] if word.endswith("s") and not word.isupper() else word.lower())
    return sorted(found)


@lru_cache(maxsize=1)
def common_words() -> frozenset[str]:
    """Everyday English words: the whole words of the embedding model's (uncased) vocabulary."""
    from qa import config

    try:
        lines = (config.model_path() / "vocab.txt").read_text(encoding="utf-8").split()
    except OSError:
        return frozenset()
    return frozenset(w for w in lines if w.isalpha() and len(w) > 1)


def capitalised_by_position(word: str) -> bool:
    """Is `word` (`Funding`, `Enrolment` opening a question) an everyday word the corpus does not
    write capitalised, so that only its place at the start of a sentence capitalised it?"""
    low = word.lower()
    return word[:1].isupper() and word[1:].islower() and low in common_words() and low not in _CASED


_CASED: dict[str, str] = {}
# A word is a name when the corpus writes it capitalised at least this often.
CASED_SHARE = 0.9
# An everyday word the corpus writes capitalised every time, this often, is a proper noun there.
PROPER_MIN = 5
_WORD = re.compile(r"[A-Za-z][A-Za-z0-9&]*")


def learn_casing(texts, common: frozenset[str] = frozenset()) -> dict[str, str]:
    """lower case → the capitalised form the corpus all but always writes a word in, mid-sentence.

    `satreps` → `SATREPS`, `kansai` → `Kansai`, `fy2019` → `FY2019`. A word the corpus also writes
    in lower case (`office`, as in `the office` and `Patent Office`) is not a name and is left out.
    Words in `common` (everyday English: the embedding model's whole-word vocabulary) are left out
    too (`industry` typed in lower case is the word, not `Industry` of a ministry's name), unless
    the corpus writes them as acronyms (`gdp` → `GDP`) or never in lower case in PROPER_MIN or more
    uses (`africa` → `Africa`, `georgia` → `Georgia`: places, people, months).
    A sentence's first word says nothing and is skipped.
    """
    forms: dict[str, dict[str, int]] = {}
    alone: dict[str, int] = {}  # mid-sentence uses with no capitalised word either side
    for text in texts:
        found = list(_WORD.finditer(text))
        for i, match in enumerate(found):
            before = text[max(0, match.start() - 2) : match.start()]
            if match.start() == 0 or re.search(r"[.!?:]\s*$", before):
                continue
            word = match.group(0)
            forms.setdefault(word.lower(), {}).setdefault(word, 0)
            forms[word.lower()][word] += 1
            # Neighbours are the words next to it with only a space between (`Atlanta, Georgia`: none).
            neighbours = [
                found[j].group(0)
                for j in (i - 1, i + 1)
                if 0 <= j < len(found) and not _between(text, found[j], match).strip()
            ]
            if not any(w[:1].isupper() for w in neighbours):
                alone[word.lower()] = alone.get(word.lower(), 0) + 1
    cased = {}
    for low, seen in forms.items():
        best, n = max(seen.items(), key=lambda kv: kv[1])
        if best != low and n >= CASED_SHARE * sum(seen.values()):
            # A proper noun stands alone (`in Africa`, `April 2020`); `Agency` only ever inside a name.
            proper = low not in seen and n >= PROPER_MIN and 2 * alone.get(low, 0) >= n
            if low in common and not best.isupper() and not proper:  # `GDP` is restored; `Industry` is not
                continue
            cased[low] = best
    return cased


def _between(text: str, a: re.Match, b: re.Match) -> str:
    """The text between two word matches, in either order."""
    return text[min(a.end(), b.end()) : max(a.start(), b.start())]


# Names of several words (`Risk Management Framework`, `Request for Information`, `MAP 1`): a phrase
# is a name when the corpus writes it capitalised in most of its mid-sentence uses. Words inside
# one may be everyday words the corpus also writes in lower case, so the word map cannot restore them.
PHRASE_SHARE = 0.5
MAX_PHRASE_WORDS = 6
_PHRASE_TOKEN = re.compile(r"[A-Za-z][A-Za-z0-9&]*|\d+(?:\.\d+)*")
_JOINERS = frozenset({"of", "for", "and", "the", "on", "in", "to", "&"})


def _token_runs(text: str) -> list[list[tuple[str, bool]]]:
    """Runs of tokens separated by spaces only (a comma or full stop ends a run), each token with
    whether it opens a sentence (its capital then says nothing)."""
    runs: list[list[tuple[str, bool]]] = []
    end = None
    for match in _PHRASE_TOKEN.finditer(text):
        gap = text[end : match.start()] if end is not None else ""
        if end is None or gap.strip():
            runs.append([])
        opens = end is None or bool(re.search(r"[.!?:]\s*$", text[max(0, match.start() - 2) : match.start()]))
        runs[-1].append((match.group(0), opens))
        end = match.end()
    return runs


def _is_capital(token: str) -> bool:
    return token[:1].isupper()


def learn_phrases(texts, common: frozenset[str] = frozenset()) -> dict[str, str]:
    """lower case → the capitalised form most mid-sentence uses of a several-word phrase take.

    `risk management framework` → `Risk Management Framework` when the corpus writes it so in 3 of
    4 uses. A phrase starts and ends with a capitalised word (it may end in a number: `MAP 1`) and
    may hold joining words (`Request for Information`), never a capitalised one (`What Is the`: a
    headline). Run once per build over prose: table rows and captions set their labels in title case.
    As in `learn_casing`, everyday words alone make no name (`Joint Returns`, `Tax Cuts and Jobs
    Act` typed in lower case stay words): a phrase needs one word outside `common` or an acronym."""
    runs = [run for text in texts for run in _token_runs(text)]
    candidates: set[tuple[str, ...]] = set()
    for run in runs:
        for i, (first, opens) in enumerate(run):
            if opens or not _is_capital(first):
                continue
            for j in range(i + 1, min(len(run), i + MAX_PHRASE_WORDS)):
                token = run[j][0]
                if token.lower() in STOPWORDS and token != token.lower():
                    break  # `What Is the Tax Gap`: headline casing says nothing about names
                if not (_is_capital(token) or token.isdigit() or token.lower() in _JOINERS):
                    break
                if token.lower() not in _JOINERS:
                    candidates.add(tuple(t.lower() for t, _ in run[i : j + 1]))
    forms: dict[tuple[str, ...], dict[str, int]] = {}
    for run in runs:
        lowered = [t.lower() for t, _ in run]
        for i in range(len(run)):
            if run[i][1]:
                continue
            for n in range(2, min(MAX_PHRASE_WORDS, len(run) - i) + 1):
                key = tuple(lowered[i : i + n])
                if key in candidates:
                    surface = " ".join(t for t, _ in run[i : i + n])
                    seen = forms.setdefault(key, {})
                    seen[surface] = seen.get(surface, 0) + 1
    phrases = {}
    for key, seen in forms.items():
        best, n = max(seen.items(), key=lambda kv: kv[1])
        low = " ".join(key)
        if best != low and n > PHRASE_SHARE * sum(seen.values()):
            if common and all(w in common or w in _JOINERS or w.isdigit() for w in key) and not any(
                t.isupper() and len(t) > 1 for t in best.split()
            ):
                continue
            phrases[low] = best
    return phrases


def set_casing(cased: dict[str, str]) -> None:
    """The word map of `learn_casing` and the phrase map of `learn_phrases` (keys with a space)."""
    global _CASED, _PHRASES
    _CASED = {k: v for k, v in cased.items() if " " not in k}
    _PHRASES = {k: v for k, v in cased.items() if " " in k}


_PHRASES: dict[str, str] = {}


def truecase(text: str) -> str:
    """`how many satreps projects in fy2019` → `how many SATREPS projects in FY2019`, and `the ai
    risk management framework` → `the AI Risk Management Framework` (corpus casing).

    Only words typed all in lower case change: capitals the user typed are kept."""
    if _PHRASES:
        text = _truecase_phrases(text)
    if not _CASED:
        return text
    return _WORD.sub(lambda m: _CASED.get(m.group(0), m.group(0)) if m.group(0).islower() else m.group(0), text)


def _truecase_phrases(text: str) -> str:
    """Longest lower-case phrases first; a phrase never crosses punctuation."""
    tokens = list(_PHRASE_TOKEN.finditer(text))
    out, last, i = [], 0, 0
    while i < len(tokens):
        for n in range(min(MAX_PHRASE_WORDS, len(tokens) - i), 1, -1):
            span = tokens[i : i + n]
            if any(text[a.end() : b.start()].strip() for a, b in zip(span, span[1:])):
                continue
            if any(not (t.group(0).islower() or t.group(0).isdigit()) for t in span):
                continue
            form = _PHRASES.get(" ".join(t.group(0) for t in span))
            if form:
                out += [text[last : span[0].start()], form]
                last, i = span[-1].end(), i + n
                break
        else:
            i += 1
    return "".join(out) + text[last:]


def set_protected(words) -> None:
    """Keep these (lower-case) words unstemmed; clears the term caches, whose stems may change."""
    global _PROTECTED
    new = frozenset(words)
    if new != _PROTECTED:
        _PROTECTED = new
        stem.cache_clear()
        _terms.cache_clear()


def written_as_acronym(word: str) -> bool:
    """Does the corpus write `word` in capitals (`map` → `MAP` in the NIST AI RMF), however it is typed?"""
    return word.lower() in _PROTECTED


_SUFFIXES = (
    ("izations", "iz"), ("ization", "iz"), ("isations", "iz"), ("isation", "iz"), ("izing", "iz"), ("ising", "iz"),
    ("ized", "iz"), ("ised", "iz"), ("izes", "iz"), ("ize", "iz"), ("atives", "at"), ("ative", "at"),
    ("ational", "at"), ("ations", "at"), ("ation", "at"), ("ments", ""), ("ment", ""), ("ings", ""), ("ing", ""),
    ("ies", "y"), ("ied", "y"), ("ed", ""), ("es", "e"), ("ly", ""), ("s", ""),
)


@lru_cache(maxsize=1 << 16)
def stem(word: str) -> str:
    """A small suffix stripper on the lower-cased word, applied alike to text and questions, so
    `corporatized` meets `corporatization`, `TLOs` meets `TLO`, and case never changes a term.

    Snowball (PyStemmer) was measured in its place twice. On 2026-12-02 (README, library section):
    library sets equal or one item better, but six golden and tuning answers lost and rmf's phrasing
    invariance under its gate, mostly because Snowball makes agent nouns their field (`researchers`
    → `research`, which a count must tell apart); this stripper was kept."""
    w = word.lower().replace("’", "'")
    if w.endswith("'s"):
        w = w[:-2]
    if not w.isalpha() or w in _PROTECTED:
        return w
    w = SAME_WORDS.get(w, BRITISH_SPELLINGS.get(w, w))
    for suffix, replacement in _SUFFIXES:
        if w.endswith(suffix) and len(w) - len(suffix) + len(replacement) >= 3:
            if suffix == "s" and w.endswith(("ss", "us", "is")):
                continue
            w = w[: len(w) - len(suffix)] + replacement
            break
    if len(w) > 4 and w.endswith("e"):
        w = w[:-1]
    return w


def terms(text: str, keep_stopwords: bool = False) -> list[str]:
    """Index terms: lower-cased stems, hyphenated words also split into their parts."""
    return list(_terms(text, keep_stopwords))


# The answer step reads the same candidate sentences for many questions: remember their terms.
@lru_cache(maxsize=1 << 14)
def _terms(text: str, keep_stopwords: bool) -> tuple[str, ...]:
    out: list[str] = []
    for word in words(text):
        low = word.lower()
        if not keep_stopwords and low in STOPWORDS:
            continue
        out.append(stem(word))
        if "-" in word or "&" in word:
            out.extend(stem(p) for p in re.split(r"[-&]", word) if p and p.lower() not in STOPWORDS)
    return tuple(out)
