"""A two-way ledger: what is reported to flow between Russia and North Korea.

Food, livestock and aid one way; munitions and people the other; each item marked with its
evidence status, so confirmed deliveries and alleged trades are not read as the same thing.
"""
import altair as alt
import pandas as pd

from charting import formatting, plotting, theme
from charting.editions import N_
from charting.registry import Furniture
from charting.theme import status_encodings

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

DIRECTIONS = {
    # Translators: the heading of the list of what flows from Russia to North Korea.
    "to_north_korea": N_("To North Korea"),
    # Translators: the heading of the list of what flows from North Korea to Russia.
    "to_russia": N_("To Russia"),
}


def build(data, layout):
    directions = {key: data.gettext(name) for key, name in DIRECTIONS.items()}
    # Translators: an item of the two-way ledger and the figure that sizes it ("Wheat flour sales · $6.5m").
    sized = data.gettext("{item} · {value}")
    rows = []
    for flow_id, flow in data.flows.iterrows():
        label = flow["item"]
        if flow["figure_id"]:
            label = sized.format(item=label, value=formatting.short_text(data.figure(flow["figure_id"]), data))
        label = "\n".join(theme.wrap(label, layout.label_chars + 14))
        rows.append(
            {
                "flow_id": flow_id,
                "direction": directions[flow["direction"]],
                "item": label,
                "order": list(data.evidence.statuses).index(flow["status"]),
                "when": formatting.period_text(data.figure(flow["figure_id"]), data) if flow["figure_id"] else "",
                "note": flow["note"],
                **plotting.provenance(data, flow),
            }
        )
    plotted = pd.DataFrame(rows)
    tooltip = plotting.tooltip(
        data,
        # Translators: a tooltip's heading for what flows (an item of the two-way ledger).
        ("item", N_("Item")),
        # Translators: a tooltip's heading for the date or period of a figure or an event.
        ("when", N_("When")),
        # Translators: a tooltip's heading for a remark on the item.
        ("note", N_("Note")),
    )
    # Side by side on a desktop, one above the other on a phone.
    column_width = (layout.width - 40) // 2 if not layout.is_phone else layout.width - 8
    base = alt.Chart().encode(
        y=alt.Y("item:N", title=None, axis=None, sort=alt.EncodingSortField("order")),
    )
    # A square drawn as a bar, so its fill, edge and dash follow the evidence key exactly.
    markers = base.mark_bar(height=14).encode(x=alt.value(2), x2=alt.value(16), **status_encodings(data.evidence, plotted["status"], title=data.gettext(theme.EVIDENCE)))
    labels = base.mark_text(align="left", lineBreak="\n", lineHeight=17, baseline="middle").encode(x=alt.value(24), text="item:N")
    target = plotting.row_target(base, tooltip, x=alt.value(0), x2=alt.value(column_width))
    header = alt.Header(labelAngle=0, labelOrient="top", labelAnchor="start", labelFontWeight=600, labelFontSize=15)
    # Each row tall enough for the longest label: 40 px holds two lines; a translation may run to three.
    lines = max(item.count("\n") + 1 for item in plotted["item"])
    panels = alt.layer(markers, labels, target, width=column_width, height=alt.Step(max(40, 17 * lines + 6)))
    facet = {"row": alt.Row("direction:N", title=None, sort=list(directions.values()), header=header)} if layout.is_phone else {
        "column": alt.Column("direction:N", title=None, sort=list(directions.values()), header=header)
    }
    return panels.facet(data=plotted, spacing=20, **facet).resolve_scale(y="independent").properties(autosize={"type": "pad"})
