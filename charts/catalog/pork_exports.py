"""Russian pork exports to North Korea through May and through July 2025.

Two readings of the same year: under $1 million by May (a bound, drawn as a bracket that
stops at the bound, not as a bar) and $1.4 million for January–July.
"""
import altair as alt

from charts.plotting import figure_rows, tooltip, usd_axis
from charts.registry import Furniture
from charts.theme import status_encodings

FURNITURE = Furniture(
    headline="Pork sales passed a million dollars between May and July",
    subhead="Russian pork exports to North Korea in 2025, running total, US dollars",
    alt=(
        "Chart of two values. Russian pork exports to North Korea were {{fig pork_exports_2025_jan_may}} by May 2025 "
        "(an upper bound, not a measured value) and {{fig pork_exports_2025_jan_jul}} for January–July."
    ),
    description=(
        "The January–July value, {{fig pork_exports_2025_jan_jul}}, is a bar. The value to May is only given as "
        "{{fig pork_exports_2025_jan_may}}, so it is drawn as a line from zero that ends in a bracket at the bound: the "
        "true value lies somewhere along it. Both come from NK News (3 February 2026)."
    ),
    notes=(
        "The source says pork exports rose from under $1 million in May; it does not say whether that was the total for "
        "January–May or for May alone. We read it as the total to May.",
    ),
)


def build(data):
    plotted = figure_rows(
        data,
        {"pork_exports_2025_jan_may": "January–May", "pork_exports_2025_jan_jul": "January–July"},
    )
    plotted["label_text"] = plotted["short_text"] + plotted["bound"].map({"upper": " (upper bound)"}).fillna("")
    status = status_encodings(plotted["status"])
    base = alt.Chart().encode(
        y=alt.Y("label:N", title=None, sort=list(plotted["label"])),
        x=alt.X("value:Q", axis=usd_axis(), scale=alt.Scale(domain=[0, 2_000_000])),
    )
    measured = base.mark_bar(height={"band": 0.6}).encode(**status, tooltip=tooltip()).transform_filter("datum.bound !== 'upper'")
    bound_line = base.mark_rule(strokeWidth=3).encode(x2=alt.datum(0), color=status["color"], tooltip=tooltip()).transform_filter(
        "datum.bound === 'upper'"
    )
    bound_end = base.mark_tick(thickness=3, size=22, opacity=1).encode(color=status["color"], tooltip=tooltip()).transform_filter(
        "datum.bound === 'upper'"
    )
    labels = base.mark_text(align="left", dx=6).encode(text="label_text:N")
    return alt.layer(measured, bound_line, bound_end, labels, data=plotted).properties(height=alt.Step(44))
