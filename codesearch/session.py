"""An interactive session over one repository: open, index in the background, watch, search.

The TUI is a thin layer over this; every step here is the same library code the CLI runs.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Callable

from .config import DEFAULT_MODEL, Config
from .embedding import Embedder, load_embedder
from .errors import IndexLockedError
from .indexer import SyncProgress, SyncReport
from .models import check_recorded_model, model_id_of
from .search import Hit, Searcher
from .status import stale_files
from .store import Store, default_root, find_index
from .watch import Watcher


def open_store_and_model(root: Path, cfg: Config) -> tuple[Store, Embedder]:
    """The index of root (created if needed) and its model, for a long-lived process.

    An index keeps the model it was built with; --model may only name that same model.
    """
    store = Store.create(root, cfg)
    try:
        if cfg.model and store.model_id and model_id_of(cfg.model) != store.model_id:
            store.check_model(model_id_of(cfg.model), 0)  # raises the mismatch error, before loading weights
        if store.model_id:
            check_recorded_model(store.model_id, store.root, cfg.model)
        name = store.model_id or cfg.model or DEFAULT_MODEL
        embedder = load_embedder(name, cfg.device, cfg.batch_tokens, cfg.max_length, cfg.quantize)
        store.check_model(embedder.model_id, embedder.dim)
    except BaseException:
        store.close()
        raise
    return store, embedder


class Session:
    """Store for reading, embedder, and (when the lock is free) a watcher that writes."""

    def __init__(self, start: Path, cfg: Config) -> None:
        found = find_index(start, cfg)
        self.root = found[0] if found else default_root(start, cfg)
        self.cfg = cfg
        self.store: Store | None = None
        self.embedder: Embedder | None = None
        self.watcher: Watcher | None = None
        self.writer_store: Store | None = None
        self.read_only_reason: str | None = None
        self._lock = threading.Lock()
        self._starting: Watcher | None = None
        self._started = threading.Event()

    @property
    def model_name(self) -> str:
        if self.store is not None and self.store.model_id:
            return self.store.model_id
        return self.cfg.model or DEFAULT_MODEL

    def open(self) -> None:
        """Create or open the index and load its model (seconds for a large model)."""
        self.store, self.embedder = open_store_and_model(self.root, self.cfg)
        if not self.cfg.exact_queries:
            self.embedder.fast_queries()

    def start_watching(self, on_sync: Callable[[SyncReport], None], on_error: Callable[[str], None],
                       progress: Callable[[SyncProgress], None]) -> bool:
        """Sync now (reporting progress), then keep the index current; False if another writer owns it."""
        assert self.embedder is not None
        self.writer_store = Store.create(self.root, self.cfg)
        watcher = Watcher(self.writer_store, self.embedder, on_sync=on_sync, on_error=on_error, progress=progress)
        self._starting = watcher
        try:
            watcher.start(initial_sync=True)
        except IndexLockedError as exc:
            self.read_only_reason = str(exc)
            self.writer_store.close()
            self.writer_store = None
            return False
        finally:
            self._starting = None
            self._started.set()
        self.watcher = watcher
        return True

    def search(self, text: str, k: int = 50, languages: list[str] | None = None, path_glob: str | None = None,
               mode: str = "hybrid") -> list[Hit]:
        """Ranked hits; safe to call from worker threads."""
        assert self.store is not None
        with self._lock:
            return Searcher(self.store, self.embedder).search(text, k, languages, path_glob, mode)

    def counts(self) -> tuple[int, int]:
        assert self.store is not None
        with self._lock:
            return self.store.catalog.count("files"), self.store.catalog.count("functions")

    def stale(self) -> int:
        assert self.store is not None
        with self._lock:
            return stale_files(self.store)

    def close(self) -> None:
        """Stop watching (an initial sync in progress stops after its current batch) and close."""
        starting = self._starting
        if starting is not None:
            starting.indexer.cancelled.set()
            self._started.wait(120)
        if self.watcher is not None:
            self.watcher.stop()
            self.watcher = None
        for s in (self.writer_store, self.store):
            if s is not None:
                s.close()
