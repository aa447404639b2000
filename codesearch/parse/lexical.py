"""Words for lexical search: the text each unit's fields are indexed as, so `parseConfig`,
`parse_config`, "parse config" and "parsing configs" meet on the same words.

A field's index text is its words lower-cased and space-separated, each compound identifier followed
by its parts, and each word's light stem where it differs: `parseConfigs` -> 'parseconfigs parse
pars configs config'. A question is stemmed the same way (codesearch.query.QueryTerms), a name is
matched as typed; both find their words here. Python counts these words again when it scores
(codesearch.search.bm25), so the text is stored already split.
"""

from __future__ import annotations

import re
from pathlib import PurePosixPath

# (split_identifier: the one splitter, named here for the index)
from codesearch.query import WORD as _WORD, expression_name, folded, spoken_name, spoken_words, split_identifier, stem  # noqa: F401

_IDENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
FIELDS = ("name", "file", "path", "doc", "code")  # the lexical index's columns, in order
# A word written with hyphens, letters only (`re-thrown`, `read-only`, `X-Forwarded-For`, a flag's `--no-cache`, CSS's
# `font-size`), glued to no other word character or hyphen: digits make it no word (`count-1`, a date, a UUID, `utf-8`)
_HYPHENATED = re.compile(r"(?<![\w-])-{0,2}([^\W\d_]+(?:-[^\W\d_]+)+)(?![\w-])")
JOINED_PIECES = 4  # words in a chain joined at most (X-Content-Type-Options); a longer one is a slug or a phrase


def _joined_words(text: str) -> dict[int, str]:
    """A hyphenated word's letters as one word, lower-cased, by where it ends in text: code writes "re-thrown",
    "read-only", "e-mail" where a question types "rethrown", "readonly", "email" (commons-logging's handleThrowable was
    last for "which errors are rethrown instead of swallowed": probe 213). Each part in one case (`a-zA-Z`, a range, and
    `x-myVar`, a subtraction, are no word); the parts are stored as they were."""
    out: dict[int, str] = {}
    for m in _HYPHENATED.finditer(text):
        parts = m.group(1).split("-")
        if len(parts) <= JOINED_PIECES and all(p.islower() or p.isupper() or p.istitle() for p in parts):
            out[m.end()] = folded("".join(parts)).lower()
    return out


def index_words(text: str) -> str:
    """A text as the lexical index stores it: words, identifier parts and stems, lower-cased, space-separated."""
    out: list[str] = []
    joined = _joined_words(text) if "-" in text else {}
    for match in _WORD.finditer(text):
        word = folded(match.group())
        low = word.lower()
        out.append(low)
        parts = split_identifier(word) if _IDENT.fullmatch(word) else []
        if len(parts) > 1 or parts[:1] not in ([], [low]):  # `parseConfig`, and `_shutdown`, `modified_`: shutdown
            out.extend(parts)
        else:
            parts = [low]
        for p in parts:
            s = stem(p)
            if s != p:
                out.append(s)
        # a name's letters with the digits after them, one word as a question writes it (`toBase58`: base58,
        # `sha256Hash`: sha256; "base58" met no name, only `base` and `58`: probe 177)
        out.extend(a + b for a, b in zip(parts, parts[1:]) if a.isalpha() and b.isdigit() and a + b != low)
        if match.end() in joined:  # after the chain's last part, stemmed as any word (probe 213)
            out.extend(dict.fromkeys((joined[match.end()], stem(joined[match.end()]))))
    return " ".join(out)


# What a comment tells a tool, not a reader: a type checker's, a linter's or a coverage tool's remark (`# type:
# ignore[override]`, `# pragma: no cover`, `// eslint-disable-line no-unused-vars`, `# rubocop:disable Metrics/X`).
# Its words are no words of the code: pluggy's 3-line `_call_history` came first for "override the result of a hook
# call" by its `# type: ignore[override]`
_TOOL_REMARK = re.compile(
    r"#\s*(?:type:\s*ignore(?:\[[^\]\n]*\])?|pragma:\s*no\s+(?:cover|branch)|noqa\b(?::\s*[A-Z]+\d+(?:\s*,\s*[A-Z]+\d+)*)?|pylint:[^\n]*|nosec\b|"
    r"fmt:\s*(?:on|off|skip)|pyright:[^\n]*|mypy:[^\n]*|rubocop:[^\n]*)"
    r"|//\s*(?:eslint-disable(?:-next)?-line\b[^\n]*|@ts-(?:ignore|expect-error|nocheck)\b[^\n]*|prettier-ignore|"
    r"(?:istanbul|[cv]8)\s+ignore\b[^\n]*|phpcs:[^\n]*|NOSONAR\b)|//nolint\b[^\n]*"
    r"|/\*\s*(?:eslint-disable|istanbul\s+ignore|[cv]8\s+ignore|tslint:|prettier-ignore)[^*]*\*/")


def unit_fields(name: str, qualified_name: str, path: str, doc: str, code: str) -> tuple[str, str, str, str, str]:
    """A unit's five lexical fields (FIELDS): its names, its file's name, its folders, its doc comment, its code (a
    tool's remarks left out: _TOOL_REMARK). (A licence opening a file left out of its module piece's words, as its
    vector leaves it out (isodate: probe 149), cost the tuning half: fresh2 0.8934 -> 0.8890, tune 0.9481 either way.)"""
    code = _TOOL_REMARK.sub(" ", code)
    p = PurePosixPath(path)
    qualified_name = spoken_name(qualified_name)
    names = qualified_name if name in qualified_name else f"{name} {qualified_name}"
    names = f"{names} {own}" if (own := expression_name(name, code)) else names  # `RR = function SelectorRoundRobin()`
    file_name = p.name.split(".", 1)[0] if not p.name.startswith(".") else p.name  # websockets.py -> websockets
    said = spoken_words(name)  # Wrapf: wrap, format (probe 156); __eq__: equal, equality, compare (probe 154)
    name_words = f"{index_words(names)} {index_words(' '.join(said))}" if said else index_words(names)
    return (name_words, index_words(file_name), index_words(" ".join(p.parts[:-1])), index_words(doc), index_words(code))
