"""Turn a document's text into paragraph records, choosing the parser by file type."""

from __future__ import annotations

from qa.ingest.html import parse_html
from qa.ingest.markdown import parse_markdown
from qa.ingest.outline import doc_id
from qa.ingest.text import parse_text
from qa.records import Paragraph

__all__ = ["parse_document", "doc_id", "parse_text"]


def parse_document(filename: str, text: str) -> list[Paragraph]:
    """Parse text already read from `filename`: Markdown and HTML by their markup, the rest as plain text."""
    doc = doc_id(filename)
    suffix = filename.lower().rsplit(".", 1)[-1] if "." in filename else ""
    if suffix in ("md", "markdown"):
        return parse_markdown(doc, text, filename)
    if suffix in ("html", "htm"):
        return parse_html(doc, text, filename)
    return parse_text(doc, text)
