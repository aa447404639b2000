"""The result list: score, qualified name, path:line, unit kind and language per hit; the path is shown whole,
or elided in its middle when the list is too narrow (never cut off at the end)."""

from __future__ import annotations

from rich.text import Text
from textual import events
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from codesearch.query import Hit
from codesearch.safetext import printable

ELLIPSIS = "…"
MIN_NAME = 12  # a qualified name keeps at least this much before the path is elided
TIGHT_NAME = 6  # ...or this much when the file name would not fit otherwise
WITH_LANGUAGE = 72  # a narrower list leaves the kind and language out (the preview's title says it)


def middle_elide(text: str, width: int) -> str:
    """text within width characters, its middle replaced by an ellipsis; the end (a file name and its
    line) is kept whole when it fits, since that is what tells two results apart."""
    if len(text) <= width:
        return text
    if width <= 1:
        return ELLIPSIS[:width]
    tail = text[text.rfind("/", 0, len(text) - 1) + 1:] if "/" in text else text
    keep_tail = max(min(len(tail), width - 1), (width - 1) * 2 // 3)
    keep_head = width - 1 - keep_tail
    return text[:keep_head] + ELLIPSIS + text[len(text) - keep_tail:]


def label(hit: Hit, width: int | None) -> Text:
    """One result's line, fitted to width: a narrow list leaves the language out (the preview says it),
    then the name is cut, and the path is elided in its middle."""
    score, name = f"{hit.score:.3f}", printable(hit.qualified_name)
    where, lang = printable(f"{hit.path}:{hit.start_line}"), printable(f"{hit.kind} {hit.language}")
    if width:
        room = width - len(score) - 4  # two two-space gaps
        if width >= WITH_LANGUAGE:
            room -= len(lang) + 2
        else:
            lang = ""
        name_room = max(min(len(name), MIN_NAME), room - len(where))
        need = min(len(where), len(where.rsplit("/", 1)[-1]) + 5)  # the file name and line, and a little before
        if room - name_room < need:  # very narrow: the name gives way to the file name
            name_room = max(TIGHT_NAME, room - need)
        if len(name) > name_room:
            name = name[: max(name_room - 1, 0)] + ELLIPSIS
        where = middle_elide(where, max(room - len(name), 1))
    text = Text.assemble((score, "green"), "  ", (name, "bold"), "  ", (where, "cyan"),
                         *(("  ", (lang, "magenta")) if lang else ()))
    text.no_wrap, text.overflow = True, "ellipsis"
    return text


class ResultList(OptionList):
    """Hits as options; the highlighted one drives the preview; the border title says what the list shows."""

    DEFAULT_CSS = """
    ResultList { height: 1fr; border: round $primary 40%; text-wrap: nowrap; text-overflow: ellipsis; }
    ResultList:focus { border: round $primary; }
    """

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.hits: list[Hit] = []

    def _width(self) -> int | None:
        """Characters a line may take (None before the first layout: nothing to fit yet)."""
        return self.scrollable_content_region.width or None

    def show(self, hits: list[Hit], title: str = "") -> None:
        """Replace the list with new hits, highlighting the first; title (e.g. "like Foo.bar") heads the list."""
        self.hits = hits
        self.border_title = title
        self._render_hits()
        if hits:
            self.highlighted = 0

    def _render_hits(self) -> None:
        highlighted, width = self.highlighted, self._width()
        self.set_options([Option(label(h, width), id=str(h.id)) for h in self.hits])
        if highlighted is not None and highlighted < len(self.hits):
            self.highlighted = highlighted

    def on_resize(self, event: events.Resize) -> None:
        if self.hits:
            self._render_hits()

    @property
    def current(self) -> Hit | None:
        if self.highlighted is None or not (0 <= self.highlighted < len(self.hits)):
            return None
        return self.hits[self.highlighted]
