"""PDF files in: PDFium's printed lines → the document model → paragraph records.

Encrypted PDFs with an empty user password open; one that needs a password, a damaged file or a
scan without a text layer raises ValueError saying which, and the corpus loader warns and skips it.
"""

from __future__ import annotations

from pathlib import Path

from qa.ingest.layout import pdf_document
from qa.ingest.model import Document
from qa.ingest.pdfium import read_pdf
from qa.ingest.sections import to_paragraphs
from qa.records import Paragraph


def pdf_model(path: Path, use_outline: bool = True) -> tuple[Document, list[int]]:
    """The document model of a PDF and its printed page numbers (physical where it has none)."""
    pages = read_pdf(path)
    return pdf_document(path.name, pages, use_outline=use_outline), pages.labels


def parse_pdf(doc: str, path: Path) -> list[Paragraph]:
    """Paragraph records of the PDF at `path`."""
    document, labels = pdf_model(path)
    return to_paragraphs(doc, document, labels)
