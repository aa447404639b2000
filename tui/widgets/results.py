"""The result list: qualified name, path:line, language and score per hit."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from codesearch.safetext import printable
from codesearch.query import Hit


class ResultList(OptionList):
    """Hits as options; the highlighted one drives the preview."""

    DEFAULT_CSS = """
    ResultList { height: 1fr; border: round $primary 40%; text-wrap: nowrap; text-overflow: ellipsis; }
    ResultList:focus { border: round $primary; }
    """

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.hits: list[Hit] = []

    def show(self, hits: list[Hit]) -> None:
        """Replace the list with new hits, highlighting the first."""
        self.hits = hits
        options = []
        for h in hits:
            label = Text.assemble((f"{h.score:.3f}", "green"), "  ", (printable(h.qualified_name), "bold"), "  ",
                                  (printable(f"{h.path}:{h.start_line}"), "cyan"), "  ", (printable(h.language), "magenta"),
                                  "  ", (printable(h.kind), "yellow"))
            label.no_wrap, label.overflow = True, "ellipsis"
            options.append(Option(label, id=str(h.id)))
        self.set_options(options)
        if hits:
            self.highlighted = 0

    @property
    def current(self) -> Hit | None:
        if self.highlighted is None or not (0 <= self.highlighted < len(self.hits)):
            return None
        return self.hits[self.highlighted]
