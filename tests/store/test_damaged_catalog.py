"""A damaged catalog is rebuilt with the model the folder was made with: the trust record names no model,
so the model comes from the vector sidecar, which is believed only when its seal verifies (issue 26.5/26.7)."""

from __future__ import annotations

import json
from pathlib import Path

from conftest import cli_run


def _status(root: Path) -> dict:
    result = cli_run("status", "--json", cwd=root)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def _damage(folder: Path) -> None:
    for extra in ("-wal", "-shm"):
        (folder / f"catalog.sqlite{extra}").unlink(missing_ok=True)
    (folder / "catalog.sqlite").write_bytes(b"")


def test_a_damaged_catalog_is_rebuilt_with_the_model_the_folder_recorded(sample_repo: Path, tiny_bloom: Path) -> None:
    """Without --model, the rebuild used the default model (not on this machine: it failed) instead of
    the one the index was made with."""
    assert cli_run("index", "-q", "--model", str(tiny_bloom), str(sample_repo)).returncode == 0
    folder = sample_repo / ".codesearch"
    before = _status(sample_repo)
    for args in (["index", "-q"], ["index", "-q", "--rebuild"]):
        _damage(folder)
        result = cli_run(*args, str(sample_repo))
        assert result.returncode == 0, result.stderr
        assert f"with its model {before['model']}" in result.stderr
        after = _status(sample_repo)
        assert (after["model"], after["functions"], after["embedded"]) == (before["model"], before["functions"],
                                                                           before["embedded"])
    query = cli_run("query", "--json", "-k", "3", "--mode", "semantic", "send an email", cwd=sample_repo)
    assert query.returncode == 0 and json.loads(query.stdout), query.stderr


def test_a_sidecar_whose_seal_does_not_verify_names_no_model(sample_repo: Path, tiny_bloom: Path) -> None:
    """A vector sidecar someone else wrote (a cloned `.codesearch/`, a hand edit) cannot choose the model."""
    assert cli_run("index", "-q", "--model", str(tiny_bloom), str(sample_repo)).returncode == 0
    folder = sample_repo / ".codesearch"
    sidecar = json.loads((folder / "vectors.json").read_text())
    (folder / "vectors.json").write_text(json.dumps({**sidecar, "model": "planted/model"}))
    _damage(folder)
    result = cli_run("index", "-q", "--model", str(tiny_bloom), str(sample_repo))
    assert result.returncode == 0, result.stderr
    assert "planted" not in result.stderr and "with its model" not in result.stderr
    assert _status(sample_repo)["model"] == str(tiny_bloom.resolve())


def test_the_set_aside_catalogs_vectors_never_stand_for_the_new_catalogs_functions(sample_repo: Path, tiny_bloom: Path,
                                                                                  tiny_embedder) -> None:
    """The vector file is labelled with the damaged catalog's function ids, which the new catalog gives out
    again to other functions: read after a partial sync, it answered with another function's vector."""
    import numpy as np

    from codesearch.config import Config
    from codesearch.engine import Index

    assert cli_run("index", "-q", "--model", str(tiny_bloom), str(sample_repo)).returncode == 0
    with Index.open(sample_repo, Config()) as before:
        old = dict(before.store.catalog.db.execute("SELECT id, text_hash FROM functions"))
    _damage(sample_repo / ".codesearch")
    with Index.create(sample_repo, Config(), embedder=tiny_embedder) as index:
        index.sync(["api/server.go", "lib/cart.rb"])  # the new catalog's first ids go to other units than before
        new = dict(index.store.catalog.db.execute("SELECT id, text_hash FROM functions"))
    assert any(old.get(i) not in (None, h) for i, h in new.items())  # ids the old vectors name for other code
    with Index.open(sample_repo, Config()) as fresh:
        store = fresh.store
        ids, expected = store.catalog.vectors_for(store.model_id, dim=store.dim)
        assert len(ids) and store.vectors().labels == set(ids.tolist())
        held = np.asarray(store.vectors().index.get_items(ids.tolist()), dtype=np.float32)
        assert np.allclose(held, expected / np.linalg.norm(expected, axis=1, keepdims=True), atol=1e-4)
