"""HTML for the chat page: answers, passages, the section reader; every piece of report text
and of the question is ``html.escape``-d before it is wrapped in this module's markup."""

from __future__ import annotations

import html
import math
from urllib.parse import quote
from dataclasses import dataclass
from typing import TYPE_CHECKING

from qa.messages import conflict_sentence, say
from qa.script import detect_language, to_script
from qa.types import Answer, Hit, Section

if TYPE_CHECKING:
    from qa.retriever import Retriever

ECHO_CHARS = 300

CSS = """
.qa-passage, .qa-question, .qa-card, .qa-reader p { overflow-wrap: anywhere; }
@media (max-width: 480px) {
  /* A phone: the conversation grows with the page (no scroll area inside the scrolling page),
     the question box and Ask button sit on the first screen. */
  #qa-chat { height: auto !important; max-height: none !important; min-height: 120px; }
  #qa-chat * { max-height: none; }
  #qa-reader { max-height: none !important; }
  h1 { font-size: 1.25em !important; }
}
.qa-answer .qa-lead { font-weight: 600; margin: 0 0 .5em 0; }
.qa-answer .qa-reason { margin: 0 0 .5em 0; }
.qa-card { border-radius: 8px; padding: .5em .8em; margin: 0 0 .6em 0; background: var(--background-fill-secondary, #f7f7f8); }
.qa-card.qa-refusal { border: 2px solid #e8a29b; background: #fdf3f2; }
.qa-card .qa-lead { font-weight: 600; font-size: 1.05em; margin: .2em 0; }
.qa-answer details.qa-more > summary { cursor: pointer; margin: .4em 0; font-weight: 600; }
.qa-answer .qa-status.qa-answered { background: #e6f4ea; color: #1e6b35; }
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
a.qa-open { text-decoration: underline dotted; cursor: pointer; }
.qa-answer .qa-tools { margin: .4em 0 0 0; font-size: .85em; }
.qa-card .qa-conflict { margin: .4em 0 0 0; padding: .2em .5em; border-radius: 4px; background: #fff4d6; color: #6b4e00; font-weight: 600; }
a.qa-copy { cursor: pointer; }
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


def section_link(doc: str, section_id: str, text: str) -> str:
    """``text`` as a link that opens section ``section_id`` of ``doc`` in the reader (the page's
    script does it; the link carries the section's key, URL-quoted in its fragment, and no
    script of its own: the chat's sanitizer keeps plain links)."""
    target = quote(f"{doc}#{section_id}", safe="")
    return f"<a class='qa-open' href='#open={target}'>{text}</a>"


def render_hit(hit: Hit, rank: int, top: float, found: bool, language: str, badge: bool = True) -> str:
    """One cited passage as HTML (all report text escaped); ``badge``: its relevance label."""
    zh, en = hit.section_title, hit.section_title_en
    cite = section_link(hit.doc, hit.section_id, f"§{_e(hit.section_id)}")
    if hit.shelf_size > 1 and hit.doc_title:  # several reports on the shelf: say which
        cite = f"<span class='qa-doc'>《{_e(hit.doc_title)}》</span>{cite}"
    if language == "en" and en:
        head = f"{cite} {_e(en)} <span class='qa-alt'>· {_e(zh)}</span>"
    elif en:
        head = f"{cite} {_e(zh)} <span class='qa-alt'>· {_e(en)}</span>"
    else:
        head = f"{cite} {_e(zh)}"
    label = _t(relevance(rank, hit.score, top, found), language)
    meta = [f"<span class='qa-badge'>{_e(label)}</span>"] if badge else []
    if hit.also_in or hit.also_in_docs:
        also = ", ".join(
            [section_link(hit.doc, s, f"§{_e(s)}") for s in hit.also_in]
            + [section_link(d, s, f"《{_e(t)}》§{_e(s)}") for d, t, s in hit.also_in_docs]
        )
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


def render_answer(answer: Answer, labels: str | None = None) -> str:
    """An :class:`Answer` as one HTML block for the chatbot (no blank lines, all text escaped).

    It opens with an answer card: the status, the answering sentence (in English for an
    English asker where the report has an edition) and its citation. The cited passages
    follow, the first open and the rest folded ("3 more sources"). A reply that is not an
    answer is a card of its own: the reason, and the nearest sections folded, with nothing
    highlighted that could read as an answer. ``labels``: the script of the interface words
    when the reader chose one (a Chinese asker's labels follow the script switch).
    """
    language = answer.query_language
    if labels in ("zh-Hans", "zh-Hant") and language != "en":
        language = labels
    status = answer.status.value
    top = answer.hits[0].score if answer.hits else 0.0
    if answer.found and answer.kind == "outline":
        return render_outline(answer, language)
    if answer.found:
        h = answer.hits[0]
        english = language == "en" and h.english == "edition" and h.answer_en
        sentence = h.answer_en if english else h.answer
        card = (
            f"<div class='qa-card qa-answered'><p class='qa-status qa-answered'>{_e(_t('status_answered', language))}</p>"
            f"<p class='qa-lead'>{_e(sentence)}</p>"
            + (f"<p class='qa-meta'><code class='qa-cite'>§{_e(h.section_id)} {_e(h.section_title_en)}</code>"
               f" · {_e(h.section_title)}</p>"
               if language == "en" and h.section_title_en
               else f"<p class='qa-meta'><code class='qa-cite'>{_e(h.citation)}</code></p>")
            + searched_as(answer, language)
            + conflict_note(answer, language)
            + "</div>"
        )
        # Passages that disagree on the figure are shown open beside the first, never folded away.
        disagreeing = {sid for sid, _ in answer.conflicts}
        shown = [(i, x) for i, x in enumerate(answer.hits) if i == 0 or x.section_id in disagreeing]
        folded = [(i, x) for i, x in enumerate(answer.hits) if not (i == 0 or x.section_id in disagreeing)]
        first = "".join(render_hit(x, i, top, True, language) for i, x in shown)
        rest = "".join(render_hit(x, i, top, True, language) for i, x in folded)
        more = (
            f"<details class='qa-more'><summary>{_e(_t('more_sources', language, n=len(folded)))}</summary>{rest}</details>"
            if rest else ""
        )
        return f"<div class='qa-answer' data-status='{status}'>{card}{first}{more}{copy_link(language)}</div>"
    reason = answer.reason or _t("not_found", language)
    banner = _t(f"status_{status}", language) if status in ("not_stated", "not_covered") else ""
    card = "<div class='qa-card qa-refusal'>"
    if banner:
        card += f"<p class='qa-status qa-{status}'>{_e(banner)}</p>"
    card += f"<p class='qa-reason'>{_e(reason)}</p>{searched_as(answer, language)}</div>"
    nearest = ""
    if answer.hits:
        plain = "".join(render_nearest(h, language) for h in answer.hits)
        nearest = f"<details class='qa-more qa-nearest'><summary>{_e(_t('nearest', language))} ({len(answer.hits)})</summary>{plain}</details>"
    return f"<div class='qa-answer qa-not-found' data-status='{_e(status)}'>{card}{nearest}{copy_link(language)}</div>"


def conflict_note(answer: Answer, language: str) -> str:
    """「报告中的数字不一致：…」 where the report states the answer's figure differently elsewhere."""
    if not answer.conflicts:
        return ""
    return f"<p class='qa-conflict'>⚠ {_e(conflict_sentence(answer.conflicts, language))}</p>"


def render_outline(answer: Answer, language: str) -> str:
    """An outline answer: the parts in the report's order, each open, with its opening sentence."""
    hits = answer.hits
    parent = hits[0].section_path[:-1] if hits else ()
    if hits and "." not in hits[0].section_id and len(hits) > 1:
        lead = _t("outline_report", language, n=len(hits))
    elif len(hits) == 1:  # a section with no sub-sections: itself
        h = hits[0]
        lead = f"§{h.section_id} {h.section_title_en if language == 'en' and h.section_title_en else h.section_title}"
    else:
        parent_id = hits[0].section_id.rsplit(".", 1)[0] if hits and len(hits) > 1 else (hits[0].section_id if hits else "")
        title = parent[-1] if parent and len(hits) > 1 else (hits[0].section_title if hits else "")
        if language == "en" and len(hits) > 1:  # the parent's English title is not on the hits
            title = ""
        lead = _t("outline_part", language, id=parent_id, title=title, n=len(hits)).replace(" :", ":").replace(" ：", "：")
    card = (
        f"<div class='qa-card qa-answered qa-outline'><p class='qa-status qa-answered'>{_e(_t('status_answered', language))}</p>"
        f"<p class='qa-lead'>{_e(lead)}</p>{searched_as(answer, language)}</div>"
    )
    parts = "".join(render_hit(h, i, 1.0, True, language, badge=False) for i, h in enumerate(hits))
    return f"<div class='qa-answer' data-status='answered' data-kind='outline'>{card}{parts}{copy_link(language)}</div>"


def searched_as(answer: Answer, language: str) -> str:
    """For a follow-up read against the conversation: the question that was searched."""
    if answer.interpreted_as == answer.question:
        return ""
    colon = ": " if language == "en" else "："
    return f"<p class='qa-meta qa-searched'>{_e(_t('searched_as', language))}{colon}{_e(answer.interpreted_as)}</p>"


def copy_link(language: str) -> str:
    """A "Copy answer" link: the page's script copies the reply as plain text (the status,
    the answer sentence, the passages and their citations; no markup)."""
    return f"<p class='qa-tools'><a class='qa-copy' href='#copy'>{_e(_t('copy', language))}</a></p>"


def render_nearest(hit: Hit, language: str) -> str:
    """A nearest section of a reply that is not an answer: title, passage, citation; nothing marked."""
    title = hit.section_title_en if language == "en" and hit.section_title_en else hit.section_title
    text = hit.text_en if language == "en" and hit.english == "edition" and hit.text_en else hit.text
    return (
        f"<div class='qa-hit qa-near'><div class='qa-head'>§{_e(hit.section_id)} {_e(title)}</div>"
        f"<div class='qa-passage'>{_e(text)}</div>"
        f"<div class='qa-meta'><code class='qa-cite'>{_e(hit.citation)}</code></div></div>"
    )


def render_question(question: str) -> str:
    """The asker's question as literal text (long ones shortened for the echo only)."""
    shown = question if len(question) <= ECHO_CHARS else question[:ECHO_CHARS] + " …"
    return f"<div class='qa-question'>{_e(shown)}</div>"


def render_notice(message: str) -> str:
    return f"<div class='qa-answer'><p class='qa-reason'>{_e(message)}</p></div>"


@dataclass(frozen=True)
class Toc:
    """The corpus' sections keyed "doc#id", with dropdown labels."""

    sections: dict  # key -> Section
    titles_en: dict  # key -> English title
    choices: list  # (label, key)

    @classmethod
    def of(cls, retriever: Retriever) -> "Toc":
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

    def choices_in(self, script: str | None) -> list:
        """The dropdown's (label, key) pairs with the titles in ``script`` (as written if None)."""
        return [(to_script(label, script) if script else label, key) for label, key in self.choices]

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


