"""Embedding throughput on CPU (or GPU) for a random-weight BLOOM of the real udever shape.

Prints tokens/s, functions/s and padding waste for fp32 with BLOOM's own GeLU, fp32 with the fused
tanh GeLU (our default) and int8 dynamic quantisation, next to this machine's fp32 GEMM peak so
the figure reads as a fraction of the compute-bound limit.
"""

from __future__ import annotations

import argparse
import time

import numpy as np

from _corpus import bloom_folder, real_functions
from codesearch.embedding import UdeverEmbedder, padding_waste, token_budget_batches
from codesearch.models import resolve_model
from codesearch.random_models import BLOOM_SHAPES


def gemm_peak_gflops(device: str = "cpu", n: int = 1024, k: int = 4096, reps: int = 20) -> float:
    """Best observed fp32 matmul rate at the shapes BLOOM's MLP uses."""
    import torch

    a = torch.randn(n, k, device=device)
    b = torch.randn(k, n, device=device)
    best = 0.0
    for _ in range(reps):
        t = time.perf_counter()
        a @ b
        if device.startswith("cuda"):
            torch.cuda.synchronize()
        best = max(best, 2 * n * n * k / (time.perf_counter() - t) / 1e9)
    return best


def flops_per_token(hidden: int, layers: int, seq: int) -> float:
    """Forward FLOPs per token: 12·h² weights per layer (×2 for multiply-add) plus attention."""
    return layers * (24 * hidden * hidden + 4 * seq * hidden)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--shape", default="560m", choices=["560m", "1b1", "tiny"])
    parser.add_argument("--functions", type=int, default=48)
    parser.add_argument("--batch-tokens", type=int, default=2048)
    parser.add_argument("--device", default="cpu")
    parser.add_argument("--modes", default="exact-gelu,fp32,int8")
    args = parser.parse_args()

    peak = gemm_peak_gflops(args.device)
    folder = bloom_folder(args.shape)
    texts = real_functions(args.functions)
    shape = BLOOM_SHAPES[args.shape]
    print(f"model: random BLOOM-{args.shape} (hidden {shape['hidden_size']}, {shape['n_layer']} layers), "
          f"device {args.device}, {len(texts)} real stdlib functions, batch budget {args.batch_tokens} tokens")
    print(f"fp32 GEMM peak measured here: {peak:.0f} GFLOP/s")
    reference = None
    for mode in args.modes.split(","):
        quantize = "int8" if mode == "int8" else None
        emb = UdeverEmbedder(resolve_model(str(folder)), args.device, args.batch_tokens, 300, quantize,
                             fast_gelu=(mode != "exact-gelu"))
        ids = emb._tokenize(texts, "document")
        lengths = [len(x) for x in ids]
        batches = token_budget_batches(lengths, emb.batch_tokens)
        emb.embed_documents(texts[:2])  # warm up
        t = time.perf_counter()
        vecs = emb.embed_documents(texts)
        secs = time.perf_counter() - t
        tokens = sum(lengths)
        mean_len = float(np.mean(lengths))
        limit = peak * 1e9 / flops_per_token(shape["hidden_size"], shape["n_layer"], int(mean_len))
        agree = "" if reference is None else f"  cosine vs first mode: min {(vecs * reference).sum(1).min():.4f}"
        reference = vecs if reference is None else reference
        print(f"{mode:>10}: {tokens / secs:7.1f} tokens/s  {len(texts) / secs:6.2f} functions/s  "
              f"padding waste {padding_waste(lengths, batches) * 100:4.1f}%  mean {mean_len:.0f} tokens  "
              f"= {tokens / secs / limit * 100:5.1f}% of the fp32 GEMM-bound limit ({limit:.0f} tokens/s){agree}")


if __name__ == "__main__":
    main()
