"""Embeds on a host page from another origin, in headless Chromium, as a reader's browser runs them."""
from __future__ import annotations

import io

import pytest

from charting import theme
from tests.conftest import SETTINGS
from tools import browser as browser_tools
from tools import serve as serving

pytestmark = pytest.mark.browser

EMBEDDED = ("hunger", "two_way_ledger")


@pytest.fixture(scope="module")
def host_url(tmp_path_factory, built_site, site_url):
    """A news site on another localhost port that pastes two of our embed snippets."""
    import json

    folder = tmp_path_factory.mktemp("host")
    snippets = []
    for chart_id in EMBEDDED:
        oembed = json.loads((built_site / "charts" / chart_id / "oembed.json").read_text())
        # Published snippets carry absolute URLs; a development build's are root-relative.
        snippets.append(oembed["html"].replace('src="/', f'src="{site_url}/'))
    foreign = "<script>parent.postMessage({type: 'fgs:embed-size', height: 42}, '*')</script>"
    (folder / "index.html").write_text(
        "<!doctype html><html><head><meta charset=utf-8><meta name=viewport content='width=device-width'>"
        "<title>Host</title><link rel=icon href='data:,'></head><body style='margin:0 8px'><article id=column>"
        f"<p>Story text.</p>{snippets[0]}<p>More story text.</p>{snippets[1]}"
        f"<iframe id=foreign title=foreign srcdoc=\"{foreign}\" style='height:60px'></iframe></article></body></html>",
        encoding="utf-8",
    )
    server, url = serving.serve_directory(folder)
    # Another origin than the site's: same machine, other host name and port.
    yield url.replace("127.0.0.1", "localhost")
    server.shutdown()


def _embed_heights(page):
    """(iframe height, content height inside, whether the frame scrolls) for each embed."""
    results = []
    for frame_element in page.locator("iframe[data-fgs-embed]").all():
        frame = frame_element.element_handle().content_frame()
        frame.locator(".embed-main").wait_for()
        inner = frame.evaluate(
            "() => [document.querySelector('.embed-main').getBoundingClientRect().height,"
            " document.documentElement.scrollHeight > window.innerHeight + 1]"
        )
        results.append((frame_element.bounding_box()["height"], inner[0], inner[1]))
    return results


def _settled(page):
    """Wait until every embed has reported its size at least once, then for the last reports."""
    page.wait_for_function("() => [...document.querySelectorAll('iframe[data-fgs-embed]')].every((f) => f.style.height !== '')", timeout=15000)
    page.wait_for_timeout(500)


@pytest.mark.parametrize("width", [320, 768, 1280])
def test_each_embed_is_as_tall_as_its_chart_with_no_inner_scrollbar(chromium, host_url, width):
    context, page, problems, _ = browser_tools.open_page(chromium, host_url + "/", viewport={"width": width, "height": 900})
    for frame in page.locator("iframe[data-fgs-embed]").all():
        frame.scroll_into_view_if_needed()
    _settled(page)
    heights = _embed_heights(page)
    foreign = page.locator("#foreign").evaluate("(f) => f.style.height")
    context.close()
    print(f"width {width}: " + ", ".join(f"{chart} iframe {outer:.0f} px, content {inner:.0f} px" for chart, (outer, inner, _) in zip(EMBEDDED, heights)))
    for outer, inner, scrolls in heights:
        assert abs(outer - inner) <= 2, heights
        assert not scrolls
    assert foreign == "60px", "a frame of another origin must not be resized"
    assert problems == []


def test_messages_from_other_frames_change_nothing(chromium, host_url):
    context, page, _, _ = browser_tools.open_page(chromium, host_url + "/", viewport={"width": 768, "height": 900})
    _settled(page)
    before = [f.bounding_box()["height"] for f in page.locator("iframe[data-fgs-embed]").all()]
    # The host page itself, and a frame of the host's origin, both claim to be an embed.
    page.evaluate("() => window.postMessage({type: 'fgs:embed-size', height: 5}, '*')")
    page.frame_locator("#foreign").locator("body").evaluate("() => parent.postMessage({type: 'fgs:embed-size', height: 7}, '*')")
    page.wait_for_timeout(300)
    after = [f.bounding_box()["height"] for f in page.locator("iframe[data-fgs-embed]").all()]
    # One embed's message resizes that embed only.
    first = page.locator("iframe[data-fgs-embed]").first.element_handle().content_frame()
    first.evaluate("() => parent.postMessage({type: 'fgs:embed-size', height: 777}, '*')")
    page.wait_for_timeout(300)
    resized = [f.bounding_box()["height"] for f in page.locator("iframe[data-fgs-embed]").all()]
    context.close()
    assert after == before
    assert resized[0] == 777 and resized[1] == before[1]


def test_without_scripts_the_embed_keeps_its_default_height_and_shows_the_chart(chromium, host_url, built_site):
    import json

    context, page, _, _requests = browser_tools.open_page(chromium, host_url + "/", java_script_enabled=False, viewport={"width": 768, "height": 900})
    frames = page.locator("iframe[data-fgs-embed]").all()
    heights = [f.bounding_box()["height"] for f in frames]
    svg_boxes = []
    for f in frames:
        f.scroll_into_view_if_needed()
        # The artboard the frame's width picks; the other is not displayed.
        svg_boxes.append(f.content_frame.locator(".chart-frame svg >> visible=true").bounding_box())
    context.close()
    defaults = [json.loads((built_site / "charts" / c / "oembed.json").read_text())["height"] for c in EMBEDDED]
    assert heights == defaults
    assert all(box and box["height"] > 100 for box in svg_boxes)


def test_copy_button_puts_the_snippet_on_the_clipboard(chromium, site_url):
    context, page, _, _ = browser_tools.open_page(chromium, site_url + "/charts/hunger/")
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=site_url)
    page.locator('[data-copy-target="embed-code-hunger"]').click()
    page.locator(".copy-status").filter(has_text="Copied.").wait_for()
    clipboard = page.evaluate("() => navigator.clipboard.readText()")
    snippet = page.locator("#embed-code-hunger").input_value()
    context.close()
    assert clipboard == snippet and "<iframe" in snippet and "/embed.js" in snippet


def test_copy_button_selects_the_snippet_without_clipboard_access(chromium, site_url):
    context = chromium.new_context()
    context.add_init_script("Object.defineProperty(navigator, 'clipboard', {value: undefined}); document.execCommand = () => false;")
    page = context.new_page()
    page.goto(site_url + "/charts/hunger/")
    page.locator('[data-copy-target="embed-code-hunger"]').click()
    page.locator(".copy-status").filter(has_text="Selected").wait_for()
    selected = page.evaluate("() => { const f = document.activeElement; return f.value.substring(f.selectionStart, f.selectionEnd); }")
    snippet = page.locator("#embed-code-hunger").input_value()
    context.close()
    assert selected == snippet


# Colours: ?theme= on the embed's address, the choice on the chart page, and dark thumbnails.


def _rgb(hex_colour: str) -> str:
    return "rgb({}, {}, {})".format(*(int(hex_colour[i : i + 2], 16) for i in (1, 3, 5)))


def _painted(page) -> dict:
    """What the reader sees of the embed's colours: the page behind, the headline, the visible
    chart's first label and a pixel of the background as drawn."""
    from PIL import Image

    colours = page.evaluate(
        """(ink) => {
          const art = [...document.querySelectorAll('.chart-art')].find((a) => getComputedStyle(a).display !== 'none');
          const label = art.querySelector(`.chart-live svg text[fill="${ink}"]`) || art.querySelector(`svg text[fill="${ink}"]`);
          return {background: getComputedStyle(document.body).backgroundColor,
                  headline: getComputedStyle(document.querySelector('.chart-headline')).color,
                  label: getComputedStyle(label).fill,
                  scheme: getComputedStyle(document.documentElement).colorScheme};
        }""",
        theme.INK[0],
    )
    pixel = Image.open(io.BytesIO(page.screenshot(clip={"x": 2, "y": 2, "width": 1, "height": 1}))).convert("RGB").getpixel((0, 0))
    colours["pixel"] = "rgb({}, {}, {})".format(*pixel)
    return colours


def _expected(scheme: str) -> dict:
    mode = 0 if scheme == "light" else 1
    background = _rgb(theme.BACKGROUND[scheme])
    return {"background": background, "headline": _rgb(theme.INK[mode]), "label": _rgb(theme.INK[mode]), "pixel": background}


@pytest.mark.parametrize(
    ("query", "system", "shown"),
    [
        ("?theme=dark", "light", "dark"),
        ("?theme=light", "dark", "light"),
        ("?theme=bogus", "light", "light"),
        ("?theme=bogus", "dark", "dark"),
        ("?theme=auto", "dark", "dark"),
        ("", "light", "light"),
    ],
)
def test_embed_theme_fixes_the_colours_or_follows_the_system(chromium, site_url, query, system, shown):
    context, page, problems, _ = browser_tools.open_page(chromium, site_url + f"/charts/hunger/embed/{query}", color_scheme=system, viewport={"width": 600, "height": 700})
    painted = _painted(page)
    context.close()
    assert {key: painted[key] for key in ("background", "headline", "label", "pixel")} == _expected(shown), painted
    fixed = query.removeprefix("?theme=") if query in ("?theme=dark", "?theme=light") else "light dark"
    assert painted["scheme"] == fixed
    assert problems == []


def test_a_fixed_theme_holds_when_the_live_chart_takes_over(chromium, site_url, dataset):
    context, page, problems, _ = browser_tools.open_page(chromium, site_url + "/charts/two_way_ledger/embed/?theme=dark", color_scheme="light", viewport={"width": 600, "height": 900})
    page.mouse.move(2, 2)
    page.wait_for_function("() => document.querySelector('figure.chart').dataset.live === 'true'")
    painted = _painted(page)
    marks = page.evaluate("() => [...document.querySelectorAll('.chart-live svg [fill]')].map((m) => getComputedStyle(m).fill)")
    context.close()
    assert painted["label"] == _rgb(theme.INK[1]) and painted["background"] == _rgb(theme.BACKGROUND["dark"])
    # No mark keeps a light colour that has a dark twin.
    light_only = {_rgb(light) for light, dark in theme.colour_pairs(dataset.evidence) if light != dark}
    assert not light_only & set(marks), sorted(light_only & set(marks))
    assert problems == []


def test_choosing_a_theme_changes_the_code_the_preview_and_what_is_copied(chromium, site_url):
    context, page, problems, _ = browser_tools.open_page(chromium, site_url + "/charts/hunger/", color_scheme="light")
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=site_url)
    code = page.locator("#embed-code-hunger")
    before = code.input_value()
    page.get_by_label("Always dark").check()
    after = code.input_value()
    preview = page.locator("#embed-preview-hunger")
    preview.scroll_into_view_if_needed()
    page.wait_for_function("() => document.querySelector('#embed-preview-hunger').src.endsWith('?theme=dark')")
    inside = preview.element_handle().content_frame()
    inside.wait_for_load_state("load")
    inside.locator(".embed-main").wait_for()
    background = inside.evaluate("() => getComputedStyle(document.body).backgroundColor")
    page.locator('[data-copy-target="embed-code-hunger"]').click()
    page.locator(".copy-status").first.filter(has_text="Copied.").wait_for()
    clipboard = page.evaluate("() => navigator.clipboard.readText()")
    page.get_by_label("Follow the reader's setting").check()
    back = code.input_value()
    context.close()
    assert 'src="/charts/hunger/embed/"' in before and "?theme" not in before
    assert after == before.replace('src="/charts/hunger/embed/"', 'src="/charts/hunger/embed/?theme=dark"')
    assert background == _rgb(theme.BACKGROUND["dark"])
    assert clipboard == after and back == before
    assert problems == []


def test_without_scripts_the_chart_page_shows_the_default_code_and_no_dead_controls(chromium, site_url):
    context, page, _, _ = browser_tools.open_page(chromium, site_url + "/charts/hunger/", java_script_enabled=False)
    picker_visible = page.locator(".embed-theme").is_visible()
    code = page.locator("#embed-code-hunger").input_value()
    hint = page.locator(".embed-hint").inner_text()
    context.close()
    assert not picker_visible
    assert 'src="/charts/hunger/embed/"' in code
    assert "?theme=light" in hint and "?theme=dark" in hint


def test_copy_image_code_puts_the_static_snippet_on_the_clipboard(chromium, site_url):
    context, page, _, _ = browser_tools.open_page(chromium, site_url + "/charts/hunger/")
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=site_url)
    button = page.locator('[data-copy-target="static-code-hunger"]')
    button.click()
    button.locator("xpath=..").locator(".copy-status").filter(has_text="Copied.").wait_for()
    clipboard = page.evaluate("() => navigator.clipboard.readText()")
    snippet = page.locator("#static-code-hunger").input_value()
    context.close()
    assert clipboard == snippet and snippet.startswith("<figure") and '<img src="/charts/hunger/hunger@1x.png"' in snippet


def test_without_scripts_each_embed_fits_its_default_height_in_a_typical_column(chromium, site_url, built_site):
    """No script, no resizing: in a column EMBED_COLUMN wide the frame's default height holds
    the whole embed (every note and the source), with little to spare."""
    import json

    from plugin import chart_pages

    context = chromium.new_context(java_script_enabled=False)
    page = context.new_page()
    fits = {}
    # In every edition: Korean and Russian text takes more room than English.
    for folder in ("", *(f"{lang}/" for lang in SETTINGS["EDITIONS"][1:])):
        for chart_id in sorted(p.parent.name for p in (built_site / "charts").glob("*/oembed.json")):
            default = json.loads((built_site / folder / "charts" / chart_id / "oembed.json").read_text())["height"]
            page.set_viewport_size({"width": chart_pages.EMBED_COLUMN, "height": default})
            page.goto(f"{site_url}/{folder}charts/{chart_id}/embed/")
            content, scrolls = page.evaluate("() => [document.querySelector('.embed-main').getBoundingClientRect().height, document.documentElement.scrollHeight > window.innerHeight]")
            fits[folder + chart_id] = (default, round(content), scrolls)
    context.close()
    print(fits)
    for chart_id, (default, content, scrolls) in fits.items():
        assert not scrolls and content <= default, (chart_id, default, content)
        assert default - content <= 0.15 * default, (chart_id, default, content)


@pytest.mark.parametrize("scheme", ["dark", "light"])
def test_chart_index_thumbnails_follow_the_colour_scheme(chromium, site_url, scheme):
    """In dark mode no thumbnail is a white card, and its labels are repainted light (a few
    bright pixels, not none); in light mode the thumbnails are light."""
    from PIL import Image, ImageStat

    context, page, problems, _ = browser_tools.open_page(chromium, site_url + "/charts/", color_scheme=scheme, viewport={"width": 1024, "height": 900})
    thumbnails = page.locator(".chart-card a > :first-child").all()  # the picture, however it is drawn
    measured = []
    for thumbnail in thumbnails:
        thumbnail.scroll_into_view_if_needed()
        image = Image.open(io.BytesIO(thumbnail.screenshot())).convert("L")
        histogram = image.histogram()
        measured.append((ImageStat.Stat(image).mean[0], sum(histogram[201:]) / sum(histogram)))
    context.close()
    print(scheme, [(round(mean), round(white, 3)) for mean, white in measured])
    assert len(measured) >= 7 and problems == []
    for mean, white in measured:
        if scheme == "dark":
            assert mean < 60 and 0.004 < white < 0.05, measured
        else:
            assert mean > 200, measured
