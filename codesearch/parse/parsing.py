"""Split source bytes into functions and methods with tree-sitter and per-language tag queries.

What each language looks like (node types, doc rule, qualified-name style) is its `LanguageSpec`
in codesearch/languages.py; this module reads the specs and names no language itself.
Qualified-name styles (`QualifiedNames.style`):
- dotted: enclosing classes/functions joined with ``.`` (``Cache.Entry.touch``).
- receiver: ``Receiver.Method`` for methods (``Store.Get`` for ``func (s *Store) Get``), else the name.
- instance-singleton: modules/classes joined with ``::``, then ``#name`` for instance methods and ``.name``
  for singleton methods (``Billing::Invoice#total``, ``Billing::Invoice.create``).
- namespace-member: namespace and class joined with ``\\``, method after ``::`` (``App\\Billing\\Invoice::total``).
"""

from __future__ import annotations

import importlib
import inspect
import re
from dataclasses import dataclass, replace
from functools import lru_cache
from importlib import resources

import tree_sitter as ts

from codesearch.errors import UsageError
from codesearch.languages import BY_NAME, LANGUAGES, MODULE_BUILD_ROOTS, MODULE_SOURCE_ROOTS, LanguageSpec
from codesearch.parse.bindings import TEXT_CHARS
from codesearch.parse.units import DIRECTIVE, FILE_HEADER, OPENS_STATEMENT, Unit, complete
from codesearch.parse.walk import UTF16_BOMS
from codesearch.query import calls_emptied

BOM = b"\xef\xbb\xbf"
MAX_NESTING = 32  # definitions nested deeper than this are not units (see _shallow)
MAX_SCOPE_STEPS = 512  # ancestors looked at when naming a unit
BLOCK_MIN_LINES = 3  # a shorter callback stays in the code around it
TYPE_IN_FUNCTION_LINES = 10  # a class declared inside a function with this many lines is a type of its own
WRAPPER_SHARE, WRAPPER_MIN_LINES = 0.6, 30  # a callback holding this share of a file this long wraps the module
HEADER_LINES = 3  # a comment block's first lines, where a file's header says what it is (Copyright, @license)
WRAPPED_FUNCTIONS = 2  # functions declared in a nameless exported function that wraps its file: the module's own
BLOCK_CALL_STEPS = 3  # wrappers between a block and its call (PHP: argument, arguments)
CALLEE_CHARS = 60  # a block's call site keeps this much of the callee and of its first argument
_BOUND_CALLS = ("call_expression", "new_expression")  # JS values whose functions are named by the binding


@dataclass(frozen=True)
class _Grammar:
    spec: LanguageSpec
    language: ts.Language
    tags: ts.Query
    comments: ts.Query
    types: ts.Query | None  # the spec's type declarations
    blocks: ts.Query | None  # the spec's anonymous functions and blocks


@lru_cache(maxsize=None)
def grammar(language: str) -> _Grammar:
    """Load a language and compile its queries once per process."""
    spec = BY_NAME.get(language)
    if spec is None:
        raise UsageError(f"unsupported language {language!r}: choose one of {', '.join(LANGUAGES)}")
    lang = ts.Language(getattr(importlib.import_module(spec.grammar_module), spec.grammar_function)())
    source = resources.files("codesearch.grammars").joinpath(spec.tag_query).read_text("utf-8")
    def any_of(types: tuple[str, ...], capture: str) -> ts.Query | None:
        return ts.Query(lang, "[" + " ".join(f"({t})" for t in types) + f"] @{capture}") if types else None

    return _Grammar(spec, lang, ts.Query(lang, source), any_of(spec.comment_nodes, "comment"),
                    any_of(spec.type_nodes, "type"), any_of(spec.block_nodes, "block"))


def as_utf8(source: bytes) -> bytes:
    """A file's bytes as the UTF-8 tree-sitter reads: its UTF-8 byte order mark dropped, a UTF-16 file (by its mark) or
    one in a single-byte encoding decoded first (a Latin-1 file's `def café_price()` was parsed as `_price`: fault
    probe); lines stay where they are."""
    if source.startswith(BOM):
        return source[len(BOM):]
    try:
        source.decode("utf-8")
        return source
    except UnicodeDecodeError:
        pass
    if source.startswith(UTF16_BOMS):
        try:
            return source.decode("utf-16").encode("utf-8")
        except UnicodeDecodeError:
            return source
    # each line as `decode` reads it, UTF-8 when valid: a UTF-8 file's one stray byte costs its line only (review)
    return b"\n".join(decode(line).encode("utf-8") for line in source.split(b"\n"))


def decode(data: bytes) -> str:
    """Text of a byte slice: UTF-8 when valid, else Latin-1 (never fails, never shifts lines)."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("latin-1")


def _text(node: ts.Node | None, src: bytes) -> str:
    return "" if node is None else decode(src[node.start_byte : node.end_byte])


# a line opening a generic call signature of an interface or type: `<T>(x: T): T`, `<Base, D = Draft<Base>>(`
_GENERIC_SIGNATURE = re.compile(rb"[ \t]*<[ \t]*(?:$|[A-Za-z_$][\w$]*(?:[ \t]+extends\b|[ \t]*[,=>]|$))")
_ENDS_A_TYPE = re.compile(rb"[\w$)\]>][ \t]*$")  # `): Curried`, `Draft<Base>`, `string[]`


def _signatures_ended(src: bytes) -> tuple[bytes, list[int]]:
    """The source with a `;` ending each line that ends a type and comes before a generic call signature, and where
    each `;` went. TypeScript reads no type arguments across a line break (its parser asks hasPrecedingLineBreak), so
    `<Curried>(recipe: Curried): Curried` then `<Base>(base: Base): Base` are two members; tree-sitter-typescript reads
    `Curried<Base>` and loses the interface and what follows it (immer's IProduce: probe 184)."""
    rows = src.split(b"\n")
    added: list[int] = []
    offset, last = 0, None  # last: (offset of the end of the last line holding code, whether it ends a type)
    for row in rows:
        if _GENERIC_SIGNATURE.match(row) and last is not None and last[1]:
            added.append(last[0] + len(added))  # each earlier `;` moves the later ones one byte on
        if row.strip():
            code = row.rstrip()
            last = (offset + len(code), _ENDS_A_TYPE.search(code) is not None)
        offset += len(row) + 1
    if not added:
        return src, []
    out = bytearray(src)
    for at in added:
        out[at:at] = b";"
    return bytes(out), added


def _error_rows(root: ts.Node) -> int:
    """How many lines a tree's syntax errors cover."""
    rows: set[int] = set()
    stack = [root]
    while stack:
        node = stack.pop()
        if node.type == "ERROR" or node.is_missing:
            rows.update(range(node.start_point.row, node.end_point.row + 1))
        elif node.has_error:
            stack.extend(node.children)
    return len(rows)


# a doc that only says "the parent's doc" (`{@inheritDoc}`, `@inheritdoc`): no words of its own to embed or show (25 of
# json-schema's 157 methods were embedded as the tag: probe 197)
_INHERIT_DOC = re.compile(r"\{@inheritdoc\}|^[ \t]*@inheritdoc[ \t]*$", re.IGNORECASE | re.MULTILINE)


def _clean_comment(text: str) -> str:
    """A comment's words: its marks, and a tag that only points at the parent's doc, left out."""
    return _INHERIT_DOC.sub("", _comment_words(text)).strip()


def _comment_words(text: str) -> str:
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if text.startswith("/*"):
        body = text[2:-2] if text.endswith("*/") else text[2:]
        body = body[1:] if body.startswith("*") else body
        lines = [re.sub(r"^\s*\*(?!/) ?", "", line) for line in body.split("\n")]
    elif text.startswith("=begin"):
        lines = [line for line in text.split("\n") if not line.startswith(("=begin", "=end"))]
    else:
        lines = [re.sub(r"^\s*(//+|#+)!? ?", "", line) for line in text.split("\n")]
    return inspect.cleandoc("\n".join(lines)).strip()


# nodes that give a name or a place to the value they end with: a declaration, an assignment, an export, a cast
_HOLDS_A_VALUE = re.compile(r"declarat|assignment|export|expression_statement|as_expression|satisfies")


def _the_value_of(node: ts.Node, parent: ts.Node) -> bool:
    """Whether node is what parent declares, assigns, exports or casts, all of it: its last part, and its only one
    but in a declarator or an assignment (`const a = 1,\n  b = wrap(...)` is no statement of b's alone: review)."""
    if _HOLDS_A_VALUE.search(parent.type) is None or node != parent.named_children[-1]:
        return False
    return parent.named_child_count == 1 or "declarator" in parent.type or "assignment" in parent.type


# calls whose value is the function given to them (React's hooks that keep a callback, memo, debounce): bound to a name
# inside a function, that function is a unit of its own (react-hot-toast's `const calculateOffset = useCallback(...)`
# in its useToaster hook: probe 283)
_FUNCTION_KEEPERS = frozenset({"useCallback", "useEvent", "useEffectEvent", "useMemoizedFn", "useDebouncedCallback",
                               "useThrottledCallback", "useStableCallback", "useLatestCallback", "useCallbackRef",
                               "memo", "forwardRef", "debounce", "throttle"})


def _keeps_a_function(call: ts.Node, src: bytes) -> bool:
    """A call of a _FUNCTION_KEEPERS function, by its name or a namespace's (`React.useCallback`)."""
    callee = call.child_by_field_name("function")
    if callee is not None and _namespaced(callee, src):
        callee = callee.child_by_field_name("property")
    return callee is not None and callee.type in ("identifier", "property_identifier") \
        and _text(callee, src) in _FUNCTION_KEEPERS


def _namespaced(callee: ts.Node, src: bytes) -> bool:
    """A callee that is a namespace's function, not an object's method: `React.memo`, `React.forwardRef`,
    `_.debounce` (a capitalised or `_` object, named plainly), whose value is the function given to it."""
    if callee.type != "member_expression":
        return False
    owner = callee.child_by_field_name("object")
    name = _text(owner, src) if owner is not None and owner.type == "identifier" else ""
    return name == "_" or name[:1].isupper()


_BRACE_OFFSET = re.compile(rb"(?<![{\\])(\$[A-Za-z_]\w*)\{([^{}\n]*)\}")  # `$str{$i}`, not a string's `{$x}`


class _FileParser:
    """Parse state for one file: the tree, its comments by line, the scope rules."""

    def __init__(self, source: bytes, language: str, path: str) -> None:
        source = as_utf8(source)
        # tree-sitter counts rows by LF only: CR-only (classic Mac) and mixed files would put every
        # unit on line 1, so every line ending (CRLF, CR, LF) becomes LF first, as editors count lines
        self.src = source.replace(b"\r\n", b"\n").replace(b"\r", b"\n") if b"\r" in source else source
        self.language = language
        self.path = path
        self.g = grammar(language)
        self.spec = self.g.spec
        self.tree = ts.Parser(self.g.language).parse(self.src)
        self._original, self._added = self.src, []  # bytes `;` added at (_signatures_ended), taken out of units' code
        if self.spec.generic_signatures_end_lines and self.tree.root_node.has_error:
            self._end_signatures()
        if self.spec.brace_offsets and self.tree.root_node.has_error and b"{" in self.src:
            self._brace_offsets_read()
        self._line_starts = [0] + [m.end() for m in re.finditer(b"\n", self.src)]
        self._class_level: dict[int, tuple[set[str], list[tuple[int, bool]]]] = {}  # by a body's id (_made_class_level)
        self._aliases: dict[int, dict[str, str]] = {}  # a block's prototype aliases (_prototype_aliases), by its id
        self.wrapper_bodies: set[int] = set()  # the lines a module wrapper's body opens on (its code is module code)
        self._comments: dict[int, ts.Node] = {}
        matches = ts.QueryCursor(self.g.comments).matches(self.tree.root_node)  # a docstring's language too (_doc_of)
        for _, caps in matches:
            for node in caps.get("comment", []):
                if self._starts_line(node):
                    self._comments[node.end_point.row] = node
        self._namespaces: list[tuple[int, str]] = []
        if self.spec.qualified.style == "namespace-member":
            for child in self.tree.root_node.children:
                if child.type == "namespace_definition":
                    self._namespaces.append((child.start_byte, _text(child.child_by_field_name("name"), self.src)))

    def _end_signatures(self) -> None:
        """Parse again with a `;` ending each line before a generic call signature, when that loses fewer lines."""
        repaired, added = _signatures_ended(self.src)
        if added and (tree := self._parsed_better(repaired)) is not None:
            self.src, self.tree, self._added = repaired, tree, added

    def _parsed_better(self, repaired: bytes) -> "ts.Tree | None":
        """The tree of a repaired copy of the source, when it loses fewer lines to errors than the file's own."""
        tree = ts.Parser(self.g.language).parse(repaired)
        return tree if _error_rows(tree.root_node) < _error_rows(self.tree.root_node) else None

    def _brace_offsets_read(self) -> None:
        """Parse PHP 5's string offsets in braces (`$str{$i}`, an error to today's grammar that ran a method to its
        class's end: HTMLPurifier's Encoder, probe 289) as the brackets they mean, when that loses fewer lines; the
        same length, so every unit's code is still the file's."""
        mended = _BRACE_OFFSET.sub(rb"\1[\2]", self.src)
        if mended != self.src and (tree := self._parsed_better(mended)) is not None:
            self.tree = tree

    def _code(self, span: "ts.Node | _Range") -> str:
        """The source a span covers, as the file holds it (without a `;` the parse added)."""
        data = self.src[span.start_byte : span.end_byte]
        for at in reversed([a - span.start_byte for a in self._added if span.start_byte <= a < span.end_byte]):
            data = data[:at] + data[at + 1 :]
        return decode(data)

    def _starts_line(self, node: ts.Node) -> bool:
        """True when nothing but whitespace precedes the node on its first line."""
        line_start = self._line_starts[node.start_point.row]
        return not self.src[line_start : node.start_byte].strip()

    def units(self) -> list[Unit]:
        seen: set[tuple[int, int]] = set()
        found: list[tuple[ts.Node, ts.Node | None, str]] = []
        for _, caps in ts.QueryCursor(self.g.tags).matches(self.tree.root_node):
            definition = kind = name_node = None
            for cap, nodes in caps.items():
                if cap.startswith("definition."):
                    definition, kind = nodes[0], cap.split(".", 1)[1]
                elif cap.startswith("name."):
                    name_node = nodes[0]
            if definition is None or (definition.start_byte, definition.end_byte) in seen or self._overloaded(definition):
                continue
            seen.add((definition.start_byte, definition.end_byte))
            found.append((definition, name_node, kind or "function"))
        out: list[Unit] = []
        for definition, name_node, kind in _shallow(found):
            unit = self._unit(definition, name_node, kind)
            if unit is not None:
                out.append(unit)
        inside_functions = _Ranges([(u.start_line, u.end_line) for u in out])
        out += self._types(inside_functions) + self._blocks(inside_functions)
        out.sort(key=lambda u: (u.start_line, u.start_col))
        return out

    def text_lines(self) -> list[str]:
        """The file's lines as text, numbered like tree-sitter's rows."""
        return [line.rstrip("\r") for line in decode(self._original).split("\n")]

    # -- types and blocks -----------------------------------------------------------------------
    def _captured(self, query: ts.Query | None, capture: str) -> list[ts.Node]:
        if query is None:
            return []
        found = ts.QueryCursor(query).captures(self.tree.root_node).get(capture, [])
        return [item[0] for item in _shallow([(n, None, "") for n in found])]

    def _types(self, inside_functions: "_Ranges") -> list[Unit]:
        """Class, struct, interface, enum, trait and module declarations not inside a function, and those inside one
        of TYPE_IN_FUNCTION_LINES or more (immer's `class DraftMap extends Map` in `enableMapSet()` was no unit: the
        name found only its methods, probe 113; a test's two-line stand-in class stays in its test)."""
        out = []
        for node in self._captured(self.g.types, "type"):
            first, last = node.start_point.row + 1, node.end_point.row + 1
            if inside_functions.holds(first, last) and last - first + 1 < TYPE_IN_FUNCTION_LINES:
                continue
            name_node = node.child_by_field_name("name")
            named = self._class_expression_name(node) if node.type == "class" else None
            if named == "":
                continue  # a class given to a call (`define('x', class extends Base {...})`): its methods are units
            specs = [] if name_node is not None else [c for c in node.named_children if c.child_by_field_name("name")]
            if len(specs) > 1:  # Go's grouped `type ( indexMap ...; watchMap ... )`: a unit per type, each its name
                out += [u for spec in specs if (u := self._unit(spec, spec.child_by_field_name("name"), "type"))]
                continue
            for child in node.named_children if name_node is None else ():  # Go: type_declaration > type_spec
                name_node = name_node or child.child_by_field_name("name")
            unit = self._unit(node, name_node, "type", named)
            if unit is not None:
                out.append(unit)
        return out

    def _blocks(self, inside_functions: "_Ranges") -> list[Unit]:
        """Anonymous functions and blocks given to a call outside any function, named by the call."""
        out, calls = [], set()
        for node in self._captured(self.g.blocks, "block"):
            call = self._call_of(node)
            if call is None or call.id in calls:
                continue
            span = self._statement(call)
            first, last = span.start_point.row + 1, span.end_point.row + 1
            name = self._call_site(call, node)
            # a function that names itself, given to a call that names nothing, is that function (express-session's
            # `defineMethod(Session.prototype, 'reload', function reload(fn) {`: every one was "session: defineMethod()",
            # some without a vector: probe 95); a route's or a test's handler keeps its call's name (`app.get('/users')`)
            own = node.child_by_field_name("name") if name.endswith("()") and not _invoked_at_once(call, node) else None
            if (last - first + 1 < BLOCK_MIN_LINES and own is None) or inside_functions.holds(first, last) and not (
                    _keeps_a_function(call, self.src) and self._declared_by(call)):  # a hook's inside one (probe 283)
                continue
            # a UMD, AMD or IIFE wrapper's factory is the module itself: its code is module code (probe 105), named or
            # not (papaparse's `function moduleFactory()` held `Papa.unparse = JsonToCsv`: probe 249)
            if _wrapper_call(call, self.src) and self._wraps_the_file(first, last):
                self._wraps(node)
                continue
            calls.add(call.id)
            scopes, _, in_class = self._scopes(call)
            prefix = self.spec.qualified.scope.join(scopes) if scopes else _stem(self.path)
            doc = "" if self.spec.doc_rule == "docstring" else self._doc_above(span)
            top = _chain_top(call)  # Ruby's `REASONS = {...}.each { ... }.freeze`: the chain's value is assigned
            field = top.parent if top.parent is not None and top.parent.type in (*_FIELDS, "assignment") else None
            label = self._binding_name(field) if field is not None else ""  # `getMeasurements = memo(...)`: its name
            at_once = _invoked_at_once(call, node)
            if at_once:  # qs' `var hexTable = (function () {...}())`: the variable it computes
                name = label = self._declared_by(call) or name
            own_name = _text(own, self.src) if own is not None else "" if at_once else self._wrapped_as(call, label)
            if own_name:
                qualified = self.spec.qualified.scope.join(scopes if scopes[-1:] == [own_name] else [*scopes, own_name])
                unit = self._make(span, own_name, qualified, "method" if in_class else "function", doc)
                out += [unit] if unit is not None else []
                continue
            unit = self._make(span, label or name, f"{prefix}: {name}", "block", doc)
            if unit is not None:
                out.append(unit)
        named = [(u.start_line, u.end_line) for u in out if u.kind == "function"]  # a callback in one is in a function
        return [u for u in out if u.kind == "function" or not any(a <= u.start_line and u.end_line <= b for a, b in named)]

    def _wrapped_as(self, call: ts.Node, label: str) -> str:
        """The name a function given to a call is bound as, through the call that wraps it (`const makeParentDirs =
        sequential(function ...)`, a class field's `getVirtualItems = memo(() => ..., (...) => {...})`): that function,
        by its name (formidable's and virtual-core's were blocks, some without a vector, and left out of
        `--kind function`: probes 100, 101); "" where bindings are not functions' names, or for none."""
        callee = call.child_by_field_name("function")
        named = callee is not None and (callee.type == "identifier" or _keeps_a_function(call, self.src))
        if not self.spec.bindings or not named:
            return ""  # a method's callback (`store.subscribe(...)`, `items.map(...)`, `_.reduce(...)`) makes no
        # function of its value; a namespace's function keeper does (`React.memo(...)`, `_.debounce(...)`: probe 283)
        bound = label or self._declared_by(call)
        return bound if _PLAIN_NAME.fullmatch(bound) else ""

    def _wraps_the_file(self, first: int, last: int) -> bool:
        """Whether lines first..last hold most of the file's (WRAPPER_SHARE): a wrapper's, not a callback's."""
        lines = len(self._line_starts)
        return lines >= WRAPPER_MIN_LINES and (last - first + 1) >= WRAPPER_SHARE * lines

    def _declared_by(self, call: ts.Node) -> str:
        """The variable a call's value is declared as, through its brackets (`var x = (f())`), or the module's name for
        a default export (underscore's `export default restArguments(function(obj, keys) {...})` was a block named
        "pick: restArguments()": probe 122), else ""."""
        node = call
        while node.parent is not None and node.parent.type == "parenthesized_expression":
            node = node.parent
        parent = node.parent
        if parent is not None and parent.type == "export_statement" and any(c.type == "default" for c in parent.children):
            return self._module_name()  # `export default restArguments(function ...)`: the module's, as imported
        name = parent.child_by_field_name("name") if parent is not None and parent.type == "variable_declarator" else None
        return _text(name, self.src) if name is not None and name.type == "identifier" else ""

    def _statement(self, call: ts.Node) -> "ts.Node | _Range":
        """The call widened to the statement on its lines (`var handler = http.HandlerFunc(...)`), and to the declaration
        or assignment it is the value of whatever line that starts on (Prettier's `export const createStructuredSelector:
        StructuredSelectorCreator =` above `Object.assign(`: its doc and name were module code, probe 129)."""
        node = call
        while (node.parent is not None and node.parent.parent is not None
               and node.parent.end_point.row == call.end_point.row
               and (node.parent.start_point.row == call.start_point.row or _the_value_of(node, node.parent))):
            node = node.parent
        return self._span(node)

    def _call_of(self, block: ts.Node) -> ts.Node | None:
        """The call a block is given to (as its block or among its arguments), else None."""
        call = block.parent
        for _ in range(BLOCK_CALL_STEPS):  # block -> (argument ->) arguments -> call
            if call is None or call.type in self.spec.call_nodes:
                break
            call = call.parent
        if call is None or call.type not in self.spec.call_nodes:
            return None
        args = call.child_by_field_name("arguments")
        given = (block.parent.id == call.id or (_invoked_at_once(call, block) and bool(self._declared_by(call)))
                 or (args is not None and args.start_byte <= block.start_byte < args.end_byte))
        return call if given else None

    def _call_site(self, call: ts.Node, block: ts.Node) -> str:
        """`app.get('/users')`, `describe('cart')`, `get('/')`, `task(:build)`: the callee and its first string or symbol
        argument."""
        args = call.child_by_field_name("arguments")
        end = args.start_byte if args is not None and args.start_byte < block.start_byte else block.start_byte
        callee = _without_arguments(" ".join(decode(self.src[call.start_byte : end]).split()).rstrip("(").strip())
        if _invoked_function(call) is not None:
            callee = ""  # a UMD wrapper's factory: `(function (root, factory) {...})(this, function () {...})`
        callee = callee if len(callee) <= CALLEE_CHARS else "…" + callee[-CALLEE_CHARS:]
        first = args.named_children[0] if args is not None and args.named_child_count else None
        if first is not None and first.named_child_count == 1 and not _LITERAL_NAME.search(first.type):
            first = first.named_children[0]  # PHP wraps each argument
        # a string, or Ruby's symbol (`task :build do`, `def_option :headers do`, `define_method(:call) do`)
        literal = _text(first, self.src) if first is not None and _LITERAL_NAME.search(first.type) else ""
        literal = literal if len(literal) <= CALLEE_CHARS else literal[:CALLEE_CHARS] + "…"
        return f"{callee}({' '.join(literal.split())})"

    # -- one definition -------------------------------------------------------------------------
    def _unit(self, node: ts.Node, name_node: ts.Node | None, kind: str, named: str | None = None) -> Unit | None:
        name = _text(name_node, self.src).strip() if name_node is not None else self._default_export_name(node)
        exported = self._exports_name(node) if self.spec.bindings and node.type == "assignment_expression" else None
        if exported and self._exports_a_wrapper(node):
            self._wraps(_unwrapped(node.child_by_field_name("right")))
            return None  # its code is module code, its functions the file's (as a UMD or IIFE wrapper's)
        if name_node is not None and name_node.type == "subscript_expression":  # `converters['long long'] = function`
            keyed = self._member_text(name_node)
            if keyed is None:
                return None  # a computed key (`handlers[type] = ...`) names nothing a reader looks for
            named = named or keyed
        if self.spec.bindings and node.type == "pair" and self._export_map_entry(node, name):
            return None  # esbuild's `__export(x, { name: () => name })`: the name's function is below (probe 231)
        if self.spec.bindings and node.type in ("pair", "method_definition") and name in _DESCRIPTOR_KEYS:
            if self._reexports(node):
                return None
            named = named or self._described(node)  # Babel's `{key: "child", value: function child() {}}`
        if self.spec.bindings and name_node is not None and name_node.type == "member_expression":
            named = named or self._via_prototype_alias(node, name_node)  # Babel's loose `_proto.format = function`
        owner = self._class_of_this(node, name_node) if self.spec.bindings else None
        owner_name = self._class_expression_name(owner) if owner is not None else ""
        if owner_name:  # `this.scrollToIndex = () => {...}` in a named class's constructor or method: its method
            name = _text(name_node.child_by_field_name("property"), self.src)  # type: ignore[union-attr]
            span = self._span(node)
            scopes, _, _ = self._scopes(owner)  # type: ignore[arg-type]
            qualified = self._qualify(owner, scopes + [owner_name], name, False, "method")  # type: ignore[arg-type]
            return self._make(span, name, qualified, "method", self._doc_above(span))
        if named or exported:
            name = qual_tail = exported or named  # type: ignore[assignment]
            # (Ruby's `class ConnectionPool::TimedStack` is TimedStack in its scope: `TimedStack` found its file's
            # comment first, probe 133)
            name = name.rsplit(".", 1)[-1].rsplit("::", 1)[-1]
        elif self.spec.bindings and name_node is not None and name_node.type == "member_expression":
            prop = name_node.child_by_field_name("property")
            qual_tail, name = name, _text(prop, self.src)
        else:
            name = _plain_name(name)
            qual_tail = name
            if name_node is not None and name_node.type == "scope_resolution":  # `module Mustermann::Sinatra`
                name = name.rsplit("::", 1)[-1]
        span = self._span(node)
        scopes, singleton, in_class = self._scopes(node)
        if node.type in ("pair", "method_definition") and scopes and scopes[-1] == name and named:
            scopes = scopes[:-1]  # `defineProperties(styles, {rgbToAnsi256: {value() {}}})`: the key named it already
        kind = self._kind(node, kind, name, in_class)
        qualified = self._qualify(node, scopes, qual_tail, singleton, kind)
        doc = self._doc_of(node, span)
        if isinstance(span, _Range) and self.spec.overload_nodes and not (doc and node.type in self.spec.overload_nodes):
            # the doc right above the implementation comes first (rxjs'), else the first overload's; a `//` note above
            # the implementation only when the overloads have none. Signatures only (a .d.ts): the first's doc, the
            # main one, not the last's `@deprecated` (runtypes: probe 199)
            doc = self._doc_above(self._span(node, overloads=False), doc_only=bool(doc)) or doc
        unit = self._make(span, name, qualified, kind, doc)
        chained = self._chained_targets(node) if self.spec.bindings and node.type == "assignment_expression" else ()
        return replace(unit, binds=chained) if unit is not None and chained else unit

    def _chained_targets(self, node: ts.Node) -> tuple[tuple[str, int, int, int, str], ...]:
        """The names an assignment chain gives the function besides the one it is named by (koa-router's
        `Router.prototype.routes = Router.prototype.middleware = function () {}`: `routes` had no unit, probe 85;
        `var a = exports.b = function () {}`): each bound at its target, as a module piece binds a constant."""
        out = []
        while node.parent is not None and node.parent.type in ("assignment_expression", "variable_declarator",
                                                               "parenthesized_expression"):
            parent = node.parent
            if parent.type == "parenthesized_expression":  # Prettier's `var Client = (module.exports = function`
                node = parent  # (pg's NativeQuery bound nothing: probe 205)
                continue
            value = parent.child_by_field_name("right" if parent.type == "assignment_expression" else "value")
            target = parent.child_by_field_name("left" if parent.type == "assignment_expression" else "name")
            if value is None or target is None or value.id != node.id:
                break
            named = target.child_by_field_name("property") if target.type == "member_expression" else target
            if named is not None and named.type in ("identifier", "property_identifier") and not _EXPORTS.fullmatch(
                    _text(target, self.src)):  # `module.exports = exports = function`: what it exports, no name
                row = target.start_point.row
                line = decode(self.src[self._line_starts[row] : self._line_end(row)])
                out.append((_text(named, self.src), row + 1, row + 1, target.start_point.column + 1,
                            line.strip()[:TEXT_CHARS]))
            node = parent
        return tuple(out)

    def _via_prototype_alias(self, node: ts.Node, name_node: ts.Node) -> str | None:
        """`Dayjs.format` for `_proto.format = function format() {}` after `var _proto = Dayjs.prototype;` in the same
        block (Babel's loose classes, dayjs' esm/ and every ES5 build of a class): `_proto.format` was all its name,
        never met by `Dayjs.format`; None for any other member."""
        alias, prop = name_node.child_by_field_name("object"), name_node.child_by_field_name("property")
        statement = node.parent
        if alias is None or prop is None or alias.type != "identifier" or statement is None:
            return None
        block = statement.parent if statement.type == "expression_statement" else None
        owner = self._prototype_aliases(block).get(_text(alias, self.src)) if block is not None else None
        return f"{owner}.{_text(prop, self.src)}" if owner else None

    def _prototype_aliases(self, block: ts.Node) -> dict[str, str]:
        """A block's `var _proto = Dayjs.prototype;` aliases (name -> class, the first declaration of a name), read
        once per block: read again for each `_proto.x = function`, 8,000 of them in one block took 27 s (review)."""
        found = self._aliases.get(block.id)
        if found is not None:
            return found
        found = {}
        for declaration in block.named_children:
            if declaration.type not in ("variable_declaration", "lexical_declaration"):
                continue
            for declarator in declaration.named_children:
                value = declarator.child_by_field_name("value")
                if declarator.type == "variable_declarator" and value is not None and value.type == "member_expression":
                    owner = _text(value, self.src).removesuffix(".prototype")
                    if owner != _text(value, self.src) and _PLAIN_NAME.fullmatch(owner) and owner[0].isupper():
                        found.setdefault(_text(declarator.child_by_field_name("name"), self.src), owner)
        self._aliases[block.id] = found
        return found

    def _described(self, node: ts.Node) -> str | None:
        """The name a property descriptor's `value`, `get` or `set` function defines: Babel's class methods
        (`_createClass(Logger, [{key: "child", value: function child() {}}])`: Logger.child) and
        `Object.defineProperty(Duration.prototype, 'ms', {get() {}})` (Duration.ms); a module's own property on
        `exports` by its key (winston's `level`; a compiled re-export's getter is no unit: _reexports); None elsewhere.
        winston's compiled dist/ had 92 methods named `value`, never met by `Logger.child`."""
        obj = node.parent
        if obj is None or obj.type != "object":
            return None
        if obj.parent is not None and obj.parent.type == "pair":  # `defineProperties(styles, {rgbToAnsi256: {value() {}}})`
            return self._described_in_map(obj.parent)
        holder = obj.parent  # an array of descriptors (Babel), or the call's arguments (defineProperty)
        call = holder.parent if holder is not None and holder.type in ("array", "arguments") else None
        if holder is not None and holder.type == "array":
            call = call.parent if call is not None and call.type == "arguments" else None
        if call is None or call.type != "call_expression":
            return None
        callee = _text(call.child_by_field_name("function"), self.src)
        args, owner = self._described_on(call)
        if holder.type == "array" and "createClass" in callee:  # `_createClass`, `(0, _createClass2.default)`
            key = next((p.child_by_field_name("value") for p in obj.named_children if p.type == "pair"
                        and _text(p.child_by_field_name("key"), self.src) == "key"), None)
        elif holder.type == "arguments" and callee.endswith("defineProperty") and len(args) >= 3 and args[2] == obj \
                and owner:
            key = args[1]
        else:
            return None
        name = _string_value(key, self.src) if key is not None else None
        if owner == "exports":  # a module's own property, named as its exports are (winston's `level`: probe 201)
            return name or None
        return (f"{owner}.{name}" if owner else name) if name else None

    def _export_map_entry(self, node: ts.Node, name: str) -> bool:
        """Whether a pair is an entry of a bundler's export map, `__export(target, { name: () => name })` (esbuild's
        CommonJS output): an arrow that returns the identifier its key names, in the object a call of __export is
        given; a unit of it stood before the function itself."""
        value = node.child_by_field_name("value")
        body = value.child_by_field_name("body") if value is not None and value.type == "arrow_function" else None
        if body is None or body.type != "identifier" or _text(body, self.src) != name:
            return False
        args = node.parent.parent if node.parent is not None else None
        call = args.parent if args is not None and args.type == "arguments" else None
        return call is not None and _text(call.child_by_field_name("function"), self.src) == "__export"

    def _reexports(self, node: ts.Node) -> bool:
        """Whether a property descriptor's function on a module's exports only returns a value (tsc's and Babel's
        `Object.defineProperty(exports, "File", {get: function () { return m.File; }})` for every re-export): what it
        returns is defined elsewhere, and the line is module code, no unit named `get` (probe 201)."""
        function = node.child_by_field_name("value") if node.type == "pair" else node
        body = function.child_by_field_name("body") if function is not None else None
        obj = node.parent
        if obj is None or body is None or body.named_child_count != 1 or body.named_children[0].type != "return_statement":
            return False  # (a getter of the module's own, winston's `level`, keeps its unit)
        key = node.child_by_field_name("key" if node.type == "pair" else "name")
        compiled = _text(key, self.src) == "get" and any(  # what the compilers write beside a re-export's getter, in a
            p.type == "pair" and _text(p.child_by_field_name("key"), self.src) == "enumerable"
            and _text(p.child_by_field_name("value"), self.src) in ("true", "!0") for p in obj.named_children)
        if compiled:  # defineProperty of `exports` or `module.exports`, or tsc's `__createBinding` (`desc = {...}`)
            return True
        call = obj.parent.parent if obj.parent is not None else None
        args = call.child_by_field_name("arguments") if call is not None and call.type == "call_expression" else None
        target = _text(args.named_children[0], self.src) if args is not None and args.named_child_count else ""
        return _EXPORTS.fullmatch(target) is not None and "require(" in _text(body.named_children[0], self.src)

    def _described_in_map(self, pair: ts.Node) -> str | None:
        """`styles.rgbToAnsi256` for a descriptor's function under its key in `Object.defineProperties(styles, {...})`
        (chalk's ansi-styles: six converters were named `value`, probe 62); None for any other pair."""
        props = pair.parent
        call = props.parent.parent if props is not None and props.parent is not None else None
        if props is None or props.type != "object" or call is None or call.type != "call_expression":
            return None
        args, owner = self._described_on(call)
        if not _text(call.child_by_field_name("function"), self.src).endswith("defineProperties") or len(args) < 2 \
                or args[1] != props:
            return None
        key = pair.child_by_field_name("key")
        name = (_string_value(key, self.src) or _text(key, self.src)) if key is not None else None
        if not name or owner == "exports":
            return None
        return f"{owner}.{name}" if owner else name

    def _described_on(self, call: ts.Node) -> tuple[list[ts.Node], str]:
        """A descriptor call's arguments and the plain name of the object it describes (`Duration` for
        `Duration.prototype`; "" for `this` or an expression)."""
        args = [a for a in call.child_by_field_name("arguments").named_children if a.type != "comment"]  # type: ignore[union-attr]
        target = _text(args[0], self.src).removesuffix(".prototype") if args else ""
        return args, target if _PLAIN_NAME.fullmatch(target) and target != "this" else ""

    def _default_export_name(self, node: ts.Node) -> str:
        """The name a module's nameless default export is imported by: its file's (`export default (url) => ...` in
        url-to-options.ts is `urlToOptions`; in timed-out/index.ts, `timedOut`), else `default`."""
        parent = node.parent
        while parent is not None and parent.type not in ("export_statement", "program"):
            parent = parent.parent
        if (not self.path or parent is None or parent.type != "export_statement"
                or not any(c.type == "default" for c in parent.children)):
            return "default"
        return self._module_name()

    def _exports_name(self, assignment: ts.Node) -> str | None:
        """The name CommonJS exports a value by (`module.exports = class FixedQueue`, `= function getCallers ()`: its
        own; `exports.parse = ...`: parse; a nameless `module.exports = function (opts)`: its module's, as imported);
        None when the assignment is not to the exports."""
        left, right = assignment.child_by_field_name("left"), assignment.child_by_field_name("right")
        written = self._member_text(left) if left is not None else None
        m = _EXPORTS.match(written) if written else None
        if m is None:
            return None
        own = right.child_by_field_name("name") if right is not None and right.type in _NAMED_VALUES else None
        rest = written[m.end() :].lstrip(".")
        if rest == "default":  # a compiler's `exports.default = function (...)`: as `export default` (async: probe 119)
            rest = ""
        return rest or (_text(own, self.src) if own is not None else self._module_name())

    def _exports_a_wrapper(self, assignment: ts.Node) -> bool:
        """Whether a nameless function assigned to the exports wraps the file and holds its functions (bluebird's
        `module.exports = function(Promise, INTERNAL) {...}` around props.js: one function unit held every function's
        text, first for any question about the file: probe 169)."""
        left, value = assignment.child_by_field_name("left"), _unwrapped(assignment.child_by_field_name("right"))
        if left is None or _text(left, self.src).replace(" ", "") != "module.exports":
            return False  # `exports.handler = async (event) => {...}` is the handler, whatever it holds (review)
        if value is None or value.type not in ("function_expression", "arrow_function") or value.child_by_field_name("name"):
            return False
        if not self._wraps_the_file(assignment.start_point.row + 1, assignment.end_point.row + 1):
            return False
        body = value.child_by_field_name("body")
        held = [c for c in (body.named_children if body is not None else []) if c.type == "function_declaration"]
        return len(held) >= WRAPPED_FUNCTIONS

    def _wraps(self, factory: ts.Node | None) -> None:
        """Note that a function wraps the module: its body's own lines bind names as a file's top level does
        (papaparse's `Papa.unparse = JsonToCsv;` in its UMD factory was no binding: probe 249)."""
        body = factory.child_by_field_name("body") if factory is not None else None
        if body is not None and body.type == "statement_block":
            self.wrapper_bodies.add(body.start_point.row + 1)

    def _class_of_this(self, node: ts.Node, name_node: ts.Node | None) -> ts.Node | None:
        """The class whose constructor or method assigns a function to `this.name` (what a compiler makes of a class
        field: `this.scrollToIndex = (i) => {...}` in dist/), else None."""
        return _class_of(self._method_of_this(node, name_node))

    @staticmethod
    def _method_of_this(node: ts.Node, name_node: ts.Node | None) -> ts.Node | None:
        """The method (or constructor) an assignment to `this.name` is written in, its nearest function; else None."""
        if node.type != "assignment_expression" or name_node is None or name_node.type != "member_expression":
            return None
        obj = name_node.child_by_field_name("object")
        if obj is None or obj.type != "this" or name_node.child_by_field_name("property") is None:
            return None
        cur = node.parent
        while cur is not None and cur.type not in ("method_definition", "function_declaration", "function_expression",
                                                   "arrow_function", "program"):
            cur = cur.parent
        return cur if cur is not None and cur.type == "method_definition" else None

    def _member_text(self, node: ts.Node) -> str | None:
        """A member chain as a reader names it, string keys as members (`webidl.converters['long long']` is
        `webidl.converters.long long`); None with a computed key."""
        if node.type != "subscript_expression":
            return _text(node, self.src)
        obj, index = node.child_by_field_name("object"), node.child_by_field_name("index")
        if obj is None or index is None or index.type != "string":
            return None
        owner, key = self._member_text(obj), _text(index, self.src)[1:-1]
        return None if owner is None or not key.strip() else f"{owner}.{key}"

    def _class_expression_name(self, node: ts.Node) -> str:
        """A class expression's name: its own, else the name it is bound or exported by (`const Queue = class {`,
        `exports.Parser = class {`); '' when it is given to a call."""
        own, parent = node.child_by_field_name("name"), node.parent
        if own is not None:
            return _text(own, self.src)
        if parent is not None and parent.type == "variable_declarator":
            return _text(parent.child_by_field_name("name"), self.src)
        if parent is not None and parent.type == "assignment_expression":
            return self._exports_name(parent) or _text(parent.child_by_field_name("left"), self.src)
        return ""

    def _module_name(self) -> str:
        """The name a module is imported by: its file's, camelCased (an index file's folder's), else `default`."""
        parts = self.path.replace("\\", "/").split("/")
        stem = parts[-1].rsplit(".", 1)[0]  # my.module.ts: my.module
        folders = [p for p in parts[:-1] if p not in MODULE_SOURCE_ROOTS | MODULE_BUILD_ROOTS]
        if stem == "index":  # imported by its folder's name; src/index.ts is the package itself, which has none here
            stem = folders[-1] if folders else ""
        words = [w for w in re.split(r"[\W_]+", stem) if w]
        if not words or not words[0][0].isalpha():
            return "default"
        return words[0] + "".join(w[0].upper() + w[1:] for w in words[1:])  # Button.tsx keeps its capital

    def _make(self, span: "ts.Node | _Range", name: str, qualified: str, kind: str, doc: str) -> Unit | None:
        """A unit of the source a span covers (None when it holds nothing but white space)."""
        end_row = span.end_point.row
        if span.end_point.column == 0 and end_row > span.start_point.row:
            end_row -= 1
        code = self._code(span).replace("\r\n", "\n")
        if not code.strip():
            return None
        return Unit(
            path=self.path,
            language=self.language,
            name=name,
            qualified_name=qualified,
            kind=kind,
            start_line=span.start_point.row + 1,
            end_line=end_row + 1,
            start_col=span.start_point.column + 1,
            docstring=doc,
            code=code,
        )

    def _span(self, node: ts.Node, overloads: bool = True) -> "ts.Node | _Range":
        """Widen a definition to the statement a reader sees: decorators, `const`, `export`.

        Climbs through the spec's `span_parents` unless the parent holds a sibling of the same
        type (`const a = () => 1, b = () => 2` keeps each declarator apart), then takes in the
        spec's `leading_nodes` right before it (a decorator in a class body is a sibling).
        """
        name = node.child_by_field_name("name") if self.spec.overload_nodes and overloads else None
        parent = node.parent
        while parent is not None and parent.type in self.spec.span_parents:
            if any(c.type == node.type and c.id != node.id for c in parent.named_children):
                break
            node, parent = parent, parent.parent
        first = node
        while first.prev_named_sibling is not None and first.prev_named_sibling.type in self.spec.leading_nodes:
            first = first.prev_named_sibling
        if name is not None:
            first = self._overloads_before(first, _text(name, self.src))
        if first.id == node.id:
            return node
        return _Range(first.start_byte, node.end_byte, first.start_point, node.end_point)

    def _overloaded(self, definition: ts.Node) -> bool:
        """A signature without a body that an implementation or another signature of its name follows: one overload,
        whose unit is the last of them (its span reaches back over the others: _overloads_before)."""
        if definition.type not in self.spec.overload_nodes or (label := definition.child_by_field_name("name")) is None:
            return False
        node = definition  # out of what only wraps it (`export`, `declare`)
        while node.parent is not None and node.parent.parent is not None and node.parent.named_child_count == 1:
            node = node.parent
        after = node.next_named_sibling
        while after is not None and after.type in self.spec.comment_nodes:
            after = after.next_named_sibling
        while after is not None and after.child_by_field_name("name") is None and after.named_child_count == 1:
            after = after.named_children[0]
        if after is None or (after.type not in self.spec.overload_nodes and after.type not in _FUNCTION_DECLARATIONS):
            return False  # `declare namespace make {...}` after `declare function make()` merges with it (review)
        name = after.child_by_field_name("name")
        return name is not None and _text(name, self.src) == _text(label, self.src)

    def _overloads_before(self, first: ts.Node, name: str) -> ts.Node:
        """The first of the overload signatures of name right before a definition (TypeScript's `function add(a:
        number): number;` lines, each perhaps under its doc comment), or the definition's own first node: the
        signatures and the doc above them belong to the implementation (true-myth's 33 overloaded functions had no
        doc, their docs and signatures left to module pieces that outranked them)."""
        node = first.prev_named_sibling
        while node is not None:
            signature = node  # out of what wraps it, however deep (`export declare function`, tsc's .d.ts: probe 199)
            while signature.type in self.spec.span_parents and signature.named_child_count:
                inner = next((c for c in signature.named_children
                              if c.type in self.spec.overload_nodes or c.type in self.spec.span_parents), None)
                if inner is None:
                    break
                signature = inner
            if signature.type in self.spec.comment_nodes:
                node = node.prev_named_sibling
                continue
            label = signature.child_by_field_name("name") if signature.type in self.spec.overload_nodes else None
            if label is None or _text(label, self.src) != name:
                break
            first, node = node, node.prev_named_sibling
        return first

    def _scopes(self, node: ts.Node) -> tuple[list[str], bool, bool]:
        """Names of enclosing scopes, outermost first; whether in `class << self`; whether the
        nearest scope is a class."""
        table = self.spec.scopes
        names: list[str] = []
        singleton = False
        nearest: str | None = None
        cur = node.parent
        for _ in range(MAX_SCOPE_STEPS):  # each step costs tree-sitter a walk from the root
            if cur is None:
                break
            role = table.get(cur.type)
            if role == "singleton":
                singleton = True
                nearest = nearest or "class"
                value = cur.child_by_field_name("value")
                if value is not None and value.type != "self":  # `class << MIME::Types`: that class's own methods
                    names.append(_text(value, self.src))
            elif role == "binding":
                label = self._binding_name(cur)
                method = self._method_of_this(cur, cur.child_by_field_name("left")) if label else None
                if method is not None and _class_of(method) is not None:
                    # `this._config = {get: () => ...}` in a class's constructor: the class's member `_config`, as
                    # `this.handler = () => ...` is its method, not `Command.constructor.this._config` (probe 162)
                    names.append(label.removeprefix("this."))
                    cur = method  # its scope left out
                elif label:
                    names.append(label)
            elif role is not None:
                field = cur.child_by_field_name("name")
                label = _text(field, self.src) if field is not None else (
                    self._class_expression_name(cur) if cur.type == "class" else "")
                if label:
                    names.append(label)
                nearest = nearest or role
            cur = cur.parent
        names.reverse()
        return _without_repeats(names), singleton, nearest == "class"

    def _binding_name(self, node: ts.Node) -> str:
        """Name a JS binding that holds functions or objects (`const api = {...}`), or the result of a call
        given them (`const fetchUser = createAsyncThunk(..., async () => {...})`, `const slice = createSlice({...})`)."""
        if node.type == "variable_declarator":
            value, name = _unwrapped(node.child_by_field_name("value")), node.child_by_field_name("name")
            if self.spec.anonymous_class_values:  # a field holding an anonymous class: `ALL = new Filter() {...}`
                body = value is not None and value.type in self.spec.anonymous_class_values and any(
                    c.type == "class_body" for c in value.children)
                return _text(name, self.src) if body else ""
            if value is not None and value.type == "class":
                return ""  # the class names itself (_class_expression_name), once
            if value is not None and value.type in ("object", "arrow_function", "function_expression"):
                return _text(name, self.src)
            if name is not None and name.type == "identifier" and _names_its_call(node, value):
                return _text(name, self.src)
        elif node.type in _FIELDS:  # a class field: what its value does is it
            value = node.child_by_field_name("value")
            name = node.child_by_field_name("property") or node.child_by_field_name("name")
            if value is not None and name is not None and value.type in _FIELD_VALUES:
                return _text(name, self.src)
        elif node.type == "pair":
            value = _unwrapped(node.child_by_field_name("value"))
            if value is not None and value.type in ("object", "arrow_function", "function_expression"):
                return _text(node.child_by_field_name("key"), self.src).strip("'\"`")
        elif node.type == "assignment":  # Ruby's `Point = Struct.new(:x, :y) do ... end`: a type made by a call
            left, right = node.child_by_field_name("left"), node.child_by_field_name("right")
            if left is not None and left.type == "constant" and _chain_has_block(right):
                return _text(left, self.src)
        elif node.type == "assignment_expression":
            right = _unwrapped(node.child_by_field_name("right"))
            if right is not None and right.type == "class":
                return ""  # the class names itself (_class_expression_name), once
            holds = right is not None and right.type in ("object", "arrow_function", "function_expression")
            if holds or _names_its_call(node, right):
                return self._exports_name(node) or _text(node.child_by_field_name("left"), self.src)
        return ""

    def _kind(self, node: ts.Node, kind: str, name: str, in_class: bool) -> str:
        if kind == "type":
            return kind
        if kind == "constructor" or name in self.spec.constructors and (in_class or kind == "method"):
            return "constructor" if (in_class or not self.spec.method_by_scope) else kind
        if self.spec.method_by_scope:
            return "method" if in_class else "function"
        return kind

    def _qualify(self, node: ts.Node, scopes: list[str], name: str, singleton: bool, kind: str) -> str:
        names = self.spec.qualified
        if kind == "type":
            return names.scope.join(self._namespace(node) + scopes + [name])
        if names.style == "receiver":
            if node.type == "method_declaration":
                receiver = _text(node.child_by_field_name("receiver"), self.src)
                match = re.search(r"\*?\s*([A-Za-z_]\w*)\s*(?:\[[^\]]*\])?\s*\)\s*$", receiver)
                if match:
                    return f"{match.group(1)}{names.member}{name}"
            return name
        if names.style == "instance-singleton":
            owner = node.child_by_field_name("object") if node.type == "singleton_method" else None
            if owner is not None and owner.type in ("identifier", "instance_variable"):  # `def obj.meth` in a method
                return f"{_text(owner, self.src)}.{name}"  # is obj's, not the class's (Haml's Template#setup)
            if not scopes:
                return name
            class_level = singleton or node.type == "singleton_method" or self._made_class_level(node, name)
            sep = names.singleton if class_level else names.member
            return names.scope.join(scopes) + sep + name
        if names.style == "namespace-member":
            parts = self._namespace(node) + scopes
            if not scopes:
                return names.scope.join(parts + [name])
            return names.scope.join(parts) + names.member + name
        return names.scope.join(scopes + [name])

    def _made_class_level(self, node: ts.Node, name: str) -> bool:
        """Whether a call makes a method class-level: `module_function def x`, `module_function :x` anywhere in its
        body, or a bare `module_function` above it with no visibility call between (pastel's `Util.strip`: probe 189)."""
        call = self.spec.class_level_call
        parent = node.parent
        if not call or parent is None:
            return False
        if parent.type == "argument_list" and parent.parent is not None:
            return _text(parent.parent.child_by_field_name("method"), self.src) == call
        if parent.id not in self._class_level:
            self._class_level[parent.id] = self._class_level_calls(parent)
        named, modes = self._class_level[parent.id]
        before = [bare for at, bare in modes if at < node.start_byte]
        return name in named or bool(before and before[-1])

    def _class_level_calls(self, body: ts.Node) -> tuple[set[str], list[tuple[int, bool]]]:
        """A body's names given to the class-level call, and where it and the visibility calls stand bare (whether
        each is it), in order."""
        call, named, modes = self.spec.class_level_call, set(), []
        for child in body.named_children:
            if child.type == "call" and _text(child.child_by_field_name("method"), self.src) == call:
                args = child.child_by_field_name("arguments")
                named.update(_text(a, self.src).lstrip(":") for a in (args.named_children if args else []))
            elif child.type == "identifier" and _text(child, self.src) in (call, *self.spec.visibility_calls):
                modes.append((child.start_byte, _text(child, self.src) == call))
        return named, modes

    def _namespace(self, node: ts.Node) -> list[str]:
        """The PHP namespace a node is declared in, as a one-item list (else empty)."""
        ns = ""
        for start, ns_name in self._namespaces:
            if start <= node.start_byte:
                ns = ns_name
        return [ns] if ns else []

    def _doc_of(self, node: ts.Node, span: "ts.Node | _Range") -> str:
        """A function's doc: its docstring where the language writes docs so, else (or without one) the comment block
        right above it (h11 documents `is_next_line_obviously_invalid_request_line` and many more in `#` lines above
        the `def`, whose words reached only the class around it: probe 121)."""
        if self.spec.doc_rule != "docstring":
            return self._doc_above(span)
        return self._python_docstring(node) or self._doc_above(span)

    def _python_docstring(self, node: ts.Node) -> str:
        body = node.child_by_field_name("body")
        if body is None or body.named_child_count == 0:
            return ""
        first = body.named_children[0]
        if first.type != "expression_statement" or first.named_child_count == 0:
            return ""
        string = first.named_children[0]
        if string.type != "string":
            return ""
        content = "".join(_text(c, self.src) for c in string.named_children if c.type == "string_content")
        return inspect.cleandoc(content.replace("\r\n", "\n")).strip()

    def _line_end(self, row: int) -> int:
        """The byte where a row (0-based) of the source ends (its newline included)."""
        return self._line_starts[row + 1] if row + 1 < len(self._line_starts) else len(self.src)

    def _blank(self, row: int) -> bool:
        """Whether a row (0-based) of the source holds nothing but white space."""
        return not self.src[self._line_starts[row] : self._line_end(row)].strip()

    def _line_comments_above(self, blank: int) -> int:
        """How many line comments run up from the line above the blank line blank, none when they open the file (its
        header) or say what a file's header does."""
        row, lines = blank - 1, []
        while row in self._comments and self._comments[row].start_point.row == row == self._comments[row].end_point.row:
            lines.append(_text(self._comments[row], self.src))
            row -= 1
        opens_file = row < 0 or all(self._blank(r) for r in range(row + 1))
        top = next((line for line in reversed(lines) if any(ch.isalpha() for ch in line)), "")  # its first words:
        no_doc = _NO_DOC.match(top.lstrip("#/ ")) or any(_banner(line) for line in lines)  # a `# *NOTE*:` further
        # down is the doc's (net-http-persistent's `shutdown` lost its doc by one: probe 142)
        head = "\n".join(list(reversed(lines))[:HEADER_LINES])  # a header says so at its top, not an example's
        return 0 if opens_file or FILE_HEADER.search(head) or no_doc else len(lines)  # `program :help, 'Copyright',
        # ...` in Runner#program's 30-line doc (commander: probe 173)

    def _doc_over_a_note(self, top: ts.Node) -> list[ts.Node]:
        """The `/** */` doc one blank line above a block of `//` notes (top: its first), else []: @tanstack/db's
        `/** ... */`, a blank line, `// Overload for when schema is provided`, then the overloads: the note was the
        function's doc and the doc a module piece (probe 205); a file's header is none."""
        if _a_block(top, self.src):
            return []
        row = top.start_point.row - 1
        above = self._comments.get(row - 1) if row >= 1 and self._blank(row) else None
        if above is None or above.start_point.row == 0:
            return []
        text = _text(above, self.src)
        return [above] if text.startswith("/**") and not FILE_HEADER.search(text) else []

    def _doc_above(self, span: ts.Node, doc_only: bool = False) -> str:
        """The comment block that ends on the line right above the definition, or a `/** ... */` doc comment one
        blank line above it (the express and jshttp style: body-parser's every function lost its doc); not a file's
        header (a licence, a module's overview). doc_only: a block opening with `/**` only, else none."""
        row = span.start_point.row - 1
        while row in self._comments and DIRECTIVE.match(_text(self._comments[row], self.src)):
            row = self._comments[row].start_point.row - 1  # `// eslint-disable-next-line` right above: the doc above it
        if row not in self._comments and row >= 1 and self._blank(row) and row - 1 in self._comments:
            above = self._comments[row - 1]
            text = _text(above, self.src)
            if text.startswith("/**") and above.start_point.row > 0 and not FILE_HEADER.search(text):
                row -= 1
            elif self.spec.doc_over_blank and self._line_comments_above(row) >= 2:
                row -= 1
        block: list[ts.Node] = []
        while row in self._comments:
            comment = self._comments[row]
            text = _text(comment, self.src)
            if DIRECTIVE.match(text):  # a tool's directive between the doc and the definition says nothing of it
                row = comment.start_point.row - 1
                continue
            is_block = _a_block(comment, self.src)
            if is_block and block and not (text.startswith("/**") and (doc_only or not FILE_HEADER.search(text))):
                break  # a `/** */` doc right above a maintainer's `//` note is still the doc (true-myth: probe 176)
            block.append(comment)
            if is_block:
                break
            row = comment.start_point.row - 1
        if not block:
            return ""
        block += self._doc_over_a_note(block[-1])
        block.reverse()
        first, opens_with_block = _text(block[0], self.src), _a_block(block[0], self.src)
        if (doc_only or self.spec.doc_rule == "doc-comment-above") and not first.startswith("/**"):
            return ""
        pieces = [_clean_comment("\n".join(_text(c, self.src) for c in run)) for run in _runs(block, self.src)]
        if opens_with_block:  # a `/** */` doc's `//` notes below it: kept unless disabled code
            pieces = pieces[:1] + [p for p in pieces[1:] if not _commented_out_code(p)]  # (a `/** */` doc shows usage)
        doc = _past_credits("\n".join(p for p in pieces if p))  # each run cleaned of its own marks (review)
        if not doc or block[0].start_point.row == 0 and FILE_HEADER.search(doc) or (
                not opens_with_block and _commented_out_code(doc)):
            return ""  # kleur's `// Originally by: ...` on line 1 (probe 90), table-core's disabled code (probe 93)
        return doc


def _runs(block: list[ts.Node], src: bytes) -> list[list[ts.Node]]:
    """A doc's comments in runs of one style: a block comment alone, consecutive line comments together."""
    runs: list[list[ts.Node]] = []
    for comment in block:
        if runs and not _a_block(comment, src) and not _a_block(runs[-1][-1], src):
            runs[-1].append(comment)
        else:
            runs.append([comment])
    return runs


def _a_block(comment: ts.Node, src: bytes) -> bool:
    """Whether a comment is a block comment (`/* */`, Ruby's `=begin`), not a line's."""
    return _text(comment, src).startswith(("/*", "=begin"))


_LETTER = re.compile(r"[^\W_]")
_RULE = re.compile(r"[-=#*~_]{3}")


def _banner(line: str) -> bool:
    """A section's banner line (`# -------`, `// ====`): a rule of marks and no letter or digit (no regular expression
    that could backtrack on a 2,000-character rule: review)."""
    return not _LETTER.search(line) and bool(_RULE.search(line))


# a line crediting copied code: a copyright with its year or sign, a licence identifier, the file it was taken from
_CREDIT = re.compile(r"^\s*copyright\s+(?:\(c\)|©|\d{4})|^\s*SPDX-License-Identifier:|"
                     r"^(?:taken |copied |adapted )?from \S+/\S+\.\w+$", re.IGNORECASE)


def _past_credits(doc: str) -> str:
    """A doc comment without its banner lines and the credits for copied code it opens with (PyYAML's `warnings` was
    summed up as "-----", cast's `indirect` as "From html/template/content.go", then Go's copyright: probe 124); a
    credit further down, or an `@copyright` tag, stays (a PHP docblock lost all but its `@license`: review)."""
    lines = [line for line in doc.split("\n") if not _banner(line)]
    first = next((i for i, line in enumerate(lines) if line.strip() and not _CREDIT.search(line)), len(lines))
    return "\n".join(lines[first:]).strip()


# a comment block a blank line above a definition that is none of its doc: a section's banner (`# -----`), a note to
# the team (`# TODO: ...`) (review)
_NO_DOC = re.compile(r"^\W*(?:TODO|FIXME|XXX|HACK|NOTE)\b", re.MULTILINE)
# a line of code as a comment holds it when disabled: it ends as a statement or a bracket does, or opens a block
# a line plainly a statement: a declaration with its value, or one ended by `;` (words about code end otherwise)
_STATEMENT = re.compile(r"\s*(?:(?:const|let|var)\s+[\w$]+\s*[:=].*|[^\s].*;)\s*$")
_CODE_LINE = re.compile(r"(?:;|[{}],?|\w\([^()]*\)|=>\s*\{?)\s*$|^\s*[})\]]|^\s*(?:const|let|var|return|if|for|while)\b.*[=({]")


def _commented_out_code(doc: str) -> bool:
    """True for a comment block that is code switched off, not words about the code below (table-core's 55 lines of
    a disabled `addRange` became a one-liner's doc, which then came first for two questions: probe 93): its first
    line and most of its lines, at least three, read as code (Rails' docs open in words, then show examples)."""
    lines = [line for line in doc.split("\n") if line.strip()]
    if 0 < len(lines) < 3 and all(_STATEMENT.match(line) for line in lines):  # `// const tagsPattern = new RegExp(..);`
        return True  # above fast-xml-parser's validate (probe 155): a statement or two switched off
    code = sum(1 for line in lines if _CODE_LINE.search(line) and "{@" not in line)  # javadoc's {@code x} is words
    return (code >= 3 and code >= 0.6 * len(lines) and bool(_CODE_LINE.search(lines[0]))  # a doc opens in words
            and not lines[0].lstrip().startswith("@"))  # or a tag (`@typedef {Node & {`)

_FIELDS = ("field_definition", "public_field_definition")  # a JS and a TS class field
_PLAIN_NAME = re.compile(r"[A-Za-z_$][\w$]*")  # a binding's name that names a function (not `module.exports`)
_FUNCTION_DECLARATIONS = ("function_declaration", "generator_function_declaration")  # an overload's implementation
_FIELD_VALUES = ("object", "arrow_function", "function_expression", "call_expression", "new_expression")
_EXPORTS = re.compile(r"(?:module\.exports|exports)(?=\.|$)")  # CommonJS: what a module exports, as assigned
_LITERAL_NAME = re.compile(r"string|symbol|regex|^constant$|^scope_resolution$")  # node types of an argument that
# names a block (its call site): a regex too (rouge's `rule %r/[^#]*$/ do`, twenty of them all `rule()`: probe 192;
# Sinatra's `get %r{/x} do`), a Ruby constant (RSpec's `describe Cart do`, `RSpec.describe Billing::Invoice do`)


def _invoked_function(call: ts.Node) -> ts.Node | None:
    """The function a call invokes where it is written (`(function () {...}())`, `(() => {...})()`), else None."""
    callee = call.child_by_field_name("function")
    while callee is not None and callee.type == "parenthesized_expression" and callee.named_child_count == 1:
        callee = callee.named_children[0]
    return callee if callee is not None and callee.type in ("function_expression", "arrow_function", "function") else None


_MODULE_DEFINERS = frozenset({"define", "require"})  # AMD's calls that take a module's factory


def _wrapper_call(call: ts.Node, src: bytes) -> bool:
    """Whether a call wraps a module: it invokes a function where it is written (an IIFE, a UMD wrapper) or is AMD's
    `define`/`require` (not a test suite's `describe(Foo, ...)`, however much of the file it holds: review)."""
    callee = call.child_by_field_name("function")
    return _invoked_function(call) is not None or (callee is not None and _text(callee, src) in _MODULE_DEFINERS)


def _invoked_at_once(call: ts.Node, block: ts.Node) -> bool:
    """Whether a call invokes the function it is written around: the block is that function."""
    invoked = _invoked_function(call)
    return invoked is not None and invoked.id == block.id


def _chain_top(call: ts.Node) -> ts.Node:
    """The last call of a Ruby method chain a call starts (`{...}.each { }.freeze` from the `each`); the call itself
    elsewhere."""
    node = call
    while node.parent is not None and node.parent.type == "call" and node.parent.child_by_field_name("receiver") == node:
        node = node.parent
    return node


def _chain_has_block(node: ts.Node | None) -> bool:
    """Whether a Ruby call, or a call it is chained on (`Struct.new do ... end`, `{...}.each { }.freeze`), takes a
    block: a value made by a call with a block."""
    while node is not None and node.type == "call":
        if node.child_by_field_name("block") is not None:
            return True
        node = node.child_by_field_name("receiver")
    return False


_DESCRIPTOR_KEYS = frozenset({"value", "get", "set"})  # a property descriptor's functions (Parser._described)


_PLAIN_NAME = re.compile(r"[A-Za-z_$][\w$]*")


def _string_value(node: ts.Node, src: bytes) -> str | None:
    """A string literal's text without its quotes, when it is one plain name (`"child"`, `'Console'`)."""
    if node.type != "string":
        return None
    value = _text(node, src)[1:-1]
    return value if _PLAIN_NAME.fullmatch(value) else None


_NAMED_VALUES = ("class", "function_expression", "function", "generator_function")  # values that may name themselves


def _without_repeats(names: list[str]) -> list[str]:
    """Scope names with a qualified one's leading part that repeats the scopes around it left out (`module MIME` then
    `class << MIME::Types`: MIME, Types)."""
    out: list[str] = []
    for name in names:
        parts = name.split("::")
        overlap = next((k for k in range(min(len(out), len(parts) - 1), 0, -1) if out[-k:] == parts[:k]), 0)
        out.append("::".join(parts[overlap:]))
    return out


# what only types or groups a value (`{...} as const`, `{...} satisfies T`, `(...)`, `x!`): the value is what it wraps
_WRAPPERS = frozenset({"as_expression", "satisfies_expression", "parenthesized_expression", "non_null_expression"})


def _unwrapped(node: ts.Node | None) -> ts.Node | None:
    """The value a type assertion or parentheses wrap (mobx's `const niceErrors = {...} as const` named its members
    `1`, `17` instead of `niceErrors.1`: probe 96)."""
    while node is not None and node.type in _WRAPPERS and node.named_children:
        node = node.named_children[0]
    return node


def _names_its_call(binding: ts.Node, value: ts.Node | None) -> bool:
    """True for a module-level JS binding to a call given functions (`const fetchUser = createAsyncThunk(..., () =>
    {...})`): the binding names them. Not a local variable (`const p = new Promise(...)` inside a function names
    nothing a reader looks for), nor an immediately invoked function (`const api = (() => {...})()`)."""
    if value is None or value.type not in _BOUND_CALLS:
        return False
    callee = value.child_by_field_name("function") or value.child_by_field_name("constructor")
    if callee is None or callee.type in ("parenthesized_expression", "arrow_function", "function_expression"):
        return False
    statement = binding.parent
    while statement is not None and statement.type in ("variable_declaration", "lexical_declaration", "expression_statement"):
        statement = statement.parent
    if statement is not None and statement.type == "export_statement":
        statement = statement.parent
    return statement is not None and statement.type == "program"


class _Ranges:
    """Line ranges of the functions, to ask whether a type or block lies inside one."""

    def __init__(self, ranges: list[tuple[int, int]]) -> None:
        self.ranges = ranges

    def holds(self, first: int, last: int) -> bool:
        return any(a <= first and last <= b and (a, b) != (first, last) for a, b in self.ranges)


def _stem(path: str) -> str:
    """A file's name without folders or extension (`user.service.ts`: user.service; `mime-types-3.4.1.gemspec`:
    mime-types-3.4.1; `index.d.ts`: index): what names its module-level code."""
    name = path.replace("\\", "/").rsplit("/", 1)[-1]
    stem = name.rsplit(".", 1)[0] if "." in name[1:] else name
    return stem.removesuffix(".d") or name or "module"


@dataclass(frozen=True)
class _Range:
    """A stretch of source from one node's start to another's end, read like a node."""

    start_byte: int
    end_byte: int
    start_point: ts.Point
    end_point: ts.Point


def _shallow(found: list[tuple[ts.Node, ts.Node | None, str]]) -> list[tuple[ts.Node, ts.Node | None, str]]:
    """Definitions nested at most MAX_NESTING deep in other definitions (by byte ranges, no parents).

    Real code nests a few levels; a file nesting thousands would cost time cubic in its depth.
    """
    kept, stack = [], []  # stack: end bytes of the definitions enclosing the current one
    for item in sorted(found, key=lambda f: (f[0].start_byte, -f[0].end_byte)):
        node = item[0]
        while stack and stack[-1] <= node.start_byte:
            stack.pop()
        if len(stack) < MAX_NESTING:
            kept.append(item)
        stack.append(node.end_byte)
    return kept


def parse_source(source: bytes, language: str, path: str = "") -> list[Unit]:
    """Units of one file's bytes, covering every line; syntax errors yield whatever tree-sitter recovers."""
    parser = _FileParser(source, language, path)
    stem = _stem(path)
    folders = path.replace("\\", "/").split("/")[:-1]
    if stem == "__init__" and folders:
        stem = folders[-1]  # a package's module is imported by its folder's name: toolz/curried/__init__.py is `curried`
    elif stem == "index" and parser.spec.bindings and not re.search(r"\.d\.[cm]?ts$", path):
        named = parser._module_name()  # so is an index: dayjs' esm/plugin/minMax/index.js is `minMax`
        stem = stem if named == "default" else named
    units = parser.units() if not _broken(parser.tree.root_node) else _units_by_statement(parser)
    return complete(_named_in_docs(units, parser.text_lines()), parser.text_lines(), path, language, stem,
                    parser.wrapper_bodies)


_DOC_BLOCK = re.compile(r"/\*\*(.*?)\*/", re.DOTALL)
_DOC_NAMES = re.compile(r"@(?:name|function|method)\s+([A-Za-z_$][\w$]*)")  # JSDoc's tags that name what is documented


def _named_in_docs(units: list[Unit], lines: list[str]) -> list[Unit]:
    """Functions without a doc given the doc block of their file that names them (`@name retry`: async's JSDoc sat
    above two constants, which held it as module code, and `retry` had none: probe 159)."""
    bare = {u.name for u in units if not u.docstring and u.kind in ("function", "method")}
    text = "\n".join(lines) if bare else ""
    if not bare or not any(tag in text for tag in ("@name", "@function", "@method")):
        return units
    docs: dict[str, str] = {}
    for block in _DOC_BLOCK.finditer(text):
        named = _DOC_NAMES.search(block.group(1))
        if named and named.group(1) in bare:
            docs.setdefault(named.group(1), _clean_comment(block.group(0)))
    return [replace(u, docstring=docs[u.name]) if not u.docstring and u.name in docs and u.kind in ("function", "method")
            else u for u in units]


BROKEN_SHARE, BROKEN_MIN_LINES = 0.25, 10  # syntax errors at a file's top over this share of it, and lines: read by part


def _broken(root: ts.Node) -> bool:
    """Whether the grammar lost the file's top: the root is an error, or errors right under it hold a quarter of its
    lines (tree-sitter-typescript reads an interface's call signatures without semicolons as type arguments, and
    reselect's 494-line createSelectorCreator.ts became module code, its two functions gone: probe 129)."""
    lines = root.end_point.row + 1
    lost = lines if root.type == "ERROR" else sum(
        c.end_point.row - c.start_point.row + 1 for c in root.children if c.type == "ERROR")
    return lost >= BROKEN_MIN_LINES and lost >= BROKEN_SHARE * lines


def _units_by_statement(parser: _FileParser) -> list[Unit]:
    """A broken file's units, each part that opens at its top level parsed alone and moved to its lines: an error costs
    its own part, not the file."""
    rows = parser._original.split(b"\n")  # as the file holds it: each part ends its own signatures' lines (review)
    out: list[Unit] = []
    for first, last in _top_level_parts(rows):
        alone = _FileParser(b"\n".join(rows[first : last + 1]), parser.language, parser.path)
        out += [replace(u, start_line=u.start_line + first, end_line=u.end_line + first) for u in alone.units()]
    return out


def _top_level_parts(rows: list[bytes]) -> list[tuple[int, int]]:
    """Rows (first, last) of the parts of a file, each opening at a line with no indent that opens a statement, below a
    blank line or one that ends something (a closing brace, a body's last line); a doc comment, a decorator, the lines
    of a run of declarations stay with what they sit on."""
    text = [row.decode("utf-8", "replace") for row in rows]
    starts = [i for i, line in enumerate(text) if OPENS_STATEMENT.match(line)
              and (i == 0 or not text[i - 1].strip() or not (OPENS_STATEMENT.match(text[i - 1])
                                                             or _comment_or_its_end(text[i - 1].strip())))]
    starts = starts if starts and starts[0] == 0 else [0, *starts]
    return [(a, b - 1) for a, b in zip(starts, [*starts[1:], len(rows)])]


def _comment_or_its_end(line: str) -> bool:
    """A stripped line of a comment: what sits below it is what it speaks of."""
    return line.startswith(("//", "#", "/*", "*", "--")) or line.endswith("*/")


_BRACED = re.compile(r"\{[^{}]*\}")  # a brace block holding no other (the inner ones are emptied first)


def _class_of(method: ts.Node | None) -> ts.Node | None:
    """The class a method_definition is written in, else None."""
    body = method.parent if method is not None else None
    owner = body.parent if body is not None else None
    return owner if owner is not None and owner.type in ("class_declaration", "class", "abstract_class_declaration") else None


def _without_arguments(callee: str) -> str:
    """A callee with the arguments of the calls before it left out: a chain is named by its steps (`program.name()
    .option().option().action`), not by the tail of an option's help text (nunjucks' precompile block was
    `…ustom" will load a module named "nunjucks-custom")') .action()`: probe 132), spaces about its dots left out
    (Ruby's `paths.\n  map { ... }.\n  find` was `paths. map { … }. find()`: probe 168)."""
    named = re.sub(r"\s+(?=\.)|(?<=\.)\s+", "", calls_emptied(callee))
    if "{" not in named:
        return named
    while (emptied := _BRACED.sub("\x00", named)) != named:  # a step's block as `{…}`, not its source (httparty's
        named = emptied  # `Array().sort_by { |a| a[0].to_s }.map()`: probe 171), nested ones from the inside out
    return named.replace("\x00", "{…}")


def _plain_name(name: str) -> str:
    """A definition's name as a reader calls it: a JavaScript string or computed key without its quotes and
    brackets (`["computed"]()` -> computed, `[Symbol.iterator]()` -> Symbol.iterator); Ruby's operator methods
    kept as written (`def []`, `def []=`: `Context#[]`, not a made-up `default`)."""
    name = name.strip("'\"`")
    if len(name) > 2 and name.startswith("[") and name.endswith("]"):
        name = name[1:-1].strip()
        if name.startswith("(") and name.endswith(")"):  # tsc's private fields: `[(_A_x = new WeakMap(), kCopy)]`
            name = name[1:-1].rsplit(",", 1)[-1].strip()  # is kCopy, the comma expression's value
        name = name.strip("'\"`")
    return name or "default"
