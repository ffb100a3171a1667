"""Russian pork exports to North Korea through May and through July 2025.

Two readings of the same year: under $1 million in May (a bound of unclear coverage, drawn as
a bracket that stops at the bound, not as a bar) and $1.4 million for January–July.
"""
from charts.plotting import bar_rows, figure_rows
from charts.registry import Furniture

FURNITURE = Furniture(
    headline="Russia's pork sales to North Korea reached {{fig pork_exports_2025_jan_jul:bare}} in January–July 2025",
    subhead="Russian pork exports to North Korea in 2025, US dollars; the May figure is only an upper bound",
    alt=(
        "Chart of two values. Russian pork exports to North Korea were {{fig pork_exports_2025_jan_may}} in May 2025 "
        "(an upper bound, not a measured value) and {{fig pork_exports_2025_jan_jul}} for January–July."
    ),
    description=(
        "The January–July value, {{fig pork_exports_2025_jan_jul}}, is a bar. The May value is only given as "
        "{{fig pork_exports_2025_jan_may}}, so it is drawn as a line from zero that ends in a bracket at the bound: the "
        "true value lies somewhere along it. Both come from NK News (3 February 2026)."
    ),
    notes=(
        "The source says pork exports rose from under $1 million in May; it does not say whether that was the total for "
        "January–May or for May alone. We read it as the total to May, so the two values may not be comparable.",
    ),
)


def build(data, layout):
    plotted = figure_rows(
        data,
        {"pork_exports_2025_jan_may": "To May (upper bound)", "pork_exports_2025_jan_jul": "January–July"},
    )
    plotted["label_text"] = plotted["short_text"]
    return bar_rows(data, plotted, layout)
