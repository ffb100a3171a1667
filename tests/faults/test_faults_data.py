"""Every bad data input, in one list, each proved by a real build: malformed CSV, wrong types,
unknown ids, derived values that no longer recompute, bad numbers, formula loops,
unsourced derived values, unhashed sources, rows dated after their source, empty tables and
control characters each stop the build with file, line and column, and leave the previous
output/ exactly as it was. Published CSVs are safe to open in a spreadsheet.
"""
from __future__ import annotations

import csv
import io
from pathlib import Path

import pandas as pd
import pytest

from charting import pipeline, versions
from dataset import spreadsheet
from dataset.errors import BuildError
from tests.conftest import ENGLISH_ONLY, snapshot
from tests.conftest import line_of as _line
from tests.conftest import replace_once as _replace
from tools import build as building


def _build(output: Path, data_dir: Path, render_cache: Path):
    # English only: the data these tests change has no Korean or Russian translation.
    return building.build(output=output, overrides={"CHARTS_DATA_PACKAGE": str(data_dir / "datapackage.yaml"), "CHARTS_CACHE_DIR": str(render_cache), **ENGLISH_ONLY})


GOATS_VALUE = ",447,head,"
KUZBASS_SOURCED = '540,tonne,exact,"540 tons",flour_kuzbass,confirmed,,'
UNDERNOURISHED_SOURCED = '10700000,people,approximate,"10.7 million people",goats_rason,reported,,'
GOATS_HASH = "c8c9cb72c5150907ad87bdf9e01a8566d9d3d0bbca314a639d0145c09893489b"

# Each fault: (id, file, the line the message points at, [(old, new), ...], expected message with {line}).
FAULTS = [
    # 0. Malformed rows, wrong types, unknown ids and the rules of derived values.
    ('unclosed-quote', 'figures.csv', 'pork_exports_2025_jan_jul,', [('pork_exports_2025_jan_jul,trade', 'pork_exports_2025_jan_jul,"trade')], 'figures.csv, line {line}: malformed CSV'),
    ('short-row', 'figures.csv', 'goats_to_rason,', [(',447,head,exact,"447 goats",goats_rason,confirmed,,', ',447')], 'figures.csv, line {line}: too few cells: 8 where the header has 14'),
    ('text-in-number', 'figures.csv', 'goats_to_rason,', [(',447,head,', ',four hundred,head,')], "figures.csv, line {line}, column 'value': 'four hundred' is not a number"),
    ('negative-quantity', 'figures.csv', 'goats_to_rason,', [(',447,head,', ',-447,head,')], "figures.csv, line {line}, column 'value': -447 is negative"),
    ('unknown-unit', 'figures.csv', 'goats_to_rason,', [(',447,head,', ',447,nanny,')], "figures.csv, line {line}, column 'unit': unknown unit 'nanny'"),
    ('no-source', 'flows.csv', 'goats,to_north_korea', [('goats_to_rason,goats_rason,confirmed', 'goats_to_rason,,confirmed')], "flows.csv, line {line}, column 'source': is empty, but every row needs it"),
    ('unknown-source', 'events.csv', 'putin_visit_2024,', [('Kim Jong Un,goats_rason,reported', 'Kim Jong Un,pravda,reported')], "events.csv, line {line}, column 'source': unknown source 'pravda'"),
    ('unknown-status', 'figures.csv', 'goats_to_rason,', [('goats_rason,confirmed', 'goats_rason,likely')], "figures.csv, line {line}, column 'status': 'likely' is not one of the allowed values"),
    ('duplicate-key', 'events.csv', 'treaty_2024,', [('treaty_2024,', 'putin_visit_2024,')], "events.csv, line {line}, column 'event_id': 'putin_visit_2024' is used by more than one row"),
    ('impossible-date', 'events.csv', 'putin_visit_2024,', [('putin_visit_2024,2024-06-18', 'putin_visit_2024,2024-02-30')], "events.csv, line {line}, column 'date': '2024-02-30' is not a real date"),
    ('derived-mismatch', 'figures.csv', 'undernourished_share,', [(',41.154,percent,', ',45,percent,')], "figures.csv, line {line}, column 'value': is 45 but 100 * undernourished_people / population_total gives 41.1538"),
    ('interval-ends-before-it-starts', 'figures.csv', 'artillery_rounds_2023_2024,', [('2023-08/2024-01', '2024-08/2024-01')], "figures.csv, line {line}, column 'period': '2024-08/2024-01' ends before it starts"),
    ('undated-row-with-a-date', 'figures.csv', 'flour_aid_pledge,aid,pledged_mass', [('flour_aid_pledge,aid,pledged_mass,wheat_flour,,undated', 'flour_aid_pledge,aid,pledged_mass,wheat_flour,2025,undated')], "figures.csv, line {line}, column 'period': is '2025' but period_qualifier says undated"),
    ('derived-row-without-formula', 'figures.csv', 'pork_share_of_ag_exports_2025,', [('100 * pork_exports_2025_jan_jul / ag_exports_2025_jan_jul', '')], "figures.csv, line {line}, column 'formula': is derived but has no formula"),
    ('formula-with-code', 'figures.csv', 'pork_share_of_ag_exports_2025,', [('100 * pork_exports_2025_jan_jul / ag_exports_2025_jan_jul', "__import__('os')")], "figures.csv, line {line}, column 'formula': formula may use only numbers, figure ids"),
    ('formula-that-overflows', 'figures.csv', 'kuzbass_flour_shipment_lb_metric,', [('kuzbass_flour_shipment * 2204.62262', 'kuzbass_flour_shipment * 1e308 * 10')], "figures.csv, line {line}, column 'formula': formula gives inf, not a finite number"),
    ('sourced-figure-without-printed-text', 'figures.csv', 'goats_to_rason,', [('"447 goats",', ',')], "figures.csv, line {line}, column 'as_printed': is empty; a sourced figure keeps the words the source printed"),
    ('flow-naming-an-unknown-figure', 'flows.csv', 'pork_sales,', [('pork_exports_2025_jan_jul', 'pork_exports_2026')], "flows.csv, line {line}, column 'figure_id': unknown figure 'pork_exports_2026'"),
    ('header-that-does-not-match-the-schema', 'flows.csv', 'flow_id,direction', [('flow_id,direction', 'flow,direction')], "flows.csv, line {line}: header does not match the schema: missing 'flow_id'; not in the schema 'flow'"),
    ('bidirectional-override', 'flows.csv', 'goats,to_north_korea', [('Goats for dairy', 'Goats \u202efor dairy')], "flows.csv, line {line}, column 'item': contains the control character RIGHT-TO-LEFT OVERRIDE (U+202E) at character 7"),
    ('malformed-date-printed', 'datapackage.yaml', 'date_printed: "2024-08-14"', [('date_printed: "2024-08-14"', 'date_printed: "2024-14"')], "datapackage.yaml, line {line}, column 'date_printed': source 'goats_rason': date_printed '2024-14' has no month 14"),
    ('source-hash-left-blank', 'datapackage.yaml', '- name: goats_rason', [('sha256: c8c9cb72c5150907ad87bdf9e01a8566d9d3d0bbca314a639d0145c09893489b', 'sha256:')], "datapackage.yaml, line {line}, column 'sha256': source 'goats_rason' has no sha256"),
    # 1. Numbers that are not finite.
    ("nan", "figures.csv", "goats_to_rason,", [(GOATS_VALUE, ",NaN,head,")], "figures.csv, line {line}, column 'value': 'NaN' is not a finite number; write the figure in digits"),
    ("nan-lower-case", "figures.csv", "goats_to_rason,", [(GOATS_VALUE, ",nan,head,")], "figures.csv, line {line}, column 'value': 'nan' is not a finite number; write the figure in digits"),
    ("inf", "figures.csv", "goats_to_rason,", [(GOATS_VALUE, ",inf,head,")], "figures.csv, line {line}, column 'value': 'inf' is not a finite number; write the figure in digits"),
    ("minus-inf", "figures.csv", "goats_to_rason,", [(GOATS_VALUE, ",-inf,head,")], "figures.csv, line {line}, column 'value': '-inf' is not a finite number; write the figure in digits"),
    ("infinity", "figures.csv", "goats_to_rason,", [(GOATS_VALUE, ",Infinity,head,")], "figures.csv, line {line}, column 'value': 'Infinity' is not a finite number; write the figure in digits"),
    ("overflow", "figures.csv", "goats_to_rason,", [(GOATS_VALUE, ",1e309,head,")], "figures.csv, line {line}, column 'value': '1e309' is not a finite number (it is too large and overflows to infinity); write the figure in digits"),
    # 2. Derived figures: loops of any length, and values that rest on no source.
    (
        "self-cycle",
        "figures.csv",
        "undernourished_share,",
        [("100 * undernourished_people / population_total,", "undernourished_share * 1,")],
        "figures.csv, line {line}, column 'formula': formula cycle: undernourished_share -> undernourished_share; a derived value must rest on sourced figures, not on itself",
    ),
    (
        "two-cycle",  # the sourced 10.7 million redefined from the share that is computed from it
        "figures.csv",
        "undernourished_people,",
        [(UNDERNOURISHED_SOURCED, "10700000,people,approximate,,goats_rason,derived,undernourished_share * population_total / 100,")],
        "figures.csv, line {line}, column 'formula': formula cycle: undernourished_people -> undernourished_share -> undernourished_people",
    ),
    (
        "three-cycle",
        "figures.csv",
        "kuzbass_flour_shipment,",
        [
            (KUZBASS_SOURCED, "540,tonne,exact,,flour_kuzbass,derived,kuzbass_flour_shipment_lb_short / 2000,"),
            ("kuzbass_flour_shipment * 2000,", "kuzbass_flour_shipment_lb_metric * 2000 / 2204.62262,"),
        ],
        "figures.csv, line {line}, column 'formula': formula cycle: kuzbass_flour_shipment -> kuzbass_flour_shipment_lb_short -> kuzbass_flour_shipment_lb_metric -> kuzbass_flour_shipment",
    ),
    (
        "derived-from-nothing",
        "figures.csv",
        "undernourished_share,",
        [("100 * undernourished_people / population_total,", "41.154,")],
        "figures.csv, line {line}, column 'formula': rests on no sourced figure; a derived value is computed from figures that name a source",
    ),
    (
        "derived-citing-a-source-it-does-not-use",
        "figures.csv",
        "undernourished_share,",
        [(",goats_rason,derived,100 * undernourished_people", ",flour_aid,derived,100 * undernourished_people")],
        "figures.csv, line {line}, column 'source': is 'flour_aid', but the formula rests on figures from goats_rason; cite one of them",
    ),
    # 3. Every source carries its SHA-256.
    ("missing-sha256", "datapackage.yaml", "- name: goats_rason", [(f"    sha256: {GOATS_HASH}\n", "")], "datapackage.yaml, line {line}, column 'sha256': source 'goats_rason' has no sha256; record the SHA-256 of 004_5c88a8d1232b53a4.txt"),
    ("empty-sha256", "datapackage.yaml", "- name: goats_rason", [(f"sha256: {GOATS_HASH}", 'sha256: ""')], "datapackage.yaml, line {line}, column 'sha256': source 'goats_rason' has no sha256"),
    ("malformed-sha256", "datapackage.yaml", GOATS_HASH, [(GOATS_HASH, GOATS_HASH[:40])], f"datapackage.yaml, line {{line}}, column 'sha256': source 'goats_rason': sha256 '{GOATS_HASH[:40]}' is not a SHA-256 (64 lower-case hexadecimal characters)"),
    # 4. Nothing dated after its source was printed, unless marked planned.
    (
        "event-after-its-source",
        "events.csv",
        "sibagro_announcement_2026,",
        [("sibagro_announcement_2026,2026-01-28,", "sibagro_announcement_2026,2026-02-10,")],
        "events.csv, line {line}, column 'date': '2026-02-10' starts after its source 'nknews_sibagro' was printed (3 February 2026); if the source gives it as a plan or forecast, set date_qualifier to planned, otherwise correct the date",
    ),
    (
        "figure-after-its-source",
        "figures.csv",
        "tomsk_farm_firms_at_fair,",
        [("tomsk_agricultural_firms,2025-10,year_inferred,", "tomsk_agricultural_firms,2026-03,year_inferred,")],
        "figures.csv, line {line}, column 'period': '2026-03' starts after its source 'nknews_sibagro' was printed (3 February 2026); if the source gives it as a plan or forecast, set period_qualifier to planned",
    ),
    # 5. Places: located by the gazetteer, never typed; every list and route resolves.
    (
        "place-wrong-geonames-id",  # Moscow's GeoNames id on the Tomsk row
        "places.csv",
        "tomsk,",
        [("tomsk,Tomsk,Tomsk,city,RU,geonames,1489425,", "tomsk,Tomsk,Tomsk,city,RU,geonames,524901,")],
        "places.csv, line {line}, column 'name': 'Tomsk' is not a name of GeoNames 524901 (Moscow); check the id",
    ),
    (
        "place-unknown-geonames-id",
        "places.csv",
        "tomsk,",
        [("tomsk,Tomsk,Tomsk,city,RU,geonames,1489425,", "tomsk,Tomsk,Tomsk,city,RU,geonames,99999999,")],
        "places.csv, line {line}, column 'geonames_id': GeoNames id 99999999 is not among the gazetteer's towns",
    ),
    (
        "place-typed-coordinates",  # a gazetteer place with a latitude typed by hand
        "places.csv",
        "tomsk,",
        [("tomsk,Tomsk,Tomsk,city,RU,geonames,1489425,,,,", "tomsk,Tomsk,Tomsk,city,RU,geonames,1489425,,56.5,,")],
        "places.csv, line {line}, column 'latitude': is filled in for a place located by geonames; coordinates come from the gazetteer, not typed",
    ),
    (
        "place-reference-without-citation",
        "places.csv",
        "tumen_crossing,",
        [(',42.415167,130.641056,"Wikipedia, ""Korea–Russia Friendship Bridge"", coordinates of the bridge (https://en.wikipedia.org/wiki/Korea%E2%80%93Russia_Friendship_Bridge)",', ",42.415167,130.641056,,")],
        "places.csv, line {line}, column 'reference': is empty, but a place located by reference needs it",
    ),
    (
        "place-latitude-out-of-range",
        "places.csv",
        "tumen_crossing,",
        [(",42.415167,130.641056,", ",142.415167,130.641056,")],
        "places.csv, line {line}, column 'latitude': 142.415167 is above the maximum 90",
    ),
    (
        "place-country-code",
        "places.csv",
        "rason,Rason,",
        [("rason,Rason,Rason,port,KP,", "rason,Rason,Rason,port,kp,")],
        "places.csv, line {line}, column 'country': 'kp' does not have the form",
    ),
    (
        "place-unknown-event",
        "places.csv",
        "tomsk,",
        [("sibagro_announcement_2026 trade_fair_2025,", "sibagro_announcement_2026 trade_fair_2052,")],
        "places.csv, line {line}, column 'event_ids': unknown event 'trade_fair_2052'",
    ),
    (
        "place-unknown-source",
        "places.csv",
        "tomsk,",
        [(",pork_sales,nknews_sibagro,reported,", ",pork_sales,nk_news,reported,")],
        "places.csv, line {line}, column 'source': unknown source 'nk_news'",
    ),
    (
        "route-unknown-place",
        "routes.csv",
        "goats,",
        [("goats,Goats,leningrad_region,rason,", "goats,Goats,leningrad_region,rajin,")],
        "routes.csv, line {line}, column 'destination': unknown place 'rajin'; places are listed in places.csv",
    ),
    (
        "route-without-status",
        "routes.csv",
        "goats,",
        [(",goats,goats_rason,confirmed,", ",goats,goats_rason,,")],
        "routes.csv, line {line}, column 'status': is empty, but every row needs it",
    ),
    # 6. Empty files and tables with no rows.
    ("empty-file", "events.csv", None, [(None, "")], "events.csv, line 1: is empty; it needs at least a header row"),
    ("header-only", "events.csv", None, [(None, "event_id,date,date_qualifier,date_as_printed,category,label,title,source,status,note\n")], "events.csv, line 1: has a header but no rows; if this table may be empty, mark its resource may_be_empty: true in the data package"),
    ("empty-table-not-declared", "datapackage.yaml", None, [("    may_be_empty: true  # a site may have nothing to correct; every other table must have rows\n", "")], "corrections.csv, line 1: has a header but no rows"),
    # 7. Control characters, located at the line the record starts on.
    ("newline-in-id", "events.csv", "putin_visit_2024,", [("putin_visit_2024,", '"putin_visit\n_2024",')], "events.csv, line {line}, column 'event_id': contains a line break (U+000A) at character 12; a cell must be one line of plain text"),
    ("tab-in-a-cell", "flows.csv", "goats,to_north_korea", [("Goats for dairy", "Goats\tfor dairy")], "flows.csv, line {line}, column 'item': contains a tab (U+0009) at character 6; a cell must be one line of plain text"),
    ("nul-in-a-cell", "figures.csv", "goats_to_rason,", [('"447 goats"', '"447\x00goats"')], "figures.csv, line {line}, column 'as_printed': contains a NUL byte (U+0000) at character 4"),
]


@pytest.mark.parametrize(("name", "file", "row", "edits", "expected"), FAULTS, ids=[f[0] for f in FAULTS])
def test_bad_data(good_site, data_copy, render_cache, name, file, row, edits, expected):
    output, before = good_site
    path = data_copy / file
    line = _line(path, row) if row else None
    for old, new in edits:
        if old is None:
            path.write_text(new, encoding="utf-8")
        else:
            _replace(path, old, new)
    with pytest.raises(BuildError) as caught:
        _build(output, data_copy, render_cache)
    assert expected.format(line=line) in str(caught.value)
    assert snapshot(output) == before


def test_a_loop_is_reported_once_and_nothing_else(good_site, data_copy, render_cache):
    """The two-figure loop that turned a sourced 10.7 million into 'derived': one clear problem."""
    output, before = good_site
    _replace(data_copy / "figures.csv", UNDERNOURISHED_SOURCED, "10700000,people,approximate,,goats_rason,derived,undernourished_share * population_total / 100,")
    with pytest.raises(BuildError) as caught:
        _build(output, data_copy, render_cache)
    assert len(caught.value.problems) == 1, str(caught.value)
    assert snapshot(output) == before


def test_planned_row_may_follow_its_source(tmp_path, data_copy, render_cache):
    """A row marked planned may be dated after its source was printed, and the site builds."""
    figures = data_copy / "figures.csv"
    _replace(figures, "tomsk_agricultural_firms,2025-10,year_inferred,", "tomsk_agricultural_firms,2026-03,planned,")
    output = _build(tmp_path / "output", data_copy, render_cache).output
    assert (output / "index.html").is_file()


HOSTILE = '=HYPERLINK("http://x","y")'


@pytest.mark.slow
def test_published_csvs_are_safe_in_a_spreadsheet(tmp_path, data_copy, render_cache):
    """A formula in a label goes out as text, in the current chart's CSV and in an earlier
    version's CSV (rebuilt from the archived spec)."""
    flows = data_copy / "flows.csv"
    quoted = '"' + HOSTILE.replace('"', '""') + '"'
    _replace(flows, "Beer and farm products for the Russian Far East", quoted)
    versions.release(pipeline.prepare(package_path=data_copy / "datapackage.yaml", cache_dir=render_cache), "Hostile label.")
    _replace(flows, quoted, "@SUM(1+1)")
    versions.release(pipeline.prepare(package_path=data_copy / "datapackage.yaml", cache_dir=render_cache), "Another hostile label.")
    output = _build(tmp_path / "output", data_copy, render_cache).output
    folder = output / "charts" / "two_way_ledger"
    latest = int(max(p.name[1:] for p in folder.glob("v*") if p.name[1:].isdigit()))
    current, earlier = folder / "two_way_ledger.csv", folder / f"v{latest - 1}" / "two_way_ledger.csv"
    assert '"\'' + HOSTILE.replace('"', '""') + '"' in earlier.read_text(encoding="utf-8")
    assert "\"'@SUM(1+1)\"" in current.read_text(encoding="utf-8")
    for path, label in ((earlier, HOSTILE), (current, "@SUM(1+1)")):
        cells = [cell for row in csv.reader(io.StringIO(path.read_text(encoding="utf-8"))) for cell in row]
        assert "'" + label in cells and label not in cells


# dataset.spreadsheet on its own.


@pytest.mark.parametrize("text", ["=1+1", HOSTILE, "+SUM(A1)", "-2+3", "-", "@SUM(1)", "\tx", "\rx", "-inf", "+ 1"])
def test_formula_starts_are_neutralised(text):
    assert spreadsheet.is_risky(text)
    written = spreadsheet.cell(text)
    assert written.startswith("\"'") and next(csv.reader([written])) == ["'" + text]


@pytest.mark.parametrize("text", ["-447", "+4", "-1.5", "-1.5e6", ".5", "447", "Beer and farm products", "a=b", "", "2025-01"])
def test_numbers_and_plain_text_stay_as_they_are(text):
    assert not spreadsheet.is_risky(text)
    assert spreadsheet.cell(text) == text


def test_write_frame_keeps_numbers_and_quotes_only_what_it_must(tmp_path):
    frame = pd.DataFrame({"label": ["Goats", HOSTILE, "a, b"], "value": [447.0, -447.0, 1.5]})
    path = tmp_path / "rows.csv"
    spreadsheet.write_frame(path, frame)
    assert path.read_text(encoding="utf-8") == 'label,value\nGoats,447.0\n"\'=HYPERLINK(""http://x"",""y"")",-447.0\n"a, b",1.5\n'


def test_write_frame_matches_pandas_for_safe_data(tmp_path, prepared):
    """For the real charts nothing needs neutralising, so the files are exactly what pandas wrote."""
    for bundle in prepared.charts.values():
        plotted = bundle.built.plotted
        spreadsheet.write_frame(tmp_path / "ours.csv", plotted)
        assert (tmp_path / "ours.csv").read_text(encoding="utf-8") == plotted.to_csv(index=False, lineterminator="\n")


def test_write_records_from_an_archived_spec(tmp_path):
    path = tmp_path / "rows.csv"
    spreadsheet.write_records(path, [{"label": "-=x", "value": -447, "note": None}, {"label": "ok", "value": 2.5, "note": 'say "hi"'}])
    assert path.read_text(encoding="utf-8") == 'label,value,note\n"\'-=x",-447,\nok,2.5,"say ""hi"""\n'
