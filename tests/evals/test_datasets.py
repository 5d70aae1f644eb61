"""The BEIR-layout loader: good folders load, bad ones say which file and line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from evals.datasets import DatasetError, load_dataset, splits


def write(folder: Path, queries: list[dict], qrels: dict[str, str], corpus: list[dict] | None = None) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "queries.jsonl").write_text(
        "\n".join(json.dumps(q, ensure_ascii=False) for q in queries) + "\n"
    )
    (folder / "qrels").mkdir(exist_ok=True)
    for split, body in qrels.items():
        (folder / "qrels" / f"{split}.tsv").write_text("query-id\tcorpus-id\tscore\n" + body)
    if corpus is not None:
        (folder / "corpus.jsonl").write_text(
            "\n".join(json.dumps(d, ensure_ascii=False) for d in corpus) + "\n"
        )
    return folder


def test_loads_queries_of_the_split_with_relevant_qrels(tmp_path):
    folder = write(
        tmp_path / "ds",
        [{"_id": "q1", "text": "stolar"}, {"_id": "q2", "text": "datorer"}, {"_id": "q3", "text": "mat"}],
        {"dev": "q1\tMOB-TS-01\t1\nq1\tMOB-TS-02\t0\n", "test": "q2\tIT-TS-01\t2\n\nq3\tdoc#p3\t1\n"},
    )
    assert splits(folder) == ["dev", "test"]
    dev = load_dataset(folder, "dev")
    assert dev.queries == {"q1": "stolar"} and dev.qrels == {"q1": {"MOB-TS-01": 1}}  # score 0: not relevant
    assert dev.corpus is None and not dev.paged and dev.name == "ds"
    test = load_dataset(folder, "test")
    assert test.queries == {"q2": "datorer", "q3": "mat"} and test.paged


def test_corpus_is_read_when_present(tmp_path):
    folder = write(
        tmp_path / "ds", [{"_id": "q1", "text": "x"}], {"test": "q1\td1\t1\n"}, [{"_id": "d1", "text": "t"}]
    )
    corpus = load_dataset(folder).corpus
    assert corpus is not None and corpus[0].id == "d1" and corpus[0].title == ""


@pytest.mark.parametrize(
    "breakage, message",
    [
        (lambda f: (f / "qrels" / "test.tsv").unlink(), "split 'test' does not exist (splits: dev)"),
        (lambda f: (f / "queries.jsonl").unlink(), "queries.jsonl is missing"),
        (
            lambda f: (f / "queries.jsonl").write_text('{"_id": "q1"}\nnot json\n'),
            "queries.jsonl:2: not a JSON",
        ),
        (lambda f: (f / "qrels" / "test.tsv").write_text("q\td\n"), "the first line must be"),
        (
            lambda f: (f / "qrels" / "test.tsv").write_text("query-id\tcorpus-id\tscore\nq1\td1\n"),
            "test.tsv:2",
        ),
        (lambda f: (f / "qrels" / "test.tsv").write_text("query-id\tcorpus-id\tscore\nq9\td1\t1\n"), "q9"),
    ],
)
def test_bad_dataset_names_the_file(tmp_path, breakage, message):
    folder = write(
        tmp_path / "ds", [{"_id": "q1", "text": "x"}], {"test": "q1\td1\t1\n", "dev": "q1\td1\t1\n"}
    )
    breakage(folder)
    with pytest.raises(DatasetError, match=message.replace("(", r"\(").replace(")", r"\)")):
        load_dataset(folder, "test")


def test_missing_folder(tmp_path):
    with pytest.raises(DatasetError, match="does not exist"):
        load_dataset(tmp_path / "nowhere")
