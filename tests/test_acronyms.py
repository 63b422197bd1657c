"""The acronym table learned from the text: expansions before a parenthesis and in footnotes."""

from __future__ import annotations

import pytest

from qa.acronyms import AcronymTable, asked_acronym, learn, match_expansion
from qa.records import Paragraph


def para(text: str, kind: str = "body", page: int = 1, number: int = 1) -> Paragraph:
    return Paragraph("doc", f"doc:s1.p{number}", ("Section 1 Test",), ("Section 1",), number, page, kind, text)


@pytest.mark.parametrize(
    ("before", "short", "expected"),
    [
        ("licences are handled by each Technology Licensing Organization", "TLO", "Technology Licensing Organization"),
        # the acronym skips the name's head word: the head still belongs to the name
        ("funded by MEXT, the JST, Japan Agency for Medical Research and Development", "AMED",
         "Japan Agency for Medical Research and Development"),
        ("a service operated by the National Center for Industrial Property Information and Training", "INPIT",
         "National Center for Industrial Property Information and Training"),
        ("led by the Ministry of Education, Culture, Sports, Science and Technology", "MEXT",
         "Ministry of Education, Culture, Sports, Science and Technology"),
        # internal capitals count as initials
        ("JST runs the SUpport Program of Capital Contribution to Early-Stage CompanieS", "SUCCESS",
         "SUpport Program of Capital Contribution to Early-Stage CompanieS"),
    ],
)
def test_expansion_before_the_parenthesis(before: str, short: str, expected: str) -> None:
    assert match_expansion(short, before) == expected


def test_a_list_before_the_name_is_not_swallowed() -> None:
    """`MEXT, the JST, Japan Agency …`: the comma ends the name; `JST` is not part of AMED."""
    long = match_expansion("AMED", "MEXT, the JST, Japan Agency for Medical Research and Development")
    assert long == "Japan Agency for Medical Research and Development"


def test_no_expansion_without_the_letters() -> None:
    assert match_expansion("TLO", "results were returned to society") is None


def test_learn_reads_parentheses_and_footnotes() -> None:
    paragraphs = [
        para("As of 2021, 34 TLOs, each a Technology Licensing Organization (TLO), were approved.", number=1),
        para("Applications under the PCT grew.", number=2),
        para("1 Patent Cooperation Treaty", kind="footnote", number=3),
    ]
    table = AcronymTable(learn(paragraphs))
    assert [e.long for e in table.lookup("TLO")] == ["Technology Licensing Organization"]
    assert [e.long for e in table.lookup("pct")] == ["Patent Cooperation Treaty"]
    # the question's words spell out an acronym, and an acronym brings its expansion's words
    assert "tlo" in table.expand_terms("how many technology licensing organizations are there?")
    assert "patent" in table.expand_terms("what is the PCT?")


def test_a_footnote_far_from_the_acronym_is_not_used() -> None:
    paragraphs = [
        para("Applications under the PCT grew.", page=1, number=1),
        para("1 Patent Cooperation Treaty", kind="footnote", page=9, number=2),
    ]
    assert AcronymTable(learn(paragraphs)).lookup("PCT") == []


def test_a_plural_acronym_is_learned_singular() -> None:
    paragraphs = [para("AIST works with public experimental research institutions (PERIs) in each region.")]
    expansions = [e.long for e in AcronymTable(learn(paragraphs)).lookup("PERI")]
    assert expansions == ["public experimental research institutions"]


@pytest.mark.parametrize(
    ("question", "target"),
    [
        ("What does PERI stand for in AIST's regional cooperation?", "PERI"),
        ("What is the full name of JST?", "JST"),
        ("what is TLO short for?", "TLO"),
        ("Which agency funds the program?", None),
    ],
)
def test_the_asked_acronym(question: str, target: str | None) -> None:
    assert asked_acronym(question) == target


def test_a_footnote_defines_a_quoted_short_form_of_several_words() -> None:
    paragraphs = [
        para("TIA ran “Nanotech CU PAL” for young researchers.", page=7, number=1),
        para("1 Nanotech Career-up Alliance", kind="footnote", page=7, number=2),
    ]
    table = AcronymTable(learn(paragraphs))
    assert [e.long for e in table.lookup("Nanotech CU PAL")] == ["Nanotech Career-up Alliance"]


def test_bodies_named_in_everyday_words_resolve_to_one_acronym() -> None:
    from qa.acronyms import Acronym

    table = AcronymTable(
        [
            Acronym("MAFF", "Ministry of Agriculture, Forestry and Fisheries", "doc:p1"),
            Acronym("METI", "Ministry of Economy, Trade and Industry", "doc:p2"),
            Acronym("AMED", "Japan Agency for Medical Research and Development", "doc:p3"),
            Acronym("CRDS", "Center for Research & Development Strategy", "doc:p4"),
        ]
    )
    assert table.bodies("How many TLOs has the farm ministry approved?") == ["MAFF"]
    assert table.bodies("when did the economy ministry open it?") == ["METI"]
    assert table.bodies("what does the medical research agency's office collect?") == ["AMED"]
    # every word must be in the full name: a described, unnamed centre resolves to nothing
    assert table.bodies("who leads the international education and research center?") == []
    assert table.bodies("Which ministry approved it?") == []


@pytest.mark.parametrize(
    ("text", "short", "expected"),
    [
        ("Privacy-enhancing technologies (“PETs”) for AI are one way.", "PET", "Privacy-enhancing technologies"),
        ("The Working Families Tax Relief Act of 2004 (WFTRA; P.L. 108-311) extended it.", "WFTRA",
         "Working Families Tax Relief Act of 2004"),
    ],
)
def test_a_short_form_quoted_or_followed_by_a_citation_is_learned(text: str, short: str, expected: str) -> None:
    assert [e.long for e in AcronymTable(learn([para(text)])).lookup(short)] == [expected]


def test_a_list_entry_in_parentheses_is_no_definition() -> None:
    """`(NY, NJ)` lists places: with more after the short form, only a spelling of its letters counts."""
    assert AcronymTable(learn([para("Notes: a. Lee M. Zeldin (NY, NJ) signed.")])).lookup("NY") == []


def test_a_lower_case_acronym_is_asked_when_the_table_knows_it() -> None:
    table = AcronymTable(learn([para("Privacy-enhancing technologies (PETs) for AI are one way.")]))
    question = "what does pets stand for in the privacy section"
    assert asked_acronym(question) is None
    assert asked_acronym(question, table.knows) == "pets"
    assert asked_acronym("what does it mean for firms", table.knows) is None


def test_a_defined_name_is_found_in_any_case() -> None:
    table = AcronymTable(learn([
        para("It is deducted under Internal Revenue Code (IRC) Section 199A.", number=1),
        para("The prime age employment gap (PAEG) is a measure.", number=2),
    ]))
    assert table.names_in("under which internal revenue code section can owners deduct income") == [
        "Internal Revenue Code"
    ]
    assert table.names_in("what is the prime age employment gap") == []  # a term, not a name
