"""The sources panel beside the answer, citation links into it, and serving the original files.

Every `[n]` of an answer becomes a link to `#cirkla-src-<turn>-<n>`, the id of its source's card in the panel.
Original files are served by `/source/<root>/<path>` from the corpus roots only: a path that leaves its root
(`..`, an absolute path, a symlink pointing outside) or names no file is refused with 404.
"""

from __future__ import annotations

import html
import re
from pathlib import Path
from typing import Any
from urllib.parse import quote

from assistant.answer import CITATION, Source
from assistant.labels import level_label, type_label
from ui.i18n import t

TEXT_SUFFIXES = {".md", ".markdown", ".txt", ".yaml", ".yml", ".csv", ".json"}
ROUTE = "/source"


def anchor(turn: int, n: int) -> str:
    return f"cirkla-src-{turn}-{n}"


def link_citations(markdown: str, turn: int, valid: set[int]) -> str:
    """`[n]` -> a link to the source card of turn `turn` (only numbers that are sources of that turn)."""

    def link(match: re.Match[str]) -> str:
        n = int(match.group(1))
        if n not in valid:
            return match.group(0)
        return f"[\\[{n}\\]](#{anchor(turn, n)})"

    return CITATION.sub(link, markdown)


def resolve_source(roots: dict[str, Path], root: str, relative: str) -> Path | None:
    """The file `relative` inside corpus root `root`, or None when it is not a file inside that root."""
    base = roots.get(root)
    if base is None or not relative or "\x00" in relative:
        return None
    candidate = Path(relative)
    if candidate.is_absolute() or any(part in ("..", "") for part in candidate.parts):
        return None
    try:
        base_resolved = base.resolve(strict=True)
        target = (base_resolved / candidate).resolve(strict=True)
    except (OSError, RuntimeError):
        return None
    if not target.is_relative_to(base_resolved) or not target.is_file():
        return None
    return target


def source_url(source: Source) -> str | None:
    """The link that opens a source's original file (a PDF at its page), or None when there is no file."""
    if not source.source or source.source.startswith(("http://", "https://")):
        return source.source or None
    url = f"{ROUTE}/{quote(source.root or 'corpus')}/{quote(source.source)}"
    if source.page and source.source.lower().endswith(".pdf"):
        url += f"#page={source.page}"
    return url


# Served originals are data, never pages of this app: a sandboxed, script-free response, never sniffed.
SANDBOX_CSP = "sandbox; default-src 'none'; img-src data:; style-src 'unsafe-inline'; frame-ancestors 'self'"
# PDFs open in the browser's viewer, which a `sandbox` policy would block; scripts and plugins stay off.
PDF_CSP = "default-src 'none'; object-src 'none'; script-src 'none'; base-uri 'none'; form-action 'none'"


def source_headers(target: Path) -> tuple[str, str, dict[str, str]]:
    """(media type, content disposition, extra headers) for serving corpus file `target`.

    Plain text (Markdown, text, YAML) is shown inline as `text/plain`; a PDF inline as `application/pdf`;
    anything else (HTML, SVG, XML, Word, …) is an attachment of type `application/octet-stream`, so nothing in
    a corpus file can run on Cirkla's origin. Every response carries `nosniff` and a Content-Security-Policy.
    """
    suffix = target.suffix.lower()
    headers = {"X-Content-Type-Options": "nosniff", "Cross-Origin-Resource-Policy": "same-origin"}
    if suffix in TEXT_SUFFIXES:
        return "text/plain; charset=utf-8", "inline", {**headers, "Content-Security-Policy": SANDBOX_CSP}
    if suffix == ".pdf":
        return "application/pdf", "inline", {**headers, "Content-Security-Policy": PDF_CSP}
    return "application/octet-stream", "attachment", {**headers, "Content-Security-Policy": SANDBOX_CSP}


def add_source_route(app: Any, roots: dict[str, Path]) -> None:
    """Register `GET /source/{root}/{path}` on a FastAPI app: the corpus files, nothing else."""
    from fastapi import HTTPException
    from fastapi.responses import FileResponse

    @app.get(ROUTE + "/{root}/{path:path}", include_in_schema=False)
    def source_file(root: str, path: str) -> FileResponse:
        target = resolve_source(roots, root, path)
        if target is None:
            raise HTTPException(status_code=404, detail="no such file in the corpus")
        media, disposition, headers = source_headers(target)
        return FileResponse(
            target, media_type=media, content_disposition_type=disposition, filename=target.name, headers=headers
        )


def _e(text: Any) -> str:
    return html.escape(str(text or ""), quote=True)


def _reference_html(ref: dict[str, Any], root: str = "corpus") -> str:
    title = _e(ref.get("title") or ref.get("doc_id") or "")
    extra = f", {_e(ref['publisher'])}" if ref.get("publisher") else ""
    url = str(ref.get("url") or "")
    if not url and ref.get("doc_id"):  # a guidance note of the same corpus (corpus/guidance/<doc_id>.md)
        url = f"{ROUTE}/{quote(root)}/guidance/{quote(str(ref['doc_id']))}.md"
        return f'<li><a href="{_e(url)}" target="_blank" rel="noopener">{title}</a></li>'

    if url.startswith(("http://", "https://")):
        return f'<li><a href="{_e(url)}" target="_blank" rel="noopener noreferrer">{title}</a>{extra}</li>'
    return f"<li>{title}{extra}</li>"


def _details_html(details: dict[str, Any], language: str) -> list[str]:
    """A clause's v2 fields in its card: parameters with recommended values, award model, what it requires,
    its level ladder, UHM and EU GPP counterparts (linked where there is a page) and its review date."""
    out = []
    parameters = details.get("parameters") or []
    if parameters:
        rows = "".join(
            f"<li>{_e(p.get('label', p.get('name')))}: <b>{_e(p.get('recommended'))}</b> {_e(p.get('unit', ''))}"
            + (f" <span class='cirkla-path'>({_e(p['source'])})</span>" if p.get("source") else "")
            + "</li>"
            for p in parameters
        )
        out.append(f"<p><b>{t(language, 'parameters')}:</b></p><ul>{rows}</ul>")
    evaluation = details.get("evaluation") or {}
    if evaluation:
        model = "; ".join(
            str(x) for x in (evaluation.get("model"), evaluation.get("formula") or evaluation.get("scale"),
                             evaluation.get("weight"), evaluation.get("binding_by")) if x  # fmt: skip
        )
        out.append(f"<p><b>{t(language, 'award_model')}:</b> {_e(model)}</p>")
    if details.get("sanction"):
        out.append(f"<p><b>{t(language, 'sanction')}:</b> {_e(details['sanction'])}</p>")
    requires = details.get("requires") or []
    if requires:
        out.append(f"<p><b>{t(language, 'requires')}:</b> {_e(', '.join(requires))}</p>")
    ladder = details.get("ladder") or {}
    if any(ladder.values()):
        steps = " · ".join(
            f"{_e(level_label(level, language))}: {_e(', '.join(entry['id'] for entry in entries))}"
            for level, entries in ladder.items() if entries  # fmt: skip
        )
        out.append(f"<p><b>{t(language, 'ladder')}:</b> {steps}</p>")
    crosswalk = details.get("crosswalk") or {}
    parts = []
    uhm = crosswalk.get("uhm") or {}
    if uhm:
        label = f"UHM {uhm.get('id') or ''} {uhm.get('name', '')}".strip()
        parts.append(_link(label, uhm.get("url")))
    gpp = crosswalk.get("eu_gpp") or {}
    if gpp:
        label = f"EU GPP {gpp.get('set')} {gpp.get('year')} {gpp.get('id')} ({gpp.get('level')})"
        parts.append(_link(label, gpp.get("url")))
    if parts:
        out.append(f"<p><b>{t(language, 'counterparts')}:</b> {' · '.join(parts)}</p>")
    if details.get("last_reviewed"):
        out.append(f"<p class='cirkla-path'>{t(language, 'last_reviewed')}: {_e(details['last_reviewed'])}</p>")
    return out


def _link(label: str, url: Any) -> str:
    if isinstance(url, str) and url.startswith(("http://", "https://")):
        return f'<a href="{_e(url)}" target="_blank" rel="noopener noreferrer">{_e(label)}</a>'
    return _e(label)


def source_card(source: Source, turn: int, language: str, open_: bool = False) -> str:
    """One source as a collapsible card: a clause with its fields, or a passage with its page."""
    kind = t(language, source.kind if source.kind in ("clause", "guidance", "document") else "document")
    if source.kind == "clause":
        badge = f"{type_label(source.type, language)} · {level_label(source.level, language)}"
        heading = f"{_e(source.clause_id)} {_e(source.title)}"
        body = [f'<p class="cirkla-text">{_e(source.text)}</p>']
        if source.verification:
            body.append(f"<p><b>{t(language, 'verification')}:</b> {_e(source.verification)}</p>")
        if source.rationale:
            body.append(f"<p><b>{t(language, 'rationale')}:</b> {_e(source.rationale)}</p>")
        body.extend(_details_html(source.details, language))
        if source.references:
            items = "".join(_reference_html(ref, source.root or "corpus") for ref in source.references)
            body.append(f"<p><b>{t(language, 'clause_sources')}:</b></p><ul>{items}</ul>")
    else:
        badge = kind + (f" · {t(language, 'page')} {source.page}" if source.page else "")
        heading = _e(source.title)
        section = source.section.split(" > ")[-1] if source.section else ""
        body = [f'<p class="cirkla-flag" role="alert">⚠ {_e(t(language, "flagged"))}</p>'] if source.flagged else []
        if section and section != source.title:
            body.append(f"<p><i>{_e(section)}</i></p>")
        body.append(f'<blockquote class="cirkla-text">{_e(source.excerpt)}</blockquote>')
    url = source_url(source)
    if url:
        where = _e(source.source) + (f", {t(language, 'page')} {source.page}" if source.page else "")
        body.append(
            f'<p class="cirkla-open"><a href="{_e(url)}" target="_blank" rel="noopener">'
            f"{t(language, 'open_file')}</a> <span class='cirkla-path'>({where})</span></p>"
        )
    return (
        f'<details class="cirkla-source" id="{anchor(turn, source.n)}"{" open" if open_ else ""}>'
        f'<summary><span class="cirkla-n">[{source.n}]</span> {heading} '
        f'<span class="cirkla-badge">{_e(badge)}</span></summary>'
        f'<div class="cirkla-body">{"".join(body)}</div></details>'
    )


def sources_panel(answers: list[dict[str, Any]], language: str) -> str:
    """The panel: the latest answer's sources, then (folded) those of earlier answers."""
    if not answers or not any(answer.get("sources") for answer in answers):
        return (
            f'<div class="cirkla-sources"><p class="cirkla-empty">{_e(t(language, "no_sources"))}</p></div>'
        )
    parts = ['<div class="cirkla-sources">']
    latest = answers[-1]
    for data in latest.get("sources", []):
        parts.append(source_card(Source(**data), latest["turn"], language))
    earlier = [answer for answer in answers[:-1] if answer.get("sources")]
    if earlier:
        parts.append(f'<details class="cirkla-earlier"><summary>{_e(t(language, "earlier"))}</summary>')
        for answer in reversed(earlier):
            parts.append(f"<p class='cirkla-q'>{_e(answer.get('question', ''))[:160]}</p>")
            parts.extend(source_card(Source(**data), answer["turn"], language) for data in answer["sources"])
        parts.append("</details>")
    parts.append("</div>")
    return "".join(parts)
