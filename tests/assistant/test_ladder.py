"""The ambition ladder in the chat: "visa nivåerna" shows the levels of the last proposals side by side, "höj
ambitionen" proposes the higher-level variants; every variant is cited and can go into the draft."""

from __future__ import annotations

from assistant.answer import unresolved_citations

QUESTION = "Vi ska upphandla insamling och sortering av textil från återvinningscentralerna. Vilka krav?"


def test_show_the_levels_then_raise_the_ambition(seed_assistant):
    first = seed_assistant.answer(QUESTION)
    history = [seed_assistant.turn(QUESTION, first)]
    assert "AVF-TS-01" in history[0].proposed

    levels = seed_assistant.answer("visa nivåerna", history, first.filters_used)
    ids = [item.clause_id for item in levels.draft_items]
    assert "AVF-TS-01" in ids and "AVF-TS-02" in ids  # the bas requirement and the avancerad one that replaces it
    assert "*Basnivå:* AVF-TS-01" in levels.markdown and "*Avancerad nivå:* AVF-TS-02" in levels.markdown
    assert unresolved_citations(levels) == [] and levels.found

    raised = seed_assistant.answer("höj ambitionen", history, first.filters_used)
    raised_ids = [item.clause_id for item in raised.draft_items]
    assert "AVF-TS-02" in raised_ids and "AVF-TS-01" not in raised_ids
    assert all(item.level in ("avancerad", "spjutspets") for item in raised.draft_items)
    assert unresolved_citations(raised) == []


def test_a_ladder_request_without_proposals_is_answered_as_a_question(seed_assistant):
    answer = seed_assistant.answer("visa nivåerna")
    assert answer.language == "sv"  # no history: an ordinary question about levels
