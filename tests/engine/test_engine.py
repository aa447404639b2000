"""The engine front door: one settings resolver, one model check, one client, and each drift it fixed."""

from __future__ import annotations

import ast
import json
import socket
import sqlite3
import subprocess
import sys
import threading
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from codesearch.search import searcher as search_module
from codesearch.cli import cli
from codesearch.serve.client import run_query
from codesearch.config import DEFAULT_MODEL, Config
from codesearch.engine import Index
from codesearch.errors import IndexLockedError, IndexMismatchError, UsageError
from codesearch.query import Query, QueryError
from codesearch.serve.protocol import tcp_endpoint
from codesearch.serve.server import SearchServer
from codesearch.store.folder import Store

from conftest import wait_for

PACKAGE = Path(__file__).parent.parent / "codesearch"


@pytest.fixture
def built(sample_repo: Path, tiny_embedder) -> Path:
    """The sample repository indexed (through the engine) with the tiny BLOOM."""
    with Index.create(sample_repo, Config(), embedder=tiny_embedder) as index:
        index.sync()
    return sample_repo


def invoke(args: list[str], cwd: Path, monkeypatch, env: dict | None = None):
    """The real click CLI in this process (no interpreter start), from a working directory."""
    monkeypatch.chdir(cwd)
    for key, value in (env or {}).items():
        monkeypatch.setenv(key, value)
    return CliRunner().invoke(cli, args, catch_exceptions=True)


# -- settings -------------------------------------------------------------------------------------
def test_resolve_flags_over_environment_over_defaults() -> None:
    env = {"CODESEARCH_MODEL": "minilm", "CODESEARCH_MAX_FILE_BYTES": "2048", "CODESEARCH_THREADS": "3",
           "CODESEARCH_EXACT_QUERIES": "yes"}
    cfg = Config.resolve({"model": "udever-1b1", "device": None}, env)
    assert (cfg.model, cfg.max_file_bytes, cfg.threads, cfg.exact_queries, cfg.device) == ("udever-1b1", 2048, 3, True, None)
    assert Config.resolve({}, {}).max_file_bytes == Config().max_file_bytes
    with pytest.raises(UsageError, match="CODESEARCH_THREADS"):
        Config.resolve({}, {"CODESEARCH_THREADS": "many"})


def test_a_setting_with_fixed_values_names_them_when_given_another() -> None:
    assert Config.resolve(environ={"CODESEARCH_STATIC_PRECISION": " FP32 "}).static_precision == "fp32"
    with pytest.raises(UsageError, match=r"CODESEARCH_STATIC_PRECISION='fp16' is not one of int8, fp32"):
        Config.resolve(environ={"CODESEARCH_STATIC_PRECISION": "fp16"})


def test_the_precision_is_validated_through_the_choices_and_quantize_is_its_older_name() -> None:
    from codesearch.config import CHOICES

    assert CHOICES["precision"] == ("fp32", "int8")
    assert Config.resolve(environ={"CODESEARCH_PRECISION": " INT8 "}).precision == "int8"
    assert Config.resolve(environ={"CODESEARCH_QUANTIZE": "int8"}).precision == "int8"  # the older name still works
    assert Config.resolve(environ={"CODESEARCH_QUANTIZE": "int8", "CODESEARCH_PRECISION": "fp32"}).precision == "fp32"
    assert Config.resolve({"precision": "fp32"}, {"CODESEARCH_PRECISION": "int8"}).precision == "fp32"  # a flag wins
    assert Config.resolve(environ={}).precision is None  # the default: embed.embedding.precision_for
    for environ in ({"CODESEARCH_PRECISION": "fp16"}, {"CODESEARCH_QUANTIZE": "int4"}):
        with pytest.raises(UsageError, match=r"='(fp16|int4)' is not one of fp32, int8"):
            Config.resolve(environ=environ)
    with pytest.raises(UsageError, match="precision 'bf16' is not one of fp32, int8"):
        Config.resolve({"precision": "bf16"}, {})


def test_model_name_precedence_flag_env_record_default() -> None:
    assert Config.resolve({"model": "flag-model"}, {"CODESEARCH_MODEL": "env-model"}).model_name("rec") == "flag-model"
    assert Config.resolve({}, {"CODESEARCH_MODEL": "env-model"}).model_name("rec") == "env-model"
    assert Config.resolve({}, {}).model_name("recorded/model") == "recorded/model"
    assert Config.resolve({}, {}).model_name(None) == DEFAULT_MODEL


def test_only_config_reads_codesearch_environment_variables() -> None:
    readers = []
    for path in PACKAGE.rglob("*.py"):
        if "CODESEARCH_" in path.read_text() and path.name != "config.py":
            text = path.read_text()
            if "environ" in text and "CODESEARCH_" in text.split("environ", 1)[1][:200]:
                readers.append(path.name)
    assert readers == []


def test_the_library_imports_no_surface() -> None:
    surfaces = ("cli", "tui", "mcp", "benchmarks")
    offenders = []
    for path in PACKAGE.glob("*.py"):  # the library: every module outside cli/ (tui/ is installed as codesearch.tui)
        for node in ast.walk(ast.parse(path.read_text())):
            names = []
            if isinstance(node, ast.ImportFrom):
                names = [(node.module or "")] if node.level == 0 else [node.module or ""]
                names = [n.removeprefix("codesearch.") for n in names]
            elif isinstance(node, ast.Import):
                names = [a.name.removeprefix("codesearch.") for a in node.names]
            if any(n.split(".")[0] in surfaces for n in names) and path.name != "__main__.py":
                offenders.append(f"{path.name}: {names}")
    assert offenders == []
    code = "import sys, codesearch.engine, codesearch.serve.server; print([m for m in sys.modules if m.split('.')[:2] in (['codesearch', 'cli'], ['codesearch', 'tui']) or m.split('.')[0] in ('textual', 'click')])"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


# -- the index folder -----------------------------------------------------------------------------
def test_relative_index_dir_is_found_from_a_subfolder(sample_repo: Path, tiny_bloom: Path, monkeypatch) -> None:
    env = {"CODESEARCH_INDEX_DIR": "idx"}
    result = invoke(["index", "-q", "--model", str(tiny_bloom)], sample_repo, monkeypatch, env)
    assert result.exit_code == 0, result.output
    assert (sample_repo / "idx" / "catalog.sqlite").is_file() and not (sample_repo / "lib" / "idx").exists()
    result = invoke(["query", "--json", "-k", "2", "--mode", "lexical", "retry request"], sample_repo / "lib", monkeypatch, env)
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)[0]["name"] == "RetryRequest"
    status = invoke(["status", "--json", "--index-dir", "idx"], sample_repo / "api", monkeypatch)
    assert status.exit_code == 0, status.output
    assert json.loads(status.stdout)["index_dir"] == str((sample_repo / "idx").resolve())


def test_the_index_summary_says_how_many_units_get_vectors(sample_repo: Path, tiny_bloom: Path, monkeypatch) -> None:
    """`index` said "315 units found, 165 embedded" and `status` "embedded 195 of 195" (sqlx): units too small for a
    vector and vectors from the cache were not told apart."""
    args = ["index", "--model", str(tiny_bloom)]
    first = invoke(args, sample_repo, monkeypatch)
    again = invoke(args, sample_repo, monkeypatch)
    with Index.open(sample_repo, Config(model=str(tiny_bloom))) as index:
        covered = index.coverage()
        total = index.counts()[1]
    assert covered.embedded == covered.functions < total
    for result, now in ((first, covered.functions), (again, 0)):
        assert result.exit_code == 0, result.output
        # ("2 with one" said nothing of what it counted: probe 242)
        assert (f"{total} units found ({covered.functions} large enough for a vector, {covered.embedded} of them "
                f"embedded: {now} now, the rest kept or cached)") in result.output
    status = invoke(["status"], sample_repo, monkeypatch).output  # "232 of 232" beside 308 units read as a loss
    assert f"{total - covered.functions} smaller units are found by their words" in status, status


def test_a_recorded_root_does_not_move_an_in_tree_index(built: Path) -> None:
    db = sqlite3.connect(built / ".codesearch" / "catalog.sqlite")
    db.execute("UPDATE meta SET value = '/' WHERE key = 'root'")
    db.commit()
    db.close()
    with Index.open(built / "lib", Config()) as index:
        assert index.root == built.resolve()


# -- the model ------------------------------------------------------------------------------------
def test_model_mismatch_is_refused_before_loading_weights(built: Path) -> None:
    with pytest.raises(IndexMismatchError, match="--rebuild"):
        Index.create(built, Config(model="someone/not-downloaded"))  # no download attempted: the error comes first
    with Index.open(built, Config(model="udever-7b1")) as index:
        with pytest.raises(IndexMismatchError, match="drop --model"):
            index.search(Query("retry", mode="semantic"))


def test_recorded_model_is_used_when_none_is_asked_for(built: Path, tiny_bloom: Path) -> None:
    with Index.open(built, Config()) as index:
        assert index.model_name == str(tiny_bloom.resolve())
        assert index.search(Query("retry the request", k=3, mode="semantic"))


def test_precision_and_device_flags_reach_the_model(tiny_bloom: Path, monkeypatch, tmp_path: Path) -> None:
    plain = invoke(["embed", "--json", "--precision", "fp32", "--model", str(tiny_bloom), "parse a file"], tmp_path, monkeypatch)
    int8 = invoke(["embed", "--json", "--precision", "int8", "--model", str(tiny_bloom), "parse a file"], tmp_path, monkeypatch)
    older = invoke(["embed", "--json", "--quantize", "int8", "--model", str(tiny_bloom), "parse a file"], tmp_path, monkeypatch)
    env_int8 = invoke(["embed", "--json", "--model", str(tiny_bloom), "parse a file"], tmp_path, monkeypatch,
                      {"CODESEARCH_PRECISION": "int8"})
    a, b, c, d = (np.array(json.loads(r.stdout)[0]) for r in (plain, int8, older, env_int8))
    assert not np.allclose(a, b, atol=1e-7) and float(a @ b) > 0.95  # quantised: close, not equal
    assert np.allclose(b, c) and np.allclose(b, d)  # --quantize int8 and the environment mean the same as the flag
    cuda = invoke(["embed", "--device", "cuda", "--model", str(tiny_bloom), "x"], tmp_path, monkeypatch)
    assert cuda.exit_code != 0 and "CUDA is not available" in str(cuda.exception)


# -- searching ------------------------------------------------------------------------------------
def test_queries_are_validated_in_one_place() -> None:
    for bad in (dict(text=" "), dict(text="x", k=0), dict(text="x", k=True), dict(text="x", mode="fuzzy"),
                dict(text="x", languages="go")):
        with pytest.raises(QueryError):
            Query(**bad)
    q = Query.from_request({"query": "retry", "k": 4, "languages": ["Go"], "path": "", "mode": "lexical"})
    assert (q.k, q.languages, q.path_glob) == (4, ("go",), None)
    assert Query.from_request(q.to_request()) == q


def test_filtered_hnsw_search_above_the_exact_threshold(tmp_path: Path, tiny_embedder, monkeypatch) -> None:
    root = tmp_path / "many"
    (root / "py").mkdir(parents=True)
    for i in range(200):
        (root / "py" / f"m{i}.py").write_text(f"def fetch_{i}(url):\n    return get(url, retries={i})\n")
    monkeypatch.setattr(search_module, "EXACT_BELOW", 8)  # force the filtered HNSW path on a small index
    with Index.create(root, Config(), embedder=tiny_embedder) as index:
        index.sync()
        q = Query("fetch a url with retries", k=10, path_glob="py/m1*.py", mode="semantic")
        hits = index.search(q)
        allowed = [fid for fid, path, _, _ in index.store.catalog.function_paths() if path.startswith("py/m1")]
        ids, matrix = index.store.catalog.vectors_for(index.store.model_id, allowed, index.store.dim)
        qv = tiny_embedder.embed_queries([q.text])[0]
        exact = [int(ids[i]) for i in np.argsort(-(matrix @ qv))[:10]]
    assert len(hits) == 10 and all(h.path.startswith("py/m1") for h in hits)
    assert len(set(h.id for h in hits) & set(exact)) >= 9  # HNSW under a filter, checked against brute force


# -- long-lived processes -------------------------------------------------------------------------
def _serve(index: Index, port: int | None = None) -> tuple[SearchServer, threading.Thread]:
    server = SearchServer(index, port)
    ready = threading.Event()
    thread = threading.Thread(target=server.serve_forever, kwargs={"ready": lambda where: ready.set()}, daemon=True)
    thread.start()
    assert ready.wait(30)
    return server, thread


def test_client_answer_comes_from_the_server(built: Path, tiny_embedder) -> None:
    index = Index.open(built, Config(), embedder=tiny_embedder)
    server, thread = _serve(index)
    try:
        root, via_server, _ = run_query(built / "lib", Config(), Query("retry request", k=5))
        assert server.answered == 1 and root == built.resolve()
        _, in_process, _ = run_query(built, Config(), Query("retry request", k=5), use_server=False)
        assert server.answered == 1
        assert [h.id for h in via_server] == [h.id for h in in_process]
        assert via_server[0].qualified_name == "RetryRequest"
    finally:
        server.shutdown()
        thread.join(10)
        index.close()
    assert not (built / ".codesearch" / "server.json").exists()


def test_server_reports_a_bad_request_in_one_line(built: Path, tiny_embedder) -> None:
    index = Index.open(built, Config(), embedder=tiny_embedder)
    server, thread = _serve(index, port=0)
    try:
        host, port, token = tcp_endpoint(index.folder)
        assert host == "127.0.0.1"  # --port listens on loopback only
        with socket.create_connection((host, port), timeout=10) as sock:
            sock.sendall(json.dumps({"query": "x", "k": -3, "token": token}).encode() + b"\n")
            reply = json.loads(sock.makefile().readline())
        assert reply["error"].startswith("bad request: k must be") and reply["kind"] == "bad_request"
        with socket.create_connection((host, port), timeout=10) as sock:
            sock.sendall(json.dumps({"query": "retry request", "k": 2, "mode": "lexical", "token": token}).encode() + b"\n")
            reply = json.loads(sock.makefile().readline())
        assert [h["name"] for h in reply["hits"]][:1] == ["RetryRequest"]
    finally:
        server.shutdown()
        thread.join(10)
        index.close()


def test_close_stops_the_watcher_and_frees_the_writer_lock(built: Path, tiny_embedder) -> None:
    index = Index.open_or_create(built / "lib", Config(), embedder=tiny_embedder)
    index.watch()
    assert index.watching
    with pytest.raises(IndexLockedError):
        Store.create(built, Config()).lock.acquire()
    writer = index._writer
    index.close()
    assert not index.watching
    with pytest.raises(sqlite3.ProgrammingError):  # every connection the index opened is closed
        writer.catalog.db.execute("SELECT 1")
    with pytest.raises(sqlite3.ProgrammingError):
        index.store.catalog.db.execute("SELECT 1")
    other = Store.create(built, Config())
    other.lock.acquire()
    other.lock.release()
    other.close()


def test_close_during_the_first_sync_stops_it_cleanly(tmp_path: Path, tiny_embedder) -> None:
    root = tmp_path / "big"
    root.mkdir()
    for i in range(300):
        (root / f"m{i}.py").write_text("".join(f"def f_{i}_{j}(x):\n    return x + {j}\n\n" for j in range(5)))
    index = Index.create(root, Config(), embedder=tiny_embedder)
    started = threading.Thread(target=lambda: index.watch(), daemon=True)
    started.start()
    wait_for(lambda: index._starting is not None)
    index.close()
    started.join(60)
    assert not started.is_alive()
    with Index.open(root, Config(), embedder=tiny_embedder) as again:  # what was committed is consistent
        files, functions = again.counts()
        assert functions == 5 * files and files < 300


def test_warm_up_loads_the_model_and_the_vector_index(built: Path, tiny_bloom: Path) -> None:
    """A server's first query waits for neither: both are in memory once warm_up returns."""
    from codesearch.embed.embedding import load_embedder

    own = load_embedder(str(tiny_bloom), Config(max_length=128))  # warming up gives it an int8 query copy: not the shared one
    with Index.open(built, Config(), embedder=own) as index:
        assert not index.model_loaded and index.store.loaded_vectors() is None
        index.warm_up()
        assert index.model_loaded and index.store.loaded_vectors() is not None
        assert index.coverage()[:2] == (len(index.store.loaded_vectors()), index.store.catalog.embeddable_count())


def test_a_first_index_answers_by_words_while_the_model_loads(tmp_path: Path, tiny_bloom: Path) -> None:
    """The weights load during the lexical pass, not before it: here the compute thread is held busy,
    so the load cannot finish, and the repository must be searchable by words all the same."""
    from codesearch.embed import compute

    from conftest import write_modules

    repo = write_modules(tmp_path / "repo", files=3, per_file=4)
    holding, release = threading.Event(), threading.Event()
    holder = threading.Thread(target=compute.run, args=(lambda: (holding.set(), release.wait(120)),), daemon=True)
    holder.start()
    assert holding.wait(30)
    cfg = Config(model=str(tiny_bloom))
    phases: list[str] = []
    result: dict = {}
    with Index.create(repo, cfg) as index:
        syncing = threading.Thread(target=lambda: result.update(report=index.sync(on_progress=lambda p: phases.append(p.phase))))
        syncing.start()
        try:
            wait_for(lambda: "loading" in phases, timeout=60)  # the lexical pass is done; the model is not
            assert not index.model_loaded
            with Index.open(repo, Config()) as reader:
                hits = reader.search(Query("job_1_2", k=3, mode="lexical"))
            assert hits and hits[0].name == "job_1_2"
        finally:
            release.set()
            syncing.join(120)
        assert result["report"].functions_embedded == 12 and index.model_loaded
        assert index.search(Query("job", k=3, mode="semantic"))


def test_weights_that_fail_to_load_leave_the_words_index(tmp_path: Path, tiny_bloom: Path) -> None:
    """A broken checkpoint is one clear error, after the repository was already made searchable by words."""
    import shutil

    from conftest import cli_run, write_modules

    broken = tmp_path / "broken-model"
    shutil.copytree(tiny_bloom, broken)
    (broken / "model.safetensors").write_bytes(b"not a safetensors file")
    repo = write_modules(tmp_path / "repo", files=2, per_file=3)
    done = cli_run("index", str(repo), "--model", str(broken), cwd=repo)
    assert done.returncode != 0
    lines = [line for line in done.stderr.splitlines() if "error" in line]
    assert len(lines) == 1 and "broken-model" in lines[0] and "Traceback" not in done.stderr
    found = cli_run("query", "--mode", "lexical", "--json", "job_1_2", cwd=repo)
    assert found.returncode == 0, found.stderr
    assert json.loads(found.stdout)[0]["name"] == "job_1_2"


@pytest.mark.parametrize("mode", ["lexical", "hybrid"])
def test_kind_filter(built: Path, tiny_embedder, mode: str) -> None:
    """`Query.kinds` keeps only units of those kinds, in every mode, through the socket protocol too."""
    with Index.open(built, Config(), embedder=tiny_embedder) as index:
        every = index.search(Query("cart mailer config json", k=50, mode=mode))
        types = index.search(Query("cart mailer config json", k=50, mode=mode, kinds=("type",)))
        modules = index.search(Query("import json", k=50, mode=mode, kinds=["module"]))
        assert {h.kind for h in every} > {"type"} and types and {h.kind for h in types} == {"type"}
        assert {h.qualified_name for h in types} <= {"Cart", "Mailer", "Util"}
        assert modules and {h.kind for h in modules} == {"module"}
    assert Query.from_request(Query("x", kinds=("type", "block")).to_request()).kinds == ("type", "block")


@pytest.mark.parametrize("mode", ["lexical", "hybrid"])
def test_types_asked_for_are_met_in_declaration_files_too(tmp_path, tiny_embedder, mode) -> None:
    """ioredis ships its interfaces in .d.ts files only: `--kind type "cluster options"` put class Cluster above the
    ClusterOptions interface, held down as a declaration file's. An interface no code defines is where its type is
    (kleur's Kleur, probe 90): it is not held down, with or without the filter (a declared class its JavaScript
    defines is: tests/search/test_ranking.py)."""
    (tmp_path / "built").mkdir()
    (tmp_path / "built" / "Cluster.js").write_text("class Cluster {\n  // the cluster options, merged: cluster options win\n"
                                                  "  connect(options) {\n    return merge(this.options, options);\n  }\n}\n"
                                                  "module.exports = Cluster;\n")
    (tmp_path / "built" / "ClusterOptions.d.ts").write_text(
        "export interface ClusterOptions {\n  /** How long to wait for the cluster. */\n  timeout?: number;\n"
        "  /** Options for each node. */\n  redisOptions?: object;\n}\n")
    with Index.create(tmp_path, Config(), embedder=tiny_embedder) as index:
        index.sync()
        types = index.search(Query("cluster options", k=5, mode=mode, kinds=("type",)))
        every = index.search(Query("cluster options", k=5, mode=mode))
    assert types[0].qualified_name == "ClusterOptions" and "non_main" not in types[0].signals
    assert "non_main" not in next(h for h in every if h.qualified_name == "ClusterOptions").signals


def test_a_class_without_a_vector_is_met_by_meaning_under_a_kind_filter(tmp_path, tiny_embedder) -> None:
    """commander: `--kind class "error thrown for invalid argument"` put typings' Command first; InvalidArgumentError,
    a class that only holds its constructor, has no vector, so meaning never met it. Under a kind filter a bare type
    stands in meaning as its best member."""
    (tmp_path / "error.js").write_text("class InvalidArgumentError extends Error {\n  constructor(message) {\n"
                                      "    super(message);\n    this.code = 'invalidArgument';\n  }\n}\n")
    fields = "".join(f"  field{i} = {i};\n" for i in range(12))
    (tmp_path / "big.js").write_text(f"class Settings {{\n{fields}}}\n")
    with Index.create(tmp_path, Config(), embedder=tiny_embedder) as index:
        index.sync()
        types = index.search(Query("error thrown for invalid argument", k=5, mode="semantic", kinds=("type",)))
        methods = index.search(Query("error thrown for invalid argument", k=5, mode="semantic", kinds=("constructor",)))
    by_name = {h.qualified_name: h for h in types}
    assert set(by_name) == {"InvalidArgumentError", "Settings"}
    assert by_name["InvalidArgumentError"].semantic_score == pytest.approx(methods[0].semantic_score, abs=1e-5)
    # a Go struct's methods lie outside it, named by their receiver (go-cache's `cache`): they stand for it; a
    # struct without methods is met by meaning nowhere under the filter, and that says why
    (tmp_path / "error.js").unlink()
    (tmp_path / "big.js").unlink()
    (tmp_path / "store").mkdir()
    (tmp_path / "store" / "cache.go").write_text("package store\n\n// Cache holds items.\ntype Cache struct {\n"
                                                 "\titems map[string]int\n}\n")
    (tmp_path / "store" / "get.go").write_text("package store\n\nfunc (c *Cache) Get(k string) int {\n\treturn c.items[k]\n}\n")
    (tmp_path / "other").mkdir()
    (tmp_path / "other" / "cache.go").write_text("package other\n\nfunc (c *Cache) Put(k string) {\n\tprintln(k)\n}\n")
    with Index.open(tmp_path, Config(), embedder=tiny_embedder) as index:
        index.sync()
        types = index.search(Query("read an item", k=5, mode="semantic", kinds=("type",)))
        get = index.search(Query("read an item", k=5, mode="semantic", kinds=("method",)))
        assert [h.qualified_name for h in types] == ["Cache"]  # other/'s Put is another package's
        assert types[0].semantic_score == pytest.approx(next(h for h in get if h.name == "Get").semantic_score, abs=1e-5)
    for path in ("store/get.go", "other/cache.go"):
        (tmp_path / path).unlink()
    with Index.open(tmp_path, Config(), embedder=tiny_embedder) as index:
        index.sync()
        asked = Query("settings for the number of attempts", k=5, mode="semantic", kinds=("type",))
        assert index.search(asked) == [] and "--mode hybrid" in index.filter_note(asked)
        assert index.filter_note(Query("x", k=5, mode="hybrid", kinds=("type",))) is None


@pytest.mark.parametrize("flags,said", [
    (["--lang", "typescript"], "no indexed file is in typescript: this index holds go, java, javascript, php, python, ruby"),
    (["--path", "*.md"], "no indexed file matches --path '*.md'"),
    (["--lang", "go", "--path", "lib/**"], "no indexed unit passes all the filters at once")])
def test_filters_that_leave_nothing_to_search_say_so(built: Path, monkeypatch, flags, said) -> None:
    """`--lang php` on a Go repository and a `--path` glob matching no indexed file printed only "no results"."""
    result = invoke(["query", "cart", "--no-server", *flags], built, monkeypatch)
    assert "no results" in result.output and said in result.output
    with Index.open(built, Config()) as index:
        assert index.filter_note(Query("cart", languages=("go",))) is None  # a filter that leaves units says nothing


def test_kind_flag_on_the_command_line(built: Path, monkeypatch) -> None:
    result = invoke(["query", "cart", "--mode", "lexical", "--kind", "type", "--json", "--no-server"], built, monkeypatch)
    assert result.exit_code == 0, result.output
    hits = json.loads(result.output.strip().splitlines()[-1])
    assert hits and {h["kind"] for h in hits} == {"type"}
    classes = invoke(["query", "cart", "--mode", "lexical", "--kind", "class", "--json", "--no-server"], built, monkeypatch)
    assert classes.exit_code == 0 and json.loads(classes.output.strip().splitlines()[-1]) == hits  # a class is a type
    bad = invoke(["query", "cart", "--kind", "klass", "--no-server"], built, monkeypatch)
    assert bad.exit_code != 0 and "unknown kind 'klass'" in bad.output + str(bad.exception)


_CLOSE_WHILE_READING = """
import sys, threading, time
from pathlib import Path
from codesearch.config import Config
from codesearch.engine import Index
from codesearch.errors import CodesearchError
from codesearch.query import Query

outcomes = set()
for _ in range(25):
    index = Index.open(Path(sys.argv[1]), Config())
    done = threading.Event()

    def read() -> None:
        while not done.is_set():
            try:
                index.counts()
                index.search(Query(text="job sum", mode="lexical", k=10))
            except CodesearchError as exc:
                outcomes.add(str(exc).split(" at ")[0] + " " + str(exc).rsplit(" ", 1)[-1])
                return
    readers = [threading.Thread(target=read) for _ in range(3)]
    for reader in readers:
        reader.start()
    time.sleep(0.02)
    index.close()
    done.set()
    for reader in readers:
        reader.join()
print(sorted(outcomes))
"""


def test_closing_while_other_threads_read_waits_for_them_and_later_reads_say_closed(tmp_path: Path,
                                                                                   tiny_embedder) -> None:
    """The TUI closes its index on quit while a worker still counts or searches: close() freed the SQLite
    connection under a running read and the process died of a segmentation fault (CI, exit 139)."""
    from conftest import write_modules

    root = write_modules(tmp_path / "repo", files=40, per_file=8)
    with Index.create(root, Config(), embedder=tiny_embedder) as index:
        index.sync()
    run = subprocess.run([sys.executable, "-c", _CLOSE_WHILE_READING, str(root)], capture_output=True, text=True,
                         timeout=300)
    assert run.returncode == 0, (run.returncode, run.stderr[-2000:])
    assert run.stdout.strip() == "['the index closed']", run.stdout  # a read after close: one clear line
    assert "Traceback" not in run.stderr, run.stderr[-2000:]  # no thread died of a closed connection's error
