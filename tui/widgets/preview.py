"""The preview pane: the function's code, syntax-highlighted, with the lines around it."""

from __future__ import annotations

from pathlib import Path

from rich.syntax import Syntax
from textual.containers import VerticalScroll
from textual.widgets import Static

from codesearch.safetext import printable, safe_rel_path
from codesearch.query import Hit

CONTEXT_LINES = 3


class Preview(VerticalScroll):
    """Shows one hit; reads the file so the surrounding lines are current."""

    DEFAULT_CSS = """
    Preview { height: 1fr; border: round $secondary 40%; }
    Preview > Static { width: auto; }
    """

    def compose(self):
        yield Static("", id="code")

    def show(self, hit: Hit | None, root: Path) -> None:
        code = self.query_one("#code", Static)
        if hit is None:
            code.update("")
            self.border_title = ""
            return
        start = max(1, hit.start_line - CONTEXT_LINES)
        try:
            if not _inside(root, hit.path):
                raise OSError("outside the repository")
            lines = (root / hit.path).read_text(encoding="utf-8", errors="replace").split("\n")
            text = "\n".join(lines[start - 1 : hit.end_line + CONTEXT_LINES])
        except OSError:
            start, text = hit.start_line, hit.code
        text = printable(text, multiline=True)
        lexer = printable(hit.language)
        code.update(Syntax(text, lexer, line_numbers=True, start_line=start, word_wrap=False,
                           highlight_lines=set(range(hit.start_line, hit.end_line + 1)), theme="monokai"))
        self.border_title = printable(f"{hit.path}:{hit.start_line}-{hit.end_line} · {hit.language}")
        self.scroll_home(animate=False)


def _inside(root: Path, rel: str) -> bool:
    """Read only files that are really inside the repository (no traversal, no link out of it)."""
    if not safe_rel_path(rel):
        return False
    try:
        (root / rel).resolve().relative_to(root.resolve())
    except (OSError, ValueError):
        return False
    return True
