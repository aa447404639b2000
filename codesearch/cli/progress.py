"""A terminal progress bar for syncs (files, functions, functions/s, ETA), fed by SyncProgress events."""

from __future__ import annotations

import contextlib
import sys
from typing import Callable, Iterator

from codesearch.sync.indexer import SyncProgress


@contextlib.contextmanager
def sync_progress(enabled: bool) -> Iterator[Callable[[SyncProgress], None]]:
    """Yield a callback that draws a rich progress bar on stderr, or does nothing."""
    if not enabled:
        yield lambda p: None
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn

    columns = [
        TextColumn("[bold]{task.fields[phase]:<9}"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("files"),
        TextColumn("{task.fields[functions]} functions, {task.fields[embedded]} embedded ({task.fields[rate]}/s)"),
        TimeElapsedColumn(),
        TextColumn("ETA"),
        TimeRemainingColumn(),
    ]
    with Progress(*columns, console=Console(file=sys.stderr), transient=True) as bar:
        task = bar.add_task("sync", total=None, phase="scanning", functions=0, embedded=0, rate="0.0")

        def update(p: SyncProgress) -> None:
            rate = p.functions_embedded / p.elapsed if p.elapsed > 0 else 0.0
            if p.phase == "embedding":  # a bulk pass (Ray): the bar counts functions, so the ETA is theirs
                bar.update(task, total=p.embed_total or None, completed=p.functions_embedded, phase=p.phase,
                           functions=p.functions_embedded, embedded=p.functions_embedded, rate=f"{rate:.1f}")
                return
            bar.update(task, total=p.files_total or None, completed=p.files_done, phase=p.phase,
                       functions=p.functions_done, embedded=p.functions_embedded, rate=f"{rate:.1f}")

        yield update


LICENCE_LINKS = {"bigscience-bloom-rail-1.0": "https://huggingface.co/spaces/bigscience/license"}


def download_notice(event) -> str:
    """The line shown when a model download starts: what, how big, under which licence."""
    size = f"{event.bytes_total / 1e9:.2f} GB" if event.bytes_total else "size unknown"
    licence = event.licence or "unknown (see the model card)"
    link = LICENCE_LINKS.get(event.licence or "")
    return (f"downloading {event.repo_id} ({size}) into codesearch's cache; licence: {licence}"
            + (f" (use restrictions apply: {link})" if link else ""))


@contextlib.contextmanager
def download_progress(enabled: bool, say: Callable[[str], None]) -> Iterator[Callable[[object], None]]:
    """Yield a callback for hub.DownloadEvent: one notice line via say, and a bar (size, speed, ETA) if enabled."""
    state: dict = {}

    def update(event) -> None:
        if event.phase == "start":
            say(download_notice(event))
            if enabled and "bar" not in state:
                state["bar"] = _download_bar()
                state["task"] = state["bar"].add_task("download", total=event.bytes_total, completed=event.bytes_done,
                                                      file="")
                state["bar"].start()
        elif event.phase == "bytes" and "bar" in state:
            state["bar"].update(state["task"], completed=event.bytes_done, file=event.file)
        elif event.phase == "convert":
            if "bar" in state:
                state["bar"].stop()
                del state["bar"]
            say(f"converting {event.repo_id} to safetensors (once; later loads are memory-mapped)")

    try:
        yield update
    finally:
        if "bar" in state:
            state["bar"].stop()


def _download_bar():
    from rich.console import Console
    from rich.progress import (BarColumn, DownloadColumn, Progress, TextColumn, TimeRemainingColumn,
                               TransferSpeedColumn)

    return Progress(TextColumn("[bold]{task.fields[file]:<22}"), BarColumn(), DownloadColumn(), TransferSpeedColumn(),
                    TextColumn("ETA"), TimeRemainingColumn(), console=Console(file=sys.stderr), transient=True)
