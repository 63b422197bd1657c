"""Batch mode for scripts (issue 15.4): `ask --json -` and `ask --jsonl -` on the bundled-corpus index.

Exactly one output line per input line, in order; an unusable line gets an error object in its
place; each answer is printed as soon as it is ready (from a pipe: before the next question is
even written); Ctrl-C keeps what was printed and exits 130.
"""

from __future__ import annotations

import json
import os
import select
import signal
import subprocess
import sys

import pytest
from conftest import CORPUS_DIR, ask_cli

from qa import batch, config

TLO = "how many TLOs are approved?"
SATREPS = "How many SATREPS projects were adopted in Asia?"
LONG = "why " * 600


def lines_of(result) -> list[dict]:
    assert result.exit_code == 0, result.output
    return [json.loads(line) for line in result.stdout.splitlines()]


def test_one_line_out_per_line_in_with_errors_in_place(session_index, runner):
    stdin = "\n".join([TLO, "", "   ", LONG.strip(), SATREPS, "\x07\x1b"]) + "\n"
    out = lines_of(ask_cli(runner, "--json", "-", index_dir=session_index, stdin=stdin))
    assert len(out) == 6
    assert "34" in out[0]["answer"] and out[0]["question"] == TLO
    assert out[1] == {"question": "", "error": "the question is empty"}
    assert out[2] == {"question": "   ", "error": "the question is empty"}
    limit = config.MAX_QUESTION_CHARS
    assert out[3] == {"question": LONG.strip(),
                      "error": f"the question is {len(LONG.strip())} characters; the limit is {limit}"}
    assert "84" in out[4]["answer"]
    assert out[5] == {"question": "\x07\x1b", "error": "the question is empty"}


def test_jsonl_input_echoes_each_id(session_index, runner):
    stdin = "\n".join([
        json.dumps({"id": 7, "question": TLO}),
        json.dumps({"id": "b-2", "question": ""}),
        "not json",
        json.dumps({"question": SATREPS}),
        json.dumps([1, 2]),
        json.dumps({"id": {"k": 1}, "question": 5}),
        "",
    ]) + "\n"
    out = lines_of(ask_cli(runner, "--jsonl", "-", index_dir=session_index, stdin=stdin))
    assert len(out) == 7
    assert out[0]["id"] == 7 and list(out[0])[:2] == ["id", "question"] and "34" in out[0]["answer"]
    assert out[1] == {"id": "b-2", "question": "", "error": "the question is empty"}
    assert out[2]["id"] is None and out[2]["error"].startswith("line 3 is not JSON")
    assert out[3]["id"] is None and "84" in out[3]["answer"]
    assert out[4] == {"id": None, "question": None, "error": "line 5 is not a JSON object with an id and a question"}
    assert out[5] == {"id": {"k": 1}, "question": 5, "error": 'the object has no "question" string'}
    assert out[6] == {"id": None, "question": None, "error": "the line is empty"}


def test_jsonl_needs_stdin(session_index, runner):
    result = ask_cli(runner, "--jsonl", TLO, index_dir=session_index)
    assert result.exit_code == 2 and "--jsonl reads stdin: pass `-` as QUESTION" in result.stderr


def test_a_file_of_questions_is_embedded_a_few_at_a_time(session_index, runner, monkeypatch):
    """From a file, questions are embedded 8 at a time (never all first), and stay in order."""
    from qa import cli
    from qa.retrieve import Retriever

    calls: list[int] = []
    embed = Retriever.embed

    def counting(self, questions):
        calls.append(len(questions))
        return embed(self, questions)

    monkeypatch.setattr(Retriever, "embed", counting)
    monkeypatch.setattr(cli, "_stdin_is_file", lambda: True)
    questions = [TLO, SATREPS] * 10
    out = lines_of(ask_cli(runner, "--json", "-", index_dir=session_index, stdin="\n".join(questions) + "\n"))
    assert [o["question"] for o in out] == questions
    assert calls == [8, 8, 4]


def test_answers_are_yielded_before_later_questions_are_read():
    """The library side: a group is answered as soon as it is embedded, before more input is read."""
    read: list[int] = []

    def lines():
        for n in range(5):
            read.append(n)
            yield f"question {n}"

    answers = batch.answers(batch.read_items(lines()), lambda qs: [None] * len(qs), lambda q, v: q.upper(), 2)
    item, answer = next(answers)
    assert (item.line, answer) == (1, "QUESTION 0") and read == [0, 1]
    assert [a for _, a in answers] == ["QUESTION 1", "QUESTION 2", "QUESTION 3", "QUESTION 4"]


def _read_line(stream, timeout: float = 60) -> bytes:
    ready, _, _ = select.select([stream], [], [], timeout)
    assert ready, "no answer within the timeout"
    return stream.readline()


@pytest.mark.slow
def test_pipe_answers_stream_and_ctrl_c_keeps_them(session_index):
    """Each answer arrives while stdin is still open; SIGINT then exits 130 with every line intact."""
    # Ctrl-C's default handler, as in a terminal: a child of a background job inherits SIGINT ignored.
    code = ("import signal; signal.signal(signal.SIGINT, signal.default_int_handler); "
            "from qa.cli import main_ask; main_ask()")
    args = ["--json", "-", "--index-dir", str(session_index), "--corpus", str(CORPUS_DIR)]
    proc = subprocess.Popen([sys.executable, "-c", code, *args], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, env=dict(os.environ))
    try:
        got = []
        for question in (TLO, SATREPS):
            proc.stdin.write((question + "\n").encode())
            proc.stdin.flush()
            got.append(json.loads(_read_line(proc.stdout)))
        assert "34" in got[0]["answer"] and "84" in got[1]["answer"]
        proc.send_signal(signal.SIGINT)
        # Wait with stdin still open, so only the signal can end the batch (at the end of its input
        # a batch exits 0, which would hide a Ctrl-C that was never handled).
        proc.wait(timeout=60)
        rest, err = proc.stdout.read(), proc.stderr.read()
    finally:
        proc.kill()
    assert proc.returncode == 130, err
    assert rest == b""
    assert err.decode().strip().splitlines()[-1] == "interrupted"


def test_text_batch_separates_answers_and_reports_bad_lines(session_index, runner):
    """Without --json the answers are plain text one after another; a blank line is no mistake, a
    bad line is reported on stderr by its number."""
    stdin = "\n".join([TLO, "", LONG.strip(), SATREPS]) + "\n"
    result = ask_cli(runner, "-", index_dir=session_index, stdin=stdin)
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("34 TLOs — ") and "\n\n84 projects — " in result.stdout
    assert result.stderr.strip() == (f"error: line 3: the question is {len(LONG.strip())} characters; "
                                     f"the limit is {config.MAX_QUESTION_CHARS}; skipped")
