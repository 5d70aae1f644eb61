"""Markdown and plain text: front matter as metadata, one document per heading section."""

from __future__ import annotations

import re
from pathlib import Path

import yaml
from langchain_core.documents import Document

from indexing.errors import LoadError
from indexing.loaders.metadata import TITLE_MAX, base_metadata, file_title, source_of
from indexing.loaders.text import Sections, decode_text, split_front_matter
from indexing.schema import CorpusRoot

_MD_HEADING = re.compile(r"^(#{1,6})\s+(.+?)\s*#*\s*$")
# pdf2md turns numbered headings into bold lines: **15.1 Inledning**
_NUMBERED_BOLD_HEADING = re.compile(r"^\*\*(\d+(?:\.\d+)*)\s+([^*]{2,120})\*\*$")


def load_markdown(path: Path, root: CorpusRoot, data: bytes) -> list[Document]:
    """Markdown or plain text: front matter as metadata, one document per heading section."""
    text, note = decode_text(path, data, root.encoding)
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
    title = front.get("title") or next((name for _, name in headings.values()), "") or file_title(path)
    base = base_metadata(path, root, title=str(title)[:TITLE_MAX])
    if note:
        base["decode_note"] = note  # the indexing report names the file with it
    in_guidance = "guidance" in Path(source_of(path, root)).parts[:-1]
    if front.get("doc_id"):
        base["doc_id"] = str(front["doc_id"])
    if (front.get("doc_id") and in_guidance) or front.get("kind") == "guidance":
        base["kind"] = "guidance"
    reserved = set(base) | {"chunk_id", "file_hash", "file_chunks", "indexed_at"}
    base.update({key: value for key, value in front.items() if key not in reserved and value is not None})
    running = _running_lines(lines, set(headings))
    sections = Sections(base)
    for index, line in enumerate(lines):
        if index in headings:
            sections.heading(*headings[index])
        elif line.strip() not in running:
            sections.line(line)
    sections.flush()
    return sections.documents


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
