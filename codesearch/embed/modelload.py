"""A model whose weights load while the lexical pass runs: a first index answers by words before
the model is ready, and the load's seconds (int8 quantisation included) overlap the parsing.

The load itself still runs its torch work on the compute thread (codesearch.embed.compute); the thread
here only waits for it, so no second OpenMP team is ever started.
"""

from __future__ import annotations

import threading
from concurrent.futures import Future
from typing import Callable

from codesearch.embed.embedding import Embedder, ModelShape


class ModelLoad:
    """An index's model on its way: its identity now (what the catalog records), its weights when the
    embedding pass asks for them."""

    def __init__(self, shape: ModelShape | Embedder, load: Callable[[], Embedder]) -> None:
        """shape: the model's identity (its shape, or the model itself when already loaded)."""
        self.model_id, self.dim = shape.model_id, shape.dim
        self.max_length, self.legacy_length = shape.max_length, shape.legacy_length  # its token budget
        self.vector_precision = shape.vector_precision  # fp32 or int8, as its vectors will be
        self._load = load
        self._started = threading.Lock()
        self._thread: threading.Thread | None = None
        self._result: Future = Future()

    def start(self) -> None:
        """Begin loading, once, on a daemon thread (a process that exits early does not wait for it)."""
        with self._started:
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name="codesearch-model-load", daemon=True)
                self._thread.start()

    def _run(self) -> None:
        try:
            self._result.set_result(self._load())
        except BaseException as exc:  # handed to whoever waits: the load's own error, unchanged
            self._result.set_exception(exc)

    def loaded(self, cancelled: threading.Event | None = None) -> Embedder | None:
        """The loaded model, waiting for it; a failed load raises its own error here. None when
        cancelled is set before the load ends (a sync being stopped does not wait for the weights)."""
        self.start()
        while cancelled is not None and not self._result.done():
            if cancelled.wait(0.1):
                return None
        return self._result.result()


__all__ = ["ModelLoad"]
