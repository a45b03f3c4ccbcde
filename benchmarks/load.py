"""Load test of the chat server on loopback: 8, 16 and 32 concurrent clients, bounded in time.

    python benchmarks/load.py [--seconds 20] [--requests 2000]

Starts ``qa serve`` on a free port of 127.0.0.1 (or uses --url), then for each level runs
that many client threads, each calling the ``/search`` endpoint in a loop until the time
is up, and prints requests served, errors, p50/p95 latency and the server's memory at
the start and after --requests requests in all. Errors must be 0 and memory must level off.
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
    finally:
        if server:
            server.terminate()
            server.wait(timeout=30)


if __name__ == "__main__":
    main()
