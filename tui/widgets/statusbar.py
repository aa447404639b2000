"""One line at the bottom: model, functions indexed, and whether the index is fresh."""

from __future__ import annotations

from textual.reactive import reactive
from textual.widgets import Static


class StatusBar(Static):
    """Model · functions · freshness · mode · filters."""

    DEFAULT_CSS = """
    StatusBar { height: 1; background: $panel; color: $text-muted; padding: 0 1; }
    """

    model = reactive("loading model…")
    functions = reactive(0)
    freshness = reactive("opening")
    mode = reactive("hybrid")
    filters = reactive("")

    def render(self) -> str:
        parts = [self.model, f"{self.functions} functions", self.freshness, f"mode: {self.mode}"]
        if self.filters:
            parts.append(self.filters)
        return "  ·  ".join(parts)
