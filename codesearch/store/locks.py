"""One writer at a time: an advisory lock that dies with its holder, so stale locks free themselves."""

from __future__ import annotations

import fcntl
import os
from pathlib import Path

from codesearch.errors import CodesearchError, IndexLockedError
from codesearch.store.safefiles import open_lock_file, open_read
from codesearch.store.names import LOCK_NAME, REBUILD_LOCK_NAME



class WriterLock:
    """An exclusive flock on <index>/writer.lock, holding the owner's pid for messages."""

    def __init__(self, folder: Path, name: str = LOCK_NAME) -> None:
        self.path = folder / name
        self.fd: int | None = None

    def acquire(self) -> "WriterLock":
        fd = open_lock_file(self.path)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 32, 0).decode(errors="replace").strip() or "?"
            os.close(fd)
            if self.path.name == REBUILD_LOCK_NAME:
                raise IndexLockedError(f"the index at {self.path.parent} is being rebuilt by another codesearch "
                                       f"process (pid {holder}); wait for it to finish") from None
            raise IndexLockedError(
                f"the index at {self.path.parent} is being written by another codesearch process (pid {holder}); "
                "wait for it to finish or stop it (a `codesearch watch` or `serve` keeps it current for you)"
            ) from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, str(os.getpid()).encode(), 0)
        self.fd = fd
        return self

    def release(self) -> None:
        if self.fd is not None:
            fcntl.flock(self.fd, fcntl.LOCK_UN)
            os.close(self.fd)
            self.fd = None

    def __enter__(self) -> "WriterLock":
        return self.acquire()

    def __exit__(self, *exc: object) -> None:
        self.release()

    def holder(self) -> int | None:
        """Pid of the live writer, or None when nobody holds the lock."""
        try:
            fd = open_read(self.path)
        except (OSError, CodesearchError):
            return None
        try:
            fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
            fcntl.flock(fd, fcntl.LOCK_UN)
            return None
        except BlockingIOError:
            text = os.pread(fd, 32, 0).decode(errors="replace").strip()
            return int(text) if text.isdigit() else -1
        finally:
            os.close(fd)
