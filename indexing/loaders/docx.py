"""Word documents: headings, paragraphs and tables in body order, one document per heading section."""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Any

from langchain_core.documents import Document

from indexing.errors import LoadError
from indexing.loaders.metadata import TITLE_MAX, base_metadata, file_title
from indexing.loaders.text import Sections, table_text
from indexing.schema import CorpusRoot

_DOCX_HEADING_STYLE = re.compile(r"(heading|rubrik)\s*(\d)", re.IGNORECASE)


def load_docx(path: Path, root: CorpusRoot, data: bytes) -> list[Document]:
    """A Word document: headings, paragraphs and tables in body order, one document per heading section."""
    import docx
    from docx.table import Table

    try:
        document = docx.Document(io.BytesIO(data))
        content = list(document.iter_inner_content())
        core_title = document.core_properties.title or ""
    except MemoryError:
        raise
    except Exception as exc:  # python-docx raises BadZipFile, KeyError, ValueError ... for damaged files
        raise LoadError(str(path), f"not a readable DOCX ({type(exc).__name__}: {exc})") from None
    title = core_title.strip() or _docx_title(content) or file_title(path)
    sections = Sections(base_metadata(path, root, title=title[:TITLE_MAX]))
    for item in content:
        if isinstance(item, Table):
            sections.block(table_text([_row_cells(row) for row in item.rows]))
            continue
        text = item.text.strip()
        style = (item.style.name if item.style is not None else "") or ""
        if style.lower().startswith("toc"):  # a table of contents repeats the headings
            continue
        level = _docx_heading_level(item)
        if level is not None:
            sections.heading(level, text)
        elif text:
            sections.block(f"- {text}" if "list" in style.lower() else text)
    sections.flush()
    return sections.documents


def _docx_heading_level(paragraph: Any) -> int | None:
    """A paragraph's heading level, or None; numbered-clause styles used for body text are not headings."""
    style = (paragraph.style.name if paragraph.style is not None else "") or ""
    text = " ".join(paragraph.text.split())
    match = _DOCX_HEADING_STYLE.search(style)
    if style.lower() in ("title", "titel"):
        level = 1
    elif match:
        level = int(match[2])
    else:
        return None
    if not text or len(text) > 150 or text.startswith("[") or text.endswith((".", ":", ";", ",")):
        return None
    return level


def _docx_title(content: list[Any]) -> str:
    from docx.text.paragraph import Paragraph

    paragraphs = [item for item in content if isinstance(item, Paragraph) and item.text.strip()]
    for paragraph in paragraphs:
        if paragraph.style is not None and (paragraph.style.name or "").lower() in ("title", "titel"):
            return " ".join(paragraph.text.split())
    first = " ".join(paragraphs[0].text.split()) if paragraphs else ""
    return first if len(first) <= TITLE_MAX else ""


def _row_cells(row: Any) -> list[str]:
    """A python-docx table row's cell texts, each merged cell once."""
    cells: list[str] = []
    seen: set[int] = set()
    for cell in row.cells:
        if id(cell._tc) in seen:  # python-docx repeats a merged cell once per grid column
            continue
        seen.add(id(cell._tc))
        cells.append(" ".join(cell.text.split()))
    return cells
