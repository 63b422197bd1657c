"""Readable `ask` output: plain text (piped or --plain), rich on a terminal, markdown for reports;
`--json` keeps its schema; the ask path stays light (no rich when piped, no torch/chroma/llama-index)."""

from __future__ import annotations

import io
import json
import os
import pty
import re
import select
import subprocess
import sys

import pytest
from click.testing import CliRunner
from conftest import index_small_corpus

from qa.cli import ask
from qa.records import Answer, Citation
from qa.render import excerpt, locate, render_markdown, render_plain, render_rich

TLO = (
    "As of January 1, 2021, 34 TLOs had been approved by the Ministry of Education, Culture, Sports, Science and "
    "Technology (MEXT) and the Ministry of Economy, Trade and Industry (METI) under the Act on the Promotion of "
    "Technology Transfer from Universities to Private Business Operators (Act No. 52 of 1998). In this regard, "
    "further promoting a return of research results at universities to society will contribute to the improvement "
    "of industrial technology."
)
QUOTE = TLO.split(" In this regard")[0]
DOC = "white-paper"


def cite(local: str, display: str, page: int, text: str, doc: str = DOC) -> Citation:
    section = display.rsplit(" ¶", 1)[0]
    return Citation(f"{doc}:{local}", doc, section, 1, page, text, 0.03, f"{display} (p. {page})")


TLO_PLACE = "Section 1 › ❶ › (1) › B. Activities of the Technology Licensing Organization (TLO) ¶1"


def tlo_answer() -> Answer:
    citations = [
        cite("s1.1.1.b.p1", TLO_PLACE, 2, TLO),
        cite("s5.1.p1", "Section 5 › ❶ Revitalizing regional companies ¶1", 16, "METI is pushing support networks."),
        cite("s2.3.3.p1", "Section 2 › ❸ › (3) Support by the SBIR system ¶1", 9, "The SBIR system supports startups."),
    ]
    answer = "34 TLOs — As of January 1, 2021, 34 TLOs had been approved by the Ministry of Education …"
    return Answer("how many TLOs are approved?", answer, False, citations, quote=QUOTE)


def test_plain_answer_quote_and_aligned_sources():
    out = render_plain(tlo_answer())
    lines = out.splitlines()
    assert lines[0].startswith("34 TLOs — As of January 1, 2021")
    assert "  Section 1 › ❶ › (1) › B. Activities of the Technology Licensing Organization (TLO) ¶1, p. 2" in lines
    at = lines.index("  Section 1 › ❶ › (1) › B. Activities of the Technology Licensing Organization (TLO) ¶1, p. 2")
    body = " ".join(line.strip() for line in lines[at + 1 : lines.index("", at)])
    assert all(line.startswith("  ") for line in lines[at + 1 : lines.index("", at)])
    assert "»As of January 1, 2021, 34 TLOs had been approved" in body
    assert "(Act No. 52 of 1998).« In this regard" in body
    start = lines.index("Sources (white-paper):")
    rows = lines[start + 1 :]
    assert rows == [
        f"  [1]  p. 2   s1.1.1.b.p1  {TLO_PLACE}",
        "  [2]  p. 16  s5.1.p1      Section 5 › ❶ Revitalizing regional companies ¶1",
        "  [3]  p. 9   s2.3.3.p1    Section 2 › ❸ › (3) Support by the SBIR system ¶1",
    ]
    assert "\x1b[" not in out


def test_plain_context_and_several_documents():
    answer = tlo_answer()
    answer.citations[1] = cite("1.p1", "Overview ¶1", 1, "Another document's paragraph.", doc="beta")
    out = render_plain(answer, context=True)
    assert "Sources:" in out
    assert "white-paper:s1.1.1.b.p1" in out and "beta:1.p1" in out
    assert "      Another document's paragraph." in out


def test_plain_abstention_lists_closest_passages():
    answer = tlo_answer()
    answer = Answer(answer.question, None, True, answer.citations)
    out = render_plain(answer)
    assert out.splitlines()[0] == "The documents do not answer this."
    assert "Closest passages (white-paper):" in out
    assert "»" not in out


def test_long_paragraph_is_windowed_around_the_quote():
    sentences = [f"Filler sentence number {i} says nothing in particular at all today." for i in range(40)]
    sentences[25] = "The quoted sentence holds 42 widgets."
    text = " ".join(sentences)
    span = locate(text, "The quoted sentence holds 42 widgets.")
    shown, inner = excerpt(text, span, limit=60)
    assert shown.startswith("… ") and shown.endswith(" …")
    assert shown[inner[0] : inner[1]] == "The quoted sentence holds 42 widgets."
    assert len(shown.split()) <= 64
    assert locate("a  b\nc", "a b c") == (0, 6)
    assert locate("abc", "") is None and locate("abc", "xyz") is None


def test_rich_on_a_terminal_highlights_the_quote():
    from rich.console import Console

    buffer = io.StringIO()
    console = Console(file=buffer, force_terminal=True, color_system="standard", width=110, highlight=False)
    render_rich(tlo_answer(), console)
    out = buffer.getvalue()
    assert "\x1b[1m34 TLOs\x1b[0m" in out  # the short answer in bold
    assert "\x1b[1;30;43mAs of January 1, 2021" in out  # the quote highlighted inside its paragraph
    plain = re.sub(r"\x1b\[[0-9;]*m", "", out)
    assert "p. 2 · s1.1.1.b.p1" in plain
    assert "Sources (white-paper)" in plain
    rows = [line for line in plain.splitlines() if re.match(r"\s*\[\d\]", line)]
    assert len(rows) == 3
    refs = ["s1.1.1.b.p1", "s5.1.p1", "s2.3.3.p1"]
    assert len({line.index(ref) for line, ref in zip(rows, refs, strict=True)}) == 1  # refs in one column
    assert len({line.index(" p.") + len(line.split(" p. ")[1].split()[0]) for line in rows}) == 1  # pages right-aligned


def test_markdown_footnotes():
    """Every footnote names its document and page, even with one document; "See also" lists only the
    citations passed in `related` (the relevance cut), and only referenced footnotes are written."""
    out = render_markdown(tlo_answer(), related={f"{DOC}:s2.3.3.p1"}, titles={DOC: "white_paper.pdf"})
    lines = out.splitlines()
    assert lines[0] == (
        "**34 TLOs** — As of January 1, 2021, 34 TLOs had been approved by the Ministry of Education …[^1]"
    )
    assert f"> {QUOTE}[^1]" in lines
    assert "See also [^3]." in lines
    assert lines[-2:] == [
        f"[^1]: white_paper.pdf, {TLO_PLACE}, p. 2 (`s1.1.1.b.p1`)",
        "[^3]: white_paper.pdf, Section 2 › ❸ › (3) Support by the SBIR system ¶1, p. 9 (`s2.3.3.p1`)",
    ]


def test_markdown_without_related_passages_has_no_see_also():
    out = render_markdown(tlo_answer())
    assert "See also" not in out
    assert out.splitlines()[-1] == f"[^1]: {DOC}, {TLO_PLACE}, p. 2 (`s1.1.1.b.p1`)"  # no title known: the doc id


def test_markdown_for_generated_answers_and_abstentions():
    answer = tlo_answer()
    answer.answer = "34 TLOs had been approved as of January 1, 2021 [1], while METI builds networks [2]."
    out = render_markdown(answer, origin="written by m", related={f"{DOC}:s2.3.3.p1"})
    first = out.splitlines()[0]
    assert first == "34 TLOs had been approved as of January 1, 2021 [^1], while METI builds networks [^2]."
    assert "See also [^3]." in out and "*written by m*" in out
    abstained = render_markdown(Answer("q", None, True, answer.citations), note="LLM answer not used: x")
    assert abstained.splitlines()[0] == "The documents do not answer this."
    assert "Closest passages: [^1] [^2] [^3]" in abstained
    assert "*Note: LLM answer not used: x*" in abstained
    assert sum(line.startswith("[^") for line in abstained.splitlines()) == 3


# --- through the CLI, on a small real index ----------------------------------------------------------------------

CORPUS = """Section 1 Licensing

❶ Technology transfer

As of January 1, 2021, 34 TLOs had been approved by the ministries. They transfer research results to companies.

Section 2 Budget

The budget for the programme was 3.5 billion yen in 2020.
"""


@pytest.fixture(scope="module")
def where(tmp_path_factory):
    return index_small_corpus(tmp_path_factory.mktemp("render"), CORPUS)


@pytest.mark.slow
def test_json_schema_is_unchanged(where):
    result = CliRunner().invoke(ask, ["--json", "how many TLOs had been approved?", *where])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert list(data) == ["question", "answer", "abstained", "reason", "focus", "citations"]
    assert list(data["citations"][0]) == ["ref", "doc", "section", "paragraph", "page", "text", "score"]
    assert data["citations"][0]["ref"] == "paper:s1.1.p1"
    same = CliRunner().invoke(ask, ["--format", "json", "how many TLOs had been approved?", *where])
    assert json.loads(same.stdout) == data


@pytest.mark.slow
def test_piped_output_is_plain_and_markdown_on_request(where):
    plain = CliRunner().invoke(ask, ["how many TLOs had been approved?", *where])
    assert plain.exit_code == 0, plain.output
    assert plain.stdout.startswith("34 TLOs — As of January 1, 2021, 34 TLOs had been approved")
    assert "»As of January 1, 2021, 34 TLOs had been approved by the ministries.«" in plain.stdout
    assert "  [1]  p. 1  s1.1.p1" in plain.stdout
    md = CliRunner().invoke(ask, ["--format", "markdown", "how many TLOs had been approved?", *where])
    assert md.stdout.startswith("**34 TLOs** — ")
    assert "[^1]: paper.txt, Section 1 › ❶ Technology transfer ¶1, p. 1 (`s1.1.p1`)" in md.stdout


def _run_in_pty(args: list[str]) -> str:
    """Run `ask` with stdout on a real pseudo-terminal and return what it printed there."""
    main, child = pty.openpty()
    env = dict(os.environ, COLUMNS="100", TERM="xterm-256color")
    env.pop("NO_COLOR", None)
    code = "from qa.cli import main_ask; main_ask()"
    proc = subprocess.Popen([sys.executable, "-c", code, *args], stdout=child, stderr=subprocess.PIPE, env=env)
    os.close(child)
    chunks = []
    while True:
        ready, _, _ = select.select([main], [], [], 60)
        if not ready:
            break
        try:
            data = os.read(main, 65536)
        except OSError:
            break
        if not data:
            break
        chunks.append(data)
    proc.wait(timeout=60)
    os.close(main)
    assert proc.returncode == 0, proc.stderr.read().decode()
    return b"".join(chunks).decode("utf-8", "replace")


@pytest.mark.slow
def test_terminal_gets_rich_and_plain_flag_wins(where):
    fancy = _run_in_pty(["-q", "how many TLOs had been approved?", *where])
    assert "\x1b[" in fancy and "34 TLOs" in fancy
    plain = _run_in_pty(["-q", "--plain", "how many TLOs had been approved?", *where])
    assert "\x1b[" not in plain and "»As of January 1, 2021" in plain


@pytest.mark.slow
def test_ask_path_stays_light(where):
    """Piped `ask` imports neither rich nor torch, sentence-transformers, chromadb or llama-index."""
    code = (
        "import sys\n"
        "from qa.cli import ask\n"
        "try:\n"
        "    ask.main(sys.argv[1:], standalone_mode=False)\n"
        "except SystemExit:\n"
        "    pass\n"
        "heavy = {'rich', 'torch', 'sentence_transformers', 'transformers', 'chromadb', 'llama_index', 'openai',\n"
        "         'pypdf'}\n"
        "print(sorted(heavy & {m.split('.')[0] for m in sys.modules}), file=sys.stderr)\n"
    )
    for extra in ([], ["--format", "markdown"], ["--doc", "paper", "--section", "Section 1"]):
        proc = subprocess.run([sys.executable, "-c", code, "-q", *extra, "how many TLOs had been approved?", *where],
                              capture_output=True, text=True, timeout=120)
        assert proc.returncode == 0, proc.stderr
        assert proc.stderr.strip().splitlines()[-1] == "[]", proc.stderr
        assert "34 TLOs" in proc.stdout


@pytest.mark.slow
@pytest.mark.parametrize("question, see_also", [
    ("how many TLOs are approved?", None),
    ("When did MEXT establish the research support service/partnership authorization system?", "See also [^2] [^5]."),
])
def test_markdown_see_also_lists_only_passages_past_the_relevance_cut(session_index, question, see_also):
    """The TLO answer's four other retrieved paragraphs miss its constraints: no "See also" at all; the
    MEXT answer has two more paragraphs that pass the same cut. Every footnote names the file and page."""
    from conftest import CORPUS_FILE, ask_cli

    from qa.pipeline import open_pipeline
    from qa.progress import Progress

    result = ask_cli(CliRunner(), "--format", "markdown", question, index_dir=session_index)
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert [line for line in lines if line.startswith("See also")] == ([see_also] if see_also else [])
    answerer = open_pipeline(None, session_index, progress=Progress(quiet=True))
    answer = answerer.ask(question)
    passing = [n for n, c in enumerate(answer.citations, 1)
               if n == 1 or answerer.relevant(question, answerer.retriever.snapshot.by_ref[c.ref])]
    notes = [line for line in lines if line.startswith("[^")]
    assert [int(line[2 : line.index("]")]) for line in notes] == passing
    assert all(line.split("]: ", 1)[1].startswith(f"{CORPUS_FILE.name}, ") and ", p. " in line for line in notes)
