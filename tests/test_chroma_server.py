"""Chroma server mode against a real `chroma run` server: a team indexes once, analysts ask with the URL.

The server comes from the chromadb package (the `chroma` CLI next to this Python), listens on a
free local port, stores into a temporary folder, and is stopped by its PID.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest
from conftest import answer_of, tlo_excerpt

from qa import chroma, config

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench.server import chroma_server, free_port  # noqa: E402

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
TLO = "how many TLOs are approved?"
VALID_NAME = re.compile(r"^[a-zA-Z0-9][a-zA-Z0-9._-]{1,510}[a-zA-Z0-9]$")


def env(tmp: Path, **extra: str) -> dict[str, str]:
    out = {k: v for k, v in os.environ.items() if not k.startswith("QA_")}
    out.update(XDG_CACHE_HOME=str(tmp / "cache"), HF_HUB_OFFLINE="1", TRANSFORMERS_OFFLINE="1",
               ANONYMIZED_TELEMETRY="False")
    out.update(extra)
    return out


def run(tool: str, *args: str, tmp: Path, **extra: str) -> subprocess.CompletedProcess:
    tmp.mkdir(parents=True, exist_ok=True)
    return subprocess.run([str(BIN / tool), *args], cwd=tmp, env=env(tmp, **extra), capture_output=True, text=True,
                          timeout=300)






def one_line_error(result: subprocess.CompletedProcess, needle: str) -> None:
    assert result.returncode == 1, (result.stdout, result.stderr)
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and needle in lines[0], lines


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """A `chroma run` on loopback for this module (the benchmark's own launcher, bench/server.py)."""
    if not (BIN / "chroma").exists():
        pytest.skip(f"no chroma CLI next to {sys.executable}")
    folder = tmp_path_factory.mktemp("chroma-server")
    try:
        running = chroma_server(folder, env(folder))
        url = running.__enter__()
    except RuntimeError as err:
        pytest.fail(str(err))
    try:
        yield url
    finally:
        running.__exit__(None, None, None)


def server_state(url: str) -> tuple[dict, list[str]]:
    client = chroma.open_client(url=url)
    pointer = client.get_collection(chroma.base_name())
    return dict(pointer.metadata or {}), sorted(c.name for c in client.list_collections())


def test_team_indexes_once_and_analysts_ask_with_only_the_url(server, tmp_path):
    analyst = tmp_path / "analyst"
    # Before anyone indexed: a clear error naming the fix.
    one_line_error(run("ask", "-q", "--chroma-url", server, TLO, tmp=analyst), "has no qa index yet")

    team = tmp_path / "team"
    (team / "corpus").mkdir(parents=True)
    (team / "corpus" / "excerpt.txt").write_text(tlo_excerpt(), encoding="utf-8")
    where = ["--corpus", str(team / "corpus"), "--index-dir", str(team / "index")]
    built = run("qa", "index", "--chroma-url", server, *where, tmp=team)
    assert built.returncode == 0, built.stderr
    assert built.stdout.startswith("1 added, 0 changed, 0 removed, 0 unchanged, 0 skipped;"), built.stdout
    first = (team / "index" / "CURRENT").read_text().strip()
    meta, names = server_state(server)
    assert meta[chroma.POINTER_KEY] == first
    assert chroma.vectors_name(first) in names and chroma.files_name(first) in names
    chunks = len((team / "index" / first / "chunks.jsonl").read_text().splitlines())
    assert chroma.open_client(url=server).get_collection(chroma.vectors_name(first)).count() == chunks
    assert not (team / "index" / first / "chroma").exists(), "server mode keeps no local Chroma store"

    # An analyst with only the URL (no corpus, no index, outside the project): downloads once, answers.
    fetched = run("ask", "--json", "--chroma-url", server, TLO, tmp=analyst)
    assert "34" in answer_of(fetched)["answer"]
    cached = analyst / "cache" / "qa" / "servers" / f"127.0.0.1-{server.rsplit(':', 1)[1]}"
    assert (cached / "CURRENT").read_text().strip() == first
    stamp = (cached / first / "manifest.json").stat()
    again = run("ask", "--json", TLO, tmp=analyst, QA_CHROMA_URL=server)
    assert "34" in answer_of(again)["answer"]
    after = (cached / first / "manifest.json").stat()
    assert (after.st_ino, after.st_mtime_ns) == (stamp.st_ino, stamp.st_mtime_ns), "downloaded twice"
    listed = run("qa", "sources", "--chroma-url", server, tmp=analyst)  # read-only commands read the same copy
    assert listed.returncode == 0 and listed.stdout.startswith("excerpt  (excerpt.txt; "), listed.stderr
    assert run("qa", "show", "s1.1.1.b.p1", tmp=analyst, QA_CHROMA_URL=server).returncode == 0

    # The team refreshes from another machine: the server's index is the starting point, so only the
    # new file is embedded; analysts pick the new generation up on their next question.
    other = tmp_path / "other"
    (other / "corpus").mkdir(parents=True)
    (other / "corpus" / "excerpt.txt").write_text(tlo_excerpt(), encoding="utf-8")
    (other / "corpus" / "kiwi.txt").write_text("Section 1 Kiwi fund\n\nThe kiwi fund pays 77 yen to each member.\n",
                                               encoding="utf-8")
    where_other = ["--corpus", str(other / "corpus"), "--index-dir", str(other / "index")]
    refreshed = run("qa", "index", "--chroma-url", server, *where_other, tmp=other)
    assert refreshed.returncode == 0, refreshed.stderr
    assert refreshed.stdout.startswith("1 added, 0 changed, 0 removed, 1 unchanged, 0 skipped;"), refreshed.stdout
    assert "embedded 1 chunk and" in refreshed.stdout
    second = (other / "index" / "CURRENT").read_text().strip()
    meta, _ = server_state(server)
    assert meta[chroma.POINTER_KEY] == second and meta[chroma.PREVIOUS_KEY] == first
    kiwi = answer_of(run("ask", "--json", "-q", "--chroma-url", server, "how many yen does the kiwi fund pay?",
                         tmp=analyst))
    assert kiwi["answer"] and "77" in kiwi["answer"]
    assert "34" in answer_of(run("ask", "--json", "-q", "--chroma-url", server, TLO, tmp=analyst))["answer"]

    # Up to date: nothing is uploaded again. A third generation prunes the first one.
    same = run("qa", "index", "--chroma-url", server, *where_other, tmp=other)
    assert same.stdout.startswith("index is up to date"), (same.stdout, same.stderr)
    (other / "corpus" / "kiwi.txt").unlink()
    third = run("qa", "index", "--chroma-url", server, *where_other, tmp=other)
    assert third.stdout.startswith("0 added, 0 changed, 1 removed, 1 unchanged, 0 skipped;"), third.stdout
    meta, names = server_state(server)
    current = meta[chroma.POINTER_KEY]
    assert meta[chroma.PREVIOUS_KEY] == second
    ours = [n for n in names if n.startswith(chroma.base_name() + ".")]
    assert sorted(ours) == sorted([chroma.vectors_name(g) for g in (second, current)]
                                  + [chroma.files_name(g) for g in (second, current)])
    assert "34" in answer_of(run("ask", "--json", "-q", "--chroma-url", server, TLO, tmp=analyst))["answer"]


def test_killed_publish_leaves_the_server_index_usable(server, tmp_path):
    team = tmp_path / "team"
    (team / "corpus").mkdir(parents=True)
    (team / "corpus" / "excerpt.txt").write_text(tlo_excerpt(), encoding="utf-8")
    where = ["--corpus", str(team / "corpus"), "--index-dir", str(team / "index")]
    assert run("qa", "index", "--chroma-url", server, *where, tmp=team).returncode == 0
    before, _ = server_state(server)
    log = tmp_path / "publish.log"
    with open(log, "w") as handle:
        proc = subprocess.Popen([str(BIN / "qa"), "index", "--rebuild", "--chroma-url", server, *where],
                                cwd=team, env=env(team), stdout=handle, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 120
    while proc.poll() is None and "uploading" not in log.read_text() and time.monotonic() < deadline:
        time.sleep(0.005)
    killed = proc.poll() is None
    if killed:
        proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=60)
    after, _ = server_state(server)
    if killed:
        assert after[chroma.POINTER_KEY] == before[chroma.POINTER_KEY]
    answer = run("ask", "--json", "-q", "--chroma-url", server, TLO, tmp=tmp_path / "analyst")
    assert "34" in answer_of(answer)["answer"]


def test_server_down_is_one_clear_line(tmp_path):
    dead = f"http://127.0.0.1:{free_port()}"
    (tmp_path / "corpus").mkdir()
    (tmp_path / "corpus" / "excerpt.txt").write_text(tlo_excerpt(), encoding="utf-8")
    where = ["--corpus", str(tmp_path / "corpus"), "--index-dir", str(tmp_path / "index")]
    one_line_error(run("ask", "-q", "--chroma-url", dead, TLO, *where, tmp=tmp_path),
                   f"cannot reach the Chroma server at {dead}")
    one_line_error(run("qa", "index", "-q", *where, tmp=tmp_path, QA_CHROMA_URL=dead),
                   f"cannot reach the Chroma server at {dead}")
    assert not (tmp_path / "index" / "CURRENT").exists()
    bad = run("ask", "-q", "--chroma-url", "http://:abc", TLO, *where, tmp=tmp_path)
    assert bad.returncode == 2 and "Traceback" not in bad.stderr, bad.stderr  # a bad argument: a usage error
    assert "Error: Invalid value for '--chroma-url': not a Chroma server URL" in bad.stderr


@pytest.mark.parametrize("model", ["all-MiniLM-L6-v2", "x", "a" * 600, "../weird model/名前!!", "-" * 40])
def test_collection_names_are_valid(model):
    name = config.collection_name(model=model)
    generation = "gen-12345-1795737589476"
    for candidate in (chroma.safe_name(name), chroma.safe_name(name, generation),
                      chroma.safe_name(name, generation, chroma.FILES_SUFFIX)):
        assert 3 <= len(candidate) <= 512 and VALID_NAME.match(candidate), candidate
    long = chroma.safe_name(name, generation, chroma.FILES_SUFFIX)
    assert long.endswith(f"{generation}.{chroma.FILES_SUFFIX}"), "the generation part survives shortening"


def test_long_names_are_accepted_by_the_server(server):
    base = config.collection_name(model="m" * 700)
    names = [chroma.safe_name(base), chroma.safe_name(base, "gen-99999-1795737589476", chroma.FILES_SUFFIX)]
    assert names[1].startswith(names[0] + "."), "all names of one index share the base"
    client = chroma.open_client(url=server)
    for name in names:
        client.create_collection(name, embedding_function=None)
    assert set(names) <= {c.name for c in client.list_collections()}
    for name in names:
        client.delete_collection(name)


def test_asks_while_another_process_refreshes_the_server_index(server, tmp_path):
    """Analysts keep asking while the team publishes a new generation: no errors, and every answer
    is the one before or the one after (here the asked fact does not change, so always 34)."""
    team = tmp_path / "team"
    (team / "corpus").mkdir(parents=True)
    (team / "corpus" / "excerpt.txt").write_text(tlo_excerpt(), encoding="utf-8")
    where = ["--corpus", str(team / "corpus"), "--index-dir", str(team / "index")]
    assert run("qa", "index", "-q", "--chroma-url", server, *where, tmp=team).returncode == 0
    analyst = tmp_path / "analyst"
    assert "34" in answer_of(run("ask", "--json", "-q", "--chroma-url", server, TLO, tmp=analyst))["answer"]
    before, _ = server_state(server)
    (team / "corpus" / "kiwi.txt").write_text("Section 1 Kiwi fund\n\nThe kiwi fund pays 77 yen to each member.\n",
                                              encoding="utf-8")
    log = open(tmp_path / "refresh.log", "w")
    refresher = subprocess.Popen([str(BIN / "qa"), "index", "--chroma-url", server, *where], cwd=team, env=env(team),
                                 stdout=log, stderr=subprocess.STDOUT)
    answers = []
    try:
        while refresher.poll() is None or not answers:
            result = run("ask", "--json", "-q", "--chroma-url", server, TLO, tmp=analyst)
            answers.append(answer_of(result)["answer"])
    finally:
        refresher.wait(timeout=300)
        log.close()
    assert refresher.returncode == 0, (tmp_path / "refresh.log").read_text()
    assert all("34" in a for a in answers), answers
    after, _ = server_state(server)
    assert after[chroma.POINTER_KEY] != before[chroma.POINTER_KEY]
    kiwi = answer_of(run("ask", "--json", "-q", "--chroma-url", server, "how many yen does the kiwi fund pay?",
                         tmp=analyst))
    assert "77" in kiwi["answer"]


def test_server_mode_searches_only_the_newest_version(server, tmp_path):
    """Earlier versions are left out of the server's dense search too (a `$nin` filter on the doc)."""
    team = tmp_path / "team"
    (team / "corpus").mkdir(parents=True)
    report = ("# Kiwi Fund Report\n\nUpdated {date}\n\nReport KF7\n\n## Pay\n\n"
              "The kiwi fund pays {yen} yen to each member.\n")
    (team / "corpus" / "KF7.1.md").write_text(report.format(date="May 1, 2024", yen="70"), encoding="utf-8")
    (team / "corpus" / "KF7.2.md").write_text(report.format(date="May 1, 2025", yen="77"), encoding="utf-8")
    where = ["--corpus", str(team / "corpus"), "--index-dir", str(team / "index")]
    assert run("qa", "index", "-q", "--chroma-url", server, *where, tmp=team).returncode == 0
    got = answer_of(run("ask", "--json", "-q", "--chroma-url", server, "how many yen does the kiwi fund pay?",
                        tmp=tmp_path / "analyst"))
    assert "77" in got["answer"] and {c["doc"] for c in got["citations"]} == {"kf7-2"}
    assert got["versions"]["note"] == "KF7.2 (May 2025; an earlier version, KF7.1, says otherwise: 70 yen)"
    hits = chroma.query(np.ones(384, dtype=np.float32) / np.sqrt(384), 10, url=server, exclude_docs=["kf7-2"])
    assert hits and all(chunk.startswith("kf7-1:") for chunk, _ in hits)
