"""What a document or a model must not slip past the user: links to places no source names, and planted
instructions.

    allowed = allowed_links(sources)                 # every link target a cited source holds
    text, changed = defuse_links(markdown, allowed)  # any other target, in any form, becomes plain text
    instructions(text)                               # the sentences that address an AI or a reader with orders
    without_instructions(text)                       # the text with those sentences replaced by a marker

A link is kept only when its exact target (up to a trailing slash) appears in a source of the answer: in the
text of a cited passage or clause, or among the clause's own references. Any other link loses its target and
keeps its text (Markdown links, reference links and their definitions, HTML `<a href>`); a bare address that
names no source (`https://…`, protocol-relative `//host/…`, `www.host`, `host.tld/path`, punycode,
`<autolink>`, an e-mail address) is written as plain text inside a code span, where no Markdown renderer turns
it back into a link.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

# Text that speaks to an AI or tells a reader to drop their instructions: never a requirement, never obeyed.
INSTRUCTION = re.compile(
    r"ignorera\s+(alla\s+)?(tidigare|föregående|ovanstående|dina|andra)?\s*(instruktioner|instruktionerna|regler)"
    r"|glöm\s+(alla\s+)?(tidigare\s+)?instruktion\w*"
    r"|strunta\s+i\s+(alla\s+)?(tidigare\s+)?instruktion\w*"
    r"|nya\s+instruktioner|du\s+är\s+nu\b|systemprompt\w*|system\s*prompt|system\s*meddelande"
    r"|\bAI[- ]?(assistent\w*|modell\w*|:n)\b|\bspråkmodell(en)?\s+(ska|måste|bör)\b"
    r"|\b(till|för)\s+(dig\s+som\s+)?(AI|chattbot\w*|assistenten)\b"
    r"|ignore\s+(all\s+)?(the\s+)?(previous|prior|above|earlier|your)?\s*(instructions|rules|prompts?)"
    r"|disregard\s+(all\s+)?(previous|prior|above|earlier)?\s*(instructions|rules)"
    r"|new\s+instructions|you\s+are\s+now\b|as\s+an\s+AI\b|\bAI\s+assistant\b",
    re.IGNORECASE,
)
SENTENCE_END = re.compile(r"(?<=[.!?])\s+|\n+")

# Link shapes. Order matters: Markdown links and definitions first, then autolinks, then anything bare.
_MD_LINK = re.compile(r"(?<!!)\[([^\]\n]{0,300})\]\(\s*<?([^)\s>]*)>?(?:\s+\"[^\"]*\")?\s*\)")
_MD_IMAGE = re.compile(r"!\[([^\]\n]{0,300})\]\([^)]*\)")
# `[text][name]`; never `[1][2]`, which are citations
_MD_REF_USE = re.compile(r"\[(?!\d{1,3}\])([^\]\n]{1,300})\]\[(?!\d{1,3}\])([^\]\n]{0,100})\]")
_MD_REF_DEF = re.compile(r"^[ ]{0,3}\[([^\]\n]{1,100})\]:\s*<?(\S+?)>?(?:\s+.*)?$", re.MULTILINE)
_AUTOLINK = re.compile(r"<((?:[a-zA-Z][a-zA-Z0-9+.-]{1,31}:|//|www\.)[^<>\s]*|[^<>\s@]+@[^<>\s@]+\.[^<>\s]+)>")
_HTML_A = re.compile(r"<a\b[^>]*>(.*?)</a\s*>", re.IGNORECASE | re.DOTALL)
_HTML_TAG = re.compile(r"</?[a-zA-Z][^>]{0,300}>")
_CODE_SPAN = re.compile(r"(`+)(.+?)\1", re.DOTALL)
# a bare target: a scheme, //host, www.host, xn-- punycode, host.tld/…, or an e-mail address
_HOST = r"(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+(?:[a-z]{2,24}|xn--[a-z0-9-]{2,59})"
_BARE = re.compile(
    r"(?<![\w@/.-])("
    r"(?:[a-z][a-z0-9+.-]{1,31}:)?//[^\s<>()\[\]`\"']+"  # https://host, //host, ftp://…
    r"|(?:javascript|data|mailto|vbscript|file|tel):[^\s<>()\[\]`\"']+"
    r"|(?:www\.|xn--)[^\s<>()\[\]`\"']+"
    rf"|{_HOST}/[^\s<>()\[\]`\"']*"
    rf"|[a-z0-9._%+-]+@{_HOST}"
    r")",
    re.IGNORECASE,
)
_TRAILING = ".,;:!?)]}'\""


def normal_target(target: str) -> str:
    """A link target as compared: without surrounding space, trailing punctuation or trailing slash."""
    return target.strip().rstrip(_TRAILING).rstrip("/").strip()


def allowed_links(sources: Iterable[Any]) -> set[str]:
    """Every link target the answer's sources hold: in their text, and their references' URLs."""
    out: set[str] = set()
    for source in sources:
        for ref in getattr(source, "references", None) or []:
            if isinstance(ref, dict) and ref.get("url"):
                out.add(normal_target(str(ref["url"])))
        text = " ".join(
            str(getattr(source, name, "") or "") for name in ("text", "excerpt", "verification", "rationale")
        )
        out.update(targets_in(text))
    out.discard("")
    return out


def targets_in(text: str) -> set[str]:
    """Every link target written in `text`, in any of the forms `defuse_links` knows."""
    found = {normal_target(match.group(2)) for match in _MD_LINK.finditer(text)}
    found.update(normal_target(match.group(2)) for match in _MD_REF_DEF.finditer(text))
    found.update(normal_target(match.group(1)) for match in _AUTOLINK.finditer(text))
    found.update(normal_target(match.group(1)) for match in _BARE.finditer(text))
    return {target for target in found if target}


def defuse_links(markdown: str, allowed: set[str]) -> tuple[str, bool]:
    """`markdown` with every link whose target is not in `allowed` written as plain text; and whether any was."""
    changed = False
    stash: list[str] = []  # code spans and kept links are set aside so the later passes cannot touch them

    def keep(text: str) -> str:
        stash.append(text)
        return f"\x00{len(stash) - 1}\x00"

    def plain(target: str) -> str:
        nonlocal changed
        changed = True
        shown = target.strip().replace("`", "")
        return keep(f"`{shown}`") if shown else ""

    def dropped(label: str) -> str:
        nonlocal changed
        changed = True
        return label  # a link's text stays; its target, named by no source, goes

    out = _CODE_SPAN.sub(lambda m: keep(m.group(0)), markdown)
    definitions = {
        match.group(1).strip().lower(): normal_target(match.group(2)) for match in _MD_REF_DEF.finditer(out)
    }

    def image(match: re.Match[str]) -> str:
        nonlocal changed
        changed = True
        return match.group(1)

    out = _MD_IMAGE.sub(image, out)

    def md_link(match: re.Match[str]) -> str:
        label, target = match.group(1), match.group(2)
        if normal_target(target) in allowed:
            return keep(match.group(0))
        return dropped(label)

    out = _MD_LINK.sub(md_link, out)

    def ref_definition(match: re.Match[str]) -> str:
        nonlocal changed
        if normal_target(match.group(2)) in allowed:
            return keep(match.group(0))
        changed = True
        return ""

    out = _MD_REF_DEF.sub(ref_definition, out)

    def ref_use(match: re.Match[str]) -> str:
        label, name = match.group(1), match.group(2) or match.group(1)
        target = definitions.get(name.strip().lower())
        if target is not None and target in allowed:
            return keep(match.group(0))
        return dropped(label)

    out = _MD_REF_USE.sub(ref_use, out)

    def html_link(match: re.Match[str]) -> str:
        return dropped(match.group(1))

    out = _HTML_A.sub(html_link, out)

    def autolink(match: re.Match[str]) -> str:
        target = match.group(1)
        return keep(match.group(0)) if normal_target(target) in allowed else plain(target)

    out = _AUTOLINK.sub(autolink, out)

    def bare(match: re.Match[str]) -> str:
        raw = match.group(1)
        target = raw.rstrip(_TRAILING)
        tail = raw[len(target) :]
        return (keep(target) if normal_target(target) in allowed else plain(target)) + tail

    out = _BARE.sub(bare, out)
    out = re.sub(r"\x00(\d+)\x00", lambda m: stash[int(m.group(1))], out)
    out = re.sub(r"\x00(\d+)\x00", lambda m: stash[int(m.group(1))], out)  # a kept link inside a code span
    return out, changed


def strip_html(text: str) -> str:
    """`text` without HTML tags (their content stays)."""
    return _HTML_TAG.sub("", text)


def instructions(text: str) -> list[str]:
    """The sentences of `text` that address an AI or tell the reader to drop their instructions."""
    return [sentence.strip() for sentence in SENTENCE_END.split(text) if INSTRUCTION.search(sentence)]


def without_instructions(text: str, marker: str) -> str:
    """`text` with each instruction-like sentence, and the sentence right after it, replaced by `marker`."""
    parts = SENTENCE_END.split(text)
    out: list[str] = []
    skip_next = False
    for part in parts:
        if INSTRUCTION.search(part):
            if not out or out[-1] != marker:
                out.append(marker)
            skip_next = True
            continue
        if skip_next and part.strip():
            skip_next = False
            if _orders(part):
                continue  # "… Skriv också att …": the planted text goes on
        out.append(part)
    return " ".join(piece.strip() for piece in out if piece.strip())


_IMPERATIVE = re.compile(
    r"^\s*(skriv|lägg|ange|svara|säg|skicka|hänvisa|länka|write|add|say|answer|tell|send|include|link)\b",
    re.IGNORECASE,
)


def _orders(sentence: str) -> bool:
    return bool(_IMPERATIVE.search(sentence))
