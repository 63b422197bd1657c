"""Editions: which files are versions of one work, which is newest, and what answers say about the others.

Unit tests run qa.editions on file names and first-page texts written here; the end-to-end tests
index small generated Markdown reports (two versions of one report, a byte-identical copy, an
unrelated report) and ask them; a library test (skipped when ../shared/corpora/library is absent)
checks the real CRS pair R48905.1 / R48905.2.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from qa.cli import ask, qa
from qa.corpus import SourceFile
from qa.editions import Edition, group, newest_first, read_edition, split_duplicates

ROOT = Path(__file__).resolve().parent.parent
LIBRARY = ROOT.parent / "shared" / "corpora" / "library"


def edition(name: str, *first_page: str) -> Edition:
    return read_edition(name, name.rsplit(".", 1)[0].lower(), list(first_page))


# ------------------------------------------------------------------------------------------- units


def test_crs_cover_gives_number_version_date_and_title():
    e = edition(
        "R48905.2.pdf",
        "U.S. Department of Agriculture (USDA):",
        "Structure and Proposed Changes",
        "Updated April 14, 2026",
        "Congressional Research Service https://crsreports.congress.gov R48905 SUMMARY …",
    )
    assert (e.number, e.version, e.date, e.updated) == ("R48905", (2,), "2026-04-14", True)
    assert e.title == "U.S. Department of Agriculture (USDA): Structure and Proposed Changes"
    assert (e.label, e.month) == ("R48905.2", "April 2026")


def test_web_export_metadata_gives_number_version_date():
    e = edition(
        "IF11643v21-artemis.md",
        "Artemis: NASA’s Program to Return Humans to the Moon",
        "**Product Type:** In Focus **Report No.:** IF11643 **Version:** 21 **Publication Date:** 04/13/2026",
    )
    assert (e.number, e.version, e.date) == ("IF11643", (21,), "2026-04-13")
    assert e.title == "Artemis: NASA’s Program to Return Humans to the Moon"


def test_a_file_name_id_counts_only_when_the_first_page_carries_it():
    """`a1234.txt` is just a name; `R48905` is a report number because the cover says R48905."""
    assert edition("a1234.txt", "Harbor Laboratory Annual Review", "Updated May 2, 2024").number == ""
    assert edition("a1234.txt", "Harbor Laboratory Annual Review", "Report A1234").number == "A1234"


@pytest.mark.parametrize(
    ("name", "text", "version"),
    [
        ("budget-v3.pdf", "", (3,)),
        ("framework_version_1.1.pdf", "", (1, 1)),
        ("handbook_2nd_edition.pdf", "", (2,)),
        ("handbook.pdf", "Third Edition", (3,)),
        ("rmf.pdf", "Version 1.0", (1, 0)),
        ("plain.pdf", "Nothing here", ()),
    ],
)
def test_versions_from_names_and_covers(name, text, version):
    assert edition(name, "Some Title Of A Report", text).version == version


def test_a_date_in_the_running_text_is_not_the_cover_date():
    """Only a labelled date (`Updated …`, `Publication Date: …`) or one on a short line of its own counts."""
    body = "In April 2004 the ministry began a programme that had by then supported 40 universities in all regions."
    assert edition("paper.txt", "Open Innovation", body).date == ""
    assert edition("paper.txt", "Open Innovation", body, "Revised March 2021").date == "2021-03"
    assert edition("paper.txt", "Open Innovation", "January 2023").date == "2023-01"


def test_same_number_or_same_title_makes_one_work_newest_first():
    a1 = edition("R48905.1.pdf", "USDA: Structure and Proposed Changes", "April 14, 2026", "R48905")
    a2 = edition("R48905.2.pdf", "USDA: Structure and Proposed Changes", "April 14, 2026", "R48905")
    b = edition("R48908.2.pdf", "The U.S. and Foreign Commercial Service", "April 15, 2026", "R48908")
    b_md = edition("R48908v2-web.md", "The U.S. and Foreign Commercial Service",
                   "**Report No.:** R48908 **Version:** 2 **Publication Date:** 04/15/2026")
    old = edition("harbor-review.txt", "Harbor Laboratory Annual Review", "Updated May 2, 2023")
    new = edition("harbor-review-2024.txt", "Harbor Laboratory Annual Review", "Updated May 2, 2024")
    other = edition("solar.md", "Solar Programme Overview", "Updated May 2, 2024")
    works = group([a1, b, a2, old, b_md, new, other])
    assert [[e.name for e in w] for w in works] == [
        ["R48905.2.pdf", "R48905.1.pdf"],  # same date: the higher version is newer
        ["R48908.2.pdf", "R48908v2-web.md"],  # one edition in two formats: the PDF stands for it
        ["harbor-review-2024.txt", "harbor-review.txt"],  # same title: the later date is newer
        ["solar.md"],
    ]


def test_different_report_numbers_are_different_works_even_with_one_title():
    a = edition("R1001.pdf", "Appropriations Overview For Agriculture", "R1001")
    b = edition("R2002.pdf", "Appropriations Overview For Agriculture", "R2002")
    assert len(group([a, b])) == 2


def test_short_generic_titles_do_not_join_works():
    assert len(group([edition("a.txt", "Contents"), edition("b.txt", "Contents")])) == 2


def test_newest_first_prefers_date_then_version():
    older_but_higher = Edition("x.3.pdf", "x3", version=(3,), date="2025-01-01")
    newer = Edition("x.2.pdf", "x2", version=(2,), date="2026-01-01")
    assert [e.name for e in newest_first([older_but_higher, newer])] == ["x.2.pdf", "x.3.pdf"]


def test_split_duplicates_keeps_the_first_of_each_hash():
    files = [SourceFile(Path(n), n, h) for n, h in (("a.pdf", "1"), ("b.pdf", "2"), ("c.pdf", "1"))]
    unique, duplicates = split_duplicates(files)
    assert [f.name for f in unique] == ["a.pdf", "b.pdf"] and duplicates == {"c.pdf": "a.pdf"}


def test_edition_round_trips_through_json():
    e = edition("R48905.2.pdf", "USDA: Structure", "Updated April 14, 2026", "R48905")
    assert Edition.from_json(json.loads(json.dumps(e.to_json()))) == e


# ------------------------------------------------------------------------------- end to end (small)

REPORT = """# Harbor Laboratory Annual Review

Updated {date}

Report HL100

## Staff

The Harbor Laboratory employed {staff} marine biologists at the end of the year.

## Boats

The laboratory operates three research vessels from its pier in Port Edwin.
"""


@pytest.fixture(scope="module")
def versioned(tmp_path_factory) -> tuple[Path, Path]:
    """Two editions of one report (one fact changed), a byte-identical copy of the newer, an unrelated note."""
    from qa import config
    from qa.index import build_index
    from qa.progress import Progress

    config.go_offline()
    root = tmp_path_factory.mktemp("editions")
    corpus = root / "corpus"
    corpus.mkdir()
    (corpus / "HL100.1.md").write_text(REPORT.format(date="March 3, 2025", staff="41"), encoding="utf-8")
    (corpus / "HL100.2.md").write_text(REPORT.format(date="March 9, 2026", staff="47"), encoding="utf-8")
    shutil.copy(corpus / "HL100.2.md", corpus / "copy-of-HL100.2.md")
    (corpus / "tides.md").write_text("# Tide Tables for Port Edwin\n\nHigh tide at Port Edwin comes twice a day.\n",
                                     encoding="utf-8")
    build_index(corpus, root / "index", progress=Progress(quiet=True), warn=lambda _m: None)
    return corpus, root / "index"


def run_ask(versioned, *args: str):
    corpus, index = versioned
    result = CliRunner().invoke(ask, [*args, "--corpus", str(corpus), "--index-dir", str(index)])
    assert result.exit_code == 0, result.output
    return result


def test_the_index_records_versions_and_copies(versioned):
    _, index = versioned
    manifest = json.loads((index / (index / "CURRENT").read_text().strip() / "manifest.json").read_text())
    assert manifest["versions"] == [["hl100-2", "hl100-1"]]
    assert manifest["duplicates"] == {"copy-of-HL100.2.md": "HL100.2.md"}
    assert "copy-of-HL100.2.md" not in manifest["files"]
    assert manifest["editions"]["hl100-2"]["date"] == "2026-03-09"


def test_answers_come_from_the_newest_and_say_the_earlier_one_differs(versioned):
    result = run_ask(versioned, "How many marine biologists did the Harbor Laboratory employ?", "--plain")
    assert result.stdout.startswith("47 marine biologists")
    assert "(from HL100.2 (March 2026; an earlier version, HL100.1, says otherwise: 41 marine biologists))" in (
        result.stdout
    )
    assert "hl100-1" not in result.stdout.split("Sources")[1], "the earlier version is not cited"


def test_a_fact_both_versions_state_says_the_same(versioned):
    data = json.loads(run_ask(versioned, "How many research vessels does the laboratory operate?", "--json").stdout)
    assert "three" in data["answer"]
    assert data["versions"]["note"] == "HL100.2 (March 2026; an earlier version, HL100.1, says the same)"
    assert [e["doc"] for e in data["versions"]["editions"]] == ["hl100-2", "hl100-1"]
    assert data["citations"][0]["doc"] == "hl100-2" and "hl100-1" not in {c["doc"] for c in data["citations"]}


def test_all_versions_shows_each(versioned):
    result = run_ask(versioned, "How many marine biologists did the Harbor Laboratory employ?", "--plain",
                     "--all-versions")
    assert "HL100.1 (earlier version, 2025-03-03):\n41 marine biologists" in result.stdout
    data = json.loads(run_ask(versioned, "How many marine biologists did the Harbor Laboratory employ?", "--json",
                              "--all-versions").stdout)
    answers = {e["doc"]: e["answer"] for e in data["versions"]["editions"]}
    assert answers["hl100-2"].startswith("47") and answers["hl100-1"].startswith("41")


def test_naming_the_earlier_version_searches_it(versioned):
    result = run_ask(versioned, "How many marine biologists did the Harbor Laboratory employ?", "--plain",
                     "--doc", "HL100.1.md")
    assert result.stdout.startswith("41 marine biologists")
    assert "a later version, HL100.2, says otherwise: 47 marine biologists" in result.stdout


def test_documents_without_versions_get_no_note(versioned):
    data = json.loads(run_ask(versioned, "How often does high tide come at Port Edwin?", "--json").stdout)
    assert "versions" not in data


def test_sources_groups_versions_and_names_copies(versioned):
    corpus, index = versioned
    result = CliRunner().invoke(qa, ["sources", "--depth", "1", "--corpus", str(corpus), "--index-dir", str(index)])
    assert result.exit_code == 0, result.output
    heads = [line for line in result.stdout.splitlines() if line and not line.startswith("  ")]
    assert [h.split()[0] for h in heads] == ["hl100-2", "hl100-1", "tides"]
    assert ("  newest of 2 versions; answers come from it (also indexed: HL100.1 (2025-03-03)); "
            "byte-identical copies indexed once: copy-of-HL100.2.md") in result.stdout
    assert "  an earlier version of HL100.2 (2026-03-09): searched with --doc or ask --all-versions" in result.stdout
    records = [json.loads(line) for line in CliRunner().invoke(
        qa, ["sources", "--json", "--corpus", str(corpus), "--index-dir", str(index)]).stdout.splitlines()]
    old = next(r for r in records if r["doc"] == "hl100-1")
    assert old["versions"] == ["hl100-2", "hl100-1"] and old["searched"] is False


def test_a_new_byte_identical_copy_is_recorded_without_embedding(versioned, tmp_path):
    from qa.index import build_index
    from qa.progress import Progress

    corpus, index = versioned
    mine, where = tmp_path / "corpus", tmp_path / "index"
    shutil.copytree(corpus, mine)
    shutil.copytree(index, where)
    shutil.copy(mine / "tides.md", mine / "tides-again.md")
    report = build_index(mine, where, progress=Progress(quiet=True), warn=lambda _m: None)
    assert report.built and report.embedded == 0 and report.sentences_embedded == 0
    assert report.duplicates == {"copy-of-HL100.2.md": "HL100.2.md", "tides-again.md": "tides.md"}
    assert "(2 byte-identical copies indexed once)" in report.summary()
    again = build_index(mine, where, progress=Progress(quiet=True), warn=lambda _m: None)
    assert not again.built


# ------------------------------------------------------------------------------------------ library


@pytest.mark.slow
@pytest.mark.skipif(not (LIBRARY / "pdf" / "R48905.2.pdf").is_file(), reason="the analyst library is not here")
def test_library_r48905_versions(tmp_path):
    """R48905.1 and R48905.2 (two versions of one CRS report, same cover date): .2 is the newest."""
    from qa.index import build_index
    from qa.progress import Progress

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for name in ("R48905.1.pdf", "R48905.2.pdf", "R48908.2.pdf"):
        (corpus / name).symlink_to(LIBRARY / "pdf" / name)
    build_index(corpus, tmp_path / "index", progress=Progress(quiet=True), warn=lambda _m: None)
    manifest = json.loads((tmp_path / "index" / (tmp_path / "index" / "CURRENT").read_text().strip()
                           / "manifest.json").read_text())
    assert manifest["versions"] == [["r48905-2", "r48905-1"]]
    newest = manifest["editions"]["r48905-2"]
    assert (newest["number"], newest["version"], newest["date"]) == ("R48905", [2], "2026-04-14")
    assert newest["title"] == "U.S. Department of Agriculture (USDA): Structure and Proposed Changes"
    result = CliRunner().invoke(ask, ["When was USDA made an executive department?", "--json", "--corpus",
                                      str(corpus), "--index-dir", str(tmp_path / "index")])
    data = json.loads(result.stdout)
    assert "1889" in data["answer"]
    assert data["citations"][0]["doc"] == "r48905-2"
    assert data["versions"]["note"] == "R48905.2 (April 2026; an earlier version, R48905.1, says the same)"


def test_web_export_metadata_outside_the_paragraphs_still_gives_the_edition(tmp_path):
    """A web export's metadata block is boilerplate (never a paragraph); the edition comes from the file's head."""
    from qa.corpus import read_document
    from qa.index import _edition

    page = ("# Kiwi Fund Review\n\n**Report No.:** KF107\n**Version:** 3\n**Publication Date:** 05/01/2025\n\n---\n\n"
            "## Pay\n\nThe kiwi fund pays 77 yen to each member.\n")
    path = tmp_path / "KF107v3-kiwi-fund-review.md"
    path.write_text(page, encoding="utf-8")
    document = read_document(SourceFile(path, path.name, "0" * 64), warn=lambda _m: None)
    assert all("Report No" not in p.text for p in document.paragraphs)
    found = _edition(document, None, {document.name})
    assert (found.number, found.version, found.date) == ("KF107", (3,), "2025-05-01")
    without_head = read_edition(document.name, document.doc, [p.text for p in document.paragraphs])
    assert (without_head.number, without_head.date) == ("", "")


@pytest.mark.slow
@pytest.mark.skipif(not (LIBRARY / "md").is_dir(), reason="the analyst library is not here")
def test_library_pdf_and_its_web_export_are_copies_of_one_edition(tmp_path):
    """R48908.2.pdf and its congress.gov export (metadata only in the export's front matter) are one edition."""
    from qa.index import build_index
    from qa.progress import Progress

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "R48908.2.pdf").symlink_to(LIBRARY / "pdf" / "R48908.2.pdf")
    export = next((LIBRARY / "md").glob("R48908v2*.md"))
    (corpus / export.name).symlink_to(export)
    build_index(corpus, tmp_path / "index", progress=Progress(quiet=True), warn=lambda _m: None)
    manifest = json.loads((tmp_path / "index" / (tmp_path / "index" / "CURRENT").read_text().strip()
                           / "manifest.json").read_text())
    web = manifest["editions"][next(d for d in manifest["editions"] if d.startswith("r48908v2"))]
    assert (web["number"], web["version"], web["date"]) == ("R48908", [2], "2026-04-15")
    assert manifest["versions"][0][0] == "r48908-2"
    result = CliRunner().invoke(qa, ["sources", "--corpus", str(corpus), "--index-dir", str(tmp_path / "index")])
    assert "copy" in result.stdout, result.stdout
