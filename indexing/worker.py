"""Parse files in a long-lived child process: a hostile or broken file costs one `LoadError`, not the indexer.

The child imports only the parsers (no model), caps its own address space with `RLIMIT_AS` and parses one file
per request. A file that takes longer than the timeout gets the child killed and restarted; a parse that runs
out of memory, or a child that dies, is reported as a `LoadError` for that file.

Test hook: `CIRKLA_WORKER_TEST_HOOK="<action>:<file name>"` (read only in the child, when it starts) makes the
child misbehave on that one file name, so the limits can be tested without slow or huge fixtures:
`sleep` (hangs), `allocate` (allocates until memory runs out), `crash` (the process dies).
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import sys
import threading
import types
import weakref
from collections.abc import Iterator
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from indexing.errors import LoadError
from indexing.schema import Chunk, CorpusRoot

TEST_HOOK_ENV = "CIRKLA_WORKER_TEST_HOOK"
MB = 1024 * 1024
_START_TIMEOUT_S = 120.0
_MAIN_LOCK = threading.Lock()


class ParseWorker:
    """A child process that parses one file at a time under a time limit and a memory limit; a file over the
    size limit, or one that gives more chunks than `max_chunks`, is refused like bad input."""

    def __init__(self, timeout_s: float, memory_mb: int, max_bytes: int, max_chunks: int = 3000):
        self.timeout_s = timeout_s
        self.memory_mb = memory_mb
        self.max_bytes = max_bytes
        self.max_chunks = max_chunks
        self._context = multiprocessing.get_context("spawn")
        self._process: Any = None
        self._conn: Connection | None = None
        self._lock = threading.Lock()
        self._finalizer: weakref.finalize | None = None
        self._closed = False  # the child starts with the first file that needs it

    def __enter__(self) -> ParseWorker:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def parse(self, path: Path, root: CorpusRoot) -> list[Chunk]:
        """The chunks of one file, parsed in the child; `LoadError` on bad input, timeout, memory or crash."""
        try:
            size = path.stat().st_size
        except FileNotFoundError:
            raise LoadError(str(path), "file vanished") from None
        if size > self.max_bytes:
            limit = f"{round(self.max_bytes / MB, 1):g} MB (CIRKLA_MAX_FILE_MB)"
            raise LoadError(str(path), f"file is {size / MB:.1f} MB, over the limit of {limit}")
        with self._lock:
            if self._closed:
                raise RuntimeError("this ParseWorker is closed; make a new one")
            if self._process is None or not self._process.is_alive():
                self._restart(path)
            assert self._conn is not None
            try:
                self._conn.send((str(path), root))
            except (BrokenPipeError, OSError):
                self._restart(path)
                assert self._conn is not None
                self._conn.send((str(path), root))
            if not self._conn.poll(self.timeout_s):
                self._stop(polite=False)  # the next parse starts a fresh child
                raise LoadError(str(path), f"parsing took longer than {self.timeout_s:g} s")
            try:
                status, payload = self._conn.recv()
            except (EOFError, OSError):
                code = self._stop()
                raise LoadError(str(path), f"the parser crashed (exit code {code})") from None
        if status == "ok":
            if len(payload) > self.max_chunks:  # a file that would take CPU-hours to embed
                raise LoadError(
                    str(path),
                    f"file gives {len(payload)} chunks, over the limit of {self.max_chunks} (CIRKLA_MAX_FILE_CHUNKS)",
                )
            return payload
        if status == "memory":
            raise LoadError(str(path), f"parsing needed more than {self.memory_mb} MB")
        raise LoadError(str(path), payload)

    def close(self) -> None:
        """Stop the child process; the worker parses no more (closing twice is harmless)."""
        with self._lock:
            self._closed = True
            self._stop()

    def _start(self, path: Path) -> None:
        parent, child = self._context.Pipe(duplex=True)
        process = self._context.Process(
            target=_serve, args=(child, self.memory_mb), name="cirkla-parse-worker", daemon=True
        )
        with _main_module_hidden():
            process.start()
        child.close()
        try:
            ready = parent.poll(_START_TIMEOUT_S) and parent.recv() == "ready"
        except (EOFError, OSError):
            ready = False
        if not ready:
            _kill(process, parent)
            raise LoadError(str(path), f"the parser process did not start (exit code {process.exitcode})")
        self._process, self._conn = process, parent
        self._finalizer = weakref.finalize(self, _kill, process, parent)

    def _restart(self, path: Path) -> None:
        self._stop()
        self._start(path)

    def _stop(self, polite: bool = True) -> int | None:
        """Stop the child (asked to leave, then killed; or killed at once) and return its exit code."""
        process, conn = self._process, self._conn
        self._process = self._conn = None
        if self._finalizer is not None:
            self._finalizer.detach()
            self._finalizer = None
        if process is None:
            return None
        if polite and process.is_alive() and conn is not None:
            try:
                conn.send(None)
            except (BrokenPipeError, OSError):
                pass
            process.join(timeout=2)
        _kill(process, conn)
        return process.exitcode


@contextlib.contextmanager
def _main_module_hidden() -> Iterator[None]:
    """Keep "spawn" from re-running the parent's `__main__` (stdin, a script loading a model) in the child."""
    with _MAIN_LOCK:
        main = sys.modules.get("__main__")
        sys.modules["__main__"] = types.ModuleType("__main__")
        try:
            yield
        finally:
            if main is not None:
                sys.modules["__main__"] = main


def _kill(process: Any, conn: Connection | None) -> None:
    if process.is_alive():
        process.kill()
    process.join(timeout=5)
    if conn is not None:
        conn.close()


def _limit_memory(memory_mb: int) -> None:
    """Cap the child's address space at its size when idle plus `memory_mb` (no-op where unsupported)."""
    try:
        import resource

        import psutil
    except ImportError:  # Windows has no `resource`
        return
    idle = psutil.Process().memory_info().vms
    limit = idle + memory_mb * MB
    _soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    resource.setrlimit(resource.RLIMIT_AS, (limit, hard))


def _serve(conn: Connection, memory_mb: int) -> None:
    """The child's loop: take (path, root), answer ("ok", chunks) | ("error", reason) | ("memory", None)."""
    import gc
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    from indexing.parsing import parse_file

    hook_action, _, hook_name = os.environ.get(TEST_HOOK_ENV, "").partition(":")
    _limit_memory(memory_mb)
    conn.send("ready")
    while True:
        try:
            job = conn.recv()
        except (EOFError, OSError):
            return
        if job is None:
            return
        path_text, root = job
        path = Path(path_text)
        try:
            if hook_action and path.name == hook_name:
                _misbehave(hook_action)
            reply: tuple[str, Any] = ("ok", parse_file(path, root))
        except LoadError as exc:
            reply = ("error", exc.reason)
        except MemoryError:
            reply = ("memory", None)
        except Exception as exc:  # a parser bug or an exotic library error: report it, keep serving
            reply = ("error", f"the parser failed ({type(exc).__name__}: {exc})")
        gc.collect()
        try:
            conn.send(reply)
        except MemoryError:
            conn.send(("memory", None))


def _misbehave(action: str) -> None:
    """The test hook's misbehaviours (see the module docstring)."""
    import time

    if action == "sleep":
        time.sleep(3600)
    elif action == "allocate":
        hoard = []
        while True:
            hoard.append(bytearray(64 * MB))
    elif action == "crash":
        os._exit(70)
