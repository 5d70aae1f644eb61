"""Clause-library files (`clauses/*.yaml`): one document per clause, read with the clause model.

A clause that the model refuses (a wrong type, an unknown level) fails the whole file with the clause id and
field, so the store keeps the file's previous version until it is fixed. The document's text is the clause text
with the recommended parameter values in; the text with its `{name}` placeholders is kept as `template`.
"""

from __future__ import annotations

from pathlib import Path

import yaml
from langchain_core.documents import Document
from pydantic import ValidationError

from indexing.clause_model import Clause, clause_hash, field_problems
from indexing.errors import LoadError
from indexing.loaders.metadata import base_metadata
from indexing.loaders.text import decode_text
from indexing.schema import CorpusRoot
from indexing.yamlsafe import load_yaml

REQUIRED_CLAUSE_FIELDS = tuple(name for name, field in Clause.model_fields.items() if field.is_required())


def load_clauses(path: Path, root: CorpusRoot, data: bytes) -> list[Document]:
    """A clause-library file: one document per clause, every clause field kept as metadata."""
    try:
        text, note = decode_text(path, data, root.encoding)
        parsed = load_yaml(text)
    except yaml.YAMLError as exc:
        raise LoadError(str(path), f"not valid YAML: {' '.join(str(exc).split())}") from None
    if not isinstance(parsed, dict) or not isinstance(parsed.get("clauses"), list):
        raise LoadError(str(path), "a clause file needs a top-level `clauses:` list")
    area_names = _area_names(path, root)
    base = base_metadata(path, root, kind="clause")
    if note:
        base["decode_note"] = note  # the indexing report names the file with it
    documents = []
    for position, raw in enumerate(parsed["clauses"], start=1):
        if not isinstance(raw, dict):
            raise LoadError(str(path), f"clause #{position} is not a mapping")
        try:
            clause = Clause.model_validate(raw)
        except ValidationError as exc:
            label = raw.get("id") if isinstance(raw.get("id"), str) and raw.get("id") else f"#{position}"
            raise LoadError(str(path), f"clause {label}: {'; '.join(field_problems(exc))}") from None
        fields = clause.model_dump(mode="json", exclude_none=True, exclude_defaults=True)
        area_name = area_names.get(clause.area, clause.area)
        group = clause.group or ""
        metadata = {
            **base,
            **{key: value for key, value in fields.items() if key not in base and key not in ("id", "text")},
            "doc_id": clause.id,
            "clause_id": clause.id,
            "title": clause.title,
            "area_name": area_name,
            "group": group,
            "section": f"{area_name} > {group}" if group else area_name,
            "clause_hash": clause_hash(fields),
        }
        if clause.parameters:
            metadata["template"] = clause.text
        documents.append(Document(page_content=clause.rendered().strip(), metadata=metadata))
    return documents


def _area_names(path: Path, root: CorpusRoot) -> dict[str, str]:
    """Area slug -> Swedish name, from the corpus's areas.yaml (empty when there is none)."""
    for candidate in (root.path / "areas.yaml", path.parent.parent / "areas.yaml"):
        if candidate.is_file():
            try:
                areas = load_yaml(candidate.read_text(encoding="utf-8")) or {}
            except (OSError, yaml.YAMLError, UnicodeDecodeError):
                return {}
            if not isinstance(areas, dict):
                return {}
            names = {str(slug): area for slug, area in areas.items() if isinstance(area, dict)}
            return {slug: str(area.get("sv") or slug) for slug, area in names.items()}
    return {}
