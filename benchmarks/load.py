"""Load test of the chat server on loopback: 8, 16 and 32 concurrent clients, bounded in time.

    python benchmarks/load.py [--seconds 20] [--requests 2000]

Starts ``qa serve`` on a free port of 127.0.0.1 (or uses --url), then for each level runs
that many client threads, each calling the ``/search`` endpoint in a loop until the time
is up, and prints requests served, errors, p50/p95 latency and the server's memory at
the start and after --requests requests in all. Errors must be 0 and memory must level off.

Then the long-question check, side by side in the same run, over plain JSON calls of
``/search`` (``POST /gradio_api/run/search``): one client asking short questions alone (the
baseline), and the same client while 16 others send 2,000-character questions (the longest
allowed); its p95 must stay under 1 s. Last, oversized request
bodies (1 MB, 20 MB) are sent to show they are refused (413) without the server's memory
growing.
"""

from __future__ import annotations

import argparse
import socket
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
QUESTIONS = [
    "杭州城市大脑每天处理多少数据？", "How fast do ambulances arrive in Shenzhen?", "數據共享率是多少？",
    "<script>alert(1)</script>", "", "今天天气怎么样？", "What is Barcelona's superblock model?", "人才缺口有多大",
]


LONG_QUESTIONS = [
    ("杭州城市大脑如何提升交通效率，数据共享率是多少，" * 100)[:2000],
    ("How does the report describe data sharing between departments and cities? " * 30)[:2000],
    ("a" + "\u0301" * 1999),
    "".join(chr(0x4E00 + (i * 7919) % 20000) for i in range(2000)),
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def rss_mb(pid: int) -> float:
    import psutil

    proc = psutil.Process(pid)
    return sum(p.memory_info().rss for p in [proc, *proc.children(recursive=True)]) / 2**20


def wait_up(url: str, timeout: float = 180) -> None:
    import urllib.request

    end = time.time() + timeout
    while time.time() < end:
        try:
            urllib.request.urlopen(url, timeout=2)
            return
        except OSError:
            time.sleep(1)
    raise SystemExit(f"server at {url} did not come up in {timeout:.0f} s")


def run_level(url: str, clients: int, seconds: float, max_requests: int) -> tuple[int, int, list[float]]:
    from gradio_client import Client

    latencies: list[float] = []
    errors = 0
    lock = threading.Lock()
    stop = time.time() + seconds

    def worker(n: int) -> None:
        nonlocal errors
        client = Client(url, verbose=False)
        i = n
        while time.time() < stop:
            with lock:
                if len(latencies) + errors >= max_requests:
                    return
            t = time.perf_counter()
            try:
                out = client.predict(QUESTIONS[i % len(QUESTIONS)], 5, api_name="/search")
                ok = isinstance(out, dict) and ("hits" in out or "error" in out)
            except Exception:
                ok = False
            with lock:
                if ok:
                    latencies.append((time.perf_counter() - t) * 1000)
                else:
                    errors += 1
            i += 1

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return len(latencies), errors, latencies


def post_search(conn, question: str) -> bool:
    """One plain JSON call of /search (POST /gradio_api/run/search: no queue protocol)."""
    import json

    body = json.dumps({"data": [question, 5]}).encode("utf-8")
    conn.request("POST", "/gradio_api/run/search", body=body, headers={"Content-Type": "application/json"})
    reply = conn.getresponse()
    data = reply.read()
    return reply.status == 200 and b'"hits"' in data or b'"error"' in data


def probe_under_load(url: str, seconds: float, long_clients: int) -> tuple[list[float], int, int]:
    """Short-question latencies of one client while ``long_clients`` send 2,000-character
    questions; all over plain HTTP keep-alive connections (a light client, so the numbers
    are the server's)."""
    import http.client
    from urllib.parse import urlparse

    u = urlparse(url)
    stop = time.time() + seconds
    long_done = [0, 0]  # served, errors
    lock = threading.Lock()

    def long_worker(n: int) -> None:
        conn = http.client.HTTPConnection(u.hostname, u.port, timeout=60)
        i = n
        while time.time() < stop:
            try:
                ok = post_search(conn, LONG_QUESTIONS[i % len(LONG_QUESTIONS)])
            except (OSError, http.client.HTTPException):
                ok = False
                conn = http.client.HTTPConnection(u.hostname, u.port, timeout=60)
            with lock:
                long_done[0 if ok else 1] += 1
            i += 1

    threads = [threading.Thread(target=long_worker, args=(n,)) for n in range(long_clients)]
    for t in threads:
        t.start()
    probe = http.client.HTTPConnection(u.hostname, u.port, timeout=60)
    latencies: list[float] = []
    i = 0
    time.sleep(min(2.0, seconds / 4))  # let the long questions fill the server first
    while time.time() < stop:
        t = time.perf_counter()
        post_search(probe, QUESTIONS[i % 3])
        latencies.append((time.perf_counter() - t) * 1000)
        i += 1
    for t in threads:
        t.join()
    return latencies, long_done[0], long_done[1]


def oversized_bodies(url: str) -> list[tuple[str, str]]:
    import http.client
    from urllib.parse import urlparse

    u = urlparse(url)
    out = []
    for size in (1_000_000, 20_000_000):
        conn = http.client.HTTPConnection(u.hostname, u.port, timeout=60)
        try:
            conn.request("POST", "/gradio_api/queue/join", body=b"x" * size, headers={"Content-Type": "application/json"})
            out.append((f"{size / 1e6:.0f} MB", str(conn.getresponse().status)))
        except (BrokenPipeError, ConnectionResetError):
            out.append((f"{size / 1e6:.0f} MB", "connection closed after the limit"))
        finally:
            conn.close()
    return out


def pct(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[int(q * (len(values) - 1))] if values else float("nan")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--url")
    ap.add_argument("--seconds", type=float, default=20)
    ap.add_argument("--requests", type=int, default=2000, help="requests in all, across levels")
    args = ap.parse_args()
    server = None
    url = args.url
    if not url:
        port = free_port()
        server = subprocess.Popen([sys.executable, "-m", "qa.cli", "serve", "--port", str(port)], cwd=ROOT,
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        url = f"http://127.0.0.1:{port}/"
    try:
        wait_up(url)
        start_mem = rss_mb(server.pid) if server else float("nan")
        print(f"server {url}  memory at start {start_mem:.0f} MB")
        print(f"{'clients':>8}{'served':>8}{'errors':>8}{'p50 ms':>9}{'p95 ms':>9}{'mem MB':>9}")
        done = 0
        levels = (8, 16, 32)
        for n, clients in enumerate(levels):
            budget = (args.requests - done) // (len(levels) - n)
            served, errors, lat = run_level(url, clients, args.seconds, budget)
            done += served + errors
            lat.sort()
            p50 = statistics.median(lat) if lat else float("nan")
            p95 = lat[int(0.95 * (len(lat) - 1))] if lat else float("nan")
            mem = rss_mb(server.pid) if server else float("nan")
            print(f"{clients:>8}{served:>8}{errors:>8}{p50:>9.0f}{p95:>9.0f}{mem:>9.0f}")
        # Keep going to the full request count so memory is read after --requests in all.
        while done < args.requests:
            served, errors, _ = run_level(url, 8, args.seconds, args.requests - done)
            done += served + errors
            if served + errors == 0:
                break
        end_mem = rss_mb(server.pid) if server else float("nan")
        print(f"after {done} requests: memory {end_mem:.0f} MB (start {start_mem:.0f} MB)")

        seconds = max(5.0, args.seconds)
        alone, _, _ = probe_under_load(url, seconds, 0)
        loaded, long_served, long_errors = probe_under_load(url, seconds, 16)
        print("\nshort questions from one client, alone and beside 16 clients sending 2,000-character questions:")
        print(f"{'measure':<34}{'alone':>9}{'loaded':>9}  target")
        print(f"{'short question p50 (ms)':<34}{statistics.median(alone):>9.0f}{statistics.median(loaded):>9.0f}")
        print(f"{'short question p95 (ms)':<34}{pct(alone, 0.95):>9.0f}{pct(loaded, 0.95):>9.0f}  < 1000")
        print(f"long questions served {long_served}, errors {long_errors}")
        before = rss_mb(server.pid) if server else float("nan")
        for size, status in oversized_bodies(url):
            print(f"oversized body {size}: {status}")
        after = rss_mb(server.pid) if server else float("nan")
        print(f"memory around the oversized bodies: {before:.0f} MB -> {after:.0f} MB")
    finally:
        if server:
            server.terminate()
            server.wait(timeout=30)


if __name__ == "__main__":
    main()
