"""Documents -> `Chunk`s: a clause is one chunk; prose (already split on headings) is split by size.

A chunk id is `<doc_id>:<content-hash-12>:<n>`; the hash is the document's content (a clause's canonical JSON,
or the file's bytes), so an unchanged document keeps its ids and re-indexing is a set difference.
Metadata is made Chroma-safe here: str/int/float/bool or a list of str; `sources` becomes a JSON string.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable
from datetime import UTC, date, datetime
from typing import Any

from langchain_core.documents import Document
from langchain_text_splitters import RecursiveCharacterTextSplitter

from indexing.clause_model import clause_hash
from indexing.schema import Chunk

__all__ = ["clause_hash", "chunk_documents", "chroma_metadata", "content_hash", "embed_text", "make_splitter"]

CHUNK_SIZE = 1100
CHUNK_OVERLAP = 150
HASH_LENGTH = 12
_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_BARE_URL = re.compile(r"https?://\S+")


def content_hash(data: bytes) -> str:
    """The sha256 hex digest of some bytes (a file's content)."""
    return hashlib.sha256(data).hexdigest()


def make_splitter(
    chunk_size: int = CHUNK_SIZE, chunk_overlap: int = CHUNK_OVERLAP
) -> RecursiveCharacterTextSplitter:
    """The size splitter for prose: paragraphs, then lines, then sentences, then words."""
    return RecursiveCharacterTextSplitter(
        chunk_size=chunk_size,
        chunk_overlap=chunk_overlap,
        separators=["\n\n", "\n", ". ", "; ", ", ", " ", ""],
        keep_separator="end",
    )


def chunk_documents(
    documents: Iterable[Document],
    file_hash: str,
    indexed_at: str | None = None,
    splitter: RecursiveCharacterTextSplitter | None = None,
) -> list[Chunk]:
    """The chunks of one file's documents; `file_hash` is the file's content hash (see `content_hash`)."""
    splitter = splitter or make_splitter()
    indexed_at = indexed_at or datetime.now(UTC).isoformat(timespec="seconds")
    counters: dict[str, int] = {}
    drafts: list[tuple[str, str, str, dict[str, Any]]] = []
    for document in documents:
        meta = document.metadata
        doc_id = str(meta["doc_id"])
        if meta.get("kind") == "clause":
            pieces = [document.page_content.strip()]
            doc_hash = str(meta.get("clause_hash") or clause_hash(meta | {"text": document.page_content}))
        else:
            pieces = [piece.strip() for piece in splitter.split_text(document.page_content) if piece.strip()]
            doc_hash = file_hash
        for piece in pieces:
            number = counters.get(doc_id, 0)
            counters[doc_id] = number + 1
            chunk_id = f"{doc_id}:{doc_hash[:HASH_LENGTH]}:{number}"
            drafts.append((chunk_id, piece, embed_text(meta, piece), meta))
    return [
        Chunk(
            id=chunk_id,
            text=text,
            embed_text=embedded,
            metadata=chroma_metadata(
                meta,
                chunk_id=chunk_id,
                file_hash=file_hash,
                file_chunks=len(drafts),
                indexed_at=indexed_at,
            ),
        )
        for chunk_id, text, embedded, meta in drafts
    ]


def embed_text(meta: dict[str, Any], text: str) -> str:
    """What is embedded: title and section path first, then the text without link targets, then a clause's
    keywords (the everyday words for what it is about; docs/RETRIEVAL.md measures what they add)."""
    header = str(meta.get("title") or "")
    if meta.get("section"):
        header = f"{header} — {meta['section']}" if header else str(meta["section"])
    body = _BARE_URL.sub("", _LINK.sub(r"\1", text))
    keywords = meta.get("keywords")
    if isinstance(keywords, list) and keywords:
        body = f"{body}\n{', '.join(str(k) for k in keywords)}"
    return f"{header}\n{body}".strip()


def chroma_metadata(meta: dict[str, Any], **extra: Any) -> dict[str, Any]:
    """Metadata Chroma accepts: None dropped, `sources` and nested values as JSON, lists of str kept."""
    out: dict[str, Any] = {}
    for key, value in {**meta, **extra}.items():
        if key == "text" or value is None:
            continue
        if key == "sources" or isinstance(value, dict):
            out[key] = json.dumps(value, ensure_ascii=False, default=str)
        elif isinstance(value, bool | int | float | str):
            out[key] = value
        elif isinstance(value, datetime | date):
            out[key] = value.isoformat()
        elif isinstance(value, list | tuple) and all(isinstance(item, str) for item in value):
            if value:  # Chroma refuses empty lists
                out[key] = list(value)
        else:
            out[key] = json.dumps(value, ensure_ascii=False, default=str)
    return out
