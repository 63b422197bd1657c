"""Command line: `ask` answers questions; `qa` does the rest (index, show, sources, eval, config, indexes).

A thin layer: parse options, call the library, print. Domain errors become one-line messages
with exit code 1; bad arguments exit 2; nothing prints a traceback unless QA_DEBUG is set.
Shared option plumbing (settings, env vars, the config file, locations) is in qa.clikit.
"""

from __future__ import annotations

import json
import os
import stat
import sys
from pathlib import Path

import click

from qa import batch, config, locations
from qa.clikit import (
    CONTEXT,
    ENV_EPILOG,
    SettingsCommand,
    Where,
    friendly,
    location_options,
    owns,
    remember,
    resolve,
    setting_option,
    source_of,
    verbosity_options,
    version_option,
)
from qa.progress import Progress

LLM_URL = "http://localhost:11434/v1"  # Ollama's; qa.llm.DEFAULT_URL (not imported: it is not light)
ORIGIN = "written by {model} from the cited paragraphs; refs, numbers and names checked"


def check_question(question: str) -> str:
    try:
        return batch.clean_question(question)
    except batch.BadQuestion as err:
        raise click.BadParameter(str(err), param_hint="QUESTION") from None


@click.command(cls=SettingsCommand, context_settings=CONTEXT,
               short_help="Answer a question, citing the paragraphs it came from.")
@click.argument("question")
@click.option("json_", "--json", is_flag=True, help="Print JSON: one object, or one per input line with `-`.")
@click.option("--jsonl", is_flag=True,
              help='With `-`: read {"id": …, "question": …} lines; each result starts with its id.')
@setting_option("-k", "--top-k", setting="top_k", default=config.DEFAULT_TOP_K, show_default=True,
                type=click.IntRange(1, 100), help="How many paragraphs to retrieve and cite.")
@click.option("--context", is_flag=True, help="Also print the text of each cited paragraph.")
@click.option("--explain", is_flag=True,
              help="Also print the passages and sentences considered, their scores, and each rule's pass or veto.")
@click.option("--doc", default=None, metavar="NAME",
              help="Only search this document (id or file name, see `qa sources`).")
@click.option("--section", default=None, metavar="PATH",
              help='Only search under this section path prefix, e.g. "Section 3" or "Section 1 > ❶".')
@click.option("--plain", is_flag=True, help="Plain text even on a terminal (the default when piped).")
@click.option("output_format", "--format", type=click.Choice(["text", "markdown", "json"]), default="text",
              show_default=True, help="markdown: footnoted, ready to paste into a report; json: as --json.")
@click.option("--llm", "llm_model", default=None, metavar="MODEL",
              help="Have MODEL reword the answer from the cited paragraphs, checked (needs qa[llm]).")
@setting_option("--llm-url", setting="llm_url", default=LLM_URL, show_default=True, metavar="URL",
                help="The OpenAI-compatible server for --llm (its key, if any: QA_LLM_API_KEY).")
@click.option("--llm-timeout", default=120.0, type=click.FloatRange(1, 3600), show_default=True, metavar="SECONDS",
              help="How long to wait for the model's reply.")
@click.option("--all-versions", is_flag=True,
              help="Also answer from every other version of the document (by default answers come from the newest).")
@verbosity_options
@location_options
@version_option
@friendly
def ask(question, json_, jsonl, top_k, context, explain, doc, section, plain, output_format, llm_model, llm_url,
        llm_timeout, all_versions, quiet, verbose, corpus_dir, index_dir, chroma_url):
    """Answer QUESTION from the documents, with the paragraphs it came from.

    QUESTION is the question, or `-` to read one question per line from stdin: with --json every
    line gets one JSON object, in order, each printed as soon as it is ready (an unusable line
    gets {"question": …, "error": …}). Output is plain text when piped (or with --plain),
    coloured on a terminal, Markdown with footnotes with --format markdown.
    """
    config.go_offline()
    if jsonl and question != "-":
        raise click.BadParameter("--jsonl reads stdin: pass `-` as QUESTION", param_hint="QUESTION")
    json_ = json_ or jsonl or output_format == "json"
    if explain and (json_ or output_format == "markdown"):
        raise click.UsageError("--explain prints plain text: drop --json, --jsonl and --format")
    if question != "-":
        question = check_question(question)
    generator = open_llm(llm_model, llm_url, llm_timeout) if llm_model else None
    where = resolve(corpus_dir, index_dir, chroma_url, server_reader=True)
    progress = Progress(quiet, verbose, messages=not json_)
    answerer = open_answerer(where, chroma_url, progress)
    check_filters(answerer.retriever, doc, section)
    if generator is not None:
        generator.acronyms = answerer.acronyms
    if json_ or output_format == "markdown":
        style = "json" if json_ else "markdown"
    else:
        style = "plain" if plain or explain or not sys.stdout.isatty() else "rich"
    from qa.versions import Versions

    versions = Versions(answerer.retriever.snapshot.manifest)

    def finish(answer):
        """The answer as shown: reworded by --llm when that passes its checks; its note, origin and
        the other versions of its document (qa.versions)."""
        note = origin = ""
        if generator is not None:
            progress.say(f"asking {generator.model} at {generator.url} …")
            outcome = generator.answer(answer, top_k)
            answer, note = outcome.answer, outcome.note
            if outcome.used:
                origin = ORIGIN.format(model=generator.model)
            else:
                progress.note(outcome.note)
        compared = versions.compare(answerer, answer, top_k, section=section)
        if compared:
            origin = "; ".join(x for x in (origin, f"from {compared.note}") if x)
        return answer, note, origin, compared

    def show(extractive, item=None) -> None:
        answer, note, origin, compared = finish(extractive)
        extra = {"versions": compared.to_json(all_versions)} if compared else None
        emit(answer, style, context, note=note, origin=origin, answerer=answerer, extra=extra, item=item)
        if all_versions and compared and style != "json":
            for other in compared.answers[1:]:
                click.echo("\n---\n" if style == "markdown" else "")
                click.echo(other.heading)
                emit(other.answer, style, context, answerer=answerer)
        if extractive.trace is not None and style != "json":
            emit_explanation(extractive)

    if question != "-":
        show(answerer.ask(question, top_k, doc=doc, section=section, explain=explain))
        return

    def ask_one(text, vector):
        return answerer.ask(text, top_k, doc=doc, section=section, vector=vector, explain=explain)

    answer_lines(answerer, ask_one, show, style, jsonl)


def answer_lines(answerer, ask_one, show, style: str, jsonl: bool) -> None:
    """Batch mode: every stdin line answered in order, each printed (and flushed) when ready."""
    items = batch.read_items(_stdin(), jsonl)
    size = batch.FILE_BATCH if _stdin_is_file() else 1
    shown = 0
    for item, answer in batch.answers(items, answerer.embed, ask_one, size):
        if answer is None:
            if style == "json":
                click.echo(json.dumps(item.error_json(), ensure_ascii=False))
            elif item.raw.strip():  # a blank line between questions is no mistake in a text file
                click.echo(f"error: line {item.line}: {item.error}; skipped", err=True)
            continue
        if shown and style != "json":
            click.echo("\n---\n" if style == "markdown" else "")
        show(answer, item=item)
        shown += 1


def open_answerer(where: Where, chroma_url: str | None, progress: Progress):
    """The pipeline over `where`'s index, built first if needed (never from another corpus's index)."""
    from qa.pipeline import open_pipeline

    if not chroma_url:
        owns(where)
    for line in where.lines():
        progress.detail(line)
    answerer = open_pipeline(where.corpus, where.index_dir, chroma_url=chroma_url, progress=progress,
                             warn=progress.warn)
    if not chroma_url:
        remember(where)
    tell_files(progress, answerer.retriever.snapshot)
    return answerer


def tell_files(progress: Progress, snapshot, report=None) -> None:
    """--verbose: what the last build did to each file."""
    if not progress.verbose:
        return
    report = report or (progress.reports[-1] if progress.reports else None)
    if report is None:
        progress.detail("index is up to date: no file parsed")
        return
    from qa.buildlog import file_lines

    for line in file_lines(report, snapshot, progress.warnings):
        progress.detail(line)


def _stdin_is_file() -> bool:
    try:
        return stat.S_ISREG(os.fstat(sys.stdin.fileno()).st_mode)
    except (OSError, ValueError, AttributeError):  # CliRunner's stdin has no file descriptor
        return False


def _stdin():
    try:
        sys.stdin.reconfigure(errors="replace")  # a stray byte spoils one line, not the batch
    except (AttributeError, ValueError):
        pass
    return sys.stdin


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


def emit(answer, style: str, context: bool, note: str = "", origin: str = "", answerer=None,
         extra: dict | None = None, item=None) -> None:
    """Print one answer as json, markdown, plain text or (on a terminal) with rich; `item`: the batch
    line it answers (its id goes into the JSON)."""
    if style == "json":
        data = {**answer.to_json(), **(extra or {})}
        click.echo(json.dumps(item.with_id(data) if item is not None else data, ensure_ascii=False))
        return
    from qa import render

    if style == "markdown":
        related, titles = markdown_sources(answerer, answer) if answerer is not None else (set(), {})
        click.echo(render.render_markdown(answer, note=note, origin=origin, related=related, titles=titles))
    elif style == "rich":
        from rich.console import Console

        render.render_rich(answer, Console(highlight=False, soft_wrap=False), context, note=note, origin=origin)
    else:
        click.echo(render.render_plain(answer, context, note=note, origin=origin))


def emit_explanation(answer) -> None:
    """`--explain`: the extractive step's passages, sentences and rule verdicts, after the answer."""
    from qa.explain import render_explain

    click.echo("")
    click.echo(render_explain(answer))


def markdown_sources(answerer, answer) -> tuple[set[str], dict[str, str]]:
    """The refs worth a "See also" (they pass the cut the answer's own paragraph passed) and document titles."""
    snapshot = answerer.retriever.snapshot
    titles = {entry.get("doc"): name for name, entry in snapshot.manifest.get("files", {}).items()}
    related: set[str] = set()
    if not answer.abstained:
        for c in answer.citations[1:]:
            paragraph = snapshot.by_ref.get(c.ref)
            if paragraph is not None and answerer.relevant(answer.question, paragraph):
                related.add(c.ref)
    return related, titles


@click.group(context_settings=CONTEXT, epilog=ENV_EPILOG)
@version_option
def qa() -> None:
    """qa: offline question answering over policy documents, with paragraph citations.

    `qa ask` is the `ask` command. Settings come from flags, env vars, the config file or
    defaults, in that order (`qa config` shows which).
    """


qa.add_command(ask)


@qa.command("index", cls=SettingsCommand, short_help="Build or refresh the index of the corpus.")
@click.option("--rebuild", is_flag=True, help="Rebuild from scratch (after upgrades or a damaged index).")
@click.option("--no-wait", is_flag=True, help="Exit at once if another build holds the lock.")
@verbosity_options
@location_options
@friendly
def index_command(rebuild, no_wait, quiet, verbose, corpus_dir, index_dir, chroma_url):
    """Build or refresh the index from the corpus: only new or changed files are parsed and embedded.

    Prints what changed (files added, changed, removed, unchanged and skipped) and what the index
    holds (documents, paragraphs, sections, chunks; see the README for the words).
    """
    config.go_offline()
    from qa.index import build_index

    where = resolve(corpus_dir, index_dir)
    owns(where)
    progress = Progress(quiet, verbose)
    for line in where.lines():
        progress.detail(line)
    report = build_index(where.corpus, where.index_dir, rebuild=rebuild, wait=not no_wait, progress=progress,
                         warn=progress.warn, chroma_url=chroma_url)
    remember(where)
    click.echo(report.summary())
    if progress.verbose:
        from qa.store import Snapshot

        tell_files(progress, Snapshot.open(where.index_dir), report)


def _snapshot(corpus_dir, index_dir, chroma_url):
    """The index a read-only command reads (a server's, downloaded, with --chroma-url)."""
    from qa.store import Snapshot

    where = resolve(corpus_dir, index_dir, chroma_url, server_reader=True, need_corpus=False)
    if chroma_url:
        from qa.index import pull_snapshot

        config.go_offline()
        pull_snapshot(chroma_url, where.index_dir, Progress(quiet=True))
    return Snapshot.open(where.index_dir)


@qa.command("show", cls=SettingsCommand, short_help="Print a paragraph by its ref, with its neighbours.")
@click.argument("ref")
@click.option("--around", default=0, show_default=True, type=click.IntRange(0, 50), metavar="N",
              help="Also show N records before and after.")
@click.option("json_", "--json", is_flag=True, help="Print JSON (one object per record).")
@location_options
@friendly
def show(ref, around, json_, corpus_dir, index_dir, chroma_url):
    """Print the paragraph REF (`doc:s1.1.1.b.p1` or `s1.1.1.b.p1`, any case), or a whole section (`s2`)."""
    from qa.render import short_ref, where

    snapshot = _snapshot(corpus_dir, index_dir, chroma_url)
    found = snapshot.find(ref)
    if not found and (section := snapshot.section(ref)):
        docs = sorted({p.doc for p in section})
        if len(docs) > 1:
            raise click.ClickException(f"section '{ref}' is in {len(docs)} documents; add one: {docs[0]}:{ref}")
        if json_:
            for p in section:
                click.echo(json.dumps(p.to_dict(), ensure_ascii=False))
            return
        for p in section:
            if p.kind == "heading":
                click.echo(f"\n{p.doc}: {' › '.join(p.section)}  (p. {p.page})")
                continue
            click.echo(f"  {short_ref(p.ref)}  p. {p.page}")
            click.echo(_indent(p.text))
        return
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


@qa.command("sources", cls=SettingsCommand, short_help="List the documents, their sections and counts.")
@click.option("--doc", default=None, metavar="NAME", help="Only this document (id or file name).")
@click.option("--depth", default=0, show_default=True, type=click.IntRange(0, 10), metavar="N",
              help="Show sections down to level N (0: all).")
@click.option("json_", "--json", is_flag=True, help="Print JSON (one object per document).")
@location_options
@friendly
def sources(doc, depth, json_, corpus_dir, index_dir, chroma_url):
    """List the indexed documents with their section tree, paragraph counts and section refs."""
    from qa import counts

    snapshot = _snapshot(corpus_dir, index_dir, chroma_url)
    docs: dict[str, list] = {}
    for p in snapshot.paragraphs:
        docs.setdefault(p.doc, []).append(p)
    files = {v["doc"]: name for name, v in snapshot.manifest.get("files", {}).items()}
    if doc:
        wanted = doc.lower()
        docs = {d: ps for d, ps in docs.items() if wanted in snapshot.doc_names(d)}
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
        size = counts.of_records(paragraphs)
        related = versions.describe(name)
        if json_:
            tree = [
                {"ref": p.ref, "code": _code(p), "level": len(p.section), "title": p.section[-1],
                 "section": p.section_path, "page": p.page, "paragraphs": _count_under(paragraphs, p)}
                for p in headings
            ]
            record = {"doc": name, "file": files.get(name), "pages": [pages[0], pages[-1]],
                      "paragraphs": size.paragraphs, "sections": tree, **versions.record(name)}
            click.echo(json.dumps(record, ensure_ascii=False))
            continue
        if n:
            click.echo("")
        span = f"p. {pages[0]}" if len(pages) == 1 else f"pp. {pages[0]}–{pages[-1]}"
        click.echo(f"{name}  ({files.get(name, '?')}; {span}; {counts.in_sections(size)})")
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


def _code(heading) -> str:
    """The section code of a heading record: `doc:s1.1.h` → `s1.1`."""
    local = heading.ref.split(":", 1)[-1]
    return local[:-2] if local.endswith(".h") else local


def _count_under(paragraphs: list, heading) -> int:
    return sum(1 for p in paragraphs if p.kind != "heading" and p.section[: len(heading.section)] == heading.section)


@qa.command("eval", cls=SettingsCommand, short_help="Measure answers on a golden set of questions.")
@click.argument("golden", required=False, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--split", type=click.Choice(["dev", "test", "all"]), default="all", show_default=True,
              help="Which questions of the set: dev (tuned on), test (reported only), or all.")
@click.option("json_", "--json", is_flag=True, help="Print the numbers as one JSON object.")
@click.option("--thresholds", type=click.Path(dir_okay=False, path_type=Path), default=None, metavar="TOML",
              help="Fail (exit 1) when the split misses a threshold in this TOML file.")
@click.option("-k", "--top-k", default=config.DEFAULT_TOP_K, show_default=True, type=click.IntRange(1, 100),
              help="How many paragraphs to retrieve (QA_TOP_K is not read, so runs compare).")
@click.option("--table", default=None, metavar="NAME",
              help="Which table of the thresholds file to check (default: the split's name).")
@click.option("--save", type=click.Path(dir_okay=False, path_type=Path), default=None, metavar="JSONL",
              help="Write each item's answer, verdict and first citation to this file (for --diff).")
@click.option("--diff", "diff_path", type=click.Path(dir_okay=False, path_type=Path), default=None,
              metavar="JSONL", help="List the items whose answer, verdict or first citation changed since this run.")
@click.option("--invariance", is_flag=True,
              help="Also ask each question three more ways; report how often verdict and citation agree.")
@click.option("--summary", is_flag=True,
              help="Print the numbers only, no question: how a held-out split is read (`--split test` in CI).")
@verbosity_options
@location_options
@friendly
def eval_command(golden, split, json_, thresholds, top_k, table, save, diff_path, invariance, summary, quiet, verbose,
                 corpus_dir, index_dir, chroma_url):
    """Measure the pipeline on the golden set GOLDEN (default: the project's evals/golden.jsonl).

    Prints recall, answer accuracy, citation precision and abstention per question kind, then
    the failing questions; the first line says what the index holds.
    """
    config.go_offline()
    from qa import counts, evals

    if golden is None:
        root = locations.project_dir()
        if root is None:
            raise click.ClickException("no golden set given and not inside the qa project")
        golden = root / "evals" / "golden.jsonl"
    items = evals.select(evals.load_golden(golden), split)
    if not items:
        raise click.ClickException(f"no questions in split '{split}' of {golden}")
    where = resolve(corpus_dir, index_dir, chroma_url, server_reader=True)
    progress = Progress(quiet, verbose, messages=not json_)
    answerer = open_answerer(where, chroma_url, progress)
    held = counts.of_snapshot(answerer.retriever.snapshot)
    outcomes = evals.run(answerer, items, top_k, progress)
    rep = evals.report(outcomes, split)
    rows = evals.outcome_rows(outcomes)
    if save:
        save.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    changed = evals.diff(evals.load_rows(diff_path), rows) if diff_path else []
    variance_misses: list[dict] = []
    if invariance:
        from qa import invariance as phrasing

        summary, variance_misses = phrasing.measure(answerer, [i["question"] for i in items], top_k)
        rep.overall.update(summary)
    misses = evals.check(rep.overall, evals.load_thresholds(thresholds, table or split)) if thresholds else []
    if json_:
        data = rep.to_json()
        data["index"] = held.to_json()
        data["threshold_misses"] = misses
        if diff_path:
            data["changed"] = changed
        if invariance:
            data["invariance_misses"] = variance_misses
        click.echo(json.dumps(data, ensure_ascii=False))
    else:
        click.echo(f"index: {held}")
        click.echo(evals.format_table(rep, failures=not summary))
        if invariance:
            click.echo("")
            share, pairs = rep.overall["phrasing_invariance"], rep.overall["pairs"]
            click.echo(f"phrasing invariance: {share} over {pairs} variants")
            for m in [] if summary else variance_misses:
                click.echo(f"  [{m['variant']}] {m['asked']}: {m['before']} → {m['after']}")
        if diff_path:
            click.echo("")
            click.echo(f"changed since {diff_path.name}: {len(changed)} item(s)")
            for c in changed:
                before, after = c["before"], c["after"]
                click.echo(f"  {c['id']} {c['question']}")
                click.echo(f"      {', '.join(c['changed'])}: {(before['answer'] or '(abstained)')[:70]!r} → "
                           f"{(after['answer'] or '(abstained)')[:70]!r}")
        if thresholds:
            click.echo("")
            click.echo("thresholds: " + ("all met" if not misses else "MISSED\n  " + "\n  ".join(misses)))
    if misses:
        sys.exit(1)


@qa.command("eval-structure", cls=SettingsCommand, short_help="Score recovered headings against ground truth.")
@click.option("--truth", "truth_dir", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Folder of ground-truth JSON files (default: evals/structure).")
@click.option("--library", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Folder holding the PDFs they name (default: ../shared/corpora/library/pdf).")
@click.option("--thresholds", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Fail (exit 1) when a [structure] threshold in this TOML file is missed.")
@click.option("--no-contents", is_flag=True, help="Also ignore contents pages: typography and numbering alone.")
@click.option("json_", "--json", is_flag=True, help="Print the numbers as one JSON object.")
@friendly
def eval_structure_command(truth_dir, library, thresholds, no_contents, json_):
    """Parse each ground-truth PDF with its outline ignored; report heading precision/recall, levels, sections."""
    from qa import evals, structure_eval

    root = config.project_root()
    if truth_dir is None or library is None:
        if root is None:
            raise click.ClickException("pass --truth and --library when not inside the qa project")
        truth_dir = truth_dir or root / "evals" / "structure"
        library = library or root.parent / "shared" / "corpora" / "library" / "pdf"
    if not library.is_dir():
        raise click.ClickException(f"library folder not found: {library}")
    result = structure_eval.run(truth_dir, library, use_contents=not no_contents)
    misses = evals.check(result["overall"], evals.load_thresholds(thresholds, "structure")) if thresholds else []
    if json_:
        click.echo(json.dumps({**result, "threshold_misses": misses}, ensure_ascii=False))
    else:
        click.echo(structure_eval.format_table(result))
        if thresholds:
            click.echo("thresholds: " + ("all met" if not misses else "MISSED\n  " + "\n  ".join(misses)))
    if misses:
        sys.exit(1)


@qa.command("config", cls=SettingsCommand, short_help="Show every setting and where its value comes from.")
@setting_option("-k", "--top-k", setting="top_k", default=config.DEFAULT_TOP_K, show_default=True,
                type=click.IntRange(1, 100), help="As for `ask`: how many paragraphs to retrieve.")
@setting_option("--llm-url", setting="llm_url", default=LLM_URL, show_default=True, metavar="URL",
                help="As for `ask --llm-url`.")
@click.option("json_", "--json", is_flag=True, help="Print JSON (one object per setting).")
@location_options
@friendly
def config_command(top_k, llm_url, json_, corpus_dir, index_dir, chroma_url):
    """Show each setting's value and where it comes from: flag, env var, config file or default.

    Give the same flags as another command to see what it would use. The config file (TOML,
    keys corpus, index_dir, chroma_url, top_k, llm_url) is ~/.config/qa/config.toml, or under
    $XDG_CONFIG_HOME.
    """
    from qa.llm import ENV_LLM_API_KEY

    try:
        where = resolve(corpus_dir, index_dir, need_corpus=False)
    except click.ClickException:  # no corpus anywhere: say so in the table
        where = None
    rows = [
        ("corpus", where.corpus if where else None, where.corpus_from if where else "none"),
        ("index_dir", where.index_dir if where else None, where.index_from if where else "none"),
        ("chroma_url", chroma_url, source_of("chroma_url")),
        ("top_k", top_k, source_of("top_k")),
        ("llm_url", llm_url, source_of("llm_url")),
        ("llm_api_key", "(set)" if os.environ.get(ENV_LLM_API_KEY) else None,
         f"env {ENV_LLM_API_KEY}" if os.environ.get(ENV_LLM_API_KEY) else "default"),
    ]
    path = locations.config_file()
    found = "found" if path.is_file() else "not found"
    files = [("config_file", path, found), ("indexes", locations.indexes_dir(), "data folder")]
    if json_:
        for key, value, origin in rows + files:
            value = str(value) if isinstance(value, Path) else value
            click.echo(json.dumps({"setting": key, "value": value, "from": origin}, ensure_ascii=False))
        return
    width = max(len(key) for key, _, _ in rows + files)
    for key, value, origin in rows + [("", "", "")] + files:
        if not key:
            click.echo("")
            continue
        shown = "(none)" if value is None else str(value)
        click.echo(f"{key:<{width}}  {shown}  [{origin}]")


@qa.command("indexes", cls=SettingsCommand, short_help="List every index; --prune those of gone corpora.")
@click.option("--prune", is_flag=True, help="Remove the indexes whose corpus folder no longer exists.")
@click.option("json_", "--json", is_flag=True, help="Print JSON (one object per index).")
@friendly
def indexes_command(prune, json_):
    """List every index in the data folder (and the bundled corpus's index/): its corpus, documents,
    paragraphs, size and age. With --prune, remove those whose corpus is gone."""
    from qa import catalog

    infos = catalog.list_indexes()
    if prune:
        removed, busy = catalog.prune(infos)
        for info in removed:
            click.echo(f"removed {info.path} (its corpus {info.corpus} is gone)")
        for info in busy:
            click.echo(f"left {info.path}: a build is using it", err=True)
        if not removed and not busy:
            click.echo("nothing to prune: every index's corpus is there")
        return
    if json_:
        for info in infos:
            click.echo(json.dumps(info.to_json(), ensure_ascii=False))
        return
    if not infos:
        click.echo(f"no indexes yet (they go in {locations.indexes_dir()})")
        return
    rows = [("corpus", "documents", "paragraphs", "size", "age", "index")]
    for info in infos:
        corpus = str(info.corpus) if info.corpus else "?"
        if info.corpus_gone:
            corpus += " (gone)"
        c = info.counts
        rows.append((corpus, str(c.documents) if c else "-", f"{c.paragraphs:,}" if c else "-",
                     catalog.human_size(info.bytes), catalog.human_age(info.built),
                     str(info.path) + (f" ({info.problem})" if info.problem else "")))
    widths = [max(len(r[i]) for r in rows) for i in range(5)]
    for r in rows:
        click.echo(f"{r[0]:<{widths[0]}}  {r[1]:>{widths[1]}}  {r[2]:>{widths[2]}}  {r[3]:>{widths[3]}}  "
                   f"{r[4]:>{widths[4]}}  {r[5]}")


def main_ask() -> None:
    ask(prog_name="ask")


def main_qa() -> None:
    qa(prog_name="qa")
