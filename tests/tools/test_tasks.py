"""`invoke build` as a maintainer runs it, in a copy of the project: messages and exit codes."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from charting import registry
from tests.conftest import seed_caches
from tools import build as building

ROOT = Path(__file__).resolve().parents[2]
INVOKE = Path(sys.executable).parent / "invoke"


@pytest.fixture()
def project(tmp_path, render_cache) -> Path:
    """A copy of the project beside a link to the shared sources, with warm caches."""
    copy = tmp_path / "main"
    copy.mkdir()
    for name in (n for n in building.WATCHED if (ROOT / n).is_dir()):
        shutil.copytree(ROOT / name, copy / name, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(ROOT / "tools", copy / "tools", ignore=shutil.ignore_patterns("__pycache__"))
    for name in ("pelicanconf.py", "tasks.py", "package.json", "package-lock.json"):
        shutil.copy(ROOT / name, copy / name)
    (copy / "node_modules").symlink_to(ROOT / "node_modules")
    (tmp_path / "shared").symlink_to(ROOT.parent / "shared")
    seed_caches(copy, render_cache)
    return copy


def _invoke(project: Path, *args: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    return subprocess.run([str(INVOKE), *args], cwd=project, capture_output=True, text=True, env=env, stdin=subprocess.DEVNULL, timeout=300, check=False)


def test_build_then_bad_csv_fails_clearly_and_keeps_the_site(project):
    first = _invoke(project, "build")
    assert first.returncode == 0, first.stderr
    # Not a terminal: progress comes as plain lines, one per step, ending with the total (the
    # charts come from the memo the caches were seeded with, so the step shown is the pages').
    total = len(registry.discover())
    assert f"writing chart pages: {total} of {total} (" in first.stderr and "\x1b[" not in first.stderr
    again = _invoke(project, "build")
    assert again.returncode == 0 and "is up to date: nothing it is built from has changed" in again.stdout
    forced = _invoke(project, "build", "--force")
    assert forced.returncode == 0 and f"charts rendered: 0 of {len(registry.discover())}" in forced.stdout, "a forced rebuild with nothing changed renders nothing"
    index = project / "output" / "index.html"
    before = index.read_bytes()

    figures = project / "data" / "figures.csv"
    lines = figures.read_text(encoding="utf-8").splitlines()
    number = next(i for i, line in enumerate(lines, start=1) if line.startswith("goats_to_rason,"))
    lines[number - 1] = lines[number - 1].replace(",447,head,", ",four hundred,head,")
    figures.write_text("\n".join(lines) + "\n", encoding="utf-8")

    bad = _invoke(project, "build")
    assert bad.returncode == 1
    assert "Build failed; output/ was left as it was." in bad.stderr
    assert f"data/figures.csv, line {number}, column 'value': 'four hundred' is not a number" in bad.stderr
    assert "Traceback" not in bad.stderr
    assert index.read_bytes() == before


def test_clean_removes_output_and_caches(project):
    assert _invoke(project, "build").returncode == 0
    result = _invoke(project, "clean")
    assert result.returncode == 0
    assert not (project / "output").exists() and not (project / ".cache").exists()


@pytest.mark.slow
def test_serve_rebuilds_when_a_page_changes_and_not_when_a_tool_does(project, capsys):
    """invoke serve's loop: watchfiles on what the site is made from, and nothing else."""
    import threading
    import time

    from tools import serve as serving

    output, stamp = project / "output", project / ".output.fingerprint"

    def wait_for(condition, what: str, seconds: float = 180) -> None:
        deadline = time.monotonic() + seconds
        while not condition():
            assert time.monotonic() < deadline, f"serve never {what}"
            time.sleep(0.2)

    stop = threading.Event()
    server = threading.Thread(target=serving.serve, kwargs={"port": 0, "root": project, "stop_event": stop}, daemon=True)
    server.start()
    try:
        wait_for(lambda: stamp.exists() and (output / "about" / "index.html").exists(), "built the site")
        time.sleep(1)  # let the watcher start
        page = project / "content" / "pages" / "about.md"
        page.write_text(page.read_text(encoding="utf-8") + "\nA sentence added while serving.\n", encoding="utf-8")
        wait_for(lambda: "A sentence added while serving." in (output / "about" / "index.html").read_text(encoding="utf-8"), "rebuilt after a page changed")
        tool = project / "tools" / "bench.py"
        tool.write_text(tool.read_text(encoding="utf-8") + "\n# edited while serving\n", encoding="utf-8")
        time.sleep(4)
    finally:
        stop.set()
        server.join(30)
    assert not server.is_alive()
    printed = capsys.readouterr().out
    assert "Changed: content/pages/about.md" in printed
    assert "tools/bench.py" not in printed, "serve reacted to a maintainer tool"
