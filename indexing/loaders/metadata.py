"""Cirkla's metadata of a loaded document: its stable doc id, title, source path and root.

Every loader starts from `base_metadata` and overrides what its format knows better (title, page, kind).
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path
from typing import Any

from indexing.schema import CorpusRoot

TITLE_MAX = 150
_SLUG_FOLD = str.maketrans({"å": "a", "ä": "a", "ö": "o", "ø": "o", "æ": "ae", "ß": "ss"})


def slugify(text: str) -> str:
    """A lowercase ASCII slug (å->a, ä->a, ö->o, other accents dropped, anything else -> '-')."""
    folded = unicodedata.normalize("NFKD", text.lower().translate(_SLUG_FOLD))
    folded = "".join(char for char in folded if not unicodedata.combining(char))
    return re.sub(r"[^a-z0-9]+", "-", folded).strip("-")


def source_of(path: Path, root: CorpusRoot) -> str:
    """`path` relative to its corpus root, with forward slashes (the file name when outside the root)."""
    try:
        return path.resolve().relative_to(root.path.resolve()).as_posix()
    except ValueError:
        return path.name


def derived_doc_id(path: Path, root: CorpusRoot) -> str:
    """The stable doc id of a file without one of its own: a slug of root name and relative path."""
    return slugify(f"{root.name}/{source_of(path, root)}")


def base_metadata(path: Path, root: CorpusRoot, **fields: Any) -> dict[str, Any]:
    """The metadata every document of `path` starts from, with `fields` overriding it."""
    meta = {
        "doc_id": derived_doc_id(path, root),
        "title": file_title(path),
        "source": source_of(path, root),
        "page": None,
        "section": "",
        "kind": "document",
        "root": root.name,
    }
    meta.update(fields)
    return meta


def file_title(path: Path) -> str:
    """A title made from the file name, for a file that names none itself."""
    return re.sub(r"[-_\s]+", " ", path.stem).strip() or path.name
