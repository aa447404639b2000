"""An index folder: where it is, what it holds (catalog + vectors), and keeping the two in step."""

from __future__ import annotations

import os
import time
from pathlib import Path

from codesearch.store import trust
from codesearch.store.catalog import FTS_TABLE, Catalog
from codesearch.config import Config
from codesearch.errors import CodesearchError, IndexDataError, IndexMismatchError, NoIndexError, UntrustedIndexError
from codesearch.store.locate import CATALOG_NAME, canonical_folder, default_root, find_index
from codesearch.store.locks import WriterLock
from codesearch.store.safefiles import atomic_write_text, remove_stale_temps
from codesearch.store.statefiles import pid_alive
from codesearch.store.vectors import INDEX_NAME, SIDECAR_NAME, VectorIndex

SAVE_AFTER_CHANGES = 2000  # small syncs skip rewriting the vector file; loaders apply the diff
MAX_DIM = 65536
__all__ = ["Store", "find_index", "default_root"]


class Store:
    """Catalog plus vector index of one repository."""

    def __init__(self, root: Path, folder: Path, catalog: Catalog, cfg: Config, index_id: str) -> None:
        self.root = root
        self.folder = folder
        self.catalog = catalog
        self.cfg = cfg
        self.index_id = index_id
        self._vectors: VectorIndex | None = None
        self._vectors_generation = -1
        self.unsaved_changes = 0
        self.lock = WriterLock(folder)

    @classmethod
    def create(cls, root: Path, cfg: Config, rebuild: bool = False) -> "Store":
        """Open or create the index folder of root (with a .gitignore so it is never committed).

        A folder we did not write (a link, no valid trust record, another root) is set aside, kept,
        and a new one built. rebuild=True also gets past a damaged catalog: it is moved aside too.
        """
        root = root.resolve()
        folder = canonical_folder(cfg.index_path(root))
        record = None
        if os.path.lexists(folder):
            try:
                record = trust.verify_folder(folder, root)
            except UntrustedIndexError as exc:
                trust.set_aside(folder, f"{exc}")
        if record is None:
            return cls._create_new(root, folder, cfg)
        remove_stale_temps(folder, pid_alive)
        try:
            catalog = Catalog(folder)
        except UntrustedIndexError:
            raise
        except CodesearchError:
            if not rebuild:
                raise
            stamp = time.strftime("%Y%m%d-%H%M%S")
            for suffix in ("", "-wal", "-shm"):
                damaged = folder / (CATALOG_NAME + suffix)
                if damaged.exists():
                    damaged.rename(folder / f"{CATALOG_NAME}{suffix}.damaged-{stamp}")
            catalog = Catalog(folder)
            with catalog.transaction():
                catalog.set_meta("index_id", record.index_id)
                catalog.set_meta("root", str(root))
        return cls._checked(root, folder, catalog, cfg, record)

    @classmethod
    def _create_new(cls, root: Path, folder: Path, cfg: Config) -> "Store":
        """A fresh index folder: .gitignore, empty catalog, and a trust record under our secret."""
        folder.mkdir(parents=True, mode=0o700)
        atomic_write_text(folder / ".gitignore", "# written by codesearch: never commit the index\n*\n")
        catalog = Catalog(folder)
        index_id = trust.new_index_id()
        with catalog.transaction():
            catalog.set_meta("index_id", index_id)
            catalog.set_meta("root", str(root))
        trust.seal_folder(folder, index_id, root)
        return cls(root, folder, catalog, cfg, index_id)

    @classmethod
    def _checked(cls, root: Path, folder: Path, catalog: Catalog, cfg: Config, record: "trust.TrustRecord") -> "Store":
        """A Store over a verified folder whose catalog is the one its record names."""
        if catalog.get_meta("index_id") != record.index_id:
            catalog.close()
            raise UntrustedIndexError(f"the catalog in {folder} is not the one its trust record vouches for")
        store = cls(root, folder, catalog, cfg, record.index_id)
        try:
            store.dim  # absurd meta values fail here, as one clear line
            catalog.generation
        except IndexDataError:
            catalog.close()
            raise
        return store

    @classmethod
    def open(cls, start: Path, cfg: Config) -> "Store":
        """The index covering start; a clear error when there is none or it is not ours."""
        found = find_index(start, cfg)
        if not found:
            raise NoIndexError(f"no codesearch index covers {start.resolve()}: create one with `codesearch index` "
                               "at the repository root (add `--model minilm` to work fully offline)")
        root, folder = found
        try:
            record = trust.verify_folder(folder, None if _outside_root(cfg) else root)
        except UntrustedIndexError as exc:
            raise UntrustedIndexError(f"{exc}; nothing in it was read: run `codesearch index` in {root} "
                                      "to set it aside and build your own") from None
        return cls._checked(record.root, folder, Catalog(folder), cfg, record)

    def close(self) -> None:
        self.catalog.close()

    @property
    def model_id(self) -> str | None:
        return self.catalog.model_id

    @property
    def dim(self) -> int:
        return self.catalog.meta_int("dim", 0, MAX_DIM)

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
            db.execute(f"DELETE FROM {FTS_TABLE}")
            db.execute("DELETE FROM functions")
            db.execute("DELETE FROM files")
            db.execute("DELETE FROM meta WHERE key IN ('model', 'dim')")
            self.catalog.bump_generation()
        self._vectors = None
        for name in (INDEX_NAME, SIDECAR_NAME):
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
        verify = lambda meta: trust.sidecar_verifies(self.index_id, meta)  # noqa: E731
        index = VectorIndex.load(self.folder, model, dim, verify, ef=self.cfg.ef_search) if dim else None
        if index is None:
            ids, matrix = self.catalog.vectors_for(model, dim=dim)
            index = VectorIndex.build(ids, matrix, max(dim, 1), self.cfg.hnsw_m, self.cfg.ef_construction, self.cfg.ef_search)
            self.rebuilt_vectors = True
            self.unsaved_changes = len(ids)
        else:
            self._repair(index)
        self._vectors, self._vectors_generation = index, generation
        return index

    def loaded_vectors(self) -> VectorIndex | None:
        """The vector index already in memory and in step with the catalog, else None (nothing is loaded)."""
        if self._vectors is not None and self._vectors_generation == self.catalog.generation:
            return self._vectors
        return None

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
        missing = not (self.folder / INDEX_NAME).exists()
        if force or missing or self.unsaved_changes >= SAVE_AFTER_CHANGES:
            self._vectors.save(self.folder, self._vectors_generation, self.catalog.model_id or "",
                               lambda meta: trust.seal_sidecar(self.index_id, meta))
            self.unsaved_changes = 0

    def index_bytes(self) -> int:
        total = 0
        for p in self.folder.iterdir():
            try:
                total += p.lstat().st_size
            except OSError:
                pass
        return total


def _outside_root(cfg: Config) -> bool:
    """True when the index folder is an absolute --index-dir: its root is the one its trust record names."""
    return bool(cfg.index_dir) and Path(cfg.index_dir).expanduser().is_absolute()
