"""Worker processes give what one process gives: the same documents, chunks, warnings (in file order), vectors.

The thresholds that keep small jobs in-process are lowered here so that tiny inputs go through
the pools.
"""

from __future__ import annotations

import numpy as np
import pytest

from qa import parallel
from qa.corpus import scan
from qa.embed import EmbedJob, SentenceEncoder

pytestmark = pytest.mark.slow


def test_parse_all_in_workers_matches_in_process(fixture_corpus, monkeypatch):
    (fixture_corpus / "empty.md").write_text("", encoding="utf-8")
    (fixture_corpus / "binary.txt").write_bytes(b"\x00\x01\x02" * 100)
    sources = scan(fixture_corpus, warn=lambda _m: None).files
    alone_warnings: list[str] = []
    alone = parallel.parse_all(sources, alone_warnings.append, processes=1)
    monkeypatch.setattr(parallel, "PARALLEL_BYTES", 0)
    pooled_warnings: list[str] = []
    pooled = parallel.parse_all(sources, pooled_warnings.append, processes=2)
    assert [d.name if d else None for d, _ in pooled] == [None, None, "harbor_lab.txt", "solar_program.md"]
    assert [(d, c) for d, c in pooled] == [(d, c) for d, c in alone]
    expected = ["skipping binary.txt: looks binary", "skipping empty.md: no text in it"]
    assert pooled_warnings == alone_warnings == expected
    assert all(chunks for document, chunks in pooled if document)


def test_embed_all_in_workers_matches_in_process(monkeypatch, golden):
    texts = [g["question"] for g in golden[:60]] + ["a much longer text. " * 40]
    jobs = [EmbedJob.alone(t) if n % 2 else EmbedJob(t) for n, t in enumerate(texts)]
    monkeypatch.setattr(parallel, "PARALLEL_TEXTS", 1)
    monkeypatch.setattr(parallel, "SLICE", 16)
    seen: list[int] = []
    pooled = parallel.embed_all(jobs, processes=2, done=seen.append)
    assert sum(seen) == len(jobs) and len(seen) == 4
    alone = SentenceEncoder(threads=1).encode_jobs(jobs)
    for job, a, b in zip(jobs, pooled, alone, strict=True):
        assert float(a.vector @ b.vector) >= 0.9999
        assert len(a.sentences) == len(job.sentences) and ((a.sentences * b.sentences).sum(1) >= 0.9999).all()
        assert abs(np.linalg.norm(a.vector) - 1.0) < 1e-4


def test_workers_exit_when_their_build_is_killed(tmp_path):
    """A build killed outright (SIGKILL, SIGTERM) leaves no worker behind holding a model."""
    import signal
    import subprocess
    import sys
    import time

    script = tmp_path / "build.py"
    script.write_text(
        "import os, signal\n"
        "from qa import parallel\n"
        "if __name__ == '__main__':\n"
        "    pool = parallel._pool(2)\n"
        "    pids = {pool.submit(os.getpid).result() for _ in range(8)}\n"
        "    print(' '.join(map(str, pids)), flush=True)\n"
        "    os.kill(os.getpid(), signal.SIGKILL)\n",
        encoding="utf-8",
    )
    out = tmp_path / "out.txt"
    with open(out, "w") as handle:  # a file, not a pipe: nothing waits for the workers to close it
        code = subprocess.run([sys.executable, str(script)], stdout=handle, timeout=120).returncode
    assert code == -signal.SIGKILL
    workers = [int(p) for p in out.read_text().split()]
    assert workers

    def alive(pid: int) -> bool:
        try:
            with open(f"/proc/{pid}/stat") as handle:
                return handle.read().split(")")[-1].split()[0] != "Z"
        except FileNotFoundError:
            return False

    deadline = time.monotonic() + 10 * parallel.WATCH_SECONDS
    while any(alive(p) for p in workers) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not any(alive(p) for p in workers), "workers outlived their build"
