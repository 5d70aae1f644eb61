"""Composition from settings: the only place that turns a `Settings` into live parts.

Lower layers take these parts as arguments. The CLI and the app call these functions; tests may too.
"""

from __future__ import annotations

from typing import Any

from assistant.settings import Settings
from indexing.embeddings import CirklaEmbeddings, make_embedder
from indexing.live import LiveCollection
from indexing.schema import CorpusRoot
from indexing.store import forget_client, make_client, open_collection


def corpus_roots(settings: Settings) -> list[CorpusRoot]:
    """The bundled corpus folder(s) and the staff documents folder, in that order."""
    encoding = settings.text_fallback_encoding
    roots = [CorpusRoot(name=path.name or "corpus", path=path, encoding=encoding) for path in settings.corpus_dirs]
    roots.append(CorpusRoot(name="documents", path=settings.documents_dir, encoding=encoding))
    return roots


def embedder_from(settings: Settings) -> CirklaEmbeddings:
    """The configured embedder."""
    return make_embedder(settings.embedding_model, allow_downloads=settings.allow_downloads)


def client_from(settings: Settings) -> Any:
    """A Chroma client: the server at `chroma_url`, or the embedded store under `data_dir`."""
    return make_client(path=settings.chroma_path, url=settings.chroma_url)


def collection_from(settings: Settings, client: Any, embedder: CirklaEmbeddings, create: bool = True) -> Any:
    """The configured collection, checked against the embedder."""
    return open_collection(client, settings.collection, embedder.name, embedder.dimension, create=create)


def live_collection_from(settings: Settings, embedder: CirklaEmbeddings) -> LiveCollection:
    """The configured collection for a long-running reader (the app): reopened when another process (`cirkla
    index`, `add`, `remove`, or another app) changes the store, so answers follow the corpus without a restart."""

    def open_client(fresh: bool) -> Any:
        if fresh and not settings.chroma_url:
            forget_client(settings.chroma_path)
        return client_from(settings)

    open_collection(client_from(settings), settings.collection, embedder.name, embedder.dimension)  # create once
    return LiveCollection(open_client, settings.collection, embedder.name, embedder.dimension)
