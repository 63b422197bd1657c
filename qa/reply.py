"""Turn the chosen sentence into the reply: its span first, then the sentence around it, in 50 words,
unless a span rule (`qa.rules.span`) vetoes it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from qa import config
from qa.extract import clip, pick_span, referent, widen_to_acronym
from qa.question import Question
from qa.records import LEAD_SEPARATOR, Check, Reason
from qa.rules import Case, first_veto, judge

# After a short answer, the rest of the answer's word budget shows the sentence it comes from;
# the dash and the two ellipses of a clipped sentence count as words.
SEPARATOR_WORDS = 3


@dataclass
class Draft:
    """A reply (None when vetoed), the veto that stopped it, and the span rules' verdicts."""

    text: str | None
    reason: Reason | None = None
    checks: list[Check] = field(default_factory=list)
    note: str = ""  # why no span rule was asked


def compose(
    q: Question, sentence: str, acronyms=None, earlier: str = "", similarity: float = 0.0
) -> str | None:
    """The reply: the span the question asks for, then the sentence around it, at most 50 words."""
    return draft(q, sentence, acronyms, earlier, similarity).text


def _sentence_lead(text: str) -> str:
    """A reply led by its sentence holds no lead separator: a table record's `Salaries and Expenses — FY2012:
    37.5; …` (or a dash in prose) would read as the short answer `Salaries and Expenses`."""
    return text.replace(LEAD_SEPARATOR, " – ")


def draft(
    q: Question, sentence: str, acronyms=None, earlier: str = "", similarity: float = 0.0, every: bool = False
) -> Draft:
    """The reply and why not, when a span rule vetoes it (`every`: ask all the rules, for --explain).

    `earlier` is the paragraph's text before the sentence: `the program` there names the program
    the question asks about (`Which JST program …?`). `similarity` is the question's cosine with the
    sentence: a close paraphrase may count `startups` where the question says `young firms`.
    """
    span = pick_span(q, sentence)
    if q.kind == "entity" and earlier:
        named = referent(q, sentence, span, earlier)
        if named:
            lead = widen_to_acronym(earlier, named, acronyms)[2]
            reply = f"{lead}{LEAD_SEPARATOR}{clip(sentence, context_words(lead), focus=q.terms)}"
            return Draft(reply, note=f"the sentence's `the {q.asked}` names {lead}: no span rule applies")
    if span is not None and q.kind == "entity":
        span = widen_to_acronym(sentence, span, acronyms)
    case = Case(q, acronyms, sentence=sentence, earlier=earlier, span=span, similarity=similarity)
    checks = judge("span", case, every=every)
    reason = first_veto(checks)
    if reason is not None:
        return Draft(None, reason, checks)
    if span is None:
        return Draft(_sentence_lead(clip(sentence, config.MAX_ANSWER_WORDS - 4, focus=q.terms)), None, checks)
    leading = judge("lead", case, every=every)
    checks += leading
    demoted = first_veto(leading)
    if demoted is not None:  # the answer stands, but its span is no sure lead: the sentence leads
        text = _sentence_lead(clip(sentence, config.MAX_ANSWER_WORDS - 4, focus=q.terms, around=span[:2]))
        return Draft(text, None, checks, note=f"the sentence leads ({demoted.rule}: {demoted.detail})")
    start, end, text = span
    context = clip(sentence, context_words(text), focus=q.terms, around=(start, end))
    return Draft(f"{text}{LEAD_SEPARATOR}{context}", None, checks)


def context_words(lead: str) -> int:
    """How many words of the supporting sentence fit after `lead` within the answer's word limit."""
    return max(10, config.MAX_ANSWER_WORDS - len(lead.split()) - SEPARATOR_WORDS)
