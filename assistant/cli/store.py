"""What the staff's commands share: where the store is, its write lock, reading it, and syncing roots into it.

Writes to an embedded store hold its write lock (`indexing.lock`); reads never do, and never load the model.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from assistant.settings import Settings
from assistant.wiring import client_from, collection_from, embedder_from
from indexing.errors import ConfigError, StoreError
from indexing.lock import index_lock
from indexing.rebuild import rebuild_collection
from indexing.schema import CorpusRoot
from indexing.sync import SyncReport, sync_corpus

DOCUMENTS_ROOT = "documents"  # the root name `assistant.wiring.corpus_roots` gives the staff documents folder


def store_location(settings: Settings) -> str:
    """Where the store is: the server URL, or the embedded folder."""
    return settings.chroma_url or str(settings.chroma_path)


def write_lock(settings: Settings) -> Any:
    """The embedded store's write lock; nothing for a Chroma server. A second writer waits (saying so once) up
    to `lock_wait_s` before it gives up."""
    import click

    def waiting() -> None:
        click.echo(
            f"cirkla: another `cirkla index`, `add` or `remove` is writing the store; waiting up to "
            f"{settings.lock_wait_s:g} s (CIRKLA_LOCK_WAIT_S) …",
            err=True,
        )

    return index_lock(None if settings.chroma_url else settings.chroma_path, settings.lock_wait_s, waiting)


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
        max_chunks=settings.max_file_chunks,
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


def staff_folder_ready(settings: Settings) -> None:
    """Make sure the staff documents folder is there before anything is synced from it.

    A missing folder must never read as "every staff document was deleted" (an unmounted share): a configured
    `CIRKLA_STAFF_DIR` that does not exist is an error, and so is a missing default folder while the store holds
    staff documents. Only a default folder with nothing indexed from it is created."""
    folder = settings.documents_dir
    if folder.is_dir():
        return
    if settings.staff_dir is not None:
        raise ConfigError(
            f"the staff documents folder {str(folder)!r} (CIRKLA_STAFF_DIR) does not exist; is the share mounted? "
            "Nothing was indexed or removed"
        )
    held = _staff_chunks(settings)
    if held:
        raise ConfigError(
            f"the staff documents folder {str(folder)!r} is missing, but the store holds {held} chunks of staff "
            "documents; restore the folder (or set CIRKLA_STAFF_DIR to where it is). Nothing was removed"
        )
    folder.mkdir(parents=True, exist_ok=True)


def _staff_chunks(settings: Settings) -> int:
    try:
        collection = read_collection(settings)
    except StoreError:
        return 0
    return len(collection.get(where={"root": DOCUMENTS_ROOT}, include=[])["ids"])


def recover_interrupted_adds(folder: Path, echo: Any = None) -> list[str]:
    """Undo what a killed `cirkla add` left in the staff folder: a replaced document's previous version
    (`.<name>.previous-<pid>`) is put back, a half-written copy (`.<name>.adding-<pid>`) deleted. Called under the
    write lock, so any such file is a leftover of a process that died. Returns the names restored."""
    restored: list[str] = []
    if not folder.is_dir():
        return restored
    for leftover in sorted(folder.glob(".*.adding-*")):
        leftover.unlink(missing_ok=True)
    for backup in sorted(folder.glob(".*.previous-*")):
        name = backup.name[1:].rsplit(".previous-", 1)[0]
        os.replace(backup, folder / name)
        restored.append(name)
        if echo is not None:
            echo(f"cirkla: restored {name}: an earlier `cirkla add` replacing it was interrupted", err=True)
    return restored


def sync_roots(
    settings: Settings,
    roots: list[CorpusRoot],
    *,
    rebuild: bool = False,
    reject: dict[str, str] | None = None,
    show_progress: bool = False,
) -> SyncReport:
    """Sync `roots` into the configured collection. The caller holds the write lock.

    A rebuild indexes everything into a new collection beside the old one and swaps it in only when it is done;
    a file that fails in the rebuild keeps its previous chunks (embedded again by the new embedder)."""
    client = client_from(settings)
    embedder = embedder_from(settings)
    collection = None if rebuild else collection_from(settings, client, embedder)  # refuses another embedder's
    worker = make_worker(settings)
    try:
        with progress_bar(show_progress) as progress:
            if collection is None:
                return rebuild_collection(
                    client, settings.collection, embedder, roots, worker=worker, progress=progress, reject=reject
                )
            return sync_corpus(collection, embedder, roots, worker=worker, progress=progress, reject=reject)
    finally:
        worker.close()
