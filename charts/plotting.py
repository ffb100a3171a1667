"""Helpers the chart modules share: plotted rows with their provenance, and tooltips."""
from __future__ import annotations

import altair as alt
import pandas as pd

from charts import formatting, theme


def provenance(data, row) -> dict:
    """The columns every plotted row carries: evidence status and source, with labels."""
    return {
        "status": row["status"],
        "status_label": theme.STATUS_LABELS[row["status"]],
        "source": row["source"],
        "citation": data.sources[row["source"]].citation,
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
                "value_text": formatting.value_text(figure, data.units),
                "short_text": formatting.short_text(figure),
                "period": formatting.period_text(figure),
                "as_printed": figure["as_printed"],
                **provenance(data, figure),
            }
        )
    return pd.DataFrame(rows)


def tooltip(*fields: tuple[str, str]) -> list[alt.Tooltip]:
    """The tooltip a mark shows: the given (column, title) pairs, then evidence and source.

    With no fields it shows what a figure row has: what, value and period.
    """
    fields = fields or (("label", "What"), ("value_text", "Value"), ("period", "Period"))
    return [alt.Tooltip(f"{column}:N", title=title) for column, title in (*fields, ("status_label", "Evidence"), ("citation", "Source"))]


def usd_axis(title: str = "US dollars", ticks: int = 5) -> alt.Axis:
    return alt.Axis(title=title, format="$.2~s", labelExpr="replace(datum.label, 'M', 'm')", tickCount=ticks)
