"""Russian pork exports to North Korea through May and through July 2025.

Two readings of the same year: under $1 million in May (a bound of unclear coverage, drawn as
a bracket that stops at the bound, not as a bar) and $1.4 million for January–July.
"""
from charting.plotting import bar_rows, figure_rows
from charting.registry import Furniture

FURNITURE = Furniture(
    headline="Russia's pork sales to North Korea reached {{fig pork_exports_2025_jan_jul:bare}} in {{fig pork_exports_2025_jan_jul:period}}",
    subhead="Russian pork exports to North Korea in {{fig pork_exports_2025_jan_jul:year}}, US dollars; the earlier figure is only an upper bound",
    alt=(
        "Chart of two values. Russian pork exports to North Korea were, in the source's words, {{fig pork_exports_2025_jan_may:printed}} "
        "(an upper bound, not a measured value) and {{fig pork_exports_2025_jan_jul}} for {{fig pork_exports_2025_jan_jul:period}}."
    ),
    description=(
        "The later value, {{fig pork_exports_2025_jan_jul}}, is a bar. The earlier one is only given as "
        "{{fig pork_exports_2025_jan_may}}, so it is drawn as a line from zero that ends in a bracket at the bound: the "
        "true value lies somewhere along it. Both come from {{source nknews_sibagro}}."
    ),
    notes=(
        ("The source says pork exports rose from \u201c{{fig pork_exports_2025_jan_may:printed}}\u201d; it does not say whether that "
        "was the running total or May's sales alone. We read it as the total to May, so the two values may not be comparable."),
    ),
)


def build(data, layout):
    plotted = figure_rows(
        data,
        {
            # Translators: a bar: the pork sold up to May 2025, known only as an upper bound ("under $1 million").
            "pork_exports_2025_jan_may": data.gettext("To May (upper bound)"),
            # Translators: a bar: the pork sold from January to July 2025 (the subhead gives the year).
            "pork_exports_2025_jan_jul": data.gettext("January–July"),
        },
    )
    plotted["label_text"] = plotted["short_text"]
    return bar_rows(data, plotted, layout)
