"""The corrections feed: every correction to the site, newest first, as Atom."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

from feedgenerator import Atom1Feed

FEED_PATH = "corrections.atom"


def write_corrections_feed(prepared, settings, output: Path) -> Path:
    site_url = settings.get("SITEURL", "")
    feed = Atom1Feed(
        title=f"{settings['SITENAME']}: corrections",
        link=f"{site_url}/corrections/",
        feed_url=f"{site_url}/{FEED_PATH}",
        description="Every correction to the site's text, charts and data.",
        language=settings.get("DEFAULT_LANG", "en"),
    )
    charts = prepared.charts
    for row in prepared.data.corrections.sort_values("date", ascending=False).to_dict("records"):
        target = row["target"]
        link = f"{site_url}/charts/{target}/" if target in charts else f"{site_url}/corrections/#correction-{row['correction_id']}"
        title = charts[target].headline if target in charts else target
        feed.add_item(
            title=f"Correction: {title}",
            link=link,
            unique_id=f"{site_url}/corrections/#correction-{row['correction_id']}",
            description=f"{row['what_changed']} Why: {row['why']}",
            pubdate=dt.datetime.combine(dt.date.fromisoformat(str(row["date"])), dt.time(), tzinfo=dt.timezone.utc),
        )
    path = output / FEED_PATH
    with open(path, "w", encoding="utf-8") as handle:
        feed.write(handle, "utf-8")
    return path
