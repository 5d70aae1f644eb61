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
    styles = _paragraph_styles(document)
    title = core_title.strip() or _docx_title(content, styles) or file_title(path)
    sections = Sections(base_metadata(path, root, title=title[:TITLE_MAX]))
    for item in content:
        if isinstance(item, Table):
            sections.block(table_text([_row_cells(row) for row in item.rows]))
            continue
        text = item.text.strip()
        style = styles.name(item)
        if style.lower().startswith("toc"):  # a table of contents repeats the headings
            continue
        level = _docx_heading_level(text, style)
        if level is not None:
            sections.heading(level, text)
        elif text:
            sections.block(f"- {text}" if "list" in style.lower() else text)
    sections.flush()
    return sections.documents


class _Styles:
    """Paragraph style names by style id, read once. python-docx's `paragraph.style` searches every style of
    the document for each paragraph, which took minutes on a large document of short paragraphs."""

    def __init__(self, names: dict[str, str], default: str):
        self._names = names
        self._default = default

    def name(self, paragraph: Any) -> str:
        style_id = paragraph._p.style  # the paragraph's w:pStyle, or None for the default style
        return self._names.get(style_id, "") if style_id else self._default


def _paragraph_styles(document: Any) -> _Styles:
    from docx.oxml.ns import qn

    names: dict[str, str] = {}
    default = ""
    for element in document.styles.element.findall(qn("w:style")):
        if element.get(qn("w:type")) not in (None, "paragraph"):
            continue
        name_element = element.find(qn("w:name"))
        name = name_element.get(qn("w:val"), "") if name_element is not None else ""
        names[element.get(qn("w:styleId"), "")] = name
        if element.get(qn("w:default")) in ("1", "true", "on"):
            default = name
    return _Styles(names, default)


def _docx_heading_level(text: str, style: str) -> int | None:
    """A paragraph's heading level, or None; numbered-clause styles used for body text are not headings."""
    text = " ".join(text.split())
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


def _docx_title(content: list[Any], styles: _Styles) -> str:
    from docx.text.paragraph import Paragraph

    paragraphs = [item for item in content if isinstance(item, Paragraph) and item.text.strip()]
    for paragraph in paragraphs:
        if styles.name(paragraph).lower() in ("title", "titel"):
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
