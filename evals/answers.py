"""Answer-level evaluation: does the assistant's answer fit the question, not only its ranking?

    cases = load_answer_set(DEFAULT_ANSWERS, "dev")
    result = evaluate_answers(assistant, cases)
    result.rate("all"), result.rate("conceptual"), result.failures()

Each case (`evals/datasets/cirkla-answers/<split>.jsonl`, README there) says what kind of answer is right and what
it must contain. A case passes when every check that applies holds:

- `kind`: a "requirements" question gets proposed requirements; a "guidance" question (what, why, how, the
  difference between) is answered from the guidance first, the note that holds the answer among the first
  sources; a "not_covered" question gets the plain "not covered" answer;
- `area`: every proposed requirement is of the question's area (or `also_area`, for a question two areas fit);
- `must_show`: every clause that directly answers is among the proposed requirements;
- `guidance`: for a guidance question, one of the notes that hold the answer is cited.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

DEFAULT_ANSWERS = Path(__file__).resolve().parent / "datasets" / "cirkla-answers"
GUIDANCE_FIRST = 3  # a guidance question's answering note must be among this many first sources


@dataclass
class AnswerCase:
    id: str
    question: str
    lang: str
    kind: str
    area: str | None = None
    also_area: str | None = None
    must_show: list[str] = field(default_factory=list)
    guidance: list[str] = field(default_factory=list)
    klass: str = ""


@dataclass
class Judged:
    """One case and what the answer got right or wrong."""

    case: AnswerCase
    passed: bool
    problems: list[str]
    answer_kind: str
    shown: list[str]
    sources: list[str]

    def to_json(self) -> dict[str, Any]:
        out = asdict(self)
        out["case"] = asdict(self.case)
        return out


@dataclass
class AnswerResult:
    split: str
    judged: list[Judged]

    def rate(self, klass: str = "all") -> float:
        chosen = [j for j in self.judged if klass == "all" or j.case.klass == klass]
        return sum(j.passed for j in chosen) / len(chosen) if chosen else 0.0

    def classes(self) -> list[str]:
        return sorted({j.case.klass for j in self.judged})

    def failures(self) -> list[Judged]:
        return [j for j in self.judged if not j.passed]

    def table(self) -> str:
        lines = ["| class | cases | passed | rate |", "|---|---|---|---|"]
        counts: dict[str, list[bool]] = defaultdict(list)
        for judged in self.judged:
            counts[judged.case.klass].append(judged.passed)
        for klass in [*sorted(counts), "all"]:
            results = [p for j in self.judged for p in [j.passed]] if klass == "all" else counts[klass]
            lines.append(f"| {klass} | {len(results)} | {sum(results)} | {sum(results) / len(results):.3f} |")
        return "\n".join(lines)

    def to_json(self) -> dict[str, Any]:
        return {
            "split": self.split,
            "rate": round(self.rate(), 4),
            "by_class": {klass: round(self.rate(klass), 4) for klass in self.classes()},
            "cases": [j.to_json() for j in self.judged],
        }


def load_answer_set(folder: Path, split: str) -> list[AnswerCase]:
    """The cases of one split; a missing file is a `FileNotFoundError` naming it."""
    path = Path(folder) / f"{split}.jsonl"
    if not path.is_file():
        raise FileNotFoundError(f"no answer set {path}")
    cases = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        data = json.loads(line)
        cases.append(
            AnswerCase(
                id=data["id"],
                question=data["question"],
                lang=data.get("lang", "sv"),
                kind=data["kind"],
                area=data.get("area"),
                also_area=data.get("also_area"),
                must_show=list(data.get("must_show") or []),
                guidance=list(data.get("guidance") or []),
                klass=data.get("class", ""),
            )
        )
    return cases


def answer_kind(answer: Any) -> str:
    """What kind of answer it is: not_covered, requirements (proposals) or guidance (passages only)."""
    if not answer.found:
        return "not_covered"
    return "requirements" if answer.draft_items else "guidance"


def judge(case: AnswerCase, answer: Any) -> Judged:
    """Whether `answer` fits `case` (see the module docstring), and what does not."""
    kind = answer_kind(answer)
    shown = [item.clause_id for item in answer.draft_items]
    sources = [source.doc_id for source in answer.sources]
    problems: list[str] = []
    if case.kind == "not_covered":
        if kind != "not_covered":
            problems.append(f"answered ({kind}) a question the corpus does not cover")
    elif kind == "not_covered":
        problems.append("said 'not covered' to a question the corpus answers")
    elif case.kind == "guidance":
        first = [source.doc_id for source in answer.sources[:GUIDANCE_FIRST]]
        if case.guidance and not set(case.guidance) & set(first):
            problems.append(f"the note that answers ({', '.join(case.guidance)}) is not among the first sources")
    elif case.kind == "requirements":
        missing = [clause for clause in case.must_show if clause not in shown]
        if missing:
            problems.append(f"did not propose {', '.join(missing)}")
    if case.area and kind == "requirements":
        allowed = {case.area, case.also_area} - {None}
        wrong = sorted({item.area for item in answer.draft_items if item.area not in allowed})
        if wrong:
            problems.append(f"proposed requirements of another area ({', '.join(str(a) for a in wrong)})")
    return Judged(case, not problems, problems, kind, shown, sources)


def evaluate_answers(assistant: Any, cases: list[AnswerCase], split: str = "") -> AnswerResult:
    """Ask every question (no conversation, no filters) and judge the answers."""
    judged = [judge(case, assistant.answer(case.question, None, None, language=case.lang)) for case in cases]
    return AnswerResult(split, judged)
