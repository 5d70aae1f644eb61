"""Ranking metrics for one query, the way BEIR, pytrec_eval and ranx define them, and latency percentiles.

`ranked` is the system's list of ids, best first, without duplicates; `relevant` maps each relevant id to its
graded relevance (> 0). Written here rather than taken from ranx: ranx's numba functions cost about 30 s of
JIT compilation on a fresh machine (measured: first `evaluate` call 32.8 s, later runs 4.4 s), more than a
whole eval of this project's datasets.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

CUTOFFS = (1, 3, 5, 10)


def recall_at(ranked: Sequence[str], relevant: Mapping[str, int], k: int) -> float:
    """Share of the relevant ids found in the first `k`."""
    if not relevant:
        return 0.0
    return sum(1 for doc in ranked[:k] if doc in relevant) / len(relevant)


def reciprocal_rank(ranked: Sequence[str], relevant: Mapping[str, int], k: int = 10) -> float:
    """1 / rank of the first relevant id in the first `k`, 0 when none is there."""
    for rank, doc in enumerate(ranked[:k], start=1):
        if doc in relevant:
            return 1.0 / rank
    return 0.0


def ndcg_at(ranked: Sequence[str], relevant: Mapping[str, int], k: int = 10) -> float:
    """nDCG@k with linear gains: DCG = sum rel_i / log2(i + 1), divided by the DCG of the ideal order."""
    dcg = sum(relevant.get(doc, 0) / math.log2(rank + 1) for rank, doc in enumerate(ranked[:k], start=1))
    ideal = sorted(relevant.values(), reverse=True)[:k]
    idcg = sum(gain / math.log2(rank + 1) for rank, gain in enumerate(ideal, start=1))
    return dcg / idcg if idcg > 0 else 0.0


def query_metrics(ranked: Sequence[str], relevant: Mapping[str, int], k: int = 10) -> dict[str, float]:
    """Recall@1/3/5/10 (cut-offs above `k` left out), MRR@k and nDCG@k of one query."""
    out = {f"recall@{c}": recall_at(ranked, relevant, c) for c in CUTOFFS if c <= k}
    out[f"mrr@{k}"] = reciprocal_rank(ranked, relevant, k)
    out[f"ndcg@{k}"] = ndcg_at(ranked, relevant, k)
    return out


def mean_metrics(per_query: Sequence[Mapping[str, float]]) -> dict[str, float]:
    """The mean of each metric over queries (every query counts, also those with nothing found)."""
    if not per_query:
        return {}
    names = list(per_query[0])
    return {name: sum(q[name] for q in per_query) / len(per_query) for name in names}


def percentile(values: Sequence[float], p: float) -> float:
    """The `p`-th percentile (0-100), linear between the two nearest ranks (numpy's default)."""
    if not values:
        return 0.0
    ordered = sorted(values)
    position = (len(ordered) - 1) * p / 100
    low = math.floor(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def dedupe(ids: Sequence[str]) -> list[str]:
    """`ids` with later repeats dropped (first occurrence kept)."""
    return list(dict.fromkeys(ids))
