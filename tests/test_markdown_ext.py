"""The Markdown extension on its own: charts, figure and date references, tables, errors."""
from __future__ import annotations

import re
from pathlib import Path

import markdown
import pytest

from charts import html
from charts.errors import PageReferenceError
from charts.markdown_ext import ChartsExtension

THEME = Path(__file__).resolve().parent.parent / "theme" / "templates"


@pytest.fixture()
def convert(prepared):
    def run(text: str, path: str = "content/pages/test.md") -> str:
        extension = ChartsExtension(html.Renderer(prepared, THEME))
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
    assert 'href="{filename}/pages/timeline.md#event-putin_visit_2024"' in out and ">18 June 2024</a>" in out


def test_chart_becomes_a_figure_with_inline_svg_and_data_table(convert, prepared):
    out = convert("Before.\n\n{{chart pork_exports}}\n\nAfter.")
    assert '<figure class="chart" id="chart-pork_exports"' in out
    assert '<svg role="img" aria-labelledby="chart-pork_exports-alt"' in out
    assert 'id="chart-pork_exports-alt">Chart of two values.' in out
    assert "<details class=\"chart-data\">" in out and "<th scope=\"row\">January–May</th>" in out
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
    assert "{{chart nothing}}" in out
