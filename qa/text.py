"""Word-level text tools shared by lexical search, acronym learning and answer extraction."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

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


_SUFFIXES = (
    ("izations", "iz"), ("ization", "iz"), ("isations", "iz"), ("isation", "iz"), ("izing", "iz"), ("ising", "iz"),
    ("ized", "iz"), ("ised", "iz"), ("izes", "iz"), ("ize", "iz"), ("atives", "at"), ("ative", "at"),
    ("ational", "at"), ("ations", "at"), ("ation", "at"), ("ments", ""), ("ment", ""), ("ings", ""), ("ing", ""),
    ("ies", "y"), ("ied", "y"), ("ed", ""), ("es", "e"), ("ly", ""), ("s", ""),
)


@lru_cache(maxsize=1 << 16)
def stem(word: str) -> str:
    """A small suffix stripper, applied alike to text and questions, so `corporatized` meets
    `corporatization`, `TLOs` meets `TLO`, `universities` meets `university`."""
    w = word.lower().replace("’", "'")
    if w.endswith("'s"):
        w = w[:-2]
    if not w.isalpha():
        return w
    if word.isupper() or (sum(c.isupper() for c in word) >= 2):
        return w[:-1] if len(w) > 2 and w.endswith("s") and word[-1] == "s" else w
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
