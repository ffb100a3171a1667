"""A two-way ledger: what is reported to flow between Russia and North Korea.

Food, livestock and aid one way; munitions and people the other; each item marked with its
evidence status, so confirmed deliveries and alleged trades are not read as the same thing.
"""
import textwrap

import altair as alt
import pandas as pd

from charts import formatting, plotting, theme
from charts.registry import Furniture
from charts.theme import status_encodings

FURNITURE = Furniture(
    headline="What flows each way, and how sure we are of it",
    subhead="Items reported to move between Russia and North Korea, by evidence status",
    alt=(
        "Two lists. To North Korea: flour sales and a confirmed flour shipment, pork, pledged flour aid, confirmed goats, "
        "and alleged offers of food or aid for munitions. To Russia: an estimated {{fig artillery_rounds_2023_2024:bare}} "
        "of artillery ammunition, alleged weapons deliveries, a military delegation, and beer and farm goods."
    ),
    description=(
        "The upper list holds flows to North Korea; the lower list, flows to Russia. Each item is a row with a marker for its "
        "evidence status: solid for confirmed and reported, lighter for estimates, dashed outline for alleged claims. "
        "Where a figure sizes the flow, it follows the item's name. Confirmed items are food and livestock; every item "
        "that links food to munitions is alleged or estimated."
    ),
    notes=(
        "An alleged item is a claim by a party (usually the US government), not an established fact.",
        "Items are not drawn to scale: their units (tonnes, dollars, rounds) cannot be compared.",
    ),
)

#: Labels wrap onto a second line past this many characters, to fit a phone.
LINE_CHARACTERS = 40
DIRECTIONS = {"to_north_korea": "To North Korea", "to_russia": "To Russia"}


def build(data):
    rows = []
    for flow_id, flow in data.flows.iterrows():
        label = flow["item"]
        if flow["figure_id"]:
            label += " · " + formatting.short_text(data.figure(flow["figure_id"]))
        label = "\n".join(textwrap.wrap(label, LINE_CHARACTERS))
        rows.append(
            {
                "flow_id": flow_id,
                "direction": DIRECTIONS[flow["direction"]],
                "item": label,
                "order": theme.EVIDENCE_STATUSES.index(flow["status"]),
                "note": flow["note"],
                **plotting.provenance(data, flow),
            }
        )
    plotted = pd.DataFrame(rows)
    tooltip = plotting.tooltip(("item", "Item"), ("note", "Note"))
    base = alt.Chart().encode(
        y=alt.Y("item:N", title=None, axis=None, sort=alt.EncodingSortField("order")),
    )
    markers = base.mark_point(shape="circle", size=150, filled=True, strokeWidth=1.5, opacity=1).encode(
        x=alt.value(10), **status_encodings(plotted["status"]), tooltip=tooltip
    )
    labels = base.mark_text(align="left", lineBreak="\n", lineHeight=17, baseline="middle").encode(x=alt.value(24), text="item:N", tooltip=tooltip)
    return (
        alt.layer(markers, labels, width=theme.WIDTH, height=alt.Step(40))
        .facet(
            data=plotted,
            row=alt.Row(
                "direction:N",
                title=None,
                sort=list(DIRECTIONS.values()),
                header=alt.Header(labelAngle=0, labelOrient="top", labelAnchor="start", labelFontWeight=600, labelFontSize=15),
            ),
        )
        .resolve_scale(y="independent")
    )
