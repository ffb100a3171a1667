"""Timeline, 1990s to 2026: food, trade, aid and arms between Russia and North Korea.

Every dated event in the sources, on one time axis, one row per kind of event, coloured by
evidence status. Spans (such as "late 2022 or early 2023") are drawn as bars across them.
"""
import altair as alt
import pandas as pd

from charts import formatting, plotting
from charts.dates import parse_span
from charts.registry import Furniture
from charts.theme import status_encodings

FURNITURE = Furniture(
    headline="From famine to flour shipments: three decades in one line",
    subhead="Dated events in the sources, by kind and evidence status",
    alt=(
        "Timeline from the famine of the {{date famine_1990s}} to Sibagro's announcement on {{date sibagro_announcement_2026}}. "
        "Most events fall between 2021 and 2026: the flour directive, the 2023 accusation that Russia offered food for "
        "munitions, the June 2024 visit and treaty, the goats sent to Rason, and the Kuzbass flour shipment of January 2026."
    ),
    description=(
        "Each event is a mark on a time axis that runs from 1994 to 2026; the years 2000 to 2020, when the sources "
        "record nothing, are squeezed together. Rows group events by kind: hunger, food policy, trade, aid, diplomacy, "
        "munitions and sanctions. Colour and outline give the evidence status. Events known only to a span of months "
        "are drawn as bars across the span. The full list, with dates as printed, is on the timeline page."
    ),
    notes=(
        "The axis is compressed between 2000 and 2021.",
        "Years marked inferred are not printed by the source; the timeline page explains each.",
        "Undated events, such as the flour-aid pledge, cannot be placed and are listed on the timeline page.",
    ),
)

CATEGORIES = {
    "hunger": "Hunger",
    "food_policy": "Food policy",
    "trade": "Trade",
    "aid": "Aid",
    "diplomacy": "Diplomacy",
    "munitions": "Munitions",
    "sanctions": "Sanctions",
}
#: Piecewise scale in decimal years: the quiet decades take a sliver of the width.
BREAKS = [1994, 2001, 2021, 2027]
TICKS = [1996, 2021, 2023, 2025]


def decimal_year(day) -> float:
    return round(day.year + (day.timetuple().tm_yday - 1) / 365.25, 4)


def build(data, layout):
    dated = data.events[data.events["date"] != ""]
    rows = []
    for event_id, event in dated.iterrows():
        span = parse_span(event["date"])
        rows.append(
            {
                "event_id": event_id,
                "title": event["title"],
                "category": CATEGORIES[event["category"]],
                "start": decimal_year(span.first_day()),
                "end": decimal_year(span.last_day()),
                "date_text": formatting.date_text(event["date"], event["date_qualifier"], event["date_as_printed"]),
                **plotting.provenance(data, event),
            }
        )
    plotted = pd.DataFrame(rows)
    status = status_encodings(data.evidence, plotted["status"])
    plot_width = layout.width - 110
    break_range = [0, 40, 80, plot_width]
    tooltip = plotting.tooltip(("title", "Event"), ("date_text", "When"))
    base = alt.Chart().encode(
        y=alt.Y("category:N", title=None, sort=list(CATEGORIES.values()), axis=alt.Axis(grid=True)),
        x=alt.X(
            "start:Q",
            title=None,
            scale=alt.Scale(domain=BREAKS, range=break_range),
            axis=alt.Axis(values=TICKS, grid=False, labelOverlap=False, labelExpr="datum.value < 2000 ? '1990s' : datum.value"),
        ),
    )
    spans = base.mark_bar(height=10, cornerRadius=2, strokeWidth=1.5).encode(x2="end:Q", **status, tooltip=tooltip)
    points = base.mark_point(shape="diamond", size=110, opacity=1).encode(**status, tooltip=tooltip).transform_filter("datum.start === datum.end")
    return alt.layer(spans, points, data=plotted).properties(width=plot_width, height=alt.Step(30), autosize={"type": "pad"})
