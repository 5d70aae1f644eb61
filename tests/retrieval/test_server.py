"""The retriever against a Chroma server (`chroma run`, `HttpClient`): the results of the embedded store."""

from __future__ import annotations

import pytest
from small_corpus import CHUNKS, fill

from assistant.retrieval import HybridRetriever
from indexing.store import make_client, open_collection


@pytest.mark.server
def test_server_gives_the_embedded_results(chroma_server, small_store, e5, tmp_path, collection_name):
    collection = open_collection(make_client(url=chroma_server), collection_name, e5.name, e5.dimension)
    fill(collection, e5, CHUNKS)
    on_server = HybridRetriever(collection, e5, cache_dir=tmp_path / "cache")
    embedded = HybridRetriever(small_store[1], e5)
    for mode in ("bm25", "dense", "hybrid"):
        for filters in (None, {"area": "it"}, {"type": "teknisk_specifikation", "level": "bas"}):
            query = "återtag av uttjänt utrustning"
            ours = [
                (h.chunk_id, round(h.score, 4))
                for h in on_server.search(query, k=5, filters=filters, mode=mode)
            ]
            theirs = [
                (h.chunk_id, round(h.score, 4))
                for h in embedded.search(query, k=5, filters=filters, mode=mode)
            ]
            assert ours == theirs, (mode, filters)
    # the BM25 index follows the server's collection too
    collection.delete(ids=[f"{CHUNKS[7][0]}:000000000000:0"])
    assert on_server.search("matsvinn", k=3, mode="bm25") == []
