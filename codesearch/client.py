"""One query from a command-line process: a warm server answers when one runs, else this process does.

Everything up to asking the server uses the standard library only, so an editor's query through a
warm server does not pay for importing numpy or torch.
"""

from __future__ import annotations

import json
import os
import socket
import sys
import time
from pathlib import Path

from .config import Config
from .errors import CodesearchError
from .locate import find_index
from .query import Hit, Query
from .statefiles import SERVER_STATE, live_state

CLIENT_TIMEOUT = 30.0
AUTO_SERVE_IDLE_MINUTES = 30.0
SERVER_STARTING = "server.starting"  # a background server is on its way: do not start another
SERVER_LOG = "server.log"
STARTING_FOR_SECONDS = 300.0


def ask_server(folder: Path, request: dict, timeout: float = CLIENT_TIMEOUT) -> dict | None:
    """The server's reply, or None when no server answers for this index (then search in-process)."""
    state = live_state(folder / SERVER_STATE)
    if state is None or not isinstance(state.get("socket"), str):
        return None
    try:
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
            sock.settimeout(timeout)
            sock.connect(state["socket"])
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
        raise CodesearchError(f"server: {reply['error']}")
    return reply


def warm_answer(start: Path, cfg: Config, request: dict, use_server: bool = True) -> tuple[Path, list[Hit]] | None:
    """(root, hits) from a running server for the index covering start, or None to answer in-process.

    With auto_serve set and no server answering, one is started in the background for next time.
    """
    found = find_index(start, cfg)
    if not found or not use_server or cfg.model:
        return None
    answer = ask_server(found[1], request)
    if answer is not None:
        return Path(answer["root"]), [Hit.from_dict(h) for h in answer["hits"]]
    if cfg.auto_serve:
        start_background_server(found[0], found[1], cfg)
    return None


def start_background_server(root: Path, folder: Path, cfg: Config, idle_minutes: float = AUTO_SERVE_IDLE_MINUTES) -> bool:
    """Start `codesearch serve` for this index, detached, logging to the index folder; False if one is starting."""
    marker = folder / SERVER_STARTING
    try:
        if time.time() - marker.stat().st_mtime < STARTING_FOR_SECONDS:
            return False
    except OSError:
        pass
    try:
        marker.write_text(str(os.getpid()))
        log = open(folder / SERVER_LOG, "ab")
    except OSError:
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


def run_query(start: Path, cfg: Config, query: Query, use_server: bool = True) -> tuple[Path, list[Hit]]:
    """(repository root, hits) for a query from anywhere inside an indexed repository."""
    warm = warm_answer(start, cfg, query.to_request(), use_server)
    if warm is not None:
        return warm
    from .engine import Index  # the slow path: numpy, the catalog, perhaps the model

    with Index.open(start, cfg) as index:
        return index.root, index.search(query)


def run_similar(start: Path, cfg: Config, path: Path, line: int, k: int = 10,
                use_server: bool = True) -> tuple[Path, list[Hit]]:
    """(repository root, hits) for "find code like this" at path:line; no model is loaded either way."""
    request = similar_request(path, line, k)
    warm = warm_answer(Path(path).parent if Path(path).is_file() else start, cfg, request, use_server)
    if warm is not None:
        return warm
    from .engine import Index

    with Index.open(start, cfg) as index:
        return index.root, index.similar(request["similar"]["path"], line, k)
