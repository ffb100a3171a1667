"""The built site in three editions: every page in each, the same values, reciprocal hreflang."""
from __future__ import annotations

import html as html_module
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path

import pytest

from dataset.errors import BuildError
from tests.conftest import ROOT, SETTINGS
from tools import build as building

EDITIONS = SETTINGS["EDITIONS"]
OTHERS = [lang for lang in EDITIONS if lang != SETTINGS["DEFAULT_LANG"]]


class _Page(HTMLParser):
    """What the tests read from a page: its lang, its alternates, and each figure reference."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.lang = None
        self.alternates: dict[str, str] = {}
        self.figures: list[tuple[str, str]] = []  # (figure id, machine value)
        self.switcher: list[str] = []
        self._href = None
        self._in_switcher = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "html":
            self.lang = attrs.get("lang")
        if tag == "link" and attrs.get("rel") == "alternate" and attrs.get("hreflang"):
            self.alternates[attrs["hreflang"]] = attrs["href"]
        if tag == "nav" and "language-switcher" in (attrs.get("class") or ""):
            self._in_switcher = True
        if tag == "a" and self._in_switcher:
            self.switcher.append(attrs.get("hreflang"))
        if tag == "a" and "figure-ref" in (attrs.get("class") or ""):
            self._href = attrs["href"]
        if tag == "data" and self._href:
            self.figures.append((self._href.rsplit("#figure-", 1)[1], attrs["value"]))

    def handle_endtag(self, tag):
        if tag == "a":
            self._href = None
        if tag == "nav":
            self._in_switcher = False


def read(path: Path) -> _Page:
    page = _Page()
    page.feed(path.read_text(encoding="utf-8"))
    return page


def english_pages(site: Path) -> list[Path]:
    """Every English HTML page: not under an edition's folder."""
    return sorted(p for p in site.rglob("*.html") if p.relative_to(site).parts[0] not in OTHERS)


def in_edition(site: Path, page: Path, lang: str) -> Path:
    return site / lang / page.relative_to(site)


def test_every_page_and_chart_exists_in_every_edition(built_site):
    pages = english_pages(built_site)
    assert len(pages) > 25
    missing = [str(in_edition(built_site, page, lang).relative_to(built_site)) for page in pages for lang in OTHERS if not in_edition(built_site, page, lang).is_file()]
    assert not missing
    # and every chart's downloads, feed and metadata too
    for lang in OTHERS:
        assert (built_site / lang / "corrections.atom").is_file()
        for png in (built_site / "charts").rglob("*.png"):
            assert in_edition(built_site, png, lang).is_file(), png


@pytest.mark.parametrize("lang", EDITIONS)
def test_every_page_says_its_language(built_site, lang):
    root = built_site / lang if lang in OTHERS else built_site
    pages = [p for p in english_pages(built_site)] if lang not in OTHERS else sorted(root.rglob("*.html"))
    for page in pages:
        assert read(page).lang == lang, page


def test_every_figure_reference_shows_the_same_value_as_in_english(built_site, dataset):
    """Compare the machine values the pages carry with the data, edition by edition."""
    seen = {lang: {} for lang in EDITIONS}
    for page in english_pages(built_site):
        for lang in EDITIONS:
            path = page if lang not in OTHERS else in_edition(built_site, page, lang)
            for figure_id, value in read(path).figures:
                seen[lang].setdefault(figure_id, set()).add(float(value))
    assert len(seen["en"]) > 25
    for lang in EDITIONS:
        for figure_id, values in seen[lang].items():
            assert values == {dataset.value(figure_id)}, (lang, figure_id)
    for lang in OTHERS:
        # each edition quotes a figure the English quotes (a translation may quote one again, never a new one)
        assert set(seen[lang]) <= set(seen["en"]), set(seen[lang]) - set(seen["en"])
        assert len(seen[lang]) >= 0.9 * len(seen["en"])


def test_hreflang_alternates_are_reciprocal_and_complete(built_site):
    checked = 0
    for page in english_pages(built_site):
        for lang in EDITIONS:
            path = page if lang not in OTHERS else in_edition(built_site, page, lang)
            parsed = read(path)
            if not parsed.alternates:
                continue  # an embed's or a version's page may have none; every page with one has all
            assert set(parsed.alternates) == {*EDITIONS, "x-default"}, path
            assert parsed.switcher in ([], EDITIONS), path
            for other, url in parsed.alternates.items():
                target = built_site / url.lstrip("/")
                target = target / "index.html" if url.endswith("/") else target
                assert target.is_file(), (path, url)
                back = read(target).alternates
                assert back == parsed.alternates, (path, other)
            checked += 1
    assert checked > 60


def test_the_sitemap_lists_every_edition_with_its_alternates(built_site):
    sitemap = (built_site / "sitemap.xml").read_text(encoding="utf-8")
    locations = re.findall(r"<loc>([^<]+)</loc>", sitemap)
    for lang in OTHERS:
        assert f"/{lang}/" in locations and f"/{lang}/charts/hunger/" in locations
    assert sitemap.count('hreflang="ko"') == len(locations)


def test_korean_page_writes_figures_the_korean_way(built_site):
    text = (built_site / "ko" / "index.html").read_text(encoding="utf-8")
    assert "650만" in text and "달러" in text
    russian = (built_site / "ru" / "index.html").read_text(encoding="utf-8")
    assert "6,5\u00a0млн" in russian


@pytest.fixture()
def project_copy(tmp_path, render_cache) -> Path:
    """A copy of what a build reads, so a test can take a translation away."""
    for name in ("content", "locales"):
        shutil.copytree(ROOT / name, tmp_path / name)
    return tmp_path


def test_a_missing_catalogue_string_fails_the_build_naming_it_and_the_language(project_copy, render_cache, tmp_path):
    catalogue = project_copy / "locales" / "ko" / "LC_MESSAGES" / "messages.po"
    text = catalogue.read_text(encoding="utf-8")
    emptied = re.sub(r'(\nmsgid "Skip to content"\nmsgstr )"[^\n]*"', r'\1""', text)
    assert emptied != text
    catalogue.write_text(emptied, encoding="utf-8")
    with pytest.raises(BuildError) as failure:
        building.build(output=tmp_path / "out", overrides={"CHARTS_CACHE_DIR": str(render_cache), "CHARTS_LOCALES_DIR": str(project_copy / "locales")})
    assert "no Korean (ko) translation of 'Skip to content'" in str(failure.value)
    assert not (tmp_path / "out").exists()


def test_a_missing_page_in_an_edition_fails_the_build_naming_it(project_copy, render_cache, tmp_path):
    (project_copy / "content" / "pages" / "timeline.ru.md").unlink()
    with pytest.raises(BuildError) as failure:
        building.build(output=tmp_path / "out", overrides={"CHARTS_CACHE_DIR": str(render_cache), "PATH": str(project_copy / "content")})
    assert "timeline.md: has no Russian (ru) edition: write" in str(failure.value)
    assert "timeline.ru.md" in str(failure.value)


@pytest.mark.parametrize("lang", OTHERS)
def test_report_links_stay_in_the_edition(built_site, lang):
    """A reader on a Korean or Russian page reports from that page, or reads how to in that
    edition's About (when the build has no repository to take reports)."""
    import urllib.parse

    for page in (built_site / lang / "charts" / "hunger" / "index.html", built_site / lang / "sources-and-method" / "index.html"):
        links = re.findall(r'class="report-error" href="([^"]+)"', page.read_text(encoding="utf-8"))
        assert links, page
        for href in {html_module.unescape(link) for link in links}:
            if href.startswith("http"):
                body = urllib.parse.parse_qs(urllib.parse.urlsplit(href).query)["body"][0]
                assert f"/{lang}/" in body, href  # names the page in this edition
            else:
                assert href == f"/{lang}/about/#report-an-error", href
