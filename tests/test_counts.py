"""One counting vocabulary (qa.counts): `qa index`, `qa sources`, `qa indexes` and `qa eval` report the
same numbers for the same index, and skipped files are counted apart from added ones."""

from __future__ import annotations

import json
import re

import pytest
from click.testing import CliRunner

from qa import config, counts
from qa.cli import qa
from qa.store import Snapshot

ALPHA = """An opening paragraph before any heading.

Section 1 Licensing

As of January 1, 2021, 34 TLOs had been approved by the ministries.

❶ Technology transfer

The TLOs transfer research results from universities to companies.

Section 2 Budget

The budget for the programme was 3.5 billion yen in 2020.
"""
BETA = "# Overview\n\nBeta explains the regional council.\n\n## Members\n\nThe council has 7 members.\n"

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """alpha: 4 paragraphs in 3 sections; beta: 2 in 2; plus an empty and a binary file (skipped)."""
    config.go_offline()
    root = tmp_path_factory.mktemp("counts")
    corpus = root / "corpus"
    corpus.mkdir()
    (corpus / "alpha.txt").write_text(ALPHA, encoding="utf-8")
    (corpus / "beta.md").write_text(BETA, encoding="utf-8")
    (corpus / "empty.txt").write_text("", encoding="utf-8")
    (corpus / "image.md").write_bytes(b"\x00\x01\x02\x03 not text")
    where = ["--corpus", str(corpus), "--index-dir", str(root / "index")]
    result = CliRunner().invoke(qa, ["index", *where])
    assert result.exit_code == 0, result.output
    return where, result, root


def test_index_counts_skipped_files_apart(built):
    where, result, _ = built
    summary = result.stdout.strip()
    assert summary.startswith("2 added, 0 changed, 0 removed, 0 unchanged, 2 skipped; "
                              "2 documents, 6 paragraphs in 5 sections, 6 chunks; embedded 6 chunks and ")
    again = CliRunner().invoke(qa, ["index", *where])
    assert again.stdout.strip() == "index is up to date (0 added, 0 changed, 0 removed, 2 unchanged, 2 skipped)"


def test_every_command_reports_the_same_numbers(built, tmp_path, monkeypatch):
    where, result, root = built
    index_says = re.search(r"(\d+) documents, (\d+) paragraphs in (\d+) sections, (\d+) chunks", result.stdout)
    documents, paragraphs, sections, chunks = map(int, index_says.groups())
    snapshot = Snapshot.open(root / "index")
    assert counts.of_snapshot(snapshot) == counts.Counts(documents, paragraphs, sections, chunks)
    assert sum(p.kind != "heading" for p in snapshot.paragraphs) == paragraphs

    listed = CliRunner().invoke(qa, ["sources", "--json", *where])
    rows = [json.loads(line) for line in listed.stdout.splitlines()]
    assert len(rows) == documents and sum(r["paragraphs"] for r in rows) == paragraphs
    text = CliRunner().invoke(qa, ["sources", *where]).stdout
    assert "alpha  (alpha.txt; p. 1; 4 paragraphs in 3 sections)" in text
    assert "beta  (beta.md; p. 1; 2 paragraphs in 2 sections)" in text

    golden = tmp_path / "golden.jsonl"
    golden.write_text(json.dumps({"id": "a", "question": "how many members does the council have?",
                                  "answers": ["7"], "answerable": True, "kind": "number", "split": "dev"}) + "\n")
    evaluated = CliRunner().invoke(qa, ["eval", str(golden), "--json", *where])
    assert json.loads(evaluated.stdout)["index"] == {"documents": documents, "paragraphs": paragraphs,
                                                     "sections": sections, "chunks": chunks}
    table = CliRunner().invoke(qa, ["eval", str(golden), *where]).stdout
    assert table.splitlines()[0] == f"index: {documents} documents, {paragraphs} paragraphs in {sections} sections, " \
                                    f"{chunks} chunks"

    from qa import catalog

    info = catalog.describe(root / "index")
    assert info.counts == counts.Counts(documents, paragraphs, sections, chunks)


def test_counts_of_the_bundled_corpus(session_index):
    """The bundled white paper: 94 paragraphs (59 body, 16 footnotes, 8 URLs, 6 figure texts, 3 sources,
    2 captions) in 67 sections — 161 records; `qa sources` and the index agree."""
    snapshot = Snapshot.open(session_index)
    held = counts.of_snapshot(snapshot)
    assert (held.documents, held.paragraphs, held.sections) == (1, 94, 67)
    assert len(snapshot.paragraphs) == 161
    result = CliRunner().invoke(qa, ["sources", "--depth", "1", "--index-dir", str(session_index)])
    assert "; 94 paragraphs in 67 sections)" in result.stdout.splitlines()[0]


def test_eval_summary_prints_the_numbers_and_no_question(built, tmp_path):
    """A held-out split is read as numbers only: `--summary` names no failing question."""
    where, _, _ = built
    golden = tmp_path / "golden.jsonl"
    golden.write_text(json.dumps({"id": "held1", "question": "how many members does the council have?",
                                  "answers": ["999"], "answerable": True, "kind": "number", "split": "test"}) + "\n")
    full = CliRunner().invoke(qa, ["eval", str(golden), "--split", "test", *where]).stdout
    assert "failures (1)" in full and "held1" in full
    summary = CliRunner().invoke(qa, ["eval", str(golden), "--split", "test", "--summary", *where]).stdout
    assert "split: test" in summary and "held1" not in summary and "council" not in summary
