"""Render built charts with vl-convert, once per content hash.

The key covers the Vega-Lite spec (which inlines the data and the theme's config) and the
versions of Altair and vl-convert, so a rebuild with nothing changed renders nothing.
"""
from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import tempfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import altair as alt
import vl_convert as vlc

from charts.registry import BuiltChart

DEFAULT_CACHE = Path(__file__).resolve().parent.parent / ".cache" / "charts"
PNG_SCALE = 2
#: Background behind PNGs (SVGs stay transparent so the page colour shows through).
PNG_BACKGROUND = "#ffffff"
FILES = ("spec.vl.json", "spec.vg.json", "chart.svg", "chart.png")


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
        return self.path("chart.svg").read_text(encoding="utf-8")

    @property
    def vega(self) -> dict:
        return json.loads(self.path("spec.vg.json").read_text(encoding="utf-8"))

    @property
    def size(self) -> tuple[float, float]:
        """Width and height of the chart in CSS pixels."""
        match = re.search(r'<svg[^>]*\bwidth="([\d.]+)"[^>]*\bheight="([\d.]+)"', self.svg)
        return float(match.group(1)), float(match.group(2))


def cache_key(built: BuiltChart) -> str:
    payload = json.dumps(
        {"spec": built.spec, "altair": alt.__version__, "vl-convert": vlc.__version__, "png": [PNG_SCALE, PNG_BACKGROUND]},
        sort_keys=True,
        default=str,
    )
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def render(built: BuiltChart, cache_dir: Path = DEFAULT_CACHE) -> Rendered:
    key = cache_key(built)
    directory = cache_dir / built.id / key[:20]
    if all((directory / name).is_file() for name in FILES):
        return Rendered(built.id, key, directory, rendered_now=False)
    vega = vlc.vegalite_to_vega(built.spec)
    svg = vlc.vega_to_svg(vega)
    png = vlc.vega_to_png({**vega, "background": PNG_BACKGROUND}, scale=PNG_SCALE)
    # Write into a scratch directory and rename, so an interrupted render leaves no half entry.
    (cache_dir / built.id).mkdir(parents=True, exist_ok=True)
    scratch = Path(tempfile.mkdtemp(dir=cache_dir / built.id, prefix=".tmp-"))
    (scratch / "spec.vl.json").write_text(json.dumps(built.spec, indent=1), encoding="utf-8")
    (scratch / "spec.vg.json").write_text(json.dumps(vega, separators=(",", ":")), encoding="utf-8")
    (scratch / "chart.svg").write_text(svg, encoding="utf-8")
    (scratch / "chart.png").write_bytes(png)
    shutil.rmtree(directory, ignore_errors=True)
    os.replace(scratch, directory)
    return Rendered(built.id, key, directory, rendered_now=True)


def render_all(built_charts: list[BuiltChart], cache_dir: Path = DEFAULT_CACHE, workers: int | None = None) -> dict[str, Rendered]:
    """Render charts in parallel threads (vl-convert releases the GIL while it works)."""
    workers = workers or min(len(built_charts), os.cpu_count() or 1) or 1
    with ThreadPoolExecutor(max_workers=workers) as pool:
        results = pool.map(lambda b: render(b, cache_dir), built_charts)
        return {r.id: r for r in results}
