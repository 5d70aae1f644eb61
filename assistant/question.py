"""What kind of answer a question wants, and which of its words carry its subject.

    question_kind("Vad är skillnaden mellan skall-krav och tilldelningskriterium?")   # "guidance"
    question_kind("Vi ska köpa kontorsstolar, vilka krav kan vi ställa?")            # "requirements"
    subject_terms("Vilka krav ska vi ställa när regionen upphandlar läkemedel?")     # ["läkemedel"]

A "guidance" question asks what, why, when, the difference between, whether something is allowed, or how to do
or follow up something: it is answered from the guidance notes first, clauses only as examples. A
"requirements" question asks for requirements for a purchase: it gets proposed requirements. Plain keyword
rules in Swedish and English, like the rest of the conversation logic (`assistant.followup`).
"""

from __future__ import annotations

import re

from assistant.areas import WORD

REQUIREMENTS = re.compile(
    r"\b(vilka (cirkulära |miljö)?krav|vilka (villkor|kriterier|tilldelningskriterier|kvalificeringskrav)"
    r"|vad (ska|bör|kan) vi (kräva|ställa)|krav (på|för|vid) |kravpaket|ska (köpa|upphandla|hyra|handla)"
    r"|vi (köper|upphandlar|hyr)|ska vi ställa|kan vi ställa|kan vi kräva|ska vi kräva"
    r"|what (can|should) we (require|ask for|include)|which .{0,40}requirements|requirements (for|on|when)"
    r"|we are (buying|procuring|renting)|we('re| are) going to (buy|procure)|criteria for)\b",
    re.IGNORECASE,
)
GUIDANCE = re.compile(
    r"^\s*(vad (är|menas|betyder|innebär|skiljer)|vad gäller|varför|när (ska|bör|får|måste|är)"
    r"|får (vi|man)|måste (vi|man)|behöver (vi|man)|är det|hur (fungerar|gör|väljer|ska vi|kan vi|bör vi|följer|"
    r"kontrollerar|vet|mäter|räknar|skriver)|vem (ska|har|gör)|vilken (nivå|kravtyp)"
    r"|what (is|are|does|do)|why|when (should|may|must|do)|may we|must we|do we (need|have)|is it|are we"
    r"|how (does|do|can|should|to)|who (should|does))\b"
    r"|\b(skillnaden|skillnad mellan|jämfört med|difference between|compared (to|with)|i praktiken)\b",
    re.IGNORECASE,
)
FOLLOW_UP = re.compile(
    r"\b(följ\w* upp|uppföljning\w*|kontroller\w*|verifier\w*|nyckeltal|rapporter\w* inte|har inte lämnat"
    r"|follow(ed)? up|check (that|whether)|verify|verification)\b",
    re.IGNORECASE,
)
# words every question about circular procurement shares: they say nothing about its subject
GENERAL = frozenset(
    """
    krav kraven kravet ställa ställer kräva kräver upphandla upphandlar upphandling upphandlingen upphandlingar
    cirkulär cirkulära cirkulärt leverantör leverantören leverantörer köpa köper inköp hyra vilka vilken vilket
    hur vad varför när ska skall kan bör får måste vi man ni de det den dem oss vår våra vårt är och eller att
    för på med som om till av i från inte finns gäller genomsnitt jämfört mellan alla nya ny nytt gamla
    regionen region kommunen kommun förvaltning förvaltningen avtal avtalet tjänst tjänsten produkter
    skriver skriva räknar räkna gör göra fungerar använder använda behöver behövs kostar kosta vanlig vanliga
    föreskriva föreskriver kontrollera kontrollerar följer följa välja väljer ställer sätta sätter
    requirements requirement require procure procurement circular supplier buy buying what which how why
    the and for with from that this can should must may we our are is of to in on a an it
    """.split()
)


def question_kind(question: str) -> str:
    """"requirements" or "guidance" (see the module docstring); a bare subject ("kontorsstolar") wants
    requirements."""
    if REQUIREMENTS.search(question):
        return "requirements"
    if GUIDANCE.search(question) or FOLLOW_UP.search(question):
        return "guidance"
    return "requirements"


CALL_OFF = re.compile(r"\b(avrop\w*|ramavtal\w*|förnyad konkurrensutsättning|call[- ]offs?|framework agreement)\b",
                      re.IGNORECASE)


def about_call_off(question: str) -> bool:
    """Whether the question is about a call-off from a framework agreement."""
    return bool(CALL_OFF.search(question))


LADDER = re.compile(
    r"\b(visa (alla )?nivå\w*|nivåerna|vilka nivåer|höj (ambitionen|ambitionsnivån|nivån)|högre (ambition\w*|nivå\w*)"
    r"|skarpare krav|show (the |all )?levels|which levels|raise the (ambition|level)|higher (level|ambition))\b",
    re.IGNORECASE,
)
RAISE = re.compile(r"\b(höj|högre|skarpare|raise|higher)\b", re.IGNORECASE)


def ladder_request(question: str) -> str | None:
    """"show" when the question asks to see the levels of the proposals, "raise" when it asks for higher ones."""
    if not LADDER.search(question):
        return None
    return "raise" if RAISE.search(question) else "show"


def is_follow_up(question: str) -> bool:
    """Whether the question is about following up or verifying requirements."""
    return bool(FOLLOW_UP.search(question))


def subject_terms(question: str) -> list[str]:
    """The words of a question that name its subject (not the words every procurement question shares)."""
    words = [word.lower() for word in WORD.findall(question)]
    return [word for word in words if len(word) >= 4 and word not in GENERAL]
