"""The Chroma side of the index: written through llama-index's ChromaVectorStore, queried directly.

Local mode keeps a Chroma PersistentClient store inside each index generation (`gen-*/chroma`).
A refresh copies the previous store and patches it (drops the chunks of removed and changed
files, adds the new ones), then checks that the collection holds exactly the generation's chunks.

Server mode (`--chroma-url`) publishes each generation to a Chroma server through HttpClient:

    <base>                       pointer: no records; metadata qa_current / qa_previous = generation
    <base>.<generation>          one record per chunk: vector, text, ref, doc, section, page …
    <base>.<generation>.files    the generation's files (manifest, paragraphs, chunks, BM25, vectors)

A generation is uploaded whole under its own names and only then made current by rewriting the
pointer's metadata, so readers never see a half-built collection; the previous generation stays
for readers still using it, older ones are deleted. `ask --chroma-url` downloads the `.files` of
the current generation into its local index folder once per generation (an analyst needs only the
URL) and sends every dense query to the server. Imports are lazy: chromadb alone costs about a
second, so nothing here is loaded unless Chroma is really used.
"""

from __future__ import annotations

import base64
import hashlib
import re
import shutil
from pathlib import Path
from urllib.parse import urlparse

import numpy as np

from qa import config
from qa.errors import IndexCorrupt, IndexMissing, QAError, ServerError, ServerUnavailable
from qa.records import Chunk, Paragraph

REBUILD_HINT = "run `qa index --rebuild`"
MAX_NAME = 512
# Room left after the base name for `.<generation>.files`.
MAX_BASE = 400
_NAME_CHARS = re.compile(r"[^a-zA-Z0-9._-]+")
POINTER_KEY = "qa_current"
PREVIOUS_KEY = "qa_previous"
FILES_SUFFIX = "files"
# Files of a generation travel to the server in pieces of at most this many characters.
PIECE_CHARS = 512 * 1024
BINARY_SUFFIXES = (".npy", ".npz")
# The generation each server URL was read at by this process (`ask` pins what it downloaded).
_PINNED: dict[str, str] = {}
# One client per server URL per process: `ask` reads the index pointer and then queries, and each
# new HttpClient costs a system start-up and a heartbeat round trip (~0.3 s of a cold ask).
_CLIENTS: dict[str, object] = {}


def _settings():
    from chromadb.config import Settings

    return Settings(anonymized_telemetry=False, allow_reset=False)


def _shorten(part: str, limit: int) -> str:
    if len(part) <= limit:
        return part
    digest = hashlib.sha1(part.encode()).hexdigest()[:12]
    return f"{part[: limit - len(digest) - 1].rstrip('-._')}-{digest}"


def safe_name(*parts: str) -> str:
    """A Chroma collection name from parts joined by `.`: 3–512 characters of [a-zA-Z0-9._-],
    starting and ending with a letter or digit. The first part (the logical collection name) is
    cut to MAX_BASE characters plus a hash of what was cut, so every name of one index shares it."""
    cleaned = [c for c in (_NAME_CHARS.sub("-", p).strip("-._") for p in parts) if c] or ["qa"]
    cleaned[0] = _shorten(cleaned[0], MAX_BASE)
    name = _shorten(".".join(cleaned), MAX_NAME)
    return name if len(name) >= 3 else name + "0" * (3 - len(name))


def base_name() -> str:
    return safe_name(config.collection_name())


def vectors_name(generation: str) -> str:
    return safe_name(config.collection_name(), generation)


def files_name(generation: str) -> str:
    return safe_name(config.collection_name(), generation, FILES_SUFFIX)


def parse_url(url: str) -> tuple[str, int, bool]:
    """(host, port, ssl) of a Chroma server URL such as http://HOST:PORT; port 8000 by default."""
    parsed = urlparse(url if "://" in url else f"http://{url}")
    try:
        port = parsed.port or 8000
    except ValueError:
        port = -1
    if not parsed.hostname or parsed.scheme not in ("http", "https") or port <= 0:
        raise ServerUnavailable(f"not a Chroma server URL: {url!r} (expected http://HOST:PORT)")
    return parsed.hostname, port, parsed.scheme == "https"


def open_client(path: Path | None = None, url: str | None = None):
    config.go_offline()
    if url:
        host, port, ssl = parse_url(url)
    import chromadb

    if url:
        if url in _CLIENTS:
            return _CLIENTS[url]
        try:
            client = chromadb.HttpClient(host=host, port=port, ssl=ssl, settings=_settings())
            client.heartbeat()
        except Exception as err:  # chromadb raises many kinds for a dead server
            detail = str(err).splitlines()[0][:100] if str(err) else type(err).__name__
            hint = "" if "running" in detail else " (is `chroma run` up?)"
            raise ServerUnavailable(f"cannot reach the Chroma server at {url}: {detail}{hint}") from err
        _CLIENTS[url] = client
        return client
    return chromadb.PersistentClient(path=str(path), settings=_settings())


def release(path: Path | None = None) -> None:
    """Forget cached clients, so a store folder can be renamed or reopened cleanly."""
    from chromadb.api.client import SharedSystemClient

    _CLIENTS.clear()
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


def _add_nodes(collection, chunks: list[Chunk], vectors: dict[str, np.ndarray], paragraphs: dict[str, Paragraph],
               batch: int) -> None:
    """Add chunks through llama-index, in slices the server accepts (its add() does not split enough)."""
    from llama_index.vector_stores.chroma import ChromaVectorStore

    store = ChromaVectorStore(chroma_collection=collection)
    for start in range(0, len(chunks), batch):
        part = chunks[start : start + batch]
        store.add([to_node(c, vectors[c.id], paragraphs[c.ref]) for c in part])


def _ids(collection) -> set[str]:
    return set(collection.get(include=[])["ids"])


# ---------------------------------------------------------------------------------------------- local


def write_local(
    dest: Path,
    previous: Path | None,
    chunks: list[Chunk],
    vectors: dict[str, np.ndarray],
    fresh: set[str],
    paragraphs: dict[str, Paragraph],
    removed_docs: list[str],
) -> str:
    """Write the generation's Chroma store at `dest`; returns "patched" or "written".

    With a sound previous store, copy it and patch it (only fresh chunks are added); otherwise,
    or if the patched store does not hold exactly `chunks`, write it whole from `vectors`.
    """
    wanted = {c.id for c in chunks}
    if previous is not None and (previous / "chroma.sqlite3").is_file():
        try:
            if _patch(dest, previous, chunks, vectors, fresh, paragraphs, removed_docs) == wanted:
                return "patched"
        except Exception:  # a store chromadb cannot patch is rewritten whole below
            pass
        finally:
            release()
    shutil.rmtree(dest, ignore_errors=True)
    try:
        client = open_client(path=dest)
        collection = client.create_collection(base_name(), metadata={"hnsw:space": "cosine"}, embedding_function=None)
        _add_nodes(collection, chunks, vectors, paragraphs, min(client.get_max_batch_size(), 1000))
        held = _ids(collection)
    finally:
        release()
    if held != wanted:
        raise IndexCorrupt(f"the new Chroma store holds {len(held)} chunks, not {len(wanted)}; {REBUILD_HINT}")
    return "written"


def _patch(dest, previous, chunks, vectors, fresh, paragraphs, removed_docs) -> set[str]:
    from llama_index.vector_stores.chroma import ChromaVectorStore

    shutil.copytree(previous, dest)
    client = open_client(path=dest)
    collection = client.get_collection(base_name())
    store = ChromaVectorStore(chroma_collection=collection)
    for doc in removed_docs:
        store.delete(ref_doc_id=doc)
    new = [c for c in chunks if c.id in fresh]
    if new:
        existing = collection.get(ids=[c.id for c in new], include=[])["ids"]
        if existing:
            collection.delete(ids=existing)
        _add_nodes(collection, new, vectors, paragraphs, min(client.get_max_batch_size(), 1000))
    return _ids(collection)


def local_count(path: Path) -> int:
    """How many records the generation's local Chroma store holds (for checks and tests)."""
    try:
        return open_client(path=path).get_collection(base_name()).count()
    finally:
        release()


# --------------------------------------------------------------------------------------------- server


def _server_call(url: str, what: str, func, *args, **kwargs):
    try:
        return func(*args, **kwargs)
    except QAError:
        raise
    except Exception as err:
        raise ServerError(f"the Chroma server at {url} failed while {what} ({type(err).__name__}: {err})") from err


def server_generation(client) -> tuple[str | None, str | None]:
    """(current, previous) generation names published on the server, or (None, None)."""
    from chromadb.errors import NotFoundError

    try:
        pointer = client.get_collection(base_name())
    except NotFoundError:
        return None, None
    except Exception as err:
        if "does not exist" in str(err):
            return None, None
        raise
    meta = pointer.metadata or {}
    current = meta.get(POINTER_KEY) or None
    return current, meta.get(PREVIOUS_KEY) or None


def publish(url: str, generation: str, folder: Path, chunks: list[Chunk], vectors: dict[str, np.ndarray],
            paragraphs: dict[str, Paragraph], progress=None) -> None:
    """Upload a complete generation under its own names, then point the server at it."""
    client = open_client(url=url)
    _server_call(url, "publishing the index", _publish, client, generation, folder, chunks, vectors, paragraphs,
                 progress)


def _publish(client, generation, folder, chunks, vectors, paragraphs, progress) -> None:
    batch = min(client.get_max_batch_size(), 1000)
    if progress:
        progress.say(f"uploading {len(chunks)} chunks and the index files to the Chroma server …")
    names = (vectors_name(generation), files_name(generation))
    for name in names:
        _delete_quietly(client, name)
    collection = client.create_collection(
        names[0], metadata={"hnsw:space": "cosine", "qa_generation": generation}, embedding_function=None
    )
    _add_nodes(collection, chunks, vectors, paragraphs, batch)
    if collection.count() != len(chunks):
        raise ServerError(f"the server holds {collection.count()} of {len(chunks)} chunks after the upload")
    files = client.create_collection(names[1], metadata={"qa_generation": generation}, embedding_function=None)
    records = list(_file_records(folder))
    for start in range(0, len(records), 16):
        part = records[start : start + 16]
        files.add(ids=[r[0] for r in part], documents=[r[1] for r in part], metadatas=[r[2] for r in part],
                  embeddings=[[0.0]] * len(part))
    current, _ = server_generation(client)
    pointer = _pointer_collection(client)
    meta = {POINTER_KEY: generation, "qa_format": config.INDEX_FORMAT}
    if current and current != generation:
        meta[PREVIOUS_KEY] = current
    pointer.modify(metadata=meta)
    _prune(client, keep={generation, current or ""}, older_than=current or generation)


def _pointer_collection(client):
    from chromadb.errors import NotFoundError

    try:
        pointer = client.get_collection(base_name())
        if pointer.count() == 0:
            return pointer
        client.delete_collection(base_name())  # an old-style collection with records: replace it
    except NotFoundError:
        pass
    return client.create_collection(base_name(), metadata={"qa_pointer": 1}, embedding_function=None)


def _delete_quietly(client, name: str) -> None:
    try:
        client.delete_collection(name)
    except Exception:
        pass


def _stamp(generation: str) -> int:
    try:
        return int(generation.rsplit("-", 1)[-1])
    except ValueError:
        return 0


def _prune(client, keep: set[str], older_than: str) -> None:
    """Delete generations older than `older_than` (newer ones may belong to a build in progress)."""
    prefix = base_name() + "."  # safe_name keeps the same (possibly shortened) base in every name
    limit = _stamp(older_than)
    for collection in client.list_collections():
        name = collection.name if hasattr(collection, "name") else str(collection)
        if not name.startswith(prefix):
            continue
        generation = name[len(prefix):].split(".", 1)[0]
        if generation not in keep and _stamp(generation) < limit:
            _delete_quietly(client, name)


def _file_records(folder: Path):
    for path in sorted(folder.iterdir()):
        if not path.is_file():
            continue
        data = path.read_bytes()
        if path.suffix in BINARY_SUFFIXES:
            text, encoding = base64.b64encode(data).decode("ascii"), "base64"
        else:
            text, encoding = data.decode("utf-8"), "utf-8"
        pieces = [text[i : i + PIECE_CHARS] for i in range(0, len(text), PIECE_CHARS)] or [""]
        digest = hashlib.sha256(data).hexdigest()
        for number, piece in enumerate(pieces):
            meta = {"file": path.name, "part": number, "parts": len(pieces), "encoding": encoding, "sha256": digest}
            yield f"{path.name}#{number:05d}", piece, meta


def download(url: str, client, generation: str, dest: Path) -> None:
    """Write the files of a published generation into `dest` (checked against their hashes)."""
    _server_call(url, "downloading the index", _download, client, generation, dest)


def _download(client, generation: str, dest: Path) -> None:
    files = client.get_collection(files_name(generation))
    total = files.count()
    parts: dict[str, dict[int, str]] = {}
    metas: dict[str, dict] = {}
    for offset in range(0, total, 16):
        got = files.get(limit=16, offset=offset, include=["documents", "metadatas"])
        for document, meta in zip(got["documents"], got["metadatas"], strict=True):
            parts.setdefault(meta["file"], {})[int(meta["part"])] = document
            metas[meta["file"]] = meta
    dest.mkdir(parents=True, exist_ok=True)
    for name, pieces in parts.items():
        meta = metas[name]
        if sorted(pieces) != list(range(int(meta["parts"]))) or "/" in name:
            raise ServerError(f"generation {generation} on the server is incomplete ({name})")
        text = "".join(pieces[i] for i in sorted(pieces))
        data = base64.b64decode(text) if meta["encoding"] == "base64" else text.encode("utf-8")
        if hashlib.sha256(data).hexdigest() != meta["sha256"]:
            raise ServerError(f"{name} of generation {generation} on the server does not match its hash")
        (dest / name).write_bytes(data)
    if "manifest.json" not in parts:
        raise ServerError(f"generation {generation} on the server has no manifest")


def pin(url: str, generation: str) -> None:
    _PINNED[url] = generation


# ---------------------------------------------------------------------------------------------- query


def query(
    vector: np.ndarray, k: int, path: Path | None = None, url: str | None = None, refs: list[str] | None = None,
    exclude_docs: list[str] | None = None,
) -> list[tuple[str, float]]:
    """Nearest chunks as (chunk id, cosine similarity), best first: among `refs` if given, never of `exclude_docs`."""
    client = open_client(path=path, url=url)
    if url:
        collection = _server_collection(client, url)
    else:
        try:
            collection = client.get_collection(base_name())
        except Exception as err:
            raise IndexCorrupt(f"Chroma store at {path} has no collection '{base_name()}'; {REBUILD_HINT}") from err
    where = {"ref": {"$in": refs}} if refs else ({"doc": {"$nin": exclude_docs}} if exclude_docs else None)
    n = min(k, collection.count())
    if n <= 0:
        return []
    result = collection.query(query_embeddings=[np.asarray(vector).tolist()], n_results=n, where=where,
                              include=["distances"])
    return [(cid, 1.0 - float(d)) for cid, d in zip(result["ids"][0], result["distances"][0], strict=True)]


def _server_collection(client, url: str):
    """The pinned generation's collection, or the current one when nothing is pinned or it is gone."""
    for generation in (_PINNED.get(url), None):
        if generation is None:
            generation, _ = _server_call(url, "reading the index pointer", server_generation, client)
            if generation is None:
                raise IndexMissing(f"the Chroma server at {url} has no qa index yet; run `qa index --chroma-url {url}`")
        try:
            return client.get_collection(vectors_name(generation))
        except Exception:
            continue
    raise IndexMissing(f"the Chroma server at {url} lost its current index; run `qa index --chroma-url {url}`")


def cache_dir(url: str) -> Path:
    """Where `ask --chroma-url` keeps the downloaded index when no --index-dir is given."""
    import os

    host, port, _ = parse_url(url)
    root = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return root / "qa" / "servers" / _NAME_CHARS.sub("-", f"{host}-{port}")
