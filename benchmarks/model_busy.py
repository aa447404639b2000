"""Share of a first index's wall time that the model spends embedding (target >= 95 %).

Indexes a copy of a real source tree from scratch through the library's front door (the same
path as `codesearch index`), timing every forward batch of the model (`forward_batch`, on the
compute thread); the rest of the wall time is walking, parsing, tokenising and catalog/vector
writes that the model waits for unless they overlap it. Printed twice: over the whole sync, and
over its embedding pass alone (from the first forward to the end of the sync).
"""

from __future__ import annotations

import argparse
import shutil
import sysconfig
import tempfile
import time
from pathlib import Path

from _corpus import bloom_folder
from codesearch.config import Config
from codesearch.engine import Index
from codesearch.embed.embedding import load_embedder


def busy_share(root: Path, model: str, max_files: int) -> None:
    """Index up to max_files Python files of root into a temporary copy; print the model's share."""
    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp) / "repo"
        files = sorted(p for p in root.rglob("*.py") if "test" not in p.parts and "site-packages" not in p.parts)
        for p in files[:max_files]:
            dest = copy / p.relative_to(root)
            dest.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(p, dest)
        cfg = Config.resolve({"model": model, "shared_cache": False}, environ={})  # every vector made here
        embedder = load_embedder(model, cfg)
        busy, first = [0.0], []
        inner = embedder.forward_batch

        def timed(ids, model_, **kw):
            t = time.perf_counter()
            first[:] = first or [t]
            try:
                return inner(ids, model_, **kw)
            finally:
                busy[0] += time.perf_counter() - t

        embedder.forward_batch = timed  # type: ignore[method-assign]
        with Index.create(copy, cfg, embedder=embedder) as index:
            t = time.perf_counter()
            report = index.sync()
            end = time.perf_counter()
        wall, embedding = end - t, end - (first[0] if first else end)
        print(f"{model}: {min(max_files, len(files))} files, {report.functions_embedded} functions embedded in "
              f"{wall:.1f} s wall, model busy {busy[0]:.1f} s = {busy[0] / wall * 100:.1f}% of the sync, "
              f"{busy[0] / max(embedding, 1e-9) * 100:.1f}% of its embedding pass ({embedding:.1f} s) "
              f"({report.functions_embedded / wall:.1f} functions/s)", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--root", type=Path, default=Path(sysconfig.get_paths()["stdlib"]))
    parser.add_argument("--models", default="minilm,bloom-560m")
    parser.add_argument("--files", type=int, default=200)
    parser.add_argument("--bloom-files", type=int, default=6, help="fewer for the (slow) 560m")
    args = parser.parse_args()
    for model in args.models.split(","):
        if model.startswith("bloom"):
            busy_share(args.root, str(bloom_folder(model.split("-")[1])), args.bloom_files)
        else:
            busy_share(args.root, model, args.files)


if __name__ == "__main__":
    main()
