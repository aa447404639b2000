"""Where a first index's time goes, for compare_sem.py --profile: run in a child process of the tool's own
interpreter, it times one cold index from the process's first line and prints one JSON object.

`python _phases.py codesearch REPO` (this project's interpreter; CODESEARCH_CACHE_DIR empty): the import of
what `codesearch index` imports, Index.create + the model's identity, then the sync's phases as its progress
events report them (scanning, indexing = parse + catalog + lexical, loading = waiting for the weights,
distilling = the static tier, embedding, saving), and inside them the seconds of the model load (on its own
thread, overlapping the parse), of the tokenizer, of the model's forward passes (per phase), and of vector
index writes (HNSW add, the vector file's save).

`python _phases.py sem REPO MODEL` (sem's environment): sem's imports, SentenceTransformer's load, its
function extraction (tree-sitter), `model.encode`, and the write of its index (sem's own do_embed, with the
encode timed from outside).
"""

from __future__ import annotations

import json
import sys
import threading
import time
from collections import defaultdict
from pathlib import Path

T0 = time.perf_counter()
_lock = threading.Lock()
busy: dict[str, float] = defaultdict(float)
calls: dict[str, int] = defaultdict(int)
phase = ["start"]


def timed(owner, name: str, key: str, by_phase: bool = False) -> None:
    """Wrap owner.name so each call's seconds add to busy[key] (per sync phase with by_phase)."""
    inner = getattr(owner, name)

    def wrapper(*args, **kwargs):
        t = time.perf_counter()
        try:
            return inner(*args, **kwargs)
        finally:
            label = f"{key}@{phase[0]}" if by_phase else key
            with _lock:
                busy[label] += time.perf_counter() - t
                calls[label] += 1

    setattr(owner, name, wrapper)


def codesearch(repo: Path) -> dict:
    """One cold `codesearch index --model minilm` through the same calls the CLI makes, timed."""
    marks = {"interpreter+benchmark": time.perf_counter() - T0}
    t = time.perf_counter()
    import codesearch.cli.commands  # noqa: F401  what the CLI imports before it starts
    from codesearch.config import Config
    from codesearch.embed import embedding, modelload
    from codesearch.engine import Index
    from codesearch.store import folder, vectors
    marks["import"] = time.perf_counter() - t
    timed(modelload.ModelLoad, "_run", "model load (own thread)")
    timed(embedding._TorchEmbedder, "tokenize", "tokenize", by_phase=True)
    timed(embedding._TorchEmbedder, "forward_batch", "model forward", by_phase=True)
    timed(vectors.VectorIndex, "add", "hnsw add")
    timed(folder.Store, "save_vectors", "vector file save")
    t = time.perf_counter()
    index = Index.create(repo, Config.resolve({"model": "minilm"}))
    index.fetch_model(None)
    marks["create+identify model"] = time.perf_counter() - t
    seen: dict[str, float] = {}

    def progress(state) -> None:
        if state.phase != phase[0]:
            phase[0] = state.phase
            seen.setdefault(state.phase, time.perf_counter())

    t = time.perf_counter()
    report = index.sync(on_progress=progress)
    end = time.perf_counter()
    index.close()
    marks["close"] = time.perf_counter() - end
    order = sorted(seen.items(), key=lambda kv: kv[1]) + [("end", end)]
    spans = {f"sync: {a}": b_t - a_t for (a, a_t), (_, b_t) in zip(order, order[1:])}
    spans["sync: before first event"] = (order[0][1] - t) if seen else 0.0
    return {"marks": marks, "sync": spans, "busy": dict(busy), "calls": dict(calls),
            "units": report.functions_total, "embedded": report.functions_embedded, "total": time.perf_counter() - T0}


def sem(repo: Path, model: str) -> dict:
    """One cold `sem -m MODEL --embed` through sem's own functions, timed."""
    import argparse

    marks = {"interpreter+benchmark": time.perf_counter() - T0}
    t = time.perf_counter()
    from sentence_transformers import SentenceTransformer
    from semantic_code_search import embed
    marks["import"] = time.perf_counter() - t
    t = time.perf_counter()
    st = SentenceTransformer(model)
    marks["model load"] = time.perf_counter() - t
    timed(embed, "_get_repo_functions", "extract functions (tree-sitter)")
    timed(st, "encode", "model.encode")
    t = time.perf_counter()
    embed.do_embed(argparse.Namespace(path_to_repo=str(repo), model_name_or_path=model, batch_size=32), st)
    marks["do_embed"] = time.perf_counter() - t
    marks["do_embed: write index"] = marks["do_embed"] - busy["extract functions (tree-sitter)"] - busy["model.encode"]
    return {"marks": marks, "busy": dict(busy), "total": time.perf_counter() - T0}


if __name__ == "__main__":
    tool, where = sys.argv[1], Path(sys.argv[2])
    out = codesearch(where) if tool == "codesearch" else sem(where, sys.argv[3])
    print("PHASES " + json.dumps(out))
