"""A warm process per index: model and vectors stay loaded, queries arrive over a Unix socket.

Protocol (codesearch/serve/protocol.py): one JSON object per line each way. Request: {"query", "k",
"languages", "path", "mode"}, or {"similar": {"path", "line"}, "k"} for "find code like this" (an
absolute path, or one under the root). Reply: {"root", "model", "hits": [...], "coverage": {"embedded",
"functions", "percent", "static", "static_percent", "model"}, "note"} (and "like": the function a "similar" request started from) or {"error": "...", "kind": "..."}; {"sync": true} syncs the index now through this
server's watcher (`codesearch index` while the server holds the writer lock) and replies {"root", "model", "synced":
a sync report, "coverage"}; "note" is set when the answer is not all
that was asked (by words while a live index's model loads). The socket is mode 0600 in the index folder (or in a
private runtime folder when that path is too long for a socket); server.json (mode 0600) says where,
which pid serves it, and, with TCP, the port and the token a TCP request must carry.

One thread waits on every socket (selectors): it accepts, reads requests up to their newline, times
out idle connections and refuses oversized requests, and hands each complete request to a small
pool of workers, so a thousand idle connections cost file descriptors, not threads.
"""

from __future__ import annotations

import hmac
import json
import os
import secrets
import selectors
import signal
import socket
import sys
import threading
import time
import traceback
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Callable

from codesearch.errors import CodesearchError, ServerRunningError
from codesearch.query import Hit, Query, QueryError
from codesearch.serve.protocol import (MAX_REQUEST_BYTES, SERVER_STARTING, SOCKET_NAME, RequestError, ask_server,
                                       error_reply, parse_request, socket_path)
from codesearch.store.safefiles import read_text
from codesearch.store.statefiles import SERVER_STATE, atomic_write_text, live_state

__all__ = ["SearchServer", "ask_server", "socket_path", "SOCKET_NAME"]

BACKLOG = 1024  # editors and agents open many connections at once; the kernel caps it at somaxconn
WORKERS = 4  # searches share one index (it serialises them): more threads would only wait
MAX_PENDING = 256  # requests waiting for a worker; beyond this a client hears "busy" and retries
IDLE_TIMEOUT = 10.0  # seconds a connection may stay open without sending a whole request
REPLY_TIMEOUT = 10.0  # seconds a worker waits for a slow reader to take its reply
DRAIN_BYTES = 64 << 20  # an oversized request is read away (so its sender sees the error) up to this
MAX_CONNECTIONS = 8192  # open at once; beyond this a new client hears "busy" (and retries)
SPARE_FDS = 64  # descriptors kept free for the index, the log and a "busy" answer
FOLLOW_SECONDS = 1.0  # how often the loop looks whether a rebuild replaced the index folder


class _Conn:
    """One client connection while its request is being read."""

    __slots__ = ("sock", "buf", "since", "tcp", "draining")

    def __init__(self, sock: socket.socket, tcp: bool) -> None:
        self.sock, self.buf, self.since, self.tcp, self.draining = sock, bytearray(), time.monotonic(), tcp, 0


def _say(sock: socket.socket, reply: dict) -> None:
    """Send a reply line, whatever the client did meanwhile (one that left needs no answer)."""
    try:
        data = json.dumps(reply, ensure_ascii=False).encode()
    except UnicodeEncodeError:  # text the index holds with lone surrogates: escaped, not lost
        data = json.dumps(reply).encode()
    try:
        sock.sendall(data + b"\n")
    except OSError:
        pass


def _raise_fd_limit() -> int:
    """Lift this process's soft descriptor limit to its hard limit; the limit now in force."""
    try:
        import resource

        soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
        want = hard if hard != resource.RLIM_INFINITY else 1 << 16
        if soft != resource.RLIM_INFINITY and soft < want:
            resource.setrlimit(resource.RLIMIT_NOFILE, (want, hard))
        return resource.getrlimit(resource.RLIMIT_NOFILE)[0]
    except (ImportError, ValueError, OSError):
        return 1024


def _listening(path: Path) -> bool:
    """True when a process accepts connections on the Unix socket at path (a live server, not a stale file)."""
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as probe:
        probe.settimeout(2.0)
        try:
            probe.connect(str(path))
        except (FileNotFoundError, ConnectionRefusedError):
            return False
        except OSError:  # a full queue (EAGAIN) or a slow accept: someone is there
            return True
    return True


class SearchServer:
    """Serves one engine Index (which serialises searches: one model, one catalog connection)."""

    def __init__(self, index, port: int | None = None, idle_exit: float | None = None,
                 idle_timeout: float = IDLE_TIMEOUT, workers: int = WORKERS, max_pending: int = MAX_PENDING) -> None:
        self.index = index
        self.path = socket_path(index.folder)
        self.port = port
        self.answered = 0  # requests answered with hits: proof, for tests, that a reply came from here
        self.idle_exit = idle_exit  # seconds without a request before the server stops itself
        self.idle_timeout = idle_timeout
        self.last_request = time.monotonic()
        self.token = secrets.token_hex(32) if port is not None else None  # what a TCP request must carry
        self._workers, self._max_pending, self._pending = workers, max_pending, 0
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._stopped = threading.Event()
        self._running = False
        self._loop_thread: threading.Thread | None = None
        self._inode: int | None = None  # the socket file this server made (only that one is removed)
        self._listeners: list[socket.socket] = []
        self._conns: dict[int, _Conn] = {}
        self._state: dict = {}  # what server.json says
        self._followed = 0.0  # when the loop last looked whether the index folder was replaced

    # -- answering ---------------------------------------------------------------------------------
    def answer(self, request: dict) -> dict:
        self.last_request = time.monotonic()
        note, extra = None, {}
        if isinstance(request, dict) and "sync" in request:  # `codesearch index` beside this server: its watcher
            return {"root": str(self.index.root), "model": self.index.model_id, "pid": os.getpid(),  # holds the lock
                    "synced": self.index.sync().to_dict(), "coverage": self.index.coverage().to_dict()}
        if isinstance(request, dict) and "similar" in request:
            hits, like = self._similar(request)
            extra["like"], note = like.to_dict(), self.index.changed_note([like, *hits])
        else:
            answer = self.index.ask(Query.from_request(request))  # by words while a live index's model loads
            hits, note = answer.hits, answer.note
        coverage = self.index.coverage()
        with self._lock:
            self.answered += 1
        return {"root": str(self.index.root), "model": self.index.model_id, "pid": os.getpid(),
                "hits": [h.to_dict() for h in hits], "coverage": coverage.to_dict(),
                "note": note, **extra}

    def _similar(self, request: dict) -> tuple[list, Hit]:
        """Answer {"similar": {"path", "line"}, "k"}: a relative path is taken from the repository root.
        (hits, the function they are like)."""
        where, k = request["similar"], request.get("k", 10)
        if not isinstance(where, dict) or not isinstance(where.get("path"), str):
            raise QueryError("'similar' needs a 'path' and a 'line'")
        line = where.get("line")
        if isinstance(line, bool) or not isinstance(line, int) or line < 1:
            raise QueryError(f"'line' must be a line number from 1, not {line!r}")
        Query("similar", 10 if k is None else k)  # the same k check as a query's
        path = Path(where["path"])
        path = path if path.is_absolute() else self.index.root / path
        return self.index.similar(path, line, k or 10), self.index.function(path, line)

    def _reply(self, line: bytes, tcp: bool) -> dict:
        """The reply to one request line: hits, or one structured line that holds no internals."""
        try:
            request = parse_request(line)
            if tcp and not self._token_ok(request.pop("token", None)):
                raise RequestError("unauthorized: a TCP request needs the token in this index's server.json "
                                   "(readable only by the user who runs the server)", "unauthorized")
            return self.answer(request)
        except RequestError as exc:
            return error_reply(exc.kind, str(exc))
        except QueryError as exc:
            return error_reply("bad_request", str(exc))
        except CodesearchError as exc:
            return error_reply("index", str(exc))
        except RecursionError:
            return error_reply("bad_request", "the request is nested too deeply")
        except Exception as exc:  # noqa: BLE001 - a server answers, whatever happens; the log keeps the details
            print(f"codesearch serve: internal error answering a request: {type(exc).__name__}", file=sys.stderr)
            traceback.print_exc(file=sys.stderr)
            return error_reply("internal", "internal error: the server could not answer; its log has the details")

    def _token_ok(self, token: object) -> bool:
        return (isinstance(token, str) and token.isascii() and self.token is not None
                and hmac.compare_digest(token.encode(), self.token.encode()))

    def _work(self, conn: _Conn, line: bytes) -> None:
        """On a worker: answer one request and close its connection."""
        try:
            reply = self._reply(line, conn.tcp)
            conn.sock.settimeout(REPLY_TIMEOUT)
            _say(conn.sock, reply)
        finally:
            conn.sock.close()
            with self._lock:
                self._pending -= 1

    # -- the socket loop ---------------------------------------------------------------------------
    def _claim_socket(self) -> socket.socket:
        """Bind this index's socket; ServerRunningError when a live server already listens on it.

        The check and the bind happen under a lock on the index folder, so two servers starting at
        once cannot both find the socket stale and take it from each other."""
        import fcntl

        folder_fd = os.open(self.index.folder, os.O_RDONLY | os.O_DIRECTORY)
        try:
            fcntl.flock(folder_fd, fcntl.LOCK_EX)
            if _listening(self.path):
                state = live_state(self.index.folder / SERVER_STATE) or {}
                who = f" (pid {state['pid']})" if isinstance(state.get("pid"), int) else ""
                raise ServerRunningError(f"a server{who} already answers for {self.index.root} on {self.path}; "
                                         "queries use it: stop it first to start another")
            try:
                self.path.unlink()  # a stale socket: its server is gone
            except FileNotFoundError:
                pass
            old_umask = os.umask(0o177)
            sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            try:
                sock.bind(str(self.path))
            except BaseException:
                sock.close()
                raise
            finally:
                os.umask(old_umask)
            os.chmod(self.path, 0o600)
            self._inode = os.stat(self.path).st_ino
            sock.listen(BACKLOG)
            return sock
        finally:
            os.close(folder_fd)  # closing drops the lock

    def serve_forever(self, ready: Callable[[str], None] | None = None) -> None:
        """Listen until SIGTERM/SIGINT or shutdown(); then remove the socket and state file."""
        unix = self._claim_socket()
        self._listeners.append(unix)
        where = [f"unix:{self.path}"]
        state = {"pid": os.getpid(), "socket": str(self.path), "model": self.index.model_id}
        if self.port is not None:
            tcp = socket.create_server(("127.0.0.1", self.port), backlog=BACKLOG)
            self._listeners.append(tcp)
            state["tcp"] = f"127.0.0.1:{tcp.getsockname()[1]}"
            state["token"] = self.token
            where.append(f"tcp:{state['tcp']}")
        self._state = state
        if threading.current_thread() is threading.main_thread():  # SIGINT too where it is ignored: a server started
            signal.signal(signal.SIGTERM, lambda *_: self._stop.set())  # in the background from a script ran on after
            if signal.getsignal(signal.SIGINT) is signal.SIG_IGN:  # it (probe 107); elsewhere Ctrl-C stays Python's
                signal.signal(signal.SIGINT, lambda *_: self._stop.set())
        # (before server.json says it runs: a signal sent as soon as it does was ignored, and the server ran on)
        atomic_write_text(self.index.folder / SERVER_STATE, json.dumps(state), mode=0o600)
        try:
            (self.index.folder / SERVER_STARTING).unlink()
        except OSError:
            pass
        self._loop_thread, self._running = threading.current_thread(), True
        if ready:
            ready(", ".join(where))
        try:
            self._loop()
        finally:
            self._cleanup()

    def _loop(self) -> None:
        """Accept, read and time out connections until stopped; complete requests go to the workers."""
        max_conns = min(MAX_CONNECTIONS, max(16, _raise_fd_limit() - SPARE_FDS - self._max_pending))
        pool = ThreadPoolExecutor(self._workers, thread_name_prefix="codesearch-serve")
        selector = selectors.DefaultSelector()
        for listener in self._listeners:
            listener.setblocking(False)
            selector.register(listener, selectors.EVENT_READ, listener is not self._listeners[0])
        try:
            while not self._stop.is_set():
                for key, _ in selector.select(0.2):
                    if isinstance(key.data, _Conn):
                        self._read(selector, key.data, pool)
                    else:
                        self._accept(selector, key.fileobj, key.data, max_conns)
                self._expire(selector)
                self._follow(selector)
                if self.idle_exit is not None and self._pending == 0 \
                        and time.monotonic() - self.last_request > self.idle_exit:
                    break
        finally:
            selector.close()
            pool.shutdown(wait=True, cancel_futures=False)

    def _follow(self, selector) -> None:
        """Every FOLLOW_SECONDS: the index reopens a folder a rebuild swapped in (the engine's check), and the
        server stays reachable there: a socket or server.json that went with the old folder is made again.
        Another server that took the index over meanwhile keeps it, and this one stops."""
        now = time.monotonic()
        if now - self._followed < FOLLOW_SECONDS:
            return
        self._followed = now
        try:
            self.index.follow()
            if self._reachable():
                return
            unix = self._claim_socket()
        except ServerRunningError as exc:
            print(f"codesearch serve: {exc}; this one stops", file=sys.stderr)
            self._stop.set()
            return
        except (CodesearchError, OSError):
            return  # the new folder cannot be read (its line is the index's live state) or is not there yet
        old, self._listeners[0] = self._listeners[0], unix
        selector.unregister(old)
        old.close()
        unix.setblocking(False)
        selector.register(unix, selectors.EVENT_READ, False)
        self._state["model"] = self.index.model_id  # a rebuild may have changed it
        atomic_write_text(self.index.folder / SERVER_STATE, json.dumps(self._state), mode=0o600)

    def _reachable(self) -> bool:
        """True while this server's socket and server.json are where clients look (the index folder)."""
        try:
            ours = os.stat(self.path).st_ino == self._inode
            return ours and (live_state(self.index.folder / SERVER_STATE) or {}).get("pid") == os.getpid()
        except (OSError, CodesearchError):
            return False

    def _accept(self, selector, listener: socket.socket, tcp: bool, max_conns: int) -> None:
        for _ in range(64):  # a burst of clients, without starving the ones already connected
            try:
                sock, _addr = listener.accept()
            except (BlockingIOError, InterruptedError):
                return
            except OSError:  # out of descriptors: those waiting stay queued until some close
                return
            if len(self._conns) >= max_conns:
                sock.setblocking(False)
                _say(sock, error_reply("busy", "the server has too many connections open; try again"))
                sock.close()
                continue
            sock.setblocking(False)
            conn = _Conn(sock, tcp)
            self._conns[sock.fileno()] = conn
            selector.register(sock, selectors.EVENT_READ, conn)

    def _read(self, selector, conn: _Conn, pool: ThreadPoolExecutor) -> None:
        """Take what a client sent; a whole line goes to a worker, too much gets one error line."""
        try:
            data = conn.sock.recv(1 << 16)
        except (BlockingIOError, InterruptedError):
            return
        except OSError:
            data = b""
        if conn.draining:
            conn.draining += len(data)
            if not data or conn.draining > DRAIN_BYTES:
                self._drop(selector, conn)
            return
        conn.buf += data
        end = conn.buf.find(b"\n")
        if end < 0 and len(conn.buf) > MAX_REQUEST_BYTES or end > MAX_REQUEST_BYTES:
            _say(conn.sock, error_reply("too_large", f"a request is at most {MAX_REQUEST_BYTES} bytes on one line; "
                                                     "send a shorter query"))
            try:
                conn.sock.shutdown(socket.SHUT_WR)
            except OSError:
                pass
            conn.draining, conn.buf = 1, bytearray()  # read the rest away so the sender can read the error
            return
        if end < 0 and data:
            return
        if end < 0 and not conn.buf:  # closed without asking anything
            self._drop(selector, conn)
            return
        self._dispatch(selector, conn, bytes(conn.buf[:end] if end >= 0 else conn.buf), pool)

    def _dispatch(self, selector, conn: _Conn, line: bytes, pool: ThreadPoolExecutor) -> None:
        selector.unregister(conn.sock)
        del self._conns[conn.sock.fileno()]
        with self._lock:
            full = self._pending >= self._max_pending
            self._pending += not full
        if full:
            _say(conn.sock, error_reply("busy", "the server is busy; try again"))
            conn.sock.close()
            return
        conn.sock.setblocking(True)
        pool.submit(self._work, conn, line)

    def _expire(self, selector) -> None:
        """Close connections that sent no whole request within idle_timeout, with one line saying so."""
        cutoff = time.monotonic() - self.idle_timeout
        for conn in [c for c in self._conns.values() if c.since < cutoff]:
            if not conn.draining:
                _say(conn.sock, error_reply("timeout", f"no request arrived within {self.idle_timeout:g} s; "
                                                       "connect again to ask"))
            self._drop(selector, conn)

    def _drop(self, selector, conn: _Conn) -> None:
        selector.unregister(conn.sock)
        del self._conns[conn.sock.fileno()]
        conn.sock.close()

    def shutdown(self) -> None:
        """Stop serving; from another thread, wait until the loop has let go of the index."""
        self._stop.set()
        if self._running and threading.current_thread() is not self._loop_thread:
            self._stopped.wait(30)

    def _cleanup(self) -> None:
        for sock in [*self._listeners, *(c.sock for c in self._conns.values())]:
            sock.close()
        self._conns.clear()
        try:
            if self._inode is not None and os.stat(self.path).st_ino == self._inode:
                self.path.unlink()
        except OSError:
            pass
        state = self.index.folder / SERVER_STATE
        try:
            if json.loads(read_text(state)).get("pid") == os.getpid():
                state.unlink()
        except (OSError, ValueError, AttributeError, CodesearchError):
            pass
        self._stopped.set()
