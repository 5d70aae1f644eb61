"""Issue 16, defect 7: `--rebuild` keeps what it could not replace, and swaps in the new collection only when done."""

from __future__ import annotations

from indexing.rebuild import PREVIOUS_SUFFIX, REBUILD_SUFFIX, finish_swap, rebuild_collection
from indexing.schema import CorpusRoot
from indexing.store import make_client, open_collection
from indexing.sync import sync_corpus
from tests.writes.conftest import cirkla_json, doc_ids


def test_a_file_that_fails_during_a_rebuild_keeps_its_previous_version(notes):
    cirkla_json("index")
    before = doc_ids()
    (notes / "textil.md").write_bytes(b"")  # now unreadable: empty
    report = cirkla_json("index", "--rebuild", code=1)
    assert report["failed"]["notes/textil.md"] == "the file is empty; its previous version is kept"
    assert doc_ids() == before  # the plain index keeps it too; a rebuild no longer drops it
    hits = cirkla_json("search", "arbetskläder textilservice", "-k", "3")
    assert hits[0]["doc_id"] == "notes-textil-md"


def test_a_rebuild_with_another_embedder_carries_the_failed_file_over_re_embedded(tmp_path, e5):
    folder = tmp_path / "notes"
    folder.mkdir()
    (folder / "a.md").write_text("# Återbruk\n\nBegagnade möbler först.\n", encoding="utf-8")
    (folder / "b.md").write_text("# Reparation\n\nStolar lagas av en möbelverkstad.\n", encoding="utf-8")
    client = make_client(path=tmp_path / "chroma")
    old = open_collection(client, "cirkla", "old-embedder", e5.dimension)
    assert not sync_corpus(old, e5, [CorpusRoot("notes", folder)]).failed
    (folder / "b.md").write_bytes(b"\x00\x01binary")

    report = rebuild_collection(client, "cirkla", e5, [CorpusRoot("notes", folder)])
    kept = "binary content, not text (is the extension wrong?); its previous version is kept"
    assert report.failed == {"notes/b.md": kept}
    new = client.get_collection("cirkla", embedding_function=None)
    assert new.metadata["cirkla:embedder"] == e5.name
    carried = new.get(where={"source": "b.md"}, include=["embeddings", "documents"])
    assert carried["ids"] and "möbelverkstad" in carried["documents"][0]
    hit = new.query(query_embeddings=[e5.embed_query("laga stolar")], n_results=1)
    assert hit["metadatas"][0][0]["source"] == "b.md"  # the carried-over chunk was embedded by the new model
    names = {collection.name for collection in client.list_collections()}
    assert names == {"cirkla"}


def test_a_rebuild_killed_between_its_renames_is_finished_by_the_next_run(tmp_path, e5):
    client = make_client(path=tmp_path / "chroma")
    done = open_collection(client, "cirkla" + REBUILD_SUFFIX, e5.name, e5.dimension)
    done.add(ids=["x"], embeddings=[[0.1] * e5.dimension], documents=["ny"])
    previous = open_collection(client, "cirkla", e5.name, e5.dimension)
    previous.modify(name="cirkla" + PREVIOUS_SUFFIX)  # killed right here
    finish_swap(client, "cirkla")
    collection = client.get_collection("cirkla", embedding_function=None)
    assert collection.get(ids=["x"])["documents"] == ["ny"]
    assert {c.name for c in client.list_collections()} == {"cirkla"}
