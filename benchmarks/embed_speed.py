"""Embedding throughput on CPU or a CUDA GPU for random-weight BLOOMs of the real udever shapes.

CPU: tokens/s, functions/s and padding waste for fp32 with BLOOM's own GeLU, fp32 with the fused
tanh GeLU (our default) and int8 dynamic quantisation, next to this machine's fp32 GEMM peak so
the figure reads as a fraction of the compute-bound limit.

CUDA (`--device cuda`): for each of --shapes (560m, 1b1, 3b, 7b1), a random BLOOM of that shape is
built on the GPU (nothing written to disk), then run through the shipping batching code in bf16
(fp16 where bf16 is unsupported) at each GPU-sized token budget, with the cosine of bf16 against
fp32 on the same inputs.
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
    parser.add_argument("--shape", default="560m", choices=["560m", "1b1", "tiny"], help="CPU only")
    parser.add_argument("--functions", type=int, default=48)
    parser.add_argument("--batch-tokens", type=int, default=2048)
    parser.add_argument("--device", default="cpu")
    parser.add_argument("--modes", default="exact-gelu,fp32,int8")
    parser.add_argument("--shapes", default="560m,1b1,3b,7b1", help="CUDA only: the model shapes to run")
    parser.add_argument("--gpu-batch-tokens", default="8192,32768,65536", help="CUDA only: token budgets to try")
    args = parser.parse_args()
    if args.device.startswith("cuda"):
        return gpu_main(args)

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


def gpu_main(args) -> None:
    """bf16 throughput per shape and token budget on a CUDA GPU, and bf16-vs-fp32 cosine."""
    import torch
    from transformers import BloomConfig, BloomModel

    from codesearch.random_models import BLOOM_VOCAB

    texts = real_functions(args.functions if args.functions != 48 else 2000)
    tokenizer_folder = bloom_tokenizer_folder()
    half = torch.bfloat16 if torch.cuda.is_bf16_supported() else torch.float16
    print(f"GPU {torch.cuda.get_device_name(args.device)}, {len(texts)} real stdlib functions, {half}, "
          f"torch {torch.__version__}")
    for shape_name in args.shapes.split(","):
        shape = BLOOM_SHAPES[shape_name]
        torch.manual_seed(0)
        with torch.device(args.device):
            model = BloomModel(BloomConfig(vocab_size=BLOOM_VOCAB, **shape)).eval()
        emb = UdeverEmbedder(resolve_model(str(tokenizer_folder)), args.device, 2048, 300)
        emb.model, emb.dim = model, shape["hidden_size"]
        emb.embed_documents(texts[:64])
        exact = emb.embed_documents(texts)  # fp32 reference
        emb.model = model.to(half)
        for budget in [int(b) for b in args.gpu_batch_tokens.split(",")]:
            emb.batch_tokens = budget
            emb.embed_documents(texts[:256])  # warm up kernels for this budget
            torch.cuda.synchronize()
            t = time.perf_counter()
            vecs = emb.embed_documents(texts)
            torch.cuda.synchronize()
            secs = time.perf_counter() - t
            tokens = sum(len(x) for x in emb._tokenize(texts, "document"))
            cos = (vecs * exact).sum(1)
            print(f"{shape_name:>5} {str(half).split('.')[-1]} budget {budget:>6}: {tokens / secs:9.0f} tokens/s "
                  f"{len(texts) / secs:8.1f} functions/s  peak GPU memory {torch.cuda.max_memory_allocated() / 1e9:5.1f} GB  "
                  f"cosine vs fp32: min {cos.min():.5f} mean {cos.mean():.5f}")
        del emb, model
        torch.cuda.empty_cache()
        torch.cuda.reset_peak_memory_stats()


def bloom_tokenizer_folder():
    """A tiny random BLOOM with the benchmarks' 32k tokenizer: the tokenizer is all the GPU run takes from it."""
    from _corpus import CACHE

    from codesearch.random_models import build_random_udever

    folder = CACHE / "random-bloom-tokenizer"
    if not (folder / "model.safetensors").exists():
        build_random_udever(folder, "tiny", real_functions(3000, seed=1), tokenizer_vocab=32000)
    return folder


if __name__ == "__main__":
    main()
