"""Token budget per unit: the quality/cost curve of embedding only the first N tokens of each unit.

For each budget N, every unit that gets a vector in the whole-repository benchmark's indexes is embedded
again with the model truncated at N tokens (queries too), and the benchmark's questions are answered by
meaning alone (cosine over those vectors, exactly, no approximate index) and scored like
`benchmarks/whole_repo.py` does (file- and unit-level NDCG@10). Cost is the embedding time of all units
at that budget. The default budget is chosen on the tuning half and reported on the other.

Nothing is written to the indexes or to the shared embedding cache: the vectors live in memory only.

Usage:
  python benchmarks/token_budget.py [--split tune|report|all] [--budgets 64,128,256] [--model minilm]
      [--save OUT.json]
"""

from __future__ import annotations

import argparse
import json
import platform
import sys
import time
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).parent))
from repos import CATEGORIES, SPLIT_CHOICES, load_questions, selected  # noqa: E402
from whole_repo import POOL, open_index, repo_means, score_questions  # noqa: E402

from codesearch.config import Config  # noqa: E402
from codesearch.embed.embedding import load_embedder  # noqa: E402
from codesearch.parse.documents import document_text  # noqa: E402


@dataclass(frozen=True)
class UnitHit:
    path: str
    start_line: int
    end_line: int


def units_of(repo, model: str) -> tuple[list[UnitHit], list[str]]:
    """(where, document text) of every unit of the repository's benchmark index that gets a vector."""
    index, _ = open_index(repo, None, model)
    with index:
        catalog = index.store.catalog
        rows = catalog.get_functions(catalog.embeddable_ids())
    ordered = sorted(rows.values(), key=lambda r: r.id)
    return [UnitHit(r.path, r.start_line, r.end_line) for r in ordered], [document_text(r) for r in ordered]


def measure(repos, model: str, budgets: list[int]) -> dict:
    """Per budget: embedding seconds and per-repository question scores (semantic mode, exact cosine)."""
    corpora = {repo.name: units_of(repo, model) for repo in repos}
    out: dict = {"model": model, "date": datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
                 "machine": f"{platform.machine()} {platform.processor() or ''}".strip(), "budgets": {}}
    for budget in budgets:
        embedder = load_embedder(model, Config(max_length=budget))
        seconds, per_repo, units = 0.0, {}, 0
        for repo in repos:
            hits, texts = corpora[repo.name]
            t0 = time.perf_counter()
            vectors = np.asarray(embedder.embed_documents(texts), dtype=np.float32) if texts else np.zeros((0, 1))
            seconds += time.perf_counter() - t0
            units += len(texts)
            questions = load_questions(repo.name)
            qv = np.asarray(embedder.embed_queries([q["query"] for q in questions]), dtype=np.float32)
            by_text = dict(zip((q["query"] for q in questions), qv))

            def search(text: str, vectors=vectors, hits=hits):
                scores = vectors @ by_text[text]
                return [hits[i] for i in np.argsort(-scores)[:POOL]]

            per_repo[repo.name] = {"split": repo.split, "rows": score_questions(search, questions)}
            print(f"budget {budget:>4} {repo.name:<14} {len(texts):>6} units  "
                  f"file NDCG {repo_means(per_repo[repo.name]['rows'])['file']['ndcg']:.3f}", file=sys.stderr, flush=True)
        out["budgets"][budget] = {"seconds": round(seconds, 1), "units": units, "repos": per_repo}
    return out


def table(run: dict) -> str:
    """Markdown: per budget and split, file and unit NDCG@10 (mean over repositories), per category, and cost."""
    lines = ["| budget (tokens) | split | file NDCG@10 | unit NDCG@10 | " + " | ".join(f"file {c}" for c in CATEGORIES)
             + " | embed seconds (all repos) | units/s |", "|---" * (7 + len(CATEGORIES)) + "|"]
    for budget, b in run["budgets"].items():
        for split in ("tune", "report"):
            repos = [r["rows"] for r in b["repos"].values() if r["split"] == split]
            if not repos:
                continue

            def mean(level: str, category: str | None = None) -> str:
                xs = [m[level]["ndcg"] for rows in repos if (m := repo_means(rows, category))]
                return f"{sum(xs) / len(xs):.3f}" if xs else "–"

            lines.append(f"| {budget} | {split} ({len(repos)}) | {mean('file')} | {mean('unit')} | "
                         + " | ".join(mean("file", c) for c in CATEGORIES)
                         + f" | {b['seconds']} | {b['units'] / max(b['seconds'], 1e-9):.0f} |")
    return "\n".join(lines)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--split", choices=SPLIT_CHOICES, default="all")
    ap.add_argument("--repos", default=None, help="comma-separated names from benchmarks/repos.py")
    ap.add_argument("--budgets", default="64,128,256")
    ap.add_argument("--model", default="minilm")
    ap.add_argument("--save", type=Path)
    args = ap.parse_args()
    repos = [r for r in selected(args.repos, args.split) if load_questions(r.name)]
    run = measure(repos, args.model, [int(x) for x in args.budgets.split(",")])
    if args.save:
        args.save.write_text(json.dumps(run, indent=1))
    print(table(run))


if __name__ == "__main__":
    main()
