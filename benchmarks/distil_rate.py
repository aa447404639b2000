"""Calibration for timing runs on a shared machine: how fast the 560m shape distils static-tier tokens right now.

Loads the random-weight udever-560m shape (benchmarks/_corpus.py) and times StaticEmbedder.distill on
1,024 token ids (after 512 that warm it up and build the int8 copy), with no cache. The third session's
quiet-machine cost inside the index was ~2.65 ms/token (benchmarks/results/static-tier.md; not measured
with this script, which has no quiet run yet); a larger figure shows the load a first_answer.py run met
(the results files quote it in their header).
"""

from __future__ import annotations

import time

from _corpus import bloom_folder
from codesearch.embed.embedding import load_embedder
from codesearch.embed.static import StaticEmbedder
from codesearch.store.embedcache import MemoryTokens


def main() -> None:
    """Print the load time, the warm-up batch and the ms/token of 1,024 tokens."""
    started = time.perf_counter()
    embedder = load_embedder(str(bloom_folder("560m")))
    print(f"load {time.perf_counter() - started:.1f}s")
    static = StaticEmbedder(getattr(embedder, "inner", embedder), MemoryTokens())
    started = time.perf_counter()
    static.distill(list(range(1000, 1512)))
    print(f"first 512 tokens (incl. int8 copy): {time.perf_counter() - started:.1f}s")
    started = time.perf_counter()
    static.distill(list(range(3000, 4024)))
    took = time.perf_counter() - started
    print(f"1024 tokens: {took:.1f}s = {1000 * took / 1024:.2f} ms/token")


if __name__ == "__main__":
    main()
