"""What the assistant answers: Markdown with inline `[n]` citations, its numbered sources and the proposed
requirements, and the checks that every `[n]` names a source."""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field, replace
from typing import Any

CITATION = re.compile(r"\[(\d{1,3})\]")


@dataclass
class Source:
    """A numbered source of an answer: a clause or a passage of a document, and where its file is."""

    n: int
    doc_id: str
    chunk_id: str
    title: str
    kind: str
    source: str = ""
    root: str = ""
    page: int | None = None
    section: str = ""
    excerpt: str = ""
    score: float = 0.0
    clause_id: str | None = None
    area: str | None = None
    group: str | None = None
    type: str | None = None
    level: str | None = None
    text: str = ""
    verification: str = ""
    rationale: str = ""
    strategies: list[str] = field(default_factory=list)
    references: list[dict[str, Any]] = field(default_factory=list)
    details: dict[str, Any] = field(default_factory=dict)  # a clause's v2 fields (assistant.composer.CARD_FIELDS)
    flagged: bool = False  # the text addresses an AI or the reader with instructions; withheld from the answer
    withheld: list[str] = field(default_factory=list)  # those sentences: never shown as an answer, never sent

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class DraftItem:
    """A requirement in a draft: a clause as written, with the procurer's values for its parameters.

    `text`, `sanction` and the award formula are kept rendered with the current values (the recommended value
    where the procurer has set none); `templates` keeps them with their `{name}` placeholders, so a value can
    be changed later (`with_values`). Every field is plain data, so a draft is JSON (`to_json`)."""

    clause_id: str
    title: str
    type: str
    level: str
    text: str
    verification: str
    source: int = 0  # the [n] of the answer that proposed it (0 when it came from a package or an import)
    area: str | None = None
    rationale: str = ""
    source_title: str = ""
    source_path: str = ""
    references: list[dict[str, Any]] = field(default_factory=list)
    # schema v2 (empty for an item saved before it)
    group: str | None = None
    templates: dict[str, str] = field(default_factory=dict)  # text, sanction, evaluation.formula/scale with {name}s
    parameters: list[dict[str, Any]] = field(default_factory=list)
    values: dict[str, Any] = field(default_factory=dict)
    anvisning: str = ""
    evaluation: dict[str, Any] | None = None
    follow_up: list[dict[str, Any]] = field(default_factory=list)
    sanction: str = ""
    requires: list[str] = field(default_factory=list)
    pairs_with: list[str] = field(default_factory=list)
    replaces: list[str] = field(default_factory=list)
    legal_basis: str = ""
    legal_floor: str | None = None
    crosswalk: dict[str, Any] | None = None
    last_reviewed: str | None = None
    root: str = "corpus"

    @classmethod
    def from_clause(cls, clause: Any, source: int = 0, source_path: str = "", root: str = "corpus") -> DraftItem:
        """The draft item of a clause (`indexing.clause_model.Clause`), with its recommended values."""
        data = clause.model_dump(mode="json")
        item = cls(
            clause_id=clause.id,
            title=clause.title,
            type=clause.type,
            level=clause.level,
            text=clause.text,
            verification=clause.verification,
            source=source,
            area=clause.area,
            rationale=clause.rationale,
            source_title=f"{clause.id} {clause.title}",
            source_path=source_path,
            references=[{k: v for k, v in ref.items() if v is not None} for ref in data["sources"]],
            group=clause.group,
            templates=clause.templated(),
            parameters=[{k: v for k, v in p.items() if v is not None} for p in data["parameters"]],
            anvisning=clause.anvisning,
            evaluation={k: v for k, v in (data["evaluation"] or {}).items() if v is not None} or None,
            follow_up=list(data["follow_up"]),
            sanction=clause.sanction,
            requires=list(clause.requires),
            pairs_with=list(clause.pairs_with),
            replaces=list(clause.replaces),
            legal_basis=clause.legal_basis,
            legal_floor=clause.legal_floor,
            crosswalk=data["crosswalk"],
            last_reviewed=data["last_reviewed"],
            root=root,
        )
        return item.with_values({})

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> DraftItem:
        known = {name for name in cls.__dataclass_fields__}
        return cls(**{key: value for key, value in data.items() if key in known})

    def value_of(self, name: str) -> Any:
        """The procurer's value for parameter `name`, else its recommended value (None when neither)."""
        if self.values.get(name) not in (None, ""):
            return self.values[name]
        parameter = next((p for p in self.parameters if p.get("name") == name), None)
        return None if parameter is None else parameter.get("recommended")

    def with_values(self, values: dict[str, Any]) -> DraftItem:
        """A copy with `values` set (an empty value removes the procurer's own), every text rendered again."""
        from indexing.clause_model import Parameter, render

        merged = {name: value for name, value in {**self.values, **values}.items() if value not in (None, "")}
        parameters = [Parameter.model_validate(p) for p in self.parameters]
        templates = dict(self.templates) or {"text": self.text, "sanction": self.sanction}
        evaluation = dict(self.evaluation) if self.evaluation else None
        if not self.templates and evaluation:
            templates.update({f"evaluation.{k}": str(evaluation[k]) for k in ("formula", "scale") if evaluation.get(k)})
        for key, raw in templates.items():
            if key.startswith("evaluation.") and evaluation is not None:
                evaluation[key.split(".", 1)[1]] = render(raw, parameters, merged)
        return replace(
            self,
            values=merged,
            templates=templates,
            text=render(templates.get("text", self.text), parameters, merged),
            sanction=render(templates.get("sanction", self.sanction), parameters, merged),
            evaluation=evaluation,
        )

    def parameter_problems(self) -> list[tuple[str, str]]:
        """(parameter name, what is wrong) for every value that is missing or outside its range or choices."""
        from indexing.clause_model import Parameter

        out = []
        for raw in self.parameters:
            parameter = Parameter.model_validate(raw)
            value = self.value_of(parameter.name)
            if value in (None, ""):
                out.append((parameter.name, "no value"))
            elif not parameter.allows(value):
                allowed = (
                    f"{parameter.range[0]:g}–{parameter.range[1]:g}" if parameter.range else
                    ", ".join(str(c) for c in parameter.choices or [])
                )
                out.append((parameter.name, f"{value} is outside {allowed}"))
        return out


@dataclass
class Answer:
    """What the assistant says: Markdown with inline `[n]`, its numbered sources and the proposed
    requirements."""

    markdown: str
    sources: list[Source] = field(default_factory=list)
    draft_items: list[DraftItem] = field(default_factory=list)
    notice: str = ""
    language: str = "sv"
    filters_used: dict[str, str] = field(default_factory=dict)
    query: str = ""
    topic: str = ""
    found: bool = True
    kind: str = "requirements"  # requirements | guidance | not_covered: what the answer is
    more_items: list[DraftItem] = field(default_factory=list)  # further proposals, behind "show all"
    also_area: str | None = None  # another product area the question fits too

    def to_json(self) -> dict[str, Any]:
        return {
            "markdown": self.markdown,
            "notice": self.notice,
            "language": self.language,
            "filters_used": dict(self.filters_used),
            "query": self.query,
            "found": self.found,
            "kind": self.kind,
            "also_area": self.also_area,
            "sources": [source.to_json() for source in self.sources],
            "draft_items": [item.to_json() for item in self.draft_items],
            "more_items": [item.to_json() for item in self.more_items],
        }


def without_notice(answer: Answer) -> str:
    """The answer's Markdown without the `*notice*` paragraph it starts with (when it does)."""
    if answer.notice and answer.markdown.startswith(f"*{answer.notice}*\n\n"):
        return answer.markdown[len(answer.notice) + 4 :]
    return answer.markdown


def citations(markdown: str) -> list[int]:
    """Every `[n]` cited in `markdown`, in order of appearance (repeats kept)."""
    return [int(match) for match in CITATION.findall(markdown)]


def unresolved_citations(answer: Answer) -> list[int]:
    """Citations in the answer that name no listed source (should always be empty)."""
    numbers = {source.n for source in answer.sources}
    return [n for n in citations(answer.markdown) if n not in numbers]
