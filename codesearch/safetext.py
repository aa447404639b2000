"""Text from indexed files and index folders, made safe to show on a terminal.

Names, paths and code come from repositories we do not control; a raw ESC, OSC or bidi override
in them could retitle the terminal, hide text or rewrite what the user sees. Human output shows
such characters escaped (\\x1b, \\u202e); JSON output keeps the exact text.
"""

from __future__ import annotations

import posixpath
import re

# C0 controls, DEL, C1 controls, and the Unicode bidi and line/paragraph separators
_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
_NEWLINES_AND_TABS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def _escape(match: re.Match) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def printable(text: object, multiline: bool = False) -> str:
    """text with control and bidi characters shown as escapes; multiline keeps newlines and tabs."""
    return (_NEWLINES_AND_TABS if multiline else _UNSAFE).sub(_escape, str(text))


def safe_rel_path(rel: object) -> bool:
    """True for a path we could have written: relative, normalised, '/'-separated, inside the root."""
    if not isinstance(rel, str) or not rel or "\x00" in rel:
        return False
    if rel.startswith("/") or posixpath.normpath(rel) != rel:
        return False
    return ".." not in rel.split("/") and rel != "."
