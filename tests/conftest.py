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


@pytest.fixture(scope="session")
def tiny_bloom(tmp_path_factory) -> Path:
    """A tiny random BLOOM (2 layers) with a trained tokenizer that knows udever's markers."""
    from codesearch.random_models import build_random_udever

    corpus = [p.read_text(encoding="utf-8") for p in sorted(FIXTURES.rglob("*")) if p.is_file() and p.suffix != ".json"]
    return build_random_udever(tmp_path_factory.mktemp("models") / "tiny-udever", "tiny", corpus * 4 + _words())


def _words() -> list[str]:
    return ["retry failed http calls parse the configuration file send an email reverse a string"] * 20
