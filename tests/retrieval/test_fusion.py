"""Fusion arithmetic, worked out by hand."""

from assistant.fusion import Fusion, minmax, rrf


def test_rrf_sums_reciprocal_ranks_and_breaks_ties_by_id():
    bm25 = [("a", 9.0), ("b", 5.0)]
    dense = [("b", 0.9), ("c", 0.8)]
    fused = dict(rrf([bm25, dense], k=60))
    # a: 1/61 = 0.016393; b: 1/62 + 1/61 = 0.016129 + 0.016393 = 0.032522; c: 1/62 = 0.016129
    assert fused["a"] == 1 / 61
    assert fused["b"] == 1 / 62 + 1 / 61
    assert fused["c"] == 1 / 62
    assert [cid for cid, _ in rrf([bm25, dense])] == ["b", "a", "c"]
    # x and y are tied (each first in one list): ordered by id
    assert [cid for cid, _ in rrf([[("y", 1.0)], [("x", 1.0)]])] == ["x", "y"]


def test_rrf_gives_tied_scores_one_rank():
    fused = dict(rrf([[("a", 2.0), ("b", 1.0), ("c", 1.0), ("d", 0.5)]], k=60))
    # competition ranks 1, 2, 2, 4: a 1/61, b and c 1/62, d 1/64
    assert fused == {"a": 1 / 61, "b": 1 / 62, "c": 1 / 62, "d": 1 / 64}


def test_weighted_rrf():
    fused = dict(rrf([[("a", 1.0)], [("b", 1.0)]], weights=(2.0, 1.0), k=60))
    # a: 2/61 = 0.032787; b: 1/61 = 0.016393
    assert fused == {"a": 2 / 61, "b": 1 / 61}


def test_minmax_scales_each_list_then_sums():
    bm25 = [("a", 10.0), ("b", 6.0), ("c", 2.0)]
    dense = [("c", 0.9), ("a", 0.7)]
    fused = dict(minmax([bm25, dense]))
    # bm25 scaled: a (10-2)/8 = 1, b (6-2)/8 = 0.5, c 0; dense scaled: c (0.9-0.7)/0.2 = 1, a 0
    assert fused == {"a": 1.0, "b": 0.5, "c": 1.0}
    assert [cid for cid, _ in Fusion("minmax")([bm25, dense])] == ["a", "c", "b"]
    # a one-item list scales to 1
    assert dict(minmax([[("z", 3.0)]])) == {"z": 1.0}
