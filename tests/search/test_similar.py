""""Find code like this": the stored vector of the function at a line, in the library, CLI and server."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from codesearch.cli import cli
from codesearch.serve.client import run_similar
from codesearch.config import Config
from codesearch.engine import Index
from codesearch.errors import UsageError
from codesearch.search.similar import SimilarError

from conftest import serve_in_thread

NESTED = 'def outer(x):\n    """Outer."""\n    def inner(y):\n        return y * 2\n    return inner(x)\n\n\nX = 1\n'
HOLDER = 'class Holder:\n    size = 3\n\n    def grow(self):\n        return self.size + 1\n'  # a type too small for a vector


@pytest.fixture
def built(sample_repo: Path, tiny_embedder) -> Path:
    (sample_repo / "lib" / "nested.py").write_text(NESTED)
    (sample_repo / "lib" / "holder.py").write_text(HOLDER)
    with Index.create(sample_repo, Config(), embedder=tiny_embedder) as index:
        index.sync()
    return sample_repo


class _NoModel:
    """Stands in for a model that must never be asked for anything."""

    def __getattr__(self, name: str):
        raise AssertionError(f"similar touched the model ({name})")


def _by_brute_force(index: Index, fid: int) -> list[int]:
    """Every other function ranked by cosine to fid's cached vector: what similar must return."""
    ids, matrix = index.store.catalog.vectors_for(index.store.model_id, dim=index.store.dim)
    me = matrix[list(ids).index(fid)]
    sims = matrix @ me
    order = [int(ids[i]) for i in np.argsort(-sims, kind="stable") if ids[i] != fid]
    return order


def test_ranks_by_the_stored_vector_and_leaves_the_function_out(built: Path) -> None:
    with Index.open(built, Config()) as index:
        index._embedder = _NoModel()  # no re-embedding: the model is never touched
        hits = index.similar(built / "api" / "server.go", 10, k=4)
        me = index.function(built / "api" / "server.go", 10)
        assert me.qualified_name == "RetryRequest"
        assert [h.id for h in hits] == _by_brute_force(index, me.id)[:4]
        assert me.id not in [h.id for h in hits]
        assert [h.semantic_rank for h in hits] == [1, 2, 3, 4]
        assert all(h.lexical_rank is None for h in hits)
        assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)


def test_the_innermost_function_is_the_one_used(built: Path) -> None:
    with Index.open(built, Config()) as index:
        assert index.function(built / "lib" / "nested.py", 4).qualified_name == "outer.inner"
        assert index.function(built / "lib" / "nested.py", 2).qualified_name == "outer"
        inner = index.function(built / "lib" / "nested.py", 4)
        hits = index.similar(built / "lib" / "nested.py", 4, k=20)
        assert inner.id not in [h.id for h in hits] and "outer" in [h.qualified_name for h in hits]
        assert len(hits) == index.store.catalog.embeddable_count() - 1


def test_clear_errors_outside_a_function_or_the_index(built: Path, tmp_path: Path) -> None:
    with Index.open(built, Config()) as index:
        with pytest.raises(SimilarError, match=r"line 8 of lib/nested.py is in module code \(nested, lines 8-8\) with "
                                               r"under 6 lines of code of its own \(comments aside\), so it is found by its words only"):
            index.similar(built / "lib" / "nested.py", 8)
        # in a type searched by words only (rainbow's three-line `module Rainbow` set-up was "not inside any function")
        with pytest.raises(SimilarError, match=r"line 2 of lib/holder.py is in type code \(Holder, lines 1-\d+\) with "
                                               r"under 10 lines of code of its own"):
            index.similar(built / "lib" / "holder.py", 2)
        assert index.function(built / "lib" / "holder.py", 5).qualified_name == "Holder.grow"
        # a unit without a vector is still one to show: MCP's get_function at a small type's line told an agent to "put
        # the cursor in a function body" (fault sweep 3); `similar` needs the vector and says so
        assert (index.function(built / "lib" / "holder.py", 2).qualified_name, index.function(built / "lib" / "holder.py",
                                                                                             2).kind) == ("Holder", "type")
        assert index.function(built / "lib" / "nested.py", 8).kind == "module"
        with pytest.raises(UsageError, match="outside the indexed repository"):
            index.similar(tmp_path / "elsewhere.py", 1)
        with pytest.raises(SimilarError, match="not in the index"):
            index.similar(built / "README-missing.md", 1)
        with pytest.raises(SimilarError, match="line 99 is past the end of lib/nested.py, whose last indexed line is 8"):
            index.similar(built / "lib" / "nested.py", 99)  # not "outside any function": the file is shorter
        with pytest.raises(SimilarError, match="whole number"):
            index.similar(built / "lib" / "nested.py", 0)


def test_get_function_by_qualified_name(built: Path) -> None:
    with Index.open(built, Config()) as index:
        hit = index.function(qualified_name="Mailer.send_email")
        assert (hit.path, hit.start_line, hit.end_line) == ("lib/config.py", 11, 13)
        assert "SMTP" in hit.docstring and hit.code.startswith("def send_email")
        with pytest.raises(SimilarError, match="no indexed function is named"):
            index.function(qualified_name="Nope.nothing")


def test_cli_similar_json_and_vimgrep(built: Path, monkeypatch) -> None:
    monkeypatch.chdir(built / "lib")
    result = CliRunner().invoke(cli, ["similar", "../api/server.go:10", "-k", "3", "--json"])
    assert result.exit_code == 0, result.output
    hits = json.loads(result.stdout)
    with Index.open(built, Config()) as index:
        expected = [h.id for h in index.similar(built / "api" / "server.go", 10, k=3)]
    assert [h["id"] for h in hits] == expected and all(h["abs_path"].startswith(str(built)) for h in hits)
    result = CliRunner().invoke(cli, ["similar", "config.py:12", "--vimgrep", "-k", "2"])
    lines = result.stdout.splitlines()
    assert result.exit_code == 0 and len(lines) == 2 and all(line.count(":") >= 3 for line in lines)
    bad = CliRunner().invoke(cli, ["similar", "config.py"])
    assert bad.exit_code == 2 and "PATH:LINE" in bad.output
    zero = CliRunner().invoke(cli, ["similar", "config.py:0"])  # said "is not PATH:LINE", as if the form were wrong
    assert zero.exit_code == 2 and "lines are numbered from 1" in zero.output


def test_similar_over_the_socket(built: Path, tiny_embedder) -> None:
    index = Index.open(built, Config(), embedder=tiny_embedder)
    server, thread = serve_in_thread(index)
    try:
        root, hits, _ = run_similar(built / "lib", Config(), built / "lib" / "config.py", 5, k=3)
        assert server.answered == 1 and root == built.resolve()
        assert [h.id for h in hits] == [h.id for h in index.similar(built / "lib" / "config.py", 5, 3)]
        with pytest.raises(Exception, match="is in module code"):
            run_similar(built, Config(), built / "lib" / "nested.py", 8)
    finally:
        server.shutdown()
        thread.join(10)
        index.close()


def test_module_code_with_a_vector_is_a_place_to_start_from(sample_repo: Path, tiny_embedder) -> None:
    """ws' internal/re.js is module code only (a route table, a configuration block): `similar` at its lines said
    "not inside any function" though queries return that module unit."""
    table = "".join(f"ROUTE_{i} = ('/path/{i}', handler_{i})\n" for i in range(8))
    (sample_repo / "lib" / "routes.py").write_text(table)
    with Index.create(sample_repo, Config(), embedder=tiny_embedder) as index:
        index.sync()
        assert index.function(sample_repo / "lib" / "routes.py", 3).kind == "module"
        assert index.similar(sample_repo / "lib" / "routes.py", 3, k=3)


def test_the_units_a_class_holds_are_not_like_it(tmp_path: Path, tiny_embedder) -> None:
    """marshmallow: `similar validate.py:283` (class Range) listed Range.__call__ fifth, `similar fields.py:1135`
    (class Boolean) Boolean._deserialize first (probe 61): its own methods, not code like it."""
    body = "".join(f"    bound_{i} = {i}\n" for i in range(12))
    (tmp_path / "validate.py").write_text(f"class Range:\n{body}\n    def __call__(self, value):\n"
                                          "        return self.bound_1 <= value <= self.bound_2\n")
    (tmp_path / "length.py").write_text(f"class Length:\n{body}\n    def check(self, value):\n        return len(value)\n")
    with Index.create(tmp_path, Config(), embedder=tiny_embedder) as index:
        index.sync()
        hits = index.similar(tmp_path / "validate.py", 2, k=10)
    assert [h.qualified_name for h in hits if h.path == "validate.py"] == []
    assert {h.qualified_name for h in hits} >= {"Length", "Length.check"}


def test_a_long_functions_windows_are_not_its_copies_elsewhere(tmp_path: Path, tiny_embedder) -> None:
    """picomatch: `similar lib/utils.js:63` showed `parse ... (also in 3 places)`, the places parse's own windows."""
    steps = "".join(f"    total = total + step_{i}(value)\n" for i in range(400))
    (tmp_path / "parse.py").write_text(f"def parse(value):\n    total = 0\n{steps}    return total\n")
    (tmp_path / "scan.py").write_text("def scan(value):\n    total = 0\n    total = total + step(value)\n    return total\n")
    with Index.create(tmp_path, Config(), embedder=tiny_embedder) as index:
        index.sync()
        assert index.store.catalog.db.execute("SELECT count(*) FROM functions WHERE kind = 'window'").fetchone()[0] > 3
        hits = index.similar(tmp_path / "scan.py", 2, k=10)
    (parse,) = [h for h in hits if h.path == "parse.py"]
    assert parse.also_in == []


def test_the_functions_own_copies_are_left_out_and_copies_among_the_rest_are_one_result(sample_repo: Path,
                                                                                     tiny_embedder) -> None:
    """ajv and rxjs ship their sources with builds: `similar` at src/.../createErrorClass.ts listed its own dist/esm,
    cjs and bundle copies (8 of 8 results); a neighbour and its build copy took two places."""
    body = "export function {name}(items) {{\n  let n = 0\n  for (const i of items) {{\n    n += i.size\n  }}\n  return n\n}}\n"
    for folder in ("src", "dist"):
        (sample_repo / folder).mkdir(exist_ok=True)
        (sample_repo / folder / "len.js").write_text(body.format(name="totalLength"))
        (sample_repo / folder / "count.js").write_text(body.format(name="countAll").replace("i.size", "1"))
    with Index.create(sample_repo, Config(), embedder=tiny_embedder) as index:
        index.sync()
        hits = index.similar(sample_repo / "src" / "len.js", 2, k=50)
    paths = [h.path for h in hits]
    assert "dist/len.js" not in paths and paths.count("src/count.js") == 1 and "dist/count.js" not in paths
    assert next(h for h in hits if h.path == "src/count.js").also_in == ["dist/count.js:1"]


def test_from_main_code_tests_come_after_main_code_like_it(sample_repo: Path, tiny_embedder) -> None:
    """golang-lru: `similar arc.go:181` listed two tests in its first five; a query holds tests down, and so does this
    (by the same factor), unless it starts from a test."""
    from codesearch.search.similar import NON_MAIN_FACTOR

    (sample_repo / "tests").mkdir()
    (sample_repo / "tests" / "test_retry.py").write_text(
        "def test_retry_request():\n    for attempt in range(3):\n        assert retry(attempt)\n\n\n"
        "def test_backoff():\n    assert backoff(2) == 4\n")
    with Index.create(sample_repo, Config(), embedder=tiny_embedder) as index:
        index.sync()
        hits = index.similar(sample_repo / "api" / "server.go", 10, k=50)
        from_test = index.similar(sample_repo / "tests" / "test_retry.py", 2, k=50)
    tests = [h for h in hits if h.path.startswith("tests/")]
    held = [h.semantic_score * NON_MAIN_FACTOR if h.semantic_score >= 0 else h.semantic_score / NON_MAIN_FACTOR
            for h in tests]  # a negative cosine goes down too
    assert tests and [h.score for h in tests] == pytest.approx(held, abs=1e-5)
    assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)
    assert all(h.score == pytest.approx(h.semantic_score, abs=1e-5) for h in from_test)


def test_a_line_of_a_members_doc_comment_starts_from_that_member(tmp_path: Path, tiny_embedder) -> None:
    """commons-codec: `similar Phonetic.java:6` (a line of encodeWord's Javadoc) answered for the class around it, or
    said the class was too short for a vector; the doc comment is the member's."""
    body = "".join(f"        int v{i} = txt.length() * {i} + code.indexOf('{chr(65 + i)}');\n" for i in range(8))
    (tmp_path / "Phonetic.java").write_text(
        "package demo;\n\npublic class Phonetic {\n\n    /**\n     * Find the code of a String.\n     */\n"
        f"    public String encodeWord(final String txt) {{\n        StringBuilder code = new StringBuilder();\n{body}"
        "        return code.toString();\n    }\n\n    public int getMaxLen() {\n        return 4;\n    }\n}\n")
    with Index.create(tmp_path, Config(), embedder=tiny_embedder) as index:
        index.sync()
        assert index.function(tmp_path / "Phonetic.java", 6).qualified_name == "Phonetic.encodeWord"
        assert index.function(tmp_path / "Phonetic.java", 22).qualified_name == "Phonetic.getMaxLen"
        assert index.similar(tmp_path / "Phonetic.java", 6, k=3)


def test_a_small_class_amid_module_code_is_said_not_answered_as_the_module(tmp_path: Path, tiny_embedder) -> None:
    """cachetools: `similar __init__.py:280` on `class RRCache` answered "like __init__ (1-635)": the module piece's
    lines span every definition of the file, so a class too small for a vector fell back to the whole module."""
    from conftest import indexed_files

    shapes = ('"""Shapes."""\n\nimport math\n\nUNIT = "cm"\nPRECISION = 3\nREGISTRY = {}\n\n\nclass Circle:\n'
              '    """A round shape."""\n\n    def area(self):\n        return round(math.pi, PRECISION)\n\n\n'
              'def register(name, cls):\n    REGISTRY[name] = cls\n    return cls\n\n\nregister("circle", Circle)\n'
              'register("disc", Circle)\nDEFAULT = Circle()\n')
    with indexed_files(tmp_path, {"shapes.py": shapes}, tiny_embedder) as index:
        with pytest.raises(SimilarError, match=r"line 10 of shapes.py is in type code \(Circle, lines 10-14\)"):
            index.similar(tmp_path / "shapes.py", 10)
        assert index.function(tmp_path / "shapes.py", 14).qualified_name == "Circle.area"
        assert index.function(tmp_path / "shapes.py", 22).kind == "module"  # module code itself still answers


def test_a_copy_in_a_bundle_is_shown_where_it_was_written(sample_repo: Path, tiny_embedder) -> None:
    """moment: `similar src/lib/utils/hooks.js:5` gave 10 of 10 results in moment.js or min/moment-with-locales.js, the
    bundles that repeat src/lib (main code alike): the module it was written in is shown, as a query shows it."""
    body = "export function {name}(items) {{\n  let n = 0\n  for (const i of items) {{\n    n += i.{field}\n  }}\n  return n\n}}\n"
    (sample_repo / "src").mkdir(exist_ok=True)
    (sample_repo / "src" / "len.js").write_text(body.format(name="totalLength", field="size"))
    (sample_repo / "src" / "count.js").write_text(body.format(name="countAll", field="weight"))
    bundle = body.format(name="countAll", field="weight") + "".join(
        body.format(name=f"helper{i}", field=f"f{i}") for i in range(6))
    (sample_repo / "moment.js").write_text(bundle)  # a bundle at the package's root: not a build folder by its path
    with Index.create(sample_repo, Config(), embedder=tiny_embedder) as index:
        index.sync()
        hits = index.similar(sample_repo / "src" / "len.js", 2, k=50)
    shown = next(h for h in hits if h.name == "countAll")
    assert (shown.path, shown.also_in) == ("src/count.js", ["moment.js:1"])


def test_a_constructors_inner_function_is_not_like_it(tmp_path: Path, tiny_embedder) -> None:
    """Review: `similar` on Watcher.__init__ listed its own nested on_change first."""
    (tmp_path / "w.py").write_text("class Watcher:\n    def __init__(self, path):\n        self.path = path\n"
                                   "        def on_change(event):\n            return self.reload(event)\n"
                                   "        self.callback = on_change\n\n    def reload(self, event):\n"
                                   "        return event\n")
    with Index.create(tmp_path, Config(), embedder=tiny_embedder) as index:
        index.sync()
        seed = index.function(tmp_path / "w.py", 3)
        hits = index.similar(tmp_path / "w.py", 3, k=10)
    assert seed.qualified_name == "Watcher.__init__"
    assert "Watcher.__init__.on_change" not in {h.qualified_name for h in hits}


def test_from_module_code_the_files_functions_are_like_it(tmp_path: Path, tiny_embedder) -> None:
    """A module piece spans its file's functions (constants above and below them), yet does not hold them: `similar`
    on a constant listed none of them (review)."""
    consts = "".join(f"LIMIT_{i} = {i}\n" for i in range(8))
    (tmp_path / "server.py").write_text(f"{consts}\n\ndef listen(port):\n    return bind(port, LIMIT_1)\n\n\n"
                                        "def serve(app):\n    return loop(app, LIMIT_2)\n\n\nTAIL = 1\n")
    with Index.create(tmp_path, Config(), embedder=tiny_embedder) as index:
        index.sync()
        assert index.function(tmp_path / "server.py", 2).kind == "module"
        hits = index.similar(tmp_path / "server.py", 2, k=10)
    assert {"listen", "serve"} <= {h.qualified_name for h in hits}


def test_a_line_deep_in_a_long_function_starts_from_its_window(tmp_path: Path, tiny_embedder) -> None:
    """Fault sweep 2: `similar report.py:2`, `:120` and `:170` of a 174-line function answered the same list, from
    the function's vector, which reads its first lines only; a line a window holds starts from that window's."""
    steps = "".join(f"    total = total + step_{i}(value)\n" for i in range(60))
    tail = "".join(f"    stamp = parse_date_{i}(stamp, zone)\n" for i in range(120))
    (tmp_path / "report.py").write_text(f"def report(value, stamp, zone):\n    total = 0\n{steps}{tail}    return total\n")
    others = {f"f{i}.py": f"def helper_{i}(value):\n    return {op}\n" for i, op in enumerate(
        ["parse_date(value, zone)", "step(value) + total", "stamp.replace(zone)", "value * 2", "format(value)"])}
    for name, text in others.items():
        (tmp_path / name).write_text(text)
    with Index.create(tmp_path, Config(), embedder=tiny_embedder) as index:
        index.sync()
        rows = index.store.catalog.functions_of(index.store.catalog.file_id("report.py"))
        window = min((r for r in rows if r.kind == "window" and r.start_line <= 170 <= r.end_line),
                     key=lambda r: abs(r.start_line + r.end_line - 340))
        order = [f for f in _by_brute_force(index, window.id) if f not in {r.id for r in rows}]
        deep = index.similar(tmp_path / "report.py", 170, k=5)
        head = index.similar(tmp_path / "report.py", 2, k=5)
    assert [h.id for h in deep] == order[:5]
    assert [h.id for h in deep] != [h.id for h in head]
