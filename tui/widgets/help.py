"""The help screen: every key the app understands."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Markdown

HELP = """\
# codesearch

Type a question in any language; results follow as you type.

| key | does |
|---|---|
| up / down, ctrl+n / ctrl+p | move through results |
| enter | open `$VISUAL` / `$EDITOR` at the function |
| ctrl+l | filter by language (e.g. `go,python`) |
| ctrl+g | filter by path (gitignore-style glob, e.g. `src/**/*.py`) |
| ctrl+y | copy `path:line` |
| ctrl+s | find code like the selected result |
| ctrl+t | switch ranking: hybrid → semantic → lexical |
| f1 | this help, from anywhere (also `?` in an empty query box) |
| esc / ctrl+q | quit |
"""


class HelpScreen(ModalScreen[None]):
    BINDINGS = [("escape", "dismiss", "Close"), ("q", "dismiss", "Close"), ("question_mark", "dismiss", "Close")]
    DEFAULT_CSS = """
    HelpScreen { align: center middle; }
    HelpScreen > Vertical { width: 76; height: auto; border: thick $primary; background: $surface; padding: 0 1; }
    """

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Markdown(HELP)

    def action_dismiss(self) -> None:  # type: ignore[override]
        self.dismiss(None)
