"""The static tier against the model it is distilled from, on the whole-repository benchmark.

Builds each corpus copy as benchmarks/repo_search.py does (same seeded sample, blanked doc comments,
same targets and hand questions), indexes it through engine.Index (lexical pass, static tier, model),
then answers every query set under these rankings (the shipped signals, RankingOptions()):

- `lexical`:                       words only (what a first index had before the static tier);
- `static`:                        the static tier alone, over every function;
- `model`:                         the model's own vectors (semantic mode);
- `hybrid lexical+static`:         a first index before the model embeds anything;
- `hybrid lexical+model`:          the shipped hybrid once the model covers everything;
- `hybrid lexical+model+static`:   the same with the static tier kept as a third ranking everywhere
                                   (RankingOptions.static_everywhere: on only if it helps here).

Also reports the static tier's cost: tokens distilled, seconds to distil them and to pool every
function. Prints NDCG@10 / MRR@10 (function level) per corpus; --save writes JSON.

Usage:
  nice -n 10 python benchmarks/static_tier.py --corpus ruby=/usr/lib/ruby/3.1.0 --functions 1000 --targets 150 \\
      [--model minilm] [--threads 1] [--save FILE.json]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
import time
from pathlib import Path

from repo_search import CACHE, QUERIES, CachedQueries, build_copy, function_rank, name_targets, scores
from codesearch.config import Config
from codesearch.embed.embedding import load_embedder
from codesearch.embed.static import StaticEmbedder
from codesearch.engine import Index
from codesearch.query import Query
from codesearch.search.filerank import function_budget
from codesearch.search.ranking import RankingOptions
from codesearch.search.searcher import Searcher
from codesearch.search.tiers import StaticTier
from codesearch.store.embedcache import MemoryTokens

K = 10


class WithoutModel(Searcher):
    """The shipped searcher before the model has embedded anything: no dense ranking of its own."""

    def dense(self, query: str, n: int, allowed):  # noqa: D401 - same signature as Searcher.dense
        return []


def evaluate(searcher: Searcher, targets, mode: str) -> dict[str, float]:
    """Function-level MRR@10 / recall@10 / NDCG@10 of one ranking over one query set."""
    ranks = [function_rank(searcher.search(Query(t.query, k=function_budget(K), mode=mode))[:K], t) for t in targets]
    return scores(ranks)


def run_corpus(language: str, root: Path, args, embedder: CachedQueries) -> dict:
    hand_file = QUERIES / f"{language}.json"
    hand = json.loads(hand_file.read_text()) if hand_file.exists() else []
    hand = hand if all((root / q["path"]).is_file() for q in hand) else []  # written for another tree
    key = hashlib.blake2b(json.dumps([str(root.resolve()), args.functions, args.targets, args.model, hand, "static",
                                      args.precision])
                          .encode(), digest_size=6).hexdigest()
    work = CACHE / f"static-{language}-{key}"
    targets, hand_targets, n_functions = build_copy(root, language, work / "tree", args.targets, args.functions, hand)
    print(f"{language}: {n_functions} functions, {len(targets)} targets, {len(hand_targets)} hand", file=sys.stderr)
    # the index's own cache only: fp32 and int8 vectors share a model id, so the user's cache would mix them
    with Index.create(work / "tree", Config(static_tier=False, shared_cache=False), embedder=embedder.inner) as index:
        index.sync()  # the model's vectors (kept between runs); the static tier is measured below, from cold
        static = StaticEmbedder(embedder.inner, MemoryTokens())  # cold: every token distilled in this run
        rows = index.store.catalog.get_functions(index.store.catalog.function_ids())
        from codesearch.parse.documents import document_text

        texts = {r.text_hash: document_text(r) for r in rows.values()}
        t0 = time.perf_counter()
        static.stats = stats = static.stats_for(list(texts.values()))  # distils every token the functions use
        distil_s = time.perf_counter() - t0
        t1 = time.perf_counter()
        vectors = static.embed_documents(list(texts.values()))
        pool_s = time.perf_counter() - t1
        catalog = index.store.catalog
        with catalog.transaction():
            catalog.put_vectors(static.model_id, list(texts), vectors)
            catalog.put_static_stats(static.model_id, stats.functions, stats.tokens, stats.counts, stats.mean)
        everywhere = StaticTier(static, None)  # covers nothing of the model's: ranks every function
        shipped = RankingOptions()
        sets = {"sentences": targets, "hand": hand_targets, "names": name_targets(targets)}
        runs = {
            "lexical": (Searcher(index.store, embedder, shipped), "lexical"),
            "static": (WithoutModel(index.store, embedder, shipped, static=everywhere), "semantic"),
            "model": (Searcher(index.store, embedder, shipped), "semantic"),
            "hybrid lexical+static": (WithoutModel(index.store, embedder, shipped, static=everywhere), "hybrid"),
            "hybrid lexical+model": (Searcher(index.store, embedder, shipped), "hybrid"),
            "hybrid lexical+model+static": (Searcher(index.store, embedder, shipped.with_(static_everywhere=True),
                                                     static=StaticTier(static, index.store.model_id)), "hybrid"),
        }
        result = {"functions": n_functions, "tokens": len(stats.tokens), "distil_s": round(distil_s, 2),
                  "pool_s": round(pool_s, 3), "configs": {}}
        for name, (searcher, mode) in runs.items():
            row = {qs: evaluate(searcher, ts, mode) for qs, ts in sets.items() if ts}
            result["configs"][name] = row
            print(f"{language:<10} {name:<30} " + " ".join(f"{qs}:{row[qs]['ndcg']:5.1f}" for qs in row), file=sys.stderr)
    return result


def render(runs: dict) -> str:
    """Markdown: NDCG@10 and MRR@10 per configuration, corpus and query set (plus the mean over sets)."""
    langs = list(runs)
    names = list(next(iter(runs.values()))["configs"])
    out = []
    for metric in ("ndcg", "mrr"):
        out += [f"\n{metric.upper()}@10 (function level; mean over the query sets of each corpus)\n",
                "| configuration | " + " | ".join(langs) + " | avg |", "|---" * (len(langs) + 2) + "|"]
        for name in names:
            vals = []
            for lang in langs:
                row = runs[lang]["configs"][name]
                vals.append(sum(row[qs][metric] for qs in row) / len(row))
            out.append(f"| {name} | " + " | ".join(f"{v:.1f}" for v in vals) + f" | {sum(vals) / len(vals):.1f} |")
    out.append("\n| corpus | functions | distinct tokens | distil s (cold) | pool all s |\n|---|---|---|---|---|")
    out += [f"| {lang} | {r['functions']} | {r['tokens']} | {r['distil_s']} | {r['pool_s']} |" for lang, r in runs.items()]
    return "\n".join(out)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--corpus", action="append", default=[], help="LANG=DIR (repeatable)")
    ap.add_argument("--model", default="minilm")
    ap.add_argument("--targets", type=int, default=120)
    ap.add_argument("--functions", type=int, default=600)
    ap.add_argument("--threads", type=int, default=None)
    ap.add_argument("--precision", choices=["fp32", "int8"], default="fp32", help="the model's weights (CPU)")
    ap.add_argument("--save", type=Path)
    ap.add_argument("--report", type=Path, nargs="*", help="print the tables of saved runs and exit")
    args = ap.parse_args()
    if args.report:
        merged = {f"{k} {run.get('precision', 'fp32')}": v for p in args.report
                  for run in [json.loads(p.read_text())] for k, v in run["results"].items()}
        print(render(merged))
        return
    embedder = CachedQueries(load_embedder(args.model, Config(threads=args.threads, precision=args.precision)))
    runs = {lang: run_corpus(lang, Path(folder), args, embedder)
            for lang, folder in (spec.partition("=")[::2] for spec in args.corpus)}
    if args.save:
        args.save.write_text(json.dumps({"model": args.model, "precision": args.precision, "results": runs}, indent=1))
    print(render(runs))


if __name__ == "__main__":
    main()
