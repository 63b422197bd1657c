"""Index integrity: atomic builds under SIGKILL, incremental refresh, locking, corrupt or foreign indexes.

Everything is real: `qa` and `ask` run as subprocesses on temporary folders, with the packaged
MiniLM and a Chroma PersistentClient store. Tests that need the full bundled document copy the
session index from conftest; the others use a 6-chunk excerpt that builds in seconds.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

from qa.index import build_index
from qa.store import Snapshot

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parent.parent
BUNDLED = ROOT / "corpus" / "japan_st_white_paper_2021_open_innovation.txt"
BIN = Path(sys.executable).parent
TLO = "how many TLOs are approved?"


def env(tmp: Path) -> dict[str, str]:
    out = {k: v for k, v in os.environ.items() if not k.startswith("QA_")}
    out.update(XDG_CACHE_HOME=str(tmp / "cache"), HF_HUB_OFFLINE="1", TRANSFORMERS_OFFLINE="1")
    return out


def run(tool: str, *args: str, tmp: Path, timeout: float = 300) -> subprocess.CompletedProcess:
    return subprocess.run([str(BIN / tool), *args], cwd=tmp, env=env(tmp), capture_output=True, text=True,
                          timeout=timeout)


def start(tool: str, *args: str, tmp: Path, log: Path) -> subprocess.Popen:
    handle = open(log, "w")
    return subprocess.Popen([str(BIN / tool), *args], cwd=tmp, env=env(tmp), stdout=handle, stderr=subprocess.STDOUT)


def where(corpus: Path, index: Path) -> list[str]:
    return ["--corpus", str(corpus), "--index-dir", str(index)]


def assert_answers_34(result: subprocess.CompletedProcess) -> None:
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    answer = json.loads(result.stdout.splitlines()[-1])
    assert answer["answer"] and "34" in answer["answer"], answer


def assert_one_line_error(result: subprocess.CompletedProcess, *needles: str) -> None:
    assert result.returncode == 1, (result.returncode, result.stdout, result.stderr)
    assert "Traceback" not in result.stderr
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, lines
    for needle in needles:
        assert needle in lines[0], lines[0]


def tiny_doc(*paragraphs: str) -> str:
    return "Section 1 Test document\n\n" + "\n\n".join(paragraphs) + "\n"


def tlo_excerpt() -> str:
    """Section 1 of the bundled document up to its second subsection: 6 chunks, with the TLO fact."""
    text = BUNDLED.read_text(encoding="utf-8")
    return text[text.index("Section 1 Enhancing") : text.index("(2) Development")]


@pytest.fixture(scope="module")
def tiny(tmp_path_factory) -> Path:
    """A corpus folder with a 6-chunk excerpt of the bundled document and its index (built without torch)."""
    root = tmp_path_factory.mktemp("tiny")
    (root / "corpus").mkdir()
    (root / "corpus" / "excerpt.txt").write_text(tlo_excerpt(), encoding="utf-8")
    result = run("qa", "index", "-q", *where(root / "corpus", root / "index"), tmp=root)
    assert result.returncode == 0, result.stderr
    return root


def _copy(source: Path, dest: Path) -> Path:
    shutil.copytree(source / "corpus", dest / "corpus")
    shutil.copytree(source / "index", dest / "index")
    return dest


@pytest.fixture
def copy(session_index, tmp_path) -> Path:
    """The bundled corpus and a private copy of its index (conftest's `session_index`, built once)."""
    (tmp_path / "corpus").mkdir()
    shutil.copy(BUNDLED, tmp_path / "corpus" / BUNDLED.name)
    shutil.copytree(session_index, tmp_path / "index")
    return tmp_path


@pytest.fixture
def tiny_copy(tiny, tmp_path) -> Path:
    return _copy(tiny, tmp_path)


def current(index: Path) -> str:
    return (index / "CURRENT").read_text().strip()


def strays(index: Path) -> list[str]:
    return sorted(p.name for p in index.glob(".tmp-gen-*"))


# --------------------------------------------------------------------------------- atomic builds


def _wait_for(condition, proc: subprocess.Popen, limit: float = 120) -> bool:
    """Poll until `condition()` or the process ends; True when the condition came first."""
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        if condition():
            return True
        if proc.poll() is not None:
            return False
        time.sleep(0.005)
    return False


def test_sigkill_mid_build_keeps_the_previous_index(copy):
    corpus, index = copy / "corpus", copy / "index"
    before = current(index)
    log = copy / "build.log"

    def tmp_has(name):
        return lambda: any((p / name).exists() for p in index.glob(".tmp-gen-*"))

    points = {
        "after 0.5 s": lambda: time.sleep(0.5) or True,
        "after 2 s": lambda: time.sleep(2) or True,
        "after 3 s": lambda: time.sleep(3) or True,  # a bundled build takes 4-5 s on a quiet machine
        "while embedding": lambda: "embedding" in log.read_text(errors="replace"),
        "while writing Chroma": tmp_has("chroma"),
        "after vectors.npy": tmp_has("vectors.npy"),
    }
    killed = []
    for label, condition in points.items():
        proc = start("qa", "index", "--rebuild", *where(corpus, index), tmp=copy, log=log)
        if _wait_for(condition, proc) and proc.poll() is None:
            proc.send_signal(signal.SIGKILL)
            killed.append(label)
        proc.wait(timeout=300)
        if label in killed:
            assert current(index) == before, f"CURRENT moved after a kill {label}"
        # Whatever the timing, CURRENT names a complete generation and ask answers from it.
        snapshot = Snapshot.open(index)
        assert len(snapshot.chunks) == len(np.asarray(snapshot.vectors)) > 100
        assert_answers_34(run("ask", "--json", "-q", TLO, *where(corpus, index), tmp=copy))
        before = current(index)
    assert len(killed) >= 4, f"the build finished before most kill points: killed {killed}"
    assert strays(index), "killed builds should have left a temporary folder behind"
    refresh = run("qa", "index", *where(corpus, index), tmp=copy)
    assert refresh.returncode == 0, refresh.stderr
    assert "index is up to date" in refresh.stdout
    assert strays(index) == [], "the next build removes what killed builds left"
    assert len(list(index.glob("gen-*"))) <= 2


def test_sigkill_during_the_first_build_leaves_no_index(tmp_path):
    corpus, index = tmp_path / "corpus", tmp_path / "index"
    corpus.mkdir()
    shutil.copy(BUNDLED, corpus / BUNDLED.name)
    log = tmp_path / "build.log"
    proc = start("qa", "index", *where(corpus, index), tmp=tmp_path, log=log)
    assert _wait_for(lambda: "embedding" in log.read_text(errors="replace"), proc), log.read_text()
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=60)
    assert not (index / "CURRENT").exists()
    result = run("qa", "sources", *where(corpus, index), tmp=tmp_path)
    assert_one_line_error(result, "no index", "qa index")


# --------------------------------------------------------------------------- incremental refresh


def _chroma_ids(generation: Path) -> set[str]:
    from qa import chroma

    try:
        collection = chroma.open_client(path=generation / "chroma").get_collection(chroma.base_name())
        return set(collection.get(include=[])["ids"])
    finally:
        chroma.release()


def _check_store(index: Path) -> Snapshot:
    snapshot = Snapshot.open(index)
    assert _chroma_ids(snapshot.folder) == {c.id for c in snapshot.chunks}, "Chroma holds stale or missing chunks"
    return snapshot


def _vectors(snapshot: Snapshot) -> dict[str, bytes]:
    return {c.id: np.asarray(snapshot.vectors[i]).tobytes() for i, c in enumerate(snapshot.chunks)}


def test_refresh_embeds_only_what_changed(tmp_path):
    corpus, index = tmp_path / "corpus", tmp_path / "index"
    corpus.mkdir()
    (corpus / "alpha.txt").write_text(tiny_doc("Alpha programme funds 12 universities in Kyoto.",
                                               "Alpha also trains 40 coordinators."), encoding="utf-8")
    (corpus / "beta.md").write_text("# Beta\n\nBeta grants reached 7 startups in 2020.\n\nBeta closes in March.\n",
                                    encoding="utf-8")
    quiet = {"warn": lambda _m: None}
    first = build_index(corpus, index, **quiet)
    assert sorted(first.added) == ["alpha.txt", "beta.md"] and first.embedded == first.chunks
    one = _check_store(index)

    (corpus / "gamma.txt").write_text(tiny_doc("Gamma centres opened 3 offices in Osaka."), encoding="utf-8")
    added = build_index(corpus, index, **quiet)
    two = _check_store(index)
    gamma = [c for c in two.chunks if c.doc == "gamma"]
    assert (added.added, added.changed, added.removed, sorted(added.unchanged)) == (
        ["gamma.txt"], [], [], ["alpha.txt", "beta.md"])
    assert added.embedded == len(gamma) > 0
    old, new = _vectors(one), _vectors(two)
    assert all(new[cid] == vector for cid, vector in old.items()), "unchanged chunks must keep their exact vectors"

    (corpus / "beta.md").write_text("# Beta\n\nBeta grants reached 9 startups in 2021.\n\nBeta closes in March.\n",
                                    encoding="utf-8")
    changed = build_index(corpus, index, **quiet)
    three = _check_store(index)
    assert changed.changed == ["beta.md"] and not changed.added and not changed.removed
    assert changed.embedded == 1, "only the edited paragraph of beta.md is embedded again"
    assert not any("7 startups" in c.text for c in three.chunks)
    assert any("9 startups" in c.text for c in three.chunks)
    unchanged = {c.id for c in three.chunks if c.doc != "beta"}
    assert all(_vectors(three)[cid] == new[cid] for cid in unchanged)

    (corpus / "gamma.txt").unlink()
    removed = build_index(corpus, index, **quiet)
    four = _check_store(index)
    assert removed.removed == ["gamma.txt"] and removed.embedded == 0
    assert not any(c.doc == "gamma" for c in four.chunks)
    assert set(four.manifest["files"]) == {"alpha.txt", "beta.md"}

    again = build_index(corpus, index, **quiet)
    assert not again.built
    assert again.summary() == "index is up to date (0 added, 0 changed, 0 removed, 2 unchanged, 0 skipped)"

    (corpus / "delta.txt").write_text(tiny_doc("Delta invests 5 billion yen."), encoding="utf-8")
    result = run("qa", "index", *where(corpus, index), tmp=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("1 added, 0 changed, 0 removed, 2 unchanged, 0 skipped;"), result.stdout
    assert "embedded 1 chunk and" in result.stdout
    _check_store(index)


# ------------------------------------------------------------------------------------ concurrency


def test_concurrent_builds_wait_and_asks_keep_answering(copy):
    corpus, index = copy / "corpus", copy / "index"
    before = current(index)
    first_log = copy / "first.log"
    first = start("qa", "index", "--rebuild", *where(corpus, index), tmp=copy, log=first_log)
    assert _wait_for(lambda: "embedding" in first_log.read_text(errors="replace"), first), first_log.read_text()

    refused = run("qa", "index", "--no-wait", *where(corpus, index), tmp=copy)
    assert_one_line_error(refused, "another `qa index` is building")

    second_log = copy / "second.log"
    second = start("qa", "index", *where(corpus, index), tmp=copy, log=second_log)
    asks = [
        subprocess.Popen([str(BIN / "ask"), "--json", "-q", TLO, *where(corpus, index)], cwd=copy, env=env(copy),
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for _ in range(8)
    ]
    assert _wait_for(lambda: "waiting for another `qa index`" in second_log.read_text(errors="replace"), second), (
        second_log.read_text())
    for proc in asks:
        out, err = proc.communicate(timeout=300)
        assert_answers_34(subprocess.CompletedProcess(proc.args, proc.returncode, out, err))
    assert first.wait(timeout=300) == 0, first_log.read_text()
    assert second.wait(timeout=300) == 0, second_log.read_text()
    assert "index is up to date" in second_log.read_text()
    assert current(index) != before


# ------------------------------------------------------------------------- corrupt or foreign index


def _gen(index: Path) -> Path:
    return index / current(index)


def _truncate(path: Path, size: int) -> None:
    with open(path, "r+b") as handle:
        handle.truncate(size)


def _edit_manifest(index: Path, **changes) -> None:
    path = _gen(index) / "manifest.json"
    manifest = json.loads(path.read_text())
    manifest.update(changes)
    path.write_text(json.dumps(manifest))


def _overwrite_start(path: Path, data: bytes) -> None:
    with open(path, "r+b") as handle:
        handle.write(data)


DAMAGE = {
    "truncated chroma.sqlite3": lambda ix: _truncate(_gen(ix) / "chroma" / "chroma.sqlite3", 4096),
    "chroma.sqlite3 header overwritten": lambda ix: _overwrite_start(_gen(ix) / "chroma" / "chroma.sqlite3", b"junk"),
    "Chroma folder missing": lambda ix: shutil.rmtree(_gen(ix) / "chroma"),
    "garbage CURRENT": lambda ix: (ix / "CURRENT").write_text("garbage\n"),
    "binary CURRENT": lambda ix: (ix / "CURRENT").write_bytes(b"\xff\xfe\x00\x01"),
    "empty CURRENT": lambda ix: (ix / "CURRENT").write_text(""),
    "CURRENT names a missing build": lambda ix: (ix / "CURRENT").write_text("gen-1-1\n"),
    "vectors.npy missing": lambda ix: (_gen(ix) / "vectors.npy").unlink(),
    "vectors.npy truncated": lambda ix: _truncate(_gen(ix) / "vectors.npy", 100),
    "paragraphs.jsonl missing": lambda ix: (_gen(ix) / "paragraphs.jsonl").unlink(),
    "manifest missing": lambda ix: (_gen(ix) / "manifest.json").unlink(),
    "manifest not JSON": lambda ix: (_gen(ix) / "manifest.json").write_text("{not json"),
    "older index format": lambda ix: _edit_manifest(ix, format=0),
    "another collection": lambda ix: _edit_manifest(ix, collection="qa-other-model-c9"),
}


@pytest.mark.parametrize("damage", list(DAMAGE))
def test_damaged_index_names_the_fix(tiny_copy, damage):
    corpus, index = tiny_copy / "corpus", tiny_copy / "index"
    DAMAGE[damage](index)
    assert_one_line_error(run("ask", "-q", TLO, *where(corpus, index), tmp=tiny_copy), "qa index --rebuild")
    assert_one_line_error(run("qa", "index", "-q", *where(corpus, index), tmp=tiny_copy), "qa index --rebuild")


def test_rebuild_recovers_a_damaged_index(tiny_copy):
    corpus, index = tiny_copy / "corpus", tiny_copy / "index"
    DAMAGE["truncated chroma.sqlite3"](index)
    broken = current(index)
    (index / "CURRENT").write_text("garbage\n")
    result = run("qa", "index", "--rebuild", "-q", *where(corpus, index), tmp=tiny_copy)
    assert result.returncode == 0, result.stderr
    assert current(index) != broken and not (index / broken).exists(), "the damaged generation is removed"
    _check_store(index)
    assert_answers_34(run("ask", "--json", "-q", TLO, *where(corpus, index), tmp=tiny_copy))


def _without_file_override() -> None:
    """Before exec: drop CAP_DAC_OVERRIDE/CAP_DAC_READ_SEARCH so root too obeys file modes."""
    import ctypes

    libc = ctypes.CDLL(None, use_errno=True)
    for capability in (1, 2):
        if libc.prctl(24, capability, 0, 0, 0) != 0:  # PR_CAPBSET_DROP
            raise OSError(ctypes.get_errno(), "prctl(PR_CAPBSET_DROP) failed")


def test_unwritable_index_folder_keeps_the_index(tiny_copy):
    corpus, index = tiny_copy / "corpus", tiny_copy / "index"
    before = current(index)
    (corpus / "more.txt").write_text(tiny_doc("The walrus fund has 4 members."), encoding="utf-8")
    index.chmod(0o555)
    try:
        result = subprocess.run(
            [str(BIN / "qa"), "index", "-q", *where(corpus, index)], cwd=tiny_copy, env=env(tiny_copy),
            capture_output=True, text=True, timeout=300,
            preexec_fn=_without_file_override if os.geteuid() == 0 else None,
        )
    except (OSError, subprocess.SubprocessError) as err:
        pytest.skip(f"cannot drop file-permission overrides here ({err})")
    finally:
        index.chmod(0o755)
    assert_one_line_error(result, "could not write the new index", "the previous index is unchanged")
    assert current(index) == before and strays(index) == []
