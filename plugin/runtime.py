"""Bundle the live-chart runtime (Vega + its CSP-safe interpreter) with esbuild, once.

The bundle is cached by the hash of the entry file and package-lock.json, so it is rebuilt
only when the pinned packages or the entry change. ``npm ci`` installs what it needs.
"""
from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from dataset.errors import BuildError, Problem

ROOT = Path(__file__).resolve().parent.parent
ENTRY = ROOT / "theme" / "js" / "vega-runtime.js"
LOCK = ROOT / "package-lock.json"
ESBUILD = ROOT / "node_modules" / ".bin" / "esbuild"
BUNDLE = "vega-runtime.js"


def bundle(cache_dir: Path) -> Path:
    """Return the folder holding the bundle (and its licence file), building it if needed."""
    key = hashlib.sha256(ENTRY.read_bytes() + LOCK.read_bytes()).hexdigest()[:20]
    folder = cache_dir / key
    if (folder / BUNDLE).is_file():
        return folder
    if not ESBUILD.exists():
        raise BuildError(Problem("package.json", "node_modules is missing: run `npm ci` (the README's first command does) to install Vega and esbuild"))
    cache_dir.mkdir(parents=True, exist_ok=True)
    scratch = Path(tempfile.mkdtemp(dir=cache_dir, prefix=".tmp-"))
    command = [str(ESBUILD), str(ENTRY), "--bundle", "--minify", "--format=esm", "--target=es2020", "--legal-comments=linked", f"--outfile={scratch / BUNDLE}", "--log-level=warning"]
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False)
    if result.returncode != 0 or result.stderr.strip():
        shutil.rmtree(scratch, ignore_errors=True)
        raise BuildError(Problem(str(ENTRY.relative_to(ROOT)), f"esbuild failed: {result.stderr.strip()}"))
    shutil.rmtree(folder, ignore_errors=True)
    os.replace(scratch, folder)
    return folder


def install(cache_dir: Path, destination: Path) -> None:
    """Copy the bundle into the site's script folder."""
    folder = bundle(cache_dir)
    destination.mkdir(parents=True, exist_ok=True)
    for item in folder.iterdir():
        shutil.copyfile(item, destination / item.name)
