"""invoke translations: the catalogues' template holds every string the site shows in English."""
from __future__ import annotations

import shutil

from babel.messages.pofile import read_po

from charting import editions, pipeline, registry
from tests.conftest import ROOT
from tools import translations


def test_the_committed_template_is_what_the_code_holds_now():
    """A string added to the code, a template, a chart or the data without running invoke
    translations fails here (and its translation would be missing from the build)."""
    fresh = translations.render_template(translations.extract(ROOT))
    committed = (ROOT / editions.TEMPLATE).read_bytes()
    assert fresh == committed, "locales/messages.pot is out of date: run invoke translations"


def test_the_template_holds_templates_furniture_data_and_patterns(dataset):
    template = translations.extract(ROOT)
    keys = {(m.context, m.id if isinstance(m.id, str) else m.id[0]) for m in template if m.id}
    assert (None, "Skip to content") in keys  # a template
    for chart_id, module in registry.discover().items():
        assert (pipeline.furniture_context(chart_id, "headline"), module.furniture.headline) in keys
    place = dataset.places.iloc[0]
    assert ("data: places.name", place["name"]) in keys
    assert ("unit: tonne", "{number} tonnes") in keys and ("date", "d MMMM y") in keys
    assert ("setting", "Flour, goats and shells") in keys


def test_updating_twice_changes_nothing_and_keeps_translations(tmp_path):
    locales = tmp_path / "locales"
    shutil.copytree(ROOT / "locales", locales)
    translations.update(["en", "ko", "ru"], locales)
    first = {p: p.read_bytes() for p in locales.rglob("*.po*")}
    translations.update(["en", "ko", "ru"], locales)
    assert {p: p.read_bytes() for p in locales.rglob("*.po*")} == first
    with open(editions.catalog_path("ko", locales), "rb") as handle:
        korean = read_po(handle, locale="ko")
    assert korean.get("Skip to content").string  # what a translator wrote is kept
