"""sitemap.xml and robots.txt: every page a reader or a search engine should find.

Written from the theme's templates (``sitemap.xml``, ``robots.txt``) with Pelican's own Jinja
environment. The sitemap lists the narrative pages, the chart index and each chart's page, with
the date each last changed taken from the content (a page's Modified or Date, a chart's latest
version), so two builds of one commit write the same file. Embeds and earlier versions of a
chart are left out: they are not pages to land on from a search.
"""
from __future__ import annotations

from pelican.generators import Generator

from charting import versions
from plugin.state import state_of

SITEMAP_PATH = "sitemap.xml"
ROBOTS_PATH = "robots.txt"


class SitemapGenerator(Generator):
    def generate_output(self, writer) -> None:
        state = state_of(self.settings)
        if state is None or state.errors:
            return
        site_url = self.settings.get("SITEURL", "").rstrip("/")
        entries = [(f"{site_url}/{page.url}", (getattr(page, "modified", None) or page.date).date().isoformat()) for page in self.context.get("pages", ()) if page.status == "published"]
        # A chart page changes when a new version of its chart is released.
        charts = [(state.urls.url(chart_id), history[-1].released) for chart_id, history in versions.history(state.prepared.data).items()]
        if charts:
            entries.append((state.urls.index, max(released for _, released in charts)))
        entries += charts
        context = {**self.context, "entries": sorted(entries), "sitemap_url": f"{site_url}/{SITEMAP_PATH}"}
        writer.write_file(SITEMAP_PATH, self.env.get_template(SITEMAP_PATH), context, relative_urls=False)
        writer.write_file(ROBOTS_PATH, self.env.get_template(ROBOTS_PATH), context, relative_urls=False)
