"""Bad inputs, one at a time: each stops the build with the message a maintainer needs
(file, line, column where there is one) and leaves the previous output/ exactly as it was.
"""
from __future__ import annotations

import json
import shutil
import textwrap
from pathlib import Path

import pytest

from charting import pipeline, versions
from dataset.errors import BuildError
from tests.conftest import ENGLISH_ONLY
from tests.conftest import line_of as _line
from tests.conftest import replace_once as _replace
from tests.conftest import snapshot as _snapshot
from tools import build as building
from tools import serve as serving

ROOT = Path(__file__).resolve().parents[2]



def test_non_utf8_file(good_site, data_copy, render_cache):
    output, before = good_site
    flows = data_copy / "flows.csv"
    line = _line(flows, "beer_and_farm_goods")
    flows.write_bytes(flows.read_bytes().replace(b"Beer and farm", b"B\xe8er and farm"))
    with pytest.raises(BuildError) as caught:
        building.build(output=output, overrides={"CHARTS_DATA_PACKAGE": str(data_copy / "datapackage.yaml"), "CHARTS_CACHE_DIR": str(render_cache)})
    assert f"flows.csv, line {line}: is not UTF-8: byte 0xe8 at character" in str(caught.value)
    assert _snapshot(output) == before


GOOD_CHART = '''
"""A chart that a fault test breaks."""
import altair as alt
from charting.plotting import figure_rows
from charting.registry import Furniture
FURNITURE = Furniture(headline="Goats", subhead="Head", alt="Goats sent to Rason.", description="One bar.")
def build(data, layout):
    rows = figure_rows(data, {"goats_to_rason": "Goats"})
    return alt.Chart(rows).mark_bar().encode(x="value:Q", y="label:N").properties(width=layout.width)
'''

CHART_FAULTS = [
    ("column-that-does-not-exist", GOOD_CHART.replace('y="label:N"', 'y="country:N"'), "goats.py: encodes column 'country', which is not in the plotted data"),
    ("module-that-raises", GOOD_CHART.replace("    rows = figure_rows", "    raise ValueError('no goats today')\n    rows = figure_rows"), "goats.py, line 8: build() raised ValueError: no goats today"),
    ("no-alt-text", GOOD_CHART.replace('alt="Goats sent to Rason."', 'alt=""'), "goats.py: chart 'goats' has no alt text (FURNITURE.alt)"),
    (
        "spec-that-is-not-vega-lite",
        GOOD_CHART.replace("    return alt.Chart(rows)", "    chart = alt.Chart(rows)").replace(".properties(width=layout.width)", ".properties(width=layout.width)\n    chart.mark = {'type': 'bar', 'cornerRadius': 'round'}\n    return chart"),
        "goats.py: spec is not valid Vega-Lite: at mark/cornerRadius, 'round' is not of type 'object'; 'round' is not of type 'number'",
    ),
]


@pytest.mark.parametrize(("name", "source", "expected"), CHART_FAULTS, ids=[f[0] for f in CHART_FAULTS])
def test_bad_chart_module(good_site, tmp_path, monkeypatch, render_cache, name, source, expected):
    output, before = good_site
    package = f"fault_catalog_{name.replace('-', '_')}"
    (tmp_path / package).mkdir()
    (tmp_path / package / "__init__.py").write_text("")
    (tmp_path / package / "goats.py").write_text(textwrap.dedent(source))
    monkeypatch.syspath_prepend(str(tmp_path))
    with pytest.raises(BuildError) as caught:
        # English only: a new chart's furniture has no translation yet, which would stop the build first.
        building.build(output=output, overrides={"CHARTS_CATALOG": package, "CHARTS_CACHE_DIR": str(render_cache), **ENGLISH_ONLY})
    assert expected in str(caught.value)
    assert _snapshot(output) == before


def _content_with(tmp_path: Path, page: str, extra: str) -> tuple[Path, int]:
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    path = content / "pages" / page
    lines = path.read_text(encoding="utf-8").splitlines() + ["", extra]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return content, len(lines)


@pytest.mark.parametrize(
    ("extra", "expected"),
    [
        ("{{chart goat_census}}", "about.md, line {line}: unknown chart 'goat_census'"),
        ("Goats: {{fig goat_census}}.", "about.md, line {line}, column 'character 8': unknown figure 'goat_census'"),
    ],
    ids=["unknown-chart-id", "unknown-figure-id"],
)
def test_unknown_reference_in_markdown(good_site, tmp_path, render_cache, extra, expected):
    output, before = good_site
    content, line = _content_with(tmp_path, "about.md", extra)
    with pytest.raises(BuildError) as caught:
        building.build(output=output, overrides={"PATH": str(content), "CHARTS_CACHE_DIR": str(render_cache)})
    assert expected.format(line=line) in str(caught.value)
    assert _snapshot(output) == before


def test_site_with_no_pages_is_refused(good_site, tmp_path, render_cache):
    output, before = good_site
    content = tmp_path / "content"
    (content / "pages").mkdir(parents=True)
    with pytest.raises(BuildError) as caught:
        building.build(output=output, overrides={"PATH": str(content), "CHARTS_CACHE_DIR": str(render_cache)})
    assert "output: the build wrote no index.html; a complete site has it" in str(caught.value)
    assert _snapshot(output) == before


def test_template_error(good_site, tmp_path, render_cache):
    output, before = good_site
    theme = tmp_path / "theme"
    shutil.copytree(ROOT / "theme", theme)
    _replace(theme / "templates" / "page.html", "{% block content %}", "{% block content %}{{ page.title | no_such_filter }}")
    with pytest.raises(BuildError) as caught:
        building.build(output=output, overrides={"THEME": str(theme), "CHARTS_CACHE_DIR": str(render_cache)})
    assert "no_such_filter" in str(caught.value)
    assert _snapshot(output) == before


def test_output_directory_that_cannot_be_written(tmp_path, render_cache):
    blocker = tmp_path / "not-a-directory"
    blocker.write_text("a file where the output's parent should be")
    with pytest.raises(BuildError) as caught:
        building.build(output=blocker / "output", overrides={"CHARTS_CACHE_DIR": str(render_cache)})
    assert f"{blocker}: is a file, not a folder; cannot build the site inside it" in str(caught.value)


def test_build_interrupted_halfway_keeps_the_old_site(good_site, render_cache):
    output, before = good_site
    from pelican import signals

    import plugin.hooks as plugin
    from tests.fixtures import interrupt_plugin

    try:
        with pytest.raises(KeyboardInterrupt):
            building.build(output=output, overrides={"PLUGINS": [plugin, interrupt_plugin], "CHARTS_CACHE_DIR": str(render_cache)})
    finally:
        # Pelican's signals outlive a build; later builds in this process must run to the end.
        signals.page_generator_finalized.disconnect(interrupt_plugin._interrupt)
    assert _snapshot(output) == before
    assert not [p for p in output.parent.iterdir() if p.name.startswith((".output.building-", ".output.old-"))]


@pytest.mark.slow
@pytest.mark.browser
def test_html_and_script_in_a_label_stay_inert(tmp_path, data_copy, render_cache, chromium):
    """A hostile label is text everywhere: SVG, data table, tooltip data and metadata."""
    hostile = "<script>alert('x')</script><b>Beer</b> & farm products"
    _replace(data_copy / "flows.csv", "Beer and farm products for the Russian Far East", hostile.replace(",", ""))
    prepared = pipeline.prepare(package_path=data_copy / "datapackage.yaml", cache_dir=render_cache)
    versions.release(prepared, "Label test.")
    output = building.build(output=tmp_path / "output", overrides={"CHARTS_DATA_PACKAGE": str(data_copy / "datapackage.yaml"), "CHARTS_CACHE_DIR": str(render_cache), **ENGLISH_ONLY}).output
    folder = output / "charts" / "two_way_ledger"
    for page in [output / "index.html", folder / "index.html", folder / "embed" / "index.html"]:
        html = page.read_text()
        assert "<script>alert" not in html and "<b>Beer" not in html
        assert "&lt;script&gt;alert" in html  # shown, as text, in the SVG and the data table
    assert "&lt;script&gt;" in (folder / "two_way_ledger.svg").read_text()
    live = json.loads((folder / "two_way_ledger.page.vg.json").read_text())
    assert any("<script>alert('x')</script>" in json.dumps(d.get("values", "")) for d in live["data"])  # tooltips set it as textContent
    # In the browser: the tooltip shows the label as text, and no script runs.
    server, url = serving.serve_directory(output)
    page = chromium.new_page()
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.goto(f"{url}/charts/two_way_ledger/embed/")
    page.mouse.move(2, 2)
    page.wait_for_function("() => document.querySelector('figure.chart').dataset.live === 'true'")
    mark = page.locator(".chart-live [aria-label*='alert']").first
    mark.focus()
    tooltip = page.locator(".chart-tooltip")
    tooltip.wait_for(state="visible")
    text = tooltip.inner_text()
    injected = page.locator(".chart-tooltip script, .chart-tooltip b").count()
    page.close()
    server.shutdown()
    assert "<script>alert('x')</script><b>Beer</b>" in text
    assert dialogs == [] and injected == 0
