"""Every chart builds in another language, and draws nothing of its own in English.

The charts are built in pseudo-translations (no catalogue needed): a Russian one that spells
each English letter in Cyrillic, and a Korean one that writes each word in Hangul syllables,
about as wide as the English once a syllable counts as two letters (theme.text_units). Every
string a chart module or the shared plotting code marks for the catalogues must come out
translated: one drawn in English went round the catalogue.
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_file

from charting import editions, formatting, registry, theme

ROOT = Path(__file__).resolve().parent.parent.parent
#: Where the strings a chart draws are written (the furniture is the pipeline's, tested apart).
CODE = [*sorted((ROOT / "charts").glob("*.py")), ROOT / "charting" / "plotting.py", ROOT / "charting" / "theme.py"]
TOKEN = re.compile(r"(\{[a-z_]+\}|\{\{[^{}]*\}\})")
CYRILLIC = str.maketrans(
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz",
    "АБЦДЕФГХИЙКЛМНОПЯРСТУВШЖЫЗабцдефгхийклмнопярстувшжыз",
)
HANGUL = "가나다라마바사아자차카타파하북한러시아두만강철교밀가루염소"


def pseudo(text: str, lang: str) -> str:
    """The text with every English word replaced and its placeholders and references kept."""
    def words(part: str) -> str:
        if lang == "ru":
            return part.translate(CYRILLIC)
        return re.sub(r"[A-Za-z]+", lambda m: "".join(HANGUL[(ord(m.group(0)[0]) + i) % len(HANGUL)] for i in range(math.ceil(len(m.group(0)) / 2))), part)

    return "".join(part if TOKEN.fullmatch(part) else words(part) for part in TOKEN.split(text))


@dataclass(frozen=True)
class PseudoEdition(editions.Edition):
    """An edition whose every string is :func:`pseudo`'s, whatever the catalogue holds."""

    def pgettext(self, context, message):
        if not message or (context == formatting.DATE_CONTEXT and message in formatting.DATE_PATTERNS.values()):
            return message  # Babel's date patterns stay patterns
        return pseudo(message, self.lang)

    def npgettext(self, context, singular, plural, n):
        return pseudo(singular, self.lang)


def _english_strings() -> set[str]:
    """The chart code's catalogue strings that hold words and no placeholder."""
    found = set()
    for path in CODE:
        for _, message, _, _ in extract_from_file("python", str(path), keywords=DEFAULT_KEYWORDS):
            for text in [message] if isinstance(message, str) else message:
                if text and not TOKEN.search(text) and re.search(r"[A-Za-z]{2}", text):
                    found.add(text)
    return found


def _strings(spec):
    if isinstance(spec, dict):
        for value in spec.values():
            yield from _strings(value)
    elif isinstance(spec, list):
        for value in spec:
            yield from _strings(value)
    elif isinstance(spec, str):
        yield spec


@pytest.fixture(scope="module")
def english() -> set[str]:
    found = _english_strings()
    assert {"Evidence", "Nothing dated: not to scale", "To North Korea"} <= found
    return found


@pytest.fixture(scope="module", params=["ko", "ru"])
def localized(request, dataset):
    return editions.localize(dataset, PseudoEdition(request.param, Catalog(locale=request.param), "pseudo.po"))


@pytest.mark.parametrize("layout", theme.LAYOUTS, ids=lambda layout: layout.name)
@pytest.mark.parametrize("chart_id", sorted(registry.discover()))
def test_chart_draws_its_own_words_in_the_editions_language(chart_id, layout, localized, english):
    built = registry.discover()[chart_id].make(localized, layout)
    drawn = {line for text in _strings(built.spec) for line in text.split("\n")} | set(_strings(built.spec))
    assert sorted(drawn & english) == [], f"{chart_id} ({layout.name}, {localized.lang}) draws these in English"


def test_pseudo_korean_is_about_as_wide_as_english():
    assert pseudo("Wheat flour", "ko") == "가나다 한러시"
    assert theme.text_units(pseudo("Wheat flour", "ko")) == pytest.approx(len("Wheat flour"), abs=2)
    assert pseudo("{value}, up {change}", "ru") == "{value}, уп {change}"
