"""BM25 over chunks, stored as flat numpy arrays so a query loads it in milliseconds.

Postings are kept per term as (chunk row, precomputed BM25 weight); scoring a query is a few
array additions. Chunk text is indexed with its section path, so a heading's words find the
paragraphs under it.
"""

from __future__ import annotations

import json
import math
from collections import Counter
from pathlib import Path

import numpy as np

from qa.text import terms

K1 = 1.2
B = 0.75


class BM25:
    def __init__(
        self, vocab: dict[str, int], indptr: np.ndarray, rows: np.ndarray, weights: np.ndarray, size: int
    ) -> None:
        self.vocab = vocab
        self.indptr = indptr
        self.rows = rows
        self.weights = weights
        self.size = size

    @classmethod
    def build(cls, documents: list[str]) -> BM25:
        counts = [Counter(terms(text)) for text in documents]
        lengths = np.array([sum(c.values()) for c in counts], dtype=np.float32)
        avg = float(lengths.mean()) if len(lengths) else 1.0
        postings: dict[str, list[tuple[int, int]]] = {}
        for row, counter in enumerate(counts):
            for term, tf in counter.items():
                postings.setdefault(term, []).append((row, tf))
        vocab: dict[str, int] = {}
        indptr = [0]
        rows: list[int] = []
        weights: list[float] = []
        n = len(documents)
        for term in sorted(postings):
            plist = postings[term]
            idf = math.log(1 + (n - len(plist) + 0.5) / (len(plist) + 0.5))
            for row, tf in plist:
                norm = tf + K1 * (1 - B + B * lengths[row] / max(avg, 1e-9))
                rows.append(row)
                weights.append(idf * tf * (K1 + 1) / norm)
            vocab[term] = len(indptr) - 1
            indptr.append(len(rows))
        return cls(
            vocab,
            np.array(indptr, dtype=np.int64),
            np.array(rows, dtype=np.int32),
            np.array(weights, dtype=np.float32),
            n,
        )

    def scores(self, query_terms: list[str], term_weights: dict[str, float] | None = None) -> np.ndarray:
        out = np.zeros(self.size, dtype=np.float32)
        for term in dict.fromkeys(query_terms):
            index = self.vocab.get(term)
            if index is None:
                continue
            a, b = self.indptr[index], self.indptr[index + 1]
            out[self.rows[a:b]] += self.weights[a:b] * (term_weights or {}).get(term, 1.0)
        return out

    def idf(self, term: str, within: np.ndarray | None = None) -> float:
        """IDF over all chunks, or over those a boolean chunk mask `within` keeps (one document's)."""
        index = self.vocab.get(term)
        if within is None:
            n = self.size
            df = 0 if index is None else int(self.indptr[index + 1] - self.indptr[index])
        else:
            n = int(within.sum())
            df = 0 if index is None else int(within[self.rows[self.indptr[index] : self.indptr[index + 1]]].sum())
        return math.log(1 + (n - df + 0.5) / (df + 0.5))

    def save(self, folder: Path) -> None:
        np.savez(
            folder / "bm25.npz", indptr=self.indptr, rows=self.rows, weights=self.weights, size=np.array([self.size])
        )
        (folder / "bm25_vocab.json").write_text(json.dumps(list(self.vocab)), encoding="utf-8")

    @classmethod
    def load(cls, folder: Path) -> BM25:
        arrays = np.load(folder / "bm25.npz")
        names = json.loads((folder / "bm25_vocab.json").read_text(encoding="utf-8"))
        vocab = {name: i for i, name in enumerate(names)}
        return cls(vocab, arrays["indptr"], arrays["rows"], arrays["weights"], int(arrays["size"][0]))
