"""Torch checkpoints: read without unpickling code, refused when they need it, converted once."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pytest
import torch

from codesearch.models.checkpoints import convert_to_safetensors, load_state_dict
from codesearch.embed.embedding import load_embedder
from codesearch.config import Config
from codesearch.errors import ModelError
from codesearch.models.cache import cache_root, folder_for, read_manifest
from codesearch.models.resolve import resolve_model

TEXTS = ["def add(a, b):\n    return a + b", "parse the configuration file"]


class _Payload:
    """Unpickling this runs code: it creates a file."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self):
        return (Path.touch, (self.marker,))


def test_a_checkpoint_that_needs_unpickling_is_refused_and_runs_nothing(tmp_path: Path) -> None:
    marker = tmp_path / "code-ran"
    bad = tmp_path / "pytorch_model.bin"
    torch.save({"w": torch.zeros(2), "evil": _Payload(marker)}, bad)
    with pytest.raises(ModelError, match="full unpickling"):
        load_state_dict(bad)
    assert not marker.exists()


def test_local_bin_folder_is_converted_once_and_loads_like_the_original(tmp_path: Path, tiny_bloom: Path) -> None:
    from codesearch.embed.embedding import UdeverEmbedder
    from codesearch.models.resolve import ResolvedModel

    folder = tmp_path / "bin-model"
    shutil.copytree(tiny_bloom, folder)
    state = load_state_dict_from_safetensors(folder / "model.safetensors")
    (folder / "model.safetensors").unlink()
    torch.save(state, folder / "pytorch_model.bin")

    resolved = resolve_model(str(folder))
    assert resolved.model_id == str(folder) and resolved.path.is_relative_to(cache_root())
    assert (resolved.path / "model.safetensors").is_file() and read_manifest(resolved.path).source == "local"
    stamp = (resolved.path / "model.safetensors").stat().st_mtime_ns
    assert resolve_model(str(folder)).path == resolved.path
    assert (resolved.path / "model.safetensors").stat().st_mtime_ns == stamp  # not converted twice

    got = load_embedder(str(folder), Config(max_length=64, precision="fp32")).embed_documents(TEXTS)
    want = UdeverEmbedder(ResolvedModel("x", tiny_bloom, "udever"), max_length=64).embed_documents(TEXTS)
    assert np.abs(got - want).max() < 1e-6


def load_state_dict_from_safetensors(path: Path) -> dict:
    from safetensors.torch import load_file

    return load_file(str(path))


def test_shared_tensors_are_stored_once(tmp_path: Path) -> None:
    weight = torch.randn(4, 3)
    torch.save({"embed.weight": weight, "lm_head.weight": weight}, tmp_path / "pytorch_model.bin")
    written = convert_to_safetensors(tmp_path, tmp_path / "out")
    from safetensors.torch import load_file

    assert written == ["model.safetensors"]
    assert list(load_file(str(tmp_path / "out" / "model.safetensors"))) == ["embed.weight"]


def test_cache_root_honours_xdg_and_override(monkeypatch, tmp_path: Path) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert cache_root() == tmp_path / "xdg" / "codesearch"
    assert folder_for("izhx/udever-bloom-560m") == tmp_path / "xdg" / "codesearch" / "models" / "izhx--udever-bloom-560m"
    monkeypatch.setenv("CODESEARCH_CACHE_DIR", str(tmp_path / "mine"))
    assert cache_root() == tmp_path / "mine"
