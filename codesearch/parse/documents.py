"""What text a function becomes before it is embedded.

Default ("doc+code"): the doc comment when it sits outside the body (Go, Ruby, Java, JavaScript,
PHP; a Python docstring is already inside the code), then the code. The doc comment is what the
author wrote in words for readers, which is what a natural-language question looks like; the code
carries the rest. The choice is measured in benchmarks/README.md (CodeSearchNet-style, from source).
"""

from __future__ import annotations

import hashlib
import re

from codesearch.languages import BY_NAME
from codesearch.parse.parsing import Unit
from codesearch.parse.units import docstrings, past_overloads, worth_embedding

DOCUMENT_STYLES = ("code", "doc+code", "name+doc+code")
DEFAULT_STYLE = "doc+code"
LEXICAL_ONLY = "-"  # prefix of the text hash of a unit found by its words only, never embedded


def _doc_in_code(language: str) -> bool:
    """A docstring language's doc is already inside the code (embedding it twice weighs it double)."""
    return docstrings(language)


# A docstring this far into its function's code (past a long typed signature) is put first as well: a model reads a
# unit's first tokens only (MiniLM 128, udever 300), and cattrs' code generators, whose parameter lists alone take
# 128 to 221 tokens, were embedded as their parameters (their docstrings said what a question asks)
DOC_FIRST_AFTER = 400  # characters of code before the docstring, about MiniLM's budget


def document_text(unit: Unit, style: str = DEFAULT_STYLE) -> str:
    """The text embedded for a unit."""
    parts: list[str] = []
    if style == "name+doc+code":
        parts.append(f"{unit.path} {unit.qualified_name}")
    if style in ("doc+code", "name+doc+code") and unit.docstring and (
            not _doc_in_code(unit.language) or _doc_far_in(unit) or _doc_outside_code(unit)):
        parts.append(unit.docstring)
    parts.append(without_licence(unit.code) if unit.kind == "module" and unit.start_line <= LICENCE_FROM else
                 past_overloads(unit))
    return "\n".join(parts)


# A file's opening comment that states its copyright or licence: the same lines atop every file of a project, so a
# model that reads a unit's first tokens only read that (Markdown: 37 of 55 module pieces embedded as 7 vectors; a
# question about one file's subject met none). Left out of what a module piece at a file's top embeds; still its words.
LICENCE = re.compile(r"copyright|licen[cs]e|SPDX-", re.IGNORECASE)
LICENCE_FROM = 3  # a module piece starting on one of a file's first lines opens the file


def without_licence(code: str) -> str:
    """code without the comment blocks at its top up to the last that states a copyright or licence (Markdown's
    name, authors and licence, in three blocks); a comment block after it stays (Go's `// Package ratelimit ...`
    below the licence says what the file is for), so does code after a block's `*/` on its line."""
    lines = code.split("\n")
    opener = lines[:1] if lines and lines[0].strip().startswith("<?php") else []  # PHP's opening tag stays
    lines = lines[len(opener):]
    cut, rest, block, start = 0, "", False, 0  # lines to drop, code left on the last dropped line
    for row, line in enumerate(lines):
        text = line.strip()
        if block or text.startswith("/*"):
            start = start if block else row  # a `/*` opens a block of its own
            body = text[2:] if not block else text
            block = "*/" not in body  # the block goes on to a later line
            after = "" if block else body.split("*/", 1)[1].strip()
            if not block and LICENCE.search("\n".join(lines[start : row + 1])):
                cut, rest = row + 1, after
            if after:
                break  # code on the block's last line
        elif not text:
            start = row + 1  # a blank line ends a block
        elif text.startswith(_LINE_COMMENTS):
            if LICENCE.search(text) or (cut and cut == row):  # a licence's line, or one of its comment run
                cut, rest = row + 1, ""
        else:
            break
    if not cut or cut >= len(lines) and not rest:
        return code
    return "\n".join(opener + ([rest] if rest else []) + lines[cut:]).lstrip("\n")


_LINE_COMMENTS = ("#", "//", "*", "--")


def past_licence(code: str) -> int:
    """How many of code's first lines its licence takes (what without_licence drops; a PHP opening tag, not counted,
    stays before them): 0 without one."""
    rest = without_licence(code)
    if rest == code:
        return 0
    lines = code.split("\n")
    first = next((s for s in rest.split("\n") if s.strip() and not s.strip().startswith("<?php")), None)
    return next((i for i, line in enumerate(lines) if i and line == first), 0) if first is not None else 0


def _doc_outside_code(unit: Unit) -> bool:
    """A docstring language's unit whose doc is the comment above it, not a docstring in its code (probe 121)."""
    first = unit.docstring.strip().split("\n", 1)[0][:40]
    return bool(first) and first not in unit.code


def _doc_far_in(unit: Unit) -> bool:
    """Whether a docstring starts more than DOC_FIRST_AFTER characters into its unit's code."""
    first = next((line.strip() for line in unit.docstring.split("\n") if line.strip()), "")
    at = unit.code.find(first) if first else -1
    return at > DOC_FIRST_AFTER


def text_hash(text: str) -> str:
    """Key of the embedding cache: the same text costs one embedding, wherever it moves."""
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()


def unit_hash(unit: Unit, text: str | None = None) -> str:
    """A unit's catalog hash: its document text's (given when the caller has it already), marked
    LEXICAL_ONLY when the unit is too small to be worth a vector."""
    h = text_hash(document_text(unit) if text is None else text)
    return h if worth_embedding(unit) else LEXICAL_ONLY + h


def gets_vector(unit_text_hash: str) -> bool:
    """Whether a unit with this catalog hash is embedded (unit_hash marks the words-only ones)."""
    return not unit_text_hash.startswith(LEXICAL_ONLY)
