"""A home for every chart: its page, its embed, its downloads, its citation and its history.

Written by :class:`ChartPagesGenerator`, a Pelican generator, so chart pages share the
site's templates, navigation and settings:

``/charts/``                       index of every chart, with thumbnails
``/charts/<id>/``                  chart page: chart, data, downloads, cite, embed, corrections
``/charts/<id>/embed/``            minimal page for an <iframe>, sized by ``/embed.js``
``/charts/<id>/oembed.json``       static oEmbed (rich) for CMSs
``/charts/<id>/<id>.json``         metadata: title, description, units, sources, licence, version
``/charts/<id>/v<N>/``             the downloads of each version, kept when the chart changes

(the addresses with the default ``CHARTS_URL`` and ``CHARTS_INDEX_URL``: see :mod:`plugin.urls`).
"""
from __future__ import annotations

import json
import logging
import math
import shutil
from dataclasses import dataclass
from pathlib import Path

from markupsafe import Markup
from pelican.generators import Generator

from charting import formatting, pipeline, progress, render, theme, versions
from charting.editions import N_, unit_text
from dataset import spreadsheet  # every published CSV is safe to open in a spreadsheet
from plugin import i18n, reports
from plugin.state import state_of
from plugin.urls import ChartUrls

log = logging.getLogger(__name__)

#: The colours an embed can be fixed to with ``?theme=`` on its address; ``auto`` (no
#: parameter) follows the reader's system. The embed page's own script reads it.
EMBED_THEMES = ("auto", "light", "dark")
#: The iframe's widest (the snippet's ``max-width``), and the column its default height is
#: worked out for: with no script to size it, the frame keeps that height in any column.
EMBED_MAX_WIDTH = 720
EMBED_COLUMN = 600
EMBED_MIN_HEIGHT = 320
#: A character's average width in em, on the wide side: DejaVu Sans, where system-ui falls back
#: on Linux, sets the embed's notes at about 0.49 em; narrower system fonts leave room to spare.
CHARACTER_EM = 0.52


@dataclass(frozen=True)
class TextBlock:
    """How the embed page sets one kind of text (site.css): size, line height, room around it."""

    font_px: float
    line_height: float
    #: Margins, padding and borders above and below, in px.
    around: float
    #: Indent (a list's padding), in px.
    indent: float = 0
    #: Bold text runs wider.
    character_em: float = CHARACTER_EM

    def height(self, texts, width: float) -> float:
        """The block's height with each text wrapped, word by word, to ``width``."""
        per_line = max(1, int((width - self.indent) / (self.font_px * self.character_em)))
        return sum(_lines(text, per_line) for text in texts) * self.font_px * self.line_height + self.around


#: How much wider than a Latin letter a Cyrillic one runs in the embed's body text (DejaVu Sans
#: and the system fonts alike: Russian embeds measured in Chromium were cut short at 1).
CYRILLIC_WIDTH = 1.4


def _room(word: str) -> float:
    """A word's width in average Latin characters of the embed's text."""
    cyrillic = sum(1 for character in word if "\u0400" <= character <= "\u04ff")
    return theme.text_units(word) + (CYRILLIC_WIDTH - 1) * cyrillic


def _lines(text: str, per_line: int) -> int:
    """How many lines ``text`` takes when words wrap at ``per_line`` characters (a Korean
    syllable taking two, as :func:`charting.theme.text_units` counts; a Cyrillic letter a
    little more than one)."""
    lines, used = 1, 0
    for word in text.split():
        size = _room(word)
        if used and used + 1 + size > per_line:
            lines, used = lines + 1, size
        else:
            used += (1 if used else 0) + size
    return lines


#: The embed's furniture as site.css sets it (1 rem = 16 px; body text 17 px below 48 rem).
EMBED_PADDING = 2 * 12
EMBED_HEADLINE = TextBlock(17.6, 1.3, around=3.2, character_em=0.6)
EMBED_SUBHEAD = TextBlock(15.2, 1.6, around=8)
#: The caption's rule and spacing (margin 0.25 rem, border 1 px, padding 0.5 rem).
EMBED_CAPTION_TOP = 4 + 1 + 8
EMBED_NOTES = TextBlock(14, 1.45, around=2 * 5.6, indent=17.6)
EMBED_LINE = TextBlock(14, 1.45, around=5.6)
#: The longest "Data as of" line (partials/data_as_of.html), in characters: a date and its note.
AS_OF_LINE = "x" * 62


@dataclass(frozen=True)
class ChartHome:
    """Everything a chart page, its embed and its metadata show about one chart."""

    bundle: object
    version: versions.ChartVersion
    history: list
    corrections: list[dict]
    urls: ChartUrls
    #: The chart's source line and the labels of its evidence statuses, as its embed shows them.
    source_line: str = ""
    status_labels: tuple[str, ...] = ()
    #: How the downloads set the chart (:func:`charting.render.download_parts`).
    download: dict | None = None

    @property
    def id(self) -> str:
        return self.bundle.id

    @property
    def site_url(self) -> str:
        return self.urls.site_url

    @property
    def url(self) -> str:
        return self.urls.url(self.id)

    @property
    def embed_url(self) -> str:
        return f"{self.url}embed/"

    def embed_src(self, theme: str = "auto") -> str:
        """The embed's address with its colours fixed to ``theme``, or following the reader's system."""
        if theme not in EMBED_THEMES:
            raise ValueError(f"embed theme {theme!r} is none of {', '.join(EMBED_THEMES)}")
        return self.embed_url if theme == "auto" else f"{self.embed_url}?theme={theme}"

    def file_url(self, name: str, version: int | None = None) -> str:
        folder = f"v{version}/" if version else ""
        return self.urls.url(self.id, f"{folder}{name.format(id=self.id)}")

    @property
    def embed_max_width(self) -> int:
        return EMBED_MAX_WIDTH

    @property
    def image_size(self) -> tuple[int, int]:
        """The PNG download's size at 1×, in CSS pixels (headline, subhead and key drawn in)."""
        return round(self.download["width"]), round(self.download["height"])

    @property
    def embed_height(self) -> int:
        """The embed's height in an ``EMBED_COLUMN`` wide column: headline, subhead, the chart,
        every note, the source, the data's date and the evidence line, so nothing is cut off
        without a script.

        Whichever artboard the column shows, the tallest fits (a phone artboard is drawn at its
        own size in a column wider than it, and scaled down, never up, in a narrower one).
        """
        text = EMBED_COLUMN - EMBED_PADDING
        bundle = self.bundle
        artboards = [rendered for _, rendered in bundle.artboards.values()] or [bundle.rendered]
        chart = max(rendered.size[1] * min(1, text / rendered.size[0]) for rendered in artboards)
        # "Evidence: ", each label after its swatch, then "· From <site name>".
        evidence = "Evidence: " + "".join(f"xx {label} " for label in self.status_labels) + "· From " + "x" * 24
        height = (
            EMBED_PADDING
            + EMBED_HEADLINE.height([bundle.headline], text)
            + EMBED_SUBHEAD.height([bundle.subhead], text)
            + chart
            + EMBED_CAPTION_TOP
            + (EMBED_NOTES.height(bundle.notes, text) if bundle.notes else 0)
            + EMBED_LINE.height([self.source_line], text)
            + EMBED_LINE.height([AS_OF_LINE], text)
            + EMBED_LINE.height([evidence], text)
        )
        # A few pixels for rounding: the browser lays out in fractions of a pixel.
        return max(EMBED_MIN_HEIGHT, math.ceil(height) + 4)


#: (key in metadata, published name, cached render, label) of each rendered download.
DOWNLOADS = (
    ("png", "{id}.png", "chart.png", N_("Image, PNG (2×)")),
    ("png_1x", "{id}@1x.png", "chart-1x.png", N_("Image, PNG (1×)")),
    ("svg", "{id}.svg", "chart.svg", N_("Vector image, SVG")),
    ("vega_lite", "{id}.vl.json", "chart.vl.json", N_("Vega-Lite spec")),
    ("vega", "{id}.vg.json", "chart.vg.json", N_("Vega spec, compiled from the Vega-Lite spec")),
)


def homes(prepared, urls: ChartUrls) -> dict[str, ChartHome]:
    released = versions.history(prepared.data)
    corrections = prepared.data.corrections
    found = {}
    for chart_id, bundle in prepared.charts.items():
        history = released[chart_id]
        rows = corrections[corrections["target"] == chart_id].sort_values("date", ascending=False).to_dict("records")
        statuses = [prepared.data.evidence[s] for s in bundle.built.statuses]
        download = render.download_parts(bundle.rendered, bundle.headline, bundle.subhead, statuses)
        labels = tuple(status.label for status in statuses)
        found[chart_id] = ChartHome(bundle, history[-1], history, rows, urls, bundle.source_line(prepared.data), labels, download)
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
        "language": data.lang,
        "units": [{"unit": u, "label": unit_text(data, "label", data.units[u].label), "description": unit_text(data, "description", data.units[u].description)} for u in units],
        "evidence_statuses": {s: data.statuses[s] for s in bundle.built.statuses},
        "sources": [
            {"id": s, "citation": formatting.citation(data.sources[s], data), "title": data.sources[s].title, "outlet": data.sources[s].outlet, "date_printed": data.sources[s].date_printed or None}
            for s in bundle.built.source_ids
        ],
        "downloads": {"csv": home.file_url("{id}.csv"), **{key: home.file_url(name) for key, name, _, _ in DOWNLOADS}},
        "versions": [
            {"version": v.version, "released": v.released, "what_changed": v.what_changed, "files": home.file_url("", v.version)} for v in home.history
        ],
        "corrections": [{"date": str(c["date"]), "what_changed": c["what_changed"], "why": c["why"]} for c in home.corrections],
    }


#: What LaTeX reads as commands or comments in a BibTeX value, and how to write it instead.
BIBTEX_ESCAPES = {"\\": r"\textbackslash{}", "{": r"\{", "}": r"\}", "%": r"\%", "&": r"\&", "#": r"\#", "$": r"\$", "_": r"\_", "~": r"\textasciitilde{}", "^": r"\textasciicircum{}"}


def bibtex_escape(text: str) -> str:
    """Text for a BibTeX value, its LaTeX special characters escaped (a Jinja filter)."""
    return "".join(BIBTEX_ESCAPES.get(character, character) for character in str(text))


def json_ld(home: ChartHome, data, settings) -> dict:
    """JSON-LD Dataset for a chart page; the template writes it with ``tojson``."""
    bundle = home.bundle
    document = {
        "@context": "https://schema.org",
        "@type": "Dataset",
        "inLanguage": data.lang,
        "name": bundle.headline,
        "description": bundle.description,
        "url": home.url,
        "license": settings["LICENSE_URL"],
        "version": str(home.version.version),
        "dateModified": home.version.released,
        "creator": {"@type": "Organization", "name": i18n.setting(data, settings, "AUTHOR")},
        "isBasedOn": [
            {"@type": "CreativeWork", "name": data.sources[s].title, "publisher": data.sources[s].outlet, **({"datePublished": data.sources[s].date_printed} if data.sources[s].date_printed else {})}
            for s in bundle.built.source_ids
        ],
        "distribution": [{"@type": "DataDownload", "encodingFormat": "text/csv", "contentUrl": home.file_url("{id}.csv")}],
    }
    return document


def news_article_json_ld(page, site_url: str, site_name: str, author: str, card: str) -> dict:
    """JSON-LD NewsArticle for a narrative page, in its language (a Jinja filter; the template
    applies ``tojson``); ``card`` is the address of its social card."""
    document = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": page.title,
        "description": Markup(page.summary or "").striptags(),
        "inLanguage": page.lang,
        "url": f"{site_url}/{page.url}",
        "image": card,
        "author": {"@type": "Organization", "name": author},
        "publisher": {"@type": "Organization", "name": site_name},
        "isAccessibleForFree": True,
        **({"datePublished": page.date.date().isoformat()} if getattr(page, "date", None) else {}),
    }
    return document


def oembed(home: ChartHome, data, settings, html: str) -> dict:
    """oEmbed (rich) for content systems; ``html`` is the embed code the chart page shows."""
    width, height = home.image_size
    return {
        "version": "1.0",
        "type": "rich",
        "title": home.bundle.headline,
        "author_name": i18n.setting(data, settings, "AUTHOR"),
        "provider_name": i18n.setting(data, settings, "SITENAME"),
        "provider_url": f"{home.site_url}/",
        "html": html,
        "width": EMBED_MAX_WIDTH,
        "height": home.embed_height,
        "thumbnail_url": home.file_url("{id}@1x.png"),
        "thumbnail_width": width,
        "thumbnail_height": height,
    }


def card_svg(env, bundle, footer: str) -> str:
    """A chart's social card as the theme's ``card.svg`` draws it from :func:`charting.render.card_parts`."""
    parts = render.card_parts(bundle.rendered, bundle.headline)
    return env.get_template("card.svg").render({**parts, "chart_body": Markup(parts["chart_body"])}, subhead=bundle.subhead, footer=footer)


def download_svg(env, parts: dict) -> str:
    """A chart as downloaded, as the theme's ``download.svg`` sets it from :func:`charting.render.download_parts`."""
    return env.get_template("download.svg").render({**parts, "chart_body": Markup(parts["chart_body"])})


@dataclass(frozen=True)
class Drawn:
    """Where every chart's images are, once :func:`draw_images` has drawn them."""

    #: (chart id, version) -> (the version's rendering, which holds its specs; its images' folder).
    downloads: dict[tuple[str, int], tuple[render.Rendered, Path]]
    #: chart id -> the folder holding its social card.
    cards: dict[str, Path]
    #: (chart id, version) -> the archived Vega-Lite spec of each earlier version, read once.
    archived: dict[tuple[str, int], dict]


def draw_images(env, chart_homes: dict[str, ChartHome], data, cache_dir: Path, card_footer: str) -> Drawn:
    """Every version's downloads and every chart's social card, composed by the theme's
    templates and drawn in one batch (across processes when there are many)."""
    composed, archived = {}, {}
    for home in chart_homes.values():
        composed[home.id, home.version.version] = (home.bundle.rendered, download_svg(env, home.download))
        for version in home.history[:-1]:
            spec = archived[home.id, version.version] = versions.archived_spec(version, data.root)
            rendered = render.render_archived(home.id, version.version, spec, cache_dir)
            statuses = data.evidence.ordered(row["status"] for row in versions.plotted_rows(spec))
            parts = render.download_parts(rendered, *render.archived_titles(spec), statuses)
            composed[home.id, version.version] = (rendered, download_svg(env, parts))
    images = {f"{chart_id} v{version}": (rendered, svg, "download") for (chart_id, version), (rendered, svg) in composed.items()}
    images |= {f"{home.id} card": (home.bundle.rendered, card_svg(env, home.bundle, card_footer), "card") for home in chart_homes.values()}
    folders = render.render_images(images)
    return Drawn(
        downloads={job: (rendered, folders[f"{job[0]} v{job[1]}"]) for job, (rendered, _) in composed.items()},
        cards={chart_id: folders[f"{chart_id} card"] for chart_id in chart_homes},
        archived=archived,
    )


def write_files(home: ChartHome, data, settings, output: Path, drawn: Drawn, embed_code: str) -> None:
    """Downloads, metadata, oEmbed and social card of one chart, current and earlier versions."""
    folder = output / home.urls.folder(home.id)
    folder.mkdir(parents=True, exist_ok=True)
    for version in home.history:
        target = folder / f"v{version.version}"
        target.mkdir(exist_ok=True)
        specs, images = drawn.downloads[home.id, version.version]
        current = version == home.version
        for _, name, cached, _ in DOWNLOADS:
            source = (images if cached in render.IMAGE_FILES else specs.directory) / cached
            for place in (folder, target) if current else (target,):
                shutil.copyfile(source, place / name.format(id=home.id))
        if not current:
            spreadsheet.write_records(target / f"{home.id}.csv", versions.plotted_rows(drawn.archived[home.id, version.version]))
    for layout, (_, artboard) in home.bundle.artboards.items():
        shutil.copyfile(artboard.path("page.vg.json"), folder / pipeline.live_spec_name(home.id, layout))
    spreadsheet.write_frame(folder / f"{home.id}.csv", home.bundle.built.plotted)
    shutil.copyfile(folder / f"{home.id}.csv", folder / f"v{home.version.version}" / f"{home.id}.csv")
    shutil.copyfile(drawn.cards[home.id] / "card.png", folder / f"{home.id}-card.png")
    (folder / f"{home.id}.json").write_text(json.dumps(metadata(home, data, settings), ensure_ascii=False, indent=1), encoding="utf-8")
    (folder / "oembed.json").write_text(json.dumps(oembed(home, data, settings, embed_code), ensure_ascii=False, indent=1), encoding="utf-8")


class ChartPagesGenerator(Generator):
    """Writes the chart index, each chart page and each embed page with the theme's templates,
    in every edition."""

    def generate_output(self, writer) -> None:
        state = state_of(self.settings)
        if state is None or state.errors:
            return
        for part in state.editions.values():
            self._write_edition(writer, state, part)

    def _write_edition(self, writer, state, part) -> None:
        prepared, renderer, urls, lang = part.prepared, part.renderer, part.urls, part.lang
        data = prepared.data
        chart_homes = homes(prepared, urls)
        every = [(other.lang, other.urls) for other in state.editions.values()]

        def links(chart_id: str, name: str = "") -> list[dict]:
            """The same chart page in every edition, for hreflang and the language switcher."""
            return [{"lang": other, "url": other_urls.url(chart_id, name)} for other, other_urls in every]

        site_name = i18n.setting(data, self.settings, "SITENAME")
        licence = {"name": self.settings["LICENSE_NAME"], "url": self.settings["LICENSE_URL"]}
        report_fallback = reports.contact_page_url(self.context["pages"] + self.context.get("hidden_pages", []), self.settings, lang)
        common = {**self.context, "lang": lang, "licence": licence, "report_url": renderer.reports.url, "report_fallback": report_fallback}
        # The embed code is markup, so a template owns it: the chart page shows it, oEmbed hands it out.
        embed_code = self.env.get_template("partials/embed_code.html").make_module({"lang": lang})
        footer = data.gettext("{site} · data, sources and evidence on the chart page").format(site=site_name)
        drawn = draw_images(self.env, chart_homes, data, Path(self.settings["CHARTS_CACHE_DIR"]), footer)
        for done, home in enumerate(chart_homes.values(), start=1):
            progress.step(log, "writing chart pages", done, len(chart_homes), f"{home.id}, {lang}")
            write_files(home, data, self.settings, Path(self.output_path), drawn, str(embed_code.iframe(home)))
            context = {
                **common,
                "chart": home,
                "figure": Markup(renderer.chart(home.id, link_home=False, heading_level=1)),
                "embed_figure": Markup(renderer.embed_figure(home.id)),
                "json_ld": json_ld(home, data, self.settings),
                "downloads": [(home.file_url(name), name.format(id=home.id), label) for _, name, _, label in DOWNLOADS],
            }
            folder = urls.folder(home.id)
            writer.write_file(f"{folder}/index.html", self.get_template("chart"), {**context, "page_links": links(home.id)}, relative_urls=False, url=urls.path(home.id))
            writer.write_file(f"{folder}/embed/index.html", self.get_template("chart_embed"), {**context, "page_links": links(home.id, "embed/")}, relative_urls=False, url=urls.path(home.id, "embed/"))
            for version in home.history:
                files = [(home.file_url(name, version.version), name.format(id=home.id), label) for _, name, _, label in DOWNLOADS]
                files.insert(0, (home.file_url("{id}.csv", version.version), f"{home.id}.csv", N_("Data, CSV")))
                archived = drawn.archived.get((home.id, version.version))
                sources = {row["source"] for row in versions.plotted_rows(archived)} if archived else home.bundle.built.source_ids
                writer.write_file(
                    f"{folder}/v{version.version}/index.html",
                    self.get_template("chart_version"),
                    {**context, "version": version, "files": files, "as_of": renderer.as_of(sources), "page_links": links(home.id, f"v{version.version}/")},
                    relative_urls=False,
                    url=urls.path(home.id, f"v{version.version}/"),
                )
        # Thumbnails are each chart's phone artboard, inline, so they repaint for dark mode like the charts.
        thumbnails = {home.id: Markup(pipeline.inline_svg(home.bundle, theme.PHONE.name)) for home in chart_homes.values()}
        every_source = {source for home in chart_homes.values() for source in home.bundle.built.source_ids}
        index = {**common, "charts": list(chart_homes.values()), "thumbnails": thumbnails, "as_of": renderer.as_of(every_source), "page_links": [{"lang": other, "url": other_urls.index} for other, other_urls in every]}
        writer.write_file(urls.index_save_as, self.get_template("charts"), index, relative_urls=False, url=urls.index_url)
