"""Editions of the site: English, in which the data, code and templates are written, and its
translations, each with its own gettext catalogue.

A translation's strings live in ``locales/<lang>/LC_MESSAGES/messages.po``, managed with Babel:
``invoke translations`` extracts ``locales/messages.pot`` from the code, the templates, the chart
furniture and the data's text columns, and merges it into each catalogue. The build reads the
catalogues as they are (no compiled ``.mo`` to go stale) and is strict about them: a string of
the template with no translation, a fuzzy one, or one that drops a ``{placeholder}`` or a
``{{reference}}`` fails the build naming the string, the language and the catalogue's line, and
so does a string looked up at build time that the template does not hold. No edition ever falls
back to English in silence.

An :class:`Edition` is what a build of one language works from: its locale (for Babel's
numbers and dates) and its catalogue. :func:`localize` gives the data in an edition's language:
the same rows and values, with the text columns the data package names under ``translated``
replaced by their translations.
"""
from __future__ import annotations

import dataclasses
import gettext
import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
from babel import Locale
from babel.messages.catalog import Catalog
from babel.messages.pofile import PoFileError, read_po

from dataset.errors import BuildError, Problem, display_path
from dataset.places import located_text

#: The language everything is written in; its edition needs no catalogue.
SOURCE_LANG = "en"
LOCALES_DIR = Path("locales")
DOMAIN = "messages"
TEMPLATE = LOCALES_DIR / f"{DOMAIN}.pot"
#: ``{name}`` placeholders a translation must keep (``{{`` references are counted apart).
_PLACEHOLDER = re.compile(r"(?<!\{)\{([a-z_]+)\}(?!\})")
#: Jinja's new-style gettext values in templates: ``%(name)s``.
_PERCENT = re.compile(r"%\((\w+)\)s")
#: Where the data's text columns are translated, and how a catalogue entry names its column.
DATA_CONTEXT = "data: {table}.{column}"


class TranslationError(BuildError):
    """A catalogue is missing a string, or a translation breaks one."""


def N_(message: str) -> str:
    """Marks a string for the catalogues where it is defined; it is translated where it is shown."""
    return message


def unit_text(data, column: str, text: str) -> str:
    """A unit's ``label`` or ``description`` in the data's language: units keep their English
    definitions in every edition (see :func:`localize`), so they are translated as shown."""
    return data.pgettext(DATA_CONTEXT.format(table="units", column=column), text) if text else text


def catalog_path(lang: str, locales_dir: Path = LOCALES_DIR) -> Path:
    return Path(locales_dir) / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


@dataclass(frozen=True)
class Edition:
    """One language of the site and the catalogue it is written from."""

    lang: str
    #: None for the source language, whose strings are their own translation.
    catalog: Catalog | None = field(default=None, compare=False, repr=False)
    catalog_file: str = ""
    #: A hash of the catalogue file as read, for memo keys ("source" for English).
    digest: str = "source"

    @property
    def locale(self) -> Locale:
        return Locale.parse(self.lang)

    @property
    def is_source(self) -> bool:
        return self.catalog is None

    @property
    def name(self) -> str:
        """The language's name in itself, as a language switcher shows it: English, 한국어, Русский."""
        own = self.locale.get_display_name(self.lang) or self.lang
        return own[:1].upper() + own[1:]

    @property
    def prefix(self) -> str:
        """The edition's folder in the site: '' for English, 'ko/' for Korean."""
        return "" if self.is_source else f"{self.lang}/"

    # The four lookups gettext's API names, so Babel extracts their strings from the code.
    def gettext(self, message: str) -> str:
        return self.pgettext(None, message)

    def pgettext(self, context: str | None, message: str) -> str:
        if self.catalog is None or not message:
            return message
        return self._lookup(message, context, None)

    def ngettext(self, singular: str, plural: str, n: float) -> str:
        return self.npgettext(None, singular, plural, n)

    def npgettext(self, context: str | None, singular: str, plural: str, n: float) -> str:
        if self.catalog is None:
            return singular if n == 1 else plural
        return self._lookup(singular, context, n)

    def _lookup(self, message: str, context: str | None, n: float | None) -> str:
        entry = self.catalog.get(message, context=context)
        text = entry.string if entry is not None else None
        if isinstance(text, (tuple, list)):  # a plural entry; looked up without a count, its first form
            index = _plural_index(self.catalog, n) if n is not None else 0
            text = text[index] if index < len(text) else None
        if entry is None or not text or entry.fuzzy:
            where = f" (context {context!r})" if context else ""
            raise TranslationError(
                Problem(self.catalog_file, f"no {self.locale.english_name} ({self.lang}) translation of {message!r}{where}; add it to the catalogue (invoke translations updates it from the code)")
            )
        return text

    @property
    def key(self) -> str:
        """What a memo key takes from this edition: its language and its catalogue's contents."""
        return f"{self.lang}:{self.digest}"


def _plural_index(catalog: Catalog, n: float) -> int:
    """Which plural form gettext picks for ``n`` by the catalogue's Plural-Forms rule.

    gettext's rules count whole numbers; a fraction ("6,5") takes the form Russian and its kin
    use for a number like 2 (the genitive singular), so it is counted as 2.
    """
    count = int(n) if float(n).is_integer() else 2
    return gettext.c2py(catalog.plural_expr)(count)


def load(langs, locales_dir: Path = LOCALES_DIR) -> dict[str, Edition]:
    """Every edition, English first, each translation checked against the template."""
    editions: dict[str, Edition] = {}
    problems: list[Problem] = []
    template_path = Path(locales_dir) / f"{DOMAIN}.pot"
    template = _read(template_path, problems) if any(lang != SOURCE_LANG for lang in langs) else None
    for lang in langs:
        if lang == SOURCE_LANG:
            editions[lang] = Edition(lang)
            continue
        try:
            Locale.parse(lang)
        except (ValueError, LookupError):
            problems.append(Problem("pelicanconf.py", f"EDITIONS names {lang!r}, which is not a language Babel knows (use a code such as 'ko' or 'ru')"))
            continue
        path = catalog_path(lang, locales_dir)
        catalog = _read(path, problems, lang)
        if catalog is None:
            continue
        if template is not None:
            problems += check(catalog, template, display_path(path), lang)
        editions[lang] = Edition(lang, catalog, display_path(path), hashlib.sha256(path.read_bytes()).hexdigest()[:16])
    if problems:
        raise TranslationError(problems)
    return editions


def _read(path: Path, problems: list[Problem], lang: str | None = None) -> Catalog | None:
    shown = display_path(path)
    if not path.is_file():
        what = f"the {lang} catalogue" if lang else "the template of the catalogues"
        problems.append(Problem(shown, f"is missing: {what}; run invoke translations to create it"))
        return None
    try:
        with path.open("rb") as handle:
            return read_po(handle, locale=lang, abort_invalid=True)
    except (PoFileError, ValueError, UnicodeDecodeError) as exc:
        problems.append(Problem(shown, f"cannot be read as a gettext catalogue: {exc}"))
        return None


def check(catalog: Catalog, template: Catalog, shown: str, lang: str) -> list[Problem]:
    """Every string of the template translated, not fuzzy, with its placeholders and references."""
    problems = []
    language = Locale.parse(lang).english_name
    for message in template:
        if not message.id:
            continue
        key = message.id if isinstance(message.id, str) else message.id[0]
        entry = catalog.get(key, context=message.context)
        where = f" (context {message.context!r})" if message.context else ""
        line = entry.lineno if entry is not None else None
        forms = [s for s in (entry.string if isinstance(entry.string, (tuple, list)) else [entry.string])] if entry is not None else []
        if entry is None or not all(forms):
            problems.append(Problem(shown, f"no {language} ({lang}) translation of {key!r}{where}", line=line))
        elif entry.fuzzy:
            problems.append(Problem(shown, f"the {language} ({lang}) translation of {key!r}{where} is marked fuzzy: check it and remove the flag", line=line))
        else:
            for form in forms:
                lost = _tokens(key) - _tokens(form)
                added = _tokens(form) - _tokens(key)
                if lost or added:
                    what = "drops " + ", ".join(sorted(lost)) if lost else "adds " + ", ".join(sorted(added))
                    problems.append(Problem(shown, f"the {language} ({lang}) translation of {key!r}{where} {what}; keep every placeholder and reference of the English", line=line))
                    break
    return problems


def _tokens(text: str) -> set[str]:
    found = {"{" + name + "}" for name in _PLACEHOLDER.findall(text)}
    found |= {f"%({name})s" for name in _PERCENT.findall(text)}
    # Imported here: charting.references writes figures through charting.formatting, which needs this module.
    from charting import references

    found |= {" ".join(raw.split()) for _, _, raw in references.tokens(text)}
    return found


def localize(data, edition: Edition):
    """The data in the edition's language: the same rows, ids and values, with each text column
    the data package lists under ``translated`` in that language, and the edition attached.

    Units keep their English definitions, which are the keys of their patterns in the catalogue
    (charting.formatting); the units table translates their label and description as it shows them.
    """
    if edition.is_source:
        return dataclasses.replace(data, edition=edition)

    def text(table: str, column: str, value):
        if column not in data.translated.get(table, ()) or not isinstance(value, str):
            return value
        return edition.pgettext(DATA_CONTEXT.format(table=table, column=column), value)

    tables = {}
    for table, columns in data.translated.items():
        frame = getattr(data, table, None)
        if isinstance(frame, pd.DataFrame):
            frame = frame.copy()
            for column in columns:
                frame[column] = [text(table, column, value) for value in frame[column]]
            tables[table] = frame
    if "located" in data.places.columns:  # written by dataset.places, in words
        places = tables.get("places", data.places).copy()
        places["located"] = [located_text(row, edition.pgettext) for _, row in data.places.iterrows()]
        tables["places"] = places
    sources = {
        name: dataclasses.replace(source, **{column: text("sources", column, getattr(source, column)) for column in data.translated.get("sources", ())})
        for name, source in data.sources.items()
    }
    statuses = {
        name: dataclasses.replace(status, **{column: text("evidence_statuses", column, getattr(status, column)) for column in data.translated.get("evidence_statuses", ())})
        for name, status in data.evidence.statuses.items()
    }
    return dataclasses.replace(data, **tables, sources=sources, evidence=dataclasses.replace(data.evidence, statuses=statuses), edition=edition)
