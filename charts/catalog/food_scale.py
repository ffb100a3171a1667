"""The scale of the food in question: one shipment, one pledge, one bad harvest.

The 540-tonne Kuzbass flour shipment, the 33,000-tonne aid pledge and the 180,000-tonne fall
in North Korea's 2022 food output, on one scale, with each spread over the population.
"""
import altair as alt

from charts import formatting
from charts.plotting import figure_rows, tooltip
from charts.registry import Furniture
from charts.theme import status_encodings

FURNITURE = Furniture(
    headline="Russia's flour is small beside North Korea's food gap",
    subhead="Tonnes, and what each would mean per person if shared by everyone",
    alt=(
        "Bar chart. The Kuzbass shipment of {{fig kuzbass_flour_shipment}} is {{fig kuzbass_shipment_per_person}}; "
        "the pledged aid of {{fig flour_aid_pledge}} is {{fig flour_aid_pledge_per_person}}; the fall in 2022 food "
        "output of {{fig harvest_shortfall_2022}} is {{fig harvest_shortfall_per_person}}."
    ),
    description=(
        "Three bars on one linear scale of tonnes. The Kuzbass flour shipment ({{fig kuzbass_flour_shipment}}, confirmed "
        "by a Russian inspection agency) is too small to see beside the pledged flour aid ({{fig flour_aid_pledge}}, reported) "
        "and the estimated shortfall in 2022 food output compared with 2021 ({{fig harvest_shortfall_2022}}, a South Korean "
        "estimate). Each label also gives the amount per person, using a population of {{fig population_total}}: "
        "these per-person values are our calculation."
    ),
    notes=(
        "Sources write 'tons' without always saying which; we read metric tonnes (see Sources and method).",
        "Per-person values divide by a population of about 26 million, a figure the source gives without a year.",
        "The aid pledge is undated; the shortfall compares 2022 with 2021.",
    ),
)

PER_PERSON = {
    "kuzbass_flour_shipment": "kuzbass_shipment_per_person",
    "flour_aid_pledge": "flour_aid_pledge_per_person",
    "harvest_shortfall_2022": "harvest_shortfall_per_person",
}


def build(data):
    plotted = figure_rows(
        data,
        {
            "kuzbass_flour_shipment": "Kuzbass shipment",
            "flour_aid_pledge": "Aid pledged",
            "harvest_shortfall_2022": "2022 food shortfall",
        },
    )
    plotted["per_person"] = plotted["figure_id"].map({fid: formatting.value_text(data.figure(pid), data.units) for fid, pid in PER_PERSON.items()})
    per_person_short = plotted["figure_id"].map({fid: formatting.short_text(data.figure(pid)) for fid, pid in PER_PERSON.items()})
    plotted["label_text"] = plotted["short_text"] + "\n" + per_person_short + " each"

    base = alt.Chart().encode(
        y=alt.Y("label:N", title=None, sort=list(plotted["label"])),
        x=alt.X("value:Q", title="Tonnes", scale=alt.Scale(domain=[0, 400_000]), axis=alt.Axis(format=",d", tickCount=4)),
    )
    bars = base.mark_bar(height={"band": 0.7}).encode(
        **status_encodings(plotted["status"]),
        tooltip=tooltip(("label", "What"), ("value_text", "Value"), ("per_person", "Per person (derived)"), ("period", "Period")),
    )
    labels = base.mark_text(align="left", dx=5, lineBreak="\n", lineHeight=16).encode(text="label_text:N")
    return alt.layer(bars, labels, data=plotted).properties(height=alt.Step(46))
