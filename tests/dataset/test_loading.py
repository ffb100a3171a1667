"""The data package: the real one validates; each kind of bad input names file, line and column."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from dataset import loading
from dataset.errors import DataError


def test_real_package_validates(dataset):
    assert len(dataset.figures) >= 25
    assert (dataset.figures["status"] == "derived").sum() >= 8
    assert dataset.value("goats_to_rason") == 447


def _edit(path: Path, old: str, new: str, count: int = 1) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"fixture text {old!r} not in {path.name}"
    path.write_text(text.replace(old, new, count), encoding="utf-8")


def _line_of(path: Path, needle: str) -> int:
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if needle in line:
            return number
    raise AssertionError(needle)


def _error(data_dir: Path, sources_dir=loading.DEFAULT_SOURCES_DIR) -> str:
    with pytest.raises(DataError) as caught:
        loading.load(data_dir / "datapackage.yaml", sources_dir)
    return str(caught.value)


def test_input_change_breaks_the_derived_row(data_copy):
    """Changing a sourced figure without its derived rows is caught at each derived row."""
    figures = data_copy / "figures.csv"
    _edit(figures, ",3300000,usd,exact,", ",3400000,usd,exact,")
    message = _error(data_copy)
    for derived in ("flour_exports_2024_jan_jul", "other_ag_exports_2025_jan_jul", "flour_share_of_ag_exports_2025"):
        assert f"line {_line_of(figures, derived + ',')}, column 'value'" in message


def test_missing_source_document(data_copy, tmp_path):
    sources = tmp_path / "sources"
    sources.mkdir()
    for document in loading.DEFAULT_SOURCES_DIR.glob("00[0-3]_*.txt"):
        (sources / document.name).write_bytes(document.read_bytes())
    message = _error(data_copy, sources)
    assert re.search(r"datapackage\.yaml: source 'goats_rason': document 004_\w+\.txt not found", message)


def test_changed_source_document(data_copy, tmp_path):
    sources = tmp_path / "sources"
    sources.mkdir()
    for document in loading.DEFAULT_SOURCES_DIR.glob("*.txt"):
        (sources / document.name).write_bytes(document.read_bytes())
    next(sources.glob("002_*.txt")).write_text("edited", encoding="utf-8")
    assert "source 'nknews_sibagro': 002_" in _error(data_copy, sources)


def test_missing_csv_file(data_copy):
    (data_copy / "flows.csv").unlink()
    assert "flows.csv: file not found (listed in the data package)" in _error(data_copy)


def test_every_problem_is_reported_at_once(data_copy):
    figures = data_copy / "figures.csv"
    _edit(figures, ",447,head,", ",447,goat,")
    _edit(figures, '"18% of children",goats_rason,reported', '"18% of children",nowhere,reported')
    message = _error(data_copy)
    assert "unknown unit 'goat'" in message and "unknown source 'nowhere'" in message


# Each bad input, as a real build, is in tests/faults/; these are the loader's own properties.


def test_nan_is_one_problem_not_also_negative(data_copy):
    figures = data_copy / "figures.csv"
    line = _line_of(figures, "goats_to_rason,")
    _edit(figures, ",447,head,", ",NaN,head,")
    message = _error(data_copy)
    assert f"figures.csv, line {line}, column 'value': 'NaN' is not a finite number" in message
    assert "negative" not in message


def test_formula_cycles_of_any_length():
    from dataset import formulas

    graph = {"a": {"a"}, "b": {"c"}, "c": {"b", "sourced"}, "d": {"e"}, "e": {"f"}, "f": {"d"}, "g": {"b"}, "h": {"sourced"}}
    assert formulas.cycles(graph) == [["a", "a"], ["b", "c", "b"], ["d", "e", "f", "d"]]
    assert formulas.bases("h", graph) == {"sourced"}
    assert formulas.reaches("g", {"b"}, graph) and not formulas.reaches("h", {"b"}, graph)


def test_derived_row_names_all_its_sources(dataset):
    assert dataset.sources_of("other_ag_exports_2025_jan_jul") == ["nknews_sibagro", "flour_kuzbass"]
    assert dataset.sources_of("kuzbass_shipment_per_person") == ["flour_kuzbass", "goats_rason"]
    assert dataset.sources_of("goats_to_rason") == ["goats_rason"]


def test_line_break_in_a_cell_keeps_later_lines_right(data_copy):
    """A record that spans two lines is reported where it starts; the rows after keep their own lines."""
    events = data_copy / "events.csv"
    line = _line_of(events, "putin_visit_2024,")
    _edit(events, "Putin visits Pyongyang and meets Kim Jong Un", '"Putin visits Pyongyang\nand meets Kim Jong Un"')
    _edit(events, "with a mutual military", "with a mutual\tmilitary")
    message = _error(data_copy)
    assert f"events.csv, line {line}, column 'title': contains a line break (U+000A) at character 23" in message
    assert f"events.csv, line {line + 2}, column 'title': contains a tab (U+0009)" in message
    assert _line_of(events, "treaty_2024,") == line + 2


def test_may_be_empty_must_be_true_or_false(data_copy):
    _edit(data_copy / "datapackage.yaml", "may_be_empty: true  # a site", "may_be_empty: perhaps  # a site")
    assert "datapackage.yaml, column 'may_be_empty': resource 'corrections': may_be_empty is 'perhaps'; write true or false" in _error(data_copy)


def test_declared_empty_table_loads(data_copy):
    (data_copy / "chart_versions.csv").write_text("chart_id,version,released,spec_sha256,what_changed\n", encoding="utf-8")
    loaded = loading.load(data_copy / "datapackage.yaml", loading.DEFAULT_SOURCES_DIR)
    assert loaded.chart_versions.empty and loaded.corrections.empty


def test_a_status_defined_in_the_key_is_a_value_every_table_accepts(data_copy):
    """The statuses are listed once, under evidence_statuses; the schemas take them from there."""
    package = data_copy / "datapackage.yaml"
    text = package.read_text(encoding="utf-8")
    package.write_text(text.replace("  alleged:\n", "  claimed:\n", 1), encoding="utf-8")
    error = _error(data_copy)
    assert "'alleged' is not one of the allowed values confirmed, reported, estimate, claimed, derived" in error
    package.write_text(text.replace("  derived:\n", "  computed:\n", 1), encoding="utf-8")
    assert "evidence status 'derived' is not defined under 'evidence_statuses'; derived rows need it" in _error(data_copy)
