"""Publish the built site to GitHub Pages with ghp-import, refusing anything unsafe.

Order of work: lock, clean working tree, strict build with publishconf.py, quality gates,
check the remote, then ghp-import into the ``gh-pages`` branch (``.nojekyll`` always, a
``CNAME`` when configured) and a plain, non-forced push. Any refusal leaves the remote and
the local ``gh-pages`` branch as they were.
"""
from __future__ import annotations

import contextlib
import fcntl
import subprocess
from dataclasses import dataclass
from pathlib import Path

from charts import gates, site
from charts.errors import BuildError, Problem

ROOT = Path(__file__).resolve().parent.parent


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


def _git(*args: str, cwd: Path = ROOT, check: bool = True) -> subprocess.CompletedProcess:
    completed = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True)
    if check and completed.returncode != 0:
        raise PublishError(Problem("git", f"`git {' '.join(args)}` failed: {completed.stderr.strip() or completed.stdout.strip()}"))
    return completed


def _rev(ref: str, cwd: Path) -> str | None:
    completed = _git("rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}", cwd=cwd, check=False)
    return completed.stdout.strip() or None


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


def publish(
    remote: str = "origin",
    branch: str = "gh-pages",
    allow_dirty: bool = False,
    dry_run: bool = False,
    settings_file: Path = ROOT / "publishconf.py",
    output: Path = ROOT / "output",
    browser_gates: bool = True,
    overrides: dict | None = None,
    cwd: Path = ROOT,
) -> PublishResult:
    from pelican.settings import read_settings

    with publish_lock(cwd):
        if not allow_dirty:
            changes = _git("status", "--porcelain", "--untracked-files=no", cwd=cwd).stdout.strip()
            if changes:
                raise PublishError(Problem("invoke publish", f"the working tree has uncommitted changes, so the site would not match any commit:\n{changes}\ncommit them, or pass --allow-dirty"))
        settings = read_settings(str(settings_file), override=overrides or {})
        site_url = settings.get("SITEURL", "")
        if not site_url.startswith(("https://", "http://")):
            raise PublishError(Problem(str(settings_file.name), "SITEURL must be the site's absolute address (set the SITEURL environment variable or edit publishconf.py)"))
        # Always a full build: what is published must come from this commit, not an earlier build.
        site.build(settings_file, output, overrides=overrides, force=True)
        results = gates.run_all(output, site_url, browser=browser_gates)
        failed = [r for r in results if not r.passed]
        if failed:
            raise PublishError([Problem("quality gate", r.summary()) for r in failed] + [p for r in failed for p in r.problems[:20]])
        files = [p for p in output.rglob("*") if p.is_file()]
        if not files:
            raise PublishError(Problem(str(output), "is empty; refusing to publish an empty site"))
        size = sum(p.stat().st_size for p in files)
        source = _git("rev-parse", "--short", "HEAD", cwd=cwd).stdout.strip()
        subject = _git("log", "-1", "--format=%s", cwd=cwd).stdout.strip()
        message = f"Publish site from {source}: {subject}"
        if dry_run:
            return PublishResult(None, False, message, len(files), size, results)
        return _push(output, remote, branch, message, settings.get("CNAME") or None, cwd, results, len(files), size)


def _push(output: Path, remote: str, branch: str, message: str, cname: str | None, cwd: Path, results, files: int, size: int) -> PublishResult:
    from ghp_import import GhpError, ghp_import

    has_remote_branch = _git("ls-remote", "--exit-code", "--heads", remote, branch, cwd=cwd, check=False).returncode == 0
    if has_remote_branch:
        _git("fetch", "--quiet", remote, f"+refs/heads/{branch}:refs/remotes/{remote}/{branch}", cwd=cwd)
    remote_head = _rev(f"refs/remotes/{remote}/{branch}", cwd) if has_remote_branch else None
    last_published = _rev(f"refs/heads/{branch}", cwd)
    if last_published and remote_head and _git("merge-base", "--is-ancestor", last_published, remote_head, cwd=cwd, check=False).returncode != 0:
        raise PublishError(
            Problem(f"{remote}/{branch}", f"the remote branch no longer contains our last publish ({last_published[:10]}); someone rewrote it. Inspect it before publishing again")
        )
    try:
        with contextlib.chdir(cwd):  # ghp-import works on the repository it is run in
            ghp_import(str(output), remote=remote, branch=branch, mesg=message, nojekyll=True, cname=cname, push=False)
    except GhpError as exc:
        _restore(branch, last_published, cwd)
        raise PublishError(Problem("ghp-import", exc.message)) from None
    commit = _rev(f"refs/heads/{branch}", cwd)
    if remote_head and _rev(f"{commit}^{{tree}}", cwd) == _rev(f"{remote_head}^{{tree}}", cwd):
        _git("update-ref", f"refs/heads/{branch}", remote_head, cwd=cwd)
        return PublishResult(remote_head, False, "already published: the remote has exactly this site", files, size, results)
    pushed = _git("push", "--porcelain", remote, f"refs/heads/{branch}:refs/heads/{branch}", cwd=cwd, check=False)
    if pushed.returncode != 0:
        _restore(branch, remote_head or last_published, cwd)
        raise PublishError(Problem(f"{remote}/{branch}", f"the push was rejected, nothing was published: {pushed.stderr.strip() or pushed.stdout.strip()}"))
    return PublishResult(commit, True, message, files, size, results)


def _restore(branch: str, commit: str | None, cwd: Path) -> None:
    """Put the local gh-pages branch back where it was before this publish."""
    if commit:
        _git("update-ref", f"refs/heads/{branch}", commit, cwd=cwd)
    else:
        _git("update-ref", "-d", f"refs/heads/{branch}", cwd=cwd, check=False)
