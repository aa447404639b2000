"""int8 decided by retrieval quality: the whole-repository benchmark (benchmarks/whole_repo.py) with the
transformer in fp32 and in each dynamic int8 variant, every other part of the engine as shipped.

Variants (the model loaded in fp32, then its Linear layers quantised by embed.embedding.quantize_int8):
- `fp32`: the model as loaded;
- `int8-tensor`: one weight scale per Linear layer (torch's default dynamic qconfig, `--quantize int8` before);
- `int8-channel`: one weight scale per output channel (per_channel_dynamic_qconfig);
- `int8-channel-ffn`: per channel, the feed-forward output projections (the layers fed by GeLU, whose
  activations hold the outliers a per-tensor activation scale loses) kept in fp32.

Each int8 variant builds its own indexes under --indexes (default benchmarks/.int8-cache/<variant>/) with a
private codesearch cache (CODESEARCH_CACHE_DIR there: no vector or distilled token of a variant reaches, or
comes from, the user's shared cache). fp32 builds its indexes there too, with the user's shared cache
(its vectors are fp32 ones: nothing is embedded again that any index here embedded before).

Speed (`--speed`): each variant embeds the same real functions (the CPython standard library, sampled) through
the shipped batching (`embed_documents`), the variants interleaved, best of --reps; with the cosine of each
variant's vectors to fp32's. `--model bloom-560m` is the random-weight BLOOM of udever-560m's shape
(benchmarks/.cache/random-bloom-560m): its speed is the real model's, its vectors are not.

Usage:
  nice -n 10 python benchmarks/int8_quality.py --variant int8-channel [--split tune|report|all] [--repos a,b]
  python benchmarks/int8_quality.py --table fp32.json int8-tensor.json ...   # the comparison, as markdown
  nice -n 10 python benchmarks/int8_quality.py --speed [--model minilm|bloom-560m] [--functions 256] [--reps 3]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import time
from datetime import datetime, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from repos import BY_NAME, SPLITS, selected  # noqa: E402
from whole_repo import (LEVELS, engine_search, group_means, load_questions, open_index, repo_means,  # noqa: E402
                        score_questions)

HERE = Path(__file__).resolve().parent
VARIANTS = {  # name -> (scheme, Linear layers kept in fp32 per backend), None: fp32
    "fp32": None,
    "int8-tensor": ("tensor", {}),
    "int8-channel": ("channel", {}),
    "int8-channel-ffn": ("channel", {"meanpool": ("encoder.layer.*.output.dense",), "udever": ("h.*.mlp.dense_4h_to_h",)}),
}
MODES = ("semantic", "hybrid")


def variant_embedder(model: str, variant: str, threads: int | None):
    """The model loaded in fp32, its Linear layers then quantised as the variant says."""
    from codesearch.config import Config
    from codesearch.embed.embedding import load_embedder, quantize_int8

    embedder = load_embedder(model, Config(threads=threads, precision="fp32"))
    spec = VARIANTS[variant]
    if spec is not None:
        scheme, keep = spec
        embedder.model = quantize_int8(embedder.model, scheme=scheme, keep=keep.get(embedder.resolved.backend, ()))
        embedder.quantize = "int8"
    return embedder


def measure(variant: str, repos, model: str, threads: int | None, indexes: Path, save: Path) -> dict:
    """Index each repository with the variant and score its questions in both modes (saved after each one;
    a rerun skips the repositories already saved)."""
    if VARIANTS[variant] is not None:
        os.environ["CODESEARCH_CACHE_DIR"] = str(indexes / "user-cache")
    out = json.loads(save.read_text()) if save.exists() else {
        "model": model, "variant": variant, "machine": f"{platform.node()} {platform.machine()}",
        "dates": [], "loads": [], "repos": {}, "scores": {m: {} for m in MODES}}
    out["dates"].append(datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"))
    out["loads"].append(os.getloadavg()[0])
    embedder = variant_embedder(model, variant, threads)
    for repo in repos:
        questions = load_questions(repo.name)
        if not questions or repo.name in out["repos"]:
            continue
        t0 = time.perf_counter()
        index, info = open_index(repo, embedder, model, threads, indexes=indexes)
        with index:
            for mode in MODES:
                out["scores"][mode][repo.name] = score_questions(engine_search(index, mode), questions)
        out["repos"][repo.name] = {"split": repo.split, "language": repo.language, "questions": len(questions),
                                   "load": os.getloadavg()[0], **info}
        out["loads"].append(os.getloadavg()[0])
        m = {mode: repo_means(out["scores"][mode][repo.name]) for mode in MODES}
        print(f"{variant} {repo.name:<14} {time.perf_counter() - t0:6.1f}s "
              + "  ".join(f"{mode} file {m[mode]['file']['ndcg']:.3f} unit {m[mode]['unit']['ndcg']:.3f}" for mode in MODES),
              file=sys.stderr, flush=True)
        save.write_text(json.dumps(out, indent=1))
    return out


def speed(model: str, functions: int, reps: int, threads: int | None) -> None:
    """Print functions/s of each variant on the same texts (interleaved, best of reps) and its cosine to fp32."""
    from _corpus import bloom_folder, real_functions

    name = str(bloom_folder(model.split("-", 1)[1])) if model.startswith("bloom-") else model
    texts = real_functions(functions)
    models = {v: variant_embedder(name, v, threads) for v in VARIANTS}
    best = {v: float("inf") for v in VARIANTS}
    vectors = {}
    for v, emb in models.items():
        emb.embed_documents(texts[:8])  # warm up
    for _ in range(reps):
        for v, emb in models.items():
            t = time.perf_counter()
            vectors[v] = emb.embed_documents(texts)
            best[v] = min(best[v], time.perf_counter() - t)
    tokens = sum(len(x) for x in models["fp32"].tokenize(texts, "document"))
    print(f"{model}: {len(texts)} functions, {tokens} tokens, best of {reps}, load average {os.getloadavg()[0]:.2f}, "
          f"threads {threads or 'default'}")
    print("| variant | functions/s | tokens/s | x fp32 | cosine to fp32 (min / mean) |\n|---|---|---|---|---|")
    for v in VARIANTS:
        cos = (vectors[v] * vectors["fp32"]).sum(1)
        print(f"| {v} | {len(texts) / best[v]:.1f} | {tokens / best[v]:.0f} | {best['fp32'] / best[v]:.2f} | "
              f"{cos.min():.4f} / {cos.mean():.4f} |")


def means(run: dict, split: str | None, mode: str, names: set[str] | None = None) -> dict | None:
    """Mean over the repositories of a split (each weighing the same; only those in names when given) of one
    mode's scores."""
    scores = {name: rows for name, rows in run["scores"][mode].items() if names is None or name in names}
    return group_means(scores, {name: BY_NAME[name] for name in scores}, split=split)


def table(runs: list[dict]) -> str:
    """Markdown: per split and mode, NDCG@10 and MRR@10 at file and unit level, each int8 variant's difference
    to fp32 (the first run, over the same repositories) beside its figure; then per split, each variant's worst
    NDCG@10 loss over both levels and modes (what the default's rule reads: at most 0.005)."""
    base = runs[0]
    metrics = [(lvl, m) for lvl in LEVELS for m in ("ndcg", "mrr")]
    head = "| split | mode | variant | repos | " + " | ".join(f"{lvl} {m.upper()}@10" for lvl, m in metrics) + " |"
    lines = [head, "|---" * (len(metrics) + 4) + "|"]
    worst: dict[tuple[str, str], float] = {}
    for split in SPLITS + ("all",):
        sp = None if split == "all" else split
        for mode in MODES:
            for run in runs:
                names = set(run["repos"])
                got, ref = means(run, sp, mode), means(base, sp, mode, names)
                if got is None or ref is None:
                    continue
                cells = []
                for lvl, m in metrics:
                    delta = got[lvl][m] - ref[lvl][m]
                    cells.append(f"{got[lvl][m]:.3f}" + ("" if run is base else f" ({delta:+.3f})"))
                    if m == "ndcg" and run is not base:
                        key = (split, run["variant"])
                        worst[key] = min(worst.get(key, float("inf")), delta)
                lines.append(f"| {split} | {mode} | {run['variant']} | {got['repos']} | " + " | ".join(cells) + " |")
    lines += ["", "| split | variant | worst NDCG@10 change (file/unit x semantic/hybrid) | within 0.005 |", "|---|---|---|---|"]
    lines += [f"| {split} | {variant} | {loss:+.3f} | {'yes' if loss >= -0.005 else 'no'} |"
              for (split, variant), loss in worst.items()]
    return "\n".join(lines)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--variant", choices=list(VARIANTS))
    ap.add_argument("--model", default="minilm")
    ap.add_argument("--split", choices=("tune", "report", "all"), default="all")
    ap.add_argument("--repos", help="comma-separated names from benchmarks/repos.py (default: all with questions)")
    ap.add_argument("--threads", type=int, default=None)
    ap.add_argument("--indexes", type=Path, default=HERE / ".int8-cache", help="where the variants' indexes go")
    ap.add_argument("--save", type=Path, help="per-question scores (default: <indexes>/<variant>-<model>.json)")
    ap.add_argument("--table", type=Path, nargs="*", help="print the comparison of saved runs (fp32 first) and exit")
    ap.add_argument("--speed", action="store_true", help="time every variant on the same functions and exit")
    ap.add_argument("--functions", type=int, default=256, help="--speed: how many functions")
    ap.add_argument("--reps", type=int, default=3, help="--speed: best of this many runs")
    args = ap.parse_args()
    if args.speed:
        speed(args.model, args.functions, args.reps, args.threads)
        return
    if args.table:
        runs = [json.loads(p.read_text()) for p in args.table]
        print(table(runs))
        return
    if not args.variant:
        ap.error("--variant or --table is required")
    indexes = args.indexes / args.variant
    indexes.mkdir(parents=True, exist_ok=True)
    save = args.save or args.indexes / f"{args.variant}-{args.model}.json"
    measure(args.variant, selected(args.repos, args.split), args.model, args.threads, indexes, save)
    print(f"saved {save}", file=sys.stderr)


if __name__ == "__main__":
    main()
