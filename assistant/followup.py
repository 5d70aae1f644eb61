"""Conversation state: what a question asks for, given what was asked before.

A person says "och för kontorsstolar?", "bara spjutspetsnivå" or "in English please" and expects the assistant
to keep everything else as it was. `resolve()` turns a question, the previous turns and the current
filters into the area, requirement type, level and language to use, the search query, and the intent
(draft or verification).
Only plain keyword rules in Swedish and English: predictable, testable, no model needed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from assistant.areas import WORD, detect_area

TYPE_PATTERNS: dict[str, re.Pattern[str]] = {
    "kvalificeringskrav": re.compile(
        r"kvalificering\w*|qualification\w*|selection criteri\w*|krav på leverantör\w*"
    ),
    "teknisk_specifikation": re.compile(
        r"teknisk\w* (specifikation\w*|krav)|specifikation\w*|technical spec\w*"
    ),
    "tilldelningskriterium": re.compile(r"tilldelning\w*|award criteri\w*|utvärderingskriteri\w*"),
    "sarskilt_kontraktsvillkor": re.compile(
        r"kontraktsvillkor\w*|avtalsvillkor\w*|contract (condition|clause|term)\w*|villkor i avtalet"
    ),
}
TYPE_RESET = re.compile(r"\balla (krav|kravtyper|typer)\b|\ball (requirement types|types|requirements)\b")

LEVEL_PATTERNS: dict[str, re.Pattern[str]] = {
    "bas": re.compile(r"\bbas(nivå\w*|krav\w*|en)?\b|\bgrundnivå\w*|\bbasic\b|\bbase level\b|\bcore level\b"),
    "avancerad": re.compile(r"\bavancerad\w*|\badvanced\b"),
    "spjutspets": re.compile(r"\bspjutspets\w*|\bcutting[- ]edge\b|\bspearhead\b|\bfront[- ]runner\b"),
}
LEVEL_RESET = re.compile(r"\balla nivåer\w*|\ball levels\b|\boavsett nivå\b|\bany level\b")
AREA_RESET = re.compile(
    r"\balla (områden|produktområden|kategorier)\b|\ball (areas|categories)\b|\boavsett område\b"
)

LANGUAGE_REQUEST = {
    "en": re.compile(
        r"\b(in|på) (english|engelska)\b|\benglish,? please\b|\bengelska,? tack\b|\bsvara på engelska\b"
    ),
    "sv": re.compile(
        r"\b(in|på) (swedish|svenska)\b|\bswedish,? please\b|\bsvenska,? tack\b|\bsvara på svenska\b"
    ),
}
VERIFY = re.compile(
    r"\bverifier\w*|\bverify\w*|\bverification\b|\bfölj\w* upp\b|\buppföljning\w*"
    r"|\bkontroller\w* (vi|man|det)\b"
    r"|\bhow (do|can|should) we (check|verify|follow)\b|\bbevis\w*\b|\bbelägg\w*"
)
FOLLOWUP_START = re.compile(
    r"^\s*(och|men|samt|bara|endast|enbart|just|visa|samma|hur verifierar|hur följer|vilka \w+ finns"
    r"|vad gäller"
    r"|and|but|only|just|show|same|what about|how about|how do we verify)\b",
    re.IGNORECASE,
)
PRONOUN_REFERENCE = re.compile(r"\b(det|dem|dessa|de kraven|detta|it|them|those|these|that)\b")

SWEDISH_WORDS = frozenset(
    "och att för vilka vilken vilket hur vad krav kan vi ska är på med som det den de om till av inte finns "
    "bör när eller man ställa upphandling upphandla kommun region tack jag har vår våra våren ni".split()
)
ENGLISH_WORDS = frozenset(
    "the and what which how for can we should is are on with that this of to in requirements requirement "
    "please do does set procure procurement buy buying about our my you criteria give show".split()
)
OTHER_LANGUAGE_WORDS = (
    frozenset(
        "der die das und ist welche für wir sollen anforderungen le la les est pour quels quelles nous "
        "exigences "
        "el los las para qué cuáles requisitos og er hvilke hva krav på vi og kan hvordan jeg".split()
    )
    - SWEDISH_WORDS
    - ENGLISH_WORDS
)

FILLER = frozenset(
    "och men samt bara endast enbart just visa samma för om kring gällande vilka vilket vilken finns det dem "
    "dessa detta hur verifierar vi kan man nivå nivån nivåer krav kraven please and but only show same what "
    "about how do we verify it them those these for the level levels tack in på english engelska svenska "
    "swedish ge mig give me istället instead också also then då".split()
)

QUESTION_WORDS = frozenset("vad vilka vilken vilket hur varför när var what which how why when where".split())



@dataclass
class Turn:
    """One finished exchange, as the next question needs it."""

    question: str
    answer: str = ""
    filters_used: dict[str, str] = field(default_factory=dict)
    language: str = "sv"
    topic: str = ""
    proposed: list[str] = field(default_factory=list)  # the clause ids the answer proposed

    def to_json(self) -> dict[str, Any]:
        return {
            "question": self.question,
            "answer": self.answer,
            "filters_used": dict(self.filters_used),
            "language": self.language,
            "topic": self.topic,
            "proposed": list(self.proposed),
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Turn:
        return cls(
            question=str(data.get("question", "")),
            answer=str(data.get("answer", "")),
            filters_used={k: str(v) for k, v in (data.get("filters_used") or {}).items() if v},
            language=str(data.get("language", "sv")),
            topic=str(data.get("topic", "")),
            proposed=[str(x) for x in data.get("proposed") or []],
        )


@dataclass
class Resolved:
    """What to search for and how to answer."""

    query: str
    topic: str
    filters: dict[str, str]
    language: str
    intent: str = "draft"  # draft | verification
    followup: bool = False
    other_language: bool = False


def detect_type(text: str) -> str | None:
    lowered = text.lower()
    for key, pattern in TYPE_PATTERNS.items():
        if pattern.search(lowered):
            return key
    return None


def detect_level(text: str) -> str | None:
    lowered = text.lower()
    for key, pattern in LEVEL_PATTERNS.items():
        if pattern.search(lowered):
            return key
    return None


def detect_language(text: str) -> str | None:
    """`sv`, `en`, `other` (a third language), or None when the text is too short to tell."""
    tokens = WORD.findall(text.lower())
    if not tokens:
        return None
    sv = sum(token in SWEDISH_WORDS for token in tokens) + 2 * len(re.findall(r"[åäö]", text.lower()))
    en = sum(token in ENGLISH_WORDS for token in tokens)
    other = sum(token in OTHER_LANGUAGE_WORDS for token in tokens) + 2 * len(
        re.findall(r"[ßàâçèêëîïôûœ]", text)
    )
    if other >= 2 and other > sv and other > en:
        return "other"
    if sv == en == 0 or (len(tokens) < 3 and abs(sv - en) < 2):
        return None
    return "sv" if sv >= en else "en"


def requested_language(text: str) -> str | None:
    lowered = text.lower()
    for language, pattern in LANGUAGE_REQUEST.items():
        if pattern.search(lowered):
            return language
    return None


def strip_area_words(text: str) -> str:
    """`text` without the words that name a product area (so a topic can move to another area)."""
    kept = []
    for token in text.split():
        bare = token.strip("?!.,:;()\"'").lower()
        if bare and (detect_area(token) is not None or bare == "it"):
            continue
        kept.append(token)
    return " ".join(kept)


def content_words(text: str) -> list[str]:
    """Words that say what the question is about: not filler, not type, level or language words."""
    lowered = text.lower()
    for pattern in (
        *TYPE_PATTERNS.values(),
        *LEVEL_PATTERNS.values(),
        *LANGUAGE_REQUEST.values(),
        VERIFY,
        TYPE_RESET,
        LEVEL_RESET,
        AREA_RESET,
    ):
        lowered = pattern.sub(" ", lowered)
    return [word for word in WORD.findall(lowered) if word not in FILLER and len(word) > 1 or word == "it"]


def is_followup(question: str, has_history: bool) -> bool:
    if not has_history:
        return False
    words = WORD.findall(question.lower())
    if FOLLOWUP_START.search(question):
        return True
    own = [
        word for word in content_words(question) if detect_area(word) is None and word not in QUESTION_WORDS
    ]
    if len(words) <= 4 and not own:
        return True
    return bool(PRONOUN_REFERENCE.search(question.lower())) and len(content_words(question)) <= 2


def resolve(
    question: str,
    history: list[Turn] | None = None,
    filters: dict[str, str] | None = None,
    default_language: str = "sv",
) -> Resolved:
    """Work out area, type, level, language, query and intent for `question` in its conversation.

    `filters` are the filters in force now (the app's dropdowns); None means "as in the last turn".
    """
    history = [turn for turn in (history or []) if turn.question.strip()]
    last = history[-1] if history else None
    current = {
        k: v
        for k, v in (filters if filters is not None else (last.filters_used if last else {})).items()
        if v and k in ("area", "type", "level", "kind")
    }
    followup = is_followup(question, last is not None)
    lowered = question.lower()

    area = detect_area(question)
    type_ = detect_type(question)
    level = detect_level(question)
    new = dict(current)
    if not followup and last is not None:
        # a new topic: type and level carried from the last answer start over; ones the person set since stay
        for key in ("type", "level"):
            if new.get(key) == last.filters_used.get(key):
                new.pop(key, None)
    if area:
        new["area"] = area
    elif AREA_RESET.search(lowered):
        new.pop("area", None)
    if type_:
        new["type"] = type_
    elif TYPE_RESET.search(lowered):
        new.pop("type", None)
    if level:
        new["level"] = level
    elif LEVEL_RESET.search(lowered):
        new.pop("level", None)

    detected = detect_language(question)
    asked = requested_language(question)
    previous_language = last.language if last else default_language
    other_language = detected == "other" and not asked
    if asked:
        language = asked
    elif detected in ("sv", "en") and not (followup and len(WORD.findall(question)) <= 4):
        language = detected
    elif detected == "other":
        language = "en"
    else:
        language = previous_language

    intent = "verification" if VERIFY.search(lowered) else "draft"
    if followup and last is not None:
        topic = last.topic or last.question
        extra = " ".join(content_words(question))
        base = strip_area_words(topic) if area and area != last.filters_used.get("area") else topic
        query = f"{extra} {base}".strip() if extra else base
        if intent == "verification":
            query = f"{query} verifiering".strip()
    else:
        topic = question.strip()
        query = topic
    return Resolved(
        query=query,
        topic=topic,
        filters=new,
        language=language,
        intent=intent,
        followup=followup,
        other_language=other_language,
    )
