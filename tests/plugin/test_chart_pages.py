"""Chart pages, embeds, downloads, metadata and versions, as a journalist would use them."""
from __future__ import annotations

import csv
import html
import json
import re
import struct
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path

import pytest

from charting import pipeline, render, versions
from dataset.errors import BuildError
from tests.conftest import ENGLISH_ONLY, PUBLIC
from tools import build as building

CHART_IDS = list(pipeline.registry.discover())
ROOT = Path(__file__).resolve().parents[2]


def _png_size(path):
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", data[16:24])


def _json_ld(html: str) -> dict:
    return json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.DOTALL).group(1))


@pytest.mark.parametrize("chart_id", CHART_IDS)
def test_every_chart_has_page_embed_downloads_oembed_and_card(built_site, prepared, chart_id):
    folder = built_site / "charts" / chart_id
    bundle = prepared.charts[chart_id]
    page = (folder / "index.html").read_text()
    embed = (folder / "embed" / "index.html").read_text()
    for name in (f"{chart_id}.png", f"{chart_id}@1x.png", f"{chart_id}.svg", f"{chart_id}.csv", f"{chart_id}.vl.json", f"{chart_id}.vg.json", f"{chart_id}.json", "oembed.json"):
        assert (folder / name).is_file(), name
        assert f"/charts/{chart_id}/{name}" in page or name == "oembed.json"
    assert _png_size(folder / f"{chart_id}-card.png") == (1200, 630)
    width, height = render.svg_size((folder / f"{chart_id}.svg").read_text(encoding="utf-8"))
    assert _png_size(folder / f"{chart_id}@1x.png") == (round(width), round(height))
    assert _png_size(folder / f"{chart_id}.png") == (round(width * 2), round(height * 2))
    # The chart page: chart, texts, licence, cite, embed code, discovery and social tags.
    assert f'<figure class="chart" id="chart-{chart_id}"' in page and "<svg" in page
    assert "CC BY 4.0" in page and "@misc{" in page and "data-copy-target" in page
    assert f'<link rel="alternate" type="application/json+oembed" href="/charts/{chart_id}/oembed.json"' in page
    assert f'<meta property="og:image" content="/charts/{chart_id}/{chart_id}-card.png">' in page
    assert '<meta name="twitter:card" content="summary_large_image">' in page
    # The embed: chart, headline, one-line source, link back; no site navigation.
    assert "<nav" not in embed and f'href="/charts/{chart_id}/" target="_top"' in embed
    assert bundle.source_line(prepared.data).split(";")[0].replace("'", "&#39;") in embed
    assert '<script src="/theme/js/embed-size.js" defer></script>' in embed


@pytest.mark.parametrize("chart_id", CHART_IDS)
def test_json_metadata_and_json_ld_parse_and_agree(built_site, prepared, dataset, chart_id):
    folder = built_site / "charts" / chart_id
    metadata = json.loads((folder / f"{chart_id}.json").read_text())
    bundle = prepared.charts[chart_id]
    assert metadata["title"] == bundle.headline and metadata["version"] == 1
    assert metadata["license"]["name"] == "CC BY 4.0"
    assert {s["id"] for s in metadata["sources"]} == set(bundle.built.source_ids)
    assert set(metadata["evidence_statuses"]) == set(bundle.built.statuses)
    ld = _json_ld((folder / "index.html").read_text())
    assert ld["@type"] == "Dataset" and ld["license"].startswith("https://creativecommons.org/")
    assert ld["distribution"][0]["contentUrl"] == f"/charts/{chart_id}/{chart_id}.csv"
    assert len(ld["isBasedOn"]) == len(bundle.built.source_ids)
    oembed = json.loads((folder / "oembed.json").read_text())
    assert oembed["version"] == "1.0" and oembed["type"] == "rich"
    assert f'src="/charts/{chart_id}/embed/"' in oembed["html"] and "/embed.js" in oembed["html"]


@pytest.mark.parametrize("chart_id", CHART_IDS)
def test_csv_download_is_exactly_the_plotted_data(built_site, prepared, chart_id):
    with open(built_site / "charts" / chart_id / f"{chart_id}.csv", newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    plotted = prepared.charts[chart_id].built.plotted.astype(str)
    assert rows == plotted.to_dict("records")


def test_chart_index_lists_every_chart_with_a_thumbnail(built_site):
    index = (built_site / "charts" / "index.html").read_text()
    for chart_id in CHART_IDS:
        assert f'<a href="/charts/{chart_id}/">' in index
        # The phone artboard inline (so it repaints for dark mode), a picture only: the title names the link.
        assert re.search(rf'<span class="chart chart-thumb" aria-hidden="true"><svg role="img" aria-labelledby="chart-{chart_id}-alt"', index)
        assert f'<span id="chart-{chart_id}-alt" hidden>' in index


def test_explainer_links_each_chart_to_its_page(built_site):
    explainer = (built_site / "index.html").read_text()
    for chart_id in re.findall(r'<figure class="chart" id="chart-([a-z0-9_]+)"', explainer):
        assert f'<a href="/charts/{chart_id}/">Chart page</a>' in explainer


def test_narrative_pages_carry_news_article_and_card(built_site):
    for page in ("index.html", "timeline/index.html", "food-for-munitions/index.html"):
        html = (built_site / page).read_text()
        ld = _json_ld(html)
        assert ld["@type"] == "NewsArticle" and ld["headline"] and ld["datePublished"] == "2026-11-23"
        assert re.search(r'<meta property="og:image" content="/charts/[a-z0-9_]+/[a-z0-9_]+-card.png">', html)


def test_corrections_feed_parses(built_site):
    root = ET.parse(built_site / "corrections.atom").getroot()
    assert root.tag == "{http://www.w3.org/2005/Atom}feed"


def _rebuild(tmp_path, data_dir, render_cache):
    # English only: the data these tests change has no Korean or Russian translation.
    return building.build(output=tmp_path / "output", overrides={"CHARTS_DATA_PACKAGE": str(data_dir / "datapackage.yaml"), "CHARTS_CACHE_DIR": str(render_cache), **ENGLISH_ONLY})


@pytest.mark.slow
def test_changed_chart_must_be_released_then_old_version_stays(tmp_path, data_copy, render_cache):
    figures = data_copy / "figures.csv"
    figures.write_text(figures.read_text().replace(",18,percent,exact,", ",19,percent,exact,"), encoding="utf-8")
    with pytest.raises(BuildError) as caught:
        _rebuild(tmp_path, data_copy, render_cache)
    message = str(caught.value)
    assert "charts/hunger.py: chart 'hunger' no longer matches version 1" in message
    assert 'invoke release --chart hunger --note "what changed"' in message

    prepared = pipeline.prepare(package_path=data_copy / "datapackage.yaml", cache_dir=render_cache)
    released = versions.release(prepared, "Stunting share corrected to the source's figure.")
    assert [(v.chart_id, v.version) for v in released] == [("hunger", 2)]
    output = _rebuild(tmp_path, data_copy, render_cache).output

    folder = output / "charts" / "hunger"
    old = (folder / "v1" / "hunger.csv").read_text()
    new = (folder / "hunger.csv").read_text()
    assert ",18.0," in old and ",19.0," in new
    assert (folder / "v2" / "hunger.csv").read_text() == new
    for name in ("hunger.png", "hunger@1x.png", "hunger.svg", "hunger.vl.json", "hunger.vg.json"):
        assert (folder / "v1" / name).is_file(), name
    page = (folder / "index.html").read_text()
    assert "version 2" in page and "Stunting share corrected to the source&#39;s figure." in page
    metadata = json.loads((folder / "hunger.json").read_text())
    assert [v["version"] for v in metadata["versions"]] == [1, 2]


def test_correction_reaches_chart_page_corrections_page_and_feed(tmp_path, data_copy, render_cache, prepared):
    (data_copy / "corrections.csv").write_text(
        "correction_id,date,target,what_changed,why\n"
        "hunger_year,2026-11-24,hunger,The note now says the figures have no reference year.,A reader pointed out that the source gives none.\n",
        encoding="utf-8",
    )
    output = _rebuild(tmp_path, data_copy, render_cache).output
    assert "The note now says the figures have no reference year." in (output / "charts" / "hunger" / "index.html").read_text()
    assert 'id="correction-hunger_year"' in (output / "corrections" / "index.html").read_text()
    entries = ET.parse(output / "corrections.atom").getroot().findall("{http://www.w3.org/2005/Atom}entry")
    assert len(entries) == 1 and entries[0].find("{http://www.w3.org/2005/Atom}title").text == f"Correction: {prepared.charts['hunger'].headline}"


def test_published_chart_cannot_disappear(tmp_path, data_copy, render_cache):
    with open(data_copy / "chart_versions.csv", "a", encoding="utf-8") as handle:
        handle.write("retired_chart,1,2026-11-23," + "0" * 64 + ",First published.\n")
    with pytest.raises(BuildError) as caught:
        _rebuild(tmp_path, data_copy, render_cache)
    assert "chart 'retired_chart' has been published, so its URL must keep working" in str(caught.value)


def test_embeds_keep_every_note_and_the_source(built_site, prepared):
    """A host article shows the chart with its caveats, not without them."""
    for chart_id, bundle in prepared.charts.items():
        embed = html.unescape((built_site / "charts" / chart_id / "embed" / "index.html").read_text())
        assert bundle.notes, chart_id
        for note in bundle.notes:
            assert note in embed, (chart_id, note)
        assert bundle.source_line(prepared.data) in embed


# Embed code as a journalist copies it from a published chart page: absolute URLs, a theme
# choice for the iframe, and a static figure for hosts that allow no iframe and no script.



class _Tags(HTMLParser):
    """Every start tag with its attributes, and the text, of an HTML fragment."""

    def __init__(self, fragment: str):
        super().__init__(convert_charrefs=True)
        self.tags, self.text = [], []
        self.feed(fragment)

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data):
        self.text.append(data)

    def all(self, tag):
        return [attrs for name, attrs in self.tags if name == tag]

    @property
    def plain(self) -> str:
        return re.sub(r"\s+", " ", "".join(self.text))


def _field(page: str, element_id: str) -> str:
    """What a reader copies from a code box: the textarea's text, unescaped."""
    return html.unescape(re.search(rf'<textarea id="{element_id}"[^>]*>(.*?)</textarea>', page, re.DOTALL).group(1))


@pytest.mark.parametrize("chart_id", CHART_IDS)
def test_static_snippet_is_the_png_with_alt_text_notes_source_and_link(published_site, prepared, chart_id):
    bundle = prepared.charts[chart_id]
    folder = published_site / "charts" / chart_id
    snippet = _Tags(_field((folder / "index.html").read_text(), f"static-code-{chart_id}"))
    home = f"{PUBLIC}/charts/{chart_id}/"
    [image] = snippet.all("img")
    assert image["src"] == f"{home}{chart_id}@1x.png" and image["srcset"] == f"{home}{chart_id}.png 2x"
    assert (int(image["width"]), int(image["height"])) == _png_size(folder / f"{chart_id}@1x.png")
    assert image["alt"] == bundle.alt
    for note in bundle.notes:
        assert note in snippet.plain
    assert bundle.source_line(prepared.data) in snippet.plain
    assert home in [a["href"] for a in snippet.all("a")]
    assert f"{bundle.headline}, Flour, goats and shells, CC BY 4.0" in snippet.plain
    assert [name for name, _ in snippet.tags if name in ("script", "iframe", "style", "link")] == []


def test_static_snippets_are_valid_html(published_site, tmp_path):
    """Each snippet, pasted into an otherwise empty page, passes the Nu HTML Checker."""
    from tools import gates

    for chart_id in CHART_IDS:
        snippet = _field((published_site / "charts" / chart_id / "index.html").read_text(), f"static-code-{chart_id}")
        (tmp_path / f"{chart_id}.html").write_text(f"<!doctype html><html lang=en><head><meta charset=utf-8><title>Host</title></head><body>\n{snippet}\n</body></html>", encoding="utf-8")
    result = gates.check_html(tmp_path)
    assert result.checked == len(CHART_IDS)
    assert result.problems == []


@pytest.mark.parametrize("chart_id", CHART_IDS)
def test_embed_code_is_absolute_and_offers_each_theme(published_site, chart_id):
    folder = published_site / "charts" / chart_id
    page = (folder / "index.html").read_text()
    code = _field(page, f"embed-code-{chart_id}")
    # The code the page shows is the code oEmbed hands out.
    assert code == json.loads((folder / "oembed.json").read_text())["html"]
    iframe = _Tags(code).all("iframe")[0]
    assert iframe["src"] == f"{PUBLIC}/charts/{chart_id}/embed/"
    assert _Tags(code).all("script") == [{"src": f"{PUBLIC}/embed.js", "async": None}]
    choices = {attrs["value"]: attrs for attrs in _Tags(page).all("input") if attrs.get("name") == f"embed-theme-{chart_id}"}
    assert set(choices) == {"auto", "light", "dark"}
    for theme_name, attrs in choices.items():
        chosen = _Tags(attrs["data-code"]).all("iframe")[0]
        expected = f"{PUBLIC}/charts/{chart_id}/embed/" + ("" if theme_name == "auto" else f"?theme={theme_name}")
        assert chosen["src"] == attrs["data-src"] == expected
        assert attrs["data-code"] == code.replace(iframe["src"], expected)


def test_embed_code_escapes_what_it_quotes(prepared):
    """Headline, alt text and notes that hold quotes, ampersands and tags stay text in both snippets."""
    import dataclasses

    import jinja2
    from pelican.settings import read_settings

    from charting.editions import Edition
    from plugin import chart_pages, i18n
    from plugin.urls import ChartUrls

    settings = read_settings(str(ROOT / "pelicanconf.py"))
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(ROOT / "theme" / "templates")), **settings["JINJA_ENVIRONMENT"])
    i18n.install(env, {"en": Edition("en")})
    nasty = 'Flour "&" <b>bread</b> </textarea><script>alert(1)</script> it\'s'
    bundle = dataclasses.replace(prepared.charts["hunger"], headline=nasty, alt=nasty, notes=(nasty,))
    home = chart_pages.homes(prepared, ChartUrls(PUBLIC))["hunger"]
    home = dataclasses.replace(home, bundle=bundle, source_line=nasty)
    macros = env.get_template("partials/embed_code.html").make_module({"lang": "en"})
    for snippet in (str(macros.iframe(home, "dark")), str(macros.static(home, nasty, {"name": nasty, "url": "https://example.org/?a=1&b=2"}))):
        parsed = _Tags(snippet)
        assert {name for name, _ in parsed.tags} <= {"iframe", "script", "figure", "img", "figcaption", "ul", "li", "p", "a"}
        assert [attrs.get("src") for name, attrs in parsed.tags if name == "script"] in ([], [f"{PUBLIC}/embed.js"])
        assert nasty in parsed.plain or nasty in [v for _, attrs in parsed.tags for v in attrs.values()]
    assert _Tags(str(macros.static(home, "Site", {"name": "CC BY 4.0", "url": "https://example.org/?a=1&b=2"}))).all("img")[0]["alt"] == nasty


def test_an_unknown_embed_theme_is_refused(prepared):
    from plugin import chart_pages
    from plugin.urls import ChartUrls

    home = chart_pages.homes(prepared, ChartUrls(""))["hunger"]
    assert home.embed_src() == home.embed_src("auto") == "/charts/hunger/embed/"
    assert home.embed_src("dark") == "/charts/hunger/embed/?theme=dark"
    with pytest.raises(ValueError, match="'purple' is none of auto, light, dark"):
        home.embed_src("purple")


def _declarations(block: str) -> dict[str, str]:
    return dict(tuple(part.strip() for part in item.split(":", 1)) for item in block.split(";") if item.strip())


def test_site_stylesheet_is_dark_the_same_whether_the_system_or_the_page_asks():
    css = (ROOT / "theme" / "static" / "css" / "site.css").read_text()
    system = re.search(r'@media \(prefers-color-scheme: dark\) \{\s*:root:not\(\[data-theme="light"\]\) \{([^}]*)\}', css).group(1)
    forced = re.search(r':root\[data-theme="dark"\] \{([^}]*)\}', css).group(1)
    assert _declarations(forced) == {**_declarations(system), "color-scheme": "dark"}
    assert _declarations(re.search(r':root\[data-theme="light"\] \{([^}]*)\}', css).group(1)) == {"color-scheme": "light"}


def test_generated_stylesheet_is_dark_the_same_whether_the_system_or_the_page_asks(dataset):
    from charting import theme

    css = theme.stylesheet(dataset.evidence)
    system = re.search(r"@media \(prefers-color-scheme:dark\)\{(.*)\}\n", css).group(1)
    forced = next(line for line in css.split("\n") if line.startswith(':root[data-theme="dark"]'))
    assert system.startswith(':root:not([data-theme="light"]){') and forced.startswith(':root[data-theme="dark"]{')
    assert system.replace(':root:not([data-theme="light"])', "ROOT") == forced.replace(':root[data-theme="dark"]', "ROOT")
    for light, dark in theme.colour_pairs(dataset.evidence):
        assert f':root[data-theme="dark"] .chart svg [fill="{light}"]{{fill:{dark}}}' in forced


def test_chart_pages_live_where_the_settings_put_them(tmp_path, render_cache):
    patterns = {"CHARTS_URL": "graphics/{id}/", "CHARTS_SAVE_AS": "graphics/{id}/index.html", "CHARTS_INDEX_URL": "graphics/", "CHARTS_INDEX_SAVE_AS": "graphics/index.html"}
    output = building.build(output=tmp_path / "output", overrides={"CHARTS_CACHE_DIR": str(render_cache), "SITEURL": PUBLIC, **patterns}).output
    assert not (output / "charts").exists()
    assert (output / "graphics" / "index.html").is_file() and (output / "graphics" / "hunger" / "embed" / "index.html").is_file()
    assert json.loads((output / "graphics" / "hunger" / "oembed.json").read_text())["thumbnail_url"] == f"{PUBLIC}/graphics/hunger/hunger@1x.png"
    leftovers = [str(p.relative_to(output)) for p in output.rglob("*") if p.suffix in (".html", ".json", ".xml", ".atom") and re.search(r"(^|[\"'/])charts/[a-z_]+/", p.read_text(encoding="utf-8"))]
    assert leftovers == []


@pytest.mark.parametrize(
    ("setting", "value", "message"),
    [
        ("CHARTS_URL", "charts/", "CHARTS_URL 'charts/' must contain {id} and end in '/'"),
        ("CHARTS_SAVE_AS", "charts/{id}.html", "CHARTS_SAVE_AS 'charts/{id}.html' must be 'charts/{id}/index.html'"),
        ("CHARTS_INDEX_SAVE_AS", "all-charts.html", "CHARTS_INDEX_URL 'charts/' must end in '/' and CHARTS_INDEX_SAVE_AS be its folder's index.html"),
    ],
)
def test_a_chart_url_pattern_that_cannot_hold_the_files_is_refused(setting, value, message):
    from plugin.urls import DEFAULTS, ChartUrls

    with pytest.raises(BuildError) as caught:
        ChartUrls.from_settings({**DEFAULTS, setting: value})
    assert f"pelicanconf.py: {message}" in str(caught.value)


def test_bibtex_entry_escapes_what_latex_would_read_as_commands(prepared):
    import dataclasses

    from plugin import chart_pages
    from plugin.urls import ChartUrls
    from tests.conftest import SETTINGS, theme_environment

    settings = {**SETTINGS, "JINJA_FILTERS": {"bibtex": chart_pages.bibtex_escape}}
    env = theme_environment(settings)
    home = chart_pages.homes(prepared, ChartUrls(PUBLIC))["hunger"]
    home = dataclasses.replace(home, bundle=dataclasses.replace(home.bundle, headline="41.2% of {all} & 3_000 #1 $2 ~ ^ \\ end"))
    entry = html.unescape(str(env.get_template("partials/citation.html").make_module({**settings, "lang": "en"}).bibtex(home)))  # as the page shows it
    title = next(line for line in entry.splitlines() if line.strip().startswith("title"))
    assert title.strip() == r"title = {41.2\% of \{all\} \& 3\_000 \#1 \$2 \textasciitilde{} \textasciicircum{} \textbackslash{} end},"
    assert entry.count("{") - entry.count(r"\{") == entry.count("}") - entry.count(r"\}")
