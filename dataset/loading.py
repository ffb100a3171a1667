"""Load the data package, validate it, and hand the tables to the charts and pages.

Validation runs in three layers, each naming the file, the line as a person counts it
(the header is line 1) and the column:

1. the CSV itself: UTF-8, balanced quotes, one cell per column, the header the schema expects;
   no control characters in any cell, and rows in every table not declared ``may_be_empty``;
2. the Table Schemas, by frictionless: types, required cells, enums, minimums, unique keys,
   and (before frictionless, which takes them for numbers) no NaN or infinity in a number column;
3. the project's rules (:mod:`dataset.validation`): sources resolve and carry their SHA-256,
   units are known, dates keep their precision and do not follow their source's printing,
   derived values recompute and rest, through formulas without loops, on sourced rows.
"""
from __future__ import annotations

import csv
import functools
import io
import math
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import yaml

from dataset import evidence, places
from dataset.errors import DataError, Problem
from dataset.errors import display_path as _shown
from dataset.evidence import EvidenceKey

DEFAULT_PACKAGE = Path(__file__).resolve().parent.parent / "data" / "datapackage.yaml"
DEFAULT_SOURCES_DIR = Path(__file__).resolve().parent.parent.parent / "shared" / "sources"


@dataclass(frozen=True)
class Source:
    name: str
    cite_as: str
    title: str
    file: str
    sha256: str
    outlet: str
    byline: str
    date_printed: str
    date_note: str

    @property
    def citation(self) -> str:
        """Who published it and when, as a reader would cite it."""
        from dataset.dates import parse_span

        date = parse_span(self.date_printed).label() if self.date_printed else "undated"
        return f"{self.cite_as}, {date}"


@dataclass(frozen=True)
class AsOf:
    """How fresh some data is: the latest date its sources printed."""

    #: That date, ISO 8601 at the precision printed, or None when no source printed one.
    date: str | None
    #: How many of the sources printed no date (and so could not count).
    undated: int


@dataclass(frozen=True)
class Unit:
    """A unit as the data package defines it, and so as every page and chart writes it."""

    key: str
    label: str
    symbol: str
    description: str
    #: The symbol goes before the number ($6.5 million) rather than after it (540 t).
    symbol_before: bool = False
    #: A space between the number and a symbol after it (540 t), or none (18%).
    spaced: bool = True
    #: How prose writes a value: with the unit's ``label`` ("540 tonnes"), its ``symbol``
    #: ("$6.5 million", "18%"), or the row's ``subject`` ("447 goats").
    prose: str = "label"
    #: Short labels count in millions: "$6.5m".
    short_millions: bool = False

    @classmethod
    def from_descriptor(cls, key: str, entry: dict) -> Unit:
        text = {name: str(entry.get(name, "")) for name in ("label", "symbol", "description")}
        flags = {name: bool(entry[name]) for name in ("symbol_before", "spaced", "short_millions") if name in entry}
        return cls(key, **text, **flags, prose=str(entry.get("prose", "label")))


@dataclass
class Dataset:
    """The validated tables, as pandas DataFrames of strings (``value`` is float)."""

    root: Path
    figures: pd.DataFrame
    events: pd.DataFrame
    flows: pd.DataFrame
    places: pd.DataFrame
    routes: pd.DataFrame
    corrections: pd.DataFrame
    chart_versions: pd.DataFrame
    sources: dict[str, Source]
    units: dict[str, Unit]
    evidence: EvidenceKey
    lines: dict[str, list[int]] = field(default_factory=dict)
    #: Where each source sits in the package file: name -> {key: line}, "" for the entry's first line.
    source_lines: dict[str, dict[str, int]] = field(default_factory=dict)
    #: The text columns each edition translates: table -> columns (``translated`` in the package).
    translated: dict[str, tuple[str, ...]] = field(default_factory=dict)
    #: The edition whose language the text is in (a charting.editions.Edition); None as loaded.
    edition: object = None

    @property
    def lang(self) -> str:
        return getattr(self.edition, "lang", "en")

    # Text in the edition's language, by gettext's names (Babel extracts the strings from calls).
    def gettext(self, message: str) -> str:
        return self.edition.gettext(message) if self.edition else message

    def pgettext(self, context: str, message: str) -> str:
        return self.edition.pgettext(context, message) if self.edition else message

    def ngettext(self, singular: str, plural: str, n: float) -> str:
        return self.edition.ngettext(singular, plural, n) if self.edition else (singular if n == 1 else plural)

    def figure(self, figure_id: str) -> pd.Series:
        return self.figures.loc[figure_id]

    @property
    def statuses(self) -> dict[str, str]:
        """Each evidence status's meaning, in the key's order."""
        return {status.name: status.meaning for status in self.evidence}

    @functools.cached_property
    def derived_graph(self) -> dict[str, set[str]]:
        """Each derived figure's id -> the ids its formula uses (worked out once)."""
        from dataset import validation

        return validation.derived_graph(self)

    def sources_of(self, figure_id: str) -> list[str]:
        """The row's own source, then every other source its formulas rest on.

        A derived row's ``source`` column names one of them; a page that cites a derived figure
        in full needs all of them.
        """
        from dataset import formulas

        own = self.figures.at[figure_id, "source"]
        graph = self.derived_graph
        if figure_id not in graph:
            return [own]
        others = {self.figures.at[fid, "source"] for fid in formulas.bases(figure_id, graph) if fid in self.figures.index}
        return [own, *sorted(others - {own})]

    def as_of(self, source_ids=()) -> AsOf:
        """The latest date printed among these sources; with none named, among every source
        (what the site as a whole is as of). A date printed at a lower precision counts by its last
        day; of two that end on the same day, the more precise is later (it starts later)."""
        from dataset.dates import parse_span

        names = set(source_ids) or set(self.sources)
        printed = [self.sources[name].date_printed for name in names if self.sources[name].date_printed]
        latest = max(printed, key=lambda date: (parse_span(date).last_day(), parse_span(date).first_day())) if printed else None
        return AsOf(latest, len(names) - len(printed))

    def value(self, figure_id: str) -> float:
        return float(self.figures.at[figure_id, "value"])

    def event(self, event_id: str) -> pd.Series:
        return self.events.loc[event_id]


def load(package_path: Path | str = DEFAULT_PACKAGE, sources_dir: Path | str | None = DEFAULT_SOURCES_DIR) -> Dataset:
    """Read and validate the package; raise :class:`DataError` listing every problem."""
    from dataset import validation

    package_path = Path(package_path)
    descriptor = read_descriptor(package_path)
    key_problems = evidence.problems_in(descriptor)
    if key_problems:
        raise DataError([Problem(_shown(package_path), message, column="evidence_statuses") for message in key_problems])
    root = package_path.parent
    shown_package = _shown(package_path)
    problems: list[Problem] = []
    schemas = None  # the frictionless package, read once and only if some CSV parses
    tables: dict[str, pd.DataFrame] = {}
    lines: dict[str, list[int]] = {}
    for resource in descriptor.get("resources", []):
        name, path = resource.get("name"), root / resource.get("path", "")
        shown = _shown(path)
        if not path.is_file():
            problems.append(Problem(shown, "file not found (listed in the data package)"))
            continue
        schema_fields = resource.get("schema", {}).get("fields", [])
        fields = [f["name"] for f in schema_fields]
        records, record_lines, found = read_csv(path, shown, fields)
        if found:
            problems.extend(found)
            continue
        found = _empty_table(resource, records, shown, shown_package)
        if found:
            problems.extend(found)
            continue
        found = _non_finite(records, record_lines, schema_fields, shown)
        schemas = schemas or _frictionless_package(evidence.with_status_enums(descriptor), root)
        flagged = {(p.line, p.column) for p in found}
        found += [p for p in schema_problems(schemas, name, shown, record_lines) if (p.line, p.column) not in flagged]
        if found:
            problems.extend(found)
            continue
        frame = pd.DataFrame(records[1:], columns=records[0], dtype="string")
        key = resource["schema"]["primaryKey"]
        tables[name] = frame.set_index(key[0], drop=False) if len(key) == 1 else frame
        lines[name] = record_lines[1:]
    if problems:
        raise DataError(problems)
    dataset = Dataset(
        root=root,
        figures=tables["figures"],
        events=tables["events"],
        flows=tables["flows"],
        places=tables["places"],
        routes=tables["routes"],
        corrections=tables["corrections"],
        chart_versions=tables["chart_versions"],
        sources={s["name"]: Source(**{k: "" if s.get(k) is None else str(s[k]) for k in Source.__dataclass_fields__}) for s in descriptor.get("sources", [])},
        units={key: Unit.from_descriptor(key, entry) for key, entry in descriptor.get("units", {}).items()},
        evidence=evidence.from_descriptor(descriptor),
        lines=lines,
        source_lines=_source_lines(package_path),
        translated=_translated(descriptor, shown_package),
    )
    problems = validation.check(dataset, sources_dir=Path(sources_dir) if sources_dir else None, descriptor_path=_shown(package_path))
    if problems:
        raise DataError(problems)
    dataset.figures["value"] = dataset.figures["value"].astype(float)
    places.locate(dataset)
    return dataset


#: Text kept outside the tables, which ``translated`` may name too.
_DESCRIPTOR_TEXT = {"sources": ("cite_as", "title", "outlet", "byline", "date_note"), "units": ("label", "description"), "evidence_statuses": ("label", "meaning")}


def _translated(descriptor: dict, shown: str) -> dict[str, tuple[str, ...]]:
    """The package's ``translated`` map, each table and column checked against the package."""
    given = descriptor.get("translated") or {}
    columns = {r.get("name"): [f["name"] for f in r.get("schema", {}).get("fields", [])] for r in descriptor.get("resources", [])}
    columns.update({name: list(fields) for name, fields in _DESCRIPTOR_TEXT.items()})
    problems = []
    if not isinstance(given, dict):
        raise DataError(Problem(shown, "translated must map each table to a list of its text columns", column="translated"))
    for table, names in given.items():
        if table not in columns:
            problems.append(Problem(shown, f"translated names {table!r}, which is neither a resource nor sources, units or evidence_statuses", column="translated"))
            continue
        for name in names or []:
            if name not in columns[table]:
                problems.append(Problem(shown, f"translated names {table}.{name}, which is not a column of {table} (columns: {', '.join(columns[table])})", column="translated"))
    if problems:
        raise DataError(problems)
    return {table: tuple(names or ()) for table, names in given.items()}


def read_descriptor(path: Path) -> dict:
    """The data package file as a dict (the build and the published package read it alike)."""
    shown = _shown(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise DataError(Problem(shown, "data package not found")) from None
    try:
        # libyaml's safe loader when PyYAML has it: the same YAML, read ten times faster.
        descriptor = yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise DataError(Problem(shown, f"not valid YAML: {getattr(exc, 'problem', exc)}", line=mark.line + 1 if mark else None)) from None
    if not isinstance(descriptor, dict) or not descriptor.get("resources"):
        raise DataError(Problem(shown, "a data package needs a 'resources' list"))
    return descriptor


def _source_lines(path: Path) -> dict[str, dict[str, int]]:
    """Line of each source entry ("") and of each of its keys, so a source's problem points at it."""
    found: dict[str, dict[str, int]] = {}
    root = yaml.compose(path.read_text(encoding="utf-8"))
    sources = next((value for key, value in root.value if key.value == "sources"), None) if isinstance(root, yaml.MappingNode) else None
    for entry in getattr(sources, "value", []) if isinstance(sources, yaml.SequenceNode) else []:
        if not isinstance(entry, yaml.MappingNode):
            continue
        keys = {key.value: key.start_mark.line + 1 for key, _ in entry.value}
        name = next((value.value for key, value in entry.value if key.value == "name"), None)
        if isinstance(name, str):
            found[name] = {"": entry.start_mark.line + 1, **keys}
    return found


def read_csv(path: Path, shown: str, fields: list[str]) -> tuple[list[list[str]], list[int], list[Problem]]:
    """Parse strictly (``fields`` is the header the schema expects); return records, the line
    each record starts on, and problems."""
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        return [], [], [Problem(shown, f"is not UTF-8: byte 0x{raw[exc.start]:02x} at character {column}; save the file as UTF-8", line=line)]
    text = text.removeprefix("\ufeff")
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    records: list[list[str]] = []
    starts: list[int] = []
    problems: list[Problem] = []
    start = 1
    try:
        for record in reader:
            if record:
                records.append(record)
                starts.append(start)
            start = reader.line_num + 1
    except csv.Error as exc:
        return [], [], [Problem(shown, f"malformed CSV ({exc}); check for a quote that is opened but never closed", line=start)]
    if not records:
        return [], [], [Problem(shown, "is empty; it needs at least a header row", line=1)]
    header = records[0]
    if header != fields:
        missing = [f for f in fields if f not in header]
        unknown = [h for h in header if h not in fields]
        detail = []
        if missing:
            detail.append("missing " + ", ".join(repr(m) for m in missing))
        if unknown:
            detail.append("not in the schema " + ", ".join(repr(u) for u in unknown))
        if not detail:
            detail.append("columns are out of order; expected " + ", ".join(fields))
        problems.append(Problem(shown, "header does not match the schema: " + "; ".join(detail), line=1))
        return records, starts, problems
    for record, line in zip(records[1:], starts[1:]):
        if len(record) != len(header):
            kind = "too few" if len(record) < len(header) else "too many"
            problems.append(Problem(shown, f"{kind} cells: {len(record)} where the header has {len(header)}", line=line))
            continue
        problems.extend(_control_characters(record, header, line, shown))
    return records, starts, problems


#: Characters no cell may hold: C0 and C1 controls (tab, line breaks, NUL...), DEL, the Unicode
#: line and paragraph separators, and the bidirectional overrides that make text read other
#: than it is stored.
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
_CONTROL_NAMES = {"\t": "a tab", "\n": "a line break", "\r": "a carriage return", "\x00": "a NUL byte"}


def _control_characters(record: list[str], header: list[str], line: int, shown: str) -> list[Problem]:
    """Ids, labels and notes are one line of visible text: a stray tab or line break in an id
    makes a reference that looks right and never matches, and in a label it breaks the page."""
    problems = []
    for column, cell in zip(header, record):
        match = _CONTROL.search(cell)
        if match:
            char = match.group()
            what = _CONTROL_NAMES.get(char) or f"the control character {unicodedata.name(char, 'without a name')}"
            problems.append(Problem(shown, f"contains {what} (U+{ord(char):04X}) at character {match.start() + 1}; a cell must be one line of plain text", line, column))
    return problems


def _empty_table(resource: dict, records: list[list[str]], shown: str, shown_package: str) -> list[Problem]:
    """A header with no rows is refused unless the package says the table may be empty, so a
    table that lost its rows stops the build here rather than in a chart that reads it."""
    allowed = resource.get("may_be_empty", False)
    if not isinstance(allowed, bool):
        return [Problem(shown_package, f"resource {resource.get('name')!r}: may_be_empty is {allowed!r}; write true or false", column="may_be_empty")]
    if len(records) > 1 or allowed:
        return []
    return [Problem(shown, "has a header but no rows; if this table may be empty, mark its resource may_be_empty: true in the data package", line=1)]


def _non_finite(records: list[list[str]], starts: list[int], schema_fields: list[dict], shown: str) -> list[Problem]:
    """NaN and infinity parse as numbers (frictionless takes NaN for negative and lets inf
    through, to be printed as "inf million"), so number columns are checked for them first."""
    numeric = [(i, f["name"]) for i, f in enumerate(schema_fields) if f.get("type") in ("number", "integer")]
    problems = []
    for record, line in zip(records[1:], starts[1:]):
        for index, column in numeric:
            cell = record[index]
            try:
                number = float(cell)
            except ValueError:
                continue  # not a number at all: frictionless says so
            if math.isfinite(number):
                continue
            spelled = cell.strip().lstrip("+-").lower() in {"nan", "inf", "infinity"}
            why = "" if spelled else " (it is too large and overflows to infinity)"
            problems.append(Problem(shown, f"{cell!r} is not a finite number{why}; write the figure in digits", line, column))
    return problems


def _frictionless_package(descriptor: dict, root: Path):
    from frictionless import Package

    return Package(descriptor, basepath=str(root))


def schema_problems(package, name: str, shown: str, record_lines: list[int]) -> list[Problem]:
    """What frictionless finds wrong in one resource of ``package``, in our words, each on the
    line ``record_lines`` (from :func:`read_csv`) says its row starts on."""
    from frictionless import errors

    resource = package.get_resource(name)
    report = resource.validate()
    fields = {field.name: field for field in resource.schema.fields}
    found = [error for task in report.tasks for error in task.errors]
    # A one-column key repeated is a unique error on that column too, which says it better.
    repeated = {error.row_number for error in found if isinstance(error, errors.UniqueError)}
    problems = []
    for error in found:
        if isinstance(error, errors.PrimaryKeyError):
            if error.row_number not in repeated:
                key = resource.schema.primary_key
                values = ", ".join(f"{column} {error.cells[list(fields).index(column)]!r}" for column in key)
                problem = _explain(error, fields, shown, record_lines)
                problems.append(Problem(shown, f"{values}: this key is used by more than one row; keys must be unique", problem.line, ", ".join(key)))
            continue
        problems.append(_explain(error, fields, shown, record_lines))
    return problems


def _explain(error, fields: dict, shown: str, record_lines: list[int]) -> Problem:
    """One frictionless error in our words, chosen by its error class and the field's schema
    (which constraint the cell breaks is read from the schema, not from frictionless's English)."""
    from frictionless import errors

    row = getattr(error, "row_number", None)
    line = record_lines[row - 1] if row and row - 1 < len(record_lines) else row
    column = getattr(error, "field_name", None)
    cell = getattr(error, "cell", None)
    field = fields.get(column)
    if isinstance(error, (errors.UniqueError, errors.PrimaryKeyError)):
        message = f"{cell!r} is used by more than one row; ids must be unique"
    elif isinstance(error, errors.TypeError) and field is not None:
        message = f"{cell!r} is not a {field.type}" + (f" in the form {field.format}" if field.format not in (None, "default", "any") else "")
    elif isinstance(error, errors.ConstraintError) and field is not None:
        message = _broken_constraint(cell, field.constraints) or error.message
    else:
        message = error.message
    return Problem(shown, message, line=line, column=column)


def _broken_constraint(cell, constraints: dict) -> str | None:
    """Which of a field's constraints the cell breaks, in words, or None if none we know."""
    if constraints.get("required") and cell in (None, ""):
        return "is empty, but every row needs it"
    if "enum" in constraints and cell not in constraints["enum"]:
        return f"{cell!r} is not one of the allowed values {', '.join(map(str, constraints['enum']))}"
    if "pattern" in constraints and not re.fullmatch(constraints["pattern"], str(cell)):
        if constraints["pattern"] == "[a-z0-9_]+":
            return f"{cell!r} may contain only lower-case letters, digits and underscores"
        return f"{cell!r} does not have the form {constraints['pattern']}"
    if "maxLength" in constraints and len(str(cell)) > constraints["maxLength"]:
        return f"{cell!r} is {len(str(cell))} characters long; at most {constraints['maxLength']} are allowed"
    if "minLength" in constraints and len(str(cell)) < constraints["minLength"]:
        return f"{cell!r} is {len(str(cell))} characters long; at least {constraints['minLength']} are needed"
    try:
        number = float(cell)
    except (TypeError, ValueError):
        return None
    if "minimum" in constraints and number < constraints["minimum"]:
        if constraints["minimum"] == 0:
            return f"{cell} is negative; quantities here are never below zero (record a fall as a positive change)"
        return f"{cell} is below the minimum {constraints['minimum']}"
    if "maximum" in constraints and number > constraints["maximum"]:
        return f"{cell} is above the maximum {constraints['maximum']}"
    return None
