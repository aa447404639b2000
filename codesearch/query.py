"""What a search asks (`Query`) and what it answers (`Hit`): plain data every surface shares.

Kept free of numpy and the model so the light socket client can build and print them.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from types import MappingProxyType

from codesearch.config import DEFAULT_MODEL
from codesearch.errors import UsageError
from codesearch.languages import LANGUAGE_ALIASES, LANGUAGES, identifier_pattern

# What a file is split into (codesearch/parse/units.py says what each holds); a query may filter on it.
UNIT_KINDS = ("function", "method", "constructor", "type", "module", "block", "window")
# What a user may call a kind: a type is a class, struct, interface, enum, trait, record or namespace as written.
KIND_ALIASES: Mapping[str, str] = MappingProxyType({
    **dict.fromkeys(("class", "classes", "struct", "interface", "enum", "trait", "record", "namespace", "types"), "type"),
    **dict.fromkeys(("func", "fn", "def", "functions"), "function"), "methods": "method", "init": "constructor"})
MODES = ("hybrid", "semantic", "lexical")
DEFAULT_MODE = "hybrid"  # chosen on the benchmarks: see benchmarks/README.md
# What a result's score is in each mode (each has its own scale; compare scores within one list only).
SCORE_NAMES = {"hybrid": "fused", "semantic": "cosine", "lexical": "bm25", "similar": "cosine"}
SCORE_HELP = ("Scores: fused = reciprocal-rank fusion of the semantic and lexical ranks (hybrid, ~0.05-0.5; a "
              "definition of the name asked for is put first and may score far more), "
              "cosine = similarity of meaning (semantic, similar; -1 to 1 before the signals), bm25 = shared words "
              "(lexical); each times the ranking signals (--explain), so a semantic score may pass 1; higher is better, "
              "comparable within one list only.")
MAX_K = 1000
ELIDED = "…"  # the line a unit's text puts where a definition it holds was left out (units._trimmed)
MAX_INDENT = 80  # a unit starting further right than this in its line is previewed without the line's lead


def _utf8(text: object) -> bool:
    """False for text holding lone surrogates (undecodable bytes from argv or a JSON escape)."""
    try:
        str(text).encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


class QueryError(UsageError):
    """A query that cannot be run as given: bad text, k, mode or filters."""


def _listed(request: dict, key: str) -> list[str]:
    """A request's list of names (absent or null: none), or one clear error."""
    value = request.get(key) or []
    if not isinstance(value, list) or not all(isinstance(x, str) for x in value):
        raise QueryError(f"{key!r} must be a list of names, not {value!r:.60}")
    return value


def _names(value: object, what: str, allowed: tuple[str, ...], aliases: Mapping[str, str] | None = None) -> tuple[str, ...]:
    """A filter's names, lower-cased, aliases resolved (`js`: javascript) and checked against what exists (one line
    naming the choices)."""
    if isinstance(value, str) or not all(isinstance(x, str) for x in value or ()):  # type: ignore[union-attr]
        raise QueryError(f"{what}s must be a list of names, not {value!r}")
    names = tuple((aliases or {}).get(n, n) for n in (x.strip().lower() for x in value or () if x.strip()))  # type: ignore[union-attr]
    unknown = [x for x in names if x not in allowed]
    if unknown:
        raise QueryError(f"unknown {what} {unknown[0]!r}: choose from {', '.join(allowed)}")
    return names


def check_glob(glob: object) -> str | None:
    """A path filter as searches apply it (gitignore style), or QueryError when it is not text or
    matches nothing by construction: never an empty success. Plain string checks, so the fast client
    imports nothing; the searcher refuses what only compiling it shows (`[z-a]`) with bad_glob too."""
    if glob is None or glob == "":
        return None
    if not isinstance(glob, str):
        raise QueryError(f"path glob must be text, not {glob!r}")
    if not glob.strip() or glob.startswith("#"):
        raise bad_glob(glob, "it is blank or a comment")
    if glob.startswith("!"):
        raise bad_glob(glob, "a negation ('!') on its own matches nothing")
    if (len(glob) - len(glob.rstrip("\\"))) % 2:
        raise bad_glob(glob, "it ends with a lone backslash")
    i = 0
    while i < len(glob):
        if glob[i] == "\\":
            i += 2
            continue
        if glob[i] == "[":
            j = i + 1 + (glob[i + 1:i + 2] in ("!", "^"))
            close = glob.find("]", j + 1)  # a ']' right after '[' (or '[!') is a member, not the end
            if close < 0:
                raise bad_glob(glob, "'[' at position " + str(i + 1) + " is never closed")
            i = close
        i += 1
    return glob


def bad_glob(glob: str, why: str) -> QueryError:
    """The one-line refusal of a path glob, saying what a good one looks like."""
    return QueryError(f"bad path glob {glob!r}: {why}; use a gitignore-style glob such as 'src/**/*.py'")


# -- the words of a query, parsed once ---------------------------------------------------------------------
_IDENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])|(?<=[A-Za-z])(?=[0-9])")
# a name's words as written: IPv4 and IPv6 whole, an acronym's plural whole (URLs, IDs), an acronym before a version
# (JSONv2: JSON, v, 2), an acronym, a word, a number (_CAMEL's split would give i/pv/4, ur/ls, jso/nv/2)
_NAME_PART = re.compile(r"IPv[46]|[A-Z]{2,}s(?![^\W\d_A-Z])|[A-Z]+(?=v[0-9])|[A-Z]+(?![^\W\d_A-Z])|[A-Z]?[^\W\d_A-Z]+|[0-9]+")
# Chinese, Japanese and Korean letters, written without spaces beside Latin ones (`清除所有的cookie`): a word of each
CJK = "\u3040-\u30fa\u30fc-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af"  # not `・` (U+30FB)
_WORD = re.compile(rf"[^\W{CJK}]+|[{CJK}]+")  # a run of one script's word characters (probe 122)
WORD = _WORD  # the one word splitter, the lexical index's too (parse.lexical.index_words)
_ANY_IDENT = identifier_pattern()  # any of our languages' identifiers (`paid?`, `$name`, `parseConfig`)
# an operator method's name, after its type's (Ruby's `Result#[]=`, `Version#<=>`; Python's `Vector.__add__` is a name)
_OPERATOR = r"(?:\[\]=?|<=>|===?|=~|<<|>>|\*\*|[+\-*/%<>]=?|!|[+\-]@)"
_IDENT_QUERY = re.compile(rf"^{_ANY_IDENT}(?:(?:\.|::|#|->|\\){_ANY_IDENT})*(?:(?:\.|::|#){_OPERATOR})?(?:\(\))?$")
_SEPARATORS = re.compile(r"::|->|#|\\|\.")
_TOKEN = re.compile(r"[\w$]+(?:(?:\.|::|#)[\w$]+)*")  # a word or a name as typed (parseConfig, res.send, Cart#total)
# an application's `module:attribute` on a command line (`test:app`), last or before an option; no `a: b`, `tests:run`
_MODULE_ATTRIBUTE = re.compile(r"(?<![\w:.$/])([A-Za-z_][\w.]*):([A-Za-z_]\w*)(?=\s*$|\s+--?[A-Za-z])")
# A Go name as stack traces and docs print it: an import path before the package, a method on a pointer receiver
# (`github.com/gorilla/mux.(*Router).ServeHTTP`, `(*Decoder).Decode`): read as the dotted name the index knows
# (`mux.Router.ServeHTTP`).
_IMPORT_PATH = re.compile(r"^[a-z0-9-]+(?:\.[a-z0-9-]+)+/(?:[\w.~-]+/)*(?=[A-Za-z_])")
_GO_RECEIVER = re.compile(r"(^|\.)\(\*?([A-Za-z_]\w*)\)\.")
# A type's name and a method's written with a space (`ARCCache Get`, `Promise then`, `Utils all`): a member, when
# the method's name is a word a question would drop (get, then, all, any, find, ...)
_TYPE_AND_MEMBER = re.compile(r"([A-Z][\w$]*)\s+([A-Za-z_][\w$]*)")


# A type's name and what kind of type it is (`Setter interface`, `the ParseError struct`): the type
_TYPE_AND_KIND = re.compile(r"(?i:the\s+)?([A-Za-z_][\w$]*)\s+(?i:class|interface|struct|enum|trait|type|record|"
                            r"protocol|module)")  # Go's unexported `certificate struct` too (sprig: probe 207)


_TYPE_AND_CLAUSE = re.compile(_TYPE_AND_KIND.pattern + r"\s+(?:that|which|whose|for|with|holding|wrapping)\s+\S")
# a name and the kind of binding it is: `Message namedtuple`, `the DEFAULT_TIMEOUT constant`, `retryCount variable`
_BOUND_AND_KIND = re.compile(r"(?i:the\s+)?([A-Za-z_$][\w$]*)\s+(?i:constant|const|variable|var|global|namedtuple|"
                             r"named\s+tuple|field|attribute|property)")


def member_form(text: str) -> str | None:
    """`Promise.then` for `Promise then`: a type's name and a member's named by a stop word, which a question drops;
    the searcher looks it up when the words name nothing else (`Delete all` stays a question)."""
    member = _TYPE_AND_MEMBER.fullmatch(text.strip())
    return f"{member.group(1)}.{member.group(2)}" if member and member.group(2).lower() in STOP_WORDS else None


def bound_form(text: str) -> str | None:
    """`Message` for `Message namedtuple`, `the MAX_SIZE constant`: a name and the kind of binding it is, which the
    searcher looks up among bindings (huey's `Message = namedtuple(...)`, first by words four times over, came fifth:
    probe 262); a plain lower-case word ("message field") stays a question."""
    bound = _BOUND_AND_KIND.fullmatch(text.strip())
    name = bound.group(1) if bound else ""
    return name if name and (not name.islower() or looks_like_identifier(name)) else None


def type_form(text: str) -> str | None:
    """`Setter` for `Setter interface`, `the ParseError struct`: a name and its kind word, which the searcher looks up
    among types when the words name nothing else (the word "interface" met `interfaceFrom` first and the type came
    fourth: probe 132); "Abstract class" names a type only where one is named so."""
    typed = _TYPE_AND_KIND.fullmatch(text.strip())
    if typed is None and (clause := _TYPE_AND_CLAUSE.match(text.strip())) and not clause.group(1).islower():
        return clause.group(1)  # "the Value type that wraps arbitrary data" (objx's Value came 4th: probe 250)
    return typed.group(1) if typed else None


# How code writes a name that the index keeps without it: PHP's fully qualified `\GuzzleHttp\Middleware`, Ruby's
# top-level `::HTTP::Options`, and a member of the current class (`self::VISIBILITY_PUBLIC`, `static::create`,
# `parent::__construct`, `$this->client`, `this.options`, `self.retries`, Ruby's class variable `@@default_options`)
_WRITTEN_PREFIX = re.compile(r"^(?:\\|::|(?:self|static|parent)::|\$this->|this\.|self\.|@@)(?=[A-Za-z_$])")


# A declaration or a call pasted from code: the name it declares or calls is what is asked for (probes 61, 63: `class
# Schema` found `class_registry` first and Schema 11th, `def get_value` set_value, `load()` _do_load, `mapstructure.
# Decode(input, &result)` Decode 7th)
_DECLARED = re.compile(r"(?P<modifiers>(?:(?:export|default|public|private|protected|internal|static|abstract|final|"
                       r"async|pub|open|override|sealed)\s+)*)(?P<keyword>class|def|func|function\*?|fn|interface|struct|"
                       r"enum|trait|module|type|record)\s+")
# keywords that are everyday words too: before one plain lower-case word they begin a question ("type definitions",
# "class loader", "function composition"), not a declaration (`def parse`, `class Schema` are declarations)
_WORD_KEYWORDS = frozenset({"class", "interface", "struct", "enum", "trait", "module", "type", "record"})
# (not `function`: `function debounce` is JavaScript's lower-case name, "function composition" reads as well as a name)
_GO_METHOD = re.compile(r"\(\s*\w*\s*\*?\s*([A-Za-z_]\w*)(?:\[[^\]]*\])?\s*\)\s*")  # `(c *Conn) `: Conn.
_DECLARED_AFTER = re.compile(r"(?:[(:{<\[=]|(?:extends|implements|struct|interface)\b)")  # what may follow its name
# the type a Go type is defined as, written after its name: `type Options uint`, `type Handler func(w, r)`, `type Set
# map[string]bool`, `type Ptr *Node` (go-flags' `type ErrorType uint` found ErrorType.String first: probe 181)
_TYPE_EXPRESSION = re.compile(r"(?:\*|\[\d*\]|map\[[\w.*\[\]]+\]|chan\s+|<-chan\s+)*(?:[A-Za-z_][\w.]*|func\s*\(.*)")
# Java's, C#'s, PHP's method with modifiers and its type before its name: `public static void main(String[] args)`
_TYPED_METHOD = re.compile(r"(?:(?:public|private|protected|internal|static|final|abstract|synchronized|native|default|"
                           r"override|virtual)\s+)+(?:<[^>]*>\s*)?[\w.$\[\]<>?, ]*?\s+(?=[A-Za-z_$][\w$]*\s*\()")
# a field or constant with its modifiers and type: `protected $BlockTypes`, `private final Map<K, V> entryStore;`,
# `public static final int MAX = 10;` (probe 75: the pasted field met none of its own name)
_FIELD = re.compile(r"(?P<modifiers>(?:(?:public|private|protected|internal|static|final|readonly|volatile|transient|"
                    r"const|var)\s+)+)"
                    r"(?:(?P<type>(?:[\w.\\\[\]?|]|<[^<>]*(?:<[^<>]*>[^<>]*)*>)+)\s+)?(?P<name>\$?[A-Za-z_]\w*)\s*"
                    r"(?P<end>=.*|;)?\s*")  # a type holds a space only inside <...>: "private key for SSH" is a question
# type arguments written right after a type (`<>`, `<LongEvent>`, `<K, List<V>>`), not a comparison's `a < b`
_TYPE_ARGUMENTS = r"(?:<[\w\s,.?\[\]]*(?:<[\w\s,.?\[\]]*>[\w\s,.?\[\]]*)*>)?"
_TYPE_ARGUMENTS_CALLED = re.compile(rf"{_TYPE_ARGUMENTS}(?=\s*\()")
_GIVEN_A_CALL = re.compile(rf"=\s*(?:new\s+[A-Za-z_$][\w$.]*|(?:await\s+)?[A-Za-z_$][\w$.]*{_TYPE_ARGUMENTS})\s*\(")
# (a field given `new HashMap<>()` is the field: the type is the language's; a call given type arguments is the call:
# `createRecordType<Book>('book')`, probe 228) and a local variable given any, `new Store<Book>(...)` too
_GIVEN_A_CALL_LOCALLY = re.compile(rf"=\s*(?:new\s+|await\s+)?[A-Za-z_$][\w$.]*{_TYPE_ARGUMENTS}\s*\(")
_CODE_TYPE = re.compile(r"[\w.\\]*[A-Z]\w*(?:<.*>)?(?:\[\])*\??|(?:int|long|short|byte|char|bool|boolean|float|double|"
                        r"string|object|mixed|array|callable|iterable)\??")  # a type as code writes it: `public int count`
_LOCAL = frozenset({"const", "var", "let", "val", "final"})  # what a local variable is declared with: no field's
# a member of a variable given a value (`client.timeout = 10`, `$req->method = 'GET'`), not of the object in hand
_MEMBER_SET = re.compile(r"(?!(?:self|this|cls|\$this)\b)([A-Za-z_$][\w$]*(?:(?:\.|->|::)[A-Za-z_$][\w$]*)+)\s*=(?![=~>])\s*")
# (not a comparison: `req.method == 'GET'` stays the line: review)
# what is assigned to: a variable or a member of one (`self.cache`, `this.store`, `$this->rows`, `@x`, `@@x`,
# `obj.f`, `self::$x`: probe 98, `self.cache = load_cache(name)` stayed words); no separator holds a name's
# character, so the parts split one way only (linear: probe 89)
_TARGET = r"@{0,2}[A-Za-z_$][\w$]*(?:(?:\.|->|::)[A-Za-z_$][\w$]*)*"
# a destructuring pattern assigned to: `{ data, isPending }`, `[state, setState]` (a pasted React hook line named no
# call: probe 115)
_PATTERN = r"\{[^{}=]*\}|\[[^\[\]=]*\]"
# a variable assigned, declared or typed (`out :=`, `const x =`, `String s =`, `List<T> xs =`, `const c: Config =`,
# `var cfg Config =`): what follows is asked for when it is a call
_ASSIGNED = re.compile(rf"(?:(?:{'|'.join(sorted(_LOCAL))})\s+)*(?:(?:[\w.$\\\[\]?]|<[^<>]*(?:<[^<>]*>[^<>]*)*>)+\s+)?"
                       rf"(?:{_TARGET}(?:\s*,\s*{_TARGET})*|{_PATTERN})(?:\s*:\s*[^=:\s][^=]*?|\s+[\w.$\[\]*]+)?\s*:?=\s*")
# what may open a call: a keyword, and a name's written prefix from the top (Ruby's `::Zip::`, PHP's `\Foo\`)
_CALLED = re.compile(r"(?:(?:return|await|new|yield)\s+)?(?:::|\\)?")
# the keywords a pasted line may open with before its call: what the line does with the call's value (json5's
# `throw invalidChar(read())` found ten callers of the line and not `invalidChar`: probe 130)
_SAID_BEFORE = re.compile(r"(?:(?:return|await|yield|throw|raise|defer|go|echo|puts|print|pp|p)\s+)+(?=\S)")
_RAISED_FROM = re.compile(r"\)\s+from\s+[\w.]+\s*$")  # Python's `raise E(k) from e`: the cause is no argument
_NAME_AT = re.compile(rf"{_ANY_IDENT}(?:(?:\.|::|#|->|\\){_ANY_IDENT})*")
# what may follow a call's closing bracket in a pasted call: a `;`, or the `,` of a line copied from inside a list of
# arguments (ozzo-validation's `validation.Field(&a.Street, validation.Required),` was words: probe 212)
_ARGUMENTS_END = re.compile(r"\s*[;,]?\s*")
# a Ruby block given to the call, opened on its line: `throttle("by ip", limit: 5) do |req|`, `{ |req| req.ip }`
# (rack-attack's README rules were words: probe 211); not a test's block (`it("adds") do`: _NO_FACTORIES)
_BLOCK_GIVEN = re.compile(r"\s*(?:do|\{)\s*(?:\|[^|]*\|)?(?:[^{}|]*\})?\s*")
_CALLBACK_OPENED = re.compile(r"[,(]\s*(?:async\s+)?(?:function\b[^{]*|\([^()]*\)\s*=>\s*|\w+\s*=>\s*|func\s*\([^{]*)\{")
_LIST_SEPARATOR = re.compile(r"[\s,;/&|]+")
_LISTED_NAME = re.compile(r"(?=[\w$.:#]*(?:[a-z0-9][A-Z]|[A-Za-z0-9]_[A-Za-z0-9]|[\w$](?:\.|::|#)[A-Z]))"
                          r"[A-Za-z_$][\w$]*(?:(?:\.|::|#)[A-Za-z_$][\w$]*)*")  # `Vfs.Dir` too (probe 288)
_MEMBER_OF = re.compile(r"\.|->|::")  # a name called on a receiver (`p.AllowAttrs`), not a bare call (`expect`)


# a compiler's call of an imported function: Babel's `(0, _assertString.default)(str)`, TypeScript's `(0,
# utils_1.isObject)(value)`, in every compiled package's lib/ (probe 177)
_INDIRECT_CALL = re.compile(r"\(\s*0\s*,\s*(?P<callee>[A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)*)\s*\)\s*(?=\()")
_COMPILED_ALIAS = re.compile(r"^_+|_\d+$")  # `_assertString`, `utils_1`: the module's name as its source imports it


def _compiled_calls(text: str) -> str:
    """text with a compiler's indirect calls written as their source wrote them: `(0, _assertString.default)(str)` as
    `assertString(str)` (a module's default export is named for its module), `(0, utils_1.isObject)(v)` as
    `utils.isObject(v)`."""
    def source(indirect: re.Match) -> str:
        module, _, member = indirect.group("callee").partition(".")
        module = _COMPILED_ALIAS.sub("", module) or module
        return module if member in ("", "default") else f"{module}.{member}"
    return _INDIRECT_CALL.sub(source, text) if "(0" in text else text


# a JavaScript tagged template: a name or member directly before a backtick (`gql`, `styled.div`, `sql`), a call of it
_TAGGED = re.compile(r"(?<![\w$.`])(?P<tag>[A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)*)`")


# Python's import of names from a module: a list of names, each perhaps renamed, or `*` ("from csv import rows into
# the database" is a question: review)
_IMPORTED_NAME = r"[A-Za-z_]\w*(?:\s+as\s+[A-Za-z_]\w*)?"
_FROM_IMPORT = re.compile(rf"from\s+([A-Za-z_][\w.]*)\s+import\s+(?:\*|\(?\s*{_IMPORTED_NAME}(?:\s*,\s*{_IMPORTED_NAME})*"
                          r"\s*,?\s*\)?)\s*")

# a decorator or annotation pasted alone, given arguments: the call it makes (APScheduler's `@sched.scheduled_job('cron',
# hour=17)` was words: probe 219)
_DECORATOR = re.compile(r"^@(?=[A-Za-z_][\w.]*\s*\()")
# a line opening a block on a condition or on resources (Java's `try (InputStream in = open(f)) {`: probe 270): what
# is asked for is the call in the condition, its brackets' whole
_CONTROL = re.compile(r"(?:\}\s*)?(?:else\s+)?(?:if|elseif|elsif|elif|while|for|foreach|switch|try)\s*(?=\()")
_BLOCK_OPENED = re.compile(r"\s*(?:\{|:|then|do)?\s*")
_GO_INIT = re.compile(r"(?:\}\s*else\s+)?(?:if|switch)\s+([^;{]*:=[^;{]*\([^;]*);[^;]*\{?\s*")  # `if x := f(); x {`
# code pasted with the error handling around it (OGNL's javadoc `try { result = Ognl.getValue(expression, root); }
# catch (...) {...}`, Python's `try:` ... `except E:`, Ruby's `begin` ... `rescue`): the code guarded is what is asked
_GUARDED = re.compile(r"(?:try\s*[{:]|begin\b)\s*(?P<body>.*?)\s*(?:\}\s*(?:catch|finally)\b.*|\}|"
                      r"(?<![\w.$])(?:except|finally|rescue|ensure)\b.*|(?<![\w.$])end)?\s*", re.DOTALL)
# (a member named so is no clause: `promise.finally(cleanup)`, `Foo.ensure(1)`: review)
# keywords a pasted line may open with that call nothing
_KEYWORDS = frozenset({"if", "else", "elif", "elsif", "elseif", "while", "for", "foreach", "switch", "catch", "do",
                       "try", "finally"})  # (not `select`, `end`, `when`, `with`: functions are named so: review)


def _tagged_calls(text: str) -> str:
    """text with a tagged template written as the call it is: ``gql`{ company }` `` as ``gql(`{ company }`)``
    (the README's ``const document = gql`...` `` was read as naming `document`: probe 203); a template never closed
    stays."""
    match = _TAGGED.search(text) if "`" in text else None
    if match is None:
        return text
    close = text.find("`", match.end())
    while close != -1 and text[close - 1] == "\\":
        close = text.find("`", close + 1)
    if close == -1:
        return text
    return f"{text[:match.end() - 1]}({text[match.end() - 1:close + 1]}){_tagged_calls(text[close + 1:])}"


# a JSX element pasted whole or opened (`<Link to="/about">`, `<Route.Provider value={x} />`, with its children and
# closing tag too): a component's name starts with a capital, an HTML tag's (`<a href>`) does not
_TEMPLATE_KEYWORDS = _KEYWORDS | {"unless", "until", "case", "when", "end", "yield", "return", "begin", "rescue",
                                  "ensure", "then", "not", "and", "or", "in"}  # Ruby's, opening a template's tag
_ERB_TAG = re.compile(r"\s*<%[=-]?(.*?)-?%>\s*")  # one Ruby template tag, its code inside
_RUBY_COMMAND = re.compile(r"([a-z_][\w]*[?!]?)\s+(?![=+\-*/<>!&|%^.])[@:'\"\w\[{].*")  # `f arg, ...`
_JSX_TAG = re.compile(r"<([A-Z][\w$]*(?:\.[A-Za-z_$][\w$]*)*)(?=[\s/>])(?:[^<>{}]|\{[^{}]*(?:\{[^{}]*\}[^{}]*)*\})*"
                      r"(?:/>|>(?:[^<>]*</\1>)?)\s*;?\s*$")


def _declared_or_called(text: str) -> str | None:
    """The name a pasted declaration or call names (`class Schema(Base):`, `def get_value(self):`, `func (c *Conn)
    WriteMessage(t int) error`, `out := lib.Render(tpl, data)`, `load()`: Schema, get_value, Conn.WriteMessage,
    lib.Render, load), else None (`function that parses dates` is a question)."""
    text = _DECORATOR.sub("", _tagged_calls(_compiled_calls(text)))
    if tag := _JSX_TAG.match(text):  # `<Link to="/about">`: the component it renders (solid-router: probe 269)
        return tag.group(1)
    if erb := _ERB_TAG.fullmatch(text):  # a template's `<%= paginate @users %>`: the helper it calls, brackets or
        inner = erb.group(1).strip()  # none (kaminari's README: probe 284)
        command = _RUBY_COMMAND.fullmatch(inner)
        if command and command.group(1) not in _TEMPLATE_KEYWORDS:
            return command.group(1)
        return None if inner.split(" ", 1)[0] in _TEMPLATE_KEYWORDS else _declared_or_called(inner)  # `<% if x %>`
    if imported := _FROM_IMPORT.fullmatch(text):  # plumbum's README `from plumbum.cmd import ls, grep, wc`: the
        return imported.group(1)  # module (probe 223; `shellkit.cmd.ls` would name what no unit defines: review)
    if (managed := _WITH_LINE.fullmatch(text)) and _NAME_AT.match(managed.group(1)).group(0) not in _NO_FACTORIES:
        return _declared_or_called(managed.group(1))  # vcrpy's `with vcr.use_cassette('x.yaml'):` (probe 287)
    if control := _CONTROL.match(text):  # `if ($lock->acquire()) {`: the call in its condition (probe 220)
        close = _closing(text, control.end())
        if close < len(text) and _BLOCK_OPENED.fullmatch(text[close + 1:]):
            return _declared_or_called(text[control.end() + 1:close].strip())
        return None
    if lead := _LEADING_MEMBER.match(text):  # a chain's calls pasted from its middle: `.allowAttributes("href")
        return _chain_from_middle(text[lead.end():])  # .onElements("a")` (probe 206)
    if declared := _DECLARED.match(text) or _TYPED_METHOD.match(text):
        return _declared_name(text, declared)
    field = _FIELD.fullmatch(text)
    local = field is not None and set(field.group("modifiers").split()) <= _LOCAL
    given = _GIVEN_A_CALL_LOCALLY if local else _GIVEN_A_CALL
    if field and given.match(end := field.group("end") or "") and not end[1:].lstrip().startswith("array"):
        # a variable or field given a call's value, typed or not: the call is asked for (`const doc = yaml.load(...)`:
        # js-yaml's load came 9th, probe 81; `final List<T> remove = createRemoveList(...)`: probe 88; `private static
        # final Logger LOG = LoggerFactory.getLogger(..)` found `log` methods: probe 169), and the line pasted is where
        # it is (Searcher._holding_the_line); PHP's `array(` is a literal
        if local:
            field = None
        elif called := _declared_or_called(f"{field.group('name')} {end}"):
            return called
    if field and (field.group("end") or _CODE_TYPE.fullmatch(field.group("type") or "")
                  or not (field.group("name").isalpha() and field.group("name").islower())):
        return field.group("name").lstrip("$")  # "static files", "private key generation" stay questions
    assigned = _ASSIGNED.match(text)
    if assigned and "(" not in text[assigned.end():] and (member := member_set(text)):
        return member  # `client.timeout = 10`: the member set, a Ruby writer's or a field's (a call's value asks for
        # the call, below; `self.x = 1` stays the line)
    called = text[assigned.end() if assigned else 0:]
    if said := _SAID_BEFORE.match(called):  # `throw invalidChar(read())`, `raise E(k) from e`, `return await f(id)`:
        called = _RAISED_FROM.sub(")", called[said.end():]) if "raise" in said.group(0) else called[said.end():]
    if made := _member_of_made(called):
        return made
    called = called[_CALLED.match(called).end():]
    if literal := _COMPOSITE.fullmatch(called):  # `websocket.Upgrader{ReadBufferSize: 1024}`: the type (probe 160)
        return literal.group(1)
    name = _NAME_AT.match(called)
    if name and name.group(0) in _KEYWORDS:  # `} else {`, `for (...)`: no call
        return None
    rest = called[name.end():] if name else ""
    rest = rest[typed.end():] if (typed := _TYPE_ARGUMENTS_CALLED.match(rest)) else rest  # `Disruptor<>(...)`
    if name and _one_call(rest, name.group(0), assigned is not None):
        return _shown_call(rest) if name.group(0) in _SHOWING else name.group(0)
    on_receiver = name is not None and _MEMBER_OF.search(name.group(0))
    if not on_receiver:
        return None  # not `expect(f(x)).toBe(3)`: review
    steps = _chain_called(called[name.end():])
    after = [name.group(0).rsplit(".", 1)[-1], *steps]  # a step just after `new` is the made object's own
    asked = [step for step, before in zip(steps, after) if step not in _ANY_VALUES_STEP or before == "new"]
    return (asked[-1] if asked else name.group(0)) if steps else None  # `Mash.quiet(:zip).new(h)`: quiet (probe 183)


def member_set(text: str) -> str | None:
    """The member a pasted assignment sets, as written (`fp.RSSTranslator = NewTranslator()`: fp.RSSTranslator), else
    None."""
    assigned = _ASSIGNED.match(text)
    member = _MEMBER_SET.match(text) if assigned else None
    return member.group(1) if member and assigned and member.end() == assigned.end() else None


def _declared_name(text: str, declared: re.Match) -> str | None:
    """The name a pasted declaration declares (declared: its keyword and modifiers, matched), as `Owner.name` for a Go
    method; None for a question that starts like one ("type definitions", "default type convertor")."""
    rest, owner = text[declared.end():], ""
    if method := _GO_METHOD.match(rest):
        rest, owner = rest[method.end():], method.group(1) + "."
    name = _NAME_AT.match(rest)
    after = rest[name.end():].lstrip() if name else ""
    if name and not after and not owner and declared.re is _DECLARED \
            and declared.group("keyword") in _WORD_KEYWORDS and name.group(0).isalpha() and name.group(0).islower():
        return None  # "default type convertor" too: a modifier is an everyday word as well (probe 254)
    return owner + name.group(0) if name and (not after or _DECLARED_AFTER.match(after) or (
        declared.group("keyword") == "type" and name.group(0)[:1].isupper() and _TYPE_EXPRESSION.fullmatch(after))
    ) else None


def _member_of_made(called: str) -> str | None:
    """`Type.member` for a member called on what a constructor or factory made (`new Mac(alg, key).signHex(data)`:
    the constructors filled the list, probe 93; `dayjs().add(1, 'day')`: probe 166), else None."""
    made = _CONSTRUCTED.match(called)
    if not made or not (made.group("new") or made.group("type")[:1].isupper()
                        or made.group("type") not in _NO_FACTORIES):
        return None
    after = called[_closing(called, made.end() - 1) + 1:]  # Python's `Mac(...).sign()`, PHP's `(new Mac(...))->`
    after = after.lstrip()[1:] if made.group("wrapped") and after.lstrip().startswith(")") else after
    member = _MEMBER_CALLED.match(after)
    rest = after[member.end() - 1:] if member else ""
    made_type = _GO_CONSTRUCTOR.sub('', made.group('type'))  # Go's NewMac(k) makes a Mac
    later = _chain_called(rest, opened_last=True) if member else []
    if member and (_one_call(rest) or later and _ANY_VALUES_STEP.issuperset(later)):
        # (and then only what any value takes: postcss's README `postcss([autoprefixer]).process(css, {...})
        # .then(result => {` was words: probe 218)
        return f"{made_type}.{member.group(1)}"
    asked = [step for step in later if step not in _ANY_VALUES_STEP]
    return f"{made_type}.{asked[-1]}" if asked else None  # more steps: the last that says something (stylus' README
    # `stylus(str).set('filename', f).render(fn)`: probe 295), the steps before it chained (QueryTerms.chained)


# what a pasted line shows or measures a call's value with: the call inside is what is asked for (`print("You entered:",
# format_size(n))` found every print_* function: probe 204)
_SHOWING = frozenset({"print", "println", "printf", "puts", "p", "pp", "len", "repr", "str", "var_dump", "print_r",
                      "console.log", "console.error", "console.info", "console.debug", "console.dir", "JSON.stringify",
                      "System.out.println", "System.out.print", "System.out.printf", "System.err.println",
                      "fmt.Println", "fmt.Printf", "fmt.Print", "log.Println", "log.Printf", "util.inspect",
                      # and converts it (`console.log(Number(block.header.calcNextBaseFee()))`: probe 303)
                      "Number", "String", "BigInt", "Boolean", "int", "float", "bool"})


_OUTER_CALL = re.compile(r"(?:await\s+|return\s+)?[A-Za-z_$][\w$.]*\s*(?=\()")


def inner_call(typed: str) -> str | None:
    """The one call among the arguments of one pasted call (`log.Fatal(ssh.ListenAndServe(":2222", nil))`: probe 227),
    its name: what to search for where the outer call names nothing of the code's (the Searcher asks); else None."""
    text = without_prompts(typed.strip()).rstrip(";").strip()
    outer = _OUTER_CALL.match(text)
    if outer is None or "\n" in text or _closing(text, outer.end()) != len(text) - 1:
        return None
    if outer.group(0).split()[-1] in _SHOWING and (deeper := inner_call(text[outer.end() + 1 : -1])):
        return deeper  # a value shown: the call given to the call inside it (`print(json.dumps(spec.to_dict()))`:
        # probe 278)
    return _shown_call(text[outer.end():])


# a statement whose value a type's static member makes (`$client = HttpClient::create();`, `const app =
# Vue.createApp({...})`, `Foo::configure(...)`): the type and member, as the code names them
_FACTORY = re.compile(r"(?:(?:const|let|var|final|val|auto)\s+)?"
                      r"(?:(?:[\w.<>\[\], ]+\s+)?\$?[a-z_$][\w$]*\s*(?::[^=]*)?:?=\s*)?(?:await\s+)?"
                      r"((?:[\w$]+(?:\.|::|\\))*[A-Z][\w$]*(?:\.|::)[a-z_$][\w$]*)\s*\(")


def factory_call(typed: str) -> str | None:
    """The one static factory a pasted example of several statements makes its objects with, its name
    (`HttpClient::create` of a README's three lines that go on to call what it made: probe 240): what to search for
    where the example's words name none of the code's (the Searcher asks); else None."""
    text = without_prompts(typed.strip())
    statements = [one for one in _statements(text) if not _ASIDE.match(one)] if "\n" in text or ";" in text[:-1] else []
    made = list(dict.fromkeys(m.group(1) for one in statements if (m := _FACTORY.match(one))))
    owners = {re.split(r"\.|::|\\", name)[-2] for name in made}  # several calls of one type's static API (MVEL's
    # `compileExpression` then `executeExpression(compiled, vars)`: probe 257): the last, what the example comes to
    return made[-1] if len(statements) > 1 and made and len(owners) == 1 else None


def decorator_of(typed: str) -> str | None:
    """The one decorator of a pasted decorated definition (`@falcon.before(max_body(...))` over `def on_post(...)`),
    its name: what the example shows where the code defines the def's name only in tests (the Searcher asks: probe
    238); else None."""
    statements = _statements(without_prompts(typed.strip())) if "\n" in typed.strip() else []
    decorators = [one for one in statements if one.startswith("@")]
    if len(decorators) != 1 or len(statements) != 2 or _declared_or_called(statements[-1]) is None:
        return None
    named = _as_named(decorators[0].lstrip("@"))
    return named if named != decorators[0].lstrip("@") and _IDENT_QUERY.match(named) else None


def _shown_call(rest: str) -> str | None:
    """The one call among the arguments of a call that shows a value (rest: `("You entered:", format_size(n))`), the
    name it names; None when no argument or more than one is a call (the line's words are what it asks)."""
    inner = rest.lstrip()
    parts = _statements(inner[1 : _closing(inner, 0)], ends=",")
    calls = [called for part in parts if "(" in part and (called := _declared_or_called(part))]
    return calls[0] if len(calls) == 1 else None


_LEADING_MEMBER = re.compile(r"\s*(?:\.|->)\s*(?=[A-Za-z_$])")  # `.allowElements("a")`, `->setCode(...)`: no receiver


def _chain_from_middle(rest: str) -> str | None:
    """The member a chain's calls pasted without their receiver ask for (rest: past the leading `.`): the last step
    that says something (bluemonday's builder: _chain_called), or the one call's name; None for no call."""
    name = _NAME_AT.match(rest)
    if name is None or _MEMBER_OF.search(name.group(0)):
        return None
    if _one_call(rest[name.end():]):
        return None if name.group(0) in _ANY_VALUES_STEP else name.group(0)  # `.then(res => res.json())`: words
    steps = [step for step in _chain_called(rest[name.end():]) if step not in _ANY_VALUES_STEP]
    return steps[-1] if steps else None


# a composite literal of a named type (Go's `&pkg.Name{A: 1}`, Rust's `Point { x: 1 }`): a type's name, capitalised
_COMPOSITE = re.compile(r"&?((?:[A-Za-z_]\w*\.)?[A-Z]\w*)\s*\{[^{}]*(?:\{[^{}]*\}[^{}]*)*\}\s*[;,]?", re.DOTALL)
# a step any value takes, which says nothing of the chain: a class's `new`, a promise's `then`, an emitter's `on`; but
# `CreateUser.new(params).call` asks for the service object's `call`, and `call`, `apply` are methods of many (review)
_ANY_VALUES_STEP = frozenset({"new", "then", "catch", "finally", "on", "once"})


# a chain's last step called without brackets, as Ruby writes it: a name no property is spelt as (`to_text`, `scrub!`,
# `valid?`, `each_line`), not `.length`, `.body` or Python's `.status_code`, which read a value (review)
_LAST_BARE_STEP = re.compile(r"\s*(?:\.|->)\s*((?:to|each|as)_\w+|[A-Za-z_]\w*[!?])\s*;?\s*")
_LAST_BARE_AT_END = re.compile(_LAST_BARE_STEP.pattern + "$")


def _chain_called(rest: str, opened_last: bool = False) -> list[str]:
    """The members a chain of calls calls after its first, rest being what follows its first name; the last is the
    one asked for (`("href").OnElements("a")` of bluemonday's `p.AllowAttrs("href").OnElements("a")`: the builder's
    last step, whose definition is asked for, not the units that call the chain: probe 107); [] for no chain.
    opened_last: a last step given a callback whose block the text opens counts too (`.render(function(err, css){`)."""
    steps: list[str] = []
    while (after := _past_call(rest)) is not None:  # none: no call, or one never closed (`a(1).b(`)
        rest = after
        if steps and _ARGUMENTS_END.fullmatch(rest):
            return steps
        member = _MEMBER_CALLED.match(rest)
        if member is None and (last := _LAST_BARE_STEP.fullmatch(rest)):
            return [*steps, last.group(1)]  # Ruby's `Loofah.document(html).to_text`, brackets left out (probe 217)
        if member is None:
            return []
        steps.append(member.group(1))
        rest = rest[member.end() - 1:]
    # a callback's block opened by a step any value takes (`.then(result => {`, `.on('data', function (chunk) {`): the
    # chain up to it (probe 218)
    opened = opened_last and bool(steps) and bool(_CALLBACK_OPENED.match(rest.lstrip()))
    return steps if steps and (steps[-1] in _ANY_VALUES_STEP or opened) else []


def _one_call(rest: str, name: str = "", assigned: bool = False) -> bool:
    """rest is one call's arguments and nothing more (a `;`): `(a, b);`, not `(a).b(c)` nor `(a); save(x)`, whose
    first name is not what they ask for (`Builder parser = new Builder(); Document doc = parser.build(file);` was
    read as `Builder`, `croniter(...).get_next(...)` as `croniter`: probes 99, 103)."""
    if not rest.lstrip().startswith("(") and rest.strip() and _BLOCK_GIVEN.fullmatch(rest):
        return name not in _NO_FACTORIES  # Ruby's `channel.on_data do |ch, data|`: a call given a block, no brackets
        # (net-ssh's examples were words: probe 220)
    after = _past_call(rest)
    while after is not None and after.lstrip().startswith("(") and (called := _past_call(after)) is not None:
        after = called  # the function it returns called at once: dill's `loads(dumps(squared))(3)` (probe 212)
    if after is None:  # never closed: lines pasted from inside the arguments of a call whose value is kept (go-cmp's
        # `opt := cmp.Comparer(func(x, y float64) bool {` and two more: probe 200); one line cut off (`p.a(1).b(`) is
        # none, nor a callback's block whose call is no value (`t.Run("x", func(t *testing.T) {`, `app.get('/', (req,
        # res) => {`: their words are what they ask: review), nor prose's bracket ("retry (with backoff")
        # A line cut after an argument (`const stream = client.messages.stream({ model: 'x', max_tokens: 1024,`:
        # the README's call, its lines cut where the question ends: probe 230) is the call kept too
        kept = assigned and rest.startswith("(") and ("\n" in rest.strip() or rest.rstrip().endswith(","))
        return (kept or _callback_cut(name, rest)) and not any(part in _NO_FACTORIES for part in name.split("."))
    return bool(_ARGUMENTS_END.fullmatch(after)) or bool(_BLOCK_GIVEN.fullmatch(after)) and name not in _NO_FACTORIES


_ROUTE_OR_SUBTEST = re.compile(r"\(\s*['\"`]/|testing\.[TB]\b")  # `app.get('/', ...`, `t.Run("x", func(t *testing.T)`


def _callback_cut(name: str, rest: str) -> bool:
    """A call given a callback whose block the line opens: a bare function's (request's README `request('http://x',
    function (error, response, body) {`: probe 276), or a method's with nothing after the block's opening (mysql's
    README `connection.changeUser({user : 'john'}, function(err) {`: probe 299); not a route's or a Go subtest's,
    whose words are what they ask (review), nor a test block's (`describe`, `it.only`, `test.describe`: the caller)."""
    opened = _CALLBACK_OPENED.search(rest)
    if not name or opened is None:
        return False
    if not _MEMBER_OF.search(name):
        return True
    return not rest[opened.end():].strip() and not _ROUTE_OR_SUBTEST.search(rest)


def _past_call(rest: str) -> str | None:
    """What follows the call's arguments rest opens with (spaces first aside), None when rest opens no call or its
    bracket never closes."""
    opening = len(rest) - len(rest.lstrip())
    closing = _closing(rest, opening)
    return rest[closing + 1:] if rest[opening:].startswith("(") and closing < len(rest) else None


# lower-case calls whose value is no type of the code's: an assertion's chain (`expect(f(x)).toBe(3)` asks for no
# `toBe`: review), a module's import, the languages' own functions (`super().__init__(x)`, `open(p).read()`,
# `str(v).lower()`, `fetch(url).then(...)`: review)
_NO_FACTORIES = frozenset({"expect", "assert", "assertThat", "assume", "should", "it", "test", "describe", "cy", "verify",
                           "when", "given", "then", "check", "require", "import", "super", "open", "str", "bytes", "len",
                           "list", "dict", "set", "tuple", "int", "float", "bool", "repr", "print", "type", "iter", "next",
                           "sorted", "reversed", "enumerate", "zip", "range", "map", "filter", "getattr", "vars", "fetch",
                           "parseInt", "parseFloat", "setTimeout", "setInterval", "structuredClone", "make", "append",
                           "new", "array", "compact", "sprintf", "strval", "intval", "beforeEach", "afterEach",
                           "beforeAll", "afterAll", "before", "after", "suite", "context", "specify", "xit", "fit",
                           "xdescribe", "fdescribe", "xtest", "setup", "teardown", "suiteSetup", "suiteTeardown",
                           "Convey", "Promise"})  # (test blocks and `new Promise((resolve) => {`: review)
# (Java's diamond `new Disruptor<>(...)` was words: probe 219)
_CONSTRUCTED = re.compile(rf"(?P<wrapped>\(\s*)?(?P<new>new\s+)?(?P<type>{_ANY_IDENT}){_TYPE_ARGUMENTS}\s*\(")
# the member called on what was made, past attributes (tinydb's `Query().tags.any([...])`: Query.any, probe 99)
_MEMBER_CALLED = re.compile(rf"(?:\s*(?:\.|->)\s*{_ANY_IDENT}(?=\s*(?:\.|->)))*\s*(?:\.|->)\s*({_ANY_IDENT})\s*\(")
_GO_CONSTRUCTOR = re.compile(r"^New(?=[A-Z])")


def _closing(text: str, opening: int) -> int:
    """Where the bracket opened at opening closes (the text's end when it never does), brackets in strings aside
    (`strings.TrimSuffix(s, ")")`: review)."""
    depth, quote, i = 0, "", opening
    while i < len(text):
        c = text[i]
        if quote:
            i += 2 if c == "\\" else 1
            quote = "" if c == quote else quote
            continue
        if c in "'\"`":
            quote = c
        depth += {"(": 1, ")": -1}.get(c, 0)
        if depth == 0:
            return i
        i += 1
    return len(text)


_CHAIN_GOES_ON = re.compile(r"(?<=[\w$)\]])[ \t]*\n[ \t]*(\??\.|->)(?=[A-Za-z_$])")


_LETTER = re.compile(r"[^\W\d_]")


# a Ruby block pasted whole, `do |config|` ... `end` on one line or several: what a gem's README configures it with
_BLOCK_PASTED = re.compile(r"(?P<call>[^\n|]*?)\s+do\s*\|\s*(?P<given>[a-z_]\w*)\s*\|(?P<body>.*?)(?<![\w.$:])end\s*",
                           re.DOTALL)


def _sets_only(body: str, given: str) -> bool:
    """Whether every statement of a block's body sets a member of what the block is given (`config.per_page = 10`):
    such a block configures the call that gives it, which is asked for; one doing more (`r.destroy`) asks its words."""
    statements = _statements(body)
    setting = re.compile(rf"{re.escape(given)}\s*(?:\.\s*\w+|\[[^\]]*\])\s*(?:[-+*/|&]|\|\||&&)?=(?!=)")
    return bool(statements) and all(setting.match(one) for one in statements)


def _as_named(text: str) -> str:
    """text with a Go import path and a Go receiver's brackets read as the dotted name we index, a name's prefix
    as code writes it (_WRITTEN_PREFIX) dropped, a pasted declaration or call read as the name it names (of several
    statements pasted, the last call on what an earlier one made); other text as it is."""
    text = _CHAIN_GOES_ON.sub(r"\1", text)  # a chain going on at the next line's `.stream({` is one line (probe 230)
    if go := _GO_INIT.fullmatch(text):  # Go's `if err := hcl.Decode(&c, s); err != nil {`: the statement before the
        named = _as_named(go.group(1).strip())  # condition, whose call is asked for (probe 234)
        return named if named != go.group(1).strip() else text
    guarded = _GUARDED.fullmatch(text)
    body = "\n".join(line.strip() for line in guarded.group("body").strip().split("\n")) if guarded else ""
    if body:
        named = _as_named(body)
        return named if named != body else text
    if (block := _BLOCK_PASTED.fullmatch(text)) and _sets_only(block.group("body"), block.group("given")):
        opening = f"{block.group('call')} do |{block.group('given')}|"
        named = _as_named(opening)  # Kaminari.configure (probe 284); a block given to no call read stays the text
        return named if named != opening else text
    made_by_with = _WITH_AS.sub(r"\2 = \1", text)  # `with Configurator() as config:` makes config (pyramid: probe 286)
    statements = _statements(made_by_with) if "\n" in text or ";" in text else [text]
    if len(statements) > 1:  # several statements pasted (a README's example) ask for the last call on an object an
        # earlier one made, as its type's (`parser = new Builder(); parser.build(file)`: Builder.build): as words they
        # found no definition (interceptors' `new ClientRequestInterceptor()` then `interceptor.on(...)`: probe 197);
        # else they stay words (an example ending in `console.log(res)` is no question about console.log: review)
        made = {m.group(1): _made_type(m.group(2)) for one in statements if (m := _MADE.match(one))}
        for one in reversed(statements):
            head, dot, member = _as_named(one).replace("->", ".").lstrip("$").partition(".")  # PHP's `$b->build` too
            if dot and made.get(head):
                return made[head] + dot + member
        own = [one for one in statements if not _ASIDE.match(one)]  # a decorator, an import, a comment: the one left
        if len(own) != 1 or own[0] == text:  # (`@app.route('/')` `def index():`)
            return text
        named = _as_named(own[0])
        return _imported_from(named, statements) or named
    named = _declared_or_called(text) or text
    named = named if _LETTER.search(named) else text  # `${var}`, a placeholder: no call of `$` (probe 242)
    named = _WRITTEN_PREFIX.sub("", _GO_RECEIVER.sub(r"\1\2.", _IMPORT_PATH.sub("", named)))
    named = _RUBY_NEW.sub(r"\1", named)  # Ruby's `Dalli::Client.new(...)` makes a Dalli::Client (probe 224)
    return named if named != text and _IDENT_QUERY.match(named) else text


def _imported_from(named: str, statements: list[str]) -> str | None:
    """A name called as a pasted import brought it in, qualified by its module (`from jsonpath_ng.ext import parse`
    then `parse(...)`: jsonpath_ng.ext.parse, not the other module's parse: probe 229); None when none did."""
    if not _IDENT.fullmatch(named):
        return None
    for one in statements:
        found = _FROM_IMPORT.fullmatch(one)
        listed = one[found.end(1):].split("import", 1)[-1] if found else ""
        for item in listed.strip(" \t\n()").split(","):  # `x as parse`: x is what parse names
            words = item.split()
            if words and words[-1] == named and (len(words) == 1 or len(words) == 3 and words[1] == "as"):
                return f"{found.group(1)}.{words[0]}"  # type: ignore[union-attr]
    return None


# a namespaced type's `new`, as only Ruby writes it: the type made (not pycryptodome's `AES.new`, a module's function
# named new: review)
_RUBY_NEW = re.compile(r"^((?:[A-Za-z_]\w*::)+[A-Z]\w*)\.new$")


# a console's prompt an example's line opens with: Python's `>>> ` and `... `, IPython's `In [1]: `, a shell's `$ `,
# irb's `irb(main):001:0> ` and `>> `, PHP's `php > `, node's `> ` (feedparser's docs write every example after
# `>>> `, which left the call asked for words: probe 215)
_PROMPT = re.compile(r"^[ \t]*(?:>>>|\.\.\.|In \[\d+\]:|\$|irb\([\w.]+\):\d+:\d+[>*]|>>|php >|>)[ \t]+(?=\S)", re.MULTILINE)


def without_prompts(text: str) -> str:
    """text without the console prompts its lines open with, as the code says it: a pasted session's lines are code."""
    return _PROMPT.sub("", text)


# Python's `with X() as name:`, which makes name
_WITH_AS = re.compile(r"^[ \t]*(?:async\s+)?with\s+([\w.]+\(.*\))\s+as\s+([a-z_]\w*)\s*:[ \t]*$", re.MULTILINE)
# a Python `with` line alone, the call that opens it (`as name` or not)
_WITH_LINE = re.compile(r"(?:async\s+)?with\s+([\w.]+\(.*\))(?:\s+as\s+[a-z_]\w*)?\s*:\s*", re.DOTALL)
# a variable given a new object of a type (`parser = new Builder()`, `Builder parser = new Builder(f)`, `c := pkg.NewClient()`
# is no type's, `$b = new Builder();`): the variable and the type
_MADE = re.compile(r"(?:(?:const|let|var|final|val|auto)\s+)?(?:[\w.<>\[\], ]+\s+)?\$?([a-z_$][\w$]*)\s*(?::[^=]*)?:?="
                   r"\s*(?:new\s+)?(?:[\w$]+(?:\.|::|\\))*([A-Z][\w$]*)\s*(?:[({<]|\.new\b)")  # Ruby's `X.new`


# a statement pasted beside the one asked about: a decorator or annotation, an import, a comment (review)
_ASIDE = re.compile(r"@|import\b|from\s+[\w.]+\s+import\b|require\b|use\s+[\w\\]+;|#|//|/\*|\*")


def _made_type(called: str) -> str:
    """The type a call that makes an object names: `Builder` itself, Go's `NewMac` a Mac, a bare `New` none."""
    return called[3:] if called.startswith("New") and called[3:4].isupper() else "" if called == "New" else called


def _statements(text: str, ends: str = ";") -> list[str]:
    """text's lines and `;`-separated statements (ends: `,` for a call's arguments) outside brackets and quotes, each
    stripped, those with a word only; a quote a line leaves open is a comment's apostrophe (`# don't`), no string."""
    out, depth, quote, start = [], 0, "", 0
    for i, ch in enumerate(text + "\n"):
        if ch == "\n":
            quote = ""
        if quote:
            quote = "" if ch == quote and text[i - 1 : i] != "\\" else quote
        elif ch in "\"'`":
            quote = ch
        elif ch in "([{":
            depth += 1
        elif ch in ")]}":
            depth = max(0, depth - 1)
        elif ch == "\n" and depth and i < len(text):
            continue  # a call's arguments over several lines are one statement
        elif ch == "\n" or (ch in ends and depth == 0):
            out.append(text[start:i].strip())
            start = i + 1
    return [one for one in out if re.search(r"\w", one)]


ARTICLES = frozenset({"a", "an", "the"})  # left out where a question's words name something
_ONE_WORD = re.compile(r"[A-Za-z_$][\w$]*")
_HYPHENATED = re.compile(r"(?<![\w-])[A-Za-z][A-Za-z0-9]*(?:-[A-Za-z0-9]+)+(?![\w-])")
# Words that say how a question is asked, not what it asks for: dropped from natural-language questions.
STOP_WORDS = frozenset({
    "a", "an", "the", "of", "to", "in", "on", "for", "and", "or", "is", "are", "be", "by", "with", "from",
    "that", "this", "it", "its", "as", "at", "do", "does", "we", "i", "how", "where", "what", "which", "when",
    "who", "if", "whether", "into", "not", "no", "all", "any", "given", "return", "returns", "get", "gets", "code",
    "function", "method", "find", "there", "our", "my", "you", "your", "can", "should", "will", "was", "were",
    "has", "have", "done", "so", "one", "some", "them", "their", "then", "than", "way", "used", "use", "uses",
    "implemented", "implementation", "work", "works", "handled", "happen", "happens", "place", "part", "like", "such",
    # a loop's or a branch's keyword in code: "decompress a gzip stream while reading" met every `while` loop first
    # (psr7's copyToString above InflateStream: probe 83)
    "while", "whilst", "until", "unless", "else"})


def split_identifier(ident: str) -> list[str]:
    """`parseHTTPConfig_v2` -> ['parse', 'http', 'config', 'v', '2']: the words a name is made of."""
    parts: list[str] = []
    for chunk in ident.split("_"):
        found = _NAME_PART.findall(chunk)
        parts.extend(p.lower() for p in (found if "".join(found) == chunk else _CAMEL.split(chunk)) if p)
    return parts


def formatted_words(name: str) -> tuple[str, ...]:
    """A printf-style name's verb and "format" (`Wrapf`: wrap, format; `WithMessagef`: message, format), words of its
    name (only: `fmt.Errorf` in a body says nothing of formatting), else (): pkg/errors' Wrapf came fourth for "wrap an
    error with a formatted message", under Wrap (probe 156)."""
    last = split_identifier(name)[-1:] if name.endswith("f") else []
    return (last[0][:-1], "format") if last and last[0][:-1] in _FORMATTED else ()


_NAMED_EXPRESSION = re.compile(r"[^\n=]*=\s*(?:async\s+)?function\b\s*\*?\s*([A-Za-z_$][\w$]*)\s*\(")


def expression_name(name: str, code: str) -> str:
    """The own name of the function expression a unit's code binds, when it is not the name bound (`Selector.RR =
    function SelectorRoundRobin() {`: SelectorRoundRobin), else "": mysql's round-robin selector, named `RR`, matched
    no word of "round robin" (probe 299)."""
    own = _NAMED_EXPRESSION.match(code)
    return own.group(1) if own and own.group(1) != name else ""


def spoken_words(name: str) -> tuple[str, ...]:
    """Words a name is said by that its parts do not spell: a printf-style name's (formatted_words), a Python special
    method's (spoken_special)."""
    return formatted_words(name) + spoken_special(name)


def spoken_special(name: str) -> tuple[str, ...]:
    """What a Python special method is said as (`__eq__`: equal, equality, compare), else (): yarl's URL.__eq__ came
    11th for "url equality", its name's one word `eq` (probe 154)."""
    return _SPECIAL.get(name, ()) if name.startswith("__") and name.endswith("__") else ()


_SPECIAL = {f"__{k}__": tuple(v.split()) for k, v in {
    "eq": "equal equality compare", "ne": "equal equality compare", "lt": "less compare order sort",
    "le": "less compare order", "gt": "greater compare order", "ge": "greater compare order", "hash": "hash",
    "len": "length size", "getitem": "item index lookup", "setitem": "item assign",
    "delitem": "item deletion", "contains": "contains membership has present", "iter": "iterate iterator",
    "next": "next iterate", "call": "call invoke", "enter": "context enter", "exit": "context exit",
    "aenter": "context enter", "aexit": "context exit", "add": "add plus", "sub": "subtract minus",
    "mul": "multiply times", "truediv": "divide division", "floordiv": "divide division", "mod": "modulo remainder",
    "pow": "power", "neg": "negate", "abs": "absolute", "repr": "representation string", "str": "string text",
    "bool": "truth boolean", "init": "initialize constructor", "new": "constructor",
    "del": "destructor finalize", "copy": "copy", "deepcopy": "deep copy", "getattr": "attribute",
    "setattr": "attribute assign", "format": "format", "bytes": "bytes", "int": "integer", "float": "float",
    "round": "round", "reversed": "reverse", "missing": "missing default"}.items()}
# (`__getattr__` was "attribute lookup" too, and "how often lookups hit the cache" found aiocache's two-line
# `_Conn.__getattr__` first: probe 282)


# what a name ending in `f` formats (Go's and C's printf family: Errorf, Sprintf, Logf, Warnf, WithMessagef)
_FORMATTED = frozenset("""
print sprint fprint eprint scan sscan fscan log warn warning info debug trace error fatal panic wrap skip fail message
notice write append emit assert verbose critical alert output""".split())


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """A light English stem, the same for a word's common forms: parse/parses/parsed/parsing -> 'pars'.

    An adverb meets its adjective (structurally -> structural, deeply -> deep, completely -> complet;
    atomically -> atomic, as "-ical" meets "-ic": logical -> logic): questions say how, code names what. A noun
    of action is not merged with its verb (tokenization/tokenize): on the tuning half that cost hybrid 0.8924 ->
    0.8897 on fresh2 (jackson's docs of canonicalization; benchmarks/results/whole-repo-eleventh.md).
    A doer is not merged with its verb (parser/parse): on the
    whole-repository benchmark's tuning half that cost lexical search 0.905 -> 0.896 (Subscriber and
    subscribe, Observer and observe are different things there; benchmarks/results/whole-repo-fresh.md)."""
    w = word.lower()
    if w in _IRREGULAR:
        return stem(_IRREGULAR[w])  # "hide a flag" and `MarkHidden`, "which file was written" and `write`
    if len(w) <= 3 or not w.isalpha() or w in _SECURE_PROTOCOLS:
        return w
    if w.endswith("ly") and len(w) >= 6 and w[-3] != "i":
        w = w[:-2]  # structurally -> structural; not family, lazily
    if w.endswith("icals") and len(w) >= 8:
        w = w[:-1]  # chemicals -> chemical, and on
    if w.endswith("ical") and len(w) >= 7:
        w = w[:-2]  # atomically, atomical -> atomic; logical, logic -> logic
    if w.endswith("ies") and w[:-1] in _IE_NOUNS:
        w = w[:-1]  # cookies -> cookie, as the singular stems (it was cooky, and `clearCookies` missed `cookie`)
    elif w.endswith(("ies", "ied")) and len(w) > 4:
        return w[:-3] + "y"  # entries, retried -> entry, retry
    if w.endswith("ings") and len(w) >= 7:
        w = w[:-1]  # warnings -> warning -> warn, as the singular stems (once stem(stem(w)) differed from stem(w))
    for suffix in ("ing", "ed"):
        if w.endswith(suffix) and len(w) - len(suffix) >= 3:
            w = w[: -len(suffix)]
            if len(w) > 3 and w[-1] == w[-2] and w[-1] not in "lsz":
                return w[:-1]  # stopping -> stop, but not called -> cal
            return w + "e" if _SHORT_E.fullmatch(w) or w + "e" in _KEEPS_E else w  # naming -> name; mapped -> map
    if w.endswith(("ses", "xes", "zes", "ches", "shes")):
        return w[:-1] if _SHORT_E.fullmatch(w[:-2]) else w[:-2]  # cases, sizes: as case, size; boxes: box
    if w.endswith("s") and not w.endswith(("ss", "us", "is")):
        w = w[:-1]
    if w.endswith("e") and len(w) > 4 and not w.endswith("ee") and w not in _KEEPS_E:
        w = w[:-1]  # parse -> pars; a four-letter word keeps its e: mode is not mod, node not nod, mine not min
    return w


# nouns ending in -ie, whose plural is no -y word's (cookies: cookie, not cooky)
_IE_NOUNS = frozenset("cookie movie zombie rookie selfie calorie hippie pie tie lie die genie newbie goodie hoodie "
                      "smoothie prairie brownie freebie sortie".split())


# A verb's irregular past forms, as its regular ones meet it: those a question or a name says of code. Not `found`
# (find is a stop word, and `NotFound` would meet every find), `bound` (a limit), `bit` (bits), `shot` (screenshots),
# `left`, `led`, `got`, `given`
# a protocol's secure form is no plural of it: "force https" met every unit saying http, starlette's
# HTTPSRedirectMiddleware 23rd (probe 202)
_SECURE_PROTOCOLS = frozenset({"https", "ftps", "smtps", "imaps", "ldaps"})
_IRREGULAR = {past: verb for verb, pasts in (
    ("hide", "hid hidden"), ("write", "wrote written"), ("overwrite", "overwrote overwritten"),
    ("rewrite", "rewrote rewritten"), ("override", "overrode overridden"), ("choose", "chose chosen"),
    ("take", "took taken"), ("break", "broke broken"), ("freeze", "froze frozen"), ("forget", "forgot forgotten"),
    ("drive", "drove driven"), ("throw", "threw thrown"), ("show", "shown"), ("know", "knew known"),
    ("draw", "drew drawn"), ("grow", "grew grown"), ("begin", "began begun"), ("fall", "fell fallen"),
    ("forbid", "forbade forbidden"), ("speak", "spoke spoken"), ("steal", "stole stolen"), ("wake", "woke woken"),
    ("shake", "shook shaken"), ("eat", "ate eaten"), ("bite", "bitten"), ("ride", "rode ridden"),
    ("rise", "rose risen"), ("prove", "proven"), ("undo", "undid undone"), ("build", "built"), ("rebuild", "rebuilt"),
    ("send", "sent"), ("keep", "kept"), ("lose", "lost"), ("hold", "held"), ("make", "made"), ("pay", "paid"),
    ("sell", "sold"), ("tell", "told"), ("buy", "bought"), ("catch", "caught"), ("teach", "taught"),
    ("bring", "brought"), ("spend", "spent"), ("seek", "sought"), ("sleep", "slept"), ("sweep", "swept"),
    ("spin", "spun"), ("stick", "stuck"), ("strike", "struck"), ("hang", "hung"), ("fight", "fought"),
    ("understand", "understood"),
) for past in pasts.split()} | {plural: one for one, plurals in (
    # and a noun's irregular plurals, as its singular: "attach children to a node" met no `add_child`, "parentheses"
    # no `Parenthesis` (probe 71); ids as id (probe 99)
    ("child", "children"), ("index", "indices"), ("vertex", "vertices"), ("matrix", "matrices"),
    ("appendix", "appendices"), ("axis", "axes"), ("analysis", "analyses"), ("parenthesis", "parentheses"),
    ("hypothesis", "hypotheses"), ("synopsis", "synopses"), ("ellipsis", "ellipses"), ("leaf", "leaves"),
    ("half", "halves"), ("shelf", "shelves"), ("criterion", "criteria"), ("alias", "aliases"),
    ("canvas", "canvases"), ("bias", "biases"), ("bus", "buses"), ("person", "people"),
    # and a short name's plural, too short for the rules ("how are new document ids generated" met no `_get_next_id`)
    ("id", "ids"), ("api", "apis"), ("uri", "uris"), ("cpu", "cpus"), ("gpu", "gpus"), ("op", "ops"), ("db", "dbs"),
    ("vm", "vms"),
) for plural in plurals.split()} | {compared: plain for plain, forms in (
    # and an adjective's comparatives, as it ("longer than 254 characters" met no `addLongEmailWarning`: probe 103; a
    # rule for -er would make a parser of parse)
    ("long", "longer longest"), ("large", "larger largest"), ("short", "shorter shortest"), ("big", "bigger biggest"),
    ("small", "smaller smallest"), ("great", "greater greatest"), ("wide", "wider widest"), ("deep", "deeper deepest"),
    ("fast", "faster fastest"), ("slow", "slower slowest"), ("near", "nearer nearest"), ("old", "older oldest"),
    ("few", "fewer fewest"),
) for compared in forms.split()}
# Longer words whose e-less stem is another word a question or code says: a locale is not local, a state not a stat
# (joda-convert's "convert a Locale" met LOCAL_CLASS_HAS_NO_OWNER), a stripe not strip, a globe not glob
_KEEPS_E = frozenset({"locale", "state", "globe", "stripe", "spine", "plane", "finale", "rationale", "morale", "twine",
                      "prime", "scrape", "spite", "sprite"})
# A three-letter stem of consonant, vowel, consonant (not w, x or y: fixed, keyed stay): its word ended in e (nam(ing),
# typ(ed), cod(ing)), as a four-letter word keeps its e
_SHORT_E = re.compile(r"[^aeiou][aeiouy][^aeiouwxy]")


# Programmers' usual abbreviations of words a question spells out: "configuration" in a question also looks
# for `config`, `cfg` and `conf`, which splitting and stemming alone never meet. A small, general, hand-written
# table (each line: the abbreviations, then the full words and their common forms); not derived from any
# benchmark's questions. Only questions in words are expanded, never a name typed as is.
_ABBREVIATIONS = """
config cfg conf: configuration configurations configure configured configuring configurable
auth: authentication authenticate authenticated authenticating authorization authorize authorized
js: javascript
db: database databases
dir: directory directories
msg: message messages
req: request requests
res resp: response responses
arg: argument arguments
param: parameter parameters
init: initialize initialise initialized initialised initializing initialising initialization initialisation
tmp temp: temporary temporarily
env: environment environments
ctx: context contexts
err: error errors
regex regexp: regular_expression regular_expressions
sync: synchronous synchronously synchronize synchronise synchronization
async: asynchronous asynchronously
num: number numbers
attr: attribute attributes
spec: specification specifications
repo: repository repositories
doc: document documents documentation
app: application applications
prev: previous
util: utility utilities
info: information
ref: reference references
admin: administrator administration
calc: calculate calculation
max: maximum
min: minimum
len: length
idx: index indexes indices
ptr: pointer pointers
buf: buffer buffers
char: character characters
cmd: command commands
src: source sources
dst dest: destination
val: value values
var: variable variables
obj: object objects
pkg: package packages
lib: library libraries
cur curr: current
pos: position
elem: element elements
evt: event events
cb: callback callbacks
tx txn: transaction transactions
conn: connection connections
alloc: allocate allocation allocator
gen: generate generator
stat: statistics
exec: execute execution
ext: extension extensions
expr: expression expressions
seq: sequence sequences
bool: boolean
opt opts: option options
impl: implementation implementations
int: integer integers
dict: dictionary dictionaries
mul: multiply multiplied multiplying multiplication
avg: average averages
passwd: password passwords
img: image images
btn: button buttons
lang: language languages
mem: memory
orig: original
addr: address addresses
desc: description
fmt: format formatting
rand: random
prop: property properties
op: operation operations
tpl tmpl: template templates
mgr: manager
std: standard
memo: memoize memoized memoizes memoizing memoization memoise memoised memoisation
dep deps: dependency dependencies
col: column columns
diff: difference differences
ms: millisecond milliseconds
hex: hexadecimal
del: delete deletes deleted deleting deletion
ssr: server_side_rendering server_side_rendered
ssg: static_site_generation static_site_generator
csr: client_side_rendering
hmr: hot_module_replacement hot_module_reloading
csv: comma_separated_values comma_separated
tsv: tab_separated_values tab_separated
ttl: time_to_live
bom: byte_order_mark
lru: least_recently_used
jwt: json_web_token
rpc: remote_procedure_call
ast: abstract_syntax_tree syntax_tree syntax_trees
idna idn: internationalized_domain_name internationalized_domain internationalised_domain
toc: table_of_contents
dom: document_object_model
cors: cross_origin_resource cross_origin
csrf xsrf: request_forgery
xss: cross_site_scripting
dag: directed_acyclic_graph
fsm: finite_state_machine state_machine
crc: cyclic_redundancy_check
pid: process_id
kv: key_value
rtl: right_to_left
ltr: left_to_right
wal: write_ahead_log
acl: access_control_list access_control
sso: single_sign_on
otp: one_time_password
dns: domain_name_system
ipc: inter_process_communication
dfs: depth_first
bfs: breadth_first
uuid guid: unique_identifier unique_identifiers
gc: garbage_collection garbage_collector
cli: command_line_interface
ui: user_interface
i18n: internationalization internationalisation
eof: end_of_file
tz: timezone timezones time_zone time_zones
fallback: fall_back
callback: call_back
timeout: time_out
setup: set_up
lookup: look_up
startup: start_up
shutdown: shut_down
cleanup: clean_up
teardown: tear_down
rollback: roll_back
backup: back_up
checkout: check_out
logout: log_out
signup: sign_up
readonly: read_only
whitespace: white_space
wildcard: wild_card
placeholder: place_holder
filename: file_name file_names
username: user_name user_names
hostname: host_name host_names
pathname: path_name path_names
timestamp: time_stamp time_stamps
keyword: key_word key_words
stdout: standard_output
stderr: standard_error
stdin: standard_input
"""


def _abbreviation_table(text: str) -> dict[tuple[str, ...], tuple[str, ...]]:
    """(stems of a full word, or of a phrase written with '_', its stop words left out as a question's are) -> the
    stems of its abbreviations."""
    table: dict[tuple[str, ...], tuple[str, ...]] = {}
    for line in text.strip().splitlines():
        short, full = line.split(":")
        abbreviations = tuple(dict.fromkeys(stem(a) for a in short.split()))
        for word in full.split():
            key = tuple(stem(w) for w in word.split("_") if w not in STOP_WORDS)
            table[key] = tuple(dict.fromkeys(table.get(key, ()) + abbreviations))
    return table


ABBREVIATIONS = _abbreviation_table(_ABBREVIATIONS)


def _expansions(table: dict[tuple[str, ...], tuple[str, ...]]) -> dict[str, tuple[str, ...]]:
    """An abbreviation's stem -> the stems of the one-word forms it stands for and of the other abbreviations of the
    same: a question that says `bool` meets code that says "boolean" (jcommander's BooleanConverter), as "boolean"
    meets `bool`; "regexes" meets `regexp` (radash's isEqual: probe 152), "tmp" `temp`."""
    out: dict[str, tuple[str, ...]] = {}
    for full, shorts in table.items():
        for short in shorts:
            others = (full if len(full) == 1 else ()) + shorts
            out[short] = tuple(dict.fromkeys(out.get(short, ()) + tuple(w for w in others if w != short)))
    return {short: forms for short, forms in out.items() if forms}


EXPANSIONS = _expansions(ABBREVIATIONS)


def abbreviations(content: tuple[str, ...], said: tuple[str, ...] | None = None) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """(content word, the stems of its usual abbreviations) for a question's content words (stems) that have
    any it does not already hold; a phrase's ("regular expression", "comma separated values") go with its last word,
    and an abbreviation of two of its words with the first of them. said: the content words in the question's order
    with repeats (default content), where phrases are read: "standard output and standard error" says both."""
    out: dict[str, tuple[str, ...]] = {}
    said = content if said is None else said
    own = set()
    said_once = set(said)
    for i, word in enumerate(said + tuple(w for w in content if w not in said_once)):
        for phrase in (said[i : i + 3], said[i : i + 2]):  # "comma separated values": csv
            if len(phrase) > 1 and phrase in ABBREVIATIONS:
                out[phrase[-1]] = out.get(phrase[-1], ()) + ABBREVIATIONS[phrase]
        if word not in own:
            own.add(word)
            out[word] = out.get(word, ()) + ABBREVIATIONS.get((word,), ()) + EXPANSIONS.get(word, ())
    taken, pairs = set(content), []
    for word, short in out.items():  # an abbreviation two words share goes to the first: it is counted once
        mine = tuple(a for a in dict.fromkeys(short) if a not in taken)
        taken.update(mine)
        if mine:
            pairs.append((word, mine))
    return tuple(pairs)


def _in_order(text: str, content: tuple[str, ...]) -> tuple[str, ...]:
    """text's content words (stems, as content holds them) in order, repeats kept: where phrases are read."""
    held = set(content)
    return tuple(s for s in (stem(folded(w).lower()) for w in _WORD.findall(text)) if s in held)


def folded(word: str) -> str:
    """A Latin, Greek or Cyrillic word without its accents (`versión`: version, `número`: numero), as the lexical index
    holds it: a Spanish or French question meets the code's English cognates (probe 126); other scripts as they are."""
    if word.isascii() or not all(ord(c) < 0x0530 or 0x1E00 <= ord(c) <= 0x1EFF for c in word):
        return word  # Latin, Greek, Cyrillic (and Vietnamese) only: a virama or a tone mark is no accent (review)
    return "".join(c for c in unicodedata.normalize("NFD", word) if not unicodedata.combining(c))


def identifier_words(text: str) -> list[str]:
    """Every word of a text, lower-cased, each compound identifier followed by its parts (order kept, no repeats)."""
    terms: dict[str, None] = {}  # ordered, and linear in a pasted page of code (review)
    for word in map(folded, _WORD.findall(text)):
        for t in [word.lower(), *split_identifier(word)] if _IDENT.fullmatch(word) else [word.lower()]:
            if t:
                terms.setdefault(t, None)
    return list(terms)


# how a hit was named: a unit of that name, one holding the line of code the question is, a member a pasted chain
# calls on the way to it (QueryTerms.chained), one binding the name, a name alike, a call among the arguments of the
# call pasted (QueryTerms.argument_calls: after the call itself however that was found, koanf's `k.Load(file.Provider(
# ...), json.Parser())` on a variable: probe 271)
MAX_ARGUMENT_CALLS = 3  # calls among a pasted call's arguments that are looked up as names
SYMBOL_ORDER = ("exact", "quoted", "chained", "bound", "fuzzy", "argument")


def symbol_rank(how: object) -> int:
    """A named hit's place by how it was named (SYMBOL_ORDER; anything else after them)."""
    return SYMBOL_ORDER.index(how) if how in SYMBOL_ORDER else len(SYMBOL_ORDER)


def _shouted(text: str) -> frozenset[str]:
    """The words a question writes in capitals, lower-cased (`GET`, `NOT IN`): an HTTP verb or a keyword, not the
    everyday word its letters spell, so never a stop word; none when the whole text is in capitals."""
    if text.isupper():
        return frozenset()
    return frozenset(w.lower() for w in _WORD.findall(text) if len(w) > 1 and w.isupper())


_QUOTED_NAME = re.compile(r"`([A-Za-z_$][\w$]*)(?:\(\))?`|\b([A-Za-z_$][\w$]*)\(\)")  # `Any`, Any(), `In()`


def _named_words(text: str) -> frozenset[str]:
    """The stop words a question writes as names, lower-cased: capitalised past its first word (voluptuous' "the In
    validator", "how does Any try each schema": classes In, Any, All; probe 66), in backticks or called (`Any`, Any());
    none in a question whose words are mostly capitalised (a title: "Find All Routes")."""
    words = _WORD.findall(text)
    # capitalised and not a sentence's first word (the first, or one after `.`, `!`, `?`)
    capital = [m.group(0) for m in _WORD.finditer(text) if m.start() and m.group(0)[:1].isupper()
               and m.group(0)[1:].islower() and not re.search(r"[.!?]\s*$", text[: m.start()])]
    titled = len(words) >= 3 and sum(w[:1].isupper() for w in words) * 2 > len(words)
    named = {w.lower() for w in capital if w.lower() in STOP_WORDS} if not titled else set()
    named |= {(a or b).lower() for a, b in _QUOTED_NAME.findall(text)}
    named |= {m.group(1).lower() for m in _KEYWORD_AS_THING.finditer(text)}
    named |= {(m.group(1) or m.group(2)).lower() for m in _OPERATOR_WORD.finditer(text)}
    return frozenset(named)


# a keyword a question names as a thing, between a determiner and a word: "the for tag", "an if statement", "the with
# block", "its else branch" (twig's ForTokenParser came sixth for "parse the for tag": probe 98)
_KEYWORD_AS_THING = re.compile(r"\b(?:the|a|an|its|each|every|this)\s+(?:(?:plain|bare|simple|nested|async|normal|"
                               r"regular|single|inner|outer)\s+)?(for|if|else|while|do|with|use|until|unless|when|"
                               r"return|in|from|as)\s+(tags?|statements?|blocks?|loops?|clauses?|branch|branches|"
                               r"keywords?|operators?|expressions?|conditions?)\b", re.IGNORECASE)  # syntax's nouns only:
# "where is the return value checked", "store this as json" are no such things (review)
# an operator a question names: "combine two queries with logical and", "the not operator" (tinydb's
# QueryInstance.__and__ came 14th: probe 99)
_OPERATOR_WORD = re.compile(r"\b(?:logical|bitwise|boolean)\s+(and|or|not|xor)\b|\bthe\s+(and|or|not|xor|in|is)\s+operator\b",
                            re.IGNORECASE)  # not "functions and operators" (review)


# a command-line flag typed with its dashes: `--no-`, `--all`, `--no-cache`, `-v` (not a word's hyphen: "all-in-one")
_FLAG = re.compile(r"(?<![\w-])--?([A-Za-z][A-Za-z0-9]*(?:-[A-Za-z0-9]+)*)-?(?![\w])")


def _flag_words(text: str) -> frozenset[str]:
    """The words of the command-line flags a question types, lower-cased, and each flag's words joined (`--no-cache`:
    no, cache, nocache): what a parser's code reads, never stop words (slop's "how does --no- prefix turn a boolean
    flag off" lost "no", and Parser#try_process, which reads "--no-", came 14th: probe 111)."""
    words: set[str] = set()
    for m in _FLAG.finditer(text):
        parts = m.group(1).lower().split("-")
        if len(parts) == 1 and parts[0] in STOP_WORDS and parts[0] not in _FLAG_WORDS:
            continue  # a dash before a word ("the cache --which lives here"), no flag (review)
        words.update(parts + (["".join(parts)] if len(parts) > 1 else []))
    return frozenset(words)


_FLAG_WORDS = frozenset({"no", "all", "not", "if", "get"})  # stop words a flag is named by: `--no-`, `--all`


def _members(text: str) -> frozenset[str]:
    """The members a question names after a dot (`arrow.get`, `LRUCache.get`, `Cart#total`), lower-cased: the name
    of a method, never a stop word, whatever everyday word it spells."""
    return frozenset(m.lower() for t in _TOKEN.findall(text) for m in re.split(r"\.|::|#", t)[1:] if m)


def looks_like_identifier(text: str) -> bool:
    """`parseConfig`, `Store.Get`, `retry_request`, `Cart#total`, `__eq__`, `_get`: one token with a separator, an
    underscore (leading ones too: no word is written so) or inner capitals."""
    t = text.strip()
    if not _IDENT_QUERY.match(t):
        return False
    return bool(_SEPARATORS.search(t) or "_" in t.rstrip("_") or re.search(r"[a-z0-9][A-Z]", t))


_PROTOTYPE = re.compile(r"\.prototype(?=\.)")


def spoken_name(qualified_name: str) -> str:
    """A qualified name as a reader says it, its words a name's: a method set on a prototype without that word
    (`Template.prototype.compile`: Template.compile); every such method named "prototype", so ejs' came first for
    "how does it avoid prototype pollution" by their names (probe 136)."""
    return _PROTOTYPE.sub("", qualified_name)


def symbol_key(text: str) -> str:
    """A name compared without case or word separators: `parse_config`, `parseConfig`, `ParseConfig` -> 'parseconfig'."""
    t = text.strip().removesuffix("()")
    return ".".join(part.replace("_", "").replace("$", "").lower() for part in _SEPARATORS.split(t) if part)


_QUOTED_TEXT = re.compile(r"""(["'])((?:(?!\1)[^\n])*)\1""")  # a string written in a line (linear: review), the
# other quote inside it (twine's `"Cannot find file (or expand pattern): '%s'"` was read as `'%s'`: probe 283)
_STRING_LITERAL = re.compile(r"""(?<!\w)(?:[rRbBuUfF]{1,2})?(["'])[^"'\n]*\1(?!\w)""")  # one a word's apostrophe
# does not open; Python's prefixed `f"..."`, `b'...'` too (review)
_TWO_WORDS = re.compile(r"[A-Za-z]{2,}\s+[A-Za-z]{2,}")  # 'Promise has been cancelled'
PLACE_MAX = 1000  # characters of a query read as a place at most (the pattern's work grows with the square of them)


@lru_cache(maxsize=256)
def _place_of(text: str) -> tuple[str, int] | None:
    """(path as typed, line) of a text that is a place in a file, else None (QueryTerms.place)."""
    m = _PLACE.fullmatch(text) if len(text) <= PLACE_MAX and (":" in text or "line" in text) else None
    return (m.group("path"), int(m.group("line"))) if m and int(m.group("line")) > 0 else None


# a place as a compiler, a linter or a stack trace prints it: `compiler.go:1583`, `src/app.ts:12:5`, Python's
# `File "/home/me/app/cli.py", line 40, in main` (probe 151: a pasted `file:line` found unrelated units)
_PLACE = re.compile(r'(?:File\s+")?(?P<path>[\w.@/\\:-]*?[\w.@-]+\.[A-Za-z]{1,5})"?(?::|,\s*line\s+)(?P<line>\d+)'
                    r'(?::\d+)?(?:,\s*in\s+\S+)?:?')


NEGATIONS = frozenset({"not", "non", "never"})
NEGATING_PREFIXES = ("un", "non", "in", "im")  # unhandled, nonEmpty, invalid, immutable: how code says "not"
# a word whose negation code writes as one word: a participle or an adjective of those endings, or one of the usual
# ("not safe": unsafe); not a verb or any word ("not wrap" is no `Unwrap`, "not even" no `uneven`: review)
_NEGATABLE = re.compile(r"^(?!signed$|embed$)[a-z]{3,}(?<!e)(?:ed|able|ible)$|"
                        r"^(?:safe|empty|null|valid|known|mutable|possible|sure|finite|active|complete|correct|visible|"
                        r"ready|set|used|blocking|existent|existing)$")  # not "-ing": "not wrapping" is no `unwrap`


_LITERAL_CLOSES = {"(": ")", "[": "]", "{": "}"}
LITERAL_DEPTH = 3  # lists and tuples inside one another looked into for calls


def _calls_among(argument: str, depth: int = 0) -> list[str]:
    """The calls an argument makes, in the lists and tuples it writes too (agate's docs' `table.compute([('change',
    agate.Change('2000', '2010'))])` was read as compute alone: probe 290)."""
    argument = argument.strip()
    close = _LITERAL_CLOSES.get(argument[:1], "")
    if close and argument.endswith(close) and depth < LITERAL_DEPTH and (
            close != ")" or _closing(argument, 0) == len(argument) - 1):
        return [name for part in _statements(argument[1:-1], ends=",") for name in _calls_among(part, depth + 1)]
    if close and depth >= LITERAL_DEPTH:
        argument = argument.strip("[]{} ")  # deeper still: the call inside, its brackets stripped (review)
    called = _declared_or_called(argument) if "(" in argument else None
    return [called] if called else []


@dataclass(frozen=True)
class QueryTerms:
    """A query's text read once: every stage (lexical, symbol lookup, ranking) takes these, none re-splits it."""

    text: str  # the text, stripped
    words: tuple[str, ...]  # every word and identifier part, lower-cased, in order, no repeats
    content: tuple[str, ...]  # the meaningful words, stemmed: no stop words, digits or single letters
    identifier: bool  # the text is one identifier (`parseConfig`, `Store.Get`, `Cart#total`)
    symbol: str  # the identifier's key without case and separators ('' when the text is not one name)
    natural: bool  # a question in words (several words, not a name): stop words and stems apply
    # A question's content words with their usual abbreviations, stemmed: ('configuration', ('config', 'cfg', 'conf')).
    abbreviations: tuple[tuple[str, tuple[str, ...]], ...] = ()
    tokens: tuple[str, ...] = ()  # the words and names as typed, in order, repeats kept: which word stands beside which
    typed: str = ""  # the text as typed, before a pasted declaration or call was read as its name

    @classmethod
    def parse(cls, text: str) -> "QueryTerms":
        """The one place a query's text is split."""
        text = without_prompts(text.strip())
        t = _as_named(text)
        words = tuple(identifier_words(t))
        identifier = looks_like_identifier(t)
        if identifier:  # `json_parser` also as the code's `jsonParser`, which the index keeps whole as 'jsonparser'
            words += tuple(j for j in dict.fromkeys(w.replace("_", "") for w in words if "_" in w.strip("_"))
                           if j not in words)
        natural = not identifier and len(_WORD.findall(t)) > 1
        # in a question, a snake_case name counts by its words, which follow it (counted twice, it won the words for
        # the function over its test in "unit tests for get_encoding_from_headers"); `base64` stays whole
        flags, counting = _flag_words(t), _counting(t)
        shouted = _shouted(t) | _members(t) | _named_words(t) | flags
        # a name of several words typed in a question stays whole: the index keeps `isGte`, `ToMapE` whole and
        # unstemmed, and stemmed they were `isgt`, `tomap`: their neighbours' names (validator's isGt came first)
        whole = {w.lower() for w in _WORD.findall(t) if _IDENT.fullmatch(w) and len(split_identifier(w)) > 1}
        content = tuple(dict.fromkeys((w if w in whole else stem(w)) for w in words
                                      if (len(w) > 1 or w in shouted)  # `t()`, `_()`: i18n's names (probe 185)
                                      and (w not in STOP_WORDS or w in shouted)
                                      and not (w.isdigit() and len(w) < 3)  # 405, 8080: status codes, ports
                                      and w not in _foreign_filler(t) and w not in counting
                                      and not (natural and "_" in w.strip("_"))))
        # a word written with hyphens counts also as the one word code writes it as ("re-raise": reraise,
        # "non-blocking": NonBlocking, "X-Forwarded-For": XForwardedFor)
        content += tuple(dict.fromkeys(j for j in (stem(h.replace("-", "").lower()) for h in _HYPHENATED.findall(t))
                                       if natural and j not in content))
        content += tuple(w for w in sorted(flags) if natural and w not in content and w not in words)
        # a snake_case name none of whose words is kept (`find_all`: two stop words) counts whole, and one in capitals,
        # a constant's or an environment variable's (`NO_COLOR` searched "color" alone: probe 132)
        content += tuple(w for w in dict.fromkeys(words) if natural and "_" in w.strip("_") and w not in content
                         and (w in shouted or not any(stem(p) in content for p in split_identifier(w))))
        return cls(t, words, content, identifier, symbol_key(t) if identifier else "", natural,
                   abbreviations(content, _in_order(t, content)) if natural else (), tuple(_TOKEN.findall(t)),
                   text.strip())

    @property
    def name(self) -> bool:
        """The text is one name, compound or not (`Session`, `set`, `res.send`, `parse_config`): words decide, not meaning."""
        return self.identifier or bool(_IDENT_QUERY.match(self.text))

    @property
    def qualified_tokens(self) -> tuple[str, ...]:
        """tokens with an application's `module:attribute` on a command line as one dotted name (gunicorn's `test:app`,
        uvicorn's `main:app`): its module qualifies the name as a package does, and asks for no kind of code (probe
        289); a question's words stay as they are."""
        if ":" not in self.text or any(t.lower() in STOP_WORDS for t in self.tokens):  # prose ("how are tests:run")
            return self.tokens
        return tuple(_TOKEN.findall(_MODULE_ATTRIBUTE.sub(r"\1.\2", self.text)))

    @property
    def typed_last(self) -> str:
        """The last part of the name typed, case kept: `cli.Run()` -> 'Run' (symbol folds case away)."""
        parts = [p for p in _SEPARATORS.split(self.text.strip().removesuffix("()")) if p]
        return parts[-1] if parts else ""

    @property
    def place(self) -> tuple[str, int] | None:
        """(path as typed, line) when the query is a place in a file (`cli.go:40`, a traceback's `File "..", line
        40`), else None."""
        return _place_of(self.text.strip())

    @property
    def member(self) -> "QueryTerms | None":
        """`Promise.then`'s terms for `Promise then` (member_form), else None: what the searcher looks up when the
        words name nothing else."""
        dotted = member_form(self.text)
        return QueryTerms.parse(dotted) if dotted else None

    @property
    def bound_named(self) -> "QueryTerms | None":
        """`Message`'s terms for `Message namedtuple` (bound_form), else None: whose bindings the searcher looks up."""
        name = bound_form(self.text) if self.natural and not self.identifier else None
        return QueryTerms.parse(name) if name else None

    @property
    def type_named(self) -> str | None:
        """The type a name and its kind word name (type_form), else None."""
        return type_form(self.text)

    @property
    def names_listed(self) -> tuple[str, ...]:
        """Two to four names only code writes, typed side by side (`BinaryNode UnaryNode`, `parse_config,
        load_config`), each of them asked for; () for anything else."""
        text = self.text
        if "|" in text and (assigned := _ASSIGNED.match(text)):  # flags joined as one value, kept (gomarkdown's
            text = text[assigned.end():]  # `extensions := parser.CommonExtensions | parser.AutoHeadingIDs`: probe 298)
        parts = [p for p in _LIST_SEPARATOR.split(text) if p and p.lower() not in ("and", "or", "vs")]
        return tuple(parts) if 2 <= len(parts) <= 4 and all(_LISTED_NAME.fullmatch(p) for p in parts) else ()

    @property
    def listed_terms(self) -> tuple["QueryTerms", ...]:
        """Each listed name's terms (names_listed), which the searcher looks up one by one."""
        return tuple(QueryTerms.parse(name) for name in self.names_listed)

    @property
    def word_key(self) -> str:
        """One plain word's key (`watchdog`), which names a unit in any case (class Watchdog); "" for anything else."""
        return symbol_key(self.text) if self.name and not self.identifier and _ONE_WORD.fullmatch(self.text) else ""

    @property
    def joined(self) -> str:
        """A short question's two or three words as one name's key (`find dotenv` -> find_dotenv, `get value` ->
        getValue; articles left out), which the searcher looks up when the words name nothing else: a verb such as
        "find" or "get" is a stop word in a question but the part of a name that tells two functions apart."""
        parts = [w for w in _WORD.findall(self.text) if w.lower() not in ARTICLES]
        if not self.natural or not 2 <= len(parts) <= 3 or not all(_IDENT.fullmatch(w) for w in parts):
            return ""
        return symbol_key("_".join(parts))

    @property
    def pasted_line(self) -> str | None:
        """The text as typed, as one line of code with single spaces, when it is one (a call in it, QUOTED_FROM
        characters: `res.setHeader('Content-Range', contentRange('bytes', len))`), else None."""
        return _pasted_line(self.typed or self.text)

    @property
    def pasted_message(self) -> bool:
        """Whether a pasted line writes a message of two words or more (`$this->reject(new CancellationException(
        'Promise has been cancelled'));`): a line that says where it is, which goes before the definitions of what
        it calls (guzzle's five `reject` came before Promise::cancel: probe 157); `load_config(path)` names a
        definition."""
        line = self.pasted_line
        return line is not None and any(_TWO_WORDS.search(m.group(2)) for m in _QUOTED_TEXT.finditer(line))

    @property
    def chained(self) -> tuple[str, ...]:
        """The other members a pasted chain of calls calls on its way to the one it was read as (`$crawler->
        selectButton('Submit')->form()` read as `form`: selectButton; probe 138), in order; () for anything else."""
        if self.typed == self.text or self.pasted_line is None:
            return ()
        read_as = self.text.rsplit(".", 1)[-1]
        line = go.group(1) if (go := _GO_INIT.fullmatch(self.pasted_line)) else self.pasted_line  # not the condition's
        called = _chain_steps(line)  # calls (paho's `token.Wait()` beside `c.Subscribe(...)`: probe 287)
        asked = (n for n in called if n != read_as and n not in _ANY_VALUES_STEP)  # not a promise's `then`
        last = _LAST_BARE_AT_END.search(calls_emptied(line))  # (`.to_text` with no brackets: probe 217)
        return tuple(dict.fromkeys(asked)) if read_as in called or last and last.group(1) == read_as else ()

    @property
    def string_words(self) -> frozenset[str]:
        """The words pasted code says only inside its strings (`c.Retr("test-file.txt")` then `ioutil.ReadAll(r)`:
        "test" asked for no tests, probe 244); none for a question. Asked for each candidate ranked: worked out once
        per text."""
        return _string_words(self.typed or self.text)

    @property
    def argument_calls(self) -> tuple[str, ...]:
        """The names of the calls a pasted line makes among the arguments of the call it was read as (`IntegerField(
        'Level', [validators.NumberRange(min=0)])`: validators.NumberRange, 22nd under tests: probe 244;
        `sheet.getText(new Format().setHex(true))`: Format.setHex, under 12 `getText`s: probe 245), in order."""
        if self.typed == self.text or self.pasted_line is None:
            return ()
        line = self.pasted_line.rstrip(";").strip()
        rest = line[assigned.end():] if (assigned := _ASSIGNED.match(line)) else line
        outer = _OUTER_CALL.match(rest)
        if outer is None:
            return ()
        inner = rest[outer.end():].lstrip()
        parts = _statements(inner[1:_closing(inner, 0)], ends=",") if inner.startswith("(") else []
        called = (name for part in parts for name in _calls_among(part))
        return tuple(dict.fromkeys(name for name in called if name and name != self.text))[:MAX_ARGUMENT_CALLS]

    @property
    def chain_head(self) -> str:
        """The type a pasted chain of calls starts from, when the question was read as a later member of it
        (`EscapeTool.getInstance().unescape(line)` read as `unescape`: EscapeTool, whose own `unescape` is meant before
        Wini's: probe 164), else ""."""
        if self.typed == self.text or self.pasted_line is None:
            return ""
        head = _CHAIN_HEAD.search(calls_emptied(self.pasted_line))
        return head.group(1) if head and head.group(1) != self.text else ""

    def members_called_on(self, variable: str) -> tuple[str, ...]:
        """The members pasted code calls on a variable, in order (`connection.start().then(() =>
        connection.invoke(...))`: start, invoke): what its type must define; () for a question."""
        if self.typed == self.text:
            return ()
        pattern = rf"(?<![\w$.]){re.escape(variable)}\s*(?:\.|->)\s*([A-Za-z_$][\w$]*)\s*\("
        return tuple(m for m in dict.fromkeys(re.findall(pattern, self.typed)) if m not in _ANY_VALUES_STEP)  # no `on`

    @property
    def chain_package(self) -> str:
        """The package a pasted chain's first call is qualified by, when the question was read as a later member of it
        (`jsoniter.Get(val, "Colors").ToString()` read as `ToString`: jsoniter, whose own `Get` is meant, not every
        type's: probe 285), else ""."""
        if self.typed == self.text or self.pasted_line is None or not self.chained:
            return ""
        head = _CHAIN_PACKAGE.search(calls_emptied(self.pasted_line))
        return head.group(1) if head and head.group(2) == self.chained[0] else ""

    @property
    def message(self) -> str | None:
        """A question of at least MESSAGE_WORDS words that is no line of code, lower-cased with single spaces and its
        quotes dropped: what an error message or other string pasted from a log would be, looked for as written in
        the code's strings (polib's "unescaped double quote found": probe 99)."""
        if self.pasted_line is not None or not self.natural:
            return None
        text = " ".join((self.typed or self.text).split()).strip("'\"`").lower()
        # the log's line as the code wrote it: without the error's type before it (`java.io.IOException: incorrect
        # header check`, `Uncaught Foo\LogicException: ...`) or after it (Ruby's `... (ArgumentError)`): probe 148
        forms = (_RAISED_AS.sub("", text), text)
        return next((said for said in forms if len(_WORD.findall(said)) >= MESSAGE_WORDS), None)

    @property
    def negated(self) -> dict[str, tuple[str, ...]]:
        """A question's word after "not" -> the stems code writes its negation as ("not handled": `unhandled`, "not
        safe": `unsafe`, "not valid": `invalid`, "not empty": `nonEmpty`): searched beside the word where the code says
        one, or as words of their own where the word is not searched (a stop word: "handled"); a name has none."""
        if not self.natural:
            return {}
        tokens = [t.lower() for t in self.tokens]
        out: dict[str, tuple[str, ...]] = {}
        for before, word in zip(tokens, tokens[1:]):
            if before in NEGATIONS and _NEGATABLE.search(word):  # "handled" too, a stop word alone
                out[stem(word)] = tuple(dict.fromkeys(stem(prefix + word) for prefix in NEGATING_PREFIXES))
        return out

    @property
    def search_words(self) -> tuple[str, ...]:
        """What lexical search looks for: stems of a question's content words; a name's words as typed, and one plain
        word's stem too (`timestamps` finds type Timestamp, `parsing` parse: the exact form scores both; `Depends` is
        a name as typed)."""
        if self.natural and self.content:
            return self.content
        if len(self.words) == 1 and self.text.isalpha() and self.text.islower():
            s = stem(self.words[0])
            return self.words + (s,) if s != self.words[0] else self.words
        return self.words


# an error's type a log writes around its message: `ValueError: `, `java.io.IOException: `, `PHP Fatal error:  Uncaught
# App\Exception\LogicException: ` before it, ` (ArgumentError)` after it
_RAISED_AS = re.compile(r"^(?:php fatal error:\s*)?(?:uncaught\s+)?[\w$.\\]+(?:::[\w$]+)*:\s+|\s+\([\w:.]+\)$")
QUOTED_FROM = 12  # characters a line of code typed as a question needs (`load()` is a name, not a line)
MESSAGE_WORDS = 3  # words a question needs to be looked for as a string the code writes (QueryTerms.message)
# `f(`, and a subscript called: `object.events[key + UNDO]()` (probe 195), not a markdown link's `[docs](url)` (review)
_CALL_OPENS = re.compile(r"(?:\w|[\w)\]]\[[^\[\]]*\])\s*\(")
# what only code writes, in a line without a call: a subscript, a block's parameters, an assignment, a scope or arrow
# (`I18n.fallbacks[locale].each do |fallback|`, `config[:locale] ||= :en`: probe 165), a Ruby call of a symbol with no
# brackets (haml's `filter :StaticAnalyzer`: probe 216)
_CODE_MARKS = re.compile(r"[\w\])]\[[^\]\s]{0,80}\]|(?:\bdo|\{)\s*\|\s*[\w$]+(?:\s*,\s*[\w$]+)*\s*\||"
                         r"[\w\])\]]\s*(?:\|\||&&|[-+*/.]|:)?=(?![=>~])\s*\S|\w::\w|\w->\w|\s=>\s|"
                         r"(?<![\w:.])[a-z_]\w*[ \t]+:[A-Za-z_]\w*")
# words of a question, never of a line of code (`where is ActiveRecord::Base defined` asks, though it holds `::`)
_ASKING_WORDS = frozenset("where how what which who why the an are does we you to of from by at that this there "
                          "here our my your they them".split())
MARKED_LINE_MAX = 2000  # characters of a line looked through for _CODE_MARKS


# a member called on what came before (Ruby's `scrub!(:prune)` too: Loofah's README chain lost `fragment`: probe 217)
_CHAINED_MEMBER = re.compile(r"(?:\.|->|::)\s*([A-Za-z_$][\w$]*[!?]?)\s*\(")
# the type a pasted chain starts from (`EscapeTool.getInstance().unescape(line)`, `Uuid::uuid4()->toString()`), its
# namespace's aside (`Haml::Parser.new(options).call(template)`: Parser, not every `call`: probe 216)
_CHAIN_HEAD = re.compile(r"(?<![\w$.:>\\])(?:::|\\)?(?:[A-Z][\w$]*(?:::|\\))*([A-Z][\w$]*)\s*(?:\.|::|->)\s*[A-Za-z_$][\w$]*\s*\(")

_CHAIN_PACKAGE = re.compile(r"(?<![\w$.:>\\])([a-z][\w]*)\s*\.\s*([A-Za-z_][\w]*)\s*\(")  # `jsoniter.Get(`


def _chain_steps(line: str) -> list[str]:
    """The members a line's chain of calls calls, outside every call's arguments (`items.map(x => x.get(k))
    .filter(Boolean)`: map, filter; not `get`, which an argument calls: review)."""
    return _CHAINED_MEMBER.findall(calls_emptied(line))


def calls_emptied(text: str) -> str:
    """text with every call's arguments left out (`a.b(x, f(y)).c('it\\'s)')` -> `a.b().c()`), a string's escaped
    quote and brackets inside it no end of anything: a chain's steps, as a block's call site names them."""
    out, depth, quote, escaped = [], 0, "", False
    for ch in text:
        if quote:
            quote = "" if ch == quote and not escaped else quote
            escaped = ch == "\\" and not escaped
        elif depth and ch in "'\"`":
            quote = ch
        elif ch == "(":
            out.append("" if depth else "()")
            depth += 1
        elif ch == ")" and depth:
            depth -= 1
        elif not depth:
            out.append(ch)
    return "".join(out)


@lru_cache(maxsize=256)
def _pasted_line(text: str) -> str | None:
    """text as one line with single spaces when it holds a call closed after it opens (linear: a paste of 100 KB of
    `f(` took tens of seconds as one regular expression, review) or what only code writes (_CODE_MARKS), else None."""
    line = " ".join(text.split())
    if len(line) < QUOTED_FROM:
        return None
    opened = _CALL_OPENS.search(line)
    if opened and any(c in line[opened.end():] for c in ")]}"):
        return line
    marked = len(line) <= MARKED_LINE_MAX and _CODE_MARKS.search(line) is not None and not looks_like_identifier(line)
    # (a name typed, `Rfc7230::parseHostHeader`, is no line: its callers were held to quote it)
    outside = _STRING_LITERAL.sub(" ", line)  # a string's words are the code's, no question's ("show help for this
    # command": probe 241; "isn't", "user's" open none: review)
    return line if marked and not _ASKING_WORDS.intersection(w.lower() for w in _WORD.findall(outside)) else None


@lru_cache(maxsize=4096)
def _string_words(typed: str) -> frozenset[str]:
    """QueryTerms.string_words of a text as typed."""
    statements = _statements(typed) if "\n" in typed else [typed]
    if _pasted_line(typed) is None and not (len(statements) > 1 and all(
            _CALL_OPENS.search(one) or _CODE_MARKS.search(one) for one in statements)):
        return frozenset()
    inside = {w.lower() for m in _STRING_LITERAL.finditer(typed) for w in identifier_words(m.group(0))}
    outside = {w.lower() for w in identifier_words(_STRING_LITERAL.sub(" ", typed))}
    return frozenset(inside - outside)


@dataclass(frozen=True)
class Query:
    """One search: the text, how many results, filters, and the ranking mode."""

    text: str
    k: int = 10
    languages: tuple[str, ...] = ()
    path_glob: str | None = None
    mode: str = DEFAULT_MODE
    include_tests: bool = False  # True: tests, examples, vendored and generated code rank like main code
    kinds: tuple[str, ...] = ()  # only units of these kinds (UNIT_KINDS); empty: every kind
    terms: QueryTerms = field(init=False, repr=False, compare=False)  # the text parsed, once

    def __post_init__(self) -> None:
        if not isinstance(self.text, str) or not self.text.strip():
            raise QueryError("the query is empty")
        if not _utf8(self.text) or not _utf8(self.path_glob or ""):
            raise QueryError("the query holds bytes that are not UTF-8 text; type it again in UTF-8")
        if isinstance(self.k, bool) or not isinstance(self.k, int) or not 1 <= self.k <= MAX_K:
            raise QueryError(f"k must be a whole number from 1 to {MAX_K}, not {self.k!r}")
        if self.mode not in MODES:
            raise QueryError(f"unknown mode {self.mode!r}: choose {', '.join(MODES)}")
        object.__setattr__(self, "languages", _names(self.languages, "language", LANGUAGES, LANGUAGE_ALIASES))
        object.__setattr__(self, "path_glob", check_glob(self.path_glob))
        object.__setattr__(self, "include_tests", bool(self.include_tests))
        object.__setattr__(self, "kinds", _names(self.kinds, "kind", UNIT_KINDS, KIND_ALIASES))
        object.__setattr__(self, "terms", QueryTerms.parse(self.text))

    def to_request(self) -> dict:
        """The socket protocol's request object."""
        return {"query": self.text, "k": self.k, "languages": list(self.languages) or None,
                "path": self.path_glob, "mode": self.mode,
                "include_tests": self.include_tests, "kinds": list(self.kinds) or None}

    @classmethod
    def from_request(cls, request: dict) -> "Query":
        """A Query from the socket protocol's request object (raises QueryError when malformed)."""
        if not isinstance(request, dict) or "query" not in request:
            raise QueryError("a request needs a 'query'")
        langs, include_tests = request.get("languages") or [], request.get("include_tests")
        if not isinstance(langs, list) or not all(isinstance(x, str) for x in langs):
            raise QueryError(f"'languages' must be a list of names such as [\"python\"], not {langs!r:.60}")
        if include_tests is not None and not isinstance(include_tests, bool):
            raise QueryError(f"'include_tests' must be true or false, not {include_tests!r:.60}")
        k = request.get("k")
        return cls(text=request["query"], k=10 if k is None else k, languages=tuple(langs),
                   path_glob=request.get("path"), mode=request.get("mode") or DEFAULT_MODE,
                   include_tests=bool(include_tests), kinds=tuple(_listed(request, "kinds")))


_OPENERS, _CLOSERS = "([{", ")]}"


# annotations a line opens with (`@Override`, `@app.route("/x", methods=["GET"])`, PHP's `#[Route('/x')]`)
_ANNOTATIONS = re.compile(r"(?:\s*(?:@[\w$.]+(?:\s*\((?:[^()]|\([^()]*\))*\))?|#\[[^\]]*\]))+")


def decorator_lines(lines: list[str]) -> int:
    """How many leading lines are decorators or annotations (`@x(...)`, PHP `#[...]`), brackets followed; a line with
    the declaration after its annotations (`@Override public Section getParent()`) is the declaration's (probe 164)."""
    depth, count = 0, 0
    for line in lines[:-1]:
        text = line.strip()
        if depth == 0 and not text.startswith(("@", "#[")):
            break
        opened = _ANNOTATIONS.match(text) if depth == 0 else None  # (None: `#[Attr(` goes on below)
        if opened is not None and (after := text[opened.end():].strip()) and not after.startswith(("(", "//", "/*", "#")):
            break
        depth = max(0, depth + sum(text.count(c) for c in _OPENERS) - sum(text.count(c) for c in _CLOSERS))
        count += 1
    return count if depth == 0 else 0


@dataclass
class Hit:
    """One result, with the evidence behind its rank."""

    id: int
    path: str
    start_line: int
    end_line: int
    start_col: int
    name: str
    qualified_name: str
    language: str
    kind: str
    score: float
    code: str
    docstring: str
    semantic_score: float | None = None
    semantic_rank: int | None = None
    lexical_rank: int | None = None
    signals: dict = field(default_factory=dict)  # what each ranking signal did (codesearch/ranking.py)
    also_in: list[str] = field(default_factory=list)  # "path:line" of copies collapsed into this hit
    repo: str | None = None  # the repository's absolute root, when several were searched

    def to_dict(self) -> dict:
        return asdict(self)

    def column(self, line: int) -> int:
        """The column a line of the unit opens at: its start_col on its first line, its indentation below (where an
        editor is sent: `--vimgrep`, `--files`)."""
        if line == self.start_line:
            return self.start_col
        rows = self.code.split("\n")
        text = rows[line - self.start_line] if 0 <= line - self.start_line < len(rows) else ""
        return len(text) - len(text.lstrip()) + 1

    def focus(self) -> int:
        """The line to open: in a module piece, type, window or block, the one holding the question's words (focus),
        else its first past its decorators, as its preview shows it (a class hit said line 288 where its match was at
        656: probes 95, 99, 102; JSON said a `@classmethod` line, the text its `def`: probe 117)."""
        at = self.signals.get("focus") if isinstance(self.signals, dict) else None
        if isinstance(at, int) and self.start_line <= at <= self.end_line:
            return at
        return self.start_line + decorator_lines(self.code.split("\n"))

    @classmethod
    def from_dict(cls, d: dict) -> "Hit":
        """A Hit from its to_dict() form, ignoring keys a newer server may add."""
        names = cls.__dataclass_fields__.keys()
        return cls(**{k: v for k, v in d.items() if k in names})


@dataclass
class Results:
    """What a search answered: the hits, the ranking it used, and a note when that is not all that was
    asked (words only while the model loads; meaning over part of the index while it embeds)."""

    hits: list[Hit]
    mode: str
    note: str | None = None


@dataclass
class FileHit:
    """One file in `--files` results: its matching functions aggregated, pointing at the best one."""

    path: str
    score: float
    language: str
    line: int  # the best function's first line
    col: int
    best: str  # the best function's qualified name
    functions: list[str] = field(default_factory=list)  # qualified names of its matching functions, best first
    repo: str | None = None
    start_line: int = 0  # the best function's lines, as a unit result's `--json` gives them (a script reading both
    end_line: int = 0  # broke on `--files --json`: probe 228)

    def to_dict(self) -> dict:
        return asdict(self)


def coverage_percent(embedded: int, functions: int) -> int:
    """Whole percent of the functions that have a vector, rounded down: never 100 before the last one."""
    return 100 * embedded // functions if functions else 100


@dataclass(frozen=True)
class Coverage:
    """How much of an index each semantic tier answers for now: the model's own vectors (embedded)
    and the static tier distilled from it (static), of all functions."""

    embedded: int
    functions: int
    static: int = 0
    model: str | None = None  # the model's id, for the note
    static_interim: bool = False  # the static tier is pooled from its weightiest tokens; the rare ones are distilling

    def __getitem__(self, key):
        """(embedded, functions) by position, as coverage was before the static tier: coverage[:2]."""
        return (self.embedded, self.functions)[key]

    def to_dict(self) -> dict:
        """The plain form the server, MCP and `--json` send."""
        return {"embedded": self.embedded, "functions": self.functions,
                "percent": coverage_percent(self.embedded, self.functions), "static": self.static,
                "static_percent": coverage_percent(self.static, self.functions), "model": self.model,
                "static_interim": self.static_interim}

    @classmethod
    def from_dict(cls, d: object) -> "Coverage | None":
        """A Coverage from to_dict()'s form (an older server's lacks static), or None when it is not sane."""
        if not isinstance(d, dict):
            return None
        embedded, functions, static = d.get("embedded"), d.get("functions"), d.get("static", 0)
        model = d.get("model")
        if not all(isinstance(v, int) and not isinstance(v, bool) for v in (embedded, functions, static)):
            return None
        if not (0 <= embedded <= functions and 0 <= static <= functions):
            return None
        return cls(embedded, functions, static, model if isinstance(model, str) else None,
                   d.get("static_interim") is True)

    @property
    def label(self) -> str:
        """The model's short name ("udever-bloom-560m"), or "model"."""
        return self.model.rstrip("/").rsplit("/", 1)[-1] if self.model else "model"

    def note(self) -> str | None:
        """The line that says which tier answered while the model has not embedded everything, or None."""
        done, total = self.embedded, self.functions
        if not total or done >= total:
            return None
        if self.static:
            rest = "; lexical matches cover the rest" if self.static < total else ""
            interim = " (interim: its rarer words are still being distilled)" if self.static_interim else ""
            return (f"semantic: static {coverage_percent(self.static, total)} %{interim}, {self.label} "
                    f"{coverage_percent(done, total)} % ({done} of {total} units embedded by the model so far, "
                    f"the static tier answers for the others{rest})")
        return (f"semantic: {coverage_percent(done, total)} % indexed ({done} of {total} units embedded so far; "
                "lexical matches cover the rest)")


def coverage_note(coverage: "Coverage | tuple[int, int] | None") -> str | None:
    """The line that says a first index is still embedding (semantic answers cover part of it), or None."""
    if coverage is None:
        return None
    if not isinstance(coverage, Coverage):
        coverage = Coverage(*coverage)
    return coverage.note()


# Models that understand English only: a question in another language gets answers by chance.
ENGLISH_ONLY_MODELS = frozenset({"sentence-transformers/all-MiniLM-L6-v2"})
# Frequent function words of other Latin-script languages that are not English words.
_FOREIGN_WORDS = frozenset("""
el la los las que del para por un una cómo donde dónde qué cuál cuando cuándo se si es está son con sin al lo le de
les des du une est où comment qui quoi sur pas et avec dans pour sont cette ce ces
der das und ist wie wird werden mit für von ein eine einen nicht wo den dem zu auf bei wann welche aus nach beim zum
zur vom oder wenn alle die einer diese dieser dieses sind ob zwischen zwei drei neu neue neuen jede jeden jedes durch
ohne wieder
onde como uma com não são fazer qual
il che dove della delle gli sono questo questa quando
het een hoe waar wordt niet van naar
""".split())
# Dropped from a question plainly in another language (_foreign_filler), as STOP_WORDS from an English one: they
# match code by chance (German "mit" matched every "MIT license" header, Spanish "en" a locale code 'en', "un"
# un-encoding): the function words above and their usual company.
_FOREIGN_STOP_WORDS = _FOREIGN_WORDS | frozenset("""
einem einer eines im vom zum zur aus nach oder auch nur wenn dass alle über beim sich soll kann
au aux un ou par leur lors quand dont entre chaque faire
un unos unas en su sus este esta estos estas cada hacer entre sobre desde
os um em da na nos cada fazer sobre
per di come ogni fare
""".split())


# a number word counting the plural after it: "two options", "three retries" (not "two-phase", "two factor", "two
# pass", "two class": review)
_COUNTING = re.compile(r"(?<![\w-])(two|three|four|five|six|seven|eight|nine|ten)\s+[a-z]+[^s\W]s\b", re.IGNORECASE)


_HOW_MANY = re.compile(r"(?<![\w-])how\s+(many|much)\b", re.IGNORECASE)


def _counting(text: str) -> frozenset[str]:
    """The number words a question counts things with, lower-cased: they say how many, as "one" does, not what
    (yargs' "check that two options are not used together" put `startsByTwoDashes` first: probe 110); and "how
    many", "how much" ("how many connections are free right now" found ConnectionPool by "among many threads" in its
    doc: probe 133)."""
    return frozenset(m.group(1).lower() for pattern in (_COUNTING, _HOW_MANY) for m in pattern.finditer(text))


@lru_cache(maxsize=4096)
def _foreign_filler(text: str) -> frozenset[str]:
    """The words of a question plainly in another language that only hold it together: that language's function
    words and its words of two letters, never a word written as code (`os.environ`, `del_key`, `maxAge`). Plainly:
    looks_non_english, with accented letters or three such words (English about `sin`, `cos` and `del` is not)."""
    if not looks_non_english(text):
        return frozenset()
    words = _LETTERS.findall(text.lower())
    if (not any(not ch.isascii() for ch in text if ch.isalpha()) and sum(w in _FOREIGN_WORDS for w in words) < 3
            and not _plain_signs(words)):  # "convertir una fecha en texto como hace": no accent, yet plainly Spanish
        # (and "convertir guiones bajos en guiones medios", whose "en" met `(ox)en` in a rule: probe 154)
        return frozenset()
    code = {w.lower() for token in _TOKEN.findall(text) if looks_like_identifier(token) for w in identifier_words(token)}
    return frozenset(folded(w) for w in words
                     if (w in _FOREIGN_STOP_WORDS or (len(w) <= 2 and w not in _SHORT_CODE_WORDS)) and w not in code)


# words of two letters a question in any language may mean as code's ("ordenar lista por id", "sortieren nach id")
_SHORT_CODE_WORDS = frozenset("id go ui db io os js ts ip fs ok gc ci ai".split())
_ENGLISH_WORDS = frozenset("""
the a an is are do does how where what which who why when we you i to of and in for with from on by at that this
it its be get set all into out or not no if then there here our my your they them use used
""".split())
# Everyday words of questions about code in other languages (not function words: kept as a question's words), and
# German nouns' endings: a sign of the language where its function words are few or shared with English
_FOREIGN_VOCABULARY = frozenset("""
datei dateien speichern lesen schreiben umwandeln erzeugen erstellen prüfen überprüfen finden suchen löschen
ändern anfrage anfragen fehler fehlern wiederholen wartezeit datenbank passwort wort wörter mehrzahl einzahl
zeichenkette liste eintrag einträge benutzer schlüssel werte zahl zahlen einstellungen aufruf ausgabe eingabe speicher
verzeichnis ordner pfad abrufen senden empfangen zeitstempel weiterleitungen verfolgt fehlgeschlagene fehlgeschlagener
convertir palabra palabras archivo archivos guardar escribir buscar borrar eliminar cadena usuario contraseña
fecha reintentar solicitud solicitudes analizar cargar crear obtener enviar recibir comprobar verificar validar valor
valores tipo tipos corresponde
fichier fichiers enregistrer lire écrire chercher supprimer chaîne utilisateur requête requêtes
entfernen einlesen auslesen ersetzen hinzufügen berechnen sortieren vergleichen zurückgeben ausführen zeile zeilen
kommentar kommentare wert zeichen anführungszeichen leerzeichen
quitar reemplazar agregar añadir ordenar devolver línea líneas comentario comentarios
remplacer ajouter trier ligne lignes commentaire commentaires
leeren setzen zeitzone komplett auftrag aufträge aufgabe aufgaben verbindung verbindungen schließen öffnen abbrechen
cancelar trabajo trabajos programado programada programar tarea tareas cerrar abrir conexión conexiones vaciar limpiar
annuler tâche tâches fermer ouvrir vider connexion connexions
""".split())  # ("Kommentare am Zeilenende entfernen", "Cache komplett leeren", "cancelar un trabajo programado" got no
# note that MiniLM reads English only: probes 155, 166)
_GERMAN_NOUN = re.compile(r"\w{4,}(?:ung|ungen|keit|heit|schaft)")
_LETTERS = re.compile(r"[^\W\d_]+")  # a word of letters only (not _WORD: `base64` stays one word in a query)


def _latin(ch: str) -> bool:
    """Basic Latin, Latin-1, Latin Extended A/B and Additional: the scripts English text is written in."""
    code = ord(ch)
    return code < 0x250 or 0x1E00 <= code <= 0x1EFF


def _ideograph(ch: str) -> bool:
    """A Chinese or Japanese character (Han, kana) or a Korean syllable: about a word each, as a Latin word is."""
    code = ord(ch)
    return 0x3040 <= code <= 0x30FF or 0x3400 <= code <= 0x9FFF or 0xAC00 <= code <= 0xD7AF or 0xF900 <= code <= 0xFAFF


def _plain_signs(words: list[str]) -> int:
    """How many words are plainly another language's: its function words of three letters or more that code does not
    also say, and its everyday words about code."""
    return sum((w in _FOREIGN_WORDS and len(w) >= 3 and w not in _CODE_LOOKALIKES) or w in _FOREIGN_VOCABULARY
               for w in words)


def looks_non_english(text: str) -> bool:
    """True when a query is mostly in a non-Latin script, or its function words are clearly another language's."""
    letters = [ch for ch in text if ch.isalpha()]
    if not letters:
        return False
    if 2 * sum(not _latin(ch) for ch in letters) > len(letters):
        return True
    words = _LETTERS.findall(text.lower())
    ideographs = sum(_ideograph(ch) for ch in letters)  # each says about a word: `把 HTML 字符串解析成 DOMDocument`
    if ideographs >= 2 and ideographs >= sum(all(_latin(ch) for ch in w) for w in words):  # (probe 167)
        return True
    foreign = sum(w in _FOREIGN_WORDS for w in words)
    english = sum(w in _ENGLISH_WORDS for w in words)
    accented = any(not ch.isascii() for ch in letters)
    plain = _plain_signs(words)
    signs = plain + sum(bool(_GERMAN_NOUN.fullmatch(w)) and w not in _FOREIGN_VOCABULARY for w in words)
    return ((foreign >= 2 and foreign > english) or (foreign >= 1 and english == 0 and accented)
            or (plain >= 1 and english == 0 and (len(words) >= 3 or accented))  # "Cache aus Datei laden", "Auftrag
            # löschen", "Wiederholung bei Fehlern"
            or (signs >= 2 and signs > english))  # "Wort in die Mehrzahl umwandeln": "in" is German too


# another language's function words that are also code's (DES encryption, sin, del, .com, `con`) or English ("die"):
# no sign alone
_CODE_LOOKALIKES = frozenset({"des", "sin", "del", "com", "con", "les", "une", "che", "van", "das", "dem", "den", "mit",
                              "para", "los", "est", "sur", "oder", "die", "ob", "comment"})
# (MIT licence, <para>, Los Angeles, "oder" for order, French "comment" an English word: "strip html comment" was no
# English, so its slips went unread: probe 216)


def vague_note(text: str) -> str | None:
    """The one-line note for a question whose every word is a common one ("how does it work"): nothing in it says
    what to find, so its results are near arbitrary; None for any other."""
    terms = QueryTerms.parse(text)
    if not terms.words:  # `???` (probe 61): results alike, scored alike, and nothing said
        return (f"note: \"{_echoed(terms.text)}\" holds no word or name, so nothing in it says what to find and these results "
                "are guesses; name the thing or the behaviour (\"how are retries scheduled\")")
    if not terms.natural or terms.content:
        return None
    return (f"note: every word of \"{_echoed(' '.join(terms.words))}\" is a common one, so nothing in it says what to find and "
            "these results are guesses; name the thing or the behaviour (\"how are retries scheduled\")")


ECHOED_CHARS = 80  # of a question a note repeats (a 100 KB question was echoed whole: fault probe)


def _echoed(text: str) -> str:
    """A question as a note repeats it: on one line, cut to ECHOED_CHARS."""
    said = " ".join(text.split())
    return said if len(said) <= ECHOED_CHARS else said[: ECHOED_CHARS - 1] + "…"


def read_note(hits: Sequence[Hit]) -> str | None:
    """The one-line note for a question whose words the code never says and that were searched as others (a slip:
    "durtion" as "duration"), or None."""
    read = hits[0].signals.get("read_as") if hits else None
    if not read:
        return None
    said = ", ".join(f'"{typed}" as "{meant}"' for typed, meant in read.items())
    return f"note: read {said} (the code's {'words' if len(read) > 1 else 'word'})"


def unmatched_note(text: str, hits: Sequence[Hit]) -> str | None:
    """The one-line note for a question none of whose words (nor a slip of one) the code searched says, as the
    searcher marks its first hit (no_words): every hit is meaning's nearest, however far (`xyzzyqq`: probe 84); or for
    a name that no unit of it defines (undefined)."""
    if hits and hits[0].signals.get("undefined"):  # a name no unit defines (`ErrNotAStructPtr`: probe 151)
        named = QueryTerms.parse(text).text  # the name a pasted line was read as, not the line (probe 229)
        return (f"note: nothing in the code searched is named {_echoed(named)}, so these results only share "
                "words or meaning with it; check the name's spelling, or ask in words what it does")
    if not hits or not hits[0].signals.get("no_words"):
        return None
    return (f"note: no word of \"{_echoed(text)}\" is in the code searched, so these results are by meaning "
            "alone; use the code's words or a name to find it by its words too")


def model_guesses(text: str, model_id: str | None) -> bool:
    """True for a non-English question put to an English-only model: its answers by meaning are guesses."""
    return model_id in ENGLISH_ONLY_MODELS and looks_non_english(text)


def language_note(text: str, model_id: str | None) -> str | None:
    """The one-line warning for a non-English question put to an English-only model, or None."""
    if not model_guesses(text, model_id):
        return None
    return (f"note: {model_id} understands English only and this question does not look English, so its "
            f"semantic matches are guesses; ask in English, or use the multilingual default "
            f"(`codesearch index --rebuild --model {DEFAULT_MODEL}`)")
