"""What module pieces and types bind at their own level (codesearch.parse.bindings), read by the parser: per
language, the constants, variables and fields a user looks up by name, and none of a function's locals, a
call's arguments, an object's keys, a string's or a comment's lines."""

from __future__ import annotations

import pytest

from codesearch.languages import SPECS
from codesearch.parse.bindings import bound_names
from codesearch.parse.parsing import parse_source


def _binds(language: str, path: str, source: str) -> dict[str, list[tuple[str, int]]]:
    """unit kind + qualified name -> [(bound name, line)] for the units that bind anything (a module's pieces' alike)."""
    out: dict[str, list[tuple[str, int]]] = {}
    for u in parse_source(source.encode(), language, path):
        if u.binds:
            out.setdefault(f"{u.kind} {u.qualified_name}", []).extend((b[0], b[1]) for b in u.binds)
    return out


PYTHON = '''"""Settings.

session = not_a_binding()
"""
import os


def configure():
    global TIMEOUT
    TIMEOUT = 5


TIMEOUT = 10
WORKERS = max(1, os.cpu_count() // 2)
RETRIES = 3  # (see below
session = Session(
    timeout=5,
)
__all__ = ["TIMEOUT"]


class Retry:
    DEFAULT_BACKOFF = 2

    def wait(self, n=3):
        delay = n
        return delay
'''
JAVA = '''package a;

@JsonInclude(Include.NON_NULL)
@SuppressWarnings("unchecked")
public class StringUtils
    extends Base
{
    public static final int INDEX_NOT_FOUND = -1;

    /** The empty string. NOT_THIS = 1; */
    public static int indexOf(final CharSequence seq, int start) {
        int local = 2;
        return local;
    }

    private static final Map<String, List<Integer>> CACHE = new HashMap<>();
}

enum JsonToken
{
    START_OBJECT("{", 1),
    VALUE_NULL("null", 2);

    final String _serialized;

    JsonToken(String token, int id) {
        _serialized = token;
    }
}

enum Predefined {
    Default(","),
    MySQL("\\t"), // commons-csv
    PostgreSQLCsv;

    Predefined(String delimiter) {
    }
}
'''
GO = '''package logrus

import (
\t"fmt"
)

func init() {
\tDefaultClient = &Client{}
}

var DefaultClient *Client

var AllLevels = []Level{
\tPanicLevel,
}

const (
\tPanicLevel Level = iota
\tFatalLevel
)

type Logger struct {
\tOut io.Writer
\tHooks LevelHooks `json:"hooks"`
\tFormat func(e *Entry) string
\tio.Closer
}
'''
TYPESCRIPT = '''import { A } from './a';

export const asyncScheduler = new AsyncScheduler(AsyncAction);
const options = {
  timeout: 5,
  retries: 3,
};
foo({ limit: 3 });

@Component({
  selector: 'app',
})
export class AppComponent {
  @Input() name: string;
  static defaults = { strict: false };
  run() {
    const local = 1;
  }
  after = 2;
}

export interface Options {
  timeout?: number;
  onError(e: Error): void;
}

export enum Color {
  Red = 'RED',
  Green,
}
'''
JAVASCRIPT = "const config = require('./c');\nexports.handler = run;\nmodule.exports.limit = 3;\nconst MESSAGES = {\n" + \
    "".join(f"  KEY_{i}: 'v{i}',\n" for i in range(70)) + "};\n"
EXPORTS_MAP = ("const hasBlob = true;\n\nmodule.exports = {\n  GUID: '258EAFA5-E914',\n  kListener: Symbol('k'),\n"
               "  OPTIONS: {\n    inner: 1,\n  },\n  hasBlob,\n};\n")
PHP = '''<?php
define('TWIG_ROOT', __DIR__);

#[Attribute]
final class Environment extends Base implements Iface
{
    public const VERSION = '3.5.1';

    public function render($name, array $context = [])
    {
        $local = 1;
    }

    private $cache; # (a comment with a bracket
    protected ?array $options = [];
}
'''
RUBY = '''module Rack
  VERSION = [1, 3]
  RELEASE ||= "1.3"

  class App
    attr_accessor :app

    def call(env)
      LOCAL = 1
    end
    alias :run :call  # i18n's `alias :t :translate`
    alias_method :invoke?, :call
    alias to_proc call
  end
end
'''

CASES = [
    ("python", "pkg/settings.py", PYTHON, {
        "module settings": [("TIMEOUT", 13), ("WORKERS", 14), ("RETRIES", 15), ("session", 16), ("__all__", 19)],
        "type Retry": [("DEFAULT_BACKOFF", 23)]}),
    ("java", "a/StringUtils.java", JAVA, {
        "type StringUtils": [("INDEX_NOT_FOUND", 8), ("CACHE", 16)],
        "type JsonToken": [("START_OBJECT", 21), ("VALUE_NULL", 22), ("_serialized", 24)],
        "type Predefined": [("Default", 32), ("MySQL", 33), ("PostgreSQLCsv", 34)]}),
    ("go", "logrus/levels.go", GO, {
        "module levels": [("DefaultClient", 11), ("AllLevels", 13), ("PanicLevel", 18), ("FatalLevel", 19)],
        "type Logger": [("Out", 23), ("Hooks", 24), ("Format", 25), ("Closer", 26)]}),  # embedded: probe 82
    ("typescript", "sched/async.ts", TYPESCRIPT, {
        "module async": [("asyncScheduler", 3), ("options", 4)],
        "type AppComponent": [("name", 14), ("defaults", 15), ("after", 19)],
        "type Options": [("timeout", 23), ("onError", 24)],  # a method's signature too (runtypes: probe 199)
        "type Color": [("Red", 28), ("Green", 29)]}),
    ("javascript", "lib/messages.js", JAVASCRIPT, {  # 70 keys: the object is a module piece of its own
        "module messages": [("config", 1), ("handler", 2), ("limit", 3), ("MESSAGES", 4)]}),
    # ws' lib/constants.js: a CommonJS object of exports binds its keys (`GUID` was found by no name: probe 62), not
    # `exports`, nor a nested object's keys
    ("javascript", "lib/constants.js", EXPORTS_MAP, {
        "module constants": [("hasBlob", 1), ("GUID", 4), ("kListener", 5), ("OPTIONS", 6)]}),
    ("php", "src/Environment.php", PHP, {
        "module Environment": [("TWIG_ROOT", 2)],
        "type Environment": [("VERSION", 7), ("cache", 14), ("options", 15)]}),
    ("ruby", "lib/rack.rb", RUBY, {
        "type Rack": [("VERSION", 2), ("RELEASE", 3)],
        "type Rack::App": [("app", 6), ("run", 11), ("invoke?", 12), ("to_proc", 13)]}),
]


@pytest.mark.parametrize("language,path,source,expected", CASES, ids=[c[0] for c in CASES])
def test_units_bind_their_constants_variables_and_fields_and_not_locals_arguments_keys_or_comments(
        language, path, source, expected) -> None:
    assert _binds(language, path, source) == expected


def test_a_binding_keeps_its_statement_to_where_its_brackets_close() -> None:
    units = parse_source(GO.encode(), "go", "logrus/levels.go")
    binds = {b[0]: b for u in units for b in u.binds}
    assert binds["AllLevels"][1:4] == (13, 15, 1) and binds["AllLevels"][4] == "var AllLevels = []Level{\n\tPanicLevel,\n}"
    name, first, last, col, text = binds["Out"]
    assert (first, last, col, text) == (23, 23, 2, "Out io.Writer")  # the column of the indented field, text unindented


def test_a_file_with_windows_line_endings_binds_the_same() -> None:
    crlf = PYTHON.replace("\n", "\r\n")
    units = parse_source(crlf.encode(), "python", "pkg/settings.py")
    binds = {b[0]: b for u in units for b in u.binds}
    assert binds["TIMEOUT"][4] == "TIMEOUT = 10" and "\r" not in binds["session"][4]


def test_bound_names_reads_a_piece_of_code() -> None:
    assert bound_names("python", "module", "A_B = 1\nC = 2\n") == ["A_B", "C"]
    assert bound_names("python", "function", "A = 1\n") == []  # a function's locals are not looked up
    # jsoup's enums: constants with arguments on one line, lower-case constants (probe 69)
    assert bound_names("java", "type", "public enum Method {\n    GET(false), POST(true), PUT(true);\n"
                       "    private final boolean hasBody;\n}\n") == ["GET", "POST", "PUT", "hasBody"]
    assert bound_names("java", "type", "enum CoreCharset {\n    ascii, utf, fallback;\n}\n") == ["ascii", "utf", "fallback"]
    # yargs-parser's build: tsc declares an enum `export var X;` and fills it in an IIFE (probe 67)
    assert bound_names("javascript", "module", "export var LogLevel;\n(function (L) { L.a = 1; })(LogLevel);\n") == [
        "LogLevel"]
    # RSpec's `alias_matcher :a_string_including, :include` bound nothing (probe 144); Rails' alias_attribute alike
    assert bound_names("ruby", "type", "module Matchers\n  alias_matcher :a_string_including, :include\n"
                       "  alias_attribute :title, :name\n  alias_method :be_an, :be_a\nend\n") == [
        "a_string_including", "title", "be_an"]
    # go-runewidth's `var private = table{...}` bound `var`, the declaring word (probe 139)
    assert "var" not in bound_names("go", "module", "var private = []int{1}\n\nvar other = 2\n")


def test_every_language_says_how_it_binds_names() -> None:
    assert all(spec.bind_lines or spec.member_lines for spec in SPECS)


@pytest.mark.parametrize("language,kind,code,expected", [
    # a bracket in a triple-quoted string, a string holding triple quotes, a docstring's lines
    ("python", "module", 'DATE_RE = re.compile(\n    r"""\n    (\\d+)\n    """, re.X)\nAFTER = 1\nSEP = \'"""\'\n'
     'AFTER3 = 2\n"""doc\nsession = x\n"""\nZ = 1\n', ["DATE_RE", "AFTER", "SEP", "AFTER3", "Z"]),
    ("python", "type", "class Options:\n    retries: int = 3\n    timeout_seconds: float\n", ["retries", "timeout_seconds"]),
    # a Go var group without values, names in pairs
    ("go", "module", "var (\n\tDefaultClient *Client\n\tmu sync.Mutex\n\tD, E = 1, 2\n)\n", ["DefaultClient", "mu", "D", "E"]),
    # a list of names declared with one type, or one attribute line, binds every name (hashie's `attr_reader
    # :properties, :defaults` bound only `properties`: "Dash.defaults" found nothing)
    ("go", "type", "type P struct {\n\tX, Y int\n\tName string\n}\n", ["X", "Y", "Name"]),
    ("go", "module", "var a, b string\nconst c, d = 1, 2\n", ["a", "b", "c", "d"]),
    # websocket's `Extra map[string]interface{}`, a receive-only channel, an interface's methods bound nothing
    ("go", "type", "type Conn interface {\n\tRead(p []byte) (n int, err error)\n\tClose() error\n}\n", ["Read", "Close"]),
    ("go", "type", "type D struct {\n\tExtra map[string]interface{}\n\tdone <-chan struct{}\n\ta, b <-chan int\n}\n",
     ["Extra", "done", "a", "b"]),
    # a field of an inline struct type (yaml's `yaml_node_t`, a configuration's `Server struct { ... }`) bound nothing
    ("go", "type", "type Config struct {\n\tName string\n\tServer struct {\n\t\tHost string\n\t} `yaml:\"server\"`\n"
     "\tLimits struct{ MaxConns int }\n\tHooks interface {\n\t\tRun()\n\t}\n}\n", ["Name", "Server", "Limits", "Hooks"]),
    ("ruby", "type", "class Dash\n  attr_reader :properties, :defaults\n  attr_accessor(:x, :y) # z\nend\n",
     ["properties", "defaults", "x", "y"]),
    # a method handed to a field binds its name (http.rb's `def_delegators :@headers, ..., :mime_type`: probe 196)
    ("ruby", "type", "class Response\n  def_delegators :@headers, :[], :to_h, :mime_type\n  def_delegator :@status, :reason\n"
     "  def_delegator :@status, :code, :status_code\n  delegate :charset, :encoding, to: :content_type\n"
     "  delegate :name, to: :author, prefix: true\nend\n",  # `author_name`, not `name` (review)
     ["to_h", "mime_type", "reason", "status_code", "charset", "encoding"]),
    # a constant opening its body on its line binds; the enum's constructor does not
    ("java", "type", 'enum Planet {\n    MERCURY(3.3e+23, 2.44e6) {\n    },\n    Earth("x", 1) {\n    };\n'
     "    Planet(double mass, double radius) {\n    }\n}\n", ["MERCURY", "Earth"]),
    # an alias of an operator method (tilt's `alias template_for []` bound nothing)
    ("ruby", "type", "class Mapping\n  alias template_for []\n  alias eql? ==\n  alias :push_all <<\nend\n",
     ["template_for", "eql?", "push_all"]),
    # chained and tuple assignments bind every name
    ("python", "module", "BOM_BE = BOM_UTF16_BE = b'x'\nMC_ALT, MC_SHIFT = 1, 2\nX = y == z\n",
     ["BOM_BE", "BOM_UTF16_BE", "MC_ALT", "MC_SHIFT", "X"]),
    # paramiko's message numbers, in brackets (`MSG_NEWKEYS` found no binding); a comparison binds nothing
    ("python", "module", "(MSG_KEXINIT, MSG_NEWKEYS) = range(20, 22)\n[AUTH_A, AUTH_B,] = range(2)\n(a, b) == c\nY = 1\n",
     ["MSG_KEXINIT", "MSG_NEWKEYS", "AUTH_A", "AUTH_B", "Y"]),
    # an open bracket in a doc comment or a block comment
    ("java", "type", "public class Limits {\n    /**\n     * Resize (see {@link #resize\n     */\n    public static final int MAX = 1;\n"
     "    /* open (\n       still ( */\n    int after = 2;\n}\n", ["MAX", "after"]),
    # a regular expression or template literal holding a bracket
    ("javascript", "module", "const RE = /[(]/;\nconst AFTER_RE = 1;\nconst T = `a ${b} {`;\nconst AFTER_T = 2;\n",
     ["RE", "AFTER_RE", "T", "AFTER_T"]),
    # a Ruby regular expression literal holding `{`, `#` or `#{...}` (liquid's tokens: every constant after it lost)
    ("ruby", "type", "module Tokens\n  TagOpen = /\\{\\%/\n  TagName = /#|\\w+/\n  Full = /\\A(#{TagName})\\z/o\n"
     "  Blank = /\\A\\s*\\z/\n  LIMIT = 10\nend\n", ["TagOpen", "TagName", "Full", "Blank", "LIMIT"]),
    # a Java enum constant whose arguments go on below (jansi's `WINDOWS("..." +`), a Go embedded field, Go's blank
    # identifier (probes 82, 83)
    ("java", "type", 'public enum Mode {\n    FAST("quick"),\n    SLOW("a long " +\n         "text"),\n    DEFAULT(\n'
     '        "normal");\n\n    private final String text;\n}\n', ["FAST", "SLOW", "DEFAULT", "text"]),
    ("go", "type", "type Server struct {\n\thttp.Handler\n\tName  string\n\tcount int\n}\n", ["Handler", "Name", "count"]),
    ("go", "type", "type Config struct {\n\tBase `json:\"base\"`\n\tio.Reader `yaml:\"r\"`\n}\n", ["Base", "Reader"]),
    ("go", "module", "var _ Lstater = (*ReadOnlyFs)(nil)\nvar Limit = 3\n", ["Limit"]),
    # TypeScript's ambient declarations
    ("typescript", "module", "declare module 'x' {\n  export const DECL: number;\n}\ndeclare global {\n  var G: string;\n}\n",
     ["DECL", "G"]),
])
def test_one_misread_line_does_not_hide_the_bindings_after_it(language, kind, code, expected) -> None:
    assert bound_names(language, kind, code) == expected


def test_a_statement_on_one_huge_line_is_kept_short() -> None:
    from codesearch.parse.bindings import TEXT_CHARS

    line = "var TABLE=[" + ",".join(str(i) for i in range(100_000)) + "];"
    units = parse_source(line.encode(), "javascript", "dist/table.js")
    (name, first, last, col, text), = [b for u in units for b in u.binds]
    assert (name, first, last, col) == ("TABLE", 1, 1, 1) and len(text) == TEXT_CHARS


@pytest.mark.parametrize("language,kind,code,expected", [
    # statements after a semicolon on the same line
    ("python", "module", "A = 1; B = 2\nC = 3;  # done\n", ["A", "B", "C"]),
    ("javascript", "module", 'const A = ";"; const B = 2;\nlet C = 3\n', ["A", "B", "C"]),
    ("java", "type", "class Limits {\n    static final int MIN = 0; static final int MAX = 9;\n}\n", ["MIN", "MAX"]),
    ("php", "module", "<?php\nconst A = 1; const B = 2;\n", ["A", "B"]),
    # a heredoc's lines are text, and its quotes and brackets do not hide what follows
    ("ruby", "module", 'USAGE = <<~TEXT\n  Run "it\' now (\n  FAKE = 1\nTEXT\nLIMIT = 10\n', ["USAGE", "LIMIT"]),
    ("ruby", "module", "HELP = <<-EOS.strip\n  NOPE = 2\n  EOS\nAFTER = 1\n", ["HELP", "AFTER"]),
    ("ruby", "module", "SQL = <<~'EOS'\n  NOPE = 2\nEOS\nAFTER = 1\n", ["SQL", "AFTER"]),
    ("ruby", "module", "ITEMS = []\nITEMS <<item\nLIMIT = 10\n", ["ITEMS", "LIMIT"]),  # a push, not a heredoc
    # a heredoc opener in a comment or a string starts nothing; Ruby's =begin ... =end is a comment
    ("ruby", "module", "# Use <<~EOS for long text\nA = 1\nB = 2 # or <<~EOS\nC = 3\n", ["A", "B", "C"]),
    ("ruby", "module", "=begin\nFAKE = 1\n=end\nA = 1\n", ["A"]),
    ("php", "module", "<?php\n// see <<<EOT syntax\nconst A = 1;\n$s = '<<<EOT';\nconst B = 2;\n", ["A", "B"]),
    # a semicolon in a triple-quoted string's first line is text
    ("python", "module", 'X = """a; B = 2\nmore\n"""\nC = 1\n', ["X", "C"]),
    ("php", "module", "<?php\nconst GREETING = <<<EOT\n  it's \"here\n  const FAKE = 1;\n  EOT;\nconst LIMIT = 10;\n",
     ["GREETING", "LIMIT"]),
    # a member typed as a function, on one line or several
    ("typescript", "type", "interface Props {\n  onClick: (e: Event) => void;\n  label?: string;\n}\n", ["onClick", "label"]),
    ("typescript", "type", "class Svc {\n  handler: (\n    a: string,\n  ) => void;\n  retries: number = 3;\n}\n",
     ["handler", "retries"]),
])
def test_semicolons_heredocs_and_function_typed_members_bind_what_a_reader_sees(language, kind, code, expected) -> None:
    assert bound_names(language, kind, code) == expected


def test_a_binding_after_a_semicolon_points_at_its_own_column() -> None:
    units = parse_source(b"    \nA = 1;  B = 2\n", "python", "pkg/consts.py")
    binds = {b[0]: b for u in units for b in u.binds}
    assert binds["A"][1:4] == (2, 2, 1) and binds["B"][1:4] == (2, 2, 9) and binds["B"][4] == "A = 1;  B = 2"


def test_a_mixed_case_name_binds_only_in_an_enums_body() -> None:
    """A `throws` clause's next line (`InterruptedException;`) is no constant of the interface it is in."""
    source = ("public interface Svc {\n    void run() throws IOException,\n        InterruptedException;\n    int NAMES = 1;\n}\n"
              "enum Predefined {\n    Default(\",\"),\n    MySQL(\"x\"),\n    PostgreSQLCsv;\n}\n")
    assert _binds("java", "Svc.java", source) == {"type Svc": [("NAMES", 4)],
                                                    "type Predefined": [("Default", 7), ("MySQL", 8), ("PostgreSQLCsv", 9)]}
    # commons-net's FTPCmd lists its constants several to a line: each binds (`MLSD` found only an alias of it)
    several = "public enum Cmd {\n    ABOR, ACCT,\n    PASV, STOR;\n\n    public static final Cmd STORE = STOR;\n}\n"
    assert _binds("java", "Cmd.java", several) == {"type Cmd": [("ABOR", 2), ("ACCT", 2), ("PASV", 3), ("STOR", 3),
                                                                ("STORE", 5)]}


def test_a_java_field_declared_with_its_brackets_after_the_name_binds_it() -> None:
    """jbcrypt: `static private final byte index_64[] = {` (C's way, kept by code ported from C) bound nothing, so
    typing `index_64` found a method using it first and the declaration unlabelled (probe 178)."""
    code = ("class BCrypt {\n    static private final int P_orig[] = {\n        0x243f6a88, 0x85a308d3\n    };\n"
            "    static private final byte index_64[] = {\n        -1, -1\n    };\n    private byte grid[][];\n"
            "    private int[] modern = {1};\n}\n")
    assert bound_names("java", "type", code) == ["P_orig", "index_64", "grid", "modern"]


def test_a_java_field_whose_value_opens_the_next_line_binds_it() -> None:
    """java-html-sanitizer: `private static final AttributePolicy DEFAULT_SKIP_IF_EMPTY` with `= new ...;` on the next
    line bound nothing, so typing the name found a method using it first (probe 206); a header split over lines
    (`public static class Builder`, `throws IOException`) binds no field."""
    code = ("public final class Limits {\n  public static final int MAX_NESTING_DEPTH\n      = 256;\n"
            "  private static final Map<String, AttributePolicy> DEFAULT_SKIP_IF_EMPTY // kept\n"
            "      = Map.of();\n  private static final int MAX_TABLE_WIDTH = 80;\n  public static class Builder\n  {\n"
            "    int x;\n  }\n  public static int fits(int depth)\n      throws IllegalStateException\n  {\n"
            "    return depth;\n  }\n}\n")
    assert bound_names("java", "type", code) == ["MAX_NESTING_DEPTH", "DEFAULT_SKIP_IF_EMPTY", "MAX_TABLE_WIDTH"]


def test_a_python_constants_docstring_below_it_is_part_of_its_statement() -> None:
    """cerberus: `TypeDefinition = namedtuple(...)` with the docstring under it that says what it is was shown as its
    one line, the docstring left out (probe 174): an attribute docstring right below a binding belongs to it."""
    from codesearch.parse.bindings import own_bindings

    src = ('TypeDefinition = namedtuple("TypeDefinition", "name,included_types,excluded_types")\n'
           '"""\nThis class is used to define types that can be used as value in the\n:attr:`~cerberus.Validator.types_mapping`.\n"""\n\n'
           "LIMIT = 5\n'''One line about it.'''\nOTHER = 1\n\nNEXT = 2\nprint('not a docstring')\n")
    lines = src.split("\n")
    found = {b[0]: (b[1], b[2]) for b in own_bindings("python", "module", list(enumerate(lines, start=1)), lines)}
    assert found["TypeDefinition"] == (1, 5) and found["LIMIT"] == (7, 8) and found["OTHER"] == (9, 9)
    assert found["NEXT"] == (11, 11)


def test_a_typescript_binding_whose_type_arguments_open_lines_keeps_its_statement() -> None:
    """chevrotain's `export const DEFAULT_PARSER_CONFIG: Required<` with its type's arguments and `> = {...}` on the
    lines below was shown as its first line only (probe 237): a type's `<` opens the statement as a bracket does; an
    arrow's `=>` and a comparison close nothing."""
    code = ('export const DEFAULT_OPTIONS: Required<\n  Omit<Options, "verbose">\n> = Object.freeze({\n'
            '  retries: 3,\n});\n\nexport const LIMIT = 3;\nexport const SMALL = LIMIT < 2;\n'
            'export const TABLE: Map<string, Array<number>> = new Map();\nexport const BIG = LIMIT >= 2;\n'
            'export const NEXT = 4;\nexport const IS_LEGACY = NEXT<16;\n'  # a comparison unspaced (review)
            'export const HANDLERS: Map<string, (a: number) => void> = new Map();\nexport const LAST = 5;\n'
            'export const HANDLER = makeHandler<\n  Options\n>(opts);\nexport const FINAL = 6;\n')  # zustand's (review)
    units = parse_source(code.encode(), "typescript", "src/options.ts")
    binds = {b[0]: b[1:3] for u in units for b in u.binds}
    assert binds == {"DEFAULT_OPTIONS": (1, 5), "LIMIT": (7, 7), "SMALL": (8, 8), "TABLE": (9, 9), "BIG": (10, 10),
                     "NEXT": (11, 11), "IS_LEGACY": (12, 12), "HANDLERS": (13, 13), "LAST": (14, 14),
                     "HANDLER": (15, 17), "FINAL": (18, 18)}, binds
