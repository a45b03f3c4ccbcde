"""The Gradio chat page and its ``/search`` endpoint: presentation only.

Everything shown comes from :class:`qa.retriever.Retriever` (answers) and its corpus
(table of contents, section reader); nothing here parses, indexes or scores. The chatbot's
sanitizer stays on as a second line of defence behind :mod:`qa.web.render`'s escaping.
"""

from __future__ import annotations

import logging
import secrets
from dataclasses import dataclass
from pathlib import Path

import gradio as gr

from qa.config import Config
from qa.question import check
from qa.readers import SUFFIXES
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
MAX_CONTEXT_QUESTIONS = 6  # what a follow-up is read against (the retriever reads no further back)
SCRIPT_CHOICES = ("Auto", "简体", "繁體")
_SCRIPT_OF_CHOICE = {"Auto": None, "简体": "zh-Hans", "繁體": "zh-Hant"}


@dataclass(frozen=True)
class Uploads:
    """Adding reports from the page (``qa serve --allow-upload``): the shelf they go on, and the
    key an uploader must give ("" for none: a server on this machine only, or served open)."""

    config: Config
    key: str = ""

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

# Copying gives plain text, never the page's markup: a reply's "Copy answer" link copies its
# status, answer sentence, passages and citations; "Copy conversation" copies every turn.
# The text is read from what is shown (so it is in the shown script and language).
COPY = """() => {
  const text = (el) => {
    const c = el.cloneNode(true);
    c.querySelectorAll('br').forEach((b) => b.replaceWith('\\n'));
    return c.textContent.replace(/[ \\t]+\\n/g, '\\n').trim();
  };
  const PARTS = '.qa-status, .qa-lead, .qa-reason, .qa-card > .qa-meta, .qa-hit > .qa-head, '
    + '.qa-hit > .qa-passage, .qa-hit > .qa-meta > code.qa-cite';
  const plain = (answer) => {
    const lines = [];
    answer.querySelectorAll(PARTS).forEach((el) => {
      if (el.matches('.qa-hit > .qa-head') && lines.length) lines.push('');
      const t = text(el);
      if (t) lines.push(t);
    });
    return lines.join('\\n');
  };
  const write = async (value) => {
    if (navigator.clipboard && window.isSecureContext) {
      try { await navigator.clipboard.writeText(value); return true; } catch (e) { /* fall back */ }
    }
    const area = document.createElement('textarea');
    area.value = value;
    area.style.position = 'fixed';
    area.style.left = '-9999px';
    document.body.appendChild(area);
    area.select();
    let ok = false;
    try { ok = document.execCommand('copy'); } catch (e) { ok = false; }
    area.remove();
    return ok;
  };
  window.qaPlainConversation = () => {
    const out = [];
    document.querySelectorAll('#qa-chat [data-testid="user"], #qa-chat [data-testid="bot"]').forEach((m) => {
      const question = m.querySelector('.qa-question');
      const answer = m.querySelector('.qa-answer');
      if (question) out.push('Q: ' + text(question));
      else if (answer) out.push(plain(answer));
    });
    return out.join('\\n\\n');
  };
  window.qaCopyConversation = () => write(window.qaPlainConversation());
  document.addEventListener('click', (event) => {
    const link = event.target.closest('#qa-chat a.qa-copy');
    if (!link) return;
    event.preventDefault();
    const answer = link.closest('.qa-answer');
    if (!answer) return;
    const label = link.textContent;
    write(plain(answer)).then((ok) => {
      if (!ok) return;
      link.textContent = '\u2713 ' + label;
      setTimeout(() => { link.textContent = label; }, 1500);
    });
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


def labels_language(choice: str | None, language: str | None) -> str | None:
    """The language of the page's words: English for an English asker, else the script the
    switch chose or the asker wrote in; None before anyone has asked (then both are shown)."""
    script = _SCRIPT_OF_CHOICE.get(choice or "Auto")
    if language == "en":
        return "en"
    return script or language


def ui_word(key: str, language: str | None) -> str:
    """A label of the page in ``language``; both English and Simplified Chinese when None."""
    if language is None:
        return f"{_t(key, 'en')} · {_t(key, 'zh-Hans')}"
    return _t(key, language)


class Chat:
    """The chat page's work, apart from its layout: a turn answered and rendered, every turn
    re-rendered in another script, the reader's section, the ``/search`` payload.

    The conversation is kept per browser session as a list of turns (question, k, and what
    was said); the chatbot shows their rendering, so changing the script switch re-renders
    every earlier turn in the new script. The retriever is shared and thread-safe; so is this.
    """

    def __init__(self, retriever, uploads: Uploads | None = None):
        from qa.web.api import Service

        self.service = retriever if isinstance(retriever, Service) else Service(retriever)
        self.uploads = uploads
        self.cap = self.retriever.config.max_question_chars
        self._toc: tuple = (None, None)

    @property
    def retriever(self) -> Retriever:
        """The retriever answering now (a newer one once the shelf changed)."""
        return self.service.retriever

    @property
    def toc(self) -> Toc:
        """The table of contents of the shelf as it is now."""
        r = self.retriever
        made_for, toc = self._toc
        if made_for is not r:
            toc = Toc.of(r)
            self._toc = (r, toc)
        return toc

    def doc_choices(self) -> list[tuple[str, str]]:
        """(title, name) of each report on the shelf, for the report selector."""
        return [(d.title, d.name) for d in self.retriever.corpus.documents]

    def shelf_view(self, chosen: list | None = None):
        """The report selector (shown when the shelf holds several) and the contents, as they are now."""
        docs = self.doc_choices()
        names = {n for _t, n in docs}
        chosen = [d for d in (chosen or []) if d in names]
        toc = self.toc
        return (
            gr.update(choices=docs, value=chosen, visible=len(docs) > 1),
            gr.update(choices=toc.choices_in(None)),
        )

    def add_files(self, files, key: str | None, chosen: list | None, progress=gr.Progress(track_tqdm=True)):
        """Put uploaded files on the shelf (``qa serve --allow-upload``): (status, selector, contents,
        the upload box emptied for the next files)."""
        status, selector, contents = self._add_files(files, key, chosen, progress)
        return status, selector, contents, None

    def _add_files(self, files, key, chosen, progress):
        from qa.readers import ReadError
        from qa.retriever import Retriever
        from qa.shelf import ShelfError, add

        if self.uploads is None:
            return _e("Uploads are off (start with `qa serve --allow-upload`)."), *self.shelf_view(chosen)
        if self.uploads.key and not secrets.compare_digest((key or "").encode(), self.uploads.key.encode()):
            return _e("Uploads need the API key (QA_API_KEY) of this server · 上传需要本服务的 API 密钥。"), *self.shelf_view(chosen)
        paths = [Path(getattr(f, "name", f)) for f in (files or [])]
        if not paths:
            return "", *self.shelf_view(chosen)
        progress(0, desc="reading")
        try:
            added = add(self.uploads.config, paths, encoder=self.retriever.encoder, show_progress=True)
            fresh = Retriever.load(config=self.uploads.config, encoder=self.retriever.encoder, build=False, show_progress=False)
        except (ShelfError, ReadError) as e:
            return f"<div class='qa-refusal'>{_e(str(e))}<br>{_e('Nothing was added · 未添加任何文件')}</div>", *self.shelf_view(chosen)
        except Exception:
            log.exception("adding %s failed", [p.name for p in paths])
            return _e("Adding failed; the shelf is as it was · 添加失败，书架未变。"), *self.shelf_view(chosen)
        self.service.ready(fresh)
        said = "; ".join(f"《{e.title}》 ({e.type}, {e.sections} sections)" for e in added)
        return f"<div class='qa-added'>{_e('Added · 已添加')}: {_e(said)}</div>", *self.shelf_view(chosen)

    @staticmethod
    def reader_script(choice: str | None, last_language: str | None) -> str | None:
        script = _SCRIPT_OF_CHOICE.get(choice or "Auto")
        if script is None and last_language in ("zh-Hans", "zh-Hant"):
            script = last_language
        return script

    def show_section(self, key: str | None, choice: str, last_language: str | None) -> str:
        toc = self.toc
        section = toc.sections.get(key) if key else None
        children = []
        if section is not None:
            prefix = section.id + "."
            doc = key.split("#", 1)[0]
            children = [
                s for k2, s in toc.sections.items()
                if k2.startswith(doc + "#") and s.id.startswith(prefix) and s.level == section.level + 1
            ]
        return render_section(section, toc.titles_en.get(key, "") if key else "", children, self.reader_script(choice, last_language))

    def search(self, question: str, k: int = DEFAULT_K, context: list[str] | None = None, docs: list[str] | None = None) -> dict:
        """Answer ``question`` with up to ``k`` cited passages; JSON with status, found, query_language, reason,
        interpreted_as and hits. ``context``: the conversation's earlier questions, oldest first; ``docs``: the
        reports to search (default all)."""
        return answer_payload(self.retriever, question, k, None, context, docs)[1]

    def render_turn(self, turn: dict, choice: str | None):
        """(the bot's HTML, the Answer or None) for one turn, in the script ``choice`` asks for."""
        script = _SCRIPT_OF_CHOICE.get(choice or "Auto")
        words = labels_language(choice, turn["language"]) or "en"
        if turn["kind"] == "notice":
            return render_notice(_t(turn["key"], words, **turn["values"])), None
        if turn["kind"] == "topic":
            return render_notice(_t("new_topic", words)), None
        try:
            r = self.retriever
            docs = [d for d in turn.get("docs") or () if d in r.doc_names] or None  # a report removed since: all
            answer = r.ask(turn["question"], k=turn["k"], script=script, context=turn.get("context", ()), docs=docs)
        except Exception:
            log.exception("answering failed")
            return render_notice(_t("failed", words)), None
        return render_answer(answer, script), answer

    @staticmethod
    def shown(turns: list) -> list:
        """The chatbot's messages for ``turns`` (a new-topic mark has no question)."""
        out = []
        for t in turns:
            if t.get("user"):
                out.append({"role": "user", "content": t["user"]})
            out.append({"role": "assistant", "content": t["bot"]})
        return out

    @staticmethod
    def context_of(turns: list) -> list[str]:
        """The questions asked since the last new-topic mark, oldest first: a follow-up's context."""
        out: list[str] = []
        for t in turns:
            if t["kind"] == "topic":
                out.clear()
            elif t["kind"] == "answer":
                out.append(t["question"])
        return out[-MAX_CONTEXT_QUESTIONS:]

    def new_topic(self, turns: list | None, last_language: str | None, choice: str):
        """The "New topic" button: a mark in the conversation; later questions ignore what is above it."""
        turns = list(turns or [])
        if not turns or turns[-1]["kind"] == "topic":
            return self.shown(turns), turns
        turn = {"question": "", "k": DEFAULT_K, "kind": "topic", "key": "", "values": {}, "language": last_language or "en",
                "user": "", "context": []}
        turn["bot"], _ = self.render_turn(turn, choice)
        turns.append(turn)
        return self.shown(turns), turns

    def cited_of(self, answer, choice: str | None):
        """The "open a cited section" choices and the citations box for an answer."""
        toc = self.toc
        shown_script = _SCRIPT_OF_CHOICE.get(choice or "Auto") or (answer.query_language if answer.query_language != "en" else None)
        english = answer.query_language == "en"
        cited: list[tuple[str, str]] = []
        seen = set()
        for h in answer.hits:
            places = [(h.doc, h.section_id, False), *((h.doc, s, True) for s in h.also_in),
                      *((d, s, True) for d, _t, s in h.also_in_docs)]
            for doc, sid, is_also in places:
                key = f"{doc}#{sid}"
                if key in seen or key not in toc.sections:
                    continue
                seen.add(key)
                title = toc.title(key, shown_script)
                if english and toc.titles_en.get(key):
                    title = f"{toc.titles_en[key]} · {title}"
                label = f"§{sid} {title}".strip()
                if is_also:
                    label += f" ({_t('repeats', answer.query_language)} §{h.section_id})"
                cited.append((label, key))
        return cited, "\n".join(
            f"{h.citation} ({h.section_title_en})" if english and h.section_title_en else h.citation for h in answer.hits
        )

    def respond(self, question: str, turns: list | None, k, choice: str, last_language: str | None, docs=None,
                on_screen: list | None = None):
        """One turn: (chat messages, "" for the box, cited choices, citations, language, turns).

        ``on_screen``: the chat's messages as the page shows them when asked; an empty chat was
        cleared, even if the clear has not reached the kept ``turns`` yet (a question asked
        right after clearing must not bring the cleared turns back)."""
        turns = [] if on_screen is not None and not on_screen else list(turns or [])
        turns = turns[-(MAX_HISTORY_MESSAGES // 2 - 1):]
        question = question or ""
        if not question.strip():
            return self.shown(turns), "", gr.update(), gr.update(), last_language, turns
        language = language_of(question)
        turn = {"question": question, "k": max(1, min(MAX_SHOWN_K, int(k or DEFAULT_K))), "kind": "answer",
                "key": "", "values": {}, "language": language, "user": render_question(question),
                "context": self.context_of(turns), "docs": list(docs or [])}
        if len(question) > self.cap:
            turn.update(kind="notice", key="too_long", values={"n": len(question), "cap": self.cap})
        elif check(question, self.cap).why == "small_talk":  # a greeting or "help": a chat's reply, not a search
            turn.update(kind="notice", key="small_talk")
        turn["bot"], answer = self.render_turn(turn, choice)
        turns.append(turn)
        if answer is None or not answer.hits:  # nothing cited: keep the reader as it was
            return self.shown(turns), "", gr.update(), gr.update(), last_language, turns
        cited, citations = self.cited_of(answer, choice)
        return (
            self.shown(turns),
            "",
            gr.update(choices=cited, value=cited[0][1] if cited else None),
            citations,
            answer.query_language,
            turns,
        )

    def rerender(self, turns: list | None, choice: str):
        """Every earlier turn again, in the script just chosen (answers are asked again: the
        retriever converts from the report's own text, which is lossless; converting the
        shown Simplified text back to Traditional would not be)."""
        turns = [dict(t) for t in (turns or [])]
        last = None
        for t in turns:
            t["bot"], answer = self.render_turn(t, choice)
            last = answer if answer is not None and answer.hits else last
        if last is None:
            return self.shown(turns), gr.update(), turns
        cited, _ = self.cited_of(last, choice)
        return self.shown(turns), gr.update(choices=cited), turns


def build_app(retriever, uploads: Uploads | None = None) -> gr.Blocks:
    """The chat page and the ``/search`` endpoint over one shared, thread-safe retriever (or a
    :class:`qa.web.api.Service` holding it, which swaps in a newer one when the shelf changes).

    The retriever is warmed here so that the first asker waits no longer than the rest.
    ``uploads``: reports may be added from the page (``qa serve --allow-upload``).
    """
    chat = Chat(retriever, uploads)
    retriever = chat.retriever
    retriever.warm()
    toc = chat.toc
    doc_title = retriever.corpus.documents[0].title if retriever.corpus.documents else "Report"
    reader_script, show_section, search = chat.reader_script, chat.show_section, chat.search
    respond, rerender = chat.respond, chat.rerender

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
        turns = gr.State([])
        with gr.Row():
            with gr.Column(scale=3):
                chatbot = gr.Chatbot(
                    label=ui_word("ui_chat", None),
                    height=620,
                    elem_id="qa-chat",
                    sanitize_html=True,
                    allow_tags=False,
                    latex_delimiters=[],
                    feedback_options=None,
                    buttons=[],  # Gradio's copy buttons copy the markup; each reply has its own
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
                    ask = gr.Button(ui_word("ui_ask", None), variant="primary", scale=1, elem_id="qa-ask")
                examples = gr.Examples(examples=[[q] for q in EXAMPLES], inputs=[question], label=ui_word("ui_examples", None))
                with gr.Row():
                    new_topic = gr.Button(ui_word("ui_new_topic", None), size="sm", variant="secondary", elem_id="qa-new-topic")
                    copy_all = gr.Button(ui_word("ui_copy_all", None), size="sm", variant="secondary", elem_id="qa-copy-all")
            with gr.Column(scale=2):
                with gr.Accordion(ui_word("ui_side", None), open=True, elem_id="qa-side") as side:
                    with gr.Group():
                        k = gr.Slider(1, MAX_SHOWN_K, value=DEFAULT_K, step=1, label=ui_word("ui_k", None), elem_id="qa-k")
                        script = gr.Radio(list(SCRIPT_CHOICES), value="Auto", label=ui_word("ui_script", None), elem_id="qa-script")
                        docs = gr.Dropdown(
                            choices=chat.doc_choices(), value=[], multiselect=True, label=ui_word("ui_docs", None),
                            info=ui_word("ui_docs_all", None), visible=len(chat.doc_choices()) > 1, elem_id="qa-docs",
                        )
                    if uploads is not None:
                        with gr.Accordion(ui_word("ui_upload", None), open=False, elem_id="qa-upload"):
                            files = gr.File(
                                file_count="multiple", file_types=list(SUFFIXES), label=ui_word("ui_upload_files", None),
                                elem_id="qa-upload-files",
                            )
                            upload_key = gr.Textbox(
                                type="password", label="API key (QA_API_KEY)", visible=bool(uploads.key), elem_id="qa-upload-key"
                            )
                            upload_status = gr.HTML("", elem_id="qa-upload-status")
                    cited = gr.Dropdown(
                        choices=[], value=None, label=ui_word("ui_cited", None), elem_id="qa-cited", interactive=True
                    )
                    citations = gr.Textbox(
                        label=ui_word("ui_citations", None), lines=3, interactive=False, buttons=["copy"], elem_id="qa-citations"
                    )
                    contents = gr.Dropdown(
                        choices=toc.choices_in(None),
                        value=toc.choices[0][1] if toc.choices else None,
                        label=ui_word("ui_contents", None),
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

        outputs = [chatbot, question, cited, citations, last_language, turns]
        inputs = [question, turns, k, script, last_language, docs, chatbot]
        # After each answer, bring the new question and the top of its answer card into view
        # (not the bottom of the last passage), whatever the reader had scrolled to.
        question.submit(respond, inputs, outputs, api_visibility="private").then(None, None, None, js=SCROLL_TO_NEW)
        ask.click(respond, inputs, outputs, api_visibility="private").then(None, None, None, js=SCROLL_TO_NEW)
        # An example asks as soon as it is clicked, not only fills the box.
        examples.load_input_event.then(respond, inputs, outputs, api_visibility="private").then(
            None, None, None, js=SCROLL_TO_NEW
        )
        # "New topic": later questions are not read against the ones above (the chat stays on screen).
        new_topic.click(chat.new_topic, [turns, last_language, script], [chatbot, turns], api_visibility="private")
        # The chat's own clear button empties the conversation kept for re-rendering too.
        chatbot.clear(lambda: [], None, turns, api_visibility="private")
        copy_all.click(None, None, None, js="() => { if (window.qaCopyConversation) window.qaCopyConversation(); }")
        cited.change(lambda key: key if key else gr.update(), cited, contents, api_visibility="private")
        reader_inputs = [contents, script, last_language]
        contents.change(show_section, reader_inputs, reader, api_visibility="private")
        script.change(show_section, reader_inputs, reader, api_visibility="private")
        last_language.change(show_section, reader_inputs, reader, api_visibility="private")
        # The switch re-renders what is on the page: every earlier answer, in the new script.
        script.change(rerender, [turns, script], [chatbot, cited, turns], api_visibility="private")

        def words_in(choice, last):
            # One script (or English) for the page's words, the Contents list included: 对策
            # finds 對策 when Simplified is chosen. Only the Contents' labels change (the keys
            # stay), so the section open stays open.
            lang = labels_language(choice, last)
            return (
                gr.update(label=ui_word("ui_chat", lang)),
                gr.update(value=ui_word("ui_ask", lang)),
                gr.update(value=ui_word("ui_copy_all", lang)),
                gr.update(value=ui_word("ui_new_topic", lang)),
                gr.update(label=ui_word("ui_side", lang)),
                gr.update(label=ui_word("ui_k", lang)),
                gr.update(label=ui_word("ui_script", lang)),
                gr.update(label=ui_word("ui_cited", lang)),
                gr.update(label=ui_word("ui_citations", lang)),
                gr.update(label=ui_word("ui_contents", lang), choices=chat.toc.choices_in(reader_script(choice, last))),
                gr.update(label=ui_word("ui_examples", lang)),
                gr.update(placeholder=ui_word("ui_placeholder", lang)) if lang else gr.update(),
                gr.update(label=ui_word("ui_docs", lang), info=ui_word("ui_docs_all", lang)),
            )

        worded = [chatbot, ask, copy_all, new_topic, side, k, script, cited, citations, contents, examples.dataset, question,
                  docs]
        script.change(words_in, [script, last_language], worded, api_visibility="private")
        last_language.change(words_in, [script, last_language], worded, api_visibility="private")
        # Outside the queue: a plain request and response (POST /gradio_api/run/search), so API
        # callers do not wait behind chat turns and pay no queue protocol; the retriever is thread-safe.
        gr.api(search, api_name="search", queue=False)
        # The shelf may have changed since the page was served (`qa add`, another uploader).
        demo.load(chat.shelf_view, docs, [docs, contents], api_visibility="private")
        if uploads is not None:
            files.upload(chat.add_files, [files, upload_key, docs], [upload_status, docs, contents, files],
                         api_visibility="private", concurrency_limit=1)
        demo.load(None, None, None, js=FOLD_ON_PHONE)
        demo.load(None, None, None, js=OPEN_SECTION)
        demo.load(None, None, None, js=COPY)
        opened = gr.Textbox(visible="hidden", elem_id="qa-open")
        opened.change(lambda key: key if key in chat.toc.sections else gr.update(), opened, contents, api_visibility="private")

    demo.queue(default_concurrency_limit=CONCURRENCY, max_size=QUEUE_SIZE)
    return demo
