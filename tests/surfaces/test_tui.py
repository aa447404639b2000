"""The Textual app driven for real (pilot) with the tiny BLOOM, plus snapshots of its main screens."""

from __future__ import annotations

import os
import shutil
import stat
from pathlib import Path

import pytest

from codesearch.config import Config
from codesearch.tui.app import CodesearchApp, editor_command

FIXTURES = Path(__file__).parents[1] / "fixtures"
SNAPSHOT_ROOT = Path("/tmp/codesearch-tui-snapshot/repo")


async def _wait(pilot, predicate, timeout: float = 60.0) -> None:
    steps = int(timeout / 0.05)
    for _ in range(steps):
        if predicate():
            return
        await pilot.pause(0.05)
    raise AssertionError(f"timed out waiting for {predicate}")


async def _ready(pilot) -> None:
    """The index watched (or another process writes it) and the model loaded: answers are by meaning."""
    app = pilot.app
    await _wait(pilot, lambda: ((app.index is not None and app.index.watching) or app.read_only_reason)
                and app.model_ready)


async def _settled(pilot, functions: int) -> None:
    """Everything the status line says has arrived (the workers' callbacks are queued): for snapshots."""
    app = pilot.app
    await _ready(pilot)
    await _wait(pilot, lambda: app.status.functions == functions and "fresh" in app.status.freshness
                and not app.status.semantic)


async def _ask(pilot, text: str) -> None:
    app = pilot.app
    before = app.searches
    await pilot.press(*text)
    await _wait(pilot, lambda: app.searches > before and app.last_query == text)


@pytest.fixture
def app_factory(sample_repo: Path, tiny_bloom: Path):
    def make(**overrides) -> CodesearchApp:
        return CodesearchApp(overrides.pop("root", sample_repo), Config(model=str(tiny_bloom), **overrides))

    return make


async def test_type_results_move_and_preview_follows(app_factory) -> None:
    app = app_factory()
    async with app.run_test(size=(120, 36)) as pilot:
        await _ready(pilot)
        await _wait(pilot, lambda: app.status.functions == 14 and "fresh" in app.status.freshness)  # callbacks queued
        await _ask(pilot, "retry request")
        results = app.query_one("#results")
        assert results.hits and results.hits[0].qualified_name == "RetryRequest"  # hybrid: exact words win
        preview = app.query_one("#preview")
        first_title = preview.border_title
        assert first_title.startswith(results.hits[0].path)
        await pilot.press("down")
        assert results.highlighted == 1 and preview.border_title.startswith(results.hits[1].path)
        await pilot.press("ctrl+p")
        assert results.highlighted == 0 and preview.border_title == first_title


async def test_enter_opens_editor_at_the_line(app_factory, tmp_path: Path, monkeypatch) -> None:
    record = tmp_path / "editor-args.txt"
    script = tmp_path / "fake-editor.sh"
    script.write_text(f'#!/bin/sh\necho "$@" > {record}\n')
    script.chmod(script.stat().st_mode | stat.S_IEXEC)
    monkeypatch.setenv("EDITOR", str(script))
    monkeypatch.delenv("VISUAL", raising=False)
    app = app_factory()
    async with app.run_test(size=(120, 36)) as pilot:
        await _ready(pilot)
        await _ask(pilot, "sum the prices of the cart")
        hit = app.query_one("#results").current
        await pilot.press("enter")
        await _wait(pilot, record.exists)
    line, path = record.read_text().split()
    assert line == f"+{hit.start_line}" and Path(path) == app.root / hit.path


async def test_language_and_path_filters(app_factory) -> None:
    app = app_factory()
    async with app.run_test(size=(120, 36)) as pilot:
        await _ready(pilot)
        await _ask(pilot, "function")
        assert len({h.language for h in app.query_one("#results").hits}) > 1
        before = app.searches
        await pilot.press("ctrl+l", *"go", "enter")
        await _wait(pilot, lambda: app.searches > before)
        hits = app.query_one("#results").hits
        assert hits and {h.language for h in hits} == {"go"} and "lang: go" in app.status.filters
        before = app.searches
        await pilot.press("ctrl+l", "ctrl+u", "enter")  # clear the language filter
        await _wait(pilot, lambda: app.searches > before)
        before = app.searches
        await pilot.press("ctrl+g", *"lib/", "enter")
        await _wait(pilot, lambda: app.searches > before)
        hits = app.query_one("#results").hits
        assert hits and all(h.path.startswith("lib/") for h in hits)


async def test_mode_toggle_copy_and_help(app_factory) -> None:
    app = app_factory()
    async with app.run_test(size=(120, 36)) as pilot:
        await _ready(pilot)
        await pilot.press("question_mark")
        await _wait(pilot, lambda: app.screen.__class__.__name__ == "HelpScreen", 5)
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen.__class__.__name__ != "HelpScreen"
        await _ask(pilot, "reverse")
        await pilot.press("question_mark")  # with text typed, ? is part of the question
        assert app.query_one("#query").value == "reverse?"
        await pilot.press("f1")  # and F1 opens the help from anywhere, typing nothing
        await _wait(pilot, lambda: app.screen.__class__.__name__ == "HelpScreen", 5)
        await pilot.press("f1")
        await _wait(pilot, lambda: app.screen.__class__.__name__ != "HelpScreen", 5)
        assert app.query_one("#query").value == "reverse?"
        await pilot.press("ctrl+t")
        assert app.mode == "semantic" and "semantic" in app.status.render()
        await pilot.press("ctrl+y")
        hit = app.query_one("#results").current
        assert app.clipboard == f"{hit.path}:{hit.start_line}"


async def test_ctrl_s_finds_code_like_the_selected_result(app_factory) -> None:
    app = app_factory()
    async with app.run_test(size=(120, 36)) as pilot:
        await _ready(pilot)
        await _ask(pilot, "retry request")
        chosen = app.query_one("#results").current
        before = app.searches
        await pilot.press("ctrl+s")
        await _wait(pilot, lambda: app.searches > before)
        results = app.query_one("#results")
        hits = results.hits
        assert app.last_query == f"like {chosen.qualified_name}"
        assert results.border_title == f"like {chosen.qualified_name} ({chosen.path}:{chosen.start_line})"
        before = app.searches
        await pilot.press(*" x")  # a new question: the list shows its answer, and says nothing of "like"
        await _wait(pilot, lambda: app.searches > before and app.last_query == "retry request x")
        assert results.border_title == ""
        expected = app.index.similar(app.root / chosen.path, chosen.start_line, 50)
        assert [h.id for h in hits] == [h.id for h in expected] and chosen.id not in [h.id for h in hits]


async def test_first_run_builds_the_index_with_progress(tmp_path: Path, tiny_bloom: Path) -> None:
    root = tmp_path / "fresh"
    root.mkdir()
    for i in range(120):
        (root / f"m{i}.py").write_text(f"def job_{i}(x):\n    return x * {i}\n")
    app = CodesearchApp(root, Config(model=str(tiny_bloom)))
    async with app.run_test(size=(120, 36)) as pilot:
        await _ready(pilot)
        await _wait(pilot, lambda: app.status.functions == 120)  # the sync's last callbacks may still be queued
        assert app.progress_seen > 0
        await _ask(pilot, "job_7")
        assert app.query_one("#results").hits[0].name == "job_7"
        # the watcher inside the app keeps the index current
        (root / "late.py").write_text("def arrived_late():\n    return 0\n")
        await _wait(pilot, lambda: app.status.functions == 121)
    assert (root / ".codesearch" / "catalog.sqlite").exists()


async def test_quitting_mid_sync_stops_cleanly_and_frees_the_index(tmp_path: Path, tiny_bloom: Path) -> None:
    from codesearch.store.folder import Store

    root = tmp_path / "big"
    root.mkdir()
    files_written = 5000  # enough that a loaded machine (CI beside other jobs) still quits before the sync ends
    for i in range(files_written):
        (root / f"m{i}.py").write_text("".join(f"def job_{i}_{j}(x):\n    return x * {j}\n\n" for j in range(4)))
    app = CodesearchApp(root, Config(model=str(tiny_bloom)))
    async with app.run_test(size=(120, 36)) as pilot:
        await _wait(pilot, lambda: app.progress_seen > 0)
        await pilot.press("ctrl+q")
    assert app.index is not None and not app.index.watching
    store = Store.create(root, Config())  # the writer lock was released: another writer may start
    try:
        store.lock.acquire()
        store.lock.release()
        files, functions = store.catalog.count("files"), store.catalog.count("functions")
        embedded = store.catalog.embedded_count(store.model_id)
        assert functions == 4 * files, (files, functions)  # whole files only: stopped between committed batches
        assert files < files_written or embedded < functions, (files, embedded)  # it stopped before the sync was done
    finally:
        store.close()


async def test_missing_model_is_a_message_not_a_traceback(sample_repo: Path) -> None:
    app = CodesearchApp(sample_repo, Config(model="udever-7b1"))
    async with app.run_test(size=(120, 36)) as pilot:
        await _wait(pilot, lambda: app.status.model == "no model" and len(app._notifications))
        notes = [n.message for n in app._notifications]
        assert any("izhx/udever-bloom-7b1" in m for m in notes), notes
        await pilot.press(*"still usable")
        assert app.query_one("#query").value == "still usable"


async def test_an_index_of_another_token_budget_is_embedded_again_and_the_app_says_why(sample_repo: Path,
                                                                                       tiny_bloom: Path,
                                                                                       tiny_embedder) -> None:
    """The line a sync says when the token budget changed reaches the TUI as it reaches watch and serve."""
    from codesearch.engine import Index

    with Index.create(sample_repo, Config(), embedder=tiny_embedder) as index:  # at 128 tokens per unit
        index.sync()
    app = CodesearchApp(sample_repo, Config(model=str(tiny_bloom)))  # the tiny BLOOM's own budget: 300
    async with app.run_test(size=(120, 36)) as pilot:
        await _wait(pilot, lambda: any("token budget changed 128 -> 300" in n.message for n in app._notifications))
        await pilot.press("ctrl+q")


def test_editor_command_styles(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("VISUAL", "code --wait")
    assert editor_command(tmp_path / "a.py", 7) == ["code", "--wait", "-g", f"{tmp_path / 'a.py'}:7"]
    monkeypatch.setenv("VISUAL", "nvim")
    assert editor_command(tmp_path / "a.py", 7) == ["nvim", "+7", str(tmp_path / "a.py")]


@pytest.fixture
def snapshot_repo(tiny_bloom: Path) -> Path:
    if SNAPSHOT_ROOT.exists():
        shutil.rmtree(SNAPSHOT_ROOT)
    shutil.copytree(FIXTURES / "sample_repo", SNAPSHOT_ROOT)
    os.environ.pop("TEXTUAL_ANIMATIONS", None)
    return SNAPSHOT_ROOT


def test_snapshot_results_screen(snap_compare, snapshot_repo: Path, tiny_bloom: Path) -> None:
    app = CodesearchApp(snapshot_repo, Config(model=str(tiny_bloom), precision="fp32"))  # fp32: scores exact, run to run

    async def run_before(pilot) -> None:
        await _settled(pilot, 14)
        await _ask(pilot, "retry request")
        await pilot.press("down")
        app.clear_notifications()
        await pilot.pause(0.2)

    assert snap_compare(app, terminal_size=(120, 36), run_before=run_before)


def test_snapshot_help_screen(snap_compare, snapshot_repo: Path, tiny_bloom: Path) -> None:
    app = CodesearchApp(snapshot_repo, Config(model=str(tiny_bloom)))

    async def run_before(pilot) -> None:
        await _settled(pilot, 14)
        app.clear_notifications()
        await pilot.press("question_mark")
        await pilot.pause(0.2)

    assert snap_compare(app, terminal_size=(120, 36), run_before=run_before)


async def test_status_line_shows_semantic_coverage_while_a_first_index_embeds(tmp_path: Path, tiny_bloom: Path,
                                                                              tiny_embedder) -> None:
    """Another process (here: a writer holding the lock) embeds in steps; the status line follows."""
    import asyncio

    from codesearch.sync.indexer import Indexer
    from codesearch.store.folder import Store

    from conftest import sync_until_embedded, write_modules

    root = write_modules(tmp_path / "embedding", 80, 4, "step")
    store = Store.create(root, Config())
    indexer = Indexer(store, tiny_embedder)

    def sync_until(embedded: int | None) -> int:
        sync_until_embedded(indexer, embedded)
        return store.catalog.embedded_count(tiny_embedder.model_id)

    try:
        with store.lock:
            assert sync_until(0) == 0  # lexical pass only, as a first index right after its first seconds
            app = CodesearchApp(root, Config(model=str(tiny_bloom)))
            async with app.run_test(size=(120, 36)) as pilot:
                await _wait(pilot, lambda: app.read_only_reason and app.coverage == (0, 320)
                            and "semantic: static 100 %, model 0 %" in app.status.render())  # the static tier, once the model is loaded
                part = await asyncio.to_thread(sync_until, 128)
                assert 128 <= part < 320
                await _wait(pilot, lambda: app.coverage == (part, 320))
                assert f"semantic: static 100 %, model {100 * part // 320} %" in app.status.render()
                assert await asyncio.to_thread(sync_until, None) == 320
                await _wait(pilot, lambda: app.coverage == (320, 320))
                assert "semantic:" not in app.status.render()  # whole: nothing to say
                await pilot.press("ctrl+q")
    finally:
        store.close()


async def test_answers_by_words_at_once_while_the_model_loads(sample_repo: Path, tiny_bloom: Path, tiny_embedder) -> None:
    """Issue 22 step 4 / 25 #8: the TUI waited for the model (status `0 functions`, no answers) where
    MCP answered by words; now it answers by words at once, says so, and by meaning once loaded."""
    from codesearch.engine import Index

    from conftest import hold_compute

    with Index.create(sample_repo, Config(), embedder=tiny_embedder) as index:
        index.sync()
    release = hold_compute()
    try:
        app = CodesearchApp(sample_repo, Config(model=str(tiny_bloom), max_length=128))  # the budget it was built at
        async with app.run_test(size=(120, 36)) as pilot:
            await _wait(pilot, lambda: app.ready)
            await _ask(pilot, "retry request")
            results = app.query_one("#results")
            assert results.hits[0].qualified_name == "RetryRequest" and results.hits[0].semantic_rank is None
            assert results.border_title == "by words only: the model is still loading"
            await _wait(pilot, lambda: app.status.functions == 14)
            assert "semantic: model loading (answers by words)" in app.status.render()
            assert app.status.model == "loading model…"
            before = app.searches
            release()
            await _wait(pilot, lambda: app.searches > before and results.border_title == "")  # asked again by meaning
            assert results.hits[0].semantic_rank is not None and app.status.model == "tiny-udever"
            await _wait(pilot, lambda: "semantic:" not in app.status.render())
    finally:
        release()


async def test_a_first_build_shows_true_counts_before_the_model_is_loaded(tmp_path: Path, tiny_bloom: Path) -> None:
    """Issue 25 #8: the status bar said `0 functions` during a first build."""
    from conftest import hold_compute, write_modules

    root = write_modules(tmp_path / "first", 30, 4)
    release = hold_compute()
    try:
        app = CodesearchApp(root, Config(model=str(tiny_bloom)))
        async with app.run_test(size=(120, 36)) as pilot:
            await _wait(pilot, lambda: app.status.functions == 120)  # every file's words committed: the model still loads
            assert app.status.model == "loading model…"
            await _ask(pilot, "job_7_2")
            assert app.query_one("#results").hits[0].name == "job_7_2"
            release()
            await _ready(pilot)
    finally:
        release()


def test_result_paths_are_middle_elided_never_cut() -> None:
    """Issue 25 #8: a long path was cut at the end of the line (its file name and line lost)."""
    from codesearch.query import Hit
    from codesearch.tui.widgets.results import label, middle_elide

    path = "services/payments/internal/adapters/outbound/http/retrying_client.py"
    hit = Hit(id=1, path=path, start_line=412, end_line=430, start_col=0, name="send",
              qualified_name="RetryingClient.send_with_backoff", language="python", kind="method", score=0.5,
              code="", docstring="")
    assert label(hit, 40).plain == "0.500  Retry…  se…retrying_client.py:412"  # narrow: no language, short name
    assert label(hit, 60).plain == "0.500  RetryingCli…  services/paym…tp/retrying_client.py:412"
    for width in (80, 100):
        line = label(hit, width).plain
        assert len(line) <= width and line.endswith("retrying_client.py:412  method python"), (width, line)
        assert line.startswith("0.500  Retrying") and "…" in line, line
    assert label(hit, 200).plain == f"0.500  RetryingClient.send_with_backoff  {path}:412  method python"
    assert middle_elide("a/b/c/d/e/f/g/file.py:9", 16) == "a/b/c…/file.py:9"
    assert middle_elide("short.py:1", 16) == "short.py:1"


async def test_long_result_paths_show_their_file_in_the_list(tmp_path: Path, tiny_bloom: Path) -> None:
    deep = tmp_path / "deep" / "services" / "payments" / "internal" / "adapters" / "outbound" / "transport"
    deep.mkdir(parents=True)
    (deep / "retrying_client.py").write_text("def retry_the_payment_call(x):\n    return x\n")
    app = CodesearchApp(tmp_path / "deep", Config(model=str(tiny_bloom)))
    async with app.run_test(size=(120, 30)) as pilot:
        await _ready(pilot)
        await _ask(pilot, "retry_the_payment_call")
        results = app.query_one("#results")
        shown = results.get_option_at_index(0).prompt.plain
        assert "…" in shown and "retrying_client.py:1" in shown, shown
        assert len(shown) <= results.scrollable_content_region.width
