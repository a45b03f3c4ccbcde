"""The Gradio chat page and its ``/search`` endpoint: presentation only.

Everything shown comes from :class:`qa.retriever.Retriever` (answers) and its corpus
(table of contents, section reader); nothing here parses, indexes or scores. The chatbot's
sanitizer stays on as a second line of defence behind :mod:`qa.web.render`'s escaping.
"""

from __future__ import annotations

import logging

import gradio as gr

from qa.question import check
from qa.retriever import Retriever
from qa.web.payload import answer_payload
from qa.web.render import (
    CSS,
    Toc,
    _e,
    _t,
    language_of,
    render_answer,
    render_notice,
    render_question,
    render_section,
)

log = logging.getLogger(__name__)

MAX_SHOWN_K = 10
DEFAULT_K = 5
CONCURRENCY = 8
QUEUE_SIZE = 64
MAX_HISTORY_MESSAGES = 40
SCRIPT_CHOICES = ("Auto", "简体", "繁體")
_SCRIPT_OF_CHOICE = {"Auto": None, "简体": "zh-Hans", "繁體": "zh-Hant"}

# On a phone the side panel (settings, citations, contents, reader) starts folded, so the
# question box and the Ask button are on the first screen.
FOLD_ON_PHONE = """() => {
  if (window.innerWidth > 480) return;
  const toggle = document.querySelector('#qa-side > button, #qa-side .label-wrap');
  if (toggle) toggle.click();
}"""

# A click on a citation or an "also in" link opens that section in the reader: the link's
# key goes into a hidden box whose change the server turns into the Contents choice.
OPEN_SECTION = """() => {
  document.addEventListener('click', (event) => {
    const link = event.target.closest('#qa-chat a.qa-open');
    if (!link) return;
    event.preventDefault();
    const box = document.querySelector('#qa-open textarea, #qa-open input');
    if (!box) return;
    const href = link.getAttribute('href') || '';
    if (!href.startsWith('#open=')) return;
    // Empty first, so a second click on the same link opens it again.
    box.value = '';
    box.dispatchEvent(new Event('input', {bubbles: true}));
    box.value = decodeURIComponent(href.slice(6));
    box.dispatchEvent(new Event('input', {bubbles: true}));
    const reader = document.querySelector('#qa-reader');
    if (reader) reader.scrollIntoView({block: 'nearest'});
  }, true);
}"""

SCROLL_TO_NEW = """() => {
  const asked = document.querySelectorAll('#qa-chat [data-testid="user"]');
  const last = asked[asked.length - 1];
  if (last) last.scrollIntoView({block: 'start', behavior: 'instant'});
}"""

EXAMPLES = [
    "杭州城市大脑每天处理多少数据？",
    "新加坡智慧國建設的核心經驗是什麼？",
    "深圳公交调度精准度提升了多少？",
    "How much data does Hangzhou's City Brain process each day?",
    "How much faster do ambulances arrive in Hangzhou?",
]


def build_app(retriever: Retriever) -> gr.Blocks:
    """The chat page and the ``/search`` endpoint over one shared, thread-safe retriever.

    The retriever is warmed here so that the first asker waits no longer than the rest.
    """
    retriever.warm()
    cap = retriever.config.max_question_chars
    toc = Toc.of(retriever)
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
        return answer_payload(retriever, question, k)[1]

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
        if check(question, cap).why == "small_talk":  # a greeting or "help": a chat's reply, not a search
            history.append({"role": "assistant", "content": render_notice(_t("small_talk", language))})
            return history, "", gr.update(), gr.update(), last_language
        try:
            answer = retriever.ask(question, k=max(1, min(MAX_SHOWN_K, int(k or DEFAULT_K))), script=_SCRIPT_OF_CHOICE.get(choice))
        except Exception:
            log.exception("answering failed")
            history.append({"role": "assistant", "content": render_notice(_t("failed", language))})
            return history, "", gr.update(), gr.update(), last_language
        history.append({"role": "assistant", "content": render_answer(answer, _SCRIPT_OF_CHOICE.get(choice))})
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
            "Answers are passages of the report, cited by section. "
            "Programs: <a href='/api/docs'>JSON API</a>.</p>",
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
                    autoscroll=False,
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
                examples = gr.Examples(examples=[[q] for q in EXAMPLES], inputs=[question], label="Examples · 示例")
            with gr.Column(scale=2):
                with gr.Accordion("Settings, citations, contents · 设置、引用、目录", open=True, elem_id="qa-side"):
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
                        choices=toc.choices_in(None),
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
        # After each answer, bring the new question and the top of its answer card into view
        # (not the bottom of the last passage), whatever the reader had scrolled to.
        question.submit(respond, inputs, outputs, api_visibility="private").then(None, None, None, js=SCROLL_TO_NEW)
        ask.click(respond, inputs, outputs, api_visibility="private").then(None, None, None, js=SCROLL_TO_NEW)
        # An example asks as soon as it is clicked, not only fills the box.
        examples.load_input_event.then(respond, inputs, outputs, api_visibility="private").then(
            None, None, None, js=SCROLL_TO_NEW
        )
        cited.change(lambda key: key if key else gr.update(), cited, contents, api_visibility="private")
        reader_inputs = [contents, script, last_language]
        contents.change(show_section, reader_inputs, reader, api_visibility="private")
        script.change(show_section, reader_inputs, reader, api_visibility="private")
        last_language.change(show_section, reader_inputs, reader, api_visibility="private")

        def contents_in_script(choice, last):
            # The Contents list in the script the reader reads: 对策 finds 對策 when Simplified is chosen.
            # Only the labels change (the keys stay), so the section open stays open.
            return gr.update(choices=toc.choices_in(reader_script(choice, last)))

        script.change(contents_in_script, [script, last_language], contents, api_visibility="private")
        last_language.change(contents_in_script, [script, last_language], contents, api_visibility="private")
        # Outside the queue: a plain request and response (POST /gradio_api/run/search), so API
        # callers do not wait behind chat turns and pay no queue protocol; the retriever is thread-safe.
        gr.api(search, api_name="search", queue=False)
        demo.load(None, None, None, js=FOLD_ON_PHONE)
        demo.load(None, None, None, js=OPEN_SECTION)
        opened = gr.Textbox(visible="hidden", elem_id="qa-open")
        opened.change(lambda key: key if key in toc.sections else gr.update(), opened, contents, api_visibility="private")

    demo.queue(default_concurrency_limit=CONCURRENCY, max_size=QUEUE_SIZE)
    return demo


