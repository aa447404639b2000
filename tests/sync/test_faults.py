"""Indexing under faults (issue 26): changes stat cannot see, bad entries, links out of the root."""

from __future__ import annotations

import json
import os
import sqlite3
from pathlib import Path

from codesearch.config import Config
from codesearch.engine import Index
from codesearch.query import Query
from codesearch.store.folder import Store
from codesearch.sync.indexer import Indexer

from conftest import cli_run, mount, umount


def _sync(root: Path, embedder, paths: list[str] | None = None):
    store = Store.create(root, Config())
    try:
        with store.lock:
            return Indexer(store, embedder).sync(paths)
    finally:
        store.close()


def _names(root: Path) -> set[str]:
    store = Store.open(root, Config())
    try:
        return {r[0] for r in store.catalog.db.execute("SELECT name FROM functions")}
    finally:
        store.close()


def test_same_size_same_mtime_rewrite_is_seen(tmp_path: Path, tiny_embedder) -> None:
    """Issue 26.3: a file rewritten with the same size and mtime (`cp -p`, a quick checkout) was never re-read."""
    root = tmp_path / "repo"
    root.mkdir()
    target = root / "m.py"
    target.write_text("def alpha_one():\n    return 1\n")
    old = os.stat(target)
    os.utime(target, ns=(old.st_atime_ns, old.st_mtime_ns - 10**10))  # 10 s old: not racy
    _sync(root, tiny_embedder)
    assert _names(root) == {"alpha_one"}
    before = os.stat(target)
    target.write_text("def gamma_two():\n    return 2\n")  # same size
    os.utime(target, ns=(before.st_atime_ns, before.st_mtime_ns))  # same mtime, as `cp -p` leaves it
    assert (os.stat(target).st_size, os.stat(target).st_mtime_ns) == (before.st_size, before.st_mtime_ns)
    _sync(root, tiny_embedder)
    assert _names(root) == {"gamma_two"}


def test_racy_file_is_rehashed(tmp_path: Path, tiny_embedder) -> None:
    """git's racy rule: a file whose mtime is not clearly older than its read may hide a same-tick write.

    A coarse-timestamp filesystem leaves size, mtime, ctime and inode all equal after such a write; the
    catalog row is made to say so (as it would there), and the next sync must still re-read the file."""
    root = tmp_path / "repo"
    root.mkdir()
    target = root / "m.py"
    target.write_text("def alpha_one():\n    return 1\n")
    _sync(root, tiny_embedder)
    target.write_text("def gamma_two():\n    return 2\n")
    st = os.stat(target)
    db = sqlite3.connect(root / ".codesearch" / "catalog.sqlite")
    db.execute("UPDATE files SET size=?, mtime_ns=?, ctime_ns=?, inode=?", (st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino))
    db.commit()
    db.close()
    _sync(root, tiny_embedder)
    assert _names(root) == {"gamma_two"}
    _sync(root, tiny_embedder)  # re-read once more, then proven: a later sync reads nothing
    os.utime(target, ns=(st.st_atime_ns, st.st_mtime_ns - 10**10))
    store = Store.create(root, Config())
    with store.lock:
        Indexer(store, tiny_embedder).sync()
        report = Indexer(store, tiny_embedder).sync()
    store.close()
    assert report.files_changed == 0


def test_one_bad_entry_never_stops_an_index(tmp_path: Path, tiny_bloom: Path) -> None:
    """Issue 26.14/15 end to end: a non-UTF-8 name is indexed (shown escaped), a symlink loop, ignore files
    linked to /dev/zero and /dev/urandom, invalid ignore lines and a link to a private key are skipped,
    counted and named in `status`; nothing outside the root reaches the index."""
    home, root = tmp_path / "home", tmp_path / "repo"
    (home / ".ssh").mkdir(parents=True)
    (home / ".ssh" / "id_rsa").write_text("PRIVATEKEYTEXT = 'do not index me'\n")
    (root / "sub").mkdir(parents=True)
    (root / "ok.py").write_text("def kept_function():\n    return 1\n")
    (root / os.fsdecode(b"caf\xe9.py")).write_bytes(b"def latin_named():\n    return 2\n")
    os.symlink(home / ".ssh" / "id_rsa", root / "key.py")
    os.symlink(root, root / "sub" / "loop")
    os.symlink("/dev/zero", root / ".gitignore")
    os.symlink("/dev/urandom", root / "sub" / ".codesearchignore")
    (root / "sub" / ".gitignore").write_bytes(b"\\\n!\n\xff\x00\n")
    result = cli_run("index", "-q", "--model", str(tiny_bloom), str(root))
    assert result.returncode == 0, result.stderr
    assert _names(root) == {"kept_function", "latin_named"}
    store = Store.open(root, Config())
    paths = {r[0] for r in store.catalog.db.execute("SELECT path FROM files")}
    code = " ".join(r[0] for r in store.catalog.db.execute("SELECT code FROM functions"))
    store.close()
    assert paths == {"ok.py", "caf\\xe9.py"} and "PRIVATEKEYTEXT" not in code
    status = cli_run("status", "--json", cwd=root)
    info = json.loads(status.stdout)
    problems = {tuple(p) for p in info["problems"]}
    assert {("key.py", "link outside the repository"), ("sub/loop", "symlink loop"),
            (".gitignore", "link outside the repository"),
            ("sub/.codesearchignore", "link outside the repository"),
            ("sub/.gitignore", "invalid ignore line"), ("sub/.gitignore", "binary ignore line")} <= problems
    assert info["skipped"]["invalid ignore line"] == 2
    text = cli_run("status", cwd=root).stdout
    assert "link outside the repository" in text and "key.py" in text
    hits = cli_run("query", "--json", "-k", "5", "--mode", "lexical", "latin_named", cwd=root)
    assert json.loads(hits.stdout)[0]["path"] == "caf\\xe9.py"


def _write_round(root: Path, n: int, files: int = 12) -> None:
    for i in range(files):
        (root / f"m{i:02d}.py").write_text(f"def compute_value_{n}_{i}(value):\n    return value * {n * 100 + i}\n")


def test_readers_never_see_half_a_sync(tmp_path: Path, tiny_embedder) -> None:
    """Issue 26.2: queries during a sync came back short (4 of k=10): the candidates and their rows were
    read at two moments, with a writer's commit between them. Here a real writer (its own connection)
    commits a sync that replaces every function exactly there; the query still answers k from one state."""
    root = tmp_path / "repo"
    root.mkdir()
    _write_round(root, 0)
    _sync(root, tiny_embedder)
    writer = Store.create(root, Config())
    with Index.open(root, Config(), embedder=tiny_embedder) as index:
        catalog = index.store.catalog
        read_rows = catalog.get_functions
        rounds = []

        def rows_after_a_commit(ids):
            rounds.append(len(rounds) + 1)
            _write_round(root, len(rounds))  # every function replaced: the candidates' ids vanish
            with writer.lock:
                Indexer(writer, tiny_embedder).sync()
            return read_rows(ids)

        catalog.get_functions = rows_after_a_commit
        for mode in ("hybrid", "semantic", "lexical"):
            hits = index.search(Query("compute value", k=10, mode=mode))
            assert len(hits) == 10, (mode, len(hits))
        catalog.get_functions = read_rows
        names = {h.name for h in index.search(Query("compute value", k=12, mode="hybrid"))}
    writer.close()
    assert len(rounds) >= 3 and all(name.startswith(f"compute_value_{len(rounds)}_") for name in names)


def _status(root: Path) -> dict:
    result = cli_run("status", "--json", cwd=root)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_rebuild_with_a_failing_model_keeps_the_index_and_keeps_its_model(sample_repo: Path, tiny_bloom: Path) -> None:
    """Issue 26.1 and 26.7: `index --rebuild --model <broken>` emptied the index (the reset came before the
    model was checked), and a plain `--rebuild` switched to the default model."""
    assert cli_run("index", "-q", "--model", str(tiny_bloom), str(sample_repo)).returncode == 0
    before = _status(sample_repo)
    broken = sample_repo.parent / "broken-model"
    broken.mkdir()
    (broken / "config.json").write_text("{not json")
    failed = cli_run("index", "-q", "--rebuild", "--model", str(broken), str(sample_repo))
    assert failed.returncode != 0 and "Traceback" not in failed.stderr
    after = _status(sample_repo)
    assert (after["files"], after["functions"], after["model"]) == (before["files"], before["functions"], before["model"])
    rebuilt = cli_run("index", "--json", "--rebuild", str(sample_repo))  # no --model: the recorded one
    assert rebuilt.returncode == 0, rebuilt.stderr
    assert _status(sample_repo)["model"] == before["model"]


def test_zero_byte_or_damaged_catalog_is_set_aside_and_rebuilt(sample_repo: Path, tiny_bloom: Path) -> None:
    """Issue 26.5: a zero-byte catalog could never be recovered: `--rebuild` said "not the one its trust
    record vouches for" forever. Now a writer sets it aside (kept) and rebuilds, with one line."""
    assert cli_run("index", "-q", "--model", str(tiny_bloom), str(sample_repo)).returncode == 0
    folder = sample_repo / ".codesearch"
    functions = _status(sample_repo)["functions"]
    for attempt, args in enumerate((["index", "-q"], ["index", "-q", "--rebuild"])):
        for extra in ("-wal", "-shm"):
            (folder / f"catalog.sqlite{extra}").unlink(missing_ok=True)
        (folder / "catalog.sqlite").write_bytes(b"")
        result = cli_run(*args, "--model", str(tiny_bloom), str(sample_repo))
        assert result.returncode == 0, result.stderr
        assert sum("catalog" in line and "is empty" in line for line in result.stderr.splitlines()) == 1
        assert _status(sample_repo)["functions"] == functions
    assert len(list(folder.glob("catalog.sqlite.damaged-*"))) >= 1


def test_moved_repository_keeps_its_index(sample_repo: Path, tiny_bloom: Path) -> None:
    """Issue 26.7: a moved or renamed repository lost its index (set aside: the record named the old path)."""
    assert cli_run("index", "-q", "--model", str(tiny_bloom), str(sample_repo)).returncode == 0
    before = _status(sample_repo)
    moved = sample_repo.parent / "renamed"
    sample_repo.rename(moved)
    query = cli_run("query", "--json", "-k", "3", "--mode", "lexical", "retry", cwd=moved)
    assert query.returncode == 0, query.stderr
    again = cli_run("index", "--json", str(moved))
    assert again.returncode == 0, again.stderr
    report = json.loads(again.stdout)
    assert report["functions_embedded"] == 0 and report["functions_total"] == before["units"]
    assert not list(moved.glob(".codesearch.untrusted-*"))
    after = _status(moved)
    assert after["root"] == str(moved.resolve()) and after["model"] == before["model"]


def test_two_writers_at_once_take_turns(sample_repo: Path, tiny_bloom: Path) -> None:
    """Issue 26.13: two `index` at once on a fresh repository (FileNotFoundError) and on a copied,
    untrusted index (a second `.codesearch.untrusted-*` folder each time): now they take turns."""
    import subprocess
    import sys

    def both() -> list[subprocess.CompletedProcess]:
        cmd = [sys.executable, "-c", "from codesearch.cli import main; main()", "index", "-q", "--model",
               str(tiny_bloom), str(sample_repo)]
        procs = [subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(2)]
        return [subprocess.CompletedProcess(p.args, p.wait(), *p.communicate()) for p in procs]

    for result in both():  # a fresh repository
        assert "Traceback" not in result.stderr and "unexpected error" not in result.stderr, result.stderr
        assert result.returncode == 0 or "being written by another codesearch process" in result.stderr
    assert _status(sample_repo)["functions"] > 0
    trust_file = sample_repo / ".codesearch" / "trust.json"
    record = json.loads(trust_file.read_text())
    record["mac"] = "0" * 64  # a copied index this user did not write
    trust_file.write_text(json.dumps(record))
    results = both()
    for result in results:
        assert "Traceback" not in result.stderr and "unexpected error" not in result.stderr, result.stderr
        assert result.returncode == 0 or "being written by another codesearch process" in result.stderr
    assert len(list(sample_repo.glob(".codesearch.untrusted-*"))) == 1


def test_full_disk_says_how_much_where_and_that_nothing_was_lost(tmp_path: Path, tiny_bloom: Path) -> None:
    """Issue 26.16: a full disk ended in `OperationalError: cannot rollback - no transaction is active`.
    A real full filesystem (a 1 MiB tmpfs holding the index via --index-dir): one line with the free space,
    the folder and that nothing was lost; once space is freed the same command goes on and completes."""
    root, small = tmp_path / "repo", tmp_path / "small"
    root.mkdir()
    small.mkdir()
    body = "".join(f"    total += value_{j} * {j}\n" for j in range(60))
    for i in range(120):
        (root / f"m{i:03d}.py").write_text(f"def compute_{i}(value):\n    total = 0\n{body}    return total\n")
    mount("-t", "tmpfs", "-o", "size=1m", "tmpfs", str(small))
    try:
        index_dir = str(small / "idx")
        full = cli_run("index", "-q", "--index-dir", index_dir, "--model", str(tiny_bloom), str(root))
        lines = [line for line in full.stderr.splitlines() if line.strip() and not line.startswith("indexing ")]
        assert full.returncode == 2 and len(lines) == 1, full.stderr
        assert "is full" in lines[0] and "MB free" in lines[0] and "nothing was lost" in lines[0]
        assert index_dir in lines[0] and "Traceback" not in full.stderr
        mount("-o", "remount,size=64m", str(small))  # space freed
        again = cli_run("index", "--json", "--index-dir", index_dir, "--model", str(tiny_bloom), str(root))
        assert again.returncode == 0, again.stderr
        assert json.loads(again.stdout)["functions_total"] == 120
    finally:
        umount(small)


def test_read_only_index_is_read_and_writers_say_index_dir(sample_repo: Path, tiny_bloom: Path) -> None:
    """Issue 26.16: a read-only repository or index folder made readers say the catalog "is damaged;
    rebuild it", and `index` failed renaming it aside. Now readers read it; writers say --index-dir."""
    assert cli_run("index", "-q", "--model", str(tiny_bloom), str(sample_repo)).returncode == 0
    expected = cli_run("query", "--json", "-k", "3", "--mode", "lexical", "retry", cwd=sample_repo).stdout
    mount("--bind", str(sample_repo), str(sample_repo))
    try:
        mount("-o", "remount,bind,ro", str(sample_repo))
        read = cli_run("query", "--json", "-k", "3", "--mode", "lexical", "retry", cwd=sample_repo)
        assert read.returncode == 0, read.stderr
        assert [h["id"] for h in json.loads(read.stdout)] == [h["id"] for h in json.loads(expected)]
        assert cli_run("status", cwd=sample_repo).returncode == 0
        write = cli_run("index", "-q", str(sample_repo))
        lines = [line for line in write.stderr.splitlines() if line.strip() and not line.startswith("indexing ")]
        assert write.returncode == 2 and len(lines) == 1 and "--index-dir" in lines[0] and "read-only" in lines[0], write.stderr
        assert "damaged" not in write.stderr and "untrusted" not in write.stderr
    finally:
        umount(sample_repo)
    assert not list(sample_repo.glob(".codesearch.untrusted-*"))


def test_killed_rebuild_leaves_the_old_index_answering(tmp_path: Path, tiny_bloom: Path) -> None:
    """Issue 26.1: a rebuild builds beside the old index and swaps it in only when complete; kill -9 at
    any moment of it leaves the old index answering, and the next rebuild completes."""
    import signal
    import subprocess
    import sys
    import time

    root = tmp_path / "repo"
    root.mkdir()
    for i in range(40):
        (root / f"m{i:02d}.py").write_text("".join(f"def task_{i}_{j}(x):\n    return x + {j}\n\n" for j in range(8)))
    assert cli_run("index", "-q", "--model", str(tiny_bloom), str(root)).returncode == 0
    before = _status(root)
    cmd = [sys.executable, "-c", "from codesearch.cli import main; main()", "index", "-q", "--rebuild", str(root)]
    beside = root / ".codesearch.rebuilding"
    catalog = root / ".codesearch" / "catalog.sqlite"

    def generation() -> str | None:
        db = sqlite3.connect(f"file:{catalog}?mode=ro", uri=True)
        try:
            return db.execute("SELECT value FROM meta WHERE key = 'generation'").fetchone()[0]
        finally:
            db.close()

    start = generation()
    for delay in (0.0, 0.3, 1.0):  # seconds after the rebuild starts writing (anywhere)
        proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 60
        while not beside.exists() and generation() == start and proc.poll() is None and time.monotonic() < deadline:
            time.sleep(0.01)
        time.sleep(delay)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        now = _status(root)
        assert (now["files"], now["functions"], now["model"]) == (before["files"], before["functions"], before["model"])
        hits = cli_run("query", "--json", "-k", "10", "--mode", "lexical", "task", cwd=root)
        assert hits.returncode == 0 and len(json.loads(hits.stdout)) == 10, hits.stderr
    done = cli_run("index", "--json", "--rebuild", str(root))
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["functions_total"] == before["units"]
    assert not beside.exists() and _status(root)["model"] == before["model"]
