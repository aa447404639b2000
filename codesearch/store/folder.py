"""An index folder: where it is, what it holds (catalog + vectors), and keeping the two in step."""

from __future__ import annotations

import contextlib
import ctypes
import errno
import fcntl
import json
import os
import shlex
import shutil
import sqlite3
import sys
import time
import urllib.parse
from pathlib import Path
from typing import Iterator

from codesearch.store import trust
from codesearch.store.catalog import Catalog
from codesearch.config import Config
from codesearch.errors import (CodesearchError, IndexDataError, IndexLockedError, IndexMismatchError, NoIndexError,
                               NewerIndexError, StorageError, UntrustedIndexError, UsageError, storage_kind)
from codesearch.safetext import printable
from codesearch.store.locate import CATALOG_NAME, canonical_folder, default_root, find_index
from codesearch.store.locks import WriterLock
from codesearch.store.names import REBUILD_LOCK_NAME, SERVER_LOG, SERVER_STATE, SOCKET_NAME, WATCH_STATE
from codesearch.store.safefiles import atomic_write_text, read_text, remove_stale_temps
from codesearch.store.statefiles import live_state, pid_alive
from codesearch.store.vectors import INDEX_NAME, SIDECAR_NAME, VectorIndex

REBUILDING_SUFFIX = ".rebuilding"  # a rebuild fills `<index folder>.rebuilding`, then swaps it in
SAVE_AFTER_CHANGES = 2000  # small syncs skip rewriting the vector file; loaders apply the diff
MAX_DIM = 65536
SERVER_FILES = (SOCKET_NAME, SERVER_STATE, SERVER_LOG)  # a warm server's own files, kept across a rebuild
__all__ = ["Store", "find_index", "default_root"]


ASKED_MODEL_KEY = "model_asked"  # meta: the model the index was made for, before it records its vectors


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
        self._vectors_made: tuple = (None, None)  # the token budget and precision the loaded vectors were made at
        self.unsaved_changes = 0
        self.rebuilt_vectors = False  # True while the vectors in memory were rebuilt from the catalog, not yet saved
        self.lock = WriterLock(folder)
        self.created = False  # True when this Store made the folder (a failed first index removes it again)
        self.final: Path | None = None  # set while this folder is a rebuild made beside `final`

    @classmethod
    def create(cls, root: Path, cfg: Config, rebuild: bool = False) -> "Store":
        """Open or create the index folder of root (with a .gitignore so it is never committed).

        A folder we did not write (a link, no valid trust record) is set aside, kept, and a new one
        built; one we wrote for another path (the repository moved) is re-sealed for this one. A damaged,
        empty or foreign catalog is set aside (kept) and a new one built from the caches, with one line.
        Two writers creating at once take turns (a lock on the parent folder): no half-made folder is
        ever set aside by the other.
        """
        root = root.resolve()
        folder = canonical_folder(cfg.index_path(root))
        if folder == root or folder in root.parents:
            raise UsageError(f"the index folder {printable(folder)} (--index-dir) is the repository {printable(root)} "
                             "or a folder above it: name a new or empty folder for the index")
        try:  # `--index-dir /x/new/folder`: its missing parents are made, as the folder itself is
            folder.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise CodesearchError(f"cannot create {folder.parent} ({exc.strerror}): pass --index-dir to keep the index "
                                  "in a folder you can write") from None
        again = shlex.join(["codesearch", "index", *(["--model", cfg.model] if cfg.model else []),  # (review)
                            *(["--index-dir", cfg.index_dir] if cfg.index_dir else [])])
        with creation_lock(folder.parent), storage_errors(folder, again):  # a full disk as it is made: one line
            record = cls._verified_or_aside(folder, root, named=bool(cfg.index_dir))
            if record is None:
                writable(folder if os.path.lexists(folder) else folder.parent, "create the index")
                made = not os.path.lexists(folder)
                try:
                    return cls._create_new(root, folder, cfg)
                except BaseException:
                    if made:  # half made, holding nothing: gone, not set aside as untrusted by the next run
                        shutil.rmtree(folder, ignore_errors=True)
                    raise
            trust.secure_modes(folder)
            writable(folder, "write the index")
            remove_stale_temps(folder, pid_alive)
            catalog = cls._sound_catalog(folder, root, record, replace_newer=rebuild)
        return cls._checked(root, folder, catalog, cfg, record)

    @staticmethod
    def _verified_or_aside(folder: Path, root: Path, named: bool = False) -> "trust.TrustRecord | None":
        """The folder's record (re-sealed when this user wrote it for another path), or None once a folder
        that is not ours was set aside (or there was none, or it is an empty one to adopt). A folder the user
        named (--index-dir) that holds anything an index does not write is refused, never moved."""
        if not os.path.lexists(folder):
            return None
        try:
            return trust.verify_folder(folder, root)
        except UntrustedIndexError as exc:
            moved = trust.moved_record(folder)
            if moved is None:
                if not os.path.islink(folder) and (named or not os.listdir(folder)) and _adopted(folder):
                    return None
                trust.set_aside(folder, f"{exc}")
                return None
        writable(folder, "re-seal the index of the moved repository")
        trust.seal_folder(folder, moved.index_id, root)
        print(f"codesearch: the index at {folder} was made for {moved.root}; the repository moved, so it now "
              f"serves {root}", file=sys.stderr)
        return trust.TrustRecord(moved.index_id, root)

    @staticmethod
    def _sound_catalog(folder: Path, root: Path, record: "trust.TrustRecord", replace_newer: bool = False) -> Catalog:
        """The folder's catalog when it opens and is the one the record names; else it is set aside (kept)
        and a new empty one takes its place (a sync refills it, vectors from the caches). One a newer codesearch
        wrote is refused (NewerIndexError), unless replace_newer (`index --rebuild`) sets it aside too."""
        empty = catalog_is_empty(folder)
        try:
            catalog = Catalog(folder)
            if catalog.get_meta("index_id") == record.index_id:
                if catalog.get_meta("root") != str(root):
                    with catalog.transaction():
                        catalog.set_meta("root", str(root))
                return catalog
            catalog.close()
            why = "is empty" if empty else "is not the one its trust record vouches for"
        except (UntrustedIndexError, StorageError):
            raise
        except NewerIndexError:
            if not replace_newer:
                raise
            why = "was written by a newer codesearch, and --rebuild replaces it"
        except CodesearchError as exc:
            why = f"is damaged ({short_reason(exc.__cause__ or exc, folder / CATALOG_NAME)})"
        writable(folder, "set the damaged catalog aside")
        model = sealed_model(folder, record.index_id)  # the model it was made with, from its sealed vector sidecar
        stamp = time.strftime("%Y%m%d-%H%M%S")
        for suffix in ("", "-wal", "-shm"):
            damaged = folder / (CATALOG_NAME + suffix)
            if damaged.exists():
                damaged.rename(folder / f"{CATALOG_NAME}{suffix}.damaged-{stamp}")
        for derived in (INDEX_NAME, SIDECAR_NAME):  # labelled with the set-aside catalog's ids: they would mislead
            with contextlib.suppress(FileNotFoundError):
                (folder / derived).unlink()
        kept = f", with its model {model[0]}" if model else ""
        print(f"codesearch: warning: the catalog in {folder} {why}; kept it as {CATALOG_NAME}.damaged-{stamp} "
              f"and building a new one{kept} (vectors come back from the caches)", file=sys.stderr)
        catalog = Catalog(folder)
        with catalog.transaction():
            catalog.set_meta("index_id", record.index_id)
            catalog.set_meta("root", str(root))
            if model:
                catalog.set_meta("model", model[0])
                catalog.set_meta("dim", model[1])
        return catalog

    @classmethod
    def _create_new(cls, root: Path, folder: Path, cfg: Config, as_path: Path | None = None) -> "Store":
        """A fresh index folder: .gitignore, empty catalog, and a trust record under our secret (for
        as_path when it is built beside the folder it will replace)."""
        folder.mkdir(parents=True, mode=0o700, exist_ok=True)  # (an empty folder of ours is adopted: _adopted)
        atomic_write_text(folder / ".gitignore", "# written by codesearch: never commit the index\n*\n")
        catalog = Catalog(folder)
        index_id = trust.new_index_id()
        with catalog.transaction():
            catalog.set_meta("index_id", index_id)
            catalog.set_meta("root", str(root))
            if cfg.model:  # the model asked for, before its first vector records it: a run stopped by a full disk
                catalog.set_meta(ASKED_MODEL_KEY, cfg.model)  # goes on with it (it went on with the default: fault 3)
        trust.seal_folder(folder, index_id, root, as_path)
        store = cls(root, folder, catalog, cfg, index_id)
        store.created = True
        return store

    def lock_for_rebuild(self) -> list[WriterLock]:
        """The locks a rebuild holds, taken: its own (one rebuild at a time) and the writer lock, unless a
        live watcher holds that one (serve, watch, the TUI, MCP): it follows the swap to the new folder
        and reads every file there again, so the rebuild goes on beside it. Any other writer refuses it."""
        rebuild = WriterLock(self.folder, REBUILD_LOCK_NAME).acquire()
        try:
            return [rebuild, self.lock.acquire()]
        except IndexLockedError:
            if watcher_holding(self.folder) is not None:
                return [rebuild]
            rebuild.release()
            raise

    def create_beside(self) -> "Store":
        """An empty index folder next to this one (`<name>.rebuilding`), sealed for this one's path, that a
        rebuild fills while this index goes on answering; replace() swaps it in once complete. A rebuild
        killed earlier left one: it is removed (the caller holds this index's writer lock)."""
        beside = self.folder.with_name(self.folder.name + REBUILDING_SUFFIX)
        with creation_lock(self.folder.parent):
            if os.path.lexists(beside):
                shutil.rmtree(beside) if not os.path.islink(beside) else os.unlink(beside)
            new = Store._create_new(self.root, beside, self.cfg, as_path=self.folder)
        new.final = self.folder
        try:  # the old index's embedding cache: a rebuild embeds only what no cache holds
            new.catalog.db.execute("ATTACH DATABASE ? AS old", (f"file:{urllib.parse.quote(str(self.catalog.path))}?mode=ro",))
            with new.catalog.transaction():
                new.catalog.db.execute("INSERT OR IGNORE INTO embeddings SELECT * FROM old.embeddings")
                for key, value in self.catalog.vector_records().items():  # what budget and precision the copied vectors are of
                    new.catalog.set_meta(key, value)
            new.catalog.db.execute("DETACH DATABASE old")
        except sqlite3.DatabaseError:
            pass  # a damaged old catalog: the shared cache and the model fill the new one
        return new

    def replace(self) -> None:
        """Swap this rebuilt folder in for the one it was built beside, in one atomic exchange, then remove
        the old one; readers see the old index or the new one, never a half-built one."""
        final = self.final
        assert final is not None, "replace() is for a store made by create_beside()"
        self.save_vectors(force=True)
        self.catalog.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        self.catalog.close()
        with creation_lock(final.parent):
            exchange(self.folder, final)
        old = self.folder  # now holds the old index
        self.folder, self.final = final, None
        self.catalog = Catalog(final)
        self.lock = WriterLock(final)
        for kept in old.glob(f"{CATALOG_NAME}*.damaged-*"):  # a damaged catalog set aside stays kept
            os.rename(kept, final / kept.name)
        for name in SERVER_FILES:  # a running server stays reachable: its socket (the same inode) moves along
            with contextlib.suppress(OSError):
                if not os.path.lexists(final / name):
                    os.rename(old / name, final / name)
        shutil.rmtree(old, ignore_errors=True)

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
            moved = None if _outside_root(cfg) else trust.moved_record(folder)
            if moved is None:
                raise UntrustedIndexError(f"{exc}; nothing in it was read: run `codesearch index` in {root} "
                                          "to set it aside and build your own") from None
            record = trust.TrustRecord(moved.index_id, root)  # ours, for the path the repository had before
        trust.secure_modes(folder)
        return cls._checked(record.root, folder, Catalog(folder), cfg, record)

    def close(self) -> None:
        self.catalog.close()

    def replaced(self) -> bool:
        """True when this index folder's path now holds another index than the one this Store opened (a
        rebuild swapped it, or it was removed and made again): its catalog is another file. One stat,
        cheap enough for every search."""
        return self.catalog.replaced()

    @property
    def model_id(self) -> str | None:
        return self.catalog.model_id

    @property
    def asked_model(self) -> str | None:
        """The model `index --model` asked for when this index was made, kept until its first vector records one."""
        return self.catalog.get_meta(ASKED_MODEL_KEY)

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

    def check_vectors(self, model_id: str, tokens: int, legacy: int, precision: str) -> str | None:
        """Keep the index's vectors of model_id all of one token budget and one precision (the writer, as each
        sync starts).

        When the budget or the precision they were made at (recorded; for an index made before they were, the
        legacy budget and fp32) is not the one asked for, they are dropped, in one transaction with the new
        record, and the vector files with them: the sync embeds every unit again (the caches serve what they
        hold of this budget and precision). Returns the one line that tells the user why, or None when
        nothing was dropped."""
        catalog = self.catalog
        recorded = (catalog.token_budget(model_id), catalog.precision(model_id))
        if recorded == (tokens, precision):
            return None
        held = catalog.has_vectors(model_id)  # the writer: nobody changes it meanwhile
        was = (recorded[0] or (legacy if held else tokens), recorded[1] or ("fp32" if held else precision))
        changes = ([f"token budget changed {was[0]} -> {tokens} tokens per unit"] if was[0] != tokens else []) + (
            [f"precision changed {was[1]} -> {precision}"] if was[1] != precision else [])
        if changes:  # the vector files go first: no reader loads them once the vectors are another's
            self._vectors = None
            for derived in (INDEX_NAME, SIDECAR_NAME):
                with contextlib.suppress(FileNotFoundError):
                    (self.folder / derived).unlink()
        with catalog.transaction():
            dropped = catalog.drop_vectors(model_id) if changes else 0
            catalog.set_token_budget(model_id, tokens)
            catalog.set_precision(model_id, precision)
            if dropped:
                catalog.bump_generation()
        if not dropped:
            return None
        kinds = " or ".join(kind for kind, changed in (("budgets", was[0] != tokens), ("precisions", was[1] != precision))
                            if changed)
        return (f"re-embedding: {' and '.join(changes)}, so every unit is embedded again "
                f"(vectors of two {kinds} are never mixed)")

    def vectors(self) -> VectorIndex:
        """The vector index in step with the catalog, never re-embedding anything.

        Loaded from disk when intact (else rebuilt from the cached vectors), then brought up to
        date by diffing its labels with the catalog's function ids: ids are never reused, so the
        diff is exact. A warm process repeats only the diff when the catalog changes, and builds it
        again when the writer changed the token budget or precision (check_vectors: every vector is another).
        """
        with self.catalog.snapshot():
            generation = self.catalog.generation
            model = self.catalog.model_id or ""
            made = (self.catalog.token_budget(model), self.catalog.precision(model))
        if self._vectors is not None and self._vectors_made != made:
            self._vectors = None
        self._vectors_made = made
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
        """Bring a loaded index in step with the catalog: drop removed units, add the vectors it lacks (units found
        by their words only have none, so they are never asked for)."""
        have = index.labels
        want = self.catalog.embedded_ids(self.catalog.model_id or "")
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
        """Write the vector file when forced, missing, rebuilt (it was damaged: every reader would rebuild it again)
        or behind by many changes; readers diff the rest.

        Rewriting a 100k-vector file takes over a second, while a reader diffs a few changes in
        milliseconds, so small syncs leave the file as it is.
        """
        if self._vectors is None or self._vectors_generation != self.catalog.generation or self.replaced():
            return  # (a folder swapped in under this store is another index's: nothing of this one goes there)
        missing = not (self.folder / INDEX_NAME).exists()
        if force or missing or self.rebuilt_vectors or self.unsaved_changes >= SAVE_AFTER_CHANGES:
            self._vectors.save(self.folder, self._vectors_generation, self.catalog.model_id or "",
                               lambda meta: trust.seal_sidecar(self.index_id, meta))
            self.unsaved_changes, self.rebuilt_vectors = 0, False

    def index_bytes(self) -> int:
        total = 0
        for p in self.folder.iterdir():
            try:
                total += p.lstat().st_size
            except OSError:
                pass
        return total


@contextlib.contextmanager
def creation_lock(parent: Path) -> Iterator[None]:
    """An exclusive flock on the folder that holds the index folder, while one writer creates, sets aside
    or re-seals it: a second `index` waits for the first instead of taking its half-made folder apart."""
    try:
        fd = os.open(parent, os.O_RDONLY | os.O_DIRECTORY)
    except OSError as exc:
        raise CodesearchError(f"cannot open {parent} ({exc.strerror}): pass --index-dir to keep the index "
                              "in a folder you can write") from None
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)


def exchange(a: Path, b: Path) -> None:
    """Swap two paths atomically (Linux renameat2 RENAME_EXCHANGE); elsewhere, two renames."""
    libc = ctypes.CDLL(None, use_errno=True)
    renameat2 = getattr(libc, "renameat2", None)
    if renameat2 is not None:
        at_fdcwd, rename_exchange = -100, 2
        if renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange) == 0:
            return
        code = ctypes.get_errno()
        if code not in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP):
            raise OSError(code, os.strerror(code), str(b))
    aside = b.with_name(b.name + ".replaced")
    os.rename(b, aside)
    os.rename(a, b)
    os.rename(aside, a)


def watcher_holding(folder: Path) -> int | None:
    """The pid of the live watcher (serve, watch, the TUI, MCP) holding the writer lock of the index in folder, else
    None: it keeps the index current, so a rebuild goes on beside it and `index` need not."""
    holder, watcher = WriterLock(folder).holder(), live_state(folder / WATCH_STATE) or {}
    return holder if holder is not None and watcher.get("pid") == holder else None


def storage_error(exc: BaseException, folder: Path, again: str = "codesearch index") -> CodesearchError | None:
    """The one line for a full disk, quota or file-size limit (how much is free, where, that nothing was lost, the
    command to run again) or a read-only index folder; None when exc is neither."""
    kind = storage_kind(exc)
    if kind == "full":
        try:
            free = shutil.disk_usage(folder).free
        except OSError:
            free = 0
        return StorageError(f"the disk holding {folder} is full, or a quota or file-size limit (ulimit -f) is reached "
                            f"({free / 1e6:.1f} MB free): nothing was lost, the index keeps every batch committed so "
                            f"far; free some space and run `{again}` again to go on where it stopped")
    if kind == "read-only":
        return StorageError(f"cannot write the index at {folder}: it is read-only; pass --index-dir to keep "
                            "the index in a folder you can write")
    return None


def _adopted(folder: Path) -> bool:
    """True when folder is empty and this user's (it becomes the index folder, mode 0700); False when it holds only
    what an index writes (an index we did not write: set aside); UsageError when it holds anything else."""
    try:
        foreign = trust.foreign_entries(folder)
        empty = not os.listdir(folder)
    except OSError as exc:
        raise UsageError(f"cannot read the index folder {printable(folder)} ({exc.strerror}): name a new or empty "
                         "folder for the index with --index-dir") from None
    if foreign:
        shown = ", ".join(printable(name) for name in foreign[:3]) + (", ..." if len(foreign) > 3 else "")
        raise UsageError(f"the index folder {printable(folder)} (--index-dir) holds other files ({shown}): name a new "
                         "or empty folder for the index; nothing was moved")
    if not empty:
        return False
    trust.check_entries(folder)  # another user's empty folder is not adopted
    writable(folder, "create the index")
    os.chmod(folder, 0o700)
    return True


@contextlib.contextmanager
def storage_errors(folder: Path, again: str = "codesearch index") -> Iterator[None]:
    """Writes into the index at folder: a full disk, quota, file-size limit or read-only folder ends them with
    storage_error's one line (nothing committed is lost)."""
    try:
        yield
    except (sqlite3.OperationalError, OSError, RuntimeError) as exc:
        error = storage_error(exc, folder, again)
        if error is None:
            raise
        raise error from None


def writable(folder: Path, what: str) -> None:
    """Refuse, in one line, to write into a read-only index folder (or repository)."""
    if not os.access(folder, os.W_OK | os.X_OK):
        raise StorageError(f"cannot {what}: {folder} is read-only; pass --index-dir to keep the index in a "
                              "folder you can write")


def sealed_model(folder: Path, index_id: str) -> tuple[str, int] | None:
    """(model, dim) that the folder's vector sidecar names, when its seal verifies for this index (so this
    user wrote it here); None when there is none or it cannot be believed."""
    try:
        sidecar = json.loads(read_text(folder / SIDECAR_NAME, 64 * 1024))
    except (OSError, ValueError, CodesearchError):
        return None
    if not isinstance(sidecar, dict) or not trust.sidecar_verifies(index_id, sidecar):
        return None
    model, dim = sidecar.get("model"), sidecar.get("dim")
    if not isinstance(model, str) or not model or isinstance(dim, bool) or not isinstance(dim, int) \
            or not 0 < dim <= MAX_DIM:
        return None
    return model, dim


def short_reason(exc: BaseException, path: Path, limit: int = 80) -> str:
    """exc's words for a line that already names path: the path said by its name only, cut at a word (never
    mid-word, never the path cut instead of the reason)."""
    text = str(exc).replace(str(path), path.name)
    if len(text) <= limit:
        return text
    return text[:limit].rsplit(" ", 1)[0].rstrip(",;:") + "..."


def catalog_is_empty(folder: Path) -> bool:
    try:
        return (folder / CATALOG_NAME).stat().st_size == 0
    except OSError:
        return True


def _outside_root(cfg: Config) -> bool:
    """True when the index folder is an absolute --index-dir: its root is the one its trust record names."""
    return bool(cfg.index_dir) and Path(cfg.index_dir).expanduser().is_absolute()
