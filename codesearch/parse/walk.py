"""Decide which files under a root are source code worth indexing, honouring ignore files."""

from __future__ import annotations

import errno
import os
import re
import stat
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterator

import pathspec

from codesearch.languages import SPECS, language_for, maybe_script, script_language, unread_extension

IGNORE_FILES = (".gitignore", ".codesearchignore")
ALWAYS_SKIP_DIRS = {".git", ".hg", ".svn", ".codesearch", ".codesearch.rebuilding"}
# Installed dependencies and tool caches, ignored as if every repository's .gitignore said so (a repository without
# one, or an unpacked archive, would index thousands of other people's files); the repository's own ignore files
# come after these, so `!node_modules/` in .codesearchignore searches them again.
DEFAULT_IGNORES = ("node_modules/", "bower_components/", "site-packages/", "dist-packages/", "__pycache__/", ".tox/",
                   ".nox/", ".mypy_cache/", ".pytest_cache/", ".ruff_cache/", ".next/", ".nuxt/", ".svelte-kit/",
                   ".parcel-cache/", ".turbo/", ".angular/", ".gradle/",
                   ".pc/")  # quilt's pre-patch copies in an unpacked Debian source package: each file found twice
# A folder holding one of these is a Python environment (virtualenv, venv, conda), whatever its name: `.venv/`,
# `env/`; a folder merely named `venv` (CPython's Lib/venv) is code.
ENVIRONMENT_MARKS = ("pyvenv.cfg", "conda-meta")
SET_ASIDE_PREFIX = ".codesearch.untrusted-"
BINARY_SNIFF_BYTES = 8192
# A file over the size limit is read still when it is written by hand, up to this many times the limit (its first
# bytes read so far: lines no longer than HAND_WRITTEN_LINE, HAND_WRITTEN_MEAN_LINE on average, no generator's mark)
HAND_WRITTEN_TIMES = 4
HAND_WRITTEN_SNIFF_BYTES = 65536
HAND_WRITTEN_LINE = 400
HAND_WRITTEN_MEAN_LINE = 100
# Lines this long without a space are data, not code: base64 or base85 (get-pip.py's 2.5 MB of wrapped `DATA`, an
# embedded font), hex: a large file whose head holds more than this share of them is no code written by hand
DENSE_LINE = 40
DENSE_SHARE = 0.25
_SPACE = re.compile(r"\s")
MARK_CHARS = 2048  # where a generator writes its mark (the ranking reads as much): a string saying it later is code
# A generator's "do not edit" mark (protobuf, goyacc, stringer, Racc's "DO NOT MODIFY"), which the ranking reads too
GENERATED_MARK = re.compile(r"Code generated .* DO NOT EDIT|DO NOT EDIT|DO NOT MODIFY|@generated|auto-?generated|"
                            r"automatically generated|generated automatically|(?:must|should) not be edited",
                            re.IGNORECASE)


@dataclass
class SourceFile:
    """A file that passed every filter: its path relative to the root and its language."""

    rel: str
    path: Path
    language: str
    size: int
    mtime_ns: int
    ctime_ns: int = 0
    inode: int = 0


@dataclass
class WalkStats:
    """What the walk skipped and why, so a user can see nothing vanished silently.

    skipped counts every reason; problems names the entries that were wrong rather than merely
    uninteresting (a link out of the repository, a loop, an unreadable ignore file), with the reason."""

    skipped: Counter = field(default_factory=Counter)
    files: int = 0
    problems: list[tuple[str, str]] = field(default_factory=list)
    large: list[str] = field(default_factory=list)  # the files left out for their size, named (the first 50)
    not_read: Counter = field(default_factory=Counter)  # source files in a language no spec reads, by extension

    def skip(self, rel: str, why: str, problem: bool = True) -> None:
        self.skipped[why] += 1
        if problem and len(self.problems) < MAX_PROBLEMS:
            self.problems.append((rel, why))
        if why == "too large" and len(self.large) < MAX_PROBLEMS:
            self.large.append(rel)

    def unread(self) -> dict[str, int]:
        """The source files no supported language reads, {extension: count}, most first."""
        return most_first(self.not_read)


def most_first(counts: dict[str, int]) -> dict[str, int]:
    """Counts ordered most first, ties by name: the order a user reads them in."""
    return dict(sorted(counts.items(), key=lambda item: (-item[1], item[0])))


MAX_PROBLEMS = 50  # named in `status`; the counts cover the rest
MAX_IGNORE_BYTES = 1 << 20  # an ignore file larger than this is not a list of patterns
NOT_PROBLEMS = {"ignored", "too large", "binary", "Python environment"}  # ordinary reasons: counted, never listed
# (a file too large is named in WalkStats.large, not among the problems: picocli's whole library is one 1.2 MB file,
# and "skipped 1 too large" hid it)


def shown_name(name: str) -> str:
    """A file name as text: undecodable bytes (os.walk's surrogate escapes) shown as \\xNN.

    The index stores this form; the bytes on disk are kept in SourceFile.path for reading."""
    try:
        name.encode("utf-8")
        return name
    except UnicodeEncodeError:
        return os.fsencode(name).decode("utf-8", "backslashreplace")


def inside(root: str, path: str) -> bool:
    """True when path (absolute, resolved) is root or below it."""
    return path == root or path.startswith(root.rstrip(os.sep) + os.sep)


def link_verdict(root: str, path: str) -> str | None:
    """Why a symlink is not followed (its target outside the root, a loop, dangling), else None."""
    try:
        os.stat(path)
    except OSError as exc:
        return "symlink loop" if exc.errno == errno.ELOOP else "dangling link"
    if not inside(root, os.path.realpath(path)):
        return "link outside the repository"
    return None


def read_ignore_lines(path: Path, root: str, stats: WalkStats | None, rel: str) -> list[str]:
    """The valid patterns of one ignore file; a link out of the root, a device, a huge file, binary or
    invalid lines are skipped and counted, never fatal (a .gitignore linked to /dev/zero hung before)."""
    try:
        st = os.lstat(path)
    except OSError:
        return []
    why = None
    if stat.S_ISLNK(st.st_mode):
        why = link_verdict(root, str(path))
        if why is None:
            st = os.stat(path)
    if why is None and not stat.S_ISREG(st.st_mode):
        why = "ignore file is not a regular file"
    if why is None and st.st_size > MAX_IGNORE_BYTES:
        why = f"ignore file larger than {MAX_IGNORE_BYTES >> 20} MiB"
    data = b""
    if why is None:
        try:
            fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
            try:
                data = os.read(fd, MAX_IGNORE_BYTES + 1)
            finally:
                os.close(fd)
        except OSError as exc:
            why = f"ignore file unreadable ({exc.strerror})"
    if why is not None:
        if stats is not None:
            stats.skip(rel, why)
        return []
    lines = []
    for line in data.decode("utf-8", "replace").splitlines():
        if "\x00" in line or "\ufffd" in line:
            if stats is not None:
                stats.skip(rel, "binary ignore line")
        else:
            lines.append(line)
    try:
        pathspec.GitIgnoreSpec.from_lines(lines)
        return lines
    except ValueError:  # one bad pattern: keep the others (checked one by one only now)
        return [line for line in lines if _valid_pattern(line, stats, rel)]


def _valid_pattern(line: str, stats: WalkStats | None, rel: str) -> bool:
    try:
        pathspec.GitIgnoreSpec.from_lines([line])
        return True
    except ValueError:
        if stats is not None:
            stats.skip(rel, "invalid ignore line")
        return False


class IgnoreRules:
    """Gitignore-style rules from every level, evaluated deepest-last like git does."""

    def __init__(self, root: Path, extra_ignored: list[Path] | None = None, stats: WalkStats | None = None) -> None:
        self.root = root
        self._stats = stats
        self._real_root = os.path.realpath(root)
        self._specs: dict[str, pathspec.GitIgnoreSpec | None] = {}
        self._extra = [os.path.realpath(p) for p in (extra_ignored or [])]
        self._global = self._load(root / ".git" / "info" / "exclude", ".git/info/exclude")
        self._defaults = pathspec.GitIgnoreSpec.from_lines(DEFAULT_IGNORES)
        self._environments: set[str] = set()

    def _load(self, path: Path, rel: str) -> pathspec.GitIgnoreSpec | None:
        lines = read_ignore_lines(path, self._real_root, self._stats, rel)
        return pathspec.GitIgnoreSpec.from_lines(lines) if lines else None

    def _spec_for_dir(self, rel_dir: str) -> pathspec.GitIgnoreSpec | None:
        if rel_dir not in self._specs:
            lines: list[str] = []
            base = self.root / rel_dir if rel_dir else self.root
            for name in IGNORE_FILES:
                lines += read_ignore_lines(base / name, self._real_root, self._stats,
                                           f"{rel_dir}/{name}" if rel_dir else name)
            self._specs[rel_dir] = pathspec.GitIgnoreSpec.from_lines(lines) if lines else None
        return self._specs[rel_dir]

    def is_extra(self, real: str) -> bool:
        """True when a resolved path is (inside) a folder the caller excluded (the index folder)."""
        return any(inside(p, real) for p in self._extra)

    def environment(self, rel_dir: str) -> bool:
        """True when a folder (relative to root) is a Python environment (ENVIRONMENT_MARKS). Only a yes is
        remembered: a folder the watcher saw before `python -m venv` or `conda create` made it one is one after."""
        if rel_dir in self._environments:
            return True
        if any(os.path.lexists(self.root / rel_dir / mark) for mark in ENVIRONMENT_MARKS):
            self._environments.add(rel_dir)
            return True
        return False

    def is_ignored(self, rel: str, is_dir: bool) -> bool:
        """True when the path (relative to root, '/'-separated) is ignored (a Python environment is, always)."""
        if is_dir and rel and self.environment(rel):
            return True
        if self._extra and self.is_extra(os.path.realpath(self.root / rel)):
            return True
        parts = rel.split("/")
        if any(p in ALWAYS_SKIP_DIRS for p in parts[:-1] if p) or (is_dir and parts[-1] in ALWAYS_SKIP_DIRS):
            return True
        if any(p.startswith(SET_ASIDE_PREFIX) for p in (parts if is_dir else parts[:-1])):
            return True  # an index folder we set aside: a stranger's files, never indexed
        verdict: bool | None = None
        candidates: list[tuple[str, pathspec.GitIgnoreSpec | None]] = [("", self._defaults), ("", self._global)]
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
    """Return a skip reason for the file, or None when it is readable text within limits: a file over max_bytes only
    when it is written by hand (written_by_hand) and within HAND_WRITTEN_TIMES the limit."""
    if size > HAND_WRITTEN_TIMES * max_bytes:
        return "too large"
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
        try:
            head = os.read(fd, HAND_WRITTEN_SNIFF_BYTES if size > max_bytes else BINARY_SNIFF_BYTES)
        finally:
            os.close(fd)
    except FileNotFoundError:
        return "vanished"
    except OSError:
        return "unreadable"
    if b"\x00" in head[:BINARY_SNIFF_BYTES]:
        return "binary"
    if size > max_bytes and not written_by_hand(head):
        return "too large"
    return None


def too_large(path: Path, max_bytes: int) -> bool:
    """Whether the walk would leave a regular file out for its size (_sniff)."""
    try:
        return _sniff(path, os.stat(path).st_size, max_bytes) == "too large"
    except OSError:
        return False


def written_by_hand(head: bytes) -> bool:
    """A large file's first bytes read like code a person wrote (picocli's 1.2 MB CommandLine.java, its whole
    library): lines of ordinary length and no generator's mark; a bundle, a minified file or a generated table is
    not."""
    text = head.decode("utf-8", "replace")
    lines = text.split("\n")[:-1] or [text]
    dense = sum(1 for line in (raw.rstrip("\r") for raw in lines) if len(line) >= DENSE_LINE and not _SPACE.search(line))
    return (max(map(len, lines)) <= HAND_WRITTEN_LINE and sum(map(len, lines)) / len(lines) <= HAND_WRITTEN_MEAN_LINE
            and dense <= DENSE_SHARE * len(lines) and not GENERATED_MARK.search(text[:MARK_CHARS]))


def _admit(path: Path, max_file_bytes: int, real_root: str) -> os.stat_result | str:
    """The file's stat when it is a readable regular text file within limits, else why not.

    A symlink counts only when its target is inside the repository too: a cloned repository's link
    to ~/.ssh/id_rsa must never put that file's text into results."""
    try:
        st = os.lstat(path)
        if stat.S_ISLNK(st.st_mode):
            why = link_verdict(real_root, str(path))
            if why is not None:
                return why
            st = os.stat(path)
    except FileNotFoundError:
        return "vanished"
    except OSError:
        return "unreadable"
    if not stat.S_ISREG(st.st_mode):
        return "not a regular file"
    return _sniff(path, st.st_size, max_file_bytes) or st


def _keep_dirs(dirpath: str, dirnames: list[str], rel_dir: str, rules: IgnoreRules, real_root: str,
               seen: set[tuple[int, int]], stats: WalkStats) -> list[str]:
    """The subfolders to descend into: not ignored; a linked one only when its target is inside the root,
    is not above the link (a loop), and is not walked anyway under its own path (ignored there)."""
    kept = []
    for d in sorted(dirnames):
        rel = f"{rel_dir}/{shown_name(d)}" if rel_dir else shown_name(d)
        if rules.is_ignored(rel, is_dir=True):  # a Python environment is, and is counted (known to rules by now)
            if rules.environment(rel):
                stats.skip(rel, "Python environment", problem=False)
            continue
        full = os.path.join(dirpath, d)
        try:
            st = os.stat(full)
        except OSError as exc:
            stats.skip(rel, "symlink loop" if exc.errno == errno.ELOOP else "dangling link")
            continue
        if os.path.islink(full):
            why = link_verdict(real_root, full)
            real = os.path.realpath(full)
            if why is None and inside(real, os.path.realpath(dirpath)):
                why = "symlink loop"
            if why is None and (rules.is_extra(real) or not _ignored_path(rules, os.path.relpath(real, real_root))):
                stats.skip(rel, "link to a folder indexed anyway", problem=False)  # its files under their own path
                continue
            if why is not None:
                stats.skip(rel, why)
                continue
        if (st.st_dev, st.st_ino) in seen:
            stats.skip(rel, "symlink loop")
            continue
        seen.add((st.st_dev, st.st_ino))
        kept.append(d)
    return kept


def _ignored_path(rules: IgnoreRules, rel: str) -> bool:
    """True when a folder (relative to the root) or any folder above it is ignored."""
    parts = rel.replace(os.sep, "/").split("/")
    return any(rules.is_ignored("/".join(parts[:depth]), is_dir=True) for depth in range(1, len(parts) + 1))


def walk(
    root: Path,
    max_file_bytes: int = 1024 * 1024,
    ignored_dirs: list[Path] | None = None,
    stats: WalkStats | None = None,
    on_error: Callable[[str, str], None] | None = None,
) -> Iterator[SourceFile]:
    """Yield the source files under root in a stable order; skipped files are counted in stats.

    One bad entry never stops the walk: every one is skipped, counted and named in stats."""
    root = root.resolve()
    real_root = str(root)
    stats = stats if stats is not None else WalkStats()
    rules = IgnoreRules(root, ignored_dirs, stats)
    root_st = os.stat(root)
    seen = {(root_st.st_dev, root_st.st_ino)}

    def onerror(err: OSError) -> None:
        stats.skip(shown_name(os.path.relpath(str(err.filename), root)) if err.filename else "?", "unreadable")
        if on_error:
            on_error(str(err.filename), str(err.strerror))

    for dirpath, dirnames, filenames in os.walk(root, onerror=onerror, followlinks=True):
        rel_dir = os.path.relpath(dirpath, root).replace(os.sep, "/")
        rel_dir = "" if rel_dir == "." else shown_name(rel_dir)
        dirnames[:] = _keep_dirs(dirpath, dirnames, rel_dir, rules, real_root, seen, stats)
        for name in sorted(filenames):
            lang = language_for(name)
            shown = shown_name(name)
            rel = f"{rel_dir}/{shown}" if rel_dir else shown
            if lang is None and not maybe_script(os.path.join(dirpath, name)):  # a command's `#!` may make it ours
                unread = unread_extension(name)  # source code no spec reads: counted, so nobody thinks it searched
                if unread and not rules.is_ignored(rel, is_dir=False):
                    stats.not_read[unread] += 1
                continue
            if rules.is_ignored(rel, is_dir=False):
                stats.skip(rel, "ignored", problem=False)
                continue
            path = Path(dirpath) / name
            st = _admit(path, max_file_bytes, real_root)
            if lang is None:  # its `#!` read after the ignore rules and the checks of links and devices
                lang = script_language(path) if isinstance(st, os.stat_result) else None
                if lang is None:
                    continue  # a file in bin/ not ours to read: not counted
            if isinstance(st, str):
                stats.skip(rel, st, problem=st not in NOT_PROBLEMS)
                continue
            stats.files += 1
            yield SourceFile(rel, path, lang, st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino)


def supported_languages() -> str:
    """The languages codesearch reads and their extensions, from the registry, as a message says them."""
    return ", ".join(f"{spec.name} ({' '.join(spec.extensions)})" for spec in SPECS)


def survey(root: Path, ignored_dirs: list[Path] | None = None, limit: int = 100_000) -> Counter:
    """Files under root that no supported language claims, by extension ("" for none), ignore files
    honoured; stops after limit files. Asked only when an index found nothing to read."""
    root = root.resolve()
    rules, found, seen = IgnoreRules(root, ignored_dirs), Counter(), 0
    for dirpath, dirnames, filenames in os.walk(root, followlinks=False):
        rel_dir = os.path.relpath(dirpath, root).replace(os.sep, "/")
        rel_dir = "" if rel_dir == "." else rel_dir
        dirnames[:] = [d for d in sorted(dirnames) if not rules.is_ignored(f"{rel_dir}/{d}" if rel_dir else d, is_dir=True)]
        for name in filenames:
            if language_for(name) is None and not rules.is_ignored(f"{rel_dir}/{name}" if rel_dir else name, is_dir=False):
                found[os.path.splitext(name)[1].lower()] += 1
            seen += 1
            if seen >= limit:
                return found
    return found


def source_file(root: Path, rel: str, max_file_bytes: int = 1024 * 1024) -> SourceFile | str:
    """Check one path the way walk() would; return the SourceFile or the reason it is skipped.

    rel may hold os.walk's surrogate escapes (a watcher event); the SourceFile's rel is shown_name(rel)."""
    lang = language_for(rel)
    if lang is None and not maybe_script(os.fspath(root / rel)):
        return "not a source file"
    root = root.resolve()
    rules = IgnoreRules(root)
    shown = shown_name(rel)
    parts = shown.split("/")
    for depth in range(1, len(parts)):
        if rules.is_ignored("/".join(parts[:depth]), is_dir=True):
            return "ignored"
    if rules.is_ignored(shown, is_dir=False):
        return "ignored"
    path = root / rel
    real_parent = os.path.realpath(path.parent)
    if not inside(str(root), real_parent):
        return "link outside the repository"
    st = _admit(path, max_file_bytes, str(root))
    lang = lang or (script_language(path) if not isinstance(st, str) else None)  # its `#!` read once it is admitted
    if lang is None:
        return "not a source file"
    return st if isinstance(st, str) else SourceFile(shown, path, lang, st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino)
