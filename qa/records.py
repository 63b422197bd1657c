"""The records that cross module lines: paragraphs, chunks, citations and answers."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

SECTION_SEP = " > "
DISPLAY_SEP = " › "

KINDS = ("body", "heading", "figure", "caption", "source", "footnote", "url", "table")


@dataclass(frozen=True)
class Paragraph:
    """One paragraph of a document, with where it sits, so it can be cited and found again.

    `ref` is stable across rebuilds (it is derived from the section numbering and the
    paragraph's position in that section, never from a counter over the whole index).
    """

    doc: str
    ref: str
    section: tuple[str, ...]
    section_labels: tuple[str, ...]
    number: int
    page: int
    kind: str
    text: str

    @property
    def section_path(self) -> str:
        return SECTION_SEP.join(self.section)

    @property
    def display(self) -> str:
        """`Section 1 › ❶ › (1) › B. Activities of the TLO ¶1 (p. 2)`: short labels, full last title."""
        parts = list(self.section_labels[:-1]) + list(self.section[-1:])
        path = DISPLAY_SEP.join(parts) if parts else self.doc
        return f"{path} ¶{self.number} (p. {self.page})"

    def to_dict(self) -> dict:
        data = asdict(self)
        data["section"] = list(self.section)
        data["section_labels"] = list(self.section_labels)
        return data

    @classmethod
    def from_dict(cls, data: dict) -> Paragraph:
        return cls(
            doc=data["doc"],
            ref=data["ref"],
            section=tuple(data["section"]),
            section_labels=tuple(data["section_labels"]),
            number=int(data["number"]),
            page=int(data["page"]),
            kind=data["kind"],
            text=data["text"],
        )


@dataclass(frozen=True)
class Chunk:
    """A piece of one paragraph short enough for MiniLM to read whole."""

    id: str
    ref: str
    doc: str
    text: str
    embed_text: str


@dataclass
class Citation:
    """A retrieved paragraph as the answer cites it; `score` is the retrieval score."""

    ref: str
    doc: str
    section: str
    paragraph: int
    page: int
    text: str
    score: float
    display: str = ""

    def to_json(self) -> dict:
        return {
            "ref": self.ref,
            "doc": self.doc,
            "section": self.section,
            "paragraph": self.paragraph,
            "page": self.page,
            "text": self.text,
            "score": round(float(self.score), 6),
        }


# A reply leads with its short answer, then this, then the sentence it comes from (`34 TLOs — As of …`).
LEAD_SEPARATOR = " — "


@dataclass(frozen=True)
class Reason:
    """Why the answer step abstained: the rule that decided and what it saw."""

    rule: str
    detail: str

    def to_json(self) -> dict:
        return {"rule": self.rule, "detail": self.detail}


@dataclass(frozen=True)
class Check:
    """One rule's verdict on a passage or sentence: `detail` is None when it passes."""

    rule: str
    detail: str | None
    enabled: bool = True

    @property
    def passed(self) -> bool:
        return self.detail is None


@dataclass
class PassageTrace:
    """A passage the answer step read, its scores and the passage rules' verdicts (for --explain)."""

    citation: Citation
    coverage: float
    checks: list[Check] = field(default_factory=list)


@dataclass
class SentenceTrace:
    """A candidate sentence and its score; `similarity` only for the few the question vector re-scored."""

    ref: str
    text: str
    score: float
    similarity: float | None = None


@dataclass
class Trace:
    """What `ask --explain` shows: the passages and sentences considered, and every rule's verdict."""

    passages: list[PassageTrace] = field(default_factory=list)
    sentences: list[SentenceTrace] = field(default_factory=list)
    chosen: SentenceTrace | None = None
    checks: list[Check] = field(default_factory=list)  # sentence and span rules on the chosen sentence
    note: str = ""  # how the answer was reached when no sentence was judged (the acronym table)


@dataclass
class Answer:
    """What `ask` returns: a short answer (None when abstaining) and its citations, best first."""

    question: str
    answer: str | None
    abstained: bool
    citations: list[Citation] = field(default_factory=list)
    quote: str = ""
    reason: Reason | None = None  # set when abstaining
    retrieved: list[Citation] = field(default_factory=list)
    trace: Trace | None = None  # only when asked to explain
    focus: str | None = None  # the document the question was kept to, when the index holds several
    parts: list[Answer] = field(default_factory=list)  # a compound question's answers, part by part

    def to_json(self) -> dict:
        out = {
            "question": self.question,
            "answer": self.answer,
            "abstained": self.abstained,
            "reason": self.reason.to_json() if self.reason else None,
            "focus": self.focus,
            "citations": [c.to_json() for c in self.citations],
        }
        if self.parts:
            out["parts"] = [p.to_json() for p in self.parts]
        return out
