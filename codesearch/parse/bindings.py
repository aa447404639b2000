"""The names a module or a type binds at its own level: constants, variables, fields, enum members.

A function is found by its name because it is a unit of that name. A constant is not a unit: it lives in
a module piece named after its file (`DEFAULT_REDIRECT_LIMIT = 30` in models.py, `export const
asyncScheduler = new AsyncScheduler(...)` in async.ts) or in its class's type unit (`INDEX_NOT_FOUND`
in StringUtils). So that a user who types such a name lands where it is bound, the parser lists each
module piece's and type's bindings (name, lines, statement) once, when the file is read, and the catalog
keeps them for the identifier lookup.

A binding is a line of the language's `bind_lines` (any own line) or `member_lines` (a type's own lines)
(codesearch/languages.py), read only at the unit's own level: a file's top-level lines (and a Go
`const (...)`/`var (...)` group's), a type's body; never a function's body (the caller leaves definitions
out), a call's arguments, an object literal's keys, a string or a comment.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from functools import lru_cache

from codesearch.languages import BY_NAME, LanguageSpec

BINDING_KINDS = ("module", "type")  # the unit kinds whose own lines bind names (others are named themselves)
SPAN_LINES = 40  # how far a binding's statement is followed to where its brackets close
MAX_BINDINGS = 500  # per type, or per file's module code: a generated table of thousands is found by its words
_OPENERS = {"(": ")", "[": "]", "{": "}"}
# a type's arguments in a TypeScript binding (`Required<`, `Map<string, Array<number>>`): a `<` right after a name, a
# `>` that is no arrow's or comparison's (`=>`, `>=`, `a > b` spaced as a formatter writes it)
_TYPE_OPENS = re.compile(r"(?<=[\w$])<(?![=<])")
_TYPE_CLOSES = re.compile(r"(?<![=\s-])>(?!=)|^\s*>")
# a binding's first line up to its value's `=` (an arrow's `=>` is the type's): its name and type; a later line's type
_ANNOTATION = re.compile(r"(?:[^:=]*:(?:[^=]|=>)*)?")
_TYPE_PART = re.compile(r"(?:[^=]|=>)*")
_OPENS_AT_END = re.compile(r"[\w$]<\s*$")
_ANY_BRACKET = re.compile(r"[()\[\]{}]")
_STRINGS = re.compile(r'"(?:\\.|[^"\\])*"|\'(?:\\.|[^\'\\])*\'|`[^`]*`')
_GO_GROUP = re.compile(r"(?:const|var)\s*\(\s*(?://.*)?")
_DECLARE = re.compile(r"(?:export\s+)?declare\s+(?:module|global|namespace)\b")
# a statement a module's top level starts with: after it, brackets a misread line left open are forgotten
_STATEMENT = re.compile(r"(?:export|const|let|var|import|function|class|interface|type|enum|declare|def|async|"
                        r"func|package|define|module|require|use|namespace|public|private|protected|final|abstract|"
                        r"[A-Z][A-Za-z0-9_]*\s*=)\b")
_REGEX_LITERAL = re.compile(r"(?<=[=(,:!&|?{};])\s*/(?![/*])(?:\\.|\[(?:\\.|[^\]\n])*\]|[^/\\\n\[])+/[a-z]*")
_CHAIN = re.compile(r"(?:[A-Za-z_]\w*(?:\s*,\s*[A-Za-z_]\w*)*\s*=(?!=)\s*)+")  # `A = B = `, `A, B = `
_NAME = re.compile(r"[A-Za-z_]\w*")
# Go's `X, Y int`, `var a, b = 1, 2`: names listed with one type or value
_LISTED = re.compile(r"(?:(?:const|var)\s+)?([A-Za-z_]\w*(?:\s*,\s*[A-Za-z_]\w*)+)(?:\s+[\w.*\[<]|\s*=(?!=))")
# Ruby's attributes and delegated methods, every name (`def_delegators :@h, :[], :to_h`: the names past the field)
_ATTRIBUTES = re.compile(r"(?:attr_(?:accessor|reader|writer)|def_delegators\s*\(?\s*:?@*\w+\s*,|delegate\b)\s*\(?"
                         r"\s*((?::\W*\w*[?!=]?\s*,?\s*)+)")
_SYMBOL = re.compile(r":(\w+)")
# an enum's constants on one line, with their arguments (`ABOR, ACCT;`, jsoup's `GET(false), POST(true);`, `ascii, utf;`)
_CONSTANTS = re.compile(r"([A-Za-z_]\w*(?:\s*\([^()]*\))?(?:\s*,\s*[A-Za-z_]\w*(?:\s*\([^()]*\))?)+)\s*[,;]?\s*(?://.*)?")
_ARGUMENTS = re.compile(r"\([^()]*\)")
_ENUM = re.compile(r"\benum\b")  # a type's first line declaring an enum
_PARENTHESISED = re.compile(r"^[(\[]\s*([A-Za-z_]\w*(?:\s*,\s*[A-Za-z_]\w*)*)\s*,?\s*[)\]]\s*=(?!=)")
TEXT_CHARS = 2000  # of a binding's statement kept to show (a minified file's one line is not copied whole)
_KEYWORDS = frozenset({"package", "import", "return", "type", "func", "new", "else", "case", "default", "class",
                       "interface", "enum", "struct", "public", "private", "protected", "static", "final", "export",
                       "if", "for", "while", "do", "def", "end", "module", "function", "throw", "yield", "self", "this",
                       "try", "except", "finally", "with", "elif", "unless", "until", "begin", "rescue", "ensure",
                       # the declaring words themselves: Go's `var private = table{...}` bound `var` (probe 139)
                       "var", "let", "const", "val"})

# a keyword written as a key or a field (`type: string`, `end?: number` in a TypeScript type, `default: 1` in an
# object): a name there, whatever else it is (cosmiconfig's LexToken lost `type`: probe 152); not a clause of a block
_KEYED = re.compile(r"\??\s*:(?!:)")
_CLAUSES = frozenset({"else", "try", "finally", "except", "elif", "do", "begin", "rescue", "ensure"})

Binding = tuple[str, int, int, int, str]  # (name, first line, last line, column, the statement, first line unindented)


@lru_cache(maxsize=None)
def _patterns(language: str, kind: str) -> tuple[re.Pattern, ...]:
    """The compiled binding lines of a language for a unit kind (a type's members only inside types)."""
    spec = BY_NAME.get(language)
    if spec is None or kind not in BINDING_KINDS:
        return ()
    return tuple(re.compile(p) for p in spec.bind_lines + (spec.member_lines if kind == "type" else ()))


def code_part(spec: LanguageSpec | None, line: str) -> str:
    """A line's code outside its strings, regular expression literals and trailing comment (by the language's own
    line-comment marks); the whole line for a language we do not know (no spec)."""
    if spec is None:
        return line
    text = _STRINGS.sub('""', line)
    if spec.regex_literals and "/" in text:
        text = _REGEX_LITERAL.sub(' ""', text)
    for mark in spec.line_comments:
        text = text.split(mark, 1)[0]
    return text


class _Level:
    """Walks a unit's own lines in order and says which are at its own level: outside brackets (but a type's body
    or a Go group), block comments and triple-quoted strings. At module level a statement that starts at column 0
    begins afresh, so one line the walk misreads (a regex literal, a heredoc) loses only its own statement."""

    def __init__(self, spec: LanguageSpec, kind: str) -> None:
        self.spec, self.kind = spec, kind
        self.stack: list[bool] = []  # per open bracket: it opens the unit's own body
        self.in_string = ""  # the triple quote of a docstring still open
        self.in_comment: bool | str = False  # a /* ... */ still open (True), or Ruby's =begin ... =end ("=begin")
        self.heredoc = re.compile(spec.heredoc) if spec.heredoc else None
        self.in_heredoc = ""  # the word that ends a heredoc still open
        self.export_map = re.compile(spec.export_map) if spec.export_map and kind == "module" else None
        self.in_map = False  # the open body is the module's object of exports (`module.exports = {`)

    def enter_wrapped_body(self) -> None:
        """The line just stepped opened a module wrapper's body: the brackets around it are the wrapper's, inside it
        is the top level (one bracket open, the body's own)."""
        if self.stack:
            self.stack[:] = [True]

    def own(self, raw: str, line: str) -> bool:
        """Whether this line (raw, and stripped) is at the unit's own level (called before step)."""
        if self.in_string or self.in_comment or self.in_heredoc:
            return False
        if self.stack and self.kind == "module" and raw[:1].isalpha() and _STATEMENT.match(raw):
            self.stack.clear()  # a new top-level statement: whatever was left open was misread
        return not self.stack or (len(self.stack) == 1 and self.stack[0])

    def step(self, line: str) -> None:
        """Take the line's brackets, block comments and triple quotes into account."""
        if self.in_comment:
            if line.startswith("=end") if self.in_comment == "=begin" else "*/" in line:
                self.in_comment = False
            return
        if self.in_heredoc:
            self.in_heredoc = "" if re.match(rf"{self.in_heredoc}\b", line) else self.in_heredoc
            return
        if line.startswith(self.spec.comment_lines):
            self.in_comment = "=begin" if line.startswith("=begin") else line.startswith("/*") and "*/" not in line
            return
        if self.heredoc:
            self.in_heredoc = _heredoc_word(self.spec, self.heredoc, line)  # what follows it (`.strip`, `;`) is read below
        if self.spec.indented_bodies and ('"""' in line or "'''" in line or self.in_string):
            self._quoted(line)
        elif _ANY_BRACKET.search(line):
            self._brackets(line, line)

    def _quoted(self, line: str) -> None:
        """A line with triple quotes, read left to right: strings (triple or not) skipped, brackets counted."""
        i, code = 0, []
        while i < len(line):
            if self.in_string:
                end = line.find(self.in_string, i)
                if end < 0:
                    return
                i, self.in_string = end + 3, ""
            elif line.startswith(('"""', "'''"), i):
                self.in_string, i = line[i : i + 3], i + 3
            elif line[i] in "\"'":
                m = _STRINGS.match(line, i)
                i = m.end() if m else len(line)
            elif line[i] == "#" and "#" in self.spec.line_comments:
                break
            else:
                code.append(line[i])
                i += 1
        self._brackets("".join(code), line)

    def _brackets(self, part: str, line: str) -> None:
        for ch in code_part(self.spec, part):
            if ch in _OPENERS:
                self.stack.append(self._opens_body(ch, line))
            elif ch in ")]}" and self.stack:
                self.stack.pop()
                self.in_map = self.in_map and bool(self.stack)

    def _opens_body(self, ch: str, line: str) -> bool:
        """A bracket at depth 0 that opens a type's body (`{`), a Go `const (` / `var (` group or a TypeScript
        `declare module 'x' {` / `declare global {`."""
        if self.stack or self.spec.indented_bodies:
            return False
        if ch == "{":
            opens = code_part(self.spec, line).rstrip().endswith("{")
            self.in_map = opens and self.export_map is not None and bool(self.export_map.match(line))
            return opens and (self.kind == "type" or bool(_DECLARE.match(line)) or self.in_map)
        return ch == "(" and bool(_GO_GROUP.fullmatch(line))


def _masked(spec: LanguageSpec, line: str) -> str:
    """A line with its strings and regular expression literals blanked to the same length (so offsets hold on the
    line itself), its trailing comment cut and a string still open at its end (a triple quote's first line) too."""
    def blank(m: re.Match) -> str:
        return '"' + "x" * (len(m.group(0)) - 2) + '"'

    code = _STRINGS.sub(blank, line)
    if spec.regex_literals:
        code = _REGEX_LITERAL.sub(blank, code)
    for mark in (*spec.line_comments, '"""', "'''", "`"):
        code = code.split(mark, 1)[0]
    return code


def _heredoc_word(spec: LanguageSpec, heredoc: re.Pattern, line: str) -> str:
    """The word that ends a heredoc this line starts (`<<~EOS`, `<<<'EOT'`), '' when it starts none: an opener in
    a string or a comment (`# use <<~EOS`, `'<<<EOT'`) is text."""
    code = _masked(spec, line)
    for m in heredoc.finditer(line):
        if m.start() < len(code) and code[m.start()] == "<":
            return m.group(2)
    return ""


def own_bindings(language: str, kind: str, rows: list[tuple[int, str]], lines: list[str],
                 wrapper_bodies: Collection[int] = ()) -> list[Binding]:
    """The bindings among a unit's own rows ((line number, text), in order, its definitions left out) of a
    file's lines: each name once, with the statement's lines to where its brackets close; a module wrapper's body
    opening on a line of wrapper_bodies (a UMD factory's, an IIFE's) is the top level again."""
    spec = BY_NAME.get(language)
    patterns = _patterns(language, kind)
    if spec is None or not patterns:
        return []
    if kind == "type" and spec.enum_lines and rows and _ENUM.search(rows[0][1]):
        patterns = patterns + tuple(re.compile(p) for p in spec.enum_lines)
    level, out, seen = _Level(spec, kind), [], set()
    keys = tuple(re.compile(p) for p in spec.export_keys)
    declared = re.compile(spec.declared_in_comments) if spec.declared_in_comments and kind == "type" else None
    for number, raw in rows:
        line = raw.strip()
        if declared and (m := declared.match(line)) and m.group(1) not in seen and level.own(raw, line):
            seen.add(m.group(1))  # RDoc's `# :method: field_with(criteria)`: the member the type makes at run time
            out.append(_statement(spec, m.group(1), number, lines))
        if line and not line.startswith(spec.comment_lines) and level.own(raw, line):
            for at, statement in _statements(spec, line):
                name = _bound_name(keys if level.in_map and level.stack else patterns, statement)
                for each in _targets(statement, name) if name else ():
                    if each not in seen and each != "_" and len(out) < MAX_BINDINGS:  # Go's `var _ I = (*T)(nil)`
                        seen.add(each)
                        out.append(_statement(spec, each, number, lines, at))
        level.step(line)
        if number in wrapper_bodies:
            level.enter_wrapped_body()
    return out


def _statements(spec: LanguageSpec, line: str) -> list[tuple[int, str]]:
    """A stripped line's statements, each with where it starts on the line: split after each `;` outside strings,
    brackets and its trailing comment (`A = 1; B = 2`); the line itself when it holds one."""
    code = _masked(spec, line)
    cuts, depth = [], 0
    for i, ch in enumerate(code):
        depth += 1 if ch in _OPENERS else -1 if ch in ")]}" else 0
        if ch == ";" and depth == 0 and code[i + 1 :].strip():
            cuts.append(i + 1)
    if not cuts:
        return [(0, line)]
    pieces = ((a + len(line[a:b]) - len(line[a:b].lstrip()), line[a:b].strip()) for a, b in zip([0, *cuts], [*cuts, len(line)]))
    return [(at, piece) for at, piece in pieces if piece]


def _bound_name(patterns: tuple[re.Pattern, ...], line: str) -> str:
    """The name a stripped line binds, or ''."""
    for pattern in patterns:
        m = pattern.fullmatch(line)
        if m and (m.group(1) not in _KEYWORDS or (m.group(1) not in _CLAUSES and _KEYED.match(line, m.end(1)))):
            return m.group(1)
    return ""


def _targets(line: str, name: str) -> list[str]:
    """The names a binding line assigns: its name, and the others of a chained or tuple assignment that starts with
    it (`BOM_BE = BOM_UTF16_BE = b'..'`, `MC_ALT, MC_SHIFT = 1, 2`, Go's `a, b = 1, 2`), of a list declared with
    one type (Go's `X, Y int`, `var a, b string`), of one attribute line (Ruby's `attr_reader :properties,
    :defaults`) or of an enum's constants on one line (Java's `ABOR, ACCT, PASV;`)."""
    attributes = _ATTRIBUTES.match(line)
    if attributes:
        return list(dict.fromkeys(_SYMBOL.findall(attributes.group(1))))
    constants = _CONSTANTS.fullmatch(line.strip())
    listed = _NAME.findall(_ARGUMENTS.sub("", constants.group(1))) if constants else []
    if listed and name == listed[0]:  # an enum's `ABOR, ACCT, PASV, STOR;`
        return list(dict.fromkeys(listed))
    bare = _PARENTHESISED.sub(r"\1 =", line)  # Python's `(A, B) = range(2)`, `[A, B] = ...` as `A, B = ...`
    m = _CHAIN.match(bare) or _LISTED.match(bare)
    if not m or name not in _NAME.findall(m.group(0))[:2]:
        return [name]
    return list(dict.fromkeys(n for n in _NAME.findall(m.group(m.lastindex or 0)) if n not in _KEYWORDS))


_DOCSTRING_OPENS = re.compile(r"""[rRuU]?(\"\"\"|\'\'\')""")


def _past_docstring(lines: list[str], last: int) -> int:
    """The last line of an attribute docstring right below a statement ending at line last (cerberus'
    `TypeDefinition = namedtuple(...)` and the docstring under it saying what it is: probe 174), else last."""
    opens = _DOCSTRING_OPENS.match(lines[last].lstrip()) if last < len(lines) else None
    if not opens:
        return last
    quote, rest = opens.group(1), lines[last].lstrip()[opens.end():]
    for row in range(last, min(len(lines), last + SPAN_LINES)):
        if quote in (rest if row == last else lines[row]):
            return row + 1
    return last


def _statement(spec: LanguageSpec, name: str, first: int, lines: list[str], at: int = 0) -> Binding:
    """(name, first, last line, column, text) of the statement binding name at line first (1-based), to where its
    brackets close; at: where on its line (unindented) the statement starts, after others (`A = 1; B = 2`)."""
    depth, angle, last = 0, 0, first
    while last <= min(len(lines), first + SPAN_LINES - 1):
        code = code_part(spec, lines[last - 1])
        for ch in code:
            depth += 1 if ch in _OPENERS else -1 if ch in ")]}" else 0
        if spec.type_arguments_span_lines and (angle or last == first):  # `X: Required<` opening the next lines, a
            typed = (_ANNOTATION if last == first else _TYPE_PART).match(code)[0]  # type's arguments (probe 237):
            angle = max(0, angle + len(_TYPE_OPENS.findall(typed)) - len(_TYPE_CLOSES.findall(typed)))  # its
            # annotation's, not a value's comparison (`IS_LEGACY = NODE_MAJOR<16`: review), and a generic call's
            # opening its line's end (zustand's `create<` then `State` then `>()(...)`: review)
            angle += 1 if last == first and _OPENS_AT_END.search(code) and not _OPENS_AT_END.search(typed) else 0
        if depth <= 0 and angle <= 0:
            break
        last += 1
    last = min(last, len(lines), first + SPAN_LINES - 1)
    if spec.doc_rule == "docstring":
        last = _past_docstring(lines, last)
    text = [line.rstrip("\r") for line in lines[first - 1 : last]]
    head = text[0].lstrip().lstrip("\ufeff")
    return name, first, last, len(text[0]) - len(head) + 1 + at, "\n".join([head, *text[1:]])[:TEXT_CHARS]


def bound_names(language: str, kind: str, code: str) -> list[str]:
    """The names a piece of code (a whole module or type, definitions left out) binds: for tests and tools."""
    lines = code.split("\n")
    return [name for name, *_ in own_bindings(language, kind, list(enumerate(lines, start=1)), lines)]
