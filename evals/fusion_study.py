"""Compare fusion methods and the single retrievers on a dataset split (the figures in docs/RETRIEVAL.md).

    .venv/bin/python evals/fusion_study.py [--dataset DIR] [--split dev] [--depth 50]

Each query's BM25 and dense lists (each `depth` chunks deep) are computed once, then fused by every
candidate method; the fused chunk list is scored like `cirkla eval` scores a ranking (doc ids, first
occurrence). Without a corpus.jsonl the shipped corpus is indexed into a temporary store first.
Tune on dev only: the test split is for reporting.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as a script from a checkout
    sys.path.insert(0, str(ROOT))

from assistant.fusion import Fusion  # noqa: E402
from assistant.hits import Hit  # noqa: E402
from assistant.retrieval import HybridRetriever  # noqa: E402
from evals.datasets import DEFAULT_DATASET, Dataset, load_dataset  # noqa: E402
from evals.metrics import mean_metrics, query_metrics  # noqa: E402
from evals.runner import ranking  # noqa: E402

CANDIDATES = {
    "rrf k=60": Fusion("rrf", (1.0, 1.0), 60),
    "rrf k=20": Fusion("rrf", (1.0, 1.0), 20),
    "rrf k=10": Fusion("rrf", (1.0, 1.0), 10),
    "rrf k=100": Fusion("rrf", (1.0, 1.0), 100),
    "rrf k=60 bm25x0.5": Fusion("rrf", (0.5, 1.0), 60),
    "rrf k=60 bm25x2": Fusion("rrf", (2.0, 1.0), 60),
    "minmax 0.5/0.5": Fusion("minmax", (0.5, 0.5)),
    "minmax 0.4/0.6": Fusion("minmax", (0.4, 0.6)),
    "minmax 0.3/0.7": Fusion("minmax", (0.3, 0.7)),
    "minmax 0.7/0.3": Fusion("minmax", (0.7, 0.3)),
}


def open_store(dataset: Dataset, workdir: Path):
    """(collection, embedder) holding the dataset's corpus, or the shipped corpus when it has none."""
    from indexing.embeddings import make_embedder
    from indexing.store import make_client, open_collection

    embedder = make_embedder()
    client = make_client(path=workdir / "chroma")
    if dataset.corpus is not None:
        from evals.runner import corpus_collection

        return corpus_collection(dataset, embedder, client), embedder
    from indexing.schema import CorpusRoot
    from indexing.sync import sync_corpus

    collection = open_collection(client, "corpus", embedder.name, embedder.dimension)
    sync_corpus(collection, embedder, [CorpusRoot("corpus", ROOT / "corpus")])
    return collection, embedder


def study(retriever: HybridRetriever, dataset: Dataset, depth: int = 50, k: int = 10) -> dict[str, dict]:
    """Mean metrics of bm25, dense and every fusion candidate on `dataset`."""
    paged = dataset.paged
    per_method: dict[str, list[dict[str, float]]] = {}
    for query_id, text in dataset.queries.items():
        lists = {mode: retriever.search(text, k=depth, mode=mode) for mode in ("bm25", "dense")}
        by_id: dict[str, Hit] = {h.chunk_id: h for hits in lists.values() for h in hits}
        rankings = {mode: ranking(hits, paged) for mode, hits in lists.items()}
        pairs = [[(h.chunk_id, h.score) for h in lists[mode]] for mode in ("bm25", "dense")]
        for name, fusion in CANDIDATES.items():
            fused = [by_id[chunk_id] for chunk_id, _score in fusion(pairs)]
            rankings[name] = ranking(fused, paged)
        for name, ranked in rankings.items():
            per_method.setdefault(name, []).append(query_metrics(ranked[:k], dataset.qrels[query_id], k))
    return {name: mean_metrics(rows) for name, rows in per_method.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dataset", type=Path, default=DEFAULT_DATASET)
    parser.add_argument("--split", default="dev")
    parser.add_argument("--depth", type=int, default=50)
    parser.add_argument(
        "--store", type=Path, help="Keep the embedded store here (synced, reused across runs)."
    )
    args = parser.parse_args()
    dataset = load_dataset(args.dataset, args.split)
    with tempfile.TemporaryDirectory() as workdir:
        collection, embedder = open_store(dataset, args.store or Path(workdir))
        retriever = HybridRetriever(collection, embedder)
        results = study(retriever, dataset, args.depth)
    print(f"{dataset.name} ({args.split}), {len(dataset.queries)} queries, lists {args.depth} deep\n")
    print("| method | R@1 | R@5 | R@10 | MRR@10 | nDCG@10 |\n|---|---|---|---|---|---|")
    for name, m in results.items():
        cells = [m["recall@1"], m["recall@5"], m["recall@10"], m["mrr@10"], m["ndcg@10"]]
        print(f"| {name} | " + " | ".join(f"{v:.3f}" for v in cells) + " |")


if __name__ == "__main__":
    main()
