"""Headless Chromium, one way for the quality gates, the benchmark and the tests.

Debian's ``chromium`` (from apt) driven by Playwright; the flags keep a closed network from
filling the logs with refused connections to Google's services.
"""
from __future__ import annotations

import shutil
from collections.abc import Iterator
from contextlib import contextmanager

#: Flags for every Chromium we start: headless, no sandbox (containers), and none of the
#: background traffic (updates, sync, field trials) a browser makes on its own.
FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync")
#: How long a chart may take to go live (or fall back) once it is in view, in milliseconds.
CHART_TIMEOUT = 15000


def executable() -> str | None:
    """The Chromium on the PATH, or None."""
    return shutil.which("chromium")


@contextmanager
def launched() -> Iterator:
    """A Playwright Browser on Debian's Chromium; Playwright gives it a fresh profile."""
    from playwright.sync_api import sync_playwright

    path = executable()
    if path is None:
        raise RuntimeError("chromium is not installed; run script/bootstrap --test")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=path, args=list(FLAGS), headless=True)
        try:
            yield browser
        finally:
            browser.close()


def open_page(browser, url: str, **context_options):
    """Open ``url`` in a fresh context; return the context, the page, the problems the page
    reports (console errors, uncaught errors, HTTP errors) and every request it makes."""
    context = browser.new_context(**context_options)
    page = context.new_page()
    page.set_default_timeout(CHART_TIMEOUT)
    problems: list[str] = []
    requests: list[str] = []
    page.on("console", lambda message: problems.append(f"console {message.type}: {message.text}") if message.type == "error" else None)
    page.on("pageerror", lambda error: problems.append(f"page error: {error}"))
    page.on("request", lambda request: requests.append(request.url))
    page.on("response", lambda response: problems.append(f"HTTP {response.status}: {response.url}") if response.status >= 400 else None)
    page.goto(url, wait_until="load")
    return context, page, problems, requests


def wait_for_charts(page, timeout: int = CHART_TIMEOUT) -> list[str]:
    """Bring every chart on the page into view, as a reader scrolling would, and wait until each
    has gone live or fallen back to its static drawing. Returns the ids of charts that did
    neither in time."""
    from playwright.sync_api import Error as PlaywrightError

    page.mouse.move(2, 2)  # the reader is active: live charts may load
    stuck = []
    for figure in page.locator("figure.chart").all():
        figure.scroll_into_view_if_needed()
        try:
            page.wait_for_function("(f) => ['true', 'failed'].includes(f.dataset.live)", arg=figure.element_handle(), timeout=timeout)
        except PlaywrightError:
            stuck.append(figure.get_attribute("data-chart-id"))
    return stuck
