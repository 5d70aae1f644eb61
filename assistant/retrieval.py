"""Hybrid search over the store: dense (the collection's vectors) and lexical (BM25), filtered, then fused.

    retriever = HybridRetriever(collection, embedder, cache_dir=settings.cache_dir)
    hits = retriever.search("reservdelar till kontorsstolar", k=5, filters={"area": "mobler"})

Filters (`area`, `type`, `level`, `kind`) are applied to both retrievers before fusion, so a filtered search
ranks only matching chunks. Each chunk appears once; equal scores are ordered by chunk id.
The BM25 index is derived from the collection (`assistant.lexical`), cached under `cache_dir` and rebuilt when
the collection's content changes: the chunk count is checked on every search; the full fingerprint (all ids),
which also catches a document replaced by as many chunks, every `recheck_s` seconds or, on a collection so
large that reading all ids is slow, at most 1% of the time; and on the next search after `refresh()`.
"""

from __future__ import annotations

import itertools
import shutil
import threading
import time
from pathlib import Path
from typing import Any

from assistant.areas import detect_area
from assistant.fusion import Fusion
from assistant.hits import Hit, cited_doc_ids
from assistant.lexical import FILTER_FIELDS, LexicalIndex, collection_ids, fingerprint_of
from assistant.swedish import WORD, asks_for_words
from indexing.errors import ConfigError

MODES = ("hybrid", "dense", "bm25")
DEFAULT_FUSION = Fusion("minmax", (0.5, 0.5))  # measured in docs/RETRIEVAL.md
CANDIDATES = 50  # how deep each retriever's list goes before fusion
AREA_PRIOR = 0.1  # added to a fused score (0-1) when the chunk is in the product area the query names
SOURCE_PRIOR = 0.1  # a document cited by one of the best clauses gets this share of that clause's score
CITING_CLAUSES = 5  # how many of the best clauses lend their sources a share of their score
PHRASE_WORDS = 8  # a query of at least this many words found word for word in a chunk puts that chunk first
PHRASE_BONUS = 3.0  # more than a fused score (at most 1), both priors and the glossary's deferral together
GLOSSARY_DEFERRAL = 1.5  # taken off a glossary chunk's score: more than a fused score and both priors together
CHECK_SHARE = (
    0.01  # the periodic fingerprint check takes at most this share of the time (0.6 s at 100k chunks)
)


def check_filters(filters: dict[str, Any] | None) -> dict[str, str]:
    """`filters` without empty values; an unknown field is a `ConfigError`."""
    clean: dict[str, str] = {}
    for name, value in (filters or {}).items():
        if name not in FILTER_FIELDS:
            raise ConfigError(f"unknown filter {name!r}: use one of {', '.join(FILTER_FIELDS)}")
        if value not in (None, ""):
            clean[name] = str(value)
    return clean


def where_clause(filters: dict[str, str]) -> dict[str, Any] | None:
    """The Chroma `where` for `filters` (None when there are none)."""
    if not filters:
        return None
    terms = [{name: value} for name, value in sorted(filters.items())]
    return terms[0] if len(terms) == 1 else {"$and": terms}


class HybridRetriever:
    """Dense + BM25 search over one collection. Safe to share between threads."""

    def __init__(
        self,
        collection: Any,
        embedder: Any,
        cache_dir: Path | None = None,
        fusion: Fusion = DEFAULT_FUSION,
        candidates: int = CANDIDATES,
        recheck_s: float = 5.0,
        area_prior: float = AREA_PRIOR,
        source_prior: float = SOURCE_PRIOR,
    ):
        self.collection = collection
        self.embedder = embedder
        self.cache_dir = Path(cache_dir) if cache_dir is not None else None
        self.fusion = fusion
        self.candidates = candidates
        self.recheck_s = recheck_s
        self.area_prior = area_prior
        self.source_prior = source_prior
        self._index: LexicalIndex | None = None
        self._version: str | None = None
        self._checked_at = 0.0
        self._check_cost = 0.0
        self._lock = threading.Lock()

    # -- the BM25 index, kept in step with the collection ----------------------------------------------------

    def lexical_index(self) -> LexicalIndex:
        """The BM25 index of the collection as it is now: from memory, the disk cache, or built afresh."""
        with self._lock:
            index = self._index
            version = getattr(self.collection, "version", None)  # a LiveCollection's: moves when the store does
            stale = index is None or version != self._version or self.collection.count() != len(index)
            interval = max(self.recheck_s, self._check_cost / CHECK_SHARE)
            if not stale and time.monotonic() - self._checked_at < interval:
                assert index is not None
                return index
            started = time.monotonic()
            fingerprint = fingerprint_of(str(self.collection.id), collection_ids(self.collection))
            self._check_cost = time.monotonic() - started
            if index is None or index.fingerprint != fingerprint:
                index = self._load_or_build(fingerprint)
                self._index = index
            self._version = version
            self._checked_at = time.monotonic()
            return index

    def refresh(self) -> None:
        """Check the collection's fingerprint on the next search, however recently it was checked."""
        with self._lock:
            self._checked_at = -float("inf")

    def _load_or_build(self, fingerprint: str) -> LexicalIndex:
        if self.cache_dir is None:
            return LexicalIndex.build(self.collection)
        folders = self.cache_dir / "bm25"
        index = LexicalIndex.load(folders / f"{self.collection.id}-{fingerprint}")
        if index is not None and index.fingerprint == fingerprint:
            return index
        # the fingerprint of what was read: if the collection changed meanwhile, the next check rebuilds
        index = LexicalIndex.build(self.collection)
        if index.save(folders / f"{self.collection.id}-{index.fingerprint}"):
            for old in folders.glob(f"{self.collection.id}-*"):  # indexes of earlier contents
                if old.name != f"{self.collection.id}-{index.fingerprint}" and ".tmp-" not in old.name:
                    shutil.rmtree(old, ignore_errors=True)
        return index

    def values(self, field: str) -> list[str]:
        """The distinct values of filter field `field` in the collection, sorted."""
        if field not in FILTER_FIELDS:
            raise ConfigError(f"unknown filter {field!r}: use one of {', '.join(FILTER_FIELDS)}")
        index = self.lexical_index()
        return sorted({str(m.get(field)) for m in index.metadatas if m.get(field)})

    # -- searching -------------------------------------------------------------------------------------------

    def search(
        self,
        query: str,
        k: int = 10,
        filters: dict[str, str] | None = None,
        mode: str = "hybrid",
        area_hint: str | None = None,
    ) -> list[Hit]:
        """The `k` best chunks for `query`, ranked from 1. `mode`: hybrid | dense | bm25.

        `area_hint`: the product area the conversation is about, preferred in hybrid ranking; when not given,
        the area the query itself names (if any)."""
        if mode not in MODES:
            raise ConfigError(f"unknown retriever {mode!r}: use one of {', '.join(MODES)}")
        if k < 1:
            raise ConfigError(f"k must be at least 1, not {k}")
        clean = check_filters(filters)
        if not query.strip():
            return []
        depth = max(k, self.candidates) if mode == "hybrid" else k
        found: dict[str, tuple[str, dict[str, Any]]] = {}  # chunk id -> (text, metadata)
        lists: list[list[tuple[str, float]]] = []
        dense: list[tuple[str, float]] = []
        index = self.lexical_index()  # BM25, and the analyzer that renders an English question in Swedish
        if mode in ("bm25", "hybrid"):
            lists.append(self._bm25(index, query, depth, clean, found))
        if mode in ("dense", "hybrid"):  # an empty collection has an empty index: nothing to ask Chroma
            dense = self._dense(index.analyzer.dense_query(query), depth, clean, found) if len(index) else []
            lists.append(dense)
        ranked = self.fusion(lists) if mode == "hybrid" else lists[0]
        if mode == "hybrid" and "area" not in clean:
            ranked = self._prefer_area(area_hint or detect_area(query), ranked, found)
        if mode == "hybrid":
            ranked = self._lift_cited(ranked, found)
            ranked = self._defer_glossaries(index, query, ranked, found)
            ranked = self._prefer_phrase(query, ranked, found)
        similarity = dict(dense)  # each hit carries its dense similarity, so callers need no second search
        return [
            Hit(
                rank=n,
                score=score,
                chunk_id=chunk_id,
                text=found[chunk_id][0],
                metadata=found[chunk_id][1],
                similarity=similarity.get(chunk_id, 0.0),
            )
            for n, (chunk_id, score) in enumerate(ranked[:k], start=1)
        ]

    def _prefer_area(
        self, area: str | None, ranked: list[tuple[str, float]], found: dict[str, tuple[str, dict[str, Any]]]
    ) -> list[tuple[str, float]]:
        """Lift the chunks of `area` (e.g. the one a query names: "begagnade kylskåp" is white goods) by
        `area_prior`; a soft preference, unlike the `area` filter, and none when no area is known."""
        if area is None or not self.area_prior:
            return ranked
        return lifted(ranked, {cid: self.area_prior for cid, _s in ranked if found[cid][1].get("area") == area})

    def _lift_cited(
        self, ranked: list[tuple[str, float]], found: dict[str, tuple[str, dict[str, Any]]]
    ) -> list[tuple[str, float]]:
        """Lift the documents the best clauses cite as their sources (a clause's guidance note) by
        `source_prior` times the best citing clause's score: the note behind a matching requirement is
        likely worth reading beside it. Only documents already among the candidates move."""
        if not self.source_prior:
            return ranked
        by_doc: dict[str, float] = {}
        clauses = (item for item in ranked if found[item[0]][1].get("kind") == "clause")
        for chunk_id, score in itertools.islice(clauses, CITING_CLAUSES):
            for doc_id in cited_doc_ids(found[chunk_id][1]):
                by_doc[doc_id] = max(by_doc.get(doc_id, 0.0), self.source_prior * score)
        if not by_doc:
            return ranked
        doc_of = {cid: str(found[cid][1].get("doc_id")) for cid, _s in ranked}
        return lifted(ranked, {cid: by_doc[doc] for cid, doc in doc_of.items() if doc in by_doc})

    def _defer_glossaries(
        self,
        index: LexicalIndex,
        query: str,
        ranked: list[tuple[str, float]],
        found: dict[str, tuple[str, dict[str, Any]]],
    ) -> list[tuple[str, float]]:
        """Put a glossary's chunks after every other candidate unless the query asks what a word is called
        or means. A glossary is a translation aid, read into the analyzer; its lists of terms share words
        with most questions and took a place in the first five for a quarter of cirkla-sv dev, where it
        answers one question (docs/RETRIEVAL.md)."""
        if not index.glossaries or asks_for_words(query):
            return ranked
        deferred = [cid for cid, _s in ranked if found[cid][1].get("doc_id") in index.glossaries]
        return lifted(ranked, dict.fromkeys(deferred, -GLOSSARY_DEFERRAL))

    def _prefer_phrase(
        self, query: str, ranked: list[tuple[str, float]], found: dict[str, tuple[str, dict[str, Any]]]
    ) -> list[tuple[str, float]]:
        """Put first the chunks that contain a long query word for word (a sentence pasted to find where it
        comes from): BM25 ranks such a chunk first by a wide margin, and the dense list must not outvote it.
        Short queries, and chunks that only share some of the words, are left as they are."""
        phrase = WORD.findall(query.lower())
        if len(phrase) < PHRASE_WORDS:
            return ranked
        needle = f" {' '.join(phrase)} "
        quoting = [cid for cid, _s in ranked if needle in f" {' '.join(WORD.findall(found[cid][0].lower()))} "]
        return lifted(ranked, dict.fromkeys(quoting, PHRASE_BONUS))

    def _bm25(
        self,
        index: LexicalIndex,
        query: str,
        depth: int,
        filters: dict[str, str],
        found: dict[str, tuple[str, dict[str, Any]]],
    ) -> list[tuple[str, float]]:
        out = []
        for position, score in index.search(query, depth, filters):
            chunk_id = index.ids[position]
            found.setdefault(chunk_id, (index.texts[position], index.metadatas[position]))
            out.append((chunk_id, score))
        return out

    def _dense(
        self, query: str, depth: int, filters: dict[str, str], found: dict[str, tuple[str, dict[str, Any]]]
    ) -> list[tuple[str, float]]:
        vector = self.embedder.embed_query(query)
        result = self.collection.query(
            query_embeddings=[vector],
            n_results=depth,
            where=where_clause(filters),
            include=["documents", "metadatas", "distances"],
        )
        ids, docs = result["ids"][0], result["documents"][0]
        metas, distances = result["metadatas"][0], result["distances"][0]
        scored: dict[str, float] = {}
        for chunk_id, doc, meta, distance in zip(ids, docs, metas, distances, strict=True):
            if chunk_id in scored:  # one hit per chunk
                continue
            scored[chunk_id] = 1.0 - float(distance)  # cosine similarity
            found[chunk_id] = (doc or "", dict(meta or {}))
        return sorted(scored.items(), key=lambda item: (-item[1], item[0]))


def lifted(ranked: list[tuple[str, float]], bonus: dict[str, float]) -> list[tuple[str, float]]:
    """`ranked` with `bonus[chunk id]` added to those chunks' scores, best first again (ties by chunk id)."""
    if not bonus:
        return ranked
    raised = [(chunk_id, score + bonus.get(chunk_id, 0.0)) for chunk_id, score in ranked]
    return sorted(raised, key=lambda item: (-item[1], item[0]))
