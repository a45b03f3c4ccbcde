"""The qa command line, run as a user runs it (a subprocess)."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from conftest import CORPUS


def qa(*args, stdin=None):
    return subprocess.run([sys.executable, "-m", "qa.cli", *args], capture_output=True, text=True, input=stdin, timeout=300)


def test_sections_json_lists_all_100_headings_in_order():
    out = qa("sections", "--json", "--corpus", str(CORPUS))
    assert out.returncode == 0, out.stderr
    rows = json.loads(out.stdout)
    assert len(rows) == 100
    assert [r["id"] for r in rows[:4]] == ["1", "1.1", "1.1.1", "1.1.2"] and rows[-1]["id"] == "7.2.3"
    r = next(r for r in rows if r["id"] == "3.3.1")
    assert r["title"] == "杭州城市大腦" and r["level"] == 3 and r["truncated"] is False
    assert r["path"] == ["發展現狀", "融合實踐典型案例", "杭州城市大腦"] and "50PB" in r["text"]
    assert rows[-1]["truncated"] is True
    assert set(rows[0]) >= {"id", "title", "level", "path", "text", "truncated"}


def test_sections_outline_is_indented():
    out = qa("sections", "--corpus", str(CORPUS))
    lines = out.stdout.splitlines()
    assert lines[0] == "1 總論" and "    3.3.1 杭州城市大腦" in lines and lines[-1].endswith("(truncated)")


@pytest.mark.slow
def test_ask_json_and_text(real_index):
    out = qa("ask", "杭州城市大脑每天处理多少数据？", "--json", "-k", "3", "--index", str(real_index), "--corpus", str(CORPUS))
    assert out.returncode == 0, out.stderr
    a = json.loads(out.stdout)
    assert a["found"] is True and a["query_language"] == "zh-Hans" and len(a["hits"]) == 3
    assert a["hits"][0]["section_id"] == "3.3.1" and a["hits"][0]["citation"] == "§3.3.1 杭州城市大脑"
    text = qa("ask", "How many ambulances?", "--index", str(real_index), "--corpus", str(CORPUS))
    assert text.returncode == 0 and "§" in text.stdout and "▶" in text.stdout


@pytest.mark.slow
def test_bad_k_and_missing_corpus_give_a_message_not_a_traceback(real_index, tmp_path):
    out = qa("ask", "数据", "-k", "0", "--index", str(real_index), "--corpus", str(CORPUS))
    assert out.returncode == 2 and "k must be an integer from 1 to 50" in out.stderr and "Traceback" not in out.stderr
    out = qa("sections", "--corpus", str(tmp_path / "nowhere"))
    assert out.returncode == 2 and "does not exist" in out.stderr and "Traceback" not in out.stderr


@pytest.mark.slow
def test_eval_json_puts_the_product_beside_its_baselines(real_index):
    out = qa("eval", "--json", "--split", "test", "--systems", "hybrid,bm25,naive", "--index", str(real_index), "--corpus", str(CORPUS))
    assert out.returncode == 0, out.stderr
    report = json.loads(out.stdout)
    assert report["questions"] >= 90 and set(report["systems"]) == {"hybrid", "bm25", "naive"}
    hybrid, bm25, naive = (report["systems"][s] for s in ("hybrid", "bm25", "naive"))
    assert set(hybrid) == {"zh", "en", "near", "off"} and {"R@1", "R@5", "MRR@10", "answered", "fact"} <= set(hybrid["zh"])
    # The product must beat what an afternoon builds, in both languages.
    assert hybrid["zh"]["R@1"] > bm25["zh"]["R@1"] > naive["zh"]["R@1"]
    assert hybrid["en"]["R@1"] > naive["en"]["R@1"] > bm25["en"]["R@1"]
    text = qa("eval", "--split", "test", "--systems", "hybrid", "--failures", "--index", str(real_index), "--corpus", str(CORPUS))
    assert text.stdout.splitlines()[0].startswith(f"{report['questions']} questions") and "failures of hybrid:" in text.stdout


@pytest.mark.slow
def test_chat_reads_follow_ups_and_starts_over_on_new(real_index):
    lines = "深圳的秒批系统平均办理时间是多少？\n它覆盖了多少高频事项？\n/new\n它覆盖了多少高频事项？\n"
    out = qa("chat", "-k", "1", "--index", str(real_index), "--corpus", str(CORPUS), stdin=lines)
    assert out.returncode == 0, out.stderr
    assert out.stdout.count("(searched as: 深圳的秒批系统覆盖了多少高频事项?)") == 1, out.stdout
    assert "new topic" in out.stdout and out.stdout.count("95%") >= 2
    ask = qa("ask", "它覆盖了多少高频事项？", "--context", "深圳的秒批系统平均办理时间是多少？", "--json", "-k", "1",
             "--index", str(real_index), "--corpus", str(CORPUS))
    assert ask.returncode == 0 and "秒批" in json.loads(ask.stdout)["interpreted_as"]
