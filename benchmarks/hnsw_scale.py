"""Build time and memory of the hnswlib index (the index's own VectorIndex, its default M and
ef_construction) at large sizes, to say how far one index goes and what to do beyond that.

Usage: python benchmarks/hnsw_scale.py [--dim 1024] [--sizes 50000,100000] [--threads N]
Random unit vectors: HNSW build cost depends on size, dimension and M, hardly on the values.
Each size runs in a fresh process, so peak memory (ru_maxrss) is that size's alone.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time

import numpy as np


def _rss() -> int:
    """Resident bytes of this process now (Linux)."""
    with open("/proc/self/statm") as fh:
        return int(fh.read().split()[1]) * resource.getpagesize()


def one(n: int, dim: int, threads: int | None) -> dict:
    """Build an index of n vectors in this process; seconds, bytes held, peak RSS."""
    sys.path.insert(0, ".")
    from codesearch.store.vectors import VectorIndex

    rng = np.random.default_rng(0)
    vecs = rng.standard_normal((n, dim), dtype=np.float32)
    vecs /= np.linalg.norm(vecs, axis=1, keepdims=True)
    base = _rss()
    index = VectorIndex(dim, capacity=n)
    if threads:
        index.index.set_num_threads(threads)
    start = time.perf_counter()
    step = 10000
    for s in range(0, n, step):
        index.add(np.arange(s, min(s + step, n)), vecs[s : s + step])
    seconds = time.perf_counter() - start
    held = _rss() - base
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    q = time.perf_counter()
    index.index.set_ef(512)
    index.index.knn_query(vecs[:100], k=10)
    return {"n": n, "dim": dim, "build_s": round(seconds, 1), "index_mb": round(held / 1e6),
            "peak_rss_mb": round(peak / 1e6), "query_ms": round((time.perf_counter() - q) * 10, 2)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--dim", type=int, default=1024)
    parser.add_argument("--sizes", default="50000,100000")
    parser.add_argument("--threads", type=int, default=None)
    parser.add_argument("--one", type=int, default=None, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(one(args.one, args.dim, args.threads)))
        return
    rows = []
    for n in [int(x) for x in args.sizes.split(",")]:
        cmd = [sys.executable, __file__, "--one", str(n), "--dim", str(args.dim)] + (["--threads", str(args.threads)] if args.threads else [])
        rows.append(json.loads(subprocess.run(cmd, capture_output=True, text=True, check=True).stdout))
        r = rows[-1]
        print(f"{r['n']:>8} x {r['dim']}: build {r['build_s']:7.1f} s ({r['n'] / r['build_s']:6.0f}/s), "
              f"index ~{r['index_mb']} MB (peak RSS {r['peak_rss_mb']} MB), query (ef 512, k 10) {r['query_ms']} ms")
    if len(rows) >= 2:  # per-element memory is linear; build time grows a little faster than n (log n)
        a, b = rows[-2], rows[-1]
        per = (b["index_mb"] - a["index_mb"]) / (b["n"] - a["n"])
        rate = b["n"] / b["build_s"]
        scale = np.log(1_000_000) / np.log(b["n"])
        print(f"1M x {args.dim} extrapolated: ~{per * 1e6 / 1e3:.1f} GB, build ~{1_000_000 / rate * scale / 60:.0f} min "
              f"on these {__import__('os').cpu_count()} CPUs")


if __name__ == "__main__":
    main()
