"""The draft as a document: Word (.docx, python-docx) and Markdown.

Requirements are grouped by type in procurement-document order; each carries its level, text, how it is
verified and its source; a numbered source list closes the document.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from assistant.answer import DraftItem
from assistant.labels import TYPE_ORDER, level_label, type_label

TEXTS = {
    "sv": {
        "title": "Utkast till cirkulära krav",
        "intro": "Sammanställt med Cirkla {day}. Kraven är hämtade ur klausulbiblioteket; anpassa dem till "
        "upphandlingen och kontrollera mot källorna.",
        "verification": "Verifiering",
        "source": "Källa",
        "sources": "Källor",
        "empty": "Utkastet är tomt.",
        "other": "Övriga krav",
    },
    "en": {
        "title": "Draft circular requirements",
        "intro": "Compiled with Cirkla on {day}. The requirements come from the clause library (in Swedish); "
        "adapt them to the procurement and check them against the sources.",
        "verification": "Verification",
        "source": "Source",
        "sources": "Sources",
        "empty": "The draft is empty.",
        "other": "Other requirements",
    },
}


def grouped(items: list[DraftItem]) -> list[tuple[str, list[DraftItem]]]:
    """Items by type in procurement-document order, keeping the draft's own order inside a type."""
    groups: dict[str, list[DraftItem]] = {}
    for item in items:
        groups.setdefault(item.type if item.type in TYPE_ORDER else "", []).append(item)
    order = [t for t in TYPE_ORDER if t in groups] + ([""] if "" in groups else [])
    return [(t, groups[t]) for t in order]


def reference_text(ref: dict[str, Any]) -> str:
    """One of a clause's own sources as a line: title, publisher, URL (or a guidance note's doc id)."""
    if ref.get("title"):
        parts = [str(ref["title"])]
        if ref.get("publisher"):
            parts.append(str(ref["publisher"]))
        if ref.get("url"):
            parts.append(str(ref["url"]))
        return ", ".join(parts)
    if ref.get("doc_id"):
        return f"Cirkla-vägledning {ref['doc_id']}"
    return ", ".join(f"{k}: {v}" for k, v in ref.items())


def source_list(items: list[DraftItem]) -> list[tuple[str, str, list[str]]]:
    """The numbered sources of the draft, in document order: (clause id, label, the references it rests
    on)."""
    seen: dict[str, tuple[str, list[str]]] = {}
    for _, group in grouped(items):
        for item in group:
            if item.clause_id in seen:
                continue
            label = f"{item.clause_id} {item.title}".strip()
            if item.source_path:
                label += f" (Cirkla, {item.source_path})"
            seen[item.clause_id] = (label, [reference_text(ref) for ref in item.references])
    return [(clause_id, label, refs) for clause_id, (label, refs) in seen.items()]


def _numbering(items: list[DraftItem]) -> dict[str, int]:
    return {clause_id: n for n, (clause_id, _, _) in enumerate(source_list(items), start=1)}


def draft_markdown(items: list[DraftItem], language: str = "sv", today: date | None = None) -> str:
    """The draft as Markdown."""
    t = TEXTS["en" if language == "en" else "sv"]
    day = (today or date.today()).isoformat()
    lines = [f"# {t['title']}", "", t["intro"].format(day=day), ""]
    if not items:
        return "\n".join([*lines, t["empty"], ""])
    numbers = _numbering(items)
    for type_, group in grouped(items):
        lines += [f"## {type_label(type_, language, plural=True) or t['other']}", ""]
        for item in group:
            n = numbers.get(item.clause_id)
            lines += [
                f"### {item.title} ({level_label(item.level, language)}, {item.clause_id})",
                "",
                item.text,
                "",
            ]
            lines += [f"**{t['verification']}:** {item.verification or '–'}", ""]
            lines += [f"**{t['source']}:** [{n}] {item.clause_id} {item.title}", ""]
    lines += [f"## {t['sources']}", ""]
    for n, (_, label, refs) in enumerate(source_list(items), start=1):
        lines.append(f"{n}. {label}")
        lines += [f"   - {ref}" for ref in refs]
    return "\n".join(lines).rstrip() + "\n"


def write_markdown(items: list[DraftItem], path: Path, language: str = "sv") -> Path:
    path.write_text(draft_markdown(items, language), encoding="utf-8")
    return path


def write_docx(items: list[DraftItem], path: Path, language: str = "sv", today: date | None = None) -> Path:
    """The draft as a Word document at `path`."""
    from docx import Document

    t = TEXTS["en" if language == "en" else "sv"]
    doc = Document()
    doc.core_properties.title = t["title"]
    doc.add_heading(t["title"], level=0)
    doc.add_paragraph(t["intro"].format(day=(today or date.today()).isoformat()))
    if not items:
        doc.add_paragraph(t["empty"])
        doc.save(str(path))
        return path
    numbers = _numbering(items)
    for type_, group in grouped(items):
        doc.add_heading(type_label(type_, language, plural=True) or t["other"], level=1)
        for item in group:
            doc.add_heading(f"{item.title} ({level_label(item.level, language)}, {item.clause_id})", level=2)
            doc.add_paragraph(item.text)
            para = doc.add_paragraph()
            para.add_run(f"{t['verification']}: ").bold = True
            para.add_run(item.verification or "–")
            para = doc.add_paragraph()
            para.add_run(f"{t['source']}: ").bold = True
            para.add_run(f"[{numbers.get(item.clause_id)}] {item.clause_id} {item.title}")
    doc.add_heading(t["sources"], level=1)
    for n, (_, label, refs) in enumerate(source_list(items), start=1):
        doc.add_paragraph(f"[{n}] {label}")
        for ref in refs:
            doc.add_paragraph(ref, style="List Bullet")
    doc.save(str(path))
    return path
