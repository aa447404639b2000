"""A Java file's licence, package and import lines are a module piece named after the file: for coverage, not an
answer. Typing the file's class name finds the class, not that piece beside it at the class's score, and words of
the imports alone rank the piece below the code that does what they say (probe 54: commons-pool's
DefaultEvictionPolicy.java:1-19 came second for `DefaultEvictionPolicy`; slf4j's JavassistHelper imports first for
"bytecode instrumentation")."""

from __future__ import annotations

from dataclasses import replace

import pytest

from codesearch.query import Query
from codesearch.search.ranking import RankingOptions
from codesearch.search.searcher import Searcher

from conftest import indexed_files

FILES = {
    "Report.java": "/*\n * Copyright (c) Example Corp.\n */\npackage demo;\n\nimport org.objectweb.asm.bytecode.ClassReader;\n"
                   "import org.objectweb.asm.bytecode.ClassWriter;\nimport org.objectweb.asm.bytecode.instrumentation.Agent;\n"
                   "import org.objectweb.asm.bytecode.instrumentation.Transformer;\n\n"
                   "public class Report {\n    public String title() {\n        return \"daily\";\n    }\n}\n",
    "Weaver.java": "package demo;\n\npublic class Weaver {\n    /** Rewrites bytecode: instrumentation of every method. */\n"
                   "    public byte[] weave(byte[] classFile) {\n        Editor editor = new Editor(classFile);\n"
                   "        editor.instrument();\n        return editor.bytes();\n    }\n}\n",
}


@pytest.fixture(scope="module")
def store(tmp_path_factory, tiny_embedder):
    with indexed_files(tmp_path_factory.mktemp("plumbing") / "repo", FILES, tiny_embedder) as index:
        yield index.store


def _hits(store, text: str, opts: RankingOptions = RankingOptions()):
    return Searcher(store, None, opts).search(Query(text, k=10, mode="lexical"))


def test_a_files_imports_piece_is_not_its_class_names_second_hit(store) -> None:
    hits = _hits(store, "Report")
    assert (hits[0].kind, hits[0].name) == ("type", "Report")
    piece = next(h for h in hits if h.kind == "module")
    assert "symbol" not in piece.signals and piece.signals.get("plumbing") is True
    assert hits.index(piece) > [h.qualified_name for h in hits].index("Report.title")


def test_import_words_alone_rank_below_the_code_that_does_it(store) -> None:
    hits = _hits(store, "bytecode instrumentation")
    assert hits[0].path == "Weaver.java"
    unweighed = _hits(store, "bytecode instrumentation", replace(RankingOptions(), plumbing_factor=1.0))
    assert unweighed[0].kind == "module"  # the fixture bites: without the factor the imports lead
