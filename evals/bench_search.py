"""Query latency and memory of bm25, dense and hybrid search at 1k, 10k and 100k chunks, beside LangChain.

    .venv/bin/python evals/bench_search.py [--sizes 1000,10000,100000] [--queries 60] [--json]

Synthetic chunks: each is 2-5 sentences drawn at random from the shipped corpus (clause texts, verification,
rationale and guidance paragraphs), with random area/type/level/kind metadata. Their stored vectors are random
unit vectors, since embedding 100k passages with e5 on a CPU takes hours; the queries are real procurer
questions (the gold set's, or a built-in list) and are embedded for real inside every timed call, as a user's
query is. Random vectors make HNSW's work realistic in size but not in content; the dense rankings are
meaningless, their cost is not.

Timed per query: `HybridRetriever.search(q, k=10, mode=...)` for bm25, dense and hybrid, and the plain
LangChain path `langchain_chroma.Chroma(...).similarity_search(q, k=10)` (or, where langchain-chroma is not
installed, its equivalent `collection.query(query_embeddings=[embed_query(q)], n_results=10)`), all against
the same embedded Chroma collection in one process. The four are called in turn for each query (in an order
that rotates), so a busy machine slows them alike and their ratios stay fair. Memory is the process'
resident set (RSS); the load average is printed beside the figures.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import random
import re
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as a script from a checkout
    sys.path.insert(0, str(ROOT))

from assistant.retrieval import HybridRetriever  # noqa: E402
from evals.metrics import percentile  # noqa: E402
from indexing.schema import KINDS, LEVELS, TYPES  # noqa: E402

AREAS = ("mobler", "it", "textil", "bygg", "livsmedel", "fordon", "stad", "kontor", "elektronik", "vard")
FALLBACK_SENTENCES = [
    "Leverantören ska kunna leverera reservdelar till kontorsstolar i minst fem år efter leverans.",
    "Bärbara datorer ska ha ett batteri som kan bytas utan specialverktyg.",
    "Leverantören ska ta tillbaka uttjänta möbler och redovisa hur de återbrukas.",
    "Arbetskläder ska kunna repareras under hela avtalstiden.",
    "Matsvinnet ska mätas och rapporteras varje kvartal.",
]
FALLBACK_QUERIES = [
    "reservdelar till kontorsstolar",
    "laptop with a replaceable battery",
    "hur följer vi upp att leverantören tar tillbaka datorerna?",
    "begagnade möbler i stället för nya",
    "matsvinn i skolköket",
]


def rss_mb() -> float:
    import psutil

    return psutil.Process().memory_info().rss / 2**20


def sentences() -> list[str]:
    """Sentences of the shipped corpus (clause fields and guidance paragraphs)."""
    import yaml

    found: list[str] = []
    for path in sorted((ROOT / "corpus" / "clauses").glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for clause in data.get("clauses", []):
            for key in ("text", "verification", "rationale"):
                found.extend(re.split(r"(?<=[.!?])\s+", str(clause.get(key) or "")))
    for path in sorted((ROOT / "corpus" / "guidance").glob("*.md")):
        body = path.read_text(encoding="utf-8").split("---", 2)[-1]
        for paragraph in body.split("\n\n"):
            if not paragraph.lstrip().startswith(("#", "|")):
                found.extend(re.split(r"(?<=[.!?])\s+", " ".join(paragraph.split())))
    found = [s for s in found if len(s) > 30]
    return found or FALLBACK_SENTENCES


def queries(count: int) -> list[str]:
    """`count` real procurer questions: the gold set's, else a built-in list, repeated as needed."""
    gold = ROOT / "evals" / "datasets" / "cirkla-sv" / "queries.jsonl"
    texts = FALLBACK_QUERIES
    if gold.is_file():
        texts = [json.loads(line)["text"] for line in gold.read_text(encoding="utf-8").splitlines() if line]
    rng = random.Random(7)
    rng.shuffle(texts)
    return [texts[n % len(texts)] for n in range(count)]


def fill(collection: Any, size: int, dimension: int, pool: list[str], batch: int) -> float:
    """Add `size` synthetic chunks with random unit vectors; returns the seconds it took."""
    import numpy as np

    rng = random.Random(size)
    vectors = np.random.default_rng(size).standard_normal((size, dimension)).astype("float32")
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    started = time.perf_counter()
    for start in range(0, size, batch):
        stop = min(start + batch, size)
        ids, docs, metas = [], [], []
        for n in range(start, stop):
            doc_id = f"syn-{n // 4:06d}"
            ids.append(f"{doc_id}:000000000000:{n % 4}")
            docs.append(" ".join(rng.sample(pool, rng.randint(2, 5))))
            kind = rng.choice(KINDS)
            meta: dict[str, Any] = {
                "doc_id": doc_id,
                "title": rng.choice(pool)[:60],
                "kind": kind,
                "section": "",
            }
            meta["area"] = rng.choice(AREAS)
            if kind == "clause":
                meta.update(type=rng.choice(TYPES), level=rng.choice(LEVELS), clause_id=doc_id)
            metas.append(meta)
        collection.add(ids=ids, embeddings=vectors[start:stop], documents=docs, metadatas=metas)
    return time.perf_counter() - started


def timed(calls: dict[str, Any], texts: list[str]) -> dict[str, dict[str, float]]:
    """Wall and CPU p50/p95 (ms) of each call over `texts`, the calls taken in turn per text, after a warm-up.

    CPU time is this process' (all its threads: Chroma's and the embedder's too); it is what a call costs,
    whereas wall time also counts waiting for a core another program holds.
    """
    for call in calls.values():
        for text in texts[:2]:
            call(text)
    wall: dict[str, list[float]] = {name: [] for name in calls}
    cpu: dict[str, list[float]] = {name: [] for name in calls}
    names = list(calls)
    for n, text in enumerate(texts):
        for name in names[n % len(names) :] + names[: n % len(names)]:
            started, started_cpu = time.perf_counter(), time.process_time()
            calls[name](text)
            wall[name].append((time.perf_counter() - started) * 1000)
            cpu[name].append((time.process_time() - started_cpu) * 1000)
    return {
        name: {
            "p50": percentile(wall[name], 50),
            "p95": percentile(wall[name], 95),
            "cpu_p50": percentile(cpu[name], 50),
            "cpu_p95": percentile(cpu[name], 95),
        }
        for name in names
    }


def bench_size(client: Any, embedder: Any, size: int, pool: list[str], texts: list[str], cache: Path) -> dict:
    from indexing.store import open_collection

    name = f"bench-{size}"
    collection = open_collection(client, name, embedder.name, embedder.dimension)
    batch = min(5000, client.get_max_batch_size()) if hasattr(client, "get_max_batch_size") else 5000
    insert_s = fill(collection, size, embedder.dimension, pool, batch)
    gc.collect()
    before = rss_mb()

    retriever = HybridRetriever(collection, embedder, cache_dir=cache)
    started = time.perf_counter()
    retriever.search("uppvärmning", k=1, mode="bm25")  # builds the BM25 index and writes its cache
    build_s = time.perf_counter() - started
    bm25_mb = rss_mb() - before
    started = time.perf_counter()
    HybridRetriever(collection, embedder, cache_dir=cache).search("uppvärmning", k=1, mode="bm25")
    load_s = time.perf_counter() - started
    started = time.perf_counter()
    retriever.refresh()
    retriever.lexical_index()  # the periodic freshness check: every chunk id read and hashed
    recheck_s = time.perf_counter() - started

    row: dict[str, Any] = {
        "chunks": size,
        "insert_s": insert_s,
        "bm25_build_s": build_s,
        "bm25_load_s": load_s,
    }
    row["freshness_check_s"] = recheck_s
    row["bm25_index_mb"] = bm25_mb
    calls = {
        mode: (lambda text, mode=mode: retriever.search(text, k=10, mode=mode))
        for mode in ("bm25", "dense", "hybrid")
    }
    calls["plain"] = plain_search(client, name, collection, embedder)
    row.update(timed(calls, texts))
    row["load_average"] = os.getloadavg()[0]
    row["rss_mb"] = rss_mb()
    client.delete_collection(name)
    return row


def plain_search(client: Any, name: str, collection: Any, embedder: Any) -> Any:
    """LangChain's plain vector search over the same collection, or its raw Chroma equivalent."""
    try:
        from langchain_chroma import Chroma
    except ImportError:
        return lambda text: collection.query(query_embeddings=[embedder.embed_query(text)], n_results=10)
    store = Chroma(client=client, collection_name=name, embedding_function=embedder)
    return lambda text: store.similarity_search(text, k=10)


def markdown(rows: list[dict], plain_name: str) -> str:
    modes = ("bm25", "dense", "hybrid", "plain")
    lines = [
        f"plain = {plain_name}. Each cell: wall p50 / p95 ms (CPU p50 / p95 ms).",
        "",
        "| chunks | bm25 | dense | hybrid | plain | hybrid / plain p95 wall (CPU) | BM25 build s "
        "| BM25 load s | fingerprint check s | BM25 MB | RSS MB | load avg |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        cells = [f"{r['chunks']:,}"]
        for m in modes:
            cells.append(
                f"{r[m]['p50']:.1f} / {r[m]['p95']:.1f} ({r[m]['cpu_p50']:.1f} / {r[m]['cpu_p95']:.1f})"
            )
        ratio = r["hybrid"]["p95"] / r["plain"]["p95"]
        cpu_ratio = r["hybrid"]["cpu_p95"] / r["plain"]["cpu_p95"]
        cells.append(f"{ratio:.2f}x ({cpu_ratio:.2f}x)")
        cells += [f"{r['bm25_build_s']:.1f}", f"{r['bm25_load_s']:.2f}", f"{r['freshness_check_s']:.2f}"]
        cells += [f"{r['bm25_index_mb']:.0f}", f"{r['rss_mb']:.0f}", f"{r['load_average']:.1f}"]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000,100000", help="Comma list of chunk counts.")
    parser.add_argument("--queries", type=int, default=60, help="Timed queries per retriever and size.")
    parser.add_argument("--json", action="store_true", help="Print the figures as JSON too.")
    args = parser.parse_args()

    from indexing.embeddings import make_embedder
    from indexing.store import make_client

    try:
        import langchain_chroma  # noqa: F401

        plain_name = "LangChain Chroma.similarity_search"
    except ImportError:
        plain_name = "plain collection.query + embed_query"
    embedder = make_embedder()
    pool, texts = sentences(), queries(args.queries)
    rows = []
    with tempfile.TemporaryDirectory() as workdir:
        client = make_client(path=Path(workdir) / "chroma")
        for size in (int(s) for s in args.sizes.split(",")):
            started = time.perf_counter()
            row = bench_size(client, embedder, size, pool, texts, Path(workdir) / "cache")
            print(
                f"{size:,} chunks done in {time.perf_counter() - started:.0f} s", file=sys.stderr, flush=True
            )
            rows.append(row)
    print(markdown(rows, plain_name))
    if args.json:
        print(json.dumps(rows, indent=2))


if __name__ == "__main__":
    main()
