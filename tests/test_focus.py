"""Document focus: with several documents, a question is answered from the one it is about, and the
words that name that document weigh only as much as they tell its own paragraphs apart."""

from __future__ import annotations

import pytest

HARBOUR = """# Harbour Authority of Port Edwin: Annual Report 2025

## Overview

The Harbour Authority of Port Edwin manages the port, its quays and its fishing harbour.

The Harbour Authority of Port Edwin publishes this report every year for the town council.

## Fleet

The Harbour Authority of Port Edwin registers every boat that lands fish at the port.

Over half of the fishing fleet now runs on electric engines.

Diesel boats pay a higher mooring fee under the rules of the Harbour Authority of Port Edwin.

## Finance

The Harbour Authority of Port Edwin earned 2.4 million euros from mooring fees.
"""
GRID = """Grid Resilience Planning Framework (GRPF 2.0)

January 2024

## Purpose

Development of the Grid Resilience Planning Framework drew on workshops, public comments and two drafts.

## Terms

Outage tolerance refers to how long a utility can go without power before its duties fail.

Utilities set their own targets for restoring power after storms.

Crews are trained every spring.

Spare transformers are kept in three depots.

## Review

The board reviews the targets each year.

Each review is published on the board's website.

Comments on a review are open for sixty days.

Late comments are kept for the next review.
"""
RIVERS = """# River Board Review 2025

## Boats

The River Board counts 40 fishing boats on the river, says a note from the Harbour Authority of Port Edwin report.

The River Board does not record which engines the fishing boats on the river use.
"""


@pytest.fixture(scope="module")
def answerer(tmp_path_factory):
    from qa import config
    from qa.index import build_index
    from qa.pipeline import open_pipeline
    from qa.progress import Progress

    config.go_offline()
    root = tmp_path_factory.mktemp("focus")
    corpus = root / "corpus"
    corpus.mkdir()
    (corpus / "harbour.md").write_text(HARBOUR, encoding="utf-8")
    (corpus / "rivers.md").write_text(RIVERS, encoding="utf-8")
    (corpus / "grid.md").write_text(GRID, encoding="utf-8")
    build_index(corpus, root / "index", progress=Progress(quiet=True), warn=lambda _m: None)
    return open_pipeline(None, root / "index", auto_build=False)


def test_a_question_about_one_document_cites_only_that_document(answerer) -> None:
    """The River Board's count of boats shares the words, but the question is about the harbour."""
    reply = answerer.ask("how many fishing boats are registered with the harbour authority of port edwin?")
    assert reply.abstained
    assert reply.citations and {c.ref.split(":")[0] for c in reply.citations} == {"harbour"}


def test_the_words_that_name_a_document_weigh_little_inside_it(answerer) -> None:
    idf = answerer.retriever.local_idf("harbour", ["harbour", "edwin", "electr"])
    assert idf["harbour"] < idf["electr"] and idf["edwin"] < idf["electr"]
    everywhere = answerer.bm25.idf("edwin")
    assert idf["edwin"] < everywhere


def test_the_focused_document_still_answers(answerer) -> None:
    reply = answerer.ask("according to the harbour authority of port edwin report, what share of the fleet runs on "
                         "electric engines?")
    assert not reply.abstained and reply.answer.startswith("Over half")
    assert reply.citations[0].ref.startswith("harbour:")


def test_a_name_its_document_uses_throughout_is_not_asked_of_each_paragraph(answerer) -> None:
    from qa.question import analyse

    q = analyse("According to the Harbour Authority of Port Edwin, what share of the fleet runs on electric engines?")
    assert "Harbour Authority of Port Edwin" in q.names
    assert "Harbour Authority of Port Edwin" not in answerer._without_pervasive_names(q, "harbour").names
    other = analyse("What does the River Board count in the harbour?")
    assert "River Board" in answerer._without_pervasive_names(other, "harbour").names



def test_a_name_its_document_title_spells_is_not_asked_of_each_paragraph(answerer) -> None:
    """The framework's name stands in its title (cover lines, as a PDF's are, not a heading) and in one
    paragraph of credits; the definition asked for does not restate it, and is the answer."""
    for question in ("what does outage tolerance refer to in the grid resilience planning framework",
                     "What does outage tolerance refer to in the Grid Resilience Planning Framework?"):
        reply = answerer.ask(question)
        assert not reply.abstained and "how long a utility can go without power" in reply.answer
        assert reply.citations[0].ref.startswith("grid:")


def test_the_title_words_a_question_types_in_lower_case_name_the_document(answerer) -> None:
    from qa.question import analyse, clean
    from qa.text import terms

    q = analyse(clean("who reviews the targets of the grid resilience planning framework"))
    naming = answerer._naming_terms(q, answerer._without_pervasive_names(q, "grid"), "grid")
    assert set(terms("grid resilience planning framework")) <= naming and "target" not in naming


def test_the_words_of_a_cited_source_name_the_document_when_it_uses_them(answerer) -> None:
    """`according to the Port Edwin fleet report`: `fleet` is no title word, but the harbour's report
    uses it; `audit`, which it never uses, still asks something of it."""
    from qa.question import analyse

    q = analyse("According to the Port Edwin fleet audit report, what share of the fleet runs on electric engines?")
    assert q.source == "Port Edwin fleet audit"
    naming = answerer._source_terms(q, "harbour")
    assert {"port", "edwin", "fleet"} <= naming and "audit" not in naming
    assert answerer._source_terms(analyse("What share of the fleet runs on electric engines?"), "harbour") == set()


def test_a_name_no_document_mentions_is_said_to_be_so(answerer) -> None:
    """`Kenya` is in no document: the abstention says so, not merely that the best passage lacks it."""
    reply = answerer.ask("How many fishing boats does the Harbour Authority of Port Edwin register in Kenya?")
    assert reply.abstained and reply.reason.rule == "name_missing"
    assert reply.reason.detail == "names Kenya; no document mentions it"
    known = answerer.ask("How many fishing boats does the River Board register in Port Edwin harbour in 2019?")
    assert "no document mentions" not in (known.reason.detail if known.reason else "")
