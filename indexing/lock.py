"""The write lock of an embedded store: one indexing process at a time.

An embedded Chroma folder has no server to order writers, so `cirkla index`, `add` and `remove` hold an OS
file lock beside it while they write. A second writer waits `wait_s`, then stops with `IndexBusy`. The OS
releases the lock when its holder dies (even by SIGKILL), so a crashed run never leaves the store locked.
A Chroma server orders writers itself: no lock is taken then (`store_path=None`). Reads never take it.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from filelock import FileLock, Timeout

from indexing.errors import IndexBusy

DEFAULT_WAIT_S = 3.0


def lock_path(store_path: Path) -> Path:
    """The lock file of the embedded store at `store_path`: a sibling, so the store folder stays Chroma's."""
    return store_path.with_name(store_path.name + ".lock")


@contextmanager
def index_lock(store_path: Path | None, wait_s: float = DEFAULT_WAIT_S) -> Iterator[None]:
    """Hold the write lock of the embedded store at `store_path` (nothing for a server, `None`)."""
    if store_path is None:
        yield
        return
    path = lock_path(store_path)
    path.parent.mkdir(parents=True, exist_ok=True)
    lock = FileLock(str(path))
    try:
        lock.acquire(timeout=wait_s)
    except Timeout:
        raise IndexBusy(
            f"indexing is already under way on {store_path} (another `cirkla index`, `add` or `remove`); "
            "try again when it has finished"
        ) from None
    try:
        yield
    finally:
        lock.release()
