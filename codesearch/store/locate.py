"""Which index covers a folder, and where a new one goes: no model, no numpy, only the filesystem.

A relative index folder (flag or CODESEARCH_INDEX_DIR) always means `<root>/<folder>`, for writing
and reading alike, so commands run from a subfolder find what `index` wrote at the root. Nothing
inside a folder is read to find it: the root is the folder's parent (the folder it was found
from), or for an absolute --index-dir the root its verified trust record names.
"""

from __future__ import annotations

import os
from pathlib import Path

from codesearch.config import Config
from codesearch.errors import UntrustedIndexError
from codesearch.store.trust import verify_folder
from codesearch.store.names import CATALOG_NAME



def canonical_folder(folder: Path) -> Path:
    """An index folder's absolute path with its parent resolved but never the folder itself (a link)."""
    folder = Path(os.path.abspath(folder))
    return folder.parent.resolve() / folder.name


def _present(folder: Path) -> bool:
    """An index folder is there (even a planted link or a link inside: opening it says why it is refused)."""
    return os.path.islink(folder) or os.path.lexists(folder / CATALOG_NAME)


def find_index(start: Path, cfg: Config) -> tuple[Path, Path] | None:
    """(root, index folder) of the index that covers start, walking up; None if there is none."""
    start = Path(start).resolve()
    if start.is_file():
        start = start.parent
    if cfg.index_dir and Path(cfg.index_dir).expanduser().is_absolute():
        folder = canonical_folder(Path(cfg.index_dir).expanduser())
        if not _present(folder):
            return None
        try:
            return verify_folder(folder).root, folder
        except UntrustedIndexError:
            return start, folder  # opening it refuses it, saying why
    for d in [start, *start.parents]:
        folder = canonical_folder(cfg.index_path(d))
        if _present(folder):
            return d, folder
    return None


def default_root(start: Path, cfg: Config) -> Path:
    """Root for a new index: an existing index's root, else the git work tree, else start."""
    found = find_index(start, cfg)
    if found:
        return found[0]
    start = Path(start).resolve()
    for d in [start, *start.parents]:
        if (d / ".git").exists():
            return d
    return start
