"""How results look: human (coloured on a terminal), JSON, or vimgrep lines for editors."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

from codesearch.query import FileHit, Hit
from codesearch.safetext import printable

PREVIEW_LINES = 4


def display_path(root: Path, rel: str) -> str:
    """A result's path relative to the working directory, as editors expect (escaped for a terminal)."""
    try:
        return printable(os.path.relpath(root / rel))
    except ValueError:
        return printable(root / rel)


def _root(repo: str | None, root: Path) -> Path:
    return Path(repo) if repo else root


def hit_json(hit: Hit | FileHit, root: Path) -> dict:
    d = hit.to_dict()
    d["abs_path"] = str(_root(hit.repo, root) / hit.path)
    return d


def explain_line(h: Hit) -> str:
    """The evidence behind a hit's rank: both rankings and every signal that moved it."""
    sem = f"semantic {h.semantic_score:.3f} (#{h.semantic_rank})" if h.semantic_rank else "semantic -"
    lex = f"lexical #{h.lexical_rank}" if h.lexical_rank else "lexical -"
    signals = ", ".join(f"{name} {value}" for name, value in h.signals.items())
    return f"  [{h.kind}; {sem}, {lex}" + (f"; {signals}" if signals else "") + "]"


def print_files(files: list[FileHit], root: Path, as_json: bool = False, vimgrep: bool = False) -> None:
    """Write file results: path and the best function's line."""
    out = sys.stdout
    if as_json:
        out.write(json.dumps([hit_json(f, root) for f in files], ensure_ascii=False) + "\n")
        return
    if not files:
        print("no results", file=sys.stderr)
        return
    for f in files:
        where, best = display_path(_root(f.repo, root), f.path), printable(f.best)
        if vimgrep:
            out.write(f"{where}:{f.line}:{f.col}:{best}  [{len(f.functions)} matching, {f.score:.3f}]\n")
        else:
            more = f" (+{len(f.functions) - 1} more)" if len(f.functions) > 1 else ""
            out.write(f"{where}:{f.line}  {best}{more}  {f.score:.3f}\n")


def print_hits(hits: list[Hit], root: Path, as_json: bool = False, vimgrep: bool = False, explain: bool = False,
               jsonl: bool = False) -> None:
    """Write results to stdout in the chosen format (this module stays light: the fast client prints with it)."""
    out = sys.stdout
    if jsonl:  # one hit per line, each flushed, for readers that act on the first lines
        for h in hits:
            out.write(json.dumps(hit_json(h, root), ensure_ascii=False) + "\n")
            out.flush()
        return
    if as_json:
        out.write(json.dumps([hit_json(h, root) for h in hits], ensure_ascii=False) + "\n")
        return
    if vimgrep:
        for h in hits:
            first = printable(h.code.split("\n", 1)[0].strip())
            out.write(f"{display_path(_root(h.repo, root), h.path)}:{h.start_line}:{h.start_col}:{first}  "
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
        where = f"{display_path(_root(h.repo, root), h.path)}:{h.start_line}"
        why = printable(explain_line(h)) if explain else ""
        if h.also_in:
            why += f"  (also in {len(h.also_in)} place{'s' if len(h.also_in) > 1 else ''})"
        preview = printable("\n".join(h.code.split("\n")[:PREVIEW_LINES]), multiline=True)
        name = printable(h.qualified_name)
        if console is not None:
            from rich.markup import escape
            from rich.syntax import Syntax

            console.print(f"[bold cyan]{escape(where)}[/]  [bold]{escape(name)}[/]  [green]{h.score:.3f}[/]{escape(why)}")
            console.print(Syntax(preview, printable(h.language), line_numbers=True, start_line=h.start_line, word_wrap=False,
                                 background_color="default"))
        else:
            out.write(f"{where}  {name}  {h.score:.3f}{why}\n")
            for i, line in enumerate(preview.split("\n")):
                out.write(f"    {h.start_line + i:>5} | {line}\n")
            out.write("\n")
