"""`Index.live`: the one way serve, watch, the TUI and MCP keep an index live, with one first-answer
policy (words at once, meaning as the model loads, coverage said) and a clean close."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from codesearch.config import Config
from codesearch.engine import MODEL_LOADING_NOTE, Index
from codesearch.errors import IndexLockedError, IndexMismatchError, ModelError
from codesearch.query import Query
from codesearch.serve.protocol import ask_server
from codesearch.store.folder import Store

from conftest import hold_compute, serve_in_thread, wait_for, write_modules


def _lock_is_free(root: Path) -> bool:
    store = Store.create(root, Config())
    try:
        store.lock.acquire()
        store.lock.release()
        return True
    except IndexLockedError:
        return False
    finally:
        store.close()


def test_a_first_index_answers_by_words_then_by_meaning_and_says_which(tmp_path: Path, tiny_bloom: Path) -> None:
    root = write_modules(tmp_path / "fresh", 12, 4)
    states = []
    release = hold_compute()  # the model cannot finish loading until released
    try:
        index = Index.live(root, Config(model=str(tiny_bloom)), on_state=states.append)
        with index:
            wait_for(lambda: index.counts()[1] == 48, 60)  # the first sync committed every file's words
            assert index.live_state().model == "loading" and not index.model_loaded
            assert index.semantic_state() == "model loading"
            answer = index.ask(Query("job_3_1", k=3))
            assert answer.mode == "lexical" and answer.note == MODEL_LOADING_NOTE
            assert answer.hits[0].name == "job_3_1" and answer.hits[0].semantic_rank is None
            assert all(h.signals.get("words_only") == "model loading" for h in answer.hits)  # in --json too (probe 108)
            words = index.ask(Query("job_3_1", k=3, mode="lexical"))
            assert words.note is None and words.mode == "lexical"
            release()
            wait_for(lambda: index.live_state().watching and index.semantic_state() == "ready", 120)
            assert [s.model for s in states][-1] == "ready" and index.coverage()[:2] == (48, 48)
            answer = index.ask(Query("job_3_1", k=3))
            assert answer.mode == "hybrid" and answer.note is None and answer.hits[0].semantic_rank is not None
            (root / "late.py").write_text("def arrived_late(x):\n    return x\n")  # kept current
            wait_for(lambda: index.counts()[1] == 49)
        assert not index.watching and _lock_is_free(root)
    finally:
        release()


def test_closing_while_the_model_loads_does_not_wait_for_it(tmp_path: Path, tiny_bloom: Path) -> None:
    root = write_modules(tmp_path / "fresh", 6, 2)
    release = hold_compute()
    try:
        index = Index.live(root, Config(model=str(tiny_bloom)))
        wait_for(lambda: index.counts()[1] == 12, 60)  # the first sync now waits for the model to embed
        started = time.monotonic()
        index.close()
        assert time.monotonic() - started < 30  # not the 300 s the held load would take
        assert not index.watching and _lock_is_free(root)
    finally:
        release()


def test_a_missing_model_leaves_answers_by_words(sample_repo: Path, tiny_bloom: Path, tmp_path: Path) -> None:
    import shutil

    gone = tmp_path / "model-since-deleted"
    shutil.copytree(tiny_bloom, gone)
    with Index.create(sample_repo, Config(model=str(gone))) as index:
        index.sync()
    shutil.rmtree(gone)  # a cleared model cache: the index stays, its model is gone
    with pytest.raises(IndexMismatchError):  # a --model the index was not built with: refused at once
        Index.live(sample_repo, Config(model=str(tiny_bloom)))
    index = Index.live(sample_repo, Config())
    with index:
        wait_for(lambda: index.live_state().model == "unavailable")
        assert str(gone) in index.live_state().model_error and index.semantic_state() == "model unavailable"
        answer = index.ask(Query("retry request", k=2))
        assert answer.mode == "lexical" and answer.hits[0].name == "RetryRequest"
        assert answer.note.startswith("lexical results only: the model is unavailable (")
        with pytest.raises(ModelError, match="semantic search is unavailable"):
            index.ask(Query("retry request", mode="semantic"))


def test_a_live_server_answers_by_words_while_its_model_loads(built_repo: Path, tiny_bloom: Path) -> None:
    """`codesearch serve` answered nothing until its model loaded; now its first replies are by words and say so."""
    release = hold_compute()
    index = Index.live(built_repo, Config(model=str(tiny_bloom), max_length=128))  # the budget it was built at
    server, thread = serve_in_thread(index)
    try:
        reply = ask_server(index.folder, Query("retry request", k=2).to_request())
        assert reply["note"] == MODEL_LOADING_NOTE and reply["hits"][0]["name"] == "RetryRequest"
        assert reply["hits"][0]["signals"]["words_only"] == "model loading"  # what a script reading --json sees
        release()
        wait_for(lambda: index.live_state().model == "ready", 120)
        reply = ask_server(index.folder, Query("retry request", k=2).to_request())
        assert reply["note"] is None and reply["hits"][0]["semantic_rank"] is not None
    finally:
        release()
        server.shutdown()
        thread.join(10)
        index.close()


@pytest.fixture
def built_repo(sample_repo: Path, tiny_embedder) -> Path:
    with Index.create(sample_repo, Config(), embedder=tiny_embedder) as index:
        index.sync()
    return sample_repo
