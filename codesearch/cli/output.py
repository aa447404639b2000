"""How results look: human (coloured on a terminal), JSON, or vimgrep lines for editors."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

from ..query import Hit

PREVIEW_LINES = 4


def display_path(root: Path, rel: str) -> str:
    """A result's path relative to the working directory, as editors expect."""
    try:
        return os.path.relpath(root / rel)
    except ValueError:
        return str(root / rel)


def hit_json(hit: Hit, root: Path) -> dict:
    d = hit.to_dict()
    d["abs_path"] = str(root / hit.path)
    return d


def print_hits(hits: list[Hit], root: Path, as_json: bool = False, vimgrep: bool = False, explain: bool = False) -> None:
    """Write results to stdout in the chosen format."""
    out = sys.stdout
    if as_json:
        out.write(json.dumps([hit_json(h, root) for h in hits], ensure_ascii=False) + "\n")
        return
    if vimgrep:
        for h in hits:
            first = h.code.split("\n", 1)[0].strip()
            out.write(f"{display_path(root, h.path)}:{h.start_line}:{h.start_col}:{first}  [{h.qualified_name} {h.score:.3f}]\n")
        return
    if not hits:
        print("no results", file=sys.stderr)
        return
    tty = out.isatty()
    console = None
    if tty:
        from rich.console import Console

        console = Console(highlight=False)
    for h in hits:
        where = f"{display_path(root, h.path)}:{h.start_line}"
        why = ""
        if explain:
            sem = f"semantic {h.semantic_score:.3f} (#{h.semantic_rank})" if h.semantic_rank else "semantic -"
            lex = f"lexical #{h.lexical_rank}" if h.lexical_rank else "lexical -"
            why = f"  [{sem}, {lex}]"
        preview = "\n".join(h.code.split("\n")[:PREVIEW_LINES])
        if console is not None:
            from rich.syntax import Syntax

            console.print(f"[bold cyan]{where}[/]  [bold]{h.qualified_name}[/]  [green]{h.score:.3f}[/]{why}")
            console.print(Syntax(preview, h.language, line_numbers=True, start_line=h.start_line, word_wrap=False,
                                 background_color="default"))
        else:
            out.write(f"{where}  {h.qualified_name}  {h.score:.3f}{why}\n")
            for i, line in enumerate(preview.split("\n")):
                out.write(f"    {h.start_line + i:>5} | {line}\n")
            out.write("\n")
