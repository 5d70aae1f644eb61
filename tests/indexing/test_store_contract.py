"""The store's contract, written once and run on both deployments: an embedded `PersistentClient` folder and a
Chroma server (`chroma run`) reached through `HttpClient`. Whatever the app and the indexer rely on is here.
"""

from __future__ import annotations

import socket
import uuid
from pathlib import Path

import pytest

from indexing.errors import ConfigError, EmbedderMismatch, StoreError
from indexing.schema import CorpusRoot
from indexing.store import DIMENSION_KEY, EMBEDDER_KEY, drop_collection, make_client, open_collection
from indexing.sync import read_metadatas, sync_corpus
from indexing.worker import ParseWorker


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(params=["embedded", "server"])
def client(request, tmp_path):
    """A Chroma client of either deployment; the contract below must hold for both."""
    if request.param == "embedded":
        return make_client(path=tmp_path / "chroma")
    return make_client(url=request.getfixturevalue("chroma_server"))


@pytest.fixture
def name() -> str:
    return f"contract-{uuid.uuid4().hex[:12]}"  # the server is shared by the module's tests


@pytest.fixture(scope="module")
def worker():
    parse_worker = ParseWorker(timeout_s=60, memory_mb=2048, max_bytes=10_000_000)
    yield parse_worker
    parse_worker.close()


def write_notes(folder: Path, notes: dict[str, str]) -> CorpusRoot:
    folder.mkdir(parents=True, exist_ok=True)
    for stem, text in notes.items():
        (folder / f"{stem}.md").write_text(f"# {stem}\n\n{text}\n", encoding="utf-8")
    return CorpusRoot("corpus", folder)


NOTES = {
    "reservdelar": "Leverantören ska kunna leverera reservdelar till kontorsstolar i minst fem år.",
    "begagnat": "Begagnade möbler ska rekonditioneras innan de levereras.",
    "batteri": "Bärbara datorer ska ha ett batteri som användaren kan byta.",
}


def test_a_new_collection_records_its_embedder_and_reopens(client, name, e5):
    collection = open_collection(client, name, e5.name, e5.dimension)
    assert collection.metadata[EMBEDDER_KEY] == e5.name and collection.metadata[DIMENSION_KEY] == e5.dimension
    assert open_collection(client, name, e5.name, e5.dimension, create=False).name == name


def test_another_embedder_is_refused_with_the_rebuild_command(client, name, e5):
    open_collection(client, name, e5.name, e5.dimension)
    with pytest.raises(EmbedderMismatch, match=r"run `cirkla index --rebuild`") as caught:
        open_collection(client, name, "sentence-transformers:all-MiniLM-L6-v2", 384)
    assert "e5-small-q4" in str(caught.value) and "sentence-transformers:all-MiniLM-L6-v2" in str(
        caught.value
    )
    with pytest.raises(EmbedderMismatch):
        open_collection(client, name, e5.name, 768)


def test_a_missing_collection_is_not_created_for_reading(client, name, e5):
    with pytest.raises(StoreError, match="run `cirkla index` first"):
        open_collection(client, name, e5.name, e5.dimension, create=False)


def test_drop_removes_a_collection_and_ignores_an_absent_one(client, name, e5):
    open_collection(client, name, e5.name, e5.dimension)
    drop_collection(client, name)
    drop_collection(client, name)
    with pytest.raises(StoreError):
        open_collection(client, name, e5.name, e5.dimension, create=False)


def test_sync_then_search_round_trips_text_metadata_and_vectors(client, name, e5, worker, tmp_path):
    collection = open_collection(client, name, e5.name, e5.dimension)
    root = write_notes(tmp_path / "corpus", NOTES)
    report = sync_corpus(collection, e5, [root], worker=worker)
    assert len(report.added) == 3 and report.chunks_written == 3

    hit = collection.query(query_embeddings=[e5.embed_query("reservdelar till stolar")], n_results=1)
    meta = hit["metadatas"][0][0]
    assert meta["source"] == "reservdelar.md" and meta["root"] == "corpus" and meta["file_chunks"] == 1
    assert NOTES["reservdelar"] in hit["documents"][0][0]
    assert 0 <= hit["distances"][0][0] < 1  # cosine space: distance = 1 - cosine similarity

    by_kind = collection.get(where={"kind": "document"}, include=["metadatas"])
    assert len(by_kind["ids"]) == 3


def test_list_metadata_survives_the_round_trip(client, name, e5):
    collection = open_collection(client, name, e5.name, e5.dimension)
    meta = {
        "doc_id": "MOB-TS-01",
        "kind": "clause",
        "strategies": ["reparation", "lång_livslängd"],
        "page": 3,
    }
    collection.upsert(
        ids=["MOB-TS-01:abc:0"], embeddings=[e5.embed_query("x")], documents=["t"], metadatas=[meta]
    )
    got = collection.get(ids=["MOB-TS-01:abc:0"], include=["metadatas"])["metadatas"][0]
    assert got["strategies"] == ["reparation", "lång_livslängd"] and got["page"] == 3


def test_incremental_sync_and_paged_reads_behave_the_same(client, name, e5, worker, tmp_path):
    collection = open_collection(client, name, e5.name, e5.dimension)
    root = write_notes(tmp_path / "corpus", NOTES)
    sync_corpus(collection, e5, [root], worker=worker)
    write_notes(tmp_path / "corpus", {"batteri": "Batteriet ska gå att byta utan verktyg."})
    (tmp_path / "corpus" / "begagnat.md").unlink()

    report = sync_corpus(collection, e5, [root], worker=worker)
    assert (report.updated, report.removed, report.unchanged) == (
        ["corpus/batteri.md"],
        ["corpus/begagnat.md"],
        ["corpus/reservdelar.md"],
    )
    rows = read_metadatas(collection, page=1)  # one chunk a page: the pager must not lose or repeat any
    assert sorted(meta["source"] for _, meta in rows) == ["batteri.md", "reservdelar.md"]
    assert sorted(chunk_id for chunk_id, _ in rows) == sorted(collection.get(include=[])["ids"])


def test_client_factory_rejects_bad_addresses(tmp_path):
    with pytest.raises(ConfigError, match="not of the form"):
        make_client(url="localhost:8000")
    with pytest.raises(StoreError, match="cannot reach the Chroma server"):
        make_client(url=f"http://127.0.0.1:{free_port()}")
    with pytest.raises(ConfigError):
        make_client()
