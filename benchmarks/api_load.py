"""The JSON API under load, beside Gradio's /search and beside itself with one worker, in one run.

    python benchmarks/api_load.py [--seconds 10]

1. ``qa serve`` on a free loopback port: ``POST /api/v1/ask`` and Gradio's ``/search`` (through
   ``gradio_client``, as its users call it) at 8, 32 and 64 concurrent clients: requests/s,
   errors, p50/p95; and the bound of one core: 1 / the time of one API request alone.
2. ``qa api --workers 1`` and ``--workers 2``: requests/s at 32 clients, p50 at 8 clients
   beside one request alone, memory per worker before and after 5,000 requests.
The load generator runs on the same 2 cores; its own CPU use is printed with each level.
Targets (issue: JSON API): 0 API errors; at 32 clients >= 1.5x Gradio's requests/s and >= 0.8
of the one-core bound; 2 workers >= 1.4x 1 worker at 32 clients; p50 at 8 clients within 5x
one request alone; worker memory flat.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import signal
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from load import QUESTIONS, free_port, run_level, wait_up  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
ASK = [q for q in QUESTIONS if q.strip()]


def api_call(conn: http.client.HTTPConnection, question: str) -> bool:
    conn.request("POST", "/api/v1/ask", body=json.dumps({"question": question, "k": 5}).encode(),
                 headers={"Content-Type": "application/json"})
    r = conn.getresponse()
    r.read()
    return r.status == 200


def api_level(port: int, clients: int, seconds: float, max_requests: int | None = None) -> tuple[int, int, list[float], float, float]:
    """(served, errors, latencies ms, requests/s, load generator CPU %) for ``clients`` threads."""
    import psutil

    me = psutil.Process()
    me.cpu_percent(None)
    latencies: list[float] = []
    errors = 0
    lock = threading.Lock()
    start = time.time()
    stop = start + seconds

    def worker(n: int) -> None:
        nonlocal errors
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        i = n
        while time.time() < stop:
            with lock:
                if max_requests and len(latencies) + errors >= max_requests:
                    return
            t = time.perf_counter()
            try:
                ok = api_call(conn, ASK[i % len(ASK)])
            except (OSError, http.client.HTTPException):
                ok = False
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
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
    elapsed = time.time() - start
    return len(latencies), errors, latencies, len(latencies) / elapsed, me.cpu_percent(None)


def alone(port: int, n: int = 100) -> float:
    """Milliseconds of one API request with nothing else running (median of ``n``, after a
    warm-up that reaches every worker)."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    api_level(port, 4, 2.0)
    times = []
    for i in range(n):
        t = time.perf_counter()
        api_call(conn, ASK[i % len(ASK)])
        times.append((time.perf_counter() - t) * 1000)
    return statistics.median(times)


def gradio_level(url: str, clients: int, seconds: float) -> tuple[int, int, list[float], float, float]:
    import psutil

    me = psutil.Process()
    me.cpu_percent(None)
    start = time.time()
    served, errors, lat = run_level(url, clients, seconds, 10**9)
    return served, errors, lat, served / (time.time() - start), me.cpu_percent(None)


def pct(xs: list[float], q: float) -> float:
    xs = sorted(xs)
    return xs[int(q * (len(xs) - 1))] if xs else float("nan")


def start(args: list[str], port: int) -> subprocess.Popen:
    proc = subprocess.Popen([sys.executable, "-m", "qa.cli", *args, "--port", str(port)], cwd=ROOT,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    wait_up(f"http://127.0.0.1:{port}/api/v1/health")
    deadline = time.time() + 180
    while time.time() < deadline:  # every worker ready: health answers 200 several times in a row
        try:
            ok = all(_health(port) for _ in range(6))
        except OSError:
            ok = False
        if ok:
            return proc
        time.sleep(1)
    raise SystemExit("the server did not become ready")


def _health(port: int) -> bool:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    conn.request("GET", "/api/v1/health")
    return conn.getresponse().status == 200


def stop(proc: subprocess.Popen) -> None:
    os.killpg(proc.pid, signal.SIGTERM)
    proc.wait(timeout=60)


def row(label: str, served: int, errors: int, lat: list[float], rps: float, cpu: float) -> str:
    return f"{label:<28}{served:>8}{errors:>8}{rps:>9.1f}{statistics.median(lat) if lat else float('nan'):>9.0f}{pct(lat, 0.95):>9.0f}{cpu:>10.0f}"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--seconds", type=float, default=10)
    args = ap.parse_args()
    head = f"{'':<28}{'served':>8}{'errors':>8}{'req/s':>9}{'p50 ms':>9}{'p95 ms':>9}{'gen CPU%':>10}"

    port = free_port()
    serve = start(["serve"], port)
    try:
        one = alone(port)
        bound = 1000 / one
        print(f"qa serve: one API request alone {one:.1f} ms -> one core's bound {bound:.0f} req/s")
        print(head)
        results = {}
        for clients in (8, 32, 64):
            a = api_level(port, clients, args.seconds)
            g = gradio_level(f"http://127.0.0.1:{port}/", clients, args.seconds)
            results[clients] = (a, g)
            print(row(f"/api/v1/ask   {clients:>2} clients", *a))
            print(row(f"gradio /search {clients:>2} clients", *g))
        a32, g32 = results[32]
        print(f"at 32 clients: API {a32[3]:.1f} req/s = {a32[3] / max(g32[3], 1e-9):.2f}x Gradio's /search "
              f"(target >= 1.5x) and {a32[3] / bound:.2f} of one core's bound (target >= 0.8); "
              f"API errors at all levels: {sum(results[c][0][1] for c in results)}")
    finally:
        stop(serve)

    print()
    print(f"qa api: {'':<20}" + head[28:])
    rates = {}
    for workers in (1, 2):
        port = free_port()
        proc = start(["api", "--workers", str(workers)], port)
        try:
            import psutil

            main = psutil.Process(proc.pid)
            kids = [main, *main.children(recursive=True)]  # one worker runs in the main process
            mem0 = [k.memory_info().rss / 2**20 for k in kids]
            one = alone(port)
            r8 = api_level(port, 8, args.seconds)
            r32 = api_level(port, 32, args.seconds)
            rates[workers] = r32[3]
            print(row(f"{workers} worker(s),  8 clients", *r8) + f"   p50 = {statistics.median(r8[2]) / one:.1f}x one alone ({one:.1f} ms)")
            print(row(f"{workers} worker(s), 32 clients", *r32))
            extra = api_level(port, 16, 600, max_requests=5000)
            mem1 = [k.memory_info().rss / 2**20 for k in kids]
            print(f"   memory per process before/after {sum([r8[0], r32[0], extra[0]])} requests: "
                  + ", ".join(f"{a:.0f}->{b:.0f} MB" for a, b in zip(mem0, mem1)))
        finally:
            stop(proc)
    print(f"2 workers / 1 worker at 32 clients: {rates[2] / rates[1]:.2f}x (target >= 1.4x)")


if __name__ == "__main__":
    main()
