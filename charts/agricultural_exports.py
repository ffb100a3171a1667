"""Agricultural exports and flour, January–July 2024 and 2025.

Russia's farm exports to North Korea in the first seven months of 2025 beside the same
months of 2024: in total, for wheat flour, and for everything but flour. Only the 2025 total
and flour are reported; the 2024 values and the rest are our calculations, drawn as outlines.
"""
from charting.editions import N_
from charting.formatting import short_text, year_text
from charting.plotting import bar_rows, figure_rows, tooltip
from charting.registry import Furniture

FURNITURE = Furniture(
    headline="Flour sales grew far faster than Russia's farm exports as a whole",
    subhead="Russian agricultural exports to North Korea, {{fig ag_exports_2024_jan_jul:period}} and {{fig ag_exports_2025_jan_jul:period}}, US dollars",
    alt=(
        "Bar chart. Russian agricultural exports to North Korea were {{fig ag_exports_2025_jan_jul}} "
        "in {{fig ag_exports_2025_jan_jul:period}}, up {{fig ag_exports_growth_2025}} from an implied {{fig ag_exports_2024_jan_jul:bare}}. "
        "Wheat flour was {{fig flour_exports_2025_jan_jul}}, up {{fig flour_exports_growth_2025}} from an implied "
        "{{fig flour_exports_2024_jan_jul:bare}}. Everything else fell from {{fig non_flour_ag_exports_2024_jan_jul}} "
        "to {{fig non_flour_ag_exports_2025_jan_jul}}, by our calculation."
    ),
    description=(
        "Three pairs of bars. For all agricultural products, the later value is {{fig ag_exports_2025_jan_jul}} (reported by "
        "{{source nknews_sibagro}}) and the earlier one {{fig ag_exports_2024_jan_jul}}, which no source prints: we divided "
        "the later value by one plus the {{fig ag_exports_growth_2025}} growth rate. For wheat flour, the later value is "
        "{{fig flour_exports_2025_jan_jul}} and the earlier {{fig flour_exports_2024_jan_jul}}, derived the same way from the "
        "{{fig flour_exports_growth_2025}} rise. Subtracting flour from the total leaves {{fig non_flour_ag_exports_2024_jan_jul}} "
        "before and {{fig non_flour_ag_exports_2025_jan_jul}} after, a fall of {{fig non_flour_ag_exports_fall_2025}}. "
        "Derived bars are drawn as dotted outlines."
    ),
    notes=(
        "The earlier values are derived from the later ones and their growth rates; no source prints them.",
        "The flour figures come from an undated report; its \"last year\" is read as {{fig flour_exports_2025_jan_jul:year}}.",
        ("Everything but flour subtracts one report's flour figure from another's total: the fall of "
        "{{fig non_flour_ag_exports_fall_2025}} holds only if both count exports the same way."),
    ),
)

GROUPS = {
    N_("All farm products"): ("ag_exports_2024_jan_jul", "ag_exports_2025_jan_jul", "ag_exports_growth_2025", "up"),
    N_("Wheat flour"): ("flour_exports_2024_jan_jul", "flour_exports_2025_jan_jul", "flour_exports_growth_2025", "up"),
    N_("Everything but flour"): ("non_flour_ag_exports_2024_jan_jul", "non_flour_ag_exports_2025_jan_jul", "non_flour_ag_exports_fall_2025", "down"),
}
#: The 2025 bar's value with the change on a year earlier, by the way it went.
CHANGES = {
    # Translators: beside a bar: its value, then how much it rose on the year before ("$6.5m, up 4%").
    "up": N_("{value}, up {change}"),
    # Translators: beside a bar: its value, then how much it fell on the year before ("$2.1m, down ~21%").
    "down": N_("{value}, down {change}"),
}


def build(data, layout):
    plotted = figure_rows(data, {figure_id: data.gettext(group) for group, ids in GROUPS.items() for figure_id in ids[:2]})
    plotted["year"] = [year_text(data.figure(fid)["period"], data) for fid in plotted["figure_id"]]
    # The change is written beside the 2025 bar: the annotation that carries the point.
    change = {ids[1]: (ids[2], ids[3]) for ids in GROUPS.values()}
    values = [
        data.gettext(CHANGES[change[fid][1]]).format(value=value, change=short_text(data.figure(change[fid][0]), data)) if fid in change else value
        for fid, value in zip(plotted["figure_id"], plotted["short_text"])
    ]
    plotted["label_text"] = plotted["year"] + "  " + values
    hint = tooltip(
        data,
        ("label", N_("What")),
        # Translators: a tooltip's heading for the year a bar stands for ("2025").
        ("year", N_("Year")),
        ("value_text", N_("Value")),
        ("period", N_("Period")),
    )
    return bar_rows(data, plotted, layout, series="year", series_order=sorted(set(plotted["year"])), bar_tooltip=hint)
