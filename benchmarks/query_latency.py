"""Query latency: cold `codesearch query` (a new process, no server), and end-to-end `codesearch query
--json` through a warm `codesearch serve` (a new process each time: interpreter start, the fast
client's imports, the socket round trip and the query), plus the fast client's import time alone.

Runs on a random-weight BLOOM of the real 560m shape (speed does not depend on weights) and on the
tiny test model, each over an index of --functions functions with precomputed vectors.

`--repo DIR` (repeatable) times cold queries in a real repository indexed beforehand (`codesearch index DIR`):
its own mix of embedded units and units found by their words only, which the synthetic index lacks (loading the
vectors once asked the catalog again for every words-only unit: 80 s a query on Rails 6.1).
"""

from __future__ import annotations

import argparse
import compileall
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

from _corpus import bloom_folder
from index_speed import build_synthetic_index

QUERIES = ["retry failed http calls", "parse the configuration file", "send an email", "reverse a string",
           "解析配置文件", "open a database connection", "sum the prices in a cart", "debounce a function"]
FAST = [sys.executable, "-m", "codesearch"]  # what the `codesearch` console script runs (cli/fast.py first)
FULL = [sys.executable, "-c", "from codesearch.cli.commands import main; main()"]  # the click CLI, for comparison
CLIENT_PYTHON = sys.executable  # --client-python: the interpreter of another install for the warm client
IMPORTS = [sys.executable, "-c", "import codesearch.cli.fast, codesearch.serve.client, codesearch.cli.output"]


def timed(argv: list[str], cwd: Path) -> float:
    """Wall seconds of one process, which must succeed."""
    t = time.perf_counter()
    r = subprocess.run(argv, cwd=cwd, capture_output=True, text=True)
    elapsed = time.perf_counter() - t
    assert r.returncode == 0, r.stderr
    return elapsed


def ms(xs: list[float], p: float = 50) -> float:
    return float(np.percentile(np.array(xs) * 1000, p))


def wait_for_server(root: Path, server: subprocess.Popen) -> None:
    from codesearch.serve.client import ask_server

    deadline = time.time() + 600
    while time.time() < deadline and server.poll() is None:
        if (root / ".codesearch" / "server.json").exists():
            if ask_server(root / ".codesearch", {"query": QUERIES[0], "k": 10, "mode": "hybrid"}, timeout=300):
                return
        time.sleep(0.2)
    raise SystemExit(f"the server did not answer: {server.stderr.read() if server.poll() is not None else 'timeout'}")


def measure(model_folder: Path, n: int, dim: int, cold_runs: int, warm_runs: int, keep: Path | None = None) -> dict:
    root = (keep / f"{model_folder.name}-{n}").resolve() if keep else Path(tempfile.mkdtemp()) / "repo"
    if not (root / ".codesearch" / "catalog.sqlite").exists():
        build_synthetic_index(root, n, dim, model_id=str(model_folder.resolve())).close()
    else:
        print(f"  reusing the index in {root}")
    q = lambda i: ["query", "--json", QUERIES[i % len(QUERIES)]]  # noqa: E731
    cold = [timed([*FAST, *q(i), "--no-server"], root) for i in range(cold_runs)]
    server = subprocess.Popen([*FAST, "serve", "--no-watch", "-q", str(root)], stderr=subprocess.PIPE, text=True)
    try:
        wait_for_server(root, server)
        client = [CLIENT_PYTHON, "-m", "codesearch"]
        for i in range(3):  # the page cache and the server's first queries
            timed([*client, *q(i)], root)
        warm = [timed([*client, *q(i)], root) for i in range(warm_runs)]
        from codesearch.serve.client import ask_server

        trips = []
        for i in range(warm_runs):  # the server's share: the socket round trip and the query, no process start
            t = time.perf_counter()
            assert ask_server(root / ".codesearch", {"query": QUERIES[i % len(QUERIES)], "k": 10, "mode": "hybrid"})
            trips.append(time.perf_counter() - t)
        full = [timed([*FULL, *q(i)], root) for i in range(max(warm_runs // 4, 3))]
        imports = [timed([CLIENT_PYTHON, *IMPORTS[1:]], root) for _ in range(warm_runs)]
        bare = [timed([CLIENT_PYTHON, "-c", "pass"], root) for _ in range(warm_runs)]
        first = json.loads(subprocess.run([*FAST, *q(0)], cwd=root, capture_output=True, text=True).stdout)
        assert len(first) == 10
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(60)
    figures = {"model": model_folder.name, "functions": n, "cold_p50_ms": ms(cold), "warm_p50_ms": ms(warm),
               "warm_p95_ms": ms(warm, 95), "server_round_trip_p50_ms": ms(trips), "click_cli_via_server_p50_ms": ms(full),
               "fast_client_imports_p50_ms": ms(imports) - ms(bare), "python_start_p50_ms": ms(bare)}
    print(f"  {model_folder.name}: {n} functions · cold `codesearch query --json` (no server): p50 {ms(cold):.0f} ms · "
          f"`codesearch query --json` through the warm server: p50 {ms(warm):.0f} ms, p95 {ms(warm, 95):.0f} ms "
          f"(target p50 <= 100 ms), of which the server's round trip p50 {ms(trips):.0f} ms · the click CLI through the same server: p50 {ms(full):.0f} ms · "
          f"fast client imports alone: {figures['fast_client_imports_p50_ms']:.0f} ms over a bare "
          f"`python -c pass` of {ms(bare):.0f} ms")
    return figures


def cold_in(repo: Path, runs: int) -> dict:
    """Cold `codesearch query --json --no-server` in an indexed real repository: what a first query costs there."""
    cold = [timed([*FAST, "query", "--json", "--no-server", QUERIES[i % len(QUERIES)]], repo) for i in range(runs)]
    print(f"  {repo}: cold `codesearch query --json` (no server): p50 {ms(cold):.0f} ms, max {max(cold) * 1000:.0f} ms")
    return {"repo": str(repo), "cold_p50_ms": ms(cold), "cold_max_ms": max(cold) * 1000}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--functions", type=int, default=100000)
    parser.add_argument("--cold", type=int, default=3)
    parser.add_argument("--warm", type=int, default=30)
    parser.add_argument("--shapes", default="560m,tiny")
    parser.add_argument("--json", dest="json_out", default=None, help="Also write the figures to this file.")
    parser.add_argument("--repo", type=Path, action="append", default=[],
                        help="Only time cold queries in this indexed repository (repeatable); no synthetic index.")
    parser.add_argument("--client-python", default=None,
                        help="Time the warm client with this interpreter, e.g. of a regular (non-editable) install: "
                             "python -m venv /tmp/v && /tmp/v/bin/pip install --no-deps . (the fast path needs no "
                             "dependency); an editable install's import hook costs every start ~10 ms")
    parser.add_argument("--keep", type=Path, default=None,
                        help="Build the synthetic indexes under this folder and reuse them on the next run.")
    args = parser.parse_args()
    global CLIENT_PYTHON
    CLIENT_PYTHON = args.client_python or sys.executable
    print(f"warm client: {CLIENT_PYTHON} -m codesearch")
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    # byte-compile the package as a regular install does (PYTHONDONTWRITEBYTECODE would recompile it every run)
    compileall.compile_dir(str(Path(__file__).resolve().parent.parent / "codesearch"), quiet=1)
    results = [cold_in(repo.resolve(), args.cold) for repo in args.repo]
    for shape in args.shapes.split(",") if not args.repo else []:
        folder = bloom_folder(shape)
        dim = json.loads((folder / "config.json").read_text())["hidden_size"]
        print(f"random BLOOM-{shape} (hidden {dim}):")
        results.append(measure(folder, args.functions, dim, args.cold, args.warm, args.keep))
    if args.json_out:
        Path(args.json_out).write_text(json.dumps(results, indent=1) + "\n")
    load = os.getloadavg()[0]
    print(f"load average at the end: {load:.1f} on {os.cpu_count()} cores (other processes inflate every figure)")


if __name__ == "__main__":
    main()
