"""What Russia sold North Korea in January–July 2025.

The reported total of Russian agricultural exports split into its parts: wheat flour, pork and
the remainder. The remainder is our subtraction across two reports, drawn as an outline.
"""
import altair as alt

from charting import theme
from charting.editions import N_
from charting.plotting import figure_rows, tooltip
from charting.registry import Furniture

FURNITURE = Furniture(
    headline="Flour and pork made up most of Russia's reported farm sales",
    subhead="Russian agricultural exports to North Korea, {{fig ag_exports_2025_jan_jul:period}}, US dollars",
    alt=(
        "Bar split into parts. Of {{fig ag_exports_2025_jan_jul}} in Russian agricultural exports to North Korea in "
        "{{fig ag_exports_2025_jan_jul:period}}, wheat flour was {{fig flour_exports_2025_jan_jul}} and pork {{fig pork_exports_2025_jan_jul}}, "
        "leaving {{fig other_ag_exports_2025_jan_jul}} for everything else."
    ),
    description=(
        "One bar for the total, {{fig ag_exports_2025_jan_jul}}, split into flour, {{fig flour_exports_2025_jan_jul}} "
        "({{fig flour_share_of_ag_exports_2025}} of the total by our division), pork, {{fig pork_exports_2025_jan_jul}} "
        "({{fig pork_share_of_ag_exports_2025}}), and the remainder, {{fig other_ag_exports_2025_jan_jul}}, which is the total "
        "minus flour and pork, computed by us across two reports and drawn as a dotted outline. The total and pork come "
        "from NK News; flour comes from an undated report that calls it nearly half of the total."
    ),
    notes=(
        "The remainder combines two reports whose figures may not be measured the same way; treat it as rough.",
        "The total is printed as {{fig ag_exports_2025_jan_jul}}, so the remainder inherits that rounding.",
    ),
)

PARTS = {
    "flour_exports_2025_jan_jul": N_("Wheat flour"),
    "pork_exports_2025_jan_jul": N_("Pork"),
    # Translators: the part of Russia's farm exports that is neither wheat flour nor pork.
    "other_ag_exports_2025_jan_jul": N_("Everything else"),
}
TOTAL = "ag_exports_2025_jan_jul"
#: Where the parts' labels go under the bar (px from the top), and their line height.
LABEL_Y = 82
LABEL_LINE = 17
#: How far a label that would run into its neighbour drops: below the others' two lines.
LOWER = 2 * LABEL_LINE + 8
#: The least room kept between two labels side by side, in pixels.
LABEL_GAP = 6


def build(data, layout):
    plotted = figure_rows(data, {TOTAL: data.gettext("All farm products"), **{fid: data.gettext(name) for fid, name in PARTS.items()}})
    plotted["role"] = ["total"] + ["part"] * len(PARTS)
    ends = plotted["value"].where(plotted["role"] == "part", 0).cumsum()
    plotted["start"] = (ends - plotted["value"]).where(plotted["role"] == "part", 0)
    plotted["end"] = ends.where(plotted["role"] == "part", plotted["value"])
    # Each part's name and value under its own segment; the last one ends at the bar's end.
    plotted["anchor"] = ["total", "start", "start", "end"]
    plotted["label_text"] = plotted["label"] + "\n" + plotted["short_text"]
    width = layout.width - 8
    scale = alt.Scale(domain=[0, float(plotted.loc[plotted["role"] == "total", "value"].iloc[0])], nice=False)
    x = alt.X("start:Q", title=None, axis=None, scale=scale)
    hint = tooltip(data)
    key_title = data.gettext(theme.EVIDENCE)
    total = alt.Chart().transform_filter("datum.role === 'total'")
    parts = alt.Chart().transform_filter("datum.role === 'part'")
    bracket = total.mark_rule(strokeWidth=2).encode(x=x, x2="end:Q", y=alt.value(26), **theme.status_encodings(data.evidence, plotted["status"], marks="line", title=key_title), tooltip=hint)
    total_label = total.mark_text(align="left", baseline="bottom", fontWeight=600).encode(x=x, y=alt.value(20), text=alt.Text("total_text:N"))
    segments = parts.mark_bar().encode(
        x=x, x2="end:Q", y=alt.value(34), y2=alt.value(74), **theme.status_encodings(data.evidence, plotted["status"], title=key_title), tooltip=hint
    )
    # A gap in the page's colour between touching segments, so parts of one status stay apart.
    gaps = parts.transform_filter("datum.start > 0").mark_rule(color=theme.PAPER[0], strokeWidth=3).encode(x=x, y=alt.value(34), y2=alt.value(74))
    # A label that would run into the one before it (a translation may be longer than the
    # English) drops below the others.
    lowered = _lowered(plotted, width)
    tiers = [("", LABEL_Y)] if not lowered else [(f" && indexof({lowered}, datum.figure_id) < 0", LABEL_Y), (f" && indexof({lowered}, datum.figure_id) >= 0", LABEL_Y + LOWER)]
    labels = [
        parts.transform_filter(f"datum.anchor === '{anchor}'{tier}")
        .mark_text(align=align, baseline="top", lineBreak="\n", lineHeight=LABEL_LINE, dx=dx)
        .encode(x=alt.X(f"{anchor}:Q", scale=scale), y=alt.value(y), text="label_text:N")
        for tier, y in tiers
        for anchor, align, dx in (("start", "left", 2), ("end", "right", -2))
    ]
    return (
        alt.layer(bracket, total_label, segments, gaps, *labels, data=plotted, width=width, height=120 + (LOWER if lowered else 0))
        .transform_calculate(total_text="datum.label + '  ' + datum.short_text")
        .properties(autosize={"type": "pad"})
    )


def _lowered(plotted, width: float) -> list[str]:
    """The parts whose labels would run into the label before them on one line of labels, as
    their widths are estimated (theme.text_units); these drop below the others."""
    total = float(plotted.loc[plotted["role"] == "total", "value"].iloc[0])
    lowered, reach = [], float("-inf")
    for _, part in plotted[plotted["role"] == "part"].iterrows():
        size = max(theme.text_units(line) for line in part["label_text"].split("\n")) * theme.CHAR_WIDTH
        left = part["start"] / total * width + 2 if part["anchor"] == "start" else part["end"] / total * width - 2 - size
        if left < reach + LABEL_GAP:
            lowered.append(part["figure_id"])
        else:
            reach = left + size
    return lowered
