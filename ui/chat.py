"""Chat handlers: parse the UI's values, call the assistant, format for the chatbot and the sources panel.

Per-browser state travels in `gr.State` values (plain lists of dicts), never in module variables:
`turns` (the conversation as `Turn.to_json()`), `answers` (per answer: turn number, question, sources,
proposed requirements).
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from typing import Any

from assistant.answer import Answer
from assistant.followup import Turn
from assistant.service import Assistant
from ui.i18n import ALL, t
from ui.sources import link_citations, sources_panel

log = logging.getLogger(__name__)
SHOWN_QUESTION_CHARS = 600


def filters_from(area: str | None, type_: str | None, level: str | None) -> dict[str, str]:
    """The dropdown values as assistant filters (the "all" choice is no filter)."""
    values = {"area": area, "type": type_, "level": level}
    return {key: str(value) for key, value in values.items() if value and value != ALL}


def shown_question(question: str) -> str:
    text = question.strip()
    return text if len(text) <= SHOWN_QUESTION_CHARS else text[:SHOWN_QUESTION_CHARS] + " …"


def messages_of(answers: list[dict[str, Any]]) -> list[dict[str, str]]:
    """The chatbot's messages: each question and its answer, citations linked to the sources panel."""
    messages: list[dict[str, str]] = []
    for answer in answers:
        if answer["question"].strip():  # an empty submit gets an answer (a hint) but no empty bubble
            messages.append({"role": "user", "content": shown_question(answer["question"])})
        valid = {int(source["n"]) for source in answer.get("sources", [])}
        messages.append(
            {"role": "assistant", "content": link_citations(answer["markdown"], answer["turn"], valid)}
        )
    return messages


def answer_record(turn: int, question: str, answer: Answer) -> dict[str, Any]:
    return {
        "turn": turn,
        "question": question,
        "markdown": answer.markdown,
        "sources": [source.to_json() for source in answer.sources],
        "items": [item.to_json() for item in answer.draft_items],
        "more": [item.to_json() for item in answer.more_items],  # behind "show all"
        "expanded": False,
        "filters_used": dict(answer.filters_used),
        "language": answer.language,
    }


def respond(
    assistant: Assistant,
    question: str,
    language: str,
    area: str | None,
    type_: str | None,
    level: str | None,
    turns: list[dict[str, Any]] | None,
    answers: list[dict[str, Any]] | None,
) -> Iterator[tuple[Any, ...]]:
    """Stream one answer. Yields (messages, sources html, turns, answers, area, type, level, question box)."""
    turns = list(turns or [])
    answers = list(answers or [])
    question = question or ""
    history = [Turn.from_json(turn) for turn in turns]
    filters = filters_from(area, type_, level)
    turn_no = len(answers) + 1
    record: dict[str, Any] | None = None
    final: Answer | None = None
    try:
        for partial in assistant.stream_answer(question, history, filters, language=language):
            final = partial
            record = answer_record(turn_no, question, partial)
            yield (
                messages_of([*answers, record]),
                sources_panel([*answers, record], language),
                turns,
                answers,
                area,
                type_,
                level,
                "",
            )
    except Exception as exc:  # never a traceback in the chat: say what happened and how to go on
        log.exception("answering %r failed", question[:200])
        error = Answer(
            markdown=t(language, "error").format(error=type(exc).__name__) + "\n", language=language
        )
        record = answer_record(turn_no, question, error)
        final = None
    if record is None:
        return
    answers = [*answers, record]
    if final is not None and question.strip():
        turns = [*turns, assistant.turn(question, final).to_json()]
        used = final.filters_used
        area, type_, level = used.get("area", ALL), used.get("type", ALL), used.get("level", ALL)
    yield messages_of(answers), sources_panel(answers, language), turns, answers, area, type_, level, ""


def ask_api(
    assistant: Assistant,
    question: str,
    area: str = "",
    type_: str = "",
    level: str = "",
    language: str = "sv",
) -> dict[str, Any]:
    """The `ask` API endpoint: one question, optional filters -> answer Markdown, sources and proposals."""
    filters = filters_from(area, type_, level)
    answer = assistant.answer(question or "", None, filters, language=language or "sv")
    return {
        "markdown": answer.markdown,
        "sources": [source.to_json() for source in answer.sources],
        "draft_items": [item.to_json() for item in answer.draft_items],
        "more_items": [item.to_json() for item in answer.more_items],
        "kind": answer.kind,
        "also_area": answer.also_area,
        "notice": answer.notice,
        "language": answer.language,
        "filters_used": dict(answer.filters_used),
    }
