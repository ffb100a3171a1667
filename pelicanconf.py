"""Pelican settings for development builds (`invoke build`, `invoke serve`).

Options of our own plugin are documented in plugin/hooks.py; its defaults suit
this layout, so none are repeated here.
"""
import os

import jinja2

import plugin
from plugin import reports

AUTHOR = "The explainer team"
SITENAME = "Flour, goats and shells"
SITESUBTITLE = "Russia's food trade and aid to North Korea, and the accusation that food pays for munitions"
SITEURL = ""
TIMEZONE = "UTC"
DEFAULT_LANG = "en"
# The site's editions: English at the root, Korean under /ko/, Russian under /ru/. Each page of
# another edition is <name>.<lang>.md beside the English page, with its Slug; its strings are in
# locales/<lang>/LC_MESSAGES/messages.po.
EDITIONS = ["en", "ko", "ru"]
LICENSE_NAME = "CC BY 4.0"
LICENSE_URL = "https://creativecommons.org/licenses/by/4.0/"

# Readers' error reports (checked by plugin/reports.py). The repository: $REPOSITORY_URL, else the
# git remote origin when it is on GitHub, as https://github.com/<owner>/<repository>; empty when
# neither (a development build's reports then go to About's section on reporting an error, and
# `invoke publish` refuses).
REPOSITORY_URL = reports.repository_url(os.path.dirname(os.path.abspath(__file__)))
# Where "Report an error" leads: {repository}, and the report's {title} and {body}, URL-encoded.
ERROR_REPORT_URL = "{repository}/issues/new?title={title}&body={body}"
# How About tells readers to reach the editors: an e-mail address or a web address; empty, the
# repository's issues.
EDITORS_CONTACT = ""

PATH = "content"
PAGE_PATHS = ["pages"]
ARTICLE_PATHS = []
STATIC_PATHS = []
THEME = "theme"
PLUGINS = [plugin]

# Pages a complete build writes: a build that misses any of them fails and keeps the old site.
REQUIRED_PAGES = ["index.html", "timeline/index.html", "food-for-munitions/index.html", "sources-and-method/index.html", "corrections/index.html", "about/index.html"]
# Pages the browser tests open in Chromium: every narrative page and one of each kind of chart page.
GATED_PAGES = ["/", "/timeline/", "/food-for-munitions/", "/sources-and-method/", "/corrections/", "/about/", "/charts/", "/charts/hunger/", "/charts/hunger/embed/", "/charts/hunger/v1/", "/ko/", "/ru/timeline/", "/ko/charts/route_map/", "/ru/charts/hunger/embed/"]

# Every narrative is a page at /<slug>/; the explainer is the home page.
PAGE_URL = "{slug}/"
PAGE_SAVE_AS = "{slug}/index.html"
PAGE_LANG_URL = "{lang}/{slug}/"
PAGE_LANG_SAVE_AS = "{lang}/{slug}/index.html"
DIRECT_TEMPLATES = []
ARCHIVES_SAVE_AS = AUTHORS_SAVE_AS = CATEGORIES_SAVE_AS = TAGS_SAVE_AS = ""
AUTHOR_SAVE_AS = CATEGORY_SAVE_AS = TAG_SAVE_AS = ""
FEED_ALL_ATOM = FEED_ALL_RSS = CATEGORY_FEED_ATOM = TRANSLATION_FEED_ATOM = None
AUTHOR_FEED_ATOM = AUTHOR_FEED_RSS = None

MARKDOWN = {
    "extension_configs": {
        "markdown.extensions.extra": {},
        "markdown.extensions.toc": {"permalink": False},
        "markdown.extensions.smarty": {},
    },
    "output_format": "html5",
}

# Development builds use relative URLs so output/ can be opened from any local server path.
RELATIVE_URLS = False
CACHE_CONTENT = False

# Escape everything templates print unless it is marked safe (page bodies, rendered figures).
# A name no template context has is an error, not an empty string.
# Templates say their strings through gettext (jinja2.ext.i18n), in each page's language.
JINJA_ENVIRONMENT = {"trim_blocks": True, "lstrip_blocks": True, "autoescape": True, "undefined": jinja2.StrictUndefined, "extensions": ["jinja2.ext.i18n"]}
