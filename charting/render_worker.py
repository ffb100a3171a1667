"""The part of rendering that runs in worker processes: vl-convert calls and file writes.

Kept apart from :mod:`charting.render` so a spawned worker imports only this and vl-convert,
not pandas and Altair.
"""
from __future__ import annotations

import hashlib
import io
import json
import os
import re
import shutil
import tempfile
from pathlib import Path

import vl_convert as vlc

PNG_SCALE = 2
#: Background behind PNGs (SVGs stay transparent so the page colour shows through).
PNG_BACKGROUND = "#ffffff"


PAGE_FILES = ("page.vg.json", "page.svg")


def page_spec(spec):
    """The chart as a page places it: no legend, since the page sets the evidence key in HTML."""
    if isinstance(spec, list):
        return [page_spec(item) for item in spec]
    if not isinstance(spec, dict):
        return spec
    if isinstance(spec.get("encoding"), dict):
        channels = {name: {**channel, "legend": None} if isinstance(channel, dict) and "legend" in channel else channel for name, channel in spec["encoding"].items()}
        spec = {**spec, "encoding": channels}
    return {key: value if key in ("data", "datasets", "config") else page_spec(value) for key, value in spec.items()}


def render_entry(spec: dict, title: dict | None, directory: Path) -> None:
    """Render one artboard's page files (the one Vega run an artboard gets), and with a
    ``title`` the specs of its downloads, compiled but not drawn (runs in a worker)."""
    page_vega = vlc.vegalite_to_vega(page_spec(spec))
    files = {
        "page.vg.json": json.dumps(page_vega, separators=(",", ":")),
        "page.svg": svg_of(page_vega),
    }
    if title is not None:
        files.update(download_specs({**spec, "title": title}))
    write_entry(directory, files)


def download_specs(spec: dict) -> dict[str, str]:
    """The Vega-Lite spec a reader can take away (headline, subhead and legend drawn by Vega),
    and the Vega spec compiled from it."""
    return {
        "chart.vl.json": json.dumps(spec, indent=1),
        "chart.vg.json": json.dumps(swatches_like_marks(vlc.vegalite_to_vega(spec)), separators=(",", ":")),
    }


_CLIP_ID = re.compile(r'(id="|url\(#)(clip\d+)\b')


def svg_of(vega: dict) -> str:
    """The SVG of a compiled spec, the same whatever was rendered before it in this process.

    Vega numbers clip paths from a counter that lives as long as the renderer, so a chart drawn
    second in a worker would name its clips differently from the same chart drawn first, and two
    builds of one commit would differ. The ids are numbered again in the order they appear, and
    path coordinates are written to a tenth of a pixel.
    """
    svg = vlc.vega_to_svg(vega)
    numbers: dict[str, str] = {}

    def renumber(match: re.Match) -> str:
        new = numbers.setdefault(match.group(2), f"clip{len(numbers) + 1}")
        return match.group(1) + new

    return _PATH_DATA.sub(_tenths, _CLIP_ID.sub(renumber, svg))


_PATH_DATA = re.compile(r' d="[^"]*"')
_DECIMAL = re.compile(r"-?\d+\.\d+")


def _tenths(match: re.Match) -> str:
    """Path coordinates to a tenth of a pixel (Vega writes thousandths): a map's outlines weigh
    a sixth less, a third less gzipped, and no reader can see the difference."""
    return _DECIMAL.sub(lambda number: f"{float(number.group()):.1f}".rstrip("0").rstrip("."), match.group())


def swatches_like_marks(vega: dict) -> dict:
    """The compiled Vega spec with each legend swatch filled as its marks are.

    Vega-Lite merges fill, fill opacity, stroke and dash into one legend but does not always
    carry the fill opacity over, so a derived swatch came out solid beside outlined bars. Each
    legend's swatches read the marks' own ``fillOpacity`` scale here, so they cannot differ.
    """
    if not any(scale.get("name") == "fillOpacity" for scale in vega.get("scales", [])):
        return vega
    legends = []
    for legend in vega.get("legends", []):
        encode = legend.get("encode", {})
        symbols = encode.get("symbols", {})
        update = {**symbols.get("update", {}), "fillOpacity": {"scale": "fillOpacity", "field": "value"}}
        legends.append({**legend, "encode": {**encode, "symbols": {**symbols, "update": update}}})
    return {**vega, "legends": legends}


#: The image files each kind of composed SVG is drawn to.
IMAGE_KINDS = {"download": ("chart.svg", "chart.png", "chart-1x.png"), "card": ("card.png",)}


def image_files(svg: str, kind: str) -> dict[str, str | bytes]:
    """The images of a composed SVG (runs in a worker).

    A download keeps its SVG and gets a 2× PNG drawn from it and a 1× PNG reduced from the
    2×, so nothing is drawn twice; a social card is drawn once, at its own size.
    """
    if kind == "card":
        return {"card.png": vlc.svg_to_png(svg, scale=1)}
    png = vlc.svg_to_png(on_background(svg), scale=PNG_SCALE)
    return {"chart.svg": svg, "chart.png": png, "chart-1x.png": reduced_png(png, PNG_SCALE)}


def write_images(svg: str, kind: str, directory: Path) -> None:
    write_entry(directory, image_files(svg, kind))


def on_background(svg: str) -> str:
    """The SVG over a PNG_BACKGROUND rectangle (the SVG download stays transparent)."""
    start = svg.index(">", svg.index("<svg")) + 1
    return f'{svg[:start]}<rect width="100%" height="100%" fill="{PNG_BACKGROUND}"/>{svg[start:]}'


def reduced_png(png: bytes, factor: int) -> bytes:
    """A PNG ``factor`` times smaller on each side, written without metadata.

    Each pixel is the mean of the ``factor`` x ``factor`` block it replaces (Pillow's
    ``reduce``): for a whole-number factor that is all a downscale needs, it is quicker than a
    Lanczos resize and has none of its ringing around text, and the file comes out smaller.
    """
    from PIL import Image

    with Image.open(io.BytesIO(png)) as image:
        out = io.BytesIO()
        image.convert("RGB").reduce(factor).save(out, format="PNG")
        return out.getvalue()


#: Each cache entry records the SHA-256 of its files here when written, to be checked on reuse.
HASHES = "hashes.json"


def write_entry(directory: Path, files: dict[str, str | bytes]) -> None:
    """Write into a scratch directory and rename, so an interrupted render leaves no half entry."""
    directory.parent.mkdir(parents=True, exist_ok=True)
    scratch = Path(tempfile.mkdtemp(dir=directory.parent, prefix=".tmp-"))
    hashes = {}
    for name, content in files.items():
        data = content if isinstance(content, bytes) else content.encode("utf-8")
        (scratch / name).write_bytes(data)
        hashes[name] = hashlib.sha256(data).hexdigest()
    (scratch / HASHES).write_text(json.dumps(hashes, sort_keys=True), encoding="utf-8")
    if entry_damage(directory, tuple(files)) is None:
        # Another process sharing the cache wrote the same entry meanwhile (entries are named
        # by content, so it holds the same files): keep it.
        shutil.rmtree(scratch, ignore_errors=True)
        return
    shutil.rmtree(directory, ignore_errors=True)
    try:
        os.replace(scratch, directory)
    except OSError:
        shutil.rmtree(scratch, ignore_errors=True)
        if entry_damage(directory, tuple(files)) is not None:
            raise


def entry_damage(directory: Path, names: tuple[str, ...]) -> str | None:
    """Why a cache entry cannot be reused (None when every file matches its recorded hash)."""
    if not directory.is_dir():
        return "not rendered yet"
    try:
        recorded = json.loads((directory / HASHES).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return f"{directory.name}/{HASHES} is missing or damaged"
    for name in names:
        path = directory / name
        if not path.is_file():
            return f"{name} is missing"
        if not isinstance(recorded, dict) or hashlib.sha256(path.read_bytes()).hexdigest() != recorded.get(name):
            return f"{name} does not match the hash recorded when it was rendered"
    return None
