"""Split paragraph text into sentences without breaking at `etc.`, `No. 52`, `U.S.` or `e.g.`."""

from __future__ import annotations

import re

ABBREVIATIONS = {
    "etc", "no", "nos", "approx", "e.g", "i.e", "u.s", "u.s.a", "vs", "fig", "figs", "dr", "mr", "ms",
    "mrs", "inc", "ltd", "co", "corp", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept",
    "oct", "nov", "dec", "st", "vol", "p", "pp", "cf", "al",
}
# A quote left open longer than this is a stray mark of the PDF extraction, not a title.
QUOTED_TITLE_CHARS = 60
# A sentence ends at `. ` before a capital, digit, quote or bracket; an item `(2) …` of a list that
# runs on after `(1) … (time-limited measure)` starts a new one too (figure text has no full stops).
_BOUNDARY = re.compile(r"(?<=[.!?])[”’\")\]]*\s+(?=[A-Z0-9“\"(\[*])|(?<=\))\s+(?=\(\d{1,2}\)\s)")


def split_sentences(text: str) -> list[str]:
    """Sentences of `text` in order; joining them with spaces gives the text back."""
    sentences: list[str] = []
    start = 0
    for match in _BOUNDARY.finditer(text):
        before = text[start : match.start()].rstrip("”’\")]")
        last_word = before.rsplit(None, 1)[-1] if before.split() else ""
        stem = last_word.rstrip(".!?").lower().lstrip("(“\"")
        if stem in ABBREVIATIONS or (len(stem) == 1 and stem.isalpha()):
            continue
        if _inside_quotes(text[start : match.end()]):  # `formulated “Beyond Limits. Unlock …” in 2019`
            continue
        sentences.append(text[start : match.end()].strip())
        start = match.end()
    tail = text[start:].strip()
    if tail:
        sentences.append(tail)
    return sentences


def _inside_quotes(text: str) -> bool:
    """An opening curly quote is still open at the end of `text` (a title with a full stop in it)."""
    return text.count("“") > text.count("”") and len(text) - text.rfind("“") < QUOTED_TITLE_CHARS


def paragraph_sentences(text: str) -> list[str]:
    """The sentences the answer step reads in a paragraph (the whole text if it has none).

    The index stores one vector per entry of this list, so both sides must split alike.
    """
    return split_sentences(text) or [text]
