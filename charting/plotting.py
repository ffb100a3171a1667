"""Helpers the chart modules share: plotted rows with their provenance, and tooltips."""
from __future__ import annotations

import altair as alt
import pandas as pd

from charting import formatting, theme
from charting.editions import N_


def provenance(data, row) -> dict:
    """The columns every plotted row carries: evidence status and source, with labels."""
    return {
        "status": row["status"],
        "status_label": data.evidence[row["status"]].label,
        "source": row["source"],
        "citation": formatting.citation(data.sources[row["source"]], data),
    }


def figure_rows(data, labels: dict[str, str]) -> pd.DataFrame:
    """One plotted row per figure id, labelled, with value text, period, status and source."""
    rows = []
    for figure_id, label in labels.items():
        figure = data.figure(figure_id)
        rows.append(
            {
                "figure_id": figure_id,
                "label": label,
                "value": float(figure["value"]),
                "unit": figure["unit"],
                "bound": figure["bound"],
                "value_text": formatting.value_text(figure, data),
                "short_text": formatting.short_text(figure, data),
                "period": formatting.period_text(figure, data),
                "as_printed": figure["as_printed"],
                **provenance(data, figure),
            }
        )
    return pd.DataFrame(rows)


#: What a figure row's tooltip shows, when a chart names no fields of its own.
FIGURE_TIPS = (
    # Translators: a tooltip's heading for what a bar or mark stands for ("Wheat flour").
    ("label", N_("What")),
    # Translators: a tooltip's heading for a figure's value ("about $6.5 million").
    ("value_text", N_("Value")),
    # Translators: a tooltip's heading for the time a figure covers ("January–July 2025").
    ("period", N_("Period")),
)
#: What every tooltip ends with: the row's evidence status and its source.
PROVENANCE_TIPS = (
    ("status_label", theme.EVIDENCE),
    # Translators: a tooltip's heading for the source a figure or event is cited from.
    ("citation", N_("Source")),
)


def tooltip(data, *fields: tuple[str, str]) -> list[alt.Tooltip]:
    """The tooltip a mark shows: the given (column, title) pairs, then evidence and source,
    each title in the data's language.

    Titles are English, marked where they are written with ``N_("...")`` so the catalogues
    hold them; with no fields it shows what a figure row has: what, value and period.
    """
    fields = fields or FIGURE_TIPS
    return [alt.Tooltip(f"{column}:N", title=data.gettext(title)) for column, title in (*fields, *PROVENANCE_TIPS)]


def row_target(base: alt.Chart, hint, **position) -> alt.Chart:
    """An invisible mark over a whole row that carries its tooltip: drawn last, so nothing
    covers it, and each row is one target for a pointer and for the keyboard."""
    return base.mark_bar(color=theme.PAPER[0], fillOpacity=0, strokeWidth=0, height={"band": 1}).encode(tooltip=hint, **position)


def wrap(text: str, width: int) -> str:
    """Text broken into lines of at most ``width`` characters (a Korean one counts as two, see
    :func:`theme.text_units`), joined by newlines (Vega's lineBreak)."""
    return "\n".join(theme.wrap(str(text), width)) or str(text)


def label_room(texts, plot_width: float) -> float:
    """The share of a bar scale to keep free so the longest end-of-bar label fits beside its bar."""
    longest = max((theme.text_units(t) for t in texts), default=0)
    return min((longest * theme.CHAR_WIDTH + 12) / plot_width, 0.75)


def bar_rows(data, plotted, layout, *, label: str = "label_text", series: str | None = None, series_order=None, bar_tooltip=None, extra_layers=(), maximum: float | None = None):
    """Horizontal bars, one group per ``label``, each value written at its bar's end.

    The group's name sits above its bars, so the bars take the artboard's whole width on a
    phone as on a desktop; no axis is drawn, since every bar carries its value. ``series``
    splits a group into bars (2024 and 2025, say) labelled by ``label``; with ``label=None``
    the group's name says it all (put the value there) and the bars span the whole scale.
    """
    plot_width = layout.width - 16
    top = maximum if maximum is not None else float(plotted["value"].max())
    domain_max = top / (1 - label_room(plotted[label], plot_width)) if label else top
    base = alt.Chart().encode(
        x=alt.X("value:Q", title=None, axis=None, scale=alt.Scale(domain=[0, domain_max], nice=False)),
        **({"y": alt.Y(f"{series}:N", sort=series_order, axis=None, title=None)} if series else {}),
    )
    hint = bar_tooltip or tooltip(data)
    key_title = data.gettext(theme.EVIDENCE)
    # A value known only as a bound ("under $1 million") is a bracket that stops at the bound,
    # never a bar: the true value lies somewhere along it.
    bars = base.mark_bar(height={"band": 0.82}).encode(**theme.status_encodings(data.evidence, plotted["status"], title=key_title)).transform_filter("datum.bound !== 'upper'")
    line = theme.status_encodings(data.evidence, plotted["status"], marks="line", title=key_title)
    bracket = base.mark_rule(strokeWidth=3).encode(x2=alt.datum(0), **line).transform_filter("datum.bound === 'upper'")
    bracket_end = base.mark_tick(thickness=3, size=18, opacity=1).encode(**line).transform_filter("datum.bound === 'upper'")
    # The whole row answers the pointer and the keyboard, so a bar too thin to aim at (540 t
    # beside 180,000 t) still shows its values.
    target = row_target(base, hint, x=alt.datum(0), x2=alt.datum(domain_max))
    labels = [base.mark_text(align="left", dx=6).encode(text=f"{label}:N")] if label else []
    baseline = alt.Chart().mark_rule(color=theme.DOMAIN[0]).encode(x=alt.datum(0))
    plotted = plotted.assign(group=[wrap(text, layout.line_chars) for text in plotted["label"]])
    step = 26 if series else 30
    return (
        alt.layer(*extra_layers, bars, bracket, bracket_end, *labels, baseline, target, width=plot_width, height=alt.Step(step) if series else step)
        .facet(
            data=plotted,
            row=alt.Row(
                "group:N",
                title=None,
                sort=list(dict.fromkeys(plotted["group"])),
                header=alt.Header(labelAngle=0, labelOrient="top", labelAnchor="start", labelFontWeight=600, labelPadding=4, labelExpr="split(datum.value, '\\n')"),
            ),
            spacing=12,
        )
        .properties(autosize={"type": "pad"})
    )
