"""The theme's templates in each edition's language.

Pelican gives every generator a Jinja environment with ``jinja2.ext.i18n`` (JINJA_ENVIRONMENT in
pelicanconf.py); :func:`install` gives it gettext functions that translate into the language
of the page being written: the ``lang`` a template is rendered with (chart pages, figure HTML,
feeds), or else the ``lang`` of the Pelican page it writes. Strings in templates are written
``{{ _("...") }}`` (``%(name)s`` for values, ``%%`` for a per cent sign: Jinja's new-style
gettext formats every string), and ``invoke translations`` extracts them with Babel.

It also gives templates what a page needs to know about its editions: the pages of its own
language for the navigation (:func:`edition_pages`), the same page in every language for
``hreflang`` and the language switcher (:func:`alternates`), and each edition's home.
"""
from __future__ import annotations

from jinja2 import pass_context

from charting import formatting


def install(env, editions: dict, site_url: str = "") -> None:
    """gettext in the page's language, and the editions' globals, for one generator's templates.

    ``editions``: every :class:`charting.editions.Edition` of the site by language, English first.
    """

    def edition(context):
        lang = context.get("lang") or getattr(context.get("page"), "lang", None)
        if lang not in editions:
            name = getattr(context, "name", None) or "a template"
            raise LookupError(f"{name} was rendered without a known lang ({lang!r}); pass lang= to render() (editions: {', '.join(editions)})")
        return editions[lang]

    @pass_context
    def gettext(context, message):
        return edition(context).gettext(message)

    @pass_context
    def ngettext(context, singular, plural, n):
        return edition(context).ngettext(singular, plural, n)

    @pass_context
    def pgettext(context, message_context, message):
        return edition(context).pgettext(message_context, message)

    @pass_context
    def npgettext(context, message_context, singular, plural, n):
        return edition(context).npgettext(message_context, singular, plural, n)

    env.install_gettext_callables(gettext, ngettext, newstyle=True, pgettext=pgettext, npgettext=npgettext)
    site_url = site_url.rstrip("/")

    @pass_context
    def current_lang(context) -> str:
        return edition(context).lang

    @pass_context
    def home(context) -> str:
        """The home of the page's edition, ending in '/': links to its pages go on from here."""
        return f"{site_url}/{edition(context).prefix}"

    @pass_context
    def local_date(context, iso: str) -> str:
        """A day (or month, or year) as the page's language writes it: 23 November 2026, 2026년 11월 23일."""
        return formatting.date_label(iso, edition(context))

    env.globals.update(
        local_date=local_date,
        current_lang=current_lang,
        home=home,
        EDITION_NAMES={lang: found.name for lang, found in editions.items()},
        edition_pages=edition_pages,
        alternates=lambda page: alternates(page, list(editions), site_url),
    )


#: The catalogue context of the settings a reader sees (SITENAME, SITESUBTITLE, AUTHOR).
SETTING_CONTEXT = "setting"


def setting(data, settings, name: str) -> str:
    """A setting a reader sees (the site's name, its author) in the data's language."""
    return data.pgettext(SETTING_CONTEXT, settings[name])


def edition_pages(pages, lang: str) -> list:
    """The navigation's pages in ``lang``: each English page's translation into it."""
    found = []
    for page in pages:
        match = page if page.lang == lang else next((t for t in page.translations if t.lang == lang), None)
        if match is not None:
            found.append(match)
    return found


def alternates(page, langs: list[str], site_url: str) -> list[dict]:
    """The page in every edition, in EDITIONS order: ``{"lang", "url"}`` each."""
    every = {page.lang: page, **{t.lang: t for t in page.translations}}
    return [{"lang": lang, "url": f"{site_url}/{every[lang].url}"} for lang in langs if lang in every]
