"""Chart versions: a chart's id never changes; its version goes up when what it shows does.

``data/chart_versions.csv`` records each released version of each chart with the hash of
its standalone Vega-Lite spec (data, design and titles), and ``data/chart_archive/`` keeps
that spec, so the downloads of every earlier version can be rebuilt at ``/charts/<id>/v<N>/``.

A build stops when a chart no longer matches its latest release, so that no change reaches
readers unrecorded; ``invoke release`` records it.
"""
from __future__ import annotations

import csv
import datetime as dt
import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

from dataset.errors import ChartError, Problem, display_path

VERSIONS_FILE = "chart_versions.csv"
ARCHIVE_DIR = "chart_archive"
COLUMNS = ("chart_id", "version", "released", "spec_sha256", "what_changed")


@dataclass(frozen=True)
class ChartVersion:
    chart_id: str
    version: int
    released: str
    spec_sha256: str
    what_changed: str

    def archive_path(self, data_dir: Path) -> Path:
        return data_dir / ARCHIVE_DIR / self.chart_id / f"v{self.version}.vl.json"


def spec_hash(spec: dict) -> str:
    return hashlib.sha256(json.dumps(spec, sort_keys=True, separators=(",", ":")).encode("utf-8")).hexdigest()


def history(dataset) -> dict[str, list[ChartVersion]]:
    """Released versions per chart id, oldest first."""
    found: dict[str, list[ChartVersion]] = {}
    for _, row in dataset.chart_versions.iterrows():
        version = ChartVersion(row["chart_id"], int(row["version"]), str(row["released"]), row["spec_sha256"], row["what_changed"])
        found.setdefault(version.chart_id, []).append(version)
    return {chart_id: sorted(versions, key=lambda v: v.version) for chart_id, versions in found.items()}


def check(prepared) -> None:
    """Every published chart still exists, and every chart matches its latest release."""
    data_dir = prepared.data.root
    released = history(prepared.data)
    path = display_path(data_dir / VERSIONS_FILE)
    problems = []
    for chart_id, versions in released.items():
        numbers = [v.version for v in versions]
        if numbers != list(range(1, len(numbers) + 1)):
            problems.append(Problem(path, f"chart {chart_id!r} has versions {numbers}; they must run 1, 2, 3 … without gaps"))
        if chart_id not in prepared.charts:
            problems.append(Problem(path, f"chart {chart_id!r} has been published, so its URL must keep working; restore charts/{chart_id}.py"))
        for version in versions:
            if not version.archive_path(data_dir).is_file():
                problems.append(Problem(display_path(version.archive_path(data_dir)), f"archived spec of {chart_id!r} version {version.version} is missing"))
    for chart_id, bundle in prepared.charts.items():
        versions = released.get(chart_id)
        if not versions:
            problems.append(Problem(bundle.built.module_path, f"chart {chart_id!r} has never been released; run `invoke release --note \"First published.\" --chart {chart_id}`"))
        elif versions[-1].spec_sha256 != spec_hash(bundle.standalone_spec):
            latest = versions[-1].version
            problems.append(
                Problem(
                    bundle.built.module_path,
                    f"chart {chart_id!r} no longer matches version {latest} (its data, design or titles changed); "
                    f"record version {latest + 1} with `invoke release --chart {chart_id} --note \"what changed\"`",
                )
            )
    if problems:
        raise ChartError(problems)


def release(prepared, note: str, chart_ids: list[str] | None = None, today: dt.date | None = None) -> list[ChartVersion]:
    """Record a new version of each named chart (or of every changed chart) and archive its spec."""
    if not note.strip():
        raise ChartError(Problem("invoke release", "say what changed with --note; readers see it on the chart page"))
    data_dir = prepared.data.root
    released = history(prepared.data)
    unknown = [c for c in chart_ids or [] if c not in prepared.charts]
    if unknown:
        raise ChartError(Problem("invoke release", f"unknown chart {unknown[0]!r}; charts are {', '.join(prepared.charts)}"))
    today = (today or dt.date.today()).isoformat()
    new = []
    for chart_id, bundle in prepared.charts.items():
        if chart_ids and chart_id not in chart_ids:
            continue
        digest = spec_hash(bundle.standalone_spec)
        versions = released.get(chart_id, [])
        if versions and versions[-1].spec_sha256 == digest:
            continue
        version = ChartVersion(chart_id, len(versions) + 1, today, digest, note.strip())
        archive = version.archive_path(data_dir)
        archive.parent.mkdir(parents=True, exist_ok=True)
        archive.write_text(json.dumps(bundle.standalone_spec, indent=1, sort_keys=True) + "\n", encoding="utf-8")
        new.append(version)
    if new:
        file = data_dir / VERSIONS_FILE
        with file.open("a", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle, lineterminator="\n")
            for version in new:
                writer.writerow([version.chart_id, version.version, version.released, version.spec_sha256, version.what_changed])
    return new


def archived_spec(version: ChartVersion, data_dir: Path) -> dict:
    return json.loads(version.archive_path(data_dir).read_text(encoding="utf-8"))


def plotted_rows(spec: dict) -> list[dict]:
    """The rows a Vega-Lite spec plots, from its inline top-level dataset."""
    return spec["datasets"][spec["data"]["name"]]
