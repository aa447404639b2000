"""Embedding throughput for a random-weight BLOOM of the real udever shape, against its GEMM bound.

The texts are real functions, cut into the batches the indexer sends (file batches of 256
functions, longest first, chunks of 64, then `token_budget_batches` with the token budget). For
each batch the script times the model's forward, then the matrix products that batch needs
(every Linear layer of every block, on its real tokens, at the same shapes and dtype) measured
right after it in the same process, so a busy machine slows both alike. The GEMM bound is
tokens / (time of those products alone): no forward can beat it without skipping work (the lean
forward does skip the last block's products for all but the final position, ~3.5 % of them).

Modes: `transformers` (BloomModel's own forward, fused GeLU: the previous path), `fp32` (the lean
forward, the default), `int8` (lean, dynamic int8 Linear layers), `bf16` (lean, bfloat16 weights;
fast only where the CPU has AMX/avx512-bf16). Cosines are per text against the first mode.

CUDA (`--device cuda`): for each of --shapes (560m, 1b1, 3b, 7b1), a random BLOOM of that shape is
built on the GPU (nothing written to disk), then run through the shipping batching code in bf16
(fp16 where bf16 is unsupported) at each of --gpu-batch-tokens, with the cosine of bf16 against fp32
on the same inputs.
"""

from __future__ import annotations

import argparse
import platform
import time

import numpy as np

from _corpus import bloom_folder, real_functions
from codesearch.embed import compute
from codesearch.embed.embedding import UdeverEmbedder, token_budget_batches
from codesearch.models.resolve import resolve_model
from codesearch.models.random_models import BLOOM_SHAPES

FUNCTIONS_PER_FILE_BATCH, CHUNK = 256, 64  # what codesearch/indexer.py sends to embed_documents


def indexer_batches(texts: list[str], lengths: list[int], budget: int) -> list[list[int]]:
    """Indices of texts, batch by batch, as the indexer and embed_documents group them."""
    batches: list[list[int]] = []
    for start in range(0, len(texts), FUNCTIONS_PER_FILE_BATCH):
        group = sorted(range(start, min(start + FUNCTIONS_PER_FILE_BATCH, len(texts))), key=lambda i: -len(texts[i]))
        for c in range(0, len(group), CHUNK):
            chunk = group[c : c + CHUNK]
            batches += [[chunk[i] for i in b] for b in token_budget_batches([lengths[i] for i in chunk], budget)]
    return batches


class GemmBound:
    """Times the Linear products of one block at a given token count, in the model's dtype."""

    def __init__(self, hidden: int, layers: int, dtype, device: str) -> None:
        import torch

        self.torch, self.layers, self.device = torch, layers, device
        shapes = [(hidden, 3 * hidden), (hidden, hidden), (hidden, 4 * hidden), (4 * hidden, hidden)]
        self.weights = [(torch.randn(o, i, dtype=dtype, device=device) * 0.02, torch.zeros(o, dtype=dtype, device=device))
                        for i, o in shapes]
        self.dtype = dtype

    def seconds(self, tokens: int) -> tuple[float, float]:
        """(wall, CPU) seconds of all blocks' products for `tokens` real tokens (one block, times layers)."""
        torch = self.torch
        xs = [torch.randn(tokens, w.shape[1], dtype=self.dtype, device=self.device) for w, _ in self.weights]
        with torch.inference_mode():
            t, c = time.perf_counter(), time.process_time()
            for x, (w, b) in zip(xs, self.weights):
                torch.nn.functional.linear(x, w, b)
            if self.device.startswith("cuda"):
                torch.cuda.synchronize()
            return (time.perf_counter() - t) * self.layers, (time.process_time() - c) * self.layers


def measure(emb: UdeverEmbedder, ids: list[list[int]], batches: list[list[int]], bound: GemmBound,
            reps: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """((forward wall, CPU) s, (GEMM-bound wall, CPU) s, vectors): best of reps per batch, interleaved.

    CPU seconds are what the process got: on a machine shared with other work they are the
    steadier measure of the two."""
    torch = emb.torch
    out = np.zeros((len(ids), emb.dim), dtype=np.float32)
    model_s, gemm_s = np.zeros(2), np.zeros(2)
    with torch.inference_mode():
        emb._forward([ids[i] for i in batches[0]], emb.model)  # warm up
        for b in batches:
            rows = [ids[i] for i in b]
            best_f, best_g = np.full(2, np.inf), np.full(2, np.inf)
            for _ in range(reps):
                t, c = time.perf_counter(), time.process_time()
                vecs = emb._forward(rows, emb.model)
                best_f = np.minimum(best_f, [time.perf_counter() - t, time.process_time() - c])
                best_g = np.minimum(best_g, bound.seconds(sum(len(r) for r in rows)))
            out[b] = vecs / np.linalg.norm(vecs, axis=1, keepdims=True)
            model_s += best_f
            gemm_s += best_g
    return model_s, gemm_s, out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--shape", default="560m", choices=["560m", "1b1", "tiny"])
    parser.add_argument("--functions", type=int, default=96)
    parser.add_argument("--batch-tokens", type=int, default=2048)
    parser.add_argument("--device", default="cpu")
    parser.add_argument("--modes", default="transformers,fp32,int8")
    parser.add_argument("--reps", type=int, default=2, help="best of this many runs per batch")
    parser.add_argument("--threads", type=int, default=0, help="torch threads (0: torch's default)")
    parser.add_argument("--shapes", default="560m,1b1,3b,7b1", help="CUDA only: the model shapes to run")
    parser.add_argument("--gpu-batch-tokens", default="8192,32768,65536", help="CUDA only: token budgets to try")
    parser.add_argument("--gpu-functions", type=int, default=2000, help="CUDA only: how many functions")
    args = parser.parse_args()
    if args.device.startswith("cuda"):
        return gpu_main(args)
    compute.run(lambda: cpu_main(args))  # the thread codesearch runs its forwards on, bound included


def cpu_main(args) -> None:
    """Each CPU mode's throughput against the GEMM bound of the same batches."""
    import torch

    if args.threads:
        torch.set_num_threads(args.threads)
    folder = bloom_folder(args.shape)
    texts = real_functions(args.functions)
    shape = BLOOM_SHAPES[args.shape]
    print(f"model: random BLOOM-{args.shape} (hidden {shape['hidden_size']}, {shape['n_layer']} layers), "
          f"device {args.device}, {torch.get_num_threads()} threads, {platform.processor() or platform.machine()}, "
          f"torch {torch.__version__}")
    print(f"{len(texts)} real stdlib functions, indexer batches with a {args.batch_tokens}-token budget, "
          f"best of {args.reps} per batch")
    reference = None
    default_engine = torch.backends.quantized.engine
    for mode in args.modes.split(","):
        # int8-ENGINE: quantise with that kernel library (x86 = fbgemm/onednn by heuristics, onednn: AMX where present)
        torch.backends.quantized.engine = mode.split("-")[1] if mode.startswith("int8-") else default_engine
        emb = UdeverEmbedder(resolve_model(str(folder)), args.device, args.batch_tokens, 300,
                             "int8" if mode.startswith("int8") else None)
        if mode == "bf16":
            emb.model = emb.model.to(torch.bfloat16)
        emb.lean_forward = mode != "transformers"
        if not emb.lean_forward:  # the reference: transformers' own BloomModel and forward (codesearch loads a LeanBloom)
            from transformers import BloomModel

            emb.model = BloomModel.from_pretrained(str(folder)).eval()
        dtype = torch.bfloat16 if mode == "bf16" else torch.float32
        bound = GemmBound(shape["hidden_size"], shape["n_layer"], dtype, args.device)
        ids = emb._tokenize(texts, "document")
        lengths = [len(x) for x in ids]
        batches = indexer_batches(texts, lengths, emb.batch_tokens)
        model_s, gemm_s, vecs = measure(emb, ids, batches, bound, args.reps)
        tokens = sum(lengths)
        widths = [len(b) * max(lengths[i] for i in b) for b in batches]
        agree = "" if reference is None else f"  cosine vs {reference[0]}: min {(vecs * reference[1]).sum(1).min():.6f}"
        reference = reference or (mode, vecs)
        print(f"{mode:>12}: {tokens / model_s[0]:7.1f} tokens/s  {len(texts) / model_s[0]:6.2f} functions/s  "
              f"GEMM bound ({'bf16' if mode == 'bf16' else 'fp32'}) {tokens / gemm_s[0]:7.1f} tokens/s "
              f"-> {gemm_s[0] / model_s[0] * 100:5.1f}% of it (CPU time: {gemm_s[1] / model_s[1] * 100:5.1f}%)  "
              f"({len(batches)} batches, mean {np.mean(lengths):.0f} "
              f"tokens/text, {np.mean(widths):.0f} padded tokens/batch){agree}", flush=True)
        del emb


def gpu_main(args) -> None:
    """bf16 throughput per shape and token budget on a CUDA GPU, and bf16-vs-fp32 cosine."""
    import torch
    from transformers import BloomConfig, BloomModel

    from codesearch.models.random_models import BLOOM_VOCAB

    texts = real_functions(args.gpu_functions)
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

    from codesearch.models.random_models import build_random_udever

    folder = CACHE / "random-bloom-tokenizer"
    if not (folder / "model.safetensors").exists():
        build_random_udever(folder, "tiny", real_functions(3000, seed=1), tokenizer_vocab=32000)
    return folder


if __name__ == "__main__":
    main()
