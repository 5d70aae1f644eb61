"""Extractive drafting: retrieved clauses and guidance -> an answer in Markdown where every statement is
cited.

No model writes anything here. Clauses are shown as proposed requirements, grouped in the order they appear in
procurement documents; guidance passages follow as quotations. Every `[n]` in the Markdown is the number of a
`Source` in `Answer.sources`, and every source is cited at least once.
"""

from __future__ import annotations

import re
from typing import Any

from assistant.answer import CITATION, Answer, DraftItem, Source, citations, unresolved_citations
from assistant.guard import instructions, without_instructions
from assistant.hits import Hit, references
from assistant.labels import LEVEL_ORDER, TYPE_ORDER, level_label, type_label
from assistant.library import clause_from_metadata

# Answer, Source, DraftItem and the citation checks live in `assistant.answer`, the type and level names in
# `assistant.labels`; they are re-exported here for callers that import them from the composer.
__all__ = [
    "CITATION",
    "LEVEL_ORDER",
    "TEXTS",
    "TYPE_ORDER",
    "Answer",
    "DraftItem",
    "Source",
    "citations",
    "clause_text",
    "compose",
    "compose_message",
    "compose_nothing",
    "excerpt_of",
    "filters_text",
    "level_label",
    "plain_passage",
    "safe",
    "source_from_hit",
    "type_label",
    "unresolved_citations",
]

TEXTS: dict[str, dict[str, Any]] = {
    "sv": {
        "lead": "Jag hittade {n_clauses} i klausulbiblioteket{scope} och {n_guidance} ur vägledningarna.",
        "lead_none": "Jag hittade inga färdiga krav i klausulbiblioteket{scope}, men {n_guidance} ur "
        "vägledningarna rör frågan.",
        "lead_verify": "Så här verifieras {n_clauses}{scope}; vägledningen om uppföljning följer efter "
        "kraven.",
        "clauses": ("ett förslag till krav", "{n} förslag till krav"),
        "guidance": ("ett relevant avsnitt", "{n} relevanta avsnitt"),
        "scope_area": " för {area}",
        "scope_filters": " ({filters})",
        "proposed": "Föreslagna krav",
        "verification": "Verifiering",
        "guidance_heading": "Ur vägledningarna",
        "page": "s.",
        "nothing": "Jag hittade inget i underlaget som svarar på frågan{scope}.",
        "nothing_tips": "Prova att:\n\n- nämna produktområdet, t.ex. *möbler*, *IT-utrustning* eller "
        "*arbetskläder*;\n- beskriva vad kravet ska åstadkomma, t.ex. *reservdelar*, *återbruk* eller "
        "*återtag*;\n- ta bort filter på kravtyp eller nivå{filters_hint}.",
        "filters_hint": " (nu: {filters})",
        "empty": "Skriv en fråga om vad du ska upphandla, till exempel *Vilka cirkulära krav kan vi ställa "
        "på kontorsmöbler?*",
        "truncated": "Frågan var mycket lång; jag använde de första {n} tecknen.",
        "other_language": "Jag svarar på svenska eller engelska; här är svaret på engelska.",
        "clause_library": "Klausulbiblioteket är på svenska.",
        "lead_guidance": "Så här beskriver vägledningen det{scope}:",
        "examples_heading": "Exempel ur klausulbiblioteket",
        "also_area": "Frågan passar också området {area}; välj det under Produktområde för krav därifrån.",
        "more": "Ytterligare {n} förslag finns under \"Visa alla\".",
        "not_covered": "Underlaget tar inte upp det här{scope}.",
        "closest": "Det närmaste som finns, men som inte svarar direkt på frågan:",
        "ladder_show": "Nivåerna för de föreslagna kraven, sida vid sida; lägg till den nivå ni vill ha:",
        "ladder_raise": "Så höjer ni ambitionen: kraven på högre nivå för de föreslagna kraven.",
        "ladder_none": "De föreslagna kraven finns bara på en nivå i klausulbiblioteket.",
        "withheld": "[text riktad till en AI utelämnad]",
    },
    "en": {
        "lead": "I found {n_clauses} in the clause library{scope} and {n_guidance} in the guidance.",
        "lead_none": "I found no ready-made requirements in the clause library{scope}, but {n_guidance} in "
        "the guidance address the question.",
        "lead_verify": "This is how {n_clauses}{scope} are verified; the guidance on follow-up comes after "
        "them.",
        "clauses": ("one proposed requirement", "{n} proposed requirements"),
        "guidance": ("one relevant passage", "{n} relevant passages"),
        "scope_area": " for {area}",
        "scope_filters": " ({filters})",
        "proposed": "Proposed requirements",
        "verification": "Verification",
        "guidance_heading": "From the guidance",
        "page": "p.",
        "nothing": "I found nothing in the sources that answers the question{scope}.",
        "nothing_tips": "Try to:\n\n- name the product area, e.g. *furniture*, *IT equipment* or "
        "*workwear*;\n- say what the requirement should achieve, e.g. *spare parts*, *reuse* or "
        "*take-back*;\n- remove the filters on requirement type or level{filters_hint}.",
        "filters_hint": " (now: {filters})",
        "empty": "Type a question about what you are buying, for example *Which circular requirements can "
        "we set for office furniture?*",
        "truncated": "The question was very long; I used its first {n} characters.",
        "other_language": "I answer in Swedish or English; here is the answer in English.",
        "clause_library": "The clause library is in Swedish; requirement texts are quoted as written.",
        "lead_guidance": "This is what the guidance says{scope}:",
        "examples_heading": "Examples from the clause library",
        "also_area": "The question fits the area {area} too; choose it under Product area for its requirements.",
        "more": "{n} more proposals are under \"Show all\".",
        "not_covered": "The sources do not cover this{scope}.",
        "closest": "The closest material there is, which does not answer the question directly:",
        "ladder_show": "The levels of the proposed requirements, side by side; add the level you want:",
        "ladder_raise": "To raise the ambition: the higher-level requirements for the ones proposed.",
        "ladder_none": "The proposed requirements exist at one level only in the clause library.",
        "withheld": "[text addressed to an AI withheld]",
    },
}

_IMAGE = re.compile(r"!\[([^\]]*)\]\([^)]*\)")
_HTML = re.compile(r"<[^>]{1,200}>")


def safe(text: str) -> str:
    """Source text made inert for Markdown: no `[n]` that could pass for a citation, no images, no HTML
    tags."""
    text = _IMAGE.sub(r"\1", text)
    text = _HTML.sub(" ", text)
    return CITATION.sub(r"(\1)", text)


def excerpt_of(text: str, limit: int = 420) -> str:
    """The start of `text` up to a sentence end near `limit` characters, on one line."""
    flat = " ".join(text.split())
    if len(flat) <= limit:
        return flat
    cut = flat[:limit]
    end = max(cut.rfind(". "), cut.rfind("? "), cut.rfind("! "))
    return (cut[: end + 1] if end > limit // 2 else cut.rsplit(" ", 1)[0] + " …").strip()


def plain_passage(text: str) -> str:
    """A passage's text without Markdown furniture: table rows, list markers, headings and emphasis."""
    lines = []
    table = []
    for line in text.splitlines():
        stripped = line.strip()
        if stripped.startswith("|"):
            cells = [cell.strip() for cell in stripped.strip("|").split("|")]
            if all(set(cell) <= set("-: ") for cell in cells):
                continue
            table.append(": ".join(cell for cell in cells if cell))
            continue
        stripped = re.sub(r"^(#{1,6}\s+|[-*+]\s+|\d+[.)]\s+|>\s*)", "", stripped)
        if stripped:
            lines.append(stripped)
    body = " ".join(lines) if lines else "; ".join(table)
    return body.replace("**", "").replace("__", "")


def planted(hit: Hit) -> bool:
    """Whether a hit's text addresses an AI or tells the reader to drop their instructions."""
    meta = hit.metadata
    fields = (hit.text, str(meta.get("verification", "") or ""), str(meta.get("rationale", "") or ""))
    return any(instructions(text) for text in fields)


def source_from_hit(n: int, hit: Hit, language: str = "sv") -> Source:
    """The numbered source of a hit. A hit with planted instructions is shown as a passage with them withheld,
    never as a clause that could become a requirement."""
    meta = hit.metadata
    if planted(hit):
        marker = TEXTS["en" if language == "en" else "sv"]["withheld"]
        text = without_instructions(plain_passage(hit.text), marker)
        return Source(
            n=n,
            doc_id=hit.doc_id,
            chunk_id=hit.chunk_id,
            title=str(meta.get("title") or hit.doc_id),
            kind="document" if hit.kind == "clause" else hit.kind,
            source=str(meta.get("source", "")),
            root=str(meta.get("root", "corpus")),
            page=hit.page,
            section=str(meta.get("section", "") or ""),
            excerpt=excerpt_of(text, 420),
            score=float(hit.score),
            area=meta.get("area"),
            flagged=True,
            withheld=instructions(plain_passage(hit.text)),
        )
    is_clause = hit.kind == "clause"
    strategies = meta.get("strategies") or []
    if isinstance(strategies, str):
        strategies = [part.strip() for part in strategies.split(",") if part.strip()]
    return Source(
        n=n,
        doc_id=hit.doc_id,
        chunk_id=hit.chunk_id,
        title=str(meta.get("title") or hit.doc_id),
        kind=hit.kind,
        source=str(meta.get("source", "")),
        root=str(meta.get("root", "corpus")),
        page=hit.page,
        section=str(meta.get("section", "") or ""),
        excerpt=excerpt_of(hit.text, 600) if is_clause else excerpt_of(plain_passage(hit.text), 420),
        score=float(hit.score),
        clause_id=str(meta.get("clause_id", hit.doc_id)) if is_clause else None,
        area=meta.get("area"),
        group=meta.get("group"),
        type=meta.get("type") if is_clause else None,
        level=meta.get("level") if is_clause else None,
        text=clause_text(hit) if is_clause else "",
        verification=str(meta.get("verification", "") or ""),
        rationale=str(meta.get("rationale", "") or ""),
        strategies=[str(s) for s in strategies],
        references=references(meta.get("sources")),
        details=clause_details(hit) if is_clause else {},
    )


CARD_FIELDS = ("parameters", "evaluation", "requires", "pairs_with", "replaces", "crosswalk", "follow_up", "sanction",
               "anvisning", "legal_basis", "legal_floor", "last_reviewed", "review_by", "group")


def clause_details(hit: Hit) -> dict[str, Any]:
    """A clause's schema-v2 fields for its card and `--json`: parameters with recommended values, the award
    model, what it requires, its UHM / EU GPP counterparts, follow-up and when it was last reviewed."""
    clause = clause_from_metadata(hit.metadata, hit.text)
    if clause is None:
        return {}
    data = clause.model_dump(mode="json", exclude_none=True)
    return {name: data[name] for name in CARD_FIELDS if data.get(name) not in (None, "", [], {})}


def draft_item(hit: Hit, source: Source) -> DraftItem:
    """The draft item a clause hit proposes: the clause with its recommended values, citing [n]."""
    clause = clause_from_metadata(hit.metadata, hit.text)
    if clause is not None:
        return DraftItem.from_clause(clause, source=source.n, source_path=source.source, root=source.root)
    return DraftItem(  # a clause chunk from before schema v2
        clause_id=source.clause_id or source.doc_id,
        title=source.title,
        type=source.type or "",
        level=source.level or "",
        text=source.text,
        verification=source.verification,
        source=source.n,
        area=source.area,
        rationale=source.rationale,
        source_title=f"{source.clause_id} {source.title}".strip(),
        source_path=source.source,
        references=source.references,
        root=source.root,
    )


def clause_text(hit: Hit) -> str:
    """The requirement text of a clause chunk (its stored `text` field when there is one, else the chunk)."""
    text = str(hit.metadata.get("text") or hit.text)
    title = str(hit.metadata.get("title", ""))
    if title and text.startswith(title):  # a chunk that starts with its own title
        text = text[len(title) :].lstrip(" .:\n")
    return text.strip()


def _count(language: str, key: str, n: int) -> str:
    one, many = TEXTS[language][key]
    return one if n == 1 else many.format(n=n)


def _scope(language: str, filters: dict[str, str], area_names: dict[str, str]) -> str:
    texts = TEXTS[language]
    scope = ""
    if filters.get("area"):
        scope = texts["scope_area"].format(area=area_names.get(filters["area"], filters["area"]))
    parts = []
    if filters.get("type"):
        parts.append(type_label(filters["type"], language, plural=True).lower())
    if filters.get("level"):
        parts.append(level_label(filters["level"], language).lower())
    if parts:
        scope += texts["scope_filters"].format(filters=", ".join(parts))
    return scope


def filters_text(filters: dict[str, str], language: str, area_names: dict[str, str]) -> str:
    parts = []
    if filters.get("area"):
        parts.append(area_names.get(filters["area"], filters["area"]))
    if filters.get("type"):
        parts.append(type_label(filters["type"], language, plural=True))
    if filters.get("level"):
        parts.append(level_label(filters["level"], language))
    return ", ".join(parts)


def compose(
    clause_hits: list[Hit],
    guidance_hits: list[Hit],
    language: str = "sv",
    filters: dict[str, str] | None = None,
    area_names: dict[str, str] | None = None,
    intent: str = "draft",
    more: list[Hit] | None = None,
    also_area: str | None = None,
) -> Answer:
    """The extractive answer from relevant clause and guidance hits (already judged relevant by the
    caller). `more` are further relevant clauses, offered as proposals behind "show all"; `also_area` is another
    product area the question fits, named in the answer."""
    language = "en" if language == "en" else "sv"
    filters = dict(filters or {})
    area_names = area_names or {}
    texts = TEXTS[language]

    clauses: list[Hit] = []
    seen: set[str] = set()
    withheld = [hit for hit in clause_hits if planted(hit)]  # never a requirement: shown as flagged passages
    withheld_ids = {hit.chunk_id for hit in withheld}
    for hit in clause_hits:
        if hit.chunk_id in withheld_ids:
            continue
        if hit.doc_id not in seen:
            seen.add(hit.doc_id)
            clauses.append(hit)
    # procurement-document order, then level, keeping the retrieval order inside a group
    rank = {hit.chunk_id: i for i, hit in enumerate(clauses)}

    def order(hit: Hit) -> tuple[int, int, int]:
        meta = hit.metadata
        type_index = TYPE_ORDER.index(meta["type"]) if meta.get("type") in TYPE_ORDER else len(TYPE_ORDER)
        level_index = (
            LEVEL_ORDER.index(meta["level"]) if meta.get("level") in LEVEL_ORDER else len(LEVEL_ORDER)
        )
        return (type_index, level_index, rank[hit.chunk_id])

    clauses.sort(key=order)
    guidance: list[Hit] = []
    for hit in [*guidance_hits, *withheld]:
        key = hit.chunk_id
        if key not in seen:
            seen.add(key)
            guidance.append(hit)

    sources: list[Source] = []
    items: list[DraftItem] = []
    for hit in clauses:
        source = source_from_hit(len(sources) + 1, hit, language)
        sources.append(source)
        items.append(draft_item(hit, source))
    guidance_sources = [source_from_hit(len(sources) + 1 + i, hit, language) for i, hit in enumerate(guidance)]
    sources.extend(guidance_sources)

    scope = _scope(language, filters, area_names)
    lines: list[str] = []
    if intent == "verification" and items:
        lines.append(
            texts["lead_verify"].format(n_clauses=_count(language, "clauses", len(items)), scope=scope)
        )
    elif items:
        lines.append(
            texts["lead"].format(
                n_clauses=_count(language, "clauses", len(items)),
                n_guidance=_count(language, "guidance", len(guidance_sources)),
                scope=scope,
            )
        )
    else:
        lines.append(
            texts["lead_none"].format(
                n_guidance=_count(language, "guidance", len(guidance_sources)), scope=scope
            )
        )
    if items and language == "en":
        lines.append(texts["clause_library"])
    if also_area:
        lines.append(texts["also_area"].format(area=area_names.get(also_area, also_area)))

    current_type = None
    for item in items:
        if item.type != current_type:
            current_type = item.type
            lines.append(f"\n### {type_label(item.type, language, plural=True) or texts['proposed']}\n")
        meta = f"{level_label(item.level, language)} · {item.clause_id}"
        if intent == "verification":
            lines.append(f"**{safe(item.title)}** ({meta}) [{item.source}]  ")
            lines.append(f"**{texts['verification']}:** {safe(item.verification) or '–'}  ")
            lines.append(f"*{safe(excerpt_of(item.text, 220))}*\n")
        else:
            lines.append(f"**{safe(item.title)}** ({meta}) [{item.source}]  ")
            lines.append(f"{safe(item.text)}  ")
            if item.verification:
                lines.append(f"*{texts['verification']}:* {safe(item.verification)}\n")
            else:
                lines.append("")
    if guidance_sources:
        lines.append(f"\n### {texts['guidance_heading']}\n")
        for source in guidance_sources:
            where = source.title
            if source.section and source.section != source.title:
                where += f" – {source.section.split(' > ')[-1]}"
            if source.page:
                where += f", {texts['page']} {source.page}"
            lines.append(f"- {safe(excerpt_of(source.excerpt, 300))} *({safe(where)})* [{source.n}]")
    more_items = []
    for hit in more or []:
        if hit.doc_id in seen or planted(hit):
            continue
        seen.add(hit.doc_id)
        source = source_from_hit(len(sources) + 1, hit, language)
        sources.append(source)
        more_items.append(draft_item(hit, source))
    if more_items:
        refs = "".join(f"[{item.source}]" for item in more_items)
        lines.append(f"\n{texts['more'].format(n=len(more_items))} {refs}")
    markdown = "\n".join(lines).strip() + "\n"
    return Answer(
        markdown=markdown,
        sources=sources,
        draft_items=items,
        language=language,
        filters_used=filters,
        more_items=more_items,
        also_area=also_area,
    )


def compose_guidance(
    guidance_hits: list[Hit],
    clause_hits: list[Hit],
    language: str = "sv",
    filters: dict[str, str] | None = None,
    area_names: dict[str, str] | None = None,
) -> Answer:
    """The answer to a question about what, why, when or how: the guidance first, the passage that answers it
    whole, then a few clauses as examples."""
    language = "en" if language == "en" else "sv"
    filters = dict(filters or {})
    texts = TEXTS[language]
    seen: set[str] = set()
    passages = []
    for hit in guidance_hits:
        if hit.chunk_id not in seen:
            seen.add(hit.chunk_id)
            passages.append(hit)
    sources = [source_from_hit(n, hit, language) for n, hit in enumerate(passages, start=1)]
    lines = [texts["lead_guidance"].format(scope=_scope(language, filters, area_names or {})), ""]
    for index, (hit, source) in enumerate(zip(passages, sources, strict=True)):
        where = source.title + (f" – {source.section.split(' > ')[-1]}" if source.section else "")
        if index == 0 and not source.flagged:  # the passage that holds the answer, whole
            lines.append(f"**{safe(where)}** [{source.n}]\n")
            lines.append(safe(plain_passage(hit.text)) + "\n")
        else:
            lines.append(f"- {safe(excerpt_of(source.excerpt, 300))} *({safe(where)})* [{source.n}]")
    items: list[DraftItem] = []
    examples = [hit for hit in clause_hits if hit.doc_id not in seen and not planted(hit)]
    if examples:
        lines.append(f"\n### {texts['examples_heading']}\n")
    for hit in examples:
        seen.add(hit.doc_id)
        source = source_from_hit(len(sources) + 1, hit, language)
        sources.append(source)
        item = draft_item(hit, source)
        items.append(item)
        meta = f"{type_label(item.type, language)}, {level_label(item.level, language).lower()} · {item.clause_id}"
        lines.append(f"- **{safe(item.title)}** ({meta}): {safe(excerpt_of(item.text, 220))} [{source.n}]")
    return Answer(
        markdown="\n".join(lines).strip() + "\n",
        sources=sources,
        draft_items=items,
        language=language,
        filters_used=filters,
        kind="guidance",
    )


def compose_ladder(
    ladders: list[tuple[Any, dict[str, list[Any]]]],
    request: str,
    language: str = "sv",
    places: dict[str, tuple[str, str]] | None = None,
) -> Answer:
    """The level ladders of proposed clauses (`(clause, {level: [clauses]})`): every variant cited and
    proposable; for a "raise" request only the variants above each clause's own level are proposed."""
    language = "en" if language == "en" else "sv"
    texts = TEXTS[language]
    places = places or {}
    sources: list[Source] = []
    items: list[DraftItem] = []
    seen: set[str] = set()
    lines = [texts["ladder_raise" if request == "raise" else "ladder_show"] if ladders else texts["ladder_none"], ""]
    for clause, ladder in ladders:
        if clause.id in seen:
            continue
        lines.append(f"**{safe(clause.group or clause.title)}** ({type_label(clause.type, language)})  ")
        for level in LEVEL_ORDER:
            variants = ladder.get(level) or []
            cells = []
            for variant in variants:
                seen.add(variant.id)
                if request == "raise" and LEVEL_ORDER.index(level) <= LEVEL_ORDER.index(clause.level):
                    cells.append(f"{variant.id} {safe(variant.title)}")
                    continue
                root, path = places.get(variant.id, ("corpus", ""))
                item = DraftItem.from_clause(variant, source=len(sources) + 1, source_path=path, root=root)
                sources.append(_clause_source(item))
                items.append(item)
                cells.append(f"{variant.id} {safe(variant.title)} [{item.source}]")
            if cells:
                lines.append(f"- *{level_label(level, language)}:* " + "; ".join(cells))
        lines.append("")
    return Answer(
        markdown="\n".join(lines).strip() + "\n",
        sources=sources,
        draft_items=items,
        language=language,
        kind="requirements",
        found=bool(ladders),
    )


def _clause_source(item: DraftItem) -> Source:
    return Source(
        n=item.source,
        doc_id=item.clause_id,
        chunk_id=item.clause_id,
        title=item.title,
        kind="clause",
        source=item.source_path,
        root=item.root,
        clause_id=item.clause_id,
        area=item.area,
        group=item.group,
        type=item.type,
        level=item.level,
        text=item.text,
        verification=item.verification,
        rationale=item.rationale,
        references=item.references,
    )


def compose_nothing(
    language: str, filters: dict[str, str], area_names: dict[str, str], closest: list[Hit] | None = None
) -> Answer:
    """The answer when nothing answers the question: say so plainly; when there is material close to the
    subject, offer it labelled as such (cited, never as requirements); else suggest how to rephrase."""
    language = "en" if language == "en" else "sv"
    texts = TEXTS[language]
    scope = _scope(language, filters, area_names)
    if closest:
        sources = [source_from_hit(n, hit, language) for n, hit in enumerate(closest, start=1)]
        lines = [texts["not_covered"].format(scope=scope), "", texts["closest"], ""]
        for source in sources:
            label = source.clause_id or source.title
            text = source.text if source.kind == "clause" else source.excerpt
            lines.append(f"- *{safe(label)}*: {safe(excerpt_of(text, 160))} [{source.n}]")
        return Answer(
            markdown="\n".join(lines) + "\n",
            sources=sources,
            language=language,
            filters_used=dict(filters),
            found=False,
            kind="not_covered",
        )
    active = filters_text(filters, language, area_names)
    hint = texts["filters_hint"].format(filters=active) if active else ""
    markdown = (
        texts["nothing"].format(scope=scope) + "\n\n" + texts["nothing_tips"].format(filters_hint=hint) + "\n"
    )
    return Answer(markdown=markdown, language=language, filters_used=dict(filters), found=False, kind="not_covered")


def compose_message(language: str, key: str, **values: Any) -> Answer:
    language = "en" if language == "en" else "sv"
    return Answer(
        markdown=TEXTS[language][key].format(**values) + "\n", language=language, found=False, kind="not_covered"
    )
