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
FILES = ("page.vg.json", "page.svg", "chart.vl.json", "chart.vg.json", "chart.svg", "chart.png")


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
    standalone = standalone_spec(built.spec, headline, subhead)
    vega = vlc.vegalite_to_vega(standalone)
    files = {
        "page.vg.json": json.dumps(page_vega, separators=(",", ":")),
        "page.svg": vlc.vega_to_svg(page_vega),
        "chart.vl.json": json.dumps(standalone, indent=1),
        "chart.vg.json": json.dumps(vega, separators=(",", ":")),
        "chart.svg": vlc.vega_to_svg(vega),
        "chart.png": vlc.vega_to_png({**vega, "background": PNG_BACKGROUND}, scale=PNG_SCALE),
    }
    # Write into a scratch directory and rename, so an interrupted render leaves no half entry.
    (cache_dir / built.id).mkdir(parents=True, exist_ok=True)
    scratch = Path(tempfile.mkdtemp(dir=cache_dir / built.id, prefix=".tmp-"))
    for name, content in files.items():
        if isinstance(content, bytes):
            (scratch / name).write_bytes(content)
        else:
            (scratch / name).write_text(content, encoding="utf-8")
    shutil.rmtree(directory, ignore_errors=True)
    os.replace(scratch, directory)
    return Rendered(built.id, key, directory, rendered_now=True)


def render_all(jobs: list[tuple[BuiltChart, str, str]], cache_dir: Path = DEFAULT_CACHE, workers: int | None = None) -> dict[str, Rendered]:
    """Render (chart, headline, subhead) jobs in threads; vl-convert releases the GIL as it works."""
    workers = workers or min(len(jobs), os.cpu_count() or 1) or 1
    with ThreadPoolExecutor(max_workers=workers) as pool:
        results = pool.map(lambda job: render(*job, cache_dir=cache_dir), jobs)
        return {r.id: r for r in results}
