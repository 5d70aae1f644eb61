"""Clause-library files (`clauses/*.yaml`): one document per clause, every clause field kept as metadata."""

from __future__ import annotations

from pathlib import Path

import yaml
from langchain_core.documents import Document

from indexing.errors import LoadError
from indexing.loaders.metadata import base_metadata
from indexing.loaders.text import decode_text
from indexing.schema import CorpusRoot

REQUIRED_CLAUSE_FIELDS = ("id", "title", "area", "text")


def load_clauses(path: Path, root: CorpusRoot, data: bytes) -> list[Document]:
    """A clause-library file: one document per clause, every clause field kept as metadata."""
    try:
        parsed = yaml.safe_load(decode_text(path, data))
    except yaml.YAMLError as exc:
        raise LoadError(str(path), f"not valid YAML: {' '.join(str(exc).split())}") from None
    if not isinstance(parsed, dict) or not isinstance(parsed.get("clauses"), list):
        raise LoadError(str(path), "a clause file needs a top-level `clauses:` list")
    area_names = _area_names(path, root)
    base = base_metadata(path, root, kind="clause")
    documents = []
    for position, clause in enumerate(parsed["clauses"], start=1):
        if not isinstance(clause, dict):
            raise LoadError(str(path), f"clause #{position} is not a mapping")
        missing = [name for name in REQUIRED_CLAUSE_FIELDS if not str(clause.get(name) or "").strip()]
        if missing:
            label = clause.get("id") or f"#{position}"
            raise LoadError(str(path), f"clause {label} has no {', '.join(missing)} (docs/ARCHITECTURE.md)")
        area_name = area_names.get(str(clause["area"]), str(clause["area"]))
        group = str(clause.get("group") or "")
        metadata = {
            **base,
            **{key: value for key, value in clause.items() if key not in base and key != "id"},
            "doc_id": str(clause["id"]),
            "clause_id": str(clause["id"]),
            "title": str(clause["title"]),
            "area_name": area_name,
            "group": group,
            "section": f"{area_name} > {group}" if group else area_name,
        }
        documents.append(Document(page_content=str(clause["text"]).strip(), metadata=metadata))
    return documents


def _area_names(path: Path, root: CorpusRoot) -> dict[str, str]:
    """Area slug -> Swedish name, from the corpus's areas.yaml (empty when there is none)."""
    for candidate in (root.path / "areas.yaml", path.parent.parent / "areas.yaml"):
        if candidate.is_file():
            try:
                areas = yaml.safe_load(candidate.read_text(encoding="utf-8")) or {}
            except (OSError, yaml.YAMLError, UnicodeDecodeError):
                return {}
            names = {str(slug): area for slug, area in areas.items() if isinstance(area, dict)}
            return {slug: str(area.get("sv") or slug) for slug, area in names.items()}
    return {}
