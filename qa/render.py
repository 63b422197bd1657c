"""Human-readable output of an answer: the short answer first, then numbered citations."""

from __future__ import annotations

import textwrap

from qa.answer import CANNOT_ANSWER
from qa.records import Answer


def render_plain(answer: Answer, context: bool = False) -> str:
    lines = [answer.answer if not answer.abstained else CANNOT_ANSWER]
    if answer.abstained and answer.citations:
        lines.append("Closest passages:")
    lines.append("")
    for n, c in enumerate(answer.citations, 1):
        lines.append(f"[{n}] {c.display}")
        lines.append(f"    {c.ref}")
        if context:
            lines.append(textwrap.fill(c.text, width=100, initial_indent="    ", subsequent_indent="    "))
            lines.append("")
    return "\n".join(lines).rstrip()
