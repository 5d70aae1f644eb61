"""Exports of a requirement set, each read back: Word (python-docx), Excel (openpyxl), Markdown and JSON."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from docx import Document
from openpyxl import load_workbook

from assistant.answer import DraftItem
from assistant.export import draft_json, draft_markdown, load_draft, write_export
from assistant.library import ClauseLibrary
from indexing.corpus_check import load_clauses_of

CORPUS = Path(__file__).resolve().parents[2] / "corpus"


@pytest.fixture(scope="module")
def items() -> list[DraftItem]:
    """The furniture package at advanced level, with one value changed from its recommendation."""
    library = ClauseLibrary(clauses={clause.id: clause for clause in load_clauses_of(CORPUS)})
    out = [DraftItem.from_clause(clause) for clause in library.package("mobler", level="avancerad")]
    return [item.with_values({"garantitid": 8}) if item.clause_id == "MOB-TS-01" else item for item in out]


def test_values_are_rendered_into_the_text_and_kept_as_data(items):
    warranty = next(item for item in items if item.clause_id == "MOB-TS-01")
    assert "minst 8 år" in warranty.text and "{garantitid}" not in warranty.text
    assert warranty.values == {"garantitid": 8} and warranty.templates["text"].count("{garantitid}") == 1
    assert warranty.with_values({"garantitid": ""}).text.count("minst 5 år") == 1  # back to the recommended
    assert warranty.with_values({"garantitid": 40}).parameter_problems() == [("garantitid", "40 is outside 3–10")]


def test_word_has_heading_styles_numbered_requirements_values_plan_and_linked_sources(items, tmp_path):
    path = write_export(items, tmp_path / "krav.docx", "docx", "sv")
    doc = Document(str(path))
    headings = [(p.style.name, p.text) for p in doc.paragraphs if p.style.name.startswith(("Heading", "Title"))]
    assert ("Heading 1", "Kvalificeringskrav") in headings and ("Heading 1", "Särskilda kontraktsvillkor") in headings
    assert ("Heading 2", "K1 Erfarenhet av renovering och leverans av begagnade möbler") in headings
    assert any(style == "Heading 2" and text.startswith("U1 ") for style, text in headings)
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "minst 8 år från leverans" in text
    assert "Bilaga: Uppföljningsplan" in text and "Vid avtalsstart" in text
    assert "Utvärderingsmodell: " in text and "görs bindande genom MOB-SK-" in text
    assert doc.core_properties.comments.startswith("Cirkla ")
    links = [rel.target_ref for rel in doc.part.rels.values() if rel.reltype.endswith("/hyperlink")]
    assert any(link.startswith("https://") for link in links)


def test_excel_has_one_row_per_requirement_and_the_plan(items, tmp_path):
    book = load_workbook(write_export(items, tmp_path / "krav.xlsx", "xlsx", "sv"))
    sheet = book["Krav"]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:4] == ("Nr", "Klausul-id", "Kravtyp", "Nivå")
    assert len(rows) == len(items) + 1
    warranty = next(row for row in rows if row[1] == "MOB-TS-01")
    assert "minst 8 år" in warranty[5] and "Garantitid: 8 år" in warranty[10]
    assert any(row[7] for row in rows[1:] if row[2] == "tilldelningskriterium")  # the award model column
    plan = list(book["Uppföljningsplan"].iter_rows(values_only=True))
    assert plan[0][0] == "När" and any(row[0] == "Vid avtalsstart" for row in plan[1:])


def test_markdown_and_json_and_json_reads_back(items, tmp_path):
    md = draft_markdown(items, "en", today=date(2026, 12, 3))
    assert md.index("## Qualification requirements") < md.index("## Special contract conditions")
    assert "### T1 " in md and md.index("## Annex: Follow-up plan") < md.index("## Sources")  # sources last
    again = load_draft(draft_json(items, "sv"))
    assert [item.clause_id for item in again] == [item.clause_id for item in sorted_items(items)]
    assert next(item for item in again if item.clause_id == "MOB-TS-01").values == {"garantitid": 8}
    with pytest.raises(ValueError, match="not a Cirkla draft"):
        load_draft('{"items": []}')


def sorted_items(items):
    from assistant.review import numbered

    return [item for _, item in numbered(items)]


def test_an_empty_set_says_so():
    assert "Kravsetet är tomt." in draft_markdown([], "sv")
