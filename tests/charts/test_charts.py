"""Every registered chart builds, validates against the Vega-Lite schema and renders.

Parametrized over the registry, so a new chart module is tested without new test code.
"""
from __future__ import annotations

import html
import re
import struct
import sys
import textwrap

import pytest

from charting import pipeline, registry, render, theme
from dataset.errors import ChartError

CHART_IDS = list(registry.discover())


def test_at_least_seven_charts_are_registered():
    assert len(CHART_IDS) >= 7


@pytest.fixture(params=CHART_IDS)
def bundle(request, prepared):
    return prepared.charts[request.param]


def test_chart_module_declares_its_furniture(bundle):
    module = registry.discover()[bundle.id].module
    assert module.__doc__.strip().splitlines()[0]
    for field in (bundle.headline, bundle.subhead, bundle.alt, bundle.description):
        assert field.strip() and "{{" not in field


def test_spec_validates_against_vega_lite_schema(bundle):
    # The spec that is rendered, checked against Altair's bundled Vega-Lite JSON schema.
    render.validate_spec(bundle.built)
    assert bundle.built.spec["$schema"].startswith("https://vega.github.io/schema/vega-lite/")


def test_plotted_rows_keep_source_and_status(bundle, dataset):
    plotted = bundle.built.plotted
    assert len(plotted) > 0
    assert plotted["source"].isin(list(dataset.sources)).all()
    assert plotted["status"].isin(list(dataset.evidence.statuses)).all()
    line = bundle.source_line(dataset)
    for source_id in set(plotted["source"]):
        assert dataset.sources[source_id].citation in line


def test_download_svg_holds_headline_and_png_has_expected_size(bundle, built_site):
    folder = built_site / "charts" / bundle.id
    svg = (folder / f"{bundle.id}.svg").read_text(encoding="utf-8")
    assert svg.startswith("<svg")
    # The headline is wrapped into lines; with tags removed they read as the headline.
    words = " ".join(html.unescape(re.sub(r"<[^>]+>", " ", svg)).split())
    assert bundle.headline in words
    assert bundle.subhead in words
    # A standalone file names itself: its title is the headline, for screen readers and file viewers.
    assert html.unescape(re.search(r"<title>(.*?)</title>", svg).group(1)) == bundle.headline
    width, height = render.svg_size(svg)
    png = (folder / f"{bundle.id}.png").read_bytes()
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    png_width, png_height = struct.unpack(">II", png[16:24])
    assert (png_width, png_height) == (round(width * render.PNG_SCALE), round(height * render.PNG_SCALE))


def test_page_version_leaves_the_headline_to_the_page(bundle):
    words = " ".join(html.unescape(re.sub(r"<[^>]+>", " ", bundle.rendered.svg)).split())
    assert bundle.subhead not in words and bundle.headline not in words
    for name, (_, rendered) in bundle.artboards.items():
        layout = next(layout for layout in theme.LAYOUTS if layout.name == name)
        assert rendered.size[0] <= layout.width + 2, f"the {name} artboard is wider than {layout.width} px"


def test_compiled_vega_spec_needs_no_vega_lite(bundle):
    vega = bundle.rendered.vega
    assert vega["$schema"].startswith("https://vega.github.io/schema/vega/")


def _scales(spec, channel):
    """Every (domain, range) pair the spec gives a channel, in layers and facets alike."""
    found = []
    if isinstance(spec, dict):
        encoding = spec.get("encoding", {})
        scale = encoding.get(channel, {}).get("scale") if isinstance(encoding, dict) else None
        if scale and "domain" in scale:
            found.append(dict(zip(scale["domain"], scale["range"])))
        for value in spec.values():
            found += _scales(value, channel)
    elif isinstance(spec, list):
        for item in spec:
            found += _scales(item, channel)
    return found


def test_derived_and_uncertain_values_are_drawn_distinctly(bundle):
    """Derived, estimated and alleged marks differ in outline or fill from measured ones."""
    uncertain = [s for s in bundle.built.statuses if s in ("derived", "estimate", "alleged")]
    dashes = _scales(bundle.built.spec, "strokeDash")
    opacities = _scales(bundle.built.spec, "fillOpacity")
    for status in uncertain:
        assert any(d.get(status) not in (None, [], [1, 0]) for d in dashes) or any(o.get(status, 1) < 1 for o in opacities), status


def test_unchanged_chart_is_not_rendered_again(prepared, render_cache):
    again = pipeline.prepare(cache_dir=render_cache)
    assert again.rendered_now == []
    assert {cid: b.rendered.key for cid, b in again.charts.items()} == {cid: b.rendered.key for cid, b in prepared.charts.items()}


def test_changed_data_renders_only_the_charts_that_use_it(data_copy, render_cache, prepared):
    figures = data_copy / "figures.csv"
    figures.write_text(figures.read_text().replace('"18% of children"', '"18 per cent of children"'), encoding="utf-8")
    changed = pipeline.prepare(package_path=data_copy / "datapackage.yaml", cache_dir=render_cache)
    assert changed.rendered_now == ["hunger"]


# Bad chart modules, in a throwaway catalog package on sys.path.

GOOD = '''
"""A test chart."""
import altair as alt
from charting.plotting import figure_rows
from charting.registry import Furniture
FURNITURE = Furniture(headline="H", subhead="S", alt="A", description="D")
def build(data, layout):
    return alt.Chart(figure_rows(data, {"goats_to_rason": "Goats"})).mark_bar().encode(x="value:Q", y="label:N").properties(width=layout.width)
'''


def _catalog(tmp_path, monkeypatch, source: str, name: str = "bad_chart") -> str:
    package = f"catalog_{abs(hash((str(tmp_path), name)))}"
    folder = tmp_path / package
    folder.mkdir()
    (folder / "__init__.py").write_text("")
    (folder / f"{name}.py").write_text(textwrap.dedent(source))
    monkeypatch.syspath_prepend(str(tmp_path))
    return package


def _chart_error(tmp_path, monkeypatch, dataset, source: str) -> str:
    package = _catalog(tmp_path, monkeypatch, source)
    with pytest.raises(ChartError) as caught:
        for module in registry.discover(package).values():
            module.make(dataset)
    sys.modules.pop(package, None)
    return str(caught.value)


def test_good_fixture_chart_builds(tmp_path, monkeypatch, dataset):
    package = _catalog(tmp_path, monkeypatch, GOOD)
    built = registry.discover(package)["bad_chart"].make(dataset)
    assert list(built.plotted["figure_id"]) == ["goats_to_rason"]


def test_chart_without_alt_text(tmp_path, monkeypatch, dataset):
    message = _chart_error(tmp_path, monkeypatch, dataset, GOOD.replace('alt="A"', 'alt=""'))
    assert "bad_chart.py: chart 'bad_chart' has no alt text (FURNITURE.alt)" in message


def test_chart_module_that_raises(tmp_path, monkeypatch, dataset):
    source = GOOD.replace("def build(data, layout):\n", "def build(data, layout):\n    raise KeyError('flour')\n")
    message = _chart_error(tmp_path, monkeypatch, dataset, source)
    assert "bad_chart.py, line 8: build() raised KeyError: 'flour'" in message


def test_chart_using_a_column_that_does_not_exist(tmp_path, monkeypatch, dataset):
    message = _chart_error(tmp_path, monkeypatch, dataset, GOOD.replace('y="label:N"', 'y="country:N"'))
    assert "bad_chart.py: encodes column 'country', which is not in the plotted data" in message


def test_chart_that_ignores_the_layout(tmp_path, monkeypatch, dataset):
    message = _chart_error(tmp_path, monkeypatch, dataset, GOOD.replace("def build(data, layout):", "def build(data):"))
    assert "bad_chart.py: build() must take (data, layout): each chart is laid out once per artboard (phone, desktop)" in message


def test_chart_that_plots_other_rows_on_a_phone(tmp_path, monkeypatch, dataset):
    source = GOOD.replace('{"goats_to_rason": "Goats"}', '{("goats_to_rason" if layout.name == "desktop" else "population_total"): "Goats"}')
    package = _catalog(tmp_path, monkeypatch, source)
    with pytest.raises(ChartError) as caught:
        pipeline.prepare(cache_dir=tmp_path / "cache", catalog=package)
    sys.modules.pop(package, None)
    assert "bad_chart.py: build() plots different rows for the phone and desktop layouts" in str(caught.value)


def test_chart_whose_rows_lost_their_source(tmp_path, monkeypatch, dataset):
    source = GOOD.replace('figure_rows(data, {"goats_to_rason": "Goats"})', 'figure_rows(data, {"goats_to_rason": "Goats"}).drop(columns=["source"])')
    assert "plotted data has no source column" in _chart_error(tmp_path, monkeypatch, dataset, source)


def test_chart_furniture_with_unknown_figure(tmp_path, monkeypatch):
    package = _catalog(tmp_path, monkeypatch, GOOD.replace('alt="A"', 'alt="Goats: {{fig goats_to_rasonn}}"'))
    with pytest.raises(ChartError) as caught:
        pipeline.prepare(catalog=package, cache_dir=tmp_path / "cache")
    assert "FURNITURE.alt: unknown figure 'goats_to_rasonn'" in str(caught.value)
