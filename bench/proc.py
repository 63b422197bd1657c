"""Run one measured command: wall time, the child's own peak RSS, and the peak memory of its process tree.

`qa index` parses and embeds in worker processes, so the command's own peak (ru_maxrss from
os.wait4) is not the machine's: a sampler adds up the memory of the command and every process
below it (workers, their fork server) every 50 ms and keeps the highest sum. It adds PSS
(proportional set size, /proc/PID/smaps_rollup): pages shared between processes (libtorch's code
in two workers) count once, split between them, where a sum of RSS would count them twice.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path


@dataclass
class Run:
    seconds: float
    rss_mb: float  # the command's own peak
    tree_mb: float  # peak PSS of the command and all its descendants together
    code: int
    stdout: str
    stderr: str


def tool(name: str) -> list[str]:
    """The `ask`/`qa` console script of this interpreter's environment."""
    script = Path(sys.executable).parent / name
    if script.exists():
        return [str(script)]
    entry = {"ask": "main_ask", "qa": "main_qa"}[name]
    return [sys.executable, "-c", f"from qa.cli import {entry}; {entry}()"]


def _children(pid: int) -> list[int]:
    out = []
    try:
        for task in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{task}/children") as handle:
                out += [int(c) for c in handle.read().split()]
    except OSError:
        pass
    return out


def _pss_kb(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/smaps_rollup") as handle:
            for line in handle:
                if line.startswith("Pss:"):
                    return int(line.split()[1])
    except (OSError, ValueError, IndexError):
        pass
    try:  # no smaps_rollup: resident size
        with open(f"/proc/{pid}/statm") as handle:
            return int(handle.read().split()[1]) * (os.sysconf("SC_PAGE_SIZE") // 1024)
    except (OSError, ValueError, IndexError):
        return 0


def tree_rss_mb(pid: int) -> float:
    """Memory of `pid` and all its descendants (PSS), MB (0 where /proc is not there)."""
    total, todo, seen = 0, [pid], set()
    while todo:
        current = todo.pop()
        if current in seen:
            continue
        seen.add(current)
        total += _pss_kb(current)
        todo += _children(current)
    return total / 1024


def start(argv: list[str], env: dict[str, str], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, stdin=None):
    return subprocess.Popen(argv, stdin=stdin or subprocess.DEVNULL, stdout=stdout, stderr=stderr, env=env,
                            cwd=env.get("BENCH_CWD"))


def run(argv: list[str], env: dict[str, str], stdin: Path | None = None, timeout: float = 3600,
        check: bool = True) -> Run:
    """Run one command to its end; wall time from here, peak RSS of the child from wait4."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        handle = open(stdin, "rb") if stdin else None
        peak = [0.0]
        try:
            began = time.perf_counter()
            proc = start(argv, env, stdout=out, stderr=err, stdin=handle)
            timer = threading.Timer(timeout, proc.kill)
            timer.start()
            stop = threading.Event()

            def sample() -> None:
                while not stop.is_set():
                    peak[0] = max(peak[0], tree_rss_mb(proc.pid))
                    stop.wait(0.05)

            sampler = threading.Thread(target=sample, daemon=True)
            sampler.start()
            try:
                _, status, usage = os.wait4(proc.pid, 0)
            finally:
                timer.cancel()
                stop.set()
                sampler.join()
            seconds = time.perf_counter() - began
        finally:
            if handle:
                handle.close()
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        result = Run(seconds, usage.ru_maxrss / 1024, max(peak[0], usage.ru_maxrss / 1024), proc.returncode,
                     out.read().decode("utf-8", "replace"), err.read().decode("utf-8", "replace"))
    if check and result.code != 0:
        raise RuntimeError(f"{' '.join(argv)} exited {result.code}:\n{result.stderr[-2000:]}")
    return result
