"""Cirkla's exceptions. Every error a user can cause is a `CirklaError` with a message that says what to do.

    CirklaError
    ├── ConfigError            a setting or argument has a value that cannot work
    ├── StoreError             the vector store cannot be reached or used
    │   ├── EmbedderMismatch   the collection was built by another embedder
    │   └── IndexBusy          another process is writing the embedded store
    ├── LoadError              one file could not be turned into documents (reported, then skipped)
    └── CorpusError            the clause library or a guidance note breaks the corpus schema
"""


class CirklaError(Exception):
    """Base class of every error Cirkla reports to a user."""


class ConfigError(CirklaError):
    """A setting or argument has a value that cannot work."""


class StoreError(CirklaError):
    """The vector store cannot be reached or used."""


class EmbedderMismatch(StoreError):
    """The collection was built with another embedder or dimension than the one configured."""


class IndexBusy(StoreError):
    """Another process holds the embedded store's write lock."""


class LoadError(CirklaError):
    """One file could not be turned into documents; it is reported by name and skipped."""

    def __init__(self, path: str, reason: str):
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason


class CorpusError(CirklaError):
    """The clause library or a guidance note breaks the corpus schema."""
