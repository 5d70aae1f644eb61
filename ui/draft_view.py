"""The Utkast tab: the requirement set with a form for each item's values, its level ladder, the completeness
check ("Granska utkastet"), the follow-up plan, and exports to Word, Excel, Markdown and JSON.

Rendered from the draft (a `gr.State` of item dicts), the check's findings and the language; operations are the
pure functions of `ui.draft`. An export file is written only when asked for (see `ui.app`).
"""

from __future__ import annotations

from typing import Any

import gradio as gr

from assistant.answer import DraftItem
from assistant.labels import level_label
from assistant.review import Finding
from assistant.service import Assistant
from ui import draft
from ui.i18n import RENDER, t

EXPORTS = (("docx", "export_docx"), ("xlsx", "export_xlsx"), ("md", "export_md"), ("json", "export_json"))


def build_draft_tab(assistant: Assistant, draft_items: gr.State, language: gr.Radio, export: Any) -> gr.State:
    """The tab's content (inside a `gr.Tab`). `export(kind)` wires a button to the export flow. Returns the
    findings state (cleared whenever the draft changes)."""
    findings = gr.State(None)

    @gr.render(inputs=[draft_items, findings, language], **RENDER)
    def draft_list(draft_value: list, findings_value: list | None, lang: str) -> None:
        gr.Markdown(t(lang, "draft_intro"))
        if not draft_value:
            gr.Markdown(t(lang, "draft_empty"))
            return
        ladders = _ladders(assistant, draft_value)
        for type_name, members in draft.groups(draft_value):
            gr.Markdown(f"#### {draft.type_heading(type_name, lang)}")
            for number, item in members:
                cid = item["clause_id"]
                with gr.Row(elem_classes="cirkla-draft-item"):
                    with gr.Column(scale=4):
                        gr.Markdown(draft.item_markdown(item, lang, number))
                        for parameter in item.get("parameters") or []:
                            _parameter_input(item, parameter, lang, draft_items)
                        for level, replacement in ladders.get(cid, []):
                            swap = gr.Button(
                                t(lang, "swap_to").format(level=level_label(level, lang).lower())
                                + f" ({replacement['clause_id']})",
                                size="sm",
                                elem_classes="cirkla-swap",
                            )
                            swap.click(
                                lambda d, c=cid, r=replacement: draft.swap(d, c, r), draft_items, draft_items,
                                api_visibility="private",
                            )  # fmt: skip
                    with gr.Column(scale=0, min_width=130):
                        up = gr.Button(t(lang, "up"), size="sm")
                        down = gr.Button(t(lang, "down"), size="sm")
                        drop = gr.Button(t(lang, "remove"), size="sm", variant="stop")
                up.click(lambda d, c=cid: draft.move(d, c, -1), draft_items, draft_items, api_visibility="private")
                down.click(lambda d, c=cid: draft.move(d, c, 1), draft_items, draft_items, api_visibility="private")
                drop.click(lambda d, c=cid: draft.remove(d, c), draft_items, draft_items, api_visibility="private")
        check = gr.Button(t(lang, "check_button"), variant="primary", elem_id="cirkla-check")
        check.click(
            lambda d: [f.to_json() for f in assistant.check_draft(draft.items_of(d))], draft_items, findings,
            api_visibility="private",
        )  # fmt: skip
        if findings_value is not None:
            shown = [Finding(**f) for f in findings_value]
            gr.Markdown(draft.findings_markdown(shown, lang), elem_id="cirkla-findings")
        gr.Markdown(draft.plan_markdown(draft_value, lang), elem_id="cirkla-plan")
        with gr.Row():
            for kind, key in EXPORTS:
                button = gr.Button(t(lang, key), variant="primary" if kind == "docx" else "secondary",
                                   elem_id=f"cirkla-export-{kind}")  # fmt: skip
                export(button, kind)

    draft_items.change(lambda: None, None, findings, api_visibility="private")  # a changed draft needs a new check
    return findings


def _parameter_input(item: dict[str, Any], parameter: dict[str, Any], lang: str, draft_items: gr.State) -> None:
    """One value of an item: a number field (its range) or a choice; set when the field is left or submitted."""
    name = str(parameter["name"])
    current = DraftItem.from_json(item).value_of(name)
    label = draft.parameter_label(parameter, lang)
    key = f"{item['clause_id']}-{name}"
    field: Any
    if parameter.get("choices"):
        field = gr.Dropdown(
            [str(choice) for choice in parameter["choices"]],
            value=str(current) if current is not None else None,
            label=label,
            info=draft.parameter_info(parameter, lang),
            key=key,
            interactive=True,
            elem_classes="cirkla-parameter",
        )
        events = [field.input]
    elif isinstance(parameter.get("recommended"), int | float):
        field = gr.Number(
            value=current,
            label=label,
            info=draft.parameter_info(parameter, lang),
            key=key,
            interactive=True,
            elem_classes="cirkla-parameter",
        )
        events = [field.submit, field.blur]
    else:
        field = gr.Textbox(
            value=str(current) if current is not None else "",
            label=label,
            info=draft.parameter_info(parameter, lang),
            key=key,
            interactive=True,
            elem_classes="cirkla-parameter",
        )
        events = [field.submit, field.blur]
    for event in events:
        event(
            lambda d, v, c=item["clause_id"], n=name: draft.set_value(d, c, n, v),
            [draft_items, field],
            draft_items,
            api_visibility="private",
        )


def _ladders(assistant: Assistant, draft_value: list) -> dict[str, list[tuple[str, dict[str, Any]]]]:
    """clause id -> [(level, the other level's item)] for every item with variants at other levels."""
    out: dict[str, list[tuple[str, dict[str, Any]]]] = {}
    for item in draft_value:
        try:
            ladder = assistant.ladder(item["clause_id"])
        except Exception:  # noqa: BLE001 (a clause no longer in the library has no ladder)
            continue
        options = [
            (level, other.to_json())
            for level, others in ladder.items()
            for other in others
            if other.clause_id != item["clause_id"] and level != item.get("level")
        ]
        if options:
            out[item["clause_id"]] = options
    return out
