"""Phrasing invariance: the same question typed another way must get the same verdict and first citation.

Each question is asked three more ways: lower case without its final punctuation (as typed in a
terminal), behind a polite opener, and with one word swapped for a synonym (where the lexicon has
one). The share of variants whose verdict (answer or abstain) and first citation agree with the
original's is the score CI gates on.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from qa.lexicon import SYNONYMS


def variants(question: str) -> list[tuple[str, str]]:
    """(name, text) of the other ways to ask `question`."""
    plain = question.strip()
    out = [("lower", re.sub(r"[?.!\s]+$", "", plain).lower())]
    first, _, rest = plain.partition(" ")
    opener_first = first if (sum(c.isupper() for c in first) >= 2) else first.lower()
    out.append(("polite", f"Please tell me {opener_first} {rest}".strip()))
    words = plain.split()
    for i, word in enumerate(words):
        core = re.sub(r"\W+$", "", word)
        swap = SYNONYMS.get(core.lower())
        if swap and i > 0:
            tail = word[len(core):]
            swapped = swap.capitalize() if core[:1].isupper() else swap
            out.append(("synonym", " ".join([*words[:i], swapped + tail, *words[i + 1:]])))
            break
    return out


@dataclass
class Agreement:
    pairs: int = 0
    agree: int = 0

    @property
    def share(self) -> float | None:
        return round(self.agree / self.pairs, 4) if self.pairs else None


def measure(answerer, questions: list[str], k: int = 5) -> tuple[dict, list[dict]]:
    """Agreement overall and per variant kind, and the disagreeing variants."""
    by_kind: dict[str, Agreement] = {}
    total = Agreement()
    misses = []
    for question in questions:
        base = answerer.ask(question, k)
        base_ref = base.citations[0].ref if base.citations else ""
        for name, text in variants(question):
            other = answerer.ask(text, k)
            other_ref = other.citations[0].ref if other.citations else ""
            same = other.abstained == base.abstained and (base.abstained or other_ref == base_ref)
            for bucket in (total, by_kind.setdefault(name, Agreement())):
                bucket.pairs += 1
                bucket.agree += same
            if not same:
                misses.append({"question": question, "variant": name, "asked": text,
                               "before": "abstain" if base.abstained else base_ref,
                               "after": "abstain" if other.abstained else other_ref})
    summary = {"phrasing_invariance": total.share, "pairs": total.pairs}
    summary.update({f"invariance_{name}": a.share for name, a in sorted(by_kind.items())})
    return summary, misses
