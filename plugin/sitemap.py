"""sitemap.xml and robots.txt: every page a reader or a search engine should find.

Written from the theme's templates (``sitemap.xml``, ``robots.txt``) with Pelican's own Jinja
environment. The sitemap lists the narrative pages, the chart index and each chart's page in
every edition, each with its alternates in the other languages (``xhtml:link hreflang``), and
the date each last changed taken from the content (a page's Modified or Date, a chart's latest
version), so two builds of one commit write the same file. Embeds and earlier versions of a
chart are left out: they are not pages to land on from a search.
"""
from __future__ import annotations

from pelican.generators import Generator

from charting import versions
from plugin import i18n
from plugin.state import state_of

SITEMAP_PATH = "sitemap.xml"
ROBOTS_PATH = "robots.txt"


class SitemapGenerator(Generator):
    def generate_output(self, writer) -> None:
        state = state_of(self.settings)
        if state is None or state.errors:
            return
        site_url = self.settings.get("SITEURL", "").rstrip("/")
        langs = list(state.editions)
        entries = []
        for page in self.context.get("pages", ()):
            if page.status != "published":
                continue
            links = i18n.alternates(page, langs, site_url)
            for version in [page, *page.translations]:
                entries.append((f"{site_url}/{version.url}", (getattr(version, "modified", None) or version.date).date().isoformat(), links))
        # A chart page changes when a new version of its chart is released.
        history = versions.history(state.prepared.data)
        for chart_id, released in history.items():
            links = [{"lang": lang, "url": part.urls.url(chart_id)} for lang, part in state.editions.items()]
            entries += [(link["url"], released[-1].released, links) for link in links]
        if history:
            latest = max(released[-1].released for released in history.values())
            links = [{"lang": lang, "url": part.urls.index} for lang, part in state.editions.items()]
            entries += [(link["url"], latest, links) for link in links]
        context = {**self.context, "entries": sorted(entries, key=lambda entry: entry[0]), "sitemap_url": f"{site_url}/{SITEMAP_PATH}"}
        writer.write_file(SITEMAP_PATH, self.env.get_template(SITEMAP_PATH), context, relative_urls=False)
        writer.write_file(ROBOTS_PATH, self.env.get_template(ROBOTS_PATH), context, relative_urls=False)
