"""The app's named API endpoints, for gradio_client and any HTTP client; the CLI commands give the same results.

    ask(question, area, type, level, language)        -> answer Markdown, sources, proposed requirements
    package(area, groups, level, language)            -> a requirement package as draft items, and Markdown
    check(text, language)                             -> findings over own requirements, or over a JSON draft
    export(draft, format, language)                   -> {filename, media_type, content_base64} of a file

`draft` is a JSON export (`cirkla package --json`, the app's JSON export) or a list of item dicts.
"""

from __future__ import annotations

import base64
import json
import tempfile
from pathlib import Path
from typing import Any

import gradio as gr

from assistant.answer import DraftItem
from assistant.export import FORMATS, draft_markdown, load_draft, write_export
from assistant.service import Assistant
from indexing.errors import CirklaError
from ui import chat

MEDIA_TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "md": "text/markdown; charset=utf-8",
    "json": "application/json",
}


def register(assistant: Assistant, concurrency: int) -> None:
    """Add the endpoints to the Blocks being built (inside `gr.Blocks`)."""

    def ask(question: str, area: str = "", type: str = "", level: str = "", language: str = "sv") -> dict:
        """Ask one question. Filters: area slug (e.g. mobler), type, level; language sv or en."""
        return chat.ask_api(assistant, question, area, type, level, language)

    def package(area: str, groups: list[str] | None = None, level: str = "bas", language: str = "sv") -> dict:
        """A requirement package: an area's groups (none: all) at a level, as draft items and Markdown."""
        try:
            items = assistant.package(area, list(groups or []) or None, level or "bas")
        except (CirklaError, ValueError) as exc:
            return {"error": str(exc), "items": [], "markdown": ""}
        return {"items": [item.to_json() for item in items], "markdown": draft_markdown(items, language or "sv")}

    def check(text: str, language: str = "sv") -> dict:
        """The completeness check over own requirements (Markdown or text), or over a JSON draft."""
        if not (text or "").strip():
            return {"error": "there is no text to check", "findings": []}
        try:
            findings = (
                assistant.check_draft(load_draft(text)) if text.lstrip().startswith("{") else assistant.check_text(text)
            )
        except ValueError as exc:
            return {"error": str(exc), "findings": []}
        return {"findings": [finding.to_json() for finding in findings]}

    def export(draft: str, format: str = "docx", language: str = "sv") -> dict:
        """A draft (a JSON export, or a JSON list of items) as a docx, xlsx, md or json file, base64-encoded."""
        if format not in FORMATS:
            return {"error": f"unknown format {format!r}: use one of {', '.join(FORMATS)}"}
        try:
            items = _items(draft)
        except ValueError as exc:
            return {"error": str(exc)}
        with tempfile.TemporaryDirectory(prefix="cirkla-api-") as folder:
            name = f"cirkla-kravset.{format}"
            path = write_export(items, Path(folder) / name, format, language or "sv")
            content = path.read_bytes()
        return {
            "filename": name,
            "media_type": MEDIA_TYPES[format],
            "content_base64": base64.b64encode(content).decode("ascii"),
        }

    for fn, name in ((ask, "ask"), (package, "package"), (check, "check"), (export, "export")):
        gr.api(fn, api_name=name, concurrency_limit=concurrency, concurrency_id="answers")


def _items(draft: str) -> list[DraftItem]:
    text = (draft or "").strip()
    if text.startswith("["):
        try:
            return [DraftItem.from_json(item) for item in json.loads(text)]
        except (ValueError, TypeError) as exc:
            raise ValueError(f"not a list of draft items ({exc})") from None
    return load_draft(text)


def items_json(items: list[Any]) -> str:
    """Items (DraftItems or dicts) as the JSON list `export` takes."""
    return json.dumps([item.to_json() if hasattr(item, "to_json") else item for item in items], ensure_ascii=False)
