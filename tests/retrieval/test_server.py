"""The retriever against a Chroma server (`chroma run`, `HttpClient`): the results of the embedded store."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from small_corpus import CHUNKS, fill

from assistant.retrieval import HybridRetriever
from indexing.errors import StoreError
from indexing.store import make_client, open_collection

CHROMA = Path(sys.executable).with_name("chroma")


@pytest.fixture(scope="module")
def server_url(tmp_path_factory):
    """`chroma run` on a free port with its own folder; its URL once the heartbeat answers."""
    path = tmp_path_factory.mktemp("chroma-server")
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = int(sock.getsockname()[1])
    log = (path / "server.log").open("w")
    command = [str(CHROMA), "run", "--path", str(path / "data"), "--host", "127.0.0.1", "--port", str(port)]
    process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 90
    while True:
        try:
            make_client(url=url)
            break
        except StoreError:
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                pytest.fail(f"chroma run did not come up: {(path / 'server.log').read_text()[-2000:]}")
            time.sleep(0.2)
    yield url
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
    log.close()


@pytest.mark.server
def test_server_gives_the_embedded_results(server_url, small_store, e5, tmp_path, collection_name):
    collection = open_collection(make_client(url=server_url), collection_name, e5.name, e5.dimension)
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
