"""References from prose to data: ``{{fig <figure_id>}}`` and ``{{date <event_id>}}``.

``{{fig id}}`` writes the value with its unit and bound ("about $6.5 million");
``{{fig id:bare}}`` leaves out the bound word; ``{{fig id:period}}`` writes the period the
figure covers. ``{{date id}}`` writes an event's date at its own precision. Pages and chart
furniture use the same references, so text and charts cannot disagree.
"""
from __future__ import annotations

import re

from charts import formatting

PATTERN = re.compile(r"\{\{\s*(fig|date)\s+([A-Za-z0-9_]+)(?::([a-z]+))?\s*\}\}")
VARIANTS = {"fig": {None, "bare", "period"}, "date": {None}}


class UnknownReference(LookupError):
    def __init__(self, message: str, column: int | None = None):
        super().__init__(message)
        self.column = column


def resolve(kind: str, ref_id: str, variant: str | None, data) -> str:
    """The plain text a reference stands for; raise UnknownReference if it names nothing."""
    if variant not in VARIANTS[kind]:
        allowed = ", ".join(sorted(v for v in VARIANTS[kind] if v))
        raise UnknownReference(f"unknown form ':{variant}' for {kind} {ref_id!r}" + (f"; use one of {allowed}" if allowed else ""))
    if kind == "fig":
        if ref_id not in data.figures.index:
            raise UnknownReference(f"unknown figure {ref_id!r}; figure ids are in data/figures.csv")
        row = data.figure(ref_id)
        if variant == "period":
            return formatting.period_text(row)
        return formatting.value_text(row, data.units, bound=variant is None)
    if ref_id not in data.events.index:
        raise UnknownReference(f"unknown event {ref_id!r}; event ids are in data/events.csv")
    event = data.event(ref_id)
    return formatting.date_text(event["date"], event["date_qualifier"], event["date_as_printed"])


def substitute(text: str, render) -> str:
    """Replace every reference with ``render(kind, id, variant)``; errors carry the column."""

    def replace(match: re.Match) -> str:
        try:
            return render(*match.groups())
        except UnknownReference as exc:
            raise UnknownReference(str(exc), column=match.start() + 1) from None

    return PATTERN.sub(replace, text)


def expand(text: str, data) -> str:
    """Replace every reference in plain text."""
    return substitute(text, lambda kind, ref_id, variant: resolve(kind, ref_id, variant, data))
