"""The interim static tier: how much a first index loses by answering from the tokens that carry most of the
pooling weight before the rare ones are distilled (codesearch.embed.static.INTERIM_MASS).

A cold first index distils every distinct token its units use before the static tier can answer (17k tokens,
~45 s with udever-560m's shape on 2 cores). StaticEmbedder.interim_split orders the missing tokens by the
pooling weight they carry (occurrences x SIF x IDF) and publishes an interim tier pooled from the first ones
once they carry a share `mass` of the index's weight; the rest follow and every function is pooled again.
This measures that interim tier on the whole-repository benchmark (indexes kept by whole_repo.py), cold (an
in-memory token store: nothing cached), for each mass asked: static alone and the default hybrid mode before
the model has embedded anything (lexical + static), file-level NDCG@10 like whole_repo.py. Mass 1 is the full
static tier; lexical alone is the floor an interim tier must stay above.

Usage:
  python benchmarks/static_interim.py --split tune --masses 0.6,0.7,0.8,0.9,1 [--repos a,b] [--save OUT.json]
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).parent))
from rank_variants import OncePerQuestion  # noqa: E402
from repos import CATEGORIES, SPLIT_CHOICES, load_questions, selected  # noqa: E402
from static_tier import WithoutModel  # noqa: E402
from whole_repo import open_index, repo_means, score_questions  # noqa: E402

from codesearch.config import Config  # noqa: E402
from codesearch.embed import static as static_module  # noqa: E402
from codesearch.embed.embedding import load_embedder  # noqa: E402
from codesearch.embed.static import StaticEmbedder  # noqa: E402
from codesearch.parse.documents import document_text  # noqa: E402
from codesearch.query import Query  # noqa: E402
from codesearch.search.ranking import RankingOptions  # noqa: E402
from codesearch.search.searcher import Searcher  # noqa: E402
from codesearch.search.tiers import StaticTier  # noqa: E402
from codesearch.store.embedcache import MemoryTokens  # noqa: E402


class HeldTier(StaticTier):
    """A static tier whose function vectors are held in memory (an interim tier pooled here), over every unit."""

    def __init__(self, embedder: StaticEmbedder, labels: np.ndarray, matrix: np.ndarray) -> None:
        super().__init__(embedder, None)
        self.labels, self.matrix = labels, matrix

    def _vectors(self, catalog):  # noqa: D401 - the same triple StaticTier reads from the catalog
        return self.labels, self.matrix, np.zeros(len(self.labels), dtype=bool)


def interim_tier(model, rows: dict, mass: float) -> tuple[HeldTier, dict]:
    """The tier a cold first index publishes first at this mass, and what it took (tokens distilled / all)."""
    static = StaticEmbedder(model, MemoryTokens())
    ids = static.token_ids([document_text(r) for r in rows.values()])
    saved, static_module.INTERIM_MASS = static_module.INTERIM_MASS, mass
    try:
        first, later = static.interim_split(ids)
    finally:
        static_module.INTERIM_MASS = saved
    static.vectors_of(first)
    static.stats = static.stats_of_ids(ids, held_only=bool(later))
    matrix = static.embed_token_ids(ids, held_only=bool(later))
    labels = np.array(list(rows), dtype=np.int64)
    return HeldTier(static, labels, matrix), {"distilled": len(first), "tokens": len(first) + len(later)}


def run(repos, model: str, masses: list[float]) -> dict:
    embedder = OncePerQuestion(load_embedder(model, Config()))
    out: dict = {"model": model, "repos": {}}
    for repo in repos:
        questions = load_questions(repo.name)
        index, _ = open_index(repo, embedder.inner, model)
        with index:
            store, opts = index.store, RankingOptions()
            catalog = store.catalog
            rows = catalog.get_functions(catalog.embeddable_ids())
            result = {"lexical": score_questions(
                lambda t: Searcher(store, embedder, opts).search(Query(t, k=50, mode="lexical")), questions)}
            costs = {}
            for mass in masses:
                tier, costs[str(mass)] = interim_tier(embedder.inner, rows, mass)
                for label, mode in (("static", "semantic"), ("hybrid lexical+static", "hybrid")):
                    searcher = WithoutModel(store, embedder, opts, static=tier)
                    result[f"{label} @{mass}"] = score_questions(
                        lambda t: searcher.search(Query(t, k=50, mode=mode)), questions)
            out["repos"][repo.name] = {"split": repo.split, "rows": result, "costs": costs}
        print(f"{repo.name:<14} " + "  ".join(f"{n}: {repo_means(r)['file']['ndcg']:.3f}" for n, r in result.items())
              + f"  distilled: {costs}", file=sys.stderr, flush=True)
    return out


def table(result: dict) -> str:
    """Markdown: file NDCG@10 per split and category for each configuration, and the share of tokens distilled."""
    configs = list(next(iter(result["repos"].values()))["rows"])
    lines = ["| split | category | " + " | ".join(configs) + " |", "|---" * (len(configs) + 2) + "|"]
    for split in ("tune", "report", "fresh"):
        repos = [r for r in result["repos"].values() if r["split"] == split]
        if not repos:
            continue
        for category in (None, *CATEGORIES):
            cells = []
            for name in configs:
                xs = [m["file"]["ndcg"] for r in repos if (m := repo_means(r["rows"][name], category))]
                cells.append(f"{sum(xs) / len(xs):.3f}" if xs else "nan")
            lines.append(f"| {split} ({len(repos)}) | {category or 'all'} | " + " | ".join(cells) + " |")
        shares = {m: np.mean([r["costs"][m]["distilled"] / max(r["costs"][m]["tokens"], 1) for r in repos])
                  for m in next(iter(repos))["costs"]}
        lines.append(f"| {split} | tokens distilled before the interim tier | "
                     + ", ".join(f"@{m}: {s:.0%}" for m, s in shares.items()) + " |")
    return "\n".join(lines)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--split", choices=SPLIT_CHOICES, default="tune")
    ap.add_argument("--repos", default=None)
    ap.add_argument("--model", default="minilm")
    ap.add_argument("--masses", default="0.6,0.7,0.8,0.9,1")
    ap.add_argument("--save", type=Path)
    args = ap.parse_args()
    masses = [float(m) for m in args.masses.split(",") if m]
    result = run([r for r in selected(args.repos, args.split) if load_questions(r.name)], args.model, masses)
    if args.save:
        args.save.write_text(json.dumps(result, indent=1))
    print(table(result))


if __name__ == "__main__":
    main()
