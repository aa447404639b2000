"""kill -9 soak: SIGKILL `codesearch index` at random moments, then check the index is consistent.

After every kill the next open must find catalog, full-text index, cached vectors and vector file
in step, and must remove the temporary files the killed writer left; a final `index` must embed
only what no killed run committed. Then it kills `codesearch index --rebuild` at random moments: after
every such kill the old index must still answer, whole (a rebuild builds beside it and swaps it in
only when complete). Prints the figures.

    python benchmarks/kill_soak.py [--kills 20] [--rebuild-kills 10] [--files 300] [--seed 0]
"""

from __future__ import annotations

import argparse
import json
import random
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _corpus import bloom_folder
from codesearch.config import Config
from codesearch.store.folder import Store

TEMP_SUFFIX = ".tmp"


def make_repo(root: Path, files: int) -> None:
    for i in range(files):
        body = "\n\n".join(f"def handler_{i}_{j}(request, retries={j}):\n    \"\"\"Handle request {i}/{j}.\"\"\"\n"
                           f"    return request * {i} + {j}" for j in range(4))
        (root / f"mod_{i:04d}.py").write_text(body + "\n")


def index_cmd(root: Path, model: Path) -> list[str]:
    return [sys.executable, "-c", "from codesearch.cli import main; main()", "index", "-q", "--json", "--model", str(model), str(root)]


def consistent(root: Path) -> tuple[int, int]:
    """Raise if catalog, FTS, cached vectors and the vector index disagree; (functions, embeddings)."""
    store = Store.open(root, Config())
    try:
        db = store.catalog.db
        ids = set(store.catalog.function_ids())
        assert ids == {r[0] for r in db.execute("SELECT rowid FROM units_fts")}, "FTS out of step"
        missing = db.execute("SELECT count(*) FROM functions f LEFT JOIN embeddings e ON e.text_hash = f.text_hash "
                             "AND e.model = ? WHERE e.vector IS NULL", (store.model_id,)).fetchone()[0]
        assert missing == 0, f"{missing} functions without a vector"
        assert store.vectors().labels == ids, "vector index out of step"
        return len(ids), store.catalog.count("embeddings")
    finally:
        store.close()


def embedded(catalog: Path) -> int:
    try:
        with sqlite3.connect(f"file:{catalog}?mode=ro", uri=True, timeout=5) as db:
            return db.execute("SELECT count(*) FROM embeddings").fetchone()[0]
    except sqlite3.Error:
        return 0


def kill_rebuilds(root: Path, model: Path, kills: int, rng: random.Random, full: float) -> None:
    """SIGKILL `index --rebuild` at random moments; the old index must answer, whole, after every one."""
    functions, _ = consistent(root)
    answered, failures = 0, []
    for n in range(kills):
        delay = rng.uniform(0.2, full)
        proc = subprocess.Popen(index_cmd(root, model) + ["--rebuild"], stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL)
        time.sleep(delay)
        swapped = proc.poll() is not None  # finished before the kill: the new index was swapped in
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        try:
            now, _ = consistent(root)
            assert now == functions, f"{now} functions, not {functions}"
            answered += 1
        except Exception as exc:  # noqa: BLE001 - count every kind of failure
            failures.append(f"rebuild kill {n} at {delay:.2f}s: {type(exc).__name__}: {exc}")
        print(f"rebuild kill {n + 1}/{kills} at {delay:.2f}s ({'completed first' if swapped else 'mid-rebuild'}): "
              f"old index answered: {not failures or not failures[-1].startswith(f'rebuild kill {n} ')}", flush=True)
    print(f"{kills} kills of `codesearch index --rebuild`: the index answered, whole, after {answered}")
    for f in failures[:5]:
        print("failure:", f)


def main(kills: int, files: int, seed: int, rebuild_kills: int = 10) -> None:
    model = bloom_folder("tiny")
    rng = random.Random(seed)
    calibrate = Path(tempfile.mkdtemp()) / "calibrate"
    calibrate.mkdir()
    make_repo(calibrate, files)
    started = time.monotonic()
    subprocess.run(index_cmd(calibrate, model), check=True, capture_output=True)
    full = time.monotonic() - started
    print(f"a full run takes {full:.1f}s", flush=True)
    root = Path(tempfile.mkdtemp()) / "repo"
    root.mkdir()
    make_repo(root, files)
    folder, catalog = root / ".codesearch", root / ".codesearch" / "catalog.sqlite"
    killed_at, temps_left, temps_removed, failures, finished = [], 0, 0, [], 0
    for n in range(kills):
        if n % 3 == 0 and catalog.exists():  # start some runs from scratch again: kills during creation too
            for p in root.glob("mod_*.py"):
                if rng.random() < 0.3:
                    p.write_text(p.read_text() + f"\n\ndef extra_{n}_{p.stem}():\n    return {n}\n")
        delay = rng.uniform(0.2, full)
        proc = subprocess.Popen(index_cmd(root, model), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(delay)
        if proc.poll() is not None:
            finished += 1
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        killed_at.append(delay)
        left = [p.name for p in folder.glob(f".*{TEMP_SUFFIX}")] if folder.exists() else []
        temps_left += bool(left)
        if not catalog.exists():
            continue
        try:
            consistent(root)  # opening as a writer would also sweep temps; a reader must cope as is
            Store.create(root, Config()).close()
            temps_removed += bool(left) and not list(folder.glob(f".*{TEMP_SUFFIX}"))
            consistent(root)
        except Exception as exc:  # noqa: BLE001 - count every kind of inconsistency
            failures.append(f"kill {n} at {delay:.2f}s: {type(exc).__name__}: {exc}")
        print(f"kill {n + 1}/{kills} at {delay:.2f}s: {embedded(catalog)} vectors cached, "
              f"temp files left: {len(left)}, consistent: {not failures or not failures[-1].startswith(f'kill {n} ')}",
              flush=True)
    before = embedded(catalog)
    final = json.loads(subprocess.run(index_cmd(root, model), check=True, capture_output=True, text=True).stdout)
    functions, embeddings = consistent(root)
    print(f"{kills} kills of `codesearch index` (tiny model, {files} files; a full run takes {full:.1f}s), seed {seed}")
    print(f"kill moments: {min(killed_at):.2f}s to {max(killed_at):.2f}s after start; {finished} runs had already finished")
    print(f"runs that left temp files: {temps_left}; removed on the next open: {temps_removed}")
    print(f"inconsistent after a kill: {len(failures)}")
    redone = final["functions_embedded"] - (embeddings - before)
    print(f"final index: {functions} functions, {embeddings} cached vectors; the last run embedded "
          f"{final['functions_embedded']}, {embeddings - before} of them new: {redone} re-embedded")
    leftovers = [p.name for p in folder.iterdir() if p.name.endswith(TEMP_SUFFIX)]
    print(f"temp files left at the end: {len(leftovers)}")
    for f in failures[:5]:
        print("failure:", f)
    kill_rebuilds(root, model, rebuild_kills, rng, full)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kills", type=int, default=20)
    parser.add_argument("--rebuild-kills", type=int, default=10)
    parser.add_argument("--files", type=int, default=300)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    main(args.kills, args.files, args.seed, args.rebuild_kills)
