"""The BM25 index: derived from a Chroma collection, cached on disk, rebuilt when the collection changes.

Chroma is the single source of truth. `LexicalIndex.build` reads every chunk (`collection.get`), turns each
into a lexical text (`lexical_text`: the chunk text with its title, section and clause fields) and
indexes its Swedish terms (`assistant.swedish.Analyzer`) with bm25s. The index, the chunk texts and the
metadata needed for hits and filters are saved under `cache_dir/bm25/<collection id>-<fingerprint>/`. The
fingerprint is the collection's id, its count and a hash of all chunk ids, which carry their document's
content hash: any change to the collection gives a new fingerprint and a new index."""

from __future__ import annotations

import hashlib
import json
import logging
import shutil
import uuid
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from assistant.swedish import Analyzer, glossary

log = logging.getLogger(__name__)

FORMAT = "cirkla-bm25-v6"  # bump when the analyzer or the lexical text changes, so old caches are not reused
FILTER_FIELDS = ("area", "type", "level", "kind")
LEXICAL_FIELDS = ("title", "section", "clause_id", "group", "area_name")  # metadata indexed beside the text
PAGE = 2000  # chunks per `collection.get` call when reading a large collection


def collection_ids(collection: Any) -> list[str]:
    """Every chunk id in the collection, read in pages."""
    ids: list[str] = []
    total = collection.count()
    for offset in range(0, total, PAGE * 10):
        ids.extend(collection.get(include=[], limit=PAGE * 10, offset=offset)["ids"])
    return ids


def fingerprint_of(collection_id: str, ids: Sequence[str]) -> str:
    """Fingerprint of a collection's content: its id, count and the sorted chunk ids."""
    digest = hashlib.sha256(f"{FORMAT}\n{collection_id}\n{len(ids)}\n".encode())
    for chunk_id in sorted(ids):
        digest.update(chunk_id.encode())
        digest.update(b"\n")
    return digest.hexdigest()[:24]


def collection_fingerprint(collection: Any) -> str:
    """Fingerprint of what `collection` holds now (see `fingerprint_of`)."""
    return fingerprint_of(str(collection.id), collection_ids(collection))


def lexical_text(text: str, meta: dict[str, Any]) -> str:
    """What BM25 indexes for one chunk: its title, section, clause fields (the keywords among them) and text."""
    parts = [str(meta.get(key) or "") for key in LEXICAL_FIELDS]
    for key in ("strategies", "keywords"):
        values = meta.get(key) or []
        parts.append(" ".join(str(v).replace("_", " ") for v in ([values] if isinstance(values, str) else values)))
    parts.append(text or "")
    parts.extend(str(meta.get(key) or "") for key in ("verification", "rationale"))
    return "\n".join(part for part in parts if part)


class LexicalIndex:
    """BM25 over the chunks of one collection, with the filter fields of each chunk kept beside it."""

    def __init__(
        self,
        ids: list[str],
        texts: list[str],
        metadatas: list[dict[str, Any]],
        analyzer: Analyzer,
        bm25: Any,
        fingerprint: str,
        glossaries: frozenset[str] = frozenset(),
    ):
        self.ids = ids
        self.texts = texts
        self.metadatas = metadatas
        self.analyzer = analyzer
        self.fingerprint = fingerprint
        self.glossaries = glossaries  # doc ids of the glossary notes the analyzer's translations come from
        self._bm25 = bm25
        self._fields = {
            name: np.array([str(m.get(name, "") or "") for m in metadatas], dtype=object)
            for name in FILTER_FIELDS
        }

    def __len__(self) -> int:
        return len(self.ids)

    # -- building and caching -------------------------------------------------------------------------------

    @classmethod
    def from_chunks(
        cls, ids: list[str], texts: list[str], metadatas: list[dict[str, Any]], fingerprint: str = ""
    ) -> LexicalIndex:
        """Index chunks given directly (their ids, stored texts and metadata)."""
        import bm25s

        lexical = [lexical_text(text, meta) for text, meta in zip(texts, metadatas, strict=True)]
        by_doc: dict[str, list[str]] = {}
        for text, meta in zip(texts, metadatas, strict=True):
            by_doc.setdefault(str(meta.get("doc_id", "")), []).append(text or "")
        terms: dict[str, str] = {}
        glossaries: set[str] = set()
        for doc_id, doc_texts in by_doc.items():
            rows = glossary(doc_texts)
            if rows:
                glossaries.add(doc_id)
                terms.update(rows)
        analyzer = Analyzer.from_texts(lexical, terms)
        bm25 = bm25s.BM25()  # defaults: Lucene BM25, k1=1.5, b=0.75
        corpus_terms = [analyzer.terms(text) for text in lexical]
        if any(corpus_terms):
            bm25.index(corpus_terms, show_progress=False)
        else:
            bm25 = None
        return cls(ids, texts, metadatas, analyzer, bm25, fingerprint, frozenset(glossaries))

    @classmethod
    def build(cls, collection: Any) -> LexicalIndex:
        """Read every chunk of `collection` and index it; the fingerprint is that of the chunks read."""
        ids: list[str] = []
        texts: list[str] = []
        metadatas: list[dict[str, Any]] = []
        total = collection.count()
        for offset in range(0, total, PAGE):
            page = collection.get(include=["documents", "metadatas"], limit=PAGE, offset=offset)
            ids.extend(page["ids"])
            texts.extend(doc or "" for doc in page["documents"])
            metadatas.extend(dict(meta or {}) for meta in page["metadatas"])
        return cls.from_chunks(ids, texts, metadatas, fingerprint_of(str(collection.id), ids))

    def save(self, folder: Path) -> bool:
        """Write the index to `folder`; False when it could not be written (the cache is optional).

        It is written beside `folder` first and then renamed, so a reader never sees half of it; when another
        process saved the same fingerprint first, its folder is kept.
        """
        tmp = folder.with_name(f"{folder.name}.tmp-{uuid.uuid4().hex[:8]}")
        try:
            tmp.mkdir(parents=True)
            if self._bm25 is not None:
                self._bm25.save(str(tmp / "bm25"), show_progress=False)
            chunks = {"ids": self.ids, "texts": self.texts, "metadatas": self.metadatas}
            (tmp / "chunks.json").write_text(json.dumps(chunks, ensure_ascii=False), encoding="utf-8")
            meta = {
                "format": FORMAT,
                "fingerprint": self.fingerprint,
                "vocabulary": sorted(self.analyzer.vocabulary),
                "glossary": self.analyzer.glossary,
                "glossaries": sorted(self.glossaries),
            }
            (tmp / "index.json").write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")
            tmp.rename(folder)
            return True
        except OSError as exc:
            log.warning("BM25 index not cached in %s: %s", folder, exc)
            return folder.is_dir()
        finally:
            shutil.rmtree(tmp, ignore_errors=True)

    @classmethod
    def load(cls, folder: Path) -> LexicalIndex | None:
        """The index saved in `folder`, or None when it is absent, of another format or unreadable."""
        import bm25s

        try:
            meta = json.loads((folder / "index.json").read_text(encoding="utf-8"))
            if meta.get("format") != FORMAT:
                return None
            chunks = json.loads((folder / "chunks.json").read_text(encoding="utf-8"))
            bm25 = None
            if (folder / "bm25").is_dir():
                bm25 = bm25s.BM25.load(str(folder / "bm25"), show_progress=False)
        except (OSError, ValueError, KeyError):
            return None
        analyzer = Analyzer(meta["vocabulary"], meta.get("glossary"))
        glossaries = frozenset(meta.get("glossaries", ()))
        return cls(chunks["ids"], chunks["texts"], chunks["metadatas"], analyzer, bm25, meta["fingerprint"], glossaries)

    # -- searching -------------------------------------------------------------------------------------------

    def mask(self, filters: dict[str, str] | None) -> np.ndarray | None:
        """Boolean mask of the chunks that pass `filters` (None: all pass)."""
        if not filters:
            return None
        keep = np.ones(len(self.ids), dtype=bool)
        for name, value in filters.items():
            keep &= self._fields[name] == value
        return keep

    def search(self, query: str, k: int, filters: dict[str, str] | None = None) -> list[tuple[int, float]]:
        """Top `k` (position, BM25 score) for `query`; only chunks with a positive score; ties by chunk id."""
        if self._bm25 is None or k <= 0:
            return []
        vocab = self._bm25.vocab_dict
        term_ids = [vocab[t] for t in self.analyzer.query_terms(query) if t in vocab]
        if not term_ids:
            return []
        scores = self._bm25.get_scores_from_ids(term_ids)
        keep = scores > 0
        mask = self.mask(filters)
        if mask is not None:
            keep &= mask
        candidates = np.flatnonzero(keep)
        if len(candidates) > k:
            top = np.argpartition(-scores[candidates], k - 1)[:k]
            # keep every candidate tied with the k-th score: the tie-break below is by chunk id, not by chance
            cutoff = scores[candidates[top]].min()
            candidates = candidates[scores[candidates] >= cutoff]
        ranked = sorted(candidates.tolist(), key=lambda i: (-float(scores[i]), self.ids[i]))[:k]
        return [(i, float(scores[i])) for i in ranked]
