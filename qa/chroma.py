"""The Chroma side of the index: written through llama-index's ChromaVectorStore, queried directly.

Local mode keeps a Chroma PersistentClient store inside each index generation; server mode
(`--chroma-url`) writes the same collection to a Chroma server through HttpClient, building it
under a temporary name and renaming it into place when complete. Imports are lazy: chromadb
alone costs about a second, so nothing here is loaded unless Chroma is really used.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from urllib.parse import urlparse

import numpy as np

from qa import config
from qa.errors import IndexCorrupt, IndexMissing, ServerUnavailable
from qa.records import Chunk, Paragraph


def _settings():
    from chromadb.config import Settings

    return Settings(anonymized_telemetry=False, allow_reset=False)


def open_client(path: Path | None = None, url: str | None = None):
    config.go_offline()
    import chromadb

    if url:
        parsed = urlparse(url if "://" in url else f"http://{url}")
        if not parsed.hostname:
            raise ServerUnavailable(f"not a Chroma server URL: {url}")
        try:
            client = chromadb.HttpClient(
                host=parsed.hostname, port=parsed.port or 8000, ssl=parsed.scheme == "https", settings=_settings()
            )
            client.heartbeat()
        except Exception as err:  # chromadb raises many kinds for a dead server
            raise ServerUnavailable(f"cannot reach the Chroma server at {url} ({type(err).__name__}); is `chroma run` up?") from err
        return client
    return chromadb.PersistentClient(path=str(path), settings=_settings())


def release(path: Path) -> None:
    """Forget the cached client for `path`, so the folder can be renamed or reopened cleanly."""
    from chromadb.api.client import SharedSystemClient

    SharedSystemClient.clear_system_cache()


def to_node(chunk: Chunk, vector: np.ndarray, paragraph: Paragraph):
    from llama_index.core.schema import NodeRelationship, RelatedNodeInfo, TextNode

    return TextNode(
        id_=chunk.id,
        text=chunk.text,
        embedding=[float(x) for x in vector],
        metadata={
            "ref": chunk.ref,
            "doc": chunk.doc,
            "section": paragraph.section_path,
            "paragraph": paragraph.number,
            "page": paragraph.page,
            "kind": paragraph.kind,
        },
        relationships={NodeRelationship.SOURCE: RelatedNodeInfo(node_id=chunk.doc)},
    )


def write_chroma(
    dest: Path,
    previous: Path | None,
    chunks: list[Chunk],
    vectors_for: dict[str, np.ndarray],
    paragraphs: dict[str, Paragraph],
    removed_docs: list[str],
    chroma_url: str | None = None,
) -> None:
    """Apply one build's changes: drop the chunks of removed/changed documents, add the new ones."""
    from llama_index.vector_stores.chroma import ChromaVectorStore

    name = config.collection_name()
    if chroma_url:
        client = open_client(url=chroma_url)
        building = f"{name}-building"
        try:
            client.delete_collection(building)
        except Exception:
            pass
        collection = client.create_collection(building, metadata={"hnsw:space": "cosine"}, embedding_function=None)
    else:
        if previous is not None and previous.exists():
            shutil.copytree(previous, dest)
        client = open_client(path=dest)
        collection = client.get_or_create_collection(name, metadata={"hnsw:space": "cosine"}, embedding_function=None)
    store = ChromaVectorStore(chroma_collection=collection)
    for doc in removed_docs:
        store.delete(ref_doc_id=doc)
    if chunks:
        ids = [c.id for c in chunks]
        existing = collection.get(ids=ids, include=[])["ids"]
        if existing:
            collection.delete(ids=existing)
        store.add([to_node(c, vectors_for[c.id], paragraphs[c.ref]) for c in chunks])
    if chroma_url:
        try:
            client.delete_collection(name)
        except Exception:
            pass
        collection.modify(name=name)
    else:
        release(dest)


def query(
    vector: np.ndarray, k: int, path: Path | None = None, url: str | None = None, refs: list[str] | None = None
) -> list[tuple[str, float]]:
    """Nearest chunks as (chunk id, cosine similarity), best first."""
    client = open_client(path=path, url=url)
    try:
        collection = client.get_collection(config.collection_name())
    except Exception as err:
        where = url or path
        if url:
            raise IndexMissing(f"the Chroma server at {url} has no collection '{config.collection_name()}'; run `qa index --chroma-url {url}`") from err
        raise IndexCorrupt(f"Chroma store at {where} has no collection '{config.collection_name()}'; run `qa index --rebuild`") from err
    where = {"ref": {"$in": refs}} if refs else None
    n = min(k, collection.count())
    if n <= 0:
        return []
    result = collection.query(query_embeddings=[vector.tolist()], n_results=n, where=where, include=["distances"])
    return [(cid, 1.0 - float(d)) for cid, d in zip(result["ids"][0], result["distances"][0])]
