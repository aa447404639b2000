"""The `codesearch` command: arguments and output formats over the engine."""

from .main import cli, main

__all__ = ["cli", "main"]
