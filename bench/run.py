"""Measure qa against its speed targets and write a Markdown table.

    python bench/run.py                  # bundled corpus, the analyst library, server mode
    python bench/run.py --quick          # fewer repeats
    python bench/run.py --skip-library   # bundled corpus only
    python bench/run.py --embedders      # also index-time encoders: torch fp32/bf16, ONNX Runtime variants

Every command runs as a fresh process, exactly as a user runs it (`ask`, `qa` from this venv),
against index folders in a temporary directory (never the project's index/). Wall time comes from
the parent; peak RSS is the command's own (os.wait4) and, for `qa index`, also that of its whole
process tree (its parse and embedding workers; bench/proc.py). Each figure is the median of the
runs, with min and max. The table goes to stdout and to bench/RESULTS.md (or --out).

Measured on the bundled corpus: `qa index` from scratch, a no-change refresh, a cold `ask`, batch
throughput of `ask --json -`, `qa eval --json`. On the analyst library (../shared/corpora/library,
linked into the work folder, never copied; bench/library.py): `qa index` from scratch, a no-change
refresh, a refresh with one file changed, a cold `ask`, batch throughput; then server mode
(bench/server.py): `qa index --chroma-url`, an analyst's cold `ask --chroma-url`, asks during a
refresh by another process.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import library  # noqa: E402
from bench.proc import Run, run, tool  # noqa: E402

TARGETS = {
    "cold_ask_s": 1.0,
    "cold_ask_rss_mb": 400,
    "batch_qps": 50,
    "index_scratch_s": 15,
    "refresh_s": 1.5,
    # issue 15: the library from scratch, its refreshes
    "library_index_s": 120,
    "library_index_rss_mb": 1024,
    "library_refresh_s": 2,
    "library_cold_ask_s": 1.0,
    # issue 13: the library's PDFs parsed at this rate, one process
    "library_parse_pages_s": 20,
}
QUALITY_KEYS = ("recall_at_1", "recall_at_5", "mrr", "answer_accuracy", "citation_precision", "abstained_unanswerable")


@dataclass
class Row:
    name: str
    target: str
    runs: list[float]
    unit: str = "s"
    rss_mb: list[float] = field(default_factory=list)
    tree_mb: list[float] = field(default_factory=list)
    met: bool | None = None
    note: str = ""
    text: str = ""  # shown instead of median/min/max when set

    def cells(self) -> list[str]:
        def fmt(v: float) -> str:
            return f"{v:.2f}" if abs(v) < 100 else f"{v:.0f}"

        mark = {True: "yes", False: "**no**", None: "–"}[self.met]
        rss = f"{max(self.rss_mb):.0f}" if self.rss_mb else "–"
        if self.tree_mb and max(self.tree_mb) > max(self.rss_mb or [0]) + 1:
            rss += f" (tree {max(self.tree_mb):.0f})"
        if self.text:
            return [self.name, self.target, self.text, "–", "–", str(len(self.runs)), rss, mark, self.note]
        med = statistics.median(self.runs) if self.runs else float("nan")
        return [
            self.name, self.target, f"{fmt(med)} {self.unit}", fmt(min(self.runs)) if self.runs else "–",
            fmt(max(self.runs)) if self.runs else "–", str(len(self.runs)), rss, mark, self.note,
        ]


THREAD_VARS = ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS", "QA_EMBED_PRECISION",
               "PYTHONDONTWRITEBYTECODE")
# Extra variables for every measured command (`--env NAME=VALUE`), to measure a proposed setting.
EXTRA_ENV: dict[str, str] = {}


def environment(corpus: Path, index: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("QA_") or k == "QA_EMBED_PRECISION"}
    env.update({"QA_CORPUS_DIR": str(corpus), "QA_INDEX_DIR": str(index), "BENCH_CWD": str(ROOT)})
    env.update(EXTRA_ENV)
    return env


def machine() -> dict[str, str]:
    from importlib import metadata

    from qa.embed import hardware_bf16, index_precision

    cpu = platform.processor() or "?"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    ram = "?"
    try:
        kb = int(Path("/proc/meminfo").read_text().split("MemTotal:")[1].split()[0])
        ram = f"{kb / 1024 / 1024:.1f} GiB"
    except (OSError, IndexError, ValueError):
        pass

    def version(name: str) -> str:
        try:
            return metadata.version(name)
        except metadata.PackageNotFoundError:
            return "-"

    try:
        commit = subprocess.run(["git", "describe", "--always", "--dirty"], cwd=ROOT, capture_output=True,
                                text=True).stdout.strip()
    except OSError:
        commit = "?"
    return {
        "cpus (nproc)": str(os.cpu_count()),
        "cpu": cpu,
        "bf16 in hardware (AMX / AVX-512 BF16)": "yes" if hardware_bf16() else "no",
        "index embedding precision": os.environ.get("QA_EMBED_PRECISION") or index_precision(),
        "ram": ram,
        "python": platform.python_version(),
        "torch": version("torch"),
        "numpy": version("numpy"),
        "onnxruntime": version("onnxruntime"),
        "chromadb": version("chromadb"),
        "os": platform.platform(),
        "commit": commit or "?",
        "thread/precision env": " ".join(
            f"{k}={v}" for k, v in {**os.environ, **EXTRA_ENV}.items() if k in THREAD_VARS) or "-",
    }


def loadavg() -> str:
    try:
        return " ".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:
        return "?"


def questions(golden: Path) -> list[dict]:
    return [json.loads(line) for line in golden.read_text(encoding="utf-8").splitlines() if line.strip()]


def say(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')} load {loadavg().split()[0]}] {message}", file=sys.stderr, flush=True)


def median(values: list[float]) -> float:
    return statistics.median(values)


def row(name: str, runs: list[Run], target: float | None = None, rss_target: float | None = None,
        note: str = "") -> Row:
    times = [r.seconds for r in runs]
    met = None
    if target is not None:
        met = median(times) <= target and (rss_target is None or max(r.tree_mb for r in runs) <= rss_target)
    label = (f"≤ {target:g} s" if target is not None else "") + (f", ≤ {rss_target:g} MB" if rss_target else "")
    return Row(name, label, times, rss_mb=[r.rss_mb for r in runs], tree_mb=[r.tree_mb for r in runs], met=met,
               note=note)


def bench_index(label: str, corpus: Path, work: Path, repeat: int, target: float | None,
                rss_target: float | None = None) -> tuple[Row, Path, Run]:
    """`qa index` from scratch `repeat` times (a new folder each); the last index is kept."""
    runs = []
    index = work / f"{label}-index"
    for n in range(repeat):
        shutil.rmtree(index, ignore_errors=True)
        say(f"{label}: qa index from scratch ({n + 1}/{repeat})")
        runs.append(run(tool("qa") + ["index", "-q"], environment(corpus, index)))
    summary = runs[-1].stdout.strip().splitlines()[-1]
    return row(f"`qa index` from scratch ({label})", runs, target, rss_target, note=_sizes(summary)), index, runs[-1]


def _sizes(summary: str) -> str:
    """`6753 paragraphs, 7973 chunks, 7586 embedded (+11529 sentences)` from a build summary."""
    return summary.split("; ", 1)[-1].rsplit(" in ", 1)[0] if "; " in summary else summary


def bench_refresh(label: str, corpus: Path, index: Path, repeat: int, target: float | None) -> Row:
    runs = []
    for n in range(repeat):
        say(f"{label}: no-change refresh ({n + 1}/{repeat})")
        result = run(tool("qa") + ["index", "-q"], environment(corpus, index))
        if "up to date" not in result.stdout + result.stderr:
            raise RuntimeError(f"a no-change refresh rebuilt the index:\n{result.stdout}{result.stderr}")
        runs.append(result)
    return row(f"no-change `qa index` refresh ({label})", runs, target)


def bench_one_file(label: str, corpus: Path, index: Path, work: Path) -> tuple[Row, Path]:
    """Refresh after one file changed (bench/library.edit_one), on a copy of the index."""
    edited = library.link_corpus(corpus, work / f"{label}-edited-corpus")
    name = library.edit_one(edited, work / f"{label}-edited-files")
    copy = work / f"{label}-index-one-file"
    shutil.rmtree(copy, ignore_errors=True)
    shutil.copytree(index, copy, symlinks=True)
    library.adopt(copy, edited)
    say(f"{label}: refresh with one file changed ({name})")
    result = run(tool("qa") + ["index", "-q"], environment(edited, copy))
    summary = result.stdout.strip().splitlines()[-1]
    if not summary.startswith("0 added, 1 changed, 0 removed"):
        raise RuntimeError(f"a one-file refresh did not see exactly one changed file: {summary}")
    shutil.rmtree(copy, ignore_errors=True)
    return row(f"refresh, one file changed ({label}: {name})", [result], note=_sizes(summary)), edited


def bench_parse(label: str, folder: Path) -> Row:
    """PDF parse rate on `folder` (bench/parse.py, a new process): as `qa index` parses, and per core."""
    say(f"{label}: parsing its PDFs")
    env = {**environment(folder, folder), "PYTHONPATH": str(ROOT)}
    result = run([sys.executable, "-m", "bench.parse", str(folder)], env)
    got = json.loads(result.stdout.strip().splitlines()[-1])
    target = TARGETS["library_parse_pages_s"]
    rate = got["workers_pages_per_s"]
    return Row(
        f"PDF parse rate ({label}: {got['files']} PDFs, {got['pages']} pages; {got['workers']} workers as `qa index`)",
        f"≥ {target} pages/s", [got["workers_s"]], met=rate >= target, text=f"{rate} pages/s",
        note=f"{got['workers_s']:.1f} s; one process: {got['one_process_pages_per_s']} pages/s",
    )


def bench_ask(label: str, corpus: Path, index: Path, asks: list[str], repeat: int, target: float,
              rss_target: float | None) -> Row:
    env = environment(corpus, index)
    run(tool("ask") + [asks[0]], env)  # warm the page cache once; not counted
    runs = []
    for n in range(repeat):
        say(f"{label}: cold ask ({n + 1}/{repeat})")
        runs.append(run(tool("ask") + [asks[(n + 1) % len(asks)]], env))
    return row(f'cold `ask "…"` ({label})', runs, target, rss_target)


def bench_batch(label: str, corpus: Path, index: Path, work: Path, asks: list[str], count: int | None, repeat: int,
                seconds: float = 20.0) -> tuple[Row, Row]:
    """Questions per second of `ask --json -` after start-up: (N-1) / (t(N) - t(1)).

    Without `count`, a probe with 10 questions picks N so that one run takes about `seconds`
    (between 10 and 500 questions): a slow pipeline must not make the benchmark take hours.
    """
    env = environment(corpus, index)
    one = work / f"{label}-batch-1.txt"
    one.write_text(asks[0] + "\n", encoding="utf-8")
    if count is None:
        probe = work / f"{label}-batch-probe.txt"
        probe.write_text("\n".join(asks[i % len(asks)] for i in range(10)) + "\n", encoding="utf-8")
        say(f"{label}: batch: probing the rate with 1 and 10 questions")
        base = run(tool("ask") + ["--json", "-"], env, stdin=one).seconds
        rate = 9 / max(run(tool("ask") + ["--json", "-"], env, stdin=probe).seconds - base, 1e-3)
        count = int(min(500, max(10, rate * seconds)))
    many = work / f"{label}-batch-{count}.txt"
    many.write_text("\n".join(asks[i % len(asks)] for i in range(count)) + "\n", encoding="utf-8")
    starts, totals, rss = [], [], []
    for n in range(repeat):
        say(f"{label}: batch: ask --json - with 1 and {count} questions ({n + 1}/{repeat})")
        first = run(tool("ask") + ["--json", "-"], env, stdin=one)
        full = run(tool("ask") + ["--json", "-"], env, stdin=many)
        lines = [line for line in full.stdout.splitlines() if line.strip()]
        if len(lines) != count:
            raise RuntimeError(f"ask --json - printed {len(lines)} lines for {count} questions")
        starts.append(first.seconds)
        totals.append(full.seconds)
        rss.append(full.rss_mb)
    rates = [(count - 1) / max(t - s, 1e-9) for s, t in zip(starts, totals, strict=True)]
    target = TARGETS["batch_qps"]
    batch = Row(f"batch `ask --json -` ({label}), {count} questions, after start-up", f"≥ {target:g} q/s", rates,
                unit="q/s", rss_mb=rss, met=median(rates) >= target)
    return batch, Row(f"batch start-up, 1 question ({label})", "", starts)


def bench_eval(label: str, corpus: Path, index: Path, golden: Path) -> tuple[dict, Run]:
    say(f"{label}: qa eval --json")
    result = run(tool("qa") + ["eval", str(golden), "--json", "-q"], environment(corpus, index))
    return json.loads(result.stdout.strip().splitlines()[-1]), result


EMBED_SCRIPT = r"""
import json, sys, time
import numpy as np
from qa import config
config.go_offline()
texts = json.load(open(sys.argv[1], encoding="utf-8"))
repeat = int(sys.argv[2])
out = {"texts": len(texts), "rows": []}
from qa.embed import MiniLM
reference = MiniLM().encode(texts)  # fp32, = sentence-transformers (tests/test_embed.py)

def measure(name, make):
    start = time.perf_counter(); encoder = make(); load = time.perf_counter() - start
    best = None
    for _ in range(repeat):
        t = time.perf_counter(); vectors = encoder.encode(texts); t = time.perf_counter() - t
        best = t if best is None else min(best, t)
    cos = (vectors * reference).sum(1)
    out["rows"].append({"encoder": name, "load_s": load, "texts_per_s": len(texts) / best,
                        "cos_min": float(cos.min()), "cos_mean": float(cos.mean())})

from qa.embed import SentenceEncoder
for precision in ("fp32", "bf16"):
    measure(f"torch {precision}, 1 thread (qa)", lambda: SentenceEncoder(threads=1, precision=precision))
from bench.onnx_minilm import SCHEMES, OnnxEncoder
for scheme in SCHEMES:
    measure(f"ONNX Runtime {scheme}, 1 thread", lambda: OnnxEncoder(scheme, threads=1))
print(json.dumps(out))
"""


def bench_embedders(texts: list[str], work: Path, repeat: int) -> dict:
    """Index-time encoders on the same texts, one thread each: speed, cosine to fp32."""
    path = work / "embed-texts.json"
    path.write_text(json.dumps(texts), encoding="utf-8")
    say(f"embedders: torch fp32/bf16 and ONNX Runtime variants on {len(texts)} texts")
    env = {**environment(ROOT / "corpus", work / "unused-index"), "PYTHONPATH": str(ROOT)}
    result = run([sys.executable, "-c", EMBED_SCRIPT, str(path), str(repeat)], env)
    return json.loads(result.stdout.strip().splitlines()[-1])


def embed_texts(index: Path, limit: int) -> list[str]:
    """Chunk texts of a built index, every n-th one up to `limit`."""
    current = (index / "CURRENT").read_text(encoding="utf-8").strip()
    with open(index / current / "chunks.jsonl", encoding="utf-8") as handle:
        chunks = [json.loads(line)["embed_text"] for line in handle if line.strip()]
    step = max(1, len(chunks) // limit)
    return chunks[::step][:limit]


def table(rows: list[Row]) -> list[str]:
    head = ["measure", "target", "median", "min", "max", "runs", "peak RSS MB", "met", "note"]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    return lines + ["| " + " | ".join(r.cells()) + " |" for r in rows]


def quality_table(columns: dict[str, dict]) -> list[str]:
    names = list(columns)
    lines = ["| metric | " + " | ".join(names) + " |", "|---|" + "---|" * len(names)]
    for key in (*QUALITY_KEYS, "count"):
        cells = []
        for name in names:
            value = columns[name].get("overall", {}).get(key, columns[name].get(key))
            cells.append("–" if value is None else str(value))
        lines.append(f"| {key} | " + " | ".join(cells) + " |")
    return lines


def server_rows(label: str, figures: dict) -> tuple[list[Row], list[str]]:
    built, first, cold, refresh = figures["index"], figures["first_ask"], figures["cold_ask"], figures["refresh"]
    rows = [
        row(f"`qa index --chroma-url` from scratch ({label}, server on loopback)", [built],
            note=_sizes(built.stdout.strip().splitlines()[-1])),
        row(f"analyst's first `ask --chroma-url` ({label}; downloads the index files)", [first]),
        row(f"cold `ask --chroma-url` ({label})", cold, TARGETS["cold_ask_s"]),
    ]
    ok = refresh["code"] == 0 and not refresh["errors"] and not refresh["inconsistent"]
    asks = refresh["ask_seconds"]
    rows.append(Row(
        f"`ask --chroma-url` while another process refreshes ({label}, one file changed)", "no errors, consistent",
        asks, met=ok, text=f"{refresh['batches']} batches, {refresh['questions']} answers, "
        f"{len(refresh['errors'])} errors, {len(refresh['inconsistent'])} inconsistent",
        note=f"refresh {refresh['seconds']:.0f} s; batch of 10 asks {min(asks or [0]):.1f}–{max(asks or [0]):.1f} s; "
        f"{refresh['changed_answers']} of 10 answers differ after",
    ))
    notes = [f"Server refresh said: {' '.join(refresh['summary'])}"]
    if refresh["errors"]:
        notes.append("Errors during the refresh: " + "; ".join(" ".join(e) for e in refresh["errors"][:3]))
    if refresh["inconsistent"]:
        notes.append("Inconsistent answers: " + "; ".join(f"{q}: {a}" for q, a in refresh["inconsistent"][:3]))
    return rows, notes


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Measure qa against its speed targets.")
    parser.add_argument("--quick", action="store_true", help="small repeat counts (a smoke run)")
    parser.add_argument("--repeat", type=int, default=None, help="override every repeat count")
    parser.add_argument("--batch", type=int, default=None,
                        help="questions in the batch runs (default: as many as take ~20 s, ≤ 500)")
    parser.add_argument("--env", action="append", default=[], metavar="NAME=VALUE",
                        help="set this for every measured command")
    parser.add_argument("--corpus", type=Path, default=ROOT / "corpus", help="the small corpus (default: bundled)")
    parser.add_argument("--golden", type=Path, default=ROOT / "evals" / "golden.jsonl")
    parser.add_argument("--library", type=Path, default=library.LIBRARY / "pdf",
                        help="the big corpus (default: ../shared/corpora/library/pdf)")
    parser.add_argument("--skip-library", action="store_true", help="only the small corpus")
    parser.add_argument("--skip-server", action="store_true", help="no Chroma server measures")
    parser.add_argument("--embedders", action="store_true", help="also compare index-time encoders")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "RESULTS.md", help="Markdown results file")
    parser.add_argument("--work", type=Path, default=None, help="work folder (default: a temporary one, removed)")
    parser.add_argument("--keep", action="store_true", help="keep the work folder")
    parser.add_argument("--strict", action="store_true", help="exit 1 when a target is missed")
    args = parser.parse_args(argv)

    def reps(full: int, quick: int) -> int:
        return args.repeat if args.repeat else (quick if args.quick else full)

    EXTRA_ENV.clear()
    EXTRA_ENV.update(dict(item.split("=", 1) for item in args.env))
    work = args.work or Path(tempfile.mkdtemp(prefix="qa-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    corpus = args.corpus.resolve()
    golden_items = questions(args.golden)
    asks = [i["question"] for i in golden_items if i.get("answerable")] or [i["question"] for i in golden_items]
    info = machine()
    load_start = loadavg()
    started = time.perf_counter()
    rows: list[Row] = []
    quality: dict[str, dict] = {}
    notes: list[str] = []
    embed: dict | None = None
    try:
        scratch, index, _ = bench_index("bundled", corpus, work, reps(3, 1), TARGETS["index_scratch_s"])
        rows.append(scratch)
        rows.append(bench_refresh("bundled", corpus, index, reps(5, 1), TARGETS["refresh_s"]))
        rows.append(bench_ask("bundled", corpus, index, asks, reps(10, 2), TARGETS["cold_ask_s"],
                              TARGETS["cold_ask_rss_mb"]))
        rows += bench_batch("bundled", corpus, index, work, asks, args.batch, reps(3, 1), 8.0 if args.quick else 20.0)
        quality["bundled"], result = bench_eval("bundled", corpus, index, args.golden)
        rows.append(row("`qa eval --json` (bundled, whole run)", [result],
                        note=f"{quality['bundled'].get('count')} questions"))
        if args.embedders:
            embed = bench_embedders(embed_texts(index, 60 if args.quick else 300), work, reps(2, 1))
        if not args.skip_library and args.library.is_dir():
            label = "library"
            big = library.link_corpus(args.library, work / "library-corpus")
            files = sorted(p.name for p in big.iterdir())
            size = sum(p.stat().st_size for p in big.iterdir())
            notes.append(f"Library: {len(files)} files from {args.library}, {size / 1e6:.1f} MB, linked into the "
                         "work folder.")
            lib_asks = library.questions()
            rows.append(bench_parse(label, args.library))
            scratch, lib_index, _ = bench_index(label, big, work, reps(2, 1), TARGETS["library_index_s"],
                                                TARGETS["library_index_rss_mb"])
            rows.append(scratch)
            rows.append(bench_refresh(label, big, lib_index, reps(3, 1), TARGETS["library_refresh_s"]))
            one_file, edited = bench_one_file(label, big, lib_index, work)
            rows.append(one_file)
            rows.append(bench_ask(label, big, lib_index, lib_asks, reps(10, 2), TARGETS["library_cold_ask_s"], None))
            rows += bench_batch(label, big, lib_index, work, lib_asks, args.batch, reps(3, 1),
                                8.0 if args.quick else 20.0)
            if not args.skip_server:
                from bench import server

                figures = server.measure(big, edited, work / "server", environment(big, work / "unused"), lib_asks,
                                         reps(5, 1), say=say)
                more_rows, more_notes = server_rows(label, figures)
                rows += more_rows
                notes += more_notes
    finally:
        if not args.keep and args.work is None:
            shutil.rmtree(work, ignore_errors=True)

    shown_argv = " ".join(sys.argv[1:] if argv is None else argv)
    lines = [
        "# Benchmark results",
        "",
        f"`python bench/run.py {shown_argv}`".replace(" `", "`") + f" — {time.strftime('%Y-%m-%d %H:%M %Z')}, "
        f"{time.perf_counter() - started:.0f} s in all. Load average (1/5/15 min) at start {load_start}, "
        f"at end {loadavg()}.",
        "",
        "| machine | |",
        "|---|---|",
        *[f"| {k} | {v} |" for k, v in info.items()],
        "",
        "Every figure is a new process (`ask`, `qa` of this venv) on an index in a temporary folder. Median, min "
        "and max of the runs; peak RSS is the command's own, and (tree …) that of the command with its worker "
        "processes together when that is more.",
        "",
        *table(rows),
        "",
    ]
    if notes:
        lines += notes + [""]
    if quality:
        lines += ["Golden set (`qa eval --json`, all splits):", "", *quality_table(quality), ""]
    if embed:
        lines += [
            f"Index-time encoders on {embed['texts']} chunk texts of the bundled index, one thread each, best of "
            "the runs; cosine to the fp32 vectors (= sentence-transformers):",
            "",
            "| encoder | load s | texts/s | cosine min / mean |",
            "|---|---|---|---|",
            *[f"| {r['encoder']} | {r['load_s']:.2f} | {r['texts_per_s']:.1f} | {r['cos_min']:.6f} / "
              f"{r['cos_mean']:.6f} |" for r in embed["rows"]],
            "",
        ]
    text = "\n".join(lines)
    print(text)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text, encoding="utf-8")
    missed = [r.name for r in rows if r.met is False]
    say(f"{len(missed)} target(s) missed" + (": " + "; ".join(missed) if missed else ""))
    return 1 if args.strict and missed else 0


if __name__ == "__main__":
    sys.exit(main())
