"""One line at the bottom: model, functions indexed, how much is embedded, and whether the index is fresh."""

from __future__ import annotations

from textual.reactive import reactive
from textual.widgets import Static

from codesearch.query import coverage_percent


class StatusBar(Static):
    """Model · functions · semantic coverage (while a first index embeds) · freshness · mode · filters."""

    DEFAULT_CSS = """
    StatusBar { height: 1; background: $panel; color: $text-muted; padding: 0 1; }
    """

    model = reactive("loading model…")
    functions = reactive(0)
    freshness = reactive("opening")
    mode = reactive("hybrid")
    filters = reactive("")
    semantic = reactive("")  # "semantic: 37 % indexed" while some functions have no vector yet

    def show_coverage(self, embedded: int, total: int, static: int = 0) -> None:
        """Say how much of the index each semantic tier covers, until the model covers all of it."""
        if not 0 <= embedded < total:
            self.semantic = ""
        elif static:
            self.semantic = (f"semantic: static {coverage_percent(static, total)} %, "
                             f"model {coverage_percent(embedded, total)} %")
        else:
            self.semantic = f"semantic: {coverage_percent(embedded, total)} % indexed"

    def render(self) -> str:
        parts = [self.model, f"{self.functions} functions", *([self.semantic] if self.semantic else []), self.freshness,
                 f"mode: {self.mode}"]
        if self.filters:
            parts.append(self.filters)
        return "  ·  ".join(parts)
