"""The draft as Word and Markdown: grouped by type, each requirement with verification and source, sources
last."""

from __future__ import annotations

from datetime import date

from docx import Document

from assistant.answer import DraftItem
from assistant.export import draft_markdown, write_docx

ITEMS = [
    DraftItem(
        "MOB-SK-04",
        "Reparation av befintliga möbler",
        "sarskilt_kontraktsvillkor",
        "bas",
        "Leverantören ska erbjuda reparation.",
        "Kvartalsrapport.",
        3,
        "mobler",
        "",
        "",
        "clauses/mobler.yaml",
        [{"doc_id": "vagledning-mobler"}],
    ),
    DraftItem(
        "MOB-TS-02",
        "Utbytbara slitdelar",
        "teknisk_specifikation",
        "bas",
        "Slitdelar ska kunna bytas.",
        "Förteckning och sprängskiss.",
        1,
        "mobler",
        "",
        "",
        "clauses/mobler.yaml",
        [{"title": "EU GPP", "publisher": "Europeiska kommissionen", "url": "https://example.org/gpp"}],
    ),
]


def test_markdown_groups_by_type_and_ends_with_the_sources():
    md = draft_markdown(ITEMS, "sv", today=date(2026, 11, 28))
    assert (
        md.index("## Tekniska specifikationer")
        < md.index("## Särskilda kontraktsvillkor")
        < md.index("## Källor")
    )
    assert "### Utbytbara slitdelar (Basnivå, MOB-TS-02)" in md
    assert "**Verifiering:** Förteckning och sprängskiss." in md
    assert "**Källa:** [1] MOB-TS-02 Utbytbara slitdelar" in md
    assert "1. MOB-TS-02 Utbytbara slitdelar (Cirkla, clauses/mobler.yaml)" in md
    assert "   - EU GPP, Europeiska kommissionen, https://example.org/gpp" in md
    assert "2. MOB-SK-04" in md and "Cirkla-vägledning vagledning-mobler" in md


def test_docx_holds_every_requirement_with_verification_and_source(tmp_path):
    path = write_docx(ITEMS, tmp_path / "utkast.docx", "sv")
    paragraphs = [p.text for p in Document(str(path)).paragraphs]
    text = "\n".join(paragraphs)
    assert paragraphs[0] == "Utkast till cirkulära krav"
    assert (
        text.index("Tekniska specifikationer")
        < text.index("Särskilda kontraktsvillkor")
        < text.index("Källor")
    )
    assert "Verifiering: Kvartalsrapport." in paragraphs
    assert "Källa: [2] MOB-SK-04 Reparation av befintliga möbler" in paragraphs
    assert "[1] MOB-TS-02 Utbytbara slitdelar (Cirkla, clauses/mobler.yaml)" in paragraphs


def test_empty_draft_exports_a_note(tmp_path):
    assert "Utkastet är tomt." in draft_markdown([], "sv")
    assert "The draft is empty." in draft_markdown([], "en")
    path = write_docx([], tmp_path / "empty.docx", "en")
    assert "The draft is empty." in [p.text for p in Document(str(path)).paragraphs]
