"""`codesearch tui`: search a repository by meaning, as you type.

The index is live (`Index.live`): the app answers by words the moment it opens, by meaning once the
model is loaded, and the status line says which; the index is built or synced and watched meanwhile.
"""

from __future__ import annotations

import asyncio
import contextvars
import os
import shlex
import sqlite3
import subprocess
from pathlib import Path

from textual import work
from textual.app import App, ComposeResult, SuspendNotSupported
from textual.binding import Binding
from textual.containers import Horizontal
from textual.css.query import NoMatches
from textual.timer import Timer
from textual.widgets import Footer, Input, Label, ProgressBar

from codesearch.config import Config
from codesearch.engine import Index, LiveState, repository_root
from codesearch.errors import CodesearchError
from codesearch.languages import LANGUAGES
from codesearch.query import MODES, Hit, Query, QueryError
from codesearch.safetext import printable
from codesearch.sync.indexer import SyncProgress, SyncReport

from codesearch.tui.widgets.help import HelpScreen
from codesearch.tui.widgets.preview import Preview
from codesearch.tui.widgets.prompt import Prompt
from codesearch.tui.widgets.query import QueryInput
from codesearch.tui.widgets.results import ResultList
from codesearch.tui.widgets.statusbar import StatusBar

DEBOUNCE_SECONDS = 0.25
COVERAGE_SECONDS = 1.0  # how often the status line re-counts embedded functions (cheap when nothing changed)


def editor_command(path: Path, line: int) -> list[str]:
    """The user's editor, opened at path:line in the way that editor understands."""
    editor = os.environ.get("VISUAL") or os.environ.get("EDITOR") or "vi"
    argv = shlex.split(editor)
    name = Path(argv[0]).name
    if name in ("code", "code-insiders", "codium", "cursor"):
        return [*argv, "-g", f"{path}:{line}"]
    if name in ("subl", "zed", "hx", "helix"):
        return [*argv, f"{path}:{line}"]
    return [*argv, f"+{line}", str(path)]


class CodesearchApp(App[None]):
    """Query box, results, preview, status bar; indexing and watching run in workers."""

    CSS_PATH = "app.tcss"
    ENABLE_COMMAND_PALETTE = False  # ctrl+p moves up the results here, as in editors
    TITLE = "codesearch"
    BINDINGS = [
        Binding("down,ctrl+n", "move(1)", "Next", show=False, priority=True),
        Binding("up,ctrl+p", "move(-1)", "Previous", show=False, priority=True),
        Binding("enter", "open_editor", "Open"),
        Binding("ctrl+l", "language_filter", "Language"),
        Binding("ctrl+g", "path_filter", "Path"),
        Binding("ctrl+y", "copy_location", "Copy path:line"),
        Binding("ctrl+t", "toggle_mode", "Mode"),
        Binding("ctrl+s", "similar", "Similar", show=False),
        Binding("f1", "help", "Help", priority=True, key_display="F1"),  # from anywhere: it never types
        Binding("question_mark", "help", "Help", show=False),  # reaches here only while the query box is empty
        Binding("escape,ctrl+q", "quit", "Quit", priority=True),
    ]

    def __init__(self, start: Path, cfg: Config) -> None:
        super().__init__()
        self.cfg = cfg
        self.root = repository_root(start, cfg)
        self.index: Index | None = None
        self.read_only_reason: str | None = None
        self.closing = False
        self.mode = "hybrid"
        self.languages: list[str] | None = None
        self.path_glob: str | None = None
        self._debounce: Timer | None = None
        self.ready = False  # the index is open: searches answer (by words until the model is ready)
        self.model_ready = False
        self.last_query = ""
        self.searches = 0
        self.opened: list[str] = []
        self.progress_seen = 0
        self.coverage: tuple[int, int] | None = None  # (embedded, functions) last shown

    # -- layout ---------------------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        query = QueryInput(placeholder="Ask in any language: where do we retry failed HTTP calls?", id="query")
        query.cursor_blink = not self.is_headless  # steady cursor in tests and snapshots
        yield query
        with Horizontal(id="indexing"):
            yield Label("indexing", id="indexing-label")
            yield ProgressBar(id="indexing-bar", show_eta=True)
        with Horizontal(id="body"):
            yield ResultList(id="results")
            yield Preview(id="preview")
        yield StatusBar(id="status")
        yield Footer()

    def _from_thread(self, callback, *args, **kwargs) -> None:
        """Run callback on the UI loop without waiting for it.

        Textual's call_from_thread waits for the result; a worker that waits while the UI waits for
        the worker (closing the app mid-sync) would deadlock, so workers only ever hand work over.
        """
        try:
            self._ui_loop.call_soon_threadsafe(lambda: callback(*args, **kwargs), context=self._ui_context.copy())
        except RuntimeError:  # the loop has closed: the app is gone, nobody to tell
            pass

    def on_mount(self) -> None:
        self._ui_loop = asyncio.get_running_loop()
        self._ui_context = contextvars.copy_context()  # callbacks run as the app's own code does
        self.sub_title = self.root.name
        self.query_one("#query", Input).focus()
        self.status.mode = self.mode
        self.open_session()

    @property
    def status(self) -> StatusBar:
        return self.query_one("#status", StatusBar)

    # -- workers --------------------------------------------------------------------------------
    @work(thread=True, exclusive=True, group="session")
    def open_session(self) -> None:
        """Open the index live: searchable by words at once, built or synced and watched in the background."""
        try:
            index = Index.live(self.root, self.cfg,
                               on_sync=lambda r: self._from_thread(self._synced, r),
                               on_error=lambda m: self._from_thread(self.notify, m, severity="error", timeout=8),
                               on_progress=lambda p: self._from_thread(self._progress, p),
                               on_state=lambda state: self._from_thread(self._live_state, state))
        except CodesearchError as exc:
            self._from_thread(self._fatal, str(exc))
            return
        if self.closing:  # the user quit while the index opened
            index.close()
            return
        self.index = index
        self._from_thread(self._opened)

    def _fatal(self, message: str) -> None:
        if not self.query("#status"):  # the app is closing
            return
        self.status.model = "no model"
        self.status.freshness = "not searchable"
        self.notify(message, title="codesearch", severity="error", timeout=30)

    def _opened(self) -> None:
        if not self.query("#status"):  # the app is closing
            return
        self.ready = True
        files, functions = self.index.counts()
        self.status.functions = functions
        self.status.freshness = "checking for changes…"
        self._live_state(self.index.live_state())
        self._schedule_search()
        self.measure_coverage()
        self.set_interval(COVERAGE_SECONDS, self._refresh_coverage)

    def _live_state(self, state: LiveState | None) -> None:
        """The model's name once it answers, what is missing while it does not, and who keeps the index current."""
        if not self.query("#status") or self.index is None or state is None:
            return
        name = self.index.model_name
        if state.model == "ready" and not self.model_ready:
            self.model_ready = True
            self.status.model = printable(Path(name).name if name.startswith("/") else name)  # a local folder: its name
            if self.query_one("#query", Input).value.strip():
                self._schedule_search()  # the answer on screen was by words: ask again by meaning
        elif state.model == "unavailable" and self.status.model != "no model":
            self.notify(state.model_error or "the model is unavailable", title="codesearch: searching by words only",
                        severity="error", timeout=30)
            self.status.model = "no model"
        if state.index_error:  # a rebuild left a folder that cannot be read: said, and tried again each second
            self.notify(state.index_error, title="codesearch", severity="error", timeout=30)
        if state.read_only and self.read_only_reason is None:
            self.read_only_reason = state.read_only
            self.show_read_only()
        self.measure_coverage()

    def _refresh_coverage(self) -> None:
        if self.index is not None and not self.closing:
            self.measure_coverage()

    @work(thread=True, exclusive=True, group="coverage")
    def measure_coverage(self) -> None:
        """Count what semantic search covers and the functions indexed (off the UI thread: the counts wait
        for a running search)."""
        index = self.index
        if index is None or self.closing:
            return
        try:
            coverage = index.coverage()
            embedded, total, static = coverage.embedded, coverage.functions, coverage.static
            units = index.counts()[1]
            semantic = index.semantic_state()
        except (CodesearchError, sqlite3.Error):  # closing underneath us: nothing to show
            return
        self._from_thread(self._show_coverage, embedded, total, semantic, static, units)

    def _show_coverage(self, embedded: int, total: int, semantic: str, static: int = 0, units: int | None = None) -> None:
        if not self.query("#status"):  # the app is closing
            return
        self.coverage = (embedded, total)
        self.status.functions = total if units is None else units
        self.status.show_coverage(embedded, total, semantic, static)

    def _progress(self, p: SyncProgress) -> None:
        try:
            box = self.query_one("#indexing")
        except NoMatches:  # a worker reporting while the app closes
            return
        bar = self.query_one("#indexing-bar", ProgressBar)
        if p.phase in ("indexing", "removing") and p.files_total:
            self.progress_seen += 1
            box.add_class("active")
            bar.update(total=p.files_total, progress=p.files_done)
            self.query_one("#indexing-label", Label).update(
                f"indexing {p.files_done}/{p.files_total} files · {p.functions_done} functions · {p.functions_embedded} embedded")
            self.status.freshness = "indexing: results may be incomplete"
            self.measure_coverage()  # the functions committed so far
        elif p.phase == "embedding" and p.embed_total:
            box.add_class("active")
            bar.update(total=p.embed_total, progress=p.functions_embedded)
            self.query_one("#indexing-label", Label).update(
                f"embedding {p.functions_embedded}/{p.embed_total} functions · lexical search covers everything already")
            self.status.freshness = "embedding: semantic results cover part of the index"
        elif p.phase == "done":
            box.remove_class("active")

    def _synced(self, report: SyncReport) -> None:
        if not self.query("#status"):  # a sync finishing while the app closes
            return
        self.status.functions = report.functions_total
        self.status.freshness = "fresh (watching)"
        self.measure_coverage()
        self.query_one("#indexing").remove_class("active")
        for note in report.notes:  # e.g. an older index read once more for the new unit kinds
            self.notify(note, title="index", timeout=10)
        if report.files_changed or report.files_removed:
            self._schedule_search()

    @work(thread=True, group="stale")
    def show_read_only(self) -> None:
        """Say that another process writes the index, and how far behind the disk it is (off the UI thread)."""
        try:
            stale = self.index.stale()
        except (CodesearchError, sqlite3.Error):  # closing underneath us
            return
        self._from_thread(self._read_only, stale)

    def _read_only(self, stale: int) -> None:
        if not self.query("#status"):  # the app is closing
            return
        self.status.freshness = f"{stale} changed file(s) not indexed: another process writes this index" if stale else "fresh (another process watches)"
        self.notify(self.read_only_reason or "index is read-only", severity="warning", timeout=8)

    # -- searching ------------------------------------------------------------------------------
    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id == "query":
            self._schedule_search()

    def _schedule_search(self) -> None:
        if self._debounce is not None:
            self._debounce.stop()
        self._debounce = self.set_timer(DEBOUNCE_SECONDS, self._run_search)

    def _run_search(self) -> None:
        try:
            text = self.query_one("#query", Input).value.strip()
        except NoMatches:  # the app is closing; a late timer has nothing to search
            return
        if not self.ready:
            return
        if not text:
            self.query_one("#results", ResultList).show([])
            self.query_one("#preview", Preview).show(None, self.root)
            return
        self.search(text, self.mode, self.languages, self.path_glob)

    @work(thread=True, exclusive=True, group="search")
    def search(self, text: str, mode: str, languages: list[str] | None, path_glob: str | None) -> None:
        try:
            answer = self.index.ask(Query(text, 50, tuple(languages or ()), path_glob, mode))
        except CodesearchError as exc:
            self._from_thread(self.notify, str(exc), severity="error")
            return
        title = "by words only: the model is still loading" if answer.mode != mode else ""
        self._from_thread(self._show, text, answer.hits, title)

    @work(thread=True, exclusive=True, group="search")
    def find_similar(self, hit: Hit) -> None:
        """Results like the selected one, by its stored vector."""
        try:
            hits = self.index.similar(self.root / hit.path, hit.start_line, 50)
        except CodesearchError as exc:
            self._from_thread(self.notify, str(exc), severity="error")
            return
        self._from_thread(self._show, f"like {hit.qualified_name}", hits,
                          f"like {hit.qualified_name} ({hit.path}:{hit.start_line})")

    def _show(self, text: str, hits: list[Hit], title: str = "") -> None:
        if not self.query("#results"):  # a search finishing while the app closes
            return
        self.last_query = text
        self.searches += 1
        results = self.query_one("#results", ResultList)
        results.show(hits, printable(title))
        self.query_one("#preview", Preview).show(results.current, self.root)
        if not hits:
            self.notify("no results", timeout=2)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id == "query":
            self.action_open_editor()

    def on_option_list_option_highlighted(self, event: ResultList.OptionHighlighted) -> None:
        if not self.query("#preview"):  # the app is closing
            return
        self.query_one("#preview", Preview).show(self.query_one("#results", ResultList).current, self.root)

    def on_option_list_option_selected(self, event: ResultList.OptionSelected) -> None:
        self.action_open_editor()

    # -- actions --------------------------------------------------------------------------------
    def action_move(self, step: int) -> None:
        results = self.query_one("#results", ResultList)
        if not results.hits:
            return
        current = results.highlighted if results.highlighted is not None else -1
        results.highlighted = max(0, min(len(results.hits) - 1, current + step))

    def action_open_editor(self) -> None:
        if isinstance(self.screen, (Prompt, HelpScreen)):
            return
        hit = self.query_one("#results", ResultList).current
        if hit is None:
            return
        cmd = editor_command(self.root / hit.path, hit.start_line)
        try:
            with self.suspend():
                result = subprocess.run(cmd)
        except SuspendNotSupported:
            result = subprocess.run(cmd, stdin=subprocess.DEVNULL, capture_output=True)
        except OSError as exc:
            self.notify(f"cannot start the editor {cmd[0]!r}: {exc.strerror}; set $EDITOR", severity="error")
            return
        self.opened.append(f"{hit.path}:{hit.start_line}")
        if result.returncode != 0:
            self.notify(f"editor exited with status {result.returncode}", severity="warning")

    def action_copy_location(self) -> None:
        hit = self.query_one("#results", ResultList).current
        if hit is not None:
            self.copy_to_clipboard(f"{hit.path}:{hit.start_line}")
            self.notify(f"copied {hit.path}:{hit.start_line}", timeout=2)

    def action_similar(self) -> None:
        hit = self.query_one("#results", ResultList).current
        if hit is None or self.index is None:
            return
        if self._debounce is not None:
            self._debounce.stop()
        self.find_similar(hit)

    def action_toggle_mode(self) -> None:
        self.mode = MODES[(MODES.index(self.mode) + 1) % len(MODES)]
        self.status.mode = self.mode
        self._schedule_search()

    def action_help(self) -> None:
        """F1 anywhere (and `?` while the query box is empty) opens the help; again, closes it."""
        if isinstance(self.screen, HelpScreen):
            self.screen.dismiss(None)
            return
        self.push_screen(HelpScreen())

    def action_language_filter(self) -> None:
        def apply(value: str | None) -> None:
            if value is None:
                return
            langs = [x.strip().lower() for x in value.split(",") if x.strip()]
            try:
                Query("languages", languages=tuple(langs))  # the one check of language names
            except QueryError as exc:
                self.notify(str(exc), severity="error")
                return
            self.languages = langs or None
            self._filters_changed()

        self.push_screen(Prompt("Only these languages (comma-separated; empty for all):", ",".join(self.languages or []),
                                ", ".join(LANGUAGES)), apply)

    def action_path_filter(self) -> None:
        def apply(value: str | None) -> None:
            if value is None:
                return
            self.path_glob = value or None
            self._filters_changed()

        self.push_screen(Prompt("Only paths matching (gitignore-style glob; empty for all):", self.path_glob or "",
                                "src/**/*.py"), apply)

    def _filters_changed(self) -> None:
        parts = []
        if self.languages:
            parts.append("lang: " + ",".join(self.languages))
        if self.path_glob:
            parts.append("path: " + self.path_glob)
        self.status.filters = "  ".join(parts)
        self._schedule_search()

    async def action_quit(self) -> None:
        if isinstance(self.screen, (Prompt, HelpScreen)):
            self.screen.dismiss(None)
            return
        self.exit()

    def on_unmount(self) -> None:
        if self._debounce is not None:
            self._debounce.stop()
        self.closing = True
        if self.index is not None:
            self.index.close()


def run_app(start: Path, cfg: Config) -> None:
    """Run the TUI in the terminal (blocks until the user quits)."""
    CodesearchApp(start, cfg).run()
