"""MiniLM for index builds on ONNX Runtime, built from the shipped weights (no export tool, no download).

`build_model` writes the all-MiniLM-L6-v2 network as an ONNX graph straight from model.safetensors
with ONNX Runtime's fused CPU kernels (com.microsoft EmbedLayerNormalization, Attention /
MultiHeadAttention, SkipLayerNormalization, BiasGelu). With `bits=8` every weight matrix becomes
a MatMulNBits node: weights in 8 bits per block of `block_size` inputs, and (accuracy level 4)
the activations quantised to int8 per block as well, so the products run on the CPU's int8 dot
instructions. `OnnxEncoder` runs it: length-sorted batches, mean pooling, L2 norm, as
sentence-transformers does. The model is rebuilt in memory on each load (well under a second);
nothing is written to disk.

Not here: the query side. `ask` embeds questions with the numpy port (qa.embed.MiniLM), which
imports nothing heavy; onnxruntime is only loaded by `qa index`.
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np

from qa import config
from qa.embed import bert_weights, load_tokenizer
from bench.onnxproto import FLOAT, INT32, Graph, value_info

HEADS = 12
EPS = 1e-12
# What `qa index` uses: 8-bit weights and activations, blocks of 32 (see README "Build speed").
DEFAULT_BITS = 8
DEFAULT_BLOCK = 32
OPSETS = {"": 17, "com.microsoft": 1}


def quantize_blocks(weight: np.ndarray, block_size: int, bits: int = 8) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """8-bit symmetric block quantisation of a (N out, K in) matrix in MatMulNBits' layout.

    Returns (packed uint8 (N, K/block, block), scales (N, K/block), zero points uint8 (N, K/block)):
    each block of `block_size` inputs of one output row has its own scale, max |w| / 127.
    """
    n, k = weight.shape
    top = 127 if bits == 8 else 7
    blocks = weight.reshape(n, k // block_size, block_size)
    scale = np.abs(blocks).max(-1) / top
    scale[scale == 0] = 1.0
    q = (np.clip(np.rint(blocks / scale[..., None]), -top, top).astype(np.int16) + top + 1).astype(np.uint8)
    if bits == 4:
        q = q[..., 0::2] | (q[..., 1::2] << 4)
    return q, scale.astype(np.float32), None


def build_model(weights: dict[str, np.ndarray], bits: int = 32, block_size: int = DEFAULT_BLOCK, quantized=None,
                smooth=None) -> bytes:
    """The serialised ONNX model: inputs `input_ids`, `mask` (int32, batch × tokens), output `hidden`."""
    word, position, token_type, (ln_w, ln_b), layers = bert_weights(weights, np.concatenate)
    g = Graph("all-MiniLM-L6-v2")
    g.inputs += [value_info("input_ids", INT32, ["batch", "tokens"]), value_info("mask", INT32, ["batch", "tokens"])]
    g.outputs.append(value_info("hidden", FLOAT, ["batch", "tokens", word.shape[1]]))
    # Token type 0 everywhere: its embedding is folded into the position table.
    x, mask_index = g.node(
        "EmbedLayerNormalization",
        ["input_ids", "", g.constant("word", word), g.constant("position", position + token_type), "",
         g.constant("ln_w", ln_w), g.constant("ln_b", ln_b), "mask"],
        outputs=2, domain="com.microsoft", epsilon=EPS,
    )

    def linear(name: str, x: str, w: np.ndarray, b: np.ndarray | None) -> str:
        if smooth and name in smooth:
            s = smooth[name].astype(np.float32)
            x = g.node("Mul", [x, g.constant(name + "_inv", (1.0 / s).astype(np.float32))])[0]
            w = w * s[None, :]
        if bits == 32 or (quantized is not None and not any(name.endswith(q) for q in quantized)):
            y = g.node("MatMul", [x, g.constant(name, np.ascontiguousarray(w.T))])[0]
            return y if b is None else g.node("Add", [y, g.constant(name + "_b", b)])[0]
        if bits == -9:  # experiment: per-row symmetric activations, MatMulInteger
            scale = (np.abs(w).max(1) / 127.0).astype(np.float32)
            q = np.clip(np.rint(w / scale[:, None]), -127, 127).astype(np.int8)
            top = g.node("ReduceMax", [g.node("Abs", [x])[0]], axes=[-1], keepdims=1)[0]
            top = g.node("Max", [g.node("Div", [top, g.constant(name + "_127", np.array(127.0, np.float32))])[0],
                                 g.constant(name + "_tiny", np.array(1e-12, np.float32))])[0]
            xq = g.node("Round", [g.node("Div", [x, top])[0]])[0]
            xq = g.node("Cast", [g.node("Add", [xq, g.constant(name + "_128", np.array(128.0, np.float32))])[0]], to=2)[0]
            y = g.node("MatMulInteger", [xq, g.constant(name, np.ascontiguousarray(q.T)),
                                         g.constant(name + "_zp", np.array(128, np.uint8))])[0]
            y = g.node("Cast", [y], to=1)[0]
            y = g.node("Mul", [g.node("Mul", [y, top])[0], g.constant(name + "_s", scale)])[0]
            return y if b is None else g.node("Add", [y, g.constant(name + "_b", b)])[0]
        if bits == -8:  # experiment: per-column int8 weights, per-tensor dynamic uint8 activations
            scale = (np.abs(w).max(1) / 127.0).astype(np.float32)
            q = np.clip(np.rint(w / scale[:, None]), -127, 127).astype(np.int8)
            inputs = [x, g.constant(name, np.ascontiguousarray(q.T)), g.constant(name + "_s", scale),
                      g.constant(name + "_z", np.zeros(w.shape[0], np.int8))]
            if b is not None:
                inputs.append(g.constant(name + "_b", b))
            return g.node("DynamicQuantizeMatMul", inputs, domain="com.microsoft")[0]
        packed, scales, _ = quantize_blocks(w, block_size, bits)
        inputs = [x, g.constant(name, packed), g.constant(name + "_s", scales)]
        if b is not None:
            inputs += ["", "", g.constant(name + "_b", b)]
        return g.node("MatMulNBits", inputs, domain="com.microsoft", K=w.shape[1], N=w.shape[0], bits=bits,
                      block_size=block_size, accuracy_level=4)[0]

    for n, (qkv, qkv_b, o, o_b, ln1_w, ln1_b, i_w, i_b, out_w, out_b, ln2_w, ln2_b) in enumerate(layers):
        p = f"l{n}_"
        if bits == 32 or (quantized is not None and "_qkv" not in quantized):
            context = g.node("Attention", [x, g.constant(p + "qkv", np.ascontiguousarray(qkv.T)),
                                           g.constant(p + "qkv_b", qkv_b), mask_index],
                             domain="com.microsoft", num_heads=HEADS)[0]
        else:
            q, k, v = g.node("Split", [linear(p + "qkv", x, qkv, None)], outputs=3, axis=2)
            context = g.node("MultiHeadAttention", [q, k, v, g.constant(p + "qkv_b", qkv_b), "mask"],
                             domain="com.microsoft", num_heads=HEADS)[0]
        attended = linear(p + "o", context, o, None)
        x = g.node("SkipLayerNormalization", [attended, x, g.constant(p + "ln1_w", ln1_w),
                                              g.constant(p + "ln1_b", ln1_b), g.constant(p + "o_b", o_b)],
                   domain="com.microsoft", epsilon=EPS)[0]
        h = linear(p + "i", x, i_w, None)
        h = g.node("BiasGelu", [h, g.constant(p + "i_b", i_b)], domain="com.microsoft")[0]
        y = linear(p + "out", h, out_w, None)
        last = n == len(layers) - 1
        x = g.node("SkipLayerNormalization", [y, x, g.constant(p + "ln2_w", ln2_w), g.constant(p + "ln2_b", ln2_b),
                                              g.constant(p + "out_b", out_b)],
                   outputs=["hidden"] if last else 1, domain="com.microsoft", epsilon=EPS)[0]
    return g.model(OPSETS)


class OnnxEncoder:
    """all-MiniLM-L6-v2 on ONNX Runtime (CPU): unit-length sentence vectors, in input order."""

    tokens_per_batch = 2048
    max_batch = 128

    def __init__(self, model_dir: Path | None = None, bits: int = DEFAULT_BITS, block_size: int = DEFAULT_BLOCK,
                 threads: int | None = None) -> None:
        import onnxruntime as ort
        from safetensors.numpy import load_file

        model_dir = model_dir or config.model_path()
        self.tokenizer = load_tokenizer(model_dir)
        model = build_model(load_file(str(model_dir / "model.safetensors")), bits=bits, block_size=block_size)
        options = ort.SessionOptions()
        options.intra_op_num_threads = threads or os.cpu_count() or 1
        options.inter_op_num_threads = 1
        options.log_severity_level = 3
        self.session = ort.InferenceSession(model, options, providers=["CPUExecutionProvider"])
        self.dim = 384

    def encode(self, texts: list[str]) -> np.ndarray:
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        if not texts:
            return out
        ids = [e.ids for e in self.tokenizer.encode_batch(list(texts))]
        order = sorted(range(len(texts)), key=lambda i: len(ids[i]))
        start = 0
        while start < len(order):
            # Sorted by length, so the last text of a batch is its longest: little is padding.
            end = start + 1
            while end < len(order) and end - start < self.max_batch:
                if (end - start + 1) * len(ids[order[end]]) > self.tokens_per_batch:
                    break
                end += 1
            batch = order[start:end]
            out[batch] = self._forward([ids[i] for i in batch])
            start = end
        return out

    def _forward(self, ids_list: list[list[int]]) -> np.ndarray:
        length = max(len(ids) for ids in ids_list)
        ids = np.zeros((len(ids_list), length), dtype=np.int32)
        mask = np.zeros((len(ids_list), length), dtype=np.int32)
        for row, seq in enumerate(ids_list):
            ids[row, : len(seq)] = seq
            mask[row, : len(seq)] = 1
        hidden = self.session.run(["hidden"], {"input_ids": ids, "mask": mask})[0]
        weights = mask[:, :, None].astype(np.float32)
        pooled = (hidden * weights).sum(1) / weights.sum(1)
        return (pooled / np.linalg.norm(pooled, axis=1, keepdims=True)).astype(np.float32)
