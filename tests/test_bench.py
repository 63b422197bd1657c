"""The benchmark (bench/run.py) and its synthetic corpus (bench/synth.py) keep working.

The real benchmark is long and is not run here: these run it on a tiny corpus with one repeat, so
the script cannot rot, and check the index-time encoder against sentence-transformers.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import run as bench_run  # noqa: E402
from bench.synth import build, squash  # noqa: E402

CORPUS = ROOT / "corpus"
GOLDEN = ROOT / "evals" / "golden.jsonl"
DOCUMENT = next(CORPUS.glob("*.txt"))


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
    squashed = squash(corpus_text)
    chosen = [i for i in items if i["answerable"] and squash(i["evidence"]) in squashed][:count]
    chosen += [i for i in items if not i["answerable"]][:1]
    path.write_text("\n".join(json.dumps(i) for i in chosen) + "\n", encoding="utf-8")
    return path


def test_synth_builds_distinct_noise_without_golden_evidence(tmp_path):
    out = tmp_path / "x4"
    stats = build(out, CORPUS, 4, GOLDEN, seed=1)
    files = sorted(out.iterdir())
    assert stats["files"] == len(files) == 4
    assert (out / DOCUMENT.name).read_bytes() == DOCUMENT.read_bytes()
    noise = [f.read_text(encoding="utf-8") for f in files if f.name.startswith("noise-")]
    assert len(noise) == 3 and len(set(noise)) == 3
    lines = GOLDEN.read_text(encoding="utf-8").splitlines()
    evidence = [squash(json.loads(line)["evidence"]) for line in lines if line.strip()]
    for text in noise:
        flat = squash(text)
        assert not [e for e in evidence if e and e in flat]
        assert "Japan" not in text  # the names vary
        # the same outline as the real document: as many headings as it has
        assert len(re.findall(r"^#+ ", text, flags=re.M)) > 20
    again = tmp_path / "again"
    build(again, CORPUS, 4, GOLDEN, seed=1)
    assert [f.read_bytes() for f in sorted(again.iterdir())] == [f.read_bytes() for f in files]


@pytest.mark.slow
def test_benchmark_runs_on_a_tiny_corpus(tmp_path):
    corpus = tiny_corpus(tmp_path / "corpus")
    golden = tiny_golden(tmp_path / "golden.jsonl", (corpus / "tiny.txt").read_text(encoding="utf-8"))
    out = tmp_path / "RESULTS.md"
    argv = "--quick --scale 2 --repeat 1 --batch 4 --skip-embedders".split()
    argv += ["--corpus", str(corpus), "--golden", str(golden), "--out", str(out), "--work", str(tmp_path / "work")]
    code = bench_run.main(argv)
    assert code == 0
    text = out.read_text(encoding="utf-8")
    needles = [
        "| cpus (nproc) | ",
        "`qa index` from scratch (bundled)",
        "no-change `qa index` refresh (bundled)",
        'cold `ask "…"` (bundled)',
        "batch `ask --json -`",
        "index throughput (x2)",
        'cold `ask "…"` (x2)',
        "golden recall@1 / @5 (x2)",
        "| recall_at_1 |",
    ]
    for needle in needles:
        assert needle in text, needle


@pytest.mark.slow
def test_index_encoder_matches_sentence_transformers(tmp_path):
    """SentenceEncoder (index vectors, torch without transformers) = sentence-transformers."""
    from qa.sentences import split_sentences

    text = re.sub(r"\s+", " ", DOCUMENT.read_text(encoding="utf-8"))
    sentences = [s for s in split_sentences(text) if len(s) > 30]
    texts = sentences[::12][:30] + [" ".join(sentences[i : i + 20]) for i in (0, 40)]  # two past 256 tokens
    result = bench_run.bench_embedders(texts, tmp_path, repeat=1)
    assert result["texts"] == len(texts)
    assert result["cos_min"] >= 0.9999, result
    assert result["numpy_cos_min"] >= 0.999, result
