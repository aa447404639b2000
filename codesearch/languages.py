"""The languages codesearch reads: one frozen `LanguageSpec` each, and nothing else names a language.

Standard library only: the light socket client imports the list of names. Adding a language is one
spec here, one tag query `grammars/<name>-tags.scm` and fixtures under
`tests/fixtures/languages/<name>/` (tests/parse/test_languages.py checks that all three agree).

The parser reads the node types and rules below; it has no per-language branches of its own beyond
the four qualified-name styles (`QUALIFIED_STYLES`) and the three doc-comment rules (`DOC_RULES`).
"""

from __future__ import annotations

import os
import posixpath
import re
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Mapping

QUALIFIED_STYLES = ("dotted", "receiver", "instance-singleton", "namespace-member")
DOC_RULES = ("docstring", "comment-above", "doc-comment-above")
SCOPE_ROLES = ("class", "function", "binding", "singleton")


@dataclass(frozen=True)
class QualifiedNames:
    """How a unit's qualified name is spelled: its style and separators.

    - dotted: enclosing scopes joined with `scope` (`Cache.Entry.touch`);
    - receiver: Go's `Receiver.Method` for methods, else the bare name;
    - instance-singleton (Ruby): modules/classes joined with `scope`, then `member` (`#`) for an
      instance method or `singleton` (`.`) for a class-level one, then the name;
    - namespace-member (PHP): namespace and classes joined with `scope` (`\\`), the member after
      `member` (`::`).
    """

    style: str = "dotted"
    scope: str = "."
    member: str = "."  # between the innermost type and a member
    singleton: str = "."  # Ruby: before a singleton (class-level) method


@dataclass(frozen=True)
class LanguageSpec:
    """Everything the walker, the parser, ranking and the surfaces know about one language."""

    name: str  # what `--lang` and `Query.languages` accept; the catalog's `language` column
    title: str  # how a message spells it ("JavaScript")
    extensions: tuple[str, ...]  # lower-case, with the dot; each claimed by one language only
    grammar_module: str  # the tree-sitter grammar's Python package
    grammar_function: str = "language"  # the package's function returning the Language pointer
    file_names: tuple[str, ...] = ()  # whole file names of the language without its extension (`Rakefile`)
    tag_query: str = ""  # file in grammars/; "" means "<name>-tags.scm"
    comment_nodes: tuple[str, ...] = ("comment",)
    # node type -> role: "class" and "function" scopes name their members, "binding" names a value
    # bound to a name (`const api = {...}`), "singleton" is Ruby's `class << self`
    scopes: Mapping[str, str] = field(default_factory=dict)
    qualified: QualifiedNames = QualifiedNames()
    doc_rule: str = "comment-above"  # docstring | comment-above | doc-comment-above (`/**` only)
    # a block of line comments one blank line above a definition is still its doc (rubyzip's class comments: probe 98)
    doc_over_blank: bool = False
    # a class may be reopened in another file to add to it (Ruby): one holding only nested types is such a wrapper
    reopens_classes: bool = False
    constructors: tuple[str, ...] = ()  # a method of one of these names is a constructor
    method_by_scope: bool = False  # a function whose nearest scope is a class is a method (Python, Ruby)
    span_parents: tuple[str, ...] = ()  # parent nodes that widen a definition (decorators, `export`)
    leading_nodes: tuple[str, ...] = ()  # siblings right before a definition that belong to it
    # signatures of the definition's name right before it, with their doc comments (TypeScript's overloads)
    overload_nodes: tuple[str, ...] = ()
    bindings: bool = False  # JS-style: functions bound by declaration, assignment or object property
    # unit kinds beyond functions (see parse/units.py): type declarations, and anonymous functions or
    # blocks given to a call (`app.get('/x', (req, res) => ...)`, `get '/' do ... end`)
    type_nodes: tuple[str, ...] = ()
    block_nodes: tuple[str, ...] = ()
    call_nodes: tuple[str, ...] = ()  # the calls a block may be given to (directly or as an argument)
    test_files: tuple[str, ...] = ()  # regular expressions a test file's name matches in full
    test_names: tuple[str, ...] = ()  # regular expressions a test function's name matches in full
    # what else lives in a test file by the tools' rules: documentation examples (Go's `ExampleRouter`, run and shown
    # by `go doc`; files `example_test.go`, `example_*_test.go`) and benchmarks (`BenchmarkParse`), not tests
    example_files: tuple[str, ...] = ()
    example_names: tuple[str, ...] = ()
    benchmark_names: tuple[str, ...] = ()
    # its test runners find tests by their file names alone (pytest and unittest: `test_*.py`; the go tool: `_test.go`),
    # so a folder of its code holding no such file holds no tests (Django's `django/test/`: the test client)
    tests_found_by_name: bool = False
    # a line opening a generic call signature (`<T>(x: T): T`) ends the member above it, as TypeScript reads no type
    # arguments across a line break; the grammar reads them, and loses the interface (parse/parsing._signatures_ended)
    generic_signatures_end_lines: bool = False
    # a variable's offset in braces (`$str{$i}`, PHP 5) means brackets, which the grammar reads as an error that runs a
    # method to its class's end (parse/parsing._FileParser._brace_offsets_read)
    brace_offsets: bool = False
    # a binding's type arguments may open the lines below it (`X: Required<` ... `> = {...}`), a bracket as `(` is
    type_arguments_span_lines: bool = False
    # a call that makes methods class-level: given one (`module_function def x`), naming them (`module_function :x`),
    # or bare, over the methods below it up to a visibility call (Ruby's `module_function`: `Util.strip`, not `#strip`)
    class_level_call: str = ""
    visibility_calls: tuple[str, ...] = ()
    # its tests live beside the code they test (the go tool: `x_test.go` next to `x.go`), so a test file in a folder
    # says nothing about the folder's other files
    tests_beside_code: bool = False
    # an import only tests may use (Go's "testing", whose `*testing.T` the go tool gives to `_test.go` functions alone),
    # as a regular expression over a file's first lines: a file outside the test files that imports it helps tests
    test_import: str = ""
    # the clause that names a file's package, its name the first group (Go's `package sqlx`): a name qualified by it
    # is found though no folder is named so
    package_clause: str = ""
    # a file's line declaring the namespace it is in, group 1 its last part (PHP's `namespace Doctrine\DBAL\Tools;`)
    namespace_clause: str = ""
    # files a runner also collects from when they import a test framework (unittest's `test*.py`: test.py, tests_api.py),
    # and that import
    runner_files: tuple[str, ...] = ()
    runner_import: str = ""
    # folders that hold the library itself, never its tests (a gem's `lib/`: Rails' lib/action_dispatch/testing/ is the
    # test helpers it ships, test_process.rb included; its own tests live in test/ and spec/)
    library_roots: tuple[str, ...] = ()
    library_test_files: tuple[str, ...] = ()  # the test-file patterns that still hold below a library root (`*_spec.rb`)
    # folders the language's build tool never reads (the go tool skips `_codegen/`, `testdata/`-like `_x/`): upkeep
    skipped_dir_prefixes: tuple[str, ...] = ()
    # where a test file's name is a habit, not a rule the tools enforce (`*Test.php`, `Test*.java`): what a real
    # test file holds in its first bytes; one named so without any of these is main code (Twig's `TwigTest`)
    test_marks: tuple[str, ...] = ()
    habit_test_files: tuple[str, ...] = ()  # where only these test-file names are a habit (empty: every one is)
    # a method's receiver as written, group 1 kept (Go's `func (f BoolFlag)` as `func (f)`): what copies of one method
    # written for several types share (ranking.duplicate_key)
    receiver_type: str = ""
    # a file's line that builds it only for tests' tools (Go's `//go:build gofuzz`: a go-fuzz harness; not `!gofuzz`)
    test_build_line: str = ""
    # a file's line that keeps it out of every build (Go's `//go:build ignore`: a generator run by hand, `go run x.go`)
    unbuilt_line: str = ""
    # a line of a type's body that defines a method by another name (Ruby's `alias authorize basic_authorize`)
    method_alias: str = ""
    stub_suffix: str = ""  # a file that types its module beside it (Python's `_cmp.pyi` for `_cmp.py`)
    identifier: str = r"[A-Za-z_]\w*"  # one identifier, as a regular expression
    # regular expressions (group 1: the name) of a line of module or type code that binds a name, so a
    # constant, variable or field is found by its name (`DEFAULT_REDIRECT_LIMIT = 30`, `var AllLevels = ...`)
    bind_lines: tuple[str, ...] = ()
    member_lines: tuple[str, ...] = ()  # as bind_lines, read only in a type's body (fields, members)
    # a variable's value that is an anonymous class (Java's `new Filter() {...}`): its methods are named by the variable
    anonymous_class_values: tuple[str, ...] = ()
    enum_lines: tuple[str, ...] = ()  # as member_lines, read only in an enum's body (its constants)
    # a module line that opens an object of its exports (CommonJS `module.exports = {`), and the lines of that object
    # that bind a name (`GUID: '258EAFA5-...',`, a shorthand `hasBlob,`): ws' constants were found by no name
    export_map: str = ""
    export_keys: tuple[str, ...] = ()
    # a comment line of a type's body that declares a member the code makes at run time (RDoc's `# :method:
    # field_with(criteria)` over mechanize's generated `field_with`: probe 256), group 1 its name
    declared_in_comments: str = ""
    comment_lines: tuple[str, ...] = ("//", "/*", "*")  # how a comment line starts (a JS `#field` is not one)
    line_comments: tuple[str, ...] = ("//",)  # what starts a comment that runs to the end of its line
    # a `/.../` after `=`, `(`, `,` ... may be a regular expression literal, blanked before brackets and comments are
    # read (Ruby's `TagName = /#|\w+/` held a `#` and liquid's constants after it were lost: probe 75)
    regex_literals: bool = True
    indented_bodies: bool = False  # bodies by indentation, not brackets: a line inside a bracket continues a call
    # how a heredoc starts (group 2: the word that ends it, alone on a line): its lines are text, not code
    heredoc: str = ""
    # JavaScript and the languages compiled to it share modules, and one module may sit beside itself in another
    # format (retry.ts and the retry.js tsc made of it; x.js and x.mjs). 0: not such a language; higher: nearer the
    # source (TypeScript 2, JavaScript 1), so of two copies the source is the one shown
    js_module_rank: int = 0

    def __post_init__(self) -> None:
        object.__setattr__(self, "scopes", MappingProxyType(dict(self.scopes)))
        if not self.tag_query:
            object.__setattr__(self, "tag_query", f"{self.name}-tags.scm")

    def is_test_file(self, file_name: str) -> bool:
        """True when a file's base name follows this language's test-file convention."""
        return any(re.fullmatch(p, file_name) for p in self.test_files)

    def kind_in_test_file(self, file_name: str, name: str) -> str:
        """'example' or 'benchmark' for what the tools run from a test file as such, else 'test'."""
        if any(re.fullmatch(p, name) for p in self.benchmark_names):
            return "benchmark"
        if any(re.fullmatch(p, file_name) for p in self.example_files) or any(re.fullmatch(p, name) for p in self.example_names):
            return "example"
        return "test"


_JS_SCOPES = {
    "class_declaration": "class",
    "class": "class",
    "function_declaration": "function",
    "generator_function_declaration": "function",
    "method_definition": "function",
    "variable_declarator": "binding",
    "pair": "binding",
    "assignment_expression": "binding",
    "field_definition": "binding",  # a class field holding functions or the call given them: `rows = memo(() => ...)`
}
_JS_SPAN = ("lexical_declaration", "variable_declaration", "expression_statement", "export_statement")
_JS_TESTS = (r".*\.(test|spec)\.[cm]?[jt]sx?", r".*\.test-d\.[cm]?[jt]sx?")  # tsd's `index.test-d.ts` tests types
_JS_BINDS = (r"(?:export\s+)?(?:default\s+)?(?:declare\s+)?(?:const|let|var)\s+([A-Za-z_$][\w$]*)\s*[:=].*",
             # declared, set later: tsc's enum `export var LogLevel;` then `(function (LogLevel) {...})` (probe 67)
             r"(?:export\s+)?(?:let|var)\s+([A-Za-z_$][\w$]*)\s*;",
             r"(?:module\.)?exports\.([A-Za-z_$][\w$]*)\s*=(?!=).*",
             # a member set at module level: moment's `moment.utc = utc;`, `proto.add = add;` (not an ES5 class's
             # `Error.prototype = Object.create(..)`, `.prototype.constructor = Error`: no names of it, probe 155)
             r"(?!(?:module\.)?exports\.|module\.exports\s*=)[A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)*"
             r"\.(?!(?:prototype|constructor)\s*=)([A-Za-z_$][\w$]*)\s*=(?![=>]).*")
# a class field, enum member or interface member: `static defaults = {...}`, `Red = 'RED',`, `timeout?: number;`,
# `@Input() name: string;`
_JS_EXPORT_MAP = dict(export_map=r"(?:module\.)?exports\s*=\s*\{", export_keys=(
    r"([A-Za-z_$][\w$]*)\s*:(?!:).*", r"([A-Za-z_$][\w$]*)\s*,?\s*(?://.*)?"))
_MEMBER_MODIFIERS = "public|private|protected|static|readonly|declare|abstract|override"  # before a class member's name
_JS_MEMBERS = (rf"(?:@\w+(?:\([^)]*\))?\s+)*(?:(?:{_MEMBER_MODIFIERS})\s+)*"
               r"#?([A-Za-z_$][\w$]*)[?!]?\s*(?::[^;(=]*)?=(?![=>]).*",
               rf"(?:@\w+(?:\([^)]*\))?\s+)*(?:(?:{_MEMBER_MODIFIERS})\s+)*"
               r"([A-Za-z_$][\w$]*)[?!]?\s*:\s*[^;]+;?\s*(?://.*)?",  # `onClick: (e: Event) => void;`
               r"([A-Za-z_$][\w$]*)\s*,?\s*(?://.*)?")  # an enum member without a value
# a method's signature in an interface or a declared class (`evict(limit: number): number;`, `get<K>(k: K): V`), which
# is no unit: its type binds it, and a `Cache.evict` typed opens there (runtypes' RuntypeBase.validate: probe 199)
_TS_SIGNATURE = (rf"(?:(?:{_MEMBER_MODIFIERS}|async)\s+)*"
                 r"([A-Za-z_$][\w$]*)\??\s*(?:<[^()]*>)?\s*\(.*(?<!\{)")  # its line not opening a body
_TS_SCOPES = {**{k: v for k, v in _JS_SCOPES.items() if k != "field_definition"}, "abstract_class_declaration": "class",
              "interface_declaration": "class", "internal_module": "class", "public_field_definition": "binding"}
_JS_BLOCKS = dict(block_nodes=("arrow_function", "function_expression"), call_nodes=("call_expression",))
_NAMESPACE_CLAUSE = r"^\s*namespace\s+(?:[\w\\]+\\)?(\w+)\s*[;{]"  # PHP's `namespace A\B;`, TypeScript's `namespace B {`
_TS = dict(grammar_module="tree_sitter_typescript", tag_query="typescript-tags.scm", scopes=_TS_SCOPES, js_module_rank=2,
           generic_signatures_end_lines=True, type_arguments_span_lines=True, namespace_clause=_NAMESPACE_CLAUSE,
           constructors=("constructor",), span_parents=(*_JS_SPAN, "ambient_declaration"), leading_nodes=("decorator",), bindings=True,
           overload_nodes=("function_signature", "method_signature", "abstract_method_signature"),
           test_files=(r".*\.(test|spec)\.[cm]?tsx?", r".*\.test-d\.[cm]?tsx?"), identifier=r"[A-Za-z_$][\w$]*", bind_lines=_JS_BINDS,
           **_JS_EXPORT_MAP, member_lines=(*_JS_MEMBERS, _TS_SIGNATURE),
           type_nodes=("class_declaration", "class", "abstract_class_declaration",
                                                 "interface_declaration", "type_alias_declaration", "enum_declaration",
                                                 "internal_module"), **_JS_BLOCKS)

SPECS: tuple[LanguageSpec, ...] = (
    LanguageSpec(
        name="go", title="Go", extensions=(".go",), grammar_module="tree_sitter_go",
        qualified=QualifiedNames(style="receiver"),
        type_nodes=("type_declaration",), block_nodes=("func_literal",), call_nodes=("call_expression",),
        test_files=(r".*_test\.go",),
        receiver_type=r"^(func \(\w+) \*?[\w.]+(?:\[[^\]]*\])?\)",
        test_build_line=r"^//\s*(?:\+build|go:build)\s.*(?<![!\w])gofuzz\b",
        unbuilt_line=r"^//\s*(?:\+build|go:build)\s+ignore\s*$",
        test_names=(r"Test[A-Z0-9_]\w*", r"Benchmark[A-Z0-9_]\w*", r"Fuzz[A-Z0-9_]\w*"),
        example_files=(r"example(?:_\w+)?_test\.go",), example_names=(r"Example(?:[A-Z0-9_]\w*)?",),
        benchmark_names=(r"Benchmark[A-Z0-9_]\w*",), skipped_dir_prefixes=("_",), tests_found_by_name=True,
        tests_beside_code=True,
        package_clause=r"^package\s+(\w+)",
        test_import=r'^import\s+(?:[\w.]+\s+)?"testing"|^import\s*\([^)]*?^\s*(?:[\w.]+\s+)?"testing"\s*(?://.*)?$',
        # `const X = 1`, `var X T`, a line of a `const (...)`/`var (...)` group; a struct's fields `Name string`
        bind_lines=(r"(?:const|var)\s+([A-Za-z_]\w*)\b.*", r"([A-Za-z_]\w*)(?:\s*,\s*\w+)*(?:\s+[\w.*\[\]]+)?\s*=(?!=).*",
                    r"([A-Za-z_]\w*)(?:\s*,\s*\w+)*\s+[\w.*\[\]]+\s*(?://.*)?", r"([A-Za-z_]\w*)\s*(?://.*)?"),
        # a struct's fields (`A, B int`, `Extra map[string]interface{}`, `done <-chan struct{}`, `Server struct {`), an
        # interface's methods
        member_lines=(r"([A-Za-z_]\w*)(?:\s*,\s*[A-Za-z_]\w*)*\s+(?:func\b.*|(?:<-\s*)?chan\b.*|"
                      r"(?:struct|interface)\s*\{.*|"
                      r"[\w.*\[\]{}]+(?:\s+`[^`]*`)?\s*(?://.*)?)", r"([A-Za-z_]\w*)\(.*",
                      # an embedded field, named by its type (`http.Handler`, `*sync.Mutex`: pretty's printer
                      # embeds io.Writer: probe 82)
                      r"\*?(?:[A-Za-z_]\w*\.)?([A-Z]\w*)(?:\s+(?:`[^`]*`|\"\"))?\s*(?://.*)?"),
    ),
    LanguageSpec(
        name="ruby", title="Ruby", extensions=(".rb", ".rake", ".gemspec", ".ru"),
        # the DSL files Ruby tools read (rake, bundler, guard, danger, vagrant, capistrano, cocoapods, fastlane, ...)
        file_names=("Rakefile", "Gemfile", "Guardfile", "Dangerfile", "Vagrantfile", "Capfile", "Podfile", "Fastfile",
                    "Berksfile", "Thorfile", "Brewfile"),
        grammar_module="tree_sitter_ruby",
        scopes={"class": "class", "module": "class", "singleton_class": "singleton", "assignment": "binding"},
        qualified=QualifiedNames(style="instance-singleton", scope="::", member="#", singleton="."),
        constructors=("initialize",), method_by_scope=True, doc_over_blank=True, reopens_classes=True,
        class_level_call="module_function", visibility_calls=("public", "private", "protected"),
        type_nodes=("class", "module"), block_nodes=("do_block", "block"), call_nodes=("call",),
        test_files=(r".*_(spec|test)\.rb", r"test_.*\.rb"), library_roots=("lib",), library_test_files=(r".*_(spec|test)\.rb",),
        test_names=(r"test_\w*",),
        identifier=r"[A-Za-z_]\w*[?!=]?",
        bind_lines=(r"([A-Z]\w*)\s*(?:\|\|)?=(?![=~]).*",),
        # an attribute (`attr_reader :store`), and a method's other name (`alias :t :translate`,
        # `alias_method :l, :localize`): i18n's `I18n.t`, the call every user makes, is an alias; one of an operator
        # too (tilt's `alias template_for []`)
        member_lines=(r"attr_(?:accessor|reader|writer)[\s(]+:(\w+).*",
                      r"@@([A-Za-z_]\w*)\s*(?:\|\|)?=(?![=~]).*",  # a class variable (ruby-oauth's `@@default_options`)
                      # a method handed to a field (Forwardable's `def_delegators :@headers, :[], :to_h`, its
                      # `def_delegator :@status, :reason` or `..., :reason, :why`, Rails' `delegate :a, :b, to: :x`):
                      # http.rb's Response#mime_type (probe 196)
                      r"def_delegators\s*\(?\s*:?@*\w+\s*,\s*(?::\W+\s*,\s*)*:([A-Za-z_]\w*[?!=]?).*",
                      r"def_delegator\s*\(?\s*:?@*\w+\s*,\s*:[A-Za-z_]\w*[?!=]?\s*,\s*:([A-Za-z_]\w*[?!=]?).*",
                      r"def_delegator\s*\(?\s*:?@*\w+\s*,\s*:([A-Za-z_]\w*[?!=]?)\s*\)?\s*(?:#.*)?",
                      r"delegate\s*\(?\s*:([A-Za-z_]\w*[?!=]?)\s*,(?!.*\bprefix:).*\bto:.*",  # (`prefix:` renames)
                      r"alias\s+:?([A-Za-z_]\w*[?!=]?)\s+:?(?:[A-Za-z_]\w*[?!=]?|[^\sA-Za-z_#]+)\s*(?:#.*)?",
                      r"alias_method\s*\(?\s*:([A-Za-z_]\w*[?!=]?)\s*,.*",
                      # and a DSL's other name for one of its own (RSpec's `alias_matcher :a_string_including,
                      # :include`, Rails' `alias_attribute`, Thor's `alias_command`: probe 144)
                      r"alias_(?!method\b)\w+\s*\(?\s*:([A-Za-z_]\w*[?!=]?)\s*,\s*:?[A-Za-z_].*"),
        method_alias=r"\s*(?:alias_method|alias)\b",
        declared_in_comments=r"#\s*:(?:method|singleton-method|attr_accessor|attr_reader|attr_writer|attr):\s*"
                             r"([A-Za-z_]\w*[?!=]?)",
        comment_lines=("#", "=begin"), line_comments=("#",), indented_bodies=True,
        heredoc=r"<<[~-]?([\"'`])?((?(1)\w+|[A-Z_][A-Z0-9_]*\b))(?(1)\1)",  # `<<~EOS`, `<<~'eos'`; not `arr <<item`
    ),
    LanguageSpec(
        name="python", title="Python", extensions=(".py", ".pyi"), grammar_module="tree_sitter_python",
        scopes={"class_definition": "class", "function_definition": "function"},
        doc_rule="docstring", constructors=("__init__", "__new__"), method_by_scope=True,
        span_parents=("decorated_definition",), type_nodes=("class_definition",),
        test_files=(r"test_.*\.py", r".*_test\.py", r"conftest\.py", r"tests\.py"),  # tests.py: a Django app's
        test_names=(r"test_\w*", r"test[A-Z]\w*", r"Test[A-Z]\w*"),  # pytest collects `class TestParser`
        tests_found_by_name=True, runner_files=(r"test.*\.py",),
        runner_import=r"^\s*(?:import|from)\s+(?:unittest|pytest)\b",
        # a Django app's tests.py imports its test case; Jinja2's jinja2/tests.py (`test_odd`) is its template tests
        habit_test_files=(r"tests\.py",),
        # a framework's, or a project's own test module (DRF's `rest_framework.test`, `myproject.testing`), and any
        # *TestCase (APITestCase, BaseTestCase)
        test_marks=(r"(?m)^\s*(?:import|from)\s+(?:unittest|pytest|nose|hypothesis|[\w.]*\btest(?:s|ing)?)\b",
                    r"TestCase\b"),
        stub_suffix=".pyi",
        # `LIMIT = 30`, `timeout: float = 5.0`, `__all__ = [...]`, `A, B = 1, 2`, `(MSG_A, MSG_B) = range(2)`
        bind_lines=(r"([A-Za-z_]\w*)\s*(?::[^=]+)?=(?!=).*", r"([A-Za-z_]\w*)(?:\s*,\s*[A-Za-z_]\w*)+\s*=(?!=).*",
                    r"[(\[]\s*([A-Za-z_]\w*)(?:\s*,\s*[A-Za-z_]\w*)*\s*,?\s*[)\]]\s*=(?!=).*"),
        member_lines=(r"([A-Za-z_]\w*)\s*:\s*[^=]+",),  # a dataclass's or NamedTuple's field: `timeout: float`
        comment_lines=("#",), line_comments=("#",), indented_bodies=True, regex_literals=False,
    ),
    LanguageSpec(
        name="java", title="Java", extensions=(".java",), grammar_module="tree_sitter_java",
        comment_nodes=("line_comment", "block_comment"),
        scopes={"class_declaration": "class", "interface_declaration": "class", "enum_declaration": "class",
                "record_declaration": "class", "annotation_type_declaration": "class",
                "method_declaration": "function", "constructor_declaration": "function",
                # a constant with a body (jsoup's `InBody { boolean process(...) }`, 25 of them all named
                # HtmlTreeBuilderState.process), a field holding an anonymous class (args4j's `ALL = new Filter() {}`)
                "enum_constant": "class", "variable_declarator": "binding"},
        anonymous_class_values=("object_creation_expression",),
        doc_rule="doc-comment-above",
        type_nodes=("class_declaration", "interface_declaration", "enum_declaration", "record_declaration",
                    "annotation_type_declaration"),
        block_nodes=("lambda_expression",), call_nodes=("method_invocation",),
        test_files=(r"Test[A-Z0-9].*\.java", r".*Tests?\.java", r".*IT\.java"),
        test_names=(r"test[A-Z]\w*",),
        test_marks=(r"\borg\.junit\b", r"\borg\.testng\b", r"\bjunit\.framework\b", r"@Test\b", r"TestCase\b",
                    r"\borg\.assertj\b", r"\borg\.hamcrest\b", r"\borg\.mockito\b"),
        # a field or constant (`public static final int INDEX_NOT_FOUND = -1;`), an enum constant (`START_OBJECT("{"),`)
        member_lines=(r"(?:@\w+(?:\([^)]*\))?\s+)*(?:(?:public|private|protected|static|final|transient|volatile)\s+)*"
                      r"(?!return\b|throw\b|new\b|else\b|case\b|package\b|import\b)[\w.$]+(?:<.*>)?(?:\[\])*\s+"
                      r"([A-Za-z_$][\w$]*)(?:\s*\[\s*\])*\s*(?:=(?!=).*|;.*)",  # C's `byte index_64[] = {` too
                      # its value on the next line: `private static final AttributePolicy DEFAULT_SKIP_IF_EMPTY` then
                      # `= new ...;` (java-html-sanitizer: probe 206); its modifiers say it is a field
                      r"(?:@\w+(?:\([^)]*\))?\s+)*(?:(?:public|private|protected|static|final|transient|volatile)\s+)+"
                      r"(?!class\b|interface\b|enum\b|record\b|abstract\b|synchronized\b|native\b)"
                      r"[\w.$]+(?:<.*>)?(?:\[\])*\s+"
                      r"([A-Za-z_$][\w$]*)\s*(?://.*)?",
                      r"([A-Z][A-Z0-9_]*)\s*(?:\((?:\"[^\"]*\"|[^{\"])*\))?\s*[,;]?\s*(?:\{\s*)?(?://.*)?"),
        # an enum constant named in mixed case (commons-csv's `MySQL(CSVFormat.MYSQL),`), only in an enum's body (a
        # `throws` clause's next line is no constant): its comma or semicolon tells it from a constructor's header, as
        # does a body opened on its line (`InBody {`; a method's header has its brackets and a type)
        enum_lines=(r"([A-Za-z_]\w*)\s*(?:\((?:\"[^\"]*\"|[^{\"])*\))?\s*[,;]\s*(?://.*)?",
                    r"([A-Za-z_]\w*)(?:\s*,\s*[A-Za-z_]\w*)+\s*[,;]?\s*(?://.*)?",  # jsoup's `ascii, utf, fallback;`
                    # a body opened on its line, its arguments values (`Planet(double mass) {` is the constructor)
                    r"([A-Z]\w*)\s*(?:\((?:\"[^\"]*\"|[^\s{}\"()]|\s*,\s*)*\))?\s*\{\s*(?://.*)?",
                    r"([A-Z]\w*)(?:\s*,\s*[A-Z]\w*)+\s*[,;]?\s*(?://.*)?",  # several on a line: `ABOR, ACCT, PASV;`
                    # its arguments going on below (jansi's `WINDOWS("..." +`, a bare `DEFAULT(`: probe 83)
                    r"([A-Z][A-Z0-9_]*)\s*\((?:\"[^\"]*\"|[^\"(){};])*(?://.*)?"),
    ),
    LanguageSpec(
        name="javascript", title="JavaScript", extensions=(".js", ".mjs", ".cjs", ".jsx"), js_module_rank=1,
        grammar_module="tree_sitter_javascript",
        scopes=_JS_SCOPES, constructors=("constructor",), span_parents=_JS_SPAN, bindings=True,
        type_nodes=("class_declaration", "class"), **_JS_BLOCKS,
        test_files=_JS_TESTS,
        identifier=r"[A-Za-z_$][\w$]*", bind_lines=_JS_BINDS, member_lines=_JS_MEMBERS, **_JS_EXPORT_MAP,
    ),
    LanguageSpec(
        name="php", title="PHP", extensions=(".php",), grammar_module="tree_sitter_php",
        grammar_function="language_php",
        scopes={"class_declaration": "class", "trait_declaration": "class", "interface_declaration": "class",
                "enum_declaration": "class", "function_definition": "function", "method_declaration": "function"},
        qualified=QualifiedNames(style="namespace-member", scope="\\", member="::"),
        namespace_clause=_NAMESPACE_CLAUSE,
        doc_rule="doc-comment-above", constructors=("__construct",), brace_offsets=True,
        type_nodes=("class_declaration", "interface_declaration", "trait_declaration", "enum_declaration"),
        block_nodes=("anonymous_function", "arrow_function"),
        call_nodes=("function_call_expression", "member_call_expression", "scoped_call_expression"),
        test_files=(r".*Tests?\.php",),
        test_names=(r"test[A-Z_]\w*",),
        # TestCase also as the end of a project's own (Symfony Finder's RealIteratorTestCase: probe 92)
        test_marks=(r"\bPHPUnit\b", r"TestCase\b", r"\bPHPSpec\b", r"\bCodeception\b", r"\bPest\b"),
        identifier=r"\$?[A-Za-z_]\w*",
        bind_lines=(r"(?:(?:public|private|protected|final)\s+)*const\s+(?:[\w\\]+\s+)?([A-Za-z_]\w*)\s*=.*",
                    r"define\(\s*['\"]([A-Za-z_]\w*)['\"].*"),
        member_lines=(r"case\s+([A-Za-z_]\w*)\s*[=;].*",
                      r"(?:(?:public|private|protected|static|readonly|var)\s+)+(?:\??[\w\\|]+\s+)?\$(\w+)\s*[=;,].*"),
        comment_lines=("//", "/*", "*", "#"), line_comments=("//", "#"), heredoc=r"<<<[ \t]*([\"']?)([A-Za-z_]\w*)\1",
    ),
    LanguageSpec(name="typescript", title="TypeScript", extensions=(".ts", ".mts", ".cts"),
                 grammar_function="language_typescript", **_TS),
    LanguageSpec(name="tsx", title="TSX", extensions=(".tsx",), grammar_function="language_tsx", **_TS),
)

BY_NAME: Mapping[str, LanguageSpec] = MappingProxyType({s.name: s for s in SPECS})
BY_EXTENSION: Mapping[str, LanguageSpec] = MappingProxyType({e: s for s in SPECS for e in s.extensions})
BY_FILE_NAME: Mapping[str, LanguageSpec] = MappingProxyType({n: s for s in SPECS for n in s.file_names})
LANGUAGES: tuple[str, ...] = tuple(BY_NAME)
# what a user may type for a language: its files' extensions (`js`, `ts`, `py`, `rb`), and `golang`
LANGUAGE_ALIASES: Mapping[str, str] = MappingProxyType(
    {**{e.lstrip("."): s.name for s in SPECS for e in s.extensions if e.lstrip(".") not in BY_NAME}, "golang": "go"})


def spec(name: str) -> LanguageSpec:
    """The spec of a language by name; KeyError names the choices."""
    try:
        return BY_NAME[name]
    except KeyError:
        raise KeyError(f"unknown language {name!r}: choose one of {', '.join(LANGUAGES)}") from None


def spec_for_file(path: str | os.PathLike) -> LanguageSpec | None:
    """The spec of the language a file name's extension (or the whole name: `Rakefile`) says, or None when it is not
    one of ours."""
    name = os.fspath(path)
    return BY_EXTENSION.get(os.path.splitext(name)[1].lower()) or BY_FILE_NAME.get(os.path.basename(name))


def language_for(path: str | os.PathLike) -> str | None:
    """The language a file name's extension says, or None when it is not one of ours."""
    found = spec_for_file(path)
    return found.name if found else None


# A script without an extension, in a folder of commands (a gem's bin/ and exe/, Node's and Python's command-line
# entry points) or at a repository's top, is read in the language its `#!` line names: httparty's bin/httparty is the
# whole command-line tool.
SCRIPT_FOLDERS = frozenset({"bin", "exe", "script", "scripts", "libexec"})
_SHEBANG = re.compile(rb"#!\s*(?:\S*/)?(?:env(?:\s+-\S+)*\s+)?(?:\S*/)?(ruby|node|nodejs|python[0-9.]*|php|ts-node|tsx)(?=\s|$)")
_SHEBANG_LANGUAGES = {"ruby": "ruby", "node": "javascript", "nodejs": "javascript", "php": "php", "ts-node": "typescript",
                      "tsx": "typescript"}


def script_language(path: str | os.PathLike) -> str | None:
    """The language a `#!` line names for an extensionless file (the walk asks for those maybe_script names), read
    from the file's first bytes (never a FIFO or a device: opened without blocking, a regular file only); else None."""
    if "." in os.path.basename(os.fspath(path)):
        return None
    try:  # a link is not followed (its target may lie outside the repository; the walk judges links after this)
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOFOLLOW", 0))
    except OSError:
        return None
    try:
        head = os.read(fd, 128) if os.path.stat.S_ISREG(os.fstat(fd).st_mode) else b""
    except OSError:
        head = b""
    finally:
        os.close(fd)
    m = _SHEBANG.match(head)
    if m is None:
        return None
    word = m.group(1).decode()
    return "python" if word.startswith("python") else _SHEBANG_LANGUAGES[word]


def maybe_script(rel: str) -> bool:
    """Whether a path (relative to the repository) is named like a command a `#!` line may make ours: no extension, in
    a folder of commands or at the top (Laravel's `artisan`, `#!/usr/bin/env php`, was never read: probe 197)."""
    parent, _, name = rel.replace(os.sep, "/").rpartition("/")
    return "." not in name and (parent in ("", ".") or parent.rpartition("/")[2] in SCRIPT_FOLDERS)


def file_language(path: str | os.PathLike) -> str | None:
    """The language a file is read in: by its name (language_for), else by its `#!` line (script_language)."""
    return language_for(path) or script_language(path)


def titles() -> str:
    """The languages as a message lists them: "Go, Ruby, ... or PHP"."""
    names = [s.title for s in SPECS]
    return ", ".join(names[:-1]) + " or " + names[-1]


# Source code in languages codesearch has no spec for, by extension: counted, never read, so a user knows what a search
# cannot see (msgpack's Cython _packer.pyx and its .h files, wrapt's 3,240-line _wrappers.c: probe 94). Programming
# languages only: docs, data, images, lock files and configs are no such files.
UNREAD_LANGUAGES: Mapping[str, tuple[str, ...]] = MappingProxyType({
    "C": (".c", ".h"), "C++": (".cc", ".cpp", ".cxx", ".c++", ".hh", ".hpp", ".hxx", ".h++", ".inl", ".ipp", ".tcc"),
    "Objective-C": (".m", ".mm"), "CUDA": (".cu", ".cuh"), "C#": (".cs",), "F#": (".fs", ".fsi", ".fsx"),
    "Visual Basic": (".vb",), "Rust": (".rs",), "Kotlin": (".kt", ".kts"), "Swift": (".swift",),
    "Scala": (".scala", ".sc"), "Groovy": (".groovy",), "Clojure": (".clj", ".cljs", ".cljc"),
    "Cython": (".pyx", ".pxd", ".pxi"), "Lua": (".lua",), "Perl": (".pl", ".pm"), "R": (".r",), "Julia": (".jl",),
    "Haskell": (".hs", ".lhs"), "OCaml": (".ml", ".mli"), "Elixir": (".ex", ".exs"), "Erlang": (".erl", ".hrl"),
    "Dart": (".dart",), "Zig": (".zig",), "Nim": (".nim",), "Crystal": (".cr",), "Fortran": (".f", ".f90", ".f95"),
    "Pascal": (".pas",), "Shell": (".sh", ".bash", ".zsh", ".fish"), "PowerShell": (".ps1", ".psm1"),
    "Vue": (".vue",), "Svelte": (".svelte",), "Elm": (".elm",), "Solidity": (".sol",), "Tcl": (".tcl",),
    "Lisp": (".lisp", ".el", ".rkt"), "Assembly": (".s", ".asm"), "COBOL": (".cob", ".cbl"),
    # grammars and interface definitions, code of their own (qdox's lexer.flex and parser.y, go-plugin's .proto files
    # were skipped without a word: probe 202)
    "Yacc": (".y", ".yy"), "Lex": (".l", ".ll", ".flex", ".jflex", ".lex"), "ANTLR": (".g4",),
    "Protocol Buffers": (".proto",), "Thrift": (".thrift",), "FlatBuffers": (".fbs",), "Cap'n Proto": (".capnp",),
})
UNREAD_EXTENSIONS = frozenset(e for exts in UNREAD_LANGUAGES.values() for e in exts) - set(BY_EXTENSION)


def unread_extension(path: str | os.PathLike) -> str | None:
    """The extension of a file of source code in a language codesearch does not read (UNREAD_LANGUAGES), else None:
    what `index` and `status` count so nobody takes a search for one over all the code."""
    ext = os.path.splitext(os.fspath(path))[1].lower()
    return ext if ext in UNREAD_EXTENSIONS else None


UNREAD_SHOWN = 5  # extensions a `not read:` line names; the rest are added up


def unread_line(counts: Mapping[str, int]) -> str:
    """'7 .h, 3 .pyx, 1 .c (codesearch reads Go, ... or TSX)': source files left unread by extension (counts given
    most first), the first few named, and what codesearch does read."""
    ranked = list(counts.items())
    named = ", ".join(f"{n} {ext}" for ext, n in ranked[:UNREAD_SHOWN])
    rest = sum(n for _, n in ranked[UNREAD_SHOWN:])
    more = f" and {rest} more in {len(ranked) - UNREAD_SHOWN} other extension(s)" if rest else ""
    return f"{named}{more} (codesearch reads {titles()})"


_TEST_FILE = re.compile("|".join(f"(?:{p})" for s in SPECS for p in s.test_files))
_TEST_NAME = re.compile("|".join(f"(?:{p})" for s in SPECS for p in s.test_names))


def is_test_file(file_name: str) -> bool:
    """True when a file's base name follows the test-file convention of any of our languages."""
    return bool(_TEST_FILE.fullmatch(file_name))


def is_test_name(name: str, language: str = "") -> bool:
    """True when a function's name follows the test-function convention of its language (of any of ours when
    the language is not given: `TestExpression` is a Go test's name, not a PHP class's)."""
    found = BY_NAME.get(language)
    if found is not None:
        return any(re.fullmatch(p, name) for p in found.test_names)
    return bool(_TEST_NAME.fullmatch(name))


def kind_in_test_file(file_name: str, name: str) -> str:
    """What a unit of a test file is by its language's rules: 'test', or 'example' / 'benchmark' (Go's
    `ExampleRouter`, `BenchmarkParse`, everything in `example_test.go`), which questions asking for examples or
    benchmarks lift."""
    found = spec_for_file(file_name)
    return found.kind_in_test_file(file_name, name) if found is not None else "test"


def tests_found_by_name(file_name: str) -> bool:
    """True when the file's language finds tests by file name alone (LanguageSpec.tests_found_by_name)."""
    found = spec_for_file(file_name)
    return found is not None and found.tests_found_by_name


JVM_CODE_FOLDERS = frozenset({"java", "kotlin", "scala", "groovy"})  # src/<set>/<these>/ in Maven, Gradle: code
JVM_EXTENSIONS = (".java", ".kt", ".scala", ".groovy")  # files of a JVM package, named by folders from a domain
JVM_SOURCE_FOLDERS = JVM_CODE_FOLDERS | {"resources"}


def jvm_source_set(parts: tuple[str, ...]) -> str | None:
    """The Maven or Gradle source set a path's folders place it in (`src/<set>/java/...`: main, test, testFixtures,
    it, jmh, ...), or None outside that layout."""
    for i in range(len(parts) - 3):
        if parts[i] == "src" and parts[i + 2].lower() in JVM_SOURCE_FOLDERS:
            return parts[i + 1]
    return None


def library_root_at(path: str) -> int | None:
    """The index of the first folder of path that holds its language's library itself (LanguageSpec.library_roots:
    a gem's `lib/`), or None."""
    parts = path.split("/")
    found = spec_for_file(path)
    if found is None:
        return None
    return next((i for i, part in enumerate(parts[:-1]) if part in found.library_roots), None)


def is_library_test_file(file_name: str) -> bool:
    """True for a file named like a test even below a library root (LanguageSpec.library_test_files)."""
    found = spec_for_file(file_name)
    return found is not None and any(re.fullmatch(p, file_name) for p in found.library_test_files)


def tests_beside_code(file_name: str) -> bool:
    """True when the file's language keeps tests beside the code they test (LanguageSpec.tests_beside_code)."""
    found = spec_for_file(file_name)
    return found is not None and found.tests_beside_code


def imports_test_library(file_name: str, head: str) -> bool:
    """True when a file's first lines import what only tests use (LanguageSpec.test_import: Go's "testing")."""
    found = spec_for_file(file_name)
    return (found is not None and bool(found.test_import)
            and re.search(found.test_import, head, re.MULTILINE | re.DOTALL) is not None)


def _head_match(file_name: str, head: str, field: str) -> re.Match | None:
    """The first match in a file's head of its language's pattern held in a LanguageSpec field (none: None)."""
    found = spec_for_file(file_name)
    pattern = getattr(found, field) if found is not None else ""
    return re.search(pattern, head, re.MULTILINE) if pattern else None


def built_for_tests(file_name: str, head: str) -> bool:
    """True when a file's head says only tests' tools build it (LanguageSpec.test_build_line: Go's `//go:build gofuzz`)."""
    return _head_match(file_name, _before_package(head), "test_build_line") is not None


def _before_package(head: str) -> str:
    """A file's head up to its package clause, where Go reads build constraints (a template string below it that
    writes `//go:build ignore` constrains nothing: review)."""
    clause = re.search(r"^package\s", head, re.MULTILINE)
    return head[:clause.start()] if clause else head


def never_built(file_name: str, head: str) -> bool:
    """True when a file's head keeps it out of every build (LanguageSpec.unbuilt_line: Go's `//go:build ignore`): a
    generator or script run by hand (tcell's terminfo/mkinfo.go came first for "expand terminfo parameterized
    capability strings": probe 299)."""
    return _head_match(file_name, _before_package(head), "unbuilt_line") is not None


def aliases_a_method(language: str, statement: str) -> bool:
    """True when a binding's statement defines a method by another name (LanguageSpec.method_alias: Ruby's `alias`)."""
    found = BY_NAME.get(language)
    return found is not None and bool(found.method_alias) and re.match(found.method_alias, statement) is not None


def stub_module(path: str) -> str | None:
    """The module a stub file types, as its path without the suffixes (`_cmp.pyi` and `_cmp.py`: `_cmp`), for a
    language with stub files (LanguageSpec.stub_suffix); None for others."""
    found = spec_for_file(path)
    if found is None or not found.stub_suffix:
        return None
    for suffix in (found.stub_suffix, *found.extensions):
        if path.endswith(suffix):
            return path[: -len(suffix)]
    return None


def is_stub_file(path: str) -> bool:
    """True for a file that types a module beside it (LanguageSpec.stub_suffix: Python's `.pyi`)."""
    found = spec_for_file(path)
    return found is not None and bool(found.stub_suffix) and path.endswith(found.stub_suffix)


def collected_by_runner(file_name: str, head: str) -> bool:
    """Whether a test runner may collect tests from the file: any file in a language whose runners do not go by file
    name; else its test files, and a file named so that a runner reads it (unittest's `test*.py`) when it imports a
    test framework, or when its head is not known."""
    found = spec_for_file(file_name)
    if found is None or not found.tests_found_by_name or is_test_file(file_name):
        return True
    if not any(re.fullmatch(p, file_name) for p in found.runner_files):
        return False
    return not head or bool(found.runner_import and re.search(found.runner_import, head, re.MULTILINE))


def declares_package(path: str) -> bool:
    """True when the file's language names a file's package in a clause (LanguageSpec.package_clause)."""
    found = spec_for_file(path)
    return found is not None and bool(found.package_clause)


def declared_package(path: str, head: str) -> str | None:
    """The package a file's first lines declare (LanguageSpec.package_clause: Go's `package sqlx`), or None."""
    m = _head_match(path, head, "package_clause")
    return m.group(1) if m else None


def declared_namespace(path: str, head: str) -> str | None:
    """The last part of the namespace a file's first lines declare (LanguageSpec.namespace_clause: PHP's `namespace
    Doctrine\\DBAL\\Tools;`: Tools), or None."""
    m = _head_match(path, head, "namespace_clause")
    return m.group(1) if m else None


def skipped_by_toolchain(path: str) -> bool:
    """True for a file in a folder its language's build tool never reads (Go's `_codegen/main.go`)."""
    parts = path.split("/")
    found = spec_for_file(path)
    if found is None or not found.skipped_dir_prefixes:
        return False
    return any(part.startswith(found.skipped_dir_prefixes) for part in parts[:-1])


# Where a JavaScript package's modules are written and where its builds put them: `src/utils.ts` is built to
# `build/lib/utils.js`, `dist/esm/utils.mjs`; `timed-out/index.ts` is imported as `timed-out`, `src/index.ts` as
# the package itself
MODULE_SOURCE_ROOTS = frozenset({"src", "source"})
MODULE_BUILD_ROOTS = frozenset({"lib", "dist", "build", "builds", "out", "esm", "cjs", "umd", "amd", "es", "es5", "es6",
                                "es2015"})
BUILT_TYPES = frozenset({"types", "typings", "dts"})  # a build's folder of declarations (dist/types/: mobx-keystone)
BUILD_OUTPUTS = frozenset({"dist", "build", "builds", "out"})  # build roots never a source folder (lib/ may be one)
# a build output's folder per format (dist/esm/, dist/main/ and dist/module/ of a package's `main` and `module`
# fields): past them the source tree's own folders follow (auth-js' dist/main/lib/ is src/lib/: probe 257)
BUILD_FORMATS = (MODULE_BUILD_ROOTS - {"lib"}) | BUILT_TYPES | {"commonjs", "mjs"}
# folder names a build gives a format (a package's `main` and `module` fields) that are source folders too (Electron's
# src/main/ built to dist/main/, vite's src/node/: review): a format only where lib/ follows
FORMATS_BEFORE_LIB = frozenset({"main", "module", "node", "browser"})


def module_path(path: str) -> str:
    """A JavaScript-family file's module as its sources and builds share it: the path below its source root or its
    run of build folders, the folders above kept (`packages/a|utils` for packages/a/src/utils.ts and
    packages/a/dist/esm/utils.js; `lib/src/index` stays itself, a build holds no source tree)."""
    parts = path.replace("\\", "/").split("/")
    for i, part in enumerate(parts[:-1]):
        if part in MODULE_SOURCE_ROOTS:
            return "/".join(parts[:i]) + "|" + "/".join(parts[i + 1 :])
        if part in MODULE_BUILD_ROOTS:
            last = i + 1
            while last < len(parts) - 1 and (_a_format(parts, last, i) if part in BUILD_OUTPUTS
                                             else parts[last] in MODULE_BUILD_ROOTS):
                last += 1
            return "/".join(parts[:i]) + "|" + "/".join(parts[last:])
    return path


def _a_format(parts: list[str], at: int, output: int) -> bool:
    """Whether a path's folder at `at`, below a build output's folder at `output`, is the build's and not the source
    tree's: a format's (its declarations: dist/types/, not lib/types/: review), lib/ right below the output
    (table-core's build/lib/utils.js of src/utils.ts), not one past a format (dist/esm/lib/ is src/lib/)."""
    name = parts[at]
    return (name in BUILD_FORMATS or name == "lib" and at == output + 1
            or name in FORMATS_BEFORE_LIB and at + 2 < len(parts) and parts[at + 1] == "lib")


def js_module_rank(language: str) -> int:
    """How near a JavaScript-family language is to a module's source (LanguageSpec.js_module_rank); 0 for others."""
    found = BY_NAME.get(language)
    return found.js_module_rank if found is not None else 0


def lacks_test_marks(file_name: str, file_head: str) -> bool:
    """True when a file named like a test by a habitual convention (`*Test.php`, `Test*.java`) holds none of
    its language's test marks in its first bytes: main code that happens to be named so."""
    found = spec_for_file(file_name)
    return (found is not None and marks_no_tests(file_name, file_head)
            and (not found.habit_test_files or any(re.fullmatch(p, file_name) for p in found.habit_test_files)))


def marks_no_tests(file_name: str, file_head: str) -> bool:
    """True when a file's first bytes, known, hold none of its language's test marks: no test framework there, so a
    method named like a test is none (json-lib's JSONUtils.testValidity, held down as a test: probe 285)."""
    found = spec_for_file(file_name)
    return (found is not None and bool(found.test_marks) and bool(file_head)
            and not any(re.search(p, file_head) for p in found.test_marks))


def identifier_pattern() -> str:
    """A regular expression matching one identifier of any of our languages: one pattern that takes each language's
    (a `$` first for PHP or anywhere for JavaScript, Ruby's last `?`, `!` or `=`), not their alternation, which tried
    every language's pattern on each part of a dotted name: 4^parts steps where it failed (13 parts: 37 s, probe 90).
    Its first character says which branch: no two ways to match one name."""
    return r"(?:(?:\$[\w$]*|[A-Za-z_][\w$]*)[?!=]?)"


# A package's entry file re-exports its public names from the modules that define them: Python's `__init__.py`
# (`from ._core._synchronization import Lock as Lock`), a JavaScript or TypeScript `index` (`export { Lock } from
# './lock'`, `export * from './lock'`). Of two namesakes, the one re-exported is the package's (anyio's `Lock`, not
# the `Lock` each of its backends defines)
ENTRY_FILES = MappingProxyType({
    "python": ("__init__.py",),
    **{lang: ("index.ts", "index.tsx", "index.mts", "index.js", "index.mjs", "index.cjs")
       for lang in ("javascript", "typescript", "tsx")},
})
_PY_FROM = re.compile(r"^[ \t]*from[ \t]+([.\w]+)[ \t]+import[ \t]+(\([^)]*\)|[^\n]*)", re.MULTILINE)
_JS_EXPORT_FROM = re.compile(r"\bexport\s+(?:type\s+)?(\*|\{[^}]*\})\s+from\s+['\"](\.{1,2}/[^'\"]*)['\"]")
_MODULE_SUFFIX = re.compile(r"\.(?:[cm]?[jt]s|[jt]sx|py)$")


def is_entry_file(path: str, language: str) -> bool:
    """path is a package's entry file in its language (ENTRY_FILES: `__init__.py`, `index.ts`)."""
    return posixpath.basename(path) in ENTRY_FILES.get(language, ())


def entry_files(path: str, language: str) -> list[str]:
    """The entry files of the packages a file lies in, nearest first (ENTRY_FILES), its own file left out."""
    names = ENTRY_FILES.get(language, ())
    parts = path.split("/")[:-1]
    found = []
    for depth in range(len(parts), -1, -1):
        folder = "/".join(parts[:depth])
        found += [f"{folder}/{name}" if folder else name for name in names]
    return [entry for entry in found if entry != path]


def _exported_names(listed: str) -> dict[str, str]:
    """`a, b as c` (Python) or `{ a, b as c }` (JavaScript): exported name -> the name it has in its module."""
    out = {}
    lines = (line.split("#")[0].split("//")[0] for line in listed.split("\n"))  # each line's comment left out
    for item in " ".join(lines).strip("(){} \t").split(","):
        words = item.split()
        if words[:1] == ["type"]:
            words = words[1:]
        if len(words) == 1:
            out[words[0]] = words[0]
        elif len(words) == 3 and words[1] == "as":
            out[words[2]] = words[0]
    return out


def reexports(entry: str, text: str, name: str) -> list[str]:
    """The modules (paths from the repository root, without extension) an entry file re-exports name from; an
    absolute Python import's module is given as `*/a/b` (any folder above may hold it)."""
    folder = entry.rpartition("/")[0]
    out = []
    if entry.endswith(".py"):
        for module, listed in _PY_FROM.findall(text):
            names = _exported_names(listed)
            if listed.strip() != "*" and names.get(name) != name:
                continue
            dots = len(module) - len(module.lstrip("."))
            rest = module[dots:].replace(".", "/") or name  # `from . import streams`: the module streams
            if not dots:
                out.append(f"*/{rest}")
                continue
            base = folder.split("/") if folder else []
            base = base[: len(base) - (dots - 1)] if dots > 1 else base
            out.append("/".join([*base, rest] if rest else base))
    else:
        for listed, module in _JS_EXPORT_FROM.findall(text):
            target = posixpath.normpath(posixpath.join(folder, _MODULE_SUFFIX.sub("", module)))
            if (listed == "*" or _exported_names(listed).get(name) == name) and not target.startswith(".."):
                out.append(target)
    return out


def defined_in(path: str, module: str) -> bool:
    """True when a file is the module (reexports' form) or lies in the package it names."""
    own = _MODULE_SUFFIX.sub("", path)
    if module.startswith("*/"):
        return own == module[2:] or own.endswith("/" + module[2:]) or f"/{module[2:]}/" in f"/{own}"
    return own == module or own.startswith(module + "/")
