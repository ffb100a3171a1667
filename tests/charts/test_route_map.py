"""The map of places and routes: its rows resolve to sources and to the gazetteer, every place
and route is drawn, its inline SVG keeps to its budget, and in Chromium no label overlaps
another, every marker shows its tooltip, and with scripts off the map is there."""
from __future__ import annotations

import gzip

import pytest

from charting import pipeline, registry, theme
from charts import route_map
from dataset import places

#: What one artboard's inline SVG may weigh (bytes as sent, and gzipped as served).
SVG_BUDGET = 95_000
SVG_BUDGET_GZIP = 20_000
MAP_PAGE = "/charts/route_map/"




def test_gazetteer_places_take_their_coordinates_from_geonames(dataset):
    towns = places.gazetteer()
    located = dataset.places[dataset.places["located_by"] == "geonames"]
    assert len(located) >= 8
    for place_id, row in located.iterrows():
        town = towns[row["geonames_id"]]
        assert (row["latitude"], row["longitude"]) == pytest.approx((float(town["latitude"]), float(town["longitude"])), abs=1e-4), place_id
    typed = dataset.places[dataset.places["located_by"] == "reference"]
    assert (typed["reference"].str.len() > 0).all()


@pytest.fixture(scope="module", params=[theme.PHONE, theme.DESKTOP], ids=lambda layout: layout.name)
def built(request, dataset):
    return registry.discover()["route_map"].make(dataset, request.param)


def _texts(spec) -> list[str]:
    """Every label the spec letters (from the layers that carry their own text data)."""
    found = []
    if isinstance(spec, dict):
        values = spec.get("data", {}).get("values") if isinstance(spec.get("data"), dict) else None
        if isinstance(values, list) and values and isinstance(values[0], dict) and "role" in values[0]:
            found += [v["text"] for v in values]
        for value in spec.values():
            found += _texts(value)
    elif isinstance(spec, list):
        for item in spec:
            found += _texts(item)
    return found


def test_every_place_and_route_is_drawn_and_named(built, dataset):
    lettered = {text.replace("\n", " ") for text in _texts(built.spec)}
    for place_id, place in dataset.places.iterrows():
        assert place["map_label"] in lettered, place_id
    for route_id, route in dataset.routes.iterrows():
        assert route["label"] in lettered, route_id
    plotted = built.plotted
    assert set(plotted.loc[plotted["layer"] == "place", "id"]) == set(dataset.places.index)
    assert set(plotted.loc[plotted["layer"] == "route", "id"]) == set(dataset.routes.index)
    # Each place is named on one panel only, and each route is on at least one.
    panels = [f"on_{name}" for name in route_map.PANELS]
    assert (plotted.loc[plotted["layer"] == "place", panels].sum(axis=1) == 1).all()
    assert (plotted.loc[plotted["layer"] == "route", panels].sum(axis=1) >= 1).all()


def test_inline_svg_keeps_to_its_budget(prepared):
    bundle = prepared.charts["route_map"]
    for layout in bundle.artboards:
        svg = pipeline.inline_svg(bundle, layout).encode()
        assert len(svg) <= SVG_BUDGET, (layout, len(svg))
        assert len(gzip.compress(svg, 9)) <= SVG_BUDGET_GZIP, layout


# --- In Chromium -------------------------------------------------------------------------------

#: Every label the static map letters, as boxes in page pixels (halo and ink drawn twice: once).
LABEL_BOXES = """(figure) => {
  const live = figure.querySelector('.chart-live svg');
  const art = live || [...figure.querySelectorAll('.chart-art')].find((a) => a.offsetParent !== null);
  const seen = new Map();
  for (const text of art.querySelectorAll('text')) {
    const box = text.getBoundingClientRect();
    if (!box.width || text.closest('.role-title')) continue;
    const key = `${text.textContent}@${Math.round(box.x)},${Math.round(box.y)}`;
    seen.set(key, {text: text.textContent, left: box.left, top: box.top, right: box.right, bottom: box.bottom});
  }
  return [...seen.values()];
}"""


def _overlapping(boxes):
    found = []
    for i, a in enumerate(boxes):
        for b in boxes[i + 1 :]:
            if a["left"] < b["right"] - 0.5 and b["left"] < a["right"] - 0.5 and a["top"] < b["bottom"] - 0.5 and b["top"] < a["bottom"] - 0.5:
                found.append((a["text"], b["text"]))
    return found


@pytest.mark.browser
@pytest.mark.parametrize("scripts", [False, True], ids=["static", "live"])
@pytest.mark.parametrize("width", [375, 1280])
def test_no_label_overlaps_another(chromium, site_url, dataset, width, scripts):
    """As drawn at build time, and as Vega draws it again in the reader's browser."""
    context = chromium.new_context(viewport={"width": width, "height": 900}, java_script_enabled=scripts)
    page = context.new_page()
    page.goto(site_url + MAP_PAGE)
    figure = page.locator("figure.chart").first
    if scripts:
        figure.scroll_into_view_if_needed()
        page.mouse.move(2, 2)
        page.wait_for_function("(f) => f.dataset.live === 'true'", arg=figure.element_handle(), timeout=15000)
    boxes = page.evaluate(LABEL_BOXES, figure.element_handle())
    context.close()
    names = {box["text"] for box in boxes}
    assert set(dataset.places["map_label"]) <= names, names
    assert _overlapping(boxes) == []


@pytest.mark.browser
def test_no_label_overlaps_another_when_the_check_is_broken_on_purpose(chromium, site_url):
    """The overlap check can fail: two of the map's labels moved onto each other are caught."""
    context = chromium.new_context(viewport={"width": 1280, "height": 900}, java_script_enabled=False)
    page = context.new_page()
    page.goto(site_url + MAP_PAGE)
    boxes = page.evaluate(LABEL_BOXES, page.locator("figure.chart").first.element_handle())
    context.close()
    moved = [dict(boxes[0]), {**boxes[1], "left": boxes[0]["left"] + 2, "right": boxes[0]["left"] + 2 + (boxes[1]["right"] - boxes[1]["left"]), "top": boxes[0]["top"] + 1, "bottom": boxes[0]["bottom"] + 1}]
    assert _overlapping(moved)


@pytest.mark.browser
@pytest.mark.parametrize("width", [375, 1280])
def test_every_place_marker_shows_its_tooltip(chromium, site_url, dataset, width):
    context = chromium.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15000)
    page.goto(site_url + MAP_PAGE)
    figure = page.locator("figure.chart").first
    figure.scroll_into_view_if_needed()
    page.mouse.move(2, 2)
    page.wait_for_function("(f) => f.dataset.live === 'true'", arg=figure.element_handle())
    tooltip = figure.locator(".chart-tooltip")
    marked = dataset.places[dataset.places["kind"].isin(list(route_map.SHAPES))]
    shown = {}
    for place_id, place in marked.iterrows():
        target = figure.locator(f".chart-live [role='img'][aria-label*='Where: {place['name']}']").first
        target.scroll_into_view_if_needed()
        box = target.bounding_box()
        page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
        tooltip.wait_for(state="visible")
        shown[place_id] = tooltip.inner_text()
        page.mouse.move(2, 2)
    context.close()
    for place_id, text in shown.items():
        assert marked.at[place_id, "name"] in text and "Evidence" in text and "Source" in text, (place_id, text)


@pytest.mark.browser
def test_the_map_is_there_with_scripts_off(chromium, site_url, dataset):
    """On the explainer, where the routes are discussed, with no script at all."""
    context = chromium.new_context(viewport={"width": 375, "height": 800}, java_script_enabled=False)
    page = context.new_page()
    page.goto(site_url + "/")
    svg = page.locator("#chart-route_map .chart-art svg >> visible=true")
    box = svg.bounding_box()
    text = svg.evaluate("(s) => s.textContent")
    context.close()
    assert box and box["width"] > 300 and box["height"] > 600, box
    for label in dataset.places["map_label"]:
        assert label in text, label
