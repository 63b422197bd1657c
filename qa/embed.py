"""MiniLM sentence embeddings without torch on the query path.

`MiniLM` runs the packaged all-MiniLM-L6-v2 weights with numpy (BERT forward pass, mean pooling,
L2 normalisation) and the fast `tokenizers` library, so `ask` never imports torch or
sentence-transformers (≈6 s of imports on a 2-core laptop). A test checks it gives the same
vectors as sentence-transformers. Index builds use sentence-transformers itself (`SentenceEncoder`).
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np

from qa import config


def _erf(x: np.ndarray) -> np.ndarray:
    """erf to ~1e-7 (Abramowitz & Stegun 7.1.26); numpy has none and scipy costs an import."""
    sign = np.sign(x)
    a = np.abs(x)
    t = 1.0 / (1.0 + 0.3275911 * a)
    poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))))
    return sign * (1.0 - poly * np.exp(-a * a))


def _layer_norm(x: np.ndarray, weight: np.ndarray, bias: np.ndarray, eps: float = 1e-12) -> np.ndarray:
    mean = x.mean(-1, keepdims=True)
    var = ((x - mean) ** 2).mean(-1, keepdims=True)
    return (x - mean) / np.sqrt(var + eps) * weight + bias


def load_tokenizer(model_dir: Path | None = None):
    """The MiniLM tokenizer with sentence-transformers' settings: no padding, truncation at 256.

    The shipped tokenizer.json pads and truncates to 128, which would silently cut long texts.
    """
    from tokenizers import Tokenizer

    tokenizer = Tokenizer.from_file(str((model_dir or config.model_path()) / "tokenizer.json"))
    tokenizer.no_padding()
    tokenizer.enable_truncation(config.MAX_MODEL_TOKENS)
    return tokenizer


class TokenCounter:
    """Counts word-pieces (without [CLS]/[SEP]) the way MiniLM sees them."""

    def __init__(self, tokenizer=None) -> None:
        from tokenizers import Tokenizer

        base = tokenizer or load_tokenizer()
        self.tokenizer = Tokenizer.from_str(base.to_str())
        self.tokenizer.no_truncation()
        self.tokenizer.no_padding()

    def __call__(self, text: str) -> int:
        return len(self.tokenizer.encode(text, add_special_tokens=False).ids)


class MiniLM:
    """all-MiniLM-L6-v2 in numpy: 6 layers, 12 heads, hidden 384, mean pooling, normalised."""

    heads = 12

    def __init__(self, model_dir: Path | None = None) -> None:
        from safetensors.numpy import load_file

        model_dir = model_dir or config.model_path()
        self.tokenizer = load_tokenizer(model_dir)
        w = load_file(str(model_dir / "model.safetensors"))
        self.word = w["embeddings.word_embeddings.weight"]
        self.position = w["embeddings.position_embeddings.weight"]
        self.token_type = w["embeddings.token_type_embeddings.weight"][0]
        self.ln = (w["embeddings.LayerNorm.weight"], w["embeddings.LayerNorm.bias"])
        self.layers = []
        n = 0
        while f"encoder.layer.{n}.attention.self.query.weight" in w:
            p = f"encoder.layer.{n}."
            qkv = np.concatenate([w[p + f"attention.self.{k}.weight"] for k in ("query", "key", "value")]).T
            qkv_b = np.concatenate([w[p + f"attention.self.{k}.bias"] for k in ("query", "key", "value")])
            self.layers.append(
                (
                    np.ascontiguousarray(qkv), qkv_b,
                    np.ascontiguousarray(w[p + "attention.output.dense.weight"].T), w[p + "attention.output.dense.bias"],
                    w[p + "attention.output.LayerNorm.weight"], w[p + "attention.output.LayerNorm.bias"],
                    np.ascontiguousarray(w[p + "intermediate.dense.weight"].T), w[p + "intermediate.dense.bias"],
                    np.ascontiguousarray(w[p + "output.dense.weight"].T), w[p + "output.dense.bias"],
                    w[p + "output.LayerNorm.weight"], w[p + "output.LayerNorm.bias"],
                )
            )
            n += 1
        self.dim = self.word.shape[1]

    def encode(self, texts: list[str], batch_size: int = 32) -> np.ndarray:
        """Unit-length embeddings, one row per text, in input order."""
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        encodings = self.tokenizer.encode_batch(list(texts))
        order = sorted(range(len(texts)), key=lambda i: len(encodings[i].ids))
        for start in range(0, len(order), batch_size):
            batch = order[start : start + batch_size]
            out[batch] = self._forward([encodings[i].ids for i in batch])
        return out

    def _forward(self, ids_list: list[list[int]]) -> np.ndarray:
        length = max(len(ids) for ids in ids_list)
        ids = np.zeros((len(ids_list), length), dtype=np.int64)
        mask = np.zeros((len(ids_list), length), dtype=np.float32)
        for row, seq in enumerate(ids_list):
            ids[row, : len(seq)] = seq
            mask[row, : len(seq)] = 1.0
        x = self.word[ids] + self.position[:length] + self.token_type
        x = _layer_norm(x, *self.ln)
        batch, dim, heads = x.shape[0], self.dim, self.heads
        size = dim // heads
        bias = ((1.0 - mask) * np.float32(-1e9))[:, None, None, :]
        for qkv, qkv_b, o, o_b, ln1_w, ln1_b, i_w, i_b, out_w, out_b, ln2_w, ln2_b in self.layers:
            q, k, v = np.split(x @ qkv + qkv_b, 3, axis=-1)
            q = q.reshape(batch, length, heads, size).transpose(0, 2, 1, 3)
            k = k.reshape(batch, length, heads, size).transpose(0, 2, 3, 1)
            v = v.reshape(batch, length, heads, size).transpose(0, 2, 1, 3)
            scores = (q @ k) / np.float32(math.sqrt(size)) + bias
            scores = np.exp(scores - scores.max(-1, keepdims=True))
            probs = scores / scores.sum(-1, keepdims=True)
            context = (probs @ v).transpose(0, 2, 1, 3).reshape(batch, length, dim)
            x = _layer_norm(context @ o + o_b + x, ln1_w, ln1_b)
            h = x @ i_w + i_b
            h = 0.5 * h * (1.0 + _erf(h / np.float32(math.sqrt(2.0))))
            x = _layer_norm(h @ out_w + out_b + x, ln2_w, ln2_b)
        pooled = (x * mask[:, :, None]).sum(1) / mask.sum(1, keepdims=True)
        return (pooled / np.linalg.norm(pooled, axis=1, keepdims=True)).astype(np.float32)


class SentenceEncoder:
    """The packaged MiniLM through sentence-transformers, for index builds (batch throughput)."""

    def __init__(self, model_dir: Path | None = None) -> None:
        config.go_offline()
        from sentence_transformers import SentenceTransformer
        from transformers.utils import logging as hf_logging

        hf_logging.disable_progress_bar()

        self.model = SentenceTransformer(str(model_dir or config.model_path()), device="cpu")
        self.model.max_seq_length = config.MAX_MODEL_TOKENS

    def encode(self, texts: list[str], batch_size: int = config.EMBED_BATCH_SIZE) -> np.ndarray:
        vectors = self.model.encode(
            list(texts), batch_size=batch_size, normalize_embeddings=True, show_progress_bar=False, convert_to_numpy=True
        )
        return np.asarray(vectors, dtype=np.float32)
