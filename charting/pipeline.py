"""Data in, rendered charts out: the part of the build that runs before Pelican reads pages."""
from __future__ import annotations

import dataclasses
import logging
import re
from dataclasses import dataclass
from pathlib import Path

from charting import editions, formatting, memo, progress, references, registry, render, theme
from dataset import evidence, loading
from dataset.errors import ChartError, Problem

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
    #: Every artboard, phone first: layout name -> (built, rendered). ``built`` and ``rendered``
    #: above are the main layout's, which downloads, cards and versions use.
    artboards: dict

    @property
    def id(self) -> str:
        return self.built.id

    @property
    def rendered_now(self) -> bool:
        return any(rendered.rendered_now for _, rendered in self.artboards.values())

    @property
    def repaired(self) -> str | None:
        """What was wrong with the cached renders drawn again, if any."""
        found = [f"{rendered.layout}: {rendered.repaired}" for _, rendered in self.artboards.values() if rendered.repaired]
        return "; ".join(found) or None

    @property
    def standalone_spec(self) -> dict:
        """The Vega-Lite spec of the downloads: the chart with its headline and subhead."""
        return render.standalone_spec(self.built.spec, self.headline, self.subhead)

    def source_line(self, data) -> str:
        citations = "; ".join(formatting.citation(data.sources[s], data) for s in self.built.source_ids)
        line = data.ngettext("Source: {citations}.", "Sources: {citations}.", len(self.built.source_ids)).format(citations=citations)
        # A citation may end in an abbreviation's full stop (Russian dates end "г."): one stop ends the sentence.
        line = line.replace("..", ".")
        if evidence.DERIVED in self.built.statuses:
            line += " " + data.gettext("Values marked derived are our calculations from these sources.")
        return line


@dataclass(frozen=True)
class Prepared:
    """The data and the charts in one edition's language; :func:`prepare` returns English's,
    with every edition under ``editions``."""

    data: loading.Dataset
    charts: dict[str, ChartBundle]
    #: Every edition by language, English first (each without editions of its own).
    editions: dict[str, Prepared] = dataclasses.field(default_factory=dict)

    @property
    def lang(self) -> str:
        return self.data.lang

    def of(self, lang: str) -> Prepared:
        """The edition in ``lang``."""
        return self if lang == self.lang else self.editions[lang]

    @property
    def rendered_now(self) -> list[str]:
        every = self.editions.values() if self.editions else [self]
        return sorted({cid for prepared in every for cid, bundle in prepared.charts.items() if bundle.rendered_now})


def prepare(
    package_path: Path | str = loading.DEFAULT_PACKAGE,
    sources_dir=loading.DEFAULT_SOURCES_DIR,
    cache_dir: Path = render.DEFAULT_CACHE,
    catalog: str = registry.CATALOG,
    langs=(editions.SOURCE_LANG,),
    locales_dir: Path = editions.LOCALES_DIR,
) -> Prepared:
    """Load and validate the data, build every registered chart in every edition and render
    what changed."""
    data_key = memo.data_key(Path(package_path), Path(sources_dir) if sources_dir else None)
    dataset = memo.load(cache_dir, "data", data_key)
    if dataset is None:
        dataset = loading.load(package_path, sources_dir)
        memo.store(cache_dir, "data", data_key, dataset)
    else:  # the same data, perhaps validated in another copy of the project: read this one's files
        dataset = dataclasses.replace(dataset, root=Path(package_path).parent)
    languages = editions.load(langs, locales_dir)
    datasets = {lang: editions.localize(dataset, edition) for lang, edition in languages.items()}
    modules = registry.discover(catalog)
    engine_key = memo.engine_key(data_key)
    # What the memo holds first, then the rest built with Altair, so progress counts real work.
    built: dict[tuple[str, str], dict[str, registry.BuiltChart]] = {(lang, module.id): {} for lang in languages for module in modules.values()}
    missing = []
    for lang, edition in languages.items():
        for module in modules.values():
            for layout in theme.LAYOUTS:
                key = memo.chart_key(engine_key, module.module.__file__, f"{layout.name}\0{edition.key}")
                kept = memo.load(cache_dir, "chart", key)
                if kept is None or kept.furniture != module.furniture:
                    missing.append((lang, module, layout, key))
                else:  # named as this copy's module, wherever it was built
                    built[lang, module.id][layout.name] = dataclasses.replace(kept, module_path=module.path)
    for done, (lang, module, layout, key) in enumerate(missing, start=1):
        chart = built[lang, module.id][layout.name] = module.make(datasets[lang], layout)
        memo.store(cache_dir, "chart", key, dataclasses.replace(chart, chart=None))
        progress.step(log, "building charts", done, len(missing), f"{module.id}, {layout.name}, {lang}")
    built = {job: {layout.name: artboards[layout.name] for layout in theme.LAYOUTS} for job, artboards in built.items()}
    furniture = {}
    fresh_builds = {(lang, module.id) for lang, module, _, _ in missing}
    for (lang, chart_id), artboards in built.items():
        chart = artboards[theme.MAIN_LAYOUT.name]
        if (lang, chart_id) in fresh_builds:  # a chart from the memo was checked when it was built
            _check_same_rows(artboards)
        furniture[lang, chart_id] = _furniture(chart, datasets[lang])
    jobs = [(chart, furniture[job]["headline"], furniture[job]["subhead"]) for job, artboards in built.items() for chart in artboards.values()]
    rendered = render.render_all(jobs, cache_dir)
    main = theme.MAIN_LAYOUT.name
    every = {}
    for lang in languages:
        bundles = {
            cid: ChartBundle(
                artboards[main], rendered[cid, main, lang], **furniture[lang, cid], artboards={name: (b, rendered[cid, name, lang]) for name, b in artboards.items()}
            )
            for (in_lang, cid), artboards in built.items()
            if in_lang == lang
        }
        every[lang] = Prepared(datasets[lang], bundles)
    english = every[editions.SOURCE_LANG]
    fresh = {cid for prepared in every.values() for cid, b in prepared.charts.items() if b.rendered_now}
    log.info("charts: %d registered in %d editions, %d rendered, %d from cache", len(english.charts), len(every), len(fresh), len(english.charts) - len(fresh))
    return dataclasses.replace(english, editions=every)


#: The furniture's fields, each a catalogue string in the context ``chart <id>: <field>``.
FURNITURE_FIELDS = ("headline", "subhead", "alt", "description")


def furniture_context(chart_id: str, field: str) -> str:
    return f"chart {chart_id}: {field}"


def _furniture(chart: registry.BuiltChart, data) -> dict:
    """The chart's furniture in the data's language, references expanded."""
    texts = {name: _expand(data.pgettext(furniture_context(chart.id, name), getattr(chart.furniture, name)), data, chart, name) for name in FURNITURE_FIELDS}
    texts["notes"] = tuple(_expand(data.pgettext(furniture_context(chart.id, "notes"), note), data, chart, "notes") for note in chart.furniture.notes)
    return texts


def _expand(text: str, dataset, chart: registry.BuiltChart, field: str) -> str:
    try:
        return references.expand(text, dataset)
    except references.UnknownReference as exc:
        raise ChartError(Problem(chart.module_path, f"FURNITURE.{field}: {exc}")) from None


_ID_ATTR = re.compile(r'\bid="([^"]+)"')


def _check_same_rows(artboards: dict) -> None:
    """Every artboard plots the same rows: only the layout may change with the width."""
    first, *others = artboards.values()
    for other in others:
        if not _same_rows(first.plotted, other.plotted):
            raise ChartError(Problem(first.module_path, f"build() plots different rows for the {first.layout.name} and {other.layout.name} layouts; lay out the same data for each"))


def _same_rows(one, other) -> bool:
    """The same rows and values, whatever line breaks each layout put into its labels (a wrap
    may split a long word, so all white space is set aside)."""
    if len(one) != len(other):
        return False
    common = [c for c in one.columns if c in other.columns]
    def unwrap(frame):
        return frame[common].astype(str).apply(lambda column: column.str.replace(r"\s+", "", regex=True)).reset_index(drop=True)

    return unwrap(one).equals(unwrap(other))


def live_spec_name(chart_id: str, layout: str) -> str:
    """The file name of one artboard's compiled Vega spec, which the live view loads."""
    return f"{chart_id}.page.vg.json" if layout == theme.MAIN_LAYOUT.name else f"{chart_id}.{layout}.vg.json"


def inline_svg(bundle: ChartBundle, layout: str = theme.MAIN_LAYOUT.name) -> str:
    """One artboard's SVG made fit to sit in a page beside others: unique ids, an accessible name."""
    svg = bundle.artboards[layout][1].svg
    for old in set(_ID_ATTR.findall(svg)):
        new = f"{bundle.id}-{layout}-{old}"
        svg = svg.replace(f'id="{old}"', f'id="{new}"').replace(f"url(#{old})", f"url(#{new})").replace(f'href="#{old}"', f'href="#{new}"')
    # role=img makes the drawing one image to assistive technology, named by the page's caption.
    return svg.replace("<svg ", f'<svg role="img" aria-labelledby="chart-{bundle.id}-alt" focusable="false" ', 1)
