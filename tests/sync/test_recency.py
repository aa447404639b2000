"""Embedding order from git history (real git repositories in tmp dirs), and the mtime fallback."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from codesearch.config import Config
from codesearch.sync.recency import Recency
from codesearch.store.folder import Store

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="needs the git CLI")

YEAR = 365 * 86400


def git(root: Path, *args: str, when: int | None = None) -> str:
    """Run git in root as a fixed author, committing at `when` (unix seconds) when given."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    if when is not None:
        env["GIT_AUTHOR_DATE"] = env["GIT_COMMITTER_DATE"] = f"@{when} +0000"
    done = subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@t", "-c", "commit.gpgsign=false", *args],
                          cwd=root, env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    return done.stdout


def _source(i: int) -> str:
    return "".join(f"def job_{i}_{j}(x):\n    return x * {j} + {i}\n\n" for j in range(4))


def _set_mtime(path: Path, i: int) -> None:
    """f00 gets the newest mtime, f70 the oldest: the opposite of git's order."""
    t = 1_700_000_000 * 10**9 - i * 10**9
    os.utime(path, ns=(t, t))


@pytest.fixture
def history(tmp_path: Path) -> Path:
    """71 files: f00-f69 committed ten per commit, f60-f69 last (2026), f00-f09 first (2020);
    f00 then modified, f70 never added; mtimes run the other way round."""
    root = tmp_path / "repo"
    root.mkdir()
    git(root, "init", "-q")
    for k in range(7):
        for i in range(10 * k, 10 * k + 10):
            (root / f"f{i:02d}.py").write_text(_source(i))
        git(root, "add", ".")
        git(root, "commit", "-q", "-m", f"batch {k}", when=1_577_836_800 + k * YEAR)
    (root / "f00.py").write_text(_source(0) + "def job_0_9():\n    return 0\n")
    (root / "f70.py").write_text(_source(70))
    for i in range(71):
        _set_mtime(root / f"f{i:02d}.py", i)
    return root


def _git_order() -> list[str]:
    """What git says was worked on last, first: uncommitted, then newest commit first (ties by name)."""
    committed = [f"f{i:02d}.py" for k in range(6, -1, -1) for i in range(10 * k, 10 * k + 10) if i != 0]
    return ["f00.py", "f70.py", *committed]


def test_recency_follows_git_not_mtime(history: Path) -> None:
    recency = Recency.of(history)
    assert recency.source == "git" and recency.dirty == {"f00.py", "f70.py"}
    files = [f"f{i:02d}.py" for i in range(71)]
    assert recency.order(files, str, lambda rel: (history / rel).stat().st_mtime_ns) == _git_order()
    sub = history / "sub"
    sub.mkdir()
    (sub / "inner.py").write_text("x = 1\n")
    git(history, "add", "sub")
    git(history, "commit", "-q", "-m", "sub", when=1_577_836_800 + 9 * YEAR)
    assert Recency.of(sub).committed == {"inner.py": 1_577_836_800 + 9 * YEAR}  # relative to an index inside


def test_history_beyond_the_horizon_and_no_git(history: Path, tmp_path: Path, monkeypatch) -> None:
    short = Recency.of(history, max_commits=2)
    assert set(short.committed) == {f"f{i:02d}.py" for i in range(50, 70)}
    assert short.key("f01.py", 5)[0] == 2  # older than the history read: by mtime, after what git dated
    plain = tmp_path / "plain"
    plain.mkdir()
    assert Recency.of(plain).source == "mtime"
    monkeypatch.setenv("PATH", str(tmp_path / "nowhere"))  # no git at all
    assert Recency.of(history).source == "mtime"
    assert Recency.of(history, timeout=0).source == "mtime"


def _order_seen(root: Path, embedder) -> tuple[list[str], list[str]]:
    """(files of the first committed batch, files of the first 256 functions embedded) for a first index."""
    from codesearch.sync.indexer import PENDING_CHUNK, Indexer

    seen: list[str] = []

    class Recording:
        model_id, dim, max_length, legacy_length = (embedder.model_id, embedder.dim, embedder.max_length,
                                                    embedder.legacy_length)
        vector_precision = embedder.vector_precision

        def embed_documents(self, texts, progress=None):
            seen.extend(texts)
            return embedder.embed_documents(texts)

    store = Store.create(root, Config())
    try:
        first_batch: list[str] = []
        indexer = Indexer(store, Recording())

        def progress(state) -> None:
            if state.phase == "indexing" and state.files_done and not first_batch:
                first_batch.extend(store.catalog.files())

        indexer.progress = progress
        with store.lock:
            indexer.sync()
    finally:
        store.close()
    names = [t.split("def job_")[1].split("_")[0] for t in seen[:PENDING_CHUNK] if "def job_" in t]
    return first_batch, [f"f{int(n):02d}.py" for n in names]


def test_first_index_parses_and_embeds_in_git_order(history: Path, tiny_embedder) -> None:
    first_batch, embedded = _order_seen(history, tiny_embedder)
    want = set(_git_order()[:64])
    assert set(first_batch) == want
    assert set(embedded) == want and len(embedded) == 256


def test_outside_git_the_order_is_mtime(history: Path, tiny_embedder, tmp_path: Path) -> None:
    plain = tmp_path / "plain"
    shutil.copytree(history, plain, ignore=shutil.ignore_patterns(".git"), copy_function=shutil.copy2)
    first_batch, embedded = _order_seen(plain, tiny_embedder)
    want = {f"f{i:02d}.py" for i in range(64)}
    assert set(first_batch) == want and set(embedded) == want


def _signed_commit(root: Path) -> None:
    """A commit (of a new file) carrying a bogus PGP signature: `git log` with log.showSignature verifies it."""
    (root / "signed.py").write_text("x = 1\n")
    git(root, "add", "signed.py")
    tree, parent = git(root, "write-tree").strip(), git(root, "rev-parse", "HEAD").strip()
    body = (f"tree {tree}\nparent {parent}\nauthor t <t@t> 1800000000 +0000\ncommitter t <t@t> 1800000000 +0000\n"
            "gpgsig -----BEGIN PGP SIGNATURE-----\n \n iQEzBAABCAAdFiEE\n -----END PGP SIGNATURE-----\n\nsigned\n")
    done = subprocess.run(["git", "hash-object", "-t", "commit", "-w", "--stdin"], cwd=root, input=body,
                          capture_output=True, text=True, check=True)
    git(root, "update-ref", "HEAD", done.stdout.strip())


def _tripwire(folder: Path, name: str) -> str:
    script = folder / f"{name}.sh"
    script.write_text(f"#!/bin/sh\ntouch '{folder / (name + '.RAN')}'\nexit 1\n")
    script.chmod(0o755)
    return str(script)


def test_a_hostile_repository_runs_none_of_its_programs(history: Path, tmp_path: Path) -> None:
    traps = tmp_path / "traps"
    (traps / "hooks").mkdir(parents=True)
    _signed_commit(history)
    hook = Path(_tripwire(traps, "hook"))
    hook.rename(traps / "hooks" / "post-index-change")
    for key, value in (("core.fsmonitor", _tripwire(traps, "fsmonitor")), ("core.hooksPath", str(traps / "hooks")),
                       ("log.showSignature", "true"), ("gpg.program", _tripwire(traps, "gpg")),
                       ("core.pager", _tripwire(traps, "pager"))):
        git(history, "config", key, value)
    recency = Recency.of(history)
    assert recency.source == "git" and recency.dirty == {"f00.py", "f70.py"}  # still usable, safely
    assert sorted(p.name for p in traps.glob("*.RAN")) == []
    control = subprocess.run(["git", "log", "-n1", "--format=%ct"], cwd=history, capture_output=True)  # the traps work
    subprocess.run(["git", "status"], cwd=history, capture_output=True, timeout=60)
    assert (traps / "gpg.RAN").exists() and (traps / "fsmonitor.RAN").exists() and control.returncode == 0


def test_a_repository_config_naming_a_filter_falls_back_to_mtime(history: Path, tmp_path: Path) -> None:
    marker = tmp_path / "filter.RAN"
    (tmp_path / "inc.cfg").write_text(f"[filter \"evil\"]\n\tclean = touch '{marker}'; cat\n")
    git(history, "config", "include.path", str(tmp_path / "inc.cfg"))  # hidden behind an include
    (history / ".gitattributes").write_text("*.py filter=evil\n")
    recency = Recency.of(history)
    assert recency.source == "mtime" and not marker.exists()
    subprocess.run(["git", "status"], cwd=history, capture_output=True, timeout=60)
    assert marker.exists()  # plain git would have run it
