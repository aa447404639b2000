"""The whole-repository benchmark's questions asked of a package as its registry publishes it, not of its source folder.

benchmarks/whole_repo.py indexes each npm package's source folder (`package/lib`, `package/src`), as a checkout
would hold it. A user who unpacks the published package and indexes all of it also gets what the build made from
those sources: bundles under `dist/` and `build/`, a browser bundle at the root (mocha.js), TypeScript declaration
files. Each holds the same functions again, so each competes with the source for the first ten files. This
benchmark indexes the whole unpacked package (`package/`) and scores the same questions. A hit in the source folder
is scored as that file; a hit anywhere else (a bundle, `index.d.ts`) is never a target. It prints, per repository,
the hybrid file NDCG@10 and how many of the first ten files of each question lie outside the source folder.

Usage:
  python benchmarks/whole_package.py [--repos axios,mocha] [--split tune|report|fresh|fresh2|fresh3|fresh4|all]
      [--model minilm] [--save OUT.json]        # default: every npm package of every split
Only npm packages whose source is a folder of the package take part (express and koa publish their sources at the top).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tarfile
import tempfile
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from repos import CACHE, PINNED, SPLIT_CHOICES, Repo, download, load_questions, selected, verify  # noqa: E402
from whole_repo import K, POOL, repo_means, score_questions  # noqa: E402

PACKAGES = CACHE / "whole-package"


@dataclass(frozen=True)
class Hit:
    path: str
    start_line: int
    end_line: int


def unpacked(repo: Repo) -> Path:
    """The whole published package, unpacked once under .cache/whole-package/<name>."""
    root = PACKAGES / repo.name
    if not root.is_dir():
        archive = download(repo)
        verify(repo, archive)
        with tempfile.TemporaryDirectory(dir=PACKAGES) as tmp:  # an unpack cut short leaves nothing to reuse
            with tarfile.open(archive) as tar:
                tar.extractall(tmp, filter="data")
            os.rename(tmp, root)
            os.mkdir(tmp)  # for TemporaryDirectory's cleanup
    return root / "package"


def source_prefix(repo: Repo) -> str:
    """Where the benchmark's tree lies inside the package ('lib/' for axios), '' when it is the package itself."""
    inner = repo.tree.removeprefix("package").strip("/")
    return f"{inner}/" if inner else ""


def measure(repo: Repo, embedder, model: str) -> dict:
    """Index the whole package and score the repository's questions in hybrid mode."""
    from codesearch.config import Config
    from codesearch.engine import Index
    from codesearch.query import Query

    prefix = source_prefix(repo)
    cfg = Config(model=model, index_dir=str((PACKAGES / f"{repo.name}-{model}").resolve()))
    with Index.create(unpacked(repo), cfg, embedder=embedder) as index:
        index.sync()
        files, units = index.counts()
        outside: Counter = Counter()

        def search(text: str) -> list[Hit]:
            hits = [Hit(h.path.removeprefix(prefix) if h.path.startswith(prefix) else f"~{h.path}", h.start_line,
                        h.end_line) for h in index.search(Query(text, k=POOL, mode="hybrid"))]
            firsts = list(dict.fromkeys(h.path for h in hits))[:K]
            outside.update(p[1:].split("/")[0] for p in firsts if p.startswith("~"))
            return hits

        rows = score_questions(search, load_questions(repo.name))
    return {"files": files, "units": units, "ndcg": repo_means(rows)["file"]["ndcg"], "questions": len(rows),
            "outside_top10": dict(outside.most_common(6)), "rows": rows}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--repos", help="comma-separated names from benchmarks/repos.py (default: every npm package)")
    ap.add_argument("--split", choices=SPLIT_CHOICES, help="only this split (default: every split, fresh ones too)")
    ap.add_argument("--model", default="minilm")
    ap.add_argument("--save", type=Path, help="write the figures and per-question scores as JSON here")
    args = ap.parse_args()
    from codesearch.config import Config
    from codesearch.embed.embedding import load_embedder

    PACKAGES.mkdir(parents=True, exist_ok=True)
    chosen = selected(args.repos, args.split) if args.repos or args.split else list(PINNED)
    repos = [r for r in chosen if r.source == "npm" and source_prefix(r) and load_questions(r.name)]
    embedder = load_embedder(args.model, Config())
    out = {}
    print("| repository | split | files | units | hybrid file NDCG@10 | first-ten files outside the sources |")
    print("|---|---|---|---|---|---|")
    for repo in repos:
        out[repo.name] = m = measure(repo, embedder, args.model)
        slots = ", ".join(f"{k} {v}" for k, v in m["outside_top10"].items()) or "none"
        print(f"| {repo.name} | {repo.split} | {m['files']} | {m['units']} | {m['ndcg']:.3f} | {slots} |", flush=True)
        if args.save:
            args.save.write_text(json.dumps(out, indent=1))
    if out:
        print(f"\nmean over {len(out)} packages: {sum(m['ndcg'] for m in out.values()) / len(out):.3f}")


if __name__ == "__main__":
    main()
