"""`qa sources` (documents, section tree, paragraph counts), `qa show REF --around N`, and the
progress output of the long steps (index build, eval) with and without `-q`."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from qa import config
from qa.cli import qa

ALPHA = """An opening paragraph before any heading.

Section 1 Licensing

A paragraph directly under Section 1 about licensing in general.

❶ Technology transfer

As of January 1, 2021, 34 TLOs had been approved by the ministries.

The TLOs transfer research results from universities to companies.

❷ Startups

University startups numbered 2,905 in FY2019.

Section 2 Budget

The budget for the programme was 3.5 billion yen in 2020.
"""

GAMMA = """Section 1 Other matters

A gamma paragraph that shares its ref code with alpha.
"""

BETA = """# Overview

Beta explains the regional council.

## Members

The council has 7 members.
"""

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """A three-document corpus indexed with `qa index` (not quiet, so its progress output is kept)."""
    config.go_offline()
    root = tmp_path_factory.mktemp("sources")
    corpus = root / "corpus"
    corpus.mkdir()
    (corpus / "alpha.txt").write_text(ALPHA, encoding="utf-8")
    (corpus / "beta.md").write_text(BETA, encoding="utf-8")
    (corpus / "gamma.txt").write_text(GAMMA, encoding="utf-8")
    where = ["--corpus", str(corpus), "--index-dir", str(root / "index")]
    result = CliRunner().invoke(qa, ["index", *where])
    assert result.exit_code == 0, result.output
    return where, result, root


def run(*args):
    result = CliRunner().invoke(qa, list(args))
    return result


def test_sources_lists_documents_tree_and_counts(built):
    where, _, _ = built
    result = run("sources", "--doc", "alpha", *where)
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        "alpha  (alpha.txt; p. 1; 6 paragraphs in 4 sections)",
        "  ¶  page  ref    section",
        "  1     1  intro  (before the first heading)",
        "  4     1  s1     Section 1 Licensing",
        "  2     1  s1.1     ❶ Technology transfer",
        "  1     1  s1.2     ❷ Startups",
        "  1     1  s2     Section 2 Budget",
    ]


def test_sources_all_documents_and_depth(built):
    where, _, _ = built
    result = run("sources", "--depth", "1", *where)
    assert result.exit_code == 0, result.output
    out = result.stdout
    for header in ("alpha  (alpha.txt;", "beta  (beta.md;", "gamma  (gamma.txt;"):
        assert header in out
    assert "❶" not in out and "Members" not in out
    beta = "beta  (beta.md; p. 1; 2 paragraphs in 2 sections)\n  ¶  page  ref  section\n  2     1  s1   Overview\n"
    assert beta in out
    assert "gamma  (gamma.txt; p. 1; 1 paragraph in 1 section)" in out


def test_sources_json(built):
    where, _, _ = built
    result = run("sources", "--json", *where)
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    by_doc = {r["doc"]: r for r in rows}
    assert set(by_doc) == {"alpha", "beta", "gamma"}
    alpha = by_doc["alpha"]
    assert alpha["file"] == "alpha.txt" and alpha["paragraphs"] == 6 and alpha["pages"] == [1, 1]
    first = alpha["sections"][0]
    assert first == {
        "ref": "alpha:s1.h", "code": "s1", "level": 1, "title": "Section 1 Licensing", "section": "Section 1 Licensing",
        "page": 1, "paragraphs": 4,
    }
    assert [s["code"] for s in by_doc["beta"]["sections"]] == ["s1", "s1.1"]


def test_sources_unknown_doc(built):
    where, _, _ = built
    result = run("sources", "--doc", "delta", *where)
    assert result.exit_code == 1
    assert "no document 'delta'" in result.output and "alpha.txt" in result.output


def test_show_around_gives_neighbours(built):
    where, _, _ = built
    result = run("show", "s1.1.p2", "--around", "1", *where)
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        "alpha: Section 1 Licensing > ❶ Technology transfer",
        "",
        "  s1.1.p1  p. 1   Section 1 › ❶ Technology transfer ¶1",
        "    As of January 1, 2021, 34 TLOs had been approved by the ministries.",
        "",
        "» s1.1.p2  p. 1   Section 1 › ❶ Technology transfer ¶2",
        "    The TLOs transfer research results from universities to companies.",
        "",
        "  s1.2.h   p. 1   [heading] ❷ Startups",
    ]


def test_show_stays_inside_the_document(built):
    where, _, _ = built
    result = run("show", "alpha:s2.p1", "--around", "5", "--json", *where)
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert {r["doc"] for r in rows} == {"alpha"}
    assert rows[-1]["ref"] == "alpha:s2.p1"
    assert len(rows) == 6


def test_show_ambiguous_and_unknown_refs(built):
    where, _, _ = built
    ambiguous = run("show", "s1.p1", *where)
    assert ambiguous.exit_code == 1
    assert "matches 3 paragraphs" in ambiguous.output
    assert all(f"{doc}:s1.p1" in ambiguous.output for doc in ("alpha", "beta", "gamma"))
    assert run("show", "gamma:s1.p1", *where).exit_code == 0
    unknown = run("show", "s9.p9", *where)
    assert unknown.exit_code == 1 and "no paragraph with ref 's9.p9'" in unknown.output


def test_index_progress_and_quiet(built, tmp_path):
    where, first, root = built
    assert "embedding" in first.stderr  # the bar and messages of a real build go to stderr
    assert "3 added" in first.stdout
    quiet = run("index", "-q", "--corpus", str(root / "corpus"), "--index-dir", str(tmp_path / "index"))
    assert quiet.exit_code == 0, quiet.output
    assert quiet.stderr == ""
    assert "3 added" in quiet.stdout


def test_eval_progress_and_quiet(built, tmp_path):
    where, _, _ = built
    golden = tmp_path / "golden.jsonl"
    items = [
        {"id": "a1", "question": "how many TLOs had been approved?", "answers": ["34"],
         "evidence": "34 TLOs had been approved", "answerable": True, "kind": "number", "split": "dev"},
        {"id": "a2", "question": "how many members does the council have?", "answers": ["7"],
         "evidence": "The council has 7 members", "answerable": True, "kind": "number", "split": "dev"},
    ]
    golden.write_text("\n".join(json.dumps(i) for i in items) + "\n", encoding="utf-8")
    loud = run("eval", str(golden), *where)
    assert loud.exit_code == 0, loud.output
    assert loud.stderr == ""  # stderr is not a terminal here: no progress bar (see test_progress.py)
    assert loud.stdout.splitlines()[:2] == ["index: 3 documents, 9 paragraphs in 7 sections, 9 chunks", "split: all"]
    quiet = run("eval", str(golden), "-q", *where)
    assert quiet.exit_code == 0, quiet.output
    assert quiet.stderr == ""
