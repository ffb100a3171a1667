"""Build, clean and serve the site: the logic behind the invoke tasks.

A build runs Pelican into a fresh directory beside ``output/`` and swaps it in only when
Pelican finished without a single warning or error, so a failed or interrupted build never
replaces a good site.
"""
from __future__ import annotations

import functools
import hashlib
import http.server
import json
import logging
import os
import shutil
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import jinja2

from charts.errors import BuildError, Problem

ROOT = Path(__file__).resolve().parent.parent
WATCHED = ("content", "data", "charts", "theme", "pelicanconf.py")
#: Pages a complete build must have written.
REQUIRED_PAGES = ("index.html", "timeline/index.html", "food-for-munitions/index.html", "sources-and-method/index.html", "corrections/index.html", "about/index.html")

log = logging.getLogger("charts.site")


@dataclass(frozen=True)
class BuildResult:
    output: Path
    seconds: float
    charts_rendered: list[str]
    charts_total: int
    up_to_date: bool = False


#: Inputs beyond WATCHED whose change changes the site: pinned versions and publish settings.
PINNED = ("package-lock.json", "constraints.txt", "publishconf.py")
#: Overrides naming caches, which do not change what is built.
CACHE_SETTINGS = ("CHARTS_CACHE_DIR", "CHARTS_RUNTIME_DIR", "OUTPUT_PATH")


def fingerprint(settings_file: Path, overrides: dict) -> str:
    """A hash of everything a build reads, so an unchanged project need not be built again."""
    root = Path(settings_file).resolve().parent
    sources = Path(overrides.get("CHARTS_SOURCES_DIR") or root.parent / "shared" / "sources")
    paths = [root / name for name in WATCHED + PINNED] + [sources]
    paths += [Path(v) for k, v in overrides.items() if k not in CACHE_SETTINGS and isinstance(v, str) and v and Path(v).exists()]
    digest = hashlib.sha256(repr([str(Path(settings_file).resolve()), sorted((k, repr(v)) for k, v in overrides.items() if k not in CACHE_SETTINGS)]).encode())
    for path in paths:
        files = [path] if path.is_file() else sorted(p for p in path.rglob("*") if p.is_file() and "__pycache__" not in p.parts)
        for file in files:
            digest.update(str(file).encode() + b"\0" + hashlib.sha256(file.read_bytes()).digest())
    return digest.hexdigest()


def _stamp(output: Path) -> Path:
    return output.with_name(f".{output.name}.fingerprint")


class _Collector(logging.Handler):
    """Keeps every warning and error logged while Pelican runs."""

    def __init__(self):
        super().__init__(level=logging.WARNING)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


def build(settings_file: Path | str = ROOT / "pelicanconf.py", output: Path | str = ROOT / "output", overrides: dict | None = None, force: bool = False) -> BuildResult:
    """Build the site strictly and atomically; raise BuildError naming what went wrong.

    When nothing the build reads has changed since output/ was last built, it is left as it
    is (``force=True`` builds anyway).
    """
    started = time.perf_counter()
    output = Path(output).resolve()
    overrides = overrides or {}
    inputs = fingerprint(Path(settings_file), overrides)
    stamp = _stamp(output)
    if not force and output.is_dir() and stamp.is_file():
        record = json.loads(stamp.read_text(encoding="utf-8"))
        if record.get("fingerprint") == inputs:
            return BuildResult(output, time.perf_counter() - started, [], record["charts"], up_to_date=True)

    from pelican import Pelican
    from pelican.settings import read_settings

    from charts import pelican_plugin

    blocked = next((p for p in output.parents if p.exists() and not p.is_dir()), None)
    if blocked is not None:
        raise BuildError(Problem(str(blocked), "is a file, not a folder; cannot build the site inside it"))
    try:
        output.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(dir=output.parent, prefix=f".{output.name}.building-"))
    except OSError as exc:
        raise BuildError(Problem(str(output.parent), f"cannot build the site here: {exc.strerror}")) from None
    collector = _Collector()
    loggers = [logging.getLogger(name) for name in ("pelican", "charts", "markdown", "py.warnings")]
    for logger in loggers:
        logger.addHandler(collector)
    cwd = Path.cwd()
    try:
        os.chdir(Path(settings_file).resolve().parent)
        settings = read_settings(str(settings_file), override={"OUTPUT_PATH": str(staging), **overrides})
        pelican = Pelican(settings)
        try:
            pelican.run()
        except jinja2.TemplateError as exc:
            where = getattr(exc, "filename", None) or "theme"
            raise BuildError(Problem(str(where), f"template error: {exc.message or exc}", line=getattr(exc, "lineno", None))) from None
        problems = [*(_problem_of(e) for e in pelican_plugin.page_errors)]
        problems += [Problem("pelican", _message(r)) for r in collector.records if not _is_page_failure(r)]
        if not problems:
            problems = _check_complete(staging, output)
        if problems:
            raise BuildError(problems)
        prepared = settings["CHARTS_PREPARED"]
        stamp.unlink(missing_ok=True)
        _swap(staging, output)
        stamp.write_text(json.dumps({"fingerprint": inputs, "charts": len(prepared.charts)}), encoding="utf-8")
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    finally:
        os.chdir(cwd)
        for logger in loggers:
            logger.removeHandler(collector)
    return BuildResult(output, time.perf_counter() - started, prepared.rendered_now, len(prepared.charts))


def _problem_of(error: BuildError) -> Problem:
    return error.problems[0] if len(error.problems) == 1 else Problem("page", str(error))


def _is_page_failure(record: logging.LogRecord) -> bool:
    """Pelican's own 'Could not process' line, already reported with its reason."""
    from charts import pelican_plugin

    return record.getMessage().startswith("Could not process") and bool(pelican_plugin.page_errors)


def _message(record: logging.LogRecord) -> str:
    return f"{record.levelname.lower()}: {record.getMessage()}"


def _check_complete(staging: Path, output: Path) -> list[Problem]:
    missing = [page for page in REQUIRED_PAGES if not (staging / page).is_file()]
    return [Problem(str(output.name), f"the build wrote no {page}; a complete site has it") for page in missing]


def _swap(staging: Path, output: Path) -> None:
    """Put the new site in place; the old one is removed only after the new one is there."""
    old = None
    if output.exists():
        old = output.with_name(f".{output.name}.old-{os.getpid()}")
        os.replace(output, old)
    os.replace(staging, output)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def release(note: str, chart_ids: list[str] | None = None, package_path: Path | str | None = None) -> list:
    """Record a new version of each changed (or each named) chart; see charts/versions.py."""
    from charts import data, pipeline, versions

    prepared = pipeline.prepare(package_path=package_path or data.DEFAULT_PACKAGE)
    return versions.release(prepared, note, chart_ids)


def clean(output: Path | str = ROOT / "output", cache: Path | str = ROOT / ".cache") -> list[Path]:
    removed = []
    for path in (Path(output), Path(cache)):
        if path.exists():
            shutil.rmtree(path)
            removed.append(path)
    for leftover in Path(output).parent.glob(f".{Path(output).name}.*"):
        shutil.rmtree(leftover, ignore_errors=True)
    return removed


def _snapshot(root: Path) -> dict[Path, float]:
    stamps = {}
    for name in WATCHED:
        path = root / name
        files = [path] if path.is_file() else [p for p in path.rglob("*") if p.is_file() and "__pycache__" not in p.parts]
        stamps.update({f: f.stat().st_mtime for f in files})
    return stamps


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def serve_directory(directory: Path | str, port: int = 0, quiet: bool = True) -> tuple[http.server.ThreadingHTTPServer, str]:
    """Serve a folder on 127.0.0.1 from a background thread; return the server and its base URL.

    The folder is looked up on every request, so a build swapped in meanwhile is served at once.
    """
    handler = functools.partial(_QuietHandler if quiet else http.server.SimpleHTTPRequestHandler, directory=str(directory))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}"


def serve(port: int = 8000, output: Path | str = ROOT / "output", poll: float = 1.0) -> None:
    """Serve output/ on localhost and rebuild whenever a source file changes."""
    output = Path(output)
    server, url = serve_directory(output, port, quiet=False)
    print(f"Serving {output} at {url}/ (Ctrl-C to stop)")
    seen = None
    try:
        while True:
            current = _snapshot(ROOT)
            if current != seen:
                seen = current
                try:
                    result = build(output=output)
                    print(f"Built in {result.seconds:.1f}s; charts rendered: {len(result.charts_rendered)} of {result.charts_total}")
                except BuildError as exc:
                    print(f"Build failed; still serving the last good site:\n{exc}")
            time.sleep(poll)
    except KeyboardInterrupt:
        pass
    finally:
        server.shutdown()
