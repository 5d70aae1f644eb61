"""`HybridRetriever` as a LangChain `BaseRetriever`, for LCEL chains and other LangChain tooling.

    retriever = CirklaRetriever(hybrid=HybridRetriever(collection, embedder), k=5, filters={"area": "it"})
    chain = retriever | RunnableLambda(format_docs)

Each `Document` carries the hit's text as `page_content` and its JSON form (`Hit.to_json`: rank, score,
ids, title, source, page and the clause fields) without the text as `metadata`.
"""

from __future__ import annotations

from typing import Any

from langchain_core.callbacks import CallbackManagerForRetrieverRun
from langchain_core.documents import Document
from langchain_core.retrievers import BaseRetriever

from assistant.hits import Hit
from assistant.retrieval import HybridRetriever


def hit_to_document(hit: Hit) -> Document:
    """One hit as a LangChain document: the text as content, everything else as metadata."""
    metadata = hit.to_json()
    text = metadata.pop("text")
    return Document(page_content=text, metadata=metadata, id=hit.chunk_id)


class CirklaRetriever(BaseRetriever):
    """Cirkla's hybrid search behind LangChain's retriever interface."""

    hybrid: HybridRetriever
    k: int = 10
    filters: dict[str, str] | None = None
    mode: str = "hybrid"

    def _get_relevant_documents(
        self, query: str, *, run_manager: CallbackManagerForRetrieverRun, **kwargs: Any
    ) -> list[Document]:
        hits = self.hybrid.search(
            query,
            k=kwargs.get("k", self.k),
            filters=kwargs.get("filters", self.filters),
            mode=kwargs.get("mode", self.mode),
        )
        return [hit_to_document(hit) for hit in hits]
