"""`ask` on the bundled-corpus index: human output, --json, batch mode, -k, abstention, bad arguments."""

from __future__ import annotations

import json

import pytest
from conftest import TLO_REF, TLO_SECTION, ask_cli, error_line, qa_cli

CITATION_KEYS = {"ref", "doc", "section", "paragraph", "page", "text", "score"}
UNANSWERABLE = "What was the budget of the Mars colonization program in FY2015?"


def test_ask_answers_with_the_tlo_citation(session_index, runner):
    result = ask_cli(runner, "how many TLOs are approved?", index_dir=session_index)
    assert result.exit_code == 0, result.output
    answer = result.stdout.strip().splitlines()[0]
    assert "34" in answer
    assert "B. Activities of the Technology Licensing Organization (TLO) ¶1" in result.stdout
    assert "Traceback" not in result.output


def test_ask_json_shape(session_index, runner):
    result = ask_cli(runner, "--json", "how many TLOs are approved?", index_dir=session_index)
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert set(data) == {"question", "answer", "abstained", "reason", "focus", "citations"}
    assert data["reason"] is None
    assert data["question"] == "how many TLOs are approved?"
    assert data["abstained"] is False
    assert "34" in data["answer"]
    assert 1 <= len(data["citations"]) <= 5
    for citation in data["citations"]:
        assert set(citation) == CITATION_KEYS
        assert isinstance(citation["score"], float)
        assert isinstance(citation["paragraph"], int) and isinstance(citation["page"], int)
    first = data["citations"][0]
    assert first["ref"] == TLO_REF
    assert first["section"] == " > ".join(TLO_SECTION)
    assert (first["paragraph"], first["page"]) == (1, 2)
    assert first["text"].startswith("As of January 1, 2021, 34 TLOs had been approved")


def test_batch_json_from_stdin_keeps_order(session_index, runner):
    questions = [
        "how many TLOs are approved?",
        "When did MEXT establish the research support service/partnership authorization system?",
        "How many SATREPS projects were adopted in Asia?",
    ]
    result = ask_cli(runner, "--json", "-", index_dir=session_index, stdin="\n".join(questions) + "\n")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert len(lines) == 3
    answers = [json.loads(line) for line in lines]
    assert [a["question"] for a in answers] == questions
    assert "34" in answers[0]["answer"]
    assert "October 2019" in answers[1]["answer"]
    assert "84" in answers[2]["answer"]


def test_top_k_limits_citations(session_index, runner):
    result = ask_cli(runner, "--json", "-k", "2", "how many TLOs are approved?", index_dir=session_index)
    assert result.exit_code == 0, result.output
    citations = json.loads(result.stdout)["citations"]
    assert 1 <= len(citations) <= 2
    assert citations[0]["ref"] == TLO_REF


def test_unanswerable_question_abstains(session_index, runner):
    result = ask_cli(runner, "--json", UNANSWERABLE, index_dir=session_index)
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["abstained"] is True
    assert data["answer"] is None


@pytest.mark.parametrize("question", ["", "   ", "\t\n"])
def test_empty_question_is_a_usage_error(session_index, runner, question):
    line = error_line(ask_cli(runner, question, index_dir=session_index), exit_code=2)
    assert "empty" in line


@pytest.mark.parametrize("k", ["0", "-1"])
def test_top_k_below_one_is_a_usage_error(session_index, runner, k):
    line = error_line(ask_cli(runner, "-k", k, "how many TLOs are approved?", index_dir=session_index), exit_code=2)
    assert "top-k" in line


def test_missing_question_is_a_usage_error(session_index, runner):
    error_line(ask_cli(runner, index_dir=session_index), exit_code=2)


def test_show_without_an_index_is_a_one_line_error(runner, tmp_path):
    line = error_line(qa_cli(runner, "show", "s1.1.1.b.p1", index_dir=tmp_path / "no-index"))
    assert "qa index" in line


def test_every_command_has_help(runner):
    from qa.cli import ask, qa

    assert runner.invoke(ask, ["--help"]).exit_code == 0
    for name, command in qa.commands.items():
        assert command.help, name
        result = runner.invoke(qa, [name, "--help"])
        assert result.exit_code == 0 and "Usage:" in result.stdout, name
