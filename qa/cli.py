"""Command line: `ask` answers questions, `qa` does the rest (index, show, sources, eval).

A thin layer: parse options, call the library, print. Domain errors become one-line messages
with exit code 1; bad arguments exit 2; nothing prints a traceback unless QA_DEBUG is set.
"""

from __future__ import annotations

import json
import os
import stat
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
            detail = f"{type(err).__name__}: {err}"
            raise click.ClickException(f"internal error: {detail} (set QA_DEBUG=1 for details)") from None

    return wrapper


def location_options(func: Callable) -> Callable:
    """--corpus, --index-dir and --chroma-url, each also settable by its env var."""
    func = click.option(
        "--chroma-url", envvar=config.ENV_CHROMA_URL, default=None,
        help="Use a Chroma server (http://HOST:PORT) instead of the local store. [env: QA_CHROMA_URL]",
    )(func)
    func = click.option("--index-dir", envvar=config.ENV_INDEX_DIR, type=click.Path(file_okay=False, path_type=Path),
                        default=None, help="Index folder. [env: QA_INDEX_DIR; default: ./index of the project]")(func)
    func = click.option(
        "--corpus", "corpus_dir", envvar=config.ENV_CORPUS_DIR, type=click.Path(path_type=Path), default=None,
        help="Corpus folder. [env: QA_CORPUS_DIR; default: ./corpus of the project]",
    )(func)
    return func


def resolve_dirs(corpus_dir: Path | None, index_dir: Path | None, chroma_url: str | None = None) -> tuple[Path, Path]:
    corpus_dir = corpus_dir or config.default_corpus_dir()
    index_dir = index_dir or config.default_index_dir()
    if chroma_url and index_dir is None:  # server mode: an analyst needs only the URL
        from qa.chroma import cache_dir

        index_dir = cache_dir(chroma_url)
    if index_dir is None or (corpus_dir is None and not chroma_url):
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
        message = f"the question is {len(cleaned)} characters; the limit is {config.MAX_QUESTION_CHARS}"
        raise click.BadParameter(message, param_hint="QUESTION")
    return cleaned


@click.command(context_settings={"help_option_names": ["-h", "--help"]})
@click.argument("question", required=True)
@click.option("json_", "--json", is_flag=True, help="Print one JSON object (per question with `-`).")
@click.option("-k", "--top-k", default=config.DEFAULT_TOP_K, envvar=config.ENV_TOP_K, show_default=True,
              callback=check_top_k, type=int, help="How many paragraphs to retrieve.")
@click.option("--context", is_flag=True, help="Also print the text of each cited paragraph.")
@click.option("--doc", default=None, help="Only search this document (id or file name, see `qa sources`).")
@click.option("--section", default=None,
              help='Only search under this section path prefix, e.g. "Section 3" or "Section 1 > ❶".')
@click.option("--plain", is_flag=True, help="Plain text even on a terminal (the default when piped).")
@click.option("output_format", "--format", type=click.Choice(["text", "markdown", "json"]), default="text",
              show_default=True,
              help="markdown: the answer with footnote citations, ready to paste into a report; json: as --json.")
@click.option("--llm", "llm_model", default=None, metavar="MODEL",
              help="Write the answer with MODEL on an OpenAI-compatible server, checked against the cited paragraphs "
                   "(needs `pip install 'qa[llm]'`).")
@click.option("--llm-url", default=None, envvar="QA_LLM_URL", metavar="URL",
              help="The server for --llm. [env: QA_LLM_URL; default: http://localhost:11434/v1 (Ollama)]")
@click.option("--llm-timeout", default=120.0, type=click.FloatRange(1, 3600), show_default=True,
              help="Seconds to wait for the model's reply.")
@click.option("--all-versions", is_flag=True,
              help="Also answer from every other version of the document (by default answers come from the newest).")
@click.option("-q", "--quiet", is_flag=True, help="No progress messages.")
@location_options
@friendly
def ask(question, json_, top_k, context, doc, section, plain, output_format, llm_model, llm_url, llm_timeout,
        all_versions, quiet, corpus_dir, index_dir, chroma_url):
    """Answer QUESTION from the documents, with paragraph citations.

    Use `-` as QUESTION to read one question per line from stdin (batch mode; with --json
    prints one JSON object per line, in order). Output is plain text when piped (or with
    --plain), coloured on a terminal, Markdown with footnotes with --format markdown.
    """
    config.go_offline()
    json_ = json_ or output_format == "json"
    generator = open_llm(llm_model, llm_url, llm_timeout) if llm_model else None
    from qa.pipeline import open_pipeline

    corpus_dir, index_dir = resolve_dirs(corpus_dir, index_dir, chroma_url)
    if question != "-":
        question = check_question(question)
    progress = Progress(quiet or json_)
    answerer = open_pipeline(corpus_dir, index_dir, chroma_url=chroma_url, progress=progress)
    check_filters(answerer.retriever, doc, section)
    if generator is not None:
        generator.acronyms = answerer.acronyms
    if json_ or output_format == "markdown":
        style = "json" if json_ else "markdown"
    else:
        style = "plain" if plain or not sys.stdout.isatty() else "rich"
    questions = [question] if question != "-" else _stdin_questions()
    from qa.versions import Versions

    versions = Versions(answerer.retriever.snapshot.manifest)
    vectors = None
    if question == "-" and _stdin_is_file():
        # A file of questions is read whole and embedded in small batches (~2x faster than one by
        # one); a pipe is answered line by line, so a program feeding it gets each answer at once.
        questions = list(questions)
        vectors = answerer.retriever.embed(questions) if questions else None
    for n, text in enumerate(questions):
        vector = vectors[n] if vectors is not None else None
        answer = answerer.ask(text, top_k, doc=doc, section=section, vector=vector)
        note = origin = ""
        if generator is not None:
            progress.say(f"asking {generator.model} at {generator.url} …")
            outcome = generator.answer(answer, top_k)
            answer, note = outcome.answer, outcome.note
            if outcome.used:
                origin = f"written by {generator.model} from the cited paragraphs; refs, numbers and names checked"
            else:
                click.echo(f"note: {note}", err=True)
        compared = versions.compare(answerer, answer, top_k, section=section, vector=vector)
        if compared:
            origin = "; ".join(x for x in (origin, f"from {compared.note}") if x)
        if n and style in ("plain", "rich"):
            click.echo("")
        elif n and style == "markdown":
            click.echo("\n---\n")
        extra = {"versions": compared.to_json(all_versions)} if compared else None
        emit(answer, style, context, note=note, origin=origin, extra=extra)
        if all_versions and compared and style != "json":
            for other in compared.answers[1:]:
                click.echo("\n---\n" if style == "markdown" else "")
                click.echo(other.heading)
                emit(other.answer, style, context)


def _stdin_is_file() -> bool:
    try:
        return stat.S_ISREG(os.fstat(sys.stdin.fileno()).st_mode)
    except (OSError, ValueError, AttributeError):  # CliRunner's stdin has no file descriptor
        return False


def _stdin_questions():
    for line in sys.stdin:
        if not line.strip():
            continue
        try:
            yield check_question(line)
        except click.BadParameter as err:
            click.echo(f"skipping a line: {err.message}", err=True)


def open_llm(model: str, url: str | None, timeout: float):
    """The --llm generator, after checking the extra is installed and the server answers."""
    from qa import llm

    llm.require_extra()
    url = llm.normalize_url(url or llm.DEFAULT_URL)
    offered = llm.list_models(url)
    if offered and model not in offered and f"{model}:latest" not in offered:
        has = ", ".join(offered[:8])
        click.echo(f"note: {url} does not list model '{model}' (it has: {has}); trying anyway", err=True)
    return llm.Generator(model, url, timeout=timeout, api_key=os.environ.get(llm.ENV_LLM_API_KEY))


def check_filters(retriever, doc: str | None, section: str | None) -> None:
    """An unknown --doc or --section is a usage mistake: say so (exit 1) instead of abstaining."""
    if not doc and not section:
        return
    snapshot = retriever.snapshot
    if doc and not retriever.allowed(doc, None).any():
        files = {v.get("doc"): name for name, v in snapshot.manifest.get("files", {}).items()}
        ids = dict.fromkeys(p.doc for p in snapshot.paragraphs)
        known = ", ".join(f"{d} ({files[d]})" if d in files else d for d in ids)
        raise click.ClickException(f"no document '{doc}' in the index; documents: {known}")
    if section and not retriever.allowed(doc, section).any():
        tops = [p for p in snapshot.paragraphs if p.kind == "heading" and len(p.section) == 1
                and (not doc or retriever.allowed(doc, p.section[0]).any())]
        labels = (p.section_labels[0] for p in tops)
        listed = ", ".join(dict.fromkeys(x if len(x) <= 40 else x[:39] + "…" for x in labels)) or "none"
        scope = f" of '{doc}'" if doc else ""
        raise click.ClickException(
            f"no section{scope} matches '{section}' (a prefix of the section path, "
            f"e.g. \"Section 3\" or \"Section 3 > ❶\"); top-level sections: {listed} (see `qa sources`)"
        )


def emit(answer, style: str, context: bool, note: str = "", origin: str = "", extra: dict | None = None) -> None:
    """Print one answer as json, markdown, plain text or (on a terminal) with rich."""
    if style == "json":
        click.echo(json.dumps({**answer.to_json(), **(extra or {})}, ensure_ascii=False))
        return
    from qa import render

    if style == "markdown":
        click.echo(render.render_markdown(answer, note=note, origin=origin))
    elif style == "rich":
        from rich.console import Console

        render.render_rich(answer, Console(highlight=False, soft_wrap=False), context, note=note, origin=origin)
    else:
        click.echo(render.render_plain(answer, context, note=note, origin=origin))


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
    report = build_index(
        corpus_dir, index_dir, rebuild=rebuild, wait=not no_wait, progress=Progress(quiet), chroma_url=chroma_url
    )
    click.echo(report.summary())


@qa.command("show")
@click.argument("ref")
@click.option("--around", default=0, type=click.IntRange(0, 50), help="Also show N paragraphs before and after.")
@click.option("json_", "--json", is_flag=True, help="Print JSON (one object per paragraph).")
@location_options
@friendly
def show(ref, around, json_, corpus_dir, index_dir, chroma_url):
    """Print the paragraph REF (full `doc:s1.1.1.b.p1` or just `s1.1.1.b.p1`) with its section path."""
    from qa.render import short_ref, where
    from qa.store import Snapshot

    _, index_dir = resolve_dirs(corpus_dir, index_dir)
    snapshot = Snapshot.open(index_dir)
    found = snapshot.find(ref)
    if not found:
        raise click.ClickException(f"no paragraph with ref '{ref}' (refs look like s1.1.1.b.p1; see `qa sources`)")
    if len(found) > 1:
        matches = ", ".join(p.ref for p in found[:5])
        raise click.ClickException(f"'{ref}' matches {len(found)} paragraphs; add the document: {matches}")
    target = found[0]
    position = snapshot.position[target.ref]
    window = snapshot.paragraphs[max(0, position - around) : position + around + 1]
    shown = [p for p in window if p.doc == target.doc]
    if json_:
        for p in shown:
            click.echo(json.dumps(p.to_dict(), ensure_ascii=False))
        return
    click.echo(f"{target.doc}: {target.section_path or '(before the first heading)'}")
    width = max(len(short_ref(p.ref)) for p in shown)
    for p in shown:
        marker = "»" if p is target else " "
        head = f"{marker} {short_ref(p.ref):<{width}}  p. {p.page:<3}"
        click.echo("")
        if p.kind == "heading":
            click.echo(f"{head} [heading] {p.text}")
            continue
        kind = "" if p.kind == "body" else f" [{p.kind}]"
        click.echo(f"{head} {where(p)}{kind}")
        click.echo(_indent(p.text))


def _indent(text: str, width: int = 100) -> str:
    import textwrap

    return "\n".join(textwrap.wrap(text, width=width, initial_indent="    ", subsequent_indent="    "))


@qa.command("sources")
@click.option("--doc", default=None, help="Only this document (id or file name).")
@click.option("--depth", default=0, type=click.IntRange(0, 10), help="Show sections down to this level (0: all).")
@click.option("json_", "--json", is_flag=True, help="Print JSON (one object per document).")
@location_options
@friendly
def sources(doc, depth, json_, corpus_dir, index_dir, chroma_url):
    """List indexed documents, their section tree and paragraph counts (with the section refs)."""
    from qa.store import Snapshot

    _, index_dir = resolve_dirs(corpus_dir, index_dir)
    snapshot = Snapshot.open(index_dir)
    docs: dict[str, list] = {}
    for p in snapshot.paragraphs:
        docs.setdefault(p.doc, []).append(p)
    files = {v["doc"]: name for name, v in snapshot.manifest.get("files", {}).items()}
    if doc:
        wanted = doc.lower()
        docs = {d: ps for d, ps in docs.items()
                if wanted in (d.lower(), (files.get(d) or "").lower(), (files.get(d) or "").lower().rsplit(".", 1)[0])}
        if not docs:
            raise click.ClickException(f"no document '{doc}' in the index; documents: {', '.join(files.values())}")
    from qa.versions import Versions

    versions = Versions(snapshot.manifest)
    # Versions of one work are listed together, newest first, where the first of them stands.
    order = []
    for name in docs:
        work = versions.works.get(name)
        order += [e.doc for e in work if e.doc in docs and e.doc not in order] if work else [name]
    for n, name in enumerate(dict.fromkeys(order)):
        paragraphs = docs[name]
        headings = [p for p in paragraphs if p.kind == "heading" and (not depth or len(p.section) <= depth)]
        body = [p for p in paragraphs if p.kind != "heading"]
        pages = sorted({p.page for p in paragraphs})
        related = versions.describe(name)
        if json_:
            tree = [
                {"ref": p.ref, "code": _code(p), "level": len(p.section), "title": p.section[-1],
                 "section": p.section_path, "page": p.page, "paragraphs": _count_under(paragraphs, p)}
                for p in headings
            ]
            record = {"doc": name, "file": files.get(name), "pages": [pages[0], pages[-1]], "paragraphs": len(body),
                      "sections": tree, **versions.record(name)}
            click.echo(json.dumps(record, ensure_ascii=False))
            continue
        if n:
            click.echo("")
        span = f"p. {pages[0]}" if len(pages) == 1 else f"pp. {pages[0]}–{pages[-1]}"
        sections = sum(p.kind == "heading" for p in paragraphs)
        counts = f"{_plural(len(body), 'paragraph')} in {_plural(sections, 'section')}"
        click.echo(f"{name}  ({files.get(name, '?')}; {span}; {counts})")
        if related:
            click.echo(f"  {related}")
        rows = [("¶", "page", "ref", "section")]
        intro = [p for p in body if not p.section]
        if intro:
            rows.append((str(len(intro)), str(intro[0].page), "intro", "(before the first heading)"))
        for p in headings:
            title = "  " * (len(p.section) - 1) + p.section[-1]
            rows.append((str(_count_under(paragraphs, p)), str(p.page), _code(p), title))
        widths = [max(len(r[i]) for r in rows) for i in range(3)]
        for count, page, code, title in rows:
            click.echo(f"  {count:>{widths[0]}}  {page:>{widths[1]}}  {code:<{widths[2]}}  {title}")


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def _code(heading) -> str:
    """The section code of a heading record: `doc:s1.1.h` → `s1.1`."""
    local = heading.ref.split(":", 1)[-1]
    return local[:-2] if local.endswith(".h") else local


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
