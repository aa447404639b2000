"""How the static tier's whitening power was chosen: static alone, raw cosine ranking, per power.

For each repository of a split (the whole-repo benchmark's indexes, `benchmarks/whole_repo.py`), every
unit with a vector is pooled from its distilled tokens (fp32, the user's token cache) under each
variant, and the questions are answered by cosine alone (no ranking stack, so the figures are lower
than the shipped Searcher's and only serve to compare variants); file NDCG@10 as whole_repo.py scores it.

Variants: "centred" (no whitening), "pow P" (each principal direction of the index's centred token
vectors scaled by its spread ** -P), "pca K" (projection on the top K directions, no scaling).

Usage: python benchmarks/static_variants.py [--split tune] [--powers 0.25,0.5,0.6,0.75,1] [--pca 256]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).parent))
from repos import CATEGORIES, load_questions, selected  # noqa: E402
from whole_repo import INDEXES, repo_means, score_questions  # noqa: E402

from codesearch.config import Config  # noqa: E402
from codesearch.embed.embedding import load_embedder  # noqa: E402
from codesearch.embed.static import StaticEmbedder  # noqa: E402
from codesearch.parse.documents import document_text  # noqa: E402
from codesearch.store.catalog import Catalog  # noqa: E402
from codesearch.store.embedcache import TokenCache  # noqa: E402


def projections(tokens: np.ndarray, mean: np.ndarray, powers: list[float], pca: list[int]) -> dict[str, np.ndarray | None]:
    """Each variant's [dim, k] map applied to centred sums (None: none)."""
    _, spread, basis = np.linalg.svd(tokens.astype(np.float64) - mean, full_matrices=False)
    out: dict[str, np.ndarray | None] = {"centred": None}
    out.update({f"pow {p}": (basis.T / spread ** p).astype(np.float32) for p in powers})
    out.update({f"pca {k}": basis[:k].T.astype(np.float32) for k in pca})
    return out


def run(split: str, powers: list[float], pca: list[int]) -> dict[str, list[list[dict]]]:
    """Per variant, the scored questions of each repository."""
    model = load_embedder("minilm", Config())
    cache = TokenCache.for_config(Config())
    results: dict[str, list[list[dict]]] = {}
    for repo in selected(None, split):
        questions = load_questions(repo.name)
        if not questions:
            continue
        catalog = Catalog(INDEXES / f"{repo.name}-minilm", readonly=True)
        rows = list(catalog.get_functions(catalog.embeddable_ids()).values())
        catalog.close()
        static = StaticEmbedder(model, cache, precision="fp32")
        static.stats = stats = static.stats_for([document_text(r) for r in rows])
        table = static.vectors_of(stats.tokens.tolist())
        matrix = np.stack([table[int(t)] for t in stats.tokens])
        where = {int(t): i for i, t in enumerate(stats.tokens)}

        def pooled(ids: list[list[int]], proj: np.ndarray | None) -> np.ndarray:
            static.stats.whitening = np.eye(static.dim, dtype=np.float32)  # centred sums, then our projection
            missing = [t for row in ids for t in row if t not in where]
            extra = static.vectors_of(missing) if missing else {}
            full = np.concatenate([matrix, np.stack([extra[t] for t in extra])]) if extra else matrix
            at = {**where, **{t: len(matrix) + i for i, t in enumerate(extra)}}
            vecs = static.pool(ids, full, at)
            if proj is not None:
                vecs = vecs @ proj
            return vecs / np.maximum(np.linalg.norm(vecs, axis=1, keepdims=True), 1e-12)

        doc_ids = static.token_ids([document_text(r) for r in rows])
        for name, proj in projections(matrix, stats.mean, powers, pca).items():
            docs = pooled(doc_ids, proj)

            def search(text: str, docs=docs, proj=proj) -> list:
                order = np.argsort(-(docs @ pooled(static.token_ids([text]), proj)[0]), kind="stable")[:50]
                return [rows[i] for i in order]

            results.setdefault(name, []).append(score_questions(search, questions))
        print(repo.name, " ".join(f"{n}: {repo_means(r[-1])['file']['ndcg']:.3f}" for n, r in results.items()),
              file=sys.stderr, flush=True)
    return results


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--split", choices=("tune", "report", "all"), default="tune")
    ap.add_argument("--powers", default="0.25,0.4,0.5,0.6,0.75,1")
    ap.add_argument("--pca", default="256")
    args = ap.parse_args()
    results = run(args.split, [float(p) for p in args.powers.split(",") if p], [int(k) for k in args.pca.split(",") if k])
    print("| variant | all | " + " | ".join(CATEGORIES) + " |\n|---" * 1 + "|---" * (len(CATEGORIES) + 1) + "|")
    for name, repos in results.items():
        cats = [np.mean([m["file"]["ndcg"] for r in repos if (m := repo_means(r, c))]) for c in CATEGORIES]
        print(f"| {name} | {np.mean([repo_means(r)['file']['ndcg'] for r in repos]):.3f} | "
              + " | ".join(f"{c:.3f}" for c in cats) + " |")


if __name__ == "__main__":
    main()
