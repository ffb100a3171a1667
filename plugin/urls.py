"""Where the chart pages live, from Pelican-style settings.

``CHARTS_URL`` / ``CHARTS_SAVE_AS`` place a chart's page (``{id}`` is the chart id), and
``CHARTS_INDEX_URL`` / ``CHARTS_INDEX_SAVE_AS`` the index of charts, as ``PAGE_URL`` and
``PAGE_SAVE_AS`` place Pelican's pages. A chart's downloads, metadata, oEmbed and social card
sit in its page's folder, its embed in ``embed/`` and each version in ``v<N>/`` under it, so a
chart's page must be an ``index.html`` in a folder of its own: its URL ends in ``/`` and its
SAVE_AS is that folder's ``index.html``.

``CHARTS_DATA_URL`` is the folder the whole data package is published in: ``datapackage.json``
and one CSV per table.
"""
from __future__ import annotations

import dataclasses
import posixpath
import re
from dataclasses import dataclass

from dataset.errors import BuildError, Problem

DEFAULTS = {
    "CHARTS_URL": "charts/{id}/",
    "CHARTS_SAVE_AS": "charts/{id}/index.html",
    "CHARTS_INDEX_URL": "charts/",
    "CHARTS_INDEX_SAVE_AS": "charts/index.html",
    "CHARTS_DATA_URL": "data/",
}


@dataclass(frozen=True)
class ChartUrls:
    site_url: str
    page_url: str = DEFAULTS["CHARTS_URL"]
    page_save_as: str = DEFAULTS["CHARTS_SAVE_AS"]
    index_url: str = DEFAULTS["CHARTS_INDEX_URL"]
    index_save_as: str = DEFAULTS["CHARTS_INDEX_SAVE_AS"]
    data_url: str = DEFAULTS["CHARTS_DATA_URL"]

    @classmethod
    def from_settings(cls, settings) -> ChartUrls:
        urls = cls(
            settings.get("SITEURL", "").rstrip("/"),
            settings["CHARTS_URL"],
            settings["CHARTS_SAVE_AS"],
            settings["CHARTS_INDEX_URL"],
            settings["CHARTS_INDEX_SAVE_AS"],
            settings["CHARTS_DATA_URL"],
        )
        urls.check()
        return urls

    def check(self) -> None:
        problems = []
        if "{id}" not in self.page_url or not self.page_url.endswith("/"):
            problems.append(f"CHARTS_URL {self.page_url!r} must contain {{id}} and end in '/': a chart's files sit in its page's folder")
        elif self.page_save_as != self.page_url + "index.html":
            problems.append(f"CHARTS_SAVE_AS {self.page_save_as!r} must be {self.page_url + 'index.html'!r}, the index.html of CHARTS_URL's folder")
        if not self.index_url.endswith("/") or self.index_save_as != self.index_url + "index.html":
            problems.append(f"CHARTS_INDEX_URL {self.index_url!r} must end in '/' and CHARTS_INDEX_SAVE_AS be its folder's index.html")
        parts = self.data_url.rstrip("/").split("/")
        if not self.data_url.endswith("/") or any(part in ("", ".", "..") or not re.fullmatch(r"[A-Za-z0-9._-]+", part) for part in parts):
            problems.append(f"CHARTS_DATA_URL {self.data_url!r} must be a folder of the site, such as 'data/': names of letters, digits, '.', '_' or '-', ending in '/'")
        if problems:
            raise BuildError([Problem("pelicanconf.py", message) for message in problems])

    def in_edition(self, prefix: str) -> ChartUrls:
        """The same places under an edition's folder (``ko/``): ``ko/charts/{id}/``."""
        if not prefix:
            return self
        # One dataset serves every edition: its folder stays where it is.
        return dataclasses.replace(self, page_url=prefix + self.page_url, page_save_as=prefix + self.page_save_as, index_url=prefix + self.index_url, index_save_as=prefix + self.index_save_as)

    def folder(self, chart_id: str) -> str:
        """The chart's folder in output/, relative to it: ``charts/food_scale``."""
        return posixpath.dirname(self.page_save_as.format(id=chart_id))

    def path(self, chart_id: str, name: str = "") -> str:
        """A page's or file's URL path within the chart's folder, relative to the site."""
        return self.page_url.format(id=chart_id) + name

    def url(self, chart_id: str, name: str = "") -> str:
        """The absolute URL (with SITEURL) of the chart's page, or of a file in its folder."""
        return f"{self.site_url}/{self.path(chart_id, name)}"

    @property
    def data_folder(self) -> str:
        """The published data package's folder in output/, relative to it: ``data``."""
        return self.data_url.rstrip("/")

    def data_file(self, name: str) -> str:
        """The absolute URL (with SITEURL) of a file of the published data package."""
        return f"{self.site_url}/{self.data_url}{name}"

    @property
    def index(self) -> str:
        return f"{self.site_url}/{self.index_url}"

    @property
    def reserved(self) -> tuple[str, ...]:
        """Output folders that belong to the chart pages and the data package, which no narrative page may write into."""
        return tuple(sorted({self.page_save_as.split("/")[0] + "/", self.index_save_as.split("/")[0] + "/", self.data_url.split("/")[0] + "/"}))
