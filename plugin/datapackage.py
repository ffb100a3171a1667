"""The whole dataset, published with the site and validated as published.

Once Pelican has written the pages, the data package goes into ``CHARTS_DATA_URL``'s folder
(``data/`` by default): ``datapackage.json`` and one CSV per table (:mod:`dataset.publication`).
Frictionless then validates those files, not ``data/``; a problem fails the build, naming the
written file, line and column. The verdict is kept in the memo under a hash of the bytes written
(:func:`charting.memo.published_key`), so a rebuild that writes the same package does not run
frictionless again.
"""
from __future__ import annotations

import logging
from pathlib import Path

from charting import memo
from dataset import publication
from dataset.errors import Problem
from plugin.urls import ChartUrls

log = logging.getLogger(__name__)

#: The memo's folder for validated packages.
MEMO_KIND = "published"


def publish(package_path: Path | str, urls: ChartUrls, output: Path, shown: str, cache_dir: Path) -> list[Problem]:
    """Write the package into ``output`` and validate it there; ``shown`` names ``output`` in messages."""
    folder = Path(output) / urls.data_folder
    publication.write(package_path, folder)
    key = memo.published_key(folder)
    if memo.load(cache_dir, MEMO_KIND, key) is True:
        log.info("data package: %s/ is as validated before", urls.data_folder)
        return []
    problems = publication.validate(folder, f"{shown}/{urls.data_folder}")
    if not problems:
        memo.store(cache_dir, MEMO_KIND, key, True)
        log.info("data package: %s/ validated by frictionless", urls.data_folder)
    return problems
