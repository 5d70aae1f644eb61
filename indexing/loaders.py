"""One loader per file format: each turns one file into LangChain `Document`s carrying Cirkla's metadata.

Every document has `doc_id`, `title`, `source` (path relative to its corpus root), `page` (int or None),
`section` (heading path, " > "-joined), `kind` (clause | guidance | document) and `root` (the root's name).
`load_file` picks the loader by extension; a file that cannot be read is a `LoadError` saying why.
"""

from __future__ import annotations

import io
import logging
import re
import unicodedata
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml
from langchain_core.documents import Document

from indexing.errors import LoadError
from indexing.schema import CorpusRoot

FRONT_MATTER_FENCE = "---"
TITLE_MAX = 150
WRAPPED_MIN = 40  # a hard-wrapped prose line is at least this long
ENCRYPTED = "the PDF is encrypted (password-protected); index an unprotected copy"
NEEDS_AES = "the PDF is AES-encrypted; `pip install cryptography` to read it, or index an unprotected copy"
REQUIRED_CLAUSE_FIELDS = ("id", "title", "area", "text")
_SLUG_FOLD = str.maketrans({"å": "a", "ä": "a", "ö": "o", "ø": "o", "æ": "ae", "ß": "ss"})
_MD_HEADING = re.compile(r"^(#{1,6})\s+(.+?)\s*#*\s*$")
# pdf2md turns numbered headings into bold lines: **15.1 Inledning**
_NUMBERED_BOLD_HEADING = re.compile(r"^\*\*(\d+(?:\.\d+)*)\s+([^*]{2,120})\*\*$")
_FOOTNOTE_MARK = re.compile(r"(?<=[^\s^(])\^\d+\b")
_SOFT_HYPHEN_BREAK = re.compile(r"([a-zåäöéü])-\n([a-zåäöéü])")
# a line that starts its own block: list item, quote, table row, heading, footnote, numbered section
_BLOCK_START = re.compile(r"^\s*([-*+>|#]|\d+[.)]\s|\(\^?\d+\)|\d+(\.\d+)+\s+\S)")
_TOC_LINE = re.compile(r"(\.\s?|…\s?){5,}\s*\d+\s*$")  # a table-of-contents entry: "1 Inledning ...... 3"
_PAGE_NUMBER_LINE = re.compile(r"^\s*(sida|page)?\s*\d{1,4}\s*((av|of|/)\s*\d{1,4})?\s*$", re.IGNORECASE)


def split_front_matter(text: str) -> tuple[dict[str, Any] | None, str]:
    """Split `---`-fenced YAML front matter from Markdown: (mapping or None, body); YAML errors propagate."""
    if not text.startswith(FRONT_MATTER_FENCE):
        return None, text
    lines = text.split("\n")
    if lines[0].strip() != FRONT_MATTER_FENCE:
        return None, text
    for index in range(1, len(lines)):
        if lines[index].strip() in (FRONT_MATTER_FENCE, "..."):
            data = yaml.safe_load("\n".join(lines[1:index]))
            body = "\n".join(lines[index + 1 :])
            return (data if isinstance(data, dict) else {}), body
    return None, text


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


def _metadata(path: Path, root: CorpusRoot, **fields: Any) -> dict[str, Any]:
    meta = {
        "doc_id": derived_doc_id(path, root),
        "title": _file_title(path),
        "source": source_of(path, root),
        "page": None,
        "section": "",
        "kind": "document",
        "root": root.name,
    }
    meta.update(fields)
    return meta


def _file_title(path: Path) -> str:
    return re.sub(r"[-_\s]+", " ", path.stem).strip() or path.name


def _decode_text(path: Path, data: bytes) -> str:
    """Text of a file that should be text; binary content is a `LoadError`."""
    if b"\x00" in data[:8192]:
        raise LoadError(str(path), "binary content, not text (is the extension wrong?)")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = data.decode("cp1252")  # older Windows text files in Swedish
        except UnicodeDecodeError:
            raise LoadError(str(path), "binary content, not text (is the extension wrong?)") from None
    controls = sum(1 for char in text[:8192] if unicodedata.category(char) == "Cc" and char not in "\t\n\r\f")
    if controls > max(8, len(text[:8192]) // 100):
        raise LoadError(str(path), "binary content, not text (is the extension wrong?)")
    return text.replace("\r\n", "\n").replace("\r", "\n")


def clean_text(text: str) -> str:
    """Undo what PDF conversion and hard wrapping leave: split words, footnote marks, fences, broken lines."""
    text = _SOFT_HYPHEN_BREAK.sub(r"\1\2", text)
    text = _FOOTNOTE_MARK.sub("", text)
    lines: list[str] = []
    for line in text.split("\n"):
        line = line.rstrip()
        if line.strip() == "```" or _TOC_LINE.search(line):
            continue
        if lines and _continues(lines[-1], line):
            lines[-1] = f"{lines[-1]} {line.strip()}"
        else:
            lines.append(line)
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def _continues(previous: str, line: str) -> bool:
    """Whether `line` is the wrapped rest of `previous`'s paragraph (not a new item, row or sentence)."""
    if not previous.strip() or not line.strip() or _BLOCK_START.match(line):
        return False
    if previous.lstrip().startswith(("|", "#")):
        return False
    if line.lstrip()[:1].islower() or (line.startswith("  ") and _BLOCK_START.match(previous)):
        return True  # a sentence going on, or the indented rest of a list item
    if _BLOCK_START.match(previous):
        return False
    # a short line (a heading or a label in a PDF) ends where it ends; so does a sentence before a capital
    return len(previous) >= WRAPPED_MIN and not previous.endswith((".", "!", "?", ":"))


def _running_lines(lines: list[str], headings: set[int]) -> set[str]:
    """Running page headers left by PDF conversion: short non-heading lines, not sentences, seen 3+ times."""
    counts: dict[str, int] = {}
    for index, line in enumerate(lines):
        if index not in headings and line.strip():
            counts[line.strip()] = counts.get(line.strip(), 0) + 1
    return {
        key
        for key, count in counts.items()
        if count >= 3
        and 8 <= len(key.strip("* ")) <= 80
        and key[0] not in "|->+#"
        and not key.rstrip("* ").endswith((".", "!", "?", ":"))
    }


class _Sections:
    """Collects lines under a heading path and emits one document per section that has text."""

    def __init__(self, base: dict[str, Any]):
        self.base = base
        self.path: list[tuple[int, str]] = []
        self.lines: list[str] = []
        self.documents: list[Document] = []

    def heading(self, level: int, text: str) -> None:
        """Close the current section and open one at `level` under the enclosing headings."""
        self.flush()
        while self.path and self.path[-1][0] >= level:
            self.path.pop()
        self.path.append((level, " ".join(text.split())))

    def line(self, text: str) -> None:
        """Add one line as it is (Markdown keeps its own paragraph breaks)."""
        self.lines.append(text)

    def block(self, text: str) -> None:
        """Add one paragraph, table row group or list item as its own paragraph."""
        if text.strip():
            self.lines.extend((text.strip(), ""))

    def flush(self) -> None:
        """Emit the current section as a document if it has any text."""
        body = clean_text("\n".join(self.lines))
        self.lines = []
        if not body:
            return
        names = [name for _, name in self.path]
        title = str(self.base["title"]).casefold()
        if names and (title.startswith(names[0].casefold()) or names[0].casefold().startswith(title)):
            names = names[1:]  # the document's own title heading adds nothing to its sections
        metadata = {**self.base, "section": " > ".join(names)}
        self.documents.append(Document(page_content=body, metadata=metadata))


def load_markdown(path: Path, root: CorpusRoot, data: bytes) -> list[Document]:
    """Markdown or plain text: front matter as metadata, one document per heading section."""
    text = _decode_text(path, data)
    try:
        front, body = split_front_matter(text)
    except yaml.YAMLError as exc:
        raise LoadError(str(path), f"front matter is not valid YAML: {' '.join(str(exc).split())}") from None
    front = front or {}
    lines = body.split("\n")
    headings: dict[int, tuple[int, str]] = {}
    for index, line in enumerate(lines):
        if match := _MD_HEADING.match(line.strip()):
            headings[index] = (len(match[1]), match[2].strip("* "))
        elif match := _NUMBERED_BOLD_HEADING.match(line.strip()):
            headings[index] = (match[1].count(".") + 2, f"{match[1]} {match[2].strip()}")
    title = front.get("title") or next((name for _, name in headings.values()), "") or _file_title(path)
    base = _metadata(path, root, title=str(title)[:TITLE_MAX])
    in_guidance = "guidance" in Path(source_of(path, root)).parts[:-1]
    if front.get("doc_id"):
        base["doc_id"] = str(front["doc_id"])
    if (front.get("doc_id") and in_guidance) or front.get("kind") == "guidance":
        base["kind"] = "guidance"
    reserved = set(base) | {"chunk_id", "file_hash", "file_chunks", "indexed_at"}
    base.update({key: value for key, value in front.items() if key not in reserved and value is not None})
    running = _running_lines(lines, set(headings))
    sections = _Sections(base)
    for index, line in enumerate(lines):
        if index in headings:
            sections.heading(*headings[index])
        elif line.strip() not in running:
            sections.line(line)
    sections.flush()
    return sections.documents


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
    title = _pdf_title(str(info_title), pages) or _file_title(path)
    pages = _strip_running_page_lines([text.replace("\r\n", "\n") for text in pages])
    if not any(text.strip() for text in pages):
        raise LoadError(str(path), "the PDF has no extractable text (scanned? run OCR on it first)")
    base = _metadata(path, root, title=title)
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
    title = core_title.strip() or _docx_title(content) or _file_title(path)
    sections = _Sections(_metadata(path, root, title=title[:TITLE_MAX]))
    for item in content:
        if isinstance(item, Table):
            sections.block(_table_text([_row_cells(row) for row in item.rows]))
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


_DOCX_HEADING_STYLE = re.compile(r"(heading|rubrik)\s*(\d)", re.IGNORECASE)


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


def _table_text(rows: list[list[str]]) -> str:
    """Table rows as a Markdown table; a one-column table (a text box in a form) as plain paragraphs."""
    rows = [row for row in rows if any(row)]
    if not rows:
        return ""
    if max(len(row) for row in rows) == 1:
        return "\n\n".join(row[0] for row in rows)
    lines = ["| " + " | ".join(cell.replace("|", "/") for cell in row) + " |" for row in rows]
    if len(lines) > 1:
        lines.insert(1, "|" + " --- |" * len(rows[0]))
    return "\n".join(lines)


_HTML_DROP = "script, style, noscript, template, nav, header, footer, aside, form, svg, iframe, button"
_HTML_BLOCKS = {
    "p", "div", "section", "article", "main", "li", "ul", "ol", "dl", "dt", "dd", "blockquote", "pre",
    "table", "thead", "tbody", "tfoot", "tr", "figure", "figcaption", "address", "details", "summary",
}  # fmt: skip


def load_html(path: Path, root: CorpusRoot, data: bytes) -> list[Document]:
    """An HTML page's main text (no scripts, navigation, headers, footers, asides), a document per section."""
    from selectolax.lexbor import LexborHTMLParser

    tree = LexborHTMLParser(_decode_text(path, data))
    page_title = tree.css_first("title")
    for node in tree.css(_HTML_DROP):
        node.decompose()
    main = tree.css_first("main") or tree.css_first("article") or tree.body
    if main is None:
        raise LoadError(str(path), "no HTML body found")
    first_h1 = main.css_first("h1")
    title = page_title.text(strip=True) if page_title else ""
    title = title or (first_h1.text(strip=True) if first_h1 else "")
    sections = _Sections(_metadata(path, root, title=(title or _file_title(path))[:TITLE_MAX]))
    inline: list[str] = []
    _walk_html(main, sections, inline)
    sections.block(_inline_text(inline))
    sections.flush()
    return sections.documents


def _walk_html(node: Any, sections: _Sections, inline: list[str]) -> None:
    """Emit headings and blocks in document order; inline text gathers until the next block boundary."""

    def close_block() -> None:
        sections.block(_inline_text(inline))
        inline.clear()

    for child in node.iter(include_text=True):
        tag = child.tag
        if tag == "-text":
            inline.append((child.text_content or "").replace("\n", " "))  # only <br> breaks a line
        elif tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
            close_block()
            sections.heading(int(tag[1]), child.text(separator=" ", strip=True))
        elif tag == "table":
            close_block()
            rows = [[td.text(separator=" ", strip=True) for td in tr.css("td, th")] for tr in child.css("tr")]
            sections.block(_table_text(rows))
        elif tag == "br":
            inline.append("\n")
        elif tag in _HTML_BLOCKS:
            close_block()
            _walk_html(child, sections, inline)
            close_block()
        elif tag not in ("-comment", "img"):
            _walk_html(child, sections, inline)


def _inline_text(pieces: list[str]) -> str:
    """Inline text pieces as one block: whitespace collapsed, explicit <br> line breaks kept."""
    lines = (" ".join(line.split()) for line in "".join(pieces).split("\n"))
    return "\n".join(line for line in lines if line)


def load_clauses(path: Path, root: CorpusRoot, data: bytes) -> list[Document]:
    """A clause-library file: one document per clause, every clause field kept as metadata."""
    try:
        parsed = yaml.safe_load(_decode_text(path, data))
    except yaml.YAMLError as exc:
        raise LoadError(str(path), f"not valid YAML: {' '.join(str(exc).split())}") from None
    if not isinstance(parsed, dict) or not isinstance(parsed.get("clauses"), list):
        raise LoadError(str(path), "a clause file needs a top-level `clauses:` list")
    area_names = _area_names(path, root)
    base = _metadata(path, root, kind="clause")
    documents = []
    for position, clause in enumerate(parsed["clauses"], start=1):
        if not isinstance(clause, dict):
            raise LoadError(str(path), f"clause #{position} is not a mapping")
        missing = [name for name in REQUIRED_CLAUSE_FIELDS if not str(clause.get(name) or "").strip()]
        if missing:
            label = clause.get("id") or f"#{position}"
            raise LoadError(str(path), f"clause {label} has no {', '.join(missing)} (docs/ARCHITECTURE.md)")
        area_name = area_names.get(str(clause["area"]), str(clause["area"]))
        group = str(clause.get("group") or "")
        metadata = {
            **base,
            **{key: value for key, value in clause.items() if key not in base and key != "id"},
            "doc_id": str(clause["id"]),
            "clause_id": str(clause["id"]),
            "title": str(clause["title"]),
            "area_name": area_name,
            "group": group,
            "section": f"{area_name} > {group}" if group else area_name,
        }
        documents.append(Document(page_content=str(clause["text"]).strip(), metadata=metadata))
    return documents


def _area_names(path: Path, root: CorpusRoot) -> dict[str, str]:
    """Area slug -> Swedish name, from the corpus's areas.yaml (empty when there is none)."""
    for candidate in (root.path / "areas.yaml", path.parent.parent / "areas.yaml"):
        if candidate.is_file():
            try:
                areas = yaml.safe_load(candidate.read_text(encoding="utf-8")) or {}
            except (OSError, yaml.YAMLError, UnicodeDecodeError):
                return {}
            names = {str(slug): area for slug, area in areas.items() if isinstance(area, dict)}
            return {slug: str(area.get("sv") or slug) for slug, area in names.items()}
    return {}


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
