"""Fusing ranked lists from several retrievers into one. Each input is [(chunk_id, score), ...] best first.

Ties in the output are broken by chunk id, so the same inputs always give the same order.
The default is `minmax` with equal weights: on every dataset measured it was at least as good as the better
single retriever, where reciprocal rank fusion fell below BM25 or dense on two of three (docs/RETRIEVAL.md).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

Ranked = Sequence[tuple[str, float]]

RRF_K = 60  # Cormack, Clarke & Büttcher (SIGIR 2009); flat enough that no single list dominates


@dataclass(frozen=True)
class Fusion:
    """How to fuse: `method` is `rrf` (reciprocal rank) or `minmax` (min-max normalised scores, summed);
    `weights` multiply each input list's contribution, in the order the lists are given."""

    method: str = "minmax"
    weights: tuple[float, ...] = (0.5, 0.5)
    k: int = RRF_K

    def __call__(self, lists: Sequence[Ranked]) -> list[tuple[str, float]]:
        if self.method == "rrf":
            return rrf(lists, self.weights, self.k)
        if self.method == "minmax":
            return minmax(lists, self.weights)
        raise ValueError(f"unknown fusion method {self.method!r}: use 'rrf' or 'minmax'")


def _ordered(scores: dict[str, float]) -> list[tuple[str, float]]:
    return sorted(scores.items(), key=lambda item: (-item[1], item[0]))


def rrf(lists: Sequence[Ranked], weights: Sequence[float] = (), k: int = RRF_K) -> list[tuple[str, float]]:
    """Reciprocal rank fusion: score(d) = sum over lists of weight / (k + rank of d in that list).

    Ranks start at 1; items with equal scores in a list share the rank of the first of them (1, 2, 2, 4),
    so an input tie stays a tie.
    """
    fused: dict[str, float] = {}
    for n, ranked in enumerate(lists):
        weight = weights[n] if n < len(weights) else 1.0
        rank, previous = 0, None
        for position, (chunk_id, score) in enumerate(ranked, start=1):
            if score != previous:
                rank, previous = position, score
            fused[chunk_id] = fused.get(chunk_id, 0.0) + weight / (k + rank)
    return _ordered(fused)


def minmax(lists: Sequence[Ranked], weights: Sequence[float] = ()) -> list[tuple[str, float]]:
    """Each list's scores scaled to [0, 1] (best 1, worst 0; a one-item list gives 1), weighted and summed."""
    fused: dict[str, float] = {}
    for n, ranked in enumerate(lists):
        if not ranked:
            continue
        weight = weights[n] if n < len(weights) else 1.0
        values = [score for _id, score in ranked]
        low, high = min(values), max(values)
        span = high - low
        for chunk_id, score in ranked:
            scaled = (score - low) / span if span > 0 else 1.0
            fused[chunk_id] = fused.get(chunk_id, 0.0) + weight * scaled
    return _ordered(fused)
