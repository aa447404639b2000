"""Functions/s of `--ray` (a local Ray runtime, 1 and 2 CPU actors) against the in-process path,
on the same real functions, and the pipeline's fixed cost at small sizes (when --ray is not worth it).

Usage: python benchmarks/ray_speed.py [--shape tiny|560m] [--functions N] [--actors 1,2]
                                      [--small 16,64,256] [--address ADDRESS]
The Ray runtime's start is timed apart (paid once per `codesearch index --ray`, not per batch).
"""

from __future__ import annotations

import argparse
import os
import time

import numpy as np

from _corpus import bloom_folder, real_functions
from codesearch.config import Config
from codesearch.embed.distributed import ActorPlan, connect, embed_on_ray
from codesearch.parse.documents import text_hash
from codesearch.embed.pipeline import EMBED_CHUNK
from codesearch.embed.embedding import load_embedder


def in_process(name: str, cfg: Config, texts: list[str]) -> tuple[float, np.ndarray]:
    """Seconds to embed texts like the indexer does (longest first, chunks of EMBED_CHUNK), model load excluded."""
    embedder = load_embedder(name, cfg)
    order = sorted(range(len(texts)), key=lambda i: -len(texts[i]))
    out = np.zeros((len(texts), embedder.dim), dtype=np.float32)
    start = time.perf_counter()
    for s in range(0, len(order), EMBED_CHUNK):
        chunk = order[s : s + EMBED_CHUNK]
        out[chunk] = embedder.embed_documents([texts[i] for i in chunk])
    return time.perf_counter() - start, out


def on_ray(name: str, cfg: Config, texts: list[str], actors: int) -> tuple[float, np.ndarray]:
    """Seconds for the whole pipeline (actors start and load the model inside this time)."""
    got: dict[str, np.ndarray] = {}
    start = time.perf_counter()
    embed_on_ray([(text_hash(t), t) for t in texts], name, cfg, lambda hs, vs: got.update(zip(hs, vs)),
                 actors=actors)
    return time.perf_counter() - start, np.stack([got[text_hash(t)] for t in texts])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--shape", default="tiny", choices=["tiny", "560m"])
    parser.add_argument("--functions", type=int, default=2000)
    parser.add_argument("--actors", default="1,2")
    parser.add_argument("--small", default="", help="also time the pipeline at these small sizes (comma-separated)")
    parser.add_argument("--address", default=None, help="join this cluster instead of starting a local runtime")
    args = parser.parse_args()

    name = str(bloom_folder(args.shape))
    cfg = Config(shared_cache=False)
    texts = list(dict.fromkeys(real_functions(args.functions)))
    print(f"model: random BLOOM, {args.shape} shape; {len(texts)} distinct real functions (Python stdlib); "
          f"{os.cpu_count()} CPUs; no GPU")
    seconds, reference = in_process(name, cfg, texts)
    print(f"in-process        {len(texts) / seconds:8.1f} functions/s  ({seconds:.1f} s)")
    t = time.perf_counter()
    connect(args.address)
    print(f"ray runtime start {time.perf_counter() - t:8.1f} s (once per run)")
    for n in [int(x) for x in args.actors.split(",") if x]:
        plan = ActorPlan.for_cluster(n, None)
        seconds, vecs = on_ray(name, cfg, texts, n)
        cos = float((vecs * reference).sum(1).min())
        print(f"ray, {n} CPU actor(s) {len(texts) / seconds:6.1f} functions/s  ({seconds:.1f} s; {plan.threads} threads "
              f"each; min cosine to in-process {cos:.6f})")
    for size in [int(x) for x in args.small.split(",") if x]:
        part = texts[:size]
        local, _ = in_process(name, cfg, part)
        seconds, _ = on_ray(name, cfg, part, 1)
        print(f"{size:5d} functions: in-process {local:6.2f} s, ray (1 actor) {seconds:6.2f} s "
              f"-> pipeline overhead {seconds - local:+.2f} s")


if __name__ == "__main__":
    main()
