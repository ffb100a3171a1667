"""Quality gates on a built site: links, HTML validity, accessibility, security.

Each gate returns a :class:`GateResult`; ``run_all`` runs them in order and is what
``invoke check``, ``invoke publish`` and the test suite call. A site that fails any gate is
not published.
"""
from __future__ import annotations

import html.parser
import json
import re
import shutil
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

from dataset.errors import Problem
from tools import browser as browser_tools
from tools.serve import serve_directory

ROOT = Path(__file__).resolve().parent.parent
VNU_JAR = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
CSP_REQUIRED = "script-src 'self'"
#: How long the network must stay quiet before a page counts as loaded, in seconds.
SETTLE_QUIET = 0.25
CSP_FORBIDDEN = ("unsafe-inline", "unsafe-eval")
#: Elements whose address the page loads by itself, without the reader following a link.
LOADING_TAGS = ("script", "link", "img", "iframe", "source", "video", "audio", "embed", "object")


@dataclass
class GateResult:
    name: str
    checked: int = 0
    problems: list[Problem] = field(default_factory=list)
    figures: dict = field(default_factory=dict)

    @property
    def passed(self) -> bool:
        return not self.problems

    def summary(self) -> str:
        extra = "".join(f", {k} {v}" for k, v in self.figures.items())
        return f"{self.name}: {'pass' if self.passed else 'FAIL'} ({self.checked} checked, {len(self.problems)} problems{extra})"


class _Page(html.parser.HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.links: list[tuple[int, str]] = []
        self.ids: set[str] = set()
        self.csp: list[str] = []
        #: (line, address) of everything the page itself loads: scripts, styles, images, frames.
        self.loads: list[tuple[int, str]] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if "id" in attrs:
            self.ids.add(attrs["id"])
        if tag in LOADING_TAGS and (attrs.get("src") or (tag == "link" and attrs.get("href"))):
            self.loads.append((self.getpos()[0], attrs.get("src") or attrs["href"]))
        for name in ("href", "src"):
            if attrs.get(name):
                self.links.append((self.getpos()[0], attrs[name]))
        if tag == "meta" and (attrs.get("http-equiv") or "").lower() == "content-security-policy":
            self.csp.append(attrs.get("content") or "")


def _pages(output: Path) -> list[Path]:
    return sorted(output.rglob("*.html"))


def _parse(page: Path) -> _Page:
    parser = _Page()
    parser.feed(page.read_text(encoding="utf-8"))
    return parser


def _target(output: Path, page: Path, url: str, site_url: str) -> tuple[Path | None, str]:
    """The file a link points to inside output/ (None for another site), and its fragment."""
    if site_url and url.startswith(site_url):
        url = url[len(site_url) :] or "/"
    parts = urlsplit(url)
    if parts.scheme or url.startswith("//"):
        return None, ""
    if not parts.path:
        return page, parts.fragment
    base = output if parts.path.startswith("/") else page.parent
    path = (base / unquote(parts.path.lstrip("/"))).resolve()
    if path.is_dir() or parts.path.endswith("/"):
        path = path / "index.html"
    return path, parts.fragment


def check_links(output: Path, site_url: str = "") -> GateResult:
    """Every internal link and anchor resolves: pages, chart pages, downloads, feeds."""
    result = GateResult("links")
    parsed = {page.resolve(): _parse(page) for page in _pages(output)}
    for page, info in parsed.items():
        for line, url in info.links:
            if url.startswith(("mailto:", "data:")):
                continue
            target, fragment = _target(output, page, url, site_url)
            if target is None:
                continue
            result.checked += 1
            shown = str(page.relative_to(output.resolve()))
            if not target.is_file():
                result.problems.append(Problem(shown, f"link to {url} finds no file", line=line))
            elif fragment and target.suffix == ".html":
                ids = parsed[target].ids if target in parsed else _parse(target).ids
                if fragment not in ids:
                    result.problems.append(Problem(shown, f"link to {url}: no element has id {fragment!r}", line=line))
    feed = output / "corrections.atom"
    if feed.is_file():
        for url in re.findall(r'href="([^"]+)"', feed.read_text(encoding="utf-8")):
            target, _ = _target(output, feed, url, site_url)
            result.checked += 1
            if target is not None and not target.is_file():
                result.problems.append(Problem("corrections.atom", f"link to {url} finds no file"))
    return result


def check_html(output: Path) -> GateResult:
    """Every page and stylesheet passes the Nu HTML Checker (the W3C's validator)."""
    pages = _pages(output)
    styles = sorted(output.rglob("*.css"))
    result = GateResult("html", checked=len(pages) + len(styles))
    java = shutil.which("java")
    if java is None or not VNU_JAR.is_file():
        result.problems.append(Problem("vnu.jar", "the Nu HTML Checker needs Java and node_modules/vnu-jar (run script/bootstrap)"))
        return result
    command = [java, "-jar", str(VNU_JAR), "--errors-only", "--also-check-css", "--format", "json", *map(str, pages + styles)]
    completed = subprocess.run(command, capture_output=True, text=True, check=False)
    messages = json.loads(completed.stderr or "{}").get("messages", []) if completed.stderr.strip().startswith("{") else []
    if completed.returncode not in (0, 1) or (completed.returncode == 1 and not messages):
        result.problems.append(Problem("vnu.jar", f"the checker did not run: {completed.stderr.strip()[:300]}"))
    for message in messages:
        where = unquote(urlsplit(message.get("url", "")).path)
        shown = str(Path(where).resolve().relative_to(output.resolve())) if where.startswith(str(output.resolve())) else where
        result.problems.append(Problem(shown, message.get("message", ""), line=message.get("lastLine")))
    return result


def check_csp_meta(output: Path, site_url: str = "") -> GateResult:
    """Every page carries a strict Content-Security-Policy (scripts from our origin only), and
    nothing the page loads by itself is addressed to another host. (In the browser, the
    third-party-requests gate also catches what scripts and styles ask for.)"""
    result = GateResult("csp-meta")
    own = {"", urlsplit(site_url).netloc}
    for page in _pages(output):
        result.checked += 1
        parsed = _parse(page)
        policies = parsed.csp
        shown = str(page.relative_to(output))
        for line, address in parsed.loads:
            if urlsplit(address).netloc not in own and not address.startswith("data:"):
                result.problems.append(Problem(shown, f"loads {address} from another host", line=line))
        if not policies:
            result.problems.append(Problem(shown, "has no Content-Security-Policy meta tag"))
        for policy in policies:
            if CSP_REQUIRED not in policy:
                result.problems.append(Problem(shown, f"Content-Security-Policy lacks {CSP_REQUIRED}"))
            for word in CSP_FORBIDDEN:
                if word in policy:
                    result.problems.append(Problem(shown, f"Content-Security-Policy allows {word}"))
    return result


def _serve_site_url(context, output: Path, site_url: str) -> None:
    """Answer requests for the public address from output/, so a publish build is checked offline."""

    def fulfill(route):
        path = (output / unquote(urlsplit(route.request.url).path[len(urlsplit(site_url).path) :]).lstrip("/")).resolve()
        if path.is_dir():
            path = path / "index.html"
        if path.is_file() and output.resolve() in path.parents:
            route.fulfill(path=str(path))
        else:
            route.fulfill(status=404, body="not found")

    context.route(re.compile("^" + re.escape(site_url) + "(/|$)"), fulfill)


def site_pages(output: Path) -> list[str]:
    """The address of every HTML page of the site, as a path from its root; the home page first."""
    paths = []
    for page in _pages(output):
        relative = page.relative_to(output).as_posix()
        paths.append("/" + relative.removesuffix("index.html"))
    return sorted(paths, key=lambda path: (path != "/", path))


def check_in_browser(output: Path, site_url: str = "", pages=None, browser=None) -> list[GateResult]:
    """axe-core accessibility (light and dark), CSP violations and requests to other hosts,
    on every page of the site (or on ``pages``, paths such as ``"/about/"``).

    Pass a Playwright ``browser`` to reuse one already running (the test suite does).
    """
    pages = site_pages(output) if pages is None else list(pages)
    if browser is not None:
        return _check_pages(browser, output, site_url, pages)
    if browser_tools.executable() is None:
        missing = GateResult("accessibility", problems=[Problem("chromium", "not installed; run script/bootstrap --test")])
        return [missing, GateResult("csp-violations"), GateResult("third-party-requests")]
    with browser_tools.launched() as launched:
        return _check_pages(launched, output, site_url, pages)


#: Collects the page's CSP violations from its first moment; runs in every document opened.
_CSP_LISTENER = "window.__cspViolations = []; document.addEventListener('securitypolicyviolation', (e) => window.__cspViolations.push(e.violatedDirective + ' ' + e.blockedURI));"


def _check_pages(browser, output: Path, site_url: str, pages) -> list[GateResult]:
    """Each page is loaded once, in one browser context reused for every page: its charts go
    live, everything lazy is scrolled into view, and the network settles; then axe runs with
    the light colour scheme and again with the dark one, on the same page."""
    from axe_playwright_python.sync_playwright import Axe
    from playwright.sync_api import Error as PlaywrightError

    accessibility, csp, hosts = GateResult("accessibility"), GateResult("csp-violations"), GateResult("third-party-requests")
    server, local = serve_directory(output)
    origin = urlsplit(local).netloc
    own_hosts = {"", origin, urlsplit(site_url).netloc}
    # A publish build is opened at its public address, answered from output/.
    base = site_url or local
    axe = Axe()
    context = browser.new_context(color_scheme="light", viewport={"width": 1024, "height": 900})
    try:
        if site_url:
            _serve_site_url(context, output, site_url)
        context.add_init_script(_CSP_LISTENER)
        page = context.new_page()
        requests: list[str] = []
        pending: set = set()
        page.on("request", lambda request: (requests.append(request.url), pending.add(request)))
        page.on("requestfinished", lambda request: pending.discard(request))
        page.on("requestfailed", lambda request: pending.discard(request))
        for path in pages:
            requests.clear()
            pending.clear()
            page.emulate_media(color_scheme="light")
            try:
                page.goto(f"{base}{path}", wait_until="load")
            except PlaywrightError as exc:
                csp.problems.append(Problem(path, f"the page did not load: {str(exc).splitlines()[0]}"))
                continue
            stuck = browser_tools.wait_for_charts(page)
            csp.problems += [Problem(path, f"chart {chart} never became interactive nor fell back") for chart in stuck]
            live = page.evaluate("() => [...document.querySelectorAll('figure.chart')].filter((f) => f.dataset.live !== 'true').map((f) => f.dataset.chartId)")
            csp.problems += [Problem(path, f"chart {chart} stayed static: the live view failed") for chart in live]
            page.evaluate("() => window.scrollTo(0, document.documentElement.scrollHeight)")  # lazy images and frames load
            _settle(page, pending)
            page.evaluate(axe.axe_script)  # once per page, for both runs
            for scheme in ("light", "dark"):
                page.emulate_media(color_scheme=scheme)
                report = page.evaluate("() => axe.run(document, {resultTypes: ['violations']})")
                for violation in report["violations"]:
                    nodes = len(violation.get("nodes", []))
                    accessibility.problems.append(Problem(f"{path} ({scheme})", f"axe {violation['id']}: {violation['help']} ({nodes} elements)"))
                accessibility.checked += 1
            csp.problems += [Problem(path, f"CSP violation: {v}") for v in page.evaluate("() => window.__cspViolations || []")]
            csp.checked += 1
            hosts.problems += [Problem(path, f"request to another host: {url}") for url in dict.fromkeys(requests) if urlsplit(url).netloc not in own_hosts and not url.startswith("data:")]
            hosts.checked += len(requests)
    finally:
        context.close()
        server.shutdown()
    accessibility.figures["violations"] = len(accessibility.problems)
    return [accessibility, csp, hosts]


def _settle(page, pending: set, quiet: float = SETTLE_QUIET, limit: float = 10.0) -> None:
    """Wait until no request has been open for ``quiet`` seconds (Playwright's own
    "networkidle" waits a fixed half second, which on every page adds up)."""
    deadline = time.monotonic() + limit
    calm = None
    while time.monotonic() < deadline:
        if pending:
            calm = None
        elif calm is None:
            calm = time.monotonic()
        elif time.monotonic() - calm >= quiet:
            return
        page.wait_for_timeout(20)


def run_all(output: Path, site_url: str = "", browser: bool = True, playwright_browser=None, html: bool = True) -> list[GateResult]:
    """Every gate on a built site; ``browser=False`` leaves out the three that need Chromium, and
    ``html=False`` the HTML validator (which needs Java)."""
    results = [check_links(output, site_url), *([check_html(output)] if html else []), check_csp_meta(output, site_url)]
    if browser:
        results += check_in_browser(output, site_url, browser=playwright_browser)
    return results
