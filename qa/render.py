"""Human-readable output of an answer: the short answer first, the supporting sentence inside its
cited paragraph, then the citations with pages and refs aligned.

Three forms: `render_plain` (pipes, `--plain`; the quote is marked »like this«), `render_rich`
(a terminal; rich is imported only here, lazily) and `render_markdown` (`--format markdown`:
footnote citations ready to paste into a report).
"""

from __future__ import annotations

import re
import textwrap
from collections.abc import Collection, Mapping

from qa.answer import CANNOT_ANSWER
from qa.records import LEAD_SEPARATOR, Answer, Citation

WIDTH = 100
# A cited paragraph longer than this many words is shown as a window around the quote.
MAX_PARAGRAPH_WORDS = 120
QUOTE_OPEN, QUOTE_CLOSE = "»", "«"
_PAGE_SUFFIX = re.compile(r"\s*\(p\. \d+\)$")
Span = tuple[int, int]


def where(c: Citation) -> str:
    """`Section 1 › ❶ › … ¶1` (the display ref without its page, which gets its own column)."""
    return _PAGE_SUFFIX.sub("", c.display) or c.section or c.doc


def short_ref(ref: str) -> str:
    return ref.split(":", 1)[-1]


def headline(answer: Answer) -> str:
    return answer.answer if not answer.abstained and answer.answer else CANNOT_ANSWER


def locate(text: str, quote: str) -> Span | None:
    """Where `quote` sits in `text` (tolerating differences in white space), or None."""
    if not quote:
        return None
    start = text.find(quote)
    if start >= 0:
        return start, start + len(quote)
    words = quote.split()
    if not words:
        return None
    pattern = r"\s+".join(re.escape(w) for w in words)
    m = re.search(pattern, text)
    return (m.start(), m.end()) if m else None


def excerpt(text: str, span: Span | None, limit: int = MAX_PARAGRAPH_WORDS) -> tuple[str, Span | None]:
    """The paragraph, or a window of whole sentences around the quote when it is long."""
    if len(text.split()) <= limit:
        return text, span
    from qa.sentences import split_sentences

    sentences = split_sentences(text) or [text]
    starts, position = [], 0
    for s in sentences:
        position = text.find(s, position)
        starts.append(position)
        position += len(s)
    center = 0
    if span is not None:
        center = max(i for i, start in enumerate(starts) if start <= span[0])
    lo = hi = center
    count = len(sentences[center].split())
    while True:
        grew = False
        if hi + 1 < len(sentences) and count + len(sentences[hi + 1].split()) <= limit:
            hi += 1
            count += len(sentences[hi].split())
            grew = True
        if lo > 0 and count + len(sentences[lo - 1].split()) <= limit:
            lo -= 1
            count += len(sentences[lo].split())
            grew = True
        if not grew:
            break
    begin = starts[lo]
    end = starts[hi] + len(sentences[hi])
    piece = text[begin:end]
    prefix = "… " if lo > 0 else ""
    suffix = " …" if hi + 1 < len(sentences) else ""
    if span is not None:
        span = (span[0] - begin + len(prefix), min(span[1], end) - begin + len(prefix))
    return prefix + piece + suffix, span


def _wrap(text: str, indent: str = "  ", width: int = WIDTH) -> str:
    lines = textwrap.wrap(text, width=width, initial_indent=indent, subsequent_indent=indent, break_on_hyphens=False)
    return "\n".join(lines)


def _table_rows(citations: list[Citation]) -> tuple[list[tuple[str, str, str, str]], str | None]:
    """Rows (n, page, ref, where) and the one document they all come from (None when several)."""
    docs = {c.doc for c in citations}
    single = next(iter(docs)) if len(docs) == 1 else None
    rows = [
        (f"[{n}]", f"p. {c.page}", short_ref(c.ref) if single else c.ref, where(c)) for n, c in enumerate(citations, 1)
    ]
    return rows, single


def split_answer(text: str) -> tuple[str, str]:
    """`34 TLOs — As of January 1, 2021, …` → (`34 TLOs`, ` — As of …`): the span and its context."""
    head, sep, rest = text.partition(LEAD_SEPARATOR)
    return (head, sep + rest) if sep and len(head.split()) <= 12 else (text, "")


def render_plain(answer: Answer, context: bool = False, note: str = "", origin: str = "") -> str:
    """Plain text: answer, the quoted sentence »marked« in its paragraph, then aligned citations."""
    lines = textwrap.wrap(headline(answer), width=WIDTH, break_on_hyphens=False) or [headline(answer)]
    if origin and not answer.abstained:
        lines.append(f"({origin})")
    if note:
        lines.append(f"note: {note}")
    lines.append("")
    first = answer.citations[0] if answer.citations else None
    if first is not None and not answer.abstained:
        span = locate(first.text, answer.quote)
        text, span = excerpt(first.text, span)
        if span is not None:
            text = text[: span[0]] + QUOTE_OPEN + text[span[0] : span[1]] + QUOTE_CLOSE + text[span[1] :]
        lines.append(f"  {where(first)}, p. {first.page}")
        lines.append(_wrap(text))
        lines.append("")
    if answer.citations:
        rows, single = _table_rows(answer.citations)
        title = "Closest passages" if answer.abstained else "Sources"
        lines.append(f"{title} ({single}):" if single else f"{title}:")
        widths = [max(len(r[i]) for r in rows) for i in range(3)]
        for n, page, ref, place in rows:
            lines.append(f"  {n:<{widths[0]}}  {page:<{widths[1]}}  {ref:<{widths[2]}}  {place}")
        if context:
            for n, c in enumerate(answer.citations, 1):
                lines.append("")
                lines.append(f"  [{n}] {where(c)}, p. {c.page}")
                lines.append(_wrap(c.text, indent="      "))
    return "\n".join(lines).rstrip()


def render_rich(answer: Answer, console, context: bool = False, note: str = "", origin: str = "") -> None:
    """The same content for a terminal: bold answer, highlighted quote, a table of citations."""
    from rich.panel import Panel
    from rich.table import Table
    from rich.text import Text

    if answer.abstained or not answer.answer:
        console.print(Text(CANNOT_ANSWER, style="bold yellow"))
    else:
        head, rest = split_answer(answer.answer)
        console.print(Text.assemble((head, "bold"), rest))
        if origin:
            console.print(Text(origin, style="dim"))
    if note:
        console.print(Text(f"note: {note}", style="yellow"))
    first = answer.citations[0] if answer.citations else None
    if first is not None and not answer.abstained:
        span = locate(first.text, answer.quote)
        shown, span = excerpt(first.text, span)
        body = Text(shown)
        if span is not None:
            body.stylize("bold black on yellow", span[0], span[1])
        console.print(Panel(
            Text.assemble((where(first), "cyan"), "\n\n", body),
            subtitle=Text(f"p. {first.page} · {short_ref(first.ref)}", style="dim"), subtitle_align="right",
            border_style="dim", width=min(console.width, WIDTH + 4),
        ))
    if not answer.citations:
        return
    rows, single = _table_rows(answer.citations)
    title = "Closest passages" if answer.abstained else "Sources"
    table = Table(box=None, show_header=True, header_style="dim", pad_edge=False, title_justify="left",
                  title=f"{title} ({single})" if single else title, title_style="bold")
    table.add_column("#", justify="right", style="dim", no_wrap=True)
    table.add_column("page", justify="right", no_wrap=True)
    table.add_column("ref", style="cyan", no_wrap=True)
    table.add_column("section", overflow="fold")
    for n, page, ref, place in rows:
        table.add_row(n, page, ref, place)
    console.print(table)
    if context:
        for n, c in enumerate(answer.citations, 1):
            console.print(Panel(
                Text.assemble((f"[{n}] {where(c)}", "cyan"), "\n\n", c.text),
                subtitle=Text(f"p. {c.page} · {short_ref(c.ref)}", style="dim"), subtitle_align="right",
                border_style="dim", width=min(console.width, WIDTH + 4),
            ))


def render_markdown(
    answer: Answer,
    note: str = "",
    origin: str = "",
    related: Collection[str] = (),
    titles: Mapping[str, str] | None = None,
) -> str:
    """Markdown for a report: the answer with [^n] markers, the quote, and footnotes naming each source.

    Every footnote names its document (`titles`: doc id → title or file name) and page, even when
    the corpus has one document, so a pasted answer still says where it comes from. "See also"
    lists only the other citations whose refs are in `related` (those that pass the relevance cut
    of the cited paragraph; see `Answerer.relevant`), else nothing; only footnotes that are
    referenced are written.
    """
    cites = answer.citations
    out: list[str] = []
    if answer.abstained or not answer.answer:
        out.append(CANNOT_ANSWER)
        if cites:
            out.append("")
            out.append("Closest passages: " + " ".join(f"[^{n}]" for n in range(1, len(cites) + 1)))
    else:
        text = answer.answer
        if origin and re.search(r"\[\d+(?:, \d+)*\]", text):
            text = re.sub(r"\[(\d+(?:, \d+)*)\]", lambda m: "".join(f"[^{n}]" for n in m.group(1).split(", ")), text)
        elif cites:
            head, rest = split_answer(text)
            text = f"**{head}**{rest}[^1]" if rest else f"{text}[^1]"
        out.append(text)
        if answer.quote and cites:
            out.append("")
            out.append(f"> {answer.quote}[^1]")
        used = {int(n) for n in re.findall(r"\[\^(\d+)\]", "\n".join(out))}
        others = [n for n, c in enumerate(cites, 1) if n not in used and c.ref in related]
        if others:
            out.append("")
            out.append("See also " + " ".join(f"[^{n}]" for n in others) + ".")
    if origin and not answer.abstained:
        out.append("")
        out.append(f"*{origin}*")
    if note:
        out.append("")
        out.append(f"*Note: {note}*")
    referenced = {int(n) for n in re.findall(r"\[\^(\d+)\]", "\n".join(out))}
    if cites and referenced:
        single = len({c.doc for c in cites}) == 1
        out.append("")
        for n, c in enumerate(cites, 1):
            if n in referenced:
                title = (titles or {}).get(c.doc) or c.doc
                ref = short_ref(c.ref) if single else c.ref
                out.append(f"[^{n}]: {title}, {where(c)}, p. {c.page} (`{ref}`)")
    return "\n".join(out)
