"""The token budget per unit (Config.max_length) is part of what a vector is: an index and the shared cache
never hold, nor hand out, a vector made at another budget than the one the index embeds with now."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pytest

from codesearch.config import Config
from codesearch.embed.embedding import load_embedder
from codesearch.engine import Index
from codesearch.parse.documents import document_text

SHORT, LONG = 16, 48  # both well inside the tiny BLOOM's reach; many sample units are longer than SHORT


@pytest.fixture(scope="module")
def at_budget(tiny_bloom):
    """The tiny BLOOM loaded at a token budget (loaded once per budget)."""
    loaded: dict[int, object] = {}

    def get(tokens: int):
        if tokens not in loaded:
            loaded[tokens] = load_embedder(str(tiny_bloom), Config(max_length=tokens))
        return loaded[tokens]
    return get


def _stored(index: Index) -> tuple[np.ndarray, np.ndarray, list[str]]:
    """(unit ids, their vectors in the catalog, their document texts) of every unit with a model vector."""
    catalog = index.store.catalog
    ids, matrix = catalog.vectors_for(index.store.model_id, dim=index.store.dim)
    rows = catalog.get_functions([int(i) for i in ids])
    return ids, matrix, [document_text(rows[int(i)]) for i in ids]


def _assert_vectors_of(index: Index, embedder) -> None:
    """Every stored vector of the index, in the catalog and in the vector index searches use, is the one
    embedder makes for that unit's text now; and the budget shows (some unit is cut by the short one)."""
    ids, matrix, texts = _stored(index)
    assert len(ids) >= 8
    want = embedder.embed_documents(texts)
    worst = float(np.abs(matrix - want).max())
    assert worst < 1e-4, f"a stored vector is not this budget's (max difference {worst:.3f})"
    searched = np.asarray(index.store.vectors().index.get_items([int(i) for i in ids]), dtype=np.float32)
    assert float(np.abs(searched - want).max()) < 1e-4, "the vector index still holds vectors of the old budget"


def _cut_by(short, long_, texts: list[str]) -> int:
    """How many texts the short budget cuts (their vectors differ between the two budgets)."""
    a, b = short.embed_documents(texts), long_.embed_documents(texts)
    return int((np.abs(a - b).max(axis=1) > 1e-3).sum())


def test_a_changed_token_budget_leaves_no_vector_of_the_old_one(sample_repo: Path, at_budget) -> None:
    """The bug: vectors were keyed by model only, so an index built at one budget and synced at another
    kept every vector of the first (red before the budget was part of the index's record)."""
    short, long_ = at_budget(SHORT), at_budget(LONG)
    with Index.create(sample_repo, Config(), embedder=short) as index:
        index.sync()
        assert _cut_by(short, long_, _stored(index)[2]) >= 4, "the sample units are too short to tell the budgets apart"
    with Index.create(sample_repo, Config(), embedder=long_) as index:
        report = index.sync()
        _assert_vectors_of(index, long_)
        assert report.functions_embedded == len(_stored(index)[0])  # every unit embedded again, at the new budget


def test_the_shared_cache_never_hands_out_a_vector_of_another_budget(tmp_path: Path, sample_repo: Path,
                                                                     at_budget) -> None:
    """A second repository with the same functions takes vectors from the user's shared cache only when they
    were made at its own budget (red before: the cache was keyed by model id and text alone)."""
    short, long_ = at_budget(SHORT), at_budget(LONG)
    with Index.create(sample_repo, Config(), embedder=short) as index:
        index.sync()
    clone = shutil.copytree(sample_repo, tmp_path / "clone", ignore=shutil.ignore_patterns(".codesearch"))
    with Index.create(clone, Config(), embedder=long_) as index:
        index.sync()
        _assert_vectors_of(index, long_)
    same = shutil.copytree(sample_repo, tmp_path / "same", ignore=shutil.ignore_patterns(".codesearch"))
    with Index.create(same, Config(), embedder=short) as index:
        assert index.sync().functions_embedded == 0  # the cache still serves its own budget
        _assert_vectors_of(index, short)
