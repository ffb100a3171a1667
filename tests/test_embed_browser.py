"""Embeds on a host page from another origin, in headless Chromium, as a reader's browser runs them."""
from __future__ import annotations


import pytest

from charts import site
from tests.test_browser import _open

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
    server, url = site.serve_directory(folder)
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
    context, page, problems, _ = _open(chromium, host_url, "/", viewport={"width": width, "height": 900})
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
    context, page, _, _ = _open(chromium, host_url, "/", viewport={"width": 768, "height": 900})
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

    context, page, _, requests = _open(chromium, host_url, "/", java_script_enabled=False, viewport={"width": 768, "height": 900})
    frames = page.locator("iframe[data-fgs-embed]").all()
    heights = [f.bounding_box()["height"] for f in frames]
    svg_boxes = []
    for f in frames:
        f.scroll_into_view_if_needed()
        svg_boxes.append(f.content_frame.locator(".chart-frame svg").bounding_box())
    context.close()
    defaults = [json.loads((built_site / "charts" / c / "oembed.json").read_text())["height"] for c in EMBEDDED]
    assert heights == defaults
    assert all(box and box["height"] > 100 for box in svg_boxes)


def test_copy_button_puts_the_snippet_on_the_clipboard(chromium, site_url):
    context, page, _, _ = _open(chromium, site_url, "/charts/hunger/")
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=site_url)
    page.locator(".copy-button").click()
    page.locator(".copy-status").filter(has_text="Copied.").wait_for()
    clipboard = page.evaluate("() => navigator.clipboard.readText()")
    snippet = page.locator(".embed-code").input_value()
    context.close()
    assert clipboard == snippet and "<iframe" in snippet and "/embed.js" in snippet


def test_copy_button_selects_the_snippet_without_clipboard_access(chromium, site_url):
    context = chromium.new_context()
    context.add_init_script("Object.defineProperty(navigator, 'clipboard', {value: undefined}); document.execCommand = () => false;")
    page = context.new_page()
    page.goto(site_url + "/charts/hunger/")
    page.locator(".copy-button").click()
    page.locator(".copy-status").filter(has_text="Selected").wait_for()
    selected = page.evaluate("() => { const f = document.activeElement; return f.value.substring(f.selectionStart, f.selectionEnd); }")
    snippet = page.locator(".embed-code").input_value()
    context.close()
    assert selected == snippet
