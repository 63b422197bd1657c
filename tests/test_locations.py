"""Where indexes live (issue 15.1): each corpus its own index keyed by its resolved path, under the
user data folder; the bundled corpus keeps the project's index/; --index-dir and QA_INDEX_DIR
override; the config file; `qa config`; `qa indexes` and `--prune`; a failed first build leaves no
folder behind (15.6). Tiny corpora (a handful of sentences, embedded by the numpy MiniLM) keep
each build under a second or two.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import CORPUS_DIR, ROOT, current

from qa import locations
from qa.cli import ask, qa

ALPHA = "Section 1 Harbor\n\nThe Alpha harbor lab opened with 42 researchers in 2019.\n"
BETA = "Section 1 Farm\n\nThe Beta farm institute opened with 17 researchers in 2020.\n"


@pytest.fixture
def user(monkeypatch, tmp_path):
    """No QA_* location env vars; the user folders in tmp_path; the working folder outside the project."""
    monkeypatch.delenv("QA_INDEX_DIR")
    monkeypatch.delenv("QA_CORPUS_DIR")
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    return tmp_path


def corpus(root: Path, name: str, text: str) -> Path:
    folder = root / name
    folder.mkdir(parents=True)
    (folder / f"{name}.txt").write_text(text, encoding="utf-8")
    return folder


def data_indexes(root: Path) -> Path:
    return root / "user" / "data" / "qa" / "indexes"


def test_index_folder_is_keyed_by_the_resolved_corpus(user):
    a = corpus(user, "papers", ALPHA)
    other = corpus(user / "elsewhere", "papers", BETA)
    (user / "link").symlink_to(a)
    assert locations.index_for(a).parent == data_indexes(user)
    assert locations.index_for(a).name.startswith("papers-")
    assert locations.index_for(a) == locations.index_for(user / "link") == locations.index_for(Path("../papers"))
    assert locations.index_for(a) != locations.index_for(other)
    assert locations.index_for(CORPUS_DIR) == ROOT / "index"  # the bundled corpus keeps the project's index/


def test_default_user_folders_follow_xdg_and_home(monkeypatch, tmp_path):
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.delenv("XDG_DATA_HOME")
    monkeypatch.delenv("XDG_CONFIG_HOME")
    assert locations.indexes_dir() == tmp_path / ".local" / "share" / "qa" / "indexes"
    assert locations.config_file() == tmp_path / ".config" / "qa" / "config.toml"
    monkeypatch.setenv("XDG_DATA_HOME", "relative/ignored")  # the XDG spec: relative paths are invalid
    assert locations.indexes_dir() == tmp_path / ".local" / "share" / "qa" / "indexes"
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "d"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "c"))
    assert locations.indexes_dir() == tmp_path / "d" / "qa" / "indexes"
    assert locations.config_file() == tmp_path / "c" / "qa" / "config.toml"


def test_each_corpus_gets_its_own_index_and_never_touches_another(user, runner):
    a, b = corpus(user, "alpha", ALPHA), corpus(user, "beta", BETA)
    built = runner.invoke(qa, ["index", "-q", "--corpus", str(a)])
    assert built.exit_code == 0, built.output
    index_a = locations.index_for(a)
    generation_a = current(index_a)
    answer = runner.invoke(ask, ["--json", "--corpus", str(b), "How many researchers did the Beta farm open with?"])
    assert answer.exit_code == 0, answer.output
    assert "17" in json.loads(answer.stdout)["answer"]
    index_b = locations.index_for(b)
    assert sorted(p.name for p in data_indexes(user).iterdir()) == sorted([index_a.name, index_b.name])
    assert current(index_a) == generation_a, "asking about beta rebuilt alpha's index"
    assert locations.recorded_corpus(index_a) == a and locations.recorded_corpus(index_b) == b
    question = "How many researchers did the Alpha harbor lab open with?"
    again = runner.invoke(ask, ["--json", "--corpus", str(a), question])
    assert "42" in json.loads(again.stdout)["answer"] and current(index_a) == generation_a


def test_an_index_dir_holding_another_corpus_is_refused(user, runner, monkeypatch):
    a, b = corpus(user, "alpha", ALPHA), corpus(user, "beta", BETA)
    shared = user / "shared-index"
    assert runner.invoke(qa, ["index", "-q", "--corpus", str(a), "--index-dir", str(shared)]).exit_code == 0
    generation = current(shared)
    monkeypatch.setenv("QA_INDEX_DIR", str(shared))
    for result in (runner.invoke(ask, ["--corpus", str(b), "How many researchers?"]),
                   runner.invoke(qa, ["index", "--corpus", str(b)])):
        assert result.exit_code == 1, result.output
        line = result.stderr.strip().splitlines()[-1]
        assert line == (f"Error: the index folder {shared} (env QA_INDEX_DIR) holds the index of another corpus "
                        f"({a}), not of {b}; unset QA_INDEX_DIR to give this corpus its own index, "
                        f"or pass --index-dir")
    assert current(shared) == generation
    # a copy of alpha (same files) may use alpha's index; so may any corpus given --index-dir explicitly
    copy = corpus(user / "copy", "alpha", ALPHA)
    assert runner.invoke(qa, ["index", "-q", "--corpus", str(copy)]).stdout.startswith("index is up to date")
    monkeypatch.setenv("QA_INDEX_DIR", str(shared))
    # once alpha (and its copy, which adopted the folder) are gone, the folder may be taken over
    for folder in (a, copy):
        (folder / "alpha.txt").unlink()
        folder.rmdir()
    assert runner.invoke(qa, ["index", "-q", "--corpus", str(b)]).exit_code == 0
    assert locations.recorded_corpus(shared) == b
    explicit = runner.invoke(qa, ["index", "-q", "--corpus", str(a.parent / "gamma"), "--index-dir", str(shared)])
    assert "corpus folder not found" in explicit.stderr  # no refusal: the flag is this run's choice


def test_an_index_dir_alone_answers_from_the_corpus_it_was_built_from(user, runner):
    a = corpus(user, "alpha", ALPHA)
    folder = user / "alpha-index"
    assert runner.invoke(qa, ["index", "-q", "--corpus", str(a), "--index-dir", str(folder)]).exit_code == 0
    generation = current(folder)
    question = "How many researchers did the Alpha lab open with?"
    answer = runner.invoke(ask, ["--json", "--index-dir", str(folder), question])
    assert answer.exit_code == 0, answer.output
    assert "42" in json.loads(answer.stdout)["answer"]
    assert current(folder) == generation, "--index-dir alone rebuilt the index from the bundled corpus"
    shown = runner.invoke(qa, ["config", "--json", "--index-dir", str(folder)])
    assert config_rows(shown)["corpus"] == (str(a), f"the corpus {folder} was built from")


def write_config(root: Path, text: str) -> Path:
    path = root / "user" / "config" / "qa" / "config.toml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def config_rows(result) -> dict[str, tuple[str, str]]:
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    return {r["setting"]: (r["value"], r["from"]) for r in rows}


def test_config_file_and_qa_config_say_where_each_setting_comes_from(user, runner, monkeypatch):
    b = corpus(user, "beta", BETA)
    path = write_config(user, 'corpus = "../../../beta"\ntop_k = 3\n')  # relative to the config file's folder
    rows = config_rows(runner.invoke(qa, ["config", "--json"]))
    assert rows["corpus"] == (str(b), "config file")
    assert rows["index_dir"] == (str(locations.index_for(b)), "default: the corpus's own index")
    assert rows["top_k"] == (3, "config file")
    assert rows["chroma_url"] == (None, "default")
    assert rows["llm_url"] == ("http://localhost:11434/v1", "default")
    assert rows["config_file"] == (str(path), "found")
    monkeypatch.setenv("QA_TOP_K", "7")
    assert config_rows(runner.invoke(qa, ["config", "--json"]))["top_k"] == (7, "env QA_TOP_K")
    rows = config_rows(runner.invoke(qa, ["config", "--json", "-k", "9", "--index-dir", str(user / "ix")]))
    assert rows["top_k"] == (9, "flag --top-k")
    assert rows["index_dir"] == (str(user / "ix"), "flag --index-dir")
    text = runner.invoke(qa, ["config"]).stdout.splitlines()
    assert text[0] == f"corpus       {b}  [config file]"
    assert text[3] == "top_k        7  [env QA_TOP_K]"
    # `ask` from a folder outside the project uses the config file's corpus and top_k
    result = runner.invoke(ask, ["--json", "How many researchers did the Beta farm open with?"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert "17" in data["answer"] and len(data["citations"]) <= 7


def test_without_a_corpus_anywhere_the_error_says_how_to_set_one(user, runner, monkeypatch):
    monkeypatch.setattr(locations, "bundled_corpus", lambda: None)
    result = runner.invoke(ask, ["How many researchers?"])
    assert result.exit_code == 1
    assert result.stderr.strip() == (
        f"Error: no corpus: pass --corpus DIR, set QA_CORPUS_DIR, or put `corpus = \"DIR\"` in "
        f"{locations.config_file()} (`qa config` shows every setting)")
    rows = config_rows(runner.invoke(qa, ["config", "--json"]))
    assert rows["corpus"] == (None, "none")


def test_qa_indexes_lists_and_prunes(user, runner, monkeypatch):
    monkeypatch.setattr(locations, "bundled_corpus", lambda: None)  # leave the project's own index out
    a, b = corpus(user, "alpha", ALPHA), corpus(user, "beta", BETA)
    for folder in (a, b):
        assert runner.invoke(qa, ["index", "-q", "--corpus", str(folder)]).exit_code == 0
    listed = [json.loads(line) for line in runner.invoke(qa, ["indexes", "--json"]).stdout.splitlines()]
    assert [(r["corpus"], r["corpus_exists"], r["documents"], r["paragraphs"], r["sections"]) for r in listed] == [
        (str(a), True, 1, 1, 1), (str(b), True, 1, 1, 1)]
    assert all(r["bytes"] > 0 and r["built"] for r in listed)
    (b / "beta.txt").unlink()
    b.rmdir()
    table = runner.invoke(qa, ["indexes"]).stdout.splitlines()
    assert table[0].split() == ["corpus", "documents", "paragraphs", "size", "age", "index"]
    assert table[2].startswith(f"{b} (gone)") and table[2].endswith(str(locations.index_for(b)))
    pruned = runner.invoke(qa, ["indexes", "--prune"])
    assert pruned.exit_code == 0, pruned.output
    assert pruned.stdout == f"removed {locations.index_for(b)} (its corpus {b} is gone)\n"
    assert not locations.index_for(b).exists() and locations.index_for(a).is_dir()
    assert runner.invoke(qa, ["indexes", "--prune"]).stdout == "nothing to prune: every index's corpus is there\n"


@pytest.mark.parametrize("files", [{}, {"image.txt": b"\x00\x01\x02 binary"}, {"empty.md": b""}],
                         ids=["no-files", "binary-only", "empty-only"])
def test_a_failed_first_build_removes_the_folder_it_created(user, runner, files):
    folder = user / "bad"
    folder.mkdir()
    for name, data in files.items():
        (folder / name).write_bytes(data)
    index_dir = locations.index_for(folder)
    for result in (runner.invoke(qa, ["index", "--corpus", str(folder)]),
                   runner.invoke(ask, ["--corpus", str(folder), "anything?"])):
        assert result.exit_code == 1, result.output
        assert "Error: no" in result.stderr
        assert not index_dir.exists(), sorted(p.name for p in index_dir.iterdir())
    explicit = user / "explicit" / "index"
    assert runner.invoke(qa, ["index", "--corpus", str(folder), "--index-dir", str(explicit)]).exit_code == 1
    assert not explicit.exists()
