"""The MCP tools over stdio, on the official SDK's MCPServer: search_code, find_similar,
get_function, index_status (read-only) and reindex, over one live engine Index (`Index.live`: it
answers by words while the model loads, and says so). Every parameter has a bounded, described JSON
schema; each tool returns structured content and a short text rendering; failures, bad arguments
included, come back as tool errors of one line.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Callable, Literal

import anyio
import anyio.from_thread
from mcp.server.mcpserver import Context, MCPServer
from mcp.server.mcpserver.exceptions import ToolError
from mcp.types import CallToolResult, TextContent, ToolAnnotations
from pydantic import BaseModel, Field, ValidationError

from codesearch import __version__
from codesearch.config import Config
from codesearch.engine import Index
from codesearch.errors import CodesearchError, UsageError
from codesearch.languages import LANGUAGE_ALIASES, LANGUAGES, unread_line
from codesearch.query import (DEFAULT_MODE, KIND_ALIASES, MAX_K, MODES, UNIT_KINDS, Hit, Query, language_note, read_note,
                              unmatched_note, vague_note)
from codesearch.sync.indexer import SyncProgress, SyncReport

DEFAULT_MAX_CHARS = 12000
MAX_CHARS = 200_000  # more code than any agent's context takes in one answer
NOTES_KEPT = 5  # the syncs' latest notes index_status shows
READ_ONLY = ToolAnnotations(read_only_hint=True, destructive_hint=False, idempotent_hint=True, open_world_hint=False)
WRITES_INDEX = ToolAnnotations(read_only_hint=False, destructive_hint=False, idempotent_hint=True, open_world_hint=False)


class Located(BaseModel):
    """Where a function is and what it is called."""

    path: str = Field(description="Path relative to the repository root")
    abs_path: str
    start_line: int
    end_line: int
    name: str
    qualified_name: str
    language: str
    kind: str


class Function(Located):
    """One function of the repository, as a result."""

    score: float
    semantic_rank: int | None = Field(description="Rank by meaning (None: not in the semantic list)")
    lexical_rank: int | None = Field(description="Rank by shared words (None: not in the lexical list)")
    line: int = Field(description="The line to open: where the question's words are in a module piece, type, window "
                                  "or block, else start_line")
    code: str
    code_line: int = Field(default=0, description="The file line code begins at: start_line, or, when code was cut to "
                                                  "the budget, line, so what is kept holds the question's words")
    truncated: bool = Field(description="True when code was cut to the max_chars budget")
    binds: str | None = Field(default=None, description="The constant, variable or field the query named that this "
                                                        "module piece or type binds (code and lines are its statement)")


class Coverage(BaseModel):
    """How much of the index semantic search covers: a first index embeds for a while after it answers."""

    embedded: int = Field(description="Functions with a vector (found by meaning)")
    functions: int = Field(description="Functions indexed (all found by their words)")
    percent: int = Field(description="embedded / functions, rounded down (100 only when complete)")
    static: int = Field(default=0, description="Functions with a static-tier vector (distilled from the model: found "
                                                "by meaning before the model embeds them)")
    static_percent: int = Field(default=0, description="static / functions, rounded down")
    static_interim: bool = Field(default=False, description="True while the static tier is an interim one: pooled "
                                                            "from the tokens carrying most of its weight, the rarer "
                                                            "ones still being distilled")
    model: str | None = Field(default=None, description="The model whose vectors 'embedded' counts")


class SearchResult(BaseModel):
    root: str
    query: str
    mode: str = Field(description="The ranking used: hybrid, semantic or lexical")
    note: str | None = Field(description="Set when results are not all that was asked: by words only while the model "
                                         "loads, or by meaning over part of the index while it embeds")
    coverage: Coverage | None = Field(default=None, description="Semantic coverage of the index when it was searched")
    results: list[Function]


class FunctionDetail(Located):
    """One whole function with its doc comment."""

    docstring: str
    code: str


class Freshness(BaseModel):
    root: str
    index_dir: str
    model: str
    files: int
    functions: int
    semantic: str = Field(description="Search by meaning: 'model loading' (answers are by words meanwhile), "
                                      "'embedding N of M' (meaning covers N functions so far), 'ready', "
                                      "or 'model unavailable' (see model_error)")
    coverage: Coverage | None = Field(default=None, description="Functions embedded so far, of all indexed")
    model_error: str | None
    read_only: str | None = Field(description="Set when another process writes the index")
    watching: bool
    syncing: bool
    pending_paths: list[str] = Field(description="Changed on disk, waiting for the next sync")
    full_rescan: bool
    lag_seconds: float | None = Field(description="Age of the oldest change not yet indexed (0: none pending)")
    last_sync: float | None
    stale_files: int | None = None
    not_read: dict[str, int] = Field(default_factory=dict, description="Source files in languages codesearch does not "
                                                                      "read, by extension, most first: not searched")
    notes: list[str] = Field(default_factory=list, description="What this server's syncs did beyond the usual, one "
                                                                "line each, latest last (e.g. every unit embedded "
                                                                "again because the token budget changed)")


class Candidates(BaseModel):
    """The functions an ambiguous name answers to (get_function asks which one)."""

    candidates: list[Located]


class ReindexResult(BaseModel):
    files_scanned: int
    files_changed: int
    files_removed: int
    functions_total: int
    functions_embedded: int
    functions_removed: int
    seconds: float
    errors: list[str]
    notes: list[str] = Field(default_factory=list, description="Why this sync did more than usual, one line each")


def cut(code: str, budget: int) -> tuple[str, bool]:
    """code within budget characters, cut at a line end when it can be."""
    if len(code) <= budget:
        return code, False
    head = code[:budget]
    return (head[: head.rfind("\n")] if "\n" in head else head), True


def functions(hits: list[Hit], root: Path, max_chars: int) -> list[Function]:
    """Results with their code sharing one character budget evenly."""
    each = max_chars // max(len(hits), 1)
    out = []
    for h in hits:
        # over budget, the code from the line to open: a 1,000-line class or a module piece laid on its file's lines
        # kept its head and blank rows, not the lines that hold the question's words (probes 133, 138, 139, 141)
        line = h.focus()
        skip = line - h.start_line if len(h.code) > each else 0
        code, truncated = cut("\n".join(h.code.split("\n")[skip:]), each)
        out.append(Function(path=h.path, abs_path=str(root / h.path), start_line=h.start_line, end_line=h.end_line,
                            name=h.name, qualified_name=h.qualified_name, language=h.language, kind=h.kind,
                            score=h.score, semantic_rank=h.semantic_rank, lexical_rank=h.lexical_rank,
                            line=line, code=code, code_line=h.start_line + skip, truncated=truncated or skip > 0,
                            binds=_bound_name(h)))
    return out


def _bound_name(h: Hit) -> str | None:
    """The name a hit found by a binding binds (its signals say), else None."""
    name = h.signals.get("binds") if isinstance(h.signals, dict) else None
    return name if isinstance(name, str) else None


def _lines(results: list[Function]) -> str:
    return "\n".join(f"{r.path}:{r.start_line}-{r.end_line} {r.qualified_name}{f' binds {r.binds}' if r.binds else ''}"
                     f" ({r.score:.3f})" for r in results)


def _result(model: BaseModel, text: str) -> CallToolResult:
    return CallToolResult(content=[TextContent(type="text", text=text)], structured_content=model.model_dump(mode="json"))


def _error(message: str, structured: BaseModel | None = None) -> CallToolResult:
    return CallToolResult(content=[TextContent(type="text", text=message)], is_error=True,
                          structured_content=structured.model_dump(mode="json") if structured else None)


def _located(h: Hit, root: Path) -> Located:
    return Located(path=h.path, abs_path=str(root / h.path), start_line=h.start_line, end_line=h.end_line,
                   name=h.name, qualified_name=h.qualified_name, language=h.language, kind=h.kind)


async def _answer(work: Callable[[], CallToolResult], root: Path) -> CallToolResult:
    """Run blocking engine work off the event loop; a library error becomes one-line tool error (an
    ambiguous name carries its candidates)."""
    try:
        return await anyio.to_thread.run_sync(work)
    except CodesearchError as exc:
        candidates = getattr(exc, "candidates", None)
        listed = Candidates(candidates=[_located(h, root) for h in candidates]) if candidates else None
        return _error(f"codesearch: {exc}", listed)


class _Server(MCPServer):
    """MCPServer whose argument errors are one line, as every other codesearch error."""

    async def call_tool(self, name: str, arguments: dict, context: Context | None = None):
        try:
            return await super().call_tool(name, arguments, context)
        except ToolError as exc:
            if not isinstance(exc.__cause__, ValidationError):
                raise
            said = "; ".join(f"{'.'.join(str(part) for part in err['loc']) or 'arguments'}: {err['msg']}"
                             for err in exc.__cause__.errors())
            raise ToolError(f"codesearch: bad arguments for {name}: {' '.join(said.split())}") from exc.__cause__


class _Repository:
    """The repository the tools answer for: its live Index, or why there is none (each call says it)."""

    def __init__(self, root: Path, index: Index | None, error: str | None = None,
                 notes: list[str] | None = None) -> None:
        self.root, self._index, self.error = Path(root).resolve(), index, error
        self.notes = notes if notes is not None else []  # what the syncs said (heard from the live index)

    def index(self) -> Index:
        if self._index is None:
            raise CodesearchError(self.error or "the index is not open")
        return self._index

    def path(self, path: str) -> Path:
        """A path an agent gave: absolute, or relative to the repository root."""
        p = Path(path).expanduser()
        return p if p.is_absolute() else self.root / p

    def coverage(self) -> Coverage:
        return Coverage(**self.index().coverage().to_dict())

    def status(self) -> Freshness:
        """Files, functions, model, how far search by meaning is, and freshness: cheap enough to ask often."""
        index = self.index()
        files, functions = index.counts()
        fresh = index.freshness()
        if not fresh["watching"]:
            fresh["stale_files"] = index.stale()
        live = index.live_state()
        return Freshness(root=str(index.root), index_dir=str(index.folder), model=index.model_id or index.model_name,
                         files=files, functions=functions, semantic=index.semantic_state(), coverage=self.coverage(),
                         model_error=live.model_error if live else None, read_only=live.read_only if live else None,
                         not_read=index.not_read(), notes=list(self.notes), **fresh)

    def reindex(self, paths: list[str], on_progress: Callable[[SyncProgress], None]) -> ReindexResult:
        """Sync now (only these paths when given) and say what changed."""
        index = self.index()
        rels = []
        for p in paths:
            full = self.path(p).resolve()
            try:
                rels.append(full.relative_to(index.root).as_posix())
            except ValueError:
                raise UsageError(f"{p} is outside the indexed repository {index.root}") from None
        report = index.sync(rels or None, on_progress=on_progress).to_dict()
        return ReindexResult(**{k: v for k, v in report.items() if k in ReindexResult.model_fields})

    def close(self) -> None:
        if self._index is not None:
            self._index.close()


# the names the CLI takes too: `js`, `py`, `golang`, `class`, `func` (MCP refused `--lang js`'s `js`: fault sweep 2)
Language = Literal[LANGUAGES + tuple(LANGUAGE_ALIASES)]  # type: ignore[valid-type]
Mode = Literal[MODES]  # type: ignore[valid-type]
Kind = Literal[UNIT_KINDS + tuple(KIND_ALIASES)]  # type: ignore[valid-type]
K = Annotated[int, Field(ge=1, le=MAX_K, description=f"How many functions to return (1 to {MAX_K})")]
MaxChars = Annotated[int, Field(ge=0, le=MAX_CHARS, description="Character budget for the code of all results "
                                                               "together, shared evenly; code past it is cut at a "
                                                               "line end and marked truncated")]
RepoPath = Annotated[str, Field(min_length=1, description="A file: relative to the repository root, or absolute")]
Line = Annotated[int, Field(ge=1, description="A line number (from 1) inside the function")]


def build_server(repo: _Repository) -> MCPServer:
    """The MCP server with codesearch's tools bound to one repository."""
    server = _Server(name="codesearch", version=__version__,
                     instructions="Semantic code search over this repository: search_code finds functions by "
                                  "meaning in any language; find_similar finds code like a function; "
                                  "get_function fetches one whole; index_status says how fresh the index is.")

    @server.tool(annotations=READ_ONLY)
    async def search_code(
            query: Annotated[str, Field(min_length=1, description="What the code does, in any natural language "
                                                                  "(\"where are redirects followed\"), or an "
                                                                  "identifier (parseConfig, Store.get)")],
            k: K = 10,
            mode: Annotated[Mode, Field(description="Ranking: hybrid (meaning and words fused; the default), "
                                                    "semantic (meaning only) or lexical (shared words only)")] = DEFAULT_MODE,
            languages: Annotated[list[Language] | None, Field(description="Only functions in these languages "
                                                                          "(none: all)")] = None,
            path_glob: Annotated[str | None, Field(description="Only files whose path, relative to the repository "
                                                               "root, matches this gitignore-style glob, e.g. "
                                                               "\"src/**/*.py\" (none: all)")] = None,
            kinds: Annotated[list[Kind] | None, Field(description="Only units of these kinds (none: all): function, "
                                                                  "method, constructor, type (class, struct, "
                                                                  "interface, enum), module (code between "
                                                                  "definitions), block (a callback or DSL block "
                                                                  "named by its call), window (part of a long "
                                                                  "function)")] = None,
            max_chars: MaxChars = DEFAULT_MAX_CHARS) -> Annotated[CallToolResult, SearchResult]:
        """Find the functions that do what the query says (any natural language, or an identifier)."""
        def work() -> CallToolResult:
            index = repo.index()
            asked = Query(query, k=k, languages=tuple(languages or ()), path_glob=path_glob, mode=mode,
                          kinds=tuple(kinds or ()))
            answer = index.ask(asked)
            coverage = repo.coverage()
            filtered = index.filter_note(asked) if not answer.hits else None  # why the filters left nothing
            notes = [*(answer.note or "").split("\n"), filtered,  # Index.ask's notes, a line each
                     language_note(query, index.model_id) if answer.mode != "lexical" else None,
                     vague_note(query), read_note(answer.hits), unmatched_note(query, answer.hits),
                     *(repo.notes[-1:] if answer.mode != "lexical" and coverage.percent < 100 else ())]
            note = "; ".join(n.removeprefix("note: ") for n in notes if n) or None
            found = SearchResult(root=str(repo.root), query=query, mode=answer.mode, note=note,
                                 coverage=coverage, results=functions(answer.hits, repo.root, max_chars))
            text = (f"note: {note}\n" if note else "") + (_lines(found.results) or "no results")
            return _result(found, text)

        return await _answer(work, repo.root)

    @server.tool(annotations=READ_ONLY)
    async def find_similar(path: RepoPath, line: Line, k: K = 10,
                           max_chars: MaxChars = DEFAULT_MAX_CHARS) -> Annotated[CallToolResult, SearchResult]:
        """Functions most like the one containing path:line, by its stored vector (no model needed)."""
        def work() -> CallToolResult:
            hits = repo.index().similar(repo.path(path), line, k)
            found = SearchResult(root=str(repo.root), query=f"{path}:{line}", mode="similar", note=None,
                                 results=functions(hits, repo.root, max_chars))
            return _result(found, _lines(found.results) or "no results")

        return await _answer(work, repo.root)

    @server.tool(annotations=READ_ONLY)
    async def get_function(
            path: Annotated[str | None, Field(min_length=1, description="A file, relative to the repository root or "
                                                                        "absolute: with line, the innermost function "
                                                                        "there; with qualified_name, only this file")] = None,
            line: Annotated[int | None, Field(ge=1, description="A line number (from 1) inside the function; needs "
                                                                "path")] = None,
            qualified_name: Annotated[str | None, Field(min_length=1, description="A function's name or qualified "
                                                                                  "name (Mailer.send_email); when "
                                                                                  "several match, the answer is an "
                                                                                  "error listing them")] = None,
    ) -> Annotated[CallToolResult, FunctionDetail]:
        """One whole function and its doc comment: the innermost at path:line, or by qualified name."""
        def work() -> CallToolResult:
            if line is not None and not path:
                raise UsageError("get_function needs a path with the line")
            h = repo.index().function(repo.path(path) if path else None, line, qualified_name)
            detail = FunctionDetail(**_located(h, repo.root).model_dump(), docstring=h.docstring, code=h.code)
            return _result(detail, f"{h.path}:{h.start_line}-{h.end_line} {h.qualified_name}\n{h.code}")

        return await _answer(work, repo.root)

    @server.tool(annotations=READ_ONLY)
    async def index_status() -> Annotated[CallToolResult, Freshness]:
        """Files and functions indexed, the model, how far search by meaning is, and freshness."""
        def work() -> CallToolResult:
            s = repo.status()
            lag = "up to date" if not s.pending_paths and not s.full_rescan else (
                f"{len(s.pending_paths)} changed file(s) pending for {s.lag_seconds or 0:.1f}s")
            covered = f" ({s.coverage.percent} % embedded)" if s.coverage and s.coverage.percent < 100 else ""
            unread = f"; not read: {unread_line(s.not_read)}" if s.not_read else ""
            return _result(s, f"{s.files} files, {s.functions} functions, model {s.model}; semantic: {s.semantic}"
                              f"{covered}; {'watching' if s.watching else 'not watching'}, {lag}{unread}")

        return await _answer(work, repo.root)

    @server.tool(annotations=WRITES_INDEX)
    async def reindex(ctx: Context, paths: Annotated[list[RepoPath] | None, Field(
            description="Only these files (relative to the repository root, or absolute); none: the whole "
                        "repository")] = None) -> Annotated[CallToolResult, ReindexResult]:
        """Sync the index with the files on disk now (only these paths when given), reporting progress."""
        def progress(p) -> None:
            if p.phase == "indexing" and p.files_total:
                anyio.from_thread.run(ctx.report_progress, p.files_done, p.files_total,
                                      f"indexed {p.files_done}/{p.files_total} files")

        def work() -> CallToolResult:
            report = repo.reindex(paths or [], progress)
            return _result(report, f"{report.files_changed} changed, {report.files_removed} removed file(s); "
                                   f"{report.functions_embedded} embedded; {report.functions_total} functions"
                                   + "".join(f"\nnote: {note}" for note in report.notes))

        return await _answer(work, repo.root)

    return server


def open_repository(root: Path, cfg: Config, watch: bool = True, embedder=None) -> _Repository:
    """The live index at root (created and kept current when watching), or why there is none. What a sync
    says to its user (a re-embed and why) is kept for index_status and for answers while it embeds."""
    notes: list[str] = []

    def heard(report: SyncReport) -> None:
        notes.extend(note for note in report.notes if note not in notes)
        del notes[:-NOTES_KEPT]

    try:
        return _Repository(root, Index.live(root, cfg, watch=watch, embedder=embedder, on_sync=heard), notes=notes)
    except CodesearchError as exc:
        return _Repository(root, None, str(exc))


def serve_stdio(root: Path, cfg: Config, watch: bool = True) -> None:
    """Run the MCP server on stdin/stdout until the client leaves; the index is closed at the end."""
    repo = open_repository(root, cfg, watch)
    try:
        build_server(repo).run("stdio")
    finally:
        repo.close()
