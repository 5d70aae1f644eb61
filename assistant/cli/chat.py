"""`cirkla ask` (one cited answer) and `cirkla serve` (the web app).

`serve` on an empty store first indexes the bundled corpus (and the staff documents folder), with a
progress bar.
"""

from __future__ import annotations

import time
from typing import Any

import click

from assistant.cli import cli, echo_json, settings_of
from assistant.settings import Settings
from indexing.errors import ConfigError
from indexing.schema import LEVELS, TYPES


def _check(option: str, value: str | None, allowed: tuple[str, ...]) -> None:
    if value and value not in allowed:
        raise ConfigError(f"{option} {value!r} is not one of: {', '.join(allowed)}")


def _sources_text(answer: Any) -> str:
    lines = []
    for source in answer.sources:
        ident = f"{source.clause_id} " if source.clause_id else ""
        where = source.source + (f" p. {source.page}" if source.page else "")
        lines.append(f"[{source.n}] {ident}{source.title} ({source.root}/{where})")
    return "\n".join(lines)


@cli.command()
@click.argument("question")
@click.option("--area", help="Only this product area (a slug such as mobler, it, textil).")
@click.option("--type", "type_", metavar="TYPE", help=f"Only this requirement type: {', '.join(TYPES)}.")
@click.option("--level", help=f"Only this level: {', '.join(LEVELS)}.")
@click.option(
    "--language",
    type=click.Choice(["sv", "en"]),
    default=None,
    help="Answer language when the question does not make it clear (default: Swedish).",
)
@click.option("--json", "as_json", is_flag=True, help="Print the answer, its sources and proposals as JSON.")
@click.pass_context
def ask(
    ctx: click.Context,
    question: str,
    area: str | None,
    type_: str | None,
    level: str | None,
    language: str | None,
    as_json: bool,
) -> None:
    """Answer QUESTION with proposed requirements and guidance, every statement cited [n]."""
    _check("--type", type_, TYPES)
    _check("--level", level, LEVELS)
    settings = settings_of(ctx)
    from assistant import wiring
    from assistant.llm import make_rewriter
    from assistant.service import build_assistant

    rewriter = make_rewriter(settings)  # a wrong LLM setting fails before the model is loaded
    embedder = wiring.embedder_from(settings)
    collection = wiring.collection_from(settings, wiring.client_from(settings), embedder, create=False)
    assistant = build_assistant(settings, embedder=embedder, collection=collection, rewriter=rewriter)
    if area and assistant.area_names and area not in assistant.area_names:
        raise ConfigError(f"--area {area!r} is not one of: {', '.join(assistant.area_names)}")
    filters = {key: value for key, value in (("area", area), ("type", type_), ("level", level)) if value}
    answer = assistant.answer(question, None, filters, language=language)
    if as_json:
        echo_json(answer.to_json())
        return
    click.echo(answer.markdown.rstrip())
    if answer.sources:
        click.echo("\n" + ("Sources" if answer.language == "en" else "Källor") + ":")
        click.echo(_sources_text(answer))


def index_if_empty(settings: Settings, embedder: Any, collection: Any, echo: Any = click.echo) -> bool:
    """Index the corpus roots into an empty collection, with a progress bar; False when it was not empty."""
    if collection.count() > 0:
        return False
    from assistant import wiring
    from assistant.cli.store import progress_bar, write_lock
    from indexing.sync import sync_corpus

    roots = [root for root in wiring.corpus_roots(settings) if root.path.is_dir()]
    echo(
        f"The store is empty: indexing {', '.join(str(root.path) for root in roots)} (first start) …",
        err=True,
    )
    with write_lock(settings), progress_bar(True) as update:
        report = sync_corpus(collection, embedder, roots, progress=update)
    echo(
        f"Indexed {len(report.added)} files ({report.chunks_written} chunks) in {report.seconds:.0f} s.",
        err=True,
    )
    for path, reason in report.failed.items():
        echo(f"  skipped {path}: {reason}", err=True)
    return True


@cli.command()
@click.option("--host", default=None, help="Address to listen on (default: CIRKLA_HOST or 127.0.0.1).")
@click.option(
    "--port", type=click.IntRange(1, 65535), default=None, help="Port to listen on (default: CIRKLA_PORT or 7860)."
)
@click.pass_context
def serve(ctx: click.Context, host: str | None, port: int | None) -> None:
    """Run the web app: chat with cited answers, sources, and the draft with Word export."""
    settings = settings_of(ctx)
    from assistant import wiring
    from assistant.llm import make_rewriter
    from assistant.service import build_assistant
    from ui.app import bind
    from ui.app import serve as run

    # everything a setting can get wrong is checked before anything is loaded, indexed or printed
    rewriter = make_rewriter(settings)
    host, port = host or settings.host, port or settings.port
    sock = bind(host, port)
    try:
        embedder = wiring.embedder_from(settings)
        collection = wiring.live_collection_from(settings, embedder)  # follows `cirkla index`/`add`/`remove`
        index_if_empty(settings, embedder, collection)
        assistant = build_assistant(settings, embedder=embedder, collection=collection, rewriter=rewriter)
        start = time.perf_counter()
        assistant.answer("möbler")  # warm up: loads the BM25 index before the first person asks
        click.echo(f"Ready in {time.perf_counter() - start:.1f} s.", err=True)

        def ready() -> None:
            click.echo(f"Cirkla is running on http://{host}:{port}/ (Ctrl+C stops it)", err=True)

        run(assistant, sock, max_upload_mb=settings.max_upload_mb, concurrency=settings.concurrency, on_ready=ready)
    finally:
        sock.close()
