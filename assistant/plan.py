"""The follow-up plan (uppföljningsplan): per requirement, what evidence, when, who, and the sanction; grouped by
when, in the order a contract runs, so a contract manager can work from it.

    plan = follow_up_plan(items)      # [(when, [Step, ...]), ...] for anbud, avtalsstart, leverans, …
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from assistant.answer import DraftItem
from assistant.review import numbered

WHEN_ORDER = ("anbud", "avtalsstart", "leverans", "löpande", "årligen", "avslut")
WHEN_LABELS = {
    "sv": {
        "anbud": "Vid anbudsprövningen",
        "avtalsstart": "Vid avtalsstart",
        "leverans": "Vid leverans",
        "löpande": "Löpande under avtalstiden",
        "årligen": "Årligen",
        "avslut": "Vid avtalets slut",
    },
    "en": {
        "anbud": "When tenders are assessed",
        "avtalsstart": "At contract start",
        "leverans": "On delivery",
        "löpande": "During the contract",
        "årligen": "Every year",
        "avslut": "At contract end",
    },
}
WHO_LABELS = {
    "sv": {"upphandlare": "Upphandlare", "beställare": "Beställare", "avtalsförvaltare": "Avtalsförvaltare"},
    "en": {"upphandlare": "Procurer", "beställare": "Orderer", "avtalsförvaltare": "Contract manager"},
}


@dataclass
class Step:
    """One follow-up step of one requirement."""

    number: str  # the requirement's number in the set (K1, T2, …)
    clause_id: str
    title: str
    when: str
    evidence: str
    who: str
    sanction: str

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


def follow_up_plan(items: list[DraftItem]) -> list[tuple[str, list[Step]]]:
    """The plan, grouped by when; a requirement without `follow_up` (saved before schema v2) is followed up
    from its verification at tender."""
    steps: dict[str, list[Step]] = {when: [] for when in WHEN_ORDER}
    for number, item in numbered(items):
        follow_up = item.follow_up or [{"when": "anbud", "evidence": item.verification, "who": "upphandlare"}]
        for step in follow_up:
            when = str(step.get("when")) if step.get("when") in WHEN_ORDER else "löpande"
            steps[when].append(
                Step(
                    number=number,
                    clause_id=item.clause_id,
                    title=item.title,
                    when=when,
                    evidence=str(step.get("evidence") or item.verification or ""),
                    who=str(step.get("who") or ""),
                    sanction=item.sanction if when != "anbud" else "",
                )
            )
    return [(when, group) for when, group in steps.items() if group]


def when_label(when: str, language: str = "sv") -> str:
    return WHEN_LABELS["en" if language == "en" else "sv"].get(when, when)


def who_label(who: str, language: str = "sv") -> str:
    return WHO_LABELS["en" if language == "en" else "sv"].get(who, who)
