"""One evidence key, drawn alike everywhere: every chart's marks and its legend swatches look
the way the data package's key says, so a status looks the same in every chart.

Read from the drawn SVGs (the downloads, which draw the key under the chart, and the page
artboards), not from the specs: what is checked is what a reader sees.
"""
from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from charting import registry

SVG = "{http://www.w3.org/2000/svg}"
DRAWN = {f"{SVG}{tag}" for tag in ("path", "rect", "line", "circle", "polygon")}


def _parent_classes(root: ET.Element):
    """Each drawn element with the classes of the groups around it."""

    def walk(element, classes):
        own = classes + [element.get("class", "")]
        if element.tag in DRAWN:
            yield element, " ".join(own)
        for child in element:
            yield from walk(child, own)

    yield from walk(root, [])


def _look(element: ET.Element) -> dict:
    dash = (element.get("stroke-dasharray") or "").replace(" ", "")
    return {
        "fill": element.get("fill"),
        "fill_opacity": float(element.get("fill-opacity", "1")),
        "stroke": element.get("stroke"),
        "dash": "" if dash in ("", "none") else dash,
    }


def _expected(status) -> dict:
    return {"fill_opacity": status.fill_opacity, "dash": ",".join(str(n) for n in status.dash)}


def _legend(svg: str) -> dict[str, dict]:
    """Legend label -> the look of its swatch, entry by entry."""
    root = ET.fromstring(svg)
    entries = [g for g in root.iter(f"{SVG}g") if g.get("class") == "legend-entry"]
    found = {}
    for entry in entries:
        (swatch,) = [child for child in entry if child.get("class") == "legend-swatch"]
        (label,) = [child for child in entry if child.get("class") == "legend-label"]
        found[label.text] = _look(swatch)
    return found


def _download(built_site, bundle) -> str:
    return (built_site / "charts" / bundle.id / f"{bundle.id}.svg").read_text(encoding="utf-8")


def _marks(svg: str, key) -> dict[str, list[dict]]:
    """Status -> the look of every mark drawn in its colour."""
    by_colour = {status.colour: status.name for status in key}
    found: dict[str, list[dict]] = {}
    for element, classes in _parent_classes(ET.fromstring(svg)):
        if "role-mark" not in classes:
            continue
        look = _look(element)
        status = by_colour.get(look["fill"]) or by_colour.get(look["stroke"])
        if status:
            found.setdefault(status, []).append(look)
    return found


@pytest.fixture(scope="module", params=sorted(registry.discover()))
def bundle(request, prepared):
    return prepared.charts[request.param]


def test_legend_lists_exactly_the_statuses_plotted(bundle, dataset, built_site):
    legend = _legend(_download(built_site, bundle))
    assert list(legend) == [dataset.evidence[name].label for name in bundle.built.statuses]


def test_each_legend_swatch_looks_like_the_key(bundle, dataset, built_site):
    by_label = {status.label: status for status in dataset.evidence}
    for label, look in _legend(_download(built_site, bundle)).items():
        status = by_label[label]
        assert look["fill"] == status.colour and look["stroke"] == status.colour, label
        assert {"fill_opacity": look["fill_opacity"], "dash": look["dash"]} == _expected(status), label


@pytest.mark.parametrize("svg", ["standalone", "phone", "desktop"])
def test_every_mark_of_a_status_looks_like_its_swatch(bundle, dataset, svg, built_site):
    """Bars, points, ranges and rules alike: the fill (where a mark has an inside) and the edge."""
    drawing = _download(built_site, bundle) if svg == "standalone" else bundle.artboards[svg][1].svg
    marks = _marks(drawing, dataset.evidence)
    assert set(marks) == set(bundle.built.statuses), "every status plotted is drawn in its colour"
    for name, looks in marks.items():
        status = dataset.evidence[name]
        for look in looks:
            assert look["dash"] == _expected(status)["dash"], (name, look)
            if look["fill"] == status.colour:  # a mark with an inside: bars, points, ranges
                assert look["fill_opacity"] == pytest.approx(status.fill_opacity), (name, look)
