"""Parsing: every construct of every language, and messy real-world input."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from codesearch.parse.parsing import parse_source
from codesearch.query import Query

LANGS = Path(__file__).parents[1] / "fixtures" / "languages"

# (qualified_name, kind, start_line, end_line, docstring) per fixture, in file order.
EXPECTED = {
    ("python", "python/sample.py"): [
        ("top_level", "function", 5, 7, "Add two numbers."),
        ("fetch_page", "function", 10, 15, "Fetch a page asynchronously.\n\nMore detail here."),
        ("Cache.__init__", "constructor", 21, 22, ""),
        ("Cache.decorated", "method", 24, 28, "Decorated method."),
        ("Cache.Entry.touch", "method", 31, 33, "Mark the entry as used."),
        ("outer", "function", 36, 39, ""),
        ("outer.inner", "function", 37, 38, ""),
    ],
    ("go", "go/sample.go"): [
        ("Store.Get", "method", 8, 10, 'Get returns the value for key.\nIt returns "" when missing.'),
        ("Store.Len", "method", 12, 14, ""),
        ("Map", "function", 17, 23, "Map applies f to every element."),
        ("NewStore", "function", 26, 28, "NewStore makes a Store."),
        ("List.Push", "method", 30, 32, ""),
        ("init", "function", 36, 40, ""),
    ],
    ("ruby", "ruby/sample.rb"): [
        ("Billing::Invoice#total", "method", 6, 8, "Total of all lines.\nIncludes tax."),
        ("Billing::Invoice.create", "method", 11, 13, "Build an invoice."),
        ("Billing::Invoice.find", "method", 17, 19, "Find by id."),
        ("Billing::Invoice#paid?", "method", 22, 24, ""),
        ("Billing::Invoice#pay!", "method", 26, 28, ""),
        ("Billing::Invoice#initialize", "constructor", 30, 32, ""),
        ("helper", "function", 36, 38, ""),
    ],
    ("java", "java/Sample.java"): [
        ("Sample.Sample", "constructor", 13, 15, "Creates a sample.\n@param count the count"),
        ("Sample.doubled", "method", 18, 22, "Returns the count doubled."),
        ("Sample.Inner.noBody", "method", 25, 25, ""),  # abstract and interface methods are units too
        ("Sample.Inner.run", "method", 28, 30, "Runs the inner thing."),
        ("Sample.Greeter.greet", "method", 34, 34, ""),
        ("Sample.Greeter.hello", "method", 37, 39, "Default greeting."),
        ("Sample.Color.next", "method", 45, 47, ""),
        ("Sample.Point.Point", "constructor", 51, 53, ""),
        ("Sample.Point.sum", "method", 55, 57, ""),
    ],
    ("javascript", "javascript/sample.js"): [
        ("parseConfig", "function", 5, 7, "Parse the configuration file.\n@param {string} path"),
        ("main", "function", 9, 11, ""),
        ("counter", "function", 13, 15, ""),
        ("add", "function", 18, 18, "Adds numbers."),
        ("mul", "function", 20, 22, ""),
        ("helper", "function", 24, 26, ""),  # exported as `helper`
        ("api.get", "method", 29, 31, ""),
        ("api.post", "method", 32, 32, ""),
        ("api.remove", "method", 33, 35, ""),
        ("Widget.constructor", "constructor", 39, 41, ""),
        ("Widget.render", "method", 44, 46, "Render the widget."),
        ("Widget.create", "method", 48, 50, ""),
        ("Widget.load", "method", 52, 54, ""),
        ("Widget.items", "method", 56, 58, ""),
        ("Widget.label", "method", 60, 62, ""),
    ],
    ("php", "php/sample.php"): [
        ("App\\Billing\\format_price", "function", 7, 9, "Format a price."),
        ("App\\Billing\\Invoice::__construct", "constructor", 16, 18, "Create an invoice."),
        ("App\\Billing\\Invoice::total", "method", 21, 24, "Total of the lines."),
        ("App\\Billing\\Invoice::make", "method", 26, 28, ""),
        ("App\\Billing\\Invoice::nothing", "method", 30, 30, ""),  # abstract and interface methods: words only
        ("App\\Billing\\Loggable::log", "method", 34, 36, ""),
        ("App\\Billing\\Suit::color", "method", 42, 44, ""),
        ("App\\Billing\\Shape::area", "method", 48, 48, ""),
    ],
}

# A fixture may carry its expectations beside it (`<file>.expected.json`: the same tuples, as lists),
# so that adding a language is a spec, a query and fixtures.
for _expected in sorted(LANGS.glob("*/*.expected.json")):
    EXPECTED[(_expected.parent.name, f"{_expected.parent.name}/{_expected.name.removesuffix('.expected.json')}")] = [
        tuple(row) for row in json.loads(_expected.read_text("utf-8"))]


def _functions(source: bytes, language: str, path: str = "") -> list:
    """The function, method and constructor units (tests/parse/test_units.py covers the other kinds)."""
    return [u for u in parse_source(source, language, path) if u.kind in ("function", "method", "constructor")]


@pytest.mark.parametrize("language,fixture", list(EXPECTED))
def test_fixture_units(language: str, fixture: str) -> None:
    source = (LANGS / fixture).read_bytes()
    units = [u for u in parse_source(source, language, fixture) if u.kind in ("function", "method", "constructor")]
    got = [(u.qualified_name, u.kind, u.start_line, u.end_line, u.docstring) for u in units]
    assert got == EXPECTED[(language, fixture)]
    lines = source.decode().split("\n")
    for u in units:
        assert u.language == language and u.path == fixture
        assert u.name == u.qualified_name.replace("::", ".").replace("#", ".").replace("\\", ".").split(".")[-1]
        # the code is exactly the lines of the span
        span = "\n".join(lines[u.start_line - 1 : u.end_line])[u.start_col - 1 :]
        assert span.startswith(u.code) and span[len(u.code) :].strip() in ("", ",", ";")


def test_decorators_are_in_the_span() -> None:
    units = _functions(b"@app.route('/')\n@auth\ndef index():\n    return 1\n", "python")
    assert (units[0].start_line, units[0].code.splitlines()[0]) == (1, "@app.route('/')")


def test_decorators_in_a_class_body_are_in_the_span() -> None:
    src = b"class A {\n  /** Doc. */\n  @memo()\n  @log\n  total() {\n    return 1;\n  }\n}\n"
    (unit,) = _functions(src, "javascript")
    assert (unit.qualified_name, unit.start_line, unit.code.split("\n")[0], unit.docstring) == ("A.total", 3, "@memo()", "Doc.")


def test_export_and_assignments_are_in_the_span() -> None:
    src = b"export const f = async (x) => {\n  return x;\n};\nexport default function () {}\n"
    units = _functions(src, "javascript")
    assert [(u.name, u.code.split("\n")[0]) for u in units] == [
        ("f", "export const f = async (x) => {"),
        ("default", "export default function () {}"),
    ]


@pytest.mark.parametrize("path,name", [("source/core/utils/url-to-options.ts", "urlToOptions"),
                                       ("source/core/timed-out/index.ts", "timedOut"),
                                       ("src/components/Button.tsx", "Button"), ("lib/add_all.js", "addAll"),
                                       ("packages/foo/src/index.ts", "foo"), ("src/index.ts", "default"),
                                       ("lib/index.js", "default"), ("my.module.ts", "myModule")])
def test_a_nameless_default_export_is_named_as_its_module_is_imported(path: str, name: str) -> None:
    """got's `export default (url) => ...` in url-to-options.ts was a function named `default`: `urlToOptions` found
    its import block first, and every question saying "default" matched it by name."""
    language = {"ts": "typescript", "tsx": "tsx", "js": "javascript"}[path.rsplit(".", 1)[1]]
    src = b"export default (url, options) => {\n  return {protocol: url.protocol, ...options};\n};\n"
    assert [u.name for u in _functions(src, language, path)] == [name]
    named = b"export default function parse(text) {\n  return text;\n}\nfunction helper() {\n  return 1;\n}\n"
    assert [u.name for u in _functions(named, language, path)] == ["parse", "helper"]


def test_syntax_errors_still_yield_recovered_functions() -> None:
    src = b"def good():\n    return 1\n\ndef broken(:\n    pass\n\ndef also_good(x):\n    return x\n"
    names = [u.name for u in _functions(src, "python")]
    assert "good" in names and "also_good" in names


SIGNATURES = """export interface CreateSelectorFunction<
  MemoizeFunction extends UnknownMemoizer = typeof weakMapMemoize,
  ArgsMemoizeFunction extends UnknownMemoizer = typeof weakMapMemoize,
  StateType = any
> {
  <InputSelectors extends SelectorArray<StateType>, Result>(
    ...createSelectorArgs: [
      ...inputSelectors: InputSelectors,
      combiner: Combiner<InputSelectors, Result>
    ]
  ): OutputSelector<
    InputSelectors,
    Result,
    MemoizeFunction,
    ArgsMemoizeFunction
  > &
    InterruptRecursion

  <
    InputSelectors extends SelectorArray<StateType>,
    Result,
    OverrideMemoizeFunction extends UnknownMemoizer = MemoizeFunction,
    OverrideArgsMemoizeFunction extends UnknownMemoizer = ArgsMemoizeFunction
  >(
    ...createSelectorArgs: [
      ...inputSelectors: InputSelectors,
      combiner: Combiner<InputSelectors, Result>,
      createSelectorOptions: Simplify<
        CreateSelectorOptions<
          MemoizeFunction,
          ArgsMemoizeFunction,
          OverrideMemoizeFunction,
          OverrideArgsMemoizeFunction
        >
      >
    ]
  ): OutputSelector<
    InputSelectors,
    Result,
    OverrideMemoizeFunction,
    OverrideArgsMemoizeFunction
  > &
    InterruptRecursion

  <
    InputSelectors extends SelectorArray<StateType>,
    Result,
    OverrideMemoizeFunction extends UnknownMemoizer = MemoizeFunction,
    OverrideArgsMemoizeFunction extends UnknownMemoizer = ArgsMemoizeFunction
  >(
    inputSelectors: [...InputSelectors],
    combiner: Combiner<InputSelectors, Result>,
    createSelectorOptions?: Simplify<
      CreateSelectorOptions<
        MemoizeFunction,
        ArgsMemoizeFunction,
        OverrideMemoizeFunction,
        OverrideArgsMemoizeFunction
      >
    >
  ): OutputSelector<
    InputSelectors,
    Result,
    OverrideMemoizeFunction,
    OverrideArgsMemoizeFunction
  > &
    InterruptRecursion

  withTypes: <OverrideStateType extends StateType>() => CreateSelectorFunction<
    MemoizeFunction,
    ArgsMemoizeFunction,
    OverrideStateType
  >
}

/** Builds a widget from the given parts and registers it. */
export function buildWidget(parts: string[]): string {
  const joined = parts.join('-')
  return register(joined)
}

function register(name: string): string {
  return name.toUpperCase()
}
"""


def test_generic_call_signatures_without_semicolons_keep_their_interface() -> None:
    """tree-sitter-typescript reads `<T>(...)` on the line after a member's type as that type's arguments (TypeScript
    reads none across a line break): reselect's createSelectorCreator.ts lost its top (probe 129), immer's IProduce
    ended at its first signature and the interface below it was module code (probe 184). Each keeps its lines, and its
    code is the file's, without the `;` the parse added."""
    units = {u.qualified_name: u for u in parse_source(SIGNATURES.encode(), "typescript", "create.ts")}
    selector = units["CreateSelectorFunction"]
    assert selector.kind == "type" and (selector.start_line, selector.end_line) == (1, 74)
    assert selector.code == SIGNATURES[: SIGNATURES.index("\n}\n") + 2]
    widget = units["buildWidget"]
    assert widget.kind == "function" and (widget.start_line, widget.end_line) == (77, 80)
    assert widget.docstring.startswith("Builds a widget") and units["register"].start_line == 82
    produce = (b"/** Produce a next state */\nexport interface IProduce {\n\t<Curried>(recipe: Curried): Curried\n"
               b"\t<Base, D = Draft<Base>>(\n\t\tbase: Base,\n\t\tlistener?: PatchListener\n\t): Base\n"
               b"\t<Base>(base: Base): Base\n}\n\nexport interface Options {\n\tautoFreeze: boolean\n}\n")
    units = {u.qualified_name: u for u in parse_source(produce, "typescript", "types.ts")}
    assert (units["IProduce"].start_line, units["IProduce"].end_line) == (2, 9)
    assert units["IProduce"].code == produce.decode().split("\n", 1)[1].split("\n\n")[0]
    assert units["Options"].kind == "type" and (units["Options"].start_line, units["Options"].end_line) == (11, 13)
    jsx = b"export const A = () => (\n  <div>\n    <B />\n    <C>{x}</C>\n  </div>\n)\n"  # no error: nothing added
    (arrow,) = [u for u in parse_source(jsx, "tsx", "a.tsx") if u.name == "A"]
    assert arrow.code == jsx.decode().rstrip("\n")


UNCLOSED = """const settings = loadSettings(
  'app',

/** Builds a widget from the given parts and registers it. */
export function buildWidget(parts: string[]): string {
  const joined = parts.join('-')
  return register(joined)
}

function register(name: string): string {
  return name.toUpperCase()
}
"""


def test_a_file_whose_top_the_grammar_loses_is_read_part_by_part() -> None:
    """An unclosed call at a file's top made its root one error: its functions were module code (reselect's
    createSelectorCreator.ts: probe 129). Each part opening at the top is parsed alone, at its own lines."""
    units = {u.qualified_name: u for u in parse_source(UNCLOSED.encode(), "typescript", "create.ts")}
    widget = units["buildWidget"]
    assert widget.kind == "function" and (widget.start_line, widget.end_line) == (5, 8)
    assert widget.docstring.startswith("Builds a widget") and units["register"].start_line == 10
    # with an interface's signatures to end too, each part shows the file's code, no `;` added (review)
    produce = "export interface IProduce {\n  <Curried>(recipe: Curried): Curried\n  <Base>(base: Base): Base\n}\n\n"
    units = {u.qualified_name: u for u in parse_source((produce + UNCLOSED).encode(), "typescript", "create.ts")}
    assert units["IProduce"].code == produce.rstrip("\n") and units["register"].start_line == 15
    same = parse_source(UNCLOSED.replace("'app',\n", "'app')\n").encode(), "typescript", "c.ts")
    assert [(u.qualified_name, u.start_line) for u in same if u.kind == "function"] == [("buildWidget", 5), ("register", 10)]


def test_a_doc_that_only_points_at_the_parents_says_nothing() -> None:
    """json-schema: 25 of 157 methods were embedded as `{@inheritdoc}` and ranked 38th by meaning (probe 197): the tag
    is no words of the method's; words beside it stay."""
    src = (b"<?php\nclass Storage implements SchemaStorageInterface {\n    /**\n     * {@inheritdoc}\n     */\n"
           b"    public function resolveRef($ref) { return $ref; }\n    /**\n     * {@inheritDoc} Caches it too.\n     */\n"
           b"    public function getSchema($id) { return $id; }\n}\n")
    docs = {u.name: u.docstring for u in parse_source(src, "php", "Storage.php") if u.kind == "method"}
    assert docs == {"resolveRef": "", "getSchema": "Caches it too."}
    java = b"class A extends B {\n    /** @inheritDoc */\n    @Override\n    public int size() { return 0; }\n}\n"
    assert [u.docstring for u in parse_source(java, "java", "A.java") if u.name == "size"] == [""]


def test_latin1_does_not_shift_lines_or_crash() -> None:
    src = "# caf\xe9\n\ndef f():\n    return 'd\xe9j\xe0'\n\ndef g():\n    return 2\n".encode("latin-1")
    units = _functions(src, "python")
    assert [(u.name, u.start_line) for u in units] == [("f", 3), ("g", 6)]
    assert "d\xe9j\xe0" in units[0].code


def test_a_latin1_or_utf16_file_is_read_as_its_text() -> None:
    """A Latin-1 file's `def café_price()` was indexed as `_price` (tree-sitter read its bytes as UTF-8), and a UTF-16
    file with its byte order mark was skipped as binary (fault probe): each is read as the text it is."""
    latin = "# prix\ndef caf\xe9_price(x):\n    return 'd\xe9j\xe0'\n".encode("latin-1")
    assert [(u.name, u.start_line) for u in _functions(latin, "python")] == [("caf\xe9_price", 2)]
    # a UTF-8 file with one stray Latin-1 byte keeps its UTF-8 names (review: read whole as Latin-1, `é` was `Ã©`)
    mixed = "def café_price():\n    return 'naïve'\n".encode("utf-8") + b"# caf\xe9\n"
    assert [u.name for u in _functions(mixed, "python")] == ["café_price"]
    wide = "package m\r\n\r\n// Grüße greets.\r\nfunc Grüße() {\r\n\treturn\r\n}\r\n".encode("utf-16")
    (unit,) = _functions(wide, "go")
    assert (unit.name, unit.start_line, unit.docstring) == ("Grüße", 4, "Grüße greets.")


def test_crlf_bom_tabs() -> None:
    src = b"\xef\xbb\xbfpackage m\r\n\r\n// Hello greets.\r\nfunc Hello() {\r\n\treturn\r\n}\r\n"
    (unit,) = _functions(src, "go")
    assert (unit.start_line, unit.end_line, unit.docstring) == (4, 6, "Hello greets.")
    assert "\r" not in unit.code and unit.code.startswith("func Hello()")


@pytest.mark.parametrize("ending", ["\n", "\r\n", "\r", "mixed"])
def test_line_numbers_for_every_line_ending(ending: str) -> None:
    """Issue 26.4: a CR-only file reported every function at line 1 (tree-sitter counts LF only)."""
    lines = ["# doc", "def a():", "    return 1", "", "", "class K:", "    # the doc", "    def m(self):",
             "        return 2", "", "def z():", "    return 3", ""]
    if ending == "mixed":  # each line its own ending, as a file edited on several systems ends up
        src = "".join(line + ("\r\n", "\n", "\r")[i % 3] for i, line in enumerate(lines))
    else:
        src = ending.join(lines)
    units = parse_source(src.encode(), "python")
    assert [(u.qualified_name, u.start_line, u.end_line, u.docstring) for u in units] == [  # a `#` line above is a
        ("a", 2, 3, "doc"), ("K", 6, 9, ""), ("K.m", 8, 9, "the doc"), ("z", 11, 12, "")]  # def's doc (probe 121)
    assert all("\r" not in u.code for u in units)


def test_empty_and_minified_files() -> None:
    assert _functions(b"", "javascript") == []
    src = b"function a(){return 1}function b(){return 2}var c=function(){return 3};"
    units = _functions(src, "javascript")
    assert [(u.name, u.start_line, u.start_col) for u in units] == [("a", 1, 1), ("b", 1, 23), ("c", 1, 45)]


def test_trailing_comment_is_not_a_doc() -> None:
    src = b"x = 1  // not a doc\nfunction f() {}\n"
    assert _functions(src, "javascript")[0].docstring == ""


def test_plain_comment_above_java_method_is_not_javadoc() -> None:
    src = b"class A {\n  // just a note\n  void f() {}\n  /** Real doc. */\n  void g() {}\n}\n"
    assert [u.docstring for u in _functions(src, "java")] == ["", "Real doc."]


def test_a_tools_directive_is_not_a_doc_and_does_not_hide_the_doc_above_it() -> None:
    """ajv's `// eslint-disable-next-line` and `/* istanbul ignore next */`, mustermann's `# frozen_string_literal:
    true` were shown (and searched) as the unit's doc comment."""
    js = (b"/** Compiles a schema. */\n// eslint-disable-next-line no-unused-vars\nfunction compile(s) {\n  return s\n}\n"
          b"/* istanbul ignore next */\nfunction other() {\n  return 1\n}\n// @ts-ignore\nfunction third() {}\n")
    ruby = b"# frozen_string_literal: true\nmodule Mustermann\n  # Builds a pattern.\n  def self.new(x)\n    x\n  end\nend\n"
    go = b"package x\n\n// Parse reads a file.\n//go:noinline\nfunc Parse() {}\n"
    assert [u.docstring for u in _functions(js, "javascript")] == ["Compiles a schema.", "", ""]
    assert {u.name: u.docstring for u in parse_source(ruby, "ruby", "m.rb")}.items() >= {"Mustermann": "", "new": "Builds a pattern."}.items()
    assert [u.docstring for u in _functions(go, "go")] == ["Parse reads a file."]
    prose = b"// global registry of handlers\nfunction register() {}\n// v8 deopts on this path\nfunction copyDense() {}\n"
    assert [u.docstring for u in _functions(prose, "javascript")] == ["global registry of handlers", "v8 deopts on this path"]
    # superagent's doc comment, a blank line, then the directive (the doc went to a module piece: probe 72)
    spaced = (b"'use strict';\n\n/**\n * Send the request.\n */\n\n// eslint-disable-next-line complexity\n"
              b"Request.prototype.send = function (data) {\n  return data;\n};\n")
    assert [u.docstring for u in _functions(spaced, "javascript")] == ["Send the request."]
    # a bundler's annotation between the doc and the definition (immer's `/*#__PURE__*/`: probe 88)
    pure = (b"/** Returns true if the value can be drafted */\n/*#__PURE__*/\nexport function isDraftable(v: any) {\n"
            b"  return !!v\n}\n\n/** Sum the numbers */\n/* @__PURE__ */\nexport const total = (xs: number[]) => 0\n")
    assert {u.name: u.docstring for u in parse_source(pure, "typescript", "c.ts") if u.kind == "function"} == {
        "isDraftable": "Returns true if the value can be drafted", "total": "Sum the numbers"}
    # RDoc's directives (mime-types' `InvalidContentType#initialize — :stopdoc:`: probe 185); `:call-seq:` is a doc
    rdoc = (b"class InvalidContentType < ArgumentError\n  # :stopdoc:\n  def initialize(type)\n    @type = type\n  end\n\n"
            b"  # Says which type.\n  # :nodoc:\n  def to_s\n    @type\n  end\n\n  # :call-seq:\n  #   type.like?(other)\n"
            b"  def like?(other)\n    other\n  end\nend\n")
    assert {u.name: u.docstring for u in parse_source(rdoc, "ruby", "t.rb") if u.kind != "type"} == {
        "initialize": "", "to_s": "Says which type.", "like?": ":call-seq:\ntype.like?(other)"}


def test_a_block_directive_is_no_doc_and_no_module_piece() -> None:
    """cosmiconfig: `/* eslint-disable @typescript-eslint/no-empty-interface */` was a type's doc, its real comment above
    lost, and a lone `/* eslint-enable ... */` a module piece of its own (probe 152); a key or a field named by a
    keyword (`type: string`, `end?: number`) binds its name (LexToken lost `type`)."""
    src = (b"// The options a caller passes, with every default filled in.\n"
           b"/* eslint-disable @typescript-eslint/no-empty-interface */\n"
           b"export interface ResolvedOptions extends Required<Options> {}\n"
           b"/* eslint-enable @typescript-eslint/no-empty-interface */\n\n"
           b"/**\n * Reads the settings file from disk.\n */\n/* prettier-ignore */\n"
           b"export function readSettings(path: string): string {\n  return path;\n}\n\n"
           b"export interface Token {\n  type: 'open' | 'close';\n  end?: number;\n  index: number;\n}\n")
    units = parse_source(src, "typescript", "src/types.ts")
    assert {u.name: u.docstring for u in units if u.kind != "module"} == {
        "ResolvedOptions": "The options a caller passes, with every default filled in.",
        "readSettings": "Reads the settings file from disk.", "Token": ""}
    assert not [u for u in units if u.kind == "module"]
    token = next(u for u in units if u.name == "Token")
    assert [b[0] for b in token.binds] == ["type", "end", "index"]
    py = b"class Outcome:\n    kind: str\n    if True:\n        pass\n    else: pass\n"
    assert [b[0] for u in parse_source(py, "python", "o.py") if u.name == "Outcome" for b in u.binds] == ["kind"]


def test_a_statement_switched_off_is_no_doc_and_an_es5_class_binds_no_prototype() -> None:
    """fast-xml-parser: `//const oldPattern = new RegExp(...);` was validate's doc; js-yaml's exception.js bound
    `prototype` and `constructor` by `X.prototype = Object.create(..)` (probe 155). Words ending in a period stay a doc."""
    src = (b"//const oldPattern = new RegExp('<([\\w:]+)>', 'g');\nexports.validate = function (xml) {\n  return xml;\n};\n\n"
           b"// Reads the value; never throws.\nfunction read(v) {\n  return v;\n}\n\n"
           b"function ConfigError(reason) {\n  this.reason = reason;\n}\n\n"
           b"ConfigError.prototype = Object.create(Error.prototype);\nConfigError.prototype.constructor = ConfigError;\n"
           b"ConfigError.prototype.code = 'ECONFIG';\n")
    units = parse_source(src, "javascript", "lib/validator.js")
    assert {u.name: u.docstring for u in units if u.kind == "function"} == {
        "validate": "", "read": "Reads the value; never throws.", "ConfigError": ""}
    assert [b[0] for u in units if u.kind == "module" for b in u.binds] == ["code"]


def test_a_function_without_a_doc_takes_the_doc_block_that_names_it() -> None:
    """async: retry.js' JSDoc (`@name retry`) sat above two constants, which held it as module code, and `retry` had no
    doc (probe 159): a doc block naming a function of its file is that function's doc, where it has none."""
    src = (b"/**\n * Attempts the task a few times before giving up.\n *\n * @name retry\n * @param {number} times\n */\n"
           b"const DEFAULT_TIMES = 5;\n\nexport default function retry(times, task) {\n  return task(times);\n}\n\n"
           b"/** Runs the task once. */\nexport function once(task) {\n  return task(1);\n}\n")
    docs = {u.name: u.docstring for u in parse_source(src, "javascript", "lib/retry.js") if u.kind == "function"}
    assert docs["retry"].startswith("Attempts the task a few times") and docs["once"] == "Runs the task once."


def test_a_module_is_named_by_its_file_name_without_its_extension_only() -> None:
    """`mime-types-3.4.1.gemspec` was the module `mime-types-3`, Angular's `user.service.ts` the module `user`."""
    names = {path: [u.name for u in parse_source(b"x = 1\n", language, path) if u.kind == "module"]
             for path, language in (("mime-types-3.4.1.gemspec", "ruby"), ("src/user.service.ts", "typescript"),
                                    ("types/index.d.ts", "typescript"), ("lib/cart.py", "python"),
                                    ("esm/plugin/minMax/index.js", "javascript"), ("src/index.ts", "typescript"),
                                    ("pkg/__init__.py", "python"))}
    # an index or a package's __init__ is imported by its folder's name (dayjs' `minMax` found its plugin's declaration
    # only; toolz' `curried` the `curry` class first)
    assert names == {"mime-types-3.4.1.gemspec": ["mime-types-3.4.1"], "src/user.service.ts": ["user.service"],
                     "types/index.d.ts": ["index"], "lib/cart.py": ["cart"], "esm/plugin/minMax/index.js": ["minMax"],
                     "src/index.ts": ["index"], "pkg/__init__.py": ["pkg"]}


def test_a_ruby_singleton_class_of_a_constant_names_its_methods() -> None:
    """mime-types' `class << MIME::Types` (inside `module MIME`) and `class << Widget` named their methods bare
    (`type_for`, `build`): `MIME::Types.type_for` matched the instance method instead."""
    ruby = (b"module MIME\n  class << MIME::Types\n    def type_for(f)\n      f\n    end\n  end\nend\n"
            b"class << Widget\n  def build(c)\n    c\n  end\nend\nclass Cart\n  class << self\n    def empty\n      1\n"
            b"    end\n  end\nend\n")
    names = {u.qualified_name for u in parse_source(ruby, "ruby", "registry.rb") if u.kind == "method"}
    assert names == {"MIME::Types.type_for", "Widget.build", "Cart.empty"}


def test_ruby_module_function_methods_are_named_as_the_modules_own() -> None:
    """`module_function` makes a module's methods its own: pastel's `Util.strip` was named `Util#strip`, an instance
    method no one calls (probe 189). Given one, naming one, or bare over those below it up to a visibility call."""
    src = (b"module Util\n  def a; end\n  module_function :a\n  def z; end\n  module_function\n\n  def strip(t)\n"
           b"    t\n  end\n  private\n  def d; end\n  module_function def c(y)\n    y\n  end\nend\n"
           b"class Color\n  def paint(x)\n    x\n  end\nend\n")
    names = [u.qualified_name for u in parse_source(src, "ruby", "util.rb") if u.kind == "method"]
    assert names == ["Util.a", "Util#z", "Util.strip", "Util#d", "Util.c", "Color#paint"]


def test_a_ruby_class_written_with_its_scope_is_named_by_its_own_name() -> None:
    """connection_pool's `class ConnectionPool::TimedStack` was named "ConnectionPool::TimedStack", so `TimedStack` met
    no name and its file's comment came first (probe 133): the name is the last part, the scope qualifies it."""
    ruby = (b"class Outer::BlockStack < Base\n  def push(x)\n    x\n  end\nend\n"
            b"module Outer\n  module Deep::Inner\n    LIMIT = 1\n  end\nend\n")
    got = [(u.kind, u.name, u.qualified_name) for u in parse_source(ruby, "ruby", "block_stack.rb") if u.kind != "module"]
    assert got == [("type", "BlockStack", "Outer::BlockStack"), ("method", "push", "Outer::BlockStack#push"),
                   ("type", "Outer", "Outer"), ("type", "Inner", "Outer::Deep::Inner")], got


def test_a_ruby_doc_a_blank_line_above_is_held_once_and_kept_past_a_note() -> None:
    """net-http-persistent: its class's rdoc, one blank line above `class`, was the class's doc and module code too, so
    rdoc pieces came in the first four for a quarter of the questions; `shutdown` lost its doc to a `# *NOTE*:` line
    in it (probe 142). The doc's rows belong to the class; a note decides only when the doc opens with it."""
    src = (b"require 'net/http'\n\n##\n# A client that keeps connections open.\n#\n"
           b"# It retries idempotent requests when the server resets the connection.\n\nclass Client\n"
           b"  ##\n  # Shuts down all connections.\n  #\n  # *NOTE*: Calling shutdown from another thread is unsafe.\n\n"
           b"  def shutdown\n    @pool.shutdown\n  end\nend\n")
    units = parse_source(src, "ruby", "client.rb")
    assert not any("keeps connections open" in u.code for u in units if u.kind == "module"), [
        (u.kind, u.start_line, u.end_line) for u in units]
    docs = {u.qualified_name: u.docstring for u in units if u.kind != "module"}
    assert docs["Client"].startswith("A client that keeps") and docs["Client#shutdown"].startswith("Shuts down all")
    # a doc whose example says "Copyright" is a doc still; a header says so at its top (commander's Runner#program
    # lost its 30-line doc by `program :help, 'Copyright', '2008 TJ'`: probe 173)
    example = (b"class Runner\n  def initialize\n    @program = {}\n  end\n\n  ##\n  # Assign program information.\n  #\n"
               b"  #   program :help, 'Copyright', '2008 Someone'\n  #\n\n  def program(key)\n    @program[key]\n  end\nend\n")
    (program,) = [u for u in parse_source(example, "ruby", "runner.rb") if u.name == "program"]
    assert program.docstring.startswith("Assign program information"), program.docstring


def test_a_chain_of_calls_given_a_block_is_named_by_its_steps() -> None:
    """nunjucks' bin/precompile: the block given to `.action()` at the end of a commander chain was named by the last
    60 characters before it, the tail of an option's help text (probe 132): a chain is named by its steps."""
    src = '#!/usr/bin/env node\nvar { program } = require(\'commander\');\nvar cmdpath = null;\n\nprogram\n  .name(\'precompile\')\n  .option(\'-f, --force\', \'Force compilation to continue on error\')\n  .option(\'-w, --wrapper <wrapper>\', \'Load an external plugin to change the output format (for example, "-w custom" loads a module named "nunjucks-custom")\')\n  .action(function (path) {\n    cmdpath = path;\n    console.log(\'compiling\', path);\n    return path;\n  })\n  .parse(process.argv);\n\nconsole.log(cmdpath);\n'.encode()
    (block,) = [u for u in parse_source(src, "javascript", "bin/cli.js") if u.kind == "block"]
    assert block.qualified_name == "cli: program.name().option().option().action()", block.qualified_name
    escaped = src.decode().replace("'Force compilation to continue on error'", "'don\\'t stop (ever) on error'")
    (block,) = [u for u in parse_source(escaped.encode(), "javascript", "bin/cli.js") if u.kind == "block"]
    assert block.qualified_name == "cli: program.name().option().option().action()", block.qualified_name  # review
    # a dot at a line's end (Ruby's style): no spaces after it in the name (tilt's `paths. map { … }. find()`: probe 168)
    ruby = b"FOUND = paths.\n  map { |p| File.join(p, 'x') }.\n  find { |f| File.exist?(f) }\n"
    (block,) = [u for u in parse_source(ruby, "ruby", "lib/tilt.rb") if u.kind == "block"]
    assert ". " not in block.qualified_name and "paths.map" in block.qualified_name, block.qualified_name
    # an earlier step's block is `{…}`, not its source (httparty's `Array().sort_by { |a| a[0].to_s }.map()`: probe 171)
    assert block.qualified_name == "FOUND: paths.map {…}.find()", block.qualified_name


def test_ruby_operator_methods_keep_their_names_and_js_computed_keys_lose_their_brackets() -> None:
    """liquid's `def [](expression)` was indexed as `Context#default` (the brackets stripped as if a JavaScript
    computed key), so `[]` found nothing and "default" matched it."""
    ruby = b"class Context\n  def [](expression)\n    lookup(expression)\n  end\n\n  def []=(key, value)\n    set(key, value)\n  end\nend\n"
    js = b'class A {\n  ["computed"]() { return 1 }\n  [Symbol.iterator]() { return 2 }\n}\n'
    assert {u.qualified_name for u in parse_source(ruby, "ruby", "context.rb") if u.kind == "method"} == {"Context#[]", "Context#[]="}
    assert {u.qualified_name for u in parse_source(js, "javascript", "a.js") if u.kind == "method"} == {"A.computed", "A.Symbol.iterator"}


def test_a_computed_key_that_is_a_comma_expression_is_named_by_its_value() -> None:
    """yargs' tsc output names a method `[(_YargsInstance_command = new WeakMap(), ..., kCopyDoubleDash)]`: its name
    was the whole 1,500-character expression; the comma expression's value, `kCopyDoubleDash`, is the key."""
    js = b"var _A_opts;\nclass A {\n  [(_A_opts = new WeakMap(), _A_cwd = new WeakMap(), kCopy)](argv) {\n    return argv;\n  }\n}\n"
    assert {u.qualified_name for u in parse_source(js, "javascript", "a.js") if u.kind == "method"} == {"A.kCopy"}


def test_typescript_overload_signatures_and_their_doc_belong_to_the_implementation() -> None:
    """true-myth: 33 overloaded functions had no doc (the comment sits above the first signature) and their signatures
    and docs became module pieces that outranked them."""
    ts_src = (b"/** Sum two numbers. */\nexport function add(a: number): number;\nexport function add(a: number, b: number): number;\n"
              b"export function add(a: number, b?: number): number {\n  return a + (b ?? 0);\n}\n\n"
              b"class Store {\n  /** Get a value by key. */\n  get(a: string): string;\n  get(a: number): number;\n"
              b"  get(a: any) {\n    return a;\n  }\n}\n\nfunction other(a: string): void;\n/** h */\nfunction h(a: any) {}\n")
    units = {u.qualified_name: u for u in parse_source(ts_src, "typescript", "sum.ts") if u.kind != "module"}
    modules = [u for u in parse_source(ts_src, "typescript", "sum.ts") if u.kind == "module"]
    assert (units["add"].start_line, units["add"].docstring) == (2, "Sum two numbers.")
    assert (units["Store.get"].start_line, units["Store.get"].docstring) == (10, "Get a value by key.")
    assert units["h"].start_line == 19 and units["h"].docstring == "h"  # another name's signature stays apart
    assert not any(u.start_line <= 3 for u in modules)
    # rxjs writes the doc right above the implementation, the signatures above it under a tslint directive
    rx = (b"/* tslint:disable:max-line-length */\nexport function switchMap<T>(p: T): T;\n/** @deprecated Use map. */\n"
          b"export function switchMap<T>(p: T, r: undefined): T;\n/* tslint:enable:max-line-length */\n\n"
          b"/**\n * Projects each value to an Observable, emitting only from the latest one.\n */\n"
          b"export function switchMap(p: any, r?: any) {\n  return p;\n}\n")
    unit = next(u for u in parse_source(rx, "typescript", "op.ts") if u.kind == "function")
    assert (unit.start_line, unit.docstring) == (2, "Projects each value to an Observable, emitting only from the latest one.")
    # tsc's .d.ts: `export declare function` signatures only, each under its doc: one unit from the first, with the
    # first's doc (runtypes' first overload and its doc were a nameless module piece, the unit's doc `@deprecated`: probe 199)
    dts = (b"/**\n * Parse a duration such as 5m into milliseconds.\n */\nexport declare function parseDuration(t: string): "
           b"number;\n/**\n * @deprecated pass a string\n */\nexport declare function parseDuration(v: number): number;\n"
           b"export declare function formatBytes(n: number): string;\n")
    units = [(u.kind, u.name, u.start_line, u.end_line, u.docstring) for u in parse_source(dts, "typescript", "api.d.ts")]
    assert units == [("function", "parseDuration", 4, 8, "Parse a duration such as 5m into milliseconds."),
                     ("function", "formatBytes", 9, 9, "")]


def test_each_type_of_a_go_type_group_is_its_own_unit() -> None:
    """fsnotify's `type ( indexMap ...; watchMap ... )` was one unit named indexMap: `--kind type watchMap` found it."""
    go = b"package m\n\ntype (\n\t// indexMap maps a descriptor to its watch.\n\tindexMap map[uint64]int\n\twatchMap map[uint32]indexMap\n)\n"
    types = [(u.name, u.start_line, u.end_line, u.docstring, u.binds) for u in parse_source(go, "go", "m.go") if u.kind == "type"]
    assert types == [("indexMap", 5, 5, "indexMap maps a descriptor to its watch.", ()), ("watchMap", 6, 6, "", ())]


def test_a_ruby_constant_assigned_a_call_with_a_block_names_it_and_its_methods() -> None:
    """`Point = Struct.new(:x, :y) do ... end` was a block `Util: Struct.new()` and its method `Util#distance_to`: no
    `Point` to find, and the method under the wrong type."""
    rb = (b"module Util\n  Point = Struct.new(:x, :y) do\n    def distance_to(other)\n      (x - other.x).abs\n    end\n"
          b"  end\n\n  handler = proc do |x|\n    x + 1\n  end\nend\n")
    units = {(u.kind, u.name, u.qualified_name) for u in parse_source(rb, "ruby", "util.rb")}
    assert ("method", "distance_to", "Util::Point#distance_to") in units
    assert any(kind == "block" and name == "Point" for kind, name, _ in units)
    assert not any("handler" in q for _, _, q in units)  # a local variable names nothing


def test_a_compiled_class_method_and_a_defined_property_are_named_by_their_key() -> None:
    """winston ships Babel's output (dist/): `_createClass(Logger, [{key: "child", value: function child() {}}])` made
    92 methods named `value`, which `Logger.child` never met and which never folded into lib/'s copy."""
    src = (b'var Logger = /*#__PURE__*/function () {\n  function Logger() {}\n  return _createClass(Logger, [{\n'
           b'    key: "child",\n    value: function child(meta) {\n      return Object.create(this, meta);\n    }\n'
           b'  }]);\n}();\nObject.defineProperty(Duration.prototype, "ms", {\n  get: function () { return this._ms; }\n'
           b'});\nObject.defineProperty(exports, "Console", {\n  get() { return require("./console"); }\n});\n'
           b'(0, _createClass2.default)(Pool, [{\n  key: "drain",\n  value: function drain() { return 1; }\n}]);\n')
    src += (b'Object.defineProperty(exports, "File", { enumerable: true, get: function () { return file_1.File; } });\n'
            b'Object.defineProperty(module.exports, "Other", { enumerable: true, get: function () { return m.Other; } });\n'
            b'var desc = { enumerable: true, get: function() { return m[k]; } };\n'
            b"Object.defineProperty(exports, 'level', {\n  get() {\n    return state.level;\n  },\n"
            b"  set(val) {\n    state.level = val;\n  }\n});\n")
    named = {(u.name, u.qualified_name) for u in parse_source(src, "javascript", "dist/logger.js") if u.kind == "method"}
    assert ("child", "Logger.child") in named and ("ms", "Duration.ms") in named and ("drain", "Pool.drain") in named
    # a compiled re-export's getter is no unit (tsc's and Babel's, one per export: each was a unit named `get`, which
    # `loggers.get` met first); a module's own getter and setter are named by its key (winston's `level`: probe 201)
    assert not any(name in ("Console", "File", "Other", "get", "set") or "desc" in qualified for name, qualified in named), named
    assert ("level", "level") in named


def test_a_function_under_its_key_in_define_properties_is_named_by_the_key() -> None:
    """chalk's ansi-styles: `Object.defineProperties(styles, {rgbToAnsi256: {value(red, green, blue) {...}}})` named six
    converters `value`, so `rgbToAnsi256` met no name (probe 62); an exports map's descriptors name nothing."""
    src = (b"function assembleStyles() {\n  const styles = {};\n  Object.defineProperties(styles, {\n"
           b"    rgbToAnsi256: {\n      value(red, green, blue) {\n        return red + green + blue;\n      },\n"
           b"      enumerable: false,\n    },\n    hexToRgb: {\n      value: function (hex) {\n        return hex;\n"
           b"      },\n    },\n  });\n  return styles;\n}\n")
    named = {(u.name, u.qualified_name) for u in parse_source(src, "javascript", "ansi-styles/index.js") if u.kind == "method"}
    assert named == {("rgbToAnsi256", "assembleStyles.styles.rgbToAnsi256"), ("hexToRgb", "assembleStyles.styles.hexToRgb")}


def test_a_method_set_through_a_prototype_alias_is_named_by_its_class() -> None:
    """dayjs' esm/index.js (Babel's loose classes): `var _proto = Dayjs.prototype; _proto.format = function ...` made
    `_proto.format`, which `Dayjs.format` never met (the method came eleventh); a plugin's `proto` of a parameter,
    an alias of another block, or of a lower-case object, names no class."""
    src = (b'var Dayjs = /*#__PURE__*/function () {\n  function Dayjs(cfg) { this.parse(cfg); }\n'
           b'  var _proto = Dayjs.prototype;\n  _proto.format = function format(str) {\n    return str;\n  };\n'
           b'  return Dayjs;\n}();\nfunction plugin(o, c) {\n  var proto = c.prototype;\n'
           b'  proto.startOf = function (units) { return units; };\n  _proto.other = function () {};\n}\n')
    names = {u.qualified_name for u in parse_source(src, "javascript", "esm/index.js") if u.kind == "function"}
    assert "Dayjs.format" in names and "plugin.proto.startOf" in names and "plugin._proto.other" in names


def test_every_target_of_an_assignment_chain_names_the_function(tmp_path, tiny_embedder) -> None:
    """koa-router's `Router.prototype.routes = Router.prototype.middleware = function () {...}` was only `middleware`:
    its documented entry point `routes` had no unit, and `Router.prototype.route` came first (probe 85)."""
    from conftest import indexed_files

    src = (b"function Router() {}\n\n/** Returns the router middleware. */\n"
           b"Router.prototype.routes = Router.prototype.middleware = function () {\n  return dispatch;\n};\n\n"
           b"Router.prototype.route = function (name) {\n  return name;\n};\n\nvar a = exports.b = function c() {};\n")
    (unit,) = [u for u in parse_source(src, "javascript", "router.js") if u.name == "middleware"]
    assert [b[:4] for b in unit.binds] == [("routes", 4, 4, 1)]
    (exported,) = [u for u in parse_source(src, "javascript", "router.js") if u.name == "b"]
    assert [b[0] for b in exported.binds] == ["a"]  # `var a = exports.b = function c() {}`
    app = b"module.exports = exports = function createApp() {\n  return {}\n}\n"  # binds no `exports` (review)
    assert [u.binds for u in parse_source(app, "javascript", "index.js") if u.kind == "function"] == [()]
    # Prettier's parentheses: `var NativeQuery = (module.exports = function (config) {...})` (pg: probe 205)
    wrapped = b"var NativeQuery = (module.exports = function (config) {\n  this.text = config.text\n})\n"
    assert [[b[0] for b in u.binds] for u in parse_source(wrapped, "javascript", "query.js") if u.kind == "function"] \
        == [["NativeQuery"]]
    with indexed_files(tmp_path, {"router.js": src.decode()}, tiny_embedder) as index:
        hits = index.search(Query("Router.prototype.routes", k=3, mode="lexical"))
    assert hits[0].name == "middleware", [(h.name, h.path) for h in hits]


def test_a_java_constant_with_a_body_names_its_methods() -> None:
    """jsoup's HtmlTreeBuilderState: 25 constants' bodies (`InBody { boolean process(...) }`) were all
    `HtmlTreeBuilderState.process` (`InTableText` found InTable's); args4j's `ALL = new OptionHandlerFilter() {...}`
    made `OptionHandlerFilter.select`."""
    src = (b"enum Light {\n    Red {\n        Light next() { return Green; }\n    },\n    Green {\n"
           b"        Light next() { return Red; }\n    };\n    abstract Light next();\n}\n"
           b"abstract class Filter {\n    static final Filter ALL = new Filter() {\n        boolean select() { return true; }\n"
           b"    };\n    void run() {\n        int x = 1;\n    }\n    abstract boolean select();\n}\n")
    units = parse_source(src, "java", "Light.java")
    assert [u.qualified_name for u in units if u.kind == "method"] == [
        "Light.Red.next", "Light.Green.next", "Light.next", "Filter.ALL.select", "Filter.run", "Filter.select"]
    assert {"Red", "Green"} <= {b[0] for b in next(u for u in units if u.name == "Light").binds}


def test_a_java_static_initializer_is_a_block_of_its_class() -> None:
    """log4j's LogManager configures itself in a `static { ... }` block: no unit held it but the 229-line class, and a
    three-line stub elsewhere came first for the words of its own message (probe 265)."""
    src = (b"public class Registry {\n    private static Properties props = new Properties();\n\n    static {\n"
           b"        InputStream in = Registry.class.getResourceAsStream(\"demo.properties\");\n"
           b"        if (in == null) {\n            System.err.println(\"no configuration found on the classpath\");\n"
           b"        }\n    }\n\n    public static String get(String key) {\n        return props.getProperty(key);\n"
           b"    }\n}\n")
    units = parse_source(src, "java", "Registry.java")
    block = next(u for u in units if u.kind == "block")
    assert (block.qualified_name, block.start_line, block.end_line) == ("Registry.static", 4, 9), units
    assert "no configuration found" not in next(u for u in units if u.kind == "type").code


def test_a_ruby_block_is_named_by_its_first_symbol_as_by_a_string() -> None:
    """http.rb: the four `def_option :headers do ... end` blocks were all `def_option()`; rake's `task :build do` was
    `task()` where `task "clean" do` was `task("clean")`."""
    src = (b'task :build do\n  puts "building"\nend\n\ntask "clean" do\n  puts "clean"\nend\n\nclass Options\n'
           b'  def_option :headers do |value|\n    value.to_h\n  end\nend\n')
    names = [u.name for u in parse_source(src, "ruby", "tasks.rb") if u.kind == "block"]
    assert names == ["task(:build)", 'task("clean")', "def_option(:headers)"]
    # and by a regex (rouge's twenty `rule %r/.../ do` were all `rule()`: probe 192; an express route by its pattern)
    lexer = b"class Lexer\n  state :heredoc do\n    rule %r/[^#]*$/ do |m|\n      pop!\n    end\n  end\nend\n"
    assert [u.name for u in parse_source(lexer, "ruby", "lexer.rb") if u.kind == "block"] == [
        "state(:heredoc)", "rule(%r/[^#]*$/)"]
    # and by a constant (RSpec's `describe Cart do` was `describe()`)
    spec = b"RSpec.describe Billing::Invoice do\n  describe Cart do\n    it 'totals' do\n      x\n    end\n  end\nend\n"
    assert [u.name for u in parse_source(spec, "ruby", "cart_spec.rb") if u.kind == "block"] == [
        "RSpec.describe(Billing::Invoice)", "describe(Cart)", "it('totals')"]
    route = b"app.get(/^\\/users\\/(\\d+)$/, function (req, res) {\n  res.send(req.params[0])\n})\n"
    assert [u.name for u in parse_source(route, "javascript", "app.js") if u.kind == "block"] == [
        "app.get(/^\\/users\\/(\\d+)$/)"]


def test_a_ruby_constant_assigned_a_chain_with_a_block_names_it() -> None:
    """http.rb: `REASONS = {...}.each { ... }.freeze` became a block named by its hash's text and REASONS named
    nothing; `NAMES = %w[a b].map do ... end.freeze` likewise (without `.freeze` it was named NAMES)."""
    src = (b'class Response\n  REASONS = {\n    100 => "Continue",\n    200 => "OK",\n  }.each { |_, v| v.freeze }.freeze\n\n'
           b'  NAMES = %w[a b c].map do |x|\n    x.upcase\n  end.freeze\nend\n')
    assert [u.name for u in parse_source(src, "ruby", "reasons.rb") if u.kind == "block"] == ["REASONS", "NAMES"]


@pytest.mark.parametrize("language, path", [("javascript", "utils.js"), ("typescript", "utils.ts")])
def test_a_function_given_as_a_fallback_or_one_of_two_is_a_unit(language, path) -> None:
    """superagent's `exports.hasOwn = Object.hasOwn || function ...` and `exports.trim = ''.trim ? f : g` were no
    units: only a declarator's ternary was read (probe 72). A plain `a || b` is no function."""
    code = (b"exports.hasOwn = Object.hasOwn || function (obj, key) {\n  return has.call(obj, key);\n};\n"
            b"exports.trim = ''.trim ? (s) => s.trim() : (s) => s.replace(/^\\s+/, '');\n"
            b"const raf = window.requestAnimationFrame ?? function (cb) {\n  return setTimeout(cb, 16);\n};\n"
            b"const x = a || b;\n")
    units = {(u.name, u.kind, u.start_line) for u in parse_source(code, language, path)}
    assert {("hasOwn", "function", 1), ("trim", "function", 4), ("raf", "function", 5)} <= units
    assert not any(name == "x" and kind == "function" for name, kind, _ in units)


def test_pythons_new_is_a_constructor() -> None:
    """pendulum's Duration.__new__ (a timedelta's value is set there) was a method: `--kind constructor` never found
    it (probe 89); a function named so outside a class is a function."""
    src = (b"class Duration(timedelta):\n    def __new__(cls, days=0):\n        return super().__new__(cls, days)\n\n"
           b"    def __init__(self, days=0):\n        self.days = days\n\n\ndef __new__(x):\n    return x\n")
    assert [(u.qualified_name, u.kind) for u in parse_source(src, "python", "d.py") if u.kind != "type"] == [
        ("Duration.__new__", "constructor"), ("Duration.__init__", "constructor"), ("__new__", "function")]


def test_a_files_credits_and_code_switched_off_are_no_doc() -> None:
    """kleur's index.d.ts: `// Originally by: ...` on the file's first lines was its namespace's doc (probe 90);
    table-core: the tail of a commented-out `addRange: (from, to) => {...}` was a one-liner's doc (probe 93). A doc
    with an example line or two in it stays a doc."""
    credits = b"// Originally by: Jane Doe <https://github.com/jane>\n// Adapted by: John Roe\ndeclare namespace lib {\n  interface Options {\n    depth: number;\n  }\n}\n"
    assert {u.qualified_name: u.docstring for u in parse_source(credits, "typescript", "index.d.ts")}.get("lib") == ""
    disabled = (b"export function makeCart(cart: any) {\n  // addRange: (from, to) => {\n"
                b"  //   cart.items.slice(from, to).forEach(item => cart.select(item.id))\n  //   cart.save()\n  // },\n"
                b"  cart.total = () => cart.items.reduce((sum: number, item: any) => sum + item.price, 0)\n}\n")
    assert all(u.docstring == "" for u in parse_source(disabled, "typescript", "cart.ts") if u.kind != "module")
    example = (b"// Parse reads a config file, for example:\n//\n//   cfg, err := Parse(\"app.toml\")\n"
               b"//\n// It returns an error when the file is missing.\nfunc Parse(path string) (*Config, error) {\n"
               b"\treturn nil, nil\n}\n")
    assert [u.docstring for u in parse_source(example, "go", "cfg.go") if u.kind == "function"] == [
        "Parse reads a config file, for example:\n\n  cfg, err := Parse(\"app.toml\")\n\nIt returns an error when the file is missing."]
    usage = (b"/**\n * Usage: debounce(fn, wait)\n * const save = debounce(store, 100);\n"
             b" * window.addEventListener('resize', save);\n * Returns a function that waits.\n */\n"
             b"function debounce(fn, wait) {\n  return fn\n}\n")  # a doc block's usage lines are its doc (review)
    assert [u.docstring for u in parse_source(usage, "javascript", "d.js") if u.kind == "function"] == [
        "Usage: debounce(fn, wait)\nconst save = debounce(store, 100);\nwindow.addEventListener('resize', save);\n"
        "Returns a function that waits."]


def test_a_block_of_many_prototype_aliases_is_read_in_linear_time() -> None:
    """Each `_proto.x = function` read its whole block again for `var _proto = Dayjs.prototype`: 8,000 of them in one
    ES5 build took 27 s to parse (review). A hang guard, not a speed target: once per block takes about a second."""
    from conftest import hang_guard

    src = ("var Dayjs = function () {\n  function Dayjs() {}\n  var _proto = Dayjs.prototype;\n"
           + "".join(f"  // step {i}\n  _proto.m{i} = function m{i}(a) {{ return a; }};\n" for i in range(8000))
           + "  return Dayjs;\n}();\n").encode()
    with hang_guard(15, "the block's aliases are read again for every member"):
        names = [u.qualified_name for u in parse_source(src, "javascript", "esm/index.js") if u.kind != "module"]
    assert sum(name.startswith("Dayjs.m") for name in names) == 8000 and "Dayjs.m7999" in names


def test_an_object_typed_as_const_or_satisfies_names_its_members() -> None:
    """mobx's `const niceErrors = {...} as const` gave members named `1`, `17`, not `niceErrors.1` (probe 96): a type
    assertion, `satisfies`, parentheses or `!` around a value do not change whose members they are."""
    src = (b"const messages = {\n    notFound(name: string) {\n        return `Missing ${name}`\n    }\n} as const\n\n"
           b"const handlers = {\n    get(target: any, key: string) {\n        return target[key]\n    }\n"
           b"} satisfies Record<string, Function>\n\nexport const api = ({\n    run: (x: number) => x + 1,\n})\n")
    names = [u.qualified_name for u in parse_source(src, "typescript", "traps.ts") if u.kind != "module"]
    assert names == ["messages.notFound", "handlers.get", "api.run"], names


def test_a_function_that_names_itself_given_to_a_call_is_that_function() -> None:
    """express-session defines its methods as `defineMethod(Session.prototype, 'reload', function reload(fn) {...})`:
    each was a block named "session: defineMethod()", the short ones without a vector, and "reload sesion data from
    the stor" found another file first (probe 95). Named by itself, it is a function with its doc; a route's handler
    keeps its call's name, and a callback inside such a function is no unit of its own."""
    src = (b"/**\n * Forget the cached copy and read the record again from disk.\n */\n"
           b"defineMethod(Session.prototype, 'reload', function reload(fn) {\n  var self = this;\n"
           b"  this.store.get(this.id, function (err, sess) {\n    if (err) return fn(err);\n    self.data = sess;\n"
           b"    fn();\n  });\n  return this;\n});\n\n"
           b"defineMethod(Session.prototype, 'touch', function touch() {\n  return this.resetMaxAge();\n});\n\n"
           b"app.get('/users', function listUsers(req, res) {\n  res.send(users);\n  res.end();\n});\n")
    units = [(u.kind, u.qualified_name, u.docstring) for u in parse_source(src, "javascript", "session.js")
             if u.kind != "module"]
    assert units == [("function", "reload", "Forget the cached copy and read the record again from disk."),
                     ("function", "touch", ""), ("block", "session: app.get('/users')", "")], units


def test_a_ruby_class_comment_a_blank_line_above_is_its_doc() -> None:
    """rubyzip's OutputStream, InputStream and File have their 20-40-line comments one blank line above `class`: the
    classes had no doc and the comments went to the `module Zip` piece, which came up in 6 of 21 result lists
    (probe 98). A block of line comments one blank line above is the doc; one line, or a file's header, is not."""
    src = (b"# frozen_string_literal: true\n\nmodule Zip\n  # OutputStream is the basic class for writing archives.\n"
           b"  # It provides an IO-like interface for writing a single entry.\n\n  class OutputStream\n"
           b"    def put_next_entry(name)\n      @current = name\n    end\n  end\n\n  # helpers\n\n  class Entry\n"
           b"    def name\n      @name\n    end\n  end\nend\n")
    docs = {u.qualified_name: u.docstring for u in parse_source(src, "ruby", "zip/output_stream.rb") if u.kind == "type"}
    assert docs["Zip::OutputStream"] == ("OutputStream is the basic class for writing archives.\n"
                                          "It provides an IO-like interface for writing a single entry."), docs
    assert docs["Zip::Entry"] == "" and docs["Zip"] == "", docs
    header = b"# Copyright (c) 2024 Someone\n# Released under the MIT licence.\n\nclass Archive\n  def x\n    1\n  end\nend\n"
    assert [u.docstring for u in parse_source(header, "ruby", "archive.rb") if u.kind == "type"] == [""]
    # a section's banner or a note to the team is no doc (review)
    banners = (b"class Foo\n  # -----\n  # Private helpers\n  # -----\n\n  def helper\n    1\n  end\n\n"
               b"  # TODO: remove this\n  # see issue 123\n\n  def other\n    2\n  end\nend\n")
    assert [u.docstring for u in parse_source(banners, "ruby", "foo.rb") if u.kind == "method"] == ["", ""]


def test_a_declared_function_without_a_body_is_a_unit_with_its_doc() -> None:
    """nanoid's index.d.ts became two module pieces, one cut between customRandom's doc and its signature, and no unit
    was named nanoid, customAlphabet or customRandom (probe 95): a signature no implementation or later overload of its
    name follows is a function unit with its doc; overloads stay one unit with their implementation."""
    src = (b"/**\n * Generate a secure random hex token.\n */\nexport function token(size?: number): string\n\n"
           b"/**\n * Build a token generator from your own alphabet and source of random bytes.\n */\n"
           b"export function customToken(\n  alphabet: string,\n  getRandom: (bytes: number) => Uint8Array\n"
           b"): () => string\n\nexport function add(a: number): number;\nexport function add(a: string): string;\n"
           b"export function add(a: any): any {\n  return a\n}\n\ndeclare function over(a: number): number;\n"
           b"declare function over(a: string): string;\n")
    units = [(u.qualified_name, u.start_line, u.end_line, u.docstring) for u in parse_source(src, "typescript", "index.d.ts")
             if u.kind == "function"]
    assert units == [("token", 4, 4, "Generate a secure random hex token."),
                     ("customToken", 9, 12, "Build a token generator from your own alphabet and source of random bytes."),
                     ("add", 14, 18, ""), ("over", 20, 21, "")], units
    # a namespace merged with the function is no overload of it (review)
    merged = (b"/** Make a thing. */\nexport declare function make(x: number): Thing;\n"
              b"export declare namespace make {\n  const version: string;\n}\n")
    assert [(u.kind, u.name, u.docstring) for u in parse_source(merged, "typescript", "a.d.ts") if u.kind == "function"] == [
        ("function", "make", "Make a thing.")]


def test_a_function_a_wrapping_call_binds_to_a_name_is_that_function() -> None:
    """formidable's `const createNecessaryDirectoriesAsync = sequential(function ...)` and virtual-core's class field
    `getVirtualItems = memo(() => ..., (...) => {...})` were blocks, the short ones without a vector, and `--kind
    function,method` left them out (probes 100, 101): a function given to a call whose value is bound to a name is
    that function (a method in a class); a value computed at once, a test's callback and a route's handler stay blocks."""
    src = (b"const makeParentDirs = sequential(function (filePath) {\n  const dir = path.dirname(filePath);\n"
           b"  return fs.mkdir(dir, { recursive: true });\n});\n\nexport class Virtualizer {\n  getVirtualItems = memo(\n"
           b"    () => [this.getMeasurements(), this.range],\n    (measurements, range) => {\n      return measurements\n"
           b"    },\n  )\n}\n\nvar hexTable = (function () {\n  var array = [];\n  return array;\n}());\n\n"
           b"describe('cart', () => {\n  expect(1).toBe(1)\n})\n")
    units = [(u.kind, u.qualified_name) for u in parse_source(src, "typescript", "util.ts") if u.kind not in ("module", "type")]
    assert units == [("function", "makeParentDirs"), ("method", "Virtualizer.getVirtualItems"),
                     ("block", "util: hexTable"), ("block", "util: describe('cart')")], units
    # a method's callback makes no function of the call's value (`store.subscribe(...)`, `items.map(...)`: review)
    methods = b"const unsubscribe = store.subscribe(() => {\n  a()\n  b()\n})\n"
    assert [(u.kind, u.name) for u in parse_source(methods, "javascript", "a.js") if u.kind != "module"] == [
        ("block", "store.subscribe()")]
    # a namespace's wrapper names it (react-hot-toast's `export const ToastBar = React.memo(...)` was a block, and a
    # bundle's getter of that name came first: probe 283; lodash's `_.debounce`), a method's callback does not
    memo = (b"export const StatusBar: React.FC<Props> = React.memo(({ label }) => {\n  const a = 1;\n"
            b"  return <span>{label}</span>;\n});\n\nconst save = _.debounce(function () {\n  a()\n  b()\n}, 100)\n"
            b"const doubled = items.map((x) => {\n  a()\n  return x * 2\n})\n")
    assert [(u.kind, u.name) for u in parse_source(memo, "tsx", "bar.tsx") if u.kind != "module"] == [
        ("function", "StatusBar"), ("function", "save"), ("block", "items.map()")]
    others = (b"const total = _.reduce(items, function (sum, x) {\n  a()\n  return sum + x\n}, 0)\n"
              b"const unsubscribe = Store.subscribe(() => {\n  a()\n  b()\n})\n")  # a namespace's other calls (review)
    assert [(u.kind, u.name) for u in parse_source(others, "javascript", "a.js") if u.kind != "module"] == [
        ("block", "_.reduce()"), ("block", "Store.subscribe()")]


def test_a_callback_a_hook_binds_to_a_name_inside_a_function_is_that_function() -> None:
    """react-hot-toast: `const calculateOffset = useCallback((toast, opts) => {...}, [toasts])` inside the useToaster
    hook was no unit, and its exact name found a caller first (probe 283), where `const calculateOffset = (...) =>
    {...}` is `useToaster.calculateOffset`: a function a function-keeping hook binds is that function, inside a
    function too; another call's callback there stays part of the function."""
    src = (b"import { useCallback } from 'react';\n\nexport const useList = (items: Item[]) => {\n"
           b"  const computeOffset = useCallback(\n    (id: string, gap = 8) => {\n"
           b"      const index = items.findIndex((t) => t.id === id);\n"
           b"      return items.slice(0, index).reduce((acc, t) => acc + t.height + gap, 0);\n    },\n    [items]\n  );\n"
           b"  const total = compute(() => {\n    a()\n    return b()\n  });\n  return { items, computeOffset, total };\n};\n")
    units = [(u.kind, u.qualified_name) for u in parse_source(src, "typescript", "use-list.ts") if u.kind != "module"]
    assert units == [("function", "useList"), ("function", "useList.computeOffset")], units


def test_a_wrapper_that_holds_the_whole_file_is_module_code() -> None:
    """pluralize's UMD wrapper made its factory one 500-line block named "pluralize: ()", its vector from the
    wrapper's boilerplate and its preview at line 1 (probe 105): a callback holding most of a file, given to a call that
    names nothing (a UMD or IIFE wrapper), is the module itself; a named call's (a test suite's `describe`) stays a block."""
    body = "".join(f"  var rule{i} = [/s$/, 'rule {i}'];\n" for i in range(30))
    umd = ("(function (root, factory) {\n  if (typeof module === 'object') {\n    module.exports = factory();\n"
           "  } else {\n    root.words = factory();\n  }\n})(this, function () {\n" + body +
           "  function checkWord(word) {\n    return rule0[0].test(word);\n  }\n  return { checkWord: checkWord };\n});\n")
    kinds = [(u.kind, u.qualified_name) for u in parse_source(umd.encode(), "javascript", "words.js")]
    assert ("function", "checkWord") in kinds and not any(k == "block" for k, _ in kinds), kinds
    for suite in ("describe('words', function () {\n", "describe(Words.name, () => {\n"):  # a suite by its shape (review)
        src = (suite + body + "});\n").encode()
        assert [u.kind for u in parse_source(src, "javascript", "words.test.js") if u.kind == "block"] == ["block"]
    amd = ("define(['jquery', 'underscore'], function ($, _) {\n" + body + "  return {};\n});\n").encode()
    assert not [u for u in parse_source(amd, "javascript", "words.js") if u.kind == "block"]


def test_a_nameless_exported_function_that_wraps_the_file_is_module_code() -> None:
    """bluebird: `module.exports = function(Promise, INTERNAL) {...}` around props.js was one 118-line function unit
    holding every function's text, first for any question about the file (probe 169): like a UMD wrapper it is the
    module; its functions are the file's. A named export, or one holding fewer functions, stays a function."""
    helpers = "".join(f"function helper{i}(x) {{\n    var y = x + {i};\n    return y * 2;\n}}\n\n" for i in range(8))
    wrapped = ("'use strict';\nmodule.exports = function(Promise, INTERNAL) {\nvar cache = {};\n\n" + helpers +
               "return helper0;\n};\n").encode()
    units = parse_source(wrapped, "javascript", "props.js")
    assert not [u for u in units if u.kind == "function" and u.end_line - u.start_line > 10], units
    assert {u.name for u in units if u.kind == "function"} == {f"helper{i}" for i in range(8)}
    assert [u.kind for u in units if u.start_line <= 3 <= u.end_line] == ["module"]  # `var cache` is module code
    named = wrapped.replace(b"function(Promise", b"function props(Promise")
    assert any(u.name == "props" and u.kind == "function" for u in parse_source(named, "javascript", "props.js"))
    handler = wrapped.replace(b"module.exports = function(Promise, INTERNAL)", b"exports.handler = async (event) =>")
    assert any(u.name == "handler" and u.kind == "function" for u in parse_source(handler, "javascript", "lambda.js"))
    single = ("module.exports = function (options) {\n" + "".join(f"  var a{i} = options.a{i};\n" for i in range(40))
              + "  return a0;\n};\n").encode()
    assert [u.kind for u in parse_source(single, "javascript", "index.js")].count("function") == 1


def test_a_class_declared_inside_a_function_is_a_type_when_it_is_long() -> None:
    """immer: `class DraftMap extends Map` inside `enableMapSet()` was no unit, and the name `DraftMap` found only its
    methods (probe 113): a class of TYPE_IN_FUNCTION_LINES lines or more declared in a function is a type; a test's
    two-line stand-in class stays in its test."""
    ts = ("export function enableMapSet() {\n\tclass DraftMap extends Map {\n\t\tconstructor(target: Map<any, any>) {\n"
          "\t\t\tsuper()\n\t\t\tthis.target = target\n\t\t}\n\t\tget size(): number {\n\t\t\treturn this.target.size\n\t\t}\n"
          "\t\tset(key: any, value: any) {\n\t\t\tthis.target.set(key, value)\n\t\t\treturn this\n\t\t}\n\t}\n"
          "\tfunction proxyMap(target: Map<any, any>) {\n\t\treturn new DraftMap(target)\n\t}\n\treturn proxyMap\n}\n")
    types = [(u.qualified_name, u.start_line, u.end_line) for u in parse_source(ts.encode(), "typescript", "plugin.ts") if u.kind == "type"]
    assert types == [("enableMapSet.DraftMap", 2, 14)], types
    py = "def test_it():\n    class Stub:\n        pass\n    assert run(Stub())\n"
    assert [u.kind for u in parse_source(py.encode(), "python", "test_it.py")] == ["function"]


def test_a_default_export_is_named_for_its_module() -> None:
    """async's compiled `exports.default = function (...)` was a function named `default` (probe 119); underscore's
    `export default restArguments(function(obj, keys) {...})` a block named "pick: restArguments()", missed by
    `--kind function` and by its name (probe 122): a default export is its module's, as it is imported."""
    compiled = ('"use strict";\nexports.default = function (worker, concurrency) {\n  var q = queue(worker, concurrency);\n'
                "  q.push = function (data, priority) {\n    return push(data, priority);\n  };\n  return q;\n};\n")
    wrapped = ('import restArguments from "./restArguments.js";\n\nexport default restArguments(function(obj, keys) {\n'
               "  var result = {};\n  for (var i = 0; i < keys.length; i++) {\n    result[keys[i]] = obj[keys[i]];\n"
               "  }\n  return result;\n});\n")
    named = lambda src, path: [(u.kind, u.qualified_name) for u in parse_source(src.encode(), "javascript", path)  # noqa: E731
                               if u.kind != "module"]
    assert named(compiled, "lib/priorityQueue.js") == [("function", "priorityQueue"), ("function", "priorityQueue.q.push")]
    assert named(wrapped, "modules/pick.js") == [("function", "pick")]


def test_a_python_function_without_a_docstring_takes_the_comment_above_it() -> None:
    """h11 documents `is_next_line_obviously_invalid_request_line` in nine `#` lines above the `def`, no docstring;
    the method's doc was empty and the comment's words reached only the class (probe 121): without a docstring, a
    Python function's doc is the comment block right above it, and the model reads it first."""
    from codesearch.parse.documents import document_text

    src = (b"class ReceiveBuffer:\n    def extract(self, n):\n        \"\"\"Take n bytes out.\"\"\"\n        return self.d[:n]\n\n"
           b"    # A TLS ClientHello sent to a plain-text port starts with 0x16: no request line does.\n"
           b"    def looks_invalid(self):\n        return self.d[:1] == b'\\x16'\n\n\n# --- helpers ---\n\ndef helper():\n"
           b"    return 1\n")
    units = {u.qualified_name: u for u in parse_source(src, "python", "buf.py")}
    looks = units["ReceiveBuffer.looks_invalid"]
    assert looks.docstring.startswith("A TLS ClientHello") and document_text(looks).startswith("A TLS ClientHello")
    assert units["ReceiveBuffer.extract"].docstring == "Take n bytes out."
    assert document_text(units["ReceiveBuffer.extract"]).startswith("def extract")  # a docstring is embedded once
    assert units["helper"].docstring == ""  # a banner a blank line above is no doc


def test_a_tools_comment_above_a_python_def_is_no_doc() -> None:
    """Review: `# type: ignore[override]` and `# pragma: no cover` above a def became its doc once a comment above a
    Python def was read as one: a tool's directive says nothing of the code."""
    src = (b"class A(B):\n    # type: ignore[override]\n    def run(self):\n        return 1\n\n"
           b"    # pragma: no cover\n    def debug(self):\n        return 2\n")
    docs = {u.qualified_name: u.docstring for u in parse_source(src, "python", "a.py") if u.kind == "method"}
    assert docs == {"A.run": "", "A.debug": ""}, docs


def test_a_doc_comment_leaves_out_banners_and_credits_before_its_words() -> None:
    """PyYAML's `warnings` was summed up as "-----" (a banner right above it), spf13/cast's `indirect` as "From
    html/template/content.go", its doc then Go's copyright (probe 124): banner lines are no doc, and a credit for
    copied code (a source path, a copyright line) is left out with what comes before it."""
    py = b"import x\n\n# -----------------------------------------\n# Deprecated settings.\ndef warnings(settings=None):\n    return {}\n"
    go = (b"package cast\n\n// From html/template/content.go\n// Copyright 2011 The Go Authors. All rights reserved.\n"
          b"// indirect returns the value, after dereferencing.\nfunc indirect(a interface{}) interface{} {\n\treturn a\n}\n\n"
          b"// -----\nfunc f() {}\n")
    docs = {u.name: u.docstring for lang, src in (("python", py), ("go", go)) for u in parse_source(src, lang, "m")}
    assert (docs["warnings"], docs["indirect"], docs["f"]) == (
        "Deprecated settings.", "indirect returns the value, after dereferencing.", ""), docs
    # a credit further down, an `@copyright` tag or a sentence that says "copyright" stays (review)
    php = (b"<?php\n/**\n * Parses things.\n *\n * @package Foo\n * @copyright 2010 Jane\n"
           b" * @license http://x/bsd-license.php BSD\n */\nclass P {\n}\n")
    wrapped = (b"package a\n\n// Footer renders the page footer with the\n// copyright holder's name.\nfunc Footer() {}\n\n"
               b"// Load reads the settings\n// from config/app.yaml\n// and returns them.\nfunc Load() {}\n")
    kept = {u.name: u.docstring for lang, src in (("php", php), ("go", wrapped)) for u in parse_source(src, lang, "m")}
    assert kept["P"].startswith("Parses things.") and "@copyright 2010 Jane" in kept["P"], kept
    assert kept["Footer"].startswith("Footer renders") and kept["Load"].startswith("Load reads the settings"), kept


def test_a_long_banner_line_is_read_in_linear_time() -> None:
    """A rule of 2,000 dashes and a word took 30 s in the banner pattern (review): a hang guard, not a speed target."""
    from conftest import hang_guard

    src = b"package a\n\n// " + b"=" * 3000 + b" Helpers\n// f does it.\nfunc f() {}\n" + b"// " + b"-" * 3000 + b"a\nfunc g() {}\n"
    with hang_guard(10, "a banner line backtracks"):
        units = parse_source(src, "go", "a.go")
    assert [u.name for u in units if u.kind == "function"] == ["f", "g"]


def test_a_doc_comment_above_a_maintainers_line_note_is_still_the_doc() -> None:
    """true-myth: `/** Given a nested Maybe, remove one layer ... */` then `// NOTE: the this type ...` above `flatten`,
    and an overloaded `resolve` whose implementation has a `//` note above it, took the note for their doc; the JSDoc's
    words reached no vector (probe 176)."""
    ts_src = (b"export class Maybe<T> {\n  /**\n    Given a nested Maybe, remove one layer of nesting.\n   */\n"
              b"  // NOTE: the `this` type keeps call sites simple.\n  flatten<A>(this: Maybe<Maybe<A>>): Maybe<A> {\n"
              b"    return this.value;\n  }\n\n  /**\n    Create a Maybe that already holds the given value.\n   */\n"
              b"  static resolve(): Maybe<undefined>;\n  static resolve<T>(value: T): Maybe<T>;\n"
              b"  // The implementation is intentionally vague about the types.\n"
              b"  static resolve(value?: unknown): Maybe<unknown> {\n    return new Maybe(value);\n  }\n}\n"
              b"/**\n  Add two numbers and return their sum.\n */\n// perf: keep this branch-free\n"
              b"export function add(a: number, b: number): number {\n  return a + b;\n}\n"
              b"// a note of its own is still a doc\nexport function sub(a: number, b: number): number {\n  return a - b;\n}\n")
    docs = {u.qualified_name: u.docstring for u in parse_source(ts_src, "typescript", "maybe.ts") if u.kind != "module"}
    assert docs["Maybe.flatten"].startswith("Given a nested Maybe, remove one layer of nesting.")
    assert docs["Maybe.resolve"] == "Create a Maybe that already holds the given value."
    assert docs["add"].startswith("Add two numbers and return their sum.")
    assert docs["sub"] == "a note of its own is still a doc"


def test_a_named_function_a_factory_returns_is_a_unit_of_its_name() -> None:
    """body-parser: `return function queryparse (body) {...}` in extendedparser was no unit, so `queryparse` found its
    caller first and extendedparser not at all (probe 181); express-style middleware factories return theirs so."""
    src = (b"function extendedparser (options) {\n  var limit = options.parameterLimit\n"
           b"  return function queryparse (body) {\n    return qs.parse(body, { parameterLimit: limit })\n  }\n}\n"
           b"function plain () {\n  return function () { return 1 }\n}\n")
    for language, path in (("javascript", "urlencoded.js"), ("typescript", "urlencoded.ts")):
        units = {(u.qualified_name, u.start_line, u.end_line) for u in parse_source(src, language, path) if u.kind == "function"}
        assert units == {("extendedparser", 1, 6), ("extendedparser.queryparse", 3, 5), ("plain", 7, 9)}, (language, units)


def test_a_ruby_method_defined_on_an_object_is_named_as_the_objects() -> None:
    """haml's `def obj.render_it` inside `Template#setup` was named `Haml::Template.render_it`, a class method that
    does not exist; it is obj's (`def self.x` and `def Const.x` stay the class's)."""
    ruby = (b"module Haml\n  class Template\n    def setup(obj)\n      def obj.render_it(x)\n        x\n      end\n"
            b"      def @view.show; end\n    end\n    def self.build\n      new\n    end\n  end\nend\n")
    names = [u.qualified_name for u in parse_source(ruby, "ruby", "template.rb") if u.kind == "method"]
    assert names == ["Haml::Template#setup", "obj.render_it", "@view.show", "Haml::Template.build"]


def test_a_bundlers_export_map_entries_are_no_units() -> None:
    """@tldraw/state's dist-cjs: esbuild's `__export(x, { whyAmIRunning: () => whyAmIRunning })` made a `method`
    unit per export, and `whyAmIRunning` found that line before the function (probe 231); an arrow that computes is
    still one."""
    src = (b'"use strict";\nvar __export = (target, all) => {\n  for (var name in all) target[name] = all[name];\n};\n'
           b"var capture_exports = {};\n__export(capture_exports, {\n  whyAmIRunning: () => whyAmIRunning,\n"
           b"  other: () => compute(1)\n});\nmodule.exports = capture_exports;\nfunction whyAmIRunning() {\n"
           b"  return stack;\n}\n")
    units = [(u.kind, u.name) for u in parse_source(src, "javascript", "dist-cjs/capture.js")]
    assert ("function", "whyAmIRunning") in units and ("method", "whyAmIRunning") not in units, units
    assert ("method", "other") in units


def test_a_function_wrapped_in_satisfies_as_or_brackets_is_a_function_named_by_its_binding() -> None:
    """react-form: `export const Field = ((...) => {...}) satisfies FunctionComponent<...>` was a module piece
    binding Field, and `Field` typed found another unit's `Field` first (probe 289): a type check or brackets
    around a function change nothing of what it is."""
    tsx = (b"export const Field = (({ children }: any): ReactNode => {\n  return children(1)\n})"
           b" satisfies FunctionComponent<any>\n\nconst handle = ((req: Req) => {\n  return req.id\n}) as Handler\n\n"
           b"const plain = (function (x) {\n  return x\n})\n\nconst value = (1 + 2) as number\n")
    units = {u.qualified_name: u.kind for u in parse_source(tsx, "tsx", "useField.tsx")}
    assert units.get("Field") == units.get("handle") == units.get("plain") == "function", units
    js = b"var plain = (function (x) {\n  return x\n})\n\nvar gen = (function* () {\n  yield 1\n})\n"
    kinds = {u.qualified_name: u.kind for u in parse_source(js, "javascript", "a.js")}
    assert kinds.get("plain") == kinds.get("gen") == "function", kinds


def test_php_5_string_offsets_in_braces_keep_the_class_whole() -> None:
    """HTMLPurifier's Encoder: `$str{$i}` (PHP 5's string offset, which today's grammar reads as an error) ran one
    method to the class's end and named the next `Enc\\clean::convertToUTF8`, a function (probe 289); the code shown
    keeps the braces as written."""
    php = (b"<?php\nclass Enc\n{\n    public static function clean($str)\n    {\n        $out = '';\n"
           b"        for ($i = 0; $i < strlen($str); $i++) {\n            $in = ord($str{$i});\n"
           b"            if (0 == (0x80 & ($in))) {\n                $out .= chr($in) . \"{$str}\";\n            }\n"
           b"        }\n        return $out;\n    }\n\n"
           b"    public static function convertToUTF8($str, $config)\n    {\n        return iconv($config, 'utf-8', $str);\n"
           b"    }\n}\n")
    units = {u.qualified_name: u for u in parse_source(php, "php", "Encoder.php")}
    assert units["Enc::convertToUTF8"].kind == "method", sorted(units)
    assert (units["Enc::clean"].start_line, units["Enc::clean"].end_line) == (4, 14)
    assert "ord($str{$i})" in units["Enc::clean"].code
