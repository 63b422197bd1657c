"""MiniLM on ONNX Runtime, built from the shipped weights: the alternatives `qa index` was measured against.

Not used by qa itself (README "Build speed" says why): `bench/run.py --embedders` runs these next to
qa's torch encoder. `build_model` writes the all-MiniLM-L6-v2 graph straight from model.safetensors
(bench/onnxproto.py writes the protobuf; no `onnx` package, no export tool, no download) with ONNX
Runtime's fused CPU kernels: EmbedLayerNormalization, Attention, SkipLayerNormalization, BiasGelu.
Schemes for the weight matrices:

- `fp32`: MatMul (the same vectors as sentence-transformers);
- `int8-tensor`: DynamicQuantizeMatMul, int8 weights per output column, uint8 activations with
  one scale per batch (ORT's own dynamic quantisation);
- `int8-row`: MatMulInteger with one activation scale per token row (more ops, less error);
- `int8-row-ffn`: `int8-row` for the attention output and the feed-forward layers, the Q/K/V
  projection left in fp32;
- `nbits8`: MatMulNBits, 8-bit weights per block of 32 inputs, activations quantised per block
  (accuracy level 4).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from bench.onnxproto import FLOAT, INT32, Graph, value_info
from qa import config
from qa.embed import bert_weights, load_tokenizer

HEADS = 12
EPS = 1e-12
OPSETS = {"": 17, "com.microsoft": 1}
SCHEMES = ("fp32", "int8-tensor", "int8-row", "int8-row-ffn", "nbits8")


def _per_column(w: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """int8 weights (K × N, for x @ W) and one scale per output column, symmetric."""
    scale = (np.abs(w).max(1) / 127.0).astype(np.float32)
    scale[scale == 0] = 1.0
    q = np.clip(np.rint(w / scale[:, None]), -127, 127).astype(np.int8)
    return np.ascontiguousarray(q.T), scale


def build_model(weights: dict[str, np.ndarray], scheme: str = "fp32") -> bytes:
    """The serialised ONNX model: inputs `input_ids`, `mask` (int32, batch × tokens), output `hidden`."""
    if scheme not in SCHEMES:
        raise ValueError(f"unknown scheme {scheme!r}; one of {', '.join(SCHEMES)}")
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
    quantize_qkv = scheme in ("int8-tensor", "int8-row", "nbits8")

    def constant(name: str, value) -> str:
        return g.constant(name, np.asarray(value))

    def linear(name: str, x: str, w: np.ndarray) -> str:
        """x @ w.T for a (N out, K in) weight, in the scheme's arithmetic (biases are added later)."""
        if scheme == "fp32":
            return g.node("MatMul", [x, g.constant(name, np.ascontiguousarray(w.T))])[0]
        if scheme == "int8-tensor":
            q, scale = _per_column(w)
            return g.node("DynamicQuantizeMatMul", [x, g.constant(name, q), g.constant(name + "_s", scale),
                                                    g.constant(name + "_z", np.zeros(w.shape[0], np.int8))],
                          domain="com.microsoft")[0]
        if scheme == "nbits8":
            n, k = w.shape
            blocks = w.reshape(n, k // 32, 32)
            scale = (np.abs(blocks).max(-1) / 127.0).astype(np.float32)
            scale[scale == 0] = 1.0
            q = (np.clip(np.rint(blocks / scale[..., None]), -127, 127) + 128).astype(np.uint8)
            return g.node("MatMulNBits", [x, g.constant(name, q), g.constant(name + "_s", scale)],
                          domain="com.microsoft", K=k, N=n, bits=8, block_size=32, accuracy_level=4)[0]
        # int8-row: one scale per token row, max |x| / 127; uint8 = round(x / scale) + 128.
        q, scale = _per_column(w)
        top = g.node("ReduceMax", [g.node("Abs", [x])[0]], axes=[-1], keepdims=1)[0]
        top = g.node("Max", [g.node("Div", [top, constant(name + "_127", np.float32(127))])[0],
                             constant(name + "_tiny", np.float32(1e-12))])[0]
        shifted = g.node("Add", [g.node("Round", [g.node("Div", [x, top])[0]])[0], constant(name + "_128",
                                                                                          np.float32(128))])[0]
        xq = g.node("Cast", [shifted], to=2)[0]
        y = g.node("MatMulInteger", [xq, g.constant(name, q), constant(name + "_zp", np.uint8(128))])[0]
        return g.node("Mul", [g.node("Mul", [g.node("Cast", [y], to=1)[0], top])[0], g.constant(name + "_s", scale)])[0]

    for n, (qkv, qkv_b, o, o_b, ln1_w, ln1_b, i_w, i_b, out_w, out_b, ln2_w, ln2_b) in enumerate(layers):
        p = f"l{n}_"
        if quantize_qkv:
            q, k, v = g.node("Split", [linear(p + "qkv", x, qkv)], outputs=3, axis=2)
            context = g.node("MultiHeadAttention", [q, k, v, g.constant(p + "qkv_b", qkv_b), "mask"],
                             domain="com.microsoft", num_heads=HEADS)[0]
        else:
            context = g.node("Attention", [x, g.constant(p + "qkv", np.ascontiguousarray(qkv.T)),
                                           g.constant(p + "qkv_b", qkv_b), mask_index],
                             domain="com.microsoft", num_heads=HEADS)[0]
        x = g.node("SkipLayerNormalization", [linear(p + "o", context, o), x, g.constant(p + "ln1_w", ln1_w),
                                              g.constant(p + "ln1_b", ln1_b), g.constant(p + "o_b", o_b)],
                   domain="com.microsoft", epsilon=EPS)[0]
        h = g.node("BiasGelu", [linear(p + "i", x, i_w), g.constant(p + "i_b", i_b)], domain="com.microsoft")[0]
        last = n == len(layers) - 1
        x = g.node("SkipLayerNormalization", [linear(p + "out", h, out_w), x, g.constant(p + "ln2_w", ln2_w),
                                              g.constant(p + "ln2_b", ln2_b), g.constant(p + "out_b", out_b)],
                   outputs=["hidden"] if last else 1, domain="com.microsoft", epsilon=EPS)[0]
    return g.model(OPSETS)


class OnnxEncoder:
    """all-MiniLM-L6-v2 on ONNX Runtime (CPU): unit-length sentence vectors, in input order."""

    tokens_per_batch = 2048
    max_batch = 128

    def __init__(self, scheme: str = "fp32", model_dir: Path | None = None, threads: int = 1) -> None:
        import onnxruntime as ort
        from safetensors.numpy import load_file

        model_dir = model_dir or config.model_path()
        self.tokenizer = load_tokenizer(model_dir)
        model = build_model(load_file(str(model_dir / "model.safetensors")), scheme)
        options = ort.SessionOptions()
        options.intra_op_num_threads = threads
        options.inter_op_num_threads = 1
        options.log_severity_level = 3
        self.session = ort.InferenceSession(model, options, providers=["CPUExecutionProvider"])

    def encode(self, texts: list[str]) -> np.ndarray:
        out = np.zeros((len(texts), 384), dtype=np.float32)
        ids = [e.ids for e in self.tokenizer.encode_batch(list(texts))]
        order = sorted(range(len(texts)), key=lambda i: len(ids[i]))
        start = 0
        while start < len(order):
            end = start + 1  # sorted by length: the last text of a batch is its longest
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
