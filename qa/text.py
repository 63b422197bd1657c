"""Word-level text tools shared by lexical search, acronym learning and answer extraction."""

from __future__ import annotations

import re
import unicodedata

STOPWORDS = frozenset(
    """a an the and or of to in on for by with at from as is are was were be been being has have had do does
    did this that these those it its their there which what who whom whose when where why how many much
    any some all into than then so such also can could would should will shall may might must not no
    about over under between through during per via up out our we they them he she his her you your i me
    my other more most very only just each both if but while did does tell give say said according
    document documents text""".split()
)
_TOKEN = re.compile(r"[^\W_]+(?:[-'’&][^\W_]+)*", re.UNICODE)


def normalize(text: str) -> str:
    return unicodedata.normalize("NFKC", text)


def words(text: str) -> list[str]:
    """Surface word tokens (`R&D`, `industry-academia`, `FY2019`, `79.6` is split as `79`, `6`)."""
    return _TOKEN.findall(normalize(text))


def stem(word: str) -> str:
    """A light English stemmer: enough to match `TLOs`/`TLO`, `universities`/`university`."""
    w = word.lower().replace("’", "'")
    if w.endswith("'s"):
        w = w[:-2]
    if len(w) > 4 and w.endswith("ies"):
        return w[:-3] + "y"
    if len(w) > 3 and w.endswith("s") and not w.endswith(("ss", "us", "is")):
        return w[:-1]
    return w


def terms(text: str, keep_stopwords: bool = False) -> list[str]:
    """Index terms: lower-cased stems, hyphenated words also split into their parts."""
    out: list[str] = []
    for word in words(text):
        low = word.lower()
        if not keep_stopwords and low in STOPWORDS:
            continue
        out.append(stem(word))
        if "-" in word or "&" in word:
            out.extend(stem(p) for p in re.split(r"[-&]", word) if p and p.lower() not in STOPWORDS)
    return out
