"""The staff's own documents: `cirkla add` and `cirkla remove` (files in the documents folder, and chunks)."""

from __future__ import annotations

import os
import shutil
from collections import defaultdict
from pathlib import Path
from typing import Any

import click

from assistant.cli import cli, echo_json, settings_of
from assistant.cli.store import (
    DOCUMENTS_ROOT,
    read_collection,
    recover_interrupted_adds,
    staff_folder_ready,
    sync_roots,
    write_lock,
)
from indexing.errors import ConfigError, StoreError
from indexing.inventory import read_metadatas
from indexing.schema import CorpusRoot
from indexing.store import bump_version


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
    by_name: dict[str, list[str]] = defaultdict(list)
    for file in files:
        by_name[file.name].append(str(file))
    for name, paths in by_name.items():
        if len(paths) > 1:
            raise ConfigError(
                f"two files are named {name!r} ({', '.join(paths)}); the staff folder keeps one file per name, "
                "so rename one of them. Nothing was added"
            )


@cli.command("add")
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
@click.pass_context
def add_command(ctx: click.Context, files: tuple[Path, ...], as_json: bool) -> None:
    """Add (or replace) staff documents: copy each FILE into the documents folder and index it.

    A file already in the documents folder is indexed where it is. A replacement is atomic: the folder holds
    either the old or the new version under the name, never neither; if it cannot be indexed, the old one stays."""
    settings = settings_of(ctx)
    _check_addable(files)
    folder = settings.documents_dir
    root = CorpusRoot(DOCUMENTS_ROOT, folder)
    with write_lock(settings):
        staff_folder_ready(settings)
        recover_interrupted_adds(folder, click.echo)
        backups: dict[str, Path] = {}
        for file in files:
            target = folder / file.name
            if target.exists() and file.resolve() == target.resolve():
                continue  # already the staff copy: index it as it is
            partial = folder / f".{file.name}.adding-{os.getpid()}"
            shutil.copy2(file, partial)  # hidden until complete: a killed copy never looks like a document
            if target.exists():  # keep the version it replaces until the new one is indexed
                backup = folder / f".{file.name}.previous-{os.getpid()}"
                shutil.copy2(target, backup)
                backups[file.name] = backup
            os.replace(partial, target)  # atomic: the name holds the old or the new version, never neither
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
        for key, note in sorted(report.warnings.items()):
            click.echo(f"warning: {key}: {note}")
    if report.failed:
        ctx.exit(1)


def _settle_copies(folder: Path, files: tuple[Path, ...], backups: dict[str, Path], failed: Any) -> None:
    """Take back a copy that failed to index, restoring the version it replaced; drop the other backups."""
    for file in files:
        backup = backups.pop(file.name, None)
        target = folder / file.name
        if f"{DOCUMENTS_ROOT}/{file.name}" in failed:
            if backup is not None:
                os.replace(backup, target)
            elif file.resolve() != target.resolve():
                target.unlink(missing_ok=True)
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
    """Remove staff documents and their chunks: by doc id (`cirkla docs` lists them), or by the name of the file
    `cirkla add` copied. Only the copy in the staff documents folder is deleted, never a file elsewhere."""
    settings = settings_of(ctx)
    folder = settings.documents_dir
    with write_lock(settings):
        try:
            collection = read_collection(settings)
        except StoreError:
            collection = None  # nothing indexed yet: only files in the staff folder can be named
        where: dict[str, set[tuple[str, str]]] = defaultdict(set)  # doc_id -> {(root, source)}
        for _, meta in read_metadatas(collection) if collection is not None else []:
            if meta.get("doc_id"):
                where[str(meta["doc_id"])].add((str(meta.get("root", "")), str(meta.get("source", ""))))
        sources: dict[str, list[str]] = {}  # file in the documents folder -> the arguments that name it
        for doc_id in doc_ids:
            places = where.get(doc_id)
            if places is None:
                staff_file = _staff_copy(folder, doc_id)
                places = {(DOCUMENTS_ROOT, staff_file)} if staff_file else None
            if not places:
                raise ConfigError(_unknown(doc_id, folder))
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
            target = _inside(folder, source)
            gone: dict[str, Any] = {"ids": []}
            if collection is not None:
                gone = collection.get(where={"$and": [{"root": DOCUMENTS_ROOT}, {"source": source}]}, include=[])
            deleted_file = False
            if target is not None and target.is_file():
                target.unlink()  # the file first: a crash then leaves chunks that the next index prunes
                deleted_file = True
            if gone["ids"] and collection is not None:
                collection.delete(ids=gone["ids"])
            if deleted_file or gone["ids"]:
                removed.append({"file": source, "doc_ids": asked, "chunks_deleted": len(gone["ids"])})
        if collection is not None and any(entry["chunks_deleted"] for entry in removed):
            bump_version(collection)  # a running app reloads the store and stops citing the document
    if not removed:
        raise ConfigError(f"nothing was removed: {', '.join(doc_ids)} holds no file and no chunks any more")
    if as_json:
        echo_json({"removed": removed, "folder": str(folder)})
    else:
        for entry in removed:
            click.echo(
                f"removed {DOCUMENTS_ROOT}/{entry['file']} ({', '.join(entry['doc_ids'])}; "
                f"{entry['chunks_deleted']} chunks) from {folder}"
            )


def _inside(folder: Path, source: str) -> Path | None:
    """`folder/source` when it lies inside the staff folder (no `..`, no absolute path, no link out), else None."""
    if not source or Path(source).is_absolute() or ".." in Path(source).parts:
        return None
    base = folder.resolve()
    target = folder / source
    try:
        resolved = target.parent.resolve() / target.name  # the file itself may be a link: it is removed, not followed
    except OSError:
        return None
    return target if resolved.is_relative_to(base) else None


def _staff_copy(folder: Path, name: str) -> str | None:
    """The staff folder's copy that an argument names: a file name there, or a path whose name is one there.

    `cirkla add ~/avtal.md` keeps a copy `avtal.md`; `cirkla remove ~/avtal.md` means that copy, and the file in
    the home folder is left alone."""
    candidate = Path(name).expanduser()
    if candidate.name.startswith(".") or not candidate.name:
        return None
    if candidate.is_absolute() or len(candidate.parts) > 1:
        try:
            if candidate.resolve().is_relative_to(folder.resolve()):
                relative = candidate.resolve().relative_to(folder.resolve()).as_posix()
                return relative if _inside(folder, relative) and (folder / relative).is_file() else None
        except OSError:
            return None
        return candidate.name if (folder / candidate.name).is_file() else None
    return name if _inside(folder, name) is not None and (folder / name).is_file() else None


def _unknown(argument: str, folder: Path) -> str:
    """Why an argument names nothing to remove, in one line."""
    path = Path(argument).expanduser()
    if path.is_absolute() or len(path.parts) > 1:
        return (
            f"{argument!r} is not a staff document: there is no {path.name!r} in {folder}. `cirkla remove` takes "
            "the doc ids `cirkla docs` lists (or the name of a file `cirkla add` copied) and never deletes a file "
            "outside the staff folder"
        )
    return f"no document with id {argument!r}; `cirkla docs` lists them"
