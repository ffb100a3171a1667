"""The evidence key: what each status means and how every mark, swatch and badge draws it.

The statuses, their names, labels, meanings, colours and looks are defined once, under
``evidence_statuses`` in the data package (the ``status`` column of every table takes its
allowed values from there too: see :func:`with_status_enums`); this module turns a look
("outline", "dashed") into
the numbers a renderer needs. Bars, points, ranges and rules, the legends drawn into downloads,
the swatches of the key under each chart and the site's badges all call it, so a status looks
the same everywhere.
"""
from __future__ import annotations

from dataclasses import dataclass

#: The status of values we computed from other rows; the rules for formulas depend on it.
DERIVED = "derived"
#: The column, in every table, that holds a row's evidence status.
STATUS_FIELD = "status"
#: How opaque the inside of a mark is, per look: measured values solid, estimates lighter,
#: allegations and our own calculations an edge with only a faint fill.
FILL_OPACITY = {"solid": 1.0, "tint": 0.45, "outline": 0.12}
#: The edge of a mark, as an SVG dash array.
DASH = {"solid": [], "dashed": [6, 3], "dotted": [2, 2]}
#: Edge width, in pixels, of every mark that shows a status.
EDGE_WIDTH = 1.5


@dataclass(frozen=True)
class Status:
    name: str
    label: str
    meaning: str
    colour: str
    dark_colour: str
    fill: str
    edge: str

    @property
    def fill_opacity(self) -> float:
        return FILL_OPACITY[self.fill]

    @property
    def dash(self) -> list[int]:
        return DASH[self.edge]

    @property
    def look(self) -> str:
        """The look in words, for the method page and the key's tooltips."""
        inside = {"solid": "solid", "tint": "lightly filled", "outline": "an outline"}[self.fill]
        edge = {"solid": "", "dashed": " with a dashed edge", "dotted": " with a dotted edge"}[self.edge]
        return inside + edge


@dataclass(frozen=True)
class EvidenceKey:
    statuses: dict[str, Status]

    def __getitem__(self, name: str) -> Status:
        return self.statuses[name]

    def __iter__(self):
        return iter(self.statuses.values())

    def ordered(self, present) -> list[Status]:
        """The statuses among ``present``, in the key's order."""
        present = set(present)
        return [status for name, status in self.statuses.items() if name in present]

    def labels(self) -> dict[str, str]:
        return {name: status.label for name, status in self.statuses.items()}

    def colour_pairs(self) -> list[tuple[str, str]]:
        return [(status.colour, status.dark_colour) for status in self]


def problems_in(descriptor: dict) -> list[str]:
    """What is missing or wrong in a package's ``evidence_statuses``, in words."""
    entries = descriptor.get("evidence_statuses")
    if not isinstance(entries, dict) or not entries:
        return ["has no 'evidence_statuses' mapping; the evidence key is defined there"]
    found = []
    if DERIVED not in entries:
        found.append(f"evidence status {DERIVED!r} is not defined under 'evidence_statuses'; derived rows need it")
    for name, entry in entries.items():
        if not isinstance(name, str) or not name.isidentifier() or name != name.lower():
            found.append(f"evidence status {name!r}: a status name is one lower-case word")
            continue
        if not isinstance(entry, dict):
            found.append(f"evidence status {name!r} has no label, meaning, colour, fill or edge")
            continue
        for field in ("label", "meaning"):
            if not str(entry.get(field) or "").strip():
                found.append(f"evidence status {name!r} has no {field}")
        colour = entry.get("colour")
        if not (isinstance(colour, list) and len(colour) == 2 and all(isinstance(c, str) and len(c) == 7 and c.startswith("#") for c in colour)):
            found.append(f"evidence status {name!r}: colour must be [light, dark], two #rrggbb values")
        if entry.get("fill") not in FILL_OPACITY:
            found.append(f"evidence status {name!r}: fill {entry.get('fill')!r} is not one of {', '.join(FILL_OPACITY)}")
        if entry.get("edge") not in DASH:
            found.append(f"evidence status {name!r}: edge {entry.get('edge')!r} is not one of {', '.join(DASH)}")
    return found


def with_status_enums(descriptor: dict) -> dict:
    """The descriptor with every ``status`` field limited to the statuses of the key.

    The data package lists the statuses once, under ``evidence_statuses``; the Table Schemas
    leave the allowed values out, and this fills them in before frictionless validates (and
    before the package is published), so a schema cannot drift from the key.
    """
    names = list(descriptor["evidence_statuses"])
    resources = []
    for resource in descriptor.get("resources", []):
        schema = dict(resource.get("schema", {}))
        fields = []
        for field in schema.get("fields", []):
            if field.get("name") == STATUS_FIELD:
                field = {**field, "constraints": {**field.get("constraints", {}), "enum": names}}
            fields.append(field)
        resources.append({**resource, "schema": {**schema, "fields": fields}})
    return {**descriptor, "resources": resources}


def from_descriptor(descriptor: dict) -> EvidenceKey:
    """The key a valid package defines (check :func:`problems_in` first)."""
    entries = descriptor["evidence_statuses"]
    return EvidenceKey(
        {
            name: Status(name, str(entry["label"]), str(entry["meaning"]), entry["colour"][0], entry["colour"][1], entry["fill"], entry["edge"])
            for name, entry in entries.items()
        }
    )
