"""The index folder under faults found by the fault probe (fault1): a folder named by --index-dir, a full or
unwritable disk under the caches, a catalog from a newer codesearch, a damaged vector file, loose permissions."""

from __future__ import annotations

from pathlib import Path

import pytest

from codesearch.config import Config
from codesearch.errors import UsageError
from codesearch.store.folder import Store

from conftest import cli_run


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
