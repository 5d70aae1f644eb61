"""Metric values worked out by hand; the two-query example was also checked against ranx 0.3.21."""

import math

import pytest

from evals.metrics import dedupe, mean_metrics, ndcg_at, percentile, query_metrics, recall_at, reciprocal_rank


def test_one_query_binary_relevance():
    ranked = ["d4", "d1", "d5", "d2", "d6"]
    relevant = {"d1": 1, "d2": 1}
    # d1 at rank 2, d2 at rank 4
    assert recall_at(ranked, relevant, 1) == 0.0  # 0 of 2
    assert recall_at(ranked, relevant, 3) == 0.5  # 1 of 2
    assert recall_at(ranked, relevant, 5) == 1.0  # 2 of 2
    assert reciprocal_rank(ranked, relevant, 10) == 0.5  # first relevant at rank 2
    assert reciprocal_rank(ranked, relevant, 1) == 0.0  # not within the cut-off
    # DCG = 1/log2(3) + 1/log2(5) = 0.630930 + 0.430677 = 1.061606
    # IDCG = 1/log2(2) + 1/log2(3) = 1 + 0.630930 = 1.630930;  nDCG = 1.061606 / 1.630930 = 0.650921
    assert ndcg_at(ranked, relevant, 10) == pytest.approx(0.650921, abs=1e-6)


def test_graded_ndcg():
    # a is grade 2, b grade 1, ranked b then a
    # DCG = 1/log2(2) + 2/log2(3) = 1 + 1.261860 = 2.261860; IDCG = 2/log2(2) + 1/log2(3) = 2.630930
    assert ndcg_at(["b", "a"], {"a": 2, "b": 1}, 10) == pytest.approx(2.261860 / 2.630930, abs=1e-6)
    assert ndcg_at(["x"], {"a": 1}, 10) == 0.0


def test_mean_over_queries_matches_ranx():
    # q1: relevant d1, d2; ranked d1, d4, d2.  q2: relevant d3; ranked d5, d3.
    q1 = query_metrics(["d1", "d4", "d2"], {"d1": 1, "d2": 1}, 10)
    q2 = query_metrics(["d5", "d3"], {"d3": 1}, 10)
    mean = mean_metrics([q1, q2])
    assert mean["recall@1"] == 0.25  # (1/2 + 0) / 2
    assert mean["recall@3"] == 1.0  # (2/2 + 1/1) / 2
    assert mean["mrr@10"] == 0.75  # (1/1 + 1/2) / 2
    # q1: DCG = 1 + 1/log2(4) = 1.5, IDCG = 1 + 1/log2(3) = 1.630930 -> 0.919721
    # q2: DCG = 1/log2(3) = 0.630930, IDCG = 1 -> 0.630930;  mean = 0.775325 (ranx: 0.7753252713598225)
    assert mean["ndcg@10"] == pytest.approx(0.7753252713598225, abs=1e-12)
    assert set(q1) == {"recall@1", "recall@3", "recall@5", "recall@10", "mrr@10", "ndcg@10"}
    assert set(query_metrics([], {"a": 1}, 3)) == {"recall@1", "recall@3", "mrr@3", "ndcg@3"}


def test_percentile_interpolates_like_numpy():
    values = [40.0, 10.0, 30.0, 20.0]
    # sorted 10, 20, 30, 40; p50 at position 1.5 -> 20 + 0.5 * 10 = 25; p95 at 2.85 -> 30 + 0.85 * 10 = 38.5
    assert percentile(values, 50) == 25.0
    assert math.isclose(percentile(values, 95), 38.5)
    assert percentile([7.0], 95) == 7.0 and percentile([], 50) == 0.0


def test_dedupe_keeps_first_occurrence():
    assert dedupe(["a", "b", "a", "c", "b"]) == ["a", "b", "c"]
