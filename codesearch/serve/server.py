"""A warm process per index: model and vectors stay loaded, queries arrive over a Unix socket.

Protocol: one JSON object per line each way. Request: {"query", "k", "languages", "path", "mode"},
or {"similar": {"path", "line"}, "k"} for "find code like this" (an absolute path, or one under the root).
Reply: {"root", "model", "hits": [...], "coverage": {"embedded", "functions"}} (and "like": the function a
"similar" request started from) or {"error": "..."}. The socket is mode 0600 in the index
folder (or in a private runtime folder when that path is too long for a socket); server.json says
where, and which pid serves it.
"""

from __future__ import annotations

import json
import os
import signal
import socketserver
import threading
import time
from pathlib import Path
from typing import Callable

from codesearch.serve.protocol import SERVER_STARTING, SOCKET_NAME, ask_server, socket_path
from codesearch.errors import CodesearchError
from codesearch.query import Query, QueryError
from codesearch.store.safefiles import read_text
from codesearch.store.statefiles import SERVER_STATE, atomic_write_text

__all__ = ["SearchServer", "ask_server", "socket_path", "SOCKET_NAME"]


class _Handler(socketserver.StreamRequestHandler):
    def handle(self) -> None:
        line = self.rfile.readline(1 << 20)
        try:
            request = json.loads(line)
            reply = self.server.answer(request)  # type: ignore[attr-defined]
        except QueryError as exc:
            reply = {"error": f"bad request: {exc}"}
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
    """Serves one engine Index (which serialises searches: one model, one catalog connection)."""

    def __init__(self, index, port: int | None = None, idle_exit: float | None = None) -> None:
        self.index = index
        self.path = socket_path(index.folder)
        self.port = port
        self.answered = 0  # requests answered with hits: proof, for tests, that a reply came from here
        self.idle_exit = idle_exit  # seconds without a request before the server stops itself
        self.last_request = time.monotonic()
        self._servers: list[socketserver.BaseServer] = []

    def answer(self, request: dict) -> dict:
        self.last_request = time.monotonic()
        extra = {}
        if isinstance(request, dict) and "similar" in request:
            hits, extra["like"] = self._similar(request)
        else:
            hits = self.index.search(Query.from_request(request))
        embedded, functions = self.index.coverage()
        self.answered += 1
        return {"root": str(self.index.root), "model": self.index.store.model_id, "pid": os.getpid(),
                "hits": [h.to_dict() for h in hits], "coverage": {"embedded": embedded, "functions": functions},
                **extra}

    def _similar(self, request: dict) -> tuple[list, dict]:
        """Answer {"similar": {"path", "line"}, "k"}: a relative path is taken from the repository root.
        (hits, the function they are like, as a dict)."""
        where = request["similar"]
        if not isinstance(where, dict) or not isinstance(where.get("path"), str):
            raise QueryError("'similar' needs a 'path' and a 'line'")
        path = Path(where["path"])
        path = path if path.is_absolute() else self.index.root / path
        hits = self.index.similar(path, where.get("line"), request.get("k") or 10)
        return hits, self.index.function(path, where.get("line")).to_dict()

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
        state = {"pid": os.getpid(), "socket": str(self.path), "model": self.index.store.model_id}
        atomic_write_text(self.index.folder / SERVER_STATE, json.dumps(state))
        try:
            (self.index.folder / SERVER_STARTING).unlink()
        except OSError:
            pass
        threads = [threading.Thread(target=s.serve_forever, kwargs={"poll_interval": 0.2}, daemon=True)
                   for s in self._servers[1:]]
        if self.idle_exit is not None:
            threads.append(threading.Thread(target=self._exit_when_idle, daemon=True))
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

    def _exit_when_idle(self) -> None:
        """Stop once no request has come for idle_exit seconds (an auto-started server goes away)."""
        while True:
            left = self.idle_exit - (time.monotonic() - self.last_request)
            if left <= 0:
                self.shutdown()
                return
            time.sleep(min(left, 5.0))

    def shutdown(self) -> None:
        for s in self._servers:
            s.shutdown()

    def _cleanup(self) -> None:
        for s in self._servers:
            s.server_close()
        for p in (self.path, self.index.folder / SERVER_STATE):
            try:
                if p.name == SERVER_STATE and json.loads(read_text(p)).get("pid") != os.getpid():
                    continue
                p.unlink()
            except (OSError, ValueError, AttributeError, CodesearchError):
                pass
