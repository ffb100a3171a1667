"""The code is as clean as the linter we pin can tell (ruff, its version in requirements-test.txt)."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_ruff_finds_nothing():
    checked = subprocess.run([sys.executable, "-m", "ruff", "check", "--no-cache", "--output-format", "concise", str(ROOT)], capture_output=True, text=True, cwd=ROOT, check=False)
    assert checked.returncode == 0, checked.stdout + checked.stderr


def test_ruff_would_find_an_unused_import(tmp_path):
    """The check above can fail: the same command on a file with an unused import is red."""
    bad = tmp_path / "bad.py"
    bad.write_text("import os\n", encoding="utf-8")
    checked = subprocess.run([sys.executable, "-m", "ruff", "check", "--no-cache", "--output-format", "concise", str(bad)], capture_output=True, text=True, cwd=ROOT, check=False)
    assert checked.returncode == 1 and "F401" in checked.stdout
