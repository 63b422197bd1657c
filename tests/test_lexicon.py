"""The lexicon's amounts: money and percentages in the forms English policy text writes them."""

from __future__ import annotations

import re

import pytest

from qa.extract import pick_span
from qa.lexicon import AMOUNT, CURRENCY
from qa.question import analyse
from qa.spans import quantities


@pytest.mark.parametrize(
    ("text", "amount"),
    [
        ("EDA received $468 million in FY2024.", "$468 million"),
        ("The facility holds US$2.1bn in loans.", "US$2.1bn"),
        ("A fund of €40 billion was agreed.", "€40 billion"),
        ("Each grant is worth £3m over two years.", "£3m"),
        ("The budget was 46.3 billion yen.", "46.3 billion yen"),
        ("Spending reached ¥1.2 trillion.", "¥1.2 trillion"),
        ("Enrolment rose by 2 percentage points.", "2 percentage points"),
        ("The share fell to 12 percent.", "12 percent"),
    ],
)
def test_an_amount_is_read_whole(text, amount):
    assert amount in [m.group(0) for m in re.finditer(AMOUNT, text)]
    assert any(span[2].startswith(amount) for span in quantities(text))


@pytest.mark.parametrize("text", ["in FY2024 and FY2025", "see Section 3m", "a 3m wall", "P.L. 119-4"])
def test_no_amount_inside_a_year_a_law_or_a_measure(text):
    assert not [m.group(0) for m in re.finditer(AMOUNT, text) if re.search(CURRENCY, m.group(0))]


def test_a_money_question_is_answered_with_the_dollar_amount():
    """`What were EDA appropriations in FY2024?` leads with the amount of money, not another number."""
    q = analyse("How much did EDA receive in FY2024?")
    sentence = "In FY2024, EDA received $468 million under Division C of P.L. 118-42 for 6 regional offices."
    span = pick_span(q, sentence)
    assert span is not None and span[2].startswith("$468 million")
