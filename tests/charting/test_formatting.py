"""Small pure functions: partial dates, formulas, how figures are written, theme contrast."""
from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from charting import formatting, theme
from dataset import formulas
from dataset.dates import parse_span


@pytest.mark.parametrize(
    ("text", "label", "first", "last"),
    [
        ("2024", "2024", dt.date(2024, 1, 1), dt.date(2024, 12, 31)),
        ("2024-02", "February 2024", dt.date(2024, 2, 1), dt.date(2024, 2, 29)),
        ("2024-06-18", "18 June 2024", dt.date(2024, 6, 18), dt.date(2024, 6, 18)),
        ("2025-01/2025-07", "January–July 2025", dt.date(2025, 1, 1), dt.date(2025, 7, 31)),
        ("2025-11-21/2025-12-05", "21 November – 5 December 2025", dt.date(2025, 11, 21), dt.date(2025, 12, 5)),
        ("2023-08/2024-01", "August 2023 – January 2024", dt.date(2023, 8, 1), dt.date(2024, 1, 31)),
        ("1994/1999", "1994–1999", dt.date(1994, 1, 1), dt.date(1999, 12, 31)),
    ],
)
def test_dates_keep_their_precision(text, label, first, last):
    span = parse_span(text)
    assert (span.label(), span.first_day(), span.last_day()) == (label, first, last)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("2024-13", "has no month 13"),
        ("2023-02-29", "is not a real date"),
        ("18 June 2024", "is not an ISO 8601 date"),
        ("2024/2023", "ends before it starts"),
        ("2021/2022/2023", "more than one '/'"),
    ],
)
def test_malformed_dates_are_rejected(text, message):
    with pytest.raises(ValueError, match=message):
        parse_span(text)


def test_formula_arithmetic_and_names():
    assert formulas.evaluate("100 * a / (b - 1)", {"a": 3, "b": 7}) == 50
    assert formulas.names("x * 2 + y") == {"x", "y"}


@pytest.mark.parametrize(
    ("formula", "message"),
    [("a ** 2", "only numbers"), ("open('x')", "only numbers"), ("a / 0", "divides by zero"), ("a +", "not valid arithmetic"), ("zz", "'zz', which is not a figure id")],
)
def test_formula_rejects_anything_else(formula, message):
    with pytest.raises(formulas.FormulaError, match=message):
        formulas.evaluate(formula, {"a": 1})


def _row(value, unit, bound="exact", subject="goats"):
    return pd.Series({"value": value, "unit": unit, "bound": bound, "subject": subject, "period": "", "period_qualifier": "undated"})


@pytest.mark.parametrize(
    ("row", "full", "short"),
    [
        (_row(6_500_000, "usd", "approximate"), "about $6.5 million", "~$6.5m"),
        (_row(1_000_000, "usd", "upper"), "under $1 million", "<$1m"),
        (_row(33_000, "tonne"), "33,000 tonnes", "33,000 t"),
        (_row(50.769, "percent", "approximate"), "about 50.8%", "~50.8%"),
        (_row(447, "head"), "447 goats", "447"),
        (_row(1.269, "kilogram_per_person", "approximate"), "about 1.27 kilograms per person", "~1.27 kg"),
        (_row(1_080_000, "pound"), "1.08 million pounds", "1.08 million lb"),
        (_row(10_700_000, "people", "approximate"), "about 10.7 million people", "~10.7 million"),
    ],
)
def test_figures_are_written_the_same_everywhere(dataset, row, full, short):
    assert formatting.value_text(row, dataset) == full
    assert formatting.short_text(row, dataset) == short


def test_inferred_and_approximate_dates_say_so(dataset):
    assert formatting.date_text("2026-01-28", "year_inferred", dataset) == "28 January 2026 (year inferred)"
    assert formatting.date_text("1994/1999", "approximate", dataset, "mid-to-late 1990s") == "mid-to-late 1990s (about 1994–1999)"
    assert formatting.date_text("", "undated", dataset) == "undated"


def _luminance(hex_colour: str) -> float:
    channels = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    high, low = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


@pytest.mark.parametrize("mode", [0, 1], ids=["light", "dark"])
def test_chart_colours_pass_wcag_aa(mode, dataset):
    background = theme.BACKGROUND["light" if mode == 0 else "dark"]
    assert contrast(theme.INK[mode], background) >= 4.5
    assert contrast(theme.MUTED[mode], background) >= 4.5
    for status in dataset.evidence:
        # Status colours also colour text (badges, figure references), so hold them to the text threshold.
        assert contrast((status.colour, status.dark_colour)[mode], background) >= 4.5, status.name


def test_generated_stylesheet_repaints_every_chart_colour(dataset):
    css = theme.stylesheet(dataset.evidence)
    dark = css[css.index("@media (prefers-color-scheme:dark)") :]
    for light, dark_colour in theme.colour_pairs(dataset.evidence):
        assert f'[fill="{light}"]{{fill:{dark_colour}}}' in dark
        assert f'[stroke="{light}"]{{stroke:{dark_colour}}}' in dark


def test_generated_stylesheet_sets_each_status_colour_and_edge(dataset):
    css = theme.stylesheet(dataset.evidence)
    light, dark = css.split("@media (prefers-color-scheme:dark)")
    for status in dataset.evidence:
        assert f"--{status.name}:{status.colour}" in light and f"--{status.name}:{status.dark_colour}" in dark
        assert f".status-{status.name}{{--status:var(--{status.name});--status-fill:var(--{status.name}-fill);--edge:{status.edge}}}" in light
        assert f"--{status.name}-fill:{theme.blend(status.colour, theme.BACKGROUND['light'], status.fill_opacity)}" in light


def test_blend_is_the_colour_a_translucent_fill_shows():
    assert theme.blend("#000000", "#ffffff", 0.5) == "#808080"
    assert theme.blend("#0b5a99", "#ffffff", 1.0) == "#0b5a99"
    assert theme.blend("#0b5a99", "#111418", 0.0) == "#111418"


def test_site_stylesheet_types_no_status_colour(dataset):
    """The evidence key's colours live in the data package; the hand-written stylesheet only uses them."""
    import re
    from pathlib import Path

    css = (Path(__file__).resolve().parents[2] / "theme" / "static" / "css" / "site.css").read_text().lower()
    for status in dataset.evidence:
        # No variable of the key set here, and no status rule given a colour of its own (the
        # link colour may share a blue with "confirmed"; it is not a status).
        assert f"--{status.name}:" not in css, status.name
        for rule in re.findall(rf"[^{{}}]*status-{status.name}[^{{}}]*\{{[^}}]*\}}", css):
            assert not re.search(r"#[0-9a-f]{3,6}\b", rule), rule


def test_generated_stylesheet_shows_one_artboard_per_width(dataset):
    css = theme.stylesheet(dataset.evidence)
    assert ".chart-art-desktop{display:none}" in css
    assert f"@media (min-width:{theme.DESKTOP_MIN_WIDTH}px){{.chart-art-phone{{display:none}}.chart-art-desktop{{display:block}}}}" in css
