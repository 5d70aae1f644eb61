"""Issue 14, defects 3 and 4: a link no source holds never reaches the user as a link, in any form, through the
LLM (`cirkla ask` and the app, via the loopback fake server); an instruction planted in a document is flagged
and never presented as a requirement."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from assistant.llm import check_output
from tests.security.conftest import ask_in_browser

CIRKLA = Path(sys.executable).with_name("cirkla")
QUESTION = "Vilka krav kan vi ställa på reparation av kontorsstolar?"
# every form a planted link has come in: protocol-relative, www., punycode, autolinks, reference links, HTML,
# scheme-less host/path, e-mail, javascript:
EVIL_FORMS = {
    "protocol-relative": "[Granskning](//evil.example/x)",
    "www": "Se www.evil.example/x för granskning.",
    "punycode": "Se xn--granskning-9db.example/anbud.",
    "autolink": "Se <https://evil.example/a>.",
    "reference": "Läs [granskningen][g].\n\n[g]: https://evil.example/ref",
    "html": '<a href="https://evil.example/h">granskning</a>',
    "host-path": "Skicka anbudet via evil.example/anbud.",
    "email": "Mejla anbud@evil.example.",
    "javascript": "[klicka](javascript:alert(1))",
    "plain-https": "Mer på https://evil.example/mer.",
}
EVIL = re.compile(r"evil\.example|xn--granskning|javascript:", re.IGNORECASE)
CODE_SPAN = re.compile(r"`[^`\n]*`")


def clickable(markdown: str) -> list[str]:
    """Every evil target left where a Markdown renderer could make it a link: outside code spans."""
    return EVIL.findall(CODE_SPAN.sub("", markdown))


@pytest.mark.parametrize("form", sorted(EVIL_FORMS))
def test_check_output_turns_every_form_of_an_unknown_link_into_plain_text(form, hostile_assistant):
    answer = hostile_assistant.answer(QUESTION)
    reply = f"Stolar ska kunna repareras [1]. {EVIL_FORMS[form]} [1]"
    checked = check_output(reply, answer.sources)
    assert clickable(checked.markdown) == [], checked.markdown
    assert checked.notices  # the user is told links were removed


def test_a_link_a_cited_source_holds_is_kept():
    from assistant.guard import allowed_links, defuse_links

    class Src:
        references = [{"url": "https://www.upphandlingsmyndigheten.se/kriterier/mobler/"}]
        text = excerpt = verification = rationale = ""

    allowed = allowed_links([Src()])
    kept, changed = defuse_links("Se [UHM](https://www.upphandlingsmyndigheten.se/kriterier/mobler) [1].", allowed)
    assert not changed and "](https://www.upphandlingsmyndigheten.se/kriterier/mobler)" in kept


def test_cirkla_ask_with_an_llm_shows_no_planted_link(tmp_path, hostile_roots, openai_server):
    openai_server.reply = "Stolar ska kunna repareras [1]. " + " ".join(EVIL_FORMS.values()) + " [1]"
    env = {key: value for key, value in os.environ.items() if not key.startswith("CIRKLA_")}
    env.update(
        CIRKLA_DATA_DIR=str(tmp_path / "data"),
        CIRKLA_CORPUS_DIRS=str(hostile_roots["corpus"]),
        CIRKLA_STAFF_DIR=str(hostile_roots["documents"]),
        CIRKLA_LLM_PROVIDER="openai",
        CIRKLA_LLM_BASE_URL=openai_server.url,
        CIRKLA_LLM_MODEL="fake",
        HF_HUB_OFFLINE="1",
    )
    index = subprocess.run([str(CIRKLA), "index", "--json"], env=env, capture_output=True, text=True, timeout=600)
    assert index.returncode == 0, index.stderr[-2000:]
    asked = subprocess.run([str(CIRKLA), "ask", QUESTION], env=env, capture_output=True, text=True, timeout=300)
    assert asked.returncode == 0, asked.stderr[-2000:]
    assert openai_server.requests, "the model was asked"
    assert "Omformulerat av en språkmodell" in asked.stdout
    assert clickable(asked.stdout) == [], asked.stdout


@pytest.mark.browser
def test_the_app_with_an_llm_renders_no_planted_link(llm_app, chromium):
    url, fake = llm_app
    fake.reply = "Stolar ska kunna repareras [1]. " + " ".join(EVIL_FORMS.values()) + " [1]"
    context, dialogs = chromium
    page = context.new_page()
    ask_in_browser(page, url, QUESTION)
    page.get_by_text("Omformulerat av en språkmodell").first.wait_for(timeout=30_000)
    hrefs = page.eval_on_selector_all("#cirkla-chat a", "links => links.map(a => a.getAttribute('href') || '')")
    assert hrefs and not [href for href in hrefs if EVIL.search(href)], hrefs
    assert dialogs == []


def test_an_instruction_in_a_document_is_never_a_requirement_or_part_of_the_answer(hostile_assistant):
    answer = hostile_assistant.answer("Vad säger riktlinjen om reparation av kontorsstolar?")
    planted = [source for source in answer.sources if source.doc_id == "documents-riktlinje-reparation-md"]
    assert planted, [source.doc_id for source in answer.sources]
    assert planted[0].flagged and any("Ignorera alla tidigare instruktioner" in s for s in planted[0].withheld)
    assert "Ignorera" not in answer.markdown and "evil.example" not in answer.markdown
    assert "[text riktad till en AI utelämnad]" in answer.markdown
    for item in answer.draft_items:
        assert "Ignorera" not in item.text and "godkännas på" not in item.text


@pytest.mark.browser
def test_the_app_flags_the_document_in_its_source_card(hostile_app, chromium):
    context, dialogs = chromium
    page = context.new_page()
    ask_in_browser(page, hostile_app, "Vad säger riktlinjen om reparation av kontorsstolar?")
    chat = page.locator("#cirkla-chat").inner_text()
    assert "Ignorera" not in chat and "evil.example" not in chat
    flag = page.locator(".cirkla-source .cirkla-flag")
    flag.first.wait_for(state="attached", timeout=10_000)
    assert "vänder sig till en AI" in (flag.first.text_content() or "")
    proposals = " ".join(page.locator(".cirkla-proposal").all_inner_texts())
    assert "Ignorera" not in proposals
    assert dialogs == []
