"""The staff's commands: `cirkla index`, `add`, `remove`, `docs`, `stats` and `corpus check`.

Writes to an embedded store hold its write lock (`indexing.lock`); reads never do, and never load the model.
"""

from __future__ import annotations

import os
import shutil
from collections import Counter, defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import click

from assistant.cli import cli, echo_json, settings_of
from assistant.settings import Settings
from assistant.wiring import client_from, collection_from, corpus_roots, embedder_from
from indexing.errors import ConfigError, StoreError
from indexing.lock import index_lock
from indexing.schema import CorpusRoot
from indexing.store import DIMENSION_KEY, EMBEDDER_KEY, drop_collection
from indexing.sync import SyncReport, read_metadatas, sync_corpus

DOCUMENTS_ROOT = "documents"  # the root name `assistant.wiring.corpus_roots` gives the staff documents folder


# --- shared by the commands ------------------------------------------------------------------------


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


def _make_worker(settings: Settings) -> Any:
    from indexing.worker import ParseWorker

    return ParseWorker(
        timeout_s=settings.parse_timeout_s,
        memory_mb=settings.parse_memory_mb,
        max_bytes=int(settings.max_file_mb * 1024 * 1024),
    )


@contextmanager
def _progress_bar(enabled: bool) -> Iterator[Any]:
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


def _sync(
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
    worker = _make_worker(settings)
    try:
        with _progress_bar(show_progress) as progress:
            return sync_corpus(
                collection, embedder, roots, rebuild=rebuild, worker=worker, progress=progress, reject=reject
            )
    finally:
        worker.close()


def _corpus_problems(roots: list[CorpusRoot]) -> dict[str, str]:
    """The validator's problems of each clause-library root, as `root/file` -> reasons."""
    from indexing.corpus_check import check_corpus

    reasons: dict[str, list[str]] = defaultdict(list)
    for root in roots:
        if root.name == DOCUMENTS_ROOT:
            continue
        if not (root.path / "areas.yaml").is_file() and not (root.path / "clauses").is_dir():
            continue  # a folder of plain documents, not a clause library: nothing to validate
        for problem in check_corpus(root.path):
            where = f"{problem.clause_id}: " if problem.clause_id else ""
            reasons[f"{root.name}/{problem.file}"].append(where + problem.message)
    return {key: "; ".join(messages) for key, messages in reasons.items()}


def _print_report(report: SyncReport, heading: str) -> None:
    click.echo(heading)
    click.echo(
        f"  added {len(report.added)}, updated {len(report.updated)}, unchanged {len(report.unchanged)}, "
        f"removed {len(report.removed)}, failed {len(report.failed)}"
    )
    click.echo(f"  chunks written {report.chunks_written}, deleted {report.chunks_deleted}")
    for key, reason in sorted(report.failed.items()):
        click.echo(f"  failed: {key}: {reason}")


# --- cirkla index ----------------------------------------------------------------------------------


@cli.command("index")
@click.option(
    "--corpus",
    "corpus_dir",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    help="Corpus folder to index (default: the configured corpus_dirs, `corpus/`).",
)
@click.option("--collection", help="Chroma collection to write (default: the configured one).")
@click.option("--rebuild", is_flag=True, help="Drop the collection and index everything again.")
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON (no progress bar).")
@click.pass_context
def index_command(ctx: click.Context, corpus_dir: Path | None, collection: str | None, rebuild: bool,
                  as_json: bool) -> None:  # fmt: skip
    """Sync the store with the corpus and the staff documents, incrementally."""
    settings = settings_of(ctx)
    updates: dict[str, Any] = {}
    if corpus_dir is not None:
        updates["corpus_dirs"] = [corpus_dir]
    if collection:
        updates["collection"] = collection
    settings = settings.model_copy(update=updates)
    roots = corpus_roots(settings)
    for root in roots[:-1]:
        if not root.path.is_dir():
            raise ConfigError(f"corpus folder {str(root.path)!r} does not exist; pass --corpus DIR")
    settings.documents_dir.mkdir(parents=True, exist_ok=True)
    reject = _corpus_problems(roots)
    with write_lock(settings):
        report = _sync(settings, roots, rebuild=rebuild, reject=reject, show_progress=not as_json)
    for key, reason in reject.items():  # areas.yaml is no document, but its problems fail the run too
        report.failed.setdefault(key, reason)
    if as_json:
        echo_json({**report.to_json(), "collection": settings.collection, "store": store_location(settings)})
    else:
        _print_report(
            report,
            f"indexed into collection {settings.collection!r} at {store_location(settings)} "
            f"in {report.seconds:.1f} s",
        )
    if report.failed:
        ctx.exit(1)


# --- cirkla add / remove ---------------------------------------------------------------------------


def supported_suffixes() -> list[str]:
    """File types a staff document may have (YAML is read only as clause files inside the corpus)."""
    from indexing.loaders import LOADERS

    return sorted(suffix for suffix in LOADERS if suffix not in (".yaml", ".yml"))


def _check_addable(files: tuple[Path, ...]) -> None:
    suffixes = supported_suffixes()
    for file in files:
        if not file.is_file():
            raise ConfigError(f"no such file: {file}")
        if file.suffix.lower() not in suffixes:
            raise ConfigError(
                f"{file}: unsupported file type {file.suffix or '(none)'!r}; "
                f"Cirkla reads {', '.join(suffixes)}"
            )
        if file.name.startswith("."):
            raise ConfigError(f"{file}: hidden files are not indexed; rename it without the leading dot")


@cli.command("add")
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
@click.pass_context
def add_command(ctx: click.Context, files: tuple[Path, ...], as_json: bool) -> None:
    """Add (or replace) staff documents: copy each FILE into the documents folder and index it."""
    settings = settings_of(ctx)
    _check_addable(files)
    folder = settings.documents_dir
    folder.mkdir(parents=True, exist_ok=True)
    root = CorpusRoot(DOCUMENTS_ROOT, folder)
    with write_lock(settings):
        backups: dict[str, Path] = {}
        for file in files:
            target = folder / file.name
            if target.exists():
                backup = folder / f".{file.name}.previous-{os.getpid()}"
                os.replace(target, backup)
                backups[file.name] = backup
            partial = folder / f".{file.name}.adding-{os.getpid()}"
            shutil.copy2(file, partial)
            os.replace(partial, target)  # hidden until complete: a killed copy never looks like a document
        try:
            report = _sync(settings, [root], show_progress=not as_json)
        except BaseException:  # nothing indexed (e.g. another embedder built the store): undo the copies
            failed_all = {f"{DOCUMENTS_ROOT}/{file.name}": "not indexed" for file in files}
            _settle_copies(folder, files, backups, failed_all)
            raise
        _settle_copies(folder, files, backups, report.failed)
    doc_ids = _doc_ids_by_source(read_collection(settings), DOCUMENTS_ROOT)
    added = [
        {
            "file": file.name,
            "status": "failed" if f"{DOCUMENTS_ROOT}/{file.name}" in report.failed else "indexed",
            "doc_ids": doc_ids.get(file.name, []),
        }
        for file in files
    ]
    if as_json:
        echo_json({"documents": added, "report": report.to_json(), "folder": str(folder)})
    else:
        for entry in added:
            key = f"{DOCUMENTS_ROOT}/{entry['file']}"
            if key in report.failed:
                click.echo(f"failed: {entry['file']}: {report.failed[key]} (not added)")
            else:
                click.echo(f"added {entry['file']} as {', '.join(entry['doc_ids'])}")
        for key, reason in sorted(report.failed.items()):
            if key not in {f"{DOCUMENTS_ROOT}/{file.name}" for file in files}:
                click.echo(f"failed: {key}: {reason}")
    if report.failed:
        ctx.exit(1)


def _settle_copies(folder: Path, files: tuple[Path, ...], backups: dict[str, Path], failed: Any) -> None:
    """Take back a copy that failed to index, restoring the version it replaced; drop the other backups."""
    for file in files:
        backup = backups.pop(file.name, None)
        if f"{DOCUMENTS_ROOT}/{file.name}" in failed:
            if backup is not None:
                os.replace(backup, folder / file.name)
            else:
                (folder / file.name).unlink(missing_ok=True)
        elif backup is not None:
            backup.unlink()


def _doc_ids_by_source(collection: Any, root_name: str) -> dict[str, list[str]]:
    out: dict[str, set[str]] = defaultdict(set)
    for _, meta in read_metadatas(collection):
        if meta.get("root") == root_name and meta.get("doc_id"):
            out[str(meta.get("source", ""))].add(str(meta["doc_id"]))
    return {source: sorted(ids) for source, ids in out.items()}


@cli.command("remove")
@click.argument("doc_ids", nargs=-1, required=True)
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
@click.pass_context
def remove_command(ctx: click.Context, doc_ids: tuple[str, ...], as_json: bool) -> None:
    """Remove staff documents (by doc id, or by file name in the documents folder) and their chunks."""
    settings = settings_of(ctx)
    folder = settings.documents_dir
    with write_lock(settings):
        collection = read_collection(settings)
        where: dict[str, set[tuple[str, str]]] = defaultdict(set)  # doc_id -> {(root, source)}
        for _, meta in read_metadatas(collection):
            if meta.get("doc_id"):
                where[str(meta["doc_id"])].add((str(meta.get("root", "")), str(meta.get("source", ""))))
        sources: dict[str, list[str]] = {}  # file in the documents folder -> doc ids asked for
        for doc_id in doc_ids:
            places = where.get(doc_id)
            if places is None and (folder / doc_id).is_file() and not doc_id.startswith("."):
                places = {(DOCUMENTS_ROOT, doc_id)}  # a file name: also removes a file that never indexed
            if not places:
                raise ConfigError(f"no document with id {doc_id!r}; `cirkla docs` lists them")
            bundled = sorted(f"{root}/{source}" for root, source in places if root != DOCUMENTS_ROOT)
            if bundled:
                raise ConfigError(
                    f"{doc_id!r} belongs to the corpus folder ({', '.join(bundled)}), not to the staff "
                    "documents; edit or delete it there and run `cirkla index`"
                )
            for _, source in places:
                sources.setdefault(source, []).append(doc_id)
        removed: list[dict[str, Any]] = []
        for source, asked in sorted(sources.items()):
            (folder / source).unlink(missing_ok=True)  # the file first: a crash then leaves chunks to prune
            gone = collection.get(where={"$and": [{"root": DOCUMENTS_ROOT}, {"source": source}]}, include=[])
            if gone["ids"]:
                collection.delete(ids=gone["ids"])
            removed.append({"file": source, "doc_ids": asked, "chunks_deleted": len(gone["ids"])})
    if as_json:
        echo_json({"removed": removed})
    else:
        for entry in removed:
            click.echo(
                f"removed {entry['file']} ({', '.join(entry['doc_ids'])}; {entry['chunks_deleted']} chunks)"
            )


# --- cirkla docs / stats ---------------------------------------------------------------------------


def _documents(collection: Any) -> list[dict[str, Any]]:
    docs: dict[str, dict[str, Any]] = {}
    pages: dict[str, set[int]] = defaultdict(set)
    for _, meta in read_metadatas(collection):
        doc_id = str(meta.get("doc_id", ""))
        entry = docs.setdefault(
            doc_id,
            {
                "doc_id": doc_id,
                "title": meta.get("title", ""),
                "kind": meta.get("kind", "document"),
                "chunks": 0,
                "pages": None,
                "source": f"{meta.get('root', '')}/{meta.get('source', '')}",
                "indexed_at": meta.get("indexed_at"),
            },
        )
        entry["chunks"] += 1
        if meta.get("page") is not None:
            pages[doc_id].add(int(meta["page"]))
        if str(meta.get("indexed_at") or "") > str(entry["indexed_at"] or ""):
            entry["indexed_at"] = meta.get("indexed_at")
    for doc_id, seen in pages.items():
        docs[doc_id]["pages"] = len(seen)
    order = {"clause": 0, "guidance": 1, "document": 2}
    return sorted(docs.values(), key=lambda doc: (order.get(doc["kind"], 3), doc["source"], doc["doc_id"]))


@cli.command("docs")
@click.option("--json", "as_json", is_flag=True, help="Print the documents as JSON.")
@click.pass_context
def docs_command(ctx: click.Context, as_json: bool) -> None:
    """List the indexed documents: doc id, title, kind, chunks, pages, source, when indexed."""
    settings = settings_of(ctx)
    documents = _documents(read_collection(settings))
    if as_json:
        echo_json(documents)
        return
    from rich.console import Console
    from rich.table import Table

    table = Table("doc_id", "title", "kind", "chunks", "pages", "source", "indexed at", box=None)
    for doc in documents:
        table.add_row(
            doc["doc_id"],
            str(doc["title"])[:60],
            doc["kind"],
            str(doc["chunks"]),
            "" if doc["pages"] is None else str(doc["pages"]),
            doc["source"],
            str(doc["indexed_at"] or ""),
        )
    console = Console(width=max(160, shutil.get_terminal_size().columns))
    console.print(table)
    console.print(f"{len(documents)} documents in collection {settings.collection!r}")


@cli.command("stats")
@click.option("--json", "as_json", is_flag=True, help="Print the figures as JSON.")
@click.pass_context
def stats_command(ctx: click.Context, as_json: bool) -> None:
    """Totals, chunks by kind, clauses per area, type and level, and which embedder and store are used."""
    settings = settings_of(ctx)
    collection = read_collection(settings)
    rows = read_metadatas(collection)
    clauses: dict[str, dict[str, Any]] = {}
    for _, meta in rows:
        if meta.get("kind") == "clause":
            clauses.setdefault(str(meta.get("clause_id") or meta.get("doc_id")), meta)
    meta = collection.metadata or {}
    stats: dict[str, Any] = {
        "collection": settings.collection,
        "store": store_location(settings),
        "embedder": meta.get(EMBEDDER_KEY),
        "dimension": meta.get(DIMENSION_KEY),
        "configured_embedder": settings.embedding_model,
        "documents": len({m.get("doc_id") for _, m in rows}),
        "files": len({(m.get("root"), m.get("source")) for _, m in rows}),
        "chunks": len(rows),
        "chunks_by_kind": dict(sorted(Counter(str(m.get("kind", "document")) for _, m in rows).items())),
        "clauses": len(clauses),
        "clauses_by_area": _count(clauses.values(), "area"),
        "clauses_by_type": _count(clauses.values(), "type"),
        "clauses_by_level": _count(clauses.values(), "level"),
    }
    if as_json:
        echo_json(stats)
        return
    click.echo(f"collection {stats['collection']!r} at {stats['store']}")
    click.echo(
        f"embedder {stats['embedder']} ({stats['dimension']} dimensions), "
        f"configured {settings.embedding_model}"
    )
    click.echo(f"{stats['documents']} documents from {stats['files']} files, {stats['chunks']} chunks")
    for name in ("chunks_by_kind", "clauses_by_area", "clauses_by_type", "clauses_by_level"):
        counts = stats[name]
        click.echo(
            f"{name.replace('_', ' ')}: " + (", ".join(f"{k} {v}" for k, v in counts.items()) or "none")
        )


def _count(metas: Any, key: str) -> dict[str, int]:
    return dict(sorted(Counter(str(meta.get(key, "")) for meta in metas).items()))


# --- cirkla corpus check ---------------------------------------------------------------------------


@cli.group("corpus")
def corpus_group() -> None:
    """The bundled corpus: the clause library and guidance notes."""


@corpus_group.command("check")
@click.option(
    "--corpus",
    "corpus_dir",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    help="Corpus folder to check (default: the configured corpus_dirs).",
)
@click.option("--json", "as_json", is_flag=True, help="Print the problems as JSON.")
@click.pass_context
def check_command(ctx: click.Context, corpus_dir: Path | None, as_json: bool) -> None:
    """Check the clause library and guidance notes against the schema; exit 1 on any problem."""
    from indexing.corpus_check import check_corpus

    settings = settings_of(ctx)
    folders = [corpus_dir] if corpus_dir is not None else list(settings.corpus_dirs)
    problems: list[tuple[Path, Any]] = []
    for folder in folders:
        if not folder.is_dir():
            raise ConfigError(f"corpus folder {str(folder)!r} does not exist; pass --corpus DIR")
        problems.extend((folder, problem) for problem in check_corpus(folder))
    if as_json:
        echo_json(
            {
                "corpus": [str(folder) for folder in folders],
                "problems": [
                    {"corpus": str(folder), "file": p.file, "clause_id": p.clause_id, "message": p.message}
                    for folder, p in problems
                ],
            }
        )
    else:
        for folder, problem in problems:
            click.echo(f"{folder / problem.file}: {problem.clause_id + ': ' if problem.clause_id else ''}"
                       f"{problem.message}")  # fmt: skip
        click.echo(f"{len(problems)} problem(s) in {', '.join(str(folder) for folder in folders)}", err=True)
    if problems:
        ctx.exit(1)
