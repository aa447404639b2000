"""The MCP tools over stdio, on the official SDK's MCPServer: search_code, find_similar,
get_function, index_status (read-only) and reindex. Each returns JSON-schema'd structured content
and a short text rendering; failures come back as tool errors of one line.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Callable

import anyio
import anyio.from_thread
from mcp.server.mcpserver import Context, MCPServer
from mcp.types import CallToolResult, TextContent, ToolAnnotations
from pydantic import BaseModel, Field

from codesearch import __version__
from codesearch.config import Config
from codesearch.errors import CodesearchError
from codesearch.query import DEFAULT_MODE, Hit, Query, coverage_note
from codesearch.query import Coverage as CoverageCounts
from codesearch.mcp.repository import Repository

DEFAULT_MAX_CHARS = 12000
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
    code: str
    truncated: bool = Field(description="True when code was cut to the max_chars budget")


class Coverage(BaseModel):
    """How much of the index semantic search covers: a first index embeds for a while after it answers."""

    embedded: int = Field(description="Functions with a vector (found by meaning)")
    functions: int = Field(description="Functions indexed (all found by their words)")
    percent: int = Field(description="embedded / functions, rounded down (100 only when complete)")
    static: int = Field(default=0, description="Functions with a static-tier vector (distilled from the model: found "
                                                "by meaning before the model embeds them)")
    static_percent: int = Field(default=0, description="static / functions, rounded down")
    model: str | None = Field(default=None, description="The model whose vectors 'embedded' counts")


class SearchResult(BaseModel):
    root: str
    query: str
    mode: str = Field(description="The ranking used: hybrid, semantic or lexical")
    note: str | None = Field(description="Set when results are not what was asked (lexical while the index builds, "
                                         "or semantic results covering part of the index)")
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
    semantic: str = Field(description="ready, building (lexical answers meanwhile) or model unavailable")
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


class ReindexResult(BaseModel):
    files_scanned: int
    files_changed: int
    files_removed: int
    functions_total: int
    functions_embedded: int
    functions_removed: int
    seconds: float
    errors: list[str]


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
        code, truncated = cut(h.code, each)
        out.append(Function(path=h.path, abs_path=str(root / h.path), start_line=h.start_line, end_line=h.end_line,
                            name=h.name, qualified_name=h.qualified_name, language=h.language, kind=h.kind,
                            score=h.score, semantic_rank=h.semantic_rank, lexical_rank=h.lexical_rank,
                            code=code, truncated=truncated))
    return out


def _lines(results: list[Function]) -> str:
    return "\n".join(f"{r.path}:{r.start_line}-{r.end_line} {r.qualified_name} ({r.score:.3f})" for r in results)


def _result(model: BaseModel, text: str) -> CallToolResult:
    return CallToolResult(content=[TextContent(type="text", text=text)], structured_content=model.model_dump(mode="json"))


def _error(message: str) -> CallToolResult:
    return CallToolResult(content=[TextContent(type="text", text=message)], is_error=True)


async def _answer(work: Callable[[], CallToolResult]) -> CallToolResult:
    """Run blocking engine work off the event loop; a library error becomes one-line tool error."""
    try:
        return await anyio.to_thread.run_sync(work)
    except CodesearchError as exc:
        return _error(f"codesearch: {exc}")


def build_server(repo: Repository) -> MCPServer:
    """The MCP server with codesearch's tools bound to one repository."""
    server = MCPServer(name="codesearch", version=__version__,
                       instructions="Semantic code search over this repository: search_code finds functions by "
                                    "meaning in any language; find_similar finds code like a function; "
                                    "get_function fetches one whole; index_status says how fresh the index is.")

    @server.tool(annotations=READ_ONLY)
    async def search_code(query: str, k: int = 10, mode: str = DEFAULT_MODE, languages: list[str] | None = None,
                          path_glob: str | None = None,
                          max_chars: int = DEFAULT_MAX_CHARS) -> Annotated[CallToolResult, SearchResult]:
        """Find the functions that do what the query says (any natural language, or an identifier).

        mode: hybrid (default), semantic or lexical. languages: e.g. ["python", "go"]. path_glob: a
        gitignore-style glob such as "src/**/*.py". max_chars: budget for all returned code together.
        """
        def work() -> CallToolResult:
            q = Query(query, k=k, languages=tuple(languages or ()), path_glob=path_glob, mode=mode)
            hits, note = repo.search(q)
            coverage = repo.coverage()
            partial = coverage_note(CoverageCounts.from_dict(coverage)) if q.mode != "lexical" and not note else None
            found = SearchResult(root=str(repo.root), query=query, mode="lexical" if note else mode, note=note or partial,
                                 coverage=coverage, results=functions(hits, repo.root, max(max_chars, 0)))
            text = (f"note: {note}\n" if note else "") + (_lines(found.results) or "no results")
            return _result(found, text)

        return await _answer(work)

    @server.tool(annotations=READ_ONLY)
    async def find_similar(path: str, line: int, k: int = 10,
                           max_chars: int = DEFAULT_MAX_CHARS) -> Annotated[CallToolResult, SearchResult]:
        """Functions most like the one containing path:line (path relative to the repository root)."""
        def work() -> CallToolResult:
            hits = repo.similar(path, line, k)
            found = SearchResult(root=str(repo.root), query=f"{path}:{line}", mode="similar", note=None,
                                 results=functions(hits, repo.root, max(max_chars, 0)))
            return _result(found, _lines(found.results) or "no results")

        return await _answer(work)

    @server.tool(annotations=READ_ONLY)
    async def get_function(path: str | None = None, line: int | None = None,
                           qualified_name: str | None = None) -> Annotated[CallToolResult, FunctionDetail]:
        """One whole function and its doc comment: the innermost at path:line, or by qualified name."""
        def work() -> CallToolResult:
            h = repo.function(path, line, qualified_name)
            detail = FunctionDetail(path=h.path, abs_path=str(repo.root / h.path), start_line=h.start_line,
                                    end_line=h.end_line, name=h.name, qualified_name=h.qualified_name,
                                    language=h.language, kind=h.kind, docstring=h.docstring, code=h.code)
            return _result(detail, f"{h.path}:{h.start_line}-{h.end_line} {h.qualified_name}\n{h.code}")

        return await _answer(work)

    @server.tool(annotations=READ_ONLY)
    async def index_status() -> Annotated[CallToolResult, Freshness]:
        """Files and functions indexed, the model, and freshness: pending changes, lag, watcher."""
        def work() -> CallToolResult:
            s = Freshness(**repo.status())
            lag = "up to date" if not s.pending_paths and not s.full_rescan else (
                f"{len(s.pending_paths)} changed file(s) pending for {s.lag_seconds or 0:.1f}s")
            covered = f" ({s.coverage.percent} % embedded)" if s.coverage and s.coverage.percent < 100 else ""
            return _result(s, f"{s.files} files, {s.functions} functions, model {s.model}; semantic: {s.semantic}"
                              f"{covered}; {'watching' if s.watching else 'not watching'}, {lag}")

        return await _answer(work)

    @server.tool(annotations=WRITES_INDEX)
    async def reindex(ctx: Context, paths: list[str] | None = None) -> Annotated[CallToolResult, ReindexResult]:
        """Sync the index with the files on disk now (only these paths when given), reporting progress."""
        def progress(p) -> None:
            if p.phase == "indexing" and p.files_total:
                anyio.from_thread.run(ctx.report_progress, p.files_done, p.files_total,
                                      f"indexed {p.files_done}/{p.files_total} files")

        def work() -> CallToolResult:
            report = ReindexResult(**{k: v for k, v in repo.reindex(paths or [], progress).items()
                                      if k in ReindexResult.model_fields})
            return _result(report, f"{report.files_changed} changed, {report.files_removed} removed file(s); "
                                   f"{report.functions_embedded} embedded; {report.functions_total} functions")

        return await _answer(work)

    return server


def serve_stdio(root: Path, cfg: Config, watch: bool = True) -> None:
    """Run the MCP server on stdin/stdout until the client leaves; the index is closed at the end."""
    repo = Repository(root, cfg, watch=watch).start()
    try:
        build_server(repo).run("stdio")
    finally:
        repo.close()
