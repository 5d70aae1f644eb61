"""A collection handle for a long-running reader (the app) that follows writes made by other processes.

    live = LiveCollection(open_client, "cirkla", embedder.name, embedder.dimension)
    live.query(...)         # any Collection method; the handle is reopened first when the store has changed
    live.version            # "<collection id>:<version>": what the retriever's caches are keyed by

Every writer (`indexing.sync.sync_corpus`, `cirkla remove`, a rebuild) records a new version in the collection's
metadata (`indexing.store.bump_version`). The live handle reads that version at most every `check_s` seconds
(one metadata read) and, when it moved, opens a fresh client and collection: an embedded store's in-memory
vector index is dropped and read again from disk. A call that fails anyway (a write landed between two checks)
is retried once on a freshly opened handle, so a question never fails because the store changed under it.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from typing import Any

from indexing.store import open_collection, store_version

log = logging.getLogger(__name__)


class LiveCollection:
    """A proxy for one Chroma collection that reopens it when another process has changed the store."""

    def __init__(
        self,
        open_client: Callable[[bool], Any],
        name: str,
        embedder_name: str,
        dimension: int,
        check_s: float = 1.0,
    ) -> None:
        """`open_client(fresh)` returns a Chroma client; with `fresh` true it must not reuse a cached one."""
        self._open_client = open_client
        self._name = name
        self._embedder = (embedder_name, dimension)
        self.check_s = check_s
        self._lock = threading.Lock()
        self._client = open_client(False)
        self._collection = open_collection(self._client, name, embedder_name, dimension)
        self._version = store_version(self._client, name) or ""
        self._checked_at = time.monotonic()
        self.reopened = 0  # how often the store changed under this handle (for logs and tests)

    @property
    def version(self) -> str:
        """The collection's id and version as of the last check (checking now if it is due)."""
        self._refresh(force=False)
        return self._version

    def __getattr__(self, name: str) -> Any:
        attribute = getattr(self._current(), name)
        if not callable(attribute):
            return attribute

        def call(*args: Any, **kwargs: Any) -> Any:
            try:
                return getattr(self._current(), name)(*args, **kwargs)
            except Exception:
                if not self._refresh(force=True):
                    raise
                log.info("the store changed during %s(); retrying on the reopened collection", name)
                return getattr(self._current(), name)(*args, **kwargs)

        return call

    def _current(self) -> Any:
        self._refresh(force=False)
        return self._collection

    def _refresh(self, force: bool) -> bool:
        """Reopen when the stored version moved (checked at most every `check_s` unless forced); True if so."""
        now = time.monotonic()
        if not force and now - self._checked_at < self.check_s:
            return False
        with self._lock:
            if not force and now - self._checked_at < self.check_s:
                return False
            version = store_version(self._client, self._name)
            self._checked_at = time.monotonic()
            if version is None or version == self._version:
                return False  # unchanged, or gone for a moment (a rebuild swapping in): keep what we have
            self._client = self._open_client(True)
            self._collection = open_collection(self._client, self._name, *self._embedder, create=False)
            self._version = store_version(self._client, self._name) or ""
            self.reopened += 1
            log.info("the store changed (now %s): collection reopened", self._version)
            return True
