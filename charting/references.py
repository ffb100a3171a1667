"""References from prose to data: ``{{fig <figure_id>}}``, ``{{date <event_id>}}``,
``{{source <source_id>}}``, ``{{place <place_id>}}``, ``{{chart <chart_id>}}`` and ``{{table <name>}}``.

``{{fig id}}`` writes the value with its unit and bound ("about $6.5 million");
``{{fig id:bare}}`` leaves out the bound word; ``{{fig id:period}}`` writes the period the
figure covers; ``{{fig id:printed}}`` the words the source printed for it; ``{{fig id:status}}``
its evidence status. ``{{date id}}`` writes an event's date at its own precision, flagged when
approximate or inferred; ``{{date id:year}}`` the year alone, unflagged, for a sentence that
says itself how the year is known; ``{{date id:status}}`` its evidence status.
``{{source id}}`` writes how a source is cited, ``{{source id:date}}`` the date it printed.
``{{place id}}`` writes a place's name, linked to the map of places and routes.
``{{contact editors}}`` writes how to reach the editors, from the site's settings (the Pelican
plugin draws it; it is not data, so it can stand only in a page's text).
Pages, their metadata and chart furniture use the same references, so text and charts cannot
disagree, and no date or figure is typed by hand.

Every ``{{`` is a reference or a mistake: one that names nothing, has no id, an empty form
or no closing ``}}`` on its line is an error, never text that reaches a reader.
"""
from __future__ import annotations

import re
from collections.abc import Iterator

from charting import formatting

OPEN, CLOSE = "{{", "}}"
KINDS = ("fig", "date", "source", "place", "chart", "table", "contact")
#: Kinds that stand for a few words inside a sentence; charts and tables are blocks of their own.
INLINE_KINDS = ("fig", "date", "source", "place", "contact")
VARIANTS = {
    "fig": {None, "bare", "period", "printed", "status", "year"},
    "date": {None, "year", "status"},
    "source": {None, "date"},
    "place": {None},
    "chart": {None},
    "table": {None},
    "contact": {None},
}
#: Forms that write an evidence status (a badge in a page), not a value or a date.
STATUS_FORM = "status"
_REFERENCE = re.compile(r"^\s*([A-Za-z_]\w*)(?:\s+(.*?))?\s*$", re.DOTALL)
_ID = re.compile(r"^([A-Za-z0-9_]+)(?::(.*))?$", re.DOTALL)
#: The common forms, named in error messages; ``{{source <source_id>}}`` is documented in the README.
SYNTAX = "{{fig <figure_id>}}, {{date <event_id>}}, {{chart <chart_id>}} or {{table <name>}}"


class UnknownReference(LookupError):
    def __init__(self, message: str, column: int | None = None):
        super().__init__(message)
        self.column = column


def tokens(text: str) -> Iterator[tuple[int, int, str]]:
    """Each ``{{`` in ``text`` with what it encloses up to the next ``}}`` on the same line:
    ``(start, end, raw)``. An opening with no closing on its line is ``{{`` alone."""
    position = 0
    while (start := text.find(OPEN, position)) >= 0:
        close = text.find(CLOSE, start + len(OPEN))
        newline = text.find("\n", start)
        end = close + len(CLOSE) if close >= 0 and (newline < 0 or close < newline) else start + len(OPEN)
        yield start, end, text[start:end]
        position = end


def parse(raw: str) -> tuple[str, str, str | None]:
    """``(kind, id, variant)`` of one token from :func:`tokens`; UnknownReference if it is not one."""
    if not raw.endswith(CLOSE) or len(raw) < len(OPEN) + len(CLOSE):
        raise UnknownReference(f"'{{{{' opens a reference that is not closed on the same line; write {SYNTAX}")
    inner = raw[len(OPEN) : -len(CLOSE)]
    if not inner.strip():
        raise UnknownReference(f"{raw!r} is an empty reference; write {SYNTAX}")
    match = _REFERENCE.match(inner)
    if not match or match.group(1) not in KINDS:
        word = match.group(1) if match else inner.strip()
        raise UnknownReference(f"{raw!r} is not a reference: unknown kind {word!r}; write {SYNTAX}")
    kind, rest = match.groups()
    if not rest:
        noun = {"fig": "figure", "date": "event", "source": "source", "place": "place", "chart": "chart", "table": "table", "contact": "contact"}[kind]
        raise UnknownReference(f"{raw!r} names no {noun}; write {{{{{kind} <{'name' if kind in ('table', 'contact') else noun + '_id'}>}}}}")
    parts = _ID.match(rest)
    if not parts:
        raise UnknownReference(f"{raw!r} is not a reference: {rest!r} is not an id (letters, digits and _ only)")
    ref_id, variant = parts.groups()
    if variant is not None and variant not in VARIANTS[kind]:
        allowed = ", ".join(sorted(v for v in VARIANTS[kind] if v))
        if not variant:
            raise UnknownReference(f"{raw!r} has nothing after ':'; " + (f"use one of {allowed}, or no ':'" if allowed else "remove the ':'"))
        raise UnknownReference(f"unknown form ':{variant}' for {kind} {ref_id!r}; " + (f"use one of {allowed}" if allowed else f"a {kind} reference takes no form"))
    return kind, ref_id, variant


def resolve(kind: str, ref_id: str, variant: str | None, data) -> str:
    """The plain text a reference stands for; raise UnknownReference if it names nothing."""
    if variant not in VARIANTS[kind]:
        allowed = ", ".join(sorted(v for v in VARIANTS[kind] if v))
        raise UnknownReference(f"unknown form ':{variant}' for {kind} {ref_id!r}" + (f"; use one of {allowed}" if allowed else ""))
    if kind not in INLINE_KINDS or kind == "contact":
        raise UnknownReference(f"a {kind} cannot be placed here; only {{{{fig ...}}}}, {{{{date ...}}}}, {{{{source ...}}}} and {{{{place ...}}}} can")
    if kind == "fig":
        if ref_id not in data.figures.index:
            raise UnknownReference(f"unknown figure {ref_id!r}; figure ids are in data/figures.csv")
        row = data.figure(ref_id)
        if variant == "period":
            return formatting.period_text(row, data)
        if variant == "printed":
            if not row["as_printed"]:
                raise UnknownReference(f"figure {ref_id!r} has no printed words (it is {row['status']}); quote it with {{{{fig {ref_id}}}}}")
            return row["as_printed"]
        if variant == STATUS_FORM:
            return data.evidence[row["status"]].label
        if variant == "year":
            if not row["period"]:
                raise UnknownReference(f"figure {ref_id!r} is undated, so it has no year")
            return formatting.year_text(row["period"], data)
        return formatting.value_text(row, data, bound=variant is None)
    if kind == "place":
        if ref_id not in data.places.index:
            raise UnknownReference(f"unknown place {ref_id!r}; place ids are in data/places.csv")
        return data.places.at[ref_id, "name"]
    if kind == "source":
        if ref_id not in data.sources:
            raise UnknownReference(f"unknown source {ref_id!r}; source ids are under sources in data/datapackage.yaml")
        source = data.sources[ref_id]
        if variant == "date":
            return formatting.date_text(source.date_printed, "as_printed" if source.date_printed else "undated", data)
        return formatting.citation(source, data)
    if ref_id not in data.events.index:
        raise UnknownReference(f"unknown event {ref_id!r}; event ids are in data/events.csv")
    event = data.event(ref_id)
    if variant == STATUS_FORM:
        return data.evidence[event["status"]].label
    if variant == "year":
        if not event["date"]:
            raise UnknownReference(f"event {ref_id!r} is undated, so it has no year")
        return formatting.year_text(event["date"], data)
    return formatting.date_text(event["date"], event["date_qualifier"], data, event["date_as_printed"])


def substitute(text: str, render) -> str:
    """Replace every reference with ``render(kind, id, variant)``; any ``{{`` that is not a
    reference is an error. Errors carry the column (counted within the line)."""
    out, position = [], 0
    for start, end, raw in tokens(text):
        column = start - (text.rfind("\n", 0, start) + 1) + 1
        try:
            kind, ref_id, variant = parse(raw)
            rendered = render(kind, ref_id, variant)
        except UnknownReference as exc:
            raise UnknownReference(str(exc), column=column) from None
        out += [text[position:start], rendered]
        position = end
    return "".join(out) + text[position:]


def expand(text: str, data) -> str:
    """Replace every reference in plain text (chart furniture, page metadata)."""
    return substitute(text, lambda kind, ref_id, variant: resolve(kind, ref_id, variant, data))
