"""The two heavy steps of a build in worker processes: parsing files, and embedding texts.

Parsing is mostly Python (the layout analysis over PDFium's characters), so threads would share one core;
processes use them all. `parse_all`: each worker reads a whole file, parses it into paragraphs,
cuts those into chunks and sends back the Document, its chunks and the warnings it raised (the
parent prints them in file order, so the output does not depend on which worker finished first).

`embed_all`: each worker loads the index encoder once (qa.embed.SentenceEncoder, one torch
thread) and embeds slices of the length-sorted jobs (a chunk's text and its sentences' places,
qa.embed.EmbedJob). One process per core beats one process
with a thread per core here: MiniLM's products in bfloat16 take microseconds, and a thread that
the OS pauses (the machine is shared) stalls every other thread at each of the network's ops;
separate processes never wait for each other (measured: 2 × 1 thread ≈ 360 texts/s, 1 × 2
threads 17–100 texts/s on a busy 2-core machine). The parent never imports torch.

Workers start from a fork server, not a fork of the parent: the parent may hold threads (Chroma,
torch) that a forked child must not inherit. As with any spawned Python worker, a script that
builds an index must guard its entry point (`if __name__ == "__main__":`); the `qa` and `ask`
commands do. Small jobs run in-process instead.
"""

from __future__ import annotations

import multiprocessing
import os
import threading
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool

from qa.chunk import chunk_paragraphs
from qa.corpus import Document, SourceFile, Warn, read_document
from qa.embed import Embedded, EmbedJob
from qa.embedjobs import key
from qa.records import Chunk

# Below this many bytes to parse (or with one file) starting worker processes costs more than it saves.
PARALLEL_BYTES = 1 << 20
# Below this many jobs to embed, one process does it (starting torch in a worker costs ~2 s).
PARALLEL_TEXTS = 256
# Jobs per embedding task: big enough to amortise the round trip, small enough to balance the load.
SLICE = 128
# How often a worker checks that its build is still running.
WATCH_SECONDS = 1.0
_COUNTER = None
_ENCODERS: dict = {}


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


def parse_in_worker(source: SourceFile) -> tuple[Document | None, list[Chunk], list[str]]:
    """`parse_one` in a worker, which then hands the parser's freed heap back: the same worker
    loads the model next, and a PDF's layout objects would otherwise stay resident beside it."""
    from qa.embed import release_memory

    try:
        return parse_one(source)
    finally:
        release_memory()


def parse_all(sources: list[SourceFile], warn: Warn, processes: int | None = None
              ) -> list[tuple[Document | None, list[Chunk]]]:
    """`parse_one` for every file, in the order given, on up to `processes` worker processes."""
    processes = min(processes or workers(), len(sources))
    size = sum(_size(s) for s in sources)
    if processes < 2 or size < PARALLEL_BYTES:
        results = [parse_one(s) for s in sources]
    else:
        # Biggest files first, so no worker starts a long PDF when the others are nearly done.
        order = sorted(range(len(sources)), key=lambda i: -_size(sources[i]))
        with _pool(processes) as pool:
            futures = {i: pool.submit(parse_in_worker, sources[i]) for i in order}
            results = [_result(futures[i], sources[i]) for i in range(len(sources))]
    return _warned(results, warn)


def _warned(results: list, warn: Warn) -> list[tuple[Document | None, list[Chunk]]]:
    """Print each file's warnings, in file order, and drop them from the results."""
    out = []
    for document, chunks, warnings in results:
        for message in warnings:
            warn(message)
        out.append((document, chunks))
    return out


def _pool(processes: int) -> ProcessPoolExecutor:
    from qa.embed import tame_memory

    tame_memory()  # the fork server imports torch: its caches' limits must be in the environment first
    context = multiprocessing.get_context("forkserver")
    # The server imports these once and forks workers from it; not `__main__` (the default),
    # which would run a caller's unguarded script again inside the server. torch's import leaves
    # ~140 MB of private heap in each process that makes it; made once in the server, the workers
    # share it (library build, peak PSS of the build with its workers: 1,011–1,020 MB → 957–972 MB,
    # same time). The server runs no torch op, so the workers inherit no thread pool.
    context.set_forkserver_preload(["torch", "qa.parallel"])
    return ProcessPoolExecutor(max_workers=processes, mp_context=context, initializer=_watch_parent,
                               initargs=(os.getpid(),))


def _watch_parent(parent: int) -> None:
    """Exit when the build that started this worker is gone.

    A worker's parent is the fork server, not the build: a build killed outright (SIGKILL, or
    SIGTERM, which Python does not turn into an exception) would leave its workers waiting for
    work forever, each holding a loaded model (~400 MB, measured).
    """

    def watch() -> None:
        while True:
            time.sleep(WATCH_SECONDS)
            try:
                os.kill(parent, 0)
            except (ProcessLookupError, PermissionError):  # gone (or the pid is now another user's)
                os._exit(1)

    threading.Thread(target=watch, name="qa-parent-watch", daemon=True).start()


def _encoder(precision: str):
    """This process's encoder in `precision`, loaded once."""
    if precision not in _ENCODERS:
        from qa.embed import SentenceEncoder, tame_memory

        tame_memory()
        _ENCODERS[precision] = SentenceEncoder(threads=1, precision=precision)
    return _ENCODERS[precision]


def embed_slice(jobs: list[EmbedJob], precision: str) -> list[Embedded]:
    from qa.embed import release_memory

    try:
        return _encoder(precision).encode_jobs(jobs)
    finally:
        release_memory()


def embed_all(jobs: list[EmbedJob], processes: int | None = None, done=None) -> list[Embedded]:
    """What the index encoder gives for each job (its vector and its sentences'), in order.

    `done(n)` is called as slices of n jobs finish (for a progress bar).
    """
    from qa.embed import index_precision

    precision = index_precision(len(jobs))
    out: list[Embedded | None] = [None] * len(jobs)
    # Sorted by length, so each slice (and each batch inside it) pads its texts to about their length.
    order = sorted(range(len(jobs)), key=lambda i: len(jobs[i].text))
    slices = [order[i : i + SLICE] for i in range(0, len(order), SLICE)]
    processes = min(processes or workers(), len(slices))
    if processes < 2 or len(jobs) < PARALLEL_TEXTS:
        for rows in slices:
            for i, got in zip(rows, embed_slice([jobs[i] for i in rows], precision), strict=True):
                out[i] = got
            if done:
                done(len(rows))
        return out
    with _pool(processes) as pool:
        # The longest first, so the pool does not end waiting on one long slice.
        futures = {pool.submit(embed_slice, [jobs[i] for i in rows], precision): rows for rows in reversed(slices)}
        for future in as_completed(futures):
            rows = futures[future]
            got = _slice_result(future, [jobs[i] for i in rows], precision)
            for i, result in zip(rows, got, strict=True):
                out[i] = result
            if done:
                done(len(rows))
    return out


def parse_and_embed(
    sources: list[SourceFile],
    needs: Callable[[EmbedJob], bool],
    jobs_of: Callable[[Document, list[Chunk]], list[EmbedJob]],
    warn: Warn,
    processes: int | None = None,
    done: Callable[[int], None] | None = None,
) -> tuple[list[tuple[Document | None, list[Chunk]]], list[tuple[EmbedJob, Embedded]]]:
    """Parse every file, and embed the jobs of each (`jobs_of`) that `needs` wants: one pool for both.

    Returns what `parse_all` returns and each job embedded with its result (none when the work
    is small enough for one process: the caller embeds those jobs itself). Parse tasks are
    queued first, biggest file first; once fewer files are left than workers, the new jobs
    parsed so far are queued in length-sorted slices (then those of each file still to come), so
    a worker turns to embedding as soon as no file is left for it, and no core idles while the
    last long PDF is parsed.
    """
    processes = min(processes or workers(), max(1, len(sources)))
    if processes < 2 or sum(_size(s) for s in sources) < PARALLEL_BYTES:
        return parse_all(sources, warn, processes=1), {}
    from qa.embed import index_precision

    precision = index_precision()  # a megabyte or more of files: a big job
    results: list = [None] * len(sources)
    queued: set[tuple[str, bool]] = set()
    waiting: list[EmbedJob] = []
    embeds: dict = {}
    embedded: list[tuple[EmbedJob, Embedded]] = []
    with _pool(processes) as pool:

        def submit(jobs: list[EmbedJob]) -> None:
            embeds[pool.submit(embed_slice, jobs, precision)] = jobs

        order = sorted(range(len(sources)), key=lambda i: -_size(sources[i]))
        parses = {pool.submit(parse_in_worker, sources[i]): i for i in order}
        left = len(parses)
        for future in as_completed(parses):
            i = parses[future]
            left -= 1
            results[i] = _result(future, sources[i])
            document, chunks, _ = results[i]
            if document is not None:
                for job in jobs_of(document, chunks):
                    if key(job) not in queued and needs(job):
                        queued.add(key(job))
                        waiting.append(job)
            # Jobs wait until the last files are being parsed (a worker would otherwise idle), so
            # that each slice holds texts of about one length: batches of one shape, little padding.
            if left < processes:
                waiting.sort(key=lambda job: len(job.text))
                for start in range(0, len(waiting), SLICE):
                    submit(waiting[start : start + SLICE])
                waiting = []
        for future in as_completed(embeds):
            jobs = embeds[future]
            embedded += zip(jobs, _slice_result(future, jobs, precision), strict=True)
            if done:
                done(len(jobs))
    return _warned(results, warn), embedded


def _result(future, source: SourceFile) -> tuple[Document | None, list[Chunk], list[str]]:
    """A worker's result; a worker that died (out of memory, killed) has its file parsed here instead."""
    try:
        return future.result()
    except BrokenProcessPool:
        return parse_one(source)


def _slice_result(future, jobs: list[EmbedJob], precision: str) -> list[Embedded]:
    """A worker's embedded slice; a worker that died (out of memory, killed) has its slice embedded here."""
    try:
        return future.result()
    except BrokenProcessPool:
        return embed_slice(jobs, precision)


def _size(source: SourceFile) -> int:
    try:
        return source.path.stat().st_size
    except OSError:
        return 0
