"""Turn a document's text into paragraph records, choosing the parser by file type."""

from __future__ import annotations

from qa.parse.markdown import parse_markdown
from qa.parse.outline import doc_id
from qa.parse.whitepaper import parse_text
from qa.records import Paragraph

__all__ = ["parse_document", "doc_id", "parse_text", "parse_markdown"]


def parse_document(filename: str, text: str) -> list[Paragraph]:
    """Parse text already read from `filename`; `.md`/`.markdown` use Markdown rules."""
    doc = doc_id(filename)
    if filename.lower().endswith((".md", ".markdown")):
        return parse_markdown(doc, text)
    return parse_text(doc, text)
