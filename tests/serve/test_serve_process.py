"""`codesearch serve` as a real process next to a running server: a second one is refused and the
first stays reachable; TCP is refused without --allow-tcp (issue 26, items 11 and 12)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from codesearch.config import Config
from codesearch.engine import Index
from codesearch.serve.client import ask_server
from codesearch.store.statefiles import live_state

from conftest import serve_in_thread

LEXICAL = {"query": "retry request", "k": 2, "mode": "lexical"}


def _serve(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    """Run `codesearch serve ...`, which must give up by itself (a server that keeps running is the bug)."""
    proc = subprocess.Popen([sys.executable, "-m", "codesearch", "serve", *args], cwd=cwd, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        out, err = proc.communicate(timeout=90)
    except subprocess.TimeoutExpired:
        proc.kill()
        out, err = proc.communicate()
        pytest.fail(f"`serve {' '.join(args)}` kept running instead of refusing: {err[-500:]}")
    return subprocess.CompletedProcess(proc.args, proc.returncode, out, err)


def test_a_second_serve_is_refused_and_the_first_stays_reachable(sample_repo: Path, tiny_embedder) -> None:
    """Item 11: a second serve unlinked the first one's socket; the first kept running, unreachable."""
    with Index.create(sample_repo, Config(), embedder=tiny_embedder) as index:
        index.sync()
    index = Index.open(sample_repo, Config(), embedder=tiny_embedder)
    server, thread = serve_in_thread(index)
    folder = sample_repo / ".codesearch"
    try:
        sock = Path(live_state(folder / "server.json")["socket"])
        inode = os.stat(sock).st_ino
        second = _serve("--no-watch", "-q", str(sample_repo), cwd=sample_repo)
        assert second.returncode != 0
        lines = second.stderr.strip().splitlines()
        assert len(lines) == 1 and "already" in lines[0] and str(os.getpid()) in lines[0], second.stderr
        assert os.stat(sock).st_ino == inode  # the first one's socket is where it was
        assert live_state(folder / "server.json")["pid"] == os.getpid()
        assert ask_server(folder, LEXICAL)["hits"][0]["name"] == "RetryRequest"
        assert server.answered == 1
    finally:
        server.shutdown()
        thread.join(10)
        index.close()


def test_tcp_is_refused_without_allow_tcp(sample_repo: Path, tiny_embedder) -> None:
    """Item 12: `serve --port` let any local user query the index over TCP, with no credential."""
    with Index.create(sample_repo, Config(), embedder=tiny_embedder) as index:
        index.sync()
    refused = _serve("--no-watch", "--port", "0", str(sample_repo), cwd=sample_repo)
    assert refused.returncode == 2
    lines = refused.stderr.strip().splitlines()
    assert len(lines) == 1 and "--allow-tcp" in lines[0] and "token" in lines[0], refused.stderr
    assert live_state(sample_repo / ".codesearch" / "server.json") is None


def test_status_says_a_server_answers_without_a_watcher(sample_repo: Path, tiny_embedder) -> None:
    """probe 162: with a `serve --no-watch` answering queries, `status` said only "watcher: not running", as if nothing
    ran; it says the server and its pid, and says none once it stops."""
    with Index.create(sample_repo, Config(), embedder=tiny_embedder) as index:
        index.sync()
    index = Index.open(sample_repo, Config(), embedder=tiny_embedder)
    server, thread = serve_in_thread(index)

    def status() -> str:
        done = subprocess.run([sys.executable, "-m", "codesearch", "status", str(sample_repo)], text=True,
                              capture_output=True, timeout=60)
        assert done.returncode == 0, done.stderr
        return done.stdout

    try:
        shown = status()
        assert f"server:      running (pid {os.getpid()})" in shown and "watcher:     not running" in shown
    finally:
        server.shutdown()
        thread.join(10)
        index.close()
    assert "server:      not running" in status()


@pytest.fixture
def watching_server(tmp_path: Path, tiny_bloom: Path, tiny_embedder):
    """A repository indexed with the tiny BLOOM, served by a live index whose watcher holds its writer lock: the root."""
    from conftest import wait_for, write_modules

    root = write_modules(tmp_path / "repo", 3, 2)
    cfg = Config(model=str(tiny_bloom))
    with Index.create(root, cfg, embedder=tiny_embedder) as built:
        built.sync()
    index = Index.live(root, cfg)
    server, thread = serve_in_thread(index)
    try:
        wait_for(lambda: index.live_state().watching, 60)
        yield root
    finally:
        server.shutdown()
        thread.join(10)
        index.close()


def test_index_beside_a_watching_server_syncs_through_it(watching_server: Path, tiny_bloom: Path) -> None:
    """Fault sweep 2: with `serve` running (an editor's, or --auto-serve's), `codesearch index` in a script exited 2,
    "being written by another codesearch process": the server's watcher holds the writer lock. It asks the server to
    sync now, says so, prints the summary and exits 0; the new function is found at once."""
    from conftest import cli_run

    root = watching_server
    (root / "m09.py").write_text("def reconcile_ledger_entries(x):\n    return x\n")
    done = cli_run("index", "-q", "--model", str(tiny_bloom), str(root))
    assert done.returncode == 0, done.stderr
    assert f"through the running server (pid {os.getpid()})" in done.stderr
    assert "files scanned" in done.stdout
    hits = ask_server(root / ".codesearch", {"query": "reconcile_ledger_entries", "k": 1, "mode": "lexical"})
    assert hits["hits"][0]["name"] == "reconcile_ledger_entries"


def test_index_with_settings_of_its_own_is_not_synced_by_a_server(watching_server: Path, tiny_bloom: Path) -> None:
    """Review: `index --model other` or `--max-file-bytes` beside a running server printed the server's success and
    exited 0, the options dropped; such an index is the index's own to say (here: the lock's holder)."""
    from conftest import cli_run

    root = watching_server
    sized = cli_run("index", "-q", "--model", str(tiny_bloom), "--max-file-bytes", "99999", str(root))
    other = cli_run("index", "-q", "--model", "minilm", str(root))
    for done, says in ((sized, "being written by another codesearch process"), (other, "not 'minilm'")):
        assert done.returncode == 2 and "through the running server" not in done.stderr, done.stderr
        assert says in done.stderr, done.stderr


def test_index_beside_a_watcher_without_a_server_says_it_keeps_the_index_current(tmp_path: Path, tiny_bloom: Path,
                                                                                  tiny_embedder) -> None:
    """Fault sweep 3: beside `codesearch watch`, an agent's MCP server or the TUI (a watcher with no socket to sync
    through), `codesearch index` in a git hook exited 2, "wait for it to finish", which never came. It says the watcher
    keeps the index current and exits 0; the watcher has read the new file. With a model of its own it is the index's
    to say, as before."""
    from conftest import cli_run, wait_for, write_modules

    root = write_modules(tmp_path / "repo", 3, 2)
    cfg = Config(model=str(tiny_bloom))
    with Index.create(root, cfg, embedder=tiny_embedder) as built:
        built.sync()
    index = Index.live(root, cfg)
    try:
        wait_for(lambda: index.live_state().watching and live_state(index.folder / "watch.json") is not None, 60)
        (root / "m09.py").write_text("def reconcile_ledger_entries(x):\n    return x\n")
        done = cli_run("index", "-q", str(root))
        assert done.returncode == 0 and f"running watcher (pid {os.getpid()}" in done.stderr, done.stderr
        # its own model named, by --model or the environment; `--json` prints an object (review)
        named = cli_run("index", "-q", "--json", "--model", str(tiny_bloom), str(root))
        assert named.returncode == 0 and json.loads(named.stdout) == {"kept_by_watcher": os.getpid()}, named.stderr
        env = cli_run("index", "-q", str(root), env={"CODESEARCH_MODEL": str(tiny_bloom)})
        assert env.returncode == 0, env.stderr
        other = cli_run("index", "-q", "--model", "minilm", str(root))
        assert other.returncode == 2 and "watcher" not in other.stderr.split("error:")[0], other.stderr
        wait_for(lambda: index.counts()[1] == 7, 30)
    finally:
        index.close()
