"""Sync a repository into its index: walk, diff, parse, embed what is new, store in committed batches."""

from __future__ import annotations

import hashlib
import json
import threading
import time
from dataclasses import asdict, dataclass, field
from typing import Callable, NamedTuple

import numpy as np

from codesearch.parse.documents import document_text, gets_vector, unit_hash
from codesearch.store.embedcache import Embeddings, TokenCache, vectors_key
from codesearch.embed.static import StaticEmbedder, TokenStats, supports_static, tier_prefix
from codesearch.sync.embedpass import PENDING_CHUNK, EmbedPass
from codesearch.embed.embedding import Embedder
from codesearch.embed.modelload import ModelLoad
from codesearch.parse.parsing import Unit, parse_source
from codesearch.sync.recency import Recency
from codesearch.store.catalog import REREAD_KEY
from codesearch.store.folder import Store, storage_errors
from codesearch.store.vectors import INDEX_NAME
from codesearch.parse.walk import HAND_WRITTEN_TIMES, SourceFile, WalkStats, source_file, walk
from codesearch.errors import ModelError

FILES_PER_BATCH = 64
RACY_SECONDS = 2.0  # mtime this close to when a file was read may hide a later write (1-2 s timestamps)
FUNCTIONS_PER_BATCH = 256
SAVE_EVERY_SECONDS = 60.0
STATIC_CHUNK = 4096  # functions given static vectors per commit (milliseconds each once tokens are cached)
STATIC_INTERIM_KEY = "static_interim"  # meta: the static tier whose vectors are interim (rare tokens not distilled yet)
INTERIM_MIN_SECONDS = 5.0  # an interim static tier only when the rest would take longer (pooling again costs ~2 s)
INTERIM_PROBE = 256  # tokens timed to estimate the rest when every token an interim tier needs was cached
LATER_CHUNK = 1024  # tokens distilled per call after an interim tier (~2.5 s at 560m's shape on 2 cores)


@dataclass
class SyncProgress:
    """What a progress bar needs, sent after every step."""

    phase: str  # scanning | indexing | removing | loading (the model) | distilling | embedding | saving | done
    files_done: int = 0
    files_total: int = 0
    functions_done: int = 0
    functions_embedded: int = 0
    embed_total: int = 0
    elapsed: float = 0.0
    functions_static: int = 0  # functions given a static-tier vector (codesearch.embed.static)
    tokens_distilled: int = 0  # tokens the static tier asked the model for (once per model and token)
    tokens_total: int = 0  # tokens this static pass distils in all (tokens_distilled included), once known


def too_large_note(stats: WalkStats, max_bytes: int) -> str | None:
    """One line naming the files left unread for their size (the first three), and how to read them."""
    big = stats.large
    if not big:
        return None
    more = f" and {stats.skipped['too large'] - 3} more" if stats.skipped["too large"] > 3 else ""
    return (f"{stats.skipped['too large']} file(s) over {max_bytes // 1024} KiB not read (not written by hand, or over "
            f"{HAND_WRITTEN_TIMES} times that): {', '.join(big[:3])}{more}; `--max-file-bytes` "
            "(CODESEARCH_MAX_FILE_BYTES) reads larger files")


@dataclass
class SyncReport:
    """What one sync did."""

    files_scanned: int = 0
    files_changed: int = 0
    files_removed: int = 0
    functions_total: int = 0
    functions_embedded: int = 0
    functions_static: int = 0
    functions_added: int = 0
    functions_removed: int = 0
    seconds: float = 0.0
    skipped: dict[str, int] = field(default_factory=dict)
    not_read: dict[str, int] = field(default_factory=dict)  # source files no supported language reads (a full walk's)
    ignored: list[str] = field(default_factory=list)  # the first source files ignore rules left out (walk.IGNORED_NAMED)
    errors: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # one line each, for the user (why this sync did more)
    changed_paths: list[str] = field(default_factory=list)

    def to_dict(self) -> dict:
        d = asdict(self)
        d.pop("changed_paths")
        return d


@dataclass
class _Parsed:
    sf: SourceFile
    digest: str
    units: list[Unit] | None  # None: content unchanged, only size/mtime moved
    read_at: float = 0.0  # wall time just before the bytes were read


def looks_unchanged(row, sf: SourceFile, racy: bool = True) -> bool:
    """True when stat proves nothing moved: same size, mtime, ctime and inode, and (racy) the file was
    not racy when read (git's rule: an mtime not clearly older than the read may hide a same-second write)."""
    if (row.size, row.mtime_ns, row.ctime_ns, row.inode) != (sf.size, sf.mtime_ns, sf.ctime_ns, sf.inode):
        return False
    return not racy or sf.mtime_ns < (row.indexed_at - RACY_SECONDS) * 1e9


def content_digest(data: bytes) -> str:
    """A file's content as the catalog's hash column holds it (the same bytes, the same file)."""
    return hashlib.blake2b(data, digest_size=16).hexdigest()


class _Distilled:
    """A static pass's progress callback for StaticEmbedder.distill: one count of tokens over every distillation
    of the pass (an interim tier's, then the rest), and the total once known."""

    def __init__(self, state: SyncProgress, progress: Callable[[SyncProgress], None]) -> None:
        self.state, self.progress, self.before = state, progress, state.tokens_distilled

    def expect(self, tokens: int) -> None:
        """tokens are to be distilled from now on (the bar's total)."""
        self.state.tokens_total = self.state.tokens_distilled + tokens
        self.progress(self.state)

    def __call__(self, done: int, total: int) -> None:
        self.state.tokens_distilled = self.before + done
        if done >= total:
            self.before += total
        self.progress(self.state)


class _StaticPlan(NamedTuple):
    """What a static pass pools (see Indexer._static_stats)."""

    pending: list[int]  # function ids to pool
    known: dict[str, list[int]]  # text hash -> token ids, for the functions already tokenized
    later: list[int]  # tokens to distil after the interim tier is published (empty: no interim tier)
    counted: list[list[int]]  # token ids of every function the statistics were counted over


class Indexer:
    """Brings one Store up to date with the files on disk, using one Embedder."""

    def __init__(self, store: Store, embedder: Embedder | ModelLoad,
                 progress: Callable[[SyncProgress], None] | None = None) -> None:
        self.store = store
        self.embedder = embedder
        self.progress = progress or (lambda p: None)
        self.cancelled = threading.Event()  # set from another thread to stop after the current batch
        self._order: Recency | None = None  # asked once per sync, when first needed
        self._static: StaticEmbedder | None = None
        with storage_errors(store.folder):
            store.check_model(embedder.model_id, embedder.dim)
        self.embeddings = Embeddings.for_catalog(store.catalog, store.cfg, embedder.model_id, embedder.dim,
                                                 vectors_key(embedder.model_id, embedder.max_length, embedder.legacy_length,
                                                             embedder.vector_precision))

    def sync(self, paths: list[str] | None = None, save: bool = False, embed: bool = True) -> SyncReport:
        """Index what changed (see _sync); a full disk or read-only folder ends it with one line, having
        lost nothing (every batch is its own transaction)."""
        with storage_errors(self.store.folder):
            return self._sync(paths, save, embed)

    def _sync(self, paths: list[str] | None = None, save: bool = False, embed: bool = True) -> SyncReport:
        """Index what changed; with paths (relative to the root), look only at those files.

        Four steps: scan (what is on disk), plan (what changed since the catalog saw it), parse and
        commit in batches (files, functions and the lexical index: searchable within seconds, with
        vectors for what any cache already holds), then embed what is still missing, most recently
        changed files first, committing as it goes. A sync stopped anywhere resumes where it was.
        The vector file is rewritten when save=True, when it is missing, or after many changes.
        embed=False stops after the lexical pass (see embed_committed).
        """
        started = time.monotonic()
        report, stats = SyncReport(), WalkStats()
        self._order = None
        budget = self.store.check_vectors(self.embedder.model_id, self.embedder.max_length, self.embedder.legacy_length,
                                          self.embedder.vector_precision)
        known = self.store.catalog.files()
        reread = self.store.catalog.get_meta(REREAD_KEY)
        report.notes += [note for note in (budget, reread) if note]
        state = SyncProgress("scanning")
        self.progress(state)
        found, removed = self._scan(paths, known, stats)
        if paths is None:
            self._record_skipped(stats)
            report.not_read = stats.unread()
            report.notes += [note for note in (too_large_note(stats, self.store.cfg.max_file_bytes),) if note]
        changed = self._plan(found, known, force=paths is not None)  # an event's paths are always re-read
        if changed and isinstance(self.embedder, ModelLoad):
            self.embedder.start()  # the weights load while the lexical pass parses and commits
        changed = self._recency(len(changed), FILES_PER_BATCH).order(changed, lambda f: f.rel, lambda f: f.mtime_ns)
        report.files_scanned = len(found)
        state.phase, state.files_total = "indexing", len(changed)
        self.progress(state)
        vectors = self.store.vectors()
        unreadable = self._unreadable_vector_file()
        try:
            removed += self._index_batches(changed, known, vectors, stats, report, state, started)
            if removed:
                self._remove(removed, vectors, report, state)
            if embed:
                self._after_lexical(vectors, report, state, started)
        finally:
            self._save(state, save)
        if unreadable and not self.store.rebuilt_vectors:  # (saved now)
            report.notes.append(unreadable)
        if reread and paths is None and not self.cancelled.is_set():
            with self.store.catalog.transaction():
                self.store.catalog.delete_meta(REREAD_KEY)
        report.skipped, report.ignored = dict(stats.skipped), list(stats.ignored)
        return self._done(report, state, started)

    def _unreadable_vector_file(self) -> str | None:
        """The note for a vector file there that could not be read (the vectors were rebuilt in memory): this sync
        writes it again, so no reader rebuilds it after."""
        path = self.store.folder / INDEX_NAME
        if not (self.store.rebuilt_vectors and path.exists()):
            return None
        return (f"the vector file {path} could not be read (damaged, or not sealed for this index): rebuilt it from "
                "the catalog's vectors and wrote it again")

    def embed_committed(self, report: SyncReport, save: bool = False) -> SyncReport:
        """The passes after the lexical one (static tier, then the model) over what a sync(embed=False)
        committed, without walking or parsing again; adds to that sync's report."""
        started = time.monotonic() - report.seconds
        state = SyncProgress("embedding", files_done=report.files_changed, files_total=report.files_changed)
        vectors = self.store.vectors()
        try:
            self._after_lexical(vectors, report, state, started)
        finally:
            self._save(state, save)
        return self._done(report, state, started)

    def _after_lexical(self, vectors, report: SyncReport, state: SyncProgress, started: float) -> None:
        if not self.cancelled.is_set():
            self._static_pass(report, state, started)
        if not self.cancelled.is_set():
            self._embed_pending(vectors, report, state, started)

    def _save(self, state: SyncProgress, save: bool) -> None:
        state.phase = "saving"
        self.progress(state)
        self.store.save_vectors(force=save)  # only when the in-memory index matches the committed catalog

    def _done(self, report: SyncReport, state: SyncProgress, started: float) -> SyncReport:
        report.functions_total = self.store.catalog.count("functions")
        report.seconds = round(time.monotonic() - started, 3)
        state.phase, state.elapsed = "done", report.seconds
        self.progress(state)
        return report

    def unembedded_texts(self) -> dict[str, str]:
        """hash -> text of every committed function the model has not embedded and no cache holds:
        what a bulk embedder (Ray) should embed after a sync(embed=False) parsed and committed them."""
        rows = self.store.catalog.get_functions(self.store.catalog.unembedded(self.embedder.model_id))
        texts = {row.text_hash: document_text(row) for row in rows.values()}
        return {h: texts[h] for h in self.embeddings.missing(texts)}

    def _scan(self, paths: list[str] | None, known: dict, stats: WalkStats) -> tuple[list[SourceFile], list[str]]:
        """(files that count now, indexed paths that are gone): the whole tree, or just the paths given."""
        store = self.store
        if paths is None:
            found = list(walk(store.root, store.cfg.max_file_bytes, [store.folder, *filter(None, [store.final])], stats))
            seen = {f.rel for f in found}
            return found, [p for p in known if p not in seen]
        found, removed = [], []
        for rel in sorted(set(paths)):
            result = source_file(store.root, rel, store.cfg.max_file_bytes)
            if isinstance(result, SourceFile):
                found.append(result)
            else:
                stats.skipped[result] += 1
                if rel in known:
                    removed.append(rel)
        return found, removed

    def _record_skipped(self, stats: WalkStats) -> None:
        """What the last full walk skipped and the entries that were wrong, with why, for `status`."""
        record = {"counts": dict(stats.skipped), "problems": [[rel, why] for rel, why in stats.problems],
                  "too_large": stats.large, "not_read": stats.unread()}
        with self.store.catalog.transaction():
            self.store.catalog.set_meta("skipped", json.dumps(record, sort_keys=True))

    def _recency(self, items: int, batch: int) -> Recency:
        """The order people worked on files in (git history, else mtime; see codesearch.sync.recency),
        asked once per sync and only when it matters: more items than one batch."""
        if self._order is None and items > batch:
            self._order = Recency.of(self.store.root)
        return self._order or Recency()

    @staticmethod
    def _plan(found: list[SourceFile], known: dict, force: bool = False) -> list[SourceFile]:
        """Files new to the catalog, or whose stat does not prove them unchanged (their content is checked
        later; every one when force), most recently modified first."""
        changed = [f for f in found if force or f.rel not in known or not looks_unchanged(known[f.rel], f)]
        return sorted(changed, key=lambda f: (-f.mtime_ns, f.rel))

    def _index_batches(self, changed: list[SourceFile], known: dict, vectors, stats: WalkStats, report: SyncReport,
                       state: SyncProgress, started: float) -> list[str]:
        """Parse, embed and commit changed files in batches; returns indexed paths that turned unreadable."""
        gone: list[str] = []
        batch: list[_Parsed] = []
        batch_functions = 0
        last_save = time.monotonic()
        for sf in changed:
            if self.cancelled.is_set():
                return gone  # the batch in hand is dropped: the next sync sees those files again
            parsed = self._read(sf, known, stats, report)
            if parsed is None:
                if sf.rel in known:
                    gone.append(sf.rel)
                state.files_done += 1
                continue
            batch.append(parsed)
            batch_functions += len(parsed.units or [])
            if len(batch) >= FILES_PER_BATCH or batch_functions >= FUNCTIONS_PER_BATCH:
                self._commit(batch, vectors, report, state, started)
                batch, batch_functions = [], 0
                if time.monotonic() - last_save > SAVE_EVERY_SECONDS:
                    state.phase = "saving"
                    self.progress(state)
                    self.store.save_vectors(force=True)
                    last_save, state.phase = time.monotonic(), "indexing"
        if batch:
            self._commit(batch, vectors, report, state, started)
        return gone

    def _remove(self, removed: list[str], vectors, report: SyncReport, state: SyncProgress) -> None:
        """Forget files that are gone, in one transaction."""
        catalog = self.store.catalog
        state.phase = "removing"
        self.progress(state)
        with catalog.transaction():
            gone: list[int] = []
            for rel in removed:
                gone += catalog.delete_file(rel)
            generation = catalog.bump_generation()
        vectors.delete(gone)
        self.store.adopt_vectors(vectors, generation, len(gone))
        report.functions_removed += len(gone)
        report.files_removed = len(removed)
        report.changed_paths += removed

    def _read(self, sf: SourceFile, known: dict, stats: WalkStats, report: SyncReport) -> _Parsed | None:
        read_at = time.time()
        try:
            with open(sf.path, "rb") as fh:
                data = fh.read()
        except FileNotFoundError:
            stats.skipped["vanished"] += 1
            return None
        except OSError as exc:
            stats.skipped["unreadable"] += 1
            report.errors.append(f"{sf.rel}: {exc.strerror}")
            return None
        digest = content_digest(data)
        if sf.rel in known and known[sf.rel].hash == digest:
            return _Parsed(sf, digest, None, read_at)
        try:
            units = parse_source(data, sf.language, sf.rel)
        except Exception as exc:  # noqa: BLE001 - one bad file must not stop the index
            stats.skipped["unparsable"] += 1
            report.errors.append(f"{sf.rel}: cannot parse ({type(exc).__name__}: {exc})")
            units = []
        return _Parsed(sf, digest, units, read_at)

    def _cached(self, texts: dict[str, str]) -> dict[str, np.ndarray]:
        """Vectors the index's cache or the shared one already hold (nothing is embedded here)."""
        self.embeddings.missing(texts)  # copies what the shared cache holds into the index's
        return self.store.catalog.cached_vectors(self.embedder.model_id, list(texts))

    def _loaded_model(self, state: SyncProgress) -> Embedder | None:
        """The model itself, waiting for its load if the lexical pass finished first (None: the sync was
        cancelled while the weights loaded; the next sync goes on)."""
        if isinstance(self.embedder, ModelLoad):
            state.phase = "loading"
            self.progress(state)
            loaded = self.embedder.loaded(self.cancelled)
            if loaded is None:
                return None
            if loaded.vector_precision != self.embedder.vector_precision:  # memory changed between plan and load
                raise ModelError(f"model {loaded.model_id!r} loaded in {loaded.vector_precision}, not the "
                                 f"{self.embedder.vector_precision} this sync keys its vectors by (the free memory "
                                 "changed meanwhile): run the command again")
            self.embedder = loaded
        return self.embedder

    def static_embedder(self) -> StaticEmbedder | None:
        """The static tier of this index's model (None when turned off, or with no weights here, as on Ray)."""
        if self._static is None and self.store.cfg.static_tier:
            model = self.embedder.loaded() if isinstance(self.embedder, ModelLoad) else self.embedder
            if supports_static(model):
                self._static = StaticEmbedder(model, TokenCache.for_config(self.store.cfg),
                                              precision=self.store.cfg.static_precision)
        return self._static

    def _static_pass(self, report: SyncReport, state: SyncProgress, started: float) -> None:
        """Give every function without one a static-tier vector: the model's distilled token vectors
        (the shared token cache first) pooled per function, so a first index answers by meaning in
        seconds while the transformer fills in behind. Committed in chunks; searches see each one."""
        catalog = self.store.catalog
        if not self.store.cfg.static_tier or not catalog.embeddable_count():
            return
        if self._loaded_model(state) is None:
            return
        static = self.static_embedder()
        if static is None:
            return
        state.phase = "distilling"

        distilled = _Distilled(state, self.progress)
        plan = self._static_stats(static, distilled)
        if not plan.pending:
            return
        self.progress(state)
        self._pool_static(static, plan.pending, plan.known, state, report, started, held_only=bool(plan.later))
        if plan.later:
            self._finish_static(static, plan, distilled, state, started)

    def _finish_static(self, static: StaticEmbedder, plan: _StaticPlan, distilled: _Distilled, state: SyncProgress,
                       started: float) -> None:
        """After an interim tier is searchable: distil the rare tokens, count the statistics again and pool every
        function again (the exact tier, as if distilled at once). The lock is let go between chunks: a query's
        own tokens wait for one chunk at most."""
        for start in range(0, len(plan.later), LATER_CHUNK):
            if self.cancelled.is_set():
                return  # still marked interim: the next sync finishes
            static.vectors_of(plan.later[start : start + LATER_CHUNK], distilled)
        self._keep_static_stats(static, static.stats_of_ids(plan.counted, distilled), interim=False)
        self._pool_static(static, plan.pending, plan.known, state, None, started, held_only=False)

    def _pool_static(self, static: StaticEmbedder, pending: list[int], known: dict[str, list[int]],
                     state: SyncProgress, report: SyncReport | None, started: float, held_only: bool) -> None:
        """Pool pending's static vectors in chunks, each committed (searchable) as it is done; held_only pools
        the tokens held now (an interim tier); report None: vectors pooled again, not new coverage."""
        catalog = self.store.catalog
        for start in range(0, len(pending), STATIC_CHUNK):
            if self.cancelled.is_set():
                return
            rows = catalog.get_functions(pending[start : start + STATIC_CHUNK])
            texts = {row.text_hash: document_text(row) for row in rows.values()}
            ids = [known.get(h) for h in texts]  # get, not pop: a text in two chunks keeps its ids
            if any(i is None for i in ids):
                ids = static.token_ids(list(texts.values()))
            vecs = static.embed_token_ids(ids, held_only=held_only)
            with catalog.transaction():
                catalog.put_vectors(static.model_id, list(texts), vecs)
            if report is not None:
                state.functions_static += len(rows)
                report.functions_static += len(rows)
            state.elapsed = time.monotonic() - started
            self.progress(state)

    def _static_stats(self, static: StaticEmbedder, distilled) -> _StaticPlan:
        """Give static its index statistics (IDF, centre): those kept in the catalog, or counted over every
        function when there are none, the index has doubled since, or they were an interim tier's (then every
        function is pooled again). Returns the functions to pool, the token ids of those it counted (by text
        hash: not tokenized twice), the tokens left to distil after an interim tier (StaticEmbedder.interim_split)
        and every counted function's ids (the final statistics count them again)."""
        catalog = self.store.catalog
        kept = catalog.static_stats(static.model_id, static.dim)
        functions = catalog.embeddable_count()
        interim = catalog.get_meta(STATIC_INTERIM_KEY) == static.model_id
        if kept is not None and functions < 2 * max(kept[0], 1) and not interim:
            static.stats = TokenStats(*kept)
            return _StaticPlan(catalog.unembedded(static.model_id), {}, [], [])
        everything = catalog.embeddable_ids()
        rows = list(catalog.get_functions(everything).values())
        ids = static.token_ids([document_text(r) for r in rows])
        later = self._distil_first(static, ids, distilled)
        stats = static.stats_of_ids(ids, distilled, held_only=bool(later))
        self._keep_static_stats(static, stats, interim=bool(later), first=kept is None)
        return _StaticPlan(everything, {r.text_hash: row_ids for r, row_ids in zip(rows, ids)}, later, ids)

    def _distil_first(self, static: StaticEmbedder, ids: list[list[int]], distilled: _Distilled) -> list[int]:
        """Distil what an interim tier needs (StaticEmbedder.interim_split) and return the tokens left for after
        it; none when the rest would take under INTERIM_MIN_SECONDS at the rate just measured (a small model or
        a GPU: an interim tier would cost a pooling pass and save nothing)."""
        first, later = static.interim_split(ids)
        distilled.expect(len(first) + len(later))
        probe = first or later[:INTERIM_PROBE]  # all cached but later: time a few of later
        began = time.monotonic()
        static.vectors_of(probe, distilled)
        rest = later if first else later[len(probe):]
        if rest and len(rest) * (time.monotonic() - began) / max(len(probe), 1) < INTERIM_MIN_SECONDS:
            static.vectors_of(rest, distilled)
            return []
        return rest

    def _keep_static_stats(self, static: StaticEmbedder, stats: TokenStats, interim: bool, first: bool = False) -> None:
        """Keep the static tier's statistics with the index, marked while they are an interim tier's (a sync
        stopped before the rare tokens were distilled counts and pools everything again); first: the first static
        pass under this key, so an older recipe's vectors, never read again, go in the same transaction."""
        static.stats = stats
        catalog = self.store.catalog
        with catalog.transaction():
            if first:
                catalog.drop_tiers(tier_prefix(static.base.model_id), static.model_id)
            catalog.put_static_stats(static.model_id, stats.functions, stats.tokens, stats.counts, stats.mean,
                                     stats.whitening)
            if interim:
                catalog.set_meta(STATIC_INTERIM_KEY, static.model_id)
            else:
                catalog.delete_meta(STATIC_INTERIM_KEY)

    def _embed_pending(self, vectors, report: SyncReport, state: SyncProgress, started: float) -> None:
        """Embed every indexed function that has no vector yet, most recently worked-on files first,
        tokenizing ahead of the model and committing each chunk (codesearch.sync.embedpass)."""
        pending_files = self.store.catalog.unembedded_files(self.embedder.model_id)
        if not pending_files:
            return
        recency = self._recency(len(pending_files), PENDING_CHUNK)
        pending = [fid for fid, _, _ in recency.order(pending_files, lambda r: r[1], lambda r: r[2])]
        if self._loaded_model(state) is None:
            return  # stopped while the weights loaded: the next sync embeds
        state.phase, state.embed_total = "embedding", state.embed_total + len(pending)
        self.progress(state)

        def embedded(n: int) -> None:
            state.functions_embedded += n
            report.functions_embedded += n
            state.elapsed = time.monotonic() - started
            self.progress(state)

        EmbedPass(self.store, self.embedder, self.embeddings, vectors, self.cancelled, embedded).run(pending)

    def _commit(self, batch: list[_Parsed], vectors, report: SyncReport, state: SyncProgress, started: float) -> None:
        catalog = self.store.catalog
        texts: dict[str, str] = {}
        hashes: dict[int, str] = {}  # id(unit) -> hash of its document text
        for p in batch:
            for u in p.units or []:
                text = document_text(u)
                hashes[id(u)] = h = unit_hash(u, text)
                if gets_vector(h):
                    texts[h] = text
        by_hash = self._cached(texts)
        added_ids: list[int] = []
        added_vecs: list[np.ndarray] = []
        removed_ids: list[int] = []
        with catalog.transaction():
            for p in batch:
                sf = p.sf
                file_id = catalog.upsert_file(sf.rel, sf.language, sf.size, sf.mtime_ns, p.digest, sf.ctime_ns,
                                              sf.inode, p.read_at)
                if p.units is None:
                    continue
                report.files_changed += 1
                report.changed_paths.append(sf.rel)
                old = {}
                for row in catalog.functions_of(file_id):
                    old.setdefault((row.qualified_name, row.text_hash), []).append(row.id)
                for u in p.units:
                    h = hashes[id(u)]
                    same = old.get((u.qualified_name, h))
                    if same:
                        catalog.move_function(same.pop(0), u)
                        continue
                    fid = catalog.insert_function(file_id, u, h)
                    report.functions_added += 1
                    if h in by_hash:  # the rest get their vectors in _embed_pending
                        added_ids.append(fid)
                        added_vecs.append(by_hash[h])
                stale = [i for ids in old.values() for i in ids]
                catalog.delete_functions(stale)
                removed_ids += stale
            generation = catalog.bump_generation()
        vectors.delete(removed_ids)
        if added_ids:
            vectors.add(np.array(added_ids, dtype=np.int64), np.stack(added_vecs))
        self.store.adopt_vectors(vectors, generation, len(added_ids) + len(removed_ids))
        report.functions_removed += len(removed_ids)
        state.files_done += len(batch)
        state.functions_done += sum(len(p.units or []) for p in batch)
        state.elapsed = time.monotonic() - started
        self.progress(state)
