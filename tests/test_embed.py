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
from qa.embed import MiniLM, SentenceEncoder, TokenCounter
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
