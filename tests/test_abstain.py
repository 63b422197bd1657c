"""Abstention and its limits on the bundled corpus: bodies named in everyday words, another actor, frames."""

from __future__ import annotations

import pytest

from qa.pipeline import open_pipeline


@pytest.fixture(scope="module")
def answerer(session_index):
    return open_pipeline(None, session_index, auto_build=False)


def test_a_body_in_everyday_words_must_be_in_the_answers_paragraph(answerer) -> None:
    assert answerer.ask("How many technology licensing organizations has the farm ministry approved?").abstained
    reply = answerer.ask("How many technology licensing organizations has the education ministry approved?")
    assert not reply.abstained and "34" in reply.answer


def test_a_sentence_naming_another_actor_does_not_answer(answerer) -> None:
    question = "Since which fiscal year has {} run the Public-Private Program to Discover and Support Young Researchers"
    assert answerer.ask(question.format("JST")).abstained
    reply = answerer.ask(question.format("NEDO"))
    assert not reply.abstained and "FY2020" in reply.answer


def test_a_sentence_opening_among_them_inherits_the_year_before_it(answerer) -> None:
    """`In FY 2019, … Among them … licensed patents reached 18,784.`: the count is for FY2019."""
    reply = answerer.ask("How many patents did universities license in FY2019?")
    assert not reply.abstained and "18,784" in reply.answer
