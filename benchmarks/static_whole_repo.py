"""The static tier on the whole-repository benchmark: how much of the model's meaning it keeps, and whether it
helps a first index (lexical + static) before the model has embedded anything.

For each repository of `benchmarks/repos.py` (indexes kept by `benchmarks/whole_repo.py`, whose syncs give
every unit with a vector a static-tier vector too), the questions are answered five ways through the
shipped Searcher and scored like whole_repo.py (file-level NDCG@10, files in hit order):

- lexical: words only (what a first index answers with before any vector exists);
- static: the static tier alone, over every unit (as if the model had embedded nothing);
- model: the transformer alone (semantic mode, the index fully embedded);
- hybrid lexical+static: the default mode before the model has embedded anything;
- hybrid lexical+model: the default mode once it has.

Usage:
  python benchmarks/static_whole_repo.py [--split tune|report|all] [--repos a,b] [--model minilm] [--save OUT.json]
      [--static-weights 0.5,0.25]   # also lexical+static with these RankingOptions.static_weight values
      [--static-precision int8|fp32] [--indexes DIR]   # tokens distilled through int8 or fp32; a copy of the indexes
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from rank_variants import OncePerQuestion  # noqa: E402
from repos import CATEGORIES, EXTRA_SPLITS, SPLIT_CHOICES, SPLITS, load_questions, selected  # noqa: E402
from static_tier import WithoutModel  # noqa: E402  (the searcher before the model has embedded anything)
import whole_repo  # noqa: E402
from whole_repo import open_index, repo_means, score_questions  # noqa: E402

from codesearch.config import Config  # noqa: E402
from codesearch.embed.embedding import load_embedder  # noqa: E402
from codesearch.embed.static import StaticEmbedder  # noqa: E402
from codesearch.query import Query  # noqa: E402
from codesearch.search.ranking import RankingOptions  # noqa: E402
from codesearch.search.searcher import Searcher  # noqa: E402
from codesearch.search.tiers import StaticTier  # noqa: E402
from codesearch.store.embedcache import TokenCache  # noqa: E402



def searchers(index, embedder, static_weights: list[float]) -> dict[str, tuple[Searcher, str]]:
    """Each configuration's searcher and mode over one index (lexical+static once per static weight tried)."""
    store, opts = index.store, RankingOptions()
    static = StaticEmbedder(embedder.inner, TokenCache.for_config(index.cfg), precision=index.cfg.static_precision)
    everywhere = StaticTier(static, None)  # ranks every unit with a static vector, whatever the model covers
    return {"lexical": (Searcher(store, embedder, opts), "lexical"),
            "static": (WithoutModel(store, embedder, opts, static=everywhere), "semantic"),
            "model": (Searcher(store, embedder, opts), "semantic"),
            "hybrid lexical+static": (WithoutModel(store, embedder, opts, static=everywhere), "hybrid"),
            "hybrid lexical+model": (Searcher(store, embedder, opts), "hybrid"),
            **{f"hybrid lexical+static, static_weight {w}": (
                WithoutModel(store, embedder, opts.with_(static_weight=w), static=everywhere), "hybrid")
               for w in static_weights}}


def run(repos, model: str, static_weights: list[float], precision: str | None = None) -> dict:
    embedder = OncePerQuestion(load_embedder(model, Config()))
    out: dict = {"model": model, "static_precision": precision or "default", "repos": {}}
    for repo in repos:
        questions = load_questions(repo.name)
        index, _ = open_index(repo, embedder.inner, model, static_precision=precision)
        with index:
            rows = {}
            for name, (searcher, mode) in searchers(index, embedder, static_weights).items():
                rows[name] = score_questions(lambda t: searcher.search(Query(t, k=50, mode=mode)), questions)
            out["repos"][repo.name] = {"split": repo.split, "rows": rows}
        print(f"{repo.name:<14} " + "  ".join(f"{n}: {repo_means(r)['file']['ndcg']:.3f}" for n, r in rows.items()),
              file=sys.stderr, flush=True)
    return out


def table(result: dict) -> str:
    """Markdown: file NDCG@10 per split and category for each configuration, and static / model."""
    configs = list(next(iter(result["repos"].values()))["rows"])
    lines = ["| split | category | " + " | ".join(configs) + " | static / model |", "|---" * (len(configs) + 3) + "|"]
    for split in SPLITS + EXTRA_SPLITS:
        repos = [r["rows"] for r in result["repos"].values() if r["split"] == split]
        if not repos:
            continue
        for category in (None, *CATEGORIES):
            means = {}
            for name in configs:
                xs = [m["file"]["ndcg"] for rows in repos if (m := repo_means(rows[name], category))]
                means[name] = sum(xs) / len(xs) if xs else float("nan")
            lines.append(f"| {split} ({len(repos)}) | {category or 'all'} | " + " | ".join(f"{means[n]:.3f}" for n in configs)
                         + f" | {means['static'] / means['model']:.2f}× |")
    return "\n".join(lines)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--split", choices=SPLIT_CHOICES, default="all")
    ap.add_argument("--repos", default=None)
    ap.add_argument("--model", default="minilm")
    ap.add_argument("--save", type=Path)
    ap.add_argument("--static-weights", default="", help="comma-separated static_weight values to try in lexical+static")
    ap.add_argument("--static-precision", choices=("int8", "fp32"), default=None,
                    help="how tokens are distilled (default: the shipped default, int8 on the CPU)")
    ap.add_argument("--indexes", type=Path, default=None,
                    help="where the benchmark's indexes live (default .cache/whole-repo); a copy keeps the shared ones as they are")
    args = ap.parse_args()
    if args.indexes:
        whole_repo.INDEXES = args.indexes
    weights = [float(w) for w in args.static_weights.split(",") if w]
    result = run([r for r in selected(args.repos, args.split) if load_questions(r.name)], args.model, weights,
                 args.static_precision)
    if args.save:
        args.save.write_text(json.dumps(result, indent=1))
    print(table(result))


if __name__ == "__main__":
    main()
