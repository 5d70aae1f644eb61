"""Run a dataset's queries through the retriever in each mode and score the rankings.

A ranking for the metrics is the hits' doc ids in hit order with repeats dropped (several chunks of one
document count once, where it first appears), or `doc#p<page>` ids when the dataset's qrels name pages.
A dataset with its own corpus.jsonl is first indexed into a collection of its own (`corpus_collection`), a
long document in several chunks as Cirkla indexes its own corpus, kept under the cache folder and keyed by
the corpus' content, the embedder and the chunking, so a second run re-embeds nothing.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from assistant.hits import Hit
from assistant.retrieval import MODES, HybridRetriever
from evals.datasets import PAGE_MARK, CorpusDoc, Dataset
from evals.metrics import dedupe, mean_metrics, percentile, query_metrics
from indexing.errors import ConfigError

DEPTH = 3  # chunks asked for per ranked document: several chunks of one document collapse into one entry
SHOWN = 5  # hits kept per query for the report ("what came first instead")


@dataclass
class QueryResult:
    """One query under one retriever: its ranking, metrics, latency and the first hits (id, title)."""

    query_id: str
    ranked: list[str]
    metrics: dict[str, float]
    seconds: float
    top: list[tuple[str, str]] = field(default_factory=list)


@dataclass
class ModeResult:
    """One retriever over the whole split."""

    mode: str
    metrics: dict[str, float]
    latency_ms: dict[str, float]
    queries: list[QueryResult]


@dataclass
class EvalResult:
    """Every retriever evaluated on one dataset split."""

    dataset: str
    split: str
    k: int
    queries: dict[str, str]
    qrels: dict[str, dict[str, int]]
    modes: list[ModeResult]

    def mode(self, name: str) -> ModeResult:
        return next(m for m in self.modes if m.mode == name)

    def to_json(self) -> dict[str, Any]:
        """The result as `--json` prints it (and report.json holds)."""
        return {
            "dataset": self.dataset,
            "split": self.split,
            "k": self.k,
            "queries": len(self.queries),
            "retrievers": {
                m.mode: {"metrics": _rounded(m.metrics), "latency_ms": _rounded(m.latency_ms)}
                for m in self.modes
            },
            "missed": {m.mode: missed(self, m.mode) for m in self.modes},
        }


def _rounded(values: dict[str, float]) -> dict[str, float]:
    return {name: round(value, 4) for name, value in values.items()}


def parse_modes(text: str) -> list[str]:
    """`bm25,dense,hybrid` -> the list; an unknown name is a `ConfigError`."""
    modes = [part.strip() for part in text.split(",") if part.strip()]
    bad = [m for m in modes if m not in MODES]
    if bad or not modes:
        named = ", ".join(bad) or repr(text)
        raise ConfigError(f"unknown retriever {named}: use a comma list of {', '.join(MODES)}")
    return dedupe(modes)


def ranking(hits: Sequence[Hit], paged: bool) -> list[str]:
    """The ids the metrics see: doc ids, or `doc#p<page>` for paged qrels, first occurrence kept."""
    return dedupe([rank_id(hit, paged) for hit in hits])


def rank_id(hit: Hit, paged: bool) -> str:
    """The id a hit counts as: its doc id, or `doc#p<page>` for paged qrels."""
    return f"{hit.doc_id}{PAGE_MARK}{hit.page}" if paged and hit.page is not None else hit.doc_id


def evaluate(
    retriever: HybridRetriever,
    dataset: Dataset,
    modes: Sequence[str] = MODES,
    k: int = 10,
    progress: Callable[[str, int, int], None] | None = None,
) -> EvalResult:
    """Every query of `dataset` through `retriever` in each of `modes`, scored at cut-off `k`."""
    paged = dataset.paged
    results = []
    for mode in modes:
        retriever.search("uppvärmning", k=1, mode=mode)  # warm-up: builds the BM25 index, loads the model
        per_query = []
        for n, (query_id, text) in enumerate(dataset.queries.items(), start=1):
            started = time.perf_counter()
            hits = retriever.search(text, k=k * DEPTH, mode=mode)
            seconds = time.perf_counter() - started
            ranked = ranking(hits, paged)[:k]
            titles: dict[str, str] = {}
            for hit in hits:
                titles.setdefault(rank_id(hit, paged), str(hit.metadata.get("title", "")))
            per_query.append(
                QueryResult(
                    query_id=query_id,
                    ranked=ranked,
                    metrics=query_metrics(ranked, dataset.qrels[query_id], k),
                    seconds=seconds,
                    top=[(doc, titles[doc]) for doc in ranked[:SHOWN]],
                )
            )
            if progress:
                progress(mode, n, len(dataset.queries))
        times = [q.seconds * 1000 for q in per_query]
        latency = {"p50": percentile(times, 50), "p95": percentile(times, 95)}
        results.append(ModeResult(mode, mean_metrics([q.metrics for q in per_query]), latency, per_query))
    return EvalResult(dataset.name, dataset.split, k, dataset.queries, dataset.qrels, results)


def missed(result: EvalResult, mode: str, cutoff: int = SHOWN) -> list[dict[str, Any]]:
    """Queries with no relevant document in the first `cutoff`, and what came first instead."""
    out = []
    for query in result.mode(mode).queries:
        relevant = result.qrels[query.query_id]
        if any(doc in relevant for doc in query.ranked[:cutoff]):
            continue
        rank = next((n for n, doc in enumerate(query.ranked, start=1) if doc in relevant), None)
        out.append(
            {
                "query_id": query.query_id,
                "query": result.queries[query.query_id],
                "relevant": sorted(relevant),
                "rank": rank,
                "instead": [{"doc_id": doc, "title": title} for doc, title in query.top[:3]],
            }
        )
    return out


def below(result: EvalResult, min_recall5: float | None, min_mrr: float | None) -> list[str]:
    """One line per retriever and metric under its threshold (empty when all pass)."""
    problems = []
    for mode in result.modes:
        checks = [("recall@5", min_recall5), (f"mrr@{result.k}", min_mrr)]
        for name, threshold in checks:
            value = mode.metrics.get(name)
            if threshold is not None and value is not None and value < threshold:
                problems.append(f"{mode.mode}: {name} {value:.3f} is below {threshold:.3f}")
    return problems


# -- a dataset's own corpus, indexed into a collection of its own --------------------------------------------


CORPUS_FORMAT = "chunks-v1"  # part of a dataset collection's key: bump when its chunking changes


def corpus_key(dataset: Dataset, embedder_name: str) -> str:
    """Key of a dataset corpus' collection: a hash of the corpus documents, the embedder and the chunking."""
    digest = hashlib.sha256(f"{CORPUS_FORMAT}\n{embedder_name}".encode())
    for doc in dataset.corpus or []:
        for part in (doc.id, doc.title, doc.text):
            digest.update(part.encode())
            digest.update(b"\x00")
    return digest.hexdigest()[:20]


def corpus_chunks(dataset: Dataset) -> list[tuple[str, CorpusDoc, str]]:
    """(chunk id, document, chunk text) for every chunk of `dataset.corpus`.

    A document is split like Cirkla's own prose (`indexing.chunking.make_splitter`), so one longer than the
    embedding model's window is still embedded whole, in pieces; a short one is one chunk with the
    document's own id. Rankings collapse the chunks to their document again (`ranking`)."""
    from indexing.chunking import make_splitter

    splitter = make_splitter()
    out = []
    for doc in dataset.corpus or []:
        pieces = [piece for piece in splitter.split_text(doc.text) if piece.strip()] or [doc.text]
        if len(pieces) == 1:
            out.append((doc.id, doc, pieces[0]))
        else:
            out.extend((f"{doc.id}#c{n}", doc, piece) for n, piece in enumerate(pieces))
    return out


def corpus_collection(
    dataset: Dataset, embedder: Any, client: Any, progress: Callable[[int, int], None] | None = None
) -> Any:
    """The collection holding `dataset.corpus` in chunks (`corpus_chunks`), made and embedded once per content.

    A collection that is complete already (every chunk present) is reused as it is.
    """
    from indexing.store import open_collection

    chunks = corpus_chunks(dataset)
    name = f"eval-{corpus_key(dataset, embedder.name)}"
    collection = open_collection(client, name, embedder.name, embedder.dimension)
    if collection.count() == len(chunks):
        return collection
    have = set(collection.get(include=[])["ids"]) if collection.count() else set()
    todo = [chunk for chunk in chunks if chunk[0] not in have]
    batch = 64
    for start in range(0, len(todo), batch):
        part = todo[start : start + batch]
        vectors = embedder.embed_documents([f"{doc.title}\n{text}".strip() for _id, doc, text in part])
        collection.upsert(
            ids=[chunk_id for chunk_id, _doc, _text in part],
            embeddings=vectors,
            documents=[text for _id, _doc, text in part],
            metadatas=[
                {
                    "doc_id": doc.id,
                    "chunk_id": chunk_id,
                    "title": doc.title,
                    "source": f"{dataset.name}/corpus.jsonl",
                    "section": "",
                    "kind": "document",
                    "root": dataset.name,
                }
                for chunk_id, doc, _text in part
            ],
        )
        if progress:
            progress(min(start + batch, len(todo)), len(todo))
    return collection


def eval_cache(cache_dir: Path) -> Path:
    """Folder of the embedded store that holds dataset corpora."""
    return cache_dir / "evals" / "chroma"
