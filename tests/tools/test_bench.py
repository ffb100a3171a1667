"""Guards for the speed budgets' mechanisms (the timings themselves live in `invoke bench`)."""
from __future__ import annotations

import pytest

from tools import bench


def test_critical_path_is_small_and_never_blocked_by_a_script(built_site):
    for page in ("index.html", "charts/hunger/index.html", "charts/hunger/embed/index.html"):
        path = bench.critical_path(built_site, page)
        assert path["blocking_scripts"] == 0, page
        assert path["total_kb"] <= bench.BUDGETS["critical_path_kb"], (page, path)


def test_the_first_screen_comes_in_one_round_trip(built_site):
    """No page waits for a stylesheet or a script, and the explainer's first paragraph is in
    the first 14,600 bytes of its gzip stream."""
    assert bench.blocking_requests(built_site)["max"] == 0
    assert bench.critical_path(built_site)["first_paragraph_gz_bytes"] <= bench.BUDGETS["first_paragraph_gz_bytes"]


def test_live_runtime_is_within_its_compressed_budget(built_site):
    runtime = bench.runtime_size(built_site)
    assert 50 < runtime["total_kb"] <= bench.BUDGETS["runtime_kb"], runtime


@pytest.mark.browser
def test_runtime_and_specs_load_only_when_a_chart_nears_the_viewport(chromium, site_url):
    page = chromium.new_page(viewport={"width": 1280, "height": 800})
    requests = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto(site_url + "/food-for-munitions/")
    page.wait_for_load_state("networkidle")
    before = [url for url in requests if "vega-runtime" in url or url.endswith(".vg.json")]
    page.locator("#chart-two_way_ledger").scroll_into_view_if_needed()
    page.wait_for_function("() => document.querySelector('#chart-two_way_ledger').dataset.live === 'true'")
    after = [url for url in requests if "vega-runtime" in url or url.endswith(".vg.json")]
    page.close()
    assert before == []
    assert any(url.endswith("/theme/js/vega-runtime.js") for url in after)
    assert any(url.endswith("/charts/two_way_ledger/two_way_ledger.page.vg.json") for url in after)


@pytest.mark.browser
def test_charts_going_live_shift_nothing(chromium, site_url):
    assert bench.layout_shift(site_url, chromium) == 0
