"""`ask --llm MODEL`: a scripted OpenAI-compatible server on loopback (a real HTTP server in a thread)
answers /v1/models and /v1/chat/completions. Replies that cite only retrieved paragraphs and state only
facts found in them are used; replies that cite a paragraph that was not retrieved, state a wrong
number, month or organisation, cite nothing or fail fall back to the extractive answer, saying why."""

from __future__ import annotations

import json
import re
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import index_small_corpus

from qa.acronyms import AcronymTable, learn
from qa.cli import ask
from qa.ingest.formats import parse_document
from qa.llm import check_reply, labels_for, normalize_url, organisations
from qa.records import Citation

pytest.importorskip("llama_index.llms.openai_like", reason="the qa[llm] extra is not installed")

TLO = (
    "As of January 1, 2021, 34 TLOs had been approved by the Ministry of Education, Culture, Sports, Science and "
    "Technology (MEXT) and the Ministry of Economy, Trade and Industry (METI)."
)
CORPUS = f"""Section 1 Licensing

❶ Technology transfer

{TLO}

MEXT also supports university patent offices with advice on licensing contracts.

❷ Startups

University startups numbered 2,905 in FY2019, the highest number so far.

Section 2 Budget

The budget for the programme was 3.5 billion yen in 2020.

Section 3 Oceans

Marine research vessels surveyed the deep sea floor near the trench.

Coral reef monitoring continued along the southern islands.

Section 4 Space

The satellite programme launched two weather satellites.

Rocket engine tests took place at the northern range.
"""
QUESTION = "how many TLOs had been approved?"
MODEL = "scripted-7b"


class Scripted:
    """What the fake model says next: a function of the user prompt, or an HTTP status to fail with."""

    def __init__(self) -> None:
        self.reply = lambda prompt: "NOT IN DOCUMENTS"
        self.status = 200
        self.requests: list[dict] = []


def make_handler(script: Scripted):
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args) -> None:
            pass

        def _send(self, status: int, payload: dict) -> None:
            body = json.dumps(payload).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def do_GET(self) -> None:
            if self.path.rstrip("/") == "/v1/models":
                self._send(200, {"object": "list", "data": [{"id": MODEL, "object": "model", "owned_by": "tests"}]})
            else:
                self._send(404, {"error": {"message": "not found"}})

        def do_POST(self) -> None:
            data = json.loads(self.rfile.read(int(self.headers.get("Content-Length", 0))) or b"{}")
            if self.path.rstrip("/") != "/v1/chat/completions":
                self._send(404, {"error": {"message": "not found"}})
                return
            script.requests.append(data)
            if script.status != 200:
                self._send(script.status, {"error": {"message": "scripted failure", "type": "server_error"}})
                return
            prompt = data["messages"][-1]["content"]
            self._send(200, {
                "id": "chatcmpl-1", "object": "chat.completion", "created": 0, "model": data.get("model", MODEL),
                "choices": [{"index": 0, "finish_reason": "stop",
                             "message": {"role": "assistant", "content": script.reply(prompt)}}],
                "usage": {"prompt_tokens": 10, "completion_tokens": 10, "total_tokens": 20},
            })

    return Handler


@pytest.fixture(scope="module")
def server():
    script = Scripted()
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), make_handler(script))
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    script.url = f"http://127.0.0.1:{httpd.server_address[1]}/v1"
    yield script
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture
def llm(server):
    server.reply = lambda prompt: "NOT IN DOCUMENTS"
    server.status = 200
    server.requests.clear()
    return server


@pytest.fixture(scope="module")
def where(tmp_path_factory):
    return index_small_corpus(tmp_path_factory.mktemp("llm"), CORPUS)


def labels_in(prompt: str) -> list[str]:
    return re.findall(r"^\[([^\]]+)\] \(", prompt, flags=re.M)


def run(where, llm, *args):
    return CliRunner().invoke(ask, ["-q", "--llm", MODEL, "--llm-url", llm.url, *args, *where])


_EXTRACTIVE: dict[tuple, dict] = {}


def extractive(where, question=QUESTION) -> dict:
    """The offline answer (`ask --json` without --llm), asked once per index and question."""
    key = (*where, question)
    if key not in _EXTRACTIVE:
        result = CliRunner().invoke(ask, ["--json", question, *where])
        assert result.exit_code == 0, result.output
        _EXTRACTIVE[key] = json.loads(result.stdout)
    return _EXTRACTIVE[key]


pytestmark = pytest.mark.slow


def test_checked_reply_is_used(where, llm):
    llm.reply = lambda prompt: "As of January 1, 2021, 34 TLOs had been approved by MEXT and METI [s1.1.p1]."
    result = run(where, llm, "--json", QUESTION)
    assert result.exit_code == 0, result.output
    assert "note:" not in result.stderr
    data = json.loads(result.stdout)
    assert list(data) == ["question", "answer", "abstained", "reason", "focus", "citations"]
    assert data["answer"] == "As of January 1, 2021, 34 TLOs had been approved by MEXT and METI [1]."
    assert data["citations"][0]["ref"] == "paper:s1.1.p1"
    # the model saw the retrieved paragraphs only, each under its ref, and a system prompt asking for citations
    [request] = llm.requests
    assert request["model"] == MODEL and request["messages"][0]["role"] == "system"
    shown = labels_in(request["messages"][-1]["content"])
    assert "s1.1.p1" in shown and 1 <= len(shown) <= 5
    retrieved = {c["ref"].split(":", 1)[1] for c in extractive(where)["citations"]}
    assert set(shown) >= retrieved


def test_human_output_says_who_wrote_the_answer(where, llm):
    llm.reply = lambda prompt: "34 TLOs had been approved [s1.1.p1]."
    result = run(where, llm, QUESTION)
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == "34 TLOs had been approved [1]."
    assert lines[1] == f"(written by {MODEL} from the cited paragraphs; refs, numbers and names checked)"
    assert "»As of January 1, 2021, 34 TLOs had been approved" in result.stdout
    md = run(where, llm, "--format", "markdown", QUESTION)
    assert md.stdout.splitlines()[0] == "34 TLOs had been approved [^1]."
    assert "[^1]: paper.txt, Section 1 › ❶ Technology transfer ¶1, p. 1 (`s1.1.p1`)" in md.stdout


def _not_retrieved(prompt: str, where) -> str:
    from qa.store import Snapshot

    shown = set(labels_in(prompt))
    snapshot = Snapshot.open(Path(where[3]))
    body = [p.ref.split(":", 1)[1] for p in snapshot.paragraphs if p.kind == "body"]
    return next(ref for ref in body if ref not in shown)


@pytest.mark.parametrize(
    ("reply", "reason"),
    [
        (None, "which is not one of the retrieved paragraphs"),  # a real paragraph that was not retrieved
        ("34 TLOs had been approved [s9.9.p9].", "the model cited s9.9.p9, which is not one of the retrieved"),
        ("35 TLOs had been approved by MEXT [s1.1.p1].", "states 35, which is not in the paragraphs it cites (s1.1"),
        ("As of March 1, 2021, 34 TLOs were approved [s1.1.p1].", "names March, which is not in the paragraphs"),
        ("34 TLOs were approved by the Ministry of Finance [s1.1.p1].", "names 'Ministry of Finance', which is not in"),
        ("34 TLOs were approved by JST [s1.1.p1].", "names 'JST', which is not in the paragraphs it cites"),
        ("34 TLOs had been approved.", "the model's reply cites no paragraph"),
        ("NOT IN DOCUMENTS", "the model found no answer in the retrieved paragraphs"),
        ("", "the model sent an empty reply"),
    ],
)
def test_unchecked_reply_falls_back_to_the_extractive_answer(where, llm, reply, reason):
    if reply is None:
        llm.reply = lambda prompt: f"34 TLOs had been approved [{_not_retrieved(prompt, where)}]."
    else:
        llm.reply = lambda prompt: reply
    result = run(where, llm, "--json", QUESTION)
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == extractive(where)  # same schema, the extractive answer
    [note] = [line for line in result.stderr.splitlines() if line.startswith("note:")]
    assert note.startswith("note: LLM answer not used: ") and reason in note
    assert note.endswith("; showing the extractive answer")
    human = run(where, llm, "--plain", QUESTION)
    head = human.stdout.split("\n\n", 1)[0].splitlines()  # the answer block, before the quoted paragraph
    assert "34 TLOs" in head[0]
    assert head[-1].startswith("note: LLM answer not used: ") and reason in head[-1]


def test_server_error_falls_back(where, llm):
    llm.status = 500
    result = run(where, llm, "--json", QUESTION)
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == extractive(where)
    assert "note: the LLM server failed (InternalServerError" in result.stderr


def test_model_not_listed_is_a_note_not_an_error(where, llm):
    llm.reply = lambda prompt: "34 TLOs had been approved [s1.1.p1]."
    result = CliRunner().invoke(ask, ["-q", "--json", "--llm", "other-model", "--llm-url", llm.url, QUESTION, *where])
    assert result.exit_code == 0, result.output
    assert f"does not list model 'other-model' (it has: {MODEL}); trying anyway" in result.stderr
    assert json.loads(result.stdout)["answer"] == "34 TLOs had been approved [1]."


def test_server_url_without_v1_or_scheme(where, llm):
    llm.reply = lambda prompt: "34 TLOs had been approved [s1.1.p1]."
    bare = llm.url.removeprefix("http://").removesuffix("/v1")
    result = CliRunner().invoke(ask, ["-q", "--json", "--llm", MODEL, "--llm-url", bare, QUESTION, *where])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["answer"] == "34 TLOs had been approved [1]."
    assert normalize_url("localhost:11434") == "http://localhost:11434/v1"
    assert normalize_url("http://h:8080/v1/") == "http://h:8080/v1"


def test_unreachable_server_is_a_clear_error(where):
    result = CliRunner().invoke(ask, ["--llm", MODEL, "--llm-url", "http://127.0.0.1:9/v1", QUESTION, *where])
    assert result.exit_code == 1
    assert "cannot reach the LLM server at http://127.0.0.1:9/v1" in result.stderr
    assert result.stdout == ""


def test_missing_extra_names_the_install_command(where, monkeypatch):
    monkeypatch.setitem(sys.modules, "llama_index.llms.openai_like", None)  # as if the extra were not installed
    result = CliRunner().invoke(ask, ["--llm", MODEL, QUESTION, *where])
    assert result.exit_code == 1
    assert result.stderr.strip() == "Error: --llm needs the optional LLM support: pip install 'qa[llm]'"


def test_default_ask_never_calls_the_model(where, llm):
    result = CliRunner().invoke(ask, ["-q", QUESTION, *where])
    assert result.exit_code == 0
    assert llm.requests == []


# --- the checks on their own ---------------------------------------------------------------------------------------


def citations_for(text: str) -> tuple[list[Citation], AcronymTable]:
    paragraphs = parse_document("paper.txt", text)
    body = [p for p in paragraphs if p.kind == "body"]
    cites = [Citation(p.ref, p.doc, p.section_path, p.number, p.page, p.text, 0.1, p.display) for p in body]
    return cites, AcronymTable(learn(paragraphs))


def test_check_reply_rules():
    cites, acronyms = citations_for(CORPUS)
    labelled = labels_for(cites)
    assert set(labelled) >= {"s1.1.p1", "s1.1.p2", "s2.p1"}
    ok = check_reply("The budget was 3.5 billion yen in 2020 [s2.p1].", labelled, acronyms)
    assert ok.ok and ok.answer == "The budget was 3.5 billion yen in 2020 [1]." and ok.cited == ("paper:s2.p1",)
    # full refs, several refs in one bracket, renumbered in order of first citation
    reply = "MEXT advises patent offices [paper:s1.1.p2]; 2,905 startups existed in FY2019 [s1.2.p1, s1.1.p2]."
    both = check_reply(reply, labelled, acronyms)
    assert both.ok and both.answer.endswith("[1]; 2,905 startups existed in FY2019 [2, 1].")
    # a fact must be in a paragraph the reply cites, not merely in one that was retrieved
    assert not check_reply("The budget was 3.5 billion yen [s1.1.p2].", labelled, acronyms).ok
    # an acronym counts for its expansion (learned from the corpus) and the reverse
    long_form = "The Ministry of Education, Culture, Sports, Science and Technology advises patent offices [s1.1.p2]."
    assert check_reply(long_form, labelled, acronyms).ok
    assert not check_reply(long_form, labelled, None).ok
    assert not check_reply("Startups numbered 2,906 [s1.2.p1].", labelled, acronyms).ok
    assert not check_reply("Startups numbered 2,905 in FY2018 [s1.2.p1].", labelled, acronyms).ok
    # a malformed ref in brackets is not waved through
    assert not check_reply("34 TLOs [s1.1.p1, p7].", labelled, acronyms).ok


def test_organisations_found_in_a_reply():
    text = "MEXT and the Japan Science and Technology Agency funded the National Institute of Advanced Research."
    found = organisations(text)
    assert "MEXT" in found
    assert any("Technology Agency" in f for f in found)
    assert any("National Institute of Advanced Research" in f for f in found)
