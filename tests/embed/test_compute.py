"""All torch work of a process runs on one thread (codesearch.embed.compute), except a query that would
otherwise wait behind a busy index."""

from __future__ import annotations

import threading

import pytest

from codesearch.embed import compute
from codesearch.config import Config


def _forward_threads(embedder) -> list[str]:
    """Names of the threads the model's first block runs on, recorded by a torch forward hook."""
    seen: list[str] = []
    for model in {id(m): m for m in (embedder.model, embedder.query_model) if m is not None}.values():
        model.h[0].self_attention.query_key_value.register_forward_hook(lambda *_: seen.append(threading.current_thread().name))
    return seen


def test_jobs_from_any_thread_run_on_one_thread_and_fail_as_they_would_here() -> None:
    names: list[str] = []
    callers = [threading.Thread(target=lambda: names.append(compute.run(lambda: threading.current_thread().name)))
               for _ in range(4)]
    for t in callers:
        t.start()
    for t in callers:
        t.join(30)
    names.append(compute.run(lambda: threading.current_thread().name))
    assert names == ["codesearch-compute"] * 5

    def broken() -> None:
        raise KeyError("missing")

    with pytest.raises(KeyError, match="missing"):
        compute.run(broken)
    assert compute.run(lambda: 41 + 1) == 42  # the thread survives a failed job
    assert compute.run(lambda: compute.run(lambda: "nested")) == "nested"  # no deadlock from the compute thread


def test_the_model_loads_and_runs_on_the_compute_thread_whoever_asks(tiny_bloom) -> None:
    from codesearch.embed.embedding import load_embedder

    embedder = load_embedder(str(tiny_bloom), Config(max_length=64))
    seen = _forward_threads(embedder)
    workers = [threading.Thread(target=embedder.embed_documents, args=(["def f(x):\n    return x"],), name=f"caller-{i}")
               for i in range(3)]
    for t in workers:
        t.start()
    for t in workers:
        t.join(60)
    embedder.embed_queries(["add two numbers"])
    assert seen and set(seen) == {"codesearch-compute"}


def test_a_query_does_not_wait_behind_a_busy_compute_thread(tiny_bloom) -> None:
    from codesearch.embed.embedding import load_embedder

    embedder = load_embedder(str(tiny_bloom), Config(max_length=64))
    seen = _forward_threads(embedder)
    release, running = threading.Event(), threading.Event()

    def long_batch() -> None:  # stands in for a watcher's batch of documents
        running.set()
        release.wait(60)

    blocker = threading.Thread(target=compute.run, args=(long_batch,))
    blocker.start()
    try:
        assert running.wait(30)
        got: list = []
        asker = threading.Thread(target=lambda: got.append(embedder.embed_queries(["add two numbers"])), name="asker")
        asker.start()
        asker.join(30)
        assert got and got[0].shape == (1, embedder.dim)  # answered while the compute thread was still busy
        assert seen == ["asker"]
        documents = threading.Thread(target=embedder.embed_documents, args=(["def g():\n    pass"],))
        documents.start()
        documents.join(1.0)
        assert documents.is_alive()  # documents queue behind the busy thread: they are not urgent
    finally:
        release.set()
        blocker.join(30)
    documents.join(60)
    assert seen == ["asker", "codesearch-compute"]


def test_a_forked_child_gets_a_compute_thread_of_its_own() -> None:
    import multiprocessing

    assert compute.run(lambda: 1) == 1  # the parent's thread exists before the fork
    with multiprocessing.get_context("fork").Pool(1) as pool:
        assert pool.apply_async(compute.run, (_thread_name,)).get(timeout=20) == "codesearch-compute"  # no hang


def _thread_name() -> str:
    return threading.current_thread().name


EXITING = """
import sys, threading, time
from codesearch.embed import compute
from codesearch.embed.embedding import load_embedder
from codesearch.config import Config

embedder = load_embedder(sys.argv[1], Config(max_length=64))
texts = [f"def f{i}(x):\\n    return x * {i} + {i}" for i in range(64)]
started = threading.Event()

def long_job():
    started.set()
    try:
        while True:
            embedder.embed_documents(texts)
    except compute.Stopped:
        print("stopped at exit", flush=True)  # on the compute thread, before the exit goes on

def caller():
    try:
        compute.run(long_job)
    except compute.Stopped:
        pass

threading.Thread(target=caller, daemon=True).start()
started.wait(60)
time.sleep(0.3)
sys.exit(0)
"""


def test_exiting_while_the_compute_thread_runs_a_forward_exits_cleanly(tiny_bloom) -> None:
    """Ctrl-C on `codesearch index` used to abort the process (status 134) from inside OpenMP."""
    import subprocess
    import sys

    for _ in range(2):  # the abort came about two exits in three
        proc = subprocess.run([sys.executable, "-c", EXITING, str(tiny_bloom)], capture_output=True, text=True, timeout=120)
        assert proc.returncode == 0 and "terminate called" not in proc.stderr, proc.stderr
        assert "stopped at exit" in proc.stdout  # the forward left torch at its next block


EXIT_DURING_LOAD = """
import atexit, importlib, sys, threading, time
from codesearch.embed import compute
cli_main = importlib.import_module("codesearch.cli.commands")
started, exiting = threading.Event(), threading.Event()
atexit.register(exiting.set)  # runs before compute's own atexit handler (last in, first out)

def load():
    started.set()
    import torch  # noqa: F401 - a model load's first step, seconds long
    import transformers  # noqa: F401
    print("load finished after exit began:", exiting.is_set(), flush=True)

threading.Thread(target=compute.run, args=(load,), daemon=True).start()
started.wait(60)
time.sleep(0.3)
sys.argv = ["codesearch", "--help"]
cli_main.main()
"""


def test_the_console_entry_point_lets_a_model_load_finish_before_exit_begins() -> None:
    """Ctrl-C during a first index's model load (torch half imported) printed finaliser tracebacks:
    torch's atexit handlers ran while its import went on. main() now waits for the compute thread
    before the exit starts."""
    import subprocess
    import sys

    proc = subprocess.run([sys.executable, "-c", EXIT_DURING_LOAD], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert "load finished after exit began: False" in proc.stdout, proc.stdout + proc.stderr
    assert "Traceback" not in proc.stderr and "Exception ignored" not in proc.stderr, proc.stderr


def test_an_int8_load_stops_between_blocks_once_the_process_is_exiting(tiny_bloom) -> None:
    """Ctrl-C during a first index's int8 load exits without quantising the rest of the model."""
    from codesearch.embed.weights import load_bloom_int8

    assert load_bloom_int8(tiny_bloom) is not None
    compute._stopping.set()
    try:
        with pytest.raises(compute.Stopped):
            load_bloom_int8(tiny_bloom)
    finally:
        compute._stopping.clear()
