"""The approximate-nearest-neighbour index (hnswlib), saved atomically with a checksum.

The file holds only floats and graph links (hnswlib's own format; no pickle). A sidecar JSON
records the catalog generation it matches, its size and its BLAKE2 checksum, and an HMAC under the
user's secret over all of that (see trust.py): hnswlib, which trusts its input, only ever reads a
file whose sidecar verifies and whose bytes match. Anything else is rebuilt from the catalog.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import Callable

import hnswlib
import numpy as np

from codesearch.errors import UntrustedIndexError
from codesearch.store.safefiles import atomic_write_text, check_entry, open_read, read_text, replacing
from codesearch.store.names import INDEX_NAME, SIDECAR_NAME

MAX_FILE_BYTES = 1 << 40


def _checksum(path: Path, size: int) -> str | None:
    """BLAKE2 of a regular file of exactly size bytes (read through a no-follow fd), else None."""
    fd = open_read(path, size)
    try:
        if os.fstat(fd).st_size != size:
            return None
        h = hashlib.blake2b(digest_size=16)
        for block in iter(lambda: os.read(fd, 1 << 22), b""):
            h.update(block)
        return h.hexdigest()
    finally:
        os.close(fd)


def _int(meta: dict, key: str, low: int, high: int) -> int:
    value = meta.get(key)
    if type(value) is not int or not low <= value <= high:
        raise ValueError(f"{key} = {value!r}")
    return value


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
        if free:  # hnswlib reused some deleted slots: their old labels are gone from the index
            self.deleted.intersection_update(self.index.get_ids_list())

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

    def save(self, folder: Path, generation: int, model: str, seal: Callable[[dict], str]) -> None:
        """Write the index and its sealed sidecar atomically (fresh temp file, fsync, rename)."""
        with replacing(folder / INDEX_NAME) as (tmp, fd):  # ours and new: hnswlib writes into it, never via a link
            os.close(fd)
            self.index.save_index(str(tmp))
            size = os.lstat(tmp).st_size
            fd = open_read(tmp)
            try:
                os.fsync(fd)
            finally:
                os.close(fd)
            digest = _checksum(tmp, size)
        sidecar = {"generation": generation, "model": model, "dim": self.dim, "count": len(self),
                   "bytes": size, "blake2b": digest, "m": self.m,
                   "ef_construction": self.ef_construction, "deleted": sorted(self.deleted)}
        sidecar["mac"] = seal(sidecar)
        atomic_write_text(folder / SIDECAR_NAME, json.dumps(sidecar))

    @classmethod
    def load(cls, folder: Path, model: str, dim: int, verify: Callable[[dict], bool], ef: int = 128) -> "VectorIndex | None":
        """The saved index if its sidecar verifies and its bytes match; None means rebuild it.

        It may be older than the catalog: the caller brings it up to date by diffing labels.
        """
        path, side = folder / INDEX_NAME, folder / SIDECAR_NAME
        try:
            meta = json.loads(read_text(side))
            if not isinstance(meta, dict) or not verify(meta):
                return None
            size = _int(meta, "bytes", 1, MAX_FILE_BYTES)
            count = _int(meta, "count", 0, 1 << 40)
            deleted = meta.get("deleted")
            if (meta.get("model") != model or meta.get("dim") != dim or not isinstance(deleted, list)
                    or len(deleted) > size or check_entry(path) is None or _checksum(path, size) != meta.get("blake2b")):
                return None
            self = cls.__new__(cls)
            self.dim, self.ef = dim, ef
            self.m, self.ef_construction = _int(meta, "m", 2, 1024), _int(meta, "ef_construction", 1, 1 << 20)
            self.index = hnswlib.Index(space="cosine", dim=dim)
            self.index.load_index(str(path), allow_replace_deleted=True)
            self.index.set_ef(ef)
            self.deleted = {int(i) for i in deleted} & set(self.index.get_ids_list())
            if len(self) != count:
                return None
            return self
        except (OSError, ValueError, RuntimeError, TypeError, AttributeError, OverflowError, UntrustedIndexError):
            return None

    @classmethod
    def build(cls, ids: np.ndarray, vectors: np.ndarray, dim: int, m: int = 16, ef_construction: int = 200,
              ef: int = 128) -> "VectorIndex":
        """A fresh index over the given vectors (used to rebuild from the catalog)."""
        index = cls(dim, capacity=len(ids) + 64, m=m, ef_construction=ef_construction, ef=ef)
        index.add(ids, vectors)
        return index
