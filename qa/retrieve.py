"""Hybrid retrieval: BM25 and MiniLM over chunks, fused by reciprocal rank, scored per paragraph.

Questions are widened with acronyms learned from the corpus (`TLO` ⇄ `Technology Licensing
Organization`) before lexical search. Dense search reads the vectors saved with the index
(exact cosine with numpy), or asks a Chroma server in server mode; both hold the same vectors.
Filters (`doc`, `section` prefix) restrict both searches alike. Earlier versions of a document
(qa.editions: the index's `versions`) are left out unless `doc` names one: answers come from the
newest version, and qa.versions compares it with the others.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property

import numpy as np

from qa.embed import MiniLM
from qa.records import Chunk, Paragraph
from qa.store import Snapshot, in_section
from qa.text import terms

RRF_K = 20
DENSE_WEIGHT = 0.7
LEXICAL_WEIGHT = 1.0
# A document's title stands in its first paragraphs (a cover's lines, or a heading and the lead).
OPENING_PARAGRAPHS = 4
EXPANSION_WEIGHT = 0.6
CANDIDATES = 40
# A question that speaks of a figure, its notes or its source wants those paragraphs: they get this
# extra fused score (a rank-1 RRF share is 1/21 ≈ 0.048).
STRUCTURE_BONUS = 0.02
_STRUCTURE = (
    (r"\b(figures?|charts?|graphs?|diagrams?|tables?|captions?)\b", ("caption", "figure", "source")),
    (r"\b(notes?|sources?)\b", ("source",)),
    (r"\bfootnotes?\b", ("footnote",)),
    (r"\b(web ?address|url|web ?site|web ?page|home ?page|links?)\b", ("url",)),
)


@dataclass
class Hit:
    """A retrieved paragraph, its fused score, and the chunk that matched best."""

    paragraph: Paragraph
    score: float
    chunk: Chunk
    dense: float
    lexical: float


class Retriever:
    def __init__(self, snapshot: Snapshot, encoder: MiniLM | None = None, chroma_url: str | None = None) -> None:
        self.snapshot = snapshot
        self._encoder = encoder
        self.chroma_url = chroma_url

    @cached_property
    def hidden(self) -> set[str]:
        """Documents searched only when named: every edition of a work but its newest."""
        works = self.snapshot.manifest.get("versions", [])
        return {doc for work in works for doc in work[1:]}

    @cached_property
    def _shown(self) -> np.ndarray | None:
        """Chunk mask of the documents searched by default (None: all of them)."""
        if not self.hidden:
            return None
        # From the refs (`doc:…`, in row order), so no paragraph record has to be parsed.
        keep = np.array([ref.split(":", 1)[0] not in self.hidden for ref in self.snapshot.position], dtype=bool)
        return keep[self.snapshot.chunk_paragraphs]

    @cached_property
    def _chunk_docs(self) -> tuple[list[str], np.ndarray]:
        """The documents, and the index into them of each chunk's document (from the refs, `doc:…`)."""
        row_docs = [ref.split(":", 1)[0] for ref in self.snapshot.position]
        names = list(dict.fromkeys(row_docs))
        number = {name: i for i, name in enumerate(names)}
        rows = np.array([number[d] for d in row_docs], dtype=np.int32)
        return names, rows[self.snapshot.chunk_paragraphs] if len(rows) else rows

    @cached_property
    def searched_docs(self) -> int:
        """How many documents a question is searched in by default (earlier versions left out)."""
        return len([d for d in self._chunk_docs[0] if d not in self.hidden])

    def within(self, doc: str) -> np.ndarray:
        """Chunk mask of one document, by its id."""
        names, docs = self._chunk_docs
        return docs == names.index(doc) if doc in names else np.zeros(len(docs), dtype=bool)

    @cached_property
    def _openings(self) -> dict[str, str]:
        return {}

    def opening(self, doc: str) -> str:
        """The text of a document's first paragraphs, where its title stands (`Artificial Intelligence
        Risk Management Framework (AI RMF 1.0)`)."""
        if doc not in self._openings:
            refs = [ref for ref in self.snapshot.position if ref.startswith(f"{doc}:")][:OPENING_PARAGRAPHS]
            self._openings[doc] = " ".join(self.snapshot.by_ref[ref].text for ref in refs)
        return self._openings[doc]

    def local_idf(self, doc: str, words: list[str]) -> dict[str, float]:
        """IDF of each word over the chunks of one document: inside the World Bank's paper `world`,
        `bank` and `edtech` are everywhere and tell its paragraphs apart no better than `the`."""
        mine = self.within(doc)
        return {word: self.snapshot.bm25.idf(word, mine) for word in dict.fromkeys(words)}

    @cached_property
    def chunk_rows(self) -> dict[str, int]:
        """Row of each chunk id (server mode maps Chroma's answers back to rows)."""
        return {c.id: i for i, c in enumerate(self.snapshot.chunks)}

    @property
    def encoder(self) -> MiniLM:
        if self._encoder is None:
            self._encoder = MiniLM()
        return self._encoder

    def allowed(self, doc: str | None, section: str | None) -> np.ndarray | None:
        """Boolean mask over chunks for the filters, or None when everything may be searched.

        Without `doc`, earlier versions of a document are left out (see `hidden`).
        """
        if not doc and not section:
            return self._shown
        keep = np.zeros(len(self.snapshot.paragraphs), dtype=bool)
        for row, p in enumerate(self.snapshot.paragraphs):
            if doc and doc.lower() not in self.snapshot.doc_names(p.doc):
                continue
            if not doc and p.doc in self.hidden:
                continue
            if section and not _section_matches(p, section):
                continue
            keep[row] = True
        return keep[self.snapshot.chunk_paragraphs]

    def embed(self, questions: list[str]) -> np.ndarray:
        return self.encoder.encode(questions)

    def search(
        self,
        question: str,
        k: int,
        doc: str | None = None,
        section: str | None = None,
        vector: np.ndarray | None = None,
        focus: str | None = None,
        scale: dict[str, float] | None = None,
    ) -> list[Hit]:
        """The `k` best paragraphs; `focus` keeps to one document (by id), `scale` multiplies words' BM25 weights."""
        mask = self.within(focus) if focus else self.allowed(doc, section)
        if mask is not None and not mask.any():
            return []
        query_terms = terms(question)
        expansion = self.snapshot.acronyms.expand_terms(question)
        weights = {t: EXPANSION_WEIGHT for t in expansion}
        for word, factor in (scale or {}).items():
            weights[word] = weights.get(word, 1.0) * factor
        lexical = self.snapshot.bm25.scores(query_terms + expansion, weights)
        if vector is None:
            vector = self.embed([question])[0]
        dense = self._dense(vector, mask)
        if mask is not None:
            lexical = np.where(mask, lexical, -1.0)
        fused = np.zeros(len(self.snapshot.chunks), dtype=np.float32)
        for scores, weight in ((dense, DENSE_WEIGHT), (lexical, LEXICAL_WEIGHT)):
            order = np.argsort(-scores, kind="stable")[:CANDIDATES]
            for rank, row in enumerate(order):
                if scores[row] > 0 or (weight == DENSE_WEIGHT and scores[row] > -1):
                    fused[row] += weight / (RRF_K + rank + 1)
        kinds = structure_kinds(question)
        if kinds and STRUCTURE_BONUS:
            for row in np.flatnonzero(fused > 0):
                if self.snapshot.paragraphs[int(self.snapshot.chunk_paragraphs[row])].kind in kinds:
                    fused[row] += STRUCTURE_BONUS
        best: dict[str, Hit] = {}
        for row in np.argsort(-fused, kind="stable")[: max(CANDIDATES, k * 4)]:
            if fused[row] <= 0:
                break
            chunk = self.snapshot.chunks[row]
            if chunk.ref not in best:
                best[chunk.ref] = Hit(
                    self.snapshot.by_ref[chunk.ref], float(fused[row]), chunk, float(dense[row]), float(lexical[row])
                )
        hits = sorted(best.values(), key=lambda h: -h.score)
        return hits[:k]

    def _dense(self, vector: np.ndarray, mask: np.ndarray | None) -> np.ndarray:
        if self.chroma_url:
            from qa import chroma

            refs, exclude = None, None
            if mask is self._shown and mask is not None:  # only earlier versions left out: name those
                exclude = sorted(self.hidden)
            elif mask is not None:
                refs = sorted({self.snapshot.chunks[i].ref for i in np.flatnonzero(mask)})
            scores = np.full(len(self.snapshot.chunks), -1.0, dtype=np.float32)
            for chunk_id, score in chroma.query(vector, CANDIDATES, url=self.chroma_url, refs=refs,
                                                exclude_docs=exclude):
                if chunk_id in self.chunk_rows:
                    scores[self.chunk_rows[chunk_id]] = score
            return scores
        scores = np.asarray(self.snapshot.vectors @ vector, dtype=np.float32)
        if mask is not None:
            scores = np.where(mask, scores, -1.0)
        return scores


def structure_kinds(question: str) -> set[str]:
    """Paragraph kinds a question points at by naming a part of the page (`the figure notes`)."""
    low = question.lower()
    return {kind for pattern, kinds in _STRUCTURE if re.search(pattern, low) for kind in kinds}


_SECTION_REF = re.compile(r"^(?:[\w.-]+:)?(s[\w-]*(?:\.[\w-]+)*|intro|[a-z]+-[\w-]+(?:\.[\w-]+)*)$", re.IGNORECASE)


def _section_matches(paragraph: Paragraph, prefix: str) -> bool:
    """A section ref (`s1.1`, `r46991-32:s3`), a heading's leading words in any case (`agency over`),
    `Section 3`, `Section 3 › ❶` or any leading part of the section path."""
    ref = _SECTION_REF.match(prefix.strip())
    if ref and (":" not in prefix or paragraph.ref.lower().startswith(prefix.split(":", 1)[0].lower() + ":")):
        if in_section(paragraph.ref, ref.group(1).lower()):
            return True
    want = [p.strip().lower() for p in prefix.replace("›", ">").split(">") if p.strip()]
    have = [s.lower() for s in paragraph.section]
    labels = [s.lower() for s in paragraph.section_labels]
    if len(want) > len(have):
        return False
    for i, part in enumerate(want):
        if not (
            have[i] == part
            or have[i].startswith(part + " ")
            or labels[i] == part
            or (len(part) > 12 and have[i].startswith(part))
            or (len(want) == 1 and len(part) >= 4 and any(h.startswith(part) for h in have))
        ):
            return False
    return True
