"""The query box: an Input where `?` opens help until the user starts typing a question."""

from __future__ import annotations

from textual.widgets import Input


class QueryInput(Input):
    """Lets `?` reach the app's help binding while the box is empty."""

    def check_consume_key(self, key: str, character: str | None) -> bool:
        if character == "?" and not self.value:
            return False
        return super().check_consume_key(key, character)
