"""The corrections feed: every correction to the site, newest first, as Atom."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

from feedgenerator import Atom1Feed

from plugin.urls import ChartUrls

FEED_PATH = "corrections.atom"


class _DataDatedFeed(Atom1Feed):
    """An Atom feed whose ``updated`` comes from the data, never the clock, so builds repeat."""

    def __init__(self, *args, updated: dt.datetime, **kwargs):
        super().__init__(*args, **kwargs)
        self.updated = updated

    def latest_post_date(self) -> dt.datetime:
        return max([self.updated, *(item["pubdate"] for item in self.items if item.get("pubdate"))])


def _midnight(day: str) -> dt.datetime:
    return dt.datetime.combine(dt.date.fromisoformat(str(day)), dt.time(), tzinfo=dt.UTC)


def last_changed(data) -> dt.datetime:
    """When the site's charts or corrections last changed: the latest correction or release."""
    days = [*data.corrections["date"], *data.chart_versions["released"]]
    return max(_midnight(day) for day in days)


def write_corrections_feed(prepared, settings, urls: ChartUrls, output: Path) -> Path:
    site_url = urls.site_url
    feed = _DataDatedFeed(
        updated=last_changed(prepared.data),
        title=f"{settings['SITENAME']}: corrections",
        link=f"{site_url}/corrections/",
        feed_url=f"{site_url}/{FEED_PATH}",
        description="Every correction to the site's text, charts and data.",
        language=settings.get("DEFAULT_LANG", "en"),
    )
    charts = prepared.charts
    for row in prepared.data.corrections.sort_values("date", ascending=False).to_dict("records"):
        target = row["target"]
        link = urls.url(target) if target in charts else f"{site_url}/corrections/#correction-{row['correction_id']}"
        title = charts[target].headline if target in charts else target
        feed.add_item(
            title=f"Correction: {title}",
            link=link,
            unique_id=f"{site_url}/corrections/#correction-{row['correction_id']}",
            description=f"{row['what_changed']} Why: {row['why']}",
            pubdate=_midnight(row["date"]),
        )
    path = output / FEED_PATH
    with open(path, "w", encoding="utf-8") as handle:
        feed.write(handle, "utf-8")
    return path
