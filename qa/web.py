"""The Gradio chat UI and the ``/search`` HTTP endpoint: presentation only.

Everything shown comes from :class:`qa.retriever.Retriever` (answers) and its corpus
(table of contents, section reader); this module parses, indexes and scores nothing.
Questions and report text are untrusted: every piece of them is ``html.escape``-d before
it is wrapped in this module's own markup, and the chatbot's sanitizer stays on as a
second line of defence.
"""

from __future__ import annotations

import html
import logging
import math
from dataclasses import dataclass

import gradio as gr

from qa.limits import MAX_BODY_BYTES, BodyLimit
from qa.messages import say
from qa.retriever import QuestionError, Retriever
from qa.script import detect_language, to_script
from qa.types import Answer, Hit, Section

log = logging.getLogger(__name__)

MAX_SHOWN_K = 10
DEFAULT_K = 5
CONCURRENCY = 8
QUEUE_SIZE = 64
MAX_HISTORY_MESSAGES = 40
ECHO_CHARS = 300
SCRIPT_CHOICES = ("Auto", "简体", "繁體")
_SCRIPT_OF_CHOICE = {"Auto": None, "简体": "zh-Hans", "繁體": "zh-Hant"}

EXAMPLES = [
    "杭州城市大脑每天处理多少数据？",
    "新加坡智慧國建設的核心經驗是什麼？",
    "深圳公交调度精准度提升了多少？",
    "How much data does Hangzhou's City Brain process each day?",
    "How much faster do ambulances arrive in Hangzhou?",
]

CSS = """
.qa-answer .qa-lead { font-weight: 600; margin: 0 0 .5em 0; }
.qa-answer .qa-reason { margin: 0 0 .5em 0; }
.qa-answer .qa-status { display: inline-block; font-weight: 600; margin: 0 0 .4em 0; padding: .1em .5em; border-radius: 4px;
                        background: #fdecea; color: #8a1c12; }
.qa-answer h4.qa-nearest { margin: .6em 0 .4em 0; font-size: 1em; }
.qa-hit { border-left: 3px solid var(--color-accent, #f97316); padding: .35em .7em; margin: .6em 0; }
.qa-hit .qa-head { font-weight: 600; }
.qa-hit .qa-alt { font-weight: 400; opacity: .75; }
.qa-hit .qa-meta { font-size: .85em; opacity: .85; margin: .2em 0; }
.qa-hit .qa-badge { display: inline-block; border-radius: 4px; padding: 0 .4em; margin-right: .4em;
                    background: var(--color-accent-soft, #fde7d6); }
.qa-hit .qa-passage { margin: .3em 0; line-height: 1.65; }
.qa-hit details.qa-original summary { cursor: pointer; font-size: .85em; opacity: .85; }
.qa-hit .qa-note, .qa-hit .qa-gloss { font-style: italic; }
.qa-hit mark { background: #fff3a3; color: inherit; padding: 0 .1em; border-radius: 2px; }
.qa-hit code.qa-cite, .qa-reader code.qa-cite { user-select: all; }
.qa-reader .qa-path { font-size: .85em; opacity: .8; }
.qa-reader p { line-height: 1.7; margin: .4em 0; }
.qa-question { white-space: pre-wrap; word-break: break-word; }
"""


def _t(key: str, language: str, **kw) -> str:
    return say(key, language, **kw)


def _e(text: object) -> str:
    """Escape untrusted text for HTML and keep it on one line: the chatbot's Markdown treats
    a blank line as the end of an HTML block, so every newline becomes ``<br>``."""
    return html.escape(str(text), quote=True).replace("\r", "").replace("\n", "<br>")


def language_of(question: str) -> str:
    """The asker's language for messages the retriever does not word itself."""
    try:
        return detect_language(question[:2000])
    except Exception:  # a message language is never worth failing a request over
        return "en"


def relevance(rank: int, score: float, top: float, found: bool) -> str:
    """A label key for a hit's rank/score: "best", "strong", "related" or "nearest_label"."""
    if not found:
        return "nearest_label"
    if rank == 0:
        return "best"
    if top > 0 and math.isfinite(score) and score >= 0.7 * top:
        return "strong"
    return "related"


def highlight(text: str, answer: str) -> str:
    """``text`` escaped, with the escaped ``answer`` sentence inside ``<mark>``."""
    i = text.find(answer) if answer else -1
    if i < 0:
        marked = f"<mark>{_e(answer)}</mark><br>" if answer else ""
        return marked + _e(text)
    j = i + len(answer)
    return f"{_e(text[:i])}<mark>{_e(answer)}</mark>{_e(text[j:])}"


def render_hit(hit: Hit, rank: int, top: float, found: bool, language: str) -> str:
    """One cited passage as HTML (all report text escaped)."""
    zh, en = hit.section_title, hit.section_title_en
    if language == "en" and en:
        head = f"§{_e(hit.section_id)} {_e(en)} <span class='qa-alt'>· {_e(zh)}</span>"
    elif en:
        head = f"§{_e(hit.section_id)} {_e(zh)} <span class='qa-alt'>· {_e(en)}</span>"
    else:
        head = f"§{_e(hit.section_id)} {_e(zh)}"
    label = _t(relevance(rank, hit.score, top, found), language)
    meta = [f"<span class='qa-badge'>{_e(label)}</span>"]
    if hit.also_in:
        also = ", ".join(f"§{_e(s)}" for s in hit.also_in)
        meta.append(f"<span class='qa-also'>{_e(_t('also_in', language))} {also}</span>")
    parts = [
        "<div class='qa-hit'>",
        f"<div class='qa-head'>{head}</div>",
        f"<div class='qa-meta'>{' '.join(meta)}</div>",
    ]
    parts += render_passage(hit, language)
    if hit.matched_terms:
        terms = " · ".join(f"{_e(zh_term)} = {_e(gloss)}" for zh_term, gloss in hit.matched_terms)
        parts.append(f"<div class='qa-meta qa-terms'>{_e(_t('terms', language))}: {terms}</div>")
    parts.append(f"<div class='qa-meta'>{_e(_t('cite', language))}: <code class='qa-cite'>{_e(hit.citation)}</code></div>")
    parts.append("</div>")
    return "".join(parts)


def render_passage(hit: Hit, language: str) -> list[str]:
    """The passage with its answer marked: in English for an English asker where the
    document has an English edition (the Chinese original one click away, said to be the
    authoritative text), else in Chinese with the English (or a labelled gloss) one click away."""
    chinese = f"<div class='qa-passage' lang='zh'>{highlight(hit.text, hit.answer)}</div>"
    if hit.english == "edition" and language == "en":
        return [
            f"<div class='qa-passage qa-english' lang='en'>{highlight(hit.text_en, hit.answer_en)}</div>",
            f"<details class='qa-original'><summary>{_e(_t('original', language))}</summary>{chinese}</details>",
            f"<div class='qa-meta qa-note'>{_e(_t('edition_note', language))}</div>",
        ]
    out = [chinese]
    if hit.english == "edition":
        out.append(f"<details class='qa-original'><summary>{_e(_t('english', language))}</summary>"
                   f"<div class='qa-passage qa-english' lang='en'>{highlight(hit.text_en, hit.answer_en)}</div>"
                   f"<div class='qa-meta qa-note'>{_e(_t('edition_note', language))}</div></details>")
    elif hit.english == "gloss" and hit.answer_en:
        out.append(f"<div class='qa-meta qa-gloss'>{_e(_t('gloss', language))}: {_e(hit.answer_en)}</div>")
    return out


def render_answer(answer: Answer) -> str:
    """An :class:`Answer` as one HTML block for the chatbot (no blank lines, all text escaped)."""
    language = answer.query_language
    top = answer.hits[0].score if answer.hits else 0.0
    hits = "".join(render_hit(h, i, top, answer.found, language) for i, h in enumerate(answer.hits))
    if answer.found:
        lead = f"<p class='qa-lead'>{_e(_t('found', language, n=len(answer.hits)))}</p>"
        return f"<div class='qa-answer'>{lead}{hits}</div>"
    reason = answer.reason or _t("not_found", language)
    body = f"<p class='qa-reason'>{_e(reason)}</p>"
    if answer.status.value in ("not_stated", "not_covered"):
        banner = _t(f"status_{answer.status.value}", language)
        body = f"<p class='qa-status qa-{answer.status.value}'>{_e(banner)}</p>" + body
    if answer.hits:
        body += f"<h4 class='qa-nearest'>{_e(_t('nearest', language))}</h4>{hits}"
    return f"<div class='qa-answer qa-not-found' data-status='{_e(answer.status.value)}'>{body}</div>"


def render_question(question: str) -> str:
    """The asker's question as literal text (long ones shortened for the echo only)."""
    shown = question if len(question) <= ECHO_CHARS else question[:ECHO_CHARS] + " …"
    return f"<div class='qa-question'>{_e(shown)}</div>"


def render_notice(message: str) -> str:
    return f"<div class='qa-answer'><p class='qa-reason'>{_e(message)}</p></div>"


@dataclass(frozen=True)
class _Toc:
    """The corpus' sections keyed "doc#id", with dropdown labels."""

    sections: dict  # key -> Section
    titles_en: dict  # key -> English title
    choices: list  # (label, key)

    @classmethod
    def of(cls, retriever: Retriever) -> "_Toc":
        corpus = retriever.corpus
        many = len(corpus.documents) > 1
        sections, titles, choices = {}, {}, []
        for doc in corpus.documents:
            for s in doc.sections:
                key = f"{doc.name}#{s.id}"
                sections[key] = s
                titles[key] = corpus.titles_en.get((doc.name, s.id), "")
                label = f"{s.id} {s.title}".strip()
                choices.append((f"{doc.title} · {label}" if many else label, key))
        return cls(sections, titles, choices)

    def title(self, key: str, script: str | None) -> str:
        s = self.sections.get(key)
        if s is None:
            return ""
        return to_script(s.title, script) if script else s.title


def render_section(section: Section | None, title_en: str, children: list[Section], script: str | None) -> str:
    """One whole section for the reader (escaped; in ``script`` when given)."""
    if section is None:
        return "<div class='qa-reader'><p>—</p></div>"
    conv = (lambda x: to_script(x, script)) if script else (lambda x: x)
    title = conv(section.title)
    path = " › ".join(conv(p) for p in section.path)
    citation = f"§{section.id} {title}".strip()
    parts = [
        "<div class='qa-reader'>",
        f"<h3>{_e(section.id)} {_e(title)}</h3>",
    ]
    if title_en:
        parts.append(f"<div class='qa-path'>{_e(title_en)}</div>")
    parts.append(f"<div class='qa-path'>{_e(path)}</div>")
    paragraphs = [p for p in conv(section.text).split("\n") if p.strip()]
    parts += [f"<p>{_e(p)}</p>" for p in paragraphs]
    if children:
        intro = "".join(f"<li>{_e(c.id)} {_e(conv(c.title))}</li>" for c in children)
        parts.append(f"<ul>{intro}</ul>")
    if section.truncated:
        parts.append("<p class='qa-path'>(The report ends inside this section. 報告在此節中斷。)</p>")
    parts.append(f"<div class='qa-path'><code class='qa-cite'>{_e(citation)}</code></div></div>")
    return "".join(parts)


def _coerce_k(k) -> int:
    if isinstance(k, bool):
        raise QuestionError(f"k must be an integer from 1 to 50, not {k!r}")
    if isinstance(k, float) and k.is_integer():
        return int(k)
    if isinstance(k, str) and k.strip().lstrip("-").isdigit():
        return int(k.strip())
    return k


def build_app(retriever: Retriever) -> gr.Blocks:
    """The chat page and the ``/search`` endpoint over one shared, thread-safe retriever.

    The retriever is warmed here so that the first asker waits no longer than the rest.
    """
    retriever.warm()
    cap = retriever.config.max_question_chars
    toc = _Toc.of(retriever)
    doc_title = retriever.corpus.documents[0].title if retriever.corpus.documents else "Report"

    def reader_script(choice: str | None, last_language: str | None) -> str | None:
        script = _SCRIPT_OF_CHOICE.get(choice or "Auto")
        if script is None and last_language in ("zh-Hans", "zh-Hant"):
            script = last_language
        return script

    def show_section(key: str | None, choice: str, last_language: str | None) -> str:
        section = toc.sections.get(key) if key else None
        children = []
        if section is not None:
            prefix = section.id + "."
            doc = key.split("#", 1)[0]
            children = [
                s for k2, s in toc.sections.items()
                if k2.startswith(doc + "#") and s.id.startswith(prefix) and s.level == section.level + 1
            ]
        return render_section(section, toc.titles_en.get(key, "") if key else "", children, reader_script(choice, last_language))

    def search(question: str, k: int = DEFAULT_K) -> dict:
        """Answer ``question`` with up to ``k`` cited passages; JSON with status, found, query_language, reason and hits."""
        try:
            if not isinstance(question, str):
                return {"error": "question must be a string"}
            if len(question) > cap:
                return {"error": f"the question has {len(question)} characters; the limit is {cap}"}
            return retriever.ask(question, k=_coerce_k(k)).to_dict()
        except QuestionError as e:
            return {"error": str(e)}
        except Exception:
            log.exception("search failed")
            return {"error": "internal error while answering; please try again"}

    def respond(question: str, history: list | None, k, choice: str, last_language: str | None):
        history = list(history or [])[-MAX_HISTORY_MESSAGES:]
        question = question or ""
        if not question.strip():
            return history, "", gr.update(), gr.update(), last_language
        language = language_of(question)
        history.append({"role": "user", "content": render_question(question)})
        if len(question) > cap:
            notice = _t("too_long", language, n=len(question), cap=cap)
            history.append({"role": "assistant", "content": render_notice(notice)})
            return history, "", gr.update(), gr.update(), last_language
        try:
            answer = retriever.ask(question, k=max(1, min(MAX_SHOWN_K, int(k or DEFAULT_K))), script=_SCRIPT_OF_CHOICE.get(choice))
        except Exception:
            log.exception("answering failed")
            history.append({"role": "assistant", "content": render_notice(_t("failed", language))})
            return history, "", gr.update(), gr.update(), last_language
        history.append({"role": "assistant", "content": render_answer(answer)})
        if not answer.hits:  # nothing cited (e.g. a question of markup only): keep the reader as it was
            return history, "", gr.update(), gr.update(), last_language
        shown_script = _SCRIPT_OF_CHOICE.get(choice) or (answer.query_language if answer.query_language != "en" else None)
        cited: list[tuple[str, str]] = []
        seen = set()
        for h in answer.hits:
            for sid, is_also in [(h.section_id, False), *((s, True) for s in h.also_in)]:
                key = f"{h.doc}#{sid}"
                if key in seen or key not in toc.sections:
                    continue
                seen.add(key)
                label = f"§{sid} {toc.title(key, shown_script)}".strip()
                if is_also:
                    label += f" ({_t('repeats', answer.query_language)} §{h.section_id})"
                cited.append((label, key))
        citations = "\n".join(h.citation for h in answer.hits)
        opened = cited[0][1] if cited else None
        return (
            history,
            "",
            gr.update(choices=cited, value=opened),
            citations,
            answer.query_language,
        )

    with gr.Blocks(title=f"{doc_title} · bilingual Q&A", analytics_enabled=False) as demo:
        gr.HTML(
            f"<h1 style='margin:.2em 0'>{_e(doc_title)} · bilingual Q&amp;A</h1>"
            "<p style='margin:0 0 .5em 0;opacity:.8'>Ask in 简体中文, 繁體中文 or English. "
            "Answers are passages of the report, cited by section.</p>",
            head=f"<style>{CSS}</style>",
            js_on_load=None,
        )
        last_language = gr.State(None)
        with gr.Row():
            with gr.Column(scale=3):
                chatbot = gr.Chatbot(
                    label="Q&A",
                    height=620,
                    elem_id="qa-chat",
                    sanitize_html=True,
                    allow_tags=False,
                    latex_delimiters=[],
                    feedback_options=None,
                    buttons=["copy", "copy_all"],
                    placeholder="Ask a question about the report · 请提问 · 請提問",
                )
                with gr.Row():
                    question = gr.Textbox(
                        show_label=False,
                        placeholder="杭州城市大脑每天处理多少数据？ / How much data does Hangzhou's City Brain process each day?",
                        lines=1,
                        max_lines=4,
                        scale=5,
                        elem_id="qa-question",
                        autofocus=True,
                    )
                    ask = gr.Button("Ask · 提问", variant="primary", scale=1, elem_id="qa-ask")
                gr.Examples(examples=[[q] for q in EXAMPLES], inputs=[question], label="Examples · 示例")
            with gr.Column(scale=2):
                with gr.Group():
                    k = gr.Slider(1, MAX_SHOWN_K, value=DEFAULT_K, step=1, label="Passages (k) · 段落数", elem_id="qa-k")
                    script = gr.Radio(list(SCRIPT_CHOICES), value="Auto", label="Script · 字体", elem_id="qa-script")
                cited = gr.Dropdown(
                    choices=[], value=None, label="Open a cited section · 打开引用章节", elem_id="qa-cited", interactive=True
                )
                citations = gr.Textbox(
                    label="Citations (copy) · 引用", lines=3, interactive=False, buttons=["copy"], elem_id="qa-citations"
                )
                contents = gr.Dropdown(
                    choices=toc.choices,
                    value=toc.choices[0][1] if toc.choices else None,
                    label="Contents · 目录",
                    elem_id="qa-toc",
                    interactive=True,
                )
                reader = gr.HTML(
                    show_section(toc.choices[0][1] if toc.choices else None, "Auto", None),
                    elem_id="qa-reader",
                    js_on_load=None,
                    max_height=520,
                    container=True,
                    padding=True,
                )

        outputs = [chatbot, question, cited, citations, last_language]
        inputs = [question, chatbot, k, script, last_language]
        question.submit(respond, inputs, outputs, api_visibility="private")
        ask.click(respond, inputs, outputs, api_visibility="private")
        cited.change(lambda key: key if key else gr.update(), cited, contents, api_visibility="private")
        reader_inputs = [contents, script, last_language]
        contents.change(show_section, reader_inputs, reader, api_visibility="private")
        script.change(show_section, reader_inputs, reader, api_visibility="private")
        last_language.change(show_section, reader_inputs, reader, api_visibility="private")
        # Outside the queue: a plain request and response (POST /gradio_api/run/search), so API
        # callers do not wait behind chat turns and pay no queue protocol; the retriever is thread-safe.
        gr.api(search, api_name="search", queue=False)

    demo.queue(default_concurrency_limit=CONCURRENCY, max_size=QUEUE_SIZE)
    return demo


def server_app(retriever: Retriever, max_body_bytes: int = MAX_BODY_BYTES):
    """The ASGI app to serve: the chat page and ``/search`` mounted on FastAPI, behind a
    request-size limit that covers every route (Gradio's own included)."""
    from fastapi import FastAPI

    demo = build_app(retriever)
    app = FastAPI(docs_url=None, redoc_url=None, openapi_url=None)
    app = gr.mount_gradio_app(app, demo, path="/", css=CSS, footer_links=["api"], show_error=False)
    app.add_middleware(BodyLimit, max_bytes=max_body_bytes)
    return app


def main(host: str = "127.0.0.1", port: int = 7860, retriever: Retriever | None = None) -> None:
    """Load (building the index if needed) and warm the retriever, then serve the UI."""
    import uvicorn

    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    logging.getLogger("httpx").setLevel(logging.WARNING)  # one line per health check otherwise
    if retriever is None:
        retriever = Retriever.load(show_progress=True)
    app = server_app(retriever)
    print(f"serving the chat page at http://{host}:{port}/ (Ctrl-C stops)", flush=True)
    uvicorn.run(app, host=host, port=port, log_level="warning", limit_concurrency=256, timeout_keep_alive=5)
