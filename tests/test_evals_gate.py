"""The golden-set gate bites: the real pipeline meets evals/thresholds.toml on the dev split, and the
same pipeline with a retriever that returns random paragraphs misses the retrieval thresholds.

The broken retriever is the one monkeypatch-like device in the suite: a Retriever subclass whose
`search` ignores the question. Everything else (answerer, index, model) is the real thing.
Only the dev split runs here (80 questions); CI gates on the test split with `qa eval`.
"""

from __future__ import annotations

import random

import pytest
from conftest import GOLDEN, THRESHOLDS

from qa import evals
from qa.answer import Answerer
from qa.retrieve import Hit, Retriever
from qa.store import Snapshot

# The [dev] table the suite falls back to when evals/thresholds.toml is missing.
FALLBACK_THRESHOLDS = """\
[dev]
recall_at_1 = 0.8
recall_at_5 = 0.9
mrr = 0.85
citation_precision = 0.9
abstained_unanswerable = 0.6
wrongly_abstained = 0.3
"""


class RandomRetriever(Retriever):
    """Returns k random paragraphs, the same ones for the same question: a retriever that broke."""

    def search(self, question, k, doc=None, section=None, vector=None):
        rng = random.Random(question)
        hits: dict[str, Hit] = {}
        for chunk in rng.sample(self.snapshot.chunks, len(self.snapshot.chunks)):
            if chunk.ref not in hits:
                hits[chunk.ref] = Hit(self.snapshot.by_ref[chunk.ref], 1.0 / (len(hits) + 1), chunk, 0.0, 0.0)
            if len(hits) == k:
                break
        return list(hits.values())


@pytest.fixture(scope="module")
def thresholds(tmp_path_factory) -> dict[str, float]:
    path = THRESHOLDS
    if not path.is_file():
        path = tmp_path_factory.mktemp("thresholds") / "thresholds.toml"
        path.write_text(FALLBACK_THRESHOLDS, encoding="utf-8")
    loaded = evals.load_thresholds(path, "dev")
    assert {"recall_at_1", "recall_at_5", "mrr"} <= set(loaded)
    return loaded


@pytest.fixture(scope="module")
def dev_items():
    items = evals.select(evals.load_golden(GOLDEN), "dev")
    assert 60 <= len(items) <= 100
    return items


@pytest.fixture(scope="module")
def snapshot(session_index):
    return Snapshot.open(session_index)


@pytest.fixture(scope="module")
def real(snapshot, dev_items):
    return evals.report(evals.run(Answerer(Retriever(snapshot)), dev_items), "dev")


@pytest.fixture(scope="module")
def broken(snapshot, dev_items):
    return evals.report(evals.run(Answerer(RandomRetriever(snapshot)), dev_items), "dev")


def test_real_pipeline_meets_the_dev_thresholds(real, thresholds):
    assert evals.check(real.overall, thresholds) == []


def test_broken_retriever_misses_the_retrieval_thresholds(broken, thresholds):
    misses = evals.check(broken.overall, thresholds)
    missed = {line.split(" = ")[0] for line in misses}
    assert {"recall_at_1", "recall_at_5", "mrr"} <= missed, misses
    assert all(" < threshold " in line or " > threshold " in line for line in misses)


def test_the_gap_is_wide(real, broken):
    """Not a near miss: random paragraphs rarely hold the evidence.

    The answerer re-orders a pool of 20 hits by question coverage, so with 20 random paragraphs of
    ~95 searchable ones the evidence lands in the top 5 about a third of the time.
    """
    assert broken.overall["recall_at_5"] <= 0.4
    assert real.overall["recall_at_5"] - broken.overall["recall_at_5"] >= 0.5
    assert real.overall["mrr"] - broken.overall["mrr"] >= 0.5


def test_check_reads_lower_is_better_metrics_the_other_way():
    """`wrongly_abstained` is a maximum: a value above its bound is the miss."""
    bounds = {"recall_at_1": 0.9, "wrongly_abstained": 0.2}
    assert evals.check({"recall_at_1": 0.95, "wrongly_abstained": 0.1}, bounds) == []
    assert evals.check({"recall_at_1": 0.85, "wrongly_abstained": 0.3}, bounds) == [
        "recall_at_1 = 0.85 < threshold 0.9",
        "wrongly_abstained = 0.3 > threshold 0.2",
    ]
