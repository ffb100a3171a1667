"""Publish the committed site to GitHub Pages with ghp-import, refusing anything unsafe.

What is published is exactly the commit at HEAD of the publish branch, nothing else: HEAD is
exported with ``git archive`` into a temporary folder and built there, by a separate Python
process whose working directory is that export (``python -m tools.publish build-export``).
So the build reads HEAD's pages, data, theme, settings and chart modules, and never the
working tree's: not an untracked draft, not an uncommitted edit, not a symlink to a file
elsewhere. Only the caches (rendered charts, the bundled runtime), the source documents and
``node_modules`` are shared with the project.

Order of work: lock; HEAD on the publish branch (``PUBLISH_BRANCH``, default ``main``);
working tree clean (``allow_dirty`` publishes HEAD all the same); SITEURL and CNAME of HEAD's
settings well-formed, and a REPOSITORY_URL for readers' error reports (from the environment, or
the checkout's GitHub remote ``origin``, which the export has no git to read); fetch the remote: HEAD not behind its publish branch, and its
``gh-pages`` either absent or made by our publishes; build the export into ``output/``;
quality gates; ghp-import onto the remote's ``gh-pages`` (``.nojekyll`` always, ``CNAME``
when set); a plain, non-forced push, unless the remote already has exactly this site. Any
refusal leaves the remote and the local ``gh-pages`` branch as they were.
"""
from __future__ import annotations

import argparse
import contextlib
import fcntl
import io
import json
import logging
import os
import re
import subprocess
import sys
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path

from charting import progress
from dataset.errors import BuildError, Problem
from plugin import reports

log = logging.getLogger(__name__)

ROOT = Path(__file__).resolve().parent.parent
#: The branch a publish must be made from, unless the settings' PUBLISH_BRANCH names another.
DEFAULT_PUBLISH_BRANCH = "main"
#: Settings whose relative paths point at things outside the commit, shared with the project.
SHARED_PATHS = ("CHARTS_SOURCES_DIR", "CHARTS_CACHE_DIR", "CHARTS_RUNTIME_DIR")
#: The trailer naming the full source commit in every gh-pages commit we make.
SOURCE_TRAILER = "Source-commit"


class PublishError(BuildError):
    """Publishing was refused or failed; nothing was pushed."""


@dataclass(frozen=True)
class PublishResult:
    commit: str | None
    pushed: bool
    message: str
    files: int
    bytes: int
    gates: list
    source: str | None = None


def _git(*args: str, cwd: Path = ROOT, check: bool = True) -> subprocess.CompletedProcess:
    completed = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, check=False)
    if check and completed.returncode != 0:
        raise PublishError(Problem("git", f"`git {' '.join(args)}` failed: {completed.stderr.strip() or completed.stdout.strip()}"))
    return completed


def _rev(ref: str, cwd: Path) -> str | None:
    """The object name of ``ref`` exactly as given (``x^{commit}``, ``x^{tree}``), or None."""
    completed = _git("rev-parse", "--verify", "--quiet", ref, cwd=cwd, check=False)
    return completed.stdout.strip() or None


def _commit(ref: str, cwd: Path) -> str | None:
    return _rev(f"{ref}^{{commit}}", cwd)


def _tree(ref: str, cwd: Path) -> str | None:
    return _rev(f"{ref}^{{tree}}", cwd)


def _is_ancestor(older: str, newer: str, cwd: Path) -> bool:
    return _git("merge-base", "--is-ancestor", older, newer, cwd=cwd, check=False).returncode == 0


def _refuse(where: str, message: str) -> PublishError:
    return PublishError(Problem(where, message))


@contextlib.contextmanager
def publish_lock(cwd: Path = ROOT):
    """One publish at a time: a second one is refused at once rather than interleaved."""
    git_dir = Path(_git("rev-parse", "--absolute-git-dir", cwd=cwd).stdout.strip())
    with open(git_dir / "fgs-publish.lock", "w") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise PublishError(Problem("invoke publish", "another publish is running in this repository; wait for it to finish")) from None
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


# -- checks ----------------------------------------------------------------------------------

_HOST_LABEL = re.compile(r"[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\Z", re.IGNORECASE)


def cname_problem(cname: str) -> str | None:
    """Why ``cname`` is not a bare host name (such as ``fgs.example.org``), or None if it is."""
    if re.search(r"\s", cname):
        return "it contains a space or a line break"
    if "://" in cname or cname.startswith("//"):
        return "it has a scheme; drop the https:// part"
    if "/" in cname or "?" in cname or "#" in cname:
        return "it has a path; keep only the host name"
    if "@" in cname:
        return "it has a user name; keep only the host name"
    if ":" in cname:
        return "it has a port; GitHub Pages serves the custom domain on the usual ports"
    labels = cname.split(".")
    if len(cname) > 253 or len(labels) < 2 or not all(_HOST_LABEL.match(label) for label in labels):
        return "it is not a host name: dot-separated labels of letters, digits and inner hyphens, such as fgs.example.org"
    return None


def _check_settings(settings: dict, settings_name: str) -> None:
    site_url = settings.get("SITEURL") or ""
    if not site_url.startswith(("https://", "http://")):
        raise _refuse(settings_name, "SITEURL must be the site's absolute address (set the SITEURL environment variable or edit publishconf.py)")
    cname = settings.get("CNAME") or ""
    reason = cname_problem(cname) if cname else None
    if reason:
        raise _refuse(settings_name, f"CNAME must be a bare host name such as fgs.example.org, got {cname!r}: {reason}")
    repository = settings.get("REPOSITORY_URL") or ""
    if not repository.startswith(("https://", "http://")):
        raise _refuse(
            settings_name,
            "REPOSITORY_URL must be the project's repository, such as https://github.com/<owner>/<repository>, where readers' error reports go "
            "(set the REPOSITORY_URL environment variable, or publish from a checkout whose remote origin is on GitHub)",
        )


def _check_head(cwd: Path) -> tuple[str, str]:
    """HEAD's commit and branch; refuses an unborn or detached HEAD."""
    head = _commit("HEAD", cwd)
    if head is None:
        raise _refuse("invoke publish", "there is no commit to publish yet; commit the site first")
    branch = _git("symbolic-ref", "--quiet", "--short", "HEAD", cwd=cwd, check=False).stdout.strip()
    if not branch:
        raise _refuse(
            "invoke publish",
            f"HEAD is detached (at {head[:10]}), so the site would come from no branch; check out the publish branch (git switch main) and publish from there",
        )
    return head, branch


def _check_clean(cwd: Path) -> None:
    changes = _git("status", "--porcelain", "--untracked-files=all", cwd=cwd).stdout.rstrip()
    if changes:
        raise _refuse(
            "invoke publish",
            "the working tree differs from HEAD (uncommitted changes or untracked files), and only HEAD is published:\n"
            f"{changes}\ncommit or remove them, or pass --allow-dirty to publish HEAD without them",
        )


def _remote_heads(remote: str, names: list[str], cwd: Path) -> dict[str, str]:
    """The remote's branches among ``names``, fetched into refs/remotes/<remote>/."""
    listed = _git("ls-remote", "--heads", remote, *(f"refs/heads/{name}" for name in names), cwd=cwd, check=False)
    if listed.returncode != 0:
        raise _refuse(remote, f"cannot read the remote, nothing was published: {listed.stderr.strip()}")
    heads = {}
    for line in listed.stdout.splitlines():
        sha, _, ref = line.partition("\t")
        name = ref.removeprefix("refs/heads/")
        if name in names:
            heads[name] = sha
    if heads:
        _git("fetch", "--quiet", "--no-tags", remote, *(f"+refs/heads/{n}:refs/remotes/{remote}/{n}" for n in heads), cwd=cwd)
    return heads


def _check_not_behind(remote: str, publish_branch: str, upstream: str | None, head: str, cwd: Path) -> None:
    if upstream is None or _is_ancestor(upstream, head, cwd):
        return
    missing = _git("rev-list", "--count", f"{head}..{upstream}", cwd=cwd).stdout.strip()
    raise _refuse(
        f"{remote}/{publish_branch}",
        f"has {missing} commit(s) that HEAD lacks, so publishing HEAD would take their changes off the site; "
        f"bring them in (git pull --ff-only {remote} {publish_branch}), then publish again",
    )


def published_source(commit: str, cwd: Path) -> str | None:
    """The source commit a gh-pages commit of ours names, if it names one we have."""
    message = _git("log", "-1", "--format=%B", commit, cwd=cwd).stdout
    found = re.search(rf"^{SOURCE_TRAILER}: ([0-9a-f]{{40}})$", message, re.MULTILINE) or re.match(r"Publish site from ([0-9a-f]{7,40}): ", message)
    return _commit(found.group(1), cwd) if found else None


def _check_pages_history(remote: str, branch: str, remote_head: str | None, last_published: str | None, head: str, publish_branch: str, cwd: Path) -> None:
    """The remote's gh-pages must be absent or grown from our publishes; else refuse."""
    if remote_head is None:
        return
    where = f"{remote}/{branch}"
    adopt = f"to publish on top of it, run `git branch -f {branch} {remote}/{branch}` and publish again"
    if last_published is not None:
        if _is_ancestor(last_published, remote_head, cwd):
            return
        if _git("merge-base", last_published, remote_head, cwd=cwd, check=False).returncode != 0:
            raise _refuse(
                where,
                f"shares no history with our last publish ({last_published[:10]}): it was replaced by a branch that is not ours. "
                f"Inspect it (git log {remote}/{branch}); if it is not ours, delete it (git push {remote} --delete {branch}) and publish again; {adopt}",
            )
        raise _refuse(
            where,
            f"no longer contains our last publish ({last_published[:10]}); someone rewrote it. Inspect it (git log {remote}/{branch}) before publishing again; {adopt}",
        )
    source = published_source(remote_head, cwd)
    if source is None or not _is_ancestor(source, head, cwd):
        raise _refuse(
            where,
            f"exists but was not published from this project's {publish_branch} (its last commit names no source commit in HEAD's history), "
            f"and we have never published here. If it is ours, fetch it and base on it: {adopt}; "
            f"if it is not, delete it (git push {remote} --delete {branch}) or publish to another remote",
        )


# -- the export of HEAD and its build --------------------------------------------------------


def export_commit(commit: str, target: Path, cwd: Path) -> None:
    """Write exactly the files of ``commit`` into ``target`` (no .git, nothing untracked)."""
    archive = subprocess.run(["git", "archive", "--format=tar", commit], cwd=cwd, capture_output=True, check=False)
    if archive.returncode != 0:
        raise _refuse("git archive", archive.stderr.decode(errors="replace").strip())
    target.mkdir(parents=True)
    with tarfile.open(fileobj=io.BytesIO(archive.stdout)) as tar:
        tar.extractall(target, filter="tar")
    root = target.resolve()
    for folder, dirs, files in os.walk(target):
        for name in dirs + files:
            path = Path(folder) / name
            if path.is_symlink() and not (path.parent.resolve() / os.readlink(path)).resolve().is_relative_to(root):
                raise _refuse(
                    str(path.relative_to(target)),
                    f"is a committed symlink to {os.readlink(path)}, outside the project, so the site would publish a file that is not committed; "
                    "commit the file itself instead",
                )


def _python_env(export: Path) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONSAFEPATH", "PYTHONHOME", "PYTHONSTARTUP")}
    env["PYTHONPATH"] = str(export)
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    return env


def _in_export(export: Path, command: str, **arguments) -> dict:
    """Run ``python -m tools.publish <command>`` inside the export; return its JSON answer."""
    answer = export.parent / f"{command}.json"
    argv = [sys.executable, "-m", "tools.publish", command, "--answer", str(answer)]
    for key, value in arguments.items():
        argv += [f"--{key.replace('_', '-')}", value if isinstance(value, str) else json.dumps(value)]
    completed = subprocess.run(argv, cwd=export, env=_python_env(export), capture_output=True, text=True, stdin=subprocess.DEVNULL, check=False)
    if completed.returncode != 0 or not answer.is_file():
        tail = "\n".join(completed.stderr.strip().splitlines()[-15:])
        raise _refuse("invoke publish", f"the {command} step on the export of HEAD stopped unexpectedly (exit code {completed.returncode}):\n{tail}")
    result = json.loads(answer.read_text(encoding="utf-8"))
    if result.get("problems"):
        raise PublishError([Problem(*problem) for problem in result["problems"]])
    return result


def _shared_paths(settings: dict, settings_dir: Path) -> dict:
    """Absolute paths, as seen from the project, for the settings that point outside the commit."""
    return {key: str((settings_dir / settings[key]).resolve()) for key in SHARED_PATHS if settings.get(key)}


# -- publish ---------------------------------------------------------------------------------


def publish(
    remote: str = "origin",
    branch: str = "gh-pages",
    allow_dirty: bool = False,
    dry_run: bool = False,
    settings_file: Path | None = None,
    output: Path | None = None,
    browser_gates: bool = True,
    html_gate: bool = True,
    overrides: dict | None = None,
    cwd: Path = ROOT,
) -> PublishResult:
    """Build HEAD with publishconf.py, run the gates, and publish it to ``remote``'s gh-pages.

    ``allow_dirty`` publishes HEAD even though the working tree differs from it (its changes
    and untracked files are never published). ``dry_run`` does every check and the build, and
    pushes nothing.
    """
    from tools import gates

    cwd = Path(cwd).resolve()
    settings_file = Path(settings_file or cwd / "publishconf.py").resolve()
    output = Path(output or cwd / "output").resolve()
    try:
        settings_name = str(settings_file.relative_to(cwd))
    except ValueError:
        raise _refuse(str(settings_file), "the settings file must be part of the project, so that it is committed") from None

    overrides = dict(overrides or {})
    if not overrides.get("REPOSITORY_URL"):
        # The export is not a git checkout, so the settings cannot read origin there: read it here.
        overrides["REPOSITORY_URL"] = reports.repository_url(cwd)
    with publish_lock(cwd):
        _step(1, "checking HEAD, the working tree and the remote")
        head, current = _check_head(cwd)
        with tempfile.TemporaryDirectory(prefix="fgs-publish-") as temporary:
            export = Path(temporary) / "export"
            export_commit(head, export, cwd)
            settings = _in_export(export, "settings", settings=settings_name, overrides=overrides)["settings"]
            publish_branch = settings.get("PUBLISH_BRANCH") or DEFAULT_PUBLISH_BRANCH
            if current != publish_branch:
                raise _refuse(
                    "invoke publish",
                    f"HEAD is on branch {current!r}, not the publish branch {publish_branch!r} (PUBLISH_BRANCH in {settings_name}); "
                    f"switch to it (git switch {publish_branch}) and publish from there",
                )
            if not allow_dirty:
                _check_clean(cwd)
            _check_settings(settings, settings_name)

            heads = _remote_heads(remote, [publish_branch, branch], cwd)
            _check_not_behind(remote, publish_branch, heads.get(publish_branch), head, cwd)
            last_published = _commit(f"refs/heads/{branch}", cwd)
            _check_pages_history(remote, branch, heads.get(branch), last_published, head, publish_branch, cwd)

            if not (export / "node_modules").exists() and (cwd / "node_modules").exists():
                (export / "node_modules").symlink_to((cwd / "node_modules").resolve())
            build_overrides = {**overrides, **_shared_paths(settings, settings_file.parent)}
            _step(2, f"building {head[:10]} with {settings_name}")
            _in_export(export, "build-export", settings=settings_name, output=str(output), overrides=build_overrides)

        _step(3, "running the quality gates")
        results = gates.run_all(output, settings["SITEURL"], browser=browser_gates, html=html_gate)
        failed = [r for r in results if not r.passed]
        if failed:
            raise PublishError([Problem("quality gate", r.summary()) for r in failed] + [p for r in failed for p in r.problems[:20]])
        files = [p for p in output.rglob("*") if p.is_file()]
        if not files:
            raise _refuse(str(output), "is empty; refusing to publish an empty site")
        size = sum(p.stat().st_size for p in files)
        short = _git("rev-parse", "--short", head, cwd=cwd).stdout.strip()
        subject = f"Publish site from {short}: {_git('log', '-1', '--format=%s', head, cwd=cwd).stdout.strip()}"
        if dry_run:
            return PublishResult(None, False, subject, len(files), size, results, head)
        message = f"{subject}\n\n{SOURCE_TRAILER}: {head}\n"
        _step(4, f"committing the site to {branch} with ghp-import and pushing it to {remote}")
        return _push(output, remote, branch, subject, message, settings.get("CNAME") or None, cwd, results, len(files), size, head, heads.get(branch), last_published)


#: The steps of a publish, for the progress shown while it runs.
STEPS = 4


def _step(number: int, what: str) -> None:
    progress.step(log, "publishing", number, STEPS, what)


def _push(output, remote, branch, subject, message, cname, cwd, results, files, size, head, remote_head, last_published) -> PublishResult:
    from ghp_import import GhpError, ghp_import

    if remote_head:  # build on what the remote has (it contains our last publish, if any)
        _git("update-ref", f"refs/heads/{branch}", remote_head, cwd=cwd)
    try:
        with contextlib.chdir(cwd):  # ghp-import works on the repository it is run in
            ghp_import(str(output), remote=remote, branch=branch, mesg=message, nojekyll=True, cname=cname, push=False)
    except GhpError as exc:
        _restore(branch, last_published, cwd)
        raise PublishError(Problem("ghp-import", exc.message)) from None
    commit = _commit(f"refs/heads/{branch}", cwd)
    if remote_head and _tree(commit, cwd) == _tree(remote_head, cwd):
        _git("update-ref", f"refs/heads/{branch}", remote_head, cwd=cwd)
        return PublishResult(remote_head, False, f"{remote}/{branch} already has exactly this site ({remote_head[:10]}); nothing was pushed", files, size, results, head)
    pushed = _git("push", "--porcelain", remote, f"refs/heads/{branch}:refs/heads/{branch}", cwd=cwd, check=False)
    if pushed.returncode != 0:
        _restore(branch, last_published, cwd)
        raise PublishError(Problem(f"{remote}/{branch}", f"the push was rejected, nothing was published: {pushed.stderr.strip() or pushed.stdout.strip()}"))
    return PublishResult(commit, True, subject, files, size, results, head)


def _restore(branch: str, commit: str | None, cwd: Path) -> None:
    """Put the local gh-pages branch back where it was before this publish."""
    if commit:
        _git("update-ref", f"refs/heads/{branch}", commit, cwd=cwd)
    else:
        _git("update-ref", "-d", f"refs/heads/{branch}", cwd=cwd, check=False)


# -- the steps run inside the export (python -m tools.publish ...) -------------------------


def _read_settings(settings: str, overrides: dict) -> dict:
    from pelican.settings import read_settings

    from plugin.hooks import DEFAULTS

    values = {**DEFAULTS, **read_settings(settings, override=overrides)}
    keys = ("SITEURL", "CNAME", "PUBLISH_BRANCH", "REPOSITORY_URL", *SHARED_PATHS)
    return {key: values.get(key) for key in keys}


def main(argv: list[str] | None = None) -> int:
    """Entry point of the build of an export: ``python -m tools.publish build-export ...``.

    Run with the export as working directory (and first on sys.path), so that every module,
    setting, page and chart comes from the exported commit. Writes its answer as JSON.
    """
    parser = argparse.ArgumentParser(prog="python -m tools.publish", description="Steps of invoke publish, run inside an export of HEAD.")
    parser.add_argument("command", choices=("settings", "build-export"))
    parser.add_argument("--answer", required=True, help="file to write the JSON answer to")
    parser.add_argument("--settings", required=True, help="the settings file, relative to the export")
    parser.add_argument("--overrides", default="{}", help="settings overrides as JSON")
    parser.add_argument("--output", help="where to build the site (build-export)")
    options = parser.parse_args(argv)
    here = Path.cwd().resolve()
    if ROOT != here:
        print(f"tools.publish: the charts package was imported from {ROOT}, not from the export {here}", file=sys.stderr)
        return 2
    overrides = json.loads(options.overrides)
    answer: dict = {}
    try:
        if options.command == "settings":
            answer["settings"] = _read_settings(options.settings, overrides)
        else:
            from tools import build as building

            result = building.build(options.settings, options.output, overrides=overrides, force=True)
            answer["charts_rendered"] = list(result.charts_rendered)
    except BuildError as exc:
        answer["problems"] = [[p.path, p.message, p.line, p.column] for p in exc.problems]
    Path(options.answer).write_text(json.dumps(answer), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
