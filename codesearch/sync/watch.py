"""Keep an index current: filesystem events, debounced and coalesced, synced incrementally."""

from __future__ import annotations

import json
import os
import threading
import time
from pathlib import Path
from typing import Callable

from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers import Observer

from codesearch.embed.embedding import Embedder
from codesearch.errors import CodesearchError
from codesearch.sync.indexer import Indexer, SyncProgress, SyncReport
from codesearch.store.folder import Store
from codesearch.store.statefiles import WATCH_STATE, atomic_write_text
from codesearch.languages import language_for, maybe_script
from codesearch.parse.walk import IGNORE_FILES, IgnoreRules

QUIET_SECONDS = 0.3
MAX_WAIT_SECONDS = 2.0  # a burst of events may delay a sync this long, never starve it
FULL_SCAN_ABOVE = 2000  # a burst this large (a branch switch) is cheaper as one full scan


def _maybe_source(rel: str) -> bool:
    """Whether a changed path may be a source file: one of our extensions, or an extensionless command in a bin/
    folder or at the top (the sync reads its `#!` line; a deleted one is only known by its name)."""
    return language_for(rel.rpartition("/")[2]) is not None or maybe_script(rel)


class _Collector(FileSystemEventHandler):
    """Turns raw events into 'these paths changed' or 'rescan everything'."""

    def __init__(self, root: Path, folder: Path, wake: Callable[[], None]) -> None:
        self.root = str(root)
        self.folder = str(folder)
        self.wake = wake
        self.lock = threading.Lock()
        self.paths: set[str] = set()
        self.full = False
        self.last_event = 0.0
        self.first_pending: float | None = None  # wall time of the oldest event not yet synced
        self.first_mono: float | None = None  # the same, on the monotonic clock (the maximum wait)
        self.rules = IgnoreRules(root, [folder])  # events for ignored files never reset the clock

    def _rel(self, path: str) -> str | None:
        if not path or path == self.folder or path.startswith(self.folder + os.sep):
            return None
        rel = os.path.relpath(path, self.root)
        if rel.startswith("..") or rel == ".":
            return None
        parts = rel.split(os.sep)
        if ".git" in parts:
            return None
        return rel.replace(os.sep, "/")

    def on_any_event(self, event: FileSystemEvent) -> None:
        if event.event_type in ("opened", "closed_no_write"):
            return
        rels = [r for r in (self._rel(os.fsdecode(event.src_path)), self._rel(os.fsdecode(getattr(event, "dest_path", "") or ""))) if r]
        if not rels:
            return
        with self.lock:
            relevant = False
            for rel in rels:
                name = rel.rsplit("/", 1)[-1]
                if name in IGNORE_FILES:
                    self.full, relevant = True, True
                    self.rules = IgnoreRules(Path(self.root), [Path(self.folder)])
                elif event.is_directory and event.event_type != "modified":
                    if not self._ignored(rel, True):
                        self.full, relevant = True, True
                elif not event.is_directory and _maybe_source(rel) and not self._ignored(rel, False):
                    self.paths.add(rel)
                    relevant = True
            if not relevant:
                return  # a log, a build output, an ignored file: no sync, and the clock runs on
            now = time.monotonic()
            if self.first_pending is None:
                self.first_pending, self.first_mono = time.time(), now
            if len(self.paths) > FULL_SCAN_ABOVE:
                self.full = True
            self.last_event = now
        self.wake()

    def _ignored(self, rel: str, is_dir: bool) -> bool:
        """True when rel or a folder above it is ignored (a file no sync would index)."""
        parts = rel.split("/")
        try:
            return any(self.rules.is_ignored("/".join(parts[:d]), True) for d in range(1, len(parts))) or \
                self.rules.is_ignored(rel, is_dir)
        except (OSError, ValueError):
            return False  # when in doubt, sync

    def take(self) -> tuple[bool, list[str]] | None:
        """The pending work once events have been quiet for QUIET_SECONDS, or once the oldest has waited
        MAX_WAIT_SECONDS (a steady stream of edits delays a sync, never starves it); else None."""
        with self.lock:
            if not self.full and not self.paths:
                return None
            now = time.monotonic()
            waited = now - self.first_mono if self.first_mono is not None else 0.0
            if now - self.last_event < QUIET_SECONDS and waited < MAX_WAIT_SECONDS:
                return None
            full, paths = self.full, sorted(self.paths)
            self.full, self.paths, self.first_pending, self.first_mono = False, set(), None, None
            return full, paths

    def pending(self) -> dict:
        """What changed on disk and waits for the next sync: paths, a full rescan, since when."""
        with self.lock:
            return {"pending_paths": sorted(self.paths), "full_rescan": self.full, "since": self.first_pending}


class Watcher:
    """Owns the writer lock, an observer, and a worker thread that syncs after each quiet window."""

    def __init__(self, store: Store, embedder: Embedder, on_sync: Callable[[SyncReport], None] | None = None,
                 on_error: Callable[[str], None] | None = None,
                 progress: Callable[[SyncProgress], None] | None = None) -> None:
        self.store = store
        self.indexer = Indexer(store, embedder, progress)
        self.on_sync = on_sync or (lambda r: None)
        self.on_error = on_error or (lambda m: None)
        self._wake = threading.Event()
        self._stop = threading.Event()
        self.collector = _Collector(store.root, store.folder, self._wake.set)
        self.observer = Observer()
        self.thread = threading.Thread(target=self._run, name="codesearch-watch", daemon=True)
        self.last_sync: float | None = None
        self.syncs = 0
        self.syncing = False
        self._one_sync = threading.Lock()  # the worker and sync_now never run the indexer at once

    def start(self, initial_sync: bool = True) -> "Watcher":
        """Take the writer lock, start observing, and sync once so the index starts current."""
        self.store.lock.acquire()
        try:
            self.observer.schedule(self.collector, str(self.store.root), recursive=True)
            self.observer.start()
            if initial_sync:
                self._sync(True, [])
            self.thread.start()
        except BaseException:
            self.observer.stop()
            self.store.lock.release()
            raise
        return self

    def sync_now(self, paths: list[str] | None = None,
                 on_progress: Callable[[SyncProgress], None] | None = None) -> SyncReport:
        """Sync in the caller's thread through this watcher's writer (it holds the lock); errors raise."""
        with self._one_sync:
            if self.store.replaced():
                raise CodesearchError(f"the index at {self.store.folder} was replaced under this watcher "
                                      "(a rebuild); it restarts on the new index: sync again")
            before = self.indexer.progress
            if on_progress is not None:
                self.indexer.progress = lambda p: (before(p), on_progress(p))
            self.syncing = True
            try:
                report = self.indexer.sync(paths)
            finally:
                self.syncing = False
                self.indexer.progress = before
        self.last_sync = time.time()
        self.syncs += 1
        self._write_state(report)
        self.on_sync(report)
        return report

    def _sync(self, full: bool, paths: list[str]) -> None:
        if self.store.replaced():
            return  # the folder was swapped under us: the index restarts a watcher there, whose first sync reads all
        try:
            self.sync_now(None if full else paths)
        except Exception as exc:  # noqa: BLE001 - the next event retries; the watcher lives on
            self.on_error(f"sync failed: {type(exc).__name__}: {exc}")

    def _write_state(self, report: SyncReport | None) -> None:
        if self.store.replaced():
            return  # the folder was swapped during this sync: its watch.json is the next watcher's
        state = {"pid": os.getpid(), "last_sync": self.last_sync, "syncs": self.syncs,
                 "last_report": report.to_dict() if report else None}
        try:
            atomic_write_text(self.store.folder / WATCH_STATE, json.dumps(state))
        except OSError as exc:
            self.on_error(f"cannot write watcher state: {exc}")

    def _run(self) -> None:
        while not self._stop.is_set():
            self._wake.wait(QUIET_SECONDS / 2)
            self._wake.clear()
            work = self.collector.take()
            if work is not None and not self._stop.is_set():
                self._sync(*work)

    def stop(self) -> None:
        """Stop observing; a sync in progress finishes its transaction first."""
        self._stop.set()
        self._wake.set()
        self.observer.stop()
        if self.thread.is_alive():
            self.thread.join()
        try:
            self.observer.join(timeout=5)
        except RuntimeError:
            pass
        if not self.store.replaced():  # else the path names another index now: nothing of ours goes there
            try:
                (self.store.folder / WATCH_STATE).unlink()
            except OSError:
                pass
            try:
                self.store.save_vectors(force=True)
            except OSError as exc:
                self.on_error(f"cannot save the vector index: {exc}")
        self.store.lock.release()
