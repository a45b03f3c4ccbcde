"""A request-size limit for every HTTP route: ASGI middleware in front of the whole app.

Gradio alone accepts POST bodies of hundreds of MB and holds them in memory; a question
needs a few KB. A request that says it is bigger than the limit (``Content-Length``) is
answered 413 before its body is read; one that does not say (chunked) is read up to the
limit and answered 413 as soon as it passes it; the app gets a body only once it is whole. After a 413 the rest of the
body is read and dropped up to :data:`DRAIN_BYTES`, so an ordinary client that sent it all
reads the answer instead of a reset connection; a bigger body has its connection closed.
Nothing of a refused body is kept in memory.
"""

from __future__ import annotations

import json

MAX_BODY_BYTES = 64 * 1024
DRAIN_BYTES = 4 * 1024 * 1024


async def _drain(receive, seen: int) -> None:
    """Read and drop what is left of a refused body, up to :data:`DRAIN_BYTES` in all."""
    while seen <= DRAIN_BYTES:
        message = await receive()
        if message["type"] != "http.request":
            return
        seen += len(message.get("body", b""))
        if not message.get("more_body"):
            return


class BodyLimit:
    """``BodyLimit(app, max_bytes, larger)``: wrap an ASGI app so no request body exceeds
    ``max_bytes``, except on the paths ``larger`` names ({path: its limit}: the page's file
    upload when ``qa serve --allow-upload`` is on)."""

    def __init__(self, app, max_bytes: int = MAX_BODY_BYTES, larger: dict[str, int] | None = None) -> None:
        self.app = app
        self.default = max_bytes
        self.max_bytes = max_bytes
        self.larger = dict(larger or {})

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        limit = self.larger.get(scope.get("path", ""), self.default)
        if limit != self.default:
            return await BodyLimit(self.app, limit)(scope, receive, send)
        for name, value in scope.get("headers") or ():
            if name == b"content-length":
                try:
                    declared = int(value)
                except ValueError:
                    return await self._reply(send, 400, "Content-Length is not a number")
                if declared > self.max_bytes:
                    await self._reply(send, 413, self._too_large())
                    return await _drain(receive, 0)
        # Read the body first (at most the limit is held), then hand it to the app whole.
        parts: list[bytes] = []
        seen = 0
        while True:
            message = await receive()
            if message["type"] != "http.request":
                return  # the client left before sending its body
            body = message.get("body", b"")
            seen += len(body)
            if seen > self.max_bytes:
                await self._reply(send, 413, self._too_large())
                return await _drain(receive, seen)
            parts.append(body)
            if not message.get("more_body"):
                break
        whole = {"type": "http.request", "body": b"".join(parts), "more_body": False}
        handed = False

        async def replay():
            nonlocal handed
            if not handed:
                handed = True
                return whole
            return await receive()  # after the body: only http.disconnect comes

        await self.app(scope, replay, send)

    def _too_large(self) -> str:
        if self.max_bytes > MAX_BODY_BYTES:
            return f"the request body is larger than {self.max_bytes:,} bytes, the most a file may have"
        return f"the request body is larger than {self.max_bytes // 1024} KB ({self.max_bytes:,} bytes); a question needs far less"

    @staticmethod
    async def _reply(send, status: int, error: str) -> None:
        body = json.dumps({"error": error, "detail": None}).encode("utf-8")
        await send({
            "type": "http.response.start",
            "status": status,
            "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())],
        })
        await send({"type": "http.response.body", "body": body})
