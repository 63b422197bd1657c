"""Measure qa against its speed targets (issue 5) and write a Markdown table.

    python bench/run.py                  # everything, scale 200x (long: the 200x index takes minutes)
    python bench/run.py --quick          # fewer repeats
    python bench/run.py --scale 50       # a smaller synthetic corpus
    python bench/run.py --skip-scale     # bundled corpus only

Every command runs as a fresh process, exactly as a user runs it (`ask`, `qa` from this venv),
against index folders in a temporary directory (never the project's index/). Wall time comes from
the parent, peak RSS from the child's own rusage (os.wait4). Each figure is the median of the
runs, with min and max. The table goes to stdout and to bench/RESULTS.md (or --out).

Measured: `qa index` from scratch and a no-change refresh, a cold `ask` (human output), batch
throughput of `ask --json -` after start-up, `qa eval --json` quality, index-time embedding
(`SentenceEncoder` against sentence-transformers: speed and cosine), and the same on a
synthetic corpus N times the bundled one (bench/synth.py): index throughput, cold `ask`, quality.
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
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

# The targets of issue 5 (medians on the reference 2-core machine, index already built).
TARGETS = {
    "cold_ask_s": 1.0,
    "cold_ask_rss_mb": 400,
    "batch_qps": 50,
    "index_scratch_s": 15,
    "refresh_s": 1.5,
    "scale_paragraphs_per_s": 150,
    "scale_cold_ask_s": 1.5,
}
QUALITY_KEYS = ("recall_at_1", "recall_at_5", "mrr", "answer_accuracy", "citation_precision", "abstained_unanswerable")


@dataclass
class Run:
    seconds: float
    rss_mb: float
    code: int
    stdout: str
    stderr: str


@dataclass
class Row:
    name: str
    target: str
    runs: list[float]
    unit: str = "s"
    rss_mb: list[float] = field(default_factory=list)
    met: bool | None = None
    note: str = ""
    text: str = ""  # shown instead of median/min/max when set

    def cells(self) -> list[str]:
        def fmt(v: float) -> str:
            return f"{v:.2f}" if abs(v) < 100 else f"{v:.0f}"

        mark = {True: "yes", False: "**no**", None: "–"}[self.met]
        if self.text:
            return [self.name, self.target, self.text, "–", "–", str(len(self.runs)), "–", mark, self.note]
        med = statistics.median(self.runs) if self.runs else float("nan")
        rss = f"{max(self.rss_mb):.0f}" if self.rss_mb else "–"
        return [
            self.name,
            self.target,
            f"{fmt(med)} {self.unit}",
            fmt(min(self.runs)) if self.runs else "–",
            fmt(max(self.runs)) if self.runs else "–",
            str(len(self.runs)),
            rss,
            mark,
            self.note,
        ]


def tool(name: str) -> list[str]:
    """The `ask`/`qa` console script of this interpreter's environment."""
    script = Path(sys.executable).parent / name
    if script.exists():
        return [str(script)]
    entry = {"ask": "main_ask", "qa": "main_qa"}[name]
    return [sys.executable, "-c", f"from qa.cli import {entry}; {entry}()"]


def run(
    argv: list[str], env: dict[str, str], stdin: Path | None = None, timeout: float = 3600, check: bool = True
) -> Run:
    """Run one command; wall time from here, peak RSS of the child from wait4."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        handle = open(stdin, "rb") if stdin else subprocess.DEVNULL
        try:
            start = time.perf_counter()
            proc = subprocess.Popen(argv, stdin=handle, stdout=out, stderr=err, env=env, cwd=env.get("BENCH_CWD"))
            timer = threading.Timer(timeout, proc.kill)
            timer.start()
            try:
                _, status, usage = os.wait4(proc.pid, 0)
            finally:
                timer.cancel()
            seconds = time.perf_counter() - start
        finally:
            if stdin:
                handle.close()
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        result = Run(
            seconds,
            usage.ru_maxrss / 1024,
            proc.returncode,
            out.read().decode("utf-8", "replace"),
            err.read().decode("utf-8", "replace"),
        )
    if check and result.code != 0:
        raise RuntimeError(f"{' '.join(argv)} exited {result.code}:\n{result.stderr[-2000:]}")
    return result


THREAD_VARS = (
    "OPENBLAS_NUM_THREADS",
    "OMP_NUM_THREADS",
    "MKL_NUM_THREADS",
    "OMP_WAIT_POLICY",
    "PYTHONDONTWRITEBYTECODE",
)
# Extra variables for every measured command (`--env NAME=VALUE`), to measure a proposed setting.
EXTRA_ENV: dict[str, str] = {}


def environment(corpus: Path, index: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("QA_")}
    env.update({"QA_CORPUS_DIR": str(corpus), "QA_INDEX_DIR": str(index), "BENCH_CWD": str(ROOT)})
    env.update(EXTRA_ENV)
    return env


def machine() -> dict[str, str]:
    from importlib import metadata

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
        commit = subprocess.run(
            ["git", "describe", "--always", "--dirty"], cwd=ROOT, capture_output=True, text=True
        ).stdout.strip()
    except OSError:
        commit = "?"
    return {
        "cpus (nproc)": str(os.cpu_count()),
        "cpu": cpu,
        "ram": ram,
        "python": platform.python_version(),
        "torch": version("torch"),
        "numpy": version("numpy"),
        "onnxruntime": version("onnxruntime"),
        "chromadb": version("chromadb"),
        "os": platform.platform(),
        "commit": commit or "?",
        "thread/bytecode env": " ".join(f"{k}={v}" for k, v in {**os.environ, **EXTRA_ENV}.items() if k in THREAD_VARS)
        or "-",
    }


def loadavg() -> str:
    try:
        return " ".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:
        return "?"


def questions(golden: Path) -> list[dict]:
    return [json.loads(line) for line in golden.read_text(encoding="utf-8").splitlines() if line.strip()]


def say(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def median(values: list[float]) -> float:
    return statistics.median(values)


def paragraphs_in(index: Path) -> int:
    current = (index / "CURRENT").read_text(encoding="utf-8").strip()
    manifest = json.loads((index / current / "manifest.json").read_text(encoding="utf-8"))
    return sum(int(f.get("paragraphs", 0)) for f in manifest.get("files", {}).values())


def chunk_texts(index: Path) -> list[str]:
    current = (index / "CURRENT").read_text(encoding="utf-8").strip()
    with open(index / current / "chunks.jsonl", encoding="utf-8") as handle:
        return [json.loads(line)["embed_text"] for line in handle if line.strip()]


def bench_index(label: str, corpus: Path, work: Path, repeat: int, target: float | None) -> tuple[Row, Path]:
    """`qa index` from scratch `repeat` times (a new folder each), then no-change refreshes."""
    times, rss = [], []
    index = work / f"{label}-index-0"
    for n in range(repeat):
        index = work / f"{label}-index-{n}"
        shutil.rmtree(index, ignore_errors=True)
        say(f"{label}: qa index from scratch ({n + 1}/{repeat})")
        result = run(tool("qa") + ["index", "-q"], environment(corpus, index))
        times.append(result.seconds)
        rss.append(result.rss_mb)
        if n < repeat - 1:
            shutil.rmtree(index, ignore_errors=True)
    scratch = Row(
        f"`qa index` from scratch ({label})",
        f"≤ {target:g} s" if target else "",
        times,
        rss_mb=rss,
        met=(median(times) <= target) if target else None,
    )
    return scratch, index


def bench_refresh(label: str, corpus: Path, index: Path, repeat: int, target: float | None) -> Row:
    times, rss = [], []
    for n in range(repeat):
        say(f"{label}: no-change refresh ({n + 1}/{repeat})")
        result = run(tool("qa") + ["index", "-q"], environment(corpus, index))
        if "up to date" not in result.stdout + result.stderr:
            raise RuntimeError(f"a no-change refresh rebuilt the index:\n{result.stdout}{result.stderr}")
        times.append(result.seconds)
        rss.append(result.rss_mb)
    return Row(
        f"no-change `qa index` refresh ({label})",
        f"≤ {target:g} s" if target else "",
        times,
        rss_mb=rss,
        met=(median(times) <= target) if target else None,
    )


def bench_ask(
    label: str, corpus: Path, index: Path, asks: list[str], repeat: int, target: float, rss_target: float | None
) -> Row:
    env = environment(corpus, index)
    run(tool("ask") + [asks[0]], env)  # warm the page cache once; not counted
    times, rss = [], []
    for n in range(repeat):
        question = asks[(n + 1) % len(asks)]
        say(f"{label}: cold ask ({n + 1}/{repeat})")
        result = run(tool("ask") + [question], env)
        times.append(result.seconds)
        rss.append(result.rss_mb)
    met = median(times) <= target and (rss_target is None or max(rss) <= rss_target)
    target_text = f"≤ {target:g} s" + (f", ≤ {rss_target:g} MB" if rss_target else "")
    return Row(f'cold `ask "…"` ({label})', target_text, times, rss_mb=rss, met=met)


def bench_batch(
    corpus: Path, index: Path, work: Path, asks: list[str], count: int | None, repeat: int, seconds: float = 20.0
) -> tuple[Row, Row]:
    """Questions per second of `ask --json -` after start-up: (N-1) / (t(N) - t(1)).

    Without `count`, a probe with 10 questions picks N so that one run takes about `seconds`
    (between 10 and 500 questions): a slow pipeline must not make the benchmark take hours.
    """
    env = environment(corpus, index)
    one = work / "batch-1.txt"
    one.write_text(asks[0] + "\n", encoding="utf-8")
    if count is None:
        probe = work / "batch-probe.txt"
        probe.write_text("\n".join(asks[i % len(asks)] for i in range(10)) + "\n", encoding="utf-8")
        say("batch: probing the rate with 1 and 10 questions")
        base = run(tool("ask") + ["--json", "-"], env, stdin=one).seconds
        rate = 9 / max(run(tool("ask") + ["--json", "-"], env, stdin=probe).seconds - base, 1e-3)
        count = int(min(500, max(10, rate * seconds)))
    many = work / f"batch-{count}.txt"
    many.write_text("\n".join(asks[i % len(asks)] for i in range(count)) + "\n", encoding="utf-8")
    starts, totals, rss = [], [], []
    for n in range(repeat):
        say(f"batch: ask --json - with 1 and {count} questions ({n + 1}/{repeat})")
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
    batch = Row(
        f"batch `ask --json -`, {count} questions, after start-up",
        f"≥ {target:g} q/s",
        rates,
        unit="q/s",
        rss_mb=rss,
        met=median(rates) >= target,
    )
    startup = Row("batch start-up (1 question)", "", starts, rss_mb=[])
    return batch, startup


def bench_eval(label: str, corpus: Path, index: Path, golden: Path) -> tuple[dict, Run]:
    say(f"{label}: qa eval --json")
    result = run(tool("qa") + ["eval", str(golden), "--json", "-q"], environment(corpus, index))
    data = json.loads(result.stdout.strip().splitlines()[-1])
    return data, result


EMBED_SCRIPT = r"""
import json, sys, time
texts = json.load(open(sys.argv[1], encoding="utf-8"))
out = {"texts": len(texts)}
start = time.perf_counter()
from qa.embed import SentenceEncoder
encoder = SentenceEncoder()
out["encoder_load_s"] = time.perf_counter() - start
import numpy as np
best = None
for _ in range(int(sys.argv[2])):
    t = time.perf_counter(); ours = encoder.encode(texts); t = time.perf_counter() - t
    best = t if best is None else min(best, t)
out["encoder_texts_per_s"] = len(texts) / best
import torch
out["torch_threads"] = torch.get_num_threads()
from qa import config
config.go_offline()
start = time.perf_counter()
from sentence_transformers import SentenceTransformer
model = SentenceTransformer(str(config.model_path()), device="cpu")
model.max_seq_length = config.MAX_MODEL_TOKENS
out["st_load_s"] = time.perf_counter() - start
for batch in (64, 16):
    best = None
    for _ in range(int(sys.argv[2])):
        t = time.perf_counter()
        ref = model.encode(texts, batch_size=batch, normalize_embeddings=True, convert_to_numpy=True)
        t = time.perf_counter() - t
        best = t if best is None else min(best, t)
    out[f"st_bs{batch}_texts_per_s"] = len(texts) / best
cos = (np.asarray(ref, dtype=np.float32) * ours).sum(1)
out["cos_min"], out["cos_mean"] = float(cos.min()), float(cos.mean())
from qa.embed import MiniLM
short = [t for t in texts if len(t) < 200][:50]
if short:
    numpy_vectors = MiniLM().encode(short)
    ref_short = model.encode(short, normalize_embeddings=True, convert_to_numpy=True)
    out["numpy_cos_min"] = float((numpy_vectors * ref_short).sum(1).min())
print(json.dumps(out))
"""


def bench_embedders(texts: list[str], work: Path, repeat: int) -> dict:
    """Index-time embedding: our SentenceEncoder against sentence-transformers (speed, cosine)."""
    path = work / "embed-texts.json"
    path.write_text(json.dumps(texts), encoding="utf-8")
    say(f"embedders: SentenceEncoder vs sentence-transformers on {len(texts)} texts")
    env = environment(ROOT / "corpus", work / "unused-index")
    result = run([sys.executable, "-c", EMBED_SCRIPT, str(path), str(repeat)], env)
    return json.loads(result.stdout.strip().splitlines()[-1])


def embed_texts(index: Path, golden_items: list[dict], limit: int) -> list[str]:
    """Chunks of the built index, then golden questions, then long joins (>256 tokens, truncation)."""
    chunks = chunk_texts(index)
    texts = chunks + [item["question"] for item in golden_items]
    texts += [" ".join(chunks[i : i + 6]) for i in range(0, min(len(chunks), 48), 6)]
    if len(texts) > limit:
        step = len(texts) / limit
        texts = [texts[int(i * step)] for i in range(limit)]
    return texts


def table(rows: list[Row]) -> list[str]:
    head = ["measure", "target", "median", "min", "max", "runs", "peak RSS MB", "met", "note"]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    lines += ["| " + " | ".join(row.cells()) + " |" for row in rows]
    return lines


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


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Measure qa against the speed targets of issue 5.")
    parser.add_argument("--quick", action="store_true", help="small repeat counts (a smoke run)")
    parser.add_argument(
        "--scale", type=int, default=200, help="synthetic corpus size as a multiple of the bundled one (default 200)"
    )
    parser.add_argument("--skip-scale", action="store_true", help="only the bundled corpus")
    parser.add_argument("--skip-embedders", action="store_true", help="skip SentenceEncoder vs sentence-transformers")
    parser.add_argument("--repeat", type=int, default=None, help="override every repeat count")
    parser.add_argument(
        "--batch", type=int, default=None, help="questions in the batch run (default: as many as take ~20 s, ≤ 500)"
    )
    parser.add_argument(
        "--env", action="append", default=[], metavar="NAME=VALUE", help="set this for every measured command"
    )
    parser.add_argument(
        "--embed-texts", type=int, default=None, help="texts for the embedder comparison (default 300, quick 60)"
    )
    parser.add_argument(
        "--corpus", type=Path, default=ROOT / "corpus", help="the base corpus (default: the bundled one)"
    )
    parser.add_argument("--golden", type=Path, default=ROOT / "evals" / "golden.jsonl")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "RESULTS.md", help="Markdown results file")
    parser.add_argument(
        "--work", type=Path, default=None, help="work folder (default: a new temporary one, removed after)"
    )
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
    asks = [item["question"] for item in golden_items if item.get("answerable")] or [
        item["question"] for item in golden_items
    ]
    info = machine()
    load_start = loadavg()
    started = time.perf_counter()
    rows: list[Row] = []
    quality: dict[str, dict] = {}
    notes: list[str] = []
    embed: dict | None = None
    try:
        scratch, index = bench_index("bundled", corpus, work, reps(3, 1), TARGETS["index_scratch_s"])
        rows.append(scratch)
        rows.append(bench_refresh("bundled", corpus, index, reps(5, 1), TARGETS["refresh_s"]))
        rows.append(
            bench_ask("bundled", corpus, index, asks, reps(10, 2), TARGETS["cold_ask_s"], TARGETS["cold_ask_rss_mb"])
        )
        batch, startup = bench_batch(corpus, index, work, asks, args.batch, reps(3, 1), 8.0 if args.quick else 20.0)
        rows += [batch, startup]
        data, result = bench_eval("bundled", corpus, index, args.golden)
        quality["bundled"] = data
        rows.append(
            Row(
                "`qa eval --json` (bundled, whole run)",
                "",
                [result.seconds],
                rss_mb=[result.rss_mb],
                note=f"{data.get('count')} questions",
            )
        )
        if not args.skip_embedders:
            embed = bench_embedders(
                embed_texts(index, golden_items, args.embed_texts or (60 if args.quick else 300)), work, reps(2, 1)
            )
        if not args.skip_scale and args.scale > 1:
            from bench.synth import build

            synthetic = work / f"corpus-x{args.scale}"
            say(f"scale: building a synthetic corpus {args.scale}x")
            t = time.perf_counter()
            stats = build(synthetic, corpus, args.scale, args.golden)
            notes.append(
                f"Synthetic corpus ×{args.scale}: {stats['files']} files, {stats['bytes'] / 1e6:.1f} MB "
                f"({stats['real_documents']} real + {stats['noise_documents']} noise documents; "
                f"{stats['redrawn']} noise sentences redrawn because they held a golden evidence string), "
                f"built in {time.perf_counter() - t:.1f} s."
            )
            label = f"x{args.scale}"
            say(f"scale: qa index from scratch on {label} (this is the long one)")
            big = work / f"{label}-index"
            result = run(tool("qa") + ["index", "-q"], environment(synthetic, big))
            paragraphs = paragraphs_in(big)
            rate = paragraphs / result.seconds
            rows.append(
                Row(
                    f"`qa index` from scratch ({label}: {paragraphs} paragraphs, {len(chunk_texts(big))} chunks)",
                    "",
                    [result.seconds],
                    rss_mb=[result.rss_mb],
                )
            )
            rows.append(
                Row(
                    f"index throughput ({label})",
                    f"≥ {TARGETS['scale_paragraphs_per_s']:g} ¶/s",
                    [rate],
                    unit="¶/s",
                    met=rate >= TARGETS["scale_paragraphs_per_s"],
                )
            )
            if args.scale != 200:
                full = round(paragraphs * 200 / args.scale)
                notes.append(
                    f"Not measured, extrapolated linearly from ×{args.scale}: ×200 would be ~{full} paragraphs, "
                    f"~{full / rate:.0f} s to index at the measured {rate:.0f} ¶/s."
                )
            rows.append(bench_refresh(label, synthetic, big, reps(3, 1), None))
            rows.append(bench_ask(label, synthetic, big, asks, reps(5, 1), TARGETS["scale_cold_ask_s"], None))
            data, result = bench_eval(label, synthetic, big, args.golden)
            quality[label] = data
            rows.append(
                Row(
                    f"`qa eval --json` ({label}, whole run)",
                    "",
                    [result.seconds],
                    rss_mb=[result.rss_mb],
                    note=f"{data.get('count')} questions",
                )
            )
            before, after = quality["bundled"]["overall"], data["overall"]
            same = all(after.get(k) is not None and after[k] >= before[k] for k in ("recall_at_1", "recall_at_5"))
            rows.append(
                Row(
                    f"golden recall@1 / @5 ({label})",
                    "unchanged",
                    [1.0],
                    met=same,
                    text=f"{after.get('recall_at_1')} / {after.get('recall_at_5')}",
                    note=f"bundled: {before.get('recall_at_1')} / {before.get('recall_at_5')}",
                )
            )
    finally:
        if not args.keep and args.work is None:
            shutil.rmtree(work, ignore_errors=True)

    lines = [
        "# Benchmark results",
        "",
        f"`python bench/run.py {' '.join(sys.argv[1:] if argv is None else argv)}`".replace(" `", "`")
        + f" — {time.strftime('%Y-%m-%d %H:%M %Z')}, "
        f"{time.perf_counter() - started:.0f} s in all. "
        f"Load average (1/5/15 min) at start {load_start}, at end {loadavg()}.",
        "",
        "| machine | |",
        "|---|---|",
        *[f"| {k} | {v} |" for k, v in info.items()],
        "",
        "Every figure is a new process (`ask`, `qa` of this venv) on an index in a temporary folder. "
        "Median, min and max of the runs; peak RSS is the largest of the runs.",
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
            f"Index-time embedding on {embed['texts']} texts (chunks, golden questions, >256-token joins), "
            f"{embed['torch_threads']} torch threads, best of the runs:",
            "",
            "| encoder | load s | texts/s | cosine vs sentence-transformers (min / mean) |",
            "|---|---|---|---|",
            f"| qa `SentenceEncoder` (torch, no transformers) | {embed['encoder_load_s']:.2f} "
            f"| {embed['encoder_texts_per_s']:.1f} | {embed['cos_min']:.6f} / {embed['cos_mean']:.6f} |",
            f"| sentence-transformers, batch 64 | {embed['st_load_s']:.2f} "
            f"| {embed['st_bs64_texts_per_s']:.1f} | 1 (reference) |",
            f"| sentence-transformers, batch 16 | – | {embed['st_bs16_texts_per_s']:.1f} | 1 (reference) |",
            f"| qa `MiniLM` (numpy, query path), short texts | – | – "
            f"| {embed.get('numpy_cos_min', float('nan')):.6f} (min) |",
            "",
        ]
    text = "\n".join(lines)
    print(text)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text, encoding="utf-8")
    missed = [row.name for row in rows if row.met is False]
    say(f"{len(missed)} target(s) missed" + (": " + "; ".join(missed) if missed else ""))
    return 1 if args.strict and missed else 0


if __name__ == "__main__":
    sys.exit(main())
