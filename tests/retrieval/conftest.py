"""Fixtures of the retrieval tests: a small real collection (real e5 vectors, real Chroma)."""

from __future__ import annotations

from pathlib import Path

import pytest
from small_corpus import CHUNKS, fill


@pytest.fixture(scope="session")
def small_store(tmp_path_factory: pytest.TempPathFactory, e5):
    """A session-wide read-only collection of CHUNKS: (client, collection)."""
    from indexing.store import make_client, open_collection

    path: Path = tmp_path_factory.mktemp("small-store")
    client = make_client(path=path / "chroma")
    collection = open_collection(client, "small", e5.name, e5.dimension)
    fill(collection, e5, CHUNKS)
    return client, collection
