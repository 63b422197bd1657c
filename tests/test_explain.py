"""Every abstention names its cause: `ask --json` and `qa eval --save` carry `reason`, `ask --explain`
shows the passages, sentences and each rule's verdict (on the bundled-corpus index, in-process)."""

from __future__ import annotations

import json

from conftest import ask_cli, qa_cli

OTHER_YEAR = "How many TLOs were approved in FY2015?"
ANSWERED = "How many TLOs had been approved as of January 1, 2021?"


def test_json_abstention_names_the_rule_and_what_it_saw(session_index, runner):
    result = ask_cli(runner, "--json", OTHER_YEAR, index_dir=session_index)
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["abstained"] is True
    assert data["reason"]["rule"] == "year_mismatch"
    assert data["reason"]["detail"].startswith("asks FY2015; the best passage gives ")
    assert "FY2019" in data["reason"]["detail"]


def test_explain_shows_the_passages_and_the_veto_that_decided(session_index, runner):
    result = ask_cli(runner, "--explain", OTHER_YEAR, index_dir=session_index)
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert out.startswith("The documents do not answer this.")
    assert "Why: abstained (year_mismatch: asks FY2015; the best passage gives" in out
    assert "Passages read (5;" in out
    assert "  1. japan-st-white-paper-2021-open-innovation:s1.1.1.b.p1  score " in out
    assert "       veto  year_mismatch: asks FY2015; the passage gives" in out
    assert "       pass  ordinal_missing" in out


def test_explain_shows_the_sentences_and_every_rule_on_the_chosen_one(session_index, runner):
    result = ask_cli(runner, "--explain", ANSWERED, index_dir=session_index)
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert out.startswith("34 TLOs")
    assert "Why: answered (no rule vetoed)" in out
    assert "Candidate sentences (best first;" in out
    assert "  1. score " in out and "similarity " in out
    assert "Chosen sentence (japan-st-white-paper-2021-open-innovation:s1.1.1.b.p1):" in out
    rules = out.split("Rules on the chosen sentence:\n", 1)[1].splitlines()
    assert "  pass  span_missing" in rules and "  pass  year_not_bound" in rules
    assert all(line.startswith("  pass  ") for line in rules)


def test_explain_prints_text_only(session_index, runner):
    result = ask_cli(runner, "--explain", "--json", ANSWERED, index_dir=session_index)
    assert result.exit_code == 2
    assert "--explain prints plain text" in result.stderr


def test_eval_save_rows_carry_the_reason(session_index, runner, tmp_path):
    golden = tmp_path / "set.jsonl"
    items = [
        {"id": "a", "question": ANSWERED, "answers": ["34"], "answerable": True, "kind": "number", "split": "dev"},
        {"id": "u", "question": OTHER_YEAR, "answers": [], "answerable": False, "kind": "number", "split": "dev"},
    ]
    golden.write_text("".join(json.dumps(i) + "\n" for i in items), encoding="utf-8")
    saved = tmp_path / "rows.jsonl"
    result = qa_cli(runner, "eval", str(golden), "-q", "--json", "--save", str(saved), index_dir=session_index)
    assert result.exit_code == 0, result.output
    rows = {r["id"]: r for r in map(json.loads, saved.read_text(encoding="utf-8").splitlines())}
    assert rows["a"]["reason"] is None
    assert rows["u"]["reason"]["rule"] == "year_mismatch"


def test_nothing_retrieved_is_a_reason_of_its_own(session_index):
    from qa.pipeline import open_pipeline
    from qa.question import analyse

    answerer = open_pipeline(None, session_index, auto_build=False)
    q = analyse(OTHER_YEAR)
    reason = answerer._answer(q, answerer._term_weights(q), [], 5, answerer.retriever.embed([q.text])[0], None)
    assert reason.rule == "nothing_retrieved"
