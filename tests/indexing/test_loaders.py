"""Loaders: real third-party PDFs, DOCX and Markdown, and bad files the tests make themselves."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest

from indexing.errors import LoadError
from indexing.loaders import clean_text, load_file, slugify
from indexing.schema import CorpusRoot

ADDA = "adda-itk21"
AVROPSVAGLEDNING = f"{ADDA}/avropsvagledning---it-konsulttjanster-2021-2025-11-21.pdf"
AVROPSMALL = f"{ADDA}/mall-for-avropsforfragan-resursuppdrag-fornyad-konkurrensutsattning---" + (
    "it-konsulttjanster-2021.docx"
)
G0VSE_ARTICLE = "g0vse-regeringen/artiklar_2014_11_offentlig-upphandling.md"
SOU = "sou-2025-96-kap15/15-offentlig-upphandling.md"
COMMON_KEYS = {"doc_id", "title", "source", "page", "section", "kind", "root"}


@pytest.fixture
def documents_root(shared_data: Path) -> CorpusRoot:
    """The shared real documents, read as a staff-documents root."""
    return CorpusRoot("documents", shared_data)


@pytest.fixture
def root(tmp_path: Path) -> CorpusRoot:
    """An empty staff-documents root in the test's folder."""
    folder = tmp_path / "documents"
    folder.mkdir()
    return CorpusRoot("documents", folder)


def reason(path: Path, root: CorpusRoot) -> str:
    """The reason `load_file` gives for refusing `path`."""
    with pytest.raises(LoadError) as caught:
        load_file(path, root)
    assert caught.value.path == str(path)
    return caught.value.reason


def test_pdf_gives_one_document_per_page_with_page_numbers(documents_root: CorpusRoot) -> None:
    docs = load_file(documents_root.path / AVROPSVAGLEDNING, documents_root)
    assert [doc.metadata["page"] for doc in docs] == list(range(1, 18))  # the PDF has 17 pages, all with text
    assert all(COMMON_KEYS <= set(doc.metadata) for doc in docs)
    first = docs[0].metadata
    assert first["source"] == AVROPSVAGLEDNING
    assert first["kind"] == "document" and first["root"] == "documents" and first["section"] == ""
    assert first["doc_id"] == "documents-adda-itk21-avropsvagledning-it-konsulttjanster-2021-2025-11-21-pdf"
    assert first["title"] == "Avropsvägledning"
    assert docs[2].page_content.startswith("1 Inledning\nDetta avropsstöd är framtaget")
    assert "Inledning....." not in docs[1].page_content  # table-of-contents lines are dropped
    # the running footer "Sida N av 17" is dropped from every page
    assert not any("Sida" in doc.page_content and "av 17" in doc.page_content for doc in docs)


def test_docx_keeps_headings_paragraphs_and_tables_in_body_order(documents_root: CorpusRoot) -> None:
    docs = load_file(documents_root.path / AVROPSMALL, documents_root)
    sections = [doc.metadata["section"] for doc in docs]
    assert sections[:7] == [
        "",
        "Inledning",
        "Avropande myndighet",
        "Avropsförfrågans omfattning",
        "Avropsförfrågans omfattning > 3.1 Bakgrund till avropet",
        "Avropsförfrågans omfattning > 3.2Typ av uppdrag",
        "Avropsförfrågans omfattning > 3.3 Ort för utförandet",
    ]
    assert all(doc.metadata["page"] is None for doc in docs)
    assert docs[0].metadata["title"] == "Avropsmall IT-konsulttjänster 2021"
    text = docs[2].page_content
    # the instruction paragraph comes before the table that follows it in the body; cells joined by " | "
    assert text.index("[Anvisning: Fylls i av avropande myndighet.]") < text.index(
        "Avropande myndighet: | Kontaktperson:"
    )
    assert "Avropets benämning: | Diarienummer/referensnummer:" in text


def test_docx_made_here_keeps_body_order(root: CorpusRoot) -> None:
    import docx

    document = docx.Document()
    document.add_heading("Möbler", level=1)
    document.add_paragraph("Återbruk först.")
    table = document.add_table(rows=2, cols=2)
    for row, cells in zip(table.rows, [("Nivå", "Krav"), ("Bas", "Fem år")], strict=True):
        for cell, text in zip(row.cells, cells, strict=True):
            cell.text = text
    document.add_paragraph("Efter tabellen.")
    document.add_heading("Reparation", level=2)
    document.add_paragraph("Reservdelar i fem år", style="List Bullet")
    document.add_heading("Krav på leverantören ska vara tydliga.", level=2)  # a sentence, not a heading
    path = root.path / "krav.docx"
    document.save(str(path))
    docs = load_file(path, root)
    assert docs[0].metadata["title"] == "Möbler"  # the first heading; so it is left out of section paths
    assert [(doc.metadata["section"], doc.page_content) for doc in docs] == [
        ("", "Återbruk först.\n\n| Nivå | Krav |\n| --- | --- |\n| Bas | Fem år |\n\nEfter tabellen."),
        ("Reparation", "- Reservdelar i fem år\n\nKrav på leverantören ska vara tydliga."),
    ]


def test_g0vse_markdown_splits_on_headings(documents_root: CorpusRoot) -> None:
    docs = load_file(documents_root.path / G0VSE_ARTICLE, documents_root)
    assert docs[0].metadata["title"] == "Offentlig upphandling - så fungerar det"
    # the title heading itself is not repeated in the section path
    assert [doc.metadata["section"] for doc in docs[:3]] == [
        "",
        "Upphandlingen ska vara fri från diskriminering och behandla alla företag lika",
        "Lagar som reglerar offentlig upphandling i Sverige",
    ]
    assert docs[0].page_content.startswith("Lagstiftningen om upphandling ska göra det lättare")
    assert all(doc.metadata["kind"] == "document" for doc in docs)


def test_every_g0vse_page_loads_with_its_own_doc_id(documents_root: CorpusRoot) -> None:
    files = sorted((documents_root.path / "g0vse-regeringen").glob("*.md"))
    assert len(files) == 15
    doc_ids = set()
    for path in files:
        docs = load_file(path, documents_root)
        assert docs and all(doc.page_content.strip() for doc in docs)
        assert len({doc.metadata["doc_id"] for doc in docs}) == 1
        doc_ids.add(docs[0].metadata["doc_id"])
    assert len(doc_ids) == 15


def test_noisy_pdf2md_markdown_is_cleaned(documents_root: CorpusRoot) -> None:
    docs = load_file(documents_root.path / SOU, documents_root)
    text = "\n".join(doc.page_content for doc in docs)
    assert "SOU 2025:96" not in text  # running page headers like "**Offentlig upphandling SOU 2025:96**"
    assert "```" not in text  # the converter's code fences around page bodies
    assert "hög produktivitet" in text  # "hög pro-\nduktivitet" re-joined
    assert "eller tjänster.^1" not in text and "eller tjänster. Vad" in text  # footnote mark dropped
    sections = [doc.metadata["section"] for doc in docs]
    assert sections[:2] == ["15.1 Inledning", "15.2 Bakgrund"]  # bold numbered lines are headings
    assert "15.3 Bedömningar och förslag > 15.3.1 Systematisk användning av erfarenheter" in sections
    assert docs[0].metadata["title"] == "15 Offentlig upphandling"


def test_guidance_note_front_matter_becomes_metadata(tmp_path: Path) -> None:
    corpus = CorpusRoot("corpus", tmp_path)
    (tmp_path / "guidance").mkdir()
    note = tmp_path / "guidance" / "vagledning-mobler.md"
    note.write_text(
        "---\ndoc_id: vagledning-mobler\ntitle: Cirkulär upphandling av möbler\narea: mobler\n"
        "sources:\n  - {title: Möbler, url: https://example.org/mobler}\nupdated: 2026-11-28\n---\n"
        "# Cirkulär upphandling av möbler\n\nInled med behovet.\n\n## Återbruk\n\nBegagnade möbler först.\n",
        encoding="utf-8",
    )
    docs = load_file(note, corpus)
    assert [(doc.metadata["section"], doc.page_content) for doc in docs] == [
        ("", "Inled med behovet."),
        ("Återbruk", "Begagnade möbler först."),
    ]
    meta = docs[0].metadata
    assert meta["kind"] == "guidance" and meta["doc_id"] == "vagledning-mobler" and meta["area"] == "mobler"
    assert meta["title"] == "Cirkulär upphandling av möbler"
    assert meta["source"] == "guidance/vagledning-mobler.md"
    assert meta["sources"] == [{"title": "Möbler", "url": "https://example.org/mobler"}]


def test_staff_markdown_is_a_document_even_with_a_doc_id(root: CorpusRoot) -> None:
    path = root.path / "Anteckningar om återbruk.md"
    path.write_text("---\ndoc_id: mina-anteckningar\n---\nÅterbruk av kontorsstolar.\n", encoding="utf-8")
    (doc,) = load_file(path, root)
    assert doc.metadata["kind"] == "document" and doc.metadata["doc_id"] == "mina-anteckningar"
    other = root.path / "Åtgärder för möbler.txt"
    other.write_text("Inga rubriker här.\n", encoding="utf-8")
    (plain,) = load_file(other, root)
    assert plain.metadata["doc_id"] == "documents-atgarder-for-mobler-txt"
    assert plain.metadata["title"] == "Åtgärder för möbler"
    marked = root.path / "egen-vagledning.md"
    marked.write_text("---\nkind: guidance\ntitle: Egen vägledning\n---\nText.\n", encoding="utf-8")
    (note,) = load_file(marked, root)
    assert note.metadata["kind"] == "guidance" and note.metadata["doc_id"] == "documents-egen-vagledning-md"


def test_html_keeps_main_text_and_its_headings(root: CorpusRoot) -> None:
    path = root.path / "sida.html"
    path.write_text(
        "<html><head><title>Återbruk av möbler</title><style>p {color: red}</style></head><body>"
        "<header>Sidhuvud</header><nav><a href='/'>Meny</a></nav>"
        "<main><h1>Återbruk av möbler</h1><p>Börja med\n  <b>inventering</b>.<br>Sedan renovering.</p>"
        "<h2>Krav</h2><ul><li>Reservdelar i fem år</li><li>Reparerbarhet</li></ul>"
        "<table><tr><th>Nivå</th><th>Krav</th></tr><tr><td>Bas</td><td>Fem år</td></tr></table>"
        "<script>track()</script><aside>Relaterat</aside></main>"
        "<footer>Sidfot</footer></body></html>",
        encoding="utf-8",
    )
    docs = load_file(path, root)
    assert docs[0].metadata["title"] == "Återbruk av möbler"
    assert [doc.metadata["section"] for doc in docs] == ["", "Krav"]
    assert docs[0].page_content == "Börja med inventering.\nSedan renovering."
    table = "| Nivå | Krav |\n| --- | --- |\n| Bas | Fem år |"  # a Markdown table, as the chat renders it
    assert docs[1].page_content == f"Reservdelar i fem år\n\nReparerbarhet\n\n{table}"
    text = " ".join(doc.page_content for doc in docs)
    for noise in ("Sidhuvud", "Meny", "color", "track", "Relaterat", "Sidfot"):
        assert noise not in text


def test_clause_file_gives_one_document_per_clause(tmp_path: Path) -> None:
    (tmp_path / "clauses").mkdir()
    (tmp_path / "areas.yaml").write_text("mobler: {prefix: MOB, sv: Möbler och inredning, en: Furniture}\n")
    path = tmp_path / "clauses" / "mobler.yaml"
    path.write_text(
        "clauses:\n"
        "  - {id: MOB-TS-01, title: Reservdelar, area: mobler, group: Kontorsstolar,\n"
        "     type: teknisk_specifikation, level: bas, strategies: [reparation],\n"
        "     text: Reservdelar i fem år., verification: Intyg.,\n"
        "     rationale: Längre liv., sources: [{doc_id: vagledning-mobler}]}\n"
        "  - {id: MOB-TK-01, title: Begagnat, area: mobler, type: tilldelningskriterium, level: avancerad,\n"
        "     strategies: [återbruk], text: Pluspoäng för begagnat., verification: Lista.,\n"
        "     rationale: Återbruk., sources: [{title: GPP, url: 'https://example.org'}]}\n",
        encoding="utf-8",
    )
    first, second = load_file(path, CorpusRoot("corpus", tmp_path))
    assert first.page_content == "Reservdelar i fem år."
    assert re.fullmatch(r"[0-9a-f]{64}", first.metadata.pop("clause_hash"))
    assert first.metadata == {
        "doc_id": "MOB-TS-01",
        "clause_id": "MOB-TS-01",
        "title": "Reservdelar",
        "source": "clauses/mobler.yaml",
        "page": None,
        "section": "Möbler och inredning > Kontorsstolar",
        "kind": "clause",
        "root": "corpus",
        "area": "mobler",
        "area_name": "Möbler och inredning",
        "group": "Kontorsstolar",
        "type": "teknisk_specifikation",
        "level": "bas",
        "strategies": ["reparation"],
        "verification": "Intyg.",
        "rationale": "Längre liv.",
        "sources": [{"doc_id": "vagledning-mobler"}],
    }
    assert second.metadata["section"] == "Möbler och inredning" and second.metadata["group"] == ""


def test_clause_text_carries_the_recommended_values_and_keeps_its_template(tmp_path: Path) -> None:
    (tmp_path / "clauses").mkdir()
    path = tmp_path / "clauses" / "mobler.yaml"
    path.write_text(
        "clauses:\n"
        "  - {id: MOB-TS-01, title: Reservdelar, area: mobler, type: teknisk_specifikation, level: bas,\n"
        "     strategies: [reparation], text: 'Reservdelar i minst {ar} år.', verification: Intyg.,\n"
        "     parameters: [{name: ar, label: År, unit: år, recommended: 7, range: [3, 10]}],\n"
        "     rationale: Längre liv., sources: [{doc_id: vagledning-mobler}]}\n",
        encoding="utf-8",
    )
    (document,) = load_file(path, CorpusRoot("corpus", tmp_path))
    assert document.page_content == "Reservdelar i minst 7 år."
    assert document.metadata["template"] == "Reservdelar i minst {ar} år."
    assert document.metadata["parameters"] == [
        {"name": "ar", "label": "År", "unit": "år", "recommended": 7, "range": [3.0, 10.0]}
    ]


@pytest.mark.parametrize(
    ("field", "expected"),
    [
        ("area: [mobler]", "clause MOB-TS-01: field 'area': Input should be a valid string"),
        ("level: [bas]", "clause MOB-TS-01: field 'level': Input should be a valid string"),
        ("level: hög", "clause MOB-TS-01: level 'hög' is not one of bas, avancerad, spjutspets"),
    ],
)
def test_a_malformed_clause_fails_its_file_naming_clause_and_field(tmp_path: Path, field: str, expected: str) -> None:
    (tmp_path / "clauses").mkdir()
    path = tmp_path / "clauses" / "mobler.yaml"
    path.write_text(
        "clauses:\n"
        f"  - {{id: MOB-TS-01, title: Reservdelar, {field if field.startswith('area') else 'area: mobler'},\n"
        f"     type: teknisk_specifikation, {field if not field.startswith('area') else 'level: bas'},\n"
        "     strategies: [reparation], text: Reservdelar., verification: Intyg., rationale: Liv.,\n"
        "     sources: [{doc_id: vagledning-mobler}]}\n",
        encoding="utf-8",
    )
    with pytest.raises(LoadError) as error:
        load_file(path, CorpusRoot("corpus", tmp_path))
    assert error.value.reason == expected


def test_corrupt_pdf(root: CorpusRoot) -> None:
    path = root.path / "trasig.pdf"
    path.write_bytes(b"%PDF-1.7\n1 0 obj << /Type /Catalog >>\ngarbage without xref or trailer\n")
    assert reason(path, root).startswith("not a readable PDF")


def test_encrypted_pdf(root: CorpusRoot) -> None:
    import pypdf

    writer = pypdf.PdfWriter()
    writer.add_blank_page(width=200, height=200)
    writer.encrypt(user_password="hemligt", algorithm="RC4-128")
    buffer = io.BytesIO()
    writer.write(buffer)
    path = root.path / "last.pdf"
    path.write_bytes(buffer.getvalue())
    assert "encrypted" in reason(path, root)


def test_pdf_protected_only_against_editing_is_read(documents_root: CorpusRoot, root: CorpusRoot) -> None:
    import pypdf

    source = documents_root.path / ADDA / "avtalskort---it-konsulttjanster-2021.pdf"
    writer = pypdf.PdfWriter(clone_from=pypdf.PdfReader(source))
    writer.encrypt(user_password="", owner_password="agare", algorithm="RC4-128")
    path = root.path / "skyddad.pdf"
    with path.open("wb") as handle:
        writer.write(handle)
    docs = load_file(path, root)
    assert [doc.metadata["page"] for doc in docs] == [1, 2]
    assert docs[0].page_content == load_file(source, documents_root)[0].page_content


def test_pdf_without_text(root: CorpusRoot) -> None:
    import pypdf

    writer = pypdf.PdfWriter()
    writer.add_blank_page(width=200, height=200)
    path = root.path / "skannad.pdf"
    with path.open("wb") as handle:
        writer.write(handle)
    assert "no extractable text" in reason(path, root)


@pytest.mark.parametrize("name", ["tom.md", "tom.pdf", "tom.docx", "tom.txt"])
def test_empty_file(root: CorpusRoot, name: str) -> None:
    path = root.path / name
    path.write_bytes(b"" if name != "tom.txt" else b"  \n\n ")
    assert reason(path, root) == "the file is empty"


@pytest.mark.parametrize("name", ["bild.md", "bild.txt"])
def test_binary_bytes_named_as_text(root: CorpusRoot, name: str) -> None:
    path = root.path / name
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 8)
    assert reason(path, root).startswith("binary content, not text")


def test_damaged_docx(root: CorpusRoot) -> None:
    path = root.path / "trasig.docx"
    path.write_bytes(b"PK\x03\x04 this is not really a zip archive")
    assert reason(path, root).startswith("not a readable DOCX")


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("kalkyl.xlsx", "unsupported file type '.xlsx'; Cirkla reads .docx,"),
        ("README", "unsupported file type '(no extension)'; Cirkla reads .docx,"),
        ("areas.yaml", "a YAML file is read only as a clause file, inside a `clauses` folder"),
    ],
)
def test_unsupported_files(root: CorpusRoot, name: str, expected: str) -> None:
    path = root.path / name
    path.write_text("något\n")
    assert reason(path, root).startswith(expected)


def test_vanished_file(root: CorpusRoot) -> None:
    assert reason(root.path / "borta.md", root) == "file vanished"


def test_slugs_are_ascii_and_stable() -> None:
    assert slugify("documents/Möbler/Åtgärd för Ö (2024).pdf") == "documents-mobler-atgard-for-o-2024-pdf"
    assert slugify("Café–Crème") == "cafe-creme"


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        (
            "Leverantören ska återta möblerna och\nredovisa det.",
            "Leverantören ska återta möblerna och redovisa det.",
        ),
        ("en hög pro-\nduktivitet", "en hög produktivitet"),
        ("1 Inledning\nDetta stöd gäller.", "1 Inledning\nDetta stöd gäller."),  # a short heading line stays
        (
            "Ett helt stycke som slutar med punkt här.\nNästa stycke.",
            "Ett helt stycke som slutar med punkt här.\nNästa stycke.",
        ),
        ("- punkt ett som\n  fortsätter\n- punkt två", "- punkt ett som fortsätter\n- punkt två"),
        ("| a | b |\n| c | d |", "| a | b |\n| c | d |"),
        ("1.1.4 Ramavtalsperiod\nRamavtalet gäller.", "1.1.4 Ramavtalsperiod\nRamavtalet gäller."),
        ("1 Inledning ........................ 3\nText.", "Text."),  # a table-of-contents line
        ("```\nkod\n```", "kod"),
    ],
)
def test_clean_text(raw: str, clean: str) -> None:
    assert clean_text(raw) == clean
