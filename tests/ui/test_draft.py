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


def test_export_writes_docx_and_markdown_in_the_chosen_language(tmp_path):
    d = [item("MOB-TS-01", "teknisk_specifikation")]
    docx = draft.export(d, "en", tmp_path, "docx")
    md = draft.export(d, "en", tmp_path, "md")
    assert docx is not None and md is not None and docx.name == "cirkla-requirements.docx"
    assert "Verification: Verifiering MOB-TS-01." in [p.text for p in Document(str(docx)).paragraphs]
    assert "## Technical specifications" in md.read_text(encoding="utf-8")
    assert draft.export([], "sv", tmp_path) is None


def test_an_export_file_lives_in_its_own_folder_until_the_app_removes_it():
    d = [item("MOB-TS-01", "teknisk_specifikation")]
    path, folder = draft.export_file(d, "sv", "docx")
    assert path and folder and Path(path).parent == Path(folder) and Path(path).name == "cirkla-kravset.docx"
    draft.remove_folder(folder)
    assert not Path(folder).exists()
    assert draft.export_file([], "sv", "md") == (None, None)


def test_remove_folder_touches_nothing_it_did_not_make(tmp_path):
    mine = tmp_path / "cirkla-export-not-in-tmp"
    mine.mkdir()
    draft.remove_folder(str(mine))  # not in the system temp folder: left alone
    draft.remove_folder(str(tmp_path))
    assert mine.is_dir()
