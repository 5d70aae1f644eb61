"""The bundled corpus: `cirkla index` (sync the store with the corpus and the staff documents) and
`cirkla corpus check` (validate the clause library and guidance notes).
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path
from typing import Any

import click

from assistant.cli import cli, echo_json, settings_of
from assistant.cli.store import (
    DOCUMENTS_ROOT,
    recover_interrupted_adds,
    staff_folder_ready,
    store_location,
    sync_roots,
    write_lock,
)
from assistant.wiring import corpus_roots
from indexing.errors import ConfigError
from indexing.schema import CorpusRoot
from indexing.sync import SyncReport


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
    for key, note in sorted(report.warnings.items()):
        click.echo(f"  warning: {key}: {note}")


# --- cirkla index ----------------------------------------------------------------------------------


@cli.command("index")
@click.option(
    "--corpus",
    "corpus_dir",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    help="Corpus folder to index (default: the configured corpus_dirs, `corpus/`).",
)
@click.option("--collection", help="Chroma collection to write (default: the configured one).")
@click.option(
    "--rebuild",
    is_flag=True,
    help="Index everything again into a new collection and swap it in when done (needed after changing the "
    "embedding model); a file that fails keeps its previous version.",
)
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
    reject = _corpus_problems(roots)
    with write_lock(settings):
        staff_folder_ready(settings)  # a missing staff folder is an error, never "all staff documents deleted"
        recover_interrupted_adds(settings.documents_dir, click.echo)
        report = sync_roots(settings, roots, rebuild=rebuild, reject=reject, show_progress=not as_json)
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
