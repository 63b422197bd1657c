"""Markdown inline markup → plain text (links, images, emphasis, code spans, footnote marks,
entities), and what a line's markup and words say it is: links only, or title-like.

A link reads as its text (its address is the site's, not the document's words); a link glued to
the word beside it (`NIH[awarded](…)`, common in saved web pages) gets a space. Emphasis marks go,
including the broken runs that converters leave inside words (`**Ecosystems ****M****ission**`).
`[^3]` footnote marks are removed and returned as the numbers the text cites.
"""

from __future__ import annotations

import html
import re

from qa.ingest.boilerplate import DATE
from qa.ingest.cleanup import tidy

_URL_PART = r"(?:[^()\s]|\([^()\s]*\))*"
IMAGE = re.compile(r"!\[([^\]]*)\]\(\s*" + _URL_PART + r"(?:\s+\"[^\"]*\")?\s*\)")
LINK = re.compile(r"\[((?:[^\[\]]|\[[^\[\]]*\])*)\]\(\s*" + _URL_PART + r"(?:\s+\"[^\"]*\")?\s*\)")
AUTOLINK = re.compile(r"<((?:https?|mailto):[^>\s]+)>")
NOTE_MARK = re.compile(r"\[\^(\d{1,3})\]")
TAGS = re.compile(
    r"</?(?:a|abbr|b|big|br|cite|code|del|em|font|i|ins|kbd|mark|q|s|small|span|strong|sub|sup|u|wbr)\b[^>]*>",
    re.IGNORECASE,
)
ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!|>~<])")
# Separators left between links on a navigation line: `[Home](…) > [Reports](…) | [Share](…)`.
NAV_LEFTOVER = re.compile(r"^[\s|>›»·•,;/\\–—-]*$")
MINOR = frozenset("a an and as at but by for from in into nor of on or per the to vs via with".split())
MAX_TITLE_WORDS = 12
CRUMB_TAIL = re.compile(r"^[\s|>›»·•/–—-]*>\s*\S+(\s+\S+){0,3}\s*$")


def _link(match: re.Match) -> str:
    text, source = match.group(1), match.string
    before = source[match.start() - 1] if match.start() else " "
    after = source[match.end()] if match.end() < len(source) else " "
    return f"{' ' if before.isalnum() or before == ')' else ''}{text}{' ' if after.isalnum() else ''}"


def _stars(match: re.Match) -> str:
    """A run of four or more `*`: empty bold pairs; inside a word it glues, elsewhere it separates."""
    source = match.string
    before = source[match.start() - 1] if match.start() else " "
    after = source[match.end()] if match.end() < len(source) else " "
    return "" if before.isalnum() and after.isalnum() else " "


def inline(text: str) -> tuple[str, tuple[int, ...]]:
    """Plain text of Markdown inline source, and the footnote numbers it cites."""
    escaped: list[str] = []

    def keep(match: re.Match) -> str:
        escaped.append(match.group(1))
        return f"\ue000{len(escaped) - 1}\ue001"

    text = ESCAPE.sub(keep, text)
    notes = tuple(int(n) for n in NOTE_MARK.findall(text))
    text = NOTE_MARK.sub("", text)
    text = IMAGE.sub(lambda m: m.group(1), text)
    text = LINK.sub(_link, text)
    text = AUTOLINK.sub(r"\1", text)
    text = re.sub(r"<br\s*/?>", " ", text, flags=re.IGNORECASE)
    text = TAGS.sub("", text)
    text = re.sub(r"\*{4,}", _stars, text)
    text = re.sub(r"\*\*|__(?!\w)|(?<!\w)__", "", text)
    text = re.sub(r"(?<![\w*])[*_](?=\S)|(?<=\S)[*_](?![\w*])", "", text)
    text = re.sub(r"`+", "", text)
    text = re.sub(r"\ue000(\d+)\ue001", lambda m: escaped[int(m.group(1))], text)
    return tidy(html.unescape(text)), notes


def is_link_only(source: str) -> bool:
    """Links (or images) and separators only, or a breadcrumb ending in the current page's name."""
    if not LINK.search(source) and not IMAGE.search(source):
        return False
    rest = LINK.sub(" ", IMAGE.sub(" ", source))
    return bool(NAV_LEFTOVER.match(rest) or CRUMB_TAIL.match(rest))


def title_like(text: str) -> bool:
    """Short, no sentence end, Title Case (or three words at most), and more than a number or date."""
    words = text.split()
    if not 1 <= len(words) <= MAX_TITLE_WORDS or re.search(r"[.,;:!?]$", text) or not re.search(r"[A-Za-z]{3}", text):
        return False
    if not (words[0][:1].isupper() or words[0][:1].isdigit()) or DATE.fullmatch(text):
        return False
    content = [w.strip("(\"'“‘") for w in words if w.lower() not in MINOR]
    capital = sum(1 for w in content if not w[:1].isalpha() or w[:1].isupper())
    return len(words) <= 3 or capital >= 0.75 * len(content)
