"""The socket protocol between a warm server and its clients: where the socket is, whose it is, one
JSON line each way, and the limits both sides hold to (request size and nesting, retries).

A reply is {"root", "model", "pid", "hits", "coverage"} or {"error": one line, "kind": one of KINDS}.
A request over TCP carries {"token": ...}, read from server.json in the trusted index folder.

Standard library only (plus the stdlib-only store modules), so an editor's query through a warm server
does not pay for importing numpy or torch.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import socket
import struct
import time
from pathlib import Path
from typing import Callable

from codesearch.errors import CodesearchError, UntrustedIndexError, UsageError
from codesearch.store.names import SERVER_LOG, SERVER_STARTING, SERVER_STATE, SOCKET_NAME
from codesearch.store.safefiles import check_entry
from codesearch.store.statefiles import live_state
from codesearch.store.trust import verify_folder

__all__ = ["CLIENT_TIMEOUT", "KINDS", "MAX_REQUEST_BYTES", "RequestError", "SERVER_LOG", "SERVER_STARTING",
           "SOCKET_NAME", "ask_server", "believed_state", "error_reply", "parse_request", "peer_credentials",
           "similar_request", "socket_path", "tcp_endpoint"]

CLIENT_TIMEOUT = 30.0
MAX_SOCKET_PATH = 100
MAX_REQUEST_BYTES = 256 * 1024  # a query, filters and a path: far below this; a pasted file still fits
MAX_NESTING = 4  # a request is an object holding a list or an object at most
RETRY_SECONDS = 2.0  # how long a client keeps trying a busy or full server before searching in-process
KINDS = ("bad_request", "too_large", "unauthorized", "busy", "timeout", "index", "internal")
_STRINGS = re.compile(rb'"(?:[^"\\]|\\.)*"', re.S)
_BRACKETS = re.compile(rb"[\[\]{}]")


class RequestError(UsageError):
    """A request the server will not run: malformed, too big, too deep, or without its token."""

    def __init__(self, message: str, kind: str = "bad_request") -> None:
        super().__init__(message)
        self.kind = kind


def error_reply(kind: str, message: str) -> dict:
    """The one-line error a server sends back ("bad request: ..." for the client's own mistakes)."""
    return {"error": f"bad request: {message}" if kind == "bad_request" else message, "kind": kind}


def _nesting(line: bytes) -> int:
    """How deep brackets nest outside strings, counted up to one past MAX_NESTING (then it stops)."""
    depth = deepest = 0
    for bracket in _BRACKETS.finditer(_STRINGS.sub(b'""', line)):
        depth += 1 if bracket.group() in b"[{" else -1
        deepest = max(deepest, depth)
        if deepest > MAX_NESTING:
            break
    return deepest


def parse_request(line: bytes) -> dict:
    """The request object in one line from a client; RequestError saying what is wrong with it."""
    if len(line) > MAX_REQUEST_BYTES:
        raise RequestError(f"a request is at most {MAX_REQUEST_BYTES} bytes, this one is more", "too_large")
    try:
        text = line.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise RequestError(f"the request is not UTF-8 text (byte {exc.start})") from None
    if _nesting(line) > MAX_NESTING:
        raise RequestError(f"the request is nested more than {MAX_NESTING} levels deep") from None
    try:
        request = json.loads(text)
    except ValueError as exc:
        raise RequestError(f"the request is not JSON ({str(exc).split(':')[0]})") from None
    if not isinstance(request, dict):
        raise RequestError("a request is one JSON object per line")
    return request


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

def tcp_endpoint(folder: Path) -> tuple[str, int, str] | None:
    """(host, port, token) of this index's server over TCP, from the trusted folder; None when it has none."""
    state = believed_state(folder)
    tcp, token = (state or {}).get("tcp"), (state or {}).get("token")
    if not isinstance(tcp, str) or not isinstance(token, str):
        return None
    host, _, port = tcp.rpartition(":")
    return (host, int(port), token) if port.isdigit() else None


def _exchange(state: dict, payload: bytes, timeout: float) -> dict | None:
    """Send one request to the server server.json names and read its reply; None when it is not ours."""
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
        sock.settimeout(timeout)
        sock.connect(state["socket"])
        if peer_credentials(sock) != (state["pid"], os.getuid()):
            return None
        try:
            sock.sendall(payload)
        except (BrokenPipeError, ConnectionResetError):
            pass  # a server that refused the request early may still have said why: read it
        data = b""
        while not data.endswith(b"\n"):
            chunk = sock.recv(1 << 16)
            if not chunk:
                break
            data += chunk
    reply = json.loads(data)
    return reply if isinstance(reply, dict) else None


def ask_server(folder: Path, request: dict, timeout: float = CLIENT_TIMEOUT,
               on_retry: Callable[[str], None] | None = None) -> dict | None:
    """The server's reply, or None when no server answers for this index (then search in-process).

    The question goes only to a socket of this user, where this index's server would put it,
    held open by the very process server.json names (checked with SO_PEERCRED). A server that is
    full (connection refused) or busy is asked again for up to RETRY_SECONDS; on_retry hears why.
    """
    state = believed_state(folder)
    if state is None:
        return None
    payload = (json.dumps(request) + "\n").encode()
    deadline, pause = time.monotonic() + RETRY_SECONDS, 0.005
    while True:
        try:
            reply = _exchange(state, payload, timeout)
        except (BlockingIOError, ConnectionRefusedError, InterruptedError):
            why = "refused"  # a full listen queue: EAGAIN on a Unix socket
        except (OSError, ValueError):
            return None
        else:
            if reply is None:
                return None
            if reply.get("kind") != "busy":
                break
            why = "busy"
        if time.monotonic() + pause > deadline:
            return None
        if on_retry:
            on_retry(why)
        time.sleep(pause)
        pause = min(pause * 2, 0.1)
    if "error" in reply:
        error = UsageError if reply.get("kind") in ("bad_request", "too_large") else CodesearchError
        raise error(f"server: {str(reply['error'])[:500]}")
    return reply


def similar_request(path: Path, line: int, k: int) -> dict:
    """The socket protocol's "find code like this" request (the path made absolute here, where it was given)."""
    return {"similar": {"path": str(Path(path).expanduser().resolve()), "line": line}, "k": k}
