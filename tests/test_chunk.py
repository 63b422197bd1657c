"""Chunks carry what a reader sees above them: a table's rows, their caption and the label over them."""

from __future__ import annotations

from qa.chunk import chunk_paragraphs
from qa.records import Paragraph


def para(number: int, kind: str, text: str) -> Paragraph:
    return Paragraph("doc", f"doc:s1.p{number}", ("Tax Tables",), ("1",), number, 3, kind, text)


def words(text: str) -> int:
    return len(text.split())


def embedded(paragraphs: list[Paragraph]) -> dict[str, str]:
    """What each paragraph's chunk is embedded as, by paragraph ref."""
    return {c.ref: c.embed_text for c in chunk_paragraphs(paragraphs, words)}


def test_a_label_between_a_caption_and_its_rows_keeps_the_caption_on_the_rows() -> None:
    paragraphs = [
        para(1, "caption", "Statutory Marginal Income Tax Rates, 2025"),
        para(2, "table", "$0 to $23,850 — Then, tax is:: 10% of the amount over $0"),
        para(3, "body", "Head-of-Household Returns"),
        para(4, "table", "$0 to $17,000 — Then, tax is:: 10% of the amount over $0"),
    ]
    chunks = embedded(paragraphs)
    assert "2025" in chunks["doc:s1.p2"] and "Head-of-Household" not in chunks["doc:s1.p2"]
    assert "Statutory Marginal Income Tax Rates, 2025 — Head-of-Household Returns" in chunks["doc:s1.p4"]


def test_prose_between_a_caption_and_rows_ends_the_caption() -> None:
    paragraphs = [
        para(1, "caption", "Statutory Marginal Income Tax Rates, 2025"),
        para(2, "body", "The rates were indexed for inflation in every year since 1985."),
        para(3, "table", "$0 to $17,000 — Then, tax is:: 10% of the amount over $0"),
    ]
    chunks = embedded(paragraphs)
    assert "2025" not in chunks["doc:s1.p3"]


def test_a_label_set_as_a_caption_keeps_the_table_caption_on_the_rows() -> None:
    """`Standard Deduction:` is laid out as a caption, but it labels the rows under Table 3's caption."""
    paragraphs = [
        para(1, "caption", "Table 3. Personal Exemption and Standard Deductions, 2024"),
        para(2, "caption", "Standard Deduction:"),
        para(3, "table", "Joint — $29,200"),
        para(4, "caption", "Statutory Marginal Income Tax Rates, 2024 Joint Returns"),
        para(5, "table", "$0 to $23,200 — Then, tax is:: 10% of the amount over $0"),
    ]
    chunks = embedded(paragraphs)
    assert "Standard Deductions, 2024 — Standard Deduction:" in chunks["doc:s1.p3"]
    assert "Statutory Marginal Income Tax Rates, 2024 Joint Returns" in chunks["doc:s1.p5"]
    assert "Standard Deduction:" not in chunks["doc:s1.p5"]


def test_a_line_ending_in_a_colon_between_caption_and_rows_is_their_label() -> None:
    paragraphs = [
        para(1, "caption", "Table 26. Personal Exemption and Standard Deductions, 2001"),
        para(2, "body", "Personal exemption began to phase out at a rate of 2% for every $2,500 above these amounts:"),
        para(3, "table", "Personal Exemption: — $2,900"),
    ]
    chunks = embedded(paragraphs)
    assert "Standard Deductions, 2001 — Personal exemption began" in chunks["doc:s1.p3"]
