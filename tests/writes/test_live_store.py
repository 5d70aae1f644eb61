"""Issue 16, defects 1 and 10: a running `cirkla serve` keeps answering while `cirkla index` changes the store,
and follows the change; a slow LLM does not serialise `ask`; SIGTERM stops the app with a stream open."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
import urllib.request

import pytest

from indexing.live import LiveCollection
from indexing.schema import CorpusRoot
from indexing.store import forget_client, make_client, open_collection
from indexing.sync import sync_corpus
from tests.ui.conftest import free_port
from tests.writes.conftest import CIRKLA, cirkla

pytestmark = pytest.mark.slow


def serve(port: int, **env: str) -> subprocess.Popen[str]:
    """`cirkla serve` on `port`, once it answers HTTP."""
    proc = subprocess.Popen(
        [str(CIRKLA), "serve", "--port", str(port)],
        env={**os.environ, **env},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            pytest.fail(f"cirkla serve stopped: {proc.stdout.read() if proc.stdout else ''}")
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/gradio_api/info", timeout=2)
            return proc
        except OSError:
            time.sleep(0.3)
    proc.kill()
    pytest.fail("cirkla serve did not come up")


def stop(proc: subprocess.Popen[str]) -> None:
    proc.send_signal(signal.SIGTERM)
    try:
        proc.wait(timeout=30)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def test_the_app_answers_every_question_while_cirkla_index_changes_the_store(notes):
    from gradio_client import Client

    cirkla("index", check=True)
    port = free_port()
    app = serve(port)
    try:
        client = Client(f"http://127.0.0.1:{port}/", verbose=False)
        failures: list[str] = []
        answered = 0
        running = True

        def ask_all_the_time() -> None:
            nonlocal answered
            while running:
                for question in ("reparation av kontorsstolar", "begagnade skrivbord", "arbetskläder"):
                    try:
                        result = client.predict(question, api_name="/ask")
                        assert result["markdown"]
                        answered += 1
                    except Exception as exc:  # noqa: BLE001 (any failure is what the test counts)
                        failures.append(f"{question}: {type(exc).__name__}: {exc}")

        asker = threading.Thread(target=ask_all_the_time)
        asker.start()
        time.sleep(2)
        (notes / "skrivbord.md").unlink()
        (notes / "belysning.md").write_text(
            "# Belysning\n\nArmaturer med utbytbara ljuskällor och driftdon, så kallad retrofit-armatur.\n",
            encoding="utf-8",
        )
        report = cirkla("index", "--json", check=True)
        assert '"notes/belysning.md"' in report.stdout and '"notes/skrivbord.md"' in report.stdout
        time.sleep(3)
        running = False
        asker.join(timeout=120)
        assert failures == [] and answered > 0

        new = client.predict("utbytbara ljuskällor och driftdon i armaturer", api_name="/ask")
        assert any(source["doc_id"] == "notes-belysning-md" for source in new["sources"]), new["sources"]
        gone = client.predict("begagnade skrivbord via återbruksportalen", api_name="/ask")
        assert all(source["doc_id"] != "notes-skrivbord-md" for source in gone["sources"])
        assert all(source["title"] for source in gone["sources"])  # no blank source of a removed document
    finally:
        stop(app)


def test_a_live_collection_follows_a_write_from_another_process(tmp_path, e5):
    folder = tmp_path / "notes"
    folder.mkdir()
    (folder / "a.md").write_text("# Återbruk\n\nBegagnade möbler först.\n", encoding="utf-8")
    path = tmp_path / "chroma"
    first = open_collection(make_client(path=path), "live", e5.name, e5.dimension)
    sync_corpus(first, e5, [CorpusRoot("notes", folder)])

    def open_client(fresh: bool):
        if fresh:
            forget_client(path)
        return make_client(path=path)

    live = LiveCollection(open_client, "live", e5.name, e5.dimension, check_s=0.0)
    version = live.version
    (folder / "a.md").unlink()
    (folder / "b.md").write_text("# Reparation\n\nStolar lagas av en möbelverkstad.\n", encoding="utf-8")
    code = (
        "import sys; from pathlib import Path; from indexing.embeddings import make_embedder; "
        "from indexing.store import make_client, open_collection; from indexing.sync import sync_corpus; "
        "from indexing.schema import CorpusRoot; e = make_embedder(); "
        f"c = open_collection(make_client(path=Path({str(path)!r})), 'live', e.name, e.dimension); "
        f"sync_corpus(c, e, [CorpusRoot('notes', Path({str(folder)!r}))])"
    )
    subprocess.run([sys.executable, "-c", code], check=True, timeout=300)
    found = live.query(query_embeddings=[e5.embed_query("laga stolar")], n_results=5, include=["metadatas"])
    assert [meta["source"] for meta in found["metadatas"][0]] == ["b.md"]
    assert live.version != version and live.reopened == 1


def test_a_slow_llm_does_not_serialise_ask(notes, openai_server):
    from gradio_client import Client

    cirkla("index", check=True)
    openai_server.delay = 3.0
    port = free_port()
    app = serve(
        port,
        CIRKLA_LLM_PROVIDER="openai",
        CIRKLA_LLM_BASE_URL=openai_server.url,
        CIRKLA_LLM_MODEL="fake",
        CIRKLA_LLM_TIMEOUT_S="20",
        CIRKLA_CONCURRENCY="4",
    )
    try:
        openai_server.reply = "Kontorsstolar ska repareras [1]."
        callers = [
            threading.Thread(
                target=lambda: Client(f"http://127.0.0.1:{port}/", verbose=False).predict(
                    "reparation av kontorsstolar", api_name="/ask"
                )
            )
            for _ in range(4)
        ]
        for caller in callers:
            caller.start()
        for caller in callers:
            caller.join(timeout=120)
        most = openai_server.most_in_flight
        assert most >= 2, f"at most {most} question(s) reached the model at once"  # the landed code: 1
    finally:
        stop(app)


def test_sigterm_stops_the_app_while_a_client_stream_is_open(notes):
    cirkla("index", check=True)
    port = free_port()
    app = serve(port)
    stream = urllib.request.urlopen(  # the queue's event stream, held open as a browser tab holds it
        f"http://127.0.0.1:{port}/gradio_api/queue/data?session_hash=held-open", timeout=60
    )
    try:
        app.send_signal(signal.SIGTERM)
        app.wait(timeout=30)  # a hang guard, not a speed assertion: the landed code never stopped
        assert app.returncode is not None
    finally:
        stream.close()
        if app.poll() is None:
            app.kill()
