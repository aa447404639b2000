"""A name bound in module or type code (a constant, a variable, a field) is looked up like a function's name."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from codesearch.config import Config
from codesearch.engine import Index
from codesearch.parse.parsing import parse_source
from codesearch.query import Query, QueryTerms, stem, unmatched_note
from codesearch.search.filerank import rank_files

from conftest import indexed_files

ASYNC_TS = """/**
 * The async scheduler: schedules tasks as if with setTimeout(task, duration).
 */
export const asyncScheduler = new AsyncScheduler(AsyncAction);
"""
SCHEDULER_TS = """export class AsyncScheduler {
  actions: AsyncAction[] = [];
  flush(action: AsyncAction): void {
    // asyncScheduler runs here: asyncScheduler, asyncScheduler
    this.actions.push(action);
  }
}
"""
MODELS_PY = """import os

DEFAULT_REDIRECT_LIMIT = 30
CONTENT_CHUNK_SIZE = 10 * 1024
"""
SESSIONS_PY = """from models import DEFAULT_REDIRECT_LIMIT


def resolve_redirects(resp, limit=DEFAULT_REDIRECT_LIMIT):
    \"\"\"Follow redirects up to DEFAULT_REDIRECT_LIMIT times.\"\"\"
    if limit > DEFAULT_REDIRECT_LIMIT:
        limit = DEFAULT_REDIRECT_LIMIT
    return resp, limit
"""
STRINGS_JAVA = """package text;

public class StringUtils {
    public static final int INDEX_NOT_FOUND = -1;
    private int value;

    public static int indexOf(String s, char c) {
        return s == null ? INDEX_NOT_FOUND : s.indexOf(c);
    }
}
"""
FINDER_JAVA = """package text;

public class Finder {
    public int find(String s, char c) {
        int i = StringUtils.indexOf(s, c);
        return i == StringUtils.INDEX_NOT_FOUND ? StringUtils.INDEX_NOT_FOUND : i + StringUtils.INDEX_NOT_FOUND;
    }

    public int value() {
        return 1;
    }
}
"""
LEVELS_GO = """package logrus

var AllLevels = []Level{
\tPanicLevel,
\tInfoLevel,
}

func ParseLevel(lvl string) (Level, error) {
\tfor _, l := range AllLevels {
\t\tif l.String() == lvl { return l, nil }
\t}
\treturn AllLevels[0], nil
}
"""


@pytest.fixture(scope="module")
def index(tmp_path_factory, tiny_embedder):
    root = tmp_path_factory.mktemp("bound") / "repo"
    for rel, text in {"sched/async.ts": ASYNC_TS, "sched/AsyncScheduler.ts": SCHEDULER_TS, "req/models.py": MODELS_PY,
                      "req/sessions.py": SESSIONS_PY, "text/StringUtils.java": STRINGS_JAVA,
                      "text/Finder.java": FINDER_JAVA, "logrus/levels.go": LEVELS_GO}.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text)
    with Index.create(root, Config(), embedder=tiny_embedder) as idx:
        idx.sync()
        yield idx


@pytest.mark.parametrize("text,path,kind", [
    ("asyncScheduler", "sched/async.ts", "module"),  # not the class AsyncScheduler, alike but for case
    ("DEFAULT_REDIRECT_LIMIT", "req/models.py", "module"),  # not the function that uses it most
    ("INDEX_NOT_FOUND", "text/StringUtils.java", "type"),
    ("AllLevels", "logrus/levels.go", "module"),
])
@pytest.mark.parametrize("mode", ["lexical", "hybrid"])
def test_a_constant_typed_by_name_is_found_where_it_is_bound(index, text, path, kind, mode) -> None:
    hit = index.search(Query(text, k=5, mode=mode))[0]
    assert (hit.path, hit.kind, hit.signals.get("symbol")) == (path, kind, "bound")


@pytest.mark.parametrize("text,line,col,first", [
    ("asyncScheduler", 4, 1, "export const asyncScheduler = new AsyncScheduler(AsyncAction);"),
    ("DEFAULT_REDIRECT_LIMIT", 3, 1, "DEFAULT_REDIRECT_LIMIT = 30"),
    ("INDEX_NOT_FOUND", 4, 5, "public static final int INDEX_NOT_FOUND = -1;"),
    ("AllLevels", 3, 1, "var AllLevels = []Level{"),
])
def test_the_hit_shows_the_statement_that_binds_the_name(index, text, line, col, first) -> None:
    hit = index.search(Query(text, k=1, mode="lexical"))[0]
    assert (hit.start_line, hit.start_col, hit.code.split("\n")[0], hit.signals["binds"]) == (line, col, first, text)
    if text == "AllLevels":  # the statement to where its brackets close
        assert (hit.end_line, hit.code.split("\n")[-1]) == (6, "}")


def test_the_statement_is_shown_as_indexed_when_the_file_changed_since(tmp_path, tiny_embedder) -> None:
    (tmp_path / "models.py").write_text(MODELS_PY)
    with Index.create(tmp_path, Config(), embedder=tiny_embedder) as idx:
        idx.sync()
        (tmp_path / "models.py").unlink()  # gone from the disk, not yet from the index: nothing is read back
        hit = idx.search(Query("DEFAULT_REDIRECT_LIMIT", k=1, mode="lexical"))[0]
    assert (hit.path, hit.start_line, hit.code) == ("models.py", 3, "DEFAULT_REDIRECT_LIMIT = 30")


def test_the_exact_name_is_shown_before_one_alike_in_the_same_unit(tmp_path, tiny_embedder) -> None:
    (tmp_path / "lim.py").write_text("default_limit = 1\nDEFAULT_LIMIT = 2\n")
    with Index.create(tmp_path, Config(), embedder=tiny_embedder) as idx:
        idx.sync()
        hit = idx.search(Query("DEFAULT_LIMIT", k=1, mode="lexical"))[0]
        alike = idx.search(Query("default_limit", k=1, mode="lexical"))[0]
    assert (hit.start_line, hit.code, hit.signals["symbol"]) == (2, "DEFAULT_LIMIT = 2", "bound")
    assert (alike.start_line, alike.signals["symbol"]) == (1, "bound")


def test_the_binding_is_found_among_many_files_that_only_use_the_name(tmp_path, tiny_embedder) -> None:
    for i in range(60):
        (tmp_path / "app").mkdir(exist_ok=True)
        (tmp_path / "app" / f"m{i:02d}.py").write_text(f"from zz.config import DEFAULT_TIMEOUT\nT{i} = DEFAULT_TIMEOUT\n")
    with Index.create(tmp_path, Config(), embedder=tiny_embedder) as idx:
        idx.sync()
        (tmp_path / "zz").mkdir()
        (tmp_path / "zz" / "config.py").write_text("DEFAULT_TIMEOUT = 5\n")  # written after all the others
        idx.sync()
        hit = idx.search(Query("DEFAULT_TIMEOUT", k=1, mode="lexical"))[0]
        only = idx.search(Query("DEFAULT_TIMEOUT", k=1, mode="lexical", path_glob="zz/**"))[0]
    assert (hit.path, hit.signals["symbol"]) == ("zz/config.py", "bound")
    assert (only.path, only.start_line) == ("zz/config.py", 1)


def test_a_binding_is_found_fuzzy_on_case_and_separators_after_exact_names(index) -> None:
    hits = index.search(Query("default_redirect_limit", k=5, mode="lexical"))
    assert (hits[0].path, hits[0].signals.get("symbol")) == ("req/models.py", "fuzzy")


def test_a_plain_word_does_not_lead_with_every_field_of_that_name(index) -> None:
    # `value` is a field of StringUtils and a method of Finder: the method is named so, the field only bound
    hits = index.search(Query("value", k=5, mode="lexical"))
    assert hits[0].qualified_name == "Finder.value"
    assert all(h.signals.get("symbol") != "bound" for h in hits)



def test_an_index_from_before_bindings_reads_its_files_again_once_and_finds_them(tmp_path, tiny_embedder) -> None:
    """Migration 9: an existing index learns what its unchanged units bind on its next sync (said once), and keeps
    their vectors."""
    from codesearch.store.catalog import BINDINGS_REREAD_NOTE, CATALOG_NAME, REREAD_KEY

    (tmp_path / "models.py").write_text(MODELS_PY)
    with Index.create(tmp_path, Config(), embedder=tiny_embedder) as idx:
        idx.sync()
        folder = idx.store.catalog.path.parent
    db = sqlite3.connect(folder / CATALOG_NAME)  # as codesearch left it before bindings were kept
    db.executescript("DROP TABLE bindings; PRAGMA user_version = 8;")
    db.close()
    with Index.open(tmp_path, Config(), embedder=tiny_embedder) as idx:
        assert idx.store.catalog.get_meta(REREAD_KEY) == BINDINGS_REREAD_NOTE
        assert idx.search(Query("DEFAULT_REDIRECT_LIMIT", k=1, mode="lexical"))[0].signals.get("symbol") is None
        report = idx.sync()
        assert report.functions_embedded == 0  # unchanged units keep their vectors
        hit = idx.search(Query("DEFAULT_REDIRECT_LIMIT", k=1, mode="lexical"))[0]
    assert (hit.signals["symbol"], hit.start_line) == ("bound", 3)


def test_an_index_from_before_own_line_windows_reads_its_files_again_once(tmp_path, tiny_embedder) -> None:
    """Migration 10: windows that repeated a closure factory's nested functions go, a name after a semicolon is
    found, on the next sync (said once); unchanged units keep their vectors."""
    from codesearch.parse import units as unit_rules
    from codesearch.store.catalog import CATALOG_NAME, REREAD_KEY, WINDOWS_REREAD_NOTE

    parts = "".join(f"    function part{i}(input) {{\n        const value = input + {i};\n        return value * 2;\n    }}\n"
                    for i in range(unit_rules.WINDOW_AFTER))
    (tmp_path / "parser.js").write_text(f"function Parser(input) {{\n    const state = {{}};\n{parts}    return state;\n}}\n")
    (tmp_path / "consts.py").write_text("A_LIMIT = 1; B_LIMIT = 2\n")
    with Index.create(tmp_path, Config(), embedder=tiny_embedder) as idx:
        idx.sync()
        folder = idx.store.catalog.path.parent
        ids = dict(idx.store.catalog.db.execute("SELECT qualified_name || ':' || start_line, text_hash FROM functions"))
    db = sqlite3.connect(folder / CATALOG_NAME)  # as the windows and bindings were before: a window over the parts
    db.execute("INSERT INTO functions(file_id, path, language, name, qualified_name, kind, start_line, end_line, start_col, "
               "docstring, code, text_hash) SELECT file_id, path, language, name, qualified_name, 'window', 52, 111, 1, '', "
               "'function part12(input) {', '-old' FROM functions WHERE qualified_name = 'Parser' AND kind = 'function'")
    db.execute("DELETE FROM bindings WHERE name = 'B_LIMIT'")
    db.executescript("PRAGMA user_version = 9;")
    db.close()
    with Index.open(tmp_path, Config(), embedder=tiny_embedder) as idx:
        assert idx.store.catalog.get_meta(REREAD_KEY).startswith(WINDOWS_REREAD_NOTE)  # later notes follow it
        assert idx.store.catalog.db.execute("SELECT count(*) FROM functions WHERE kind = 'window'").fetchone()[0] == 1
        report = idx.sync()
        assert report.functions_embedded == 0  # unchanged units keep their vectors
        assert idx.store.catalog.get_meta(REREAD_KEY) is None
        assert idx.store.catalog.db.execute("SELECT count(*) FROM functions WHERE kind = 'window'").fetchone()[0] == 0
        assert dict(idx.store.catalog.db.execute("SELECT qualified_name || ':' || start_line, text_hash FROM functions")) == ids
        hit = idx.search(Query("B_LIMIT", k=1, mode="lexical"))[0]
    assert (hit.signals["symbol"], hit.start_line, hit.start_col) == ("bound", 1, 14)


def test_a_field_every_class_has_leads_with_at_most_twenty_of_them(tmp_path, tiny_embedder) -> None:
    from codesearch.search.searcher import MAX_BOUND

    for i in range(MAX_BOUND + 5):
        (tmp_path / f"Dto{i}.java").write_text(f"public class Dto{i} {{\n    private static final Logger LOGGER_X = null;\n}}\n")
    with Index.create(tmp_path, Config(), embedder=tiny_embedder) as idx:
        idx.sync()
        hits = idx.search(Query("LOGGER_X", k=MAX_BOUND + 5, mode="lexical"))
    assert sum(h.signals.get("symbol") == "bound" for h in hits) == MAX_BOUND


def test_a_binding_follows_its_lines_when_code_above_it_grows(tmp_path, tiny_embedder) -> None:
    (tmp_path / "models.py").write_text("def f():\n    return 1\n\n\nLIMIT_X = 3\n")
    with Index.create(tmp_path, Config(), embedder=tiny_embedder) as idx:
        idx.sync()
        assert idx.search(Query("LIMIT_X", k=1, mode="lexical"))[0].start_line == 5
        (tmp_path / "models.py").write_text("def f():\n    a = 1\n    b = 2\n    return a + b\n\n\nLIMIT_X = 3\n")
        idx.sync()  # the module piece's text is the same: the unit is moved, its binding's lines too
        hits = idx.search(Query("LIMIT_X", k=3, mode="lexical"))
        rows = idx.store.catalog.db.execute("SELECT first_line FROM bindings WHERE name = 'LIMIT_X'").fetchall()
    assert (hits[0].start_line, rows) == (7, [(7,)])


def test_a_damaged_binding_row_is_never_shown(index) -> None:
    db = index.store.catalog.db
    db.execute("UPDATE bindings SET first_line = -5 WHERE name = 'AllLevels'")
    db.execute("UPDATE bindings SET name = CAST('asyncScheduler' AS BLOB) WHERE name = 'asyncScheduler'")
    try:
        assert index.search(Query("AllLevels", k=1, mode="lexical"))[0].signals.get("symbol") != "bound"
        assert all(h.signals.get("symbol") != "bound" for h in index.search(Query("asyncScheduler", k=3, mode="lexical")))
    finally:
        db.execute("UPDATE bindings SET first_line = 3 WHERE name = 'AllLevels'")
        db.execute("UPDATE bindings SET name = 'asyncScheduler' WHERE CAST(name AS TEXT) = 'asyncScheduler'")


def test_a_symbol_kind_it_does_not_know_sorts_after_the_known_ones() -> None:
    from codesearch.query import SYMBOL_ORDER, symbol_rank

    assert [symbol_rank(k) for k in SYMBOL_ORDER] == [0, 1, 2, 3, 4, 5] and symbol_rank("newer") == 6 and symbol_rank(None) == 6


def test_the_cli_names_the_binding_and_opens_an_editor_at_its_column(tmp_path, tiny_embedder, monkeypatch) -> None:
    from click.testing import CliRunner

    from codesearch.cli import cli

    (tmp_path / "text").mkdir()
    (tmp_path / "text" / "StringUtils.java").write_text(STRINGS_JAVA)
    with Index.create(tmp_path, Config(), embedder=tiny_embedder) as idx:
        idx.sync()
    monkeypatch.chdir(tmp_path)
    out = CliRunner().invoke(cli, ["query", "--mode", "lexical", "--vimgrep", "-k", "1", "INDEX_NOT_FOUND"]).output
    assert out.startswith("text/StringUtils.java:4:5:public static final int INDEX_NOT_FOUND = -1;")
    assert "[StringUtils binds INDEX_NOT_FOUND " in out
    human = CliRunner().invoke(cli, ["query", "--mode", "lexical", "-k", "1", "INDEX_NOT_FOUND"]).output
    assert human.startswith("text/StringUtils.java:4  StringUtils binds INDEX_NOT_FOUND  ")


@pytest.mark.parametrize("text,bound", [("StringUtils.INDEX_NOT_FOUND", True), ("StringUtils::INDEX_NOT_FOUND", True),
                                        ("Finder.INDEX_NOT_FOUND", False)])
def test_a_member_of_a_named_type_is_answered_by_that_types_binding_only(index, text, bound) -> None:
    hits = index.search(Query(text, k=3, mode="lexical"))
    leads = [(h.path, h.start_line, h.signals.get("symbol")) for h in hits if h.signals.get("symbol") == "bound"]
    assert leads == ([("text/StringUtils.java", 4, "bound")] if bound else [])


def test_a_changed_or_removed_file_leaves_no_binding_behind(tmp_path, tiny_embedder) -> None:
    (tmp_path / "a.py").write_text("OLD_NAME = 1\n")
    (tmp_path / "b.py").write_text("GONE_NAME = 2\n")
    with Index.create(tmp_path, Config(), embedder=tiny_embedder) as idx:
        idx.sync()
        (tmp_path / "a.py").write_text("NEW_NAME = 1\n")
        (tmp_path / "b.py").unlink()
        idx.sync()
        names = [r[0] for r in idx.store.catalog.db.execute("SELECT name FROM bindings ORDER BY name")]
    assert names == ["NEW_NAME"]



def _written_before(root: Path, embedder, files: dict[str, str], old_names: str, version: int) -> None:
    """An index of files as a codesearch of schema `version` wrote it: old_names (SQL) undoes this schema's naming."""
    from codesearch.store.catalog import CATALOG_NAME

    for rel, text in files.items():
        (root / rel).write_text(text)
    with Index.create(root, Config(), embedder=embedder) as idx:
        idx.sync()
        folder = idx.store.catalog.path.parent
    db = sqlite3.connect(folder / CATALOG_NAME)
    db.executescript(old_names)
    db.executescript(f"PRAGMA user_version = {version};")
    db.close()


def _reread_once(root: Path, embedder, note: str, changed: list[str]) -> Index:
    """The index opened after such a migration, synced: it said why once and read only the changed files again (those
    of later migrations too: migration 15 reads every file again)."""
    from codesearch.store.catalog import REREAD_KEY

    idx = Index.open(root, Config(), embedder=embedder)
    assert idx.store.catalog.get_meta(REREAD_KEY).startswith(note)  # later migrations' reasons follow it
    report = idx.sync()
    assert sorted(report.changed_paths) == sorted(changed) and idx.store.catalog.get_meta(REREAD_KEY) is None
    return idx


def test_an_index_from_before_ruby_operator_names_reads_its_ruby_files_again_once(tmp_path, tiny_embedder) -> None:
    """Migration 11: a Ruby operator method gets its own name (`Context#[]`, once `Context#default`) on the next
    sync, said once; only Ruby files are read again, and unchanged units keep their rows."""
    from codesearch.store.catalog import RUBY_REREAD_NOTE

    files = {"context.rb": "class Context\n  def [](expression)\n    lookup(expression)\n  end\n\n"
                           "  def key?(name)\n    true\n  end\nend\n", "app.go": "package app\n\nfunc Serve() int {\n\treturn 1\n}\n"}
    _written_before(tmp_path, tiny_embedder, files,
                    "UPDATE functions SET name = 'default', qualified_name = 'Context#default' WHERE name = '[]'", 10)
    with Index.open(tmp_path, Config(), embedder=tiny_embedder) as idx:
        ids = dict(idx.store.catalog.db.execute("SELECT qualified_name, id FROM functions WHERE name != 'default'"))
    with _reread_once(tmp_path, tiny_embedder, RUBY_REREAD_NOTE, ["app.go", "context.rb"]) as idx:  # app.go: migration 15
        now = dict(idx.store.catalog.db.execute("SELECT qualified_name, id FROM functions"))
    assert "Context#[]" in now and "Context#default" not in now
    assert {name: now[name] for name in ids} == ids

@pytest.mark.parametrize("mode", ["lexical", "hybrid"])
def test_a_name_bound_only_outside_the_main_code_does_not_lead_the_code_that_reads_it(tmp_path, tiny_embedder, mode) -> None:
    """fastify's option `forceCloseConnections` is bound only by a type in a type test and one in a .d.ts, and read in
    fastify.js: those bindings were put first; held down (not asked for), they keep their place by score."""
    files = {"fastify.js": "function fastify(options) {\n  const server = createServer(options)\n"
                           "  if (options.forceCloseConnections === true) {\n    server.closeAllConnections()\n  }\n"
                           "  return server\n}\n",
             "test/types/instance.test-d.ts": "type InitialConfig = {\n  forceCloseConnections?: boolean,\n  port: number,\n}\n",
             "fastify.d.ts": "export interface FastifyServerOptions {\n  forceCloseConnections?: boolean;\n  port?: number;\n}\n"}
    with indexed_files(tmp_path, files, tiny_embedder) as idx:
        hits = idx.search(Query("forceCloseConnections", k=5, mode=mode))
        only_bound = idx.search(Query("forceCloseConnections", k=5, mode=mode, path_glob="test/**"))
    assert hits[0].path == "fastify.js"
    assert {h.path: h.signals.get("symbol_held_down") for h in hits[1:]} == {"test/types/instance.test-d.ts": "bound",
                                                                               "fastify.d.ts": "bound"}
    assert rank_files(hits, 3)[0].path == "fastify.js"  # and so do file results
    assert only_bound[0].signals.get("symbol") == "bound"  # no main code among them: the binding leads


def test_an_index_from_before_default_exports_were_named_reads_its_js_and_ts_files_again_once(tmp_path, tiny_embedder) -> None:
    """Migration 13: a nameless default export stored as `default` gets its module's name on the next sync, said once;
    only JavaScript and TypeScript files are read again."""
    from codesearch.store.catalog import DEFAULT_EXPORT_REREAD_NOTE

    files = {"url-to-options.ts": "export default (url: URL) => {\n  return {protocol: url.protocol};\n};\n",
             "app.rb": "def serve\n  1\nend\n"}
    _written_before(tmp_path, tiny_embedder, files,
                    "UPDATE functions SET name = 'default', qualified_name = 'default' WHERE name = 'urlToOptions'", 12)
    with _reread_once(tmp_path, tiny_embedder, DEFAULT_EXPORT_REREAD_NOTE, ["app.rb", "url-to-options.ts"]) as idx:
        hit = idx.search(Query("urlToOptions", k=1, mode="lexical"))[0]
    assert (hit.name, hit.kind, hit.signals.get("symbol")) == ("urlToOptions", "function", "exact")


def test_an_index_two_rereads_old_says_why_for_both(tmp_path, tiny_embedder) -> None:
    """An index from before migrations 11 and 13, holding Ruby and TypeScript, rereads both kinds of file in one sync
    and says both reasons (the first note used to stand alone)."""
    from codesearch.store.catalog import DEFAULT_EXPORT_REREAD_NOTE, RUBY_REREAD_NOTE

    files = {"context.rb": "class Context\n  def [](expression)\n    lookup(expression)\n  end\nend\n",
             "url-to-options.ts": "export default (url: URL) => {\n  return {protocol: url.protocol};\n};\n"}
    _written_before(tmp_path, tiny_embedder, files,
                    "UPDATE functions SET name = 'default', qualified_name = 'Context#default' WHERE name = '[]'", 10)
    with _reread_once(tmp_path, tiny_embedder, f"{RUBY_REREAD_NOTE}; {DEFAULT_EXPORT_REREAD_NOTE}",
                      ["context.rb", "url-to-options.ts"]) as idx:
        names = {r[0] for r in idx.store.catalog.db.execute("SELECT name FROM functions")}
    assert {"[]", "urlToOptions"} <= names


@pytest.mark.parametrize("mode", ["lexical", "hybrid"])
def test_a_variable_named_after_the_type_asked_for_is_not_put_first(tmp_path, tiny_embedder, mode) -> None:
    """capacitor: `CookieManager` (Android's class, which the code only uses) pinned three classes holding a field
    `cookieManager` above `CapacitorCookieManager`, with scores printed out of order."""
    files = {"CapacitorCookieManager.java": "public class CapacitorCookieManager extends CookieManager {\n"
                                            "    public CapacitorCookieManager() {\n        super(null, null);\n    }\n"
                                            "    public void setCookie(String url, String value) {\n        store(url, value);\n    }\n}\n",
             "MockWebView.java": "public class MockWebView {\n    private final CookieManager cookieManager = null;\n"
                                 "    private final String url = null;\n}\n"}
    for rel, text in files.items():
        (tmp_path / rel).write_text(text)
    with Index.create(tmp_path, Config(), embedder=tiny_embedder) as idx:
        idx.sync()
        hits = idx.search(Query("CookieManager", k=5, mode=mode))
    assert hits[0].path == "CapacitorCookieManager.java"
    assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)


def test_a_bundles_copy_of_a_name_the_main_code_defines_keeps_its_own_score(tmp_path, tiny_embedder) -> None:
    """qs: `maybeMap` answered lib/utils.js first and dist/qs.js (the bundle, held down) second at the same pinned
    score; the bundle's copy now keeps its own score, and a name only a bundle defines still leads."""
    (tmp_path / "lib").mkdir()
    (tmp_path / "dist").mkdir()
    (tmp_path / "lib" / "utils.js").write_text("function maybeMap(val, fn) {\n  return isArray(val) ? val.map(fn) : fn(val)\n}\n"
                                                "function merge(a, b) {\n  return Object.assign(a, b)\n}\n")
    (tmp_path / "dist" / "qs.js").write_text("function maybeMap(val, fn) {\n  var mapped = [];\n  return mapped\n}\n"
                                             "function onlyInTheBundle(x) {\n  return x\n}\n")
    with Index.create(tmp_path, Config(), embedder=tiny_embedder) as idx:
        idx.sync()
        hits = idx.search(Query("maybeMap", k=5, mode="lexical"))
        alone = idx.search(Query("onlyInTheBundle", k=5, mode="lexical"))
    assert (hits[0].path, hits[0].signals.get("symbol")) == ("lib/utils.js", "exact")
    bundle = next(h for h in hits if h.path == "dist/qs.js")
    assert bundle.signals.get("symbol_held_down") == "exact" and bundle.score < hits[0].score
    assert (alone[0].path, alone[0].signals.get("symbol")) == ("dist/qs.js", "exact")


@pytest.mark.parametrize("mode", ["lexical", "hybrid"])
def test_a_plain_word_does_not_put_a_test_helper_of_that_name_first(tmp_path, tiny_embedder, mode) -> None:
    """paramiko: `timeout` answered a test's nested helper `timeout` first (pinned as the exact name), above
    Packetizer._read_timeout and Channel.settimeout; written as a name (`waitForTimeout`) a test helper still leads."""
    (tmp_path / "tests").mkdir()
    (tmp_path / "packetizer.py").write_text("class Packetizer:\n    def read_timeout(self, timeout):\n"
                                            "        return self.wait(timeout)\n")
    (tmp_path / "tests" / "test_packetizer.py").write_text("def test_closed():\n    def timeout():\n        return 1\n"
                                                           "    assert timeout()\n\n\ndef waitForTimeout():\n    return 2\n")
    with Index.create(tmp_path, Config(), embedder=tiny_embedder) as idx:
        idx.sync()
        word = idx.search(Query("timeout", k=5, mode=mode))
        name = idx.search(Query("waitForTimeout", k=5, mode=mode))
    assert word[0].path == "packetizer.py"
    assert (name[0].path, name[0].signals.get("symbol")) == ("tests/test_packetizer.py", "exact")


@pytest.mark.parametrize("text,path,name", [("unstable.Parser", "unstable/parser.go", "Parser"),
                                            ("attr.evolve", "src/attr/_funcs.py", "evolve"),
                                            ("transport.Transport", "paramiko/transport.py", "Transport"),
                                            ("cli.Run()", "cli/run.go", "Run")])
def test_a_name_qualified_by_its_package_or_module_is_found(tmp_path, tiny_embedder, text, path, name) -> None:
    """go-toml's `unstable.Parser`, attrs' `attr.evolve`, paramiko's `transport.Transport`: qualified names leave out
    the Go package and the Python module, so the name was never matched (a module unit or a method came first);
    gojq's `cli.Run()` came after the method run of a `type cli struct`, alike but for case (probe 151)."""
    files = {"unstable/parser.go": "package unstable\n\ntype Parser struct {\n\tdata []byte\n}\n",
             "unstable/builder.go": "package unstable\n\nfunc build(p *Parser) {\n\tp.Reset()\n}\n",
             "src/attr/_funcs.py": "def evolve(inst, **changes):\n    return inst.__class__(**changes)\n",
             "src/attr/_make.py": "class Attribute:\n    def evolve(self, **changes):\n        return self\n",
             "paramiko/transport.py": "class Transport:\n    def __init__(self, sock):\n        self.sock = sock\n",
             "paramiko/client.py": "def transport(sock):\n    return Transport(sock)\n",
             "cli/run.go": "package cli\n\nfunc Run() int {\n\treturn newCLI().run(nil)\n}\n",
             "cli/cli.go": "package cli\n\ntype cli struct {\n\tout int\n}\n\nfunc (c *cli) run(args []string) int {\n"
                           "\treturn c.out\n}\n\nfunc newCLI() *cli {\n\treturn &cli{}\n}\n"}
    with indexed_files(tmp_path, files, tiny_embedder) as idx:
        hit = idx.search(Query(text, k=5, mode="hybrid"))[0]
    assert (hit.path, hit.name, hit.signals.get("symbol")) == (path, name, "exact")


@pytest.mark.parametrize("mode", ["lexical", "hybrid"])
def test_a_name_qualified_by_a_generated_package_is_its_definition(tmp_path, tiny_embedder, mode) -> None:
    """testify's `require.NoError` (require is generated) came 45th, under assert's NoError and its neighbours, and a
    protobuf `api.UserRequest` under the server that uses it (probes 194, 196): the package typed chooses, generated
    or not. A constant typed as spelt is a name too (`REASONS`, a generated table, came after `Status#reason`)."""
    generated = "// Code generated by gen. DO NOT EDIT.\n\n"
    files = {"assert/assertions.go": "package assert\n\nfunc NoError(t T, err error) bool {\n\treturn err == nil\n}\n\n"
                                     "func NoFileExists(t T, path string) bool {\n\treturn no(path)\n}\n",
             "require/require.go": generated + "package require\n\nfunc NoError(t T, err error) {\n"
                                   "\tif !assert.NoError(t, err) {\n\t\tt.FailNow()\n\t}\n}\n",
             "api/api.pb.go": generated + "package api\n\ntype UserRequest struct {\n\tId string\n}\n",
             "server.go": "package server\n\nfunc HandleUserRequest(req *api.UserRequest) string {\n\treturn req.Id\n}\n",
             "lib/status.rb": "class Status\n  def reason\n    REASONS[@code]\n  end\nend\n",
             "lib/status/reasons.rb": "# AUTO-GENERATED FILE, DO NOT CHANGE IT MANUALLY\nclass Status\n"
                                      "  REASONS = {\n    200 => 'OK'\n  }.each { |_, v| v.freeze }.freeze\nend\n"}
    with indexed_files(tmp_path, files, tiny_embedder) as idx:
        tops = {text: idx.search(Query(text, k=5, mode=mode))[0]
                for text in ("require.NoError", "require.NoError(t, err)", "assert.NoError", "api.UserRequest", "REASONS")}
    assert tops["require.NoError"].path == tops["require.NoError(t, err)"].path == "require/require.go"
    assert tops["assert.NoError"].path == "assert/assertions.go"
    assert (tops["api.UserRequest"].path, tops["api.UserRequest"].signals.get("symbol")) == ("api/api.pb.go", "exact")
    assert tops["REASONS"].path == "lib/status/reasons.rb"


@pytest.mark.parametrize("text", ["Uuid::uuid4()", "Uuid::uuid4"])
def test_a_name_typed_without_its_namespace_is_the_definition_before_its_callers(tmp_path, tiny_embedder, text) -> None:
    """ramsey/uuid: `Uuid::uuid4()` put the function v4 that calls it (the line quoted) and the class whose doc quotes
    it above `Ramsey\\Uuid\\Uuid::uuid4`, which a name typed without its namespace met only fuzzily (probe 164)."""
    files = {"src/Uuid.php": "<?php\nnamespace App;\n\n/**\n * Make ids: Uuid::uuid4() gives a random one.\n */\n"
                             "class Uuid\n{\n    public static function uuid4(): string\n    {\n"
                             "        return bin2hex(random_bytes(16));\n    }\n}\n",
             "src/functions.php": "<?php\nnamespace App;\n\nfunction v4(): string\n{\n    return Uuid::uuid4();\n}\n",
             "src/Other.php": "<?php\nnamespace App;\n\nclass NotUuid\n{\n    public function uuid4() {}\n}\n"}
    with indexed_files(tmp_path, files, tiny_embedder) as idx:
        hits = idx.search(Query(text, k=5, mode="hybrid"))
    assert (hits[0].qualified_name, hits[0].signals.get("symbol")) == ("App\\Uuid::uuid4", "exact")
    assert all(h.signals.get("symbol") != "exact" for h in hits[1:])  # NotUuid::uuid4 ends alike, but not past `\\`


def test_an_index_from_before_bracketed_python_targets_reads_its_python_files_again_once(tmp_path, tiny_embedder) -> None:
    """Migration 14: `(MSG_KEXINIT, MSG_NEWKEYS) = range(20, 22)` (paramiko) binds its names on the next sync, said
    once; only Python files are read again."""
    from codesearch.store.catalog import PYTHON_REREAD_NOTE

    files = {"common.py": "(MSG_KEXINIT, MSG_NEWKEYS) = range(20, 22)\n", "app.rb": "def serve\n  1\nend\n"}
    _written_before(tmp_path, tiny_embedder, files, "DELETE FROM bindings WHERE name LIKE 'MSG_%'", 13)
    with _reread_once(tmp_path, tiny_embedder, PYTHON_REREAD_NOTE, ["app.rb", "common.py"]) as idx:
        hit = idx.search(Query("MSG_NEWKEYS", k=1, mode="lexical"))[0]
    assert (hit.path, hit.signals.get("symbol")) == ("common.py", "bound")


@pytest.mark.parametrize("text,path,name", [("github.com/gorilla/mux.(*Route).Match", "route.go", "Route.Match"),
                                            ("(*Route).Match", "route.go", "Route.Match"),
                                            ("mux.(Route).Match", "route.go", "Route.Match"),
                                            ("golang.org/x/mux.(*Route).Match", "route.go", "Route.Match")])
def test_a_name_as_go_traces_print_it_is_found(tmp_path, tiny_embedder, text, path, name) -> None:
    """A Go stack trace's `github.com/gorilla/mux.(*Route).Match` and a pointer receiver's `(*Route).Match` were read as
    words, not a name: each is the dotted name the index knows."""
    files = {"route.go": "package mux\n\ntype Route struct{}\n\nfunc (r *Route) Match(req int) bool {\n\treturn true\n}\n",
             "matcher.go": "package mux\n\ntype scheme []string\n\n// Match a route's scheme\nfunc (m scheme) Match(req int) "
                           "bool {\n\treturn routeMatch(req)\n}\n\nfunc routeMatch(req int) bool {\n\treturn false\n}\n"}
    with indexed_files(tmp_path, files, tiny_embedder) as idx:
        hit = idx.search(Query(text, k=5, mode="hybrid"))[0]
    assert (hit.path, hit.qualified_name) == (path, name) and hit.signals.get("symbol") in ("exact", "fuzzy")


def test_an_index_from_before_commonjs_export_names_reads_its_files_again_once(tmp_path, tiny_embedder) -> None:
    """Migration 15: undici's `module.exports = class FixedQueue` gets its type unit and commons-csv's
    `Predefined.MySQL` its binding on the next sync, said once."""
    from codesearch.store.catalog import NAMES_REREAD_NOTE

    files = {"Predefined.java": "enum Predefined {\n    Default(\",\"),\n    MySQL(\"\\t\");\n\n"
                                "    Predefined(String d) {\n    }\n}\n",
             "fixed-queue.js": "module.exports = class FixedQueue {\n  push (x) {\n    return x\n  }\n}\n",
             "pool.js": "const FixedQueue = require('./fixed-queue')\n", "app.rb": "def serve\n  1\nend\n",
             "value.go": "package flag\n\n// Value is the interface to a flag's dynamic value.\ntype Value interface {\n"
                         "\tString() string\n\tSet(string) error\n}\n"}
    _written_before(tmp_path, tiny_embedder, files, "DELETE FROM bindings WHERE name = 'MySQL'", 14)
    with _reread_once(tmp_path, tiny_embedder, NAMES_REREAD_NOTE,
                      ["Predefined.java", "app.rb", "fixed-queue.js", "pool.js", "value.go"]) as idx:
        constant = idx.search(Query("MySQL", k=1, mode="lexical"))[0]
        queue = idx.search(Query("FixedQueue", k=1, mode="hybrid"))[0]
    assert (constant.path, constant.start_line, constant.signals.get("symbol")) == ("Predefined.java", 3, "bound")
    assert (queue.path, queue.kind, queue.signals.get("symbol")) == ("fixed-queue.js", "type", "exact")


def test_an_index_from_before_names_declared_together_reads_its_go_and_ruby_files_again_once(tmp_path,
                                                                                             tiny_embedder) -> None:
    """Migration 17: hashie's `attr_reader :properties, :defaults` bound only `properties`, so "Dash.defaults" found no
    binding; Go and Ruby files are read again on the next sync, said once, and the second name binds."""
    from codesearch.store.catalog import LISTED_REREAD_NOTE

    files = {"dash.rb": "class Dash\n  attr_reader :properties, :defaults\n\n  def to_h\n    properties\n  end\nend\n",
             "point.go": "package geo\n\ntype Point struct {\n\tX, Y int\n}\n", "app.py": "def serve():\n    return 1\n",
             "sum.ts": "/** Sum two numbers. */\nexport function add(a: number): number;\n"
                       "export function add(a: number, b?: number): number {\n  return a + (b ?? 0);\n}\n"}
    _written_before(tmp_path, tiny_embedder, files, "DELETE FROM bindings WHERE name IN ('defaults', 'Y')", 16)
    with _reread_once(tmp_path, tiny_embedder, LISTED_REREAD_NOTE, ["app.py", "dash.rb", "point.go", "sum.ts"]) as idx:
        defaults = idx.search(Query("Dash.defaults", k=1, mode="hybrid"))[0]
        y = idx.search(Query("Point.Y", k=1, mode="hybrid"))[0]
        add = idx.search(Query("add", k=1, mode="hybrid"))[0]
    assert (add.start_line, add.docstring) == (2, "Sum two numbers.")
    assert (defaults.path, defaults.start_line, defaults.signals.get("symbol")) == ("dash.rb", 2, "bound")
    assert (y.path, y.start_line, y.signals.get("symbol")) == ("point.go", 4, "bound")


def test_an_index_from_before_plain_block_docs_reads_its_files_again_once(tmp_path, tiny_embedder) -> None:
    """Migration 21: backoff's `/*` doc in plain lines stayed in its file's module code (a second hit for its words);
    every file is read again on the next sync, said once, and the module piece no longer holds it."""
    from codesearch.store.catalog import BLOCK_DOC_REREAD_NOTE

    files = {"tries.go": 'package a\n\nimport "time"\n\n/*\nWrap creates a wrapper which stops after too many tries.\n'
                         "*/\nfunc Wrap(d time.Duration) time.Duration {\n\treturn d\n}\n"}
    _written_before(tmp_path, tiny_embedder, files, "UPDATE functions SET code = code || ' too many tries', text_hash = 'old' "
                    "WHERE kind = "
                    "'module'", 20)
    with _reread_once(tmp_path, tiny_embedder, BLOCK_DOC_REREAD_NOTE, ["tries.go"]) as idx:
        (module,) = idx.store.catalog.db.execute("SELECT code FROM functions WHERE kind = 'module'").fetchall()
        hits = idx.search(Query("too many tries", k=5, mode="lexical"))
    assert "too many" not in module[0]
    assert hits[0].qualified_name == "Wrap"


def test_an_index_from_before_prototype_names_and_irregular_stems_reads_its_files_again_once(tmp_path, tiny_embedder) -> None:
    """Migrations 22 and 23: dayjs' `_proto.format` is named Dayjs.format and "hide" meets a doc's "hidden" in an
    existing index, on its next sync, said once; the words are written again before any file is read."""
    from codesearch.store.catalog import PROTOTYPE_REREAD_NOTE

    files = {"index.js": "var Dayjs = function () {\n  function Dayjs() {}\n  var _proto = Dayjs.prototype;\n"
                         "  _proto.format = function format(s) {\n    return s;\n  };\n  return Dayjs;\n}();\n",
             "flags.go": "package flags\n\n// MarkHidden keeps a flag hidden from the usage.\nfunc MarkHidden(name string) {\n"
                         "\tprintln(name)\n}\n"}
    _written_before(tmp_path, tiny_embedder, files, "UPDATE functions SET qualified_name = '_proto.format' WHERE "
                    "qualified_name = 'Dayjs.format'; UPDATE units_fts SET name = replace(name, 'hide', 'hidden'), "
                    "doc = replace(doc, 'hide', 'hidden'), code = replace(code, 'hide', 'hidden');", 21)
    with Index.open(tmp_path, Config(), embedder=tiny_embedder) as idx:  # migration 22: the words, nothing read yet
        assert [idx.store.catalog.db.execute("SELECT qualified_name FROM functions WHERE id = ?", (i,)).fetchone()[0]
                for i in idx.store.catalog.lexical([stem("hide")], 5)] == ["MarkHidden"]
    with _reread_once(tmp_path, tiny_embedder, PROTOTYPE_REREAD_NOTE, ["flags.go", "index.js"]) as idx:
        names = {r[0] for r in idx.store.catalog.db.execute("SELECT qualified_name FROM functions")}
    assert "Dayjs.format" in names and "_proto.format" not in names


def test_an_index_from_before_invoked_functions_reads_its_files_again_once(tmp_path, tiny_embedder) -> None:
    """Migration 24: qs' `var hexTable = (function () {...}())` is named hexTable in an existing index on its next
    sync, said once."""
    from codesearch.store.catalog import INVOKED_REREAD_NOTE

    files = {"utils.js": "var hexTable = (function () {\n    var array = [];\n    for (var i = 0; i < 256; ++i) {\n"
                         "        array.push(i);\n    }\n    return array;\n}());\n"}
    _written_before(tmp_path, tiny_embedder, files, "UPDATE functions SET name = '()', qualified_name = 'utils: ()' "
                    "WHERE kind = 'block'", 23)
    with _reread_once(tmp_path, tiny_embedder, INVOKED_REREAD_NOTE, ["utils.js"]) as idx:
        names = {r[0] for r in idx.store.catalog.db.execute("SELECT name FROM functions WHERE kind = 'block'")}
    assert names == {"hexTable"}



def test_an_index_from_before_package_comments_got_vectors_reads_its_files_again_once(tmp_path, tiny_embedder) -> None:
    """Migration 25: websocket's doc.go, a package comment and its package line, gets a vector in an existing index
    on its next sync, said once."""
    from codesearch.parse.documents import LEXICAL_ONLY, gets_vector
    from codesearch.store.catalog import COMMENT_REREAD_NOTE

    files = {"doc.go": "// Package websocket implements the WebSocket protocol: one concurrent reader and one concurrent\n"
                       "// writer per connection, and control messages from any goroutine.\npackage websocket\n"}
    _written_before(tmp_path, tiny_embedder, files, f"UPDATE functions SET text_hash = '{LEXICAL_ONLY}' || text_hash "
                    "WHERE kind = 'module'", 24)
    with _reread_once(tmp_path, tiny_embedder, COMMENT_REREAD_NOTE, ["doc.go"]) as idx:
        hashes = [r[0] for r in idx.store.catalog.db.execute("SELECT text_hash FROM functions WHERE kind = 'module'")]
    assert hashes and all(gets_vector(h) for h in hashes)

TOP_BOUND = {
    "tz.py": "import threading\n\n\ndef _make_lookup():\n    def lookup(name=None):\n        return name\n    return lookup\n\n\n"
             "gettz = _make_lookup()\nget_tz = _make_lookup()\n",
    "legacy.py": "def gettz(name):\n    \"\"\"Deprecated: read a zone from the bundled tarball only.\"\"\"\n"
                 "    return _ZONES.get(name)\n\n\ndef get_tz(name):\n    \"\"\"Deprecated: read a zone from the tarball.\"\"\"\n"
                 "    return _ZONES.get(name)\n",
    "models.py": "class A:\n    value = 1\n\n\nclass B:\n    value = 2\n\n\ndef value_of(x):\n    return x.value\n",
}


@pytest.mark.parametrize("mode", ["lexical", "hybrid"])
def test_a_plain_word_bound_at_a_modules_top_is_found_as_its_definition(tmp_path, tiny_embedder, mode) -> None:
    """dateutil's `gettz = __get_gettz()` (its most used function) came after the deprecated zoneinfo.gettz, and
    `get_tz` after legacy's: a plain word bound once or twice at a module's top is a name; a field (`value`) is not."""
    for rel, text in TOP_BOUND.items():
        (tmp_path / rel).write_text(text)
    with Index.create(tmp_path, Config(), embedder=tiny_embedder) as idx:
        idx.sync()
        plain = idx.search(Query("gettz", k=3, mode=mode))
        snake = idx.search(Query("get_tz", k=3, mode=mode))
        field = idx.search(Query("value", k=3, mode=mode))
    assert (plain[0].path, plain[0].start_line, plain[0].signals.get("symbol")) == ("tz.py", 10, "bound")
    assert (snake[0].path, snake[0].start_line) == ("tz.py", 11)
    assert all(h.signals.get("symbol") != "bound" for h in field)


def test_a_dunder_or_private_name_typed_is_a_name(tmp_path, tiny_embedder) -> None:
    """sortedcontainers' `__eq__ = __make_cmp(eq, ...)` in SortedList's body: `__eq__` read as the word "eq" found the
    class; a leading underscore is never a word's."""
    (tmp_path / "box.py").write_text("import operator\n\n\nclass Box:\n    def _compare(op):\n        return op\n\n"
                                     "    __eq__ = _compare(operator.eq)\n    _get = lambda self: self.value\n")
    (tmp_path / "eq.py").write_text('def equal(a, b):\n    """eq: compare two values, eq or not."""\n    return a == b\n')
    with Index.create(tmp_path, Config(), embedder=tiny_embedder) as idx:
        idx.sync()
        dunder = idx.search(Query("__eq__", k=3, mode="hybrid"))[0]
        private = idx.search(Query("_get", k=3, mode="hybrid"))[0]
    assert (dunder.path, dunder.start_line, dunder.signals.get("symbol")) == ("box.py", 8, "bound")
    assert (private.path, private.start_line) == ("box.py", 9)


GO_ROOT_PACKAGE = {"bind.go": "package mylib\n\nimport \"strings\"\n\n// Expand rewrites each ? into a numbered $ placeholder.\n"
                              "func Expand(query string) string {\n\tvar b strings.Builder\n\tfor _, r := range query {\n"
                              "\t\tb.WriteRune(r)\n\t}\n\treturn b.String()\n}\n",
                   "db.go": "package mylib\n\n// DB wraps a connection.\ntype DB struct{ driver string }\n\n"
                            "// Expand expands a query for this database.\n"
                            "func (db *DB) Expand(query string) string { return Expand(query) }\n",
                   "tx.go": "package mylib\n\n// Tx is a transaction.\ntype Tx struct{ db *DB }\n\n"
                            "// Expand expands a query inside this transaction.\n"
                            "func (tx *Tx) Expand(query string) string { return Expand(query) }\n"}


@pytest.mark.parametrize("text, doc", [("Expand", 0), ("mylib.Expand", 0), ("mylib.Expand", 4000)])
def test_a_function_of_a_root_go_package_is_found_by_its_package_and_before_methods_of_its_name(tmp_path, tiny_embedder,
                                                                                              text, doc) -> None:
    """sqlx: `Rebind` put the one-line wrappers `Tx.Rebind`, `DB.Rebind` before bind.go's `Rebind`, and `sqlx.Named`
    found nothing by name (the package sits at the repository's root, so no folder names it; its files' package
    clause does). httprouter: `httprouter.Router` met no name, its package clause 2935 bytes down, below the
    package's doc comment (probe 68)."""
    files = {**GO_ROOT_PACKAGE, "bind.go": "// The package's doc, at length.\n" * (doc // 32) + GO_ROOT_PACKAGE["bind.go"]}
    with indexed_files(tmp_path, files, tiny_embedder) as idx:
        hit = idx.search(Query(text, k=5, mode="hybrid"))[0]
    assert (hit.path, hit.qualified_name) == ("bind.go", "Expand") and hit.signals.get("symbol") in ("exact", "fuzzy")


@pytest.mark.parametrize("text,name", [("Cache Get", "Cache.Get"), ("Promise then", "Promise.then"),
                                       ("Promise.then", "Promise.then")])
def test_a_type_and_a_member_named_by_a_stop_word_is_the_member(tmp_path, tiny_embedder, text, name) -> None:
    """golang-lru's "ARCCache Get" put `Len` first, guzzle's "Promise then" missed `then`: "get" and "then" are stop
    words, dropped from a question; after a type's name they are its member's."""
    files = {"cache.go": "package lru\n\ntype Cache struct{ n int }\n\n// Get looks a key up.\nfunc (c *Cache) Get(k int) int {"
                         "\n\treturn c.n\n}\n\n// Len is how many keys the cache holds.\nfunc (c *Cache) Len() int {\n"
                         "\treturn c.n\n}\n",
             "promise.js": "class Promise {\n  then (onFulfilled) {\n    return onFulfilled(this.value)\n  }\n"
                           "  wait () {\n    return this.value\n  }\n}\n"}
    with indexed_files(tmp_path, files, tiny_embedder) as idx:
        hit = idx.search(Query(text, k=3, mode="hybrid"))[0]
        plain = idx.search(Query("Delete all", k=3, mode="hybrid"))  # no type Delete: a question, nothing pinned
    assert hit.qualified_name == name and hit.signals.get("symbol") in ("exact", "fuzzy")
    assert QueryTerms.parse("Delete all").natural and not any(h.signals.get("symbol") for h in plain)


SETTER = {"envconfig.go": "package envconfig\n\n// Setter is implemented by types that can self-deserialize values.\n"
                          "type Setter interface {\n\tSet(value string) error\n}\n\n"
                          "// setterFrom returns the Setter a field's interface value implements.\n"
                          "func setterFrom(field reflect.Value) (s Setter) {\n\treturn field.Interface().(Setter)\n}\n\n"
                          "// implementsInterface reports whether the interface is implemented by the type.\n"
                          "func implementsInterface(t reflect.Type) bool {\n\treturn t.Implements(setterInterface)\n}\n\n"
                          "// interfaceFrom reads the interface of a field.\n"
                          "func interfaceFrom(field reflect.Value, fn func(interface{}, *bool)) {\n"
                          "\tfn(field.Interface(), nil)\n}\n"}


@pytest.mark.parametrize("text", ["Setter interface", "the Setter interface", "Setter type",
                                  # objx's "the Value type that wraps arbitrary data": Value came 4th (probe 250)
                                  "the Setter interface that a field's type implements to set itself"])
def test_a_type_named_with_its_kind_is_the_type(tmp_path, tiny_embedder, text) -> None:
    """envconfig's "Setter interface" put setterFrom, implementsInterface and interfaceFrom above the type, a three-line
    interface without a vector (probe 132): a type's name and its kind word name the type."""
    with indexed_files(tmp_path, SETTER, tiny_embedder) as idx:
        hit = idx.search(Query(text, k=3, mode="hybrid"))[0]
        plain = idx.search(Query("Reader interface", k=3, mode="hybrid"))  # no type Reader: a question, nothing pinned
        lower = idx.search(Query("setter interface", k=3, mode="hybrid"))  # no type named `setter` as written
    assert (hit.qualified_name, hit.kind) == ("Setter", "type") and hit.signals.get("symbol") == "exact", hit
    assert not any(h.signals.get("symbol") for h in plain) and not any(h.signals.get("symbol") for h in lower)
    from codesearch.query import type_form  # a name as written, its kind word in any case (review: "abstract class");
    assert type_form("setter interface") == "setter" and type_form("Setter Interface") == "Setter"  # looked up as
    # written among the index's types only (Go's unexported `certificate struct`: probe 207)
    assert type_form("Sluggable module") == "Sluggable"  # a Ruby module is a type too (review)
    assert type_form("the Value type that wraps arbitrary data") == "Value"  # a clause after it says which (probe 250)
    assert type_form("the config type that holds ports") is None  # a word, not a type's name, before a clause
    assert type_form("Setter interface implementations") is None  # no clause: words go on


REEXPORTED = {
    "src/pkg/__init__.py": "from ._core._synchronization import (\n    Event as Event,\n    Lock as Lock,\n)\n",
    "src/pkg/_core/__init__.py": "",
    "src/pkg/_core/_synchronization.py": "class Lock:\n    \"\"\"A mutual exclusion lock.\"\"\"\n\n    def acquire(self):\n"
                                         "        return get_backend().acquire()\n\n\nclass Event:\n    def set(self):\n"
                                         "        return get_backend().set()\n",
    "src/pkg/_backends/__init__.py": "",
    "src/pkg/_backends/_asyncio.py": "class Lock(BaseLock):\n    \"\"\"Lock for asyncio: Lock Lock.\"\"\"\n\n"
                                     "    def acquire(self):\n        return self._lock_waiters_lock()\n",
    "src/pkg/_backends/_trio.py": "class Lock(BaseLock):\n    \"\"\"Lock for trio: Lock Lock.\"\"\"\n\n"
                                  "    def acquire(self):\n        return self.__lock_original_lock()\n",
    "web/src/index.ts": "export { Router } from './core/routing'\nexport * from './core/util'\n",
    "web/src/core/routing.ts": "export class Router {\n  add(path: string) { return path }\n}\n",
    "web/src/adapters/node.ts": "export class Router {\n  // Router Router Router\n  name = 'node'\n"
                                "  add(path: string) { return path }\n}\n",
}


@pytest.mark.parametrize("text,path", [("Lock", "src/pkg/_core/_synchronization.py"), ("Router", "web/src/core/routing.ts"),
                                       ("pkg.Lock", "src/pkg/_core/_synchronization.py")])
def test_of_namesakes_the_one_its_package_re_exports_is_first(tmp_path, tiny_embedder, text, path) -> None:
    """anyio: `Lock` put its asyncio and trio backends' classes before the public `Lock` that `anyio/__init__.py`
    re-exports from `_core/_synchronization.py`; a TypeScript index's `export { Router } from` says the same."""
    with indexed_files(tmp_path, REEXPORTED, tiny_embedder) as idx:
        hits = idx.search(Query(text, k=3, mode="hybrid"))
    assert hits[0].path == path and hits[0].name == text.rpartition(".")[2] and hits[0].signals.get("symbol") in (
        "exact", "fuzzy")  # structlog's `structlog.get_logger`, looked up in the package, is the re-exported one too
    assert len({h.path for h in hits if h.name == text.rpartition(".")[2]}) >= 2  # the namesakes, after it


@pytest.mark.parametrize("text,name", [("find dotenv", "find_dotenv"), ("get the value", "getValue")])
def test_a_short_question_that_writes_a_name_as_words_finds_it(tmp_path, tiny_embedder, text, name) -> None:
    """python-dotenv's "find dotenv" put load_dotenv and dotenv_values above find_dotenv (6th), marshmallow's "get
    value" put set_value first: "find" and "get" are stop words in a question, yet the part of the name that tells
    the functions apart. Two or three words written as one name are looked up as it."""
    files = {"main.py": "def load_dotenv(path):\n    \"\"\"Load the dotenv file: dotenv values.\"\"\"\n    return dotenv_values(path)\n\n\n"
                        "def dotenv_values(path):\n    \"\"\"The dotenv file's values.\"\"\"\n    return parse(path)\n\n\n"
                        "def find_dotenv(name):\n    return search(name)\n",
             "values.js": "function setValue(obj, key, value) {\n  obj[key] = value\n}\n\n"
                          "function getValue(obj, key) {\n  return obj[key]\n}\n"}
    with indexed_files(tmp_path, files, tiny_embedder) as idx:
        hits = idx.search(Query(text, k=3, mode="hybrid"))
        words = idx.search(Query("values of the dotenv file", k=3, mode="hybrid"))  # no name written: no symbol
    assert hits[0].name == name and hits[0].signals.get("symbol") == "fuzzy"
    assert not any(h.signals.get("symbol") for h in words)


def test_a_snake_case_name_of_stop_words_in_a_question_counts_whole(tmp_path, tiny_embedder) -> None:
    """hashie: "find_all values for a key" searched only "values" and "key" (a question's snake_case name counts by
    its words, and `find` and `all` are stop words), so `count_values` came first."""
    files = {"finder.rb": "class Finder\n  def find_all(key)\n    @items.select { |i| i.key == key }\n  end\nend\n",
             "counter.rb": "class Counter\n  def count_values(key)\n    values.count(key)\n  end\nend\n",
             **{f"store{i}.rb": f"class Store{i}\n  def values\n    @values\n  end\nend\n" for i in range(4)}}
    assert "find_all" in QueryTerms.parse("find_all values for a key").content
    with indexed_files(tmp_path, files, tiny_embedder) as idx:
        hit = idx.search(Query("find_all values for a key", k=3, mode="lexical"))[0]
    assert hit.name == "find_all"


def test_a_constant_in_capitals_in_a_question_counts_whole(tmp_path, tiny_embedder) -> None:
    """var-dumper: "respect the NO_COLOR environment variable" searched "color" alone (a question's snake_case name
    counts by its words, and `no` is a stop word): hasColorSupport, the one unit that reads NO_COLOR, came seventh
    (probe 132). A name in capitals, a constant's or an environment variable's, counts whole too."""
    files = {
        'colors.py': ('import os\nimport sys\n\n\ndef supports_colors(stream=None):\n    """Whethe'
            'r the output stream supports colors: a flag on the command line, else '
            'the stream."""\n    stream = stream or sys.stdout\n    for arg in sys.ar'
            'gv[1:]:\n        if arg in ("--color", "--ansi"):\n            return Tr'
            'ue\n        if arg in ("--no-color", "--no-ansi"):\n            return F'
            'alse\n    return has_color_support(stream)\n\n\ndef set_colors(enabled):\n '
            '   """Turn colored output on or off."""\n    global COLORS\n    COLORS ='
            ' bool(enabled)\n\n\ndef has_color_support(stream):\n    if os.environ.get('
            '"NO_COLOR"):\n        return False\n    if not hasattr(stream, "isatty")'
            ' or not stream.isatty():\n        return False\n    term = os.environ.ge'
            't("TERM", "")\n    return term != "dumb"\n\n\ndef true_color():\n    """Whe'
            'ther the terminal supports 24-bit color."""\n    return os.environ.get('
            '"COLORTERM") in ("truecolor", "24bit")\n'),
    }
    assert "no_color" in QueryTerms.parse("respect the NO_COLOR environment variable").content
    with indexed_files(tmp_path, files, tiny_embedder) as idx:
        hit = idx.search(Query("respect the NO_COLOR environment variable", k=3, mode="lexical"))[0]
    assert hit.name == "has_color_support", hit.name


def test_a_hyphenated_word_meets_the_one_word_code_writes(tmp_path, tiny_embedder) -> None:
    """tenacity: "re-raise the original exception" searched "re" and "raise", which never meet `reraise`."""
    files = {"errors.py": "def raise_error(err):\n    \"\"\"Raise the error, the last error.\"\"\"\n    raise err\n",
             "outcome.py": "class Outcome:\n    def reraise(self):\n        return self.failed\n"}
    assert "rerais" in QueryTerms.parse("re-raise the last error").content
    with indexed_files(tmp_path, files, tiny_embedder) as idx:
        hits = idx.search(Query("re-raise the last error", k=3, mode="lexical"))
    assert "Outcome.reraise" in [h.qualified_name for h in hits]  # no word of the question's own is in it


def test_a_word_the_code_writes_with_a_hyphen_meets_the_one_word_typed(tmp_path, tiny_embedder) -> None:
    """commons-logging: handleThrowable's doc says "needs to be re-thrown", stored only as `re` and `thrown`, so "which
    errors are rethrown instead of swallowed" ranked it last and "rethrown" was told no word of it is in the code (probe
    213): the index holds the hyphenated word joined too, as a question's hyphens are joined (re-raise: reraise)."""
    from codesearch.query import unmatched_note

    files = {"LogFactory.java": "public class LogFactory {\n"
                                "    /**\n     * Checks whether the supplied Throwable is one that needs to be\n"
                                "     * re-thrown and ignores all others.\n     */\n"
                                "    protected static void handleThrowable(Throwable t) {\n"
                                "        if (t instanceof ThreadDeath) {\n            throw (ThreadDeath) t;\n        }\n"
                                "        if (t instanceof VirtualMachineError) {\n"
                                "            throw (VirtualMachineError) t;\n        }\n    }\n\n"
                                "    /**\n     * Reports errors: errors are logged, never thrown.\n     */\n"
                                "    protected static void report(String msg) {\n"
                                "        System.err.println(\"errors: \" + msg);\n    }\n\n"
                                "    /**\n     * Counts the errors seen.\n     */\n"
                                "    protected static void count(Throwable t) {\n        seen++;\n    }\n}\n"}
    with indexed_files(tmp_path, files, tiny_embedder) as idx:
        asked = idx.search(Query("which errors are rethrown instead of swallowed", k=3, mode="lexical"))
        alone = idx.search(Query("rethrown", k=3, mode="lexical"))
    assert asked[0].name == "handleThrowable", [h.name for h in asked]
    assert alone and alone[0].name == "handleThrowable" and unmatched_note("rethrown", alone) is None


@pytest.mark.parametrize("text,name", [("Result#[]=", "Slop::Result#[]="), ("Result#[]", "Slop::Result#[]"),
                                       ("Version#<=>", "Version#<=>")])
def test_an_operator_method_is_found_by_its_name(tmp_path, tiny_embedder, text, name) -> None:
    """slop: "Result#[]=" put `Result#[]` first, "Result#[]" the class: an operator's name was no name to look up."""
    files = {"result.rb": "module Slop\n  class Result\n    def [](flag)\n      option(flag).value\n    end\n\n"
                          "    def []=(flag, value)\n      option(flag).value = value\n    end\n  end\nend\n",
             "version.rb": "class Version\n  def <=>(other)\n    parts <=> other.parts\n  end\nend\n"}
    with indexed_files(tmp_path, files, tiny_embedder) as idx:
        hit = idx.search(Query(text, k=3, mode="hybrid"))[0]
    assert hit.qualified_name == name and hit.signals.get("symbol") in ("exact", "fuzzy")


def test_a_snake_case_name_meets_its_camel_case_spelling_by_its_words(tmp_path, tiny_embedder) -> None:
    """body-parser: `json_parser` found `loadParser` first by "parser": the code writes it `jsonParser`, which the
    words keep whole as 'jsonparser', never typed."""
    files = {"parsers.js": "function loadParser (parserName) {\n  // the json parser, or another parser\n"
                           "  return parsers[parserName]\n}\n",
             "app.js": "function mount (app) {\n  app.use(bodyParser.jsonParser())\n}\n"}
    with indexed_files(tmp_path, files, tiny_embedder) as idx:
        hit = idx.search(Query("json_parser", k=3, mode="lexical"))[0]
    assert hit.path == "app.js"


@pytest.mark.parametrize("text", ["watchdog", "Watchdog"])
def test_a_class_named_in_lower_case_is_found_by_its_name(tmp_path, tiny_embedder, text) -> None:
    """commons-exec: `watchdog` put ExecuteWatchdog.java first (its `watchdog` field says the word more), Watchdog.java
    second; `Watchdog` found the class: one word typed in another case names it too."""
    files = {"Watchdog.java": "public class Watchdog implements Runnable {\n    private long timeout;\n"
                              "    public void run() {\n        check();\n    }\n}\n",
             "ExecuteWatchdog.java": "public class ExecuteWatchdog {\n    private Watchdog watchdog;\n"
                                     "    public void start() {\n        watchdog = new Watchdog();\n        watchdog.run();\n"
                                     "    }\n}\n"}
    with indexed_files(tmp_path, files, tiny_embedder) as idx:
        hit = idx.search(Query(text, k=3, mode="hybrid"))[0]
    assert (hit.path, hit.qualified_name) == ("Watchdog.java", "Watchdog") and hit.signals.get("symbol") in ("exact", "fuzzy")


@pytest.mark.parametrize("text, name", [("timer", "Timer"), ("retry", "Retry")])
def test_a_word_that_names_a_file_finds_what_the_file_defines_before_its_imports(tmp_path, tiny_embedder, text,
                                                                                 name) -> None:
    """backoff: `retry` showed retry.go's package and import lines first (the module piece is named after its file,
    an exact name), func Retry below; `timer` likewise above type Timer (21 of 22 such words in three Go packages)."""
    files = {"timer.go": 'package backoff\n\nimport "time"\n\n// Timer schedules the next retry.\ntype Timer interface {\n'
                         "\tStart(d time.Duration)\n\tStop()\n}\n",
             "retry.go": 'package backoff\n\nimport (\n\t"errors"\n\t"time"\n)\n\n// Retry runs o until it succeeds.\n'
                         "func Retry(o func() error, b BackOff) error {\n\treturn errors.New(\"x\")\n}\n"}
    with indexed_files(tmp_path, files, tiny_embedder) as idx:
        hits = idx.search(Query(text, k=3, mode="hybrid"))
        files_first = rank_files(idx.search(Query(text, k=10, mode="hybrid")), 3)
    assert hits[0].qualified_name == name and hits[0].start_line > 1, [(h.qualified_name, h.start_line) for h in hits]
    assert files_first[0].line > 1  # --files points at the definition, not at line 1
    assert any(h.qualified_name == text and h.kind == "module" for h in hits)  # the piece is still found, after


@pytest.mark.parametrize("text", ["timestamps", "timestamp"])
def test_one_plain_word_is_also_searched_by_its_stem(tmp_path, tiny_embedder, text) -> None:
    """go-cmp: `--mode lexical timestamps` said "no results" beside `type Timestamp` (a lone word was searched only
    as typed; "the timestamps" found it)."""
    files = {"dirt.go": "package teststructs\n\ntype Timestamp int64\n\nfunc Parse(s string) int {\n\treturn 0\n}\n"}
    with indexed_files(tmp_path, files, tiny_embedder) as idx:
        hits = idx.search(Query(text, k=3, mode="lexical"))
    assert hits and hits[0].qualified_name == "Timestamp"


def test_files_of_a_name_keep_a_function_of_its_own_before_methods_of_that_name(tmp_path, tiny_embedder) -> None:
    """go-cmp: `Equal` put compare.go's func Equal first, but `--files Equal` listed report_text.go (two `Equal`
    methods, more file evidence) above it: the files of named units now follow their units' order."""
    files = {"compare.go": "package cmp\n\n// Equal reports whether x and y are equal.\nfunc Equal(x, y interface{}) bool {\n"
                           "\treturn x == y\n}\n",
             "text.go": "package cmp\n\ntype textLine string\ntype textList []string\n\n"
                        "func (s textLine) Equal(t textLine) bool { return s == t }\n\n"
                        "func (s textList) Equal(t textList) bool {\n\tif len(s) != len(t) {\n\t\treturn false\n\t}\n"
                        "\treturn true\n}\n"}
    with indexed_files(tmp_path, files, tiny_embedder) as idx:
        hits = idx.search(Query("Equal", k=10, mode="hybrid"))
    assert hits[0].path == "compare.go"
    ranked = rank_files(hits, 2)
    assert [f.path for f in ranked] == ["compare.go", "text.go"]
    assert ranked[0].score >= ranked[1].score  # printed scores fall down the list (yargs-parser's --files: probe 67)


def test_a_java_method_without_a_body_is_found_by_its_name_and_doc(tmp_path, tiny_embedder) -> None:
    """jackson-core: `JsonParser.nextToken`, its central API, is abstract: no unit held it (the grammar took methods
    with a body only), so the name found nothing of it and its Javadoc belonged to the 2,450-line class. It is found
    by words and name; a vector of its bare signature crowded its implementations, so it has none."""
    files = {"Shape.java": "public abstract class Shape {\n    /** The area this shape covers on the plane. */\n"
                           "    public abstract double area();\n\n    public String describe() {\n"
                           "        return \"shape\";\n    }\n}\n",
             "Listener.java": "interface Listener {\n    /** Called once the parser reached the end of its input. */\n"
                              "    void onEndOfInput(int offset);\n}\n"}
    with indexed_files(tmp_path, files, tiny_embedder) as idx:
        area = idx.search(Query("Shape.area", k=3, mode="hybrid"))[0]
        ended = idx.search(Query("reached the end of its input", k=3, mode="lexical"))[0]
        with pytest.raises(Exception, match="no vector"):
            idx.similar(tmp_path / "Shape.java", 3)
    assert (area.qualified_name, area.start_line, area.signals.get("symbol")) == ("Shape.area", 3, "exact")
    assert (ended.qualified_name, ended.docstring) == ("Listener.onEndOfInput",
                                                        "Called once the parser reached the end of its input.")


def test_a_match_deep_in_a_long_function_points_at_its_window_once(tmp_path, tiny_embedder) -> None:
    """validator: "english translation message for the email tag" jumped to line 18 of a 1,300-line function, the
    match at line 1052 (its window ranked first, and the function stood for it)."""
    body = "".join(f"    step_{i} = {i}\n" for i in range(200))
    body = body.replace("    step_120 = 120\n", "    zebracorn_message = 'an invalid zebracorn address'\n")
    files = {"table.py": f"def translations():\n{body}    return step_1\n"}
    with indexed_files(tmp_path, files, tiny_embedder) as idx:
        hits = idx.search(Query("zebracorn message", k=5, mode="lexical"))
    (hit,) = [h for h in hits if h.qualified_name == "translations"]
    assert hit.kind == "window" and hit.start_line <= 122 <= hit.end_line and hit.also_in == []


def test_a_name_typed_in_a_question_is_not_stemmed_into_its_neighbours(tmp_path, tiny_embedder) -> None:
    """validator: "what does isGte check" put isGt first (the name stemmed to isgt, a whole word the index holds for
    isGt); cast: "what does ToMapE return" found ToMap."""
    files = {"conv.go": "package cast\n\nfunc ToMap(i interface{}) map[string]interface{} {\n\tv, _ := ToMapE(i)\n"
                        "\treturn v\n}\n\nfunc ToMapE(i interface{}) (map[string]interface{}, error) {\n"
                        "\treturn nil, nil\n}\n",
             "checks.go": "package validator\n\nfunc isGt(fl FieldLevel) bool {\n\treturn fl.Int() > 0\n}\n\n"
                          "func isGte(fl FieldLevel) bool {\n\treturn fl.Int() >= 0\n}\n"}
    with indexed_files(tmp_path, files, tiny_embedder) as idx:
        to_map = idx.search(Query("what does ToMapE return", k=3, mode="lexical"))[0]
        gte = idx.search(Query("what does isGte check", k=3, mode="lexical"))[0]
    assert (to_map.name, gte.name) == ("ToMapE", "isGte")


@pytest.mark.parametrize("text, name", [("\\League\\Flysystem\\Config", "Config"), ("::HTTP::Options", "Options"),
                                        ("self::VISIBILITY_PUBLIC", "Config")])
def test_a_name_as_code_writes_it_is_found(tmp_path, tiny_embedder, text, name) -> None:
    """flysystem: `\\League\\Flysystem\\Config` put ConfigAwareTrait.php first (a leading backslash made it words);
    http.rb's `::HTTP::Options` and `self::VISIBILITY_PUBLIC` named nothing either."""
    files = {"src/Config.php": "<?php\nnamespace League\\Flysystem;\n\nclass Config\n{\n"
                               "    const VISIBILITY_PUBLIC = 'public';\n\n    public function get($key)\n    {\n"
                               "        return $this->settings[$key];\n    }\n}\n",
             "src/ConfigAwareTrait.php": "<?php\nnamespace League\\Flysystem;\n\ntrait ConfigAwareTrait\n{\n"
                                         "    protected $config;\n\n    protected function setConfig($config)\n    {\n"
                                         "        $this->config = $config ? Util::ensureConfig($config) : new Config;\n"
                                         "    }\n}\n",
             "lib/http/options.rb": "module HTTP\n  class Options\n    def initialize(options = {})\n"
                                    "      @options = options\n    end\n  end\nend\n"}
    with indexed_files(tmp_path, files, tiny_embedder) as idx:
        hit = idx.search(Query(text, k=3, mode="hybrid"))[0]
    assert hit.qualified_name.endswith(name) and hit.signals.get("symbol") in ("exact", "bound", "fuzzy"), hit


PASTED = {"schema.py": "class Schema:\n    def load(self, data):\n        return self._do_load(data)\n\n"
                        "    def _do_load(self, data):\n        return data\n\n    def loads(self, text):\n"
                        "        return self.load(text)\n",
          "class_registry.py": 'def get_class(name):\n    """Look up a schema class by its name, the class registered."""\n'
                               "    return _registry[name]\n",
          "hooks.py": "def pre_load(fn):\n    return fn\n\n\ndef post_load(fn):\n    return fn\n",
          "utils.py": "def get_value(obj, key):\n    return obj[key]\n\n\ndef set_value(obj, key, value):\n"
                      "    obj[key] = value\n",
          "render.go": "package lib\n\nfunc Render(tpl string, data any) string {\n\treturn tpl\n}\n",
          "timing.js": "// debounce: a debounced call, debounce after debounce\nfunction debounceWith(fn, t) {\n"
                       "  return debounce(fn, t)\n}\n\nfunction debounce(fn, wait) {\n  return setTimeout(fn, wait)\n}\n",
          "page.go": "package lib\n\nfunc page(tpl string, data any) string {\n\tout := Render(tpl, data)\n"
                     "\treturn out\n}\n",
          # gorilla/websocket: a pasted `websocket.Upgrader{ReadBufferSize: 1024}` put Upgrader.Upgrade first (probe 160)
          "server.go": "package lib\n\ntype Upgrader struct {\n\tReadBufferSize int\n\tWriteBufferSize int\n}\n\n"
                       "func (u *Upgrader) Upgrade(w any) error {\n\treturn nil\n}\n",
          # commons-codec: `new HmacUtils(alg, key).hmacHex(data)` listed the class and its constructors (probe 93)
          "Mac.java": "public class Mac {\n    public Mac(String algorithm) { this(algorithm, new byte[0]); }\n\n"
                      "    public Mac(String algorithm, byte[] key) { this.key = key; }\n\n"
                      "    /** Signs the data as hex. */\n    public String signHex(String data) {\n"
                      "        return data;\n    }\n}\n",
          # blinker: `sig.connect(handler, sender=app, weak=False)` put 18 tests that write it above Signal.connect
          "signals.py": "class Signal:\n    def connect(self, receiver, sender=None, weak=True):\n"
                        "        self.receivers[id(receiver)] = receiver\n        return receiver\n",
          "tests/test_signals.py": "def test_connect_weak():\n    sig = Signal()\n    sig.connect(handler, sender=app, weak=False)\n"
                                   "    assert sig.receivers\n\n\ndef test_connect_strong():\n    sig = Signal()\n"
                                   "    sig.connect(handler, sender=app, weak=False)\n    assert sig.receivers\n"}


@pytest.mark.parametrize("text, name", [("class Schema", "Schema"), ("class Schema(Base):", "Schema"),
                                        ("function debounce", "debounce"),  # JavaScript's lower-case name (review)
                                        ("def get_value", "get_value"), ("def get_value(self, key):", "get_value"),
                                        ("load()", "Schema.load"), ("out := lib.Render(tpl, data)", "Render"),
                                        ("func Render(tpl string, data any) string {", "Render"),
                                        ("sig.connect(handler, sender=app, weak=False)", "Signal.connect"),
                                        # js-yaml's `const doc = yaml.load(...)` searched for `doc` (probe 81)
                                        ("const page = Render(tpl, data);", "Render"),
                                        # commons-pool's `final ArrayList<PooledObject<T>> remove = createRemoveList(
                                        # ...)` searched for `remove` (probe 88): a typed local asks for its call too
                                        ("final List<String> page = Render(tpl, data);", "Render"),
                                        ("String page = Render(tpl, data);", "Render"),
                                        ("const page: string = Render(tpl, data);", "Render"),
                                        ('new Mac("HmacSHA256", key).signHex(payload);', "Mac.signHex"),
                                        # Python's and PHP's ways to call on what was made, Go's NewX (review)
                                        ('Mac("HmacSHA256", key).signHex(payload)', "Mac.signHex"),
                                        ("(new Mac($alg, $key))->signHex($data);", "Mac.signHex"),
                                        ("NewMac(key).signHex(data)", "Mac.signHex"),
                                        # dayjs' `dayjs().add(1, 'day')` was searched as words (probe 166): a factory's
                                        ('mac("HmacSHA256").signHex(payload)', "Mac.signHex"),
                                        # json5's `throw invalidChar(read())` found ten callers (probe 130)
                                        ("throw Render(tpl, data)", "Render"), ("return await Render(tpl, data);", "Render"),
                                        ("raise Render(tpl, data) from err", "Render"), ("defer Render(tpl, data)", "Render"),
                                        ('throw new Mac("HmacSHA256", key);', "Mac"),
                                        ("lib.Upgrader{ReadBufferSize: 1024, WriteBufferSize: 1024}", "Upgrader"),
                                        ("u := &lib.Upgrader{}", "Upgrader"),
                                        # statements pasted, by lines or `;`: what the last calls, on the type an
                                        # earlier one made (interceptors' README example: probe 197)
                                        ("const mac = new Mac(key)\nmac.signHex(payload)", "Mac.signHex"),
                                        ("$m = new Mac($alg,\n  $key); $m->signHex($data);", "Mac.signHex"),
                                        ("m := NewMac(key)\npage := m.signHex(data)", "Mac.signHex")])
def test_a_pasted_declaration_or_call_finds_the_name_it_names(tmp_path, tiny_embedder, text, name) -> None:
    """marshmallow: `class Schema` put class_registry first and Schema 11th, `def get_value` set_value first, `load()`
    _do_load (probe 61); websocket's `c.WriteMessage(websocket.TextMessage, msg)` had WriteMessage fifth behind its
    callers (probe 63): the keyword and the arguments made them questions."""
    with indexed_files(tmp_path, PASTED, tiny_embedder) as idx:
        hit = idx.search(Query(text, k=3, mode="hybrid"))[0]
    assert hit.qualified_name == name and hit.signals.get("symbol") in ("exact", "bound", "fuzzy"), hit


FIELDS = {"src/Router.php": "<?php\n\nclass Router\n{\n    protected $routeTable = array(\n        'GET' => array(),\n    );\n\n"
                            "    public function add($method, $path, $handler)\n    {\n"
                            "        $this->routeTable[$method][$path] = $handler;\n    }\n\n"
                            "    public function routes()\n    {\n        return $this->routeTable;\n    }\n}\n",
          "src/Cache.java": "import java.util.Map;\n\npublic class Cache {\n"
                            "    private final Map<String, String> entryStore = new HashMap<>();\n\n"
                            "    public String get(String key) {\n        return entryStore.get(key);\n    }\n\n"
                            "    public void put(String key, String value) {\n        entryStore.put(key, value);\n    }\n}\n"}


@pytest.mark.parametrize("text, line", [("protected $routeTable", 5), ("protected $routeTable = array(", 5),
                                        ("private final Map<String, String> entryStore;", 4),
                                        ("private final Map<String, String> entryStore", 4)])
def test_a_pasted_field_finds_its_binding(tmp_path, tiny_embedder, text, line) -> None:
    """parsedown: `protected $BlockTypes` put isBlockContinuable first and the field nowhere (probe 75): a field's
    modifiers and type made it a question, its users' code outranking its line."""
    with indexed_files(tmp_path, FIELDS, tiny_embedder) as idx:
        hit = idx.search(Query(text, k=3, mode="hybrid"))[0]
    assert hit.start_line <= line <= hit.end_line and hit.signals.get("symbol") == "bound", hit


@pytest.mark.parametrize("text", ["function that parses dates", "class for parsing dates", "load(x) fails on empty input",
                                  "a function to parse dates", "type definitions", "class loader", "module exports",
                                  "static files", "private key generation", "final answer",
                                  # a capital word in a question that opens with a modifier (review)
                                  "private key for SSH connection", "public API for users", "static assets from CDN"])
def test_a_question_that_opens_with_a_keyword_stays_a_question(text) -> None:
    """Only a declaration's or a call's shape is read as a name: words after the keyword keep a question."""
    assert QueryTerms.parse(text).text == text and QueryTerms.parse(text).natural


def test_a_member_set_at_module_level_is_found_by_its_dotted_name(tmp_path, tiny_embedder) -> None:
    """moment: `moment.utc` (its API, set by `moment.utc = utc` in src/moment.js) put createUTC fifth and the line
    that makes it nowhere: a member assignment at module level bound nothing."""
    files = {"src/index.js": "import { createUTC as utc } from './utc';\nimport { isUtc } from './offset';\n\n"
                             "var moment = function () {};\n\nmoment.utc = utc;\nmoment.isUtc = isUtc;\n\n"
                             "export default moment;\n",
             "src/utc.js": "export function createUTC(input, format) {\n    return createLocal(input, format, true);\n}\n",
             "src/offset.js": "export function isUtc() {\n    return this._isUTC;\n}\n"}
    with indexed_files(tmp_path, files, tiny_embedder) as idx:
        hit = idx.search(Query("moment.utc", k=3, mode="hybrid"))[0]
    assert (hit.path, hit.start_line, hit.signals.get("symbol")) == ("src/index.js", 6, "bound")


@pytest.mark.parametrize("mode", ["lexical", "hybrid"])
def test_a_ruby_method_alias_is_found_by_its_plain_name(tmp_path, tiny_embedder, mode) -> None:
    """rack-test's `alias authorize basic_authorize`: "authorize" put digest_authorize first (probe 60); an alias is a
    method of its class, found as a definition is. A class's field bound so (`value`) still leads with nothing."""
    files = {"lib/session.rb": "class Session\n  # Set the username and password for HTTP Basic authorization.\n"
                               "  def basic_authorize(username, password)\n    header('Authorization', username)\n  end\n"
                               "  alias authorize basic_authorize\n\n"
                               "  # Set the username and password for HTTP Digest authorization.\n"
                               "  def digest_authorize(username, password)\n    @digest_username = username\n  end\nend\n"}
    with indexed_files(tmp_path / "repo", files, tiny_embedder) as index:
        hits = index.search(Query("authorize", k=3, mode=mode))
    assert hits[0].signals.get("symbol") == "bound" and hits[0].start_line == 6


def test_a_name_the_words_join_into_leaves_its_files_licence_and_imports_out(tmp_path, tiny_embedder) -> None:
    """jsoup: "html tree builder", "tokeniser state" put HtmlTreeBuilder.java's licence, package and imports second,
    a name alike by its file's name (probe 69): beside its file's definition a module piece is no second hit."""
    files = {"src/RetryPolicy.java": "/*\n * Licensed to the Apache Software Foundation (ASF) under one or more\n */\n"
                                     "package org.retry;\n\nimport java.util.List;\nimport java.util.Map;\n\n"
                                     "public class RetryPolicy {\n    public boolean shouldRetry(int attempts) {\n"
                                     "        return attempts < 3;\n    }\n}\n",
             "src/Backoff.java": "package org.retry;\n\npublic class Backoff {\n    public long delay(int n) {\n"
                                 "        return 100L * n;\n    }\n}\n"}
    with indexed_files(tmp_path, files, tiny_embedder) as idx:
        hits = idx.search(Query("retry policy", k=5, mode="hybrid"))
    assert hits[0].qualified_name == "RetryPolicy"
    assert not any(h.kind == "module" and h.signals.get("symbol") for h in hits)


@pytest.mark.parametrize("text", ["the In validator", "use the `in` validator", "In() validator for choices"])
def test_a_stop_word_written_as_a_name_is_a_word_of_the_question(tmp_path, tiny_embedder, text) -> None:
    """voluptuous: "In validator", "Any validator", "All validator" gave one list, class In not in the first 30
    (probe 66): "in", "any", "all" are stop words, dropped however they were written. Capitalised past the first
    word, in backticks or called they name a class; in a title-cased question they stay stop words."""
    files = {"v.py": 'class In:\n    """Validate that a value is in a collection."""\n    def __call__(self, v):\n'
                     "        return v\n\n\nclass Length:\n    \"\"\"Validate the length of a value.\"\"\"\n"
                     "    def __call__(self, v):\n        return len(v)\n"}
    with indexed_files(tmp_path, files, tiny_embedder) as idx:
        hits = idx.search(Query(text, k=3, mode="lexical"))
    assert hits[0].qualified_name.startswith("In")
    assert "all" not in QueryTerms.parse("Find All Routes Registered").content
    assert "in" not in QueryTerms.parse("In which file are routes registered").content
    assert "what" not in QueryTerms.parse("parse the config. What does it return").content  # a sentence's start


def test_a_member_set_inside_a_factory_is_found_by_its_dotted_name(tmp_path, tiny_embedder) -> None:
    """debug: `createDebug.coerce` (its API, set by `createDebug.coerce = coerce` inside setup) put setup.createDebug
    and setup first and setup.coerce last; 4 of 7 `createDebug.*` names missed (probe 67)."""
    files = {"src/common.js": "function setup(env) {\n\tfunction createDebug(ns) {\n\t\treturn log(ns);\n\t}\n\n"
                              "\tfunction coerce(val) {\n\t\treturn val instanceof Error ? val.stack : val;\n\t}\n\n"
                              "\tcreateDebug.coerce = coerce;\n\treturn createDebug;\n}\n",
             "src/node.js": "function coerce(value) {\n\treturn String(value);\n}\n"}
    with indexed_files(tmp_path, files, tiny_embedder) as idx:
        hit = idx.search(Query("createDebug.coerce", k=3, mode="hybrid"))[0]
    assert (hit.path, hit.qualified_name, hit.signals.get("symbol")) == ("src/common.js", "setup.coerce", "fuzzy")


def test_an_export_line_of_a_definition_found_in_its_file_is_no_second_symbol(tmp_path, tiny_embedder) -> None:
    """qs: `maybeMap` gave the function and its line in `module.exports = {maybeMap: maybeMap, ...}` tied first
    (probe 77): the line that exports a definition found in its own file under its name adds no symbol hit."""
    code = ("'use strict';\n\nvar maybeMap = function maybeMap(val, fn) {\n    return isArray(val) ? val.map(fn) : fn(val);\n};\n\n"
            "var combine = function combine(a, b) {\n    return [].concat(a, b);\n};\n\n"
            "module.exports = {\n    combine: combine,\n    maybeMap: maybeMap\n};\n")
    with indexed_files(tmp_path, {"lib/utils.js": code}, tiny_embedder) as idx:
        hits = idx.search(Query("maybeMap", k=3, mode="hybrid"))
    assert hits[0].start_line == 3 and hits[0].signals.get("symbol") == "exact"
    assert all(h.signals.get("symbol") is None for h in hits[1:]), [(h.start_line, h.signals) for h in hits]


def test_a_line_importing_a_definition_found_is_no_second_symbol(tmp_path, tiny_embedder) -> None:
    """semver: `maxSatisfying` gave the function and index.js' `const maxSatisfying = require('./ranges/max-satisfying')`
    tied first (probe 165): a binding a module's import gives adds no symbol hit beside the definition; a name only an
    import binds is still found there."""
    files = {"ranges/max-satisfying.js": "const maxSatisfying = (versions, range) => {\n  return versions.sort()[0]\n}\n"
                                         "module.exports = maxSatisfying\n",
             "index.js": "const maxSatisfying = require('./ranges/max-satisfying')\n"
                         "const outside = require('outside-lib')\nmodule.exports = { maxSatisfying, outside }\n"}
    with indexed_files(tmp_path, files, tiny_embedder) as idx:
        hits = idx.search(Query("maxSatisfying", k=3, mode="hybrid"))
        alone = idx.search(Query("outside", k=3, mode="hybrid"))
    assert hits[0].path == "ranges/max-satisfying.js" and hits[0].signals.get("symbol") == "exact"
    assert all(h.signals.get("symbol") is None for h in hits[1:]), [(h.path, h.signals) for h in hits]
    assert alone[0].path == "index.js" and alone[0].signals.get("symbol") == "bound"


def test_a_line_copied_from_code_finds_where_it_is_not_what_it_calls(tmp_path, tiny_embedder) -> None:
    """send: `res.setHeader('Content-Range', contentRange('bytes', len))`, a line of send(), was read as the name
    res.setHeader and put SendStream.setHeader first (probe 77): a main-code unit that holds the pasted line as
    written is named (`quoted`), after a definition of the name it calls and before a name alike."""
    files = {"index.js": "function send(res, len) {\n  res.statusCode = 206;\n"
                         "  res.setHeader('Content-Range', contentRange('bytes', len));\n  res.end();\n}\n\n"
                         "function contentRange(type, size) {\n  return type + ' */' + size;\n}\n",
             "stream.js": "SendStream.prototype.setHeader = function setHeader(path, stat) {\n"
                          "  this.res.setHeader('Accept-Ranges', 'bytes');\n};\n"}
    with indexed_files(tmp_path, files, tiny_embedder) as idx:
        line = idx.search(Query("res.setHeader('Content-Range', contentRange('bytes', len))", k=3, mode="hybrid"))
    assert line[0].name == "send" and line[0].signals.get("symbol") == "quoted", [(h.name, h.signals) for h in line]
    assert QueryTerms.parse("sig.connect(handler, sender=app)").text == "sig.connect"


@pytest.mark.parametrize("line", ["Shop.regions[region].each do |fallback|", "config[:default_locale] ||= :en"])
def test_a_line_copied_from_code_without_a_call_finds_where_it_is(tmp_path, tiny_embedder, line) -> None:
    """i18n: `I18n.fallbacks[locale].each do |fallback|` was searched as words (no call in it), and the file comment
    that names fallbacks came first (probe 165): a subscript, a block's parameters or an assignment is code too."""
    files = {"lib/pricing.rb": "module Shop\n  module Pricing\n    def price_for(item, region)\n"
                               "      Shop.regions[region].each do |fallback|\n        price = prices.dig(fallback, item)\n"
                               "        return price if price\n      end\n      nil\n    end\n\n    def setup(config)\n"
                               "      config[:default_locale] ||= :en\n      config\n    end\n  end\nend\n",
             "lib/regions.rb": "# Regions and their fallback regions: each region falls back to its parent, and\n"
                               "# Shop.regions lists the fallback regions of each region, a default locale each.\n"
                               "module Shop\n  class Regions\n    def fallback(region)\n      PARENTS.fetch(region) { [region] }\n"
                               "    end\n\n    def each_fallback(region, &block)\n      fallback(region).each(&block)\n"
                               "    end\n  end\nend\n"}
    with indexed_files(tmp_path, files, tiny_embedder) as idx:
        hits = idx.search(Query(line, k=3, mode="hybrid"))
    assert hits[0].path == "lib/pricing.rb" and hits[0].signals.get("symbol") == "quoted", [
        (h.qualified_name, h.signals.get("symbol")) for h in hits]
    for question in ("where do we retry failed HTTP calls", "how is x == y compared", "where is ActiveRecord::Base defined",
                     "how to use std::vector here", "parse key=value pairs from env file", "cat log | wc | sort output",
                     "where is a->next freed"):  # a question holding code's marks is still a question (review)
        assert QueryTerms.parse(question).pasted_line is None, question
    assert QueryTerms.parse("items.each { |i| puts i }").pasted_line is not None
    # cri's README `flag :h, :help, 'show help for this command' do |value, cmd|`: a string's words are no question's
    # (its "this" made the line a question: probe 241); a question quoting a string is still one
    for line in ("flag :h, :help, 'show help for this command' do |value, cmd|",
                 "option :s, :stuff, 'specify stuff to do', argument: :required"):
        assert QueryTerms.parse(line).pasted_line is not None, line
    assert QueryTerms.parse("where is the 'show help' flag :h handled").pasted_line is None
    assert QueryTerms.parse("config[key] isn't set when the user's file has no section").pasted_line is None  # review
    # a subscript called (nanostores' `object.events[eventKey + REVERT_MUTATION]()`: probe 195)
    assert QueryTerms.parse("object.events[eventKey + REVERT_MUTATION]()").pasted_line is not None
    assert QueryTerms.parse("how to retry like [the docs](https://example.com/retry) say").pasted_line is None
    for name in ("Rfc7230::parseHostHeader", "$this->routeTable", "Foo::Bar::baz"):  # a name typed is no line
        assert QueryTerms.parse(name).pasted_line is None, name


def test_a_pasted_line_in_a_doc_comments_example_is_no_place_of_it(tmp_path, tiny_embedder) -> None:
    """commander: `c.when_called do |args, options|` put the class first, quoted at an example in `option`'s doc
    comment (probe 173): only a unit's lines of code hold a pasted line; the one that writes it is still found."""
    code = ("module Cli\n  class Command\n    ##\n    # Add an option. Example:\n    #\n    #   command :build do |c|\n"
            "    #     c.when_called do |args, options|\n    #       build(args)\n    #     end\n    #   end\n\n"
            "    def option(*args, &block)\n      @options << args\n    end\n\n"
            "    def when_called(*args, &block)\n      @when_called = block ? [block] : args\n    end\n  end\nend\n")
    app = "def main(c)\n  c.when_called do |args, options|\n    puts args\n  end\nend\n"
    with indexed_files(tmp_path, {"lib/command.rb": code, "bin/app.rb": app}, tiny_embedder) as idx:
        hits = idx.search(Query("c.when_called do |args, options|", k=4, mode="hybrid"))
    quoted = [(h.path, h.qualified_name) for h in hits if h.signals.get("symbol") == "quoted"]
    assert quoted == [("bin/app.rb", "main")], quoted


def test_a_pasted_local_declaration_finds_its_line_not_a_file_of_its_name(tmp_path, tiny_embedder) -> None:
    """msgpack: `const index = -1 - type;` was read as the name `index`, and index.ts' module piece came first, the
    function holding the line second (probe 167): a name read from a pasted line names no file."""
    files = {"index.ts": "export { register } from './codec';\nexport { encode } from './encode';\n",
             "codec.ts": "const table: unknown[] = [];\n\nexport function register(type: number, codec: unknown): void {\n"
                         "  if (type >= 0) {\n    table[type] = codec;\n  } else {\n    const index = -1 - type;\n"
                         "    table[index] = codec;\n  }\n}\n",
             "encode.ts": "export function encode(value: unknown): Uint8Array {\n  return new Uint8Array(0);\n}\n"}
    with indexed_files(tmp_path, files, tiny_embedder) as idx:
        hits = idx.search(Query("const index = -1 - type;", k=3, mode="hybrid"))
        named = idx.search(Query("index", k=3, mode="hybrid"))
    assert (hits[0].name, hits[0].signals.get("symbol")) == ("register", "quoted"), [
        (h.name, h.signals.get("symbol")) for h in hits]
    assert named[0].path == "index.ts"  # typed alone, the file's name is still its piece


def test_a_line_copied_from_a_nested_function_finds_that_function_not_its_encloser(tmp_path, tiny_embedder) -> None:
    """wrapt: `lock = vars(context).get('_synchronized_lock', None)` put `synchronized` (lines 448-539) first and its
    inner `_synchronized_lock`, which holds the line, second (probe 94): of the units holding a pasted line, the
    innermost is where it is; its enclosing function is not named for it."""
    code = ("def make_cache(size):\n    store = {}\n    order = []\n\n    def lookup(key, compute):\n"
            "        value = store.get(key, None)\n        if value is None:\n            value = compute(key)\n"
            "            store[key] = value\n        return value\n\n    def clear():\n        store.clear()\n\n"
            "    lookup.clear = clear\n    return lookup\n")
    with indexed_files(tmp_path, {"cache.py": code}, tiny_embedder) as idx:
        hits = idx.search(Query("value = store.get(key, None)", k=3, mode="hybrid"))
    assert hits[0].qualified_name == "make_cache.lookup", [(h.qualified_name, h.signals.get("symbol")) for h in hits]
    assert [h.qualified_name for h in hits if h.signals.get("symbol") == "quoted"] == ["make_cache.lookup"]


def test_a_nested_types_name_finds_the_type_before_its_constructor(tmp_path, tiny_embedder) -> None:
    """jansi: `JansiOutputType` put the nested enum's constructor first and the enum second (probe 83)."""
    code = ("public class Console {\n    private static OutputKind kind;\n\n    /**\n     * Type of output.\n     */\n"
            "    enum OutputKind {\n        PASSTHROUGH(\"just pass through\"),\n        STRIP(\"strip escape codes\");\n\n"
            "        private final String description;\n\n        private OutputKind(String description) {\n"
            "            this.description = description;\n        }\n    }\n}\n")
    with indexed_files(tmp_path, {"src/Console.java": code}, tiny_embedder) as idx:
        hits = idx.search(Query("OutputKind", k=3, mode="hybrid"))
    assert hits[0].kind == "type" and hits[0].name == "OutputKind", [(h.kind, h.qualified_name) for h in hits]


def test_a_pasted_call_finds_its_definition_before_the_callers_that_hold_it(tmp_path, tiny_embedder) -> None:
    """Review: a caller holding `cfg = load_config(path)` as written came before load_config's definition."""
    files = {"src/util.py": "def load_config(path):\n    return parse(open(path).read())\n",
             "src/app.py": "def main(path):\n    cfg = load_config(path)\n    return run(cfg)\n",
             "src/cli.py": "def cli(path):\n    cfg = load_config(path)\n    return show(cfg)\n"}
    with indexed_files(tmp_path, files, tiny_embedder) as idx:
        for text in ("load_config(path)", "cfg = load_config(path)"):
            hits = idx.search(Query(text, k=3, mode="hybrid"))
            assert hits[0].name == "load_config", (text, [(h.name, h.signals.get("symbol")) for h in hits])


def test_a_name_given_to_a_definition_finds_the_definition_next(tmp_path, tiny_embedder) -> None:
    """ini: `stringify` and `parse` are `stringify: encode,` and `parse: decode,` in its exports: the binding came
    first, then `safe` and `unsafe` (they call JSON.parse), encode and decode far below (probe 155)."""
    files = {"lib/ini.js": "const decode = (str) => {\n  return str.split('\\n')\n}\n\n"
                           "const unsafe = (val) => {\n  return JSON.parse(val)\n}\n\n"
                           "module.exports = {\n  parse: decode,\n  unsafe,\n}\n",
             "cfg.py": "def read_file(path):\n    return open(path).read()\n\n\nload = read_file\n"}
    with indexed_files(tmp_path, files, tiny_embedder) as idx:
        parse = idx.search(Query("parse", k=3, mode="hybrid"))
        load = idx.search(Query("load", k=3, mode="hybrid"))
    assert [h.name for h in parse[:2]] == ["ini", "decode"], [(h.name, h.signals.get("symbol")) for h in parse]
    assert [h.name for h in load[:2]] == ["cfg", "read_file"], [(h.name, h.signals.get("symbol")) for h in load]


def test_a_pasted_line_with_its_message_finds_where_it_is_before_what_it_calls(tmp_path, tiny_embedder) -> None:
    """guzzle-promises: `$this->reject(new CancellationException('Promise has been cancelled'));` put five `reject`
    definitions before Promise::cancel, which holds the line (probe 157): a line with its message says where it is."""
    files = {"src/Promise.php": "<?php\nclass Promise\n{\n    public function reject($reason)\n    {\n"
                                "        $this->state = $reason;\n    }\n\n    public function cancel()\n    {\n"
                                "        $this->reject(new CancellationException('Promise has been cancelled'));\n    }\n}\n",
             "src/Rejected.php": "<?php\nclass Rejected\n{\n    public function reject($reason)\n    {\n"
                                 "        throw $reason;\n    }\n}\n",
             "py/tasks.py": "class Task:\n    def fail(self, reason):\n        self.reason = reason\n\n"
                            "    def stop(self):\n        self.fail(StoppedError(\"Task was stopped before it finished\"))\n",
             # an example in a doc comment is no place of the line (pkg/errors' package doc: review)
             "errors.go": "// Package errors wraps errors.\n//\n//     return errors.Wrap(err, \"read failed\")\n"
                          "package errors\n\n// Wrap annotates err.\nfunc Wrap(err error, message string) error {\n"
                          "\treturn err\n}\n"}
    with indexed_files(tmp_path, files, tiny_embedder) as idx:
        for text, name in (("$this->reject(new CancellationException('Promise has been cancelled'));", "cancel"),
                           ('self.fail(StoppedError("Task was stopped before it finished"))', "stop"),
                           ("self.fail(reason)", "fail"), ("$this->reject($reason);", "reject"),
                           ('errors.Wrap(err, "read failed")', "Wrap")):
            hits = idx.search(Query(text, k=3, mode="hybrid"))
            assert hits[0].name == name, (text, [(h.name, h.signals.get("symbol")) for h in hits])


# A caller that assigns a call's value to a member, or calls a name written from the top (`::Store::...`, `\Media\...`)
MEMBER_SET = {"cache.py": "def load_cache(name):\n    return open(name).read()\n\n\nclass Renderer:\n"
                          "    def __init__(self, name):\n        self.name = name\n        self.cache = load_cache(name)\n"
                          "        if self.cache is None:\n            self.cache = self.compile(name)\n",
              "view.js": "function readStore(key) {\n  return localStorage.getItem(key);\n}\n\nclass View {\n"
                         "  constructor(key) {\n    this.store = readStore(key);\n  }\n}\n",
              "src/Repo.php": "<?php\n\nclass Repo\n{\n    public function fetchRows($query)\n    {\n"
                              "        return $query;\n    }\n\n    public function __construct($query)\n    {\n"
                              "        $this->rows = $this->fetchRows($query);\n    }\n}\n",
              "src/Codec.php": "<?php\nnamespace Media;\n\nclass Codec\n{\n    public static function decode($raw)\n"
                               "    {\n        return $raw;\n    }\n}\n",
              "src/Player.php": "<?php\nnamespace Media;\n\nclass Player\n{\n    public function play($raw)\n    {\n"
                                "        $codec = \\Media\\Codec::decode($raw);\n        return $codec;\n    }\n}\n",
              "lib/store.rb": "module Store\n  class Decompressor\n    def self.find_by_method(method)\n"
                              "      registry[method]\n    end\n  end\n\n  class Reader\n    def open_entry(entry)\n"
                              "      @decompressor = ::Store::Decompressor.find_by_method(entry.method)\n"
                              "      @decompressor.new(entry)\n    end\n\n    def self.default(entry)\n"
                              "      @@fallback = ::Store::Decompressor.find_by_method(entry.method)\n    end\n  end\nend\n"}


@pytest.mark.parametrize("text, name", [("self.cache = load_cache(name)", "load_cache"),
                                        ("this.store = readStore(key);", "readStore"),
                                        ("$this->rows = $this->fetchRows($query);", "fetchRows"),
                                        ("@decompressor = ::Store::Decompressor.find_by_method(entry.method)",
                                         "find_by_method"),
                                        ("@@fallback = ::Store::Decompressor.find_by_method(entry.method)",
                                         "find_by_method"),
                                        ("::Store::Decompressor.find_by_method(entry.method)", "find_by_method"),
                                        ("$codec = \\Media\\Codec::decode($raw);", "decode"),
                                        ("\\Media\\Codec::decode($raw)", "decode")])
def test_a_pasted_call_assigned_to_a_member_or_named_from_the_top_finds_its_definition(tmp_path, tiny_embedder, text,
                                                                                        name) -> None:
    """rubyzip: `decompressor_class = ::Zip::Decompressor.find_by_compression_method(...)` put its caller
    get_decompressor first, and `self.cache = load_cache(name)` the caller Renderer.__init__ (probe 98): a leading
    `::` or `\\`, or a member as the target (`self.`, `this.`, `$this->`, `@`, `@@`), left the line words."""
    with indexed_files(tmp_path, MEMBER_SET, tiny_embedder) as idx:
        hits = idx.search(Query(text, k=3, mode="hybrid"))
    assert hits[0].name == name and hits[0].signals.get("symbol") in ("exact", "fuzzy"), \
        (text, [(h.qualified_name, h.signals.get("symbol")) for h in hits])


def test_a_long_name_or_pasted_call_is_read_in_linear_time() -> None:
    """colorama: `FillConsoleOutputCharacter` took 37 s, `win32.SetConsoleCursorPosition(handle, position,
    adjust=False)` never came back (probe 89): a typed local's type pattern nested one repetition in another, so a
    run of name characters was split every way. A hang guard, not a speed target: linear takes microseconds."""
    from conftest import hang_guard

    texts = ["FillConsoleOutputCharacter" * 3, "win32.SetConsoleCursorPosition(handle, position, adjust=False)",
             "private " + "X" * 80, "final " + "a.b" * 40 + " = f(x)", "con." + "Fill" * 20 + "(h, c, n, s)",
             "a." * 20, "x.y." * 10 + "?",  # a dotted name that fails: every language's pattern was tried per part
             "@" + "a." * 40 + "b = f(x", "$this->" + "a->" * 40 + "b == f(x)"]  # a member chain assigned to (probe 98)
    with hang_guard(30, "reading a long name backtracks exponentially"):
        read = [QueryTerms.parse(text).typed for text in texts]
    assert read == texts


def test_one_identifier_pattern_takes_every_languages_identifiers() -> None:
    """The merged pattern (not an alternation: probe 90) matches whatever any language's own pattern does."""
    import re

    from codesearch.languages import SPECS, identifier_pattern

    samples = ["parseConfig", "_private", "paid?", "save!", "name=", "$name", "$", "jQuery$", "$scope", "__init__",
               "a1", "x"]
    merged = re.compile(identifier_pattern())
    for spec in SPECS:
        for sample in samples:
            if re.fullmatch(spec.identifier, sample):
                assert merged.fullmatch(sample), (spec.name, sample)


def test_a_call_pasted_on_one_line_finds_it_written_over_several(tmp_path, tiny_embedder) -> None:
    """formidable: ``this._error(new FormidableError(`cannot create directory`, errors.cannotCreateDir, 409));`` found
    `_error`, the function it calls, and not `_newFile` in the first ten, which writes the call over five lines with a
    formatter's trailing comma (probe 100): the layout is undone on both sides before the line is looked for."""
    code = ("const fs = require('fs/promises');\n\nclass Uploader {\n  async makeDir(dir) {\n    try {\n"
            "      await fs.mkdir(dir, { recursive: true });\n    } catch (err) {\n      this.fail(new UploadError(\n"
            "        `cannot create directory`,\n        codes.cannotCreateDir,\n        409,\n      ));\n    }\n  }\n\n"
            "  fail(err) {\n    this.error = err;\n  }\n}\nmodule.exports = Uploader;\n")
    with indexed_files(tmp_path, {"uploader.js": code}, tiny_embedder) as idx:
        hits = idx.search(Query("this.fail(new UploadError(`cannot create directory`, codes.cannotCreateDir, 409));", k=3,
                                mode="hybrid"))
    # the definition of the name it calls first (as for any pasted call), then where the line is
    assert [(h.qualified_name, h.signals.get("symbol")) for h in hits[:2]] == [
        ("Uploader.fail", "exact"), ("Uploader.makeDir", "quoted")], [(h.qualified_name, h.signals) for h in hits]


@pytest.mark.parametrize("text,read", [
    ("Query().tags.any(['python', 'db'])", "Query.any"),  # the member called on what was made, past an attribute
    # statements pasted: what the last calls, on what an earlier one made (XOM's Builder.build: probe 103)
    ("Builder parser = new Builder(); Document doc = parser.build(file);", "Builder.build"),
    # the member called on what a factory made (dayjs' `dayjs().add(1, 'day')`: probe 166); croniter is its class
    ("croniter('*/5 * * * *', base).get_next(datetime)", "croniter.get_next"), ("dayjs().add(1, 'day')", "dayjs.add"),
    ("super().__init__(name)", None), ("open(path).read()", None), ("str(value).lower()", None),  # no factories (review)
    ('p.AllowAttrs("href").OnElements("a")', "OnElements"),  # a builder's last step, on a receiver (probe 107)
    ("requests.get(url).json()", "json"), ("a(1).b", None), ("p.a(1).b(", None),  # no call closed at its end
    ('expect(parseDate("2020-01-01")).toBe(3)', None),  # a test's assertion keeps its words (review)
    ("x = load(a); save(x)", None), ("foo(1) + bar(2)", None),
    # an example ending in a print is about what it made, not the print (review); a comment's apostrophe is no string
    ("p = Parser()\nresult = p.parse(text)\nprint(result)", "Parser.parse"),
    # a call's first lines, pasted from inside its arguments (go-cmp's `cmp.Comparer(func(x, y float64) bool {`: probe
    # 200); a test's block is not its `describe`
    ("opt := cmp.Comparer(func(x, y float64) bool {\n\tdelta := math.Abs(x - y)", "cmp.Comparer"),
    ("const worker = setupWorker(\n  http.get('/user', ({ request }) => {", "setupWorker"),
    ("describe('cart', () => {\n  it('adds', () => {", None),
    # a bare function given a callback is the function (request's README: probe 276); a test hook's is not
    ("request('http://www.google.com', function (error, response, body) {", "request"),
    ("request('http://x', (err, res) => {\n  console.log(res)", "request"),
    ("beforeEach(function () {", None), ("afterEach(async () => {", None), ("xit('adds', () => {", None),
    ("setup(function () {\n    this.store = createStore({ items: [] });", None),
    ('Convey("Given a cart", t, func() {', None),  # test blocks of other runners (review)
    # Python's `with X() as name:` makes name (pyramid's README: probe 286); a builtin's does not
    ("with Configurator() as config:\n    config.add_route('hello', '/')\n    app = config.make_wsgi_app()",
     "Configurator.make_wsgi_app"), ("with open(path) as f:\n    data = f.read()", None),
    # a `with` line alone asks for the call it makes (vcrpy's README `with vcr.use_cassette('synopsis.yaml'):` found
    # a fixture loader first: probe 287), not a builtin's
    ("with vcr.use_cassette('fixtures/synopsis.yaml'):", "vcr.use_cassette"),
    ("async with session.get(url) as resp:", "session.get"), ("with open(path) as f:", None),
    # a Ruby template's tag calls its helper, brackets or none (kaminari's README: probe 284); its control is none
    ("<%= paginate @users %>", "paginate"), ("<%= link_to_next_page @users, 'Next' %>", "link_to_next_page"),
    ('<%= render partial: "form" %>', "render"), ("<% if x > 1 %>", None), ("<% unless current_user %>", None),
    ("<% total = 0 %>", None), ("<%= @user.name %>", None),
    # a chain of several steps on what a factory made asks for its last step (stylus' README `stylus(str).set(...)
    # .render(function(err, css){`: probe 295), the steps before it chained
    ("sheet(str).set('filename', file).render(fn)", "sheet.render"),
    ("stylus(str).set('filename', file).render(function(err, css){", "stylus.render"),
    ("new Mac(alg, key).update(d).signHex(data)", "Mac.signHex"),
    # a Ruby block pasted whole, whose lines only set what the block is given, asks for the call that gives it
    # (kaminari's README `Kaminari.configure do |config| ... end`: probe 284); a block doing more stays words
    ("Kaminari.configure do |config|\n  config.default_per_page = 10\n  config.max_per_page = nil\nend",
     "Kaminari.configure"), ("RSpec.configure { |c|\n  c.order = :random\n  c.disable_monkey_patching!\n}",
                             "RSpec.configure"),
    ("Devise.setup do |config| config.timeout_in = 30.minutes end", "Devise.setup"),
    ("items.each do |item|\n  process(item)\nend", None), ("users.each do |u|\n  u.save\n  notify(u)\nend", None),
    ("records.each do |r|\n  r.destroy\nend", None), ("File.open(path) do |f|\n  f.write(data)\nend", None),  # (review)
    ("how do I send email when a user signs up do |x| x.foo = 1 end", None), ("with caching (redis):", None),
    # a callback's block whose call keeps no value, prose's open bracket: their words (review)
    ('t.Run("x", func(t *testing.T) {\n\tgot := ParseDate(s)', None), ("app.get('/users', async (req, res) => {\n  x()", None),
    # a method's call cut where its callback opens, nothing after it, is the call (mysql's README `connection
    # .changeUser({user : 'john'}, function(err) {`: probe 299); a test block so cut is not
    ("connection.changeUser({user : 'john'}, function(err) {", "connection.changeUser"),
    ("pool.getConnection(function(err, connection) {", "pool.getConnection"), ("connection.end(function(err) {", "connection.end"),
    ("test.describe('cart', () => {", None), ("it('adds', () => {", None),
    # (review) a test block's modifiers, a route, a Go subtest, cut there too: their words
    ("it.only('adds', () => {", None), ("describe.skip('cart', () => {", None), ("test.describe.parallel('x', () => {", None),
    ('t.Run("parses dates", func(t *testing.T) {', None), ("app.get('/', (req, res) => {", None),
    ("router.post('/login', function(req, res) {", None),
    # a value shown converted asks for the call converted (@ethereumjs/block's README `console.log(Number(block.header
    # .calcNextBaseFee()))` found numberToHex first: probe 303)
    ("console.log(Number(block.header.calcNextBaseFee()))", "block.header.calcNextBaseFee"),
    ("print(int(h.calc_next_base_fee()))", "h.calc_next_base_fee"), ("console.log(String(x))", None),
    ("retry (with backoff\nfor failures", None),
    # a decorator, an import or a comment beside the one statement pasted (review)
    ("@app.route('/')\ndef index():", "index"), ("import requests\nrequests.get(url)", "requests.get"),
    ("# don't do this\nb = Builder()\nb.build(file)", "Builder.build"),
    ("cfg = load_config(path);", "load_config"), ("mapstructure.Decode(input, &result)", "mapstructure.Decode"),
    ('strings.TrimSuffix(s, ")")', "strings.TrimSuffix"), ("x = foo(a, \")\");", "foo"),  # a bracket in a string (review)
    # a React hook's result destructured (probe 115)
    ("const { data, isPending } = useQuery({ queryKey: ['todos'], queryFn: fetchTodos })", "useQuery"),
    ("const [count, setCount] = useState(0)", "useState"), ("where is { a } = b handled", None),
    # a field given a call's value asks for the call (slf4j's `LOG` found `log` methods: probe 169); PHP's `array(`
    # is no call, `new HashMap<>()` no name of the code's
    ("private static final Logger LOG = LoggerFactory.getLogger(MyService.class);", "LoggerFactory.getLogger"),
    ("protected $routeTable = array(", "routeTable"),
    ("private final Map<String, String> entryStore = new HashMap<>();", "entryStore"),
    # a call given type arguments is the call (@tldraw/store's README: probe 228), and given to a local, `new` too
    ("const Book = createRecordType<Book>('book')", "createRecordType"), ("const s = new Store<Book>({ a })", "Store"),
    # Go's statement before an `if`'s condition (hcl's README: probe 234); one calling nothing stays words
    ("if err := hcl.Decode(&config, string(data)); err != nil {", "hcl.Decode"), ("switch v := f(x); v {", "f"),
    ("if x := 1; x > 0 {", None),
    # a name called as the pasted import brought it in, by its module (jsonpath-ng's README: probe 229)
    ("from jsonpath_ng.ext import parse\nexpr = parse('foo[*].baz')", "jsonpath_ng.ext.parse"),
    ("from a.b import x as parse\nparse(1)", "a.b.x"), ("from pkg import other\nparse(1)", "parse"),
    # a README's call cut after an argument, or its chain going on at the next line (@anthropic-ai/sdk: probe 230)
    ("const stream = client.messages.stream({ model: 'claude-3-5-sonnet-latest', max_tokens: 1024,",
     "client.messages.stream"),
    ("const stream = client.messages\n    .stream({\n      model: 'x',\n      max_tokens: 1024,\n    });",
     "client.messages.stream"), ("p.a(1).b(", None),
    ("private static final Foo<T> FOO = Foos.create<T>(x);", "Foos.create"),
    # a compiler's call of an imported function, pasted from a package's lib/: Babel's and TypeScript's (probe 177)
    ("(0, _assertString.default)(str);", "assertString"), ("var x = (0, _merge.default)(options, defaults);", "merge"),
    ("return (0, utils_1.isObject)(value);", "utils.isObject"), ("(0, _util.toDate)(date)", "util.toDate"),
    # a Go type defined as another type, pasted (go-flags' `type ErrorType uint`: probe 181); a question stays one
    ("type Options uint", "Options"), ("type HandlerFunc func(w http.ResponseWriter, r *http.Request)", "HandlerFunc"),
    ("type Set map[string]bool", "Set"), ("type conversion helpers", None),
    # a tagged template is a call of its tag (graphql-request's README: probe 203); a name quoted in prose is none
    ("const document = gql`{ company { ceo } }`", "gql"), ("const Button = styled.div`color: red;`", "styled.div"),
    ("what does `parseConfig` do", None), ("use the `gql` tag", None),
    # a call shown or measured: the call inside is asked for (humanfriendly's README: probe 204)
    ('print("You entered:", format_size(num_bytes, binary=True))', "format_size"), ("len(parse_size(x))", "parse_size"),
    ("System.out.println(kryo.readObject(input, A.class));", "kryo.readObject"), ("print(a(1), b(2))", None),
    ("console.log(formatBytes(n))", "formatBytes"),
    ('mytemplate = Template("hello ${name}")\nprint(mytemplate.render(name="jack"))', "Template.render"),  # probe 208
    # a chain's calls pasted without their receiver (java-html-sanitizer's README: probe 206)
    ('.allowAttributes("href").onElements("a")', "onElements"), ('.allowElements("a")', "allowElements"),
    ("->setCode(Uuid::INVALID_VARIANT_ERROR)", "setCode"), (".then(res => res.json())", None), ("...args", None),
    # a Ruby call given a block on its line (rack-attack's README rules: probe 211); a test's block is none
    ('Rack::Attack.throttle("requests by ip", limit: 5, period: 2) do |request|', "Rack::Attack.throttle"),
    ('Shop::Limits.throttle("by ip", limit: 5) { |req| req.ip }', "Shop::Limits.throttle"), ('it("adds") do', None)])
def test_a_pasted_call_is_read_as_one_name_only_when_it_is_one_call(text, read) -> None:
    """tinydb's `Query().tags.any([...])` and croniter's `croniter(...).get_next(...)` were read as `Query` and
    `croniter`, XOM's two statements as `Builder`: the first call's arguments ran to the text's last bracket (probes 99,
    103). A call's arguments end at their own bracket; a chain of calls asks for its last (bluemonday's builder:
    probe 107); anything else after them is no single name, and keeps its words."""
    terms = QueryTerms.parse(text)
    assert (terms.text if terms.name else None) == read, (terms.text, terms.name)


def test_a_pasted_example_finds_the_type_it_makes_and_what_the_type_inherits(tmp_path, tiny_embedder) -> None:
    """interceptors' README: `const interceptor = new ClientRequestInterceptor()` then `interceptor.on('request', ...)`
    was searched as words: the class's methods first, the class not in ten (probe 197). The type made comes first, then
    the member it inherits, which it does not define."""
    files = {"src/emitter.ts": "export class Emitter {\n  /** Add a listener for an event. */\n"
                               "  public on(event: string, listener: Function): this {\n    this.add(event, listener)\n"
                               "    return this\n  }\n}\n",
             "src/interceptor.ts": "export class ClientRequestInterceptor extends Emitter {\n"
                                   "  /** Announce a request to every request listener. */\n"
                                   "  onRequest(request: Request) {\n    this.emit('request', { request })\n  }\n\n"
                                   "  setup() {\n    this.onRequest(new Request('x'))\n  }\n}\n"}
    with indexed_files(tmp_path, files, tiny_embedder) as idx:
        hits = idx.search(Query("const interceptor = new ClientRequestInterceptor()\n"
                                "interceptor.on('request', ({ request, controller }) => {})", k=3, mode="hybrid"))
    assert [h.qualified_name for h in hits[:2]] == ["ClientRequestInterceptor", "Emitter.on"], [
        (h.qualified_name, h.signals.get("symbol")) for h in hits]


def test_a_php_call_on_a_variable_finds_the_methods_of_that_name(tmp_path, tiny_embedder) -> None:
    """EmailValidator: `$validator->isValid("a@b.c", new RFCValidation());` named no unit, and ValidResult::isValid
    came before EmailValidator::isValid by its file's other match, isInvalid (probe 103): a member called on a variable
    the code defines nothing by, written with `->`, finds the definitions of that member, as `sig.connect` does."""
    files = {"src/EmailValidator.php": (
                 "<?php\nnamespace Acme\\EmailValidator;\nclass EmailValidator\n{\n    private $warnings = [];\n\n"
                 "    public function isValid(string $email, EmailValidation $validation): bool\n    {\n"
                 "        $isValid = $validation->isValid($email, new EmailLexer());\n"
                 "        $this->warnings = $validation->getWarnings();\n        return $isValid;\n    }\n}\n"),
             "src/Result/ValidResult.php": (
                 "<?php\nnamespace Acme\\EmailValidator;\nclass ValidResult\n{\n    public function isValid(): bool\n    {\n"
                 "        return true;\n    }\n\n    public function isInvalid(): bool\n    {\n        return false;\n    }\n}\n")}
    with indexed_files(tmp_path, files, tiny_embedder) as idx:
        hits = idx.search(Query('$validator->isValid("a@b.c", new RFCValidation());', k=3, mode="lexical"))
    named = [(h.qualified_name, h.signals.get("symbol")) for h in hits if h.signals.get("symbol")]
    assert [q.rsplit("\\", 1)[-1] for q, _ in named] == ["EmailValidator::isValid", "ValidResult::isValid"], named


def test_an_error_message_pasted_from_a_log_finds_the_code_that_writes_it(tmp_path, tiny_embedder) -> None:
    """polib: "unescaped double quote found", the words of an error message `_POFileParser.parse` raises, put
    `unescape_repl` first (its name shares "unescap") and parse seventh, behind four tests (probe 99): a question of
    three words or more that a main-code string holds as written names the unit that writes it; a comment does not."""
    files = {"polib.py": ("def unescape_repl(m):\n    \"\"\"Unescape one escaped quote or backslash.\"\"\"\n"
                          "    return {'n': '\\n', 't': '\\t'}[m.group(1)]\n\n\n"
                          "def unescape(text):\n    return re.sub(r'\\\\(.)', unescape_repl, text)\n\n\n"
                          "class Parser:\n    def parse(self, line):\n        if line.count('\"') % 2:\n"
                          "            raise IOError('Syntax error in po file (line %s): unescaped double quote found' % 3)\n"
                          "        return line\n\n    def quote(self, text):\n"
                          "        # no unescaped double quote found here, it is escaped\n        return text\n\n"
                          "    def explain(self):\n        \"\"\"Unescaped double quote found: what the error means.\"\"\"\n"
                          "        return HELP\n")}  # a docstring's or a comment's words are no string the code writes
    with indexed_files(tmp_path, files, tiny_embedder) as idx:
        hits = idx.search(Query("unescaped double quote found", k=3, mode="hybrid"))
        # as a log prints it, its type before it (probe 148: `java.io.IOException: incorrect header check`)
        typed = idx.search(Query("OSError: unescaped double quote found", k=3, mode="hybrid"))
    assert hits[0].qualified_name == "Parser.parse" and hits[0].signals.get("symbol") == "quoted", [
        (h.qualified_name, h.signals.get("symbol")) for h in hits]
    assert typed[0].qualified_name == "Parser.parse" and typed[0].signals.get("symbol") == "quoted"
    assert [h.qualified_name for h in hits if h.signals.get("symbol")] == ["Parser.parse"]


OPTIONS = {"src/OptionsResolver.php": (
    "<?php\n\nclass OptionsResolver\n{\n    /** Whether an option is missing from what was given. */\n"
    "    public function isMissing(string $option): bool\n    {\n        return !isset($this->given[$option]);\n    }\n\n"
    "    /** Merges the given options with the defaults and checks what is required is there. */\n"
    "    public function resolve(array $options = []): array\n    {\n"
    "        if (\\count($diff = array_diff_key($this->required, $options)) > 0) {\n"
    "            throw new MissingOptionsException(sprintf('The required option \"%s\" is missing.', current($diff)));\n"
    "        }\n        return $options;\n    }\n\n"
    "    /** The required option is missing unless set: see resolve(). */\n"
    "    public function isRequired(string $option): bool\n    {\n"
    "        // The required option \"%s\" is missing: said in resolve()\n        return isset($this->required[$option]);\n"
    "    }\n}\n")}


@pytest.mark.parametrize("text", ['The required option "host" is missing.', 'error: The required option "db" is missing'])
def test_an_error_message_logged_with_its_placeholders_filled_finds_its_code(tmp_path, tiny_embedder, text) -> None:
    """Symfony's options-resolver: `The required option "host" is missing.`, as a log prints `'The required option
    "%s" is missing.'`, put isMissing first and resolve fourth, never marked as quoted (probe 130): a string's
    printf or format placeholders match what fills them; a comment that writes the pattern is no string."""
    with indexed_files(tmp_path, OPTIONS, tiny_embedder) as idx:
        hits = idx.search(Query(text, k=3, mode="hybrid"))
    assert [h.qualified_name for h in hits if h.signals.get("symbol") == "quoted"] == ["OptionsResolver::resolve"], [
        (h.qualified_name, h.signals.get("symbol")) for h in hits]
    assert hits[0].qualified_name == "OptionsResolver::resolve"
    from codesearch.search.ranking import FILL_LINE_MAX, _fills  # a bundle's long line is read as no pattern (review)
    assert _fills("the option host is missing", "throw err('the option %s is missing')")
    assert not _fills("the option host is missing", "throw err('the option %s is missing')" + " " * FILL_LINE_MAX)


def test_a_pasted_line_is_found_past_the_many_units_its_outer_name_finds(tmp_path, tiny_embedder) -> None:
    """var-dumper: `$dumper->dump($cloner->cloneVar($var));`, word for word in VarDumper::register, was looked for only
    among the first 50 units the words found, all `dump` methods; register was not in the first ten (probe 132)."""
    from codesearch.search.searcher import QUOTED_POOL

    files = {f"src/Dumper{i}.php": (f"<?php\nclass Dumper{i}\n{{\n    public function dump($data)\n    {{\n"
                                    "        $dumper = $this->dumper;\n        $dumper->dump($data);\n"
                                    "        return $dumper;\n    }\n}\n") for i in range(QUOTED_POOL + 10)}
    files["src/VarDumper.php"] = ("<?php\nclass VarDumper\n{\n    private static function register(): void\n    {\n"
                                  "        $cloner = new VarCloner();\n        $dumper = new CliDumper();\n"
                                  "        self::$handler = function ($var) use ($cloner, $dumper) {\n"
                                  "            $dumper->dump($cloner->cloneVar($var));\n        };\n    }\n}\n")
    with indexed_files(tmp_path, files, tiny_embedder) as idx:
        hits = idx.search(Query("$dumper->dump($cloner->cloneVar($var));", k=5, mode="hybrid"))
    assert "quoted" in [h.signals.get("symbol") for h in hits if h.path == "src/VarDumper.php"], [
        (h.path, h.qualified_name, h.signals.get("symbol")) for h in hits]


def test_a_unit_holding_a_pasted_line_opens_at_that_line(tmp_path, tiny_embedder) -> None:
    """cssselect: `expressions.append("%s <= %s" % (siblings_count, b_min_1))` was found in its function but shown at
    the function's first line, 98 lines above (probe 135): a function holding the line pasted, or a message, opens
    there, as a type or module piece opens at the question's words; a line written over two opens where it starts."""
    body = "".join(f"    step_{i} = prepare(step_{i - 1})\n" for i in range(1, 40))
    files = {"pipeline.py": (f"def run_pipeline(step_0):\n{body}    result = merge_parts(step_1, step_2,\n"
                             "                         weights=[0.5, 0.5])\n"
                             "    if not result:\n        raise ValueError('no parts were merged for the pipeline')\n"
                             "    return result\n")}
    with indexed_files(tmp_path, files, tiny_embedder) as idx:
        pasted = idx.search(Query("result = merge_parts(step_1, step_2, weights=[0.5, 0.5])", k=3, mode="hybrid"))
        logged = idx.search(Query("no parts were merged for the pipeline", k=3, mode="hybrid"))
    (holder,) = [h for h in pasted if h.signals.get("symbol") == "quoted"]
    assert holder.focus() == 41 and holder.to_dict()["signals"]["focus"] == 41, holder.signals
    (writer,) = [h for h in logged if h.signals.get("symbol") == "quoted"]
    assert writer.focus() == 44
    from codesearch.search.searcher import _elided  # a text with lines left out is not the file's: no focus by index
    assert _elided("class A:\n    …\n    x = 1") and not _elided("def f():\n    return '…'")


def test_an_overloaded_function_opens_at_its_implementation(tmp_path, tiny_embedder) -> None:
    """redux: `compose`, `createStore`, `applyMiddleware` were shown as their overload signatures, the implementation
    below them (probe 135), though their vectors read the implementation (units.past_overloads)."""
    with indexed_files(tmp_path, {"src/compose.ts": 'export function compose(): <R>(a: R) => R\nexport function compose<F extends Function>(f: F): F\nexport function compose<A, R>(f1: (a: A) => R): (a: A) => R\nexport function compose<A, B, R>(f1: (b: B) => R, f2: (a: A) => B): (a: A) => R\nexport function compose(...funcs: Function[]) {\n  if (funcs.length === 0) {\n    return <T>(arg: T) => arg\n  }\n  return funcs.reduce((a, b) => (...args: any) => a(b(...args)))\n}\n'}, tiny_embedder) as idx:
        (hit,) = [h for h in idx.search(Query("compose", k=3, mode="hybrid")) if h.name == "compose"]
    assert hit.focus() == 5 and hit.start_line == 1, (hit.start_line, hit.signals.get("focus"))


def test_prototype_is_no_word_of_a_methods_name(tmp_path, tiny_embedder) -> None:
    """ejs: "how does it avoid prototype pollution when copying options" put Template.prototype.compile first and
    its include second by the word "prototype" in their names, every method set on a prototype holding it (probe 136);
    the method's name is still found as written."""
    files = {
        'lib/merge.js': ('// Copy own keys from source into target, skipping __proto__ and const'
            'ructor\n// so that untrusted input cannot pollute Object.prototype.\nexp'
            'orts.safeAssign = function (target, source) {\n  for (var key in source'
            ') {\n    if (!Object.prototype.hasOwnProperty.call(source, key)) contin'
            "ue;\n    if (key === '__proto__' || key === 'constructor') continue;\n  "
            '  target[key] = source[key];\n  }\n  return target;\n};\n'),
        'lib/widget.js': ('function Widget(opts) {\n  this.opts = opts || {};\n}\n\nWidget.prototype.'
            'render = function (target) {\n  var html = \'<div class="widget">\' + thi'
            "s.opts.title + '</div>';\n  target.innerHTML = html;\n  return html;\n};\n"
            '\nWidget.prototype.resize = function (w, h) {\n  this.width = w;\n  this.'
            'height = h;\n};\n\nWidget.prototype.destroy = function () {\n  this.opts ='
            ' null;\n};\n\nmodule.exports = Widget;\n'),
    }
    with indexed_files(tmp_path, files, tiny_embedder) as idx:
        hits = idx.search(Query("how is prototype pollution prevented", k=4, mode="hybrid"))
        named = idx.search(Query("Widget.prototype.render", k=3, mode="hybrid"))
    assert not any(h.signals.get("name_match") for h in hits), [(h.qualified_name, h.signals.get("name_match")) for h in hits]
    assert named[0].qualified_name == "Widget.prototype.render" and named[0].signals.get("symbol") == "exact"
    from codesearch.parse.lexical import unit_fields
    assert unit_fields("render", "Widget.prototype.render", "lib/widget.js", "", "")[0].split() == ["widget", "render"]


CRAWLER = {'src/ChoiceFormField.php': "<?php\nnamespace App;\n\nclass ChoiceFormField extends FormField\n{\n    protected function initialize()\n    {\n        $this->value = $this->node->getAttribute('value');\n    }\n}\n", 'src/Crawler.php': "<?php\nnamespace App;\n\nclass Crawler\n{\n    /**\n     * Selects a button by name or alt value for images.\n     */\n    public function selectButton(string $value)\n    {\n        return $this->filterRelativeXPath(sprintf('descendant-or-self::input[@value=%s]', $value));\n    }\n\n    /**\n     * Returns a Form object for the first node in the list.\n     */\n    public function form(?array $values = null)\n    {\n        $form = new Form($this->getNode(0));\n        if (null !== $values) {\n            $form->setValues($values);\n        }\n        return $form;\n    }\n}\n", 'src/FileFormField.php': "<?php\nnamespace App;\n\nclass FileFormField extends FormField\n{\n    protected function initialize()\n    {\n        $this->value = $this->node->getAttribute('value');\n    }\n}\n", 'src/Form.php': '<?php\nnamespace App;\n\nclass Form\n{\n    private $fields;\n\n    public function setValues(array $values)\n    {\n        foreach ($values as $name => $value) {\n            $this->fields->set($name, $value);\n        }\n        return $this;\n    }\n}\n', 'src/FormField.php': '<?php\nnamespace App;\n\nabstract class FormField\n{\n    protected $value;\n\n    public function getValue()\n    {\n        return $this->value;\n    }\n}\n', 'src/InputFormField.php': "<?php\nnamespace App;\n\nclass InputFormField extends FormField\n{\n    protected function initialize()\n    {\n        $this->value = $this->node->getAttribute('value');\n    }\n}\n", 'src/TextareaFormField.php': "<?php\nnamespace App;\n\nclass TextareaFormField extends FormField\n{\n    protected function initialize()\n    {\n        $this->value = $this->node->getAttribute('value');\n    }\n}\n"}


def test_a_pasted_chain_names_every_member_it_calls(tmp_path, tiny_embedder) -> None:
    """dom-crawler: `$form = $crawler->selectButton('Submit')->form();` was read as `form` alone, and every Form type
    filled the list; selectButton came last of 22 (probe 138). The chain's last member is named first, the members
    it calls on the way right after."""
    with indexed_files(tmp_path, CRAWLER, tiny_embedder) as idx:
        hits = idx.search(Query("$form = $crawler->selectButton('Submit')->form();", k=4, mode="hybrid"))
    named = [(h.qualified_name.rsplit("\\", 1)[-1], h.signals.get("symbol")) for h in hits[:2]]
    assert named == [("Crawler::form", "exact"), ("Crawler::selectButton", "chained")], named
    # a call inside an argument is no step of the chain (review)
    assert QueryTerms.parse("items.map(x => x.get(k)).filter(Boolean)").chained == ("map",)
    assert QueryTerms.parse("app.use(express.static(path.join(__dirname, 'public')))").chained == ()
    assert QueryTerms.parse("program.option('it\\'s', 'x').action(cb).parse()").chained == ("option", "action")


@pytest.mark.parametrize("pasted,first,chained", [
    ("Zeta.getInstance().unescape(line)", "Zeta.unescape", "Zeta.getInstance"),
    ("String s = Zeta.getInstance().unescape(line);", "Zeta.unescape", "Zeta.getInstance")])
def test_a_pasted_chain_means_the_member_of_the_type_it_starts_from(tmp_path, tiny_embedder, pasted, first,
                                                                   chained) -> None:
    """ini4j: `EscapeTool.getInstance().unescape(line)` put Wini.unescape first, both exact and tied, ordered by path
    (probe 164): the type the chain starts from owns the member meant; a PHP chain's `::` step is one of its steps."""
    files = {"src/Alpha.java": "package p;\n\npublic class Alpha\n{\n    /** Unescape a line. */\n"
                               "    public String unescape(String line)\n    {\n        return unescapeLine(line);\n    }\n}\n",
             "src/a/Zeta.java": "package p.a;\n\npublic class Zeta\n{\n    private static final Zeta INSTANCE = new Zeta();\n\n"
                                "    public static Zeta getInstance()\n    {\n        return INSTANCE;\n    }\n\n"
                                "    public String unescape(String line)\n    {\n        return line.strip();\n    }\n}\n"}
    with indexed_files(tmp_path, files, tiny_embedder) as idx:
        hits = idx.search(Query(pasted, k=3, mode="hybrid"))
    assert [(h.qualified_name, h.signals.get("symbol")) for h in hits] == [
        (first, "exact"), ("Alpha.unescape", "exact"), (chained, "chained")]
    assert QueryTerms.parse("$x = Uuid::uuid4()->toString();").chained == ("uuid4",)
    # Go's `if x := f(); cond {`: the condition's calls are none of the statement's chain (paho's README put
    # `Wait` and `Error` beside `Subscribe`: probe 287)
    go = QueryTerms.parse('if token := c.Subscribe("go-mqtt/sample", 0, nil); token.Wait() && token.Error() != nil {')
    assert go.text == "c.Subscribe" and go.chained == (), (go.text, go.chained)
    assert QueryTerms.parse("$x = Uuid::uuid4()->toString();").chain_head == "Uuid"
    assert QueryTerms.parse("res.setHeader('a', b)").chain_head == ""


def test_a_unit_after_code_on_its_line_is_previewed_with_that_code(tmp_path, tiny_embedder) -> None:
    """decimal.js: `P.squareRoot = P.sqrt = function () {` was previewed as `               P.sqrt = function () {`,
    the name its docs use blanked: the unit starts at `P.sqrt`, and its first line was padded as if indented (probe
    143). Code before it on its line is shown as written; indent stays indent."""
    from codesearch.cli.output import preview

    files = {"lib.js": "var P = {};\n\nP.squareRoot = P.sqrt = function () {\n  var r = Math.sqrt(this.v);\n"
                       "  return r;\n};\n\nconst api = {\n  double: function (x) {\n    return x * 2;\n  },\n};\n"}
    with indexed_files(tmp_path, files, tiny_embedder) as idx:
        sqrt = next(h for h in idx.search(Query("P.sqrt", k=3, mode="hybrid")) if h.name == "sqrt")
        double = next(h for h in idx.search(Query("double", k=3, mode="hybrid")) if h.name == "double")
    assert preview(sqrt)[1][0] == "P.squareRoot = P.sqrt = function () {", preview(sqrt)
    assert preview(double)[1][0] == "  double: function (x) {", preview(double)
    # bytes, not characters, before it (review: `P.racineCarrée = P.sqrt` showed `...Carrée = PP.sqrt`), and only what
    # assigns it: another unit before it on its line is not shown with it (review)
    files = {"lib.js": "P.racineCarrée = P.sqrt = function () {\n  return Math.sqrt(this.v);\n};\n",
             "one.js": "function alpha(a) { return a + 1 } function beta(b) {\n  return b * 2\n}\n"}
    with indexed_files(tmp_path / "more", files, tiny_embedder) as idx:
        sqrt = next(h for h in idx.search(Query("P.sqrt", k=3, mode="hybrid")) if h.name == "sqrt")
        beta = next(h for h in idx.search(Query("beta", k=3, mode="hybrid")) if h.name == "beta")
    assert preview(sqrt)[1][0] == "P.racineCarrée = P.sqrt = function () {", preview(sqrt)
    assert "alpha" not in preview(beta)[1][0] and "written_before" not in beta.signals
    # a class assigned so, laid on its file's lines (stylus' `module.exports = class FSCache {` was previewed as
    # `                 class FSCache {`: probe 295)
    files = {"lib/fs.js": ("'use strict';\n\n/**\n * A least recently used cache kept on disk.\n */\n"
                           "module.exports = class FSCache {\n  constructor(options) {\n    this.limit = options.limit;\n"
                           "  }\n\n  set(key, value) {\n    this.write(key, value);\n  }\n};\n")}
    with indexed_files(tmp_path / "class", files, tiny_embedder) as idx:
        cache = next(h for h in idx.search(Query("FSCache", k=3, mode="hybrid")) if h.name == "FSCache")
    assert preview(cache)[1][0] == "module.exports = class FSCache {", preview(cache)


def test_a_pasted_chains_steps_are_the_calls_not_types_of_their_names(tmp_path, tiny_embedder) -> None:
    """go-ini: `cfg.Section("server").Key("port").MustInt(8080)` put `type Key` and `type Section` before the methods
    the chain calls (probe 143): a step of a chain is a call, so only functions and methods of its name are named."""
    files = {"key.go": "package ini\n\n// Key is one key of a section.\ntype Key struct {\n\tname string\n}\n\n"
                       "// MustInt returns the value as an int, or the default.\nfunc (k *Key) MustInt(d int) int {\n"
                       "\treturn d\n}\n",
             "section.go": "package ini\n\n// Section is one section of a file.\ntype Section struct {\n\tname string\n}\n\n"
                           "// Key returns the key of that name.\nfunc (s *Section) Key(name string) *Key {\n"
                           "\treturn &Key{name: name}\n}\n",
             "file.go": "package ini\n\n// Section returns the section of that name.\nfunc (f *File) Section(name string) *Section {\n"
                        "\treturn &Section{name: name}\n}\n"}
    with indexed_files(tmp_path, files, tiny_embedder) as idx:
        hits = idx.search(Query('cfg.Section("server").Key("port").MustInt(8080)', k=5, mode="hybrid"))
    named = [(h.qualified_name, h.signals.get("symbol")) for h in hits if h.signals.get("symbol")]
    assert named[0] == ("Key.MustInt", "exact") and sorted(named[1:]) == [("File.Section", "chained"),
                                                                           ("Section.Key", "chained")], named


def test_a_line_every_member_repeats_is_no_focus() -> None:
    """webmozart-assert: every method's doc says `@throws InvalidArgumentException`, and Assert was shown as its first
    method, `string`, for "where is the exception thrown when an assertion fails" (probe 146): a line written again
    and again in a type says nothing of one place in it."""
    from codesearch.parse.parsing import parse_source
    from codesearch.search.searcher import focus_line, question_words

    methods = "".join(f"    /**\n     * @param mixed $value\n     *\n     * @throws InvalidArgumentException\n     */\n"
                      f"    public static function {name}($value)\n    {{\n        return $value;\n    }}\n\n"
                      for name in ("string", "integer", "boolean", "float"))
    src = ("<?php\n\nclass Check\n{\n" + methods + "    /** Throws the exception when an assertion fails. */\n"
           "    protected static function fail($message)\n    {\n        throw new InvalidArgumentException($message);\n"
           "    }\n}\n")
    (check,) = [u for u in parse_source(src.encode(), "php", "Check.php") if u.kind == "type"]
    words = question_words(QueryTerms.parse("where is the exception thrown when an assertion fails"), {})
    at = focus_line(check.code, check.start_line, words)
    shown = check.code.split("\n")[at - check.start_line].strip() if at else ""
    assert "@throws" not in shown, shown


def test_a_call_on_a_variable_finds_the_method_before_a_file_named_like_it(tmp_path, tiny_embedder) -> None:
    """pexpect: `child.expect([pexpect.TIMEOUT, pexpect.EOF])` put pexpect/expect.py's three import lines first and
    SpawnBase.expect second, tied (probe 104): a module piece named after a file comes after the definitions named so."""
    files = {"pkg/expect.py": "import re\nimport time\nfrom .base import Base\n",
             "pkg/base.py": "class Base:\n    def __init__(self):\n        self.buffer = ''\n\n"
                            "    def expect(self, pattern, timeout=30):\n        return self.compile(pattern).match(self.buffer)\n"}
    with indexed_files(tmp_path, files, tiny_embedder) as idx:
        hits = idx.search(Query("child.expect([pkg.TIMEOUT, pkg.EOF])", k=2, mode="hybrid"))
    assert hits[0].qualified_name == "Base.expect", [(h.path, h.qualified_name, h.signals.get("symbol")) for h in hits]


def test_a_pasted_declaration_finds_the_unit_it_was_copied_from_first(tmp_path, tiny_embedder) -> None:
    """bleach: `def linkify(self, text):`, word for word Linker.linkify's line, put the module function `linkify`
    first and the method second at one score (probe 123): among the definitions of the name pasted, the one holding
    the line goes first."""
    code = ('def render(text, width=80):\n    """Render text with the default renderer."""\n'
            "    return Renderer(width).render(text)\n\n\nclass Renderer:\n    def __init__(self, width):\n"
            "        self.width = width\n\n    def render(self, text):\n        \"\"\"Wrap text to the width.\"\"\"\n"
            "        return text[: self.width]\n")
    with indexed_files(tmp_path, {"app.py": code}, tiny_embedder) as idx:
        hits = idx.search(Query("def render(self, text):", k=3, mode="lexical"))
        plain = idx.search(Query("render", k=3, mode="lexical"))
    assert hits[0].qualified_name == "Renderer.render", [h.qualified_name for h in hits]
    assert plain[0].qualified_name == "render"  # a name typed alone: the function of its own first, as before


def test_a_pasted_page_of_code_is_read_in_linear_time() -> None:
    """A page of code pasted as a question (24,000 distinct words) was read word by word against every word before it
    (identifier_words, _counting, abbreviations: review; 26 s here): a hang guard, not a speed target."""
    from conftest import hang_guard

    text = " ".join(f"word{i} two things{i}" for i in range(12000))
    with hang_guard(10, "reading a pasted page of code is quadratic"):
        terms = QueryTerms.parse(text)
    assert "word11999" in terms.words
    with hang_guard(10, "looking for code's marks in a long line is quadratic"):  # `x[` 50,000 times: 30 s (review)
        assert QueryTerms.parse("x[" * 50_000).pasted_line is None and QueryTerms.parse("|a|" * 30_000).pasted_line is None


def test_a_compiled_packages_imports_are_no_definitions_and_its_calls_are_read(tmp_path, tiny_embedder) -> None:
    """validator's lib/ (Babel): the pasted `(0, _assertString.default)(str);` found ten callers and not assertString,
    and `assertString` tied its definition with every `var _assertString = _interopRequireDefault(require(...))`
    (probe 177): the call is read as its source wrote it, and a compiler's import binding is no definition."""
    util = ('"use strict";\n\nObject.defineProperty(exports, "__esModule", {\n  value: true\n});\nexports.default = assertString;\n'
            "function assertString(input) {\n  if (typeof input !== 'string') {\n    throw new TypeError('Expected a string');\n"
            "  }\n}\nmodule.exports = exports.default;\n")
    caller = ('"use strict";\n\nvar _assertString = _interopRequireDefault(require("./util/assertString"));\n'
              "function _interopRequireDefault(e) { return e && e.__esModule ? e : { default: e }; }\n"
              "function is{0}(str) {{\n  (0, _assertString.default)(str);\n  return /^[a-z]+$/.test(str);\n}}\n")
    files = {"lib/util/assertString.js": util, **{f"lib/is{n}.js": caller.replace("{0}", n).replace("{{", "{").replace("}}", "}")
                                                   for n in ("Ascii", "Slug", "Lower")}}
    with indexed_files(tmp_path, files, tiny_embedder) as idx:
        pasted = idx.search(Query("(0, _assertString.default)(str);", k=3, mode="hybrid"))
        named = idx.search(Query("assertString", k=4, mode="hybrid"))
    assert pasted[0].path == "lib/util/assertString.js" and pasted[0].kind == "function", [(h.path, h.kind) for h in pasted]
    assert not any(h.signals.get("binds") == "_assertString" for h in named), [(h.path, h.signals.get("binds")) for h in named]


@pytest.mark.parametrize("text", ["where is the t() function defined", "the `t` helper", "the _() helper"])
def test_a_one_letter_name_written_as_a_name_is_a_word_of_the_question(tmp_path, tiny_embedder, text) -> None:
    """symfony-translation: "the t() helper" dropped `t` (one letter) and found `define_function` by "defined" and a
    comment by "help" (`t` was 8th); i18n's `t()`, gettext's `_()` are names a question calls, searched by words
    (probe 185). A lone letter in a sentence stays out ("a", "x")."""
    files = {"formatting.py": 'def define_function(name, body):\n    """Define a function in the generated module."""\n'
                              '    return name + body\n\n\ndef help_text(command):\n    """Help text for a command."""\n'
                              "    return command.usage\n",
             "i18n.py": 'def t(key, **params):\n    """Translate a message key into the current locale."""\n'
                        "    return CATALOG.get(key, key)\n\n\ndef _(key):\n    return t(key)\n"}
    with indexed_files(tmp_path, files, tiny_embedder) as idx:
        hits = idx.search(Query(text, k=3, mode="lexical"))
    name = "_" if "_()" in text else "t"
    assert name in [h.qualified_name for h in hits][:2], [h.qualified_name for h in hits]  # by words: none before
    assert name in QueryTerms.parse(text).content and "x" not in QueryTerms.parse("scale a value by x").content


@pytest.mark.parametrize("pasted, first", [("Settings.quiet(:zip).new(hash)", "Settings.quiet"),
                                           ("db.fetchUser(id).then(render)", "fetchUser"),
                                           ("client.fetchUser(id).then(show).catch(fail)", "fetchUser")])
def test_a_pasted_chain_ending_in_a_step_any_value_takes_means_the_step_before(tmp_path, tiny_embedder, pasted,
                                                                                first) -> None:
    """hashie: `Hashie::Mash.quiet(:zip).new(hash)` was read as `new` alone: Mash#dup (which calls `.new`) came first,
    quiet not in ten; `db.fetchUser(id).then(render)` as `then`, no search word left (probe 183). A class's `new`, a
    promise's `then`, an emitter's `on` say nothing of the chain: the step before them is asked for."""
    files = {"settings.rb": "class Settings\n  # A subclass whose warnings for the keys are silenced.\n"
                            "  def self.quiet(*keys)\n    @quiet ||= {}\n    @quiet[keys] ||= Class.new(self)\n  end\n\n"
                            "  def initialize(hash = {})\n    @values = hash.dup\n  end\n\n"
                            "  def dup\n    self.class.new(@values)\n  end\nend\n",
             "users.js": "// Load one user record from the database by its id.\nasync function fetchUser(id) {\n"
                         "  return db.query('SELECT * FROM users WHERE id = ?', [id]);\n}\n\n"
                         "function render(user) {\n  return user.name;\n}\n\nfunction then(f) {\n  return f();\n}\n"}
    with indexed_files(tmp_path, files, tiny_embedder) as idx:
        hits = idx.search(Query(pasted, k=3, mode="hybrid"))
    assert hits[0].qualified_name == first, [h.qualified_name for h in hits]


@pytest.mark.parametrize("text", ["DEFAULT_RETRY_POLICY status codes", "which status codes does DEFAULT_RETRY_POLICY retry",
                                  "errInvalidUnderscore message"])
def test_a_name_a_module_piece_binds_counts_as_its_name_among_other_words(tmp_path, tiny_embedder, text) -> None:
    """tabulate: "_table_formats github" put the piece binding `_table_formats` sixth, `_format_table` first by its
    words; go-toml: "errInvalidUnderscore message" its binding fifth (probe 182). A module piece has no name of its
    own (its file's words are its path's), but a name of the question it binds is its name."""
    files = {"retry.py": 'import time\n\nDEFAULT_RETRY_POLICY = {\n    "attempts": 5,\n    "backoff_seconds": 2.0,\n'
                         '    "retry_on_status": [502, 503, 504],\n}\n\n\ndef retry_policy_for(host):\n'
                         '    """Pick the retry policy to use for a host."""\n    if host.endswith(".internal"):\n'
                         '        return {"attempts": 2, "retry_on_status": [503]}\n    return dict(DEFAULT_RETRY_POLICY)\n\n\n'
                         'def send_with_retries(session, url, policy):\n    """Send a request, retrying on the policy\'s '
                         'status codes."""\n    for attempt in range(policy["attempts"]):\n        response = session.get(url)\n'
                         '        if response.status_code not in policy["retry_on_status"]:\n            return response\n'
                         "    return response\n\n\ndef default_retry_attempts():\n"
                         '    return DEFAULT_RETRY_POLICY["attempts"]\n',
             "parser.go": 'package toml\n\nimport "errors"\n\nvar errInvalidUnderscore = errors.New("invalid use of _ in '
                          'number")\n\nfunc parseNumber(b []byte) error {\n\tif b[0] == \'_\' {\n'
                          "\t\treturn errInvalidUnderscore\n\t}\n\treturn nil\n}\n\n"
                          "// message builds an error message.\nfunc message(err error) string {\n\treturn err.Error()\n}\n"}
    with indexed_files(tmp_path, files, tiny_embedder) as idx:
        hits = idx.search(Query(text, k=4, mode="lexical"))
    piece = next(i for i, h in enumerate(hits) if h.kind == "module")  # was fourth, by its words alone
    assert piece <= 1 and hits[piece].signals.get("name_match"), [(h.qualified_name, h.kind) for h in hits]


def test_a_pasted_line_calling_a_name_defined_many_times_finds_where_it_is_first(tmp_path, tiny_embedder) -> None:
    """docopt: `matched, left, collected = pattern.fix().match(argv)`, word for word in docopt(), came after the five
    `match` methods it may call (probe 188); symfony's `->setCode(Uuid::INVALID_VARIANT_ERROR)` chain after setCode's
    definitions (probe 189). Calling a name defined once, the definition stays first (go-multierror's Append)."""
    files = {"pat.py": "class Leaf:\n    def match(self, left, collected=None):\n        return True, left, collected\n\n\n"
                       "class Required:\n    def match(self, left, collected=None):\n        return False, left, collected\n\n\n"
                       "class Optional:\n    def match(self, left, collected=None):\n        return True, left, None\n\n\n"
                       "def run(doc, argv):\n    pattern = build(doc)\n    matched, left, collected = pattern.fix().match(argv)\n"
                       "    return matched\n",
             "group.go": "package multierror\n\nfunc Append(err error, errs ...error) *Error {\n\treturn nil\n}\n\n"
                         "func (g *Group) Go(f func() error) {\n\tif err := f(); err != nil {\n"
                         "\t\tg.err = Append(g.err, err)\n\t}\n}\n"}
    with indexed_files(tmp_path, files, tiny_embedder) as idx:
        many = idx.search(Query("matched, left, collected = pattern.fix().match(argv)", k=3, mode="hybrid"))
        once = idx.search(Query("g.err = Append(g.err, err)", k=3, mode="hybrid"))
    assert many[0].name == "run", [(h.qualified_name, h.signals.get("symbol")) for h in many]
    assert [h.name for h in once[:2]] == ["Append", "Go"], [(h.qualified_name, h.signals.get("symbol")) for h in once]


def test_a_file_result_opens_its_unit_where_the_units_own_result_does(tmp_path, tiny_embedder) -> None:
    """commons-compress: `--files` named ZipArchiveEntry.java:1228, the `@Override` line, where the unit's own result
    says :1229, its declaration (probe 192); a file opens its unit past its annotations, as the unit does."""
    files = {"Checksum.java": "public class Checksum {\n    private long sum;\n\n    /** Adds the header's bytes. */\n"
                              "    @Override\n    public void update(byte[] header) {\n        for (byte b : header) {\n"
                              "            sum += b;\n        }\n    }\n}\n"}
    with indexed_files(tmp_path, files, tiny_embedder) as idx:
        hits = idx.search(Query("update", k=3, mode="lexical"))
    (shown,) = rank_files(hits, 1)
    assert (hits[0].focus(), shown.line, shown.col) == (6, 6, 5), (hits[0].start_line, shown)


def test_a_step_after_new_or_a_common_method_name_is_still_what_a_chain_asks_for() -> None:
    """Review: `CreateUser.new(params).call()` (Ruby's service objects) was read as `CreateUser.new`, and
    `validator.rules(x).apply(input)` as `validator.rules`: a step just after `new` is the made object's, and `call`,
    `apply`, `bind` are methods of many classes, not steps any value takes."""
    assert QueryTerms.parse("CreateUser.new(params).call()").text == "call"
    assert QueryTerms.parse("validator.rules(x).apply(input)").text == "apply"
    assert QueryTerms.parse("Settings.quiet(:zip).new(hash)").text == "Settings.quiet"


def test_an_index_from_before_parenthesized_exports_reads_its_files_again_once(tmp_path, tiny_embedder) -> None:
    """Migration 45: pg's `var NativeQuery = (module.exports = function ...)` bound nothing and @tanstack/db's doc above
    an `// Overload` note was module code (probe 205); an index of schema 44 reads every file again once, said once,
    and the name is found."""
    from codesearch.store.catalog import NOTE_OVERLOADS_REREAD_NOTE

    files = {"query.js": "var NativeQuery = (module.exports = function (config) {\n  this.text = config.text\n})\n",
             "util.js": "function escapeLiteral(str) {\n  return str\n}\n"}
    _written_before(tmp_path, tiny_embedder, files, "DELETE FROM functions WHERE kind = 'function'", 44)
    with _reread_once(tmp_path, tiny_embedder, NOTE_OVERLOADS_REREAD_NOTE, ["query.js", "util.js"]) as idx:
        hits = idx.search(Query("NativeQuery", k=3, mode="lexical"))
    assert hits and hits[0].path == "query.js" and hits[0].signals.get("symbol"), [(h.path, h.name) for h in hits]


def test_a_type_named_with_its_kind_is_searched_as_the_name_and_read_as_typed(tmp_path, tiny_embedder) -> None:
    """sprig: "certificate struct" put the struct 8th under every generate...Certificate function (probe 207): a
    lower-case name and its kind name the type where the index has one of that name (as `Setter interface` did); the
    model reads the question as typed, and a kind said of no type ("Go struct") stays words."""
    from codesearch.search.searcher import Searcher

    files = {"crypto.go": "package certs\n\ntype certificate struct {\n\tCert string\n\tKey  string\n}\n\n"
                          "// generateCertificateAuthority makes a CA certificate.\nfunc generateCertificateAuthority("
                          "cn string) (certificate, error) {\n\treturn certificate{}, nil\n}\n\n"
                          "func generateSignedCertificate(cn string) (certificate, error) {\n\treturn certificate{}, nil\n}\n"}
    read = []

    class Reading:  # the real model, and what it was asked to read
        def __getattr__(self, name):
            return getattr(tiny_embedder, name)

        def embed_queries(self, texts):
            read.extend(texts)
            return tiny_embedder.embed_queries(texts)

    files["conf.go"] = ("package certs\n\n// Settings is decoded from JSON.\ntype Settings struct {\n\tName string "
                        "`json:\"name\"`\n}\n\nfunc decodeJSON(b []byte) (Settings, error) {\n\treturn Settings{}, nil\n}\n")
    with indexed_files(tmp_path, files, tiny_embedder) as index:
        hits = Searcher(index.store, Reading()).search(Query("certificate struct", k=3, mode="hybrid"))
        language = index.search(Query("Go struct", k=3, mode="lexical"))  # no type named Go: the words (review)
    assert hits[0].name == "certificate" and hits[0].kind == "type", [(h.name, h.kind) for h in hits]
    assert read == ["certificate struct"]
    assert language and all(h.kind == "type" for h in language[:2]), [(h.name, h.kind) for h in language]
    from codesearch.query import type_form
    assert [type_form(q) for q in ("the Router interface", "JsonToken enum", "certificate struct",
                                   "where is the config class loaded")] == ["Router", "JsonToken", "certificate", None]


@pytest.mark.parametrize("typed", ["Outer.describe", "Outer#describe", "Outer::describe"])
def test_a_java_member_named_javadoc_style_is_the_outer_classs(tmp_path, tiny_embedder, typed) -> None:
    """commons-jexl: `Script#execute` put `Script.Curried.execute` first (probe 209): `#` (Javadoc) and `::` (a method
    reference) name the member as `.` does, not every method of that name in the file."""
    files = {"Outer.java": "public class Outer {\n    public String describe() {\n        return \"outer\";\n    }\n\n"
                           "    static class Inner {\n        String describe() {\n            return \"in\";\n        }\n"
                           "    }\n}\n"}
    with indexed_files(tmp_path, files, tiny_embedder) as index:
        hits = index.search(Query(typed, k=2, mode="lexical"))
    assert hits[0].qualified_name == "Outer.describe", [(h.qualified_name, h.signals.get("symbol")) for h in hits]
    assert [h.signals.get("symbol") for h in hits].count("exact") == 1


def test_a_chain_ending_in_every_values_call_names_its_own_calls_first(tmp_path, tiny_embedder) -> None:
    """kingpin: `name = kingpin.Arg("name", "Name of user.").Required().String()` put its 19 `String` methods first and
    `Arg` 20th (probe 210): a call the chain ends in that many types define says no one of them; the chain's own calls,
    defined once, lead."""
    values = "".join(f"type v{i} struct{{}}\n\nfunc (v *v{i}) String() string {{\n\treturn \"\"\n}}\n\n" for i in range(6))
    files = {"values.go": f"package cli\n\n{values}",
             "args.go": "package cli\n\ntype ArgClause struct{ name string }\n\n"
                        "func Arg(name, help string) *ArgClause {\n\treturn &ArgClause{name: name}\n}\n\n"
                        "func (a *ArgClause) Required() *ArgClause {\n\treturn a\n}\n"}
    with indexed_files(tmp_path, files, tiny_embedder) as idx:
        hits = idx.search(Query('name = cli.Arg("name", "Name of user.").Required().String()', k=4, mode="hybrid"))
    assert {h.qualified_name for h in hits[:2]} == {"Arg", "ArgClause.Required"}, [
        (h.qualified_name, h.signals.get("symbol")) for h in hits]


@pytest.mark.parametrize("pasted", ["client.timeout", "client.timeout = 10"])
def test_a_member_set_on_a_variable_named_for_its_type_finds_the_types_binding(tmp_path, tiny_embedder, pasted) -> None:
    """`client.timeout = 10` pasted from a caller put Client#request (it reads @timeout) first and the class whose
    `attr_accessor :timeout` defines the writer nowhere named: a member given a value is asked for as a name, and a
    lower-case variable named for a type (`client`: Client) finds that type's bindings."""
    files = {"lib/client.rb": "module Net\n  class Client\n    attr_accessor :timeout\n\n    def initialize(host)\n"
                              "      @host = host\n      @timeout = 5\n    end\n\n    def request(verb, path)\n"
                              "      [verb, path, @timeout]\n    end\n  end\nend\n",
             "lib/proxy.rb": "class Proxy\n  def initialize(url)\n    @url = url\n  end\nend\n"}
    with indexed_files(tmp_path, files, tiny_embedder) as idx:
        hits = idx.search(Query(pasted, k=3, mode="hybrid"))
    assert hits and hits[0].qualified_name == "Net::Client" and hits[0].signals.get("binds") == "timeout", [
        (h.qualified_name, h.signals.get("symbol")) for h in hits]


@pytest.mark.parametrize("pasted, named", [
    (">>> d = feedparser.parse('http://feedparser.org/docs/examples/atom10.xml')", "feedparser.parse"),
    ("In [3]: d = feedparser.parse(url)", "feedparser.parse"),
    ("irb(main):001:0> AwesomePrint.ap(data)", "AwesomePrint.ap"),
    ("$ cs.run(args)", "cs.run"),
    (">>> import dill\n>>> dill.dumps(squared)", "dill.dumps"),
    ("validation.Field(&a.Street, validation.Required, validation.Length(5, 50)),", "validation.Field"),
    ("loads(dumps(squared))(3)", "loads"),
])
def test_a_line_pasted_with_its_prompt_or_from_inside_arguments_names_its_call(pasted, named) -> None:
    """feedparser's docs write every example after `>>> `, which left `feedparser.parse` words (probe 215); a call
    copied from inside a list of arguments ends in `,` and dill's `loads(dumps(squared))(3)` calls what it returns:
    both were words (probe 212). A console's prompt is no part of the code, and a call so ended is the call."""
    assert QueryTerms.parse(pasted).text == named


def test_a_prompt_pasted_before_a_call_finds_the_function_first(tmp_path, tiny_embedder) -> None:
    """Probe 215: `>>> d = pkg.parse('...')` put make_absolute first and parse second; without the prompt, parse first."""
    files = {"pkg/api.py": "def parse(url):\n    return fetch(url)\n",
             "pkg/util.py": "def parse_date(text):\n    return text\n",
             "pkg/urls.py": "def make_absolute(base, url):\n    '''Resolve an url such as http://example.org/x.'''\n"
                            "    return base + url\n"}
    with indexed_files(tmp_path, files, tiny_embedder) as idx:
        hits = idx.search(Query(">>> d = pkg.parse('http://example.org/atom10.xml')", k=3, mode="hybrid"))
    assert hits and hits[0].qualified_name == "parse", [h.qualified_name for h in hits]


@pytest.mark.parametrize("pasted", ["App::Parser.new(options).call(template)", "Parser.new(options).call(template)"])
def test_a_pasted_chain_from_a_namespaced_type_means_that_types_member(tmp_path, tiny_embedder, pasted) -> None:
    """haml: `Haml::Parser.new(options).call(template)` put parser.rb fifth of five `call`s tied, where
    `Parser.new(...)` found Parser#call first (probe 216): the type a chain starts from is read past its namespace."""
    files = {"lib/app/ambles.rb": "module App\n  class Ambles\n    def call(ast)\n"
                                  "      [:multi, [:static, @preamble], ast, [:static, @postamble]]\n    end\n  end\nend\n",
             "lib/app/compiler.rb": "module App\n  class Compiler\n    def initialize(options = {})\n"
                                    "      @options = options\n    end\n\n    def call(ast)\n"
                                    "      ast.map { |node| compile(node) }\n    end\n  end\nend\n",
             "lib/app/parser.rb": "module App\n  class Parser\n    def initialize(options)\n      @options = options\n"
                                  "    end\n\n    def call(template)\n      template.each_line.map { |line| parse_line(line) }\n"
                                  "    end\n  end\nend\n"}
    with indexed_files(tmp_path, files, tiny_embedder) as idx:
        hits = idx.search(Query(pasted, k=3, mode="hybrid"))
    assert hits and hits[0].qualified_name == "App::Parser#call", [h.qualified_name for h in hits]


def test_a_package_qualified_name_finds_its_binding_in_that_package(tmp_path, tiny_embedder) -> None:
    """ozzo-validation: `is.Digit` put the unexported `isDigit` (its words are the question's) first and the `Digit =`
    line of package is, in is/rules.go, second without its binding (probe 212): a package or module typed before a
    name finds the name bound in it."""
    files = {"is/helpers.go": "package is\n\nimport \"regexp\"\n\nvar (\n\treDigit = regexp.MustCompile(\"^[0-9]+$\")\n)\n\n"
                              "func isDigit(value string) bool {\n\treturn reDigit.MatchString(value)\n}\n",
             "is/rules.go": "package is\n\n// Rule checks one string value.\ntype Rule struct {\n\tcheck   func(string) bool\n"
                            "\tmessage string\n}\n\n// NewRule makes a rule from a check and its message.\n"
                            "func NewRule(check func(string) bool, message string) Rule {\n"
                            "\treturn Rule{check: check, message: message}\n}\n\nvar (\n"
                            "\t// Digit validates if a string contains digits only (0-9)\n"
                            "\tDigit = NewRule(isDigit, \"must contain digits only\")\n)\n"}
    with indexed_files(tmp_path, files, tiny_embedder) as idx:
        hits = idx.search(Query("is.Digit", k=3, mode="hybrid"))
    assert hits and hits[0].path == "is/rules.go" and hits[0].signals.get("binds") == "Digit", [
        (h.path, h.qualified_name, h.signals.get("binds")) for h in hits]


@pytest.mark.parametrize("typed, binds", [("awsome_inspect", "awesome_inspect"), ("DEFAULT_LIMIT_SIZE", "DEFAULT_LIMIT_SIZE")])
def test_a_bound_name_typed_with_a_slip_finds_its_binding(tmp_path, tiny_embedder, typed, binds) -> None:
    """awesome_print: `awsome_inspect` (Kernel's `alias :awesome_inspect :ai`) said "nothing is named" and put
    Inspector#awesome first (probe 213): a name typed with a slip finds the binding it was read as, and says no
    "nothing is named" where the first result is named as read."""
    files = {"lib/inspector.rb": "class Inspector\n  def initialize(options)\n    @options = options\n  end\n\n"
                                 "  def awesome(object)\n    object.inspect\n  end\n\n  def inspect_object(object)\n"
                                 "    object.ai\n  end\nend\n",
             "lib/kernel_ext.rb": "module Kernel\n  def ai(options = {})\n    Inspector.new(options).awesome(self)\n"
                                  "  end\n  alias :awesome_inspect :ai\n\n  def ap(object, options = {})\n"
                                  "    puts object.ai(options)\n  end\nend\n",
             "lib/other.rb": "class Other\n  def awesome_render(object)\n    object.to_s\n  end\nend\n\nclass Limits\n"
                             "  DEFAULT_LIMIT_SIZE = 7\n\n  def limited(data)\n    data.first(DEFAULT_LIMIT_SIZE)\n  end\nend\n"}
    with indexed_files(tmp_path, files, tiny_embedder) as idx:
        hits = idx.search(Query(typed, k=3, mode="hybrid"))
        render = idx.search(Query("awsome_render", k=3, mode="hybrid"))
    assert hits and hits[0].signals.get("binds") == binds, [(h.qualified_name, h.signals.get("binds")) for h in hits]
    assert render[0].qualified_name == "Other#awesome_render" and unmatched_note("awsome_render", render) is None


@pytest.mark.parametrize("question", ["USER_AGENT RESOLVE_RELATIVE_URIS SANITIZE_HTML",
                                      "module settings USER_AGENT RESOLVE_RELATIVE_URIS SANITIZE_HTML defaults"])
def test_several_names_typed_together_find_the_unit_binding_them(tmp_path, tiny_embedder, question) -> None:
    """feedparser: each of USER_AGENT, RESOLVE_RELATIVE_URIS, SANITIZE_HTML alone finds its binding first; together,
    parse (which reads all three) and resolve_relative_uris came before the module binding them (probe 215)."""
    files = {"pkg/__init__.py": "from .api import parse\n\nUSER_AGENT = \"pkg/1.0\"\n\n"
                                "# resolve relative links in content by default\nRESOLVE_RELATIVE_URIS = 1\n\n"
                                "# clean unsafe markup by default\nSANITIZE_HTML = 1\n",
             "pkg/api.py": "import pkg\n\n\ndef parse(source, agent=None, sanitize_html=None, resolve_relative_uris=None):\n"
                           "    agent = agent or pkg.USER_AGENT\n    if sanitize_html is None:\n"
                           "        sanitize_html = pkg.SANITIZE_HTML\n    if resolve_relative_uris is None:\n"
                           "        resolve_relative_uris = pkg.RESOLVE_RELATIVE_URIS\n"
                           "    return run(source, agent, sanitize_html, resolve_relative_uris)\n",
             "pkg/urls.py": "def resolve_relative_uris(html_source, base_uri, encoding):\n"
                            "    \"\"\"Make every relative link in html_source absolute against base_uri.\"\"\"\n"
                            "    resolver = Resolver(base_uri, encoding)\n    resolver.feed(html_source)\n"
                            "    return resolver.output()\n"}
    with indexed_files(tmp_path, files, tiny_embedder) as idx:
        hits = idx.search(Query(question, k=3, mode="hybrid"))
    assert hits and hits[0].path == "pkg/__init__.py", [(h.path, h.qualified_name) for h in hits]


def test_a_require_saying_two_of_the_questions_words_is_where_a_module_piece_opens() -> None:
    """awesome_print: "where are the optional extensions for Mongoid, Nokogiri and Sequel required" opened its
    loader at the comment "... subsequent requires." above the `require '.../mongoid' if defined?(Mongoid)` lines
    (probe 213): a require saying two of the question's words is no mere plumbing."""
    from codesearch.parse.parsing import parse_source
    from codesearch.search.searcher import focus_line, question_words

    src = ("#\n# Might be loaded implicitly through ~/.irbrc so do nothing for subsequent requires.\n#\n"
           "unless defined?(Loader::Inspector)\n  require 'loader/inspector'\n  require 'loader/formatter'\n"
           "  require 'loader/ext/mongoid'  if defined?(Mongoid)\n  require 'loader/ext/nokogiri' if defined?(Nokogiri)\n"
           "  require 'loader/ext/sequel'   if defined?(Sequel)\nend\n")
    (piece,) = [u for u in parse_source(src.encode(), "ruby", "lib/loader.rb") if u.kind == "module"]
    words = question_words(QueryTerms.parse("where are the optional extensions for Mongoid, Nokogiri and Sequel "
                                            "required"), {})
    at = focus_line(piece.code, piece.start_line, words)
    assert at and "mongoid" in piece.code.split("\n")[at - piece.start_line], at


@pytest.mark.parametrize("pasted", ["filter :Analyzer", "use Splitter\nfilter :Analyzer\nuse Escape"])
def test_a_ruby_call_of_a_symbol_without_brackets_is_a_line_of_code(tmp_path, tiny_embedder, pasted) -> None:
    """haml: `filter :StaticAnalyzer`, pasted from Haml::Engine, was words and put a comment naming the filter first
    (probe 216): a name then a `:symbol` is code only, and the unit holding the line comes first."""
    files = {"lib/app/engine.rb": "module App\n  class Engine < Temple::Engine\n    use Parser\n    use Splitter\n"
                                  "    filter :Analyzer\n    use Escape\n    filter :Flattener\n  end\nend\n",
             "lib/app/splitter.rb": "module App\n  # Splits a dynamic string into static and dynamic parts; the Analyzer "
                                    "filter runs after it.\n  class Splitter < Temple::Filter\n    def on_dynamic(code)\n"
                                    "      return [:dynamic, code] unless Temple::Analyzer.static?(code)\n"
                                    "      [:static, eval(code).to_s]\n    end\n  end\nend\n"}
    with indexed_files(tmp_path, files, tiny_embedder) as idx:
        hits = idx.search(Query(pasted, k=3, mode="hybrid"))
    assert hits and hits[0].qualified_name == "App::Engine", [h.qualified_name for h in hits]
    assert QueryTerms.parse("note: the filter runs first").pasted_line is None


@pytest.mark.parametrize("pasted, named", [
    ("postcss([autoprefixer]).process(css, { from: 'src/app.css', to: 'dest/app.css' }).then(result => {",
     "postcss.process"),
    ("tool([a]).process(css).then(result => {})", "tool.process"),
    ("p.process(css).then(result => {", "p.process"),
    ("stream.pipe(x).on('data', function (chunk) {", "stream.pipe"),
    ("a.b(1).c(", "a.b(1).c("),  # a line cut off inside a call is no chain
])
def test_a_chain_ending_in_a_callbacks_open_block_names_the_call_before_it(pasted, named) -> None:
    """postcss's README `postcss([autoprefixer]).process(css, {...}).then(result => {` was words: Processor.process
    came 15th (probe 218). A step any value takes, its callback's block left open, is no part of what is asked."""
    assert QueryTerms.parse(pasted).text == named


@pytest.mark.parametrize("pasted, named", [
    ("@sched.scheduled_job('cron', day_of_week='mon-fri', hour=17)", "sched.scheduled_job"),  # probe 219
    ('@RequestMapping("/x")', "RequestMapping"),
    ("new Disruptor<>(LongEvent::new, bufferSize, DaemonThreadFactory.INSTANCE)", "Disruptor"),  # probe 219
    ("List<String> xs = new ArrayList<>(10);", "ArrayList"),
    ("if ($lock->acquire()) {", "$lock->acquire"),  # probe 220
    ("while (it.hasNext()) {", "it.hasNext"),
    ("try (BufferedSource in2 = Okio.buffer(Okio.source(in))) {", "Okio.buffer"),  # okio's README (probe 270)
    ("channel.on_data do |ch, data|", "channel.on_data"),  # probe 220
    ("x.m { |a| a + 1 }", "x.m"),
    ("} else {", "} else {"),  # a keyword calls nothing
    ("a < b && c > (d)", "a < b && c > (d)"),  # a comparison is no type's arguments
    ("describe do", "describe do"),  # a test's block
    ("parse(text).body", "parse(text).body"),  # a value read, no step called
    ("Rack::Attack.cache.store = ActiveSupport::Cache::MemoryStore.new", "Rack::Attack.cache.store"),  # probe 211
    # review: a comparison is no member set, a function may be named `select` or `end`, a Python attribute read
    # is no Ruby step
    ("req.method == 'GET'", "req.method == 'GET'"),
    ("user.role === 'admin'", "user.role === 'admin'"),
    ("select(users)", "select"),
    ("end($array)", "end"),
    ("requests.get(url).status_code", "requests.get(url).status_code"),
    ("if (a) foo(b)", "if (a) foo(b)"),
    ("cipher = AES.new(key, AES.MODE_EAX)", "AES.new"),  # pycryptodome's module function `new`: no Ruby type made
    ("from csv import rows into the database", "from csv import rows into the database"),  # a question
    ("from shellkit.cmd import ls", "shellkit.cmd"),
])
def test_a_decorator_a_condition_a_diamond_or_a_block_pasted_names_its_call(pasted, named) -> None:
    """A decorator pasted alone (`@sched.scheduled_job(...)`), Java's diamond (`new Disruptor<>(...)`), a condition's
    line (`if ($lock->acquire()) {`, read as a call of `if`) and a Ruby call given a block without brackets
    (`channel.on_data do |ch, data|`) were words or the keyword (probes 219, 220): each is the call it makes."""
    assert QueryTerms.parse(pasted).text == named


@pytest.mark.parametrize("pasted, first", [("Soap.fragment(html).scrub!(:strip)", "Soap::Fragment#scrub!"),
                                           ("Soap.fragment(html).to_text", "Soap::Fragment#to_text")])
def test_a_ruby_chain_ending_in_a_bang_method_names_its_earlier_calls_too(tmp_path, tiny_embedder, pasted,
                                                                         first) -> None:
    """Loofah's README `Loofah.fragment(unsafe_html).scrub!(:prune)` left Loofah.fragment out of ten, where
    `.scrub(:prune)` found it chained, and `Loofah.document(html).to_text`, its last step without brackets as Ruby
    writes it, was words (probe 217): a member ending in `!`, or one called bare at the chain's end, is its step."""
    files = {"lib/soap.rb": "module Soap\n  def self.fragment(html)\n    Fragment.new(html)\n  end\n\n  class Fragment\n"
                            "    def initialize(html)\n      @html = html\n    end\n\n    def scrub!(how)\n"
                            "      @html = @html.gsub(/<script>/, '')\n      self\n    end\n\n    def to_text\n"
                            "      @html.strip\n    end\n  end\n\n  class Attrs\n"
                            "    def self.scrub_attributes(node)\n      node.attributes.clear\n    end\n  end\nend\n"}
    with indexed_files(tmp_path, files, tiny_embedder) as idx:
        hits = idx.search(Query(pasted, k=3, mode="hybrid"))
    assert [(h.qualified_name, h.signals.get("symbol")) for h in hits[:2]] == [
        (first, "exact"), ("Soap.fragment", "chained")], [
        (h.qualified_name, h.signals.get("symbol")) for h in hits]


def test_callbacks_named_in_a_sentence_find_the_code_not_the_options_type_binding_them(tmp_path, tiny_embedder) -> None:
    """query-core: "run a mutation with its onMutate, onSuccess and onError callbacks" put the option types binding
    the callbacks' names first (review of probe 215's fix): a type's fields are no settings asked for."""
    files = {"src/types.ts": "export interface MutationOptions {\n  onMutate?: (v: unknown) => void\n"
                             "  onSuccess?: (d: unknown) => void\n  onError?: (e: Error) => void\n}\n",
             "src/mutation.ts": "export class Mutation {\n  constructor(private options: MutationOptions) {}\n\n"
                                "  async execute(variables: unknown) {\n    this.options.onMutate?.(variables)\n"
                                "    try {\n      const data = await run(variables)\n      this.options.onSuccess?.(data)\n"
                                "      return data\n    } catch (error) {\n      this.options.onError?.(error as Error)\n"
                                "      throw error\n    }\n  }\n}\n"}
    with indexed_files(tmp_path, files, tiny_embedder) as idx:
        hits = idx.search(Query("run a mutation with its onMutate, onSuccess and onError callbacks", k=3, mode="lexical"))
    assert hits and hits[0].path == "src/mutation.ts", [(h.path, h.qualified_name, h.signals.get("symbol")) for h in hits]


def test_a_question_naming_a_function_and_the_names_it_returns_asks_for_the_function(tmp_path, tiny_embedder) -> None:
    """Review: "when does Get return ErrNotFound and when ErrTimeout" put the block binding the errors first: a
    question that also names a function the index defines asks about that function."""
    files = {"errors.go": "package store\n\nimport \"errors\"\n\nvar (\n\tErrNotFound = errors.New(\"not found\")\n"
                          "\tErrTimeout = errors.New(\"timeout\")\n\tErrClosed = errors.New(\"closed\")\n)\n",
             "store.go": "package store\n\ntype Store struct {\n\titems  map[string]string\n\tclosed bool\n}\n\n"
                         "func (s *Store) Get(key string) (string, error) {\n\tif s.closed {\n\t\treturn \"\", ErrClosed\n\t}\n"
                         "\tv, ok := s.items[key]\n\tif !ok {\n\t\treturn \"\", ErrNotFound\n\t}\n\tif v == \"\" {\n"
                         "\t\treturn \"\", ErrTimeout\n\t}\n\treturn v, nil\n}\n"}
    with indexed_files(tmp_path, files, tiny_embedder) as idx:
        hits = idx.search(Query("when does Get return ErrNotFound and when ErrTimeout", k=3, mode="hybrid"))
    assert hits and hits[0].qualified_name == "Store.Get", [(h.qualified_name, h.signals.get("symbol")) for h in hits]


def test_an_import_saying_two_words_is_still_no_place_to_open_a_module_piece() -> None:
    """Review: a Go import block's `"net/http"` and a Python `from requests.adapters import HTTPAdapter` said two of
    the question's words and became where their module pieces opened, as before probes 73 and 91."""
    from codesearch.search.searcher import focus_lines, question_words

    go = 'package main\n\nimport (\n\t"encoding/json"\n\t"net/http"\n)\n\nvar client = &http.Client{}\n'
    py = ("from urllib3.util.retry import Retry\nfrom requests.adapters import HTTPAdapter\nimport requests\n\n"
          "session = requests.Session()\nadapter = HTTPAdapter(max_retries=Retry(total=3))\n")
    assert focus_lines(go, 1, question_words(QueryTerms.parse("net http client"), {})) == [8]
    assert focus_lines(py, 1, question_words(QueryTerms.parse("retry http requests"), {})) == [5]


@pytest.mark.parametrize("files, first", [
    ({"src/config.ts": "export function validateConfig(config: Config) {\n"
                       "  if (config.indexToken === config.routeToken) {\n    throw new Error(\n"
                       "      `The \"indexToken\" and \"routeToken\" options must be different.`,\n    )\n  }\n"
                       "  return config\n}\n",
      "src/generator.ts": "export class Generator {\n  constructor(opts: { config: Config; root: string }) {\n"
                          "    this.config = opts.config\n    // the index token and the route token options are compiled"
                          " once, they must be different\n    this.indexTokenRegex = createTokenRegex(this.config.indexToken)\n"
                          "    this.routeTokenRegex = createTokenRegex(this.config.routeToken)\n  }\n}\n"}, "validateConfig"),
    ({"pkg/config.py": "def validate_config(config):\n    if config.index_token == config.route_token:\n"
                       "        raise ValueError(\n            'The \"indexToken\" and \"routeToken\" options must be different.'\n"
                       "        )\n    return config\n",
      "pkg/generator.py": "class Generator:\n    def __init__(self, config):\n        # the index token and the route"
                          " token options must be different\n        self.index_token = config.index_token\n"
                          "        self.route_token = config.route_token\n"}, "validate_config"),
])
def test_a_message_on_a_line_of_its_own_is_where_the_code_writes_it(tmp_path, tiny_embedder, files, first) -> None:
    """@tanstack/router-generator: Prettier's `throw new Error(` with the message on the next line, pasted, put
    Generator's constructor first (probe 222): a string opening a line that goes on the one before is an argument,
    no docstring."""
    with indexed_files(tmp_path, files, tiny_embedder) as idx:
        hits = idx.search(Query('The "indexToken" and "routeToken" options must be different.', k=3, mode="hybrid"))
    assert hits and hits[0].qualified_name == first and hits[0].signals.get("symbol") == "quoted", [
        (h.qualified_name, h.signals.get("symbol")) for h in hits]


@pytest.mark.parametrize("pasted, path, name", [
    ("from shellkit.cmd import ls, grep", "shellkit/cmd.py", None),  # probe 223
    ("Foo::Client.new(['a:11211'], failover: true)", "lib/foo/client.rb", "Foo::Client"),  # probe 224
])
def test_an_import_of_names_or_a_ruby_new_names_the_module_or_type(tmp_path, tiny_embedder, pasted, path,
                                                                   name) -> None:
    """plumbum's README `from plumbum.cmd import ls, grep, wc` put cmd.py 15th (its words are everywhere) and dalli's
    `Dalli::Client.new([...], failover: true)` put Client#ring first, which calls Ring.new (probes 223, 224): an
    import of names asks for their module, and Ruby's `X.new` for the type X."""
    files = {"shellkit/__init__.py": '"""Shell helpers."""\nfrom shellkit.machine import local\n',
             "shellkit/cmd.py": "import shellkit\n\n\ndef __getattr__(name):\n"
                                '    """The module hack that lets you import any program on PATH as a name."""\n'
                                "    return shellkit.local[name]\n",
             "shellkit/commands.py": "class Command:\n    def __init__(self, cmd, args=()):\n        self.cmd = cmd\n\n"
                                     "    def __or__(self, other):\n        '''Pipe this cmd into another: ls | grep'''\n"
                                     "        return Pipeline(self, other)\n",
             "lib/foo/client.rb": "module Foo\n  class Client\n    def initialize(servers = nil, options = {})\n"
                                  "      @servers = Array(servers)\n      @options = options\n    end\n\n    private\n\n"
                                  "    def ring\n      @ring ||= Foo::Ring.new(@servers, @options)\n    end\n  end\nend\n",
             "lib/foo/ring.rb": "module Foo\n  class Ring\n    def initialize(servers, options)\n"
                                "      @servers = servers\n    end\n  end\nend\n"}
    with indexed_files(tmp_path, files, tiny_embedder) as idx:
        hits = idx.search(Query(pasted, k=3, mode="hybrid"))
    assert hits and hits[0].path == path and (name is None or hits[0].qualified_name == name), [
        (h.path, h.qualified_name) for h in hits]


def test_a_qualified_name_only_a_declaration_file_writes_finds_the_codes_function_first(tmp_path, tiny_embedder) -> None:
    """nock: `nock.enableNetConnect(/(google|amazon)/)` matched only types/index.d.ts's `nock.enableNetConnect`, whose
    score then held the implementation in lib/intercept.js second, tied (probe 224): the code's function of that
    name is the name's too, and the declaration stays held down below it."""
    files = {"types/index.d.ts": "declare namespace nock {\n  function enableNetConnect(matcher?: string | RegExp): void\n"
                                 "  function disableNetConnect(): void\n}\nexport = nock\n",
             "index.js": "'use strict'\nconst { enableNetConnect, disableNetConnect } = require('./lib/intercept')\n"
                         "module.exports = { enableNetConnect, disableNetConnect }\n",
             "lib/intercept.js": "'use strict'\n\nlet allowNetConnect\n\n/**\n * Enables real requests for hosts matching"
                                 " the matcher.\n */\nfunction enableNetConnect(matcher) {\n"
                                 "  if (typeof matcher === 'string') {\n    allowNetConnect = new RegExp(matcher)\n"
                                 "  } else {\n    allowNetConnect = matcher\n  }\n}\n\nfunction disableNetConnect() {\n"
                                 "  allowNetConnect = undefined\n}\n\nmodule.exports = { enableNetConnect, disableNetConnect }\n",
             "package.json": '{ "name": "nock", "main": "index.js", "types": "types/index.d.ts" }\n'}
    with indexed_files(tmp_path, files, tiny_embedder) as idx:
        hits = idx.search(Query("nock.enableNetConnect(/(google|amazon)/)", k=3, mode="hybrid"))
    assert hits and hits[0].path == "lib/intercept.js", [(h.path, h.qualified_name, h.signals.get("symbol")) for h in hits]


def test_a_docstring_ending_in_raise_above_the_message_is_no_place_it_is_raised() -> None:
    """Review: a docstring's prose ending in "raise" made the message quoted on its next line count as raised there."""
    from codesearch.search.ranking import holds_the_message

    terms = QueryTerms.parse('The "indexToken" and "routeToken" options must be different.')
    documented = ("def build_generator(config):\n    \'\'\'Build it; for equal tokens it will raise\n"
                  "    'The \"indexToken\" and \"routeToken\" options must be different.'\n    \'\'\'\n    return config\n")
    raised = ("def validate(config):\n    raise ValueError(\n"
              "        'The \"indexToken\" and \"routeToken\" options must be different.'\n    )\n")
    assert not holds_the_message(terms, documented) and holds_the_message(terms, raised)


def test_a_qualified_name_only_declared_adds_no_function_of_a_common_name(tmp_path, tiny_embedder) -> None:
    """Review: `cache.get('user:1')`, declared in a .d.ts namespace, marked every `get` of the code exact and put the
    declaration fifth: only a name the code defines once is the declared one's."""
    files = {"types/index.d.ts": "declare namespace cache {\n  function get(key: string): unknown\n"
                                 "  function set(key: string, value: unknown): void\n}\nexport = cache\n",
             "lib/memory.js": "function get(key) {\n  return store[key]\n}\nmodule.exports = { get }\n",
             "lib/http.js": "function get(url, options) {\n  return fetch(url, options)\n}\nmodule.exports = { get }\n",
             "lib/config.js": "function get(path) {\n  return settings[path]\n}\nmodule.exports = { get }\n"}
    with indexed_files(tmp_path, files, tiny_embedder) as idx:
        hits = idx.search(Query("cache.get('user:1')", k=5, mode="lexical"))
    exact = [h.path for h in hits if h.signals.get("symbol") == "exact"]
    assert exact == ["types/index.d.ts"], [(h.path, h.qualified_name, h.signals.get("symbol")) for h in hits]


@pytest.mark.parametrize("typed, name", [("HostKeyFil", "HostKeyFile"), ("KeyboardInteractivAuth", "KeyboardInteractiveAuth")])
def test_a_name_typed_short_of_a_letter_is_found_not_a_crash(tmp_path, tiny_embedder, typed, name) -> None:
    """gliderlabs/ssh: `HostKeyFil` crashed with RecursionError (probe 227): the slip read as `hostkeyfile` held the
    typed name, so putting it back once more read `hostkeyfilee`, and so on, with no binding ever found."""
    files = {"options.go": "package ssh\n\n// HostKeyFile reads a host key from a file.\nfunc HostKeyFile(filepath string)"
                           " Option {\n\treturn nil\n}\n\n// KeyboardInteractiveAuth sets the handler.\n"
                           "func KeyboardInteractiveAuth(fn KeyboardInteractiveHandler) Option {\n\treturn nil\n}\n"}
    with indexed_files(tmp_path, files, tiny_embedder) as idx:
        for mode in ("lexical", "hybrid"):
            hits = idx.search(Query(typed, k=3, mode=mode))
            assert hits and hits[0].qualified_name == name, [h.qualified_name for h in hits]


def test_a_name_is_read_once_where_one_word_read_holds_another() -> None:
    """`KeyboardInteractivAuth` read whole and its word `interactiv` read too became `keyboardinteractiveeauth`."""
    from codesearch.search.searcher import _name_as_read

    read = {"KeyboardInteractivAuth": "keyboardinteractiveauth", "interactiv": "interactive"}
    assert _name_as_read("KeyboardInteractivAuth", read) == "keyboardinteractiveauth"
    assert _name_as_read("awsome_inspect", {"awsome": "awesome"}) == "awesome_inspect"
    assert _name_as_read("HostKeyFile", {}) == ""


def test_a_type_typed_exactly_is_not_shown_at_a_constant_spelt_alike(tmp_path, tiny_embedder) -> None:
    """cglib: `KeyFactory` showed the class at its `KEY_FACTORY` field, and eight other classes' `KEY_FACTORY` fields
    came next, level with it (probe 226): a name alike but for case is no binding of a name typed exactly."""
    files = {"src/KeyFactory.java": "package demo;\n\n/** Generates classes to handle multi-valued keys. */\n"
                                    "abstract public class KeyFactory {\n    private static final String KEY_FACTORY ="
                                    " \"demo.KeyFactory\";\n\n    public static KeyFactory create(Class k) {\n"
                                    "        return null;\n    }\n}\n"}
    for name in ("Mixin", "BulkBean", "BeanCopier"):
        files[f"src/{name}.java"] = (f"package demo;\n\nabstract public class {name} {{\n    private static final Object"
                                     f" KEY_FACTORY =\n      KeyFactory.create({name}Key.class);\n\n"
                                     f"    public void copy(Object from, Object to) {{\n        from.hashCode();\n"
                                     f"    }}\n}}\n")
    with indexed_files(tmp_path, files, tiny_embedder) as idx:
        hits = idx.search(Query("KeyFactory", k=5, mode="hybrid"))
        constant = idx.search(Query("KEY_FACTORY", k=5, mode="hybrid"))
    assert (hits[0].qualified_name, hits[0].start_line, hits[0].signals.get("binds")) == ("KeyFactory", 4, None)
    assert not any(h.signals.get("binds") for h in hits), [(h.qualified_name, h.signals.get("binds")) for h in hits]
    assert constant[0].signals.get("binds") == "KEY_FACTORY"  # typed as bound, the constants are what it names


def test_a_call_given_to_a_call_the_code_does_not_name_is_what_is_asked(tmp_path, tiny_embedder) -> None:
    """gliderlabs/ssh's README `log.Fatal(ssh.ListenAndServe(":2222", nil))` was read as `log.Fatal`, and the files
    that log came first (probe 227): where the outer call names nothing of the code's, the call inside is searched;
    where it does name one (`tr.setSelection(...)`), it stays the call asked."""
    from codesearch.query import inner_call

    assert inner_call('log.Fatal(ssh.ListenAndServe(":2222", nil, ssh.HostKeyFile("k")))') == "ssh.ListenAndServe"
    assert inner_call("assert.NoError(t, db.Close());") == "db.Close"
    assert inner_call("print(a(1), b(2))") is None and inner_call("foo(bar)") is None
    assert inner_call("expect(parse(x)).toBe(1)") is None and inner_call("where do we retry(failed()) calls") is None
    files = {"serve.go": "package srv\n\nimport \"net\"\n\n// ListenAndServe accepts connections on addr.\n"
                         "func ListenAndServe(addr string, handler func(net.Conn)) error {\n\tln, err := net.Listen("
                         "\"tcp\", addr)\n\tif err != nil {\n\t\treturn err\n\t}\n\treturn serve(ln, handler)\n}\n",
             "forward.go": "package srv\n\nimport (\n\t\"log\"\n\t\"net\"\n)\n\nfunc forward(a, b net.Conn) {\n"
                           "\tif _, err := b.Write([]byte(\"hi\")); err != nil {\n\t\tlog.Println(err)\n\t}\n"
                           "\tlog.Print(\"done\")\n}\n\nfunc setSelection(s Selection) {\n\tcurrent = s\n}\n"}
    with indexed_files(tmp_path, files, tiny_embedder) as idx:
        for mode in ("lexical", "hybrid"):
            hits = idx.search(Query('log.Fatal(srv.ListenAndServe(":2222", nil))', k=3, mode=mode))
            assert hits[0].qualified_name == "ListenAndServe", [h.qualified_name for h in hits]
        kept = idx.search(Query("setSelection(ListenAndServe(doc, pos))", k=3, mode="lexical"))
    assert kept[0].qualified_name == "setSelection", [h.qualified_name for h in kept]


def test_a_member_called_on_the_package_by_a_name_the_code_has_too_is_found(tmp_path, tiny_embedder) -> None:
    """fs-extra's README writes `fs.copy(...)` and `fs.ensureSymlink(...)`; `fs` is also its lib/fs and a `const fs` in
    most files, so no member of a variable was looked for, and a helper holding the name in a string came first
    (probe 226). A few definitions of the member, or the export binding it, are what is asked."""
    files = {"lib/fs/index.js": "'use strict'\nconst fs = require('graceful-fs')\nObject.assign(exports, fs)\n",
             "lib/copy/copy.js": "'use strict'\nconst fs = require('../fs')\n\nasync function copy (src, dest, opts = {})"
                                 " {\n  const st = await fs.lstat(src)\n  return copyFile(src, dest)\n}\n\n"
                                 "async function copyFile (src, dest) {\n  await fs.copyFile(src, dest)\n"
                                 "  return fs.chmod(dest, 0o644)\n}\n\nmodule.exports = copy\n",
             "lib/index.js": "'use strict'\nconst { createThing } = require('./thing')\n\nmodule.exports = {\n"
                             "  createThing,\n  ensureThing: createThing\n}\n",
             "lib/thing.js": "'use strict'\nconst fs = require('fs')\n\nasync function createThing (src, dst) {\n"
                             "  return fs.promises.symlink(src, dst)\n}\n\nmodule.exports = { createThing }\n",
             "lib/paths.js": "'use strict'\nconst fs = require('fs')\n\nasync function thingPaths (src, dst) {\n"
                             "  try {\n    await fs.promises.lstat(src)\n  } catch (err) {\n"
                             "    err.message = err.message.replace('lstat', 'ensureThing')\n    throw err\n  }\n"
                             "  return { toCwd: src, toDst: src }\n}\n\nmodule.exports = { thingPaths }\n"}
    with indexed_files(tmp_path, files, tiny_embedder) as idx:
        copy = idx.search(Query("fs.copy('/tmp/myfile', '/tmp/mynewfile')", k=3, mode="lexical"))
        ensure = idx.search(Query("await fs.ensureThing(srcPath, destPath)", k=3, mode="lexical"))
    assert (copy[0].path, copy[0].qualified_name) == ("lib/copy/copy.js", "copy"), [h.qualified_name for h in copy]
    assert (ensure[0].path, ensure[0].signals.get("binds")) == ("lib/index.js", "ensureThing"), [
        (h.path, h.signals.get("binds")) for h in ensure]


def test_a_go_method_typed_with_its_package_and_type_is_that_method(tmp_path, tiny_embedder) -> None:
    """groupcache: `lru.Cache.RemoveOldest` put type Cache first, `consistenthash.Map.Get` put type Map, httpGetter.Get
    and lru's Cache.Get before Map.Get, all tied (probe 230): package, type and method typed name one method."""
    files = {"ring/ring.go": "// Package ring provides a consistent hash ring.\npackage ring\n\n// Map is a ring of "
                             "hashed keys.\ntype Map struct {\n\tkeys []int\n}\n\n// Get gets the closest item.\n"
                             "func (m *Map) Get(key string) string {\n\treturn \"\"\n}\n",
             "getter.go": "package cache\n\ntype httpGetter struct {\n\tbaseURL string\n}\n\n// Get fetches the value.\n"
                          "func (h *httpGetter) Get(key string) string {\n\treturn h.baseURL + key\n}\n",
             "lru/lru.go": "package lru\n\n// Cache is an LRU cache.\ntype Cache struct {\n\tMaxEntries int\n}\n\n"
                           "// Get looks up a key's value.\nfunc (c *Cache) Get(key string) string {\n\treturn \"\"\n}\n\n"
                           "// RemoveOldest removes the oldest item.\nfunc (c *Cache) RemoveOldest() {\n}\n"}
    with indexed_files(tmp_path, files, tiny_embedder) as idx:
        for typed, want in (("ring.Map.Get", ("ring/ring.go", "Map.Get")),
                            ("lru.Cache.RemoveOldest", ("lru/lru.go", "Cache.RemoveOldest"))):
            hits = idx.search(Query(typed, k=3, mode="hybrid"))
            assert (hits[0].path, hits[0].qualified_name) == want, [(h.path, h.qualified_name) for h in hits]
            assert hits[0].signals.get("symbol") == "exact" and hits[1].signals.get("symbol") != "exact"


def test_a_name_called_as_a_pasted_import_brought_it_in_is_that_modules(tmp_path, tiny_embedder) -> None:
    """jsonpath-ng: `from jsonpath_ng.ext import parse` then `parse('foo[*].baz')` tied three `parse`, the base
    parser's first (probe 229): the import says which module's."""
    files = {"pkg/parser.py": "def parse(string):\n    \"\"\"Parse a path such as foo[*].baz into an expression.\"\"\"\n"
                              "    return JsonPathParser().parse(string)\n",
             "pkg/ext/parser.py": "def parse(path, debug=False):\n    return ExtentedJsonPathParser(debug=debug).parse(path)\n",
             "pkg/ext/__init__.py": "from .parser import parse  # noqa\n"}
    with indexed_files(tmp_path, files, tiny_embedder) as idx:
        hits = idx.search(Query("from pkg.ext import parse\njsonpath_expr = parse('foo[*].baz')", k=3, mode="lexical"))
    assert hits[0].path == "pkg/ext/parser.py", [(h.path, h.qualified_name) for h in hits]
    assert hits[0].score > next(h.score for h in hits if h.path == "pkg/parser.py")  # no tie decided by order


def test_a_pasted_call_finds_the_method_not_a_field_spelt_alike(tmp_path, tiny_embedder) -> None:
    """memberlist: `n, err := list.Join([]string{"1.2.3.4"})` put a struct's `Join bool` field level with, and before,
    Memberlist.Join (probe 232): a call calls the method found, not a field alike."""
    files = {
        'wire.go': ('package memberlist\n\n// header is sent before a state exchange.\ntype he'
            'ader struct {\n\tNodes int\n\tJoin  bool // Is this a join request or an a'
            'nti-entropy run\n}\n'),
        'members.go': ('package memberlist\n\nimport "errors"\n\n// Memberlist is a set of peers.\n'
            'type Memberlist struct {\n\tpeers []string\n}\n\n// Join contacts the given'
            ' peers and adds them to the list, returning how many answered.\nfunc (m'
            ' *Memberlist) Join(existing []string) (int, error) {\n\tif len(existing)'
            ' == 0 {\n\t\treturn 0, errors.New("no peers")\n\t}\n\tm.peers = append(m.peer'
            's, existing...)\n\treturn len(existing), nil\n}\n'),
    }
    with indexed_files(tmp_path, files, tiny_embedder) as idx:
        hits = idx.search(Query('n, err := list.Join([]string{"1.2.3.4"})', k=3, mode="hybrid"))
        field = idx.search(Query("header.Join", k=3, mode="lexical"))
    assert hits[0].qualified_name == "Memberlist.Join" and not hits[0].signals.get("binds")
    assert all(not h.signals.get("binds") for h in hits), [(h.qualified_name, h.signals.get("binds")) for h in hits]
    assert field[0].signals.get("binds") == "Join"  # typed as the type's field, it is what is found


def test_a_php_static_method_typed_on_a_subclass_finds_the_inherited_one(tmp_path, tiny_embedder) -> None:
    """php-amqplib: `AMQPStreamConnection::create_connection([` found no name (AbstractConnection's, 4th), though
    written with `.` it was (probe 232): PHP's `::` is a member as `.` is, inherited ones too."""
    files = {
        'src/StreamConnection.php': ('<?php\nnamespace Acme\\Connection;\n\nclass StreamConnection extends Abstr'
            'actConnection\n{\n    public function __construct($host, $port)\n    {\n  '
            '      $this->host = $host;\n        $this->port = $port;\n    }\n\n    pro'
            'tected static function try_create_connection($host, $port, $options)\n '
            '   {\n        return new static($host, $port);\n    }\n}\n'),
        'src/LazyConnection.php': ('<?php\nnamespace Acme\\Connection;\n\nclass LazyConnection extends StreamC'
            'onnection\n{\n    public static function create_connection($hosts, $opti'
            "ons = array())\n    {\n        throw new \\RuntimeException('Lazy connect"
            "ions do not support multiple hosts');\n    }\n}\n"),
        'src/AbstractConnection.php': ('<?php\nnamespace Acme\\Connection;\n\nabstract class AbstractConnection\n{\n'
            '    /**\n     * Try the hosts in order and return the first connection '
            'that opens.\n     */\n    public static function create_connection($host'
            's, $options = array())\n    {\n        foreach ($hosts as $hostdef) {\n  '
            '          try {\n                return static::try_create_connection($'
            "hostdef['host'], $hostdef['port'], $options);\n            } catch (\\Ex"
            'ception $e) {\n                $latest_exception = $e;\n            }\n  '
            '      }\n        throw $latest_exception;\n    }\n}\n'),
    }
    with indexed_files(tmp_path, files, tiny_embedder) as idx:
        hits = idx.search(Query("StreamConnection::create_connection", k=4, mode="lexical"))
    names = [h.qualified_name for h in hits]
    assert "Acme\\Connection\\AbstractConnection::create_connection" in names[:3], names
    assert all(h.signals.get("symbol") for h in hits[:3]), names


def test_an_index_from_before_export_map_entries_reads_its_files_again_once(tmp_path, tiny_embedder) -> None:
    """Migration 47: esbuild's `__export(x, { whyAmIRunning: () => whyAmIRunning })` was a `method` unit found before
    the function (probe 231); an index of schema 46 reads every file again once, said once, and the entry is gone."""
    from codesearch.store.catalog import EXPORT_MAP_REREAD_NOTE

    files = {"capture.js": "var capture_exports = {};\n__export(capture_exports, {\n  whyAmIRunning: () => whyAmIRunning\n"
                           "});\nfunction whyAmIRunning() {\n  return stack;\n}\n",
             "util.js": "function escapeLiteral(str) {\n  return str\n}\n"}
    _written_before(tmp_path, tiny_embedder, files, "DELETE FROM functions WHERE kind = 'function'", 46)
    with _reread_once(tmp_path, tiny_embedder, EXPORT_MAP_REREAD_NOTE, ["capture.js", "util.js"]) as idx:
        kinds = [k for (k,) in idx.store.catalog.db.execute("SELECT kind FROM functions WHERE name = 'whyAmIRunning'")]
    assert kinds == ["function"], kinds


def test_a_pasted_require_of_the_package_itself_finds_its_main_file(tmp_path, tiny_embedder) -> None:
    """nodemon's README `const nodemon = require('nodemon');` put lib/config/load.js (which says "nodemon" in a
    string) before lib/nodemon.js, package.json's main (probe 232): the package's own name asks for its main file."""
    files = {'lib/app.js': "var bus = require('./bus');\n\nfunction app(settings) {\n  // start watching and run the script\n  bus.emit('start', settings);\n  return app;\n}\n\napp.restart = function () {\n  bus.emit('restart');\n  return app;\n};\n\napp.addListener = app.on = function (event, handler) {\n  bus.on(event, handler);\n  return app;\n};\n\nmodule.exports = app;\n", 'lib/bus.js': "var events = require('events');\nvar bus = new events.EventEmitter();\nmodule.exports = bus;\n", 'package.json': '{"name":"app","main":"./lib/app"}\n'}
    with indexed_files(tmp_path, files, tiny_embedder) as idx:
        own = idx.search(Query("const app = require('app');", k=3, mode="lexical"))
        imported = idx.search(Query("import app from 'app'", k=3, mode="lexical"))
        other = idx.search(Query("const events = require('events');", k=3, mode="lexical"))
    assert own[0].path == "lib/app.js" and own[0].signals.get("symbol") == "exact", [(h.path, h.signals) for h in own]
    assert imported[0].path == "lib/app.js"
    assert not any(h.signals.get("symbol") == "exact" and h.path == "lib/app.js" for h in other)


def test_a_pasted_require_of_a_workspace_package_finds_its_main_file(tmp_path, tiny_embedder) -> None:
    """A monorepo's `require('@acme/app')` was read only against the root package.json, so the package's main file
    was never found (named last session): a workspace package's own package.json names it, its built main read
    back to the source file that builds it (`dist/cjs/index.js` from `src/index.ts`)."""
    files = {'packages/app/lib/app.js': "var bus = require('./bus');\n\nfunction app(settings) {\n  bus.emit('start', settings);\n  return app;\n}\n\nmodule.exports = app;\n",
             'packages/app/lib/bus.js': "var events = require('events');\n// the app's bus\nvar bus = new events.EventEmitter();\nmodule.exports = bus;\n",
             'packages/app/package.json': '{"name":"@acme/app","main":"./lib/app"}\n',
             'packages/kit/src/index.ts': "export function makeKit(size: number): number {\n  return size * 2;\n}\n",
             'packages/kit/src/tools.ts': "// a kit of tools for the acme kit\nexport function tool(): string {\n  return 'kit';\n}\n",
             'packages/kit/package.json': '{"name":"@acme/kit","main":"dist/cjs/index.js"}\n',  # (review)
             'package.json': '{"name":"acme","private":true,"workspaces":["packages/*"]}\n'}
    with indexed_files(tmp_path, files, tiny_embedder) as idx:
        app = idx.search(Query("const app = require('@acme/app');", k=3, mode="lexical"))
        kit = idx.search(Query("import kit from '@acme/kit'", k=3, mode="lexical"))
    assert app[0].path == "packages/app/lib/app.js" and app[0].signals.get("symbol") == "exact", [
        (h.path, h.signals) for h in app]
    assert kit[0].path == "packages/kit/src/index.ts" and kit[0].signals.get("symbol") == "exact", [
        (h.path, h.signals) for h in kit]


def test_a_pasted_example_made_by_a_static_factory_finds_the_factory(tmp_path, tiny_embedder) -> None:
    """symfony/http-client's README `$client = HttpClient::create();` then `$client->request(...)` then
    `$response->getStatusCode()` left HttpClient.php out of the first ten (probe 240): pasted alone the factory line is
    found as its name, and an example of several lines whose objects come from a static factory asks for it."""
    from codesearch.query import factory_call

    files = {'CurlClient.php': '<?php\nnamespace Acme\\Http;\n\n/**\n * A client that sends requests with Curl.\n */\nfinal class CurlClient implements ClientInterface\n{\n    private $options;\n\n    public function __construct(array $options = [])\n    {\n        $this->options = $options;\n    }\n\n    public function request(string $method, string $url, array $options = []): Response\n    {\n        $options += $this->options;\n\n        return new Response(200, "$method $url");\n    }\n}\n', 'HttpClient.php': "<?php\nnamespace Acme\\Http;\n\n/**\n * A factory for the best client the platform has.\n */\nfinal class HttpClient\n{\n    /**\n     * Creates a client: curl when the extension is loaded, PHP streams otherwise.\n     */\n    public static function create(array $defaultOptions = []): ClientInterface\n    {\n        if (\\extension_loaded('curl')) {\n            return new CurlClient($defaultOptions);\n        }\n\n        return new NativeClient($defaultOptions);\n    }\n}\n", 'MockClient.php': '<?php\nnamespace Acme\\Http;\n\n/**\n * A client that sends requests with Mock.\n */\nfinal class MockClient implements ClientInterface\n{\n    private $options;\n\n    public function __construct(array $options = [])\n    {\n        $this->options = $options;\n    }\n\n    public function request(string $method, string $url, array $options = []): Response\n    {\n        $options += $this->options;\n\n        return new Response(200, "$method $url");\n    }\n}\n', 'NativeClient.php': '<?php\nnamespace Acme\\Http;\n\n/**\n * A client that sends requests with Native.\n */\nfinal class NativeClient implements ClientInterface\n{\n    private $options;\n\n    public function __construct(array $options = [])\n    {\n        $this->options = $options;\n    }\n\n    public function request(string $method, string $url, array $options = []): Response\n    {\n        $options += $this->options;\n\n        return new Response(200, "$method $url");\n    }\n}\n', 'Response.php': '<?php\nnamespace Acme\\Http;\n\nfinal class Response\n{\n    private $status;\n    private $body;\n\n    public function __construct(int $status, string $body)\n    {\n        $this->status = $status;\n        $this->body = $body;\n    }\n\n    public function getStatusCode(): int\n    {\n        return $this->status;\n    }\n}\n'}
    example = ("$client = HttpClient::create();\n$response = $client->request('GET', 'https://example.com');\n"
               "$statusCode = $response->getStatusCode();")
    assert factory_call(example) == "HttpClient::create"
    assert factory_call("const app = Vue.createApp({});\napp.mount('#app');") == "Vue.createApp"
    assert factory_call("$client = HttpClient::create();") is None  # one line: already read as its name
    assert factory_call("x = load()\ny = x.parse()") is None and factory_call("a = Foo.bar()\nb = Baz.qux()") is None
    with indexed_files(tmp_path, files, tiny_embedder) as idx:
        hits = idx.search(Query(example, k=3, mode="lexical"))
        other = idx.search(Query("$client = Unknown::make();\n$response = $client->request('GET', 'x');", k=3,
                                 mode="lexical"))
        # a built-in's call (`JSON.parse`) whose member only names alike in the code asks nothing of it (review)
        builtin = idx.search(Query("$data = Json::create($text);\n$response = $client->request('GET', 'x');", k=3,
                                   mode="lexical"))
    assert builtin and builtin[0].name != "create", [(h.qualified_name, h.signals) for h in builtin]
    assert hits[0].qualified_name.endswith("HttpClient::create"), [h.qualified_name for h in hits]
    assert other and other[0].name != "create"  # a factory the code lacks: the example's words, as before


def test_a_class_named_with_its_folders_as_a_prefix_is_found_before_its_files_licence(tmp_path, tiny_embedder) -> None:
    """swiftmailer: `SendmailTransport` put SendmailTransport.php's licence header (a module piece named for its file)
    first, tied with class Swift_Transport_SendmailTransport (probe 237): the PEAR-style class its file is named for
    is the definition typed."""
    header = '<?php\n\n/*\n * This file is part of Acme.\n * (c) 2004-2009 Someone\n *\n * For the full copyright and license information, please view the LICENSE\n * file that was distributed with this source code.\n */\n\n/**\n * Sends messages using SendmailTransport.\n */\nclass Acme_Transport_SendmailTransport\n{\n    public function send($message)\n    {\n        return 1;\n    }\n}\n'
    files = {"lib/Acme/Transport/SendmailTransport.php": header,
             "lib/Acme/Transport/MailTransport.php": header.replace("SendmailTransport", "MailTransport")}
    with indexed_files(tmp_path, files, tiny_embedder) as idx:
        for mode in ("lexical", "hybrid"):
            hits = idx.search(Query("SendmailTransport", k=3, mode=mode))
            assert hits[0].name == "Acme_Transport_SendmailTransport", [(h.name, h.signals) for h in hits]
            slip = idx.search(Query("SendmailTrasnport", k=3, mode=mode))
            assert slip[0].name == "Acme_Transport_SendmailTransport", [(h.name, h.signals) for h in slip]


def test_a_pasted_decorator_and_def_whose_def_only_tests_have_finds_the_decorator(tmp_path, tiny_embedder) -> None:
    """falcon's `@falcon.before(max_body(64 * 1024))` over `def on_post(self, req, resp):` was read as `on_post`, which
    only tests and examples define: ten of them came first and `falcon.before` not at all (probe 238). The def named
    asks for itself where the main code has it; else the decorator is what the example shows."""
    from codesearch.query import decorator_of

    files = {"lib/__init__.py": "from lib.hooks import before\n",
             "lib/hooks.py": 'def before(action, *args, **kwargs):\n    """Execute the given action function before the '
                             'responder runs."""\n\n    def _before(responder):\n        def do_before(self, req, resp, '
                             '**params):\n            action(req, resp, self, params, *args, **kwargs)\n            '
                             'return responder(self, req, resp, **params)\n\n        return do_before\n\n    return '
                             '_before\n',
             "lib/app.py": "class App:\n    def route(self, path):\n        return lambda f: f\n\n"
                           "    def index(self, req):\n        return 'home'\n",
             "tests/test_hooks.py": "class Things:\n    def on_post(self, req, resp):\n        resp.data = "
                                    "req.stream.read()\n\n\ndef test_post(client):\n    assert "
                                    "client.post('/things').status_code == 200\n"}
    pasted = "@lib.before(max_body(64 * 1024))\ndef on_post(self, req, resp):"
    assert decorator_of(pasted) == "lib.before" and decorator_of("def on_post(self, req, resp):") is None
    with indexed_files(tmp_path, files, tiny_embedder) as idx:
        hits = idx.search(Query(pasted, k=3, mode="lexical"))
        own = idx.search(Query("@app.route('/')\ndef index(self, req):", k=3, mode="lexical"))
    assert (hits[0].path, hits[0].name) == ("lib/hooks.py", "before"), [(h.path, h.name) for h in hits]
    assert own[0].name == "index"  # a def the main code has is what is asked


def test_a_module_qualified_name_is_the_modules_not_a_method_of_a_class_in_it(tmp_path, tiny_embedder) -> None:
    """PyMySQL's `pymysql.connect(...)` (its __init__'s `connect = Connection`) put the method Connection.connect, in
    pymysql/connections.py, first as the exact name (probe 243): a lower-case module before a name asks for what the
    module itself binds or defines, not for a member of one of its classes."""
    files = {'mydb/__init__.py': '"""mydb: a tiny database client."""\nfrom . import connections\n\nthreadsafety = 1\napilevel = "2.0"\n\n\ndef get_client_info():\n    return "1.0"\n\n\nConnect = connect = Connection = connections.Connection\nNULL = "NULL"\n', 'mydb/connections.py': 'import socket\n\n\nclass Connection:\n    """A connection to the database server."""\n\n    def __init__(self, host="localhost", user=None, password="", database=None):\n        self.host = host\n        self.user = user\n        self.password = password\n        self.database = database\n        self.connect()\n\n    def connect(self, sock=None):\n        """Open the socket to the server and authenticate."""\n        if sock is None:\n            sock = socket.create_connection((self.host, 3306))\n        self._sock = sock\n        self._request_authentication()\n\n    def close(self):\n        self._sock.close()\n'}
    with indexed_files(tmp_path, files, tiny_embedder) as idx:
        for text in ("mydb.connect", "connection = mydb.connect(host='localhost', user='user', database='db')"):
            hits = idx.search(Query(text, k=3, mode="lexical"))
            assert (hits[0].path, hits[0].signals.get("symbol")) == ("mydb/__init__.py", "bound"), [
                (h.qualified_name, h.signals.get("symbol")) for h in hits]
        method = idx.search(Query("Connection.connect", k=3, mode="lexical"))
    assert method[0].qualified_name == "Connection.connect"


def test_a_pasted_ruby_example_made_with_new_and_printed_with_puts_finds_the_call(tmp_path, tiny_embedder) -> None:
    """Treetop's README `parser = MyGrammarParser.new` then `puts parser.parse('hello chomsky')`: Ruby's `.new` made
    nothing and `puts` hid the call, so parse came third under parse_anything (probe 243)."""
    from codesearch.query import _as_named

    assert _as_named("puts parser.parse('hello chomsky')") == "parser.parse"
    assert _as_named("parser = MyGrammarParser.new\nputs parser.parse('hello chomsky')") == "MyGrammarParser.parse"
    assert _as_named("print the table") == "print the table"
    files = {'grammar.rb': 'class Grammar\n  # the name of the parser class generated for this grammar\n  def parser_name\n    grammar_name.text_value + \'Parser\'\n  end\n\n  def compile(builder)\n    builder.class_declaration "#{parser_name} < CompiledParser"\n  end\nend\n', 'compiled_parser.rb': 'class CompiledParser\n  def parse(input, options = {})\n    prepare_to_parse(input)\n    result = send("_nt_#{options[:root] || root}")\n    return nil if index != input.size\n    result\n  end\n\n  def parse_anything(node_class = SyntaxNode)\n    if index < input.length\n      @index += 1\n      node_class.new(input, index...(index + 1))\n    else\n      terminal_parse_failure("any character")\n    end\n  end\n\n  def prepare_to_parse(input)\n    @input = input\n    @index = 0\n    @node_cache = {}\n  end\nend\n'}
    with indexed_files(tmp_path, files, tiny_embedder) as idx:
        for text in ("puts parser.parse('hello chomsky')", "parser = MyGrammarParser.new\nputs parser.parse('hello chomsky')"):
            hits = idx.search(Query(text, k=3, mode="lexical"))
            assert hits[0].qualified_name == "CompiledParser#parse", [(h.qualified_name, h.signals) for h in hits]


def test_a_name_typed_with_the_other_sides_spelling_finds_the_codes(tmp_path, tiny_embedder) -> None:
    """Treetop: `treetop_camelise` put treetop_name before `treetop_camelize` and said nothing is named so (probe 243):
    a name's word spelt the British or the American way finds the name the code spells the other way."""
    files = {'text.rb': 'class String\n  def column_of(index)\n    return 1 if index == 0\n    newline_index = rindex("\\n", index - 1)\n    newline_index ? index - newline_index : index + 1\n  end\n\n  def treetop_camelize\n    to_s.gsub(/\\/(.?)/){ "::" + $1.upcase }.gsub(/(^|_)(.)/){ $2.upcase }\n  end\nend\n', 'treetop_file.rb': 'module Treetop\n  class TreetopFile\n    def compile\n      (elements.map {|elt| elt.compile}).join\n    end\n  end\n\n  class TreetopGrammar\n    def treetop_name\n      "treetop grammar"\n    end\n  end\nend\n'}
    with indexed_files(tmp_path, files, tiny_embedder) as idx:
        for text in ("treetop_camelise", "treetopCamelise"):
            hits = idx.search(Query(text, k=3, mode="lexical"))
            assert hits[0].name == "treetop_camelize", [(h.name, h.signals) for h in hits]


def test_a_go_package_function_typed_with_its_package_is_before_the_method_of_its_namesake_type(
        tmp_path, tiny_embedder) -> None:
    """kong's `kong.Parse(&CLI)` found the method Kong.Parse before global.go's `func Parse`, which every example calls
    (probe 242): a lower-case qualifier that is the package the code declares names the package's function, not a
    variable of the type named like it. `${var}` typed alone is a placeholder's words, no call of `$` (probe 242)."""
    files = {"global.go": "package shop\n\n// Open creates a shop from the default settings and opens it.\n"
                          "func Open() *Shop {\n\ts := &Shop{}\n\t_ = s.Open()\n\treturn s\n}\n",
             "shop.go": "package shop\n\n// Shop is a store front.\ntype Shop struct{ open bool }\n\n"
                        "// Open marks the shop as open for customers.\nfunc (s *Shop) Open() error {\n"
                        "\ts.open = true\n\treturn nil\n}\n",
             "interpolate.go": "package shop\n\n// Interpolate expands ${var} placeholders in s.\n"
                               "func Interpolate(s string, vars map[string]string) string {\n"
                               "\treturn os.Expand(s, func(k string) string { return vars[k] })\n}\n"}
    with indexed_files(tmp_path, files, tiny_embedder) as idx:
        for text, mode in (("shop.Open()", "hybrid"), ("shop.Open", "lexical"), ("shop.Open()", "lexical")):
            hits = idx.search(Query(text, k=2, mode=mode))
            assert (hits[0].path, hits[0].qualified_name) == ("global.go", "Open"), [
                (h.qualified_name, h.signals) for h in hits]
        placeholder = idx.search(Query("${var}", k=2, mode="lexical"))
    assert placeholder and placeholder[0].name == "Interpolate"


def test_a_member_of_a_namespace_reopened_in_many_files_comes_before_the_namespace(tmp_path, tiny_embedder) -> None:
    """octokit: `Octokit.configure` put four of the 75 `module Octokit` units before Configurable#configure, the one
    method of that name, mixed into the namespace (probe 245): a type reopened in several files is a namespace, and
    the member typed on it is what is asked."""
    files = {'lib/app.rb': "require 'app/settings'\nrequire 'app/client'\n\n# Top-level namespace of the toolkit\nmodule App\n  class << self\n    include App::Settings\n\n    # A shared client\n    def client\n      @client ||= App::Client.new\n    end\n  end\nend\n", 'lib/app/client.rb': "require 'app/client/pulls'\n\nmodule App\n  # The API client\n  class Client\n    include App::Settings\n    include App::Client::Pulls\n\n    def initialize(options = {})\n      @endpoint = options[:endpoint]\n    end\n  end\nend\n", 'lib/app/client/pulls.rb': 'module App\n  class Client\n    # Methods for pull requests\n    module Pulls\n      # Merge a pull request\n      def merge_pull(repo, number, message = \'\')\n        put "repos/#{repo}/pulls/#{number}/merge", :commit_message => message\n      end\n\n      # List pull requests\n      def pulls(repo)\n        get "repos/#{repo}/pulls"\n      end\n    end\n  end\nend\n', 'lib/app/settings.rb': 'module App\n  # Configuration for App\n  module Settings\n    attr_accessor :endpoint, :token\n\n    # Set configuration options using a block\n    def configure\n      yield self\n    end\n\n    # Reset configuration to the defaults\n    def reset!\n      @endpoint = nil\n      @token = nil\n    end\n  end\nend\n', 'lib/app/version.rb': 'module App\n  VERSION = "1.0.0".freeze\nend\n'}
    with indexed_files(tmp_path, files, tiny_embedder) as idx:
        for text, wanted in (("App.configure", "App::Settings#configure"),
                             ("App::Client#merge_pull", "App::Client::Pulls#merge_pull")):
            hits = idx.search(Query(text, k=3, mode="hybrid"))
            assert hits[0].qualified_name == wanted, [(h.qualified_name, h.signals.get("symbol")) for h in hits]


def test_a_call_among_a_pasted_calls_arguments_is_named_too(tmp_path, tiny_embedder) -> None:
    """WTForms' `level = IntegerField('User Level', [validators.NumberRange(min=0, max=10)])` left NumberRange 22nd,
    under tests (probe 244); cssparser's `String css = sheet.getCssText(new CSSFormat().setRgbAsHex(true));` tied 8
    `getCssText`s first and left setRgbAsHex out of ten (probe 245): the calls among the arguments of the call a line
    was read as are named too, after it, before it where it names too many to say which."""
    from codesearch.query import QueryTerms

    assert QueryTerms.parse("x = load(parse(s), 2)").argument_calls == ("parse",)
    assert QueryTerms.parse("where do we load(parse) things").argument_calls == ()
    # a call inside a tuple or a list given (agate's docs: `table.compute([('change', agate.Change('2000', '2010'))])`
    # was read as compute alone: probe 290)
    assert QueryTerms.parse("new_table = table.compute([('change', agate.Change('2000', '2010'))])").argument_calls \
        == ("agate.Change",)
    assert QueryTerms.parse("t = table.aggregate([('n', Count()), ('m', Mean('x'))])").argument_calls == ("Count", "Mean")
    assert QueryTerms.parse("x = load((a + b), 2)").argument_calls == ()
    assert QueryTerms.parse("x = f([[[[deep(1)]]]])").argument_calls == ("deep",)  # deeper than looked into (review)
    with indexed_files(tmp_path / "py", {'pkg/fields.py': 'class IntegerField:\n    """A text field, except all input is coerced to an integer."""\n\n    def __init__(self, label=None, validators=None):\n        self.label = label\n        self.validators = validators or []\n\n    def process_formdata(self, valuelist):\n        if valuelist:\n            self.data = int(valuelist[0])\n\n\nclass StringField:\n    """Represents an input type=text."""\n\n    def __init__(self, label=None, validators=None):\n        self.label = label\n        self.validators = validators or []\n', 'pkg/validators.py': 'class NumberRange:\n    """Validates that a number is of a minimum and/or maximum value, inclusive."""\n\n    def __init__(self, min=None, max=None, message=None):\n        self.min = min\n        self.max = max\n        self.message = message\n\n    def __call__(self, form, field):\n        data = field.data\n        if data is None or (self.min is not None and data < self.min) or (self.max is not None and data > self.max):\n            raise ValueError(self.message or "Number out of range.")\n\n\nclass Length:\n    """Validates the length of a string."""\n\n    def __init__(self, min=-1, max=-1):\n        self.min = min\n        self.max = max\n'}, tiny_embedder) as idx:
        hits = idx.search(Query("level = IntegerField('User Level', [validators.NumberRange(min=0, max=10)])", k=4,
                                mode="hybrid"))
    names = [h.qualified_name for h in hits]
    assert names[0].startswith("IntegerField") and "NumberRange" in names[:3], names
    with indexed_files(tmp_path / "java", {'src/CharsetImpl.java': 'package demo;\n\n/** A Charset node of the object model. */\npublic class CharsetImpl implements Formatable {\n    private String text_;\n\n    @Override\n    public String getText(final Format format) {\n        if (format == null) {\n            return text_;\n        }\n        return "Charset:" + text_;\n    }\n}\n', 'src/CounterImpl.java': 'package demo;\n\n/** A Counter node of the object model. */\npublic class CounterImpl implements Formatable {\n    private String text_;\n\n    @Override\n    public String getText(final Format format) {\n        if (format == null) {\n            return text_;\n        }\n        return "Counter:" + text_;\n    }\n}\n', 'src/FontImpl.java': 'package demo;\n\n/** A Font node of the object model. */\npublic class FontImpl implements Formatable {\n    private String text_;\n\n    @Override\n    public String getText(final Format format) {\n        if (format == null) {\n            return text_;\n        }\n        return "Font:" + text_;\n    }\n}\n', 'src/Format.java': 'package demo;\n\n/** Options for writing text out. */\npublic class Format {\n    private boolean hex_;\n    private boolean singleQuotes_;\n\n    public boolean isHex() {\n        return hex_;\n    }\n\n    public Format setHex(final boolean hex) {\n        hex_ = hex;\n        return this;\n    }\n\n    public Format setSingleQuotes(final boolean singleQuotes) {\n        singleQuotes_ = singleQuotes;\n        return this;\n    }\n}\n', 'src/Formatable.java': 'package demo;\n\npublic interface Formatable {\n    String getText(Format format);\n}\n', 'src/ImportImpl.java': 'package demo;\n\n/** A Import node of the object model. */\npublic class ImportImpl implements Formatable {\n    private String text_;\n\n    @Override\n    public String getText(final Format format) {\n        if (format == null) {\n            return text_;\n        }\n        return "Import:" + text_;\n    }\n}\n', 'src/MediaImpl.java': 'package demo;\n\n/** A Media node of the object model. */\npublic class MediaImpl implements Formatable {\n    private String text_;\n\n    @Override\n    public String getText(final Format format) {\n        if (format == null) {\n            return text_;\n        }\n        return "Media:" + text_;\n    }\n}\n', 'src/PageImpl.java': 'package demo;\n\n/** A Page node of the object model. */\npublic class PageImpl implements Formatable {\n    private String text_;\n\n    @Override\n    public String getText(final Format format) {\n        if (format == null) {\n            return text_;\n        }\n        return "Page:" + text_;\n    }\n}\n', 'src/RectImpl.java': 'package demo;\n\n/** A Rect node of the object model. */\npublic class RectImpl implements Formatable {\n    private String text_;\n\n    @Override\n    public String getText(final Format format) {\n        if (format == null) {\n            return text_;\n        }\n        return "Rect:" + text_;\n    }\n}\n', 'src/RuleImpl.java': 'package demo;\n\n/** A Rule node of the object model. */\npublic class RuleImpl implements Formatable {\n    private String text_;\n\n    @Override\n    public String getText(final Format format) {\n        if (format == null) {\n            return text_;\n        }\n        return "Rule:" + text_;\n    }\n}\n', 'src/SheetImpl.java': 'package demo;\n\n/** A Sheet node of the object model. */\npublic class SheetImpl implements Formatable {\n    private String text_;\n\n    @Override\n    public String getText(final Format format) {\n        if (format == null) {\n            return text_;\n        }\n        return "Sheet:" + text_;\n    }\n}\n', 'src/StyleImpl.java': 'package demo;\n\n/** A Style node of the object model. */\npublic class StyleImpl implements Formatable {\n    private String text_;\n\n    @Override\n    public String getText(final Format format) {\n        if (format == null) {\n            return text_;\n        }\n        return "Style:" + text_;\n    }\n}\n', 'src/UnknownImpl.java': 'package demo;\n\n/** A Unknown node of the object model. */\npublic class UnknownImpl implements Formatable {\n    private String text_;\n\n    @Override\n    public String getText(final Format format) {\n        if (format == null) {\n            return text_;\n        }\n        return "Unknown:" + text_;\n    }\n}\n', 'src/ValueImpl.java': 'package demo;\n\n/** A Value node of the object model. */\npublic class ValueImpl implements Formatable {\n    private String text_;\n\n    @Override\n    public String getText(final Format format) {\n        if (format == null) {\n            return text_;\n        }\n        return "Value:" + text_;\n    }\n}\n'}, tiny_embedder) as idx:
        hits = idx.search(Query("String s = sheet.getText(new Format().setHex(true));", k=3, mode="hybrid"))
    assert hits[0].qualified_name == "Format.setHex", [(h.qualified_name, h.signals.get("symbol")) for h in hits]


def test_a_name_qualified_by_the_package_finds_its_source_not_the_bundle_named_for_the_package(
        tmp_path, tiny_embedder) -> None:
    """spacetime: `spacetime.whereIts` found the copy in dist/spacetime.cjs (a bundle named for the package) before
    src/whereIts.js (probe 246): a package's bundle is named for it, but its sources are the package too."""
    files = {'src/whereIts.js': '// list the timezones where it is this time now\nconst whereIts = (a, b) => {\n  return Object.keys(zones).filter((tz) => hourIn(tz) >= a && hourIn(tz) <= b)\n}\nexport default whereIts\n', 'src/index.js': "import whereIts from './whereIts.js'\nconst main = (input) => new Date(input)\nmain.whereIts = whereIts\nexport default main\n", 'dist/spacetime.cjs': "/* spacetime 7.10.0 */\n(function (global, factory) {\n  typeof exports === 'object' ? module.exports = factory() : global.spacetime = factory();\n})(this, (function () { 'use strict';\n  const whereIts = (a, b) => {\n    return Object.keys(zones).filter((tz) => hourIn(tz) >= a && hourIn(tz) <= b);\n  };\n  const main = (input) => new Date(input);\n  main.whereIts = whereIts;\n  return main;\n}));\n"}
    with indexed_files(tmp_path, files, tiny_embedder) as idx:
        hits = idx.search(Query("spacetime.whereIts", k=3, mode="hybrid"))
    assert hits[0].path == "src/whereIts.js", [(h.path, h.signals.get("symbol")) for h in hits]


def test_the_second_reviews_cases_of_names_stay_as_they_were(tmp_path, tiny_embedder) -> None:
    """Review of this session's rules: `os.path.join` among a call's arguments names no `join` of the code's; a
    package typed whose folder is held down (Go's mocks/) keeps its own function; two Go structs of one name in two
    packages are no namespace reopened; a Python f-string on a pasted line is a string."""
    files = {"app/loader.py": "def load(path):\n    return open(path).read()\n",
             "app/url.py": "class Url:\n    def join(self, other):\n        return self.path + other\n",
             "store/store.go": "package store\n\ntype Store struct{}\n\nfunc NewStore(path string) *Store {\n"
                               "\treturn &Store{}\n}\n",
             "mocks/store.go": "package mocks\n\ntype MockStore struct{}\n\nfunc NewStore() *MockStore {\n"
                               "\treturn &MockStore{}\n}\n",
             "server/config.go": "package server\n\ntype Config struct {\n\tPort int\n}\n",
             "client/config.go": "package client\n\ntype Config struct {\n\tURL string\n}\n",
             "cache/cache.go": "package cache\n\ntype Cache struct{}\n\nfunc (c *Cache) Validate() error {\n"
                               "\treturn nil\n}\n"}
    assert QueryTerms.parse("help_text[cmd] = f'how to run this command'").pasted_line is not None
    assert "test" in QueryTerms.parse('r = c.Retr(f"test-{n}.txt")\nbuf = read_all(r)').string_words
    with indexed_files(tmp_path, files, tiny_embedder) as idx:
        loaded = idx.search(Query('settings = load(os.path.join(root, "settings.json"))', k=3, mode="lexical"))
        mocks = idx.search(Query("mocks.NewStore", k=3, mode="lexical"))
        validate = idx.search(Query("Config.Validate", k=4, mode="lexical"))
    assert not any(h.signals.get("symbol") == "chained" for h in loaded), [(h.qualified_name, h.signals) for h in loaded]
    assert mocks[0].path == "mocks/store.go", [(h.path, h.signals.get("symbol")) for h in mocks]
    assert not any(h.signals.get("symbol") == "exact" for h in validate if h.name == "Validate")


def test_a_member_called_on_a_capitalised_name_the_code_has_no_type_of_is_found(tmp_path, tiny_embedder) -> None:
    """uglify-js' README `UglifyJS.minify(code, ...)`: its only `function minify` came 13th, under the code calling
    it (probe 236): a capitalised qualifier that names no type of the code is the package's name for itself."""
    files = {'bin/cli.js': '#! /usr/bin/env node\nvar fs = require("fs");\nvar MyTool = require("../lib/index");\n\nfunction run(files, options) {\n    var result = MyTool.minify(files, options);\n    if (result.error) throw result.error;\n    fs.writeFileSync(options.output, result.code);\n}\n\nfunction check(value) {\n    return MyTool.minify(value, { compress: false, mangle: false }).code;\n}\n', 'lib/minify.js': 'function minify(files, options) {\n    options = defaults(options, { compress: {}, mangle: {}, output: {} });\n    var toplevel = parse(files, options.parse);\n    if (options.compress) toplevel = new Compressor(options.compress).compress(toplevel);\n    if (options.mangle) toplevel.mangle_names(options.mangle);\n    return { code: toplevel.print_to_string(options.output) };\n}\n\nfunction to_json(cache) {\n    return { props: cache.props.toObject() };\n}\n', 'lib/parse.js': 'function parse(text, options) {\n    var tokens = tokenize(text);\n    return build_tree(tokens, options);\n}\n'}
    with indexed_files(tmp_path, files, tiny_embedder) as idx:
        hits = idx.search(Query("MyTool.minify", k=3, mode="lexical"))
    assert (hits[0].path, hits[0].name) == ("lib/minify.js", "minify"), [(h.path, h.name) for h in hits]


def test_a_usage_example_in_a_docstring_is_no_place_of_a_pasted_line(tmp_path, tiny_embedder) -> None:
    """cookiecutter: `shutil.rmtree(path, onerror=force_delete)` tied force_delete, whose docstring shows it as usage,
    with rmtree, which runs it, and put force_delete first (probe 236): a docstring is no code, as a comment is not."""
    files = {"utils.py": 'import os\nimport shutil\nimport stat\n\n\ndef force_delete(func, path, exc_info):\n    """Error handler for `shutil.rmtree()` equivalent to `rm -rf`.\n\n    Usage: `shutil.rmtree(path, onerror=force_delete)`\n    """\n    os.chmod(path, stat.S_IWRITE)\n    func(path)\n\n\ndef rmtree(path):\n    """Remove a directory and all its contents. Like rm -rf on Unix.\n\n    :param path: A directory path.\n    """\n    shutil.rmtree(path, onerror=force_delete)\n'}
    with indexed_files(tmp_path, files, tiny_embedder) as idx:
        hits = idx.search(Query("shutil.rmtree(path, onerror=force_delete)", k=3, mode="lexical"))
    assert hits[0].name == "rmtree" and hits[0].signals.get("quoted"), [(h.name, h.signals) for h in hits]
    assert not any(h.signals.get("quoted") for h in hits if h.name == "force_delete")


def test_a_method_called_on_a_constant_no_unit_defines_is_found(tmp_path, tiny_embedder) -> None:
    """dry-types' `Types::String.enum('draft', 'published')`: `Types::String` is made at run time, and Enum#to_s
    (whose doc says "String") came before Builder#enum (probe 234): the few definitions of the member are named."""
    files = {'lib/types/builder.rb': "module Types\n  module Builder\n    # Define an enum on top of the existing type\n    #\n    # @param [Array] values\n    #\n    # @return [Enum]\n    def enum(*values)\n      mapping = values.zip(values).to_h\n      Enum.new(self, mapping: mapping)\n    end\n\n    def optional\n      Types['nil'] | self\n    end\n  end\nend\n", 'lib/types/enum.rb': 'module Types\n  class Enum\n    attr_reader :type, :mapping\n\n    def initialize(type, mapping:)\n      @type = type\n      @mapping = mapping\n    end\n\n    def call(input)\n      type.call(mapping.fetch(input))\n    end\n\n    # @return [String]\n    def to_s\n      PRINTER.(self)\n    end\n  end\nend\n'}
    with indexed_files(tmp_path, files, tiny_embedder) as idx:
        hits = idx.search(Query("Statuses = Types::String.enum('draft', 'published', 'archived')", k=3, mode="lexical"))
    assert hits[0].qualified_name == "Types::Builder#enum", [h.qualified_name for h in hits]


def test_a_member_called_on_a_variable_finds_the_type_it_is_named_for(tmp_path, tiny_embedder) -> None:
    """prosemirror-state's `let newState = view.state.apply(tr)` put four one-line `apply`s of state.ts's field list
    (named exactly as the module `state`) before EditorState.apply (probe 225): `state` is an EditorState."""
    files = {"src/state.ts": "class FieldDesc {\n  constructor(readonly name: string, desc: any) {}\n}\n\n"
                             "const baseFields = [\n  new FieldDesc(\"doc\", {\n    init(config) { return config.doc },\n"
                             "    apply(tr) { return tr.doc }\n  }),\n  new FieldDesc(\"selection\", {\n"
                             "    init(config) { return config.selection },\n    apply(tr) { return tr.selection }\n"
                             "  })\n]\n\nexport class EditorState {\n  /** Apply the given transaction to produce a new "
                             "state. */\n  apply(tr: Transaction): EditorState {\n    return this.applyTransaction(tr)"
                             ".state\n  }\n}\n"}
    with indexed_files(tmp_path, files, tiny_embedder) as idx:
        hits = idx.search(Query("let newState = view.state.apply(tr)", k=3, mode="lexical"))
    assert hits[0].qualified_name == "EditorState.apply", [h.qualified_name for h in hits]


PAPA_JS = ("(function(root, factory)\n{\n\tif (typeof define === 'function' && define.amd)\n\t{\n\t\tdefine([], factory);\n"
           "\t}\n\telse\n\t{\n\t\troot.Papa = factory();\n\t}\n}(this, function moduleFactory()\n{\n\t'use strict';\n"
           "\tvar Papa = {};\n\tPapa.parse = CsvToJson;\n\tPapa.unparse = JsonToCsv;\n"
           "\tPapa.RECORD_SEP = String.fromCharCode(30);\n\n"
           + "".join(f"\tfunction helper{i}(value)\n\t{{\n\t\treturn value + {i};\n\t}}\n\n" for i in range(4))
           + "\tfunction CsvToJson(input, config)\n\t{\n\t\treturn input.split(config.delimiter);\n\t}\n\n"
           "\tfunction JsonToCsv(input, config)\n\t{\n\t\treturn input.join(config.delimiter);\n\t}\n\n"
           "\treturn Papa;\n}));\n")
PLAYER_JS = ("$('#submit-unparse').click(function()\n{\n\tvar input = $('#input').val();\n"
             "\tvar results = Papa.unparse(input, {\n\t\tdelimiter: ',',\n\t});\n\t$('#output').text(results);\n});\n")


def test_a_name_a_named_module_factory_binds_is_found(tmp_path, tiny_embedder) -> None:
    """papaparse: its UMD factory is `function moduleFactory()`, named, so it stayed one function unit and its
    `Papa.unparse = JsonToCsv;` bound nothing; `Papa.unparse` put the demo that calls it first, JsonToCsv third
    (probe 249). A wrapper's factory is the module, named or not, and its body's own lines bind as a top level's."""
    units = parse_source(PAPA_JS.encode(), "javascript", "papaparse.js")
    assert not any(u.name == "moduleFactory" for u in units), [(u.kind, u.name) for u in units]
    assert {"Papa", "parse", "unparse", "RECORD_SEP"} <= {b[0] for u in units for b in u.binds}
    files = {"papaparse.js": PAPA_JS, "player/player.js": PLAYER_JS}
    with indexed_files(tmp_path, files, tiny_embedder) as idx:
        hits = idx.search(Query("Papa.unparse", k=3, mode="lexical"))
    assert [h.path for h in hits[:2]] == ["papaparse.js"] * 2, [(h.path, h.qualified_name) for h in hits]
    assert "JsonToCsv" in [h.name for h in hits[:2]], [(h.path, h.qualified_name) for h in hits]


def test_a_pasted_chain_whose_last_step_is_a_dependencys_finds_the_step_the_code_defines(tmp_path, tiny_embedder) -> None:
    """tiptap's docs: `editor.chain().focus().mergeOrSplit().run()` was read as `run`, the core's, and the extension's
    mergeOrSplit was never looked up: countRuns came first, mergeOrSplit not in ten (probe 253)."""
    files = {"commands.ts": "export const Commands = {\n  mergeOrSplit: () => (state: { cells: number }) => {\n"
                            "    return mergeCells(state) || splitCell(state)\n  },\n}\n\n"
                            "export function mergeCells(state: { cells: number }): boolean {\n  return state.cells > 1\n}\n",
             "runs.ts": "export function countRuns(line: string): number {\n  let runs = 0\n  let runLen = 0\n"
                        "  for (const ch of line) {\n    runLen = ch === '`' ? runLen + 1 : 0\n"
                        "    if (runLen === 1) runs += 1\n  }\n  return runs\n}\n"}
    with indexed_files(tmp_path, files, tiny_embedder) as idx:
        hits = idx.search(Query("editor.chain().focus().mergeOrSplit().run()", k=3, mode="lexical"))
    assert hits[0].qualified_name == "Commands.mergeOrSplit", [(h.qualified_name, h.signals) for h in hits]


def test_a_member_the_code_defines_nowhere_finds_the_type_it_is_called_on(tmp_path, tiny_embedder) -> None:
    """tiptap's `TableRow.configure({...})`: `configure` is @tiptap/core's, and a caller of it came first, TableRow's
    definition not in four (probe 253): the type the member is called on, where the code binds it. `JSON.parse`,
    whose owner the code does not define, stays as it was."""
    files = {"row.ts": "import { Node } from '@tiptap/core'\n\nexport interface RowOptions {\n"
                       "  HTMLAttributes: Record<string, any>\n}\n\n/** A table row. */\n"
                       "export const TableRow = Node.create<RowOptions>({\n  name: 'tableRow',\n  addOptions() {\n"
                       "    return { HTMLAttributes: {} }\n  },\n  renderHTML({ HTMLAttributes }) {\n"
                       "    return ['tr', HTMLAttributes, 0]\n  },\n})\n",
             "kit.ts": "import { Extension } from '@tiptap/core'\nimport { TableRow } from './row'\n\n"
                       "export const Kit = Extension.create({\n  name: 'kit',\n  addExtensions() {\n"
                       "    return [TableRow.configure(this.options.tableRow)]\n  },\n})\n"}
    with indexed_files(tmp_path, files, tiny_embedder) as idx:
        hits = idx.search(Query("TableRow.configure({ HTMLAttributes: { class: 'row' } })", k=3, mode="lexical"))
        parsed = idx.search(Query("JSON.parse(text)", k=3, mode="lexical"))
    assert (hits[0].path, hits[0].start_line) == ("row.ts", 8), [(h.path, h.start_line, h.signals) for h in hits]
    assert not any(h.signals.get("symbol") for h in parsed), [(h.qualified_name, h.signals) for h in parsed]


def test_code_pasted_with_its_error_handling_asks_for_the_code_guarded(tmp_path, tiny_embedder) -> None:
    """OGNL's javadoc writes `try { result = Ognl.getValue(expression, root); } catch (...) {...}`: the leading `try`
    read as a keyword lost the call, and Node.getValue, whose body has a try, came first (probe 254). The code
    guarded is what is asked: Java's and PHP's try/catch, Python's try/except, Ruby's begin/rescue."""
    for typed, named in (("try { result = Ognl.getValue(expression, root); }", "Ognl.getValue"),
                         ("begin\n  x = Foo.bar(1)\nrescue => e\nend", "Foo.bar"),
                         ("try:\n    x = foo.bar(1)\nexcept ValueError:\n    pass", "foo.bar")):
        assert QueryTerms.parse(typed).text == named, typed
    assert QueryTerms.parse("try again later").text == "try again later"
    for typed, named in (("try { await promise.finally(cleanup); }", "promise.finally"),  # a member named as a clause
                         ("try { x = Foo.ensure(1); }", "Foo.ensure")):  # is no clause (review)
        assert QueryTerms.parse(typed).text == named, typed
    files = {'Node.java': 'public class Node {\n    private final String source;\n\n    public Node(String source) {\n        this.source = source;\n    }\n\n    /** Gets the value of this node in the context of the given root, catching evaluation errors. */\n    public Object getValue(Object root) throws OgnlException {\n        Object result;\n        try {\n            result = evaluate(root);\n        } catch (RuntimeException ex) {\n            throw new OgnlException("evaluation failed: " + source, ex);\n        }\n        return result;\n    }\n\n    protected Object evaluate(Object root) {\n        return root;\n    }\n}\n', 'Ognl.java': 'public abstract class Ognl {\n    /** Evaluates the given expression string against the root object. */\n    public static Object getValue(String expression, Object root) throws OgnlException {\n        return getValue(parseExpression(expression), root);\n    }\n\n    /** Evaluates a parsed expression tree against the root object. */\n    public static Object getValue(Object tree, Object root) throws OgnlException {\n        return ((Node) tree).getValue(root);\n    }\n\n    public static Object parseExpression(String expression) throws OgnlException {\n        return new Node(expression);\n    }\n}\n', 'OgnlException.java': 'public class OgnlException extends Exception {\n    public OgnlException(String message, Throwable cause) {\n        super(message, cause);\n    }\n}\n'}
    pasted = "try {\n    result = Ognl.getValue(expression, root);\n} catch (OgnlException ex) {\n    log(ex);\n}"
    with indexed_files(tmp_path, files, tiny_embedder) as idx:
        hits = idx.search(Query(pasted, k=3, mode="lexical"))
    assert [h.qualified_name for h in hits[:2]] == ["Ognl.getValue"] * 2, [(h.qualified_name, h.signals) for h in hits]


def test_module_code_is_shown_from_its_typescript_source_not_the_compiled_copy(tmp_path, tiny_embedder) -> None:
    """@scure/btc-signer ships src/net.ts and the net.js tsc made of it: `RETRYABLE_STATUS` showed net.js' module piece,
    src/net.ts under "also in", while its functions showed the source (probe 251): module pieces too."""
    files = {'src/net.ts': "export class NetError extends Error {\n  status?: number;\n  constructor(message: string, status?: number) {\n    super(message);\n    this.status = status;\n  }\n}\n// Public frontends shed load with 429/502/503/504 responses; GETs retry those.\nconst RETRYABLE_STATUS = [429, 502, 503, 504];\nconst RETRY_ATTEMPTS = 8;\nconst isTransient = (error: unknown): boolean => {\n  if (!(error instanceof NetError)) return false;\n  return error.status !== undefined && RETRYABLE_STATUS.includes(error.status);\n};\nexport async function fetchWithRetry(url: string): Promise<string> {\n  for (let i = 0; i < RETRY_ATTEMPTS; i++) {\n    try {\n      const res = await fetch(url);\n      if (!res.ok) throw new NetError(res.statusText, res.status);\n      return await res.text();\n    } catch (e) {\n      if (!isTransient(e)) throw e;\n    }\n  }\n  throw new NetError('too many retries');\n}\n", 'net.js': "export class NetError extends Error {\n    constructor(message, status) {\n        super(message);\n        this.status = status;\n    }\n}\n// Public frontends shed load with 429/502/503/504 responses; GETs retry those.\nconst RETRYABLE_STATUS = [429, 502, 503, 504];\nconst RETRY_ATTEMPTS = 8;\nconst isTransient = (error) => {\n    if (!(error instanceof NetError))\n        return false;\n    return error.status !== undefined && RETRYABLE_STATUS.includes(error.status);\n};\nexport async function fetchWithRetry(url) {\n    for (let i = 0; i < RETRY_ATTEMPTS; i++) {\n        try {\n            const res = await fetch(url);\n            if (!res.ok)\n                throw new NetError(res.statusText, res.status);\n            return await res.text();\n        }\n        catch (e) {\n            if (!isTransient(e))\n                throw e;\n        }\n    }\n    throw new NetError('too many retries');\n}\n"}
    with indexed_files(tmp_path, files, tiny_embedder) as idx:
        hits = idx.search(Query("const RETRYABLE_STATUS = [429, 502, 503, 504];", k=3, mode="lexical"))
    assert hits[0].path == "src/net.ts" and hits[0].kind == "module", [(h.path, h.kind) for h in hits]
    assert [h.path for h in hits] == ["src/net.ts"] * len(hits), [(h.path, h.qualified_name) for h in hits]


def test_a_member_of_another_module_is_not_a_reopened_classs(tmp_path, tiny_embedder) -> None:
    """VCR: `Cassette.new` put a Faraday builder extension's `def new` first as an exact name: VCR::Cassette is
    reopened in two files and that `new` was the code's only one (probe 252). A reopened namespace's one member is the
    name typed only where it is defined inside that namespace (octokit's Octokit::Configurable#configure)."""
    files = {'builder.rb': 'module Hooks\n  # Adds the recording middleware to every builder that gets created.\n  module BuilderClassExtension\n    def new(*args)\n      super.extend BuilderInstanceExtension\n    end\n  end\nend\n', 'cassette/erb_renderer.rb': 'module VCR\n  class Cassette\n    # Renders a cassette file as an ERB template.\n    class ERBRenderer\n      def initialize(raw_template, erb)\n        @raw_template = raw_template\n        @erb = erb\n      end\n    end\n  end\nend\n', 'cassette.rb': 'module VCR\n  # A cassette holds recorded HTTP interactions, loaded from a file by name.\n  class Cassette\n    attr_reader :name\n\n    # Creates a cassette for the given name and options.\n    def initialize(name, options = {})\n      @name = name\n      @options = options\n      @interactions = []\n    end\n\n    def eject\n      @interactions.clear\n    end\n  end\nend\n'}
    with indexed_files(tmp_path, files, tiny_embedder) as idx:
        hits = idx.search(Query("Cassette.new", k=3, mode="lexical"))
    assert hits[0].path == "cassette.rb", [(h.qualified_name, h.signals.get("symbol")) for h in hits]
    assert not any(h.signals.get("symbol") == "exact" for h in hits), [(h.qualified_name, h.signals) for h in hits]


def test_a_slip_read_as_a_methods_name_finds_the_method_before_fields_alike(tmp_path, tiny_embedder) -> None:
    """Caffeine: `maximumWieght`, read as maximumWeight, put two fields `long maximumWeight` first, tied with the
    builder method, all alike only (probe 251): the definition the slip names, not the fields holding its value."""
    files = {'Builder.java': 'package cache;\n\npublic final class Builder {\n    static final int UNSET_INT = -1;\n    long maximumWeight = UNSET_INT;\n    long maximumSize = UNSET_INT;\n\n    /** Specifies the maximum weight of entries the cache may contain. */\n    public Builder maximumWeight(long maximumWeight) {\n        this.maximumWeight = maximumWeight;\n        return this;\n    }\n\n    public Builder maximumSize(long maximumSize) {\n        this.maximumSize = maximumSize;\n        return this;\n    }\n}\n', 'Proxy.java': 'package cache;\n\nfinal class Proxy {\n    long maximumWeight;\n    long maximumSize;\n\n    Object readResolve() {\n        return new Builder().maximumSize(maximumSize);\n    }\n}\n'}
    with indexed_files(tmp_path, files, tiny_embedder) as idx:
        hits = idx.search(Query("maximumWieght", k=3, mode="lexical"))
        typed = idx.search(Query("maximumWeight", k=3, mode="lexical"))
    assert hits[0].qualified_name == "Builder.maximumWeight", [(h.qualified_name, h.signals) for h in hits]
    assert typed[0].qualified_name == "Builder.maximumWeight" and typed[1].signals.get("symbol") == "bound"


def test_a_slip_is_read_as_the_nearest_form_not_the_commoner(tmp_path, tiny_embedder) -> None:
    """OGNL: `getPropertyDescriptrs` was read as getPropertyDescriptor, two slips away, because more units say
    `descriptor` than `descriptors`, one slip away: the plural came 5th (probe 254). The form nearest what was typed."""
    files = {'Beans.java': 'package beans;\n\npublic class Beans {\n    Object read(Class<?> type, String name) {\n        return Props.getPropertyDescriptor(type, name);\n    }\n\n    Object write(Class<?> type, String name) {\n        return Props.getPropertyDescriptor(type, name);\n    }\n\n    boolean has(Class<?> type, String name) {\n        return Props.getPropertyDescriptor(type, name) != null;\n    }\n}\n', 'Props.java': 'package beans;\n\npublic class Props {\n    /** The descriptor of one property of a class, or null. */\n    public static Object getPropertyDescriptor(Class<?> type, String name) {\n        return getPropertyDescriptors(type).get(name);\n    }\n\n    /** Every property descriptor of a class, by property name, cached. */\n    public static java.util.Map<String, Object> getPropertyDescriptors(Class<?> type) {\n        return new java.util.HashMap<>();\n    }\n}\n'}
    with indexed_files(tmp_path, files, tiny_embedder) as idx:
        hits = idx.search(Query("getPropertyDescriptrs", k=3, mode="lexical"))
    assert hits[0].qualified_name == "Props.getPropertyDescriptors", [(h.qualified_name, h.signals) for h in hits]


def test_a_doer_spelt_the_other_way_in_a_short_question_finds_the_class(tmp_path, tiny_embedder) -> None:
    """OGNL: "default type convertor" was read as a declaration of a type `convertor` (its "default" a modifier), and
    the class DefaultTypeConverter, its words joined with the doer spelt -er, was not first (probe 254)."""
    assert QueryTerms.parse("default type convertor").text == "default type convertor"
    assert QueryTerms.parse("public class loader").text == "public class loader"
    assert QueryTerms.parse("public class Loader {").text == "Loader"
    files = {'DefaultTypeConverter.java': 'package ognl;\n\n/** Default type conversion: converts values with OgnlOps.convertValue. */\npublic class DefaultTypeConverter implements TypeConverter {\n    public DefaultTypeConverter() {\n        super();\n    }\n\n    public Object convertValue(Object context, Object value, Class toType) {\n        return Ops.convertValue(value, toType);\n    }\n}\n', 'Ops.java': 'package ognl;\n\npublic abstract class Ops {\n    /** Converts the value to the type given, the default conversion of every type. */\n    public static Object convertValue(Object value, Class toType) {\n        return convertValue(value, toType, false);\n    }\n\n    public static Object convertValue(Object value, Class toType, boolean preventNulls) {\n        return value;\n    }\n\n    public static Object convertValue(Object value, String typeName) {\n        return value;\n    }\n}\n', 'TypeConverter.java': 'package ognl;\n\n/** Converts a value to a type. */\npublic interface TypeConverter {\n    Object convertValue(Object context, Object value, Class toType);\n}\n'}
    with indexed_files(tmp_path, files, tiny_embedder) as idx:
        hits = idx.search(Query("default type convertor", k=3, mode="lexical"))
    assert hits[0].qualified_name == "DefaultTypeConverter", [(h.qualified_name, h.signals) for h in hits]


def test_the_last_item_of_a_list_pasted_with_its_comma_is_found_where_it_is(tmp_path, tiny_embedder) -> None:
    """predis: `'port' => 6379,` pasted from Parameters' defaults, the array's last item, found the example that has
    another item after it and not Parameters (9th): the layout undone drops the comma before `)` (probe 255)."""
    files = {"src/Parameters.php": "<?php\nnamespace Predis;\n\nclass Parameters\n{\n"
                                   "    private static $defaults = array(\n        'scheme' => 'tcp',\n"
                                   "        'host' => '127.0.0.1',\n        'port' => 6379,\n    );\n\n"
                                   "    public function __construct(array $parameters = array())\n    {\n"
                                   "        $this->parameters = $parameters + self::$defaults;\n    }\n}\n",
             "examples/shared.php": "<?php\n\n$single_server = array(\n    'host' => '127.0.0.1',\n"
                                   "    'port' => 6379,\n    'database' => 15,\n);\n\n"
                                   "$client = new Predis\\Client($single_server);\n"}
    with indexed_files(tmp_path, files, tiny_embedder) as idx:
        hits = idx.search(Query("'port' => 6379,", k=3, mode="lexical"))
        shorter = idx.search(Query("'port' => 63,", k=3, mode="lexical"))
    assert hits[0].path == "src/Parameters.php" and hits[0].signals.get("quoted"), [(h.path, h.signals) for h in hits]
    assert not any(h.signals.get("quoted") for h in shorter), [(h.path, h.signals) for h in shorter]


def test_a_member_rdoc_declares_for_a_method_made_at_run_time_is_found_by_name(tmp_path, tiny_embedder) -> None:
    """mechanize: `field_with` is made at run time (`elements_with :field`) and declared for RDoc by `# :method:
    field_with(criteria)` in Form; typed, it found Field#dom_id, whose comment uses it, first (probe 256)."""
    files = {"lib/shop/cart.rb": "module Shop\n  class Cart\n    extend ElementMatcher\n\n"
                                 "    # :method: item_with(criteria)\n    #\n"
                                 "    # Find one item that matches +criteria+\n    elements_with :item\n\n"
                                 "    def total\n      items.sum(&:price)\n    end\n  end\nend\n",
             "lib/shop/item.rb": "module Shop\n  class Item\n    attr_reader :price\n\n"
                                 "    # The label shown, as cart.item_with(name: x) finds it\n"
                                 "    def label\n      \"item #{price}\"\n    end\n  end\nend\n"}
    with indexed_files(tmp_path, files, tiny_embedder) as idx:
        hits = idx.search(Query("item_with", k=3, mode="lexical"))
    assert (hits[0].path, hits[0].start_line) == ("lib/shop/cart.rb", 5), [(h.path, h.start_line, h.signals) for h in hits]


def test_an_example_of_one_types_static_calls_asks_for_the_last(tmp_path, tiny_embedder) -> None:
    """MVEL's README: `Serializable compiled = MVEL.compileExpression("x * y");` then `Object result =
    MVEL.executeExpression(compiled, vars);` stayed words, and executeAllExpression, whose code says Serializable,
    Object and compiled, came first (probe 257): one type's static API called in turn asks for the call it comes to."""
    engine = ("package org.ex;\n\nimport java.io.Serializable;\n\npublic class Engine {\n"
              "    public static Serializable compileExpression(String expression) {\n"
              "        return new CompiledExpression(expression);\n    }\n\n"
              "    public static Object executeExpression(Object compiled, Object vars) {\n"
              "        return ((CompiledExpression) compiled).getValue(vars);\n    }\n\n"
              "    public static Object[] executeAllExpression(Serializable[] compiled, Object vars) {\n"
              "        Object[] result = new Object[compiled.length];\n"
              "        for (int i = 0; i < compiled.length; i++) {\n"
              "            Object value = executeExpression(compiled[i], vars);\n            result[i] = value;\n"
              "        }\n        return result;\n    }\n}\n")
    pasted = ('Serializable compiled = Engine.compileExpression("x * y");\n'
              "Object result = Engine.executeExpression(compiled, vars);")
    with indexed_files(tmp_path, {"src/org/ex/Engine.java": engine}, tiny_embedder) as idx:
        hits = idx.search(Query(pasted, k=3, mode="lexical"))
    assert hits[0].qualified_name == "Engine.executeExpression", [(h.qualified_name, h.signals) for h in hits]


def test_a_chain_of_built_ins_names_no_function_of_the_code(tmp_path, tiny_embedder) -> None:
    """Review: with the chain's steps looked up when the member it was read as is none of the code's, a string's
    `line.split(',').map(...).filter(Boolean)` named the code's own `function split` as a chained symbol: with nothing
    found, only a member (tiptap's `Commands.mergeOrSplit`) is a step's."""
    files = {"text.js": "export function split(text, sep) {\n  const out = []\n  let at = 0\n"
                        "  for (let i = text.indexOf(sep); i >= 0; i = text.indexOf(sep, at)) {\n"
                        "    out.push(text.slice(at, i))\n    at = i + sep.length\n  }\n  return out\n}\n",
             "cart.js": "export function total(items) {\n  return items.reduce((a, b) => a + b.price, 0)\n}\n"}
    with indexed_files(tmp_path, files, tiny_embedder) as idx:
        hits = idx.search(Query("const names = line.split(',').map(s => s.trim()).filter(Boolean)", k=3,
                                mode="lexical"))
    assert not any(h.signals.get("symbol") for h in hits), [(h.qualified_name, h.signals) for h in hits]


def test_a_package_named_call_counts_no_module_code_as_a_definition_of_it(tmp_path, tiny_embedder) -> None:
    """hapi's README `const server = Hapi.server({ port: 3000 })`: `server` is its one function, but server.js' and
    server.d.ts' module code (named for their files) and the .d.ts declaration made four of that name, more than
    MAX_ON_A_NAME, and the function got no symbol: 66th in hapi (probe 259)."""
    files = {'lib/core.js': "'use strict';\n\nmodule.exports = class Core {\n\n    constructor(options) {\n\n        this.settings = Object.assign({ port: 0, host: 'localhost' }, options);\n        this.router = { add() {} };\n    }\n};\n", 'lib/index.js': "'use strict';\n\nconst Server = require('./server');\n\nexports.Server = Server;\n\nexports.server = Server;\n", 'lib/server.js': "'use strict';\n\nconst Core = require('./core');\n\nexports = module.exports = function (options) {\n\n    const core = new Core(options);\n    return new internals.Server(core);\n};\n\nconst internals = {};\n\ninternals.Server = class {\n\n    constructor(core) {\n\n        this._core = core;\n        this.settings = core.settings;\n    }\n\n    route(options) {\n\n        this._core.router.add(options);\n    }\n};\n", 'lib/types/events.d.ts': '/** Events the server emits: start, stop, request, response, route. */\nexport interface ServerEvents {\n    /** Subscribe to an event with a listener. */\n    on(criteria: string, listener: Function): this;\n    /** Remove a listener. */\n    removeListener(name: string, listener: Function): this;\n}\n\n/** Server state (cookie) options. */\nexport interface ServerState {\n    /** The cookie settings. */\n    settings: object;\n    /** Add a cookie definition. */\n    add(name: string, options?: object): void;\n}\n', 'lib/types/info.d.ts': "/** Information about the server: the port it listens on, its host, its uri. */\nexport interface ServerInfo {\n    /** The server port, 3000 say, once started. */\n    port: number | string;\n    /** The host name the server listens on. */\n    host: string;\n    /** The server's uri. */\n    uri: string;\n}\n", 'lib/types/server.d.ts': "import { ServerEvents } from './events';\n\n/** Options of a server: port, host. */\nexport interface ServerOptions {\n    port?: number;\n    host?: string;\n}\n\n/** The server object. */\nexport class Server {\n    constructor(options?: ServerOptions);\n    events: ServerEvents;\n    route(options: object): void;\n}\n\n/** Factory function to create a new server object. */\nexport function server(opts?: ServerOptions): Server;\n", 'package.json': '{ "name": "@acme/widget", "version": "1.0.0", "main": "lib/index.js", "types": "lib/types/index.d.ts" }\n'}
    with indexed_files(tmp_path, files, tiny_embedder) as idx:
        hits = idx.search(Query("const server = Hapi.server({ port: 3000 });", k=3, mode="lexical"))
    assert (hits[0].path, hits[0].name) == ("lib/server.js", "server") and hits[0].signals.get("symbol"), [
        (h.path, h.name, h.signals.get("symbol")) for h in hits]


def test_a_word_is_said_as_the_code_writes_it_and_an_english_verb_is_no_slip(tmp_path, tiny_embedder) -> None:
    """prosemirror-tables: "eliminar la tabla completa" said `read "tabla" as "tabl"`, a stem the code never writes
    (the nearest form taken with the stem among them); ristretto: "halve" was read as `have`, the word list holding
    only "halves" (probe 258)."""
    files = {"src/commands.ts": "/** Deletes the table around the selection. */\nexport function deleteTable(state) {\n"
                                "  const table = findTable(state)\n  return table ? remove(table) : false\n}\n\n"
                                "/** The tables in a document. */\nexport function tables(doc) {\n"
                                "  return doc.children.filter(isTable)\n}\n",
             "sketch.go": "package cache\n\n// reset halves all counter values.\nfunc (s *sketch) reset() {\n"
                          "\tfor i := range s.rows {\n\t\ts.rows[i] >>= 1\n\t}\n}\n",
             "files.go": "package cache\n\n// Sync makes sure we have the files written.\nfunc Sync() error {\n"
                         "\treturn nil\n}\n\n// Have says whether we have it.\nfunc Have() bool {\n\treturn true\n}\n"}
    with indexed_files(tmp_path, files, tiny_embedder) as idx:
        tabla = idx.search(Query("eliminar la tabla completa", k=3, mode="lexical"))
        halve = idx.search(Query("halve all the counters", k=3, mode="lexical"))
    said = {k: v for h in tabla for k, v in (h.signals.get("read_as") or {}).items()}
    assert said.get("tabla") in (None, "table"), said
    assert not any(h.signals.get("read_as") for h in halve), [(h.name, h.signals.get("read_as")) for h in halve]


def test_a_blocks_file_name_is_no_part_of_its_name_match(tmp_path, tiny_embedder) -> None:
    """lunr: `idx.search("love")` put perf/search_perf.js' blocks first, `search_perf: idx.query()` matching the name
    fully by its file's "search", and Index.prototype.search came 15th (probe 261): a block's name is its call site."""
    files = {'lib/index.js': '/**\n * Performs a search against the index using lunr query syntax.\n *\n * @param {string} queryString - A string containing a lunr query.\n * @returns {lunr.Index~Result[]}\n */\nlunr.Index.prototype.search = function (queryString) {\n  return this.query(function (query) {\n    var parser = new lunr.QueryParser(queryString, query)\n    parser.parse()\n  })\n}\n\nlunr.Index.prototype.query = function (fn) {\n  var query = new lunr.Query(this.fields)\n  fn.call(query, query)\n  return this.score(query)\n}\n', 'perf/search_perf.js': 'suite(\'search\', function () {\n  var idx = lunr(function () {\n    this.ref(\'id\')\n    this.field(\'title\')\n  })\n\n  this.add(\'typeahead\', function () {\n    idx.query(function (q) {\n      q.term("pl", { boost: 100, usePipeline: true })\n      q.term("pl", { boost: 10, usePipeline: false })\n    })\n  })\n})\n'}
    with indexed_files(tmp_path, files, tiny_embedder) as idx:
        hits = idx.search(Query('idx.search("love")', k=5, mode="lexical"))
    assert hits[0].qualified_name == "lunr.Index.prototype.search", [(h.qualified_name, h.signals) for h in hits]
    block = next(h for h in hits if h.qualified_name == "search_perf: idx.query()")
    assert block.signals.get("name_match", 0) < 1.0, block.signals  # "idx" only, not the file's "search"


def test_a_generated_files_constant_and_a_doc_gos_type_lead_when_typed(tmp_path, tiny_embedder) -> None:
    """lib/pq: `T_int4`, bound only in the generated oid/types.go, came under its users (held down, and a held-down
    binding led never); `Oid`, declared in oid/doc.go beside the package comment, was held down as documentation
    (probe 260)."""
    with indexed_files(tmp_path / "gen", {'decode.go': 'package pg\n\nimport "example.com/pg/oid"\n\n// decode turns a column value into a Go value by its type.\nfunc decode(s []byte, typ oid.Oid) interface{} {\n\tswitch typ {\n\tcase oid.T_bytea:\n\t\treturn s\n\tcase oid.T_int8, oid.T_int4:\n\t\tif !oid.IsInteger(typ) {\n\t\t\treturn nil\n\t\t}\n\t\treturn string(s)\n\t}\n\treturn nil\n}\n', 'oid/oid.go': '// Package oid contains OID constants as defined by the Postgres server.\npackage oid\n\n// Oid is a Postgres Object ID.\ntype Oid uint32\n', 'oid/types.go': '// Code generated by gen.go. DO NOT EDIT.\n\npackage oid\n\nconst (\n\tT_bool  Oid = 16\n\tT_bytea Oid = 17\n\tT_int8  Oid = 20\n\tT_int4  Oid = 23\n\tT_text  Oid = 25\n)\n\nfunc IsInteger(o Oid) bool { return o == T_int8 || o == T_int4 }\n'}, tiny_embedder) as idx:
        constant = idx.search(Query("T_int4", k=3, mode="lexical"))
    with indexed_files(tmp_path / "doc", {'decode.go': 'package pg\n\nimport "example.com/pg/oid"\n\n// decode turns a column value into a Go value by its type.\nfunc decode(s []byte, typ oid.Oid) interface{} {\n\tif typ == 17 {\n\t\treturn s\n\t}\n\treturn string(s)\n}\n', 'oid/doc.go': '// Package oid contains OID constants\n// as defined by the Postgres server.\npackage oid\n\n// Oid is a Postgres Object ID.\ntype Oid uint32\n'}, tiny_embedder) as idx:
        declared = idx.search(Query("Oid", k=3, mode="lexical"))
    assert constant[0].signals.get("binds") == "T_int4", [(h.path, h.qualified_name, h.signals) for h in constant]
    assert (declared[0].path, declared[0].name) == ("oid/doc.go", "Oid"), [(h.path, h.name, h.signals) for h in declared]


def test_a_declaration_files_member_leads_not_over_the_source_defining_it(tmp_path, tiny_embedder) -> None:
    """@supabase/postgrest-js: `PostgrestFilterBuilder.in`, a method of src/, came second as the class in the build's
    dist/index.d.cts declaring it (a generated file's binding led beside the definition: probe 263)."""
    files = {"src/FilterBuilder.ts": "export default class FilterBuilder {\n  url: URL\n\n  constructor(url: URL) {\n    this.url = url\n  }\n\n  /**\n   * Match only rows where `column` is equal to `value`.\n   */\n  eq(column: string, value: unknown): this {\n    this.url.searchParams.append(column, `eq.${value}`)\n    return this\n  }\n\n  /**\n   * Match only rows where `column` is included in the `values` array.\n   */\n  in(column: string, values: unknown[]): this {\n    const cleaned = values.map((s) => `${s}`).join(',')\n    this.url.searchParams.append(column, `in.(${cleaned})`)\n    return this\n  }\n\n  /**\n   * Match only rows where `column` is NOT included in the `values` array.\n   */\n  notIn(column: string, values: unknown[]): this {\n    const cleaned = values.map((s) => `${s}`).join(',')\n    this.url.searchParams.append(column, `not.in.(${cleaned})`)\n    return this\n  }\n\n  /**\n   * Match only rows which doesn't satisfy the filter.\n   */\n  not(column: string, operator: string, value: unknown): this {\n    this.url.searchParams.append(column, `not.${operator}.${value}`)\n    return this\n  }\n}\n", "dist/index.d.cts": "declare class FilterBuilder {\n  url: URL;\n  constructor(url: URL);\n  /**\n   * Match only rows where `column` is equal to `value`.\n   */\n  eq(column: string, value: unknown): this;\n  /**\n   * Match only rows where `column` is included in the `values` array.\n   */\n  in(column: string, values: unknown[]): this;\n  /**\n   * Match only rows where `column` is NOT included in the `values` array.\n   */\n  notIn(column: string, values: unknown[]): this;\n  /**\n   * Match only rows which doesn't satisfy the filter.\n   */\n  not(column: string, operator: string, value: unknown): this;\n}\nexport { FilterBuilder };\n"}
    for mode in ("lexical", "hybrid"):
        with indexed_files(tmp_path / mode, files, tiny_embedder) as idx:
            hits = idx.search(Query("FilterBuilder.in", k=4, mode=mode))
        shown = [(h.path, h.qualified_name, h.signals) for h in hits]
        assert [h.path for h in hits[:2]] == ["src/FilterBuilder.ts"] * 2, shown


def test_a_name_and_the_kind_of_binding_it_is_find_the_binding(tmp_path, tiny_embedder) -> None:
    """huey: "Message namedtuple" put registry.py's `Message = namedtuple(...)`, first by words four times over, fifth
    (a name and its kind word named a type only: probe 262); "message field" stays a question."""
    files = {"registry.py": "from collections import namedtuple\n\n\nMessage = namedtuple('Message', ('id', 'name', 'eta', 'retries', 'retry_delay',\n                                 'priority', 'args', 'kwargs'))\nMessage.__new__.__defaults__ = (None,) * len(Message._fields)\n\n\nclass Registry(object):\n    def __init__(self):\n        self._registry = {}\n\n    def create_message(self, task):\n        \"\"\"Turn a task into the tuple that is stored on the queue.\"\"\"\n        return Message(task.id, type(task).__name__, task.eta, task.retries,\n                       task.retry_delay, task.priority, task.args, task.kwargs)\n\n    def create_task(self, message):\n        task_class = self._registry[message.name]\n        return task_class(message.args, message.kwargs, message.id)\n", "api.py": "class Queue(object):\n    def __init__(self, registry, serializer):\n        self.registry = registry\n        self.serializer = serializer\n\n    def serialize_task(self, task):\n        message = self.registry.create_message(task)\n        return self.serializer.serialize(message)\n\n    def deserialize_task(self, data):\n        message = self.serializer.deserialize(data)\n        return self.registry.create_task(message)\n"}
    for mode in ("lexical", "hybrid"):
        with indexed_files(tmp_path / mode, files, tiny_embedder) as idx:
            for question in ("Message namedtuple", "the Message constant"):
                hits = idx.search(Query(question, k=3, mode=mode))
                assert hits[0].signals.get("binds") == "Message", (question, [(h.path, h.qualified_name, h.signals) for h in hits])
            plain = idx.search(Query("message field", k=3, mode=mode))
            assert not any(h.signals.get("symbol") for h in plain), [(h.qualified_name, h.signals) for h in plain]


def test_a_ruby_class_variable_is_bound_by_its_class(tmp_path, tiny_embedder) -> None:
    """ruby-oauth: `@@default_options` typed as Consumer writes it found a method of the CLI first: the class bound
    its constants only (probe 265)."""
    files = {"client.rb": "module Demo\n  class Client\n    TIMEOUT = 30\n\n    @@default_options = {\n      :scheme      => :header,\n      :http_method => :post,\n      :retries     => 3\n    }\n\n    def initialize(options = {})\n      @options = @@default_options.merge(options)\n    end\n\n    def scheme\n      @options[:scheme]\n    end\n  end\nend\n", "cli.rb": "module Demo\n  class CLI\n    def option_defaults\n      { :verbose => false, :default_options => true }\n    end\n  end\nend\n"}
    with indexed_files(tmp_path, files, tiny_embedder) as idx:
        for typed in ("@@default_options", "default_options"):
            hits = idx.search(Query(typed, k=3, mode="lexical"))
            assert (hits[0].path, hits[0].signals.get("binds")) == ("client.rb", "default_options"), (
                typed, [(h.path, h.qualified_name, h.signals) for h in hits])


def test_a_generated_file_typed_by_its_name_as_one_word_leads(tmp_path, tiny_embedder) -> None:
    """phpseclib: `autoload` typed put seven headers saying `include 'phpseclib/autoload.php'` before autoload.php, held
    down as generated by its "autogenerated file - do not edit" mark (a plain word led for main code only: probe 268)."""
    files = {"lib/autoload.php": "<?php\n// this is an autogenerated file - do not edit\nspl_autoload_register(\n    function($class) {\n        static $classes = null;\n        if ($classes === null) {\n            $classes = array(\n                'acme\\\\net\\\\client' => '/Net/Client.php',\n                'acme\\\\net\\\\server' => '/Net/Server.php',\n            );\n        }\n        $cn = strtolower($class);\n        if (isset($classes[$cn])) {\n            require __DIR__ . $classes[$cn];\n        }\n    },\n    true,\n    false\n);\n", "lib/Net/Server.php": "<?php\n/**\n * A network server.\n *\n * <code>\n *    include 'acme/autoload.php';\n *    $s = new \\acme\\Net\\Server(8080);\n * </code>\n */\nnamespace acme\\Net;\n\nclass Server\n{\n    function listen($port)\n    {\n        return stream_socket_server(\"tcp://0.0.0.0:$port\");\n    }\n}\n", "lib/Net/Client.php": "<?php\n/**\n * A network client.\n *\n * <code>\n *    include 'acme/autoload.php';\n *    $c = new \\acme\\Net\\Client('host');\n * </code>\n */\nnamespace acme\\Net;\n\nclass Client\n{\n    function connect($host)\n    {\n        return fsockopen($host, 80);\n    }\n}\n"}
    for mode in ("lexical", "hybrid"):
        with indexed_files(tmp_path / mode, files, tiny_embedder) as idx:
            hits = idx.search(Query("autoload", k=3, mode=mode))
        assert hits[0].path == "lib/autoload.php", [(h.path, h.qualified_name, h.signals) for h in hits]


def test_a_package_variable_typed_with_its_package_is_not_a_types_field(tmp_path, tiny_embedder) -> None:
    """go-getter: `getter.Decompressors` put the field of `Client` first, tied with the package's `var Decompressors`:
    every binding in the package counted as the package's member, a type's fields too (probe 267)."""
    files = {"go.mod": "module example.com/getter\n\ngo 1.16\n", "client.go": "package getter\n\n// Client is a client for downloading things.\ntype Client struct {\n\t// Src is the source URL to get.\n\tSrc string\n\tDst string\n\n\t// Decompressors is the map of decompressors supported by this client.\n\t// If this is nil, then the default value is the Decompressors global.\n\tDecompressors map[string]Decompressor\n}\n\n// Configure applies the defaults to the client.\nfunc (c *Client) Configure() error {\n\tif c.Decompressors == nil {\n\t\tc.Decompressors = Decompressors\n\t}\n\treturn nil\n}\n", "decompress.go": "package getter\n\n// Decompressor defines the interface that must be implemented to add\n// support for decompressing a type.\ntype Decompressor interface {\n\tDecompress(dst, src string, dir bool) error\n}\n\n// Decompressors is the mapping of extension to the Decompressor implementation\n// that will decompress that extension/type.\nvar Decompressors map[string]Decompressor\n\nfunc init() {\n\tDecompressors = map[string]Decompressor{\n\t\t\"gz\":  new(GzipDecompressor),\n\t\t\"zip\": new(ZipDecompressor),\n\t}\n}\n", "decompress_testing.go": "package getter\n\nimport \"testing\"\n\n// TestDecompressor is a helper function for testing decompressors.\nfunc TestDecompressor(t testing.TB, d Decompressor, src string) {\n\tif err := d.Decompress(t.TempDir(), src, true); err != nil {\n\t\tt.Fatalf(\"err: %s\", err)\n\t}\n}\n"}
    with indexed_files(tmp_path, files, tiny_embedder) as idx:
        hits = idx.search(Query("getter.Decompressors", k=3, mode="lexical"))
    assert (hits[0].path, hits[0].signals.get("binds")) == ("decompress.go", "Decompressors"), [
        (h.path, h.qualified_name, h.signals) for h in hits]


@pytest.mark.parametrize("pasted", ['<Link to="/posts/$postId" params={{ postId: "42" }}>', '<Link to="/about" />',
                                    '<Link to="/about">About</Link>'])
def test_a_pasted_jsx_tag_names_its_component(tmp_path, tiny_embedder, pasted) -> None:
    """@tanstack/solid-router: `<Link to="/posts/$postId" params={{ postId: '42' }}>` from its docs put
    ActiveLinkOptionProps first and `Link` third: a JSX tag was read as words, not as the component it uses (probe
    269); an HTML tag (`<a href=...>`) names none."""
    assert QueryTerms.parse(pasted).text == "Link"
    assert QueryTerms.parse('<a href="/about">About</a>').text != "a"
    files = {"src/link.tsx": "export interface ActiveLinkOptionProps {\n  activeProps?: Record<string, string>\n  inactiveProps?: Record<string, string>\n}\n\nexport type LinkProps = { to: string; params?: Record<string, string>; children?: any } & ActiveLinkOptionProps\n\nexport const Link = (props: LinkProps) => {\n  return <a href={props.to}>{props.children}</a>\n}\n", "src/route.tsx": "export class RouteApi {\n  constructor(public id: string) {}\n  useParams(opts?: { select?: (params: Record<string, string>) => unknown }) {\n    return opts?.select ? opts.select({}) : {}\n  }\n}\n"}
    with indexed_files(tmp_path, files, tiny_embedder) as idx:
        hits = idx.search(Query(pasted, k=3))
    assert hits[0].qualified_name == "Link", [(h.path, h.qualified_name, h.signals) for h in hits]


def test_a_wrapper_handing_on_to_its_namesake_comes_after_it(tmp_path, tiny_embedder) -> None:
    """casbin: `GetImplicitRolesForUser` put SyncedEnforcer's five lines (a lock, then the Enforcer's of that name)
    before the Enforcer's doing the work, tied and ordered by chance (probe 270)."""
    files = {"go.mod": "module github.com/casbin/casbin\n\ngo 1.18\n", "rbac_api.go": "package casbin\n\n// GetImplicitRolesForUser gets implicit roles that a user has.\n// Compared to GetRolesForUser(), this function retrieves indirect roles besides direct roles.\nfunc (e *Enforcer) GetImplicitRolesForUser(name string, domain ...string) ([]string, error) {\n\tvar res []string\n\troleSet := make(map[string]bool)\n\troleSet[name] = true\n\tq := make([]string, 0)\n\tq = append(q, name)\n\tfor len(q) > 0 {\n\t\tname := q[0]\n\t\tq = q[1:]\n\t\troles, err := e.rm.GetRoles(name, domain...)\n\t\tif err != nil {\n\t\t\treturn nil, err\n\t\t}\n\t\tfor _, r := range roles {\n\t\t\tif _, ok := roleSet[r]; !ok {\n\t\t\t\tres = append(res, r)\n\t\t\t\tq = append(q, r)\n\t\t\t\troleSet[r] = true\n\t\t\t}\n\t\t}\n\t}\n\treturn res, nil\n}\n", "rbac_api_synced.go": "package casbin\n\n// GetImplicitRolesForUser gets implicit roles that a user has.\n// Compared to GetRolesForUser(), this function retrieves indirect roles besides direct roles.\nfunc (e *SyncedEnforcer) GetImplicitRolesForUser(name string, domain ...string) ([]string, error) {\n\te.m.RLock()\n\tdefer e.m.RUnlock()\n\treturn e.Enforcer.GetImplicitRolesForUser(name, domain...)\n}\n", "enforcer_synced.go": "package casbin\n\nimport \"sync\"\n\n// SyncedEnforcer wraps Enforcer and provides synchronized access\ntype SyncedEnforcer struct {\n\t*Enforcer\n\tm sync.RWMutex\n}\n", "enforcer.go": "package casbin\n\n// Enforcer is the main interface for authorization enforcement and policy management.\ntype Enforcer struct {\n\trm RoleManager\n}\n\ntype RoleManager interface {\n\tGetRoles(name string, domain ...string) ([]string, error)\n}\n"}
    with indexed_files(tmp_path, files, tiny_embedder) as idx:
        for mode in ("lexical", "hybrid"):
            hits = idx.search(Query("GetImplicitRolesForUser", k=2, mode=mode))
            assert [h.qualified_name for h in hits] == ["Enforcer.GetImplicitRolesForUser",
                                                        "SyncedEnforcer.GetImplicitRolesForUser"], mode


def test_the_call_a_pasted_line_makes_comes_before_the_calls_among_its_arguments(tmp_path, tiny_embedder) -> None:
    """koanf's README `k.Load(file.Provider("mock/mock.json"), json.Parser())` put json.Parser and file.Provider, the
    calls among its arguments, before Koanf.Load, the call it makes, found on a variable (probe 271)."""
    files = {"go.mod": "module example.com/conf\n\ngo 1.18\n", "providers/file/file.go": "package file\n\nimport \"os\"\n\n// File reads a file from disk.\ntype File struct{ path string }\n\n// Provider returns a file provider.\nfunc Provider(path string) *File {\n\treturn &File{path: path}\n}\n\n// ReadBytes reads the file.\nfunc (f *File) ReadBytes() ([]byte, error) {\n\treturn os.ReadFile(f.path)\n}\n", "parsers/json/json.go": "package json\n\nimport \"encoding/json\"\n\n// JSON parses JSON bytes.\ntype JSON struct{}\n\n// Parser returns a JSON parser.\nfunc Parser() *JSON {\n\treturn &JSON{}\n}\n\n// Unmarshal parses JSON bytes.\nfunc (p *JSON) Unmarshal(b []byte) (map[string]interface{}, error) {\n\tvar out map[string]interface{}\n\terr := json.Unmarshal(b, &out)\n\treturn out, err\n}\n", "conf.go": "package conf\n\n// Conf holds a configuration map.\ntype Conf struct {\n\tdata map[string]interface{}\n}\n\n// Provider gives raw bytes or a map.\ntype Provider interface {\n\tReadBytes() ([]byte, error)\n}\n\n// Parser turns bytes into a map.\ntype Parser interface {\n\tUnmarshal([]byte) (map[string]interface{}, error)\n}\n\n// New returns an empty Conf.\nfunc New() *Conf {\n\treturn &Conf{data: map[string]interface{}{}}\n}\n\n// Load reads bytes from the provider, parses them with the parser and merges the result.\nfunc (c *Conf) Load(p Provider, pa Parser) error {\n\tb, err := p.ReadBytes()\n\tif err != nil {\n\t\treturn err\n\t}\n\tmp, err := pa.Unmarshal(b)\n\tif err != nil {\n\t\treturn err\n\t}\n\tfor k, v := range mp {\n\t\tc.data[k] = v\n\t}\n\treturn nil\n}\n"}
    with indexed_files(tmp_path, files, tiny_embedder) as idx:
        hits = idx.search(Query('k.Load(file.Provider("conf.json"), json.Parser())', k=3, mode="lexical"))
    assert hits[0].qualified_name == "Conf.Load", [(h.path, h.qualified_name, h.signals) for h in hits]
    assert {h.name for h in hits[1:]} == {"Provider", "Parser"}, [(h.path, h.qualified_name) for h in hits]


def test_an_acronym_and_a_kind_word_name_the_unit_they_join_into(tmp_path, tiny_embedder) -> None:
    """Review: "JSON field" read as the binding `JSON` put formats.py's `JSON = 'json'` before class JSONField."""
    fields = {"fields.py": "class JSONField(Field):\n    def clean(self, value):\n        return json.loads(value)\n\n\n"
                           "class URLField(Field):\n    def clean(self, value):\n        return value.strip()\n",
              "formats.py": "JSON = 'json'\nXML = 'xml'\n"}
    with indexed_files(tmp_path, fields, tiny_embedder) as idx:
        hits = idx.search(Query("JSON field", k=3, mode="lexical"))
    assert hits[0].qualified_name == "JSONField", [(h.path, h.qualified_name, h.signals) for h in hits]


def test_a_short_recursive_method_is_no_wrapper_of_its_namesakes(tmp_path, tiny_embedder) -> None:
    """Review: `Tree.flatten` calling `child.flatten()` in a comprehension does the work; it stays before the five-line
    `Rows.flatten` it ties with, as a wrapper would not."""
    files = {"tree.py": ("class Tree:\n    def flatten(self):\n        return [leaf for child in self.children "
                         "for leaf in child.flatten()] or [self]\n"),
             "rows.py": ("class Rows:\n    def flatten(self):\n        out = []\n        for row in self.rows:\n"
                         "            out.extend(row)\n        return out\n")}
    with indexed_files(tmp_path, files, tiny_embedder) as idx:
        hits = idx.search(Query("flatten", k=2, mode="lexical"))
    assert hits[0].qualified_name == "Tree.flatten", [(h.path, h.qualified_name, h.signals) for h in hits]
    # nor is a facade calling another type's function of its name (jsoup's `Jsoup.parse` -> `Parser.parse`: the tuning
    # half's targets fell under Parser's), nor a convenience call of a made object's (gorilla/mux's `Router.Schemes`)
    from codesearch.search.ranking import hands_on_to_namesake
    from codesearch.store.catalog import FunctionRow

    def method(name: str, code: str, language: str) -> FunctionRow:
        return FunctionRow(id=1, path="x", name=name, qualified_name=name, language=language, kind="method",
                           start_line=1, end_line=4, start_col=1, docstring="", code=code, text_hash="h")
    assert not hands_on_to_namesake(method("parse", "public static Document parse(String html) {\n"
                                                    "    return Parser.parse(html, \"\");\n}\n", "java"))
    assert not hands_on_to_namesake(method("Schemes", "func (r *Router) Schemes(s ...string) *Route {\n"
                                                      "\treturn r.NewRoute().Schemes(s...)\n}\n", "go"))
    assert hands_on_to_namesake(method("send", "public function send($r)\n{\n    return $this->client->send($r);\n}\n",
                                       "php"))


def test_a_pasted_call_naming_a_definition_keeps_tests_below_the_main_code_its_words_found(tmp_path, tiny_embedder
                                                                                         ) -> None:
    """parsel: `sel.xpath('//p[has-class("foo", "bar")]')` put the two `xpath` definitions first, then seven tests in
    their words' order above has_class: held-down code went below main code only for a name that named nothing
    (probe 273)."""
    files = {"tests/test_selector.py": "from lib.selector import Selector\n\n\ndef test_has_class_simple():\n    sel = Selector.from_text('<p class=\"foo bar\">First</p><p class=\"foo\">Second</p>')\n    assert [x.get() for x in sel.xpath('//p[has-class(\"foo\")]/text()')] == [\"First\", \"Second\"]\n    assert [x.get() for x in sel.xpath('//p[has-class(\"bar\")]/text()')] == [\"First\"]\n    assert [x.get() for x in sel.xpath('//p[has-class(\"foo\",\"bar\")]/text()')] == [\"First\"]\n\n\ndef test_xpath_simple():\n    sel = Selector.from_text('<p class=\"foo\">x</p>')\n    assert sel.xpath('//p[@class=\"foo\"]/text()')[0].get() == \"x\"\n", "lib/xpathfuncs.py": "from lxml import etree\n\n\ndef setup():\n    etree.FunctionNamespace(None)[\"has-class\"] = has_class\n\n\ndef has_class(context, *classes):\n    \"\"\"has-class function: True if all the classes are in the element's class attribute.\"\"\"\n    if not classes:\n        raise ValueError(\"XPath error: has-class must have at least 1 argument\")\n    node_cls = \" \" + (context.context_node.get(\"class\") or \"\") + \" \"\n    return all(\" \" + cls + \" \" in node_cls for cls in classes)\n", "lib/selector.py": "class Selector:\n    \"\"\"Wraps an HTML document.\"\"\"\n\n    def __init__(self, root):\n        self.root = root\n\n    def xpath(self, query):\n        \"\"\"Run an XPath query and wrap each node found.\"\"\"\n        return [Selector(node) for node in self.root.xpath(query)]\n\n    def css(self, query):\n        \"\"\"Run a CSS query.\"\"\"\n        return self.xpath(translate(query))\n"}
    with indexed_files(tmp_path, files, tiny_embedder) as idx:
        hits = idx.search(Query("sel.xpath('//p[has-class(\"foo\", \"bar\")]')", k=5, mode="lexical"))
    shown = [(h.path, h.qualified_name, h.signals.get("symbol")) for h in hits]
    assert hits[0].qualified_name == "Selector.xpath", shown
    paths = [h.path for h in hits]
    assert paths.index("lib/xpathfuncs.py") < min(i for i, p in enumerate(paths) if p.startswith("tests/")), shown


def test_a_class_method_called_on_a_class_the_code_defines_nowhere_finds_the_class_level_definition(
        tmp_path, tiny_embedder) -> None:
    """BinData's README defines `class Rectangle < BinData::Record` and calls `Rectangle.read(io)`; Rectangle is in no
    file and `read` is defined by many classes, so the pasted call named nothing and the class-level `Base.read` (Ruby's
    `def self.read`) was not in the first four (probe 272): a call on a capitalised name the code defines nowhere is a
    class-level call, and the few class-level definitions of that member are what it names."""
    files = {"lib/bindata/base.rb": (
                 "module BinData\n  class Base\n    class << self\n      # Instantiates this class and reads from io.\n"
                 "      def read(io, *args, &block)\n        obj = self.new(*args)\n        obj.read(io, &block)\n"
                 "        obj\n      end\n    end\n\n    # Reads data into this data object.\n"
                 "    def read(io, &block)\n      io = BinData::IO::Read.new(io) unless BinData::IO::Read === io\n"
                 "      do_read(io)\n      self\n    end\n  end\nend\n"),
             "lib/bindata/io.rb": ("module BinData\n  module IO\n    class Read\n      # Reads exactly n bytes from io.\n"
                                   "      def read(n)\n        @raw_io.read(n)\n      end\n    end\n  end\nend\n"),
             "lib/bindata/string.rb": ("module BinData\n  class String < Base\n    def read(io)\n"
                                       "      io.readbytes(length)\n    end\n  end\nend\n")}
    with indexed_files(tmp_path, files, tiny_embedder) as idx:
        for mode in ("lexical", "hybrid"):
            hits = idx.search(Query("r = Rectangle.read(io)", k=3, mode=mode))
            assert hits[0].qualified_name == "BinData::Base.read", (mode, [h.qualified_name for h in hits])
            lone = idx.search(Query("Rectangle.read", k=3, mode=mode))
            assert lone[0].qualified_name == "BinData::Base.read", (mode, [h.qualified_name for h in lone])


@pytest.mark.parametrize("question", ["BinaryNode UnaryNode", "BinaryNode, UnaryNode"])
def test_names_typed_side_by_side_find_each_ones_definition_first(tmp_path, tiny_embedder, question) -> None:
    """expr: "BinaryNode UnaryNode" left the BinaryNode struct out of the first ten, behind the checker's type switch
    and its visitor methods named alike, and the structs' own Kind methods (probe 274): names only code writes, typed
    side by side, each name the units it names, first."""
    files = {"ast/node.go": ("package ast\n\ntype Node interface{ Kind() string }\n\ntype UnaryNode struct {\n"
                             "\tOperator string\n\tNode     Node\n}\n\ntype BinaryNode struct {\n\tOperator string\n"
                             "\tLeft     Node\n\tRight    Node\n}\n\nfunc (*UnaryNode) Kind() string  { return \"unary\" }\n"
                             "func (*BinaryNode) Kind() string { return \"binary\" }\n"),
             "checker/checker.go": ("package checker\n\ntype visitor struct{ depth int }\n\n"
                                    "func (v *visitor) visit(node ast.Node) string {\n\tswitch n := node.(type) {\n"
                                    "\tcase *ast.UnaryNode:\n\t\treturn v.UnaryNode(n)\n\tcase *ast.BinaryNode:\n"
                                    "\t\treturn v.BinaryNode(n)\n\t}\n\treturn \"unknown\"\n}\n\n"
                                    "func (v *visitor) UnaryNode(node *ast.UnaryNode) string {\n"
                                    "\treturn \"unary \" + node.Operator + \" \" + v.visit(node.Node)\n}\n\n"
                                    "func (v *visitor) BinaryNode(node *ast.BinaryNode) string {\n"
                                    "\treturn v.visit(node.Left) + \" \" + node.Operator + \" \" + v.visit(node.Right)\n}\n")}
    with indexed_files(tmp_path, files, tiny_embedder) as idx:
        for mode in ("lexical", "hybrid"):
            hits = idx.search(Query(question, k=6, mode=mode))
            first = {h.qualified_name for h in hits[:4]}
            assert first == {"UnaryNode", "BinaryNode", "visitor.UnaryNode", "visitor.BinaryNode"}, (
                mode, [h.qualified_name for h in hits])


@pytest.mark.parametrize("question", ["Vfs.Dir Vfs.File", "Vfs.Dir and Vfs.File"])
def test_qualified_names_typed_side_by_side_find_each_ones_definition_first(tmp_path, tiny_embedder, question) -> None:
    """reflections: "Vfs.Dir Vfs.File" put `jarFile.createDir` first and neither interface in the first ten (probe
    288): a qualified name is a name only code writes, as a camel-cased one is; prose with a dot stays words."""
    from codesearch.query import QueryTerms

    files = {"src/Vfs.java": ("package org.example.vfs;\n\npublic abstract class Vfs {\n    /** an abstract vfs dir */\n"
                              "    public interface Dir {\n        String getPath();\n        Iterable<File> getFiles();\n"
                              "    }\n\n    /** an abstract vfs file */\n    public interface File {\n"
                              "        String getName();\n    }\n\n    public enum DefaultUrlTypes {\n        jarFile {\n"
                              "            public Vfs.Dir createDir(final URL url) throws Exception {\n"
                              "                return null;\n            }\n        },\n        directory {\n"
                              "            public Vfs.Dir createDir(final URL url) throws Exception {\n"
                              "                return null;\n            }\n        };\n"
                              "        public abstract Vfs.Dir createDir(URL url) throws Exception;\n    }\n}\n")}
    assert QueryTerms.parse("Node.js and Deno").names_listed == ()
    with indexed_files(tmp_path, files, tiny_embedder) as idx:
        for mode in ("lexical", "hybrid"):
            hits = idx.search(Query(question, k=4, mode=mode))
            assert {h.qualified_name for h in hits[:2]} == {"Vfs.Dir", "Vfs.File"}, (mode, [h.qualified_name for h in hits])


def test_a_call_shown_around_a_call_given_a_call_finds_the_codes_call(tmp_path, tiny_embedder) -> None:
    """apispec's README `print(json.dumps(spec.to_dict(), indent=2))` was read as `json.dumps`, named nothing, and
    load_schema came first; @ethereumjs/tx's `console.log(bytesToHex(signedTx.hash()))` put the caller of the
    imported bytesToHex first (probe 278): past a call that shows a value, the call given to the call inside it."""
    from codesearch.query import inner_call

    assert inner_call("print(json.dumps(spec.to_dict(), indent=2))") == "spec.to_dict"
    assert inner_call("console.log(bytesToHex(signedTx.hash()))") == "signedTx.hash"
    assert inner_call("print(f(x))") == "f" and inner_call("print(a(1), b(g(2)))") is None
    files = {"spec.py": ("import json\n\n\nclass Spec:\n    def __init__(self, title):\n        self.title = title\n\n"
                         "    def to_dict(self):\n        \"\"\"The spec as a dict, ready for JSON.\"\"\"\n"
                         "        return {\"title\": self.title}\n\n\n"
                         "def load_schema(path):\n    with open(path) as f:\n        return json.loads(f.read())\n"),
             "tx.ts": ("import { bytesToHex, keccak256 } from './bytes.js'\n\nexport class Transaction {\n"
                       "  constructor(public readonly data: Uint8Array) {}\n\n"
                       "  /** The transaction's hash: keccak of its serialized bytes. */\n"
                       "  hash(): Uint8Array {\n    return keccak256(this.data)\n  }\n\n"
                       "  /** The transaction as JSON, its fields as hex strings. */\n"
                       "  toJSON() {\n    return { data: bytesToHex(this.data) }\n  }\n}\n")}
    with indexed_files(tmp_path, files, tiny_embedder) as idx:
        for mode in ("lexical", "hybrid"):
            spec = idx.search(Query("print(json.dumps(spec.to_dict(), indent=2))", k=3, mode=mode))
            tx = idx.search(Query("console.log(bytesToHex(signedTx.hash()))", k=3, mode=mode))
            assert spec[0].qualified_name == "Spec.to_dict", (mode, [h.qualified_name for h in spec])
            assert tx[0].qualified_name == "Transaction.hash", (mode, [h.qualified_name for h in tx])


def test_a_pasted_raise_whose_message_holds_the_other_quote_finds_where_it_is_raised(tmp_path, tiny_embedder) -> None:
    """twine: `raise exceptions.InvalidDistribution("Cannot find file (or expand pattern): '%s'" % filename)` tied the
    class with find_dists, which raises it, and the class came first (probe 283): the message's inner `'%s'` hid the
    string, so the line was not read as one writing a message."""
    files = {"pkg/exceptions.py": ("class PkgError(Exception):\n    \"\"\"Base class for errors.\"\"\"\n\n\n"
                                   "class InvalidDistribution(PkgError):\n    \"\"\"Raised when a distribution is invalid."
                                   "\"\"\"\n\n    pass\n"),
             "pkg/finder.py": ("import glob\nimport os\n\nfrom pkg import exceptions\n\n\ndef find_dists(dists):\n"
                               "    uploads = []\n    for filename in dists:\n        if os.path.exists(filename):\n"
                               "            uploads.append(filename)\n            continue\n"
                               "        files = glob.glob(filename)\n        if not files:\n"
                               "            raise exceptions.InvalidDistribution(\n"
                               "                \"Cannot find file (or expand pattern): '%s'\" % filename\n            )\n"
                               "        uploads.extend(files)\n    return uploads\n")}
    line = "raise exceptions.InvalidDistribution(\"Cannot find file (or expand pattern): '%s'\" % filename)"
    assert QueryTerms.parse(line).pasted_message
    with indexed_files(tmp_path, files, tiny_embedder) as idx:
        for mode in ("lexical", "hybrid"):
            hits = idx.search(Query(line, k=3, mode=mode))
            assert hits[0].qualified_name == "find_dists", (mode, [h.qualified_name for h in hits])


def test_a_pasted_template_tag_finds_the_helper_it_calls(tmp_path, tiny_embedder) -> None:
    """kaminari: `<%= paginate @users %>` put `paginates_per` first, the tag and the call without brackets read as words
    (probe 284): a Ruby template's tag names the helper it calls."""
    files = {"lib/pager/settings.rb": ("module Pager\n  module ClassMethods\n    # Overrides the default per_page value "
                                       "per model\n    def paginates_per(val)\n      @_default_per_page = val\n    end\n"
                                       "  end\nend\n"),
             "lib/pager/helpers.rb": ("module Pager\n  module Helpers\n    # Renders the pagination links for a scope\n"
                                      "    def paginate(scope, **options)\n      Paginator.new(self, **options).render\n"
                                      "    end\n  end\nend\n")}
    with indexed_files(tmp_path, files, tiny_embedder) as idx:
        for mode in ("lexical", "hybrid"):
            hits = idx.search(Query("<%= paginate @users %>", k=3, mode=mode))
            assert hits[0].name == "paginate", (mode, [h.qualified_name for h in hits])


def test_a_pasted_chain_started_by_a_packages_function_finds_that_function(tmp_path, tiny_embedder) -> None:
    """json-iterator: `jsoniter.Get(val, "Colors", 0).ToString()` showed five `ToString` methods and the interface;
    the package's own `Get`, which the README shows, came 8th among the six `Get`s (probe 285): the chain's first
    call, qualified by a package, names that package's function."""
    files = {'adapter.go': 'package jsoniter\n\n// Get quick method to get value from deeply nested JSON structure\nfunc Get(data []byte, path ...interface{}) Any {\n\titer := ParseBytes(data)\n\treturn locatePath(iter, path)\n}\n',
             'any.go': 'package jsoniter\n\n// Any generic object representation.\ntype Any interface {\n\tToString() string\n\tGet(path ...interface{}) Any\n}\n\nfunc locatePath(iter []byte, path []interface{}) Any { return nilAny{} }\n\nfunc ParseBytes(data []byte) []byte { return data }\n',
             'any_bool.go': 'package jsoniter\n\ntype boolAny struct{ val string }\n\nfunc (any boolAny) ToString() string {\n\treturn any.val\n}\n\nfunc (any boolAny) Get(path ...interface{}) Any {\n\treturn nilAny{}\n}\n',
             'any_float.go': 'package jsoniter\n\ntype floatAny struct{ val string }\n\nfunc (any floatAny) ToString() string {\n\treturn any.val\n}\n\nfunc (any floatAny) Get(path ...interface{}) Any {\n\treturn nilAny{}\n}\n',
             'any_int.go': 'package jsoniter\n\ntype intAny struct{ val string }\n\nfunc (any intAny) ToString() string {\n\treturn any.val\n}\n\nfunc (any intAny) Get(path ...interface{}) Any {\n\treturn nilAny{}\n}\n',
             'any_nil.go': 'package jsoniter\n\ntype nilAny struct{ val string }\n\nfunc (any nilAny) ToString() string {\n\treturn any.val\n}\n\nfunc (any nilAny) Get(path ...interface{}) Any {\n\treturn nilAny{}\n}\n',
             'any_str.go': 'package jsoniter\n\ntype strAny struct{ val string }\n\nfunc (any strAny) ToString() string {\n\treturn any.val\n}\n\nfunc (any strAny) Get(path ...interface{}) Any {\n\treturn nilAny{}\n}\n'}
    with indexed_files(tmp_path, files, tiny_embedder) as idx:
        for mode in ("lexical", "hybrid"):
            hits = idx.search(Query('jsoniter.Get(val, "Colors", 0).ToString()', k=4, mode=mode))
            assert "adapter.go" in [h.path for h in hits[:2]], (mode, [h.qualified_name for h in hits])


def test_members_pasted_on_one_variable_find_the_type_that_has_them_all(tmp_path, tiny_embedder) -> None:
    """signalr: `connection.start().then(() => connection.invoke("send", "Hello"));` tied HttpConnection.start with
    HubConnection.start, and the first came first (probe 293): of the types whose member the line was read as, the
    one that also has the other members the line calls on the same variable."""
    files = {"src/HttpConnection.ts": ("export class HttpConnection {\n    public async start(transferFormat?: string): "
                                       "Promise<void> {\n        this.state = 'connecting';\n        await this.open("
                                       "transferFormat).then(() => this.send('negotiate', 'Hello'));\n"
                                       "        this.connection.send('Hello'); // send hello on the connection\n    }\n\n"
                                       "    public send(data: any): Promise<void> {\n        return this.transport.send("
                                       "data);\n    }\n}\n"),
             "src/HubConnection.ts": ("export class HubConnection {\n    public start(): Promise<void> {\n"
                                      "        this.startPromise = this.startWithStateTransitions();\n"
                                      "        return this.startPromise;\n    }\n\n    public invoke<T = any>(methodName: "
                                      "string, ...args: any[]): Promise<T> {\n        const message = { target: methodName,"
                                      " arguments: args };\n        return this.sendAndWait(message);\n    }\n}\n")}
    with indexed_files(tmp_path, files, tiny_embedder) as idx:
        for mode in ("lexical", "hybrid"):
            hits = idx.search(Query('connection.start().then(() => connection.invoke("send", "Hello"));', k=3, mode=mode))
            named = [(h.qualified_name, h.signals.get("symbol")) for h in hits[:2]]
            assert named == [("HubConnection.start", "exact"), ("HttpConnection.start", "fuzzy")], (mode, named)


def test_a_lower_case_name_and_its_kind_word_find_the_type_they_join_into(tmp_path, tiny_embedder) -> None:
    """symfony/messenger: "middleware interface" put StackMiddleware::__construct above MiddlewareInterface, a
    four-line interface without a vector (probe 292): read as the kind of a type `middleware`, which is none, the
    words were never looked up joined, as "find dotenv" is."""
    files = {'src/Middleware/MiddlewareInterface.php': '<?php\n\n/*\n * This file is part of the Symfony package.\n *\n * (c) Fabien Potencier <fabien@symfony.com>\n *\n * For the full copyright and license information, please view the LICENSE\n * file that was distributed with this source code.\n */\n\nnamespace Symfony\\Component\\Messenger\\Middleware;\n\nuse Symfony\\Component\\Messenger\\Envelope;\n\n/**\n * @author Samuel Roze <samuel.roze@gmail.com>\n */\ninterface MiddlewareInterface\n{\n    public function handle(Envelope $envelope, StackInterface $stack): Envelope;\n}\n',
             'src/Middleware/RouterContextMiddleware.php': '<?php\n\n/*\n * This file is part of the Symfony package.\n *\n * (c) Fabien Potencier <fabien@symfony.com>\n *\n * For the full copyright and license information, please view the LICENSE\n * file that was distributed with this source code.\n */\n\nnamespace Symfony\\Component\\Messenger\\Middleware;\n\nuse Symfony\\Component\\Messenger\\Envelope;\nuse Symfony\\Component\\Messenger\\Stamp\\ConsumedByWorkerStamp;\nuse Symfony\\Component\\Messenger\\Stamp\\RouterContextStamp;\nuse Symfony\\Component\\Routing\\RequestContextAwareInterface;\n\n/**\n * Restore the Router context when processing the message.\n *\n * @author Jérémy Derussé <jeremy@derusse.com>\n */\nclass RouterContextMiddleware implements MiddlewareInterface\n{\n    private $router;\n\n    public function __construct(RequestContextAwareInterface $router)\n    {\n        $this->router = $router;\n    }\n\n    public function handle(Envelope $envelope, StackInterface $stack): Envelope\n    {\n        if (!$envelope->last(ConsumedByWorkerStamp::class) || !$contextStamp = $envelope->last(RouterContextStamp::class)) {\n            $context = $this->router->getContext();\n            $envelope = $envelope->with(new RouterContextStamp(\n                $context->getBaseUrl(),\n                $context->getMethod(),\n                $context->getHost(),\n                $context->getScheme(),\n                $context->getHttpPort(),\n                $context->getHttpsPort(),\n                $context->getPathInfo(),\n                $context->getQueryString()\n            ));\n\n            return $stack->next()->handle($envelope, $stack);\n        }\n\n        $context = $this->router->getContext();\n        $currentBaseUrl = $context->getBaseUrl();\n        $currentMethod = $context->getMethod();\n        $currentHost = $context->getHost();\n        $currentScheme = $context->getScheme();\n        $currentHttpPort = $context->getHttpPort();\n        $currentHttpsPort = $context->getHttpsPort();\n        $currentPathInfo = $context->getPathInfo();\n        $currentQueryString = $context->getQueryString();\n\n        /* @var RouterContextStamp $contextStamp */\n        $context\n            ->setBaseUrl($contextStamp->getBaseUrl())\n            ->setMethod($contextStamp->getMethod())\n            ->setHost($contextStamp->getHost())\n            ->setScheme($contextStamp->getScheme())\n            ->setHttpPort($contextStamp->getHttpPort())\n            ->setHttpsPort($contextStamp->getHttpsPort())\n            ->setPathInfo($contextStamp->getPathInfo())\n            ->setQueryString($contextStamp->getQueryString())\n        ;\n\n        try {\n            return $stack->next()->handle($envelope, $stack);\n        } finally {\n            $context\n                ->setBaseUrl($currentBaseUrl)\n                ->setMethod($currentMethod)\n                ->setHost($currentHost)\n                ->setScheme($currentScheme)\n                ->setHttpPort($currentHttpPort)\n                ->setHttpsPort($currentHttpsPort)\n                ->setPathInfo($currentPathInfo)\n                ->setQueryString($currentQueryString)\n            ;\n        }\n    }\n}\n',
             'src/Middleware/StackInterface.php': '<?php\n\n/*\n * This file is part of the Symfony package.\n *\n * (c) Fabien Potencier <fabien@symfony.com>\n *\n * For the full copyright and license information, please view the LICENSE\n * file that was distributed with this source code.\n */\n\nnamespace Symfony\\Component\\Messenger\\Middleware;\n\n/**\n * @author Nicolas Grekas <p@tchwork.com>\n *\n * Implementations must be cloneable, and each clone must unstack the stack independently.\n */\ninterface StackInterface\n{\n    /**\n     * Returns the next middleware to process a message.\n     */\n    public function next(): MiddlewareInterface;\n}\n',
             'src/Middleware/StackMiddleware.php': '<?php\n\n/*\n * This file is part of the Symfony package.\n *\n * (c) Fabien Potencier <fabien@symfony.com>\n *\n * For the full copyright and license information, please view the LICENSE\n * file that was distributed with this source code.\n */\n\nnamespace Symfony\\Component\\Messenger\\Middleware;\n\nuse Symfony\\Component\\Messenger\\Envelope;\n\n/**\n * @author Nicolas Grekas <p@tchwork.com>\n */\nclass StackMiddleware implements MiddlewareInterface, StackInterface\n{\n    private $stack;\n    private $offset = 0;\n\n    /**\n     * @param iterable<mixed, MiddlewareInterface>|MiddlewareInterface|null $middlewareIterator\n     */\n    public function __construct($middlewareIterator = null)\n    {\n        $this->stack = new MiddlewareStack();\n\n        if (null === $middlewareIterator) {\n            return;\n        }\n\n        if ($middlewareIterator instanceof \\Iterator) {\n            $this->stack->iterator = $middlewareIterator;\n        } elseif ($middlewareIterator instanceof MiddlewareInterface) {\n            $this->stack->stack[] = $middlewareIterator;\n        } elseif (!is_iterable($middlewareIterator)) {\n            throw new \\TypeError(sprintf(\'Argument 1 passed to "%s()" must be iterable of "%s", "%s" given.\', __METHOD__, MiddlewareInterface::class, get_debug_type($middlewareIterator)));\n        } else {\n            $this->stack->iterator = (function () use ($middlewareIterator) {\n                yield from $middlewareIterator;\n            })();\n        }\n    }\n\n    public function next(): MiddlewareInterface\n    {\n        if (null === $next = $this->stack->next($this->offset)) {\n            return $this;\n        }\n\n        ++$this->offset;\n\n        return $next;\n    }\n\n    public function handle(Envelope $envelope, StackInterface $stack): Envelope\n    {\n        return $envelope;\n    }\n}\n\n/**\n * @internal\n */\nclass MiddlewareStack\n{\n    /** @var \\Iterator<mixed, MiddlewareInterface> */\n    public $iterator;\n    public $stack = [];\n\n    public function next(int $offset): ?MiddlewareInterface\n    {\n        if (isset($this->stack[$offset])) {\n            return $this->stack[$offset];\n        }\n\n        if (null === $this->iterator) {\n            return null;\n        }\n\n        $this->iterator->next();\n\n        if (!$this->iterator->valid()) {\n            return $this->iterator = null;\n        }\n\n        return $this->stack[] = $this->iterator->current();\n    }\n}\n',
             'src/Middleware/TraceableMiddleware.php': '<?php\n\n/*\n * This file is part of the Symfony package.\n *\n * (c) Fabien Potencier <fabien@symfony.com>\n *\n * For the full copyright and license information, please view the LICENSE\n * file that was distributed with this source code.\n */\n\nnamespace Symfony\\Component\\Messenger\\Middleware;\n\nuse Symfony\\Component\\Messenger\\Envelope;\nuse Symfony\\Component\\Stopwatch\\Stopwatch;\n\n/**\n * Collects some data about a middleware.\n *\n * @author Maxime Steinhausser <maxime.steinhausser@gmail.com>\n */\nclass TraceableMiddleware implements MiddlewareInterface\n{\n    private $stopwatch;\n    private $busName;\n    private $eventCategory;\n\n    public function __construct(Stopwatch $stopwatch, string $busName, string $eventCategory = \'messenger.middleware\')\n    {\n        $this->stopwatch = $stopwatch;\n        $this->busName = $busName;\n        $this->eventCategory = $eventCategory;\n    }\n\n    /**\n     * {@inheritdoc}\n     */\n    public function handle(Envelope $envelope, StackInterface $stack): Envelope\n    {\n        $stack = new TraceableStack($stack, $this->stopwatch, $this->busName, $this->eventCategory);\n\n        try {\n            return $stack->next()->handle($envelope, $stack);\n        } finally {\n            $stack->stop();\n        }\n    }\n}\n\n/**\n * @internal\n */\nclass TraceableStack implements StackInterface\n{\n    private $stack;\n    private $stopwatch;\n    private $busName;\n    private $eventCategory;\n    private $currentEvent;\n\n    public function __construct(StackInterface $stack, Stopwatch $stopwatch, string $busName, string $eventCategory)\n    {\n        $this->stack = $stack;\n        $this->stopwatch = $stopwatch;\n        $this->busName = $busName;\n        $this->eventCategory = $eventCategory;\n    }\n\n    /**\n     * {@inheritdoc}\n     */\n    public function next(): MiddlewareInterface\n    {\n        if (null !== $this->currentEvent && $this->stopwatch->isStarted($this->currentEvent)) {\n            $this->stopwatch->stop($this->currentEvent);\n        }\n\n        if ($this->stack === $nextMiddleware = $this->stack->next()) {\n            $this->currentEvent = \'Tail\';\n        } else {\n            $this->currentEvent = sprintf(\'"%s"\', get_debug_type($nextMiddleware));\n        }\n        $this->currentEvent .= sprintf(\' on "%s"\', $this->busName);\n\n        $this->stopwatch->start($this->currentEvent, $this->eventCategory);\n\n        return $nextMiddleware;\n    }\n\n    public function stop(): void\n    {\n        if (null !== $this->currentEvent && $this->stopwatch->isStarted($this->currentEvent)) {\n            $this->stopwatch->stop($this->currentEvent);\n        }\n        $this->currentEvent = null;\n    }\n\n    public function __clone()\n    {\n        $this->stack = clone $this->stack;\n    }\n}\n',
             'src/Middleware/ValidationMiddleware.php': '<?php\n\n/*\n * This file is part of the Symfony package.\n *\n * (c) Fabien Potencier <fabien@symfony.com>\n *\n * For the full copyright and license information, please view the LICENSE\n * file that was distributed with this source code.\n */\n\nnamespace Symfony\\Component\\Messenger\\Middleware;\n\nuse Symfony\\Component\\Messenger\\Envelope;\nuse Symfony\\Component\\Messenger\\Exception\\ValidationFailedException;\nuse Symfony\\Component\\Messenger\\Stamp\\ValidationStamp;\nuse Symfony\\Component\\Validator\\Validator\\ValidatorInterface;\n\n/**\n * @author Tobias Nyholm <tobias.nyholm@gmail.com>\n */\nclass ValidationMiddleware implements MiddlewareInterface\n{\n    private $validator;\n\n    public function __construct(ValidatorInterface $validator)\n    {\n        $this->validator = $validator;\n    }\n\n    /**\n     * {@inheritdoc}\n     */\n    public function handle(Envelope $envelope, StackInterface $stack): Envelope\n    {\n        $message = $envelope->getMessage();\n        $groups = null;\n        /** @var ValidationStamp|null $validationStamp */\n        if ($validationStamp = $envelope->last(ValidationStamp::class)) {\n            $groups = $validationStamp->getGroups();\n        }\n\n        $violations = $this->validator->validate($message, null, $groups);\n        if (\\count($violations)) {\n            throw new ValidationFailedException($message, $violations);\n        }\n\n        return $stack->next()->handle($envelope, $stack);\n    }\n}\n'}
    with indexed_files(tmp_path, files, tiny_embedder) as idx:
        for mode in ("lexical", "hybrid"):
            hit = idx.search(Query("middleware interface", k=3, mode=mode))[0]
            assert (hit.name, hit.signals.get("symbol")) == ("MiddlewareInterface", "fuzzy"), (mode, hit.qualified_name)


def test_a_call_of_the_packages_own_inside_a_frameworks_call_is_named(tmp_path, tiny_embedder) -> None:
    """stylus: the README's `app.use(stylus.middleware({ src: __dirname + '/public' }))` left lib/middleware.js out of
    the first ten, under stylus' own unrelated `use` (probe 295): a call among the arguments qualified by the
    repository's own package name (package.json's) names that package's function."""
    files = {'lib/index.js': "exports.middleware = require('./middleware');\nexports.use = require('./use');\n",
             'lib/middleware.js': "var fs = require('fs');\n\n/**\n * Return Connect middleware that compiles sheets from `src` on request.\n */\nmodule.exports = function middleware(options){\n  var src = options.src;\n  return function handle(req, res, next){\n    fs.readFile(src + req.url, 'utf8', function(err, str){\n      if (err) return next(err);\n      res.end(str);\n    });\n  };\n};\n",
             'lib/renderer.js': 'class Renderer {\n  constructor(str) { this.str = str; this.plugins = []; }\n\n  /**\n   * Use the given `fn` plugin.\n   */\n  use(fn) {\n    fn.call(this, this);\n    return this;\n  }\n}\nmodule.exports = Renderer;\n',
             'lib/use.js': '/**\n * Use the given plugin `fn` in the stylesheet.\n */\nfunction use(plugin, options){\n  var fn = require(plugin);\n  return fn(options);\n}\nmodule.exports = use;\n',
             'package.json': '{"name": "pkg", "main": "lib/index.js"}\n'}
    with indexed_files(tmp_path, files, tiny_embedder) as idx:
        for mode in ("lexical", "hybrid"):
            hits = idx.search(Query("app.use(pkg.middleware({ src: __dirname + '/public' }))", k=3, mode=mode))
            assert hits[0].path == "lib/middleware.js", (mode, [(h.path, h.name) for h in hits])


def test_a_member_set_to_a_call_the_code_never_defines_finds_the_member(tmp_path, tiny_embedder) -> None:
    """gofeed's README `fp.RSSTranslator = NewMyCustomTranslator()` was read as the user's own constructor, which the
    code names nowhere, and parser.go came 6th (probe 294): where the call names nothing here, the member set is
    asked for, as `fp.RSSTranslator = x` is."""
    files = {'parser.go': 'package feed\n\n// Parser reads a feed and hands it to its Translator.\ntype Parser struct {\n\tRSSTranslator Translator\n\tUserAgent  string\n}\n\nfunc (p *Parser) translator() Translator {\n\tif p.RSSTranslator != nil {\n\t\treturn p.RSSTranslator\n\t}\n\treturn &DefaultTranslator{}\n}\n',
             'translator.go': 'package feed\n\n// Translator turns a parsed feed into the common Item list.\ntype Translator interface {\n\tTranslate(raw string) ([]Item, error)\n}\n\n// DefaultTranslator is the translator used when none is set.\ntype DefaultTranslator struct{}\n\n// Translate splits the raw feed into items.\nfunc (t *DefaultTranslator) Translate(raw string) ([]Item, error) {\n\treturn []Item{{Title: raw}}, nil\n}\n\n// NewItem makes a new item with a title.\nfunc NewItem(title string) Item {\n\treturn Item{Title: title}\n}\n\n// Item is one entry of a feed.\ntype Item struct {\n\tTitle string\n}\n'}
    with indexed_files(tmp_path, files, tiny_embedder) as idx:
        for mode in ("lexical", "hybrid"):
            hits = idx.search(Query("fp.RSSTranslator = NewMyCustomTranslator()", k=3, mode=mode))
            assert hits[0].path == "parser.go" and hits[0].signals.get("symbol"), (mode, [h.qualified_name for h in hits])


def test_a_foreign_call_given_a_call_of_the_codes_finds_the_codes_call(tmp_path, tiny_embedder) -> None:
    """dataclasses-json's README `name: str = field(metadata=config(field_name="overriddenGoodName"))` was read as
    Python's `field`, which the code never defines, and cfg.py's `config` came 4th (probe 294): where the call read
    names nothing here, the first call among its arguments the code defines is asked for."""
    files = {'pkg/cfg.py': 'def config(metadata=None, *, encoder=None, decoder=None, field_name=None):\n    """Build the per-field settings stored in a dataclass field\'s metadata."""\n    if metadata is None:\n        metadata = {}\n    settings = metadata.setdefault(\'lib\', {})\n    if encoder is not None:\n        settings[\'encoder\'] = encoder\n    if decoder is not None:\n        settings[\'decoder\'] = decoder\n    if field_name is not None:\n        settings[\'field_name\'] = field_name\n    return metadata\n',
             'pkg/fields.py': 'class UnionField:\n    """A field holding one of several types; each value is tagged with its type name."""\n\n    def __init__(self, desc, cls, field):\n        self.desc = desc\n        self.cls = cls\n        self.field = field\n\n    def serialize(self, value):\n        for type_, schema in self.desc.items():\n            if isinstance(value, type_):\n                return schema.dump(value)\n        raise TypeError(f"{value!r} fits no type of field {self.field.name}")\n\n\ndef catch_all_field(cls, fields):\n    """The one field of cls that collects unknown keys."""\n    found = [f for f in fields if f.type == \'CatchAll\']\n    if len(found) != 1:\n        raise ValueError(f"{cls.__name__} needs exactly one catch-all field")\n    return found[0]\n'}
    with indexed_files(tmp_path, files, tiny_embedder) as idx:
        for mode in ("lexical", "hybrid"):
            hits = idx.search(Query('name: str = field(metadata=config(field_name="overriddenName"))', k=3, mode=mode))
            assert hits[0].name == "config", (mode, [h.qualified_name for h in hits])


def test_the_packages_own_call_is_its_function_not_every_method_so_named(tmp_path, tiny_embedder) -> None:
    """review: with four classes' `middleware` methods beside the package's own function, `pkg.middleware(...)` inside
    `app.use(...)` named all five, too many to say which, and the function was lost: the package's own top-level
    function only."""
    files = {"package.json": '{"name": "pkg"}\n',
             "lib/pkg.js": ("/** Return the middleware that compiles sheets. */\nfunction middleware(options){\n"
                            "  return function handle(req, res, next){ next(); };\n}\nmodule.exports.middleware = "
                            "middleware;\n"),
             "lib/use.js": ("/** Use the given plugin. */\nfunction use(plugin, options){\n  return plugin(options);\n}\n"
                            "module.exports = use;\n")}
    for n in "ABCD":
        files[f"lib/{n.lower()}.js"] = (f"class {n}Thing {{\n  middleware(x) {{\n    return x + 1;\n  }}\n}}\n"
                                        f"module.exports = {n}Thing;\n")
    with indexed_files(tmp_path, files, tiny_embedder) as idx:
        hits = idx.search(Query("app.use(pkg.middleware({ src: __dirname + '/public' }))", k=3, mode="lexical"))
    assert (hits[0].path, hits[0].name) == ("lib/pkg.js", "middleware"), [(h.path, h.name) for h in hits]


def test_a_factorys_chain_puts_its_last_step_before_the_steps_on_the_way(tmp_path, tiny_embedder) -> None:
    """stylus' README `stylus(str).set('filename', f).render(function(err, css){`: read as `stylus.render`, found alike
    only, its way's `set` (chained) came first (review): the step read leads the chain's others."""
    files = {"lib/renderer.js": ("class Renderer {\n  /** Set an option. */\n  set(k, v) { this.options[k] = v; return this; }"
                                 "\n  /** Render the sheet. */\n  render(fn) { fn(null, this.str); }\n}\n"
                                 "module.exports = Renderer;\n"),
             "lib/index.js": "/** Make a renderer. */\nfunction stylus(str) { return new Renderer(str); }\nmodule.exports = stylus;\n"}
    with indexed_files(tmp_path, files, tiny_embedder) as idx:
        for mode in ("lexical", "hybrid"):
            hits = idx.search(Query("stylus(str).set('filename', f).render(function(err, css){", k=3, mode=mode))
            assert hits[0].qualified_name == "Renderer.render", (mode, [h.qualified_name for h in hits])


@pytest.mark.parametrize("question", ["parser.CommonExtensions | parser.AutoHeadingIDs",
                                      "extensions := parser.CommonExtensions | parser.AutoHeadingIDs"])
def test_flags_pasted_as_one_value_find_where_they_are_bound(tmp_path, tiny_embedder, question) -> None:
    """gomarkdown's doc `extensions := parser.CommonExtensions | parser.AutoHeadingIDs` put a function testing the
    flags first and the const block binding them second, unmarked (probe 298): flags joined by `|` are names listed."""
    from codesearch.query import QueryTerms

    files = {'go.mod': 'module example.com/md\n\ngo 1.18\n', 'parser/parser.go': 'package parser\n\n// Extensions are bit flags for the parser.\ntype Extensions int\n\nconst (\n\tNoExtensions   Extensions = 0\n\tTables         Extensions = 1 << iota // Parse tables\n\tFencedCode                            // Parse fenced code blocks\n\tHeadingIDs                            // specify heading IDs with {#id}\n\tAutoHeadingIDs                        // Create the heading ID from the text\n\n\tCommonExtensions Extensions = Tables | FencedCode | HeadingIDs\n)\n\n// Parser holds the state of a parse.\ntype Parser struct {\n\textensions Extensions\n}\n\n// NewWithExtensions makes a parser with the given extensions.\nfunc NewWithExtensions(extension Extensions) *Parser {\n\treturn &Parser{extensions: extension}\n}\n', 'parser/block.go': 'package parser\n\nimport "strings"\n\n// prefixHeading parses a \'#\' heading and gives it an id when the\n// HeadingIDs or AutoHeadingIDs extensions are on.\nfunc (p *Parser) prefixHeading(line string) (string, string) {\n\ttext := strings.TrimLeft(line, "# ")\n\tid := ""\n\tif p.extensions&HeadingIDs != 0 {\n\t\tif i := strings.Index(text, "{#"); i >= 0 {\n\t\t\tid = strings.TrimSuffix(text[i+2:], "}")\n\t\t\ttext = text[:i]\n\t\t}\n\t}\n\tif id == "" && p.extensions&AutoHeadingIDs != 0 {\n\t\tid = strings.ToLower(strings.ReplaceAll(strings.TrimSpace(text), " ", "-"))\n\t}\n\treturn text, id\n}\n\n// prefixSpecialHeading parses a \'.#\' heading (no number), giving it an id\n// like prefixHeading does when the extensions ask for it.\nfunc (p *Parser) prefixSpecialHeading(line string) (string, string) {\n\tif !strings.HasPrefix(line, ".#") {\n\t\treturn "", ""\n\t}\n\tif p.extensions&CommonExtensions == 0 {\n\t\treturn strings.TrimLeft(line, ".# "), ""\n\t}\n\ttext, id := p.prefixHeading(line[1:])\n\tif id == "" && p.extensions&AutoHeadingIDs != 0 {\n\t\tid = "special-" + strings.ToLower(text)\n\t}\n\treturn text, id\n}\n'}
    assert QueryTerms.parse(question).names_listed == ("parser.CommonExtensions", "parser.AutoHeadingIDs")
    assert QueryTerms.parse("a | b").names_listed == () and QueryTerms.parse("x = a | b").names_listed == ()
    with indexed_files(tmp_path, files, tiny_embedder) as idx:
        for mode in ("lexical", "hybrid"):
            hits = idx.search(Query(question, k=3, mode=mode))
            assert (hits[0].path, hits[0].signals.get("binds")) == ("parser/parser.go", "CommonExtensions"), (
                mode, [(h.qualified_name, h.signals.get("binds")) for h in hits])


def test_a_member_called_on_a_value_a_chain_reached_is_no_packages_binding(tmp_path, tiny_embedder) -> None:
    """pdf-reader's README `reader.pages.map(&:text)` put CMap's `attr_reader :map` first (probe 298): `pages` is a
    value the chain reached, not a package binding `map` (as fs-extra's `fs.ensureSymlink` is: probe 226)."""
    files = {'lib/cmap.rb': 'class CMap\n  attr_reader :map\n\n  def initialize(data)\n    @map = {}\n    data.each_line { |l| @map[l] = l.size }\n  end\n\n  def decode(c)\n    @map.fetch(c, c)\n  end\nend\n', 'lib/page.rb': 'class Page\n  def initialize(path, num)\n    @path = path\n    @num = num\n  end\n\n  # the plain text of this page\n  def text\n    "page #{@num}"\n  end\nend\n', 'lib/reader.rb': 'class Reader\n  def initialize(path)\n    @path = path\n  end\n\n  # returns one Page per page in the document\n  def pages\n    (1..page_count).map do |num|\n      Page.new(@path, num)\n    end\n  end\n\n  def page_count\n    10\n  end\nend\n'}
    with indexed_files(tmp_path, files, tiny_embedder) as idx:
        for mode in ("lexical", "hybrid"):
            hits = idx.search(Query("reader.pages.map(&:text)", k=3, mode=mode))
            assert hits[0].qualified_name == "Reader#pages", (mode, [(h.qualified_name, h.signals.get("binds")) for h in hits])
            assert not any(h.signals.get("binds") for h in hits), [(h.qualified_name, h.signals.get("binds")) for h in hits]


def test_a_named_function_expression_is_said_by_its_own_name_too(tmp_path, tiny_embedder) -> None:
    """mysql's `PoolSelector.RR = function PoolSelectorRoundRobin() {` came second for "round robin choice between
    cluster nodes", its own name's words matching nothing (probe 299): the expression's name names the unit too."""
    from codesearch.parse.lexical import unit_fields

    files = {'lib/Cluster.js': 'module.exports = Cluster;\nfunction Cluster(config) { this._nodes = {}; this._selector = config.selector; }\n\nCluster.prototype.add = function add(id, config) {\n  if (this._nodes[id] !== undefined) {\n    throw new Error(\'Node ID "\' + id + \'" is already defined in Cluster.\');\n  }\n  this._nodes[id] = { id: id, errorCount: 0, config: config };\n};\n\nCluster.prototype.remove = function remove(id) {\n  delete this._nodes[id];\n};\n\nCluster.prototype.pick = function pick() {\n  var ids = Object.keys(this._nodes);\n  return this._nodes[this._selector(ids)];\n};\n', 'lib/Selector.js': 'var Selector = module.exports = {};\n\nSelector.RR = function SelectorRoundRobin() {\n  var index = 0;\n  return function(ids) {\n    if (index >= ids.length) {\n      index = 0;\n    }\n    return ids[index++];\n  };\n};\n\nSelector.RANDOM = function SelectorRandom() {\n  return function(ids) {\n    return ids[Math.floor(Math.random() * ids.length)];\n  };\n};\n'}
    assert "round" in unit_fields("RR", "Selector.RR", "lib/Selector.js", "", files["lib/Selector.js"].split("\n\n")[1])[0].split()
    assert "round" not in unit_fields("RR", "Selector.RR", "lib/Selector.js", "", "function () { round(1) }")[0].split()
    with indexed_files(tmp_path, files, tiny_embedder) as idx:
        hits = idx.search(Query("round robin choice between cluster nodes", k=3, mode="lexical"))
    assert hits[0].qualified_name == "Selector.RR" and hits[0].signals.get("name_match"), (
        [(h.qualified_name, h.signals.get("name_match")) for h in hits])
