"""Query latency: cold `codesearch query` (a new process) and warm queries through `codesearch serve`.

Runs on a random-weight BLOOM of the real 560m shape (speed does not depend on weights) and on the
tiny test model, each over an index of --functions functions with precomputed vectors.
"""

from __future__ import annotations

import argparse
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


def cli(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "codesearch.cli", *args], cwd=cwd, capture_output=True, text=True)


def pct(xs: list[float], p: float) -> float:
    return float(np.percentile(np.array(xs) * 1000, p))


def measure(model_folder: Path, n: int, dim: int, cold_runs: int, warm_runs: int) -> None:
    root = Path(tempfile.mkdtemp()) / "repo"
    build_synthetic_index(root, n, dim, model_id=str(model_folder.resolve())).close()
    cold = []
    for i in range(cold_runs):
        t = time.perf_counter()
        r = cli("query", "--json", "--no-server", QUERIES[i % len(QUERIES)], cwd=root)
        cold.append(time.perf_counter() - t)
        assert r.returncode == 0, r.stderr
    server = subprocess.Popen([sys.executable, "-m", "codesearch.cli", "serve", "--no-watch", "-q", str(root)],
                              stderr=subprocess.PIPE, text=True)
    try:
        state = root / ".codesearch" / "server.json"
        deadline = time.time() + 300
        while not state.exists() and time.time() < deadline:
            time.sleep(0.1)
        from codesearch.server import ask_server

        first = None
        while first is None and time.time() < deadline and server.poll() is None:
            first = ask_server(root / ".codesearch", {"query": QUERIES[0], "k": 10, "mode": "hybrid"}, timeout=120)
        if first is None:
            raise SystemExit(f"the server did not answer: {server.stderr.read() if server.poll() is not None else 'timeout'}")
        warm = []
        for i in range(warm_runs):
            t = time.perf_counter()
            reply = ask_server(root / ".codesearch", {"query": QUERIES[i % len(QUERIES)], "k": 10, "mode": "hybrid"})
            warm.append(time.perf_counter() - t)
            assert reply and reply["hits"]
        t = time.perf_counter()
        r = cli("query", "--json", QUERIES[0], cwd=root)
        via_cli = time.perf_counter() - t
        assert r.returncode == 0 and json.loads(r.stdout)
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(60)
    print(f"  {model_folder.name}: {n} functions · cold `codesearch query`: p50 {pct(cold, 50):.0f} ms, p95 {pct(cold, 95):.0f} ms · "
          f"warm via server: p50 {pct(warm, 50):.0f} ms, p95 {pct(warm, 95):.0f} ms (target p50 <= 150 ms) · "
          f"`codesearch query` through the server (process start included): {via_cli * 1000:.0f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--functions", type=int, default=100000)
    parser.add_argument("--cold", type=int, default=5)
    parser.add_argument("--warm", type=int, default=40)
    parser.add_argument("--shapes", default="560m,tiny")
    args = parser.parse_args()
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    for shape in args.shapes.split(","):
        folder = bloom_folder(shape)
        dim = json.loads((folder / "config.json").read_text())["hidden_size"]
        print(f"random BLOOM-{shape} (hidden {dim}):")
        measure(folder, args.functions, dim, args.cold, args.warm)


if __name__ == "__main__":
    main()
