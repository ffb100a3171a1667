"""The Markdown extension on its own: charts, figure and date references, tables, errors."""
from __future__ import annotations

import html as html_module
import re

import markdown
import pytest

from dataset.errors import PageReferenceError
from plugin import figures
from plugin.extension import ChartsExtension
from tests.conftest import theme_environment


@pytest.fixture()
def convert(prepared):
    def run(text: str, path: str = "content/pages/test.md") -> str:
        extension = ChartsExtension({"en": figures.Renderer(prepared, theme_environment())})
        extension.source_path = path
        return markdown.Markdown(extensions=[extension, "markdown.extensions.meta", "markdown.extensions.extra"]).convert(text)

    return run


def test_figure_reference_renders_value_unit_and_source(convert, dataset):
    out = convert("Exports were {{fig ag_exports_2025_jan_jul}} in all.")
    match = re.search(r'<a class="figure-ref status-reported" href="([^"]+)" title="([^"]+)"><data value="6500000">about \$6.5 million</data></a>', out)
    assert match, out
    assert match.group(1) == "{filename}/pages/method.md#figure-ag_exports_2025_jan_jul"
    assert dataset.sources["nknews_sibagro"].citation in match.group(2)


def test_bare_and_period_forms(convert):
    out = convert("{{fig ag_exports_2025_jan_jul:bare}} over {{fig ag_exports_2025_jan_jul:period}}")
    assert ">$6.5 million</data>" in out and ">January–July 2025</data>" in out


def test_date_reference_keeps_precision(convert):
    out = convert("The famine of the {{date famine_1990s}}; the visit on {{date putin_visit_2024}}.")
    assert ">mid-to-late 1990s (about 1994–1999)</a>" in out
    assert 'href="{filename}/pages/timeline.md#event-putin_visit_2024"' in out and ">18 June 2024 (year inferred)</a>" in out


def test_date_year_form_writes_the_year_alone(convert):
    out = convert("Signed in {{date treaty_2024:year}}; the deals of {{date weapons_middleman_2022:year}}.")
    assert 'href="{filename}/pages/timeline.md#event-treaty_2024"' in out and ">2024</a>;" in out
    assert ">2022–2023</a>." in out


def test_source_forms_write_its_citation_and_printed_date(convert, dataset):
    out = convert("As {{source nknews_sibagro}} put it on {{source nknews_sibagro:date}}; {{source flour_aid:date}}.")
    assert '<a class="source-ref" href="{filename}/pages/method.md#source-nknews_sibagro"' in out
    assert f">{dataset.sources['nknews_sibagro'].citation}</a>" in out and ">3 February 2026</a>;" in out and ">undated</a>." in out


def test_printed_form_quotes_the_source_without_a_machine_value(convert):
    out = convert("From “{{fig pork_exports_2025_jan_may:printed}}”.")
    assert re.search(r'<a class="figure-ref status-reported" href="\{filename\}/pages/method.md#figure-pork_exports_2025_jan_may" title="[^"]+">under \$1 million in May</a>', out), out


def test_status_form_is_a_badge_from_the_evidence_key(convert, dataset):
    out = convert("- {{fig kuzbass_flour_shipment:status}} A fact.\n- {{date food_for_munitions_claim_2023:status}} A claim.\n")
    assert f'<li><span class="status status-confirmed">{dataset.evidence["confirmed"].label}</span> A fact.</li>' in out
    assert f'<li><span class="status status-alleged">{dataset.evidence["alleged"].label}</span> A claim.</li>' in out


def test_key_facts_markup_works_inside_html(convert):
    out = convert('<section class="key-facts" markdown="1">\n\n## Key facts {: #key-facts }\n\n- {{fig goats_to_rason:status}} Goats: {{fig goats_to_rason}}.\n\n</section>\n')
    assert '<h2 id="key-facts">Key facts</h2>' in out and '<li><span class="status status-confirmed">' in out and "447 goats</data></a>.</li>" in out


def test_a_derived_figure_names_every_source_on_hover(convert, dataset):
    out = convert("The rest: {{fig non_flour_ag_exports_2025_jan_jul}}.")
    title = html_module.unescape(re.search(r'title="([^"]+)"', out).group(1))
    assert title == "Derived (our calculation) · " + "; ".join(dataset.sources[s].citation for s in ["nknews_sibagro", "flour_kuzbass"])


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("{{fig other_ag_exports_2025_jan_jul:printed}}", "figure 'other_ag_exports_2025_jan_jul' has no printed words (it is derived)"),
        ("{{date flour_aid_pledge:year}}", "event 'flour_aid_pledge' is undated, so it has no year"),
        ("{{source pravda}}", "unknown source 'pravda'; source ids are under sources in data/datapackage.yaml"),
        ("{{source nknews_sibagro:year}}", "unknown form ':year' for source 'nknews_sibagro'; use one of date"),
        ("{{date putin_visit_2024:bare}}", "unknown form ':bare' for date 'putin_visit_2024'; use one of status, year"),
    ],
)
def test_new_forms_refuse_what_they_cannot_write(convert, text, message):
    with pytest.raises(PageReferenceError) as caught:
        convert(text, path="content/pages/explainer.md")
    assert str(caught.value).startswith(f"content/pages/explainer.md, line 1, column 'character 1': {message}")


def test_a_note_that_names_an_id_stops_the_page(prepared, monkeypatch):
    table = prepared.data.figures.copy()
    table.loc["goats_to_rason", "note"] = "See flour_kuzbass for the rest."
    monkeypatch.setattr(prepared.data, "figures", table)
    extension = ChartsExtension({"en": figures.Renderer(prepared, theme_environment())})
    extension.source_path = "content/pages/method.md"
    with pytest.raises(PageReferenceError) as caught:
        markdown.Markdown(extensions=[extension]).convert("Intro.\n\n{{table figures}}\n")
    assert "content/pages/method.md, line 3: the note of 'goats_to_rason' in data/figures.csv names 'flour_kuzbass', an id readers would see as it is; write what it stands for in words" in str(caught.value)


def test_chart_becomes_a_figure_with_inline_svg_and_data_table(convert, prepared):
    out = convert("Before.\n\n{{chart pork_exports}}\n\nAfter.")
    assert '<figure class="chart" id="chart-pork_exports"' in out
    assert '<svg role="img" aria-labelledby="chart-pork_exports-alt"' in out
    assert 'id="chart-pork_exports-alt">Chart of two values.' in out
    assert "<details class=\"chart-data\">" in out and "<th scope=\"row\">January–July</th>" in out
    assert prepared.charts["pork_exports"].source_line(prepared.data) in out.replace("&#39;", "'")
    assert "<p><figure" not in out


def test_svg_ids_are_unique_per_chart(convert):
    out = convert("{{chart agricultural_exports}}\n\n{{chart export_mix_2025}}\n")
    ids = re.findall(r'\bid="([^"]+)"', out)
    assert len(ids) == len(set(ids))


def test_table_reference(convert):
    out = convert("{{table figures}}")
    assert 'id="figure-goats_to_rason"' in out and '<dt>Formula</dt><dd><code class="formula">100 * undernourished_people / population_total</code>' in out


@pytest.mark.parametrize(
    ("text", "line", "column", "message"),
    [
        ("Title: T\n\nFine.\n\n{{chart no_such_chart}}\n", 5, None, "unknown chart 'no_such_chart'; registered charts are"),
        ("Para.\nValue {{fig not_a_figure}} here.\n", 2, "character 7", "unknown figure 'not_a_figure'"),
        ("It was on {{date not_an_event}}\n", 1, "character 11", "unknown event 'not_an_event'"),
        ("Inline {{chart pork_exports}} is not allowed.\n", 1, "character 8", "a chart or table reference must stand on a line of its own"),
        ("{{table nonsense}}\n", 1, None, "unknown table 'nonsense'"),
        ("{{fig goats_to_rason:wrong}}\n", 1, "character 1", "unknown form ':wrong'"),
    ],
)
def test_unknown_references_name_page_line_and_column(convert, text, line, column, message):
    with pytest.raises(PageReferenceError) as caught:
        convert(text, path="content/pages/explainer.md")
    where = f"content/pages/explainer.md, line {line}" + (f", column {column!r}" if column else "")
    assert str(caught.value).startswith(f"{where}: {message}")


def test_fenced_code_and_metadata_are_left_alone(convert):
    out = convert("Title: Uses {{fig nothing}}\n\n```\n{{chart nothing}}\n```\n")
    assert "{{chart nothing}}" in out and "Uses" not in out


def test_code_shows_references_as_written(convert):
    out = convert(
        "Inline `{{fig goats_to_rason}}` and ``{{ }}``.\n\n"
        "~~~\n{{fig nothing}} <b>\n~~~\n\n"
        "Indented:\n\n    {{chart pork_exports}}\n    {{fig}}\n\n"
        "Real: {{fig goats_to_rason}}.\n"
    )
    assert "<code>{{fig goats_to_rason}}</code>" in out and "<code>{{ }}</code>" in out
    assert "<pre><code>{{fig nothing}} &lt;b&gt;\n</code></pre>" in out
    assert "<pre><code>{{chart pork_exports}}\n{{fig}}\n</code></pre>" in out
    assert "<figure" not in out
    assert out.count("figure-ref") == 1 and "Real: <a" in out


def test_chart_right_after_a_paragraph_line_is_a_block_below_its_section(convert):
    out = convert("## A section\n\nText.\n{{chart pork_exports}}\nMore text.\n")
    assert "<p>Text.</p>\n<figure" in out and '<h3 class="chart-headline"' in out and "<p>More text.</p>" in out


def test_references_in_raw_html(convert):
    out = convert('<div class="aside">Goats: {{fig goats_to_rason}}. <code>{{fig goats_to_rason}}</code></div>\n')
    assert "Goats: <a class=\"figure-ref" in out and "<code>{{fig goats_to_rason}}</code>" in out


@pytest.mark.parametrize(
    ("text", "line", "column", "message"),
    [
        ("A {{fig}}.\n", 1, "character 3", "'{{fig}}' names no figure"),
        ("Para.\n\nA {{ }}.\n", 3, "character 3", "'{{ }}' is an empty reference"),
        ("A {{fig goats_to_rason:}}.\n", 1, "character 3", "'{{fig goats_to_rason:}}' has nothing after ':'"),
        ("A {{unknown thing}}.\n", 1, "character 3", "'{{unknown thing}}' is not a reference: unknown kind 'unknown'"),
        ("A {{fig goats_to_rason\nand more}}.\n", 1, "character 3", "'{{' opens a reference that is not closed on the same line"),
        ("A [link]({{fig goats_to_rason}}).\n", 1, "character 10", "{{fig goats_to_rason}}: a reference cannot go in a link address"),
        ("Para.\n\n```\n{{fig goats_to_rason}}\n", 3, None, "```: this code fence is never closed"),
    ],
)
def test_every_double_brace_outside_code_is_a_reference(convert, text, line, column, message):
    with pytest.raises(PageReferenceError) as caught:
        convert(text, path="content/pages/explainer.md")
    where = f"content/pages/explainer.md, line {line}" + (f", column {column!r}" if column else "")
    assert str(caught.value).startswith(f"{where}: {message}")


def test_unsafe_html_is_refused_at_its_line_and_allowed_in_code(convert):
    text = "We show `<script>` and `<a onclick=\"x\">`.\n\n```\n<iframe src=x></iframe>\n```\n\nReal: <script>x</script>\n\n<a href=\"/\"\n   onclick=\"x\">a</a>\n"
    with pytest.raises(PageReferenceError) as caught:
        convert(text, path="p.md")
    assert str(caught.value).splitlines() == [
        "p.md, line 7: raw HTML <script> is not allowed in a page",
        "p.md, line 10: raw HTML event-handler attribute onclick= is not allowed in a page",
    ]
    out = convert(text.split("Real:")[0])
    assert "<code>&lt;script&gt;</code>" in out and "&lt;iframe src=x&gt;&lt;/iframe&gt;" in out
