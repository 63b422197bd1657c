"""The counting vocabulary every command shares: records, sections, paragraphs, chunks, documents.

- a *record* is one unit the parser stores with a ref (`qa show REF` prints one): a heading or a paragraph;
- a *section* is what a heading record opens (`Section 1 …`, `❶ …`, `# Overview`): one per heading;
- a *paragraph* is every other record: body text, a figure's text, a caption, a Source/Notes line,
  a footnote or a URL. Answers cite paragraphs, `¶N` numbers them within their section;
- a *chunk* is a piece of a paragraph short enough for MiniLM to read whole; a long paragraph
  gives several. Chunks are what is embedded and searched;
- a *document* is one indexed corpus file (a skipped file is not a document).

`qa index`, `qa sources`, `qa indexes` and `qa eval` all count through here, so the same index
gives the same numbers everywhere.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass
from pathlib import Path

HEADING = "heading"
# How the kind of a heading record reads in paragraphs.jsonl (json.dumps' default separators;
# a `"` inside a text value is escaped, so this cannot match inside one).
_HEADING_FIELD = b'"kind": "heading"'


@dataclass(frozen=True)
class Counts:
    documents: int
    paragraphs: int
    sections: int
    chunks: int

    def to_json(self) -> dict:
        return asdict(self)

    def __str__(self) -> str:
        return (f"{plural(self.documents, 'document')}, {in_sections(self)}, {plural(self.chunks, 'chunk')}")


def plural(n: int, word: str) -> str:
    return f"{n:,} {word}" if n == 1 else f"{n:,} {word}s"


def in_sections(counts: Counts) -> str:
    """`94 paragraphs in 67 sections` (`3 paragraphs, no sections` for a document without headings)."""
    sections = f"in {plural(counts.sections, 'section')}" if counts.sections else ", no sections"
    return f"{plural(counts.paragraphs, 'paragraph')}{' ' if counts.sections else ''}{sections}"


def of_records(records: Iterable, chunks: int = 0) -> Counts:
    """Counts of Paragraph records (headings included) and the number of their chunks."""
    docs: set[str] = set()
    sections = paragraphs = 0
    for record in records:
        docs.add(record.doc)
        if record.kind == HEADING:
            sections += 1
        else:
            paragraphs += 1
    return Counts(len(docs), paragraphs, sections, chunks)


def of_snapshot(snapshot) -> Counts:
    return of_records(snapshot.paragraphs, len(snapshot.chunks))


def of_generation(folder: Path, manifest: dict) -> Counts:
    """Counts of a generation folder read from its files, without opening it as a Snapshot."""
    records = sections = 0
    with open(folder / "paragraphs.jsonl", "rb") as handle:
        for line in handle:
            if line.strip():
                records += 1
                sections += _HEADING_FIELD in line
    with open(folder / "chunks.jsonl", "rb") as handle:
        chunks = sum(1 for line in handle if line.strip())
    return Counts(len(manifest.get("files", {})), records - sections, sections, chunks)


def per_document(records: Iterable) -> dict[str, Counts]:
    """Counts for each document id (chunks left at 0)."""
    by_doc: dict[str, list] = {}
    for record in records:
        by_doc.setdefault(record.doc, []).append(record)
    return {doc: of_records(rows) for doc, rows in by_doc.items()}
