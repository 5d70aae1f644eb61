"""`cirkla eval` on a tiny BEIR folder with its own corpus: indexed once into a cached collection, scored."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from assistant.cli import cli
from assistant.hits import Hit
from evals.datasets import load_dataset
from evals.runner import corpus_collection, eval_cache, ranking

CORPUS = [
    (
        "stol-reservdelar",
        "Reservdelar till kontorsstolar",
        "Leverantören ska kunna leverera reservdelar till "
        "kontorsstolar i minst tio år, till exempel gaslyftar, hjul och armstöd.",
    ),
    (
        "dator-batteri",
        "Utbytbart batteri",
        "Bärbara datorer ska ha ett batteri som kan bytas utan specialverktyg.",
    ),
    (
        "textil-lagning",
        "Lagning av arbetskläder",
        "Leverantören ska erbjuda lagning av trasiga arbetskläder.",
    ),
    ("matsvinn", "Mätning av matsvinn", "Kökets matsvinn ska vägas och rapporteras varje månad."),
    (
        "bygg-inventering",
        "Återbruksinventering",
        "Före rivning ska byggnaden inventeras på byggdelar som kan "
        "återbrukas, som dörrar, innerväggar och armaturer.",
    ),
    ("lou-lcc", "Livscykelkostnad", "En upphandlande myndighet får utvärdera anbud efter livscykelkostnad."),
]
QUERIES = [
    ("q1", "Vilka krav kan vi ställa på reservdelar för kontorsstolar?", "stol-reservdelar"),
    ("q2", "laptop with a replaceable battery", "dator-batteri"),
    ("q3", "Hur följer vi upp matsvinn i skolköket?", "matsvinn"),
    ("q4", "inventering av byggdelar före rivning", "bygg-inventering"),
]


@pytest.fixture
def tiny_beir(tmp_path: Path) -> Path:
    folder = tmp_path / "tiny-sv"
    (folder / "qrels").mkdir(parents=True)
    lines = [json.dumps({"_id": i, "title": t, "text": x}, ensure_ascii=False) for i, t, x in CORPUS]
    (folder / "corpus.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    lines = [json.dumps({"_id": q, "text": text}, ensure_ascii=False) for q, text, _ in QUERIES]
    (folder / "queries.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    qrels = "".join(f"{q}\t{doc}\t1\n" for q, _, doc in QUERIES)
    (folder / "qrels" / "test.tsv").write_text("query-id\tcorpus-id\tscore\n" + qrels, encoding="utf-8")
    return folder


class CountingEmbedder:
    """The real embedder, counting the passages it embeds."""

    def __init__(self, inner):
        self.inner, self.name, self.dimension, self.passages = inner, inner.name, inner.dimension, 0

    def embed_documents(self, texts):
        self.passages += len(texts)
        return self.inner.embed_documents(texts)

    def embed_query(self, text):
        return self.inner.embed_query(text)


def test_dataset_corpus_is_embedded_once(tiny_beir, tmp_path, e5):
    from indexing.store import make_client

    dataset = load_dataset(tiny_beir)
    client = make_client(path=eval_cache(tmp_path / "cache"))
    spy = CountingEmbedder(e5)
    first = corpus_collection(dataset, spy, client)
    assert first.count() == len(CORPUS) and spy.passages == len(CORPUS)
    again = corpus_collection(dataset, spy, client)
    assert again.count() == len(CORPUS) and spy.passages == len(CORPUS)  # nothing re-embedded


def test_long_dataset_documents_are_chunked_and_found_by_their_end(tmp_path, e5):
    """A document longer than the model's window is embedded in chunks, so dense search finds what its end
    says; the chunks count as their document in the ranking."""
    from assistant.retrieval import HybridRetriever
    from indexing.store import make_client

    filler = " ".join(
        f"Avsnitt {n} beskriver hur avtalet om konsulttjänster ska faktureras och attesteras varje månad."
        for n in range(60)
    )  # about 5,800 characters: far past the 512 tokens the model reads of one passage
    tail = "Till sist ska leverantören ta tillbaka uttjänta mobiltelefoner och rapportera hur de återbrukats."
    folder = tmp_path / "long-sv"
    (folder / "qrels").mkdir(parents=True)
    docs = [{"_id": "lang", "title": "Avtalsvillkor", "text": f"{filler} {tail}"}]
    docs += [{"_id": i, "title": t, "text": x} for i, t, x in CORPUS]
    # a short document on the same product that does not answer: it wins where the long one's end is unseen
    docs.append({"_id": "mobil", "title": "Mobiltelefoner", "text": "Mobiltelefoner ska ha ett skärmskydd."})
    (folder / "corpus.jsonl").write_text("".join(json.dumps(d, ensure_ascii=False) + "\n" for d in docs), "utf-8")
    query = {"_id": "q1", "text": "återtag av gamla mobiltelefoner med rapport om återbruk"}
    (folder / "queries.jsonl").write_text(json.dumps(query, ensure_ascii=False) + "\n", encoding="utf-8")
    (folder / "qrels" / "test.tsv").write_text("query-id\tcorpus-id\tscore\nq1\tlang\t1\n", encoding="utf-8")

    dataset = load_dataset(folder)
    collection = corpus_collection(dataset, e5, make_client(path=tmp_path / "store"))
    chunks = collection.get(where={"doc_id": "lang"}, include=["documents"])
    assert len(chunks["ids"]) >= 5 and all(i.startswith("lang#c") for i in chunks["ids"])
    assert any(tail in text for text in chunks["documents"])
    assert collection.count() == len(chunks["ids"]) + len(CORPUS) + 1  # short documents stay one chunk each
    hits = HybridRetriever(collection, e5).search(query["text"], k=9, mode="dense")
    assert ranking(hits, paged=False)[0] == "lang"


def test_cli_eval_json_report_and_cache(tiny_beir, tmp_path):
    report = tmp_path / "report"
    args = ["eval", "--dataset", str(tiny_beir), "--json", "--report", str(report)]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["dataset"] == "tiny-sv" and data["split"] == "test" and data["queries"] == 4
    assert set(data["retrievers"]) == {"bm25", "dense", "hybrid"}
    hybrid = data["retrievers"]["hybrid"]
    assert hybrid["metrics"]["recall@5"] == 1.0 and hybrid["metrics"]["mrr@10"] >= 0.75
    assert set(hybrid["metrics"]) == {"recall@1", "recall@3", "recall@5", "recall@10", "mrr@10", "ndcg@10"}
    assert set(hybrid["latency_ms"]) == {"p50", "p95"}
    assert data["missed"]["hybrid"] == []
    markdown = (report / "report.md").read_text(encoding="utf-8")
    assert "| hybrid |" in markdown and "Missed by bm25" in markdown
    assert (report / "recall.png").read_bytes()[:4] == b"\x89PNG"
    assert json.loads((report / "report.json").read_text())["per_query"]["dense"][0]["query_id"] == "q1"

    # the second run finds the indexed corpus in the cache: one eval collection, same scores
    again = CliRunner().invoke(cli, ["eval", "--dataset", str(tiny_beir), "--retriever", "hybrid", "--json"])
    assert again.exit_code == 0, again.output
    assert json.loads(again.stdout)["retrievers"]["hybrid"]["metrics"] == hybrid["metrics"]


def test_cli_eval_thresholds_and_bad_values(tiny_beir):
    runner = CliRunner()
    base = ["eval", "--dataset", str(tiny_beir), "--retriever", "hybrid"]
    ok = runner.invoke(cli, [*base, "--min-recall5", "0.5", "--min-mrr", "0.5"])
    assert ok.exit_code == 0, ok.output
    assert "| hybrid |" in ok.output
    failed = runner.invoke(cli, [*base, "--min-recall5", "1.01", "--json"])
    assert failed.exit_code == 1
    assert "below threshold: hybrid: recall@5 1.000 is below 1.010" in failed.output
    bad = runner.invoke(cli, ["eval", "--dataset", str(tiny_beir), "--retriever", "bm25,sparse"])
    assert bad.exit_code == 1 and bad.output.strip() == (
        "cirkla: error: unknown retriever sparse: use a comma list of hybrid, dense, bm25"
    )
    missing = runner.invoke(cli, ["eval", "--dataset", str(tiny_beir), "--split", "dev"])
    assert missing.exit_code == 1 and "split 'dev' does not exist (splits: test)" in missing.output


def test_paged_rankings_name_pages():
    hits = [
        Hit(1, 0.9, "a:0", "", {"doc_id": "a", "page": 3}),
        Hit(2, 0.8, "a:1", "", {"doc_id": "a", "page": 3}),
        Hit(3, 0.7, "a:2", "", {"doc_id": "a", "page": 4}),
        Hit(4, 0.6, "b:0", "", {"doc_id": "b"}),
    ]
    assert ranking(hits, paged=True) == ["a#p3", "a#p4", "b"]
    assert ranking(hits, paged=False) == ["a", "b"]
