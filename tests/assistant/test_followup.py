"""Conversation state from keywords alone: area, type, level and language carry over or change."""

from __future__ import annotations

import pytest

from assistant.followup import Turn, detect_area, detect_language, resolve


@pytest.mark.parametrize(
    ("text", "area"),
    [
        ("och för kontorsstolar?", "mobler"),
        ("Krav på kontorsmöbler", "mobler"),
        ("och IT?", "it"),
        ("bärbara datorer och mobiltelefoner", "it"),
        ("arbetskläder till hemtjänsten", "textil"),
        ("What about workwear?", "textil"),
        ("office furniture", "mobler"),
        ("rivning och renovering av skolor", "bygg"),
        ("matsvinn i skolmaten", "livsmedel"),
        ("kontorsmaterial och toner", "kontor"),
        ("how do we verify it?", None),  # English "it" is not IT
        ("krav vid upphandling av en konferens", "evenemang"),  # "av" is "of", not AV equipment
        ("hyra av AV-utrustning", "elektronik"),
        ("bara spjutspetsnivå", None),
    ],
)
def test_area_keywords(text, area):
    assert detect_area(text) == area


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Vilka krav kan vi ställa på möbler?", "sv"),
        ("Which requirements can we set for furniture?", "en"),
        ("Welche Anforderungen gelten für Büromöbel?", "other"),
        ("ok", None),
    ],
)
def test_language_detection(text, language):
    assert detect_language(text) == language


def run(chain, filters=None):
    """Resolve each question after the previous ones; the resolved states in order."""
    history: list[Turn] = []
    states = []
    for question in chain:
        resolved = resolve(question, history, filters)
        filters = None
        history.append(Turn(question, "", resolved.filters, resolved.language, resolved.topic))
        states.append(resolved)
    return states


def test_the_issue_chain_carries_and_changes_state_as_a_person_expects():
    states = run(
        [
            "Vilka krav kan vi ställa på återbruk vid upphandling av möbler?",
            "och för kontorsstolar?",
            "bara spjutspetsnivå",
            "vilka kontraktsvillkor finns?",
            "hur verifierar vi det?",
            "in English please",
            "visa tilldelningskriterier",
            "och IT?",
        ]
    )
    f = [s.filters for s in states]
    assert f[0] == {"area": "mobler"}
    assert f[1] == {"area": "mobler"} and "kontorsstolar" in states[1].query and "återbruk" in states[1].query
    assert f[2] == {"area": "mobler", "level": "spjutspets"}
    assert f[3] == {"area": "mobler", "level": "spjutspets", "type": "sarskilt_kontraktsvillkor"}
    assert states[4].intent == "verification" and f[4] == f[3]
    assert states[5].language == "en" and f[5] == f[3] and states[5].query == states[0].query
    assert f[6]["type"] == "tilldelningskriterium" and states[6].language == "en"
    assert f[7] == {"area": "it", "level": "spjutspets", "type": "tilldelningskriterium"}
    assert "möbler" not in states[7].query  # the old area's word does not pull furniture back in


def test_a_new_question_starts_type_and_level_over_but_resets_are_understood():
    states = run(
        [
            "Vilka tilldelningskriterier finns för möbler på avancerad nivå?",
            "Hur ställer man krav på reservdelar till datorer?",
            "alla nivåer",
            "på svenska tack",
        ]
    )
    assert states[0].filters == {"area": "mobler", "type": "tilldelningskriterium", "level": "avancerad"}
    assert states[1].filters == {"area": "it"} and not states[1].followup
    assert states[2].filters == {"area": "it"} and states[2].followup
    assert states[3].language == "sv"


def test_filters_from_the_app_are_the_current_state():
    resolved = resolve(
        "och arbetskläder?",
        [Turn("Krav på möbler", "", {"area": "mobler"}, "sv", "Krav på möbler")],
        {"area": "mobler", "level": "bas"},
    )
    assert resolved.filters == {"area": "textil", "level": "bas"}
