"""Worker processes give what one process gives: the same documents, chunks, warnings (in file order), vectors.

The thresholds that keep small jobs in-process are lowered here so that tiny inputs go through
the pools.
"""

from __future__ import annotations

import numpy as np
import pytest

from qa import parallel
from qa.corpus import scan
from qa.embed import SentenceEncoder

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
    texts = [g["question"] for g in golden[:60]] + ["a much longer text " * 40]
    monkeypatch.setattr(parallel, "PARALLEL_TEXTS", 1)
    monkeypatch.setattr(parallel, "SLICE", 16)
    seen: list[int] = []
    pooled = parallel.embed_all(texts, processes=2, done=seen.append)
    assert sum(seen) == len(texts) and len(seen) == 4
    alone = SentenceEncoder(threads=1).encode(texts)
    cosines = (pooled * alone).sum(1)
    assert cosines.min() >= 0.9999, cosines.min()
    assert np.allclose(np.linalg.norm(pooled, axis=1), 1.0, atol=1e-4)
