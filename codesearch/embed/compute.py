"""One thread runs every torch computation of a process: the model's loading, threads setting and forwards.

torch's CPU kernels run on OpenMP, and OpenMP gives each thread that starts parallel work a team
of its own. Once a second team exists on a machine with few cores, every parallel region of
every team waits longer (measured on 2 cores: an int8 query layer 0.12 ms on the first thread,
0.27 ms on a second one and on the first one again; a warm server answered 81 ms instead of
57 ms because each request ran on its own thread). Servers, watchers and TUIs call the model
from many threads, so all of them hand the work to this one thread and wait for it.
"""

from __future__ import annotations

import atexit
import os
import queue
import threading
import time
from concurrent.futures import Future
from functools import wraps
from typing import Callable, TypeVar

T = TypeVar("T")
F = TypeVar("F", bound=Callable)

_jobs: "queue.SimpleQueue[tuple[Callable[[], object], Future]]" = queue.SimpleQueue()
_started = threading.Lock()
_thread: threading.Thread | None = None
_busy = 0  # jobs handed over and not finished yet
_stopping = threading.Event()  # the process is exiting: forwards stop at their next block
EXIT_WAIT_SECONDS = 30.0


class Stopped(RuntimeError):
    """A forward or a model load cut short because the process is exiting."""

__all__ = ["run", "on_compute_thread", "computed", "stopping", "settle", "shutdown", "Stopped"]


def _serve() -> None:
    global _busy
    while True:
        job, future = _jobs.get()
        if job is None:
            return
        try:
            if future.set_running_or_notify_cancel():
                future.set_result(job())
        except BaseException as exc:  # noqa: BLE001 - every failure goes back to the caller, as it was
            future.set_exception(exc)
        finally:
            with _started:
                _busy -= 1


def stopping() -> bool:
    """True once the process is exiting: long torch work should stop at its next step (raise Stopped)."""
    return _stopping.is_set()


@atexit.register
def shutdown() -> None:
    """Let the compute thread leave torch before the interpreter and torch's own statics go away.

    A daemon thread still inside an OpenMP region while the process exits aborts it ("terminate
    called without an active exception", exit status 134): Ctrl-C on `codesearch index` did that.
    """
    _stopping.set()
    thread = _thread
    if thread is not None and thread.is_alive():
        _jobs.put((None, None))  # type: ignore[arg-type]
        thread.join(EXIT_WAIT_SECONDS)


def settle(timeout: float = EXIT_WAIT_SECONDS) -> None:
    """Cut the compute thread's current work short (at its next step) and wait until it is idle.

    The console entry point calls this before it exits: as an atexit handler, shutdown() runs after
    torch's own handlers, and a model load cut off by Ctrl-C (torch half imported) then went on
    past them and printed finaliser tracebacks. The thread itself stays, for callers in-process.
    """
    deadline = time.monotonic() + timeout
    _stopping.set()
    try:
        while _busy and time.monotonic() < deadline:
            time.sleep(0.02)
    finally:
        _stopping.clear()


def on_compute_thread() -> bool:
    """True in the thread that runs torch work (the caller may then compute directly)."""
    return _thread is not None and threading.current_thread() is _thread


def run(job: Callable[[], T], unless_busy: bool = False) -> T:
    """job() on the compute thread, its result or exception returned to this thread as if it ran here.

    unless_busy: when the compute thread is already at work (a watcher's batch of documents can
    take seconds), run job here instead, at once: a query must not wait behind an index.
    """
    global _thread, _busy
    if on_compute_thread():
        return job()
    with _started:
        if unless_busy and _busy:
            inline = True
        else:
            inline = False
            _busy += 1
            if _thread is None:
                _thread = threading.Thread(target=_serve, name="codesearch-compute", daemon=True)
                _thread.start()
    if inline:
        return job()
    future: Future = Future()
    _jobs.put((job, future))
    return future.result()


def computed(fn: F) -> F:
    """A function (or method) that always runs on the compute thread, whoever calls it."""

    @wraps(fn)
    def wrapper(*args, **kwargs):
        return run(lambda: fn(*args, **kwargs))

    return wrapper  # type: ignore[return-value]


def _forget_after_fork() -> None:
    """A forked child has no compute thread (only the forking thread survives a fork): start afresh."""
    global _jobs, _started, _thread, _busy
    _jobs, _started, _thread, _busy = queue.SimpleQueue(), threading.Lock(), None, 0
    _stopping.clear()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_forget_after_fork)
