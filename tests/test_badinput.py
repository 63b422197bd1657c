"""Bad input: odd questions, odd option values, and corpus files that are empty, binary, non-UTF-8,
enormous, looping, special or unreadable. Each gets a clear message and the right exit code, and
none loses indexed data. Real subprocesses, real MiniLM, real Chroma, temporary folders.
"""

from __future__ import annotations

import json
import os
import random
import shutil
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path

import pytest
from conftest import answer_of, tlo_excerpt

from qa import config
from qa.corpus import scan
from qa.store import Snapshot

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
TLO = "how many TLOs are approved?"
JAPANESE = "技術移転機関（TLO）は、国内で幾つ承認されていますか？"


def env(tmp: Path, **extra: str) -> dict[str, str]:
    out = {k: v for k, v in os.environ.items() if not k.startswith("QA_")}
    out.update(XDG_CACHE_HOME=str(tmp / "cache"), HOME=str(tmp), HF_HUB_OFFLINE="1", TRANSFORMERS_OFFLINE="1")
    out.update(extra)
    return out


def run(tool: str, *args: str, tmp: Path, stdin: str | None = None, extra_env: dict | None = None
        ) -> subprocess.CompletedProcess:
    return subprocess.run([str(BIN / tool), *args], cwd=tmp, env=env(tmp, **(extra_env or {})), input=stdin,
                          capture_output=True, text=True, timeout=300)


def where(folder: Path) -> list[str]:
    return ["--corpus", str(folder / "corpus"), "--index-dir", str(folder / "index")]






def usage_error(result: subprocess.CompletedProcess, needle: str) -> None:
    assert result.returncode == 2, (result.returncode, result.stdout, result.stderr)
    assert "Traceback" not in result.stderr
    assert needle in result.stderr, result.stderr


@pytest.fixture(scope="module")
def indexed(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("indexed")
    (root / "corpus").mkdir()
    (root / "corpus" / "excerpt.txt").write_text(tlo_excerpt(), encoding="utf-8")
    result = run("qa", "index", "-q", *where(root), tmp=root)
    assert result.returncode == 0, result.stderr
    return root


# --------------------------------------------------------------------------------------- questions


@pytest.mark.parametrize(
    "question, needle",
    [
        ("", "empty"),
        ("   \t  \n ", "empty"),
        ("\x07\x1b\x7f", "empty"),
        ("why " * 2500, f"the limit is {config.MAX_QUESTION_CHARS}"),
    ],
    ids=["empty", "whitespace", "only-control-characters", "10000-characters"],
)
def test_unusable_questions_are_usage_errors(indexed, question, needle):
    usage_error(run("ask", question, *where(indexed), tmp=indexed), needle)


@pytest.mark.parametrize("value", ["0", "-1", "abc", "1000"])
def test_bad_top_k(indexed, value):
    usage_error(run("ask", "--top-k", value, TLO, *where(indexed), tmp=indexed), "top-k")


def test_bad_top_k_from_the_environment(indexed):
    result = run("ask", TLO, *where(indexed), tmp=indexed, extra_env={"QA_TOP_K": "0"})
    usage_error(result, "top-k")


def test_control_characters_are_ignored(indexed):
    answer = answer_of(run("ask", "--json", "-q", "how many\x07 TLOs\x1b are\u200b approved?\x7f", *where(indexed),
                           tmp=indexed))
    assert answer["answer"] and "34" in answer["answer"]


@pytest.mark.parametrize("question", [JAPANESE, "承認されたTLOの数", "TLOs 承認 how many?"])
def test_japanese_questions_work(indexed, question):
    answer = answer_of(run("ask", "--json", "-q", question, *where(indexed), tmp=indexed))
    assert answer["question"] == question
    assert answer["abstained"] or answer["answer"]


def test_quotes_and_shell_metacharacters_are_just_text(indexed, tmp_path):
    canary = tmp_path / "pwned"
    question = (f"how many \"TLOs\" are 'approved'? $(touch {canary}); `touch {canary}` | rm -rf {tmp_path} "
                f"&& echo $HOME > {canary} ; * ? [a-z] {{1,2}} \\ <<EOF")
    answer = answer_of(run("ask", "--json", "-q", question, *where(indexed), tmp=indexed))
    assert answer["question"] == question
    assert not canary.exists() and tmp_path.exists()


def test_question_starting_with_a_dash(indexed):
    answer = answer_of(run("ask", "--json", "-q", *where(indexed), "--", "-how many TLOs are approved?", tmp=indexed))
    assert "34" in (answer["answer"] or "")


def test_punctuation_only_question(indexed):
    answer = answer_of(run("ask", "--json", "-q", "?!… ¿¡ —", *where(indexed), tmp=indexed))
    assert answer["abstained"] or answer["answer"]


def test_batch_mode_answers_every_line_in_place(indexed):
    """One JSON line out per line in: bad lines get an error object where their answer would be."""
    lines = ["", "   ", "x" * 10_000, TLO, "\x1b\x07", JAPANESE]
    result = run("ask", "--json", "-q", "-", *where(indexed), tmp=indexed, stdin="\n".join(lines) + "\n")
    assert result.returncode == 0, result.stderr
    answers = [json.loads(line) for line in result.stdout.splitlines()]
    assert [a["question"] for a in answers] == lines
    assert [a.get("error") for a in answers] == [
        "the question is empty", "the question is empty",
        f"the question is 10000 characters; the limit is {config.MAX_QUESTION_CHARS}",
        None, "the question is empty", None]
    assert "34" in answers[3]["answer"]
    assert result.stderr == ""


# -------------------------------------------------------------------------------------- corpus files


def _write_messy(corpus: Path) -> None:
    corpus.mkdir(parents=True)
    (corpus / "excerpt.txt").write_text(tlo_excerpt(), encoding="utf-8")
    (corpus / "empty.txt").write_bytes(b"")
    (corpus / "blank.md").write_text("   \n\n\t\n", encoding="utf-8")
    (corpus / "image.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4)
    noise = bytes(b for b in random.Random(6).randbytes(6000) if b)
    (corpus / "noise.md").write_bytes(noise)
    japanese = "第1節 産学官連携\n\n技術移転機関（TLO）は大学の研究成果を企業へ橋渡しする。\n\n承認機関は34。\n"
    (corpus / "shiftjis.txt").write_bytes(japanese.encode("shift_jis"))
    (corpus / "western.txt").write_bytes(
        "Section 1 Café policy\n\nThe “naïve” résumé programme – costs 5€ per applicant.\n".encode("cp1252"))
    (corpus / "wide.txt").write_bytes("Section 1 Wide text\n\nThe albatross fund has 3 members.\n".encode("utf-16"))
    (corpus / "broken.pdf").write_bytes(b"%PDF-1.4\n% not really a pdf\n")
    with open(corpus / "huge.txt", "wb") as handle:
        handle.truncate(50 * 1024 * 1024)
    (corpus / "sub").mkdir()
    os.symlink("..", corpus / "sub" / "loop")
    os.symlink("self.txt", corpus / "self.txt")
    os.symlink("nowhere.txt", corpus / "dangling.txt")
    os.mkfifo(corpus / "pipe.txt")


@pytest.fixture(scope="module")
def messy(tmp_path_factory) -> tuple[Path, subprocess.CompletedProcess, float]:
    root = tmp_path_factory.mktemp("messy")
    _write_messy(root / "corpus")
    started = time.monotonic()
    result = run("qa", "index", *where(root), tmp=root)
    return root, result, time.monotonic() - started


def test_messy_corpus_indexes_what_it_can(messy):
    root, result, _ = messy
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    expected = {
        "empty.txt": "no text in it",
        "blank.md": "no text in it",
        "image.txt": "looks binary",
        "noise.md": "looks binary",
        "broken.pdf": "skipping broken.pdf",
        "huge.txt": "50 MB is over the 20 MB limit",
        "sub/loop": "symlink loop",
        "self.txt": "symlink loop",
        "dangling.txt": "broken link",
        "pipe.txt": "not a regular file",
        "shiftjis.txt": "read it as Shift-JIS",
        "western.txt": "read it as cp1252",
    }
    warnings = [line for line in result.stderr.splitlines() if line.startswith("warning:")]
    for name, reason in expected.items():
        assert any(name in w and reason in w for w in warnings), (name, reason, warnings)
    snapshot = Snapshot.open(root / "index")
    assert set(snapshot.manifest["files"]) == {"excerpt.txt", "shiftjis.txt", "western.txt", "wide.txt"}
    assert set(snapshot.manifest["skipped"]) == {"empty.txt", "blank.md", "image.txt", "noise.md", "broken.pdf"}
    text = "\n".join(p.text for p in snapshot.paragraphs)
    assert "技術移転機関（TLO）は大学の研究成果を企業へ橋渡しする。" in text
    assert "The “naïve” résumé programme – costs 5€ per applicant." in text
    assert "The albatross fund has 3 members." in text
    assert result.stdout.startswith("4 added, 0 changed, 0 removed, 0 unchanged, 5 skipped; 4 documents")


def test_messy_corpus_is_then_up_to_date_and_answers(messy):
    root, _, _ = messy
    again = run("qa", "index", *where(root), tmp=root)
    assert again.returncode == 0 and again.stdout.strip() == (
        "index is up to date (0 added, 0 changed, 0 removed, 4 unchanged, 5 skipped)"), (again.stdout, again.stderr)
    answer = answer_of(run("ask", "--json", "-q", TLO, *where(root), tmp=root))
    assert "34" in answer["answer"]
    japanese = answer_of(run("ask", "--json", "-q", "技術移転機関は何を橋渡しする？", *where(root), tmp=root))
    assert japanese["abstained"] or japanese["answer"]


def test_enormous_file_is_skipped_without_reading_it(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    with open(corpus / "huge.md", "wb") as handle:
        handle.truncate(50 * 1024 * 1024)
    (corpus / "small.txt").write_text("Section 1 Small\n\nA small file.\n", encoding="utf-8")
    warnings: list[str] = []
    tracemalloc.start()
    started = time.perf_counter()
    found = scan(corpus, warnings.append)
    elapsed = time.perf_counter() - started
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert [f.name for f in found.files] == ["small.txt"]
    assert warnings == ["skipping huge.md: 50 MB is over the 20 MB limit"]
    assert elapsed < 1.0 and peak < 4 * 1024 * 1024, (elapsed, peak)


# ------------------------------------------------------------------------------------- unreadable


def _without_file_override() -> None:
    """In the child, before exec: drop CAP_DAC_OVERRIDE and CAP_DAC_READ_SEARCH from the bounding
    set, so even root gets `Permission denied` on a chmod 000 file (tests run as root here)."""
    import ctypes

    libc = ctypes.CDLL(None, use_errno=True)
    for capability in (1, 2):
        if libc.prctl(24, capability, 0, 0, 0) != 0:  # PR_CAPBSET_DROP
            raise OSError(ctypes.get_errno(), "prctl(PR_CAPBSET_DROP) failed")


def run_unprivileged(tool: str, *args: str, tmp: Path) -> subprocess.CompletedProcess:
    preexec = _without_file_override if os.geteuid() == 0 else None
    return subprocess.run([str(BIN / tool), *args], cwd=tmp, env=env(tmp), capture_output=True, text=True,
                          timeout=300, preexec_fn=preexec)


@pytest.fixture
def permissions_apply(tmp_path):
    probe = tmp_path / "probe"
    probe.write_text("x")
    probe.chmod(0)
    try:
        result = run_unprivileged("python", "-c", f"open({str(probe)!r}).read()", tmp=tmp_path)
    except (OSError, subprocess.SubprocessError) as err:
        pytest.skip(f"cannot drop file-permission overrides here ({err})")
    if result.returncode == 0:
        pytest.skip("this process can read a chmod 000 file even without overrides")


def test_unreadable_files_warn_and_keep_indexed_data(tmp_path, permissions_apply):
    root = tmp_path
    corpus = root / "corpus"
    corpus.mkdir()
    (corpus / "excerpt.txt").write_text(tlo_excerpt(), encoding="utf-8")
    (corpus / "secret.txt").write_text("Section 1 Kiwi\n\nThe kiwi fund pays 77 yen to each member.\n",
                                       encoding="utf-8")
    first = run_unprivileged("qa", "index", "-q", *where(root), tmp=root)
    assert first.returncode == 0, first.stderr

    (corpus / "secret.txt").chmod(0)
    (corpus / "locked.txt").write_text("Section 1 Locked\n\nNever indexed.\n", encoding="utf-8")
    (corpus / "locked.txt").chmod(0)
    (corpus / "fresh.txt").write_text("Section 1 Fresh\n\nThe fresh fund opened in 2022.\n", encoding="utf-8")
    second = run_unprivileged("qa", "index", *where(root), tmp=root)
    assert second.returncode == 0, second.stderr
    assert "cannot read secret.txt (Permission denied)" in second.stderr
    assert "keeping the indexed copy of secret.txt" in second.stderr
    assert "cannot read locked.txt (Permission denied)" in second.stderr
    assert second.stdout.startswith("1 added, 0 changed, 0 removed, 2 unchanged, 0 skipped"), second.stdout
    snapshot = Snapshot.open(root / "index")
    assert set(snapshot.manifest["files"]) == {"excerpt.txt", "secret.txt", "fresh.txt"}
    assert any("kiwi fund pays 77 yen" in p.text for p in snapshot.paragraphs), "indexed data was lost"
    stale = run_unprivileged("ask", "--json", "-q", TLO, *where(root), tmp=root)
    assert "34" in answer_of(stale)["answer"] and "building" not in stale.stderr, "a kept file must not look stale"

    before = (root / "index" / "CURRENT").read_text()
    corpus.chmod(0)
    try:
        refused = run_unprivileged("qa", "index", *where(root), tmp=root)
    finally:
        corpus.chmod(0o755)
    # click's own check (exit 2, "is not readable") or ours (exit 1, "cannot list"): both name the folder.
    assert refused.returncode in (1, 2) and str(corpus) in refused.stderr, refused.stderr
    assert "not readable" in refused.stderr or "cannot list the corpus folder" in refused.stderr
    assert "Traceback" not in refused.stderr
    assert (root / "index" / "CURRENT").read_text() == before


# ---------------------------------------------------------------------------------- missing corpus


def test_missing_or_empty_corpus_keeps_the_index(indexed, tmp_path):
    shutil.copytree(indexed / "index", tmp_path / "index")
    before = (tmp_path / "index" / "CURRENT").read_text()
    missing = ["--corpus", str(tmp_path / "nowhere"), "--index-dir", str(tmp_path / "index")]

    refused = run("qa", "index", *missing, tmp=tmp_path)
    assert refused.returncode == 1 and "corpus folder not found" in refused.stderr, refused.stderr
    answered = run("ask", "--json", "-q", TLO, *missing, tmp=tmp_path)
    assert "34" in answer_of(answered)["answer"]
    assert "answering from the existing index" in answered.stderr

    (tmp_path / "empty").mkdir()
    empty = ["--corpus", str(tmp_path / "empty"), "--index-dir", str(tmp_path / "index")]
    refused = run("qa", "index", *empty, tmp=tmp_path)
    assert refused.returncode == 1 and "the index was left as it is" in refused.stderr, refused.stderr
    assert "34" in answer_of(run("ask", "--json", "-q", TLO, *empty, tmp=tmp_path))["answer"]
    assert (tmp_path / "index" / "CURRENT").read_text() == before

    (tmp_path / "file.txt").write_text("not a folder")
    as_file = ["--corpus", str(tmp_path / "file.txt"), "--index-dir", str(tmp_path / "new-index")]
    result = run("qa", "index", *as_file, tmp=tmp_path)
    assert result.returncode == 1 and "not a folder" in result.stderr


def test_missing_corpus_and_no_index(tmp_path):
    args = ["--corpus", str(tmp_path / "nowhere"), "--index-dir", str(tmp_path / "index")]
    for tool, extra in (("ask", [TLO]), ("qa", ["index"])):
        result = run(tool, *extra, *args, tmp=tmp_path)
        assert result.returncode == 1, result.stderr
        assert result.stderr.strip().splitlines() == [
            f"Error: corpus folder not found: {tmp_path / 'nowhere'} (set QA_CORPUS_DIR or pass --corpus)"]
