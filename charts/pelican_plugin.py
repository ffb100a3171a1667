"""Pelican plugin: validate the data, render the charts, and let Markdown pages place them.

Settings (each with its default; set any of them in pelicanconf.py):

``CHARTS_DATA_PACKAGE``   ``"data/datapackage.yaml"``  the data package to load
``CHARTS_SOURCES_DIR``    ``"../shared/sources"``      where the source documents are checked
``CHARTS_CACHE_DIR``      ``".cache/charts"``          rendered charts, by content hash
``CHARTS_METHOD_PAGE``    ``"pages/method.md"``        where figure references link
``CHARTS_TIMELINE_PAGE``  ``"pages/timeline.md"``      where date references link
``CHARTS_RUNTIME_DIR``    ``".cache/runtime"``         the bundled live-chart script
``CHARTS_DEFAULT_CARD``   ``"food_scale"``             chart whose social card a page shows by default
``CHARTS_CATALOG``        ``"charts.catalog"``         the package whose modules are the charts
"""
from __future__ import annotations

import logging
import shutil
from pathlib import Path

from pelican import signals
from pelican.readers import MarkdownReader

from charts import chart_pages, feeds, html, pipeline, runtime, theme, versions
from charts.errors import BuildError, Problem
from charts.markdown_ext import ChartsExtension

log = logging.getLogger(__name__)

DEFAULTS = {
    "CHARTS_DATA_PACKAGE": "data/datapackage.yaml",
    "CHARTS_SOURCES_DIR": "../shared/sources",
    "CHARTS_CACHE_DIR": ".cache/charts",
    "CHARTS_METHOD_PAGE": "pages/method.md",
    "CHARTS_TIMELINE_PAGE": "pages/timeline.md",
    "CHARTS_RUNTIME_DIR": ".cache/runtime",
    "CHARTS_DEFAULT_CARD": "food_scale",
    "CHARTS_CATALOG": "charts.catalog",
}

#: Errors raised while Pelican read pages; Pelican logs only the file name, so we keep the reason.
page_errors: list[BuildError] = []
_state: dict = {}


def initialize(pelican) -> None:
    settings = pelican.settings
    for key, value in DEFAULTS.items():
        settings.setdefault(key, value)
    page_errors.clear()
    prepared = pipeline.prepare(
        package_path=settings["CHARTS_DATA_PACKAGE"],
        sources_dir=settings["CHARTS_SOURCES_DIR"],
        cache_dir=Path(settings["CHARTS_CACHE_DIR"]),
        catalog=settings["CHARTS_CATALOG"],
    )
    versions.check(prepared)
    if settings["CHARTS_DEFAULT_CARD"] not in prepared.charts:
        raise BuildError(Problem("pelicanconf.py", f"CHARTS_DEFAULT_CARD names no chart: {settings['CHARTS_DEFAULT_CARD']!r}"))
    settings.setdefault("JINJA_FILTERS", {})["news_article_json_ld"] = chart_pages.news_article_json_ld
    renderer = html.Renderer(
        prepared,
        templates=Path(settings["THEME"]) / "templates",
        site_url=settings.get("SITEURL", ""),
        method_page=settings["CHARTS_METHOD_PAGE"],
        timeline_page=settings["CHARTS_TIMELINE_PAGE"],
        site_name=settings.get("SITENAME", ""),
    )
    extension = ChartsExtension(renderer)
    markdown = settings.setdefault("MARKDOWN", {})
    markdown.setdefault("extensions", [])
    markdown["extensions"] = [e for e in markdown["extensions"] if not isinstance(e, ChartsExtension)] + [extension]
    settings["CHARTS_PREPARED"] = prepared
    _state.clear()
    _state.update(prepared=prepared, extension=extension, renderer=renderer)


class ChartsMarkdownReader(MarkdownReader):
    """Tells the extension which file it is reading, so errors can name it."""

    def read(self, source_path):
        from charts.errors import display_path

        _state["extension"].source_path = display_path(source_path)
        try:
            return super().read(source_path)
        except BuildError as exc:
            page_errors.append(exc)
            raise


def add_reader(readers) -> None:
    for extension in ChartsMarkdownReader.file_extensions:
        readers.reader_classes[extension] = ChartsMarkdownReader


def state() -> dict | None:
    """What initialize() prepared, or None when the build has already failed."""
    return None if page_errors or "prepared" not in _state else _state


def add_generators(pelican):
    return chart_pages.ChartPagesGenerator


def write_site_files(pelican) -> None:
    """The chart colours for dark mode, the live-chart runtime and the host page's embed script."""
    if state() is None:
        return
    output = Path(pelican.settings["OUTPUT_PATH"])
    css = output / "theme" / "css"
    css.mkdir(parents=True, exist_ok=True)
    (css / "chart-colours.css").write_text(theme.dark_mode_css(), encoding="utf-8")
    runtime.install(Path(pelican.settings["CHARTS_RUNTIME_DIR"]), output / "theme" / "js")
    shutil.copyfile(Path(pelican.settings["THEME"]) / "static" / "js" / "embed-host.js", output / "embed.js")
    feeds.write_corrections_feed(_state["prepared"], pelican.settings, output)


def register() -> None:
    signals.initialized.connect(initialize)
    signals.readers_init.connect(add_reader)
    signals.get_generators.connect(add_generators)
    signals.finalized.connect(write_site_files)
