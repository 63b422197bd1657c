"""Open the whole question-answering pipeline for a corpus and index: build if needed, load once.

This is the library entry point the CLI, the evaluation and scripts share:

    from qa.pipeline import open_pipeline
    answerer = open_pipeline(Path("corpus"), Path("index"))
    answerer.ask("how many TLOs are approved?")
"""

from __future__ import annotations

from pathlib import Path

from qa.answer import Answerer
from qa.corpus import Warn, warn_stderr
from qa.progress import Progress
from qa.retrieve import Retriever
from qa.store import Snapshot


def open_pipeline(
    corpus_dir: Path | None,
    index_dir: Path,
    chroma_url: str | None = None,
    auto_build: bool = True,
    progress: Progress | None = None,
    warn: Warn = warn_stderr,
) -> Answerer:
    """An Answerer over a fresh index; builds it first when missing or older than the corpus.

    With `chroma_url` nothing is built: the server's current index is downloaded (once per
    generation) into `index_dir` and dense search goes to the server.
    """
    progress = progress or Progress()
    if chroma_url:
        # Server mode: only `qa index` writes to the server; ask fetches its current generation.
        from qa.index import pull_snapshot

        pull_snapshot(chroma_url, index_dir, progress)
    elif auto_build and corpus_dir is not None:
        from qa.index import build_index, is_stale

        if is_stale(corpus_dir, index_dir):  # a damaged index raises IndexCorrupt naming the fix
            progress.say(f"building the index in {index_dir} (first use or corpus changed) …")
            report = build_index(corpus_dir, index_dir, progress=progress, warn=warn, chroma_url=chroma_url)
            progress.built(report)
    snapshot = Snapshot.open(index_dir)
    return Answerer(Retriever(snapshot, chroma_url=chroma_url))
