"""Useful before done: how soon a first `codesearch index` of a real ~10,000-function repository answers.

Copies a slice of a real source tree (default: the Python standard library) holding about
--functions functions into a temporary folder, starts the real `codesearch index` on it (a
subprocess, random-weight BLOOM-560m by default: speed does not depend on the weights; no shared
cache, so every vector is computed), and measures, from the moment the index process starts:

- when `codesearch query --mode lexical` first answers with a result;
- when the whole repository is searchable by words (status shows every function);
- when the static tier (token vectors distilled from the same model, codesearch.embed.static) covers
  every function: semantic answers for the whole repository before the model embeds it; cold (no
  shared cache: every token the repository uses is distilled in this run);
- when `codesearch status` first shows vectors (semantic search has begun to cover the code);
- embedded functions over time, for --seconds (sampled every --interval s, every second during the lexical pass);
- the time to full semantic coverage, EXTRAPOLATED from the embedding rate measured over the run
  (the full pass takes about an hour with the 560m on two cores, longer than a benchmark should).

With --warm-from SOURCE, a user's SECOND repository: before the timed run, a slice of SOURCE holding
--warm-functions functions, sharing no file (by content) with the timed slice, is indexed untimed with
the same model and the same user cache (shared caches on, so the static tier's token cache is kept)
until its static tier covers it; then the usual slice is timed with that cache warm, and the run says
how many of the slice's distinct tokens were already cached and how many it distilled. Without it
(the default), the run is cold and unchanged.

The index process is stopped (and the copy deleted, unless --keep) on every exit, Ctrl-C included.
Run it under `nice` on a shared machine; figures are only comparable on a quiet one.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import sysconfig
import tempfile
import time
from pathlib import Path

import numpy as np

from _corpus import bloom_folder
from codesearch.parse.sources import read_units
from codesearch.parse.walk import walk
from codesearch.store.embedcache import TOKENS_FILE
from codesearch.store.names import CATALOG_NAME

FUNCTION_KINDS = ("function", "method", "constructor")  # what "a 10,000-function repository" counts
CLI = [sys.executable, "-m", "codesearch"]  # what the `codesearch` console script runs


def copy_slice(source: Path, dest: Path, functions: int, exclude: frozenset[str] = frozenset()) -> tuple[int, int]:
    """Copy whole files of source (path order) into dest until they hold >= functions (functions, methods and
    constructors; the other unit kinds come with them), skipping files whose content digest is in exclude;
    (files, functions)."""
    files = count = 0
    for f in sorted(walk(source), key=lambda f: f.rel):
        if f.language != "python":
            continue
        if exclude and digest(f.path) in exclude:
            continue
        try:
            units = read_units(f.path, f.rel, f.language)
        except (OSError, ValueError):
            continue
        if not units:
            continue
        target = dest / f.rel
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(f.path, target)
        files, count = files + 1, count + sum(u.kind in FUNCTION_KINDS for u in units)  # types and module code join them
        if count >= functions:
            break
    return files, count


def digest(path: Path) -> str:
    """A file's content digest: two slices share no file when they share no digest."""
    return hashlib.sha256(path.read_bytes()).hexdigest()


def digests(folder: Path) -> frozenset[str]:
    """The content digests of every file under folder."""
    return frozenset(digest(p) for p in folder.rglob("*") if p.is_file())


def read_only(path: Path) -> sqlite3.Connection:
    """A read-only connection to one of codesearch's SQLite files (the benchmark never writes them)."""
    return sqlite3.connect(f"file:{path}?mode=ro", uri=True)


def cached_tokens(cache: Path) -> set[tuple[str, str, int]]:
    """(model, recipe, token) of every vector in the user's static token cache at cache (empty when none)."""
    path = cache / "codesearch" / TOKENS_FILE
    if not path.exists():
        return set()
    db = read_only(path)
    try:
        return {(m, r, int(t)) for m, r, t in db.execute("SELECT model, recipe, token FROM tokens")}
    finally:
        db.close()


def slice_tokens(repo: Path) -> set[int]:
    """The distinct tokens the repository's static tier counted (its kept statistics), or empty when none."""
    path = repo / ".codesearch" / CATALOG_NAME
    if not path.exists():
        return set()
    db = read_only(path)
    try:
        rows = db.execute("SELECT tokens FROM static_stats").fetchall()
    finally:
        db.close()
    return {int(t) for (blob,) in rows for t in np.frombuffer(blob, dtype="<i8")}  # as the catalog keeps them


def warm_up(source: Path, work: Path, functions: int, exclude: frozenset[str], env: dict, limit: float) -> None:
    """Index a slice of source sharing no file with exclude, untimed, until its exact static tier covers it
    (the user's first repository: it fills the user cache env points at); the index is then stopped."""
    repo = work / "warm"
    files, total = copy_slice(source, repo, functions, exclude)
    shared = exclude & digests(repo)
    if shared:
        raise SystemExit(f"the warm-up slice shares {len(shared)} files with the timed one")
    print(f"warm-up (untimed): {files} files, {total} functions copied from {source}, no file shared with the "
          f"timed slice; indexing until its static tier covers it", flush=True)
    started = time.monotonic()
    errors = open(work / "warm.stderr", "w+")
    proc = subprocess.Popen(CLI + ["index", "-q", str(repo)], cwd=repo, env=env, stdout=subprocess.DEVNULL,
                            stderr=errors, text=True)
    try:
        info = None
        while time.monotonic() < started + limit and proc.poll() is None:
            info = ask(["status", "--json"], repo, env)
            if (info and int(info["functions"]) >= total and int(info.get("static", 0)) >= int(info["functions"])
                    and not info.get("static_interim")):  # every token distilled, not just an interim tier's
                break
            nap(proc, 2.0)
        else:
            errors.seek(0)
            raise SystemExit(f"warm-up did not cover its slice within {limit:.0f} s "
                             f"(index exit {proc.poll()}): {errors.read().strip()[-500:]}")
        print(f"warm-up done in {time.monotonic() - started:.1f} s: {info['functions']} functions, "
              f"{info.get('static', 0)} static; {len(cached_tokens(Path(env['XDG_CACHE_HOME'])))} token vectors "
              f"in the user cache", flush=True)
    finally:
        stop(proc)
        errors.close()
        shutil.rmtree(repo, ignore_errors=True)


def token_reuse(repo: Path, before: set[tuple[str, str, int]], cache: Path) -> None:
    """Print how many of the timed slice's distinct tokens the warm-up had cached and how many this run distilled."""
    used, after = slice_tokens(repo), cached_tokens(cache)
    if not used:
        print("tokens: the timed index kept no static statistics within the run (static tier not reached)")
        return
    keys = {(m, r) for m, r, _ in after - before} or {(m, r) for m, r, _ in after}
    if len(keys) != 1:
        print(f"tokens: the user cache holds {len(keys)} (model, recipe) keys; cannot tell which is this run's")
        return
    (model, recipe), = keys
    had = {t for m, r, t in before if (m, r) == (model, recipe)}
    new = {t for m, r, t in after - before}
    print(f"tokens: the timed slice uses {len(used)} distinct tokens; {len(used & had)} were already in the user "
          f"cache ({100 * len(used & had) / len(used):.1f} %), {len(used - had)} distilled in the timed run "
          f"(the cache grew by {len(new)}; key {model} {recipe})")


def ask(args: list[str], cwd: Path, env: dict, timeout: float = 120) -> dict | list | None:
    """The JSON a CLI command prints, or None when it fails (no index yet, a locked moment)."""
    try:
        done = subprocess.run(CLI + args, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return None
    if done.returncode != 0:
        return None
    try:
        return json.loads(done.stdout)
    except ValueError:
        return None


def stop(proc: subprocess.Popen) -> None:
    """Ask the index process to stop (Ctrl-C), then kill it if it does not."""
    if proc.poll() is None:
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(20)


def first_lexical_answer(repo: Path, env: dict, proc: subprocess.Popen, started: float, deadline: float,
                         word: str) -> float | None:
    """Seconds from the start until a lexical query returns a hit (polled), or None."""
    while time.monotonic() < deadline and proc.poll() is None:
        hits = ask(["query", "--mode", "lexical", "--json", "-k", "3", word], repo, env)
        if hits:
            return time.monotonic() - started
        time.sleep(0.2)
    return None


def follow(repo: Path, env: dict, proc: subprocess.Popen, started: float, deadline: float, total: int,
           interval: float) -> list[tuple[float, int, int, float | None, int, bool]]:
    """(seconds, functions indexed, functions embedded, status's own ETA, functions with a static-tier
    vector, whether that tier is still interim) sampled until the deadline."""
    samples = []
    while time.monotonic() < deadline:
        finished = proc.poll() is not None  # one last sample after the index ends: the full coverage it reached
        info = ask(["status", "--json"], repo, env)
        if info:
            t = time.monotonic() - started
            samples.append((t, int(info["functions"]), int(info["embedded"]), info.get("embed_eta_seconds"),
                            int(info.get("static", 0)), bool(info.get("static_interim"))))
            interim = " (interim)" if info.get("static_interim") else "          "
            print(f"  {t:7.1f} s  {info['functions']:6d} functions indexed  {info.get('static', 0):6d} static{interim}  "
                  f"{info['embedded']:6d} embedded ({100 * info['embedded'] / max(total, 1):5.1f} %)", flush=True)
            if info["embedded"] >= total:
                break
        if finished:
            break
        lexical_done = bool(samples) and samples[-1][1] >= total
        nap(proc, interval if lexical_done else min(interval, 1.0))  # finer while the lexical pass runs
    return samples


def nap(proc: subprocess.Popen, seconds: float) -> None:
    """Sleep up to seconds, waking as soon as the index process ends (so its last sample is on time)."""
    try:
        proc.wait(seconds)
    except subprocess.TimeoutExpired:
        pass


def slope(points: list[tuple[float, int]]) -> float:
    """Least-squares functions/s through (seconds, embedded) points: counts move in steps of a piece
    (64 functions), so two end points alone over- or under-state the rate."""
    n = len(points)
    mt, me = sum(t for t, _ in points) / n, sum(e for _, e in points) / n
    var = sum((t - mt) ** 2 for t, _ in points)
    return sum((t - mt) * (e - me) for t, e in points) / var if var else 0.0


def report(samples: list, parsed: int, answered: float | None, index_files: int, finished: bool) -> None:
    """Print the figures, the extrapolation said to be one."""
    total = max([s[1] for s in samples] + [0]) or parsed  # what the index counts (the benchmark's parse: parsed)
    print(f"\nrepository: {index_files} files, {total} functions indexed ({parsed} parsed by the benchmark)")
    print(f"first lexical answer (`codesearch query --mode lexical`): "
          f"{f'{answered:.1f} s' if answered is not None else 'none within the run'} after `codesearch index` started")
    searchable = next((s[0] for s in samples if s[1] >= total), None)
    print(f"every function searchable by words (status shows {total}): "
          f"{f'{searchable:.1f} s' if searchable is not None else 'not within the run'}")
    static = next((s[0] for s in samples if s[4] >= total), None)
    print(f"every function searchable by meaning, static tier (status shows {total} static): "
          f"{f'{static:.1f} s' if static is not None else 'not within the run'}")
    if any(s[5] for s in samples):  # a cold first index answers from an interim tier first (embed.static.INTERIM_MASS)
        exact = next((s[0] for s in samples if s[4] >= total and not s[5]), None)
        print(f"  ... first as an interim tier (its weightiest tokens); the exact tier (every token distilled): "
              f"{f'{exact:.1f} s' if exact is not None else 'not within the run'}")
    vectors = [(s[0], s[2]) for s in samples if s[2] > 0]
    if not vectors:
        print("first vectors: none within the run (the model was still loading or embedding its first chunk)")
        return
    print(f"first vectors shown by `codesearch status`: {vectors[0][0]:.1f} s ({vectors[0][1]} functions)")
    (t0, e0), (t1, e1) = vectors[0], vectors[-1]
    print(f"embedded at the end of the run: {e1} of {total} ({100 * e1 / total:.1f} %) at {t1:.1f} s")
    if e1 >= total or finished:
        print(f"full semantic coverage: {t1:.1f} s (measured: {'every function embedded' if e1 >= total else 'the index ended'})")
        return
    rate = slope(vectors) if len(vectors) >= 3 else 0.0
    if t1 <= t0 or e1 <= e0 or rate <= 0:
        print("embedding rate: too few samples to measure; run longer (--seconds)")
        return
    eta = t1 + (total - e1) / rate
    print(f"embedding rate (least squares over {len(vectors)} samples from the first vectors on): {rate:.2f} functions/s")
    print(f"full semantic coverage: ~{eta:.0f} s = {eta / 60:.1f} min after the start "
          f"(EXTRAPOLATED at that rate; not measured)")
    own = samples[-1][3]
    if own is not None:
        print(f"`codesearch status` says: {own:.0f} s left at {t1:.0f} s (its ETA, from the rate the indexer records)")


def warm_env(env: dict) -> dict:
    """The warm case's environment: the shared caches on (CODESEARCH_SHARED_CACHE=0 would hold the static
    tier's token vectors in each process's memory, so a second repository could reuse none of them)."""
    return {k: v for k, v in env.items() if k not in ("CODESEARCH_SHARED_CACHE", "CODESEARCH_CACHE_DIR")}


def warm(args: argparse.Namespace, work: Path, repo: Path, env: dict) -> tuple[dict, set[tuple[str, str, int]]]:
    """Warm the user cache from args.warm_from (untimed); the timed run's environment and the cache's tokens then."""
    env = warm_env(env)
    try:
        warm_up(args.warm_from, work, args.warm_functions or args.functions, digests(repo), env, args.warm_limit)
    except BaseException:
        if args.keep is None:
            shutil.rmtree(work, ignore_errors=True)
        raise
    return env, cached_tokens(work / "cache")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--root", type=Path, default=Path(sysconfig.get_paths()["stdlib"]), help="source tree to copy from")
    parser.add_argument("--functions", type=int, default=10000, help="functions in the copied slice (whole files)")
    parser.add_argument("--model", default=None, help="model name or folder (default: random-weight BLOOM-560m)")
    parser.add_argument("--precision", choices=["fp32", "int8"], default=None)
    parser.add_argument("--seconds", type=float, default=180.0, help="how long to follow the index")
    parser.add_argument("--interval", type=float, default=10.0, help="seconds between `codesearch status` samples")
    parser.add_argument("--word", default="open", help="what the lexical query asks")
    parser.add_argument("--keep", type=Path, default=None, help="build the copy here and keep it")
    parser.add_argument("--warm-from", type=Path, default=None,
                        help="index a slice of this tree first (untimed, same model and user cache, no file shared "
                             "with the timed slice), then time the usual slice with the token cache warm")
    parser.add_argument("--warm-functions", type=int, default=None, help="functions in the warm-up slice (default: --functions)")
    parser.add_argument("--warm-limit", type=float, default=900.0, help="seconds the warm-up may take at most")
    args = parser.parse_args()

    model = args.model or str(bloom_folder("560m"))
    work = Path(tempfile.mkdtemp(prefix="first-answer-")) if args.keep is None else args.keep
    repo = work / "repo"
    files, total = copy_slice(args.root, repo, args.functions)
    env = {**os.environ, "CODESEARCH_SHARED_CACHE": "0", "XDG_CACHE_HOME": str(work / "cache"), "HF_HUB_OFFLINE": "1",
           "CODESEARCH_MODEL": model}
    if args.precision:
        env["CODESEARCH_PRECISION"] = args.precision
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # `timeout` stops us: clean up all the same
    before: set[tuple[str, str, int]] = set()
    if args.warm_from is not None:
        env, before = warm(args, work, repo, env)
    print(f"model {Path(model).name}, {files} files, {total} functions copied from {args.root}; "
          f"following `codesearch index` for {args.seconds:.0f} s", flush=True)
    started = time.monotonic()
    errors = open(work / "index.stderr", "w+")  # a file, not a pipe: a full pipe would stall the index
    proc = subprocess.Popen(CLI + ["index", "-q", str(repo)], cwd=repo, env=env, stdout=subprocess.DEVNULL,
                            stderr=errors, text=True)
    try:
        deadline = started + args.seconds
        answered = first_lexical_answer(repo, env, proc, started, deadline, args.word)
        samples = follow(repo, env, proc, started, deadline, total, args.interval)
        if proc.poll() is not None and proc.returncode != 0:
            errors.seek(0)
            print(f"`codesearch index` failed ({proc.returncode}): {errors.read().strip()[-500:]}")
        report(samples, total, answered, files, proc.poll() == 0)
        if args.warm_from is not None:
            stop(proc)  # the catalog and the token cache are read once the index has let go of them
            token_reuse(repo, before, work / "cache")
    finally:
        stop(proc)
        errors.close()
        if args.keep is None:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
