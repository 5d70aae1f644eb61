"""The real app on a free port over the seed store, for API, HTTP and browser tests."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest

CORPUS = Path(__file__).resolve().parents[2] / "corpus"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--headless",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="session")
def app_roots(tmp_path_factory):
    """The corpus root and a staff documents root holding one PDF (for #page links)."""
    documents = tmp_path_factory.mktemp("staff-documents")
    return {"corpus": CORPUS, "documents": documents}


@pytest.fixture(scope="session")
def app_url(seed_store, app_roots):
    """The app (FastAPI + Gradio) running in a thread; its base URL."""
    from assistant.retrieval import HybridRetriever
    from assistant.service import Assistant, QueryCache, load_area_names
    from ui.app import start_server

    _, collection, embedder = seed_store
    assistant = Assistant(
        retriever=HybridRetriever(collection, QueryCache(embedder)),
        area_names=load_area_names([CORPUS]),
        roots=app_roots,
    )
    assistant.answer("möbler")  # warm the BM25 index, as `cirkla serve` does
    port = free_port()
    server, thread = start_server(assistant, port=port)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)


@pytest.fixture
def browser():
    if not CHROMIUM.exists():
        pytest.skip(f"no Chromium at {CHROMIUM} (`make test` installs Debian's chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield instance
        instance.close()
