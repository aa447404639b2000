"""The static tier: token vectors distilled from the model itself, kept in the user's cache, pooled per text."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from codesearch.config import Config
from codesearch.embed.static import STATIC_RECIPE, StaticEmbedder, TokenStats, static_key
from codesearch.engine import Index
from codesearch.parse.documents import document_text
from codesearch.query import Query
from codesearch.config import cache_root as user_cache_dir
from codesearch.store.embedcache import TOKENS_FILE, MemoryTokens, TokenCache
from codesearch.sync.indexer import Indexer

from conftest import cli_run, sync_until_embedded, write_modules


@pytest.fixture
def tiny_embedder(tiny_embedder_fp32):
    """fp32 here: these tests check vectors exactly (see conftest.tiny_embedder_fp32)."""
    return tiny_embedder_fp32

TEXT = "def retry_failed_calls(url, attempts=3):\n    # retry the request until it works\n    return fetch(url)"


def _ids(model, text: str) -> list[int]:
    specials = set(model.tokenizer.all_special_ids) | {model.boq, model.eoq, model.bod, model.eod}
    return [i for i in model.tokenizer(text, add_special_tokens=False)["input_ids"] if i not in specials]


def _expected(model, text: str, corpus: list[str] | None = None, weights=None) -> np.ndarray:
    """The recipe written out independently: [BOD] token [EOD] through the model, last state, L2;
    weight sif / (sif + p) with p Zipf-estimated from the token id, times the token's IDF over corpus;
    token vectors centred on the mean of corpus's distinct tokens' vectors; weighted sum; partly whitened; L2.
    weights: the torch model the tokens go through (default: the model's own fp32 weights)."""
    ids = _ids(model, text)
    docs = [set(_ids(model, t)) for t in corpus or []]
    distinct = sorted(set(ids).union(*docs))  # one batch, as the distillation runs it: the same sums
    table = dict(zip(distinct, model.embed_ids([[model.bod, i, model.eod] for i in distinct], "document",
                                                  model=weights)))
    corpus_tokens = np.array([table[t] for t in sorted(set().union(*docs))]) if docs else None
    centre = corpus_tokens.mean(axis=0) if docs else 0.0
    white = np.eye(model.dim)
    if docs:  # partial whitening: each principal direction of the corpus's centred tokens scaled by spread ** -0.6
        _, spread, basis = np.linalg.svd(corpus_tokens.astype(np.float64) - centre, full_matrices=True)
        spread = np.concatenate([spread, np.zeros(model.dim - len(spread))])
        spread = np.maximum(spread, spread.max() * 1e-3)  # the eigenvalue floor (1e-6), as singular values
        white = basis.T @ np.diag(spread ** -0.6) @ basis
    harmonic = sum(1.0 / r for r in range(2, len(model.tokenizer) + 2))
    total = np.zeros(model.dim, dtype=np.float64)
    for i in ids:
        p = (1.0 / (i + 2)) / harmonic
        idf = np.log((len(docs) + 1) / (sum(i in d for d in docs) + 1)) + 1 if docs else 1.0
        total += (1e-4 / (1e-4 + p)) * idf * (table[i] - centre)
    total = total @ white
    return (total / np.linalg.norm(total)).astype(np.float32)


def test_static_vectors_are_exact_functions_of_the_model(tiny_embedder) -> None:
    """Changing the framing, the pooling or the weighting changes these numbers."""
    static = StaticEmbedder(tiny_embedder, MemoryTokens(), precision="fp32")
    got = static.embed_documents([TEXT, "parse the configuration file"])
    assert np.allclose(got[0], _expected(tiny_embedder, TEXT), atol=1e-4)
    assert np.allclose(got[1], _expected(tiny_embedder, "parse the configuration file"), atol=1e-4)
    corpus = [TEXT, "def parse(path):\n    return read(path)", "class Config:\n    retry = 3"] + [  # more tokens than dims
        f"def {verb}_{noun}(self, {noun}):\n    return self.{noun}s.{verb}({noun}) or {i}"
        for i, (verb, noun) in enumerate(zip("load save send read write parse close open find sort".split() * 3,
                                             "file user item path line word node page task host".split() * 3))]
    with_stats = StaticEmbedder(tiny_embedder, MemoryTokens(), stats=static.stats_for(corpus),  # an index's IDF, centre
                                precision="fp32")
    assert with_stats.stats.functions == len(corpus) and len(with_stats.stats.tokens) > tiny_embedder.dim
    for text in (TEXT, "retry the configuration"):  # 1e-3: whitening the tiny model's anisotropic tokens (spread
        # ratio ~1000) scales float32 rounding up; a power of 0.5 instead of 0.6 is off by > 1e-2
        assert np.allclose(with_stats.embed_documents([text])[0], _expected(tiny_embedder, text, corpus), atol=1e-3)
    assert np.allclose(static.embed_queries([TEXT])[0], got[0])  # symmetric: queries pool the same vectors
    assert static.model_id == static_key(tiny_embedder.model_id, tiny_embedder.recipe)
    assert static.model_id.endswith(f"#{STATIC_RECIPE}+udever/1") and static.dim == tiny_embedder.dim
    assert not static.embed_documents([""]).any()  # no tokens: the zero vector, never NaN


def test_on_the_cpu_tokens_are_distilled_through_the_int8_copy_under_their_own_key(tiny_embedder) -> None:
    """The default CPU recipe: the same framing and pooling through the model's int8 copy, named so its
    vectors never mix with fp32 ones (a cache shared by indexes of both precisions stays sound)."""
    static = StaticEmbedder(tiny_embedder, MemoryTokens())
    exact = StaticEmbedder(tiny_embedder, MemoryTokens(), precision="fp32")
    assert static.precision == "int8" and static.model_id.endswith("+int8-channel") and static.model_id != exact.model_id
    assert static.model_id == static_key(tiny_embedder.model_id, tiny_embedder.recipe, "int8")
    assert tiny_embedder.query_model is None  # the int8 copy does not turn exact queries into int8 ones
    tokens = sorted(set(static.token_ids([TEXT])[0]))
    made = static.distill(tokens)  # the same batch through each model: int8's numbers, not fp32's
    assert np.array_equal(made, tiny_embedder.embed_framed_tokens(tokens, tiny_embedder.int8_model()))
    assert not np.array_equal(made, tiny_embedder.embed_framed_tokens(tokens))
    assert np.array_equal(exact.distill(tokens), tiny_embedder.embed_framed_tokens(tokens))
    assert float(static.embed_documents([TEXT])[0] @ exact.embed_documents([TEXT])[0]) > 0.99  # near fp32's


def test_the_shared_prefix_forward_is_the_full_forward(tiny_embedder) -> None:
    """[BOD] computed once per batch gives what the packed forward gives for [BOD] t [EOD]."""
    tokens = [5, 17, 300, 42, 9]
    full = tiny_embedder.embed_ids([[tiny_embedder.bod, t, tiny_embedder.eod] for t in tokens], "document")
    shared = tiny_embedder.embed_framed_tokens(tokens)
    assert np.allclose(full, shared, atol=1e-5)


def test_token_vectors_live_in_the_user_cache_and_are_shared_by_indexes(tmp_path: Path, tiny_bloom, tiny_embedder) -> None:
    cfg = Config(model=str(tiny_bloom), max_length=128)
    first, second = write_modules(tmp_path / "a", 3, 4), write_modules(tmp_path / "b", 3, 4)
    distilled = []
    for repo in (first, second):
        with Index.create(repo, cfg, embedder=tiny_embedder) as index:
            indexer = Indexer(index.store, tiny_embedder)
            report = sync_until_embedded(indexer, 0)
            distilled.append(indexer.static_embedder() and report.functions_static)
            assert index.coverage().static == index.counts()[1] == 12
    path = user_cache_dir() / TOKENS_FILE
    cache = TokenCache(path)
    try:
        held = cache.count(tiny_embedder.model_id)
        assert held > 0
        recipes = {r for (r,) in cache.db.execute("SELECT DISTINCT recipe FROM tokens")}
        assert recipes == {f"{STATIC_RECIPE}+udever/1+int8-channel"}  # distilled on the CPU: through the int8 copy
    finally:
        cache.close()
    # the second repository (same tokens) distilled nothing: every token came from the user's cache
    seen = []
    with Index.create(write_modules(tmp_path / "c", 3, 4), cfg, embedder=tiny_embedder) as index:
        Indexer(index.store, tiny_embedder, progress=lambda p: seen.append(p.tokens_distilled)).sync()
    assert max(seen) == 0
    for repo in (first, second):  # nothing of the static tier's tokens is in a repository or its index folder
        assert not list(repo.rglob(TOKENS_FILE))


def test_a_damaged_token_vector_is_distilled_again_not_believed(tmp_path: Path, tiny_embedder) -> None:
    cache = TokenCache(tmp_path / TOKENS_FILE)
    try:
        want = StaticEmbedder(tiny_embedder, cache).embed_documents([TEXT])
        nan = np.full(tiny_embedder.dim, np.nan, dtype="<f4").tobytes()
        for damage in (b"\0" * 8, nan):  # the wrong width, then the right width but not finite
            cache.db.execute("UPDATE tokens SET vector = ?", (damage,))
            assert np.allclose(StaticEmbedder(tiny_embedder, cache).embed_documents([TEXT]), want)
            rows = cache.db.execute("SELECT vector FROM tokens").fetchall()
            assert all(np.isfinite(np.frombuffer(v, dtype="<f4")).all() and len(v) == len(nan) for (v,) in rows)
    finally:
        cache.close()


def test_a_first_index_answers_by_meaning_from_the_static_tier_before_the_model_embeds(
        tmp_path: Path, tiny_bloom, tiny_embedder) -> None:
    cfg = Config(model=str(tiny_bloom), max_length=128)
    repo = write_modules(tmp_path / "repo", 4, 5)
    with Index.create(repo, cfg, embedder=tiny_embedder) as index:
        report = sync_until_embedded(Indexer(index.store, tiny_embedder), 0)  # stopped before the model embeds
        assert report.functions_static == 20 and report.functions_embedded == 0
        coverage = index.coverage()
        assert (coverage.embedded, coverage.static, coverage.functions) == (0, 20, 20)
        catalog, static = index.store.catalog, Indexer(index.store, tiny_embedder).static_embedder()
        static.stats = TokenStats(*catalog.static_stats(static.model_id, static.dim))
        labels, stored = catalog.vectors_for(static.model_id, catalog.embeddable_ids(), static.dim)
        rows = catalog.get_functions([int(i) for i in labels])
        want = static.embed_documents([document_text(rows[int(i)]) for i in labels])  # pooled from texts, as queries
        assert len(labels) == 20 and np.abs(stored - want).max() < 1e-5
        assert coverage.note().startswith("semantic: static 100 %, tiny-udever 0 %")
        hits = index.search(Query("add a number to x", k=5, mode="semantic"))
        assert len(hits) == 5 and all(h.signals.get("static_rank") for h in hits)
        hybrid = index.search(Query("job 2 3", k=5))
        assert any("static_rank" in h.signals for h in hybrid)
    result = cli_run("query", "--json", "--no-server", "-k", "3", "add a number", cwd=repo)
    assert result.returncode == 0, result.stderr
    assert "semantic: static 100 %, tiny-udever 0 %" in result.stderr and len(json.loads(result.stdout)) == 3
    status = json.loads(cli_run("status", "--json", cwd=repo).stdout)
    assert (status["embedded"], status["static"], status["functions"]) == (0, 20, 20)
    assert "static tier: 20 of 20 (100 %; answers by meaning until embedded)" in cli_run("status", cwd=repo).stdout
    # once the model covers everything the note goes away and the model's own ranking answers
    with Index.open(repo, cfg, embedder=tiny_embedder) as index:
        index.sync()
        assert index.coverage().note() is None
        hits = index.search(Query("add a number to x", k=5, mode="semantic"))
        assert hits and not any("static_rank" in h.signals for h in hits)


def test_a_new_static_recipe_replaces_the_old_one_in_the_index(tmp_path: Path, tiny_bloom, tiny_embedder) -> None:
    """Switching how tokens are distilled (fp32 to the CPU's int8) gives every unit the new static vector
    and deletes the old ones: never read again, they would only fill the catalog."""
    repo = write_modules(tmp_path / "repo", 3, 4)

    def keys(index) -> dict[str, int]:
        rows = index.store.catalog.db.execute("SELECT model, count(*) FROM embeddings WHERE model LIKE '%#static/%' "
                                              "GROUP BY model").fetchall()
        return dict(rows)

    fp32 = static_key(tiny_embedder.model_id, tiny_embedder.recipe, "fp32")
    int8 = static_key(tiny_embedder.model_id, tiny_embedder.recipe, "int8")
    with Index.create(repo, Config(model=str(tiny_bloom), static_precision="fp32"), embedder=tiny_embedder) as index:
        sync_until_embedded(Indexer(index.store, tiny_embedder), 0)
        assert keys(index) == {fp32: 12}
    with Index.open(repo, Config(model=str(tiny_bloom)), embedder=tiny_embedder) as index:
        sync_until_embedded(Indexer(index.store, tiny_embedder), 0)
        assert keys(index) == {int8: 12} and index.coverage().static == 12


def _interim_seen(indexer, index, seen: list, stop: bool) -> None:
    """indexer's progress: the first moment every function has a static vector while the tier is interim, kept
    in seen as (coverage, vectors by text hash); stop cancels the sync there (a process killed at that point)."""
    def progress(state) -> None:
        coverage = index.coverage()
        if not seen and coverage.static == coverage.functions and coverage.static_interim:
            seen.append((coverage, _static_vectors(index, indexer.embedder)))
            if stop:
                indexer.cancelled.set()
        if state.phase == "embedding":
            indexer.cancelled.set()

    indexer.cancelled.clear()
    indexer.progress = progress


def _static_vectors(index, embedder) -> dict[str, np.ndarray]:
    """The index's stored static vectors by text hash."""
    catalog, static = index.store.catalog, Indexer(index.store, embedder).static_embedder()
    labels, stored = catalog.vectors_for(static.model_id, catalog.embeddable_ids(), static.dim)
    rows = catalog.get_functions([int(i) for i in labels])
    return {rows[int(i)].text_hash: v for i, v in zip(labels, stored)}


@pytest.fixture
def slow_distillation(monkeypatch):
    """As if the tokens left after an interim tier took long to distil (the tiny model is too fast to need one)."""
    import codesearch.sync.indexer as indexer_module

    monkeypatch.setattr(indexer_module, "INTERIM_MIN_SECONDS", 0.0)


def test_a_fast_model_publishes_no_interim_tier(tmp_path: Path, tiny_bloom, tiny_embedder) -> None:
    """When the rest would distil in under INTERIM_MIN_SECONDS, a cold first index distils every token at once:
    an interim tier would cost a pooling pass and save nothing."""
    repo = write_modules(tmp_path / "repo", 4, 5)
    with Index.create(repo, Config(model=str(tiny_bloom), max_length=128), embedder=tiny_embedder) as index:
        indexer, seen = Indexer(index.store, tiny_embedder), []
        _interim_seen(indexer, index, seen, stop=False)
        indexer.sync()
        assert not seen and index.coverage().static == 20 and not index.coverage().static_interim


def test_a_cold_first_index_answers_from_an_interim_tier_then_pools_the_exact_one(
        tmp_path: Path, tiny_bloom, tiny_embedder, slow_distillation) -> None:
    """Cold, a first index publishes the static tier once the tokens carrying INTERIM_MASS of the pooling weight
    are distilled (every function searchable by meaning, marked interim), then distils the rest and pools again:
    the end is the tier a warm index pools at once, and nothing says interim any more."""
    cfg = Config(model=str(tiny_bloom), max_length=128)
    first, second = (write_modules(tmp_path / name, 4, 5) for name in ("a", "b"))
    with Index.create(first, cfg, embedder=tiny_embedder) as index:
        indexer, seen = Indexer(index.store, tiny_embedder), []
        _interim_seen(indexer, index, seen, stop=False)
        indexer.sync()
        assert seen, "no interim tier was published"
        coverage, interim = seen[0]
        assert "static 100 % (interim" in coverage.note()
        final, after = _static_vectors(index, tiny_embedder), index.coverage()
        assert not after.static_interim and after.static == 20 and "interim" not in after.note()
        assert any(not np.allclose(interim[h], final[h], atol=1e-4) for h in final)  # interim: fewer tokens pooled
    with Index.create(second, cfg, embedder=tiny_embedder) as index:  # the same files, every token cached now
        indexer, seen = Indexer(index.store, tiny_embedder), []
        _interim_seen(indexer, index, seen, stop=False)
        indexer.sync()
        assert not seen  # nothing to distil: no interim tier
        warm = _static_vectors(index, tiny_embedder)
    assert warm.keys() == final.keys() and all(np.allclose(warm[h], final[h], atol=1e-6) for h in final)


def test_a_sync_stopped_at_the_interim_tier_pools_the_exact_one_next_time(
        tmp_path: Path, tiny_bloom, tiny_embedder, slow_distillation) -> None:
    """Stopped (killed) while the rare tokens distil, the index says interim (status, coverage) and the next sync
    counts and pools every function again, whatever it finds changed."""
    cfg = Config(model=str(tiny_bloom), max_length=128)
    repo = write_modules(tmp_path / "repo", 4, 5)
    with Index.create(repo, cfg, embedder=tiny_embedder) as index:
        indexer, seen = Indexer(index.store, tiny_embedder), []
        _interim_seen(indexer, index, seen, stop=True)
        indexer.sync()
        assert seen and index.coverage().static_interim
        interim = _static_vectors(index, tiny_embedder)
    status = json.loads(cli_run("status", "--json", cwd=repo).stdout)
    assert status["static_interim"] is True and status["static"] == 20
    shown = cli_run("status", cwd=repo).stdout
    assert "static tier: 20 of 20 (100 %, interim: its rarer words are still being distilled" in shown
    with Index.open(repo, cfg, embedder=tiny_embedder) as index:
        sync_until_embedded(Indexer(index.store, tiny_embedder), 0)
        assert not index.coverage().static_interim
        final = _static_vectors(index, tiny_embedder)
        static = Indexer(index.store, tiny_embedder).static_embedder()
        rows = index.store.catalog.get_functions(index.store.catalog.embeddable_ids())
        static.stats = static.stats_for([document_text(r) for r in rows.values()])
        for row in rows.values():  # the exact tier: every token pooled, statistics over every function
            assert np.allclose(final[row.text_hash], static.embed_documents([document_text(row)])[0], atol=1e-5)
    assert any(not np.allclose(interim[h], final[h], atol=1e-4) for h in final)


def test_the_interim_split_distils_the_heaviest_missing_tokens_first(tiny_embedder) -> None:
    """The tokens distilled before an interim tier are the missing ones carrying the most pooling weight, just
    enough for INTERIM_MASS with what is cached; cached tokens are never distilled again."""
    from codesearch.embed import static as static_module

    texts = [TEXT, "def parse_config(path):\n    return load(path)", "class Cart:\n    total = 0", "x = retry(3)"]
    store = MemoryTokens()
    static = StaticEmbedder(tiny_embedder, store)
    ids = static.token_ids(texts)
    cached = sorted({t for row in ids for t in row})[:3]
    store.put(static.base.model_id, static.recipe, cached, static.distill(cached))
    first, later = static.interim_split(ids)
    assert not set(first) & set(cached) and not set(later) & set(cached) and first and later
    assert set(first) | set(later) | set(cached) == {t for row in ids for t in row}
    n, df = len(ids), static_module.document_frequencies(ids)
    occurrences = {t: sum(row.count(t) for row in ids) for t in df}
    mass = {t: occurrences[t] * static._weights[t] * (np.log((n + 1) / (df[t] + 1)) + 1) for t in df}
    assert min(mass[t] for t in first) >= max(mass[t] for t in later)
    total, have = sum(mass.values()), sum(mass[t] for t in cached)
    assert have + sum(mass[t] for t in first) >= static_module.INTERIM_MASS * total
    assert have + sum(mass[t] for t in first[:-1]) < static_module.INTERIM_MASS * total


def test_the_progress_bar_counts_the_tokens_while_the_static_tier_distils(
        tmp_path: Path, tiny_bloom, tiny_embedder, slow_distillation) -> None:
    """A cold first index's bar counts tokens distilled against all it will distil, over the interim tier's tokens
    and the rest alike (with udever on a CPU this is the part a user waits for), said as "preparing: words readied
    for instant search" ("distilling: token vectors" was jargon: probes 185, 186)."""
    from codesearch.cli.progress import INSTANT_UNIT, bar_fields

    repo = write_modules(tmp_path / "repo", 4, 5)
    with Index.create(repo, Config(model=str(tiny_bloom), max_length=128), embedder=tiny_embedder) as index:
        indexer, shown = Indexer(index.store, tiny_embedder), []

        def progress(state) -> None:
            if state.phase == "distilling":
                shown.append(bar_fields(state))
            if state.phase == "embedding":
                indexer.cancelled.set()

        indexer.progress = progress
        indexer.sync()
        counted = [(f["completed"], f["total"]) for f in shown if f["unit"] == INSTANT_UNIT and f["phase"] == "preparing"]
        assert counted and len({total for _, total in counted}) == 1  # one total, known from the start
        assert [done for done, _ in counted] == sorted(done for done, _ in counted)
        assert counted[-1][0] == counted[-1][1] == len(index.store.catalog.static_stats(
            Indexer(index.store, tiny_embedder).static_embedder().model_id, tiny_embedder.dim)[1])
