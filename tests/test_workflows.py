"""The GitHub Actions workflows, checked before GitHub runs them.

actionlint checks syntax, expressions, action inputs and runner labels; zizmor (offline, no
configuration, so nothing is silenced) checks security: actions pinned to full commit SHAs,
least token permissions, no template injection, no credential persisted where not needed.
Any finding of either fails. Each check is also run once on a deliberately broken copy, to
show that it can fail. The workflow itself must run the README's commands in Debian.
"""
from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
WORKFLOWS = ROOT / ".github" / "workflows"
PUBLISH = WORKFLOWS / "publish.yml"
TEST_COMMAND = "script/bootstrap --test && .venv/bin/invoke test"
PUBLISH_COMMAND = "script/bootstrap --test && .venv/bin/invoke publish"


def _tool(name: str, *args: str) -> subprocess.CompletedProcess:
    executable = Path(sys.executable).parent / name
    if not executable.exists():
        pytest.fail(f"{name} is not installed in the virtual environment; run script/bootstrap --test")
    return subprocess.run([str(executable), *args], cwd=ROOT, capture_output=True, text=True, stdin=subprocess.DEVNULL, timeout=300, check=False)


def actionlint(*files: Path) -> subprocess.CompletedProcess:
    # Without shellcheck and pyflakes, so that every machine checks the same things.
    return _tool("actionlint", "-no-color", "-shellcheck=", "-pyflakes=", *map(str, files))


def zizmor(*paths: Path) -> subprocess.CompletedProcess:
    return _tool("zizmor", "--offline", "--no-config", "--no-progress", "--color=never", *map(str, paths))


def _workflow_files() -> list[Path]:
    files = sorted([*WORKFLOWS.glob("*.yml"), *WORKFLOWS.glob("*.yaml")])
    assert files, f"no workflow in {WORKFLOWS}"
    return files


def test_the_workflows_pass_actionlint():
    result = actionlint(*_workflow_files())
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_workflows_pass_zizmor():
    result = zizmor(WORKFLOWS)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "No findings to report" in result.stdout + result.stderr


def _broken_copy(tmp_path: Path, old: str, new: str) -> Path:
    text = PUBLISH.read_text(encoding="utf-8")
    assert old in text, old
    copy = tmp_path / ".github" / "workflows" / "publish.yml"
    copy.parent.mkdir(parents=True)
    copy.write_text(text.replace(old, new, 1), encoding="utf-8")
    return copy


CHECKOUT = re.search(r"uses: (actions/checkout@[0-9a-f]{40}) # v[\d.]+", PUBLISH.read_text(encoding="utf-8"))


@pytest.mark.parametrize(
    ("old", "new", "audit"),
    [
        (CHECKOUT.group(0) if CHECKOUT else "actions/checkout@", "uses: actions/checkout@v7", "unpinned-uses"),
        ("    permissions:\n      contents: read\n", "    permissions: write-all\n", "excessive-permissions"),
        ("          path: main\n          persist-credentials: false\n", "          path: main\n", "artipacked"),
        ("run: script/bootstrap --test && .venv/bin/invoke test", 'run: echo "${{ github.event.pull_request.title }}" && script/bootstrap --test', "template-injection"),
    ],
    ids=["unpinned action", "write-all token", "persisted credential", "template injection"],
)
def test_zizmor_catches_a_broken_workflow(tmp_path, old, new, audit):
    result = zizmor(_broken_copy(tmp_path, old, new))
    assert result.returncode != 0 and f"[{audit}]" in result.stdout, result.stdout + result.stderr


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("runs-on: ubuntu-24.04", "runs-on: ubuntu-lastest", 'label "ubuntu-lastest" is unknown'),
        ("needs: test", "needs: tests", 'job "publish" needs job "tests" which does not exist'),
        ("if: ${{ vars.SHARED_REPOSITORY != '' }}", "if: ${{ var.SHARED_REPOSITORY != '' }}", 'undefined variable "var"'),
    ],
    ids=["unknown runner", "unknown job", "undefined variable"],
)
def test_actionlint_catches_a_broken_workflow(tmp_path, old, new, message):
    result = actionlint(_broken_copy(tmp_path, old, new))
    assert result.returncode != 0 and message in result.stdout, result.stdout + result.stderr


def test_every_action_is_pinned_to_a_full_commit_sha_with_its_tag_beside_it():
    for file in _workflow_files():
        for line in file.read_text(encoding="utf-8").splitlines():
            if re.match(r"\s*-?\s*uses:", line):
                assert re.fullmatch(r"\s*-?\s*uses: [\w.-]+/[\w./-]+@[0-9a-f]{40} # v\d+(\.\d+)*", line), line


def test_the_jobs_run_the_readme_commands_in_debian_with_least_permissions():
    workflow = yaml.safe_load(PUBLISH.read_text(encoding="utf-8"))
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert TEST_COMMAND in readme
    assert workflow["permissions"] == {}
    jobs = workflow["jobs"]
    for job in jobs.values():
        # Ubuntu's Chromium is a snap that cannot run there; Debian's is a real browser.
        assert job["container"].startswith(("python:3.11-bookworm", "debian:bookworm")), job["container"]
    assert jobs["test"]["permissions"] == {"contents": "read"}
    assert jobs["publish"]["permissions"] == {"contents": "write"}
    assert jobs["test"]["steps"][-1]["run"] == TEST_COMMAND
    assert jobs["publish"]["steps"][-1]["run"].strip().splitlines()[-1] == PUBLISH_COMMAND
    assert jobs["publish"]["needs"] == "test" and jobs["publish"]["if"] == "github.event_name == 'push' && github.ref == 'refs/heads/main'"
    # Readers' error reports go to this repository's issues; invoke publish refuses without it.
    assert jobs["publish"]["steps"][-1]["env"]["REPOSITORY_URL"] == "${{ github.server_url }}/${{ github.repository }}"
