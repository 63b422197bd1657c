"""Structural checks for the library eval sets (evals/library/*.jsonl), as evals/README.md describes them.

The shape is checked everywhere; where the analyst library is present, so is the evidence (on the
page each item names, read with pypdf, an extractor independent of qa's own parser) and the gate
table each set needs in evals/thresholds.toml, so a set added without a gate fails here.
"""

from __future__ import annotations

import json
import re
import sys
from functools import cache
from pathlib import Path

import pytest

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

ROOT = Path(__file__).parent.parent
SETS = sorted((ROOT / "evals" / "library").glob("*.jsonl"))
LIBRARY = ROOT.parent / "shared" / "corpora" / "library"
FIELDS = ["id", "doc", "question", "answers", "evidence", "page", "answerable", "kind", "split"]
KINDS = {"number", "date", "entity", "acronym", "list", "descriptive", "table", "unanswerable"}
needs_library = pytest.mark.skipif(not (LIBRARY / "pdf").is_dir(), reason="analyst library not present")


def norm(text: str) -> str:
    return re.sub(r"\s+", "", text).casefold()


def load(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


@cache
def pages(doc: str) -> tuple[str, ...]:
    """The document's text per physical page (a Markdown file is one page)."""
    path = next(LIBRARY.glob(f"*/{doc}"))
    if path.suffix == ".md":
        return (norm(path.read_text(encoding="utf-8")),)
    from pypdf import PdfReader

    return tuple(norm(page.extract_text() or "") for page in PdfReader(path).pages)


def test_there_are_at_least_six_sets():
    assert len(SETS) >= 6


@pytest.mark.parametrize("path", SETS, ids=[p.stem for p in SETS])
def test_set_shape(path):
    items = load(path)
    assert len(items) == 40
    assert all(list(item) == FIELDS for item in items)
    prefix = re.match(r"[a-z]+", items[0]["id"]).group(0)
    assert [item["id"] for item in items] == [f"{prefix}{n:03d}" for n in range(1, 41)]
    assert {item["doc"] for item in items} == {path.stem + (".md" if path.stem.startswith(("IF", "IN")) else ".pdf")}
    assert sum(item["answerable"] for item in items) == 30
    lower = sum(item["question"] == item["question"].lower() for item in items)
    assert 10 <= lower <= 30, f"{lower} of 40 questions typed in lower case"
    for item in items:
        assert item["kind"] in KINDS and item["split"] == "dev"
        assert 5 <= len(item["question"].split()) <= 25, item["id"]
        assert not re.search(r"\b(this|the) (report|document)\b", item["question"], re.IGNORECASE), item["id"]
        if item["answerable"]:
            assert item["kind"] != "unanswerable" and 1 <= len(item["answers"]) <= 4, item["id"]
            assert all(1 <= len(a.split()) <= 8 for a in item["answers"]), item["id"]
            assert isinstance(item["page"], int) and item["page"] >= 1, item["id"]
            if item["kind"] != "table":
                assert 20 <= len(item["evidence"]) <= 250, item["id"]
                assert any(norm(a) in norm(item["evidence"]) for a in item["answers"]), item["id"]
        else:
            assert item["kind"] == "unanswerable" and item["answers"] == [] and item["evidence"] == ""
            assert item["page"] is None


@needs_library
@pytest.mark.parametrize("path", SETS, ids=[p.stem for p in SETS])
def test_evidence_sits_on_its_page(path):
    missing = []
    for item in load(path):
        if item["answerable"]:
            text = pages(item["doc"])
            if norm(item["evidence"]) not in text[min(item["page"], len(text)) - 1]:
                missing.append(item["id"])
    assert not missing, f"evidence not on its page: {missing}"


@needs_library
def test_every_set_has_a_gate():
    tables = tomllib.loads((ROOT / "evals" / "thresholds.toml").read_text(encoding="utf-8"))
    for path in SETS:
        gate = tables.get(f"library-{path.stem}")
        assert gate, f"no [library-{path.stem}] table in evals/thresholds.toml"
        assert {"answer_accuracy", "abstained_unanswerable", "wrongly_abstained", "phrasing_invariance"} <= set(gate)
