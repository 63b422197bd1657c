"""Chunks carry what a reader sees above them: a table's rows, their caption and the label over them."""

from __future__ import annotations

from qa.chunk import chunk_paragraphs
from qa.records import Paragraph


def para(number: int, kind: str, text: str) -> Paragraph:
    return Paragraph("doc", f"doc:s1.p{number}", ("Tax Tables",), ("1",), number, 3, kind, text)


def words(text: str) -> int:
    return len(text.split())


def test_a_label_between_a_caption_and_its_rows_keeps_the_caption_on_the_rows() -> None:
    paragraphs = [
        para(1, "caption", "Statutory Marginal Income Tax Rates, 2025"),
        para(2, "table", "$0 to $23,850 — Then, tax is:: 10% of the amount over $0"),
        para(3, "body", "Head-of-Household Returns"),
        para(4, "table", "$0 to $17,000 — Then, tax is:: 10% of the amount over $0"),
    ]
    chunks = {c.ref: c.embed_text for c in chunk_paragraphs(paragraphs, words)}
    assert "2025" in chunks["doc:s1.p2"] and "Head-of-Household" not in chunks["doc:s1.p2"]
    assert "Statutory Marginal Income Tax Rates, 2025 — Head-of-Household Returns" in chunks["doc:s1.p4"]


def test_prose_between_a_caption_and_rows_ends_the_caption() -> None:
    paragraphs = [
        para(1, "caption", "Statutory Marginal Income Tax Rates, 2025"),
        para(2, "body", "The rates were indexed for inflation in every year since 1985."),
        para(3, "table", "$0 to $17,000 — Then, tax is:: 10% of the amount over $0"),
    ]
    chunks = {c.ref: c.embed_text for c in chunk_paragraphs(paragraphs, words)}
    assert "2025" not in chunks["doc:s1.p3"]
