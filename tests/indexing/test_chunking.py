"""Chunking and parse_file: clause chunks, prose split by size, stable ids, and metadata Chroma accepts."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from indexing.parsing import indexable, parse_file
from indexing.schema import CorpusRoot

AREAS = "mobler: {prefix: MOB, sv: Möbler och inredning, en: Furniture}\n"
CLAUSES = """\
clauses:
  - id: MOB-TS-01
    title: Reservdelar i minst fem år
    area: mobler
    group: Kontorsstolar
    type: teknisk_specifikation
    level: bas
    strategies: [reparation, lång_livslängd]
    text: Leverantören ska tillhandahålla reservdelar i minst fem år.
    verification: Intyg från leverantören.
    rationale: Reparation förlänger livslängden.
    sources:
      - doc_id: vagledning-mobler
      - {title: EU GPP criteria for furniture, url: "https://example.org/gpp"}
  - id: MOB-TK-01
    title: Begagnade möbler
    area: mobler
    type: tilldelningskriterium
    level: avancerad
    strategies: [återbruk]
    text: Anbud med begagnade möbler får pluspoäng.
    verification: Förteckning över möblerna.
    rationale: Återbruk sparar resurser.
    sources: [{doc_id: vagledning-mobler}]
"""


@pytest.fixture
def corpus(tmp_path: Path) -> CorpusRoot:
    """A tiny corpus root with areas.yaml and one clause file."""
    (tmp_path / "clauses").mkdir()
    (tmp_path / "areas.yaml").write_text(AREAS, encoding="utf-8")
    (tmp_path / "clauses" / "mobler.yaml").write_text(CLAUSES, encoding="utf-8")
    return CorpusRoot("corpus", tmp_path)


def long_note(paragraphs: int) -> str:
    """A guidance-like Markdown text with two sections, the second long enough to need several chunks."""
    body = "\n\n".join(
        f"Stycke {n}: Leverantören ska kunna reparera möblerna på plats och lämna reservdelar. " * 4
        for n in range(paragraphs)
    )
    return (
        f"# Möbler\n\nKort inledning med [en länk](https://example.org/mobler).\n\n## Reparation\n\n{body}\n"
    )


def test_one_chunk_per_clause_with_its_fields(corpus: CorpusRoot) -> None:
    path = corpus.path / "clauses" / "mobler.yaml"
    chunks = parse_file(path, corpus)
    assert [chunk.metadata["clause_id"] for chunk in chunks] == ["MOB-TS-01", "MOB-TK-01"]
    first = chunks[0]
    assert first.text == "Leverantören ska tillhandahålla reservdelar i minst fem år."
    assert first.embed_text == (
        "Reservdelar i minst fem år — Möbler och inredning > Kontorsstolar\n"
        "Leverantören ska tillhandahålla reservdelar i minst fem år."
    )
    meta = first.metadata
    assert first.id == meta["chunk_id"] and first.id.startswith("MOB-TS-01:") and first.id.endswith(":0")
    assert {key: meta[key] for key in ("doc_id", "kind", "area", "group", "type", "level", "source")} == {
        "doc_id": "MOB-TS-01",
        "kind": "clause",
        "area": "mobler",
        "group": "Kontorsstolar",
        "type": "teknisk_specifikation",
        "level": "bas",
        "source": "clauses/mobler.yaml",
    }
    assert meta["strategies"] == ["reparation", "lång_livslängd"]
    assert json.loads(meta["sources"]) == [
        {"doc_id": "vagledning-mobler"},
        {"title": "EU GPP criteria for furniture", "url": "https://example.org/gpp"},
    ]
    assert meta["verification"] == "Intyg från leverantören." and meta["rationale"].startswith("Reparation")
    assert "page" not in meta and "text" not in meta
    assert meta["file_hash"] == hashlib.sha256(path.read_bytes()).hexdigest()
    assert meta["file_chunks"] == 2 and meta["root"] == "corpus" and meta["indexed_at"].endswith("+00:00")
    assert chunks[1].metadata["group"] == "" and chunks[1].metadata["section"] == "Möbler och inredning"


def test_a_clauses_keywords_are_embedded_after_its_text_and_change_its_id(corpus: CorpusRoot) -> None:
    path = corpus.path / "clauses" / "mobler.yaml"
    before = parse_file(path, corpus)[0]
    with_keywords = CLAUSES.replace(
        "lång_livslängd]\n", "lång_livslängd]\n    keywords: [snurrstol, trasig stol]\n", 1
    )
    path.write_text(with_keywords, encoding="utf-8")
    after = parse_file(path, corpus)[0]
    assert after.embed_text == before.embed_text + "\nsnurrstol, trasig stol"
    assert after.metadata["keywords"] == ["snurrstol", "trasig stol"] and after.text == before.text
    assert after.id != before.id  # new keywords are a new version of the clause: it is embedded again


def test_clause_ids_follow_each_clause_not_the_file(corpus: CorpusRoot) -> None:
    path = corpus.path / "clauses" / "mobler.yaml"
    before = [chunk.id for chunk in parse_file(path, corpus)]
    assert [chunk.id for chunk in parse_file(path, corpus)] == before  # a second run gives the same ids
    path.write_text("# omformaterad\n" + CLAUSES.replace("  - id", "\n  - id"), encoding="utf-8")
    assert [chunk.id for chunk in parse_file(path, corpus)] == before  # layout is not content
    path.write_text(CLAUSES.replace("pluspoäng", "extra poäng"), encoding="utf-8")
    after = [chunk.id for chunk in parse_file(path, corpus)]
    assert after[0] == before[0] and after[1] != before[1]
    assert after[1].startswith("MOB-TK-01:")


def test_prose_splits_by_size_and_embeds_title_and_section(tmp_path: Path) -> None:
    root = CorpusRoot("documents", tmp_path)
    path = tmp_path / "Möbler.md"
    path.write_text(long_note(12), encoding="utf-8")
    chunks = parse_file(path, root)
    assert len(chunks) > 3
    assert [chunk.id.rsplit(":", 1)[1] for chunk in chunks] == [str(n) for n in range(len(chunks))]
    assert all(chunk.id.startswith("documents-mobler-md:") for chunk in chunks)
    assert all(len(chunk.text) <= 1100 for chunk in chunks)
    first, second, third = chunks[:3]
    assert first.metadata["section"] == "" and second.metadata["section"] == "Reparation"
    # text is what people read; the title and section go only into what is embedded
    assert first.text == "Kort inledning med [en länk](https://example.org/mobler)."
    assert first.embed_text == "Möbler\nKort inledning med en länk."
    assert second.embed_text.startswith("Möbler — Reparation\nStycke 0:")
    assert second.text.startswith("Stycke 0:")
    # consecutive pieces of a section overlap a little
    assert second.text[-60:] in third.text or third.text[:60] in second.text
    assert {chunk.metadata["file_chunks"] for chunk in chunks} == {len(chunks)}
    assert "page" not in first.metadata and first.metadata["kind"] == "document"


def test_prose_ids_are_stable_and_change_with_the_file(tmp_path: Path) -> None:
    root = CorpusRoot("documents", tmp_path)
    path = tmp_path / "note.md"
    path.write_text(long_note(3), encoding="utf-8")
    first_run = [chunk.id for chunk in parse_file(path, root)]
    assert [chunk.id for chunk in parse_file(path, root)] == first_run
    path.write_text(long_note(3) + "\nEn rad till.\n", encoding="utf-8")
    second_run = [chunk.id for chunk in parse_file(path, root)]
    assert not set(first_run) & set(second_run)
    assert {chunk_id.split(":")[0] for chunk_id in second_run} == {"documents-note-md"}


def test_pdf_chunks_carry_their_page(shared_data: Path) -> None:
    root = CorpusRoot("documents", shared_data)
    chunks = parse_file(shared_data / "adda-itk21" / "avtalskort---it-konsulttjanster-2021.pdf", root)
    assert {chunk.metadata["page"] for chunk in chunks} == {1, 2}
    assert all(chunk.embed_text.startswith("IT-konsulttjänster 2021 Avtalskort\n") for chunk in chunks)


def test_metadata_is_accepted_by_a_real_chroma(tmp_path: Path, corpus: CorpusRoot) -> None:
    from indexing.store import make_client

    note = corpus.path / "guidance" / "vagledning-mobler.md"
    note.parent.mkdir()
    note.write_text(
        "---\ndoc_id: vagledning-mobler\ntitle: Möbler\narea: mobler\nupdated: 2026-11-28\n"
        "sources: [{title: Möbler, url: 'https://example.org'}]\n---\n" + long_note(2),
        encoding="utf-8",
    )
    chunks = parse_file(corpus.path / "clauses" / "mobler.yaml", corpus) + parse_file(note, corpus)
    client = make_client(path=tmp_path / "chroma")
    collection = client.create_collection("chunks", embedding_function=None)
    collection.add(
        ids=[chunk.id for chunk in chunks],
        documents=[chunk.text for chunk in chunks],
        metadatas=[chunk.metadata for chunk in chunks],
        embeddings=[[float(n % 3), 1.0, 0.5] for n in range(len(chunks))],
    )
    stored = collection.get(where={"kind": "guidance"})
    assert len(stored["ids"]) == len(chunks) - 2
    assert {meta["updated"] for meta in stored["metadatas"]} == {"2026-11-28"}
    clause = collection.get(ids=["MOB-TS-01:" + chunks[0].id.split(":")[1] + ":0"])
    assert clause["metadatas"][0]["strategies"] == ["reparation", "lång_livslängd"]


def test_which_files_a_corpus_walk_hands_over(tmp_path: Path) -> None:
    assert indexable(tmp_path / "clauses" / "it.yaml")
    assert indexable(tmp_path / "Rapport.PDF") and indexable(tmp_path / "sida.htm")
    assert not indexable(tmp_path / "areas.yaml")
    assert not indexable(tmp_path / "~$rapport.docx") and not indexable(tmp_path / ".DS_Store")
    assert not indexable(tmp_path / "kalkyl.xlsx")


def test_the_shipped_corpus_parses_into_clause_and_guidance_chunks() -> None:
    import yaml

    corpus = Path(__file__).resolve().parents[2] / "corpus"
    root = CorpusRoot("corpus", corpus)
    for path in sorted((corpus / "clauses").glob("*.yaml")):
        clauses = yaml.safe_load(path.read_text(encoding="utf-8"))["clauses"]
        chunks = parse_file(path, root)
        assert [chunk.metadata["clause_id"] for chunk in chunks] == [clause["id"] for clause in clauses]
        assert all(chunk.metadata["kind"] == "clause" and chunk.text for chunk in chunks)
    for path in sorted((corpus / "guidance").glob("*.md")):
        chunks = parse_file(path, root)
        assert {chunk.metadata["doc_id"] for chunk in chunks} == {path.stem}
        assert {chunk.metadata["kind"] for chunk in chunks} == {"guidance"}
