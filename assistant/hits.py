"""A retrieval hit: one chunk with its rank and score, and its JSON form (see DESIGN.md)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any


@dataclass
class Hit:
    """One ranked chunk. `metadata` is the chunk's metadata as stored (see `indexing.schema`)."""

    rank: int
    score: float
    chunk_id: str
    text: str
    metadata: dict[str, Any] = field(default_factory=dict)
    similarity: float = 0.0  # dense cosine similarity to the query (0 when the dense side did not find it)

    @property
    def doc_id(self) -> str:
        return str(self.metadata.get("doc_id", ""))

    @property
    def kind(self) -> str:
        return str(self.metadata.get("kind", "document"))

    @property
    def page(self) -> int | None:
        page = self.metadata.get("page")
        return int(page) if page is not None else None

    def to_json(self) -> dict[str, Any]:
        """The hit as `--json` prints it: rank, score, ids, title, source, page, text and clause fields."""
        meta = self.metadata
        out: dict[str, Any] = {
            "rank": self.rank,
            "score": round(float(self.score), 6),
            "doc_id": self.doc_id,
            "chunk_id": self.chunk_id,
            "title": meta.get("title", ""),
            "source": meta.get("source", ""),
            "page": self.page,
            "section": meta.get("section", ""),
            "kind": self.kind,
            "text": self.text,
        }
        if self.kind == "clause":
            out.update(
                clause_id=meta.get("clause_id", self.doc_id),
                area=meta.get("area"),
                group=meta.get("group"),
                type=meta.get("type"),
                level=meta.get("level"),
                strategies=list(meta.get("strategies") or []),
                verification=meta.get("verification", ""),
                rationale=meta.get("rationale", ""),
            )
            from assistant.composer import clause_details

            out.update(clause_details(self))  # parameters, evaluation, requires, crosswalk, last_reviewed, …
        elif meta.get("area"):
            out["area"] = meta.get("area")
        return out


def references(raw: Any) -> list[dict[str, Any]]:
    """A chunk's `sources` metadata (a JSON string in the store, or a list) as a list of reference dicts."""
    if isinstance(raw, list):
        return [item for item in raw if isinstance(item, dict)]
    if isinstance(raw, str) and raw.strip():
        try:
            parsed = json.loads(raw)
        except ValueError:
            return []
        return [item for item in parsed if isinstance(item, dict)] if isinstance(parsed, list) else []
    return []


def cited_doc_ids(meta: dict[str, Any]) -> list[str]:
    """The corpus documents a chunk names as its sources (`- doc_id: vagledning-mobler` in a clause)."""
    return [str(ref["doc_id"]) for ref in references(meta.get("sources")) if ref.get("doc_id")]
