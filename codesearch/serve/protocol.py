"""The socket protocol between a warm server and its clients: where the socket is, whose it is, one
JSON line each way.

Standard library only (plus the stdlib-only store modules), so an editor's query through a warm server
does not pay for importing numpy or torch.
"""

from __future__ import annotations

import hashlib
import json
import os
import socket
import struct
from pathlib import Path

from codesearch.errors import CodesearchError, UntrustedIndexError
from codesearch.store.names import SERVER_LOG, SERVER_STARTING, SERVER_STATE, SOCKET_NAME
from codesearch.store.safefiles import check_entry
from codesearch.store.statefiles import live_state
from codesearch.store.trust import verify_folder

__all__ = ["CLIENT_TIMEOUT", "SERVER_LOG", "SERVER_STARTING", "SOCKET_NAME", "ask_server", "believed_state",
           "peer_credentials", "similar_request", "socket_path"]

CLIENT_TIMEOUT = 30.0
MAX_SOCKET_PATH = 100


def socket_path(folder: Path) -> Path:
    """Where this index's socket lives: in the folder when the path fits, else a private runtime dir."""
    direct = folder / SOCKET_NAME
    if len(str(direct)) <= MAX_SOCKET_PATH:
        return direct
    import tempfile  # only for long paths: the warm path stays lean

    runtime = Path(os.environ.get("XDG_RUNTIME_DIR") or tempfile.gettempdir()) / f"codesearch-{os.getuid()}"
    runtime.mkdir(mode=0o700, exist_ok=True)
    st = check_entry(runtime, "dir", missing_ok=False)  # in a shared /tmp another user may have made it
    if st is not None and st.st_mode & 0o077:
        raise UntrustedIndexError(f"{runtime} is open to other users (mode {st.st_mode & 0o777:o}); remove it")
    return runtime / (hashlib.blake2b(str(folder).encode(), digest_size=8).hexdigest() + ".sock")


def peer_credentials(sock: socket.socket) -> tuple[int, int]:
    """(pid, uid) of the process at the other end of a connected Unix socket (SO_PEERCRED)."""
    pid, uid, _gid = struct.unpack("3i", sock.getsockopt(socket.SOL_SOCKET, socket.SO_PEERCRED, struct.calcsize("3i")))
    return pid, uid


def believed_state(folder: Path) -> dict | None:
    """server.json, if it names the socket this index's server would use, ours, in a private place."""
    try:
        verify_folder(folder)
        state = live_state(folder / SERVER_STATE)
        if state is None or state.get("socket") != str(socket_path(folder)):
            return None
        check_entry(Path(state["socket"]), "socket", missing_ok=False)
    except (OSError, CodesearchError):
        return None
    return state

def ask_server(folder: Path, request: dict, timeout: float = CLIENT_TIMEOUT) -> dict | None:
    """The server's reply, or None when no server answers for this index (then search in-process).

    The question goes only to a socket of this user, where this index's server would put it,
    held open by the very process server.json names (checked with SO_PEERCRED).
    """
    state = believed_state(folder)
    if state is None:
        return None
    try:
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
            sock.settimeout(timeout)
            sock.connect(state["socket"])
            if peer_credentials(sock) != (state["pid"], os.getuid()):
                return None
            sock.sendall((json.dumps(request) + "\n").encode())
            data = b""
            while not data.endswith(b"\n"):
                chunk = sock.recv(1 << 16)
                if not chunk:
                    break
                data += chunk
        reply = json.loads(data)
    except (OSError, ValueError):
        return None
    if not isinstance(reply, dict):
        return None
    if "error" in reply:
        raise CodesearchError(f"server: {str(reply['error'])[:500]}")
    return reply


def similar_request(path: Path, line: int, k: int) -> dict:
    """The socket protocol's "find code like this" request (the path made absolute here, where it was given)."""
    return {"similar": {"path": str(Path(path).expanduser().resolve()), "line": line}, "k": k}
