"""Issue 14, defect 1 and "also check": nothing in a corpus file or an upload runs on Cirkla's origin.

In real Chromium, every dialog any page opens is counted: there must be none.
"""

from __future__ import annotations

import http.client
import json
import re
import uuid
from urllib.parse import quote, urlparse

import pytest

from tests.security.conftest import ask_in_browser
from tests.ui.conftest import free_port

pytestmark = pytest.mark.browser


def fetch(base_url: str, path: str, method: str = "GET", body: bytes | None = None, headers=None):
    parsed = urlparse(base_url)
    conn = http.client.HTTPConnection(parsed.hostname, parsed.port, timeout=30)
    conn.request(method, path, body=body, headers=headers or {})
    response = conn.getresponse()
    data = response.read()
    conn.close()
    return response, data


def test_opening_the_source_of_an_answer_runs_no_script(hostile_app, chromium):
    context, dialogs = chromium
    page = context.new_page()
    ask_in_browser(page, hostile_app, "Hur ser rutinen för återbruk av kontorsmöbler via återbruksportalen ut?")
    card_link = page.locator(".cirkla-source a[href='/source/documents/xss-sida.html']")
    card_link.first.wait_for(state="attached", timeout=10_000)
    # open the card, and let the link open in this tab, where its download can be watched
    card_link.first.evaluate(
        "a => { for (let n = a; n; n = n.parentElement) { if (n.tagName === 'DETAILS') n.open = true; }"
        " a.removeAttribute('target'); }"
    )
    with page.expect_download(timeout=15_000) as download:  # an attachment, not a page of the app
        card_link.first.click()
    assert download.value.suggested_filename == "xss-sida.html"
    # and typed in the address bar: still a download, never rendered
    other = context.new_page()
    with other.expect_download(timeout=15_000):
        other.evaluate(f"() => {{ location.href = '{hostile_app}/source/documents/xss-sida.html'; }}")
    page.wait_for_timeout(1500)
    assert dialogs == []


@pytest.mark.parametrize(
    ("path", "shown_as_text"),
    [("anteckning.md", "<script>alert('markdown')</script>"), ("flode.svg", None)],
)
def test_markdown_shows_as_text_and_svg_is_a_download(hostile_app, chromium, path, shown_as_text):
    context, dialogs = chromium
    page = context.new_page()
    url = f"{hostile_app}/source/documents/{path}"
    if shown_as_text:
        page.goto(url)
        assert shown_as_text in page.locator("body").inner_text()
    else:
        with page.expect_download(timeout=15_000):
            page.evaluate(f"() => {{ location.href = '{url}'; }}")
    page.wait_for_timeout(1000)
    assert dialogs == []


@pytest.mark.parametrize(
    ("path", "media", "disposition"),
    [
        ("/source/documents/xss-sida.html", "application/octet-stream", "attachment"),
        ("/source/documents/flode.svg", "application/octet-stream", "attachment"),
        ("/source/documents/anteckning.md", "text/plain; charset=utf-8", "inline"),
        ("/source/corpus/clauses/mobler.yaml", "text/plain; charset=utf-8", "inline"),
    ],
)
def test_source_route_headers(hostile_app, path, media, disposition):
    response, _ = fetch(hostile_app, path)
    assert response.status == 200
    assert response.getheader("content-type") == media
    assert response.getheader("content-disposition", "").startswith(disposition)
    assert response.getheader("x-content-type-options") == "nosniff"
    policy = response.getheader("content-security-policy", "")
    assert policy.startswith("sandbox") and "default-src 'none'" in policy


def test_a_pdf_is_inline_as_pdf_and_cannot_be_sniffed(hostile_app, hostile_roots):
    pdf = b"%PDF-1.4\n<html><script>alert(1)</script></html>\n%%EOF\n"
    (hostile_roots["documents"] / "rapport.pdf").write_bytes(pdf)
    response, body = fetch(hostile_app, "/source/documents/rapport.pdf")
    assert response.status == 200 and body == pdf
    assert response.getheader("content-type") == "application/pdf"
    assert response.getheader("x-content-type-options") == "nosniff"
    assert "script-src 'none'" in response.getheader("content-security-policy", "")


@pytest.mark.parametrize("path", ["/", "/source/corpus/areas.yaml", "/gradio_api/info", "/config", "/nowhere"])
def test_every_route_says_nosniff_and_frames_only_itself_and_names_no_server(hostile_app, path):
    response, _ = fetch(hostile_app, path)
    assert response.getheader("x-content-type-options") == "nosniff", path
    assert response.getheader("x-frame-options") == "SAMEORIGIN", path
    assert "frame-ancestors 'self'" in response.getheader("content-security-policy", ""), path
    assert response.getheader("server") is None, path


@pytest.fixture
def small_upload_app(hostile_assistant):
    """A fresh app (its own upload counter) that takes uploads of at most 1 MB."""
    from ui.app import start_server

    port = free_port()
    server, thread = start_server(hostile_assistant, port=port, max_upload_mb=1)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)


def _multipart(name: str, content: bytes, content_type: str = "text/html") -> tuple[bytes, dict[str, str]]:
    boundary = uuid.uuid4().hex
    body = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="files"; filename="{name}"\r\n'
        f"Content-Type: {content_type}\r\n\r\n"
    ).encode() + content + f"\r\n--{boundary}--\r\n".encode()
    return body, {"Content-Type": f"multipart/form-data; boundary={boundary}"}


def test_gradio_uploads_are_capped_and_never_served_inline(small_upload_app, chromium):
    body, headers = _multipart("stor.bin", b"x" * (2 * 1024 * 1024), "application/octet-stream")
    response, text = fetch(small_upload_app, "/gradio_api/upload", "POST", body, headers)
    assert response.status == 413, text[:200]

    body, headers = _multipart("sida.html", b"<script>alert('upload')</script><h1>uppladdad</h1>")
    response, text = fetch(small_upload_app, "/gradio_api/upload", "POST", body, headers)
    assert response.status == 200, text[:200]
    stored = json.loads(text)[0]
    response, served = fetch(small_upload_app, "/gradio_api/file=" + quote(stored))
    assert response.status == 200 and b"alert('upload')" in served
    assert response.getheader("content-disposition", "").startswith("attachment")
    assert response.getheader("x-content-type-options") == "nosniff"
    assert response.getheader("content-security-policy", "").startswith("sandbox")
    context, dialogs = chromium
    page = context.new_page()
    with page.expect_download(timeout=15_000):
        page.evaluate(f"() => {{ location.href = '{small_upload_app}/gradio_api/file={quote(stored)}'; }}")
    page.wait_for_timeout(1000)
    assert dialogs == []

    codes = []
    for _ in range(35):  # at most 30 uploads per address in ten minutes
        body, headers = _multipart("liten.txt", b"hej", "text/plain")
        codes.append(fetch(small_upload_app, "/gradio_api/upload", "POST", body, headers)[0].status)
    assert 429 in codes and set(codes) <= {200, 429}
    assert re.fullmatch(r"(200)*(429)+", "".join(str(code) for code in codes))
