"""The query box: an Input where `?` opens help until the user starts typing a question."""

from __future__ import annotations

from textual import events
from textual.widgets import Input


class QueryInput(Input):
    """Lets `?` reach the app's help binding while the box is empty; typed after text, it is a question mark."""

    def check_consume_key(self, key: str, character: str | None) -> bool:
        if character == "?" and not self.value:
            return False
        return super().check_consume_key(key, character)

    async def _on_key(self, event: events.Key) -> None:
        # Textual runs each class's handler in turn: preventing the default keeps Input's from typing the
        # `?`, and the event bubbles on to the app's binding. Typed after text, Input types it as usual.
        if event.character == "?" and not self.value:
            event.prevent_default()
