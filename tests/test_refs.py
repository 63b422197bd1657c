"""Paragraph refs: stable across rebuilds, and `qa show REF` finds the paragraph again."""

from __future__ import annotations

import json
import shutil

import pytest
from conftest import CORPUS_DIR, CORPUS_FILE, DOC, FIXTURES, TLO_REF, TLO_SECTION, error_line, qa_cli


def read_jsonl(path):
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def generation(index_dir):
    return index_dir / (index_dir / "CURRENT").read_text(encoding="utf-8").strip()


@pytest.fixture(scope="module")
def second_build(tmp_path_factory):
    """A second, independent build of the bundled corpus (fresh folder, `qa index --rebuild`)."""
    from click.testing import CliRunner

    index_dir = tmp_path_factory.mktemp("second") / "index"
    result = qa_cli(CliRunner(), "index", "--rebuild", "-q", index_dir=index_dir, corpus=CORPUS_DIR)
    assert result.exit_code == 0, result.output
    return index_dir


def test_refs_and_texts_identical_across_independent_builds(session_index, second_build):
    first = read_jsonl(generation(session_index) / "paragraphs.jsonl")
    second = read_jsonl(generation(second_build) / "paragraphs.jsonl")
    assert [(p["ref"], p["text"]) for p in first] == [(p["ref"], p["text"]) for p in second]
    assert first == second
    chunks = [(c["id"], c["text"]) for c in read_jsonl(generation(session_index) / "chunks.jsonl")]
    assert chunks == [(c["id"], c["text"]) for c in read_jsonl(generation(second_build) / "chunks.jsonl")]


def test_refs_are_unique_and_well_formed(session_index):
    refs = [p["ref"] for p in read_jsonl(generation(session_index) / "paragraphs.jsonl")]
    assert len(refs) == len(set(refs))
    assert all(ref.startswith(f"{DOC}:") for ref in refs)
    assert TLO_REF in refs


def test_adding_a_document_keeps_the_other_documents_refs(index_copy, tmp_path, runner):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    shutil.copy(CORPUS_FILE, corpus)
    before = read_jsonl(generation(index_copy) / "paragraphs.jsonl")
    shutil.copy(FIXTURES / "harbor_lab.txt", corpus)
    result = qa_cli(runner, "index", "-q", index_dir=index_copy, corpus=corpus)
    assert result.exit_code == 0, result.output
    after = read_jsonl(generation(index_copy) / "paragraphs.jsonl")
    assert [p for p in after if p["doc"] == DOC] == before
    assert [p["ref"] for p in after if p["doc"] == "harbor-lab"] == [
        "harbor-lab:intro.p1",
        "harbor-lab:intro.p2",
        "harbor-lab:intro.p3",
    ]


@pytest.mark.parametrize("ref", ["s1.1.1.b.p1", TLO_REF])
def test_show_prints_the_paragraph_with_its_section_path(session_index, runner, ref):
    result = qa_cli(runner, "show", ref, index_dir=session_index)
    assert result.exit_code == 0, result.output
    flat = " ".join(result.stdout.split())
    assert " > ".join(TLO_SECTION) in flat
    assert "As of January 1, 2021, 34 TLOs had been approved by the Ministry of Education" in flat
    assert "networks between universities, industry and TLO." in flat
    assert "Activities of the Technology Licensing Organization (TLO)" in flat


def test_show_json_is_the_paragraph_record(session_index, runner):
    result = qa_cli(runner, "show", "s1.1.1.b.p1", "--json", index_dir=session_index)
    assert result.exit_code == 0, result.output
    [record] = [json.loads(line) for line in result.stdout.splitlines()]
    assert record["ref"] == TLO_REF
    assert record["section"] == list(TLO_SECTION)
    assert (record["number"], record["page"], record["kind"]) == (1, 2, "body")
    assert record["text"].startswith("As of January 1, 2021, 34 TLOs")


@pytest.mark.parametrize("ref", ["s9.9.p9", f"{DOC}:s1.1.1.b.p99", "nonsense"])
def test_show_unknown_ref_is_a_one_line_error(session_index, runner, ref):
    line = error_line(qa_cli(runner, "show", ref, index_dir=session_index))
    assert ref in line


def test_refs_typed_back_in_any_case_and_section_refs(session_index) -> None:
    """`qa show` takes a paragraph ref in any case, with or without the document, and a section ref."""
    from click.testing import CliRunner

    upper = qa_cli(CliRunner(), "show", "S1.1.1.B.P1", index_dir=session_index)
    assert upper.exit_code == 0, upper.output
    assert "As of January 1, 2021, 34 TLOs" in upper.stdout
    section = qa_cli(CliRunner(), "show", f"{DOC}:s2", index_dir=session_index)
    assert section.exit_code == 0, section.output
    assert "Section 2" in section.stdout and "s2.1.p1" in section.stdout
    assert "s1.1.1.b.p1" not in section.stdout


def test_section_filter_takes_a_ref_or_a_heading_prefix_in_any_case() -> None:
    from qa.records import Paragraph
    from qa.retrieve import _section_matches

    p = Paragraph("r46991-32", "r46991-32:s2.1.p1", ("Agency Overview", "EDA Mission and Origins"),
                  ("Agency Overview", "EDA Mission and Origins"), 1, 6, "body", "text")
    assert _section_matches(p, "s2") and _section_matches(p, "s2.1") and _section_matches(p, "R46991-32:S2.1")
    assert not _section_matches(p, "s3") and not _section_matches(p, "other:s2")
    assert _section_matches(p, "agency overview") and _section_matches(p, "eda mission")
    assert _section_matches(p, "Agency Overview > EDA Mission and Origins")
