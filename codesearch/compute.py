"""One thread runs every torch computation of a process: the model's loading, threads setting and forwards.

torch's CPU kernels run on OpenMP, and OpenMP gives each thread that starts parallel work a team
of its own. Once a second team exists on a machine with few cores, every parallel region of
every team waits longer (measured on 2 cores: an int8 query layer 0.12 ms on the first thread,
0.27 ms on a second one and on the first one again; a warm server answered 81 ms instead of
57 ms because each request ran on its own thread). Servers, watchers and TUIs call the model
from many threads, so all of them hand the work to this one thread and wait for it.
"""

from __future__ import annotations

import queue
import threading
from concurrent.futures import Future
from functools import wraps
from typing import Callable, TypeVar

T = TypeVar("T")
F = TypeVar("F", bound=Callable)

_jobs: "queue.SimpleQueue[tuple[Callable[[], object], Future]]" = queue.SimpleQueue()
_started = threading.Lock()
_thread: threading.Thread | None = None

__all__ = ["run", "on_compute_thread", "computed"]


def _serve() -> None:
    while True:
        job, future = _jobs.get()
        if not future.set_running_or_notify_cancel():
            continue
        try:
            future.set_result(job())
        except BaseException as exc:  # noqa: BLE001 - every failure goes back to the caller, as it was
            future.set_exception(exc)


def on_compute_thread() -> bool:
    """True in the thread that runs torch work (the caller may then compute directly)."""
    return _thread is not None and threading.current_thread() is _thread


def run(job: Callable[[], T]) -> T:
    """job() on the compute thread, its result or exception returned to this thread as if it ran here."""
    global _thread
    if on_compute_thread():
        return job()
    with _started:
        if _thread is None:
            _thread = threading.Thread(target=_serve, name="codesearch-compute", daemon=True)
            _thread.start()
    future: Future = Future()
    _jobs.put((job, future))
    return future.result()


def computed(fn: F) -> F:
    """A function (or method) that always runs on the compute thread, whoever calls it."""

    @wraps(fn)
    def wrapper(*args, **kwargs):
        return run(lambda: fn(*args, **kwargs))

    return wrapper  # type: ignore[return-value]
