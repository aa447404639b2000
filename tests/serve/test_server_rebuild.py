"""A warm server across a rebuild of its index: `codesearch index --rebuild` swaps a new folder in and
removes the old one (with the server's socket in it), and a folder can be removed and made again. The
server must go on answering, warm, from the index on disk now (issue 26: nothing wrong, nothing stuck)."""

from __future__ import annotations

import os
import shutil
import threading
from pathlib import Path

from codesearch.serve.client import ask_server

from conftest import cli_run, wait_for

NEW_FUNCTION = "def rebuilt_marker_total(values):\n    return sum(values)\n"


def _names(reply: dict | None) -> list[str]:
    assert reply is not None, "no server answered (the client would fall back to a cold query)"
    return [hit["name"] for hit in reply["hits"]]


def _lexical(text: str) -> dict:
    return {"query": text, "k": 5, "mode": "lexical"}


def test_a_server_answers_from_the_rebuilt_index_warm(served) -> None:
    """The server kept the old catalog open and its socket went away with the old folder: after a rebuild
    clients fell back to cold queries, and the server answered from an index that no longer existed."""
    root, server = served
    folder = root / ".codesearch"
    first = ask_server(folder, _lexical("load config"))
    assert _names(first)[0] == "load_config"
    server.index.embedder()  # warm: the model must be kept, not loaded again
    model, answered = server.index._embedder, server.answered
    config = root / "lib" / "config.py"
    config.write_text(config.read_text().replace("def load_config(", "def read_settings_file("))
    (root / "lib" / "totals.py").write_text(NEW_FUNCTION)

    failures: list[str] = []
    stop = threading.Event()

    def ask_meanwhile() -> None:  # searches in flight during the swap never fail
        while not stop.is_set():
            try:
                ask_server(folder, _lexical("send email"))
            except Exception as exc:  # noqa: BLE001 - any failure is what the test reports
                failures.append(f"{type(exc).__name__}: {exc}")

    asker = threading.Thread(target=ask_meanwhile)
    asker.start()
    try:
        rebuilt = cli_run("index", "-q", "--rebuild", str(root))
    finally:
        stop.set()
        asker.join(30)
    assert rebuilt.returncode == 0, rebuilt.stderr
    assert failures == []

    assert _names(ask_server(folder, _lexical("rebuilt marker total")))[0] == "rebuilt_marker_total"
    assert "load_config" not in _names(ask_server(folder, _lexical("load config")))
    assert "read_settings_file" in _names(ask_server(folder, _lexical("read settings file")))
    semantic = ask_server(folder, {"query": "rebuilt marker total", "k": 50, "mode": "semantic"})
    assert "rebuilt_marker_total" in _names(semantic) and "load_config" not in _names(semantic)
    assert semantic["coverage"]["functions"] == first["coverage"]["functions"] + 1  # counted again
    assert server.answered > answered and server.index._embedder is model
    assert server.index.generation == 1


def test_a_server_stays_reachable_when_its_index_folder_is_removed_and_made_again(served, tiny_bloom: Path) -> None:
    """`rm -rf .codesearch && codesearch index`: the server's socket and server.json were gone for good."""
    root, server = served
    folder = root / ".codesearch"
    assert _names(ask_server(folder, _lexical("send email")))[0] == "send_email"
    shutil.rmtree(folder)
    (root / "lib" / "totals.py").write_text(NEW_FUNCTION)
    made = cli_run("index", "-q", "--model", str(tiny_bloom), str(root))
    assert made.returncode == 0, made.stderr
    reply = wait_for(lambda: ask_server(folder, _lexical("rebuilt marker total")), 20)
    assert _names(reply)[0] == "rebuilt_marker_total" and reply["pid"] == os.getpid()  # this server, warm


def test_a_serve_process_answers_from_the_rebuilt_index(sample_repo: Path, tiny_bloom: Path) -> None:
    """The same across processes: `codesearch serve --no-watch` running, `codesearch index --rebuild`."""
    import signal
    import subprocess
    import sys

    from codesearch.store.statefiles import live_state

    root, folder = sample_repo, sample_repo / ".codesearch"
    assert cli_run("index", "-q", "--model", str(tiny_bloom), str(root)).returncode == 0
    proc = subprocess.Popen([sys.executable, "-m", "codesearch", "serve", "--no-watch", "-q", str(root)], cwd=root,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        state = wait_for(lambda: live_state(folder / "server.json"), 60)
        assert state["pid"] == proc.pid and "load_config" in _names(ask_server(folder, _lexical("load config")))
        config = root / "lib" / "config.py"
        config.write_text(config.read_text().replace("def load_config(", "def read_settings_file("))
        rebuilt = cli_run("index", "-q", "--rebuild", str(root))
        assert rebuilt.returncode == 0, rebuilt.stderr
        reply = ask_server(folder, _lexical("read settings file"))
        assert "read_settings_file" in _names(reply) and reply["pid"] == proc.pid
        assert "load_config" not in _names(ask_server(folder, _lexical("load config")))
    finally:
        proc.send_signal(signal.SIGTERM)
        _, err = proc.communicate(timeout=30)
    assert "Traceback" not in err, err


def test_a_server_started_with_sigint_ignored_stops_on_it(sample_repo, tiny_bloom) -> None:
    """A `serve` started in the background from a script (SIGINT ignored, as a shell does for `&`) ran on after SIGINT
    and stopped on SIGTERM only (probe 107): it stops on either, and cleans up."""
    import signal
    import subprocess
    import sys

    from codesearch.store.statefiles import live_state

    root, folder = sample_repo, sample_repo / ".codesearch"
    assert cli_run("index", "-q", "--model", str(tiny_bloom), str(root)).returncode == 0
    proc = subprocess.Popen([sys.executable, "-m", "codesearch", "serve", "--no-watch", "-q", str(root)], cwd=root,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_IGN))
    try:
        wait_for(lambda: live_state(folder / "server.json"), 60)
        proc.send_signal(signal.SIGINT)
        _, err = proc.communicate(timeout=30)
    finally:
        proc.kill() if proc.poll() is None else None
    assert proc.returncode == 0 and not (folder / "server.json").exists(), err


def test_serve_stop_stops_the_server_answering_for_the_index(sample_repo, tiny_bloom, tmp_path) -> None:
    """A background server (`--auto-serve` starts one per repository) could be stopped by kill only (probe 225):
    `serve --stop --repo R` stops R's, from anywhere, and says when none answers."""
    import subprocess
    import sys

    from codesearch.store.statefiles import live_state

    root, folder = sample_repo, sample_repo / ".codesearch"
    assert cli_run("index", "-q", "--model", str(tiny_bloom), str(root)).returncode == 0
    proc = subprocess.Popen([sys.executable, "-m", "codesearch", "serve", "--no-watch", "-q", str(root)], cwd=root,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        wait_for(lambda: live_state(folder / "server.json"), 60)
        stopped = subprocess.run([sys.executable, "-m", "codesearch", "serve", "--stop", "--repo", str(root)],
                                 cwd=tmp_path, capture_output=True, text=True, timeout=60)
        assert stopped.returncode == 0 and f"pid {proc.pid}" in stopped.stderr, stopped.stderr
        proc.communicate(timeout=30)
        assert proc.returncode == 0 and live_state(folder / "server.json") is None
        again = subprocess.run([sys.executable, "-m", "codesearch", "serve", "--stop", "--repo", str(root)],
                               cwd=tmp_path, capture_output=True, text=True, timeout=60)
        assert again.returncode == 0 and "no server" in again.stderr, again.stderr
    finally:
        proc.kill() if proc.poll() is None else None
