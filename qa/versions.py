"""What an answer says about the other versions of the document it comes from.

At index time qa.editions finds the documents that are editions of one work and the manifest
lists them newest first (`versions`); retrieval searches only the newest of each (qa.retrieve).
After an answer, `Versions.compare` asks the same question of every other edition of the cited
document and says whether it agrees, in one line:

    R48905.2 (April 2026; an earlier version, R48905.1, says the same)
    R48905.2 (April 2026; an earlier version, R48905.1, says otherwise: 12 agencies)

`ask --all-versions` shows each edition's own answer. `describe` gives the line `qa sources`
prints under a document that has other versions or byte-identical copies.
Not here: recognising editions (qa.editions) or printing answers (qa.render).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from qa.editions import Edition, is_copy
from qa.records import LEAD_SEPARATOR, Answer


@dataclass
class VersionAnswer:
    """One edition's answer to the question, and how it relates to the edition answered from."""

    edition: Edition
    answer: Answer
    role: str  # "answered from", "earlier version", "later version", "copy"
    agrees: bool | None = None  # None: this edition does not answer

    @property
    def heading(self) -> str:
        """`R48905.1 (earlier version, 2026-04-14):`, the line above this edition's answer."""
        return f"{self.edition.label} ({', '.join(x for x in (self.role, self.edition.date) if x)}):"

    def to_json(self, with_answer: bool) -> dict:
        data = {
            "doc": self.edition.doc,
            "file": self.edition.name,
            "label": self.edition.label,
            "date": self.edition.date,
            "version": ".".join(map(str, self.edition.version)),
            "role": self.role,
            "agrees": self.agrees,
        }
        if with_answer:
            data.update(self.answer.to_json())
        return data


@dataclass
class VersionReport:
    note: str
    answers: list[VersionAnswer] = field(default_factory=list)  # the edition answered from first

    def to_json(self, with_answers: bool = False) -> dict:
        return {"note": self.note, "editions": [a.to_json(with_answers) for a in self.answers]}


class Versions:
    """The editions recorded in an index manifest, by document."""

    def __init__(self, manifest: dict) -> None:
        self.editions = {doc: Edition.from_json(e) for doc, e in manifest.get("editions", {}).items()}
        self.works: dict[str, list[Edition]] = {}
        for work in manifest.get("versions", []):
            members = [self.editions[d] for d in work if d in self.editions]
            for edition in members:
                self.works[edition.doc] = members
        self.duplicates: dict[str, list[str]] = {}
        files = {e.name: e.doc for e in self.editions.values()}
        for copy, original in manifest.get("duplicates", {}).items():
            if original in files:
                self.duplicates.setdefault(files[original], []).append(copy)

    def compare(self, answerer, answer: Answer, k: int, section: str | None = None, vector=None
                ) -> VersionReport | None:
        """Ask `answer.question` of the other editions of the answer's document (None: it has none)."""
        if answer.abstained or not answer.citations:
            return None
        doc = answer.citations[0].doc
        work = self.works.get(doc)
        if not work:
            return None
        main = self.editions[doc]
        results = [VersionAnswer(main, answer, "answered from", True)]
        for other in work:
            if other.doc == doc:
                continue
            got = answerer.ask(answer.question, k, doc=other.doc, section=section, vector=vector)
            agrees = None if got.abstained or not got.answer else same_answer(answer, got)
            results.append(VersionAnswer(other, got, _role(main, other), agrees))
        return VersionReport(note(main, results[1:]), results)

    def record(self, doc: str) -> dict:
        """`qa sources --json`: the document's versions (newest first), whether it is searched, its copies."""
        work = self.works.get(doc, [])
        return {"versions": [e.doc for e in work], "searched": not work or work[0].doc == doc,
                "duplicates": sorted(self.duplicates.get(doc, []))}

    def describe(self, doc: str) -> str:
        """`qa sources`: how a document relates to its other versions and copies ('' when alone)."""
        parts = []
        work = self.works.get(doc)
        if work:
            newest = work[0]
            if newest.doc == doc:
                others = ", ".join(_dated(e) for e in work[1:])
                parts.append(f"newest of {len(work)} versions; answers come from it (also indexed: {others})")
            else:
                role = "another copy" if is_copy(newest, self.editions[doc]) else "an earlier version"
                parts.append(f"{role} of {_dated(newest)}: searched with --doc or ask --all-versions")
        if self.duplicates.get(doc):
            parts.append("byte-identical copies indexed once: " + ", ".join(sorted(self.duplicates[doc])))
        return "; ".join(parts)


def _dated(edition: Edition) -> str:
    return f"{edition.label} ({edition.date})" if edition.date else edition.label


def _role(main: Edition, other: Edition) -> str:
    if is_copy(main, other):
        return "copy"
    return "earlier version" if other.newness() < main.newness() else "later version"


def _lead(answer: Answer) -> str:
    head = (answer.answer or "").partition(LEAD_SEPARATOR)[0]
    return " ".join(re.findall(r"\w+", head.casefold()))


def same_answer(a: Answer, b: Answer) -> bool:
    """The same short answer (ignoring case and punctuation), or the same quoted sentence."""
    return _lead(a) == _lead(b) or (bool(a.quote) and a.quote == b.quote)


_ROLE_NAMES = {
    "earlier version": ("an earlier version", "earlier versions"),
    "later version": ("a later version", "later versions"),
    "copy": ("another copy", "other copies"),
}


def note(main: Edition, others: list[VersionAnswer]) -> str:
    """`R48905.2 (April 2026; an earlier version, R48905.1, says the same)`."""
    clauses = []
    for role, (one, many) in _ROLE_NAMES.items():
        for outcome in (True, False, None):
            group = [a for a in others if a.role == role and a.agrees is outcome]
            if not group:
                continue
            labels = [a.edition.label for a in group]
            if outcome is True:
                verb = "says the same" if len(group) == 1 else "say the same"
            elif outcome is None:
                verb = "does not answer it" if len(group) == 1 else "do not answer it"
            elif len(group) == 1:
                verb = f"says otherwise: {_short(group[0].answer)}"
            else:
                verb = "say otherwise (" + "; ".join(f"{a.edition.label}: {_short(a.answer)}" for a in group) + ")"
            who = f"{one}, {labels[0]}," if len(group) == 1 else f"{many} {' and '.join(labels)}"
            clauses.append(f"{who} {verb}")
    inside = "; ".join(c for c in [main.month, *clauses] if c)
    return f"{main.label} ({inside})" if inside else main.label


def _short(answer: Answer, words: int = 12) -> str:
    head = (answer.answer or "").partition(LEAD_SEPARATOR)[0].split()
    return " ".join(head[:words]) + (" …" if len(head) > words else "")
