"""Cut paragraphs into chunks that MiniLM can read whole (it ignores word-pieces past 256).

Long paragraphs are split on sentence boundaries; a sentence longer than the budget is split on
words. Each chunk's embedded text starts with its section title, which both dense and lexical
search use to find a paragraph by the heading it sits under.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from qa import config
from qa.records import Chunk, Paragraph
from qa.sentences import split_sentences

Count = Callable[[str], int]

SEARCHABLE_KINDS = ("body", "figure", "caption", "source", "footnote", "url", "table")
# Paragraphs that belong to the figure or table whose caption precedes them (notes, source, label
# text, table rows): they are embedded with the caption in front.
FIGURE_PARTS = ("figure", "source", "table")


def section_title(paragraph: Paragraph) -> str:
    return paragraph.section[-1] if paragraph.section else ""


def chunk_paragraph(
    paragraph: Paragraph, count: Count, budget: int = config.MAX_CHUNK_TOKENS, caption: str = ""
) -> list[Chunk]:
    title = ": ".join(t for t in (section_title(paragraph), caption) if t)
    prefix = f"{title}: " if title else ""
    room = max(32, budget - count(prefix))
    pieces: list[str] = []
    current: list[str] = []
    used = 0
    # MiniLM's tokenizer splits at every space first, so the word-pieces of `a b` are those of `a`
    # and those of `b`: counts add up, and each sentence and word is counted once.
    for sentence in split_sentences(paragraph.text) or [paragraph.text]:
        for part, size in _fit(sentence, count, room):
            if current and used + size > room:
                pieces.append(" ".join(current))
                current, used = [], 0
            current.append(part)
            used += size
    if current:
        pieces.append(" ".join(current))
    return [
        Chunk(id=f"{paragraph.ref}#c{i}", ref=paragraph.ref, doc=paragraph.doc, text=piece, embed_text=prefix + piece)
        for i, piece in enumerate(pieces)
    ]


def _fit(sentence: str, count: Count, room: int) -> list[tuple[str, int]]:
    """Split one over-long sentence on words so every part fits `room` tokens: (part, its token count)."""
    size = count(sentence)
    if size <= room:
        return [(sentence, size)]
    parts, current, used = [], [], 0
    for word in sentence.split():
        n = count(word)
        if current and used + n > room:
            parts.append((" ".join(current), used))
            current, used = [], 0
        current.append(word)
        used += n
    if current:
        parts.append((" ".join(current), used))
    return parts


def chunk_paragraphs(paragraphs: list[Paragraph], count: Count) -> list[Chunk]:
    """Chunks of every searchable paragraph; a figure's notes, source and label text carry its caption."""
    chunks: list[Chunk] = []
    caption, caption_section, label = "", None, ""
    for p in paragraphs:
        if p.kind == "caption" and caption and p.section == caption_section and p.text.rstrip().endswith(":"):
            label = p.text  # `Standard Deduction:` set as a caption over the rows: a label under the caption
        elif p.kind == "caption":
            caption, caption_section, label = p.text, p.section, ""
        elif caption and p.kind == "body" and p.section == caption_section and _label(p.text):
            label = p.text  # `Single Returns` over the next rows: the caption goes on, with this label
        elif p.kind not in FIGURE_PARTS or p.section != caption_section:
            caption, caption_section, label = "", None, ""
        if p.kind in SEARCHABLE_KINDS:
            heading = f"{caption} — {label}" if label else caption
            chunks += chunk_paragraph(p, count, caption=heading if p.kind in FIGURE_PARTS else "")
    return chunks


def _label(text: str) -> bool:
    """A line set between a table's caption and its rows that ends no sentence: a label of the rows
    that follow (`Single Returns`, `… whose income exceeded these amounts:`, or a lead-in the layout
    broke around a row, `… a taxpayer’s adjusted gross`), not prose, which ends with a full stop."""
    return not _SENTENCE_END.search(text.rstrip())


_SENTENCE_END = re.compile(r"[.!?][\"”’)\]]*$")
