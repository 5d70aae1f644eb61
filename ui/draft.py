"""The draft (Utkast): the requirement set a procurer builds, as plain data in a `gr.State`.

The draft is a list of `DraftItem.to_json()` dicts, so each browser session has its own. Operations return a new
list: add (one clause, or a whole package), remove, move within a type, set a parameter value, swap an item for
another level of its ladder. Views render it as Markdown: an item with its number, values and flags; the check's
findings; the follow-up plan. An export writes one file when the procurer asks for it, and its folder is removed
once the app has handed the file to Gradio.
"""

from __future__ import annotations

import html
import shutil
import tempfile
from pathlib import Path
from typing import Any

from assistant.answer import DraftItem
from assistant.export import model_text, write_export
from assistant.labels import TYPE_ORDER, level_label, type_label
from assistant.plan import follow_up_plan, when_label, who_label
from assistant.review import Finding, numbered
from ui.i18n import t

EXPORT_NAME = {"sv": "cirkla-kravset", "en": "cirkla-requirements"}
EXPORT_PREFIX = "cirkla-export-"
SEVERITY_MARK = {"fel": "⛔", "varning": "⚠️", "tips": "💡"}


def add(draft: list[dict[str, Any]] | None, item: dict[str, Any]) -> list[dict[str, Any]]:
    """The draft with `item` added at the end of its type (once: a clause already there is not added)."""
    return add_many(draft, [item])


def add_many(draft: list[dict[str, Any]] | None, items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The draft with each of `items` added once; a clause already in the draft keeps its values."""
    out = list(draft or [])
    present = {existing["clause_id"] for existing in out}
    for item in items:
        if item["clause_id"] not in present:
            out.append(dict(item))
            present.add(item["clause_id"])
    return ordered(out)


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


def set_value(draft: list[dict[str, Any]] | None, clause_id: str, name: str, value: Any) -> list[dict[str, Any]]:
    """The draft with parameter `name` of `clause_id` set to `value` (an empty value: back to the recommended)."""
    out = []
    for item in draft or []:
        if item["clause_id"] == clause_id:
            item = DraftItem.from_json(item).with_values({name: _number_or_text(value)}).to_json()
        out.append(item)
    return out


def swap(draft: list[dict[str, Any]] | None, clause_id: str, replacement: dict[str, Any]) -> list[dict[str, Any]]:
    """The draft with `clause_id` replaced in place by another level's clause (its own recommended values)."""
    out = []
    for item in draft or []:
        if item["clause_id"] == clause_id:
            if any(other["clause_id"] == replacement["clause_id"] for other in draft or []):
                continue  # the replacement is already in the draft: just drop this one
            item = dict(replacement)
        out.append(item)
    return ordered(out)


def _number_or_text(value: Any) -> Any:
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def ordered(draft: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Items grouped by type in procurement-document order, keeping their order inside each type."""
    rank = {type_: i for i, type_ in enumerate(TYPE_ORDER)}
    return sorted(draft, key=lambda item: rank.get(item.get("type", ""), len(TYPE_ORDER)))


def items_of(draft: list[dict[str, Any]] | None) -> list[DraftItem]:
    return [DraftItem.from_json(item) for item in ordered(list(draft or []))]


def numbers_of(draft: list[dict[str, Any]] | None) -> dict[str, str]:
    """clause id -> its number in the set (K1, T2, U1, S3)."""
    return {item.clause_id: number for number, item in numbered(items_of(draft))}


def type_heading(type_name: str, language: str) -> str:
    return type_label(type_name, language, plural=True) or ("Övriga krav" if language != "en" else "Other")


def item_label(item: dict[str, Any], language: str) -> str:
    return (
        f"{item['clause_id']} · {item['title']} ({type_label(item.get('type'), language)}, "
        f"{level_label(item.get('level'), language).lower()})"
    )


def item_markdown(item: dict[str, Any], language: str, number: str = "") -> str:
    """One draft item as Markdown: number, title, level, text with the values in, award model, verification."""
    draft_item = DraftItem.from_json(item)
    lines = [
        f"**{number + ' ' if number else ''}{html.escape(item['title'])}** · "
        f"{level_label(item.get('level'), language)} · `{item['clause_id']}`",
        "",
        html.escape(draft_item.text),
        "",
    ]
    if draft_item.evaluation:
        lines.append(f"*{t(language, 'award_model')}:* {html.escape(model_text(draft_item, language))}  ")
    lines.append(f"*{t(language, 'verification')}:* {html.escape(draft_item.verification or '–')}  ")
    if draft_item.sanction:
        lines.append(f"*{t(language, 'sanction')}:* {html.escape(draft_item.sanction)}  ")
    if draft_item.anvisning:
        lines.append(f"*{t(language, 'anvisning')}:* {html.escape(draft_item.anvisning)}  ")
    for name, problem in draft_item.parameter_problems():
        label = next((p.get("label") for p in draft_item.parameters if p.get("name") == name), name)
        text = t(language, "value_missing") if problem == "no value" else problem
        lines.append(f"⚠️ **{html.escape(str(label))}:** {html.escape(text)}  ")
    return "\n".join(lines)


def parameter_label(parameter: dict[str, Any], language: str) -> str:
    unit = f" ({parameter['unit']})" if parameter.get("unit") else ""
    allowed = ""
    if parameter.get("range"):
        low, high = parameter["range"]
        allowed = f", {t(language, 'allowed')} {low:g}–{high:g}"
    recommended = parameter.get("recommended")
    return f"{parameter.get('label', parameter['name'])}{unit} – {t(language, 'recommended')} {recommended}{allowed}"


def parameter_info(parameter: dict[str, Any], language: str) -> str:
    return f"{t(language, 'value_source')}: {parameter.get('source') or '–'}"


def groups(draft: list[dict[str, Any]] | None) -> list[tuple[str, list[tuple[str, dict[str, Any]]]]]:
    """(type, [(number, item dict), …]) in procurement-document order."""
    by_clause = {item["clause_id"]: item for item in (draft or [])}
    out: dict[str, list[tuple[str, dict[str, Any]]]] = {}
    for number, item in numbered(items_of(draft)):
        out.setdefault(item.type, []).append((number, by_clause[item.clause_id]))
    return [(type_, out[type_]) for type_ in [*TYPE_ORDER, ""] if type_ in out]


def findings_markdown(findings: list[Finding], language: str) -> str:
    """The check's findings, most serious first, each with what to do and the note that motivates it."""
    if not findings:
        return t(language, "check_clean")
    lines = [t(language, "check_heading").format(n=len(findings)), ""]
    for finding in findings:
        where = f"**{html.escape(finding.requirement)}** – " if finding.requirement else ""
        lines.append(
            f"- {SEVERITY_MARK.get(finding.severity, '')} {where}{html.escape(finding.message)}  \n"
            f"  *{t(language, 'action')}:* {html.escape(finding.action)} "
            f"({t(language, 'see')} {finding.doc_id}: \"{html.escape(finding.section)}\")"
        )
    return "\n".join(lines)


def plan_markdown(draft: list[dict[str, Any]] | None, language: str) -> str:
    """The follow-up plan, grouped by when."""
    plan = follow_up_plan(items_of(draft))
    if not plan:
        return ""
    lines = [f"### {t(language, 'plan_heading')}", ""]
    for when, steps in plan:
        lines += [f"**{when_label(when, language)}**", ""]
        for step in steps:
            who = f" – {who_label(step.who, language)}" if step.who else ""
            sanction = f" *{t(language, 'sanction')}:* {html.escape(step.sanction)}" if step.sanction else ""
            lines.append(f"- **{step.number}** {html.escape(step.evidence)}{who}.{sanction}")
        lines.append("")
    return "\n".join(lines)


def export_file(draft: list[dict[str, Any]] | None, language: str, kind: str) -> tuple[str | None, str | None]:
    """(path of a fresh export file, its folder to remove afterwards); (None, None) for an empty draft."""
    items = items_of(draft)
    if not items:
        return None, None
    folder = Path(tempfile.mkdtemp(prefix=EXPORT_PREFIX))
    name = EXPORT_NAME["en" if language == "en" else "sv"]
    path = write_export(items, folder / f"{name}.{kind}", kind, language)
    return str(path), str(folder)


def export(draft: list[dict[str, Any]] | None, language: str, folder: Path, kind: str = "docx") -> Path | None:
    """Write the draft as a `kind` file into `folder`; None when the draft is empty."""
    items = items_of(draft)
    if not items:
        return None
    name = EXPORT_NAME["en" if language == "en" else "sv"]
    return write_export(items, folder / f"{name}.{kind}", kind, language)


def remove_folder(folder: str | None) -> None:
    """Remove an export folder this module made (and nothing else)."""
    if folder and Path(folder).name.startswith(EXPORT_PREFIX) and Path(folder).parent == Path(tempfile.gettempdir()):
        shutil.rmtree(folder, ignore_errors=True)
