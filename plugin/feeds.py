"""The corrections feed: every correction to the site, newest first, as Atom, one per edition
(``corrections.atom`` at the edition's home: ``/ko/corrections.atom``)."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

from feedgenerator import Atom1Feed

from plugin import i18n
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


def write_corrections_feed(prepared, settings, urls: ChartUrls, output: Path, prefix: str = "") -> Path:
    """The feed of one edition (``prefix`` its folder, '' for English), in its language."""
    data = prepared.data
    home = f"{urls.site_url}/{prefix}"
    feed = _DataDatedFeed(
        updated=last_changed(data),
        title=data.gettext("{site}: corrections").format(site=i18n.setting(data, settings, "SITENAME")),
        link=f"{home}corrections/",
        feed_url=f"{home}{FEED_PATH}",
        description=data.gettext("Every correction to the site's text, charts and data."),
        language=data.lang,
    )
    charts = prepared.charts
    for row in data.corrections.sort_values("date", ascending=False).to_dict("records"):
        target = row["target"]
        link = urls.url(target) if target in charts else f"{home}corrections/#correction-{row['correction_id']}"
        title = charts[target].headline if target in charts else target
        feed.add_item(
            title=data.gettext("Correction: {title}").format(title=title),
            link=link,
            unique_id=f"{home}corrections/#correction-{row['correction_id']}",
            description=data.gettext("{what_changed} Why: {why}").format(what_changed=row["what_changed"], why=row["why"]),
            pubdate=_midnight(row["date"]),
        )
    path = output / prefix / FEED_PATH
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8") as handle:
        feed.write(handle, "utf-8")
    return path
