"""Build, clean and release: the logic behind invoke build, clean and release (serving is tools/serve.py).

A build runs Pelican into a fresh directory beside ``output/`` and swaps it in only when
Pelican finished without a single warning or error, so a failed or interrupted build never
replaces a good site.
"""
from __future__ import annotations

import hashlib
import json
import logging
import os
import shutil
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import jinja2

from dataset.errors import BuildError, Problem
from plugin import reports

ROOT = Path(__file__).resolve().parent.parent
#: The packages the site is made with; tools/ (this package, publish, gates, bench) is not one.
ENGINE = ("dataset", "charting", "plugin")
#: What a build reads, so what the fingerprint hashes and serve watches.
WATCHED = ("content", "data", "charts", *ENGINE, "theme", "locales", "pelicanconf.py")

log = logging.getLogger("tools.build")


@dataclass(frozen=True)
class BuildResult:
    output: Path
    seconds: float
    charts_rendered: list[str]
    charts_total: int
    up_to_date: bool = False
    #: Why the build ran although nothing it reads had changed (a damaged output/ or stamp).
    repaired: str | None = None
    #: Damaged render-cache entries that were rendered again, as "chart: what was wrong".
    cache_repaired: tuple[str, ...] = ()


#: Inputs beyond WATCHED whose change changes the site: pinned versions and publish settings.
PINNED = ("package-lock.json", "constraints.txt", "publishconf.py")
#: Overrides naming caches, which do not change what is built.
CACHE_SETTINGS = ("CHARTS_CACHE_DIR", "CHARTS_RUNTIME_DIR", "OUTPUT_PATH")
#: Modes of what the build writes, whatever the umask: a web server must be able to read it.
DIR_MODE, FILE_MODE = 0o755, 0o644


def fingerprint(settings_file: Path, overrides: dict) -> str:
    """A hash of everything a build reads, so an unchanged project need not be built again."""
    root = Path(settings_file).resolve().parent
    sources = Path(overrides.get("CHARTS_SOURCES_DIR") or root.parent / "shared" / "sources")
    paths = [root / name for name in WATCHED + PINNED] + [sources]
    paths += [Path(v) for k, v in overrides.items() if k not in CACHE_SETTINGS and isinstance(v, str) and v and Path(v).exists()]
    digest = hashlib.sha256(repr([str(Path(settings_file).resolve()), sorted((k, repr(v)) for k, v in overrides.items() if k not in CACHE_SETTINGS)]).encode())
    # The settings read REPOSITORY_URL from the environment or git, not from a file: hash it as it is now.
    digest.update(b"\0repository\0" + reports.repository_url(root).encode())
    for path in paths:
        # A symbolic link is hashed as where it points, not followed: the plugin refuses links
        # out of the project, and the fingerprint must not read what they point to first.
        files = [path] if path.is_file() else sorted(p for p in path.rglob("*") if (p.is_file() or p.is_symlink()) and "__pycache__" not in p.parts)
        for file in files:
            if file.is_symlink():
                digest.update(str(file).encode() + b"\0link\0" + os.readlink(file).encode())
                continue
            digest.update(str(file).encode() + b"\0" + hashlib.sha256(file.read_bytes()).digest())
    return digest.hexdigest()


def _stamp(output: Path) -> Path:
    return output.with_name(f".{output.name}.fingerprint")


def manifest(output: Path) -> dict[str, str]:
    """Every file under output/ with its SHA-256, by path relative to output/."""
    return {str(p.relative_to(output)): hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(output.rglob("*")) if p.is_file()}


def _read_stamp(stamp: Path) -> dict | None:
    """The record of the last build, or None if there is none or it is damaged (then: rebuild)."""
    try:
        record = json.loads(stamp.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(record, dict) or not isinstance(record.get("fingerprint"), str) or not isinstance(record.get("charts"), int):
        return None
    if not isinstance(record.get("files"), dict):
        return None
    return record


def _output_damage(output: Path, recorded: dict[str, str]) -> str | None:
    """What differs between output/ and what the last build wrote there, in a few words."""
    current = manifest(output)
    missing = sorted(set(recorded) - set(current))
    changed = sorted(name for name in set(recorded) & set(current) if recorded[name] != current[name])
    extra = sorted(set(current) - set(recorded))
    for label, names in (("missing", missing), ("changed", changed), ("not written by the build", extra)):
        if names:
            more = f" and {len(names) - 1} more" if len(names) > 1 else ""
            return f"{output.name}/{names[0]}{more} {label}"
    return None


def _write_atomically(path: Path, text: str) -> None:
    scratch = path.with_name(f"{path.name}.tmp-{os.getpid()}")
    scratch.write_text(text, encoding="utf-8")
    os.replace(scratch, path)


def english_only(settings: dict) -> dict:
    """Overrides that build the default language alone, its editions' pages left out: for a
    site whose new text has no translations yet (tests that change the data, the bench's
    generated charts)."""
    others = [lang for lang in settings["EDITIONS"] if lang != settings["DEFAULT_LANG"]]
    return {"EDITIONS": [settings["DEFAULT_LANG"]], "IGNORE_FILES": [*settings["IGNORE_FILES"], *(f"*.{lang}.md" for lang in others)]}


def _forget_earlier_warnings() -> None:
    """Pelican's LimitFilter drops a warning it has seen before in this process, and after five
    of a kind (five missing links, say) every further one: a second build in one process (tests,
    invoke publish after a build) would then pass over a warning that must fail it."""
    from pelican.log import LimitFilter

    LimitFilter._ignore.clear()
    LimitFilter._raised_messages.clear()
    LimitFilter._group_count.clear()


class _Collector(logging.Handler):
    """Keeps every warning and error logged while Pelican runs."""

    def __init__(self):
        super().__init__(level=logging.WARNING)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


def build(settings_file: Path | str = ROOT / "pelicanconf.py", output: Path | str = ROOT / "output", overrides: dict | None = None, force: bool = False) -> BuildResult:
    """Build the site strictly and atomically; raise BuildError naming what went wrong.

    When nothing the build reads has changed since output/ was last built, and output/ holds
    exactly what that build wrote, it is left as it is (``force=True`` builds anyway).
    """
    started = time.perf_counter()
    output = Path(output).resolve()
    overrides = overrides or {}
    blocked = next((p for p in output.parents if p.exists() and not p.is_dir()), None)
    if blocked is not None:
        raise BuildError(Problem(str(blocked), "is a file, not a folder; cannot build the site inside it"))
    _recover(output)
    inputs = fingerprint(Path(settings_file), overrides)
    stamp = _stamp(output)
    repaired = None
    record = _read_stamp(stamp) if output.is_dir() else None
    if not force and record is not None and record["fingerprint"] == inputs:
        repaired = _output_damage(output, record["files"])
        if repaired is None:
            return BuildResult(output, time.perf_counter() - started, [], record["charts"], up_to_date=True)
    elif not force and output.is_dir() and stamp.exists() and record is None:
        repaired = f"the record of the last build ({stamp.name}) is damaged"

    from pelican import Pelican
    from pelican.settings import read_settings

    from plugin.state import state_of

    try:
        output.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(dir=output.parent, prefix=f".{output.name}.building-{os.getpid()}-"))
    except OSError as exc:
        raise BuildError(Problem(str(output.parent), f"cannot build the site here: {exc.strerror}")) from None
    collector = _Collector()
    _forget_earlier_warnings()
    loggers = [logging.getLogger(name) for name in ("pelican", "markdown", "py.warnings", "charts", *ENGINE)]
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
        state = state_of(settings)
        page_problems = state.problems if state else []
        problems = page_problems + [Problem("pelican", _message(r)) for r in collector.records if not (page_problems and _is_page_failure(r))]
        if not problems:
            problems = _check_complete(staging, output, settings.get("REQUIRED_PAGES", ()))
        if problems:
            raise BuildError(problems)
        prepared = state.prepared
        _normalise_modes(staging)
        files = manifest(staging)
        _swap(staging, output)
        _write_atomically(stamp, json.dumps({"fingerprint": inputs, "charts": len(prepared.charts), "files": files}, indent=0, sort_keys=True))
    except OSError as exc:
        shutil.rmtree(staging, ignore_errors=True)
        raise BuildError(Problem(_shown_path(exc, staging, output), f"{exc.strerror or exc}; the build stopped and {output.name}/ was left as it was")) from None
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    finally:
        os.chdir(cwd)
        for logger in loggers:
            logger.removeHandler(collector)
    damaged = tuple(f"{cid}: {bundle.repaired}" for cid, bundle in prepared.charts.items() if bundle.repaired)
    return BuildResult(output, time.perf_counter() - started, prepared.rendered_now, len(prepared.charts), repaired=repaired, cache_repaired=damaged)


def _shown_path(exc: OSError, staging: Path, output: Path) -> str:
    """The path an OS error is about, with the staging folder shown as the output it becomes."""
    # A failed copy names its source first and its destination second: name the one the build
    # was writing (in the new site), else the first.
    named = [str(name) for name in (getattr(exc, "filename2", None), exc.filename) if name]
    path = next((name for name in named if name.startswith(str(staging))), named[-1] if named else str(output))
    return path.replace(str(staging), str(output)) if path.startswith(str(staging)) else path


#: Pelican's own lines about a page our plugin has already reported, with its reason.
_ALREADY_REPORTED = ("Could not process", "There are ")


def _is_page_failure(record: logging.LogRecord) -> bool:
    """Pelican's own line about a page already reported with its reason (a failed read, a
    duplicate slug), which would only repeat it less clearly."""
    return record.getMessage().startswith(_ALREADY_REPORTED)


def _message(record: logging.LogRecord) -> str:
    return f"{record.levelname.lower()}: {record.getMessage()}"


def _check_complete(staging: Path, output: Path, required: list[str]) -> list[Problem]:
    """Every page the settings' REQUIRED_PAGES name was written."""
    missing = [page for page in required if not (staging / page).is_file()]
    return [Problem(str(output.name), f"the build wrote no {page}; a complete site has it") for page in missing]


def _normalise_modes(root: Path) -> None:
    """Folders 0755 and files 0644, whatever the umask or mkdtemp chose."""
    root.chmod(DIR_MODE)
    for path in root.rglob("*"):
        if not path.is_symlink():
            path.chmod(DIR_MODE if path.is_dir() else FILE_MODE)


def _leftovers(output: Path, kind: str) -> list[tuple[Path, int | None]]:
    """Folders an earlier build left beside output/ (``building`` or ``old``), with their process id."""
    found = []
    for path in output.parent.glob(f".{output.name}.{kind}-*"):
        pid = path.name.removeprefix(f".{output.name}.{kind}-").split("-")[0]
        found.append((path, int(pid) if pid.isdigit() else None))
    return found


def _alive(pid: int | None) -> bool:
    if pid is None or pid == os.getpid():
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _recover(output: Path) -> None:
    """Finish what a build killed mid-swap left: put the last good site back, clear the rest.

    A swap renames output/ to ``.output.old-PID`` and then the new site to output/; a kill
    between the two leaves no output/. The old site is the last one that passed every check.
    """
    if not output.parent.is_dir():
        return
    old = sorted(((p, pid) for p, pid in _leftovers(output, "old") if not _alive(pid)), key=lambda item: item[0].stat().st_mtime)
    if not output.exists() and old:
        newest, _ = old.pop()
        os.replace(newest, output)
        log.info("restored %s from %s, left by an interrupted build", output.name, newest.name)
    for path, pid in old + _leftovers(output, "building"):
        if not _alive(pid):
            shutil.rmtree(path, ignore_errors=True)


def _swap(staging: Path, output: Path) -> None:
    """Put the new site in place; the old one is removed only after the new one is there.

    If the second rename fails, the old site goes back, so a failed swap changes nothing.
    """
    old = None
    if output.exists():
        old = output.with_name(f".{output.name}.old-{os.getpid()}")
        os.replace(output, old)
    try:
        os.replace(staging, output)
    except OSError:
        if old is not None:
            os.replace(old, output)
        raise
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def release(note: str, chart_ids: list[str] | None = None, package_path: Path | str | None = None) -> list:
    """Record a new version of each changed (or each named) chart; see charting/versions.py."""
    from charting import pipeline, versions
    from dataset import loading

    prepared = pipeline.prepare(package_path=package_path or loading.DEFAULT_PACKAGE)
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
