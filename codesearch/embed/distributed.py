"""Embedding on a Ray cluster with Ray Data, for corpora one machine cannot embed in time.

texts (with their hashes) -> tokenization on CPU (small actors) -> map_batches over an actor pool that holds
the model (one GPU per actor where the cluster has GPUs, CPU actors otherwise) -> (hash, vector)
rows streamed back to the driver, which keeps them in chunks as they arrive (a killed driver keeps
what was written). The actors build the same Embedder as the in-process path (engine.load_model),
and tokenization goes through the same Embedder's tokenize(): one recipe, not two.
"""

from __future__ import annotations

import contextlib
import dataclasses
import os
import sys
import time
from dataclasses import dataclass
from typing import Callable, Sequence

import numpy as np

from codesearch.config import Config
from codesearch.embed.pipeline import EMBED_CHUNK
from codesearch.errors import CodesearchError, UsageError

RAY_EXTRA = 'pip install "codesearch[ray]"'
TOKENIZE_CPUS = 0.25  # each tokenization task's share of a CPU; CPU actors leave this much free
TOKENIZE_BATCH = 64
ACTOR_BATCH = 64  # texts per actor call; the actor splits them by token budget like the in-process path
BLOCK_ROWS = 64  # rows per Ray Data block: enough blocks to keep every actor busy
# An actor that dies is restarted and its batch retried: Ray Data's actor pools default to
# max_restarts=-1 and max_task_retries=-1 (the operator sets them unless told otherwise).


def _ray():
    try:
        import ray
    except ImportError as exc:
        raise UsageError(f"--ray needs Ray Data: {RAY_EXTRA}") from exc
    return ray


# Ray's own chatter (execution plans, token notices, its C++ core worker's log) stays in Ray's log
# files, not on our stderr: our progress bar reports. Set before Ray is imported; a user's own value wins.
RAY_QUIET = {"RAY_DATA_LOG_LEVEL": "ERROR", "RAY_BACKEND_LOG_LEVEL": "fatal"}


@contextlib.contextmanager
def _native_stderr_quiet():
    """Send what Ray's C++ core writes straight to file descriptor 2 while it starts (its log-level and
    token notices) to /dev/null; Python errors still raise."""
    sys.stderr.flush()
    saved, devnull = os.dup(2), os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 2)
    try:
        yield
    finally:
        os.dup2(saved, 2)
        os.close(saved)
        os.close(devnull)


def connect(address: str | None) -> None:
    """Start a local Ray runtime (address None or "local"), or join a cluster ("auto" or host:port)."""
    import logging

    for name, value in RAY_QUIET.items():
        os.environ.setdefault(name, value)
    ray = _ray()
    for name in ("ray", "ray.data"):  # ray.init(configure_logging=False) leaves Ray's handlers at INFO
        logging.getLogger(name).setLevel(logging.ERROR)
    ray.data.DataContext.get_current().enable_progress_bars = False
    if ray.is_initialized():
        return
    try:
        with _native_stderr_quiet():
            ray.init(address=None if address in (None, "", "local") else address, include_dashboard=False,
                     log_to_driver=False, logging_level="ERROR", configure_logging=False)
    except (ConnectionError, RuntimeError, ValueError) as exc:
        raise CodesearchError(f"cannot reach a Ray cluster at {address!r} ({exc}); start one with `ray start --head`, "
                              "or drop the address to use a local runtime") from exc


@dataclass(frozen=True)
class ActorPlan:
    """How many model actors, and what each asks Ray for."""

    actors: int
    gpus: float
    cpus: float
    threads: int

    @classmethod
    def for_cluster(cls, actors: int | None, threads: int | None) -> "ActorPlan":
        """One actor per GPU when the cluster has GPUs; else CPU actors that leave room for tokenizing."""
        resources = _ray().cluster_resources()
        gpus, cpus = int(resources.get("GPU", 0)), max(1, int(resources.get("CPU", 1)))
        if gpus:
            return cls(actors or gpus, 1.0, 1.0, threads or 1)
        n = actors or max(1, cpus // 4)
        per_actor = threads or max(1, cpus // n)
        return cls(n, 0.0, max(TOKENIZE_CPUS, min(per_actor, cpus / n) - TOKENIZE_CPUS), per_actor)


class _TokenizeActor:
    """Ray actor on a slice of a CPU: the model's own tokenize() (a weights-free Embedder), loaded once."""

    def __init__(self, name: str, settings: tuple, kind: str) -> None:
        from codesearch.embed.embedding import load_embedder

        self.tokenizer = load_embedder(name, Config(**dict(settings)), weights=False)
        self.kind = kind

    def __call__(self, batch: dict) -> dict:
        ids = self.tokenizer.tokenize([str(t) for t in batch["text"]], self.kind)
        column = np.empty(len(ids), dtype=object)
        column[:] = [np.asarray(x, dtype=np.int32) for x in ids]
        return {"hash": batch["hash"], "ids": column}


class _EmbedActor:
    """Ray actor: holds the model and turns token ids into unit vectors."""

    def __init__(self, name: str, settings: tuple, kind: str) -> None:
        from codesearch.embed.embedding import load_embedder

        self.embedder = load_embedder(name, Config(**dict(settings)))
        self.kind = kind

    def __call__(self, batch: dict) -> dict:
        vectors = self.embedder.embed_ids([list(x) for x in batch["ids"]], self.kind)
        return {"hash": batch["hash"], "vector": vectors}


def _settings(cfg: Config, threads: int) -> tuple:
    """The config as plain (field, value) pairs for the workers, with the actor's thread count."""
    return tuple(sorted({**dataclasses.asdict(cfg), "threads": threads}.items()))


def embed_on_ray(texts: Sequence[tuple[str, str]], name: str, cfg: Config, keep: Callable[[list[str], np.ndarray], None],
                 kind: str = "document", actors: int | None = None,
                 on_progress: Callable[[int, int, float], None] = lambda done, total, secs: None) -> int:
    """Embed (hash, text) pairs on the connected cluster; keep(hashes, vectors) gets each chunk as
    it streams back. on_progress(done, total, seconds). Returns how many were embedded."""
    if not texts:
        return 0
    ray = _ray()
    plan = ActorPlan.for_cluster(actors, cfg.threads)
    settings = _settings(cfg, plan.threads)
    # longest first: each block, and so each actor batch, holds texts of similar length (little padding)
    rows = sorted(({"hash": h, "text": t} for h, t in texts), key=lambda r: -len(r["text"]))
    ds = ray.data.from_items(rows, override_num_blocks=max(1, min(-(-len(rows) // BLOCK_ROWS), 10000)))
    # tokenizers are actors too (one per model actor, a quarter CPU each): a fresh task worker would
    # import torch and load the tokenizer again, which costs more than tokenizing a block
    ds = ds.map_batches(_TokenizeActor, fn_constructor_kwargs={"name": name, "settings": settings, "kind": kind},
                        batch_size=TOKENIZE_BATCH, batch_format="numpy", num_cpus=TOKENIZE_CPUS,
                        compute=ray.data.ActorPoolStrategy(size=plan.actors))
    ds = ds.map_batches(_EmbedActor, fn_constructor_kwargs={"name": name, "settings": settings, "kind": kind},
                        batch_size=ACTOR_BATCH, batch_format="numpy", compute=ray.data.ActorPoolStrategy(size=plan.actors),
                        num_gpus=plan.gpus or None, num_cpus=plan.cpus)
    started, done = time.monotonic(), 0
    on_progress(0, len(rows), 0.0)
    for batch in ds.iter_batches(batch_size=EMBED_CHUNK, batch_format="numpy"):
        hashes = [str(h) for h in batch["hash"]]
        keep(hashes, np.asarray(np.stack(batch["vector"]), dtype=np.float32))
        done += len(hashes)
        on_progress(done, len(rows), time.monotonic() - started)
    return done


def embed_all_on_ray(texts: Sequence[str], name: str, cfg: Config, kind: str = "document",
                     actors: int | None = None) -> np.ndarray:
    """Vectors for texts, in order (duplicates embedded once): a drop-in for embed_documents/queries."""
    if not texts:
        return np.zeros((0, 0), dtype=np.float32)
    from codesearch.parse.documents import text_hash

    by_hash = {text_hash(t): t for t in texts}
    out: dict[str, np.ndarray] = {}
    embed_on_ray(list(by_hash.items()), name, cfg, lambda hs, vs: out.update(zip(hs, vs)), kind, actors)
    return np.stack([out[text_hash(t)] for t in texts])


class RayEmbedder:
    """The Embedder protocol over the cluster, for a sync's driver: it holds only the tokenizer and
    shape, and sends the (few) texts that turn up after the bulk pass to the cluster too."""

    def __init__(self, shape, name: str, cfg: Config, address: str | None = None, actors: int | None = None) -> None:
        self.model_id, self.dim, self.recipe = shape.model_id, shape.dim, shape.recipe
        self.max_length, self.legacy_length = shape.max_length, shape.legacy_length  # the actors resolve the same budget
        self.vector_precision = shape.vector_precision  # and the same precision
        self._name, self._cfg, self._address, self._actors = name, cfg, address, actors

    def _embed(self, texts: Sequence[str], kind: str) -> np.ndarray:
        connect(self._address)
        return embed_all_on_ray(list(texts), self._name, self._cfg, kind, self._actors)

    def embed_documents(self, texts: Sequence[str], progress=None) -> np.ndarray:
        return self._embed(texts, "document")

    def embed_queries(self, texts: Sequence[str], progress=None) -> np.ndarray:
        return self._embed(texts, "query")

    def fast_queries(self) -> bool:
        return False
