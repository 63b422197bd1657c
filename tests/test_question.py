"""Question analysis: the answer type a question asks for and the constraints it pins down."""

from __future__ import annotations

import pytest

from qa.question import analyse, answer_kind, clean
from qa.text import terms


@pytest.mark.parametrize(
    ("question", "kind"),
    [
        ("How many TLOs are approved?", "number"),
        ("what was the budget for the program in FY2020", "number"),
        ("When did MEXT launch the hub program?", "date"),
        ("Since when has the JPO run accelerated examination?", "date"),
        ("From which base year is the goal measured?", "date"),
        ("The data behind the joint research chart is current as of when?", "date"),
        ("Which ministry approves TLOs?", "entity"),
        ("Who runs the SBIR system?", "entity"),
        ("Name the catalog the industry ministry launched for R&D data.", "entity"),
        ("Name the programs JST runs for startups.", "list"),
        ("What does SBIR stand for?", "acronym"),
        ("What is the full name of JST?", "acronym"),
        ("What is the aim of the R&D tax system?", "purpose"),
        ("Why did the number of startups fall?", "purpose"),
        ("What are the three pillars of the plan?", "list"),
        ("Which seven ministries designated special subsidies?", "list"),
        ("Which kinds of rights can be grouped in one examination?", "list"),
        ("Under the SBIR system, who provides the special loans?", "entity"),
        ("Describe the Super City Initiative", "descriptive"),
        # a definition, even though it says `the number of`
        ("What does the number of patent licensing denote?", "descriptive"),
        ("In the joint research figure notes, what does the number of patent licensing denote?", "descriptive"),
        # a sum of money named by its noun, in any case
        ("What were EDA appropriations in FY2024?", "number"),
        ("what was the program's annual budget", "number"),
        ("What was the federal standard deduction for joint returns in 2024?", "number"),
        ("what was the personal exemption amount for tax year 2001", "number"),
        ("What are the costs and benefits of AI?", "list"),
        ("What were the main spending priorities?", "descriptive"),
        ("What is the purpose of the budget?", "purpose"),
        ("what is the stated mission of the economic development administration", "purpose"),
    ],
)
def test_answer_kind(question: str, kind: str) -> None:
    assert answer_kind(question) == kind


def test_constraints() -> None:
    q = analyse("How many projects did JICA fund in FY2019 under the 3rd phase of the Kansai Science City plan?")
    assert q.years == {"2019"}
    assert q.ordinals == {3}
    assert "JICA" in q.names and "Kansai Science City" in q.names
    assert not any(name.startswith("FY") for name in q.names)


def test_names_keep_digits_and_drop_suffixes() -> None:
    q = analyse("Besides MEXT-backed hubs, which COVID-19 measures used Local 5G?")
    assert q.names == ["MEXT", "COVID-19", "Local 5G"]
    assert q.numbers == set()  # the 19 of COVID-19 is part of a name, not a number to match


def test_numbers_are_not_years_or_ordinals() -> None:
    q = analyse("Which 2nd-round programme gave over 10 million yen in 2020?")
    assert q.numbers == {"10"}


def test_openers_and_years_are_not_names() -> None:
    q = analyse("Roughly how much did SBIR grant between FY2008 and FY2020?")
    assert q.names == ["SBIR"]
    assert q.years == {"2008", "2020"}


def test_document_pointers_are_not_numbers() -> None:
    assert analyse("According to Section 1, who realizes most innovations?").numbers == set()
    assert analyse("In Figure 2-5-1, how many patents were licensed in 12 months?").numbers == {"12"}


def test_a_leading_preposition_is_not_a_name() -> None:
    q = analyse("Across how many countries were SATREPS projects adopted?")
    assert q.names == ["SATREPS"]


def test_a_year_after_a_name_is_a_date_not_part_of_it() -> None:
    q = analyse("Which seven ministries designated subsidies under SBIR in FY2020?")
    assert q.names == ["SBIR"]
    assert q.years == {"2020"}
    assert q.asked == "ministry"  # the number word before the noun is skipped


def test_the_asked_noun_skips_kinds_of() -> None:
    assert analyse("Which kinds of rights can be grouped?").asked == "right"


def test_the_counted_phrase_and_the_asked_count_are_read_once() -> None:
    q = analyse("How many international search reports were produced under the pilot?")
    assert q.counted == ["internat", "search", "report"]
    assert analyse("Of the 3,667 members, how many are universities?").counted == ["university"]
    assert analyse("Which six regions has the program adopted?").count == 6
    assert analyse("Which region has the program adopted?").count == 0


@pytest.mark.parametrize(
    ("question", "years"),
    [
        ("What was the budget in FY2019?", {"2019"}),
        ("what was the budget in fy2019", {"2019"}),
        ("What was the budget in FY 2019?", {"2019"}),
        ("What was the budget in fiscal year 2019?", {"2019"}),
        ("What was spent in FY24?", {"2024"}),
        ("What was spent in 2019-20?", {"2019"}),
        ("What was funded in FY2019–FY2021?", {"2019", "2021"}),
        ("What was funded in FY 2024-FY 2026?", {"2024", "2026"}),
    ],
)
def test_every_form_of_a_fiscal_year_is_a_year_not_a_name_or_a_number(question: str, years: set[str]) -> None:
    q = analyse(clean(question))
    assert q.years == years
    assert not [n for n in q.names if "FY" in n.upper() or any(c.isdigit() for c in n)], q.names
    assert not q.numbers, q.numbers


@pytest.mark.parametrize(
    ("typed", "read"),
    [
        ("What number of university spin-offs were created in 2019?",
         "How many university spin-offs were created in 2019?"),
        ("what was the total number of TLOs approved", "How many TLOs approved?"),
        ("What number do the authors give?", "What number do the authors give?"),
    ],
)
def test_a_count_asked_as_the_number_of_reads_as_how_many(typed, read):
    assert clean(typed) == read


def test_the_counted_head_is_the_noun_not_its_modifiers():
    assert analyse("How many university spin-offs were created?").counted_head == terms("spin-offs")
    assert analyse("How many researchers work at universities?").counted_head == terms("researchers")
    assert analyse("how many staff were hired").counted_head == terms("staff")


@pytest.mark.parametrize(
    ("question", "source"),
    [
        ("How many children are out of school, according to the World Bank EdTech paper?", "World Bank EdTech"),
        ("According to the World Bank's EdTech roadmap, who will replace teachers?", "World Bank EdTech"),
        ("what does the budget cover in the crs report", "crs"),
        ("According to the report, why did prices rise?", ""),
        ("What did the January 2021 Commerce OIG report conclude?", ""),
        ("In the CRS table of EDA funding, what did Build to Scale receive?", ""),
        ("in the end notes of the world bank edtech paper, what source is cited", "world bank edtech"),
        ("What were the conclusions of the Commerce OIG report?", ""),
    ],
)
def test_the_source_a_question_cites_is_the_words_naming_a_document(question: str, source: str) -> None:
    """`according to the X paper` says which document is asked; a report it asks about (`what did the
    OIG report conclude`) and a part of a document (`the CRS table`) are not a cited source."""
    assert analyse(question).source == source


def test_a_function_word_before_a_number_is_no_label() -> None:
    from qa.text import set_protected

    set_protected(["the", "govern"])  # a corpus whose headings wrote `THE` and `GOVERN` in capitals
    try:
        assert analyse("what source is cited for the 258 million students figure").labels == {}
        assert analyse("What does govern 7 cover?").labels == {"7": "govern"}
        assert analyse("What does Act No. 52 cover?").labels == {"52": "No"}
    finally:
        set_protected([])


def test_a_fund_that_was_created_is_no_amount_asked() -> None:
    created = "In which years has Congress raised fuel taxes since the Highway Trust Fund was created?"
    assert analyse(created).kind != "number"
    assert analyse("What was the budget of the fund for FY2020?").kind == "number"
