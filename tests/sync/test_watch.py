"""`codesearch watch`: real filesystem events in temp folders, waited for by polling."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import time
import sys
from pathlib import Path

import pytest

from codesearch.config import Config
from codesearch.store.folder import Store
from codesearch.sync.watch import Watcher

from conftest import cli_run, wait_for


@pytest.fixture
def watching(sample_repo: Path, tiny_embedder):
    store = Store.create(sample_repo, Config())
    reports, errors = [], []
    watcher = Watcher(store, tiny_embedder, on_sync=reports.append, on_error=errors.append).start()
    reader = Store.open(sample_repo, Config())
    yield sample_repo, watcher, reader, reports, errors
    watcher.stop()
    reader.close()
    store.close()


def _names(reader: Store) -> set[str]:
    return {r[0] for r in reader.catalog.db.execute("SELECT qualified_name FROM functions")}


def _paths(reader: Store) -> set[str]:
    return {r[0] for r in reader.catalog.db.execute("SELECT path FROM files")}


def test_create_modify_delete_rename(watching) -> None:
    root, watcher, reader, reports, errors = watching
    assert "RetryRequest" in _names(reader)
    new = root / "lib" / "fresh.py"
    new.write_text("def brand_new():\n    return 1\n")
    wait_for(lambda: "brand_new" in _names(reader))
    new.write_text("def brand_new():\n    return 1\n\n\ndef second_one():\n    return 2\n")
    wait_for(lambda: "second_one" in _names(reader))
    wait_for(lambda: reports and reports[-1].functions_total == reader.catalog.count("functions"))  # its report is in
    embedded_before = sum(r.functions_embedded for r in reports)
    new.rename(root / "lib" / "renamed.py")
    wait_for(lambda: "lib/renamed.py" in _paths(reader) and "lib/fresh.py" not in _paths(reader))
    assert sum(r.functions_embedded for r in reports) == embedded_before  # a rename embeds nothing
    (root / "lib" / "renamed.py").unlink()
    wait_for(lambda: "brand_new" not in _names(reader))
    assert errors == []


def test_a_command_in_bin_is_watched_by_its_shebang(watching) -> None:
    """An extensionless command written into bin/ is read as its `#!` line says, and dropped when deleted."""
    root, watcher, reader, reports, errors = watching
    (root / "bin").mkdir()
    (root / "bin" / "deploy").write_text("#!/usr/bin/env python3\ndef ship_it():\n    return 1\n")
    wait_for(lambda: "ship_it" in _names(reader))
    (root / "bin" / "deploy").unlink()
    wait_for(lambda: "ship_it" not in _names(reader))
    assert errors == []


def test_atomic_save_and_editor_swap_files(watching) -> None:
    root, watcher, reader, reports, errors = watching
    target = root / "lib" / "config.py"
    (root / "lib" / ".config.py.swp").write_bytes(b"\x00swap")
    (root / "lib" / "config.py~").write_text("backup")
    tmp = root / "lib" / "config.py.tmp123"
    tmp.write_text(target.read_text().replace("load_config", "load_settings"))
    os.replace(tmp, target)
    wait_for(lambda: "load_settings" in _names(reader) and "load_config" not in _names(reader))
    assert not any(p.endswith(("swp", "~", "tmp123")) for p in _paths(reader))


def test_directory_move_and_delete(watching) -> None:
    root, watcher, reader, reports, errors = watching
    shutil.move(str(root / "legacy"), str(root / "old_code"))
    wait_for(lambda: {"old_code/Util.java", "old_code/db.php"} <= _paths(reader) and not any(p.startswith("legacy/") for p in _paths(reader)))
    shutil.rmtree(root / "old_code")
    wait_for(lambda: not any(p.startswith("old_code/") for p in _paths(reader)))
    assert "Util.reverse" not in _names(reader)


def test_ignore_file_changes_are_reevaluated(watching) -> None:
    root, watcher, reader, reports, errors = watching
    (root / ".gitignore").write_text((root / ".gitignore").read_text() + "web/\n")
    wait_for(lambda: "web/app.js" not in _paths(reader))
    (root / ".gitignore").write_text("web/\n")  # vendor/ is no longer ignored
    wait_for(lambda: "vendor/skip.py" in _paths(reader))


def test_burst_of_500_files_is_coalesced(watching) -> None:
    root, watcher, reader, reports, errors = watching
    before = len(reports)
    burst = root / "burst"
    burst.mkdir()
    for i in range(500):
        (burst / f"b{i:03d}.py").write_text(f"def burst_{i}():\n    return {i}\n")
    wait_for(lambda: sum(1 for n in _names(reader) if n.startswith("burst_")) == 500, timeout=120)
    assert len(reports) - before < 20  # debounced into a few syncs, not 500


def test_bad_files_never_kill_the_watcher(watching) -> None:
    root, watcher, reader, reports, errors = watching
    (root / "lib" / "binary.py").write_bytes(b"\x00\x01\x02")
    (root / "lib" / "broken.py").write_text("def ok():\n    return 1\n\ndef broken(:\n")
    (root / "lib" / "latin.py").write_bytes("def caf\xe9():\n    return 'd\xe9j\xe0'\n".encode("latin-1"))
    vanishing = root / "lib" / "ghost.py"
    vanishing.write_text("def ghost():\n    pass\n")
    vanishing.unlink()
    (root / "lib" / "after.py").write_text("def after_the_storm():\n    return 1\n")
    wait_for(lambda: "after_the_storm" in _names(reader) and "ok" in _names(reader))
    assert "ghost" not in _names(reader) and "lib/binary.py" not in _paths(reader)
    assert watcher.thread.is_alive() and errors == []


def test_index_folder_writes_are_ignored(watching) -> None:
    root, watcher, reader, reports, errors = watching
    before = len(reports)
    (root / "lib" / "one.py").write_text("def one():\n    return 1\n")
    wait_for(lambda: "one" in _names(reader))
    wait_for(lambda: len(reports) > before and not watcher.syncing)  # the whole sync, embedding pass included
    settled = watcher.syncs
    # the sync above wrote the catalog and vectors; none of that may trigger another sync
    wait_for(lambda: watcher.collector.take() is None, timeout=5)
    (root / "lib" / "two.py").write_text("def two():\n    return 2\n")
    wait_for(lambda: "two" in _names(reader))
    wait_for(lambda: watcher.syncs > settled and not watcher.syncing)  # its embedding pass ends the sync
    time.sleep(0.5)  # longer than the debounce: a sync set off by our own writes would have started
    assert watcher.syncs == settled + 1 and not watcher.syncing


def test_cli_watch_status_and_sigterm(sample_repo: Path, tiny_bloom: Path) -> None:
    cmd = [sys.executable, "-c", "from codesearch.cli import main; main()", "watch", "--model", str(tiny_bloom), str(sample_repo)]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        wait_for(lambda: json.loads(cli_run("status", "--json", cwd=sample_repo).stdout or "{}").get("watcher"), timeout=90)
        (sample_repo / "lib" / "late.py").write_text("def late_arrival():\n    return 1\n")
        wait_for(lambda: "late_arrival" in cli_run("query", "--json", "--mode", "lexical", "late arrival", cwd=sample_repo).stdout)
        status = json.loads(cli_run("status", "--json", cwd=sample_repo).stdout)
        assert status["last_sync"] and status["stale_files"] == 0
    finally:
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=30) == 0
    err = proc.stderr.read()
    assert "synced" in err and "lib/late.py" in err and "Traceback" not in err
    assert not json.loads(cli_run("status", "--json", cwd=sample_repo).stdout)["watcher"]


def test_noise_never_starves_a_source_edit(sample_repo: Path, tiny_embedder) -> None:
    """Issue 26.8: a log written every 0.05 s restarted the debounce forever, so a source edit was never
    synced. Now unsupported and ignored files never reset the clock, and a steady stream of source edits
    (a generator rewriting a file) delays a sync by at most MAX_WAIT_SECONDS."""
    import threading

    root = sample_repo
    (root / ".gitignore").write_text("build/\n")
    (root / "build").mkdir()
    store = Store.create(root, Config())
    watcher = Watcher(store, tiny_embedder).start()
    reader = Store.open(root, Config())
    stop = threading.Event()

    def noise() -> None:
        n = 0
        while not stop.is_set():
            n += 1
            with open(root / "server.log", "a") as log:
                log.write(f"line {n}\n")
            (root / "build" / "out.py").write_text(f"def built_{n}():\n    return {n}\n")
            (root / "lib" / "churn.py").write_text(f"def churning():\n    return {n}\n")
            time.sleep(0.05)

    thread = threading.Thread(target=noise, daemon=True)
    thread.start()
    try:
        time.sleep(0.5)
        (root / "lib" / "edited.py").write_text("def edited_while_noisy():\n    return 1\n")
        wait_for(lambda: "edited_while_noisy" in _names(reader), timeout=30)
        assert not any(name.startswith("built_") for name in _names(reader))  # ignored files stay out
    finally:
        stop.set()
        thread.join()
        watcher.stop()
        reader.close()
        store.close()


def test_ignored_and_unsupported_events_do_not_count(sample_repo: Path) -> None:
    """Events for a log, an ignored source file or the index folder never make work nor reset the clock."""
    from watchdog.events import FileModifiedEvent

    from codesearch.sync.watch import _Collector

    (sample_repo / ".gitignore").write_text("build/\n")
    folder = sample_repo / ".codesearch"
    collector = _Collector(sample_repo, folder, lambda: None)
    for path in ("server.log", "build/out.py", ".codesearch/catalog.sqlite-wal", "build/deep/x.go"):
        collector.on_any_event(FileModifiedEvent(str(sample_repo / path)))
    assert collector.take() is None and collector.last_event == 0.0 and collector.first_pending is None
    collector.on_any_event(FileModifiedEvent(str(sample_repo / "lib" / "a.py")))
    assert collector.pending()["pending_paths"] == ["lib/a.py"]
