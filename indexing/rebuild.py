"""`cirkla index --rebuild`: index everything again into a new collection, and swap it in only when it is done.

    report = rebuild_collection(client, "cirkla", embedder, roots, worker=worker)

The new collection is built beside the old one (`<name>-rebuild`), so the old one answers questions until the
end, and a run killed midway leaves it untouched (the next rebuild starts the new one over). A file that fails
in the rebuild keeps what the old collection held of it: its chunks are carried over, embedded again when the
embedder changed. The swap renames the old collection away (`<name>-previous`), the new one into place, then
drops the old one; a run killed between the renames is finished by the next one (`finish_swap`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from indexing.chunking import embed_text
from indexing.schema import CorpusRoot
from indexing.store import DIMENSION_KEY, EMBEDDER_KEY, drop_collection, open_collection
from indexing.sync import WRITE_BATCH, Progress, SyncReport, sync_corpus

REBUILD_SUFFIX = "-rebuild"
PREVIOUS_SUFFIX = "-previous"
KEPT = "; its previous version is kept"


def rebuild_collection(
    client: Any,
    name: str,
    embedder: Any,
    roots: Sequence[CorpusRoot],
    *,
    worker: Any = None,
    progress: Progress | None = None,
    reject: Mapping[str, str] | None = None,
) -> SyncReport:
    """Index `roots` into a fresh collection with `embedder`, keep the previous chunks of files that fail, and
    make it collection `name`."""
    finish_swap(client, name)
    drop_collection(client, name + REBUILD_SUFFIX)  # a rebuild that was killed before its swap
    old = _get(client, name)
    new = open_collection(client, name + REBUILD_SUFFIX, embedder.name, embedder.dimension)
    report = sync_corpus(new, embedder, roots, worker=worker, progress=progress, reject=reject)
    if old is not None:
        for key in _carry_over(old, new, embedder, report.failed):
            report.failed[key] += KEPT
    if old is not None:
        old.modify(name=name + PREVIOUS_SUFFIX)
    new.modify(name=name)
    drop_collection(client, name + PREVIOUS_SUFFIX)
    return report


def finish_swap(client: Any, name: str) -> None:
    """Complete a rebuild's swap that a killed run left half done: the finished new collection takes the name."""
    previous = _get(client, name + PREVIOUS_SUFFIX)
    if previous is None:
        return
    if _get(client, name) is None:
        rebuilt = _get(client, name + REBUILD_SUFFIX)
        if rebuilt is None:  # the new one is gone too: the previous one is all there is
            previous.modify(name=name)
            return
        rebuilt.modify(name=name)
    drop_collection(client, name + PREVIOUS_SUFFIX)


def _get(client: Any, name: str) -> Any:
    try:
        return client.get_collection(name, embedding_function=None)
    except Exception:  # NotFoundError
        return None


def _carry_over(old: Any, new: Any, embedder: Any, failed: Mapping[str, str]) -> list[str]:
    """Copy the old chunks of each failed file into `new`; the keys of the files that had any."""
    meta = old.metadata or {}
    same_space = meta.get(EMBEDDER_KEY) == embedder.name and meta.get(DIMENSION_KEY) == embedder.dimension
    kept = []
    for key in sorted(failed):
        root, _, source = key.partition("/")
        got = old.get(
            where={"$and": [{"root": root}, {"source": source}]},
            include=["documents", "metadatas", "embeddings"] if same_space else ["documents", "metadatas"],
        )
        if not got["ids"]:
            continue
        documents = [doc or "" for doc in got["documents"]]
        metadatas = [dict(item or {}) for item in got["metadatas"]]
        if same_space:
            vectors = [list(vector) for vector in got["embeddings"]]
        else:
            vectors = embedder.embed_documents([embed_text(m, d) for m, d in zip(metadatas, documents, strict=True)])
        for start in range(0, len(got["ids"]), WRITE_BATCH):
            end = start + WRITE_BATCH
            new.upsert(
                ids=got["ids"][start:end],
                documents=documents[start:end],
                metadatas=metadatas[start:end],
                embeddings=vectors[start:end],
            )
        kept.append(key)
    return kept
