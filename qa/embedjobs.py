"""What a build embeds: one job per chunk, carrying the places of the sentences it holds.

The answer step compares the question with candidate sentences, so every sentence of a
searchable paragraph needs a vector. Embedding each sentence on its own doubled the work of a
build (the library: 0.66 M word-pieces of chunks, 0.58 M more of sentences). Instead a sentence's
vector is pooled from the pass over the chunk that holds it (qa.embed.EmbedJob); only a sentence
that no chunk holds whole (one longer than a chunk, cut on words) is embedded alone.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from qa.chunk import SEARCHABLE_KINDS
from qa.embed import Embedded, EmbedJob
from qa.records import Chunk, Paragraph
from qa.sentences import paragraph_sentences


def sentence_groups(paragraphs: list[Paragraph]) -> list[list[str]]:
    """The sentences that get a vector, per paragraph: headings are never answers, so they get none."""
    return [paragraph_sentences(p.text) if p.kind in SEARCHABLE_KINDS else [] for p in paragraphs]


def embed_jobs(
    paragraphs: list[Paragraph], chunks: list[Chunk], groups: list[list[str]] | None = None
) -> list[EmbedJob]:
    """One job per distinct chunk text, with the spans of its paragraph's sentences inside it,
    then one job per sentence that no chunk of its paragraph holds whole (`groups`: the
    paragraphs' `sentence_groups`, when the caller has them already)."""
    by_ref: dict[str, list[Chunk]] = {}
    for chunk in chunks:
        by_ref.setdefault(chunk.ref, []).append(chunk)
    held: dict[str, list[tuple[str, tuple[int, int]]]] = {c.id: [] for c in chunks}
    alone: list[str] = []
    groups = sentence_groups(paragraphs) if groups is None else groups
    for paragraph, sentences in zip(paragraphs, groups, strict=True):
        own = by_ref.get(paragraph.ref, [])
        at, cursor = 0, 0
        for sentence in sentences:
            found = _find(own, sentence, at, cursor)
            if found is None:
                alone.append(sentence)
                continue
            at, start = found
            chunk = own[at]
            offset = len(chunk.embed_text) - len(chunk.text)  # the section title in front
            held[chunk.id].append((sentence, (offset + start, offset + start + len(sentence))))
            cursor = start + len(sentence)
    jobs: dict[str, EmbedJob] = {}
    for chunk in chunks:
        if chunk.embed_text not in jobs:
            pairs = held[chunk.id]
            jobs[chunk.embed_text] = EmbedJob(
                chunk.embed_text, tuple(s for s, _ in pairs), tuple(span for _, span in pairs)
            )
    out = list(jobs.values())
    return out + [EmbedJob.alone(s) for s in dict.fromkeys(alone)]


def _find(chunks: list[Chunk], sentence: str, at: int, cursor: int) -> tuple[int, int] | None:
    """(chunk index, character position) of `sentence` in `chunks`, searching on from chunk `at`, position `cursor`."""
    for i in range(at, len(chunks)):
        start = chunks[i].text.find(sentence, cursor if i == at else 0)
        if start >= 0:
            return i, start
    return None


def key(job: EmbedJob) -> tuple[str, bool]:
    """Jobs with this key are the same work (a chunk text, or a sentence embedded alone)."""
    return job.text, job.chunk


@dataclass
class Vectors:
    """The vectors a build knows, by text: chunks' and sentences' apart (a one-sentence paragraph
    with no section title has both, and they differ: the sentence's leaves out [CLS] and [SEP])."""

    chunks: dict[str, np.ndarray] = field(default_factory=dict)
    sentences: dict[str, np.ndarray] = field(default_factory=dict)
    made_chunks: set[str] = field(default_factory=set)
    made_sentences: set[str] = field(default_factory=set)

    def needs(self, job: EmbedJob) -> bool:
        """Does `job` give a vector not known yet?"""
        return (job.chunk and job.text not in self.chunks) or any(s not in self.sentences for s in job.sentences)

    def add(self, job: EmbedJob, got: Embedded) -> None:
        """Keep what `job` gave that is not known yet (a text keeps its first vector)."""
        if job.chunk and job.text not in self.chunks:
            self.chunks[job.text] = got.vector
            self.made_chunks.add(job.text)
        for sentence, vector in zip(job.sentences, got.sentences, strict=True):
            if sentence not in self.sentences:
                self.sentences[sentence] = vector
                self.made_sentences.add(sentence)
