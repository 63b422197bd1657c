"""Markdown files in: Markdown → the document model (qa.ingest.model) → paragraph records.

Headings are ATX (`# …`) and setext (a line underlined with `===` or `---`). Web pages saved as
Markdown often mark only their title with `#` and set section titles as bold or plain lines, so
when a file has few `#` headings for its length, a bold-only line or a short title-like line
standing alone (no final period, at most 12 words, Title Case) is a heading too, one level
below the `#` heading above it. What the site put around the text is `boilerplate` (kept in the
model, not indexed): YAML front matter, `key: value` lines above the first paragraph, link-only
lines and list items, breadcrumbs, image placeholders, the title repeated with a date, and a
heading over nothing but such lines; a contents list under `Contents`/`Figures`/`Tables` is `toc`.
Pipe tables (qa.ingest.mdtables) give one `table` block per row; fenced code is one body block.

Left out: indented code blocks (saved pages indent prose), HTML blocks, reference-style links.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from qa.ingest import boilerplate
from qa.ingest.layout import SOURCE
from qa.ingest.mdinline import MAX_TITLE_WORDS, inline, is_link_only, title_like
from qa.ingest.mdtables import pipe_blocks, with_unit
from qa.ingest.model import NOT_INDEXED, Block, Document
from qa.ingest.outline import ends_sentence
from qa.ingest.sections import to_paragraphs
from qa.ingest.tables import is_caption
from qa.records import Paragraph

ATX = re.compile(r"^ {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$")
SETEXT = re.compile(r"^ {0,3}(=+|-+)[ \t]*$")
BREAK = re.compile(r"^ {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$")
FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
LIST = re.compile(r"^( *)([-*+]|\d{1,9}[.)])[ \t]+(\S.*)$")
QUOTE = re.compile(r"^ {0,3}>[ ]?")
FOOTDEF = re.compile(r"^ {0,3}\[\^(\w+)\]:[ \t]*(.*)$")
PIPE = re.compile(r"^ {0,3}\|")
SEPARATOR = re.compile(r"^ {0,3}\|?[ \t]*:?-+:?[ \t]*(\|[ \t]*:?-*:?[ \t]*)*\|?[ \t]*$")
KEY_VALUE = re.compile(r"^[*_]*[A-Za-z][\w ()./&'-]{0,40}?:[*_]*[ \t]+\S")
BOLD_ONLY = re.compile(r"^ {0,3}(\*\*|__)(?=\S)(.+?)(?<=\S)\1[ \t]*$")


@dataclass
class Item:
    """A Markdown block before it is classified: its kind in Markdown terms and its source lines."""

    kind: str  # heading, para, list, code, pipe, front, footnote
    lines: list[str] = field(default_factory=list)
    level: int = 0
    label: str = ""


def _starts_block(line: str) -> bool:
    return bool(
        ATX.match(line) or FENCE.match(line) or BREAK.match(line) or LIST.match(line) or PIPE.match(line)
        or FOOTDEF.match(line) or boilerplate.is_boilerplate_text(line)
    )


def scan(text: str) -> list[Item]:
    """Split Markdown source into blocks by its line syntax (no inline markup is read here)."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").expandtabs(4).split("\n")
    items: list[Item] = []
    i = 0
    if lines and lines[0].strip() == "---":
        end = next((j for j in range(1, min(len(lines), 80)) if lines[j].strip() in ("---", "...")), 0)
        if end and all(not s.strip() or re.match(r"^\s*([\w-]+\s*:|-\s)", s) for s in lines[1:end]):
            items.append(Item("front", [s for s in lines[1:end] if s.strip()]))
            i = end + 1
    open_at = -2  # the line where the last paragraph, list item or footnote ended (it may go on)
    while i < len(lines):
        line = lines[i]
        goes_on = open_at == i - 1
        if not line.strip() or BREAK.match(line) and not (goes_on and items[-1].kind == "para" and SETEXT.match(line)):
            i += 1
            continue
        if fence := FENCE.match(line):
            end = next((j for j in range(i + 1, len(lines)) if lines[j].strip().startswith(fence.group(1))), len(lines))
            items.append(Item("code", lines[i + 1:end]))
            i = end + 1
            continue
        if heading := ATX.match(line):
            items.append(Item("heading", [heading.group(2) or ""], level=len(heading.group(1))))
        elif goes_on and items[-1].kind == "para" and SETEXT.match(line):
            para = items.pop()
            items.append(Item("heading", [" ".join(s.strip() for s in para.lines)], level=1 if "=" in line else 2))
        elif note := FOOTDEF.match(line):
            items.append(Item("footnote", [note.group(2)], label=note.group(1)))
            open_at = i
        elif PIPE.match(line) or "|" in line and i + 1 < len(lines) and "|" in lines[i + 1] \
                and SEPARATOR.match(lines[i + 1]):
            rows = [line]
            while i + 1 < len(lines) and lines[i + 1].strip() and (PIPE.match(lines[i + 1])
                                                                   or not _starts_block(lines[i + 1])):
                i += 1
                rows.append(lines[i])
            items.append(Item("pipe", rows))
        elif item := LIST.match(line):
            items.append(Item("list", [item.group(3)], level=len(item.group(1)) // 2 + 1))
            open_at = i
        elif goes_on and not boilerplate.is_boilerplate_text(line) and not (
                items[-1].kind == "list" and is_link_only(items[-1].lines[0])):  # a nav list takes no text in
            items[-1].lines.append(QUOTE.sub("", line, count=1))  # a paragraph, or an item's lazy continuation
            open_at = i
        else:
            items.append(Item("para", [QUOTE.sub("", line, count=1)]))
            open_at = i
        i += 1
    return items


@dataclass
class _Part:
    """A block with what the structure passes need to know about its source."""

    block: Block
    alone: bool = False
    bold: bool = False
    atx: bool = False


class _Builder:
    """Classifies scanned items in reading order; `prose` turns True at the first real paragraph."""

    def __init__(self) -> None:
        self.parts: list[_Part] = []
        self.prose = False
        self.title = ""

    def add(self, kind: str, text: str, **extra) -> None:
        flags = {k: extra.pop(k) for k in ("alone", "bold", "atx") if k in extra}
        self.parts.append(_Part(Block(kind, text, 1, **extra), **flags))

    def item(self, item: Item, following: Item | None) -> None:
        raw = "\n".join(item.lines)
        if item.kind == "front":
            for line in item.lines:
                self.add("boilerplate", inline(line)[0])
        elif item.kind == "code":
            self.add("body", "\n".join(item.lines))
        elif item.kind == "heading":
            text = inline(raw)[0]
            if text:
                self.title = self.title or text
                self.add("heading", text, level=item.level, atx=True)
        elif item.kind == "footnote":
            self.add("footnote", inline(raw)[0], number=int(item.label) if item.label.isdigit() else 0)
        elif item.kind == "list":
            text, notes = inline(raw)
            self.add("boilerplate" if is_link_only(raw) else "list", text, level=item.level, notes=notes)
        elif item.kind == "pipe":
            for block in pipe_blocks(item.lines, self._caption(), metadata=not self.prose):
                self.parts.append(_Part(block))
        else:
            self.para(item, following)

    def para(self, item: Item, following: Item | None) -> None:
        raw = "\n".join(item.lines)
        text, notes = inline(raw)
        if not text and not re.search(r"!\[", raw):
            return
        if not self.prose and len(item.lines) >= 2 and all(KEY_VALUE.match(s.strip()) for s in item.lines):
            for line in item.lines:  # a metadata block above the text: one record per field
                self.add("boilerplate", inline(line)[0])
            return
        if is_link_only(raw) or boilerplate.is_boilerplate_text(text):
            self.add("boilerplate", text)
            return
        if not self.prose and boilerplate.is_title_banner(text, self.title):
            self.add("boilerplate", text)
            return
        last = self.parts[-1].block if self.parts else None
        if last and last.kind == "caption" and len(item.lines) == 1 and following and following.kind == "pipe" \
                and len(text.split()) <= 8 and not ends_sentence(text):
            last.text = with_unit(last.text, text)  # the unit line under a table's title: `Millions of dollars`
            return
        kind = "caption" if is_caption(text) else "source" if SOURCE.match(text) else "body"
        if kind == "body" and re.fullmatch(r"<?https?://\S+?>?", text):
            kind = "url"
        if kind == "body" and len(text.split()) >= 6 and ends_sentence(text):
            self.prose = True
        self.add(kind, text, notes=notes, alone=len(item.lines) == 1, bold=bool(BOLD_ONLY.match(raw)))

    def _caption(self) -> str:
        """A table's caption: the caption just above it, else the heading it sits under."""
        for part in reversed(self.parts[-2:]):
            if part.block.kind == "caption":
                return part.block.text
        return next((p.block.text for p in reversed(self.parts) if p.block.kind == "heading"), "")


def _mark_site_headings(parts: list[_Part]) -> None:
    """A heading over only navigation or metadata is the site's: `toc` under a contents title,
    else boilerplate. The document's first heading is its title and always stays."""
    headings = [i for i, p in enumerate(parts) if p.block.kind == "heading"]
    for i in headings[1:]:
        run = []
        for part in parts[i + 1:]:
            if part.block.kind == "heading" or part.block.kind not in NOT_INDEXED:
                break
            run.append(part)
        if run and boilerplate.is_contents_title(parts[i].block.text):
            for part in [parts[i], *run]:
                part.block.kind = "toc"
        elif len(run) >= 2:
            parts[i].block.kind = "boilerplate"


def _drop_repeated_headings(parts: list[_Part]) -> None:
    """The title printed again below the site's navigation: the same heading with nothing indexed between."""
    previous = None
    for part in parts:
        block = part.block
        if block.kind == "heading":
            if previous is not None and previous.text.lower() == block.text.lower() and previous.level == block.level:
                block.kind = "boilerplate"
                continue
            previous = block
        elif block.kind not in NOT_INDEXED:
            previous = None


def _infer_headings(parts: list[_Part]) -> None:
    """With few `#` headings for the file's length, bold-only and title-like lone lines are headings."""
    real = sum(1 for p in parts if p.block.kind == "heading")
    bodies = sum(1 for p in parts if p.block.kind == "body")
    if real >= max(3, bodies // 15):
        return
    level = 0
    for part in parts:
        block = part.block
        if block.kind == "heading" and part.atx:
            level = block.level
        elif block.kind == "body" and part.alone and len(block.text.split()) <= MAX_TITLE_WORDS and \
                (part.bold and not re.search(r"[.:;,]$", block.text) or title_like(block.text)):
            block.kind, block.level = "heading", min(6, level + 1)


def markdown_document(name: str, text: str) -> Document:
    """The document model of Markdown source `text` read from file `name`."""
    builder = _Builder()
    items = scan(text)
    for i, item in enumerate(items):
        builder.item(item, items[i + 1] if i + 1 < len(items) else None)
    parts = builder.parts
    _mark_site_headings(parts)
    _drop_repeated_headings(parts)
    _infer_headings(parts)
    return Document(name, [p.block for p in parts], title=builder.title)


def parse_markdown(doc: str, text: str, name: str = "") -> list[Paragraph]:
    """Paragraph records of Markdown source `text` (refs under document id `doc`)."""
    return to_paragraphs(doc, markdown_document(name or f"{doc}.md", text))


