"""The Kravpaket tab: product area -> product groups -> level -> a preview grouped by type -> add all to the draft.

What the procurer has chosen lives in a `gr.State` (`choice`: area, groups, level); the tab is rendered from it
and the language, so it follows both. The package itself comes from `Assistant.package`.
"""

from __future__ import annotations

import html
from typing import Any

import gradio as gr

from assistant.labels import LEVEL_ORDER, level_label, type_label
from assistant.review import numbered
from assistant.service import Assistant
from indexing.errors import ConfigError
from ui import draft
from ui.i18n import RENDER, t

EMPTY_CHOICE: dict[str, Any] = {"area": None, "groups": [], "level": "bas", "added": 0}


def preview_markdown(assistant: Assistant, choice: dict[str, Any], language: str) -> tuple[str, list[dict[str, Any]]]:
    """(the package as Markdown grouped by type, its items as draft dicts) for the current choice."""
    if not choice.get("area"):
        return t(language, "package_empty"), []
    try:
        items = assistant.package(choice["area"], choice.get("groups") or None, choice.get("level") or "bas")
    except ConfigError as exc:
        return f"⚠️ {html.escape(str(exc))}", []
    lines = [f"**{t(language, 'package_count').format(n=len(items))}**", ""]
    current = None
    for number, item in numbered(items):
        if item.type != current:
            current = item.type
            lines += ["", f"#### {type_label(item.type, language, plural=True)}", ""]
        lines.append(
            f"- **{number}** {html.escape(item.title)} · {level_label(item.level, language)} · `{item.clause_id}`"
        )
    return "\n".join(lines), [item.to_json() for item in items]


def build_package_tab(assistant: Assistant, draft_items: gr.State, language: gr.Radio) -> gr.State:
    """The tab's content (inside a `gr.Tab`); returns its choice state."""
    choice = gr.State(dict(EMPTY_CHOICE))
    area_names = assistant.area_names

    @gr.render(inputs=[choice, language], **RENDER)
    def package_tab(choice_value: dict[str, Any], lang: str) -> None:
        gr.Markdown(t(lang, "package_intro"))
        names = {slug: names_.get("en" if lang == "en" else "sv", slug) for slug, names_ in area_names.items()}
        library_areas = assistant.library().areas()
        with gr.Row():
            area = gr.Dropdown(
                [(names.get(slug, slug), slug) for slug in library_areas],
                value=choice_value.get("area"),
                label=t(lang, "package_area"),
                interactive=True,
                elem_id="cirkla-package-area",
                scale=2,
            )
            level = gr.Radio(
                [(level_label(name, lang), name) for name in LEVEL_ORDER],
                value=choice_value.get("level") or "bas",
                label=t(lang, "package_level"),
                interactive=True,
                elem_id="cirkla-package-level",
                scale=2,
            )
        if choice_value.get("area"):
            groups = gr.CheckboxGroup(
                assistant.library().groups(choice_value["area"]),
                value=choice_value.get("groups") or [],
                label=t(lang, "package_groups"),
                interactive=True,
                elem_id="cirkla-package-groups",
            )
            groups.input(
                lambda c, g: {**c, "groups": list(g or []), "added": 0}, [choice, groups], choice,
                api_visibility="private",
            )  # fmt: skip
        preview, items = preview_markdown(assistant, choice_value, lang)
        gr.Markdown(preview, elem_id="cirkla-package-preview")
        if items:
            add_all = gr.Button(t(lang, "package_add"), variant="primary", elem_id="cirkla-package-add")
            add_all.click(
                lambda d, c, items=items: (draft.add_many(d, items), {**c, "added": len(items)}),
                [draft_items, choice],
                [draft_items, choice],
                api_visibility="private",
            )
        if choice_value.get("added"):
            gr.Markdown(t(lang, "package_added").format(n=choice_value["added"]), elem_id="cirkla-package-done")
        area.input(
            lambda c, a: {**c, "area": a, "groups": [], "added": 0}, [choice, area], choice, api_visibility="private"
        )
        level.input(lambda c, v: {**c, "level": v, "added": 0}, [choice, level], choice, api_visibility="private")

    return choice
