"""Pelican plugin: validate the data, render the charts, and let Markdown pages place them.

Settings (each with its default; set any of them in pelicanconf.py):

``CHARTS_DATA_PACKAGE``   ``"data/datapackage.yaml"``  the data package to load
``CHARTS_SOURCES_DIR``    ``"../shared/sources"``      where the source documents are checked
``CHARTS_CACHE_DIR``      ``".cache/charts"``          rendered charts, by content hash
``CHARTS_METHOD_PAGE``    ``"pages/method.md"``        where figure references link
``CHARTS_TIMELINE_PAGE``  ``"pages/timeline.md"``      where date references link
``CHARTS_MAP_PAGE``       ``"pages/explainer.md"``     the page whose map place references link to
``CHARTS_MAP``            ``"route_map"``              the chart that maps the places
``CHARTS_RUNTIME_DIR``    ``".cache/runtime"``         the bundled live-chart script
``CHARTS_DEFAULT_CARD``   ``"food_scale"``             chart whose social card a page shows by default
``CHARTS_CATALOG``        ``"charts"``                 the package whose modules are the charts
``CHARTS_URL``            ``"charts/{id}/"``           a chart's page (``{id}``: the chart id)
``CHARTS_SAVE_AS``        ``"charts/{id}/index.html"`` where that page is written
``CHARTS_INDEX_URL``      ``"charts/"``                the index of every chart
``CHARTS_INDEX_SAVE_AS``  ``"charts/index.html"``      where the index is written
``CHARTS_LOCALES_DIR``    ``"locales"``                the gettext catalogues of the editions
``EDITIONS``              ``[DEFAULT_LANG]``           the site's languages, ``DEFAULT_LANG`` first

Each edition other than ``DEFAULT_LANG`` lives under ``/<lang>/``: its narrative pages are the
files ``<name>.<lang>.md`` beside the English ones (``Lang: <lang>`` and the English page's
``Slug``), its chart pages sit under ``<lang>/`` + ``CHARTS_URL``, and its strings come from
``<CHARTS_LOCALES_DIR>/<lang>/LC_MESSAGES/messages.po`` (see :mod:`charting.editions`). A page
or a string missing in an edition fails the build, naming it and the language.
``CHARTS_DATA_URL``       ``"data/"``                  the folder of the published data package
``CHARTS_CONTACT_PAGE``   ``"pages/about.md"``         the page whose section on reporting an error
                                                       readers' reports go to without a repository

The site settings that say where readers' error reports go (``REPOSITORY_URL``,
``ERROR_REPORT_URL``, ``EDITORS_CONTACT``) are checked by :mod:`plugin.reports`.

Besides wiring the engine in, the plugin keeps the build honest about pages: a page that is
not UTF-8, has an impossible date, a reference or unsafe HTML in its metadata, or writes to
the same place as another page or the chart pages is an error naming the file and line;
a symbolic link in content/, data/ or theme/ that leads out of the project is refused; and
once Pelican has written the site, any ``{{`` left outside code in a written page, feed or
JSON file is an error naming that file.
"""
from __future__ import annotations

import base64
import hashlib
import logging
import os
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path

import jinja2
from markupsafe import Markup
from pelican import signals
from pelican.contents import Page
from pelican.readers import MarkdownReader

from charting import editions, pipeline, references, theme, versions
from dataset import publication
from dataset.errors import BuildError, Problem, display_path
from plugin import chart_pages, datapackage, feeds, figures, i18n, reports, runtime, sitemap, urls
from plugin.extension import ChartsExtension, metadata_lines, unsafe_html
from plugin.state import STATE, BuildState, EditionState, state_of
from plugin.urls import ChartUrls

log = logging.getLogger(__name__)

DEFAULTS = {
    "CHARTS_DATA_PACKAGE": "data/datapackage.yaml",
    "CHARTS_SOURCES_DIR": "../shared/sources",
    "CHARTS_CACHE_DIR": ".cache/charts",
    "CHARTS_METHOD_PAGE": "pages/method.md",
    "CHARTS_TIMELINE_PAGE": "pages/timeline.md",
    "CHARTS_MAP_PAGE": "pages/explainer.md",
    "CHARTS_MAP": "route_map",
    "CHARTS_RUNTIME_DIR": ".cache/runtime",
    "CHARTS_DEFAULT_CARD": "food_scale",
    "CHARTS_CATALOG": "charts",
    "CHARTS_LOCALES_DIR": "locales",
    "CHARTS_CONTACT_PAGE": "pages/about.md",
    **urls.DEFAULTS,
}

#: Metadata that is text a reader sees, in which references are resolved to plain text.
REFERENCE_FIELDS = ("title", "summary", "standfirst", "kicker", "nav_title", "description")
#: Output folders that belong to the plugin's own files (besides the chart pages'), which no page may take.
RESERVED_PREFIXES = ("theme/",)
RESERVED_FILES = ("embed.js", feeds.FEED_PATH, sitemap.SITEMAP_PATH, sitemap.ROBOTS_PATH)
#: Written files searched for a ``{{`` that leaked: pages, feeds, data and images as text.
SCANNED_SUFFIXES = (".html", ".htm", ".xml", ".atom", ".rss", ".json", ".svg", ".txt")

def initialize(pelican) -> None:
    settings = pelican.settings
    settings.pop(STATE, None)
    for key, value in DEFAULTS.items():
        settings.setdefault(key, value)
    _refuse_outside_links(settings)
    # Settings first, before the data and charts take their time.
    chart_urls = ChartUrls.from_settings(settings)
    report_links = reports.Reports.from_settings(settings)
    content = Path(settings["PATH"])
    # A content folder with no page at all is refused as an incomplete site, which says it better.
    if not (content / settings["CHARTS_CONTACT_PAGE"]).is_file() and any(content.rglob("*.md")):
        raise BuildError(Problem("pelicanconf.py", f"CHARTS_CONTACT_PAGE names no page in the content folder: {settings['CHARTS_CONTACT_PAGE']!r}"))
    langs = _editions(settings)
    prepared = pipeline.prepare(
        package_path=settings["CHARTS_DATA_PACKAGE"],
        sources_dir=settings["CHARTS_SOURCES_DIR"],
        cache_dir=Path(settings["CHARTS_CACHE_DIR"]),
        catalog=settings["CHARTS_CATALOG"],
        langs=langs,
        locales_dir=Path(settings["CHARTS_LOCALES_DIR"]),
    )
    versions.check(prepared)
    if settings["CHARTS_DEFAULT_CARD"] not in prepared.charts:
        raise BuildError(Problem("pelicanconf.py", f"CHARTS_DEFAULT_CARD names no chart: {settings['CHARTS_DEFAULT_CARD']!r}"))
    if settings["CHARTS_MAP"] not in prepared.charts:
        raise BuildError(Problem("pelicanconf.py", f"CHARTS_MAP names no chart: {settings['CHARTS_MAP']!r}"))
    # Every generator compiles the theme's templates again; compiled once, they are kept by content.
    templates = Path(settings["CHARTS_CACHE_DIR"]) / ".jinja"
    templates.mkdir(parents=True, exist_ok=True)
    settings["JINJA_ENVIRONMENT"] = {**settings.get("JINJA_ENVIRONMENT", {}), "bytecode_cache": jinja2.FileSystemBytecodeCache(str(templates))}
    filters = settings.setdefault("JINJA_FILTERS", {})
    filters["news_article_json_ld"] = chart_pages.news_article_json_ld
    filters["bibtex"] = chart_pages.bibtex_escape
    jinja_globals = settings.setdefault("JINJA_GLOBALS", {})
    jinja_globals.update(inline_stylesheet(Path(settings["THEME"]), prepared.data.evidence))
    jinja_globals["DATA_PACKAGE_URL"] = chart_urls.data_file(publication.DESCRIPTOR)
    every = {}
    for lang, edition_prepared in prepared.editions.items():
        edition = edition_prepared.data.edition
        edition_urls = chart_urls.in_edition(edition.prefix)
        renderer = figures.Renderer(
            edition_prepared,
            urls=edition_urls,
            method_page=settings["CHARTS_METHOD_PAGE"],
            timeline_page=settings["CHARTS_TIMELINE_PAGE"],
            site_name=settings.get("SITENAME", ""),
            map_page=settings["CHARTS_MAP_PAGE"],
            map_chart=settings["CHARTS_MAP"],
            package_path=settings["CHARTS_DATA_PACKAGE"],
            reports=report_links,
            contact_page=settings["CHARTS_CONTACT_PAGE"],
        )
        every[lang] = EditionState(edition, edition_prepared, renderer, edition_urls)
    english = every[settings["DEFAULT_LANG"]]
    extension = ChartsExtension({lang: part.renderer for lang, part in every.items()})
    markdown = settings.setdefault("MARKDOWN", {})
    markdown.setdefault("extensions", [])
    markdown["extensions"] = [e for e in markdown["extensions"] if not isinstance(e, ChartsExtension)] + [extension]
    settings[STATE] = BuildState(prepared, english.renderer, extension, chart_urls, editions=every)


def _editions(settings) -> list[str]:
    """The site's languages from EDITIONS, DEFAULT_LANG (the language the site is written in) first."""
    default = settings.get("DEFAULT_LANG", editions.SOURCE_LANG)
    langs = list(settings.get("EDITIONS") or [default])
    if default != editions.SOURCE_LANG:
        raise BuildError(Problem("pelicanconf.py", f"DEFAULT_LANG is {default!r}, but the site, its data and its catalogues are written in {editions.SOURCE_LANG!r}"))
    if not langs or langs[0] != default or len(set(langs)) != len(langs):
        raise BuildError(Problem("pelicanconf.py", f"EDITIONS {langs!r} must start with DEFAULT_LANG ({default!r}) and name each language once"))
    return langs


class ChartsMarkdownReader(MarkdownReader):
    """Tells the extension which file it is reading, so errors can name it, and checks what
    Pelican would otherwise pass over: the encoding, metadata references, unsafe HTML and
    dates in the header. Gives each page ``data_as_of``: what the data it references is as of
    (:meth:`plugin.figures.Renderer.as_of`)."""

    def read(self, source_path):
        extension = self.settings[STATE].extension
        self._shown = display_path(source_path)
        extension.lang = self.settings["DEFAULT_LANG"]
        extension.source_path = self._shown
        try:
            self._header = _read_header(source_path, self._shown)
            extension.lang = self._edition()
            extension.page_url = self._page_url(source_path)
            extension.referenced = []
            content, metadata = super().read(source_path)
            # What the page's data is as of: the sources of everything it references (the site's, if none).
            metadata["data_as_of"] = extension.renderer.as_of(extension.renderer.sources_of(extension.referenced))
            return content, metadata
        except BuildError as exc:
            self.settings[STATE].errors.extend(BuildError(problem) for problem in exc.problems)
            raise
        finally:
            extension.line_offset = 0
            extension.page_url, extension.referenced = "", []
            self._shown, self._header = None, []

    def _edition(self) -> str:
        """The page's language (its ``Lang``, or DEFAULT_LANG), which must be one of EDITIONS."""
        given = [(value, line) for name, line, _, value in self._header if name == "lang"]
        lang, line = given[0] if given else (self.settings["DEFAULT_LANG"], None)
        known = self.settings[STATE].editions
        if lang not in known:
            raise BuildError(Problem(self._shown, f"Lang: {lang!r} is not an edition of this site; EDITIONS in pelicanconf.py has {', '.join(known)}", line=line))
        return lang

    def _page_url(self, source_path) -> str:
        """The page's address as Pelican will give it, worked out from its header before its
        body is read (a figure's error report names it)."""
        keys = ("title", "slug", "url", "save_as", "lang")
        header = {name: value for name, _, _, value in reversed(self._header) if name in keys}
        try:
            page = Page("", header, settings=self.settings, source_path=source_path)
            return f"{self.settings.get('SITEURL', '')}/{page.url}"
        except (KeyError, ValueError, AttributeError, TypeError):
            return ""  # a header Pelican cannot make a page of; the page's own errors say why

    def _line_of(self, key: str) -> int | None:
        return next((line for name, line, _, _ in getattr(self, "_header", []) if name == key), None)

    def _parse_metadata(self, meta):
        problems = []
        state = self.settings[STATE]
        data = state.editions[state.extension.lang].prepared.data
        for key, values in meta.items():
            lines = [(line, column) for name, line, column, _ in self._header if name == key]
            for index, value in enumerate(values):
                line, column = lines[index] if index < len(lines) else (self._line_of(key), None)
                label = key.capitalize()
                problems += [Problem(self._shown, f"{label}: {message}", line=line) for _, message, _ in unsafe_html(value)]
                if references.OPEN not in value:
                    continue
                if key not in REFERENCE_FIELDS:
                    allowed = ", ".join(name.capitalize() for name in REFERENCE_FIELDS)
                    problems.append(Problem(self._shown, f"{label}: a reference cannot go in this metadata; only {allowed} can hold {{{{fig ...}}}} or {{{{date ...}}}}", line=line))
                    continue
                try:
                    values[index] = references.expand(value, data)
                    self.settings[STATE].extension.referenced += [references.parse(raw)[:2] for _, _, raw in references.tokens(value)]
                except references.UnknownReference as exc:
                    where = f"character {column + exc.column - 1}" if column and exc.column else None
                    problems.append(Problem(self._shown, f"{label}: {exc}", line=line, column=where))
        if problems:
            raise BuildError(problems)
        # Pelican converts the Summary with the same Markdown; its lines are those of the file.
        summary = self._line_of("summary")
        self.settings[STATE].extension.line_offset = summary - 1 if summary else 0
        return super()._parse_metadata(meta)

    def process_metadata(self, name, value):
        try:
            return super().process_metadata(name, value)
        except Exception as exc:  # Pelican's own processors raise ValueError and more
            shown = getattr(self, "_shown", None)
            if shown is None:
                raise
            if name in ("date", "modified"):
                message = f"{name.capitalize()}: {value!r} is not a real date; write it as YYYY-MM-DD"
            else:
                message = f"{name.capitalize()}: {value!r} is not valid: {exc}"
            raise BuildError(Problem(shown, message, line=self._line_of(name))) from None


def _read_header(source_path, shown: str) -> list[tuple[str, int, int, str]]:
    """The page's ``Key: value`` header with lines and columns; the file must be UTF-8."""
    raw = Path(source_path).read_bytes()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        raise BuildError(Problem(shown, f"is not UTF-8: byte 0x{raw[exc.start]:02x} at character {column}; save the file as UTF-8", line=line)) from None
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    return metadata_lines(text.split("\n"))[0]


def inline_stylesheet(theme_dir: Path, evidence) -> dict:
    """The site's stylesheet and the generated chart colours, for a ``<style>`` in every page's
    head (no stylesheet request blocks the first paint), with the hash its CSP allows."""
    css = (theme_dir / "static" / "css" / "site.css").read_text(encoding="utf-8").strip() + "\n" + theme.stylesheet(evidence)
    digest = base64.b64encode(hashlib.sha256(css.encode("utf-8")).digest()).decode("ascii")
    return {"INLINE_CSS": Markup(css), "INLINE_CSS_HASH": f"sha256-{digest}"}


def share_environment(generator) -> None:
    """Give the figure HTML Pelican's Jinja environment, from the first generator Pelican makes.

    Every generator builds the same environment from the settings (the theme's templates,
    JINJA_ENVIRONMENT, JINJA_FILTERS); pages are read only after all of them exist.
    """
    # JSON written with ``tojson`` (JSON-LD) keeps its letters as they are, not as \u escapes.
    generator.env.policies["json.dumps_kwargs"] = {"sort_keys": True, "ensure_ascii": False}
    state = state_of(generator.settings)
    if state is None:
        return
    i18n.install(generator.env, {lang: part.edition for lang, part in state.editions.items()}, generator.settings.get("SITEURL", ""))
    for part in state.editions.values():
        if part.renderer.env is None:
            part.renderer.env = generator.env


def add_reader(readers) -> None:
    for extension in ChartsMarkdownReader.file_extensions:
        readers.reader_classes[extension] = ChartsMarkdownReader


def add_generators(pelican):
    return [chart_pages.ChartPagesGenerator, sitemap.SitemapGenerator]


def check_output_paths(generators) -> None:
    """Each page writes a file of its own: no two pages, and no page and the chart pages.

    A page that would overwrite another is reported with the line that gives its path, and
    left out so that Pelican does not stop on it with a traceback.
    """
    owners: dict[str, str] = {}
    state = state_of(generators[0].settings) if generators else None
    if state is None:
        return
    for generator in generators:
        groups = [getattr(generator, name) for name in ("translations", "pages", "hidden_translations", "hidden_pages", "draft_translations", "draft_pages") if isinstance(getattr(generator, name, None), list)]
        if not hasattr(generator, "hidden_pages"):
            continue
        contents = sorted({id(c): c for group in groups for c in group}.values(), key=lambda c: c.source_path)
        for content in contents:
            if not content.save_as:
                continue  # a page that is not written
            path = os.path.normpath(content.save_as).replace(os.sep, "/")
            shown = display_path(content.source_path)
            keys = {name: line for name, line, _, _ in _header_of(content.source_path)}
            key = next((k for k in ("save_as", "slug", "title") if k in keys), None)
            given = f"{key.capitalize()} {content.metadata.get(key, content.slug)!r}" if key else f"slug {content.slug!r}"
            if path.startswith(RESERVED_PREFIXES + state.urls.reserved) or path in RESERVED_FILES:
                problem = Problem(shown, f"{given} gives the output path {path}, which belongs to the chart pages and the site's own files; give the page another Slug", line=keys.get(key))
            elif path in owners:
                problem = Problem(shown, f"{given} gives the output path {path}, which {owners[path]} also writes; give each page its own Slug", line=keys.get(key))
            else:
                owners[path] = shown
                continue
            state.errors.append(BuildError(problem))
            for group in groups:
                while content in group:
                    group.remove(content)


def check_editions(generators) -> None:
    """Every narrative page exists in every edition, and no edition has a page English lacks.

    A page of another edition is ``<name>.<lang>.md`` beside the English one, with its Slug;
    a missing one is an error naming the English page, the language and the file to write.
    """
    state = state_of(generators[0].settings) if generators else None
    if state is None:
        return
    default = generators[0].settings["DEFAULT_LANG"]
    for generator in generators:
        if not hasattr(generator, "hidden_pages"):
            continue
        for page in [*generator.pages, *generator.hidden_pages]:
            shown = display_path(page.source_path)
            if page.lang != default:
                state.errors.append(BuildError(Problem(shown, f"is a {page.lang} page with no English page of the same Slug ({page.slug!r}); each edition translates an English page")))
                continue
            present = {page.lang, *(t.lang for t in page.translations)}
            for lang in state.editions:
                if lang not in present:
                    wanted = display_path(figures.in_edition(str(page.source_path), lang))
                    language = state.editions[lang].edition.locale.english_name
                    state.errors.append(BuildError(Problem(shown, f"has no {language} ({lang}) edition: write {wanted} with Lang: {lang} and Slug: {page.slug}")))


def _header_of(source_path) -> list[tuple[str, int, int, str]]:
    try:
        return _read_header(source_path, display_path(source_path))
    except (BuildError, OSError):
        return []


def _refuse_outside_links(settings) -> None:
    """Symbolic links in content/, data/ or theme/ must stay inside the project (or their folder)."""
    root = Path.cwd().resolve()
    folders = [Path(settings["PATH"]), Path(settings["THEME"]), Path(settings["CHARTS_DATA_PACKAGE"]).parent]
    problems = []

    def outside(path: Path, *bases: Path) -> bool:
        target = path.resolve()
        return not any(target == base or base in target.parents for base in bases)

    def refuse(path: Path) -> None:
        shown = path.absolute()
        shown = shown.relative_to(root) if shown.is_relative_to(root) else shown
        problems.append(Problem(str(shown), f"is a symbolic link to {os.readlink(path)}, outside the project; the build reads only files inside it (copy the file in instead)"))

    for folder in folders:
        if folder.is_symlink() and outside(folder, root):
            refuse(folder)
            continue
        if not folder.is_dir():
            continue
        for directory, subfolders, files in os.walk(folder):
            for name in sorted(subfolders + files):
                path = Path(directory) / name
                if path.is_symlink() and outside(path, root, folder.resolve()):
                    refuse(path)
    if problems:
        raise BuildError(problems)


def write_site_files(pelican) -> None:
    """The live-chart runtime, the host page's embed script, the corrections feed and the data package."""
    state = state_of(pelican.settings)
    if state is None or state.errors:
        return
    output = Path(pelican.settings["OUTPUT_PATH"])
    runtime.install(Path(pelican.settings["CHARTS_RUNTIME_DIR"]), output / "theme" / "js")
    shutil.copyfile(Path(pelican.settings["THEME"]) / "static" / "js" / "embed-host.js", output / "embed.js")
    for part in state.editions.values():
        feeds.write_corrections_feed(part.prepared, pelican.settings, part.urls, output, part.edition.prefix)
    package = datapackage.publish(pelican.settings["CHARTS_DATA_PACKAGE"], state.urls, output, _site_name(output), Path(pelican.settings["CHARTS_CACHE_DIR"]))
    state.errors.extend(BuildError(problem) for problem in package)
    state.errors.extend(BuildError(problem) for problem in leaks(output))


def leaks(output: Path) -> list[Problem]:
    """Every ``{{`` in a written page, feed or data file that is not inside <code> or <pre>.

    The last net under the Markdown extension, the metadata checks and the templates: a
    reference or a template expression that reached the site unresolved.
    """
    found = []
    for path in sorted(p for p in Path(output).rglob("*") if p.suffix.lower() in SCANNED_SUFFIXES and p.is_file()):
        text = path.read_text(encoding="utf-8", errors="replace")
        if references.OPEN not in text:
            continue
        shown = f"{_site_name(Path(output))}/{path.relative_to(output).as_posix()}"
        if path.suffix.lower() in (".html", ".htm"):
            if references.OPEN not in _CODE.sub(r"\1\3", text):
                continue  # every {{ is inside <code> or <pre> (a chart page's BibTeX): nothing to parse
            scanner = _LeakScanner()
            scanner.feed(text)
            scanner.close()
            spots = scanner.spots
        else:
            spots = [(text.count("\n", 0, i) + 1, text[i : i + 60]) for i in _positions(text)]
        for line, snippet in spots:
            shown_snippet = snippet.split("}}")[0] + "}}" if "}}" in snippet else snippet.split("\n")[0]
            found.append(Problem(shown, f"{shown_snippet!r} is left in the written file outside code: a reference or template text was never resolved", line=line))
    return found


#: <code> and <pre> elements, which may show {{ as it is: a quick look before the full parse.
_CODE = re.compile(r"(<(code|pre)\b[^>]*>).*?(</\2\s*>)", re.DOTALL | re.IGNORECASE)


def _site_name(output: Path) -> str:
    """The output folder's name, also while the site is built into a staging folder beside it."""
    staging = re.match(r"\.(.+?)\.building-", output.name)
    return staging.group(1) if staging else output.name


def _positions(text: str) -> list[int]:
    return [start for start, _, _ in references.tokens(text)]


class _LeakScanner(HTMLParser):
    """Finds ``{{`` in a page's text, attributes and comments, but not in <code> or <pre>."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.spots: list[tuple[int, str]] = []
        self.code = 0

    def _look(self, text: str | None) -> None:
        for start in _positions(text or ""):
            self.spots.append((self.getpos()[0] + text.count("\n", 0, start), text[start : start + 60]))

    def handle_starttag(self, tag, attrs):
        for _, value in attrs:
            self._look(value)
        if tag in ("code", "pre"):
            self.code += 1

    def handle_startendtag(self, tag, attrs):
        for _, value in attrs:
            self._look(value)

    def handle_endtag(self, tag):
        if tag in ("code", "pre") and self.code:
            self.code -= 1

    def handle_data(self, data):
        if not self.code:
            self._look(data)

    def handle_comment(self, data):
        self._look(data)


def register() -> None:
    signals.initialized.connect(initialize)
    signals.readers_init.connect(add_reader)
    signals.generator_init.connect(share_environment)
    signals.get_generators.connect(add_generators)
    signals.all_generators_finalized.connect(check_output_paths)
    signals.all_generators_finalized.connect(check_editions)
    signals.finalized.connect(write_site_files)
