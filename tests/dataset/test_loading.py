"""The data package: the real one validates; each kind of bad input names file, line and column."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from dataset import loading
from dataset.errors import DataError


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


def _error(data_dir: Path, sources_dir=loading.DEFAULT_SOURCES_DIR) -> str:
    with pytest.raises(DataError) as caught:
        loading.load(data_dir / "datapackage.yaml", sources_dir)
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


# The rules of issue 13, section 3, at the loader (tests/faults/test_faults_data.py proves each in a real build).


def test_nan_is_one_problem_not_also_negative(data_copy):
    figures = data_copy / "figures.csv"
    line = _line_of(figures, "goats_to_rason,")
    _edit(figures, ",447,head,", ",NaN,head,")
    message = _error(data_copy)
    assert f"figures.csv, line {line}, column 'value': 'NaN' is not a finite number" in message
    assert "negative" not in message


def test_formula_that_overflows(data_copy):
    figures = data_copy / "figures.csv"
    line = _line_of(figures, "kuzbass_flour_shipment_lb_metric,")
    _edit(figures, "kuzbass_flour_shipment * 2204.62262", "kuzbass_flour_shipment * 1e308 * 10")
    assert f"figures.csv, line {line}, column 'formula': formula gives inf, not a finite number" in _error(data_copy)


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


def test_bidirectional_override_is_refused(data_copy):
    flows = data_copy / "flows.csv"
    line = _line_of(flows, "goats,to_north_korea")
    _edit(flows, "Goats for dairy", "Goats \u202efor dairy")
    assert f"flows.csv, line {line}, column 'item': contains the control character RIGHT-TO-LEFT OVERRIDE (U+202E) at character 7" in _error(data_copy)


def test_malformed_date_printed(data_copy):
    package = data_copy / "datapackage.yaml"
    line = _line_of(package, 'date_printed: "2024-08-14"')
    _edit(package, 'date_printed: "2024-08-14"', 'date_printed: "2024-14"')
    assert f"datapackage.yaml, line {line}, column 'date_printed': source 'goats_rason': date_printed '2024-14' has no month 14" in _error(data_copy)


def test_may_be_empty_must_be_true_or_false(data_copy):
    _edit(data_copy / "datapackage.yaml", "may_be_empty: true  # a site", "may_be_empty: perhaps  # a site")
    assert "datapackage.yaml, column 'may_be_empty': resource 'corrections': may_be_empty is 'perhaps'; write true or false" in _error(data_copy)


def test_declared_empty_table_loads(data_copy):
    (data_copy / "chart_versions.csv").write_text("chart_id,version,released,spec_sha256,what_changed\n", encoding="utf-8")
    loaded = loading.load(data_copy / "datapackage.yaml", loading.DEFAULT_SOURCES_DIR)
    assert loaded.chart_versions.empty and loaded.corrections.empty


def test_source_hash_left_blank(data_copy):
    package = data_copy / "datapackage.yaml"
    line = _line_of(package, "- name: goats_rason")
    _edit(package, "sha256: c8c9cb72c5150907ad87bdf9e01a8566d9d3d0bbca314a639d0145c09893489b", "sha256:")
    assert f"datapackage.yaml, line {line}, column 'sha256': source 'goats_rason' has no sha256" in _error(data_copy)


def test_a_status_defined_in_the_key_is_a_value_every_table_accepts(data_copy):
    """The statuses are listed once, under evidence_statuses; the schemas take them from there."""
    package = data_copy / "datapackage.yaml"
    text = package.read_text(encoding="utf-8")
    package.write_text(text.replace("  alleged:\n", "  claimed:\n", 1), encoding="utf-8")
    error = _error(data_copy)
    assert "'alleged' is not one of the allowed values confirmed, reported, estimate, claimed, derived" in error
    package.write_text(text.replace("  derived:\n", "  computed:\n", 1), encoding="utf-8")
    assert "evidence status 'derived' is not defined under 'evidence_statuses'; derived rows need it" in _error(data_copy)
