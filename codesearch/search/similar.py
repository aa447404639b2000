""""Find code like this": rank functions by the stored vector of the function at a file's line.

The vector is read from the catalog's embedding cache (what indexing stored), so nothing is
re-embedded and no model is needed for an indexed function.
"""

from __future__ import annotations

from pathlib import Path
from typing import Callable

import numpy as np

from codesearch.store.catalog import FunctionRow
from codesearch.parse.documents import gets_vector
from codesearch.parse.units import EMBED_MIN_LINES, doc_rows, docstrings
from codesearch.errors import CodesearchError, UsageError
from codesearch.query import MAX_K, Hit
from codesearch.search.ranking import (RankingOptions, adjust, collapse_duplicates, copies_elsewhere, non_main_kind,
                                       units_once, written_first)
from codesearch.store.folder import Store
from codesearch.store.safefiles import read_text


class SimilarError(UsageError):
    """A "find code like this" request that cannot be answered as given (no function there)."""


class AmbiguousNameError(SimilarError):
    """A name that several functions answer to: the caller chooses among the candidates."""

    def __init__(self, name: str, candidates: list[Hit]) -> None:
        shown = ", ".join(f"{h.qualified_name} ({h.path}:{h.start_line})" for h in candidates[:MAX_CANDIDATES])
        more = f" and {len(candidates) - MAX_CANDIDATES} more" if len(candidates) > MAX_CANDIDATES else ""
        super().__init__(f"{name!r} names {len(candidates)} functions: {shown}{more}; "
                         "ask again with one qualified name, or a path and line")
        self.candidates = candidates


MAX_CANDIDATES = 20
DOC_DELIMITER_LINES = 3  # a doc comment's lines beyond its text: `/**`, `*/`, a blank line or an annotation
MAX_SOURCE_BYTES = 16 << 20  # a source file read to see whether a line is a member's doc comment


def relative_path(root: Path, path: Path | str) -> str:
    """A path given by a user (absolute, or relative to the working directory) as a path under root."""
    p = Path(path).expanduser()
    p = (p if p.is_absolute() else Path.cwd() / p).resolve()
    try:
        return p.relative_to(root.resolve()).as_posix()
    except ValueError:
        raise SimilarError(f"{p} is outside the indexed repository {root}") from None


def function_at(store: Store, rel: str, line: int) -> FunctionRow:
    """The innermost indexed function of rel that contains line; SimilarError when there is none."""
    if isinstance(line, bool) or not isinstance(line, int) or line < 1:
        raise SimilarError(f"the line must be a whole number from 1, not {line!r}")
    file_id = store.catalog.file_id(rel)
    if file_id is None:
        raise SimilarError(f"{rel} is not in the index (not a source file, ignored, or not indexed yet: "
                           "run `codesearch index`)")
    units = store.catalog.functions_of(file_id)
    holding = [f for f in units if f.start_line <= line <= f.end_line and f.kind != "window" and gets_vector(f.text_hash)]
    # a function, a type or a block; else the module code around the line (a route table, a configuration block), not
    # when the line is in a definition without a vector (a small class: the module piece's lines span it, but it is
    # not that code: cachetools' `class RRCache` answered "like __init__")
    defined = any(f.start_line <= line <= f.end_line and f.kind not in ("window", "module") for f in units)
    inside = [f for f in holding if f.kind != "module"] or ([] if defined else holding)
    if all(f.kind in ("type", "module") for f in holding):  # on a member's doc comment, not in another's body
        member = _documented_below(store, rel, line, units)
        if member is not None:
            return member
    if not inside:
        last = max((f.end_line for f in units), default=0)
        if line > last:
            raise SimilarError(f"line {line} is past the end of {rel}, whose last indexed line is {last}")
        unit = _innermost(units, line)
        if unit is not None:  # code too short for a vector of its own (rainbow's three-line `module Rainbow` set-up)
            least = EMBED_MIN_LINES.get(unit.kind)
            why = f"under {least} lines of code of its own (comments aside)" if least else "no vector"
            raise SimilarError(f"line {line} of {rel} is in {unit.kind} code ({unit.qualified_name}, lines "
                               f"{unit.start_line}-{unit.end_line}) with {why}, so it is found by its words only: put "
                               "the cursor in a function body, or search for it with `codesearch query`")
        raise SimilarError(f"line {line} of {rel} is not inside any function or code with a vector (an import block and "
                           "a short constant have none): put the cursor in a function body")
    return min(inside, key=lambda f: (f.end_line - f.start_line, -f.start_line))


def _innermost(units: list[FunctionRow], line: int) -> FunctionRow | None:
    """The smallest of a file's units (no window) holding line, with a vector or not; None for none."""
    holding = [f for f in units if f.start_line <= line <= f.end_line and f.kind != "window"]
    return min(holding, key=lambda f: (f.end_line - f.start_line, -f.start_line), default=None)


def _documented_below(store: Store, rel: str, line: int, units: list[FunctionRow]) -> FunctionRow | None:
    """The unit with a vector whose doc comment (units.doc_rows) holds line."""
    below = [f for f in units if f.docstring and f.kind != "window" and gets_vector(f.text_hash)
             and not docstrings(f.language)  # a docstring is below its `def`, not above
             and line < f.start_line <= line + len(f.docstring.splitlines()) + DOC_DELIMITER_LINES]
    if not below:
        return None
    try:
        lines = read_text(store.root / rel, MAX_SOURCE_BYTES).split("\n")
    except (OSError, CodesearchError):  # gone, unreadable, or larger than a source file is read
        return None
    member = min(below, key=lambda f: f.start_line)
    return member if line in doc_rows(member, lines) else None


def stored_vector(store: Store, row: FunctionRow) -> np.ndarray:
    """The function's document vector from the embedding cache (never re-embedded)."""
    _, matrix = store.catalog.vectors_for(store.model_id or "", [row.id], store.dim)
    if len(matrix) == 0:
        raise SimilarError(f"{row.qualified_name} in {row.path} has no stored vector yet: run `codesearch index`")
    return matrix[0]


def hit_of(row: FunctionRow, score: float, semantic_rank: int | None = None, lexical_rank: int | None = None,
           semantic_score: float | None = None) -> Hit:
    """A result for a stored function, with the evidence behind its rank."""
    return Hit(id=row.id, path=row.path, start_line=row.start_line, end_line=row.end_line, start_col=row.start_col,
               name=row.name, qualified_name=row.qualified_name, language=row.language, kind=row.kind,
               score=round(float(score), 6), code=row.code, docstring=row.docstring,
               semantic_score=None if semantic_score is None else round(float(semantic_score), 6),
               semantic_rank=semantic_rank, lexical_rank=lexical_rank)


def similar(store: Store, path: Path | str, line: int, k: int = 10) -> list[Hit]:
    """The k functions whose stored vectors are closest to the one containing path:line, itself left out."""
    if isinstance(k, bool) or not isinstance(k, int) or not 1 <= k <= MAX_K:
        raise SimilarError(f"k must be a whole number from 1 to {MAX_K}, not {k!r}")
    row = function_at(store, relative_path(store.root, path), line)
    vector = stored_vector(store, _window_at(store, row, line) or row)
    ranked = store.vectors().search(vector, COPIES_WIDENING * k + 1)
    rows = store.catalog.get_functions([fid for fid, _ in ranked])
    cosine = {fid: sim for fid, sim in ranked}
    # the function's own copies (a package's dist/ and bundles of it) are not like it, they are it: left out; copies
    # among the rest are one result, shown where the main code has it (rxjs: 8 of 8 results were createErrorClass's)
    groups = collapse_duplicates([row] + [rows[fid] for fid, _ in ranked if fid in rows and fid != row.id],
                                 _main_copy(store, list(rows.values())), apart={row.id})
    # nor are the units it holds (marshmallow's Range class answered its own __call__: probe 61)
    others = [g for g in groups if row.id not in {g[0].id, *(c.id for c in g[1])} and not _nested(g[0], row)]
    # from main code, tests and examples of other code come after main code like it, as in a query (golang-lru: 2 of
    # the first 5 were tests); from a test, other tests are what is like it
    down = NON_MAIN_FACTOR if non_main_kind(row.path, row.name, "") is None else 1.0
    score = {g[0].id: adjust(cosine[g[0].id], down if non_main_kind(g[0].path, g[0].name, "") else 1.0) for g in others}
    out = []
    for rank, (shown, copies) in enumerate(sorted(others, key=lambda g: -score[g[0].id])[:k], start=1):
        hit = hit_of(shown, score[shown.id], semantic_rank=rank, semantic_score=cosine[shown.id])
        hit.also_in = copies_elsewhere(shown, copies)  # picomatch: a long function's other windows were "3 places"
        out.append(hit)
    return out


def _window_at(store: Store, row: FunctionRow, line: int) -> FunctionRow | None:
    """The window of a long function whose middle is nearest line, when a window with a vector holds it: a long
    function's vector reads its first lines only, and every line of it answered alike (fault sweep 2)."""
    file_id = store.catalog.file_id(row.path)
    windows = [f for f in store.catalog.functions_of(file_id) if f.kind == "window" and f.start_line <= line <= f.end_line
               and row.start_line <= f.start_line and f.end_line <= row.end_line
               and f.qualified_name == row.qualified_name and gets_vector(f.text_hash)] if file_id is not None else []
    return min(windows, key=lambda f: abs(f.start_line + f.end_line - 2 * line), default=None)


def _nested(unit: FunctionRow, seed: FunctionRow) -> bool:
    """unit lies within seed's lines, in seed's file, seed a definition: a class's methods, a function's inner
    functions (a module piece's lines span its file's functions, which are not in it)."""
    return (seed.kind != "module" and unit.path == seed.path
            and seed.start_line <= unit.start_line and unit.end_line <= seed.end_line)


NON_MAIN_FACTOR = RankingOptions().non_main_factor  # what a query holds tests, examples and builds down by
COPIES_WIDENING = 4  # similar's neighbours looked at per result asked for: a package's copies take their places


def _main_copy(store: Store, rows: list[FunctionRow]) -> Callable[[FunctionRow, FunctionRow], bool]:
    """Which of two copies to show: the main code's (src/len.ts, not dist/len.js), else as a query shows them
    (ranking.written_first: moment's src/lib/ module, not the moment.js bundle that repeats it)."""
    counts = units_once(store.catalog.units_per_file, rows)

    def prefer(copy: FunctionRow, shown: FunctionRow) -> bool:
        down = non_main_kind(copy.path, copy.name, "") is not None
        if down != (non_main_kind(shown.path, shown.name, "") is not None):
            return not down
        return written_first(copy, shown, counts)
    return prefer


def find_function(store: Store, path: Path | str | None = None, line: int | None = None,
                  qualified_name: str | None = None) -> Hit:
    """The innermost function at path:line, else the one named qualified_name (in path when given);
    AmbiguousNameError, with the candidates, when several functions have that name."""
    rel = relative_path(store.root, path) if path else None
    if line is not None:
        if rel is None:
            raise SimilarError("a line needs a path")
        try:
            return hit_of(function_at(store, rel, line), 1.0)
        except SimilarError:  # a unit without a vector (a 4-line interface, a route block) is still one to show: MCP's
            file_id = store.catalog.file_id(rel)  # get_function told an agent to "put the cursor in a function body"
            unit = _innermost(store.catalog.functions_of(file_id) if file_id is not None else [], line)
            if unit is None:  # (fault sweep 3); `similar` needs the vector, and says so
                raise
            return hit_of(unit, 1.0)
    if not qualified_name:
        raise SimilarError("give a path and line, or a qualified name")
    rows = store.catalog.get_functions(store.catalog.exact_names(qualified_name))
    found = sorted((r for r in rows.values() if rel is None or r.path == rel), key=lambda r: (r.path, r.start_line))
    if not found:
        raise SimilarError(f"no indexed function is named {qualified_name!r}" + (f" in {rel}" if rel else ""))
    exact = [r for r in found if r.qualified_name == qualified_name] or found
    if len(exact) > 1:
        raise AmbiguousNameError(qualified_name, [hit_of(r, 1.0) for r in exact])
    return hit_of(exact[0], 1.0)
