"""Draft operations on the per-session list: add once, keep type order, move within a type, remove, export."""

from __future__ import annotations

from pathlib import Path

from docx import Document

from ui import draft


def item(clause_id: str, type_: str) -> dict:
    return {
        "clause_id": clause_id,
        "title": f"Titel {clause_id}",
        "type": type_,
        "level": "bas",
        "text": f"Text {clause_id}.",
        "verification": f"Verifiering {clause_id}.",
        "source": 1,
        "area": "mobler",
        "rationale": "",
        "source_title": "",
        "source_path": "clauses/mobler.yaml",
        "references": [],
    }


def ids(items: list[dict]) -> list[str]:
    return [i["clause_id"] for i in items]


def test_add_keeps_procurement_order_and_adds_a_clause_once():
    d = draft.add([], item("MOB-SK-01", "sarskilt_kontraktsvillkor"))
    d = draft.add(d, item("MOB-TS-01", "teknisk_specifikation"))
    d = draft.add(d, item("MOB-TS-02", "teknisk_specifikation"))
    d = draft.add(d, item("MOB-TS-01", "teknisk_specifikation"))
    assert ids(d) == ["MOB-TS-01", "MOB-TS-02", "MOB-SK-01"]


def test_move_within_a_type_only_and_remove():
    d = [
        item("MOB-TS-01", "teknisk_specifikation"),
        item("MOB-TS-02", "teknisk_specifikation"),
        item("MOB-SK-01", "sarskilt_kontraktsvillkor"),
    ]
    assert ids(draft.move(d, "MOB-TS-02", -1)) == ["MOB-TS-02", "MOB-TS-01", "MOB-SK-01"]
    assert ids(draft.move(d, "MOB-TS-02", 1)) == ids(d)  # the next item is another type: stays
    assert ids(draft.move(d, "MOB-TS-01", -1)) == ids(d)  # already first
    assert ids(draft.remove(d, "MOB-TS-01")) == ["MOB-TS-02", "MOB-SK-01"]
    assert d[0]["clause_id"] == "MOB-TS-01"  # operations return new lists; the session's value is untouched


def test_export_writes_docx_and_markdown_in_the_chosen_language():
    d = [item("MOB-TS-01", "teknisk_specifikation")]
    docx, md = draft.export(d, "en")
    assert docx and md and Path(docx).name == "cirkla-draft.docx"
    assert "Verification: Verifiering MOB-TS-01." in [p.text for p in Document(docx).paragraphs]
    assert "## Technical specifications" in Path(md).read_text(encoding="utf-8")
    assert draft.export([], "sv") == (None, None)
