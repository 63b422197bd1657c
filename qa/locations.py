"""Where things live: the bundled corpus, each corpus's own index, the config file, the data folder.

Every corpus gets its own index, named after the corpus's resolved path, so pointing `ask` at
another corpus never rebuilds (or answers from) the index of the first:

    <project>/corpus                  → <project>/index   (the bundled corpus keeps the project's index)
    any other folder, e.g. ~/papers   → $XDG_DATA_HOME/qa/indexes/papers-<hash>/
                                        (default ~/.local/share/qa/indexes/papers-<hash>/)

An index folder records the corpus it was built from (`corpus.json`, beside `CURRENT`), so that
`qa indexes` can list it and a QA_INDEX_DIR left set for one corpus is not rebuilt for another. The
config file is `$XDG_CONFIG_HOME/qa/config.toml` (default ~/.config/qa/config.toml; see
qa.settings). Nothing here imports more than the standard library.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from pathlib import Path

from qa import config

APP = "qa"
CORPUS_RECORD = "corpus.json"
HASH_CHARS = 12
_SLUG = re.compile(r"[^a-zA-Z0-9._-]+")


def _xdg(name: str, fallback: str) -> Path:
    value = os.environ.get(name, "")
    # The XDG spec: a relative path is invalid and is to be ignored.
    return Path(value) if value and os.path.isabs(value) else Path.home() / fallback


def data_dir() -> Path:
    return _xdg("XDG_DATA_HOME", ".local/share") / APP


def indexes_dir() -> Path:
    return data_dir() / "indexes"


def config_dir() -> Path:
    return _xdg("XDG_CONFIG_HOME", ".config") / APP


def config_file() -> Path:
    return config_dir() / "config.toml"


def _is_project(folder: Path) -> bool:
    return (folder / "pyproject.toml").is_file() and (folder / "qa" / "cli.py").is_file()


def _installed_project() -> Path | None:
    """The checkout qa runs from (an editable install), if it is one."""
    folder = Path(__file__).resolve().parent.parent
    return folder if _is_project(folder) else None


def project_dir() -> Path | None:
    """The qa project: the one we are in, else the checkout qa runs from."""
    return config.project_root() or _installed_project()


def bundled_corpus() -> Path | None:
    """The project's `corpus/`: of the project folder we are in, else of the checkout qa runs from."""
    for root in (config.project_root(), _installed_project()):
        if root is not None and (root / "corpus").is_dir():
            return root / "corpus"
    return None


def index_for(corpus: Path) -> Path:
    """The index folder that belongs to `corpus` (see the module docstring)."""
    resolved = corpus.expanduser().resolve()
    if resolved.name == "corpus" and _is_project(resolved.parent):
        return resolved.parent / "index"
    digest = hashlib.sha256(str(resolved).encode("utf-8", "surrogateescape")).hexdigest()[:HASH_CHARS]
    name = _SLUG.sub("-", resolved.name).strip("-.") or "corpus"
    return indexes_dir() / f"{name[:60]}-{digest}"


def recorded_corpus(index_dir: Path) -> Path | None:
    """The corpus an index folder says it was built from, or None when it does not say."""
    try:
        data = json.loads((index_dir / CORPUS_RECORD).read_text(encoding="utf-8"))
        return Path(data["corpus"])
    except (OSError, ValueError, KeyError, TypeError):
        return None


def foreign_owner(index_dir: Path, corpus: Path) -> Path | None:
    """The other, still existing corpus an index folder records, if it records one (else None)."""
    owner = recorded_corpus(index_dir)
    mine = corpus.expanduser().resolve()
    if owner is None or owner == mine or not owner.is_dir():
        return None  # an index whose recorded corpus is gone (moved, deleted) may be taken over
    return owner


def record_corpus(index_dir: Path, corpus: Path) -> None:
    """Write down which corpus an index folder holds (after a build, so a failed first build leaves nothing)."""
    mine = str(corpus.expanduser().resolve())
    if not (index_dir / "CURRENT").exists() or str(recorded_corpus(index_dir)) == mine:
        return
    tmp = index_dir / f".{CORPUS_RECORD}.{os.getpid()}"
    try:
        tmp.write_text(json.dumps({"corpus": mine}, ensure_ascii=False) + "\n", encoding="utf-8")
        os.replace(tmp, index_dir / CORPUS_RECORD)
    except OSError:  # a read-only index still answers; it just is not listed with its corpus
        tmp.unlink(missing_ok=True)
