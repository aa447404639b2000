"""Code outside the main code (tests, fixtures, examples, vendored, generated) among the files a search lists, on the
whole-repository benchmark, replayed from each question's kept lists (fusion_variants.py) under RankingOptions variants.

Per split and mode: how many of the first ten files are non-main, how many non-main files (not themselves an answer)
stand above an answer found in the first twenty, the same per language, and file NDCG@10 per category (files in hit
order, mean over repositories), so a change to how non-main code ranks is seen both as crowding and as quality.

Usage:
  python benchmarks/non_main_files.py --split tune [--repos a,b] [--variant "lift_non_main=true"] ...
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
import fusion_variants as fv  # noqa: E402
from rank_variants import based  # noqa: E402
from repos import SPLIT_CHOICES  # noqa: E402
from whole_repo import ranked_files, repo_means, score_questions  # noqa: E402

from codesearch.query import Query  # noqa: E402
from codesearch.search.ranking import RankingOptions, non_main_kind  # noqa: E402

MODES = ("lexical", "semantic", "hybrid")


def crowding(files: list[str], targets: set[str]) -> tuple[int, int]:
    """(non-main files among the first ten, non-main non-answer files above the last answer in the first twenty)."""
    top = sum(1 for f in files[:10] if non_main_kind(f, "", ""))
    found = [i for i, f in enumerate(files[:20]) if f in targets]
    above = sum(1 for f in files[:max(found)] if non_main_kind(f, "", "") and f not in targets) if found else 0
    return top, above


def measure(loaded: list, embedder, opts: RankingOptions, mode: str) -> dict:
    """One variant and mode over the loaded repositories: crowding per language and file NDCG per category."""
    langs: dict[str, list[int]] = {}
    cats: dict[str, list[float]] = {}
    for repo, questions, index, record, _, _ in loaded:
        s = fv.Replayed(index.store, embedder, opts, record=record)
        search = lambda t: s.search(Query(t, k=50, mode=mode))  # noqa: E731
        for q in questions:
            top, above = crowding(ranked_files(search(q["query"])), {t["path"] for t in q["targets"]})
            row = langs.setdefault(repo.language, [0, 0, 0])
            row[0], row[1], row[2] = row[0] + top, row[1] + 1, row[2] + above
        rows = score_questions(search, questions)
        for cat in ("architecture", "semantic", "symbol", None):
            m = repo_means(rows, cat)
            if m:
                cats.setdefault(cat or "all", []).append(m["file"]["ndcg"])
    return {"ndcg": {c: round(sum(v) / len(v), 3) for c, v in cats.items()},
            "top10": sum(r[0] for r in langs.values()), "above_answer": sum(r[2] for r in langs.values()),
            "questions": sum(r[1] for r in langs.values()),
            "languages": {k: {"top10": a, "questions": n, "above_answer": b} for k, (a, n, b) in langs.items()}}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--split", choices=SPLIT_CHOICES, default="tune")
    ap.add_argument("--repos", default=None)
    ap.add_argument("--model", default="minilm")
    ap.add_argument("--variant", action="append", default=[], help="NAME=V[;NAME=V]: RankingOptions changes")
    ap.add_argument("--save", type=Path)
    args = ap.parse_args()
    embedder, loaded = fv.load(args.split, args.repos, args.model)
    out = {}
    for name in ["defaults", *args.variant]:
        opts = RankingOptions() if name == "defaults" else based(name.split(";"))
        for mode in MODES:
            r = out[f"{name} {mode}"] = measure(loaded, embedder, opts, mode)
            print(f"{name:<28} {mode:<9} non-main in top 10: {r['top10']} ({r['questions']} questions), "
                  f"above an answer: {r['above_answer']}  {r['ndcg']}", flush=True)
            if mode == "hybrid":
                print("    per language:", {k: f"{v['top10']} / {v['questions']}q, above {v['above_answer']}"
                                             for k, v in r["languages"].items()}, flush=True)
    fv.LISTS.mkdir(parents=True, exist_ok=True)
    for _, _, index, record, path, _ in loaded:
        path.write_text(json.dumps(record))
        index.close()
    if args.save:
        args.save.write_text(json.dumps({"split": args.split, "model": args.model, "results": out}, indent=1))


if __name__ == "__main__":
    main()
