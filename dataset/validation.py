"""The project's rules on top of the Table Schemas.

Each rule returns :class:`~dataset.errors.Problem` values naming file, line and column, so a
maintainer can go straight to the cell.
"""
from __future__ import annotations

import hashlib
import re
from pathlib import Path

from dataset import evidence, formulas, places
from dataset.dates import parse_span
from dataset.errors import Problem, display_path

#: Tables whose rows cite a source and carry an evidence status.
SOURCED_TABLES = ("figures", "events", "flows", "places", "routes")
#: How far a derived row may sit from its recomputed value (stored values are rounded).
DERIVED_TOLERANCE = 1e-3
DATE_COLUMNS = {"figures": ("period", "period_qualifier"), "events": ("date", "date_qualifier")}
#: The qualifier that marks a date as a plan or forecast: the one kind of row that may be dated
#: after its source was printed.
PLANNED = "planned"
SHA256 = re.compile(r"[0-9a-f]{64}")


def check(dataset, sources_dir: Path | None, descriptor_path: str) -> list[Problem]:
    problems = _check_sources(dataset, sources_dir, descriptor_path)
    for table in SOURCED_TABLES:
        problems += _check_provenance(dataset, table)
    for table, (column, qualifier) in DATE_COLUMNS.items():
        problems += _check_dates(dataset, table, column, qualifier)
        problems += _check_printed_dates(dataset, table, column, qualifier)
    problems += _check_units(dataset, descriptor_path)
    problems += _check_derived(dataset)
    problems += _check_flows(dataset)
    problems += places.check(dataset)
    return problems


def locate(dataset, table: str):
    """Yield (line, row) for a table's rows; line as a person counts it."""
    frame = getattr(dataset, table)
    for line, (_, row) in zip(dataset.lines[table], frame.iterrows()):
        yield line, row


def _path(dataset, table: str) -> str:
    return display_path(dataset.root / f"{table}.csv")


def _check_sources(dataset, sources_dir: Path | None, descriptor_path: str) -> list[Problem]:
    problems = []
    for name, source in dataset.sources.items():
        if not source.file:
            problems.append(Problem(descriptor_path, f"source {name!r} names no file"))
            continue
        if source.date_printed:
            try:
                parse_span(source.date_printed)
            except ValueError as exc:
                problems.append(Problem(descriptor_path, f"source {name!r}: date_printed {exc}", dataset.source_lines.get(name, {}).get("date_printed"), "date_printed"))
        hash_problem = _check_hash(dataset, name, source, descriptor_path)
        if hash_problem:
            problems.append(hash_problem)
        if sources_dir is None:
            continue
        document = sources_dir / source.file
        if not document.is_file():
            problems.append(Problem(descriptor_path, f"source {name!r}: document {source.file} not found in {sources_dir}"))
        elif not hash_problem and hashlib.sha256(document.read_bytes()).hexdigest() != source.sha256:
            problems.append(Problem(descriptor_path, f"source {name!r}: {source.file} has changed since its figures were recorded (sha256 differs); re-check them and update the hash"))
    return problems


def _check_hash(dataset, name: str, source, descriptor_path: str) -> Problem | None:
    """Every source carries its document's SHA-256: without it an edited document would go unnoticed."""
    lines = dataset.source_lines.get(name, {})
    if not source.sha256:
        return Problem(descriptor_path, f"source {name!r} has no sha256; record the SHA-256 of {source.file} so an edited document stops the build", lines.get(""), "sha256")
    if not SHA256.fullmatch(source.sha256):
        return Problem(descriptor_path, f"source {name!r}: sha256 {source.sha256!r} is not a SHA-256 (64 lower-case hexadecimal characters)", lines.get("sha256"), "sha256")
    return None


def _check_provenance(dataset, table: str) -> list[Problem]:
    problems, path = [], _path(dataset, table)
    for line, row in locate(dataset, table):
        if row["source"] not in dataset.sources:
            known = ", ".join(sorted(dataset.sources))
            problems.append(Problem(path, f"unknown source {row['source']!r}; the package lists {known}", line, "source"))
    return problems


def _check_dates(dataset, table: str, column: str, qualifier: str) -> list[Problem]:
    problems, path = [], _path(dataset, table)
    for line, row in locate(dataset, table):
        text, how = row[column] or "", row[qualifier]
        if how == "undated" and text:
            problems.append(Problem(path, f"is {text!r} but {qualifier} says undated", line, column))
        elif how != "undated" and not text:
            problems.append(Problem(path, f"is empty; give the date at the source's precision or set {qualifier} to undated", line, column))
        elif text:
            try:
                parse_span(text)
            except ValueError as exc:
                problems.append(Problem(path, str(exc), line, column))
    return problems


def _check_printed_dates(dataset, table: str, column: str, qualifier: str) -> list[Problem]:
    """A source cannot report what had not happened when it was printed, unless it gives a plan
    or forecast; a row dated later is most often a wrong year inferred."""
    problems, path = [], _path(dataset, table)
    for line, row in locate(dataset, table):
        source = dataset.sources.get(row["source"])
        text = row[column] or ""
        if not text or source is None or not source.date_printed or row[qualifier] == PLANNED:
            continue
        try:
            starts, printed = parse_span(text).first_day(), parse_span(source.date_printed)
        except ValueError:
            continue  # reported by _check_dates, or a malformed date_printed reported below
        if starts > printed.last_day():
            problems.append(
                Problem(
                    path,
                    f"{text!r} starts after its source {row['source']!r} was printed ({printed.label()}); "
                    f"if the source gives it as a plan or forecast, set {qualifier} to {PLANNED}, otherwise correct the date",
                    line,
                    column,
                )
            )
    return problems


#: How prose may write a value: the unit's label, its symbol, or the row's subject.
PROSE_FORMS = ("label", "symbol", "subject")


def _check_units(dataset, descriptor_path: str) -> list[Problem]:
    problems, path = [], _path(dataset, "figures")
    for key, unit in dataset.units.items():
        if unit.prose not in PROSE_FORMS:
            problems.append(Problem(descriptor_path, f"unit {key!r}: prose {unit.prose!r} is not one of {', '.join(PROSE_FORMS)}", column="units"))
        elif unit.prose == "symbol" and not unit.symbol:
            problems.append(Problem(descriptor_path, f"unit {key!r} is written with its symbol in prose but has no symbol", column="units"))
    for line, row in locate(dataset, "figures"):
        if row["unit"] not in dataset.units:
            known = ", ".join(sorted(dataset.units))
            problems.append(Problem(path, f"unknown unit {row['unit']!r}; known units are {known}", line, "unit"))
    return problems


def _check_derived(dataset) -> list[Problem]:
    problems, path = [], _path(dataset, "figures")
    values = {fid: float(v) for fid, v in dataset.figures["value"].items()}
    for line, row in locate(dataset, "figures"):
        formula, derived = (row["formula"] or "").strip(), row["status"] == evidence.DERIVED
        if derived and not formula:
            problems.append(Problem(path, "is derived but has no formula", line, "formula"))
            continue
        if formula and not derived:
            problems.append(Problem(path, f"has a formula but status {row['status']!r}; a computed value is 'derived'", line, "status"))
            continue
        if not derived and not (row["as_printed"] or "").strip():
            problems.append(Problem(path, "is empty; a sourced figure keeps the words the source printed", line, "as_printed"))
        if derived and (row["as_printed"] or "").strip():
            problems.append(Problem(path, "is filled in for a derived row; no source printed a value we computed", line, "as_printed"))
        if not derived:
            continue
        try:
            expected = formulas.evaluate(formula, values)
        except formulas.FormulaError as exc:
            problems.append(Problem(path, str(exc), line, "formula"))
            continue
        stored = values[row["figure_id"]]
        if abs(stored - expected) > DERIVED_TOLERANCE * max(abs(expected), 1e-9):
            problems.append(Problem(path, f"is {stored:g} but {formula} gives {expected:.6g}; update the value or the formula", line, "value"))
    return problems + _check_chains(dataset)


def derived_graph(dataset) -> dict[str, set[str]]:
    """Each derived figure -> the figure ids its formula uses."""
    figures = dataset.figures
    derived = figures[(figures["status"] == "derived") & (figures["formula"].fillna("").str.strip() != "")]
    return formulas.graph(dict(zip(derived["figure_id"], derived["formula"])))


def _check_chains(dataset) -> list[Problem]:
    """A derived value must rest, through every formula behind it, on sourced rows and cite one of
    their sources. A loop of formulas recomputes consistently from itself and rests on nothing."""
    problems, path = [], _path(dataset, "figures")
    graph = derived_graph(dataset)
    line_of = {row["figure_id"]: line for line, row in locate(dataset, "figures")}
    looped: set[str] = set()
    for cycle in formulas.cycles(graph):
        looped.update(cycle)
        problems.append(Problem(path, "formula cycle: " + " -> ".join(cycle) + "; a derived value must rest on sourced figures, not on itself", line_of[cycle[0]], "formula"))
    for figure_id in graph:
        if formulas.reaches(figure_id, looped, graph):
            continue  # the cycle is the problem to fix first
        used = formulas.bases(figure_id, graph)
        if used - line_of.keys():
            continue  # an unknown id, reported with the formula
        sourced = {fid for fid in used if dataset.figures.at[fid, "status"] != "derived"}
        if not sourced:
            problems.append(Problem(path, "rests on no sourced figure; a derived value is computed from figures that name a source", line_of[figure_id], "formula"))
            continue
        rests_on = sorted({dataset.figures.at[fid, "source"] for fid in sourced})
        own = dataset.figures.at[figure_id, "source"]
        if own not in rests_on:
            problems.append(Problem(path, f"is {own!r}, but the formula rests on figures from {', '.join(rests_on)}; cite one of them", line_of[figure_id], "source"))
    return problems


def _check_flows(dataset) -> list[Problem]:
    problems, path = [], _path(dataset, "flows")
    for line, row in locate(dataset, "flows"):
        figure_id = row["figure_id"]
        if figure_id and figure_id not in dataset.figures.index:
            problems.append(Problem(path, f"unknown figure {figure_id!r}", line, "figure_id"))
    return problems
