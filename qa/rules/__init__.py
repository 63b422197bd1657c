"""Veto rules of the answer step, as a registry: each rule is a named check with a docstring and a
declared place in the order (`qa.rules.registry.ORDER`).

Importing the package registers every rule: passage rules decide which paragraphs are read,
sentence rules whether the chosen sentence may answer, span rules whether its span does, and
lead rules whether the span may lead the reply or the sentence leads instead.
"""

from qa.rules import lead, passage, sentence, span  # noqa: F401 - importing registers the rules
from qa.rules.registry import (
    NO_SENTENCE,
    NOTHING_RETRIEVED,
    ORDER,
    PART_MISSING,
    RULES,
    SIDE_UNNAMED,
    STAGES,
    Case,
    Rule,
    disabled,
    first_veto,
    judge,
    veto,
)

__all__ = [
    "NO_SENTENCE",
    "NOTHING_RETRIEVED",
    "ORDER",
    "PART_MISSING",
    "SIDE_UNNAMED",
    "RULES",
    "STAGES",
    "Case",
    "Rule",
    "disabled",
    "first_veto",
    "judge",
    "veto",
]
