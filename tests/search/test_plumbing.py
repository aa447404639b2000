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


def test_a_package_doc_comment_is_no_plumbing() -> None:
    """Go's doc.go: `// Package backoff implements ...` above `package backoff` says what the package is for (review),
    in line comments or a block; a licence above the package line does not."""
    from codesearch.search.ranking import factor_of
    from codesearch.query import QueryTerms
    from codesearch.store.catalog import FunctionRow

    def piece(code: str) -> FunctionRow:
        return FunctionRow(1, "doc.go", "go", "doc", "doc", "module", 1, 9, 1, "", code, "h")

    licence = "// Copyright 2020 The Authors.\n// Use of this source code is governed by a BSD-style license.\n"
    documented = piece(licence + "// Package backoff implements backoff algorithms.\npackage backoff\nimport \"time\"")
    bare = piece(licence + "package backoff\nimport \"time\"")
    terms = QueryTerms.parse("retry with backoff")
    assert "plumbing" not in factor_of(terms, documented, "", RankingOptions())[1]
    assert factor_of(terms, bare, "", RankingOptions())[1].get("plumbing") is True
    # a block comment's unmarked lines say it too (godotenv's autoload.go was held down as plumbing: probe 102)
    block = piece("package autoload\n\n/*\n\tImporting this package for its side effect reads the settings file\n"
                  "\tat program start, before main runs:\n\n\t\timport _ \"example.com/conf/autoload\"\n*/\n\n"
                  "import \"example.com/conf\"\n")
    assert "plumbing" not in factor_of(terms, block, "", RankingOptions())[1]


def test_a_licence_block_whose_last_line_names_no_licence_and_a_magic_comment_are_plumbing() -> None:
    """Symfony's header ends "... distributed with this source code.", rainbow's piece is `# frozen_string_literal:
    true` and a require: both took result slots beside the class they stand next to (probe 92). A licence is judged
    by its comment block; a comment to the interpreter says nothing."""
    from codesearch.search.ranking import factor_of
    from codesearch.query import QueryTerms
    from codesearch.store.catalog import FunctionRow

    def piece(code: str, language: str = "php", path: str = "LazyIterator.php") -> FunctionRow:
        return FunctionRow(1, path, language, "x", "x", "module", 1, 9, 1, "", code, "h")

    symfony = ("<?php\n\n/*\n * This file is part of the Symfony package.\n *\n * (c) Fabien Potencier <f@symfony.com>\n"
               " *\n * For the full copyright and license information, please view the LICENSE\n"
               " * file that was distributed with this source code.\n */\n\nnamespace Symfony\\Component\\Finder\\Iterator;\n")
    ruby = piece("# frozen_string_literal: true\n\nrequire_relative 'rainbow/global'\n", "ruby", "lib/rainbow.rb")
    said = piece("/*\n * (c) Example. Licensed under the MIT license.\n */\n\n// Lazily builds the iterator the first time "
                 "it is asked for.\nnamespace App;\n")
    terms = QueryTerms.parse("lazy iterator")
    assert factor_of(terms, piece(symfony), "", RankingOptions())[1].get("plumbing") is True
    assert factor_of(terms, ruby, "", RankingOptions())[1].get("plumbing") is True
    assert "plumbing" not in factor_of(terms, said, "", RankingOptions())[1]  # a comment after the licence says


def test_a_directive_line_is_plumbing() -> None:
    """react-query: useSuspenseQueries.ts's first lines, `'use client'` and imports, came first and second for three
    questions, `'use client'` counted as code (probe 115): a directive line (`'use client'`, `"use server";`,
    `'use strict'`) says nothing of what the code does."""
    from codesearch.parse.units import is_plumbing, own_lines

    head = "'use client'\nimport { useQuery } from './useQuery'\nimport type { Options } from './types'\n"
    assert own_lines(head, "typescript") == [] and is_plumbing('"use server";')
    assert not is_plumbing("'use the force' + name")


def test_a_module_piece_shares_no_name_with_the_definition_its_file_is_named_for(tmp_path, tiny_embedder) -> None:
    """react-query: QueryErrorResetBoundary.tsx's first lines (imports, a context) came first for "component that
    provides a reset function for query error boundaries", named like the component and as well matched by name
    (probe 115): a module piece is named for its file, whose words count as the path's, not as a name it defines."""
    code = ("'use client'\nimport * as React from 'react'\nimport { useQueryClient } from './client'\n\n"
            "// the context that carries the retry\nconst RetryBoundaryContext = React.createContext(null)\n\n"
            "export const RetryBoundary = ({ children, attempts }) => {\n  const client = useQueryClient()\n"
            "  const retry = () => client.refetchFailed()\n  return <RetryBoundaryContext.Provider value={retry}>"
            "{children}</RetryBoundaryContext.Provider>\n}\n")
    with indexed_files(tmp_path, {"src/RetryBoundary.tsx": code}, tiny_embedder) as idx:
        hits = idx.search(Query("retry boundary component", k=3, mode="lexical"))
    piece = next(h for h in hits if h.kind == "module")
    assert hits[0].qualified_name == "RetryBoundary" and hits[0].kind == "function", [(h.kind, h.name) for h in hits]
    assert not piece.signals.get("name_match"), piece.signals
