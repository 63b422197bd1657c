"""Shared fixtures: hermetic env vars, the bundled-corpus index (built once per session), CLI helpers.

Everything runs the real thing: the packaged MiniLM, a real Chroma store, real files in temp
folders. The bundled-corpus index takes ~20 s to build, so it is built once and only read by the
tests; a test that damages an index works on its own copy (`index_copy`).
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from qa.ingest.formats import doc_id

ROOT = Path(__file__).resolve().parent.parent
CORPUS_DIR = ROOT / "corpus"
CORPUS_FILE = CORPUS_DIR / "japan_st_white_paper_2021_open_innovation.txt"
DOC = doc_id(CORPUS_FILE.name)  # japan-st-white-paper-2021-open-innovation
GOLDEN = ROOT / "evals" / "golden.jsonl"
THRESHOLDS = ROOT / "evals" / "thresholds.toml"
FIXTURES = Path(__file__).resolve().parent / "fixtures"

TLO_REF = f"{DOC}:s1.1.1.b.p1"
TLO_SECTION = (
    "Section 1 Enhancing Mechanisms for Promoting Open-innovation",
    "❶ Enhancing systems of promotion in companies, universities, and public research institutes",
    "(1) Current status of domestic and international industry-academia collaborative activities",
    "B. Activities of the Technology Licensing Organization (TLO)",
)

# Settings a developer may have exported; any of them would make a test depend on the machine.
_FOREIGN_ENV = ("QA_CHROMA_URL", "QA_TOP_K", "QA_DEBUG", "QA_LLM_URL", "QA_LLM_API_KEY")


# Where qa keeps per-user things: indexes, the config file, server downloads.
USER_DIRS = {"XDG_DATA_HOME": "data", "XDG_CONFIG_HOME": "config", "XDG_CACHE_HOME": "cache"}


@pytest.fixture(scope="session", autouse=True)
def user_dirs(tmp_path_factory):
    """The user folders of the whole session (module fixtures run before `hermetic`) in a temp folder."""
    root = tmp_path_factory.mktemp("home")
    with pytest.MonkeyPatch.context() as patch:
        for name, folder in USER_DIRS.items():
            patch.setenv(name, str(root / folder))
        yield root


@pytest.fixture(autouse=True)
def hermetic(monkeypatch, tmp_path):
    """Point the default index, corpus and user folders at temp folders: no test can touch the
    repo's index/ or write to the real home."""
    monkeypatch.setenv("QA_INDEX_DIR", str(tmp_path / "env-index"))
    monkeypatch.setenv("QA_CORPUS_DIR", str(tmp_path / "env-corpus"))
    for name, folder in USER_DIRS.items():
        monkeypatch.setenv(name, str(tmp_path / "user" / folder))
    for name in _FOREIGN_ENV:
        monkeypatch.delenv(name, raising=False)


@pytest.fixture(scope="session")
def session_index(tmp_path_factory) -> Path:
    """The index of the bundled corpus, built once with qa.index.build_index. Read-only for tests."""
    from qa.index import build_index
    from qa.progress import Progress

    index_dir = tmp_path_factory.mktemp("session") / "index"
    report = build_index(CORPUS_DIR, index_dir, progress=Progress(quiet=True), warn=lambda _m: None)
    assert report.built and report.chunks > 100
    return index_dir


@pytest.fixture
def index_copy(session_index, tmp_path) -> Path:
    """A private copy of the session index that a test may damage."""
    target = tmp_path / "index-copy"
    shutil.copytree(session_index, target)
    return target


@pytest.fixture(scope="session")
def golden() -> list[dict]:
    return [json.loads(line) for line in GOLDEN.read_text(encoding="utf-8").splitlines() if line.strip()]


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture
def fixture_corpus(tmp_path) -> Path:
    """A writable corpus folder holding copies of the small fixtures (a .txt and a .md)."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for name in ("harbor_lab.txt", "solar_program.md"):
        shutil.copy(FIXTURES / name, corpus / name)
    return corpus


def ask_cli(runner: CliRunner, *args: str, index_dir: Path, corpus: Path = CORPUS_DIR, stdin: str | None = None):
    """Run `ask ARGS --index-dir … --corpus …` in-process."""
    from qa.cli import ask

    return runner.invoke(ask, [*args, "--index-dir", str(index_dir), "--corpus", str(corpus)], input=stdin)


def qa_cli(runner: CliRunner, *args: str, index_dir: Path, corpus: Path | None = None):
    """Run `qa ARGS --index-dir … [--corpus …]` in-process (options go after the subcommand)."""
    from qa.cli import qa

    extra = ["--index-dir", str(index_dir)] + (["--corpus", str(corpus)] if corpus else [])
    return runner.invoke(qa, [*args, *extra])


def error_line(result, exit_code: int = 1) -> str:
    """Assert a clean failure (the exit code, one `Error:` line, no traceback) and return that line."""
    assert result.exit_code == exit_code, result.output
    assert "Traceback" not in result.output
    assert "internal error" not in result.output, result.output
    assert isinstance(result.exception, SystemExit), repr(result.exception)
    errors = [line for line in result.stderr.splitlines() if line.startswith("Error:")]
    assert len(errors) == 1, result.stderr
    assert result.stdout == "", result.stdout
    return errors[0]


def current(index_dir: Path) -> str:
    """The name of the live generation."""
    return (index_dir / "CURRENT").read_text(encoding="utf-8").strip()


def manifest(index_dir: Path) -> dict:
    return json.loads((index_dir / current(index_dir) / "manifest.json").read_text(encoding="utf-8"))


def index_small_corpus(root: Path, text: str) -> list[str]:
    """Write `text` as root/corpus/paper.txt, index it with the CLI, return the location flags."""
    from qa import config
    from qa.cli import qa

    config.go_offline()
    (root / "corpus").mkdir()
    (root / "corpus" / "paper.txt").write_text(text, encoding="utf-8")
    args = ["--corpus", str(root / "corpus"), "--index-dir", str(root / "index")]
    built = CliRunner().invoke(qa, ["index", "-q", *args])
    assert built.exit_code == 0, built.output
    return args


def tlo_excerpt() -> str:
    """Section 1 of the bundled document up to its second subsection: 6 chunks, with the TLO fact."""
    text = CORPUS_FILE.read_text(encoding="utf-8")
    return text[text.index("Section 1 Enhancing") : text.index("(2) Development")]


def answer_of(result) -> dict:
    """The last JSON line of a successful `ask --json` subprocess."""
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    return json.loads(result.stdout.splitlines()[-1])
