"""The assistant: a question (in its conversation) -> a cited answer, extractive by default, LLM-rephrased
optionally.

    assistant = build_assistant(Settings())
    answer = assistant.answer("Vilka krav kan vi ställa på kontorsmöbler?")
    answer.markdown      # lead sentence, proposed requirements by type with [n], guidance passages with [n]
    answer.sources       # Source(n, ...) for every [n]
    answer.draft_items   # the proposed requirements, ready for the draft

Relevance: a question is answered only when the best dense (cosine) similarity among the retrieved chunks
reaches `Relevance.min_similarity` (`min_similarity_en` for English queries); a clause or passage is shown
only when it reaches `min_hit_similarity` and is within `hit_margin` of the best of its kind. The
thresholds and the measurements behind them are in `Relevance`.
"""

from __future__ import annotations

import json
import re
import threading
import time
from collections import OrderedDict
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Protocol

from assistant.answer import Answer, DraftItem, Source, unresolved_citations, without_notice
from assistant.areas import detect_area as area_in
from assistant.composer import TEXTS, compose, compose_guidance, compose_ladder, compose_message, compose_nothing
from assistant.followup import (
    Resolved,
    Turn,
    detect_area,
    detect_language,
    detect_level,
    detect_type,
    resolve,
)
from assistant.hits import Hit
from assistant.library import ClauseLibrary
from assistant.question import about_call_off, ladder_request, question_kind, subject_terms
from assistant.review import Finding, Reference, load_reference, review_draft, review_text
from assistant.settings import Settings
from indexing.errors import ConfigError

__all__ = ["Answer", "Assistant", "DraftItem", "Source", "Turn", "build_assistant", "load_area_names"]

MAX_QUESTION_CHARS = 1000  # a longer paste is answered from its start (with a notice)
DOMAIN_TERMS = re.compile(
    r"\b(lcc|livscykel\w*|lou|upphandl\w*|cirkulär\w*|återbruk\w*|återtag\w*|reservdel\w*|garanti\w*"
    r"|procure\w*|circular\w*|reuse\w*|take-back|spare parts?|life[- ]cycle cost\w*)\b",
    re.IGNORECASE,
)


class Retriever(Protocol):
    def search(
        self,
        query: str,
        k: int = 10,
        filters: dict[str, str] | None = None,
        mode: str = "hybrid",
        area_hint: str | None = None,
    ) -> list[Hit]: ...


class QueryCache:
    """An embedder that remembers its recent query vectors: one answer searches four times with one query.

    Everything else (`embed_documents`, `name`, `dimension`) is the wrapped embedder's.
    """

    def __init__(self, embedder: Any, size: int = 256):
        self._embedder = embedder
        self._size = size
        self._vectors: OrderedDict[str, list[float]] = OrderedDict()
        self._lock = threading.Lock()

    def __getattr__(self, name: str) -> Any:
        return getattr(self._embedder, name)

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return self._embedder.embed_documents(texts)

    def embed_query(self, text: str) -> list[float]:
        with self._lock:
            if text in self._vectors:
                self._vectors.move_to_end(text)
                return self._vectors[text]
        vector = self._embedder.embed_query(text)
        with self._lock:
            self._vectors[text] = vector
            while len(self._vectors) > self._size:
                self._vectors.popitem(last=False)
        return vector


class Rewriter(Protocol):
    """An optional LLM step: the extractive answer in, a checked answer out (or an exception)."""

    def rewrite(self, question: str, answer: Answer) -> Answer: ...


@dataclass
class Relevance:
    """Thresholds on dense cosine similarity (multilingual-e5-small), measured on the seed corpus."""

    # Measured on the seed corpus (35 files, 401 chunks): the best similarity of 16 on-topic Swedish
    # questions was >= 0.876 (short ones: "IT" 0.847, "reservdelar" 0.858); of 14 off-topic ones <= 0.835,
    # except "Hur byter jag däck på min cykel?" 0.849.
    min_similarity: float = 0.845
    # English (and other-language) queries score lower against the Swedish corpus: 14 on-topic >= 0.814,
    # 10 off-topic <= 0.795; German "Welche Anforderungen gelten für Büromöbel?" 0.853.
    min_similarity_en: float = 0.805
    # A question that names a product area, requirement type or level, or a procurement term ("LCC" 0.839),
    # is about the domain; off-topic questions rarely do.
    min_similarity_domain: float = 0.825
    min_hit_similarity: float = 0.78
    hit_margin: float = 0.04
    # Below this similarity, an answer must also share a word that names the question's subject, or the subject
    # is not covered ("läkemedel", "snöröjning"): the domain words of such questions scored 0.85-0.87 on dev.
    min_similarity_subject: float = 0.88
    # An own requirement "matches" a library clause (the check suggests it) at this similarity or above: pasted
    # paraphrases of five furniture requirements scored 0.86-0.91 against their clauses, a clause's own text 0.95+.
    min_similarity_match: float = 0.87


@dataclass
class Assistant:
    """Answers questions from one retriever. Holds no per-user state: history and filters come with each
    call."""

    retriever: Retriever
    area_names: dict[str, dict[str, str]] = field(default_factory=dict)
    roots: dict[str, Path] = field(default_factory=dict)
    rewriter: Rewriter | None = None
    relevance: Relevance = field(default_factory=Relevance)
    max_clauses: int = 6
    max_guidance: int = 3
    max_examples: int = 3  # clauses shown as examples under a guidance answer
    _library: tuple[str, ClauseLibrary] | None = field(default=None, repr=False, compare=False)
    _library_lock: threading.Lock = field(default_factory=threading.Lock, repr=False, compare=False)

    # -- public API -----------------------------------------------------------------------------------------

    def answer(
        self,
        question: str,
        history: list[Turn] | None = None,
        filters: dict | None = None,
        language: str | None = None,
    ) -> Answer:
        """The answer to `question`, given earlier turns and the filters in force (None: as in the last
        turn)."""
        answer = self.extractive(question, history, filters, language)
        if not self._rewrites(answer):
            return answer
        return self._rewrite(question, answer)

    def stream(
        self,
        question: str,
        history: list[Turn] | None = None,
        filters: dict | None = None,
        language: str | None = None,
    ) -> Iterator[str]:
        """The answer's Markdown, growing: each value is the whole text so far."""
        for partial in self.stream_answer(question, history, filters, language):
            yield partial.markdown

    def stream_answer(
        self,
        question: str,
        history: list[Turn] | None = None,
        filters: dict | None = None,
        language: str | None = None,
    ) -> Iterator[Answer]:
        """Answers that grow block by block; the last one is the complete (checked) answer."""
        answer = self.extractive(question, history, filters, language)
        blocks = answer.markdown.split("\n\n")
        for end in range(1, len(blocks)):
            yield replace(answer, markdown="\n\n".join(blocks[:end]) + "\n")
        if not self._rewrites(answer):
            yield answer
            return
        # the extractive draft stays on screen, marked as such, while the model works
        waiting = _texts(answer.language)["llm_working"]
        yield replace(answer, markdown=f"{answer.markdown}\n*{waiting}*\n")
        yield self._rewrite(question, answer)

    def turn(self, question: str, answer: Answer) -> Turn:
        """The history entry for a finished exchange."""
        return Turn(
            question=question,
            answer=answer.markdown,
            filters_used=dict(answer.filters_used),
            language=answer.language,
            # a ladder answer goes on about the proposals it showed the levels of
            topic=answer.topic or question,
            proposed=[item.clause_id for item in [*answer.draft_items, *answer.more_items]],
        )

    def area_label(self, area: str, language: str = "sv") -> str:
        names = self.area_names.get(area) or {}
        return names.get("en" if language == "en" else "sv", area)

    # -- the extractive answer ------------------------------------------------------------------------------

    def extractive(
        self,
        question: str,
        history: list[Turn] | None = None,
        filters: dict | None = None,
        language: str | None = None,
    ) -> Answer:
        default_language = language or (history[-1].language if history else "sv")
        text = (question or "").strip()
        if not text:
            return compose_message(default_language, "empty")
        notice = ""
        if len(text) > MAX_QUESTION_CHARS:
            text = text[:MAX_QUESTION_CHARS]
            notice = "truncated"
        clean_filters = None if filters is None else {k: str(v) for k, v in filters.items() if v}
        resolved = resolve(text, history, clean_filters, default_language=default_language)
        request = ladder_request(text)
        if request and history and history[-1].proposed:
            answer = self._ladder(history[-1].proposed, request, resolved.language)
            answer.filters_used = dict(resolved.filters)
            answer.topic = history[-1].topic
            answer.language = resolved.language
            return answer
        # what the procurer set (dropdowns, options, or the last turn's): a filter; what the question names: a hint
        explicit = dict(clean_filters if clean_filters is not None else (history[-1].filters_used if history else {}))
        answer = self._compose(resolved, text, explicit)
        notices = []
        if notice:
            notices.append(_texts(resolved.language)["truncated"].format(n=MAX_QUESTION_CHARS))
        if resolved.other_language:
            notices.append(_texts(resolved.language)["other_language"])
        answer.notice = " ".join(notices)
        if answer.notice:
            answer.markdown = f"*{answer.notice}*\n\n{answer.markdown}"
        self._enrich(answer)
        answer.query = resolved.query
        answer.topic = resolved.topic
        answer.filters_used = dict(resolved.filters)
        answer.language = resolved.language
        assert not unresolved_citations(answer), "every [n] must name a listed source"
        return answer

    def _compose(self, resolved: Resolved, question: str, explicit: dict[str, str]) -> Answer:
        """Search once per kind (clauses, everything else), decide the area and the kind of answer, compose.

        `explicit` are the filters the procurer set (the app's dropdowns, the CLI's options, the last turn's);
        an area, type or level the question only names is a preference, decided against the evidence."""
        area_names = {slug: self.area_label(slug, resolved.language) for slug in self.area_names}
        # a follow-up ("bara spjutspetsnivå", "hur verifierar vi det?") goes on with the requirements it follows
        kind = "requirements" if resolved.followup else question_kind(question)
        subject = resolved.query if resolved.followup else question
        filters = {key: value for key, value in resolved.filters.items() if key in explicit}
        if kind == "requirements":  # "visa tilldelningskriterier": a type or level a request names filters it
            filters.update({k: v for k, v in resolved.filters.items() if k in ("type", "level")})
        hint = resolved.filters.get("area")
        clause_hits = self.retriever.search(
            resolved.query, k=40, filters={**filters, "kind": "clause"}, area_hint=hint
        )
        other_hits = [
            hit
            for hit in self.retriever.search(resolved.query, k=20, filters=_area_only(filters), area_hint=hint)
            if hit.kind != "clause"
        ]
        best = max([hit.similarity for hit in [*clause_hits, *other_hits]], default=0.0)
        if best < self._threshold(resolved):
            return compose_nothing(resolved.language, filters, area_names)
        area, also_area = (filters["area"], None) if "area" in filters else _decide_area(clause_hits, hint)
        used = {**filters, **({"area": area} if area else {})}
        call_off = about_call_off(question)  # clauses written only for a call-off answer only a call-off question
        clauses = _relevant(
            [h for h in clause_hits if _same_area(h, area) and (call_off or not _call_off_only(h))], self.relevance
        )
        guidance = _relevant([h for h in other_hits if _same_area(h, area)], self.relevance)
        strong = best >= self.relevance.min_similarity_subject
        if not strong and not _covers(subject, [*clauses[:8], *guidance[:4]]):
            closest = [*clauses[:2], *guidance[:1]]
            return compose_nothing(resolved.language, used, area_names, closest)
        if kind == "guidance" and guidance:
            examples = clauses[: self.max_examples] if resolved.intent == "verification" or area else []
            answer = compose_guidance(guidance[: self.max_guidance], examples, resolved.language, used, area_names)
            answer.also_area = also_area
            return answer
        if not clauses and not guidance:
            return compose_nothing(resolved.language, used, area_names)
        chosen, more = _balanced(clauses, self.relevance)
        if resolved.intent == "verification":
            guidance = guidance[:2]
        return compose(
            chosen, guidance[: self.max_guidance], resolved.language, used, area_names, resolved.intent, more,
            also_area,
        )  # fmt: skip

    def _threshold(self, resolved: Resolved) -> float:
        """The similarity an answer needs: lower for English queries and for questions in the domain."""
        english = detect_language(resolved.query) in ("en", "other")
        bar = self.relevance.min_similarity_en if english else self.relevance.min_similarity
        if DOMAIN_TERMS.search(resolved.query) or any(
            detect(resolved.query) for detect in (detect_area, detect_type, detect_level)
        ):
            bar = min(bar, self.relevance.min_similarity_domain)
        return bar

    def _rewrites(self, answer: Answer) -> bool:
        """Whether the model rephrases this extractive answer: only one that found cited sources."""
        return self.rewriter is not None and answer.found and bool(answer.sources)

    def _rewrite(self, question: str, answer: Answer) -> Answer:
        assert self.rewriter is not None
        try:
            return self.rewriter.rewrite(question, answer)
        except Exception as exc:  # any failure of the optional model: the extractive answer stands
            notice = _texts(answer.language)["llm_failed"].format(reason=_short(exc))
            notice = f"{answer.notice} {notice}".strip()
            return replace(answer, notice=notice, markdown=f"*{notice}*\n\n{without_notice(answer)}")

    # -- the requirement set: library, packages, ladder, check ------------------------------------------------

    def library(self) -> ClauseLibrary:
        """The clause library as the store holds it now (rebuilt when the retriever's index changes)."""
        index_of = getattr(self.retriever, "lexical_index", None)
        if index_of is None:
            return ClauseLibrary()
        index = index_of()
        with self._library_lock:
            if self._library is None or self._library[0] != index.fingerprint:
                self._library = (index.fingerprint, ClauseLibrary.from_chunks(index.texts, index.metadatas))
            return self._library[1]

    def package(self, area: str, groups: list[str] | None = None, level: str = "bas") -> list[DraftItem]:
        """A requirement package (kravpaket) as draft items, with recommended values; see `ClauseLibrary.package`."""
        library = self.library()
        if area not in library.areas():
            raise ConfigError(f"area {area!r} has no clauses; areas: {', '.join(library.areas())}")
        unknown = [group for group in groups or [] if group not in library.groups(area)]
        if unknown:
            raise ConfigError(
                f"{', '.join(repr(g) for g in unknown)} is no product group of {area!r}; groups: "
                f"{', '.join(library.groups(area))}"
            )
        return [self._item(clause) for clause in library.package(area, groups, level)]

    def ladder(self, clause_id: str) -> dict[str, list[DraftItem]]:
        """The bas / avancerad / spjutspets variants of a clause, as draft items."""
        library = self.library()
        if library.get(clause_id) is None:
            raise ConfigError(f"no clause with id {clause_id!r}")
        return {level: [self._item(c) for c in clauses] for level, clauses in library.ladder(clause_id).items()}

    def check_draft(self, items: list[DraftItem]) -> list[Finding]:
        """The completeness check over a draft (`assistant.review`)."""
        return review_draft(items, self._reference())

    def check_text(self, text: str) -> list[Finding]:
        """The completeness check over a procurer's own requirements, with library clauses that cover them."""
        area = area_in(text)
        return review_text(text, self._reference(), lambda requirement: self._library_match(requirement, area))

    def _ladder(self, clause_ids: list[str], request: str, language: str) -> Answer:
        """The levels (bas / avancerad / spjutspets) of the clauses an answer proposed, side by side; for
        "höj ambitionen", the higher-level variants as the proposals."""
        library = self.library()
        ladders = []
        for clause_id in clause_ids:
            clause = library.get(clause_id)
            ladder = library.ladder(clause_id) if clause is not None else {}
            if sum(len(v) for v in ladder.values()) > 1:
                ladders.append((clause, ladder))
        return compose_ladder(ladders, request, language, library.places)

    def _enrich(self, answer: Answer) -> None:
        """Give each clause source its level ladder and links to its UHM and EU GPP counterparts (its card shows
        them), from the library and the EU GPP reference table."""
        clause_sources = [source for source in answer.sources if source.kind == "clause" and source.clause_id]
        if not clause_sources:
            return
        library = self.library()
        gpp_urls = self._gpp_urls()
        for source in clause_sources:
            ladder = library.ladder(source.clause_id or "")
            if sum(len(entries) for entries in ladder.values()) > 1:
                source.details["ladder"] = {
                    level: [{"id": c.id, "title": c.title} for c in entries] for level, entries in ladder.items()
                }
            crosswalk = source.details.get("crosswalk")
            if not crosswalk:
                continue
            uhm, gpp = crosswalk.get("uhm"), crosswalk.get("eu_gpp")
            if uhm:
                page = next(
                    (ref.get("url") for ref in source.references if "upphandlingsmyndigheten.se" in str(ref.get("url"))
                     and (not uhm.get("id") or str(uhm["id"]) in str(ref.get("title")))),  # fmt: skip
                    None,
                )
                if page:
                    uhm["url"] = page
            if gpp and gpp.get("set") in gpp_urls:
                gpp["url"] = gpp_urls[gpp["set"]]

    def _gpp_urls(self) -> dict[str, str]:
        """EU GPP set -> the URL of its criteria document, from the corpus's reference table."""
        from indexing.yamlsafe import load_yaml

        for root in self.roots.values():
            path = Path(root) / "reference" / "eu-gpp-criteria.yaml"
            if path.is_file():
                sets = (load_yaml(path.read_text(encoding="utf-8")) or {}).get("sets") or {}
                return {str(name): str(meta.get("url")) for name, meta in sets.items() if isinstance(meta, dict)}
        return {}

    def _item(self, clause: Any) -> DraftItem:
        root, source = self.library().places.get(clause.id, ("corpus", ""))
        return DraftItem.from_clause(clause, source_path=source, root=root)

    def _reference(self) -> Reference:
        return load_reference(list(self.roots.values()), self.library().clauses)

    def _library_match(self, text: str, area: str | None) -> tuple[str, float] | None:
        """The library clause that covers an own requirement: the best clause of the document's area (when the
        text names one) in hybrid ranking, if its dense similarity reaches `Relevance.min_similarity_match`."""
        for hit in self.retriever.search(text, k=10, filters={"kind": "clause"}, area_hint=area):
            if area and hit.metadata.get("area") != area:
                continue
            if hit.similarity < self.relevance.min_similarity_match:
                return None
            return str(hit.metadata.get("clause_id", hit.doc_id)), hit.similarity
        return None

    # -- helpers for callers --------------------------------------------------------------------------------

    def timed_answer(self, question: str, **kwargs: Any) -> tuple[Answer, float]:
        start = time.perf_counter()
        answer = self.answer(question, **kwargs)
        return answer, time.perf_counter() - start


def _texts(language: str) -> dict[str, Any]:
    texts = dict(TEXTS["en" if language == "en" else "sv"])
    texts["llm_working"] = (
        "The language model is rephrasing this draft …"
        if language == "en"
        else "Språkmodellen formulerar om utkastet …"
    )
    texts["llm_failed"] = (
        "The language model did not answer ({reason}); this is the extractive draft from the sources."
        if language == "en"
        else "Språkmodellen svarade inte ({reason}); detta är det extraktiva utkastet direkt ur källorna."
    )
    return texts


def _short(exc: Exception) -> str:
    name = type(exc).__name__
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
    return f"{name}: {text[:120]}" if text else name


def _relevant(hits: list[Hit], relevance: Relevance) -> list[Hit]:
    """Hits (in their hybrid order) close enough in dense similarity to the best of them."""
    if not hits:
        return []
    best = max(hit.similarity for hit in hits)
    floor = max(relevance.min_hit_similarity, best - relevance.hit_margin)
    return [hit for hit in hits if hit.similarity >= floor]


# how many proposals of each type an answer shows first; the rest are offered behind "show all"
PER_TYPE = {"kvalificeringskrav": 2, "teknisk_specifikation": 4, "tilldelningskriterium": 3,
            "sarskilt_kontraktsvillkor": 3}  # fmt: skip
QUALIFICATION_MARGIN = 0.02  # a qualification requirement comes first in an answer: it must be about the purchase


def _balanced(clauses: list[Hit], relevance: Relevance) -> tuple[list[Hit], list[Hit]]:
    """A balanced proposal: the most relevant clauses of each type (in hybrid order), a few of each; the rest."""
    if not clauses:
        return [], []
    best = max(hit.similarity for hit in clauses)
    taken: dict[str, int] = {}
    chosen, more = [], []
    seen: set[str] = set()
    for hit in clauses:
        if hit.doc_id in seen:
            continue
        seen.add(hit.doc_id)
        type_ = str(hit.metadata.get("type", ""))
        if type_ == "kvalificeringskrav" and hit.similarity < best - QUALIFICATION_MARGIN:
            more.append(hit)
            continue
        if taken.get(type_, 0) < PER_TYPE.get(type_, 2):
            taken[type_] = taken.get(type_, 0) + 1
            chosen.append(hit)
        else:
            more.append(hit)
    return chosen, more


def _decide_area(clause_hits: list[Hit], hint: str | None) -> tuple[str | None, str | None]:
    """The area the evidence (the best clause hits) points to, and another that fits too. The area the question
    names wins unless the evidence clearly points elsewhere ("vitvaror till äldreboendet" is white goods)."""
    scores: dict[str, float] = {}
    for hit in clause_hits[:10]:
        area = hit.metadata.get("area")
        if area:
            scores[str(area)] = scores.get(str(area), 0.0) + hit.similarity
    if not scores:
        return hint, None
    ranked = sorted(scores.items(), key=lambda item: -item[1])
    likely = ranked[0][0]
    if hint and hint != likely and scores.get(hint, 0.0) >= 0.6 * ranked[0][1]:
        likely = hint
    others = [(area, score) for area, score in ranked if area != likely]
    also = others[0][0] if others and others[0][1] >= 0.75 * scores[likely] else None
    if hint and hint != likely:
        also = hint
    return likely, also


def _call_off_only(hit: Hit) -> bool:
    """Whether a clause hit is written only for a call-off from a framework agreement."""
    raw = hit.metadata.get("applicability")
    try:
        use = json.loads(raw) if isinstance(raw, str) else (raw or {})
    except ValueError:
        return False
    return bool(use.get("call_off")) and not any(
        use.get(key) for key in ("direktupphandling", "under_threshold", "over_threshold")
    )


def _area_only(filters: dict[str, str]) -> dict[str, str] | None:
    return {"area": filters["area"]} if filters.get("area") else None


def _covers(question: str, hits: list[Hit]) -> bool:
    """Whether the hits are about the question's subject: some word that names it (not a word every procurement
    question has) occurs in them. Only Swedish questions: an English one is matched through translations."""
    if detect_language(question) in ("en", "other") or not hits:
        return True
    terms = subject_terms(question)
    if not terms:
        return True
    text = " ".join(f"{hit.text} {hit.metadata.get('title', '')} {' '.join(hit.metadata.get('keywords') or [])}"
                    for hit in hits).lower()  # fmt: skip
    return any(term[:5] in text for term in terms)


def _same_area(hit: Hit, area: str | None) -> bool:
    """Whether a hit belongs to `area` (a hit without an area belongs to every area)."""
    hit_area = hit.metadata.get("area")
    return not area or not hit_area or hit_area == area


def load_area_names(corpus_dirs: list[Path]) -> dict[str, dict[str, str]]:
    """Area slug -> {"sv": ..., "en": ...} from the first corpus folder that has an `areas.yaml`."""
    import yaml

    for folder in corpus_dirs:
        path = Path(folder) / "areas.yaml"
        if path.is_file():
            data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
            return {
                str(slug): {"sv": str(v.get("sv", slug)), "en": str(v.get("en", slug))}
                for slug, v in data.items()
                if isinstance(v, dict)
            }
    return {}


_UNSET: Any = object()


def build_assistant(
    settings: Settings, *, embedder: Any = None, collection: Any = None, rewriter: Any = _UNSET
) -> Assistant:
    """The assistant the settings describe: store, embedder, hybrid retriever and, if configured, an LLM.

    `embedder`, `collection` and `rewriter` may be passed in when the caller has them already (e.g. after
    indexing, or after checking the LLM settings before anything else).
    """
    from assistant import wiring
    from assistant.llm import make_rewriter
    from assistant.retrieval import HybridRetriever

    if embedder is None:
        embedder = wiring.embedder_from(settings)
    if collection is None:
        collection = wiring.live_collection_from(settings, embedder)
    retriever = HybridRetriever(collection, QueryCache(embedder), cache_dir=settings.cache_dir)
    roots = {root.name: Path(root.path) for root in wiring.corpus_roots(settings)}
    return Assistant(
        retriever=retriever,
        area_names=load_area_names(list(settings.corpus_dirs)),
        roots=roots,
        rewriter=make_rewriter(settings) if rewriter is _UNSET else rewriter,
    )
