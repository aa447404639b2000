"""The house keeps its stages: no folder imports a higher one, surfaces go through the engine, no circles.

Layers, lowest first (see README "Layout"): the root vocabulary; models, parse; embed, store; sync,
search; engine; workspace, serve; mcp, tui; cli. A module may import its own package and any lower
layer; a surface (mcp, tui, cli) may import only the root vocabulary, the doors (engine, workspace),
serve and the surfaces below it. Every import counts, at module level or inside a function.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGE_DIRS = {"codesearch": ROOT / "codesearch", "codesearch.tui": ROOT / "tui",
                "codesearch.grammars": ROOT / "grammars"}
VOCABULARY = {"config", "errors", "query", "safetext", "languages", "__init__"}
LAYER = {"vocabulary": 0, "grammars": 0, "models": 1, "parse": 1, "embed": 2, "store": 2, "sync": 3, "search": 3,
         "engine": 4, "workspace": 5, "serve": 5, "mcp": 6, "tui": 6, "cli": 7, "__main__": 7}
SURFACES = {"mcp", "tui", "cli", "__main__"}
SURFACE_MAY_USE = {"vocabulary", "engine", "workspace", "serve"}

# (importer's place, imported module): why the rule bends there. Keep each one argued.
EXCEPTIONS = {
    ("cli", "codesearch.store.embedcache"): "`cache` commands report and prune the user-level cache itself",
    ("cli", "codesearch.models.cache"): "`model list/show` describe the model cache, not an index",
    ("cli", "codesearch.models.resolve"): "`model download/show` resolve names without loading weights",
    ("cli", "codesearch.embed.embedding"): "`embed` prints a text's vector; `model show` reads a model's shape",
    ("cli", "codesearch.parse.sources"): "`chunks` shows how one file is split, with no index",
    ("cli", "codesearch.parse.walk"): "`chunks` refuses files the walker would skip, the same way",
    ("cli", "codesearch.search.filerank"): "`query --files` ranks the warm server's function hits into files",
    ("cli", "codesearch.sync.indexer"): "the progress bar renders the engine's SyncProgress events",
    ("tui", "codesearch.sync.indexer"): "the status bar renders the engine's SyncProgress events",
    ("mcp", "codesearch.sync.indexer"): "index_status renders the engine's SyncProgress events",
}


def place(module: str) -> str:
    """The layer name of a dotted module inside codesearch."""
    parts = module.split(".")
    if module == "codesearch.__main__":
        return "cli"
    if len(parts) == 1:
        return "vocabulary"
    head = parts[1]
    if len(parts) == 2 and head in VOCABULARY:
        return "vocabulary"
    return head


def modules() -> dict[str, Path]:
    """Every module of the installed package, by dotted name."""
    found = {}
    for package, folder in PACKAGE_DIRS.items():
        for path in folder.rglob("*.py"):
            rel = path.relative_to(folder).with_suffix("").parts
            name = ".".join((package, *rel))
            found[name.removesuffix(".__init__")] = path
    return found


def imports_of(name: str, path: Path, known: set[str]) -> set[str]:
    """The codesearch modules a module imports (from x import y counts x.y when y is a module)."""
    is_package = path.name == "__init__.py"
    package = name if is_package else name.rpartition(".")[0]
    out = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join(parts + ([base] if base else []))
            if base.split(".")[0] != "codesearch":
                continue
            for alias in node.names:
                full = f"{base}.{alias.name}"
                out.add(full if full in known else base)
        elif isinstance(node, ast.Import):
            out |= {a.name for a in node.names if a.name.split(".")[0] == "codesearch"}
    return {m for m in out if m != name}


def graph() -> dict[str, set[str]]:
    mods = modules()
    return {name: imports_of(name, path, set(mods)) for name, path in mods.items()}


def violations(edges: dict[str, set[str]]) -> list[str]:
    """Each import that goes up a layer, sideways into another stage, or from a surface past the doors."""
    bad = []
    for src, targets in edges.items():
        s = place(src)
        for dst in targets:
            d = place(dst)
            if d == s or (s, dst) in EXCEPTIONS or dst == "codesearch":
                continue
            if s in SURFACES:
                ok = d in SURFACE_MAY_USE or (d in SURFACES and LAYER[d] < LAYER[s])
            else:
                ok = LAYER[d] < LAYER[s]
            if not ok:
                bad.append(f"{src} ({s}) imports {dst} ({d})")
    return sorted(bad)


def cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """Import circles among modules (Tarjan's strongly connected components of size > 1)."""
    index, low, stack, on, out, counter = {}, {}, [], set(), [], [0]

    def visit(v: str) -> None:
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in edges.get(v, ()):
            if w not in edges:
                continue
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                out.append(sorted(comp))

    for v in sorted(edges):
        if v not in index:
            visit(v)
    return out


def test_no_import_goes_up_a_layer_or_past_the_engine() -> None:
    assert violations(graph()) == []


def test_no_import_circles() -> None:
    assert cycles(graph()) == []


def test_every_exception_is_still_needed() -> None:
    edges = graph()
    used = {(place(src), dst) for src, targets in edges.items() for dst in targets}
    assert sorted(set(EXCEPTIONS) - used) == []


def test_every_module_is_in_a_known_place_and_says_what_it_holds() -> None:
    for name, path in modules().items():
        assert place(name) in LAYER, f"{name}: not in a stage folder the layer rule knows"
        tree = ast.parse(path.read_text())
        if path.name != "__init__.py" or name == "codesearch":
            assert ast.get_docstring(tree), f"{path}: the first line should say what the module holds"


def test_stage_packages_stay_empty_so_the_thin_client_stays_light() -> None:
    for stage in ("parse", "models", "embed", "store", "sync", "search", "serve"):
        assert (ROOT / "codesearch" / stage / "__init__.py").read_text().strip() == ""


@pytest.mark.parametrize("src,dst,expected", [
    ("codesearch.parse.walk", "codesearch.engine", "goes up"),
    ("codesearch.store.catalog", "codesearch.sync.indexer", "goes up"),
    ("codesearch.embed.pipeline", "codesearch.store.folder", "sideways"),
    ("codesearch.cli.commands", "codesearch.search.searcher", "past the engine"),
])
def test_the_rule_catches_a_planted_import(src: str, dst: str, expected: str) -> None:
    edges = graph()
    edges[src] = edges[src] | {dst}
    assert any(v.startswith(f"{src} (") and dst in v for v in violations(edges)), expected


def test_a_planted_circle_is_caught() -> None:
    edges = graph()
    edges["codesearch.errors"] = edges["codesearch.errors"] | {"codesearch.config"}
    assert ["codesearch.config", "codesearch.errors"] in cycles(edges)
