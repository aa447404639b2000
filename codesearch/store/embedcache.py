"""Embeddings kept so nobody embeds the same function twice: the user-level shared cache, and the
two-level lookup (the index's own cache, then the shared one, then the model) the indexer uses.
"""

from __future__ import annotations

import contextlib
import re
import sqlite3
import sys
import threading
import time
from pathlib import Path
from typing import Callable, Iterable, Sequence

import numpy as np

from codesearch.store.catalog import Catalog, in_chunks
from codesearch.config import Config, cache_root
from codesearch.errors import CodesearchError, StorageError, UsageError, storage_kind

CACHE_FILE = "embeddings.sqlite"
TOKENS_FILE = "static_tokens.sqlite"  # distilled token vectors of the static tier (codesearch.embed.static)
_SCHEMA = """
CREATE TABLE IF NOT EXISTS embeddings (
    model TEXT NOT NULL,
    text_hash TEXT NOT NULL,
    vector BLOB NOT NULL,
    last_used REAL NOT NULL,
    PRIMARY KEY (model, text_hash)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS embeddings_used ON embeddings(last_used);
"""
_SIZES = {"": 1, "k": 10**3, "m": 10**6, "g": 10**9, "t": 10**12}
_AGES = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 7 * 86400}


def parse_size(text: str) -> int:
    """'500M', '2G', '1000' -> bytes (decimal units)."""
    m = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([kmgt]?)i?b?\s*", text.lower())
    if not m:
        raise UsageError(f"size {text!r} not understood; write it like 500M or 2G")
    return int(float(m.group(1)) * _SIZES[m.group(2)])


def parse_age(text: str) -> float:
    """'30d', '12h', '2w' -> seconds."""
    m = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([smhdw])\s*", text.lower())
    if not m:
        raise UsageError(f"age {text!r} not understood; write it like 30d, 12h or 2w")
    return float(m.group(1)) * _AGES[m.group(2)]


def shared_cache_summary(cfg: Config) -> dict:
    """Where the shared cache is, whether it is on, and its size, without creating it."""
    path = cache_root() / CACHE_FILE
    info = {"enabled": cfg.shared_cache, "path": str(path), "bytes": 0, "vectors": 0}
    if path.exists():
        try:
            cache = SharedCache(path)
        except StorageError:  # (a cache its disk cannot take a write to: what it holds is not read now)
            info["bytes"] = path.stat().st_size
            return info
        try:
            info["bytes"], info["vectors"] = cache.file_bytes(), cache.count()
        finally:
            cache.close()
    return info


def vectors_key(model_id: str, tokens: int, legacy: int, precision: str = "fp32") -> str:
    """The shared cache's key for model_id's vectors of units read up to `tokens` tokens, in precision: the model
    id alone for the budget codesearch used before budgets were part of the key (what it kept under that key is
    of that budget), else 'model_id@tokens'; '+int8' after either for an int8 model's vectors (fp32 ones, and
    those of a GPU's half precision, within rounding of them, keep the plain key). Vectors of two budgets or
    two precisions are never under one key."""
    key = model_id if tokens == legacy else f"{model_id}@{tokens}"
    return key + ("+int8" if precision == "int8" else "")


_noted: set[str] = set()


def skip_unwritable(path: Path, exc: BaseException) -> None:
    """Say once per cache folder that its caches are skipped because they cannot be written (they are only
    caches: nothing is lost)."""
    if str(path.parent) not in _noted:
        _noted.add(str(path.parent))
        print(f"codesearch: note: cannot write the shared caches in {path.parent} ({exc}: the disk is full, over a "
              "quota or file-size limit, or read-only); going on without them, nothing is lost (they are only caches); "
              "free some space there, or turn them off with --no-shared-cache", file=sys.stderr)


def _open_user_db(path: Path, what: str, prepare: Callable[[sqlite3.Connection], object]) -> sqlite3.Connection:
    """A user cache's database, prepared; StorageError when its disk cannot take a write, else a damaged file's line."""
    db = None
    try:
        db = _user_db(path)
        prepare(db)
        return db
    except (sqlite3.DatabaseError, OSError) as exc:
        if db is not None:
            db.close()
        if storage_kind(exc) is not None:
            raise StorageError(f"cannot write {what} {path} ({exc}): its disk is full, over a quota or a file-size "
                               "limit, or read-only; free some space there, or turn the shared cache off with "
                               "--no-shared-cache") from exc
        if isinstance(exc, OSError):
            raise CodesearchError(f"cannot open {what} {path} ({exc.strerror}): turn the shared cache off with "
                                  "--no-shared-cache") from exc
        raise CodesearchError(f"{what} {path} is damaged ({exc}); delete it, "
                              "or turn the shared cache off with --no-shared-cache") from exc


def _user_db(path: Path) -> sqlite3.Connection:
    """A user-cache database many processes share: WAL (readers never wait), autocommit, any thread."""
    path.parent.mkdir(parents=True, exist_ok=True)
    db = sqlite3.connect(str(path), timeout=60, isolation_level=None, check_same_thread=False)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA synchronous=NORMAL")
    return db


class SharedCache:
    """(model key, text hash) -> vector for every index of this user; many processes may write at once.

    The model key is the model id, its token budget and precision (vectors_key).

    WAL and one short BEGIN IMMEDIATE transaction per chunk: writers queue for milliseconds, readers
    never wait. Each hit records when it was last used, so `cache prune` drops the coldest first.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self.db = _open_user_db(path, "the shared embedding cache", self._prepare)

    def _prepare(self, db: sqlite3.Connection) -> None:
        self.db = db
        if not self._has_table():
            self._write(lambda db: [db.execute(stmt) for stmt in _SCHEMA.split(";") if stmt.strip()])

    @classmethod
    def for_config(cls, cfg: Config, required: bool = False) -> "SharedCache | None":
        """The user's shared cache, or None when the config turns it off or (unless required: the `cache` commands)
        its disk cannot take a write."""
        if not cfg.shared_cache:
            return None
        try:
            return cls(cache_root() / CACHE_FILE)
        except StorageError as exc:
            if required:
                raise
            skip_unwritable(cache_root() / CACHE_FILE, exc.__cause__ or exc)
            return None

    def close(self) -> None:
        self.db.close()

    def _has_table(self) -> bool:
        return self.db.execute("SELECT 1 FROM sqlite_master WHERE name = 'embeddings'").fetchone() is not None

    def _write(self, fn: Callable[[sqlite3.Connection], object]) -> None:
        """Run fn in one short write transaction (retried while another process holds the lock)."""
        for attempt in range(20):
            try:
                self.db.execute("BEGIN IMMEDIATE")
            except sqlite3.OperationalError as exc:  # busy beyond the timeout: wait and try again
                if "locked" not in str(exc) or attempt == 19:
                    raise
                time.sleep(0.05 * (attempt + 1))
                continue
            try:
                fn(self.db)
                self.db.execute("COMMIT")
            except BaseException:
                with contextlib.suppress(sqlite3.Error):  # (a failed COMMIT may have ended it already)
                    self.db.execute("ROLLBACK")
                raise
            return

    # -- vectors -------------------------------------------------------------------------------
    def get(self, model: str, hashes: Sequence[str], dim: int) -> dict[str, np.ndarray]:
        """Vectors held for these hashes (of this dimension), marking them used now."""
        found: dict[str, np.ndarray] = {}
        hashes = list(dict.fromkeys(hashes))
        for chunk, marks in in_chunks(hashes):
            for h, v in self.db.execute(
                    f"SELECT text_hash, vector FROM embeddings WHERE model = ? AND text_hash IN ({marks})", [model, *chunk]):
                if len(v) == 4 * dim:
                    found[h] = np.frombuffer(v, dtype="<f4")
        if found:
            now = time.time()
            self._write(lambda db: db.executemany("UPDATE embeddings SET last_used = ? WHERE model = ? AND text_hash = ?",
                                                  [(now, model, h) for h in found]))
        return found

    def put(self, model: str, hashes: Sequence[str], vectors: np.ndarray) -> None:
        """Keep these vectors (one short transaction; an existing row only has its use time refreshed)."""
        now = time.time()
        rows = [(model, h, np.asarray(v, dtype="<f4").tobytes(), now) for h, v in zip(hashes, vectors)]
        self._write(lambda db: db.executemany(
            "INSERT INTO embeddings(model, text_hash, vector, last_used) VALUES (?, ?, ?, ?) "
            "ON CONFLICT(model, text_hash) DO UPDATE SET last_used = excluded.last_used", rows))

    def put_rows(self, model: str, rows: Iterable[tuple[str, bytes]]) -> int:
        """Keep (hash, float32 bytes) rows in one transaction; returns how many were new."""
        now = time.time()
        before = self.db.total_changes
        self._write(lambda db: db.executemany(
            "INSERT OR IGNORE INTO embeddings(model, text_hash, vector, last_used) VALUES (?, ?, ?, ?)",
            ((model, h, v, now) for h, v in rows)))
        return self.db.total_changes - before

    def count(self, model: str | None = None) -> int:
        if model is None:
            return self.db.execute("SELECT count(*) FROM embeddings").fetchone()[0]
        return self.db.execute("SELECT count(*) FROM embeddings WHERE model = ?", (model,)).fetchone()[0]

    def models(self) -> dict[str, int]:
        """Vectors held per model id."""
        return dict(self.db.execute("SELECT model, count(*) FROM embeddings GROUP BY model ORDER BY model"))

    def file_bytes(self) -> int:
        """Bytes on disk (database plus write-ahead log)."""
        return sum(p.stat().st_size for p in (self.path, Path(f"{self.path}-wal")) if p.exists())

    # -- pruning -------------------------------------------------------------------------------
    def prune(self, max_bytes: int | None = None, older_than: float | None = None) -> int:
        """Drop vectors unused for older_than seconds, then the least recently used until the
        vectors fit in max_bytes; compact the file. Returns how many were dropped."""
        before = self.count()
        if older_than is not None:
            cutoff = time.time() - older_than
            self._write(lambda db: db.execute("DELETE FROM embeddings WHERE last_used < ?", (cutoff,)))
        if max_bytes is not None:
            self._write(lambda db: self._keep_newest(db, max_bytes))
        dropped = before - self.count()
        if dropped:
            self.db.execute("VACUUM")
            self.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        return dropped

    @staticmethod
    def _keep_newest(db: sqlite3.Connection, max_bytes: int) -> None:
        """Delete the least recently used rows (ties by key) until the rest fit in max_bytes."""
        row_overhead = 80  # key, time and b-tree bookkeeping per row, roughly
        total = db.execute("SELECT coalesce(sum(length(vector)), 0) + ? * count(*) FROM embeddings",
                           (row_overhead,)).fetchone()[0]
        doomed: list[tuple[str, str]] = []
        for model, h, size in db.execute("SELECT model, text_hash, length(vector) FROM embeddings "
                                         "ORDER BY last_used, model, text_hash"):
            if total <= max_bytes:
                break
            doomed.append((model, h))
            total -= size + row_overhead
        db.executemany("DELETE FROM embeddings WHERE model = ? AND text_hash = ?", doomed)


class MemoryTokens:
    """Distilled token vectors held only as long as the process (the shared cache turned off)."""

    def __init__(self) -> None:
        self._held: dict[tuple[str, str, int], np.ndarray] = {}

    def get(self, model: str, recipe: str, tokens: Sequence[int], dim: int) -> dict[int, np.ndarray]:
        return {t: v for t in tokens if (v := self._held.get((model, recipe, t))) is not None and len(v) == dim}

    def put(self, model: str, recipe: str, tokens: Sequence[int], vectors: np.ndarray) -> None:
        for t, v in zip(tokens, vectors):
            self._held[(model, recipe, int(t))] = np.asarray(v, dtype=np.float32)


class TokenCache:
    """(model id, recipe, token id) -> distilled vector, in the user's cache: every repository reuses them.

    Token vectors are functions of the model alone, so they never live in a repository's folder.
    Each blob is checked on read (float32, the model's width, finite); a bad one is distilled again.
    """

    _SCHEMA = ("CREATE TABLE IF NOT EXISTS tokens (model TEXT NOT NULL, recipe TEXT NOT NULL, token INTEGER NOT NULL, "
               "vector BLOB NOT NULL, PRIMARY KEY (model, recipe, token)) WITHOUT ROWID")

    def __init__(self, path: Path) -> None:
        self.path = path
        self.db = _open_user_db(path, "the static token cache", lambda db: db.execute(self._SCHEMA))
        self.writable = True  # False once a write failed for want of space: distilled vectors stay in memory only
        self._lock = threading.Lock()  # one connection, used from the sync and the search threads

    @classmethod
    def for_config(cls, cfg: Config):
        """The user's token cache, or one held in memory for this process when cfg turns the shared cache off."""
        if not cfg.shared_cache:
            return MemoryTokens()
        try:
            return cls(cache_root() / TOKENS_FILE)
        except StorageError as exc:
            skip_unwritable(cache_root() / TOKENS_FILE, exc.__cause__ or exc)
            return MemoryTokens()

    def close(self) -> None:
        self.db.close()

    def get(self, model: str, recipe: str, tokens: Sequence[int], dim: int) -> dict[int, np.ndarray]:
        """Vectors held for these tokens; a damaged blob (wrong size, not finite) counts as missing."""
        found: dict[int, np.ndarray] = {}
        tokens = [int(t) for t in dict.fromkeys(tokens)]
        with self._lock:
            for chunk, marks in in_chunks(tokens):
                rows = self.db.execute(f"SELECT token, vector FROM tokens WHERE model = ? AND recipe = ? AND token IN "
                                       f"({marks})", [model, recipe, *chunk])
                for t, v in rows:
                    if isinstance(v, bytes) and len(v) == 4 * dim:
                        vec = np.frombuffer(v, dtype="<f4")
                        if np.isfinite(vec).all():
                            found[int(t)] = vec
        return found

    def put(self, model: str, recipe: str, tokens: Sequence[int], vectors: np.ndarray) -> None:
        """Keep distilled vectors (one transaction; another process may have kept the same ones: same values)."""
        rows = [(model, recipe, int(t), np.asarray(v, dtype="<f4").tobytes()) for t, v in zip(tokens, vectors)]
        with self._lock:
            if not self.writable:
                return
            try:
                self.db.execute("BEGIN IMMEDIATE")
                self.db.executemany("INSERT OR REPLACE INTO tokens(model, recipe, token, vector) VALUES (?, ?, ?, ?)", rows)
                self.db.execute("COMMIT")
            except sqlite3.DatabaseError as exc:
                with contextlib.suppress(sqlite3.Error):
                    self.db.execute("ROLLBACK")
                if storage_kind(exc) is None:
                    raise
                self.writable = False
                skip_unwritable(self.path, exc)

    def count(self, model: str | None = None) -> int:
        with self._lock:
            if model is None:
                return self.db.execute("SELECT count(*) FROM tokens").fetchone()[0]
            return self.db.execute("SELECT count(*) FROM tokens WHERE model = ?", (model,)).fetchone()[0]


class Embeddings:
    """Vectors for text hashes: the index's own cache, then the shared cache (the model's new ones arrive by keep()).

    New vectors go to both caches as they are made, in chunks, so an interrupted run keeps its work. The
    index holds one token budget's and one precision's vectors (Store.check_vectors); the shared cache holds
    each's under its own key (vectors_key).
    """

    def __init__(self, catalog: Catalog, model_id: str, dim: int, shared: SharedCache | None, shared_key: str) -> None:
        self.catalog = catalog
        self.model_id = model_id
        self.dim = dim
        self.shared = shared
        self.shared_key = shared_key

    @classmethod
    def for_catalog(cls, catalog: Catalog, cfg: Config, model_id: str, dim: int, shared_key: str) -> "Embeddings":
        """The lookup an index uses: its catalog, plus the user's shared cache (under shared_key, the model, its
        token budget and precision) unless cfg turns it off."""
        return cls(catalog, model_id, dim, SharedCache.for_config(cfg), shared_key)

    def missing(self, hashes: Iterable[str]) -> list[str]:
        """Hashes neither cache holds; those the shared cache holds are copied into the index's."""
        hashes = list(dict.fromkeys(hashes))
        have = self.catalog.cached_hashes(self.model_id, hashes)
        todo = [h for h in hashes if h not in have]
        if self.shared is not None and todo:
            found = self._shared_or_skip(lambda shared: shared.get(self.shared_key, todo, self.dim)) or {}
            if found:
                with self.catalog.transaction():
                    self.catalog.put_vectors(self.model_id, list(found), list(found.values()))
                todo = [h for h in todo if h not in found]
        return todo

    def keep(self, hashes: Sequence[str], vectors: np.ndarray) -> None:
        """Write new vectors to the index's cache and the shared one."""
        with self.catalog.transaction():
            self.catalog.put_vectors(self.model_id, list(hashes), vectors)
        if self.shared is not None:
            self._shared_or_skip(lambda shared: shared.put(self.shared_key, hashes, vectors))

    def _shared_or_skip(self, fn: Callable[[SharedCache], object]):
        """fn(the shared cache); once its disk cannot take a write (full, a quota, read-only), the shared cache is
        skipped for the rest of this run with one note and None returned: it is only a cache."""
        shared = self.shared
        assert shared is not None
        try:
            return fn(shared)
        except sqlite3.DatabaseError as exc:
            if storage_kind(exc) is None:
                raise
            skip_unwritable(shared.path, exc)
            self.shared = None
            return None
