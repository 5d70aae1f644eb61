"""Issue 14, defect 6: an LLM timeout leaves no thread behind, and the draft leaves no export folders behind."""

from __future__ import annotations

import re
import tempfile
import threading
from pathlib import Path

import pytest

from assistant.llm import make_rewriter
from assistant.settings import Settings
from tests.security.conftest import ask_in_browser


def own_threads() -> set[str]:
    """Threads of this process that are not the fake server's request handlers."""
    return {t.name for t in threading.enumerate() if "process_request" not in t.name}


def test_llm_timeouts_leave_no_thread_running(hostile_assistant, openai_server):
    openai_server.delay = 3.0
    rewriter = make_rewriter(
        Settings(llm_provider="openai", llm_base_url=openai_server.url, llm_model="fake", llm_timeout_s=0.5)
    )
    assert rewriter is not None
    answer = hostile_assistant.answer("Vilka krav på reparation av kontorsstolar?")
    before = own_threads()
    for _ in range(3):
        with pytest.raises(TimeoutError, match="no reply within 0.5 s"):
            rewriter.rewrite("Vilka krav på reparation av kontorsstolar?", answer)
    assert own_threads() - before == set()  # the landed code left one waiting pool thread per timeout


def export_folders() -> set[str]:
    return {path.name for path in Path(tempfile.gettempdir()).glob("cirkla-export-*")}


@pytest.mark.browser
def test_the_draft_writes_an_export_only_when_asked_and_removes_its_folder(hostile_app, chromium, tmp_path):
    context, dialogs = chromium
    before = export_folders()
    page = context.new_page()
    ask_in_browser(page, hostile_app, "Vilka cirkulära krav kan vi ställa på kontorsmöbler?")
    for index in (0, 1):
        page.locator(".cirkla-add:not([disabled])").first.click()
        page.wait_for_function(
            "n => document.querySelectorAll('.cirkla-add[disabled]').length >= n", arg=index + 1, timeout=10_000
        )
    for language in ("English", "Svenska", "English"):  # each switch re-rendered the draft's export files
        page.get_by_label(language).check()
        page.wait_for_timeout(700)
    page.get_by_role("tab", name=re.compile("Draft")).click()
    page.get_by_role("button", name="Down").first.click()
    page.wait_for_timeout(700)
    assert export_folders() == before  # nothing written before the procurer asks for a file

    button = page.locator("#cirkla-export-docx")
    page.wait_for_function("!document.querySelector('#cirkla-export-docx').disabled", timeout=10_000)
    with page.expect_download(timeout=30_000) as download:
        button.click()
    target = tmp_path / "utkast.docx"
    download.value.save_as(target)
    assert target.stat().st_size > 0 and download.value.suggested_filename == "cirkla-requirements.docx"
    page.wait_for_timeout(500)
    assert export_folders() == before  # the export's own folder is gone once Gradio has its copy
    assert dialogs == []
