"""The report lists every missed query with what came first instead; thresholds name the retriever."""

from __future__ import annotations

import json

from evals.report import markdown, write_report
from evals.runner import EvalResult, ModeResult, QueryResult, below, missed


def result() -> EvalResult:
    found = QueryResult("q1", ["d1", "d2"], {"recall@5": 1.0, "mrr@10": 1.0}, 0.01, [("d1", "Stolar")])
    late = QueryResult(
        "q2",
        ["d3", "d4", "d5", "d6", "d7", "d9"],
        {"recall@5": 0.0, "mrr@10": 1 / 6},
        0.02,
        [("d3", "Datorer"), ("d4", "Möbler | inredning"), ("d5", "Textil"), ("d6", "Mat"), ("d7", "Bilar")],
    )
    metrics = {
        "recall@1": 0.5,
        "recall@3": 0.5,
        "recall@5": 0.5,
        "recall@10": 1.0,
        "mrr@10": 0.583,
        "ndcg@10": 0.6,
    }
    mode = ModeResult("hybrid", metrics, {"p50": 15.0, "p95": 20.0}, [found, late])
    queries = {"q1": "stolar", "q2": "vilken dator | laptop?"}
    return EvalResult("tiny", "test", 10, queries, {"q1": {"d1": 1}, "q2": {"d9": 2}}, [mode])


def test_missed_lists_the_query_its_rank_and_what_came_first():
    rows = missed(result(), "hybrid")
    assert rows == [
        {
            "query_id": "q2",
            "query": "vilken dator | laptop?",
            "relevant": ["d9"],
            "rank": 6,
            "instead": [
                {"doc_id": "d3", "title": "Datorer"},
                {"doc_id": "d4", "title": "Möbler | inredning"},
                {"doc_id": "d5", "title": "Textil"},
            ],
        }
    ]


def test_markdown_escapes_pipes_and_shows_the_table(tmp_path):
    text = markdown(result())
    assert "| hybrid | 0.500 | 0.500 | 0.500 | 1.000 | 0.583 | 0.600 | 15.0 | 20.0 | 1 |" in text
    assert (
        "q2: vilken dator \\| laptop? | d9 | 6 | d3 (Datorer); d4 (Möbler / inredning); d5 (Textil) |" in text
    )
    paths = write_report(result(), tmp_path / "out")
    assert [p.name for p in paths] == ["report.md", "report.json", "recall.png"]
    data = json.loads(paths[1].read_text(encoding="utf-8"))
    assert data["missed"]["hybrid"][0]["rank"] == 6 and data["per_query"]["hybrid"][1]["ms"] == 20.0


def test_thresholds_name_retriever_and_metric():
    assert below(result(), 0.4, 0.5) == []
    assert below(result(), 0.6, 0.6) == [
        "hybrid: recall@5 0.500 is below 0.600",
        "hybrid: mrr@10 0.583 is below 0.600",
    ]
