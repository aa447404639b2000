"""Index speed and memory with precomputed vectors (the model is left out on purpose).

For each size: time and peak memory to build the HNSW index through our VectorIndex, recall@10 of
HNSW against exact search at the default ef, and (at the largest size) the time of a one-file
change through the real catalog and sync path, embedding excluded.

Vectors: clustered synthetic data (a mixture of Gaussians, like real embeddings; uniform random
vectors are a worst case no embedding model produces), or real embeddings with --real FILE.sqlite
(the CodeSearchNet benchmark's cache of one model).

`--compare sem` instead runs the side by side with sem (compare_sem.py): a first full index and a first
query of the same corpus with the same MiniLM, both tools interleaved in one run.
"""

from __future__ import annotations

import argparse
import resource
import sqlite3
import tempfile
import time
from pathlib import Path

import numpy as np

import compare_sem
from codesearch.config import Config
from codesearch.engine import Index
from codesearch.store.vectors import VectorIndex


def clustered(n: int, dim: int, clusters: int = 200, seed: int = 0) -> np.ndarray:
    rng = np.random.default_rng(seed)
    centers = rng.standard_normal((clusters, dim)).astype(np.float32)
    x = centers[rng.integers(0, clusters, n)] + 0.35 * rng.standard_normal((n, dim)).astype(np.float32)
    return x / np.linalg.norm(x, axis=1, keepdims=True)


def real(path: Path, n: int) -> np.ndarray:
    db = sqlite3.connect(str(path))
    rows = db.execute("SELECT vec FROM v WHERE kind = 'document' LIMIT ?", (n,)).fetchall()
    return np.stack([np.frombuffer(r[0], dtype="<f4") for r in rows])


def recall_at_10(index: VectorIndex, data: np.ndarray, queries: np.ndarray) -> float:
    exact = np.argsort(-(queries @ data.T), axis=1)[:, :10]
    hits = 0
    for q, truth in zip(queries, exact):
        got = {i for i, _ in index.search(q, 10)}
        hits += len(got & set(int(t) for t in truth))
    return hits / (10 * len(queries))


def rss_mb() -> float:
    """Resident memory now (the peak since start would hide each size's own cost)."""
    with open("/proc/self/statm") as fh:
        return int(fh.read().split()[1]) * resource.getpagesize() / 1e6


class PrecomputedEmbedder:
    """Stands in for a model in benchmarks only: the index is what is timed, not embedding."""

    max_length = legacy_length = 300
    vector_precision = "fp32"

    def __init__(self, dim: int, model_id: str = "benchmark/precomputed") -> None:
        self.dim = dim
        self.model_id = model_id
        self.rng = np.random.default_rng(1)

    def embed_documents(self, texts, progress=None) -> np.ndarray:
        return clustered(len(texts), self.dim, seed=int(self.rng.integers(1 << 30)))

    embed_queries = embed_documents


def synthetic_repo(root: Path, n: int, per_file: int = 50) -> Path:
    """A repository of n small Python functions."""
    for f in range(n // per_file):
        d = root / f"pkg{f // 100}"
        d.mkdir(parents=True, exist_ok=True)
        (d / f"m{f}.py").write_text("".join(f"def f_{f}_{j}(x):\n    return x + {j}\n\n" for j in range(per_file)))
    return root


def build_synthetic_index(root: Path, n: int, dim: int, model_id: str = "benchmark/precomputed") -> Index:
    """A real catalog and vector index of n functions whose vectors are precomputed, built through the engine."""
    synthetic_repo(root, n)
    index = Index.create(root, Config(), embedder=PrecomputedEmbedder(dim, model_id))
    t = time.perf_counter()
    report = index.sync()
    print(f"  built a real catalog + index of {report.functions_total} functions in {time.perf_counter() - t:.1f}s")
    return index


def one_file_change(n: int, dim: int) -> None:
    """A real catalog of n functions (vectors precomputed), then one edited file synced."""
    root = Path(tempfile.mkdtemp()) / "repo"
    index = build_synthetic_index(root, n, dim)
    target = root / "pkg0" / "m0.py"
    target.write_text(target.read_text() + "def added_function(y):\n    return y * 2\n")
    t = time.perf_counter()
    report = index.sync(["pkg0/m0.py"])
    sync_s = time.perf_counter() - t
    t = time.perf_counter()
    index.store.save_vectors(force=True)
    save_s = time.perf_counter() - t
    print(f"  one-file change (`codesearch index` / watch sync, embedding excluded): {sync_s * 1000:.0f} ms "
          f"({report.functions_embedded} embedded); a full rewrite of the vector file would add {save_s:.2f}s "
          f"(done only after 2000 changes, or when the file is missing)")
    target.write_text(target.read_text() + "def another_function(z):\n    return z - 1\n")
    t = time.perf_counter()
    index.sync()
    print(f"  the same through a full scan of all {n // 50} files (`codesearch index`): {(time.perf_counter() - t) * 1000:.0f} ms")
    t = time.perf_counter()
    fresh = Index.open(root, Config())
    fresh.store.vectors()
    print(f"  a cold reader loads + verifies + diffs the vector file in {time.perf_counter() - t:.2f}s")
    index.close()
    fresh.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="10000,100000", help="comma-separated (1000000 takes ~30 min and 5 GB)")
    parser.add_argument("--dim", type=int, default=1024)
    parser.add_argument("--real", type=Path, default=None, help="SQLite cache of real embeddings (from codesearchnet.py)")
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--skip-change", action="store_true")
    parser.add_argument("--compare", choices=["sem"], default=None,
                        help="instead: a first index and query side by side with sem 0.4.0 (compare_sem.py)")
    compare_sem.add_arguments(parser.add_argument_group("--compare sem"))
    args = parser.parse_args()
    if args.compare == "sem":
        compare_sem.run_from(args)
        return
    cfg = Config()
    print(f"HNSW M={cfg.hnsw_m} ef_construction={cfg.ef_construction} ef={cfg.ef_search}; dim {args.dim}")
    for n in [int(x) for x in args.sizes.split(",")]:
        data = real(args.real, n) if args.real else clustered(n, args.dim)
        n = len(data)
        before = rss_mb()
        t = time.perf_counter()
        index = VectorIndex.build(np.arange(n), data, data.shape[1], cfg.hnsw_m, cfg.ef_construction, cfg.ef_search)
        build = time.perf_counter() - t
        qs = data[np.random.default_rng(2).choice(n, args.queries, replace=False)] + 0.05 * np.random.default_rng(3).standard_normal((args.queries, data.shape[1])).astype(np.float32)
        qs /= np.linalg.norm(qs, axis=1, keepdims=True)
        t = time.perf_counter()
        rec = recall_at_10(index, data, qs)
        per_q = (time.perf_counter() - t) / args.queries * 1000
        with tempfile.TemporaryDirectory() as tmp:
            t = time.perf_counter()
            index.save(Path(tmp), 1, "bench")
            save = time.perf_counter() - t
            size = (Path(tmp) / "vectors.hnsw").stat().st_size / 1e6
        print(f"{n:>8} vectors: build {build:6.1f}s  save {save:5.2f}s  file {size:6.0f} MB  memory +{rss_mb() - before:6.0f} MB  "
              f"recall@10 {rec:.3f}  search {per_q:.2f} ms/query")
        del index
    if not args.skip_change:
        one_file_change(max(int(x) for x in args.sizes.split(",")), args.dim)


if __name__ == "__main__":
    main()
