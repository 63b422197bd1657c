"""Web pages in: HTML (selectolax's Lexbor parser: fast, lenient, MIT) → the document model → records.

The markup says what is what: `h1`–`h6` are headings, `p` paragraphs, `li` list items, `pre` one
body block, `figcaption`/`caption` captions, tables one row block each (qa.ingest.tables) with
headers from `th` cells or else the first row. What belongs to the site, not the document, is
kept as `boilerplate` (not indexed): `nav`, `aside`, `form`, `dialog`, the page's own `header` and
`footer` (an article's header stays), ARIA navigation/banner/contentinfo regions, cookie and
consent banners, and, when the page marks its `main` content, everything outside it. Scripts,
styles, embedded media and form controls are dropped. A table whose cells hold paragraphs or
other tables is page layout, read as ordinary content. The text arrives decoded (the corpus loader
reads the bytes); a file with no HTML markup, or that the parser rejects, raises ValueError.
"""

from __future__ import annotations

import re

from qa.ingest import boilerplate
from qa.ingest.cleanup import tidy
from qa.ingest.layout import SOURCE
from qa.ingest.model import Block, Document
from qa.ingest.sections import to_paragraphs
from qa.ingest.tables import is_caption, row_blocks
from qa.records import Paragraph

DROP = frozenset(
    "script style noscript template svg math canvas iframe object embed head button select option input textarea "
    "img picture video audio source track map area meta link".split()
)
INLINE = frozenset(
    "a abbr b bdi bdo cite code data del dfn em font i ins kbd label mark nobr q s samp small span strong sub sup "
    "time tt u var wbr".split()
)
SITE_TAGS = frozenset({"nav", "aside", "form", "dialog"})
SITE_ROLES = frozenset({"navigation", "banner", "contentinfo", "search", "complementary", "dialog", "alertdialog"})
SITE_MARKS = re.compile(r"cookie|consent|gdpr|skip-?link|breadcrumb", re.IGNORECASE)
CONTENT = frozenset({"article", "main", "section"})
HEADING = re.compile(r"^h([1-6])$")
URL_ONLY = re.compile(r"^(https?://|www\.)\S+$")


def _is_site(node, inside_content: bool) -> bool:
    attrs = node.attributes
    if node.tag in SITE_TAGS or (attrs.get("role") or "").lower() in SITE_ROLES:
        return True
    if node.tag in ("header", "footer") and not inside_content:
        return True
    # a cookie or breadcrumb class on a wrapper round the whole page (`has-cookie-banner`) is not the banner
    return bool(SITE_MARKS.search(f"{attrs.get('id') or ''} {attrs.get('class') or ''}")) and \
        node.css_first("h1, main, article") is None


def _hidden(node) -> bool:
    attrs = node.attributes
    return "hidden" in attrs or (attrs.get("aria-hidden") or "").lower() == "true"


def _text(node) -> str:
    """The text inside `node`, skipping what is never text (scripts, styles, media)."""
    out: list[str] = []
    for child in node.iter(include_text=True):
        if child.tag == "-text":
            out.append(child.text_content or "")
        elif child.tag == "br":
            out.append(" ")
        elif child.tag not in DROP and not child.tag.startswith("-") and not _hidden(child):
            out.append(_text(child))
            if child.tag not in INLINE:
                out.append(" ")
    return "".join(out)


class _Reader:
    """Walks the DOM in reading order, collecting inline text until a block element ends it."""

    def __init__(self, main_path: set[int]) -> None:
        self.blocks: list[Block] = []
        self.buffer: list[str] = []
        self.heading = ""
        self.main_path = main_path  # the `main` element and its ancestors, when the page has one

    def add(self, kind: str, text: str, site: bool, **extra) -> None:
        text = tidy(text)
        if not text:
            return
        if site or boilerplate.is_boilerplate_text(text):
            kind, extra = "boilerplate", {}
        elif kind == "body":
            kind = "caption" if is_caption(text) else "source" if SOURCE.match(text) else \
                "url" if URL_ONLY.match(text) else "body"
        self.blocks.append(Block(kind, text, 1, **extra))

    def flush(self, kind: str, site: bool) -> None:
        text, self.buffer = "".join(self.buffer), []
        self.add(kind, text, site)

    def walk(self, node, kind: str = "body", site: bool = False, content: bool = False) -> None:
        for child in node.iter(include_text=True):
            tag = child.tag
            if tag == "-text":
                self.buffer.append(child.text_content or "")
                continue
            if tag == "br":
                self.buffer.append(" ")
                continue
            if tag in DROP or tag.startswith("-") or _hidden(child):
                continue
            if tag in INLINE and not _is_site(child, content):
                self.walk(child, kind, site, content)
                continue
            self.flush(kind, site)
            self.element(child, kind, site, content)
            self.flush(kind, site)

    def element(self, node, kind: str, site: bool, content: bool) -> None:
        tag = node.tag
        outside_main = bool(self.main_path) and node.mem_id not in self.main_path and not content
        site = site or outside_main or _is_site(node, content)
        content = content or tag in CONTENT or (node.attributes.get("role") or "").lower() == "main"
        if heading := HEADING.match(tag):
            text = tidy(_text(node))
            if not site:
                self.heading = text
            self.add("heading", text, site, level=int(heading.group(1)))
        elif tag == "table" and not _is_layout(node):
            self.table(node, site)
        elif tag == "pre":
            self.add("body", node.text(deep=True), site)
        elif tag in ("figcaption", "caption"):
            self.walk(node, "caption", site, content)
            self.flush("caption", site)
        elif tag in ("li", "dd", "dt"):
            self.walk(node, "list" if tag == "li" else kind, site, content)
            self.flush("list" if tag == "li" else kind, site)
        else:
            inner = kind if kind in ("list", "caption") else "body"
            self.walk(node, inner, site, content)
            self.flush(inner, site)

    def table(self, node, site: bool) -> None:
        rows, header = [], []
        for tr in node.css("tr"):
            cells = [c for c in tr.iter() if c.tag in ("td", "th")]
            if not cells:
                continue
            texts = []
            for cell in cells:
                span = cell.attributes.get("colspan") or "1"
                texts += [tidy(_text(cell))] * (min(int(span), 20) if span.isdigit() and int(span) > 0 else 1)
            if not rows and not header and all(c.tag == "th" for c in cells):
                header = texts
            else:
                rows.append(texts)
        if not header and len(rows) > 1:
            header, rows = rows[0], rows[1:]
        caption_node = node.css_first("caption")
        caption = tidy(_text(caption_node)) if caption_node is not None else ""
        last = self.blocks[-1] if self.blocks else None
        caption = caption or (last.text if last is not None and last.kind == "caption" else self.heading)
        if caption_node is not None:
            self.add("caption", caption, site)
        for block in row_blocks(header, rows, caption):
            self.add("table", block.text, site, cells=block.cells, caption=block.caption)


def _is_layout(table) -> bool:
    """A table used to lay the page out: its cells hold tables, headings, lists or several paragraphs."""
    return table.css_first("td table, th table, td h1, td h2, td h3, td ul, td ol, td div p, td p + p") is not None


def html_document(name: str, text: str) -> Document:
    """The document model of HTML source `text`; ValueError when it holds no HTML at all."""
    if not re.search(r"<\s*[a-zA-Z!][^>]*>", text):
        raise ValueError("no HTML markup in it")
    try:
        from selectolax.lexbor import LexborHTMLParser

        tree = LexborHTMLParser(text)
        main = tree.css_first("main, [role=main]")
        path: set[int] = set()
        while main is not None:
            path.add(main.mem_id)
            main = main.parent
        reader = _Reader(path)
        if tree.body is not None:
            reader.walk(tree.body)
            reader.flush("body", False)
        title_node = tree.css_first("title")
    except RecursionError as err:
        raise ValueError("HTML nested too deeply to read") from err
    title = tidy(title_node.text()) if title_node is not None else ""
    first = next((b.text for b in reader.blocks if b.kind == "heading"), "")
    return Document(name, reader.blocks, title=title or first)


def parse_html(doc: str, text: str, name: str = "") -> list[Paragraph]:
    """Paragraph records of HTML source `text` (refs under document id `doc`)."""
    return to_paragraphs(doc, html_document(name or f"{doc}.html", text))
