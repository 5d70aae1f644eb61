"""One loader per file format: each turns one file into LangChain `Document`s carrying Cirkla's metadata."""

from __future__ import annotations

from typing import Any

import yaml

FRONT_MATTER_FENCE = "---"


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
