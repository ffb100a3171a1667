"""Render built charts with vl-convert, once per content hash.

Each chart renders twice from one spec: the *page* version, which sits in a page under an
HTML headline, and the *standalone* version for downloads, with headline and subhead drawn
in. The key covers the spec (which inlines the data and the theme's config), the titles and
the versions of Altair and vl-convert, so a rebuild with nothing changed renders nothing.
"""
from __future__ import annotations

import functools
import hashlib
import json
import logging
import multiprocessing
import os
import re
import textwrap
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path

import altair as alt
import vl_convert as vlc

from charting import progress, render_worker, theme
from charting.registry import BuiltChart
from charting.render_worker import PNG_BACKGROUND, PNG_SCALE
from dataset.errors import ChartError, Problem

log = logging.getLogger(__name__)

DEFAULT_CACHE = Path(__file__).resolve().parent.parent / ".cache" / "charts"
#: Fewer charts than this render in this process: starting workers would cost more.
POOL_THRESHOLD = 16
STANDALONE_FILES = ("chart.vl.json", "chart.vg.json", "chart.svg", "chart.png", "chart-1x.png")
FILES = (*render_worker.PAGE_FILES, *STANDALONE_FILES)
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

    def path(self, name: str) -> Path:
        return self.directory / name

    @property
    def svg(self) -> str:
        """The page version's SVG, without the title (the page sets it in HTML)."""
        return self.path("page.svg").read_text(encoding="utf-8")

    @property
    def standalone_svg(self) -> str:
        return self.path("chart.svg").read_text(encoding="utf-8")

    @property
    def vega(self) -> dict:
        return json.loads(self.path("page.vg.json").read_text(encoding="utf-8"))

    @property
    def size(self) -> tuple[float, float]:
        """Width and height of the page version in CSS pixels."""
        return svg_size(self.svg)

    @property
    def standalone_size(self) -> tuple[float, float]:
        return svg_size(self.standalone_svg)


def svg_size(svg: str) -> tuple[float, float]:
    match = re.search(r'<svg[^>]*\bwidth="([\d.]+)"[^>]*\bheight="([\d.]+)"', svg)
    return float(match.group(1)), float(match.group(2))


def standalone_title(headline: str, subhead: str) -> dict:
    """Headline (wrapped to fit) and subhead, as drawn into the downloads."""
    return {"text": textwrap.wrap(headline, theme.TITLE_WRAP) or [headline], "subtitle": subhead}


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
def _vega_lite_validator():
    """A validator for Altair's copy of the Vega-Lite schema, made once per process."""
    import jsonschema
    from altair.vegalite.v6.schema import load_schema

    schema = load_schema()
    return jsonschema.validators.validator_for(schema)(schema)


def validate_spec(built: BuiltChart) -> None:
    """Check a new spec against the Vega-Lite schema (Altair's copy) before rendering it,
    naming the deepest place in the spec that is wrong."""
    from jsonschema.exceptions import best_match

    error = best_match(_vega_lite_validator().iter_errors(built.spec))
    if error is None:
        return
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
    return render_all([(built, headline, subhead)], cache_dir, workers=1)[built.id, built.layout.name]


def _files(built: BuiltChart) -> tuple[str, ...]:
    """Every artboard has page files; only the main one has downloads."""
    return FILES if built.layout == theme.MAIN_LAYOUT else render_worker.PAGE_FILES


def render_all(jobs: list[tuple[BuiltChart, str, str]], cache_dir: Path = DEFAULT_CACHE, workers: int | None = None) -> dict[tuple[str, str], Rendered]:
    """Render what is not cached yet, across processes: vl-convert holds the GIL while it works.

    Returns each chart's rendering by (chart id, layout name).
    """
    entries = {(b.id, b.layout.name): _entry(cache_dir, b.id, cache_key(b.spec, h, s, b.layout.name)) for b, h, s in jobs}
    damage = {(b.id, b.layout.name): render_worker.entry_damage(entries[b.id, b.layout.name], _files(b)) for b, _, _ in jobs}
    missing = [(b, h, s) for b, h, s in jobs if damage[b.id, b.layout.name]]
    repaired = {job: why for job, why in damage.items() if why and entries[job].exists()}
    for (chart_id, layout), why in repaired.items():
        log.info("re-rendering %s (%s): its cached render is damaged (%s)", chart_id, layout, why)
    for built, _, _ in missing:
        validate_spec(built)
    tasks = [(b.spec, standalone_title(h, s) if b.layout == theme.MAIN_LAYOUT else None, entries[b.id, b.layout.name]) for b, h, s in missing]
    workers = min(workers or os.cpu_count() or 1, len(tasks))
    if workers > 1 and len(tasks) >= POOL_THRESHOLD:
        # Spawned, not forked: the parent may be running threads (a browser driver, a server).
        with ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("spawn")) as pool:
            futures = {pool.submit(render_worker.render_entry, *task): job for task, job in zip(tasks, missing, strict=True)}
            for done, future in enumerate(as_completed(futures), start=1):
                future.result()
                built = futures[future][0]
                progress.step(log, "rendering charts", done, len(tasks), f"{built.id}, {built.layout.name}")
    else:
        for done, (task, (built, _, _)) in enumerate(zip(tasks, missing, strict=True), start=1):
            render_worker.render_entry(*task)
            progress.step(log, "rendering charts", done, len(tasks), f"{built.id}, {built.layout.name}")
    fresh = {(b.id, b.layout.name) for b, _, _ in missing}
    return {
        job: Rendered(job[0], entries[job].name, entries[job], rendered_now=job in fresh, layout=job[1], repaired=repaired.get(job))
        for job in entries
    }


def render_archived(chart_id: str, version: int, spec: dict, cache_dir: Path = DEFAULT_CACHE) -> Path:
    """The download files of an earlier version, from its archived standalone spec."""
    key = hashlib.sha256(json.dumps({"spec": spec, "vl-convert": vlc.__version__}, sort_keys=True).encode()).hexdigest()
    directory = cache_dir / chart_id / f"v{version}-{key[:20]}"
    if render_worker.entry_damage(directory, STANDALONE_FILES):
        render_worker.write_entry(directory, render_worker.standalone_files(spec))
    return directory


def card_parts(rendered: Rendered, headline: str) -> dict:
    """What a social card's template needs from the chart: its size, its drawing, the
    headline broken into at most two lines, and the house colours and font."""
    inner_w, inner_h = svg_size(rendered.svg)
    body = rendered.svg[rendered.svg.index(">") + 1 : rendered.svg.rindex("</svg>")]
    width, height = CARD_SIZE
    return {
        "width": width,
        "height": height,
        "headline_lines": textwrap.wrap(headline, 46)[:2],
        "chart_width": inner_w,
        "chart_height": inner_h,
        "chart_body": body,
        "font": theme.FONT,
        "ink": theme.INK[0],
        "muted": theme.MUTED[0],
        "background": PNG_BACKGROUND,
    }


def render_card(rendered: Rendered, svg: str) -> Path:
    """The social card drawn from ``svg`` (made from :func:`card_parts` by a template), cached
    beside the chart's rendering by the card's own hash."""
    key = hashlib.sha256(json.dumps([rendered.key, svg]).encode()).hexdigest()[:16]
    entry = rendered.directory.with_name(f"{rendered.directory.name}-card-{key}")
    if not render_worker.entry_damage(entry, ("card.png",)):
        return entry / "card.png"
    render_worker.write_entry(entry, {"card.png": vlc.svg_to_png(svg, scale=1)})
    return entry / "card.png"
