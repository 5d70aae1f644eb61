"""Sync corpus folders into a Chroma collection, incrementally and crash-safely.

What is a document, and how the files and the stored chunks are read: `indexing.inventory`.

How a run goes:

1. Walk the roots and hash every file (sha256 of its bytes).
2. Read what the collection holds in one paged `get(include=["metadatas"])`, grouped by file (`root/source`).
3. A file is unchanged when all its stored chunks carry its current `file_hash` and there are `file_chunks` of
   them; it is not touched. Nothing else is asked of Chroma for it.
4. Changed and new files are parsed, embedded in batches and upserted; only after a file's new chunks are
   written are its stale chunks (ids it no longer produces) deleted. A chunk already stored under the same id
   with the same text keeps its vector, so a crashed run or an edited clause file re-embeds only what changed.
5. Chunks of files that are gone from a root are deleted. Chunks of roots not passed in are left alone.

Crash safety: chunk ids are `<doc_id>:<content-hash>:<n>` (deterministic), new chunks go in before old ones go
out, and "unchanged" needs the complete set of a file's chunks under its current hash. A run killed anywhere
leaves either a file's old chunks, its new ones, or both; the next run sees the mix as "changed", writes the
missing ids and deletes the stale ones, which is exactly the state a clean run produces.

Bad input loses nothing: a file that cannot be parsed or embedded is reported by name with the reason, and
whatever the store held for it stays until a good version replaces it.
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable, Generator, Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from itertools import islice
from typing import TYPE_CHECKING, Any

from indexing.errors import ConfigError
from indexing.inventory import (
    READ_PAGE,
    CorpusFile,
    StoredFile,
    file_hash,
    read_metadatas,
    stored_by_file,
    walk_root,
)
from indexing.schema import Chunk, CorpusRoot
from indexing.store import bump_version

# read_metadatas, walk_root, file_hash and READ_PAGE live in `indexing.inventory`; importing them from here
# still works (evals/bench_index.py, the tests).
__all__ = [
    "DEFAULT_MAX_BYTES",
    "DEFAULT_MEMORY_MB",
    "DEFAULT_TIMEOUT_S",
    "EMBED_BATCH",
    "PARSE_AHEAD",
    "READ_PAGE",
    "WRITE_BATCH",
    "Progress",
    "SyncReport",
    "file_hash",
    "read_metadatas",
    "sync_corpus",
    "walk_root",
]

if TYPE_CHECKING:  # the worker is imported lazily: an unchanged sync never starts one
    from indexing.worker import ParseWorker

EMBED_BATCH = 64  # chunks embedded, then upserted, together: enough to batch, few enough to show progress
WRITE_BATCH = 1000  # ids per upsert/delete call; below every Chroma deployment's max batch size
PARSE_AHEAD = 8  # files parsed ahead of the one being embedded: hides parsing, bounds memory

# Default limits of the parse worker when the caller gives none (the CLI passes the configured ones).
DEFAULT_TIMEOUT_S = 60.0
DEFAULT_MEMORY_MB = 2048
DEFAULT_MAX_BYTES = 50 * 1024 * 1024
DEFAULT_MAX_CHUNKS = 3000

Progress = Callable[[int, int, str], None]


@dataclass
class SyncReport:
    """What a sync did. Files are named `root/source`; `failed` maps each failed file to the reason."""

    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    failed: dict[str, str] = field(default_factory=dict)
    warnings: dict[str, str] = field(default_factory=dict)  # indexed, but with a note (a lossy text decode)
    chunks_written: int = 0
    chunks_deleted: int = 0
    seconds: float = 0.0

    def to_json(self) -> dict[str, Any]:
        """The report as `--json` prints it."""
        return asdict(self)


@dataclass
class _Pending:
    file: CorpusFile
    chunks: list[Chunk]
    stale: list[str]  # ids the stored version has and the new one does not


def sync_corpus(
    collection: Any,
    embedder: Any,
    roots: Sequence[CorpusRoot],
    *,
    rebuild: bool = False,
    worker: ParseWorker | None = None,
    progress: Progress | None = None,
    reject: Mapping[str, str] | None = None,
) -> SyncReport:
    """Make `collection` hold exactly the chunks of the files under `roots`, touching only what changed.

    `embedder.embed_documents` embeds each chunk's `embed_text`. `rebuild` first deletes every chunk in the
    collection (the CLI's `--rebuild` drops and recreates the collection itself, which also changes the
    embedder). `worker` parses files (a default `ParseWorker` is started only when something needs parsing).
    `progress(done, total, file)` is called as files are handled. `reject` maps `root/source` names of files
    not to index to the reason (e.g. the corpus validator's findings): they are reported as failed and their
    stored chunks kept. A root folder that does not exist is a `ConfigError`: a missing folder must never
    read as "all its documents were deleted".
    """
    started = time.perf_counter()
    report = SyncReport()
    reject = dict(reject or {})
    _check_roots(roots)
    if rebuild:
        report.chunks_deleted += _delete(collection, [chunk_id for chunk_id, _ in read_metadatas(collection)])

    skipped: dict[str, str] = {}  # links out of a root: reported, never read (what was indexed of them goes)
    files = [file for root in roots for file in walk_root(root, skipped)]
    report.failed.update(skipped)
    total = len(files)
    stored = stored_by_file(collection, {root.name for root in roots})

    to_parse: list[CorpusFile] = []
    claimed_docs: dict[str, str] = {}  # doc_id -> the file that holds it in the finished state
    for file in files:
        held = stored.get(file.key)
        if file.key in reject:
            report.failed[file.key] = reject[file.key]
        elif held is not None and held.is_complete(file.hash):
            report.unchanged.append(file.key)
        else:
            to_parse.append(file)
            continue
        if held is not None:  # what stays in the store stays claimed
            for doc_id in held.doc_ids:
                claimed_docs.setdefault(doc_id, file.key)
    done = total - len(to_parse)
    if progress and done:
        progress(done, total, "unchanged")

    kept_ids: set[str] = set()  # ids some current file holds at the end of the run: never deleted
    parsing = {file.key for file in to_parse}
    for file in files:
        if file.key not in parsing and file.key in stored:
            kept_ids.update(stored[file.key].ids)

    own_worker = None
    if worker is None and to_parse:
        worker = own_worker = _default_worker()
    pending: list[_Pending] = []
    parsed = _parse_ahead(worker, to_parse)
    try:
        for file, chunks, reason in parsed:
            if reason is not None:
                report.failed[file.key] = reason
            elif chunks is not None and not _claim(file, chunks, claimed_docs, report):
                chunks = None
            if chunks is not None:
                notes = sorted({str(chunk.metadata.get("decode_note")) for chunk in chunks} - {"None", ""})
                if notes:
                    report.warnings[file.key] = "; ".join(notes)
                new_ids = {chunk.id for chunk in chunks}
                kept_ids.update(new_ids)
                held = stored.get(file.key)
                stale = [cid for cid in (held.ids if held else []) if cid not in new_ids]
                pending.append(_Pending(file, chunks, stale))
            elif file.key in stored:  # failed: its old chunks stay, and so do their doc ids
                kept_ids.update(stored[file.key].ids)
                for doc_id in stored[file.key].doc_ids:
                    claimed_docs.setdefault(doc_id, file.key)
            done += 1
            if progress:
                progress(done, total, file.key)
            if sum(len(item.chunks) for item in pending) >= EMBED_BATCH:
                _flush(collection, embedder, pending, stored, kept_ids, report)
                pending = []
        _flush(collection, embedder, pending, stored, kept_ids, report)
    finally:
        parsed.close()  # joins the parsing thread before its worker is closed
        if own_worker is not None:
            own_worker.close()

    current = {file.key for file in files}
    gone = sorted(key for key in stored if key not in current)
    doomed = [chunk_id for key in gone for chunk_id in stored[key].ids if chunk_id not in kept_ids]
    report.chunks_deleted += _delete(collection, doomed)
    report.removed.extend(gone)
    if report.chunks_written or report.chunks_deleted:
        bump_version(collection)  # readers in other processes (a running app) reload what changed
    report.seconds = round(time.perf_counter() - started, 3)
    if progress:
        progress(total, total, "done")
    return report


def _check_roots(roots: Sequence[CorpusRoot]) -> None:
    names = [root.name for root in roots]
    if len(set(names)) != len(names):
        raise ConfigError(f"two corpus folders share a name ({', '.join(names)}); give each its own name")
    for root in roots:
        if not root.path.is_dir():
            raise ConfigError(
                f"corpus folder {str(root.path)!r} does not exist; check --corpus or CIRKLA_CORPUS_DIRS"
            )


def _default_worker() -> ParseWorker:
    from indexing.worker import ParseWorker

    return ParseWorker(
        timeout_s=DEFAULT_TIMEOUT_S,
        memory_mb=DEFAULT_MEMORY_MB,
        max_bytes=DEFAULT_MAX_BYTES,
        max_chunks=DEFAULT_MAX_CHUNKS,
    )


def _parse_ahead(
    worker: Any, files: list[CorpusFile]
) -> Generator[tuple[CorpusFile, list[Chunk] | None, str | None], None, None]:
    """(file, chunks, None) or (file, None, why it failed), in order; a thread parses up to PARSE_AHEAD files
    ahead, so the worker process parses while this thread embeds and writes."""
    if not files:
        return
    pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="cirkla-parse")
    try:
        queue = iter(files)
        window: deque[tuple[CorpusFile, Future[tuple[list[Chunk] | None, str | None]]]] = deque()
        for file in islice(queue, PARSE_AHEAD):
            window.append((file, pool.submit(_parse, worker, file)))
        while window:
            file, future = window.popleft()
            following = next(queue, None)
            if following is not None:
                window.append((following, pool.submit(_parse, worker, following)))
            chunks, reason = future.result()
            yield file, chunks, reason
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def _parse(worker: Any, file: CorpusFile) -> tuple[list[Chunk] | None, str | None]:
    """(the file's chunks, None), or (None, why it failed)."""
    from indexing.errors import LoadError

    try:
        chunks = worker.parse(file.path, file.root)
    except LoadError as exc:
        return None, exc.reason
    except Exception as exc:  # a parser bug must not stop the other files; it is reported like bad input
        return None, f"{type(exc).__name__}: {exc}"
    if not chunks:
        return None, "no text to index in this file"
    ids = [chunk.id for chunk in chunks]
    if len(set(ids)) != len(ids):
        return None, "the parser gave two chunks the same id"
    return list(chunks), None


def _claim(file: CorpusFile, chunks: list[Chunk], claimed_docs: dict[str, str], report: SyncReport) -> bool:
    """Record the file's doc ids as its own; False (and a failure) when another file already holds one."""
    doc_ids = sorted({str(chunk.metadata.get("doc_id", "")) for chunk in chunks} - {""})
    for doc_id in doc_ids:
        other = claimed_docs.get(doc_id)
        if other is not None and other != file.key:
            report.failed[file.key] = f"doc_id {doc_id!r} is already indexed from {other}; ids must be unique"
            return False
    for doc_id in doc_ids:
        claimed_docs[doc_id] = file.key
    return True


def _flush(
    collection: Any,
    embedder: Any,
    pending: list[_Pending],
    stored: dict[str, StoredFile],
    kept_ids: set[str],
    report: SyncReport,
) -> None:
    """Embed and upsert the pending files' chunks, then delete their stale chunks (never the other way)."""
    if not pending:
        return
    vectors = _reuse_vectors(collection, [chunk for item in pending for chunk in item.chunks])
    _embed(embedder, pending, vectors, report)
    written = [item for item in pending if item.file.key not in report.failed]
    if not written:
        return
    now = datetime.now(UTC).isoformat(timespec="seconds")
    ids: list[str] = []
    documents: list[str] = []
    metadatas: list[dict[str, Any]] = []
    embeddings: list[list[float]] = []
    for item in written:
        for chunk in item.chunks:
            ids.append(chunk.id)
            documents.append(chunk.text)
            metadatas.append(_metadata(chunk, item, now))
            embeddings.append(vectors[chunk.id])
    for start in range(0, len(ids), WRITE_BATCH):
        end = start + WRITE_BATCH
        collection.upsert(
            ids=ids[start:end],
            embeddings=embeddings[start:end],
            documents=documents[start:end],
            metadatas=metadatas[start:end],
        )
    report.chunks_written += len(ids)
    stale = [cid for item in written for cid in item.stale if cid not in kept_ids]
    report.chunks_deleted += _delete(collection, stale)
    for item in written:
        (report.updated if item.file.key in stored else report.added).append(item.file.key)


def _reuse_vectors(collection: Any, chunks: list[Chunk]) -> dict[str, Any]:
    """Vectors stored under the same chunk id with the same text (after a crash; an unchanged clause)."""
    vectors: dict[str, Any] = {}
    wanted = [chunk.id for chunk in chunks]
    got = collection.get(ids=wanted, include=["embeddings", "documents"])
    texts = {chunk.id: chunk.text for chunk in chunks}
    for chunk_id, document, vector in zip(got["ids"], got["documents"], got["embeddings"], strict=True):
        if texts.get(chunk_id) == document and vector is not None:
            vectors[chunk_id] = list(vector)
    return vectors


def _embed(embedder: Any, pending: list[_Pending], vectors: dict[str, Any], report: SyncReport) -> None:
    """Embed every chunk without a vector, all files at once; on an error, file by file to find the bad."""
    todo = [chunk for item in pending for chunk in item.chunks if chunk.id not in vectors]
    if not todo:
        return
    try:
        _embed_into(embedder, todo, vectors)
        return
    except Exception:  # which file broke it? one at a time, so the others still get in
        pass
    for item in pending:
        todo = [chunk for chunk in item.chunks if chunk.id not in vectors]
        if not todo:
            continue
        try:
            _embed_into(embedder, todo, vectors)
        except Exception as exc:  # the model failed on this file: report it, keep its old chunks
            report.failed[item.file.key] = f"embedding failed: {type(exc).__name__}: {exc}"


def _embed_into(embedder: Any, chunks: list[Chunk], vectors: dict[str, Any]) -> None:
    result = embedder.embed_documents([chunk.embed_text for chunk in chunks])
    if len(result) != len(chunks):
        raise ValueError(f"the embedder returned {len(result)} vectors for {len(chunks)} texts")
    for chunk, vector in zip(chunks, result, strict=True):
        vectors[chunk.id] = vector


def _metadata(chunk: Chunk, item: _Pending, now: str) -> dict[str, Any]:
    meta = {key: value for key, value in chunk.metadata.items() if value is not None and value != []}
    meta.setdefault("chunk_id", chunk.id)
    meta["root"] = item.file.root.name
    meta["source"] = item.file.source
    meta["file_hash"] = item.file.hash
    meta["file_chunks"] = len(item.chunks)
    meta["indexed_at"] = now
    return meta


def _delete(collection: Any, ids: list[str]) -> int:
    for start in range(0, len(ids), WRITE_BATCH):
        collection.delete(ids=ids[start : start + WRITE_BATCH])
    return len(ids)
