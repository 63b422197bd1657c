"""Run a golden question set through the `ask` pipeline and measure retrieval, answers, citations,
abstention and latency; compare against committed thresholds.

Golden format (one JSON object per line): id, question, answers, evidence, answerable, kind, split.
A paragraph "contains the evidence" when the evidence, with all whitespace removed and
case-folded, is a substring of the paragraph text treated the same way.
"""

from __future__ import annotations

import json
import re
import statistics
import time
from dataclasses import dataclass, field
from pathlib import Path

from qa import config
from qa.answer import Answerer
from qa.errors import QAError
from qa.records import LEAD_SEPARATOR

METRICS = (
    "recall_at_1",
    "recall_at_5",
    "mrr",
    "answer_accuracy",
    "concise_accuracy",
    "mean_answer_words",
    "citation_precision",
    "citation_recall",
    "abstained_unanswerable",
    "wrongly_abstained",
)
HIGHER_IS_BETTER = {m: m not in ("wrongly_abstained", "mean_answer_words") for m in METRICS}


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text).casefold()


def contains_answer(answer: str | None, golds: list[str]) -> bool:
    if not answer:
        return False
    text = re.sub(r"\s+", " ", answer.lower())
    return any(re.sub(r"\s+", " ", g.lower()).strip() in text for g in golds)


def load_golden(path: Path) -> list[dict]:
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as err:
        raise QAError(f"cannot read golden set {path}: {err.strerror}") from err
    items = []
    for n, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
            item["question"], item["answerable"]  # noqa: B018 - required fields
        except (ValueError, KeyError, TypeError) as err:
            raise QAError(f"{path}:{n}: not a golden item ({type(err).__name__})") from err
        items.append(item)
    return items


@dataclass
class Outcome:
    item: dict
    answer: str | None
    abstained: bool
    rank: int | None
    first_cites: bool
    any_cites: bool
    seconds: float
    first_ref: str = ""
    reason: dict | None = None  # the rule that made it abstain, as `--json` gives it


@dataclass
class Report:
    split: str
    overall: dict
    by_kind: dict
    failures: list[dict] = field(default_factory=list)
    count: int = 0

    def to_json(self) -> dict:
        return {
            "split": self.split,
            "count": self.count,
            "overall": self.overall,
            "by_kind": self.by_kind,
            "failures": self.failures,
        }


def run(answerer: Answerer, items: list[dict], k: int = 5, progress=None) -> list[Outcome]:
    """Ask every question (embedding them in one batch first, as `ask --json -` does)."""
    vectors = answerer.embed([i["question"] for i in items]) if items else []
    outcomes = []
    iterator = (
        progress.bar(list(zip(items, vectors)), total=len(items), label="eval", unit="q")
        if progress
        else zip(items, vectors)
    )
    for item, vector in iterator:
        start = time.perf_counter()
        result = answerer.ask(item["question"], k, vector=vector)
        seconds = time.perf_counter() - start
        evidence = squash(item.get("evidence", ""))
        rank = None
        if item["answerable"] and evidence:
            for n, c in enumerate(result.retrieved, 1):
                if evidence in squash(c.text):
                    rank = n
                    break
        cites = [evidence in squash(c.text) for c in result.citations] if evidence else []
        outcomes.append(
            Outcome(
                item,
                result.answer,
                result.abstained,
                rank,
                bool(cites and cites[0]),
                any(cites),
                seconds,
                result.citations[0].ref if result.citations else "",
                result.reason.to_json() if result.reason else None,
            )
        )
    return outcomes


def lead(answer: str | None) -> str | None:
    """The short answer a reply starts with (`34 TLOs — …` → `34 TLOs`); the whole reply if it has none."""
    return answer.split(LEAD_SEPARATOR, 1)[0] if answer else answer


def summarise(outcomes: list[Outcome]) -> dict:
    answerable = [o for o in outcomes if o.item["answerable"]]
    unanswerable = [o for o in outcomes if not o.item["answerable"]]
    answered = [o for o in answerable if not o.abstained]

    def share(rows, pred) -> float | None:
        return round(sum(1 for r in rows if pred(r)) / len(rows), 4) if rows else None

    correct = lambda o: contains_answer(o.answer, o.item["answers"])  # noqa: E731
    words = [len(o.answer.split()) for o in outcomes if o.answer]
    times = sorted(o.seconds for o in outcomes)
    return {
        "count": len(outcomes),
        "recall_at_1": share(answerable, lambda o: o.rank == 1),
        "recall_at_5": share(answerable, lambda o: o.rank is not None and o.rank <= 5),
        "mrr": round(sum(1 / o.rank for o in answerable if o.rank) / len(answerable), 4) if answerable else None,
        "answer_accuracy": share(answerable, correct),
        "concise_accuracy": share(
            answerable, lambda o: correct(o) and len(o.answer.split()) <= config.MAX_ANSWER_WORDS
        ),
        # Stricter: the short answer that leads the reply (before ` — `) holds the answer itself.
        "lead_accuracy": share(answerable, lambda o: contains_answer(lead(o.answer), o.item["answers"])),
        # Of the replies that answered (any item), the share that are right / whose lead is right.
        "answer_precision": share(
            [o for o in outcomes if not o.abstained], lambda o: o.item["answerable"] and correct(o)
        ),
        "lead_precision": share(
            [o for o in outcomes if not o.abstained],
            lambda o: o.item["answerable"] and contains_answer(lead(o.answer), o.item["answers"]),
        ),
        # Of the replies that answered, the share that lead with a short answer (the rest lead with the sentence).
        "lead_share": share([o for o in outcomes if not o.abstained], lambda o: LEAD_SEPARATOR in (o.answer or "")),
        "mean_answer_words": round(statistics.mean(words), 2) if words else None,
        "citation_precision": share(answered, lambda o: o.first_cites),
        "citation_recall": share(answered, lambda o: o.any_cites),
        "abstained_unanswerable": share(unanswerable, lambda o: o.abstained),
        "wrongly_abstained": share(answerable, lambda o: o.abstained),
        "latency_p50_ms": round(1000 * times[len(times) // 2], 1) if times else None,
        "latency_p95_ms": round(1000 * times[min(len(times) - 1, int(len(times) * 0.95))], 1) if times else None,
    }


def report(outcomes: list[Outcome], split: str) -> Report:
    kinds = sorted({o.item.get("kind", "?") for o in outcomes})
    failures = []
    for o in outcomes:
        item = o.item
        ok = (o.abstained and not item["answerable"]) or (
            item["answerable"] and not o.abstained and contains_answer(o.answer, item["answers"]) and o.first_cites
        )
        if not ok:
            failures.append(
                {
                    "id": item.get("id"),
                    "kind": item.get("kind"),
                    "question": item["question"],
                    "expected": item["answers"] if item["answerable"] else "(abstain)",
                    "got": o.answer if not o.abstained else "(abstained)",
                    "first_citation": o.first_ref,
                    "evidence_rank": o.rank,
                    "reason": o.reason,
                }
            )
    return Report(
        split,
        summarise(outcomes),
        {k: summarise([o for o in outcomes if o.item.get("kind") == k]) for k in kinds},
        failures,
        len(outcomes),
    )


def outcome_rows(outcomes: list[Outcome]) -> list[dict]:
    """One JSON-ready row per item: what `qa eval --save` writes and `--diff` compares."""
    return [
        {
            "id": o.item.get("id"),
            "question": o.item["question"],
            "answer": o.answer,
            "abstained": o.abstained,
            "first_citation": o.first_ref,
            "reason": o.reason,
            "correct": (o.abstained and not o.item["answerable"])
            or (o.item["answerable"] and not o.abstained and contains_answer(o.answer, o.item["answers"])),
        }
        for o in outcomes
    ]


def diff(before: list[dict], after: list[dict]) -> list[dict]:
    """Items whose answer, verdict or first citation changed between two saved runs (matched by id)."""
    old = {row["id"]: row for row in before}
    changed = []
    for row in after:
        was = old.get(row["id"])
        if was is None:
            continue
        fields = [f for f in ("abstained", "answer", "first_citation") if was.get(f) != row.get(f)]
        if fields:
            changed.append(
                {"id": row["id"], "question": row["question"], "changed": fields, "before": was, "after": row}
            )
    return changed


def load_rows(path: Path) -> list[dict]:
    try:
        return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    except (OSError, ValueError) as err:
        raise QAError(f"cannot read saved run {path}: {err}") from err


def select(items: list[dict], split: str) -> list[dict]:
    return items if split == "all" else [i for i in items if i.get("split") == split]


def load_thresholds(path: Path, split: str) -> dict[str, float]:
    import tomllib

    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as err:
        raise QAError(f"cannot read thresholds {path}: {err}") from err
    return {k: float(v) for k, v in data.get(split, {}).items()}


def check(overall: dict, thresholds: dict[str, float]) -> list[str]:
    """The metrics that miss their threshold, as readable lines."""
    misses = []
    for name, bound in thresholds.items():
        value = overall.get(name)
        if value is None:
            continue
        worse = value < bound if HIGHER_IS_BETTER.get(name, True) else value > bound
        if worse:
            relation = "<" if HIGHER_IS_BETTER.get(name, True) else ">"
            misses.append(f"{name} = {value} {relation} threshold {bound}")
    return misses


def format_table(rep: Report, failures: bool = True) -> str:
    columns = [
        ("n", "count"),
        ("R@1", "recall_at_1"),
        ("R@5", "recall_at_5"),
        ("MRR", "mrr"),
        ("acc", "answer_accuracy"),
        ("concise", "concise_accuracy"),
        ("lead", "lead_accuracy"),
        ("ans-P", "answer_precision"),
        ("lead-P", "lead_precision"),
        ("led", "lead_share"),
        ("words", "mean_answer_words"),
        ("cite-P", "citation_precision"),
        ("cite-R", "citation_recall"),
        ("abst-U", "abstained_unanswerable"),
        ("abst-A", "wrongly_abstained"),
        ("p50ms", "latency_p50_ms"),
        ("p95ms", "latency_p95_ms"),
    ]
    rows = [("all", rep.overall)] + sorted(rep.by_kind.items())
    header = f"{'kind':<13}" + "".join(f"{c:>8}" for c, _ in columns)
    lines = [f"split: {rep.split}", header]
    for name, m in rows:
        cells = "".join(f"{'-' if m.get(key) is None else m[key]:>8}" for _, key in columns)
        lines.append(f"{name:<13}{cells}")
    if rep.failures and failures:
        lines.append("")
        lines.append(f"failures ({len(rep.failures)}):")
        for f in rep.failures:
            got = (f["got"] or "")[:90]
            lines.append(f"  {f['id']} [{f['kind']}] {f['question']}")
            cited = f["first_citation"].split(":")[-1]
            rank = f["evidence_rank"]
            why = f" | abstained by {f['reason']['rule']}" if f.get("reason") else ""
            lines.append(f"      expected {f['expected']} | got {got} | cited {cited} | evidence rank {rank}{why}")
    return "\n".join(lines)
