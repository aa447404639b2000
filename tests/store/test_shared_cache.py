"""The user-level embedding cache: shared by indexes, safe across processes, pruned, exported and imported."""

from __future__ import annotations

import json
import multiprocessing
import sqlite3
import sys
from pathlib import Path

import numpy as np
import pytest

from codesearch.cli.commands import main
from codesearch.config import Config
from codesearch.config import cache_root
from codesearch.store.embedcache import CACHE_FILE, SharedCache
from codesearch.engine import Index, Query

SHARED_FILE = "def shared_helper(values):\n    '''Add up the values.'''\n    return sum(values)\n"


def _repo(root: Path, name: str, functions: int) -> Path:
    """A repository with one file shared by every repo and one file of its own."""
    root.mkdir(parents=True)
    (root / "common.py").write_text(SHARED_FILE)
    body = "".join(f"def {name}_{i}(x):\n    return x * {i} + len('{name}')\n\n" for i in range(functions))
    (root / f"{name}.py").write_text(body)
    return root


def _cache_path() -> Path:
    return cache_root() / CACHE_FILE


def test_two_indexes_embed_a_shared_function_once(tmp_path, tiny_embedder):
    cfg = Config()
    with Index.create(_repo(tmp_path / "a", "alpha", 3), cfg, embedder=tiny_embedder) as a:
        first = a.sync()
    assert first.functions_embedded == 4
    with Index.create(_repo(tmp_path / "b", "beta", 2), cfg, embedder=tiny_embedder) as b:
        second = b.sync()
        hits = b.search(Query("add up the values", k=1, mode="lexical"))
        vec = b.store.catalog.vectors_for(b.store.model_id, [hits[0].id])[1][0]
    assert second.functions_embedded == 2  # common.py came from the shared cache
    assert second.functions_total == 3
    # the vector taken from the shared cache is the one the model makes for that function
    assert hits[0].name == "shared_helper"
    assert float(vec @ tiny_embedder.embed_documents([SHARED_FILE.rstrip("\n")])[0]) > 0.9999
    # without the shared cache, the same repository embeds everything
    with Index.create(_repo(tmp_path / "c", "gamma", 2), Config(shared_cache=False), embedder=tiny_embedder) as c:
        assert c.sync().functions_embedded == 3


def test_shared_cache_off_by_environment(tmp_path, tiny_embedder):
    cfg = Config.resolve({}, {"CODESEARCH_SHARED_CACHE": "0"})
    assert cfg.shared_cache is False
    with Index.create(_repo(tmp_path / "a", "alpha", 1), cfg, embedder=tiny_embedder) as idx:
        idx.sync()
    assert not _cache_path().exists()


def _writer(path: str, worker: int, rounds: int) -> None:
    """One process writing overlapping chunks to the shared cache and reading them back."""
    cache = SharedCache(Path(path))
    for r in range(rounds):
        hashes = [f"h{(worker * 7 + r * 3 + j) % 400:04d}" for j in range(16)]
        vecs = np.array([[int(h[1:]), 1.0, 2.0, 3.0] for h in hashes], dtype=np.float32)
        cache.put("m", hashes, vecs)
        got = cache.get("m", hashes, 4)
        assert all(got[h][0] == int(h[1:]) for h in hashes)
    cache.close()


def test_many_processes_write_at_once(tmp_path):
    path = tmp_path / "cache" / CACHE_FILE
    SharedCache(path).close()
    ctx = multiprocessing.get_context("spawn")
    procs = [ctx.Process(target=_writer, args=(str(path), w, 60)) for w in range(4)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(120)
    assert [p.exitcode for p in procs] == [0, 0, 0, 0]
    expected = {f"h{(w * 7 + r * 3 + j) % 400:04d}" for w in range(4) for r in range(60) for j in range(16)}
    cache = SharedCache(path)
    assert cache.count("m") == len(expected)
    got = cache.get("m", sorted(expected), 4)
    assert all(v[0] == int(h[1:]) for h, v in got.items()) and len(got) == len(expected)


def test_prune_by_age_and_size(tmp_path):
    cache = SharedCache(tmp_path / CACHE_FILE)
    cache.put("m", [f"old{i}" for i in range(100)], np.ones((100, 256), dtype=np.float32))
    cache.db.execute("UPDATE embeddings SET last_used = last_used - 86400 * 40")
    cache.put("m", [f"new{i}" for i in range(100)], np.ones((100, 256), dtype=np.float32))
    cache.get("m", ["old0"], 256)  # a hit refreshes its last use, so it survives pruning by age
    assert cache.prune(older_than=30 * 86400) == 99
    assert cache.count() == 101
    cache.db.execute("UPDATE embeddings SET last_used = last_used - 100 WHERE text_hash LIKE 'new1%'")
    cache.prune(max_bytes=50 * (1024 + 80))  # 50 rows of a 1 KiB vector and its bookkeeping
    left = {h for (h,) in cache.db.execute("SELECT text_hash FROM embeddings")}
    assert len(left) == 50 and "old0" in left  # the most recently used stay
    assert not any(h.startswith("new1") for h in left)  # the least recently used went first


@pytest.fixture
def run(monkeypatch, capsys):
    """The real entry point in this process (errors become one line and an exit code): (code, out, err)."""
    def go(args: list[str], cache: Path) -> tuple[int, str, str]:
        monkeypatch.setenv("XDG_CACHE_HOME", str(cache))
        monkeypatch.setattr(sys, "argv", ["codesearch", *map(str, args)])
        code = 0
        try:
            main()
        except SystemExit as exc:
            code = exc.code or 0
        captured = capsys.readouterr()
        return code, captured.out, captured.err
    return go


def _index_cli(run, repo: Path, model: Path, cache: Path) -> dict:
    code, out, err = run(["index", repo, "--model", model, "--json", "-q"], cache)
    assert code == 0, err
    return json.loads(out.strip().splitlines()[-1])


def test_export_import_makes_index_embed_nothing(tmp_path, tiny_bloom, run):
    ci, dev = tmp_path / "ci-cache", tmp_path / "dev-cache"
    repo = _repo(tmp_path / "repo", "alpha", 5)
    assert _index_cli(run, repo, tiny_bloom, ci)["functions_embedded"] == 6
    bundle = tmp_path / "vectors.csbundle"
    code, out, err = run(["cache", "export", bundle, "--path", repo], ci)
    assert code == 0, err
    # a developer's fresh machine: another user cache, another clone of the repository
    clone = _repo(tmp_path / "clone", "alpha", 5)
    code, out, err = run(["cache", "import", bundle, "--model", tiny_bloom], dev)
    assert code == 0, err
    assert "imported 6 new vectors" in out
    assert _index_cli(run, clone, tiny_bloom, dev)["functions_embedded"] == 0
    code, out, err = run(["status", clone], dev)
    assert "shared cache: 6 vectors" in out


@pytest.fixture(scope="module")
def other_bloom(tmp_path_factory) -> Path:
    from codesearch.models.random_models import build_random_udever

    return build_random_udever(tmp_path_factory.mktemp("other") / "other-udever", "tiny", seed=1)


def _exported(tmp_path: Path, tiny_bloom: Path, run) -> tuple[Path, Path]:
    ci = tmp_path / "ci-cache"
    repo = _repo(tmp_path / "repo", "alpha", 40)
    _index_cli(run, repo, tiny_bloom, ci)
    bundle = tmp_path / "vectors.csbundle"
    assert run(["cache", "export", bundle, "--path", repo], ci)[0] == 0
    return bundle, tmp_path / "dev-cache"


def _cache_rows(cache: Path) -> int:
    path = cache / "codesearch" / CACHE_FILE
    if not path.exists():
        return 0
    return sqlite3.connect(path).execute("SELECT count(*) FROM embeddings").fetchone()[0]


def test_bundle_of_another_model_is_refused(tmp_path, tiny_bloom, other_bloom, run):
    bundle, dev = _exported(tmp_path, tiny_bloom, run)
    SharedCache(dev / "codesearch" / CACHE_FILE).put("x", ["keep"], np.ones((1, 4), dtype=np.float32))
    code, out, err = run(["cache", "import", bundle, "--model", other_bloom], dev)
    assert code == 2
    lines = err.strip().splitlines()
    assert len(lines) == 1 and "holds vectors of model" in lines[0] and str(tiny_bloom) in lines[0], err
    assert _cache_rows(dev) == 1


@pytest.mark.parametrize("damage", ["truncate", "flip"])
def test_damaged_bundle_is_refused_and_cache_unchanged(tmp_path, tiny_bloom, damage, run):
    bundle, dev = _exported(tmp_path, tiny_bloom, run)
    data = bytearray(bundle.read_bytes())
    if damage == "truncate":
        data = data[: len(data) * 2 // 3]
    else:  # one flipped byte inside a stored vector: the file is sound, only the checksum can tell
        db = sqlite3.connect(bundle)
        (vec,) = db.execute("SELECT vector FROM vectors LIMIT 1 OFFSET 5").fetchone()
        db.close()
        data[bytes(data).index(vec) + 17] ^= 0xFF
    bundle.write_bytes(bytes(data))
    code, out, err = run(["cache", "import", bundle, "--model", tiny_bloom], dev)
    assert code == 2, err
    lines = err.strip().splitlines()
    assert len(lines) == 1 and ("damaged or truncated" in lines[0] or "fails its checksum" in lines[0]), err
    assert _cache_rows(dev) == 0
