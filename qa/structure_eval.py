"""Measure recovered section structure against ground truth written from each document's contents.

Ground truth (`evals/structure/*.json`) lists a document's headings with level and physical page,
taken from its PDF outline or contents page. The PDF is parsed with its outline ignored (so the
contents page and typography must do the work), and we report heading precision and recall (title
and page both match), level accuracy over the matched headings, and the share of paragraphs filed
under the right heading.
"""

from __future__ import annotations

import json
import re
import time
from dataclasses import dataclass, field
from pathlib import Path

from qa.errors import QAError


def squash(text: str) -> str:
    return re.sub(r"[^0-9a-z]+", "", text.lower())


@dataclass
class DocScore:
    doc: str
    truth: int
    found: int
    matched: int
    level_right: int
    paragraphs: int
    paragraphs_right: int
    pages: int
    seconds: float
    missed: list[str] = field(default_factory=list)
    extra: list[str] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.matched / self.found if self.found else 0.0

    @property
    def recall(self) -> float:
        return self.matched / self.truth if self.truth else 0.0

    def to_json(self) -> dict:
        return {
            "doc": self.doc,
            "headings": self.truth,
            "found": self.found,
            "precision": round(self.precision, 4),
            "recall": round(self.recall, 4),
            "level_accuracy": round(self.level_right / self.matched, 4) if self.matched else 0.0,
            "section_accuracy": round(self.paragraphs_right / self.paragraphs, 4) if self.paragraphs else 0.0,
            "pages": self.pages,
            "pages_per_second": round(self.pages / self.seconds, 1) if self.seconds else None,
            "missed": self.missed,
            "extra": self.extra,
        }


def _same(title: str, text: str) -> bool:
    from qa.ingest.numbering import numbering

    a, b = squash(title), squash(text)
    if a == b:
        return True
    stripped = numbering(text)
    return bool(stripped) and squash(stripped.title) == a


def score_document(truth_path: Path, library: Path, use_contents: bool = True) -> DocScore:
    from qa.ingest.layout import pdf_document
    from qa.ingest.pdfium import read_pdf

    truth = json.loads(truth_path.read_text(encoding="utf-8"))
    pdf_path = library / truth["doc"]
    if not pdf_path.is_file():
        raise QAError(f"{truth_path.name}: {pdf_path} not found")
    start = time.perf_counter()
    document = pdf_document(truth["doc"], read_pdf(pdf_path), use_outline=False, use_contents=use_contents)
    seconds = time.perf_counter() - start
    gold = truth["headings"]
    found = [b for b in document.blocks if b.kind == "heading"]
    used: set[int] = set()
    pairs: dict[int, int] = {}
    for j, block in enumerate(found):
        for i, g in enumerate(gold):
            if i not in used and g["page"] == block.page and _same(g["title"], block.text):
                used.add(i)
                pairs[j] = i
                break
    level_right = sum(1 for j, i in pairs.items() if found[j].level == gold[i]["level"])
    paragraphs = right = 0
    current_gold: int | None = None
    current_found: int | None = None
    heading_index = {id(b): j for j, b in enumerate(found)}
    unmatched_by_page: dict[int, list[int]] = {}
    for i, g in enumerate(gold):
        if i not in used:
            unmatched_by_page.setdefault(g["page"], []).append(i)
    page_seen: set[int] = set()
    for block in document.blocks:
        if block.page not in page_seen:
            page_seen.add(block.page)
            for i in unmatched_by_page.get(block.page, []):
                current_gold = i if current_gold is None or i > current_gold else current_gold
        if block.kind == "heading":
            j = heading_index[id(block)]
            current_found = j
            if j in pairs:
                current_gold = pairs[j]
            continue
        if block.kind not in ("body", "list", "table"):
            continue
        paragraphs += 1
        if current_gold is None and current_found is None:
            right += 1
        elif current_found is not None and current_gold is not None and pairs.get(current_found) == current_gold:
            right += 1
    return DocScore(
        doc=truth["doc"],
        truth=len(gold),
        found=len(found),
        matched=len(pairs),
        level_right=level_right,
        paragraphs=paragraphs,
        paragraphs_right=right,
        pages=document.pages,
        seconds=seconds,
        missed=[f"p{g['page']} {g['title']}" for i, g in enumerate(gold) if i not in used],
        extra=[f"p{b.page} {b.text}" for j, b in enumerate(found) if j not in pairs],
    )


def format_table(result: dict) -> str:
    head = f"{'document':<56}{'headings':>9}{'found':>7}{'P':>7}{'R':>7}{'level':>7}{'section':>8}{'pages/s':>9}"
    lines = [head]
    for d in result["documents"]:
        lines.append(
            f"{d['doc'][:55]:<56}{d['headings']:>9}{d['found']:>7}{d['precision']:>7.2f}{d['recall']:>7.2f}"
            f"{d['level_accuracy']:>7.2f}{d['section_accuracy']:>8.2f}{d['pages_per_second'] or 0:>9.1f}"
        )
    o = result["overall"]
    lines.append(
        f"{'all (' + str(o['documents']) + ' documents)':<56}{o['headings']:>9}{'':>7}{o['precision']:>7.2f}"
        f"{o['recall']:>7.2f}{o['level_accuracy']:>7.2f}{o['section_accuracy']:>8.2f}{o['pages_per_second'] or 0:>9.1f}"
    )
    return "\n".join(lines)


def run(truth_dir: Path, library: Path, use_contents: bool = True) -> dict:
    """Scores per document and overall (micro-averaged over headings and paragraphs)."""
    files = sorted(truth_dir.glob("*.json"))
    if not files:
        raise QAError(f"no structure ground truth in {truth_dir}")
    scores = [score_document(path, library, use_contents) for path in files]
    truth = sum(s.truth for s in scores)
    found = sum(s.found for s in scores)
    matched = sum(s.matched for s in scores)
    paragraphs = sum(s.paragraphs for s in scores)
    pages = sum(s.pages for s in scores)
    seconds = sum(s.seconds for s in scores)
    return {
        "overall": {
            "documents": len(scores),
            "headings": truth,
            "precision": round(matched / found, 4) if found else 0.0,
            "recall": round(matched / truth, 4) if truth else 0.0,
            "level_accuracy": round(sum(s.level_right for s in scores) / matched, 4) if matched else 0.0,
            "section_accuracy": round(sum(s.paragraphs_right for s in scores) / paragraphs, 4) if paragraphs else 0.0,
            "pages_per_second": round(pages / seconds, 1) if seconds else None,
        },
        "documents": [s.to_json() for s in scores],
    }
