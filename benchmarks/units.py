"""How many units each kind adds on real repositories, and how many more get embedded than before.

Before unit kinds, only functions, methods and constructors were units (and all were embedded); now
types, module pieces, blocks and windows join them, and the small ones are searched by words only
(parse/units.py `worth_embedding`). The issue allows at most +25 % units embedded.

    python benchmarks/units.py DIR [DIR ...]   # e.g. unpacked sdists under benchmarks/.cache/units/

Prints one markdown row per folder and a total: units per kind, embedded per kind, embedded now
against before. Uses the shipped walker and parser (parse/sources.py), nothing else.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

from codesearch.parse.sources import units_under
from codesearch.parse.units import worth_embedding
from codesearch.parse.walk import WalkStats
from codesearch.query import UNIT_KINDS

FUNCTION_KINDS = ("function", "method", "constructor")


def measure(folder: Path) -> tuple[Counter, Counter, int]:
    """(units per kind, embedded units per kind, files) of one folder."""
    stats = WalkStats()
    units = units_under([folder], max_file_bytes=1024 * 1024, stats=stats)
    return Counter(u.kind for u in units), Counter(u.kind for u in units if worth_embedding(u)), stats.files


def row(name: str, kinds: Counter, embedded: Counter, files: int) -> str:
    """One markdown table row: per kind 'units (embedded)', then before -> now embedded."""
    before = sum(kinds[k] for k in FUNCTION_KINDS)
    now = sum(embedded.values())
    cells = [f"{kinds[k]} ({embedded[k]})" if k not in FUNCTION_KINDS else str(kinds[k]) for k in UNIT_KINDS]
    growth = f"{100 * (now - before) / before:+.1f} %" if before else "-"
    return f"| {name} | {files} | " + " | ".join(cells) + f" | {before} → {now} | {growth} |"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("folders", nargs="+", type=Path)
    args = parser.parse_args(argv)
    print("| repository | files | " + " | ".join(UNIT_KINDS) + " | embedded before → now | growth |")
    print("|---|---:|" + "---:|" * len(UNIT_KINDS) + "---:|---:|")
    total_k, total_e, total_f = Counter(), Counter(), 0
    for folder in args.folders:
        kinds, embedded, files = measure(folder)
        total_k, total_e, total_f = total_k + kinds, total_e + embedded, total_f + files
        print(row(folder.name, kinds, embedded, files), flush=True)
    if len(args.folders) > 1:
        print(row("**all**", total_k, total_e, total_f))
    return 0


if __name__ == "__main__":
    sys.exit(main())
