"""The map engine: a projection that lands where Vega draws, land cut to the frame, and labels
that never overlap (charting/geo.py)."""
from __future__ import annotations

import re

import pytest
import shapely.geometry
import vl_convert as vlc

from charting import geo
from dataset.errors import ChartError

KOREA = geo.Extent(west=124.9, south=38.4, east=132.4, north=43.5)
PLACES = {"Tomsk": (84.98, 56.5), "Rajin": (130.28, 42.26), "Moscow": (37.62, 55.75)}


@pytest.fixture(scope="module")
def projection():
    return geo.fit([*PLACES.values()], 500, 300, (40.0, 60.0), padding=20)


def test_projection_lands_where_vega_draws(projection):
    """The build sets labels from its own projection: Vega must put each point in the same pixel."""
    spec = {
        "$schema": "https://vega.github.io/schema/vega-lite/v6.json",
        "width": projection.width,
        "height": projection.height,
        "autosize": "none",
        "padding": 0,
        "projection": projection.vega(),
        "data": {"values": [{"name": n, "lon": lon, "lat": lat} for n, (lon, lat) in PLACES.items()]},
        "mark": {"type": "text", "align": "left", "baseline": "alphabetic"},
        "encoding": {"longitude": {"field": "lon", "type": "quantitative"}, "latitude": {"field": "lat", "type": "quantitative"}, "text": {"field": "name"}},
    }
    svg = vlc.vegalite_to_svg(spec)
    drawn = {name: (float(x), float(y)) for x, y, name in re.findall(r'transform="translate\(([-\d.]+),([-\d.]+)\)"[^>]*>([A-Za-z]+)</text>', svg)}
    assert set(drawn) == set(PLACES), svg[:500]
    for name, (lon, lat) in PLACES.items():
        x, y = projection(lon, lat)
        assert drawn[name] == pytest.approx((x, y), abs=0.5), name


def test_projection_inverts_and_fits_every_point_inside(projection):
    for lon, lat in PLACES.values():
        x, y = projection(lon, lat)
        assert 19.9 <= x <= 480.1 and 19.9 <= y <= 280.1
        assert projection.invert(x, y) == pytest.approx((lon, lat), abs=1e-9)


def test_land_is_cut_to_the_frame_and_wound_as_d3_reads_it():
    projection = geo.fit(KOREA.ring(), 300, 300, (38.5, 43.5))
    features = geo.land(projection, resolution="50m", tolerance=0.01, digits=3, story=("North Korea",))
    names = {f["properties"]["name"] for f in features if f["properties"]["layer"] == "land"}
    assert {"North Korea", "China", "Russia", "South Korea"} <= names
    assert "Brazil" not in names and "Antarctica" not in names
    assert [f["properties"]["name"] for f in features if f["properties"]["story"]] == ["North Korea"]
    assert sum(f["properties"]["layer"] == "border" for f in features) == 1
    for feature in features:
        shape = shapely.geometry.shape(feature["geometry"])
        for lon, lat in shapely.get_coordinates(shape):
            x, y = projection(lon, lat)
            assert -13 <= x <= 313 and -13 <= y <= 313, (feature["properties"]["name"], lon, lat)
        for polygon in shapely.get_parts(shape):
            if polygon.geom_type == "Polygon":
                # d3-geo takes a clockwise outer ring for the inside; the other way round it fills the globe.
                assert not polygon.exterior.is_ccw, feature["properties"]["name"]


def test_labels_are_set_clear_of_each_other_and_of_markers():
    labels = [geo.Label(f"p{i}", name, 100 + 4 * i, 100, 13, 5, bold=True) for i, name in enumerate(["Novokuznetsk", "Tomsk", "Kemerovo"])]
    markers = [geo.marker_box(label.x, label.y, 5) for label in labels]
    spots = geo.place_labels(labels, markers, 400, 300, "test map")
    boxes = [geo.Box(spots[l.key].left, spots[l.key].middle - l.height / 2, spots[l.key].left + l.width, spots[l.key].middle + l.height / 2) for l in labels]
    for i, box in enumerate(boxes):
        assert box.inside(geo.Box(0, 0, 400, 300))
        assert not any(box.overlaps(m) for m in markers)
        assert not any(box.overlaps(other) for other in boxes[i + 1 :])


def test_a_label_with_no_room_stops_the_build_naming_it():
    crowded = [geo.Label("a", "Novokuznetsk", 20, 10, 13, 5), geo.Label("b", "Prokopyevsk", 22, 12, 13, 5)]
    with pytest.raises(ChartError, match="small map.*no room for the label 'Prokopyevsk'"):
        geo.place_labels(crowded, [], 120, 24, "small map")


def test_an_optional_label_with_no_room_is_left_out():
    crowded = [geo.Label("a", "Novokuznetsk", 20, 10, 13, 5), geo.Label("b", "CHINA", 22, 12, 11, optional=True)]
    assert set(geo.place_labels(crowded, [], 120, 24, "small map")) == {"a"}


def test_text_width_is_close_to_arial():
    # Widths Chromium measured for Liberation Sans (Arial's metric twin): the estimate may err
    # wide, never narrow by more than a pixel or two, or a label could touch its neighbour.
    for text, size, bold, measured in [("Novokuznetsk", 13, True, 88.1), ("Leningrad region", 12, False, 90.1), ("NORTH KOREA", 11, False, 80.5), ("Kaluga region", 12, False, 74.1)]:
        assert measured - 2 <= geo.text_width(text, size, bold) <= measured * 1.1, text


def test_distance_is_the_great_circle_distance():
    # Moscow to Saint Petersburg (GeoNames positions): about 634 km on the great circle.
    assert geo.distance_km((37.6178, 55.7520), (30.3141, 59.9386)) == pytest.approx(634, abs=3)


def test_scale_bar_is_as_long_as_it_says(projection):
    bar = geo.scale_bar(projection)
    assert bar.kilometres in geo.ROUND_KM and bar.text.endswith(" km")
    # Measured along the bar, its ends are the stated distance apart, within a per cent.
    assert geo.distance_km(bar.start, bar.end) == pytest.approx(bar.kilometres, rel=0.01)
    (x0, _), (x1, _) = projection(*bar.start), projection(*bar.end)
    assert 0 < x1 - x0 <= 0.22 * projection.width + 0.5
    assert bar.box.inside(geo.Box(0, 0, projection.width, projection.height))
