"""Shared fixtures: isolated environment, sample repositories, and the tiny real BLOOM."""

from __future__ import annotations

import contextlib
import shutil
from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(scope="session", autouse=True)
def _isolated_session_env(tmp_path_factory):
    """The same isolation for session- and module-scoped fixtures, which run before per-test ones:
    no user secret, cache or model from the real home, and no network."""
    patch = pytest.MonkeyPatch()
    base = tmp_path_factory.getbasetemp()
    patch.setenv("XDG_CONFIG_HOME", str(base / "config"))
    patch.setenv("XDG_CACHE_HOME", str(base / "xdg-cache-session"))
    patch.setenv("HF_HOME", str(base / "hf_home"))
    patch.setenv("HF_HUB_OFFLINE", "1")
    patch.setenv("TRANSFORMERS_OFFLINE", "1")
    for var in ("CODESEARCH_MODEL", "CODESEARCH_INDEX_DIR", "CODESEARCH_DEVICE", "CODESEARCH_QUANTIZE", "CODESEARCH_PRECISION",
                "CODESEARCH_SHARED_CACHE", "CODESEARCH_AUTO_SERVE", "CODESEARCH_INCLUDE_TESTS", "CODESEARCH_THREADS",
                "CODESEARCH_CACHE_DIR", "CODESEARCH_MAX_MEMORY", "HF_ENDPOINT", "HF_TOKEN", "HF_HUB_CACHE"):
        patch.delenv(var, raising=False)
    yield
    patch.undo()


@pytest.fixture(autouse=True)
def _isolated_env(monkeypatch, tmp_path_factory):
    """Keep user settings and the network out of every test."""
    for var in ("CODESEARCH_MODEL", "CODESEARCH_INDEX_DIR", "CODESEARCH_DEVICE", "CODESEARCH_QUANTIZE", "CODESEARCH_PRECISION",
                "CODESEARCH_SHARED_CACHE", "CODESEARCH_CACHE_DIR", "CODESEARCH_MAX_MEMORY", "HF_ENDPOINT", "HF_TOKEN",
                "HF_HUB_CACHE"):
        monkeypatch.delenv(var, raising=False)
    # each test gets its own empty user cache dir, so the shared embedding cache never leaks between tests
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path_factory.mktemp("xdg-cache")))
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setenv("TRANSFORMERS_OFFLINE", "1")
    monkeypatch.setenv("HF_HOME", str(tmp_path_factory.getbasetemp() / "hf_home"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path_factory.getbasetemp() / "config"))  # the user secret


@pytest.fixture
def sample_repo(tmp_path) -> Path:
    """A copy of the small multi-language repository, with ignored files added."""
    root = tmp_path / "repo"
    shutil.copytree(FIXTURES / "sample_repo", root)
    (root / "vendor").mkdir()
    (root / "vendor" / "skip.py").write_text("def vendored():\n    return 1\n")
    (root / "web" / "lib.min.js").write_text("function minified(){return 1}\n")
    return root


@pytest.fixture(scope="session")
def tiny_bloom(tmp_path_factory) -> Path:
    """A tiny random BLOOM (2 layers) with a trained tokenizer that knows udever's markers."""
    from codesearch.models.random_models import build_random_udever

    sources = {".py", ".go", ".rb", ".java", ".js", ".php"}
    corpus = [p.read_text(encoding="utf-8") for p in sorted(FIXTURES.rglob("*")) if p.is_file() and p.suffix in sources]
    return build_random_udever(tmp_path_factory.mktemp("models") / "tiny-udever", "tiny", corpus * 4 + _words())


@pytest.fixture(scope="session")
def sharp_bloom(tiny_bloom: Path, tmp_path_factory) -> Path:
    """The tiny BLOOM with its block weights scaled to unit gain (std 1/sqrt(fan_in)).

    At the random init (std 0.02) attention adds ~3 % to the residual stream, too little for a
    wrong mask or a wrong query position to move the cosine past 1e-5; trained models attend sharply.
    """
    import torch
    from transformers import BloomModel

    folder = tmp_path_factory.mktemp("models") / "sharp-udever"
    shutil.copytree(tiny_bloom, folder)
    model = BloomModel.from_pretrained(str(folder))
    with torch.no_grad():
        for name, param in model.h.named_parameters():
            if param.dim() == 2:
                param.mul_(1 / (param.std() * param.shape[1] ** 0.5))
    model.save_pretrained(str(folder))
    return folder


def _words() -> list[str]:
    return ["retry failed http calls parse the configuration file send an email reverse a string"] * 20


def run_cli(*args: str, cwd: Path | None = None, env: dict | None = None, timeout: float = 300, preexec=None):
    """Run the real console entry point in a subprocess (preexec: run in the child first, as a ulimit)."""
    import os
    import subprocess
    import sys

    full_env = {**os.environ, **(env or {})}
    cmd = [sys.executable, "-c", "from codesearch.cli import main; main()", *args]
    return subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, timeout=timeout, env=full_env,
                          preexec_fn=preexec)


def mount(*args: str) -> None:
    """Run mount as root (CI runs as root); skip the test, saying why, where mounting is not allowed."""
    import os
    import subprocess

    if os.geteuid() != 0:
        pytest.skip("needs root to mount a small tmpfs / a read-only bind mount")
    result = subprocess.run(["mount", *args], capture_output=True, text=True)
    if result.returncode != 0:
        pytest.skip(f"mount not allowed here: {result.stderr.strip()}")


def umount(path: Path) -> None:
    import subprocess

    subprocess.run(["umount", "-l", str(path)], capture_output=True)


def cli_run(*args: str, cwd: Path | None = None, env: dict | None = None):
    """Run the real CLI (the same error handling as the console script) in this process.

    Returns what subprocess.run would (returncode, stdout, stderr), without starting an interpreter
    and importing torch again: use run_cli only where a separate process proves something.
    """
    import contextlib
    import subprocess
    import sys

    from click.testing import CliRunner

    from codesearch.cli import run

    runner = CliRunner()
    with contextlib.chdir(cwd or Path.cwd()), runner.isolation(env=env) as streams:
        code = run(list(args))
        sys.stdout.flush()
        sys.stderr.flush()
        out, err = streams[0].getvalue().decode(), streams[1].getvalue().decode()
    return subprocess.CompletedProcess(list(args), code, out, err)


@pytest.fixture(scope="session")
def tiny_bloom_with(tiny_bloom):
    """The tiny BLOOM loaded with Config settings (tiny_bloom_with(precision="int8"), (max_length=16)), once per
    distinct settings: tests that compare what two settings make share the loads."""
    from codesearch.embed.embedding import load_embedder
    from codesearch.config import Config

    loaded: dict[tuple, object] = {}

    def get(**settings):
        key = tuple(sorted(settings.items()))
        if key not in loaded:
            loaded[key] = load_embedder(str(tiny_bloom), Config(**settings))
        return loaded[key]
    return get


@pytest.fixture(scope="session")
def tiny_embedder(tiny_bloom_with):
    return tiny_bloom_with(max_length=128)


@pytest.fixture(scope="session")
def tiny_embedder_fp32(tiny_bloom_with):
    """The tiny BLOOM in fp32, for tests that check vectors exactly: int8 ones (the CPU default) move a little
    with the texts batched beside them (activations are scaled per batch)."""
    return tiny_bloom_with(max_length=128, precision="fp32")


def stored_vectors(index):
    """(unit ids, their model vectors in the catalog, their document texts) of every unit with a model vector."""
    from codesearch.parse.documents import document_text

    catalog = index.store.catalog
    ids, matrix = catalog.vectors_for(index.store.model_id, dim=index.store.dim)
    rows = catalog.get_functions([int(i) for i in ids])
    return ids, matrix, [document_text(rows[int(i)]) for i in ids]


def indexed_files(root: Path, files: dict[str, str], embedder):
    """An index of files written under root (folders made), synced: a context manager's value (the Index)."""
    from codesearch.config import Config
    from codesearch.engine import Index

    for rel, text in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text)
    index = Index.create(root, Config(), embedder=embedder)
    index.sync()
    return index


def write_modules(root: Path, files: int, per_file: int, stem: str = "job") -> Path:
    """root holding `files` Python modules of `per_file` small distinct functions (stem_i_j) each."""
    root.mkdir(parents=True, exist_ok=True)
    for i in range(files):
        (root / f"m{i:02d}.py").write_text("".join(f"def {stem}_{i}_{j}(x):\n    return x + {i * 100 + j}\n\n"
                                                   for j in range(per_file)))
    return root


def sync_until_embedded(indexer, embedded: int | None):
    """indexer.sync() (the caller holds the writer lock), cancelled once `embedded` functions were embedded
    (None: to the end); returns its report."""
    def progress(state) -> None:
        if embedded is not None and state.phase == "embedding" and state.functions_embedded >= embedded:
            indexer.cancelled.set()

    indexer.cancelled.clear()
    indexer.progress = progress
    return indexer.sync()


def wait_for(predicate, timeout: float = 20.0, interval: float = 0.05):
    """Poll until predicate() is truthy; fail with a clear message on timeout (never a fixed sleep)."""
    import time

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    raise AssertionError(f"condition not met within {timeout}s: {getattr(predicate, '__doc__', None) or predicate}")


def serve_in_thread(index, **options):
    """A real SearchServer for index on a thread, listening when this returns: (server, thread)."""
    import threading

    from codesearch.serve.server import SearchServer

    server = SearchServer(index, **options)
    ready = threading.Event()
    thread = threading.Thread(target=server.serve_forever, kwargs={"ready": lambda _: ready.set()}, daemon=True)
    thread.start()
    assert ready.wait(30), "the server never started listening"
    return server, thread


@pytest.fixture
def served(sample_repo: Path, tiny_embedder):
    """The sample repository indexed with the tiny BLOOM and answered by a warm server: (root, server)."""
    from codesearch.config import Config
    from codesearch.engine import Index

    with Index.create(sample_repo, Config(), embedder=tiny_embedder) as index:
        index.sync()
    index = Index.open(sample_repo, Config(), embedder=tiny_embedder)
    server, thread = serve_in_thread(index)
    yield sample_repo, server
    server.shutdown()
    thread.join(10)
    index.close()


def hold_compute():
    """Keep the compute thread busy, so no model load can finish, until the returned release() is called:
    what a process sees during a real model's first seconds, made deterministic (nothing is mocked)."""
    import threading

    from codesearch.embed import compute

    holding, release = threading.Event(), threading.Event()
    holder = threading.Thread(target=compute.run, args=(lambda: (holding.set(), release.wait(300)),), daemon=True)
    holder.start()
    assert holding.wait(30), "the compute thread never became free"

    def done() -> None:
        release.set()
        holder.join(30)

    return done


@contextlib.contextmanager
def hang_guard(seconds: int, what: str):
    """Raise TimeoutError(what) in the block once it has run `seconds`: a guard against a hang (a pattern that
    backtracks, a loop that reads a file again per line), never a speed target."""
    import signal

    def stuck(*_: object) -> None:
        raise TimeoutError(what)

    previous = signal.signal(signal.SIGALRM, stuck)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)
