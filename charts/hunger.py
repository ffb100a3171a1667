"""Hunger in North Korea: the undernourished share of the population and stunted children.

Two shares out of 100, each of its own whole: people who are undernourished (our division of
two Human Rights Watch figures) and children stunted by chronic malnutrition.
"""
import altair as alt
import pandas as pd

from charting import theme
from charting.formatting import short_text
from charting.plotting import bar_rows, figure_rows, tooltip
from charting.registry import Furniture

FURNITURE = Furniture(
    headline="By Human Rights Watch's figures, {{fig undernourished_share}} of North Koreans are undernourished",
    subhead="Per cent of all people, and of children; the source gives no reference year",
    alt=(
        "Bar chart. Of a population of {{fig population_total}}, {{fig undernourished_people}} are undernourished, "
        "{{fig undernourished_share}} of the population; {{fig children_stunted_share}} of children are stunted."
    ),
    description=(
        "Two bars, each on a track from 0 to 100 per cent of its own group. The undernourished share of all people, "
        "{{fig undernourished_share}}, is our division of {{fig undernourished_people}} by a population of "
        "{{fig population_total}}, both cited from Human Rights Watch; it is drawn as a dotted outline. The stunted "
        "share, {{fig children_stunted_share}}, is a share of children, not of the whole population, and is reported directly."
    ),
    notes=(
        "The source gives no reference year for these figures.",
        "The two shares have different bases (all people, children) and cannot be added or compared as parts of one whole.",
    ),
)


def build(data, layout):
    names = {
        # Translators: a bar: the undernourished people as a share of North Korea's whole population.
        "undernourished_share": data.gettext("Undernourished, share of all people"),
        # Translators: a bar: the children stunted by chronic malnutrition as a share of all children.
        "children_stunted_share": data.gettext("Stunted, share of children"),
    }
    # The value goes in the group's name, so the bar's scale can run the whole width to 100%.
    values = {fid: short_text(data.figure(fid), data) for fid in names}
    patterns = {
        # Translators: a bar's name and its value ("Stunted, share of children: 18%").
        "reported": data.gettext("{what}: {value}"),
        # Translators: a bar's name and its value, which we worked out from the source's figures.
        "derived": data.gettext("{what}: {value} (our calculation)"),
    }
    plotted = figure_rows(data, {fid: patterns["derived" if data.figure(fid)["status"] == "derived" else "reported"].format(what=name, value=values[fid]) for fid, name in names.items()})
    # The whole each share is of: a thin line to 100 with its end marked, unlike any mark of the key;
    # 100% written as the shares are (a Russian edition spaces it: 100 %).
    hundred = short_text(pd.Series({"value": 100.0, "unit": data.figure("children_stunted_share")["unit"], "bound": "exact"}), data)
    whole = alt.Chart().transform_calculate(whole="100")
    track = whole.mark_rule(color=theme.TRACK[0], strokeWidth=6).encode(x=alt.X("whole:Q", axis=None), x2=alt.datum(0))
    end = whole.mark_text(align="right", dy=-16, color=theme.MUTED[0]).encode(x=alt.X("whole:Q", axis=None), text=alt.value(hundred))
    return bar_rows(data, plotted, layout, label=None, maximum=100, extra_layers=(track, end), bar_tooltip=tooltip(data))
