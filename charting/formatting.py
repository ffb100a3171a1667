"""How the site writes a figure: its number, unit, bound and date, the same everywhere, in each
edition's language.

English is written by the rules of the data package's units (``about $6.5 million``, ``540
tonnes``, ``18%``). Every other edition writes numbers and dates by its locale's CLDR rules,
through Babel (``6,5``, ``33 000`` with a no-break space in Russian), counts large numbers as its
press does (Korean in 만 and 억: ``650만``, ``2,600만``, ``1억 2,600만``; Russian in ``млн``),
and takes the words around a number from its catalogue: the unit with its plural forms (``540
тонн``), the bound (``около``, ``미만`` after the number), the order of day, month and year.
Each such pattern is a catalogue string whose English is what this module writes for English,
with ``{number}``, ``{value}`` or ``{date}`` where the figure goes (see :func:`catalogue_strings`).
"""
from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pandas as pd
from babel.dates import format_date
from babel.numbers import format_compact_decimal, format_decimal

from charting.editions import Edition
from dataset.dates import DateSpan, PartialDate, parse_span

BOUND_WORDS = {"exact": "", "approximate": "about ", "upper": "under ", "lower": "over "}
#: Chart labels mark a bound with a sign: ~$6.5m, <$1m.
BOUND_SIGNS = {"exact": "", "approximate": "~", "upper": "<", "lower": ">"}
NBSP = "\u00a0"
SOURCE = Edition("en")

#: Catalogue contexts of the patterns below, so translators see what each one is for.
UNIT_CONTEXT = "unit: {unit}"
SHORT_UNIT_CONTEXT = "unit in a chart label: {unit}"
BOUND_CONTEXT = "bound"
SHORT_BOUND_CONTEXT = "bound in a chart label"
DATE_CONTEXT = "date"
#: Date patterns (CLDR's, for Babel) by precision; their translations order day, month and year.
DATE_PATTERNS = {"day": "d MMMM y", "month": "LLLL y", "year": "y"}
#: Spans, as English writes them; each part is a date pattern's output or a month or day alone.
SPAN_PATTERNS = {
    "months": "{first_month}–{last_month} {year}",
    "days": "{first_day}–{last_day} {month} {year}",
    "days_in_year": "{first_day} {first_month} – {last_day} {last_month} {year}",
    "years": "{first_year}–{last_year}",
    "other": "{first} – {last}",
}
QUALIFIED = {
    "undated": "undated",
    "approximate": "about {date}",
    "printed": "{printed} (about {date})",
    "printed_year_inferred": "{printed} (about {date}, year inferred)",
    "year_inferred": "{date} (year inferred)",
    "date_inferred": "{date} (date inferred)",
}
CITATION = "{source}, {date}"


def edition_of(data) -> Edition:
    return getattr(data, "edition", None) or SOURCE


def number(value: float, lang: str = SOURCE.lang) -> str:
    """A readable number: 26 million, 33,000, 50.8, 1.27 (Korean 2,600만; Russian 26 млн, 33 000)."""
    magnitude = abs(value)
    decimals = 2 if magnitude < 10 else 1 if magnitude < 100 else 0
    if lang == SOURCE.lang:
        if magnitude >= 1e6:
            return f"{_trim(value / 1e6, 2)} million"
        return f"{value:,.0f}" if magnitude >= 100 else _trim(value, decimals)
    if lang == "ko" and magnitude >= 1e4:
        return _korean_units(value)
    if magnitude >= 1e6:
        return format_compact_decimal(value, locale=lang, fraction_digits=2).replace(" ", NBSP)
    return format_decimal(round(value, decimals), locale=lang, decimal_quantization=False, group_separator=True)


def _trim(value: float, decimals: int) -> str:
    text = f"{value:,.{decimals}f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def _korean_units(value: float) -> str:
    """A large number as Korean papers write it: 650만, 2,600만, 3만 3,000, 1억 2,600만."""
    sign, rest = ("-" if value < 0 else ""), round(abs(value))
    parts = []
    for size, word in ((10**8, "억"), (10**4, "만")):
        count, rest = divmod(rest, size)
        if count:
            parts.append(f"{count:,}{word}")
    if rest:
        parts.append(f"{rest:,}")
    return sign + NBSP.join(parts)


def _plural_count(value: float, text: str) -> float:
    """The count a unit's plural form agrees with: a number written in millions (or 만) counts
    as many; a fraction keeps its value (the catalogue's rule decides)."""
    return 5 if re.search(r"[^\d\s.,\u00a0\u202f-]", text) else value


def unit_pattern(unit, subject: str = "") -> str:
    """How English writes a value in this unit in prose, with ``{number}`` for the number."""
    if unit.prose == "symbol":
        return _with_symbol("{number}", unit)
    if unit.prose == "subject":
        return "{number} " + subject.replace("_", " ")
    return f"{{number}} {unit.label}".rstrip()


def short_pattern(unit) -> str:
    """How English writes a value in this unit in a chart label."""
    return _with_symbol("{number}m" if unit.short_millions else "{number}", unit)


def _with_symbol(text: str, unit) -> str:
    if not unit.symbol:
        return text
    if unit.symbol_before:
        return unit.symbol + text
    return f"{text}{' ' if unit.spaced else ''}{unit.symbol}"


def value_text(row: pd.Series, data, bound: bool = True) -> str:
    """The full form for prose: 'about $6.5 million', 'under $1 million', '540 tonnes'.

    How each unit is written (symbol or words, before or after) comes from the data package;
    in another edition, from its catalogue.
    """
    edition, value = edition_of(data), float(row["value"])
    unit = data.units[row["unit"]]
    pattern = unit_pattern(unit, row["subject"])
    text = number(value, edition.lang)
    body = pattern.format(number=text) if edition.is_source or pattern == "{number}" else edition.npgettext(UNIT_CONTEXT.format(unit=unit.key), pattern, pattern, _plural_count(value, text)).format(number=text)
    return _bounded(body, row["bound"], edition, BOUND_WORDS, BOUND_CONTEXT) if bound else body


def short_text(row: pd.Series, data) -> str:
    """The compact form for chart labels: '$6.5m', '<$1m', '540 t' (Korean 650만 달러)."""
    edition, value = edition_of(data), float(row["value"])
    unit = data.units[row["unit"]]
    pattern = short_pattern(unit)
    if edition.is_source:
        text = _trim(value / 1e6, 2) if unit.short_millions else number(value)
        body = pattern.format(number=text)
    else:
        text = number(value, edition.lang)
        body = text if pattern == "{number}" else edition.npgettext(SHORT_UNIT_CONTEXT.format(unit=unit.key), pattern, pattern, _plural_count(value, text)).format(number=text)
    return _bounded(body, row["bound"], edition, BOUND_SIGNS, SHORT_BOUND_CONTEXT)


def _bounded(body: str, bound: str, edition: Edition, words: dict, context: str) -> str:
    if not words[bound]:
        return body
    return edition.pgettext(context, words[bound] + "{value}").format(value=body)


def date_label(span: DateSpan | str, edition: Edition = SOURCE) -> str:
    """A date or span at its own precision, in the edition's words: 'January–July 2025',
    '2025년 1~7월', 'январь–июль 2025 г.'."""
    span = parse_span(span) if isinstance(span, str) else span
    if edition.is_source:
        return span.label()
    if span.end is None:
        return _partial(span.start, edition)
    first, last = span.start, span.end
    def say(kind: str, **parts) -> str:
        return edition.pgettext(DATE_CONTEXT, SPAN_PATTERNS[kind]).format(**parts)

    if first.precision == last.precision == "month" and first.year == last.year:
        return say("months", first_month=_month(first, edition), last_month=_month(last, edition), year=_year(first, edition))
    if first.precision == last.precision == "day" and (first.year, first.month) == (last.year, last.month):
        return say("days", first_day=str(first.day), last_day=str(last.day), month=_month(last, edition, "MMMM"), year=_year(first, edition))
    if first.precision == last.precision == "day" and first.year == last.year:
        return say("days_in_year", first_day=str(first.day), first_month=_month(first, edition, "MMMM"), last_day=str(last.day), last_month=_month(last, edition, "MMMM"), year=_year(first, edition))
    if first.precision == last.precision == "year":
        return say("years", first_year=_year(first, edition), last_year=_year(last, edition))
    return say("other", first=_partial(first, edition), last=_partial(last, edition))


def _partial(date: PartialDate, edition: Edition) -> str:
    pattern = edition.pgettext(DATE_CONTEXT, DATE_PATTERNS[date.precision])
    return format_date(date.first_day(), pattern, locale=edition.lang)


def _month(date: PartialDate, edition: Edition, pattern: str = "LLLL") -> str:
    return format_date(dt.date(date.year, date.month, 1), pattern, locale=edition.lang)


def _year(date: PartialDate, edition: Edition) -> str:
    return format_date(dt.date(date.year, 1, 1), "y", locale=edition.lang)


def date_text(date: str, qualifier: str, data, as_printed: str = "") -> str:
    """A date at its own precision, flagged when approximate or inferred.

    An approximate date keeps the source's words and adds our reading in brackets; when those
    words carry no year, the year is ours too and the brackets say so:
    "mid-to-late 1990s (about 1994–1999)", "early July (about July 2024, year inferred)".
    In another edition the source's words are the catalogue's translation of them.
    """
    edition = edition_of(data)
    def say(key: str, **parts) -> str:
        return edition.pgettext(DATE_CONTEXT, QUALIFIED[key]).format(**parts)

    if qualifier == "undated" or not date:
        return say("undated")
    label = date_label(date, edition)
    if qualifier == "approximate":
        if not as_printed:
            return say("approximate", date=label)
        return say("printed" if printed_year(as_printed) else "printed_year_inferred", printed=as_printed, date=label)
    if qualifier in {"year_inferred", "date_inferred"}:
        return say(qualifier, date=label)
    return label


def printed_year(words: str) -> bool:
    """Whether a source's words for a date give a year ("2022", "the 1990s"), not only a day or month."""
    return bool(re.search(r"(?<!\d)\d{4}(?!\d)", words))


def year_text(date: str, data) -> str:
    """The year or years a date falls in, without flags: "2024", "2022–2023" (Korean 2024년)."""
    span = parse_span(date)
    first, last = span.start.year, (span.end or span.start).year
    if first == last:
        return date_label(str(first), edition_of(data))
    return date_label(f"{first}/{last}", edition_of(data))


def period_text(row: pd.Series, data) -> str:
    return date_text(row["period"], row["period_qualifier"], data)


def citation(source, data) -> str:
    """How a reader cites a source: who published it and when it was printed."""
    edition = edition_of(data)
    if edition.is_source:
        return source.citation
    date = date_label(source.date_printed, edition) if source.date_printed else edition.pgettext(DATE_CONTEXT, QUALIFIED["undated"])
    return edition.pgettext("citation", CITATION).format(source=source.cite_as, date=date)


def catalogue_strings(data) -> list[tuple[str, str | tuple[str, str], str]]:
    """Every pattern this module looks up, as ``(context, English, where)`` for the catalogues'
    template: units and their subjects from the data package (looked up with plural forms, so
    their English is a (singular, plural) pair), bounds, dates and citations."""
    found = []
    for unit in data.units.values():
        subjects = sorted(set(data.figures.loc[data.figures["unit"] == unit.key, "subject"])) if unit.prose == "subject" else [""]
        for subject in subjects:
            if unit_pattern(unit, subject) != "{number}":
                found.append((UNIT_CONTEXT.format(unit=unit.key), (unit_pattern(unit, subject),) * 2, "data/datapackage.yaml"))
        if short_pattern(unit) != "{number}":
            found.append((SHORT_UNIT_CONTEXT.format(unit=unit.key), (short_pattern(unit),) * 2, "data/datapackage.yaml"))
    here = Path(__file__).resolve().relative_to(Path(__file__).resolve().parents[1]).as_posix()
    found += [(BOUND_CONTEXT, word + "{value}", here) for word in BOUND_WORDS.values() if word]
    found += [(SHORT_BOUND_CONTEXT, sign + "{value}", here) for sign in BOUND_SIGNS.values() if sign]
    found += [(DATE_CONTEXT, text, here) for text in (*DATE_PATTERNS.values(), *SPAN_PATTERNS.values(), *QUALIFIED.values())]
    found.append(("citation", CITATION, here))
    return found
