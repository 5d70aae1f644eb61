"""The corpus validator: the shipped corpus is sound, and each kind of broken clause or note is reported."""

from __future__ import annotations

from pathlib import Path

import pytest

from indexing.corpus_check import Problem, check_corpus

PROJECT_CORPUS = Path(__file__).resolve().parents[2] / "corpus"

AREAS = """\
mobler: {prefix: MOB, sv: Möbler och inredning, en: Furniture}
it:     {prefix: IT,  sv: IT-utrustning, en: IT equipment}
"""

NOTE = """\
---
doc_id: vagledning-mobler
title: Cirkulär upphandling av möbler
area: mobler
sources:
  - {title: Möbler, publisher: Upphandlingsmyndigheten, url: https://www.upphandlingsmyndigheten.se/}
updated: 2026-11-28
---
# Möbler

Återbruk först.
"""

CLAUSE = """\
  - id: MOB-TS-01
    title: Reservdelar i minst fem år
    area: mobler
    group: Kontorsstolar
    type: teknisk_specifikation
    level: bas
    strategies: [reparation, lång_livslängd]
    text: Leverantören ska tillhandahålla reservdelar i minst fem år.
    verification: Intyg från leverantören.
    rationale: Reparation förlänger livslängden.
    sources:
      - doc_id: vagledning-mobler
      - {title: EU GPP criteria for furniture, publisher: Europeiska kommissionen, url: https://ec.europa.eu/}
"""


def make_corpus(root: Path, clauses: str = "clauses:\n" + CLAUSE, note: str = NOTE) -> Path:
    """A one-clause, one-note corpus in `root`, with the clause file and note given."""
    (root / "clauses").mkdir(parents=True)
    (root / "guidance").mkdir()
    (root / "areas.yaml").write_text(AREAS, encoding="utf-8")
    (root / "clauses" / "mobler.yaml").write_text(clauses, encoding="utf-8")
    (root / "guidance" / "vagledning-mobler.md").write_text(note, encoding="utf-8")
    return root


def messages(problems: list[Problem]) -> list[str]:
    return [str(problem) for problem in problems]


def test_shipped_corpus_is_sound() -> None:
    assert messages(check_corpus(PROJECT_CORPUS, complete=True)) == []


def test_a_sound_example_has_no_problems(tmp_path: Path) -> None:
    assert check_corpus(make_corpus(tmp_path)) == []


def test_keywords_are_optional_words(tmp_path: Path) -> None:
    with_keywords = CLAUSE.replace("lång_livslängd]\n", "lång_livslängd]\n    keywords: [snurrstol, trasig stol]\n")
    assert check_corpus(make_corpus(tmp_path, clauses="clauses:\n" + with_keywords)) == []


def test_problem_names_file_and_clause() -> None:
    assert str(Problem("clauses/it.yaml", "IT-TS-01", "bad")) == "clauses/it.yaml: IT-TS-01: bad"
    assert str(Problem("guidance/x.md", None, "bad")) == "guidance/x.md: bad"


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ("    level: bas\n", "", "MOB-TS-01: field 'level' is missing or empty"),
        ("verification: Intyg från leverantören.", "verification: ''", "field 'verification' is missing"),
        ("type: teknisk_specifikation", "type: krav", "type 'krav' is not one of"),
        ("level: bas", "level: hög", "level 'hög' is not one of"),
        ("area: mobler", "area: soffor", "area 'soffor' is not a slug in areas.yaml"),
        ("area: mobler", "area: it", "area 'it' does not match the file's area 'mobler'"),
        ("[reparation, lång_livslängd]", "[reparation, laga]", "strategy 'laga' is not one of"),
        ("id: MOB-TS-01", "id: MOB-TS-1", "MOB-TS-1: id 'MOB-TS-1' is not of the form"),
        ("id: MOB-TS-01", "id: IT-TS-01", "IT-TS-01: id prefix 'IT' does not match area 'mobler'"),
        ("id: MOB-TS-01", "id: MOB-KK-01", "MOB-KK-01: id type code 'KK' does not match type"),
        ("- doc_id: vagledning-mobler\n", "- doc_id: vagledning-soffor\n", "names no guidance note"),
        ("title: EU GPP criteria for furniture, ", "", "source #2: field 'title' is missing"),
        ("url: https://ec.europa.eu/", "url: ec.europa.eu", "is not an http(s) address"),
        ("    rationale:", "    rationaler: x\n    rationale:", "unknown field 'rationaler'"),
        ("lång_livslängd]\n", "lång_livslängd]\n    keywords: []\n", "keywords must be a list of words"),
        ("lång_livslängd]\n", "lång_livslängd]\n    keywords: snurrstol\n", "keywords must be a list of words"),
        ("lång_livslängd]\n", "lång_livslängd]\n    keywords: [snurrstol, 5]\n", "keywords must be a list"),
    ],
)
def test_each_clause_problem_is_reported(tmp_path: Path, old: str, new: str, expected: str) -> None:
    assert old in CLAUSE
    corpus = make_corpus(tmp_path, clauses="clauses:\n" + CLAUSE.replace(old, new, 1))
    found = messages(check_corpus(corpus))
    assert any(line.startswith("clauses/mobler.yaml: ") and expected in line for line in found), found


def test_duplicate_clause_ids_across_files(tmp_path: Path) -> None:
    corpus = make_corpus(tmp_path, clauses="clauses:\n" + CLAUSE + CLAUSE)
    other = CLAUSE.replace("area: mobler", "area: it").replace("MOB-TS-01", "IT-TS-01")
    (corpus / "clauses" / "it.yaml").write_text("clauses:\n" + other + other.replace("IT-TS-01", "MOB-TS-01"))
    found = messages(check_corpus(corpus))
    assert "clauses/mobler.yaml: MOB-TS-01: duplicate id (also in clauses/it.yaml)" in found
    assert sum("duplicate id" in line for line in found) == 2, found


def test_yaml_errors_and_missing_clauses_list(tmp_path: Path) -> None:
    corpus = make_corpus(tmp_path, clauses="clauses:\n  - id: [unclosed\n")
    (corpus / "clauses" / "it.yaml").write_text("items: []\n")
    found = messages(check_corpus(corpus))
    assert any(line.startswith("clauses/mobler.yaml: not valid YAML") for line in found), found
    assert "clauses/it.yaml: must have a top-level `clauses:` list" in found


def test_guidance_note_problems(tmp_path: Path) -> None:
    corpus = make_corpus(tmp_path, note=NOTE.replace("updated: 2026-11-28\n", ""))
    (corpus / "guidance" / "other.md").write_text(NOTE.replace("area: mobler", "area: soffor"))
    (corpus / "guidance" / "bare.md").write_text("# No front matter\n")
    found = messages(check_corpus(corpus))
    assert "guidance/vagledning-mobler.md: front matter field 'updated' is missing or empty" in found
    # files are read in name order, so the second file with the id is the one reported
    duplicate = "duplicate doc_id 'vagledning-mobler' (also in guidance/other.md)"
    assert f"guidance/vagledning-mobler.md: {duplicate}" in found
    assert "guidance/other.md: area 'soffor' is not a slug in areas.yaml" in found
    assert any(line.startswith("guidance/bare.md: no YAML front matter") for line in found), found


def test_area_and_date_problems(tmp_path: Path) -> None:
    corpus = make_corpus(tmp_path, note=NOTE.replace("updated: 2026-11-28", "updated: i går"))
    with (corpus / "areas.yaml").open("a", encoding="utf-8") as areas:
        areas.write("soffor: {prefix: MOB, sv: Soffor, en: Sofas}\nstolar: {prefix: STO}\n")
    found = messages(check_corpus(corpus))
    assert "guidance/vagledning-mobler.md: updated 'i går' is not a date (YYYY-MM-DD)" in found
    assert "areas.yaml: areas 'mobler' and 'soffor' share prefix 'MOB'" in found
    assert "areas.yaml: area 'stolar' needs prefix, sv and en" in found


def test_a_complete_corpus_has_every_promised_note_and_clause_file(tmp_path: Path) -> None:
    found = messages(check_corpus(make_corpus(tmp_path), complete=True))
    assert "clauses/it.yaml: missing: area 'it' has no clauses" in found
    assert "guidance/vagledning-it.md: missing: docs/ARCHITECTURE.md lists it" in found
    assert "guidance/ordlista-sv-en.md: missing: docs/ARCHITECTURE.md lists it" in found
    assert not any("mobler" in line for line in found), found
    assert len(found) == 1 + 1 + 11  # it's clause file, it's note, the eleven shared notes
