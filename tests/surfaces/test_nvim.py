"""The Neovim plugin (editors/nvim) in headless Neovim against a real index and a warm server: queries
run as jobs (the editor never waits), and the first one starts a warm server when none runs."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from codesearch.cli import cli


PLUGIN = Path(__file__).resolve().parents[2] / "editors" / "nvim"
pytestmark = pytest.mark.skipif(shutil.which("nvim") is None, reason="nvim is not installed (apt-get install neovim)")
WAIT_QF = "lua vim.wait(60000, function() return #vim.fn.getqflist() > 0 end, 20)"  # the query runs as a job
QF = ("lua vim.fn.writefile({vim.fn.json_encode(vim.tbl_map(function(e) return {file = vim.fn.bufname(e.bufnr), "
      "lnum = e.lnum, col = e.col, text = e.text} end, vim.fn.getqflist()))}, '%s')")


def nvim(root: Path, *commands: str, cmd: str | None = None) -> subprocess.CompletedProcess:
    """Headless Neovim with only this plugin, running codesearch from this interpreter (or cmd)."""
    argv0 = f"'{cmd}'" if cmd else f"'{sys.executable}', '-m', 'codesearch'"
    setup = f"lua require('codesearch').setup({{cmd = {{{argv0}}}, k = 5}})"
    argv = ["nvim", "--headless", "-u", "NONE", "-i", "NONE", "--cmd", f"set rtp+={PLUGIN}",
            "-c", "runtime plugin/codesearch.lua", "-c", setup]
    for c in commands:
        argv += ["-c", c]
    proc = subprocess.run([*argv, "-c", "qa!"], cwd=root, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    return proc


def test_codesearch_fills_quickfix_from_vimgrep(served, tmp_path: Path, monkeypatch) -> None:
    root, server = served
    out = tmp_path / "qf.json"
    nvim(root, "Codesearch retry request", WAIT_QF, QF % out)
    entries = json.loads(out.read_text())
    assert server.answered == 1  # through the warm server
    monkeypatch.chdir(root)
    expected = CliRunner().invoke(cli, ["query", "--vimgrep", "-k", "5", "retry request"]).stdout.splitlines()
    assert [f"{e['file']}:{e['lnum']}:{e['col']}:{e['text']}" for e in entries] == expected
    assert entries[0]["file"] == "api/server.go" and entries[0]["lnum"] == 6


def test_codesearch_similar_on_the_cursor_line(served, tmp_path: Path) -> None:
    root, server = served
    out = tmp_path / "qf.json"
    nvim(root, "edit api/server.go", "8", "CodesearchSimilar", WAIT_QF, QF % out)
    entries = json.loads(out.read_text())
    assert server.answered == 1 and len(entries) == 5
    assert all("RetryRequest" not in e["text"] for e in entries)  # the function under the cursor is left out
    assert {e["file"] for e in entries} <= {str(p.relative_to(root)) for p in root.rglob("*") if p.is_file()}


def test_live_picker_core_debounces_and_waits_for_three_characters(served, tmp_path: Path) -> None:
    root, server = served
    out = tmp_path / "live.json"
    script = tmp_path / "live.lua"
    script.write_text(f"""
local cs = require('codesearch')
local got = {{}}
local live = cs.live(function(items, text) table.insert(got, {{text = text, n = #items, first = items[1] and items[1].text}}) end,
                     {{debounce_ms = 150}})
live.update('re')
for _, t in ipairs({{'ret', 'retr', 'retry', 'retry req', 'retry request'}}) do live.update(t) end
vim.wait(30000, function() return #got >= 2 end, 20)
live.close()
vim.fn.writefile({{vim.fn.json_encode({{got = got, queries = live.queries}})}}, '{out}')
""")
    nvim(root, f"luafile {script}")
    result = json.loads(out.read_text())
    got = result["got"]
    assert got[0] == {"text": "re", "n": 0}  # under three characters: cleared at once, no query
    assert result["queries"] == 1 and server.answered == 1  # one query after typing paused
    assert got[1]["text"] == "retry request" and got[1]["n"] == 5 and "RetryRequest" in got[1]["first"]


def test_a_query_never_blocks_the_editor(served, tmp_path: Path) -> None:
    """Issue 25 #5: `:Codesearch` blocked the editor until the answer came (14 s on a cold query)."""
    root, server = served
    slow = tmp_path / "slow-codesearch"
    slow.write_text(f"#!/bin/sh\nsleep 1\nexec {sys.executable} -m codesearch \"$@\"\n")  # a cold start, shortened
    slow.chmod(0o755)
    out = tmp_path / "events.json"
    script = tmp_path / "order.lua"
    script.write_text(f"""
local events = {{}}
local timer = vim.loop.new_timer()
timer:start(50, 0, vim.schedule_wrap(function() table.insert(events, 'the editor ran') end))
require('codesearch').quickfix('retry request', function(items) table.insert(events, 'results: ' .. #items) end)
table.insert(events, 'returned with ' .. #vim.fn.getqflist() .. ' in the list')
vim.wait(60000, function() return #events >= 3 end, 20)
vim.fn.writefile({{vim.fn.json_encode(events)}}, '{out}')
""")
    nvim(root, f"luafile {script}", cmd=str(slow))
    assert json.loads(out.read_text()) == ["returned with 0 in the list", "the editor ran", "results: 5"]
    assert server.answered == 1


def test_the_first_query_starts_a_warm_server(sample_repo: Path, tiny_embedder, tmp_path: Path) -> None:
    """Issue 25 #5: editors are warm by default: the plugin's first query starts `codesearch serve`."""
    import os
    import signal

    from codesearch.config import Config
    from codesearch.engine import Index

    from conftest import wait_for

    with Index.create(sample_repo, Config(), embedder=tiny_embedder) as index:
        index.sync()
    state = sample_repo / ".codesearch" / "server.json"
    assert not state.exists()
    out = tmp_path / "qf.json"
    nvim(sample_repo, "Codesearch retry request", WAIT_QF, QF % out)
    assert "RetryRequest" in json.loads(out.read_text())[0]["text"]  # answered in-process this time
    try:
        wait_for(lambda: state.exists(), timeout=120)  # and a server started for the next queries
    finally:
        if state.exists():
            os.kill(json.loads(state.read_text())["pid"], signal.SIGTERM)
            wait_for(lambda: not state.exists(), timeout=60)
