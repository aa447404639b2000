"""The model's precision (fp32 or int8, Config.precision) is part of what a vector is: an index, the shared cache
and embedding bundles never hold, nor hand out, a vector of another precision than the one the index embeds
with now (the bug: int8 vectors were kept under the fp32 model key)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pytest

from codesearch.config import Config
from codesearch.embed.embedding import load_embedder
from codesearch.engine import Index

from conftest import stored_vectors

PRECISION_NOTE = ("re-embedding: precision changed {} -> {}, so every unit is embedded again "
                  "(vectors of two precisions are never mixed)")


@pytest.fixture(scope="module")
def in_precision(tiny_bloom_with):
    """The tiny BLOOM loaded in a precision (loaded once per precision)."""
    return lambda precision: tiny_bloom_with(precision=precision)


def _kept(index: Index) -> dict[str, np.ndarray]:
    """text hash -> the vector the index keeps for it (its model's)."""
    return {h: np.frombuffer(v, dtype="<f4") for h, v in index.store.catalog.cached_rows(index.store.model_id)}


def _assert_searched(index: Index) -> None:
    """The vector index searches use holds exactly the catalog's vectors (a warm one was built again)."""
    ids, matrix = index.store.catalog.vectors_for(index.store.model_id, dim=index.store.dim)
    assert len(ids) >= 8
    searched = np.asarray(index.store.vectors().index.get_items([int(i) for i in ids]), dtype=np.float32)
    assert float(np.abs(searched - matrix).max()) < 1e-6, "the vector index holds vectors the catalog no longer does"


def _assert_made_by(index: Index, embedder) -> None:
    """Every kept vector is the one the fp32 embedder makes for that unit's text now (fp32 vectors are exact
    functions of the text; int8 ones are not: dynamic int8 scales activations per batch, so the same text
    moves by as much as fp32 and int8 differ, and int8 vectors are told apart by _assert_none_of instead)."""
    _, matrix, texts = stored_vectors(index)
    want = embedder.embed_documents(texts)
    assert float(np.abs(matrix - want).max()) < 1e-4, "a kept vector is not this fp32 model's"
    _assert_searched(index)


def _assert_none_of(index: Index, other: dict[str, np.ndarray]) -> None:
    """No kept vector is the one other held for the same text (vectors of the other precision are all gone)."""
    kept = _kept(index)
    assert kept and set(kept) <= set(other)
    closest = min(float(np.abs(v - other[h]).max()) for h, v in kept.items())
    assert closest > 1e-6, "a vector of the other precision is still kept"
    _assert_searched(index)


def test_the_precisions_make_other_vectors(in_precision, sample_repo: Path) -> None:
    """What the tests below rely on: every int8 vector of the tiny BLOOM differs from its fp32 one."""
    fp32, int8 = in_precision("fp32"), in_precision("int8")
    assert (fp32.vector_precision, int8.vector_precision) == ("fp32", "int8")
    texts = [p.read_text() for p in sorted(sample_repo.rglob("*.py"))]
    assert float(np.abs(fp32.embed_documents(texts) - int8.embed_documents(texts)).max(axis=1).min()) > 1e-5


def test_a_changed_precision_re_embeds_once_says_why_and_a_warm_reader_follows(sample_repo: Path, in_precision) -> None:
    """The bug: an index built in fp32 and synced with --precision int8 kept every fp32 vector and embedded
    nothing (red before the precision was part of the index's record)."""
    from codesearch.cli.commands import _sync_line

    fp32, int8 = in_precision("fp32"), in_precision("int8")
    with Index.create(sample_repo, Config(), embedder=fp32) as index:
        assert index.sync().notes == []
        made_in_fp32 = _kept(index)
    reader = Index.open(sample_repo, Config(), embedder=fp32)
    try:
        reader.store.vectors()  # warm: every fp32 vector in memory
        with Index.create(sample_repo, Config(), embedder=int8) as index:
            changed = index.sync()
            assert changed.notes == [PRECISION_NOTE.format("fp32", "int8")]
            assert _sync_line(changed).endswith("\nnote: " + changed.notes[0])  # what `watch` and `serve` print
            assert changed.functions_embedded == len(made_in_fp32)  # every unit embedded again
            _assert_none_of(index, made_in_fp32)
            again = index.sync()
            assert (again.notes, again.functions_embedded) == ([], 0)
            assert index.status()["precision"] == "int8"
        _assert_none_of(reader, made_in_fp32)  # the warm reader built its vector index again
    finally:
        reader.close()
    with Index.create(sample_repo, Config(), embedder=fp32) as index:  # and back
        assert index.sync().notes == [PRECISION_NOTE.format("int8", "fp32")]
        _assert_made_by(index, fp32)


def test_a_changed_budget_and_precision_say_both_in_one_line(sample_repo: Path, tiny_bloom: Path) -> None:
    with Index.create(sample_repo, Config(), embedder=load_embedder(str(tiny_bloom), Config(max_length=16, precision="fp32"))) as index:
        index.sync()
        before = _kept(index)
    both = load_embedder(str(tiny_bloom), Config(max_length=48, precision="int8"))
    with Index.create(sample_repo, Config(), embedder=both) as index:
        assert index.sync().notes == [
            "re-embedding: token budget changed 16 -> 48 tokens per unit and precision changed fp32 -> int8, so "
            "every unit is embedded again (vectors of two budgets or precisions are never mixed)"]
        _assert_none_of(index, before)


def test_the_shared_cache_never_hands_out_a_vector_of_another_precision(tmp_path: Path, sample_repo: Path,
                                                                        in_precision) -> None:
    """A second repository with the same functions takes vectors from the user's shared cache only when they
    were made in its own precision (red before: an fp32 user got int8 vectors, and the other way round)."""
    fp32, int8 = in_precision("fp32"), in_precision("int8")
    with Index.create(sample_repo, Config(), embedder=int8) as index:
        index.sync()
        made_in_int8 = _kept(index)
    clone = shutil.copytree(sample_repo, tmp_path / "clone", ignore=shutil.ignore_patterns(".codesearch"))
    with Index.create(clone, Config(), embedder=fp32) as index:
        assert index.sync().functions_embedded == len(made_in_int8)
        _assert_made_by(index, fp32)
    same = shutil.copytree(sample_repo, tmp_path / "same", ignore=shutil.ignore_patterns(".codesearch"))
    with Index.create(same, Config(), embedder=int8) as index:
        assert index.sync().functions_embedded == 0  # the cache still serves its own precision
        kept = _kept(index)
        assert kept.keys() == made_in_int8.keys()
        assert all(np.array_equal(v, made_in_int8[h]) for h, v in kept.items())


def test_a_rebuild_keeps_no_vector_of_the_old_precision(sample_repo: Path, in_precision) -> None:
    """`index --rebuild` copies the old index's vectors beside it with the precision they were made in."""
    fp32, int8 = in_precision("fp32"), in_precision("int8")
    with Index.create(sample_repo, Config(), embedder=fp32) as index:
        index.sync()
        made_in_fp32 = _kept(index)
    with Index.create(sample_repo, Config(shared_cache=False), rebuild=True, embedder=int8) as index:
        index.sync()
    with Index.open(sample_repo, Config(), embedder=int8) as index:
        _assert_none_of(index, made_in_fp32)
    with Index.create(sample_repo, Config(shared_cache=False), rebuild=True, embedder=int8) as index:
        assert index.sync().functions_embedded == 0  # the same precision: every vector carried over


def test_the_cli_flags_and_a_bundle_keep_their_precision(tmp_path: Path, sample_repo: Path, tiny_bloom: Path,
                                                          in_precision, monkeypatch) -> None:
    """`--quantize int8` (the older spelling of `--precision int8`) indexes in int8; an embedding bundle records
    the precision of its vectors and, imported, serves that precision only."""
    from conftest import cli_run

    fp32 = in_precision("fp32")
    done = cli_run("index", str(sample_repo), "--model", str(tiny_bloom), "--quantize", "int8", "-q")
    assert done.returncode == 0, done.stderr
    with Index.open(sample_repo, Config()) as index:
        assert index.status()["precision"] == "int8"
        exported = _kept(index)
    ids, matrix = np.array(list(exported)), np.stack(list(exported.values()))
    assert len(ids) >= 8
    bundle = tmp_path / "vectors.csbundle"
    done = cli_run("cache", "export", str(bundle), "--path", str(sample_repo))
    assert done.returncode == 0, done.stderr
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "another-machine"))
    done = cli_run("cache", "import", str(bundle), "--model", str(tiny_bloom))
    assert done.returncode == 0, done.stderr
    for precision in ("fp32", "int8"):
        clone = shutil.copytree(sample_repo, tmp_path / f"clone-{precision}", ignore=shutil.ignore_patterns(".codesearch"))
        done = cli_run("index", str(clone), "--model", str(tiny_bloom), "--precision", precision, "--json", "-q")
        assert done.returncode == 0, done.stderr
        report = json.loads(done.stdout.strip().splitlines()[-1])
        with Index.open(clone, Config()) as index:
            if precision == "fp32":  # the bundle's int8 vectors are not for it
                assert report["functions_embedded"] == index.coverage()[1]
                _assert_made_by(index, fp32)
            else:  # every vector from the bundle
                assert report["functions_embedded"] == 0
                kept = _kept(index)
                assert np.array_equal(np.stack([kept[h] for h in ids]), matrix)
