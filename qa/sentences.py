"""Split paragraph text into sentences without breaking at `etc.`, `No. 52`, `P.L. 119-4` or `e.g.`.

Our own splitter rather than pysbd: policy text needs its abbreviations (qa.lexicon), the answer
step needs `" ".join(sentences) == text`, and it runs on every paragraph at index time, where a
regex scan costs a small fraction of pysbd's time.
"""

from __future__ import annotations

import re

from qa.lexicon import ABBREVIATIONS

# `P.L.`, `U.S.C.`, `H.R.`, `e.g.`: letters each followed by a full stop.
_DOTTED = re.compile(r"(?:^|[^a-z])(?:[a-z]\.){2,4}[a-z]?$", re.IGNORECASE)
# A quote left open longer than this is a stray mark of the PDF extraction, not a title.
QUOTED_TITLE_CHARS = 60
# A sentence ends at `. ` before a capital, digit, quote or bracket; an item `(2) …` of a list that
# runs on after `(1) … (time-limited measure)` starts a new one too (figure text has no full stops).
_BOUNDARY = re.compile(r"(?<=[.!?])[”’\")\]]*\s+(?=[A-Z0-9“\"(\[*])|(?<=\))\s+(?=\(\d{1,2}\)\s)")
# `World Bank. (2020). Reimagining Human Connections.`: a reference's year, set off by full stops
# between its author and its title, joins them into one sentence (so the year is cited with its title).
_REFERENCE_YEAR = r"\((?:19|20)\d\d[a-z]?\)\."
_YEAR_NEXT = re.compile(rf"{_REFERENCE_YEAR}(?=\s|$)")
_YEAR_BEFORE = re.compile(rf"\.\s+{_REFERENCE_YEAR}$")
_REFERENCE_ENTRY = re.compile(rf"\.\s+{_REFERENCE_YEAR}\s")


def split_sentences(text: str) -> list[str]:
    """Sentences of `text` in order; joining them with spaces gives the text back."""
    sentences: list[str] = []
    start = 0
    for match in _BOUNDARY.finditer(text):
        before = text[start : match.start()].rstrip("”’\")]")
        last_word = before.rsplit(None, 1)[-1] if before.split() else ""
        stem = last_word.rstrip(".!?").lower().lstrip("(“\"")
        if stem in ABBREVIATIONS or (len(stem) == 1 and stem.isalpha()) or _DOTTED.search(last_word):
            continue
        if _YEAR_NEXT.match(text, match.end()) or _YEAR_BEFORE.search(before):
            continue
        if _inside_quotes(text[start : match.end()]):  # `formulated “Beyond Limits. Unlock …” in 2019`
            continue
        sentences.append(text[start : match.end()].strip())
        start = match.end()
    tail = text[start:].strip()
    if tail:
        sentences.append(tail)
    return sentences


def is_reference(sentence: str) -> bool:
    """`World Bank. (2020). Policy Research Working Paper 9446.`: an entry of a reference list, which
    names a work and says nothing of what it found."""
    return bool(_REFERENCE_ENTRY.search(sentence))


def _inside_quotes(text: str) -> bool:
    """An opening curly quote is still open at the end of `text` (a title with a full stop in it)."""
    return text.count("“") > text.count("”") and len(text) - text.rfind("“") < QUOTED_TITLE_CHARS


def paragraph_sentences(text: str) -> list[str]:
    """The sentences the answer step reads in a paragraph (the whole text if it has none).

    The index stores one vector per entry of this list, so both sides must split alike.
    """
    return split_sentences(text) or [text]
