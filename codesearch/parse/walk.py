"""Decide which files under a root are source code worth indexing, honouring ignore files."""

from __future__ import annotations

import os
import stat
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterator

import pathspec

from codesearch.languages import language_for

IGNORE_FILES = (".gitignore", ".codesearchignore")
ALWAYS_SKIP_DIRS = {".git", ".hg", ".svn", ".codesearch"}
SET_ASIDE_PREFIX = ".codesearch.untrusted-"
BINARY_SNIFF_BYTES = 8192


@dataclass
class SourceFile:
    """A file that passed every filter: its path relative to the root and its language."""

    rel: str
    path: Path
    language: str
    size: int
    mtime_ns: int


@dataclass
class WalkStats:
    """What the walk skipped and why, so a user can see nothing vanished silently."""

    skipped: Counter = field(default_factory=Counter)
    files: int = 0


class IgnoreRules:
    """Gitignore-style rules from every level, evaluated deepest-last like git does."""

    def __init__(self, root: Path, extra_ignored: list[Path] | None = None) -> None:
        self.root = root
        self._specs: dict[str, pathspec.GitIgnoreSpec | None] = {}
        self._extra = [p.resolve() for p in (extra_ignored or [])]
        self._global = self._load_lines(root / ".git" / "info" / "exclude")

    @staticmethod
    def _load_lines(path: Path) -> pathspec.GitIgnoreSpec | None:
        try:
            lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
        except OSError:
            return None
        return pathspec.GitIgnoreSpec.from_lines(lines) if lines else None

    def _spec_for_dir(self, rel_dir: str) -> pathspec.GitIgnoreSpec | None:
        if rel_dir not in self._specs:
            lines: list[str] = []
            base = self.root / rel_dir if rel_dir else self.root
            for name in IGNORE_FILES:
                try:
                    lines += (base / name).read_text(encoding="utf-8", errors="replace").splitlines()
                except OSError:
                    pass
            self._specs[rel_dir] = pathspec.GitIgnoreSpec.from_lines(lines) if lines else None
        return self._specs[rel_dir]

    def is_ignored(self, rel: str, is_dir: bool) -> bool:
        """True when the path (relative to root, '/'-separated) is ignored."""
        if self._extra:
            absolute = (self.root / rel).resolve()
            if any(absolute == p or p in absolute.parents for p in self._extra):
                return True
        parts = rel.split("/")
        if any(p in ALWAYS_SKIP_DIRS for p in parts[:-1] if p) or (is_dir and parts[-1] in ALWAYS_SKIP_DIRS):
            return True
        if any(p.startswith(SET_ASIDE_PREFIX) for p in (parts if is_dir else parts[:-1])):
            return True  # an index folder we set aside: a stranger's files, never indexed
        verdict: bool | None = None
        candidates: list[tuple[str, pathspec.GitIgnoreSpec | None]] = [("", self._global)]
        for depth in range(len(parts)):
            d = "/".join(parts[:depth])
            candidates.append((d, self._spec_for_dir(d)))
        for base, spec in candidates:
            if spec is None:
                continue
            sub = rel[len(base) + 1 :] if base else rel
            result = spec.check_file(sub + "/" if is_dir else sub)
            if result.include is not None:
                verdict = result.include
        return bool(verdict)


def _sniff(path: Path, size: int, max_bytes: int) -> str | None:
    """Return a skip reason for the file, or None when it is readable text within limits."""
    if size > max_bytes:
        return "too large"
    try:
        with open(path, "rb") as fh:
            head = fh.read(BINARY_SNIFF_BYTES)
    except FileNotFoundError:
        return "vanished"
    except OSError:
        return "unreadable"
    if b"\x00" in head:
        return "binary"
    return None


def _admit(path: Path, max_file_bytes: int) -> os.stat_result | str:
    """The file's stat when it is a readable regular text file within limits, else why not."""
    try:
        st = os.stat(path)  # follows a file symlink; a dangling one raises
    except FileNotFoundError:
        return "vanished"
    except OSError:
        return "unreadable"
    if not stat.S_ISREG(st.st_mode):
        return "not a regular file"
    return _sniff(path, st.st_size, max_file_bytes) or st


def walk(
    root: Path,
    max_file_bytes: int = 1024 * 1024,
    ignored_dirs: list[Path] | None = None,
    stats: WalkStats | None = None,
    on_error: Callable[[str, str], None] | None = None,
) -> Iterator[SourceFile]:
    """Yield the source files under root in a stable order; skipped files are counted in stats."""
    root = root.resolve()
    stats = stats if stats is not None else WalkStats()
    rules = IgnoreRules(root, ignored_dirs)

    def onerror(err: OSError) -> None:
        stats.skipped["unreadable"] += 1
        if on_error:
            on_error(str(err.filename), str(err.strerror))

    for dirpath, dirnames, filenames in os.walk(root, onerror=onerror, followlinks=False):
        rel_dir = os.path.relpath(dirpath, root).replace(os.sep, "/")
        rel_dir = "" if rel_dir == "." else rel_dir
        kept = []
        for d in sorted(dirnames):
            rel = f"{rel_dir}/{d}" if rel_dir else d
            if not rules.is_ignored(rel, is_dir=True):
                kept.append(d)
        dirnames[:] = kept
        for name in sorted(filenames):
            lang = language_for(name)
            if lang is None:
                continue
            rel = f"{rel_dir}/{name}" if rel_dir else name
            if rules.is_ignored(rel, is_dir=False):
                stats.skipped["ignored"] += 1
                continue
            path = Path(dirpath) / name
            st = _admit(path, max_file_bytes)
            if isinstance(st, str):
                stats.skipped[st] += 1
                continue
            stats.files += 1
            yield SourceFile(rel, path, lang, st.st_size, st.st_mtime_ns)


def source_file(root: Path, rel: str, max_file_bytes: int = 1024 * 1024) -> SourceFile | str:
    """Check one path the way walk() would; return the SourceFile or the reason it is skipped."""
    lang = language_for(rel)
    if lang is None:
        return "not a source file"
    rules = IgnoreRules(root.resolve())
    parts = rel.split("/")
    for depth in range(1, len(parts)):
        if rules.is_ignored("/".join(parts[:depth]), is_dir=True):
            return "ignored"
    if rules.is_ignored(rel, is_dir=False):
        return "ignored"
    path = root / rel
    st = _admit(path, max_file_bytes)
    return st if isinstance(st, str) else SourceFile(rel, path, lang, st.st_size, st.st_mtime_ns)
