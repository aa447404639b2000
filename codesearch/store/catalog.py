"""The SQLite catalog: the source of truth for files, functions, cached vectors and FTS."""

from __future__ import annotations

import contextlib
import os
import re
import sqlite3
import sys
import urllib.parse
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Iterator

import numpy as np

from codesearch.errors import CodesearchError, IndexDataError, NewerIndexError, StorageError, storage_kind
from codesearch.parse.documents import LEXICAL_ONLY
from codesearch.parse.lexical import FIELDS, unit_fields
from codesearch.store.locate import CATALOG_NAME
from codesearch.parse.parsing import Unit
from codesearch.store.safefiles import check_entry
from codesearch.query import symbol_key
from codesearch.safetext import safe_rel_path

REREAD_KEY = "reread"  # meta: why the next full sync reads every file again (said once, then removed)
REREAD_NOTE = ("this index was made before types, module code and blocks were searchable units: "
               "every file is read once more (unchanged functions keep their vectors)")
JS_REREAD_NOTE = ("JavaScript and TypeScript units inside a call bound to a name (`const fetchUser = "
                  "createAsyncThunk(...)`) are now named after it: those files are read once more (unchanged units "
                  "keep their vectors)")
BINDINGS_REREAD_NOTE = ("constants, variables and fields are now found by their names (`DEFAULT_TIMEOUT`): every file "
                        "is read once more (unchanged units keep their vectors)")
WINDOWS_REREAD_NOTE = ("the windows of a long function now leave the functions nested in it to them, and more names are "
                       "found (`A = 1; B = 2`, heredocs, TypeScript members typed as functions): every file is read once "
                       "more (unchanged units keep their vectors)")
RUBY_REREAD_NOTE = ("Ruby operator methods are now named as written (`def []` was `default`): Ruby files are read once "
                    "more (unchanged units keep their vectors)")
DEFAULT_EXPORT_REREAD_NOTE = ("a nameless `export default` function is now named as its module is imported (`urlToOptions` in "
                              "url-to-options.ts, not `default`): JavaScript and TypeScript files are read once more "
                              "(unchanged units keep their vectors)")
PYTHON_REREAD_NOTE = ("Python names bound in brackets (`(MSG_A, MSG_B) = range(2)`) are now found by name: Python files "
                      "are read once more (unchanged units keep their vectors)")
NAMES_REREAD_NOTE = ("more names are found: a class or function assigned to `module.exports` as exported (`FixedQueue`), a "
                     "class field's functions by the field, Java enum constants in mixed case (`MySQL`), Ruby aliases "
                     "(`alias :t :translate`) and `class << Const` methods: every file is read once more (unchanged "
                     "units keep their vectors)")
BLOCK_DOC_REREAD_NOTE = ("a doc block comment whose lines carry no comment mark (Go's `/*` on its own line) is its "
                         "function's, not its file's module code, a Java method without a body (abstract, or an "
                         "interface's) is found by its name and doc, a compiled class's method by its key "
                         "(Babel's `value: function child`), a Ruby block by its first symbol (`task :build do`) or the "
                         "constant its chain is assigned to (`REASONS = {...}.each {...}.freeze`), a JavaScript member "
                         "set at module level (`moment.utc = utc`) by its dotted name, and "
                         "a Java enum's constants listed several to a line by name: "
                         "every file is read once more (unchanged units keep their vectors)")
PROTOTYPE_REREAD_NOTE = ("more definitions are named as their code is used: a method set through a prototype alias "
                         "by its class (`_proto.format` is `Dayjs.format`), an index.js or __init__.py module by its "
                         "folder, a Java enum constant's methods by the constant (`State.InBody.process`), and a Go "
                         "field of an inline struct type, a Ruby alias of an operator and a PHP interface's methods "
                         "are found by name, and a file's licence header no longer stands for its module code in "
                         "meaning: every file is read once more (unchanged units keep their vectors)")
COMMENT_REREAD_NOTE = ("a file or package comment (Go's doc.go, a javadoc above `package`) is found by meaning too, a "
                       "function defined under its key in `Object.defineProperties` is named by the key and a CommonJS "
                       "`module.exports = {...}` binds its keys: every file is read once more (unchanged units keep "
                       "their vectors)")
FIELDS_REREAD_NOTE = ("a Go struct's embedded fields and a Java enum constant whose arguments go on below are found by "
                      "name: every file is read once more (unchanged units keep their vectors)")
REGEX_REREAD_NOTE = ("a Ruby regular expression literal no longer hides the constants after it, a JavaScript function "
                     "given as a fallback (`Object.hasOwn || function ...`) is found, a doc comment above a linter's "
                     "directive is its function's and a source map is no code: every file is read once more (unchanged "
                     "units keep their vectors)")
INVOKED_REREAD_NOTE = ("a function run where it is written is named by the variable it computes (`var hexTable = "
                       "(function () {...}())`), a function chosen when a module loads (`const debug = cond ? (...a) => "
                       "log(...a) : () => {}`) is found by name, a line opening with a regex literal counts as code "
                       "and a block comment's unmarked lines do not: every file is read once more (unchanged units keep "
                       "their vectors)")
LISTED_REREAD_NOTE = ("names declared together are each found by name (Go's `X, Y int` and each type of a `type (...)` "
                      "group, Ruby's `attr_reader :a, :b`), a TypeScript function keeps its overloads' signatures and "
                      "doc, a compiled class's computed method its key, a namespace no longer holds its nested "
                      "class's doc, and a doc block one blank line above a function is its doc: every file is read "
                      "once more (unchanged units keep their vectors)")
CHAIN_REREAD_NOTE = ("a function assigned through a chain (`A.routes = A.middleware = function`) is found by each name, "
                     "Python's `__new__` is a constructor, a bundler's `/*#__PURE__*/` no longer hides a doc comment, "
                     "a file's credits and code switched off are no doc, and module code is cut between statements: "
                     "every file is read once more (unchanged units keep their vectors)")
NESTED_REREAD_NOTE = ("a class declared inside a function is found by its name, an overloaded TypeScript function is "
                      "embedded from its implementation, an empty function no longer gets a vector, a default export is "
                      "named for its module, a Python comment above a def is its doc, a word beside Chinese or "
                      "Japanese text is a word and accents are left out of words: every file is read once more "
                      "(unchanged units keep their vectors)")
PARTS_REREAD_NOTE = ("module code keeps the comment above a statement with it, a file whose top the grammar loses is "
                     "read part by part, a call on the line below its declaration keeps the declaration's doc, a Ruby "
                     "class written with its scope is named by its own name, a Ruby doc a blank line above is no "
                     "module code, and a method set on a prototype no longer names \"prototype\": every file is read "
                     "once more (unchanged units keep their vectors)")
DECLARED_REREAD_NOTE = ("a TypeScript function declared without a body (`.d.ts`), a function given to a call that names "
                        "it or binds it (`const f = memo(() => ...)`), and an object typed `as const` are found by their "
                        "names, a UMD or IIFE wrapper's code is module code, and a Ruby class comment a blank line "
                        "above is its doc: every file is read once more (unchanged units keep their vectors)")
DIRECTIVES_REREAD_NOTE = ("a tool's block directive (`/* eslint-disable ... */`) and a statement switched off are no "
                          "doc, a piece of module code holding directives only is none, a field named by a keyword "
                          "(`type: string`) is found by its name, an ES5 class's `X.prototype = ...` binds no "
                          "`prototype`, and overload signatures get no windows: every file is read once more "
                          "(unchanged units keep their vectors)")
DOC_NAME_REREAD_NOTE = ("a function without a doc takes the doc block of its file that names it (`@name retry`): every "
                        "file is read once more (unchanged units keep their vectors)")
JSDOC_NOTE_REREAD_NOTE = ("doc comments above a `//` note or without a `*` a line, Java's `byte table[]` fields, Python "
                          "constants' docstrings and Latin-1 or UTF-16 files are read better: every file is read once "
                          "more (unchanged units keep their vectors)")
TAIL_WINDOW_REREAD_NOTE = ("a long function's last lines are in a window, a private class field holding a function "
                           "(`#tick = () => {}`) is a method, a block is named by a regex its call is given, RDoc's "
                           "`:stopdoc:` is no doc comment and a link is read in its target's language: every file is read "
                           "once more (unchanged units keep their vectors)")
SIGNATURES_REREAD_NOTE = ("TypeScript interfaces whose generic call signatures have no semicolons keep their members, "
                          "a type binds its methods' signatures and `export declare function` overloads are one unit; "
                          "Ruby's `module_function` methods are the module's own (`Util.strip`), a block is named by a "
                          "constant its call is given (`describe Cart do`) and a delegated method is its class's; "
                          "`{@inheritDoc}` is no doc; a compiled re-export's getter is no unit: every file is read once "
                          "more (unchanged units keep their vectors)")
THIS_MEMBER_REREAD_NOTE = ("an object of functions a class's constructor sets on `this` is the class's member "
                           "(`Command._outputConfiguration.getErrHelpWidth`, was `Command.constructor.this...`) and a "
                           "nameless `module.exports = function (...) {...}` around its file is module code, its "
                           "functions the file's: every file is read once more (unchanged units keep their vectors)")
NOTE_OVERLOADS_REREAD_NOTE = ("a `/** */` doc a blank line above a `//` note (`// Overload for ...`) is the "
                              "definition's doc, `var X = (module.exports = function ...)` binds X, a Java field whose "
                              "value opens the next line is bound, and a link to a file read anyway is no second "
                              "copy: every file is read once more (unchanged units keep their vectors)")
EXPORT_MAP_REREAD_NOTE = ("a bundler's export map entry (`__export(x, { name: () => name })`) is no unit, and a Ruby "
                          "method defined on an object (`def obj.meth`) is the object's, no class method: every file is "
                          "read once more (unchanged units keep their vectors)")
TYPE_ARGUMENTS_REREAD_NOTE = ("a TypeScript constant whose type's arguments open the next lines (`X: Required<`) is "
                              "read to where its statement ends: every file is read once more (unchanged units keep "
                              "their vectors)")
WRAPPER_REREAD_NOTE = ("a module wrapper's factory is module code though it is named (`function moduleFactory()`), the "
                       "names its body binds are found (`Papa.unparse = JsonToCsv`), and so is a Ruby method declared "
                       "for RDoc (`# :method: field_with`): every file is read once more (unchanged units keep their "
                       "vectors)")
STATIC_BLOCK_REREAD_NOTE = ("a Java class's `static { ... }` initializer is a unit of its own, and a Ruby class "
                            "variable (`@@default_options = ...`) is bound by its class: every file is read once more "
                            "(unchanged units keep their vectors)")
NAMESPACED_WRAPPER_REREAD_NOTE = ("a function given to a namespace's wrapper and bound to a name (`const ToastBar = "
                                  "React.memo(...)`, `_.debounce(...)`) is that function: every file is read once more "
                                  "(unchanged units keep their vectors)")
WRAPPED_FUNCTION_REREAD_NOTE = ("a function in brackets or a type check (`const Field = ((...) => {...}) satisfies T`) "
                                "is a function, and PHP 5's `$str{$i}` no longer breaks its class: every file is read "
                                "once more (unchanged units keep their vectors)")
TOKEN_BUDGET_KEY = "token_budget:"  # meta, + a model id: the tokens per unit that model's vectors here were made from
PRECISION_KEY = "precision:"  # meta, + a model id: fp32 or int8, the precision that model's vectors here are of


def _sql_text(text: str) -> str:
    """text as an SQL string literal, quotes doubled: a note written into a migration may hold an apostrophe."""
    return "'" + text.replace("'", "''") + "'"


# A reread's note joins one an earlier migration left for the same sync (both are said, in the order they came), but
# for one that already reads every file again
_AND_SAY_IT_TOO = ("ON CONFLICT(key) DO UPDATE SET value = meta.value || '; ' || excluded.value "
                   "WHERE meta.value NOT LIKE '%every file is read once more%'")
# The lexical index's words written from the functions table (catalog._migrate registers lexical_field).
_FILL_WORDS = """INSERT INTO units_fts(rowid, name, file, path, doc, code)
        SELECT id, lexical_field(0, name, qualified_name, path, docstring, code),
               lexical_field(1, name, qualified_name, path, docstring, code),
               lexical_field(2, name, qualified_name, path, docstring, code),
               lexical_field(3, name, qualified_name, path, docstring, code),
               lexical_field(4, name, qualified_name, path, docstring, code) FROM functions;"""


# A migration that writes every unit's words again from the functions table (no file parsed, no vector recomputed):
# of several pending at once only the last runs (pending_migrations)
_WRITE_WORDS_AGAIN = f"""
    DELETE FROM units_fts;
    {_FILL_WORDS}
    """


_NAME_KEY = "lower(replace(replace(name, '_', ''), '$', ''))"  # a name as query.symbol_key compares it


def _reread_every_file(note: str) -> str:
    """A migration that has every file read again on the next sync (unchanged units keep their rows and vectors),
    the note saying why once."""
    return f"""
    UPDATE files SET hash = '', mtime_ns = 0;
    INSERT INTO meta(key, value) SELECT {_sql_text(REREAD_KEY)}, {_sql_text(note)}
        WHERE EXISTS (SELECT 1 FROM files) {_AND_SAY_IT_TOO};
    """


# Numbered migrations, applied in order on open; PRAGMA user_version records how far we are.
MIGRATIONS: list[str] = [
    """
    CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
    CREATE TABLE files (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        path TEXT NOT NULL UNIQUE,
        language TEXT NOT NULL,
        size INTEGER NOT NULL,
        mtime_ns INTEGER NOT NULL,
        hash TEXT NOT NULL,
        indexed_at REAL NOT NULL
    );
    CREATE TABLE functions (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        file_id INTEGER NOT NULL REFERENCES files(id) ON DELETE CASCADE,
        path TEXT NOT NULL,
        language TEXT NOT NULL,
        name TEXT NOT NULL,
        qualified_name TEXT NOT NULL,
        kind TEXT NOT NULL,
        start_line INTEGER NOT NULL,
        end_line INTEGER NOT NULL,
        start_col INTEGER NOT NULL,
        docstring TEXT NOT NULL,
        code TEXT NOT NULL,
        text_hash TEXT NOT NULL
    );
    CREATE INDEX functions_file ON functions(file_id);
    CREATE INDEX functions_text ON functions(text_hash);
    CREATE INDEX functions_name ON functions(name);
    CREATE INDEX functions_qualified ON functions(qualified_name);
    CREATE TABLE embeddings (
        model TEXT NOT NULL,
        text_hash TEXT NOT NULL,
        vector BLOB NOT NULL,
        PRIMARY KEY (model, text_hash)
    ) WITHOUT ROWID;
    CREATE VIRTUAL TABLE functions_fts USING fts5(name, path, doc, code, tokenize = 'unicode61');
    """,
    # stat is a hint, not proof: ctime and inode change when a file is rewritten with the same size and
    # mtime (`cp -p`, a checkout within one second), which size and mtime alone never saw
    """
    ALTER TABLE files ADD COLUMN ctime_ns INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE files ADD COLUMN inode INTEGER NOT NULL DEFAULT 0;
    """,
    # 3: the lexical index in five fields of pre-split words (codesearch.parse.lexical), scored by our BM25F;
    # refilled from the functions table, so no file is parsed and no vector recomputed.
    f"""
    DROP TABLE functions_fts;
    CREATE VIRTUAL TABLE units_fts USING fts5(name, file, path, doc, code,
        tokenize = "unicode61 remove_diacritics 0 tokenchars '_'");
    CREATE VIRTUAL TABLE units_vocab USING fts5vocab(units_fts, row);
    CREATE VIRTUAL TABLE units_vocab_col USING fts5vocab(units_fts, col);
    {_FILL_WORDS}
    """,
    # the static tier's statistics of this index (codesearch.embed.static.TokenStats), per static key
    """
    CREATE TABLE static_stats (
        model TEXT PRIMARY KEY,
        functions INTEGER NOT NULL,
        tokens BLOB NOT NULL,
        counts BLOB NOT NULL,
        mean BLOB NOT NULL
    );
    """,
    # 5: every line in a unit (types, module code, blocks, windows): files are read again once; unchanged
    # functions keep their rows and vectors (same text), the new units are added.
    f"""
    UPDATE files SET hash = '', mtime_ns = 0;
    INSERT OR REPLACE INTO meta(key, value) SELECT {_sql_text(REREAD_KEY)}, {_sql_text(REREAD_NOTE)} WHERE EXISTS (SELECT 1 FROM files);
    """,
    # 6: the static tier's whitening (codesearch.embed.static, recipe static/3); older recipes' rows have none
    """
    ALTER TABLE static_stats ADD COLUMN whitening BLOB;
    """,
    # 7: an adverb's stem meets its adjective's (structurally/structural: codesearch.query.stem); the words are
    # written again from the functions table, as in 3, so no file is parsed and no vector recomputed.
    _WRITE_WORDS_AGAIN,
    # 8: units inside a module-level JS/TS call bound to a name are named after it (`const fetchUser =
    # createAsyncThunk(..., () => {...})`: codesearch.parse.parsing): those files are read again once; unchanged
    # units keep their rows and vectors. An earlier migration's note (every file read again) is kept.
    f"""
    UPDATE files SET hash = '', mtime_ns = 0 WHERE language IN ('javascript', 'typescript', 'tsx');
    INSERT OR IGNORE INTO meta(key, value) SELECT {_sql_text(REREAD_KEY)}, {_sql_text(JS_REREAD_NOTE)}
        WHERE EXISTS (SELECT 1 FROM files WHERE language IN ('javascript', 'typescript', 'tsx'));
    """,
    # 9: what module pieces and types bind (constants, variables, fields: codesearch.parse.bindings), looked up by
    # name; every file is read again once (unchanged units keep their rows and vectors, their bindings are written).
    f"""
    CREATE TABLE IF NOT EXISTS bindings (
        unit_id INTEGER NOT NULL REFERENCES functions(id) ON DELETE CASCADE,
        name TEXT NOT NULL,
        key TEXT NOT NULL,
        first_line INTEGER NOT NULL,
        last_line INTEGER NOT NULL,
        col INTEGER NOT NULL,
        text TEXT NOT NULL
    );
    CREATE INDEX IF NOT EXISTS bindings_name ON bindings(name);
    CREATE INDEX IF NOT EXISTS bindings_key ON bindings(key);
    CREATE INDEX IF NOT EXISTS bindings_unit ON bindings(unit_id);
    UPDATE files SET hash = '', mtime_ns = 0;
    INSERT OR IGNORE INTO meta(key, value) SELECT {_sql_text(REREAD_KEY)}, {_sql_text(BINDINGS_REREAD_NOTE)} WHERE EXISTS (SELECT 1 FROM files);
    """,
    # 10: a long function's windows cover its own lines only (codesearch.parse.units: the functions nested in it are
    # units of their own), and statements after a semicolon, heredocs and TypeScript members typed as functions bind
    # as a reader sees them; every file is read again once (unchanged units keep their rows and vectors, windows that
    # repeated nested units go).
    f"""
    UPDATE files SET hash = '', mtime_ns = 0;
    INSERT OR IGNORE INTO meta(key, value) SELECT {_sql_text(REREAD_KEY)}, {_sql_text(WINDOWS_REREAD_NOTE)} WHERE EXISTS (SELECT 1 FROM files);
    """,
    # 11: Ruby's operator methods keep their names (`Context#[]`, codesearch.parse.parsing._plain_name); Ruby files are
    # read again once (unchanged units keep their rows and vectors).
    f"""
    UPDATE files SET hash = '', mtime_ns = 0 WHERE language = 'ruby';
    INSERT INTO meta(key, value) SELECT {_sql_text(REREAD_KEY)}, {_sql_text(RUBY_REREAD_NOTE)} WHERE EXISTS (SELECT 1 FROM files WHERE language = 'ruby')
        {_AND_SAY_IT_TOO};
    """,
    # 12: "-ied" and "-ical" stem like "-ies" and "-ic" (retried/retry, atomically/atomic: codesearch.query.stem); the
    # words are written again from the functions table, as in 7, so no file is parsed and no vector recomputed.
    _WRITE_WORDS_AGAIN,
    # 13: a nameless default export is named after its module (codesearch.parse.parsing._default_export_name);
    # JavaScript and TypeScript files are read again once (unchanged units keep their rows and vectors).
    f"""
    UPDATE files SET hash = '', mtime_ns = 0 WHERE language IN ('javascript', 'typescript', 'tsx');
    INSERT INTO meta(key, value) SELECT {_sql_text(REREAD_KEY)}, {_sql_text(DEFAULT_EXPORT_REREAD_NOTE)}
        WHERE EXISTS (SELECT 1 FROM files WHERE language IN ('javascript', 'typescript', 'tsx')) {_AND_SAY_IT_TOO};
    """,
    # 14: Python's bracketed tuple targets bind their names (codesearch.parse.bindings); Python files are read again
    # once (unchanged units keep their rows and vectors, their bindings are written).
    f"""
    UPDATE files SET hash = '', mtime_ns = 0 WHERE language = 'python';
    INSERT INTO meta(key, value) SELECT {_sql_text(REREAD_KEY)}, {_sql_text(PYTHON_REREAD_NOTE)} WHERE EXISTS (SELECT 1 FROM files WHERE language = 'python')
        {_AND_SAY_IT_TOO};
    """,
    # 15: CommonJS exports and class expressions are named as exported or bound (codesearch.parse.parsing
    # ._exports_name), a function assigned to a string key is a unit (`converters['long long'] = function`), a class
    # field's functions are named by the field and a compiled `this.x = () => {}` is the class's method x, Ruby's
    # aliases bind and `class << Const` names its methods, a module is named by its file without the extension only
    # (`user.service`, not `user`), Java enum constants in mixed case bind their names (codesearch.languages), and a
    # tool's directive is no doc comment (parsing._DIRECTIVE): every file is read again once (unchanged units keep
    # their rows and vectors).
    _reread_every_file(NAMES_REREAD_NOTE),
    # 16: an acronym's plural or IPv4 stays one word (URLs, not ur/ls: codesearch.query.split_identifier), a plural
    # "-ings" stems as its singular (warnings/warn: query.stem); the words are written again from the functions
    # table, as in 7, so no file is parsed and no vector recomputed.
    _WRITE_WORDS_AGAIN,
    # 17: every name of a list declared with one type (Go's `X, Y int`) or of one attribute line (Ruby's `attr_reader
    # :a, :b`) binds (codesearch.parse.bindings._targets), so do a Go interface's methods and a field of any type;
    # each type of a Go `type (...)` group is its own unit (parsing._types); a TypeScript function's overload
    # signatures and their doc are its own (parsing._overloads_before); a computed key that is a comma expression is
    # named by its value (parsing._plain_name); a type's code leaves out a nested type's doc comment (units._trimmed);
    # a `/** */` block one blank line above a definition is its doc (parsing._doc_above); a Ruby constant assigned a
    # call with a block (`Point = Struct.new(...) do`) names it and its methods (parsing._binding_name); a docstring
    # past a long signature is embedded first (documents.DOC_FIRST_AFTER: those units get new vectors):
    # every file is read again once (unchanged units keep their rows and vectors, their bindings are written).
    _reread_every_file(LISTED_REREAD_NOTE),
    # 18: a tool's remark in a comment (`# type: ignore[override]`, `// eslint-disable-line`) is no word of the code
    # (codesearch.parse.lexical._TOOL_REMARK); the words are written again from the functions table, as in 16.
    _WRITE_WORDS_AGAIN,
    # 19: names compared without case, '_' and '$' (Catalog.names_like: a name alike, one word in another case, a
    # question's words as one name) are looked up by an index, not by reading every unit's name.
    f"""
    CREATE INDEX IF NOT EXISTS functions_name_key ON functions({_NAME_KEY});
    """,
    # 20: a four-letter word keeps its final e and a short stem of -ing/-ed gets it back (mode is not mod, node not
    # nod; naming meets name: codesearch.query.stem); the words are written again from the functions table, as in 16.
    _WRITE_WORDS_AGAIN,
    # 21: a block comment's plain lines above a definition are its doc (codesearch.parse.units.doc_rows), not module
    # code, a Java method without a body is a unit (grammars/java-tags.scm), a property descriptor's function is named
    # by its key (parsing.Parser._described), a Ruby block by its first symbol (parsing.Parser._call_site): every file
    # is read again once (unchanged units keep their rows and vectors).
    _reread_every_file(BLOCK_DOC_REREAD_NOTE),
    # 22: a verb's irregular past forms stem as the verb (hidden/hide, written/write: codesearch.query._IRREGULAR), and
    # a word whose e-less stem is another word keeps its e (locale/local, state/stat: query._KEEPS_E); the words are
    # written again from the functions table, as in 16.
    _WRITE_WORDS_AGAIN,
    # 23: a method set through a prototype alias is its class's (`_proto.format` is Dayjs.format: parsing.Parser
    # ._via_prototype_alias), an index.js or __init__.py module is named by its folder (parsing.parse_source), a Go
    # field of an inline struct type and a Ruby alias of an operator (`alias template_for []`) bind (languages), a
    # Java constant's body or a field's anonymous class names its methods (`HtmlTreeBuilderState.InBody.process`), a PHP
    # interface's or abstract method is a unit (grammars/php-tags.scm), a module piece at a file's top embeds no
    # licence header (documents.without_licence: new vectors) and a Python module's docstring gets a vector
    # (units._module_docstring): every file is read again once (unchanged units keep their rows and vectors).
    _reread_every_file(PROTOTYPE_REREAD_NOTE),
    # 24: an immediately invoked function is a block named by the variable it is declared as (parsing._invoked_at_once,
    # Parser._declared_by), a UMD wrapper's factory by `()`, a function one branch of a conditional holds is a unit
    # (grammars/javascript-tags.scm, typescript-tags.scm), a line opening with a regex literal is code
    # (units._comment_line: new vectors), a block comment's lines without a mark are no code (units.own_lines: a licence
    # in plain lines gave its file's package line a vector): every file is read again once.
    _reread_every_file(INVOKED_REREAD_NOTE),
    # 25: a module piece whose comments say twelve words past the licence gets a vector (units._module_comment: Go's
    # doc.go, pflag's `/* Package pflag ...`), a function under its key in `Object.defineProperties(styles, {...})`
    # is named by the key (parsing.Parser._described_in_map), `module.exports = {GUID: ...}` binds GUID
    # (LanguageSpec.export_map), and so does tsc's `export var LogLevel;` (languages._JS_BINDS), a Java enum's
    # constants with arguments or in lower case on one line (bindings._CONSTANTS): every file is read again once.
    _reread_every_file(COMMENT_REREAD_NOTE),
    # 26: a Ruby regular expression literal (`TagName = /#|\w+/`) is blanked before brackets and comments are read
    # (LanguageSpec.regex_literals: liquid's constants after one were lost), a function given as a fallback or one of
    # two in an assignment is a unit (grammars/javascript-tags.scm, typescript-tags.scm), a `//# sourceMappingURL=`
    # line is in no module piece (units._SOURCE_MAP), a doc comment a blank line above a linter's directive right above
    # a definition is its doc (Parser._doc_above): every file is read again once.
    _reread_every_file(REGEX_REREAD_NOTE),
    # 27: a noun's irregular plurals stem as its singular (children/child, parentheses/parenthesis, aliases/alias:
    # codesearch.query._IRREGULAR); the words are written again from the functions table, as in 16.
    _WRITE_WORDS_AGAIN,
    # 28: a Go struct's embedded field binds its type's name (`http.Handler`), a Java enum constant whose arguments go
    # on below binds (`WINDOWS("..." +`: languages), Go's blank identifier binds nothing: every file is read again once.
    _reread_every_file(FIELDS_REREAD_NOTE),
    # 29: a name with an underscore stuck to one word (`_shutdown`, `self._lock`, `modified_`) is stored with that
    # word too (lexical.index_words: "shutdown" found nothing); the words are written again, as in 16.
    _WRITE_WORDS_AGAIN,
    # 30: every target of an assignment chain binds (parsing.Parser._chained_targets: koa-router's `routes`), a
    # bundler's `/*#__PURE__*/` between a doc and its definition is a directive (units.DIRECTIVE: immer), a module
    # piece ends between two top-level statements (units._OPENS_STATEMENT: xid's `const (`), Python's `__new__` is a
    # constructor (languages), a file's credits on its first lines and commented-out code are no doc
    # (parsing._FILE_HEADER, _commented_out_code): every file is read again.
    _reread_every_file(CHAIN_REREAD_NOTE),
    # 31: a bodiless TypeScript signature no implementation follows is a unit (grammars/typescript-tags.scm,
    # Parser._overloaded: nanoid's index.d.ts), a named function expression given to a call is that function
    # (Parser._blocks: express-session's defineMethod), and so is one a wrapping call binds to a name (Parser._wrapped_as:
    # formidable's `sequential(function ...)`, virtual-core's `memo(...)` fields), `{...} as const` names its members
    # (parsing._unwrapped), a wrapper's callback holding most of a file is module code (Parser._wraps_the_file:
    # pluralize's UMD factory), a Ruby comment block a blank line above a definition is its doc
    # (LanguageSpec.doc_over_blank: rubyzip): every file is read again.
    _reread_every_file(DECLARED_REREAD_NOTE),
    # 32: a short name's plural stems as it (ids: id, apis: api) and an adjective's comparatives as it (longer, longest:
    # long) (codesearch.query._IRREGULAR: probes 99, 103); the words are written again from the functions table, as in 16.
    _WRITE_WORDS_AGAIN,
    # 33: a class of ten lines or more declared inside a function is a type (parsing.TYPE_IN_FUNCTION_LINES: immer's
    # DraftMap, probe 113), an overloaded TypeScript function is embedded from its implementation
    # (documents.past_overloads: react-router's useBlocker, probe 118), a function with an empty body and no doc gets
    # no vector (units._empty: probes 116, 118), a default export is named for its module (Parser._declared_by,
    # _exports_name: probes 119, 122), a Python function without a docstring takes the comment above it
    # (Parser._doc_of: probe 121), a Latin word beside Chinese or Japanese letters is a word of its own and a cookie's
    # plural stems as it (lexical._WORD, query._IE_NOUNS: probe 122), a directive line is plumbing (probe 115), a doc
    # comment leaves out banners and credits (parsing._past_credits: probe 124), accents are left out of Latin words
    # (query.folded: probe 126): every file is read again, its words written anew.
    _reread_every_file(NESTED_REREAD_NOTE),
    # 34: a module piece keeps the comment lines right above a statement with that statement (units._module_pieces:
    # govalidator's `// TagMap ...` ended one piece and `var TagMap` opened the next, probe 128), a file whose top the
    # grammar loses is parsed part by part (parsing._units_by_statement: reselect, probe 129), a call on the line below
    # the declaration it is the value of widens to it (_FileParser._statement: probe 129), a Ruby class written
    # `class A::B` is named B (probe 133), a method set on a prototype has no "prototype" among its name's words
    # (query.spoken_name: probe 136; written for every unit by 35), a declaring word is no binding (probe 139), a Ruby
    # doc one blank line above is held by its definition and kept past a NOTE line (units.doc_rows,
    # _line_comments_above: probe 142), a chain's block is named by its steps (parsing._without_arguments: probe 132),
    # a Ruby DSL's `alias_*` binds its name (probe 144), a file over the size limit signed by a generator is left out
    # (walk.written_by_hand: probe 145): every file is read again.
    _reread_every_file(PARTS_REREAD_NOTE),
    # 35: a method set on a prototype has no "prototype" among its name's words (34's, query.spoken_name: probe 136);
    # the words are written again from the functions table, as in 16 (a re-read writes only changed units' words).
    _WRITE_WORDS_AGAIN,
    # 36: a block directive (`/* eslint-disable ... */`, `/* prettier-ignore */`) is no doc of the definition below it
    # and a module piece of directives only is none (units.DIRECTIVE, units._directive); a keyword written as a key or a
    # field binds its name (`type: string`, `end?: number`: bindings._KEYED) (probe 152); a statement or two switched
    # off is no doc (parsing._STATEMENT) and `X.prototype = ..` binds no `prototype` (languages._JS_BINDS) (probe 155);
    # a window of overload signatures only is none (units._windows: probe 152): every file is read again.
    _reread_every_file(DIRECTIVES_REREAD_NOTE),
    # 37: a printf-style name says its verb and "format" among its name's words (`Wrapf`: wrap, format;
    # query.formatted_words: probe 156), a Python special method what it means (`__eq__`: equal, equality, compare;
    # query.spoken_special: probe 154); the words are written again from the functions table, as in 35.
    _WRITE_WORDS_AGAIN,
    # 38: a function without a doc takes its file's doc block that names it (`@name retry` above constants:
    # parsing._named_in_docs, probe 159): every file is read again.
    _reread_every_file(DOC_NAME_REREAD_NOTE),
    # 39: an object of functions set on `this` in a class's method is the class's member, the method left out of its
    # functions' qualified names (parsing._scopes, _skip_method: commander's `_outputConfiguration`, probe 162); a
    # nameless function exported around its file and holding its functions is module code, as a UMD wrapper's
    # (parsing._exports_a_wrapper: bluebird, probe 169); a chain's name has no spaces about its dots
    # and an earlier step's brace block is `{…}` (parsing._without_arguments: probes 168, 171); a doc block is a file's header only by its first lines (an example
    # saying "Copyright" cost commander's Runner#program its doc: parsing.HEADER_LINES, probe 173): every file is read
    # again.
    _reread_every_file(THIS_MEMBER_REREAD_NOTE),
    # 40: a `/** */` doc right above a maintainer's `//` note is still the doc, and an overloaded function's doc is
    # its overloads' when only a `//` note sits above its implementation (parsing._doc_above doc_only); a block
    # comment's unmarked lines are a comment when module code is cut into pieces (units.comment_flags: true-myth's
    # JSDoc, probe 176); a Java field with its brackets after its name binds it (`byte index_64[] = {`: languages'
    # Java member_lines, probe 178); a Python binding's statement holds the attribute docstring below it
    # (bindings._past_docstring: probe 174); a Latin-1 or UTF-16 file is parsed as its text (parsing.as_utf8: `def
    # café_price()` was `_price`, fault probe); a comment run stays one module piece up to units.COMMENT_RUN_LINES
    # (go-flags' package comment: probe 181) and no piece reaches across more than MODULE_PIECE_LINES lines of
    # definitions (sortedlist.py's piece of 2,646 lines: probe 181); a type whose body's comments say TYPE_BODY_COMMENT_WORDS words gets a
    # vector (logr's LogSink: probe 180); a named function a JavaScript or TypeScript factory returns is a unit of
    # its name (body-parser's `return function queryparse (body)`: grammars' tags, probe 181): every file is read
    # again.
    _reread_every_file(JSDOC_NOTE_REREAD_NOTE),
    # 41: a name's letters with the digits after them are one word too (`toBase58`: base58; lexical.index_words:
    # probe 177); the words are written again from the functions table, as in 35.
    _WRITE_WORDS_AGAIN,
    # 42: a long function's last lines are in a window too (units._windows: a 174-line function's lines 161-174 were
    # in none: fault sweep 2); RDoc's `# :stopdoc:`, `# :nodoc:` are directives, no doc comment (units.DIRECTIVE:
    # probe 185); a link is read in its target's language (walk._as_linked: fault sweep 2); a private class field
    # holding a function is a method (grammars' tags: pacer's `#tick = () => {}`, probe 191); a block is named by a regex
    # its call is given (parsing._LITERAL_NAME: rouge's `rule %r/.../ do`, probe 192): every file is read again.
    _reread_every_file(TAIL_WINDOW_REREAD_NOTE),
    # 43: a line opening a generic call signature ends the TypeScript member above it (parsing._signatures_ended:
    # immer's IProduce, probe 184); Ruby's `module_function` makes methods the module's own
    # (_FileParser._made_class_level: pastel, probe 189); a Ruby block is named by a constant its call is given
    # (parsing._LITERAL_NAME: RSpec's `describe Cart do`); a method delegated binds its name on its class (Ruby's
    # member_lines, bindings._ATTRIBUTES: http.rb's `def_delegators`, probe 196); `{@inheritDoc}` is no doc's words
    # (parsing._INHERIT_DOC: json-schema, probe 197); a TypeScript type binds its methods' signatures
    # (languages._TS_SIGNATURE) and `export declare function` overloads are one unit with the first's doc
    # (_FileParser._overloads_before: runtypes, probe 199); a compiled re-export's getter on `exports` is no unit, a
    # module's own getter is named by its key (_FileParser._reexports, _described: winston, probe 201): every file is
    # read again.
    _reread_every_file(SIGNATURES_REREAD_NOTE),
    # 44: a secure protocol's name is no plural of it (`https` stems as itself, not `http`: query._SECURE_PROTOCOLS,
    # probe 202); the words are written again from the functions table, as in 35.
    _WRITE_WORDS_AGAIN,
    # 45: a `/** */` doc a blank line above `//` notes is the definition's (_FileParser._doc_over_a_note,
    # units.doc_rows: @tanstack/db's overloads, probe 205); Prettier's `var X = (module.exports = function ...)` binds
    # X (_FileParser._chained_targets: pg, probe 205); a Java field whose `=` opens the next line binds its name
    # (Java's member_lines: java-html-sanitizer, probe 206); a link to a file the walk reads anyway is skipped
    # (walk._read_under_its_own_path): every file is read again.
    _reread_every_file(NOTE_OVERLOADS_REREAD_NOTE),
    # 46: a hyphenated word is stored joined too ("re-thrown": rethrown, "read-only": readonly; lexical._joined_words:
    # probe 213); the words are written again from the functions table, as in 35.
    _WRITE_WORDS_AGAIN,
    # 47: esbuild's export map entries are no units (_FileParser._export_map_entry: @tldraw/state's dist-cjs, probe
    # 231); Ruby's `def obj.meth` inside a method is obj's (_FileParser._qualify: haml): every file is read again.
    _reread_every_file(EXPORT_MAP_REREAD_NOTE),
    # 48: a TypeScript binding whose type's arguments open the next lines keeps its statement (bindings._statement:
    # chevrotain's `DEFAULT_PARSER_CONFIG: Required<`, probe 237): every file is read again.
    _reread_every_file(TYPE_ARGUMENTS_REREAD_NOTE),
    # 49: a UMD or IIFE wrapper's factory is module code, named or not, and its body's own lines bind
    # (_FileParser._wraps, bindings.own_bindings: papaparse's `Papa.unparse = JsonToCsv`, probe 249); RDoc's `# :method:
    # name` in a Ruby type binds the name (LanguageSpec.declared_in_comments: mechanize, probe 256): every file is read
    # again.
    _reread_every_file(WRAPPER_REREAD_NOTE),
    # 50: a Java static initializer is a block of its class (java-tags.scm: log4j's LogManager, probe 265); a Ruby class
    # variable binds its name in its class (Ruby's member_lines: ruby-oauth's `@@default_options`, probe 265): every
    # file is read again.
    _reread_every_file(STATIC_BLOCK_REREAD_NOTE),
    # 51: `__getattr__` is said as "attribute", no longer "lookup" too (query._SPECIAL: aiocache's `_Conn.__getattr__`
    # came first for "how often lookups hit the cache", probe 282); the words are written again from the functions
    # table, as in 35.
    _WRITE_WORDS_AGAIN,
    # 52: a function given to a function keeper and bound to a name is that function, inside a function too
    # (parsing._keeps_a_function: react-hot-toast's `export const ToastBar = React.memo(...)` was a block, and a
    # bundle's getter of its name came first; its `useCallback(...)` in a hook was no unit: probe 283): every file is
    # read again.
    _reread_every_file(NAMESPACED_WRAPPER_REREAD_NOTE),
    # 53: a function in brackets, a cast or a `satisfies` check bound to a name is that function (javascript-tags.scm,
    # typescript-tags.scm: react-form's `export const Field = ((...) => {...}) satisfies FunctionComponent<...>` was a
    # module piece); PHP 5's string offset `$str{$i}` is read as brackets (_FileParser._brace_offsets_read:
    # HTMLPurifier's Encoder named its methods as functions, probe 289): every file is read again.
    _reread_every_file(WRAPPED_FUNCTION_REREAD_NOTE),
    # 54: a named function expression is said by its own name too (query.expression_name: mysql's `PoolSelector.RR =
    # function PoolSelectorRoundRobin() {` matched no word of "round robin", probe 299); the words are written again
    # from the functions table, as in 35.
    _WRITE_WORDS_AGAIN,
]


def pending_migrations(version: int) -> list[str]:
    """The scripts that bring a catalog at version up to SCHEMA_VERSION, one per version; a migration that writes the
    words again is left empty when a later one does it too (an index from before 16 wrote them three times)."""
    pending = MIGRATIONS[version:SCHEMA_VERSION]
    return ["" if script == _WRITE_WORDS_AGAIN and _WRITE_WORDS_AGAIN in pending[i + 1 :] else script
            for i, script in enumerate(pending)]


SAY_REFILL_FROM = 20_000  # units from which rewriting an index's words is said before it starts
FTS_TABLE = "units_fts"  # the lexical index (tests and tools that check it name it from here)
SCHEMA_VERSION = len(MIGRATIONS)
_EMBEDDABLE = f"substr(f.text_hash, 1, {len(LEXICAL_ONLY)}) != '{LEXICAL_ONLY}'"  # see documents.unit_hash
FUNCTION_COLUMNS = ("id, path, language, name, qualified_name, kind, start_line, end_line, start_col, "
                    "docstring, code, text_hash")


@dataclass(frozen=True)
class FunctionRow:
    """A function as stored, with its catalog id (the vector index's label)."""

    id: int
    path: str
    language: str
    name: str
    qualified_name: str
    kind: str
    start_line: int
    end_line: int
    start_col: int
    docstring: str
    code: str
    text_hash: str


_ROW_TYPES = (int, str, str, str, str, str, int, int, int, str, str, str)


def in_chunks(items: list) -> Iterator[tuple[list, str]]:
    """items in slices of 500 with their `?,?,...` placeholders: SQLite caps the variables of one statement."""
    for start in range(0, len(items), 500):
        chunk = items[start : start + 500]
        yield chunk, ",".join("?" * len(chunk))


def _sound(row: tuple) -> bool:
    """A function row of the types we write (a damaged one is left out, never shown)."""
    return len(row) == len(_ROW_TYPES) and all(type(v) is t for v, t in zip(row, _ROW_TYPES))


def _sound_binding(row: tuple) -> bool:
    """A bindings row of the types we write, its lines in order (a damaged one is never shown)."""
    return (len(row) == 6 and all(type(v) is t for v, t in zip(row, (int, str, int, int, int, str)))
            and 1 <= row[2] <= row[3] and row[4] >= 1)


@dataclass(frozen=True)
class FileRow:
    id: int
    path: str
    size: int
    mtime_ns: int
    hash: str
    ctime_ns: int = 0
    inode: int = 0
    indexed_at: float = 0.0


def _file_identity(path: Path) -> tuple[int, int] | None:
    """(device, inode) of a file, None when it is not there."""
    try:
        st = os.stat(path)
    except OSError:
        return None
    return st.st_dev, st.st_ino


class Catalog:
    """One SQLite database per index folder, in WAL mode so readers never wait for the writer."""

    def __init__(self, folder: Path, readonly: bool = False) -> None:
        self.folder = folder
        self.path = folder / CATALOG_NAME
        self.migrated_from: int | None = None  # the schema an older catalog was migrated from on this open
        self._lengths: tuple[tuple[int, int], tuple[int, tuple[float, ...]]] | None = None
        if readonly and not self.path.exists():
            raise CodesearchError(f"no catalog at {self.path}")
        for suffix in ("", "-wal", "-shm"):  # SQLite follows links: refuse them before connecting
            check_entry(Path(f"{self.path}{suffix}"))
        # the file this connection reads, taken before connecting: a folder swapped in meanwhile is seen
        self.identity = _file_identity(self.path)
        # a read-only index folder (a read-only mount, another user's checkout) is read as it is: SQLite
        # cannot make the WAL's shared-memory file there, and nobody can change it meanwhile
        frozen = os.path.isdir(folder) and not os.access(folder, os.W_OK | os.X_OK)
        try:
            if frozen:
                uri = f"file:{urllib.parse.quote(str(self.path))}?immutable=1"
                self.db = sqlite3.connect(uri, uri=True, isolation_level=None, check_same_thread=False)
            else:
                self.db = sqlite3.connect(str(self.path), timeout=30, isolation_level=None, check_same_thread=False)
                self.db.execute("PRAGMA journal_mode=WAL")
                self.db.execute("PRAGMA synchronous=NORMAL")
            self.db.execute("PRAGMA foreign_keys=ON")
            if not readonly and not frozen:
                self._migrate()
            elif (version := self.db.execute("PRAGMA user_version").fetchone()[0]) > SCHEMA_VERSION:
                raise self._newer(version)
        except sqlite3.DatabaseError as exc:
            if storage_kind(exc) is not None:  # a full disk or quota while migrating: the catalog is sound
                raise StorageError(f"cannot write the catalog {self.path} ({exc}): the disk is full, a quota or "
                                   "file-size limit is reached, or it is read-only; free some space and run the "
                                   "command again (nothing was lost)") from exc
            raise CodesearchError(f"the catalog {self.path} is damaged ({exc}); rebuild it with `codesearch index --rebuild`") from exc
        self.identity = self.identity or _file_identity(self.path)  # a new catalog exists once connected

    def replaced(self) -> bool:
        """True when the catalog's path now names another file than the one this connection reads (a
        rebuild swapped a new index folder in, or the folder was removed and made again); one stat. A
        path that is missing for now (a swap half done, a folder just removed) is not a replacement."""
        now = _file_identity(self.path)
        return now is not None and self.identity is not None and now != self.identity

    def _newer(self, version: int) -> NewerIndexError:
        """The one line for a catalog of a newer schema: never rewritten in this one (two installs would ping-pong)."""
        return NewerIndexError(f"{self.path} was written by a newer codesearch (schema {version}; this one reads up to "
                               f"{SCHEMA_VERSION}): upgrade codesearch, or run `codesearch index --rebuild` to replace "
                               "it with a new index (the old catalog is kept aside)")

    def _migrate(self) -> None:
        version = self.db.execute("PRAGMA user_version").fetchone()[0]
        if version > SCHEMA_VERSION:
            raise self._newer(version)
        self.migrated_from = version if 0 < version < SCHEMA_VERSION else None
        if self.migrated_from and any(_FILL_WORDS in MIGRATIONS[n] for n in range(version, SCHEMA_VERSION)):
            units = self.db.execute("SELECT count(*) FROM functions").fetchone()[0]
            if units >= SAY_REFILL_FROM:  # a large index's words take a while (Rails: ~30 s): never a silent wait
                print(f"codesearch: this version splits words differently: writing the words of the {units} units in "
                      f"{self.path} again (once; no file is read, no vector made)", file=sys.stderr, flush=True)
        self.db.create_function("lexical_field", 6, lambda i, name, qual, path, doc, code:
                                unit_fields(name, qual, path, doc, code)[i], deterministic=True)
        for number, script in enumerate(pending_migrations(version), start=version):
            # one script, one transaction: a crash mid-migration leaves the previous version intact
            self.db.executescript(f"BEGIN IMMEDIATE;\n{script}\nPRAGMA user_version = {number + 1};\nCOMMIT;")

    def close(self) -> None:
        self.db.close()

    # -- transactions --------------------------------------------------------------------------
    class _Tx:
        def __init__(self, db: sqlite3.Connection) -> None:
            self.db = db

        def __enter__(self) -> sqlite3.Connection:
            self.db.execute("BEGIN IMMEDIATE")
            return self.db

        def __exit__(self, exc_type, exc, tb) -> None:
            if exc_type is None:
                self.db.execute("COMMIT")
            elif self.db.in_transaction:  # SQLite may already have rolled back (a full disk does)
                self.db.execute("ROLLBACK")

    @contextlib.contextmanager
    def snapshot(self) -> Iterator[None]:
        """One read transaction: every read inside sees the same committed state (WAL keeps it while a
        writer commits), so a query never mixes candidates from before a sync with rows from after it."""
        if self.db.in_transaction:  # already inside one (this connection's own write or snapshot)
            yield
            return
        self.db.execute("BEGIN")
        try:
            yield
        finally:
            if self.db.in_transaction:
                self.db.execute("COMMIT")

    def transaction(self) -> "Catalog._Tx":
        """BEGIN IMMEDIATE ... COMMIT: all or nothing, even under SIGKILL."""
        return Catalog._Tx(self.db)

    # -- metadata ------------------------------------------------------------------------------
    def get_meta(self, key: str, default: str | None = None) -> str | None:
        row = self.db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return row[0] if row else default

    def set_meta(self, key: str, value: object) -> None:
        self.db.execute("INSERT OR REPLACE INTO meta(key, value) VALUES (?, ?)", (key, str(value)))

    def delete_meta(self, key: str) -> None:
        self.db.execute("DELETE FROM meta WHERE key = ?", (key,))

    def meta_int(self, key: str, low: int, high: int) -> int:
        """A whole-number meta value in [low, high] (0 when unset), or one clear error."""
        raw = self.get_meta(key)
        if raw is None or raw == "":
            return 0
        text = str(raw).strip()
        if not (text.isascii() and text.isdigit() and len(text) <= 20 and low <= int(text) <= high):
            raise IndexDataError(f"the catalog {self.path} says {key} = {str(raw)[:40]!r}, not a whole number "
                                 f"from {low} to {high}: rebuild it with `codesearch index --rebuild`")
        return int(text)

    @property
    def model_id(self) -> str | None:
        return self.get_meta("model")

    def token_budget(self, model: str) -> int | None:
        """The token budget per unit model's vectors here were made at, None when not recorded (an index made
        before budgets were; its vectors are of the budget codesearch used then)."""
        return self.meta_int(TOKEN_BUDGET_KEY + model, 1, 1 << 20) or None

    def set_token_budget(self, model: str, tokens: int) -> None:
        self.set_meta(TOKEN_BUDGET_KEY + model, tokens)

    def precision(self, model: str) -> str | None:
        """The precision model's vectors here are of ("fp32", "int8"), None when not recorded (an index made
        before precisions were; its vectors are fp32 unless --quantize int8 made them, which cannot be told)."""
        return self.get_meta(PRECISION_KEY + model) or None

    def set_precision(self, model: str, precision: str) -> None:
        self.set_meta(PRECISION_KEY + model, precision)

    def vector_records(self) -> dict[str, str]:
        """Every model's recorded budget and precision (meta key -> value): what a rebuild carries along with
        the vectors."""
        return {key: value for prefix in (TOKEN_BUDGET_KEY, PRECISION_KEY)
                for key, value in self.db.execute("SELECT key, value FROM meta WHERE key >= ? AND key < ?",
                                                  (prefix, prefix + "\uffff"))}

    @property
    def generation(self) -> int:
        """Bumped by every commit that changes functions; the vector file records the one it saw."""
        return self.meta_int("generation", 0, 2**62)

    def bump_generation(self) -> int:
        gen = self.generation + 1
        self.set_meta("generation", gen)
        self.set_meta("updated_at", f"{time.time():.3f}")
        return gen

    # -- files ---------------------------------------------------------------------------------
    def files(self) -> dict[str, FileRow]:
        return self._file_rows("", ())

    def file_rows(self, paths: list[str]) -> dict[str, FileRow]:
        """The catalog's rows of these paths (those it holds), as files() gives them."""
        return self._file_rows(f" WHERE path IN ({','.join('?' * len(paths))})", tuple(paths))

    def _file_rows(self, where: str, params: tuple) -> dict[str, FileRow]:
        """path -> its FileRow, of the files where selects."""
        try:
            rows = self.db.execute("SELECT id, path, size, mtime_ns, hash, ctime_ns, inode, indexed_at FROM files" + where,
                                   params)
        except sqlite3.OperationalError:  # a read-only catalog of schema 1 (no ctime, no inode): stat by size, mtime
            rows = self.db.execute("SELECT id, path, size, mtime_ns, hash, 0, 0, 0.0 FROM files" + where, params)
        return {r[1]: FileRow(*r) for r in rows}

    def file_id(self, path: str) -> int | None:
        """The id of an indexed file, or None when it is not in the catalog."""
        row = self.db.execute("SELECT id FROM files WHERE path = ?", (path,)).fetchone()
        return row[0] if row else None

    def upsert_file(self, path: str, language: str, size: int, mtime_ns: int, digest: str, ctime_ns: int = 0,
                    inode: int = 0, indexed_at: float | None = None) -> int:
        """Record a file as read; indexed_at is when it was read (the racy-file rule compares it with mtime)."""
        self.db.execute(
            "INSERT INTO files(path, language, size, mtime_ns, hash, indexed_at, ctime_ns, inode) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?) "
            "ON CONFLICT(path) DO UPDATE SET language=excluded.language, size=excluded.size, "
            "mtime_ns=excluded.mtime_ns, hash=excluded.hash, indexed_at=excluded.indexed_at, "
            "ctime_ns=excluded.ctime_ns, inode=excluded.inode",
            (path, language, size, mtime_ns, digest, time.time() if indexed_at is None else indexed_at, ctime_ns, inode),
        )
        return self.db.execute("SELECT id FROM files WHERE path = ?", (path,)).fetchone()[0]

    def delete_file(self, path: str) -> list[int]:
        """Remove a file and its functions; return the removed function ids."""
        ids = [r[0] for r in self.db.execute("SELECT f.id FROM functions f JOIN files x ON f.file_id = x.id WHERE x.path = ?", (path,))]
        self.delete_functions(ids)
        self.db.execute("DELETE FROM files WHERE path = ?", (path,))
        return ids

    # -- functions -----------------------------------------------------------------------------
    def functions_of(self, file_id: int) -> list[FunctionRow]:
        rows = self.db.execute(f"SELECT {FUNCTION_COLUMNS} FROM functions WHERE file_id = ? ORDER BY start_line", (file_id,))
        return [FunctionRow(*r) for r in rows if _sound(r)]

    def insert_function(self, file_id: int, unit: Unit, text_hash: str) -> int:
        cur = self.db.execute(
            "INSERT INTO functions(file_id, path, language, name, qualified_name, kind, start_line, end_line, "
            "start_col, docstring, code, text_hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (file_id, unit.path, unit.language, unit.name, unit.qualified_name, unit.kind, unit.start_line,
             unit.end_line, unit.start_col, unit.docstring, unit.code, text_hash),
        )
        fid = int(cur.lastrowid)
        self._index_words(fid, unit)
        self._write_binds(fid, unit)
        return fid

    def _write_binds(self, fid: int, unit: Unit) -> None:
        """What the unit binds (codesearch.parse.bindings), (re)written under its id."""
        self.db.executemany("INSERT INTO bindings(unit_id, name, key, first_line, last_line, col, text) "
                            "VALUES (?, ?, ?, ?, ?, ?, ?)",
                            [(fid, name, symbol_key(name), first, last, col, text) for name, first, last, col, text in unit.binds])

    def _index_words(self, fid: int, unit: Unit) -> None:
        """The unit's lexical fields, (re)written under its id."""
        self.db.execute("INSERT INTO units_fts(rowid, name, file, path, doc, code) VALUES (?, ?, ?, ?, ?, ?)",
                        (fid, *unit_fields(unit.name, unit.qualified_name, unit.path, unit.docstring, unit.code)))

    def move_function(self, fid: int, unit: Unit) -> None:
        """Same text, new place (lines moved, or the file renamed): no new vector needed; path words follow."""
        old = self.db.execute("SELECT path, docstring FROM functions WHERE id = ?", (fid,)).fetchone()
        self.db.execute(
            "UPDATE functions SET path=?, start_line=?, end_line=?, start_col=?, docstring=? WHERE id=?",
            (unit.path, unit.start_line, unit.end_line, unit.start_col, unit.docstring, fid),
        )
        if old is not None and tuple(old) != (unit.path, unit.docstring):
            self.db.execute("DELETE FROM units_fts WHERE rowid = ?", (fid,))
            self._index_words(fid, unit)
        self.db.execute("DELETE FROM bindings WHERE unit_id = ?", (fid,))  # their lines move with the unit
        self._write_binds(fid, unit)

    def delete_functions(self, ids: Iterable[int]) -> None:
        """Remove functions and their FTS rows (inside the caller's transaction); their bindings go with them (the
        table's foreign key cascades)."""
        ids = list(ids)
        self.db.executemany("DELETE FROM units_fts WHERE rowid = ?", [(i,) for i in ids])
        self.db.executemany("DELETE FROM functions WHERE id = ?", [(i,) for i in ids])

    def qualified_names(self, ids: list[int]) -> dict[int, str]:
        """id -> qualified name, without reading the units' code (a type's can be large)."""
        out: dict[int, str] = {}
        for chunk, marks in in_chunks(ids):
            for fid, qual in self.db.execute(f"SELECT id, qualified_name FROM functions WHERE id IN "
                                             f"({marks})", chunk):
                if isinstance(qual, str):
                    out[fid] = qual
        return out

    def get_functions(self, ids: list[int]) -> dict[int, FunctionRow]:
        out: dict[int, FunctionRow] = {}
        for chunk, marks in in_chunks(ids):
            for r in self.db.execute(f"SELECT {FUNCTION_COLUMNS} FROM functions WHERE id IN ({marks})", chunk):
                if _sound(r) and safe_rel_path(r[1]):  # a row we could not have written is never shown or read
                    out[r[0]] = FunctionRow(*r)
        return out

    def exact_names(self, text: str) -> list[int]:
        """Ids of functions whose name or qualified name is exactly text (an identifier lookup)."""
        rows = self.db.execute("SELECT id FROM functions WHERE (name = ? OR qualified_name = ?) AND kind != 'window' "
                               "ORDER BY id", (text, text))  # a long function's windows share its name, not are it
        return [r[0] for r in rows]

    def bound(self, name: str, allowed: set[int] | None = None, limit: int = 20) -> list[tuple[int, str, int, int, int, str]]:
        """(unit id, name, first line, last line, column, statement) of up to limit bindings of this name, the exact
        spelling first, then without case, '_' and '$' (an index from before bindings were kept has none)."""
        try:
            rows = self.db.execute("SELECT unit_id, name, first_line, last_line, col, text FROM bindings WHERE name = ? "
                                   "OR key = ? ORDER BY name != ?, unit_id, first_line", (name, symbol_key(name), name))
            out: list[tuple[int, str, int, int, int, str]] = []
            for row in rows:  # read lazily: a name every class binds (`LOGGER`) is not read whole
                if _sound_binding(row) and (allowed is None or row[0] in allowed):
                    out.append(tuple(row))
                    if len(out) >= limit:
                        break
            return out
        except sqlite3.OperationalError:
            return []  # a read-only catalog of an older schema

    def names_like(self, key: str) -> list[tuple[int, str, str]]:
        """(id, name, qualified name) of functions whose name, without case, '_' and '$', is key."""
        rows = self.db.execute(f"SELECT id, name, qualified_name FROM functions WHERE {_NAME_KEY} = ? "
                               "AND kind != 'window' ORDER BY id", (key,))
        return [(r[0], r[1], r[2]) for r in rows]

    def places_of(self, hashes: list[str]) -> dict[str, list[tuple[int, str, int]]]:
        """Every (id, path, start line) holding each text hash: where copies of a function live."""
        out: dict[str, list[tuple[int, str, int]]] = {}
        for chunk, marks in in_chunks(hashes):
            for h, fid, path, line in self.db.execute(
                    f"SELECT text_hash, id, path, start_line FROM functions WHERE text_hash IN ({marks}) ORDER BY path, start_line", chunk):
                if safe_rel_path(path):
                    out.setdefault(h, []).append((fid, path, line))
        return out

    def existing(self, paths: list[str]) -> set[str]:
        """Which of paths are indexed files."""
        out: set[str] = set()
        for chunk, marks in in_chunks(paths):
            out.update(r[0] for r in self.db.execute(f"SELECT path FROM files WHERE path IN ({marks})", chunk))
        return out

    def first_units_of(self, typed: str, limit: int = 3) -> list[int]:
        """Of up to limit indexed files whose path is typed or ends with `/typed`, each one's first unit (its widest
        at the first line): what a path typed as a query names."""
        return self.units_at(typed, 0, limit)

    def units_at(self, typed: str, line: int, limit: int = 3) -> list[int]:
        """Of up to limit indexed files whose path is typed or ends with `/typed`, the innermost unit holding line
        (its file's first unit when none does): what a pasted `path:line` names."""
        sql = ("SELECT coalesce((SELECT u.id FROM functions u WHERE u.file_id = f.id AND u.kind != 'window' "
               "AND u.start_line <= ? AND u.end_line >= ? ORDER BY u.end_line - u.start_line LIMIT 1), "
               "(SELECT u.id FROM functions u WHERE u.file_id = f.id AND u.kind != 'window' "
               "ORDER BY u.start_line, u.end_line DESC LIMIT 1)) "
               "FROM files f WHERE f.path = ? OR f.path LIKE ? ESCAPE '\\' ORDER BY length(f.path) LIMIT ?")
        pattern = "%/" + typed.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        return [r[0] for r in self.db.execute(sql, (line, line, typed, pattern, limit)) if r[0] is not None]

    def paths_under(self, folder: str) -> list[str]:
        """The indexed files below a folder (relative, no trailing slash; "" for the repository's root: every file)."""
        if not folder:
            return [r[0] for r in self.db.execute("SELECT path FROM files ORDER BY path")]
        low, high = folder + "/", folder + "0"  # '0' sorts right after '/'
        return [r[0] for r in self.db.execute("SELECT path FROM files WHERE path >= ? AND path < ? ORDER BY path", (low, high))]

    def folders_named(self, name: str, limit: int) -> list[str]:
        """Up to limit folders named name that hold indexed files (`packages/kit` for kit), shortest first."""
        escaped = name.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        rows = self.db.execute("SELECT path FROM files WHERE path LIKE ? ESCAPE '\\' OR path LIKE ? ESCAPE '\\'",
                               (f"{escaped}/%", f"%/{escaped}/%"))
        folders = {"/".join(parts[: i + 1]) for (path,) in rows for parts in [path.split("/")[:-1]]
                   for i, part in enumerate(parts) if part == name}
        return sorted(folders, key=lambda f: (f.count("/"), f))[:limit]

    def units_per_file(self, paths: list[str]) -> dict[str, int]:
        """How many units each of paths holds: of two copies of a function, the one in the smaller file is the
        module it was written in, the other a bundle of many."""
        out: dict[str, int] = {}
        for chunk, marks in in_chunks(paths):
            sql = (f"SELECT f.path, count(u.id) FROM files f JOIN functions u ON u.file_id = f.id "
                   f"WHERE f.path IN ({marks}) GROUP BY f.path")
            out.update({path: n for path, n in self.db.execute(sql, chunk)})
        return out

    def file_units(self) -> dict[str, tuple[str, int]]:
        """path -> (language, how many units it holds), for every indexed file."""
        sql = "SELECT f.path, f.language, count(u.id) FROM files f JOIN functions u ON u.file_id = f.id GROUP BY f.id"
        return {path: (language, n) for path, language, n in self.db.execute(sql)}

    def units_saying(self, term: str) -> dict[str, int]:
        """path -> how many of its units hold a lexical term (a word or its stem) in any field, save those whose only
        use of it is a method called on something else (`/^-/.test(arg)`: the regex's word, not the unit's)."""
        quoted = '"' + term.replace('"', '""') + '"'
        called = re.compile(r"\.\s*" + re.escape(term) + r"\s*\(", re.IGNORECASE)
        said = re.compile(re.escape(term), re.IGNORECASE)
        sql = ("SELECT f.path, f.code, units_fts.rowid IN (SELECT rowid FROM units_fts WHERE units_fts MATCH ?) "
               "FROM units_fts JOIN functions f ON f.id = units_fts.rowid WHERE units_fts MATCH ?")
        out: dict[str, int] = {}
        try:
            for path, code, in_own_words in self.db.execute(sql, ("{name file path doc}: " + quoted, quoted)):
                if in_own_words or said.search(called.sub("", code or "")):
                    out[path] = out.get(path, 0) + 1
        except sqlite3.OperationalError:
            return {}
        return out

    def version(self) -> tuple[int, int]:
        """Changes by anyone since this connection opened, cheaply: equal stamps, equal contents."""
        return self.db.execute("PRAGMA data_version").fetchone()[0], self.db.total_changes

    def count(self, table: str) -> int:
        assert table in ("files", "functions", "embeddings")
        return self.db.execute(f"SELECT count(*) FROM {table}").fetchone()[0]

    def function_ids(self, languages: list[str] | None = None) -> list[int]:
        if languages:
            marks = ",".join("?" * len(languages))
            return [r[0] for r in self.db.execute(f"SELECT id FROM functions WHERE language IN ({marks})", languages)]
        return [r[0] for r in self.db.execute("SELECT id FROM functions")]

    def kind_counts(self) -> dict[str, int]:
        """kind -> how many units of it: what `status` shows."""
        return dict(self.db.execute("SELECT kind, count(*) FROM functions GROUP BY kind ORDER BY count(*) DESC"))

    def embeddable_ids(self) -> list[int]:
        """Ids of the units that get vectors (the model's and the static tier's); the rest are words only."""
        return [r[0] for r in self.db.execute(f"SELECT f.id FROM functions f WHERE {_EMBEDDABLE}")]

    def function_paths(self) -> Iterator[tuple[int, str, str, str]]:
        """(id, path, language, kind) of every unit: what the filters look at."""
        yield from self.db.execute("SELECT id, path, language, kind FROM functions")

    # -- embedding cache -----------------------------------------------------------------------
    def cached_hashes(self, model: str, hashes: Iterable[str]) -> set[str]:
        hashes = list(set(hashes))
        found: set[str] = set()
        for chunk, marks in in_chunks(hashes):
            rows = self.db.execute(f"SELECT text_hash FROM embeddings WHERE model = ? AND text_hash IN ({marks})", [model, *chunk])
            found.update(r[0] for r in rows)
        return found

    def has_vectors(self, model: str) -> bool:
        return self.db.execute("SELECT 1 FROM embeddings WHERE model = ? LIMIT 1", (model,)).fetchone() is not None

    def drop_vectors(self, model: str) -> int:
        """Forget every kept vector of model (inside the caller's transaction); how many there were."""
        return self.db.execute("DELETE FROM embeddings WHERE model = ?", (model,)).rowcount

    def put_vectors(self, model: str, hashes: list[str], vectors: np.ndarray) -> None:
        rows = [(model, h, np.asarray(v, dtype="<f4").tobytes()) for h, v in zip(hashes, vectors)]
        self.db.executemany("INSERT OR REPLACE INTO embeddings(model, text_hash, vector) VALUES (?, ?, ?)", rows)

    def unembedded(self, model: str) -> list[int]:
        """Ids of functions with no cached vector for model, functions of recently changed files first."""
        return [fid for fid, _, _ in self.unembedded_files(model)]

    def unembedded_files(self, model: str) -> list[tuple[int, str, int]]:
        """(id, path, file mtime_ns) of functions with no cached vector for model, newest files first."""
        return [(r[0], r[1], r[2]) for r in self.db.execute(
            "SELECT f.id, fi.path, fi.mtime_ns FROM functions f JOIN files fi ON fi.id = f.file_id "
            "LEFT JOIN embeddings e ON e.model = ? AND e.text_hash = f.text_hash "
            f"WHERE e.text_hash IS NULL AND {_EMBEDDABLE} ORDER BY fi.mtime_ns DESC, f.id", (model,))]

    def embeddable_among(self, ids: Iterable[int]) -> bool:
        """Whether any of these units gets a vector (documents.unit_hash)."""
        for chunk, marks in in_chunks(sorted(set(ids))):
            if self.db.execute(f"SELECT 1 FROM functions f WHERE f.id IN ({marks}) AND {_EMBEDDABLE} LIMIT 1", chunk).fetchone():
                return True
        return False

    def members_of_bare(self, ids: Iterable[int], kinds: tuple[str, ...],
                        receivers: tuple[str, ...] = ()) -> dict[int, int]:
        """Of the units ids of these kinds that have no vector (a class that only holds its methods), each embedded unit
        inside one -> the innermost such unit holding it: what stands for the bare unit's meaning. In the languages
        `receivers` (Go), a type's methods lie outside it: those named `Type.x` in its folder are its members."""
        e = _EMBEDDABLE.replace("f.", "m.")
        bare = f"substr(c.text_hash, 1, {len(LEXICAL_ONLY)}) = '{LEXICAL_ONLY}'"
        kind_marks = ",".join("?" * len(kinds))
        out: dict[int, tuple[int, int]] = {}  # member -> (container, container's span)
        receiving: dict[tuple[str, str], int] = {}  # (folder, type's name) -> a bare type whose methods lie outside it
        for chunk, marks in in_chunks(sorted(set(ids))):
            inside = self.db.execute(
                "SELECT m.id, c.id, c.end_line - c.start_line FROM functions c JOIN functions m ON m.file_id = c.file_id "
                "AND m.start_line >= c.start_line AND m.end_line <= c.end_line AND m.id != c.id "
                f"WHERE c.id IN ({marks}) AND c.kind IN ({kind_marks}) AND {bare} AND {e}", [*chunk, *kinds])
            for member, container, span in inside:
                if member not in out or span < out[member][1]:
                    out[member] = (container, span)
            if receivers and "type" in kinds:
                for cid, path, name in self.db.execute(
                        f"SELECT c.id, c.path, c.qualified_name FROM functions c WHERE c.id IN ({marks}) AND c.kind = 'type' "
                        f"AND c.language IN ({','.join('?' * len(receivers))}) AND {bare}", [*chunk, *receivers]):
                    receiving[(path.rpartition("/")[0], name)] = cid
        if receiving:  # one pass over those languages' embedded methods, not a join of every type with every unit
            rows = self.db.execute(f"SELECT m.id, m.path, m.qualified_name FROM functions m WHERE m.language IN "
                                   f"({','.join('?' * len(receivers))}) AND m.kind = 'method' AND {e}", receivers)
            for mid, path, name in rows:
                cid = receiving.get((path.rpartition("/")[0], name.rpartition(".")[0]))
                if cid is not None and mid not in out:
                    out[mid] = (cid, 0)
        return {member: container for member, (container, _) in out.items()}

    def embeddable_count(self) -> int:
        """Units that get a vector (the rest are found by their words only): what semantic coverage counts."""
        return self.db.execute(f"SELECT count(*) FROM functions f WHERE {_EMBEDDABLE}").fetchone()[0]

    def embedded_count(self, model: str) -> int:
        """Functions that have a vector for model (the semantic coverage of the index)."""
        return self.db.execute("SELECT count(*) FROM functions f JOIN embeddings e ON e.model = ? "
                               "AND e.text_hash = f.text_hash", (model,)).fetchone()[0]

    def embedded_count_like(self, prefix: str) -> int:
        """Functions with a vector under some model key starting with prefix (a tier of the index's model)."""
        return self.db.execute("SELECT count(DISTINCT f.id) FROM functions f JOIN embeddings e ON e.text_hash = f.text_hash "
                               "AND e.model >= ? AND e.model < ?", (prefix, prefix + "\uffff")).fetchone()[0]

    def cached_vectors(self, model: str, hashes: list[str]) -> dict[str, np.ndarray]:
        """hash -> cached vector, for those of hashes the cache holds."""
        out: dict[str, np.ndarray] = {}
        for chunk, marks in in_chunks(hashes):
            rows = self.db.execute(f"SELECT text_hash, vector FROM embeddings WHERE model = ? AND text_hash IN "
                                   f"({marks})", [model, *chunk])
            out.update((h, np.frombuffer(v, dtype="<f4")) for h, v in rows if isinstance(v, bytes) and v and len(v) % 4 == 0)
        return out

    def cached_rows(self, model: str) -> Iterator[tuple[str, bytes]]:
        """(hash, float32 bytes) of every cached vector of one model, in hash order."""
        yield from self.db.execute("SELECT text_hash, vector FROM embeddings WHERE model = ? ORDER BY text_hash", (model,))

    def embedded_ids(self, model: str) -> set[int]:
        """Ids of the units that have a vector of model: what the vector index should hold."""
        sql = "SELECT f.id FROM functions f JOIN embeddings e ON e.text_hash = f.text_hash AND e.model = ?"
        return {r[0] for r in self.db.execute(sql, (model,))}

    def vectors_for(self, model: str, ids: list[int] | None = None, dim: int | None = None) -> tuple[np.ndarray, np.ndarray]:
        """(function ids, float32 matrix) of indexed functions, from the cache; no re-embedding."""
        # CROSS JOIN keeps the units outermost: with 500 ids SQLite otherwise walks every vector of the model for
        # each chunk (2.2 s a chunk on Rails' 35,000 vectors instead of milliseconds)
        sql = ("SELECT f.id, e.vector FROM functions f CROSS JOIN embeddings e ON e.text_hash = f.text_hash AND e.model = ?")
        rows: list[tuple[int, bytes]] = []
        if ids is None:
            rows = list(self.db.execute(sql, (model,)))
        else:
            for chunk, marks in in_chunks(ids):
                rows += list(self.db.execute(sql + f" WHERE f.id IN ({marks})", [model, *chunk]))
        if not rows:
            return np.zeros(0, dtype=np.int64), np.zeros((0, dim or 0), dtype=np.float32)
        width = 4 * dim if dim else max(len(r[1]) for r in rows if isinstance(r[1], bytes))
        rows = [r for r in rows if isinstance(r[1], bytes) and len(r[1]) == width and width]  # no damaged vector
        if not rows:
            return np.zeros(0, dtype=np.int64), np.zeros((0, dim or 0), dtype=np.float32)
        labels = np.array([r[0] for r in rows], dtype=np.int64)
        matrix = np.frombuffer(b"".join(r[1] for r in rows), dtype="<f4").reshape(len(rows), -1)
        return labels, matrix

    def tier_vectors(self, tier: str, model: str | None, dim: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(function ids, float32 matrix, covered) of every function with a vector of tier (the static
        tier's key); covered[i]: the model itself has a vector for that function too. Damaged blobs are left out."""
        rows = self.db.execute(
            "SELECT f.id, s.vector, t.text_hash IS NOT NULL FROM functions f "
            "JOIN embeddings s ON s.model = ? AND s.text_hash = f.text_hash "
            "LEFT JOIN embeddings t ON t.model = ? AND t.text_hash = f.text_hash ORDER BY f.id", (tier, model or ""))
        rows = [r for r in rows if isinstance(r[1], bytes) and len(r[1]) == 4 * dim and dim]
        if not rows:
            return np.zeros(0, dtype=np.int64), np.zeros((0, dim), dtype=np.float32), np.zeros(0, dtype=bool)
        labels = np.array([r[0] for r in rows], dtype=np.int64)
        matrix = np.frombuffer(b"".join(r[1] for r in rows), dtype="<f4").reshape(len(rows), dim)
        return labels, matrix, np.array([bool(r[2]) for r in rows], dtype=bool)

    def static_stats(self, model: str, dim: int) -> tuple[int, np.ndarray, np.ndarray, np.ndarray, np.ndarray] | None:
        """(functions, token ids, document frequencies, mean vector, dim x dim whitening) kept for a static tier,
        or None when absent or not sound (then the static pass counts them again)."""
        row = self.db.execute("SELECT functions, tokens, counts, mean, whitening FROM static_stats WHERE model = ?",
                              (model,)).fetchone()
        if row is None or not all(isinstance(b, bytes) for b in row[1:]) or not isinstance(row[0], int):
            return None
        functions, tokens, counts, mean, whitening = row
        if (len(tokens) != len(counts) or len(tokens) % 8 or len(mean) != 4 * dim or functions < 0
                or len(whitening) != 4 * dim * dim):
            return None
        ids, dfs, centre = (np.frombuffer(tokens, dtype="<i8"), np.frombuffer(counts, dtype="<i8"),
                            np.frombuffer(mean, dtype="<f4"))
        matrix = np.frombuffer(whitening, dtype="<f4").reshape(dim, dim)
        if ((dfs < 0).any() or (dfs > functions).any() or (np.diff(ids) <= 0).any() or not np.isfinite(centre).all()
                or not np.isfinite(matrix).all()):
            return None
        return functions, ids, dfs, centre, matrix

    def drop_tiers(self, prefix: str, keep: str) -> int:
        """Delete the vectors and statistics of every key starting with prefix but keep (a static tier of an
        older recipe or precision: never read again); how many vectors went."""
        bounds = (prefix, prefix + "\uffff", keep)
        gone = self.db.execute("DELETE FROM embeddings WHERE model >= ? AND model < ? AND model != ?", bounds).rowcount
        self.db.execute("DELETE FROM static_stats WHERE model >= ? AND model < ? AND model != ?", bounds)
        return gone

    def put_static_stats(self, model: str, functions: int, tokens: np.ndarray, counts: np.ndarray, mean: np.ndarray,
                         whitening: np.ndarray) -> None:
        self.db.execute("INSERT OR REPLACE INTO static_stats(model, functions, tokens, counts, mean, whitening) "
                        "VALUES (?, ?, ?, ?, ?, ?)",
                        (model, int(functions), np.asarray(tokens, dtype="<i8").tobytes(),
                         np.asarray(counts, dtype="<i8").tobytes(), np.asarray(mean, dtype="<f4").tobytes(),
                         np.asarray(whitening, dtype="<f4").tobytes()))

    # -- lexical -------------------------------------------------------------------------------
    def lexical(self, words: Iterable[str], limit: int, languages: list[str] | None = None,
                fields: tuple[str, ...] = ()) -> list[int]:
        """Ids of units holding any of words (in fields, or anywhere), best first by FTS5's bm25: candidates to score."""
        words = [w for w in dict.fromkeys(words) if w]
        if not words:
            return []
        match = " OR ".join('"' + w.replace('"', '""') + '"' for w in words)
        if fields:
            match = "{" + " ".join(fields) + "} : (" + match + ")"
        sql = ("SELECT units_fts.rowid FROM units_fts JOIN functions f ON f.id = units_fts.rowid "
               "WHERE units_fts MATCH ?")
        args: list[object] = [match]
        if languages:
            sql += f" AND f.language IN ({','.join('?' * len(languages))})"
            args += languages
        sql += " ORDER BY bm25(units_fts, 4.0, 3.0, 1.0, 2.0, 1.0) LIMIT ?"
        args.append(limit)
        try:
            return [r[0] for r in self.db.execute(sql, args)]
        except sqlite3.OperationalError:
            return []

    def holding_every(self, words: Iterable[str], limit: int) -> list[int]:
        """Ids of units whose code holds every one of words (index words), best first by FTS5's bm25: where a line
        typed as a question may be written, however common its first name is."""
        words = [w for w in dict.fromkeys(words) if w]
        if not words:
            return []
        match = "{code} : (" + " AND ".join('"' + w.replace('"', '""') + '"' for w in words) + ")"
        try:
            return [r[0] for r in self.db.execute("SELECT rowid FROM units_fts WHERE units_fts MATCH ? "
                                                  "ORDER BY bm25(units_fts) LIMIT ?", (match, limit))]
        except sqlite3.OperationalError:
            return []

    def lexical_fields(self, ids: list[int]) -> dict[int, tuple[str, ...]]:
        """id -> the unit's indexed words per field (FIELDS order), to count query words in."""
        out: dict[int, tuple[str, ...]] = {}
        for chunk, marks in in_chunks(ids):
            for r in self.db.execute(f"SELECT rowid, {', '.join(FIELDS)} FROM units_fts WHERE rowid IN "
                                     f"({marks})", chunk):
                out[r[0]] = tuple(v if isinstance(v, str) else "" for v in r[1:])
        return out

    def names_holding(self, words: Iterable[str]) -> dict[str, int]:
        """word -> how many units' names (the words list's name field) hold it."""
        return self._units_holding(words, "units_vocab_col WHERE col = 'name' AND")

    def _units_holding(self, words: Iterable[str], where: str) -> dict[str, int]:
        """word -> units holding it, from a vocabulary table and its filter (`units_vocab WHERE`: in any field)."""
        words = list(dict.fromkeys(words))
        held = {w: 0 for w in words}
        for chunk, marks in in_chunks(words):
            for term, n in self.db.execute(f"SELECT term, doc FROM {where} term IN ({marks})", chunk):
                held[term] = int(n)
        return held

    def words_like(self, word: str, spread: int) -> list[tuple[str, int]]:
        """(word, units holding it) of the words list's words that begin as word does and are at most spread letters
        longer or shorter: the candidates a misspelt question word may stand for."""
        if not word:
            return []
        first = word[0]
        return [(t, int(n)) for t, n in self.db.execute(
            "SELECT term, doc FROM units_vocab WHERE term >= ? AND term < ? AND length(term) BETWEEN ? AND ?",
            (first, chr(ord(first) + 1), len(word) - spread, len(word) + spread))]

    def words_with_prefix(self, prefix: str) -> list[tuple[str, int]]:
        """(word, units holding it) of the words list's words that begin with prefix."""
        if not prefix:
            return []
        return [(t, int(n)) for t, n in self.db.execute(
            "SELECT term, doc FROM units_vocab WHERE term >= ? AND term < ?", (prefix, prefix + "\uffff"))]

    def lexical_stats(self, words: Iterable[str]) -> tuple[int, dict[str, int], tuple[float, ...]]:
        """(units, word -> units holding it, mean words per field): what BM25 weighs a word and a length by."""
        df = self._units_holding(words, "units_vocab WHERE")
        stamp = self.version()
        if self._lengths is None or self._lengths[0] != stamp:  # the sums cost one pass over the vocabulary: once a change
            units = self.db.execute("SELECT count(*) FROM units_fts").fetchone()[0]
            sums = dict(self.db.execute("SELECT col, sum(cnt) FROM units_vocab_col GROUP BY col"))
            means = tuple((sums.get(f) or 0) / max(units, 1) for f in FIELDS)
            self._lengths = (stamp, (units, means))
        units, means = self._lengths[1]
        return units, df, means
