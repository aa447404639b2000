"""`python -m codesearch` runs the CLI."""

from .cli import main

main()
