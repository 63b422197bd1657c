"""Parse Markdown: `#` headings give the section path, blank lines separate paragraphs.

Section codes are the headings' positions (`2.1` = first `##` under the second `#`), so refs stay
stable while the document's headings stay in place. Fenced code blocks are kept as one paragraph.
"""

from __future__ import annotations

import re

from qa.parse.cleanup import join_lines
from qa.parse.outline import Heading, Outline
from qa.records import Paragraph

ATX = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
URL_ONLY = re.compile(r"^<?(https?://\S+?)>?$")


def parse_markdown(doc: str, text: str) -> list[Paragraph]:
    outline = Outline(doc)
    parts: list[str] = []
    fenced = False

    def flush() -> None:
        if parts:
            body = join_lines(parts) if not fenced else "\n".join(parts)
            outline.add("url" if URL_ONLY.match(body) else "body", body, 1)
            parts.clear()

    for raw in text.replace("\r\n", "\n").split("\n"):
        line = raw.rstrip()
        if line.lstrip().startswith("```"):
            if fenced:
                parts.append(line)
                outline.add("body", " ".join(parts), 1)
                parts.clear()
                fenced = False
            else:
                flush()
                fenced = True
                parts.append(line)
            continue
        if fenced:
            parts.append(line)
            continue
        heading = ATX.match(line)
        if heading:
            flush()
            level, title = len(heading.group(1)), heading.group(2).strip() or "(untitled)"
            number = outline.next_number(level)
            outline.push(Heading(level, "", title, str(number)), number, 1)
            continue
        if not line.strip():
            flush()
            continue
        parts.append(line.strip())
    flush()
    return outline.records
