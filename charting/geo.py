"""Geography for maps: Natural Earth land and borders cut to a map's frame, a projection whose
every pixel the build knows, and place labels set so that none overlaps another.

The land comes from the npm package ``world-atlas`` (Natural Earth 4.1.0 as TopoJSON), installed
with the site's other JavaScript packages; nothing is fetched at build time. Its arcs are
simplified once, so neighbouring countries keep a shared edge, then cut to the frame and rounded,
which keeps the inline SVG small.

The projection is d3's conic equal-area (the one Vega draws), with its scale and translation
worked out here rather than by Vega's ``fit``: the build then knows where each place lands on
the artboard, and can set labels beside their markers before vl-convert draws them.
"""
from __future__ import annotations

import functools
import json
import math
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
import shapely
import shapely.geometry
import shapely.ops
from shapely.geometry import LineString, MultiLineString, Polygon, mapping

from charting.theme import is_wide
from dataset.errors import ChartError, Problem

WORLD_ATLAS = Path(__file__).resolve().parent.parent / "node_modules" / "world-atlas"
#: Natural Earth scales the package ships: 1:110m, 1:50m and 1:10m.
RESOLUTIONS = ("110m", "50m", "10m")


@dataclass(frozen=True)
class Extent:
    """A box of longitude and latitude, in degrees."""

    west: float
    south: float
    east: float
    north: float

    def contains(self, lon: float, lat: float) -> bool:
        return self.west <= lon <= self.east and self.south <= lat <= self.north

    def ring(self, steps: int = 16) -> list[tuple[float, float]]:
        """The box's edge, closed, with points along it so it bends as the projection bends."""
        w, s, e, n = self.west, self.south, self.east, self.north
        along = [i / steps for i in range(steps)]
        return (
            [(w + (e - w) * t, s) for t in along]
            + [(e, s + (n - s) * t) for t in along]
            + [(e - (e - w) * t, n) for t in along]
            + [(w, n - (n - s) * t) for t in along]
            + [(w, s)]
        )


@dataclass(frozen=True)
class Projection:
    """d3's ``geoConicEqualArea`` with an explicit rotation, centre, scale and translation."""

    lon0: float
    parallels: tuple[float, float]
    scale: float
    translate: tuple[float, float]
    width: int
    height: int

    @functools.cached_property
    def _constants(self) -> tuple[float, float, float]:
        sy0 = math.sin(math.radians(self.parallels[0]))
        n = (sy0 + math.sin(math.radians(self.parallels[1]))) / 2
        c = 1 + sy0 * (2 * n - sy0)
        return n, c, math.sqrt(c) / n

    def raw(self, lon: float, lat: float) -> tuple[float, float]:
        n, c, r0 = self._constants
        lam = math.radians(((lon - self.lon0 + 180) % 360) - 180)
        r = math.sqrt(c - 2 * n * math.sin(math.radians(lat))) / n
        return r * math.sin(lam * n), r0 - r * math.cos(lam * n)

    def __call__(self, lon: float, lat: float) -> tuple[float, float]:
        """Pixels on the artboard, from the top left, as Vega will draw the point."""
        x, y = self.raw(lon, lat)
        return self.translate[0] + self.scale * x, self.translate[1] - self.scale * y

    def invert(self, px: float, py: float) -> tuple[float, float]:
        n, c, r0 = self._constants
        x, y = (px - self.translate[0]) / self.scale, (self.translate[1] - py) / self.scale
        r0y = r0 - y
        lam = math.atan2(x, abs(r0y)) * math.copysign(1, r0y)
        if r0y * n < 0:
            lam -= math.pi * math.copysign(1, x) * math.copysign(1, r0y)
        lat = math.asin(max(-1.0, min(1.0, (c - (x * x + r0y * r0y) * n * n) / (2 * n))))
        return math.degrees(lam / n) + self.lon0, math.degrees(lat)

    def vega(self) -> dict:
        """The Vega-Lite projection that draws exactly this one, cut at the artboard's edge."""
        return {
            "type": "conicEqualArea",
            "parallels": list(self.parallels),
            "rotate": [-self.lon0, 0, 0],
            "center": [0, 0],
            "scale": self.scale,
            "translate": list(self.translate),
            "clipExtent": [[0, 0], [self.width, self.height]],
        }

    def forward(self, coords: np.ndarray) -> np.ndarray:
        """:meth:`__call__` for an array of (longitude, latitude) rows."""
        n, c, r0 = self._constants
        lam = np.radians((coords[:, 0] - self.lon0 + 180) % 360 - 180) * n
        r = np.sqrt(c - 2 * n * np.sin(np.radians(coords[:, 1]))) / n
        return np.column_stack((self.translate[0] + self.scale * r * np.sin(lam), self.translate[1] - self.scale * (r0 - r * np.cos(lam))))

    def backward(self, pixels: np.ndarray) -> np.ndarray:
        """:meth:`invert` for an array of (x, y) rows."""
        n, c, r0 = self._constants
        x = (pixels[:, 0] - self.translate[0]) / self.scale
        r0y = r0 - (self.translate[1] - pixels[:, 1]) / self.scale
        lam = np.arctan2(x, np.abs(r0y)) * np.sign(r0y)
        lam = np.where(r0y * n < 0, lam - np.pi * np.sign(x) * np.sign(r0y), lam)
        lat = np.arcsin(np.clip((c - (x * x + r0y * r0y) * n * n) / (2 * n), -1, 1))
        return np.column_stack((np.degrees(lam / n) + self.lon0, np.degrees(lat)))

    def reaches(self, margin: float) -> Extent:
        """The longitudes and latitudes the artboard (and ``margin`` pixels around it) can show;
        all longitudes, up to the pole, when the pole is on it."""
        w, h, m = self.width, self.height, margin
        edge = np.array([(x, y) for t in np.linspace(0, 1, 41) for x, y in ((-m + (w + 2 * m) * t, -m), (-m + (w + 2 * m) * t, h + m), (-m, -m + (h + 2 * m) * t), (w + m, -m + (h + 2 * m) * t))])
        seen = self.backward(edge)
        px, py = self(self.lon0, 90.0)
        if -m <= px <= w + m and -m <= py <= h + m:
            return Extent(-180.0, float(seen[:, 1].min()), 180.0, 90.0)
        return Extent(float(seen[:, 0].min()), float(seen[:, 1].min()), float(seen[:, 0].max()), float(seen[:, 1].max()))


def fit(points, width: int, height: int, parallels: tuple[float, float], padding: float = 6) -> Projection:
    """The projection that shows every (longitude, latitude) of ``points`` as large as the
    artboard allows, centred, ``padding`` pixels in from its edge. Pass an extent's
    :meth:`Extent.ring` to show a whole box of degrees."""
    points = list(points)
    lons = [lon for lon, _ in points]
    lon0 = (min(lons) + max(lons)) / 2
    unit = Projection(lon0, parallels, 1.0, (0.0, 0.0), width, height)
    xs, ys = zip(*(unit.raw(lon, lat) for lon, lat in points))
    scale = min((width - 2 * padding) / (max(xs) - min(xs)), (height - 2 * padding) / (max(ys) - min(ys)))
    translate = (width / 2 - scale * (min(xs) + max(xs)) / 2, height / 2 + scale * (min(ys) + max(ys)) / 2)
    return Projection(lon0, parallels, round(scale, 3), (round(translate[0], 3), round(translate[1], 3)), width, height)


# --- Land and borders ---------------------------------------------------------------------------


@functools.cache
def _topology(resolution: str) -> dict:
    path = WORLD_ATLAS / f"countries-{resolution}.json"
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ChartError(Problem(str(path), "not found; run script/bootstrap to install the JavaScript packages (world-atlas)")) from None


@functools.cache
def _arcs(resolution: str, tolerance: float) -> tuple[tuple[tuple[float, float], ...], ...]:
    """Every arc of the topology in degrees, each simplified once (its ends kept)."""
    topology = _topology(resolution)
    (sx, sy), (tx, ty) = topology["transform"]["scale"], topology["transform"]["translate"]
    decoded = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x, y = x + dx, y + dy
            points.append((x * sx + tx, y * sy + ty))
        if tolerance and len(points) > 2:
            points = list(LineString(points).simplify(tolerance, preserve_topology=False).coords)
        decoded.append(tuple(points))
    return tuple(decoded)


def _ring(indexes: list[int], arcs) -> list[tuple[float, float]]:
    points: list[tuple[float, float]] = []
    for index in indexes:
        arc = arcs[index] if index >= 0 else tuple(reversed(arcs[~index]))
        points.extend(arc if not points else arc[1:])
    return points


def _polygons(geometry: dict, arcs) -> list[Polygon]:
    parts = geometry["arcs"] if geometry["type"] == "MultiPolygon" else [geometry["arcs"]] if geometry["type"] == "Polygon" else []
    shapes = []
    for part in parts:
        rings = [r for r in (_ring(indexes, arcs) for indexes in part) if len(r) >= 4]
        if rings:
            shapes.append(shapely.make_valid(Polygon(rings[0], rings[1:])))
    return shapes


def _rounded(geometry, digits: int):
    return shapely.set_precision(geometry, 10**-digits, mode="pointwise")


#: The smallest piece of land drawn, in square pixels.
SMALLEST_ISLAND = 3.0


def land(projection: Projection, *, resolution: str, tolerance: float, digits: int, story: tuple[str, ...], margin: float = 12) -> list[dict]:
    """GeoJSON features of the countries the artboard shows and of the borders between them,
    cut at ``margin`` pixels beyond its edge.

    The cut is made on the artboard, in pixels, and the result turned back into degrees: on a
    conic map a box of degrees would either leave the frame's corners empty or take in half a
    continent. Each country feature has ``properties.layer`` ``"land"`` and ``properties.story``
    true for the countries the story is about (by Natural Earth name); the borders are one
    feature with ``properties.layer`` ``"border"``, and the border between two story countries
    another, ``"story-border"``.
    """
    topology = _topology(resolution)
    arcs = _arcs(resolution, tolerance)
    bounds = _arc_bounds(resolution, tolerance)
    shown = projection.reaches(margin)
    frame = (-margin, -margin, projection.width + margin, projection.height + margin)

    def cut(shape, smallest: float = 0.0):
        on_board = shapely.clip_by_rect(shapely.transform(shape, projection.forward), *frame)
        if smallest:  # islands under a few square pixels are noise on the map and weight in the SVG
            kept = [p for p in shapely.get_parts(_polygonal(on_board)) if p.area >= smallest]
            on_board = shapely.MultiPolygon(kept) if kept else shapely.Polygon()
        return _rounded(shapely.transform(on_board, projection.backward), digits)

    features, owners = [], {}
    for geometry in topology["objects"]["countries"]["geometries"]:
        indexes = [i if i >= 0 else ~i for i in _arc_indexes(geometry)]
        if not indexes or not _meets(shown, [bounds[i] for i in indexes]):
            continue  # wholly beyond what the artboard shows
        name = geometry.get("properties", {}).get("name", "")
        for index in indexes:
            owners.setdefault(index, set()).add(name)
        shapes = _polygons(geometry, arcs)
        if not shapes:
            continue
        shape = _polygonal(cut(shapely.GeometryCollection(shapes), smallest=SMALLEST_ISLAND))
        # d3-geo, which Vega draws with, reads a clockwise outer ring as the inside of a shape.
        shape = shapely.orient_polygons(shape, exterior_cw=True)
        if shape.is_empty or shape.area == 0:
            continue
        features.append({"type": "Feature", "properties": {"layer": "land", "name": name, "story": name in story}, "geometry": mapping(shape)})
    shared = [index for index, names in sorted(owners.items()) if len(names) > 1 and len(arcs[index]) > 1]
    # The border between the story's countries is drawn apart from the rest, so it can be seen.
    between = {index for index in shared if owners[index] == set(story) and len(story) == 2}
    for layer, indexes in (("border", [i for i in shared if i not in between]), ("story-border", sorted(between))):
        lines = cut(MultiLineString([LineString(arcs[i]) for i in indexes])) if indexes else None
        if lines is not None and not lines.is_empty:
            features.append({"type": "Feature", "properties": {"layer": layer, "name": "", "story": False}, "geometry": mapping(lines)})
    return [_plain(feature) for feature in features]


def _polygonal(geometry):
    """The polygons of a geometry, as one (multi)polygon: a cut may leave slivers of line."""
    parts = [part for part in shapely.get_parts(geometry) if part.geom_type in ("Polygon", "MultiPolygon")]
    polygons = [p for part in parts for p in shapely.get_parts(part)]
    return shapely.MultiPolygon(polygons) if len(polygons) > 1 else polygons[0] if polygons else shapely.Polygon()


def _arc_indexes(geometry: dict) -> list[int]:
    parts = geometry.get("arcs", [])
    rings = [ring for part in parts for ring in part] if geometry.get("type") == "MultiPolygon" else parts
    return [index for ring in rings for index in ring]


@functools.cache
def _arc_bounds(resolution: str, tolerance: float) -> tuple[Extent, ...]:
    """Each arc's box of degrees."""
    return tuple(Extent(min(p[0] for p in arc), min(p[1] for p in arc), max(p[0] for p in arc), max(p[1] for p in arc)) for arc in _arcs(resolution, tolerance))


def _meets(shown: Extent, boxes: list[Extent]) -> bool:
    west, east = min(b.west for b in boxes), max(b.east for b in boxes)
    south, north = min(b.south for b in boxes), max(b.north for b in boxes)
    return west <= shown.east and east >= shown.west and south <= shown.north and north >= shown.south


def _plain(value):
    """Tuples as lists, so the features are JSON as Vega reads it."""
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value


def inside_point(feature: dict, projection: Projection) -> tuple[float, float] | None:
    """The point of the feature's largest visible part furthest from its edges, in pixels: where
    a country's name sits best. None when no part of it is on the artboard."""
    shape = shapely.geometry.shape(feature["geometry"])
    on_board = shapely.clip_by_rect(shapely.transform(shape, projection.forward), 0, 0, projection.width, projection.height)
    parts = [p for p in shapely.get_parts(_polygonal(on_board)) if not p.is_empty]
    if not parts:
        return None
    largest = max(parts, key=lambda p: p.area)
    point = shapely.ops.polylabel(largest, tolerance=2.0)
    return point.x, point.y


def outline(extent: Extent) -> dict:
    """A GeoJSON polygon of the extent's edge (an inset's frame on the larger map)."""
    ring = [[round(lon, 3), round(lat, 3)] for lon, lat in extent.ring()]
    # Vega (d3-geo) takes a polygon's outer ring clockwise; the ring above runs anticlockwise.
    return {"type": "Feature", "properties": {}, "geometry": {"type": "Polygon", "coordinates": [ring[::-1]]}}


# --- Labels ------------------------------------------------------------------------------------

#: The gap kept clear around every label, in pixels.
GAP = 2.0
#: Line spacing of a label of more than one line, as a multiple of its font size.
LINE_HEIGHT = 1.2
#: How far from its marker a label may sit: beside it, a little off, and further off on a leader
#: line (pixels beyond the marker's edge).
RINGS = (4, 12)
LEADER_RING = 26


@functools.lru_cache(maxsize=4096)
def text_width(text: str, size: float, bold: bool = False) -> float:
    """About how wide Arial sets ``text`` (the widest line), in pixels, erring a little wide:
    capitals take about seven tenths of the font size, narrow letters and spaces under a third,
    the rest a half; a Korean syllable (Noto Sans CJK, the font's fallback for Hangul) nearly
    the whole size, and Cyrillic small letters, which have no narrow ones, a little over half."""
    def line_width(line: str) -> float:
        return sum(_char_width(c) for c in line) * size
    return max(line_width(line) for line in text.split("\n")) * (1.07 if bold else 1.0) * 1.03


def _char_width(c: str) -> float:
    """A character's width as a share of the font size (see :func:`text_width`)."""
    if c.isupper():
        return 0.7
    if c in " .,:;'ilIjft()":
        return 0.28
    if is_wide(c):
        return 0.95
    if "\u0430" <= c <= "\u045f":  # Cyrillic small letters
        return 0.56
    return 0.53


@dataclass(frozen=True)
class Box:
    left: float
    top: float
    right: float
    bottom: float

    def overlaps(self, other: Box) -> bool:
        return self.left < other.right and other.left < self.right and self.top < other.bottom and other.top < self.bottom

    def inside(self, other: Box) -> bool:
        return self.left >= other.left and self.right <= other.right and self.top >= other.top and self.bottom <= other.bottom

    def grown(self, by: float) -> Box:
        return Box(self.left - by, self.top - by, self.right + by, self.bottom + by)


@dataclass(frozen=True)
class Label:
    """A label to set: its text and size, the point it names, and the room its marker takes."""

    key: str
    text: str
    x: float
    y: float
    size: float
    marker: float = 0.0  # the marker's radius; 0 for a lettered area, set over its point
    bold: bool = False
    #: Context (a country's name) that is left out, rather than stopping the build, if no room is free.
    optional: bool = False

    @property
    def width(self) -> float:
        return text_width(self.text, self.size, self.bold)

    @property
    def height(self) -> float:
        return self.text.count("\n") * self.size * LINE_HEIGHT + self.size * 1.15


@dataclass(frozen=True)
class Placement:
    """Where a label went: its left edge and middle, and whether a leader line joins it to its point."""

    left: float
    middle: float
    leader: bool = False
    #: The label as set there: the one asked for, or it broken onto two lines (see :func:`place_labels`).
    label: Label | None = None

    def leader_end(self, label: Label) -> tuple[float, float]:
        """The point of the label's box nearest its marker, where a leader line stops."""
        top, bottom = self.middle - label.height / 2, self.middle + label.height / 2
        return min(max(label.x, self.left), self.left + label.width), min(max(label.y, top), bottom)


def _candidates(label: Label) -> list[Placement]:
    """Where the label may go, best first: beside its marker (right, left, above, below, then
    the diagonals), a little further off, then further still on a leader line."""
    w, h, m = label.width, label.height, label.marker
    if not m:
        # An area's name may slide around its centre, nearest spots first.
        shifts = [(dx * w / 3, dy * h / 2) for dy in range(-6, 7) for dx in range(-3, 4)]
        return [Placement(label.x - w / 2 + dx, label.y + dy) for dx, dy in sorted(shifts, key=lambda s: math.hypot(*s))]
    near = [Placement(left, middle) for ring in RINGS for left, middle in _around(label, m + ring)]
    return near + [Placement(left, middle, leader=True) for left, middle in _around(label, m + LEADER_RING)]


def _around(label: Label, d: float) -> list[tuple[float, float]]:
    w, h = label.width, label.height
    return [
        (label.x + d, label.y),
        (label.x - d - w, label.y),
        (label.x + d, label.y - h / 3),
        (label.x + d, label.y + h / 3),
        (label.x - d - w, label.y - h / 3),
        (label.x - d - w, label.y + h / 3),
        (label.x - w / 2, label.y - d - h / 2),
        (label.x - w / 2, label.y + d + h / 2),
        (label.x + d * 0.7, label.y - d * 0.7 - h / 2),
        (label.x + d * 0.7, label.y + d * 0.7 + h / 2),
        (label.x - d * 0.7 - w, label.y - d * 0.7 - h / 2),
        (label.x - d * 0.7 - w, label.y + d * 0.7 + h / 2),
    ]


def place_labels(labels: list[Label], obstacles: list[Box], width: float, height: float, where: str) -> dict[str, Placement]:
    """Where each label goes, in pixels, clear of the others, of every marker, line and leader
    and of the artboard's edge; labels earlier in the list choose first. A label of one line
    with no room is tried again broken onto two (a translation may be longer than the English);
    each placement holds the label as set. Raises ChartError naming the label when no place is
    free, so a crowded map stops the build rather than overlapping; an optional label is left
    out instead.
    """
    frame = Box(0, 0, width, height)
    taken = [o.grown(GAP) for o in obstacles]
    placed: dict[str, Placement] = {}
    for label in labels:
        tries = [label]
        if " " in label.text and "\n" not in label.text:
            tries.append(replace(label, text=two_lines(label.text)))
        for version in tries:
            spot = _place(version, frame, taken)
            if spot is not None:
                placed[label.key] = spot
                break
        else:
            if not label.optional:
                raise ChartError(Problem(where, f"no room for the label {label.text!r}: every place near its marker is taken or off the map; shorten it or change the map's extent"))
    return placed


def _place(label: Label, frame: Box, taken: list[Box]) -> Placement | None:
    """The first free place for the label, which it then takes (added to ``taken``)."""
    for spot in _candidates(label):
        box = Box(spot.left, spot.middle - label.height / 2, spot.left + label.width, spot.middle + label.height / 2)
        if not box.inside(frame) or any(box.overlaps(t) for t in taken):
            continue
        leader = _leader_boxes(label, spot) if spot.leader else []
        if any(b.overlaps(t) for b in leader for t in taken):
            continue
        taken += [box.grown(GAP), *leader]
        return replace(spot, label=label)
    return None


def two_lines(text: str) -> str:
    """Text broken at the space that leaves its longer line shortest (as :func:`text_width` measures)."""
    spaces = [i for i, char in enumerate(text) if char == " "]
    if not spaces:
        return text
    best = min(spaces, key=lambda i: (max(text_width(text[:i], 1), text_width(text[i + 1 :], 1)), i))
    return text[:best] + "\n" + text[best + 1 :]


def _leader_boxes(label: Label, spot: Placement) -> list[Box]:
    """Small boxes along a leader line, from the marker's edge to the label."""
    (x1, y1), length = spot.leader_end(label), 0.0
    length = math.hypot(x1 - label.x, y1 - label.y) or 1.0
    start = label.marker + 1
    steps = max(int((length - start) / 3), 1)
    points = [(label.x + (x1 - label.x) * (start + (length - start) * t / steps) / length, label.y + (y1 - label.y) * (start + (length - start) * t / steps) / length) for t in range(steps)]
    return [Box(x - 1, y - 1, x + 1, y + 1) for x, y in points]


def marker_box(x: float, y: float, radius: float) -> Box:
    return Box(x - radius, y - radius, x + radius, y + radius)


# --- Scale --------------------------------------------------------------------------------------

EARTH_RADIUS_KM = 6371.0088
#: Lengths a scale bar may show, in kilometres.
ROUND_KM = (1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000)


def distance_km(start: tuple[float, float], end: tuple[float, float]) -> float:
    """Great-circle distance between two (longitude, latitude) points (haversine, mean radius)."""
    (lon1, lat1), (lon2, lat2) = (tuple(math.radians(v) for v in p) for p in (start, end))
    a = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(a))


@dataclass(frozen=True)
class ScaleBar:
    """A bar of a round number of kilometres in the artboard's bottom-right corner."""

    kilometres: int
    start: tuple[float, float]  # its ends, in degrees
    end: tuple[float, float]
    box: Box  # the room it and its label take, in pixels
    #: Its label: "500 km", or as the map's edition writes it.
    text: str = ""


def kilometres_text(kilometres: int) -> str:
    """A scale bar's label as English writes it: 1,000 km."""
    return f"{kilometres:,} km"


def scale_bar(projection: Projection, share: float = 0.22, inset: float = 10, label_size: float = 11, words: Callable[[int], str] = kilometres_text) -> ScaleBar:
    """The longest round length that fits in ``share`` of the artboard's width, measured along
    the bar itself (an equal-area projection keeps areas, not lengths, so the scale is read
    where the bar is drawn). ``words`` writes its label from the kilometres, in the map's
    language."""
    right, y = projection.width - inset, projection.height - inset
    probe = 100.0
    per_pixel = distance_km(projection.invert(right - probe, y), projection.invert(right, y)) / probe
    fits = [km for km in ROUND_KM if km / per_pixel <= share * projection.width]
    kilometres = fits[-1] if fits else ROUND_KM[0]
    length = kilometres / per_pixel
    text = words(kilometres)
    box = Box(right - max(length, text_width(text, label_size)), y - label_size * 1.4 - 3, right, y + 3)
    return ScaleBar(kilometres, projection.invert(right - length, y), projection.invert(right, y), box, text)
