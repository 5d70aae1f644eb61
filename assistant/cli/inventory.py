"""What the store holds: `cirkla docs` (one row per document) and `cirkla stats` (totals and counts).

Both only read: they never take the write lock and never load the model.
"""

from __future__ import annotations

import shutil
from collections import Counter, defaultdict
from typing import Any

import click

from assistant.cli import cli, echo_json, settings_of
from assistant.cli.store import read_collection, store_location
from indexing.inventory import read_metadatas
from indexing.store import DIMENSION_KEY, EMBEDDER_KEY


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
