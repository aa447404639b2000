"""Lexical ranking (BM25F over five fields): file-name words count, questions are stemmed and lose their
stop words, names are matched as typed, an old catalog is re-indexed by words once, and no search stage
splits the query's text again."""

from __future__ import annotations

import ast
import sqlite3
from pathlib import Path

import pytest

from codesearch.config import Config
from codesearch.engine import Index
from codesearch.parse.parsing import Unit
from codesearch.parse.lexical import unit_fields
from codesearch.query import Query, QueryTerms, stem
from codesearch.search.bm25 import Bm25
from codesearch.search.ranking import PLAIN
from codesearch.search.searcher import Searcher
from codesearch.store.catalog import MIGRATIONS, SCHEMA_VERSION, Catalog
from codesearch.store.locate import CATALOG_NAME

from conftest import indexed_files

ROOT = Path(__file__).resolve().parents[2]
FILES = {
    # the answer to "websocket endpoint": a file named for it, whose code never says "websocket"
    "server/websockets.py": 'def serve(handler, port):\n    """Accept connections and hand each to handler."""\n'
                            '    return listen(port, handler)\n',
    # a distractor that says "endpoint" but lives in a file named otherwise
    "server/routes.py": 'def add_route(table, view):\n    table.append(view)  # one more endpoint\n',
    # "following redirects" finds this only through stems: follow/following, redirect/redirects
    "http/client.py": 'def follow_redirect(response):\n    return response.location\n',
    # stop words everywhere: a question's "how do we ... the ..." must not pick this
    "docs/faq.py": 'def faq():\n    """How do we do it? How is the thing where the answer is? What is it that we do?"""\n'
                   '    return "how the what where when which"\n',
    "cfg/loader.py": 'def parse_config(text):\n    """Read settings."""\n    return dict(line.split("=") for line in text.splitlines())\n',
}


@pytest.fixture(scope="module")
def store(tmp_path_factory, tiny_embedder):
    with indexed_files(tmp_path_factory.mktemp("lexical") / "repo", FILES, tiny_embedder) as index:
        yield index.store


def _top(store, text: str, opts=PLAIN) -> list[str]:
    return [f"{h.path}:{h.name}" for h in Searcher(store, None, opts).search(Query(text, k=5, mode="lexical"))]


def test_file_name_words_count(store) -> None:
    assert _top(store, "websocket endpoint")[0] == "server/websockets.py:serve"
    fileless = PLAIN.with_(bm25=Bm25(weights=(3.0, 0.0, 1.0, 1.5, 1.0)))
    assert _top(store, "websocket endpoint", fileless)[0] == "server/routes.py:add_route"  # the file name is what did it


def test_a_question_is_stemmed(store) -> None:
    assert _top(store, "following redirects")[0] == "http/client.py:follow_redirect"


def test_a_question_loses_its_stop_words(store) -> None:
    assert _top(store, "how do we parse the config")[0] == "cfg/loader.py:parse_config"
    assert "docs/faq.py:faq" not in _top(store, "how do we parse the config")


ROUTER_JS = {"lib/router.js": "class Router {\n  constructor() { this.routes = [] }\n"
                             "  register(method, path, handler) { this.routes.push({ method, path, handler }) }\n"
                             "  get(path, handler) { this.register('GET', path, handler) }\n"
                             "  post(path, handler) { this.register('POST', path, handler) }\n}\n"}
LRU_PY = {"cache.py": "class LRUCache:\n    def get(self, key):\n        return self.order.touch(key)\n\n"
                      "    def copy(self):\n        return LRUCache(self.order)\n\n"
                      "    def keys(self):\n        return list(self.order)\n\n"
                      "    def put(self, key, value):\n        self.order.add(key, value)\n"}


@pytest.mark.parametrize("mode", ["lexical", "hybrid"])
@pytest.mark.parametrize("files, question, name", [
    # FastRoute: "register a GET route" answered `addVariableRoute` first, `get` fourth: written in capitals, a stop
    # word is the HTTP verb (as "SQL NOT IN" is the keyword)
    (ROUTER_JS, "register a GET route", "get"), (ROUTER_JS, "register a POST route", "post"),
    # boltons: "how does LRUCache.get update the recently used order" put .copy and .keys above .get, all alike in
    # name: written after a dot, a stop word names the method
    (LRU_PY, "how does LRUCache.get update the recently used order", "get"),
])
def test_a_stop_word_that_names_something_is_kept(tmp_path, tiny_embedder, mode, files, question, name) -> None:
    with indexed_files(tmp_path, files, tiny_embedder) as idx:
        assert idx.search(Query(question, k=3, mode=mode))[0].name == name


def test_a_stop_word_in_lower_case_and_on_its_own_stays_one() -> None:
    assert "get" not in QueryTerms.parse("how do we get the route").content
    assert QueryTerms.parse("HOW DO WE GET THE ROUTE").content == QueryTerms.parse("how do we get the route").content
    assert "get" in QueryTerms.parse("what does arrow.get return").content
    assert "get" not in QueryTerms.parse("how do we get the arrow").content


def test_a_question_in_another_language_loses_its_function_words(tmp_path, tiny_embedder) -> None:
    """German "mit" matched every MIT license header (viper), Spanish "en" a locale code 'en' (mail): a question
    that looks non-English drops its language's function words and two-letter words, as English drops its own."""
    files = {"internal/util.go": "// Use of this source code is governed by an MIT license.\npackage internal\n\n"
                                 "func Noop() {}\n",
             "config/locale.rb": "DEFAULT_LOCALE = 'en'\n",
             "env/prefix.go": "package env\n\n// Präfix of every Umgebungsvariablen name.\nfunc Präfix() string { return \"APP_\" }\n"}
    with indexed_files(tmp_path / "repo", files, tiny_embedder) as index:
        hits = [h.path for h in Searcher(index.store, None, PLAIN).search(Query("Umgebungsvariablen mit einem Präfix lesen", k=5, mode="lexical"))]
        spanish = [h.path for h in Searcher(index.store, None, PLAIN).search(Query("leer la configuración en un archivo", k=5, mode="lexical"))]
    assert hits == ["env/prefix.go"]
    assert "config/locale.rb" not in spanish
    assert QueryTerms.parse("how do we parse the de facto header").content == ("pars", "de", "facto", "header")  # English
    assert QueryTerms.parse("sin cos tan del").content == ("sin", "cos", "tan", "del")  # not plainly another language
    assert "os" in QueryTerms.parse("cómo leer os.environ con una clave").content  # a word written as code stays
    # no accent, yet plainly Spanish: "una", "como" and "en" met `en.wikipedia.org` links (probe 146)
    plain = QueryTerms.parse("convertir una fecha en texto relativo como hace 3 semanas").content
    assert not {"una", "en", "como"} & set(plain) and "fecha" in plain
    assert "id" in QueryTerms.parse("ordenar lista por id").content  # a short word code says stays (review)


def test_a_name_is_matched_as_typed(store) -> None:
    assert _top(store, "parse_config")[0] == "cfg/loader.py:parse_config"
    assert _top(store, "follow_redirect", PLAIN)[0] == "http/client.py:follow_redirect"


def test_a_name_with_a_leading_or_trailing_underscore_is_found_by_its_word(tmp_path, tiny_embedder) -> None:
    """Python's `_shutdown`, a field `self._lock`, C++'s `count_`: one word with an underscore stuck to it was stored
    only whole, so "shutdown" found nothing (probe 88: immer's `modified_`, `markChanged` 49th)."""
    files = {"pool.py": "class Pool:\n    def _shutdown(self):\n        self._workers.clear()\n\n"
                        "    def size(self):\n        return 1\n",
             "state.ts": "export function markChanged(state: any) {\n  if (!state.modified_) {\n    state.modified_ = true\n"
                         "  }\n}\n\nexport function other(x: any) {\n  return x\n}\n"}
    with indexed_files(tmp_path, files, tiny_embedder) as index:
        assert [h.name for h in index.search(Query("shutdown", k=1, mode="lexical"))] == ["_shutdown"]
        assert [h.name for h in index.search(Query("clear the workers", k=1, mode="lexical"))] == ["_shutdown"]
        assert [h.name for h in index.search(Query("set the modified flag", k=1, mode="lexical"))] == ["markChanged"]


def test_a_renamed_file_is_found_by_its_new_name(tmp_path, tiny_embedder) -> None:
    root = tmp_path / "repo"
    (root / "net").mkdir(parents=True)
    (root / "net" / "sockets.py").write_text("def serve(port):\n    return port\n")
    with Index.create(root, Config(), embedder=tiny_embedder) as index:
        index.sync()
        (root / "net" / "sockets.py").rename(root / "net" / "websockets.py")
        report = index.sync()
        assert report.functions_embedded == 0  # moved, not re-embedded
        hits = Searcher(index.store, None, PLAIN).search(Query("websocket", k=3, mode="lexical"))
        assert [h.path for h in hits] == ["net/websockets.py"]
        assert Searcher(index.store, None, PLAIN).search(Query("sockets", k=3, mode="lexical")) == []


def test_an_old_catalog_is_reindexed_by_words_once(tmp_path) -> None:
    db = sqlite3.connect(tmp_path / CATALOG_NAME, isolation_level=None)
    db.executescript(MIGRATIONS[0] + "\nPRAGMA user_version = 1;")
    db.execute("INSERT INTO files(id, path, language, size, mtime_ns, hash, indexed_at) VALUES (1, 'net/websockets.py', "
               "'python', 1, 1, 'h', 0)")
    db.execute("INSERT INTO functions(id, file_id, path, language, name, qualified_name, kind, start_line, end_line, "
               "start_col, docstring, code, text_hash) VALUES (7, 1, 'net/websockets.py', 'python', 'serveForever', "
               "'Server.serveForever', 'method', 1, 2, 0, 'Accepts connections.', 'def serveForever(self): pass', 'h')")
    db.close()
    catalog = Catalog(tmp_path)
    try:
        assert catalog.migrated_from == 1 and catalog.db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        assert catalog.lexical(["websocket"], 5) == [7] and catalog.lexical(["forever"], 5) == [7]
        assert catalog.lexical(["accept"], 5) == [7]  # the doc's stem, written by the migration
    finally:
        catalog.close()
    again = Catalog(tmp_path)
    assert again.migrated_from is None  # once
    again.close()


def test_a_note_with_an_apostrophe_is_written_into_a_migration_whole() -> None:
    """A migration's note is an SQL string: a quote in its text must not end the string early (it broke a migration)."""
    from codesearch.store.catalog import _sql_text

    note = "a function's name is now `Cart#[]`; it's read again"
    db = sqlite3.connect(":memory:")
    assert db.execute(f"SELECT {_sql_text(note)}").fetchone()[0] == note
    db.close()


def test_a_catalog_with_the_older_stems_gets_its_words_written_again_once(tmp_path) -> None:
    """Migration 7: words stored before an adverb's stem met its adjective's are rewritten from the functions
    table, so an existing index answers a question the new way without re-parsing or re-embedding."""
    folder = tmp_path
    catalog = Catalog(folder)
    catalog.db.execute("INSERT INTO files(id, path, language, size, mtime_ns, hash, indexed_at) VALUES (1, 'lib/x.py', "
                       "'python', 1, 1, 'h', 0)")
    catalog.db.execute("INSERT INTO functions(id, file_id, path, language, name, qualified_name, kind, start_line, "
                       "end_line, start_col, docstring, code, text_hash) VALUES (7, 1, 'lib/x.py', 'python', 'compare', "
                       "'compare', 'function', 1, 2, 0, '', 'def compare(a, b): return structurally_equal(a, b)', 'h')")
    # the words as the previous stemmer wrote them: 'structurally' was its own stem
    catalog.db.execute("INSERT INTO units_fts(rowid, name, file, path, doc, code) VALUES (7, 'compare compar', 'x', "
                       "'lib', '', 'def compare compar a b return structurally_equal structurally equal')")
    catalog.db.execute("PRAGMA user_version = 6")
    catalog.close()
    assert sqlite3.connect(folder / CATALOG_NAME).execute(
        "SELECT count(*) FROM units_fts WHERE units_fts MATCH 'structural'").fetchone()[0] == 0
    migrated = Catalog(folder)
    try:
        assert migrated.migrated_from == 6
        assert migrated.lexical(["structural"], 5) == [7]  # "compare structurally" finds it
        assert migrated.db.execute("SELECT count(*) FROM units_fts").fetchone()[0] == 1  # rewritten, not doubled
    finally:
        migrated.close()
    again = Catalog(folder)
    assert again.migrated_from is None
    again.close()


def _written_with_old_words(folder: Path, path: str, name: str, doc: str, code: str, words: tuple[str, ...],
                            version: int, kind: str = "function") -> None:
    """A catalog of schema `version` holding one unit (id 7) whose lexical words are `words`, as that schema wrote them."""
    catalog = Catalog(folder)
    catalog.db.execute("INSERT INTO files(id, path, language, size, mtime_ns, hash, indexed_at) VALUES (1, ?, 'python', "
                       "1, 1, 'h', 0)", (path,))
    catalog.db.execute("INSERT INTO functions(id, file_id, path, language, name, qualified_name, kind, start_line, "
                       "end_line, start_col, docstring, code, text_hash) VALUES (7, 1, ?, 'python', ?, ?, ?, 1, "
                       "2, 0, ?, ?, 'h')", (path, name, name, kind, doc, code))
    catalog.db.execute("INSERT INTO units_fts(rowid, name, file, path, doc, code) VALUES (7, ?, ?, ?, ?, ?)", words)
    catalog.db.execute(f"PRAGMA user_version = {version}")
    catalog.close()


def test_a_catalog_from_before_ied_and_ical_stems_gets_its_words_written_again_once(tmp_path) -> None:
    """Migration 12: "how are failed requests retried" meets `retry` (got's retry code was 30th by its words), and
    "write a file atomically" `atomic_save`, in an existing index: the words are rewritten, nothing re-parsed."""
    # the words as the previous stemmer wrote them: 'retried' stemmed to 'retri'
    _written_with_old_words(tmp_path, "lib/x.py", "atomic_save", "Retried once.", "def atomic_save(p): pass",
                            ("atomic_save atomic save", "x", "lib", "retri onc", "def atomic_save atomic save p pass"), 11)
    migrated = Catalog(tmp_path)
    try:
        assert migrated.migrated_from == 11
        assert migrated.lexical([stem("retried")], 5) == [7] and migrated.lexical([stem("atomically")], 5) == [7]
        assert migrated.db.execute("SELECT count(*) FROM units_fts").fetchone()[0] == 1
    finally:
        migrated.close()


def test_a_catalog_from_before_acronym_plurals_gets_its_words_written_again_once(tmp_path) -> None:
    """Migration 16: "urls" meets `normalizeURLs` (split as ur/ls, so no question met it; werkzeug and pflag), in an
    existing index: the words are rewritten, nothing re-parsed."""
    # the words as the previous splitter wrote them: URLs as 'ur' and 'ls'
    _written_with_old_words(tmp_path, "lexer.py", "normalizeURLs", "Normalize them.", "def normalizeURLs(p): pass",
                            ("normalizeurls normaliz ur ls", "lexer", "", "normaliz them",
                             "def normalizeurls normaliz ur ls p pass"), 15)
    migrated = Catalog(tmp_path)
    try:
        assert migrated.migrated_from == 15
        assert migrated.lexical([stem("urls")], 5) == [7] and migrated.lexical([stem("ids")], 5) == []
        assert migrated.db.execute("SELECT count(*) FROM units_fts").fetchone()[0] == 1
    finally:
        migrated.close()


def test_a_prototype_is_no_word_of_an_old_catalogs_names_once_it_migrates(tmp_path) -> None:
    """Migration 35: a re-read writes only changed units' words, so `Widget.prototype.render`'s name kept "prototype"
    in an index from before (probe 136); every unit's words are written again once."""
    from codesearch.store.catalog import CATALOG_NAME

    (tmp_path / "old").mkdir()
    _written_with_old_words(tmp_path / "old", "widget.js", "render", "", "function () {\n  return 1\n}",
                            ("widget prototype render", "widget", "", "", "function return"), 34)
    with sqlite3.connect(tmp_path / "old" / CATALOG_NAME) as db:
        db.execute("UPDATE functions SET qualified_name = 'Widget.prototype.render' WHERE id = 7")
    migrated = Catalog(tmp_path / "old")
    try:
        assert migrated.migrated_from == 34
        assert migrated.lexical(["prototype"], 5) == [] and migrated.lexical(["render"], 5) == [7]
    finally:
        migrated.close()


def test_a_tools_remark_is_no_word_of_the_code_and_an_old_catalog_drops_it_once(tmp_path) -> None:
    """Migration 18: pluggy's 3-line `_call_history` came first for "override the result of a hook call" by its only
    "override", in `# type: ignore[override]`; a linter's or checker's remark is no word of the code."""
    code = "def history(self):  # type: ignore[override]\n    return self._calls  # pragma: no cover\n"
    assert "override" not in unit_fields("history", "history", "hooks.py", "", code)[4].split()
    assert "return" in unit_fields("history", "history", "hooks.py", "", code)[4].split()
    prose = "x = 1  # noqa: E501 because the retry loop needs it\n// nolint is not used here\n"
    assert {"because", "retry", "nolint"} <= set(unit_fields("x", "x", "a.py", "", prose)[4].split())
    _written_with_old_words(tmp_path, "hooks.py", "history", "", code,
                            ("history", "hooks", "", "", "def history self type ignore override return self calls"), 17)
    migrated = Catalog(tmp_path)
    try:
        assert migrated.migrated_from == 17
        assert migrated.lexical(["override"], 5) == [] and migrated.lexical(["return"], 5) == [7]
    finally:
        migrated.close()


def test_rewriting_a_large_indexs_words_is_said_before_it_starts(tmp_path, monkeypatch, capsys) -> None:
    """A words migration on a large index takes a while (Rails: ~30 s on the first query after an upgrade): the user
    is told why the wait, once; a small index's rewrite is instant and says nothing."""
    import codesearch.store.catalog as catalog_module

    catalog = Catalog(tmp_path)
    catalog.db.execute("INSERT INTO files(id, path, language, size, mtime_ns, hash, indexed_at) VALUES (1, 'lib/x.py', "
                       "'python', 1, 1, 'h', 0)")
    for i in (7, 8):
        catalog.db.execute("INSERT INTO functions(id, file_id, path, language, name, qualified_name, kind, start_line, "
                           "end_line, start_col, docstring, code, text_hash) VALUES (?, 1, 'lib/x.py', 'python', 'f', "
                           "'f', 'function', 1, 2, 0, '', 'def f(): pass', 'h')", (i,))
    catalog.db.execute("PRAGMA user_version = 11")
    catalog.close()
    monkeypatch.setattr(catalog_module, "SAY_REFILL_FROM", 2)
    Catalog(tmp_path).close()
    said = capsys.readouterr().err
    assert "writing the words of the 2 units" in said and str(tmp_path) in said
    Catalog(tmp_path).close()
    assert capsys.readouterr().err == ""  # once


def test_move_keeps_the_lexical_fields_in_step(tmp_path) -> None:
    catalog = Catalog(tmp_path)
    unit = Unit(path="a/old.py", language="python", name="f", qualified_name="f", kind="function", start_line=1,
                end_line=2, start_col=0, docstring="", code="def f(): pass")
    with catalog.transaction():
        fid = catalog.insert_function(catalog.upsert_file("a/old.py", "python", 1, 1, "h"), unit, "t")
        catalog.move_function(fid, Unit(**{**unit.__dict__, "path": "b/renamed.py"}))
    assert catalog.lexical(["renamed"], 5) == [fid] and catalog.lexical(["old"], 5) == []
    catalog.close()


# -- the query is parsed once ----------------------------------------------------------------------------------
SPLITTERS = {"split_identifier", "identifier_words", "index_words", "unit_fields", "looks_like_identifier", "symbol_key",
             "parse", "findall", "split"}
SEARCH_STAGES = [ROOT / "codesearch" / "search" / name for name in ("searcher.py", "ranking.py", "bm25.py", "filerank.py")]


def _query_names(fn: ast.FunctionDef) -> set[str]:
    """The function's parameters that hold a query (by annotation: str-typed `text`/`query` params are raw text)."""
    return {a.arg for a in fn.args.args + fn.args.kwonlyargs if a.arg in ("text", "query", "q", "terms")}


def test_no_search_stage_splits_the_query_text() -> None:
    """Every function of the search stages that takes a query takes a Query or QueryTerms, and no splitter is ever
    called on it or on its text: the words come from QueryTerms, parsed once when the Query is made."""
    offences = []
    for path in SEARCH_STAGES:
        for fn in (n for n in ast.walk(ast.parse(path.read_text())) if isinstance(n, ast.FunctionDef)):
            names = _query_names(fn)
            for a in fn.args.args + fn.args.kwonlyargs:
                if a.arg in names and a.annotation is not None and ast.unparse(a.annotation) == "str":
                    offences.append(f"{path.name}:{fn.name} takes the query as text ({a.arg}: str)")
            for call in (n for n in ast.walk(fn) if isinstance(n, ast.Call)):
                callee = call.func.attr if isinstance(call.func, ast.Attribute) else getattr(call.func, "id", "")
                receiver = ast.unparse(call.func.value) if isinstance(call.func, ast.Attribute) else ""
                touched = {ast.unparse(x) for x in call.args} | {receiver}
                if callee in SPLITTERS and any(t in names or t.endswith(".text") or t.split(".")[0] in names for t in touched):
                    offences.append(f"{path.name}:{fn.name} splits the query: {ast.unparse(call)}")
    assert offences == []


def test_the_query_terms_are_made_once_with_the_query() -> None:
    q = Query("How are redirects followed?")
    assert isinstance(q.terms, QueryTerms) and q.terms.search_words == ("redirect", "follow")
    source = "\n".join(p.read_text() for p in SEARCH_STAGES)
    assert "QueryTerms.parse" not in source  # the search stages take the Query's terms, never make their own


# -- fusion and file evidence ------------------------------------------------------------------------------
RETRIES = {f"net/r{i}.py": f"def attempt_{i}(call):\n    return call()  # {'retry ' * (6 - i)}\n" for i in range(6)}


@pytest.fixture(scope="module")
def retries(tmp_path_factory, tiny_embedder):
    with indexed_files(tmp_path_factory.mktemp("fusion") / "repo", RETRIES, tiny_embedder) as index:
        yield index.store, tiny_embedder


def test_weighted_rrf() -> None:
    from codesearch.search.searcher import rrf

    assert [i for i, _ in rrf([[1, 2], [2, 1]], 60, (1.0, 2.0))] == [2, 1]
    assert rrf([[1]], 10, (3.0,))[0][1] == pytest.approx(3 / 11)


def test_a_name_keeps_lexicals_order_under_fusion(retries) -> None:
    store, embedder = retries
    opts = PLAIN
    lexical = [h.id for h in Searcher(store, None, opts).search(Query("retry", k=6, mode="lexical"))]
    hybrid = [h.id for h in Searcher(store, embedder, opts).search(Query("retry", k=6, mode="hybrid"))]
    assert len(lexical) == 6 and hybrid == lexical  # the random tiny model's meaning would shuffle a plain RRF
    plain = [i for i, _ in rrf_of(store, embedder, "retry")]
    assert plain != lexical  # (the fixture is one where it does)


def rrf_of(store, embedder, text: str) -> list[tuple[int, float]]:
    from codesearch.search.searcher import rrf

    s = Searcher(store, embedder, PLAIN)
    q = Query(text, k=6)
    return rrf([[f for f, _ in s.dense(q.terms, 6, None)], [f for f, _ in s.lexical(q.terms, 6, None, None)]])


def test_file_evidence_lifts_a_files_functions_but_not_past_named_ones() -> None:
    from codesearch.search.searcher import file_evidence
    from codesearch.store.catalog import FunctionRow

    def row(fid: int, path: str) -> FunctionRow:
        return FunctionRow(fid, path, "python", f"f{fid}", f"f{fid}", "function", fid, fid, 1, "", "", str(fid))

    ranked = [row(1, "named.py"), row(2, "one.py"), row(3, "many.py"), row(4, "many.py"), row(5, "many.py")]
    scores = {1: 0.1, 2: 1.0, 3: 0.9, 4: 0.8, 5: 0.8}
    signals = {i: {} for i in scores}
    out = file_evidence(ranked, dict(scores), signals, 0.5, named={1})
    assert [r.id for r in out] == [1, 3, 2, 4, 5]  # many.py's best now leads one.py's: 0.9 + 0.5 x (0.4 + 0.2)
    assert signals[3]["file"] == pytest.approx(0.3) and "file" not in signals[2] and "file" not in signals[4]
    assert [r.id for r in file_evidence(ranked, dict(scores), signals, 0.0, named={1})] == [1, 2, 3, 4, 5]


def test_files_are_scored_once_whatever_the_file_evidence() -> None:
    from codesearch.query import Hit
    from codesearch.search.filerank import rank_files

    def hit(fid: int, path: str, score: float, **signals) -> Hit:
        return Hit(id=fid, path=path, start_line=fid, end_line=fid, start_col=1, name="f", qualified_name=f"f{fid}",
                   language="python", kind="function", score=score, code="", docstring="", signals=signals)

    plain = [hit(1, "one.py", 1.0), hit(2, "many.py", 0.9), hit(3, "many.py", 0.8), hit(4, "many.py", 0.8)]
    lifted = [hit(2, "many.py", 0.9 + 0.3, file=0.3), hit(1, "one.py", 1.0), hit(3, "many.py", 0.8), hit(4, "many.py", 0.8)]
    assert [(f.path, f.score) for f in rank_files(lifted, 2)] == [(f.path, f.score) for f in rank_files(plain, 2)]


def test_a_catalog_from_before_bound_calls_were_named_reads_its_js_and_ts_files_again_once(tmp_path) -> None:
    """Migration 8: units inside a module-level JS/TS call bound to a name are named after it now, so JavaScript and
    TypeScript files (only those) are read again on the next sync, which says why once."""
    from codesearch.store.catalog import JS_REREAD_NOTE, MIGRATIONS, REREAD_KEY

    catalog = Catalog(tmp_path)
    for i, (path, language) in enumerate([("src/users.ts", "typescript"), ("web/app.js", "javascript"),
                                          ("web/App.tsx", "tsx"), ("lib/x.py", "python")], start=1):
        catalog.db.execute("INSERT INTO files(id, path, language, size, mtime_ns, hash, indexed_at) VALUES (?, ?, ?, 1, 5, "
                           "'h', 0)", (i, path, language))
    catalog.db.execute("PRAGMA user_version = 7")
    catalog.close()
    migrated = Catalog(tmp_path)
    try:
        assert migrated.migrated_from == 7
        rows = dict(migrated.db.execute("SELECT path, hash || ':' || mtime_ns FROM files").fetchall())
        # every file: migration 9 (bindings) reads them all again after 8; the first migration's note is the one said
        assert rows == {"src/users.ts": ":0", "web/app.js": ":0", "web/App.tsx": ":0", "lib/x.py": ":0"}
        assert migrated.get_meta(REREAD_KEY).startswith(JS_REREAD_NOTE)  # later notes follow it
        # migration 8 alone marks the JavaScript and TypeScript files only
        migrated.db.execute("UPDATE files SET hash = 'h', mtime_ns = 5")
        migrated.db.executescript(MIGRATIONS[7])
        rows = dict(migrated.db.execute("SELECT path, hash || ':' || mtime_ns FROM files").fetchall())
        assert rows == {"src/users.ts": ":0", "web/app.js": ":0", "web/App.tsx": ":0", "lib/x.py": "h:5"}
    finally:
        migrated.close()
    again = Catalog(tmp_path)
    assert again.migrated_from is None
    again.close()


def test_names_alike_are_looked_up_by_an_index(tmp_path) -> None:
    """Migration 19: a name compared without case or separators (every one-word query, a question's words as one
    name) read every unit's name; an index on that key answers it."""
    catalog = Catalog(tmp_path)
    try:
        plan = catalog.db.execute("EXPLAIN QUERY PLAN SELECT id FROM functions WHERE "
                                  "lower(replace(replace(name, '_', ''), '$', '')) = ?", ("x",)).fetchall()
        assert any("functions_name_key" in str(row) for row in plan)
    finally:
        catalog.close()


def test_a_catalog_from_before_four_letter_words_kept_their_e_gets_its_words_written_again_once(tmp_path) -> None:
    """Migration 20: "which mode" met `mod` (modulo), mode and mod both stemmed to 'mod', and `names` was written as
    'nam'; in an existing index the words are rewritten in the new stems, nothing re-parsed."""
    # the words as the previous stemmer wrote them: `names` stemmed to 'nam', which "name" no longer is
    _written_with_old_words(tmp_path, "ops.py", "names", "Their names.", "def names(a): return a",
                            ("names nam", "ops", "", "their names nam", "def names nam a return a"), 19)
    migrated = Catalog(tmp_path)
    try:
        assert migrated.migrated_from == 19
        assert migrated.lexical([stem("name")], 5) == [7] and migrated.lexical(["nam"], 5) == []
    finally:
        migrated.close()


def test_a_catalog_from_before_underscored_names_gave_their_word_gets_its_words_written_again_once(tmp_path) -> None:
    """Migration 29: `_shutdown` was stored only whole; an existing index writes its words again, nothing re-parsed."""
    _written_with_old_words(tmp_path, "pool.py", "_shutdown", "", "def _shutdown(self): pass",
                            ("_shutdown", "pool", "", "", "def _shutdown self pass"), 28)
    migrated = Catalog(tmp_path)
    try:
        assert migrated.migrated_from == 28
        assert migrated.lexical(["shutdown"], 5) == [7]
    finally:
        migrated.close()


def test_a_catalog_from_before_hyphenated_words_were_joined_gets_its_words_written_again_once(tmp_path) -> None:
    """Migration 46: "re-thrown" in a doc was stored as `re` and `thrown` only, so "rethrown" met nothing (probe 213); an
    existing index writes its words again with the joined word, nothing re-parsed."""
    _written_with_old_words(tmp_path, "LogFactory.java", "handleThrowable", "Needs to be re-thrown.",
                            "void handleThrowable(Throwable t) {}",
                            ("handlethrowable handle throwable", "logfactory log factory", "", "needs need to be re thrown",
                             "void handlethrowable handle throwable throwable t"), 45)
    migrated = Catalog(tmp_path)
    try:
        assert migrated.migrated_from == 45
        assert migrated.lexical(["rethrown"], 5) == [7]
        assert migrated.db.execute("SELECT count(*) FROM units_fts").fetchone()[0] == 1
    finally:
        migrated.close()


def test_words_pending_rewrite_several_times_are_written_once() -> None:
    """An index from before migration 16 wrote every unit's words again in 16, 18, 20, 22, 27, 29, 32, 35, 37, 41, 44,
    46, 51 and 54 (Rails: ~30 s each): the last one does it, the others only move the version on; every other migration
    runs as it is."""
    from codesearch.store.catalog import MIGRATIONS, SCHEMA_VERSION, pending_migrations

    scripts = pending_migrations(15)
    assert len(scripts) == SCHEMA_VERSION - 15
    writes = [i + 15 for i, s in enumerate(scripts) if "DELETE FROM units_fts" in s]
    assert writes == [53]  # migration 54 (the 54th script, index 53)
    assert all(s == MIGRATIONS[i + 15] for i, s in enumerate(scripts) if s)
    assert pending_migrations(51) == MIGRATIONS[51:]


def test_meaning_alone_lifts_a_file_by_its_further_units_as_hybrids_meaning_list_does(tmp_path) -> None:
    """Semantic mode's file evidence weighs file_meaning_weight, not the words' file_weight (probe 53: viper.go's many
    near matches at 0.5 buried util.go's parseSizeInBytes; tuning half semantic 0.8881/0.7867 -> 0.8880/0.7999).
    MiniLM: the tiny random model's cosines are below zero, where further matches add nothing."""
    from dataclasses import replace

    from codesearch.search.ranking import RankingOptions

    files = {"conf.py": "".join(f"def load_config_{i}(path):\n    \"\"\"Read the configuration file.\"\"\"\n"
                                f"    return read_config(path, {i})\n\n\n" for i in range(4)),
             "size.py": "def parse_size(text):\n    return int(text)\n"}
    for rel, text in files.items():
        (tmp_path / rel).write_text(text)
    with Index.create(tmp_path, Config(model="minilm")) as idx:
        idx.sync()

        def lifts(opts: RankingOptions) -> list[float]:
            hits = Searcher(idx.store, idx.embedder(), opts).search(Query("read the config file", k=10, mode="semantic"))
            return [h.signals["file"] for h in hits if "file" in h.signals]

        default = lifts(RankingOptions())
        assert default and lifts(replace(RankingOptions(), file_weight=0.0)) == default
        assert lifts(replace(RankingOptions(), file_meaning_weight=0.0)) == []
        doubled = lifts(replace(RankingOptions(), file_meaning_weight=2 * RankingOptions().file_meaning_weight))
        assert doubled == pytest.approx([2 * x for x in default], rel=1e-3)


def test_printed_scores_fall_down_the_list_when_a_name_leads(tmp_path, tiny_embedder) -> None:
    """A named symbol is listed first at the best score there was; file evidence then lifted a file of many matches
    past it (zod: `ZodDiscriminatedUnion` at 12.799 above 16.910, probes 52, 54, 55)."""
    files = {"calls.py": "".join(f"def parse_part_{i}(text):\n    return parse(parse(text))\n\n\n" for i in range(8)),
             "parser.py": "def parse(text):\n    return text.split()\n"}
    with indexed_files(tmp_path, files, tiny_embedder) as idx:
        hits = idx.search(Query("parse", k=10, mode="lexical"))
    assert (hits[0].path, hits[0].name) == ("parser.py", "parse")
    scores = [h.score for h in hits]
    assert scores == sorted(scores, reverse=True), scores


def test_a_stub_file_is_one_result_with_the_module_it_types(tmp_path, tiny_embedder) -> None:
    """attrs ships exceptions.pyi beside exceptions.py: `--kind type` listed each class twice, in pairs (probe 56).
    The module's unit stands for its stub's, which it names as a copy."""
    files = {"errors.py": 'class FrozenError(AttributeError):\n    """Raised when assigning to a frozen instance."""\n\n'
                          '    msg = "can\'t set attribute"\n',
             "errors.pyi": "class FrozenError(AttributeError):\n    msg: str\n"}
    with indexed_files(tmp_path, files, tiny_embedder) as idx:
        hits = idx.search(Query("FrozenError", k=5, mode="lexical", kinds=("type",)))
    assert [(h.path, h.name) for h in hits] == [("errors.py", "FrozenError")]
    assert any(place.startswith("errors.pyi:") for place in hits[0].also_in)


@pytest.mark.parametrize("typed", ["lib/levels.js", "./lib/levels.js", "levels.js"])
def test_a_path_typed_as_a_question_finds_that_file_first(tmp_path, tiny_embedder, typed) -> None:
    """pino: `lib/levels.js` put lib/transport.js, which says "levels" more, first (probe 57)."""
    files = {"lib/levels.js": "function mappings(custom) {\n  return Object.assign({}, custom)\n}\n",
             "lib/transport.js": "function transport(levels) {\n  // levels of levels: lib levels js\n"
                                 "  return levels.map((l) => levels[l])\n}\n",
             "lib/my_levels.js": "function other() {\n  return 1\n}\n"}
    with indexed_files(tmp_path, files, tiny_embedder) as idx:
        assert idx.search(Query(typed, k=3))[0].path == "lib/levels.js"
        assert idx.search(Query("src/levels.js", k=3))  # no such file: the words answer
        assert idx.search(Query("my_levels.js", k=3))[0].path == "lib/my_levels.js"  # `_` is no LIKE wildcard


@pytest.mark.parametrize("typed,name,line", [("cli.go:8", "run", 8), ("cmd/cli.go:3:5", "Run", 3),
                                              ('File "/home/me/proj/tool/app.py", line 5, in main', "main", 5),
                                              ("cli.go:1", "cli", 1)])
def test_a_place_pasted_as_a_question_finds_the_unit_there(tmp_path, tiny_embedder, typed, name, line) -> None:
    """gojq: a pasted `compiler.go:1583` found unrelated units (probe 151): a compiler's, a linter's or a traceback's
    place names the innermost unit holding that line, opened there; an absolute path by its last parts."""
    files = {"cmd/cli.go": "package cmd\n\nfunc Run() int {\n\treturn 0\n}\n\n"
                           "func (c *cli) run(args []string) int {\n\tc.out = 1\n\treturn c.out\n}\n",
             "tool/app.py": "import sys\n\n\ndef main():\n    return sys.argv\n",
             "other/go_cli.go": "package other\n\n// cli go run run run\nfunc Other() {}\n"}
    with indexed_files(tmp_path, files, tiny_embedder) as idx:
        hits = idx.search(Query(typed, k=3))
        library = idx.search(Query('File "/usr/lib/python3/site-packages/requests/app.py", line 5, in get', k=3))
    hit = hits[0]
    assert (hit.name, hit.signals.get("focus", hit.start_line)) == (name, line), (hit.name, hit.path, hit.signals)
    assert [h.name for h in hits[1:] if "focus" in h.signals and h.signals["focus"] == line] == []  # none other
    assert all(h.signals.get("symbol") != "exact" for h in library)  # a library's frame is no file here (review)


def test_a_keyword_a_question_names_as_a_thing_is_one_of_its_words(tmp_path, tiny_embedder) -> None:
    """twig: "parse the for tag with its else branch" kept only "parse" and "tag", which all twelve tag parsers say, and
    ForTokenParser came sixth (probe 98): a keyword after "the", "a", "an", "its", "each" and before a word ("the for
    tag", "an if statement", "the with block") names a thing, and is searched for; elsewhere it stays a stop word."""
    def parser(tag: str) -> str:
        cls = tag.capitalize()
        return (f"<?php\nnamespace App\\TokenParser;\n\n/** Parses the tag and returns a node for it. */\n"
                f"final class {cls}TokenParser extends AbstractTokenParser\n{{\n    public function parse(Token $token): Node\n"
                f"    {{\n        $body = $this->parser->subparse([$this, 'decideEnd'], true);\n"
                f"        return new {cls}Node($body, $this->getTag());\n    }}\n\n    public function getTag(): string\n"
                f"    {{\n        return '{tag}';\n    }}\n}}\n")
    files = {f"src/{t.capitalize()}TokenParser.php": parser(t) for t in ("import", "use", "do", "for", "if", "with",
                                                                        "block", "macro", "apply", "sandbox")}
    with indexed_files(tmp_path, files, tiny_embedder) as index:
        hits = index.search(Query("parse the for tag", k=3, mode="lexical"))
        plain = QueryTerms.parse("wait for the response")
    assert hits[0].path == "src/ForTokenParser.php", [(h.path, h.name) for h in hits]
    assert "for" not in plain.search_words and "for" in QueryTerms.parse("parse the for tag").search_words
    # and with a word saying which (filelock's "a plain with statement on the async lock": `__enter__` 12th, probe 183)
    assert "with" in QueryTerms.parse("why can't I use a plain with statement on the async lock").search_words
    assert "with" not in QueryTerms.parse("a plain value with its unit").search_words
    for text, word in (("where is the return value checked", "return"), ("an in memory cache", "in"),
                       ("store this as json", "as"), ("treat the use case of retries", "use")):  # no syntax (review)
        assert word not in QueryTerms.parse(text).search_words, text


def test_an_operator_a_question_names_is_one_of_its_words(tmp_path, tiny_embedder) -> None:
    """tinydb: "combine two queries with logical and" put QueryInstance.__and__ 14th, "and" dropped as a stop word
    (probe 99): and, or, not, xor after logical, bitwise or boolean, or before "operator", name an operator."""
    code = ("class QueryInstance:\n    def __and__(self, other):\n        return QueryInstance(('and', self, other))\n\n"
            "    def __or__(self, other):\n        return QueryInstance(('or', self, other))\n\n"
            "    def where(self, field):\n        return QueryInstance(('where', self, field))\n")
    with indexed_files(tmp_path, {"queries.py": code}, tiny_embedder) as index:
        hits = index.search(Query("combine two queries with logical and", k=3, mode="lexical"))
    assert hits[0].qualified_name == "QueryInstance.__and__", [h.qualified_name for h in hits]
    assert "or" not in QueryTerms.parse("read or write files").search_words
    assert "and" not in QueryTerms.parse("merge functions and operators").search_words  # review


def test_a_command_line_flag_in_a_question_keeps_its_words(tmp_path, tiny_embedder) -> None:
    """slop: "how does --no- prefix turn a boolean flag off" dropped "no" as a stop word, put Parser#try_process (the
    only code reading "--no-") 14th and said no word of the question was in the code (probe 111): a flag typed with
    its dashes (`--no-`, `--all`, `--no-cache`, `-v`) keeps every word, and its words joined (`nocache`)."""
    code = ("class Parser\n  def try_process(flag, arg)\n    if flag.start_with?('--no-')\n"
            "      process(flag.sub('--no-', '--'), false)\n    else\n      process(flag, arg)\n    end\n  end\n\n"
            "  def prefix_for(name)\n    '--' + name\n  end\n\n  def strip_prefix(flag)\n    flag.sub(/^-+/, '')\n"
            "  end\nend\n")
    with indexed_files(tmp_path, {"lib/parser.rb": code}, tiny_embedder) as index:
        hits = index.search(Query("where is the --no- prefix handled", k=3, mode="lexical"))
    assert hits[0].qualified_name == "Parser#try_process", [h.qualified_name for h in hits]
    assert "no" in QueryTerms.parse("how does --no- prefix turn a boolean flag off").search_words
    assert "all" in QueryTerms.parse("what does the --all flag list").search_words
    assert {"no", "nocache"} <= set(QueryTerms.parse("where is --no-cache read").search_words)
    assert "no" not in QueryTerms.parse("no cache for remote files").search_words  # a word, no flag
    assert "all" not in QueryTerms.parse("read all-in-one files").search_words


def test_a_number_counting_things_is_no_word_of_the_question(tmp_path, tiny_embedder) -> None:
    """yargs: "check that two options are not used together" put `startsByTwoDashes` first, on "two" and "option",
    and the conflicts check below the top ten (probe 110): a number word before a plural says how many, as "one"
    does; "two-phase", "two factor" and a number alone stay words."""
    code = ("function startsByTwoDashes(option) {\n  return option.startsWith('--');\n}\n\n"
            "// options used together\nfunction conflicting(argv) {\n  return argv.filter(isSet);\n}\n")
    with indexed_files(tmp_path, {"lib/validation.js": code}, tiny_embedder) as index:
        hits = index.search(Query("check that two options are not used together", k=2, mode="lexical"))
    assert hits[0].name == "conflicting", [h.name for h in hits]
    for text in ("a two-phase commit", "two factor login", "split in two"):
        assert "two" in QueryTerms.parse(text).search_words, text


def test_how_many_is_no_word_of_the_question(tmp_path, tiny_embedder) -> None:
    """connection_pool: "how many connections are free right now" put ConnectionPool first by "among many threads" in
    its doc, and TimedStack#length, first by meaning, eleventh (probe 133): "how many" asks for a count, as "how"
    does; "many to many" stays a word."""
    code = ("# Shares connections among many threads.\nclass ConnectionPool\n  def with\n    yield @available.pop\n  end\n"
            "end\n\nclass TimedStack\n  # The number of connections free right now.\n  def length\n    @que.length\n  end\nend\n")
    with indexed_files(tmp_path, {"lib/pool.rb": code}, tiny_embedder) as index:
        hits = index.search(Query("how many connections are free right now", k=2, mode="lexical"))
    assert hits[0].name == "length", [h.name for h in hits]
    assert "much" not in QueryTerms.parse("how much memory is used").search_words
    assert "many" in QueryTerms.parse("many to many relation").search_words


def test_whether_is_no_word_of_a_question(tmp_path, tiny_embedder) -> None:
    """itsdangerous: "where does it check whether a signed token is too old" put `is_text_serializer` (its doc
    "Checks whether ...") first, 72nd by meaning, and its file above timed.py (probe 114): "whether" says how a
    question asks, as "if" does."""
    files = {"timed.py": "class TimestampSigner:\n    def unsign(self, signed_value, max_age=None):\n"
                         "        value, ts = signed_value.rsplit(b'.', 1)\n        age = now() - int(ts)\n"
                         "        if age > max_age:\n            raise ValueError('signature too old')\n        return value\n",
             "util.py": 'def is_text_serializer(serializer):\n    """Checks whether a serializer generates text."""\n'
                        "    return isinstance(serializer.dumps({}), str)\n"}
    with indexed_files(tmp_path, files, tiny_embedder) as index:
        hits = index.search(Query("where does it check whether a signed token is too old", k=2, mode="lexical"))
    assert hits[0].path == "timed.py", [(h.path, h.name) for h in hits]
    assert "whether" not in QueryTerms.parse("check whether a token is old").search_words


def test_a_latin_word_written_beside_chinese_or_japanese_is_a_word(tmp_path, tiny_embedder) -> None:
    """rack-test: "清除所有的cookie" ("clear all cookies") was one word, `清除所有的cooki`, that nothing held: no hit
    by words and a note that no word of it was in the code (probe 122). A run of Chinese, Japanese or Korean letters
    is a word of its own beside Latin ones, in questions and in the code's comments."""
    code = ("module Rack\n  class Session\n    # 清除cookie的方法\n    def clear_cookies\n      @cookie_jar = CookieJar.new\n"
            "    end\n\n    def request(uri)\n      process(uri)\n    end\n  end\nend\n")
    with indexed_files(tmp_path, {"lib/rack/test.rb": code}, tiny_embedder) as index:
        for text in ("清除所有的cookie", "把cookie删除", "Cookieを削除する"):
            hits = index.search(Query(text, k=2, mode="lexical"))
            assert hits and hits[0].name == "clear_cookies", (text, [h.name for h in hits])
    assert "清除" in QueryTerms.parse("清除cookie").search_words


def test_a_plural_of_a_noun_in_ie_stems_as_its_singular() -> None:
    """`clearCookies` stemmed as "cooky" and `cookie` as "cooki": "clear the cookie" missed the one, "cookies" the other."""
    assert stem("cookies") == stem("cookie") == stem("Cookies") and stem("movies") == stem("movie")
    assert stem("entries") == "entry" and stem("queries") == "query"


def test_flags_counts_and_scripts_are_read_only_where_they_are_so() -> None:
    """Review: a dash before a word is no flag ("the cache --which lives here" kept "which"); "two pass" and "two
    class" count nothing; the Japanese middle dot `・` splits two words, as it did before the script rule."""
    assert "which" not in QueryTerms.parse("the cache --which lives here").search_words
    assert "two" in QueryTerms.parse("a two pass assembler").search_words
    assert "two" in QueryTerms.parse("a two class hierarchy").search_words
    assert {"クッキー", "ストア"} <= set(QueryTerms.parse("クッキー・ストア").search_words)


def test_an_accented_word_meets_the_codes_word_without_accents(tmp_path, tiny_embedder) -> None:
    """rainbow: "dónde se define el número de versión de la gema" kept `versión`, the index `version`, and version.rb
    was not in the first ten ("versión de la gema" by words: no results; probe 126): Latin letters' accents are left
    out of the words, in questions and in the code."""
    files = {"lib/rainbow/version.rb": "module Rainbow\n  VERSION = '3.1.1'\nend\n",
             "lib/rainbow/color.rb": "module Rainbow\n  # Builds a color from its name.\n  def self.build(name)\n"
                                     "    Color.new(name)\n  end\nend\n"}
    with indexed_files(tmp_path, files, tiny_embedder) as index:
        hits = index.search(Query("versión de la gema", k=2, mode="lexical"))
    assert hits and hits[0].path == "lib/rainbow/version.rb", [(h.path, h.name) for h in hits]
    assert "numero" in QueryTerms.parse("el número de versión").search_words
    assert QueryTerms.parse("清除cookie").search_words[0] == "清除"  # other scripts as they are
    from codesearch.query import folded
    assert folded("क्षमा") == "क्षमा" and folded("tiếng") == "tieng"  # a virama is no accent (review)
    content = QueryTerms.parse("où est défini le numéro de version").content
    assert "ou" not in content and "numero" in content  # another language's function words, accents or none (review)
    commented = {"lib/pkg/info.rb": "module Pkg\n  # Devuelve el número de la versión actual.\n  def self.current\n"
                                    "    NUMBER\n  end\nend\n",
                 "lib/pkg/other.rb": "module Pkg\n  def self.other\n    1\n  end\nend\n"}
    with indexed_files(tmp_path / "es", commented, tiny_embedder) as index:
        hits = index.search(Query("número de la versión", k=2, mode="lexical"))
    assert hits and hits[0].name == "current", [(h.path, h.name) for h in hits]  # the code's accents too (review)


def test_a_names_letters_and_digits_are_found_as_one_word(tmp_path, tiny_embedder) -> None:
    """validator: "check that a string is valid base64" put decodeImage, whose comment says base64 once, above
    `isBase64`, named for it (the index held `base` and `64` of the name, never `base64`: probe 177)."""
    from conftest import indexed_files

    files = {"image.js": "// A data URI holds its image as a valid base64 string after the comma.\nfunction decodeImage(uri) {\n"
                         "  const payload = uri.split(',')[1];\n  return Buffer.from(payload, 'base64');\n}\n",
             "isBase64.js": "const notBase64 = /[^A-Z0-9+\\/=]/i;\n\nfunction isBase64(str) {\n  const len = str.length;\n"
                            "  if (len % 4 !== 0 || notBase64.test(str)) {\n    return false;\n  }\n  return true;\n}\n"}
    with indexed_files(tmp_path, files, tiny_embedder) as index:
        for question in ("base64", "base64 check"):  # (a comment saying "valid base64 string" still wins "valid base64")
            hits = index.search(Query(question, k=3, mode="lexical"))
            assert hits[0].qualified_name == "isBase64", (question, [h.qualified_name for h in hits])
