"""Compound questions are asked part by part: one cited answer per part, or an abstention naming the part."""

from __future__ import annotations

import pytest

from qa.compound import parts


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("What do NAO and NEDO stand for?", ["What does NAO stand for?", "What does NEDO stand for?"]),
        ("what do tlo, jst and nedo stand for", ["What does tlo stand for?", "What does jst stand for?",
                                                  "What does nedo stand for?"]),
        ("Who launched SATREPS and when?", ["Who launched SATREPS?", "When launched SATREPS?"]),
        ("How many TLOs are approved and which ministries approve them?",
         ["How many TLOs are approved?", "Which ministries approve them?"]),
    ],
)
def test_a_compound_question_is_split_into_its_parts(question, expected):
    assert parts(question) == expected


@pytest.mark.parametrize(
    "question",
    [
        "What does NEDO stand for?",
        "the nist ai rmf is intended to be voluntary and what other three things",
        "What do firms and universities mean by open innovation?",
        "Which ministries and agencies fund the program?",
        "How many researchers and engineers were hired in FY2019?",
    ],
)
def test_a_question_that_asks_one_thing_is_not_split(question):
    assert parts(question) == []


@pytest.fixture(scope="module")
def answerer(session_index):
    from qa.pipeline import open_pipeline

    return open_pipeline(None, session_index, auto_build=False)


def test_each_part_gets_its_own_cited_answer(answerer):
    reply = answerer.ask("What do TLO and JST stand for?")
    assert not reply.abstained
    assert "Technology Licensing Organization" in reply.answer and "Japan Science and Technology Agency" in reply.answer
    assert reply.answer.startswith("(1) ") and " (2) " in reply.answer
    assert len({c.ref for c in reply.citations}) >= 2


def test_a_missing_part_abstains_and_names_it(answerer):
    reply = answerer.ask("What do TLO and XYZQ stand for?")
    assert reply.abstained and reply.reason.rule == "part_missing"
    assert "XYZQ" in reply.reason.detail
