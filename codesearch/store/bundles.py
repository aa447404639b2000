"""Embedding bundles: one SQLite file of vectors with its model id, dimension, recipe, token budget, precision and
checksum,
so CI can embed once (on a GPU) and every developer imports the result instead of embedding.
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Iterator

from codesearch.store.embedcache import SharedCache
from codesearch.config import CHOICES
from codesearch.errors import BundleError

FORMAT = "codesearch-embedding-bundle"
FORMAT_VERSION = 1
IMPORT_CHUNK = 5000  # rows per write transaction into the shared cache
PRECISIONS = CHOICES["precision"]


@dataclass(frozen=True)
class BundleInfo:
    """What a bundle says about itself."""

    model_id: str
    dim: int
    recipe: str
    count: int
    checksum: str
    token_budget: int | None = None  # tokens per unit its vectors read; None: made before budgets were recorded
    precision: str = "fp32"  # of the model that made them: fp32 (also when made before precisions were recorded) or int8


def _checksum(rows: Iterable[tuple[str, bytes]]) -> tuple[str, int]:
    """(sha256 over every (hash, vector) in hash order, row count)."""
    digest, n = hashlib.sha256(), 0
    for h, v in rows:
        digest.update(h.encode("ascii"))
        digest.update(v)
        n += 1
    return digest.hexdigest(), n


def export_bundle(path: Path, model_id: str, dim: int, recipe: str, rows: Iterable[tuple[str, bytes]],
                  token_budget: int | None, precision: str = "fp32") -> BundleInfo:
    """Write (hash, float32 bytes) rows, sorted by hash, to a new bundle at path (atomically); token_budget: the
    tokens per unit they were made from (None: not recorded, the budget codesearch used before); precision: the
    model's that made them."""
    tmp = path.with_name(path.name + ".partial")
    tmp.unlink(missing_ok=True)
    db = sqlite3.connect(str(tmp))
    try:
        db.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
        db.execute("CREATE TABLE vectors (text_hash TEXT PRIMARY KEY, vector BLOB NOT NULL) WITHOUT ROWID")
        with db:
            db.executemany("INSERT INTO vectors(text_hash, vector) VALUES (?, ?)", rows)
        checksum, count = _checksum(db.execute("SELECT text_hash, vector FROM vectors ORDER BY text_hash"))
        info = BundleInfo(model_id, dim, recipe, count, checksum, token_budget, precision)
        budget = [("token_budget", str(token_budget))] if token_budget is not None else []
        with db:
            db.executemany("INSERT INTO meta(key, value) VALUES (?, ?)", [
                ("format", FORMAT), ("format_version", str(FORMAT_VERSION)), ("model_id", model_id),
                ("dim", str(dim)), ("recipe", recipe), ("count", str(count)), ("checksum", checksum),
                ("precision", precision), *budget])
    finally:
        db.close()
    os.replace(tmp, path)
    return info


class Bundle:
    """A bundle opened read-only; every check runs before a single row is handed out."""

    def __init__(self, path: Path) -> None:
        self.path = path
        if not path.is_file():
            raise BundleError(f"no embedding bundle at {path}")
        try:
            self.db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
            ok = self.db.execute("PRAGMA integrity_check").fetchone()[0]
            if ok != "ok":
                raise sqlite3.DatabaseError(ok)
            meta = dict(self.db.execute("SELECT key, value FROM meta"))
            if meta.get("format") != FORMAT:
                raise BundleError(f"{path} is not a codesearch embedding bundle")
            budget = int(meta["token_budget"]) if "token_budget" in meta else None
            precision = meta.get("precision", "fp32")
            if precision not in PRECISIONS:
                raise ValueError(f"precision {precision[:20]!r}")
            self.info = BundleInfo(meta["model_id"], int(meta["dim"]), meta["recipe"], int(meta["count"]), meta["checksum"],
                                   budget, precision)
        except BundleError:
            raise
        except (sqlite3.DatabaseError, KeyError, ValueError) as exc:
            raise BundleError(f"the embedding bundle {path} is damaged or truncated ({exc}); export it again") from exc

    def close(self) -> None:
        self.db.close()

    def rows(self) -> Iterator[tuple[str, bytes]]:
        """(hash, vector bytes) in hash order."""
        try:
            yield from self.db.execute("SELECT text_hash, vector FROM vectors ORDER BY text_hash")
        except sqlite3.DatabaseError as exc:
            raise BundleError(f"the embedding bundle {self.path} is damaged or truncated ({exc}); export it again") from exc

    def check(self, model_id: str, dim: int, recipe: str) -> None:
        """Refuse a bundle of another model, dimension or recipe, or whose content fails its checksum."""
        info = self.info
        if info.model_id != model_id or info.dim != dim:
            raise BundleError(f"the bundle {self.path} holds vectors of model {info.model_id!r} ({info.dim} dims), "
                              f"not {model_id!r} ({dim} dims): import it where that model is used, or pass --model")
        if info.recipe != recipe:
            raise BundleError(f"the bundle {self.path} was made with recipe {info.recipe!r}, this codesearch uses "
                              f"{recipe!r}: export it again with this version")
        bad = next((h for h, v in self.rows() if len(v) != 4 * dim), None)
        checksum, count = _checksum(self.rows())
        if bad is not None or checksum != info.checksum or count != info.count:
            raise BundleError(f"the embedding bundle {self.path} fails its checksum (damaged or truncated); export it again")


def read_info(path: Path) -> BundleInfo:
    """What a bundle says about itself (its format checked, its rows not yet)."""
    bundle = Bundle(path)
    bundle.close()
    return bundle.info


def import_bundle(path: Path, cache: SharedCache, model_id: str, dim: int, recipe: str, key: str) -> tuple[BundleInfo, int]:
    """Check a bundle whole, then add its vectors to the shared cache under key (embedcache.vectors_key of its
    model, token budget and precision); (its info, rows new to the cache)."""
    bundle = Bundle(path)
    try:
        bundle.check(model_id, dim, recipe)
        added, chunk = 0, []
        for row in bundle.rows():
            chunk.append(row)
            if len(chunk) >= IMPORT_CHUNK:
                added += cache.put_rows(key, chunk)
                chunk = []
        added += cache.put_rows(key, chunk)
        return bundle.info, added
    finally:
        bundle.close()
