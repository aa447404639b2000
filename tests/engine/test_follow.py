"""A long-lived Index follows its folder when it is replaced under it (`index --rebuild` swaps a new one
in; `rm -rf .codesearch && codesearch index` makes another): it reopens the new one, keeps its model,
moves its watcher there, and says in one line when the new one cannot be read (issue 26)."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

from codesearch.config import Config
from codesearch.engine import Index
from codesearch.errors import CodesearchError
from codesearch.query import Query
from codesearch.store.folder import Store
from codesearch.store.names import SIDECAR_NAME, TRUST_NAME, WATCH_STATE
from codesearch.store.statefiles import live_state
from codesearch.store.trust import sidecar_verifies

from conftest import cli_run, wait_for, write_modules


def _found(index: Index, name: str) -> bool:
    return any(hit.name == name for hit in index.search(Query(name, k=5, mode="lexical")))


def _on_disk(root: Path, name: str) -> bool:
    """What a fresh process reads from the index folder now (not what this process holds open)."""
    with Index.open(root, Config()) as fresh:
        return _found(fresh, name)


# Live indexes here load their own tiny model: warming one gives it an int8 query copy, which must not
# reach the session's shared tiny_embedder (other tests compare its answers with an fp32 load).


def _ready(index: Index) -> bool:
    state = index.live_state()
    return state.model == "ready" and state.watching


def test_a_watching_live_index_follows_its_folder_removed_and_made_again(tmp_path: Path, tiny_bloom: Path) -> None:
    """The watcher went on writing into the removed folder's catalog, the index on disk never saw an edit
    again, and searches answered from the removed one."""
    root = write_modules(tmp_path / "repo", 4, 2)
    with Index.live(root, Config(model=str(tiny_bloom))) as index:  # loads its own model: kept, never again
        wait_for(lambda: _ready(index), 60)
        model = index._embedder
        shutil.rmtree(root / ".codesearch")
        (root / "m01.py").unlink()  # gone from the new index, still in the removed one
        made = cli_run("index", "-q", "--model", str(tiny_bloom), str(root))
        assert made.returncode == 0, made.stderr
        assert not _found(index, "job_1_0") and _found(index, "job_2_1")  # the next search: the new index
        wait_for(lambda: _ready(index) and (live_state(root / ".codesearch" / WATCH_STATE) or {}).get("pid")
                 == os.getpid(), 30)  # the watcher moved to the new folder
        folder = root / ".codesearch"  # and the old one wrote nothing of its own there (its vectors, sealed for it)
        index_id = json.loads((folder / TRUST_NAME).read_text())["index_id"]
        assert sidecar_verifies(index_id, json.loads((folder / SIDECAR_NAME).read_text()))
        (root / "late.py").write_text("def arrived_after_the_swap(x):\n    return x\n")
        wait_for(lambda: _on_disk(root, "arrived_after_the_swap"), 30)
        assert _found(index, "arrived_after_the_swap")
        assert index._embedder is model and index.generation == 1  # the weights were not loaded again
        hits = index.search(Query("arrived after the swap", k=3, mode="semantic"))
        assert hits and all(hit.path != "m01.py" for hit in hits)


def _untrusted_copy_in_place(folder: Path) -> None:
    """Replace folder by a copy whose trust record does not verify (as if written by someone else)."""
    copy = folder.with_name("copy")
    shutil.copytree(folder, copy)
    record = json.loads((copy / "trust.json").read_text())
    (copy / "trust.json").write_text(json.dumps({**record, "mac": "0" * 64}))
    shutil.rmtree(folder)
    copy.rename(folder)


def test_a_replacement_that_cannot_be_read_is_said_in_one_line_until_it_can(sample_repo: Path, tiny_bloom: Path,
                                                                            tiny_embedder) -> None:
    """Searches answered from the removed index without a word; now they say why the new one is not read,
    and answer again once `codesearch index` has set it aside and built a new one."""
    with Index.create(sample_repo, Config(), embedder=tiny_embedder) as built:
        built.sync()
    folder = sample_repo / ".codesearch"
    with Index.live(sample_repo, Config(), watch=False) as index:
        assert _found(index, "send_email")
        _untrusted_copy_in_place(folder)
        with pytest.raises(CodesearchError) as caught:
            index.search(Query("send email", k=3, mode="lexical"))
        line = str(caught.value)
        assert line.startswith(f"the index at {folder} was replaced and cannot be read: ") and "\n" not in line
        assert "codesearch index" in line  # what to do next
        assert index.live_state().index_error == line
        with pytest.raises(CodesearchError):  # tried again, still not read
            index.counts()
        made = cli_run("index", "-q", "--model", str(tiny_bloom), str(sample_repo))
        assert made.returncode == 0, made.stderr
        assert _found(index, "send_email") and index.live_state().index_error is None
        assert list(sample_repo.glob(".codesearch.untrusted-*"))  # the unread copy was kept aside


def test_a_read_only_live_index_follows_a_rebuild_and_then_keeps_it_current(tmp_path: Path, tiny_bloom: Path,
                                                                           tiny_embedder) -> None:
    """Another process wrote the index, so this one only read it; that process rebuilt it and stopped.
    This one reads the rebuilt index and, the writer lock being free now, keeps it current."""
    root = write_modules(tmp_path / "repo", 3, 2)
    cfg = Config(model=str(tiny_bloom))
    with Index.create(root, cfg, embedder=tiny_embedder) as built:
        built.sync()
    other = Store.create(root, cfg)
    other.lock.acquire()
    try:
        index = Index.live(root, cfg)
        wait_for(lambda: index.live_state().read_only and index.live_state().model == "ready", 60)
    finally:
        other.lock.release()
        other.close()
    with index:
        (root / "m03.py").write_text("def made_before_the_rebuild(x):\n    return x\n")
        rebuilt = cli_run("index", "-q", "--rebuild", str(root))
        assert rebuilt.returncode == 0, rebuilt.stderr
        assert _found(index, "made_before_the_rebuild")
        wait_for(lambda: index.live_state().watching and index.live_state().read_only is None, 30)
        (root / "m04.py").write_text("def made_after_the_rebuild(x):\n    return x\n")
        wait_for(lambda: _on_disk(root, "made_after_the_rebuild"), 30)


def test_a_rebuild_with_another_model_loads_that_model(tmp_path: Path, tiny_bloom: Path, tiny_embedder) -> None:
    """The loaded model's vectors would not match a rebuild made with another model: it is dropped, the
    new one loads in the background (words answer meanwhile), and searches by meaning use it."""
    root = write_modules(tmp_path / "repo", 3, 2)
    other_model = tmp_path / "other-model"
    shutil.copytree(tiny_bloom, other_model)
    with Index.create(root, Config(model=str(tiny_bloom)), embedder=tiny_embedder) as built:
        built.sync()
    with Index.live(root, Config(), watch=False) as index:
        wait_for(lambda: index.live_state().model == "ready", 60)
        first = index._embedder
        rebuilt = cli_run("index", "-q", "--rebuild", "--model", str(other_model), str(root))
        assert rebuilt.returncode == 0, rebuilt.stderr
        index.counts()  # any call follows the swap
        wait_for(lambda: index.live_state().model == "ready" and index._embedder is not None, 60)
        assert index._embedder is not first and index._embedder.model_id == str(other_model.resolve())
        answer = index.ask(Query("job 2 1", k=3))
        assert answer.mode == "hybrid" and answer.hits[0].semantic_rank is not None


def test_a_rebuild_goes_on_beside_a_watching_live_index_which_follows_it(tmp_path: Path, tiny_bloom: Path) -> None:
    """A running serve, watch, TUI or MCP server holds the writer lock, so `index --rebuild` was refused
    ("stop it"); it now builds beside it, and the live index follows the swap and keeps watching."""
    root = write_modules(tmp_path / "repo", 4, 2)
    with Index.live(root, Config(model=str(tiny_bloom))) as index:
        wait_for(lambda: _ready(index) and live_state(root / ".codesearch" / WATCH_STATE), 60)
        (root / "m01.py").write_text("def renamed_in_the_rebuild(x):\n    return x\n")
        rebuilt = cli_run("index", "-q", "--rebuild", str(root))
        assert rebuilt.returncode == 0, rebuilt.stderr
        assert _found(index, "renamed_in_the_rebuild") and not _found(index, "job_1_0")
        wait_for(lambda: (live_state(root / ".codesearch" / WATCH_STATE) or {}).get("pid") == os.getpid(), 30)
        (root / "m02.py").write_text("def edited_after_the_rebuild(x):\n    return x\n")
        wait_for(lambda: _on_disk(root, "edited_after_the_rebuild") and not _on_disk(root, "job_2_0"), 30)
        assert index.generation == 1 and _found(index, "edited_after_the_rebuild")


def test_a_second_rebuild_at_once_is_refused_in_one_line(sample_repo: Path, tiny_bloom: Path) -> None:
    """Two rebuilds share the folder they build in: the second waits for nothing and says why."""
    from codesearch.store.locks import WriterLock
    from codesearch.store.names import REBUILD_LOCK_NAME

    assert cli_run("index", "-q", "--model", str(tiny_bloom), str(sample_repo)).returncode == 0
    held = WriterLock(sample_repo / ".codesearch", REBUILD_LOCK_NAME).acquire()
    try:
        second = cli_run("index", "-q", "--rebuild", str(sample_repo))
    finally:
        held.release()
    assert second.returncode != 0 and "being rebuilt by another codesearch process" in second.stderr
    assert len(second.stderr.strip().splitlines()) == 1 and "Traceback" not in second.stderr


def test_a_rebuild_is_still_refused_while_a_writer_that_does_not_follow_holds_the_lock(sample_repo: Path,
                                                                                        tiny_bloom: Path) -> None:
    """Only a live watcher (its watch.json names the lock's holder) follows a swap; another writer, an
    `index` in progress, would go on writing a folder the rebuild removes: the rebuild waits for it."""
    assert cli_run("index", "-q", "--model", str(tiny_bloom), str(sample_repo)).returncode == 0
    writer = Store.create(sample_repo, Config())
    writer.lock.acquire()
    try:
        refused = cli_run("index", "-q", "--rebuild", str(sample_repo))
    finally:
        writer.lock.release()
        writer.close()
    assert refused.returncode != 0 and "being written by another codesearch process" in refused.stderr
    assert not (sample_repo / ".codesearch.rebuilding").exists()
