"""Editions: catalogues read strictly, figures and dates written by each locale's rules."""
from __future__ import annotations

import io
from pathlib import Path
from types import SimpleNamespace

import pandas as pd
import pytest
from babel.messages.catalog import Catalog
from babel.messages.pofile import write_po

from charting import editions, formatting

NBSP = "\u00a0"


def _catalog(tmp_path: Path, lang: str, entries: dict, template_extra: dict | None = None, fuzzy: tuple = ()) -> Path:
    """A locales folder holding a template of ``entries`` (+ ``template_extra``) and a ``lang``
    catalogue translating ``entries``: {(context, msgid): msgstr or tuple of plural forms}."""
    root = tmp_path / "locales"
    template, catalog = Catalog(), Catalog(locale=lang)
    for (context, msgid), msgstr in {**entries, **(template_extra or {})}.items():
        template.add((msgid, msgid) if isinstance(msgstr, tuple) else msgid, context=context)
    for (context, msgid), msgstr in entries.items():
        catalog.add((msgid, msgid) if isinstance(msgstr, tuple) else msgid, msgstr, context=context, flags=("fuzzy",) if msgid in fuzzy else ())
    for catalogue, path in ((template, root / "messages.pot"), (catalog, editions.catalog_path(lang, root))):
        path.parent.mkdir(parents=True, exist_ok=True)
        buffer = io.BytesIO()
        write_po(buffer, catalogue)
        path.write_bytes(buffer.getvalue())
    return root


def test_a_complete_catalogue_loads(tmp_path):
    root = _catalog(tmp_path, "ko", {(None, "Charts"): "차트"})
    loaded = editions.load(["en", "ko"], root)
    assert list(loaded) == ["en", "ko"]
    assert loaded["ko"].gettext("Charts") == "차트" and loaded["en"].gettext("Charts") == "Charts"
    assert loaded["ko"].prefix == "ko/" and loaded["en"].prefix == ""
    assert loaded["ko"].name == "한국어"


@pytest.mark.parametrize(
    ("entries", "extra", "fuzzy", "message"),
    [
        ({}, {(None, "Charts"): ""}, (), "no Korean (ko) translation of 'Charts'"),
        ({(None, "Charts"): ""}, {}, (), "no Korean (ko) translation of 'Charts'"),
        ({(None, "Charts"): "차트"}, {}, ("Charts",), "translation of 'Charts' is marked fuzzy"),
        ({(None, "Source: {citations}."): "출처"}, {}, (), "drops {citations}"),
        ({(None, "Data for: %(chart)s"): "데이터"}, {}, (), "drops %(chart)s"),
        ({("chart hunger: alt", "Of {{fig population_total}}"): "인구 {{fig undernourished_people}}"}, {}, (), "drops {{fig population_total}}"),
    ],
    ids=["missing", "empty", "fuzzy", "placeholder", "template-value", "reference"],
)
def test_a_catalogue_that_lacks_or_breaks_a_string_fails_naming_it(tmp_path, entries, extra, fuzzy, message):
    root = _catalog(tmp_path, "ko", entries, extra, fuzzy)
    with pytest.raises(editions.TranslationError) as failure:
        editions.load(["en", "ko"], root)
    assert message in str(failure.value)
    assert str(editions.catalog_path("ko", root)) in str(failure.value) or "messages.po" in str(failure.value)


def test_a_missing_catalogue_fails_naming_its_file(tmp_path):
    root = _catalog(tmp_path, "ko", {(None, "Charts"): "차트"})
    with pytest.raises(editions.TranslationError, match=r"ru/LC_MESSAGES/messages.po: is missing: the ru catalogue"):
        editions.load(["en", "ko", "ru"], root)


def test_a_string_the_template_lacks_fails_at_use_with_no_english_fallback(tmp_path):
    korean = editions.load(["en", "ko"], _catalog(tmp_path, "ko", {(None, "Charts"): "차트"}))["ko"]
    with pytest.raises(editions.TranslationError, match=r"no Korean \(ko\) translation of 'Download'"):
        korean.gettext("Download")


@pytest.mark.parametrize(("count", "form"), [(1, "тонна"), (3, "тонны"), (5, "тонн"), (21, "тонна"), (112, "тонн"), (2.5, "тонны")])
def test_russian_plural_forms_follow_the_catalogues_rule(tmp_path, count, form):
    forms = ("{number} тонна", "{number} тонны", "{number} тонн")
    russian = editions.load(["en", "ru"], _catalog(tmp_path, "ru", {("unit: tonne", "{number} tonnes"): forms}))["ru"]
    assert russian.npgettext("unit: tonne", "{number} tonnes", "{number} tonnes", count) == "{number} " + form


@pytest.mark.parametrize(
    ("lang", "value", "text"),
    [
        ("en", 6_500_000, "6.5 million"),
        ("en", 33_000, "33,000"),
        ("ko", 6_500_000, "650만"),
        ("ko", 26_000_000, "2,600만"),
        ("ko", 10_700_000, "1,070만"),
        ("ko", 33_000, f"3만{NBSP}3,000"),
        ("ko", 126_000_000, f"1억{NBSP}2,600만"),
        ("ko", 540, "540"),
        ("ko", 50.769, "50.8"),
        ("ru", 6_500_000, f"6,5{NBSP}млн"),
        ("ru", 1_270_000, f"1,27{NBSP}млн"),
        ("ru", 33_000, f"33{NBSP}000"),
        ("ru", 50.769, "50,8"),
        ("ru", 1.269, "1,27"),
    ],
)
def test_numbers_are_written_as_each_language_writes_them(lang, value, text):
    assert formatting.number(value, lang) == text


RUSSIAN = {
    ("unit: usd", "${number}"): ("${number}", "${number}", "${number}"),
    ("unit: tonne", "{number} tonnes"): ("{number}\u00a0тонна", "{number}\u00a0тонны", "{number}\u00a0тонн"),
    ("bound", "about {value}"): "около {value}",
    ("bound", "under {value}"): "менее {value}",
    ("date", "d MMMM y"): "d MMMM y 'г'.",
    ("date", "LLLL y"): "LLLL y 'г'.",
    ("date", "y"): "y 'г'.",
    ("date", "{first_month}–{last_month} {year}"): "{first_month}–{last_month} {year} г.",
    ("date", "{date} (year inferred)"): "{date} (год установлен нами)",
}
KOREAN = {
    ("unit: usd", "${number}"): ("{number} 달러",),
    ("bound", "about {value}"): "약 {value}",
    ("bound", "under {value}"): "{value} 미만",
    ("date", "d MMMM y"): "y년 M월 d일",
    ("date", "LLLL y"): "y년 M월",
    ("date", "{first_month}–{last_month} {year}"): "{year}년 {first_month}~{last_month}",
    ("date", "{date} (year inferred)"): "{date}(연도 추정)",
}


def _figure(value, unit, bound="exact", period="", qualifier="undated"):
    return pd.Series({"value": value, "unit": unit, "bound": bound, "subject": "x", "period": period, "period_qualifier": qualifier})


@pytest.mark.parametrize(
    ("lang", "entries", "row", "full", "period"),
    [
        ("ru", RUSSIAN, _figure(6_500_000, "usd", "approximate", "2025-01/2025-07", "as_printed"), f"около $6,5{NBSP}млн", "январь–июль 2025 г."),
        ("ru", RUSSIAN, _figure(540, "tonne", period="2026-01-28", qualifier="year_inferred"), "540\u00a0тонн", "28 января 2026 г. (год установлен нами)"),
        ("ru", RUSSIAN, _figure(1_000_000, "usd", "upper", "2025", "as_printed"), f"менее $1{NBSP}млн", "2025 г."),
        ("ko", KOREAN, _figure(6_500_000, "usd", "approximate", "2025-01/2025-07", "as_printed"), "약 650만 달러", "2025년 1월~7월"),
        ("ko", KOREAN, _figure(1_000_000, "usd", "upper", "2024-08-14", "year_inferred"), "100만 달러 미만", "2024년 8월 14일(연도 추정)"),
    ],
)
def test_figures_and_periods_in_another_language(tmp_path, dataset, lang, entries, row, full, period):
    edition = editions.load(["en", lang], _catalog(tmp_path, lang, entries))[lang]
    # Only the strings these figures use are in the catalogue; the rest of the data stays English.
    data = SimpleNamespace(units=dataset.units, edition=edition)
    assert formatting.value_text(row, data) == full
    assert formatting.period_text(row, data) == period
