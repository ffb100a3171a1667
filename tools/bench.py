"""`invoke bench`: how fast the site is for readers and to rebuild, each figure beside its
baseline measured in the same run (these machines are noisy, so only ratios are compared).

Reader side, on the real built site: bytes on the critical path against the same charts
published the default Altair way (``chart.save``, which loads Vega, Vega-Lite and
vega-embed from a CDN; we count the same files from pinned npm copies, as the CDN serves
them); the lazily loaded runtime; Lighthouse (mobile) on our pages and on a default Altair
page; layout shift while charts go live.

Build side: a cold build and a no-op rebuild against plain Pelican building the same pages
with the chart references removed; what one changed CSV row re-renders; and generated sites
of 100, 300 and 1,000 charts, for the growth exponent, cores used and peak memory.
"""
from __future__ import annotations

import gzip
import json
import math
import re
import shutil
import subprocess
import tempfile
import textwrap
import time
from pathlib import Path
from urllib.parse import urlsplit

from charting import pipeline
from tools import browser as browser_tools
from tools import serve as serving

ROOT = Path(__file__).resolve().parent.parent
NODE = ROOT / "node_modules"
#: What jsDelivr serves for the URLs in Altair's default HTML, from the pinned npm packages.
ALTAIR_CDN_FILES = {
    "https://cdn.jsdelivr.net/npm/vega@6": NODE / "vega" / "build" / "vega.min.js",
    "https://cdn.jsdelivr.net/npm/vega-lite@6.4.1": NODE / "vega-lite" / "build" / "vega-lite.min.js",
    "https://cdn.jsdelivr.net/npm/vega-embed@7": NODE / "vega-embed" / "build" / "vega-embed.min.js",
}
BUDGETS = {
    "critical_path_kb": 60,
    "runtime_kb": 200,
    "lighthouse_performance": 98,
    "lighthouse_other": 100,
    "cls": 0.0,
    "noop_rebuild_ratio": 1.3,
    "scale_exponent": 1.1,
    "peak_memory_mb": 2048,
}


def gz(data: bytes) -> int:
    return len(gzip.compress(data, compresslevel=9))


def critical_path(output: Path, page: str = "index.html") -> dict:
    """Compressed bytes a reader needs before the first render: HTML, CSS, blocking scripts."""
    html = (output / page).read_text(encoding="utf-8")
    styles = re.findall(r'<link rel="stylesheet" href="([^"]+)"', html)
    blocking = [src for tag, src in re.findall(r'(<script\b[^>]*\bsrc="([^"]+)"[^>]*>)', html) if not re.search(r"\b(defer|async)\b|type=\"module\"", tag)]
    files = [output / urlsplit(url).path.lstrip("/") for url in styles + blocking]
    return {
        "html_kb": gz(html.encode()) / 1000,
        "css_kb": sum(gz(f.read_bytes()) for f in files if f.suffix == ".css") / 1000,
        "blocking_scripts": len(blocking),
        "total_kb": (gz(html.encode()) + sum(gz(f.read_bytes()) for f in files)) / 1000,
    }


def altair_default(prepared, chart_ids: list[str], folder: Path) -> dict:
    """The same charts saved the default Altair way; the CDN libraries are counted once."""
    import altair as alt
    from altair.utils.html import spec_to_html

    folder.mkdir(parents=True, exist_ok=True)
    pages = 0
    for chart_id in chart_ids:
        path = folder / f"{chart_id}.html"
        # What chart.save() writes: the spec in Altair's standard page, libraries from the CDN.
        spec = prepared.charts[chart_id].built.spec
        path.write_text(spec_to_html(spec, "vega-lite", alt.VEGA_VERSION, alt.VEGAEMBED_VERSION, alt.VEGALITE_VERSION), encoding="utf-8")
        pages += gz(path.read_bytes())
    libraries = sum(gz(path.read_bytes()) for path in ALTAIR_CDN_FILES.values())
    raw = sum(path.stat().st_size for path in ALTAIR_CDN_FILES.values())
    return {"html_kb": pages / 1000, "libraries_kb": libraries / 1000, "libraries_raw_kb": raw / 1000, "total_kb": (pages + libraries) / 1000, "blocking_scripts": 3}


def runtime_size(output: Path) -> dict:
    files = [output / "theme" / "js" / name for name in ("vega-runtime.js", "live-charts.js")]
    return {"total_kb": sum(gz(f.read_bytes()) for f in files) / 1000, "files": [f.name for f in files]}


def _local_altair_page(folder: Path, chart_id: str) -> Path:
    """A default Altair page with its CDN URLs pointed at local copies, to run Lighthouse offline."""
    page = folder / f"{chart_id}.html"
    html = page.read_text(encoding="utf-8")
    for url, path in ALTAIR_CDN_FILES.items():
        local = folder / "cdn" / path.name
        local.parent.mkdir(exist_ok=True)
        shutil.copyfile(path, local)
        html = html.replace(f'src="{url}"', f'src="cdn/{path.name}"')
    target = folder / f"{chart_id}.local.html"
    target.write_text(html, encoding="utf-8")
    return target


def lighthouse(url: str) -> dict:
    """Lighthouse's mobile scores (0-100) for one page, with Debian's Chromium."""
    binary = NODE / ".bin" / "lighthouse"
    chromium = browser_tools.executable()
    with tempfile.TemporaryDirectory() as profile:
        command = [
            str(binary), url, "--quiet", "--output=json", "--output-path=stdout",
            "--only-categories=performance,accessibility,best-practices,seo",
            f"--chrome-flags={' '.join(browser_tools.FLAGS)} --user-data-dir={profile}",
        ]
        completed = subprocess.run(command, capture_output=True, text=True, env={"CHROME_PATH": chromium or "", "PATH": "/usr/bin:/bin"}, timeout=300, check=False)
    if completed.returncode != 0:
        return {"error": completed.stderr.strip()[-300:]}
    report = json.loads(completed.stdout)
    return {name: round((category["score"] or 0) * 100) for name, category in report["categories"].items()}


def layout_shift(base_url: str, browser=None) -> float:
    """Cumulative layout shift while a reader scrolls the explainer and every chart goes live."""
    if browser is None:
        with browser_tools.launched() as launched:
            return layout_shift(base_url, launched)
    page = browser.new_page(viewport={"width": 412, "height": 823})
    page.add_init_script(
        "window.__cls = 0; new PerformanceObserver((list) => { for (const e of list.getEntries()) if (!e.hadRecentInput) window.__cls += e.value; })"
        ".observe({type: 'layout-shift', buffered: true});"
    )
    page.goto(base_url + "/")
    browser_tools.wait_for_charts(page)
    page.wait_for_timeout(500)
    value = page.evaluate("() => window.__cls")
    page.close()
    return round(value, 4)


def _python(code: str) -> tuple[float, str]:
    """Run code in a fresh interpreter, as a maintainer's command would; wall seconds and output."""
    import sys

    started = time.perf_counter()
    completed = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=3600, check=False)
    if completed.returncode != 0:
        raise RuntimeError(completed.stderr[-2000:])
    return time.perf_counter() - started, completed.stdout


def plain_pelican(workdir: Path) -> float:
    """Plain Pelican, default theme and no plugin, on the same pages with references removed."""
    content = workdir / "plain-content"
    if not content.exists():
        shutil.copytree(ROOT / "content", content)
        for page in content.rglob("*.md"):
            page.write_text(re.sub(r"\{\{[^}]*\}\}", "", page.read_text(encoding="utf-8")), encoding="utf-8")
    override = {"PATH": str(content), "OUTPUT_PATH": str(workdir / "plain-output"), "PAGE_PATHS": ["pages"], "ARTICLE_PATHS": [], "SITEURL": "", "CACHE_CONTENT": False, "DELETE_OUTPUT_DIRECTORY": True}
    seconds, _ = _python(f"from pelican import Pelican; from pelican.settings import read_settings; Pelican(read_settings(None, override={override!r})).run()")
    return seconds


def our_build(output: Path, cache: Path, **settings) -> tuple[float, int]:
    """`invoke build`'s work in a fresh interpreter: seconds, and how many charts it rendered."""
    overrides = {"CHARTS_CACHE_DIR": str(cache), **settings}
    seconds, printed = _python(f"from tools import build as building; print(len(building.build(output={str(output)!r}, overrides={overrides!r}).charts_rendered))")
    return seconds, int(printed.split()[-1])


def build_side(workdir: Path) -> dict:
    cache, output = workdir / "cache", workdir / "output"
    cold, cold_rendered = our_build(output, cache)
    noop, noop_rendered = min(our_build(output, cache) for _ in range(3))
    forced, _ = min(_python(f"from tools import build as building; building.build(output={str(output)!r}, overrides={{'CHARTS_CACHE_DIR': {str(cache)!r}}}, force=True)") for _ in range(3))
    plain = min(plain_pelican(workdir) for _ in range(3))
    render_seconds, _ = _python("from charts import pipeline; import pathlib, tempfile; pipeline.prepare(cache_dir=pathlib.Path(tempfile.mkdtemp()))")
    data = workdir / "data"
    shutil.copytree(ROOT / "data", data)
    figures = data / "figures.csv"
    figures.write_text(figures.read_text(encoding="utf-8").replace('"18% of children"', '"18 per cent of children"'), encoding="utf-8")
    changed = pipeline.prepare(package_path=data / "datapackage.yaml", cache_dir=cache)
    return {
        "cold_build_s": round(cold, 2),
        "cold_charts_rendered": cold_rendered,
        "plain_pelican_s": round(plain, 3),
        "cold_vs_plain": round(cold / plain, 1),
        "render_per_chart_s": round(render_seconds / cold_rendered, 3),
        "noop_rebuild_s": round(noop, 3),
        "noop_vs_plain": round(noop / plain, 2),
        "noop_charts_rendered": noop_rendered,
        "forced_rebuild_s": round(forced, 3),
        "forced_vs_plain": round(forced / plain, 2),
        "one_row_changed_rendered": changed.rendered_now,
    }


SYNTHETIC_CHART = '''
"""Synthetic chart {n}, for the scale benchmark."""
import altair as alt
from charting.plotting import figure_rows
from charting.registry import Furniture
from charting.theme import status_encodings

FURNITURE = Furniture(headline="Synthetic chart {n}", subhead="Generated", alt="Synthetic chart {n}.", description="Bars of real figures.")
IDS = {ids!r}


def build(data, layout):
    plotted = figure_rows(data, {{fid: f"{n}: {{fid}}" for fid in IDS}})
    return alt.Chart(plotted).mark_bar().encode(x="value:Q", y="label:N", **status_encodings(data.evidence, plotted["status"])).properties(width=layout.width)
'''


def scale(workdir: Path, sizes=(100, 300, 1000)) -> dict:
    """Cold builds of generated sites: the real charts and pages plus N generated charts, each
    released and given its chart page, embed and downloads, in a fresh process per size."""
    import sys

    points = []
    usd = ["ag_exports_2025_jan_jul", "flour_exports_2025_jan_jul", "pork_exports_2025_jan_jul", "other_ag_exports_2025_jan_jul", "ag_exports_2024_jan_jul"]
    for size in sizes:
        folder = workdir / f"scale{size}"
        package = folder / f"synthetic_{size}"
        shutil.copytree(ROOT / "charts", package, ignore=shutil.ignore_patterns("__pycache__"))
        for n in range(size):
            ids = usd[: 2 + n % 4]
            (package / f"chart_{n:04d}.py").write_text(textwrap.dedent(SYNTHETIC_CHART.format(n=n, ids=ids)))
        data = folder / "data"
        shutil.copytree(ROOT / "data", data)
        (data / "chart_versions.csv").write_text("chart_id,version,released,spec_sha256,what_changed\n", encoding="utf-8")
        shutil.rmtree(data / "chart_archive")
        script = textwrap.dedent(
            f"""
            import resource, sys, time
            from pathlib import Path
            sys.path.insert(0, {str(folder)!r}); sys.path.insert(0, {str(ROOT)!r})
            from charting import pipeline
            from tools import build as building
            from charting import versions
            if __name__ == "__main__":
                started = time.perf_counter()
                prepared = pipeline.prepare(package_path=Path({str(data / "datapackage.yaml")!r}), catalog={package.name!r}, cache_dir=Path({str(folder / "cache")!r}))
                versions.release(prepared, "Generated for the scale benchmark.")
                building.build(output=Path({str(folder / "output")!r}), overrides={{"CHARTS_CATALOG": {package.name!r}, "CHARTS_DATA_PACKAGE": {str(data / "datapackage.yaml")!r}, "CHARTS_CACHE_DIR": {str(folder / "cache")!r}}})
                wall = time.perf_counter() - started
                own, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
                print(wall, own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime, max(own.ru_maxrss, kids.ru_maxrss))
            """
        )
        runner = folder / "run.py"
        runner.write_text(script)
        completed = subprocess.run([sys.executable, str(runner)], capture_output=True, text=True, cwd=ROOT, timeout=3600, check=False)
        if completed.returncode != 0:
            raise RuntimeError(completed.stderr[-2000:])
        wall, cpu, rss_kb = map(float, completed.stdout.split()[-3:])
        pages = len(list((folder / "output").rglob("*.html")))
        points.append({"charts": size, "seconds": round(wall, 1), "pages": pages, "cores_used": round(cpu / wall, 2), "peak_memory_mb": round(rss_kb / 1024)})
        shutil.rmtree(folder, ignore_errors=True)
    xs = [math.log(p["charts"]) for p in points]
    ys = [math.log(p["seconds"]) for p in points]
    mean_x, mean_y = sum(xs) / len(xs), sum(ys) / len(ys)
    exponent = sum((x - mean_x) * (y - mean_y) for x, y in zip(xs, ys)) / sum((x - mean_x) ** 2 for x in xs)
    return {"points": points, "exponent": round(exponent, 3)}


def run(sizes=(100, 300, 1000), lighthouse_runs: bool = True) -> dict:
    """Every measurement, in one run; the result is also written under .bench/."""
    workdir = Path(tempfile.mkdtemp(prefix="fgs-bench-"))
    report: dict = {"machine": _machine()}
    report["build"] = build_side(workdir)
    # Readers get the published configuration: absolute URLs, here pointing at a local server.
    output = workdir / "site"
    output.mkdir()
    server, base = serving.serve_directory(output)
    our_build(output, workdir / "cache", SITEURL=base)
    prepared = pipeline.prepare(cache_dir=workdir / "cache")
    explainer_charts = re.findall(r'<figure class="chart" id="chart-([a-z0-9_]+)"', (output / "index.html").read_text())
    ours = critical_path(output)
    default = altair_default(prepared, explainer_charts, workdir / "altair")
    report["reader"] = {"ours": ours, "altair_default": default, "ratio_default_over_ours": round(default["total_kb"] / ours["total_kb"], 1), "runtime": runtime_size(output)}
    altair_server, altair_base = serving.serve_directory(workdir / "altair")
    try:
        report["reader"]["cls"] = layout_shift(base)
        if lighthouse_runs:
            local = _local_altair_page(workdir / "altair", explainer_charts[0])
            report["lighthouse"] = {
                "explainer": lighthouse(base + "/"),
                "chart_page": lighthouse(base + "/charts/food_scale/"),
                "embed_page": lighthouse(base + "/charts/food_scale/embed/"),
                "altair_default": lighthouse(f"{altair_base}/{local.name}"),
            }
    finally:
        server.shutdown()
        altair_server.shutdown()
    report["scale"] = scale(workdir, sizes)
    report["budgets"] = check_budgets(report)
    shutil.rmtree(workdir, ignore_errors=True)
    out = ROOT / ".bench"
    out.mkdir(exist_ok=True)
    (out / "latest.json").write_text(json.dumps(report, indent=1), encoding="utf-8")
    return report


def check_budgets(report: dict) -> dict:
    reader, build = report["reader"], report["build"]
    verdicts = {
        "critical path <= 60 KB gz, no blocking script": reader["ours"]["total_kb"] <= BUDGETS["critical_path_kb"] and reader["ours"]["blocking_scripts"] == 0,
        "runtime <= 200 KB gz": reader["runtime"]["total_kb"] <= BUDGETS["runtime_kb"],
        "CLS = 0": reader.get("cls", 1) <= BUDGETS["cls"],
        "no-op rebuild <= 1.3x plain Pelican, renders nothing": build["noop_vs_plain"] <= BUDGETS["noop_rebuild_ratio"] and build["noop_charts_rendered"] == 0,
        "one changed row re-renders only its chart": build["one_row_changed_rendered"] == ["hunger"],
        "scale exponent <= 1.1": report["scale"]["exponent"] <= BUDGETS["scale_exponent"],
        "peak memory < 2 GB": all(p["peak_memory_mb"] < BUDGETS["peak_memory_mb"] for p in report["scale"]["points"]),
        "uses both cores at scale": report["scale"]["points"][-1]["cores_used"] >= 1.5,
    }
    for page in ("explainer", "chart_page", "embed_page"):
        scores = report.get("lighthouse", {}).get(page)
        if scores and "error" not in scores:
            verdicts[f"Lighthouse {page}: performance >= 98, others 100"] = scores["performance"] >= BUDGETS["lighthouse_performance"] and all(
                scores[k] >= BUDGETS["lighthouse_other"] for k in ("accessibility", "best-practices", "seo")
            )
    return verdicts


def _machine() -> dict:
    import os
    import platform

    return {"cpus": os.cpu_count(), "python": platform.python_version(), "platform": platform.platform(), "memory_gb": round(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30, 1)}


def table(report: dict) -> str:
    """The report as a plain-text table of figures and ratios."""
    r, b, s = report["reader"], report["build"], report["scale"]
    rows = [
        ("Machine", f"{report['machine']['cpus']} cores, {report['machine']['memory_gb']} GB, Python {report['machine']['python']}", "", ""),
        ("Critical path, explainer (gz)", f"{r['ours']['total_kb']:.1f} KB, {r['ours']['blocking_scripts']} blocking scripts", f"{r['altair_default']['total_kb']:.1f} KB, 3 blocking", f"{r['ratio_default_over_ours']}x smaller"),
        ("Live runtime, lazy (gz)", f"{r['runtime']['total_kb']:.1f} KB", f"{r['altair_default']['libraries_kb']:.1f} KB up front", ""),
        ("Layout shift as charts go live", f"{r.get('cls')}", "", ""),
        ("Cold build", f"{b['cold_build_s']} s", f"plain Pelican {b['plain_pelican_s']} s", f"{b['cold_vs_plain']}x"),
        ("Render per chart", f"{b['render_per_chart_s']} s", "", ""),
        ("No-op rebuild", f"{b['noop_rebuild_s']} s, {b['noop_charts_rendered']} charts rendered", f"plain Pelican {b['plain_pelican_s']} s", f"{b['noop_vs_plain']}x"),
        ("Forced rebuild, warm cache", f"{b['forced_rebuild_s']} s", f"plain Pelican {b['plain_pelican_s']} s", f"{b['forced_vs_plain']}x"),
        ("One CSV row changed", f"re-rendered {', '.join(b['one_row_changed_rendered']) or 'nothing'}", "", ""),
    ]
    for name, scores in report.get("lighthouse", {}).items():
        shown = ", ".join(f"{k} {v}" for k, v in scores.items())
        rows.append((f"Lighthouse mobile: {name}", shown, "", ""))
    for point in s["points"]:
        rows.append((f"Scale: site with {point['charts']} more charts", f"{point['seconds']} s cold, {point['pages']} pages", f"{point['cores_used']} cores, {point['peak_memory_mb']} MB peak", ""))
    rows.append(("Scale: fitted exponent", f"{s['exponent']}", "budget 1.1", ""))
    width = max(len(row[0]) for row in rows)
    lines = [f"{'measure'.ljust(width)}  ours | baseline | ratio"]
    lines += [f"{name.ljust(width)}  {ours} | {base} | {ratio}" for name, ours, base, ratio in rows]
    lines.append("")
    lines += [f"{'PASS' if ok else 'OVER'}  {budget}" for budget, ok in report["budgets"].items()]
    return "\n".join(lines)
