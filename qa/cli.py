"""Command line: `ask` answers questions, `qa` does the rest (index, show, sources, eval).

A thin layer: parse options, call the library, print. Domain errors become one-line messages
with exit code 1; bad arguments exit 2; nothing prints a traceback unless QA_DEBUG is set.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable
from functools import wraps
from pathlib import Path

import click

from qa import config
from qa.errors import QAError
from qa.progress import Progress


def friendly(func: Callable) -> Callable:
    """Turn library errors into one-line messages; keep tracebacks for QA_DEBUG=1."""

    @wraps(func)
    def wrapper(*args, **kwargs):
        try:
            return func(*args, **kwargs)
        except QAError as err:
            raise click.ClickException(str(err)) from None
        except (click.ClickException, click.exceptions.Exit, click.Abort):
            raise
        except KeyboardInterrupt:
            click.echo("interrupted", err=True)
            sys.exit(130)
        except BrokenPipeError:
            sys.exit(0)
        except Exception as err:  # the last line of defence: a message, not a traceback
            if os.environ.get("QA_DEBUG"):
                raise
            raise click.ClickException(f"internal error: {type(err).__name__}: {err} (set QA_DEBUG=1 for details)") from None

    return wrapper


def location_options(func: Callable) -> Callable:
    """--corpus, --index-dir and --chroma-url, each also settable by its env var."""
    func = click.option("--chroma-url", envvar=config.ENV_CHROMA_URL, default=None,
                        help="Use a Chroma server (http://HOST:PORT) instead of the local store. [env: QA_CHROMA_URL]")(func)
    func = click.option("--index-dir", envvar=config.ENV_INDEX_DIR, type=click.Path(file_okay=False, path_type=Path),
                        default=None, help="Index folder. [env: QA_INDEX_DIR; default: ./index of the project]")(func)
    func = click.option("--corpus", "corpus_dir", envvar=config.ENV_CORPUS_DIR, type=click.Path(path_type=Path),
                        default=None, help="Corpus folder. [env: QA_CORPUS_DIR; default: ./corpus of the project]")(func)
    return func


def resolve_dirs(corpus_dir: Path | None, index_dir: Path | None) -> tuple[Path, Path]:
    corpus_dir = corpus_dir or config.default_corpus_dir()
    index_dir = index_dir or config.default_index_dir()
    if corpus_dir is None or index_dir is None:
        raise click.ClickException(
            "no corpus here: run inside the qa project folder, or set QA_CORPUS_DIR and QA_INDEX_DIR "
            "(or pass --corpus and --index-dir)"
        )
    return corpus_dir, index_dir


def check_top_k(_ctx, _param, value: int) -> int:
    if value < 1:
        raise click.BadParameter("must be at least 1")
    if value > 100:
        raise click.BadParameter("must be at most 100")
    return value


def check_question(question: str) -> str:
    cleaned = "".join(c if c.isprintable() or c in "\t" else " " for c in question).strip()
    if not cleaned:
        raise click.BadParameter("the question is empty", param_hint="QUESTION")
    if len(cleaned) > config.MAX_QUESTION_CHARS:
        raise click.BadParameter(
            f"the question is {len(cleaned)} characters; the limit is {config.MAX_QUESTION_CHARS}", param_hint="QUESTION"
        )
    return cleaned


@click.command(context_settings={"help_option_names": ["-h", "--help"]})
@click.argument("question", required=True)
@click.option("json_", "--json", is_flag=True, help="Print one JSON object (per question with `-`).")
@click.option("-k", "--top-k", default=config.DEFAULT_TOP_K, envvar=config.ENV_TOP_K, show_default=True,
              callback=check_top_k, type=int, help="How many paragraphs to retrieve.")
@click.option("--context", is_flag=True, help="Also print the text of each cited paragraph.")
@click.option("--doc", default=None, help="Only search this document (id or file name).")
@click.option("--section", default=None, help='Only search under this section path prefix, e.g. "Section 3".')
@click.option("-q", "--quiet", is_flag=True, help="No progress messages.")
@location_options
@friendly
def ask(question, json_, top_k, context, doc, section, quiet, corpus_dir, index_dir, chroma_url):
    """Answer QUESTION from the documents, with paragraph citations.

    Use `-` as QUESTION to read one question per line from stdin (batch mode; with --json
    prints one JSON object per line, in order).
    """
    config.go_offline()
    from qa.pipeline import open_pipeline

    corpus_dir, index_dir = resolve_dirs(corpus_dir, index_dir)
    if question != "-":
        question = check_question(question)
    answerer = open_pipeline(corpus_dir, index_dir, chroma_url=chroma_url, progress=Progress(quiet or json_))
    if question == "-":
        for line in sys.stdin:
            if not line.strip():
                continue
            try:
                text = check_question(line)
            except click.BadParameter as err:
                click.echo(f"skipping a line: {err.message}", err=True)
                continue
            emit(answerer.ask(text, top_k, doc=doc, section=section), json_, context)
        return
    emit(answerer.ask(question, top_k, doc=doc, section=section), json_, context)


def emit(answer, json_: bool, context: bool) -> None:
    from qa.render import render_plain

    if json_:
        click.echo(json.dumps(answer.to_json(), ensure_ascii=False))
    else:
        click.echo(render_plain(answer, context))


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="qa")
def qa() -> None:
    """qa: offline question answering over policy documents, with paragraph citations."""


@qa.command("index")
@click.option("--rebuild", is_flag=True, help="Rebuild from scratch (after upgrades or a corrupt index).")
@click.option("--no-wait", is_flag=True, help="Exit at once if another build holds the lock.")
@click.option("-q", "--quiet", is_flag=True, help="No progress output.")
@location_options
@friendly
def index_command(rebuild, no_wait, quiet, corpus_dir, index_dir, chroma_url):
    """Build or refresh the index from the corpus (only changed files are re-embedded)."""
    config.go_offline()
    from qa.index import build_index

    corpus_dir, index_dir = resolve_dirs(corpus_dir, index_dir)
    report = build_index(corpus_dir, index_dir, rebuild=rebuild, wait=not no_wait, progress=Progress(quiet), chroma_url=chroma_url)
    click.echo(report.summary())


@qa.command("show")
@click.argument("ref")
@click.option("--around", default=0, type=click.IntRange(0, 50), help="Also show N paragraphs before and after.")
@click.option("json_", "--json", is_flag=True, help="Print JSON.")
@location_options
@friendly
def show(ref, around, json_, corpus_dir, index_dir, chroma_url):
    """Print the paragraph REF (full `doc:s1.1.1.b.p1` or just `s1.1.1.b.p1`) with its section path."""
    from qa.store import Snapshot

    _, index_dir = resolve_dirs(corpus_dir, index_dir)
    snapshot = Snapshot.open(index_dir)
    found = snapshot.find(ref)
    if not found:
        raise click.ClickException(f"no paragraph with ref '{ref}' (refs look like s1.1.1.b.p1; see `qa sources`)")
    if len(found) > 1:
        raise click.ClickException(f"'{ref}' matches {len(found)} paragraphs; add the document: " + ", ".join(p.ref for p in found[:5]))
    target = found[0]
    position = snapshot.paragraphs.index(target)
    shown = [p for p in snapshot.paragraphs[max(0, position - around) : position + around + 1] if p.doc == target.doc]
    if json_:
        for p in shown:
            click.echo(json.dumps(p.to_dict(), ensure_ascii=False))
        return
    for p in shown:
        marker = "»" if p is target else " "
        click.echo(f"{marker} {p.display}   [{p.ref}] ({p.kind})")
        click.echo(f"  {p.section_path}" if p.section else f"  {p.doc}")
        click.echo("")
        click.echo(_indent(p.text))
        click.echo("")


def _indent(text: str, width: int = 100) -> str:
    import textwrap

    return "\n".join(textwrap.wrap(text, width=width, initial_indent="  ", subsequent_indent="  "))


@qa.command("sources")
@click.option("json_", "--json", is_flag=True, help="Print JSON.")
@location_options
@friendly
def sources(json_, corpus_dir, index_dir, chroma_url):
    """List indexed documents, their section tree and paragraph counts."""
    from qa.store import Snapshot

    _, index_dir = resolve_dirs(corpus_dir, index_dir)
    snapshot = Snapshot.open(index_dir)
    docs: dict[str, list] = {}
    for p in snapshot.paragraphs:
        docs.setdefault(p.doc, []).append(p)
    files = {v["doc"]: name for name, v in snapshot.manifest.get("files", {}).items()}
    if json_:
        for doc, paragraphs in docs.items():
            tree = [{"ref": p.ref, "section": p.section_path, "paragraphs": _count_under(paragraphs, p)} for p in paragraphs if p.kind == "heading"]
            click.echo(json.dumps({"doc": doc, "file": files.get(doc), "paragraphs": sum(p.kind != "heading" for p in paragraphs), "sections": tree}, ensure_ascii=False))
        return
    for doc, paragraphs in docs.items():
        click.echo(f"{doc}  ({files.get(doc, '?')}, {sum(p.kind != 'heading' for p in paragraphs)} paragraphs)")
        for p in paragraphs:
            if p.kind == "heading":
                depth = len(p.section) - 1
                code = p.ref.split(":", 1)[1][:-2]
                click.echo(f"  {'  ' * depth}{p.section[-1]}  [{code}] {_count_under(paragraphs, p)} ¶")


def _count_under(paragraphs: list, heading) -> int:
    return sum(1 for p in paragraphs if p.kind != "heading" and p.section[: len(heading.section)] == heading.section)


@qa.command("eval")
@click.argument("golden", required=False, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--split", type=click.Choice(["dev", "test", "all"]), default="all", show_default=True)
@click.option("json_", "--json", is_flag=True, help="Print the numbers as one JSON object.")
@click.option("--thresholds", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Fail (exit 1) when the split misses a threshold in this TOML file.")
@click.option("-k", "--top-k", default=config.DEFAULT_TOP_K, show_default=True, callback=check_top_k, type=int)
@click.option("-q", "--quiet", is_flag=True, help="No progress output.")
@location_options
@friendly
def eval_command(golden, split, json_, thresholds, top_k, quiet, corpus_dir, index_dir, chroma_url):
    """Measure the pipeline on a golden set (default evals/golden.jsonl)."""
    config.go_offline()
    from qa import evals
    from qa.pipeline import open_pipeline

    corpus_dir, index_dir = resolve_dirs(corpus_dir, index_dir)
    if golden is None:
        root = config.project_root()
        if root is None:
            raise click.ClickException("no golden set given and not inside the qa project")
        golden = root / "evals" / "golden.jsonl"
    items = evals.select(evals.load_golden(golden), split)
    if not items:
        raise click.ClickException(f"no questions in split '{split}' of {golden}")
    progress = Progress(quiet or json_)
    answerer = open_pipeline(corpus_dir, index_dir, chroma_url=chroma_url, progress=progress)
    rep = evals.report(evals.run(answerer, items, top_k, progress), split)
    misses = evals.check(rep.overall, evals.load_thresholds(thresholds, split)) if thresholds else []
    if json_:
        data = rep.to_json()
        data["threshold_misses"] = misses
        click.echo(json.dumps(data, ensure_ascii=False))
    else:
        click.echo(evals.format_table(rep))
        if thresholds:
            click.echo("")
            click.echo("thresholds: " + ("all met" if not misses else "MISSED\n  " + "\n  ".join(misses)))
    if misses:
        sys.exit(1)


def main_ask() -> None:
    ask(prog_name="ask")


def main_qa() -> None:
    qa(prog_name="qa")
