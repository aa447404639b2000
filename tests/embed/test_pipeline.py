"""The embedding pass as a pipeline: real threads, the tiny BLOOM, real SQLite and hnswlib."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest

from codesearch.config import Config
from codesearch.errors import ModelError
from codesearch.sync.indexer import Indexer


@pytest.fixture
def tiny_embedder(tiny_embedder_fp32):
    """fp32 here: these tests check vectors exactly (see conftest.tiny_embedder_fp32)."""
    return tiny_embedder_fp32
from codesearch.embed.pipeline import Prefetch
from codesearch.store.folder import Store

from conftest import sync_until_embedded, write_modules

FILES, PER_FILE = 80, 4  # 320 functions: two commit chunks, five pieces of 64


def _pipeline_threads() -> list[str]:
    return [t.name for t in threading.enumerate() if t.name.startswith(("codesearch-prepare", "codesearch-model"))]


class Instrumented:
    """The tiny BLOOM with hooks on its two stages (tokenize, forward), recording what ran when."""

    def __init__(self, inner, on_tokenize=None, on_forward=None) -> None:
        self.inner, self.on_tokenize, self.on_forward = inner, on_tokenize, on_forward
        self.model_id, self.dim, self.max_length, self.model = inner.model_id, inner.dim, inner.max_length, inner.model
        self.legacy_length, self.vector_precision = inner.legacy_length, inner.vector_precision
        self.events: list[tuple[str, int]] = []
        self.tokenized = self.forwards = 0
        self.tokenizing_threads: set[str] = set()

    def tokenize(self, texts, kind):
        self.tokenized += 1
        self.tokenizing_threads.add(threading.current_thread().name)
        self.events.append(("tokenize", self.tokenized))
        if self.on_tokenize:
            self.on_tokenize(self.tokenized)
        return self.inner.tokenize(texts, kind)

    def embed_ids(self, ids, kind, progress=None):
        self.forwards += 1
        n = self.forwards
        self.events.append(("forward", n))
        if self.on_forward:
            self.on_forward(n)
        out = self.inner.embed_ids(ids, kind, progress)
        self.events.append(("forward done", n))
        return out

    def embed_queries(self, texts, progress=None):
        return self.inner.embed_queries(texts, progress)

    def fast_queries(self) -> bool:
        return False


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    return write_modules(tmp_path / "repo", FILES, PER_FILE, "task")


def _sync(root: Path, embedder, progress=None, wrap_keep=None) -> tuple[Store, Indexer]:
    """A first index of root (the store stays open for the test to look at; it closes it)."""
    store = Store.create(root, Config(static_tier=False))  # the model's pass alone: distilling would add forwards
    indexer = Indexer(store, embedder, progress)
    if wrap_keep:
        indexer.embeddings.keep = wrap_keep(indexer.embeddings.keep)
    try:
        with store.lock:
            indexer.sync()
    except BaseException:
        store.close()
        raise
    return store, indexer


def test_tokenizing_and_writing_overlap_the_forward(repo: Path, tiny_embedder) -> None:
    second_tokenized = threading.Event()
    overlapped: list[bool] = []

    def forward(n: int) -> None:
        if n == 1:  # the model holds piece 1 until piece 2 is tokenized: only a producer thread can do that
            overlapped.append(second_tokenized.wait(5))

    embedder = Instrumented(tiny_embedder, on_tokenize=lambda n: n >= 2 and second_tokenized.set(), on_forward=forward)

    def wrap_keep(keep):
        def kept(hashes, vectors):
            embedder.events.append(("keep", len([e for e in embedder.events if e[0] == "keep"]) + 1))
            return keep(hashes, vectors)
        return kept

    store, _ = _sync(repo, embedder, wrap_keep=wrap_keep)
    try:
        assert overlapped == [True]
        assert embedder.tokenizing_threads == {"codesearch-prepare"}  # neither this thread nor the model's
        events = embedder.events
        assert events.index(("forward", 2)) < events.index(("keep", 1))  # piece 2 was submitted before piece 1 was written
        assert embedder.forwards == 5 and store.catalog.embedded_count(embedder.model_id) == FILES * PER_FILE
        assert len(store.vectors().labels) == FILES * PER_FILE
    finally:
        store.close()
    assert _pipeline_threads() == []


def test_pipelined_vectors_equal_the_plain_ones(repo: Path, tiny_embedder) -> None:
    import numpy as np

    store, _ = _sync(repo, tiny_embedder)
    try:
        rows = store.catalog.get_functions(store.catalog.function_ids())
        from codesearch.parse.documents import document_text

        hashes = [r.text_hash for r in rows.values()]
        got = store.catalog.cached_vectors(tiny_embedder.model_id, hashes)
        want = tiny_embedder.embed_documents([document_text(r) for r in rows.values()])
        assert np.abs(np.stack([got[h] for h in hashes]) - want).max() < 1e-5
    finally:
        store.close()


def test_a_tokenizer_failing_mid_stream_reaches_the_caller(repo: Path, tiny_embedder) -> None:
    def tokenize(n: int) -> None:
        if n == 3:
            raise ModelError("tokenizer broke on piece 3")

    embedder = Instrumented(tiny_embedder, on_tokenize=tokenize)
    with pytest.raises(ModelError, match="tokenizer broke on piece 3"):
        _sync(repo, embedder)
    assert _pipeline_threads() == []
    store = Store.open(repo, Config())
    try:
        assert store.catalog.embedded_count(embedder.model_id) == 64  # piece 1 was written, piece 2 lost with it
    finally:
        store.close()


def test_a_failing_forward_reaches_the_caller(repo: Path, tiny_embedder) -> None:
    def forward(n: int) -> None:
        if n == 2:
            raise RuntimeError("forward failed on piece 2")

    with pytest.raises(RuntimeError, match="forward failed on piece 2"):
        _sync(repo, Instrumented(tiny_embedder, on_forward=forward))
    assert _pipeline_threads() == []


def test_cancel_during_the_embedding_stops_and_commits_what_is_stored(repo: Path, tiny_embedder) -> None:
    store = Store.create(repo, Config())
    try:
        indexer = Indexer(store, Instrumented(tiny_embedder))
        with store.lock:
            report = sync_until_embedded(indexer, 128)
        embedded = store.catalog.embedded_count(tiny_embedder.model_id)
        assert 128 <= embedded < FILES * PER_FILE and report.functions_embedded == embedded
        assert len(store.vectors().labels) == embedded  # what was stored is searchable
    finally:
        store.close()
    assert _pipeline_threads() == []


def test_keyboard_interrupt_during_the_embedding_stops_both_threads(repo: Path, tiny_embedder) -> None:
    def progress(state) -> None:
        if state.phase == "embedding" and state.functions_embedded >= 64:
            raise KeyboardInterrupt

    slow = Instrumented(tiny_embedder, on_forward=lambda n: time.sleep(0.2))
    with pytest.raises(KeyboardInterrupt):
        _sync(repo, slow, progress)
    assert _pipeline_threads() == []
    assert slow.forwards <= 3  # stopped at once, not after the whole pass


def test_prefetch_stops_an_endless_producer_and_passes_its_errors() -> None:
    made: list[int] = []

    def endless():
        n = 0
        while True:
            made.append(n)
            yield n
            n += 1

    with Prefetch(endless, depth=2) as items:
        assert [x for _, x in zip(range(5), items)] == [0, 1, 2, 3, 4]
    assert not items.alive and len(made) <= 5 + 3  # bounded: never more than depth ahead

    boom = ValueError("third item")

    def failing():
        yield 1
        yield 2
        raise boom

    with Prefetch(failing) as items:
        got = []
        with pytest.raises(ValueError) as caught:
            for x in items:
                got.append(x)
    assert got == [1, 2] and caught.value is boom and not items.alive


def test_torch_threads_default_to_physical_cores(tiny_bloom) -> None:
    import torch

    from codesearch.embed import compute
    from codesearch.embed.embedding import physical_cores
    from codesearch.embed.embedding import load_embedder

    assert Config.resolve({}, environ={}).threads is None
    before = compute.run(torch.get_num_threads)
    try:
        load_embedder(str(tiny_bloom), Config.resolve({}, environ={}))
        assert compute.run(torch.get_num_threads) == physical_cores()
        load_embedder(str(tiny_bloom), Config.resolve({}, environ={"CODESEARCH_THREADS": "1"}))
        assert compute.run(torch.get_num_threads) == 1
    finally:
        compute.run(lambda: torch.set_num_threads(before))
