"""`invoke publish` for real: ghp-import into a local bare repository standing in for GitHub.

Every refusal is checked for its exact message, for an unchanged remote and for an unchanged
local gh-pages branch. Refusals that happen before the build start from a stand-in earlier
publish (`_earlier_publish`: a gh-pages commit made the way ours are), so they need no build.
"""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from dataset.errors import BuildError
from tests.conftest import SETTINGS, seed_caches
from tools import publish as publishing

ROOT = Path(__file__).resolve().parents[2]
SITEURL = "https://example.org/fgs"
REPOSITORY = "https://github.com/example/fgs"
NOTES_PAGE = """Title: Notes
Date: 2026-11-23
Slug: notes
Nav_title: Notes
Nav_order: 7
Summary: Notes kept for one publish and removed in the next.
Standfirst: A page that exists between two publishes.

This page is here so that a later publish can take it away.
"""

#: The editions besides English, each of which a page is added to.
EDITIONS = SETTINGS["EDITIONS"][1:]


def _git(cwd: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True, text=True).stdout.strip()


def _make_checkout(copy: Path) -> None:
    """Identity, and node_modules linked in and ignored (a symlink is not matched by `node_modules/`)."""
    _git(copy, "config", "user.name", "Test Publisher")
    _git(copy, "config", "user.email", "publisher@example.org")
    (copy / "node_modules").symlink_to(ROOT / "node_modules")
    with open(copy / ".git" / "info" / "exclude", "a", encoding="utf-8") as exclude:
        exclude.write("/node_modules\n")


@pytest.fixture()
def project(tmp_path, render_cache) -> Path:
    """The project as a clone would have it after a build (warm caches, which git ignores),
    committed on main, with a bare remote as origin."""
    copy = tmp_path / "main"
    for name in subprocess.run(["git", "ls-files"], cwd=ROOT, check=True, capture_output=True, text=True).stdout.splitlines():
        source = ROOT / name
        if source.is_file():
            (copy / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, copy / name)
    (tmp_path / "shared").symlink_to(ROOT.parent / "shared")
    _git(copy, "init", "-q", "-b", "main")
    _make_checkout(copy)
    _git(copy, "add", "-A")
    _git(copy, "commit", "-q", "-m", "Site source")
    _git(tmp_path, "init", "-q", "--bare", "-b", "main", "remote.git")
    _git(copy, "remote", "add", "origin", str(tmp_path / "remote.git"))
    seed_caches(copy, render_cache)
    return copy


def _remote(project: Path) -> Path:
    return project.parent / "remote.git"


def _head_of(repo: Path, ref: str) -> str | None:
    completed = subprocess.run(["git", "rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}"], cwd=repo, capture_output=True, text=True, check=False)
    return completed.stdout.strip() or None


def _remote_head(project: Path) -> str | None:
    return _head_of(_remote(project), "refs/heads/gh-pages")


def _local_pages(project: Path) -> str | None:
    return _head_of(project, "refs/heads/gh-pages")


def _published_files(project: Path) -> set[str]:
    return set(_git(_remote(project), "ls-tree", "-r", "--name-only", "gh-pages").splitlines())


def _published(project: Path, path: str) -> str:
    return _git(_remote(project), "show", f"gh-pages:{path}")


def _publish(project: Path, render_cache: Path, overrides: dict | None = None, **options):
    return publishing.publish(
        cwd=project,
        settings_file=project / "publishconf.py",
        output=project / "output",
        # What these tests are about is git and ghp-import; the gates are tested in test_gates.py,
        # and all of them, in Chromium too, by test_invoke_publish_puts_the_site_... below.
        browser_gates=False,
        html_gate=False,
        overrides={"SITEURL": SITEURL, "REPOSITORY_URL": REPOSITORY, "CHARTS_CACHE_DIR": str(render_cache), **(overrides or {})},
        **options,
    )


def _refused(project: Path, render_cache: Path, **options) -> str:
    """Publish, expecting a refusal that pushes nothing and leaves the local gh-pages as it was."""
    remote_before, local_before = _remote_head(project), _local_pages(project)
    with pytest.raises(BuildError) as caught:
        _publish(project, render_cache, **options)
    assert _remote_head(project) == remote_before
    assert _local_pages(project) == local_before
    return str(caught.value)


def _commit_change(project: Path, path: str, old: str, new: str) -> None:
    file = project / path
    text = file.read_text(encoding="utf-8")
    assert old in text
    file.write_text(text.replace(old, new, 1), encoding="utf-8")
    _git(project, "commit", "-q", "-am", f"Change {path}")


def _commit_tree(repo: Path, files: dict[str, str], message: str, parent: str | None = None) -> str:
    """A commit of the given top-level files, made with git's plumbing (no working tree)."""
    entries = []
    for name, text in files.items():
        blob = subprocess.run(["git", "hash-object", "-w", "--stdin"], cwd=repo, input=text, check=True, capture_output=True, text=True).stdout.strip()
        entries.append(f"100644 blob {blob}\t{name}")
    tree = subprocess.run(["git", "mktree"], cwd=repo, input="\n".join(entries) + "\n", check=True, capture_output=True, text=True).stdout.strip()
    return _git(repo, "commit-tree", tree, "-m", message, *(["-p", parent] if parent else []))


def _earlier_publish(project: Path, parent: str | None = None) -> str:
    """Stand in for an earlier publish of HEAD: a gh-pages commit named as ours are, pushed with main."""
    head = _git(project, "rev-parse", "HEAD")
    commit = _commit_tree(project, {"index.html": "earlier site\n"}, f"Publish site from {head[:7]}: Site source\n\nSource-commit: {head}\n", parent)
    _git(project, "update-ref", "refs/heads/gh-pages", commit)
    _git(project, "push", "-q", "origin", "main", "gh-pages")
    return commit


def _replace_remote_pages(project: Path, files: dict[str, str], message: str, parent: str | None = None) -> str:
    """Someone else force-pushes gh-pages."""
    commit = _commit_tree(_remote(project), files, message, parent)
    _git(_remote(project), "update-ref", "refs/heads/gh-pages", commit)
    return commit


# -- publishing -------------------------------------------------------------------------------


@pytest.mark.slow
@pytest.mark.browser
def test_invoke_publish_puts_the_site_nojekyll_and_cname_on_gh_pages(project):
    env = {**{k: v for k, v in os.environ.items() if k != "PYTHONPATH"}, "SITEURL": SITEURL, "CNAME": "fgs.example.org", "REPOSITORY_URL": REPOSITORY}
    invoke = Path(sys.executable).parent / "invoke"
    completed = subprocess.run([str(invoke), "publish"], cwd=project, env=env, capture_output=True, text=True, stdin=subprocess.DEVNULL, timeout=600, check=False)
    assert completed.returncode == 0, completed.stderr
    for gate in ("links: pass", "html: pass", "csp-meta: pass", "csp-violations: pass", "third-party-requests: pass"):
        assert gate in completed.stdout
    # The browser gates open every page of the site, in the light and the dark scheme.
    pages = re.search(r"accessibility: pass \((\d+) checked, 0 problems, violations 0\)", completed.stdout)
    built = {str(p.relative_to(project / "output")) for p in (project / "output").rglob("*") if p.is_file()}
    html_pages = sum(name.endswith(".html") for name in built)
    assert pages and int(pages.group(1)) == 2 * html_pages, completed.stdout
    assert f"csp-violations: pass ({html_pages} checked, 0 problems)" in completed.stdout
    assert _published_files(project) == built | {".nojekyll", "CNAME"}
    assert _published(project, "CNAME") == "fgs.example.org"
    source = _git(project, "rev-parse", "--short", "HEAD")
    assert _git(_remote(project), "log", "-1", "--format=%s", "gh-pages") == f"Publish site from {source}: Site source"
    assert f"Source-commit: {_git(project, 'rev-parse', 'HEAD')}" in _git(_remote(project), "log", "-1", "--format=%B", "gh-pages")
    assert f'href="{SITEURL}/charts/hunger/"' in _published(project, "charts/index.html")
    # Readers' reports open an issue in the repository the environment names, naming the chart page.
    assert f'href="{REPOSITORY}/issues/new?title=Error%20in%20chart%20hunger&amp;body=Chart%3A%20hunger%0APage%3A%20https%3A%2F%2Fexample.org%2Ffgs%2Fcharts%2Fhunger%2F%0A' in _published(project, "charts/hunger/index.html")
    assert f"Published {len(built)} files to origin/gh-pages: " in completed.stdout


@pytest.mark.slow
def test_three_publishes_bring_each_committed_change_to_the_site(project, render_cache):
    transcript = []

    def publish_and_record(step: str):
        result = _publish(project, render_cache)
        line = f"{step}: pushed={result.pushed} remote gh-pages={_remote_head(project)[:10]} {result.message}"
        transcript.append(line)
        return result

    pages = project / "content" / "pages"
    (pages / "notes.md").write_text(NOTES_PAGE, encoding="utf-8")
    for lang in EDITIONS:  # a page is added in every edition (here in English words)
        (pages / f"notes.{lang}.md").write_text(f"Lang: {lang}\n{NOTES_PAGE}", encoding="utf-8")
    _git(project, "add", "content/pages")
    _git(project, "commit", "-q", "-m", "Add a notes page")
    first = publish_and_record("publish 1 (notes page added)")
    assert first.pushed and first.commit == _remote_head(project) == _local_pages(project)
    assert "This page is here so that a later publish can take it away." in _published(project, "notes/index.html")
    assert "It is built from a small set of news reports." in _published(project, "about/index.html")

    _commit_change(project, "content/pages/about.md", "It is built from a small set of news reports.", "It is built from a small set of news reports, read line by line.")
    second = publish_and_record("publish 2 (a sentence of about.md changed)")
    assert second.pushed and _remote_head(project) == second.commit != first.commit
    about = _published(project, "about/index.html")
    assert "It is built from a small set of news reports, read line by line." in about
    assert "It is built from a small set of news reports." not in about
    assert "notes/index.html" in _published_files(project)

    _git(project, "rm", "-q", "content/pages/notes.md", *(f"content/pages/notes.{lang}.md" for lang in EDITIONS))
    _git(project, "commit", "-q", "-m", "Remove the notes page")
    third = publish_and_record("publish 3 (notes page removed)")
    assert third.pushed and _remote_head(project) == third.commit
    files = _published_files(project)
    assert not any(name.startswith("notes/") for name in files) and "about/index.html" in files
    assert not any(name.startswith(tuple(f"{lang}/notes/" for lang in EDITIONS)) for name in files)
    assert "notes/" not in _published(project, "index.html")
    assert "read line by line" in _published(project, "about/index.html")

    # Each publish is a plain fast-forward on top of the one before, naming its source commit.
    assert _git(_remote(project), "rev-list", "--first-parent", "gh-pages").splitlines() == [third.commit, second.commit, first.commit]
    subjects = _git(_remote(project), "log", "--format=%s", "gh-pages").splitlines()
    assert subjects == [
        f"Publish site from {_git(project, 'rev-parse', '--short', ref)}: {subject}"
        for ref, subject in (("HEAD", "Remove the notes page"), ("HEAD~1", "Change content/pages/about.md"), ("HEAD~2", "Add a notes page"))
    ]
    print("\n".join(["", *transcript]))


def test_publishing_an_unchanged_commit_again_pushes_nothing(project, render_cache):
    first = _publish(project, render_cache)
    head = _remote_head(project)
    second = _publish(project, render_cache)
    assert first.pushed and not second.pushed
    assert second.message == f"origin/gh-pages already has exactly this site ({head[:10]}); nothing was pushed"
    assert second.commit == head == _remote_head(project) == _local_pages(project)
    assert _git(_remote(project), "rev-list", "--count", "gh-pages") == "1"


def test_a_fresh_clone_publishes_on_top_of_the_remote_site(project, render_cache, tmp_path):
    """As in CI: no local gh-pages, the remote's was made by our earlier publishes."""
    earlier = _earlier_publish(project)
    clone = tmp_path / "clone"
    _git(tmp_path, "clone", "-q", str(_remote(project)), str(clone))
    _make_checkout(clone)
    (clone / "publishconf.py").write_text((clone / "publishconf.py").read_text(encoding="utf-8") + "# Published from a fresh clone.\n", encoding="utf-8")
    _git(clone, "commit", "-q", "-am", "Note in publishconf.py")
    _git(clone, "push", "-q", "origin", "main")
    result = _publish(clone, render_cache)
    assert result.pushed and _remote_head(project) == result.commit
    assert _git(_remote(project), "rev-parse", "gh-pages^") == earlier
    assert "earlier site" not in _published(project, "index.html")


def test_only_head_is_published_not_the_working_tree(project, render_cache, tmp_path):
    """--allow-dirty publishes HEAD as committed: no untracked page, no symlinked file, no edit."""
    pages = project / "content" / "pages"
    (pages / "draft.md").write_text(NOTES_PAGE.replace("notes", "draft").replace("Notes", "Draft") + "\nA DRAFT-NOT-COMMITTED sentence.\n", encoding="utf-8")
    outside = tmp_path / "private.md"
    outside.write_text(NOTES_PAGE.replace("notes", "leak").replace("Notes", "Leak") + "\nA PRIVATE-FILE-OUTSIDE sentence.\n", encoding="utf-8")
    (pages / "leak.md").symlink_to(outside)
    _commit_change(project, "content/pages/about.md", "It is built from a small set of news reports.", "It is built from a small set of news reports, as committed.")
    about = pages / "about.md"
    about.write_text(about.read_text(encoding="utf-8").replace("as committed", "UNCOMMITTED-EDIT"), encoding="utf-8")

    result = _publish(project, render_cache, allow_dirty=True)

    assert result.pushed and result.source == _git(project, "rev-parse", "HEAD")
    files = _published_files(project)
    assert not any(name.startswith(("draft/", "leak/")) for name in files)
    for secret in ("DRAFT-NOT-COMMITTED", "PRIVATE-FILE-OUTSIDE", "UNCOMMITTED-EDIT", "draft/", "leak/"):
        assert subprocess.run(["git", "grep", "-q", "-F", secret, "gh-pages"], cwd=_remote(project), check=False).returncode == 1, secret
    assert "as committed" in _published(project, "about/index.html")
    assert not any(name.startswith(("draft", "leak")) for name in os.listdir(project / "output"))


def test_dry_run_pushes_nothing(project, render_cache):
    result = _publish(project, render_cache, dry_run=True)
    assert result.files > 100 and not result.pushed
    assert _remote_head(project) is None and _local_pages(project) is None


def test_publish_rebuilds_even_after_a_development_build(project, render_cache):
    from tools import build as building

    building.build(project / "pelicanconf.py", project / "output", overrides={"CHARTS_CACHE_DIR": str(render_cache)})
    _publish(project, render_cache)
    assert f'href="{SITEURL}/charts/hunger/"' in _published(project, "charts/index.html")


def test_the_export_build_runs_only_on_the_exported_modules(tmp_path):
    """`python -m tools.publish` refuses to run when `charts` comes from somewhere else."""
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    answer = tmp_path / "answer.json"
    completed = subprocess.run(
        [sys.executable, "-m", "tools.publish", "settings", "--answer", str(answer), "--settings", "publishconf.py"], cwd=elsewhere, env=env, capture_output=True, text=True
, check=False)
    assert completed.returncode == 2 and not answer.exists()
    assert f"tools.publish: the charts package was imported from {ROOT}, not from the export {elsewhere.resolve()}" in completed.stderr


# -- refusals before the build -----------------------------------------------------------------


def test_uncommitted_changes_and_untracked_files_are_refused(project, render_cache):
    (project / "content" / "pages" / "about.md").write_text("Title: changed\n", encoding="utf-8")
    (project / "content" / "pages" / "draft.md").write_text("Title: draft\n", encoding="utf-8")
    assert _refused(project, render_cache) == (
        "invoke publish: the working tree differs from HEAD (uncommitted changes or untracked files), and only HEAD is published:\n"
        " M content/pages/about.md\n?? content/pages/draft.md\n"
        "commit or remove them, or pass --allow-dirty to publish HEAD without them"
    )
    assert _remote_head(project) is None


def test_a_detached_head_is_refused(project, render_cache):
    earlier = _earlier_publish(project)
    _git(project, "switch", "-q", "--detach")
    head = _git(project, "rev-parse", "HEAD")
    assert _refused(project, render_cache) == (
        f"invoke publish: HEAD is detached (at {head[:10]}), so the site would come from no branch; check out the publish branch (git switch main) and publish from there"
    )
    assert _remote_head(project) == earlier


def test_a_branch_other_than_the_publish_branch_is_refused(project, render_cache):
    earlier = _earlier_publish(project)
    _git(project, "switch", "-q", "-c", "draft-explainer")
    assert _refused(project, render_cache) == (
        "invoke publish: HEAD is on branch 'draft-explainer', not the publish branch 'main' (PUBLISH_BRANCH in publishconf.py); "
        "switch to it (git switch main) and publish from there"
    )
    assert _remote_head(project) == earlier


def test_the_publish_branch_is_a_setting(project, render_cache):
    _git(project, "branch", "-q", "-m", "main", "trunk")
    assert "HEAD is on branch 'trunk', not the publish branch 'main'" in _refused(project, render_cache)
    # With PUBLISH_BRANCH "trunk" the branch check passes and the next one speaks (a bad CNAME, to stop before the build).
    assert _refused(project, render_cache, overrides={"PUBLISH_BRANCH": "trunk", "CNAME": "https://x.org"}).startswith("publishconf.py: CNAME must be")


def test_a_branch_behind_its_remote_is_refused(project, render_cache, tmp_path):
    earlier = _earlier_publish(project)
    other = tmp_path / "colleague"
    _git(tmp_path, "clone", "-q", str(_remote(project)), str(other))
    _git(other, "-c", "user.name=x", "-c", "user.email=x@example.org", "commit", "-q", "--allow-empty", "-m", "A colleague's fix")
    _git(other, "-c", "user.name=x", "-c", "user.email=x@example.org", "commit", "-q", "--allow-empty", "-m", "Another fix")
    _git(other, "push", "-q", "origin", "main")
    assert _refused(project, render_cache) == (
        "origin/main: has 2 commit(s) that HEAD lacks, so publishing HEAD would take their changes off the site; "
        "bring them in (git pull --ff-only origin main), then publish again"
    )
    assert _remote_head(project) == earlier


def test_a_remote_gh_pages_that_is_not_ours_is_refused(project, render_cache):
    """We have never published, and the remote already has a gh-pages we did not make."""
    theirs = _replace_remote_pages(project, {"index.html": "someone else's site\n"}, "Initial commit")
    assert _refused(project, render_cache) == (
        "origin/gh-pages: exists but was not published from this project's main (its last commit names no source commit in HEAD's history), "
        "and we have never published here. If it is ours, fetch it and base on it: to publish on top of it, run "
        "`git branch -f gh-pages origin/gh-pages` and publish again; if it is not, delete it (git push origin --delete gh-pages) or publish to another remote"
    )
    assert _remote_head(project) == theirs and _local_pages(project) is None


def test_a_remote_gh_pages_with_no_history_in_common_is_refused(project, render_cache):
    earlier = _earlier_publish(project)
    head = _git(project, "rev-parse", "HEAD")
    replaced = _replace_remote_pages(project, {"index.html": "replaced\n"}, f"Publish site from {head[:7]}: Site source")
    assert _refused(project, render_cache) == (
        f"origin/gh-pages: shares no history with our last publish ({earlier[:10]}): it was replaced by a branch that is not ours. "
        "Inspect it (git log origin/gh-pages); if it is not ours, delete it (git push origin --delete gh-pages) and publish again; "
        "to publish on top of it, run `git branch -f gh-pages origin/gh-pages` and publish again"
    )
    assert _remote_head(project) == replaced and _local_pages(project) == earlier


def test_a_remote_rewritten_since_our_last_publish_is_refused(project, render_cache):
    first = _earlier_publish(project)
    ours = _earlier_publish(project, parent=first)
    rewritten = _replace_remote_pages(project, {"index.html": "rewritten\n"}, "Rewrite", parent=first)
    assert _refused(project, render_cache) == (
        f"origin/gh-pages: no longer contains our last publish ({ours[:10]}); someone rewrote it. Inspect it (git log origin/gh-pages) before publishing again; "
        "to publish on top of it, run `git branch -f gh-pages origin/gh-pages` and publish again"
    )
    assert _remote_head(project) == rewritten and _local_pages(project) == ours


def test_a_site_url_that_is_not_absolute_is_refused(project, render_cache):
    earlier = _earlier_publish(project)
    assert _refused(project, render_cache, overrides={"SITEURL": "example.org/fgs"}) == (
        "publishconf.py: SITEURL must be the site's absolute address (set the SITEURL environment variable or edit publishconf.py)"
    )
    assert _remote_head(project) == earlier


def test_a_missing_repository_url_is_refused(project, render_cache, monkeypatch):
    """No REPOSITORY_URL in the environment and an origin that is not on GitHub: readers' error
    reports would have nowhere to go."""
    monkeypatch.delenv("REPOSITORY_URL", raising=False)
    earlier = _earlier_publish(project)
    assert _refused(project, render_cache, overrides={"REPOSITORY_URL": ""}) == (
        "publishconf.py: REPOSITORY_URL must be the project's repository, such as https://github.com/<owner>/<repository>, where readers' error reports go "
        "(set the REPOSITORY_URL environment variable, or publish from a checkout whose remote origin is on GitHub)"
    )
    assert _remote_head(project) == earlier
    assert not (project / "output").exists()


@pytest.mark.parametrize(
    ("cname", "reason"),
    [
        ("https://fgs.example.org", "it has a scheme; drop the https:// part"),
        ("fgs.example.org/explainer", "it has a path; keep only the host name"),
        ("fgs.example.org:8080", "it has a port; GitHub Pages serves the custom domain on the usual ports"),
        ("fgs example.org", "it contains a space or a line break"),
        ("fgs.example.org\n", "it contains a space or a line break"),
        ("fgs_site.example.org", "it is not a host name: dot-separated labels of letters, digits and inner hyphens, such as fgs.example.org"),
    ],
)
def test_a_cname_that_is_not_a_bare_host_name_is_refused(project, render_cache, cname, reason):
    earlier = _earlier_publish(project)
    assert _refused(project, render_cache, overrides={"CNAME": cname}) == f"publishconf.py: CNAME must be a bare host name such as fgs.example.org, got {cname!r}: {reason}"
    assert _remote_head(project) == earlier
    assert not (project / "output").exists()


@pytest.mark.parametrize("cname", ["fgs.example.org", "Food-Trade.example.co.uk", "x.org"])
def test_a_bare_host_name_is_a_good_cname(cname):
    assert publishing.cname_problem(cname) is None


def test_a_committed_symlink_to_a_file_outside_the_project_is_refused(project, render_cache, tmp_path):
    outside = tmp_path / "private.md"
    outside.write_text("Title: private\n", encoding="utf-8")
    (project / "content" / "pages" / "leak.md").symlink_to(outside)
    _git(project, "add", "content/pages/leak.md")
    _git(project, "commit", "-q", "-m", "Link a page from elsewhere")
    assert _refused(project, render_cache) == (
        f"content/pages/leak.md: is a committed symlink to {outside}, outside the project, so the site would publish a file that is not committed; "
        "commit the file itself instead"
    )
    assert _remote_head(project) is None


def test_an_unreachable_remote_is_refused(project, render_cache, tmp_path):
    _git(project, "remote", "set-url", "origin", str(tmp_path / "gone.git"))
    message = _refused(project, render_cache)
    assert message.startswith("origin: cannot read the remote, nothing was published: ") and "gone.git" in message


def test_two_publishes_cannot_interleave(project, render_cache):
    with publishing.publish_lock(project):
        assert _refused(project, render_cache) == "invoke publish: another publish is running in this repository; wait for it to finish"
    assert _remote_head(project) is None


# -- refusals after the build ------------------------------------------------------------------


def test_failed_build_publishes_nothing(project, render_cache):
    _publish(project, render_cache)
    head = _remote_head(project)
    _commit_change(project, "data/figures.csv", ",447,head,", ",-447,head,")
    assert "column 'value': -447 is negative" in _refused(project, render_cache)
    assert _remote_head(project) == head


def test_failed_gate_publishes_nothing(project, render_cache):
    _commit_change(project, "content/pages/about.md", "\n\n", "\n\nSee [the missing part](#nowhere).\n\n")
    message = _refused(project, render_cache)
    assert "quality gate: links: FAIL" in message and "about/index.html" in message and "no element has id 'nowhere'" in message
    assert _remote_head(project) is None


def test_rejected_push_leaves_local_and_remote_as_they_were(project, render_cache):
    earlier = _earlier_publish(project)
    hook = _remote(project) / "hooks" / "pre-receive"
    hook.write_text("#!/bin/sh\necho 'pushes are frozen today' >&2\nexit 1\n")
    hook.chmod(0o755)
    message = _refused(project, render_cache)
    assert message.startswith("origin/gh-pages: the push was rejected, nothing was published: ") and "pushes are frozen today" in message
    assert _remote_head(project) == earlier == _local_pages(project)
