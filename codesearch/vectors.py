"""The approximate-nearest-neighbour index (hnswlib), saved atomically with a checksum.

The file holds only floats and graph links (hnswlib's own format; no pickle). A sidecar JSON
records the catalog generation it matches, its size and its BLAKE2 checksum, so a stale or
damaged file is detected before hnswlib reads it, and rebuilt from the catalog's cached vectors.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import Callable

import hnswlib
import numpy as np

from .statefiles import atomic_write_text, fsync_dir

INDEX_NAME = "vectors.hnsw"
SIDECAR_NAME = "vectors.json"


def _checksum(path: Path) -> str:
    h = hashlib.blake2b(digest_size=16)
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 22), b""):
            h.update(block)
    return h.hexdigest()


class VectorIndex:
    """Cosine HNSW over function ids; swappable behind add/delete/search/save/load."""

    def __init__(self, dim: int, capacity: int = 1024, m: int = 16, ef_construction: int = 200, ef: int = 128) -> None:
        self.dim = dim
        self.m = m
        self.ef_construction = ef_construction
        self.ef = ef
        self.index = hnswlib.Index(space="cosine", dim=dim)
        self.index.init_index(max_elements=max(capacity, 16), M=m, ef_construction=ef_construction,
                              allow_replace_deleted=True, random_seed=100)
        self.index.set_ef(ef)
        self.deleted: set[int] = set()

    def __len__(self) -> int:
        return self.index.get_current_count() - len(self.deleted)

    @property
    def labels(self) -> set[int]:
        return set(self.index.get_ids_list()) - self.deleted

    def add(self, ids: np.ndarray | list[int], vectors: np.ndarray) -> None:
        """Insert vectors under ids, growing the index as needed and reusing deleted slots."""
        if len(ids) == 0:
            return
        ids = np.asarray(ids, dtype=np.int64)
        free = len(self.deleted)
        need = self.index.get_current_count() + len(ids) - min(free, len(ids))
        if need > self.index.get_max_elements():
            self.index.resize_index(max(need, int(self.index.get_max_elements() * 1.5) + 16))
        self.index.add_items(np.asarray(vectors, dtype=np.float32), ids, replace_deleted=free > 0)
        self.deleted.difference_update(int(i) for i in ids)

    def delete(self, ids: list[int]) -> None:
        """Forget ids (unknown ones are ignored)."""
        for i in ids:
            if i in self.deleted:
                continue
            try:
                self.index.mark_deleted(int(i))
                self.deleted.add(int(i))
            except RuntimeError:
                pass  # not in the index

    def search(self, query: np.ndarray, k: int, allowed: Callable[[int], bool] | None = None) -> list[tuple[int, float]]:
        """Up to k (id, cosine similarity) pairs, best first."""
        n = len(self)
        if n == 0 or k <= 0:
            return []
        k = min(k, n)
        self.index.set_ef(max(self.ef, k))
        try:
            labels, distances = self.index.knn_query(np.asarray(query, dtype=np.float32).reshape(1, -1), k=k, filter=allowed)
        except RuntimeError:  # fewer than k reachable under the filter
            return []
        return [(int(label), 1.0 - float(d)) for label, d in zip(labels[0], distances[0])]

    def save(self, folder: Path, generation: int, model: str) -> None:
        """Write the index and its sidecar atomically (temp file, fsync, rename)."""
        path = folder / INDEX_NAME
        tmp = folder / f".{INDEX_NAME}.{os.getpid()}.tmp"
        self.index.save_index(str(tmp))
        with open(tmp, "rb") as fh:
            os.fsync(fh.fileno())
        digest = _checksum(tmp)
        os.replace(tmp, path)
        fsync_dir(folder)
        sidecar = {"generation": generation, "model": model, "dim": self.dim, "count": len(self),
                   "bytes": path.stat().st_size, "blake2b": digest, "m": self.m,
                   "ef_construction": self.ef_construction, "deleted": sorted(self.deleted)}
        atomic_write_text(folder / SIDECAR_NAME, json.dumps(sidecar))

    @classmethod
    def load(cls, folder: Path, model: str, dim: int, ef: int = 128) -> "VectorIndex | None":
        """The saved index if it is intact and of this model; None means rebuild it.

        It may be older than the catalog: the caller brings it up to date by diffing labels.
        """
        path, side = folder / INDEX_NAME, folder / SIDECAR_NAME
        try:
            meta = json.loads(side.read_text())
            if (meta.get("model") != model or meta.get("dim") != dim
                    or path.stat().st_size != meta.get("bytes") or _checksum(path) != meta.get("blake2b")):
                return None
            self = cls.__new__(cls)
            self.dim, self.m, self.ef_construction, self.ef = dim, meta.get("m", 16), meta.get("ef_construction", 200), ef
            self.index = hnswlib.Index(space="cosine", dim=dim)
            self.index.load_index(str(path), allow_replace_deleted=True)
            self.index.set_ef(ef)
            self.deleted = {int(i) for i in meta.get("deleted", [])}
            return self
        except (OSError, ValueError, RuntimeError, TypeError, AttributeError):
            return None

    @classmethod
    def build(cls, ids: np.ndarray, vectors: np.ndarray, dim: int, m: int = 16, ef_construction: int = 200,
              ef: int = 128) -> "VectorIndex":
        """A fresh index over the given vectors (used to rebuild from the catalog)."""
        index = cls(dim, capacity=len(ids) + 64, m=m, ef_construction=ef_construction, ef=ef)
        index.add(ids, vectors)
        return index
