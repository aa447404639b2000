"""The index folder under faults found by the fault probe (fault1): a folder named by --index-dir, a full or
unwritable disk under the caches, a catalog from a newer codesearch, a damaged vector file, loose permissions."""

from __future__ import annotations

import errno
import os
import re
import resource
import sqlite3
from pathlib import Path

import pytest

from codesearch.config import Config
from codesearch.errors import UsageError
from codesearch.store.folder import Store, storage_error

from conftest import cli_run, mount, run_cli, umount


def _lines(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if line.strip() and not line.startswith("indexing ")]


# -- fault 1: --index-dir naming a folder that is not an index -----------------------------------------------------

def test_index_dir_holding_the_users_files_is_refused_and_nothing_moved(sample_repo: Path, tmp_path: Path,
                                                                         tiny_bloom: Path) -> None:
    """fault1 #1: `index --index-dir mydata` renamed mydata/ (thesis.txt in it) to mydata.untrusted-<stamp> and made an
    index in its place. Now: one line naming the folder and what to do, exit 2, nothing moved."""
    mydata = tmp_path / "mydata"
    mydata.mkdir()
    (mydata / "thesis.txt").write_text("important\n")
    result = cli_run("index", "-q", "--index-dir", str(mydata), "--model", str(tiny_bloom), str(sample_repo))
    lines = _lines(result.stderr)
    assert result.returncode == 2 and len(lines) == 1, result.stderr
    assert str(mydata) in lines[0] and "thesis.txt" in lines[0] and "empty folder" in lines[0]
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith("mydata")) == ["mydata"]
    assert sorted(p.name for p in mydata.iterdir()) == ["thesis.txt"]


@pytest.mark.parametrize("index_dir", [".", "..", "lib", "/"])
def test_index_dir_at_or_above_the_repository_or_holding_its_sources_is_refused(sample_repo: Path, index_dir: str) -> None:
    """fault1 #1: `--index-dir .` renamed the whole repository, `..` its parent (then FileNotFoundError), `src` the
    sources; as root `/` would have been tried. Each is refused in one line and nothing moves."""
    before = sorted(p.name for p in sample_repo.parent.iterdir())
    with pytest.raises(UsageError, match="--index-dir") as raised:
        Store.create(sample_repo, Config(index_dir=index_dir))
    assert "\n" not in str(raised.value) and "untrusted" not in str(raised.value)
    assert sorted(p.name for p in sample_repo.parent.iterdir()) == before
    assert not list(sample_repo.glob("*.untrusted-*")) and (sample_repo / "lib").is_dir()


def test_an_empty_index_dir_is_adopted_in_place(sample_repo: Path, tmp_path: Path, capfd) -> None:
    """fault1 #1: an empty folder (as the README tells read-only checkouts to make) was moved aside with a warning;
    now it becomes the index folder, silently."""
    empty = tmp_path / "ext"
    empty.mkdir()
    store = Store.create(sample_repo, Config(index_dir=str(empty)))
    try:
        assert store.folder == empty.resolve() and (empty / "catalog.sqlite").is_file()
    finally:
        store.close()
    assert "untrusted" not in capfd.readouterr().err and not list(tmp_path.glob("ext.untrusted-*"))
    assert (empty.stat().st_mode & 0o777) == 0o700


def test_an_index_dir_holding_only_index_files_is_still_set_aside(sample_repo: Path, tmp_path: Path, capfd) -> None:
    """A folder holding only the files an index writes (here a crafted catalog and no trust record) is an index we
    did not write: it is set aside (kept) and a new one built, as before."""
    folder = tmp_path / "idx"
    folder.mkdir()
    (folder / "catalog.sqlite").write_bytes(b"not ours")
    (folder / ".gitignore").write_text("*\n")
    store = Store.create(sample_repo, Config(index_dir=str(folder)))
    store.close()
    (aside,) = tmp_path.glob("idx.untrusted-*")
    assert (aside / "catalog.sqlite").read_bytes() == b"not ours" and "moved it to" in capfd.readouterr().err


# -- fault 2: a full disk, quota or file-size limit under the shared caches ---------------------------------------

def _fill(folder: Path) -> None:
    """Write into folder until its filesystem has no byte left."""
    with open(folder / "filler", "wb") as fh:
        try:
            while True:
                fh.write(b"\0" * 65536)
                fh.flush()
        except OSError as exc:
            assert exc.errno == errno.ENOSPC


def test_a_full_disk_under_the_shared_caches_skips_them_with_one_note(sample_repo: Path, tmp_path: Path,
                                                                       tiny_bloom: Path) -> None:
    """fault1 #2: with ~/.cache on a full disk `index` said "the shared embedding cache ... is damaged (database or
    disk is full); delete it" and `query` the same of the static token cache, both exit 2. The cache is only a
    cache: both now go on without it, each with one note saying why."""
    full = tmp_path / "full"
    full.mkdir()
    mount("-t", "tmpfs", "-o", "size=256k", "tmpfs", str(full))
    try:
        (full / "cache").mkdir()
        _fill(full)
        env = {"XDG_CACHE_HOME": str(full / "cache")}
        made = cli_run("index", "-q", "--model", str(tiny_bloom), str(sample_repo), env=env)
        assert made.returncode == 0, made.stderr
        notes = _lines(made.stderr)
        assert len(notes) == 1 and str(full / "cache") in notes[0] and "going on without them" in notes[0], made.stderr
        asked = run_cli("query", "--no-server", "-k", "3", "retry", cwd=sample_repo, env=env)  # (a process of its own)
        assert asked.returncode == 0 and asked.stdout, asked.stderr
        assert "damaged" not in made.stderr + asked.stderr and "going on without them" in asked.stderr
    finally:
        umount(full)


@pytest.mark.parametrize("limit_bytes", [100_000, 300_000, 1_000_000])  # as the catalog is made, migrated; as the sync writes
def test_a_file_size_limit_says_so_in_one_line(tmp_path: Path, tiny_bloom: Path, limit_bytes: int) -> None:
    """fault1 #2: `index` under `ulimit -f` ended in "unexpected error: OperationalError: disk I/O error" (SQLite's
    IOERR_WRITE over EFBIG), or called the new catalog damaged. Now one line: the folder, a quota or file-size limit,
    nothing lost, exit 2."""
    root = tmp_path / "repo"
    root.mkdir()
    body = "".join(f"    total += value_{j} * {j}\n" for j in range(60))
    for i in range(120):
        (root / f"m{i:03d}.py").write_text(f"def compute_{i}(value):\n    total = 0\n{body}    return total\n")
    limit = lambda: resource.setrlimit(resource.RLIMIT_FSIZE, (limit_bytes, resource.RLIM_INFINITY))  # noqa: E731
    result = run_cli("index", "-q", "--no-shared-cache", "--model", str(tiny_bloom), str(root), preexec=limit)
    lines = _lines(result.stderr)
    assert result.returncode == 2 and len(lines) == 1, result.stderr
    assert "file-size limit" in lines[0] and str(root / ".codesearch") in lines[0] and "nothing was lost" in lines[0]
    # run again as it says: a half-made folder is no stranger's, set aside with a warning, and the command it names
    # goes on with the model asked for, not the default (fault sweep 3: `status` said "model: None")
    named = re.search(r"`(codesearch index[^`]*)`", lines[0])
    command = named.group(1).split()[1:] if named else ["index", "--model", str(tiny_bloom)]
    again = run_cli(*command, "-q", "--no-shared-cache", str(root))
    assert again.returncode == 0 and "warning" not in again.stderr and "error" not in again.stderr, again.stderr


@pytest.mark.parametrize("error", [OSError(errno.EDQUOT, os.strerror(errno.EDQUOT)),
                                   OSError(errno.EFBIG, os.strerror(errno.EFBIG)),
                                   sqlite3.OperationalError("database or disk is full")])
def test_a_quota_or_size_limit_is_a_full_disk_not_damage(error: Exception, tmp_path: Path) -> None:
    """fault1 #2: storage_error knew ENOSPC only; a quota (EDQUOT), a file-size limit (EFBIG) and SQLite's full
    database are the same for the user: space ran out, nothing was lost."""
    said = storage_error(error, tmp_path)
    assert said is not None and "is full" in str(said) and "nothing was lost" in str(said)


# -- fault 3: a catalog written by a newer codesearch ---------------------------------------------------------------

def _from_the_future(root: Path) -> None:
    db = sqlite3.connect(root / ".codesearch" / "catalog.sqlite")
    db.execute("PRAGMA user_version = 999")
    db.commit()
    db.close()


def test_index_refuses_a_catalog_from_a_newer_codesearch_and_sets_nothing_aside(sample_repo: Path, tiny_bloom: Path) -> None:
    """fault1 #3: `index` called a catalog of schema 999 "damaged (/…/catalog.sqlite was written b)" (cut mid-word),
    set it aside and rebuilt it in the old schema (two installs ping-pong the index). Now `index` refuses it as
    query does, one line: upgrade, or `index --rebuild` to replace it; nothing set aside."""
    assert cli_run("index", "-q", "--model", str(tiny_bloom), str(sample_repo)).returncode == 0
    _from_the_future(sample_repo)
    refused = cli_run("index", "-q", str(sample_repo))
    lines = _lines(refused.stderr)
    assert refused.returncode == 2 and len(lines) == 1, refused.stderr
    assert "newer codesearch" in lines[0] and "upgrade" in lines[0] and "index --rebuild" in lines[0]
    assert "damaged" not in refused.stderr and not list((sample_repo / ".codesearch").glob("*.damaged-*"))
    asked = cli_run("query", "--no-server", "retry", cwd=sample_repo)
    assert asked.returncode == 2 and "newer codesearch" in asked.stderr
    rebuilt = cli_run("index", "-q", "--rebuild", str(sample_repo))
    assert rebuilt.returncode == 0, rebuilt.stderr
    assert "newer codesearch" in rebuilt.stderr and list((sample_repo / ".codesearch").glob("catalog.sqlite.damaged-*"))
    assert cli_run("query", "--no-server", "retry", cwd=sample_repo).returncode == 0


def test_a_damaged_catalogs_reason_is_shortened_never_its_path(sample_repo: Path, tiny_bloom: Path, capfd) -> None:
    """fault1 #3: the reason was cut at 80 characters, the path included, so a deep folder left "(/work/…/catalog.sqlite
    was written b)". The reason is said without the path, whole words only."""
    from codesearch.store.folder import short_reason
    from codesearch.errors import CodesearchError

    path = sample_repo / ("deep" * 30) / "catalog.sqlite"
    reason = short_reason(CodesearchError(f"{path} is not a database of ours: " + "word " * 40), path)
    assert str(path) not in reason and reason.startswith("catalog.sqlite is not a database") and len(reason) <= 90
    assert reason.endswith("...") and not reason[:-3].endswith("wor")


# -- fault 4: a damaged vector file --------------------------------------------------------------------------------

def test_the_next_index_writes_a_damaged_vector_file_again_and_says_so(sample_repo: Path, tiny_bloom: Path) -> None:
    """fault1 #4: a garbage vectors.hnsw was rebuilt in memory by every query (seconds at 100k units) and never
    written back: `index` said "0 embedded now" and left it. Now the next index writes it again, saying so."""
    assert cli_run("index", "-q", "--model", str(tiny_bloom), str(sample_repo)).returncode == 0
    vector_file = sample_repo / ".codesearch" / "vectors.hnsw"
    vector_file.write_bytes(b"garbage" * 100)
    synced = cli_run("index", str(sample_repo))
    assert synced.returncode == 0, synced.stderr
    assert "vectors.hnsw" in synced.stdout + synced.stderr and "wrote it again" in synced.stdout + synced.stderr
    assert vector_file.read_bytes() != b"garbage" * 100
    store = Store.open(sample_repo, Config())
    try:
        assert len(store.vectors()) == 8 and not store.rebuilt_vectors  # loaded from the file, not rebuilt
    finally:
        store.close()


# -- fault 5: an index folder or file other users can write ---------------------------------------------------------

def _loosen(folder: Path) -> None:
    folder.chmod(0o777)
    (folder / "catalog.sqlite").chmod(0o666)


def test_index_sets_a_world_writable_index_folder_back_and_says_so(sample_repo: Path, tiny_bloom: Path) -> None:
    """fault1 #5: `chmod 777 .codesearch; chmod 666 .codesearch/*` was accepted silently, though another local user
    could rewrite the catalog in place (the owner stays this user). `index` now sets the folder back to 0700 and
    the files to 0600, saying so in one line."""
    assert cli_run("index", "-q", "--model", str(tiny_bloom), str(sample_repo)).returncode == 0
    folder = sample_repo / ".codesearch"
    _loosen(folder)
    synced = cli_run("index", "-q", str(sample_repo))
    lines = _lines(synced.stderr)
    assert synced.returncode == 0 and len(lines) == 1, synced.stderr
    assert "writable by other users" in lines[0] and "0700" in lines[0] and str(folder) in lines[0]
    assert folder.stat().st_mode & 0o777 == 0o700 and (folder / "catalog.sqlite").stat().st_mode & 0o777 == 0o600
    assert not list(sample_repo.glob(".codesearch.untrusted-*"))


def test_query_refuses_a_world_writable_index_it_cannot_set_back(sample_repo: Path, tiny_bloom: Path) -> None:
    """fault1 #5: a reader that cannot set the modes back (here a read-only mount) refuses the index in one line,
    exit 2, saying what to run; before, it read it silently."""
    assert cli_run("index", "-q", "--model", str(tiny_bloom), str(sample_repo)).returncode == 0
    _loosen(sample_repo / ".codesearch")
    mount("--bind", str(sample_repo), str(sample_repo))
    try:
        mount("-o", "remount,bind,ro", str(sample_repo))
        asked = cli_run("query", "--no-server", "--mode", "lexical", "retry", cwd=sample_repo)
    finally:
        umount(sample_repo)
    lines = _lines(asked.stderr)
    assert asked.returncode == 2 and len(lines) == 1 and asked.stdout == "", asked.stderr
    assert "writable by other users" in lines[0] and "chmod" in lines[0]


def test_an_index_made_for_a_model_goes_on_with_it_before_its_first_vector(tmp_path: Path) -> None:
    """A first `index --model X` stopped after the folder was made, before the model recorded its first vector (a
    download cut off, a full disk): `codesearch index` again went on with the default model, which offline is an error
    and online a 1 GB download the user never asked for (fault sweep 3)."""
    from codesearch.engine import Index
    from codesearch.store.folder import Store

    (tmp_path / "a.py").write_text("def f():\n    return 1\n")
    Store.create(tmp_path, Config(model="minilm")).catalog.close()
    with Index.open(tmp_path, Config()) as index:
        assert index.model_name == "minilm" and index.model_id is None
    with Index.open(tmp_path, Config(model="udever-560m")) as index:
        assert index.model_name == "udever-560m"  # a model named now is the one asked for
