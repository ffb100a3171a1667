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
