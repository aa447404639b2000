"""One query from a command-line process: a warm server answers when one runs, else this process does.

Everything up to asking the server uses the standard library only, so an editor's query through a
warm server does not pay for importing numpy or torch.
"""

from __future__ import annotations

import os
import sys
import time
from dataclasses import replace
from pathlib import Path

from codesearch.config import Config
from codesearch.errors import CodesearchError, ServerRunningError, UntrustedIndexError
from codesearch.query import Coverage, Hit, Query
from codesearch.safetext import safe_rel_path
from codesearch.serve.protocol import (CLIENT_TIMEOUT, SERVER_LOG, SERVER_STARTING, SOCKET_NAME, ask_server,
                                       believed_state, peer_credentials, similar_request, socket_path)
from codesearch.store.locate import find_index
from codesearch.store.safefiles import atomic_write_text, open_append
from codesearch.store.trust import verify_folder

__all__ = ["Answer", "CLIENT_TIMEOUT", "SOCKET_NAME", "ask_server", "believed_state", "peer_credentials",
           "run_query", "run_similar", "running_server", "similar_request", "socket_path", "start_background_server",
           "warm_answer"]

AUTO_SERVE_IDLE_MINUTES = 30.0
STARTING_FOR_SECONDS = 300.0


class Answer:
    """What a query gets back, from a server or this process: hits, and how much of the index they cover.

    A plain class, not a NamedTuple: importing typing would cost the fast client 3 ms."""

    __slots__ = ("root", "hits", "coverage", "note", "model", "cold", "origin")

    def __init__(self, root: Path, hits: list[Hit], coverage: Coverage | None = None, note: str | None = None,
                 model: str | None = None, cold: bool = False, origin: Hit | None = None) -> None:
        self.root = root
        self.hits = hits
        self.coverage = coverage  # what the model's vectors and the static tier covered (codesearch.query.Coverage)
        self.note = note  # the server's word when the answer is not all that was asked (by words while its model loads)
        self.model = model  # the index's model id
        self.cold = cold  # True when this process loaded the model to answer (no warm server)
        self.origin = origin  # for "find code like this": the function it started from

    def __iter__(self):
        return iter((self.root, self.hits, self.coverage))

    def of_repository(self) -> "Answer":
        """This answer as `--repo` prints it: each hit names its repository's root (JSON's `repo`), as the hits of
        several repositories do."""
        return Answer(self.root, [replace(h, repo=str(self.root)) for h in self.hits], self.coverage, self.note,
                      self.model, self.cold, self.origin)


def _coverage_of(reply: dict) -> Coverage | None:
    """What each semantic tier covered, from a server reply, when it says so plainly."""
    return Coverage.from_dict(reply.get("coverage"))


def warm_answer(start: Path, cfg: Config, request: dict, use_server: bool = True) -> Answer | None:
    """The answer of a running server for the index covering start, or None to answer in-process.

    With auto_serve set and no server answering, one is started in the background for next time.
    """
    found = find_index(start, cfg)
    if not found or not use_server or (cfg.model and not _serves_model(found[1], cfg.model)):
        return None
    answer = ask_server(found[1], request)
    if answer is not None:
        hits, like, model, note = answer.get("hits"), answer.get("like"), answer.get("model"), answer.get("note")
        origin = Hit.from_dict(like) if isinstance(like, dict) and safe_rel_path(like.get("path")) else None
        return Answer(found[0], [Hit.from_dict(h) for h in (hits if isinstance(hits, list) else [])
                                 if isinstance(h, dict) and safe_rel_path(h.get("path"))], _coverage_of(answer),
                      note if isinstance(note, str) else None, model if isinstance(model, str) else None, origin=origin)
    if cfg.auto_serve:
        start_background_server(found[0], found[1], cfg)
    return None


def _serves_model(folder: Path, named: str) -> bool:
    """True when the server believed to answer for the index in folder runs the model named (`-m minilm` after
    `serve -m minilm`: every query loaded the model again, and was told to start a server: probe 92)."""
    from codesearch.models.resolve import model_id_of

    state = believed_state(folder)
    try:
        return state is not None and state.get("model") == model_id_of(named)
    except (OSError, ValueError):  # a name no path can be (too long, a NUL): the in-process path says so
        return False


def stop_server(start: Path, cfg: Config, wait: float = 30.0) -> int | None:
    """Stop the live server answering for the index covering start (`serve --stop`: a background `--auto-serve` one
    had no way to be stopped but kill): its pid once it is gone, None when none answers."""
    import signal

    pid = running_server(start, cfg)  # ours: the socket's peer is this user's process of that pid
    if pid is None:
        return None
    os.kill(pid, signal.SIGTERM)
    deadline = time.monotonic() + wait
    while time.monotonic() < deadline:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return pid
        if running_server(start, cfg) is None:  # its socket closed: stopping (a child of ours may linger unreaped)
            return pid
        time.sleep(0.1)
    raise ServerRunningError(f"the server (pid {pid}) did not stop within {wait:.0f} s of SIGTERM; "
                             f"stop it with kill -9 {pid}")


def running_server(start: Path, cfg: Config) -> int | None:
    """The pid of a live server already answering for the index covering start (a second one is refused)."""
    found = find_index(start, cfg)
    state = believed_state(found[1]) if found else None
    if state is None:
        return None
    import socket

    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
        sock.settimeout(5.0)
        try:
            sock.connect(state["socket"])  # connected and closed unasked: the server just lets it go
            return state["pid"] if peer_credentials(sock) == (state["pid"], os.getuid()) else None
        except (BlockingIOError, TimeoutError):
            return state["pid"]  # a full queue: it is there, and busy
        except OSError:
            return None


def writing_server(root: Path, cfg: Config) -> tuple[int, Path] | None:
    """(pid, index folder) of a live server for root's own index whose watcher holds its writer lock, else None."""
    from codesearch.store.locks import WriterLock

    found = find_index(root, cfg)
    pid = running_server(root, cfg) if found and found[0] == root else None
    if pid is None or (cfg.model and not _serves_model(found[1], cfg.model)):  # `--model` another's: not its to sync
        return None
    return (pid, found[1]) if WriterLock(found[1]).holder() == pid else None


def watching_writer(root: Path, cfg: Config) -> int | None:
    """The pid of a live watcher (`watch`, an MCP server, the TUI; a server's is asked by writing_server first) that
    holds root's own index's writer lock and keeps it current, for an `index` asking no other model; else None."""
    from codesearch.store.folder import watcher_holding

    found = find_index(root, cfg)
    if not found or found[0] != root or (cfg.model and not _records_model(found[1], cfg.model)):
        return None  # (`--model` another's: the index's to say)
    return watcher_holding(found[1])


def _records_model(folder: Path, named: str) -> bool:
    """True when the index in folder (one we wrote) seals the model named in its vector file (`--model` or
    CODESEARCH_MODEL naming the index's own: review)."""
    from codesearch.models.resolve import model_id_of
    from codesearch.store.folder import sealed_model

    try:
        sealed = sealed_model(folder, verify_folder(folder).index_id)
        return sealed is not None and sealed[0] == model_id_of(named)
    except (OSError, ValueError, CodesearchError):
        return False


def sync_through(folder: Path, timeout: float) -> dict | None:
    """The server's reply to {"sync": true} ({"synced": a sync report, "coverage"}), None when it no longer answers."""
    try:
        reply = ask_server(folder, {"sync": True}, timeout=timeout)
    except CodesearchError:  # a server older than the request, or one whose sync failed: index here, which says why
        return None
    return reply if reply is not None and isinstance(reply.get("synced"), dict) else None


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


def run_query(start: Path, cfg: Config, query: Query, use_server: bool = True) -> Answer:
    """The answer to a query from anywhere inside an indexed repository."""
    warm = warm_answer(start, cfg, query.to_request(), use_server)
    if warm is not None:
        return warm
    from codesearch.engine import Index  # the slow path: numpy, the catalog, perhaps the model

    with Index.open(start, cfg) as index:
        hits = index.search(query)
        reread = index.pending_reread()
        note = (f"note: run `codesearch index` to bring this index up to date ({reread}); until then results come "
                "from it as it was") if reread else index.changed_note(hits)
        return Answer(index.root, hits, index.coverage(), note=note, model=index.model_id, cold=index.model_loaded)


def run_similar(start: Path, cfg: Config, path: Path, line: int, k: int = 10,
                use_server: bool = True) -> Answer:
    """The answer to "find code like this" at path:line; no model is loaded either way."""
    request = similar_request(path, line, k)
    warm = warm_answer(Path(path).parent if Path(path).is_file() else start, cfg, request, use_server)
    if warm is not None:
        return warm
    from codesearch.engine import Index

    with Index.open(start, cfg) as index:
        where = request["similar"]["path"]
        origin = index.function(where, line)
        hits = index.similar(where, line, k)
        return Answer(index.root, hits, index.coverage(), note=index.changed_note([origin, *hits]),
                      model=index.model_id, origin=origin)
