"""Text shared by the loaders: front matter, decoding, cleanup after PDF conversion, and heading sections."""

from __future__ import annotations

import codecs
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


_BOMS = (  # UTF-32 first: its little-endian mark begins with UTF-16's
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
LOSSY_SHARE = 0.005  # a UTF-8 file with at most this share of bad bytes (or 3) is UTF-8 with a few broken ones


def decode_text(path: Path, data: bytes, fallback: str = "cp1252") -> tuple[str, str]:
    """(text, note) of a file that should be text; binary content is a `LoadError`.

    The encoding is found in this order: a byte-order mark (UTF-8, UTF-16, UTF-32); UTF-8; UTF-8 with its few
    invalid bytes replaced (a file that is UTF-8 but for a damaged byte or two); the root's declared fallback
    (`CIRKLA_TEXT_FALLBACK_ENCODING`, cp1252 for older Windows files). `note` says, for the indexing report, when
    bytes were replaced or the fallback was used; it is "" for a clean UTF-8 or BOM-marked file."""
    note = ""
    for bom, codec in _BOMS:
        if data.startswith(bom):
            text = data.decode(codec, errors="replace")
            bad = text.count("\ufffd")
            if bad:
                note = f"{bad} byte sequence(s) were not valid {codec.upper().removesuffix('-SIG')} and were replaced"
            return _checked(path, text), note
    if b"\x00" in data[:8192]:
        raise LoadError(str(path), "binary content, not text (is the extension wrong?)")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        text = data.decode("utf-8", errors="replace")
        bad = text.count("\ufffd") - data.count("\ufffd".encode())
        if bad <= max(3, int(len(data) * LOSSY_SHARE)):
            note = f"{bad} byte(s) were not valid UTF-8 and were replaced by \ufffd"
        else:
            try:
                text = data.decode(fallback, errors="replace")
            except LookupError:
                unknown = f"unknown text encoding {fallback!r} (CIRKLA_TEXT_FALLBACK_ENCODING)"
                raise LoadError(str(path), unknown) from None
            bad = text.count("\ufffd")
            note = f"not UTF-8: read as {fallback}"
            if bad:
                note += f"; {bad} byte(s) could not be read and were replaced"
    return _checked(path, text), note


def _checked(path: Path, text: str) -> str:
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
