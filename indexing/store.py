"""The Chroma store: a client factory, and opening a collection that remembers which embedder built it.

Everything except `make_client` takes a ready client, so the same code runs on an embedded folder and on a
Chroma server.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import urlparse

from indexing.errors import ConfigError, EmbedderMismatch, StoreError

EMBEDDER_KEY = "cirkla:embedder"
DIMENSION_KEY = "cirkla:dimension"
VERSION_KEY = "cirkla:version"  # changed by every write, so readers in other processes notice (`store_version`)


def make_client(path: Path | None = None, url: str | None = None) -> Any:
    """An `HttpClient` when `url` is given (`http://host:port`), else an embedded `PersistentClient` at `path`."""
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    chroma_settings = ChromaSettings(anonymized_telemetry=False)
    if url:
        parsed = urlparse(url)
        if parsed.scheme not in ("http", "https") or not parsed.hostname:
            raise ConfigError(f"Chroma URL {url!r} is not of the form http://host:port")
        port = parsed.port or (443 if parsed.scheme == "https" else 8000)
        try:
            client = chromadb.HttpClient(
                host=parsed.hostname, port=port, ssl=parsed.scheme == "https", settings=chroma_settings
            )
            client.heartbeat()
        except Exception as exc:  # chromadb raises ValueError/ConnectionError variants
            raise StoreError(f"cannot reach the Chroma server at {url}: {exc}. Is `chroma run` up?") from exc
        return client
    if path is None:
        raise ConfigError("an embedded store needs a folder (path) or a server URL")
    path.mkdir(parents=True, exist_ok=True)
    return chromadb.PersistentClient(path=str(path), settings=chroma_settings)


def open_collection(client: Any, name: str, embedder_name: str, dimension: int, create: bool = True) -> Any:
    """Open (or create) collection `name`, refusing one that another embedder built."""
    try:
        collection = client.get_collection(name, embedding_function=None)
    except Exception:  # NotFoundError in 1.x, ValueError in older clients
        if not create:
            raise StoreError(f"collection {name!r} does not exist yet; run `cirkla index` first") from None
        return client.create_collection(
            name,
            metadata={EMBEDDER_KEY: embedder_name, DIMENSION_KEY: dimension},
            configuration={"hnsw": {"space": "cosine"}},
            embedding_function=None,
        )
    meta = collection.metadata or {}
    built_with, built_dim = meta.get(EMBEDDER_KEY), meta.get(DIMENSION_KEY)
    if built_with != embedder_name or built_dim != dimension:
        raise EmbedderMismatch(
            f"collection {name!r} was built with embedder {built_with!r} ({built_dim} dimensions), "
            f"not {embedder_name!r} ({dimension}); run `cirkla index --rebuild` to rebuild it"
        )
    return collection


def drop_collection(client: Any, name: str) -> None:
    """Delete collection `name` if it exists."""
    try:
        client.delete_collection(name)
    except Exception:  # absent already
        pass


def bump_version(collection: Any) -> str:
    """Record that `collection` changed: a new random version in its metadata, which every reader sees."""
    import uuid

    version = uuid.uuid4().hex
    metadata = {key: value for key, value in (collection.metadata or {}).items() if not key.startswith("hnsw:")}
    collection.modify(metadata={**metadata, VERSION_KEY: version})
    return version


def store_version(client: Any, name: str) -> str | None:
    """What the collection is now: its id and version (None when it does not exist). Cheap: one metadata read,
    which the embedded store answers from its database file, so another process's write shows at once."""
    try:
        collection = client.get_collection(name, embedding_function=None)
    except Exception:  # NotFoundError: not created yet, or dropped by a rebuild
        return None
    return f"{collection.id}:{(collection.metadata or {}).get(VERSION_KEY, '')}"


def forget_client(path: Path) -> None:
    """Drop the embedded client this process keeps for `path`, so the next `make_client` reads the folder afresh.

    An embedded Chroma client caches the vector index in memory; after another process writes the folder that
    cache is stale (queries then fail with "Error finding id"). Clients of other folders are not touched."""
    from chromadb.api.shared_system_client import SharedSystemClient

    systems = getattr(SharedSystemClient, "_identifier_to_system", None)
    if not isinstance(systems, dict):  # the private cache moved: clear every cached client instead
        SharedSystemClient.clear_system_cache()
        return
    for key in [key for key in systems if key in (str(path), str(path.resolve()))]:
        system = systems.pop(key)
        try:
            system.stop()
        except Exception:  # a system that is already stopping
            pass
