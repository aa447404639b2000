"""`python -m codesearch` runs the CLI (the fast path first)."""

from codesearch.cli.fast import main

main()
