"""Render built charts with vl-convert, once per content hash.

Vega draws each artboard once, into the *page* SVG that sits in a page under an HTML
headline. A chart's downloads are that drawing with its headline, subhead and evidence key set
around it by the theme's ``download.svg`` template (see :func:`download_parts`), rasterised
once at 2× (the 1× PNG is reduced from it); the social card is drawn the same way. The Vega-Lite
and Vega specs offered for download are compiled, not drawn. The key covers the spec (which
inlines the data and the theme's config), the titles and the versions of Altair and
vl-convert, so a rebuild with nothing changed renders nothing.
"""
from __future__ import annotations

import functools
import hashlib
import html
import json
import logging
import multiprocessing
import os
import re
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import altair as alt
import vl_convert as vlc

from charting import progress, render_worker, theme
from charting.registry import BuiltChart
from charting.render_worker import PNG_BACKGROUND, PNG_SCALE
from dataset import evidence
from dataset.errors import ChartError, Problem

log = logging.getLogger(__name__)

DEFAULT_CACHE = Path(__file__).resolve().parent.parent / ".cache" / "charts"
#: Fewer charts than this render in this process: starting workers would cost more.
POOL_THRESHOLD = 16
#: The specs offered for download, kept beside the main artboard's page files.
SPEC_FILES = ("chart.vl.json", "chart.vg.json")
FILES = (*render_worker.PAGE_FILES, *SPEC_FILES)
#: A download's images, cached apart from the page files by the hash of their SVG.
IMAGE_FILES = render_worker.IMAGE_KINDS["download"]
CARD_SIZE = (1200, 630)
#: How the worker turns a spec into files: a change there must not be served from the cache.
RENDERER = hashlib.sha256(Path(render_worker.__file__).read_bytes()).hexdigest()[:16]


@dataclass(frozen=True)
class Rendered:
    """The files one chart renders to, in its cache directory."""

    id: str
    key: str
    directory: Path
    rendered_now: bool
    layout: str = theme.MAIN_LAYOUT.name
    #: Why the cached entry was rendered again (damaged or missing files), if it was.
    repaired: str | None = None
    #: The language of the edition it was built in (archived versions are English).
    lang: str = "en"

    def path(self, name: str) -> Path:
        return self.directory / name

    @property
    def svg(self) -> str:
        """The page version's SVG, without the title (the page sets it in HTML)."""
        return self.path("page.svg").read_text(encoding="utf-8")

    @property
    def vega(self) -> dict:
        return json.loads(self.path("page.vg.json").read_text(encoding="utf-8"))

    @property
    def size(self) -> tuple[float, float]:
        """Width and height of the page version in CSS pixels."""
        return svg_size(self.svg)


def svg_size(svg: str) -> tuple[float, float]:
    match = re.search(r'<svg[^>]*\bwidth="([\d.]+)"[^>]*\bheight="([\d.]+)"', svg)
    return float(match.group(1)), float(match.group(2))


def standalone_title(headline: str, subhead: str) -> dict:
    """Headline (wrapped to fit, a Korean character taking two Latin ones' room) and subhead,
    as drawn into the downloads."""
    return {"text": theme.wrap(headline, theme.TITLE_WRAP) or [headline], "subtitle": subhead}


def standalone_spec(spec: dict, headline: str, subhead: str) -> dict:
    """The spec with headline and subhead drawn in."""
    return {**spec, "title": standalone_title(headline, subhead)}


def cache_key(spec: dict, headline: str, subhead: str, layout: str = theme.MAIN_LAYOUT.name) -> str:
    payload = json.dumps(
        {"spec": spec, "layout": layout, "title": [headline, subhead], "altair": alt.__version__, "vl-convert": vlc.__version__, "renderer": RENDERER, "png": [PNG_SCALE, PNG_BACKGROUND]},
        sort_keys=True,
        default=str,
    )
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def _entry(cache_dir: Path, chart_id: str, key: str) -> Path:
    return cache_dir / chart_id / key[:20]


@functools.cache
def _vega_lite_schema() -> dict:
    from altair.vegalite.v6.schema import load_schema

    return load_schema()


@functools.cache
def _fast_validator():
    """jsonschema-rs's compiled validator for Altair's copy of the Vega-Lite schema.

    It answers "valid or not" in about a millisecond per spec, where jsonschema takes a tenth
    of a second (the schema's many anyOf branches). The schema names some definitions with
    characters a URI fragment may not hold (``MarkPropDef<(Gradient|string|null)>``), so its
    references are percent-encoded for this validator; it decodes them when resolving.
    """
    import jsonschema_rs

    def encoded(node):
        if isinstance(node, dict):
            return {key: quote(value, safe="#/") if key == "$ref" else encoded(value) for key, value in node.items()}
        if isinstance(node, list):
            return [encoded(item) for item in node]
        return node

    return jsonschema_rs.validator_for(encoded(_vega_lite_schema()))


def validate_spec(built: BuiltChart) -> None:
    """Check a new spec against the Vega-Lite schema (Altair's copy) before rendering it,
    naming the deepest place in the spec that is wrong.

    jsonschema-rs decides; only a spec it refuses goes through jsonschema, whose error tree
    :func:`~jsonschema.exceptions.best_match` can search for the place to name.
    """
    if _fast_validator().is_valid(built.spec):
        return
    import jsonschema
    from jsonschema.exceptions import best_match

    schema = _vega_lite_schema()
    error = best_match(jsonschema.validators.validator_for(schema)(schema).iter_errors(built.spec))
    if error is None:  # the two validators disagree: say so rather than pass the spec
        raise ChartError(Problem(built.module_path, "spec is not valid Vega-Lite (jsonschema-rs refused it; jsonschema found no error to name)"))
    leaves = []
    stack = [error]
    while stack:
        current = stack.pop()
        stack.extend(current.context or [])
        leaves += [] if current.context else [current]
    depth = max(len(e.absolute_path) for e in leaves)
    deepest = [e for e in leaves if len(e.absolute_path) == depth]
    where = "/".join(map(str, deepest[0].absolute_path)) or "the top level"
    said = "; ".join(dict.fromkeys(e.message for e in deepest))
    raise ChartError(Problem(built.module_path, f"spec is not valid Vega-Lite: at {where}, {said}"))


def render(built: BuiltChart, headline: str, subhead: str, cache_dir: Path = DEFAULT_CACHE) -> Rendered:
    return render_all([(built, headline, subhead)], cache_dir, workers=1)[_job(built)]


def _files(built: BuiltChart) -> tuple[str, ...]:
    """Every artboard has page files; only the main one has the download specs."""
    return FILES if built.layout == theme.MAIN_LAYOUT else render_worker.PAGE_FILES


def _run(work, tasks: list[tuple], names: list[str], step: str, workers: int | None) -> None:
    """``work(*task)`` for each task, across spawned processes when there are enough of them
    (vl-convert holds the GIL while it works), logging each one done as a step of ``step``."""
    workers = min(workers or os.cpu_count() or 1, len(tasks))
    if workers > 1 and len(tasks) >= POOL_THRESHOLD:
        # Spawned, not forked: the parent may be running threads (a browser driver, a server).
        with ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("spawn")) as pool:
            futures = {pool.submit(work, *task): name for task, name in zip(tasks, names, strict=True)}
            for done, future in enumerate(as_completed(futures), start=1):
                future.result()
                progress.step(log, step, done, len(tasks), futures[future])
    else:
        for done, (task, name) in enumerate(zip(tasks, names, strict=True), start=1):
            work(*task)
            progress.step(log, step, done, len(tasks), name)


def render_all(jobs: list[tuple[BuiltChart, str, str]], cache_dir: Path = DEFAULT_CACHE, workers: int | None = None) -> dict[tuple[str, str], Rendered]:
    """Render what is not cached yet, across processes.

    Returns each chart's rendering by (chart id, layout name, language).
    """
    entries = {_job(b): _entry(cache_dir, b.id, cache_key(b.spec, h, s, b.layout.name)) for b, h, s in jobs}
    damage = {_job(b): render_worker.entry_damage(entries[_job(b)], _files(b)) for b, _, _ in jobs}
    missing = [(b, h, s) for b, h, s in jobs if damage[_job(b)]]
    repaired = {job: why for job, why in damage.items() if why and entries[job].exists()}
    for (chart_id, layout, lang), why in repaired.items():
        log.info("re-rendering %s (%s, %s): its cached render is damaged (%s)", chart_id, layout, lang, why)
    for built, _, _ in missing:
        validate_spec(built)
    tasks = [(b.spec, standalone_title(h, s) if b.layout == theme.MAIN_LAYOUT else None, entries[_job(b)]) for b, h, s in missing]
    _run(render_worker.render_entry, tasks, [f"{b.id}, {b.layout.name}, {b.lang}" for b, _, _ in missing], "rendering charts", workers)
    fresh = {_job(b) for b, _, _ in missing}
    return {
        job: Rendered(job[0], entries[job].name, entries[job], rendered_now=job in fresh, layout=job[1], repaired=repaired.get(job), lang=job[2])
        for job in entries
    }


def _job(built: BuiltChart) -> tuple[str, str, str]:
    return built.id, built.layout.name, built.lang


def render_archived(chart_id: str, version: int, spec: dict, cache_dir: Path = DEFAULT_CACHE) -> Rendered:
    """An earlier version drawn as the current one is, from its archived Vega-Lite spec (which
    holds its headline and subhead as the title): page files and download specs."""
    key = hashlib.sha256(json.dumps({"spec": spec, "vl-convert": vlc.__version__, "renderer": RENDERER}, sort_keys=True).encode()).hexdigest()
    directory = cache_dir / chart_id / f"v{version}-{key[:20]}"
    if render_worker.entry_damage(directory, FILES):
        drawing = {name: value for name, value in spec.items() if name != "title"}
        render_worker.render_entry(drawing, spec["title"], directory)
    return Rendered(chart_id, directory.name, directory, rendered_now=False)


def archived_titles(spec: dict) -> tuple[str, str]:
    """Headline and subhead of an archived spec, as :func:`standalone_title` put them there."""
    text = spec["title"]["text"]
    return " ".join(text) if isinstance(text, list) else text, spec["title"].get("subtitle", "")


#: Characters per headline line on a social card (a Korean one counts as two).
CARD_TITLE_WRAP = 46
#: How a download sets its furniture around the page drawing, in CSS pixels (the theme's sizes).
DOWNLOAD_PADDING = 8
HEADLINE_LINE = round(theme.TITLE_SIZE * 1.25)
SUBHEAD_SIZE = theme.LABEL_SIZE + 1
LEGEND_SWATCH = 12
LEGEND_ROW = 20
LEGEND_GAP = 20


def download_parts(rendered: Rendered, headline: str, subhead: str, statuses) -> dict:
    """What the theme's ``download.svg`` needs to set a chart for download: the headline
    wrapped as Vega-Lite wrapped it, the subhead, the page drawing, and the evidence key for
    ``statuses`` (the :class:`~dataset.evidence.Status` plotted, in the key's order) in a row
    under the chart, and the size all that takes."""
    statuses = list(statuses)
    font, drawing = drawing_font(rendered.svg, headline, subhead, *(status.label for status in statuses))
    width, chart_height = (int(n) if n.is_integer() else n for n in svg_size(drawing))
    headline_lines = standalone_title(headline, subhead)["text"]
    subhead_y = DOWNLOAD_PADDING + HEADLINE_LINE * len(headline_lines) + SUBHEAD_SIZE + 2
    chart_top = subhead_y + 14
    legend_top = chart_top + chart_height + 10
    entries, x, row = [], 0.0, 0
    for status in statuses:
        # Each entry as wide as its swatch and label (CHAR_WIDTH errs wide for Arial's lower
        # case), side by side, on a new row when the next one would run past the chart.
        entry_width = LEGEND_SWATCH + 6 + theme.text_units(status.label) * theme.CHAR_WIDTH
        if x and x + entry_width > width:
            x, row = 0.0, row + 1
        entries.append({"x": round(x, 1), "y": legend_top + 24 + LEGEND_ROW * row, "status": status, "dash": ",".join(map(str, status.dash))})
        x += entry_width + LEGEND_GAP
    height = legend_top + 24 + LEGEND_ROW * (row + 1) + DOWNLOAD_PADDING if entries else chart_top + chart_height + DOWNLOAD_PADDING
    return {
        # The templates' gettext writes in the language of the chart they set.
        "lang": rendered.lang,
        "width": width,
        "height": height,
        "headline_lines": headline_lines,
        "headline_size": theme.TITLE_SIZE,
        "headline_line": HEADLINE_LINE,
        "subhead": subhead,
        "subhead_size": SUBHEAD_SIZE,
        "subhead_y": subhead_y,
        "chart_top": chart_top,
        "chart_width": width,
        "chart_height": chart_height,
        "chart_body": _svg_body(drawing),
        "legend_top": legend_top,
        "legend": entries,
        "label_size": theme.LABEL_SIZE,
        "swatch": LEGEND_SWATCH,
        "edge_width": evidence.EDGE_WIDTH,
        "font": font,
        "ink": theme.INK[0],
        "muted": theme.MUTED[0],
    }


def _svg_body(svg: str) -> str:
    return svg[svg.index(">", svg.index("<svg")) + 1 : svg.rindex("</svg>")]


def drawing_font(drawing: str, *texts: str) -> tuple[str, str]:
    """The font list a composed image (a download, a card) names, and its chart drawing set in it.

    vl-convert rasterises with resvg, which takes a glyph its first installed font lacks from
    the first installed font that has it, whatever the list names next, and sets the whole
    text in that font when it has every glyph: a Korean label would come out in a serif CJK
    face, Latin letters and all. A drawing with Korean in it (or its headline, subhead or
    labels) therefore names the Korean fonts first (theme.WIDE_TEXT_FONT); any other keeps
    theme.FONT and is left as it is.
    """
    if not any(theme.is_wide(char) for text in (drawing, *texts) for char in text):
        return theme.FONT, drawing
    return theme.WIDE_TEXT_FONT, drawing.replace(html.escape(theme.FONT), html.escape(theme.WIDE_TEXT_FONT))


def image_entry(rendered: Rendered, svg: str, kind: str) -> Path:
    """Where the images drawn from a composed ``svg`` (a download or a social card) are
    cached: beside the chart's rendering, named by a hash of what they are drawn from."""
    key = hashlib.sha256(json.dumps([rendered.key, kind, svg, PNG_SCALE, PNG_BACKGROUND, RENDERER]).encode()).hexdigest()[:16]
    return rendered.directory.with_name(f"{rendered.directory.name}-{kind}-{key}")


def render_images(images: dict[str, tuple[Rendered, str, str]], workers: int | None = None) -> dict[str, Path]:
    """Draw composed SVGs to images, across processes, unless cached.

    ``images`` maps a name (for progress and the log) to (the chart's rendering, the SVG a
    template composed, its kind: ``"download"`` (made from :func:`download_parts`: the SVG kept,
    a 2× and a 1× PNG) or ``"card"`` (from :func:`card_parts`: one PNG)). Returns each name's
    cache directory.
    """
    entries = {name: image_entry(rendered, svg, kind) for name, (rendered, svg, kind) in images.items()}
    damage = {name: render_worker.entry_damage(entries[name], render_worker.IMAGE_KINDS[kind]) for name, (_, _, kind) in images.items()}
    missing = [name for name, why in damage.items() if why]
    for name in missing:
        if entries[name].exists():
            log.info("drawing %s again: the cached images are damaged (%s)", name, damage[name])
    tasks = [(images[name][1], images[name][2], entries[name]) for name in missing]
    _run(render_worker.write_images, tasks, missing, "drawing downloads and cards", workers)
    return entries


def card_parts(rendered: Rendered, headline: str) -> dict:
    """What a social card's template needs from the chart: its size, its drawing, the
    headline broken into at most two lines, and the house colours and font."""
    font, drawing = drawing_font(rendered.svg, headline)
    inner_w, inner_h = svg_size(drawing)
    width, height = CARD_SIZE
    return {
        "lang": rendered.lang,
        "width": width,
        "height": height,
        "headline_lines": theme.wrap(headline, CARD_TITLE_WRAP)[:2],
        "chart_width": inner_w,
        "chart_height": inner_h,
        "chart_body": _svg_body(drawing),
        "font": font,
        "ink": theme.INK[0],
        "muted": theme.MUTED[0],
        "background": PNG_BACKGROUND,
    }
