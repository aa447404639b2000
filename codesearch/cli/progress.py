"""A terminal progress bar for syncs (files, functions, functions/s, ETA), fed by SyncProgress events."""

from __future__ import annotations

import contextlib
import sys
from typing import Callable, Iterator

from codesearch.sync.indexer import SyncProgress


def bar_fields(p: SyncProgress) -> dict:
    """What the bar shows for one event, in one vocabulary: files scanned (the bar, while parsing), tokens
    distilled (the bar, while the static tier distils), units found, units embedded (the bar, in an embedding
    pass: its ETA is theirs)."""
    rate = p.functions_embedded / p.elapsed if p.elapsed > 0 else 0.0
    embedding = p.phase == "embedding" and p.embed_total > 0
    distilling = p.phase == "distilling" and p.tokens_total > 0  # the static tier's tokens: the slow part with udever
    total, completed, unit = ((p.embed_total, p.functions_embedded, "units embedded") if embedding else
                              (p.tokens_total, p.tokens_distilled, INSTANT_UNIT) if distilling else
                              (p.files_total, p.files_done, "files scanned"))
    return {"total": total or None, "completed": completed, "unit": unit, "phase": SHOWN_PHASES.get(p.phase, p.phase),
            "found": p.functions_done or p.embed_total, "embedded": p.functions_embedded, "rate": f"{rate:.1f}"}


# the static tier's pass as a user reads it ("distilling: 0/49 token vectors for instant search" was jargon: probes
# 185, 186): the words of the code, each readied once for searching by meaning before the model embeds the units
SHOWN_PHASES = {"distilling": "preparing"}
INSTANT_UNIT = "words readied for instant search"
PLAIN_EVERY = 30.0  # seconds between two progress lines where stderr is no terminal (a log, a pipe)


@contextlib.contextmanager
def sync_progress(enabled: bool, terminal: bool = True,
                  every: float = PLAIN_EVERY) -> Iterator[Callable[[SyncProgress], None]]:
    """Yield a callback that draws a rich progress bar on stderr, or, where stderr is no terminal, writes a line of
    where the sync stands every `every` seconds (piped, `index` said nothing for minutes: probe 87), or does nothing."""
    if not enabled:
        yield lambda p: None
        return
    if not terminal:
        yield _plain_lines(every)
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn

    columns = [
        TextColumn("[bold]{task.fields[phase]:<9}"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.fields[unit]};"),
        TextColumn("{task.fields[found]} units found, {task.fields[embedded]} embedded ({task.fields[rate]}/s)"),
        TimeElapsedColumn(),
        TextColumn("ETA"),
        TimeRemainingColumn(),
    ]
    with Progress(*columns, console=Console(file=sys.stderr), transient=True) as bar:
        task = bar.add_task("sync", **bar_fields(SyncProgress("scanning")))

        def update(p: SyncProgress) -> None:
            bar.update(task, **bar_fields(p))

        yield update


def _plain_lines(every: float) -> Callable[[SyncProgress], None]:
    """A callback that writes one plain line of the sync's progress to stderr as each phase starts and then at most
    every `every` seconds (its first line came after 30 s, the log silent till then: probe 102)."""
    import time

    last: list = [time.monotonic(), None]  # when a line was written, and in which phase

    def update(p: SyncProgress) -> None:
        if p.phase == "done" or (p.phase == last[1] and time.monotonic() - last[0] < every):
            return
        last[:] = [time.monotonic(), p.phase]
        f = bar_fields(p)
        of = f"{f['completed']}/{f['total']} " if f["total"] else ""
        sys.stderr.write(f"{f['phase']}: {of}{f['unit']}; {f['found']} units found, {f['embedded']} embedded "
                         f"({f['rate']}/s), {p.elapsed:.0f}s\n")
        sys.stderr.flush()

    return update


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
