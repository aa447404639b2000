"""A warm process per index: model and vectors stay loaded, queries arrive over a Unix socket.

Protocol: one JSON object per line each way. Request: {"query", "k", "languages", "path", "mode"}.
Reply: {"root", "model", "hits": [...]} or {"error": "..."}. The socket is mode 0600 in the index
folder (or in a private runtime folder when that path is too long for a socket); server.json says
where, and which pid serves it.
"""

from __future__ import annotations

import hashlib
import json
import os
import signal
import socket
import socketserver
import struct
import tempfile
import threading
from pathlib import Path
from typing import Callable

from .errors import CodesearchError, UntrustedIndexError
from .safefiles import atomic_write_text, check_entry, read_text
from .status import live_state
from .trust import verify_folder

SERVER_STATE = "server.json"
SOCKET_NAME = "server.sock"
MAX_SOCKET_PATH = 100
CLIENT_TIMEOUT = 30.0


def socket_path(folder: Path) -> Path:
    """Where this index's socket lives: in the folder when the path fits, else a private runtime dir."""
    direct = folder / SOCKET_NAME
    if len(str(direct)) <= MAX_SOCKET_PATH:
        return direct
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
    except (OSError, ValueError, KeyError):
        return None
    if not isinstance(reply, dict):
        return None
    if "error" in reply:
        raise CodesearchError(f"server: {str(reply['error'])[:500]}")
    return reply


class _Handler(socketserver.StreamRequestHandler):
    def handle(self) -> None:
        line = self.rfile.readline(1 << 20)
        try:
            request = json.loads(line)
            reply = self.server.answer(request)  # type: ignore[attr-defined]
        except CodesearchError as exc:
            reply = {"error": str(exc)}
        except (ValueError, TypeError, KeyError) as exc:
            reply = {"error": f"bad request: {exc}"}
        except Exception as exc:  # noqa: BLE001 - a server answers, whatever happens
            reply = {"error": f"{type(exc).__name__}: {exc}"}
        self.wfile.write((json.dumps(reply, ensure_ascii=False) + "\n").encode())


class _UnixServer(socketserver.ThreadingMixIn, socketserver.UnixStreamServer):
    daemon_threads = True


class _TCPServer(socketserver.ThreadingMixIn, socketserver.TCPServer):
    daemon_threads = True
    allow_reuse_address = True


class SearchServer:
    """Serves one index: answer() runs a search under a lock (one model, one catalog connection)."""

    def __init__(self, store, searcher, port: int | None = None) -> None:
        self.store = store
        self.searcher = searcher
        self.lock = threading.Lock()
        self.path = socket_path(store.folder)
        self.port = port
        self._servers: list[socketserver.BaseServer] = []

    def answer(self, request: dict) -> dict:
        with self.lock:
            hits = self.searcher.search(
                str(request["query"]), int(request.get("k") or 10), request.get("languages"),
                request.get("path"), request.get("mode") or "hybrid",
            )
        return {"root": str(self.store.root), "model": self.store.model_id, "hits": [h.to_dict() for h in hits]}

    def serve_forever(self, ready: Callable[[str], None] | None = None) -> None:
        """Listen until SIGTERM/SIGINT or shutdown(); then remove the socket and state file."""
        try:
            self.path.unlink()
        except FileNotFoundError:
            pass
        old_umask = os.umask(0o177)
        try:
            unix = _UnixServer(str(self.path), _Handler)
        finally:
            os.umask(old_umask)
        os.chmod(self.path, 0o600)
        unix.answer = self.answer  # type: ignore[attr-defined]
        self._servers.append(unix)
        where = [f"unix:{self.path}"]
        if self.port is not None:
            tcp = _TCPServer(("127.0.0.1", self.port), _Handler)
            tcp.answer = self.answer  # type: ignore[attr-defined]
            self._servers.append(tcp)
            where.append(f"tcp:127.0.0.1:{tcp.server_address[1]}")
        state = {"pid": os.getpid(), "socket": str(self.path), "model": self.store.model_id}
        atomic_write_text(self.store.folder / SERVER_STATE, json.dumps(state))
        threads = [threading.Thread(target=s.serve_forever, kwargs={"poll_interval": 0.2}, daemon=True)
                   for s in self._servers[1:]]
        for t in threads:
            t.start()
        if threading.current_thread() is threading.main_thread():
            signal.signal(signal.SIGTERM, lambda *_: threading.Thread(target=self.shutdown, daemon=True).start())
        if ready:
            ready(", ".join(where))
        try:
            unix.serve_forever(poll_interval=0.2)
        finally:
            self._cleanup()

    def shutdown(self) -> None:
        for s in self._servers:
            s.shutdown()

    def _cleanup(self) -> None:
        for s in self._servers:
            s.server_close()
        for p in (self.path, self.store.folder / SERVER_STATE):
            try:
                if p.name == SERVER_STATE and json.loads(read_text(p)).get("pid") != os.getpid():
                    continue
                p.unlink()
            except (OSError, ValueError, AttributeError, CodesearchError):
                pass
