"""The scale of the food in question: one shipment, one pledge, one bad harvest.

The 540-tonne Kuzbass flour shipment, the 33,000-tonne aid pledge and the 180,000-tonne fall
in North Korea's 2022 food output, on one scale, with each spread over the population.
"""
from charting import formatting
from charting.editions import N_
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
    names = {
        # Translators: a bar: the one documented shipment of flour from the Kuzbass region of Siberia.
        "kuzbass_flour_shipment": data.gettext("One shipment from Kuzbass"),
        # Translators: a bar: the flour Russia pledged as aid to North Korea.
        "flour_aid_pledge": data.gettext("Flour aid pledged"),
        # Translators: a bar: how much less food North Korea produced than the year before.
        "harvest_shortfall_2022": data.gettext("Fall in food output"),
    }
    # Translators: a bar's name and the time its figure covers ("Flour aid pledged, undated").
    named = data.gettext("{what}, {period}")
    plotted = figure_rows(data, {fid: named.format(what=name, period=formatting.period_text(data.figure(fid), data)) for fid, name in names.items()})
    plotted["per_person"] = plotted["figure_id"].map({fid: formatting.value_text(data.figure(pid), data) for fid, pid in PER_PERSON.items()})
    per_person_short = plotted["figure_id"].map({fid: formatting.short_text(data.figure(pid), data) for fid, pid in PER_PERSON.items()})
    # Translators: beside a bar: the tonnage, then what it would be for each person in North Korea ("33,000 t · 1.27 kg each").
    each = data.gettext("{value} · {per_person} each")
    plotted["label_text"] = [each.format(value=value, per_person=per_person) for value, per_person in zip(plotted["short_text"], per_person_short)]
    hint = tooltip(
        data,
        ("label", N_("What")),
        ("value_text", N_("Value")),
        # Translators: a tooltip's heading: the tonnage shared out over North Korea's population, by our calculation.
        ("per_person", N_("Per person (derived)")),
        ("period", N_("Period")),
    )
    return bar_rows(data, plotted, layout, bar_tooltip=hint)
