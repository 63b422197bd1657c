"""Parse and chunk corpus files in parallel worker processes, one whole file per task.

Parsing is pure Python (pypdf's layout extraction above all), so threads would share one core;
processes use them all. Each worker reads a file, parses it into paragraphs and cuts those into
chunks, and sends back the Document, its chunks and the warnings it raised (the parent prints
them in file order, so the output does not depend on which worker finished first). Workers
start from a fork server, not a fork of the parent: the parent may hold threads (Chroma, torch)
that a forked child must not inherit. A build with little to parse runs in-process instead.
"""

from __future__ import annotations

import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool

from qa.chunk import chunk_paragraphs
from qa.corpus import Document, SourceFile, Warn, read_document
from qa.records import Chunk

# Below this many bytes to parse (or with one file) starting worker processes costs more than it saves.
PARALLEL_BYTES = 1 << 20
_COUNTER = None


def workers() -> int:
    """Worker processes for a build: one per CPU this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not Linux
        return max(1, os.cpu_count() or 1)


def _count(text: str) -> int:
    global _COUNTER
    if _COUNTER is None:
        from qa.embed import TokenCounter

        _COUNTER = TokenCounter()
    return _COUNTER(text)


def parse_one(source: SourceFile) -> tuple[Document | None, list[Chunk], list[str]]:
    """Read, parse and chunk one file; warnings are returned, not printed."""
    warnings: list[str] = []
    document = read_document(source, warnings.append)
    chunks = chunk_paragraphs(document.paragraphs, _count) if document else []
    return document, chunks, warnings


def parse_all(sources: list[SourceFile], warn: Warn, processes: int | None = None
              ) -> list[tuple[Document | None, list[Chunk]]]:
    """`parse_one` for every file, in the order given, on up to `processes` worker processes."""
    processes = min(processes or workers(), len(sources))
    size = sum(_size(s) for s in sources)
    if processes < 2 or size < PARALLEL_BYTES:
        results = [parse_one(s) for s in sources]
    else:
        context = multiprocessing.get_context("forkserver")
        # Biggest files first, so no worker starts a long PDF when the others are nearly done.
        order = sorted(range(len(sources)), key=lambda i: -_size(sources[i]))
        with ProcessPoolExecutor(max_workers=processes, mp_context=context) as pool:
            futures = {i: pool.submit(parse_one, sources[i]) for i in order}
            results = [_result(futures[i], sources[i]) for i in range(len(sources))]
    out = []
    for document, chunks, warnings in results:
        for message in warnings:
            warn(message)
        out.append((document, chunks))
    return out


def _result(future, source: SourceFile) -> tuple[Document | None, list[Chunk], list[str]]:
    """A worker's result; a worker that died (out of memory, killed) has its file parsed here instead."""
    try:
        return future.result()
    except BrokenProcessPool:
        return parse_one(source)


def _size(source: SourceFile) -> int:
    try:
        return source.path.stat().st_size
    except OSError:
        return 0
