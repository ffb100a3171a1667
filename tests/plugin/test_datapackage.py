"""The whole dataset, as a journalist downloads it: a Frictionless data package that validates
as published, CSVs a spreadsheet cannot run, and links to it that land."""
from __future__ import annotations

import csv
import html.parser
import json
import logging
import shutil
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from charting import memo, pipeline
from dataset import publication, spreadsheet
from dataset.errors import BuildError
from plugin import datapackage
from plugin.urls import DEFAULTS, ChartUrls
from tests.conftest import ENGLISH_ONLY, PUBLIC, line_of, replace_once, snapshot
from tools import build as building

CHART_IDS = list(pipeline.registry.discover())
ROOT = Path(__file__).resolve().parents[2]


class _Links(html.parser.HTMLParser):
    def __init__(self, text: str):
        super().__init__(convert_charrefs=True)
        self.hrefs: list[str] = []
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        if tag == "a" and dict(attrs).get("href"):
            self.hrefs.append(dict(attrs)["href"])


def _resolve(site: Path, page: Path, href: str, site_url: str = "") -> Path | None:
    """The file in the built site that a link on ``page`` opens, or None for another site."""
    if site_url and href.startswith(site_url + "/"):
        href = href[len(site_url) :]
    parts = urlsplit(href)
    if parts.scheme or parts.netloc:
        return None
    target = (site / parts.path.lstrip("/")) if parts.path.startswith("/") else (page.parent / parts.path)
    return target / "index.html" if parts.path.endswith("/") else target


def _package_links(site: Path, page: Path, site_url: str = "") -> list[Path]:
    """Files of the site that links on ``page`` open and that are the data package's descriptor."""
    targets = [_resolve(site, page, href, site_url) for href in _Links(page.read_text(encoding="utf-8")).hrefs]
    return [t for t in targets if t is not None and t.name == publication.DESCRIPTOR]


def test_the_published_package_validates_with_frictionless(built_site):
    from frictionless import validate

    report = validate(str(built_site / "data" / "datapackage.json"))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    assert sorted(task.name for task in report.tasks) == sorted(["figures", "events", "flows", "places", "routes", "corrections", "chart_versions"])


def _records(path: Path) -> list[dict]:
    with open(path, newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def test_the_package_publishes_every_row_of_every_table_cell_for_cell(built_site, dataset):
    published = json.loads((built_site / "data" / "datapackage.json").read_text(encoding="utf-8"))
    assert [r["name"] for r in published["resources"]] == ["figures", "events", "flows", "places", "routes", "corrections", "chart_versions"]
    for resource in published["resources"]:
        rows = _records(built_site / "data" / resource["path"])
        assert rows == _records(ROOT / "data" / resource["path"]), resource["name"]
        assert len(rows) == len(getattr(dataset, resource["name"]))


def test_the_descriptor_carries_sources_units_statuses_licence_and_status_enums(built_site, dataset):
    published = json.loads((built_site / "data" / "datapackage.json").read_text(encoding="utf-8"))
    assert {s["name"]: s["date_printed"] for s in published["sources"]} == {name: s.date_printed for name, s in dataset.sources.items()}
    assert {s["name"]: s["title"] for s in published["sources"]} == {name: s.title for name, s in dataset.sources.items()}
    assert set(published["units"]) == set(dataset.units)
    assert {name: entry["meaning"] for name, entry in published["evidence_statuses"].items()} == dataset.statuses
    assert published["licenses"][0]["path"] == "https://creativecommons.org/licenses/by/4.0/"
    statuses = list(dataset.statuses)
    for resource in published["resources"]:
        fields = {field["name"]: field for field in resource["schema"]["fields"]}
        if "status" in fields:
            assert fields["status"]["constraints"]["enum"] == statuses, resource["name"]


def test_every_published_csv_is_safe_in_a_spreadsheet(built_site):
    files = sorted((built_site / "data").glob("*.csv"))
    assert len(files) == 7
    for path in files:
        with open(path, newline="", encoding="utf-8") as handle:
            for line, record in enumerate(csv.reader(handle), start=1):
                risky = [cell for cell in record if spreadsheet.is_risky(cell)]
                assert not risky, f"{path.name}, line {line}: {risky}"


def test_a_cell_a_spreadsheet_would_run_is_published_as_text_and_still_validates(data_copy, tmp_path):
    formula = '=HYPERLINK("http://example.org","click")'
    replace_once(data_copy / "flows.csv", "Wheat flour sales,food,flour_exports_2025_jan_jul,flour_kuzbass,reported,", f'Wheat flour sales,food,flour_exports_2025_jan_jul,flour_kuzbass,reported,"{formula.replace(chr(34), chr(34) * 2)}"')
    folder = tmp_path / "published"
    publication.write(data_copy / "datapackage.yaml", folder)
    text = (folder / "flows.csv").read_text(encoding="utf-8")
    assert '"\'=HYPERLINK(""http://example.org"",""click"")"' in text and f",{formula}" not in text
    assert publication.validate(folder, "output/data") == []


def test_the_method_page_and_every_chart_page_link_to_the_package(built_site):
    descriptor = built_site / "data" / "datapackage.json"
    for page in [built_site / "sources-and-method" / "index.html", *(built_site / "charts" / chart_id / "index.html" for chart_id in CHART_IDS)]:
        links = _package_links(built_site, page)
        assert links and all(link == descriptor for link in links), page
    method = (built_site / "sources-and-method" / "index.html").read_text(encoding="utf-8")
    for name in ("figures", "events", "flows", "places", "routes", "corrections", "chart_versions"):
        assert f'href="/data/{name}.csv"' in method and (built_site / "data" / f"{name}.csv").is_file()


def test_the_package_lives_where_the_setting_puts_it(tmp_path, render_cache):
    output = building.build(output=tmp_path / "output", overrides={"CHARTS_CACHE_DIR": str(render_cache), "SITEURL": PUBLIC, "CHARTS_DATA_URL": "open-data/"}).output
    assert not (output / "data").exists() and (output / "open-data" / "datapackage.json").is_file()
    for page in [output / "sources-and-method" / "index.html", output / "charts" / "hunger" / "index.html"]:
        assert _package_links(output, page, PUBLIC) == [output / "open-data" / "datapackage.json"]
        assert f'href="{PUBLIC}/open-data/datapackage.json"' in page.read_text(encoding="utf-8")


@pytest.mark.parametrize("value", ["/data/", "data", "../data/", "open data/", "{lang}/data/"])
def test_a_data_folder_that_is_not_a_folder_of_the_site_is_refused(value):
    with pytest.raises(BuildError) as caught:
        ChartUrls.from_settings({**DEFAULTS, "CHARTS_DATA_URL": value})
    assert f"pelicanconf.py: CHARTS_DATA_URL {value!r} must be a folder of the site, such as 'data/'" in str(caught.value)


BROKEN = [
    ("a value that is not a number", "figures.csv", ",447,head,", ",lots,head,", "value", "'lots' is not a number"),
    ("a status outside the evidence key", "events.csv", ",kirby_food_munitions,alleged,", ",kirby_food_munitions,rumoured,", "status", "'rumoured' is not one of the allowed values confirmed, reported, estimate, alleged, derived"),
    ("an id used twice", "flows.csv", "kuzbass_flour,to_north_korea", "flour_sales,to_north_korea", "flow_id", "'flour_sales' is used by more than one row; ids must be unique"),
]


@pytest.mark.parametrize(("file", "old", "new", "column", "message"), [b[1:] for b in BROKEN], ids=[b[0] for b in BROKEN])
def test_a_broken_published_file_is_caught_with_its_file_line_and_column(built_site, tmp_path, file, old, new, column, message):
    folder = tmp_path / "data"
    shutil.copytree(built_site / "data", folder)
    line = line_of(folder / file, old)
    replace_once(folder / file, old, new)
    assert [str(problem) for problem in publication.validate(folder, "output/data")] == [f"output/data/{file}, line {line}, column {column!r}: {message}"]


def test_a_broken_descriptor_is_caught(built_site, tmp_path):
    folder = tmp_path / "data"
    shutil.copytree(built_site / "data", folder)
    replace_once(folder / "datapackage.json", '"type": "number"', '"type": "amount"')
    problems = publication.validate(folder, "output/data")
    assert len(problems) == 1 and problems[0].path == "output/data/datapackage.json" and "amount" in problems[0].message


@pytest.mark.slow
def test_a_cell_that_breaks_its_schema_once_published_fails_the_build(good_site, data_copy, render_cache):
    """A label at its longest that a spreadsheet would run: the source validates, but the
    published cell gains a ' in front and breaks the maximum length. The build names the
    published file, line and column, and keeps the old site."""
    output, before = good_site
    events = data_copy / "events.csv"
    label = "Putin pledges flour aid"  # the undated pledge, which no chart plots
    longest = "=" + "x" * 33
    replace_once(events, f",aid,{label},", f",aid,{longest},")
    with pytest.raises(BuildError) as caught:
        building.build(output=output, overrides={"CHARTS_DATA_PACKAGE": str(data_copy / "datapackage.yaml"), "CHARTS_CACHE_DIR": str(render_cache), **ENGLISH_ONLY})
    assert str(caught.value) == f"output/data/events.csv, line {line_of(events, longest)}, column 'label': \"'{longest}\" is 35 characters long; at most 34 are allowed"
    assert snapshot(output) == before


def test_a_package_validated_before_is_not_validated_again(tmp_path, caplog):
    urls, cache = ChartUrls(""), tmp_path / "cache"
    caplog.set_level(logging.INFO, logger="plugin.datapackage")
    assert datapackage.publish(ROOT / "data" / "datapackage.yaml", urls, tmp_path / "output", "output", cache) == []
    assert caplog.messages == ["data package: data/ validated by frictionless"]
    assert (cache / ".memo" / datapackage.MEMO_KIND / f"{memo.published_key(tmp_path / 'output' / 'data')[:32]}.pickle").is_file()
    caplog.clear()
    assert datapackage.publish(ROOT / "data" / "datapackage.yaml", urls, tmp_path / "output", "output", cache) == []
    assert caplog.messages == ["data package: data/ is as validated before"]
