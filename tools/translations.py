"""The editions' gettext catalogues, kept in step with the site (``invoke translations``).

:func:`extract` gathers every string a reader sees that is written in English: ``_()`` and the
other gettext calls in the engine's code and the chart modules, ``{{ _("...") }}`` in the
theme's templates, each chart's furniture, the data package's text columns (those it lists
under ``translated``), and the patterns :mod:`charting.formatting` writes figures and dates
with. :func:`update` writes them to ``locales/messages.pot`` and merges that into each
edition's ``messages.po`` with Babel: a new string arrives empty, and an English string that
changed arrives marked fuzzy with its old translation. The build refuses both until a
translator has written or checked the translation (:mod:`charting.editions`).

The template records no line numbers, so moving code does not change it; tests compare it
with a fresh extraction, so a string added to the code without ``invoke translations`` fails.
"""
from __future__ import annotations

import ast
import datetime as dt
import io
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_file, extract_python
from babel.messages.pofile import read_po, write_po
from pelican.settings import get_settings_from_file

from charting import editions, formatting, pipeline
from dataset import loading
from plugin import figures, i18n

PROJECT = "flour-goats-shells"
#: Comments written to translators start with this in the code and templates.
COMMENT_TAG = "Translators:"
#: (folder or file, Babel's method): where the strings are. Chart modules and the data package
#: have extractors of their own (furniture, text columns); the rest are Babel's.
SOURCES = (
    ("charting", "python"),
    ("dataset", "python"),
    ("plugin", "python"),
    ("charts", "tools.translations:extract_chart"),
    ("theme/templates", "jinja2"),
)
JINJA_OPTIONS = {"extensions": "jinja2.ext.i18n", "trim_blocks": "true", "lstrip_blocks": "true", "newstyle_gettext": "true"}
WIDTH = 100
#: Settings a reader sees (the site's name, its strapline, who wrote it), in the context "setting".
SETTINGS = ("SITENAME", "SITESUBTITLE", "AUTHOR")
COPYRIGHT = "The explainer team"
FIXED_DATE = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)


HEADER = """\
# Strings of the explainer "Flour, goats and shells", for translation.
# Written by invoke translations (tools/translations.py) from the code, templates, chart
# furniture and data; edit the translations (msgstr), never the English (msgid).
# Placeholders in braces or %(name)s, and {{...}} references, must be kept as they are.
#"""


def extract_chart(fileobj, keywords, comment_tags, options):
    """A chart module's gettext calls, and each field of its FURNITURE in the context
    ``chart <id>: <field>`` (a Babel extraction method)."""
    source = fileobj.read()
    yield from extract_python(io.BytesIO(source), keywords, comment_tags, options)
    chart_id = Path(getattr(fileobj, "name", "chart.py")).stem
    tree = ast.parse(source)
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id == "FURNITURE" for t in node.targets) and isinstance(node.value, ast.Call):
            for keyword in node.value.keywords:
                if keyword.arg not in (*pipeline.FURNITURE_FIELDS, "notes"):
                    continue
                value = ast.literal_eval(keyword.value)
                for text in value if isinstance(value, tuple) else (value,):
                    yield keyword.value.lineno, "pgettext", (pipeline.furniture_context(chart_id, keyword.arg), text), [f"The chart's {keyword.arg}; keep each {{{{...}}}} reference as it is."]


def data_strings(data, package_path: Path) -> list[tuple[str, str | tuple[str, str], str]]:
    """The data's text columns, the published tables' titles and the figure patterns, as
    ``(context, English, where)``; English with plural forms is a (singular, plural) pair."""
    found = []
    tables = {name: getattr(data, name) for name in data.translated if hasattr(getattr(data, name, None), "columns")}
    for table, columns in data.translated.items():
        if table in tables:
            for column in columns:
                for text in dict.fromkeys(tables[table][column]):
                    if text:
                        found.append((editions.DATA_CONTEXT.format(table=table, column=column), text, f"data/{table}.csv"))
        else:
            items = {"sources": data.sources.values(), "evidence_statuses": data.evidence, "units": data.units.values()}[table]
            for item in items:
                for column in columns:
                    text = getattr(item, column)
                    if text:
                        found.append((editions.DATA_CONTEXT.format(table=table, column=column), text, "data/datapackage.yaml"))
    found += [(figures.RESOURCE_TITLE_CONTEXT, resource["title"], "data/datapackage.yaml") for resource in loading.read_descriptor(package_path)["resources"] if resource.get("title")]
    return found + formatting.catalogue_strings(data)


def extract(root: Path = Path(".")) -> Catalog:
    """Every string the site shows in English, as the catalogues' template."""
    template = _catalog()
    for folder, method in SOURCES:
        options = JINJA_OPTIONS if method == "jinja2" else {}
        for path in sorted((root / folder).rglob("*")):
            if path.suffix not in (".py", ".html", ".svg", ".xml", ".txt") or "__pycache__" in path.parts:
                continue
            if method != "jinja2" and path.suffix != ".py":
                continue
            shown = path.relative_to(root).as_posix()
            for lineno, message, comments, context in extract_from_file(method, str(path), keywords=DEFAULT_KEYWORDS, comment_tags=(COMMENT_TAG,), options=options, strip_comment_tags=True):
                template.add(message, locations=[(shown, lineno)], auto_comments=comments, context=context)
    settings = get_settings_from_file(str(root / "pelicanconf.py"))
    for name in SETTINGS:
        template.add(settings[name], locations=[("pelicanconf.py", 0)], context=i18n.SETTING_CONTEXT, auto_comments=[f"The setting {name}."])
    package = root / loading.DEFAULT_PACKAGE
    for context, message, where in data_strings(loading.load(package, sources_dir=None), package):
        template.add(message, locations=[(where, 0)], context=context)
    return template


def _catalog(lang: str | None = None) -> Catalog:
    """An empty catalogue (the template, with no language) with this project's header."""
    catalog = Catalog(locale=lang, project=PROJECT, version="1", copyright_holder=COPYRIGHT, msgid_bugs_address="", fuzzy=False, header_comment=HEADER)
    # The catalogues' dates are not news: a fixed one keeps two extractions byte for byte the same.
    catalog.creation_date = catalog.revision_date = FIXED_DATE
    return catalog


def render_template(catalog: Catalog) -> bytes:
    """A catalogue as written: sorted, wrapped at WIDTH, its locations without line numbers."""
    buffer = io.BytesIO()
    write_po(buffer, catalog, width=WIDTH, sort_output=True, include_lineno=False, ignore_obsolete=True)
    return buffer.getvalue()


def write(catalog: Catalog, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(render_template(catalog))


def update(langs=None, locales_dir: Path = editions.LOCALES_DIR) -> dict[str, tuple[int, int]]:
    """Write the template and merge it into each edition's catalogue (EDITIONS in pelicanconf.py
    unless ``langs``); per language, how many strings are still untranslated and how many fuzzy."""
    if langs is None:
        langs = get_settings_from_file("pelicanconf.py")["EDITIONS"]
    template = extract()
    write(template, Path(locales_dir) / f"{editions.DOMAIN}.pot")
    counts = {}
    for lang in langs:
        if lang == editions.SOURCE_LANG:
            continue
        path = editions.catalog_path(lang, locales_dir)
        if path.is_file():
            with path.open("rb") as handle:
                catalog = read_po(handle, locale=lang)
        else:
            catalog = _catalog(lang)
        catalog.update(template, update_header_comment=False)
        catalog.fuzzy = False
        write(catalog, path)
        untranslated = sum(1 for m in catalog if m.id and not (all(m.string) if isinstance(m.string, tuple) else m.string))
        fuzzy = sum(1 for m in catalog if m.id and m.fuzzy)
        counts[lang] = (untranslated, fuzzy)
    return counts

