"""Ranking variants on the whole-repository benchmark: lexical, semantic and hybrid under several
RankingOptions, file-level NDCG@10 per category, files in hit order (`query`) and as `--files` ranks them.

Indexes each repository once (whole_repo.open_index: kept under .cache/whole-repo), embeds each question
once, then scores every variant through the shipped Searcher and whole_repo.score_questions. Used to
choose the lexical and fusion defaults on the tuning split and to report them on the reporting split.

Usage:
  python benchmarks/rank_variants.py --split tune [--repos a,b] [--set file_weight=0,0.5,1] [--save OUT.json]
  python benchmarks/rank_variants.py --split tune --modes hybrid --set file_fusion=false   # booleans: true/false
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from repos import CATEGORIES, load_questions, selected  # noqa: E402
from whole_repo import filerank_files, open_index, repo_means, score_questions  # noqa: E402

from codesearch.config import Config  # noqa: E402
from codesearch.embed.embedding import load_embedder  # noqa: E402
from codesearch.query import Query  # noqa: E402
from codesearch.search.ranking import RankingOptions  # noqa: E402
from codesearch.search.searcher import Searcher  # noqa: E402

MODES = ("lexical", "semantic", "hybrid")
FILE_ORDERS = ("hits", "filerank")


class OncePerQuestion:
    """An embedder that embeds each question once across variants (the ranking is what is compared)."""

    def __init__(self, inner) -> None:
        self.inner, self.cache = inner, {}

    def embed_queries(self, texts: list[str]):
        missing = [t for t in dict.fromkeys(texts) if t not in self.cache]
        if missing:
            self.cache.update(zip(missing, self.inner.embed_queries(missing)))
        return [self.cache[t] for t in texts]

    def __getattr__(self, name: str):
        return getattr(self.inner, name)


def summary(per_repo: dict[str, list[dict]], digits: int = 3) -> dict[str, float | None]:
    """File-level NDCG@10: the mean over repositories, of all questions and of each category; and unit-level, of all."""
    out = {}
    for cat in (None, *CATEGORIES):
        means = [m["file"]["ndcg"] for rows in per_repo.values() if (m := repo_means(rows, cat))]
        out[cat or "all"] = round(sum(means) / len(means), digits) if means else None
    units = [m["unit"]["ndcg"] for rows in per_repo.values() if (m := repo_means(rows))]
    out["unit"] = round(sum(units) / len(units), digits) if units else None  # unit-level NDCG@10, all questions
    return out


def _value(opts: RankingOptions, name: str, text: str) -> object:
    """A `--set`/`--base` value as the option's type (booleans from true/false, 1/0, yes/no)."""
    kind = type(getattr(opts, name))
    if kind is bool:
        if text.lower() not in ("true", "false", "1", "0", "yes", "no"):
            raise SystemExit(f"{name} takes true or false, not {text!r}")
        return text.lower() in ("true", "1", "yes")
    return kind(text)


def variants(settings: list[str], base: RankingOptions | None = None) -> list[tuple[str, RankingOptions]]:
    """The base (the defaults unless given), then each `name=v1,v2` setting's values one at a time."""
    base = base or RankingOptions()
    out = [("base", base)]
    for spec in settings:
        name, _, values = spec.partition("=")
        out += [(f"{name}={v}", base.with_(**{name: _value(base, name, v)})) for v in values.split(",")]
    return out


def based(specs: list[str]) -> RankingOptions:
    """The defaults with `name=value` changes: the point the variants move away from."""
    opts = RankingOptions()
    for spec in specs:
        name, _, value = spec.partition("=")
        opts = opts.with_(**{name: _value(opts, name, value)})
    return opts


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--split", choices=("tune", "report", "all"), default="tune")
    ap.add_argument("--repos", default=None)
    ap.add_argument("--set", action="append", default=[], help="NAME=V1,V2: RankingOptions values to compare")
    ap.add_argument("--model", default="minilm")
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--save", type=Path)
    ap.add_argument("--base", action="append", default=[], help="NAME=V: a change to the defaults every variant starts from")
    ap.add_argument("--modes", default=",".join(MODES), help="comma-separated: the modes to score (fusion settings: hybrid)")
    ap.add_argument("--orders", default=",".join(FILE_ORDERS), help="comma-separated: hits (query) and/or filerank (--files)")
    args = ap.parse_args()
    embedder = OncePerQuestion(load_embedder(args.model, Config(threads=args.threads)))
    loaded = []
    for repo in selected(args.repos, args.split):
        questions = load_questions(repo.name)
        if questions:
            index, info = open_index(repo, embedder.inner, args.model, args.threads)
            print(f"{repo.name}: {info}", file=sys.stderr, flush=True)
            embedder.embed_queries([q["query"] for q in questions])
            loaded.append((repo, questions, index))
    results = {}
    for name, opts in variants(args.set, based(args.base)):
        for mode in args.modes.split(","):
            for order in args.orders.split(","):
                per_repo = {}
                for repo, questions, index in loaded:
                    searcher = Searcher(index.store, embedder, opts)
                    per_repo[repo.name] = score_questions(lambda t: searcher.search(Query(t, k=50, mode=mode)), questions,
                                                          filerank_files if order == "filerank" else None)
                results[f"{name} {mode} {order}"] = {"summary": summary(per_repo),
                                                     "repos": {n: round(repo_means(r)["file"]["ndcg"], 3) for n, r in per_repo.items()}}
                print(f"{name:<22} {mode:<9} {order:<9} {results[f'{name} {mode} {order}']['summary']}", flush=True)
    for _, _, index in loaded:
        index.close()
    if args.save:
        args.save.write_text(json.dumps({"split": args.split, "model": args.model, "results": results}, indent=1))


if __name__ == "__main__":
    main()
