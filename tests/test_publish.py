"""`invoke publish` for real: ghp-import into a local bare repository standing in for GitHub."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from charts import publish as publishing
from charts.errors import BuildError

ROOT = Path(__file__).resolve().parent.parent
SITEURL = "https://example.org/fgs"


def _git(cwd: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True, text=True).stdout.strip()


@pytest.fixture()
def project(tmp_path) -> Path:
    """The project as a fresh clone would have it, committed, with a bare remote as origin."""
    copy = tmp_path / "main"
    for name in subprocess.run(["git", "ls-files"], cwd=ROOT, check=True, capture_output=True, text=True).stdout.splitlines():
        source = ROOT / name
        if source.is_file():
            (copy / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, copy / name)
    (copy / "node_modules").symlink_to(ROOT / "node_modules")
    (tmp_path / "shared").symlink_to(ROOT.parent / "shared")
    _git(copy, "init", "-q", "-b", "main")
    _git(copy, "config", "user.name", "Test Publisher")
    _git(copy, "config", "user.email", "publisher@example.org")
    _git(copy, "add", "-A")
    _git(copy, "commit", "-q", "-m", "Site source")
    _git(tmp_path, "init", "-q", "--bare", "remote.git")
    _git(copy, "remote", "add", "origin", str(tmp_path / "remote.git"))
    return copy


def _remote(project: Path) -> Path:
    return project.parent / "remote.git"


def _remote_head(project: Path) -> str | None:
    completed = subprocess.run(["git", "rev-parse", "--verify", "--quiet", "refs/heads/gh-pages"], cwd=_remote(project), capture_output=True, text=True)
    return completed.stdout.strip() or None


def _publish(project: Path, render_cache: Path, **options):
    return publishing.publish(
        cwd=project,
        settings_file=project / "publishconf.py",
        output=project / "output",
        browser_gates=False,
        overrides={"SITEURL": SITEURL, "CHARTS_CACHE_DIR": str(render_cache)},
        **options,
    )


def test_invoke_publish_puts_the_site_nojekyll_and_cname_on_gh_pages(project):
    env = {**{k: v for k, v in os.environ.items() if k != "PYTHONPATH"}, "SITEURL": SITEURL, "CNAME": "fgs.example.org"}
    invoke = Path(sys.executable).parent / "invoke"
    completed = subprocess.run([str(invoke), "publish"], cwd=project, env=env, capture_output=True, text=True, stdin=subprocess.DEVNULL, timeout=600)
    assert completed.returncode == 0, completed.stderr
    for gate in ("links: pass", "html: pass", "csp-meta: pass", "accessibility: pass (6 checked, 0 problems, violations 0)", "csp-violations: pass", "third-party-requests: pass"):
        assert gate in completed.stdout
    published = set(_git(_remote(project), "ls-tree", "-r", "--name-only", "gh-pages").splitlines())
    built = {str(p.relative_to(project / "output")) for p in (project / "output").rglob("*") if p.is_file()}
    assert published == built | {".nojekyll", "CNAME"}
    assert _git(_remote(project), "show", "gh-pages:CNAME") == "fgs.example.org"
    source = _git(project, "rev-parse", "--short", "HEAD")
    assert _git(_remote(project), "log", "-1", "--format=%s", "gh-pages").startswith(f"Publish site from {source}: Site source")
    assert f'href="{SITEURL}/charts/hunger/"' in _git(_remote(project), "show", "gh-pages:charts/index.html")


def test_publishing_the_same_commit_twice_changes_nothing(project, render_cache):
    first = _publish(project, render_cache)
    head = _remote_head(project)
    second = _publish(project, render_cache)
    assert first.pushed and not second.pushed and "already published" in second.message
    assert _remote_head(project) == head


def test_uncommitted_changes_are_refused(project, render_cache):
    (project / "content" / "pages" / "about.md").write_text("Title: changed\n", encoding="utf-8")
    with pytest.raises(BuildError) as caught:
        _publish(project, render_cache)
    assert "the working tree has uncommitted changes" in str(caught.value) and "content/pages/about.md" in str(caught.value)
    assert _remote_head(project) is None


def test_dry_run_pushes_nothing(project, render_cache):
    result = _publish(project, render_cache, dry_run=True)
    assert result.files > 100 and not result.pushed
    assert _remote_head(project) is None


def _commit_change(project: Path, path: str, old: str, new: str) -> None:
    file = project / path
    file.write_text(file.read_text(encoding="utf-8").replace(old, new, 1), encoding="utf-8")
    _git(project, "commit", "-q", "-am", f"Change {path}")


def test_failed_build_publishes_nothing(project, render_cache):
    _publish(project, render_cache)
    head = _remote_head(project)
    _commit_change(project, "data/figures.csv", ",447,head,", ",-447,head,")
    with pytest.raises(BuildError) as caught:
        _publish(project, render_cache)
    assert "column 'value': -447 is negative" in str(caught.value)
    assert _remote_head(project) == head


def test_failed_gate_publishes_nothing(project, render_cache):
    _commit_change(project, "content/pages/about.md", "\n\n", "\n\nSee [the missing part](#nowhere).\n\n")
    with pytest.raises(BuildError) as caught:
        _publish(project, render_cache)
    message = str(caught.value)
    assert "quality gate: links: FAIL" in message and "about/index.html" in message and "no element has id 'nowhere'" in message
    assert _remote_head(project) is None


def test_rejected_push_leaves_local_and_remote_as_they_were(project, render_cache):
    hook = _remote(project) / "hooks" / "pre-receive"
    hook.write_text("#!/bin/sh\necho 'pushes are frozen today' >&2\nexit 1\n")
    hook.chmod(0o755)
    with pytest.raises(BuildError) as caught:
        _publish(project, render_cache)
    assert "the push was rejected, nothing was published" in str(caught.value) and "pushes are frozen today" in str(caught.value)
    assert _remote_head(project) is None
    assert subprocess.run(["git", "rev-parse", "--verify", "--quiet", "refs/heads/gh-pages"], cwd=project).returncode != 0


def test_remote_rewritten_since_last_publish_is_refused(project, render_cache, tmp_path):
    _publish(project, render_cache)
    other = tmp_path / "someone-else"
    _git(tmp_path, "clone", "-q", str(_remote(project)), str(other))
    _git(other, "checkout", "-q", "--orphan", "rewritten")
    _git(other, "rm", "-rq", "--ignore-unmatch", ".")
    (other / "index.html").write_text("replaced")
    _git(other, "add", "index.html")
    _git(other, "-c", "user.name=x", "-c", "user.email=x@example.org", "commit", "-q", "-m", "Rewrite")
    _git(other, "push", "-q", "--force", "origin", "rewritten:gh-pages")
    rewritten = _remote_head(project)
    _commit_change(project, "content/pages/about.md", "\n\n", "\n\nA new paragraph.\n\n")
    with pytest.raises(BuildError) as caught:
        _publish(project, render_cache)
    assert "the remote branch no longer contains our last publish" in str(caught.value)
    assert _remote_head(project) == rewritten


def test_two_publishes_cannot_interleave(project, render_cache):
    with publishing.publish_lock(project):
        with pytest.raises(BuildError) as caught:
            _publish(project, render_cache)
    assert "another publish is running" in str(caught.value)
    assert _remote_head(project) is None


def test_publish_rebuilds_even_after_a_development_build(project, render_cache):
    from charts import site

    site.build(project / "pelicanconf.py", project / "output", overrides={"CHARTS_CACHE_DIR": str(render_cache)})
    _publish(project, render_cache)
    published = _git(_remote(project), "show", "gh-pages:charts/index.html")
    assert f'href="{SITEURL}/charts/hunger/"' in published
