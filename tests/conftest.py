"""Shared fixtures: isolated environment, sample repositories, and the tiny real BLOOM."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(autouse=True)
def _isolated_env(monkeypatch, tmp_path_factory):
    """Keep user settings and the network out of every test."""
    for var in ("CODESEARCH_MODEL", "CODESEARCH_INDEX_DIR", "CODESEARCH_DEVICE", "CODESEARCH_QUANTIZE"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setenv("TRANSFORMERS_OFFLINE", "1")
    monkeypatch.setenv("HF_HOME", str(tmp_path_factory.getbasetemp() / "hf_home"))


@pytest.fixture
def sample_repo(tmp_path) -> Path:
    """A copy of the small multi-language repository, with ignored files added."""
    root = tmp_path / "repo"
    shutil.copytree(FIXTURES / "sample_repo", root)
    (root / "vendor").mkdir()
    (root / "vendor" / "skip.py").write_text("def vendored():\n    return 1\n")
    (root / "web" / "lib.min.js").write_text("function minified(){return 1}\n")
    return root
