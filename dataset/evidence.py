"""The evidence key: what each status means and how every mark, swatch and badge draws it.

The statuses, their labels, meanings, colours and looks are defined once, under
``evidence_statuses`` in the data package; this module turns a look ("outline", "dashed") into
the numbers a renderer needs. Bars, points, ranges and rules, the legends drawn into downloads,
the swatches of the key under each chart and the site's badges all call it, so a status looks
the same everywhere.
"""
from __future__ import annotations

from dataclasses import dataclass

#: The statuses every data package must define, in the order keys list them.
STATUSES = ("confirmed", "reported", "estimate", "alleged", "derived")
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
    if not isinstance(entries, dict):
        return ["has no 'evidence_statuses' mapping; the evidence key is defined there"]
    found = []
    for name in STATUSES:
        entry = entries.get(name)
        if not isinstance(entry, dict):
            found.append(f"evidence status {name!r} is not defined under 'evidence_statuses'")
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
    found += [f"evidence status {name!r} is not one the data rows can use ({', '.join(STATUSES)})" for name in entries if name not in STATUSES]
    return found


def from_descriptor(descriptor: dict) -> EvidenceKey:
    """The key a valid package defines (check :func:`problems_in` first)."""
    entries = descriptor["evidence_statuses"]
    return EvidenceKey(
        {
            name: Status(name, str(entries[name]["label"]), str(entries[name]["meaning"]), entries[name]["colour"][0], entries[name]["colour"][1], entries[name]["fill"], entries[name]["edge"])
            for name in STATUSES
        }
    )
