"""An index folder: where it is, what it holds (catalog + vectors), and keeping the two in step."""

from __future__ import annotations

import os
import time
from pathlib import Path

from .catalog import Catalog
from .config import Config
from .errors import CodesearchError, IndexMismatchError, NoIndexError
from .locate import CATALOG_NAME, default_root, find_index
from .locks import WriterLock
from .vectors import VectorIndex

SAVE_AFTER_CHANGES = 2000  # small syncs skip rewriting the vector file; loaders apply the diff
__all__ = ["Store", "find_index", "default_root"]


class Store:
    """Catalog plus vector index of one repository."""

    def __init__(self, root: Path, folder: Path, catalog: Catalog, cfg: Config) -> None:
        self.root = root
        self.folder = folder
        self.catalog = catalog
        self.cfg = cfg
        self._vectors: VectorIndex | None = None
        self._vectors_generation = -1
        self.unsaved_changes = 0
        self.lock = WriterLock(folder)

    @classmethod
    def create(cls, root: Path, cfg: Config, rebuild: bool = False) -> "Store":
        """Open or create the index folder of root (with a .gitignore so it is never committed).

        rebuild=True also gets past a damaged catalog: it is moved aside (kept, not deleted).
        """
        root = root.resolve()
        folder = cfg.index_path(root).resolve()
        folder.mkdir(parents=True, exist_ok=True)
        ignore = folder / ".gitignore"
        if not ignore.exists():
            ignore.write_text("# written by codesearch: never commit the index\n*\n")
        try:
            catalog = Catalog(folder)
        except CodesearchError:
            if not rebuild:
                raise
            stamp = time.strftime("%Y%m%d-%H%M%S")
            for suffix in ("", "-wal", "-shm"):
                damaged = folder / (CATALOG_NAME + suffix)
                if damaged.exists():
                    damaged.rename(folder / f"{CATALOG_NAME}{suffix}.damaged-{stamp}")
            catalog = Catalog(folder)
        if catalog.get_meta("root") != str(root):
            with catalog.transaction():
                catalog.set_meta("root", str(root))
        return cls(root, folder, catalog, cfg)

    @classmethod
    def open(cls, start: Path, cfg: Config) -> "Store":
        """The index covering start; a clear error when there is none."""
        found = find_index(start, cfg)
        if not found:
            raise NoIndexError(f"no codesearch index covers {start.resolve()}: create one with `codesearch index` "
                               "at the repository root (add `--model minilm` to work fully offline)")
        root, folder = found
        return cls(root, folder, Catalog(folder), cfg)

    def close(self) -> None:
        self.catalog.close()

    @property
    def model_id(self) -> str | None:
        return self.catalog.model_id

    @property
    def dim(self) -> int:
        return int(self.catalog.get_meta("dim", "0") or 0)

    def check_model(self, model_id: str, dim: int) -> None:
        """Refuse to mix vectors of two models in one index."""
        current = self.catalog.model_id
        if current and current != model_id:
            raise IndexMismatchError(f"the index at {self.folder} was built with model {current!r}, not {model_id!r}: "
                                     "pass --rebuild to re-index with the new model, or drop --model")
        if not current:
            with self.catalog.transaction():
                self.catalog.set_meta("model", model_id)
                self.catalog.set_meta("dim", dim)

    def reset(self) -> None:
        """Forget every file and function (keeps the embedding cache) for a rebuild."""
        with self.catalog.transaction() as db:
            db.execute("DELETE FROM functions_fts")
            db.execute("DELETE FROM functions")
            db.execute("DELETE FROM files")
            db.execute("DELETE FROM meta WHERE key IN ('model', 'dim')")
            self.catalog.bump_generation()
        self._vectors = None
        for name in ("vectors.hnsw", "vectors.json"):
            try:
                os.unlink(self.folder / name)
            except FileNotFoundError:
                pass

    def vectors(self) -> VectorIndex:
        """The vector index in step with the catalog, never re-embedding anything.

        Loaded from disk when intact (else rebuilt from the cached vectors), then brought up to
        date by diffing its labels with the catalog's function ids: ids are never reused, so the
        diff is exact. A warm process repeats only the diff when the catalog changes.
        """
        generation = self.catalog.generation
        if self._vectors is not None:
            if self._vectors_generation != generation:
                self._repair(self._vectors)
                self._vectors_generation = generation
            return self._vectors
        model, dim = self.catalog.model_id or "", self.dim
        index = VectorIndex.load(self.folder, model, dim, ef=self.cfg.ef_search) if dim else None
        if index is None:
            ids, matrix = self.catalog.vectors_for(model, dim=dim)
            index = VectorIndex.build(ids, matrix, max(dim, 1), self.cfg.hnsw_m, self.cfg.ef_construction, self.cfg.ef_search)
            self.rebuilt_vectors = True
            self.unsaved_changes = len(ids)
        else:
            self._repair(index)
        self._vectors, self._vectors_generation = index, generation
        return index

    def _repair(self, index: VectorIndex) -> None:
        have = index.labels
        want = set(self.catalog.function_ids())
        stale = sorted(have - want)
        missing = sorted(want - have)
        index.delete(stale)
        if missing:
            ids, matrix = self.catalog.vectors_for(self.catalog.model_id or "", missing, self.dim)
            index.add(ids, matrix)
        self.unsaved_changes += len(stale) + len(missing)

    def adopt_vectors(self, index: VectorIndex, generation: int, changes: int = 0) -> None:
        """Tell the store the in-memory index now matches this catalog generation."""
        self._vectors, self._vectors_generation = index, generation
        self.unsaved_changes += changes

    def save_vectors(self, force: bool = False) -> None:
        """Write the vector file when forced, missing, or behind by many changes; readers diff the rest.

        Rewriting a 100k-vector file takes over a second, while a reader diffs a few changes in
        milliseconds, so small syncs leave the file as it is.
        """
        if self._vectors is None or self._vectors_generation != self.catalog.generation:
            return
        missing = not (self.folder / "vectors.hnsw").exists()
        if force or missing or self.unsaved_changes >= SAVE_AFTER_CHANGES:
            self._vectors.save(self.folder, self._vectors_generation, self.catalog.model_id or "")
            self.unsaved_changes = 0

    def index_bytes(self) -> int:
        total = 0
        for p in self.folder.iterdir():
            try:
                total += p.stat().st_size
            except OSError:
                pass
        return total
