"""What a saved web page carries besides its text: the signs shared by the Markdown and HTML parsers.

A page saved from a site keeps the site around the text: "Skip to main content", breadcrumbs
(`Home > Reports > IF11643`), cookie notices, disclaimers, the title repeated in a banner with
its date, contents lists. These tests look at one block's text; the parsers decide from the
markup (links, `nav`, `footer`) what else is boilerplate. Kept small on purpose: a phrase here
removes text from search, so only phrases that are never a document's own content belong here.
"""

from __future__ import annotations

import re

from qa.ingest.outline import ends_sentence

PHRASES = re.compile(
    r"^(skip to (main )?content|jump to navigation|back to top|disclaimer\s*:|"
    r"(this (site|website) uses|we use) cookies|accept (all )?cookies|cookie (settings|preferences|policy)\b|"
    r"share (this|on)\b|print this page|subscribe to\b|sign up for\b)",
    re.IGNORECASE,
)
CONTENTS = re.compile(
    r"^((table of )?contents|(list of )?(figures|tables|charts|boxes)|on this page|in this (article|section|report))$",
    re.IGNORECASE,
)
BREADCRUMB = re.compile(r"^home\s*(>|›|»|/)\s*\S.*(>|›|»|/)", re.IGNORECASE)
DATE = re.compile(
    r"(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\.? \d{1,2}, \d{4}\b|\b\d{1,2}/\d{1,2}/\d{4}\b"
)
_WORD = re.compile(r"[\w&'’-]+")


def is_boilerplate_text(text: str) -> bool:
    """A block whose text alone says it is the site's, not the document's."""
    text = text.strip()
    return bool(PHRASES.match(text) or BREADCRUMB.match(text))


def is_contents_title(text: str) -> bool:
    return bool(CONTENTS.match(text.strip().rstrip(":")))


def _words(text: str) -> list[str]:
    return [w.lower().replace("’", "'") for w in _WORD.findall(text)]


def is_title_banner(text: str, title: str) -> bool:
    """The page title printed again with its date (`Artemis: … Moon Updated April 13, 2026 (IF11643)`).

    Most of the title's words, few others, a date, and no sentence end: a banner, not a first
    paragraph that happens to name the document's subject."""
    if not title or ends_sentence(text) or not DATE.search(text):
        return False
    wanted, have = _words(title), set(_words(text))
    if not wanted:
        return False
    found = sum(1 for w in wanted if w in have)
    return found >= 0.7 * len(wanted) and len(_words(text)) <= len(wanted) + 10
