"""How fresh the data is: every page and every chart says the latest date printed by the
sources it uses, worked out here again from the data and the pages' own references, and kept
apart from the date the page was last updated."""
from __future__ import annotations

import dataclasses
import html.parser
import re
import shutil
from pathlib import Path

import pytest

from charting import pipeline, references
from dataset import loading
from dataset.dates import parse_span
from tests.conftest import SETTINGS
from tools import build as building

ROOT = Path(__file__).resolve().parents[2]
CHART_IDS = list(pipeline.registry.discover())
#: The English pages (``<name>.md``); each edition's (``<name>.<lang>.md``) is checked beside its own.
PAGES = sorted(p for p in (ROOT / "content" / "pages").glob("*.md") if "." not in p.stem)
EDITIONS = [lang for lang in SETTINGS["EDITIONS"] if lang != SETTINGS["DEFAULT_LANG"]]


class _AsOf(html.parser.HTMLParser):
    """Each "Data as of" line of a page: (the chart figure it is in or None, its date, its text),
    and the page header's byline."""

    def __init__(self, text: str):
        super().__init__(convert_charrefs=True)
        self.lines: list[list] = []
        self.byline: str | None = None
        self._figure: list[str | None] = []
        self._in: list | None = None
        self._byline = False
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        classes = (attrs.get("class") or "").split()
        if tag == "figure":
            self._figure.append(attrs.get("data-chart-id"))
        if tag == "p" and "data-as-of" in classes:
            self._in = [self._figure[-1] if self._figure else None, None, ""]
            self.lines.append(self._in)
        if tag == "p" and "byline" in classes:
            self._byline, self.byline = True, ""
        if tag == "time" and self._in is not None:
            self._in[1] = attrs["datetime"]

    def handle_endtag(self, tag):
        if tag == "figure" and self._figure:
            self._figure.pop()
        if tag == "p":
            self._in, self._byline = None, False

    def handle_data(self, data):
        if self._in is not None:
            self._in[2] += data
        if self._byline:
            self.byline += data


def _expected(dataset, sources: set[str]) -> tuple[str | None, int]:
    """The latest printed date among these sources (all of them, if none) and how many print none."""
    names = sources or set(dataset.sources)
    printed = [dataset.sources[name].date_printed for name in names if dataset.sources[name].date_printed]
    return (max(printed, key=lambda date: (parse_span(date).last_day(), parse_span(date).first_day())) if printed else None), len(names) - len(printed)


def _shown(date: str | None, undated: int) -> str:
    if date is None:
        return "Data from undated sources only"
    note = "" if not undated else " (1 undated source not counted)" if undated == 1 else f" ({undated} undated sources not counted)"
    return f"Data as of {parse_span(date).label()}{note}"


def _page_sources(text: str, dataset, prepared) -> set[str]:
    """Every source a page's references rest on, read from its Markdown."""
    tables = {
        "figures": set(dataset.figures["source"]),
        "events": set(dataset.events["source"]),
        "places": set(dataset.places["source"]) | set(dataset.routes["source"]),
        "sources": set(dataset.sources),
        "dataset": set(dataset.sources),
    }
    found = set()
    for _, _, raw in references.tokens(text):
        kind, ref_id, _ = references.parse(raw)
        if kind == "fig":
            found |= {dataset.figures.at[ref_id, "source"], *(dataset.figures.at[base, "source"] for base in _bases(dataset, ref_id))}
        elif kind == "date":
            found.add(dataset.events.at[ref_id, "source"])
        elif kind == "place":
            found.add(dataset.places.at[ref_id, "source"])
        elif kind == "source":
            found.add(ref_id)
        elif kind == "chart":
            found |= set(prepared.charts[ref_id].built.plotted["source"])
        elif kind == "table":
            found |= tables.get(ref_id, set())
    return found


def _bases(dataset, figure_id: str) -> set[str]:
    """The figures a derived figure's formula rests on, through other derived ones."""
    formula = dataset.figures.at[figure_id, "formula"]
    direct = {word for word in re.findall(r"[a-z][a-z0-9_]*", formula) if word in dataset.figures.index}
    return direct | {base for word in direct for base in _bases(dataset, word)}


def _page_file(page: Path) -> str:
    """Where Pelican writes a page, from its header."""
    header = dict(re.findall(r"^(\w+): *(.*)$", page.read_text(encoding="utf-8").split("\n\n")[0], re.MULTILINE))
    if header.get("Save_as"):
        return header["Save_as"]
    if header.get("Lang", SETTINGS["DEFAULT_LANG"]) != SETTINGS["DEFAULT_LANG"]:
        return SETTINGS["PAGE_LANG_SAVE_AS"].format(slug=header["Slug"], lang=header["Lang"])
    return SETTINGS["PAGE_SAVE_AS"].format(slug=header["Slug"])


@pytest.mark.parametrize("page", PAGES, ids=[p.stem for p in PAGES])
def test_every_page_says_the_latest_date_its_sources_printed(built_site, dataset, prepared, page):
    shown = _AsOf((built_site / _page_file(page)).read_text(encoding="utf-8"))
    header = shown.lines[0]
    assert header[0] is None, "the page's own line comes first, in its header"
    date, undated = _expected(dataset, _page_sources(page.read_text(encoding="utf-8"), dataset, prepared))
    assert (header[1], header[2]) == (date, _shown(date, undated))
    # Kept apart from when the page was updated: a line of its own, not the byline.
    assert shown.byline and "updated" in shown.byline and "Data as of" not in shown.byline and "updated" not in header[2]
    # Every edition of the page says the same date, in its own words.
    for lang in EDITIONS:
        translated = page.with_name(f"{page.stem}.{lang}.md")
        edition = _AsOf((built_site / _page_file(translated)).read_text(encoding="utf-8")).lines[0]
        assert (edition[0], edition[1]) == (None, date), translated
        assert edition[2] != header[2], translated  # in the edition's words
        assert not undated or str(undated) in edition[2], translated


def test_a_page_with_no_data_says_the_site_wide_date(built_site, dataset):
    header = _AsOf((built_site / "about" / "index.html").read_text(encoding="utf-8")).lines[0]
    latest = max((s.date_printed for s in dataset.sources.values() if s.date_printed), key=lambda d: parse_span(d).last_day())
    assert header[1] == latest == dataset.as_of().date


@pytest.mark.parametrize("chart_id", CHART_IDS)
def test_every_chart_says_the_latest_date_its_sources_printed_wherever_it_is_shown(built_site, dataset, prepared, chart_id):
    date, undated = _expected(dataset, set(prepared.charts[chart_id].built.plotted["source"]))
    folder = built_site / "charts" / chart_id
    places = [folder / "index.html", folder / "embed" / "index.html"]
    places += [built_site / _page_file(page) for page in PAGES if f"{{{{chart {chart_id}}}}}" in page.read_text(encoding="utf-8")]
    assert len(places) >= 3 or chart_id not in ("agricultural_exports", "route_map", "timeline")
    for place in places:
        lines = [line for line in _AsOf(place.read_text(encoding="utf-8")).lines if line[0] == chart_id]
        assert [(line[1], line[2]) for line in lines] == [(date, _shown(date, undated))], place
    version = _AsOf((folder / "v1" / "index.html").read_text(encoding="utf-8")).lines
    assert [(line[1], line[2]) for line in version] == [(date, _shown(date, undated))]
    for lang in EDITIONS:
        translated = [built_site / lang / "charts" / chart_id / "index.html", built_site / lang / "charts" / chart_id / "embed" / "index.html"]
        for place in translated:
            assert [line[1] for line in _AsOf(place.read_text(encoding="utf-8")).lines if line[0] == chart_id] == [date], place


def test_the_chart_index_says_the_latest_date_of_every_chart(built_site, dataset, prepared):
    every = {source for bundle in prepared.charts.values() for source in bundle.built.plotted["source"]}
    date, undated = _expected(dataset, every)
    assert [(line[1], line[2]) for line in _AsOf((built_site / "charts" / "index.html").read_text(encoding="utf-8")).lines] == [(date, _shown(date, undated))]


def test_as_of_counts_dates_by_their_last_day_and_undated_sources_apart(dataset):
    one = next(iter(dataset.sources.values()))
    printed = {"day": "2025-06-30", "june": "2025-06", "july": "2025-07", "year": "2024", "none": ""}
    data = dataclasses.replace(dataset, sources={name: dataclasses.replace(one, name=name, date_printed=date) for name, date in printed.items()})
    assert data.as_of(["june", "year", "none"]) == loading.AsOf("2025-06", 1)
    # June ends on the 30th, as the day does; the day, more precise, counts as later.
    assert data.as_of(["june", "day"]) == data.as_of(["day", "june"]) == loading.AsOf("2025-06-30", 0)
    assert data.as_of(["day", "july"]) == loading.AsOf("2025-07", 0)
    assert data.as_of(["none"]) == loading.AsOf(None, 1)
    assert data.as_of() == loading.AsOf("2025-07", 1)


PROBES = {
    "undated-only.md": "Title: Undated only\nDate: 2026-11-23\nSlug: undated-only\nNav_title: Undated\nNav_order: 8\nSummary: A probe.\nStandfirst: A probe.\n\nThe pledge: {{fig flour_aid_pledge}}.\n",
    "title-only.md": "Title: Goats, as of {{source goats_rason:date}}\nDate: 2026-11-23\nSlug: title-only\nNav_title: Title\nNav_order: 9\nSummary: A probe.\nStandfirst: A probe.\n\nNo reference in the text.\n",
}


def test_a_page_counts_references_in_its_metadata_and_says_when_its_sources_are_all_undated(tmp_path, render_cache, dataset):
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    for name, text in PROBES.items():
        (content / "pages" / name).write_text(text, encoding="utf-8")
        for lang in EDITIONS:  # each page exists in every edition (here with the English words)
            (content / "pages" / name.replace(".md", f".{lang}.md")).write_text(f"Lang: {lang}\n{text}", encoding="utf-8")
    output = building.build(output=tmp_path / "output", overrides={"PATH": str(content), "CHARTS_CACHE_DIR": str(render_cache)}).output
    assert _AsOf((output / "undated-only" / "index.html").read_text(encoding="utf-8")).lines[0][1:] == [None, "Data from undated sources only"]
    goats = dataset.sources["goats_rason"].date_printed
    assert _AsOf((output / "title-only" / "index.html").read_text(encoding="utf-8")).lines[0][1:] == [goats, _shown(goats, 0)]
