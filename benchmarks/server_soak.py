"""Server soak: a warm `serve` (reading store + watcher's writer store) through many edits.

Each round edits, adds or deletes functions or whole files under a real watchdog watcher, waits
for the sync, then asks the server a semantic k=10 query over its Unix socket and compares the
answer with a fresh in-process search (a new Store loading the vector file and diffing). Small
indexes are searched exactly, so those must match every round; the server's own HNSW index is
also checked each round against the catalog (count, labels) and for recall against exact search
(the tiny random model's vectors are nearly parallel: a hard case for any graph). Prints the
figures and the time per round.

    python benchmarks/server_soak.py [--rounds 1000] [--seed 0]
"""

from __future__ import annotations

import argparse
import random
import statistics
import tempfile
import threading
import time
from pathlib import Path

from _corpus import bloom_folder
from codesearch.sync import watch as watch_module
from codesearch.config import Config
from codesearch.engine import Index, Query
from codesearch.embed.embedding import load_embedder
from codesearch.search.searcher import Searcher
from codesearch.serve.server import SearchServer, ask_server

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
    with Index.open(root, Config(), embedder=embedder) as index:
        return [h.id for h in index.search(Query(query, K, mode="semantic"))]


def main(rounds: int, seed: int) -> None:
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


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    main(args.rounds, args.seed)
