"""The registry of veto rules: each a named check with a declared place in the order.

A rule reads a `Case` (the question and the passage, sentence or span under judgement) and returns
None to let it pass, or a detail that says why it vetoes (`asks FY2015; the passage gives FY2019`).
The first veto in the declared order decides; `--explain` evaluates them all.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from qa.acronyms import AcronymTable
from qa.question import Question
from qa.records import Check, Reason

Span = tuple[int, int, str]

# Where a rule is applied: a passage that may be read, the sentence chosen to answer, its span, and
# whether that span may lead the reply (a lead rule never makes the answer abstain).
STAGES = ("passage", "sentence", "span", "lead")

# The declared order, stage by stage; a rule not listed here cannot be registered.
ORDER: dict[str, tuple[str, ...]] = {
    "passage": (
        "year_mismatch", "ordinal_missing", "number_missing", "interval_missing", "rate_unit_missing", "name_missing",
        "low_coverage",
    ),
    "sentence": (
        "acronym_undefined", "bodies_missing", "other_actor", "other_case", "excluded_case", "measure_missing",
    ),
    "span": (
        "since_without_start",
        "span_missing",
        "dimension_missing",
        "why_without_cause",
        "outcome_not_stated",
        "no_comparison",
        "no_rank",
        "list_too_short",
        "year_not_bound",
        "counts_unasked_thing",
        "counts_other_noun",
        "counted_name_missing",
        "subset_not_named",
        "group_figure",
        "change_not_level",
    ),
    "lead": ("figure_unbound", "name_unbound", "one_of_several"),
}
# The rules a passage must pass to count as holding the question's constraints (re-ranking, `relevant`).
CONSTRAINTS = ("year_mismatch", "ordinal_missing", "number_missing", "name_missing")

# Abstentions no rule decides: nothing came back from the index, or no sentence was left to read.
NOTHING_RETRIEVED = "nothing_retrieved"
NO_SENTENCE = "no_sentence"
PART_MISSING = "part_missing"  # a compound question one of whose parts found no answer
SIDE_UNNAMED = "side_unnamed"  # a side of a comparison answered by a sentence that does not name it


@dataclass(frozen=True)
class Case:
    """What the rules read: the question, and the passage, sentence or span under judgement."""

    q: Question
    acronyms: AcronymTable | None = None  # the index's acronyms (span rules read them only if given)
    passage: str = ""  # the paragraph with its headings and its chunk's prefix
    headings: str = ""  # the passage's headings and chunk prefix alone (said of every sentence under them)
    doc: str = ""
    coverage: float = 1.0  # share of the question's IDF weight the passage holds
    subject: str = "the passage"  # how a detail names the passage (`the best passage` in a reason)
    sentence: str = ""
    earlier: str = ""  # the paragraph's text before the sentence
    span: Span | None = None
    similarity: float = 0.0  # MiniLM cosine of the sentence with the question
    bodies: frozenset[str] = field(default_factory=frozenset)  # acronyms of the corpus's bodies
    paraphrased: tuple[str, ...] = ()  # bodies the question names in everyday words (`the farm ministry`)


@dataclass(frozen=True)
class Rule:
    name: str
    stage: str
    check: Callable[[Case], str | None]

    @property
    def doc(self) -> str:
        return (self.check.__doc__ or "").strip()

    @property
    def place(self) -> int:
        """Position in the whole order (stages in turn)."""
        return [n for stage in STAGES for n in ORDER[stage]].index(self.name)


RULES: dict[str, Rule] = {}
_disabled: set[str] = set()


def rule(stage: str) -> Callable[[Callable[[Case], str | None]], Callable[[Case], str | None]]:
    """Register a check under its function's name, which must be declared in `ORDER[stage]`."""

    def register(check: Callable[[Case], str | None]) -> Callable[[Case], str | None]:
        name = check.__name__
        if name not in ORDER.get(stage, ()):
            raise ValueError(f"rule {name} has no declared place in the {stage} order")
        RULES[name] = Rule(name, stage, check)
        return check

    return register


def in_order(stage: str, names: tuple[str, ...] | None = None) -> list[Rule]:
    return [RULES[n] for n in ORDER[stage] if names is None or n in names]


def judge(stage: str, case: Case, every: bool = False, names: tuple[str, ...] | None = None) -> list[Check]:
    """The verdicts of a stage's rules in order; stops after the first veto unless `every`.

    A disabled rule passes without being asked.
    """
    checks: list[Check] = []
    for r in in_order(stage, names):
        if r.name in _disabled:
            checks.append(Check(r.name, None, enabled=False))
            continue
        detail = r.check(case)
        checks.append(Check(r.name, detail))
        if detail is not None and not every:
            break
    return checks


def first_veto(checks: list[Check]) -> Reason | None:
    return next((Reason(c.rule, c.detail) for c in checks if c.detail is not None), None)


def veto(stage: str, case: Case, names: tuple[str, ...] | None = None) -> Reason | None:
    """The first rule of the stage that vetoes the case, or None when all pass."""
    return first_veto(judge(stage, case, names=names))


@contextmanager
def disabled(*names: str) -> Iterator[None]:
    """Switch rules off for a while (to measure what each one changes)."""
    unknown = set(names) - set(RULES)
    if unknown:
        raise KeyError(f"no such rule: {', '.join(sorted(unknown))}")
    before = set(_disabled)
    _disabled.update(names)
    try:
        yield
    finally:
        _disabled.clear()
        _disabled.update(before)
