"""Dates at the precision a source gives them: ISO 8601 reduced precision and intervals.

``2024`` is a year, ``2024-06`` a month, ``2024-06-18`` a day and ``2025-01/2025-07`` an
interval between two of those. Nothing here invents a day the source did not give.
"""
from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass

_PART = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


@dataclass(frozen=True)
class PartialDate:
    year: int
    month: int | None = None
    day: int | None = None

    @property
    def precision(self) -> str:
        return "day" if self.day else "month" if self.month else "year"

    def first_day(self) -> dt.date:
        return dt.date(self.year, self.month or 1, self.day or 1)

    def last_day(self) -> dt.date:
        if self.day:
            return self.first_day()
        month = self.month or 12
        return dt.date(self.year, month, calendar.monthrange(self.year, month)[1])

    def label(self) -> str:
        if self.day:
            return f"{self.day} {calendar.month_name[self.month]} {self.year}"
        if self.month:
            return f"{calendar.month_name[self.month]} {self.year}"
        return str(self.year)


@dataclass(frozen=True)
class DateSpan:
    """A single partial date (``end is None``) or an interval of two."""

    start: PartialDate
    end: PartialDate | None = None

    def first_day(self) -> dt.date:
        return self.start.first_day()

    def last_day(self) -> dt.date:
        return (self.end or self.start).last_day()

    def label(self) -> str:
        if self.end is None:
            return self.start.label()
        start, end = self.start, self.end
        if start.precision == end.precision == "month" and start.year == end.year:
            return f"{calendar.month_name[start.month]}–{calendar.month_name[end.month]} {end.year}"
        if start.precision == end.precision == "day" and (start.year, start.month) == (end.year, end.month):
            return f"{start.day}–{end.day} {calendar.month_name[end.month]} {end.year}"
        if start.precision == end.precision == "day" and start.year == end.year:
            return f"{start.day} {calendar.month_name[start.month]} – {end.label()}"
        if start.precision == end.precision == "year":
            return f"{start.year}–{end.year}"
        return f"{start.label()} – {end.label()}"


def parse_partial(text: str) -> PartialDate:
    match = _PART.match(text)
    if not match:
        raise ValueError(f"{text!r} is not an ISO 8601 date (YYYY, YYYY-MM or YYYY-MM-DD)")
    year, month, day = (int(g) if g else None for g in match.groups())
    if month is not None and not 1 <= month <= 12:
        raise ValueError(f"{text!r} has no month {month}")
    if day is not None:
        try:
            dt.date(year, month, day)
        except ValueError:
            raise ValueError(f"{text!r} is not a real date") from None
    return PartialDate(year, month, day)


def parse_span(text: str) -> DateSpan:
    """Parse ``2024``, ``2024-06-18`` or ``2023-08/2024-01``; raise ValueError if malformed."""
    parts = text.split("/")
    if len(parts) > 2:
        raise ValueError(f"{text!r} has more than one '/'")
    start = parse_partial(parts[0])
    end = parse_partial(parts[1]) if len(parts) == 2 else None
    if end is not None and end.last_day() < start.first_day():
        raise ValueError(f"{text!r} ends before it starts")
    return DateSpan(start, end)
