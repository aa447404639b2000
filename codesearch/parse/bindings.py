"""The names a module piece or a type binds at its own level: constants, variables, fields, enum members.

A function is found by its name because it is a unit of that name. A constant is not a unit: it lives in
a module piece named after its file (`DEFAULT_REDIRECT_LIMIT = 30` in models.py, `export const
asyncScheduler = new AsyncScheduler(...)` in async.ts) or in its class's type unit (`INDEX_NOT_FOUND`
in StringUtils). So that a user who types such a name lands on where it is bound, the identifier
lookup asks which of the units whose code holds the name bind it, by the language's `bind_lines`
(codesearch/languages.py), read only at the unit's own level: top-level lines of a module piece, a
type's member lines, the lines of a Go `const (...)`/`var (...)` group; not a call's arguments or an
object literal's keys.
"""

from __future__ import annotations

import re
from functools import lru_cache

from codesearch.languages import BY_NAME

SPAN_LINES = 40  # how far a binding's statement is followed to where its brackets close
BINDING_KINDS = ("module", "type")  # the unit kinds whose own lines bind names (others are named themselves)
_BRACES = {"(": ")", "[": "]", "{": "}"}
_STRINGS = re.compile(r'"(?:\\.|[^"\\])*"|\'(?:\\.|[^\'\\])*\'|`[^`]*`')
_ANY_BRACE = re.compile(r"[()\[\]{}]")
_GO_GROUP = re.compile(r"(?:const|var)\s*\(\s*(?://.*)?")
_KEYWORDS = frozenset({"package", "import", "return", "type", "func", "new", "else", "case", "default", "class",
                       "interface", "enum", "struct", "public", "private", "protected", "static", "final", "export",
                       "if", "for", "while", "do", "def", "end", "module", "function", "throw", "yield", "self", "this"})


@lru_cache(maxsize=None)
def _patterns(language: str) -> tuple[re.Pattern, ...]:
    spec = BY_NAME.get(language)
    return tuple(re.compile(p) for p in spec.bind_lines) if spec else ()


def _line_comment(language: str, line: str) -> bool:
    """Whether a stripped line is a comment."""
    spec = BY_NAME.get(language)
    return spec is not None and line.startswith(spec.comment_lines)


def _opened(line: str, stack: list[int], row: int) -> None:
    """Push (row) for each bracket the line opens, pop for each it closes, outside its strings and comments."""
    if not _ANY_BRACE.search(line):
        return
    text = _STRINGS.sub('""', line).split("//", 1)[0]
    for ch in text:
        if ch in _BRACES:
            stack.append(row)
        elif ch in ")]}" and stack:
            stack.pop()


def bound_names(language: str, kind: str, code: str, near: str = "") -> list[str]:
    """The names a unit of this kind binds at its own level, in order (none for functions and blocks);
    near: only on lines holding this name without case and '_' (a lookup's shortcut)."""
    patterns = _patterns(language)
    if kind not in BINDING_KINDS or not patterns:
        return []
    lines = code.split("\n")
    out: list[str] = []
    stack: list[int] = []
    for row, raw in enumerate(lines):
        line = raw.strip()
        if (line and (not near or near in line.lower().replace("_", "")) and not _line_comment(language, line)
                and _own_level(language, kind, lines, stack)):
            for pattern in patterns:
                m = pattern.fullmatch(line)
                if m and m.group(1) not in _KEYWORDS and m.group(1) not in out:
                    out.append(m.group(1))
                    break
        _opened(line, stack, row)
    return out


def _own_level(language: str, kind: str, lines: list[str], stack: list[int]) -> bool:
    """A line at the unit's own level: outside every bracket, or (braced languages) directly inside a
    type's body opened on its first lines or a Go `const (`/`var (` group."""
    if not stack:
        return True
    if len(stack) > 1 or BY_NAME[language].indented_bodies:
        return False
    opener = stack[0]
    return (kind == "type" and opener < 3) or bool(_GO_GROUP.fullmatch(lines[opener].strip()))


def binding_span(language: str, lines: list[str], name: str) -> tuple[int, int] | None:
    """(first, last) indexes in lines of the first statement binding name, to where its brackets close: the lines
    a hit found by that name shows (a file's own lines, where a unit's code has its definitions elided)."""
    patterns = _patterns(language)
    for first, raw in enumerate(lines):
        line = raw.strip()
        if not line or _line_comment(language, line):
            continue
        if any((m := p.fullmatch(line)) and m.group(1) == name for p in patterns):
            stack: list[int] = []
            last = first
            while last < min(len(lines), first + SPAN_LINES):
                _opened(lines[last].strip(), stack, last)
                if not stack:
                    break
                last += 1
            return first, min(last, len(lines) - 1)
    return None


def binds(language: str, kind: str, code: str, name: str) -> bool:
    """Whether the unit binds exactly this name."""
    return name in bound_names(language, kind, code)
