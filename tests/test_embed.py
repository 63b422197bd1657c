"""qa's two MiniLM encoders give the vectors sentence-transformers gives.

`ask` never imports torch: it embeds questions with qa.embed.MiniLM, a numpy forward pass over
the packaged all-MiniLM-L6-v2 weights, while index builds embed chunks with
qa.embed.SentenceEncoder. If either drifts from the model, dense retrieval silently degrades, so
both are checked against sentence-transformers itself (the reference implementation, loaded from
the same packaged folder) on the same texts: chunks of the bundled corpus, the golden questions
and one paragraph longer than the model's 256 word-pieces (all must truncate alike).
"""

from __future__ import annotations

import numpy as np
import pytest

from qa import config
from qa.embed import EmbedJob, MiniLM, SentenceEncoder, TokenCounter
from qa.store import Snapshot

MIN_COSINE = 0.999


@pytest.fixture(scope="module")
def snapshot(session_index):
    return Snapshot.open(session_index)


@pytest.fixture(scope="module")
def texts(snapshot, golden):
    """Every other chunk by length (13 to 200 word-pieces), all golden questions, one over-long paragraph."""
    chunks = sorted(snapshot.chunks, key=lambda c: len(c.embed_text))[::2][:48]
    longest = max(snapshot.paragraphs, key=lambda p: len(p.text)).text
    assert TokenCounter()(longest) > 400
    texts = [c.embed_text for c in chunks] + [g["question"] for g in golden] + [longest]
    assert len(texts) >= 200
    return texts


def reference_encode(texts: list[str]) -> np.ndarray:
    """sentence-transformers on the packaged model, as its model card says to use it."""
    config.go_offline()
    from sentence_transformers import SentenceTransformer

    model = SentenceTransformer(str(config.model_path()), device="cpu")
    assert model.max_seq_length == config.MAX_MODEL_TOKENS
    return model.encode(texts, normalize_embeddings=True, convert_to_numpy=True, show_progress_bar=False)


@pytest.fixture(scope="module")
def vectors(texts):
    """Vectors for `texts` from MiniLM (numpy), SentenceEncoder and the reference, computed once."""
    return {
        "MiniLM": MiniLM().encode(texts),
        "SentenceEncoder": SentenceEncoder().encode(texts),
        "reference": reference_encode(texts),
    }


def test_vectors_are_unit_length(vectors):
    for name, matrix in vectors.items():
        assert matrix.dtype == np.float32 and matrix.shape[1] == 384, name
        assert np.allclose(np.linalg.norm(matrix, axis=1), 1.0, atol=1e-4), name


@pytest.mark.parametrize("encoder", ["MiniLM", "SentenceEncoder"])
def test_encoder_matches_sentence_transformers(texts, vectors, encoder):
    cosines = (vectors[encoder] * vectors["reference"]).sum(axis=1)
    worst = int(np.argmin(cosines))
    assert cosines[worst] >= MIN_COSINE, f"cosine {cosines[worst]:.5f} for {texts[worst][:80]!r}"


def test_query_encoder_matches_the_stored_index_vectors(snapshot, texts, vectors):
    """The index holds what the query side would compute for each chunk."""
    rows = {c.embed_text: i for i, c in enumerate(snapshot.chunks)}
    pairs = [(vectors["MiniLM"][n], snapshot.vectors[rows[t]]) for n, t in enumerate(texts) if t in rows]
    assert len(pairs) >= 40
    cosines = [float(a @ b) for a, b in pairs]
    assert min(cosines) >= MIN_COSINE


def test_same_dense_top5_on_golden_questions(snapshot, golden, texts, vectors):
    questions = [g["question"] for g in golden]
    position = {t: n for n, t in enumerate(texts)}
    rows = [position[q] for q in questions]
    matrix = np.asarray(snapshot.vectors)

    def top5(query_vectors):
        scores = query_vectors @ matrix.T
        return [list(np.argsort(-row, kind="stable")[:5]) for row in scores]

    numpy_top, reference_top = top5(vectors["MiniLM"][rows]), top5(vectors["reference"][rows])
    differing = [q for q, a, b in zip(questions, numpy_top, reference_top, strict=True) if a != b]
    assert differing == []


def test_padding_does_not_change_a_vector():
    """A text embedded alone or in a batch padded to a longer text gets the same vector."""
    texts = [
        "TLO",
        "How many TLOs are approved?",
        "The R&D tax system allows companies conducting R&D to deduct part of their experiment and research "
        "costs from their corporation tax, as a measure to make Japan the most innovation-friendly country.",
    ]
    model = MiniLM()
    alone = np.stack([model.encode([t])[0] for t in texts])
    batched = model.encode(texts, batch_size=3)
    assert np.allclose(alone, batched, atol=1e-5)


def test_truncates_at_256_word_pieces(snapshot):
    longest = max(snapshot.paragraphs, key=lambda p: len(p.text)).text
    model = MiniLM()
    a, b = model.encode([longest, longest + " Extra words past the limit change nothing." * 20])
    assert np.allclose(a, b, atol=1e-6)


PARAGRAPH = (
    "Funding: The agency received $468 million in FY2024. It was created under the Public Works and "
    "Economic Development Act of 1965. Its grants support distressed communities."
)
SENTENCES = (
    "The agency received $468 million in FY2024.",
    "It was created under the Public Works and Economic Development Act of 1965.",
    "Its grants support distressed communities.",
)


def _job() -> EmbedJob:
    spans = tuple((PARAGRAPH.index(s), PARAGRAPH.index(s) + len(s)) for s in SENTENCES)
    return EmbedJob(PARAGRAPH, SENTENCES, spans)


def test_both_encoders_pool_the_same_sentence_vectors():
    """A sentence's vector, pooled from its chunk's pass, is the same from numpy and from torch in fp32."""
    jobs = [_job(), EmbedJob.alone(SENTENCES[1]), EmbedJob("no sentences here")]
    numpy_side = MiniLM().encode_jobs(jobs)
    torch_side = SentenceEncoder(precision="fp32").encode_jobs(jobs)
    for a, b in zip(numpy_side, torch_side, strict=True):
        assert float(a.vector @ b.vector) >= 0.9999
        assert a.sentences.shape == b.sentences.shape
        assert ((a.sentences * b.sentences).sum(1) >= 0.9999).all()
        assert np.allclose(np.linalg.norm(a.sentences, axis=1), 1.0, atol=1e-4)
    assert np.allclose(numpy_side[0].vector, MiniLM().encode([PARAGRAPH])[0], atol=1e-6)


def test_a_pooled_sentence_vector_is_about_that_sentence():
    """A question about one sentence of a paragraph finds that sentence's pooled vector first.

    Pooled vectors share their paragraph's context (they are nearer each other than the sentences
    embedded alone are), but each keeps its own sentence's content.
    """
    model = MiniLM()
    pooled = model.encode_jobs([_job()])[0].sentences
    questions = ["How much funding did the agency receive?", "When was the agency created?",
                 "Which communities do its grants support?"]
    assert list((model.encode(questions) @ pooled.T).argmax(1)) == [0, 1, 2]
    alone = model.encode(list(SENTENCES))
    assert (np.diag(pooled @ alone.T) >= 0.5).all()


def test_a_sentence_past_the_model_limit_is_embedded_alone():
    """Truncation at 256 word-pieces cuts off a late sentence: it gets its vector from a pass of its own."""
    filler = "Words that fill the chunk well past the limit of the model. " * 40
    late = "The last sentence names the Economic Development Administration."
    text = filler + late
    job = EmbedJob(text, (late,), ((len(filler), len(text)),))
    for model in (MiniLM(), SentenceEncoder(precision="fp32")):
        got = model.encode_jobs([job])[0].sentences[0]
        alone = model.encode_jobs([EmbedJob.alone(late)])[0].sentences[0]
        assert np.allclose(got, alone, atol=1e-5)
