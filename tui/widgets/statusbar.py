"""One line at the bottom: model, units indexed (functions, types, module code, blocks), how much is embedded, and whether the index is fresh."""

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
    functions = reactive(None)  # None until counted: never a "0 functions" that is not true
    freshness = reactive("opening")
    mode = reactive("hybrid")
    filters = reactive("")
    semantic = reactive("")  # "semantic: 37 % indexed" while some functions have no vector yet

    def show_coverage(self, embedded: int, total: int, state: str = "ready", static: int = 0) -> None:
        """Say how far search by meaning is (the engine's semantic_state; the static tier and the model),
        until the model covers the whole index."""
        if state == "model loading":
            self.semantic = "semantic: model loading (answers by words)"
        elif state == "model unavailable":
            self.semantic = "semantic: unavailable (answers by words)"
        elif not 0 <= embedded < total:
            self.semantic = ""
        elif static:
            self.semantic = (f"semantic: static {coverage_percent(static, total)} %, "
                             f"model {coverage_percent(embedded, total)} %")
        else:
            self.semantic = f"semantic: {coverage_percent(embedded, total)} % indexed"

    def render(self) -> str:
        counted = "counting units…" if self.functions is None else f"{self.functions} units"
        parts = [self.model, counted, *([self.semantic] if self.semantic else []), self.freshness,
                 f"mode: {self.mode}"]
        if self.filters:
            parts.append(self.filters)
        return "  ·  ".join(parts)
