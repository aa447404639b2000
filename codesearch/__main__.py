"""`python -m codesearch` runs the CLI (the fast path first)."""

import os
import sys
from pathlib import Path

# `python -m` puts the working folder first on sys.path: a repository's own http.py or json.py then hid the standard
# library's ("No module named 'http.client'; 'http' is not a package": probe 71). It stays where it is what holds us.
if sys.path and sys.path[0] in ("", os.getcwd()) and Path(sys.path[0] or ".").resolve() != Path(__file__).resolve().parents[1]:
    del sys.path[0]

from codesearch.cli.fast import main  # noqa: E402

main()
