"""The build cannot be fooled: a damaged output/, stamp or render cache is repaired, never
shipped; an interrupted swap is recovered; what is written is readable, repeatable, and a
write that fails leaves the old site as it was with one clear line.
"""
from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from charting import render_worker
from dataset.errors import BuildError
from tests.conftest import snapshot
from tools import build as building

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture()
def own_site(tmp_path, render_cache):
    """A good site in its own folder with its own copy of the render cache, free to damage."""
    cache = tmp_path / "cache"
    shutil.copytree(render_cache, cache, ignore=shutil.ignore_patterns(".tmp-*", "*.tmp-*"))  # not what another worker is writing
    output = tmp_path / "site" / "output"
    building.build(output=output, overrides={"CHARTS_CACHE_DIR": str(cache)})
    return output, cache


def _build(output: Path, cache: Path, **options) -> building.BuildResult:
    return building.build(output=output, overrides={"CHARTS_CACHE_DIR": str(cache)}, **options)


# -- output/ itself -------------------------------------------------------------------------


def test_a_page_deleted_from_output_is_put_back(own_site):
    output, cache = own_site
    before = snapshot(output)
    (output / "about" / "index.html").unlink()
    result = _build(output, cache)
    assert not result.up_to_date and result.repaired == "output/about/index.html missing"
    assert snapshot(output) == before


def test_a_file_edited_in_output_is_rebuilt(own_site):
    output, cache = own_site
    before = snapshot(output)
    page = output / "charts" / "hunger" / "hunger.csv"
    page.write_text("edited by hand\n")
    result = _build(output, cache)
    assert result.repaired == "output/charts/hunger/hunger.csv changed"
    assert snapshot(output) == before


def test_a_file_added_to_output_is_cleared(own_site):
    output, cache = own_site
    before = snapshot(output)
    (output / "stray.html").write_text("<p>not ours</p>")
    result = _build(output, cache)
    assert result.repaired == "output/stray.html not written by the build"
    assert snapshot(output) == before


def test_an_intact_output_is_up_to_date(own_site):
    output, cache = own_site
    before = snapshot(output)
    assert _build(output, cache).up_to_date
    assert snapshot(output) == before


@pytest.mark.parametrize("damage", ["", "{not json", '{"fingerprint": 3}', "\x00\x01\x02", "[]"], ids=["empty", "truncated", "wrong-types", "binary", "list"])
def test_a_damaged_stamp_means_rebuild(own_site, damage):
    output, cache = own_site
    before = snapshot(output)
    stamp = output.with_name(".output.fingerprint")
    stamp.write_text(damage)
    result = _build(output, cache)
    assert not result.up_to_date and result.repaired == "the record of the last build (.output.fingerprint) is damaged"
    assert snapshot(output) == before
    assert _build(output, cache).up_to_date  # the stamp was written anew, whole


def test_the_stamp_is_never_left_half_written(own_site):
    output, cache = own_site
    _build(output, cache, force=True)
    assert not list(output.parent.glob(".output.fingerprint.tmp-*"))


# -- the render cache -----------------------------------------------------------------------


def _entry(cache: Path, chart_id: str) -> Path:
    """The cache entry the build uses for a chart's desktop artboard (the one with the downloads);
    the cache may hold others, from earlier versions of the data."""
    from charting import pipeline

    return pipeline.prepare(cache_dir=cache).charts[chart_id].rendered.directory


def test_a_truncated_svg_in_the_cache_is_rendered_again(own_site):
    output, cache = own_site
    before = snapshot(output)
    svg = _entry(cache, "hunger") / "page.svg"
    svg.write_text(svg.read_text()[:300])
    result = _build(output, cache, force=True)
    assert result.charts_rendered == ["hunger"]
    assert result.cache_repaired == ("hunger: desktop: page.svg does not match the hash recorded when it was rendered",)
    assert snapshot(output) == before


def test_a_100_byte_png_in_the_cache_never_reaches_the_site(own_site):
    output, cache = own_site
    before = snapshot(output)
    entry = _entry(cache, "food_scale")
    pngs = list(entry.parent.glob(f"{entry.name}-download-*/chart.png"))
    assert pngs, "the download's images are cached beside the chart's rendering"
    for png in pngs:
        png.write_bytes(png.read_bytes()[:100])
    _build(output, cache, force=True)
    assert snapshot(output) == before
    assert (output / "charts" / "food_scale" / "food_scale.png").stat().st_size > 10_000


def test_a_cache_entry_without_its_hashes_is_rendered_again(own_site):
    output, cache = own_site
    before = snapshot(output)
    (_entry(cache, "timeline") / render_worker.HASHES).unlink()
    result = _build(output, cache, force=True)
    assert result.cache_repaired == (f"timeline: desktop: {_entry(cache, 'timeline').name}/hashes.json is missing or damaged",)
    assert snapshot(output) == before


def test_a_damaged_social_card_is_made_again(own_site):
    output, cache = own_site
    before = snapshot(output)
    card = next((cache / "hunger").glob("*-card-*/card.png"))
    card.write_bytes(b"\x89PNG broken")
    _build(output, cache, force=True)
    assert snapshot(output) == before


# -- the swap -------------------------------------------------------------------------------


def test_a_build_killed_between_the_two_renames_is_recovered(own_site):
    output, cache = own_site
    before = snapshot(output)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    died = subprocess.run([sys.executable, str(ROOT / "tests" / "fixtures" / "killed_mid_swap.py"), str(output), str(cache)], cwd=ROOT, env=env, capture_output=True, text=True, check=False)
    assert died.returncode == 9, died.stderr
    assert not output.exists()  # the state a kill leaves: the good site only in .output.old-PID
    assert any(p.name.startswith(".output.old-") for p in output.parent.iterdir())
    result = _build(output, cache)
    assert result.up_to_date  # the last good site is back, and it is what the stamp describes
    assert snapshot(output) == before
    assert not [p for p in output.parent.iterdir() if p.name.startswith((".output.old-", ".output.building-"))]


def test_leftovers_of_dead_builds_are_cleaned(own_site):
    output, cache = own_site
    for name in (".output.building-999999-abc", ".output.old-999998"):
        (output.parent / name / "x").mkdir(parents=True)
    _build(output, cache)
    assert sorted(p.name for p in output.parent.iterdir()) == [".output.fingerprint", "output"]


# -- what is written ------------------------------------------------------------------------


def test_output_is_readable_by_a_web_server_whatever_the_umask(own_site):
    output, cache = own_site
    previous = os.umask(0o077)
    try:
        _build(output, cache, force=True)
    finally:
        os.umask(previous)
    modes = {oct(p.stat().st_mode & 0o777) for p in [output, *output.rglob("*")] if p.is_dir()}
    assert modes == {"0o755"}
    assert {oct(p.stat().st_mode & 0o777) for p in output.rglob("*") if p.is_file()} == {"0o644"}


@pytest.mark.slow
def test_two_builds_of_the_same_commit_are_byte_identical(tmp_path, built_site):
    """Different folders, different times, separate render caches (this one cold, in a new
    process pool): the same tree, byte for byte, as the session's build of the checkout."""
    time.sleep(1.1)  # a clock that leaked into a file would now differ
    content, data = tmp_path / "content", tmp_path / "data"
    shutil.copytree(ROOT / "content", content)
    shutil.copytree(ROOT / "data", data)
    overrides = {"PATH": str(content), "CHARTS_DATA_PACKAGE": str(data / "datapackage.yaml"), "CHARTS_CACHE_DIR": str(tmp_path / "cache")}
    output = building.build(output=tmp_path / "out" / "output", overrides=overrides).output
    assert snapshot(output) == snapshot(built_site)
    leaked = [name for name in snapshot(output) if str(tmp_path) in (output / name).read_bytes().decode("utf-8", "replace")]
    assert leaked == []


# -- writes that fail -------------------------------------------------------------------------


@contextlib.contextmanager
def _mounted(target: Path, *options: str):
    """A real, small file system (tmpfs) at target; skipped where this machine cannot mount."""
    target.mkdir(parents=True, exist_ok=True)
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", ",".join(options) or "size=64m", "tmpfs", str(target)], capture_output=True, text=True, check=False)
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here ({mounted.stderr.strip()}); needs root")
    try:
        yield target
    finally:
        subprocess.run(["umount", "-l", str(target)], check=False)


def test_a_full_disk_is_one_clear_line_and_the_old_site_stays(tmp_path, render_cache):
    with _mounted(tmp_path / "disk", "size=96m") as disk:  # a site in three editions, with room to spare
        output = disk / "output"
        building.build(output=output, overrides={"CHARTS_CACHE_DIR": str(render_cache)})
        before = snapshot(output)
        with open(disk / "filler", "wb") as filler, contextlib.suppress(OSError):
            while True:
                filler.write(b"\0" * 65536)
                filler.flush()
        _truncate_to_leave(disk / "filler", 2**20)  # 1 MB free: the build starts, then the disk fills
        with pytest.raises(BuildError) as caught:
            building.build(output=output, overrides={"CHARTS_CACHE_DIR": str(render_cache)}, force=True)
        message = str(caught.value)
        assert "No space left on device; the build stopped and output/ was left as it was" in message
        assert str(disk) in message and "\n" not in message and "Traceback" not in message
        assert snapshot(output) == before
        assert sorted(p.name for p in disk.iterdir()) == [".output.fingerprint", "filler", "output"]


def _truncate_to_leave(filler: Path, free: int) -> None:
    """Shrink the file that filled the disk until ``free`` bytes are free again."""
    stats = os.statvfs(filler.parent)
    available = stats.f_bavail * stats.f_frsize
    os.truncate(filler, max(filler.stat().st_size - (free - available), 0))


def test_a_read_only_file_system_is_one_clear_line(tmp_path, render_cache):
    with _mounted(tmp_path / "disk", "size=64m") as disk:
        output = disk / "output"
        building.build(output=output, overrides={"CHARTS_CACHE_DIR": str(render_cache)})
        before = snapshot(output)
        subprocess.run(["mount", "-o", "remount,ro", str(disk)], check=True)
        with pytest.raises(BuildError) as caught:
            building.build(output=output, overrides={"CHARTS_CACHE_DIR": str(render_cache)}, force=True)
        assert str(caught.value) == f"{disk}: cannot build the site here: Read-only file system"
        assert snapshot(output) == before


def test_an_output_folder_that_cannot_be_moved_is_one_clear_line(tmp_path, render_cache):
    """output/ mounted read-only on its own (a web server's folder, say): the swap cannot happen."""
    output = tmp_path / "www" / "output"
    building.build(output=output, overrides={"CHARTS_CACHE_DIR": str(render_cache)})
    before = snapshot(output)
    mounted = subprocess.run(["mount", "--bind", "-o", "ro", str(output), str(output)], capture_output=True, text=True, check=False)
    if mounted.returncode != 0:
        pytest.skip(f"cannot bind-mount here ({mounted.stderr.strip()}); needs root")
    try:
        with pytest.raises(BuildError) as caught:
            building.build(output=output, overrides={"CHARTS_CACHE_DIR": str(render_cache)}, force=True)
        assert str(caught.value) == f"{output}: Device or resource busy; the build stopped and output/ was left as it was"
        assert snapshot(output) == before
        assert sorted(p.name for p in output.parent.iterdir()) == [".output.fingerprint", "output"]
    finally:
        subprocess.run(["umount", "-l", str(output)], check=False)


def test_an_immutable_output_folder_is_one_clear_line(tmp_path, render_cache):
    """`chattr +i output`: nothing may rename or change it, not even root."""
    output = tmp_path / "www" / "output"
    building.build(output=output, overrides={"CHARTS_CACHE_DIR": str(render_cache)})
    before = snapshot(output)
    locked = subprocess.run(["chattr", "+i", str(output)], capture_output=True, text=True, check=False)
    if locked.returncode != 0:
        pytest.skip(f"chattr +i is not possible here ({locked.stderr.strip()}); needs root on ext4")
    try:
        with pytest.raises(BuildError) as caught:
            building.build(output=output, overrides={"CHARTS_CACHE_DIR": str(render_cache)}, force=True)
        assert str(caught.value) == f"{output}: Operation not permitted; the build stopped and output/ was left as it was"
    finally:
        subprocess.run(["chattr", "-i", str(output)], check=False)
    assert snapshot(output) == before
    assert sorted(p.name for p in output.parent.iterdir()) == [".output.fingerprint", "output"]
