"""Render built charts with vl-convert, once per content hash.

Each chart renders twice from one spec: the *page* version, which sits in a page under an
HTML headline, and the *standalone* version for downloads, with headline and subhead drawn
in. The key covers the spec (which inlines the data and the theme's config), the titles and
the versions of Altair and vl-convert, so a rebuild with nothing changed renders nothing.
"""
from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import tempfile
import textwrap
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import altair as alt
import vl_convert as vlc

from charts import theme
from charts.registry import BuiltChart

DEFAULT_CACHE = Path(__file__).resolve().parent.parent / ".cache" / "charts"
PNG_SCALE = 2
#: Background behind PNGs (SVGs stay transparent so the page colour shows through).
PNG_BACKGROUND = "#ffffff"
STANDALONE_FILES = ("chart.vl.json", "chart.vg.json", "chart.svg", "chart.png", "chart-1x.png")
FILES = ("page.vg.json", "page.svg", *STANDALONE_FILES)
CARD_SIZE = (1200, 630)


@dataclass(frozen=True)
class Rendered:
    """The files one chart renders to, in its cache directory."""

    id: str
    key: str
    directory: Path
    rendered_now: bool

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


def standalone_spec(spec: dict, headline: str, subhead: str) -> dict:
    """The spec with headline and subhead drawn in, the headline wrapped to fit."""
    lines = textwrap.wrap(headline, theme.TITLE_WRAP) or [headline]
    return {**spec, "title": {"text": lines, "subtitle": subhead}}


def cache_key(built: BuiltChart, headline: str, subhead: str) -> str:
    payload = json.dumps(
        {"spec": built.spec, "title": [headline, subhead], "altair": alt.__version__, "vl-convert": vlc.__version__, "png": [PNG_SCALE, PNG_BACKGROUND]},
        sort_keys=True,
        default=str,
    )
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def render(built: BuiltChart, headline: str, subhead: str, cache_dir: Path = DEFAULT_CACHE) -> Rendered:
    key = cache_key(built, headline, subhead)
    directory = cache_dir / built.id / key[:20]
    if all((directory / name).is_file() for name in FILES):
        return Rendered(built.id, key, directory, rendered_now=False)
    page_vega = vlc.vegalite_to_vega(built.spec)
    files = {
        "page.vg.json": json.dumps(page_vega, separators=(",", ":")),
        "page.svg": vlc.vega_to_svg(page_vega),
        **_standalone_files(standalone_spec(built.spec, headline, subhead)),
    }
    _write_entry(directory, files)
    return Rendered(built.id, key, directory, rendered_now=True)


def render_archived(chart_id: str, version: int, spec: dict, cache_dir: Path = DEFAULT_CACHE) -> Path:
    """The download files of an earlier version, from its archived standalone spec."""
    key = hashlib.sha256(json.dumps({"spec": spec, "vl-convert": vlc.__version__}, sort_keys=True).encode()).hexdigest()
    directory = cache_dir / chart_id / f"v{version}-{key[:20]}"
    if not all((directory / name).is_file() for name in STANDALONE_FILES):
        _write_entry(directory, _standalone_files(spec))
    return directory


def _standalone_files(spec: dict) -> dict[str, str | bytes]:
    vega = vlc.vegalite_to_vega(spec)
    background = {**vega, "background": PNG_BACKGROUND}
    return {
        "chart.vl.json": json.dumps(spec, indent=1),
        "chart.vg.json": json.dumps(vega, separators=(",", ":")),
        "chart.svg": vlc.vega_to_svg(vega),
        "chart.png": vlc.vega_to_png(background, scale=PNG_SCALE),
        "chart-1x.png": vlc.vega_to_png(background, scale=1),
    }


def _write_entry(directory: Path, files: dict[str, str | bytes]) -> None:
    """Write into a scratch directory and rename, so an interrupted render leaves no half entry."""
    directory.parent.mkdir(parents=True, exist_ok=True)
    scratch = Path(tempfile.mkdtemp(dir=directory.parent, prefix=".tmp-"))
    for name, content in files.items():
        if isinstance(content, bytes):
            (scratch / name).write_bytes(content)
        else:
            (scratch / name).write_text(content, encoding="utf-8")
    shutil.rmtree(directory, ignore_errors=True)
    os.replace(scratch, directory)


def render_card(rendered: Rendered, headline: str, subhead: str, footer: str) -> Path:
    """A 1200×630 social card: headline, subhead, the chart, and a footer line."""
    from xml.sax.saxutils import escape

    width, height = CARD_SIZE
    key = hashlib.sha256(json.dumps([rendered.key, headline, subhead, footer]).encode()).hexdigest()[:16]
    path = rendered.directory / f"card-{key}.png"
    if path.is_file():
        return path
    lines = textwrap.wrap(headline, 46)[:2]
    y, texts = 78, []
    for line in lines:
        texts.append(f'<text x="60" y="{y}" font-size="44" font-weight="700" fill="{theme.INK[0]}">{escape(line)}</text>')
        y += 54
    texts.append(f'<text x="60" y="{y}" font-size="26" fill="{theme.MUTED[0]}">{escape(subhead)}</text>')
    top = y + 24
    chart = rendered.svg
    inner_w, inner_h = svg_size(chart)
    body = chart[chart.index(">") + 1 : chart.rindex("</svg>")]
    box_h = height - top - 70
    font = escape(theme.FONT, {'"': "&quot;"})
    svg = (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" viewBox="0 0 {width} {height}" font-family="{font}">'
        f'<rect width="{width}" height="{height}" fill="{PNG_BACKGROUND}"/>{"".join(texts)}'
        f'<svg x="60" y="{top}" width="{width - 120}" height="{box_h}" viewBox="0 0 {inner_w} {inner_h}" preserveAspectRatio="xMidYMid meet">{body}</svg>'
        f'<text x="60" y="{height - 30}" font-size="22" fill="{theme.MUTED[0]}">{escape(footer)}</text></svg>'
    )
    scratch = path.with_suffix(".tmp")
    scratch.write_bytes(vlc.svg_to_png(svg, scale=1))
    os.replace(scratch, path)
    return path


def render_all(jobs: list[tuple[BuiltChart, str, str]], cache_dir: Path = DEFAULT_CACHE, workers: int | None = None) -> dict[str, Rendered]:
    """Render (chart, headline, subhead) jobs in threads; vl-convert releases the GIL as it works."""
    workers = workers or min(len(jobs), os.cpu_count() or 1) or 1
    with ThreadPoolExecutor(max_workers=workers) as pool:
        results = pool.map(lambda job: render(*job, cache_dir=cache_dir), jobs)
        return {r.id: r for r in results}
