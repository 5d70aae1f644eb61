"""Composition from settings: the only place that turns a `Settings` into live parts.

Lower layers take these parts as arguments. The CLI and the app call these functions; tests may too.
"""

from __future__ import annotations

from typing import Any

from assistant.settings import Settings
from indexing.embeddings import CirklaEmbeddings, make_embedder
from indexing.schema import CorpusRoot
from indexing.store import make_client, open_collection


def corpus_roots(settings: Settings) -> list[CorpusRoot]:
    """The bundled corpus folder(s) and the staff documents folder, in that order."""
    roots = [CorpusRoot(name=path.name or "corpus", path=path) for path in settings.corpus_dirs]
    roots.append(CorpusRoot(name="documents", path=settings.documents_dir))
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
