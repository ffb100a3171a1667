"""The built site in headless Chromium, as a reader meets it."""
from __future__ import annotations

import io

import pytest
from PIL import Image, ImageStat

from tests.conftest import SETTINGS
from tools import browser as browser_tools

pytestmark = pytest.mark.browser

PAGES = SETTINGS["GATED_PAGES"]


def _open(chromium, site_url, path="/", **context_options):
    return browser_tools.open_page(chromium, site_url + path, **context_options)


def _hydrate_all(page):
    """Move the pointer and scroll every chart into view, as a reader would; wait for the live views."""
    assert browser_tools.wait_for_charts(page) == []


@pytest.mark.parametrize("path", PAGES)
def test_pages_load_with_no_errors(chromium, site_url, path):
    """Console errors, page errors and failed requests; requests to other hosts are the
    third-party-requests gate's, run on every page in tests/tools/test_gates.py."""
    context, page, problems, _ = _open(chromium, site_url, path)
    _hydrate_all(page)
    page.wait_for_load_state("networkidle")
    context.close()
    assert problems == []


def test_every_chart_becomes_interactive_without_moving_the_page(chromium, site_url):
    context, page, problems, _ = _open(chromium, site_url, "/", viewport={"width": 1280, "height": 900})
    figures = page.locator("figure.chart")
    assert figures.count() >= 5
    before = [f.bounding_box()["height"] for f in figures.all()]
    _hydrate_all(page)
    states = [f.get_attribute("data-live") for f in figures.all()]
    after = [f.bounding_box()["height"] for f in figures.all()]
    context.close()
    assert states == ["true"] * len(states), problems
    assert all(abs(a - b) <= 1 for a, b in zip(before, after)), (before, after)


def test_runtime_is_not_loaded_until_a_chart_nears_the_viewport(chromium, site_url):
    context, page, _, requests = _open(chromium, site_url, "/about/")
    page.wait_for_load_state("networkidle")
    context.close()
    assert not any("vega-runtime" in url for url in requests)


def _live_mark(chromium, site_url, chart_id):
    """Open the explainer, bring a chart into view, wait for its live view; return its first mark."""
    context, page, _, _ = _open(chromium, site_url, "/", viewport={"width": 1280, "height": 900})
    figure = page.locator(f"#chart-{chart_id}")
    figure.scroll_into_view_if_needed()
    page.mouse.move(2, 2)
    page.wait_for_function(f"() => document.querySelector('#chart-{chart_id}').dataset.live === 'true'")
    return context, figure, figure.locator(".chart-live path[tabindex='0']").first


def test_hover_shows_tooltip_with_value_and_status(chromium, site_url):
    context, figure, mark = _live_mark(chromium, site_url, "export_mix_2025")
    mark.hover()
    tooltip = figure.locator(".chart-tooltip")
    tooltip.wait_for(state="visible")
    text = tooltip.inner_text()
    context.close()
    assert "Value" in text and "Evidence" in text and "Source" in text
    assert "$6.5 million" in text or "$3.3 million" in text or "$1.4 million" in text or "$1.8 million" in text


def test_keyboard_reaches_marks_and_their_tooltips(chromium, site_url):
    context, figure, mark = _live_mark(chromium, site_url, "pork_exports")
    mark.focus()
    tooltip = figure.locator(".chart-tooltip")
    tooltip.wait_for(state="visible")
    label = mark.get_attribute("aria-label")
    text = tooltip.inner_text()
    context.close()
    assert "Evidence" in label and "Reported" in text


def test_charts_are_visible_with_javascript_off(chromium, site_url):
    context, page, _, requests = _open(chromium, site_url, "/", java_script_enabled=False, viewport={"width": 375, "height": 800})
    svgs = page.locator("figure.chart .chart-art svg >> visible=true")
    boxes = [svg.bounding_box() for svg in svgs.all()]
    context.close()
    assert len(boxes) >= 5
    assert all(box and box["width"] > 300 and box["height"] > 100 for box in boxes), boxes
    assert not any("vega" in url for url in requests)


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("width", [375, 1280])
def test_screenshots_are_not_blank(chromium, site_url, tmp_path, scheme, width):
    context, page, problems, _ = _open(chromium, site_url, "/", color_scheme=scheme, viewport={"width": width, "height": 900})
    _hydrate_all(page)
    page.evaluate("window.scrollTo(0, 0)")
    shot = page.screenshot(full_page=True)
    (tmp_path / f"explainer-{scheme}-{width}.png").write_bytes(shot)
    chart_shot = page.locator("figure.chart").first.screenshot()
    context.close()
    image = Image.open(io.BytesIO(shot)).convert("RGB")
    assert image.width == width and image.height > 2000
    background = image.getpixel((2, 2))
    assert (sum(background) / 3 > 200) if scheme == "light" else (sum(background) / 3 < 50)
    assert max(ImageStat.Stat(image).stddev) > 20, "page looks blank"
    chart = Image.open(io.BytesIO(chart_shot)).convert("RGB")
    assert len(chart.getcolors(maxcolors=1 << 16) or range(1 << 16)) > 20, "chart looks blank"
    assert problems == []


def test_static_chart_stays_when_the_runtime_cannot_load(chromium, site_url):
    context = chromium.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15000)
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.route("**/vega-runtime.js", lambda route: route.abort())
    page.goto(site_url + "/")
    figure = page.locator("#chart-hunger")
    figure.scroll_into_view_if_needed()
    page.mouse.move(2, 2)
    page.wait_for_function("() => document.querySelector('#chart-hunger').dataset.live === 'failed'")
    box = figure.locator(".chart-art svg >> visible=true").bounding_box()
    context.close()
    assert box and box["width"] > 300 and box["height"] > 100
    assert errors == []


def test_dark_mode_repaints_chart_text_and_marks(chromium, site_url):
    context, page, _, _ = _open(chromium, site_url, "/", color_scheme="dark", java_script_enabled=False)
    text_fill = page.locator('#chart-hunger svg text[fill="#1f2328"]').first.evaluate("(el) => getComputedStyle(el).fill")
    bar_fill = page.locator('#chart-export_mix_2025 svg path[fill="#00785a"]').first.evaluate("(el) => getComputedStyle(el).fill")
    context.close()
    assert text_fill == "rgb(230, 237, 243)"
    assert bar_fill == "rgb(63, 201, 154)"


def test_skip_link_is_first_and_visible_on_focus(chromium, site_url):
    context, page, _, _ = _open(chromium, site_url, "/timeline/")
    page.keyboard.press("Tab")
    focused = page.evaluate("() => [document.activeElement.className, document.activeElement.getBoundingClientRect().top]")
    page.keyboard.press("Enter")
    target = page.evaluate("() => document.activeElement.id")
    context.close()
    assert focused[0] == "skip-link" and focused[1] >= 0
    assert target == "main"


def test_print_style_hides_navigation_and_keeps_charts(chromium, site_url):
    context, page, _, _ = _open(chromium, site_url, "/")
    page.emulate_media(media="print")
    nav_visible = page.locator(".site-header nav >> visible=true").count() > 0  # sections and languages
    chart_visible = page.locator("#chart-hunger .chart-art svg >> visible=true").count() == 1
    context.close()
    assert not nav_visible and chart_visible
