"""The static tier at search time: its vectors held in memory (reloaded when the catalog changes) and
ranked exactly: a matrix product over every function, a few milliseconds for 10k functions."""

from __future__ import annotations

import threading

import numpy as np

from codesearch.embed.static import StaticEmbedder, TokenStats
from codesearch.store.catalog import Catalog


class StaticTier:
    """One index's static tier: the embedder that pools distilled token vectors, and its vectors."""

    def __init__(self, embedder: StaticEmbedder, model_key: str | None) -> None:
        self.embedder = embedder
        self.model_key = model_key  # the transformer's vectors: a function it covers is left to it
        self._held: tuple[tuple[int, int], np.ndarray, np.ndarray, np.ndarray] | None = None
        self._lock = threading.Lock()

    def _vectors(self, catalog: Catalog) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(ids, matrix, covered by the transformer), read again only after the catalog changed."""
        with self._lock:
            version = catalog.version()
            if self._held is None or self._held[0] != version:
                kept = catalog.static_stats(self.embedder.model_id, self.embedder.dim)
                self.embedder.stats = TokenStats(*kept) if kept is not None else None  # a query pools as the functions did
                self._held = (version, *catalog.tier_vectors(self.embedder.model_id, self.model_key, self.embedder.dim))
            return self._held[1:]

    def ranking(self, catalog: Catalog, text: str, n: int, allowed: set[int] | None,
                everywhere: bool = False) -> list[tuple[int, float]]:
        """Top n (id, cosine) by the static tier, over the functions the transformer has not covered
        yet (every function when everywhere), within allowed."""
        labels, matrix, covered = self._vectors(catalog)
        keep = np.ones(len(labels), dtype=bool) if everywhere else ~covered
        if allowed is not None:
            keep &= np.fromiter((int(i) in allowed for i in labels), dtype=bool, count=len(labels))
        if not keep.any():
            return []
        qv = self.embedder.embed_queries([text])[0]
        ids, sims = labels[keep], matrix[keep] @ qv
        top = np.argsort(-sims, kind="stable")[:n]
        return [(int(ids[i]), float(sims[i])) for i in top]


__all__ = ["StaticTier"]
