"""Readers can reach us: a "Report an error" link on every chart page and every figure's row
that opens a prefilled report (or, with no repository, About's section on reporting an error),
and About and Corrections saying how to reach the editors, from the settings."""
from __future__ import annotations

import html.parser
import subprocess
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from charting import pipeline
from dataset.errors import BuildError, PageReferenceError
from plugin import figures, reports
from plugin.extension import ChartsExtension
from tests.conftest import PUBLIC, theme_environment
from tools import build as building

CHART_IDS = list(pipeline.registry.discover())
REPOSITORY = "https://github.com/example/fgs"


class _Anchors(html.parser.HTMLParser):
    """Every link (href and text) and every id of a page."""

    def __init__(self, text: str):
        super().__init__(convert_charrefs=True)
        self.links: list[list[str]] = []
        self.ids: set[str] = set()
        self._open: list[str] | None = None
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if attrs.get("id"):
            self.ids.add(attrs["id"])
        if tag == "a":
            self._open = [attrs.get("href") or "", ""]
            self.links.append(self._open)

    def handle_endtag(self, tag):
        if tag == "a":
            self._open = None

    def handle_data(self, data):
        if self._open is not None:
            self._open[1] += data


def _report_links(page: Path) -> list[str]:
    return [href for href, text in _Anchors(page.read_text(encoding="utf-8")).links if text.startswith("Report an error")]


@pytest.fixture(scope="module")
def reported_site(tmp_path_factory, render_cache) -> Path:
    """The site published with a repository for reports."""
    output = tmp_path_factory.mktemp("reported") / "output"
    return building.build(output=output, overrides={"CHARTS_CACHE_DIR": str(render_cache), "SITEURL": PUBLIC, "REPOSITORY_URL": REPOSITORY}).output


@pytest.fixture(scope="module")
def unreported_site(tmp_path_factory, render_cache) -> Path:
    """A development build with no repository to send reports to."""
    output = tmp_path_factory.mktemp("unreported") / "output"
    return building.build(output=output, overrides={"CHARTS_CACHE_DIR": str(render_cache), "REPOSITORY_URL": ""}).output


def _report(href: str) -> tuple[str, str]:
    """The title and text of the report a link opens on GitHub."""
    parts = urlsplit(href)
    assert f"{parts.scheme}://{parts.netloc}{parts.path}" == f"{REPOSITORY}/issues/new", href
    query = parse_qs(parts.query, strict_parsing=True)
    assert set(query) == {"title", "body"}
    return query["title"][0], query["body"][0]


@pytest.mark.parametrize("chart_id", CHART_IDS)
def test_every_chart_page_opens_a_report_naming_the_chart_and_its_page(reported_site, chart_id):
    links = _report_links(reported_site / "charts" / chart_id / "index.html")
    assert len(links) == 1
    title, body = _report(links[0])
    assert title == f"Error in chart {chart_id}"
    assert body.splitlines()[:2] == [f"Chart: {chart_id}", f"Page: {PUBLIC}/charts/{chart_id}/"]


def test_every_figure_row_opens_a_report_naming_the_figure_and_its_page(reported_site, dataset):
    links = _report_links(reported_site / "sources-and-method" / "index.html")
    reported = {}
    for link in links:
        title, body = _report(link)
        figure_id = title.removeprefix("Error in figure ")
        reported[figure_id] = body.splitlines()[:2]
    assert len(links) == len(dataset.figures) and set(reported) == set(dataset.figures.index)
    for figure_id, lines in reported.items():
        assert lines == [f"Figure: {figure_id}", f"Page: {PUBLIC}/sources-and-method/#figure-{figure_id}"]


def test_without_a_repository_every_report_link_leads_to_about_on_reporting_an_error(unreported_site, dataset):
    about = unreported_site / "about" / "index.html"
    assert "report-an-error" in _Anchors(about.read_text(encoding="utf-8")).ids
    pages = [unreported_site / "sources-and-method" / "index.html", *(unreported_site / "charts" / c / "index.html" for c in CHART_IDS)]
    links = [link for page in pages for link in _report_links(page)]
    assert len(links) == len(dataset.figures) + len(CHART_IDS)
    assert set(links) == {"/about/#report-an-error"}


def test_about_and_corrections_say_how_to_reach_the_editors(reported_site, unreported_site):
    for page in ("about", "corrections"):
        reported = _Anchors((reported_site / page / "index.html").read_text(encoding="utf-8")).links
        assert [f"{REPOSITORY}/issues", "the issue tracker of the site's repository"] in reported, page
        assert "the address given when the site is published (this copy was built without one)" in (unreported_site / page / "index.html").read_text(encoding="utf-8")
    text = (reported_site / "corrections" / "index.html").read_text(encoding="utf-8")
    prose = _Anchors(text[text.index('<div class="prose">') : text.index("</article>")]).links
    assert [f"{PUBLIC}/sources-and-method/", "Sources and method"] in prose
    assert not [href for href, _ in prose if href.startswith(f"{PUBLIC}/about/")], "Corrections sends readers to the real way to report, not back to About"


@pytest.mark.parametrize(
    ("contact", "expected"),
    [
        ("editors@example.org", '<a class="contact-ref" href="mailto:editors@example.org">editors@example.org</a>'),
        ("mailto:editors@example.org", '<a class="contact-ref" href="mailto:editors@example.org">editors@example.org</a>'),
        ("https://example.org/contact", '<a class="contact-ref" href="https://example.org/contact">https://example.org/contact</a>'),
    ],
)
def test_the_editors_contact_comes_from_the_settings(prepared, contact, expected):
    renderer = figures.Renderer(prepared, theme_environment(), reports=reports.Reports(repository=REPOSITORY, contact=contact))
    assert renderer.reference("contact", "editors", None) == expected


def test_an_unknown_contact_is_an_error_naming_the_page_and_line(prepared):
    import markdown

    extension = ChartsExtension({"en": figures.Renderer(prepared, theme_environment())})
    extension.source_path = "content/pages/about.md"
    with pytest.raises(PageReferenceError) as caught:
        markdown.Markdown(extensions=[extension]).convert("Write to us.\n\nWrite to {{contact boss}}.")
    assert str(caught.value) == "content/pages/about.md, line 3, column 'character 10': unknown contact 'boss'; write {{contact editors}}"


@pytest.mark.parametrize(
    ("remote", "expected"),
    [
        ("https://github.com/owner/repo.git", "https://github.com/owner/repo"),
        ("https://github.com/owner/repo", "https://github.com/owner/repo"),
        ("https://github.com/owner/repo/", "https://github.com/owner/repo"),
        ("https://x-access-token:secret@github.com/owner/repo.git", "https://github.com/owner/repo"),
        ("git@github.com:owner/repo.git", "https://github.com/owner/repo"),
        ("ssh://git@github.com/owner/repo.git", "https://github.com/owner/repo"),
        ("https://gitlab.com/owner/repo.git", ""),
        ("/srv/git/repo.git", ""),
    ],
)
def test_the_repository_comes_from_a_github_origin(tmp_path, remote, expected):
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    subprocess.run(["git", "remote", "add", "origin", remote], cwd=tmp_path, check=True)
    assert reports.repository_url(tmp_path, environ={}) == expected


def test_the_environment_names_the_repository_before_git(tmp_path):
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    subprocess.run(["git", "remote", "add", "origin", "git@github.com:owner/repo.git"], cwd=tmp_path, check=True)
    assert reports.repository_url(tmp_path, environ={"REPOSITORY_URL": "https://github.com/other/site.git"}) == "https://github.com/other/site"
    assert reports.repository_url(tmp_path / "nowhere", environ={}) == ""  # no git checkout at all


def test_a_report_url_is_encoded_once_whatever_the_report_says():
    links = reports.Reports(repository=REPOSITORY)
    href = links.url("Error & more?", "Line one\nPage: https://x.org/a/?b=1&c=2#d\n100% sure", "/about/#report-an-error")
    assert href == f"{REPOSITORY}/issues/new?title=Error%20%26%20more%3F&body=Line%20one%0APage%3A%20https%3A%2F%2Fx.org%2Fa%2F%3Fb%3D1%26c%3D2%23d%0A100%25%20sure"
    assert parse_qs(urlsplit(href).query) == {"title": ["Error & more?"], "body": ["Line one\nPage: https://x.org/a/?b=1&c=2#d\n100% sure"]}
    assert reports.Reports(repository="").url("t", "b", "/about/#report-an-error") == "/about/#report-an-error"
    assert reports.Reports(template="https://example.org/report?s={title}").url("a b", "c", "/about/") == "https://example.org/report?s=a%20b"


SETTING_FAULTS = [
    ("unknown placeholder", {"ERROR_REPORT_URL": "{repository}/issues/new?title={title}&page={page}"}, "ERROR_REPORT_URL '{repository}/issues/new?title={title}&page={page}' has the placeholder {page}; it may use only {repository}, {title}, {body}"),
    ("unbalanced brace", {"ERROR_REPORT_URL": "{repository/issues/new"}, "ERROR_REPORT_URL '{repository/issues/new' is not a valid template (expected '}' before end of string); write a brace as {{ or }}"),
    ("format spec", {"ERROR_REPORT_URL": "{repository}/issues/new?title={title:>20}"}, "ERROR_REPORT_URL '{repository}/issues/new?title={title:>20}': write {title} alone, without a format or conversion"),
    ("not a web address", {"ERROR_REPORT_URL": "issues/new?title={title}"}, "ERROR_REPORT_URL 'issues/new?title={title}' must be a web address (https://...) or start with {repository}"),
    ("repository not a web address", {"REPOSITORY_URL": "github.com/example/fgs"}, "REPOSITORY_URL 'github.com/example/fgs' must be the repository's web address, such as https://github.com/<owner>/<repository>"),
    ("contact neither", {"EDITORS_CONTACT": "ring the newsroom"}, "EDITORS_CONTACT 'ring the newsroom' must be an e-mail address or a web address (https://...)"),
    ("contact page missing", {"CHARTS_CONTACT_PAGE": "pages/contact.md"}, "CHARTS_CONTACT_PAGE names no page in the content folder: 'pages/contact.md'"),
]


@pytest.mark.parametrize(("overrides", "message"), [f[1:] for f in SETTING_FAULTS], ids=[f[0] for f in SETTING_FAULTS])
def test_a_mistake_in_the_report_settings_stops_the_build_naming_pelicanconf_and_the_setting(tmp_path, render_cache, overrides, message):
    with pytest.raises(BuildError) as caught:
        building.build(output=tmp_path / "output", overrides={"CHARTS_CACHE_DIR": str(render_cache), **overrides})
    assert str(caught.value) == f"pelicanconf.py: {message}"
    assert not (tmp_path / "output").exists()
