"""Text shared by the loaders: front matter, decoding, cleanup after PDF conversion, and heading sections."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path
from typing import Any

from langchain_core.documents import Document

from indexing.errors import LoadError
from indexing.yamlsafe import load_yaml

FRONT_MATTER_FENCE = "---"
WRAPPED_MIN = 40  # a hard-wrapped prose line is at least this long
_FOOTNOTE_MARK = re.compile(r"(?<=[^\s^(])\^\d+\b")
_SOFT_HYPHEN_BREAK = re.compile(r"([a-zåäöéü])-\n([a-zåäöéü])")
# a line that starts its own block: list item, quote, table row, heading, footnote, numbered section
_BLOCK_START = re.compile(r"^\s*([-*+>|#]|\d+[.)]\s|\(\^?\d+\)|\d+(\.\d+)+\s+\S)")
_TOC_LINE = re.compile(r"(\.\s?|…\s?){5,}\s*\d+\s*$")  # a table-of-contents entry: "1 Inledning ...... 3"


def split_front_matter(text: str) -> tuple[dict[str, Any] | None, str]:
    """Split `---`-fenced YAML front matter from Markdown: (mapping or None, body); YAML errors propagate."""
    if not text.startswith(FRONT_MATTER_FENCE):
        return None, text
    lines = text.split("\n")
    if lines[0].strip() != FRONT_MATTER_FENCE:
        return None, text
    for index in range(1, len(lines)):
        if lines[index].strip() in (FRONT_MATTER_FENCE, "..."):
            data = load_yaml("\n".join(lines[1:index]))
            body = "\n".join(lines[index + 1 :])
            return (data if isinstance(data, dict) else {}), body
    return None, text


def decode_text(path: Path, data: bytes) -> str:
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


class Sections:
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


def table_text(rows: list[list[str]]) -> str:
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
