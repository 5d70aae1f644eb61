"""The clause library as the store holds it: every clause as a `Clause` model, and what a package is made of.

    library = ClauseLibrary.from_chunks(index.texts, index.metadatas)   # the retriever's BM25 index holds them
    library.get("MOB-TS-01")                                            # a Clause, with its v2 fields
    library.package("mobler", groups=["Kontorsstolar"], level="avancerad")
    library.ladder("MOB-TS-01")                                         # {level: [clauses of its group and type]}

Chroma is the single source of truth: the library is rebuilt from the chunks' metadata, so it follows every
change to the store (a running app sees a new clause file as soon as its retriever does).

Packages follow Upphandlingsmyndigheten's nesting: a package at `avancerad` holds the chosen groups' `bas` and
`avancerad` clauses, minus each lower-level clause that a chosen higher-level clause `replaces`.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError

from assistant.labels import LEVEL_ORDER, TYPE_ORDER
from indexing.clause_model import Clause

JSON_FIELDS = ("parameters", "evaluation", "follow_up", "crosswalk", "applicability", "sources")
LIST_FIELDS = ("strategies", "keywords", "requires", "pairs_with", "replaces", "cpv")


def clause_from_metadata(meta: dict[str, Any], text: str = "") -> Clause | None:
    """The clause a clause chunk was made from (None for other chunks, or metadata the model refuses)."""
    if meta.get("kind") != "clause" or not meta.get("clause_id"):
        return None
    fields: dict[str, Any] = {}
    for name in Clause.model_fields:
        value = meta.get(name)
        if value is None:
            continue
        if name in JSON_FIELDS and isinstance(value, str):
            try:
                value = json.loads(value)
            except ValueError:
                continue
        if name in LIST_FIELDS and isinstance(value, str):
            value = [value]
        fields[name] = value
    fields["id"] = str(meta["clause_id"])
    fields["text"] = str(meta.get("template") or text or "")
    if fields.get("group") == "":
        fields.pop("group")
    try:
        return Clause.model_validate(fields)
    except ValidationError:
        return None


@dataclass
class ClauseLibrary:
    """Every clause of the store by id, with where it lives (`source`, `root`)."""

    clauses: dict[str, Clause] = field(default_factory=dict)
    places: dict[str, tuple[str, str]] = field(default_factory=dict)  # id -> (root, source path)

    @classmethod
    def from_chunks(cls, texts: Sequence[str], metadatas: Sequence[dict[str, Any]]) -> ClauseLibrary:
        library = cls()
        for text, meta in zip(texts, metadatas, strict=True):
            clause = clause_from_metadata(meta, text)
            if clause is not None and clause.id not in library.clauses:
                library.clauses[clause.id] = clause
                library.places[clause.id] = (str(meta.get("root", "corpus")), str(meta.get("source", "")))
        return library

    @classmethod
    def from_collection(cls, collection: Any, page: int = 5000) -> ClauseLibrary:
        """The library a collection holds (read in pages; no model needed)."""
        texts: list[str] = []
        metadatas: list[dict[str, Any]] = []
        offset = 0
        while True:
            got = collection.get(where={"kind": "clause"}, include=["documents", "metadatas"], limit=page,
                                 offset=offset)  # fmt: skip
            texts.extend(doc or "" for doc in got["documents"])
            metadatas.extend(dict(meta or {}) for meta in got["metadatas"])
            if len(got["ids"]) < page:
                return cls.from_chunks(texts, metadatas)
            offset += page

    def get(self, clause_id: str) -> Clause | None:
        return self.clauses.get(clause_id)

    def __len__(self) -> int:
        return len(self.clauses)

    def areas(self) -> list[str]:
        """The areas that have clauses, sorted."""
        return sorted({clause.area for clause in self.clauses.values()})

    def groups(self, area: str) -> list[str]:
        """The product groups of an area, in the order their first clause appears."""
        seen: dict[str, None] = {}
        for clause in self.clauses.values():
            if clause.area == area and clause.group:
                seen.setdefault(clause.group, None)
        return list(seen)

    def package(self, area: str, groups: Iterable[str] | None = None, level: str = "bas") -> list[Clause]:
        """The clauses of a requirement package, in procurement-document order (type, then level, then id).

        `groups` limits it to those product groups (none: every group of the area, and the area's clauses
        without a group, but not the clauses written only for a call-off from a framework agreement); levels
        nest: every level up to `level`, minus the clauses a chosen one `replaces`; and every clause a chosen one
        `requires` or is made binding by comes along."""
        if level not in LEVEL_ORDER:
            raise ValueError(f"level {level!r} is not one of {', '.join(LEVEL_ORDER)}")
        wanted = set(groups or [])
        top = LEVEL_ORDER.index(level)
        chosen = [
            clause
            for clause in self.clauses.values()
            if clause.area == area
            and LEVEL_ORDER.index(clause.level) <= top
            and (clause.group in wanted if wanted else not _call_off_only(clause))
        ]
        replaced = {other for clause in chosen for other in clause.replaces}
        kept = {clause.id: clause for clause in chosen if clause.id not in replaced}
        # what a chosen clause cannot work without comes along (its contract term, a figure it builds on), also
        # from another group, area or level, unless a clause already in the package replaces it
        todo = list(kept.values())
        while todo:
            clause = todo.pop()
            needed = [*clause.requires, *([clause.evaluation.binding_by] if clause.evaluation else [])]
            for other_id in needed:
                other = self.clauses.get(other_id)
                if other is None or other_id in kept or other_id in replaced:
                    continue
                kept[other_id] = other
                todo.append(other)
        return sorted(kept.values(), key=_document_order)

    def ladder(self, clause_id: str) -> dict[str, list[Clause]]:
        """The bas / avancerad / spjutspets variants of a clause: its group's clauses of the same type, by level.

        A clause without a group has as its ladder the clauses it replaces or is replaced by."""
        clause = self.clauses.get(clause_id)
        if clause is None:
            return {}
        if clause.group:
            family = [
                other
                for other in self.clauses.values()
                if other.area == clause.area and other.group == clause.group and other.type == clause.type
            ]
        else:
            linked = set(clause.replaces) | {o.id for o in self.clauses.values() if clause.id in o.replaces}
            family = [clause, *(self.clauses[i] for i in sorted(linked) if i in self.clauses)]
        out: dict[str, list[Clause]] = {level: [] for level in LEVEL_ORDER}
        for other in sorted(family, key=_document_order):
            out[other.level].append(other)
        return out


def _call_off_only(clause: Clause) -> bool:
    """Whether a clause is written only for a call-off from a framework agreement (it makes a framework's terms
    precise), so it belongs in a package for a call-off, chosen by its group, not in one for a new procurement."""
    use = clause.applicability
    return use is not None and use.call_off and not (use.direktupphandling or use.under_threshold or use.over_threshold)


def _document_order(clause: Clause) -> tuple[int, int, str]:
    return (TYPE_ORDER.index(clause.type), LEVEL_ORDER.index(clause.level), clause.id)
