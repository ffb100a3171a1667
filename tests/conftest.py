"""Shared fixtures: the real data, the real charts, a real site build, and headless Chromium."""
from __future__ import annotations

import hashlib
import os
import shutil
from pathlib import Path

import pytest

from charting import pipeline
from dataset import loading
from tools import browser as browser_tools
from tools import build as building
from tools import serve as serving

ROOT = Path(__file__).resolve().parent.parent


def _settings() -> dict:
    from pelican.settings import read_settings

    return read_settings(str(ROOT / "pelicanconf.py"))


#: The site's Pelican settings, as a build reads them (page lists, URL patterns).
SETTINGS = _settings()


def theme_environment(settings: dict | None = None):
    """The Jinja environment Pelican gives the theme's templates, made as a build makes it."""
    import tempfile

    from pelican.generators import Generator

    from charting.editions import Edition
    from plugin import i18n

    settings = settings or SETTINGS
    generator = Generator(context={}, settings=settings, path=settings["PATH"], theme=settings["THEME"], output_path=tempfile.mkdtemp())
    # The English edition's gettext, as the plugin installs it for a build.
    i18n.install(generator.env, {"en": Edition("en")}, settings.get("SITEURL", ""))
    return generator.env


def seed_caches(project: Path, render_cache: Path) -> None:
    """Give a copy of the project the caches a maintainer's checkout would have after a build:
    the render cache (and memo) and the bundled live-chart runtime, so its first build is warm."""
    skip = shutil.ignore_patterns(".tmp-*", "*.tmp-*")  # what another worker is writing now
    shutil.copytree(render_cache, project / ".cache" / "charts", ignore=skip, dirs_exist_ok=True)
    runtime = ROOT / ".cache" / "runtime"
    if runtime.is_dir():
        shutil.copytree(runtime, project / ".cache" / "runtime", ignore=skip, dirs_exist_ok=True)


@pytest.fixture(scope="session")
def dataset():
    return loading.load()


@pytest.fixture(scope="session")
def edition_data(dataset) -> dict:
    """The data in each edition's language (its catalogue's translations), by language."""
    from charting import editions

    return {lang: editions.localize(dataset, edition) for lang, edition in editions.load(SETTINGS["EDITIONS"]).items()}


def edition_of(site: Path, page: Path) -> str:
    """The language of a built page: the edition folder it is in, or the default language."""
    first = page.relative_to(site).parts[0]
    return first if first in SETTINGS["EDITIONS"][1:] else SETTINGS["DEFAULT_LANG"]


@pytest.fixture(scope="session")
def render_cache(tmp_path_factory) -> Path:
    """One render cache (and memo) for the run; pytest-xdist's workers share it, so a chart
    is rendered once per run, not once per worker (entries are written atomically)."""
    if os.environ.get("PYTEST_XDIST_WORKER"):
        shared = tmp_path_factory.getbasetemp().parent / "render-cache"
        shared.mkdir(exist_ok=True)
        return shared
    return tmp_path_factory.mktemp("render-cache")


@pytest.fixture(scope="session")
def prepared(render_cache):
    return pipeline.prepare(cache_dir=render_cache)


@pytest.fixture(scope="session")
def prepared_editions(render_cache):
    """The data and charts in every edition (``.of(lang)``), as a build prepares them."""
    return pipeline.prepare(cache_dir=render_cache, langs=SETTINGS["EDITIONS"])


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
    building.build(output=output, overrides={"CHARTS_CACHE_DIR": str(render_cache)})
    return output


#: Build settings for a test about English alone that changes the data's text or adds a page:
#: without them the build (rightly) stops for the Korean and Russian translations it lacks.
ENGLISH_ONLY = building.english_only(SETTINGS)


#: The public address the published-site fixture is built with.
PUBLIC = "https://fgs.example.org"


@pytest.fixture(scope="session")
def published_site(tmp_path_factory, render_cache):
    """The site built with its public address, as `invoke publish` builds it."""
    output = tmp_path_factory.mktemp("published") / "output"
    building.build(output=output, overrides={"CHARTS_CACHE_DIR": str(render_cache), "SITEURL": PUBLIC})
    return output


def snapshot(output: Path) -> dict[str, str]:
    """Every file under output/ with its SHA-256: compare two to prove nothing changed."""
    return {str(p.relative_to(output)): hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(output.rglob("*")) if p.is_file()}


def line_of(path: Path, needle: str) -> int:
    """The line (counted from 1) of the first line of a file that contains ``needle``."""
    return next(i for i, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1) if needle in line)


def replace_once(path: Path, old: str, new: str) -> None:
    """Edit a copied file in place, failing loudly if the text to break is not there."""
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.fixture(scope="module")
def good_site(tmp_path_factory, render_cache):
    """A good site built into its own folder, with its snapshot: fault tests try to damage it."""
    output = tmp_path_factory.mktemp("faults") / "output"
    building.build(output=output, overrides={"CHARTS_CACHE_DIR": str(render_cache)})
    return output, snapshot(output)


@pytest.fixture(scope="session")
def site_url(built_site):
    """The built site served on a free localhost port."""
    server, url = serving.serve_directory(built_site)
    yield url
    server.shutdown()


@pytest.fixture(scope="session")
def chromium():
    """Debian's Chromium driven by Playwright; each test opens its own fresh context."""
    if browser_tools.executable() is None:
        pytest.fail("chromium is not installed; run script/bootstrap --test")
    with browser_tools.launched() as browser:
        yield browser


def pytest_collection_modifyitems(config, items):
    """Every test that needs Chromium is marked ``browser``, so ``-m "not browser"`` runs on a
    machine without it; a test that takes the browser fixture unmarked stops the run.

    Tests marked ``slow`` go first (longest first is how a work queue ends with its workers
    finishing together: a long test started last would run alone at the end).
    """
    items.sort(key=lambda item: item.get_closest_marker("slow") is None)
    unmarked = [item.nodeid for item in items if "chromium" in getattr(item, "fixturenames", ()) and item.get_closest_marker("browser") is None]
    if unmarked:
        raise pytest.UsageError("tests that use Chromium must be marked @pytest.mark.browser: " + ", ".join(unmarked))
