"""What long steps print on stderr: bars only on a terminal, `-q` silences all but errors,
`--verbose` says which files were parsed, reused and skipped, and why."""

from __future__ import annotations

import io

import pytest
from click.testing import CliRunner

from qa import config
from qa.cli import ask, qa
from qa.progress import Progress

GOOD = "Section 1 Harbor\n\nThe Alpha harbor lab opened with 42 researchers in 2019.\n"


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_bars_only_on_a_terminal():
    tty, log = Terminal(), io.StringIO()
    assert list(Progress(stream=tty).bar(range(3), total=3, label="embedding", unit="batch")) == [0, 1, 2]
    assert "embedding:" in tty.getvalue() and "/3 [" in tty.getvalue()
    assert list(Progress(stream=log).bar(range(3), total=3, label="embedding")) == [0, 1, 2]
    assert log.getvalue() == ""
    quiet = Terminal()
    assert list(Progress(quiet=True, stream=quiet).bar(range(3), total=3, label="x")) == [0, 1, 2]
    assert quiet.getvalue() == ""


def test_quiet_keeps_only_errors_and_verbose_adds_details():
    out = io.StringIO()
    p = Progress(quiet=True, verbose=True, stream=out)
    p.say("building"), p.warn("skipping x: looks binary"), p.detail("parsed x")
    assert out.getvalue() == "" and p.warnings == ["skipping x: looks binary"]
    p.note("the LLM server failed")  # what was asked for did not happen: said even with -q
    assert out.getvalue() == "note: the LLM server failed\n"
    out = io.StringIO()
    p = Progress(verbose=True, stream=out, messages=False)
    p.say("building"), p.warn("w"), p.detail("parsed x")
    assert out.getvalue() == "warning: w\nparsed x\n"


@pytest.fixture
def messy(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "good.txt").write_text(GOOD, encoding="utf-8")
    (corpus / "empty.md").write_text("", encoding="utf-8")
    (corpus / "image.txt").write_bytes(b"\x00\x01\x02 binary")
    return ["--corpus", str(corpus), "--index-dir", str(tmp_path / "index")]


@pytest.mark.slow
def test_quiet_index_and_ask_print_nothing_on_stderr(messy):
    config.go_offline()
    built = CliRunner().invoke(qa, ["index", "-q", *messy])
    assert built.exit_code == 0, built.output
    assert built.stderr == ""
    assert built.stdout.startswith("1 added, 0 changed, 0 removed, 0 unchanged, 2 skipped; ")
    answered = CliRunner().invoke(ask, ["-q", "How many researchers did the Alpha harbor lab open with?", *messy])
    assert answered.exit_code == 0 and answered.stderr == "" and "42" in answered.stdout


@pytest.mark.slow
def test_verbose_says_which_files_were_parsed_skipped_and_why(messy, tmp_path):
    config.go_offline()
    loud = CliRunner().invoke(qa, ["index", "-v", *messy])
    assert loud.exit_code == 0, loud.output
    lines = loud.stderr.splitlines()
    assert f"corpus: {tmp_path / 'corpus'} (flag --corpus)" in lines
    assert f"index:  {tmp_path / 'index'} (flag --index-dir)" in lines
    assert "warning: skipping image.txt: looks binary" in lines
    assert lines[-3:] == [
        "skipped  empty.md: no text in it",
        "parsed   good.txt (added): 1 paragraph in 1 section",
        "skipped  image.txt: looks binary",
    ]
    (tmp_path / "corpus" / "new.txt").write_text(GOOD.replace("Alpha", "Gamma"), encoding="utf-8")
    asked = CliRunner().invoke(ask, ["-v", "How many researchers did the Gamma harbor lab open with?", *messy])
    assert asked.exit_code == 0, asked.output
    assert asked.stderr.splitlines()[-4:] == [
        "skipped  empty.md: skipped by an earlier build, unchanged since",
        "reused   good.txt (unchanged): 1 paragraph in 1 section",
        "skipped  image.txt: skipped by an earlier build, unchanged since",
        "parsed   new.txt (added): 1 paragraph in 1 section",
    ]
    same = CliRunner().invoke(ask, ["-v", "--json", "How many researchers?", *messy])
    assert same.stderr.splitlines()[-1] == "index is up to date: no file parsed"
