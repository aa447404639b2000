"""The one repository an MCP server answers for: opened at start, model and first index built in the
background, kept current by the engine's watcher, and asked in plain data (no MCP types here).

While the model loads or the first index is being built, searches answer lexically and say so.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Callable

from codesearch.config import Config
from codesearch.engine import Index
from codesearch.errors import CodesearchError, IndexLockedError, UsageError
from codesearch.sync.indexer import SyncProgress
from codesearch.query import Hit, Query

LEXICAL_NOTE = "lexical results only: the semantic index is still being built; ask again for ranked-by-meaning results"


class ToolError(CodesearchError):
    """A tool call that cannot be answered; its message is the one line the agent sees."""


class Repository:
    """An engine Index plus the background work that makes it searchable by meaning."""

    def __init__(self, root: Path, cfg: Config, watch: bool = True, embedder=None) -> None:
        self.root = Path(root).resolve()
        self.cfg = cfg
        self.index: Index | None = None
        self.error: str | None = None  # why nothing can be answered (no index, bad root)
        self.model_error: str | None = None  # why semantic search is unavailable (missing model)
        self.read_only: str | None = None  # another process writes the index
        self.first_build = False
        self.built = threading.Event()  # the model is loaded and the first sync (if any) is done
        self._watch = watch
        self._embedder = embedder
        self._thread: threading.Thread | None = None

    # -- lifecycle -------------------------------------------------------------------------------
    def start(self) -> "Repository":
        """Open the index (creating it when watching) and start loading and syncing in the background."""
        try:
            if self._watch:
                self.index = Index.create(self.root, self.cfg, embedder=self._embedder)
            else:
                self.index = Index.open(self.root, self.cfg, embedder=self._embedder)
            self.first_build = self.index.counts()[1] == 0 or self.index.store.model_id is None
        except CodesearchError as exc:
            self.error = str(exc)
            self.built.set()
            return self
        self._thread = threading.Thread(target=self._prepare, name="codesearch-mcp-prepare", daemon=True)
        self._thread.start()
        return self

    def _prepare(self) -> None:
        index = self.index
        try:
            index.warm_up()  # the model, and an int8 copy for queries on CPU
            if self._watch:
                try:
                    index.watch(on_error=lambda m: None)
                except IndexLockedError as exc:
                    self.read_only = str(exc)
        except CodesearchError as exc:
            self.model_error = str(exc)
        except Exception as exc:  # noqa: BLE001 - reported to the agent by every semantic call
            self.model_error = f"{type(exc).__name__}: {exc}"
        finally:
            self.built.set()

    def close(self) -> None:
        if self.index is not None:
            self.index.close()

    # -- answers ---------------------------------------------------------------------------------
    def _index(self) -> Index:
        if self.index is None:
            raise ToolError(self.error or "the index is not open")
        return self.index

    @property
    def semantic_ready(self) -> bool:
        """True when a semantic search would neither wait nor miss most of the repository."""
        return self.index is not None and self.index.model_loaded and (not self.first_build or self.built.is_set())

    def search(self, query: Query) -> tuple[list[Hit], str | None]:
        """(hits, a note when they are not what was asked: lexical while the first index builds)."""
        index = self._index()
        if query.mode != "lexical" and not self.semantic_ready:
            if self.model_error:
                raise ToolError(f"semantic search is unavailable: {self.model_error} (mode='lexical' still works)")
            lexical = Query(query.text, query.k, query.languages, query.path_glob, "lexical", kinds=query.kinds)
            return index.search(lexical), LEXICAL_NOTE
        return index.search(query), None

    def path(self, path: str) -> Path:
        """A path an agent gave: absolute, or relative to the repository root."""
        p = Path(path).expanduser()
        return p if p.is_absolute() else self.root / p

    def similar(self, path: str, line: int, k: int) -> list[Hit]:
        return self._index().similar(self.path(path), line, k)

    def function(self, path: str | None, line: int | None, qualified_name: str | None) -> Hit:
        if line is not None and not path:
            raise UsageError("get_function needs a path with the line")
        return self._index().function(self.path(path) if path else None, line, qualified_name)

    def coverage(self) -> dict | None:
        """{embedded, functions, percent, static, static_percent, model}: what each semantic tier covers now."""
        if self.index is None:
            return None
        return self.index.coverage().to_dict()

    def status(self) -> dict:
        """Files, functions, model and freshness, cheap enough to ask often."""
        index = self._index()
        files, functions = index.counts()
        fresh = index.freshness()
        if not fresh["watching"]:
            fresh["stale_files"] = index.stale()
        state = "ready" if self.semantic_ready else ("model unavailable" if self.model_error else "building")
        return {"root": str(index.root), "index_dir": str(index.folder), "model": index.store.model_id or index.model_name,
                "files": files, "functions": functions, "semantic": state, "model_error": self.model_error,
                "read_only": self.read_only, "coverage": self.coverage(), **fresh}

    def reindex(self, paths: list[str], on_progress: Callable[[SyncProgress], None]) -> dict:
        """Sync now (only these paths when given) and say what changed."""
        index = self._index()
        self.built.wait()  # the first sync holds the writer; a reindex after it goes through the watcher
        if self.read_only:
            raise ToolError(self.read_only)
        if self.model_error:
            raise ToolError(f"cannot index: {self.model_error}")
        rels = []
        for p in paths:
            full = self.path(p).resolve()
            try:
                rels.append(full.relative_to(index.root).as_posix())
            except ValueError:
                raise UsageError(f"{p} is outside the indexed repository {index.root}") from None
        report = index.sync(rels or None, on_progress=on_progress)
        return report.to_dict()
