"""The corpus validator: the shipped corpus is sound, and each kind of broken clause or note is reported."""
# ruff: noqa: E501  (the YAML fixtures are written as clause files are: a flow mapping stays on one line)

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
  - {title: Möbler, publisher: Upphandlingsmyndigheten, url: "https://www.upphandlingsmyndigheten.se/mobler/", evidence: V}
updated: 2026-11-28
---
# Möbler

Återbruk först.
"""

# Schema v2: a technical specification with a parameter, the award criterion that scores more of it, and the
# contract condition that makes the offer binding.
CLAUSE = """\
  - id: MOB-TS-01
    title: Reservdelar i minst fem år
    area: mobler
    group: Kontorsstolar
    type: teknisk_specifikation
    level: bas
    strategies: [reparation, lång_livslängd]
    text: Leverantören ska tillhandahålla reservdelar i minst {ar} år.
    parameters:
      - {name: ar, label: Antal år, unit: år, recommended: 5, range: [3, 10], source: "DFØ (facts.md §5)"}
    anvisning: Välj fler år för kontorsstolar.
    verification: Intyg från leverantören.
    follow_up:
      - {when: anbud, evidence: Intyg, who: upphandlare}
    legal_basis: 9 kap. 1 § LOU (tekniska specifikationer)
    crosswalk:
      eu_gpp: {set: furniture, year: 2017, stream: new-furniture, id: TS7, level: core, confirmed: true}
    applicability: {direktupphandling: true, under_threshold: true, over_threshold: true, call_off: false}
    last_reviewed: 2026-12-03
    rationale: Reparation förlänger livslängden.
    sources:
      - doc_id: vagledning-mobler
      - {title: EU GPP criteria for furniture, publisher: Europeiska kommissionen, url: "https://ec.europa.eu/gpp/furniture.pdf", evidence: V}
"""
AWARD = """\
  - id: MOB-TK-01
    title: Längre reservdelstid
    area: mobler
    group: Kontorsstolar
    type: tilldelningskriterium
    level: avancerad
    strategies: [reparation]
    text: Anbud som åtar sig att tillhandahålla reservdelar längre än kravnivån får ett mervärde.
    evaluation: {model: mervärde, formula: "5 000 kr per år utöver kravnivån, högst 25 000 kr", weight: "högst 10 %", binding_by: MOB-SK-01}
    requires: [MOB-SK-01]
    verification: Anbudsgivaren anger antal år i anbudsformuläret.
    follow_up:
      - {when: anbud, evidence: Anbudsformulär, who: upphandlare}
    legal_basis: 16 kap. 1 § LOU
    applicability: {direktupphandling: false, under_threshold: true, over_threshold: true, call_off: false}
    last_reviewed: 2026-12-03
    rationale: Längre reservdelstid förlänger livslängden.
    sources:
      - doc_id: vagledning-mobler
  - id: MOB-SK-01
    title: Erbjuden reservdelstid är ett avtalsvillkor
    area: mobler
    group: Kontorsstolar
    type: sarskilt_kontraktsvillkor
    level: avancerad
    strategies: [reparation]
    text: Leverantören ska under avtalstiden tillhandahålla reservdelar i det antal år som erbjöds i anbudet.
    sanction: Rättelse inom 30 dagar, därefter vite om 5 000 kr per vecka; vid väsentligt avtalsbrott hävning.
    verification: Beställaren följer upp reservdelsleveranser.
    follow_up:
      - {when: årligen, evidence: Reservdelsrapport, who: avtalsförvaltare}
    legal_basis: 17 kap. 1 § LOU
    applicability: {direktupphandling: true, under_threshold: true, over_threshold: true, call_off: false}
    last_reviewed: 2026-12-03
    rationale: Det erbjudna värdet måste gå att kräva.
    sources:
      - doc_id: vagledning-mobler
"""
GPP = """\
sets:
  furniture: {title: "EU GPP Criteria for Furniture", year: 2017, published: 2018-07-27, url: "https://example.org/f"}
criteria:
  - {set: furniture, stream: new-furniture, id: TS7, level: core, type: technical specification, name: "Warranty"}
"""
VAGUE = "vague: [relevanta, där det är möjligt, jämförbar]\n"
LANDING = "landing_pages: [https://green-forum.ec.europa.eu/green-public-procurement/gpp-criteria-and-requirements_en]\n"


def make_corpus(root: Path, clauses: str = "clauses:\n" + CLAUSE, note: str = NOTE) -> Path:
    """A one-note corpus in `root` with the clause file and note given, and the reference tables."""
    (root / "clauses").mkdir(parents=True)
    (root / "guidance").mkdir()
    (root / "reference").mkdir()
    (root / "reference" / "eu-gpp-criteria.yaml").write_text(GPP, encoding="utf-8")
    (root / "reference" / "vaga-ord.yaml").write_text(VAGUE, encoding="utf-8")
    (root / "reference" / "landing-pages.yaml").write_text(LANDING, encoding="utf-8")
    (root / "areas.yaml").write_text(AREAS, encoding="utf-8")
    (root / "clauses" / "mobler.yaml").write_text(clauses, encoding="utf-8")
    (root / "guidance" / "vagledning-mobler.md").write_text(note, encoding="utf-8")
    return root


def messages(problems: list[Problem]) -> list[str]:
    return [str(problem) for problem in problems]


def test_shipped_corpus_is_sound() -> None:
    assert messages(check_corpus(PROJECT_CORPUS, complete=True)) == []


def test_a_sound_example_has_no_problems(tmp_path: Path) -> None:
    assert check_corpus(make_corpus(tmp_path, clauses="clauses:\n" + CLAUSE + AWARD)) == []


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
        ('url: "https://ec.europa.eu/gpp/furniture.pdf"', "url: ec.europa.eu", "is not an http(s) address"),
        ("    rationale:", "    rationaler: x\n    rationale:", "unknown field 'rationaler'"),
        ("lång_livslängd]\n", "lång_livslängd]\n    keywords: []\n", "keywords must be a list of words"),
        ("lång_livslängd]\n", "lång_livslängd]\n    keywords: snurrstol\n", "field 'keywords'"),
        ("lång_livslängd]\n", "lång_livslängd]\n    keywords: [snurrstol, 5]\n", "field 'keywords.1'"),
        # wrong types are reported by field, never crash the check (`area: [mobler]`)
        ("area: mobler", "area: [mobler]", "field 'area': Input should be a valid string"),
        ("group: Kontorsstolar", "group: {a: 1}", "field 'group'"),
        ("recommended: 5", "recommended: true", "field 'parameters.0.recommended'"),
        # schema v2: what makes a clause tender-ready
        ("recommended: 5, ", "", "field 'parameters.ar.recommended' is missing"),
        ("recommended: 5", "recommended: 12", "'parameters.ar.recommended': 12 is outside its range"),
        ("{ar} år.", "{ar} år och {manader} månader.", "{manader} has no parameter"),
        ("minst {ar} år.", "minst fem år.", "'ar' has no {ar} in the text, sanction or award formula"),
        ("minst {ar} år.", "minst {ar} år, se [X].", "bare blank '[X]'"),
        ("tillhandahålla reservdelar", "tillhandahålla relevanta reservdelar", "vague word(s) 'relevanta'"),
        ("when: anbud, evidence: Intyg", "when: vecka, evidence: Intyg", "when 'vecka' is not one of"),
        ("    follow_up:\n      - {when: anbud, evidence: Intyg, who: upphandlare}\n", "", "field 'follow_up' is missing"),
        ("    legal_basis: 9 kap. 1 § LOU (tekniska specifikationer)\n", "", "field 'legal_basis' is missing"),
        ("    applicability: {direktupphandling: true, under_threshold: true, over_threshold: true, call_off: false}\n",
         "", "field 'applicability' is missing"),
        ("last_reviewed: 2026-12-03", "last_reviewed: 2020-01-01", "more than 3 years ago"),
        ("    last_reviewed: 2026-12-03\n", "", "field 'last_reviewed' is missing"),
        ("id: TS7, level: core", "id: TS99, level: core", "furniture/new-furniture/TS99 (core) is not a row of"),
        ("year: 2017", "year: 2020", "the furniture criteria are of 2017"),
        ('url: "https://ec.europa.eu/gpp/furniture.pdf"', 'url: "https://ec.europa.eu/"', "is a site root"),
        ('url: "https://ec.europa.eu/gpp/furniture.pdf"',
         "url: https://green-forum.ec.europa.eu/green-public-procurement/gpp-criteria-and-requirements_en",
         "is a landing page"),
        (", evidence: V}", "}", "source #2: field 'evidence' is missing"),
        ("    rationale:", "    requires: [MOB-TS-99]\n    rationale:", "'MOB-TS-99' names no clause"),
        ("    rationale:", "    evaluation: {model: poäng, scale: x, weight: y, binding_by: MOB-SK-01}\n    rationale:",
         "only an award criterion"),
    ],
)
def test_each_clause_problem_is_reported(tmp_path: Path, old: str, new: str, expected: str) -> None:
    assert old in CLAUSE
    corpus = make_corpus(tmp_path, clauses="clauses:\n" + CLAUSE.replace(old, new, 1))
    found = messages(check_corpus(corpus))
    assert any(line.startswith("clauses/mobler.yaml: ") and expected in line for line in found), found


def test_award_criteria_and_contract_conditions(tmp_path: Path) -> None:
    def found(old: str, new: str) -> list[str]:
        folder = tmp_path / str(len(list(tmp_path.iterdir())))
        clauses = "clauses:\n" + CLAUSE + AWARD.replace(old, new, 1)
        return messages(check_corpus(make_corpus(folder, clauses=clauses)))

    without_model = found(
        '    evaluation: {model: mervärde, formula: "5 000 kr per år utöver kravnivån, högst 25 000 kr", '
        'weight: "högst 10 %", binding_by: MOB-SK-01}\n',
        "",
    )
    assert "clauses/mobler.yaml: MOB-TK-01: field 'evaluation' is missing: an award criterion needs a scoring model "\
        "and binding_by" in without_model
    unbound = found("binding_by: MOB-SK-01", "binding_by: MOB-SK-09")
    assert "clauses/mobler.yaml: MOB-TK-01: field 'evaluation.binding_by': 'MOB-SK-09' names no clause in the "\
        "library" in unbound
    no_formula = found('formula: "5 000 kr per år utöver kravnivån, högst 25 000 kr", ', "")
    assert any("field 'evaluation': needs a formula or a scale" in line for line in no_formula), no_formula
    no_sanction = found("    sanction: Rättelse inom 30 dagar, därefter vite om 5 000 kr per vecka; vid väsentligt "
                        "avtalsbrott hävning.\n", "")
    assert "clauses/mobler.yaml: MOB-SK-01: field 'sanction' is missing: a contract condition says what follows a "\
        "breach" in no_sanction
    replaces_higher = found("    requires: [MOB-SK-01]\n", "    requires: [MOB-SK-01]\n    replaces: [MOB-SK-01]\n")
    assert any("'replaces': MOB-SK-01 is avancerad, not a lower level" in line for line in replaces_higher)
    assert any("'replaces': MOB-SK-01 is a sarskilt_kontraktsvillkor" in line for line in replaces_higher)


def test_a_qualification_requirement_checked_during_the_contract_is_an_error(tmp_path: Path) -> None:
    qualification = (
        CLAUSE.replace("MOB-TS-01", "MOB-KK-01")
        .replace("type: teknisk_specifikation", "type: kvalificeringskrav")
        .replace("{when: anbud, evidence: Intyg, who: upphandlare}", "{when: löpande, evidence: Intyg, who: avtalsförvaltare}")
        .replace("verification: Intyg från leverantören.", "verification: Intyget stäms av under avtalstiden.")
        .replace("    crosswalk:\n      eu_gpp: {set: furniture, year: 2017, stream: new-furniture, id: TS7, level: core, "
                 "confirmed: true}\n", "")
    )
    found = messages(check_corpus(make_corpus(tmp_path, clauses="clauses:\n" + qualification)))
    assert any("MOB-KK-01: field 'follow_up': a kvalificeringskrav is verified at tender, not at löpande" in line
               for line in found), found
    assert any("MOB-KK-01: field 'verification': a kvalificeringskrav is verified at tender, but this says "
               "'under avtalstiden'" in line for line in found), found


def test_a_yaml_alias_bomb_is_refused_without_expanding_it(tmp_path: Path) -> None:
    bomb = "clauses:\n  - &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"  - &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 9)}]\n" for i in range(8)
    )
    found = messages(check_corpus(make_corpus(tmp_path, clauses=bomb)))
    assert any("clauses/mobler.yaml: not valid YAML: more than 10 aliases" in line for line in found), found


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
    assert "areas.yaml: area 'stolar' needs prefix, sv and en (text)" in found


def test_a_complete_corpus_has_every_promised_note_and_clause_file(tmp_path: Path) -> None:
    found = messages(check_corpus(make_corpus(tmp_path), complete=True))
    assert "clauses/it.yaml: missing: area 'it' has no clauses" in found
    assert "guidance/vagledning-it.md: missing: docs/ARCHITECTURE.md lists it" in found
    assert "guidance/ordlista-sv-en.md: missing: docs/ARCHITECTURE.md lists it" in found
    assert not any("mobler" in line for line in found), found
    assert len(found) == 1 + 1 + 11  # it's clause file, it's note, the eleven shared notes
