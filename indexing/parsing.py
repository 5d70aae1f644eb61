"""One file -> its chunks, in this process: the loader its extension names, then chunking.

`indexing.worker.ParseWorker` runs the same `parse_file` in a child process with time and memory limits.
"""

from __future__ import annotations

from pathlib import Path

from indexing.chunking import chunk_documents, content_hash
from indexing.errors import LoadError
from indexing.loaders import LOADERS, load_file
from indexing.schema import Chunk, CorpusRoot

SUFFIXES = frozenset(LOADERS)


def indexable(path: Path) -> bool:
    """Whether a corpus walk should hand this file to `parse_file` (YAML only as clauses in `clauses/`)."""
    if path.name.startswith((".", "~$")):  # hidden files, editor backups and Word lock files
        return False
    suffix = path.suffix.lower()
    if suffix in (".yaml", ".yml"):
        return path.parent.name == "clauses"
    return suffix in SUFFIXES


def parse_file(path: Path, root: CorpusRoot) -> list[Chunk]:
    """The chunks of one file, `source` relative to `root.path`; an unreadable file is a `LoadError`."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise LoadError(str(path), "file vanished") from None
    except IsADirectoryError:
        raise LoadError(str(path), "is a folder, not a file") from None
    except PermissionError:
        raise LoadError(str(path), "permission denied; check the file's access rights") from None
    documents = load_file(path, root, data)
    chunks = chunk_documents(documents, content_hash(data))
    if not chunks:
        raise LoadError(str(path), "no text found in the file")
    return chunks
