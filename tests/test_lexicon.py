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


@pytest.mark.parametrize(
    ("text", "quantity"),
    [
        ("Over half of the world’s population has access to the Internet.", "Over half"),
        ("Almost three-fourths of the poorest households have a mobile phone.", "Almost three-fourths"),
        ("Many systems contain billions or even trillions of decision points.", "billions"),
    ],
)
def test_shares_and_magnitudes_in_words_are_quantities(text, quantity):
    assert quantity in [span[2] for span in quantities(text)]


def test_a_share_question_is_answered_by_a_share_not_a_count():
    q = analyse("what share of households have a mobile phone")
    assert pick_span(q, "Almost three-fourths of households, in five regions, have a mobile phone.")[2] == (
        "Almost three-fourths"
    )
    assert pick_span(q, "The survey covered households in five regions.") is None


def test_how_often_is_answered_by_a_frequency():
    q = analyse("How often will comments on the playbook be reviewed?")
    span = pick_span(q, "Comments will be reviewed and integrated on a semi-annual basis.")
    assert span is not None and span[2] == "semi-annual basis"


def test_the_count_binds_the_noun_past_its_modifiers():
    """`three widely attended workshops` counts workshops; `two drafts` does not."""
    q = analyse("how many workshops informed the framework")
    assert q.counted == ["workshop"]
    sentence = "It drew on three widely attended workshops, public comments and two drafts of the framework."
    assert pick_span(q, sentence)[2].startswith("three")


@pytest.mark.parametrize(("question", "count"), [("Which fifteen regions took part?", 15), ("Which six firms?", 6)])
def test_a_number_name_asks_for_its_value(question, count):
    from qa.question import asked_count

    assert asked_count(question) == count


def test_a_deduction_is_an_amount_of_money_unless_a_share_is_asked():
    q = analyse("What is the maximum annual deduction for tip income?")
    assert pick_span(q, "The deductions for tip income apply to individuals age 65 or older.") is None
    capped = pick_span(q, "The deduction for tip income is capped at $25,000 a year for 5 years.")
    assert capped is not None and capped[2].startswith("$25,000")
    share = analyse("What share of taxpayers claimed the standard deduction in 2023?")
    assert pick_span(share, "In 2023, 89.2% of taxpayers claimed the standard deduction of $13,850.")[2] == "89.2%"


@pytest.mark.parametrize(
    ("text", "law"),
    [
        ("It was created under PWEDA (P.L. 89-136; 42 U.S.C. 3121 et seq.).", "P.L. 89-136"),
        ("It was created under PWEDA (P.L. 89-136; 42 U.S.C. 3121 et seq.).", "42 U.S.C. 3121 et seq."),
        ("Loans are authorized by 7 U.S.C. §1926(a).", "7 U.S.C. §1926(a)"),
        ("The Infrastructure Act (Public Law 117-58) passed in 2021.", "Public Law 117-58"),
        ("Under the Act on Technology Transfer (Act No. 52 of 1998)", "Act No. 52"),
        ("The bill, H.R. 1234, was introduced in 2023.", "H.R. 1234"),
    ],
)
def test_law_references_are_recognised(text, law):
    from qa.lexicon import LAW_REFERENCE

    assert law in [m.group(0) for m in LAW_REFERENCE.finditer(text)]


def test_a_law_reference_holds_no_count_and_no_year():
    from qa.spans import dates

    sentence = "The program is authorized under 7 U.S.C. §1926 and was created in 1972 (P.L. 92-419)."
    assert [s[2] for s in dates(sentence)] == ["in 1972"]
    assert [s[2] for s in quantities(sentence)] == ["1972"]
    assert "1972" in pick_span(analyse("When was the program created?"), sentence)[2]


@pytest.mark.parametrize(("a", "b"), [("began", "started"), ("beginning", "start"), ("yearly", "annual"),
                                      ("annually", "annual"), ("nations", "countries")])
def test_words_that_mean_one_thing_are_one_term(a, b):
    from qa.text import stem

    assert stem(a) == stem(b)


def test_yearly_is_not_read_as_year():
    from qa.text import stem

    assert stem("yearly") != stem("year")


def test_a_law_number_question_is_answered_by_the_law_reference():
    sentence = "In January 2025, the Economic Development Reauthorization Act of 2024 (P.L. 118-272) reauthorized EDA."
    q = analyse("Which public law number is the Economic Development Reauthorization Act of 2024?")
    assert pick_span(q, sentence)[2] == "P.L. 118-272"
    from qa.extract import has_kind

    assert not has_kind(q, "For more on EDRA, see CRS Report R48516, by Julie M. Lawhorn.")
