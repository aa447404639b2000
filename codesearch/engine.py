"""The one front door: open or create a repository's index, load and check its model once, then
sync, search, watch, report status and close. Every surface (CLI, TUI, server, MCP, benchmarks) uses it;
the long-lived ones (serve, watch, TUI, MCP) keep an index live with `Index.live`, one first-answer
policy for all: words at once, meaning as soon as the model is loaded, coverage said.
"""

from __future__ import annotations

import contextlib
import dataclasses
import shutil
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterator

from codesearch.config import Config
from codesearch.embed.embedding import MEANPOOL_RECIPE, UDEVER_RECIPE, Embedder, load_embedder, model_shape, shape_here
from codesearch.errors import CodesearchError, IndexLockedError, IndexMismatchError, ModelError, NoIndexError, UsageError
from codesearch.models.cache import obtain_hint
from codesearch.store import bundles
from codesearch.store.embedcache import SharedCache, vectors_key
from codesearch.store.catalog import REREAD_KEY
from codesearch.sync.indexer import Indexer, SyncProgress, SyncReport
from codesearch.store.locate import default_root, find_index
from codesearch.parse.walk import supported_languages, survey
from codesearch.embed.modelload import ModelLoad
from codesearch.models.resolve import check_recorded_model, local_token_budget, model_id_of
from codesearch.embed.static import StaticEmbedder, supports_static
from codesearch.query import Coverage, Hit, Query, Results, coverage_note
from codesearch.search.tiers import StaticTier
from codesearch.store.embedcache import TokenCache
from codesearch.search.searcher import Searcher
from codesearch.search.similar import find_function, similar
from codesearch.sync.status import changed_among, coverage, skipped, stale_files, static_coverage, static_interim, status
from codesearch.store.folder import Store
from codesearch.sync.watch import Watcher

__all__ = ["Index", "LiveState", "Query", "Hit", "Results", "import_bundle", "repository_root"]

FOLLOW_SECONDS = 1.0  # how often a live index looks whether its folder was replaced (a rebuild)
MODEL_LOADING_NOTE = ("lexical results only: the model is still loading (results by meaning follow within seconds; "
                      "ask again)")


def repository_root(start: Path, cfg: Config) -> Path:
    """Where an index for start belongs: an existing index's root, else the git work tree, else start."""
    return default_root(start, cfg)


@dataclass(frozen=True)
class LiveState:
    """Where a live index stands: its model (loading, ready or unavailable) and whether it keeps itself current."""

    model: str = "loading"  # loading | ready | unavailable
    model_error: str | None = None  # why the model is unavailable (searches answer by words)
    read_only: str | None = None  # another process writes the index: searched as that process leaves it
    watching: bool = False  # this process keeps the index current
    fast_queries: bool = False  # queries are embedded with an int8 copy of the model (CPU)
    index_error: str | None = None  # the index folder was replaced by one that cannot be read (tried again)


class Index:
    """One repository's index and its model; safe to search from several threads."""

    def __init__(self, store: Store, cfg: Config, may_record_model: bool, embedder: Embedder | None = None) -> None:
        self.store = store
        self.cfg = cfg
        self.root = store.root
        self.folder = store.folder
        self._may_record_model = may_record_model
        self._embedder: Embedder | None = None
        self._given = embedder  # an already loaded model (tests, benchmarks): still checked against the index
        self._lock = threading.RLock()  # one catalog connection and one model, shared by threads
        self._loading = threading.Lock()  # one model load at a time, outside _lock
        self._coverage: tuple[tuple[int, int], Coverage] | None = None  # (catalog version, coverage)
        self._static: StaticTier | None = None  # the static tier, once the model is loaded
        self._tokens = None  # its token cache connection
        self._watcher: Watcher | None = None
        self._writer: Store | None = None
        self._starting: Watcher | None = None
        self._started = threading.Event()
        self._started.set()
        self._closed = False
        self._guard = threading.Lock()  # close() and a watcher starting on another thread never interleave
        self._live: LiveState | None = None  # set by live(): searches then never wait for the model
        self._on_state: Callable[[LiveState], None] = lambda state: None
        self._replacing: Store | None = None  # the old index while this one is rebuilt beside it
        self._rebuild_locks: list = []  # what the rebuild holds of the old index's locks
        self._reopening = threading.Lock()  # one reopen of a replaced folder at a time (no callback inside)
        self.generation = 0  # how often this Index reopened its folder after it was replaced
        self._watch_with: tuple | None = None  # watch()'s callbacks and model: a reopen watches the new folder
        self._after: threading.Thread | None = None  # the work after a reopen (watcher, a new model)
        self._moving = threading.Lock()  # one such work at a time
        self._closing = threading.Event()
        self._syncing = threading.Lock()  # a sync() on this Index's own store (not a watcher's), which close() waits for
        self._indexer: Indexer | None = None  # that sync's, for close() to cancel

    # -- opening ---------------------------------------------------------------------------------
    @classmethod
    def open(cls, start: Path, cfg: Config, embedder: Embedder | None = None) -> "Index":
        """The existing index covering start (walking up); NoIndexError when there is none."""
        return cls(Store.open(Path(start), cfg), cfg, may_record_model=False, embedder=embedder)

    @staticmethod
    def covering(start: Path, cfg: Config) -> Path | None:
        """The root of the index covering start (walking up), None when there is none: nothing is opened."""
        found = find_index(Path(start), cfg)
        return found[0] if found else None

    @classmethod
    def create(cls, root: Path, cfg: Config, rebuild: bool = False, embedder: Embedder | None = None) -> "Index":
        """The index of the repository at root, created when missing; rebuild forgets what it held."""
        store = Store.create(Path(root), cfg, rebuild=rebuild)
        if rebuild:
            return cls._rebuilding(store, cfg, embedder)
        try:
            index = cls(store, cfg, may_record_model=True, embedder=embedder)
            index.check_requested_model()
        except BaseException:
            store.close()
            raise
        return index

    @classmethod
    def _rebuilding(cls, old: Store, cfg: Config, embedder: Embedder | None) -> "Index":
        """An index built beside the old one, which answers until the first complete sync swaps the new
        one in (a failure or a kill leaves it as it was). The model, the one asked for else the one the
        old index records, loads first: a model that fails to load changes nothing."""
        locks = old.lock_for_rebuild()  # no other writer changes the old index meanwhile (a watcher follows)
        new = None
        try:
            embedder = embedder or load_embedder(cfg.model_name(old.model_id), cfg)
            new = old.create_beside()
            index = cls(new, cfg, may_record_model=True, embedder=embedder)
        except BaseException:
            if new is not None:
                new.close()
            for lock in locks:
                lock.release()
            old.close()
            raise
        index._replacing, index._rebuild_locks = old, locks
        return index

    def _finish_rebuild(self, complete: bool) -> None:
        """Swap a completed rebuild in for the old index (else drop it), and let the old one go."""
        old, self._replacing = self._replacing, None
        if old is None:
            return
        try:
            if complete:
                self.store.replace()
                self.folder = self.store.folder
            else:
                beside = self.store.folder
                self.store.close()
                shutil.rmtree(beside, ignore_errors=True)
        finally:
            for lock in self._rebuild_locks:
                lock.release()
            old.close()

    @classmethod
    def open_or_create(cls, start: Path, cfg: Config, embedder: Embedder | None = None) -> "Index":
        """For long-lived writers (watch, serve, TUI): the index covering start, else a new one at its root."""
        return cls.create(repository_root(Path(start), cfg), cfg, embedder=embedder)

    @classmethod
    def live(cls, root: Path, cfg: Config, watch: bool = True, embedder: Embedder | None = None,
             on_sync: Callable[[SyncReport], None] | None = None, on_error: Callable[[str], None] | None = None,
             on_progress: Callable[[SyncProgress], None] | None = None,
             on_state: Callable[[LiveState], None] | None = None) -> "Index":
        """An index that stays current and answers at once, for long-lived processes (serve, watch, TUI, MCP).

        With watch, the index at root is created when missing, synced and then kept current from
        filesystem events; without, the existing index covering root is searched as it is. Either
        way this returns at once: the model loads in the background while the sync's lexical pass
        runs, `ask` answers by words (and says so) until the model is ready, and on_state hears each
        change of `live_state()`. close() stops it all."""
        index = cls.create(root, cfg, embedder=embedder) if watch else cls.open(root, cfg, embedder=embedder)
        try:
            index.check_requested_model()  # a --model the index was not built with is refused here, at once
        except BaseException:
            index.close()
            raise
        index._live = LiveState()
        index._on_state = on_state or (lambda state: None)
        threading.Thread(target=index._keep_live, args=(watch, on_sync, on_error, on_progress),
                         name="codesearch-live", daemon=True).start()
        threading.Thread(target=index._follow_live, name="codesearch-follow", daemon=True).start()
        return index

    def _keep_live(self, watch: bool, on_sync, on_error, on_progress) -> None:
        """The live index's background work: the model loads while the first sync commits words, then the
        watcher keeps the index current; failures become the live state, never a dead thread."""
        try:
            model = self._model_for_sync(load=self._warm)
            if not isinstance(model, ModelLoad):  # given or loaded already: still warmed for queries
                model = ModelLoad(model, self._warm)
            model.start()
        except Exception as exc:  # noqa: BLE001 - a missing or refused model: words still answer
            return self._set_live(model="unavailable", model_error=_one_line(exc))
        if watch:
            try:
                self.watch(on_sync, on_error, on_progress, model=model)
                self._set_live(watching=True)
            except IndexLockedError as exc:
                self._set_live(read_only=str(exc))
            except Exception as exc:  # noqa: BLE001 - closed meanwhile, or the index cannot be written
                if not self._closed and on_error is not None:
                    on_error(f"not watching: {_one_line(exc)}")
        try:
            model.loaded()
        except Exception as exc:  # noqa: BLE001 - the load's own error, said once in the live state
            if not self._closed:
                self._set_live(model="unavailable", model_error=_one_line(exc))

    def _warm(self) -> Embedder:
        """Load the model for a live index with everything its queries need; it then answers by meaning."""
        fast = self.warm_up()
        self._set_live(model="ready", fast_queries=fast)
        return self._embedder

    def _set_live(self, **changes) -> None:
        with self._guard:
            if self._live is None or self._closed:
                return
            state = dataclasses.replace(self._live, **changes)
            if state == self._live:
                return
            self._live = state
        self._on_state(state)

    # -- following a rebuild ---------------------------------------------------------------------
    def follow(self) -> None:
        """Reopen the index when its folder was replaced under this process (`index --rebuild` swapped a new
        one in, or it was removed and made again): new catalog and vectors, the model kept, caches reset,
        the watcher moved there; searches in flight finish on the old one. One stat when nothing changed.

        CodesearchError (one line, also the live state's index_error) while the new folder cannot be
        read; the next call tries again."""
        if self._closed or self._replacing is not None or not self.store.replaced():
            return
        error, model_changed = None, False
        with self._reopening:  # readers wait for a reopen in progress: none answers from the old index after it
            if self._closed or not self.store.replaced():
                return  # another thread reopened it meanwhile
            try:
                model_changed = self._reopen()
            except Exception as exc:  # noqa: BLE001 - an untrusted or damaged folder: said in one line
                error = f"the index at {self.folder} was replaced and cannot be read: {_one_line(exc)}"
        if error is not None:
            self._set_live(index_error=error)
            raise CodesearchError(error)
        self._set_live(index_error=None, **({"model": "loading", "model_error": None} if model_changed else {}))
        if self._watch_with is not None or model_changed:
            self._after = threading.Thread(target=self._after_reopen, args=(model_changed,),
                                           name="codesearch-reopen", daemon=True)
            self._after.start()

    def _reopen(self) -> bool:
        """Swap in the index folder now at this path (the caller holds _reopening); True when it was built
        with another model than the loaded one, which is then dropped (its vectors would not match)."""
        new = Store.open(self.root, self.cfg)
        embedder = self._embedder
        try:
            model_changed = embedder is not None and new.model_id not in (None, embedder.model_id)
            if embedder is not None and not model_changed and new.dim:
                new.vectors()  # loaded before the swap: the next query is as warm as the last
        except BaseException:
            new.close()
            raise
        with self._lock:  # after every search in flight on the old store
            old, self.store, self.folder = self.store, new, new.folder
            self._coverage = None
            if model_changed:
                self._embedder, self._static = None, None
            old.close()
        self.generation += 1
        return model_changed

    def _after_reopen(self, model_changed: bool) -> None:
        """Off the reader's thread: stop the watcher that writes the old folder, load the model a rebuild
        changed to, then watch the new folder (when this index watched, or wanted to but another process
        wrote). close() waits for a watcher being moved, never for a model load."""
        with self._moving:
            watcher, writer = self._watcher, self._writer
            if watcher is not None and writer is not None and writer.replaced():
                self._watcher = self._writer = None  # it wrote the old folder: stopped, nothing saved in the new
                watcher.stop()
                writer.close()
        if model_changed and self._live is not None:
            try:
                self._warm()
            except Exception as exc:  # noqa: BLE001 - words still answer; the live state says why
                self._set_live(model="unavailable", model_error=_one_line(exc))
        with self._moving:
            if self._watch_with is None or self._watcher is not None or self._closed:
                return
            on_sync, on_error, on_progress, model = self._watch_with
            model = self._embedder if model_changed else (self._embedder or model)
            if model is None:  # the new index's model did not load: nothing to embed with
                return self._set_live(watching=False)
            self._watch_again(model, on_sync, on_error, on_progress)

    def _watch_again(self, model, on_sync, on_error, on_progress) -> None:
        try:
            self.watch(on_sync, on_error, on_progress, model=model)
            self._set_live(watching=True, read_only=None)
        except IndexLockedError as exc:
            self._set_live(watching=False, read_only=str(exc))
        except Exception as exc:  # noqa: BLE001 - closed meanwhile, or the new folder cannot be written
            self._set_live(watching=False)
            if not self._closed and on_error is not None:
                on_error(f"not watching: {_one_line(exc)}")

    def _follow_live(self) -> None:
        """A live index looks for a replaced folder on its own too: a `watch` with no searches follows a rebuild."""
        while not self._closing.wait(FOLLOW_SECONDS):
            try:
                self.follow()
            except CodesearchError:
                pass  # in the live state; tried again

    def live_state(self) -> LiveState | None:
        """The live index's state (None for an index that is not live)."""
        return self._live

    def __enter__(self) -> "Index":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- the model -------------------------------------------------------------------------------
    @property
    def model_name(self) -> str:
        """The model this index uses: the one asked for, else the recorded one (or the one it was made for), else the
        default."""
        with self._reading():
            return self.cfg.model_name(self.store.model_id or self.store.asked_model)

    @property
    def model_id(self) -> str | None:
        """The model the index records (None before its first vectors), read under the lock close() takes."""
        with self._reading():
            return self.store.model_id

    def check_requested_model(self) -> None:
        """Refuse, before loading any weights, a --model that differs from the one the index was built with."""
        recorded = self.store.model_id
        if self.cfg.model and recorded and model_id_of(self.cfg.model) != recorded:
            raise IndexMismatchError(
                f"the index at {self.folder} was built with model {recorded!r}, not {self.cfg.model!r}: "
                "drop --model to use it, or re-index with `codesearch index --rebuild --model ...`")

    def embedder(self, on_download=None) -> Embedder:
        """The index's model, loaded once and checked against what the index recorded.

        Loading happens outside the search lock, so lexical searches answer while a model loads;
        on_download sees the progress of a first download.
        """
        with self._reading():
            if self._embedder is not None:
                return self._embedder
            self._check_model()
            name = self.model_name  # read from the catalog under the lock: close() may come while the model loads
        with self._loading:
            if self._embedder is None:
                embedder = self._given or load_embedder(name, self.cfg, on_download=on_download)
                with self._reading():
                    self.store.check_model(embedder.model_id, embedder.dim)
                    self._embedder = embedder
            return self._embedder

    def _check_model(self) -> None:
        """The refusals that come before any weights load (and before a sync writes anything)."""
        self.check_requested_model()
        if self.store.model_id is None and not self._may_record_model:
            raise CodesearchError(f"the index at {self.folder} has no model yet; run `codesearch index` first")
        if self._given is None and self.store.model_id:
            check_recorded_model(self.store.model_id, self.root, self.cfg.model)

    def fetch_model(self, on_download=None) -> str:
        """Check the index's model and download it if needed, loading no weights; its model id.

        `codesearch index` calls this first, so a download shows its progress; the weights then load
        during the sync's lexical pass."""
        return self._model_for_sync(on_download).model_id

    def _model_for_sync(self, on_download=None, load: Callable[[], Embedder] | None = None) -> Embedder | ModelLoad:
        """The model when it is loaded (or given); else one that loads (once started, by load) while
        the lexical pass runs."""
        if self._embedder is not None or self._given is not None:
            return self.embedder(on_download)
        with self._reading():
            self._check_model()
            name = self.model_name
        return ModelLoad(model_shape(name, self.cfg, on_download), load or self.embedder)

    @property
    def model_loaded(self) -> bool:
        """True once the model is loaded and checked (semantic search will not wait for it)."""
        return self._embedder is not None

    def warm_up(self) -> bool:
        """Load the model and the vector index for a long-lived process (its first query then waits for
        neither); True when queries got a fast int8 copy (CPU)."""
        embedder = self.embedder()
        fast = not self.cfg.exact_queries and embedder.fast_queries()
        with self._reading():
            self.store.vectors()
        return fast

    # -- writing ---------------------------------------------------------------------------------
    def sync(self, paths: list[str] | None = None, on_progress: Callable[[SyncProgress], None] | None = None,
             save: bool = False) -> SyncReport:
        """Bring the index up to date (only paths, relative to the root, when given), holding the writer lock.

        While this index watches, the sync runs through the watcher, which already holds the lock
        (after its first sync, when that is still running).
        """
        self.follow()
        after = self._after
        if after is not None:
            after.join()  # the watcher moving to a replaced folder: the sync goes through the new one
        self._started.wait()
        if self._watcher is not None:
            return self._watcher.sync_now(paths, on_progress)
        model = self._model_for_sync()
        with self._syncing, self.store.lock:  # close() cancels this sync after its batch and waits for it
            if self._closed:
                raise self._closed_error()
            indexer = self._indexer = Indexer(self.store, model, on_progress)
            try:
                report = indexer.sync(paths, save=save)
            finally:
                self._indexer = None
        if self._replacing is not None and paths is None and not indexer.cancelled.is_set():
            self._finish_rebuild(complete=True)
        return report

    def sync_on_ray(self, address: str | None, actors: int | None = None,
                    on_progress: Callable[[SyncProgress], None] | None = None, save: bool = False) -> SyncReport:
        """Sync, embedding on a Ray cluster what no cache holds (codesearch.embed.distributed).

        The lexical pass walks, parses and commits once; the cluster embeds the committed functions
        the caches lack (the driver loads only the tokenizer), its vectors streaming back into the
        caches in chunks, so a killed run resumes where it stopped; then they are committed from the cache.
        """
        from codesearch.embed.distributed import RayEmbedder, connect, embed_on_ray

        self.check_requested_model()
        embedder = RayEmbedder(load_embedder(self.model_name, self.cfg, weights=False), self.model_name, self.cfg,
                               address, actors)
        progress = on_progress or (lambda p: None)
        with self.store.lock:
            indexer = Indexer(self.store, embedder, progress)
            lexical = indexer.sync(save=False, embed=False)
            todo = indexer.unembedded_texts()
            if todo:  # nothing new: no Ray runtime is started at all
                connect(address)
            state = SyncProgress("embedding", embed_total=len(todo))

            def embedded(done: int, total: int, seconds: float) -> None:
                state.functions_embedded, state.elapsed = done, seconds
                progress(state)

            count = embed_on_ray(list(todo.items()), self.model_name, self.cfg, indexer.embeddings.keep,
                                 "document", actors, embedded)
            report = indexer.embed_committed(lexical, save=save)
        if self._replacing is not None:
            self._finish_rebuild(complete=True)
        report.functions_embedded += count
        return report

    def watch(self, on_sync: Callable[[SyncReport], None] | None = None, on_error: Callable[[str], None] | None = None,
              on_progress: Callable[[SyncProgress], None] | None = None, initial_sync: bool = True,
              model: Embedder | ModelLoad | None = None) -> Watcher:
        """Sync, then keep the index current from filesystem events; IndexLockedError if another process writes it.

        The watcher writes through its own catalog connection, so searches never see half a sync; the
        model loads while the first sync's lexical pass runs.
        """
        model = model or self._model_for_sync()
        self._watch_with = (on_sync, on_error, on_progress, model)
        with self._guard:
            if self._closed:
                raise self._closed_error()
            writer = Store.create(self.root, self.cfg)
            try:
                watcher = Watcher(writer, model, on_sync=on_sync, on_error=on_error, progress=on_progress)
            except BaseException:
                writer.close()
                raise
            self._starting = watcher
            self._started.clear()
        try:
            watcher.start(initial_sync=initial_sync)
        except BaseException:
            writer.close()
            self._starting = None
            self._started.set()
            raise
        self._watcher, self._writer = watcher, writer  # before close() may look, so it stops this watcher
        self._starting = None
        self._started.set()
        return watcher

    @property
    def watching(self) -> bool:
        return self._watcher is not None

    # -- reading ---------------------------------------------------------------------------------
    def _closed_error(self) -> CodesearchError:
        """What a read, a sync or a watch asked of a closed index gets: one line."""
        return CodesearchError(f"the index at {self.folder} is closed")

    @contextlib.contextmanager
    def _reading(self) -> Iterator[None]:
        """The lock each read of the index holds: close() takes it too, so no read runs on a connection being
        closed (SQLite's module crashes the process then); a read after close is one clear error."""
        with self._lock:
            if self._closed:
                raise self._closed_error()
            yield

    def search(self, query: Query) -> list[Hit]:
        """Ranked hits for a query; the model is loaded on the first semantic search (outside the search
        lock: a load in progress on another thread takes that lock to finish)."""
        self.follow()
        embedder = self.embedder() if query.mode != "lexical" else self._embedder
        with self._reading():
            static = self.static_tier() if query.mode != "lexical" else None
            return Searcher(self.store, embedder, static=static).search(query)

    def static_tier(self) -> StaticTier | None:
        """The static tier of the loaded model (codesearch.embed.static), or None when it is off or cannot be
        distilled here; its token vectors come from the user's cache, distilled on first use."""
        with self._reading():
            embedder = self._embedder
            if self._static is None and embedder is not None and self.cfg.static_tier and supports_static(embedder):
                self._tokens = TokenCache.for_config(self.cfg)
                self._static = StaticTier(StaticEmbedder(embedder, self._tokens, precision=self.cfg.static_precision),
                                          self.store.model_id)
            return self._static

    def ask(self, query: Query) -> Results:
        """A query's answer as a live index gives it: by words while the model loads (and a note that
        says so), by meaning once it is ready, with a note while semantic search covers part of the index.

        An index that is not live loads its model for the first semantic query, as search() does."""
        self.follow()
        live = self._live
        if query.mode != "lexical" and live is not None and live.model != "ready":
            if live.model == "unavailable" and query.mode == "semantic":
                raise ModelError(f"semantic search is unavailable: {live.model_error} (mode lexical still works)")
            note = MODEL_LOADING_NOTE if live.model == "loading" else (
                f"lexical results only: the model is unavailable ({live.model_error})")
            hits = self.search(dataclasses.replace(query, mode="lexical"))
            for hit in hits:  # said in each hit too: a script reading `--json` sees no note (probes 97, 107, 108)
                hit.signals["words_only"] = "model loading" if live.model == "loading" else "model unavailable"
            return Results(hits, "lexical", note)
        hits = self.search(query)
        notes = (coverage_note(self.coverage()) if query.mode != "lexical" else None, self.changed_note(hits))
        return Results(hits, query.mode, "\n".join(n for n in notes if n) or None)

    def changed_note(self, hits: list[Hit]) -> str | None:
        """The line that says which of the results' files changed on disk since they were indexed (their lines and
        code are as they were: a query on a stale index named old line numbers and said nothing: fault sweep 2), or
        None."""
        self.follow()
        with self._reading():
            changed = changed_among(self.store, list(dict.fromkeys(h.path for h in hits)))
        if not changed:
            return None
        for hit in hits:
            if hit.path in changed:
                hit.signals["file_changed"] = True
        more = f" and {len(changed) - 2} more" if len(changed) > 2 else ""
        return (f"note: {', '.join(changed[:2])}{more} changed since indexed: its lines shown are as they were then; "
                "`codesearch index` brings the index up to date (a running `codesearch serve` or `watch` keeps it so)")

    def semantic_state(self) -> str:
        """How far search by meaning is: 'model loading', 'model unavailable', 'embedding N of M' or 'ready'."""
        live = self._live
        if live is not None and live.model != "ready":
            return "model loading" if live.model == "loading" else "model unavailable"
        embedded, functions = self.coverage()
        return f"embedding {embedded} of {functions}" if embedded < functions else "ready"

    def similar(self, path: Path | str, line: int, k: int = 10) -> list[Hit]:
        """Functions most like the innermost one containing path:line, by its stored vector (no model needed)."""
        self.follow()
        with self._reading():
            return similar(self.store, path, line, k)

    def function(self, path: Path | str | None = None, line: int | None = None,
                 qualified_name: str | None = None) -> Hit:
        """One whole indexed function: the innermost at path:line, or the one with this qualified name."""
        self.follow()
        with self._reading():
            return find_function(self.store, path, line, qualified_name)

    def counts(self) -> tuple[int, int]:
        """(files, functions) in the index now."""
        self.follow()
        with self._reading():
            return self.store.catalog.count("files"), self.store.catalog.count("functions")

    def not_read(self) -> dict[str, int]:
        """Source files the last full sync found in languages codesearch does not read, {extension: count}, most
        first: what a search cannot see (cheap: recorded by the sync, no walk)."""
        self.follow()
        with self._reading():
            return skipped(self.store)["not_read"]

    def pending_reread(self) -> str | None:
        """Why the next `codesearch index` reads every file again (a migration's reason), until it has: a query
        answered meanwhile comes from the index as it was."""
        with self._reading():
            return self.store.catalog.get_meta(REREAD_KEY)

    def coverage(self) -> Coverage:
        """Functions with the model's own vector, with a static-tier vector, and in all: what each
        semantic tier answers for so far.

        Counted again only after a commit (a join over every function: too slow for each query)."""
        self.follow()
        with self._reading():
            version = self.store.catalog.version()
            if self._coverage is None or self._coverage[0] != version:
                loaded = self.store.loaded_vectors()  # a warm process holds one vector per embedded function
                embedded, functions = ((len(loaded), self.store.catalog.embeddable_count()) if loaded is not None
                                       else coverage(self.store))
                tier = self.cfg.static_tier
                counted = Coverage(embedded, functions, static_coverage(self.store) if tier else 0,
                                   self.store.model_id, tier and static_interim(self.store))
                self._coverage = (version, counted)
            return self._coverage[1]

    def empty_note(self) -> str | None:
        """When the index holds no functions, one line saying what the repository holds instead and which
        languages codesearch reads (an unsupported-only or empty repository); None otherwise."""
        files, functions = self.counts()
        if functions:
            return None
        other, ignored = survey(self.root, [self.folder])
        kinds = ", ".join(f"{n} {ext or 'without extension'}" for ext, n in other.most_common(6))
        found = f"{sum(other.values())} file(s) in no language it reads ({kinds})" if other else "no other files"
        held = f"{files} source file(s) without functions" if files else "no source file"
        left_out = (f"; {ignored} source file(s) are left out by its ignore files (.gitignore, .codesearchignore): a "
                    "`!pattern` line in .codesearchignore brings them back") if ignored else ""
        return (f"nothing to search in {self.root}: it holds {held} and {found}; codesearch reads "
                f"{supported_languages()}{left_out}")

    def filter_note(self, query: Query) -> str | None:
        """When a query's filters leave no unit of the index to search, one line saying which and what the index
        holds instead (Searcher.filter_note); None otherwise."""
        self.follow()
        with self._reading():
            return Searcher(self.store, None).filter_note(query)

    def stale(self) -> int:
        """Files changed on disk since they were indexed."""
        self.follow()
        with self._reading():
            return stale_files(self.store)

    def freshness(self) -> dict:
        """How far behind the disk this process's watcher is: pending paths, lag, whether it syncs now."""
        watcher = self._watcher
        if watcher is None:
            return {"watching": False, "syncing": False, "pending_paths": [], "full_rescan": False,
                    "lag_seconds": None, "last_sync": None}
        pending = watcher.collector.pending()
        since = pending.pop("since")
        return {"watching": True, "syncing": watcher.syncing, **pending, "last_sync": watcher.last_sync,
                "lag_seconds": round(time.time() - since, 3) if since else 0.0}

    def status(self) -> dict:
        """Everything `codesearch status` shows, as plain data."""
        self.follow()
        with self._reading():
            return status(self.store)

    # -- embedding bundles -----------------------------------------------------------------------
    def export_bundle(self, path: Path) -> bundles.BundleInfo:
        """Write the index's vectors to an embedding bundle; the model's id and dimension come from the index
        and its recipe from the model's config here (nothing is loaded, resolved or downloaded)."""
        with self._reading():
            model_id, dim = self.store.model_id, self.store.dim
            if not model_id or not dim:
                raise CodesearchError(f"the index at {self.folder} holds no vectors yet: run `codesearch index` first")
            recipe = shape_here(model_id)[2]
            if recipe is None:
                raise ModelError(f"cannot tell the embedding recipe of {model_id!r}: its config.json is not on this "
                                 f"machine; {obtain_hint()}")
            catalog = self.store.catalog
            return bundles.export_bundle(path, model_id, dim, recipe, catalog.cached_rows(model_id),
                                         catalog.token_budget(model_id), catalog.precision(model_id) or "fp32")

    # -- closing ---------------------------------------------------------------------------------
    def discard(self) -> None:
        """Close after a failed first step: an index folder this Index created and never committed a file
        to is removed (a bad --model in a new repository leaves no empty .codesearch/ behind)."""
        with self._lock:
            empty = self.store.created and self.store.catalog.count("files") == 0
        self.close()
        if empty:
            shutil.rmtree(self.folder, ignore_errors=True)

    def close(self) -> None:
        """Stop watching (an initial sync stops after its current batch), save, and close every connection."""
        with self._guard:
            self._closed = True
        self._closing.set()
        with self._reopening:  # a reopen in progress finishes first
            pass
        starting = self._starting
        if starting is not None:
            starting.indexer.cancelled.set()
            self._started.wait(120)
        syncing = self._indexer
        if syncing is not None:
            syncing.cancelled.set()
        with self._syncing:  # a sync on this store stops after its batch: none writes through a closed connection
            pass
        with self._moving:  # a watcher being moved to a replaced folder is in place (close stops it) or not
            pass
        if self._watcher is not None:
            self._watcher.stop()
            self._watcher = None
        with self._lock:  # after every read in flight (_reading): none is left on a closed connection
            if self._replacing is not None:
                self._finish_rebuild(complete=False)  # an incomplete rebuild is dropped; the old index stays
            for store in (self._writer, self.store):
                if store is not None:
                    store.close()
            self._writer = None
            if self._tokens is not None and hasattr(self._tokens, "close"):
                self._tokens.close()
                self._tokens = None


def import_bundle(file: Path, start: Path, cfg: Config) -> tuple[bundles.BundleInfo, int, Path]:
    """Check an embedding bundle whole against the model it must be of, then add its vectors to the shared
    cache: (its info, vectors new to the cache, the cache's path).

    The model is --model, else the one the index covering start records (opened through its trust check:
    an untrusted folder is refused), else the bundle's own. Its dimension and recipe come from the index or
    the model's config when it is here, else from the bundle; no model is resolved or downloaded."""
    shared = SharedCache.for_config(cfg, required=True)
    if shared is None:
        raise UsageError("the shared embedding cache is off (CODESEARCH_SHARED_CACHE=0); unset it to use `codesearch cache`")
    try:
        info = bundles.read_info(file)
        recorded: tuple[str | None, int] = (None, 0)
        try:
            with Index.open(start, cfg) as index:
                recorded = (index.store.model_id, index.store.dim)
        except NoIndexError:
            pass
        model_id, dim, recipe = shape_here(cfg.model or recorded[0] or info.model_id)
        if model_id == recorded[0] and recorded[1]:
            dim = recorded[1]
        current = info.recipe if info.recipe in (UDEVER_RECIPE, MEANPOOL_RECIPE) else UDEVER_RECIPE
        return (*bundles.import_bundle(file, shared, model_id, dim or info.dim, recipe or current,
                                       _bundle_key(model_id, info.token_budget, info.precision)), shared.path)
    finally:
        shared.close()
def _bundle_key(model_id: str, tokens: int | None, precision: str) -> str:
    """The shared cache key a bundle's vectors go under: the model's, its token budget's and precision's (a
    bundle made before budgets were recorded holds the budget of that time: the model's own key). When the
    model's budgets cannot be told here, the budget is always named: a miss at worst, never a vector of another."""
    known = local_token_budget(model_id)
    legacy = known.legacy if known else -1
    return vectors_key(model_id, legacy if tokens is None else tokens, legacy, precision)


def _one_line(exc: BaseException) -> str:
    """An error as the one line a surface shows (its class named when it is not one of ours)."""
    text = " ".join(str(exc).split())
    return text if isinstance(exc, CodesearchError) else f"{type(exc).__name__}: {text}"
