"""The analyst library as a benchmark corpus: linked (never copied) into a work folder, and edited.

The library (../shared/corpora/library, see its README) is read-only and must not be copied into
the project. `link_corpus` makes a folder of symbolic links to its files; `edit_one` replaces one
link with an edited copy (a PDF with one page dropped, written with pypdf into the work folder)
so a refresh has exactly one changed file to parse and embed. `questions` are the ones the
benchmark asks: the library eval sets (evals/library/*.jsonl) when there are any, else a short
hand-written list about the library's reports.
"""

from __future__ import annotations

import json
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LIBRARY = ROOT.parent / "shared" / "corpora" / "library"
SUFFIXES = (".pdf", ".md", ".txt")
# Asked when evals/library holds no question sets (each answered by one report of the library).
FALLBACK_QUESTIONS = [
    "When was USDA made an executive department?",
    "What is the 10-20-30 provision?",
    "How many counties are persistent poverty counties?",
    "What does the Seafood Import Monitoring Program require?",
    "How is the Speaker of the House elected?",
    "What funding did the IIJA provide for highways?",
    "What is the methane emissions charge?",
    "What are Trump Accounts?",
    "What is decentralized finance?",
    "How many bridges are in poor condition?",
    "What is the revenue-maximizing corporate tax rate?",
    "Which grant programs support election administration?",
    "What does the AI Risk Management Framework call its core functions?",
    "What is the Strait of Hormuz?",
    "How many employees did the Social Security Administration have?",
    "What is seabed mining?",
    "Who was Speaker of the House in 1913?",
    "What are the standard deduction amounts for 2026?",
    "How much of U.S. Treasury securities do foreign investors hold?",
    "What does the Economic Development Administration fund?",
]


def available(library: Path = LIBRARY) -> bool:
    return (library / "pdf").is_dir()


def link_corpus(source: Path, dest: Path) -> Path:
    """`dest` holding a link to every corpus file directly inside `source`."""
    dest.mkdir(parents=True, exist_ok=True)
    for path in sorted(source.iterdir()):
        if path.suffix.lower() in SUFFIXES and path.is_file():
            link = dest / path.name
            if link.is_symlink() or link.exists():
                link.unlink()
            link.symlink_to(path.resolve())
    return dest


def edit_one(corpus: Path, work: Path) -> str:
    """Replace one file of `corpus` by an edited copy; returns its name.

    A PDF loses its middle page (text on both sides of the cut changes, the rest stays); a text or
    Markdown file gets one paragraph more.
    """
    files = sorted(p for p in corpus.iterdir() if p.suffix.lower() in SUFFIXES)
    pdfs = [p for p in files if p.suffix.lower() == ".pdf"]
    target = pdfs[len(pdfs) // 2] if pdfs else files[0]
    original = target.resolve()
    work.mkdir(parents=True, exist_ok=True)
    edited = work / f"edited-{target.name}"
    if target.suffix.lower() == ".pdf":
        from pypdf import PdfReader, PdfWriter

        reader = PdfReader(str(original))
        writer = PdfWriter()
        drop = len(reader.pages) // 2 if len(reader.pages) > 1 else -1
        for number, page in enumerate(reader.pages):
            if number != drop:
                writer.add_page(page)
        with open(edited, "wb") as handle:
            writer.write(handle)
    else:
        edited.write_text(original.read_text(encoding="utf-8") + "\n\nOne more paragraph for the benchmark.\n",
                          encoding="utf-8")
    target.unlink()
    target.symlink_to(edited)
    return target.name


# Held-out library sets (evals/README.md): read as summary numbers only, so not asked here either.
HELD_OUT = ("R47194.5", "R48914.2")


def adopt(index: Path, corpus: Path) -> None:
    """Record `corpus` as the corpus of the index folder `index` (a copy of another corpus's index):
    qa refuses an index folder that records another corpus, as it should for an analyst."""
    from qa.locations import CORPUS_RECORD

    (index / CORPUS_RECORD).write_text(json.dumps({"corpus": str(corpus.resolve())}), encoding="utf-8")


def questions(library: Path = LIBRARY) -> list[str]:
    """Questions of the library eval sets that are not held out, else FALLBACK_QUESTIONS."""
    asked: list[str] = []
    for path in sorted((ROOT / "evals" / "library").glob("*.jsonl")):
        if path.stem in HELD_OUT:
            continue
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                asked.append(json.loads(line)["question"])
    return asked or list(FALLBACK_QUESTIONS)
