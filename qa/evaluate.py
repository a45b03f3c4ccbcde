"""``qa eval``: the product beside its baselines on the same questions, in one run.

Questions live in ``eval/questions_dev*.jsonl`` (the dev split: used to tune fusion
weights and fit the status models) and ``eval/questions_test*.jsonl`` (held out: never
used for tuning). Each question is answerable (gold sections and the fact), a near miss
(the report covers its ``topic`` sections but does not state what is asked) or off-topic.
Metrics per group: for answerable questions (zh: Simplified, Traditional and mixed; en)
Recall@1, Recall@5 and MRR@10 by cited section, the share answered and the share whose
top answer sentence holds the asked fact (for English questions also the share whose
English answer holds the fact's numbers); for near misses the share not answered, the
share ``not_stated`` and the share whose first hit is a topic section; for off-topic
questions the share ``not_covered`` (or ``empty``) and the share not answered. The
confusion table counts each kind of question by the status it got.

Conversations live in ``eval/conversations_dev*.jsonl`` and ``eval/conversations_test.jsonl``: 2-3 turns each, every turn
with gold sections and a fact. Each later turn is a ``follow_up`` (it leans on the earlier
ones: 它, 那上海呢？, "what about its accuracy?") or a ``switch`` (a new, self-contained
topic). Both are asked with the earlier questions as context and without, and scored by
Recall@1 and fact side by side.

Outline questions (``eval/outline_dev*.jsonl``, ``eval/outline_test.jsonl``: 「第五章讲什么？」,
"What are the main recommendations?") are scored by whether the answer is an outline that lists
every required part. The conflict finder is scored against ``eval/conflicts.json``: the
disagreements found by reading the report (``kind`` "value"), and the weaker or borderline ones.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from qa.edition import numbers_en, numbers_zh
from qa.script import to_simplified

GROUPS = ("zh", "en", "near", "off")
KINDS = ("answerable", "near_miss", "off_topic")
STATUSES = ("answered", "not_stated", "not_covered", "empty")
# Ablations: the product with one of its parts switched off (an Options field).
ABLATIONS = {"no-translation": "translate", "no-grouping": "group", "no-edition": "edition"}
SYSTEMS = ("hybrid", "no-edition", "no-translation", "no-grouping", "bm25", "dense", "naive")


@dataclass(frozen=True)
class Question:
    """One eval question. ``kind``: "answerable" (has gold sections), "near_miss" (the report
    covers ``topic`` but does not state what is asked) or "off_topic"."""

    id: str
    lang: str
    question: str
    gold: tuple[str, ...]
    fact: str | None
    kind: str = "answerable"
    topic: tuple[str, ...] = ()

    @property
    def group(self) -> str:
        if self.kind == "near_miss":
            return "near"
        if self.kind == "off_topic":
            return "off"
        return "en" if self.lang == "en" else "zh"


def rows(path: Path, what: str):
    """The JSON rows of a ``.jsonl`` file, with the line number a bad row is reported at."""
    with Path(path).open(encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            if not line.strip():
                continue
            try:
                yield json.loads(line)
            except json.JSONDecodeError as e:
                raise ValueError(f"{path}:{n}: not a {what} row ({e})") from None


def load_questions(path: Path) -> list[Question]:
    out = []
    for row in rows(path, "question"):
        try:
            kind = row.get("kind") or ("answerable" if row["gold"] else "off_topic")
            out.append(Question(row["id"], row["lang"], row["question"], tuple(row["gold"]), row.get("fact"),
                                kind, tuple(row.get("topic") or ())))
        except KeyError as e:
            raise ValueError(f"{path}: question row {row.get('id', '?')} lacks {e}") from None
    return out


def question_files(root: Path, split: str) -> list[Path]:
    dev = sorted(p.name for p in Path(root).glob("questions_dev*.jsonl"))
    test = ["questions_test.jsonl", "questions_test2.jsonl"]
    names = {"dev": dev, "test": test, "all": [*dev, *test]}
    if split not in names:
        raise ValueError(f"split must be one of {sorted(names)}, not {split!r}")
    return [root / n for n in names[split]]


def _norm(s: str) -> str:
    return to_simplified(s).replace(" ", "").lower()


@dataclass(frozen=True)
class Result:
    question: Question
    ranked: tuple[tuple[str, ...], ...]  # per rank: the section ids that hit cites (incl. also_in)
    status: str | None  # None for baselines, which have no status
    answer: str | None
    answer_en: str | None = None

    @property
    def found(self) -> bool | None:
        return None if self.status is None else self.status == "answered"


def _rank_of(result: Result) -> int | None:
    for i, ids in enumerate(result.ranked[:10]):
        if set(ids) & set(result.question.gold):
            return i + 1
    return None


def _share(flags: list[bool]) -> float | None:
    return round(sum(flags) / len(flags), 3) if flags else None


def score(results: list[Result]) -> dict:
    """Metrics per group; None where a metric does not apply to a system."""
    table: dict = {}
    for group in GROUPS:
        rs = [r for r in results if r.question.group == group]
        if not rs:
            continue
        row: dict = {"n": len(rs)}
        decided = [r for r in rs if r.status is not None]
        if group == "near":
            row["not answered"] = _share([not r.found for r in decided])
            row["not_stated"] = _share([r.status == "not_stated" for r in decided])
            topical = [r for r in rs if r.question.topic and r.ranked]
            row["topic@1"] = _share([bool(set(r.ranked[0]) & set(r.question.topic)) for r in topical])
        elif group == "off":
            row["not_covered"] = _share([r.status in ("not_covered", "empty") for r in decided])
            row["not answered"] = _share([not r.found for r in decided])
        else:
            ranks = [_rank_of(r) for r in rs]
            row["R@1"] = round(sum(1 for x in ranks if x == 1) / len(rs), 3)
            row["R@5"] = round(sum(1 for x in ranks if x and x <= 5) / len(rs), 3)
            row["MRR@10"] = round(sum(1 / x for x in ranks if x) / len(rs), 3)
            row["answered"] = _share([bool(r.found) for r in decided])
            factual = [r for r in rs if r.question.fact and r.answer is not None]
            row["fact"] = _share([_norm(r.question.fact) in _norm(r.answer) for r in factual])
            if group == "en":
                numeric = [r for r in factual if r.answer_en is not None and numbers_zh(r.question.fact)]
                row["fact (English)"] = _share(
                    [set(numbers_zh(r.question.fact)) <= set(numbers_en(r.answer_en)) for r in numeric]
                )
        table[group] = row
    return table


def confusion(results: list[Result]) -> dict:
    """Kind of question → status → how many got it (the product's statuses only)."""
    out = {kind: dict.fromkeys(STATUSES, 0) for kind in KINDS}
    for r in results:
        if r.status is not None:
            out[r.question.kind][r.status] = out[r.question.kind].get(r.status, 0) + 1
    return out


def format_confusion(table: dict) -> str:
    lines = [f"{'':<12}" + "".join(f"{s:>13}" for s in STATUSES)]
    for kind, row in table.items():
        lines.append(f"{kind:<12}" + "".join(f"{row.get(s, 0):>13}" for s in STATUSES))
    return "\n".join(lines)


def _result(q: Question, a) -> Result:
    ranked = tuple((h.section_id,) + tuple(h.also_in) for h in a.hits)
    top = a.hits[0] if a.hits else None
    return Result(q, ranked, a.status.value, top.answer if top else "", top.answer_en if top else "")


def run_product(retriever, questions: list[Question], options=None) -> list[Result]:
    return [_result(q, retriever.ask(q.question, k=10, options=options)) for q in questions]


@dataclass(frozen=True)
class Turn:
    """A later turn of an eval conversation: the question, the earlier questions, its kind."""

    question: Question
    context: tuple[str, ...]
    kind: str  # "follow_up" or "switch"


def load_conversations(path: Path) -> list[Turn]:
    """The later turns of the conversations in ``path`` (a first turn is an ordinary question)."""
    out = []
    for row in rows(path, "conversation"):
        asked: list[str] = []
        try:
            for i, t in enumerate(row["turns"]):
                q = Question(f"{row['id']}/{i + 1}", t["lang"], t["question"], tuple(t["gold"]), t.get("fact"))
                if i and t["kind"] in ("follow_up", "switch"):
                    out.append(Turn(q, tuple(asked), t["kind"]))
                asked.append(t["question"])
        except (KeyError, TypeError) as e:
            raise ValueError(f"{path}: conversation row {row.get('id', '?')} lacks {e}") from None
    return out


def conversation_files(root: Path, split: str) -> list[Path]:
    names = {"dev": sorted(p.name for p in Path(root).glob("conversations_dev*.jsonl")), "test": ["conversations_test.jsonl"]}
    names["all"] = names["dev"] + names["test"]
    if split not in names:
        raise ValueError(f"split must be one of {sorted(names)}, not {split!r}")
    return [root / n for n in names[split] if (root / n).exists()]


def run_turns(retriever, turns: list[Turn], with_context: bool) -> list[Result]:
    return [_result(t.question, retriever.ask(t.question.question, k=10, context=t.context if with_context else ()))
            for t in turns]


def score_turns(turns: list[Turn], with_context: list[Result], without: list[Result]) -> dict:
    """Per kind of turn: n, Recall@1 and fact with the context beside the same without it."""
    table: dict = {}
    for kind in ("follow_up", "switch"):
        idx = [i for i, t in enumerate(turns) if t.kind == kind]
        if not idx:
            continue
        row: dict = {"n": len(idx)}
        for label, rs in (("with context", with_context), ("without", without)):
            chosen = [rs[i] for i in idx]
            row[f"R@1 {label}"] = _share([_rank_of(r) == 1 for r in chosen])
            factual = [r for r in chosen if r.question.fact and r.answer is not None]
            row[f"fact {label}"] = _share([_norm(r.question.fact) in _norm(r.answer) for r in factual])
        table[kind] = row
    return table


def format_turns(table: dict) -> str:
    lines = []
    for kind, row in table.items():
        name = "follow-ups" if kind == "follow_up" else "topic switches"
        lines.append(
            f"{name} ({row['n']}): R@1 {row['R@1 with context']:.3f} with context, {row['R@1 without']:.3f} without; "
            f"fact {row['fact with context']:.3f} with context, {row['fact without']:.3f} without"
        )
    return "\n".join(lines)


def turn_failures(turns: list[Turn], results: list[Result], retriever=None) -> list[str]:
    out = []
    for t, r in zip(turns, results):
        q = t.question
        rank = _rank_of(r)
        fact_ok = not q.fact or r.answer is None or _norm(q.fact) in _norm(r.answer)
        if rank == 1 and fact_ok:
            continue
        searched = ""
        if retriever is not None:
            searched = retriever.ask(q.question, k=1, context=t.context).interpreted_as
        problems = [f"gold §{'/'.join(q.gold)} at rank {rank or '>10'}; cited " + ", ".join("§" + x[0] for x in r.ranked[:3])]
        if not fact_ok:
            problems.append(f"answer lacks {q.fact!r}: {r.answer[:60]}")
        out.append(f"{q.id} [{t.kind}] {' / '.join(t.context)} → {q.question}\n    searched as: {searched}\n    " + "; ".join(problems))
    return out


def run_ranker(ranker, questions: list[Question]) -> list[Result]:
    return [Result(q, tuple((sid,) for sid in ranker.rank(q.question, 10)), None, None) for q in questions]


def evaluate(retriever, questions: list[Question], systems: tuple[str, ...] = SYSTEMS) -> tuple[dict, dict]:
    """Run every system on the questions; return (metrics by system, results by system)."""
    from qa.baselines import BM25Sections, DenseSections, NaiveWindows
    from qa.lexical import Tokenizer

    results: dict = {}
    cache = retriever.index.folder / "eval-cache"
    for name in systems:
        if name == "hybrid":
            results[name] = run_product(retriever, questions)
        elif name in ABLATIONS:
            from qa.retriever import Options

            results[name] = run_product(retriever, questions, Options(**{ABLATIONS[name]: False}))
        elif name == "bm25":
            results[name] = run_ranker(BM25Sections(retriever.corpus, Tokenizer()), questions)
        elif name == "dense":
            results[name] = run_ranker(DenseSections(retriever.corpus, retriever.encoder, cache), questions)
        elif name == "naive":
            results[name] = run_ranker(NaiveWindows(retriever.corpus, retriever.encoder, cache), questions)
        else:
            raise ValueError(f"unknown system {name!r}: choose from {', '.join(SYSTEMS)}")
    return {name: score(rs) for name, rs in results.items()}, results


def format_table(metrics: dict, n_questions: int) -> str:
    """One row per system, the groups side by side (fits a terminal's last dozen lines)."""
    cols = [("zh", c) for c in ("R@1", "R@5", "MRR@10", "fact", "answered")]
    cols += [("en", c) for c in ("R@1", "R@5", "MRR@10", "fact", "fact (English)", "answered")]
    cols += [("near", c) for c in ("not answered", "not_stated", "topic@1")]
    cols += [("off", c) for c in ("not_covered",)]
    counts = next(iter(metrics.values()), {})
    sizes = ", ".join(f"{g} {counts[g]['n']}" for g in GROUPS if g in counts)
    head = [f"{g} {c}" for g, c in cols]
    width = max(len(h) for h in head) + 1
    lines = [f"{n_questions} questions ({sizes})", f"{'':<15}" + "".join(f"{h:>{width}}" for h in head)]
    for system, groups in metrics.items():
        cells = []
        for g, c in cols:
            v = groups.get(g, {}).get(c)
            cells.append(f"{'-' if v is None else format(v, '.3f'):>{width}}")
        lines.append(f"{system:<15}" + "".join(cells))
    return "\n".join(lines)


def failures(results: list[Result]) -> list[str]:
    out = []
    for r in results:
        q = r.question
        top = r.ranked[0] if r.ranked else ()
        if q.kind != "answerable":
            if r.found:
                out.append(f"{q.id} [{q.lang}] {q.question}\n    {q.kind}: should not be answered; answered citing §{top[0] if top else '-'}")
            elif q.kind == "near_miss" and q.topic and top and not set(top) & set(q.topic):
                out.append(f"{q.id} [{q.lang}] {q.question}\n    near miss: first hit §{top[0]}, topic §{'/'.join(q.topic)}")
            continue
        rank = _rank_of(r)
        fact_ok = not q.fact or r.answer is None or _norm(q.fact) in _norm(r.answer)
        if rank != 1 or r.found is False or not fact_ok:
            problems = []
            if rank != 1:
                problems.append(f"gold §{'/'.join(q.gold)} at rank {rank or '>10'}; cited " + ", ".join("§" + x[0] for x in r.ranked[:3]))
            if r.found is False:
                problems.append(f"status {r.status}")
            if not fact_ok:
                problems.append(f"answer lacks {q.fact!r}: {r.answer[:80]}")
            out.append(f"{q.id} [{q.lang}] {q.question}\n    " + "; ".join(problems))
    return out


def outline_files(root: Path, split: str) -> list[Path]:
    dev = sorted(p.name for p in Path(root).glob("outline_dev*.jsonl"))
    names = {"dev": dev, "test": ["outline_test.jsonl"], "all": [*dev, "outline_test.jsonl"]}
    if split not in names:
        raise ValueError(f"split must be one of {sorted(names)}, not {split!r}")
    return [Path(root) / n for n in names[split] if (Path(root) / n).exists()]


def score_outline(retriever, paths: list[Path]) -> dict:
    """n, the share answered as an outline listing every required part, and the share refused."""
    questions = [row for p in paths for row in rows(p, "outline question")]
    listed = refused = 0
    misses = []
    for row in questions:
        a = retriever.ask(row["question"], k=5)
        ok = a.found and a.kind == "outline" and set(row["required"]) <= {h.section_id for h in a.hits}
        listed += ok
        refused += not a.found
        if not ok:
            misses.append(f"{row['id']} [{row['lang']}] {row['question']}: needs {'/'.join(row['required'])}; "
                          f"{a.kind} {', '.join('§' + h.section_id for h in a.hits[:6])}")
    n = len(questions)
    return {"n": n, "all parts listed": _share([True] * listed + [False] * (n - listed)),
            "refused": _share([True] * refused + [False] * (n - refused)), "misses": misses}


def score_conflicts(found, gold_path: Path) -> dict:
    """The finder against the disagreements found by reading: how many of the known value
    disagreements it links (two of their sections with different values in one conflict), and
    what else it reports (matching a weaker or borderline case, or nothing known)."""
    gold = json.loads(Path(gold_path).read_text(encoding="utf-8"))
    values = [g for g in gold if g["kind"] == "value"]
    others = [g for g in gold if g["kind"] != "value"]

    def links(conflict, case) -> bool:
        mine = {s.section_id for s in conflict.statements}
        return len(mine & {s["section"] for s in case["statements"]}) >= 2

    def touches(conflict, case) -> bool:
        return bool({s.section_id for s in conflict.statements} & {s["section"] for s in case["statements"]})

    recalled = sum(any(links(c, g) for c in found) for g in values)
    matched = sum(any(links(c, g) for g in values) for c in found)
    near = sum(not any(links(c, g) for g in values) and any(touches(c, g) for g in others) for c in found)
    return {"known value disagreements": len(values), "found of them": recalled, "reported": len(found),
            "reported, a known one": matched, "reported, near a weaker or borderline one": near,
            "reported, none known": len(found) - matched - near}
