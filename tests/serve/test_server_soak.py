"""A warm server under a long edit session: every answer equals a fresh in-process search."""

from __future__ import annotations

import random
import threading
from pathlib import Path

import pytest

from codesearch.config import Config
from codesearch.engine import Index, Query
from codesearch.serve.server import SearchServer, ask_server

from conftest import wait_for

K = 10



def _fresh(root: Path, embedder, query: str) -> list[tuple[int, float]]:
    with Index.open(root, Config(), embedder=embedder) as index:
        return [(h.id, h.score) for h in index.search(Query(query, K, mode="semantic"))]


def _write(root: Path, name: str, funcs: list[str]) -> None:
    body = "\n\n".join(f"def {f}(x):\n    \"\"\"Handle {f.replace('_', ' ')}.\"\"\"\n    return x + {len(f)}\n" for f in funcs)
    (root / f"{name}.py").write_text(body or "# empty\n")


@pytest.fixture
def serving(tmp_path: Path, tiny_embedder):
    root = tmp_path / "live"
    root.mkdir()
    for i in range(4):
        _write(root, f"mod{i}", [f"start_{i}_{j}" for j in range(4)])
    index = Index.create(root, Config(), embedder=tiny_embedder)
    index.watch()  # the watcher writes through its own store, as under `codesearch serve`
    server = SearchServer(index)
    ready = threading.Event()
    thread = threading.Thread(target=server.serve_forever, kwargs={"ready": lambda w: ready.set()}, daemon=True)
    thread.start()
    assert ready.wait(30)
    yield root, index._writer, index.store, index
    server.shutdown()
    thread.join(10)
    index.close()


def test_server_stays_exact_through_many_edits_adds_and_deletes(serving, tiny_embedder) -> None:
    root, writer, reader, index = serving
    rng = random.Random(17)
    files = {f"mod{i}": [f"start_{i}_{j}" for j in range(4)] for i in range(4)}
    queries = ["handle start", "return x plus", "edit number seven"]
    for step in range(40):
        name = rng.choice(sorted(files))
        action = rng.choice(["edit", "add", "delete", "new_file", "remove_file"] if step > 2 else ["edit"])
        funcs = files[name]
        total = sum(len(fs) for fs in files.values())
        if action == "edit" and funcs:
            funcs[rng.randrange(len(funcs))] = f"edited_{step}"
        elif action == "add":
            funcs.append(f"added_{step}")
        elif action == "delete" and len(funcs) > 1 and total > K + 2:
            funcs.pop(rng.randrange(len(funcs)))
        elif action == "new_file":
            name = f"new{step}"
            files[name] = [f"fresh_{step}_{j}" for j in range(3)]
        elif action == "remove_file" and total - len(funcs) > K + 2:
            del files[name]
            (root / f"{name}.py").unlink()
        if name in files:
            _write(root, name, files[name])
        want = {f for fs in files.values() for f in fs}
        wait_for(lambda: {r[0] for r in writer.catalog.db.execute("SELECT name FROM functions")} == want, timeout=30)
        # the lexical pass commits first; the sync is done once every function has its vector
        wait_for(lambda: writer.catalog.embedded_count(writer.model_id) == writer.catalog.count("functions")
                 and not index._watcher.syncing, timeout=30)
        query = queries[step % len(queries)]
        reply = ask_server(writer.folder, {"query": query, "k": K, "mode": "semantic"})
        assert reply is not None, "the server did not answer"
        served = [(h["id"], h["score"]) for h in reply["hits"]]
        fresh = _fresh(root, tiny_embedder, query)
        assert len(served) == K, f"step {step} ({action}): {len(served)} results"
        assert [i for i, _ in served] == [i for i, _ in fresh], f"step {step} ({action})"
        assert [s for _, s in served] == pytest.approx([s for _, s in fresh], abs=1e-5)
        vectors = reader.vectors()  # the server's own HNSW index, kept in step by diffs
        assert len(vectors) == len(want) and vectors.labels == set(reader.catalog.function_ids()), step


def test_vector_index_bookkeeping_survives_slot_reuse() -> None:
    """Deleted slots are reused by later adds: length, labels and results stay exact."""
    import numpy as np

    from codesearch.store.vectors import VectorIndex

    rng, choice = np.random.default_rng(0), random.Random(1)
    index, live, next_id = VectorIndex(8, capacity=16), {}, 0

    def unit() -> np.ndarray:
        v = rng.standard_normal(8).astype(np.float32)
        return v / np.linalg.norm(v)

    for step in range(1500):
        if choice.random() < 0.5 and len(live) > 3:
            gone = choice.sample(sorted(live), choice.randint(1, 3))
            index.delete(gone)
            for g in gone:
                del live[g]
        else:
            new = list(range(next_id, next_id + choice.randint(1, 3)))
            next_id += len(new)
            vecs = [unit() for _ in new]
            index.add(new, np.stack(vecs))
            live.update(zip(new, vecs))
        assert len(index) == len(live) and index.labels == set(live), step
        q = unit()
        best = sorted(live, key=lambda i: -float(live[i] @ q))[:10]
        assert [i for i, _ in index.search(q, 10)] == best, step
