"""Charts read as a reader sees them, at 375 px and 1280 px, in Chromium.

With scripts off (the static drawing every reader gets first): no two labels overlap, chart
text is at least 12 px on a phone and not blown up on a desktop, and on a desktop the chart
fills its figure. With scripts on: every mark that carries a description answers a pointer
at its centre.
"""
from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser

WIDTHS = (375, 1280)
#: Pages that place charts: the narrative pages, and a chart page and an embed for each kind.
PAGES = ("/", "/timeline/", "/food-for-munitions/", "/charts/timeline/", "/charts/two_way_ledger/embed/", "/charts/hunger/")

#: Per visible chart: its id, its drawing's scale, each text's box and size, and widths.
MEASURE = """() => [...document.querySelectorAll('figure.chart')].map((figure) => {
  const art = [...figure.querySelectorAll('.chart-art')].find((a) => getComputedStyle(a).display !== 'none');
  const svg = art.querySelector('svg');
  const box = svg.getBoundingClientRect();
  const scale = box.width / svg.width.baseVal.value;
  const texts = [...svg.querySelectorAll('text')].filter((t) => t.textContent.trim()).map((t) => {
    const r = t.getBoundingClientRect();
    return {text: t.textContent.trim(), x: r.left, y: r.top, w: r.width, h: r.height,
            size: parseFloat(getComputedStyle(t).fontSize) * scale};
  });
  return {id: figure.dataset.chartId, layout: art.className, scale, texts,
          drawn: box.width, frame: figure.querySelector('.chart-frame').getBoundingClientRect().width};
})"""


def _overlap(a: dict, b: dict) -> float:
    width = min(a["x"] + a["w"], b["x"] + b["w"]) - max(a["x"], b["x"])
    height = min(a["y"] + a["h"], b["y"] + b["h"]) - max(a["y"], b["y"])
    return max(width, 0) * max(height, 0)


@pytest.fixture(scope="module", params=[(page, width) for page in PAGES for width in WIDTHS], ids=lambda p: f"{p[0]}@{p[1]}")
def charts_as_drawn(request, chromium, site_url):
    page_path, width = request.param
    context = chromium.new_context(viewport={"width": width, "height": 900}, java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{site_url}{page_path}")
    charts = page.evaluate(MEASURE)
    context.close()
    assert charts, f"{page_path} places no chart"
    return width, charts


def test_no_two_labels_overlap(charts_as_drawn):
    _, charts = charts_as_drawn
    for chart in charts:
        # A label drawn twice in one place (a halo in the page's colour under its ink) is one label.
        texts = list({(t["text"], round(t["x"]), round(t["y"])): t for t in chart["texts"]}.values())
        clashes = [(a["text"], b["text"]) for i, a in enumerate(texts) for b in texts[i + 1 :] if _overlap(a, b) > 4]
        assert clashes == [], f"{chart['id']} ({chart['layout']}): labels overlap: {clashes[:5]}"


def test_chart_text_is_readable_and_never_blown_up(charts_as_drawn):
    width, charts = charts_as_drawn
    for chart in charts:
        sizes = [t["size"] for t in chart["texts"]]
        assert min(sizes) >= 12 - 0.05, f"{chart['id']}: text of {min(sizes):.1f} px at {width} px"
        assert max(sizes) <= 17, f"{chart['id']}: text of {max(sizes):.1f} px at {width} px"
        assert chart["scale"] <= 1.001, f"{chart['id']}: drawn {chart['scale']:.2f}x its size: a smaller layout blown up"


def test_on_a_desktop_the_chart_fills_its_figure(charts_as_drawn):
    width, charts = charts_as_drawn
    if width < 1000:
        pytest.skip("a phone drawing fills the phone by design")
    for chart in charts:
        assert "chart-art-desktop" in chart["layout"], chart["id"]
        assert chart["drawn"] >= 0.9 * chart["frame"], f"{chart['id']}: {chart['drawn']:.0f} px of a {chart['frame']:.0f} px figure"


@pytest.mark.parametrize("width", WIDTHS)
def test_every_described_mark_answers_a_pointer_at_its_centre(chromium, site_url, width):
    context = chromium.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    page.goto(f"{site_url}/")
    page.mouse.move(2, 2)  # the reader is active: charts may go live
    missed = []
    for figure in page.locator("figure.chart").all():
        figure.scroll_into_view_if_needed()
        page.wait_for_function("(f) => f.dataset.live === 'true'", arg=figure.element_handle(), timeout=15000)
        missed += figure.evaluate(
            """(figure) => [...figure.querySelectorAll('.chart-live [role="img"][aria-label]')].filter((mark) => {
                 mark.scrollIntoView({block: 'center'});
                 const r = mark.getBoundingClientRect();
                 const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
                 return !(hit === mark || mark.contains(hit));
               }).map((mark) => figure.dataset.chartId + ': ' + mark.getAttribute('aria-label').slice(0, 60))"""
        )
    context.close()
    assert missed == []
