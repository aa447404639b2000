"""A non-editable install ships grammars and the TUI under the codesearch namespace."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_wheel_contents(tmp_path: Path) -> None:
    cmd = [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", str(tmp_path), str(ROOT)]
    subprocess.run(cmd, check=True, capture_output=True, timeout=300)
    (wheel,) = tmp_path.glob("codesearch-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    for lang in ("go", "ruby", "python", "java", "javascript", "php"):
        assert f"codesearch/grammars/{lang}-tags.scm" in names
    assert "codesearch/tui/__init__.py" in names and "codesearch/tui/app.tcss" in names
    assert "codesearch/cli/commands.py" in names and "codesearch/mcp/server.py" in names
    for stage in ("parse", "models", "embed", "store", "sync", "search", "serve"):
        assert f"codesearch/{stage}/__init__.py" in names
    assert not any(n.startswith(("tui/", "grammars/", "tests/", "benchmarks/")) for n in names)
