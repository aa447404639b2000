"""The language registry is complete and consistent: a language is one spec, one `.scm` and fixtures.

Every spec has an installed grammar whose node types its fields name, a tag query that compiles,
fixtures that parse into units; no extension is claimed twice; no other module names a language.
"""

from __future__ import annotations

import ast
import importlib
import re
from pathlib import Path

import pytest
import tree_sitter as ts

from codesearch import languages
from codesearch.languages import (BY_EXTENSION, DOC_RULES, LANGUAGES, QUALIFIED_STYLES, SCOPE_ROLES, SPECS, defined_in,
                                  entry_files, reexports)
from codesearch.parse.parsing import grammar, parse_source

ROOT = Path(__file__).resolve().parents[2]
GRAMMARS = ROOT / "grammars"
FIXTURES = ROOT / "tests" / "fixtures" / "languages"


def test_names_and_extensions_are_unique() -> None:
    assert len({s.name for s in SPECS}) == len(SPECS)
    claimed = [e for s in SPECS for e in s.extensions]
    assert len(claimed) == len(set(claimed)), f"extension claimed twice: {sorted(e for e in claimed if claimed.count(e) > 1)}"
    assert all(e.startswith(".") and e == e.lower() for e in claimed)
    assert set(BY_EXTENSION) == set(claimed) and LANGUAGES == tuple(s.name for s in SPECS)


@pytest.mark.parametrize("spec", SPECS, ids=lambda s: s.name)
def test_spec_matches_its_grammar(spec: languages.LanguageSpec) -> None:
    module = importlib.import_module(spec.grammar_module)  # the grammar is installed (pyproject lists it)
    lang = ts.Language(getattr(module, spec.grammar_function)())
    named = {lang.node_kind_for_id(i) for i in range(lang.node_kind_count) if lang.node_kind_is_named(i)}
    for node_type in (*spec.comment_nodes, *spec.scopes, *spec.span_parents, *spec.leading_nodes):
        assert node_type in named, f"{spec.name}: {node_type!r} is no node type of {spec.grammar_module}"
    assert set(spec.scopes.values()) <= set(SCOPE_ROLES)
    assert spec.qualified.style in QUALIFIED_STYLES and spec.doc_rule in DOC_RULES
    assert (GRAMMARS / spec.tag_query).is_file()
    g = grammar(spec.name)  # compiles the tag query (a bad one raises here)
    assert g.tags.pattern_count > 0 and grammar(spec.name) is g  # compiled once per language
    for pattern in (*spec.test_files, *spec.test_names, spec.identifier):
        re.compile(pattern)


@pytest.mark.parametrize("spec", SPECS, ids=lambda s: s.name)
def test_every_language_has_fixtures_that_parse(spec: languages.LanguageSpec) -> None:
    files = [p for p in sorted((FIXTURES / spec.name).glob("*")) if p.is_file() and not p.name.endswith(".json")]
    assert files, f"no fixtures under tests/fixtures/languages/{spec.name}/"
    for path in files:
        assert languages.language_for(path.name) == spec.name, f"{path.name} is not a {spec.title} file by its extension"
        units = parse_source(path.read_bytes(), spec.name, path.name)
        assert units, f"{path} has no units"
        assert all(re.fullmatch(spec.identifier, u.name) or u.name == "default" for u in units
                   if u.kind in ("function", "method", "constructor")), [u.name for u in units]


def test_no_stray_queries_or_fixture_folders() -> None:
    """A `.scm` or fixture folder without a spec is a language half added."""
    queries = {p.name for p in GRAMMARS.glob("*.scm")}
    assert queries == {s.tag_query for s in SPECS}
    assert {p.name for p in FIXTURES.iterdir() if p.is_dir()} == set(LANGUAGES)


def test_nothing_else_names_a_language() -> None:
    """Outside languages.py, no library or surface module has a language name as a string of its own."""
    names = set(LANGUAGES)
    offenders = []
    for folder in (ROOT / "codesearch", ROOT / "tui"):
        for path in folder.rglob("*.py"):
            if path.name == "languages.py" and path.parent.name == "codesearch":
                continue
            for node in ast.walk(ast.parse(path.read_text("utf-8"))):
                if isinstance(node, ast.Constant) and isinstance(node.value, str) and node.value in names:
                    offenders.append(f"{path.relative_to(ROOT)}:{node.lineno} {node.value!r}")
    assert not offenders, offenders


def test_test_file_conventions_come_from_the_specs() -> None:
    from codesearch.search.ranking import non_main_kind

    for spec in SPECS:
        for pattern in spec.test_files:
            name = pattern  # the pattern's simplest instance: one choice of each group, optional parts left out
            for regex, text in ((r"\.\*", "cart"), (r"\\\.", "."), (r"\[[^\]]*\]\?", ""), (r"\(([^|)]*)\|[^)]*\)", r"\1"),
                                (r"\[A-Z0-9\]", "X"), (r"\[(.)[^\]]*\]", r"\1"), (r".\?", "")):
                name = re.sub(regex, text, name)
            assert spec.is_test_file(name), (spec.name, pattern, name)
            assert non_main_kind(f"src/{name}", "run", "") == "test", name


def test_ruby_build_files_are_ruby() -> None:
    """addressable's tasks/*.rake, its Rakefile and gemspec were never read: "rake task that builds the gem" had no
    answer."""
    from codesearch.languages import language_for

    assert [language_for(p) for p in ("Rakefile", "tasks/gem.rake", "x.gemspec", "config.ru", "Gemfile")] == ["ruby"] * 5
    # the DSL files other Ruby tools read (hashie's Guardfile and Dangerfile were "not a Ruby file")
    assert [language_for(p) for p in ("Guardfile", "Dangerfile", "Vagrantfile", "Podfile", "fastlane/Fastfile")] == ["ruby"] * 5
    assert language_for("Gemfile.lock") is None and language_for("lib/Rakefile.md") is None


def test_query_checks_language_names_against_the_registry() -> None:
    from codesearch.query import Query, QueryError

    assert Query("x", languages=("Go", " php ")).languages == ("go", "php")
    # what a user types for a language: its files' extension, or golang (`--lang js` was refused)
    assert Query("x", languages=("js", "TS", "py", "rb", "golang")).languages == ("javascript", "typescript", "python",
                                                                                  "ruby", "go")
    with pytest.raises(QueryError, match="unknown language 'cobol'"):
        Query("x", languages=("go", "cobol"))


@pytest.mark.parametrize("entry,text,name,modules", [
    ("src/a/__init__.py", "from ._core._sync import (\n    Event as Event,\n    Lock as Lock,  # public\n)\n", "Lock",
     ["src/a/_core/_sync"]),
    ("src/a/__init__.py", "from ._core._sync import Lock as _Lock\n", "Lock", []),  # renamed: not the public Lock
    ("src/a/b/__init__.py", "from ..c import *\n", "Lock", ["src/a/c"]),
    ("src/a/__init__.py", "from ._x import (\n    Lock as Lock,  # the lock\n    Event as Event,\n)\n", "Event", ["src/a/_x"]),
    ("src/a/__init__.py", "from . import streams\n", "streams", ["src/a/streams"]),  # a module, not the package
    ("src/index.ts", "export { Bar, // bar\n  Baz } from './b'\n", "Baz", ["src/b"]),
    ("a/__init__.py", "from a._core import Lock\n", "Lock", ["*/a/_core"]),
    ("src/index.ts", "export { Router, x as y } from './core/routing.js'\nexport * from '../lib/util'\n", "Router",
     ["src/core/routing", "lib/util"]),
    ("src/index.ts", "export { default as Router } from './r'\nexport * from '../../outside'\n", "Router", []),
])
def test_an_entry_file_names_the_modules_it_re_exports_a_name_from(entry, text, name, modules) -> None:
    assert reexports(entry, text, name) == modules


def test_a_module_is_defined_in_the_path_an_entry_file_names() -> None:
    assert entry_files("src/a/_core/_sync.py", "python") == ["src/a/_core/__init__.py", "src/a/__init__.py",
                                                             "src/__init__.py", "__init__.py"]
    assert defined_in("src/a/_core/_sync.py", "src/a/_core/_sync") and defined_in("src/a/c/x.py", "src/a/c")
    assert defined_in("src/a/_core.py", "*/a/_core") and not defined_in("src/a/_backends/_sync.py", "src/a/_core/_sync")
    assert not defined_in("src/a/cx.py", "src/a/c") and entry_files("x.go", "go") == []
