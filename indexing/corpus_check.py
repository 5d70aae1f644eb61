"""Check the corpus (clause library and guidance notes) against schema v2 (docs/ARCHITECTURE.md).

Run `python -m indexing.corpus_check [corpus-dir] [--schema-only]` to list every problem (exit code 1 if any);
without --schema-only it also asks for every note and clause file the seed corpus promises.

Each clause is read with the clause model (`indexing.clause_model.Clause`): a wrong type or value is reported
by field. A clause that reads is then held to what makes it tender-ready, across the whole library:

- an award criterion has `evaluation` (a model, a formula or scale, a weight) and `binding_by` names a clause;
- every `{name}` in a text has a parameter with a recommended value in its range; no bare `[X]`;
- no vague word (`reference/vaga-ord.yaml`) in a kvalificeringskrav or a teknisk specifikation, and no label or
  standard without "eller likvärdigt";
- a kvalificeringskrav is verified at tender, never during the contract;
- every id in `requires`, `pairs_with`, `replaces` and `binding_by` exists; `replaces` names a lower level;
- every `crosswalk.eu_gpp` is a row of `reference/eu-gpp-criteria.yaml`;
- sources are specific pages with an evidence marker, not site roots or landing pages
  (`reference/landing-pages.yaml`);
- `follow_up`, `legal_basis`, `applicability` and `last_reviewed` (within three years) are given; a special
  contract condition says what follows a breach (`sanction`).
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import yaml
from pydantic import ValidationError

from indexing.clause_model import EQUIVALENT, LABELS, PLACEHOLDER, STRATEGIES, Clause, SourceRef, field_problems
from indexing.loaders.text import split_front_matter
from indexing.schema import LEVELS
from indexing.yamlsafe import load_yaml

__all__ = ["STRATEGIES", "Problem", "check_corpus", "load_clauses_of", "main"]

TYPE_CODES = {
    "KK": "kvalificeringskrav",
    "TS": "teknisk_specifikation",
    "TK": "tilldelningskriterium",
    "SK": "sarskilt_kontraktsvillkor",
}
SHARED_GUIDANCE = (
    "process-cirkular-upphandling",
    "lou-principer-och-proportionalitet",
    "lou-specifikationer-och-markning",
    "lou-tilldelning-och-livscykelkostnad",
    "lou-kontraktsvillkor-och-innovation",
    "kravtyp-och-niva",
    "verifiering-och-uppfoljning",
    "cirkulara-strategier-och-affarsmodeller",
    "markningar-och-standarder",
    "regional-kontext-glesbygd",
    "ordlista-sv-en",
)
GUIDANCE_FIELDS = ("doc_id", "title", "sources", "updated")
OPTIONAL_GUIDANCE_FIELDS = ("area",)
MISSING_NOTE = "missing: docs/ARCHITECTURE.md lists it"
CLAUSE_ID = re.compile(r"^(?P<prefix>[A-Z]+)-(?P<code>KK|TS|TK|SK)-(?P<number>\d{2,})$")
DOC_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
# "[X]", "[antal]", "[ange år]", "XX": a blank the buyer was meant to fill, left in the text
BARE_BLANK = re.compile(r"\[[\w .%/-]{0,30}\](?!\()|\bX{2,}\b")
# a kvalificeringskrav checked after the award is no qualification requirement
DURING_CONTRACT = re.compile(
    r"\b(under avtalstiden|under avtalsperioden|under kontraktstiden|vid avtalsstart|löpande|årligen"
    r"|vid leverans|vid uppföljning|vid avtalets uppstartsmöte|stickprov)\b",
    re.IGNORECASE,
)
REVIEW_YEARS = 3
REFERENCE = "reference"
VAGUE_FILE = f"{REFERENCE}/vaga-ord.yaml"
GPP_FILE = f"{REFERENCE}/eu-gpp-criteria.yaml"
LANDING_FILE = f"{REFERENCE}/landing-pages.yaml"


@dataclass(frozen=True)
class Problem:
    """One problem: the file (relative to the corpus folder), the clause id if any, what is wrong."""

    file: str
    clause_id: str | None
    message: str

    def __str__(self) -> str:
        if self.clause_id:
            return f"{self.file}: {self.clause_id}: {self.message}"
        return f"{self.file}: {self.message}"


@dataclass
class _Reference:
    """The corpus's own reference data: vague words, EU GPP criterion rows, landing pages."""

    vague: re.Pattern[str] | None
    gpp_rows: set[tuple[str, str, str, str]]
    gpp_years: dict[str, int]
    landing: set[str]
    has_gpp: bool


def check_corpus(corpus_dir: Path, complete: bool = False, today: date | None = None) -> list[Problem]:
    """Every problem in `corpus_dir` (areas.yaml, clauses/*.yaml, guidance/*.md, reference/); empty when sound.

    `complete` also asks for what docs/ARCHITECTURE.md promises of the seed corpus: the shared guidance notes,
    and a clause file and a `vagledning-<area>` note for every area (not for an organisation's own library).
    """
    problems: list[Problem] = []
    today = today or date.today()
    areas = _load_areas(corpus_dir, problems)
    reference = _load_reference(corpus_dir, problems)
    guidance_ids = _check_guidance(corpus_dir, areas, reference, problems)
    _check_clauses(corpus_dir, areas, guidance_ids, reference, today, problems)
    if complete:
        for doc_id in [*SHARED_GUIDANCE, *(f"vagledning-{slug}" for slug in areas)]:
            if doc_id not in guidance_ids:
                problems.append(Problem(f"guidance/{doc_id}.md", None, MISSING_NOTE))
        for slug in areas:
            if not (corpus_dir / "clauses" / f"{slug}.yaml").is_file():
                message = f"missing: area {slug!r} has no clauses"
                problems.append(Problem(f"clauses/{slug}.yaml", None, message))
    return problems


def load_clauses_of(corpus_dir: Path) -> list[Clause]:
    """Every clause of the library that reads (skipping what the validator would report)."""
    out: list[Clause] = []
    for path in sorted((corpus_dir / "clauses").glob("*.y*ml")):
        data = _read_yaml(path, [], path.name)
        if not isinstance(data, dict) or not isinstance(data.get("clauses"), list):
            continue
        for raw in data["clauses"]:
            try:
                out.append(Clause.model_validate(raw))
            except ValidationError:
                continue
    return out


# --- reading -------------------------------------------------------------------------------------------------


def _rel(path: Path, corpus_dir: Path) -> str:
    try:
        return path.relative_to(corpus_dir).as_posix()
    except ValueError:
        return str(path)


def _read_yaml(path: Path, problems: list[Problem], file: str) -> Any:
    """The YAML of `path`, or None after reporting why it cannot be read."""
    try:
        return load_yaml(path.read_text(encoding="utf-8"))
    except UnicodeDecodeError:
        problems.append(Problem(file, None, "not UTF-8 text"))
    except yaml.YAMLError as exc:
        problems.append(Problem(file, None, f"not valid YAML: {_one_line(exc)}"))
    except OSError as exc:
        problems.append(Problem(file, None, f"cannot be read: {exc.strerror or exc}"))
    return None


def _load_areas(corpus_dir: Path, problems: list[Problem]) -> dict[str, dict[str, Any]]:
    path = corpus_dir / "areas.yaml"
    if not path.is_file():
        problems.append(Problem("areas.yaml", None, "missing: the product areas (slug -> {prefix, sv, en})"))
        return {}
    data = _read_yaml(path, problems, "areas.yaml")
    if data is None:
        return {}
    if not isinstance(data, dict):
        problems.append(Problem("areas.yaml", None, "must be a mapping of area slug -> {prefix, sv, en}"))
        return {}
    areas: dict[str, dict[str, Any]] = {}
    prefixes: dict[str, str] = {}
    for slug, area in data.items():
        if not isinstance(area, dict) or not all(isinstance(area.get(key), str) for key in ("prefix", "sv", "en")):
            problems.append(Problem("areas.yaml", None, f"area {slug!r} needs prefix, sv and en (text)"))
            continue
        prefix = str(area["prefix"])
        if prefix in prefixes:
            message = f"areas {prefixes[prefix]!r} and {slug!r} share prefix {prefix!r}"
            problems.append(Problem("areas.yaml", None, message))
        prefixes[prefix] = str(slug)
        areas[str(slug)] = area
    return areas


def _load_reference(corpus_dir: Path, problems: list[Problem]) -> _Reference:
    reference = _Reference(vague=None, gpp_rows=set(), gpp_years={}, landing=set(), has_gpp=False)
    vague_path = corpus_dir / VAGUE_FILE
    if vague_path.is_file():
        data = _read_yaml(vague_path, problems, VAGUE_FILE)
        words = data.get("vague") if isinstance(data, dict) else None
        if not isinstance(words, list) or not all(isinstance(word, str) and word.strip() for word in words):
            problems.append(Problem(VAGUE_FILE, None, "needs `vague:`, a list of words and phrases"))
        elif words:
            alternatives = "|".join(re.escape(word.strip()) for word in sorted(words, key=len, reverse=True))
            reference.vague = re.compile(rf"(?<![\wåäö])({alternatives})(?![\wåäö])", re.IGNORECASE)
    gpp_path = corpus_dir / GPP_FILE
    if gpp_path.is_file():
        data = _read_yaml(gpp_path, problems, GPP_FILE)
        rows = data.get("criteria") if isinstance(data, dict) else None
        sets = data.get("sets") if isinstance(data, dict) else None
        if not isinstance(rows, list) or not isinstance(sets, dict):
            problems.append(Problem(GPP_FILE, None, "needs `sets:` and `criteria:`"))
        else:
            reference.has_gpp = True
            reference.gpp_years = {str(name): int(meta.get("year", 0)) for name, meta in sets.items()}
            for row in rows:
                if isinstance(row, dict):
                    key = tuple(str(row.get(name, "")) for name in ("set", "stream", "id", "level"))
                    reference.gpp_rows.add((key[0], key[1], key[2], key[3]))
    landing_path = corpus_dir / LANDING_FILE
    if landing_path.is_file():
        data = _read_yaml(landing_path, problems, LANDING_FILE)
        pages = data.get("landing_pages") if isinstance(data, dict) else None
        if not isinstance(pages, list):
            problems.append(Problem(LANDING_FILE, None, "needs `landing_pages:`, a list of URLs"))
        else:
            reference.landing = {_normal_url(str(page)) for page in pages}
    return reference


# --- guidance notes -------------------------------------------------------------------------------------------


def _check_guidance(
    corpus_dir: Path, areas: dict[str, dict[str, Any]], reference: _Reference, problems: list[Problem]
) -> set[str]:
    seen: dict[str, str] = {}
    for path in sorted((corpus_dir / "guidance").glob("*.md")):
        file = _rel(path, corpus_dir)
        try:
            meta, body = split_front_matter(path.read_text(encoding="utf-8"))
        except UnicodeDecodeError:
            problems.append(Problem(file, None, "not UTF-8 text"))
            continue
        except yaml.YAMLError as exc:
            problems.append(Problem(file, None, f"front matter is not valid YAML: {_one_line(exc)}"))
            continue
        if meta is None:
            problems.append(Problem(file, None, "no YAML front matter (doc_id, title, sources, updated)"))
            continue
        for name in GUIDANCE_FIELDS:
            if _empty(meta.get(name)):
                problems.append(Problem(file, None, f"front matter field {name!r} is missing or empty"))
        known = set(GUIDANCE_FIELDS) | set(OPTIONAL_GUIDANCE_FIELDS)
        for name in sorted(set(meta) - known, key=str):
            problems.append(Problem(file, None, f"unknown front matter field {name!r}"))
        doc_id = meta.get("doc_id")
        if isinstance(doc_id, str) and doc_id:
            if not DOC_ID.match(doc_id):
                problems.append(Problem(file, None, f"doc_id {doc_id!r} is not a lowercase ASCII slug"))
            if doc_id != path.stem:
                message = f"doc_id {doc_id!r} differs from the file name {path.stem!r}"
                problems.append(Problem(file, None, message))
            if doc_id in seen:
                problems.append(Problem(file, None, f"duplicate doc_id {doc_id!r} (also in {seen[doc_id]})"))
            else:
                seen[doc_id] = file
        elif doc_id is not None:
            problems.append(Problem(file, None, "field 'doc_id' must be text"))
        if not isinstance(meta.get("title", ""), str):
            problems.append(Problem(file, None, "field 'title' must be text"))
        updated = meta.get("updated")
        if updated is not None and not isinstance(updated, date) and not _is_iso_date(str(updated)):
            problems.append(Problem(file, None, f"updated {updated!r} is not a date (YYYY-MM-DD)"))
        area = meta.get("area")
        if area is not None and (not isinstance(area, str) or area not in areas):
            problems.append(Problem(file, None, f"area {area!r} is not a slug in areas.yaml"))
        if not _empty(meta.get("sources")):
            for message in _source_problems(meta["sources"], None, reference, allow_doc_id=False):
                problems.append(Problem(file, None, message))
        if not body.strip():
            problems.append(Problem(file, None, "the note has no text after its front matter"))
    return set(seen)


# --- clauses --------------------------------------------------------------------------------------------------


def _check_clauses(
    corpus_dir: Path,
    areas: dict[str, dict[str, Any]],
    guidance_ids: set[str],
    reference: _Reference,
    today: date,
    problems: list[Problem],
) -> None:
    seen: dict[str, str] = {}
    clauses: list[tuple[str, Clause]] = []
    for path in sorted((corpus_dir / "clauses").glob("*.y*ml")):
        file = _rel(path, corpus_dir)
        data = _read_yaml(path, problems, file)
        if data is None:
            continue
        if not isinstance(data, dict) or not isinstance(data.get("clauses"), list):
            problems.append(Problem(file, None, "must have a top-level `clauses:` list"))
            continue
        if path.stem not in areas:
            problems.append(Problem(file, None, f"file name {path.stem!r} is not an area slug in areas.yaml"))
        for position, raw in enumerate(data["clauses"], start=1):
            if not isinstance(raw, dict):
                problems.append(Problem(file, None, f"clause #{position} is not a mapping"))
                continue
            raw_id = raw.get("id")
            clause_id = raw_id if isinstance(raw_id, str) and raw_id.strip() else None
            label = clause_id or f"clause #{position}"
            if clause_id:
                if clause_id in seen:
                    problems.append(Problem(file, clause_id, f"duplicate id (also in {seen[clause_id]})"))
                else:
                    seen[clause_id] = file
            try:
                clause = Clause.model_validate(raw)
            except ValidationError as exc:
                problems.extend(Problem(file, label, message) for message in field_problems(exc))
                continue
            clauses.append((file, clause))
            for message in _clause_problems(clause, path.stem, areas, guidance_ids, reference, today):
                problems.append(Problem(file, clause.id, message))
    by_id = {clause.id: clause for _, clause in clauses}
    known_ids = set(seen)
    for file, clause in clauses:
        for message in _link_problems(clause, by_id, known_ids):
            problems.append(Problem(file, clause.id, message))


def _clause_problems(
    clause: Clause,
    file_area: str,
    areas: dict[str, dict[str, Any]],
    guidance_ids: set[str],
    reference: _Reference,
    today: date,
) -> list[str]:
    out: list[str] = []
    if clause.area not in areas:
        out.append(f"area {clause.area!r} is not a slug in areas.yaml")
    elif file_area in areas and clause.area != file_area:
        out.append(f"area {clause.area!r} does not match the file's area {file_area!r}")
    out.extend(_id_problems(clause.id, clause.type, clause.area, areas))
    out.extend(_source_problems(clause.sources, guidance_ids, reference, allow_doc_id=True))
    out.extend(_text_problems(clause, reference))
    out.extend(_type_problems(clause))
    out.extend(_v2_presence(clause, today))
    out.extend(_crosswalk_problems(clause, reference))
    return out


def _text_problems(clause: Clause, reference: _Reference) -> list[str]:
    out = []
    placeholders = clause.placeholders()
    parameters = {parameter.name: parameter for parameter in clause.parameters}
    for name in placeholders:
        parameter = parameters.get(name)
        if parameter is None:
            out.append(f"field 'parameters': {{{name}}} has no parameter")
        elif parameter.recommended is None:
            out.append(f"field 'parameters.{name}.recommended' is missing: every value needs a recommended one")
        elif not parameter.allows(parameter.recommended):
            out.append(f"field 'parameters.{name}.recommended': {parameter.recommended!r} is outside its range")
    for name in parameters:
        if name not in placeholders:
            out.append(f"field 'parameters': {name!r} has no {{{name}}} in the text, sanction or award formula")
    for field, value in {**clause.templated(), "verification": clause.verification}.items():
        blank = BARE_BLANK.search(PLACEHOLDER.sub("", value))
        if blank:
            out.append(f"field {field!r}: bare blank {blank.group(0)!r}: make it a {{parameter}} with a value")
    named = sorted({match.group(0).strip() for match in LABELS.finditer(clause.text)})
    if named and not EQUIVALENT.search(clause.text):
        out.append(f"field 'text': {', '.join(named)} named without \"eller likvärdigt\"")
    if reference.vague is not None and clause.type in ("kvalificeringskrav", "teknisk_specifikation"):
        found = sorted({match.group(0).lower() for match in reference.vague.finditer(clause.text)})
        if found:
            out.append(
                f"field 'text': vague word(s) {', '.join(repr(word) for word in found)} in a mandatory "
                f"requirement ({VAGUE_FILE}); say what is meant"
            )
    return out


def _type_problems(clause: Clause) -> list[str]:
    out = []
    if clause.type == "tilldelningskriterium":
        if clause.evaluation is None:
            out.append("field 'evaluation' is missing: an award criterion needs a scoring model and binding_by")
    elif clause.evaluation is not None:
        out.append("field 'evaluation': only an award criterion (tilldelningskriterium) is scored")
    if clause.type == "kvalificeringskrav":
        later = [step.when for step in clause.follow_up if step.when != "anbud"]
        if later:
            out.append(
                f"field 'follow_up': a kvalificeringskrav is verified at tender, not at {', '.join(later)}; "
                "make what is checked during the contract a sarskilt_kontraktsvillkor"
            )
        during = DURING_CONTRACT.search(clause.verification)
        if during:
            out.append(
                f"field 'verification': a kvalificeringskrav is verified at tender, but this says "
                f"{during.group(0)!r}; make it a sarskilt_kontraktsvillkor"
            )
    if clause.type == "sarskilt_kontraktsvillkor" and not clause.sanction.strip():
        out.append("field 'sanction' is missing: a contract condition says what follows a breach")
    return out


def _v2_presence(clause: Clause, today: date) -> list[str]:
    out = []
    if not clause.follow_up:
        out.append("field 'follow_up' is missing: when, on what evidence and by whom it is followed up")
    if not clause.legal_basis.strip():
        out.append("field 'legal_basis' is missing: the LOU provision the requirement type rests on")
    if clause.applicability is None:
        out.append("field 'applicability' is missing: direktupphandling, under/over threshold, call_off")
    if clause.last_reviewed is None:
        out.append("field 'last_reviewed' is missing: the date the clause was last checked")
    else:
        if clause.last_reviewed > today:
            out.append(f"field 'last_reviewed': {clause.last_reviewed} is in the future")
        elif (today - clause.last_reviewed).days > REVIEW_YEARS * 365:
            out.append(f"field 'last_reviewed': {clause.last_reviewed} is more than {REVIEW_YEARS} years ago")
        if clause.review_by is not None and clause.review_by < clause.last_reviewed:
            out.append(f"field 'review_by': {clause.review_by} comes before last_reviewed")
    return out


def _crosswalk_problems(clause: Clause, reference: _Reference) -> list[str]:
    gpp = clause.crosswalk.eu_gpp if clause.crosswalk else None
    if gpp is None:
        return []
    if not reference.has_gpp:
        return [f"field 'crosswalk.eu_gpp': no reference table {GPP_FILE} to check it against"]
    out = []
    levels = {gpp.level, "both"} if gpp.level in ("core", "comprehensive") else {gpp.level}
    if not any((gpp.set, gpp.stream, gpp.id, level) in reference.gpp_rows for level in levels):
        out.append(
            f"field 'crosswalk.eu_gpp': {gpp.set}/{gpp.stream}/{gpp.id} ({gpp.level}) is not a row of {GPP_FILE}"
        )
    elif reference.gpp_years.get(gpp.set) not in (None, gpp.year):
        out.append(f"field 'crosswalk.eu_gpp.year': the {gpp.set} criteria are of {reference.gpp_years[gpp.set]}")
    return out


def _link_problems(clause: Clause, by_id: dict[str, Clause], known_ids: set[str]) -> list[str]:
    out = []
    for field in ("requires", "pairs_with", "replaces"):
        for other in getattr(clause, field):
            if other == clause.id:
                out.append(f"field {field!r}: names the clause itself")
            elif other not in known_ids:
                out.append(f"field {field!r}: {other!r} names no clause in the library")
    if clause.evaluation is not None:
        binding = clause.evaluation.binding_by
        if binding not in known_ids:
            out.append(f"field 'evaluation.binding_by': {binding!r} names no clause in the library")
        elif binding == clause.id:
            out.append("field 'evaluation.binding_by': an award criterion cannot bind itself; name a contract term")
    for other_id in clause.replaces:
        other = by_id.get(other_id)
        if other is None:
            continue
        if LEVELS.index(other.level) >= LEVELS.index(clause.level):
            out.append(f"field 'replaces': {other_id} is {other.level}, not a lower level than {clause.level}")
        if other.type != clause.type:
            out.append(f"field 'replaces': {other_id} is a {other.type}, not a {clause.type}")
    return out


def _id_problems(clause_id: str, kind: str, area: str, areas: dict[str, dict[str, Any]]) -> list[str]:
    match = CLAUSE_ID.match(clause_id)
    if not match:
        return [f"id {clause_id!r} is not of the form <PREFIX>-<KK|TS|TK|SK>-<NN>"]
    out = []
    if area in areas and match["prefix"] != str(areas[area]["prefix"]):
        out.append(f"id prefix {match['prefix']!r} does not match area {area!r} (prefix {areas[area]['prefix']!r})")
    if TYPE_CODES[match["code"]] != kind:
        expected = next(code for code, name in TYPE_CODES.items() if name == kind)
        out.append(f"id type code {match['code']!r} does not match type {kind!r} (expected {expected!r})")
    return out


def _source_problems(
    sources: Any, guidance_ids: set[str] | None, reference: _Reference, allow_doc_id: bool
) -> list[str]:
    if not isinstance(sources, list):
        return ["sources must be a list"]
    out = []
    for position, raw in enumerate(sources, start=1):
        where = f"source #{position}"
        if isinstance(raw, SourceRef):
            source = raw
        else:
            if not isinstance(raw, dict):
                out.append(f"{where} must be a mapping ({{doc_id}} or {{title, url, evidence}})")
                continue
            try:
                source = SourceRef.model_validate(raw)
            except ValidationError as exc:
                out.extend(f"{where}: {message}" for message in field_problems(exc))
                continue
        if source.doc_id is not None:
            if not allow_doc_id:
                out.append(f"{where}: a guidance note's sources need title and url, not doc_id")
            elif guidance_ids is not None and source.doc_id not in guidance_ids:
                out.append(f"{where}: doc_id {source.doc_id!r} names no guidance note in guidance/")
            continue
        url = source.url or ""
        if _is_site_root(url):
            out.append(f"{where}: url {url!r} is a site root; cite the specific page")
        elif _normal_url(url) in reference.landing:
            out.append(f"{where}: url {url!r} is a landing page ({LANDING_FILE}); cite the specific page")
        if source.evidence is None:
            out.append(f"{where}: field 'evidence' is missing: V (verified), S (secondary) or U (uncertain)")
    return out


def _is_site_root(url: str) -> bool:
    parsed = urlparse(url)
    return parsed.path in ("", "/") and not parsed.query


def _normal_url(url: str) -> str:
    parsed = urlparse(url.strip())
    return f"{parsed.netloc.lower().removeprefix('www.')}{parsed.path.rstrip('/')}"


def _empty(value: Any) -> bool:
    if value is None:
        return True
    if isinstance(value, str | list | dict):
        return not (value.strip() if isinstance(value, str) else value)
    return False


def _is_iso_date(text: str) -> bool:
    try:
        date.fromisoformat(text)
    except ValueError:
        return False
    return True


def _one_line(exc: Exception) -> str:
    return " ".join(str(exc).split())


def main(argv: list[str] | None = None) -> int:
    """List the corpus's problems on stdout; exit 1 when there are any."""
    args = sys.argv[1:] if argv is None else argv
    folders = [arg for arg in args if not arg.startswith("--")]
    corpus_dir = Path(folders[0]) if folders else Path("corpus")
    problems = check_corpus(corpus_dir, complete="--schema-only" not in args)
    for problem in problems:
        print(problem)
    print(f"{len(problems)} problem(s) in {corpus_dir}", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
