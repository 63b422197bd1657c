"""The benchmark (bench/run.py) keeps working: it runs here on tiny corpora with one repeat.

The real benchmark (the analyst library, a Chroma server, ~15 min) is not run in the tests: this
runs every one of its steps, server mode included, on a few pages, so the script cannot rot. The
process-tree memory sampler and the library helpers (linking, editing one file) are checked on
their own.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import library  # noqa: E402
from bench import run as bench_run  # noqa: E402
from bench.proc import run, tree_rss_mb  # noqa: E402

CORPUS = ROOT / "corpus"
GOLDEN = ROOT / "evals" / "golden.jsonl"
DOCUMENT = next(CORPUS.glob("*.txt"))
FIXTURES = Path(__file__).resolve().parent / "fixtures"


def squash(text: str) -> str:
    return "".join(text.split()).casefold()


def tiny_corpus(folder: Path) -> Path:
    """The first pages of the bundled document (its PDF layout intact): a few dozen paragraphs."""
    text = DOCUMENT.read_text(encoding="utf-8")
    cut = text[:9000]
    cut = cut[: cut.rfind("\n \n") + 3]
    folder.mkdir(parents=True)
    (folder / "tiny.txt").write_text(cut, encoding="utf-8")
    return folder


def tiny_golden(path: Path, corpus_text: str, count: int = 3) -> Path:
    """A few golden items whose evidence is in the tiny corpus, and one unanswerable."""
    items = [json.loads(line) for line in GOLDEN.read_text(encoding="utf-8").splitlines() if line.strip()]
    chosen = [i for i in items if i["answerable"] and squash(i["evidence"]) in squash(corpus_text)][:count]
    chosen += [i for i in items if not i["answerable"]][:1]
    path.write_text("\n".join(json.dumps(i) for i in chosen) + "\n", encoding="utf-8")
    return path


@pytest.mark.slow
def test_benchmark_runs_every_step_on_tiny_corpora(tmp_path):
    corpus = tiny_corpus(tmp_path / "corpus")
    golden = tiny_golden(tmp_path / "golden.jsonl", (corpus / "tiny.txt").read_text(encoding="utf-8"))
    small_library = tmp_path / "library"
    small_library.mkdir()
    for name in ("harbor_lab.txt", "solar_program.md"):
        (small_library / name).write_bytes((FIXTURES / name).read_bytes())
    out = tmp_path / "RESULTS.md"
    argv = ["--quick", "--repeat", "1", "--batch", "4", "--corpus", str(corpus), "--golden", str(golden),
            "--library", str(small_library), "--out", str(out), "--work", str(tmp_path / "work")]
    if not (Path(sys.executable).parent / "chroma").exists():
        argv.append("--skip-server")
    assert bench_run.main(argv) == 0
    text = out.read_text(encoding="utf-8")
    needles = [
        "| cpus (nproc) | ",
        "| index embedding precision | ",
        "`qa index` from scratch (bundled)",
        "no-change `qa index` refresh (bundled)",
        'cold `ask "…"` (bundled)',
        "batch `ask --json -` (bundled)",
        "`qa index` from scratch (library)",
        "no-change `qa index` refresh (library)",
        "refresh, one file changed (library: harbor_lab.txt)",
        'cold `ask "…"` (library)',
        "batch `ask --json -` (library)",
        "| recall_at_1 |",
    ]
    if "--skip-server" not in argv:
        needles += ["`qa index --chroma-url` from scratch (library, server on loopback)",
                    "cold `ask --chroma-url` (library)",
                    "`ask --chroma-url` while another process refreshes (library, one file changed)"]
    for needle in needles:
        assert needle in text, needle
    if "--skip-server" not in argv:
        line = next(x for x in text.splitlines() if "while another process refreshes" in x)
        assert " 0 errors, 0 inconsistent" in line and "| yes |" in line, line
    # The library itself was never written to: the benchmark edits a copy of the one file it changes.
    assert (small_library / "harbor_lab.txt").read_bytes() == (FIXTURES / "harbor_lab.txt").read_bytes()


def test_link_corpus_and_edit_one_leave_the_source_alone(tmp_path):
    source = tmp_path / "source"
    source.mkdir()
    (source / "a.md").write_text("# A\n\nAlpha text.\n", encoding="utf-8")
    (source / "b.txt").write_text("Beta text.\n", encoding="utf-8")
    (source / "notes.docx").write_bytes(b"not a corpus file")
    linked = library.link_corpus(source, tmp_path / "linked")
    assert sorted(p.name for p in linked.iterdir()) == ["a.md", "b.txt"]
    assert all(p.is_symlink() for p in linked.iterdir())
    name = library.edit_one(linked, tmp_path / "edits")
    assert name == "a.md"
    assert (linked / "a.md").read_text(encoding="utf-8").endswith("One more paragraph for the benchmark.\n")
    assert (source / "a.md").read_text(encoding="utf-8") == "# A\n\nAlpha text.\n"


@pytest.mark.skipif(not library.available(), reason="the analyst library is not here")
def test_edit_one_drops_a_page_of_a_library_pdf(tmp_path):
    from pypdf import PdfReader

    linked = tmp_path / "linked"
    linked.mkdir()
    (linked / "R48905.2.pdf").symlink_to(library.LIBRARY / "pdf" / "R48905.2.pdf")
    assert library.edit_one(linked, tmp_path / "edits") == "R48905.2.pdf"
    before = len(PdfReader(str(library.LIBRARY / "pdf" / "R48905.2.pdf")).pages)
    assert len(PdfReader(str(linked / "R48905.2.pdf")).pages) == before - 1


def test_library_questions_fall_back_to_the_built_in_list():
    asked = library.questions()
    assert len(asked) >= 10 and all(q.strip() for q in asked)


@pytest.mark.skipif(not Path("/proc/self/statm").exists(), reason="needs /proc")
def test_tree_rss_counts_children(tmp_path):
    """A child holding ~60 MB shows in the tree figure, not in the parent's own."""
    script = "import time; x = bytearray(60 * 1024 * 1024); x[::4096] = b'1' * len(x[::4096]); time.sleep(3)"
    child = subprocess.Popen([sys.executable, "-c", script])
    try:
        deadline = time.monotonic() + 10
        while tree_rss_mb(os.getpid()) - tree_rss_mb(child.pid) < 1 and time.monotonic() < deadline:
            time.sleep(0.1)
        time.sleep(1)
        assert tree_rss_mb(os.getpid()) >= tree_rss_mb(child.pid) + 1
        assert tree_rss_mb(child.pid) >= 55
    finally:
        child.kill()
        child.wait()
    result = run([sys.executable, "-c", script.replace("time.sleep(3)", "time.sleep(0.5)")], dict(os.environ))
    assert result.code == 0 and result.tree_mb >= 55
