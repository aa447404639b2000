"""A terminal progress bar for syncs (files, functions, functions/s, ETA), fed by SyncProgress events."""

from __future__ import annotations

import contextlib
import sys
from typing import Callable, Iterator

from ..indexer import SyncProgress


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
