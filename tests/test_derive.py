"""qa.derive: each report's tokens and names derived once, reused by the next build."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from conftest import SMALL_DOC, HashEncoder
from hypothesis import given, settings
from hypothesis import strategies as st

from qa import derive
from qa.config import Config
from qa.index import build_index
from qa.lexical import Tokenizer

OTHER = """大城年度報告
一、交通
1.1地鐵運營
大城地鐵日均客流達到350萬人次,線網總長480公里。
二、政務
2.1一網通辦
大城政務服務事項網上可辦率達到98%,南京與杭州的經驗被借鑒。
"""


@given(st.text(alphabet="杭州市城大脑南京数据中心", max_size=60),
       st.lists(st.text(alphabet="杭州市城大脑南京数据", min_size=1, max_size=4), max_size=12))
@settings(max_examples=200, deadline=None)
def test_the_matcher_finds_exactly_the_strings_that_occur(text, strings):
    expected = {s for s in strings if len(s) >= 2 and s in text}
    assert derive.Matcher(strings).found(text) == expected


def test_a_text_is_cut_the_same_whatever_terms_that_do_not_occur_in_it_are_added():
    text = "杭州城市大脑接入城市数据总量达50PB,日均处理数据量超100TB。"
    alone = Tokenizer(["城市大脑"])
    more = Tokenizer(["城市大脑", "一网统管", "秒批", "随申办", "智慧国", "超级街区", "东数西算"])
    assert alone.tokens(text) == more.tokens(text)
    assert alone.words(text) == more.words(text)


def _files(index: Path) -> dict:
    skip = {"manifest.json", "README.md", ".qa-index"}
    return {str(p.relative_to(index)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(index.rglob("*")) if p.is_file() and p.name not in skip}


def _built_small(tmp_path: Path) -> Config:
    """A corpus of the small report, its index built by the hash encoder."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "small.txt").write_text(SMALL_DOC, encoding="utf-8")
    config = Config(corpus_dir=corpus, index_dir=tmp_path / "index", encoder=HashEncoder.id)
    build_index(config, encoder=HashEncoder(), show_progress=False)
    return config


def test_adding_a_report_derives_only_it_and_builds_what_a_fresh_build_builds(tmp_path, monkeypatch):
    config = _built_small(tmp_path)
    corpus = config.corpus_dir

    calls = []
    real = derive.derive
    monkeypatch.setattr(derive, "derive", lambda text, *a, **k: calls.append(text.split("\n", 1)[0]) or real(text, *a, **k))
    (corpus / "other.txt").write_text(OTHER, encoding="utf-8")
    build_index(config, encoder=HashEncoder(), show_progress=False)
    assert calls == ["大城年度報告"], "only the new report is derived; the first one's derivation is reused"

    fresh = Config(corpus_dir=corpus, index_dir=tmp_path / "fresh", encoder=HashEncoder.id)
    build_index(fresh, encoder=HashEncoder(), show_progress=False)
    assert _files(config.index_dir) == _files(fresh.index_dir)
    names = json.loads((fresh.index_dir / "foreign_names.json").read_text(encoding="utf-8"))
    assert "南京" not in names and "重庆" in names  # the new report writes 南京


def test_a_damaged_derivation_file_is_not_trusted(tmp_path, monkeypatch):
    config = _built_small(tmp_path)
    corpus = config.corpus_dir
    path = config.index_dir / "derived.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    for d in data["documents"].values():
        d["chunk_tokens"] = [["planted"] for _ in d["chunk_tokens"]]
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    calls = []
    real = derive.derive
    monkeypatch.setattr(derive, "derive", lambda *a, **k: calls.append(1) or real(*a, **k))
    (corpus / "other.txt").write_text(OTHER, encoding="utf-8")
    build_index(config, encoder=HashEncoder(), show_progress=False)
    assert len(calls) == 2, "a derivation file that no longer matches its checksum is derived again"
    assert "planted" not in (config.index_dir / "derived.json").read_text(encoding="utf-8")
