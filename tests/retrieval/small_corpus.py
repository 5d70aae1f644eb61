"""Ten clause and guidance chunks with the metadata the indexer stores; `fill` embeds them."""

from __future__ import annotations

from typing import Any

# (doc_id, kind, area, type, level, title, text)
CHUNKS = [
    (
        "MOB-TS-01",
        "clause",
        "mobler",
        "teknisk_specifikation",
        "bas",
        "Reservdelar i minst fem år",
        "Leverantören ska kunna leverera reservdelar till kontorsstolar "
        "och skrivbord i minst fem år efter leverans.",
    ),
    (
        "MOB-TK-01",
        "clause",
        "mobler",
        "tilldelningskriterium",
        "avancerad",
        "Renoverade möbler",
        "Mervärde ges för anbud där minst hälften av möblerna är renoverade eller återbrukade.",
    ),
    (
        "MOB-SK-01",
        "clause",
        "mobler",
        "sarskilt_kontraktsvillkor",
        "spjutspets",
        "Återtag av uttjänta möbler",
        "Leverantören ska ta tillbaka uttjänta möbler "
        "och redovisa hur de återbrukas eller materialåtervinns.",
    ),
    (
        "IT-TS-01",
        "clause",
        "it",
        "teknisk_specifikation",
        "bas",
        "Batteri som går att byta",
        "Bärbara datorer ska ha ett batteri som användaren kan byta utan specialverktyg.",
    ),
    (
        "IT-TS-02",
        "clause",
        "it",
        "teknisk_specifikation",
        "avancerad",
        "Garanti på datorer",
        "Leverantören ska lämna minst tre års garanti på bärbara datorer och skärmar.",
    ),
    (
        "IT-SK-01",
        "clause",
        "it",
        "sarskilt_kontraktsvillkor",
        "bas",
        "Återtag av IT-utrustning",
        "Leverantören ska ta emot uttjänt IT-utrustning, radera "
        "data säkert och sälja den vidare för återbruk.",
    ),
    (
        "TEX-TS-01",
        "clause",
        "textil",
        "teknisk_specifikation",
        "bas",
        "Arbetskläder som kan lagas",
        "Arbetskläder ska kunna repareras; leverantören ska "
        "erbjuda lagning av trasiga plagg under avtalstiden.",
    ),
    (
        "LIV-SK-01",
        "clause",
        "livsmedel",
        "sarskilt_kontraktsvillkor",
        "bas",
        "Matsvinn",
        "Leverantören ska mäta och redovisa matsvinn från måltider i skolor och äldreboenden varje kvartal.",
    ),
    (
        "vagledning-mobler",
        "guidance",
        "mobler",
        None,
        None,
        "Cirkulär upphandling av möbler",
        "Börja med att inventera befintliga möbler. Renovering av stolar är ofta billigare än att köpa nytt.",
    ),
    (
        "ordlista-sv-en",
        "guidance",
        None,
        None,
        None,
        "Ordlista svenska–engelska",
        "återbruk – reuse; återtag – take-back; reservdel – spare part; livslängd – lifetime.",
    ),
]


def chunk_metadata(row: tuple) -> tuple[str, str, dict[str, Any]]:
    doc_id, kind, area, type_, level, title, text = row
    chunk_id = f"{doc_id}:000000000000:0"
    meta: dict[str, Any] = {
        "doc_id": doc_id,
        "chunk_id": chunk_id,
        "title": title,
        "source": f"corpus/{doc_id}",
        "section": "",
        "kind": kind,
        "file_hash": "0" * 12,
        "file_chunks": 1,
        "indexed_at": "2026-11-28T00:00:00Z",
        "root": "corpus",
    }
    if area:
        meta["area"] = area
    if kind == "clause":
        meta.update(clause_id=doc_id, type=type_, level=level, group="", strategies=["reparation"])
    return chunk_id, text, meta


def fill(collection: Any, embedder: Any, rows: list[tuple]) -> list[str]:
    """Upsert `rows` as chunks (embedded for real, title first as the indexer does); returns the chunk ids."""
    triples = [chunk_metadata(row) for row in rows]
    ids = [t[0] for t in triples]
    vectors = embedder.embed_documents([f"{t[2]['title']}\n{t[1]}" for t in triples])
    collection.upsert(
        ids=ids, embeddings=vectors, documents=[t[1] for t in triples], metadatas=[t[2] for t in triples]
    )
    return ids
