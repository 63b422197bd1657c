"""Structural checks for the golden QA evaluation set (evals/golden.jsonl).

Stdlib + pytest only; no project imports.
"""
import json
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).parent.parent
GOLDEN = ROOT / "evals" / "golden.jsonl"
CORPUS = ROOT / "corpus" / "japan_st_white_paper_2021_open_innovation.txt"

FIELDS = {"id", "question", "answers", "evidence", "answerable", "kind", "split"}
KINDS = {"number", "date", "entity", "acronym", "list", "descriptive", "unanswerable"}
SPLITS = {"dev", "test"}


def norm(text):
    """Remove all whitespace and case-fold (the comparison used by the evaluation)."""
    return re.sub(r"\s+", "", text).casefold()


def _load():
    items = []
    with GOLDEN.open(encoding="utf-8") as fh:
        for _lineno, line in enumerate(fh, 1):
            if not line.strip():
                continue
            items.append(json.loads(line))
    return items


ITEMS = _load()
CORPUS_NORM = norm(CORPUS.read_text(encoding="utf-8"))
ANSWERABLE = [it for it in ITEMS if it.get("answerable") is True]
UNANSWERABLE = [it for it in ITEMS if it.get("answerable") is False]


def _ids(items):
    return [it.get("id", "?") for it in items]


def test_files_exist():
    assert GOLDEN.is_file()
    assert CORPUS.is_file()


@pytest.mark.parametrize("item", ITEMS, ids=_ids(ITEMS))
def test_fields_and_types(item):
    assert set(item) == FIELDS
    assert isinstance(item["id"], str) and item["id"]
    assert isinstance(item["question"], str)
    assert isinstance(item["answers"], list)
    assert all(isinstance(a, str) for a in item["answers"])
    assert isinstance(item["evidence"], str)
    assert isinstance(item["answerable"], bool)
    assert item["kind"] in KINDS
    assert item["split"] in SPLITS


def test_ids_unique():
    ids = [it["id"] for it in ITEMS]
    assert len(ids) == len(set(ids))


@pytest.mark.parametrize("item", ITEMS, ids=_ids(ITEMS))
def test_question_length(item):
    assert 5 <= len(item["question"].split()) <= 20


@pytest.mark.parametrize("item", ANSWERABLE, ids=_ids(ANSWERABLE))
def test_answerable_item(item):
    assert item["kind"] != "unanswerable"
    answers = item["answers"]
    assert 1 <= len(answers) <= 4
    for ans in answers:
        assert 1 <= len(ans.split()) <= 8, ans
    ev = item["evidence"]
    assert 20 <= len(ev) <= 300, len(ev)
    assert norm(ev) in CORPUS_NORM, "evidence not found in corpus"
    assert any(norm(a) in norm(ev) for a in answers), "no answer occurs in evidence"


@pytest.mark.parametrize("item", UNANSWERABLE, ids=_ids(UNANSWERABLE))
def test_unanswerable_item(item):
    assert item["kind"] == "unanswerable"
    assert item["answers"] == []
    assert item["evidence"] == ""


def test_counts():
    assert len(ITEMS) >= 120
    assert len(ANSWERABLE) >= 95
    assert len(UNANSWERABLE) >= 25
    assert len(ANSWERABLE) + len(UNANSWERABLE) == len(ITEMS)


def test_splits_balanced():
    n = len(ITEMS)
    for split in SPLITS:
        k = sum(1 for it in ITEMS if it["split"] == split)
        assert k > 0
        assert 0.4 <= k / n <= 0.6, (split, k, n)
