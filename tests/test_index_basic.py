"""Building the index: auto-build on first `ask`, rebuild on change, odd corpus files, damaged indexes.

Small fixture corpora (tests/fixtures) keep each build to a few chunks; the damaged-index tests
work on a copy of the session index.
"""

from __future__ import annotations

import hashlib
import json

import pytest
from conftest import ask_cli, current, error_line, manifest, qa_cli

HARBOR_QUESTION = "How many researchers did the Harbor Lab open with?"


def test_first_ask_builds_the_index_then_answers(fixture_corpus, tmp_path, runner):
    index_dir = tmp_path / "index"
    result = ask_cli(runner, HARBOR_QUESTION, index_dir=index_dir, corpus=fixture_corpus)
    assert result.exit_code == 0, result.output
    assert "42" in result.stdout.splitlines()[0]
    assert "harbor-lab ¶1" in result.stdout
    assert "building the index" in result.stderr
    files = manifest(index_dir)["files"]
    assert set(files) == {"harbor_lab.txt", "solar_program.md"}
    sha = hashlib.sha256((fixture_corpus / "harbor_lab.txt").read_bytes()).hexdigest()
    assert files["harbor_lab.txt"]["sha256"] == sha


def test_second_ask_reuses_the_index(fixture_corpus, tmp_path, runner):
    index_dir = tmp_path / "index"
    assert ask_cli(runner, HARBOR_QUESTION, index_dir=index_dir, corpus=fixture_corpus).exit_code == 0
    built = current(index_dir)
    again = ask_cli(runner, HARBOR_QUESTION, index_dir=index_dir, corpus=fixture_corpus)
    assert again.exit_code == 0, again.output
    assert current(index_dir) == built
    assert "building" not in again.stderr


def test_changed_corpus_file_triggers_a_rebuild(fixture_corpus, tmp_path, runner):
    index_dir = tmp_path / "index"
    assert ask_cli(runner, HARBOR_QUESTION, index_dir=index_dir, corpus=fixture_corpus).exit_code == 0
    first_generation, first_sha = current(index_dir), manifest(index_dir)["files"]["harbor_lab.txt"]["sha256"]

    harbor = fixture_corpus / "harbor_lab.txt"
    harbor.write_text(harbor.read_text(encoding="utf-8").replace("42 researchers", "57 researchers"), encoding="utf-8")
    result = ask_cli(runner, "--json", HARBOR_QUESTION, index_dir=index_dir, corpus=fixture_corpus)
    assert result.exit_code == 0, result.output
    assert "57" in json.loads(result.stdout)["answer"]
    assert current(index_dir) != first_generation
    files = manifest(index_dir)["files"]
    assert files["harbor_lab.txt"]["sha256"] == hashlib.sha256(harbor.read_bytes()).hexdigest() != first_sha
    assert files["solar_program.md"]["doc"] == "solar-program"


def test_removed_corpus_file_leaves_the_index(fixture_corpus, tmp_path, runner):
    index_dir = tmp_path / "index"
    assert qa_cli(runner, "index", "-q", index_dir=index_dir, corpus=fixture_corpus).exit_code == 0
    (fixture_corpus / "solar_program.md").unlink()
    result = ask_cli(
        runner,
        "--json",
        "How much did the Solar Schools Program receive in FY2022?",
        index_dir=index_dir,
        corpus=fixture_corpus,
    )
    assert result.exit_code == 0, result.output
    assert set(manifest(index_dir)["files"]) == {"harbor_lab.txt"}
    assert all(c["doc"] == "harbor-lab" for c in json.loads(result.stdout)["citations"])


# --- corpus problems ----------------------------------------------------------------------------


def test_empty_corpus_folder(tmp_path, runner):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "notes.docx").write_text("not a supported type", encoding="utf-8")
    line = error_line(ask_cli(runner, HARBOR_QUESTION, index_dir=tmp_path / "index", corpus=corpus))
    assert str(corpus) in line and ".txt" in line


def test_missing_corpus_folder(tmp_path, runner):
    missing = tmp_path / "no-such-folder"
    line = error_line(ask_cli(runner, HARBOR_QUESTION, index_dir=tmp_path / "index", corpus=missing))
    assert str(missing) in line and "not found" in line


def test_non_utf8_files_are_read_with_a_warning(tmp_path, runner):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    western = "Applicants send their résumés to the Café Zürich office.\n\nThe office opened in 2019.\n"
    japanese = "東京の研究所は二〇一八年に開設された。\n\n研究者は四十二人です。\n"
    (corpus / "western.txt").write_bytes(western.encode("cp1252"))
    (corpus / "japanese.txt").write_bytes(japanese.encode("shift_jis"))
    index_dir = tmp_path / "index"

    result = qa_cli(runner, "index", index_dir=index_dir, corpus=corpus)
    assert result.exit_code == 0, result.output
    warnings = [line for line in result.stderr.splitlines() if "not UTF-8" in line]
    assert len(warnings) == 2
    assert any("western.txt" in w for w in warnings) and any("japanese.txt" in w for w in warnings)

    shown = qa_cli(runner, "show", "western:intro.p1", "--json", index_dir=index_dir)
    assert json.loads(shown.stdout)["text"] == "Applicants send their résumés to the Café Zürich office."
    shown = qa_cli(runner, "show", "japanese:intro.p2", "--json", index_dir=index_dir)
    assert json.loads(shown.stdout)["text"] == "研究者は四十二人です。"


def test_binary_file_is_skipped_with_a_warning(fixture_corpus, tmp_path, runner):
    (fixture_corpus / "scan.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00" * 20)
    index_dir = tmp_path / "index"
    result = ask_cli(runner, HARBOR_QUESTION, index_dir=index_dir, corpus=fixture_corpus)
    assert result.exit_code == 0, result.output
    assert "42" in result.stdout.splitlines()[0]
    assert [line for line in result.stderr.splitlines() if "scan.txt" in line and "binary" in line]
    assert "scan.txt" not in manifest(index_dir)["files"]

    built = current(index_dir)
    again = ask_cli(runner, HARBOR_QUESTION, index_dir=index_dir, corpus=fixture_corpus)
    assert again.exit_code == 0, again.output
    assert current(index_dir) == built, "a skipped file must not make every ask rebuild the index"


# --- damaged indexes ----------------------------------------------------------------------------


def truncate_vectors(index_dir):
    path = index_dir / current(index_dir) / "vectors.npy"
    path.write_bytes(path.read_bytes()[:1000])


def garble_current(index_dir):
    (index_dir / "CURRENT").write_bytes(b"\x00\xffgarbage/../\n")


@pytest.mark.parametrize("damage", [truncate_vectors, garble_current])
@pytest.mark.parametrize("command", ["ask", "show"])
def test_damaged_index_names_the_rebuild_command(index_copy, runner, damage, command):
    damage(index_copy)
    if command == "ask":
        result = ask_cli(runner, "how many TLOs are approved?", index_dir=index_copy)
    else:
        result = qa_cli(runner, "show", "s1.1.1.b.p1", index_dir=index_copy)
    assert "qa index --rebuild" in error_line(result)


def test_rebuild_repairs_a_damaged_index(fixture_corpus, tmp_path, runner):
    index_dir = tmp_path / "index"
    assert qa_cli(runner, "index", "-q", index_dir=index_dir, corpus=fixture_corpus).exit_code == 0
    truncate_vectors(index_dir)
    assert qa_cli(runner, "index", "--rebuild", "-q", index_dir=index_dir, corpus=fixture_corpus).exit_code == 0
    result = ask_cli(runner, HARBOR_QUESTION, index_dir=index_dir, corpus=fixture_corpus)
    assert result.exit_code == 0, result.output
    assert "42" in result.stdout.splitlines()[0]


def unreadable_corpus(corpus):
    for path in corpus.iterdir():
        path.write_bytes(b"\x00\x01\x02binary\x00" * 50)


def clashing_ids(corpus):
    (corpus / "harbor-lab.md").write_text("# Harbor\n\nA second file whose id is also harbor-lab.\n", encoding="utf-8")


@pytest.mark.parametrize("break_corpus", [unreadable_corpus, clashing_ids])
def test_failed_build_keeps_the_existing_index(fixture_corpus, tmp_path, runner, break_corpus):
    index_dir = tmp_path / "index"
    assert qa_cli(runner, "index", "-q", index_dir=index_dir, corpus=fixture_corpus).exit_code == 0
    live = current(index_dir)
    folders = sorted(p.name for p in index_dir.iterdir())

    break_corpus(fixture_corpus)
    error_line(qa_cli(runner, "index", "-q", index_dir=index_dir, corpus=fixture_corpus))
    assert current(index_dir) == live
    assert sorted(p.name for p in index_dir.iterdir()) == folders
    shown = qa_cli(runner, "show", "harbor-lab:intro.p1", "--json", index_dir=index_dir)
    assert shown.exit_code == 0, shown.output
    assert "42 researchers" in json.loads(shown.stdout)["text"]
