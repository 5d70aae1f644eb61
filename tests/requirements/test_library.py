"""Packages, the level ladder and the follow-up plan, over the shipped library."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.answer import DraftItem
from assistant.library import ClauseLibrary, clause_from_metadata
from assistant.plan import WHEN_ORDER, follow_up_plan
from indexing.corpus_check import load_clauses_of
from indexing.loaders import load_file
from indexing.schema import CorpusRoot

CORPUS = Path(__file__).resolve().parents[2] / "corpus"


@pytest.fixture(scope="module")
def library() -> ClauseLibrary:
    return ClauseLibrary(clauses={clause.id: clause for clause in load_clauses_of(CORPUS)})


def test_levels_nest_and_a_higher_clause_replaces_the_lower(library):
    replacing = next(c for c in library.clauses.values() if c.replaces and c.level == "avancerad")
    lower = replacing.replaces[0]
    basic = {c.id for c in library.package(replacing.area, level="bas")}
    advanced = {c.id for c in library.package(replacing.area, level="avancerad")}
    assert lower in basic and replacing.id not in basic
    assert replacing.id in advanced and lower not in advanced
    replaced = {old for c in library.package(replacing.area, level="avancerad") for old in c.replaces}
    assert basic - replaced <= advanced  # everything else of bas is kept


def test_groups_narrow_a_package_and_required_clauses_come_along(library):
    chairs = library.package("mobler", ["Kontorsstolar"], "bas")
    assert chairs and all(c.group == "Kontorsstolar" or c.id in _needed(chairs) for c in chairs)
    for clause in library.package("forskola", level="avancerad"):
        for needed in clause.requires:
            assert needed in {c.id for c in library.package("forskola", level="avancerad")}


def _needed(clauses) -> set[str]:
    return {other for c in clauses for other in [*c.requires, *([c.evaluation.binding_by] if c.evaluation else [])]}


def test_call_off_clauses_come_only_when_their_group_is_chosen(library):
    whole = {c.id for c in library.package("mobler", level="avancerad")}
    assert "MOB-TS-07" not in whole
    call_off = {c.id for c in library.package("mobler", ["Avrop från ramavtal för återbrukade möbler"], "avancerad")}
    assert "MOB-TS-07" in call_off


def test_the_ladder_shows_the_variants_of_a_group_by_level(library):
    replacing = next(c for c in library.clauses.values() if c.replaces and c.group)
    ladder = library.ladder(replacing.replaces[0])
    assert replacing.id in {c.id for c in ladder[replacing.level]}
    assert replacing.replaces[0] in {c.id for c in ladder[library.get(replacing.replaces[0]).level]}


def test_a_clause_reads_back_from_its_chunk_metadata(tmp_path):
    from indexing.chunking import chroma_metadata

    (clause,) = [d for d in load_file(CORPUS / "clauses" / "mobler.yaml", CorpusRoot("corpus", CORPUS))
                 if d.metadata["clause_id"] == "MOB-TS-01"]  # fmt: skip
    stored = chroma_metadata(clause.metadata)  # what Chroma holds: nested fields as JSON
    again = clause_from_metadata(stored, clause.page_content)
    original = {c.id: c for c in load_clauses_of(CORPUS)}["MOB-TS-01"]
    assert again == original


def test_the_follow_up_plan_groups_steps_by_when_in_contract_order(library):
    items = [DraftItem.from_clause(c) for c in library.package("it", level="avancerad")]
    plan = follow_up_plan(items)
    whens = [when for when, _ in plan]
    assert whens == [when for when in WHEN_ORDER if when in whens] and whens[0] == "anbud"
    later = [step for when, steps in plan if when != "anbud" for step in steps]
    assert later and all(step.number[0] in "KTUS" for step in later)
    assert any(step.sanction for step in later)  # contract conditions carry their sanction into the plan
