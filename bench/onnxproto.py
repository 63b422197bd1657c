"""Write ONNX model files without the `onnx` package: the few protobuf messages a model needs.

ONNX files are protobuf `ModelProto` messages. onnxruntime reads them but ships no writer, and the
`onnx` package is not installed (chromadb brings onnxruntime only), so this module encodes the
subset bench/onnx_minilm.py builds: a graph of nodes with attributes, tensor initialisers as raw
bytes, typed inputs and outputs, opset imports. Field numbers are those of onnx/onnx.proto.
It writes only; nothing here parses a model.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass, field

import numpy as np

IR_VERSION = 8
# TensorProto.DataType
DTYPES = {
    np.dtype(np.float32): 1,
    np.dtype(np.uint8): 2,
    np.dtype(np.int8): 3,
    np.dtype(np.int32): 6,
    np.dtype(np.int64): 7,
}
FLOAT, INT64, INT32 = 1, 7, 6
# AttributeProto.AttributeType
_ATTR_FLOAT, _ATTR_INT, _ATTR_STRING, _ATTR_INTS = 1, 2, 3, 7


def _varint(value: int) -> bytes:
    if value < 0:
        value += 1 << 64
    out = bytearray()
    while True:
        byte = value & 0x7F
        value >>= 7
        if value:
            out.append(byte | 0x80)
        else:
            out.append(byte)
            return bytes(out)


def _key(number: int, wire: int) -> bytes:
    return _varint(number << 3 | wire)


def _int(number: int, value: int) -> bytes:
    return _key(number, 0) + _varint(value)


def _bytes(number: int, value: bytes | str) -> bytes:
    data = value.encode("utf-8") if isinstance(value, str) else value
    return _key(number, 2) + _varint(len(data)) + data


def _float(number: int, value: float) -> bytes:
    return _key(number, 5) + struct.pack("<f", value)


def tensor(name: str, array: np.ndarray) -> bytes:
    """A TensorProto holding `array` as little-endian raw bytes."""
    array = np.ascontiguousarray(array)
    body = b"".join(_int(1, d) for d in array.shape)
    raw = array.astype(array.dtype.newbyteorder("<")).tobytes()
    return body + _int(2, DTYPES[array.dtype]) + _bytes(8, name) + _bytes(9, raw)


def _attribute(name: str, value) -> bytes:
    body = _bytes(1, name)
    if isinstance(value, float):
        return body + _float(2, value) + _int(20, _ATTR_FLOAT)
    if isinstance(value, bool | int):
        return body + _int(3, int(value)) + _int(20, _ATTR_INT)
    if isinstance(value, str):
        return body + _bytes(4, value) + _int(20, _ATTR_STRING)
    if isinstance(value, list | tuple):
        return body + b"".join(_int(8, int(v)) for v in value) + _int(20, _ATTR_INTS)
    raise TypeError(f"unsupported attribute {name}={value!r}")


def value_info(name: str, elem_type: int, shape: list[int | str]) -> bytes:
    """A ValueInfoProto: a typed tensor, each dimension a number or a symbolic name."""
    dims = b"".join(_bytes(1, _int(1, d) if isinstance(d, int) else _bytes(2, d)) for d in shape)
    tensor_type = _int(1, elem_type) + _bytes(2, dims)
    return _bytes(1, name) + _bytes(2, _bytes(1, tensor_type))


@dataclass
class Graph:
    """Nodes and initialisers, added in order; `model()` gives the serialised ModelProto."""

    name: str
    nodes: list[bytes] = field(default_factory=list)
    initializers: list[bytes] = field(default_factory=list)
    inputs: list[bytes] = field(default_factory=list)
    outputs: list[bytes] = field(default_factory=list)
    _count: int = 0

    def constant(self, name: str, array: np.ndarray) -> str:
        self.initializers.append(tensor(name, array))
        return name

    def node(self, op: str, inputs: list[str], outputs: int | list[str] = 1, domain: str = "", **attrs) -> list[str]:
        """Add a node; returns its output names (generated unless given). An input "" is an omitted one."""
        self._count += 1
        if isinstance(outputs, int):
            outputs = [f"{op.lower()}_{self._count}_{n}" for n in range(outputs)]
        body = b"".join(_bytes(1, i) for i in inputs) + b"".join(_bytes(2, o) for o in outputs)
        body += _bytes(3, f"{op}_{self._count}") + _bytes(4, op)
        body += b"".join(_bytes(5, _attribute(k, v)) for k, v in attrs.items())
        if domain:
            body += _bytes(7, domain)
        self.nodes.append(body)
        return outputs

    def model(self, opsets: dict[str, int], producer: str = "qa") -> bytes:
        graph = b"".join(_bytes(1, n) for n in self.nodes) + _bytes(2, self.name)
        graph += b"".join(_bytes(5, t) for t in self.initializers)
        graph += b"".join(_bytes(11, i) for i in self.inputs) + b"".join(_bytes(12, o) for o in self.outputs)
        body = _int(1, IR_VERSION) + _bytes(2, producer) + _bytes(7, graph)
        body += b"".join(_bytes(8, _bytes(1, domain) + _int(2, version)) for domain, version in opsets.items())
        return body
