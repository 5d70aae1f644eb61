"""What the assistant answers: Markdown with inline `[n]` citations, its numbered sources and the proposed
requirements, and the checks that every `[n]` names a source."""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
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
    flagged: bool = False  # the text addresses an AI or the reader with instructions; withheld from the answer
    withheld: list[str] = field(default_factory=list)  # those sentences: never shown as an answer, never sent

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class DraftItem:
    """A proposed requirement that can go into the draft: a clause as written, with where it comes from."""

    clause_id: str
    title: str
    type: str
    level: str
    text: str
    verification: str
    source: int
    area: str | None = None
    rationale: str = ""
    source_title: str = ""
    source_path: str = ""
    references: list[dict[str, Any]] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> DraftItem:
        known = {name for name in cls.__dataclass_fields__}
        return cls(**{key: value for key, value in data.items() if key in known})


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

    def to_json(self) -> dict[str, Any]:
        return {
            "markdown": self.markdown,
            "notice": self.notice,
            "language": self.language,
            "filters_used": dict(self.filters_used),
            "query": self.query,
            "found": self.found,
            "sources": [source.to_json() for source in self.sources],
            "draft_items": [item.to_json() for item in self.draft_items],
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
