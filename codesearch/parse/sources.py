"""Read a walked file and parse it: the join between the walk and parse stages."""

from __future__ import annotations

from pathlib import Path

from codesearch.errors import UsageError
from codesearch.parse.parsing import Unit, parse_source
from codesearch.languages import file_language, titles
from codesearch.parse.walk import WalkStats, too_large, walk


def read_units(path: Path, rel: str, language: str) -> list[Unit]:
    """Units of one file on disk; raises OSError when it vanished or cannot be read."""
    with open(path, "rb") as fh:
        data = fh.read()
    return parse_source(data, language, rel)


def units_under(paths: list[Path], max_file_bytes: int, stats: WalkStats | None = None) -> list[Unit]:
    """Units of the given files and directories, for `codesearch chunks`."""
    stats = stats if stats is not None else WalkStats()
    out: list[Unit] = []
    for path in paths:
        if not path.exists():
            raise UsageError(f"no such file or directory: {path}")
        if path.is_dir():
            for sf in walk(path, max_file_bytes=max_file_bytes, stats=stats):
                try:
                    shown = sf.rel if str(path) in (".", "") else f"{path.as_posix().rstrip('/')}/{sf.rel}"
                    out.extend(read_units(sf.path, shown, sf.language))
                except OSError:
                    stats.skipped["unreadable"] += 1
            continue
        language = file_language(path)
        if language is None:
            raise UsageError(f"{path}: not a {titles()} file (by its extension, or a `#!` line in a bin/ folder)")
        if too_large(path, max_file_bytes):  # shown as asked, but `index` would not read it: say so
            stats.skip(str(path), "too large for the index (shown here, not indexed; --max-file-bytes)")
        try:
            out.extend(read_units(path, str(path), language))
        except OSError as exc:
            raise UsageError(f"cannot read {path}: {exc.strerror}") from exc
    return out
