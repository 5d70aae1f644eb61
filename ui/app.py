"""The Gradio app: chat with cited answers and a sources panel, filters, and the draft (Utkast).

    blocks = build_app(assistant)                 # the gr.Blocks, handlers thin (ui.chat, ui.draft)
    app = create_server(assistant)                 # FastAPI: /source/... (corpus files) + the app at /
    serve(assistant, host="127.0.0.1", port=7860)  # what `cirkla serve` runs

API endpoint for gradio_client: `ask(question, area="", type="", level="", language="sv")` -> answer Markdown,
sources and proposed requirements (a dict).
"""

from __future__ import annotations

import socket
import threading
import time
from pathlib import Path
from typing import Any

import gradio as gr

from assistant.service import Assistant
from ui import api, chat, draft
from ui.draft_view import build_draft_tab
from ui.i18n import ALL, EXAMPLES, LANGUAGES, RENDER, area_choices, level_choices, t, type_choices
from ui.package_view import build_package_tab
from ui.sources import add_source_route, sources_panel

CSS = """
.cirkla-sources { max-height: 640px; overflow-y: auto; font-size: 0.92em; }
.cirkla-source { border: 1px solid var(--border-color-primary); border-radius: 8px; margin: 0 0 8px 0;
  padding: 6px 10px; background: var(--background-fill-primary); }
.cirkla-source summary { cursor: pointer; font-weight: 600; }
.cirkla-source.cirkla-active { border-color: var(--color-accent);
  box-shadow: 0 0 0 2px var(--color-accent-soft); }
.cirkla-n { color: var(--color-accent); margin-right: 4px; }
.cirkla-badge { display: inline-block; font-weight: 400; font-size: 0.85em; padding: 0 6px; margin-left: 4px;
  border-radius: 10px; background: var(--background-fill-secondary); }
.cirkla-body p, .cirkla-body blockquote { margin: 6px 0; }
.cirkla-path { color: var(--body-text-color-subdued); font-size: 0.85em; }
.cirkla-empty, .cirkla-q { color: var(--body-text-color-subdued); }
.cirkla-proposal { align-items: center; }
.cirkla-draft-item { border-bottom: 1px solid var(--border-color-primary); padding-bottom: 6px; }
.cirkla-flag { color: var(--error-text-color, #b91c1c); font-weight: 600; }
.cirkla-examples button { white-space: normal; text-align: left; }
@media (max-width: 640px) {
  #cirkla-header { flex-direction: column; align-items: stretch; }
  #cirkla-header > * { min-width: 0 !important; width: 100%; }
}
"""

# After an answer: scroll the conversation so the last question, and the start of its answer, are at the top.
SHOW_ANSWER_START = """() => { setTimeout(() => {
  const rows = document.querySelectorAll('#cirkla-chat .message-row.user-row');
  const last = rows[rows.length - 1];
  const wrap = last ? last.closest('.bubble-wrap') : null;
  if (last && wrap) wrap.scrollTop = last.offsetTop - wrap.offsetTop;
}, 100); }"""

# Gradio's own status words, which it announces to screen readers; a Swedish browser got the raw keys.
STATUS_WORDS = {
    "sv": {"common.complete": "Klart", "common.error": "Fel", "common.loading": "Laddar"},
    "en": {"common.complete": "Done", "common.error": "Error", "common.loading": "Loading"},
}

# After an export: click the (hidden) download button once it holds the new file.
CLICK_DOWNLOAD = """() => { setTimeout(() => {
  const button = document.querySelector('#cirkla-download button, button#cirkla-download');
  if (button) button.click();
}, 50); }"""

# Citation links in an answer point at `#cirkla-src-<turn>-<n>`: open that card (and any folded parent) and
# scroll it into view, instead of navigating.
HEAD = """
<script>
document.addEventListener('click', function (event) {
  const link = event.target.closest ? event.target.closest('a[href*="#cirkla-src-"]') : null;
  if (!link) return;
  const id = link.getAttribute('href').split('#').pop();
  const card = document.getElementById(id);
  if (!card) return;
  event.preventDefault();
  event.stopPropagation();
  for (let node = card; node; node = node.parentElement) { if (node.tagName === 'DETAILS') node.open = true; }
  document.querySelectorAll('.cirkla-source.cirkla-active').forEach(function (n) {
    n.classList.remove('cirkla-active');
  });
  card.classList.add('cirkla-active');
  card.scrollIntoView({behavior: 'smooth', block: 'nearest'});
}, true);
</script>
"""


def build_app(assistant: Assistant, concurrency: int = 8) -> gr.Blocks:
    """The app's Blocks. Every per-user value is a `gr.State`; `assistant` is shared and stateless.

    `concurrency` questions are answered at once, chat and API together (one concurrency group); more wait in
    the queue, so a slow LLM delays the n-th caller by about n / concurrency answers, not n."""
    areas = assistant.area_names
    # Gradio's copies of export files are deleted after an hour (checked hourly)
    with gr.Blocks(title="Cirkla", delete_cache=(3600, 3600)) as blocks:
        turns = gr.State([])
        answers = gr.State([])
        draft_items = gr.State([])
        with gr.Row(elem_id="cirkla-header"):
            title = gr.Markdown(t("sv", "title") + "\n" + t("sv", "subtitle"), elem_id="cirkla-title")
            language = gr.Radio(
                LANGUAGES,
                value="sv",
                label=t("sv", "language"),
                scale=0,
                min_width=220,
                elem_id="cirkla-language",
            )
        with gr.Tabs(elem_id="cirkla-tabs") as tabs:
            with gr.Tab(t("sv", "tab_chat"), id="chat") as chat_tab:
                with gr.Row():
                    with gr.Column(scale=3):
                        chatbot = gr.Chatbot(
                            label=t("sv", "chatbot"),
                            height=540,
                            autoscroll=False,  # a finished answer is shown from its start (SHOW_ANSWER_START)
                            elem_id="cirkla-chat",
                            feedback_options=None,
                            buttons=["copy"],
                        )
                        with gr.Row():
                            question = gr.Textbox(
                                label=t("sv", "question"),
                                placeholder=t("sv", "placeholder"),
                                lines=1,
                                max_lines=6,
                                scale=5,
                                elem_id="cirkla-question",
                                autofocus=True,
                            )
                            send = gr.Button(
                                t("sv", "send"), variant="primary", scale=1, elem_id="cirkla-send"
                            )
                        new_chat = gr.Button(t("sv", "new_chat"), size="sm", variant="secondary")

                        @gr.render(inputs=[answers, draft_items, language], **RENDER)
                        def proposals(answers_value: list, draft_value: list, lang: str) -> None:
                            if not answers_value:  # an empty chat: examples, and the way to the packages
                                gr.Markdown(t(lang, "examples"))
                                with gr.Row(elem_classes="cirkla-examples"):
                                    for text in EXAMPLES["en" if lang == "en" else "sv"]:
                                        example = gr.Button(text, size="sm", elem_classes="cirkla-example")
                                        example.click(lambda q=text: q, None, question, api_visibility="private").then(
                                            respond, chat_inputs, chat_outputs, api_visibility="private",
                                            concurrency_limit=concurrency, concurrency_id="answers",
                                        )  # fmt: skip
                                packages = gr.Button(t(lang, "open_package"), size="sm", elem_id="cirkla-open-package")
                                packages.click(
                                    lambda: gr.Tabs(selected="package"), None, tabs, api_visibility="private"
                                )
                                return
                            latest = answers_value[-1]
                            items = latest["items"] + (latest.get("more", []) if latest.get("expanded") else [])
                            if not items:
                                return
                            gr.Markdown(t(lang, "proposals"))
                            in_draft = {item["clause_id"] for item in draft_value or []}
                            for item in items:
                                with gr.Row(elem_classes="cirkla-proposal"):
                                    gr.Markdown(f"[{item['source']}] " + draft.item_label(item, lang))
                                    added = item["clause_id"] in in_draft
                                    button = gr.Button(
                                        t(lang, "added" if added else "add"),
                                        size="sm",
                                        scale=0,
                                        min_width=150,
                                        interactive=not added,
                                        elem_classes="cirkla-add",
                                    )
                                    button.click(
                                        lambda d, item=item: draft.add(d, item),
                                        draft_items,
                                        draft_items,
                                        api_visibility="private",
                                    )
                            hidden = latest.get("more", []) if not latest.get("expanded") else []
                            if hidden:
                                show_all = gr.Button(
                                    t(lang, "show_all").format(n=len(items) + len(hidden)),
                                    size="sm",
                                    elem_id="cirkla-show-all",
                                )
                                show_all.click(
                                    lambda a: [*a[:-1], {**a[-1], "expanded": True}],
                                    answers,
                                    answers,
                                    api_visibility="private",
                                )

                    with gr.Column(scale=2):
                        filters_heading = gr.Markdown(t("sv", "filters"))
                        with gr.Group():
                            area = gr.Dropdown(
                                area_choices(areas, "sv"),
                                value=ALL,
                                label=t("sv", "area"),
                                elem_id="cirkla-area",
                            )
                            type_ = gr.Dropdown(
                                type_choices("sv"), value=ALL, label=t("sv", "type"), elem_id="cirkla-type"
                            )
                            level = gr.Dropdown(
                                level_choices("sv"), value=ALL, label=t("sv", "level"), elem_id="cirkla-level"
                            )
                        sources_heading = gr.Markdown(t("sv", "sources"))
                        sources = gr.HTML(sources_panel([], "sv"), elem_id="cirkla-sources")

            with gr.Tab(t("sv", "tab_package"), id="package", elem_id="cirkla-package-tab") as package_tab:
                build_package_tab(assistant, draft_items, language)

            with gr.Tab(t("sv", "tab_draft"), id="draft", elem_id="cirkla-draft-tab") as draft_tab:
                # the file of the latest export; clicked by script when it is ready, visible as a fallback
                download = gr.DownloadButton(
                    t("sv", "download"), value=None, visible=False, size="sm", elem_id="cirkla-download"
                )
                export_folder = gr.State(None)

                def export(button: gr.Button, kind: str) -> None:
                    # written only when asked for; Gradio copies it into its cache as the event's output, then
                    # its folder is removed, and the browser downloads the copy
                    button.click(
                        lambda d, lang, kind=kind: _export(d, lang, kind),
                        [draft_items, language],
                        [download, export_folder],
                        api_visibility="private",
                    ).then(draft.remove_folder, export_folder, None, api_visibility="private").then(
                        None, None, None, js=CLICK_DOWNLOAD, api_visibility="private"
                    )

                build_draft_tab(assistant, draft_items, language, export)
                clear_draft = gr.Button(t("sv", "clear_draft"), variant="secondary")

        # -- events: thin, each calls one function of ui.chat or ui.draft ----------------------------------
        chat_inputs = [question, language, area, type_, level, turns, answers]
        chat_outputs = [chatbot, sources, turns, answers, area, type_, level, question]

        def respond(*values: Any) -> Any:
            yield from chat.respond(assistant, *values)

        for trigger in (question.submit, send.click):
            trigger(
                respond,
                chat_inputs,
                chat_outputs,
                api_visibility="private",
                concurrency_limit=concurrency,
                concurrency_id="answers",
            ).then(None, None, None, js=SHOW_ANSWER_START, api_visibility="private")

        def restart(lang: str) -> tuple[Any, ...]:
            return [], sources_panel([], lang), [], [], ALL, ALL, ALL, ""

        new_chat.click(restart, [language], chat_outputs, api_visibility="private")

        def draft_changed(draft_value: list, lang: str) -> tuple[Any, Any]:
            label = t(lang, "tab_draft") + (f" ({len(draft_value)})" if draft_value else "")
            return gr.update(label=label), gr.update(value=None, visible=False)

        draft_items.change(
            draft_changed, [draft_items, language], [draft_tab, download], api_visibility="private"
        )
        clear_draft.click(lambda: [], None, draft_items, api_visibility="private")

        def relabel(
            lang: str, answers_value: list, draft_value: list, area_v: str, type_v: str, level_v: str
        ) -> tuple[Any, ...]:
            count = f" ({len(draft_value)})" if draft_value else ""
            return (
                gr.update(value=t(lang, "title") + "\n" + t(lang, "subtitle")),
                gr.update(label=t(lang, "language")),
                gr.update(label=t(lang, "tab_chat")),
                gr.update(label=t(lang, "tab_package")),
                gr.update(label=t(lang, "tab_draft") + count),
                gr.update(label=t(lang, "chatbot")),
                gr.update(label=t(lang, "question"), placeholder=t(lang, "placeholder")),
                gr.update(value=t(lang, "send")),
                gr.update(value=t(lang, "new_chat")),
                gr.update(value=t(lang, "filters")),
                gr.update(choices=area_choices(areas, lang), label=t(lang, "area"), value=area_v),
                gr.update(choices=type_choices(lang), label=t(lang, "type"), value=type_v),
                gr.update(choices=level_choices(lang), label=t(lang, "level"), value=level_v),
                gr.update(value=t(lang, "sources")),
                sources_panel(answers_value, lang),
                gr.update(value=t(lang, "clear_draft")),
                gr.update(label=t(lang, "download"), value=None, visible=False),
            )

        language.change(
            relabel,
            [language, answers, draft_items, area, type_, level],
            [
                title,
                language,
                chat_tab,
                package_tab,
                draft_tab,
                chatbot,
                question,
                send,
                new_chat,
                filters_heading,
                area,
                type_,
                level,
                sources_heading,
                sources,
                clear_draft,
                download,
            ],
            api_visibility="private",
        )

        api.register(assistant, concurrency)
    return blocks


def _export(draft_value: list, lang: str, kind: str) -> tuple[Any, str | None]:
    path, folder = draft.export_file(draft_value, lang, kind)
    label = t(lang, "download") + (f" ({Path(path).name})" if path else "")
    return gr.update(value=path, visible=path is not None, label=label), folder


def create_server(assistant: Assistant, max_upload_mb: float = 20.0, concurrency: int = 8) -> Any:
    """A FastAPI app serving the corpus files under /source and the Gradio app at /, behind `ui.security`."""
    from fastapi import FastAPI

    from ui.security import SecurityHeaders, UploadLimits

    app = FastAPI(title="Cirkla")
    add_source_route(app, assistant.roots)
    blocks = build_app(assistant, concurrency)
    # system fonts: no requests to font CDNs (offline machines; no third party sees who uses the app)
    theme = gr.themes.Soft(
        font=["system-ui", "Segoe UI", "Roboto", "sans-serif"],
        font_mono=["ui-monospace", "Consolas", "monospace"],
    )
    app = gr.mount_gradio_app(
        app,
        blocks,
        path="/",
        css=CSS,
        head=HEAD,
        theme=theme,
        footer_links=["api"],
        show_error=False,
        max_file_size=f"{max_upload_mb:g}mb",
        i18n=gr.I18n(**STATUS_WORDS),
    )
    app.add_middleware(UploadLimits, max_bytes=int(max_upload_mb * 1024 * 1024))
    app.add_middleware(SecurityHeaders)
    return app


def bind(host: str, port: int) -> socket.socket:
    """A listening socket on host:port; a `ConfigError` saying so when the address is taken or wrong."""
    from indexing.errors import ConfigError

    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as exc:
        raise ConfigError(f"cannot listen on {host}:{port}: unknown address ({exc.strerror})") from None
    family, _, _, _, address = infos[0]
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind(address)
        sock.listen(2048)
    except OSError as exc:
        sock.close()
        if exc.errno in (98, 48, 10048):  # EADDRINUSE on Linux, macOS, Windows
            raise ConfigError(
                f"port {port} on {host} is already in use; stop what runs there or pass --port (CIRKLA_PORT)"
            ) from None
        raise ConfigError(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from None
    sock.set_inheritable(True)
    return sock


def _server(assistant: Assistant, max_upload_mb: float, concurrency: int = 8, **config: Any) -> Any:
    import uvicorn

    return uvicorn.Server(
        uvicorn.Config(
            create_server(assistant, max_upload_mb=max_upload_mb, concurrency=concurrency),
            log_level="warning",
            server_header=False,  # no "server: uvicorn" banner
            timeout_graceful_shutdown=5,  # an open stream does not keep a stopped server alive
            **config,
        )
    )


def start_server(
    assistant: Assistant,
    host: str = "127.0.0.1",
    port: int = 7860,
    max_upload_mb: float = 20.0,
    concurrency: int = 8,
) -> tuple[Any, threading.Thread]:
    """Run the app in a background thread (tests, embedding); returns (uvicorn server, thread)."""
    sock = bind(host, port)
    server = _server(assistant, max_upload_mb, concurrency)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, name="cirkla-app", daemon=True)
    thread.start()
    deadline = time.monotonic() + 60
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError(f"the app did not start on {host}:{port}")
        time.sleep(0.05)
    return server, thread


def serve(
    assistant: Assistant,
    sock: socket.socket,
    max_upload_mb: float = 20.0,
    concurrency: int = 8,
    on_ready: Any = None,
) -> None:
    """Run the app on an already bound socket (`bind`) in the foreground until interrupted or terminated."""
    server = _server(assistant, max_upload_mb, concurrency)
    if on_ready is not None:
        on_ready()
    server.run(sockets=[sock])
