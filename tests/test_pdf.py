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
from qa.ingest.pdf import parse_pdf

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
