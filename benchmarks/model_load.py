"""Model load time and peak memory: a torch checkpoint (.bin) against its safetensors conversion.

Builds (once) a random-weight BLOOM of the real udever-560m shape saved like the udever repositories
(torch.save of the state dict as pytorch_model.bin), then measures (to the end of a first forward pass, which touches every weight), each in a fresh process so its
peak RSS is its own: loading the .bin with transformers (torch.load, weights_only), converting it
to safetensors once (codesearch.models.checkpoints), loading the safetensors (memory-mapped), and the two
int8 paths (quantising a loaded fp32 model, or codesearch's block-by-block streamed build).
The files were just written, so every load reads from a warm page cache (a cold disk adds its read time).
Peak memory is anonymous memory (RssAnon, sampled): memory-mapped weight pages are the page cache's.
"""

from __future__ import annotations

import argparse
import json
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

from _corpus import CACHE, bloom_folder

STEPS = ("bin", "convert", "safetensors", "int8-quantise-loaded", "int8-streamed")


def bin_folder(shape: str) -> Path:
    """The random model as the udever repositories ship it: pytorch_model.bin only."""
    folder = CACHE / f"random-bloom-{shape}-bin"
    if (folder / "pytorch_model.bin").exists():
        return folder
    import torch
    from safetensors.torch import load_file

    source = bloom_folder(shape)
    folder.mkdir(parents=True, exist_ok=True)
    for p in source.iterdir():
        if p.name != "model.safetensors":
            shutil.copy(p, folder / p.name)
    torch.save(load_file(str(source / "model.safetensors")), folder / "pytorch_model.bin")
    return folder


class PeakAnon:
    """The most anonymous memory (RssAnon: not file pages a memory map can drop) seen, sampled every 5 ms."""

    def __init__(self) -> None:
        import threading

        self.peak = 0
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def _sample(self) -> None:
        while not self._done.wait(0.005):
            self.peak = max(self.peak, _rss_anon())

    def start(self) -> "PeakAnon":
        self._thread.start()
        return self

    def stop(self) -> int:
        self._done.set()
        self._thread.join()
        return max(self.peak, _rss_anon())


def _rss_anon() -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("RssAnon:"):
            return int(line.split()[1]) * 1024
    return 0


def run_step(step: str, folder: Path, out: Path) -> float:
    """Do one step in this process; return its seconds."""
    import torch
    from transformers import BloomModel

    from codesearch.models.checkpoints import convert_to_safetensors
    from codesearch.embed.embedding import quantize_int8
    from codesearch.embed.memory import Precision
    from codesearch.embed.weights import load_bloom, load_bloom_int8

    t = time.perf_counter()
    if step == "bin":
        model = BloomModel.from_pretrained(str(folder))
    elif step == "convert":
        convert_to_safetensors(folder, out)
        for name in ("config.json", "tokenizer.json", "tokenizer_config.json"):
            shutil.copy(folder / name, out / name)
        model = None
    elif step == "safetensors":
        model = load_bloom(out, Precision("float32", None, 0, None))
    elif step == "int8-quantise-loaded":
        model = quantize_int8(BloomModel.from_pretrained(str(out), dtype=torch.float32))
    else:
        model = load_bloom_int8(out)
    if model is not None:  # ready to embed: one forward pass touches every weight (lazy maps included)
        with torch.inference_mode():
            if isinstance(model, BloomModel):
                model(input_ids=torch.tensor([[1, 2, 3, 4]]))
            else:  # codesearch's LeanBloom: its forward is bloom_forward's
                from codesearch.embed.bloom_forward import last_token_states

                last_token_states(model, [[1, 2, 3, 4]])
    seconds = time.perf_counter() - t
    del model
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--shape", default="560m", choices=["tiny", "560m", "1b1"])
    parser.add_argument("--repeat", type=int, default=2, help="runs per step (the best is reported)")
    parser.add_argument("--step", help=argparse.SUPPRESS)
    args = parser.parse_args()
    folder = bin_folder(args.shape)
    out = CACHE / f"random-bloom-{args.shape}-converted"
    if args.step:  # child process: one measurement
        peak = PeakAnon().start()
        seconds = run_step(args.step, folder, out)
        print(json.dumps({"seconds": seconds, "peak_anon": peak.stop(),
                          "peak_rss": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024}))
        return
    size = (folder / "pytorch_model.bin").stat().st_size
    print(f"random BLOOM-{args.shape}, pytorch_model.bin {size / 1e9:.2f} GB; best of {args.repeat} fresh processes")
    for step in STEPS:
        runs = []
        for _ in range(1 if step == "convert" else args.repeat):
            if step == "convert":
                shutil.rmtree(out, ignore_errors=True)
            done = subprocess.run([sys.executable, __file__, "--shape", args.shape, "--step", step],
                                  capture_output=True, text=True, check=True)
            runs.append(json.loads(done.stdout.strip().splitlines()[-1]))
        best = min(runs, key=lambda r: r["seconds"])
        print(f"{step:>22}: {best['seconds']:6.2f} s   peak anonymous memory {best['peak_anon'] / 1e9:5.2f} GB   "
              f"peak RSS (with memory-mapped file pages) {best['peak_rss'] / 1e9:5.2f} GB")


if __name__ == "__main__":
    main()
