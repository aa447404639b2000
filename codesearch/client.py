"""One query from a command-line process: a warm server answers when one runs, else this process does.

Everything up to asking the server uses the standard library only, so an editor's query through a
warm server does not pay for importing numpy or torch.
"""

from __future__ import annotations

import hashlib
import json
import os
import socket
import struct
import sys
import time
from pathlib import Path

from .config import Config
from .errors import CodesearchError, UntrustedIndexError
from .locate import find_index
from .query import Hit, Query
from .safefiles import atomic_write_text, check_entry, open_append
from .safetext import safe_rel_path
from .statefiles import SERVER_STATE, live_state
from .trust import verify_folder

CLIENT_TIMEOUT = 30.0
SOCKET_NAME = "server.sock"
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
AUTO_SERVE_IDLE_MINUTES = 30.0
SERVER_STARTING = "server.starting"  # a background server is on its way: do not start another
SERVER_LOG = "server.log"
STARTING_FOR_SECONDS = 300.0


class Answer:
    """What a query gets back, from a server or this process: hits, and how much of the index they cover.

    A plain class, not a NamedTuple: importing typing would cost the fast client 3 ms."""

    __slots__ = ("root", "hits", "coverage")

    def __init__(self, root: Path, hits: list[Hit], coverage: tuple[int, int] | None = None) -> None:
        self.root = root
        self.hits = hits
        self.coverage = coverage  # (functions embedded, functions): semantic search covers the first

    def __iter__(self):
        return iter((self.root, self.hits, self.coverage))


def _coverage_of(reply: dict) -> tuple[int, int] | None:
    """(embedded, functions) from a server reply, when it says so plainly."""
    cov = reply.get("coverage")
    if not isinstance(cov, dict):
        return None
    embedded, functions = cov.get("embedded"), cov.get("functions")
    if isinstance(embedded, int) and isinstance(functions, int) and 0 <= embedded <= functions:
        return embedded, functions
    return None


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


def warm_answer(start: Path, cfg: Config, request: dict, use_server: bool = True) -> Answer | None:
    """The answer of a running server for the index covering start, or None to answer in-process.

    With auto_serve set and no server answering, one is started in the background for next time.
    """
    found = find_index(start, cfg)
    if not found or not use_server or cfg.model:
        return None
    answer = ask_server(found[1], request)
    if answer is not None:
        hits = answer.get("hits")
        return Answer(found[0], [Hit.from_dict(h) for h in (hits if isinstance(hits, list) else [])
                                 if isinstance(h, dict) and safe_rel_path(h.get("path"))], _coverage_of(answer))
    if cfg.auto_serve:
        start_background_server(found[0], found[1], cfg)
    return None


def start_background_server(root: Path, folder: Path, cfg: Config, idle_minutes: float = AUTO_SERVE_IDLE_MINUTES) -> bool:
    """Start `codesearch serve` for this index, detached, logging to the index folder; False if one is starting."""
    marker = folder / SERVER_STARTING
    try:
        verify_folder(folder)  # never start anything for (or write into) a folder we did not write
        if time.time() - os.lstat(marker).st_mtime < STARTING_FOR_SECONDS:
            return False
    except UntrustedIndexError:
        return False
    except OSError:
        pass
    try:
        atomic_write_text(marker, str(os.getpid()))
        log = os.fdopen(open_append(folder / SERVER_LOG), "ab")
    except (OSError, CodesearchError):
        return False
    import subprocess  # only here: the warm path stays lean

    argv = [sys.executable, "-m", "codesearch", "serve", "-q", "--idle-exit", str(idle_minutes), str(root)]
    if cfg.index_dir:
        argv[4:4] = ["--index-dir", str(folder)]
    with log:
        subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=log, stderr=log, start_new_session=True,
                         cwd=str(root), close_fds=True)
    return True


def similar_request(path: Path, line: int, k: int) -> dict:
    """The socket protocol's "find code like this" request (the path made absolute here, where it was given)."""
    return {"similar": {"path": str(Path(path).expanduser().resolve()), "line": line}, "k": k}


def run_query(start: Path, cfg: Config, query: Query, use_server: bool = True) -> Answer:
    """The answer to a query from anywhere inside an indexed repository."""
    warm = warm_answer(start, cfg, query.to_request(), use_server)
    if warm is not None:
        return warm
    from .engine import Index  # the slow path: numpy, the catalog, perhaps the model

    with Index.open(start, cfg) as index:
        hits = index.search(query)
        return Answer(index.root, hits, index.coverage())


def run_similar(start: Path, cfg: Config, path: Path, line: int, k: int = 10,
                use_server: bool = True) -> Answer:
    """The answer to "find code like this" at path:line; no model is loaded either way."""
    request = similar_request(path, line, k)
    warm = warm_answer(Path(path).parent if Path(path).is_file() else start, cfg, request, use_server)
    if warm is not None:
        return warm
    from .engine import Index

    with Index.open(start, cfg) as index:
        return Answer(index.root, index.similar(request["similar"]["path"], line, k), index.coverage())
