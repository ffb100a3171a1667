"""The memo keeps built data and charts only while everything they are made from is unchanged."""
from __future__ import annotations

from charting import memo
from dataset import loading


def test_a_stored_value_comes_back_and_a_damaged_one_is_a_miss(tmp_path):
    memo.store(tmp_path, "chart", "a" * 64, {"spec": [1, 2]})
    assert memo.load(tmp_path, "chart", "a" * 64) == {"spec": [1, 2]}
    assert memo.load(tmp_path, "chart", "b" * 64) is None
    (entry,) = (tmp_path / ".memo" / "chart").glob("*.pickle")
    for damage in (b"", b"not ours", memo.FORMAT + b"\x80\x05truncated"):
        entry.write_bytes(damage)
        assert memo.load(tmp_path, "chart", "a" * 64) is None


def test_the_data_key_changes_with_any_file_in_the_package_or_a_source(data_copy):
    package = data_copy / "datapackage.yaml"
    before = memo.data_key(package, loading.DEFAULT_SOURCES_DIR)
    assert memo.data_key(package, loading.DEFAULT_SOURCES_DIR) == before
    figures = data_copy / "figures.csv"
    figures.write_text(figures.read_text(encoding="utf-8").replace(",447,", ",448,", 1), encoding="utf-8")
    changed = memo.data_key(package, loading.DEFAULT_SOURCES_DIR)
    assert changed != before
    engine_before, engine_changed = memo.engine_key(before), memo.engine_key(changed)
    assert memo.chart_key(engine_changed, "charts/hunger.py", "phone") != memo.chart_key(engine_before, "charts/hunger.py", "phone")
    assert memo.chart_key(engine_before, "charts/hunger.py", "phone") != memo.chart_key(engine_before, "charts/hunger.py", "desktop")


def test_the_same_data_in_another_place_has_the_same_key(data_copy, tmp_path):
    """The export `invoke publish` builds, or a fresh clone, finds what the checkout made."""
    import shutil

    elsewhere = tmp_path / "elsewhere" / "data"
    shutil.copytree(data_copy, elsewhere)
    here = memo.data_key(data_copy / "datapackage.yaml", loading.DEFAULT_SOURCES_DIR)
    assert memo.data_key(elsewhere / "datapackage.yaml", loading.DEFAULT_SOURCES_DIR) == here
    # A file renamed inside the package is a change, though every byte is the same.
    (elsewhere / "flows.csv").rename(elsewhere / "flows-old.csv")
    assert memo.data_key(elsewhere / "datapackage.yaml", loading.DEFAULT_SOURCES_DIR) != here


def test_a_dataset_from_the_memo_reads_its_own_copy_of_the_data(data_copy, tmp_path, render_cache):
    """A hit made in another copy of the project must not point at that copy's files."""
    import shutil

    from charting import pipeline

    cache = tmp_path / "cache"
    shutil.copytree(render_cache, cache, dirs_exist_ok=True)
    first = pipeline.prepare(package_path=data_copy / "datapackage.yaml", cache_dir=cache)
    elsewhere = tmp_path / "elsewhere" / "data"
    shutil.copytree(data_copy, elsewhere)
    second = pipeline.prepare(package_path=elsewhere / "datapackage.yaml", cache_dir=cache)
    assert first.data.root == data_copy and second.data.root == elsewhere
