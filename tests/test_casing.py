"""Corpus casing: how a question typed in lower case gets back the names the corpus writes."""

from __future__ import annotations

import pytest

import qa.text as text
from qa.question import analyse, clean
from qa.text import learn_casing, learn_phrases, set_casing, truecase

PROSE = [
    "The agency released the NIST AI Risk Management Framework in January.",
    "Organizations use the AI Risk Management Framework to manage risk.",
    "Each Risk Management Framework profile is voluntary, unlike a generic risk management framework.",
    "NIST issued a Request for Information on the framework.",
    "Subcategories under MAP 1 set the context.",
    "Congress passed the Tax Cuts and Jobs Act in 2017.",
]


@pytest.fixture(autouse=True)
def _restore_casing():
    words, phrases = dict(text._CASED), dict(text._PHRASES)
    yield
    text._CASED, text._PHRASES = words, phrases


def test_a_phrase_the_corpus_mostly_capitalises_is_learned() -> None:
    phrases = learn_phrases(PROSE)
    assert phrases["risk management framework"] == "Risk Management Framework"  # 3 of 4 uses
    assert phrases["request for information"] == "Request for Information"
    assert phrases["map 1"] == "MAP 1"


def test_a_phrase_the_corpus_mostly_writes_in_lower_case_is_not() -> None:
    phrases = learn_phrases(PROSE + ["a generic risk management framework", "any risk management framework"])
    assert "risk management framework" not in phrases  # 3 of 6 uses: no majority


def test_headline_casing_and_sentence_starts_teach_nothing() -> None:
    phrases = learn_phrases(['See "What Is the Tax Gap" in the notes.', "Joint Returns are filed by couples."])
    assert not any(key.startswith("what is") for key in phrases)
    assert "joint returns" not in phrases  # capitalised only because it opens the sentence


def test_everyday_words_alone_make_no_name() -> None:
    common = frozenset({"tax", "cuts", "and", "jobs", "act", "risk", "management", "framework"})
    phrases = learn_phrases(PROSE, common)
    assert "tax cuts and jobs act" not in phrases
    assert phrases["ai risk management framework"] == "AI Risk Management Framework"  # holds an acronym


def test_an_everyday_word_the_corpus_only_writes_as_a_proper_noun_is_one() -> None:
    """`Africa`, always capitalised and standing alone, is restored; `Agency`, always capitalised but
    only inside longer names, and `office`, also written in lower case, are not."""
    prose = [f"Enrolment rose in Africa in year {n}, said the Japan Science Agency." for n in range(5)]
    prose += ["Funding for Africa, the office said, was cut."]
    common = frozenset({"africa", "agency", "office", "science"})
    cased = learn_casing(prose, common)
    assert cased["africa"] == "Africa"
    assert "agency" not in cased and "office" not in cased
    assert "africa" not in learn_casing(prose[:3], common)  # too few uses to tell


def test_a_question_typed_in_lower_case_reads_like_one_typed_in_title_case() -> None:
    set_casing(learn_casing(PROSE) | learn_phrases(PROSE))
    typed = "How does the NIST AI Risk Management Framework define an AI system?"
    lower = "how does the nist ai risk management framework define an ai system"
    assert truecase(lower).startswith("how does the NIST AI Risk Management Framework")
    assert analyse(clean(lower)).names == analyse(clean(typed)).names


def test_capitals_the_user_typed_are_kept() -> None:
    set_casing(learn_phrases(PROSE))
    assert truecase("a Request for information") == "a Request for information"
    assert truecase("the management, framework") == "the management, framework"  # no phrase across a comma


@pytest.mark.parametrize("ending", ["", "?", "??", ".", " ?"])
def test_every_ending_embeds_as_one_question_mark(ending: str) -> None:
    assert clean("how many TLOs are approved" + ending) == "How many TLOs are approved?"
