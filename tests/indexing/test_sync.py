"""`sync_corpus` on a real embedded Chroma with the real e5 model: incremental, crash-safe, loses nothing.

Most tests use a small corpus written into tmp_path (short notes embed fast); one indexes the shipped corpus.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from indexing.schema import CorpusRoot
from indexing.store import make_client, open_collection
from indexing.sync import read_metadatas, sync_corpus
from indexing.worker import ParseWorker

CORPUS = Path(__file__).resolve().parents[2] / "corpus"


def note(folder: Path, name: str, title: str, *paragraphs: str) -> Path:
    """A guidance-style Markdown note with front matter; each `## ` section becomes its own chunk."""
    path = folder / "guidance" / f"{name}.md"
    path.parent.mkdir(parents=True, exist_ok=True)
    sections = "\n\n".join(f"## Del {n}\n\n{text}" for n, text in enumerate(paragraphs, start=1))
    path.write_text(f"---\ndoc_id: {name}\ntitle: {title}\n---\n# {title}\n\n{sections}\n", encoding="utf-8")
    return path


def small_corpus(folder: Path) -> CorpusRoot:
    note(folder, "mobler", "Möbler", "Reservdelar ska finnas i fem år.", "Begagnade möbler godtas.")
    note(folder, "it", "IT", "Datorer ska kunna repareras.")
    note(folder, "textil", "Textil", "Arbetskläder ska kunna lagas.", "Återtag av uttjänta plagg.")
    (folder / "README.md").write_text("# Om mappen\n\nInte ett dokument.\n", encoding="utf-8")
    (folder / ".utkast.md").write_text("# Dold\n\nInte heller.\n", encoding="utf-8")
    return CorpusRoot("corpus", folder)


def ids_of(collection) -> set[str]:
    return set(collection.get(include=[])["ids"])


def by_source(collection) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for chunk_id, meta in read_metadatas(collection):
        out.setdefault(meta["source"], set()).add(chunk_id)
    return out


@pytest.fixture
def store(tmp_path: Path, e5, collection_name: str):
    client = make_client(path=tmp_path / "chroma")
    return open_collection(client, collection_name, e5.name, e5.dimension)


@pytest.fixture(scope="module")
def worker():
    parse_worker = ParseWorker(timeout_s=60, memory_mb=2048, max_bytes=10_000_000)
    yield parse_worker
    parse_worker.close()


class BrokenEmbedder:
    """The real e5, except that it fails on any text containing `marker`: a model error, at the seam."""

    def __init__(self, inner, marker: str):
        self.inner, self.marker = inner, marker

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        if any(self.marker in text for text in texts):
            raise RuntimeError("model failed")
        return self.inner.embed_documents(texts)


def test_first_sync_indexes_every_document_and_skips_readme_and_hidden(tmp_path, store, e5, worker):
    root = small_corpus(tmp_path / "corpus")
    calls: list[tuple[int, int, str]] = []
    report = sync_corpus(store, e5, [root], worker=worker, progress=lambda *args: calls.append(args))

    assert report.added == ["corpus/guidance/it.md", "corpus/guidance/mobler.md", "corpus/guidance/textil.md"]
    assert report.failed == {} and report.updated == report.unchanged == report.removed == []
    assert report.chunks_written == 5 == len(ids_of(store))  # 2 + 1 + 2 sections
    assert calls[-1] == (3, 3, "done")
    meta = dict(read_metadatas(store))
    for chunk_id, m in meta.items():
        assert m["chunk_id"] == chunk_id and m["root"] == "corpus"
        assert len(m["file_hash"]) == 64 and m["indexed_at"].endswith("+00:00")
        assert m["file_chunks"] == (1 if m["source"] == "guidance/it.md" else 2)


def test_resync_adds_updates_skips_and_removes(tmp_path, store, e5, worker):
    root = small_corpus(tmp_path / "corpus")
    sync_corpus(store, e5, [root], worker=worker)
    before = by_source(store)

    again = sync_corpus(store, e5, [root], worker=worker)
    assert (again.added, again.updated, again.removed, again.failed) == ([], [], [], {})
    assert len(again.unchanged) == 3 and again.chunks_written == again.chunks_deleted == 0

    note(tmp_path / "corpus", "it", "IT", "Datorer ska kunna repareras av tredje part.")  # changed
    (tmp_path / "corpus" / "guidance" / "textil.md").unlink()  # removed
    note(tmp_path / "corpus", "bygg", "Bygg", "Återbrukat byggmaterial.")  # new
    report = sync_corpus(store, e5, [root], worker=worker)

    assert report.added == ["corpus/guidance/bygg.md"]
    assert report.updated == ["corpus/guidance/it.md"]
    assert report.unchanged == ["corpus/guidance/mobler.md"]
    assert report.removed == ["corpus/guidance/textil.md"]
    assert report.chunks_written == 2 and report.chunks_deleted == 1 + 2  # it's old chunk, textil's two
    after = by_source(store)
    assert set(after) == {"guidance/bygg.md", "guidance/it.md", "guidance/mobler.md"}
    assert after["guidance/mobler.md"] == before["guidance/mobler.md"]
    assert after["guidance/it.md"].isdisjoint(before["guidance/it.md"])


def test_failed_embedding_on_update_keeps_the_old_chunks(tmp_path, store, e5, worker):
    root = small_corpus(tmp_path / "corpus")
    sync_corpus(store, e5, [root], worker=worker)
    before = by_source(store)
    note(tmp_path / "corpus", "it", "IT", "EXPLODE: en ny version som modellen inte klarar.")
    note(tmp_path / "corpus", "mobler", "Möbler", "Reservdelar ska finnas i tio år.")

    report = sync_corpus(store, BrokenEmbedder(e5, "EXPLODE"), [root], worker=worker)

    # The new version could not be embedded, so nothing of it was written and nothing of the old one deleted;
    # the other changed file in the same batch still got in.
    assert report.failed == {"corpus/guidance/it.md": "embedding failed: RuntimeError: model failed"}
    assert report.updated == ["corpus/guidance/mobler.md"]
    after = by_source(store)
    assert after["guidance/it.md"] == before["guidance/it.md"]
    assert after["guidance/mobler.md"].isdisjoint(before["guidance/mobler.md"])

    healed = sync_corpus(store, e5, [root], worker=worker)  # with a working model the next run catches up
    assert healed.updated == ["corpus/guidance/it.md"] and healed.failed == {}


def test_a_bad_file_is_reported_the_rest_indexed_and_its_old_version_kept(tmp_path, store, e5, worker):
    root = small_corpus(tmp_path / "corpus")
    sync_corpus(store, e5, [root], worker=worker)
    before = by_source(store)
    (tmp_path / "corpus" / "guidance" / "it.md").write_text("", encoding="utf-8")  # now unreadable
    (tmp_path / "corpus" / "tom.md").write_text("", encoding="utf-8")  # never readable
    note(tmp_path / "corpus", "bygg", "Bygg", "Återbrukat byggmaterial.")

    report = sync_corpus(store, e5, [root], worker=worker)

    assert set(report.failed) == {"corpus/guidance/it.md", "corpus/tom.md"}
    assert "empty" in report.failed["corpus/tom.md"]
    assert report.added == ["corpus/guidance/bygg.md"] and report.removed == []
    after = by_source(store)
    assert after["guidance/it.md"] == before["guidance/it.md"]  # the last good version is still searchable
    assert "tom.md" not in after


def test_interrupted_update_is_completed_by_the_next_run(tmp_path, store, e5, worker):
    """A run killed between writing a file's new chunks and deleting its old ones leaves both; the next run
    must end exactly where a clean run ends. The mixed state is made here by writing the new chunks alone."""
    root = small_corpus(tmp_path / "corpus")
    sync_corpus(store, e5, [root], worker=worker)
    note(tmp_path / "corpus", "mobler", "Möbler", "Reservdelar i tio år.", "Begagnade möbler godtas.")
    new_chunks = worker.parse(tmp_path / "corpus" / "guidance" / "mobler.md", root)
    store.upsert(
        ids=[chunk.id for chunk in new_chunks],
        embeddings=e5.embed_documents([chunk.embed_text for chunk in new_chunks]),
        documents=[chunk.text for chunk in new_chunks],
        metadatas=[dict(chunk.metadata) for chunk in new_chunks],
    )
    assert len(by_source(store)["guidance/mobler.md"]) == 4  # old and new side by side

    report = sync_corpus(store, e5, [root], worker=worker)
    assert report.updated == ["corpus/guidance/mobler.md"]
    assert report.chunks_deleted == 2  # the old version's ids, and nothing else

    clean = open_collection(make_client(path=tmp_path / "clean"), "clean-run", e5.name, e5.dimension)
    sync_corpus(clean, e5, [root], worker=worker)
    assert ids_of(store) == ids_of(clean)


def test_rebuild_reindexes_everything_and_roots_not_given_are_left_alone(tmp_path, store, e5, worker):
    root = small_corpus(tmp_path / "corpus")
    staff = tmp_path / "documents"
    staff.mkdir()
    (staff / "anteckning.md").write_text("# Anteckning\n\nLokala rutiner för återbruk.\n", encoding="utf-8")
    staff_root = CorpusRoot("documents", staff)
    sync_corpus(store, e5, [root, staff_root], worker=worker)
    all_ids = ids_of(store)

    only_corpus = sync_corpus(store, e5, [root], worker=worker)  # e.g. what `cirkla add` does for its root
    assert only_corpus.removed == [] and ids_of(store) == all_ids

    rebuilt = sync_corpus(store, e5, [root, staff_root], rebuild=True, worker=worker)
    assert len(rebuilt.added) == 4 and rebuilt.chunks_written == len(all_ids)
    assert ids_of(store) == all_ids


def test_a_missing_root_folder_is_an_error_not_a_deletion(tmp_path, store, e5, worker):
    from indexing.errors import ConfigError

    root = small_corpus(tmp_path / "corpus")
    sync_corpus(store, e5, [root], worker=worker)
    with pytest.raises(ConfigError, match="does not exist"):
        sync_corpus(store, e5, [CorpusRoot("corpus", tmp_path / "moved-away")], worker=worker)
    assert len(ids_of(store)) == 5


def test_a_doc_id_claimed_by_two_files_fails_the_second(tmp_path, store, e5, worker):
    root = small_corpus(tmp_path / "corpus")
    copy = tmp_path / "corpus" / "extra" / "mobler.md"
    copy.parent.mkdir()
    copy.write_text((tmp_path / "corpus" / "guidance" / "mobler.md").read_text(encoding="utf-8"))

    report = sync_corpus(store, e5, [root], worker=worker)
    # files go in path order: extra/ before guidance/, so the copy claims doc_id `mobler` first
    assert report.failed == {
        "corpus/guidance/mobler.md": "doc_id 'mobler' is already indexed from corpus/extra/mobler.md; "
        "ids must be unique"
    }
    again = sync_corpus(store, e5, [root], worker=worker)
    assert again.failed == report.failed and again.chunks_written == again.chunks_deleted == 0


def test_the_shipped_corpus_indexes_without_failures_and_resyncs_as_unchanged(seed_store):
    _, collection, e5 = seed_store
    report = sync_corpus(collection, e5, [CorpusRoot("corpus", CORPUS)])  # read-only: nothing changes
    assert report.failed == {} and report.added == report.updated == report.removed == []
    assert report.chunks_written == 0
    # every shipped file is seen and found unchanged (an empty walk would pass the checks above)
    assert len(report.unchanged) == len({meta["source"] for _, meta in read_metadatas(collection)})
    kinds = {meta["kind"] for _, meta in read_metadatas(collection)}
    assert {"clause", "guidance"} <= kinds
