"""Check the seed corpus (clause library and guidance notes) against the schema in docs/ARCHITECTURE.md.

Run `python -m indexing.corpus_check [corpus-dir] [--schema-only]` to list every problem (exit code 1 if any);
without --schema-only it also asks for every note and clause file the seed corpus promises.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import yaml

from indexing.loaders import split_front_matter
from indexing.schema import LEVELS, TYPES

STRATEGIES = (
    "återbruk",
    "reparation",
    "lång_livslängd",
    "återtag",
    "återvunnet_material",
    "delning_och_tjänst",
    "giftfritt",
    "resurseffektivitet",
)
TYPE_CODES = {
    "KK": "kvalificeringskrav",
    "TS": "teknisk_specifikation",
    "TK": "tilldelningskriterium",
    "SK": "sarskilt_kontraktsvillkor",
}
CLAUSE_FIELDS = (
    "id", "title", "area", "type", "level", "strategies", "text", "verification", "rationale", "sources",
)  # fmt: skip
OPTIONAL_CLAUSE_FIELDS = ("group", "keywords")
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


@dataclass(frozen=True)
class Problem:
    """One schema problem: the file (relative to the corpus folder), the clause id if any, what is wrong."""

    file: str
    clause_id: str | None
    message: str

    def __str__(self) -> str:
        if self.clause_id:
            return f"{self.file}: {self.clause_id}: {self.message}"
        return f"{self.file}: {self.message}"


def check_corpus(corpus_dir: Path, complete: bool = False) -> list[Problem]:
    """Every schema problem in `corpus_dir` (areas.yaml, clauses/*.yaml, guidance/*.md); empty when sound.

    `complete` also asks for what docs/ARCHITECTURE.md promises of the seed corpus: the shared guidance notes,
    and a clause file and a `vagledning-<area>` note for every area (not for an organisation's own library).
    """
    problems: list[Problem] = []
    areas = _load_areas(corpus_dir, problems)
    guidance_ids = _check_guidance(corpus_dir, areas, problems)
    _check_clauses(corpus_dir, areas, guidance_ids, problems)
    if complete:
        for doc_id in [*SHARED_GUIDANCE, *(f"vagledning-{slug}" for slug in areas)]:
            if doc_id not in guidance_ids:
                problems.append(Problem(f"guidance/{doc_id}.md", None, MISSING_NOTE))
        for slug in areas:
            if not (corpus_dir / "clauses" / f"{slug}.yaml").is_file():
                message = f"missing: area {slug!r} has no clauses"
                problems.append(Problem(f"clauses/{slug}.yaml", None, message))
    return problems


def _rel(path: Path, corpus_dir: Path) -> str:
    try:
        return path.relative_to(corpus_dir).as_posix()
    except ValueError:
        return str(path)


def _load_areas(corpus_dir: Path, problems: list[Problem]) -> dict[str, dict[str, Any]]:
    path = corpus_dir / "areas.yaml"
    if not path.is_file():
        problems.append(Problem("areas.yaml", None, "missing: the product areas (slug -> {prefix, sv, en})"))
        return {}
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        problems.append(Problem("areas.yaml", None, f"not valid YAML: {_one_line(exc)}"))
        return {}
    if not isinstance(data, dict):
        problems.append(Problem("areas.yaml", None, "must be a mapping of area slug -> {prefix, sv, en}"))
        return {}
    areas: dict[str, dict[str, Any]] = {}
    prefixes: dict[str, str] = {}
    for slug, area in data.items():
        if not isinstance(area, dict) or not all(area.get(key) for key in ("prefix", "sv", "en")):
            problems.append(Problem("areas.yaml", None, f"area {slug!r} needs prefix, sv and en"))
            continue
        prefix = str(area["prefix"])
        if prefix in prefixes:
            message = f"areas {prefixes[prefix]!r} and {slug!r} share prefix {prefix!r}"
            problems.append(Problem("areas.yaml", None, message))
        prefixes[prefix] = str(slug)
        areas[str(slug)] = area
    return areas


def _check_guidance(corpus_dir: Path, areas: dict[str, dict[str, Any]], problems: list[Problem]) -> set[str]:
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
            problems.append(Problem(file, None, "doc_id must be a string"))
        updated = meta.get("updated")
        if updated is not None and not isinstance(updated, date) and not _is_iso_date(str(updated)):
            problems.append(Problem(file, None, f"updated {updated!r} is not a date (YYYY-MM-DD)"))
        area = meta.get("area")
        if area is not None and area not in areas:
            problems.append(Problem(file, None, f"area {area!r} is not a slug in areas.yaml"))
        if not _empty(meta.get("sources")):
            for message in _source_problems(meta["sources"], None, allow_doc_id=False):
                problems.append(Problem(file, None, message))
        if not body.strip():
            problems.append(Problem(file, None, "the note has no text after its front matter"))
    return set(seen)


def _check_clauses(
    corpus_dir: Path, areas: dict[str, dict[str, Any]], guidance_ids: set[str], problems: list[Problem]
) -> None:
    seen: dict[str, str] = {}
    for path in sorted((corpus_dir / "clauses").glob("*.y*ml")):
        file = _rel(path, corpus_dir)
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8"))
        except UnicodeDecodeError:
            problems.append(Problem(file, None, "not UTF-8 text"))
            continue
        except yaml.YAMLError as exc:
            problems.append(Problem(file, None, f"not valid YAML: {_one_line(exc)}"))
            continue
        if not isinstance(data, dict) or not isinstance(data.get("clauses"), list):
            problems.append(Problem(file, None, "must have a top-level `clauses:` list"))
            continue
        if path.stem not in areas:
            problems.append(Problem(file, None, f"file name {path.stem!r} is not an area slug in areas.yaml"))
        for position, clause in enumerate(data["clauses"], start=1):
            if not isinstance(clause, dict):
                problems.append(Problem(file, None, f"clause #{position} is not a mapping"))
                continue
            clause_id = clause.get("id") if isinstance(clause.get("id"), str) and clause.get("id") else None
            label = clause_id or f"clause #{position}"
            for message in _clause_problems(clause, path.stem, areas, guidance_ids):
                problems.append(Problem(file, label, message))
            if clause_id:
                if clause_id in seen:
                    problems.append(Problem(file, clause_id, f"duplicate id (also in {seen[clause_id]})"))
                else:
                    seen[clause_id] = file


def _clause_problems(
    clause: dict[str, Any], file_area: str, areas: dict[str, dict[str, Any]], guidance_ids: set[str]
) -> list[str]:
    out: list[str] = []
    for name in CLAUSE_FIELDS:
        if _empty(clause.get(name)):
            out.append(f"field {name!r} is missing or empty")
    for name in sorted(set(clause) - set(CLAUSE_FIELDS) - set(OPTIONAL_CLAUSE_FIELDS), key=str):
        out.append(f"unknown field {name!r}")
    for name in ("id", "title", "area", "type", "level", "text", "verification", "rationale", "group"):
        if clause.get(name) is not None and not isinstance(clause[name], str):
            out.append(f"field {name!r} must be text")
    if "group" in clause and _empty(clause["group"]):
        out.append("field 'group' is empty (leave it out instead)")
    kind, level, area = clause.get("type"), clause.get("level"), clause.get("area")
    if isinstance(kind, str) and kind and kind not in TYPES:
        out.append(f"type {kind!r} is not one of {', '.join(TYPES)}")
    if isinstance(level, str) and level and level not in LEVELS:
        out.append(f"level {level!r} is not one of {', '.join(LEVELS)}")
    if isinstance(area, str) and area:
        if area not in areas:
            out.append(f"area {area!r} is not a slug in areas.yaml")
        elif file_area in areas and area != file_area:
            out.append(f"area {area!r} does not match the file's area {file_area!r}")
    strategies = clause.get("strategies")
    if strategies is not None and not isinstance(strategies, list):
        out.append("strategies must be a list")
    elif strategies:
        for strategy in strategies:
            if strategy not in STRATEGIES:
                out.append(f"strategy {strategy!r} is not one of {', '.join(STRATEGIES)}")
    keywords = clause.get("keywords")
    if keywords is not None and not (
        isinstance(keywords, list) and keywords and all(isinstance(k, str) and k.strip() for k in keywords)
    ):
        out.append("keywords must be a list of words (leave it out instead of leaving it empty)")
    clause_id = clause.get("id")
    if isinstance(clause_id, str) and clause_id:
        out.extend(_id_problems(clause_id, kind, area, areas))
    if not _empty(clause.get("sources")):
        out.extend(_source_problems(clause["sources"], guidance_ids, allow_doc_id=True))
    return out


def _id_problems(clause_id: str, kind: Any, area: Any, areas: dict[str, dict[str, Any]]) -> list[str]:
    match = CLAUSE_ID.match(clause_id)
    if not match:
        return [f"id {clause_id!r} is not of the form <PREFIX>-<KK|TS|TK|SK>-<NN>"]
    out = []
    if isinstance(area, str) and area in areas and match["prefix"] != str(areas[area]["prefix"]):
        prefix = areas[area]["prefix"]
        out.append(f"id prefix {match['prefix']!r} does not match area {area!r} (prefix {prefix!r})")
    if isinstance(kind, str) and kind in TYPES and TYPE_CODES[match["code"]] != kind:
        expected = next(code for code, name in TYPE_CODES.items() if name == kind)
        out.append(f"id type code {match['code']!r} does not match type {kind!r} (expected {expected!r})")
    return out


def _source_problems(sources: Any, guidance_ids: set[str] | None, allow_doc_id: bool) -> list[str]:
    if not isinstance(sources, list):
        return ["sources must be a list"]
    out = []
    for position, source in enumerate(sources, start=1):
        where = f"source #{position}"
        if not isinstance(source, dict):
            out.append(f"{where} must be a mapping ({{doc_id}} or {{title, url}})")
            continue
        if "doc_id" in source:
            if not allow_doc_id:
                out.append(f"{where}: a guidance note's sources need title and url, not doc_id")
            elif set(source) != {"doc_id"}:
                out.append(f"{where}: a doc_id source has no other fields")
            elif guidance_ids is not None and source["doc_id"] not in guidance_ids:
                out.append(f"{where}: doc_id {source['doc_id']!r} names no guidance note in guidance/")
            continue
        for name in ("title", "url"):
            if _empty(source.get(name)) or not isinstance(source.get(name), str):
                out.append(f"{where}: field {name!r} is missing or empty")
        url = source.get("url")
        if isinstance(url, str) and url and not url.startswith(("http://", "https://")):
            out.append(f"{where}: url {url!r} is not an http(s) address")
        extra = set(source) - {"title", "url", "publisher"}
        if extra:
            out.append(f"{where}: unknown fields {', '.join(sorted(map(str, extra)))}")
    return out


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
