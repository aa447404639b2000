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


def units_under(paths: list[Path], max_file_bytes: int, stats: WalkStats | None = None,
                problems: list[str] | None = None, repo: Path | None = None) -> list[Unit]:
    """Units of the given files and directories, for `codesearch chunks`. A path that cannot be shown (missing, not
    a source file, unreadable) raises UsageError, or with problems given is said there and the others still shown
    (`chunks a.rb Guardfile` shows a.rb). With repo given, paths under it are shown as its index shows them."""
    stats = stats if stats is not None else WalkStats()
    out: list[Unit] = []
    for path in paths:
        try:
            out.extend(_units_of(path, max_file_bytes, stats, _shown(path, repo)))
        except UsageError as exc:
            if problems is None:
                raise
            problems.append(str(exc))
    return out


def _shown(path: Path, repo: Path | None) -> str:
    """How a path given to `chunks` is shown: as typed, or relative to the repository it was given with."""
    if repo is not None:
        try:
            return path.resolve().relative_to(repo.resolve()).as_posix()
        except ValueError:
            pass
    return str(path)


def _units_of(path: Path, max_file_bytes: int, stats: WalkStats, shown_as: str) -> list[Unit]:
    """The units of one file, or of every source file under one directory (units_under)."""
    if not path.exists():
        raise UsageError(f"no such file or directory: {path}")
    out: list[Unit] = []
    if path.is_dir():
        read, skipped = 0, sum(stats.skipped.values())
        for sf in walk(path, max_file_bytes=max_file_bytes, stats=stats):
            try:
                shown = sf.rel if shown_as in (".", "") else f"{shown_as.rstrip('/')}/{sf.rel}"
                out.extend(read_units(sf.path, shown, sf.language))
                read += 1
            except OSError:
                stats.skipped["unreadable"] += 1
        if not read and sum(stats.skipped.values()) == skipped:
            raise UsageError(f"{path}: no {titles()} files in it (by their extensions, or a `#!` line in a bin/ "
                             "folder or at the top)")
        return out
    language = file_language(path)
    if language is None:
        raise UsageError(f"{path}: not a {titles()} file (by its extension, or a `#!` line naming one)")
    if too_large(path, max_file_bytes):  # shown as asked, but `index` would not read it: say so
        stats.skip(str(path), "too large for the index (shown here, not indexed; --max-file-bytes)")
    try:
        return read_units(path, shown_as, language)
    except OSError as exc:
        raise UsageError(f"cannot read {path}: {exc.strerror}") from exc
