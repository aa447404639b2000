"""Small files that record state (server.json, watch.json, sidecars): atomic writes and live owners.

Standard library only, so the light socket client can read them. Writes and reads go through
safefiles: no symlink is followed, nothing but a small regular file of ours is read.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from codesearch.errors import CodesearchError
from codesearch.store.safefiles import atomic_write_text, fsync_dir, read_text
from codesearch.store.names import SERVER_STATE, WATCH_STATE

MAX_PID = 1 << 22  # Linux's pid_max ceiling
__all__ = ["SERVER_STATE", "WATCH_STATE", "atomic_write_text", "fsync_dir", "pid_alive", "live_state"]


def pid_alive(pid: int) -> bool:
    """True when a process with this pid exists."""
    if type(pid) is not int or not 0 < pid <= MAX_PID:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def live_state(path: Path) -> dict | None:
    """A JSON state file written by a process (watcher, server), or None when it is gone, dead or odd."""
    try:
        state = json.loads(read_text(path, 64 * 1024))
    except (OSError, ValueError, CodesearchError):
        return None
    if not isinstance(state, dict) or not pid_alive(state.get("pid")):  # type: ignore[arg-type]
        return None
    return state
