"""The `codesearch` command: arguments and output formats over the engine.

`main` is the console script: a standard-library fast path answers `query`/`similar` through a
warm server; everything else loads the click CLI (`cli`, imported only when first asked for).
"""

from .fast import main

__all__ = ["cli", "main", "run"]


def __getattr__(name: str):
    if name in ("cli", "run"):
        import importlib

        commands = importlib.import_module(f"{__name__}.main")  # binds the package's `main` to the module ...

        globals()["main"] = _entry  # ... so the console script's `main` is put back
        return getattr(commands, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


_entry = main
