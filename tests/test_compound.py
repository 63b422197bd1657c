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
        ("Compare EDA appropriations in FY2023 with FY2024",
         ["What is EDA appropriations in FY2023?", "What is EDA appropriations in FY2024?"]),
        ("how does the budget of NEDO compare to the budget of JST?",
         ["What is the budget of NEDO?", "What is the budget of JST?"]),
        ("What is the difference between a TLO and a university spin-off?",
         ["What is a TLO?", "What is a university spin-off?"]),
        ("compare research and development spending in fy2019 with fy2020",
         ["What is research and development spending in fy2019?",
          "What is research and development spending in fy2020?"]),
        ("compare urban and rural enrolment", ["What is urban enrolment?", "What is rural enrolment?"]),
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
        "Compare the two reports",
        "How do firms compare offers from universities?",
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


def test_a_comparison_answers_each_side_with_its_own_citation(answerer):
    reply = answerer.ask("compare the number of TLOs approved with the number of collaborative research activities")
    assert [p.question for p in reply.parts] == ["What is the number of TLOs approved?",
                                                 "What is the number of collaborative research activities?"]
    assert not reply.abstained and "34 TLOs" in reply.answer and "(2) " in reply.answer
    assert "collaborative research activities" in reply.answer.split("(2) ")[1]
    assert reply.parts[0].citations[0].ref != reply.parts[1].citations[0].ref
    assert [p["question"] for p in reply.to_json()["parts"]] == [p.question for p in reply.parts]


def test_explaining_a_compound_question_explains_each_part(answerer):
    from qa.explain import render_explain

    reply = answerer.ask("What do TLO and XYZQ stand for?", explain=True)
    text = render_explain(reply)
    assert "Why: abstained (part_missing" in text
    assert "Part 1: What does TLO stand for? → " in text and "Part 2: What does XYZQ stand for? → abstained" in text


def test_a_side_no_sentence_names_is_missing(answerer):
    reply = answerer.ask("how does japan's r&d tax credit rate compare with the rate in the united states")
    assert reply.abstained and reply.reason.rule == "part_missing"
    assert "side_unnamed" in reply.reason.detail and "united states" in reply.reason.detail
