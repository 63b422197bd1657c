"""`ask --explain`: how the answer step reached its reply, as plain text.

The passages read with their scores and each passage rule's verdict, the candidate sentences
with their scores, then each sentence and span rule's verdict on the chosen one: enough to tell a
good refusal from a bug without a debugger.
"""

from __future__ import annotations

import textwrap

from qa.records import Answer, Check, Trace

# Candidate sentences listed, best first (the rest are only counted).
SENTENCES_SHOWN = 10
SENTENCE_CHARS = 160
WIDTH = 100


def render_explain(answer: Answer) -> str:
    """The trace of `answer` (asked with `explain=True`) as readable lines."""
    trace = answer.trace or Trace()
    if answer.abstained:
        why = f"{answer.reason.rule}: {answer.reason.detail}" if answer.reason else "no reason recorded"
        lines = [f"Why: abstained ({why})"]
    else:
        lines = ["Why: answered (no rule vetoed)"]
    if answer.focus:
        lines.append(f"Kept to: {answer.focus} (the best hit's document; words weighted by their rarity in it)")
    if trace.note:
        lines.append(f"Note: {trace.note}")
    if trace.passages:
        count = len(trace.passages)
        lines += ["", f"Passages read ({count}; retrieval score, share of the question's weighted words held):"]
        for n, p in enumerate(trace.passages, 1):
            c = p.citation
            lines.append(f"  {n}. {c.ref}  score {c.score:.4f}  coverage {p.coverage:.2f}")
            lines.append(f"     {c.display}")
            lines += [f"       {_verdict(check)}" for check in p.checks]
    if trace.sentences:
        shown = trace.sentences[:SENTENCES_SHOWN]
        more = f"; {len(trace.sentences) - len(shown)} more not shown" if len(trace.sentences) > len(shown) else ""
        lines += ["", f"Candidate sentences (best first; similarity for those re-scored by the question vector{more}):"]
        for n, s in enumerate(shown, 1):
            similarity = f"  similarity {s.similarity:.3f}" if s.similarity is not None else ""
            lines.append(f"  {n}. score {s.score:.3f}{similarity}  {s.ref}")
            lines.append(_wrap(_clip(s.text), "       "))
    if trace.chosen is not None:
        lines += ["", f"Chosen sentence ({trace.chosen.ref}):", _wrap(trace.chosen.text, "  ")]
    if trace.checks:
        lines += ["", "Rules on the chosen sentence:"]
        lines += [f"  {_verdict(check)}" for check in trace.checks]
    for n, part in enumerate(answer.parts, 1):
        reply = "abstained" if part.abstained else _clip(part.answer or "")
        lines += ["", f"Part {n}: {part.question} → {reply}", textwrap.indent(render_explain(part), "    ")]
    return "\n".join(lines)


def _verdict(check: Check) -> str:
    if not check.enabled:
        return f"off   {check.rule} (disabled)"
    if check.passed:
        return f"pass  {check.rule}"
    return f"veto  {check.rule}: {check.detail}"


def _clip(text: str) -> str:
    return text if len(text) <= SENTENCE_CHARS else text[: SENTENCE_CHARS - 1].rstrip() + "…"


def _wrap(text: str, indent: str) -> str:
    return "\n".join(textwrap.wrap(text, WIDTH, initial_indent=indent, subsequent_indent=indent)) or indent
