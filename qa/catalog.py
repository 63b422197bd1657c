"""`qa indexes`: every index this user has, with its corpus, counts, size and age; prune the orphans.

The indexes listed are the folders under the data folder (`$XDG_DATA_HOME/qa/indexes/`) and the
bundled project's `index/`. An index in a folder chosen with --index-dir elsewhere is not known
here. Pruning removes only folders under the data folder whose recorded corpus no longer exists,
each under its build lock (one being built is left alone).
"""

from __future__ import annotations

import shutil
import time
from dataclasses import dataclass
from pathlib import Path

from qa import counts, locations
from qa.errors import IndexLocked, QAError


@dataclass
class IndexInfo:
    path: Path
    corpus: Path | None
    counts: counts.Counts | None
    bytes: int
    built: float | None  # when the live generation was switched in (epoch seconds)
    problem: str = ""

    @property
    def corpus_gone(self) -> bool:
        return self.corpus is not None and not self.corpus.is_dir()

    @property
    def prunable(self) -> bool:
        return self.corpus_gone and self.path.parent == locations.indexes_dir()

    def to_json(self) -> dict:
        return {
            "index": str(self.path),
            "corpus": str(self.corpus) if self.corpus else None,
            "corpus_exists": not self.corpus_gone if self.corpus else None,
            **(self.counts.to_json() if self.counts else {}),
            "bytes": self.bytes,
            "built": time.strftime("%Y-%m-%dT%H:%M:%S%z", time.localtime(self.built)) if self.built else None,
            "problem": self.problem or None,
        }


def index_folders() -> list[Path]:
    folders = []
    root = locations.indexes_dir()
    if root.is_dir():
        folders = sorted(p for p in root.iterdir() if p.is_dir() and not p.name.startswith("."))
    bundled = locations.bundled_corpus()
    if bundled is not None and (project := locations.index_for(bundled)).is_dir():
        folders.insert(0, project)
    return folders


def _size(folder: Path) -> int:
    total = 0
    for path in folder.rglob("*"):
        try:
            if path.is_file() and not path.is_symlink():
                total += path.stat().st_size
        except OSError:
            continue
    return total


def describe(folder: Path) -> IndexInfo:
    from qa.store import open_generation

    corpus = locations.recorded_corpus(folder)
    bundled = locations.bundled_corpus()
    if corpus is None and bundled is not None and locations.index_for(bundled) == folder:
        corpus = bundled.resolve()
    info = IndexInfo(folder, corpus, None, _size(folder), None)
    try:
        opened = open_generation(folder)
        if opened is None:
            info.problem = "no build yet"
        else:
            info.counts = counts.of_generation(*opened)
            info.built = (folder / "CURRENT").stat().st_mtime
    except (QAError, OSError) as err:
        info.problem = str(err).split(";")[0]
    return info


def list_indexes() -> list[IndexInfo]:
    return [describe(folder) for folder in index_folders()]


def prune(infos: list[IndexInfo]) -> tuple[list[IndexInfo], list[IndexInfo]]:
    """Remove the prunable indexes; returns (removed, left because a build holds them)."""
    from qa.index import build_lock
    from qa.progress import Progress

    removed, busy = [], []
    for info in infos:
        if not info.prunable:
            continue
        try:
            with build_lock(info.path, wait=False, progress=Progress(quiet=True)):
                shutil.rmtree(info.path)
        except IndexLocked:
            busy.append(info)
            continue
        removed.append(info)
    return removed, busy


def human_size(n: int) -> str:
    for unit in ("B", "KB", "MB", "GB"):
        if n < 1024 or unit == "GB":
            return f"{n:.0f} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1024
    return f"{n} B"  # pragma: no cover


def human_age(built: float | None, now: float | None = None) -> str:
    if built is None:
        return "-"
    seconds = max(0.0, (now or time.time()) - built)
    for size, unit in ((86400, "d"), (3600, "h"), (60, "min")):
        if seconds >= size:
            return f"{seconds // size:.0f} {unit}"
    return f"{seconds:.0f} s"
