"""One loader per file format: each turns one file into LangChain `Document`s carrying Cirkla's metadata.

Every document has `doc_id`, `title`, `source` (path relative to its corpus root), `page` (int or None),
`section` (heading path, " > "-joined), `kind` (clause | guidance | document) and `root` (the root's name).
`load_file` picks the loader by extension; a file that cannot be read is a `LoadError` saying why.

One module per format (`markdown`, `pdf`, `docx`, `html`, `clauses`); `metadata` and `text` hold what they
share.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from langchain_core.documents import Document

from indexing.errors import LoadError
from indexing.loaders.clauses import REQUIRED_CLAUSE_FIELDS, load_clauses
from indexing.loaders.docx import load_docx
from indexing.loaders.html import load_html
from indexing.loaders.markdown import load_markdown
from indexing.loaders.metadata import TITLE_MAX, derived_doc_id, slugify, source_of
from indexing.loaders.pdf import ENCRYPTED, NEEDS_AES, load_pdf
from indexing.loaders.text import FRONT_MATTER_FENCE, WRAPPED_MIN, clean_text, split_front_matter
from indexing.schema import CorpusRoot

__all__ = [
    "ENCRYPTED",
    "FRONT_MATTER_FENCE",
    "LOADERS",
    "NEEDS_AES",
    "REQUIRED_CLAUSE_FIELDS",
    "TITLE_MAX",
    "WRAPPED_MIN",
    "Loader",
    "clean_text",
    "derived_doc_id",
    "load_clauses",
    "load_docx",
    "load_file",
    "load_html",
    "load_markdown",
    "load_pdf",
    "slugify",
    "source_of",
    "split_front_matter",
]

Loader = Callable[[Path, CorpusRoot, bytes], list[Document]]
LOADERS: dict[str, Loader] = {
    ".pdf": load_pdf,
    ".docx": load_docx,
    ".md": load_markdown,
    ".markdown": load_markdown,
    ".txt": load_markdown,
    ".html": load_html,
    ".htm": load_html,
    ".yaml": load_clauses,
    ".yml": load_clauses,
}


def load_file(path: Path, root: CorpusRoot, data: bytes | None = None) -> list[Document]:
    """Documents of one file, by extension; `data` is the file's bytes when already read."""
    suffix = path.suffix.lower()
    if suffix in (".yaml", ".yml") and path.parent.name != "clauses":
        raise LoadError(str(path), "a YAML file is read only as a clause file, inside a `clauses` folder")
    loader = LOADERS.get(suffix)
    if loader is None:
        kinds = ", ".join(sorted(LOADERS))
        shown = suffix or "(no extension)"
        raise LoadError(str(path), f"unsupported file type {shown!r}; Cirkla reads {kinds}")
    if data is None:
        try:
            data = path.read_bytes()
        except FileNotFoundError:
            raise LoadError(str(path), "file vanished") from None
    if not data.strip():
        raise LoadError(str(path), "the file is empty")
    documents = loader(path, root, data)
    if not documents:
        raise LoadError(str(path), "no text found in the file")
    return documents
