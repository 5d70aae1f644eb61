"""Corpus files are served from the corpus roots only; citations link to their source cards."""

from __future__ import annotations

import http.client
import os
from urllib.parse import urlparse

import pytest

from assistant.answer import Source
from ui.sources import link_citations, resolve_source, source_card, source_url


@pytest.fixture
def roots(tmp_path):
    corpus = tmp_path / "corpus"
    (corpus / "guidance").mkdir(parents=True)
    (corpus / "guidance" / "note.md").write_text("# Not\n", encoding="utf-8")
    (tmp_path / "secret.txt").write_text("hemligt", encoding="utf-8")
    os.symlink(tmp_path / "secret.txt", corpus / "guidance" / "link.md")
    return {"corpus": corpus}


def test_resolve_source_accepts_files_inside_a_root(roots):
    assert (
        resolve_source(roots, "corpus", "guidance/note.md")
        == (roots["corpus"] / "guidance/note.md").resolve()
    )


@pytest.mark.parametrize(
    "path",
    [
        "../secret.txt",
        "guidance/../../secret.txt",
        "/etc/passwd",
        "guidance/link.md",
        "guidance",
        "",
        "guidance/missing.md",
        "a\x00b",
    ],
)
def test_resolve_source_refuses_everything_else(roots, path):
    assert resolve_source(roots, "corpus", path) is None


def test_unknown_root_is_refused(roots):
    assert resolve_source(roots, "documents", "guidance/note.md") is None


def test_pdf_source_opens_at_its_page():
    source = Source(
        n=1,
        doc_id="d",
        chunk_id="c",
        title="Rapport",
        kind="document",
        source="rapporter/a b.pdf",
        root="documents",
        page=7,
    )
    assert source_url(source) == "/source/documents/rapporter/a%20b.pdf#page=7"
    card = source_card(source, turn=2, language="sv")
    assert 'id="cirkla-src-2-1"' in card and "#page=7" in card and "sida 7" in card


def test_source_card_escapes_untrusted_text():
    source = Source(
        n=1,
        doc_id="d",
        chunk_id="c",
        title="<img src=x onerror=alert(1)>",
        kind="guidance",
        excerpt="<script>alert(1)</script>",
        source="guidance/n.md",
        root="corpus",
    )
    card = source_card(source, turn=1, language="en")
    assert "<script>" not in card and "<img" not in card and "&lt;script&gt;" in card


def test_citations_link_only_to_listed_sources():
    assert link_citations("Krav [1] och [9].", 3, {1}) == "Krav [\\[1\\]](#cirkla-src-3-1) och [9]."


def _get(url: str, raw_path: str) -> tuple[int, bytes]:
    parsed = urlparse(url)
    conn = http.client.HTTPConnection(parsed.hostname, parsed.port, timeout=10)
    conn.request("GET", raw_path)  # sent as written: no client-side normalisation of ".."
    response = conn.getresponse()
    return response.status, response.read()


def test_http_serves_a_corpus_file_as_text(app_url):
    status, body = _get(app_url, "/source/corpus/clauses/mobler.yaml")
    assert status == 200 and b"MOB-TS-01" in body


@pytest.mark.parametrize(
    "raw_path",
    [
        "/source/corpus/../pyproject.toml",
        "/source/corpus/..%2fpyproject.toml",
        "/source/corpus/%2e%2e/%2e%2e/etc/passwd",
        "/source/corpus/%2Fetc%2Fpasswd",
        "/source/documents/../../../etc/passwd",
        "/source/nowhere/clauses/mobler.yaml",
    ],
)
def test_http_refuses_path_traversal(app_url, raw_path):
    status, body = _get(app_url, raw_path)
    assert status == 404, (status, body[:200])
    assert b"root:x:" not in body and b"[project]" not in body and b"MOB-TS-01" not in body


def test_http_serves_a_staff_pdf_inline(app_url, app_roots):
    pdf = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
    (app_roots["documents"] / "rapport.pdf").write_bytes(pdf)
    parsed = urlparse(app_url)
    conn = http.client.HTTPConnection(parsed.hostname, parsed.port, timeout=10)
    conn.request("GET", "/source/documents/rapport.pdf")
    response = conn.getresponse()
    assert response.status == 200 and response.read() == pdf
    assert response.getheader("content-type") == "application/pdf"
    assert response.getheader("content-disposition", "").startswith("inline")
