"""Server mode on one machine: a `chroma run` server on loopback, a team that indexes, analysts who ask.

`measure` starts the server (from the chromadb package, 127.0.0.1 only, data in the work folder,
stopped by its PID), then times, each as a new process:
- `qa index --chroma-url` of the corpus from scratch (parse, embed, upload);
- an analyst's first `ask --chroma-url` (downloads the index files once) and cold asks after it;
- asks while another process refreshes the server's index with one file changed: every ask must
  succeed, and give the answer of the generation before or the one after (never a mix or an error).
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

from bench import library
from bench.proc import Run, run, start, tool


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def chroma_server(folder: Path, env: dict[str, str]):
    """A `chroma run` on 127.0.0.1 storing in `folder`; yields its URL; stopped by PID at the end."""
    executable = Path(sys.executable).parent / "chroma"
    if not executable.exists():
        raise RuntimeError(f"no chroma CLI next to {sys.executable}")
    folder.mkdir(parents=True, exist_ok=True)
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    with open(folder / "server.log", "w") as log:
        proc = subprocess.Popen([str(executable), "run", "--path", str(folder / "db"), "--host", "127.0.0.1",
                                 "--port", str(port)], stdout=log, stderr=subprocess.STDOUT, env=env)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"{url}/api/v2/heartbeat", timeout=1) as response:
                    if response.status == 200:
                        break
            except OSError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"chroma run did not come up: {(folder / 'server.log').read_text()[-1000:]}")
            time.sleep(0.2)
        yield url
    finally:
        os.kill(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.kill(proc.pid, signal.SIGKILL)
            proc.wait(timeout=15)


def _answers(result: Run) -> list[str | None]:
    return [json.loads(line)["answer"] for line in result.stdout.splitlines() if line.strip()]


def measure(corpus: Path, edited: Path, work: Path, env: dict[str, str], asks: list[str], repeat: int,
            say=print) -> dict:
    """Server-mode figures for `corpus`; `edited` is the same corpus with one file changed."""
    team = {**env, "QA_INDEX_DIR": str(work / "team-index"), "QA_CORPUS_DIR": str(corpus)}
    analyst = {k: v for k, v in env.items() if not k.startswith("QA_")}
    analyst.update(XDG_CACHE_HOME=str(work / "analyst-cache"))
    out: dict = {}
    with chroma_server(work / "chroma-server", env) as url:
        say(f"server: qa index --chroma-url {url} from scratch")
        built = run(tool("qa") + ["index", "-q", "--chroma-url", url], team)
        out["index"] = built
        say("server: the analyst's first ask (downloads the index files)")
        out["first_ask"] = run(tool("ask") + ["--chroma-url", url, asks[0]], analyst)
        cold = []
        for n in range(repeat):
            say(f"server: cold ask ({n + 1}/{repeat})")
            cold.append(run(tool("ask") + ["--chroma-url", url, asks[(n + 1) % len(asks)]], analyst))
        out["cold_ask"] = cold
        questions = work / "server-questions.txt"
        chosen = asks[:10]
        questions.write_text("\n".join(chosen) + "\n", encoding="utf-8")
        before = _answers(run(tool("ask") + ["--json", "-q", "--chroma-url", url, "-"], analyst, stdin=questions))
        say("server: asking while another process refreshes the index (one file changed)")
        log = open(work / "server-refresh.log", "w")
        # The team's corpus with one file changed: its own copy of the team's local index folder.
        shutil.copytree(work / "team-index", work / "team-index-edited", symlinks=True)
        library.adopt(work / "team-index-edited", edited)
        refresh_env = {**team, "QA_CORPUS_DIR": str(edited), "QA_INDEX_DIR": str(work / "team-index-edited")}
        began = time.perf_counter()
        refresher = start(tool("qa") + ["index", "--chroma-url", url], refresh_env, stdout=log, stderr=log)
        during: list[tuple[Run, list[str | None]]] = []
        while refresher.poll() is None:
            result = run(tool("ask") + ["--json", "-q", "--chroma-url", url, "-"], analyst, stdin=questions,
                         check=False)
            during.append((result, _answers(result) if result.code == 0 else []))
        refresh_seconds = time.perf_counter() - began
        log.close()
        after = _answers(run(tool("ask") + ["--json", "-q", "--chroma-url", url, "-"], analyst, stdin=questions))
        errors = [r for r, _ in during if r.code != 0]
        mixed = [
            (q, got) for r, answers in during if r.code == 0
            for q, got, b, a in zip(chosen, answers, before, after, strict=False) if got not in (b, a)
        ]
        out["refresh"] = {
            "code": refresher.returncode,
            "seconds": refresh_seconds,
            "summary": (work / "server-refresh.log").read_text(encoding="utf-8").strip().splitlines()[-1:],
            "batches": len(during),
            "questions": len(during) * len(chosen),
            "errors": [r.stderr.strip().splitlines()[-1:] for r in errors],
            "inconsistent": mixed,
            "changed_answers": sum(1 for b, a in zip(before, after, strict=True) if b != a),
            "ask_seconds": [r.seconds for r, _ in during],
        }
    return out
