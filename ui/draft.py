"""The draft (Utkast): proposed requirements a person collects, grouped by type, reordered, exported.

The draft is a list of `DraftItem.to_json()` dicts in a `gr.State`, so each browser session has its own.
Operations return a new list; an export writes one file when the procurer asks for it, and its folder is removed
once the app has handed the file to Gradio.
"""

from __future__ import annotations

import html
import shutil
import tempfile
from pathlib import Path
from typing import Any

from assistant.answer import DraftItem
from assistant.export import grouped, write_docx, write_markdown
from assistant.labels import TYPE_ORDER, level_label, type_label
from ui.i18n import t

EXPORT_NAME = {"sv": "cirkla-utkast", "en": "cirkla-draft"}
EXPORT_PREFIX = "cirkla-export-"


def add(draft: list[dict[str, Any]] | None, item: dict[str, Any]) -> list[dict[str, Any]]:
    """The draft with `item` added at the end of its type (once: a clause already there is not added)."""
    draft = list(draft or [])
    if any(existing["clause_id"] == item["clause_id"] for existing in draft):
        return draft
    return ordered([*draft, dict(item)])


def remove(draft: list[dict[str, Any]] | None, clause_id: str) -> list[dict[str, Any]]:
    return [item for item in (draft or []) if item["clause_id"] != clause_id]


def move(draft: list[dict[str, Any]] | None, clause_id: str, step: int) -> list[dict[str, Any]]:
    """Move an item up (-1) or down (+1) within its type; at the edge of its type it stays."""
    items = ordered(list(draft or []))
    index = next((i for i, item in enumerate(items) if item["clause_id"] == clause_id), None)
    if index is None:
        return items
    other = index + step
    if 0 <= other < len(items) and items[other].get("type") == items[index].get("type"):
        items[index], items[other] = items[other], items[index]
    return items


def ordered(draft: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Items grouped by type in procurement-document order, keeping their order inside each type."""
    rank = {type_: i for i, type_ in enumerate(TYPE_ORDER)}
    return sorted(draft, key=lambda item: rank.get(item.get("type", ""), len(TYPE_ORDER)))


def items_of(draft: list[dict[str, Any]] | None) -> list[DraftItem]:
    return [DraftItem.from_json(item) for item in ordered(list(draft or []))]


def item_label(item: dict[str, Any], language: str) -> str:
    return (
        f"{item['clause_id']} · {item['title']} ({type_label(item.get('type'), language)}, "
        f"{level_label(item.get('level'), language).lower()})"
    )


def item_markdown(item: dict[str, Any], language: str) -> str:
    """One draft item as Markdown: title, level, text, verification and source."""
    verification = item.get("verification") or "–"
    source = f"{item['clause_id']} {item['title']}" + (
        f" ({item['source_path']})" if item.get("source_path") else ""
    )
    return (
        f"**{html.escape(item['title'])}** · {level_label(item.get('level'), language)} · "
        f"`{item['clause_id']}`\n\n"
        f"{html.escape(item.get('text', ''))}\n\n"
        f"*{t(language, 'verification')}:* {html.escape(verification)}  \n"
        f"*{'Källa' if language != 'en' else 'Source'}:* {html.escape(source)}"
    )


def groups(draft: list[dict[str, Any]] | None) -> list[tuple[str, list[dict[str, Any]]]]:
    by_clause = {item["clause_id"]: item for item in (draft or [])}
    return [(type_, [by_clause[i.clause_id] for i in members]) for type_, members in grouped(items_of(draft))]


def export(draft: list[dict[str, Any]] | None, language: str, folder: Path, kind: str = "docx") -> Path | None:
    """Write the draft as a `kind` file ("docx" or "md") into `folder`; None when the draft is empty.

    The app calls this only when the procurer asks for a file, into a folder of its own that it removes as soon
    as Gradio has taken its copy (`export_file`, `remove_folder`)."""
    items = items_of(draft)
    if not items:
        return None
    name = EXPORT_NAME["en" if language == "en" else "sv"]
    if kind == "md":
        return write_markdown(items, folder / f"{name}.md", language)
    return write_docx(items, folder / f"{name}.docx", language)


def export_file(draft: list[dict[str, Any]] | None, language: str, kind: str) -> tuple[str | None, str | None]:
    """(path of a fresh export file, its folder to remove afterwards); (None, None) for an empty draft."""
    if not items_of(draft):
        return None, None
    folder = Path(tempfile.mkdtemp(prefix=EXPORT_PREFIX))
    path = export(draft, language, folder, kind)
    return (str(path) if path else None), str(folder)


def remove_folder(folder: str | None) -> None:
    """Remove an export folder this module made (and nothing else)."""
    if folder and Path(folder).name.startswith(EXPORT_PREFIX) and Path(folder).parent == Path(tempfile.gettempdir()):
        shutil.rmtree(folder, ignore_errors=True)
