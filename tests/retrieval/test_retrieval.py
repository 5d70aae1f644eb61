"""HybridRetriever on a small real collection: modes, filters before fusion, ties, the BM25 cache."""

from __future__ import annotations

import pytest
from small_corpus import CHUNKS, fill

from assistant.retrieval import HybridRetriever
from indexing.errors import ConfigError


@pytest.fixture
def retriever(small_store, tmp_path):
    _client, collection = small_store
    from indexing.embeddings import make_embedder

    return HybridRetriever(collection, make_embedder(), cache_dir=tmp_path / "cache")


@pytest.mark.parametrize("mode", ["bm25", "dense", "hybrid"])
@pytest.mark.parametrize(
    "query, doc_id",
    [
        ("reservdelar till kontorsstolar", "MOB-TS-01"),
        ("laptop with a replaceable battery", "IT-TS-01"),
        ("matsvinn i skolor", "LIV-SK-01"),
    ],
)
def test_each_mode_finds_the_clause(retriever, mode, query, doc_id):
    hits = retriever.search(query, k=3, mode=mode)
    assert hits[0].doc_id == doc_id
    assert [h.rank for h in hits] == list(range(1, len(hits) + 1))
    assert len({h.chunk_id for h in hits}) == len(hits)
    assert all(a.score >= b.score for a, b in zip(hits, hits[1:], strict=False))


def test_hit_json_carries_clause_fields(retriever):
    data = retriever.search("batteri bärbar dator", k=1)[0].to_json()
    assert data["clause_id"] == "IT-TS-01" and data["area"] == "it" and data["level"] == "bas"
    assert data["rank"] == 1 and data["text"].startswith("Bärbara datorer")


@pytest.mark.parametrize("mode", ["bm25", "dense", "hybrid"])
def test_filters_apply_to_both_retrievers_before_fusion(retriever, mode):
    # Unfiltered, the IT take-back clause is not the best hit for furniture take-back; filtered to IT it is,
    # and nothing else than IT chunks is ranked (k larger than the number of IT chunks).
    hits = retriever.search("återtag av uttjänta möbler", k=10, filters={"area": "it"}, mode=mode)
    assert hits and {h.metadata["area"] for h in hits} == {"it"}
    assert hits[0].doc_id == "IT-SK-01"
    both = retriever.search(
        "leverantören", k=10, filters={"type": "teknisk_specifikation", "level": "bas"}, mode=mode
    )
    # an empty result would pass a bare subset check: the two chunks that contain the word must be there
    assert {"MOB-TS-01", "TEX-TS-01"} <= {h.doc_id for h in both} <= {"MOB-TS-01", "IT-TS-01", "TEX-TS-01"}
    guidance = retriever.search("möbler", k=10, filters={"kind": "guidance"}, mode=mode)
    assert {h.kind for h in guidance} == {"guidance"}
    assert retriever.search("möbler", filters={"area": "fordon"}, mode=mode) == []


def test_bad_mode_and_filter_are_config_errors(retriever):
    with pytest.raises(ConfigError, match="unknown retriever"):
        retriever.search("x", mode="sparse")
    with pytest.raises(ConfigError, match="unknown filter"):
        retriever.search("x", filters={"colour": "red"})
    assert retriever.search("x", filters={"area": None}, k=1)  # an empty filter value is no filter
    assert retriever.search("   ") == []


def test_values_lists_filter_values_present(retriever):
    assert retriever.values("area") == ["it", "livsmedel", "mobler", "textil"]
    assert retriever.values("kind") == ["clause", "guidance"]


def test_equal_scores_are_ordered_by_chunk_id(e5, tmp_path, collection_name):
    from indexing.store import make_client, open_collection

    collection = open_collection(
        make_client(path=tmp_path / "chroma"), collection_name, e5.name, e5.dimension
    )
    text = "Leverantören ska erbjuda reparation av stolar."
    vector = e5.embed_documents([text])[0]
    ids = ["dup-b:0", "dup-c:0", "dup-a:0"]
    metas = [{"doc_id": i.split(":")[0], "kind": "document", "title": ""} for i in ids]
    collection.upsert(ids=ids, embeddings=[vector] * 3, documents=[text] * 3, metadatas=metas)
    retriever = HybridRetriever(collection, e5)
    for mode in ("bm25", "dense", "hybrid"):
        hits = retriever.search("reparation av stolar", k=3, mode=mode)
        assert [h.chunk_id for h in hits] == ["dup-a:0", "dup-b:0", "dup-c:0"], mode
        assert len({h.score for h in hits}) == 1


def test_bm25_cache_is_reused_and_rebuilt_when_the_collection_changes(e5, tmp_path, collection_name):
    from indexing.store import make_client, open_collection

    collection = open_collection(
        make_client(path=tmp_path / "chroma"), collection_name, e5.name, e5.dimension
    )
    fill(collection, e5, CHUNKS[:4])
    cache = tmp_path / "cache"
    first = HybridRetriever(collection, e5, cache_dir=cache)
    assert first.search("reservdelar", k=1, mode="bm25")[0].doc_id == "MOB-TS-01"
    folders = list((cache / "bm25").iterdir())
    assert len(folders) == 1
    stamp = folders[0].stat().st_mtime_ns

    # a second retriever (another process, say) loads the same index from disk instead of rebuilding it
    second = HybridRetriever(collection, e5, cache_dir=cache)
    assert second.search("reservdelar", k=1, mode="bm25")[0].doc_id == "MOB-TS-01"
    assert [f.stat().st_mtime_ns for f in (cache / "bm25").iterdir()] == [stamp]

    # more chunks: the count differs, the index is rebuilt and the old one removed
    fill(collection, e5, CHUNKS[7:8])
    assert second.search("matsvinn", k=1, mode="bm25")[0].doc_id == "LIV-SK-01"
    assert [f for f in (cache / "bm25").iterdir()] != folders and len(list((cache / "bm25").iterdir())) == 1

    # a document replaced by another with the same number of chunks: same count, other ids
    collection.delete(ids=[f"{CHUNKS[7][0]}:000000000000:0"])
    fill(collection, e5, CHUNKS[6:7])
    second.refresh()  # the fingerprint is otherwise read at most every recheck_s seconds
    assert second.search("arbetskläder lagning", k=1, mode="bm25")[0].doc_id == "TEX-TS-01"
    assert second.search("matsvinn", k=5, mode="bm25") == []


def test_a_named_product_area_lifts_its_chunks_by_the_prior(small_store, e5, tmp_path):
    """'återtag av uttjänta datorer' names IT: every IT chunk's hybrid score is its plain fused score + 0.1."""
    _client, collection = small_store
    plain = HybridRetriever(collection, e5, cache_dir=tmp_path / "cache", area_prior=0.0)
    lifted = HybridRetriever(collection, e5, cache_dir=tmp_path / "cache", area_prior=0.1)
    query = "återtag av uttjänta datorer"
    before = {h.chunk_id: h for h in plain.search(query, k=len(CHUNKS))}
    after = lifted.search(query, k=len(CHUNKS))
    assert {h.chunk_id for h in after} == set(before)
    for hit in after:
        bonus = 0.1 if hit.metadata.get("area") == "it" else 0.0
        assert hit.score == pytest.approx(before[hit.chunk_id].score + bonus)
    assert [h.score for h in after] == sorted((h.score for h in after), reverse=True)
    ranks_before = {chunk_id: n for n, chunk_id in enumerate(before)}
    ranks_after = {h.chunk_id: n for n, h in enumerate(after)}
    it_chunks = [h.chunk_id for h in after if h.metadata.get("area") == "it"]
    assert it_chunks and all(ranks_after[c] <= ranks_before[c] for c in it_chunks)


def test_no_prior_without_a_named_area_or_with_an_area_filter(small_store, e5, tmp_path):
    _client, collection = small_store
    plain = HybridRetriever(collection, e5, cache_dir=tmp_path / "cache", area_prior=0.0)
    lifted = HybridRetriever(collection, e5, cache_dir=tmp_path / "cache", area_prior=0.1)
    for query, filters in (("återtag och återbruk", None), ("återtag av datorer", {"area": "it"})):
        expected = [(h.chunk_id, h.score) for h in plain.search(query, k=5, filters=filters)]
        assert [(h.chunk_id, h.score) for h in lifted.search(query, k=5, filters=filters)] == expected
    # bm25 and dense alone are the single-retriever baselines: no prior there
    for mode in ("bm25", "dense"):
        expected = [(h.chunk_id, h.score) for h in plain.search("uttjänta datorer", k=5, mode=mode)]
        assert [(h.chunk_id, h.score) for h in lifted.search("uttjänta datorer", k=5, mode=mode)] == expected


def test_an_area_hint_overrides_the_area_the_query_names(small_store, e5, tmp_path):
    """A conversation about IT that asks 'and furniture take-back?' keeps preferring what the hint says."""
    _client, collection = small_store
    plain = HybridRetriever(collection, e5, cache_dir=tmp_path / "cache", area_prior=0.0)
    lifted = HybridRetriever(collection, e5, cache_dir=tmp_path / "cache", area_prior=0.1)
    query = "återtag av uttjänta möbler"  # names furniture
    before = {h.chunk_id: h.score for h in plain.search(query, k=len(CHUNKS))}
    hinted = lifted.search(query, k=len(CHUNKS), area_hint="it")
    assert {h.chunk_id for h in hinted} == set(before)  # an empty list would make the loop below vacuous
    for hit in hinted:
        assert hit.score == pytest.approx(before[hit.chunk_id] + (0.1 if hit.metadata.get("area") == "it" else 0))


def test_the_guidance_note_a_top_clause_cites_is_lifted(e5, tmp_path, collection_name):
    """MOB-TS-01 names vagledning-mobler as its source: in hybrid search the note gains 0.1 x the clause's score;
    every other chunk keeps its score, and bm25 and dense alone are unchanged."""
    import json

    from small_corpus import chunk_metadata

    from indexing.store import make_client, open_collection

    collection = open_collection(make_client(path=tmp_path / "chroma"), collection_name, e5.name, e5.dimension)
    fill(collection, e5, CHUNKS)
    chunk_id, _text, meta = chunk_metadata(CHUNKS[0])
    sources = [{"doc_id": "vagledning-mobler"}, {"title": "EU GPP criteria for furniture", "url": "https://example.org"}]
    collection.update(ids=[chunk_id], metadatas=[{**meta, "sources": json.dumps(sources)}])
    plain = HybridRetriever(collection, e5, cache_dir=tmp_path / "cache", source_prior=0.0)
    lifted = HybridRetriever(collection, e5, cache_dir=tmp_path / "cache", source_prior=0.1)

    query = "reservdelar till kontorsstolar"
    before = {h.doc_id: h.score for h in plain.search(query, k=len(CHUNKS))}
    after = {h.doc_id: h.score for h in lifted.search(query, k=len(CHUNKS))}
    assert max(before, key=before.__getitem__) == "MOB-TS-01" and set(after) == set(before)
    for doc_id, score in after.items():
        bonus = 0.1 * before["MOB-TS-01"] if doc_id == "vagledning-mobler" else 0.0
        assert score == pytest.approx(before[doc_id] + bonus), doc_id
    for mode in ("bm25", "dense"):
        expected = [(h.chunk_id, h.score) for h in plain.search(query, k=5, mode=mode)]
        assert [(h.chunk_id, h.score) for h in lifted.search(query, k=5, mode=mode)] == expected


def test_a_sentence_quoted_from_a_chunk_puts_that_chunk_first(retriever):
    quoted = "Leverantören ska ta tillbaka uttjänta möbler och redovisa hur de återbrukas"  # from MOB-SK-01
    hits = retriever.search(quoted, k=5)
    assert hits[0].doc_id == "MOB-SK-01" and hits[0].score > 2.0  # PHRASE_BONUS is 3
    assert all(hit.score < 2.0 for hit in hits[1:])
    # the same words out of order, or a quote under eight words, are ranked by fusion alone
    shuffled = "uttjänta möbler ska leverantören ta tillbaka och redovisa hur de återbrukas"
    assert all(hit.score < 2.0 for hit in retriever.search(shuffled, k=5))
    assert all(hit.score < 2.0 for hit in retriever.search("ta tillbaka uttjänta möbler", k=5))


GLOSSARY = (
    "ordlista",
    "guidance",
    None,
    None,
    None,
    "Ordlista svenska–engelska",
    "| svenska | English |\n|---|---|\n| återtag | take-back |\n| reservdelar | spare parts |\n"
    "| kontorsstol | office chair |\n| bärbar dator | laptop |",
)


def test_a_glossary_comes_last_unless_the_question_is_about_words(e5, tmp_path, collection_name):
    """The glossary shares words with most questions (BM25 ranks it high for spare parts for office chairs),
    but in hybrid search it follows every other candidate, unless the question asks what a word is called."""
    from indexing.store import make_client, open_collection

    collection = open_collection(make_client(path=tmp_path / "chroma"), collection_name, e5.name, e5.dimension)
    fill(collection, e5, [*CHUNKS, GLOSSARY])
    retriever = HybridRetriever(collection, e5, cache_dir=tmp_path / "cache")
    assert retriever.lexical_index().glossaries == frozenset({"ordlista"})

    query = "reservdelar till kontorsstolar"
    assert "ordlista" in [h.doc_id for h in retriever.search(query, k=3, mode="bm25")]
    hybrid = retriever.search(query, k=20)
    assert hybrid[0].doc_id == "MOB-TS-01"
    assert hybrid[-1].doc_id == "ordlista" and hybrid[-1].score < 0

    for question in ("vad heter återtag på engelska?", "what is the Swedish word for take-back?"):
        asked = {h.doc_id: h.score for h in retriever.search(question, k=3)}
        assert asked.get("ordlista", -1.0) > 0, question  # among the first three, on its fused score


def test_a_clauses_keywords_are_searched_as_its_words(e5, tmp_path, collection_name):
    """Keywords bridge the procurer's words and the clause's: BM25 finds a clause by a keyword its text lacks."""
    from small_corpus import chunk_metadata

    from indexing.store import make_client, open_collection

    client = make_client(path=tmp_path / "chroma")
    found = {}
    for name, keywords in ((collection_name, None), (f"{collection_name}-kw", ["vingliga stolar", "snurrstol"])):
        collection = open_collection(client, name, e5.name, e5.dimension)
        fill(collection, e5, CHUNKS)
        if keywords:
            chunk_id, _text, meta = chunk_metadata(CHUNKS[0])
            collection.update(ids=[chunk_id], metadatas=[{**meta, "keywords": keywords}])
        retriever = HybridRetriever(collection, e5, cache_dir=tmp_path / "cache")
        found[name] = [h.doc_id for h in retriever.search("vingliga", k=3, mode="bm25")]
    assert found == {collection_name: [], f"{collection_name}-kw": ["MOB-TS-01"]}
