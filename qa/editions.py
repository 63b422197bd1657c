"""Recognise versions of one document: which files are editions of the same work, and which is newest.

Works from what a library has to hand: the file name (`R48905.2.pdf`, `IF11643v21-….md`,
`…_2nd_edition.pdf`) and the text of the document's first page (its title, a date such as
`Updated April 14, 2026` or `Publication Date: 04/14/2026`, a report number, `Version: 2`).
Two documents are editions of one work when they carry the same report number, or, when they do
not both carry one, the same title. Within a work the newest is the one with the latest date, then
the highest version; documents equal on both are copies of one edition (a PDF and its web page),
and the first by format (PDF, Markdown, text) then name stands for them.

Byte-identical files are found earlier, by hash (`split_duplicates`), and indexed once.
Not here: what an answer says about versions (qa.versions), or reading files.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from pathlib import PurePosixPath

MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
          "november", "december")
_MONTH = r"(January|February|March|April|May|June|July|August|September|October|November|December)"
_DAY_DATE = re.compile(rf"\b(?:(Updated|Revised|Published)\s+(?:on\s+)?)?{_MONTH}\s+(\d{{1,2}}),\s+((?:19|20)\d\d)\b")
_MONTH_DATE = re.compile(rf"\b(?:(Updated|Revised|Published)\s+)?{_MONTH}\s+((?:19|20)\d\d)\b")
_NUMERIC_DATE = re.compile(
    r"\b(?:Publication|Publish|Release|Issue)d?\s+Date:?\**:?\s*(\d{1,2})/(\d{1,2})/((?:19|20)\d\d)"
)
# A report number in the file name (`R48905`, `RL30857`, `IF11643`, `98-317`) and the version after it.
_NAME_ID = re.compile(r"^([A-Za-z]{1,4}\d{3,6}|\d{2}-\d{3,4})(?:\.(\d{1,3})|v(\d{1,3}))?(?=$|[-_ .])")
_TEXT_NUMBER = re.compile(r"\bReport No\.?:?\**:?\s*([A-Za-z]{0,4}\d{2,6}(?:-\d{1,4})?)")
_NAME_VERSION = re.compile(r"(?:^|[-_ .])(?:v|ver|version|rev)[-_ ]?(\d{1,3}(?:\.\d{1,3})*)(?=$|[-_ .])", re.I)
_TEXT_VERSION = re.compile(r"\b(?:Version|Revision|Rev\.)\s*:?\**:?\s*(\d{1,3}(?:\.\d{1,3})*)\b")
_ORDINALS = ("first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth")
_EDITION = re.compile(rf"\b(?:(\d{{1,2}})(?:st|nd|rd|th)|({'|'.join(_ORDINALS)}))[-_ ]edition\b", re.I)
# First-page lines that are never the title.
_BOILERPLATE = re.compile(
    r"^(?:updated\b|revised\b|congressional research service|crs report|https?://|www\.|contents\b|summary\b"
    r"|\*\*|---|\[|\||page \d|\d+$)",
    re.I,
)
FORMAT_ORDER = (".pdf", ".md", ".markdown", ".txt")
FIRST_PAGE_PARAGRAPHS = 12
MIN_TITLE_WORDS = 3
# A bare date on a line this short is the cover's date.
DATE_LINE_CHARS = 40


@dataclass(frozen=True)
class Edition:
    """What a document says about which edition it is ('' / () when it does not say)."""

    name: str
    doc: str
    title: str = ""
    number: str = ""
    version: tuple[int, ...] = ()
    date: str = ""  # ISO: YYYY-MM-DD, or YYYY-MM when the day is not given
    updated: bool = False

    @property
    def label(self) -> str:
        """The file name without its extension: `R48905.2`."""
        return PurePosixPath(self.name).name.rsplit(".", 1)[0] if "." in self.name else self.name

    @property
    def month(self) -> str:
        """`April 2026` (or '' without a date)."""
        if not self.date:
            return ""
        year, month = self.date.split("-")[:2]
        return f"{MONTHS[int(month) - 1].title()} {year}"

    def newness(self) -> tuple:
        return (self.date, self.version)

    def to_json(self) -> dict:
        data = asdict(self)
        data["version"] = list(self.version)
        return data

    @classmethod
    def from_json(cls, data: dict) -> Edition:
        return cls(**{**data, "version": tuple(data.get("version", ()))})


def first_page_text(paragraphs: Sequence) -> list[str]:
    """The texts of the first page's first paragraphs, headings included, in order."""
    if not paragraphs:
        return []
    first = min(p.page for p in paragraphs)
    return [p.text for p in paragraphs if p.page == first][:FIRST_PAGE_PARAGRAPHS]


def read_edition(name: str, doc: str, first_page: list[str]) -> Edition:
    """An Edition from a file name and the texts of its first page (see `first_page_text`)."""
    text = "\n".join(first_page)
    stem = PurePosixPath(name).name.rsplit(".", 1)[0] if "." in PurePosixPath(name).name else name
    number, version = "", ()
    found = _NAME_ID.match(stem)
    # A file-name id counts as a report number only when the first page carries it too.
    if found and re.search(rf"(?<![\w-]){re.escape(found.group(1))}(?![\w-])", text, re.I):
        number = found.group(1).upper()
        if found.group(2) or found.group(3):
            version = (int(found.group(2) or found.group(3)),)
    elif (named := _TEXT_NUMBER.search(text)) is not None:
        number = named.group(1).upper()
    if not version:
        version = _version(stem, text)
    date, updated = _date(first_page)
    return Edition(name, doc, _title(first_page), number, version, date, updated)


def _version(stem: str, text: str) -> tuple[int, ...]:
    for pattern, source in ((_NAME_VERSION, stem), (_TEXT_VERSION, text)):
        found = pattern.search(source)
        if found:
            return tuple(int(x) for x in found.group(1).split("."))
    edition = _EDITION.search(stem.replace("_", " ")) or _EDITION.search(text)
    if edition:
        return (int(edition.group(1)) if edition.group(1) else _ORDINALS.index(edition.group(2).lower()) + 1,)
    return ()


def _date(lines: list[str]) -> tuple[str, bool]:
    """The cover date (ISO) and whether it says `Updated`/`Revised`: the first labelled date
    (`Updated April 14, 2026`, `Publication Date: 04/14/2026`) or date standing on a short line of
    its own; a date inside the running text is about something else."""
    for line in lines:
        found = _NUMERIC_DATE.search(line)
        if found:
            return f"{found.group(3)}-{int(found.group(1)):02d}-{int(found.group(2)):02d}", False
        for pattern in (_DAY_DATE, _MONTH_DATE):
            found = pattern.search(line)
            if found and (found.group(1) or len(line.strip()) <= DATE_LINE_CHARS):
                month = MONTHS.index(found.group(2).lower()) + 1
                day = f"-{int(found.group(3)):02d}" if pattern is _DAY_DATE else ""
                return f"{found.group(found.lastindex)}-{month:02d}{day}", bool(found.group(1))
    return "", False


def _title(first_page: list[str]) -> str:
    """The first page's title: its leading lines up to the first date or boilerplate line (at most 3)."""
    parts: list[str] = []
    for line in first_page:
        line = line.strip()
        if not line:
            continue
        dated = _DAY_DATE.match(line) or _MONTH_DATE.match(line) or _NUMERIC_DATE.search(line)
        if dated or _BOILERPLATE.match(line) or len(line) > 200:
            if parts:
                break
            continue
        if parts and line == parts[-1]:
            continue
        parts.append(line)
        if len(parts) == 3 or not parts[-1].endswith((":", "—", "–", "-", ",")):
            break
    return " ".join(parts)


def title_key(title: str) -> str:
    return " ".join(re.findall(r"[a-z0-9]+", title.casefold()))


def same_work(a: Edition, b: Edition) -> bool:
    if a.number and b.number:
        return a.number == b.number
    key = title_key(a.title)
    return len(key.split()) >= MIN_TITLE_WORDS and key == title_key(b.title)


def _format_rank(name: str) -> int:
    suffix = PurePosixPath(name).suffix.lower()
    return FORMAT_ORDER.index(suffix) if suffix in FORMAT_ORDER else len(FORMAT_ORDER)


def newest_first(editions: Iterable[Edition]) -> list[Edition]:
    """Latest date, then highest version; among equals (copies) by format, then name."""
    ordered = sorted(editions, key=lambda e: (_format_rank(e.name), e.name))
    return sorted(ordered, key=Edition.newness, reverse=True)


def group(editions: Sequence[Edition]) -> list[list[Edition]]:
    """Works (lists of editions, newest first), in the order their first edition appears."""
    parent = list(range(len(editions)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i, a in enumerate(editions):
        for j in range(i):
            if same_work(a, editions[j]):
                parent[root(i)] = root(j)
    works: dict[int, list[Edition]] = {}
    for i, edition in enumerate(editions):
        works.setdefault(root(i), []).append(edition)
    return [newest_first(members) for members in works.values()]


def is_copy(a: Edition, b: Edition) -> bool:
    """Two editions of one work that no date or version tells apart."""
    return a.newness() == b.newness()


def split_duplicates(files: Sequence) -> tuple[list, dict[str, str]]:
    """Files with distinct bytes (the first by name of each hash), and each other file → the one it repeats.

    `files` are qa.corpus.SourceFile records (name, sha256), sorted by name.
    """
    first: dict[str, str] = {}
    unique, duplicates = [], {}
    for source in files:
        if source.sha256 in first:
            duplicates[source.name] = first[source.sha256]
        else:
            first[source.sha256] = source.name
            unique.append(source)
    return unique, duplicates
