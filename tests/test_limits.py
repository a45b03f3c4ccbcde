"""qa.limits: no HTTP route of the served app takes a body over 64 KB."""

from __future__ import annotations

import http.client
import json
from urllib.parse import urlparse

import pytest

from qa.web.limits import MAX_BODY_BYTES, BodyLimit


def _post(url: str, path: str, body: bytes, chunked: bool = False) -> tuple[int, bytes]:
    u = urlparse(url)
    conn = http.client.HTTPConnection(u.hostname, u.port, timeout=30)
    try:
        if chunked:
            conn.putrequest("POST", path)
            conn.putheader("Content-Type", "application/json")
            conn.putheader("Transfer-Encoding", "chunked")
            conn.endheaders()
            for i in range(0, len(body), 8192):
                piece = body[i : i + 8192]
                try:
                    conn.send(f"{len(piece):x}\r\n".encode() + piece + b"\r\n")
                except (BrokenPipeError, ConnectionResetError):
                    break  # the server has answered and closed: what we want
            try:
                conn.send(b"0\r\n\r\n")
            except (BrokenPipeError, ConnectionResetError):
                pass
        else:
            conn.request("POST", path, body=body, headers={"Content-Type": "application/json"})
        r = conn.getresponse()
        return r.status, r.read()
    finally:
        conn.close()


@pytest.mark.slow
@pytest.mark.parametrize("path", ["/gradio_api/queue/join", "/gradio_api/call/search", "/gradio_api/upload", "/anything"])
@pytest.mark.parametrize("chunked", [False, True])
def test_every_route_refuses_a_body_over_the_limit(app_url, path, chunked):
    body = json.dumps({"data": ["数据" * 100_000, 5]}).encode()  # ~600 KB
    status, reply = _post(app_url, path, body, chunked=chunked)
    assert status == 413, reply[:300]
    assert "64" in json.loads(reply)["error"]


@pytest.mark.slow
def test_a_huge_body_is_cut_off_and_the_server_keeps_serving(app_url):
    try:
        status, _ = _post(app_url, "/gradio_api/queue/join", b"x" * 50_000_000)
        assert status == 413
    except (BrokenPipeError, ConnectionResetError):
        pass  # closed after the first MBs: nothing of it was kept
    body = json.dumps({"data": ["数据共享率是多少", 3]}).encode()
    status, reply = _post(app_url, "/gradio_api/call/search", body)
    assert status == 200 and "event_id" in json.loads(reply)


@pytest.mark.slow
def test_a_question_within_the_limit_is_served(app_url):
    body = json.dumps({"data": ["杭州城市大脑每天处理多少数据？", 3]}).encode()
    status, reply = _post(app_url, "/gradio_api/call/search", body)
    assert status == 200 and "event_id" in json.loads(reply)


def test_the_limit_is_64_kb_and_counts_what_arrives():
    import asyncio

    calls = []

    async def app(scope, receive, send):
        while True:
            message = await receive()
            calls.append(len(message.get("body", b"")))
            if not message.get("more_body"):
                break
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"ok"})

    async def run(pieces, headers=()):
        sent = []
        queue = [{"type": "http.request", "body": p, "more_body": i < len(pieces) - 1} for i, p in enumerate(pieces)]

        async def receive():
            return queue.pop(0)

        async def send(message):
            sent.append(message)

        async def drained():
            return queue.pop(0) if queue else {"type": "http.disconnect"}

        await BodyLimit(app)({"type": "http", "headers": list(headers)}, drained, send)
        return sent[0]["status"]

    assert MAX_BODY_BYTES == 64 * 1024
    assert asyncio.run(run([b"x" * 1000] * 10)) == 200
    assert asyncio.run(run([b"x" * 40_000] * 3)) == 413
    assert asyncio.run(run([b""], headers=[(b"content-length", b"999999")])) == 413
    assert asyncio.run(run([b""], headers=[(b"content-length", b"abc")])) == 400


def test_only_the_named_upload_path_takes_a_larger_body():
    import asyncio

    async def app(scope, receive, send):
        message = await receive()
        body = f"got {len(message['body'])}".encode()
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": body})

    limited = BodyLimit(app, max_bytes=1000, larger={"/gradio_api/upload": 5000})

    def post(path: str, size: int) -> int:
        sent = []
        messages = [{"type": "http.request", "body": b"x" * size, "more_body": False}]

        async def receive():
            return messages.pop(0) if messages else {"type": "http.disconnect"}

        async def send(message):
            sent.append(message)

        scope = {"type": "http", "path": path, "headers": [(b"content-length", str(size).encode())]}
        asyncio.run(limited(scope, receive, send))
        return sent[0]["status"]

    assert post("/gradio_api/upload", 4000) == 200
    assert post("/gradio_api/upload", 6000) == 413
    assert post("/gradio_api/queue/join", 4000) == 413
    assert post("/api/v1/ask", 900) == 200
