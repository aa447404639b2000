"""A name bound in module or type code (a constant, a variable, a field) is looked up like a function's name."""

from __future__ import annotations

from pathlib import Path

import pytest

from codesearch.config import Config
from codesearch.engine import Index
from codesearch.query import Query

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


@pytest.mark.parametrize("text,line,qualified,first", [
    ("asyncScheduler", 4, "async.asyncScheduler", "export const asyncScheduler = new AsyncScheduler(AsyncAction);"),
    ("DEFAULT_REDIRECT_LIMIT", 3, "models.DEFAULT_REDIRECT_LIMIT", "DEFAULT_REDIRECT_LIMIT = 30"),
    ("INDEX_NOT_FOUND", 4, "StringUtils.INDEX_NOT_FOUND", "    public static final int INDEX_NOT_FOUND = -1;"),
    ("AllLevels", 3, "levels.AllLevels", "var AllLevels = []Level{"),
])
def test_the_hit_shows_the_statement_that_binds_the_name(index, text, line, qualified, first) -> None:
    hit = index.search(Query(text, k=1, mode="lexical"))[0]
    assert (hit.start_line, hit.qualified_name, hit.code.split("\n")[0]) == (line, qualified, first)
    if text == "AllLevels":  # the statement to where its brackets close
        assert (hit.end_line, hit.code.split("\n")[-1]) == (6, "}")


def test_a_file_changed_since_it_was_indexed_shows_the_unit_as_indexed(tmp_path, tiny_embedder) -> None:
    (tmp_path / "models.py").write_text(MODELS_PY)
    with Index.create(tmp_path, Config(), embedder=tiny_embedder) as idx:
        idx.sync()
        (tmp_path / "models.py").write_text("import os\n")  # the binding is gone from the file, not yet from the index
        hit = idx.search(Query("DEFAULT_REDIRECT_LIMIT", k=1, mode="lexical"))[0]
    assert (hit.start_line, hit.kind, hit.signals.get("symbol")) == (1, "module", "bound")
    assert "DEFAULT_REDIRECT_LIMIT = 30" in hit.code


def test_a_binding_is_found_fuzzy_on_case_and_separators_after_exact_names(index) -> None:
    hits = index.search(Query("default_redirect_limit", k=5, mode="lexical"))
    assert (hits[0].path, hits[0].signals.get("symbol")) == ("req/models.py", "fuzzy")


def test_a_plain_word_does_not_lead_with_every_field_of_that_name(index) -> None:
    # `value` is a field of StringUtils and a method of Finder: the method is named so, the field only bound
    hits = index.search(Query("value", k=5, mode="lexical"))
    assert hits[0].qualified_name == "Finder.value"
    assert all(h.signals.get("symbol") != "bound" for h in hits)


def test_a_link_planted_since_indexing_shows_nothing_outside_the_repository(tmp_path, tiny_embedder) -> None:
    root, outside = tmp_path / "repo", tmp_path / "secret.py"
    root.mkdir()
    (root / "models.py").write_text(MODELS_PY)
    outside.write_text("import os\n\nDEFAULT_REDIRECT_LIMIT = 'the secret'\n")
    with Index.create(root, Config(), embedder=tiny_embedder) as idx:
        idx.sync()
        (root / "models.py").unlink()
        (root / "models.py").symlink_to(outside)
        hit = idx.search(Query("DEFAULT_REDIRECT_LIMIT", k=1, mode="lexical"))[0]
    assert "secret" not in hit.code and hit.start_line == 1
