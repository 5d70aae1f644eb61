"""The requirement set as files a procurer can use: Word, Excel, Markdown and JSON.

    write_export(items, path, "docx" | "xlsx" | "md" | "json", language)
    load_draft(json_text) -> list[DraftItem]      # a JSON export read back into a draft

Word uses heading styles (so the text lands in any tender template), numbers the requirements per section
(K1, T1, U1, S1), puts the procurer's parameter values in the text, and gives for each requirement its
verification, award model and sanction; the follow-up plan is an annex and the sources a list with links. Excel
has one row per requirement, the shape e-procurement systems import and evaluators work in. JSON is the draft
as data and can be imported again.
"""

from __future__ import annotations

import json
from datetime import date
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

from assistant.answer import DraftItem
from assistant.labels import TYPE_ORDER, level_label, type_label
from assistant.plan import follow_up_plan, when_label, who_label
from assistant.review import numbered

FORMATS = ("docx", "xlsx", "md", "json")
JSON_FORMAT = "cirkla-draft-1"
TEXTS = {
    "sv": {
        "title": "Cirkulära krav",
        "intro": "Sammanställt med Cirkla {version} den {day}. Kraven kommer ur Cirklas klausulbibliotek och är "
        "anpassade med de värden som angavs; kontrollera dem mot upphandlingen och källorna.",
        "verification": "Verifiering",
        "model": "Utvärderingsmodell",
        "weight": "föreslagen vikt",
        "binding": "görs bindande genom",
        "sanction": "Påföljd",
        "values": "Valda värden",
        "source": "Källa",
        "sources": "Källor",
        "plan": "Bilaga: Uppföljningsplan",
        "plan_intro": "Per tidpunkt: vilket krav, vilket bevis, vem som följer upp och vad som händer vid brist.",
        "who": "Ansvarig",
        "empty": "Kravsetet är tomt.",
        "other": "Övriga krav",
        "columns": (
            "Nr", "Klausul-id", "Kravtyp", "Nivå", "Rubrik", "Kravtext", "Verifiering", "Utvärderingsmodell",
            "Påföljd", "Uppföljning", "Värden", "Källor", "UHM-kriterium", "EU GPP-kriterium",
        ),
        "sheet": "Krav",
        "plan_sheet": "Uppföljningsplan",
        "plan_columns": ("När", "Nr", "Klausul-id", "Krav", "Bevis", "Ansvarig", "Påföljd"),
    },
    "en": {
        "title": "Circular requirements",
        "intro": "Compiled with Cirkla {version} on {day}. The requirements come from Cirkla's clause library (in "
        "Swedish) with the values given; check them against the procurement and the sources.",
        "verification": "Verification",
        "model": "Award model",
        "weight": "suggested weight",
        "binding": "made binding by",
        "sanction": "Sanction",
        "values": "Values chosen",
        "source": "Source",
        "sources": "Sources",
        "plan": "Annex: Follow-up plan",
        "plan_intro": "By moment: which requirement, what evidence, who follows it up and what follows a breach.",
        "who": "Responsible",
        "empty": "The requirement set is empty.",
        "other": "Other requirements",
        "columns": (
            "No", "Clause id", "Type", "Level", "Title", "Requirement", "Verification", "Award model", "Sanction",
            "Follow-up", "Values", "Sources", "UHM criterion", "EU GPP criterion",
        ),
        "sheet": "Requirements",
        "plan_sheet": "Follow-up plan",
        "plan_columns": ("When", "No", "Clause id", "Requirement", "Evidence", "Responsible", "Sanction"),
    },
}


def cirkla_version() -> str:
    try:
        return version("cirkla")
    except PackageNotFoundError:
        return "dev"


def _texts(language: str) -> dict[str, Any]:
    return TEXTS["en" if language == "en" else "sv"]


def grouped(items: list[DraftItem]) -> list[tuple[str, list[tuple[str, DraftItem]]]]:
    """Numbered items by type in procurement-document order."""
    groups: dict[str, list[tuple[str, DraftItem]]] = {}
    for number, item in numbered(items):
        groups.setdefault(item.type if item.type in TYPE_ORDER else "", []).append((number, item))
    return [(t, groups[t]) for t in [*TYPE_ORDER, ""] if t in groups]


def reference_text(ref: dict[str, Any]) -> str:
    """One of a clause's sources as a line: title, publisher, URL (or a guidance note of Cirkla's)."""
    if ref.get("title"):
        return ", ".join(str(ref[k]) for k in ("title", "publisher", "url") if ref.get(k))
    if ref.get("doc_id"):
        return f"Cirkla-vägledning {ref['doc_id']}"
    return ", ".join(f"{k}: {v}" for k, v in ref.items())


def model_text(item: DraftItem, language: str = "sv") -> str:
    """An award criterion's model in one line: model, formula or scale, weight, the clause that binds it."""
    evaluation = item.evaluation or {}
    if not evaluation:
        return ""
    t = _texts(language)
    parts = [str(evaluation.get("model", "")).capitalize()]
    body = evaluation.get("formula") or evaluation.get("scale")
    if body:
        parts.append(str(body))
    if evaluation.get("weight"):
        parts.append(f"{t['weight']}: {evaluation['weight']}")
    if evaluation.get("binding_by"):
        parts.append(f"{t['binding']} {evaluation['binding_by']}")
    return "; ".join(part for part in parts if part)


def values_text(item: DraftItem) -> str:
    """The parameter values of an item: "Garantitid: 8 år; …"."""
    parts = []
    for parameter in item.parameters:
        value = item.value_of(str(parameter.get("name")))
        if value not in (None, ""):
            label = parameter.get("label", parameter.get("name"))
            parts.append(f"{label}: {value} {parameter.get('unit', '')}".strip())
    return "; ".join(parts)


def crosswalk_text(item: DraftItem) -> tuple[str, str]:
    """(UHM, EU GPP) counterparts as short text."""
    crosswalk = item.crosswalk or {}
    uhm = crosswalk.get("uhm") or {}
    gpp = crosswalk.get("eu_gpp") or {}
    uhm_text = " ".join(str(x) for x in (uhm.get("id") or "", uhm.get("name") or "", f"({uhm['level']})" if uhm.get(
        "level") else "") if x).strip()
    gpp_text = (
        f"{gpp.get('set')} {gpp.get('year')} {gpp.get('stream')} {gpp.get('id')} ({gpp.get('level')})" if gpp else ""
    )
    return uhm_text, gpp_text


def follow_up_text(item: DraftItem, language: str = "sv") -> str:
    parts = []
    for step in item.follow_up:
        who = who_label(str(step.get("who")), language)
        parts.append(f"{when_label(str(step.get('when')), language)}: {step.get('evidence')} ({who})")
    return "; ".join(parts)


def draft_markdown(items: list[DraftItem], language: str = "sv", today: date | None = None) -> str:
    """The requirement set as Markdown."""
    t = _texts(language)
    day = (today or date.today()).isoformat()
    lines = [f"# {t['title']}", "", t["intro"].format(version=cirkla_version(), day=day), ""]
    if not items:
        return "\n".join([*lines, t["empty"], ""])
    for type_, group in grouped(items):
        lines += [f"## {type_label(type_, language, plural=True) or t['other']}", ""]
        for number, item in group:
            lines += [f"### {number} {item.title}", "", item.text, ""]
            lines.append(f"*{level_label(item.level, language)} · {item.clause_id}*  ")
            if item.evaluation:
                lines.append(f"**{t['model']}:** {model_text(item, language)}  ")
            lines.append(f"**{t['verification']}:** {item.verification or '–'}  ")
            if item.sanction:
                lines.append(f"**{t['sanction']}:** {item.sanction}  ")
            if values_text(item):
                lines.append(f"**{t['values']}:** {values_text(item)}  ")
            lines.append("")
    lines += [f"## {t['plan']}", "", t["plan_intro"], ""]
    for when, steps in follow_up_plan(items):
        lines += [f"### {when_label(when, language)}", ""]
        for step in steps:
            who = f" ({who_label(step.who, language)})" if step.who else ""
            lines.append(f"- **{step.number}** {step.title}: {step.evidence}{who}")
        lines.append("")
    lines += [f"## {t['sources']}", ""]
    for number, item in numbered(items):
        lines.append(f"- **{number} {item.clause_id}** {item.title}")
        lines += [f"  - {reference_text(ref)}" for ref in item.references]
    return "\n".join(lines).rstrip() + "\n"


def write_docx(items: list[DraftItem], path: Path, language: str = "sv", today: date | None = None) -> Path:
    """The requirement set as a Word document with heading styles, numbered requirements and the plan annex."""
    from docx import Document

    t = _texts(language)
    doc = Document()
    doc.core_properties.title = t["title"]
    doc.core_properties.comments = f"Cirkla {cirkla_version()}"
    doc.add_heading(t["title"], level=0)
    doc.add_paragraph(t["intro"].format(version=cirkla_version(), day=(today or date.today()).isoformat()))
    if not items:
        doc.add_paragraph(t["empty"])
        doc.save(str(path))
        return path
    for type_, group in grouped(items):
        doc.add_heading(type_label(type_, language, plural=True) or t["other"], level=1)
        for number, item in group:
            doc.add_heading(f"{number} {item.title}", level=2)
            doc.add_paragraph(item.text)
            meta = doc.add_paragraph()
            meta.add_run(f"{level_label(item.level, language)} · {item.clause_id}").italic = True
            if item.evaluation:
                _labelled(doc, t["model"], model_text(item, language))
            _labelled(doc, t["verification"], item.verification or "–")
            if item.sanction:
                _labelled(doc, t["sanction"], item.sanction)
            if values_text(item):
                _labelled(doc, t["values"], values_text(item))
    doc.add_heading(t["plan"], level=1)
    doc.add_paragraph(t["plan_intro"])
    for when, steps in follow_up_plan(items):
        doc.add_heading(when_label(when, language), level=2)
        for step in steps:
            who = f" ({who_label(step.who, language)})" if step.who else ""
            para = doc.add_paragraph(style="List Bullet")
            para.add_run(step.number).bold = True
            para.add_run(f" {step.title}: {step.evidence}{who}")
            if step.sanction:
                para.add_run(f" {t['sanction']}: {step.sanction}")
    doc.add_heading(t["sources"], level=1)
    for number, item in numbered(items):
        para = doc.add_paragraph()
        para.add_run(f"{number} {item.clause_id}").bold = True
        para.add_run(f" {item.title}")
        for ref in item.references:
            bullet = doc.add_paragraph(style="List Bullet 2")
            if ref.get("url"):
                bullet.add_run(", ".join(str(ref[k]) for k in ("title", "publisher") if ref.get(k)) + ": ")
                _hyperlink(bullet, str(ref["url"]), str(ref["url"]))
            else:
                bullet.add_run(reference_text(ref))
    doc.save(str(path))
    return path


def _labelled(doc: Any, label: str, text: str) -> None:
    para = doc.add_paragraph()
    para.add_run(f"{label}: ").bold = True
    para.add_run(text)


def _hyperlink(paragraph: Any, url: str, text: str) -> None:
    """A clickable link in a python-docx paragraph (python-docx has no API for one)."""
    from docx.opc.constants import RELATIONSHIP_TYPE
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    rel = paragraph.part.relate_to(url, RELATIONSHIP_TYPE.HYPERLINK, is_external=True)
    link = OxmlElement("w:hyperlink")
    link.set(qn("r:id"), rel)
    run = OxmlElement("w:r")
    props = OxmlElement("w:rPr")
    style = OxmlElement("w:rStyle")
    style.set(qn("w:val"), "Hyperlink")
    props.append(style)
    underline = OxmlElement("w:u")
    underline.set(qn("w:val"), "single")
    props.append(underline)
    run.append(props)
    label = OxmlElement("w:t")
    label.text = text
    run.append(label)
    link.append(run)
    paragraph._p.append(link)


def write_xlsx(items: list[DraftItem], path: Path, language: str = "sv") -> Path:
    """One row per requirement (and a sheet with the follow-up plan)."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    t = _texts(language)
    book = Workbook()
    sheet = book.active
    sheet.title = t["sheet"]
    sheet.append(list(t["columns"]))
    for number, item in numbered(items):
        uhm, gpp = crosswalk_text(item)
        sheet.append(
            [
                number,
                item.clause_id,
                type_label(item.type, language),
                level_label(item.level, language),
                item.title,
                item.text,
                item.verification,
                model_text(item, language),
                item.sanction,
                follow_up_text(item, language),
                values_text(item),
                "\n".join(reference_text(ref) for ref in item.references),
                uhm,
                gpp,
            ]
        )
    plan = book.create_sheet(t["plan_sheet"])
    plan.append(list(t["plan_columns"]))
    for when, steps in follow_up_plan(items):
        for step in steps:
            plan.append(
                [when_label(when, language), step.number, step.clause_id, step.title, step.evidence,
                 who_label(step.who, language), step.sanction]  # fmt: skip
            )
    widths_of = ((sheet, (6, 12, 22, 14, 30, 70, 45, 45, 40, 45, 30, 50, 30, 30)), (plan, (24, 6, 12, 30, 60, 18, 40)))
    for ws, widths in widths_of:
        for cell in ws[1]:
            cell.font = Font(bold=True)
        for index, width in enumerate(widths, start=1):
            ws.column_dimensions[ws.cell(row=1, column=index).column_letter].width = width
        for row in ws.iter_rows(min_row=2):
            for cell in row:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
        ws.freeze_panes = "A2"
    book.save(str(path))
    return path


def draft_json(items: list[DraftItem], language: str = "sv", today: date | None = None) -> str:
    """The draft as data: `load_draft` reads it back."""
    return json.dumps(
        {
            "format": JSON_FORMAT,
            "cirkla": cirkla_version(),
            "created": (today or date.today()).isoformat(),
            "language": language,
            "items": [item.to_json() for _, item in numbered(items)],
        },
        ensure_ascii=False,
        indent=2,
    )


def load_draft(text: str) -> list[DraftItem]:
    """The items of a JSON export; a `ValueError` saying why when it is not one."""
    try:
        data = json.loads(text)
    except ValueError as exc:
        raise ValueError(f"not JSON ({exc})") from None
    if not isinstance(data, dict) or data.get("format") != JSON_FORMAT or not isinstance(data.get("items"), list):
        raise ValueError(f"not a Cirkla draft (expected \"format\": \"{JSON_FORMAT}\" and a list of items)")
    try:
        return [DraftItem.from_json(item) for item in data["items"]]
    except TypeError as exc:
        raise ValueError(f"an item lacks a field ({exc})") from None


def write_export(items: list[DraftItem], path: Path, fmt: str, language: str = "sv") -> Path:
    """Write the set in `fmt` (docx, xlsx, md, json) to `path`."""
    if fmt == "docx":
        return write_docx(items, path, language)
    if fmt == "xlsx":
        return write_xlsx(items, path, language)
    if fmt == "md":
        path.write_text(draft_markdown(items, language), encoding="utf-8")
        return path
    if fmt == "json":
        path.write_text(draft_json(items, language), encoding="utf-8")
        return path
    raise ValueError(f"unknown format {fmt!r}: use one of {', '.join(FORMATS)}")


def write_markdown(items: list[DraftItem], path: Path, language: str = "sv") -> Path:
    return write_export(items, path, "md", language)
