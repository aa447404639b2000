"""The `codesearch` command: arguments and output formats over the engine.

`main` is the console script: a standard-library fast path answers `query`/`similar` through a
warm server; everything else loads the click CLI (`codesearch.cli.commands`, imported only when
first asked for).
"""

from codesearch.cli.fast import main

__all__ = ["cli", "main", "run"]


def __getattr__(name: str):
    """Load the click commands only when `cli` or `run` is asked for (the fast path never needs them)."""
    if name in ("cli", "run"):
        import importlib

        return getattr(importlib.import_module(f"{__name__}.commands"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
