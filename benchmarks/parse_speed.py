"""Parse speed over a real tree (default: this Python's standard library): files/s, MB/s, units/s."""

from __future__ import annotations

import argparse
import sysconfig
import time
from pathlib import Path

from codesearch.parse.sources import read_units
from codesearch.parse.walk import WalkStats, walk


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("root", nargs="?", default=sysconfig.get_paths()["stdlib"], help="tree to parse")
    parser.add_argument("--all", action="store_true", help="include site-packages under the root")
    args = parser.parse_args()
    root = Path(args.root)
    t0 = time.perf_counter()
    stats = WalkStats()
    files = [f for f in walk(root, stats=stats) if args.all or not f.rel.startswith(("site-packages/", "dist-packages/"))]
    t_walk = time.perf_counter() - t0
    nbytes = units = 0
    t1 = time.perf_counter()
    for f in files:
        try:
            units += len(read_units(f.path, f.rel, f.language))
        except OSError:
            continue
        nbytes += f.size
    t_parse = time.perf_counter() - t1
    print(f"root: {root}")
    print(f"walk: {len(files)} files in {t_walk:.2f}s (skipped: {dict(stats.skipped)})")
    print(f"parse: {t_parse:.2f}s  {len(files) / t_parse:.0f} files/s  {nbytes / 1e6 / t_parse:.2f} MB/s  "
          f"{units / t_parse:.0f} units/s  ({units} units, {nbytes / 1e6:.1f} MB)")
    print(f"total: {t_walk + t_parse:.2f}s (target: whole stdlib under 30 s on 2 cores)")


if __name__ == "__main__":
    main()
