"""How fresh an index is: counts, size, last update, files changed on disk, watcher state."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

from codesearch.embed.static import STATIC_RECIPE
from codesearch.store.embedcache import shared_cache_summary
from codesearch.store.statefiles import SERVER_STATE, WATCH_STATE, live_state
from codesearch.store.folder import Store
from codesearch.parse.walk import SourceFile, most_first, walk
from codesearch.sync.indexer import STATIC_INTERIM_KEY, content_digest, looks_unchanged



def stale_files(store: Store) -> int:
    """Files added, changed or removed on disk since they were indexed (by size, mtime, ctime, inode)."""
    known = store.catalog.files()
    on_disk: set[str] = set()
    changed = 0
    for f in walk(store.root, store.cfg.max_file_bytes, [store.folder]):
        on_disk.add(f.rel)
        row = known.get(f.rel)
        if row is None or not looks_unchanged(row, f, racy=False):
            changed += 1
    return changed + sum(1 for p in known if p not in on_disk)


def changed_among(store: Store, paths: list[str]) -> list[str]:
    """Those of paths (indexed files) whose content changed on disk since they were indexed, or that are gone: a stat
    each, and the file read again only when its stat moved (a checkout and back, `touch`, `chmod` change no line:
    review)."""
    rows = store.catalog.file_rows(paths) if paths else {}
    changed = []
    for rel in paths:
        row, path = rows.get(rel), store.root / rel
        try:
            if row is None or not (looks_unchanged(row, _stat_of(rel, path), racy=False)
                                   or content_digest(path.read_bytes()) == row.hash):
                changed.append(rel)
        except OSError:  # gone, or unreadable now
            changed.append(rel)
    return changed


def _stat_of(rel: str, path: Path) -> SourceFile:
    """The file at path as a walk would find it, for looks_unchanged (its language aside)."""
    st = os.stat(path)
    return SourceFile(rel, path, "", st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino)


def watcher_state(folder: Path) -> dict | None:
    """What a running watcher last wrote about itself, or None when none is running."""
    return live_state(folder / WATCH_STATE)


def _number(value: object) -> float | None:
    """A timestamp from a file we wrote, or None when it is absent or not a sane number."""
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    return number if 0 < number < 1e11 else None


def coverage(store: Store) -> tuple[int, int]:
    """(functions with a vector, functions): how much of the index semantic search covers yet."""
    total = store.catalog.embeddable_count()
    return (store.catalog.embedded_count(store.model_id) if store.model_id else 0), total


def static_coverage(store: Store) -> int:
    """Functions with a static-tier vector of the index's model (codesearch.embed.static)."""
    if not store.model_id:
        return 0
    return store.catalog.embedded_count_like(f"{store.model_id}#{STATIC_RECIPE}+")


def static_interim(store: Store) -> bool:
    """True while the index's static tier is an interim one (codesearch.sync.indexer: its rare tokens distilling)."""
    return bool(store.model_id) and (store.catalog.get_meta(STATIC_INTERIM_KEY) or "").startswith(f"{store.model_id}#")


def embed_eta(store: Store, pending: int) -> float | None:
    """Seconds until every function has a vector, at the rate the last sync embedded; None when unknown."""
    rate = _number(store.catalog.get_meta("embed_rate"))
    return round(pending / rate, 1) if pending and rate else (0.0 if not pending else None)


MAX_LISTED_LARGE = 10  # of the files left out for their size, named after the real problems


def skipped(store: Store) -> dict:
    """What the last full sync skipped ({reason: count}) and the entries that were wrong ([path, reason])."""
    try:
        record = json.loads(store.catalog.get_meta("skipped") or "{}")
    except ValueError:
        record = {}
    problems = record.get("problems") if isinstance(record, dict) else None
    problems = [[str(p[0]), str(p[1])] for p in problems if isinstance(p, list) and len(p) == 2] if isinstance(problems, list) else []
    large = record.get("too_large") if isinstance(record, dict) else None
    problems += [[str(p), "too large"] for p in (large if isinstance(large, list) else [])[:MAX_LISTED_LARGE]]
    # not_read: the source files no supported language reads, {extension: count}, most first
    return {"skipped": _counts(record, "counts"), "problems": problems,
            "not_read": most_first(_counts(record, "not_read"))}


def _counts(record: object, key: str) -> dict[str, int]:
    """The {name: count} a recorded entry holds, whatever else a damaged record holds there."""
    found = record.get(key) if isinstance(record, dict) else None
    return {str(k): v for k, v in found.items() if type(v) is int} if isinstance(found, dict) else {}


def status(store: Store) -> dict:
    """Everything `codesearch status` shows, as plain data."""
    updated = _number(store.catalog.get_meta("updated_at"))
    embedded, functions = coverage(store)
    kinds = store.catalog.kind_counts()
    watcher = watcher_state(store.folder)
    server = live_state(store.folder / SERVER_STATE)  # a `serve --no-watch` answers with no watcher (probe 162)
    last_sync = _number(watcher.get("last_sync")) if watcher else None
    return {
        "root": str(store.root),
        "index_dir": str(store.folder),
        "model": store.model_id,
        "dim": store.dim,
        "token_budget": store.catalog.token_budget(store.model_id) if store.model_id else None,  # None: not recorded yet
        "precision": store.catalog.precision(store.model_id) if store.model_id else None,  # fp32, int8; None: not recorded
        "files": store.catalog.count("files"),
        "functions": functions,  # the units that get vectors: what "embedded" counts against
        "units": sum(kinds.values()),
        "unit_kinds": kinds,
        "embedded": embedded,
        "static": static_coverage(store),
        "static_interim": static_interim(store),
        "embed_eta_seconds": embed_eta(store, functions - embedded),
        "writer_pid": store.lock.holder(),  # a process indexing now (index, watch, serve), or None
        "index_bytes": store.index_bytes(),
        "updated_at": updated,
        "stale_files": stale_files(store),
        "watcher": watcher is not None,
        "watcher_pid": watcher.get("pid") if watcher else None,
        "last_sync": last_sync,
        "server_pid": server.get("pid") if server else None,
        "shared_cache": shared_cache_summary(store.cfg),
        **skipped(store),
        "checked_at": time.time(),
    }
