"""Server soak: a warm `serve` through many edits, under many clients at once, and holding idle connections.

Mode `edits` (the default):

Each round edits, adds or deletes functions or whole files under a real watchdog watcher, waits
for the sync, then asks the server a semantic k=10 query over its Unix socket and compares the
answer with a fresh in-process search (a new Store loading the vector file and diffing). Small
indexes are searched exactly, so those must match every round; the server's own HNSW index is
also checked each round against the catalog (count, labels) and for recall against exact search
(the tiny random model's vectors are nearly parallel: a hard case for any graph). Prints the
figures and the time per round.

    python benchmarks/server_soak.py [--rounds 1000] [--seed 0]

Mode `concurrency`: a real `codesearch serve` process (tiny BLOOM, 400 functions) and `--clients`
client processes that start together and each send `--queries` hybrid k=10 queries through the
project's own client (`ask_server`, as `codesearch query` does). Prints connections refused (each
one the client then retried), busy answers, cold fallbacks (the client gave up and would have
searched in-process), errors, and latency p50/p99 per query as the client sees it.

    python benchmarks/server_soak.py --mode concurrency [--clients 40] [--queries 25]

Mode `idle`: the same server; `--connections` Unix connections opened and left idle. Prints the
server's threads and RSS (from /proc) before, while they are open, and after its idle timeout,
how many were refused, whether a real query is still answered meanwhile, and how many the
server closed (with a one-line timeout error).

    python benchmarks/server_soak.py --mode idle [--connections 1000]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

K = 10
QUERIES = ["handle the request", "return x plus", "edited function", "parse the file"]


def write(root: Path, name: str, funcs: list[str]) -> None:
    body = "\n\n".join(f"def {f}(x):\n    \"\"\"Handle {f.replace('_', ' ')}.\"\"\"\n    return x + {len(f)}\n" for f in funcs)
    (root / f"{name}.py").write_text(body or "# empty\n")


def mutate(rng: random.Random, root: Path, files: dict[str, list[str]], step: int) -> str:
    """One random edit of the repository; returns what it did."""
    name = rng.choice(sorted(files))
    funcs, total = files[name], sum(len(fs) for fs in files.values())
    action = rng.choice(["edit", "edit", "add", "delete", "new_file", "remove_file"])
    if action == "edit" and funcs:
        funcs[rng.randrange(len(funcs))] = f"edited_{step}"
    elif action == "add":
        funcs.append(f"added_{step}")
    elif action == "delete" and len(funcs) > 1 and total > 3 * K:
        funcs.pop(rng.randrange(len(funcs)))
    elif action == "new_file":
        name = f"new{step}"
        files[name] = [f"fresh_{step}_{j}" for j in range(rng.randint(1, 4))]
    elif action == "remove_file" and total - len(funcs) > 3 * K and len(files) > 2:
        del files[name]
        (root / f"{name}.py").unlink()
        return action
    write(root, name, files[name])
    return action


def fresh(root: Path, embedder, query: str) -> list[int]:
    from codesearch.config import Config
    from codesearch.engine import Index, Query

    with Index.open(root, Config(), embedder=embedder) as index:
        return [h.id for h in index.search(Query(query, K, mode="semantic"))]


def edits(rounds: int, seed: int) -> None:
    from _corpus import bloom_folder
    from codesearch.config import Config
    from codesearch.embed.embedding import load_embedder
    from codesearch.engine import Index
    from codesearch.serve.server import SearchServer, ask_server
    from codesearch.sync import watch as watch_module

    watch_module.QUIET_SECONDS = 0.02  # the debounce is not what is measured here
    root = Path(tempfile.mkdtemp()) / "repo"
    root.mkdir(parents=True)
    files = {f"mod{i}": [f"start_{i}_{j}" for j in range(6)] for i in range(8)}
    for name, funcs in files.items():
        write(root, name, funcs)
    embedder = load_embedder(str(bloom_folder("tiny")), Config(max_length=128))
    index = Index.create(root, Config(), embedder=embedder)
    index.watch()  # the watcher writes through its own store, as under `codesearch serve`
    reader, writer = index.store, index._writer
    server = SearchServer(index)
    ready = threading.Event()
    threading.Thread(target=server.serve_forever, kwargs={"ready": lambda w: ready.set()}, daemon=True).start()
    ready.wait(30)
    rng = random.Random(seed)
    exact, short, drift, per_round, errors, recall = 0, 0, 0, [], [], []
    try:
        for step in range(rounds):
            t = time.perf_counter()
            mutate(rng, root, files, step)
            want = {f for fs in files.values() for f in fs}
            while {r[0] for r in writer.catalog.db.execute("SELECT name FROM functions")} != want:
                time.sleep(0.005)
            query = QUERIES[step % len(QUERIES)]
            try:
                reply = ask_server(writer.folder, {"query": query, "k": K, "mode": "semantic"})
            except Exception as exc:  # noqa: BLE001 - count it, keep soaking
                errors.append(f"round {step}: {exc}")
                continue
            served = [h["id"] for h in (reply or {}).get("hits", [])]
            short += len(served) < K
            exact += served == fresh(root, embedder, query)
            vectors = reader.vectors()  # the server's HNSW index, kept in step by diffs
            live = set(reader.catalog.function_ids())
            drift += len(vectors) != len(live) or vectors.labels != live
            qv = embedder.embed_queries([query])[0]
            from codesearch.search.searcher import Searcher

            truth = {i for i, _ in Searcher(reader, embedder)._exact(qv, None, K)}
            recall.append(len(truth & {i for i, _ in vectors.search(qv, K)}) / K)
            per_round.append(time.perf_counter() - t)
    finally:
        server.shutdown()
        functions, live, slots = len(reader.catalog.function_ids()), len(reader.vectors()), len(reader.vectors().deleted)
        index.close()
    print(f"{rounds} rounds (seed {seed}), {functions} functions at the end, tiny model, k={K} semantic")
    print(f"server == fresh in-process search: {exact}/{rounds}; short answers: {short}; errors: {len(errors)}")
    print(f"server HNSW index: {live} live, {slots} deleted slots; "
          f"rounds where its count or labels drifted from the catalog: {drift}; "
          f"recall@{K} of its graph vs exact: mean {statistics.mean(recall or [0]):.4f}, min {min(recall or [0]):.2f}")
    if per_round:
        print(f"per round (edit -> synced -> both searches): median {statistics.median(per_round) * 1000:.0f} ms, "
              f"worst {max(per_round) * 1000:.0f} ms")
    for e in errors[:5]:
        print("error:", e)


# -- a real server process, many clients, idle connections --------------------------------------
def start_server() -> tuple[subprocess.Popen, Path, Path]:
    """A `codesearch serve --no-watch` process over a fresh 400-function repository: (process, root, folder)."""
    from _corpus import bloom_folder
    from codesearch.store.statefiles import live_state

    root = Path(tempfile.mkdtemp()) / "repo"
    root.mkdir(parents=True)
    for i in range(40):
        write(root, f"mod{i}", [f"work_{i}_{j}_{w}" for j, w in enumerate(("parse", "send", "retry", "open", "close",
                                                                          "read", "write", "join", "split", "count"))])
    cli = [sys.executable, "-m", "codesearch"]
    subprocess.run([*cli, "index", "-q", "--model", str(bloom_folder("tiny")), str(root)], check=True)
    proc = subprocess.Popen([*cli, "serve", "--no-watch", "-q", str(root)], stderr=subprocess.PIPE, text=True)
    folder = root / ".codesearch"
    deadline = time.monotonic() + 120
    while (live_state(folder / "server.json") or {}).get("pid") != proc.pid:
        if proc.poll() is not None or time.monotonic() > deadline:
            raise SystemExit(f"the server did not start: {proc.stderr.read()[-2000:]}")
        time.sleep(0.1)
    return proc, root, folder


def stop_server(proc: subprocess.Popen) -> str:
    """Stop the server; what it wrote to its log (stderr)."""
    proc.terminate()
    try:
        _, err = proc.communicate(timeout=60)
    except subprocess.TimeoutExpired:
        proc.kill()
        _, err = proc.communicate()
    return err


def client(folder: Path, queries: int, start_at: float) -> None:
    """One client process: wait for the common start, ask, print one JSON line per query."""
    import inspect

    from codesearch.errors import CodesearchError
    from codesearch.serve.protocol import ask_server

    retries_known = "on_retry" in inspect.signature(ask_server).parameters  # a client from before issue 26 has none
    while time.time() < start_at:
        time.sleep(0.001)
    for i in range(queries):
        why: list[str] = []
        request = {"query": QUERIES[i % len(QUERIES)], "k": K, "mode": "hybrid"}
        t = time.perf_counter()
        error = None
        try:
            reply = ask_server(folder, request, on_retry=why.append) if retries_known else ask_server(folder, request)
        except CodesearchError as exc:
            reply, error = {}, str(exc)
        print(json.dumps({"seconds": time.perf_counter() - t, "cold": reply is None, "error": error,
                          "refused": why.count("refused"), "busy": why.count("busy"),
                          "hits": len((reply or {}).get("hits", []))}), flush=True)


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))] if ordered else float("nan")


def concurrency(clients: int, queries: int) -> None:
    proc, _root, folder = start_server()
    try:
        start_at = time.time() + 3.0  # every client imported and waiting: they connect together
        procs = [subprocess.Popen([sys.executable, __file__, "--client", str(folder), "--queries", str(queries),
                                   "--start-at", repr(start_at)], stdout=subprocess.PIPE, text=True)
                 for _ in range(clients)]
        rows = [json.loads(line) for p in procs for line in p.communicate(timeout=600)[0].splitlines()]
        if any(p.returncode for p in procs):
            print("some client processes failed:", [p.returncode for p in procs])
    finally:
        log = stop_server(proc)
    seconds = [r["seconds"] for r in rows if not r["cold"] and not r["error"]]
    print(f"{clients} client processes x {queries} hybrid k={K} queries = {len(rows)} queries, one server "
          f"(tiny BLOOM, 400 functions)")
    print(f"connections refused (then retried): {sum(r['refused'] for r in rows)}; busy answers (then retried): "
          f"{sum(r['busy'] for r in rows)}; cold fallbacks: {sum(r['cold'] for r in rows)}; "
          f"errors: {sum(bool(r['error']) for r in rows)}; answers with fewer than {K} hits: "
          f"{sum(r['hits'] < K for r in rows if not r['cold'] and not r['error'])}")
    print(f"latency per warm query: p50 {percentile(seconds, 50) * 1000:.0f} ms, p99 {percentile(seconds, 99) * 1000:.0f} ms, "
          f"max {max(seconds or [0]) * 1000:.0f} ms")
    print(f"server log: {len(log.splitlines())} lines, tracebacks: {log.count('Traceback')}")


def proc_status(pid: int) -> tuple[int, float]:
    """(threads, RSS in MB) of a process, from /proc."""
    fields = dict(line.split(":", 1) for line in Path(f"/proc/{pid}/status").read_text().splitlines() if ":" in line)
    return int(fields["Threads"]), int(fields["VmRSS"].split()[0]) / 1024


def idle(connections: int) -> None:
    import resource

    from codesearch.serve.protocol import ask_server

    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))  # this process holds the client ends
    proc, _root, folder = start_server()
    socks, refused = [], 0
    try:
        ask_server(folder, {"query": "parse", "k": K})  # warm: the first query loads what a query needs
        before = proc_status(proc.pid)
        address = json.loads((folder / "server.json").read_text())["socket"]
        opened = time.monotonic()
        for _ in range(connections):
            s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            try:
                s.connect(address)
                socks.append(s)
            except OSError:
                refused += 1
                s.close()
        time.sleep(1.0)
        during = proc_status(proc.pid)
        t = time.perf_counter()
        answered = ask_server(folder, {"query": "retry the request", "k": K}) is not None
        query_ms = (time.perf_counter() - t) * 1000
        closed, timeouts = 0, 0
        for s in socks:  # the server closes each with one line once its idle timeout passes
            s.settimeout(max(0.1, opened + 40 - time.monotonic()))
            try:
                line = s.makefile("rb").readline()
            except OSError:
                continue
            closed += 1
            timeouts += line.endswith(b"\n") and json.loads(line).get("kind") == "timeout"
        waited = time.monotonic() - opened
        after = proc_status(proc.pid)
    finally:
        for s in socks:
            s.close()
        log = stop_server(proc)
    print(f"{connections} idle Unix connections to one server (tiny BLOOM, 400 functions): {refused} refused")
    print(f"server threads / RSS: before {before[0]} / {before[1]:.0f} MB; with them open {during[0]} / {during[1]:.0f} MB; "
          f"after they were closed {after[0]} / {after[1]:.0f} MB")
    print(f"a real query while they were open: {'answered' if answered else 'NOT answered'} in {query_ms:.0f} ms")
    print(f"closed by the server within {waited:.1f} s: {closed} ({timeouts} with a one-line timeout error)")
    print(f"server log: {len(log.splitlines())} lines, tracebacks: {log.count('Traceback')}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mode", choices=("edits", "concurrency", "idle"), default="edits")
    parser.add_argument("--rounds", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--clients", type=int, default=40)
    parser.add_argument("--queries", type=int, default=25)
    parser.add_argument("--connections", type=int, default=1000)
    parser.add_argument("--client", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--start-at", type=float, default=0.0, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.client:
        client(args.client, args.queries, args.start_at)
    elif args.mode == "concurrency":
        concurrency(args.clients, args.queries)
    elif args.mode == "idle":
        idle(args.connections)
    else:
        edits(args.rounds, args.seed)
