"""`index --ray`: embedding on a real local Ray runtime (one per module: it takes ~10 s to start)."""

from __future__ import annotations

import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

ray = pytest.importorskip("ray", reason='the ray extra is not installed: pip install "codesearch[ray]"')

from codesearch.config import Config  # noqa: E402
from codesearch.engine import Index, Query  # noqa: E402
from codesearch.store.locate import CATALOG_NAME  # noqa: E402


@pytest.fixture(scope="module")
def ray_address():
    """A local Ray runtime with two CPUs, shared by the module; its address lets a subprocess join."""
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False, configure_logging=False)
    try:
        yield ray.get_runtime_context().gcs_address
    finally:
        ray.shutdown()


def _vectors(index: Index) -> dict[str, np.ndarray]:
    rows = index.store.catalog.db.execute("SELECT text_hash, vector FROM embeddings WHERE model = ?", (index.store.model_id,))
    return {h: np.frombuffer(v, dtype="<f4") for h, v in rows}


def test_ray_gives_the_same_vectors_and_results(ray_address, sample_repo, tmp_path, tiny_bloom, tiny_embedder_fp32,
                                                monkeypatch):
    """fp32 on both sides: int8 vectors move with their batch, and Ray's batches are not the local ones."""
    from codesearch.sync import indexer

    cfg = Config(model=str(tiny_bloom), max_length=128, shared_cache=False, precision="fp32")
    tiny_embedder = tiny_embedder_fp32
    local_repo = tmp_path / "local"
    shutil.copytree(sample_repo, local_repo)
    progress = []
    parsed: list[str] = []
    real_parse = indexer.parse_source
    monkeypatch.setattr(indexer, "parse_source", lambda data, lang, rel: parsed.append(rel) or real_parse(data, lang, rel))
    with Index.create(sample_repo, cfg) as on_ray, Index.create(local_repo, cfg, embedder=tiny_embedder) as local:
        report = on_ray.sync_on_ray(ray_address, on_progress=lambda p: progress.append((p.phase, p.functions_embedded)))
        assert sorted(parsed) == sorted(set(parsed)) and len(parsed) == report.files_changed  # each file parsed once
        assert local.sync().functions_embedded == report.functions_embedded >= 8
        assert report.functions_total == local.counts()[1]
        ray_vecs, local_vecs = _vectors(on_ray), _vectors(local)
        assert ray_vecs.keys() == local_vecs.keys()
        assert min(float(ray_vecs[h] @ local_vecs[h]) for h in ray_vecs) > 0.9999
        for text in ("retry failed http calls", "parse the configuration file", "reverse a string"):
            q = Query(text, k=5, mode="semantic")
            assert [(h.path, h.name) for h in on_ray.search(q)] == [(h.path, h.name) for h in local.search(q)]
    embedding = [done for phase, done in progress if phase == "embedding"]
    assert embedding[0] == 0 and embedding[-1] == report.functions_embedded  # done/total reached the display


def _big_repo(root: Path, files: int, functions: int) -> int:
    root.mkdir()
    for f in range(files):
        (root / f"mod{f}.py").write_text("".join(
            f"def fn_{f}_{i}(values):\n    '''Step {i} of module {f}.'''\n    return [v * {i} + {f} for v in values]\n\n"
            for i in range(functions)))
    return files * functions


def _embedded(repo: Path) -> int:
    path = repo / ".codesearch" / CATALOG_NAME
    if not path.exists():
        return 0
    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=5)
    try:
        return db.execute("SELECT count(*) FROM embeddings").fetchone()[0]
    except sqlite3.OperationalError:
        return 0
    finally:
        db.close()


def test_killed_driver_resumes_with_only_what_is_missing(ray_address, tmp_path, tiny_bloom):
    repo = tmp_path / "big"
    total = _big_repo(repo, 25, 100)
    cmd = [sys.executable, "-c", "from codesearch.cli import main; main()", "index", str(repo), "--ray", ray_address,
           "--model", str(tiny_bloom), "--no-shared-cache", "-q", "--json"]
    driver = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env={**os.environ})
    deadline = time.monotonic() + 240
    while _embedded(repo) == 0 and driver.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    driver.send_signal(signal.SIGKILL)
    _, err = driver.communicate(timeout=30)
    written = _embedded(repo)
    assert 0 < written < total, err.decode()[-2000:]
    cfg = Config(model=str(tiny_bloom), shared_cache=False)
    with Index.create(repo, cfg) as idx:
        report = idx.sync_on_ray(ray_address)
        assert report.functions_embedded == total - written  # what was written stayed written
        assert idx.counts() == (25, total)
        assert idx.store.catalog.count("embeddings") == total


def test_corpus_mode_embeds_queries_and_candidates_through_the_pipeline(ray_address, tmp_path, tiny_bloom, tiny_embedder):
    sys.path.insert(0, str(Path(__file__).parents[2] / "benchmarks"))
    import codesearchnet as csn
    from codesearch.embed.distributed import embed_all_on_ray

    records = csn.read_examples(Path(__file__).parents[1] / "fixtures" / "csn", "python")
    assert len(records) >= 3
    cfg = Config(model=str(tiny_bloom), max_length=128)
    ray_info = {"address": ray_address, "actors": 1, "cfg": cfg}
    on_ray = csn.evaluate(records, "semantic", "batch1000", tiny_embedder, tmp_path / "ray", "python", ray_info)
    local = csn.evaluate(records, "semantic", "batch1000", tiny_embedder, tmp_path / "local", "python")
    assert on_ray == local
    catalogs = [next((tmp_path / side).rglob(CATALOG_NAME)) for side in ("ray", "local")]
    ray_vecs, local_vecs = ({h: np.frombuffer(v, dtype="<f4") for h, v in sqlite3.connect(c).execute(
        "SELECT text_hash, vector FROM embeddings")} for c in catalogs)
    assert ray_vecs.keys() == local_vecs.keys() and len(ray_vecs) == len(records)
    assert min(float(ray_vecs[h] @ local_vecs[h]) for h in ray_vecs) > 0.9999
    texts = [csn.query_text(r) for r in records]
    queries = embed_all_on_ray(texts, cfg.model, cfg, "query", 1)
    assert float((queries * tiny_embedder.embed_queries(texts)).sum(1).min()) > 0.9999


def test_index_on_ray_keeps_rays_own_logs_off_stderr(ray_address, sample_repo, tiny_bloom):
    """Issue 25: Ray Data's execution plans, token notices and core-worker lines stay in Ray's log files."""
    from tests.conftest import run_cli

    done = run_cli("index", str(sample_repo), "--ray", ray_address, "--model", str(tiny_bloom), "--no-shared-cache", "-q")
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stderr.splitlines() == [f"indexing {sample_repo} with {tiny_bloom} on Ray ({ray_address})"], done.stderr
