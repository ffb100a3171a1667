"""The quality gates: the real site passes every one; each kind of defect is caught and located."""
from __future__ import annotations

import base64
import hashlib
import re
import shutil

import pytest

from tools import gates


@pytest.fixture(scope="module")
def gate_results(built_site):
    """The gates that read the files (no browser)."""
    return {r.name: r for r in gates.run_all(built_site, browser=False)}


def _passes(result) -> None:
    print(result.summary())
    assert result.checked > 0
    assert result.problems == []


@pytest.mark.parametrize("name", ["links", "html", "csp-meta"])
def test_real_site_passes_every_gate(gate_results, name):
    _passes(gate_results[name])


# The real site passing the browser gates (accessibility in light and dark, CSP violations,
# other hosts) on every page is test_invoke_publish_puts_the_site_... in test_publish.py, which
# runs them all as `invoke publish` does; here they are shown to catch each kind of defect.


def test_links_gate_checks_pages_downloads_and_anchors(gate_results):
    assert gate_results["links"].checked >= 500


@pytest.fixture()
def site_copy(built_site, tmp_path):
    copy = tmp_path / "site"
    shutil.copytree(built_site, copy)
    return copy


def _edit(page, old, new):
    text = page.read_text(encoding="utf-8")
    assert old in text
    page.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_broken_link_and_anchor_are_located(site_copy):
    about = site_copy / "about" / "index.html"
    _edit(about, "</main>", '<a href="/charts/nope/">x</a> <a href="/sources-and-method/#figure-nope">y</a></main>')
    line = next(i for i, text in enumerate(about.read_text().splitlines(), start=1) if "/charts/nope/" in text)
    problems = [str(p) for p in gates.check_links(site_copy).problems]
    assert problems == [
        f"about/index.html, line {line}: link to /charts/nope/ finds no file",
        f"about/index.html, line {line}: link to /sources-and-method/#figure-nope: no element has id 'figure-nope'",
    ]


def test_invalid_html_is_located(site_copy):
    _edit(site_copy / "about" / "index.html", "<main", "<p><div>unclosed</p><main")
    problems = gates.check_html(site_copy).problems
    assert problems and all(str(p).startswith("about/index.html, line ") for p in problems)


def test_weak_or_missing_policy_and_other_hosts_are_caught_without_a_browser(site_copy):
    _edit(site_copy / "about" / "index.html", "script-src 'self'", "script-src 'self' 'unsafe-inline'")
    text = (site_copy / "timeline" / "index.html").read_text()
    start = text.index('<meta http-equiv="Content-Security-Policy"')
    (site_copy / "timeline" / "index.html").write_text(text[:start] + text[text.index(">", start) + 1 :])
    about = site_copy / "corrections" / "index.html"
    _edit(about, "</main>", '<img alt="A pixel" src="https://example.org/x.png"><script src="//cdn.example.org/x.js"></script></main>')
    line = next(n for n, text in enumerate(about.read_text(encoding="utf-8").splitlines(), 1) if "example.org/x.png" in text)
    problems = sorted(str(p) for p in gates.check_csp_meta(site_copy).problems)
    assert problems == [
        "about/index.html: Content-Security-Policy allows unsafe-inline",
        f"corrections/index.html, line {line}: loads //cdn.example.org/x.js from another host",
        f"corrections/index.html, line {line}: loads https://example.org/x.png from another host",
        "timeline/index.html: has no Content-Security-Policy meta tag",
    ]


@pytest.mark.browser
def test_browser_gates_catch_inaccessible_markup_inline_script_and_other_hosts(site_copy, chromium):
    _edit(
        site_copy / "index.html",
        "</main>",
        '<img src="/theme/img/icon.svg"><script>document.title = "x"</script><img alt="" src="http://localhost:9/pixel.gif"></main>',
    )
    results = {r.name: r for r in gates.check_in_browser(site_copy, pages=("/",), browser=chromium)}
    assert any("axe image-alt" in str(p) for p in results["accessibility"].problems)
    assert any("CSP violation: script-src-elem inline" in str(p) for p in results["csp-violations"].problems)
    assert [str(p) for p in results["third-party-requests"].problems] == ["/: request to another host: http://localhost:9/pixel.gif"]


def test_the_browser_gates_are_given_every_page(built_site):
    pages = gates.site_pages(built_site)
    assert len(pages) == len(list(built_site.rglob("*.html")))
    assert pages[0] == "/" and {"/about/", "/charts/", "/charts/hunger/v1/", "/charts/timeline/embed/", "/corrections/"} <= set(pages)


@pytest.fixture()
def small_site(site_copy):
    """The site with only two pages left, so a whole-site browser check is quick."""
    for page in site_copy.rglob("*.html"):
        if page.relative_to(site_copy).as_posix() not in ("about/index.html", "charts/hunger/v1/index.html"):
            page.unlink()
    return site_copy


@pytest.mark.browser
def test_browser_gates_catch_another_host_on_any_page(small_site, chromium):
    """A page far from the explainer (an old chart version) loading from another host is caught."""
    _edit(small_site / "charts" / "hunger" / "v1" / "index.html", "</main>", '<img alt="A pixel" src="https://example.org/x.png"><script src="https://example.org/x.js"></script></main>')
    results = {r.name: r for r in gates.check_in_browser(small_site, browser=chromium)}
    assert results["accessibility"].checked == 4 and results["accessibility"].problems == []
    assert [str(p) for p in results["csp-violations"].problems] == [
        "/charts/hunger/v1/: CSP violation: img-src https://example.org/x.png",
        "/charts/hunger/v1/: CSP violation: script-src-elem https://example.org/x.js",
    ]
    assert [str(p) for p in results["third-party-requests"].problems] == [
        "/charts/hunger/v1/: request to another host: https://example.org/x.png",
        "/charts/hunger/v1/: request to another host: https://example.org/x.js",
    ]


@pytest.mark.browser
def test_axe_checks_the_dark_scheme_too(small_site, chromium):
    about = small_site / "about" / "index.html"
    _edit(about, "</main>", '<p class="kicker">Grey on grey, after dark</p></main>')
    # The page's own stylesheet is inline, allowed by its hash: change both, as a build would.
    text = about.read_text(encoding="utf-8")
    css = re.search(r"<style>(.*?)</style>", text, re.DOTALL).group(1)
    darker = css + "\n@media (prefers-color-scheme: dark) { .kicker { color: #333 !important; } }\n"
    old, new = (base64.b64encode(hashlib.sha256(c.encode()).digest()).decode() for c in (css, darker))
    about.write_text(text.replace(css, darker).replace(f"'sha256-{old}'", f"'sha256-{new}'"), encoding="utf-8")
    results = {r.name: r for r in gates.check_in_browser(small_site, browser=chromium)}
    assert [str(p) for p in results["accessibility"].problems] == ["/about/ (dark): axe color-contrast: Elements must meet minimum color contrast ratio thresholds (1 elements)"]
