"""Agricultural exports and flour, January–July 2024 and 2025.

Russia's farm exports to North Korea in the first seven months of 2025 beside the same
months of 2024, in total and for wheat flour. The 2024 bars are our calculation from the
reported growth rates, drawn as outlines.
"""
import altair as alt

from charts.plotting import figure_rows, tooltip, usd_axis
from charts.registry import Furniture
from charts.theme import status_encodings

FURNITURE = Furniture(
    headline="Flour sales grew far faster than Russia's farm exports as a whole",
    subhead="Russian exports to North Korea, January–July, US dollars",
    alt=(
        "Bar chart. Russian agricultural exports to North Korea were {{fig ag_exports_2025_jan_jul}} "
        "in January–July 2025, up {{fig ag_exports_growth_2025}} from an implied {{fig ag_exports_2024_jan_jul:bare}}. "
        "Wheat flour was {{fig flour_exports_2025_jan_jul}}, up {{fig flour_exports_growth_2025}} from an implied "
        "{{fig flour_exports_2024_jan_jul:bare}}."
    ),
    description=(
        "Two pairs of bars. For all agricultural products, 2025 is {{fig ag_exports_2025_jan_jul}} (reported by NK News) "
        "and 2024 is {{fig ag_exports_2024_jan_jul}}, which no source prints: we divided the 2025 value by one plus the "
        "{{fig ag_exports_growth_2025}} growth rate. For wheat flour, 2025 is {{fig flour_exports_2025_jan_jul}} and 2024 "
        "is {{fig flour_exports_2024_jan_jul}}, derived the same way from the {{fig flour_exports_growth_2025}} rise. "
        "The derived 2024 bars are drawn as dotted outlines."
    ),
    notes=(
        "2024 values are derived from 2025 values and growth rates; they are not reported figures.",
        "The flour figures come from an undated report; its \"last year\" is read as 2025.",
    ),
)


def build(data):
    plotted = figure_rows(
        data,
        {
            "ag_exports_2024_jan_jul": "All farm products",
            "ag_exports_2025_jan_jul": "All farm products",
            "flour_exports_2024_jan_jul": "Wheat flour",
            "flour_exports_2025_jan_jul": "Wheat flour",
        },
    )
    plotted["year"] = plotted["figure_id"].str.extract(r"_(\d{4})_")[0]

    base = alt.Chart().encode(
        y=alt.Y("label:N", title=None, sort=["All farm products", "Wheat flour"]),
        yOffset=alt.YOffset("year:N", sort=["2024", "2025"]),
        x=alt.X("value:Q", axis=usd_axis(ticks=3), scale=alt.Scale(domain=[0, 10_000_000])),
    )
    bars = base.mark_bar(height={"band": 0.9}).encode(**status_encodings(plotted["status"]), tooltip=tooltip())
    labels = base.mark_text(align="left", dx=5).encode(text=alt.Text("year_text:N"))
    return (
        alt.layer(bars, labels, data=plotted)
        .transform_calculate(year_text="datum.year + '  ' + datum.short_text")
        .properties(height=alt.Step(26))
    )
