"""The token budget per unit (Config.max_length) is part of what a vector is: an index and the shared cache
never hold, nor hand out, a vector made at another budget than the one the index embeds with now."""

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

SHORT, LONG = 16, 48  # both well inside the tiny BLOOM's reach; many sample units are longer than SHORT


@pytest.fixture(scope="module")
def at_budget(tiny_bloom_with):
    """The tiny BLOOM loaded at a token budget (loaded once per budget)."""
    return lambda tokens: tiny_bloom_with(max_length=tokens)


def _assert_vectors_of(index: Index, embedder) -> None:
    """Every stored vector of the index, in the catalog and in the vector index searches use, is the one
    embedder makes for that unit's text now; and the budget shows (some unit is cut by the short one)."""
    ids, matrix, texts = stored_vectors(index)
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
        assert _cut_by(short, long_, stored_vectors(index)[2]) >= 4, "the sample units are too short to tell the budgets apart"
    with Index.create(sample_repo, Config(), embedder=long_) as index:
        report = index.sync()
        _assert_vectors_of(index, long_)
        assert report.functions_embedded == len(stored_vectors(index)[0])  # every unit embedded again, at the new budget


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


def _forget_budget(root: Path, model_id: str) -> None:
    """Make the index at root look as one made before budgets were recorded (same vectors, no record)."""
    from codesearch.store.catalog import TOKEN_BUDGET_KEY
    from codesearch.store.folder import Store

    store = Store.open(root, Config())
    try:
        assert store.catalog.token_budget(model_id) is not None
        with store.catalog.transaction():
            store.catalog.delete_meta(TOKEN_BUDGET_KEY + model_id)
    finally:
        store.close()


def test_a_changed_budget_re_embeds_once_and_says_why_in_one_line(sample_repo: Path, at_budget) -> None:
    from codesearch.cli.commands import _sync_line

    short, long_ = at_budget(SHORT), at_budget(LONG)
    with Index.create(sample_repo, Config(), embedder=short) as index:
        assert index.sync().notes == []  # a first index: nothing to say
    with Index.create(sample_repo, Config(), embedder=long_) as index:
        changed = index.sync()
        assert changed.notes == [f"re-embedding: token budget changed {SHORT} -> {LONG} tokens per unit, so every "
                                 "unit is embedded again (vectors of two budgets are never mixed)"]
        assert _sync_line(changed).endswith("\nnote: " + changed.notes[0])  # what `watch` and `serve` print
        again = index.sync()
        assert (again.notes, again.functions_embedded) == ([], 0)
    with Index.open(sample_repo, Config(), embedder=long_) as index:
        assert index.status()["token_budget"] == LONG


def test_an_index_made_before_budgets_were_recorded(tmp_path: Path, sample_repo: Path, tiny_bloom: Path) -> None:
    """udever's vectors were always made at 300, its default still: nothing is embedded again. MiniLM's were
    made at 256 and its default is now 128: embedded again once, with the line."""
    udever = load_embedder(str(tiny_bloom))
    assert udever.max_length == udever.legacy_length == 300
    with Index.create(sample_repo, Config(), embedder=udever) as index:
        index.sync()
    _forget_budget(sample_repo, udever.model_id)
    with Index.create(sample_repo, Config(), embedder=udever) as index:
        report = index.sync()
        assert (report.notes, report.functions_embedded) == ([], 0)
        assert index.store.catalog.token_budget(udever.model_id) == 300

    repo = shutil.copytree(sample_repo, tmp_path / "minilm", ignore=shutil.ignore_patterns(".codesearch"))
    old = load_embedder("minilm", Config(max_length=256))
    with Index.create(repo, Config(), embedder=old) as index:
        index.sync()
    _forget_budget(repo, old.model_id)
    new = load_embedder("minilm")
    with Index.create(repo, Config(), embedder=new) as index:
        report = index.sync()
        assert report.notes == ["re-embedding: token budget changed 256 -> 128 tokens per unit, so every unit is "
                                "embedded again (vectors of two budgets are never mixed)"]
        _assert_vectors_of(index, new)


def test_a_live_index_says_it_and_a_warm_reader_searches_the_new_vectors(sample_repo: Path, at_budget) -> None:
    """watch, serve, the TUI and MCP hear the line through on_sync; a process that had the old vectors in
    memory builds its vector index again instead of keeping them."""
    from conftest import wait_for

    short, long_ = at_budget(SHORT), at_budget(LONG)
    with Index.create(sample_repo, Config(), embedder=short) as index:
        index.sync()
    reader = Index.open(sample_repo, Config(), embedder=short)
    try:
        reader.store.vectors()  # warm: every vector of the old budget in memory
        reports = []
        with Index.live(sample_repo, Config(), embedder=long_, on_sync=reports.append) as live:
            wait_for(lambda: reports and live.live_state().watching, 60)
            assert any(note.startswith(f"re-embedding: token budget changed {SHORT} -> {LONG}") for note in reports[0].notes)
            _assert_vectors_of(live, long_)
            _assert_vectors_of(reader, long_)
    finally:
        reader.close()


def test_a_rebuild_keeps_no_vector_of_the_old_budget(sample_repo: Path, at_budget) -> None:
    """`index --rebuild` copies the old index's vectors beside it (an unchanged function is not embedded
    again): with the budget they were made at, so a new budget drops them there too."""
    short, long_ = at_budget(SHORT), at_budget(LONG)
    with Index.create(sample_repo, Config(), embedder=short) as index:
        index.sync()
    with Index.create(sample_repo, Config(shared_cache=False), rebuild=True, embedder=long_) as index:
        index.sync()
    with Index.open(sample_repo, Config(), embedder=long_) as index:
        _assert_vectors_of(index, long_)
    with Index.create(sample_repo, Config(shared_cache=False), rebuild=True, embedder=long_) as index:
        assert index.sync().functions_embedded == 0  # the same budget: every vector carried over


def test_a_bundle_fills_the_cache_of_its_own_budget_only(tmp_path: Path, sample_repo: Path, tiny_bloom: Path,
                                                          monkeypatch) -> None:
    """An embedding bundle records the budget of its vectors; imported, they serve that budget only."""
    from conftest import cli_run

    monkeypatch.setenv("CODESEARCH_MAX_LENGTH", str(SHORT))
    assert cli_run("index", str(sample_repo), "--model", str(tiny_bloom), "-q").returncode == 0
    bundle = tmp_path / "vectors.csbundle"
    done = cli_run("cache", "export", str(bundle), "--path", str(sample_repo))
    assert done.returncode == 0, done.stderr
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "another-machine"))
    done = cli_run("cache", "import", str(bundle), "--model", str(tiny_bloom))
    assert done.returncode == 0, done.stderr
    for tokens, embedded in ((LONG, "all"), (SHORT, 0)):
        monkeypatch.setenv("CODESEARCH_MAX_LENGTH", str(tokens))
        clone = shutil.copytree(sample_repo, tmp_path / f"clone-{tokens}", ignore=shutil.ignore_patterns(".codesearch"))
        done = cli_run("index", str(clone), "--model", str(tiny_bloom), "--json", "-q")
        assert done.returncode == 0, done.stderr
        report = json.loads(done.stdout.strip().splitlines()[-1])
        with Index.open(clone, Config(max_length=tokens)) as index:
            everything = index.coverage()[1]
            assert report["functions_embedded"] == (everything if embedded == "all" else 0)
            _assert_vectors_of(index, load_embedder(str(tiny_bloom), Config(max_length=tokens)))
