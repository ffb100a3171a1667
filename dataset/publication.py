"""The data package as the site publishes it, and frictionless's verdict on the files written.

The published descriptor (``datapackage.json``) is the data package file with every table's
``status`` column limited to the evidence key (:func:`dataset.evidence.with_status_enums`), so
it carries everything the build validated against: the Table Schemas, the sources with their
printed dates, the units and the evidence statuses (custom properties) and the licence. Each
table is written beside it under its own ``path``, cell for cell as in ``data/``, by
:mod:`dataset.spreadsheet`, so no cell can run as a formula in a spreadsheet.

:func:`validate` reads the files as written, strictly as the build reads ``data/`` and then with
frictionless, so what readers download is what was checked.
"""
from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from pathlib import Path

from dataset import evidence, loading, spreadsheet
from dataset.errors import Problem

#: The published descriptor's file name, beside the tables.
DESCRIPTOR = "datapackage.json"


@dataclass(frozen=True)
class Table:
    """One published table, as the pages list it."""

    name: str
    path: str
    title: str
    rows: int


def descriptor(package_path: Path | str) -> dict:
    """The descriptor as published: the package file, with the status enums filled in."""
    return evidence.with_status_enums(loading.read_descriptor(Path(package_path)))


def tables(package_path: Path | str, data) -> list[Table]:
    """Every table the package publishes, in its order, with the rows ``data`` holds."""
    return [Table(r["name"], r["path"], r.get("title") or r["name"], len(getattr(data, r["name"]))) for r in descriptor(package_path)["resources"]]


def write(package_path: Path | str, folder: Path) -> list[Path]:
    """Write the descriptor and each table into ``folder``; return the files written.

    The tables are copied from ``data/`` record by record (the build has validated them), so
    the published cells are the source's, quoted safely.
    """
    package_path = Path(package_path)
    published = descriptor(package_path)
    written = []
    for resource in published["resources"]:
        text = (package_path.parent / resource["path"]).read_text(encoding="utf-8").removeprefix("\ufeff")
        records = [record for record in csv.reader(io.StringIO(text, newline=""), strict=True) if record]
        target = folder / resource["path"]
        target.parent.mkdir(parents=True, exist_ok=True)
        spreadsheet.write_rows(target, records[0], records[1:])
        written.append(target)
    (folder / DESCRIPTOR).write_text(json.dumps(published, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return [folder / DESCRIPTOR, *written]


def validate(folder: Path, shown: str) -> list[Problem]:
    """Every problem in the package written in ``folder`` (``shown``: how messages name that
    folder), each naming the file, the line as a person counts it and the column."""
    from frictionless import FrictionlessException, Package

    where = f"{shown}/{DESCRIPTOR}"
    try:
        report = Package.validate_descriptor(str(folder / DESCRIPTOR))
        if not report.valid:
            return [Problem(where, error.message) for error in report.errors]
        package = Package(str(folder / DESCRIPTOR))
    except FrictionlessException as exc:
        return [Problem(where, f"frictionless cannot read it: {exc.error.message}")]
    problems = []
    for resource in package.resources:
        path = f"{shown}/{resource.path}"
        _, starts, found = loading.read_csv(folder / resource.path, path, [field.name for field in resource.schema.fields])
        problems += found or loading.schema_problems(package, resource.name, path, starts)
    return problems
