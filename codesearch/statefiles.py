"""Small files that record state (server.json, watch.json, sidecars): atomic writes and live owners.

Standard library only, so the light socket client can read them.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

SERVER_STATE = "server.json"
WATCH_STATE = "watch.json"


def fsync_dir(folder: Path) -> None:
    """Make a rename inside folder durable."""
    fd = os.open(str(folder), os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def atomic_write_text(path: Path, text: str) -> None:
    """Write a small file so a reader sees the old or the new content, never half."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    with open(tmp, "w", encoding="utf-8") as fh:
        fh.write(text)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)
    fsync_dir(path.parent)


def pid_alive(pid: int) -> bool:
    """True when a process with this pid exists."""
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def live_state(path: Path) -> dict | None:
    """A JSON state file written by a process (watcher, server), or None when it is gone or dead."""
    try:
        state = json.loads(path.read_text())
        pid = int(state.get("pid", 0))
    except (OSError, ValueError, TypeError, AttributeError):
        return None
    return state if pid_alive(pid) else None
