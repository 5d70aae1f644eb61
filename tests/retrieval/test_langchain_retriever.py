"""The LangChain adapter in a small LCEL chain, over the real small collection."""

from __future__ import annotations

from langchain_core.documents import Document
from langchain_core.retrievers import BaseRetriever
from langchain_core.runnables import RunnableLambda

from assistant.langchain_retriever import CirklaRetriever
from assistant.retrieval import HybridRetriever


def test_retriever_in_an_lcel_chain(small_store, e5):
    _client, collection = small_store
    retriever = CirklaRetriever(hybrid=HybridRetriever(collection, e5), k=3)
    assert isinstance(retriever, BaseRetriever)

    chain = retriever | RunnableLambda(
        lambda docs: [(d.metadata["doc_id"], d.metadata["rank"]) for d in docs]
    )
    assert chain.invoke("reservdelar till kontorsstolar")[0] == ("MOB-TS-01", 1)

    docs = retriever.invoke("återtag", k=5, filters={"area": "it"}, mode="bm25")
    assert docs and all(isinstance(d, Document) for d in docs)
    first = docs[0]
    assert first.metadata["area"] == "it" and first.metadata["doc_id"] == "IT-SK-01"
    assert first.page_content.startswith("Leverantören ska ta emot")
    assert first.id == first.metadata["chunk_id"] and "text" not in first.metadata
    assert isinstance(first.metadata["score"], float) and first.metadata["rank"] == 1


def test_batch_runs_queries_independently(small_store, e5):
    _client, collection = small_store
    retriever = CirklaRetriever(hybrid=HybridRetriever(collection, e5), k=1, mode="dense")
    results = retriever.batch(["matsvinn", "batteri i bärbara datorer"])
    assert [docs[0].metadata["doc_id"] for docs in results] == ["LIV-SK-01", "IT-TS-01"]
