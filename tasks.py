"""Maintainer tasks. Each is a thin wrapper over a function in the charts package."""
import sys

from invoke import task

from dataset.errors import BuildError
from tools import build as building
from tools import gates, progress
from tools import publish as publishing
from tools import serve as serving
from tools import translations as translating


@task
def clean(c):
    """Remove output/ and the render caches."""
    for path in building.clean():
        print(f"removed {path}")


@task(help={"force": "build even if nothing changed since the last build"})
def build(c, force=False):
    """Validate the data, render the charts and build the site into output/."""
    try:
        with progress.reporting():
            result = building.build(force=force)
    except BuildError as exc:
        print(f"Build failed; output/ was left as it was.\n{exc}", file=sys.stderr)
        sys.exit(1)
    for damaged in result.cache_repaired:
        print(f"Rendered again, the cached copy was damaged: {damaged}")
    if result.repaired:
        print(f"Rebuilt although nothing it is built from changed: {result.repaired}")
    if result.up_to_date:
        print(f"{result.output} is up to date: nothing it is built from has changed (--force to build anyway); charts rendered: 0 of {result.charts_total}")
    else:
        print(f"Built {result.output} in {result.seconds:.1f}s; charts rendered: {len(result.charts_rendered)} of {result.charts_total} (the rest from cache)")


@task(help={"note": "what changed, shown to readers on the chart page", "chart": "one chart id (default: every changed chart)"})
def release(c, note, chart=None):
    """Record a new version of each chart whose data, design or titles changed."""
    try:
        released = building.release(note, [chart] if chart else None)
    except BuildError as exc:
        print(f"Nothing released.\n{exc}", file=sys.stderr)
        sys.exit(1)
    for version in released:
        print(f"{version.chart_id}: version {version.version} ({version.released})")
    if not released:
        print("Every chart matches its latest version; nothing to release.")


@task
def translations(c):
    """Extract every string the site shows into locales/messages.pot and update each edition's catalogue."""
    counts = translating.update()
    for lang, (untranslated, fuzzy) in counts.items():
        state = "complete" if not (untranslated or fuzzy) else f"{untranslated} untranslated, {fuzzy} to check (fuzzy)"
        print(f"{translating.editions.catalog_path(lang)}: {state}")
    if any(untranslated or fuzzy for untranslated, fuzzy in counts.values()):
        print("The build refuses a catalogue with untranslated or fuzzy strings: translate them (msgstr) and remove the fuzzy flags.")


@task(help={"browser": "also run the browser gates (axe, CSP violations, other hosts); default on"})
def check(c, browser=True):
    """Run the quality gates on output/: links, HTML validity, CSP, and in Chromium accessibility."""
    results = gates.run_all(building.ROOT / "output", browser=browser)
    for result in results:
        print(result.summary())
        for problem in result.problems:
            print(f"  {problem}")
    if not all(r.passed for r in results):
        sys.exit(1)


@task(
    help={
        "remote": "git remote to push gh-pages to (default origin)",
        "allow_dirty": "publish HEAD although the working tree has uncommitted changes or untracked files (they are never published)",
        "dry_run": "do every check and the build, then say what would be published, without publishing",
    }
)
def publish(c, remote="origin", allow_dirty=False, dry_run=False):
    """Build HEAD with publishconf.py, run the gates, and publish it to gh-pages with ghp-import."""
    try:
        with progress.reporting():
            result = publishing.publish(remote=remote, allow_dirty=allow_dirty, dry_run=dry_run)
    except BuildError as exc:
        print(f"Not published; nothing was pushed.\n{exc}", file=sys.stderr)
        sys.exit(1)
    for gate in result.gates:
        print(gate.summary())
    if dry_run:
        print(f"Dry run: would publish {result.files} files ({result.bytes / 1e6:.1f} MB) to {remote}/gh-pages as \"{result.message}\"")
    elif result.pushed:
        print(f"Published {result.files} files to {remote}/gh-pages: {result.commit[:10]} \"{result.message}\"")
    else:
        print(f"Nothing to publish: {result.message}")


@task
def serve(c, port=8000):
    """Serve output/ on localhost and rebuild when content, data, charts or theme change."""
    serving.serve(port=int(port))


@task(help={"sizes": "chart counts for the scale test, comma-separated (default 100,300,1000)", "lighthouse": "run Lighthouse (default on)"})
def bench(c, sizes="100,300,1000", lighthouse=True):
    """Measure reader and build speed against baselines run side by side; print the table."""
    from tools import bench as benchmark

    with progress.reporting():
        report = benchmark.run(sizes=tuple(int(n) for n in sizes.split(",")), lighthouse_runs=lighthouse)
    print(benchmark.table(report))
    print(f"\n(also written to {building.ROOT / '.bench' / 'latest.json'})")


@task(help={"args": "extra arguments for pytest, e.g. -k data"})
def test(c, args=""):
    """Run the whole test suite (unit, end-to-end build, headless Chromium)."""
    # Every core (pytest-xdist), an idle worker taking tests queued for a busy one; the workers
    # share one render cache (tests/conftest.py).
    c.run(f"{sys.executable} -m pytest -n auto --dist worksteal {args}", pty=False)
