"""No answer may state a number, date or name that is not in a paragraph it cites.

Runs every question of the golden and tuning sets through the real pipeline on the bundled index
and checks each fact-like token of each answer against the text of the answer's citations.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from conftest import GOLDEN, ROOT

from qa.pipeline import open_pipeline

TUNING = tuple(sorted((ROOT / "evals").glob("tuning*.jsonl")))
assert len(TUNING) >= 6, "the tuning sets are missing"

NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
MONTHS = "January|February|March|April|May|June|July|August|September|October|November|December"
MONTH = re.compile(rf"\b(?:{MONTHS})\b")
# A name: an acronym (`TLO`, `JST`, `R&D`) or a run of capitalised words (`Japan Patent Office`).
NAME = re.compile(r"\b[A-Z][A-Za-z&\-]*[A-Z][A-Za-z&\-]*\b|\b[A-Z][a-z]+(?: (?:(?:of|and|for|the) )?[A-Z][a-z]+)+")
# Words the reply itself adds around the quoted span.
REPLY_WORDS = ("stands for",)


def facts(answer: str) -> set[str]:
    """Numbers, month names and names stated in an answer (its own connective words left out)."""
    found: set[str] = set()
    for part in re.split(r"[…—]", answer):
        for word in REPLY_WORDS:
            part = part.replace(word, " | ")
        for piece in part.split(" | "):
            found |= {m.group(0).rstrip(".,") for m in NUMBER.finditer(piece)}
            found |= {m.group(0) for m in MONTH.finditer(piece)}
            found |= {m.group(0) for m in NAME.finditer(piece)}
    return {f for f in found if f}


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text).casefold()


def questions() -> list[str]:
    out = []
    for path in (GOLDEN, *TUNING):
        if path.exists():
            out += [json.loads(line)["question"] for line in path.read_text(encoding="utf-8").splitlines() if line]
    return out


@pytest.fixture(scope="module")
def answers(session_index: Path):
    answerer = open_pipeline(None, session_index, auto_build=False)
    asked = questions()
    vectors = answerer.retriever.embed(asked)
    return [answerer.ask(q, vector=v) for q, v in zip(asked, vectors, strict=True)]


def test_the_check_sees_facts():
    assert facts("about 79.6 billion yen — … in FY 2019, the Japan Patent Office (JPO) said") >= {
        "79.6", "2019", "Japan Patent Office", "JPO",
    }
    assert facts("in April 2004 — Since the corporatization …") >= {"April", "2004"}


def test_every_stated_fact_is_in_a_cited_paragraph(answers):
    answered = [a for a in answers if not a.abstained]
    assert len(answered) > 100, "the pipeline should answer most of the set"
    unsupported = []
    for a in answered:
        cited = squash(" ".join(c.text for c in a.citations))
        missing = sorted(f for f in facts(a.answer) if squash(f) not in cited)
        if missing:
            unsupported.append((a.question, a.answer, missing))
    assert not unsupported, "\n".join(f"{q!r}: {ans!r} states {m}" for q, ans, m in unsupported)


def test_the_first_citation_holds_the_quote(answers):
    """The sentence an answer quotes comes from its first citation, so a reader finds it there."""
    for a in answers:
        if not a.abstained and a.quote and "stands for" not in (a.answer or ""):
            assert squash(a.quote) in squash(a.citations[0].text), a.question
