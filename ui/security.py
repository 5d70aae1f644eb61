"""HTTP hardening around the whole app (the /source route and Gradio alike), as two ASGI middlewares.

- `SecurityHeaders`: every response says `nosniff`, may be framed only by Cirkla itself, sends no referrer
  elsewhere, and names no server; a file Gradio serves (`/gradio_api/file=…`) is sandboxed like a corpus file.
- `UploadLimits`: Gradio's upload route takes at most `max_bytes` per request and `max_uploads` requests per
  client address in `window_s` seconds; anything more gets 413 or 429 before it is read.
"""

from __future__ import annotations

import time
from collections import defaultdict, deque
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

FRAME_POLICY = "frame-ancestors 'self'"
SANDBOX = "sandbox; default-src 'none'; frame-ancestors 'self'"
BASE_HEADERS = {
    b"x-content-type-options": b"nosniff",
    b"x-frame-options": b"SAMEORIGIN",
    b"referrer-policy": b"same-origin",
}


class SecurityHeaders:
    """Adds the base security headers to every HTTP response (keeping a stricter policy a route set)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        served_file = "/file=" in scope.get("path", "") or "/file/" in scope.get("path", "")

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = [(name.lower(), value) for name, value in message.get("headers", [])]
                present = {name for name, _ in headers}
                headers = [(name, value) for name, value in headers if name != b"server"]
                for name, value in BASE_HEADERS.items():
                    if name not in present:
                        headers.append((name, value))
                if b"content-security-policy" not in present:
                    headers.append((b"content-security-policy", (SANDBOX if served_file else FRAME_POLICY).encode()))
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, send_with_headers)


class UploadLimits:
    """Caps Gradio's anonymous upload route by size per request and by requests per client address."""

    def __init__(self, app: ASGIApp, max_bytes: int, max_uploads: int = 30, window_s: float = 600.0) -> None:
        self.app = app
        self.max_bytes = max_bytes
        self.max_uploads = max_uploads
        self.window_s = window_s
        self._recent: dict[str, deque[float]] = defaultdict(deque)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope.get("method") != "POST" or not scope.get("path", "").endswith("/upload"):
            await self.app(scope, receive, send)
            return
        client = (scope.get("client") or ("?", 0))[0]
        now = time.monotonic()
        recent = self._recent[client]
        while recent and now - recent[0] > self.window_s:
            recent.popleft()
        if len(recent) >= self.max_uploads:
            await _refuse(send, 429, f"too many uploads; at most {self.max_uploads} in {self.window_s:g} s")
            return
        recent.append(now)
        length = dict(scope.get("headers") or []).get(b"content-length")
        if length is not None and length.isdigit() and int(length) > self.max_bytes:
            await _refuse(send, 413, f"upload too large; the limit is {self.max_bytes // (1024 * 1024)} MB")
            return
        received = 0
        refused = False

        async def counted() -> Message:
            nonlocal received, refused
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_bytes:
                    refused = True
                    return {"type": "http.disconnect"}
            return message

        async def guarded_send(message: Message) -> None:
            if not refused:
                await send(message)

        await self.app(scope, counted, guarded_send)
        if refused:
            await _refuse(send, 413, f"upload too large; the limit is {self.max_bytes // (1024 * 1024)} MB")


async def _refuse(send: Send, status: int, text: str) -> None:
    body = text.encode()
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [(b"content-type", b"text/plain; charset=utf-8"), (b"content-length", str(len(body)).encode())],
        }
    )
    await send({"type": "http.response.body", "body": body})
