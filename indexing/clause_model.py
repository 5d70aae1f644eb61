"""One clause of the library as a pydantic model (schema v2): the loader, the validator and the clause hash use it.

    clause = Clause.model_validate(mapping)       # ValidationError: field_problems(error) names each field
    clause.rendered()                              # the text with every {name} replaced by its recommended value
    clause_hash(mapping)                           # sha256 of the canonical content (every field of the model)

The model checks types and allowed values. What needs the whole library (ids that must exist, the EU GPP
reference table, vague words, review dates) is checked by `indexing.corpus_check`.
"""

from __future__ import annotations

import hashlib
import json
import re
from datetime import date
from typing import Annotated, Any

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationError,
    field_validator,
    model_validator,
)

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
WHEN = ("anbud", "avtalsstart", "leverans", "löpande", "årligen", "avslut")
WHO = ("upphandlare", "beställare", "avtalsförvaltare")
EVALUATION_MODELS = ("poäng", "mervärde", "lcc", "skala")
EVIDENCE = ("V", "S", "U")
PLACEHOLDER = re.compile(r"\{([a-z][a-z0-9_]*)\}")
# labels and standards a requirement may name only with "eller likvärdigt" (9 kap. LOU); acronyms that are also
# words (KRAV) only in capitals
LABELS = re.compile(
    r"\b(?i:Svanen(?:märk\w*)?|Nordic Swan|EU[- ]?Ecolabel|EU-blomman|TCO Certified|Möbelfakta|Bra Miljöval|"
    r"OEKO-TEX(?:\s+Standard\s+100)?|EPEAT|Energy Star|Blaue[rn]? Engel|Blue Angel|Fairtrade|Cradle to Cradle)\b"
    r"|\b(?:FSC|PEFC|KRAV|GOTS)\b"
    r"|\b(?:SS-)?(?:EN|ISO|IEC)(?:/IEC)?\s?\d{3,5}(?:[-:]\d+)*(?::\d{4})?"
)
EQUIVALENT = re.compile(r"\beller\s+(?:\w+\s+){0,3}?likvärdig\w*|\bor\s+(?:\w+\s+){0,2}?equivalent\b", re.IGNORECASE)

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]


def _one_of(name: str, allowed: tuple[str, ...]) -> AfterValidator:
    """A check that a value is one of `allowed`, saying "<name> 'x' is not one of …" when it is not."""

    def check(value: str) -> str:
        if value not in allowed:
            raise ValueError(f"{name} {value!r} is not one of {', '.join(allowed)}")
        return value

    return AfterValidator(check)



Scalar = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)] | int | float


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Parameter(_Strict):
    """A value the procurer sets: `{name}` in the clause text."""

    name: Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]*$")]
    label: Text
    unit: str = ""
    recommended: Scalar | None = None
    range: tuple[float, float] | None = None
    choices: list[Scalar] | None = None
    source: str = ""

    @field_validator("recommended", mode="before")
    @classmethod
    def _no_bool(cls, value: Any) -> Any:
        if isinstance(value, bool):
            raise ValueError("must be a number or text, not true/false")
        return value

    @model_validator(mode="after")
    def _range_ordered(self) -> Parameter:
        if self.range is not None and self.range[0] > self.range[1]:
            raise ValueError(f"range {list(self.range)} goes from high to low")
        return self

    def allows(self, value: Any) -> bool:
        """Whether `value` lies in the parameter's range or choices (anything, when it has neither)."""
        if self.choices is not None:
            return str(value) in {str(choice) for choice in self.choices}
        if self.range is not None:
            try:
                number = float(str(value).replace(",", "."))
            except ValueError:
                return False
            return self.range[0] <= number <= self.range[1]
        return str(value).strip() != ""


class Evaluation(_Strict):
    """How an award criterion is scored, and which clause makes the offered value binding."""

    model: Annotated[str, _one_of("model", EVALUATION_MODELS)]
    formula: str | None = None
    scale: str | None = None
    weight: Text
    binding_by: Text

    @model_validator(mode="after")
    def _formula_or_scale(self) -> Evaluation:
        if not (self.formula or "").strip() and not (self.scale or "").strip():
            raise ValueError("needs a formula or a scale: how an offer is scored")
        return self


class FollowUp(_Strict):
    """One follow-up step: when, on what evidence, by whom."""

    when: Annotated[str, _one_of("when", WHEN)]
    evidence: Text
    who: Annotated[str, _one_of("who", WHO)]


class UhmRef(_Strict):
    """Upphandlingsmyndigheten's counterpart criterion; `id` only where it was seen, else null."""

    id: str | None = None
    name: Text
    level: str | None = None
    confirmed: bool = False


class GppRef(_Strict):
    """The EU GPP counterpart criterion: a row of `corpus/reference/eu-gpp-criteria.yaml`."""

    set: Text
    year: int
    stream: Text
    id: Text
    level: Text
    confirmed: bool = False


class Crosswalk(_Strict):
    uhm: UhmRef | None = None
    eu_gpp: GppRef | None = None


class Applicability(_Strict):
    """Where the clause can be used."""

    direktupphandling: bool
    under_threshold: bool
    over_threshold: bool
    call_off: bool


class SourceRef(_Strict):
    """A guidance note of the corpus (`doc_id`), or a public page (`title`, `url`, optional publisher and evidence)."""

    doc_id: str | None = None
    title: str | None = None
    url: str | None = None
    publisher: str | None = None
    evidence: str | None = None

    @model_validator(mode="after")
    def _one_kind(self) -> SourceRef:
        if self.doc_id is not None:
            if any(value is not None for value in (self.title, self.url, self.publisher, self.evidence)):
                raise ValueError("a doc_id source has no other fields")
            if not self.doc_id.strip():
                raise ValueError("doc_id is empty")
            return self
        for name in ("title", "url"):
            if not (getattr(self, name) or "").strip():
                raise ValueError(f"field {name!r} is missing or empty")
        assert self.url is not None
        if not self.url.startswith(("http://", "https://")):
            raise ValueError(f"url {self.url!r} is not an http(s) address")
        if self.evidence is not None and self.evidence not in EVIDENCE:
            raise ValueError(f"evidence {self.evidence!r} is not one of {', '.join(EVIDENCE)}")
        return self


class Clause(_Strict):
    """One requirement of the clause library (docs/ARCHITECTURE.md, "A clause file")."""

    id: Text
    title: Text
    area: Text
    group: Text | None = None
    type: Annotated[str, _one_of("type", TYPES)]
    level: Annotated[str, _one_of("level", LEVELS)]
    strategies: list[Annotated[str, _one_of("strategy", STRATEGIES)]] = Field(min_length=1)
    keywords: list[Text] | None = None
    text: Text
    verification: Text
    rationale: Text
    sources: list[SourceRef] = Field(min_length=1)
    # schema v2
    parameters: list[Parameter] = Field(default_factory=list)
    anvisning: str = ""
    evaluation: Evaluation | None = None
    follow_up: list[FollowUp] = Field(default_factory=list)
    sanction: str = ""
    requires: list[Text] = Field(default_factory=list)
    pairs_with: list[Text] = Field(default_factory=list)
    replaces: list[Text] = Field(default_factory=list)
    legal_basis: str = ""
    legal_floor: str | None = None
    crosswalk: Crosswalk | None = None
    applicability: Applicability | None = None
    cpv: list[Text] = Field(default_factory=list)
    last_reviewed: date | None = None
    review_by: date | None = None

    @field_validator("keywords")
    @classmethod
    def _keywords(cls, value: list[str] | None) -> list[str] | None:
        if value is not None and not value:
            raise ValueError("keywords must be a list of words (leave it out instead of leaving it empty)")
        return value

    @model_validator(mode="after")
    def _parameters_match_text(self) -> Clause:
        names = [parameter.name for parameter in self.parameters]
        if len(set(names)) != len(names):
            raise ValueError("two parameters share a name")
        return self

    def templated(self) -> dict[str, str]:
        """The fields that may hold `{name}`s: the text, the sanction, and the award model's formula or scale."""
        fields = {"text": self.text, "sanction": self.sanction}
        if self.evaluation is not None:
            fields["evaluation.formula"] = self.evaluation.formula or ""
            fields["evaluation.scale"] = self.evaluation.scale or ""
        return {name: value for name, value in fields.items() if value}

    def placeholders(self) -> list[str]:
        """The `{name}`s of the templated fields, in order of first use, each once."""
        return list(dict.fromkeys(name for value in self.templated().values() for name in PLACEHOLDER.findall(value)))

    def rendered(self, values: dict[str, Any] | None = None, field: str = "text") -> str:
        """A templated field with each `{name}` replaced by `values[name]`, else the recommended value."""
        return render(self.templated().get(field, ""), self.parameters, values)


def render(text: str, parameters: list[Parameter], values: dict[str, Any] | None = None) -> str:
    """`text` with each `{name}` replaced by `values[name]`, else the parameter's recommended value."""
    by_name = {parameter.name: parameter for parameter in parameters}
    values = values or {}

    def value_of(match: re.Match[str]) -> str:
        name = match.group(1)
        if values.get(name) not in (None, ""):
            return _shown(values[name])
        parameter = by_name.get(name)
        if parameter is None or parameter.recommended is None:
            return match.group(0)
        return _shown(parameter.recommended)

    return PLACEHOLDER.sub(value_of, text)


def _shown(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def field_problems(error: ValidationError) -> list[str]:
    """One line per problem of a `ValidationError`, naming the field: "field 'parameters.0.recommended': …"."""
    out = []
    for item in error.errors(include_url=False):
        loc = [str(part) for part in item["loc"]]
        name = ".".join(loc) if loc else "clause"
        kind = item["type"]
        message = str(item["msg"]).removeprefix("Value error, ")
        if len(loc) == 2 and loc[0] == "sources" and loc[1].isdigit() and kind == "value_error":
            out.append(f"source #{int(loc[1]) + 1}: {message}")  # numbered as people count, like the notes' sources
            continue
        if kind == "missing" or kind == "string_too_short" or (kind == "too_short" and loc):
            out.append(f"field {name!r} is missing or empty")
        elif kind == "extra_forbidden":
            out.append(f"unknown field {name!r}")
        elif kind == "value_error" and loc and message.startswith(f"{loc[-1]} "):
            out.append(message if len(loc) == 1 else f"{'.'.join(loc[:-1])}: {message}")
        else:
            out.append(f"field {name!r}: {message}")
    return out


def clause_hash(clause: dict[str, Any]) -> str:
    """The sha256 of a clause's canonical JSON (the model's fields, sorted keys), independent of file layout."""
    fields = {name: clause.get(name) for name in Clause.model_fields if clause.get(name) not in (None, "", [])}
    if "id" not in fields and clause.get("clause_id"):
        fields["id"] = clause["clause_id"]
    canonical = json.dumps(fields, ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()
