"""Show the engine's progress while a maintainer waits: a bar on a terminal, plain lines in CI.

The engine logs each step done as a record carrying ``progress`` (see :mod:`charting.progress`);
the tools log theirs the same way. :func:`reporting` shows them while its block runs: with
rich's progress bars when standard error is a terminal and ``CI`` is not set, otherwise as one
plain line per step, which a CI log keeps readable.
"""
from __future__ import annotations

import logging
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager

from charting.progress import step

__all__ = ["interactive", "reporting", "step"]

#: Loggers whose progress records are shown: the engine's and the tools'.
SOURCES = ("charting", "plugin", "tools")


def interactive(stream=None) -> bool:
    stream = stream or sys.stderr
    return stream.isatty() and not os.environ.get("CI")


class _Handler(logging.Handler):
    def __init__(self, show):
        super().__init__(logging.INFO)
        self.show = show

    def emit(self, record: logging.LogRecord) -> None:
        step_done = getattr(record, "progress", None)
        if step_done:
            self.show(*step_done)


@contextmanager
def _attached(show) -> Iterator[None]:
    handler = _Handler(show)
    loggers = [logging.getLogger(name) for name in SOURCES]
    levels = [logger.level for logger in loggers]
    for logger in loggers:
        logger.addHandler(handler)
        if logger.getEffectiveLevel() > logging.INFO:
            logger.setLevel(logging.INFO)
    try:
        yield
    finally:
        for logger, level in zip(loggers, levels, strict=True):
            logger.removeHandler(handler)
            logger.setLevel(level)


@contextmanager
def reporting(stream=None) -> Iterator[None]:
    """Show progress records logged while the block runs."""
    stream = stream or sys.stderr
    if not interactive(stream):

        def line(task, done, total, item):
            print(f"{task}: {done} of {total} ({item})", file=stream, flush=True)

        with _attached(line):
            yield
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(), console=Console(file=stream), transient=True) as bars:
        tasks: dict[str, int] = {}

        def bar(task, done, total, item):
            if task not in tasks:
                tasks[task] = bars.add_task(task, total=total)
            bars.update(tasks[task], completed=done, total=total, description=f"{task} ({item})")

        with _attached(bar):
            yield
