"""A home for every chart: its page, its embed, its downloads, its citation and its history.

Written by :class:`ChartPagesGenerator`, a Pelican generator, so chart pages share the
site's templates, navigation and settings:

``/charts/``                       index of every chart, with thumbnails
``/charts/<id>/``                  chart page: chart, data, downloads, cite, embed, corrections
``/charts/<id>/embed/``            minimal page for an <iframe>, sized by ``/embed.js``
``/charts/<id>/oembed.json``       static oEmbed (rich) for CMSs
``/charts/<id>/<id>.json``         metadata: title, description, units, sources, licence, version
``/charts/<id>/v<N>/``             the downloads of each version, kept when the chart changes
"""
from __future__ import annotations

import json
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

from markupsafe import Markup, escape
from pelican.generators import Generator

from charts import pipeline, render, theme, versions

EMBED_MIN_HEIGHT = 320
#: What the embed page adds around the chart: headline, subhead, source line and padding.
EMBED_FURNITURE_HEIGHT = 170


@dataclass(frozen=True)
class ChartHome:
    """Everything a chart page, its embed and its metadata show about one chart."""

    bundle: object
    version: versions.ChartVersion
    history: list
    corrections: list[dict]
    site_url: str

    @property
    def id(self) -> str:
        return self.bundle.id

    @property
    def url(self) -> str:
        return f"{self.site_url}/charts/{self.id}/"

    @property
    def embed_url(self) -> str:
        return f"{self.url}embed/"

    def file_url(self, name: str, version: int | None = None) -> str:
        folder = f"v{version}/" if version else ""
        return f"{self.url}{folder}{name.format(id=self.id)}"

    @property
    def embed_height(self) -> int:
        width, height = self.bundle.rendered.size
        return max(EMBED_MIN_HEIGHT, round(height) + EMBED_FURNITURE_HEIGHT)

    def snippet(self) -> str:
        """The copy-paste embed: a lazy iframe that is right with no script, and our resize script."""
        return (
            f'<iframe src="{self.embed_url}" title="{escape(self.bundle.headline)}" height="{self.embed_height}" '
            f'loading="lazy" style="border:0;width:100%;max-width:720px" data-fgs-embed></iframe>\n'
            f'<script src="{self.site_url}/embed.js" async></script>'
        )


#: (key in metadata, published name, cached render, label) of each rendered download.
DOWNLOADS = (
    ("png", "{id}.png", "chart.png", "Image, PNG (2×)"),
    ("png_1x", "{id}@1x.png", "chart-1x.png", "Image, PNG (1×)"),
    ("svg", "{id}.svg", "chart.svg", "Vector image, SVG"),
    ("vega_lite", "{id}.vl.json", "chart.vl.json", "Vega-Lite spec"),
    ("vega", "{id}.vg.json", "chart.vg.json", "Vega spec, compiled from the Vega-Lite spec"),
)


def homes(prepared, site_url: str) -> dict[str, ChartHome]:
    released = versions.history(prepared.data)
    corrections = prepared.data.corrections
    found = {}
    for chart_id, bundle in prepared.charts.items():
        history = released[chart_id]
        rows = corrections[corrections["target"] == chart_id].sort_values("date", ascending=False).to_dict("records")
        found[chart_id] = ChartHome(bundle, history[-1], history, rows, site_url.rstrip("/"))
    return found


def metadata(home: ChartHome, data, settings) -> dict:
    bundle = home.bundle
    plotted = bundle.built.plotted
    units = sorted(set(plotted["unit"])) if "unit" in plotted.columns else []
    return {
        "id": home.id,
        "title": bundle.headline,
        "subtitle": bundle.subhead,
        "description": bundle.description,
        "alt_text": bundle.alt,
        "notes": list(bundle.notes),
        "version": home.version.version,
        "last_changed": home.version.released,
        "url": home.url,
        "embed_url": home.embed_url,
        "license": {"name": settings["LICENSE_NAME"], "url": settings["LICENSE_URL"]},
        "credit": bundle.built.furniture.credit,
        "units": [{"unit": u, "label": data.units[u].label, "description": data.units[u].description} for u in units],
        "evidence_statuses": {s: data.statuses[s] for s in bundle.built.statuses},
        "sources": [
            {"id": s, "citation": data.sources[s].citation, "title": data.sources[s].title, "outlet": data.sources[s].outlet, "date_printed": data.sources[s].date_printed or None}
            for s in bundle.built.source_ids
        ],
        "downloads": {"csv": home.file_url("{id}.csv"), **{key: home.file_url(name) for key, name, _, _ in DOWNLOADS}},
        "versions": [
            {"version": v.version, "released": v.released, "what_changed": v.what_changed, "files": home.file_url("", v.version)} for v in home.history
        ],
        "corrections": [{"date": str(c["date"]), "what_changed": c["what_changed"], "why": c["why"]} for c in home.corrections],
    }


def citation(home: ChartHome, settings) -> dict[str, str]:
    bundle, version = home.bundle, home.version
    year = version.released[:4]
    text = (
        f"{settings['AUTHOR']}, “{bundle.headline}”, chart, version {version.version} ({version.released}), "
        f"{settings['SITENAME']}, {home.url}. Licensed {settings['LICENSE_NAME']}."
    )
    key = f"{home.id}_v{version.version}"
    bibtex = "\n".join(
        [
            f"@misc{{{key},",
            f"  title = {{{bundle.headline}}},",
            f"  author = {{{{{settings['AUTHOR']}}}}},",
            f"  year = {{{year}}},",
            f"  howpublished = {{\\url{{{home.url}}}}},",
            f"  note = {{Chart, version {version.version}, {version.released}. {settings['SITENAME']}. {settings['LICENSE_NAME']}}},",
            "}",
        ]
    )
    return {"text": text, "bibtex": bibtex}


def json_ld(home: ChartHome, data, settings) -> str:
    bundle = home.bundle
    document = {
        "@context": "https://schema.org",
        "@type": "Dataset",
        "name": bundle.headline,
        "description": bundle.description,
        "url": home.url,
        "license": settings["LICENSE_URL"],
        "version": str(home.version.version),
        "dateModified": home.version.released,
        "creator": {"@type": "Organization", "name": settings["AUTHOR"]},
        "isBasedOn": [
            {"@type": "CreativeWork", "name": data.sources[s].title, "publisher": data.sources[s].outlet, **({"datePublished": data.sources[s].date_printed} if data.sources[s].date_printed else {})}
            for s in bundle.built.source_ids
        ],
        "distribution": [{"@type": "DataDownload", "encodingFormat": "text/csv", "contentUrl": home.file_url("{id}.csv")}],
    }
    return _script_safe(json.dumps(document, ensure_ascii=False, indent=1))


def news_article_json_ld(page, site_url: str, site_name: str, author: str, card_chart: str) -> str:
    """JSON-LD NewsArticle for a narrative page (a Jinja filter)."""
    document = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": page.title,
        "description": re.sub(r"<[^>]+>", "", page.summary or "").strip(),
        "url": f"{site_url}/{page.url}",
        "image": f"{site_url}/charts/{card_chart}/{card_chart}-card.png",
        "author": {"@type": "Organization", "name": author},
        "publisher": {"@type": "Organization", "name": site_name},
        "isAccessibleForFree": True,
        **({"datePublished": page.date.date().isoformat()} if getattr(page, "date", None) else {}),
    }
    return Markup(_script_safe(json.dumps(document, ensure_ascii=False)))


def _script_safe(text: str) -> str:
    """JSON that cannot close the <script> element it sits in."""
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def oembed(home: ChartHome, settings) -> dict:
    width, height = home.bundle.rendered.standalone_size
    return {
        "version": "1.0",
        "type": "rich",
        "title": home.bundle.headline,
        "author_name": settings["AUTHOR"],
        "provider_name": settings["SITENAME"],
        "provider_url": f"{home.site_url}/",
        "html": home.snippet(),
        "width": 720,
        "height": home.embed_height,
        "thumbnail_url": home.file_url("{id}@1x.png"),
        "thumbnail_width": round(width),
        "thumbnail_height": round(height),
    }


def write_files(home: ChartHome, data, settings, output: Path, cache_dir: Path) -> None:
    """Downloads, metadata, oEmbed and social card of one chart, current and earlier versions."""
    folder = output / "charts" / home.id
    folder.mkdir(parents=True, exist_ok=True)
    rendered = home.bundle.rendered
    versioned = folder / f"v{home.version.version}"
    versioned.mkdir(exist_ok=True)
    for _, name, cached, _ in DOWNLOADS:
        for target in (folder, versioned):
            shutil.copyfile(rendered.path(cached), target / name.format(id=home.id))
    for layout, (_, artboard) in home.bundle.artboards.items():
        shutil.copyfile(artboard.path("page.vg.json"), folder / pipeline.live_spec_name(home.id, layout))
    from charts import spreadsheet  # every published CSV is safe to open in a spreadsheet

    spreadsheet.write_frame(folder / f"{home.id}.csv", home.bundle.built.plotted)
    shutil.copyfile(folder / f"{home.id}.csv", versioned / f"{home.id}.csv")
    card = render.render_card(rendered, home.bundle.headline, home.bundle.subhead, f"{settings['SITENAME']} · data, sources and evidence on the chart page")
    shutil.copyfile(card, folder / f"{home.id}-card.png")
    (folder / f"{home.id}.json").write_text(json.dumps(metadata(home, data, settings), ensure_ascii=False, indent=1), encoding="utf-8")
    (folder / "oembed.json").write_text(json.dumps(oembed(home, settings), ensure_ascii=False, indent=1), encoding="utf-8")
    for version in home.history[:-1]:
        spec = versions.archived_spec(version, data.root)
        source = render.render_archived(home.id, version.version, spec, cache_dir)
        target = folder / f"v{version.version}"
        target.mkdir(exist_ok=True)
        for _, name, cached, _ in DOWNLOADS:
            shutil.copyfile(source / cached, target / name.format(id=home.id))
        spreadsheet.write_records(target / f"{home.id}.csv", versions.plotted_rows(spec))


class ChartPagesGenerator(Generator):
    """Writes the chart index, each chart page and each embed page with the theme's templates."""

    def generate_output(self, writer) -> None:
        from charts import pelican_plugin

        state = pelican_plugin.state()
        if state is None:
            return
        prepared, renderer = state["prepared"], state["renderer"]
        chart_homes = homes(prepared, self.settings.get("SITEURL", ""))
        common = {**self.context, "licence": {"name": self.settings["LICENSE_NAME"], "url": self.settings["LICENSE_URL"]}}
        for home in chart_homes.values():
            write_files(home, prepared.data, self.settings, Path(self.output_path), Path(self.settings["CHARTS_CACHE_DIR"]))
            context = {
                **common,
                "chart": home,
                "figure": Markup(renderer.chart(home.id, link_home=False, heading_level=1)),
                "embed_figure": Markup(renderer.embed_figure(home.id)),
                "cite": citation(home, self.settings),
                "json_ld": Markup(json_ld(home, prepared.data, self.settings)),
                "downloads": [(home.file_url(name), name.format(id=home.id), label) for _, name, _, label in DOWNLOADS],
            }
            writer.write_file(f"charts/{home.id}/index.html", self.get_template("chart"), context, relative_urls=False, url=f"charts/{home.id}/")
            writer.write_file(f"charts/{home.id}/embed/index.html", self.get_template("chart_embed"), context, relative_urls=False, url=f"charts/{home.id}/embed/")
            for version in home.history:
                files = [(home.file_url(name, version.version), name.format(id=home.id), label) for _, name, _, label in DOWNLOADS]
                files.insert(0, (home.file_url("{id}.csv", version.version), f"{home.id}.csv", "Data, CSV"))
                writer.write_file(
                    f"charts/{home.id}/v{version.version}/index.html",
                    self.get_template("chart_version"),
                    {**context, "version": version, "files": files},
                    relative_urls=False,
                    url=f"charts/{home.id}/v{version.version}/",
                )
        writer.write_file("charts/index.html", self.get_template("charts"), {**common, "charts": list(chart_homes.values())}, relative_urls=False, url="charts/")
