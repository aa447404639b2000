"""Which index covers a folder, and where a new one goes: no model, no numpy, only the filesystem.

A relative index folder (flag or CODESEARCH_INDEX_DIR) always means `<root>/<folder>`, for writing
and reading alike, so commands run from a subfolder find what `index` wrote at the root.
"""

from __future__ import annotations

from pathlib import Path

from .config import Config

CATALOG_NAME = "catalog.sqlite"


def _recorded_root(folder: Path) -> Path | None:
    """The root an index folder outside its repository says it covers (read-only, no migration)."""
    import sqlite3  # only for an index folder outside the repository: the fast client skips it otherwise

    try:
        db = sqlite3.connect(f"file:{folder / CATALOG_NAME}?mode=ro", uri=True, timeout=5)
        try:
            row = db.execute("SELECT value FROM meta WHERE key = 'root'").fetchone()
        finally:
            db.close()
    except sqlite3.Error:
        return None
    if not row or not isinstance(row[0], str) or not row[0].startswith("/"):
        return None
    return Path(row[0])


def find_index(start: Path, cfg: Config) -> tuple[Path, Path] | None:
    """(root, index folder) of the index that covers start, walking up; None if there is none."""
    start = Path(start).resolve()
    if start.is_file():
        start = start.parent
    if cfg.index_dir and Path(cfg.index_dir).expanduser().is_absolute():
        folder = Path(cfg.index_dir).expanduser()
        if not (folder / CATALOG_NAME).is_file():
            return None
        root = _recorded_root(folder)
        return (root if root is not None else start), folder.resolve()
    for d in [start, *start.parents]:
        folder = cfg.index_path(d)
        if (folder / CATALOG_NAME).is_file():
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
