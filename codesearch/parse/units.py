"""What a file is split into: units that together hold every line, each with a `kind`.

- function, method, constructor: as the tag query finds them (the whole definition);
- type: a class/struct/interface/enum/trait/module/namespace declaration, with its fields, constants
  and member signatures; the bodies of its members are elided (they are units of their own);
- block: an anonymous function or block given to a call outside any function, named by the call
  site (`routes: app.get('/users')`), its nested units elided like a type's;
- module: the code between definitions (imports, constants, route tables, scripts), gathered in
  file order into pieces of at most `MODULE_PIECE_LINES` non-blank lines;
- window: overlapping slices of a function with more than `WINDOW_AFTER` lines of its own, past its head
  (the function's own unit already stands for the head), pointing at the function by name; the lines
  of functions nested in it are theirs, elided in a window.

The sizes are chosen on the tuning half of benchmarks/units.py; see benchmarks/results/units.md.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable, Iterator
from dataclasses import asdict, dataclass, replace
from typing import Protocol

from codesearch.languages import BY_NAME
from codesearch.parse.bindings import code_part, own_bindings
from codesearch.query import ELIDED, UNIT_KINDS

CONTAINERS = ("type", "block")
MODULE_PIECE_LINES = 60  # non-blank lines of module-level code per module unit
COMMENT_RUN_LINES = 600  # lines of one comment run (a package's documentation) a module piece keeps whole
WINDOW_AFTER = 150  # a function longer than this many lines also gets windows
WINDOW_LINES = 60  # lines per window
WINDOW_STEP = 50  # first line of one window to the next (the rest overlaps)
# (ELIDED: codesearch.query's, the mark of lines left out)
# Units of these kinds with fewer lines of their own are searched by words only (no vector): chosen on the
# tuning half of the whole-repository benchmark as the smallest sizes that keep every repository's units
# embedded within +25 % of its functions (benchmarks/results/units.md).
EMBED_MIN_LINES = {"type": 10, "module": 6, "block": 6}
# Lines that only bring names in or out (imports, `use`, `package`, re-exports) and directives (`'use strict'`,
# React's `'use client'`: probe 115): they say where code is, not what it does, so they count for nothing towards a
# unit's own lines.
_PLUMBING = re.compile(r"^(import\b|from\s+\S+\s+import\b|use\s|require(_relative)?\b(?!\.)|package\s|namespace\s|"
                       r"export\s+\*|export\s*\{|export\s+(default\s+)?\w+\s*;|module\.exports\s*=\s*\w+;?$|"
                       r"(const|var|let)\s+\w+\s*=\s*require\(|#include|['\"]use [\w ]+['\"];?$|<\?php\b|\?>$)")
# A comment that speaks to a tool, not a reader (`// eslint-disable-next-line`, `/* istanbul ignore next */`,
# `# frozen_string_literal: true`, `//go:generate`): never a unit's doc comment.
DIRECTIVE = re.compile(r"(?://|#)\s*(?:eslint-|eslint\s|istanbul\s+ignore|[cv]8\s+ignore|@ts-(?:ignore|expect-error|nocheck)|"
                       r"prettier-ignore|jshint\s|frozen_string_literal:|(?:-\*-\s*)?(?:en)?coding[:=]|warn_indent:|"
                       r"rubocop:|nolint\b|noinspection\b|phpcs:|@phpstan-ignore|@psalm-suppress|NOSONAR|noqa\b|"
                       r"pylint:|tslint:|type:\s*ignore|pragma:|fmt:\s*(?:off|on|skip)|mypy:|isort:|pyright:|"
                       r":(?:stopdoc|startdoc|nodoc|enddoc|doc):\s*$)|"  # RDoc's (mime-types' `# :stopdoc:` as a doc: probe 185)
                       r"^//go:\w|^//\s*\+build\b|^/\*\s*(?:eslint-|prettier-ignore|@ts-|(?:global|eslint|istanbul\s+ignore|"
                       r"[cv]8\s+ignore|jshint)\s|tslint:|[#@]__[A-Z_]+__\s*\*/)|^#!")  # a bundler's /*#__PURE__*/, a shebang
_CLOSERS = frozenset({"}", "};", "});", "end)", "]", "end"})
SIGNATURE_LINES = 6  # how far below a member's first line its name is looked for (decorators)
COMMENT_STARTS = ("/", "#", "*", "=")  # first characters of a doc comment's lines, in our languages
MAX_DOC_BLOCK = 200  # the most lines a doc block comment is looked up through


@dataclass(frozen=True)
class Unit:
    """One searchable piece of a file: a function, method, type, module piece, block or window."""

    path: str
    language: str
    name: str
    qualified_name: str
    kind: str  # one of UNIT_KINDS
    start_line: int  # 1-based, inclusive
    end_line: int  # 1-based, inclusive
    start_col: int  # 1-based column of the definition's first byte
    docstring: str
    code: str
    # what a module piece or type binds at its own level (codesearch.parse.bindings): (name, first line, last
    # line, column, the statement), so a constant, variable or field is found by its name
    binds: tuple[tuple[str, int, int, int, str], ...] = ()

    def to_dict(self) -> dict:
        """Plain dict for JSON output (each binding an object with named fields)."""
        out = asdict(self)
        out["binds"] = [dict(zip(("name", "first_line", "last_line", "col", "text"), b)) for b in self.binds]
        return out


def complete(units: list[Unit], lines: list[str], path: str, language: str, stem: str,
             wrapper_bodies: Collection[int] = ()) -> list[Unit]:
    """The parser's definitions with containers trimmed, plus windows and module pieces: every line held
    (wrapper_bodies: the lines a module wrapper's body opens on, whose own lines bind as the top level's)."""
    kids = {id(u): _children(u, units) for u in units if u.kind in CONTAINERS}  # once: it reads every unit
    out = [_with_binds(_trimmed(u, kids[id(u)], lines), kids[id(u)], lines) if u.kind == "type"
           else _trimmed(u, kids[id(u)], lines) if u.kind in CONTAINERS else u for u in units]
    out += [w for u in units if u.kind not in CONTAINERS for w in _windows(u, lines, _nested_rows(u, units, lines))]
    held = [False] * (len(lines) + 2)
    for u in units:  # a definition's lines, and the doc comment above it (its docstring)
        for row in (*range(u.start_line, u.end_line + 1), *doc_rows(u, lines)):
            held[row] = True
    out += _module_pieces(lines, held, path, language, stem, wrapper_bodies)
    out.sort(key=lambda u: (u.start_line, u.start_col, UNIT_KINDS.index(u.kind)))
    return out


def docstrings(language: str) -> bool:
    """Whether a language's docs are docstrings inside the definition, not comments above it (Python)."""
    spec = BY_NAME.get(language)
    return spec is not None and spec.doc_rule == "docstring"


class _Documented(Protocol):
    start_line: int
    docstring: str
    language: str


# what a file's header says, not a definition's doc: a licence, a module's overview, who wrote the file
FILE_HEADER = re.compile(r"@license|@preserve|@file\b|@fileoverview|@module\b|@packageDocumentation|\bCopyright\b|"
                          r"\bSPDX-License|Module dependencies|^(?:Originally |Adapted |Written |Created |Maintained )?"
                          r"by:|^Authors?:", re.IGNORECASE | re.MULTILINE)


def doc_rows(unit: _Documented, lines: list[str]) -> range:
    """The rows of the doc comment right above a unit (its docstring's), or one blank line above it (parsing's
    `_doc_above`: a `/** ... */` block), empty when it has none there. A block comment's lines need no comment mark
    of their own (Go's `/*\nWrap creates ...\n*/`)."""
    row = unit.start_line - 1
    if row > len(lines):  # lines read from disk again may be fewer now (similar)
        return range(0)
    if unit.docstring and row >= 2 and not lines[row - 1].strip() and (lines[row - 2].strip().endswith("*/") or (
            _doc_over_blank(unit.language) and lines[row - 2].strip()[:1] in COMMENT_STARTS)):
        row -= 1  # the blank line between a doc block and its definition (and a Ruby class's `#` comment: it was
        # module code as well, net-http-persistent's rdoc pieces came in the first four for a quarter of the questions:
        # probe 142)
    blocks = False
    while unit.docstring and row >= 1:
        text = lines[row - 1].strip()
        if text.endswith("*/") and (start := _block_start(lines, row)):
            row, blocks = start - 1, True
        elif text[:1] in COMMENT_STARTS:
            row -= 1
        else:
            break
    if not blocks and row < unit.start_line - 1 and row >= 3 and not lines[row - 1].strip() \
            and lines[row - 2].strip().endswith("*/") and (start := _block_start(lines, row - 1)) and start > 1 \
            and lines[start - 1].strip().startswith("/**") \
            and not FILE_HEADER.search("\n".join(lines[start - 1 : row - 1])):
        row = start - 1  # parsing's `_doc_over_a_note`: the `/** */` a blank line above `//` notes (probe 205)
    return range(row + 1, unit.start_line)


def _doc_over_blank(language: str) -> bool:
    """Whether the language's line comments a blank line above a definition are its doc (LanguageSpec.doc_over_blank)."""
    spec = BY_NAME.get(language)
    return spec is not None and spec.doc_over_blank


def _block_start(lines: list[str], end: int) -> int:
    """The row whose `/*` opens the block comment that closes on row end, when nothing but the comment is on that row
    (`var timeout = 5 /* seconds */` is code); 0 when none does within MAX_DOC_BLOCK."""
    for row in range(end, max(0, end - MAX_DOC_BLOCK), -1):
        if "/*" in lines[row - 1]:
            return row if lines[row - 1].strip().startswith("/*") else 0
    return 0


def _with_binds(container: Unit, children: list[Unit], lines: list[str]) -> Unit:
    """A type with what its own lines bind (its members' lines and doc comments left out)."""
    skip: set[int] = set()
    for child in children:
        skip.update(range(child.start_line, child.end_line + 1), doc_rows(child, lines))
    rows = [(r, lines[r - 1]) for r in range(container.start_line, container.end_line + 1)
            if r not in skip and r <= len(lines)]
    if rows:  # the first line from the type's own column (`export class X {` after a decorator on the same line)
        rows[0] = (rows[0][0], rows[0][1][container.start_col - 1 :])
    found = [b for b in own_bindings(container.language, "type", rows, lines)
             if (b[0], b[1]) != (container.name, container.start_line)]  # Go's `watchMap map[...]` names itself
    return replace(container, binds=tuple(found)) if found else container


def _children(container: Unit, units: list[Unit]) -> list[Unit]:
    """The outermost units inside a container (not the container itself)."""
    inside = [u for u in units if u is not container and container.start_line <= u.start_line
              and u.end_line <= container.end_line and (u.start_line, u.end_line) != (container.start_line, container.end_line)]
    inside.sort(key=lambda u: (u.start_line, -u.end_line))
    outer: list[Unit] = []
    for u in inside:
        if not outer or u.start_line > outer[-1].end_line:
            outer.append(u)
    return outer


def _trimmed(container: Unit, children: list[Unit], lines: list[str]) -> Unit:
    """A type or block with its members' bodies left out: each member keeps its first line; a nested type's doc
    comment is that type's, not the container's (rack-protection's `module Protection` wrapper in frame_options.rb
    held FrameOptions' doc and came first by it, FrameOptions' own words)."""
    if not children:
        return container
    kept: list[str] = []
    row = container.start_line
    for child in children:
        head = _signature_end(child, lines)
        doc = doc_rows(child, lines) if child.kind == "type" and not docstrings(child.language) else range(0)
        kept += [line for r, line in enumerate(lines[row - 1 : head], start=row) if r not in doc]  # to its signature
        if child.end_line > head:
            first = lines[child.start_line - 1]
            kept.append(f"{first[: len(first) - len(first.lstrip())]}    {ELIDED}")
        row = child.end_line + 1
    kept += lines[row - 1 : container.end_line]
    first = kept[0][container.start_col - 1 :] if kept else ""
    return replace(container, code="\n".join([first, *kept[1:]]))


def worth_embedding(unit: Unit) -> bool:
    """False for a type, module piece or block with under EMBED_MIN_LINES[kind] lines of its own (an
    `import` block, a class that only holds its methods): lexical search finds it, a vector would cost
    more than it finds. Functions, methods (but those declared without a body) and windows always get one."""
    least = EMBED_MIN_LINES.get(unit.kind)
    if least is None:
        return not _declared_only(unit) and not _empty(unit)
    # (A short type with a doc of six words or more, given a vector for it, cost hybrid on the tuning half: tune
    # 0.9478 -> 0.9456, fresh2 0.8934 -> 0.8848; only those without methods: 0.9462, 0.8919. Meaning alone gained;
    # the type then stood for its file in fusion. benchmarks/results/whole-repo-twenty-first.md)
    return (len(own_lines(unit.code, unit.language)) >= least or _module_docstring(unit) or _module_comment(unit)
            or unit.kind == "type" and _words_said(comment_lines(unit.code)) >= TYPE_BODY_COMMENT_WORDS)


# A type whose body's comments say this many words gets a vector however short it is: an interface documenting each
# member in its body (logr's `LogSink`, whose method specs are no units: probe 180) is found by meaning too
TYPE_BODY_COMMENT_WORDS = 20


def _words_said(comments: list[str]) -> int:
    """How many words comment lines say, their marks left out."""
    return sum(len(line.lstrip("/*#").split()) for line in comments)


MODULE_COMMENT_WORDS = 12  # a module piece whose comments (licence aside) say this many words gets a vector
_LICENCE_LINE = re.compile(r"copyright|licen[cs]ed\b|licen[cs]e (?:file|version|agreement)|(?:mit|bsd|apache|gnu|public) "
                           r"licen[cs]e|licen[cs]e, v\.|mozilla public|obtain one at|SPDX-|all rights reserved|warrant|"
                           r"permission is hereby|limitations under", re.IGNORECASE)
# a comment that says nothing of what the code is for: a build directive, a generator's stamp (`//go:build`,
# `// +build`, `//go:generate`, `# -*- coding`, "Code generated by protoc-gen-go. DO NOT EDIT.")
_NOT_SAID = re.compile(r"(?:go:|\+build\b|-\*-|!|eslint|prettier|@ts-|code generated|do not edit|auto-?generated)",
                       re.IGNORECASE)


def _module_comment(unit: Unit) -> bool:
    """A module piece whose comments say what the file or package is for (Go's `// Package websocket ...` in doc.go,
    a javadoc above `package`): meaning finds it however few its lines of code."""
    return unit.kind == "module" and not docstrings(unit.language) and comments_say_what_for(unit.code)


def comments_say_what_for(code: str) -> bool:
    """Whether code's comments say at least MODULE_COMMENT_WORDS words past a licence, not a generator's stamp: what a
    file or package is for (_module_comment)."""
    said = [line.lstrip("/*#").strip() for line in comment_lines(code)]
    if any(_NOT_SAID.match(line) and "generated" in line.lower() for line in said):
        return False  # a generated file's stamp and what the generator wrote after it
    past = max((i + 1 for i, line in enumerate(said) if _LICENCE_LINE.search(line)), default=0)
    return sum(len(line.split()) for line in said[past:] if not _NOT_SAID.match(line)) >= MODULE_COMMENT_WORDS


def comment_lines(code: str) -> list[str]:
    """code's stripped comment lines, a block comment's unmarked lines among them (pflag's `/*\nPackage pflag ...`)."""
    stripped = [line.strip() for line in code.split("\n")]
    return [s for s, commented in zip(stripped, comment_flags(stripped)) if commented]


def comment_flags(stripped: Iterable[str]) -> Iterator[bool]:
    """Whether a comment takes each stripped line: a marked comment line, or any line of an open block comment (a
    JSDoc written without a `*` on each line: true-myth's, probe 176; pflag's `/*\nPackage pflag ...`)."""
    in_block = False
    for s in stripped:
        commented = in_block or _comment_line(s)
        if commented:
            in_block = (in_block or s.startswith("/*")) and "*/" not in (s if in_block else s[2:])
        yield commented


_DOCSTRING_OPENS = re.compile(r"[rRuUbB]?(\"\"\"|\'\'\')")


def _module_docstring(unit: Unit) -> bool:
    """A module piece that opens with its module's docstring (Markdown's extensions: nl2br.py's paragraph saying what it
    does, and a constant, were words only): what the file is for, in words, however few its lines; one per file."""
    if unit.kind != "module" or not docstrings(unit.language):
        return False
    first = next((line.strip() for line in unit.code.split("\n")
                  if line.strip() and not line.strip().startswith("#")), "")
    return bool(_DOCSTRING_OPENS.match(first))


# a definition with nothing in its body, squeezed onto one line: a head without braces and `{}` (`proceed: () => {}`,
# `func (s *S) Close() {}`), Python's `def f(a: int) -> None: pass` (or `...`), Ruby's `def close; end`
_EMPTY_BODY = re.compile(r"^[^{}]*\{ ?\}$|^def [\w.?!=]+(?: ?\([^)]*\))? ?;? ?end$")
_EMPTY_DEF = re.compile(r"^(?:async )?def \w+\(.*\)(?: ?-> ?[^:]+)?: ?(?:pass|\.\.\.)$")  # a docstring language's


def _empty(unit: Unit) -> bool:
    """A function or method with no doc whose body is empty (`proceed: () => {}`, ws' `NOOP`, `def f(): pass`): its
    vector says only its name, and such vectors sat near every question that matched nothing well (react-router's 21
    stubs came first for a Chinese question: probes 116, 118); words still find it by its name."""
    if unit.docstring or unit.kind == "window":
        return False
    flat = re.sub(r"\s+", " ", unit.code).strip()
    return len(flat) <= EMPTY_MAX and bool((_EMPTY_DEF if docstrings(unit.language) else _EMPTY_BODY).match(flat))


EMPTY_MAX = 160  # characters of an empty function's whole text, its head included


def _declared_only(unit: Unit) -> bool:
    """A method declared without a body (Java's abstract and interface methods): found by its name and doc's words;
    a vector of its bare signature crowded its implementations (jackson-core's JsonParser: tuning half, meaning
    alone 0.788 -> 0.775 with one)."""
    code = unit.code.rstrip()
    return unit.kind == "method" and code.endswith(";") and "{" not in code


_IMPORTED_PATH = re.compile(r"""(?:[\w.]+\s+)?(?:"[^"]*"|'[^']*'),?""")  # a line of Go's `import (...)`: `"bytes"`


def is_plumbing(line: str) -> bool:
    """True for a stripped line that only brings names in or out (`import x`, `package ids`, Go's `"bytes"` in an
    import block): what a preview opens at only when no other line holds a word of the question."""
    return bool(_PLUMBING.match(line) or _IMPORTED_PATH.fullmatch(line))


def own_lines(code: str, language: str = "") -> list[str]:
    """A unit's lines that say what it does: not blank, elided, comments (a block comment's every line), closers or
    plumbing, the lines of a multi-line import (`import {\n  a,\n  b,\n} from 'x'`, `from x import (\n  a,\n)`, Go's
    `import (...)`) included."""
    own: list[str] = []
    open_brackets = 0  # of a plumbing statement still open
    stripped = [line.strip() for line in code.split("\n")]
    for s, commented in zip(stripped, comment_flags(stripped)):
        if commented:  # a block comment's every line (json-simple's `/* Copyright ...\n   Licensed`)
            continue
        if open_brackets > 0:
            open_brackets += _brackets(s, language)
            continue
        if _PLUMBING.match(s):
            open_brackets = max(0, _brackets(s, language))
            continue
        if s and s != ELIDED and any(c.isalnum() for c in s) and s not in _CLOSERS:
            own.append(s)
    return own


def _comment_line(line: str) -> bool:
    """A stripped line a comment takes: `//`, `/*`, `#`, `*`, `=begin`; a regex literal's `/\bx\b/.test(s)` is code."""
    return line[:1] in COMMENT_STARTS and (line[:1] != "/" or line[1:2] in ("/", "*"))


def _brackets(line: str, language: str) -> int:
    """The round and curly brackets a line opens less those it closes, outside its strings and its comment."""
    spec = BY_NAME.get(language)
    code = code_part(spec, line)
    return code.count("(") + code.count("{") - code.count(")") - code.count("}")


def _signature_end(unit: Unit, lines: list[str]) -> int:
    """The line that names a member (past its decorators and annotations), or its first line."""
    for row in range(unit.start_line, min(unit.end_line, unit.start_line + SIGNATURE_LINES - 1) + 1):
        if unit.name and unit.name in lines[row - 1]:
            return row
    return unit.start_line


def _nested_rows(unit: Unit, units: list[Unit], lines: list[str]) -> set[int]:
    """The rows of a long function that units inside it hold (its nested functions, methods and blocks, with
    their doc comments): what its windows leave to them."""
    if unit.end_line - unit.start_line + 1 <= WINDOW_AFTER:
        return set()
    rows: set[int] = set()
    for u in _children(unit, units):  # the outermost ones: a deeper unit's rows, and its doc comment, are inside them
        rows.update(range(u.start_line, u.end_line + 1), doc_rows(u, lines))
    return rows


def _windows(unit: Unit, lines: list[str], nested: set[int] = frozenset()) -> list[Unit]:
    """Overlapping slices of a long function's own lines past its head, named like the function. Lines of units
    nested in it are theirs (a closure factory of 3,000 lines whose parts are all units gets no windows), and
    a window elides them, as a type elides its members' bodies. A window of overload signatures only is none
    (radash's `compose`: 291 lines of signatures in five windows that came up for other questions: probe 152); one
    that reaches the implementation's doc comment is kept (rxjs' forkJoin documents its implementation, below the
    signatures)."""
    own = [r for r in range(unit.start_line, min(unit.end_line, len(lines)) + 1) if r not in nested]
    if len(own) <= WINDOW_AFTER:
        return []
    said = unit.start_line + unit.code.count("\n") - past_overloads(unit).count("\n")  # the implementation's line
    while said - 1 > unit.start_line and (not lines[said - 2].strip() or _comment_line(lines[said - 2].strip())):
        said -= 1  # and its doc comment above it
    out = []
    starts = list(range(WINDOW_STEP, len(own) - WINDOW_STEP // 2, WINDOW_STEP))
    for first in starts:  # the last runs to the end (a 174-line function's 161-174, its `return`, were in no window:
        rows = own[first:] if first == starts[-1] else own[first : first + WINDOW_LINES]  # fault sweep 2)
        code = _elided(rows, lines)
        if code.strip() and rows[-1] >= said:
            out.append(replace(unit, kind="window", start_line=rows[0], end_line=rows[-1], start_col=1, docstring="",
                               code=code))
    return out


_MODIFIERS = r"(?:(?:export|default|declare|async|public|private|protected|static|override|abstract|function)\s+|\*\s*)*"


def past_overloads(unit: Unit) -> str:
    """A function's code from its implementation's declaration on, where overload signatures of its name open it (a
    model reads a unit's first tokens only: react-router's `useBlocker` was embedded as its two signatures and its
    destructuring, its body never read: probe 118); its code as it is elsewhere. A signature is a declaration of the
    name whose brackets close without a body opening on its last line."""
    spec = BY_NAME.get(unit.language)
    if spec is None or not spec.overload_nodes or unit.kind not in ("function", "method", "constructor"):
        return unit.code
    lines = unit.code.split("\n")
    declares = re.compile(rf"\s*{_MODIFIERS}{re.escape(unit.name)}\s*[<(]")
    depth, first, start, body_at = 0, None, None, 0
    for i, line in enumerate(lines):
        if depth == 0 and declares.match(line):
            start = i  # a declaration of the name: a signature, or the implementation when its body opens
            first = i if first is None else first
        depth += line.count("(") - line.count(")")
        if start is not None and depth <= 0 and line.rstrip().endswith(("{", "=>")):
            body_at = start
            break
        depth = max(depth, 0)
    if not body_at or body_at == first:
        return unit.code  # no signature before it: its decorators (`@Get(':id')`) and all stay (review)
    while body_at > 0 and lines[body_at - 1].lstrip().startswith("@"):
        body_at -= 1  # the implementation's own decorators
    return "\n".join(lines[body_at:])


def _elided(rows: list[int], lines: list[str]) -> str:
    """The text of the lines from rows' first to its last, those not in rows (another unit's) elided: the first of
    each gap written ELIDED, the rest blank, so the text's lines stay the file's (a preview numbers them so)."""
    own = set(rows)
    return "\n".join(lines[r - 1] if r in own else ELIDED if r - 1 in own else "" for r in range(rows[0], rows[-1] + 1))


def positioned(code: str, lines: list[str], start_line: int, start_col: int = 1, end_line: int | None = None) -> str | None:
    """A module piece's or type's stored text laid out on its file's lines (the file's lines: `lines`): blank lines
    back, a definition it leaves out one ELIDED line and blanks, so a preview numbers each line as the file does
    (docopt.py's URL showed as line 2, line 3 in the file: probe 66); None when the file no longer holds the text.
    Each run of lines between two left out is placed where the whole run stands, its last on end_line, so a line met
    inside the definition left out before it (a `/**`, a `}`) takes none of that definition's lines in (mobx's
    reaction.ts piece showed all of `class Reaction`: probe 96)."""
    if not 0 < start_line <= len(lines):
        return None
    file = _spanned(lines, start_line, start_col, end_line, code.rsplit("\n", 1)[-1])
    runs = _runs(code)
    out: list[str] = []
    row = start_line
    for k, (gap, run) in enumerate(runs):
        rows = _placed(run, file, row, exact=not gap, last=end_line if k == len(runs) - 1 else None)
        if rows is None:
            return None
        if gap and (rows or end_line is not None):  # a class that ends with a method left out (Python's): to its end
            out += _gap_lines(gap, file, row, rows[0] if rows else end_line + 1)
        for i, at in enumerate(rows):  # between two lines of a run: blank lines and comments (a nested type's doc)
            out += file[(rows[i - 1] if i else at - 1) : at - 1] + [run[i]]
        row = rows[-1] + 1 if rows else row
    return "\n".join(out)


def _spanned(lines: list[str], start_line: int, start_col: int, end_line: int | None, last: str) -> list[str]:
    """The file's lines as a unit spans them: its first from its column, its last to where its text ends (TTop.java's
    `public enum Align {...}` ends before its line's `;`)."""
    file = [*lines[: start_line - 1], lines[start_line - 1][start_col - 1 :], *lines[start_line:]]
    if end_line is not None and 0 < end_line <= len(file) and last.strip() and file[end_line - 1].startswith(last):
        file[end_line - 1] = last
    return file


def _runs(code: str) -> list[tuple[str, list[str]]]:
    """A stored text's runs of lines, each with the ELIDED line (as indented) of the definition left out before it
    ("" for the first): a blank line right after a definition left out is laid with its gap, not matched (it met a
    blank line inside that definition: probe 75's Liquid::Context)."""
    runs: list[tuple[str, list[str]]] = [("", [])]
    for piece in code.split("\n"):
        if piece.strip() == ELIDED:
            if runs[-1][0] and not runs[-1][1]:
                runs.pop()  # two definitions left out one after the other: one gap
            runs.append((piece, []))
        elif piece.strip() or runs[-1][1] or not runs[-1][0]:
            runs[-1][1].append(piece)
    return runs


def _placed(run: list[str], lines: list[str], row: int, exact: bool, last: int | None) -> list[int] | None:
    """The rows of a run of lines: from the first row, from `row` on (`row` itself when exact), where the whole run
    stands (and ends on row `last`, when given); None when there is none."""
    if not run:
        return []
    for at in range(row, row + 1 if exact else len(lines) + 1):
        rows = _following(run, lines, at)
        if rows is not None and last in (None, rows[-1]):
            return rows
    return None


def _following(run: list[str], lines: list[str], at: int) -> list[int] | None:
    """The rows of a run of lines whose first stands on row `at`, each next past nothing but blank lines and
    comments; None when it does not stand there."""
    if at > len(lines) or lines[at - 1] != run[0]:
        return None
    rows = [at]
    for piece in run[1:]:
        if (n := _next_row(piece, lines, rows[-1] + 1)) is None:
            return None
        rows.append(n)
    return rows


def _next_row(piece: str, lines: list[str], row: int) -> int | None:
    """The first row from `row` that holds piece, past nothing but blank lines and comments; None when code
    comes first."""
    in_block = False  # inside a block comment whose lines carry no mark
    for n in range(row, len(lines) + 1):
        text = lines[n - 1]
        if text == piece:
            return n
        s = text.strip()
        if in_block or s.startswith("/*"):
            in_block = "*/" not in (s if in_block else s[2:])
        elif s and not _comment_line(s):
            return None
    return None


def _gap_lines(gap: str, lines: list[str], row: int, end: int) -> list[str]:
    """The rows from `row` to before `end` that a definition left out holds: its ELIDED line on the first not
    blank, the rest blank."""
    first = next((n for n in range(row, end) if n <= len(lines) and lines[n - 1].strip()), row)
    return [gap if n == first else "" for n in range(row, end)]


# a compiler's pointer to its source map, often the whole map inline in base64 (superagent's lib/: 46 KB module pieces
# whose text filled answers and words; probe 72): no line of code
_SOURCE_MAP = re.compile(r"\s*(?://|/\*)[#@]\s*sourceMappingURL=")


# a line that begins a statement of the file's top level: at its first column, no closing bracket (a TypeScript
# generic's `>` too), `end`, or a clause that goes on the statement above (`else`, `rescue`, `catch`), no continuation
# of an expression or comment
OPENS_STATEMENT = re.compile(r"(?![)\]}>*.,?:+&|=]|(?:end|else|elsif|elif|rescue|ensure|when|catch|finally|except)\b)\S")


def _directive(line: str) -> bool:
    """Whether a stripped line is a tool's directive and nothing more (probe 152: a lone `/* eslint-enable */`)."""
    return bool(DIRECTIVE.match(line)) and (not line.startswith("/*") or line.endswith("*/"))


def _module_pieces(lines: list[str], held: list[bool], path: str, language: str, stem: str,
                   wrapper_bodies: Collection[int] = ()) -> list[Unit]:
    """The lines no definition holds (a source map's pointer is none), in file order, in pieces of about
    MODULE_PIECE_LINES non-blank lines, each ending between two statements of the file's top level: a piece that
    would end inside one ends before it (xid's `const (` was cut after its first line: probe 86), and one statement
    longer than a piece is cut at twice its size. The comment lines right above a statement go with it (govalidator's
    `// TagMap is a map of functions` ended one piece, its `var TagMap` opened the next: probe 128)."""
    pieces: list[list[int]] = []
    current: list[int] = []
    opened = 0  # where in current the last statement of the top level began (with the comments right above it)
    noted: int | None = None  # where in current the comment lines touching this line began
    commented = list(comment_flags(text.strip() for text in lines))
    for row, text in enumerate(lines, start=1):
        if held[row] or not text.strip() and not commented[row - 1] or _SOURCE_MAP.match(text):
            continue  # (a blank line inside a block comment keeps its comment together)
        if current and sum(held[current[-1] + 1 : row]) > MODULE_PIECE_LINES:  # no piece reaches across a long
            pieces.append(current)  # definition (sortedlist.py's imports and last line were one piece of 2,646
            current, opened, noted = [], 0, None  # lines: probe 181)
        touching = bool(current) and row == current[-1] + 1
        if commented[row - 1]:
            noted = noted if noted is not None and touching else len(current)
            opens, start = False, len(current)
        else:
            opens = bool(OPENS_STATEMENT.match(text))
            start = noted if noted is not None and touching else len(current)
            noted = None
        # a comment run is cut only past COMMENT_RUN_LINES: go-flags' 250-line package comment, cut at 120 lines, was
        # three pieces of prose none of which was the package's documentation (probe 181)
        full = len(current) >= (COMMENT_RUN_LINES if commented[row - 1] else 2 * MODULE_PIECE_LINES)
        if len(current) >= MODULE_PIECE_LINES and (opens or noted is None or full):
            cut = start if opens else len(current) if full else opened
            if cut:
                pieces.append(current[:cut])
                current, opened = current[cut:], 0
                noted = None if noted is None else max(0, noted - cut)
                start = max(0, start - cut)
        if opens:
            opened = start
        current.append(row)
    if current:
        pieces.append(current)
    # a piece of tools' directives only (`/* eslint-enable ... */` between two definitions) says nothing: none
    pieces = [rows for rows in pieces if not all(_directive(lines[r - 1].strip()) for r in rows)]
    found = own_bindings(language, "module", [(r, lines[r - 1]) for rows in pieces for r in rows], lines,
                         wrapper_bodies)
    out = []
    for rows in pieces:
        mine = set(rows)
        parts: list[str] = []
        for i, row in enumerate(rows):
            if i and row > rows[i - 1] + 1 and any(held[rows[i - 1] + 1 : row]):
                parts.append(ELIDED)  # a definition sat between these lines
            parts.append(lines[row - 1])
        out.append(Unit(path=path, language=language, name=stem, qualified_name=stem, kind="module",
                        start_line=rows[0], end_line=rows[-1], start_col=1, docstring="", code="\n".join(parts),
                        binds=tuple(b for b in found if b[1] in mine)))
    return out
