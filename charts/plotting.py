"""Helpers the chart modules share: plotted rows with their provenance, and tooltips."""
from __future__ import annotations

import altair as alt
import pandas as pd

from charts import formatting, theme


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
                "status": figure["status"],
                "status_label": theme.STATUS_LABELS[figure["status"]],
                "source": figure["source"],
                "citation": data.sources[figure["source"]].citation,
            }
        )
    return pd.DataFrame(rows)


def tooltip(label: str = "label", title: str = "What") -> list[alt.Tooltip]:
    """The tooltip every mark shows: what, value, period, evidence and source."""
    return [
        alt.Tooltip(f"{label}:N", title=title),
        alt.Tooltip("value_text:N", title="Value"),
        alt.Tooltip("period:N", title="Period"),
        alt.Tooltip("status_label:N", title="Evidence"),
        alt.Tooltip("citation:N", title="Source"),
    ]


def usd_axis(title: str = "US dollars") -> alt.Axis:
    return alt.Axis(title=title, format="$.2~s", labelExpr="replace(datum.label, 'M', 'm')", tickCount=5)
