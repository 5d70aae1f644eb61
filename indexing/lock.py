"""The write lock of an embedded store: one indexing process at a time.

An embedded Chroma folder has no server to order writers, so `cirkla index`, `add` and `remove` hold an OS
file lock beside it while they write. A second writer says it is waiting, waits up to `wait_s`
(CIRKLA_LOCK_WAIT_S), then stops with `IndexBusy`. The OS releases the lock when its holder dies (even by
SIGKILL), so a crashed run never leaves the store locked.
A Chroma server orders writers itself: no lock is taken then (`store_path=None`). Reads never take it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from filelock import FileLock, Timeout

from indexing.errors import IndexBusy

DEFAULT_WAIT_S = 600.0


def lock_path(store_path: Path) -> Path:
    """The lock file of the embedded store at `store_path`: a sibling, so the store folder stays Chroma's."""
    return store_path.with_name(store_path.name + ".lock")


@contextmanager
def index_lock(
    store_path: Path | None, wait_s: float = DEFAULT_WAIT_S, on_wait: Callable[[], None] | None = None
) -> Iterator[None]:
    """Hold the write lock of the embedded store at `store_path` (nothing for a server, `None`).

    When another writer holds it, `on_wait()` is called once and the lock is waited for up to `wait_s`."""
    if store_path is None:
        yield
        return
    path = lock_path(store_path)
    path.parent.mkdir(parents=True, exist_ok=True)
    lock = FileLock(str(path))
    try:
        lock.acquire(timeout=0)
    except Timeout:
        if on_wait is not None:
            on_wait()
        try:
            lock.acquire(timeout=wait_s)
        except Timeout:
            raise IndexBusy(
                f"indexing is still under way on {store_path} after {wait_s:g} s (another `cirkla index`, `add` "
                "or `remove`); try again when it has finished, or wait longer with CIRKLA_LOCK_WAIT_S"
            ) from None
    try:
        yield
    finally:
        lock.release()
