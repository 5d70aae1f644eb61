"""The answer-level judge, on answers built by hand; and the committed answer set is well formed."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.answer import Answer, DraftItem, Source
from evals.answers import DEFAULT_ANSWERS, AnswerCase, judge, load_answer_set
from indexing.corpus_check import load_clauses_of

CORPUS = Path(__file__).resolve().parents[2] / "corpus"


def item(clause_id: str, area: str) -> DraftItem:
    return DraftItem(clause_id, "t", "teknisk_specifikation", "bas", "x", "y", area=area)


def source(n: int, doc_id: str, kind: str = "guidance") -> Source:
    return Source(n=n, doc_id=doc_id, chunk_id=f"{doc_id}:0", title=doc_id, kind=kind)


def test_a_requirements_case_needs_every_clause_of_its_area():
    case = AnswerCase("a", "q", "sv", "requirements", area="mobler", must_show=["MOB-TS-01", "MOB-SK-02"])
    good = Answer("m", draft_items=[item("MOB-TS-01", "mobler"), item("MOB-SK-02", "mobler")])
    assert judge(case, good).passed
    missing = judge(case, Answer("m", draft_items=[item("MOB-TS-01", "mobler")]))
    assert not missing.passed and missing.problems == ["did not propose MOB-SK-02"]
    other = Answer("m", draft_items=[item("MOB-TS-01", "mobler"), item("MOB-SK-02", "mobler"), item("IT-TS-01", "it")])
    assert judge(case, other).problems == ["proposed requirements of another area (it)"]
    two = AnswerCase("b", "q", "sv", "requirements", area="mobler", also_area="it", must_show=["MOB-TS-01"])
    assert judge(two, other).passed


def test_a_guidance_case_needs_its_note_among_the_first_sources():
    case = AnswerCase("a", "q", "sv", "guidance", guidance=["kravtyp-och-niva"])
    first = Answer("m", sources=[source(1, "kravtyp-och-niva"), source(2, "MOB-TS-01", "clause")])
    assert judge(case, first).passed
    late = Answer("m", sources=[source(n, f"doc-{n}") for n in range(1, 4)] + [source(4, "kravtyp-och-niva")])
    assert not judge(case, late).passed


def test_a_not_covered_case_needs_the_plain_answer():
    case = AnswerCase("a", "q", "sv", "not_covered")
    assert judge(case, Answer("m", found=False)).passed
    assert judge(case, Answer("m", draft_items=[item("MOB-TS-01", "mobler")])).problems == [
        "answered (requirements) a question the corpus does not cover"
    ]
    covered = AnswerCase("b", "q", "sv", "guidance", guidance=["x"])
    assert judge(covered, Answer("m", found=False)).problems == ["said 'not covered' to a question the corpus answers"]


@pytest.mark.parametrize("split", ["dev", "test"])
def test_the_answer_set_names_only_documents_that_exist(split):
    clause_ids = {clause.id for clause in load_clauses_of(CORPUS)}
    note_ids = {path.stem for path in (CORPUS / "guidance").glob("*.md")}
    cases = load_answer_set(DEFAULT_ANSWERS, split)
    assert len(cases) == 40
    for case in cases:
        assert set(case.must_show) <= clause_ids, case.id
        assert set(case.guidance) <= note_ids, case.id
        assert case.kind in ("requirements", "guidance", "not_covered")
