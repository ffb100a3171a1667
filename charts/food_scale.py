"""The scale of the food in question: one shipment, one pledge, one bad harvest.

The 540-tonne Kuzbass flour shipment, the 33,000-tonne aid pledge and the 180,000-tonne fall
in North Korea's 2022 food output, on one scale, with each spread over the population.
"""
from charting import formatting
from charting.plotting import bar_rows, figure_rows, tooltip
from charting.registry import Furniture

FURNITURE = Furniture(
    headline="The pledged flour equals {{fig flour_aid_pledge_share_of_shortfall}} of the food output North Korea lost in {{fig harvest_shortfall_2022:year}}",
    subhead="Tonnes, read as metric, and what each would be per person if shared by everyone",
    alt=(
        "Bar chart. The Kuzbass shipment of {{fig kuzbass_flour_shipment}} is {{fig kuzbass_shipment_per_person}}; "
        "the pledged aid of {{fig flour_aid_pledge}} is {{fig flour_aid_pledge_per_person}}; the fall in food "
        "output in {{fig harvest_shortfall_2022:period}} of {{fig harvest_shortfall_2022}} is {{fig harvest_shortfall_per_person}}."
    ),
    description=(
        "Three bars on one linear scale of tonnes. The Kuzbass flour shipment ({{fig kuzbass_flour_shipment}}, confirmed "
        "by a Russian inspection agency) is too small to see beside the pledged flour aid ({{fig flour_aid_pledge}}, reported) "
        "and the estimated fall in food output in {{fig harvest_shortfall_2022:period}} on the year before ({{fig harvest_shortfall_2022}}, a South Korean "
        "estimate). The pledge is {{fig flour_aid_pledge_share_of_shortfall}} of the shortfall and the shipment "
        "{{fig kuzbass_shipment_share_of_shortfall}}. Each label also gives the amount per person, using a population of "
        "{{fig population_total}}: these per-person values are our calculation."
    ),
    notes=(
        "Sources write 'tons' without always saying which; we read metric tonnes (see Sources and method).",
        "Per-person values divide by a population of {{fig population_total}}, a figure the source gives without a year.",
        "The aid pledge is undated; the shortfall compares {{fig harvest_shortfall_2022:year}} with the year before and covers all food crops, not only wheat.",
        "One documented shipment is not the whole trade: the sources give no total of Russian flour delivered.",
    ),
)

PER_PERSON = {
    "kuzbass_flour_shipment": "kuzbass_shipment_per_person",
    "flour_aid_pledge": "flour_aid_pledge_per_person",
    "harvest_shortfall_2022": "harvest_shortfall_per_person",
}


def build(data, layout):
    names = {"kuzbass_flour_shipment": "One shipment from Kuzbass", "flour_aid_pledge": "Flour aid pledged", "harvest_shortfall_2022": "Fall in food output"}
    plotted = figure_rows(data, {fid: f"{name}, {formatting.period_text(data.figure(fid))}" for fid, name in names.items()})
    plotted["per_person"] = plotted["figure_id"].map({fid: formatting.value_text(data.figure(pid), data.units) for fid, pid in PER_PERSON.items()})
    per_person_short = plotted["figure_id"].map({fid: formatting.short_text(data.figure(pid), data.units) for fid, pid in PER_PERSON.items()})
    plotted["label_text"] = plotted["short_text"] + " · " + per_person_short + " each"
    hint = tooltip(("label", "What"), ("value_text", "Value"), ("per_person", "Per person (derived)"), ("period", "Period"))
    return bar_rows(data, plotted, layout, bar_tooltip=hint)
