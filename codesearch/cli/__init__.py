"""The `codesearch` command: arguments and output formats over the engine."""

from .main import cli, main, run

__all__ = ["cli", "main", "run"]
