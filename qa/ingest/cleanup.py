"""Text repairs for PDF-extracted lines: footnote markers glued to words, glued numbers, line joins.

Footnote markers are stripped only when the page really has a footnote with that number, so
real numbers (`FY2019`, `ISO/TC275`, `WG7`) survive.
"""

from __future__ import annotations

import re

_GLUED_MARK = re.compile(r"(?<=[A-Za-z]{2})(\d{1,2})(?=[\s.,;:)\]”’\"/]|$)")
_SPACED_MARK = re.compile(r"(?<=[A-Za-z]{2}) (\d{1,2})(?: (?=[.,;:)/])|(?=[”’\"]))")
_URL = re.compile(r"((?:https?://|www\.)\S+)")
_GLUED_WORD = re.compile(r"\b(\d+)([a-z]{3,})\b")
_SPACE_BEFORE = re.compile(r"\s+([,.;:)\]])")
_SPACE_SLASH = re.compile(r"(?<=\w) /(?=\w)")


def strip_markers(text: str, marks: set[int]) -> str:
    """Remove footnote markers (`SATREPS1` → `SATREPS`) whose number is a footnote on this page."""
    if not marks:
        return text

    def drop(match: re.Match) -> str:
        return "" if int(match.group(1)) in marks else match.group(0)

    pieces = _URL.split(text)
    for i in range(0, len(pieces), 2):
        pieces[i] = _SPACED_MARK.sub(drop, _GLUED_MARK.sub(drop, pieces[i]))
    return "".join(pieces)


def split_glued_numbers(text: str) -> str:
    """`84projects` → `84 projects` (but `3rd`, `11th` stay)."""
    return _GLUED_WORD.sub(r"\1 \2", text)


def join_lines(parts: list[str]) -> str:
    """Join wrapped lines; a line ending in a hyphen joins the next without a space (`2-5-` + `1`)."""
    out = ""
    for part in parts:
        part = part.strip()
        if not part:
            continue
        if out.endswith("-") and not out.endswith(" -"):
            out += part
        else:
            out = f"{out} {part}" if out else part
    return tidy(out)


def tidy(text: str) -> str:
    text = re.sub(r"\s+", " ", text).strip()
    text = _SPACE_BEFORE.sub(r"\1", text)
    return _SPACE_SLASH.sub("/", text)
