"""Split paragraph text into sentences without breaking at `etc.`, `No. 52`, `U.S.` or `e.g.`."""

from __future__ import annotations

import re

ABBREVIATIONS = {
    "etc", "no", "nos", "approx", "e.g", "i.e", "u.s", "u.s.a", "vs", "fig", "figs", "dr", "mr", "ms",
    "mrs", "inc", "ltd", "co", "corp", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept",
    "oct", "nov", "dec", "st", "vol", "p", "pp", "cf", "al",
}
_BOUNDARY = re.compile(r"(?<=[.!?])[”’\")\]]*\s+(?=[A-Z0-9“\"(\[*])")


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
        sentences.append(text[start : match.end()].strip())
        start = match.end()
    tail = text[start:].strip()
    if tail:
        sentences.append(tail)
    return sentences
