"""One query from a command-line process: a warm server answers when one runs, else this process does.

Everything up to asking the server uses the standard library only, so an editor's query through a
warm server does not pay for importing numpy or torch.
"""

from __future__ import annotations

import json
import socket
from pathlib import Path

from .config import Config
from .errors import CodesearchError
from .locate import find_index
from .query import Hit, Query
from .statefiles import SERVER_STATE, live_state

CLIENT_TIMEOUT = 30.0


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


def run_query(start: Path, cfg: Config, query: Query, use_server: bool = True) -> tuple[Path, list[Hit]]:
    """(repository root, hits) for a query from anywhere inside an indexed repository."""
    found = find_index(start, cfg)
    if found and use_server and not cfg.model:
        answer = ask_server(found[1], query.to_request())
        if answer is not None:
            return Path(answer["root"]), [Hit.from_dict(h) for h in answer["hits"]]
    from .engine import Index  # the slow path: numpy, the catalog, perhaps the model

    with Index.open(start, cfg) as index:
        return index.root, index.search(query)
