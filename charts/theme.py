"""The house style, registered once as an Altair theme; no chart repeats it.

Every colour has a light and a dark value. Charts are drawn with the light values; the site's
stylesheet swaps each one for its dark twin under ``prefers-color-scheme: dark`` (see
:func:`dark_mode_css`), so the static SVG and the live Vega view change together.
"""
from __future__ import annotations

import altair as alt

THEME_NAME = "explainer"
#: Arial and its metric twins, so text measured at build time (vl-convert) takes the same
#: room in the reader's browser, where a static chart's labels are laid out in advance.
FONT = 'Arial, "Liberation Sans", "Helvetica Neue", Helvetica, sans-serif'
#: Page backgrounds the colours are checked against (the stylesheet uses the same values).
BACKGROUND = {"light": "#ffffff", "dark": "#111418"}

#: Role -> (light, dark). Both pass WCAG 2.2 AA against their background (tests/test_theme.py).
INK = ("#1f2328", "#e6edf3")
MUTED = ("#59636e", "#9aa4ae")
GRID = ("#d1d9e0", "#343b43")
DOMAIN = ("#6e7781", "#8b949e")

EVIDENCE_STATUSES = ("confirmed", "reported", "estimate", "alleged", "derived")
STATUS_COLOURS = {
    "confirmed": ("#0b5a99", "#6cb6ff"),
    "reported": ("#00785a", "#3fc99a"),
    "estimate": ("#a84f00", "#f0a050"),
    "alleged": ("#a8306b", "#f08cc4"),
    "derived": ("#5f6b76", "#a3adb8"),
}
STATUS_LABELS = {
    "confirmed": "Confirmed",
    "reported": "Reported",
    "estimate": "Estimate",
    "alleged": "Alleged",
    "derived": "Derived (our calculation)",
}
#: Measured values are solid; estimates are lighter; alleged and derived are outlines.
STATUS_FILL_OPACITY = {"confirmed": 1.0, "reported": 1.0, "estimate": 0.5, "alleged": 0.12, "derived": 0.12}
STATUS_DASH = {"confirmed": [1, 0], "reported": [1, 0], "estimate": [1, 0], "alleged": [6, 3], "derived": [2, 2]}

#: Plot width, chosen for phones: a whole chart stays near 400 px, so on a 375 px screen
#: its text is read at close to full size. Pages draw it a little larger where there is room.
WIDTH = 260
DISPLAY_SCALE = 1.15
LABEL_SIZE = 14
TITLE_SIZE = 19
#: Characters per headline line in downloads, where the title is drawn into the image.
TITLE_WRAP = 44


@alt.theme.register(THEME_NAME, enable=True)
def explainer_theme() -> alt.theme.ThemeConfig:
    ink, muted, grid, domain = INK[0], MUTED[0], GRID[0], DOMAIN[0]
    # Axes and legends label alike: ink for labels, muted for their titles.
    labels = {
        "labelColor": ink,
        "labelFont": FONT,
        "labelFontSize": LABEL_SIZE,
        "titleColor": muted,
        "titleFont": FONT,
        "titleFontSize": LABEL_SIZE,
        "titleFontWeight": "normal",
    }
    axis = {**labels, "gridColor": grid, "domainColor": domain, "tickColor": domain}
    return {
        "background": "transparent",
        "padding": {"left": 12, "right": 16, "top": 8, "bottom": 8},
        "width": WIDTH,
        "config": {
            "font": FONT,
            "view": {"stroke": None, "continuousWidth": WIDTH, "continuousHeight": 260},
            "title": {
                "anchor": "start",
                "color": ink,
                "font": FONT,
                "fontSize": TITLE_SIZE,
                "fontWeight": 600,
                "subtitleColor": muted,
                "subtitleFont": FONT,
                "subtitleFontSize": LABEL_SIZE + 1,
                "offset": 14,
            },
            "axis": axis,
            "axisBand": {"grid": False, "domain": False, "ticks": False, "labelPadding": 6},
            "legend": {
                **labels,
                "orient": "top",
                "direction": "horizontal",
                "symbolStrokeWidth": 1.5,
                "labelLimit": 0,
                "columns": 3,
                "rowPadding": 4,
            },
            "header": {"labelColor": ink, "labelFont": FONT, "labelFontSize": LABEL_SIZE, "titleColor": muted, "titleFont": FONT},
            "text": {"color": ink, "font": FONT, "fontSize": LABEL_SIZE},
            "bar": {"strokeWidth": 1.5},
            "point": {"strokeWidth": 1.5, "size": 90},
            "rule": {"color": muted},
        },
    }


def _status_scale(mapping: dict, present: list[str] | None = None) -> alt.Scale:
    domain = [s for s in EVIDENCE_STATUSES if present is None or s in present]
    return alt.Scale(domain=domain, range=[mapping[s] for s in domain])


def status_encodings(statuses: list[str], field: str = "status", legend: bool = True) -> dict:
    """Colour, outline and fill for the evidence statuses present, with one shared legend.

    Use as ``mark.encode(**status_encodings(data.status.unique()), ...)``.
    """
    present = [s for s in EVIDENCE_STATUSES if s in set(statuses)]
    legend_def = alt.Legend(title="Evidence", labelExpr=_label_expr()) if legend else None
    colours = {s: light for s, (light, _) in STATUS_COLOURS.items()}
    return {
        "color": alt.Color(f"{field}:N", scale=_status_scale(colours, present), legend=legend_def),
        "stroke": alt.Stroke(f"{field}:N", scale=_status_scale(colours, present), legend=None),
        "fillOpacity": alt.FillOpacity(f"{field}:N", scale=_status_scale(STATUS_FILL_OPACITY, present), legend=legend_def),
        "strokeDash": alt.StrokeDash(f"{field}:N", scale=_status_scale(STATUS_DASH, present), legend=legend_def),
    }


def _label_expr() -> str:
    cases = " : ".join(f"datum.label === '{s}' ? '{label}'" for s, label in STATUS_LABELS.items())
    return f"{cases} : datum.label"


def colour_pairs() -> list[tuple[str, str]]:
    """Every (light, dark) pair the charts use."""
    return [INK, MUTED, GRID, DOMAIN, *STATUS_COLOURS.values()]


def dark_mode_css(scope: str = ".chart svg") -> str:
    """CSS that repaints chart colours for dark mode, matching SVG presentation attributes."""
    rules = []
    for light, dark in colour_pairs():
        for prop in ("fill", "stroke"):
            rules.append(f'{scope} [{prop}="{light}"]{{{prop}:{dark}}}')
    return "@media (prefers-color-scheme:dark){" + "".join(rules) + "}\n"
