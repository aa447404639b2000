"""Files inside an index folder, opened so that a planted symlink, FIFO or device is never followed.

Every read and write of the index folder goes through here: no-follow opens, regular-file and
size checks before reading, temp files created exclusively and renamed into place (a rename
replaces a link itself, never its target).
"""

from __future__ import annotations

import contextlib
import os
import re
import stat
from pathlib import Path
from collections.abc import Iterator  # not typing: the fast client imports this module

from codesearch.errors import UntrustedIndexError

NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
CLOEXEC = getattr(os, "O_CLOEXEC", 0)
# `.<name>.<pid>.<8 hex>.tmp`, also the older untagged names; `.+?`: a tag of 8 decimal digits (one in 43) was read as
# the pid, so a live writer's temp file looked stale and was removed under it (a starting server lost server.json)
TEMP_PATTERN = re.compile(r"^\..+?\.(\d+)(\.[0-9a-f]{8})?\.tmp$")
SMALL_FILE = 1 << 20  # state files, sidecars, trust records: never larger than this


def check_entry(path: Path, kind: str = "file", missing_ok: bool = True) -> os.stat_result | None:
    """lstat path and refuse a symlink, something of another kind, or another user's file."""
    try:
        st = os.lstat(path)
    except FileNotFoundError:
        if missing_ok:
            return None
        raise UntrustedIndexError(f"{path} is missing") from None
    want = {"file": stat.S_ISREG, "dir": stat.S_ISDIR, "socket": stat.S_ISSOCK}[kind]
    if stat.S_ISLNK(st.st_mode):
        raise UntrustedIndexError(f"{path} is a symlink")
    if not want(st.st_mode):
        raise UntrustedIndexError(f"{path} is not a regular {kind}")
    if st.st_uid != os.getuid():
        raise UntrustedIndexError(f"{path} belongs to another user (uid {st.st_uid})")
    return st


def open_read(path: Path, max_bytes: int | None = None) -> int:
    """A read-only fd on a regular file of ours, never through a symlink, never blocking on a FIFO."""
    try:
        fd = os.open(path, os.O_RDONLY | NOFOLLOW | CLOEXEC | os.O_NONBLOCK)
    except OSError as exc:
        if exc.errno == 40:  # ELOOP: the last component is a symlink
            raise UntrustedIndexError(f"{path} is a symlink") from None
        raise
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise UntrustedIndexError(f"{path} is not a regular file")
        if st.st_uid != os.getuid():
            raise UntrustedIndexError(f"{path} belongs to another user (uid {st.st_uid})")
        if max_bytes is not None and st.st_size > max_bytes:
            raise UntrustedIndexError(f"{path} is {st.st_size} bytes, more than the {max_bytes} it can be")
    except BaseException:
        os.close(fd)
        raise
    return fd


def read_bytes(path: Path, max_bytes: int = SMALL_FILE) -> bytes:
    """The content of a small regular file (state, sidecar, record), checked before reading."""
    fd = open_read(path, max_bytes)
    try:
        chunks, total = [], 0
        while total <= max_bytes:
            block = os.read(fd, 1 << 16)
            if not block:
                break
            chunks.append(block)
            total += len(block)
        return b"".join(chunks)[: max_bytes + 1]
    finally:
        os.close(fd)


def read_text(path: Path, max_bytes: int = SMALL_FILE) -> str:
    return read_bytes(path, max_bytes).decode("utf-8", errors="replace")


def read_ends(path: Path, head: int, tail: int) -> tuple[bytes, bytes]:
    """The first head bytes of a repository file and, when it is longer, its last tail bytes (b"" otherwise), from
    one open that never follows a link or blocks on a FIFO or device ((b"", b"") for anything but a regular file)."""
    fd = os.open(path, os.O_RDONLY | CLOEXEC | os.O_NONBLOCK | NOFOLLOW)
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            return b"", b""
        first = os.pread(fd, head, 0)
        return first, (os.pread(fd, tail, max(head, info.st_size - tail)) if info.st_size > head else b"")
    finally:
        os.close(fd)


def temp_path(path: Path) -> Path:
    """A fresh temp name next to path: our pid (so stale ones can be found) and a random tag."""
    return path.with_name(f".{path.name}.{os.getpid()}.{os.urandom(4).hex()}.tmp")


def create_exclusive(path: Path, mode: int = 0o600) -> int:
    """A new file that did not exist (never a planted link): O_CREAT | O_EXCL | O_NOFOLLOW."""
    return os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | NOFOLLOW | CLOEXEC, mode)


def fsync_dir(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY | CLOEXEC)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


@contextlib.contextmanager
def replacing(path: Path, mode: int = 0o644) -> Iterator[tuple[Path, int]]:
    """(temp path, its open fd) for a new version of path: renamed over path when the block ends,
    removed if it fails, so readers see the old or the new file, never half, never via a link."""
    tmp = temp_path(path)
    fd = create_exclusive(tmp, mode)
    try:
        yield tmp, fd
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
    fsync_dir(path.parent)


def atomic_write(path: Path, data: bytes, mode: int = 0o644) -> None:
    """Write a file so a reader sees the old or the new content, never half, never via a link."""
    with replacing(path, mode) as (_, fd), os.fdopen(fd, "wb") as fh:
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())


def atomic_write_text(path: Path, text: str, mode: int = 0o644) -> None:
    atomic_write(path, text.encode("utf-8"), mode)


def _open_ours(path: Path, flags: int, mode: int) -> int:
    """An fd on a regular file of this user's, created if needed, never through a symlink."""
    try:
        fd = os.open(path, flags | os.O_CREAT | NOFOLLOW | CLOEXEC | os.O_NONBLOCK, mode)
    except OSError as exc:
        if exc.errno == 40:
            raise UntrustedIndexError(f"{path} is a symlink") from None
        raise
    st = os.fstat(fd)
    if not stat.S_ISREG(st.st_mode) or st.st_uid != os.getuid():
        os.close(fd)
        raise UntrustedIndexError(f"{path} is not a regular file of ours")
    return fd


def open_lock_file(path: Path) -> int:
    """A read-write fd on a lock file, created if needed, never through a symlink."""
    return _open_ours(path, os.O_RDWR, 0o644)


def open_append(path: Path) -> int:
    """An append-only fd on a log file of ours, created if needed, never through a symlink."""
    return _open_ours(path, os.O_WRONLY | os.O_APPEND, 0o600)


def remove_stale_temps(folder: Path, alive) -> list[str]:
    """Delete temp files left by a killed writer (their pid is gone); returns their names."""
    removed = []
    try:
        names = os.listdir(folder)
    except OSError:
        return removed
    for name in names:
        m = TEMP_PATTERN.match(name)
        if not m or alive(int(m.group(1))):
            continue
        try:
            st = os.lstat(folder / name)
            if stat.S_ISREG(st.st_mode) or stat.S_ISLNK(st.st_mode):
                os.unlink(folder / name)
                removed.append(name)
        except OSError:
            continue
    return removed
