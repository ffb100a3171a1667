"""Progress of long work, told as log records that whoever runs the build may show.

The engine knows nothing of terminals: it logs one INFO record per step done, carrying the
step in ``record.progress`` as ``(task, done, total, item)``. :mod:`tools.progress` turns
them into a bar on a terminal and plain lines in CI; anywhere else they are ordinary logs.
"""
from __future__ import annotations

import logging


def step(log: logging.Logger, task: str, done: int, total: int, item: str) -> None:
    log.info("%s: %d of %d (%s)", task, done, total, item, extra={"progress": (task, done, total, item)})
