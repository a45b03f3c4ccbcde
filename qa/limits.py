"""A request-size limit for every HTTP route: ASGI middleware in front of the whole app.

Gradio alone accepts POST bodies of hundreds of MB and holds them in memory; a question
needs a few KB. A request that says it is bigger than the limit (``Content-Length``) is
answered 413 before its body is read; one that does not say (chunked) is counted as it
arrives and cut off with 413 as soon as it passes the limit.
"""

from __future__ import annotations

import json

MAX_BODY_BYTES = 64 * 1024


class _TooLarge(Exception):
    pass


class BodyLimit:
    """``BodyLimit(app, max_bytes)``: wrap an ASGI app so no request body exceeds ``max_bytes``."""

    def __init__(self, app, max_bytes: int = MAX_BODY_BYTES) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        for name, value in scope.get("headers") or ():
            if name == b"content-length":
                try:
                    declared = int(value)
                except ValueError:
                    return await self._reply(send, 400, "Content-Length is not a number")
                if declared > self.max_bytes:
                    return await self._reply(send, 413, self._too_large())
        seen = 0
        started = False

        async def counted_receive():
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.max_bytes:
                    raise _TooLarge
            return message

        async def tracked_send(message):
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, counted_receive, tracked_send)
        except _TooLarge:
            if not started:
                await self._reply(send, 413, self._too_large())

    def _too_large(self) -> str:
        return f"the request body is larger than {self.max_bytes:,} bytes; a question needs far less"

    @staticmethod
    async def _reply(send, status: int, error: str) -> None:
        body = json.dumps({"error": error, "detail": None}).encode("utf-8")
        await send({
            "type": "http.response.start",
            "status": status,
            "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode()),
                        (b"connection", b"close")],
        })
        await send({"type": "http.response.body", "body": body})
