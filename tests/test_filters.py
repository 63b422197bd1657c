"""`ask --doc NAME` and `ask --section PREFIX` restrict retrieval — BM25, the local dense search, the
Chroma store and a real Chroma server alike — and an unknown filter is a clear error (exit 1)."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from click.testing import CliRunner

from qa import config
from qa.cli import ask, qa

ALPHA = """Section 1 Licensing

❶ Technology transfer

As of January 1, 2021, 34 TLOs had been approved by the ministries.

❷ Licensing income

The TLOs earned 1.2 billion yen in licensing income in FY2019.

Section 2 Regional programmes

❶ Regional TLOs

In the regions, 9 TLOs had been approved for regional universities by 2020.

Section 3 Budget

The budget for TLO support was 3.5 billion yen in 2020.
"""

BETA = """# Beta region

In the beta region, 12 TLOs had been approved by the regional council.

# Beta budget

The beta council spent 40 million yen on TLO support.
"""

QUESTION = "how many TLOs had been approved?"

pytestmark = pytest.mark.slow


def write_corpus(folder):
    folder.mkdir(parents=True)
    (folder / "alpha.txt").write_text(ALPHA, encoding="utf-8")
    (folder / "beta.md").write_text(BETA, encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def where(tmp_path_factory):
    config.go_offline()
    root = tmp_path_factory.mktemp("filters")
    corpus = write_corpus(root / "corpus")
    args = ["--corpus", str(corpus), "--index-dir", str(root / "index")]
    built = CliRunner().invoke(qa, ["index", "-q", *args])
    assert built.exit_code == 0, built.output
    return args


def ask_json(where, *args, stdin=None):
    result = CliRunner().invoke(ask, ["--json", *args, *where], input=stdin)
    assert result.exit_code == 0, result.output
    return [json.loads(line) for line in result.stdout.splitlines()]


def test_unfiltered_ask_keeps_to_the_best_document_and_names_it(where):
    """Both documents count TLOs; unfiltered, the answer keeps to the best hit's document (`focus`)."""
    [answer] = ask_json(where, QUESTION)
    assert answer["focus"] in {"alpha", "beta"}
    assert {c["doc"] for c in answer["citations"]} == {answer["focus"]}


@pytest.mark.parametrize("doc", ["beta", "beta.md", "BETA"])
def test_doc_filter_cites_only_that_document(where, doc):
    [answer] = ask_json(where, "--doc", doc, QUESTION)
    assert answer["citations"] and {c["doc"] for c in answer["citations"]} == {"beta"}
    assert not answer["abstained"] and "12" in answer["answer"]


def test_doc_filter_by_file_name(where):
    [answer] = ask_json(where, "--doc", "alpha.txt", QUESTION)
    assert {c["doc"] for c in answer["citations"]} == {"alpha"}


def test_section_filter_cites_only_that_section(where):
    [answer] = ask_json(where, "--section", "Section 2", QUESTION)
    assert answer["citations"]
    assert all(c["section"].startswith("Section 2 Regional programmes") for c in answer["citations"])
    assert "9" in answer["answer"]


def test_section_filter_with_a_deeper_prefix(where):
    [answer] = ask_json(where, "--section", "Section 1 > ❷", "how much licensing income did TLOs earn?")
    assert answer["citations"]
    assert all(c["section"] == "Section 1 Licensing > ❷ Licensing income" for c in answer["citations"])
    assert "1.2 billion yen" in answer["answer"]


def test_doc_and_section_together(where):
    [answer] = ask_json(where, "--doc", "beta", "--section", "Beta budget", "how much was spent on TLO support?")
    assert {c["ref"] for c in answer["citations"]} == {"beta:s2.p1"}
    assert "40 million yen" in answer["answer"]


def test_batch_questions_keep_the_filter(where):
    answers = ask_json(where, "--doc", "beta", "-", stdin=f"{QUESTION}\nwhat did the beta council spend?\n")
    assert len(answers) == 2
    assert all(c["doc"] == "beta" for a in answers for c in a["citations"])


def test_unknown_doc_is_an_error_not_an_abstention(where):
    result = CliRunner().invoke(ask, ["--doc", "gamma", QUESTION, *where])
    assert result.exit_code == 1
    assert result.stdout == ""
    assert "no document 'gamma' in the index; documents: alpha (alpha.txt), beta (beta.md)" in result.stderr


def test_unknown_section_is_an_error_not_an_abstention(where):
    result = CliRunner().invoke(ask, ["--section", "Section 9", QUESTION, *where])
    assert result.exit_code == 1
    assert result.stdout == ""
    assert "no section matches 'Section 9'" in result.stderr
    assert "Section 1, Section 2, Section 3" in result.stderr
    combined = CliRunner().invoke(ask, ["--doc", "beta", "--section", "Section 2", QUESTION, *where])
    assert combined.exit_code == 1
    assert "no section of 'beta' matches 'Section 2'" in combined.stderr


def test_chroma_store_applies_the_ref_filter(where):
    """The Chroma collection itself honours the metadata filter the retriever passes in server mode."""
    from qa import chroma
    from qa.embed import MiniLM
    from qa.retrieve import Retriever
    from qa.store import Snapshot

    snapshot = Snapshot.open(Path(where[3]))
    retriever = Retriever(snapshot)
    mask = retriever.allowed("beta", None)
    refs = sorted({snapshot.chunks[i].ref for i, keep in enumerate(mask) if keep})
    assert refs == ["beta:s1.p1", "beta:s2.p1"]
    vector = MiniLM().encode([QUESTION])[0]
    everything = chroma.query(vector, 10, path=snapshot.folder / "chroma")
    assert {cid.split(":")[0] for cid, _ in everything} == {"alpha", "beta"}
    filtered = chroma.query(vector, 10, path=snapshot.folder / "chroma", refs=refs)
    assert filtered and {cid.split("#")[0] for cid, _ in filtered} <= set(refs)


# --- a real Chroma server (`chroma run`), as with --chroma-url ------------------------------------------------


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def chroma_server(tmp_path_factory):
    exe = shutil.which("chroma") or shutil.which("chroma", path=str(Path(sys.executable).parent))
    if not exe:
        pytest.skip("the `chroma` command (chromadb's server) is not installed")
    port = _free_port()
    data = tmp_path_factory.mktemp("chroma-server")
    env = dict(os.environ, ANONYMIZED_TELEMETRY="False")
    log = open(data / "server.log", "wb")
    server = subprocess.Popen([exe, "run", "--path", str(data / "db"), "--host", "127.0.0.1", "--port", str(port)],
                              stdout=log, stderr=subprocess.STDOUT, env=env)
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(120):
            try:
                urllib.request.urlopen(f"{url}/api/v2/heartbeat", timeout=1).read()
                break
            except OSError:
                if server.poll() is not None:
                    pytest.skip("`chroma run` exited: " + (data / "server.log").read_text(errors="replace")[-500:])
                time.sleep(0.25)
        else:
            pytest.skip("`chroma run` did not come up within 30 s")
        yield url
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
        log.close()


def test_filters_in_chroma_server_mode(chroma_server, tmp_path):
    corpus = write_corpus(tmp_path / "corpus")
    args = ["--corpus", str(corpus), "--index-dir", str(tmp_path / "index"), "--chroma-url", chroma_server]
    built = CliRunner().invoke(qa, ["index", "-q", *args])
    assert built.exit_code == 0, built.output
    [answer] = ask_json(args, "--doc", "beta", QUESTION)
    assert answer["citations"] and {c["doc"] for c in answer["citations"]} == {"beta"}
    assert "12" in answer["answer"]
    [answer] = ask_json(args, "--section", "Section 2", QUESTION)
    assert all(c["section"].startswith("Section 2") for c in answer["citations"])
    missing = CliRunner().invoke(ask, ["--doc", "gamma", QUESTION, *args])
    assert missing.exit_code == 1 and "no document 'gamma'" in missing.stderr
