"""Shared fixtures: the real data, the real charts, a real site build, and headless Chromium."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from charts import data, pipeline, site

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def dataset():
    return data.load()


@pytest.fixture(scope="session")
def render_cache(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("render-cache")


@pytest.fixture(scope="session")
def prepared(render_cache):
    return pipeline.prepare(cache_dir=render_cache)


@pytest.fixture()
def data_copy(tmp_path) -> Path:
    """A writable copy of data/, for bad-input tests."""
    target = tmp_path / "data"
    shutil.copytree(ROOT / "data", target)
    return target


@pytest.fixture(scope="session")
def built_site(tmp_path_factory, render_cache) -> Path:
    """The real site, built once by Pelican into a temporary directory."""
    output = tmp_path_factory.mktemp("site") / "output"
    site.build(output=output, overrides={"CHARTS_CACHE_DIR": str(render_cache)})
    return output


@pytest.fixture(scope="session")
def site_url(built_site):
    """The built site served on a free localhost port."""
    server, url = site.serve_directory(built_site)
    yield url
    server.shutdown()


CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def chromium():
    """Debian's Chromium driven by Playwright; each test opens its own fresh context."""
    executable = shutil.which("chromium")
    if executable is None:
        pytest.fail("chromium is not installed; run script/bootstrap --test")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        # Playwright gives every launch a new temporary profile (user-data dir).
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_FLAGS, headless=True)
        yield browser
        browser.close()
