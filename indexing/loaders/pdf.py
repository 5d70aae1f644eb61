"""PDF: one document per page, running headers and page numbers dropped; encrypted or image-only PDFs fail."""

from __future__ import annotations

import io
import logging
import re
from pathlib import Path
from typing import Any

from langchain_core.documents import Document

from indexing.errors import LoadError
from indexing.loaders.metadata import TITLE_MAX, base_metadata, file_title
from indexing.loaders.text import clean_text
from indexing.schema import CorpusRoot

ENCRYPTED = "the PDF is encrypted (password-protected); index an unprotected copy"
NEEDS_AES = "the PDF is AES-encrypted; `pip install cryptography` to read it, or index an unprotected copy"
_PAGE_NUMBER_LINE = re.compile(r"^\s*(sida|page)?\s*\d{1,4}\s*((av|of|/)\s*\d{1,4})?\s*$", re.IGNORECASE)


def load_pdf(path: Path, root: CorpusRoot, data: bytes) -> list[Document]:
    """A PDF, one document per page with a 1-based `page`; encrypted or image-only PDFs are `LoadError`s."""
    import pypdf

    # pypdf logs every repair it makes ("EOF marker not found") as a warning; a damaged file is a LoadError
    logging.getLogger("pypdf").setLevel(logging.ERROR)

    try:
        reader = pypdf.PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            _decrypt_without_password(reader, path)
        pages = []
        for page in reader.pages:
            try:
                pages.append(page.extract_text() or "")
            except (MemoryError, pypdf.errors.DependencyError):
                raise
            except Exception:  # one broken page content stream should not cost the whole file
                pages.append("")
        info_title = (reader.metadata.title if reader.metadata else None) or ""
    except (LoadError, MemoryError):
        raise
    except pypdf.errors.FileNotDecryptedError:
        raise LoadError(str(path), ENCRYPTED) from None
    except pypdf.errors.DependencyError:
        raise LoadError(str(path), NEEDS_AES) from None
    except Exception as exc:  # pypdf raises PdfReadError, ValueError, KeyError ... for damaged files
        raise LoadError(str(path), f"not a readable PDF ({type(exc).__name__}: {exc})") from None
    if not pages:
        raise LoadError(str(path), "the PDF has no pages")
    title = _pdf_title(str(info_title), pages) or file_title(path)
    pages = _strip_running_page_lines([text.replace("\r\n", "\n") for text in pages])
    if not any(text.strip() for text in pages):
        raise LoadError(str(path), "the PDF has no extractable text (scanned? run OCR on it first)")
    base = base_metadata(path, root, title=title)
    texts = [(number, clean_text(text)) for number, text in enumerate(pages, start=1)]
    return [Document(page_content=text, metadata={**base, "page": number}) for number, text in texts if text]


def _decrypt_without_password(reader: Any, path: Path) -> None:
    """Open a PDF that is protected only against editing (empty user password); else a `LoadError`."""
    import pypdf

    try:
        opened = reader.decrypt("")
    except pypdf.errors.DependencyError:
        raise LoadError(str(path), NEEDS_AES) from None
    if not opened:
        raise LoadError(str(path), ENCRYPTED)


def _pdf_title(info_title: str, pages: list[str]) -> str:
    title = re.sub(r"^Microsoft (Word|PowerPoint|Excel) - ", "", info_title.strip())
    if title and not title.lower().endswith((".doc", ".docx", ".ppt", ".pptx")):
        return title[:TITLE_MAX]
    for line in pages[0].split("\n") if pages else []:
        line = " ".join(line.split())
        if 3 <= len(line) <= TITLE_MAX and any(char.isalpha() for char in line):
            return line
    return ""


def _strip_running_page_lines(pages: list[str]) -> list[str]:
    """Drop page numbers and header/footer lines that recur at the top or bottom of most pages."""

    def key(line: str) -> str:
        return re.sub(r"\d+", "#", " ".join(line.split()))

    edges: dict[str, int] = {}
    for text in pages:
        lines = [line for line in text.split("\n") if line.strip()]
        for line in {key(line) for line in lines[:3] + lines[-3:]}:
            edges[line] = edges.get(line, 0) + 1
    running = {line for line, count in edges.items() if len(pages) >= 3 and count > len(pages) / 2}
    out = []
    for text in pages:
        lines = text.split("\n")
        edge = set(range(4)) | set(range(len(lines) - 4, len(lines)))
        kept = [
            line
            for index, line in enumerate(lines)
            if not (index in edge and (_PAGE_NUMBER_LINE.match(line) or key(line) in running))
        ]
        out.append("\n".join(kept))
    return out
