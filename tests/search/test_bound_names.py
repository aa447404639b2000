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


def test_a_binding_is_found_fuzzy_on_case_and_separators_after_exact_names(index) -> None:
    hits = index.search(Query("default_redirect_limit", k=5, mode="lexical"))
    assert (hits[0].path, hits[0].signals.get("symbol")) == ("req/models.py", "fuzzy")


def test_a_plain_word_does_not_lead_with_every_field_of_that_name(index) -> None:
    # `value` is a field of StringUtils and a method of Finder: the method is named so, the field only bound
    hits = index.search(Query("value", k=5, mode="lexical"))
    assert hits[0].qualified_name == "Finder.value"
    assert all(h.signals.get("symbol") != "bound" for h in hits)
