"""MiniLM sentence embeddings without torch on the query path.

`MiniLM` runs the packaged all-MiniLM-L6-v2 weights with numpy (BERT forward pass, mean pooling,
L2 normalisation) and the fast `tokenizers` library, so `ask` never imports torch or
sentence-transformers (≈6 s of imports on a 2-core laptop). A test checks it gives the same
vectors as sentence-transformers. Index builds use `SentenceEncoder`: the same network in torch, without
importing transformers or sentence-transformers, in bfloat16 on CPUs that multiply it in hardware.
Both also encode `EmbedJob`s: a chunk's vector and, from the same pass, its sentences' vectors.
"""

from __future__ import annotations

import math
import os
from dataclasses import dataclass
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


@dataclass(frozen=True)
class EmbedJob:
    """A text to embed, and the sentences inside it that get a vector from the same pass.

    `spans` are the character ranges of `sentences` in `text`. A sentence's vector is the mean of
    the model's output vectors for its word-pieces, read in the context of the whole text ("late
    chunking"): the index gets chunk and sentence vectors from one forward pass over each chunk,
    instead of a second pass over every sentence on its own.
    """

    text: str
    sentences: tuple[str, ...] = ()
    spans: tuple[tuple[int, int], ...] = ()
    chunk: bool = True  # is `text` a chunk's, whose own vector the index keeps?

    @classmethod
    def alone(cls, sentence: str) -> EmbedJob:
        """A sentence embedded by itself (one no chunk holds whole)."""
        return cls(sentence, (sentence,), ((0, len(sentence)),), chunk=False)


@dataclass
class Embedded:
    """What encoding jobs gives: a unit vector per text, and one per sentence of each job."""

    vector: np.ndarray
    sentences: np.ndarray  # len(job.sentences) × dim; a row of zeros for a sentence cut off by truncation


def span_vectors(states: np.ndarray, offsets, spans) -> np.ndarray:
    """Unit mean vectors of the word-pieces of each character span (special tokens excluded).

    `states` holds one output vector per word-piece of the text (its real length, no padding),
    `offsets` their character ranges. A span with no word-piece (past the 256 the model reads)
    gets a row of zeros, for the caller to embed alone.
    """
    out = np.zeros((len(spans), states.shape[1]), dtype=np.float32)
    if not spans:
        return out
    starts = np.array([a for a, _ in offsets])
    ends = np.array([b for _, b in offsets])
    real = ends > starts
    for row, (a, b) in enumerate(spans):
        inside = real & (starts < b) & (ends > a)
        if inside.any():
            v = states[inside].mean(0)
            out[row] = v / np.linalg.norm(v)
    return out


def _fill_cut(encoder, jobs: list[EmbedJob], results: list[Embedded]) -> list[Embedded]:
    """Embed alone the sentences that truncation left without a word-piece in their job's text."""
    cut = [(i, k) for i, r in enumerate(results) for k in range(len(jobs[i].sentences)) if not r.sentences[k].any()]
    if cut:
        alone = encoder.encode_jobs([EmbedJob.alone(jobs[i].sentences[k]) for i, k in cut])
        for (i, k), got in zip(cut, alone, strict=True):
            results[i].sentences[k] = got.sentences[0]
    return results


# Positions of the weight matrices (not biases or norms) in a layer tuple of `bert_weights`.
MATRICES = (0, 2, 6, 8)


def bert_weights(w: dict, concat) -> tuple:
    """Embedding tables and per-layer weights of a BERT checkpoint, in the order the forward passes use.

    Each layer is (qkv weight, qkv bias, attention output weight, bias, norm weight, bias,
    intermediate weight, bias, output weight, bias, norm weight, bias); `concat` joins the query,
    key and value projections (numpy's or torch's, matching the arrays in `w`).
    """
    layers = []
    n = 0
    while f"encoder.layer.{n}.attention.self.query.weight" in w:
        p = f"encoder.layer.{n}."
        layers.append(
            (
                concat([w[p + f"attention.self.{k}.weight"] for k in ("query", "key", "value")]),
                concat([w[p + f"attention.self.{k}.bias"] for k in ("query", "key", "value")]),
                *(w[p + name] for name in _LAYER_TENSORS),
            )
        )
        n += 1
    embeddings = w["embeddings.word_embeddings.weight"], w["embeddings.position_embeddings.weight"]
    token_type = w["embeddings.token_type_embeddings.weight"][0]
    norm = (w["embeddings.LayerNorm.weight"], w["embeddings.LayerNorm.bias"])
    return (*embeddings, token_type, norm, layers)


_LAYER_TENSORS = (
    "attention.output.dense.weight",
    "attention.output.dense.bias",
    "attention.output.LayerNorm.weight",
    "attention.output.LayerNorm.bias",
    "intermediate.dense.weight",
    "intermediate.dense.bias",
    "output.dense.weight",
    "output.dense.bias",
    "output.LayerNorm.weight",
    "output.LayerNorm.bias",
)


class MiniLM:
    """all-MiniLM-L6-v2 in numpy: 6 layers, 12 heads, hidden 384, mean pooling, normalised."""

    heads = 12

    def __init__(self, model_dir: Path | None = None) -> None:
        from safetensors.numpy import load_file

        model_dir = model_dir or config.model_path()
        self.tokenizer = load_tokenizer(model_dir)
        w = load_file(str(model_dir / "model.safetensors"))
        self.word, self.position, self.token_type, self.ln, layers = bert_weights(w, np.concatenate)
        # numpy multiplies (tokens × in) @ (in × out): keep the weight matrices transposed, contiguous.
        self.layers = [
            tuple(np.ascontiguousarray(x.T) if i in MATRICES else x for i, x in enumerate(layer)) for layer in layers
        ]
        self.dim = self.word.shape[1]

    def encode(self, texts: list[str], batch_size: int = 8) -> np.ndarray:
        """Unit-length embeddings, one row per text, in input order.

        Small batches are fastest here: 8 questions keep numpy's temporaries in cache (measured on
        156 questions: 1.0 s at 8, 1.4 s at 32, 2.3 s one at a time).
        """
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        encodings = self.tokenizer.encode_batch(list(texts))
        order = sorted(range(len(texts)), key=lambda i: len(encodings[i].ids))
        for start in range(0, len(order), batch_size):
            batch = order[start : start + batch_size]
            out[batch] = self._forward([encodings[i].ids for i in batch])[0]
        return out

    def encode_jobs(self, jobs: list[EmbedJob], batch_size: int = 8) -> list[Embedded]:
        """Each job's unit vector and its sentences' vectors (see EmbedJob), in input order."""
        encodings = self.tokenizer.encode_batch([j.text for j in jobs])
        results: list[Embedded | None] = [None] * len(jobs)
        order = sorted(range(len(jobs)), key=lambda i: len(encodings[i].ids))
        for start in range(0, len(order), batch_size):
            batch = order[start : start + batch_size]
            pooled, states = self._forward([encodings[i].ids for i in batch])
            for row, i in enumerate(batch):
                n = len(encodings[i].ids)
                results[i] = Embedded(pooled[row], span_vectors(states[row, :n], encodings[i].offsets, jobs[i].spans))
        return _fill_cut(self, jobs, results)

    def _forward(self, ids_list: list[list[int]]) -> tuple[np.ndarray, np.ndarray]:
        """Unit mean-pooled vectors of a batch, and every word-piece's output vector (batch × length × dim)."""
        length = max(len(ids) for ids in ids_list)
        ids = np.zeros((len(ids_list), length), dtype=np.int64)
        mask = np.zeros((len(ids_list), length), dtype=np.float32)
        for row, seq in enumerate(ids_list):
            ids[row, : len(seq)] = seq
            mask[row, : len(seq)] = 1.0
        batch, dim, heads = len(ids_list), self.dim, self.heads
        size = dim // heads
        # Matrix products run on 2-D (tokens × features) arrays: numpy is several times slower on 3-D.
        x = (self.word[ids] + self.position[:length] + self.token_type).reshape(batch * length, dim)
        x = _layer_norm(x, *self.ln)
        bias = ((1.0 - mask) * np.float32(-1e9))[:, None, None, :]
        for qkv, qkv_b, o, o_b, ln1_w, ln1_b, i_w, i_b, out_w, out_b, ln2_w, ln2_b in self.layers:
            q, k, v = np.split(x @ qkv + qkv_b, 3, axis=-1)
            q = q.reshape(batch, length, heads, size).transpose(0, 2, 1, 3)
            k = k.reshape(batch, length, heads, size).transpose(0, 2, 3, 1)
            v = v.reshape(batch, length, heads, size).transpose(0, 2, 1, 3)
            scores = (q @ k) / np.float32(math.sqrt(size)) + bias
            scores = np.exp(scores - scores.max(-1, keepdims=True))
            probs = scores / scores.sum(-1, keepdims=True)
            context = (probs @ v).transpose(0, 2, 1, 3).reshape(batch * length, dim)
            x = _layer_norm(context @ o + o_b + x, ln1_w, ln1_b)
            h = x @ i_w + i_b
            h = 0.5 * h * (1.0 + _erf(h / np.float32(math.sqrt(2.0))))
            x = _layer_norm(h @ out_w + out_b + x, ln2_w, ln2_b)
        x = x.reshape(batch, length, dim)
        pooled = (x * mask[:, :, None]).sum(1) / mask.sum(1, keepdims=True)
        return (pooled / np.linalg.norm(pooled, axis=1, keepdims=True)).astype(np.float32), x


def hardware_bf16() -> bool:
    """Does this CPU multiply bfloat16 in hardware (Intel AMX or AVX-512 BF16)? Linux only; else False."""
    try:
        with open("/proc/cpuinfo", encoding="ascii", errors="replace") as handle:
            for line in handle:
                if line.startswith("flags"):
                    flags = set(line.split(":", 1)[1].split())
                    return bool(flags & {"amx_bf16", "avx512_bf16"})
    except OSError:
        pass
    return False


def tame_memory() -> None:
    """Keep an embedding process small: call before torch is first used.

    oneDNN caches a compiled kernel per input shape, up to 1024 of them. Texts reach a worker in
    length-sorted slices, so a slice makes only a few shapes and an evicted kernel is rarely needed
    again. Measured on the library build (peak PSS of the build and its two workers): 1,036 MB with
    16 kernels, 1,004 MB with 8, 969 MB with 4; 8 keeps the build under 1 GB without recompiling
    the shapes of every batch (one worker alone on 3,000 texts: 637 MB uncapped, 432 MB at 16).

    PyTorch keeps its own cache of oneDNN primitives besides (`LRU_CACHE_CAPACITY`, 1,024 by
    default), and with bf16 on AMX that is most of what an embedding worker grows by: one process
    on 1,500 library chunks grew 220 MB uncapped and 156 MB at 16, in the same time; the library
    build's peak (build and workers, PSS) went from 953–984 MB in five builds to 783–807 MB in
    three at 16, at 60–63 s against 55–60 s (64 entries: 848 MB, 64 s). Set before torch is
    imported: the build's fork server imports it, so qa.parallel calls this before starting one.
    """
    os.environ.setdefault("ONEDNN_PRIMITIVE_CACHE_CAPACITY", "8")
    os.environ.setdefault("LRU_CACHE_CAPACITY", "16")


def release_memory() -> None:
    """Hand freed heap back to the OS (glibc keeps it otherwise); a no-op where there is no glibc."""
    import ctypes
    import gc

    gc.collect()
    try:
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):
        pass


# Below this many texts a build embeds in fp32: it takes seconds either way, and bf16 moved one
# golden dev question's top chunk on the bundled chapter (362 texts; README "Build speed").
BF16_MIN_TEXTS = 2000


def index_precision(texts: int | None = None) -> str:
    """`bf16` or `fp32` for a build embedding `texts` texts (None: not known yet, a big corpus).

    QA_EMBED_PRECISION if set; else bf16 where the CPU multiplies it in hardware and the job is
    big enough for speed to matter (≥ BF16_MIN_TEXTS), fp32 otherwise.
    """
    wanted = os.environ.get(config.ENV_EMBED_PRECISION, "auto").strip().lower()
    if wanted in ("bf16", "fp32"):
        return wanted
    big = texts is None or texts >= BF16_MIN_TEXTS
    return "bf16" if big and hardware_bf16() else "fp32"


class SentenceEncoder:
    """The packaged MiniLM in torch, for index builds (batch throughput).

    The same network as `MiniLM` and as sentence-transformers, built directly from
    model.safetensors: only torch is imported (~2 s), not transformers or sentence-transformers
    (~6 s more), and nothing touches the network. In `fp32` it gives sentence-transformers' vectors
    (cosine ≥ 0.9999999); in `bf16` (the default where the CPU multiplies bfloat16 in hardware, see
    `index_precision`) the matrix products run in bfloat16 under torch autocast: ~3× faster on
    Intel AMX, cosine ≥ 0.9999 to fp32 (tests/test_embed.py; README "Build speed" for the eval).
    Texts are sorted by length and cut into batches of at most `tokens_per_batch` padded tokens:
    big batches of long chunks are slower per chunk on CPU (the attention scores outgrow the
    caches), so short texts go many at a time and long ones a few at a time.
    """

    tokens_per_batch = 1024
    max_batch = 64
    pad_to = 8

    def __init__(self, model_dir: Path | None = None, threads: int | None = None, precision: str | None = None) -> None:
        import torch
        from safetensors.torch import load_file

        self.torch = torch
        if threads:
            torch.set_num_threads(threads)
        self.precision = precision or index_precision()
        model_dir = model_dir or config.model_path()
        self.tokenizer = load_tokenizer(model_dir)
        w = load_file(str(model_dir / "model.safetensors"))
        self.word, self.position, self.token_type, self.ln, layers = bert_weights(w, torch.cat)
        if self.precision == "bf16":  # cast the matrices once, not on every product
            layers = [tuple(x.bfloat16() if i in MATRICES else x for i, x in enumerate(layer)) for layer in layers]
        self.layers = layers
        self.dim = self.word.shape[1]

    def encode(self, texts: list[str], batch_size: int = config.EMBED_BATCH_SIZE) -> np.ndarray:
        """Unit-length embeddings, one row per text, in input order (`batch_size` caps a batch)."""
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for i, got in enumerate(self.encode_jobs([EmbedJob(t) for t in texts], batch_size)):
            out[i] = got.vector
        return out

    def encode_jobs(self, jobs: list[EmbedJob], batch_size: int = config.EMBED_BATCH_SIZE) -> list[Embedded]:
        """Each job's unit vector and its sentences' vectors (see EmbedJob), in input order."""
        if not jobs:
            return []
        encodings = self.tokenizer.encode_batch([j.text for j in jobs])
        ids = [e.ids for e in encodings]
        cap = max(1, min(batch_size, self.max_batch))
        # Texts of about one length go together, padded to the next multiple of `self.pad_to`, and
        # each length has one batch size: batch shapes repeat, and oneDNN (bf16 above all) compiles
        # a kernel per new shape (~10 ms, more than a batch takes once compiled).
        by_length: dict[int, list[int]] = {}
        for i in sorted(range(len(jobs)), key=lambda i: len(ids[i])):
            by_length.setdefault(-(-len(ids[i]) // self.pad_to) * self.pad_to, []).append(i)
        results: list[Embedded | None] = [None] * len(jobs)
        bf16 = self.precision == "bf16"
        with self.torch.inference_mode(), self.torch.autocast("cpu", dtype=self.torch.bfloat16, enabled=bf16):
            for length, rows in by_length.items():
                size = max(1, min(cap, self.tokens_per_batch // length))
                for start in range(0, len(rows), size):
                    batch = rows[start : start + size]
                    spans = any(jobs[i].spans for i in batch)
                    pooled, states = self._forward([ids[i] for i in batch], length, spans)
                    for row, i in enumerate(batch):
                        sentences = (
                            span_vectors(states[row, : len(ids[i])], encodings[i].offsets, jobs[i].spans)
                            if jobs[i].spans else np.zeros((0, self.dim), dtype=np.float32)
                        )
                        results[i] = Embedded(pooled[row], sentences)
        return _fill_cut(self, jobs, results)

    def _forward(self, ids_list: list[list[int]], length: int, states: bool = False):
        """Unit mean-pooled vectors of a batch (numpy), and with `states` every word-piece's output vector."""
        torch = self.torch
        functional = torch.nn.functional
        ids = torch.zeros((len(ids_list), length), dtype=torch.long)
        mask = torch.zeros((len(ids_list), length), dtype=torch.float32)
        for row, seq in enumerate(ids_list):
            ids[row, : len(seq)] = torch.tensor(seq, dtype=torch.long)
            mask[row, : len(seq)] = 1.0
        batch, dim, heads = len(ids_list), self.dim, MiniLM.heads
        size = dim // heads
        x = functional.embedding(ids, self.word) + self.position[:length] + self.token_type
        x = functional.layer_norm(x, (dim,), *self.ln, eps=1e-12)
        bias = ((1.0 - mask) * -1e9)[:, None, None, :]
        for qkv, qkv_b, o, o_b, ln1_w, ln1_b, i_w, i_b, out_w, out_b, ln2_w, ln2_b in self.layers:
            q, k, v = functional.linear(x, qkv, qkv_b).view(batch, length, 3, heads, size).permute(2, 0, 3, 1, 4)
            context = functional.scaled_dot_product_attention(q, k, v, attn_mask=bias)
            context = context.transpose(1, 2).reshape(batch, length, dim)
            x = functional.layer_norm(functional.linear(context, o, o_b) + x, (dim,), ln1_w, ln1_b, eps=1e-12)
            h = functional.gelu(functional.linear(x, i_w, i_b))
            x = functional.layer_norm(functional.linear(h, out_w, out_b) + x, (dim,), ln2_w, ln2_b, eps=1e-12)
        x = x.float()
        pooled = (x * mask[:, :, None]).sum(1) / mask.sum(1, keepdim=True)
        return functional.normalize(pooled, dim=1).numpy(), x.numpy() if states else None
