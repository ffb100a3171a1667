"""What Russia sold North Korea in January–July 2025.

The reported total of Russian agricultural exports beside its parts: wheat flour, pork and
the remainder. The remainder is our subtraction across two reports, drawn as an outline.
"""
import altair as alt

from charts.plotting import figure_rows, tooltip, usd_axis
from charts.registry import Furniture
from charts.theme import status_encodings

FURNITURE = Furniture(
    headline="Flour and pork made up most of Russia's farm sales",
    subhead="Russian agricultural exports to North Korea, January–July 2025, US dollars",
    alt=(
        "Bar chart. Of {{fig ag_exports_2025_jan_jul}} in Russian agricultural exports to North Korea in "
        "January–July 2025, wheat flour was {{fig flour_exports_2025_jan_jul}} and pork {{fig pork_exports_2025_jan_jul}}, "
        "leaving {{fig other_ag_exports_2025_jan_jul}} for everything else."
    ),
    description=(
        "Four bars. The total, {{fig ag_exports_2025_jan_jul}}, and pork, {{fig pork_exports_2025_jan_jul}}, come from "
        "NK News (3 February 2026). Flour, {{fig flour_exports_2025_jan_jul}}, comes from an undated report that calls it "
        "nearly half of the total; against this total it is {{fig flour_share_of_ag_exports_2025}}. The remainder, "
        "{{fig other_ag_exports_2025_jan_jul}}, is the total minus flour and pork, computed by us across the two reports "
        "and drawn as a dotted outline."
    ),
    notes=(
        "The remainder combines two reports whose figures may not be measured the same way; treat it as rough.",
        "The total is printed as roughly $6.5 million, so the remainder inherits that rounding.",
    ),
)

ORDER = ["All farm products", "Wheat flour", "Pork", "Everything else"]


def build(data):
    plotted = figure_rows(
        data,
        {
            "ag_exports_2025_jan_jul": ORDER[0],
            "flour_exports_2025_jan_jul": ORDER[1],
            "pork_exports_2025_jan_jul": ORDER[2],
            "other_ag_exports_2025_jan_jul": ORDER[3],
        },
    )
    base = alt.Chart().encode(
        y=alt.Y("label:N", title=None, sort=ORDER),
        x=alt.X("value:Q", axis=usd_axis(ticks=3), scale=alt.Scale(domain=[0, 10_000_000])),
    )
    bars = base.mark_bar(height={"band": 0.7}).encode(**status_encodings(plotted["status"]), tooltip=tooltip())
    labels = base.mark_text(align="left", dx=5).encode(text="short_text:N")
    return alt.layer(bars, labels, data=plotted).properties(height=alt.Step(38))
