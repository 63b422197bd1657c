"""PDF ingestion: a small policy PDF generated here with fpdf2 is parsed with PDFium into the same
paragraph records and refs as the same text in a .txt file, with the PDF's page numbers; damaged
and password-protected PDFs are skipped with a clear warning; `ask` answers from the PDF."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from qa import config
from qa.cli import ask, qa
from qa.corpus import SourceFile, read_document
from qa.ingest.formats import parse_document
from qa.ingest.furniture import furniture
from qa.ingest.layout import pdf_document
from qa.ingest.model import Line
from qa.ingest.pdf import parse_pdf
from qa.ingest.pdfium import PdfPages, _Char, _lines

fpdf = pytest.importorskip("fpdf")

FONT_CANDIDATES = [
    "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
    "/usr/share/fonts/dejavu/DejaVuSans.ttf",
    "/usr/share/fonts/TTF/DejaVuSans.ttf",
]
FONT = next((f for f in FONT_CANDIDATES if Path(f).is_file()), None)
pytestmark = pytest.mark.skipif(FONT is None, reason="needs DejaVuSans.ttf (fonts-dejavu-core) for ❶ in the fixture")

HEADER = "Innovation White Paper 2021 (test edition)"

# (page, text) in reading order; `None` text starts a new page. The paragraph under B. runs on
# from page 1 to page 2 in the middle of a sentence.
PAGES = [
    [
        "Section 1 Promoting Open Innovation",
        "❶ Collaboration between industry and academia",
        "(1) Technology licensing",
        "A. Activities of the Technology Licensing Organization (TLO)",
        "As of January 1, 2021, 34 TLOs had been approved by the Ministry of Education, Culture, Sports, Science "
        "and Technology (MEXT) and the Ministry of Economy, Trade and Industry (METI). They transfer research "
        "results from universities to companies and collect royalties from the licenses they grant.",
        "Since FY2016, the TLOs have also been asked to report their licensing income every year.",
        "B. Joint research with companies",
        "Joint research between universities and companies reached 1,234 projects in FY2019, and",
    ],
    [
        "the number of such projects keeps rising every year, which shows the momentum of collaboration.",
        "Section 2 Regional revitalization",
        "❶ Regional innovation",
        "The regional innovation programme supported 12 regions in 2020 with a budget of 3.5 billion yen.",
    ],
    [
        "# Appendix",
        "The appendix lists the 7 member organizations of the Regional Innovation Council.",
    ],
]


def write_pdf(
    path: Path, pages: list[list[str]] = PAGES, header: bool = True, user_password: str | None = None
) -> Path:
    class Paper(fpdf.FPDF):
        def header(self) -> None:
            if header:
                self.set_font("DejaVu", size=8)
                self.cell(0, 5, HEADER, align="R", new_x="LMARGIN", new_y="NEXT")
                self.ln(6)
                self.set_font("DejaVu", size=11)

        def footer(self) -> None:
            self.set_y(-15)
            self.set_font("DejaVu", size=8)
            self.cell(0, 10, str(self.page_no()), align="C")

    pdf = Paper()
    pdf.add_font("DejaVu", "", FONT)
    pdf.set_font("DejaVu", size=11)
    pdf.set_auto_page_break(True, margin=20)
    for page in pages:
        pdf.add_page()
        for i, text in enumerate(page):
            pdf.multi_cell(0, 6, text, new_x="LMARGIN", new_y="NEXT")
            if i + 1 < len(page):
                pdf.ln(4)
    if user_password is not None:
        pdf.set_encryption(owner_password="owner-secret", user_password=user_password)
    pdf.output(str(path))
    return path


def same_text(pages: list[list[str]]) -> str:
    """The fixture as a plain text file: blank lines between paragraphs, form feeds between pages."""
    out = []
    for n, page in enumerate(pages):
        body = "\n\n".join(page)
        out.append(body if n == 0 else "\f" + body)
    return "\n".join(out) + "\n"


@pytest.fixture(scope="module")
def policy_pdf(tmp_path_factory) -> Path:
    return write_pdf(tmp_path_factory.mktemp("pdf") / "policy.pdf")


def records(paragraphs):
    return {p.ref: p for p in paragraphs}


def test_pages_sections_and_refs(policy_pdf):
    got = records(parse_pdf("policy", policy_pdf))
    tlo = got["policy:s1.1.1.a.p1"]
    assert tlo.page == 1
    assert tlo.section_labels == ("Section 1", "❶", "(1)", "A.")
    assert tlo.section[-1] == "A. Activities of the Technology Licensing Organization (TLO)"
    assert tlo.display == "Section 1 › ❶ › (1) › A. Activities of the Technology Licensing Organization (TLO) ¶1 (p. 1)"
    assert tlo.text.startswith("As of January 1, 2021, 34 TLOs had been approved")
    assert got["policy:s1.1.1.a.p2"].text.startswith("Since FY2016")
    # the paragraph broken by the page break is one paragraph, cited at the page where it starts
    joint = got["policy:s1.1.1.b.p1"]
    assert joint.page == 1
    assert joint.text.endswith(
        "in FY2019, and the number of such projects keeps rising every year, which shows the momentum of collaboration."
    )
    regional = got["policy:s2.1.p1"]
    assert regional.page == 2
    assert regional.section_path == "Section 2 Regional revitalization > ❶ Regional innovation"
    # a Markdown heading in the PDF opens a section too
    appendix = got["policy:s3.p1"]
    assert appendix.page == 3 and appendix.section == ("Appendix",)
    assert [p.kind for p in got.values()].count("heading") == 8


def test_running_header_and_page_numbers_are_dropped(policy_pdf):
    texts = [p.text for p in parse_pdf("policy", policy_pdf)]
    assert not any(HEADER in t for t in texts)
    assert not any(t.strip().isdigit() for t in texts)


def test_same_records_and_refs_as_a_text_file(policy_pdf):
    """Everything but the Markdown heading (a .txt file does not read `#`) matches the text parser."""
    white_paper = [PAGES[0], PAGES[1]]
    from_text = parse_document("policy.txt", same_text(white_paper))
    from_pdf = [p for p in parse_pdf("policy", policy_pdf) if p.page <= 2]
    assert [(p.ref, p.section, p.section_labels, p.number, p.kind, p.text, p.page) for p in from_pdf] == [
        (p.ref, p.section, p.section_labels, p.number, p.kind, p.text, p.page) for p in from_text
    ]


def test_page_labels_are_used_when_numeric(tmp_path):
    from pypdf import PdfReader, PdfWriter

    source = write_pdf(tmp_path / "plain.pdf", header=False)
    writer = PdfWriter(clone_from=PdfReader(source))
    writer.set_page_label(0, 2, style="/D", start=11)
    labelled = tmp_path / "labelled.pdf"
    writer.write(labelled)
    pages = {p.ref: p.page for p in parse_pdf("labelled", labelled)}
    assert pages["labelled:s1.1.1.a.p1"] == 11
    assert pages["labelled:s2.1.p1"] == 12
    assert pages["labelled:s3.p1"] == 13


def test_encrypted_pdf_with_password_is_refused(tmp_path):
    locked = write_pdf(tmp_path / "locked.pdf", user_password="secret")
    with pytest.raises(ValueError, match="encrypted with a password"):
        parse_pdf("locked", locked)
    # only an owner password (anyone may open it): read normally
    open_pdf = write_pdf(tmp_path / "owner-only.pdf", user_password="")
    assert any(p.ref == "owner-only:s1.1.1.a.p1" for p in parse_pdf("owner-only", open_pdf))


@pytest.mark.parametrize("content", [b"%PDF-1.4\nthis is not really a pdf\n", b"", b"not a pdf at all"])
def test_corrupt_pdf_is_refused(tmp_path, content):
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(content)
    with pytest.raises(ValueError, match="not a readable PDF"):
        parse_pdf("broken", broken)


def test_truncated_pdf_is_refused_or_partial(tmp_path, policy_pdf):
    data = policy_pdf.read_bytes()
    cut = tmp_path / "cut.pdf"
    cut.write_bytes(data[: len(data) // 3])
    with pytest.raises(ValueError, match="not a readable PDF|no extractable text"):
        parse_pdf("cut", cut)


def test_pdf_without_text_is_refused(tmp_path):
    pdf = fpdf.FPDF()
    pdf.add_page()
    pdf.rect(20, 20, 100, 50)
    pdf.output(str(tmp_path / "scan.pdf"))
    with pytest.raises(ValueError, match="no extractable text"):
        parse_pdf("scan", tmp_path / "scan.pdf")


def test_corpus_loader_skips_a_bad_pdf_with_a_warning(tmp_path):
    bad = tmp_path / "bad.pdf"
    bad.write_bytes(b"%PDF-1.7\n%garbage")
    warnings: list[str] = []
    assert read_document(SourceFile(bad, "bad.pdf", "0" * 64), warnings.append) is None
    assert len(warnings) == 1
    assert warnings[0].startswith("skipping bad.pdf: ") and "not a readable PDF" in warnings[0]


# --- end to end: index a corpus with the PDF (and a damaged one), then ask -------------------------------------


@pytest.fixture(scope="module")
def pdf_index(tmp_path_factory):
    config.go_offline()
    from qa.index import build_index
    from qa.progress import Progress

    root = tmp_path_factory.mktemp("pdf-corpus")
    corpus = root / "corpus"
    corpus.mkdir()
    write_pdf(corpus / "policy.pdf")
    (corpus / "damaged.pdf").write_bytes(b"%PDF-1.5\n1 0 obj <<")
    write_pdf(corpus / "locked.pdf", user_password="secret")
    warnings: list[str] = []
    report = build_index(corpus, root / "index", progress=Progress(quiet=True), warn=warnings.append)
    return corpus, root / "index", report, warnings


@pytest.mark.slow
def test_index_skips_damaged_and_locked_pdfs(pdf_index):
    _, _, report, warnings = pdf_index
    assert report.built and report.paragraphs > 0
    assert any(w.startswith("skipping damaged.pdf: ") and "not a readable PDF" in w for w in warnings)
    assert any(w.startswith("skipping locked.pdf: ") and "the PDF is encrypted with a password" in w for w in warnings)


@pytest.mark.slow
def test_ask_answers_from_the_pdf(pdf_index):
    corpus, index, _, _ = pdf_index
    where = ["--corpus", str(corpus), "--index-dir", str(index)]
    result = CliRunner().invoke(ask, ["--json", "how many TLOs had been approved?", *where])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert not data["abstained"]
    assert "34" in data["answer"]
    first = data["citations"][0]
    assert first["ref"] == "policy:s1.1.1.a.p1"
    assert first["page"] == 1
    assert first["section"].startswith("Section 1 Promoting Open Innovation > ❶")

    question = "what budget did the regional innovation programme have?"
    result = CliRunner().invoke(ask, ["-q", "--plain", question, *where])
    assert result.exit_code == 0, result.output
    assert "3.5 billion yen" in result.stdout.splitlines()[0]
    assert "p. 2" in result.stdout and "s2.1.p1" in result.stdout


@pytest.mark.slow
def test_show_and_sources_for_the_pdf(pdf_index):
    corpus, index, _, _ = pdf_index
    where = ["--corpus", str(corpus), "--index-dir", str(index)]
    shown = CliRunner().invoke(qa, ["show", "s1.1.1.b.p1", *where])
    assert shown.exit_code == 0, shown.output
    assert "» s1.1.1.b.p1  p. 1" in shown.stdout
    listed = CliRunner().invoke(qa, ["sources", *where])
    assert listed.exit_code == 0, listed.output
    assert "policy  (policy.pdf; pp. 1–3; 5 paragraphs in 8 sections)" in listed.stdout
    assert "damaged" not in listed.stdout


# --- layout rules on synthetic lines (no PDF: each test builds the printed lines it needs) -----------------------

PROSE = "The agency reported steady progress on its programs during the year under review."


def printed(text: str, page: int, top: float, size: float = 9.0, x0: float = 72.0, bold: bool = False,
            cells: list[tuple[float, str]] | None = None, notes: tuple[int, ...] = ()) -> Line:
    """A printed line; `cells` as (left edge, text) for a table row, 5 pt a character."""
    parts = cells or [(x0, text)]
    spans = [(left, left + 5.0 * len(part), part) for left, part in parts]
    words = []
    for left, _, part in spans:
        at = left
        for word in part.split():
            words.append((at, at + 5.0 * len(word), word))
            at += 5.0 * (len(word) + 1)
    return Line(" ".join(part for _, part in parts), page, spans[0][0], top, spans[-1][1], top + size, size, bold,
                "Serif", spans, words, notes)


def prose(page: int, first: float = 300.0, count: int = 3) -> list[Line]:
    return [printed(PROSE, page, first + 14 * k, size=11.0) for k in range(count)]


def report(extra: dict[int, list[Line]], count: int = 10) -> list[list[Line]]:
    """`count` pages of body prose, with `extra` lines (by page index) printed after it."""
    return [prose(p + 1) + extra.get(p, []) for p in range(count)]


def flagged(pages: list[list[Line]], heights: list[float] | None = None) -> set[str]:
    skip = furniture(pages, heights or [792.0] * len(pages), 11.0)
    return {f"{p}:{pages[p][i].text}" for p, i in skip}


def test_a_header_on_a_few_pages_at_the_same_place_is_furniture():
    header = "Widget Policy in Review"  # on 3 of 10 pages: under the 40% the repeat rule asks
    pages = report({p: [printed(header, p + 1, 30.0, size=8.0)] for p in (2, 3, 4)})
    assert flagged(pages) == {f"{p}:{header}" for p in (2, 3, 4)}


def test_a_table_header_repeated_under_the_page_header_and_body_lines_are_kept():
    header = "Widget Policy in Review"
    columns = printed("", 0, 0, cells=[(90.0, "State"), (200.0, "FY2020"), (300.0, "FY2021")])
    extra = {p: [printed(header, p + 1, 30.0, size=8.0),
                 printed(columns.text, p + 1, 80.0, bold=True, cells=[(x0, t) for x0, _, t in columns.cells]),
                 printed("Widget count", p + 1, 400.0)] for p in (2, 3, 4)}
    extra.update({p: [printed("Summary of Findings", p + 1, 60.0, bold=True)] for p in (6, 7, 8)})  # bold: a heading
    got = flagged(report(extra))
    assert got == {f"{p}:{header}" for p in (2, 3, 4)}


def test_the_last_footnote_line_and_table_values_at_the_edge_are_kept():
    footers = {p: [printed(f"Widget Institute {p - 1}", p + 1, 760.0, size=8.0),
                   printed("Id. at 12.", p + 1, 700.0, notes=(p,)),  # a footnote: its mark, and text above the footer
                   printed("See the survey data.", p + 1, 712.0),  # the last footnote line, every page at one height
                   printed("$1,100", p + 1, 40.0)] for p in (3, 4, 5)}  # a table's value at the top
    assert flagged(report(footers)) == {"3:Widget Institute 2", "4:Widget Institute 3", "5:Widget Institute 4"}


def test_a_running_header_printed_away_from_the_margin_in_text_type_is_furniture():
    header = "Widget Policy in Review: Trends and Options for the Coming Decade"
    pages = report({p: [printed(header, p + 1, 30.0, size=8.0)] for p in range(1, 10)})
    pages[0].append(printed(header, 1, 400.0, size=8.0))  # turned along a landscape page
    pages[0].append(printed(header, 1, 150.0, size=20.0, bold=True))  # the cover's title
    got = flagged(pages)
    assert f"0:{header}" in got and sum(1 for g in got if g.startswith("0:")) == 1


def test_a_footer_numbered_in_step_with_the_pages_is_furniture():
    # printed page numbers run two behind the physical pages (a cover and a contents page come first)
    footers = {p: [printed(f"Widget Institute {p - 1}", p + 1, 760.0, size=8.0,
                           cells=[(72.0, "Widget Institute"), (500.0, str(p - 1))])] for p in (3, 4, 5)}
    footers[8] = [printed("Widget Institute WI-7 · VERSION 2 · 7", 9, 760.0, size=8.0)]
    assert flagged(report(footers)) == {"3:Widget Institute 2", "4:Widget Institute 3", "5:Widget Institute 4",
                                        "8:Widget Institute WI-7 · VERSION 2 · 7"}


def test_numbers_out_of_step_with_the_pages_at_the_foot_are_kept():
    lines = {4: "Returns rose 14 percent", 5: "About 3 in 10 agree", 6: "Costs fell to 81 dollars"}
    pages = report({p: [printed(text, p + 1, 760.0)] for p, text in lines.items()})
    assert flagged(pages) == set()


def test_the_words_of_a_numbered_footer_alone_in_small_type_are_a_stamp():
    footers = {p: [printed(f"Widget Institute {p - 1}", p + 1, 760.0, size=8.0)] for p in (3, 4, 5)}
    footers[0] = [printed("Widget Institute", 1, 650.0, size=10.0, bold=True)]  # the cover's stamp
    assert "0:Widget Institute" in flagged(report(footers))


def test_a_heading_in_the_words_of_the_footer_is_no_stamp():
    footers = {p: [printed(f"Widget Institute {p - 1}", p + 1, 760.0, size=8.0)] for p in (3, 4, 5)}
    footers[6] = [printed("Widget Institute", 7, 200.0, size=11.0, bold=True)]
    assert "6:Widget Institute" not in flagged(report(footers))


def test_margins_are_measured_on_each_page_height():
    pages = report({0: [printed("7", 1, 575.0, size=8.0)]}, count=3)
    assert flagged(pages, [612.0, 792.0, 792.0]) == {"0:7"}  # the foot of a landscape page
    assert flagged(pages, [792.0] * 3) == set()  # two thirds down a portrait page


def test_turned_glyphs_stack_into_one_line():
    chars = [_Char(ch, 100.0, 111.0, 500.0 - 6 * k, 490.0 - 6 * k, 10.0, False, "Serif", turned=True)
             for k, ch in enumerate("Label")]
    assert [line.text for line in _lines(chars, 1)] == ["Label"]


def test_upright_digits_in_a_column_are_separate_rows():
    chars = [_Char(d, 100.0, 105.0, 100.0 + 10 * k, 91.0 + 10 * k, 9.0, False, "Serif") for k, d in enumerate("3221")]
    assert [line.text for line in _lines(chars, 1)] == ["3", "2", "2", "1"]


def model(lines: list[Line]):
    pages = [prose(1, first=100.0) + lines]
    return pdf_document("t.pdf", PdfPages(pages, [], "", [1], [792.0]))


def kinds(document, *wanted: str) -> list[tuple[str, str]]:
    return [(b.kind, b.text) for b in document.blocks if b.kind in wanted]


def row(text: str, top: float, cells: list[tuple[float, str]], bold: bool = False) -> Line:
    return printed(text, 1, top, bold=bold, cells=cells)


def test_a_caption_line_the_table_takes_is_indexed_with_the_caption():
    document = model([
        printed("Table 1. Spending by Program", 1, 200.0, size=10.0, bold=True),
        printed("(in millions of dollars)", 1, 214.0, size=10.0),
        row("Program FY2020 FY2021", 232.0, [(90.0, "Program"), (200.0, "FY2020"), (300.0, "FY2021")], bold=True),
        *[row(f"{name} {a} {b}", 248.0 + 14 * k, [(90.0, name), (200.0, a), (300.0, b)])
          for k, (name, a, b) in enumerate([("Roads", "1.0", "2.0"), ("Bridges", "3.0", "4.0"), ("Rail", "5", "6")])],
    ])
    assert kinds(document, "caption") == [("caption", "Table 1. Spending by Program (in millions of dollars)")]
    assert ("table", "Roads — FY2020: 1.0; FY2021: 2.0") in kinds(document, "table")


def test_a_bold_title_over_aligned_rows_is_a_caption_and_its_bold_row_the_header():
    document = model([
        printed("Spending by Program", 1, 200.0, bold=True),
        row("Program FY2020 FY2021", 214.0, [(90.0, "Program"), (200.0, "FY2020"), (300.0, "FY2021")], bold=True),
        *[row(f"{name} {a} {b}", 230.0 + 14 * k, [(90.0, name), (200.0, a), (300.0, b)])
          for k, (name, a, b) in enumerate([("Roads", "1.0", "2.0"), ("Bridges", "3.0", "4.0"), ("Rail", "5", "6")])],
    ])
    assert kinds(document, "caption") == [("caption", "Spending by Program")]
    assert kinds(document, "table")[0] == ("table", "Roads — FY2020: 1.0; FY2021: 2.0")


def header_over_lines() -> list[Line]:
    """A caption, then a header read bottom-up in content order, each cell on a line of its own."""
    return [
        printed("Table 3. Bridge Funding", 1, 200.0, size=10.0, bold=True),
        printed("Fiscal Year", 1, 240.0, x0=100.0, bold=True),
        printed("Amount", 1, 230.0, x0=200.0, bold=True),
        row("($ millions) Legislation", 240.0, [(195.0, "($ millions)"), (300.0, "Legislation")], bold=True),
    ]


def test_a_header_set_over_several_bold_lines_heads_the_columns():
    rows = [row(f"{year} {amount} Act of {year}", 256.0 + 14 * k,
                [(110.0, year), (210.0, amount), (300.0, f"Act of {year}")])
            for k, (year, amount) in enumerate([("2018", "225"), ("2019", "475"), ("2020", "1,150")])]
    first = kinds(model(header_over_lines() + rows), "table")[0][1]
    assert first == "Fiscal Year 2018 — Amount ($ millions): 225; Legislation: Act of 2018"


def test_a_plain_line_below_the_header_is_a_row_label_not_a_header():
    rows = [row(f"{year} {amount} Act", 270.0 + 14 * k, [(110.0, year), (210.0, amount), (300.0, "Act")])
            for k, (year, amount) in enumerate([("2018", "225"), ("2019", "475"), ("2020", "1,150")])]
    document = model([*header_over_lines(), printed("Enacted", 1, 256.0, x0=100.0), *rows])
    first = kinds(document, "table")[0][1]
    assert first.startswith("Enacted") and "Amount ($ millions): 225" in first


def marks_table(second_header: bool) -> list[Line]:
    header = [row("Benefit Honorable Dishonorable", 230.0, [(90.0, "Benefit"), (200.0, "Honorable"),
                                                            (300.0, "Dishonorable")], bold=True)]
    if second_header:
        header.append(row("(all) (type A) (type B)", 244.0, [(90.0, "(all)"), (200.0, "(type A)"), (300.0, "(type B)")],
                          bold=True))
    rows = [row(f"{name} E NE", 262.0 + 14 * k, [(90.0, name), (200.0, "E"), (300.0, "NE")])
            for k, name in enumerate(["Pension", "Loans", "Housing"])]
    return [printed("Table 2. Eligibility", 1, 200.0, size=10.0, bold=True), *header, *rows]


def test_plain_rows_of_marks_under_a_bold_header_are_rows():
    assert kinds(model(marks_table(False)), "table")[0] == ("table", "Pension — Honorable: E; Dishonorable: NE")


def test_a_second_bold_header_line_without_numbers_is_still_header():
    first = kinds(model(marks_table(True)), "table")[0][1]
    assert first == "Pension — Honorable (type A): E; Dishonorable (type B): NE"


def aligned(first: str, rows: list[tuple[str, str, str]]) -> list[Line]:
    names = first.split()
    lines = [row(first, 200.0, [(90.0, names[0]), (200.0, names[1]), (300.0, names[2])])]
    return lines + [row(" ".join(r), 214.0 + 14 * k, [(90.0, r[0]), (200.0, r[1]), (300.0, r[2])])
                    for k, r in enumerate(rows)]


def test_a_run_of_mark_rows_starts_with_a_row():
    document = model(aligned("Unemployment X X", [("Openness", "X", "X"), ("Growth", "X", "X")]))
    assert [t for _, t in kinds(document, "table")] == ["Unemployment — X; X", "Openness — X; X", "Growth — X; X"]


def test_a_line_without_digits_over_numeric_rows_is_their_header():
    document = model(aligned("Program Enacted Requested", [("Roads", "1.0", "2.0"), ("Rail", "3.0", "4.0")]))
    assert kinds(document, "table")[0] == ("table", "Roads — Enacted: 1.0; Requested: 2.0")


def test_a_small_type_table_below_the_text_is_not_footnotes():
    rows = [row(f"{name} {a} {b}", 500.0 + 12 * k, [(90.0, name), (200.0, a), (300.0, b)])
            for k, (name, a, b) in enumerate([("50 States", "10", "20"), ("Alabama", "3", "4"), ("Alaska", "5", "6")])]
    document = model(rows)
    assert kinds(document, "footnote") == []
    assert any(text.startswith("Alabama") for _, text in kinds(document, "table"))


def test_a_numbered_small_line_at_the_left_below_the_text_is_a_footnote():
    document = model([printed("1 See the agency's annual report for 2020.", 1, 700.0)])
    assert kinds(document, "footnote") == [("footnote", "See the agency's annual report for 2020.")]


def test_two_footnotes_with_one_number_on_a_page_are_both_kept():
    document = model([printed("3 The first note on this page.", 1, 690.0),
                      printed("3 A second note that reuses its number.", 1, 702.0)])
    assert [t for _, t in kinds(document, "footnote")] == ["The first note on this page.",
                                                           "A second note that reuses its number."]


def test_a_footnote_mark_far_from_the_left_edge_opens_no_footnote():
    document = model([printed("4 1", 1, 700.0, x0=500.0)])
    assert kinds(document, "footnote") == []


def test_a_word_broken_at_a_line_end_is_mended_and_a_compound_keeps_its_hyphen(tmp_path):
    """PDFium reports a line-end hyphen as U+FFFE with no line break after it (`recommenda\ufffetions`)."""
    text = (
        "Systems generate outputs such as predictions, recommenda-\ntions, or decisions for a third-\n"
        "party user; the third party and the user review the appropriate outputs together."
    )
    path = write_pdf(tmp_path / "broken.pdf", [["# Outputs", text]], header=False)
    body = " ".join(p.text for p in parse_pdf("broken", path) if p.kind == "body")
    assert "recommendations, or decisions" in body
    assert "a third-party user" in body
    assert "recommenda" not in body.replace("recommendations", "")


def typeset(pages: dict[int, list[Line]], count: int = 6):
    """A document of `count` pages, each its `pages` lines (display type) above six lines of prose."""
    out = [pages.get(p, []) + prose(p + 1, first=400.0, count=6) for p in range(count)]
    return pdf_document("t.pdf", PdfPages(out, [], "", list(range(1, count + 1)), [792.0] * count))


def headings_of(document) -> list[tuple[int, str]]:
    return [(b.level, b.text) for b in document.blocks if b.kind == "heading"]


def test_a_heading_set_solid_over_two_lines_is_one_heading():
    # 20 pt type on a 19.5 pt pitch: the loose boxes of the two lines overlap.
    document = typeset({
        0: [printed("Overview", 1, 100.0, size=20.0, bold=True)],
        1: [printed("EXPLORE:", 2, 104.0, size=20.0, bold=True),
            printed("FIVE ACTIONABLE PRINCIPLES", 2, 123.5, size=20.0, bold=True)],
    })
    assert (1, "EXPLORE: FIVE ACTIONABLE PRINCIPLES") in headings_of(document)


def test_a_bold_caption_is_no_heading():
    document = typeset({
        0: [printed("Overview", 1, 100.0, size=20.0, bold=True)],
        1: [printed("Figure 1. Regional Offices", 2, 100.0, size=12.0, bold=True)],
        2: [printed("Table 2. Staff Levels", 3, 100.0, size=12.0, bold=True)],
        3: [printed("Regional Offices", 4, 100.0, size=12.0, bold=True)],
        4: [printed("Findings", 5, 100.0, size=20.0, bold=True)],
        5: [printed("Staff Levels", 6, 100.0, size=12.0, bold=True)],
    })
    assert headings_of(document) == [(1, "Overview"), (2, "Regional Offices"), (1, "Findings"), (2, "Staff Levels")]


def test_titles_before_the_first_page_of_prose_take_no_level():
    cover = [printed("Reimagining Connections", 1, 200.0, size=36.0, bold=True),
             printed("Licensed under a public licence for reuse.", 1, 700.0, size=8.0)]
    pages = [cover, [printed("Contents", 2, 100.0, size=36.0, bold=True)]]
    parts = ["Background", "Methods", "Findings", "Outlook"]
    for n, part in enumerate(parts):
        pages.append([printed(part, n + 3, 100.0, size=20.0, bold=True)] + prose(n + 3, count=6))
    document = pdf_document("t.pdf", PdfPages(pages, [], "", list(range(1, 7)), [792.0] * 6))
    assert headings_of(document) == [(1, part) for part in parts]


def test_a_cluster_of_diagram_labels_is_no_heading():
    labels = [printed(text, 3, 200.0 + 30 * k, size=14.0) for k, text in
              enumerate(["are well managed", "are safe and inclusive", "are a learning space"])]
    document = typeset({
        0: [printed("Overview", 1, 100.0, size=20.0, bold=True)],
        2: labels,
        3: [printed("Findings", 4, 100.0, size=20.0, bold=True)],
    })
    assert headings_of(document) == [(1, "Overview"), (1, "Findings")]


def test_a_callout_repeated_on_many_pages_is_no_heading():
    topics = {1: "teachers", 2: "data in schools", 3: "the wider ecosystem"}
    callout = {p: [printed(f"Scan the code to read about {topic}", p + 1, 150.0 + 60 * p, size=14.0, bold=True)]
               for p, topic in topics.items()}
    document = typeset({
        0: [printed("Overview", 1, 100.0, size=20.0, bold=True)],
        **callout,
        4: [printed("Findings", 5, 100.0, size=20.0, bold=True)],
    })
    assert headings_of(document) == [(1, "Overview"), (1, "Findings")]


def test_outline_pages_make_the_style_that_opens_them_level_one_even_when_its_titles_are_junk():
    lines = {
        0: [printed("Overview", 1, 100.0, size=20.0, bold=True)],
        1: [printed("Ask why", 2, 100.0, size=26.0, bold=True)],
        2: [printed("Design for all", 3, 100.0, size=26.0, bold=True)],
        3: [printed("Roadmap", 4, 100.0, size=20.0, bold=True)],
    }
    pages = [lines.get(p, []) + prose(p + 1, first=400.0, count=6) for p in range(5)]
    junk = [(1, "1 .OVERV", 1), (1, "4 roadm", 4)]  # truncated bookmark titles, right pages
    with_outline = pdf_document("t.pdf", PdfPages(pages, junk, "", list(range(1, 6)), [792.0] * 5))
    without = pdf_document("t.pdf", PdfPages(pages, [], "", list(range(1, 6)), [792.0] * 5))
    assert headings_of(with_outline) == [(1, "Overview"), (2, "Ask why"), (2, "Design for all"), (1, "Roadmap")]
    assert headings_of(without)[:2] == [(2, "Overview"), (1, "Ask why")]  # by size alone


def bodies(document) -> list[str]:
    return [text for _, text in kinds(document, "body", "list")]


def test_a_paragraph_broken_by_a_column_end_is_one_paragraph():
    """The left column ends mid-sentence; the right column goes on in lower case, higher on the page."""
    document = model([
        printed("The council consulted the public in many ways, including three widely attended", 1, 400.0,
                size=11.0),
        printed("workshops and two drafts of the plan. The plan was adopted in June.", 1, 150.0, size=11.0,
                x0=320.0),
    ])
    assert any("three widely attended workshops and two drafts" in text for text in bodies(document))


def test_a_dash_aside_after_a_sentence_that_goes_on_is_no_list_item():
    document = model([
        printed("Engagement with the community during the development of the plan", 1, 300.0, size=11.0),
        printed("– via responses to a formal request and three widely attended workshops,", 1, 330.0, size=11.0),
        printed("public comments on two drafts of the plan – has informed the plan.", 1, 360.0, size=11.0),
    ])
    texts = bodies(document)
    assert any(t.startswith("Engagement") and t.endswith("has informed the plan.") for t in texts), texts


def test_text_in_a_larger_type_with_wider_leading_keeps_its_paragraphs():
    """A report that sets a section in 14 pt with 20 pt leading: each line is no paragraph of its own."""
    words = "Teachers remain central and technology supports them in many ways".split()
    big = [printed(" ".join(words[k % 5:] + words[: k % 5]), 1, 200.0 + 20 * k, size=14.1) for k in range(24)]
    big[11] = printed("the class. This is achieved through support for monitoring and", 1, 420.0, size=14.1)
    big[12] = printed("evaluation (M&E) in projects that use technology, and partners.", 1, 440.0, size=14.1)
    last = [printed(x.text, 4, x.top, size=x.size) for x in big]
    pages = [prose(p, first=100.0, count=40) for p in (1, 2, 3)] + [last]
    document = pdf_document("t.pdf", PdfPages(pages, [], "", [1, 2, 3, 4], [792.0] * 4))
    assert any("monitoring and evaluation (M&E)" in text for text in bodies(document))
