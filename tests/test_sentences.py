"""Sentence splitting: the answer step quotes sentences, and the index stores one vector per sentence."""

from __future__ import annotations

from qa.sentences import is_reference, paragraph_sentences, split_sentences


def test_abbreviations_and_quoted_titles_do_not_end_a_sentence() -> None:
    text = "MEXT, METI, etc. approved it (Act No. 52 of 1998). JST formulated “Beyond Limits. Unlock” in 2019."
    assert split_sentences(text) == [
        "MEXT, METI, etc. approved it (Act No. 52 of 1998).",
        "JST formulated “Beyond Limits. Unlock” in 2019.",
    ]


def test_list_items_in_figure_text_are_sentences() -> None:
    text = "Rates: (1) When the ratio exceeds 10%, the limit rises (time-limited) (2) For SMEs, an extra 10% applies."
    assert split_sentences(text) == [
        "Rates: (1) When the ratio exceeds 10%, the limit rises (time-limited)",
        "(2) For SMEs, an extra 10% applies.",
    ]


def test_joined_sentences_give_the_text_back() -> None:
    text = "First one. Second (2) item stays. Third (time) (3) splits here."
    assert " ".join(paragraph_sentences(text)) == text
    assert paragraph_sentences("no full stop at all") == ["no full stop at all"]


def test_policy_abbreviations_from_real_reports() -> None:
    """Sentences taken from CRS reports in the analyst library: `P.L.`, `U.S.C.`, `et al.`, `Sec.`, `H.R.`."""
    text = (
        "In January 2025, the Economic Development Reauthorization Act (EDRA) of 2024 (P.L. 118-272) reauthorized "
        "the EDA. The EDA was created by the Public Works and Economic Development Act (PWEDA) of 1965 "
        "(P.L. 89-136, 42 U.S.C. §§3121 et seq.) to support job creation. See Robert W. Lake et al., "
        "EDA Research Report, July 2004. Funding for STEM Apprenticeships (Sec. 30) began in FY2020. "
        "Regarding H.R. 4366, Consolidated Appropriations Act, 2024, Congress directed EDA to act."
    )
    assert split_sentences(text) == [
        "In January 2025, the Economic Development Reauthorization Act (EDRA) of 2024 (P.L. 118-272) "
        "reauthorized the EDA.",
        "The EDA was created by the Public Works and Economic Development Act (PWEDA) of 1965 "
        "(P.L. 89-136, 42 U.S.C. §§3121 et seq.) to support job creation.",
        "See Robert W. Lake et al., EDA Research Report, July 2004.",
        "Funding for STEM Apprenticeships (Sec. 30) began in FY2020.",
        "Regarding H.R. 4366, Consolidated Appropriations Act, 2024, Congress directed EDA to act.",
    ]


def test_a_references_year_joins_its_author_and_title() -> None:
    text = "Please cite the work as follows: World Bank. (2020). Reimagining Human Connections. Washington, DC."
    assert split_sentences(text) == [
        "Please cite the work as follows: World Bank. (2020). Reimagining Human Connections.",
        "Washington, DC.",
    ]


def test_a_year_in_brackets_at_the_end_of_prose_still_ends_it() -> None:
    assert split_sentences("As the OECD noted (2019). Funding rose.") == ["As the OECD noted (2019).", "Funding rose."]
    assert split_sentences("Antonellis v. United States (Fed. Cir. 2013). It held.")[-1] == "It held."


def test_a_reference_list_entry_is_told_from_prose() -> None:
    assert is_reference("“from 53% to 63%”: World Bank. (2020). Policy Research Working Paper 9446: Learning Poverty.")
    assert not is_reference("As the OECD noted (2019), funding rose.")


def test_joint_and_concurrent_resolutions_do_not_end_a_sentence() -> None:
    text = "In 2025, Congress passed H.J.Res. 35 disapproving of the rule. S.Con.Res. 33 was adopted later."
    assert split_sentences(text) == [
        "In 2025, Congress passed H.J.Res. 35 disapproving of the rule.", "S.Con.Res. 33 was adopted later."]
