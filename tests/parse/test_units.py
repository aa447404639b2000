"""Every line of a supported file belongs to some unit, and each kind of unit is what it says."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import pytest

from codesearch.languages import SPECS
from codesearch.parse import units as unit_rules
from codesearch.parse.parsing import parse_source

LANGS = Path(__file__).parents[1] / "fixtures" / "languages"
FIXTURES = [(s.name, p) for s in SPECS for p in sorted((LANGS / s.name).iterdir()) if not p.name.endswith(".json")]
WORD = re.compile(r"\w+")


def _uncovered(source: bytes, language: str, path: str) -> list[str]:
    """Non-blank lines whose words no unit spanning them holds (elided member bodies are their own units;
    a doc comment belongs to the definition below it, whose docstring holds its words)."""
    lines = source.decode("utf-8").split("\n")
    spans = []
    for u in parse_source(source, language, path):
        first, crossed = u.start_line, False  # one blank line may stand between a doc and its definition
        while u.docstring and first > 1:
            if lines[first - 2].strip()[:1] in ("/", "*", "#", "="):
                first -= 1
            elif not crossed and first > 2 and not lines[first - 2].strip() and lines[first - 3].strip().endswith("*/"):
                first, crossed = first - 1, True
            else:
                break
        spans.append((first, u.end_line, set(WORD.findall(u.code + "\n" + u.docstring))))
    missing = []
    for row, line in enumerate(lines, start=1):
        words = set(WORD.findall(line))
        if line.strip() and not any(a <= row <= b and words <= held for a, b, held in spans):
            missing.append(f"{path}:{row}: {line}")
    return missing


@pytest.mark.parametrize("language,path", FIXTURES, ids=lambda x: getattr(x, "name", x))
def test_every_line_of_every_fixture_is_in_a_unit(language: str, path: Path) -> None:
    assert _uncovered(path.read_bytes(), language, path.name) == []


@pytest.mark.parametrize("spec", SPECS, ids=lambda s: s.name)
def test_each_language_yields_its_unit_kinds(spec) -> None:
    kinds = {u.kind for p in (LANGS / spec.name).iterdir() if not p.name.endswith(".json")
             for u in parse_source(p.read_bytes(), spec.name, p.name)}
    expected = {"type", "module"} | ({"block"} if spec.block_nodes and spec.name not in ("java", "tsx") else set())
    assert expected <= kinds, f"{spec.name}: {sorted(kinds)}"


def test_names_types_and_blocks_like_their_language() -> None:
    ruby = {(u.kind, u.qualified_name) for u in parse_source((LANGS / "ruby" / "sample.rb").read_bytes(), "ruby", "app.rb")}
    assert {("type", "Billing::Invoice"), ("block", "app: get('/')"), ("block", "Trackable: included()")} <= ruby
    js = parse_source((LANGS / "javascript" / "sample.js").read_bytes(), "javascript", "routes.js")
    assert {("block", 'routes: app.get("/users")'), ("block", 'routes: describe("cart")'), ("type", "Widget")} <= {
        (u.kind, u.qualified_name) for u in js}
    py = {(u.kind, u.qualified_name, u.docstring) for u in parse_source((LANGS / "python" / "sample.py").read_bytes(), "python", "m.py")}
    assert ("type", "Cache.Entry", "") in py and any(k == "type" and q == "Cache" and d for k, q, d in py)


def test_a_type_keeps_fields_and_signatures_not_method_bodies() -> None:
    src = (LANGS / "java" / "Sample.java").read_bytes()
    (sample,) = [u for u in parse_source(src, "java", "Sample.java") if u.qualified_name == "Sample" and u.kind == "type"]
    assert "private int count;" in sample.code and "int doubled() {" in sample.code
    assert "return count * 2;" not in sample.code and unit_rules.ELIDED in sample.code


def test_a_namespace_wrapper_does_not_take_its_nested_types_doc() -> None:
    """rack-protection's frame_options.rb wraps `class FrameOptions` in `module Rack; module Protection`: the wrapper's
    code held FrameOptions' doc ("Prevented attack:: Clickjacking") and came first for it, as `Rack::Protection`."""
    src = (b"module Rack\n  module Protection\n    ##\n    # Prevented attack:: Clickjacking\n    # Sets X-Frame-Options.\n"
           b"    class FrameOptions < Base\n      # The header's value.\n      def frame_options\n        'SAMEORIGIN'\n"
           b"      end\n    end\n  end\nend\n")
    units = {u.qualified_name: u for u in parse_source(src, "ruby", "frame_options.rb")}
    assert "Clickjacking" not in units["Rack::Protection"].code and "Clickjacking" not in units["Rack"].code
    assert "Clickjacking" in units["Rack::Protection::FrameOptions"].docstring
    assert "The header's value." in units["Rack::Protection::FrameOptions"].code  # a member's doc stays in its type


def test_module_code_comes_in_bounded_pieces() -> None:
    lines = [f"SETTING_{i} = {i}" for i in range(2 * unit_rules.MODULE_PIECE_LINES + 5)]
    src = ("\n".join(lines[:30]) + "\n\ndef f():\n    return 1\n\n" + "\n".join(lines[30:]) + "\n").encode()
    pieces = [u for u in parse_source(src, "python", "settings.py") if u.kind == "module"]
    assert [len([x for x in p.code.split("\n") if x.startswith("SETTING")]) for p in pieces] == [
        unit_rules.MODULE_PIECE_LINES, unit_rules.MODULE_PIECE_LINES, 5]
    assert unit_rules.ELIDED in pieces[0].code and all(p.qualified_name == "settings" for p in pieces)
    assert _uncovered(src, "python", "settings.py") == []


def test_a_module_piece_ends_between_statements_not_inside_one() -> None:
    """xid's id.go: a long package comment, then `const (` cut after its first line's at 60 lines; the next piece,
    3 lines of the block without its `const (`, was too short for a vector (probe 86). A piece ends before a line
    that opens a statement at the file's top level; a statement longer than a piece is still cut."""
    n = unit_rules.MODULE_PIECE_LINES
    src = ("// Package ids makes short sortable identifiers.\n" + "".join(f"// Line {i} of the format.\n" for i in range(n - 4))
           + "package ids\n\nconst (\n\tencodedLen = 20\n\trawLen     = 12\n\n\t// the base32 alphabet\n"
           "\tencoding = \"0123456789abcdefghijklmnopqrstuv\"\n)\n\nvar order = 1\n").encode()
    pieces = [u for u in parse_source(src, "go", "ids.go") if u.kind == "module"]
    assert "const (" in pieces[-1].code and "encoding =" in pieces[-1].code, [(p.start_line, p.end_line) for p in pieces]
    assert "const (" not in pieces[0].code and _uncovered(src, "go", "ids.go") == []
    table = ("ROUTES = [\n" + "".join(f"    ('/r{i}', handler_{i}),\n" for i in range(3 * n)) + "]\n").encode()
    assert [u.end_line - u.start_line + 1 for u in parse_source(table, "python", "routes.py")] == [2 * n, n + 2]


def test_a_module_piece_keeps_a_statements_comment_with_it() -> None:
    """govalidator's types.go: a piece reached its size at `// TagMap is a map of functions ...`, cut before that
    comment's first line's statement-opening look, and `var TagMap` opened the next piece without its doc (probe 128).
    The comment lines right above a statement go with it; a long run of comments alone is still cut."""
    n = unit_rules.MODULE_PIECE_LINES
    src = ("package p\n\n" + "".join(f"const C{i} = {i}\n" for i in range(n - 3))
           + "\n// TagMap maps each tag name to the function that validates it.\n// Add your own to it.\n"
           "var TagMap = map[string]func(string) bool{\n\t\"a\": nil,\n}\n\n// Other is the next thing.\nvar Other = 1\n"
           ).encode()
    pieces = [u for u in parse_source(src, "go", "p.go") if u.kind == "module"]
    (tagmap,) = [p for p in pieces if "var TagMap" in p.code]
    assert tagmap.code.startswith("// TagMap maps"), [(p.start_line, p.end_line) for p in pieces]
    assert not any("TagMap maps" in p.code for p in pieces if p is not tagmap)
    assert _uncovered(src, "go", "p.go") == []
    notes = ("".join(f"# note {i}\n" for i in range(12 * n)) + "X = 1\n").encode()
    assert max(u.end_line - u.start_line + 1 for u in parse_source(notes, "python", "notes.py")) <= unit_rules.COMMENT_RUN_LINES


def test_a_long_package_comment_is_one_piece_and_the_packages_documentation() -> None:
    """go-flags: a 250-line `/* Package flags ... */` above `package flags`, cut into pieces of 120 lines, was three
    pieces of prose taken for code, first for questions about the package's functions (probe 181)."""
    from codesearch.search.ranking import non_main_kind

    doc = "/*\nPackage flags provides an extensive command line option parser.\n" + "".join(
        f"Line {i} says how options, groups and commands are declared with struct tags.\n" for i in range(250)) + "*/\n"
    src = (doc + "package flags\n\nfunc Parse(data interface{}) ([]string, error) {\n\treturn nil, nil\n}\n").encode()
    pieces = [u for u in parse_source(src, "go", "flags.go") if u.kind == "module"]
    assert len(pieces) == 1 and pieces[0].start_line == 1, [(p.start_line, p.end_line) for p in pieces]
    assert non_main_kind("flags.go", "flags", pieces[0].code, doc, "go") == "documentation"


@pytest.mark.parametrize("extra", [100, 21])  # 21: a 174-line function's last 14 lines were in no window (fault sweep 2)
def test_a_long_function_gets_windows_that_point_at_it(extra) -> None:
    body = "".join(f"    total += step_{i}(x)\n" for i in range(unit_rules.WINDOW_AFTER + extra))
    src = f"def crunch(x):\n    total = 0\n{body}    return total\n".encode()
    units = parse_source(src, "python", "c.py")
    (whole,) = [u for u in units if u.kind == "function"]
    windows = [u for u in units if u.kind == "window"]
    assert windows and all(w.qualified_name == "crunch" and whole.start_line < w.start_line <= w.end_line <= whole.end_line
                           for w in windows)
    assert windows[-1].end_line == whole.end_line and windows[0].start_line == 1 + unit_rules.WINDOW_STEP
    assert all(a.end_line >= b.start_line for a, b in zip(windows, windows[1:]))  # they overlap
    assert all(b.start_line - a.start_line >= unit_rules.WINDOW_STEP for a, b in zip(windows, windows[1:]))  # not
    # twice the same lines (a tail window 148-207 beside 144-203: probe 189)
    short = parse_source(b"def f():\n    return 1\n", "python", "s.py")
    assert [u.kind for u in short] == ["function"]


def test_only_units_with_enough_code_of_their_own_get_a_vector() -> None:
    """Imports, re-exports and a class that only holds its methods are found by their words; a route
    table, a configuration block or a type with real fields is worth a vector (the +25 % budget)."""
    from codesearch.parse.documents import LEXICAL_ONLY, unit_hash

    def embedded(src: str, path: str, language: str = "python") -> dict:
        return {(u.kind, u.qualified_name): not unit_hash(u).startswith(LEXICAL_ONLY)
                for u in parse_source(src.encode(), language, path)}

    imports = "".join(f"import mod_{i}\n" for i in range(12)) + "\n\ndef f():\n    return 1\n"
    assert embedded(imports, "a.py") == {("module", "a"): False, ("function", "f"): True}
    table = "".join(f"ROUTE_{i} = ('/path/{i}', handler_{i})\n" for i in range(6))
    assert embedded(table, "routes.py") == {("module", "routes"): True}
    assert embedded(table.replace("ROUTE_5", "# ROUTE_5"), "routes.py") == {("module", "routes"): False}
    holder = "class Holder:\n    def a(self):\n        return 1\n\n    def b(self):\n        return 2\n"
    fields = "class Settings:\n" + "".join(f"    field_{i}: int = {i}\n" for i in range(10))
    assert embedded(holder + "\n\n" + fields, "s.py") == {
        ("type", "Holder"): False, ("method", "Holder.a"): True, ("method", "Holder.b"): True, ("type", "Settings"): True}
    reexports = "".join(f"export {{ part{i} }} from './part{i}';\n" for i in range(8))
    assert embedded(reexports, "index.ts", "typescript") == {("module", "index"): False}
    def callback(steps: int) -> str:  # the call's own line counts: steps + 1 lines of its own
        return "app.get('/users', function (req, res) {\n" + "".join(f"  step{i}(req);\n" for i in range(steps)) + "});\n"

    assert embedded(callback(5), "app.js", "javascript") == {("block", "app: app.get('/users')"): True}
    assert embedded(callback(4), "app.js", "javascript") == {("block", "app: app.get('/users')"): False}


BOUND_CALLS = b"""export const fetchUserById = createAsyncThunk('users/fetchById', async (userId) => {
  const response = await fetch(`/api/users/${userId}`)
  return response.json()
})

export const usersSlice = createSlice({
  name: 'users',
  reducers: {
    clearUsers(state) {
      state.entities = []
    },
  },
})

exports.handler = middy(async (event) => {
  return event.body
})

const { pick, drop } = makeHelpers({
  pick(list) {
    return list[0]
  },
})
"""


COMMONJS = b"""/** A queue of fixed-size circular buffers. */
module.exports = class FixedQueue {
  push (data) {
    this.head.push(data)
  }
}
module.exports.getCallers = function getCallers () {
  return new Error().stack
}
exports.Parser = class {
  parse (x) {
    return x
  }
}
const Pool = class {
  run () {
    return 1
  }
}
customElements.define('x-foo', class extends HTMLElement {
  connected () {
    return 2
  }
})
webidl.converters['long long'] = function (V) {
  return V
}
"""


@pytest.mark.parametrize("language,path", [("javascript", "lib/fixed-queue.js"), ("typescript", "lib/fixed-queue.ts")])
def test_a_class_or_function_assigned_to_the_exports_or_a_name_is_named_as_exported(language: str, path: str) -> None:
    """undici's `module.exports = class FixedQueue {...}` had no type unit and methods named
    `module.exports.FixedQueue.push`, so "FixedQueue" found its `require` lines first; `const Pool = class {` gave
    `Pool.Pool.run`. A class expression is a type named as it is exported or bound; one given to a call is not. A
    function assigned to a string key is named by it."""
    units = {(u.kind, u.qualified_name) for u in parse_source(COMMONJS, language, path)}
    assert {("type", "FixedQueue"), ("method", "FixedQueue.push"), ("function", "getCallers"), ("type", "Parser"),
            ("method", "Parser.parse"), ("type", "Pool"), ("method", "Pool.run"), ("method", "connected"),
            ("function", "webidl.converters.long long")} <= units  # undici's converters by string keys
    assert not any("exports" in q or q.startswith("Pool.Pool") for _, q in units)
    assert [q for k, q in units if k == "type"] and all(q in ("FixedQueue", "Parser", "Pool") for k, q in units if k == "type")
    nameless = parse_source(b"module.exports = function (opts) {\n  return opts\n}\n", language, path)
    assert [(u.kind, u.name) for u in nameless] == [("function", "fixedQueue")]  # as imported


@pytest.mark.parametrize("language,path", [("javascript", "users.js"), ("typescript", "users.ts")])
def test_a_binding_whose_value_is_a_call_names_the_units_inside(language: str, path: str) -> None:
    """`const fetchUser = createAsyncThunk(..., async () => {...})` and `const slice = createSlice({reducers: {...}})`
    and `exports.handler = middy(async () => {...})` (Redux, React.memo, middy: everyday JS/TS) name their block and
    methods after the binding, as `const api = {...}` does; a destructuring pattern is no name."""
    units = {(u.kind, u.qualified_name) for u in parse_source(BOUND_CALLS, language, path)}
    assert ("function", "fetchUserById") in units  # the function it wraps, by its name (probe 100)
    assert ("method", "usersSlice.reducers.clearUsers") in units
    assert ("block", "handler: middy()") in units  # exported as `handler`
    assert ("method", "pick") in units


@pytest.mark.parametrize("language,path,source", [
    ("typescript", "src/index.ts",
     "import {\n  createSlice,\n  createAction,\n  createReducer,\n  configureStore,\n  nanoid,\n  isPlainObject,\n"
     "} from './toolkit';\nexport {\n  a,\n  b,\n  c,\n  d,\n  e,\n  f,\n} from './more';\nconst x = 1;\n"),
    ("python", "pkg/__init__.py",
     "from .core import (\n    alpha,\n    beta,  # noqa (re-exported\n    gamma,\n    delta,\n    epsilon,\n    zeta,\n)\nVERSION = '1'\n"),
    ("go", "pkg/imports.go", 'package pkg\n\nimport (\n\t"fmt"\n\t"io"\n\t"net/http"\n\t"os"\n\t"strings"\n\t"sync"\n)\n\nvar x = 1\n'),
])
def test_a_multi_line_import_is_plumbing_not_code_worth_a_vector(language, path, source) -> None:
    # the names of an import spread over lines said where code is, not what it does, as a one-line import does
    piece = [u for u in parse_source(source.encode(), language, path) if u.kind == "module"][0]
    assert not unit_rules.worth_embedding(piece)
    more = source + "".join(f"total_{i} = compute({i})\n" if language == "python" else f"var total{i} = compute({i})\n"
                            for i in range(unit_rules.EMBED_MIN_LINES["module"]))
    grown = [u for u in parse_source(more.encode(), language, path) if u.kind == "module"][0]
    assert unit_rules.worth_embedding(grown)  # real module code past the imports still earns one


def _factory(parts: int) -> str:
    """A JavaScript closure factory (less's Parser) whose body is nested functions, each a unit of its own."""
    body = "".join(f"    function part{i}(input) {{\n        const value = input + {i};\n        return value * 2;\n    }}\n"
                   for i in range(parts))
    return f"function Parser(input) {{\n    const state = {{}};\n{body}    return state;\n}}\n"


def test_a_long_function_made_of_nested_units_gets_no_windows_repeating_them() -> None:
    parts = unit_rules.WINDOW_AFTER  # 4 lines each: far longer than WINDOW_AFTER, almost nothing of its own
    units = parse_source(_factory(parts).encode(), "javascript", "lib/parser.js")
    assert len([u for u in units if u.kind == "function"]) == parts + 1
    assert [u for u in units if u.kind == "window"] == []


def test_overload_signatures_get_no_windows() -> None:
    """radash: `compose`'s 291 lines of overload signatures became five windows that came up for other questions (probe
    152): a window of signatures only is none; one reaching the implementation (or its doc) stays."""
    signatures = "".join(f"export function pipe<A{i}>(a: A{i}, step{i}: (x: A{i}) => A{i}): A{i}\n"
                         for i in range(2 * unit_rules.WINDOW_AFTER))
    body = "".join(f"  value = steps[{i}](value)\n" for i in range(unit_rules.WINDOW_AFTER + 20))
    short = signatures + "export function pipe(value: any, ...steps: any[]) {\n  return value\n}\n"
    long = signatures + "export function pipe(value: any, ...steps: any[]) {\n" + body + "  return value\n}\n"
    signed = len(signatures.splitlines())
    few = [u for u in parse_source(short.encode(), "typescript", "src/pipe.ts") if u.kind == "window"]
    assert len(few) <= 1 and all(u.end_line > signed for u in few)  # only one reaching the implementation
    windows = [u for u in parse_source(long.encode(), "typescript", "src/pipe.ts") if u.kind == "window"]
    assert len(windows) >= 3 and all(u.end_line > signed for u in windows)


def test_a_window_elides_the_units_nested_in_it() -> None:
    own = [f"    total += step_{i}(x)\n" for i in range(unit_rules.WINDOW_AFTER + 100)]
    helper = "    def helper(y):\n        return y + 1\n"
    half = len(own) // 2
    src = f"def crunch(x):\n    total = 0\n{''.join(own[:half])}{helper}{''.join(own[half:])}    return total\n"
    units = parse_source(src.encode(), "python", "c.py")
    windows = [u for u in units if u.kind == "window"]
    assert windows and not any("return y + 1" in w.code for w in windows)
    assert any(unit_rules.ELIDED in w.code for w in windows)  # the window that spans the helper says so
    assert all(len(w.code.split("\n")) == w.end_line - w.start_line + 1 for w in windows)  # previews number lines right
    assert all(w.qualified_name == "crunch" for w in windows)



CLASS_FIELDS = b"""export class Virtualizer {
  getMeasurements = memo(
    () => [this.options.count],
    (count) => {
      return [count]
    },
    { key: 'getMeasurements', debug: () => this.options.debug },
  )
  validateAsync = async () => {
    const runOne = async (v) => {
      return v
    }
    return runOne(1)
  }
  constructor(opts) {
    this.scrollToIndex = (index) => {
      return index * 2
    }
    this._output = {
      writeErr: (str) => process.stderr.write(str),
      getErrHelpWidth: () =>
        process.stderr.columns,
    }
  }
}
"""


@pytest.mark.parametrize("language,path", [("javascript", "src/index.js"), ("typescript", "src/index.ts")])
def test_a_class_fields_functions_are_named_by_the_field(language: str, path: str) -> None:
    """virtual-core: `getMeasurements = memo(...)` was the block `Virtualizer: memo()`, its options' `debug` a method
    `Virtualizer.debug` the class has not, `runOne` inside the field `validateAsync` was `Virtualizer.runOne`; a
    compiled `this.scrollToIndex = () => {}` in the constructor was `Virtualizer.constructor.this.scrollToIndex`, so
    it never met the source's `Virtualizer.scrollToIndex` as one copy."""
    units = {(u.kind, u.name, u.qualified_name) for u in parse_source(CLASS_FIELDS, language, path)}
    assert {("method", "getMeasurements", "Virtualizer.getMeasurements"),  # a method by its field (probe 101)
            ("method", "debug", "Virtualizer.getMeasurements.debug"),
            ("function", "runOne", "Virtualizer.validateAsync.runOne"),
            ("method", "scrollToIndex", "Virtualizer.scrollToIndex"),
            # an object of functions set on `this` in the constructor is the class's member, not
            # `Virtualizer.constructor.this._output` (commander's `_outputConfiguration`: probe 162)
            ("method", "getErrHelpWidth", "Virtualizer._output.getErrHelpWidth")} <= units
    # a private field holding a function is a method too (pacer's 71 `#tick = () => {...}` were no units: probe 191)
    private = (b"export class Retryer {\n  /** The delay before the next attempt. */\n  #calculateWait = (attempt) => {\n"
               b"    const timeoutId = setTimeout(go, 1)\n    return attempt * 2\n  }\n}\n")
    assert {(u.kind, u.qualified_name, u.docstring) for u in parse_source(private, language, path) if u.kind == "method"} == {
        ("method", "Retryer.#calculateWait", "The delay before the next attempt.")}
    nameless = b"define('x', class extends Base {\n  constructor () {\n    this.onClick = () => {\n      return 1\n    }\n  }\n})\n" \
               b"obj[''] = function () {\n  return 2\n}\n"
    assert all(u.name and not u.qualified_name.startswith(".") for u in parse_source(nameless, language, path))


def test_a_doc_block_one_blank_line_above_its_function_is_its_doc() -> None:
    """body-parser (the express and jshttp style) leaves a blank line under each JSDoc block: every function lost its
    doc, and the module piece holding the orphaned docs matched every question about its file. A file's header (a
    licence, "Module dependencies.") is no function's doc."""
    src = (b"/*!\n * body-parser\n * Copyright(c) 2014 Jonathan Ong\n */\n\n'use strict'\n\n/**\n * Module dependencies.\n"
           b" */\n\nvar bytes = require('bytes')\n\n/**\n * Create a middleware to parse JSON bodies.\n *\n"
           b" * @param {object} [options]\n * @public\n */\n\nfunction json (options) {\n  return parse(options)\n}\n\n"
           b"/**\n * Module exports.\n */\n\nmodule.exports = json\n")
    units = parse_source(src, "javascript", "json.js")
    (fn,) = [u for u in units if u.kind == "function"]
    assert fn.docstring.startswith("Create a middleware to parse JSON bodies.")
    assert not any("Create a middleware" in u.code for u in units if u.kind == "module")
    first = parse_source(b"/**\n * Copyright 2020 Someone\n */\n\nfunction f () {\n  return 1\n}\n", "javascript", "f.js")
    assert [u.docstring for u in first if u.kind == "function"] == [""]


def test_a_docstring_past_a_long_signature_is_embedded_first() -> None:
    """cattrs: `make_dict_structure_fn`'s typed parameters alone took 128 to 221 tokens, so the model (MiniLM reads
    128) saw only them, not the docstring that says what the function does; semantic rank 97 and 181."""
    from codesearch.parse.documents import DOC_FIRST_AFTER, document_text

    params = ",\n".join(f"    option_{i}: Optional[Dict[str, Callable[[Any], Any]]] = None" for i in range(12))
    long = parse_source(f'def dispatch(\n    target,\n{params},\n):\n    """Send an email notification."""\n    return send(target)\n'
                        .encode(), "python", "m.py")[-1]
    short = parse_source(b'def dispatch(target):\n    """Send an email notification."""\n    return send(target)\n',
                         "python", "m.py")[-1]
    assert long.code.find("Send an email") > DOC_FIRST_AFTER
    assert document_text(long).startswith("Send an email notification.\n")
    assert document_text(short) == short.code  # a docstring near the top is read where it is, once


def test_a_files_licence_header_is_not_what_its_module_piece_embeds() -> None:
    """Markdown: every file opens with the same copyright and licence comment, and a model reading a unit's first
    tokens read that: 37 of 55 module pieces embedded as 7 vectors, `similar` called two files' pieces the same (1.000).
    The header stays among the piece's words; a comment that states no licence stays in what it embeds."""
    from codesearch.parse.documents import document_text, unit_hash

    header = "# Python Markdown\n\n# Copyright 2007-2023 The Python Markdown Project\n# License: BSD\n\n"
    toc, cookies = (parse_source(f'{header}"""{doc}"""\n\nimport re\n\nNAME = "{name}"\nLIMIT = 1\nDEPTH = 2\nSEP = "-"\n'
                                 f"PREFIX = 'x'\n".encode(), "python", f"{name}.py")[0]
                    for name, doc in (("toc", "A table of contents from the headings."), ("cookies", "Signed cookies.")))
    assert document_text(toc).startswith('"""A table of contents') and "Copyright" in toc.code
    assert unit_hash(toc) != unit_hash(cookies)
    java = parse_source(b"/*\n * Licensed to the Apache Software Foundation (ASF).\n */\npackage org.a;\n\nimport java.util.List;\n",
                        "java", "A.java")[0]
    assert document_text(java).startswith("package org.a;")
    php = parse_source(b"<?php\n/*\n * This file is part of Twig.\n * For the full copyright and license information.\n */\n"
                       b"namespace Twig;\n\nconst X = 1;\n", "php", "Compiler.php")[0]
    assert document_text(php).startswith("<?php\nnamespace Twig;")
    plain = parse_source(b"# The table of contents extension.\nX = 1\n", "python", "toc.py")[0]
    assert document_text(plain).startswith("# The table of contents")
    # what follows the licence and says what the file is for stays: Go's package comment, a JS module's doc block,
    # code after the licence block's `*/` on its line
    from codesearch.parse.documents import without_licence

    go = "// Copyright 2020 X\n// Use of this source is governed by a BSD license.\n\n// Package ratelimit limits.\npackage r"
    assert without_licence(go) == "// Package ratelimit limits.\npackage r"
    assert without_licence("/*! license MIT */\n/** Retries. @module retry */\nvar x = 1;").startswith("/** Retries.")
    assert without_licence("/* Copyright X */ int x = 1;\nint y;") == "int x = 1;\nint y;"
    # and a preview opens past it when no line holds the question's words (afero.go showed its licence: probe 78)
    from codesearch.parse.documents import past_licence

    assert past_licence(go) == 3 and past_licence("package r\n// Copyright X\n") == 0
    assert past_licence("<?php\n/* Copyright X\n * MIT licence */\nnamespace A;") == 3


def test_a_modules_docstring_gets_a_vector_however_short() -> None:
    """Markdown's extensions (nl2br.py: a paragraph saying it turns newlines into line breaks, an import and a
    constant) were words only, under the module pieces' six lines: "turn single newlines into line breaks" found it
    ninth. One per file; a short piece without a docstring stays words only."""
    with_doc = parse_source(b'"""Treat newlines as hard line breaks."""\nfrom x import y\nBR_RE = r"\\n"\n', "python", "nl2br.py")
    without = parse_source(b'from x import y\nBR_RE = r"\\n"\n', "python", "nl2br.py")
    assert unit_rules.worth_embedding(with_doc[0]) and not unit_rules.worth_embedding(without[0])
    ruby = parse_source(b'# Treat newlines as hard line breaks.\nrequire "x"\nBR = 1\n', "ruby", "nl2br.rb")
    assert not unit_rules.worth_embedding(ruby[0])


def test_a_package_comment_gets_a_vector_however_short() -> None:
    """gorilla/websocket's doc.go (227 lines of `// Package websocket ...`), pflag's `/* Package pflag ...` and a javadoc
    above `package` were words only, no lines of code of their own (probes 63, 64): "which Conn methods can be called
    concurrently" met doc.go by words alone. A module piece whose comments say twelve words past the licence gets a
    vector; a licence and a package line do not."""
    doc = (b"// Copyright 2013 The Gorilla WebSocket Authors. All rights reserved.\n// license that can be found in the "
           b"LICENSE file.\n\n// Package websocket implements the WebSocket protocol. Connections support one concurrent "
           b"reader and one concurrent writer.\npackage websocket\n")
    licence = (b"// Copyright 2013 The Gorilla WebSocket Authors. All rights reserved. Use of this source code is\n"
               b"// governed by a BSD-style license that can be found in the LICENSE file of this repository.\n"
               b"package websocket\n")
    pieces = [u for u in parse_source(doc, "go", "doc.go") if u.kind == "module"]
    bare = [u for u in parse_source(licence, "go", "conn.go") if u.kind == "module"]
    assert pieces and all(unit_rules.worth_embedding(u) for u in pieces)
    assert bare and not any(unit_rules.worth_embedding(u) for u in bare)
    # a generator's stamp and build directives say nothing of what the code is for; "permission" in a doc is a word
    generated = (b"// Code generated by protoc-gen-go. DO NOT EDIT.\n// versions:\n// \tprotoc-gen-go v1.28.1\n"
                 b"// \tprotoc v3.21.12\n// source: api/v1/service.proto\n\npackage api\n")
    directives = b"//go:build linux && amd64 && !purego && cgo && go1.21 && !appengine\n// +build linux,amd64\n\npackage x\n"
    rbac = (b"// Package rbac checks whether a user has permission to act on a resource, by the roles the user holds.\n"
            b"package rbac\n")
    assert not any(unit_rules.worth_embedding(u) for u in parse_source(generated, "go", "service.pb.go") if u.kind == "module")
    assert not any(unit_rules.worth_embedding(u) for u in parse_source(directives, "go", "x.go") if u.kind == "module")
    mpl = (b"/* This Source Code Form is subject to the terms of the Mozilla Public\n * License, v. 2.0. If a copy of the "
           b"MPL was not distributed with this\n * file, You can obtain one at http://mozilla.org/MPL/2.0/. */\n\n"
           b"import { a } from './a.js';\n")
    assert not any(unit_rules.worth_embedding(u) for u in parse_source(mpl, "javascript", "mpl.js") if u.kind == "module")
    assert all(unit_rules.worth_embedding(u) for u in parse_source(rbac, "go", "doc.go") if u.kind == "module")
    block = b"/*\nPackage pflag is a drop-in replacement for Go's flag package, implementing\nPOSIX/GNU-style --flags.\n*/\npackage pflag\n"
    assert all(unit_rules.worth_embedding(u) for u in parse_source(block, "go", "flag.go") if u.kind == "module")


def test_a_block_doc_comment_without_marks_on_its_lines_is_not_module_code() -> None:
    """backoff's tries.go: `/*` on its own line, the doc in plain lines, `*/`: the module piece repeated
    WithMaxRetries' doc (a second hit for its words, and `similar` on a line of it answered the module)."""
    src = (b'package a\n\nimport "time"\n\n/*\nWrap creates a wrapper which stops after too many tries since reset.\n'
           b"*/\nfunc Wrap(d time.Duration) time.Duration {\n\treturn d\n}\n")
    units = parse_source(src, "go", "a.go")
    (fn,) = [u for u in units if u.kind == "function"]
    assert "too many tries" in fn.docstring
    assert not any("too many tries" in u.code for u in units if u.kind == "module")
    lines = src.decode().split("\n")
    assert list(unit_rules.doc_rows(fn, lines)) == [5, 6, 7]
    assert list(unit_rules.doc_rows(fn, lines[:3])) == []  # the file read again is shorter now (similar): no rows
    # a block comment after code on its line is that code's remark, and the line stays the module's
    code = b'package a\n\nvar timeout = 5 /* seconds */\n// Foo waits.\nfunc Foo() int {\n\treturn timeout\n}\n'
    units = parse_source(code, "go", "b.go")
    assert any("var timeout = 5" in u.code for u in units if u.kind == "module")


INVOKED = b"""'use strict';

var hexTable = (function () {
    var array = [];
    for (var i = 0; i < 256; ++i) {
        array.push('%' + i.toString(16));
    }
    return array;
}());

var lookup = (function () {
    var out = {};
    for (var i = 0; i < 10; ++i) {
        out[i] = i * 2;
    }
    return out;
})();

(function (root, factory) {
    root.lib = factory();
    var a = 1;
    var b = 2;
    var c = 3;
})(this, function () {
    return 1;
});
"""


def test_a_function_run_where_it_is_written_is_named_by_its_variable() -> None:
    """qs' `var hexTable = (function () {...}())` was the block `utils: ()` and `(function () {...})()` no unit at all:
    `hexTable` found its user `encode` first (probe 52). A UMD wrapper's factory is named `()`, not the wrapper's text."""
    units = {(u.kind, u.name, u.qualified_name, u.start_line) for u in parse_source(INVOKED, "javascript", "lib/utils.js")}
    assert ("block", "hexTable", "utils: hexTable", 3) in units
    assert ("block", "lookup", "utils: lookup", 11) in units
    assert ("block", "()", "utils: ()", 19) in units


CHOSEN = b"""const debug = (
  typeof process === 'object' &&
  /\\bsemver\\b/i.test(process.env.NODE_DEBUG)
) ? (...args) => console.error('SEMVER', ...args)
  : () => {}

module.exports = debug
"""


@pytest.mark.parametrize("language,path", [("javascript", "internal/debug.js"), ("typescript", "internal/debug.ts")])
def test_a_function_chosen_when_the_module_loads_is_a_unit(language: str, path: str) -> None:
    """semver's internal/debug.js: `const debug = cond ? (...args) => ... : () => {}` was module code only."""
    units = [(u.kind, u.name, u.start_line, u.end_line) for u in parse_source(CHOSEN, language, path)]
    assert ("function", "debug", 1, 5) in units


def test_a_line_opening_with_a_regex_literal_is_code() -> None:
    """`/\\bsemver\\b/i.test(...)` counted as a comment line, leaving semver's debug.js too small for a vector."""
    assert unit_rules.own_lines("if (\n  /\\bx\\b/i.test(s)\n) {\n  // a comment\n  /* another */\n}") == [
        "if (", "/\\bx\\b/i.test(s)"]


def test_a_block_comments_unmarked_lines_are_no_code() -> None:
    """json-simple's licence, `/* Copyright ...` then plain lines: they counted as the module piece's own lines, which
    then got a vector for its `package` line alone and matched off-topic questions (probe 59)."""
    code = "/* Copyright 2016 Clifton Labs\n   Licensed under the Apache License\n   limitations. */\npackage org.json;\n"
    assert unit_rules.own_lines(code, "java") == []
    assert unit_rules.own_lines("int x = 1; /* note */\n/* one */\nreturn x;", "java") == ["int x = 1; /* note */", "return x;"]


def test_a_type_ending_with_a_left_out_method_is_laid_out_to_its_last_line() -> None:
    """A Python class ends with a method: its stored text ends with that method's `…`, which the layout kept (review:
    the shown text stopped at the method's signature, three lines short)."""
    lines = "class H:\n    def start(self):\n        return 1\n\n    def stop(self):\n        x = 2\n        return x\n".split("\n")
    laid = unit_rules.positioned("class H:\n    def start(self):\n        …\n\n    def stop(self):\n        …", lines, 1, 1, 7)
    assert laid is not None and laid.split("\n") == ["class H:", "    def start(self):", "        …", "",
                                                      "    def stop(self):", "        …", ""]


def test_a_blank_line_after_a_left_out_method_is_not_read_inside_that_method() -> None:
    """liquid's Liquid::Context showed find_variable's body lines in its preview: the blank line below a left-out method
    met the first blank line inside it, and the lines from there to the next member were copied (probe 75)."""
    lines = ("class Box\n  def open_lid\n    secret = 1\n\n    hidden_body_line = secret + 2\n  end\n\n"
             "  def close_lid\n    3\n  end\nend\n").split("\n")
    laid = unit_rules.positioned("class Box\n  def open_lid\n      …\n\n  def close_lid\n      …\nend", lines, 1, 1, 11)
    assert laid is not None and "hidden_body_line" not in laid
    assert laid.split("\n")[7] == "  def close_lid" and laid.split("\n")[10] == "end"


def test_a_pieces_last_line_is_laid_on_its_own_row_not_on_the_last_left_out_definitions() -> None:
    """twig's DebugExtension.php: a bracketed `namespace ... {` whose piece ends in the namespace's `}` after a function
    left out; that `}` was laid on the function's own `}`, a line early, the preview's numbers off by one (met
    checking probe 96's fault): a unit's last line stands on its end_line."""
    text = "<?php\n\nnamespace App\\Debug {\nuse App\\Env;\n\nfunction dump_vars($env)\n{\n    return 1;\n}\n}\n"
    piece = next(u for u in parse_source(text.encode(), "php", "debug.php") if u.kind == "module")
    laid = unit_rules.positioned(piece.code, text.split("\n"), piece.start_line, piece.start_col, piece.end_line)
    assert piece.code.endswith("…\n}") and laid is not None
    assert laid.split("\n")[5:] == ["…", "", "", "", "}"] and piece.end_line == 10


def test_a_source_map_pointer_is_no_code() -> None:
    """superagent's lib/ (Babel output) ends each file in `//# sourceMappingURL=data:...base64`: module pieces of 8-46 KB,
    mostly base64, filled answers, agents' tokens and the words list (probe 72)."""
    code = ("'use strict';\n\nconst LIMIT = 10;\n\nfunction add(a, b) {\n  return a + b;\n}\n"
            "//# sourceMappingURL=data:application/json;charset=utf-8;base64," + "eyJ2ZXJzaW9uIjozfQ" * 500 + "\n")
    units = parse_source(code.encode(), "javascript", "lib/add.js")
    assert all("sourceMappingURL" not in u.code for u in units) and max(len(u.code) for u in units) < 200
    assert any(u.kind == "module" and u.binds and u.binds[0][0] == "LIMIT" for u in units)



def test_an_overloaded_function_is_embedded_from_its_implementation() -> None:
    """react-router: `useBlocker`'s two overload signatures and its destructuring took all of MiniLM's 128 tokens, its
    body (`history.block`, the 'blocked' status) never read, and it was not among meaning's first 50 (probe 118): the
    text embedded starts at the implementation; its span, words and preview keep the signatures."""
    from codesearch.parse.documents import document_text
    from codesearch.parse.parsing import parse_source

    src = ("type Opts = { blockerFn?: BlockerFn }\n\nexport function useBlocker(opts?: Opts): Resolver\n\n"
           "/**\n * @deprecated Use the options object (e.g. `{ blockerFn }`) instead\n */\n"
           "export function useBlocker(\n  blockerFn?: BlockerFn,\n  condition?: boolean,\n): Resolver\n\n"
           "export function useBlocker(\n  blockerFnOrOpts?: BlockerFn | Opts,\n  condition?: boolean,\n): Resolver {\n"
           "  return history.block(() => 'blocked')\n}\n")
    unit = next(u for u in parse_source(src.encode(), "typescript", "useBlocker.tsx") if u.name == "useBlocker")
    assert unit.start_line == 3 and unit.code.startswith("export function useBlocker(opts?: Opts)")
    assert document_text(unit).startswith("export function useBlocker(\n  blockerFnOrOpts?"), document_text(unit)
    plain = next(u for u in parse_source(b"function f(a) {\n  return a\n}\n", "typescript", "f.ts") if u.name == "f")
    assert document_text(plain) == plain.code
    decorated = ("class Cats {\n  @Get(':id')\n  @UseGuards(AuthGuard)\n  async findOne(@Param('id') id: string) {\n"
                 "    return this.cats.find(id)\n  }\n}\n")  # a decorated method keeps its decorators (review)
    method = next(u for u in parse_source(decorated.encode(), "typescript", "cats.ts") if u.name == "findOne")
    assert document_text(method) == method.code and method.code.lstrip().startswith("@Get")


@pytest.mark.parametrize("language,source,empty,full", [
    ("typescript", "const c = {\n  proceed: () => {},\n  reset: () => { setX(1) },\n}\n", "c.proceed", "c.reset"),
    ("javascript", "function NOOP() {}\n\nfunction f(a) {\n  return a\n}\n", "NOOP", "f"),
    ("python", "def f():\n    pass\n\ndef g():\n    return 1\n", "f", "g"),
    # a body that ends in `pass` or `{}` is no empty one (review)
    ("python", "def f(a: int) -> None: ...\n\ndef close(s):\n    try:\n        s.sock.close()\n    except OSError:\n"
               "        pass\n", "f", "close"),
    ("python", "def f():\n    pass\n\ndef reset(self):\n    self.cache = {}\n", "f", "reset"),
    ("typescript", "class K {\n  n() {}\n  reset() { this.cache = {} }\n}\n", "K.n", "K.reset"),
    ("ruby", "def close; end\n\ndef x\n  1\nend\n", "close", "x"),
    ("go", "package a\n\nfunc (s *S) Close() {}\n\nfunc F() int {\n\treturn 1\n}\n", "S.Close", "F"),
    ("php", "<?php\nclass P {\n  public function boot() {}\n  public function n() { return 1; }\n}\n", "P::boot", "P::n"),
    ("java", "class J {\n  void run() { }\n  int n() { return 1; }\n}\n", "J.run", "J.n"),
])
def test_a_function_with_an_empty_body_and_no_doc_gets_no_vector(language: str, source: str, empty: str, full: str) -> None:
    """react-router's 21 `proceed: () => {}` stubs and ws' `NOOP` came first for questions nothing matched well
    (probes 116, 118): a function with nothing in its body and no doc is found by its name's words, not a vector."""
    units = {u.qualified_name: u for u in parse_source(source.encode(), language, "x")}
    assert not unit_rules.worth_embedding(units[empty]) and unit_rules.worth_embedding(units[full])
    documented = dataclasses.replace(units[empty], docstring="Runs once the dialog is closed.")
    assert unit_rules.worth_embedding(documented)


@pytest.mark.parametrize("language,path", [("typescript", "total.ts"), ("javascript", "total.js")])
def test_a_call_on_the_line_below_its_declaration_keeps_the_declaration_and_doc(language: str, path: str) -> None:
    """Prettier writes `export const createStructuredSelector: StructuredSelectorCreator =` and the call's
    `Object.assign(` on the next line: the block began at the call, its name and 50-line doc left in module code
    (reselect: probe 129). The block widens to the declaration it is the value of, whatever line that starts on."""
    annotation = ": Totaller" if language == "typescript" else ""
    src = (f"/**\n * Adds up every number in the list and returns the sum.\n */\nexport const total{annotation} =\n"
           "  Object.assign(\n    (xs) => {\n      let sum = 0\n      for (const x of xs) sum += x\n      return sum\n"
           "    },\n    { withTypes: () => total }\n  )\n\nrun(a,\n  wrap(() => {\n    go(a)\n  }))\n").encode()
    units = parse_source(src, language, path)
    (block,) = [u for u in units if "Object.assign" in u.code and u.kind == "block"]
    assert block.start_line == 4 and "Adds up every number" in block.docstring, (block.start_line, block.docstring)
    assert not any("Adds up" in u.code for u in units if u.kind == "module")
    (wrapped,) = [u for u in units if u.kind == "block" and "go(a)" in u.code]
    assert wrapped.start_line == 15  # an argument list is no declaration: the inner call's block stays on its line
    two = parse_source(b"const a = 1,\n  b = wrap(function () {\n    go(a)\n    return 1\n  })\n", language, path)
    assert [(u.kind, u.start_line) for u in two] == [("module", 1), ("function", 2)]  # not a's line: review


def test_a_doc_comment_without_stars_stays_with_its_statement() -> None:
    """true-myth writes its JSDoc without a `*` on each line: a module piece full at the doc took its lines for code,
    cut before the statement, and the next piece opened with the doc's closing `*/` (probe 176)."""
    n = unit_rules.MODULE_PIECE_LINES
    src = ("".join(f"const C{i} = {i};\n" for i in range(n - 3))
           + "\n/**\n  Requires callers to use the value a function returns.\n\n  @see the rule's docs\n */\n"
           "export const mustUse = createRule({\n  name: 'must-use',\n});\n").encode()
    pieces = [u for u in parse_source(src, "typescript", "rule.ts") if u.kind == "module"]
    (rule,) = [p for p in pieces if "export const mustUse" in p.code]
    assert rule.code.startswith("/**\n  Requires callers"), [(p.start_line, p.end_line) for p in pieces]
    assert not any("Requires callers" in p.code for p in pieces if p is not rule)
    assert _uncovered(src, "typescript", "rule.ts") == []


def test_an_interface_whose_members_are_documented_in_its_body_gets_a_vector() -> None:
    """logr: `type LogSink interface` documents each method in its body (no method of it is a unit), under the ten
    lines a type needs for a vector, so "which interface must a logging backend implement" could not find it by meaning
    (probe 180). Comments in a type's body saying TYPE_BODY_COMMENT_WORDS words earn it a vector."""
    go = (b"package logr\n\n// LogSink represents a logging implementation.\ntype LogSink interface {\n"
          b"\t// Init receives optional information about the logr library for LogSink\n\t// implementations that need it.\n"
          b"\tInit(info RuntimeInfo)\n\t// Enabled tests whether this LogSink is enabled at the given verbosity level.\n"
          b"\tEnabled(level int) bool\n\t// Info logs a non-error message with the given key/value pairs as context.\n"
          b"\tInfo(level int, msg string, keysAndValues ...interface{})\n}\n\n"
          b"// Marshaler is an optional interface.\ntype Marshaler interface {\n\tMarshalLog() interface{}\n}\n")
    types = {u.name: u for u in parse_source(go, "go", "logr.go") if u.kind == "type"}
    assert unit_rules.worth_embedding(types["LogSink"]) and not unit_rules.worth_embedding(types["Marshaler"])


def test_a_module_piece_does_not_reach_across_a_long_definition() -> None:
    """sortedcontainers' sortedlist.py: its docstring and imports and `SortedListWithKey = SortedKeyList` on its last
    line were one module piece of lines 1-2646, the whole file for an agent reading its span (probe 181): a piece
    ends before it would skip more than MODULE_PIECE_LINES lines of definitions."""
    body = "".join(f"        x = x + {i}\n" for i in range(100))
    src = ('"""Sorted list."""\nimport bisect\n\n\nclass SortedList:\n    def add(self, x):\n' + body + "        return x\n\n\n"
           "SortedListWithKey = SortedList\n").encode()
    pieces = [(u.start_line, u.end_line) for u in parse_source(src, "python", "sortedlist.py") if u.kind == "module"]
    assert pieces == [(1, 2), (110, 110)], pieces
    short = b'"""Short."""\nimport bisect\n\n\ndef f(x):\n    return x\n\n\nALIAS = f\n'
    assert [(u.start_line, u.end_line) for u in parse_source(short, "python", "s.py") if u.kind == "module"] == [(1, 9)]


def test_a_doc_a_blank_line_above_a_note_is_the_definitions() -> None:
    """@tanstack/db: `/** Creates a collection ... */`, a blank line, `// Overload for when schema is provided`, then the
    overloads: the note was the function's doc and the doc a module piece, which a question in the doc's words found
    before the function (probe 205). A file's header above a note stays the file's."""
    src = (b'import { save } from "./save"\n\n/**\n * Creates a widget store that persists widgets to localStorage.\n */\n\n'
           b"// Overload for when schema is provided\nexport function makeStore<T>(config: { schema: T }): T\n"
           b"// Overload for when no schema is provided\nexport function makeStore<T>(config: { key: string }): T\n"
           b"export function makeStore(config: any): any {\n  return save(config)\n}\n")
    units = parse_source(src, "typescript", "store.ts")
    (store,) = [u for u in units if u.name == "makeStore"]
    assert store.docstring == ("Creates a widget store that persists widgets to localStorage.\n"
                               "Overload for when schema is provided"), store.docstring  # each comment's marks gone
    assert not any("widget" in u.code for u in units if u.kind == "module"), [(u.kind, u.code) for u in units]
    assert _uncovered(src, "typescript", "store.ts") == []
    header = b"/**\n * @license MIT\n */\n\n// Overload\nexport function f(a: string): string\nexport function f(a: any) {\n  return a\n}\n"
    (f,) = [u for u in parse_source(b"const x = 1\n" + header, "typescript", "f.ts") if u.kind == "function"]
    assert "MIT" not in f.docstring and _uncovered(b"const x = 1\n" + header, "typescript", "f.ts") == []
    # a function switched off below the doc is no part of it (review)
    off = (b"const a = 1\n\n/**\n * Starts the server on the given port.\n */\n\n// function oldStart(port) {\n"
           b"//   listen(port);\n// }\nfunction start(port) {\n  return listen(port)\n}\n")
    (start,) = [u for u in parse_source(off, "javascript", "a.js") if u.name == "start"]
    assert start.docstring == "Starts the server on the given port."


def test_a_list_built_with_require_resolve_is_the_units_own_lines() -> None:
    """uglify-js' tools/node.js lists its library files with `require.resolve("../lib/utils.js")`: each line was read
    as an import, so the list got no vector (probe 236); `require(...)` itself stays plumbing."""
    from codesearch.parse.units import is_plumbing, own_lines

    code = "exports.FILES = [\n" + "".join(f'    require.resolve("../lib/{n}.js"),\n' for n in
                                            ("utils", "ast", "parse", "scope", "compress", "output")) + "];\n"
    assert len(own_lines(code, "javascript")) >= 7
    assert is_plumbing("require('fs')") and is_plumbing("require_relative 'x'") and not is_plumbing('require.resolve("x")')
