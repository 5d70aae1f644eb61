"""Fixtures for the assistant: hits built by hand (real metadata shapes) and an assistant on the seed
corpus."""

from __future__ import annotations

import json
from typing import Any

import pytest

from assistant.hits import Hit

PROJECT_CORPUS = __import__("pathlib").Path(__file__).resolve().parents[2] / "corpus"


def clause_hit(
    clause_id: str,
    type_: str,
    level: str = "bas",
    rank: int = 1,
    area: str = "mobler",
    text: str | None = None,
    **extra: Any,
) -> Hit:
    """A clause chunk as the indexer stores it (see indexing/schema.py)."""
    meta: dict[str, Any] = {
        "doc_id": clause_id,
        "chunk_id": f"{clause_id}:0123456789ab:0",
        "title": f"Titel {clause_id}",
        "source": f"clauses/{area}.yaml",
        "section": "Möbler och inredning > Kontorsstolar",
        "kind": "clause",
        "root": "corpus",
        "clause_id": clause_id,
        "area": area,
        "group": "Kontorsstolar",
        "type": type_,
        "level": level,
        "strategies": ["reparation"],
        "verification": f"Verifiering av {clause_id}.",
        "rationale": f"Motivering för {clause_id}.",
        "sources": json.dumps(
            [
                {"doc_id": "vagledning-mobler"},
                {"title": "EU GPP", "publisher": "EU", "url": "https://example.org/gpp"},
            ]
        ),
    }
    meta.update(extra)
    return Hit(
        rank=rank,
        score=1.0 / rank,
        chunk_id=meta["chunk_id"],
        text=text or f"Leverantören ska uppfylla {clause_id}.",
        metadata=meta,
    )


def guidance_hit(
    doc_id: str,
    n: int = 0,
    text: str = "Vägledningen säger att möbler ska repareras.",
    page: int | None = None,
    rank: int = 1,
    source: str | None = None,
    kind: str = "guidance",
) -> Hit:
    meta: dict[str, Any] = {
        "doc_id": doc_id,
        "chunk_id": f"{doc_id}:ba9876543210:{n}",
        "title": f"Vägledning {doc_id}",
        "source": source or f"guidance/{doc_id}.md",
        "section": f"Vägledning {doc_id} > Avsnitt {n}",
        "kind": kind,
        "root": "corpus" if kind == "guidance" else "documents",
    }
    if page is not None:
        meta["page"] = page
    return Hit(rank=rank, score=1.0 / rank, chunk_id=meta["chunk_id"], text=text, metadata=meta)


@pytest.fixture(scope="session")
def seed_assistant(seed_store):
    """The extractive assistant over the session's seed store (no LLM)."""
    from assistant.retrieval import HybridRetriever
    from assistant.service import Assistant, QueryCache, load_area_names

    _, collection, embedder = seed_store
    return Assistant(
        retriever=HybridRetriever(collection, QueryCache(embedder)),
        area_names=load_area_names([PROJECT_CORPUS]),
        roots={"corpus": PROJECT_CORPUS},
    )
