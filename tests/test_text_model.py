"""Plain text goes through the one document model: blocks from qa.ingest.text, sections from
qa.ingest.sections, headings by a numbering sequence in whatever grammar the text uses."""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict

from conftest import CORPUS_FILE, DOC

from qa.corpus import SourceFile, read_document
from qa.ingest.numbering import Sequence, counts, numbering
from qa.ingest.sections import to_paragraphs
from qa.ingest.text import text_document

# sha256 of the bundled chapter's records (refs, sections, numbers, pages, kinds, texts) before the
# plain-text parser moved onto the document model; any change to them is a change of its refs.
CHAPTER_RECORDS = "c484d66d137eb5f39d75fc961cae194436cb75fb50220519b57f32692813a246"


def read(tmp_path, name: str, text: str):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    document = read_document(SourceFile(path, name, ""))
    assert document is not None
    return document.paragraphs


def rows(records):
    return [(r.ref.split(":", 1)[1], r.kind, r.section_labels) for r in records]


def test_bundled_chapter_records_are_unchanged():
    document = read_document(SourceFile(CORPUS_FILE, CORPUS_FILE.name, ""))
    records = [asdict(p) for p in document.paragraphs]
    assert len(records) == 161
    digest = hashlib.sha256(json.dumps(records, ensure_ascii=False, sort_keys=True).encode()).hexdigest()
    assert digest == CHAPTER_RECORDS


def test_bundled_chapter_is_blocks_then_to_paragraphs():
    text = CORPUS_FILE.read_text(encoding="utf-8")
    model = text_document(CORPUS_FILE.name, text)
    assert {b.kind for b in model.blocks} <= {"heading", "body", "caption", "source", "footnote", "url", "figure"}
    assert sorted({b.level for b in model.of_kind("heading")}) == [1, 2, 3, 4]
    paragraphs = read_document(SourceFile(CORPUS_FILE, CORPUS_FILE.name, "")).paragraphs
    assert to_paragraphs(DOC, model) == paragraphs


WATER = """Chapter 3 Water Policy

This chapter covers water.

1. Rivers

Rivers are managed by the prefectures.

1.1 Flood control

Levees were raised in 2019.

1.2 Dams

There are 2,700 dams.

2. Groundwater

Wells are licensed.

3. Not a heading, since it ends like a sentence.

(3) Of the wells, most are private

4.1 Out of sequence under 2
"""


def test_other_numbering_grammar_gives_sections(tmp_path):
    records = read(tmp_path, "water.txt", WATER)
    assert rows(records) == [
        ("chapter-3.h", "heading", ("Chapter 3",)),
        ("chapter-3.p1", "body", ("Chapter 3",)),
        ("chapter-3.1.h", "heading", ("Chapter 3", "1.")),
        ("chapter-3.1.p1", "body", ("Chapter 3", "1.")),
        ("chapter-3.1.1.h", "heading", ("Chapter 3", "1.", "1.1")),
        ("chapter-3.1.1.p1", "body", ("Chapter 3", "1.", "1.1")),
        ("chapter-3.1.2.h", "heading", ("Chapter 3", "1.", "1.2")),
        ("chapter-3.1.2.p1", "body", ("Chapter 3", "1.", "1.2")),
        ("chapter-3.2.h", "heading", ("Chapter 3", "2.")),
        ("chapter-3.2.p1", "body", ("Chapter 3", "2.")),
        ("chapter-3.2.p2", "body", ("Chapter 3", "2.")),
        ("chapter-3.2.p3", "body", ("Chapter 3", "2.")),
        ("chapter-3.2.p4", "body", ("Chapter 3", "2.")),
    ]
    assert records[6].section == ("Chapter 3 Water Policy", "1. Rivers", "1.2 Dams")
    model = text_document("water.txt", WATER)
    assert [(b.level, b.text) for b in model.of_kind("heading")] == [
        (1, "Chapter 3 Water Policy"),
        (2, "1. Rivers"),
        (3, "1.1 Flood control"),
        (3, "1.2 Dams"),
        (2, "2. Groundwater"),
    ]
    assert to_paragraphs("water", model) == records


def test_roman_and_letter_outline(tmp_path):
    text = "\n\n".join(
        ["I. Scope", "Who is covered.", "A. Employers", "All employers.", "B. Workers", "All workers."]
        + ["II. Terms", "Long."]
    )
    assert rows(read(tmp_path, "rules.txt", text)) == [
        ("i.h", "heading", ("I.",)),
        ("i.p1", "body", ("I.",)),
        ("i.a.h", "heading", ("I.", "A.")),
        ("i.a.p1", "body", ("I.", "A.")),
        ("i.b.h", "heading", ("I.", "B.")),
        ("i.b.p1", "body", ("I.", "B.")),
        ("ii.h", "heading", ("II.",)),
        ("ii.p1", "body", ("II.",)),
    ]


# The white paper's grammar in a file of its own: an excerpt starting at Section 2, a letter whose
# period was lost, a numbered sentence out of sequence.
HARBOR = """Section 2 Coastal Research

The ministry funds coastal research.

❶ Stations

(1) Harbor stations

A. Northern harbor

The northern station opened in 2017.

B Southern harbor

The southern station opened in 2019.

(3) Of these stations, two are new

(2) Offshore stations

Buoys record waves.

❷ Ships

Two ships carry the instruments.
"""


def test_white_paper_grammar_in_a_new_plain_text_file(tmp_path):
    records = read(tmp_path, "harbor.txt", HARBOR)
    assert rows(records) == [
        ("s2.h", "heading", ("Section 2",)),
        ("s2.p1", "body", ("Section 2",)),
        ("s2.1.h", "heading", ("Section 2", "❶")),
        ("s2.1.1.h", "heading", ("Section 2", "❶", "(1)")),
        ("s2.1.1.a.h", "heading", ("Section 2", "❶", "(1)", "A.")),
        ("s2.1.1.a.p1", "body", ("Section 2", "❶", "(1)", "A.")),
        ("s2.1.1.b.h", "heading", ("Section 2", "❶", "(1)", "B.")),
        ("s2.1.1.b.p1", "body", ("Section 2", "❶", "(1)", "B.")),
        ("s2.1.1.b.p2", "body", ("Section 2", "❶", "(1)", "B.")),
        ("s2.1.2.h", "heading", ("Section 2", "❶", "(2)")),
        ("s2.1.2.p1", "body", ("Section 2", "❶", "(2)")),
        ("s2.2.h", "heading", ("Section 2", "❷")),
        ("s2.2.p1", "body", ("Section 2", "❷")),
    ]
    assert records[6].text == "B. Southern harbor"
    assert records[8].text == "(3) Of these stations, two are new"


def test_figure_printed_past_a_heading_stays_with_its_caption():
    lines = [
        "Section 1 Ports", "Ports handle cargo.", " ", "■ Figure 1-1/Cargo volume ■", " ",
        "(1) Container ports", "Containers are counted in TEU.", " ",
        "Volume", "(1) When the ratio rises", "Tonnes", " ",
    ]
    out = []
    for i, line in enumerate(lines):
        tight = i >= 8 and line.strip()
        out += [line] if tight else [line, ""]
    model = text_document("ports.txt", "\n".join(out))
    [figure] = model.of_kind("figure")
    assert model.blocks[figure.belongs_to].kind == "caption"
    records = to_paragraphs("ports", model)
    assert [(r.ref, r.kind) for r in records] == [
        ("ports:s1.h", "heading"),
        ("ports:s1.p1", "body"),
        ("ports:s1.p2", "caption"),
        ("ports:s1.1.h", "heading"),
        ("ports:s1.1.p1", "body"),
        ("ports:s1.p3", "figure"),
    ]
    assert records[-1].text == "Volume (1) When the ratio rises Tonnes"


def test_sequence_reads_ambiguous_labels_by_what_comes_next():
    sequence = Sequence()

    def take(text: str):
        found = sequence.accept(counts(numbering(text)))
        return found and (found.style, found.numbers)

    assert take("I. Scope") == ("roman", (1,))
    assert take("A. Employers") == ("letter", (1,))
    assert take("B. Workers") == ("letter", (2,))
    assert take("C. Contractors") == ("letter", (3,))
    assert take("D. Agencies") == ("letter", (4,))
    assert take("V. Penalties") is None
    assert take("II. Terms") == ("roman", (2,))
    assert take("1. Length") == ("decimal", (1,))
    assert take("2.1 Renewal") is None
    assert take("1.1 Renewal") == ("decimal", (1, 1))
