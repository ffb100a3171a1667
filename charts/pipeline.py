"""Data in, rendered charts out: the part of the build that runs before Pelican reads pages."""
from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from pathlib import Path

from charts import data as data_module
from charts import references, registry, render, theme
from charts.errors import ChartError, Problem

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ChartBundle:
    """One chart, built from the data and rendered, with its furniture's references expanded."""

    built: registry.BuiltChart
    rendered: render.Rendered
    headline: str
    subhead: str
    alt: str
    description: str
    notes: tuple[str, ...]

    @property
    def id(self) -> str:
        return self.built.id

    @property
    def standalone_spec(self) -> dict:
        """The Vega-Lite spec of the downloads: the chart with its headline and subhead."""
        return render.standalone_spec(self.built.spec, self.headline, self.subhead)

    def source_line(self, data) -> str:
        citations = "; ".join(data.sources[s].citation for s in self.built.source_ids)
        derived = " Values marked derived are our calculations from these sources." if "derived" in self.built.statuses else ""
        return f"{'Sources' if len(self.built.source_ids) > 1 else 'Source'}: {citations}.{derived}"


@dataclass(frozen=True)
class Prepared:
    data: data_module.Dataset
    charts: dict[str, ChartBundle]

    @property
    def rendered_now(self) -> list[str]:
        return [cid for cid, bundle in self.charts.items() if bundle.rendered.rendered_now]


def prepare(package_path: Path | str = data_module.DEFAULT_PACKAGE, sources_dir=data_module.DEFAULT_SOURCES_DIR, cache_dir: Path = render.DEFAULT_CACHE, catalog: str = registry.CATALOG) -> Prepared:
    """Load and validate the data, build every registered chart and render what changed."""
    dataset = data_module.load(package_path, sources_dir)
    modules = registry.discover(catalog)
    built = [module.make(dataset) for module in modules.values()]
    furniture = {}
    for chart in built:
        texts = {name: _expand(getattr(chart.furniture, name), dataset, chart, name) for name in ("headline", "subhead", "alt", "description")}
        texts["notes"] = tuple(_expand(note, dataset, chart, "notes") for note in chart.furniture.notes)
        furniture[chart.id] = texts
    jobs = [(chart, furniture[chart.id]["headline"], furniture[chart.id]["subhead"]) for chart in built]
    rendered = render.render_all(jobs, cache_dir)
    bundles = {chart.id: ChartBundle(chart, rendered[chart.id], **furniture[chart.id]) for chart in built}
    fresh = [cid for cid, b in bundles.items() if b.rendered.rendered_now]
    log.info("charts: %d registered, %d rendered, %d from cache", len(bundles), len(fresh), len(bundles) - len(fresh))
    return Prepared(dataset, bundles)


def _expand(text: str, dataset, chart: registry.BuiltChart, field: str) -> str:
    try:
        return references.expand(text, dataset)
    except references.UnknownReference as exc:
        raise ChartError(Problem(chart.module_path, f"FURNITURE.{field}: {exc}")) from None


_ID_ATTR = re.compile(r'\bid="([^"]+)"')


def inline_svg(bundle: ChartBundle) -> str:
    """The rendered SVG made fit to sit in a page beside others: unique ids, an accessible name."""
    svg = bundle.rendered.svg
    for old in set(_ID_ATTR.findall(svg)):
        new = f"{bundle.id}-{old}"
        svg = svg.replace(f'id="{old}"', f'id="{new}"').replace(f"url(#{old})", f"url(#{new})").replace(f'href="#{old}"', f'href="#{new}"')
    # Drawn a little larger than rendered where there is room; the viewBox keeps it sharp.
    width, height = bundle.rendered.size
    display = f'width="{round(width * theme.DISPLAY_SCALE)}" height="{round(height * theme.DISPLAY_SCALE)}"'
    svg = re.sub(r'width="[\d.]+" height="[\d.]+"', display, svg, count=1)
    # role=img makes the drawing one image to assistive technology, named by the page's caption.
    return svg.replace("<svg ", f'<svg role="img" aria-labelledby="chart-{bundle.id}-alt" focusable="false" ', 1)
