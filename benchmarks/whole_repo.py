"""The whole-repository benchmark: hand-written questions about pinned public repositories (benchmarks/repos.py),
each answered by file(s) and line span(s) found by reading the code, scored through the shipped engine.

Metrics, per question, at two levels, all at cut-off 10 with binary gains:
- file level: the distinct files of the ranked hits, in order of first appearance (`--files filerank`: ranked
  as `query --files` does); a file is relevant when a target is in it;
- unit level: the hits themselves; a hit is relevant when it overlaps (shares a line with) a target span
  not already credited to an earlier hit, so one big target cannot count twice.
NDCG@10 (ideal = min(10, number of relevant files or spans)), MRR@10 (first relevant hit), recall@10
(share of relevant files or spans found). Figures are means over the questions of a repository, then
means over repositories (every repository weighs the same), per category, language and split.

As a library: `score_questions(search, questions)` scores any search callable (text -> ranked hits with
path, start_line, end_line), so variants (a static tier, int8, token budgets, other fusions) are measured
the same way: see `engine_search` for the shipped one.

Usage:
  python benchmarks/whole_repo.py [--repos a,b] [--split tune|report|fresh|fresh2|fresh3|fresh4|all] [--mode hybrid ...] [--model minilm]
      [--save OUT.json]
  python benchmarks/whole_repo.py --report OUT.json ...    # markdown tables of saved runs (parts merged)
"""

from __future__ import annotations

import argparse
import json
import math
import platform
import sys
import time
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable, Iterable, Protocol, Sequence

sys.path.insert(0, str(Path(__file__).parent))
from repos import CACHE, CATEGORIES, EXTRA_SPLITS, LANGUAGES, SPLIT_CHOICES, SPLITS, Repo, fetch, load_questions, selected  # noqa: E402

K = 10
POOL = 50  # hits asked for per question: enough to rank ten distinct files
INDEXES = CACHE / "whole-repo"
MODES = ("lexical", "semantic", "hybrid")
LEVELS = ("file", "unit")
METRICS = ("ndcg", "mrr", "recall")


class HitLike(Protocol):
    path: str
    start_line: int
    end_line: int


Search = Callable[[str], Sequence[HitLike]]


# -- scoring -------------------------------------------------------------------------------------------------
def ndcg(gains: Sequence[int], relevant: int, k: int = K) -> float:
    """NDCG@k with binary gains; the ideal ranking puts min(k, relevant) relevant items first."""
    if relevant <= 0:
        return 0.0
    dcg = sum(g / math.log2(i + 2) for i, g in enumerate(gains[:k]))
    ideal = sum(1 / math.log2(i + 2) for i in range(min(k, relevant)))
    return dcg / ideal


def mrr(gains: Sequence[int], k: int = K) -> float:
    """Reciprocal rank of the first relevant item within the first k, 0 when none."""
    return next((1 / (i + 1) for i, g in enumerate(gains[:k]) if g), 0.0)


def recall(gains: Sequence[int], relevant: int, k: int = K) -> float:
    """Share of the relevant items found within the first k."""
    return sum(gains[:k]) / relevant if relevant else 0.0


def _metrics(gains: Sequence[int], relevant: int) -> dict[str, float]:
    return {"ndcg": ndcg(gains, relevant), "mrr": mrr(gains), "recall": recall(gains, relevant)}


def unit_gains(hits: Sequence[HitLike], spans: Sequence[tuple[str, int, int]]) -> list[int]:
    """1 for each hit overlapping a target span no earlier hit was credited with, else 0."""
    open_spans = list(spans)
    gains = []
    for h in hits:
        match = next((s for s in open_spans if s[0] == h.path and h.start_line <= s[2] and s[1] <= h.end_line), None)
        if match is not None:
            open_spans.remove(match)
        gains.append(int(match is not None))
    return gains


def ranked_files(hits: Sequence[HitLike]) -> list[str]:
    """The distinct files of the hits, in order of first appearance."""
    return list(dict.fromkeys(h.path for h in hits))


def score_question(hits: Sequence[HitLike], question: dict, files: Sequence[str] | None = None) -> dict:
    """File- and unit-level metrics of one question's ranked hits (files: a file ranking other than first appearance)."""
    spans = [(t["path"], t["lines"][0], t["lines"][1]) for t in question["targets"]]
    target_files = {s[0] for s in spans}
    ranked = list(files) if files is not None else ranked_files(hits)
    file_g = [int(f in target_files) for f in ranked]
    return {"file": _metrics(file_g, len(target_files)), "unit": _metrics(unit_gains(hits[:K], spans), len(spans))}


def score_questions(search: Search, questions: Iterable[dict],
                    rank_files: Callable[[Sequence[HitLike]], Sequence[str]] | None = None) -> list[dict]:
    """Per-question scores of any search callable: the reusable core (variants pass their own `search`)."""
    rows = []
    for q in questions:
        hits = list(search(q["query"]))
        files = rank_files(hits) if rank_files else None
        rows.append({"query": q["query"], "category": q["category"], **score_question(hits, q, files)})
    return rows


# -- aggregating -------------------------------------------------------------------------------------------
def _mean(xs: list[float]) -> float | None:
    return sum(xs) / len(xs) if xs else None


def repo_means(rows: list[dict], category: str | None = None) -> dict | None:
    """Means over one repository's questions (of one category), or None when it has none."""
    rows = [r for r in rows if category is None or r["category"] == category]
    if not rows:
        return None
    return {lvl: {m: _mean([r[lvl][m] for r in rows]) for m in METRICS} for lvl in LEVELS}


def group_means(per_repo: dict[str, list[dict]], repos: dict[str, Repo], language: str | None = None,
                split: str | None = None, category: str | None = None) -> dict | None:
    """Means over repositories (each weighing the same) of a language/split, for one category or all."""
    means = [m for name, rows in per_repo.items()
             if (language is None or repos[name].language == language) and (split is None or repos[name].split == split)
             and (m := repo_means(rows, category)) is not None]
    if not means:
        return None
    out = {lvl: {m: _mean([x[lvl][m] for x in means]) for m in METRICS} for lvl in LEVELS}
    out["repos"] = len(means)
    return out


# -- the shipped engine --------------------------------------------------------------------------------------
def open_index(repo: Repo, embedder, model: str, threads: int | None = None, static_precision: str | None = None,
               indexes: Path | None = None):
    """The repository's index (kept under indexes, INDEXES by default, so a rerun embeds nothing new), synced."""
    from codesearch.config import Config
    from codesearch.engine import Index

    indexes = indexes or INDEXES  # read now: fusion_variants --indexes sets INDEXES after import
    indexes.mkdir(parents=True, exist_ok=True)  # a fresh checkout has no .cache yet
    cfg = Config(model=model, threads=threads, index_dir=str((indexes / f"{repo.name}-{model}").resolve()),
                 static_precision=static_precision)
    index = Index.create(fetch(repo), cfg, embedder=embedder)
    t0 = time.perf_counter()
    report = index.sync()
    files, units = index.counts()
    return index, {"seconds": round(time.perf_counter() - t0, 1), "files": files, "units": units,
                   "embedded": report.functions_embedded}


def engine_search(index, mode: str, pool: int = POOL) -> Search:
    """The shipped search: `codesearch query` in a mode, its top `pool` hits."""
    from codesearch.query import Query

    return lambda text: index.search(Query(text, k=pool, mode=mode))


def filerank_files(hits: Sequence) -> list[str]:
    """Files ranked as `query --files` ranks them."""
    from codesearch.search.filerank import rank_files

    return [f.path for f in rank_files(list(hits), K)]


def run(repos: list[Repo], modes: Sequence[str], model: str, threads: int | None, file_order: str,
        save: Path | None = None) -> dict:
    """Index each repository once and score its questions in each mode (saved after each repository when asked)."""
    from codesearch.config import Config
    from codesearch.embed.embedding import load_embedder

    embedder = load_embedder(model, Config(threads=threads))
    out: dict = {"model": model, "date": datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
                 "machine": f"{platform.node()} {platform.machine()} {platform.processor() or ''}".strip(),
                 "files": file_order, "repos": {}, "scores": {m: {} for m in modes}}
    for repo in repos:
        questions = load_questions(repo.name)
        if not questions:
            continue
        print(f"{repo.name}: indexing", file=sys.stderr, flush=True)
        index, info = open_index(repo, embedder, model, threads)
        with index:
            out["repos"][repo.name] = {"language": repo.language, "split": repo.split, "questions": len(questions), **info}
            print(f"{repo.name}: {info}", file=sys.stderr, flush=True)
            for mode in modes:
                rows = score_questions(engine_search(index, mode), questions,
                                       filerank_files if file_order == "filerank" else None)
                out["scores"][mode][repo.name] = rows
                m = repo_means(rows)
                print(f"{repo.name:<14} {mode:<9} file NDCG {m['file']['ndcg']:.3f}  unit NDCG {m['unit']['ndcg']:.3f}",
                      file=sys.stderr, flush=True)
        if save:  # a long run interrupted still leaves the repositories it finished
            save.write_text(json.dumps(out, indent=1))
    return out


# -- reporting ---------------------------------------------------------------------------------------------
def _repos_of(run_: dict) -> dict[str, Repo]:
    from repos import BY_NAME

    return {name: BY_NAME[name] for name in run_["repos"]}


def _fmt(x: float | None) -> str:
    return "–" if x is None else f"{x:.3f}"


def summary_table(run_: dict, level: str, metric: str) -> str:
    """Rows: split x (all, each category, each language); columns: the modes."""
    repos, modes = _repos_of(run_), list(run_["scores"])
    lines = [f"| split | group | repos | " + " | ".join(modes) + " |", "|---" * (len(modes) + 3) + "|"]
    present = [sp for sp in SPLITS + EXTRA_SPLITS if any(r.split == sp for r in repos.values())]
    for split in present + (["all"] if len(present) > 1 else []):  # "all" repeats a lone split: left out
        sp = None if split == "all" else split
        groups = [("all", {})] + [(c, {"category": c}) for c in CATEGORIES] + [(lang, {"language": lang}) for lang in LANGUAGES]
        for label, kw in groups:
            cells = [group_means(run_["scores"][m], repos, split=sp, **kw) for m in modes]
            if all(c is None for c in cells):
                continue
            n = next(c["repos"] for c in cells if c)
            lines.append(f"| {split} | {label} | {n} | " + " | ".join(_fmt(c and c[level][metric]) for c in cells) + " |")
    return "\n".join(lines)


def repo_table(run_: dict) -> str:
    """One row per repository: questions, units, index time, file- and unit-level NDCG@10 per mode."""
    modes = list(run_["scores"])
    head = [f"file NDCG {m}" for m in modes] + [f"unit NDCG {m}" for m in modes]
    lines = ["| repository | language | split | questions | units | " + " | ".join(head) + " |", "|---" * (len(head) + 5) + "|"]
    for name, info in run_["repos"].items():
        means = [repo_means(run_["scores"][m].get(name, [])) for m in modes]
        cells = [_fmt(x and x["file"]["ndcg"]) for x in means] + [_fmt(x and x["unit"]["ndcg"]) for x in means]
        lines.append(f"| {name} | {info['language']} | {info['split']} | {info['questions']} | {info['units']} | "
                     + " | ".join(cells) + " |")
    return "\n".join(lines)


def render(run_: dict) -> str:
    """Markdown: the per-repository table, then NDCG/MRR/recall at both levels by split, category and language."""
    out = [f"Model {run_['model']}, {run_['date']}, {run_['machine']}; file ranking: {run_['files']}.\n", repo_table(run_)]
    for level in LEVELS:
        for metric in METRICS:
            out.append(f"\n### {level} level, {metric.upper()}@10 (mean over repositories)\n\n" + summary_table(run_, level, metric))
    return "\n".join(out)


def merge_runs(runs: list[dict]) -> dict:
    """One run from several saved parts of the same model and file ranking (repositories measured separately)."""
    first = runs[0]
    if any((r["model"], r["files"], list(r["scores"])) != (first["model"], first["files"], list(first["scores"])) for r in runs):
        raise SystemExit("these saved runs differ in model, file ranking or modes: report them separately")
    out = {**first, "date": " / ".join(dict.fromkeys(r["date"] for r in runs)), "repos": {},
           "scores": {m: {} for m in first["scores"]}}
    for r in runs:
        out["repos"].update(r["repos"])
        for m, per_repo in r["scores"].items():
            out["scores"][m].update(per_repo)
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--repos", help="comma-separated names from benchmarks/repos.py (default: all with questions)")
    ap.add_argument("--split", choices=SPLIT_CHOICES, default="all")
    ap.add_argument("--mode", nargs="*", choices=MODES, default=list(MODES))
    ap.add_argument("--model", default="minilm")
    ap.add_argument("--threads", type=int, default=None, help="torch threads (1 on a crowded machine)")
    ap.add_argument("--files", choices=("hits", "filerank"), default="hits",
                    help="file ranking: distinct files of the hits in order (default) or as `query --files` ranks them")
    ap.add_argument("--save", type=Path, help="write per-question scores as JSON here")
    ap.add_argument("--report", type=Path, nargs="*",
                    help="print markdown tables of saved runs (parts of one run: same model and modes) and exit")
    args = ap.parse_args()
    if args.report:
        print(render(merge_runs([json.loads(p.read_text()) for p in args.report])))
        return
    result = run(selected(args.repos, args.split), args.mode, args.model, args.threads, args.files, args.save)
    print(render(result))


if __name__ == "__main__":
    main()
