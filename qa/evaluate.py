"""``qa eval``: the product beside its baselines on the same questions, in one run.

Questions live in ``eval/questions_dev.jsonl`` and ``eval/questions_dev2.jsonl`` (the
dev split: used to tune fusion weights and fit the "found" calibration) and
``eval/questions_test.jsonl`` (held out: never used for tuning). Metrics per group (zh: Simplified, Traditional and mixed questions; en; oos:
questions the report cannot answer): Recall@1, Recall@5 and MRR@10 by cited section,
the share of answerable questions answered, the share of unanswerable ones refused,
and the share whose top answer sentence holds the asked fact.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from qa.script import to_simplified

GROUPS = ("zh", "en", "oos")
# Ablations: the product with one of its parts switched off (an Options field).
ABLATIONS = {"no-translation": "translate", "no-grouping": "group"}
SYSTEMS = ("hybrid", "no-translation", "no-grouping", "bm25", "dense", "naive")


@dataclass(frozen=True)
class Question:
    id: str
    lang: str
    question: str
    gold: tuple[str, ...]
    fact: str | None

    @property
    def group(self) -> str:
        if not self.gold:
            return "oos"
        return "en" if self.lang == "en" else "zh"


def load_questions(path: Path) -> list[Question]:
    out = []
    with Path(path).open(encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
                out.append(Question(row["id"], row["lang"], row["question"], tuple(row["gold"]), row.get("fact")))
            except (json.JSONDecodeError, KeyError) as e:
                raise ValueError(f"{path}:{n}: not a question row ({e})") from None
    return out


def question_files(root: Path, split: str) -> list[Path]:
    dev = ["questions_dev.jsonl", "questions_dev2.jsonl"]
    names = {"dev": dev, "test": ["questions_test.jsonl"], "all": [*dev, "questions_test.jsonl"]}
    if split not in names:
        raise ValueError(f"split must be one of {sorted(names)}, not {split!r}")
    return [root / n for n in names[split]]


def _norm(s: str) -> str:
    return to_simplified(s).replace(" ", "").lower()


@dataclass(frozen=True)
class Result:
    question: Question
    ranked: tuple[tuple[str, ...], ...]  # per rank: the section ids that hit cites (incl. also_in)
    found: bool | None
    answer: str | None


def _rank_of(result: Result) -> int | None:
    for i, ids in enumerate(result.ranked[:10]):
        if set(ids) & set(result.question.gold):
            return i + 1
    return None


def score(results: list[Result]) -> dict:
    """Metrics per group; None where a metric does not apply to a system."""
    table: dict = {}
    for group in GROUPS:
        rs = [r for r in results if r.question.group == group]
        if not rs:
            continue
        row: dict = {"n": len(rs)}
        if group == "oos":
            decided = [r for r in rs if r.found is not None]
            row["refused"] = round(sum(not r.found for r in decided) / len(decided), 3) if decided else None
        else:
            ranks = [_rank_of(r) for r in rs]
            row["R@1"] = round(sum(1 for x in ranks if x == 1) / len(rs), 3)
            row["R@5"] = round(sum(1 for x in ranks if x and x <= 5) / len(rs), 3)
            row["MRR@10"] = round(sum(1 / x for x in ranks if x) / len(rs), 3)
            decided = [r for r in rs if r.found is not None]
            row["answered"] = round(sum(bool(r.found) for r in decided) / len(decided), 3) if decided else None
            factual = [r for r in rs if r.question.fact and r.answer is not None]
            row["fact"] = (
                round(sum(_norm(r.question.fact) in _norm(r.answer) for r in factual) / len(factual), 3)
                if factual
                else None
            )
        table[group] = row
    return table


def run_product(retriever, questions: list[Question], options=None) -> list[Result]:
    out = []
    for q in questions:
        a = retriever.ask(q.question, k=10, options=options)
        ranked = tuple((h.section_id,) + tuple(h.also_in) for h in a.hits)
        out.append(Result(q, ranked, a.found, a.hits[0].answer if a.hits else ""))
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
    cols += [("en", c) for c in ("R@1", "R@5", "MRR@10", "fact", "answered")]
    cols += [("oos", "refused")]
    counts = next(iter(metrics.values()), {})
    sizes = ", ".join(f"{g} {counts[g]['n']}" for g in GROUPS if g in counts)
    head1 = f"{'':<15}" + "".join(f"{g + ' ' + c:>12}" for g, c in cols)
    lines = [f"{n_questions} questions ({sizes})", head1]
    for system, groups in metrics.items():
        cells = []
        for g, c in cols:
            v = groups.get(g, {}).get(c)
            cells.append(f"{'-' if v is None else format(v, '.3f'):>12}")
        lines.append(f"{system:<15}" + "".join(cells))
    return "\n".join(lines)


def failures(results: list[Result]) -> list[str]:
    out = []
    for r in results:
        q = r.question
        top = r.ranked[0] if r.ranked else ()
        if q.group == "oos":
            if r.found:
                out.append(f"{q.id} [{q.lang}] {q.question}\n    should refuse; answered citing §{top[0] if top else '-'}")
            continue
        rank = _rank_of(r)
        fact_ok = not q.fact or r.answer is None or _norm(q.fact) in _norm(r.answer)
        if rank != 1 or r.found is False or not fact_ok:
            problems = []
            if rank != 1:
                problems.append(f"gold §{'/'.join(q.gold)} at rank {rank or '>10'}; cited " + ", ".join("§" + x[0] for x in r.ranked[:3]))
            if r.found is False:
                problems.append("refused")
            if not fact_ok:
                problems.append(f"answer lacks {q.fact!r}: {r.answer[:80]}")
            out.append(f"{q.id} [{q.lang}] {q.question}\n    " + "; ".join(problems))
    return out
