"""Hunger in North Korea: the undernourished share of the population and stunted children.

Two shares out of 100: people who are undernourished (our division of two Human Rights Watch
figures) and children stunted by chronic malnutrition.
"""
import altair as alt

from charts.plotting import figure_rows, tooltip
from charts.registry import Furniture
from charts.theme import GRID, status_encodings

FURNITURE = Furniture(
    headline="Many North Koreans do not get enough to eat",
    subhead="Share of the population, per cent",
    alt=(
        "Bar chart. About {{fig undernourished_people}} of {{fig population_total}} are undernourished, "
        "{{fig undernourished_share}} of the population; {{fig children_stunted_share}} of children are stunted."
    ),
    description=(
        "Two bars on a scale from 0 to 100 per cent. The undernourished share, {{fig undernourished_share}}, is our "
        "division of {{fig undernourished_people}} by a population of {{fig population_total}}, both cited from Human "
        "Rights Watch in a report of 14 August 2024; it is drawn as a dotted outline. The stunted share of children, "
        "{{fig children_stunted_share}}, is reported directly."
    ),
    notes=("The source gives no reference year for these figures.",),
)


def build(data):
    plotted = figure_rows(
        data,
        {"undernourished_share": "Undernourished", "children_stunted_share": "Stunted children"},
    )
    base = alt.Chart().encode(
        y=alt.Y("label:N", title=None, sort=list(plotted["label"])),
        x=alt.X("value:Q", title="Per cent", scale=alt.Scale(domain=[0, 100])),
    )
    whole = base.mark_bar(height={"band": 0.6}, color=GRID[0]).encode(x=alt.datum(100))
    bars = base.mark_bar(height={"band": 0.6}).encode(**status_encodings(plotted["status"]), tooltip=tooltip())
    labels = base.mark_text(align="left", dx=5).encode(text="short_text:N")
    return alt.layer(whole, bars, labels, data=plotted).properties(height=alt.Step(44))
