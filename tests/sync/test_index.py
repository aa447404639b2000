"""The persistent index: incremental sync, crash safety under SIGKILL, locks, model changes, repair."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

from codesearch.config import Config
from codesearch.errors import IndexLockedError, IndexMismatchError
from codesearch.sync.indexer import Indexer
from codesearch.store.folder import Store, find_index

from conftest import cli_run, wait_for


def _sync(root: Path, embedder, cfg: Config | None = None):
    store = Store.create(root, cfg or Config())
    try:
        with store.lock:
            return Indexer(store, embedder).sync()
    finally:
        store.close()


def _consistent(root: Path) -> tuple[int, int]:
    """Assert catalog, FTS and vectors agree; return (functions, embeddings)."""
    store = Store.open(root, Config())
    try:
        db = store.catalog.db
        ids = set(store.catalog.function_ids())
        fts = {r[0] for r in db.execute("SELECT rowid FROM units_fts")}
        assert ids == fts
        embedded = {r[0] for r in db.execute("SELECT f.id FROM functions f JOIN embeddings e ON e.text_hash = f.text_hash "
                                             "AND e.model = ?", (store.model_id,))}
        assert store.vectors().labels == embedded  # functions still waiting for a vector are searchable lexically
        orphans = db.execute("SELECT count(*) FROM functions WHERE file_id NOT IN (SELECT id FROM files)").fetchone()[0]
        assert orphans == 0
        model_rows = db.execute("SELECT count(*) FROM embeddings WHERE model = ?", (store.model_id,)).fetchone()[0]
        return len(ids), model_rows  # the model's own vectors (the static tier keeps its own rows beside them)
    finally:
        store.close()


def test_incremental_sync(sample_repo: Path, tiny_embedder) -> None:
    first = _sync(sample_repo, tiny_embedder)
    assert (first.files_scanned, first.functions_total, first.functions_embedded) == (6, 14, 8)
    again = _sync(sample_repo, tiny_embedder)
    assert (again.files_changed, again.functions_embedded) == (0, 0)
    # one new function in one file: one embedding
    cfg = sample_repo / "lib" / "config.py"
    cfg.write_text(cfg.read_text() + "\n\ndef save_config(path, data):\n    return json.dump(data, open(path, 'w'))\n")
    edit = _sync(sample_repo, tiny_embedder)
    assert (edit.files_changed, edit.functions_embedded, edit.functions_total) == (1, 1, 15)
    # units added are counted whether or not a vector was cached for them (a fresh index said 0: probe 238)
    assert (first.functions_added, again.functions_added, edit.functions_added) == (14, 0, 1)
    # a renamed file and a moved function cost no embedding
    (sample_repo / "lib" / "cart.rb").rename(sample_repo / "lib" / "basket.rb")
    moved = _sync(sample_repo, tiny_embedder)
    assert (moved.functions_embedded, moved.files_removed, moved.functions_total) == (0, 1, 15)
    # touching without changing content re-reads but does not re-parse
    os.utime(cfg, ns=(time.time_ns(), time.time_ns() + 10**9))
    touched = _sync(sample_repo, tiny_embedder)
    assert (touched.files_changed, touched.functions_embedded) == (0, 0)
    # deleted files leave nothing behind
    (sample_repo / "api" / "server.go").unlink()
    gone = _sync(sample_repo, tiny_embedder)
    assert (gone.functions_removed, gone.functions_total) == (3, 12)
    assert _consistent(sample_repo)[0] == 12
    store = Store.open(sample_repo, Config())
    paths = {r[1] for r in store.catalog.function_paths()}
    store.close()
    assert "api/server.go" not in paths and "vendor/skip.py" not in paths and "lib/basket.rb" in paths


def test_index_folder_layout_and_lookup_from_subfolder(sample_repo: Path, tiny_embedder) -> None:
    _sync(sample_repo, tiny_embedder)
    folder = sample_repo / ".codesearch"
    assert (folder / ".gitignore").read_text().splitlines()[-1] == "*"
    assert find_index(sample_repo / "lib", Config()) == (sample_repo.resolve(), folder.resolve())
    for f in folder.iterdir():  # nothing that could be unpickled
        assert not f.read_bytes()[:2] == b"\x80\x04"
    assert not list(folder.glob("*.pkl")) and not list(folder.glob("*.npy"))


def test_vectors_rebuilt_from_cache_when_missing_damaged_or_stale(sample_repo: Path, tiny_embedder) -> None:
    _sync(sample_repo, tiny_embedder)
    folder = sample_repo / ".codesearch"
    expected = Store.open(sample_repo, Config()).vectors().labels
    # damaged
    data = bytearray((folder / "vectors.hnsw").read_bytes())
    data[len(data) // 2] ^= 0xFF
    (folder / "vectors.hnsw").write_bytes(bytes(data))
    store = Store.open(sample_repo, Config())
    assert store.vectors().labels == expected and store.rebuilt_vectors
    store.close()
    # missing
    (folder / "vectors.hnsw").unlink()
    store = Store.open(sample_repo, Config())
    assert store.vectors().labels == expected
    store.close()
    # the next sync repairs the file without embedding anything
    report = _sync(sample_repo, tiny_embedder)
    assert report.functions_embedded == 0
    store = Store.open(sample_repo, Config())
    assert store.vectors().labels == expected and not getattr(store, "rebuilt_vectors", False)
    store.close()


def test_model_change_needs_rebuild(sample_repo: Path, tiny_bloom: Path, tmp_path: Path) -> None:
    assert cli_run("index", "-q", "--model", str(tiny_bloom), str(sample_repo)).returncode == 0
    result = cli_run("index", "--model", "minilm", str(sample_repo))
    assert result.returncode == 2 and "--rebuild" in result.stderr and "Traceback" not in result.stderr
    rebuilt = cli_run("index", "--json", "--rebuild", "--model", "minilm", str(sample_repo))
    assert rebuilt.returncode == 0, rebuilt.stderr
    assert json.loads(rebuilt.stdout)["functions_total"] == 14
    status = json.loads(cli_run("status", "--json", cwd=sample_repo / "lib").stdout)
    assert status["model"] == "sentence-transformers/all-MiniLM-L6-v2"


def test_index_json_and_status_json(sample_repo: Path, tiny_bloom: Path) -> None:
    result = cli_run("index", "--json", "--model", str(tiny_bloom), cwd=sample_repo)
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    for key in ("files_scanned", "files_changed", "functions_total", "functions_embedded", "functions_removed", "seconds"):
        assert key in report
    (sample_repo / "lib" / "new.py").write_text("def fresh():\n    return 1\n")
    (sample_repo / "legacy" / "db.php").unlink()
    status = json.loads(cli_run("status", "--json", cwd=sample_repo).stdout)
    assert {"root", "model", "files", "functions", "index_bytes", "updated_at", "stale_files"} <= set(status)
    assert (status["files"], status["functions"], status["stale_files"]) == (6, 8, 2)
    assert status["root"] == str(sample_repo.resolve()) and status["index_bytes"] > 0


def test_one_writer_at_a_time_and_stale_lock_is_taken_over(sample_repo: Path, tiny_embedder) -> None:
    store = Store.create(sample_repo, Config())
    with store.lock:
        other = Store.create(sample_repo, Config())
        with pytest.raises(IndexLockedError, match=f"pid {os.getpid()}"):
            other.lock.acquire()
        other.close()
    store.close()
    # a writer killed with SIGKILL leaves a lock file behind; the next writer takes it over
    code = ("import sys,time; from pathlib import Path; from codesearch.config import Config; "
            "from codesearch.store.folder import Store; s=Store.create(Path(sys.argv[1]), Config()); s.lock.acquire(); "
            "print('locked', flush=True); time.sleep(60)")
    proc = subprocess.Popen([sys.executable, "-c", code, str(sample_repo)], stdout=subprocess.PIPE, text=True)
    assert proc.stdout.readline().strip() == "locked"
    assert Store.create(sample_repo, Config()).lock.holder() == proc.pid
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert _sync(sample_repo, tiny_embedder).functions_total == 14


def test_readers_work_while_a_writer_holds_the_lock(sample_repo: Path, tiny_embedder, tiny_bloom: Path) -> None:
    _sync(sample_repo, tiny_embedder)
    store = Store.create(sample_repo, Config())
    with store.lock:
        result = cli_run("query", "--json", "retry request", cwd=sample_repo)
        assert result.returncode == 0, result.stderr
        assert json.loads(result.stdout)
    store.close()


def test_model_mismatch_in_library(sample_repo: Path, tiny_embedder) -> None:
    _sync(sample_repo, tiny_embedder)
    store = Store.open(sample_repo, Config())
    with pytest.raises(IndexMismatchError):
        store.check_model("someone/else", 8)
    store.close()


def _make_big_repo(root: Path, files: int = 400) -> None:
    for i in range(files):
        body = "\n\n".join(
            f"def handler_{i}_{j}(request, retries={j}):\n    \"\"\"Handle request {i}/{j} and retry.\"\"\"\n"
            f"    total = {i} * {j}\n    for attempt in range(retries):\n        total += attempt * {i + j}\n    return total"
            for j in range(3)
        )
        (root / f"mod_{i:04d}.py").write_text(body + "\n")


def test_sigkill_at_any_moment_leaves_a_consistent_resumable_index(tmp_path: Path, tiny_bloom: Path) -> None:
    root = tmp_path / "big"
    root.mkdir()
    _make_big_repo(root)
    catalog = root / ".codesearch" / "catalog.sqlite"

    def embedded() -> int:
        try:
            with sqlite3.connect(f"file:{catalog}?mode=ro", uri=True, timeout=5) as db:
                return db.execute("SELECT count(*) FROM embeddings WHERE model NOT LIKE '%#static%'").fetchone()[0]  # the model's own
        except sqlite3.Error:
            return 0

    seen_counts = []
    for threshold in (1, 300, 700):  # kill once some, more, most embeddings are committed
        cmd = [sys.executable, "-c", "from codesearch.cli import main; main()", "index", "-q", "--model", str(tiny_bloom), str(root)]
        proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        try:
            wait_for(lambda t=threshold, p=proc: embedded() >= t or p.poll() is not None, timeout=120, interval=0.01)
        finally:
            proc.send_signal(signal.SIGKILL)
            proc.wait()
        seen_counts.append(embedded())
        if catalog.exists():
            _consistent(root)
    assert seen_counts[0] < 1200, "the first kill came too late to test anything"
    before = embedded()
    final = cli_run("index", "--json", "--model", str(tiny_bloom), str(root))
    assert final.returncode == 0, final.stderr
    report = json.loads(final.stdout)
    assert report["functions_total"] == 1200
    assert report["functions_embedded"] == 1200 - before  # finished work was not redone
    functions, embeddings = _consistent(root)
    assert (functions, embeddings) == (1200, 1200)
    store = Store.open(root, Config())
    assert store.vectors().labels == set(store.catalog.function_ids())  # every function has its vector now
    store.close()
    vec = np.frombuffer(sqlite3.connect(catalog).execute("SELECT vector FROM embeddings LIMIT 1").fetchone()[0], dtype="<f4")
    assert abs(float(np.linalg.norm(vec)) - 1) < 1e-4


def test_damaged_catalog_is_reported_and_rebuild_recovers(sample_repo: Path, tiny_bloom: Path) -> None:
    assert cli_run("index", "-q", "--model", str(tiny_bloom), str(sample_repo)).returncode == 0
    catalog = sample_repo / ".codesearch" / "catalog.sqlite"
    for extra in ("-wal", "-shm"):
        Path(str(catalog) + extra).unlink(missing_ok=True)
    catalog.write_bytes(b"this is not a database" * 100)
    broken = cli_run("query", "anything", cwd=sample_repo)
    assert broken.returncode == 2 and "--rebuild" in broken.stderr and "Traceback" not in broken.stderr
    fixed = cli_run("index", "--json", "--rebuild", "--model", str(tiny_bloom), str(sample_repo))
    assert fixed.returncode == 0, fixed.stderr
    assert json.loads(fixed.stdout)["functions_total"] == 14
    assert list((sample_repo / ".codesearch").glob("catalog.sqlite.damaged-*"))  # kept, not deleted


def test_first_index_takes_the_most_recently_modified_files_first(sample_repo: Path, tiny_embedder, monkeypatch) -> None:
    import codesearch.sync.indexer as indexer_module

    newest = sorted(p for p in sample_repo.rglob("*.py") if "vendor" not in p.parts)[-1]
    future = time.time() + 3600
    os.utime(newest, (future, future))
    monkeypatch.setattr(indexer_module, "FILES_PER_BATCH", 1)
    store = Store.create(sample_repo, Config())
    try:
        indexer = Indexer(store, tiny_embedder)

        def stop_after_first_commit(state) -> None:
            if state.phase == "indexing" and state.files_done >= 1:
                indexer.cancelled.set()

        indexer.progress = stop_after_first_commit
        with store.lock:
            indexer.sync()
        assert list(store.catalog.files()) == [newest.relative_to(sample_repo).as_posix()]
    finally:
        store.close()


class _GatedEmbedder:
    """The tiny BLOOM, but documents wait for the test to open the gate (and record what was asked first)."""

    def __init__(self, inner, gate) -> None:
        self.inner, self.gate, self.calls = inner, gate, []
        self.model_id, self.dim, self.max_length = inner.model_id, inner.dim, inner.max_length
        self.legacy_length, self.vector_precision = inner.legacy_length, inner.vector_precision

    def embed_documents(self, texts, progress=None):
        self.calls.append(list(texts))
        assert self.gate.wait(60), "the test never opened the gate"
        return self.inner.embed_documents(texts)

    def embed_queries(self, texts, progress=None):
        return self.inner.embed_queries(texts)

    def fast_queries(self) -> bool:
        return False


def _served_coverage(reader, root: Path) -> None:
    """A warm server says how much is embedded, and the console script's stdlib-only path prints it."""
    import subprocess
    import sys
    import threading

    from codesearch.serve.client import ask_server
    from codesearch.serve.server import SearchServer

    server = SearchServer(reader)
    serving = threading.Thread(target=server.serve_forever, daemon=True)
    serving.start()
    try:
        reply = wait_for(lambda: ask_server(reader.folder, {"query": "job 7", "k": 2, "mode": "hybrid"}), timeout=60)
        assert {k: reply["coverage"][k] for k in ("embedded", "functions", "static")} == {"embedded": 0, "functions": 120,
                                                                                          "static": 0}  # a model with no static tier
        fast = subprocess.run([sys.executable, "-m", "codesearch", "query", "-k", "2", "job 7"], cwd=root,
                              capture_output=True, text=True, timeout=120)
        assert fast.returncode == 0 and server.answered == 2, fast.stderr
        assert "semantic: 0 % indexed (0 of 120 units" in fast.stderr
        lexical = subprocess.run([sys.executable, "-m", "codesearch", "query", "--mode", "lexical", "job 7"], cwd=root,
                                 capture_output=True, text=True, timeout=120)
        assert server.answered == 3 and "semantic:" not in lexical.stderr  # lexical answers are whole already
    finally:
        server.shutdown()
        serving.join(30)


def test_first_index_answers_lexically_before_embedding_and_reports_coverage(tmp_path: Path, tiny_embedder, tiny_bloom) -> None:
    import threading

    from codesearch.engine import Index
    from codesearch.query import Query

    from conftest import cli_run

    root = tmp_path / "first"
    root.mkdir()
    for i in range(30):
        (root / f"m{i:02d}.py").write_text("".join(f"def job_{i}_{j}(x):\n    return x * {j}\n\n" for j in range(4)))
        os.utime(root / f"m{i:02d}.py", ns=(10**18 + i * 10**9, 10**18 + i * 10**9))
    gate = threading.Event()
    embedder = _GatedEmbedder(tiny_embedder, gate)
    writer = Index.create(root, Config(), embedder=embedder)
    syncing = threading.Thread(target=writer.sync, daemon=True)
    syncing.start()
    try:
        wait_for(lambda: embedder.calls, timeout=60)  # the model is asked only once everything is committed
        with Index.open(root, Config(), embedder=tiny_embedder) as reader:
            assert reader.coverage()[:2] == (0, 120)
            assert [h.name for h in reader.search(Query("job_7_2", k=1, mode="lexical"))] == ["job_7_2"]
            _served_coverage(reader, root)
        assert any("job_29_" in t for t in embedder.calls[0])  # the most recently changed file is embedded first
        result = cli_run("query", "--json", "-k", "3", "job 7", cwd=root)
        assert result.returncode == 0, result.stderr
        assert "semantic: 0 % indexed" in result.stderr and json.loads(result.stdout)
        status = json.loads(cli_run("status", "--json", cwd=root).stdout)
        assert (status["embedded"], status["functions"]) == (0, 120)
    finally:
        gate.set()
        syncing.join(60)
        writer.close()
    status = json.loads(cli_run("status", "--json", cwd=root).stdout)
    assert (status["embedded"], status["functions"], status["embed_eta_seconds"]) == (120, 120, 0.0)
    assert "semantic:" not in cli_run("query", "--json", "job 7", cwd=root).stderr
    _consistent(root)


def test_an_index_from_before_unit_kinds_is_read_again_once(sample_repo: Path, tiny_embedder) -> None:
    """An older index (functions only, the schema before unit kinds) gains the new unit kinds on its next sync, says why once,
    and keeps the vectors of its unchanged functions."""
    from codesearch.store.catalog import REREAD_NOTE

    _sync(sample_repo, tiny_embedder)
    store = Store.open(sample_repo, Config())
    db = store.catalog.db
    old = {r[0] for r in db.execute("SELECT id FROM functions WHERE kind IN ('function', 'method', 'constructor')")}
    new_kinds = [r[0] for r in db.execute("SELECT id FROM functions WHERE kind NOT IN ('function', 'method', 'constructor')")]
    worth_a_vector = db.execute("SELECT count(*) FROM functions WHERE kind NOT IN ('function', 'method', 'constructor') "
                                "AND text_hash NOT LIKE '-%'").fetchone()[0]
    assert new_kinds, "the sample repository has module code and types"
    with store.catalog.transaction():
        store.catalog.delete_functions(new_kinds)  # what an index made before unit kinds held
    db.execute("ALTER TABLE static_stats DROP COLUMN whitening")  # what migration 6 adds
    db.execute("PRAGMA user_version = 4")  # the schema before unit kinds (migration 5)
    store.close()
    migrated = _sync(sample_repo, tiny_embedder)
    assert migrated.notes == [REREAD_NOTE] and migrated.files_changed == migrated.files_scanned
    from codesearch.cli.commands import _sync_line

    assert _sync_line(migrated).endswith("\nnote: " + REREAD_NOTE)  # what `watch` and `serve` print
    assert migrated.functions_total == len(old) + len(new_kinds)
    assert migrated.functions_embedded == worth_a_vector  # unchanged functions kept their vectors
    store = Store.open(sample_repo, Config())
    assert old <= set(store.catalog.function_ids())
    store.close()
    again = _sync(sample_repo, tiny_embedder)
    assert (again.notes, again.files_changed, again.functions_embedded) == ([], 0, 0)
    _consistent(sample_repo)


def test_loading_the_vectors_asks_only_for_units_that_have_one(sample_repo: Path, tiny_embedder) -> None:
    # units found by their words only (blocks, small bindings) never get a vector: each query process took them for
    # vectors the saved file lacked and asked the catalog for them again, 500 at a time (80 s a query on Rails)
    _sync(sample_repo, tiny_embedder)
    store = Store.open(sample_repo, Config())
    words_only = set(store.catalog.function_ids()) - set(store.catalog.embeddable_ids())
    assert words_only, "the sample repository has units found by their words only"
    index = store.vectors()
    assert not words_only & index.labels and store.unsaved_changes == 0
    store.close()


def test_a_file_left_out_for_its_size_is_named_with_what_reads_it(sample_repo: Path, tiny_embedder) -> None:
    """"skipped 1 too large" hid which file (picocli's whole library): the sync's note names it and the way to read it,
    and `status` lists it."""
    from codesearch.engine import Index

    (sample_repo / "web" / "bundle.js").write_text("var a=1;" * 3000 + "\n")
    with Index.create(sample_repo, Config(max_file_bytes=10_000), embedder=tiny_embedder) as index:
        report = index.sync()
        status = json.dumps(index.status())
    assert any("web/bundle.js" in note and "--max-file-bytes" in note for note in report.notes)
    assert "web/bundle.js" in status


def test_source_files_in_languages_it_does_not_read_are_counted_by_index_and_status(tmp_path: Path,
                                                                                     tiny_bloom: Path) -> None:
    """msgpack's real implementation (_packer.pyx, _unpacker.pyx, its .h files) and wrapt's 3,240-line _wrappers.c were
    never indexed, and `index` said only "22 files scanned": a new user thought the code was searched (probe 94).
    `index` and `status` now count the source files no supported language reads, by extension, most first; docs and
    data are no such files, and the walker's ignore rules hold (.gitignore, vendored folders)."""
    from codesearch.languages import titles

    files = {"pkg/core.py": "def pack(obj):\n    return bytes(obj)\n", "pkg/_packer.pyx": "cdef class Packer:\n    pass\n",
             "src/wrappers.c": "int wrap(void) { return 0; }\n", "src/wrappers.h": "int wrap(void);\n",
             "include/api.h": "#define API 1\n", "README.md": "# pkg\n", "data.json": "{}\n", ".gitignore": "build/\n*_pb.c\n",
             "build/generated.c": "int gen;\n", "src/msg_pb.c": "int msg;\n", "node_modules/dep/dep.c": "int dep;\n"}
    for rel, text in files.items():
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text(text)
    indexed = cli_run("index", "--model", str(tiny_bloom), cwd=tmp_path)
    assert indexed.returncode == 0, indexed.stderr
    said = f"2 .h, 1 .c, 1 .pyx (codesearch reads {titles()})"  # the languages read: the registry's
    assert f"\nnot read: {said}\n" in indexed.stdout
    status = json.loads(cli_run("status", "--json", cwd=tmp_path).stdout)
    assert status["not_read"] == {".h": 2, ".c": 1, ".pyx": 1}
    assert list(status["not_read"]) == [".h", ".c", ".pyx"]  # most first
    assert f"\nnot read:    {said}\n" in cli_run("status", cwd=tmp_path).stdout
    from codesearch.languages import unread_extension  # grammars and interfaces are code too (qdox, go-plugin: probe 202)
    assert [unread_extension(p) for p in ("src/grammar/parser.y", "src/lexer.flex", "api.proto", "Java.g4")] == [
        ".y", ".flex", ".proto", ".g4"]


def test_index_names_the_few_source_files_ignore_rules_left_out(tmp_path: Path, tiny_bloom: Path) -> None:
    """filelock: "skipped 1 ignored", and no word of which (its git-ignored version.py: probes 182, 183); up to three
    are named, more only counted."""
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "lock.py").write_text("def acquire(path):\n    return open(path)\n")
    (tmp_path / "src" / "version.py").write_text("__version__ = '1.0'\n")
    (tmp_path / ".gitignore").write_text("src/version.py\ngen/\n*_pb2.py\n")
    for i in range(4):
        (tmp_path / "src" / f"m{i}_pb2.py").write_text(f"X{i} = {i}\n")
    few = cli_run("index", "-q", "--model", str(tiny_bloom), str(tmp_path))
    assert few.returncode == 0 and "skipped 5 ignored" in few.stdout and "version.py" not in few.stdout, few.stdout
    for i in range(4):
        (tmp_path / "src" / f"m{i}_pb2.py").unlink()
    one = cli_run("index", "-q", "--model", str(tiny_bloom), str(tmp_path))
    assert "skipped 1 ignored (src/version.py)" in one.stdout, one.stdout
