"""The console script's fast path: through a warm server with the standard library only, printing
exactly what the full CLI prints; auto-started servers; servers that stop when idle."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from codesearch.cli import cli
from codesearch.cli.fast import parse
from codesearch.serve.client import ask_server
from codesearch.config import Config
from codesearch.engine import Index
from codesearch.serve.server import SearchServer
from codesearch.store.statefiles import live_state

from conftest import wait_for

HEAVY = ("numpy", "torch", "transformers", "pathspec", "click", "hnswlib", "rich")
PROBE = ("import atexit, sys\n"
         "atexit.register(lambda: sys.stderr.write('LOADED=' + ','.join(sorted({m.split('.')[0] for m in sys.modules} & set(%r))) + '\\n'))\n"
         "sys.argv = ['codesearch', *sys.argv[1:]]\n"
         "from codesearch.cli import main\n"
         "main()\n") % (HEAVY,)


@pytest.fixture
def built(sample_repo: Path, tiny_embedder) -> Path:
    with Index.create(sample_repo, Config(), embedder=tiny_embedder) as index:
        index.sync()
    return sample_repo


def _fast(args: list[str], cwd: Path, env: dict | None = None, status: int = 0) -> tuple[str, str, set[str]]:
    """Run the console script in a new interpreter: (stdout, stderr without the probe, heavy modules loaded)."""
    proc = subprocess.run([sys.executable, "-c", PROBE, *args], cwd=cwd, capture_output=True, text=True, timeout=120,
                          env={**os.environ, **(env or {})})
    lines = proc.stderr.splitlines()
    loaded = next(x for x in lines if x.startswith("LOADED=")).removeprefix("LOADED=")
    assert proc.returncode == status, proc.stderr
    return proc.stdout, "\n".join(x for x in lines if not x.startswith("LOADED=")), set(filter(None, loaded.split(",")))


@pytest.mark.parametrize("fmt", [["--json"], ["--vimgrep"], ["--jsonl"], [], ["--explain"]])
def test_query_through_the_server_loads_nothing_heavy_and_prints_like_the_cli(served, fmt, monkeypatch) -> None:
    root, server = served
    args = ["query", *fmt, "-k", "4", "--mode", "hybrid", "retry request"]
    out, err, loaded = _fast(args, root / "lib")
    assert loaded == set() and server.answered == 1 and err == ""  # the server answered, nothing heavy was imported
    monkeypatch.chdir(root / "lib")
    full = CliRunner().invoke(cli, args)
    assert full.exit_code == 0 and server.answered == 2
    assert out == full.stdout and out.strip()  # byte-identical to the click CLI's output
    in_process = CliRunner().invoke(cli, [*args, "--no-server"])
    assert server.answered == 2 and in_process.stdout == out


def test_a_query_naming_the_servers_model_is_answered_by_the_server(served, tiny_bloom, monkeypatch) -> None:
    """`query -m minilm` after `serve -m minilm` loaded the model in every process (8-12 s) and said to start a
    server (probe 92): the server answers when it runs the model named; another model is left to this process."""
    root, server = served
    monkeypatch.chdir(root)
    same = CliRunner().invoke(cli, ["query", "--model", str(tiny_bloom), "-k", "2", "retry request"])
    assert same.exit_code == 0 and server.answered == 1, same.output
    other = CliRunner().invoke(cli, ["query", "--model", "minilm", "-k", "2", "retry request"])
    assert server.answered == 1 and other.exit_code != 0  # the index's model is not minilm: said by this process


def test_similar_through_the_server(served) -> None:
    root, server = served
    out, _, loaded = _fast(["similar", "api/server.go:8", "-k", "3", "--vimgrep"], root)
    assert loaded == set() and server.answered == 1
    assert len(out.splitlines()) == 3 and "RetryRequest" not in out


def test_what_the_fast_path_leaves_to_the_full_cli(served) -> None:
    root, server = served
    assert parse(["query", "--model", "minilm", "x"]) is None and parse(["status"]) is None
    assert parse(["query", "--json", "-k", "3", "--lang=go", "x"]) == ("query", "x", {"as_json": True, "k": "3", "langs": "go"})
    out, err, loaded = _fast(["query", "--lang", "cobol", "x"], root, status=2)  # the full CLI explains the mistake
    assert "unknown language 'cobol'" in err and "click" in loaded and server.answered == 0
    out, err, loaded = _fast(["similar", "lib/config.py:9"], root, status=2)  # the server's error, in one line
    assert err.startswith("codesearch: error: ") and "not inside any function" in err and loaded == set()
    # a filter that leaves nothing: the full CLI says why, as without a server (commonmark's `--kind function`
    # printed "no results" alone: probe 153)
    out, err, loaded = _fast(["query", "--lang", "typescript", "retry request"], root, status=1)
    assert "no indexed file is in typescript" in err and out == ""


def test_auto_serve_starts_a_background_server_for_later_queries(built: Path) -> None:
    folder = built / ".codesearch"
    out, _, _ = _fast(["query", "--json", "-k", "2", "--mode", "lexical", "retry request"], built,
                      env={"CODESEARCH_AUTO_SERVE": "1"})
    assert json.loads(out)[0]["name"] == "RetryRequest"  # answered in-process this time
    state = wait_for(lambda: live_state(folder / "server.json"), timeout=120)
    try:
        reply = wait_for(lambda: ask_server(folder, {"query": "retry request", "k": 1, "mode": "lexical"}), timeout=60)
        assert reply["pid"] == state["pid"] and reply["hits"][0]["name"] == "RetryRequest"
        out, _, loaded = _fast(["query", "--json", "-k", "1", "--mode", "lexical", "retry request"], built)
        assert loaded == set() and json.loads(out)[0]["name"] == "RetryRequest"
        assert (folder / "server.log").exists() and not (folder / "server.starting").exists()
    finally:
        os.kill(state["pid"], signal.SIGTERM)
        wait_for(lambda: live_state(folder / "server.json") is None, timeout=60)


def test_a_server_stops_itself_when_idle(built: Path, tiny_embedder) -> None:
    with Index.open(built, Config(), embedder=tiny_embedder) as index:
        server = SearchServer(index, idle_exit=1.0)
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        started = time.monotonic()
        thread.start()
        wait_for(lambda: (built / ".codesearch" / "server.json").exists())
        assert ask_server(index.folder, {"query": "retry", "k": 1, "mode": "lexical"}) is not None
        thread.join(30)
        assert not thread.is_alive() and time.monotonic() - started >= 1.0
    assert not (built / ".codesearch" / "server.json").exists()


def test_a_query_naming_one_repository_is_answered_by_its_server(served, tmp_path, tiny_embedder, monkeypatch) -> None:
    """`query --repo DIR` opened the index and loaded the model in every process, never asking the warm server that
    answers the same query inside DIR (probe: 10-20 s a query): one repository, however spelled, is asked as from
    inside it; its hits still say their repository, as `--repo` printed them; another repository's server never
    answers."""
    root, server = served
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    args = ["query", "--json", "-k", "3", "--mode", "hybrid", "retry request"]
    out, err, loaded = _fast([*args, "--repo", str(root)], elsewhere)
    assert loaded == set() and server.answered == 1 and err == ""  # the fast path asked the server
    hits = json.loads(out)
    assert hits[0]["name"] == "RetryRequest" and {h["repo"] for h in hits} == {str(root)}
    assert hits[0]["abs_path"] == str(root / hits[0]["path"])
    assert _fast([*args, "--repo", "."], root)[0] == out and server.answered == 2
    monkeypatch.chdir(elsewhere)
    for spelling in ("../repo", f"{root}/"):  # relative, trailing slash
        full = CliRunner().invoke(cli, ["query", "--files", "--repo", spelling, "retry request"])  # the full CLI
        assert full.exit_code == 0 and "RetryRequest" in full.stdout, full.output
    inside = CliRunner().invoke(cli, ["query", "--files", "--repo", str(root / "lib"), "retry request"])  # a folder
    assert inside.exit_code == 0 and "searching lib/" in inside.stderr  # inside it: its files (probe 232), asked of
    assert all("/lib/" in line for line in inside.stdout.splitlines() if line.strip())  # the same server
    assert server.answered == 5
    in_process = CliRunner().invoke(cli, [*args, "--repo", str(root), "--no-server"])
    assert in_process.exit_code == 0 and server.answered == 5 and json.loads(in_process.stdout) == hits
    other = tmp_path / "other"
    shutil.copytree(root, other, ignore=shutil.ignore_patterns(".codesearch"))
    with Index.create(other, Config(), embedder=tiny_embedder) as index:
        index.sync()
    mine = CliRunner().invoke(cli, [*args, "--repo", str(other)])  # another repository: never the server's to answer
    assert mine.exit_code == 0 and server.answered == 5 and {h["repo"] for h in json.loads(mine.stdout)} == {str(other)}
    told = CliRunner().invoke(cli, ["query", "--repo", str(other), "retry request"])  # for people: how to keep it warm
    assert told.exit_code == 0 and "`codesearch serve`" in told.stderr and server.answered == 5


@pytest.mark.parametrize("files", [[], ["--files"]])  # the fast path, and the full CLI (--files is its own)
def test_auto_serve_with_a_repository_starts_its_server(built: Path, tmp_path, files) -> None:
    """`query --repo DIR --auto-serve` started nothing, so every later query loaded the model again (probe)."""
    folder = built / ".codesearch"
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    args = ["--json", "-k", "2", "--mode", "lexical", "--repo", str(built), "retry request"]
    out, _, _ = _fast(["query", *files, *args, "--auto-serve"], elsewhere)
    assert "RetryRequest" in out  # answered in-process this time
    state = wait_for(lambda: live_state(folder / "server.json"), timeout=120)
    try:
        wait_for(lambda: ask_server(folder, {"query": "retry request", "k": 1, "mode": "lexical"}), timeout=60)
        later, _, loaded = _fast(["query", *args], elsewhere)
        assert loaded == set() and json.loads(later)[0]["repo"] == str(built)  # the started server answers the next
        assert later == out or files  # printed as the in-process answer was
    finally:
        os.kill(state["pid"], signal.SIGTERM)
        wait_for(lambda: live_state(folder / "server.json") is None, timeout=60)
