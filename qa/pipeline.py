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
from qa.errors import IndexCorrupt
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
    """An Answerer over a fresh index; builds it first when missing or older than the corpus."""
    progress = progress or Progress()
    if auto_build and corpus_dir is not None:
        from qa.index import build_index, is_stale

        try:
            stale = is_stale(corpus_dir, index_dir)
        except IndexCorrupt:
            stale = True
        if stale:
            progress.say(f"building the index in {index_dir} (first use or corpus changed) …")
            report = build_index(corpus_dir, index_dir, progress=progress, warn=warn, chroma_url=chroma_url)
            progress.say(report.summary())
    snapshot = Snapshot.open(index_dir)
    return Answerer(Retriever(snapshot, chroma_url=chroma_url))
