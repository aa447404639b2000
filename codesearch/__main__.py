"""`python -m codesearch` runs the CLI (the fast path first)."""

from .cli.fast import main

main()
