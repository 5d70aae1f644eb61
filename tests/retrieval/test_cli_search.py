"""`cirkla search` against a collection indexed where the settings point."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner
from small_corpus import CHUNKS, fill

from assistant.cli import cli


@pytest.fixture
def indexed(e5):
    """The small corpus in the configured collection (the settings point into this test's tmp_path)."""
    from assistant.settings import Settings
    from indexing.store import make_client, open_collection

    settings = Settings()
    client = make_client(path=settings.chroma_path)
    collection = open_collection(client, settings.collection, e5.name, e5.dimension)
    fill(collection, e5, CHUNKS)
    return settings


def run(*args: str):
    return CliRunner().invoke(cli, ["search", *args])


def test_search_json_has_the_hit_fields(indexed):
    result = run("reservdelar till kontorsstolar", "-k", "3", "--json")
    assert result.exit_code == 0, result.output
    hits = json.loads(result.stdout)
    assert [h["rank"] for h in hits] == [1, 2, 3]
    first = hits[0]
    assert first["clause_id"] == "MOB-TS-01" and first["area"] == "mobler"
    for key in ("score", "doc_id", "chunk_id", "title", "source", "page", "text", "type", "level"):
        assert key in first


def test_search_filters_and_retriever(indexed):
    args = ["--area", "it", "--type", "teknisk_specifikation", "--retriever", "bm25", "--json"]
    result = run("leverantören", *args)
    assert result.exit_code == 0, result.output
    hits = json.loads(result.stdout)
    assert hits and {(h["area"], h["type"]) for h in hits} == {("it", "teknisk_specifikation")}
    guidance = json.loads(run("möbler", "--kind", "guidance", "--level", "bas", "--json").stdout)
    assert guidance == []  # guidance has no level: the two filters together match nothing


def test_search_table_is_readable(indexed):
    result = run("matsvinn", "-k", "2")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].split()[:3] == ["1", lines[0].split()[1], "LIV-SK-01"]
    assert "Matsvinn" in lines[0] and "corpus/LIV-SK-01" in lines[1]


@pytest.mark.parametrize(
    "args, message",
    [
        (["--type", "krav"], "--type 'krav' is not one of"),
        (["--level", "hög"], "--level 'hög' is not one of"),
        (["--kind", "pdf"], "--kind 'pdf' is not one of"),
        (["--retriever", "sparse"], "--retriever 'sparse' is not one of"),
        (["--area", "rymden"], "--area 'rymden' is not an area of the index; areas: it, livsmedel, mobler"),
        (["-k", "0"], "-k must be at least 1"),
    ],
)
def test_bad_option_values_are_one_line(indexed, args, message):
    result = CliRunner().invoke(cli, ["search", "stol", *args])
    assert result.exit_code == 1
    assert result.output.count("\n") == 1 and message in result.output


def test_search_before_indexing_says_what_to_do():
    result = run("stol")
    assert result.exit_code == 1
    assert "cirkla index" in result.output and result.output.count("\n") == 1


def test_eval_without_corpus_uses_the_indexed_collection(indexed, tmp_path):
    folder = tmp_path / "gold"
    (folder / "qrels").mkdir(parents=True)
    (folder / "queries.jsonl").write_text('{"_id": "q1", "text": "matsvinn i skolor"}\n', encoding="utf-8")
    (folder / "qrels" / "dev.tsv").write_text("query-id\tcorpus-id\tscore\nq1\tLIV-SK-01\t1\n")
    result = CliRunner().invoke(cli, ["eval", "--dataset", str(folder), "--split", "dev", "--json"])
    assert result.exit_code == 0, result.output
    metrics = json.loads(result.stdout)["retrievers"]["hybrid"]["metrics"]
    assert metrics["recall@1"] == 1.0 and metrics["mrr@10"] == 1.0
