"""Keep the model busy: the next texts are read and tokenized while the model embeds the current ones.

Three stages run at once during an index's embedding pass:
- a producer thread (`Prefetch`) reads function texts through its own read-only catalog connection
  and tokenizes them (the tokenizers release the GIL), at most `depth` pieces ahead;
- the model (`ModelStage`) runs one piece at a time on a worker thread, which hands each batch to the
  process's one compute thread (codesearch.embed.compute);
- the caller's thread writes the previous piece's vectors (caches, catalog, vector index) while the
  model works: SQLite writes and the in-memory vector index stay on the one thread that owns them.

Errors anywhere reach the caller as the same exception objects; leaving the `with` blocks (normally,
by an error, by cancellation or KeyboardInterrupt) stops both threads.
"""

from __future__ import annotations

import queue
import threading
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Callable, Generic, Iterator, Sequence, TypeVar

import numpy as np

T = TypeVar("T")
Compute = Callable[[list, Callable[[int, int], None]], np.ndarray]

_ITEM, _ERROR, _END = "item", "error", "end"
EMBED_CHUNK = 64  # texts per embedding call and per committed write: a kill loses at most this much
PUT_POLL_SECONDS = 0.05  # how often a producer with a full queue looks whether it should stop
JOIN_SECONDS = 60.0

__all__ = ["Prefetch", "ModelStage", "document_stages"]


class Prefetch(Generic[T]):
    """Items a producer thread makes ahead of their consumer, at most `depth` of them waiting."""

    def __init__(self, produce: Callable[[], Iterator[T]], depth: int = 2, name: str = "codesearch-prepare") -> None:
        self._queue: queue.Queue = queue.Queue(maxsize=max(1, depth))
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, args=(produce,), name=name, daemon=True)
        self._thread.start()

    def _run(self, produce: Callable[[], Iterator[T]]) -> None:
        try:
            items = produce()
            try:
                for item in items:
                    if not self._put((_ITEM, item)):
                        return
            finally:
                close = getattr(items, "close", None)
                if close is not None:
                    close()  # a generator's own cleanup (its catalog connection) runs here, in its thread
        except BaseException as exc:  # noqa: BLE001 - handed to the consumer, raised there as it was
            self._put((_ERROR, exc))
            return
        self._put((_END, None))

    def _put(self, entry: tuple) -> bool:
        """Queue entry unless the consumer has gone; False when it has."""
        while not self._stop.is_set():
            try:
                self._queue.put(entry, timeout=PUT_POLL_SECONDS)
                return True
            except queue.Full:
                continue
        return False

    def __iter__(self) -> Iterator[T]:
        while True:
            kind, value = self._queue.get()
            if kind == _END:
                return
            if kind == _ERROR:
                raise value
            yield value

    @property
    def alive(self) -> bool:
        return self._thread.is_alive()

    def close(self) -> None:
        """Stop the producer (after the item it is making) and wait for its thread to end."""
        self._stop.set()
        self._thread.join(JOIN_SECONDS)

    def __enter__(self) -> "Prefetch[T]":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class Stopped(Exception):
    """Raised inside a model job between two batches when its stage closes."""


class ModelStage:
    """compute(prepared) on one worker thread, jobs in order, so the caller can write one piece's
    vectors while the model embeds the next; closing stops the running job after its current batch.

    A worker of its own rather than whole pieces queued on the compute thread: that thread's jobs stay
    one batch long, so a model load or another index's work waits for a batch, not for a piece."""

    def __init__(self, compute: Compute, name: str = "codesearch-model") -> None:
        self._compute = compute
        self._stop = threading.Event()
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix=name)

    def submit(self, prepared: list) -> Future:
        """Start embedding prepared (after the jobs already submitted); the Future holds its vectors."""
        return self._pool.submit(self._run, prepared)

    def _run(self, prepared: list) -> np.ndarray:
        def between_batches(done: int, total: int) -> None:
            if self._stop.is_set():
                raise Stopped()

        return self._compute(prepared, between_batches)

    def close(self) -> None:
        """Drop queued jobs, stop the running one after its batch, and wait for the worker to end."""
        self._stop.set()
        self._pool.shutdown(wait=True, cancel_futures=True)

    def __enter__(self) -> "ModelStage":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def document_stages(embedder) -> tuple[Callable[[Sequence[str]], list], Compute]:
    """(prepare, compute) for documents: tokenize then embed token ids when the embedder can split
    the two (the torch backends), else the texts themselves then embed_documents (Ray, test doubles;
    these stop between pieces only)."""
    tokenize, embed_ids = getattr(embedder, "tokenize", None), getattr(embedder, "embed_ids", None)
    if tokenize is not None and embed_ids is not None and getattr(embedder, "model", None) is not None:
        return (lambda texts: tokenize(list(texts), "document")), (lambda ids, progress: embed_ids(ids, "document", progress))
    return list, (lambda texts, progress: embedder.embed_documents(texts))  # some take the texts alone
