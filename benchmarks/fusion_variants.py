"""Fusion variants on the whole-repository benchmark, replayed from each question's retrieved lists.

Each question's candidate lists (meaning, the static tier over every unit, words, named symbols) are
retrieved once through the shipped Searcher and kept under .cache/fusion-lists; every variant then runs
the shipped Searcher.search with those lists, so only fusion, signals and file ordering differ. Four
configurations, file-level NDCG@10 (files in hit order), mean over repositories, per category:

- lexical, semantic, hybrid: the modes once the model has embedded everything;
- lexical+static: hybrid before the model has embedded anything (the static tier stands in for it).

Used to choose fusion defaults on the tuning half (`--split tune`) and to report them on the other.

Usage:
  python benchmarks/fusion_variants.py --split tune [--set file_fusion_depth=5,20] [--base NAME=V] [--per-question]
      [--configs hybrid,lexical+static] [--save OUT.json] [--indexes COPY] [--digits 5] [--questions FILE]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from rank_variants import OncePerQuestion, based, summary, variants  # noqa: E402
from repos import CACHE, SPLIT_CHOICES, load_questions, selected  # noqa: E402
import whole_repo  # noqa: E402
from whole_repo import open_index, repo_means, score_questions  # noqa: E402

from codesearch.config import Config  # noqa: E402
from codesearch.embed.embedding import load_embedder  # noqa: E402
from codesearch.embed.static import StaticEmbedder  # noqa: E402
from codesearch.query import Query  # noqa: E402
from codesearch.search.searcher import Searcher  # noqa: E402
from codesearch.search.tiers import StaticTier  # noqa: E402
from codesearch.store.catalog import SCHEMA_VERSION  # noqa: E402  (a migration may write the words again)
from codesearch.store.embedcache import TokenCache  # noqa: E402

LISTS = CACHE / "fusion-lists"
POOL = 200  # each list kept this deep: the search's pool widening reads from it
CONFIGS = {"lexical": ("lexical", False), "semantic": ("semantic", False), "hybrid": ("hybrid", False),
           "static": ("semantic", True), "lexical+static": ("hybrid", True)}


class Replayed(Searcher):
    """The shipped Searcher reading each question's lists from a record (retrieved live when missing)."""

    def __init__(self, *args, record: dict, without_model: bool = False, **kw) -> None:
        super().__init__(*args, **kw)
        self.record, self.without_model = record, without_model

    def _kept(self, key: str, n: int, live):
        """A list's first n from the record, retrieved live (POOL deep at least) when it holds fewer and more exist."""
        kept = self.record.get(key)
        if kept is None or (len(kept) < n and not self.record.get(key + "_full")):
            got = live(max(n, POOL))
            kept = self.record[key] = [list(x) for x in got]
            self.record[key + "_full"] = len(got) < max(n, POOL)
        return [tuple(x) for x in kept[:n]]

    def dense(self, terms, n, allowed):
        if self.without_model:
            return []
        return self._kept(f"dense {terms.text}", n, lambda m: super(Replayed, self).dense(terms, m, allowed))

    def static_ranking(self, terms, n, allowed, opts):
        if not self.without_model:
            return []
        if allowed is not None:  # the static tier over a few candidates: exact and cheap, never kept
            return super().static_ranking(terms, n, allowed, opts)
        return self._kept(f"static {terms.text}", n, lambda m: super(Replayed, self).static_ranking(terms, m, allowed, opts))

    def lexical(self, terms, n, languages, allowed):
        return self._kept(f"lexical {terms.text}", n, lambda m: super(Replayed, self).lexical(terms, m, languages, allowed))


def load(split: str, repos: str | None, model: str, questions_file: Path | None = None):
    """(repo, questions, index, record, static tier) per repository, the lists' records read from disk; the
    questions are the benchmark's, or those of questions_file ({repo: [question, ...]}) for its repositories."""
    embedder = OncePerQuestion(load_embedder(model, Config(threads=1)))
    extra = json.loads(questions_file.read_text()) if questions_file else None
    loaded = []
    for repo in selected(repos or (",".join(extra) if extra else None), split):
        questions = load_questions(repo.name) if extra is None else extra.get(repo.name, [])
        if not questions:
            continue
        index, info = open_index(repo, embedder.inner, model, 1)
        print(f"{repo.name}: {info}", file=sys.stderr, flush=True)
        # the units with vectors too: a rule that embeds more units (or fewer) leaves the counts as they were, and the
        # meaning lists kept under the old key were stale (the eleventh session measured such a rule on them)
        # and which units under which ids: a file read again (a parse rule changed) gives its changed units new ids with
        # the counts as they were, and lists kept under the old key named other units (seen in the thirteenth session)
        units = hashlib.blake2b(digest_size=8)
        for fid, text_hash, name in index.store.catalog.db.execute(
                "SELECT id, text_hash, qualified_name FROM functions ORDER BY id"):  # a name is a field of the words
            units.update(f"{fid}:{text_hash}:{name};".encode())
        identity = [info["files"], info["units"], index.store.model_id, index.cfg.static_precision, POOL, SCHEMA_VERSION,
                    index.store.catalog.embeddable_count(), units.hexdigest()]
        key = hashlib.blake2b(json.dumps(identity).encode(), digest_size=4).hexdigest()  # another index: new lists
        path = LISTS / f"{repo.name}-{model}-{key}.json"
        record = json.loads(path.read_text()) if path.exists() else {}
        static = StaticTier(StaticEmbedder(embedder.inner, TokenCache.for_config(index.cfg),
                                           precision=index.cfg.static_precision), None)
        loaded.append((repo, questions, index, record, path, static))
    return embedder, loaded


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--split", choices=SPLIT_CHOICES, default="tune")
    ap.add_argument("--repos", default=None)
    ap.add_argument("--model", default="minilm")
    ap.add_argument("--set", action="append", default=[], help="NAME=V1,V2: RankingOptions values to compare")
    ap.add_argument("--base", action="append", default=[], help="NAME=V: a change to the defaults every variant starts from")
    ap.add_argument("--configs", default=",".join(CONFIGS))
    ap.add_argument("--per-question", action="store_true", help="print each question's file NDCG per config (base only)")
    ap.add_argument("--save", type=Path)
    ap.add_argument("--digits", type=int, default=3, help="decimals of the printed means (5: to check a 0.003 rule)")
    ap.add_argument("--questions", type=Path, default=None,
                    help="other questions ({repo: [question, ...]}, e.g. queries/asking/tests.json) for their repositories")
    ap.add_argument("--indexes", type=Path, default=None,
                    help="where the benchmark's indexes live (default .cache/whole-repo); a copy keeps the shared ones as they are")
    args = ap.parse_args()
    if args.indexes:
        whole_repo.INDEXES = args.indexes
    embedder, loaded = load(args.split, args.repos, args.model, args.questions)
    results, per_q = {}, {}
    for name, opts in variants(args.set, based(args.base)):
        for config in args.configs.split(","):
            mode, without = CONFIGS[config]
            per_repo = {}
            for repo, questions, index, record, _, static in loaded:
                s = Replayed(index.store, embedder, opts, static=static if without else None, record=record,
                             without_model=without)
                per_repo[repo.name] = score_questions(lambda t: s.search(Query(t, k=50, mode=mode)), questions)
                if name == "base":
                    per_q[(config, repo.name)] = per_repo[repo.name]
            results[f"{name} {config}"] = {"summary": summary(per_repo, args.digits),
                                           "repos": {n: round(repo_means(r)["file"]["ndcg"], 3) for n, r in per_repo.items()}}
            print(f"{name:<30} {config:<15} {results[f'{name} {config}']['summary']}", flush=True)
    LISTS.mkdir(parents=True, exist_ok=True)
    for _, _, index, record, path, _ in loaded:
        path.write_text(json.dumps(record))
        index.close()
    if args.per_question:
        configs = args.configs.split(",")
        print("repo\tcategory\t" + "\t".join(configs) + "\tquery")
        for repo, questions, *_ in loaded:
            for i, q in enumerate(questions):
                cells = [f"{per_q[(c, repo.name)][i]['file']['ndcg']:.2f}" for c in configs]
                print(f"{repo.name}\t{q['category']}\t" + "\t".join(cells) + f"\t{q['query']}")
    if args.save:
        args.save.write_text(json.dumps({"split": args.split, "model": args.model, "results": results}, indent=1))


if __name__ == "__main__":
    main()
