"""How the site writes a figure: its number, unit, bound and date, the same everywhere."""
from __future__ import annotations

import re

import pandas as pd

from dataset.dates import parse_span

BOUND_WORDS = {"exact": "", "approximate": "about ", "upper": "under ", "lower": "over "}


def number(value: float) -> str:
    """A readable number: 26 million, 33,000, 50.8, 1.27."""
    magnitude = abs(value)
    if magnitude >= 1e6:
        return f"{_trim(value / 1e6, 2)} million"
    if magnitude >= 100:
        return f"{value:,.0f}"
    if magnitude >= 10:
        return _trim(value, 1)
    return _trim(value, 2)


def _trim(value: float, decimals: int) -> str:
    text = f"{value:,.{decimals}f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def value_text(row: pd.Series, units: dict, bound: bool = True) -> str:
    """The full form for prose: 'about $6.5 million', 'under $1 million', '540 tonnes'.

    How each unit is written (symbol or words, before or after) comes from the data package.
    """
    value, unit = float(row["value"]), units[row["unit"]]
    prefix = BOUND_WORDS[row["bound"]] if bound else ""
    if unit.prose == "symbol":
        body = _with_symbol(number(value), unit)
    elif unit.prose == "subject":
        body = f"{number(value)} {row['subject'].replace('_', ' ')}"
    else:
        body = f"{number(value)} {unit.label}".rstrip()
    return prefix + body


def short_text(row: pd.Series, units: dict) -> str:
    """The compact form for chart labels: '$6.5m', '<$1m', '540 t'."""
    value, unit = float(row["value"]), units[row["unit"]]
    prefix = {"upper": "<", "lower": ">", "approximate": "~"}.get(row["bound"], "")
    text = f"{_trim(value / 1e6, 2)}m" if unit.short_millions else number(value)
    return prefix + _with_symbol(text, unit)


def _with_symbol(text: str, unit) -> str:
    if not unit.symbol:
        return text
    if unit.symbol_before:
        return unit.symbol + text
    return f"{text}{' ' if unit.spaced else ''}{unit.symbol}"


def date_text(date: str, qualifier: str, as_printed: str = "") -> str:
    """A date at its own precision, flagged when approximate or inferred.

    An approximate date keeps the source's words and adds our reading in brackets; when those
    words carry no year, the year is ours too and the brackets say so:
    "mid-to-late 1990s (about 1994–1999)", "early July (about July 2024, year inferred)".
    """
    if qualifier == "undated" or not date:
        return "undated"
    label = parse_span(date).label()
    if qualifier == "approximate":
        if not as_printed:
            return f"about {label}"
        flag = "" if printed_year(as_printed) else ", year inferred"
        return f"{as_printed} (about {label}{flag})"
    if qualifier in {"year_inferred", "date_inferred"}:
        return f"{label} ({qualifier.split('_')[0]} inferred)"
    return label


def printed_year(words: str) -> bool:
    """Whether a source's words for a date give a year ("2022", "the 1990s"), not only a day or month."""
    return bool(re.search(r"(?<!\d)\d{4}(?!\d)", words))


def year_text(date: str) -> str:
    """The year or years a date falls in, without flags: "2024", "2022–2023"."""
    span = parse_span(date)
    first, last = span.start.year, (span.end or span.start).year
    return str(first) if first == last else f"{first}–{last}"


def period_text(row: pd.Series) -> str:
    return date_text(row["period"], row["period_qualifier"])
