"""Requirement types and levels: their order in procurement documents, and their names in Swedish and
English."""

from __future__ import annotations

TYPE_ORDER = (
    "kvalificeringskrav",
    "teknisk_specifikation",
    "tilldelningskriterium",
    "sarskilt_kontraktsvillkor",
)
LEVEL_ORDER = ("bas", "avancerad", "spjutspets")

TYPE_LABELS = {
    "sv": {
        "kvalificeringskrav": ("Kvalificeringskrav", "kvalificeringskrav"),
        "teknisk_specifikation": ("Tekniska specifikationer", "teknisk specifikation"),
        "tilldelningskriterium": ("Tilldelningskriterier", "tilldelningskriterium"),
        "sarskilt_kontraktsvillkor": ("Särskilda kontraktsvillkor", "särskilt kontraktsvillkor"),
    },
    "en": {
        "kvalificeringskrav": ("Qualification requirements", "qualification requirement"),
        "teknisk_specifikation": ("Technical specifications", "technical specification"),
        "tilldelningskriterium": ("Award criteria", "award criterion"),
        "sarskilt_kontraktsvillkor": ("Special contract conditions", "special contract condition"),
    },
}
LEVEL_LABELS = {
    "sv": {"bas": "Basnivå", "avancerad": "Avancerad nivå", "spjutspets": "Spjutspetsnivå"},
    "en": {"bas": "Basic level", "avancerad": "Advanced level", "spjutspets": "Spearhead level"},
}


def type_label(type_: str | None, language: str, plural: bool = False) -> str:
    labels = TYPE_LABELS["en" if language == "en" else "sv"]
    if type_ not in labels:
        return type_ or ""
    return labels[type_][0 if plural else 1]


def level_label(level: str | None, language: str) -> str:
    return LEVEL_LABELS["en" if language == "en" else "sv"].get(level or "", level or "")
