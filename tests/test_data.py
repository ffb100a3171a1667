"""The data package: the real one validates; each kind of bad input names file, line and column."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from charts import data
from charts.errors import DataError


def test_real_package_validates(dataset):
    assert len(dataset.figures) >= 25
    assert set(dataset.figures["status"]) <= {"confirmed", "reported", "alleged", "estimate", "derived"}
    assert dataset.value("goats_to_rason") == 447


def test_every_row_has_a_known_source_and_status(dataset):
    for table in (dataset.figures, dataset.events, dataset.flows):
        assert table["source"].isin(list(dataset.sources)).all()
        assert table["status"].isin(list(dataset.statuses)).all()


def test_derived_rows_carry_formulas_and_sourced_rows_keep_print(dataset):
    derived = dataset.figures[dataset.figures["status"] == "derived"]
    assert len(derived) >= 8
    assert (derived["formula"] != "").all()
    assert (derived["as_printed"] == "").all()
    sourced = dataset.figures[dataset.figures["status"] != "derived"]
    assert (sourced["as_printed"] != "").all()


def _edit(path: Path, old: str, new: str, count: int = 1) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"fixture text {old!r} not in {path.name}"
    path.write_text(text.replace(old, new, count), encoding="utf-8")


def _line_of(path: Path, needle: str) -> int:
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if needle in line:
            return number
    raise AssertionError(needle)


def _error(data_dir: Path, sources_dir=data.DEFAULT_SOURCES_DIR) -> str:
    with pytest.raises(DataError) as caught:
        data.load(data_dir / "datapackage.yaml", sources_dir)
    return str(caught.value)


def test_unclosed_quote(data_copy):
    figures = data_copy / "figures.csv"
    line = _line_of(figures, "pork_exports_2025_jan_jul,")
    _edit(figures, "pork_exports_2025_jan_jul,trade", 'pork_exports_2025_jan_jul,"trade')
    message = _error(data_copy)
    assert f"figures.csv, line {line}: malformed CSV" in message
    assert "quote" in message


def test_short_row(data_copy):
    figures = data_copy / "figures.csv"
    line = _line_of(figures, "goats_to_rason,")
    text = figures.read_text(encoding="utf-8").splitlines()
    text[line - 1] = "goats_to_rason,aid,livestock"
    figures.write_text("\n".join(text) + "\n", encoding="utf-8")
    assert f"figures.csv, line {line}: too few cells: 3 where the header has 14" in _error(data_copy)


def test_non_utf8_file(data_copy):
    events = data_copy / "events.csv"
    line = _line_of(events, "famine_1990s")
    events.write_bytes(events.read_bytes().replace(b"Severe famine", b"S\xe9vere famine"))
    assert f"events.csv, line {line}: is not UTF-8: byte 0xe9" in _error(data_copy)


def test_text_in_numeric_column(data_copy):
    figures = data_copy / "figures.csv"
    line = _line_of(figures, "goats_to_rason,")
    _edit(figures, ",447,head,", ",many,head,")
    assert f"figures.csv, line {line}, column 'value': 'many' is not a number" in _error(data_copy)


def test_negative_quantity(data_copy):
    figures = data_copy / "figures.csv"
    line = _line_of(figures, "goats_to_rason,")
    _edit(figures, ",447,head,", ",-447,head,")
    assert f"figures.csv, line {line}, column 'value': -447 is negative" in _error(data_copy)


def test_unknown_unit(data_copy):
    figures = data_copy / "figures.csv"
    line = _line_of(figures, "goats_to_rason,")
    _edit(figures, ",447,head,", ",447,goat,")
    assert f"figures.csv, line {line}, column 'unit': unknown unit 'goat'; known units are" in _error(data_copy)


def test_row_with_no_source(data_copy):
    flows = data_copy / "flows.csv"
    line = _line_of(flows, "goats,to_north_korea")
    _edit(flows, "goats_to_rason,goats_rason,confirmed", "goats_to_rason,,confirmed")
    assert f"flows.csv, line {line}, column 'source': is empty, but every row needs it" in _error(data_copy)


def test_unknown_source_id(data_copy):
    events = data_copy / "events.csv"
    line = _line_of(events, "putin_visit_2024")
    _edit(events, "Putin visits Pyongyang and meets Kim Jong Un,goats_rason", "Putin visits Pyongyang and meets Kim Jong Un,tass")
    assert f"events.csv, line {line}, column 'source': unknown source 'tass'; the package lists" in _error(data_copy)


def test_unknown_evidence_status(data_copy):
    figures = data_copy / "figures.csv"
    line = _line_of(figures, "goats_to_rason,")
    _edit(figures, '"447 goats",goats_rason,confirmed', '"447 goats",goats_rason,rumoured')
    assert f"figures.csv, line {line}, column 'status': 'rumoured' is not one of the allowed values" in _error(data_copy)


def test_duplicate_key(data_copy):
    events = data_copy / "events.csv"
    line = _line_of(events, "treaty_2024,")
    _edit(events, "treaty_2024,", "putin_visit_2024,")
    message = _error(data_copy)
    assert f"events.csv, line {line}" in message
    assert "'putin_visit_2024' is used by more than one row" in message


def test_impossible_date(data_copy):
    events = data_copy / "events.csv"
    line = _line_of(events, "putin_visit_2024")
    _edit(events, "putin_visit_2024,2024-06-18", "putin_visit_2024,2024-06-31")
    assert f"events.csv, line {line}, column 'date': '2024-06-31' is not a real date" in _error(data_copy)


def test_interval_that_ends_before_it_starts(data_copy):
    figures = data_copy / "figures.csv"
    line = _line_of(figures, "artillery_rounds_2023_2024,")
    _edit(figures, "2023-08/2024-01", "2024-08/2024-01")
    assert f"figures.csv, line {line}, column 'period': '2024-08/2024-01' ends before it starts" in _error(data_copy)


def test_undated_row_with_a_date(data_copy):
    figures = data_copy / "figures.csv"
    line = _line_of(figures, "flour_aid_pledge,aid,pledged_mass")
    _edit(figures, "flour_aid_pledge,aid,pledged_mass,wheat_flour,,undated", "flour_aid_pledge,aid,pledged_mass,wheat_flour,2025,undated")
    assert f"figures.csv, line {line}, column 'period': is '2025' but period_qualifier says undated" in _error(data_copy)


def test_derived_value_that_no_longer_matches(data_copy):
    figures = data_copy / "figures.csv"
    line = _line_of(figures, "ag_exports_2024_jan_jul,")
    _edit(figures, ",6250000,usd,", ",6300000,usd,")
    message = _error(data_copy)
    assert f"figures.csv, line {line}, column 'value': is 6.3e+06 but ag_exports_2025_jan_jul / (1 + ag_exports_growth_2025 / 100) gives 6.25e+06" in message


def test_input_change_breaks_the_derived_row(data_copy):
    """Changing a sourced figure without its derived rows is caught at each derived row."""
    figures = data_copy / "figures.csv"
    _edit(figures, ",3300000,usd,exact,", ",3400000,usd,exact,")
    message = _error(data_copy)
    for derived in ("flour_exports_2024_jan_jul", "other_ag_exports_2025_jan_jul", "flour_share_of_ag_exports_2025"):
        assert f"line {_line_of(figures, derived + ',')}, column 'value'" in message


def test_derived_row_without_formula(data_copy):
    figures = data_copy / "figures.csv"
    line = _line_of(figures, "pork_share_of_ag_exports_2025,")
    _edit(figures, "100 * pork_exports_2025_jan_jul / ag_exports_2025_jan_jul", "")
    assert f"figures.csv, line {line}, column 'formula': is derived but has no formula" in _error(data_copy)


def test_formula_with_unknown_id_or_code(data_copy):
    figures = data_copy / "figures.csv"
    line = _line_of(figures, "pork_share_of_ag_exports_2025,")
    _edit(figures, "100 * pork_exports_2025_jan_jul / ag_exports_2025_jan_jul", "__import__('os')")
    assert f"line {line}, column 'formula': formula may use only numbers, figure ids" in _error(data_copy)


def test_sourced_figure_without_printed_text(data_copy):
    figures = data_copy / "figures.csv"
    line = _line_of(figures, "goats_to_rason,")
    _edit(figures, '"447 goats",', ",")
    assert f"figures.csv, line {line}, column 'as_printed': is empty; a sourced figure keeps the words the source printed" in _error(data_copy)


def test_flow_naming_unknown_figure(data_copy):
    flows = data_copy / "flows.csv"
    line = _line_of(flows, "pork_sales,")
    _edit(flows, "pork_exports_2025_jan_jul", "pork_exports_2026")
    assert f"flows.csv, line {line}, column 'figure_id': unknown figure 'pork_exports_2026'" in _error(data_copy)


def test_header_that_does_not_match_schema(data_copy):
    _edit(data_copy / "flows.csv", "flow_id,direction", "flow,direction")
    assert "flows.csv, line 1: header does not match the schema: missing 'flow_id'; not in the schema 'flow'" in _error(data_copy)


def test_missing_source_document(data_copy, tmp_path):
    sources = tmp_path / "sources"
    sources.mkdir()
    for document in data.DEFAULT_SOURCES_DIR.glob("00[0-3]_*.txt"):
        (sources / document.name).write_bytes(document.read_bytes())
    message = _error(data_copy, sources)
    assert re.search(r"datapackage\.yaml: source 'goats_rason': document 004_\w+\.txt not found", message)


def test_changed_source_document(data_copy, tmp_path):
    sources = tmp_path / "sources"
    sources.mkdir()
    for document in data.DEFAULT_SOURCES_DIR.glob("*.txt"):
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
