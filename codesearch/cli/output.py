"""How results look: human (coloured on a terminal), JSON, or vimgrep lines for editors."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

from ..query import Hit
from ..safetext import printable

PREVIEW_LINES = 4


def display_path(root: Path, rel: str) -> str:
    """A result's path relative to the working directory, as editors expect (escaped for a terminal)."""
    try:
        return printable(os.path.relpath(root / rel))
    except ValueError:
        return printable(root / rel)


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
            first = printable(h.code.split("\n", 1)[0].strip())
            out.write(f"{display_path(root, h.path)}:{h.start_line}:{h.start_col}:{first}  "
                      f"[{printable(h.qualified_name)} {h.score:.3f}]\n")
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
        preview = printable("\n".join(h.code.split("\n")[:PREVIEW_LINES]), multiline=True)
        name = printable(h.qualified_name)
        if console is not None:
            from rich.markup import escape
            from rich.syntax import Syntax

            console.print(f"[bold cyan]{escape(where)}[/]  [bold]{escape(name)}[/]  [green]{h.score:.3f}[/]{why}")
            console.print(Syntax(preview, printable(h.language), line_numbers=True, start_line=h.start_line, word_wrap=False,
                                 background_color="default"))
        else:
            out.write(f"{where}  {name}  {h.score:.3f}{why}\n")
            for i, line in enumerate(preview.split("\n")):
                out.write(f"    {h.start_line + i:>5} | {line}\n")
            out.write("\n")
