"""A build embeds each chunk once and pools its sentences' vectors from that pass.

Checked: every sentence of a searchable paragraph is found in its chunk (the span gives the
sentence back) or embedded alone; headings get none; the index stores, for every sentence, the
vector that pooling gives.
"""

from __future__ import annotations

import numpy as np

from qa.chunk import chunk_paragraphs
from qa.embed import EmbedJob, MiniLM, TokenCounter
from qa.embedjobs import Vectors, embed_jobs, sentence_groups
from qa.records import Paragraph
from qa.store import Snapshot


def paragraph(ref: str, text: str, kind: str = "body", section: tuple[str, ...] = ("1. Funding",)) -> Paragraph:
    return Paragraph("crs", ref, section, ("1",), 1, 1, kind, text)


def test_every_sentence_is_found_in_its_chunk_or_embedded_alone():
    long_sentence = "The programme funds " + " ".join(f"project{n}" for n in range(260)) + "."
    paragraphs = [
        paragraph("s1", "1. Funding", kind="heading", section=()),
        paragraph("s1.p1", "EDA received $468 million in FY2024. It was created in 1965. It has six regions."),
        paragraph("s1.p2", f"Short first sentence. {long_sentence} A short last one."),
        paragraph("s1.p3", "EDA received $468 million in FY2024."),
    ]
    chunks = chunk_paragraphs(paragraphs, TokenCounter())
    assert len([c for c in chunks if c.ref == "s1.p2"]) >= 2  # the long sentence was cut on words
    jobs = embed_jobs(paragraphs, chunks)
    placed = {s for job in jobs for s in job.sentences}
    wanted = {s for group in sentence_groups(paragraphs) for s in group}
    assert placed == wanted and "1. Funding" not in placed
    for job in jobs:
        for sentence, (a, b) in zip(job.sentences, job.spans, strict=True):
            assert job.text[a:b] == sentence
    alone = [job for job in jobs if not job.chunk]
    assert [job.text for job in alone] == [long_sentence]
    assert len({job.text for job in jobs if job.chunk}) == len({c.embed_text for c in chunks})


def test_vectors_keep_chunks_and_sentences_apart():
    """A one-sentence paragraph with no section title has one text for both; each keeps its own vector."""
    text = "EDA received $468 million in FY2024."
    job = EmbedJob(text, (text,), ((0, len(text)),))
    got = MiniLM().encode_jobs([job])[0]
    known = Vectors()
    assert known.needs(job)
    known.add(job, got)
    assert not known.needs(job) and not known.needs(EmbedJob.alone(text))
    assert float(known.chunks[text] @ known.sentences[text]) < 0.9999  # [CLS] and [SEP] are in one only
    assert known.made_chunks == {text} and known.made_sentences == {text}


def test_the_index_stores_each_sentence_its_pooled_vector(session_index):
    snapshot = Snapshot.open(session_index)
    paragraphs = list(snapshot.paragraphs)
    jobs = embed_jobs(paragraphs, list(snapshot.chunks))
    results = MiniLM().encode_jobs(jobs)
    pooled = {}
    for job, got in zip(jobs, results, strict=True):
        for sentence, vector in zip(job.sentences, got.sentences, strict=True):
            pooled.setdefault(sentence, vector)
    checked = 0
    for p, group in zip(paragraphs, sentence_groups(paragraphs), strict=True):
        for number, sentence in enumerate(group):
            assert float(snapshot.sentence_vector(p.ref, number) @ pooled[sentence]) >= 0.9999
            checked += 1
    assert checked >= 200
    assert np.allclose(np.linalg.norm(np.asarray(snapshot.sentence_vectors), axis=1), 1.0, atol=1e-4)
