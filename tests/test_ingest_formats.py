"""Markdown, Word and HTML files through the one document model, end to end through the corpus loader.

Each format gets a small fixture written by the test itself (inline Markdown and HTML strings, a
.docx built with python-docx), read with qa.corpus.read_document, and checked for paragraph kinds,
section paths, refs and table-row text. Site furniture (navigation, metadata, cookie notices) stays
in the model as `boilerplate` and never becomes a paragraph. The real CRS Markdown exports in the
shared library are checked when that folder is there, and skipped cleanly when it is not.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from qa.corpus import read_document, scan
from qa.ingest.formats import parse_document
from qa.ingest.html import html_document
from qa.ingest.markdown import markdown_document

LIBRARY_MD = Path(__file__).resolve().parent.parent.parent / "shared" / "corpora" / "library" / "md"


def read(folder: Path, name: str, warnings: list[str] | None = None):
    """The corpus loader's Document for `folder/name` (None when it was skipped)."""
    files = {f.name: f for f in scan(folder, warn=lambda m: None).files}
    return read_document(files[name], warn=(warnings.append if warnings is not None else lambda m: None))


def table(records):
    return [(r.ref, r.kind, r.section, r.text) for r in records]


# -- Markdown


def test_atx_and_setext_headings_give_section_paths():
    text = ("Program Guide\n=============\n\nIntro line.\n\n"
            "Funding\n-------\n\nMoney text.\n\n### Rules ###\n\nRule text.\n")
    records = parse_document("guide.md", text)
    assert table(records) == [
        ("guide:s1.h", "heading", ("Program Guide",), "Program Guide"),
        ("guide:s1.p1", "body", ("Program Guide",), "Intro line."),
        ("guide:s1.1.h", "heading", ("Program Guide", "Funding"), "Funding"),
        ("guide:s1.1.p1", "body", ("Program Guide", "Funding"), "Money text."),
        ("guide:s1.1.1.h", "heading", ("Program Guide", "Funding", "Rules"), "Rules"),
        ("guide:s1.1.1.p1", "body", ("Program Guide", "Funding", "Rules"), "Rule text."),
    ]


def test_a_thematic_break_after_a_blank_line_is_not_a_heading():
    records = parse_document("a.md", "# Title\n\nSome text here.\n\n---\n\nMore text here.\n")
    assert [r.kind for r in records] == ["heading", "body", "body"]


SPARSE = """# Harbor Lab Review

The review covers the lab's first five years of work and its plans.

**Funding and Staff**

The lab had 42 researchers and a budget of 1.8 billion yen in 2022.

Research Vessels

The lab runs two vessels, both built in 2019.
This line continues the paragraph.

Not a heading because it ends with a period.

The Outlook for Next Year

The lab expects to add a third vessel by 2026.
"""


def test_bold_and_title_like_lines_are_headings_when_a_file_has_few_hash_headings():
    records = parse_document("review.md", SPARSE)
    headings = [(r.ref, r.section) for r in records if r.kind == "heading"]
    assert headings == [
        ("review:s1.h", ("Harbor Lab Review",)),
        ("review:s1.1.h", ("Harbor Lab Review", "Funding and Staff")),
        ("review:s1.2.h", ("Harbor Lab Review", "Research Vessels")),
        ("review:s1.3.h", ("Harbor Lab Review", "The Outlook for Next Year")),
    ]
    bodies = {r.text: r.ref for r in records if r.kind == "body"}
    joined = "The lab runs two vessels, both built in 2019. This line continues the paragraph."
    assert bodies[joined] == "review:s1.2.p1"
    assert bodies["Not a heading because it ends with a period."] == "review:s1.2.p2"


def test_lone_short_lines_stay_body_text_where_hash_headings_are_plentiful():
    text = "# A\n\nText one.\n\n## B\n\nText two.\n\n## C\n\nShort Title Line\n\nText three.\n"
    records = parse_document("plenty.md", text)
    assert [r.text for r in records if r.kind == "heading"] == ["A", "B", "C"]
    assert "Short Title Line" in [r.text for r in records if r.kind == "body"]


BOILERPLATE = """---
title: Solar Grants
date: 2024-05-01
---
Skip to main content

[Home](https://example.org/) > [Programs](https://example.org/p) > Solar

**Agency:** Energy Office
**Updated:** 05/01/2024

# Solar Grants

* [About](https://example.org/about)
* [Contact](https://example.org/contact)

![Panels on a school roof](panels.png)

The program pays for panels on [public schools](https://example.org/schools) in every prefecture.

- Schools apply each spring.
- A panel costs about 2 million yen.
1. Apply online.
"""


def test_navigation_metadata_and_placeholders_are_boilerplate_not_paragraphs():
    document = markdown_document("grants.md", BOILERPLATE)
    kinds = [(b.kind, b.text) for b in document.blocks]
    assert kinds[:8] == [
        ("boilerplate", "title: Solar Grants"),
        ("boilerplate", "date: 2024-05-01"),
        ("boilerplate", "Skip to main content"),
        ("boilerplate", "Home > Programs > Solar"),
        ("boilerplate", "Agency: Energy Office"),
        ("boilerplate", "Updated: 05/01/2024"),
        ("heading", "Solar Grants"),
        ("boilerplate", "About"),
    ]
    assert ("boilerplate", "Panels on a school roof") in kinds
    records = parse_document("grants.md", BOILERPLATE)
    assert table(records) == [
        ("grants:s1.h", "heading", ("Solar Grants",), "Solar Grants"),
        ("grants:s1.p1", "body", ("Solar Grants",),
         "The program pays for panels on public schools in every prefecture."),
        ("grants:s1.p2", "body", ("Solar Grants",), "Schools apply each spring."),
        ("grants:s1.p3", "body", ("Solar Grants",), "A panel costs about 2 million yen."),
        ("grants:s1.p4", "body", ("Solar Grants",), "Apply online."),
    ]
    assert [b.kind for b in document.blocks][-3:] == ["list", "list", "list"]


PIPE_TABLE = """# Staffing

Table 1. Full-Time Staff by Agency

| Agency | FY2024 | FY2025 |
|---|---:|---:|
| Department of Energy | 8,214 | 8,230 |
| NASA | 17,960 | — |

Source: agency budget justifications.
"""


def test_pipe_table_rows_carry_their_column_headers_and_caption():
    document = markdown_document("staff.md", PIPE_TABLE)
    rows = document.of_kind("table")
    assert [(b.text, b.cells, b.caption) for b in rows] == [
        ("Department of Energy — FY2024: 8,214; FY2025: 8,230", (("FY2024", "8,214"), ("FY2025", "8,230")),
         "Table 1. Full-Time Staff by Agency"),
        ("NASA — FY2024: 17,960; FY2025: —", (("FY2024", "17,960"), ("FY2025", "—")),
         "Table 1. Full-Time Staff by Agency"),
    ]
    kinds = [(r.ref, r.kind) for r in parse_document("staff.md", PIPE_TABLE)]
    assert kinds == [("staff:s1.h", "heading"), ("staff:s1.p1", "caption"), ("staff:s1.p2", "table"),
                     ("staff:s1.p3", "table"), ("staff:s1.p4", "source")]


def test_pipe_blocks_of_saved_pages_without_a_separator_line():
    """No `|---|` line: a header-like first row over numbers, `| 1. | …` footnotes, a figure box."""
    text = """# Report

The report has enough words in this first sentence to count as prose.

|  | FY2023 Enacted | FY2024Requested
| ITA units | 613.0 | 420.0
| Global Markets | 374.0 | —

| Figure 1. Posts Abroad
|
| Source: CRS.
Notes: Posts as of 2026.

| 1. | First note text.
| 2. | Second note text.
"""
    blocks = [(b.kind, b.text, b.number) for b in markdown_document("r.md", text).blocks]
    assert blocks[2:] == [
        ("table", "ITA units — FY2023 Enacted: 613.0; FY2024 Requested: 420.0", 0),
        ("table", "Global Markets — FY2023 Enacted: 374.0; FY2024 Requested: —", 0),
        ("caption", "Figure 1. Posts Abroad", 0),
        ("source", "Source: CRS.", 0),
        ("source", "Notes: Posts as of 2026.", 0),
        ("footnote", "First note text.", 1),
        ("footnote", "Second note text.", 2),
    ]


def test_fenced_code_is_one_body_block_and_contents_lists_are_toc():
    text = ("# Guide\n\n## Contents\n\n- [Setup](#setup)\n- [Use](#use)\n\n## Setup\n\n"
            "```sh\npip install qa\n\nqa index\n```\n")
    document = markdown_document("g.md", text)
    assert [b.kind for b in document.blocks] == ["heading", "toc", "toc", "toc", "heading", "body"]
    records = parse_document("g.md", text)
    assert table(records)[-1] == ("g:s1.1.p1", "body", ("Guide", "Setup"), "pip install qa qa index")


def test_markdown_end_to_end_through_the_corpus_loader(tmp_path):
    (tmp_path / "grants.md").write_text(BOILERPLATE, encoding="utf-8")
    document = read(tmp_path, "grants.md")
    assert document.doc == "grants"
    assert [p.ref for p in document.paragraphs] == ["grants:s1.h", "grants:s1.p1", "grants:s1.p2", "grants:s1.p3",
                                                     "grants:s1.p4"]


# -- the CRS Markdown exports in the shared library

KNOWN_HEADINGS = {
    "IF11643": ["Orion and the Space Launch System", "Human Landing System", "Lunar Base", "Issues for Congress",
                "Moon to Mars Architecture", "Role of the Commercial Space Sector"],
    "IF13131": ["Background on NIH Grants", "NIH Awards Data: 2022-2026", "Terminated Grant Awards",
                "Indirect Costs Policy", "Related Legislation in the 119 Congress"],
    "IF13204": ["S&T Independence and Leadership", "Economy", "Trade and Investment", "Issues for Congress"],
    "IF13205": ["Background", "FY2027 Budget Request", "Mission Area and Budget Line Funding",
                "Congressionally Directed Spending", "Issues for Congress"],
    "IN12516": ["Understanding Indirect Costs for Research Grants",
                "Changing Indirect Cost Rates at NIH: Prior Efforts", "Policy Discussion"],
    "R48908": ["Introduction", "Overview of the Commercial Service", "Budget and Staffing", "Potential Reforms",
               "USFCS Structure", "Footnotes"],
}


@pytest.mark.skipif(not LIBRARY_MD.is_dir(), reason="the shared library (../shared/corpora/library) is not here")
@pytest.mark.parametrize("report", sorted(KNOWN_HEADINGS))
def test_library_markdown_exports_get_their_real_sections(report):
    path = next(LIBRARY_MD.glob(f"{report}*.md"))
    records = parse_document(path.name, path.read_text(encoding="utf-8"))
    headings = [r.text for r in records if r.kind == "heading"]
    title = headings[0]
    assert not {"Contents", "Figures", "Tables", "CRS PRODUCT (LIBRARY OF CONGRESS)"} & set(headings)
    for heading in KNOWN_HEADINGS[report]:
        assert heading in headings, heading
    sections = {r.section[-1] for r in records if r.kind != "heading" and r.section}
    assert not sections & {"Contents", "Figures", "Tables", "CRS PRODUCT (LIBRARY OF CONGRESS)"}
    assert headings.count(title) == 1, "the title printed again under the site's navigation is not a second section"
    for r in records:
        assert not re.search(r"\]\(https?://", r.text), f"markup left in {r.ref}: {r.text[:80]}"
        assert not r.text.startswith(("Citation Subscribe", "Hide Overview", "Download PDF", "Listen ")), r.text
        assert not re.match(r"^(Product Type|Report No\.|CRS Product Number|Publication Date|Disclaimer):", r.text)
        assert not re.fullmatch(r"\w+ \d{1,2}, \d{4} \(\w+ - Version: \d+\)", r.text), "version list item indexed"
    under_title = [r for r in records if r.section == (title,) and r.kind != "heading"]
    assert len(under_title) <= 5, "the body sits under its own sections, not all under the title"


# -- Word


def make_docx(path: Path) -> Path:
    import docx

    document = docx.Document()
    document.add_paragraph("Harbor Report", style="Title")
    document.add_paragraph("The harbor handled 1.2 million containers in 2023.")
    document.add_heading("Budget", level=1)
    document.add_paragraph("The budget grew by 4% in 2024.")
    document.add_paragraph("Dredging the east channel", style="List Bullet")
    document.add_paragraph("Table 1. Staff by Unit", style="Caption")
    rows = [["Unit", "FY2024", "FY2025"], ["Port Authority", "120", "132"], ["Research Lab", "42", "45"]]
    grid = document.add_table(rows=3, cols=3)
    for r, values in enumerate(rows):
        for c, value in enumerate(values):
            grid.cell(r, c).text = value
    document.add_heading("Partners", level=2)
    document.add_paragraph("Two universities test the cranes.")
    document.save(path)
    return path


def test_docx_styles_give_headings_lists_captions_and_table_rows(tmp_path):
    make_docx(tmp_path / "harbor report.docx")
    document = read(tmp_path, "harbor report.docx")
    assert document.doc == "harbor-report"
    assert table(document.paragraphs) == [
        ("harbor-report:s1.h", "heading", ("Harbor Report",), "Harbor Report"),
        ("harbor-report:s1.p1", "body", ("Harbor Report",), "The harbor handled 1.2 million containers in 2023."),
        ("harbor-report:s1.1.h", "heading", ("Harbor Report", "Budget"), "Budget"),
        ("harbor-report:s1.1.p1", "body", ("Harbor Report", "Budget"), "The budget grew by 4% in 2024."),
        ("harbor-report:s1.1.p2", "body", ("Harbor Report", "Budget"), "Dredging the east channel"),
        ("harbor-report:s1.1.p3", "caption", ("Harbor Report", "Budget"), "Table 1. Staff by Unit"),
        ("harbor-report:s1.1.p4", "table", ("Harbor Report", "Budget"), "Port Authority — FY2024: 120; FY2025: 132"),
        ("harbor-report:s1.1.p5", "table", ("Harbor Report", "Budget"), "Research Lab — FY2024: 42; FY2025: 45"),
        ("harbor-report:s1.1.1.h", "heading", ("Harbor Report", "Budget", "Partners"), "Partners"),
        ("harbor-report:s1.1.1.p1", "body", ("Harbor Report", "Budget", "Partners"),
         "Two universities test the cranes."),
    ]


def test_docx_model_keeps_list_kind_and_table_cells(tmp_path):
    from qa.ingest.docx import docx_document

    document = docx_document(make_docx(tmp_path / "h.docx"))
    assert [b.kind for b in document.blocks if b.kind in ("list", "table")] == ["list", "table", "table"]
    row = document.of_kind("table")[0]
    assert row.cells == (("FY2024", "120"), ("FY2025", "132")) and row.caption == "Table 1. Staff by Unit"


def test_a_damaged_docx_is_skipped_with_a_warning(tmp_path):
    (tmp_path / "broken.docx").write_bytes(b"PK\x03\x04 not really a zip archive")
    (tmp_path / "text.docx").write_text("plain text saved with the wrong name", encoding="utf-8")
    warnings: list[str] = []
    assert read(tmp_path, "broken.docx", warnings) is None
    assert read(tmp_path, "text.docx", warnings) is None
    assert len(warnings) == 2
    assert all(w.startswith("skipping ") and "not a readable Word .docx file" in w for w in warnings), warnings


# -- HTML

PAGE = """<!DOCTYPE html>
<html><head><title>Solar Grants | Energy Office</title><style>p { color: red }</style>
<script>var tracking = "never indexed";</script></head>
<body>
<a class="skip-link" href="#main">Skip to main content</a>
<header><a href="/">Energy Office</a>
<nav><ul><li><a href="/">Home</a></li><li><a href="/about">About</a></li></ul></nav></header>
<div id="cookie-consent"><p>We use cookies on this site.</p><button>Accept</button></div>
<main id="main"><article>
<header><h1>Solar Grants</h1></header>
<p>The program pays for <b>rooftop panels</b> on public schools.<br>It began in 2020.</p>
<h2>Budget</h2>
<p>Spending rose in FY2025.</p>
<table><caption>Table 1. Grants by Agency</caption>
<thead><tr><th>Agency</th><th>FY2024</th><th>FY2025</th></tr></thead>
<tbody><tr><td>Department of Energy</td><td>8,214</td><td>8,230</td></tr></tbody></table>
<h3>Rules</h3>
<ul><li>Schools apply in spring.</li><li>Awards are <a href="/awards">published</a> in June.</li></ul>
<figure><img src="panels.png" alt="Panels"><figcaption>Figure 1. Panels on a school roof</figcaption></figure>
</article></main>
<aside><h2>Related programs</h2><p>Wind grants</p></aside>
<footer><p>Energy Office, 2025</p></footer>
</body></html>
"""


def test_html_end_to_end_through_the_corpus_loader(tmp_path):
    (tmp_path / "grants.html").write_text(PAGE, encoding="utf-8")
    document = read(tmp_path, "grants.html")
    assert table(document.paragraphs) == [
        ("grants:s1.h", "heading", ("Solar Grants",), "Solar Grants"),
        ("grants:s1.p1", "body", ("Solar Grants",),
         "The program pays for rooftop panels on public schools. It began in 2020."),
        ("grants:s1.1.h", "heading", ("Solar Grants", "Budget"), "Budget"),
        ("grants:s1.1.p1", "body", ("Solar Grants", "Budget"), "Spending rose in FY2025."),
        ("grants:s1.1.p2", "caption", ("Solar Grants", "Budget"), "Table 1. Grants by Agency"),
        ("grants:s1.1.p3", "table", ("Solar Grants", "Budget"), "Department of Energy — FY2024: 8,214; FY2025: 8,230"),
        ("grants:s1.1.1.h", "heading", ("Solar Grants", "Budget", "Rules"), "Rules"),
        ("grants:s1.1.1.p1", "body", ("Solar Grants", "Budget", "Rules"), "Schools apply in spring."),
        ("grants:s1.1.1.p2", "body", ("Solar Grants", "Budget", "Rules"), "Awards are published in June."),
        ("grants:s1.1.1.p3", "caption", ("Solar Grants", "Budget", "Rules"), "Figure 1. Panels on a school roof"),
    ]


def test_html_site_parts_are_boilerplate_in_the_model():
    document = html_document("grants.html", PAGE)
    assert document.title == "Solar Grants | Energy Office"
    site = [b.text for b in document.blocks if b.kind == "boilerplate"]
    assert site == ["Skip to main content", "Energy Office", "Home", "About", "We use cookies on this site.",
                    "Related programs", "Wind grants", "Energy Office, 2025"]
    assert not any("tracking" in b.text or "color" in b.text for b in document.blocks)
    assert [b.kind for b in document.blocks].count("list") == 2
    row = document.of_kind("table")[0]
    assert row.cells == (("FY2024", "8,214"), ("FY2025", "8,230")) and row.caption == "Table 1. Grants by Agency"


def test_html_tables_without_th_take_headers_from_the_first_row_and_layout_tables_are_read_as_content():
    page = ("<h1>Costs</h1><table><tr><td>Item</td><td>2024</td></tr><tr><td>Fuel</td><td>3.5</td></tr></table>"
            "<table><tr><td><p>Left column text.</p><p>More left text.</p></td></tr></table>")
    document = html_document("c.htm", page)
    assert [(b.kind, b.text) for b in document.blocks] == [
        ("heading", "Costs"), ("table", "Fuel — 2024: 3.5"), ("body", "Left column text."), ("body", "More left text."),
    ]


def test_html_without_markup_or_as_binary_is_skipped_with_a_warning(tmp_path):
    (tmp_path / "plain.html").write_text("just words, no tags at all", encoding="utf-8")
    (tmp_path / "binary.htm").write_bytes(b"\x00\x01\x02" * 100)
    warnings: list[str] = []
    assert read(tmp_path, "plain.html", warnings) is None
    assert read(tmp_path, "binary.htm", warnings) is None
    assert warnings == ["skipping plain.html: cannot parse it (ValueError: no HTML markup in it)",
                        "skipping binary.htm: looks binary"]
    with pytest.raises(ValueError, match="no HTML markup"):
        html_document("plain.html", "just words")


def test_new_formats_are_found_by_the_corpus_scan(tmp_path):
    for name in ("a.docx", "b.html", "c.htm", "d.md", "e.doc"):
        (tmp_path / name).write_bytes(b"x")
    assert [f.name for f in scan(tmp_path, warn=lambda m: None).files] == ["a.docx", "b.html", "c.htm", "d.md"]


def test_html_hidden_parts_are_dropped_and_a_page_wrapper_is_not_a_cookie_banner():
    page = ('<div class="page has-cookie-banner"><h1>Costs</h1><p>Fuel costs rose.</p>'
            '<p hidden>Old text.</p><div class="cookie-notice"><p>Cookies help us.</p></div></div>')
    document = html_document("w.html", page)
    assert [(b.kind, b.text) for b in document.blocks] == [
        ("heading", "Costs"), ("body", "Fuel costs rose."), ("boilerplate", "Cookies help us."),
    ]


def test_a_markdown_table_without_a_caption_takes_its_heading_as_caption():
    text = "# Report\n\n## Fuel Costs\n\n| Year | Cost |\n|---|---|\n| 2024 | 3.5 |\n"
    (row,) = markdown_document("f.md", text).of_kind("table")
    assert (row.text, row.caption) == ("Year 2024 — Cost: 3.5", "Fuel Costs")
