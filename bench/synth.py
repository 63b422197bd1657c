"""Build a synthetic corpus N times the size of a real one: the real documents plus noise copies.

    python bench/synth.py OUT_DIR --scale 200 [--corpus corpus] [--golden evals/golden.jsonl]

The real documents are copied byte for byte (their refs and the golden set still apply). Each of
the N-1 noise documents keeps the outline of a real document (its headings, in order, as
Markdown) but fills every paragraph with sentences drawn at random from *other* sections, and
varies the names: agency acronyms, the country, its capital, the currency, fiscal years and every
other number change from copy to copy (consistently within a copy). No two noise documents are
the same text, and none contains a golden evidence string verbatim: a noise paragraph that would
is redrawn, so `qa eval` can only score a hit on the real document.

Deterministic: the same input and seed give the same bytes.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path

# bench/ is not a package; make `qa` importable when run as a script from a checkout.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from qa.ingest.formats import parse_document  # noqa: E402
from qa.sentences import split_sentences  # noqa: E402

COUNTRIES = [
    ("Norland", "Norlandic", "Vessen"),
    ("Kestria", "Kestrian", "Oberhal"),
    ("Ardenia", "Ardenian", "Lusk"),
    ("Valmora", "Valmoran", "Teregrad"),
    ("Osterra", "Osterran", "Kelby"),
    ("Brevia", "Brevian", "Amsel"),
    ("Caldora", "Caldoran", "Mirrow"),
    ("Estmark", "Estmarkish", "Hallen"),
    ("Thessaly", "Thessalian", "Pyrgos"),
    ("Lunmar", "Lunmari", "Sagres"),
    ("Corvanne", "Corvannese", "Beaulac"),
    ("Drevland", "Drevish", "Tolmin"),
]
CURRENCIES = ["crowns", "marks", "florins", "ducats", "thalers", "dinars", "reals", "guilders"]
# Acronyms that are ordinary vocabulary, not names: keep them.
KEEP = {
    "R&D",
    "IP",
    "AI",
    "ICT",
    "ISO",
    "IEC",
    "COVID",
    "UN",
    "SDGs",
    "FY",
    "DX",
    "PR",
    "WG",
    "SME",
    "SMEs",
    "CS&E",
    "URL",
}
ACRONYM = re.compile(r"\b([A-Z][A-Z0-9&]{2,9})(s?)\b")
FISCAL = re.compile(r"\bFY\s?(19|20)(\d\d)\b")
YEAR = re.compile(r"\b(19[5-9]\d|20[0-4]\d)\b")
NUMBER = re.compile(r"(?<![\w.])\d+(?:,\d{3})*(?:\.\d+)?")


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text).casefold()


@dataclass
class Names:
    """One noise copy's substitutions, consistent inside the copy."""

    rng: random.Random
    country: tuple[str, str, str]
    currency: str
    year_shift: int

    def __post_init__(self) -> None:
        self.acronyms: dict[str, str] = {}

    def acronym(self, word: str) -> str:
        if word in KEEP or word.upper() != word or not any(c.isalpha() for c in word):
            return word
        if word not in self.acronyms:
            letters = "".join(self.rng.choice("ABCDEFGHIJKLMNOPRSTUVW") for _ in range(max(3, len(word))))
            self.acronyms[word] = letters
        return self.acronyms[word]

    def number(self, match: re.Match) -> str:
        text = match.group(0)
        if YEAR.fullmatch(text):
            return str(int(text) + self.year_shift)
        out = []
        for i, c in enumerate(text):
            if c.isdigit():
                lo = 1 if i == 0 and len(text) > 1 else 0
                out.append(str(self.rng.randint(lo, 9)))
            else:
                out.append(c)
        return "".join(out)

    def apply(self, text: str) -> str:
        country, adjective, capital = self.country
        text = re.sub(r"\bJapanese\b", adjective, text)
        text = re.sub(r"\bJapan\b", country, text)
        text = re.sub(r"\bTokyo\b", capital, text)
        text = re.sub(r"\byen\b", self.currency, text)
        text = FISCAL.sub(lambda m: f"FY{int(m.group(1) + m.group(2)) + self.year_shift}", text)
        text = ACRONYM.sub(lambda m: self.acronym(m.group(1)) + m.group(2), text)
        return NUMBER.sub(self.number, text)


def load_evidence(golden: Path | None) -> list[str]:
    if not golden or not golden.is_file():
        return []
    out = []
    for line in golden.read_text(encoding="utf-8").splitlines():
        if line.strip():
            evidence = json.loads(line).get("evidence") or ""
            if evidence.strip():
                out.append(squash(evidence))
    return out


def noise_document(paragraphs, rng: random.Random, names: Names, evidence: list[str], stats: dict) -> str:
    """Markdown with the real outline; each paragraph holds sentences from other sections."""
    pool: list[tuple[tuple[str, ...], str]] = []
    for p in paragraphs:
        if p.kind != "heading":
            for sentence in split_sentences(p.text) or [p.text]:
                pool.append((p.section[:2], sentence))
    lines: list[str] = []
    for p in paragraphs:
        if p.kind == "heading":
            level = min(6, max(1, len(p.section)))
            lines += ["#" * level + " " + names.apply(p.text), ""]
            continue
        want = max(1, len(split_sentences(p.text)))
        others = [s for section, s in pool if section != p.section[:2]] or [s for _, s in pool]
        picked: list[str] = []
        tries = 0
        while len(picked) < want and tries < 50 * want:
            tries += 1
            sentence = names.apply(rng.choice(others))
            candidate = squash(" ".join([*picked, sentence]))
            if any(e in candidate for e in evidence):
                stats["redrawn"] += 1
                continue
            picked.append(sentence)
        if picked:
            lines += [" ".join(picked), ""]
    return "\n".join(lines)


def build(out_dir: Path, corpus_dir: Path, scale: int, golden: Path | None = None, seed: int = 0) -> dict:
    """Write the synthetic corpus into `out_dir` (emptied first); returns counts."""
    if scale < 1:
        raise ValueError("scale must be at least 1")
    sources = sorted(
        p for p in corpus_dir.rglob("*") if p.is_file() and p.suffix.lower() in (".txt", ".md", ".markdown")
    )
    if not sources:
        raise ValueError(f"no .txt or .md files in {corpus_dir}")
    if out_dir.exists():
        shutil.rmtree(out_dir)
    out_dir.mkdir(parents=True)
    evidence = load_evidence(golden)
    parsed = []
    for path in sources:
        shutil.copyfile(path, out_dir / path.name)
        parsed.append(parse_document(path.name, path.read_text(encoding="utf-8")))
    rng = random.Random(seed)
    stats = {"real_documents": len(sources), "noise_documents": 0, "redrawn": 0}
    digits = len(str(scale))
    for n in range(1, scale):
        for source, paragraphs in zip(sources, parsed, strict=True):
            country = COUNTRIES[rng.randrange(len(COUNTRIES))]
            names = Names(random.Random(rng.random()), country, rng.choice(CURRENCIES), rng.randint(-30, 30) or 7)
            text = noise_document(paragraphs, random.Random(rng.random()), names, evidence, stats)
            stem = re.sub(r"[^a-z0-9]+", "-", country[0].lower())
            (out_dir / f"noise-{n:0{digits}d}-{stem}-{source.stem[:24]}.md").write_text(text, encoding="utf-8")
            stats["noise_documents"] += 1
    files = list(out_dir.iterdir())
    stats["files"] = len(files)
    stats["bytes"] = sum(f.stat().st_size for f in files)
    return stats


def main(argv: list[str] | None = None) -> None:
    root = Path(__file__).resolve().parent.parent
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out_dir", type=Path)
    parser.add_argument("--scale", type=int, default=200, help="total size as a multiple of the corpus (default 200)")
    parser.add_argument("--corpus", type=Path, default=root / "corpus")
    parser.add_argument("--golden", type=Path, default=root / "evals" / "golden.jsonl")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    stats = build(args.out_dir, args.corpus, args.scale, args.golden, args.seed)
    print(json.dumps(stats))


if __name__ == "__main__":
    main()
