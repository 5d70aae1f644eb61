"""The staff's own documents: `cirkla add` and `cirkla remove` (files in the documents folder, and chunks)."""

from __future__ import annotations

import os
import shutil
from collections import defaultdict
from pathlib import Path
from typing import Any

import click

from assistant.cli import cli, echo_json, settings_of
from assistant.cli.store import DOCUMENTS_ROOT, read_collection, sync_roots, write_lock
from indexing.errors import ConfigError
from indexing.inventory import read_metadatas
from indexing.schema import CorpusRoot


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
            report = sync_roots(settings, [root], show_progress=not as_json)
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
