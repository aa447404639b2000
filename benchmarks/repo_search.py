"""Whole-repository search: does the shipped ranking find the right function first among all of a tree's code?

From a source tree: sample functions whose doc comment's first sentence has at least 5 words (the
targets); write a copy of a sample of the tree (tests and all) in which those doc comments are blanked
without moving any line (comment text replaced by spaces, newlines kept), so targets keep their
lines and the answer does not contain the query; index the copy through engine.Index; run each
sentence as a query through the shipped Searcher under each ranking configuration; report MRR@10,
recall@10 and NDCG@10 at function level (a hit sharing at least half of its and the target's lines)
and at file level
(files ranked by codesearch.search.filerank, as `query --files` does), plus index time.

A second query set is hand-written questions (benchmarks/queries/<language>.json: query, path,
qualified name), answered against the same index; a third is each sentence target's name respelled
(`parseConfig` as `parse_config` and back), the identifier queries symbol lookup is for.

Usage:
  python benchmarks/repo_search.py --corpus python=/usr/lib/python3.11 --corpus go=/usr/share/go-1.19/src \\
      [--tune] [--model minilm] [--targets 300] [--functions 3000] [--save FILE.json]
  python benchmarks/repo_search.py --report FILE.json ...   # markdown tables of saved runs
"""

from __future__ import annotations

import argparse
import json
import math
import random
import re
import hashlib
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from codesearch.config import Config
from codesearch.engine import Index
from codesearch.embed.embedding import load_embedder
from codesearch.search.filerank import function_budget, rank_files
from codesearch.parse.parsing import Unit
from codesearch.query import Hit, Query
from codesearch.search.ranking import MINIFIED_LINE, PLAIN, RankingOptions
from codesearch.search.searcher import Searcher
from codesearch.parse.sources import read_units
from codesearch.parse.walk import walk

HERE = Path(__file__).parent
QUERIES = HERE / "queries"
CACHE = HERE / ".cache" / "repo-search"
SEED = 0
K = 10
MIN_WORDS = 5


@dataclass(frozen=True)
class Target:
    """A function to find: where it is, and the question that should find it."""

    query: str
    path: str
    spans: tuple[tuple[int, int], ...]  # (first, last line) of each right answer (overloads share a name)
    name: str


# -- corpus ------------------------------------------------------------------------------------------------
def first_sentence(doc: str) -> str:
    """The doc comment's first sentence, on one line (tag lines like @param dropped)."""
    text = " ".join(line.strip() for line in doc.split("\n\n", 1)[0].splitlines() if not line.strip().startswith("@"))
    m = re.search(r"^(.+?[.!?])(\s|$)", text)
    return (m.group(1) if m else text).strip()


def sample_files(root: Path, language: str, functions: int, must: set[str]) -> dict[str, list[Unit]]:
    """Files of one language, seeded-shuffled, taken until they hold about `functions` functions (plus `must`)."""
    files = [f for f in walk(root) if f.language == language]
    random.Random(SEED).shuffle(files)
    files.sort(key=lambda f: f.rel not in must)  # stable: the hand-written queries' files first
    chosen: dict[str, list[Unit]] = {}
    total = 0
    for f in files:
        if total >= functions and f.rel not in must:
            break
        try:
            units = read_units(f.path, f.rel, language)
        except OSError:
            continue
        if units:
            chosen[f.rel] = units
            total += len(units)
    return chosen


def minified(path: Path) -> bool:
    """A file with a line longer than a person writes: many functions share a line, so lines cannot tell them apart."""
    with open(path, encoding="utf-8", errors="replace") as fh:
        return any(len(line) > MINIFIED_LINE for line in fh)


_COMMENT_LINE = re.compile(r"^\s*(//+|#+|/\*\*?|\*(?!/)|\*/|=begin|=end)")


def blank(text: str) -> str:
    """Text with every character but whitespace, comment markers and quotes made a space: lines never move."""
    return re.sub(r"[^\s*/#\"'`]", " ", text)


def blank_doc(lines: list[str], unit: Unit) -> bool:
    """Blank a unit's doc comment in place (lines of its file); False when it cannot be located."""
    if unit.language == "python":
        body = "\n".join(lines[unit.start_line - 1 : unit.end_line])
        m = re.search(r'("""|\'\'\'|"|\')(.*?)\1', body, re.DOTALL)
        if not m or first_sentence(unit.docstring).split()[0] not in m.group(2):
            return False
        start = len("\n".join(lines[: unit.start_line - 1])) + (1 if unit.start_line > 1 else 0) + m.start(2)
        whole = "\n".join(lines)
        whole = whole[:start] + blank(m.group(2)) + whole[start + len(m.group(2)):]
        lines[:] = whole.split("\n")
        return True
    row = unit.start_line - 2
    while row >= 0 and not _COMMENT_LINE.match(lines[row]) and lines[row].strip().startswith("@"):
        row -= 1  # annotations between the doc and the definition
    found = False
    while row >= 0 and _COMMENT_LINE.match(lines[row]):
        marker = _COMMENT_LINE.match(lines[row]).end()
        line = lines[row]
        tail = "*/" if line.rstrip().endswith("*/") and len(line.rstrip()) - 2 >= marker else ""
        body = line[marker : len(line.rstrip()) - len(tail)] if tail else line[marker:]
        lines[row] = line[:marker] + " " * len(body) + (tail + line[len(line.rstrip()):] if tail else "")
        found = True
        if line.lstrip().startswith("/*"):
            break
        row -= 1
    return found


def build_copy(root: Path, language: str, dest: Path, targets: int, functions: int,
               hand: list[dict]) -> tuple[list[Target], list[Target], int]:
    """Write the sampled tree with targets' docs blanked; (sentence targets, hand targets, functions copied)."""
    chosen = sample_files(root, language, functions, {q["path"] for q in hand})
    candidates = [(rel, u) for rel, units in chosen.items() for u in units
                  if len(first_sentence(u.docstring).split()) >= MIN_WORDS and not minified(root / rel)]
    rng = random.Random(SEED)
    picked = rng.sample(candidates, min(targets, len(candidates)))
    by_file: dict[str, list[Unit]] = {}
    for rel, u in picked:
        by_file.setdefault(rel, []).append(u)
    kept: list[Target] = []
    for rel in chosen:
        text = (root / rel).read_text(encoding="utf-8", errors="replace")
        lines = text.split("\n")
        done = [u for u in by_file.get(rel, []) if blank_doc(lines, u)]
        out = dest / rel
        out.parent.mkdir(parents=True, exist_ok=True)
        blanked = "\n".join(lines)
        if not out.exists() or out.read_text(encoding="utf-8") != blanked:  # unchanged files keep their index entry
            out.write_text(blanked, encoding="utf-8")
        if done:  # keep only targets whose doc is gone and whose lines did not move
            after = {(u.qualified_name, u.start_line): u for u in read_units(out, rel, language)}
            for u in done:
                again = after.get((u.qualified_name, u.start_line))
                if again is not None and not set(first_sentence(u.docstring).split()[:3]) <= set(again.docstring.split()):
                    kept.append(Target(first_sentence(u.docstring), rel, ((u.start_line, u.end_line),), u.qualified_name))
    hand_targets = []
    for q in hand:
        spans = tuple((u.start_line, u.end_line) for u in chosen.get(q["path"], []) if u.qualified_name == q["name"])
        if not spans:
            raise SystemExit(f"hand query {q['query']!r}: no {q['name']} in {q['path']}")
        hand_targets.append(Target(q["query"], q["path"], spans, q["name"]))
    return kept, hand_targets, sum(len(u) for u in chosen.values())


# -- measuring ----------------------------------------------------------------------------------------------
class CachedQueries:
    """An embedder that embeds each query once across configurations (the ranking is what we measure)."""

    def __init__(self, embedder) -> None:
        self.inner = embedder
        self.cache: dict[str, object] = {}

    def embed_queries(self, texts: list[str]):
        missing = list(dict.fromkeys(t for t in texts if t not in self.cache))
        for start in range(0, len(missing), 64):  # batched: one forward pass per 64 queries
            part = missing[start : start + 64]
            for t, v in zip(part, self.inner.embed_queries(part)):
                self.cache[t] = v
        return [self.cache[t] for t in texts]

    def __getattr__(self, name: str):
        return getattr(self.inner, name)


def respelled(name: str) -> str | None:
    """The function's name as a user might type it: snake_case <-> camelCase (None for one-word names)."""
    from codesearch.parse.lexical import split_identifier

    last = re.split(r"::|->|#|\\|\.", name)[-1]
    parts = split_identifier(last)
    if len(parts) < 2:
        return None
    if "_" in last:
        return parts[0] + "".join(p.capitalize() for p in parts[1:])
    return "_".join(parts)


def name_targets(targets: list[Target]) -> list[Target]:
    """The third query set: each target's name respelled, which only symbol lookup reads as a name."""
    out = []
    for t in targets:
        query = respelled(t.name)
        if query:
            out.append(Target(query, t.path, t.spans, t.name))
    return out


def overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    """Two line ranges share at least half of their union: the same function, not one that merely encloses it."""
    shared = min(a[1], b[1]) - max(a[0], b[0]) + 1
    return shared > 0 and shared >= 0.5 * (max(a[1], b[1]) - min(a[0], b[0]) + 1)


def function_rank(hits: list[Hit], t: Target) -> int | None:
    """Rank of the first hit on the target (line overlap in the same file), None when not in the list."""
    for i, h in enumerate(hits, start=1):
        if h.path == t.path and any(overlaps((h.start_line, h.end_line), span) for span in t.spans):
            return i
    return None


def scores(ranks: list[int | None]) -> dict[str, float]:
    """MRR@10, recall@10, NDCG@10 (one relevant item per query), x100."""
    n = max(len(ranks), 1)
    top = [r for r in ranks if r is not None and r <= K]
    return {"mrr": 100 * sum(1 / r for r in top) / n, "recall": 100 * len(top) / n,
            "ndcg": 100 * sum(1 / math.log2(r + 1) for r in top) / n}


def evaluate(searcher: Searcher, targets: list[Target], mode: str) -> dict[str, dict[str, float]]:
    fn_ranks, file_ranks = [], []
    for t in targets:
        hits = searcher.search(Query(t.query, k=function_budget(K), mode=mode))
        fn_ranks.append(function_rank(hits[:K], t))
        files = [f.path for f in rank_files(hits, K)]
        file_ranks.append(files.index(t.path) + 1 if t.path in files else None)
    return {"function": scores(fn_ranks), "file": scores(file_ranks)}


# The tuning grid: every non-main factor x name weight at pool 50, and the pool sizes at the middle factor
# (pool barely moves anything; the whole grid runs in a few minutes a language once the copy is indexed).
NON_MAIN_FACTORS = (0.5, 0.7, 0.85, 1.0)
NAME_WEIGHTS = (0.0, 0.1, 0.25, 0.5, 1.0)  # the path weight is half the name weight
POOLS = (25, 100)


def grid_name(f: float, w: float, p: int) -> str:
    return f"hybrid nm={f} nw={w} pool={p}"


def tuning_grid() -> list[tuple[float, float, int]]:
    """(non-main factor, name weight, pool) settings --tune compares."""
    full = [(f, w, 50) for f in NON_MAIN_FACTORS for w in NAME_WEIGHTS]
    return full + [(0.7, w, p) for w in (0.25, 0.5) for p in POOLS]


def configs(kind: str, d: RankingOptions) -> list[tuple[str, str, RankingOptions]]:
    """(name, mode, options): the ablation (plain fusion, each signal alone, all of d) or the tuning grid."""
    if kind == "tune":
        return [(grid_name(f, w, p), "hybrid", d.with_(non_main_factor=f, name_weight=w, path_weight=w / 2, pool=p))
                for f, w, p in tuning_grid()]
    return [
        ("semantic plain", "semantic", PLAIN), ("lexical plain", "lexical", PLAIN), ("hybrid plain (RRF)", "hybrid", PLAIN),
        ("+ non-main penalty", "hybrid", PLAIN.with_(non_main_factor=d.non_main_factor)),
        ("+ name/path match", "hybrid", PLAIN.with_(name_weight=d.name_weight, path_weight=d.path_weight)),
        ("+ symbol lookup", "hybrid", PLAIN.with_(symbols=True)),
        ("+ copies collapsed", "hybrid", PLAIN.with_(dedupe=True)),
        ("semantic all signals", "semantic", d), ("lexical all signals", "lexical", d), ("hybrid all signals", "hybrid", d),
    ]


def run_language(language: str, root: Path, args, embedder, kind: str, chosen: RankingOptions) -> dict:
    """Build, index and query one language's copy under each configuration."""
    hand_file = QUERIES / f"{language}.json"
    hand = json.loads(hand_file.read_text()) if hand_file.exists() else []
    key = hashlib.blake2b(json.dumps([str(root.resolve()), args.functions, args.targets, args.model, hand]).encode(),
                          digest_size=6).hexdigest()
    work = CACHE / f"{language}-{key}"  # kept: a re-run indexes nothing (delete the folder to start over)
    targets, hand_targets, n_functions = build_copy(root, language, work / "tree", args.targets, args.functions, hand)
    print(f"{language}: copied {n_functions} functions, {len(targets)} targets, {len(hand_targets)} hand queries; "
          "indexing", file=sys.stderr, flush=True)
    t0 = time.perf_counter()
    with Index.create(work / "tree", Config(), embedder=embedder.inner) as index:
        report = index.sync()
        index_s = time.perf_counter() - t0
        cold = work / "index-seconds.txt"  # the first (cold) build's time, kept for re-runs that reuse the index
        if report.functions_embedded or not cold.exists():
            cold.write_text(f"{index_s:.1f}")
        index_s = float(cold.read_text())
        print(f"{language}: indexed in {index_s:.1f} s (cold)", file=sys.stderr, flush=True)
        result = {"functions": n_functions, "targets": len(targets), "hand": len(hand_targets),
                  "index_s": round(index_s, 1), "configs": {}}
        names = name_targets(targets)
        embedder.embed_queries([t.query for t in targets + hand_targets + names])
        for name, mode, opts in configs(kind, chosen):
            searcher = Searcher(index.store, embedder, opts)
            row = {"sentences": evaluate(searcher, targets, mode)}
            if hand_targets:
                row["hand"] = evaluate(searcher, hand_targets, mode)
            if names:
                row["names"] = evaluate(searcher, names, mode)
            result["configs"][name] = row
            print(f"{language:<10} {name:<30} " + " ".join(
                f"{qs}:{row[qs]['function']['mrr']:5.1f}/{row[qs]['file']['mrr']:5.1f}" for qs in row), file=sys.stderr)
    return result


def table(results: dict, qs: str, level: str, metric: str) -> str:
    langs = [lang for lang in results if any(qs in row for row in results[lang]["configs"].values())]
    names = list(next(iter(results.values()))["configs"])
    lines = ["| configuration | " + " | ".join(langs) + " | avg |", "|---" * (len(langs) + 2) + "|"]
    for name in names:
        vals = [results[lang]["configs"][name][qs][level][metric] for lang in langs]
        lines.append(f"| {name} | " + " | ".join(f"{v:.1f}" for v in vals) + f" | {sum(vals) / max(len(vals), 1):.1f} |")
    return "\n".join(lines)


def selection_score(row: dict) -> float:
    """What tuning maximises for one language and setting: function-level MRR@10, each query set counting once."""
    sets = [qs for qs in ("sentences", "hand", "names") if qs in row]
    return sum(row[qs]["function"]["mrr"] for qs in sets) / len(sets)


MIN_GAIN = 1.0  # a default changes only when the grid's best beats it by more than this (selection score, MRR points)


def _knobs(opts: RankingOptions) -> dict:
    return {k: v for k, v in opts.__dict__.items() if k in ("pool", "non_main_factor", "name_weight", "path_weight")}


def selection(tuning: dict) -> dict:
    """The grid's best setting, the current default's score, and the pick: the best only if it gains over MIN_GAIN."""
    grid = [c for c in configs("tune", RankingOptions()) if all(c[0] in r["configs"] for r in tuning.values())]
    avg = {c[0]: sum(selection_score(r["configs"][c[0]]) for r in tuning.values()) / len(tuning) for c in grid}
    best = max(grid, key=lambda c: avg[c[0]])
    d = RankingOptions()
    default = grid_name(d.non_main_factor, d.name_weight, d.pool)
    keep = default in avg and avg[best[0]] - avg[default] <= MIN_GAIN
    return {"best": best[0], "best_score": round(avg[best[0]], 2), "default": default,
            "default_score": round(avg.get(default, float("nan")), 2),
            "chosen": _knobs(d) if keep else _knobs(best[2])}


def best_setting(tuning: dict) -> dict:
    """The setting the tuning runs pick (see selection)."""
    return selection(tuning)["chosen"]


def tuning_table(tuning: dict, top: int | None = None) -> str:
    """The grid, best first: function-level MRR@10 per language and query set, and the selection score."""
    langs = list(tuning)
    sets = [qs for qs in ("sentences", "hand", "names") if any(qs in row for r in tuning.values() for row in r["configs"].values())]
    head = [f"{lang} {qs[:4]}" for lang in langs for qs in sets]
    lines = ["| setting | " + " | ".join(head) + " | selection |", "|---" * (len(head) + 2) + "|"]
    rows = []
    for name in next(iter(tuning.values()))["configs"]:
        vals = [tuning[lang]["configs"][name].get(qs, {}).get("function", {}).get("mrr", float("nan")) for lang in langs for qs in sets]
        rows.append((sum(selection_score(tuning[lang]["configs"][name]) for lang in langs) / len(langs), name, vals))
    rows.sort(key=lambda r: -r[0])
    for score, name, vals in rows[:top]:
        lines.append(f"| {name.removeprefix('hybrid ')} | " + " | ".join(f"{v:.1f}" for v in vals) + f" | {score:.1f} |")
    return "\n".join(lines)


def render(saved: list[dict]) -> str:
    """Markdown tables of saved runs (tuning grids and ablations)."""
    out = []
    tuning = {lang: r for run in saved for lang, r in run.get("tuning", {}).items()}
    results = {lang: r for run in saved for lang, r in run.get("results", {}).items()}
    for lang, r in {**tuning, **results}.items():
        out.append(f"- {lang}: {r['functions']} functions, {r['targets']} sentence targets, {r['hand']} hand queries, "
                   f"indexed in {r['index_s']} s")
    if tuning:
        sel = selection(tuning)
        out.append(f"\nTuned on {', '.join(tuning)}: best {sel['best']} ({sel['best_score']}), current default "
                   f"{sel['default']} ({sel['default_score']}); chosen {sel['chosen']} (a default moves only for a gain "
                   f"over {MIN_GAIN} point)")
    for run in saved:
        if run.get("options"):
            out.append(f"\nAblation of {', '.join(run['results'])} with {run['options']}")
    if tuning:
        out.append("\n### Tuning grid (hybrid; function level, MRR@10; selection = mean over query sets and languages), "
                   "best first\n\n" + tuning_table(tuning))
    if results:
        for qs in ("sentences", "hand", "names"):
            for level in ("function", "file"):
                for metric in ("mrr", "recall", "ndcg"):
                    if any(qs in row for r in results.values() for row in r["configs"].values()):
                        out.append(f"\n### {qs}, {level} level, {metric.upper()}@10\n\n" + table(results, qs, level, metric))
    return "\n".join(out)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--corpus", action="append", default=[], help="LANG=DIR (repeatable)")
    ap.add_argument("--model", default="minilm")
    ap.add_argument("--targets", type=int, default=300)
    ap.add_argument("--functions", type=int, default=3000)
    ap.add_argument("--threads", type=int, default=None, help="torch threads (1 on a crowded machine)")
    ap.add_argument("--tune", action="store_true", help="run the grid of weights and pool sizes instead of the ablation, "
                    "and say which wins on these corpora (then report the ablation on others)")
    ap.add_argument("--chosen-from", type=Path, nargs="*", default=[],
                    help="saved --tune runs: the ablation's 'all signals' uses the setting best on average over them")
    ap.add_argument("--save", type=Path, help="write the figures as JSON here")
    ap.add_argument("--report", type=Path, nargs="*", help="print markdown tables of saved runs and exit")
    args = ap.parse_args()
    if args.report:
        print(render([json.loads(p.read_text()) for p in args.report]))
        return
    if not args.corpus:
        ap.error("give at least one --corpus LANG=DIR")
    embedder = CachedQueries(load_embedder(args.model, Config(threads=args.threads)))
    corpora = dict(spec.partition("=")[::2] for spec in args.corpus)
    kind = "tune" if args.tune else "ablation"
    chosen = RankingOptions()
    if args.chosen_from:
        tuned = {lang: r for p in args.chosen_from for lang, r in json.loads(p.read_text())["tuning"].items()}
        chosen = RankingOptions(**best_setting(tuned))
        print(f"chosen on {', '.join(tuned)}: {chosen}", file=sys.stderr)
    figures = {lang: run_language(lang, Path(folder), args, embedder, kind, chosen) for lang, folder in corpora.items()}
    run: dict = {"model": args.model, "targets": args.targets, "functions": args.functions}
    if args.tune:
        run.update(tuning=figures, chosen=best_setting(figures), selection=selection(figures))
    else:
        run.update(results=figures, options=chosen.__dict__)
    if args.save:
        args.save.write_text(json.dumps(run, indent=1))
    print(render([run]))


if __name__ == "__main__":
    main()
