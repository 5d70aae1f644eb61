"""HTML pages: the main text (no scripts, navigation, headers, footers, asides), one document per section."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from langchain_core.documents import Document

from indexing.errors import LoadError
from indexing.loaders.metadata import TITLE_MAX, base_metadata, file_title
from indexing.loaders.text import Sections, decode_text, table_text
from indexing.schema import CorpusRoot

_HTML_DROP = "script, style, noscript, template, nav, header, footer, aside, form, svg, iframe, button"
_HTML_BLOCKS = {
    "p", "div", "section", "article", "main", "li", "ul", "ol", "dl", "dt", "dd", "blockquote", "pre",
    "table", "thead", "tbody", "tfoot", "tr", "figure", "figcaption", "address", "details", "summary",
}  # fmt: skip


def load_html(path: Path, root: CorpusRoot, data: bytes) -> list[Document]:
    """An HTML page's main text (no scripts, navigation, headers, footers, asides), a document per section."""
    from selectolax.lexbor import LexborHTMLParser

    text, note = decode_text(path, data, root.encoding)
    tree = LexborHTMLParser(text)
    page_title = tree.css_first("title")
    for node in tree.css(_HTML_DROP):
        node.decompose()
    main = tree.css_first("main") or tree.css_first("article") or tree.body
    if main is None:
        raise LoadError(str(path), "no HTML body found")
    first_h1 = main.css_first("h1")
    title = page_title.text(strip=True) if page_title else ""
    title = title or (first_h1.text(strip=True) if first_h1 else "")
    base = base_metadata(path, root, title=(title or file_title(path))[:TITLE_MAX])
    if note:
        base["decode_note"] = note  # the indexing report names the file with it
    sections = Sections(base)
    inline: list[str] = []
    _walk_html(main, sections, inline)
    sections.block(_inline_text(inline))
    sections.flush()
    return sections.documents


def _walk_html(node: Any, sections: Sections, inline: list[str]) -> None:
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
            sections.block(table_text(rows))
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
