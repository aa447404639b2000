"""A cloned repository must not be able to attack its user through its `.codesearch/` folder."""

from __future__ import annotations

import hashlib
import json
import os
import socket
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from codesearch.config import Config
from codesearch.errors import IndexDataError, ModelError, UntrustedIndexError
from codesearch.sync.indexer import Indexer
from codesearch.models.resolve import check_recorded_model
from codesearch.cli.output import print_hits
from codesearch.safetext import printable, safe_rel_path
from codesearch.query import Hit, Query
from codesearch.search.searcher import Searcher
from codesearch.serve.server import SOCKET_NAME, ask_server
from codesearch.store.statefiles import SERVER_STATE
from codesearch.store.folder import Store
from codesearch.store.trust import verify_folder

from conftest import run_cli


def _index(root: Path, embedder) -> None:
    store = Store.create(root, Config())
    try:
        with store.lock:
            Indexer(store, embedder).sync(save=True)
    finally:
        store.close()


@pytest.fixture
def indexed(sample_repo: Path, tiny_embedder) -> Path:
    _index(sample_repo, tiny_embedder)
    return sample_repo


def _aside(root: Path) -> list[Path]:
    return sorted(root.glob(".codesearch.untrusted-*"))


# -- folders we did not write --------------------------------------------------------------------

def test_a_folder_written_under_another_secret_is_set_aside_and_rebuilt(indexed: Path, tiny_embedder, monkeypatch,
                                                                          tmp_path: Path, capfd) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "someone-else"))
    monkeypatch.setattr("codesearch.store.trust._secrets", {})
    with pytest.raises(UntrustedIndexError, match="does not verify"):
        Store.open(indexed, Config())
    result = run_cli("query", "--mode", "lexical", "retry", cwd=indexed, env={"XDG_CONFIG_HOME": str(tmp_path / "someone-else")})
    assert result.returncode == 2 and "codesearch index" in result.stderr and "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1 and result.stdout == ""
    _index(indexed, tiny_embedder)
    assert "not read, moved it to" in capfd.readouterr().err
    (kept,) = _aside(indexed)
    assert (kept / "catalog.sqlite").exists()  # kept, never deleted
    store = Store.open(indexed, Config())
    assert store.catalog.count("functions") == 14
    store.close()


def test_a_crafted_folder_without_record_is_never_read(sample_repo: Path, tiny_embedder) -> None:
    folder = sample_repo / ".codesearch"
    folder.mkdir()
    db = sqlite3.connect(folder / "catalog.sqlite")
    db.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
    db.execute("INSERT INTO meta VALUES ('root', '/'), ('model', 'attacker/evil-model'), ('dim', 'lots')")
    db.commit()
    db.close()
    started = time.monotonic()
    result = run_cli("status", cwd=sample_repo)
    assert result.returncode == 2 and "no trust record" in result.stderr and time.monotonic() - started < 30
    result = run_cli("query", "anything", cwd=sample_repo)
    assert result.returncode == 2 and "evil" not in result.stderr and "unexpected" not in result.stderr
    _index(sample_repo, tiny_embedder)
    assert len(_aside(sample_repo)) == 1 and verify_folder(folder).root == sample_repo.resolve()


@pytest.mark.parametrize("name", ["writer.lock", ".gitignore", "catalog.sqlite-wal", "catalog.sqlite-shm",
                                  "catalog.sqlite", "vectors.hnsw", "vectors.json", "trust.json"])
def test_no_write_through_a_planted_symlink(indexed: Path, tiny_embedder, tmp_path: Path, name: str) -> None:
    victim = tmp_path / "victim.txt"
    victim.write_text("precious\n")
    link = indexed / ".codesearch" / name
    link.unlink(missing_ok=True)
    link.symlink_to(victim)
    with pytest.raises(UntrustedIndexError, match="symlink"):
        Store.open(indexed, Config())
    (indexed / "lib" / "new.py").write_text("def added():\n    return 1\n")
    _index(indexed, tiny_embedder)
    assert victim.read_text() == "precious\n" and not (indexed / ".codesearch" / name).is_symlink()
    assert len(_aside(indexed)) == 1


def test_a_symlinked_index_folder_is_refused_and_its_target_untouched(sample_repo: Path, tiny_embedder, tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "catalog.sqlite").write_bytes(b"")
    (sample_repo / ".codesearch").symlink_to(elsewhere)
    with pytest.raises(UntrustedIndexError, match="symlink"):
        Store.open(sample_repo, Config())
    _index(sample_repo, tiny_embedder)
    assert sorted(p.name for p in elsewhere.iterdir()) == ["catalog.sqlite"] and (elsewhere / "catalog.sqlite").stat().st_size == 0
    assert not (sample_repo / ".codesearch").is_symlink() and _aside(sample_repo)[0].is_symlink()


@pytest.mark.parametrize("kind", ["fifo", "dev-zero"])
def test_a_fifo_or_device_as_vector_file_does_not_hang(indexed: Path, kind: str) -> None:
    path = indexed / ".codesearch" / "vectors.hnsw"
    path.unlink()
    os.mkfifo(path) if kind == "fifo" else path.symlink_to("/dev/zero")
    result = run_cli("query", "--mode", "semantic", "anything", cwd=indexed, timeout=60)
    assert result.returncode == 2 and "vectors.hnsw" in result.stderr and "Traceback" not in result.stderr


def test_crafted_vector_files_with_forged_sidecars_never_reach_hnswlib(indexed: Path) -> None:
    """300 hostile files, each with a sidecar whose size and checksum match; a crash fails the test."""
    code = r"""
import hashlib, json, os, random, sys
from pathlib import Path
from codesearch.config import Config
from codesearch.store.folder import Store
root = Path(sys.argv[1]); folder = root / ".codesearch"
good = (folder / "vectors.hnsw").read_bytes(); side = json.loads((folder / "vectors.json").read_text())
rng = random.Random(17); rebuilt = 0
for trial in range(300):
    data = bytearray(good)
    for _ in range(rng.randint(1, 40)):
        i = rng.randrange(len(data)); data[i:i + 8] = rng.randbytes(8)
    if trial % 3 == 0:
        data = bytearray(rng.randbytes(rng.randint(1, 4096)))
    (folder / "vectors.hnsw").write_bytes(bytes(data))
    forged = dict(side, bytes=len(data), blake2b=hashlib.blake2b(bytes(data), digest_size=16).hexdigest())
    if trial % 2:
        forged["mac"] = "0" * 64
    (folder / "vectors.json").write_text(json.dumps(forged))
    store = Store.open(root, Config())
    v = store.vectors()
    rebuilt += bool(getattr(store, "rebuilt_vectors", False))
    assert len(v) == 8, len(v)
    store.close()
print("rebuilt", rebuilt)
"""
    result = subprocess.run([sys.executable, "-c", code, str(indexed)], capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, f"exit {result.returncode}: {result.stderr[-2000:]}"
    assert result.stdout.strip() == "rebuilt 300"


# -- what the catalog says -----------------------------------------------------------------------

def test_traversal_paths_in_the_catalog_are_never_shown_or_read(indexed: Path, tiny_embedder) -> None:
    store = Store.open(indexed, Config())
    with store.catalog.transaction() as db:
        db.execute("UPDATE functions SET path = '../../../etc/passwd' WHERE name = 'RetryRequest'")
        db.execute("UPDATE functions SET path = '/etc/passwd' WHERE name = 'db_connect'")
        db.execute("UPDATE functions SET path = 'lib/../../x.py' WHERE name = 'load_config'")
    hits = Searcher(store, tiny_embedder).search(Query("retry request database config", 20, kinds=("function", "method", "constructor")))
    store.close()
    assert len(hits) == 5 and all(safe_rel_path(h.path) for h in hits)
    assert {"RetryRequest", "db_connect", "load_config"}.isdisjoint(h.name for h in hits)


def test_a_recorded_root_is_never_walked(indexed: Path) -> None:
    store = Store.open(indexed, Config())
    with store.catalog.transaction():
        store.catalog.set_meta("root", "/")
    store.close()
    status = json.loads(run_cli("status", "--json", cwd=indexed, timeout=60).stdout)
    assert status["root"] == str(indexed.resolve()) and status["stale_files"] == 0


@pytest.mark.parametrize("key,value", [("dim", "lots"), ("dim", "-5"), ("dim", "99999999999999"), ("dim", "²"),
                                       ("generation", "1e9"), ("generation", "9" * 5000)])
def test_absurd_meta_values_are_one_clear_line(indexed: Path, key: str, value: str) -> None:
    store = Store.open(indexed, Config())
    with store.catalog.transaction():
        store.catalog.set_meta(key, value)
    store.close()
    with pytest.raises(IndexDataError, match=key):
        Store.open(indexed, Config())
    result = run_cli("query", "--mode", "lexical", "retry", cwd=indexed, timeout=60)
    assert result.returncode == 2 and result.stderr.startswith("codesearch: error: ") and "--rebuild" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


@pytest.mark.parametrize("change", [{"deleted": list(range(10**6))}, {"count": "many"}, {"bytes": -1}, {"m": 10**9},
                                    {"deleted": "all"}, {"dim": "x"}])
def test_absurd_sidecar_values_rebuild_the_vectors(indexed: Path, change: dict) -> None:
    from codesearch.store import trust

    side_path = indexed / ".codesearch" / "vectors.json"
    side = json.loads(side_path.read_text())
    side.update(change)
    store = Store.open(indexed, Config())
    side["mac"] = trust.seal_sidecar(store.index_id, side)  # even a sidecar we sealed may not crash us
    side_path.write_text(json.dumps(side))
    assert len(store.vectors()) == 8 and store.rebuilt_vectors
    store.close()


def test_absurd_watch_state_does_not_break_status(indexed: Path) -> None:
    (indexed / ".codesearch" / "watch.json").write_text(json.dumps({"pid": os.getpid(), "last_sync": "soon"}))
    result = run_cli("status", cwd=indexed, timeout=60)
    assert result.returncode == 0 and "pending" in result.stdout, result.stderr
    (indexed / ".codesearch" / "watch.json").write_text(json.dumps({"pid": "1; rm -rf /"}))
    assert run_cli("status", "--json", cwd=indexed, timeout=60).returncode == 0


def test_stale_temp_files_are_removed_on_the_next_open(indexed: Path) -> None:
    folder = indexed / ".codesearch"
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True).stdout.strip()
    stale = [folder / f".vectors.hnsw.{dead}.tmp", folder / f".watch.json.{dead}.0a1b2c3d.tmp"]
    live = folder / f".vectors.hnsw.{os.getpid()}.deadbeef.tmp"
    # a live writer's tag can be all digits (one in 43): read as the pid, it killed a starting server's server.json
    live_digits = folder / f".server.json.{os.getpid()}.37361602.tmp"
    for p in [*stale, live, live_digits]:
        p.write_bytes(b"half written")
    Store.create(indexed, Config()).close()
    assert not any(p.exists() for p in stale) and live.exists() and live_digits.exists()


# -- the server state file -----------------------------------------------------------------------

def _rogue_server(path: Path) -> socket.socket:
    """A listener that answers every question with a fake hit (what an attacker would run)."""
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind(str(path))
    listener.listen(5)

    def serve() -> None:
        while True:
            try:
                conn, _ = listener.accept()
            except OSError:
                return
            with conn:
                try:
                    conn.recv(1 << 16)
                    conn.sendall(b'{"root": "/", "model": "x", "hits": []}\n')
                except OSError:  # the client hung up on it
                    pass

    threading.Thread(target=serve, daemon=True).start()
    return listener


def test_a_planted_server_state_is_not_believed(indexed: Path, tmp_path: Path) -> None:
    folder = indexed / ".codesearch"
    elsewhere = tmp_path / "rogue.sock"
    listener = _rogue_server(elsewhere)
    sleeper = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        (folder / SERVER_STATE).write_text(json.dumps({"pid": os.getpid(), "socket": str(elsewhere)}))
        assert ask_server(folder, {"query": "secret question"}) is None  # not where our server would be
        listener.close()
        listener = _rogue_server(folder / SOCKET_NAME)
        (folder / SERVER_STATE).write_text(json.dumps({"pid": sleeper.pid, "socket": str(folder / SOCKET_NAME)}))
        assert ask_server(folder, {"query": "secret question"}) is None  # the peer is not the pid it claims
        (folder / SERVER_STATE).write_text(json.dumps({"pid": os.getpid(), "socket": str(folder / SOCKET_NAME)}))
        assert ask_server(folder, {"query": "q"}) is not None  # the same check lets a true peer through
    finally:
        listener.close()
        sleeper.kill()
        sleeper.wait()


# -- models an index names -------------------------------------------------------------------------

def test_hostile_model_ids_are_never_fetched_or_loaded(indexed: Path, tiny_bloom: Path, tmp_path: Path) -> None:
    with pytest.raises(ModelError, match="does not download"):
        check_recorded_model("attacker/evil-model", indexed, None)
    planted = indexed / "weights"
    planted.mkdir()
    with pytest.raises(ModelError, match="inside the repository"):
        check_recorded_model(str(planted), indexed, None)
    with pytest.raises(ModelError, match="neither"):
        check_recorded_model("../../evil", indexed, None)
    check_recorded_model(str(tiny_bloom), indexed, None)  # a folder outside the repository
    check_recorded_model("attacker/evil-model", indexed, "attacker/evil-model")  # the user named it
    check_recorded_model("sentence-transformers/all-MiniLM-L6-v2", indexed, None)  # an alias
    store = Store.open(indexed, Config())
    with store.catalog.transaction():
        store.catalog.set_meta("model", "attacker/evil-model")
    store.close()
    result = run_cli("query", "--mode", "semantic", "anything", cwd=indexed, env={"HF_HUB_OFFLINE": "0"}, timeout=60)
    assert result.returncode == 2 and "does not download" in result.stderr and "Traceback" not in result.stderr


# -- the terminal ----------------------------------------------------------------------------------

def test_printable_escapes_controls_and_bidi_but_keeps_text() -> None:
    assert printable("a\x1b]0;pwned\x07b") == "a\\x1b]0;pwned\\x07b"
    assert printable("x\u202ey\x9bz\x7f") == "x\\u202ey\\x9bz\\x7f"
    assert printable("line\n\tnext", multiline=True) == "line\n\tnext"
    assert printable("line\nnext") == "line\\x0anext"
    assert printable("naïve 日本 ok") == "naïve 日本 ok"


def test_human_output_escapes_and_json_stays_exact(capsys, tmp_path: Path) -> None:
    evil = "\x1b]52;c;cm0gLXJmIH4=\x07\x1b[2J"
    hit = Hit(id=1, path=f"lib/{evil}.py", start_line=1, end_line=2, start_col=1, name=evil, qualified_name=f"Cls.{evil}",
              language="python", kind="function", score=0.5, code=f"def f():\n    return '{evil}'\n", docstring="")
    for flags in ({}, {"vimgrep": True}, {"explain": True}):
        print_hits([hit], tmp_path, **flags)
        out = capsys.readouterr().out
        assert "\x1b" not in out and "\x07" not in out and "\\x1b]52" in out
    print_hits([hit], tmp_path, as_json=True)
    assert json.loads(capsys.readouterr().out)[0]["name"] == evil


def test_the_tui_preview_reads_only_inside_the_repository(tmp_path: Path) -> None:
    from tui.widgets.preview import _inside

    root = tmp_path / "r"
    (root / "a").mkdir(parents=True)
    (root / "a" / "ok.py").write_text("x = 1\n")
    (root / "a" / "out.py").symlink_to("/etc/passwd")
    assert _inside(root, "a/ok.py")
    assert not any(_inside(root, p) for p in ["../etc/passwd", "/etc/passwd", "a/out.py", "a/../../x"])


def test_sidecar_checksum_alone_proves_nothing(indexed: Path) -> None:
    """The stranger's sidecar may match its file byte for byte: only our HMAC makes it believed."""
    folder = indexed / ".codesearch"
    side = json.loads((folder / "vectors.json").read_text())
    data = (folder / "vectors.hnsw").read_bytes()
    assert side["blake2b"] == hashlib.blake2b(data, digest_size=16).hexdigest() and len(side["mac"]) == 64
    side["generation"] += 1  # any change to what the HMAC covers
    (folder / "vectors.json").write_text(json.dumps(side))
    store = Store.open(indexed, Config())
    store.vectors()
    assert store.rebuilt_vectors
    store.close()


def test_the_user_secret_is_private_and_where_xdg_says(tmp_path: Path, monkeypatch) -> None:
    from codesearch.store import trust

    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "cfg"))
    monkeypatch.setattr("codesearch.store.trust._secrets", {})
    secret = trust.user_secret()
    path = tmp_path / "cfg" / "codesearch" / "secret"
    assert path.read_bytes() == secret and len(secret) == 32
    assert (path.stat().st_mode & 0o777) == 0o600 and (path.parent.stat().st_mode & 0o777) == 0o700
    monkeypatch.setattr("codesearch.store.trust._secrets", {})
    assert trust.user_secret() == secret  # the same key on the next run
    path.chmod(0o644)
    monkeypatch.setattr("codesearch.store.trust._secrets", {})
    with pytest.raises(UntrustedIndexError, match="chmod 600"):
        trust.user_secret()


def test_damaged_rows_and_vectors_in_the_catalog_are_left_out(indexed: Path, tiny_embedder) -> None:
    store = Store.open(indexed, Config())
    with store.catalog.transaction() as db:
        db.execute("UPDATE functions SET start_line = 'abc' WHERE name = 'db_connect'")
        db.execute("UPDATE embeddings SET vector = x'0102' WHERE text_hash = "
                   "(SELECT text_hash FROM functions WHERE name = 'RetryRequest')")
    (indexed / ".codesearch" / "vectors.hnsw").unlink()  # rebuilt from the cache, damaged rows and all
    for mode in ("semantic", "hybrid", "lexical"):
        hits = Searcher(store, tiny_embedder).search(Query("retry request database", 20, mode=mode))
        assert "db_connect" not in {h.name for h in hits} and hits
    assert len(store.vectors()) == 7  # the short vector is not in the graph
    store.close()


def test_an_index_dir_whose_parents_are_missing_is_made_with_them(sample_repo: Path, tmp_path: Path) -> None:
    """`index --index-dir /work/probe34/idx_nocache/X` said "cannot open .../idx_nocache: pass --index-dir ..." though
    --index-dir was given: its parent did not exist yet."""
    from codesearch.store.folder import Store

    target = tmp_path / "several" / "missing" / "index"
    store = Store.create(sample_repo, Config(index_dir=str(target)))
    try:
        assert store.folder == target.resolve() and (target / "catalog.sqlite").is_file()
    finally:
        store.close()
