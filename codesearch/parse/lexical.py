"""Words for lexical search: identifiers split so `parseConfig` and `parse_config` match "parse config"."""

from __future__ import annotations

import re

_IDENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])|(?<=[A-Za-z])(?=[0-9])")
_WORD = re.compile(r"\w+", re.UNICODE)


def split_identifier(ident: str) -> list[str]:
    """`parseHTTPConfig_v2` -> ['parse', 'http', 'config', 'v2']."""
    parts: list[str] = []
    for chunk in ident.split("_"):
        parts.extend(p.lower() for p in _CAMEL.split(chunk) if p)
    return parts


def expand(text: str) -> str:
    """Text plus the parts of every compound identifier in it, for the FTS index."""
    extra: list[str] = []
    for ident in set(_IDENT.findall(text)):
        parts = split_identifier(ident)
        if len(parts) > 1:
            extra.extend(parts)
    return text + ("\n" + " ".join(extra) if extra else "")


def query_terms(text: str) -> list[str]:
    """Search terms of a query: words, identifiers and their parts, lower-cased, de-duplicated."""
    terms: list[str] = []
    for word in _WORD.findall(text):
        for t in [word.lower(), *split_identifier(word)] if _IDENT.fullmatch(word) else [word.lower()]:
            if t and t not in terms:
                terms.append(t)
    return terms


def fts_query(text: str) -> str | None:
    """An FTS5 MATCH expression that ORs the quoted terms, or None when the text has no words."""
    terms = query_terms(text)
    if not terms:
        return None
    return " OR ".join('"' + t.replace('"', '""') + '"' for t in terms)
