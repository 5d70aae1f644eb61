"""What there is to sync, on both sides: the files under a corpus root (walked and hashed) and the chunks the
collection holds (read in pages, grouped by file). `indexing.sync` compares the two.

What is a document: every file under a root that `indexing.parsing.indexable` accepts (a type a loader reads;
YAML only as clause files in a `clauses/` folder; no hidden files or Word lock files), outside hidden folders,
except `README*` files at a root's top: those are notes for the people who keep the folder, not guidance.
`areas.yaml` at the top is not a document either (it is YAML outside `clauses/`): the product areas it names
reach the chunks through the clause files. `cirkla add` refuses a type no loader reads, so nothing a staff
member adds is skipped in silence.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from indexing.schema import CorpusRoot

READ_PAGE = 5000  # metadatas per `get` page


@dataclass
class CorpusFile:
    """One document file under a corpus root, with its content hash."""

    root: CorpusRoot
    path: Path
    source: str  # posix path relative to root.path
    hash: str

    @property
    def key(self) -> str:
        """The file's name in reports and in the store: `root/source`."""
        return f"{self.root.name}/{self.source}"


@dataclass
class StoredFile:
    """One file's chunks as the collection holds them."""

    ids: list[str] = field(default_factory=list)
    hashes: set[str] = field(default_factory=set)
    counts: set[int] = field(default_factory=set)
    doc_ids: set[str] = field(default_factory=set)

    def is_complete(self, file_hash: str) -> bool:
        """Whether every chunk of the file at `file_hash` is stored (and nothing of another version)."""
        return self.hashes == {file_hash} and self.counts == {len(self.ids)}


LINK_OUT = "a link to {target}, outside the corpus folder; links out of a corpus folder are never followed"


def walk_root(root: CorpusRoot, skipped: dict[str, str] | None = None) -> Iterator[CorpusFile]:
    """The documents under `root`, in a stable order, each with its content hash.

    A symbolic link (to a file or a folder) that resolves outside the root is not followed; it is recorded in
    `skipped` (`root/source` -> why), so the caller can report it by name."""
    from indexing.parsing import indexable

    base = root.path
    real_base = base.resolve()
    for folder, dirs, names in os.walk(base):
        kept = []
        for name in sorted(dirs):
            full = Path(folder) / name
            if name.startswith("."):
                continue
            if full.is_symlink():  # os.walk does not descend into it; one pointing out of the root is reported
                _note_link_out(full, root, real_base, skipped)
                continue
            kept.append(name)
        dirs[:] = kept
        at_top = Path(folder) == base
        for name in sorted(names):
            path = Path(folder) / name
            if (at_top and name.lower().startswith("readme")) or not indexable(path):
                continue
            if path.is_symlink() and _note_link_out(path, root, real_base, skipped):
                continue
            if not path.is_file():
                continue
            yield CorpusFile(root, path, path.relative_to(base).as_posix(), file_hash(path))


def _note_link_out(path: Path, root: CorpusRoot, real_base: Path, skipped: dict[str, str] | None) -> bool:
    """True (and noted in `skipped`) when the link at `path` resolves outside the root."""
    try:
        target = path.resolve()
    except (OSError, RuntimeError):  # a loop of links
        target = path
    if target.is_relative_to(real_base) and target != path:
        return False
    if skipped is not None:
        source = path.relative_to(root.path).as_posix()
        skipped[f"{root.name}/{source}"] = LINK_OUT.format(target=target)
    return True


def file_hash(path: Path) -> str:
    """sha256 of the file's bytes, hex."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def read_metadatas(collection: Any, page: int = READ_PAGE) -> list[tuple[str, dict[str, Any]]]:
    """Every (chunk id, metadata) in the collection, read in pages of `page`."""
    out: list[tuple[str, dict[str, Any]]] = []
    offset = 0
    while True:
        got = collection.get(include=["metadatas"], limit=page, offset=offset)
        ids = got["ids"]
        out.extend(zip(ids, [meta or {} for meta in got["metadatas"]], strict=True))
        if len(ids) < page:
            return out
        offset += page


def stored_by_file(collection: Any, root_names: set[str]) -> dict[str, StoredFile]:
    """Stored chunks of the given roots, grouped by `root/source`."""
    stored: dict[str, StoredFile] = {}
    for chunk_id, meta in read_metadatas(collection):
        if meta.get("root") not in root_names or "source" not in meta:
            continue
        key = f"{meta['root']}/{meta['source']}"
        held = stored.setdefault(key, StoredFile())
        held.ids.append(chunk_id)
        held.hashes.add(str(meta.get("file_hash", "")))
        held.counts.add(int(meta.get("file_chunks", -1)))
        if meta.get("doc_id"):
            held.doc_ids.add(str(meta["doc_id"]))
    return stored
