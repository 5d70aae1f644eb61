"""Extractive composition from hand-built hits: order, citations, and text that must stay inert."""

from __future__ import annotations

from assistant.answer import citations, unresolved_citations
from assistant.composer import compose, compose_nothing
from tests.assistant.conftest import clause_hit, guidance_hit

AREAS = {"mobler": "Möbler och inredning"}


def test_requirements_follow_procurement_document_order_and_every_citation_resolves():
    hits = [
        clause_hit("MOB-SK-01", "sarskilt_kontraktsvillkor", rank=1),
        clause_hit("MOB-TS-02", "teknisk_specifikation", "avancerad", rank=2),
        clause_hit("MOB-KK-01", "kvalificeringskrav", rank=3),
        clause_hit("MOB-TK-01", "tilldelningskriterium", rank=4),
        clause_hit("MOB-TS-01", "teknisk_specifikation", "bas", rank=5),
    ]
    answer = compose(hits, [guidance_hit("vagledning-mobler")], "sv", {"area": "mobler"}, AREAS)
    md = answer.markdown
    headings = [
        "### Kvalificeringskrav",
        "### Tekniska specifikationer",
        "### Tilldelningskriterier",
        "### Särskilda kontraktsvillkor",
        "### Ur vägledningarna",
    ]
    positions = [md.index(h) for h in headings]
    assert positions == sorted(positions)
    # inside a type, bas before avancerad
    assert md.index("MOB-TS-01") < md.index("MOB-TS-02")
    assert [item.clause_id for item in answer.draft_items] == [
        "MOB-KK-01",
        "MOB-TS-01",
        "MOB-TS-02",
        "MOB-TK-01",
        "MOB-SK-01",
    ]
    assert md.startswith("Jag hittade 5 förslag till krav i klausulbiblioteket för Möbler och inredning")
    assert unresolved_citations(answer) == []
    assert set(citations(md)) == {source.n for source in answer.sources} == {1, 2, 3, 4, 5, 6}
    item = answer.draft_items[0]
    assert (item.source, item.verification, item.level) == (1, "Verifiering av MOB-KK-01.", "bas")
    assert answer.sources[0].references[1]["url"] == "https://example.org/gpp"


def test_a_clause_split_in_several_chunks_is_proposed_once():
    first = clause_hit("MOB-TS-01", "teknisk_specifikation")
    second = clause_hit("MOB-TS-01", "teknisk_specifikation", rank=2, chunk_id="MOB-TS-01:0123456789ab:1")
    second.chunk_id = "MOB-TS-01:0123456789ab:1"
    answer = compose([first, second], [], "sv", {}, AREAS)
    assert len(answer.draft_items) == 1 and len(answer.sources) == 1


def test_source_text_cannot_forge_citations_or_inject_markup():
    hostile = guidance_hit(
        "staff-doc",
        kind="document",
        page=3,
        source="notes.pdf",
        text="Se [7] och [12]. ![spår](https://evil.example/x.png) <script>alert(1)</script> Slut.",
    )
    answer = compose([], [hostile], "sv", {}, AREAS)
    assert citations(answer.markdown) == [1]
    assert "evil.example" not in answer.markdown and "<script>" not in answer.markdown
    assert "(7)" in answer.markdown and "s. 3" in answer.markdown


def test_english_answer_says_the_clause_library_is_swedish():
    answer = compose([clause_hit("MOB-TS-01", "teknisk_specifikation")], [], "en", {"level": "bas"}, AREAS)
    assert answer.markdown.startswith("I found one proposed requirement in the clause library (basic level)")
    assert "### Technical specifications" in answer.markdown
    assert "*Verification:*" in answer.markdown


def test_nothing_found_says_so_suggests_rephrasing_and_cites_nothing():
    answer = compose_nothing("sv", {"area": "mobler", "level": "spjutspets"}, AREAS)
    assert not answer.found and answer.sources == [] and citations(answer.markdown) == []
    assert "Jag hittade inget" in answer.markdown and "Prova att" in answer.markdown
    assert "Möbler och inredning, Spjutspetsnivå" in answer.markdown


def test_guidance_excerpt_loses_markdown_tables_and_list_markers():
    table = guidance_hit(
        "verifiering-och-uppfoljning", text="| krav | verifiering |\n|---|---|\n| garanti | villkor |"
    )
    listed = guidance_hit("kravtyp-och-niva", n=1, text="- **Teknisk specifikation**: kvalitet och funktion.")
    answer = compose([], [table, listed], "sv", {}, AREAS)
    assert "|" not in answer.markdown and "**Teknisk" not in answer.markdown
    assert "garanti: villkor" in answer.markdown and "Teknisk specifikation: kvalitet" in answer.markdown
