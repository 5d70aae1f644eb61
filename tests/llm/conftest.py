"""A loopback OpenAI-compatible chat server: the one fake, at the narrowest seam (HTTP to the LLM).

The test sets what the "model" replies (`server.reply`), or makes it fail (`server.status`) or stall
(`server.delay`); every request body is kept in `server.requests` so the prompt can be checked.
"""

from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest


class FakeOpenAI:
    def __init__(self) -> None:
        self.reply = "OK [1]"
        self.status = 200
        self.delay = 0.0
        self.requests: list[dict[str, Any]] = []
        self.url = ""
        self.in_flight = 0  # requests being answered right now
        self.most_in_flight = 0  # the most at any one time: how concurrently the app asked
        self.lock = threading.Lock()

    def messages(self, index: int = -1) -> list[dict[str, Any]]:
        return self.requests[index]["messages"]


def _handler(fake: FakeOpenAI) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: Any) -> None:  # quiet
            pass

        def do_POST(self) -> None:  # noqa: N802 (http.server's naming)
            length = int(self.headers.get("Content-Length", 0))
            body = json.loads(self.rfile.read(length) or b"{}")
            with fake.lock:
                fake.requests.append(body)
                fake.in_flight += 1
                fake.most_in_flight = max(fake.most_in_flight, fake.in_flight)
            try:
                self._answer(body)
            finally:
                with fake.lock:
                    fake.in_flight -= 1

        def _answer(self, body: dict[str, Any]) -> None:
            if fake.delay:
                time.sleep(fake.delay)
            if fake.status != 200:
                self._send(
                    fake.status, {"error": {"message": "the model is not available", "type": "server"}}
                )
                return
            self._send(
                200,
                {
                    "id": "chatcmpl-test",
                    "object": "chat.completion",
                    "created": int(time.time()),
                    "model": body.get("model", "fake"),
                    "choices": [
                        {
                            "index": 0,
                            "finish_reason": "stop",
                            "message": {"role": "assistant", "content": fake.reply},
                        }
                    ],
                    "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2},
                },
            )

        def _send(self, status: int, data: dict[str, Any]) -> None:
            raw = json.dumps(data).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(raw)))
            self.end_headers()
            try:
                self.wfile.write(raw)
            except (BrokenPipeError, ConnectionResetError):  # the client gave up (timeout tests)
                pass

    return Handler


@pytest.fixture
def openai_server():
    """A fake OpenAI-compatible server on 127.0.0.1 and a free port, stopped after the test."""
    fake = FakeOpenAI()
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _handler(fake))
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    fake.url = f"http://127.0.0.1:{httpd.server_address[1]}/v1"
    yield fake
    httpd.shutdown()
    httpd.server_close()
