"""What a chunk is, and the metadata every chunk carries in the store.

Every chunk's metadata has: `doc_id`, `chunk_id`, `title`, `source` (path relative to its corpus root),
`section` (heading path, " > "-joined, may be ""), `kind` (`clause` | `guidance` | `document`), `page` (int; the key
is absent when the document has no pages), `file_hash` (content hash of the source file), `file_chunks` (how many
chunks the whole source file produced: a file is fully indexed when that many chunks with its hash are present),
`indexed_at` (ISO 8601, UTC), `root` (name of the corpus root: "corpus" for the bundled corpus, "documents" for
staff documents).

Clause chunks add the clause fields: `clause_id`, `area`, `group`, `type`, `level`, `strategies` and
`keywords` (lists of str; keywords only where the clause has them); `text` is the chunk's document;
`verification`, `rationale`, `sources` (JSON string of the clause's source list).
Guidance chunks may carry `area` (from the note's front matter) and `sources` (JSON string).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

KINDS = ("clause", "guidance", "document")
TYPES = ("kvalificeringskrav", "teknisk_specifikation", "tilldelningskriterium", "sarskilt_kontraktsvillkor")
LEVELS = ("bas", "avancerad", "spjutspets")


@dataclass(frozen=True)
class Chunk:
    """One unit of retrieval: `text` is shown to people, `embed_text` (title and section first) is embedded."""

    id: str
    text: str
    embed_text: str
    metadata: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class CorpusRoot:
    """A folder the corpus is read from; `name` is stored as each chunk's `root`, `source` is relative to `path`."""

    name: str
    path: Path
    encoding: str = "cp1252"  # of its text files that are neither UTF-8 nor marked by a byte-order mark
