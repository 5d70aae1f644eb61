"""The completeness check (granskning): rules over a draft, or over requirements a procurer pastes or uploads.

    findings = review_draft(items, library)                # a draft's DraftItems
    findings = review_text(text, library, retriever)       # own requirements: .md, .docx text or pasted text

Every finding has a severity (`fel` must be fixed before the tender is published, `varning` should be, `tips`
is a suggestion), the requirement it concerns, what is wrong, what to do, and the guidance note (and section)
that motivates the rule, so the procurer can read why. The rules, one function each, in `RULES`:

| rule | fires when |
|---|---|
| `award_model` | an award criterion has no scoring model (draft), or scores without saying how (own text) |
| `award_binding` | an award criterion's offered value is made binding by no contract condition in the draft |
| `equivalent` | a label or standard is named without "eller likvärdigt" |
| `verification` | a requirement says nothing of how it is verified |
| `qualification_timing` | a qualification requirement can only be checked during the contract |
| `requires` | a requirement needs another that is not in the draft |
| `vague` | a mandatory requirement uses a vague word (`corpus/reference/vaga-ord.yaml`) |
| `parameters` | a value is missing or outside its range |
| `legal_floor` | the law already demands what a requirement asks (own text matching such a clause) |
| `no_contract_condition` | nothing in the set can be followed up during the contract |
| `proportionality` | spjutspets qualification requirements, or many qualification requirements, that can shut out
  small and local suppliers |
| `library_match` | an own requirement that a library clause covers (suggested, with its id) |
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from assistant.answer import DraftItem
from assistant.labels import TYPE_ORDER
from indexing.clause_model import EQUIVALENT, LABELS

SEVERITIES = ("fel", "varning", "tips")
AWARD_WORDS = re.compile(r"\b(poäng|mervärde|pluspoäng|utvärder\w*|tilldelningskriteri\w*|award)\b", re.IGNORECASE)
MODEL_WORDS = re.compile(
    r"\b(\d+\s*(p|poäng)\b|poängskala|\d[\d ]*\s*kr\b|kronor|mervärde\s+(om|på|av)\s+\d|prisavdrag|lcc|"
    r"livscykelkostnad|vikt\w*\s+\d|\d+\s*%|procent)",
    re.IGNORECASE,
)
VERIFY_WORDS = re.compile(
    r"\b(verifi\w*|intyg\w*|bifoga\w*|redovisa\w*|certifikat\w*|provningsrapport\w*|dokumentation|"
    r"licens\w*|egen försäkran|på begäran|stickprov\w*|rapport\w*|visas med|styrk\w*)\b",
    re.IGNORECASE,
)
DURING_CONTRACT = re.compile(
    r"\b(under avtalstiden|under avtalsperioden|under kontraktstiden|löpande|årligen|vid leverans)\b", re.IGNORECASE
)
MANDATORY = re.compile(r"\b(ska|skall|måste|shall|must)\b", re.IGNORECASE)
TYPE_HINTS = (  # words in a heading or a requirement that name its type
    ("kvalificeringskrav", re.compile(r"kvalificering|leverantörens? (kapacitet|erfarenhet)|referensuppdrag", re.I)),
    ("tilldelningskriterium", re.compile(r"tilldelning|utvärdering|poäng|mervärde|award", re.I)),
    ("sarskilt_kontraktsvillkor", re.compile(r"kontraktsvillkor|avtalsvillkor|under avtalstiden|contract cond", re.I)),
    ("teknisk_specifikation", re.compile(r"teknisk\w* spec|krav på (varan|tjänsten|produkten)|specificat", re.I)),
)


@dataclass
class Finding:
    """One thing the check found: how serious, which requirement, what is wrong, what to do, and why (a note)."""

    rule: str
    severity: str
    requirement: str  # "T2 MOB-TS-01", or "krav 3" for own text; "" when it concerns the whole set
    message: str
    action: str
    doc_id: str  # the guidance note that motivates the rule
    section: str = ""
    suggestion: str = ""  # a library clause id that covers an own requirement

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class Reference:
    """What the rules need to know of the library: vague words and the clauses (for requires, floors, matches)."""

    vague: re.Pattern[str] | None = None
    clauses: dict[str, Any] = field(default_factory=dict)  # id -> indexing.clause_model.Clause


def load_reference(corpus_dirs: Iterable[Path], clauses: dict[str, Any] | None = None) -> Reference:
    """The vague-word list from the first corpus folder that has one, and the library's clauses."""
    from indexing.yamlsafe import load_yaml

    vague = None
    for folder in corpus_dirs:
        path = Path(folder) / "reference" / "vaga-ord.yaml"
        if path.is_file():
            words = (load_yaml(path.read_text(encoding="utf-8")) or {}).get("vague") or []
            alternatives = "|".join(re.escape(str(w)) for w in sorted(words, key=len, reverse=True))
            vague = re.compile(rf"(?<![\wåäö])({alternatives})(?![\wåäö])", re.IGNORECASE) if words else None
            break
    return Reference(vague=vague, clauses=dict(clauses or {}))


# --- numbering -------------------------------------------------------------------------------------------------

PREFIX = {
    "kvalificeringskrav": "K",
    "teknisk_specifikation": "T",
    "tilldelningskriterium": "U",
    "sarskilt_kontraktsvillkor": "S",
}


def numbered(items: list[DraftItem]) -> list[tuple[str, DraftItem]]:
    """The items in procurement-document order, each with its number: K1, K2 … T1 … U1 … S1 (X for other)."""
    rank = {type_: i for i, type_ in enumerate(TYPE_ORDER)}
    ordered = sorted(items, key=lambda item: rank.get(item.type, len(TYPE_ORDER)))
    counters: dict[str, int] = {}
    out = []
    for item in ordered:
        prefix = PREFIX.get(item.type, "X")
        counters[prefix] = counters.get(prefix, 0) + 1
        out.append((f"{prefix}{counters[prefix]}", item))
    return out


# --- rules over a draft ----------------------------------------------------------------------------------------

Rule = Callable[[list[tuple[str, DraftItem]], Reference], list[Finding]]


def _label(number: str, item: DraftItem) -> str:
    return f"{number} {item.clause_id}".strip()


def rule_award_model(draft: list[tuple[str, DraftItem]], ref: Reference) -> list[Finding]:
    out = []
    for number, item in draft:
        if item.type != "tilldelningskriterium":
            continue
        model = item.evaluation or {}
        if not model.get("model") or not (model.get("formula") or model.get("scale")):
            out.append(
                Finding(
                    "award_model",
                    "fel",
                    _label(number, item),
                    "Tilldelningskriteriet saknar utvärderingsmodell: det står inte hur anbuden poängsätts.",
                    "Ange modell (poäng, mervärde, LCC eller skala), formel eller skala och vikt.",
                    "lou-tilldelning-och-livscykelkostnad",
                    "Tilldelningskriterier måste vara kontrollerbara och det erbjudna värdet bindande",
                )
            )
    return out


def rule_award_binding(draft: list[tuple[str, DraftItem]], ref: Reference) -> list[Finding]:
    present = {item.clause_id for _, item in draft} | {old for _, item in draft for old in item.replaces}
    out = []
    for number, item in draft:
        if item.type != "tilldelningskriterium":
            continue
        binding = (item.evaluation or {}).get("binding_by")
        if binding and binding in present:
            continue
        what = f"{binding} ({_title(ref, binding)})" if binding else "ett särskilt kontraktsvillkor"
        out.append(
            Finding(
                "award_binding",
                "fel",
                _label(number, item),
                "Det som anbudsgivaren erbjuder i tilldelningskriteriet blir inte ett avtalsvillkor: inget villkor "
                "i kravsetet gör det bindande.",
                f"Lägg till {what}, så att det erbjudna värdet kan krävas och följas upp.",
                "lou-tilldelning-och-livscykelkostnad",
                "Tilldelningskriterier måste vara kontrollerbara och det erbjudna värdet bindande",
                suggestion=binding or "",
            )
        )
    return out


def rule_equivalent(draft: list[tuple[str, DraftItem]], ref: Reference) -> list[Finding]:
    return [
        finding
        for number, item in draft
        for finding in _equivalent_findings(_label(number, item), f"{item.text} {item.verification}")
    ]


def _equivalent_findings(label: str, text: str) -> list[Finding]:
    named = {match.group(0).strip() for match in LABELS.finditer(text)}
    if not named or EQUIVALENT.search(text):
        return []
    return [
        Finding(
            "equivalent",
            "fel",
            label,
            f"{', '.join(sorted(named))} nämns utan \"eller likvärdigt\".",
            "Skriv \"eller likvärdigt\" efter märkningen eller standarden, och godta annan bevisning som visar att "
            "kraven är uppfyllda.",
            "lou-specifikationer-och-markning",
            "Standarder och \"eller likvärdigt\"",
        )
    ]


def rule_verification(draft: list[tuple[str, DraftItem]], ref: Reference) -> list[Finding]:
    out = []
    for number, item in draft:
        if item.verification.strip() and (VERIFY_WORDS.search(item.verification) or item.follow_up):
            continue
        out.append(_no_verification(_label(number, item)))
    return out


def _no_verification(label: str) -> Finding:
    return Finding(
        "verification",
        "varning",
        label,
        "Det står inte hur kravet verifieras: vad anbudsgivaren lämnar in eller hur det kontrolleras.",
        "Ange bevis (intyg, provningsrapport, märkningslicens, egen försäkran med underlag på begäran) och när "
        "det kontrolleras.",
        "verifiering-och-uppfoljning",
        "Typer av bevis (verifikat)",
    )


def rule_qualification_timing(draft: list[tuple[str, DraftItem]], ref: Reference) -> list[Finding]:
    out = []
    for number, item in draft:
        if item.type != "kvalificeringskrav":
            continue
        later = [step.get("when") for step in item.follow_up if step.get("when") != "anbud"]
        during = DURING_CONTRACT.search(item.verification)
        if later or during:
            out.append(_qualification_during(_label(number, item)))
    return out


def _qualification_during(label: str) -> Finding:
    return Finding(
        "qualification_timing",
        "fel",
        label,
        "Kvalificeringskravet kan bara kontrolleras under avtalstiden; ett kvalificeringskrav prövas vid anbudet.",
        "Gör det som kontrolleras under avtalet till ett särskilt kontraktsvillkor, och pröva vid anbudet bara "
        "leverantörens kapacitet.",
        "kravtyp-och-niva",
        "Kvalificeringskrav – prövas vid anbudet och gäller leverantörens kapacitet",
    )


def rule_requires(draft: list[tuple[str, DraftItem]], ref: Reference) -> list[Finding]:
    # a required clause is there when it, or a higher-level clause that replaces it, is in the set
    present = {item.clause_id for _, item in draft} | {old for _, item in draft for old in item.replaces}
    out = []
    for number, item in draft:
        for needed in item.requires:
            if needed in present:
                continue
            out.append(
                Finding(
                    "requires",
                    "fel",
                    _label(number, item),
                    f"Kravet bygger på {needed} ({_title(ref, needed)}), som inte finns i kravsetet.",
                    f"Lägg till {needed}, eller ta bort {item.clause_id}.",
                    "kravtyp-och-niva",
                    "Skriv varje krav med motiv, kravtext och verifiering",
                    suggestion=needed,
                )
            )
    return out


def rule_vague(draft: list[tuple[str, DraftItem]], ref: Reference) -> list[Finding]:
    return [
        finding
        for number, item in draft
        if item.type in ("kvalificeringskrav", "teknisk_specifikation")
        for finding in _vague_findings(_label(number, item), item.text, ref)
    ]


def _vague_findings(label: str, text: str, ref: Reference) -> list[Finding]:
    if ref.vague is None or not MANDATORY.search(text):
        return []
    words = sorted({match.group(0).lower() for match in ref.vague.finditer(text)})
    if not words:
        return []
    return [
        Finding(
            "vague",
            "fel",
            label,
            f"Ska-kravet innehåller vaga ord ({', '.join(repr(w) for w in words)}) som anbudsgivare kan läsa olika.",
            "Skriv vad som menas: ett värde, en lista, en metod eller en standard \"eller likvärdigt\".",
            "lou-principer-och-proportionalitet",
            "Upphandlingsmyndighetens checklista för egna hållbarhetskrav",
        )
    ]


def rule_parameters(draft: list[tuple[str, DraftItem]], ref: Reference) -> list[Finding]:
    out = []
    for number, item in draft:
        for name, problem in item.parameter_problems():
            label = next((p.get("label") for p in item.parameters if p.get("name") == name), name)
            out.append(
                Finding(
                    "parameters",
                    "fel",
                    _label(number, item),
                    f"Värdet för \"{label}\" är {'inte ifyllt' if problem == 'no value' else problem}.",
                    "Fyll i ett värde inom det tillåtna intervallet; det rekommenderade värdet står vid fältet.",
                    "kravtyp-och-niva",
                    "Skriv varje krav med motiv, kravtext och verifiering",
                )
            )
    return out


def rule_legal_floor(draft: list[tuple[str, DraftItem]], ref: Reference) -> list[Finding]:
    return []  # library clauses sit above their floor (the validator and the expert check); own text: see below


def rule_no_contract_condition(draft: list[tuple[str, DraftItem]], ref: Reference) -> list[Finding]:
    if not draft or any(item.type == "sarskilt_kontraktsvillkor" for _, item in draft):
        return []
    return [_no_contract_condition()]


def _no_contract_condition() -> Finding:
    return Finding(
            "no_contract_condition",
            "varning",
            "",
            "Kravsetet har inget särskilt kontraktsvillkor: inget av det som ska levereras under avtalet kan "
            "följas upp eller sanktioneras.",
            "Lägg till villkor för det som ska hända under avtalstiden (återtag, reservdelar, rapportering) med "
            "påföljder.",
            "lou-kontraktsvillkor-och-innovation",
            "Sanktioner i kontraktsvillkor",
        )


def rule_proportionality(draft: list[tuple[str, DraftItem]], ref: Reference) -> list[Finding]:
    out = []
    for number, item in draft:
        if item.type == "kvalificeringskrav" and item.level == "spjutspets":
            out.append(
                Finding(
                    "proportionality",
                    "tips",
                    _label(number, item),
                    "Ett kvalificeringskrav på spjutspetsnivå kan stänga ute mindre och lokala leverantörer.",
                    "Pröva om kravet står i proportion till kontraktet; överväg att belöna det som "
                    "tilldelningskriterium i stället.",
                    "lou-principer-och-proportionalitet",
                    "Proportionalitet i praktiken",
                )
            )
    qualifications = [number for number, item in draft if item.type == "kvalificeringskrav"]
    if len(qualifications) >= 3:
        out.append(
            Finding(
                "proportionality",
                "tips",
                ", ".join(qualifications),
                f"{len(qualifications)} kvalificeringskrav tillsammans kan göra det svårt för små och lokala "
                "leverantörer att lämna anbud.",
                "Behåll de kvalificeringskrav som behovet kräver; dela gärna upp upphandlingen i delområden.",
                "regional-kontext-glesbygd",
                "Små leverantörer: gör upphandlingen möjlig att svara på",
            )
        )
    return out


RULES: dict[str, Rule] = {
    "award_model": rule_award_model,
    "award_binding": rule_award_binding,
    "equivalent": rule_equivalent,
    "verification": rule_verification,
    "qualification_timing": rule_qualification_timing,
    "requires": rule_requires,
    "vague": rule_vague,
    "parameters": rule_parameters,
    "legal_floor": rule_legal_floor,
    "no_contract_condition": rule_no_contract_condition,
    "proportionality": rule_proportionality,
}


def review_draft(items: list[DraftItem], reference: Reference | None = None) -> list[Finding]:
    """Every finding of every rule over a draft, most serious first."""
    reference = reference or Reference()
    draft = numbered(items)
    findings = [finding for rule in RULES.values() for finding in rule(draft, reference)]
    return sorted(findings, key=lambda f: SEVERITIES.index(f.severity))


def _title(ref: Reference, clause_id: str | None) -> str:
    clause = ref.clauses.get(clause_id or "")
    return clause.title if clause is not None else "finns inte i klausulbiblioteket"


# --- own requirements: pasted or uploaded text ---------------------------------------------------------------

HEADING = re.compile(r"^\s{0,3}#{1,6}\s+(.+?)\s*#*\s*$")
NUMBERED = re.compile(r"^\s*(?:[-*+]|\(?[A-ZÅÄÖ]?\d{1,3}[.):]|[A-ZÅÄÖ]\d{1,3}\s)\s*")


@dataclass
class OwnRequirement:
    """One requirement of a procurer's own text, with the type its heading or wording suggests."""

    number: int
    text: str
    type: str
    heading: str = ""


def split_requirements(text: str) -> list[OwnRequirement]:
    """A procurer's requirement text as separate requirements: list items, numbered items or paragraphs, with
    the type their heading names (or their own words suggest)."""
    out: list[OwnRequirement] = []
    heading = ""
    block: list[str] = []

    def close() -> None:
        body = " ".join(" ".join(block).split())
        block.clear()
        if len(body) < 15:
            return
        out.append(OwnRequirement(len(out) + 1, body, _guess_type(heading, body), heading))

    for line in text.replace("\r\n", "\n").split("\n"):
        if match := HEADING.match(line):
            close()
            heading = match.group(1)
            continue
        if not line.strip():
            close()
            continue
        if NUMBERED.match(line) and block:
            close()
        block.append(NUMBERED.sub("", line, count=1) if NUMBERED.match(line) else line.strip())
    close()
    return out


def _guess_type(heading: str, body: str) -> str:
    for where in (heading, body):
        for type_, pattern in TYPE_HINTS:
            if where and pattern.search(where):
                return type_
    return "teknisk_specifikation" if MANDATORY.search(body) else ""


def review_text(text: str, reference: Reference, match: Callable[[str], tuple[str, float] | None] | None = None,
                ) -> list[Finding]:  # fmt: skip
    """Findings over a procurer's own requirements. `match(text)` gives the library clause that covers a
    requirement, if any, as (clause id, similarity)."""
    requirements = split_requirements(text)
    findings: list[Finding] = []
    for own in requirements:
        label = f"krav {own.number}"
        if own.type == "tilldelningskriterium" or AWARD_WORDS.search(own.text):
            if not MODEL_WORDS.search(own.text):
                findings.append(
                    Finding(
                        "award_model",
                        "fel",
                        label,
                        "Kriteriet ger poäng eller mervärde men säger inte hur: ingen modell, skala eller vikt.",
                        "Ange modell (poäng, mervärde, LCC eller skala), hur anbuden poängsätts och vikten, och "
                        "gör det erbjudna värdet till ett avtalsvillkor.",
                        "lou-tilldelning-och-livscykelkostnad",
                        "Tilldelningskriterier måste vara kontrollerbara och det erbjudna värdet bindande",
                    )
                )
        findings.extend(_equivalent_findings(label, own.text))
        if not VERIFY_WORDS.search(own.text) and own.type != "tilldelningskriterium":
            findings.append(_no_verification(label))
        if own.type == "kvalificeringskrav" and DURING_CONTRACT.search(own.text):
            findings.append(_qualification_during(label))
        if own.type in ("kvalificeringskrav", "teknisk_specifikation", ""):
            findings.extend(_vague_findings(label, own.text, reference))
        covered = match(own.text) if match is not None else None
        if covered is not None:
            clause = reference.clauses.get(covered[0])
            if clause is not None and clause.legal_floor:
                findings.append(
                    Finding(
                        "legal_floor",
                        "varning",
                        label,
                        f"Lagen reglerar redan detta: {clause.legal_floor}",
                        f"Ställ ett krav som går längre än lagen, till exempel {clause.id} ({clause.title}).",
                        "lou-principer-och-proportionalitet",
                        "Lagens golv: ställ krav över det som lagen redan kräver",
                        suggestion=clause.id,
                    )
                )
            elif clause is not None:
                findings.append(
                    Finding(
                        "library_match",
                        "tips",
                        label,
                        f"Klausulbiblioteket har ett färdigt krav om detta: {clause.id} {clause.title}.",
                        f"Jämför med {clause.id}: det har verifiering, uppföljning och parametrar med "
                        "rekommenderade värden.",
                        "kravtyp-och-niva",
                        "Skriv varje krav med motiv, kravtext och verifiering",
                        suggestion=clause.id,
                    )
                )
    if requirements and not any(own.type == "sarskilt_kontraktsvillkor" for own in requirements):
        findings.append(_no_contract_condition())
    return sorted(findings, key=lambda f: SEVERITIES.index(f.severity))


def read_requirements(path: Path) -> str:
    """The text of a requirements file: Markdown or text as it is, a Word document's paragraphs and tables."""
    from indexing.errors import ConfigError

    suffix = path.suffix.lower()
    if suffix == ".docx":
        import docx

        try:
            document = docx.Document(str(path))
        except Exception as exc:  # damaged or not a .docx
            raise ConfigError(f"{path}: not a readable Word document ({type(exc).__name__})") from None
        lines = []
        for paragraph in document.paragraphs:
            style = (paragraph.style.name if paragraph.style is not None else "") or ""
            prefix = "## " if style.lower().startswith(("heading", "rubrik")) else ""
            lines.append(prefix + paragraph.text)
        for table in document.tables:
            for row in table.rows:
                lines.append(" ".join(cell.text for cell in row.cells))
        return "\n".join(lines)
    if suffix not in (".md", ".markdown", ".txt", ""):
        raise ConfigError(f"{path}: `cirkla check` reads .md, .txt or .docx, not {suffix}")
    from indexing.loaders.text import decode_text

    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ConfigError(f"{path}: cannot be read ({exc.strerror})") from None
    from indexing.errors import LoadError

    try:
        text, _note = decode_text(path, data)
    except LoadError as exc:
        raise ConfigError(f"{path}: {exc.reason}") from None
    return text
