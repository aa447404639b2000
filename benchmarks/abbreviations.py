"""Questions in full words, code in abbreviations: the whole-repository benchmark with a question's words'
usual abbreviations (`cfg` for "configuration", codesearch.query.ABBREVIATIONS) searched at a few weights.

Each weight runs the shipped engine (benchmarks/whole_repo.py) with `Bm25.abbreviation_weight` set to it
(0 = off); one saved run per weight, to compare with `whole_repo.py --report`. Choose on `--split tune` only.

Usage:
  python benchmarks/abbreviations.py --split tune --weights 0 0.5 1 --out DIR [--mode lexical hybrid] [--words]
  python benchmarks/abbreviations.py --split tune --count     # questions that get an abbreviation, per split
  python benchmarks/abbreviations.py --diff OFF.json ON.json --mode hybrid   # the questions that moved
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
import whole_repo  # noqa: E402
from repos import SPLIT_CHOICES, load_questions, selected  # noqa: E402


def with_weight(weight: float, synonyms: bool = True, max_share: float | None = None) -> None:
    """Make every Searcher the engine builds use the shipped ranking with this abbreviation weight (and shape,
    and the share of units above which an abbreviation is left out; None: the shipped one)."""
    from codesearch.search import searcher
    from codesearch.search.ranking import RankingOptions

    base = RankingOptions()
    share = base.bm25.abbreviation_max_share if max_share is None else max_share
    searcher.RankingOptions = lambda: replace(base, bm25=replace(base.bm25, abbreviation_weight=weight,
                                                                abbreviation_synonyms=synonyms,
                                                                abbreviation_max_share=share))  # type: ignore[assignment]


def count(split: str) -> None:
    """Print how many questions of each repository get at least one abbreviation, and which."""
    from codesearch.query import QueryTerms

    total = hit = 0
    for repo in selected(None, split):
        for q in load_questions(repo.name):
            terms = QueryTerms.parse(q["query"])
            total += 1
            if terms.abbreviations:
                hit += 1
                short = " ".join(a for _, group in terms.abbreviations for a in group)
                print(f"{repo.name:<12} {q['category']:<13} {short:<20} {q['query']}")
    print(f"{hit} of {total} questions get an abbreviation")


def diff(before: Path, after: Path, mode: str) -> None:
    """Print every question whose file NDCG@10 moved between two saved runs, worst first, with its abbreviations."""
    from codesearch.query import QueryTerms

    a, b = json.loads(before.read_text()), json.loads(after.read_text())
    rows = []
    for repo, qs in a["scores"][mode].items():
        for x, y in zip(qs, b["scores"][mode].get(repo, [])):
            moved = y["file"]["ndcg"] - x["file"]["ndcg"]
            if abs(moved) > 1e-9:
                short = " ".join(s for _, group in QueryTerms.parse(x["query"]).abbreviations for s in group)
                rows.append((moved, repo, x["category"], short, x["query"]))
    for moved, repo, category, short, query in sorted(rows):
        print(f"{moved:+.3f} {repo:<12} {category:<12} [{short}] {query}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--split", choices=SPLIT_CHOICES, default="tune")
    ap.add_argument("--repos", help="comma-separated names (default: all of the split)")
    ap.add_argument("--weights", type=float, nargs="*", default=[0.0, 0.5, 1.0])
    ap.add_argument("--mode", nargs="*", choices=whole_repo.MODES, default=["lexical", "hybrid"])
    ap.add_argument("--out", type=Path, default=Path("/tmp"))
    ap.add_argument("--words", action="store_true", help="abbreviations as query words of their own, not synonyms")
    ap.add_argument("--max-share", type=float, nargs="*", default=[None],
                    help="shares of units above which an abbreviation is left out (default: the shipped one)")
    ap.add_argument("--count", action="store_true", help="only list the questions that get abbreviations")
    ap.add_argument("--diff", type=Path, nargs=2, metavar=("BEFORE", "AFTER"),
                    help="list the questions that moved between two saved runs (in the first --mode) and exit")
    args = ap.parse_args()
    if args.diff:
        diff(*args.diff, args.mode[0])
        return
    if args.count:
        count(args.split)
        return
    args.out.mkdir(parents=True, exist_ok=True)
    for weight in args.weights:
        for share in args.max_share:
            with_weight(weight, not args.words, share)
            cap = "" if share is None else f"-cap{share:g}"
            save = args.out / f"abbrev-{args.split}-{'words' if args.words else 'syn'}-w{weight:g}{cap}.json"
            result = whole_repo.run(selected(args.repos, args.split), args.mode, "minilm", None, "hits", save)
            save.write_text(json.dumps(result, indent=1))
            print(f"weight {weight:g}, max share {share}: saved {save}", file=sys.stderr, flush=True)


if __name__ == "__main__":
    main()
