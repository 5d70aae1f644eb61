"""What the staff's commands share: where the store is, its write lock, reading it, and syncing roots into it.

Writes to an embedded store hold its write lock (`indexing.lock`); reads never do, and never load the model.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from assistant.settings import Settings
from assistant.wiring import client_from, collection_from, embedder_from
from indexing.errors import StoreError
from indexing.lock import index_lock
from indexing.schema import CorpusRoot
from indexing.store import drop_collection
from indexing.sync import SyncReport, sync_corpus

DOCUMENTS_ROOT = "documents"  # the root name `assistant.wiring.corpus_roots` gives the staff documents folder


def store_location(settings: Settings) -> str:
    """Where the store is: the server URL, or the embedded folder."""
    return settings.chroma_url or str(settings.chroma_path)


def write_lock(settings: Settings) -> Any:
    """The embedded store's write lock; nothing for a Chroma server."""
    return index_lock(None if settings.chroma_url else settings.chroma_path)


def read_collection(settings: Settings) -> Any:
    """The configured collection for reading: no embedder is loaded, and nothing is created."""
    client = client_from(settings)
    try:
        return client.get_collection(settings.collection, embedding_function=None)
    except Exception:  # NotFoundError in chromadb 1.x
        raise StoreError(
            f"collection {settings.collection!r} does not exist in {store_location(settings)} yet; "
            "run `cirkla index` first"
        ) from None


def make_worker(settings: Settings) -> Any:
    """A parse worker with the configured time, memory and file-size limits."""
    from indexing.worker import ParseWorker

    return ParseWorker(
        timeout_s=settings.parse_timeout_s,
        memory_mb=settings.parse_memory_mb,
        max_bytes=int(settings.max_file_mb * 1024 * 1024),
    )


@contextmanager
def progress_bar(enabled: bool) -> Iterator[Any]:
    """A rich progress bar on stderr, fed by `sync_corpus`'s progress callback; None when disabled."""
    if not enabled:
        yield None
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    progress = Progress(
        TextColumn("indexing"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        TextColumn("{task.description}", style="dim"),
        console=Console(stderr=True),
    )
    task = progress.add_task("", total=None)

    def update(done: int, total: int, name: str) -> None:
        progress.update(task, completed=done, total=total, description=name)

    with progress:
        yield update


def sync_roots(
    settings: Settings,
    roots: list[CorpusRoot],
    *,
    rebuild: bool = False,
    reject: dict[str, str] | None = None,
    show_progress: bool = False,
) -> SyncReport:
    """Sync `roots` into the configured collection. The caller holds the write lock."""
    client = client_from(settings)
    embedder = embedder_from(settings)
    if rebuild:
        drop_collection(client, settings.collection)
    collection = collection_from(settings, client, embedder)
    worker = make_worker(settings)
    try:
        with progress_bar(show_progress) as progress:
            return sync_corpus(
                collection, embedder, roots, rebuild=rebuild, worker=worker, progress=progress, reject=reject
            )
    finally:
        worker.close()
